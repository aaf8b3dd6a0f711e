//! Checks of `resources:`: names, tables, ids, and each resource's members.

use crate::check::composites::composites;
use crate::check::fields::{field, member_name, unlistable_fields};
use crate::check::list::list_spec;
use crate::check::permissions::permissions;
use crate::check::relations::{ids_field, inverses, relation, required_cycles};
use crate::check::values::resource_example;
use crate::check::{Checker, MAX_NAME};
use crate::diagnostics::allowed_help;
use crate::ir::ResourceFacts;
use crate::layout::resource::{Resolved, build_resource};
use crate::names;
use crate::reserved::{self, Class};
use crate::spec::words::{RelationKind, Words};
use crate::spec::{RawResource, spans::join_key};
use crate::testplan::standings;
use crate::types::IdKind;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The names of resources as the user wrote them and as classes.
pub(crate) struct Catalog {
    /// Class name → (snake, table, owned).
    pub(crate) by_class: BTreeMap<String, (String, String, bool)>,
    /// Class names of resources already reported as invalid: relations to
    /// them get no second error.
    pub(crate) rejected: BTreeSet<String>,
    /// Class names of resources with `soft_delete: true`.
    pub(crate) soft_deleted: BTreeSet<String>,
    /// Class name → the type of its `id` (absent: `int`).
    pub(crate) ids: BTreeMap<String, IdKind>,
}

/// The `id:` type of a resource; an unknown name (reported by
/// `resources`) counts as `int`.
pub(crate) fn id_kind(r: &RawResource) -> IdKind {
    r.id.as_deref().and_then(IdKind::lookup).unwrap_or_default()
}

pub(crate) fn resources(c: &mut Checker) -> Vec<Resolved> {
    let spec = c.spec;
    let raw = &spec.raw.resources;
    if raw.is_empty() {
        c.at_key(
            "resources",
            "the spec declares no resources",
            "add at least one under `resources:`; `gen new DIR` writes a starter spec to copy from",
        );
        return Vec::new();
    }
    let mut catalog = Catalog {
        by_class: BTreeMap::new(),
        rejected: BTreeSet::new(),
        soft_deleted: BTreeSet::new(),
        ids: BTreeMap::new(),
    };
    let mut seen_tables: HashMap<String, String> = HashMap::new();
    seen_tables.insert("users".into(), "the built-in User".into());
    seen_tables.insert(
        "refresh_tokens".into(),
        "the built-in refresh tokens".into(),
    );
    seen_tables.insert("alembic_version".into(), "Alembic".into());
    let mut heads = Vec::new();
    let ident = Regex::new(r"^[A-Za-z][A-Za-z0-9_-]*$").expect("static regex");
    for (key, r) in raw {
        let path = join_key("resources", key);
        let class = names::pascal(key);
        let snake = names::snake(key);
        catalog.rejected.insert(class.clone());
        if !ident.is_match(key) || class.is_empty() {
            c.at_key(
                &path,
                format!("`{key}` is not a usable resource name"),
                "use a singular name in PascalCase, like `OrderItem`",
            );
            continue;
        }
        if snake.len() > MAX_NAME {
            c.at_key(
                &path,
                format!("resource name `{key}` is longer than {MAX_NAME} characters in snake_case (`{snake}`)"),
                "shorten it; long names make long tables, routes and class names",
            );
            continue;
        }
        if class == "User" {
            c.at_key(
                &path,
                "`User` is built in: gen always generates it with email, password and role",
                "pick another name, or relate to it with `{kind: many_to_one, to: User}`",
            );
            continue;
        }
        let why = if reserved::is_python_keyword(&snake) {
            Some(format!(
                "would become package `app/{snake}`, but `{snake}` is a Python keyword, which cannot name a package or a variable"
            ))
        } else if let Some(row) = reserved::python_name_clash(&class) {
            Some(format!(
                "would become class `{class}`, but `{class}` is {}: {}",
                row.class.what(),
                row.reason
            ))
        } else if reserved::is(&snake, Class::Module) {
            Some(format!(
                "would become packages `app/{snake}` and `tests/{snake}`, but the generated project already has a module named `{snake}`"
            ))
        } else if let Some(row) = reserved::lookup(&snake, Class::Variable)
            .or_else(|| reserved::lookup(&format!("{snake}_id"), Class::Variable))
        {
            let (var, what) = (row.name, row.reason);
            Some(format!(
                "would use the variable `{var}` in its generated functions, which already use `{var}` for {what}"
            ))
        } else {
            None
        };
        if let Some(why) = why {
            c.at_key(
                &path,
                format!("resource `{key}` {why}"),
                format!("rename it, for example `{class}Item` or `{class}Entry`"),
            );
            continue;
        }
        if let Some(origin) = reserved::lookup(&class, Class::ClassName).map(|r| r.reason) {
            c.at_key(
                &path,
                format!("resource `{key}` would become class `{class}`, but the generated modules already import or define `{class}` (from {origin})"),
                format!("rename it, for example `{class}Item` or `{class}Entry`"),
            );
            continue;
        }
        if catalog.by_class.contains_key(&class) {
            c.at_key(
                &path,
                format!("resource `{key}` is declared twice (as `{class}`)"),
                "merge the two definitions",
            );
            continue;
        }
        let plural = match &r.plural {
            Some(p) if !names::is_snake_identifier(p) => {
                c.at_value(
                    &join_key(&path, "plural"),
                    format!("plural `{p}` is not a snake_case name"),
                    format!("write it like `{}`", names::snake(p)),
                );
                names::plural(&snake)
            }
            Some(p) => p.clone(),
            None => names::plural(&snake),
        };
        if plural == snake {
            // Uncountable nouns: table and module would clash in names, not in files; fine.
        }
        if let Some(owner) = seen_tables.get(&plural) {
            c.at_key(
                &path,
                format!("resource `{key}` would use table `{plural}`, already taken by {owner}"),
                "set `plural:` to another name, or rename the resource",
            );
            continue;
        }
        seen_tables.insert(plural.clone(), format!("resource `{key}`"));
        catalog.rejected.remove(&class);
        catalog
            .by_class
            .insert(class.clone(), (snake.clone(), plural.clone(), r.owned));
        if r.soft_delete {
            catalog.soft_deleted.insert(class.clone());
        }
        if let Some(given) = r.id.as_deref().filter(|g| IdKind::lookup(g).is_none()) {
            c.at_value(
                &join_key(&path, "id"),
                format!("unknown id type `{given}`"),
                allowed_help(given, &IdKind::names()),
            );
        }
        catalog.ids.insert(class.clone(), id_kind(r));
        heads.push((key.clone(), class, snake, plural));
    }
    c.classes = catalog.by_class.keys().cloned().collect();
    let inverses = inverses(&c.spec.raw, &catalog);
    let mut facts = Vec::new();
    for (key, class, snake, plural) in &heads {
        let r = &raw[key];
        facts.extend(resource(c, key, class, snake, plural, r, &catalog));
    }
    required_cycles(c, &facts);
    if !c.problems.is_empty() {
        return Vec::new();
    }
    let standings = standings(&facts, &c.default_role);
    facts
        .iter()
        .map(|f| build_resource(f, &inverses, &c.default_role, &standings))
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn resource<'a>(
    c: &mut Checker,
    key: &'a str,
    class: &'a str,
    snake: &'a str,
    plural: &'a str,
    r: &'a RawResource,
    catalog: &Catalog,
) -> Option<ResourceFacts<'a>> {
    let path = join_key("resources", key);
    if r.fields.is_empty() && r.relations.is_empty() {
        c.at_key(
            &path,
            format!("resource `{key}` has no fields and no relations"),
            "add at least one field, for example `fields: {name: string}`",
        );
        return None;
    }
    let before = c.problems.len();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut fields = Vec::new();
    for (fkey, raw_field) in &r.fields {
        let fpath = join_key(&join_key(&path, "fields"), fkey);
        let Some(name) = member_name(c, &fpath, fkey, "field", &taken) else {
            continue;
        };
        taken.insert(name.clone(), format!("field `{fkey}`"));
        if let Some(plan) = field(c, &fpath, class, &name, raw_field) {
            fields.push(plan);
        }
    }
    let mut relations = Vec::new();
    let mut collections = Vec::new();
    for (rkey, raw_rel) in &r.relations {
        let rpath = join_key(&join_key(&path, "relations"), rkey);
        let Some(name) = member_name(c, &rpath, rkey, "relation", &taken) else {
            continue;
        };
        // A field named so gets the attribute `name_` (its JSON name and
        // column stay); a relation's name is its relationship attribute,
        // used throughout the generated code, so it has to be usable as is.
        // (Relations are not in the schemas: Pydantic's names are fine.)
        if let Some(why) = reserved::model_attribute_clash(&name) {
            let target = names::snake(&raw_rel.to);
            c.at_key(
                &rpath,
                format!(
                    "relation name `{rkey}` is {why}, so it cannot be the relationship attribute `{class}.{name}`"
                ),
                format!(
                    "rename the relation, for example `{name}_{target}`; fields may have such names (a field `{name}` gets the Python attribute `{name}_`)"
                ),
            );
            continue;
        }
        let kind = RelationKind::parse(&raw_rel.kind);
        let column = match kind {
            Some(RelationKind::OneToMany) => None,
            Some(RelationKind::ManyToMany) => Some(ids_field(&name)),
            _ => Some(format!("{name}_id")),
        };
        if let Some(column) = &column {
            if reserved::is(column, Class::Column) {
                c.at_key(
                    &rpath,
                    format!("relation `{rkey}` needs the field `{column}`, a column gen generates"),
                    "rename the relation; `audit: true` records who created and who last changed a row",
                );
                continue;
            }
            if let Some(other) = taken.get(column) {
                c.at_key(
                    &rpath,
                    format!(
                        "relation `{rkey}` needs the field `{column}`, which {other} already is"
                    ),
                    format!("rename the relation or {other}"),
                );
                continue;
            }
            taken.insert(column.clone(), format!("the field of relation `{rkey}`"));
        }
        taken.insert(name.clone(), format!("relation `{rkey}`"));
        if let Some(rel) = relation(c, &rpath, &name, raw_rel, catalog, class) {
            if rel.kind.has_column() {
                relations.push(rel);
            } else {
                collections.push(rel);
            }
        }
    }
    // The models module defines each many-to-many's association table
    // under its table name, which the relationship refers to; the service
    // defines `link_<relation>` and `unlink_<relation>`.
    for rel in collections
        .iter()
        .filter(|rel| rel.kind == RelationKind::ManyToMany)
    {
        let table = format!("{snake}_{}", rel.name);
        if snake == "link" || snake == "unlink" {
            let rkey = r
                .relations
                .keys()
                .find(|k| names::snake(k) == rel.name)
                .map_or(rel.name.as_str(), String::as_str);
            c.at_key(
                &join_key(&join_key(&path, "relations"), rkey),
                format!(
                    "the association table of relation `{rkey}` would be `{table}`, the name of the service function that {snake}s its rows"
                ),
                format!("rename the resource, for example `{class}Item`"),
            );
        }
        let Some(f) = fields.iter().find(|f| f.attr == table) else {
            continue;
        };
        let fkey = r
            .fields
            .keys()
            .find(|k| names::snake(k) == f.name)
            .map_or(f.name.as_str(), String::as_str);
        c.at_key(
            &join_key(&join_key(&path, "fields"), fkey),
            format!(
                "field `{fkey}` has the name of the association table of relation `{}` (`{table}`), which the model's module defines under that name",
                rel.name
            ),
            "rename the field, or the relation",
        );
    }
    let rules = permissions(c, &path, r);
    unlistable_fields(c, &path, r, &fields);
    let example = r
        .example
        .as_ref()
        .map(|e| resource_example(c, &path, e, &fields, &relations, &collections));
    let list = list_spec(c, &path, class, r, &fields, &relations);
    let composites = composites(c, &path, r, &fields, &relations);
    if c.problems.len() > before {
        return None;
    }
    // Filtered and sorted fields get an index, in the model and the migration alike.
    let mut fields = fields;
    for f in fields.iter_mut() {
        if list.1.contains(&f.name) && !f.raw.unique {
            f.raw.index = true;
        }
    }
    let (list, _, list_imports) = list;
    let facts = ResourceFacts {
        key,
        class,
        snake,
        plural,
        raw: r,
        fields,
        relations,
        collections,
        rules,
        list,
        list_imports,
        composites,
        example,
    };
    Some(facts)
}
