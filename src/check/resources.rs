//! Checks of `resources:`: names, tables, ids, and each resource's members.

use crate::check::composites::composites;
use crate::check::fields::{FieldPlan, field, member_name, unlistable_fields};
use crate::check::list::list_spec;
use crate::check::permissions::{ActionRule, permissions};
use crate::check::relations::{RelationPlan, ids_field, inverses, relation, required_cycles};
use crate::check::values::resource_example;
use crate::check::{Checker, MAX_NAME};
use crate::diagnostics::allowed_help;
use crate::ir::{CacheRule, ResourceFacts};
use crate::layout::resource::{Resolved, lay_out_resource};
use crate::names;
use crate::reserved::{self, Class};
use crate::schema;
use crate::spec::raw::RawEvents;
use crate::spec::words::{EventKind, RelationKind, Words};
use crate::spec::{RawRelation, RawResource, spans::join_key};
use crate::testplan::standings;
use crate::types::IdKind;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

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
    /// Class name → the spec's keys that spell it, valid or not, in spec
    /// order: finds a resource's raw declaration without scanning them all.
    pub(crate) keys: HashMap<String, Vec<String>>,
}

/// The `id:` type of a resource; an unknown name (reported by
/// `resources`) counts as `int`.
pub(crate) fn id_kind(r: &RawResource) -> IdKind {
    r.id.as_deref().and_then(IdKind::lookup).unwrap_or_default()
}

/// A resource's names: as written in the spec, as a class, in snake_case
/// and as its table (the plural).
pub(crate) struct ResourceNames {
    /// The key under `resources:` (`OrderItem`).
    pub(crate) key: String,
    /// Class name (`OrderItem`).
    pub(crate) class: String,
    /// snake_case name, also its package (`order_item`).
    pub(crate) snake: String,
    /// Table name (`order_items`, or `plural:`).
    pub(crate) plural: String,
}

/// Checks `resources:` and resolves every resource.
///
/// First pass: each resource's name, table and `id:` type, collected in a
/// [`Catalog`] that relations resolve against. Second pass: each valid
/// resource's members ([`resource`]). Then the checks across resources
/// (required-relation cycles), the test plan's standings that need every
/// resource, and each resource's layout. Out: the laid-out resources, in
/// spec order; none if there was any problem (problems are on `c`).
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
        keys: HashMap::new(),
    };
    let mut seen_tables = builtin_tables(c);
    let mut heads = Vec::new();
    for (key, r) in raw {
        if let Some(head) = resource_head(c, key, r, &mut catalog, &mut seen_tables) {
            heads.push(head);
        }
    }
    c.classes = catalog.by_class.keys().cloned().collect();
    let inverses = inverses(&c.spec.raw, &catalog);
    let mut facts = Vec::new();
    for head in &heads {
        let r = &raw[&head.key];
        facts.extend(resource(c, head, r, &catalog));
    }
    required_cycles(c, &facts);
    if !c.problems.is_empty() {
        return Vec::new();
    }
    let standings = standings(&facts, &c.default_role);
    let carriers = crate::layout::uploads::file_carriers(&facts);
    facts
        .iter()
        .map(|f| lay_out_resource(f, &inverses, &c.default_role, &standings, &carriers))
        .collect()
}

/// Tables the generated project has before any resource, with what owns
/// them (for the message when a resource would take one).
fn builtin_tables(c: &Checker) -> HashMap<String, String> {
    let mut seen_tables: HashMap<String, String> = HashMap::new();
    let email = c.spec.raw.auth.as_ref().and_then(|a| a.email.as_ref());
    if email.is_some_and(|e| e.password_reset || e.verification) {
        seen_tables.insert(
            "email_tokens".into(),
            "the built-in email tokens (`auth.email`)".into(),
        );
    }
    seen_tables.insert("users".into(), "the built-in User".into());
    seen_tables.insert(
        "refresh_tokens".into(),
        "the built-in refresh tokens".into(),
    );
    seen_tables.insert(
        crate::schema::OUTBOX_TABLE.into(),
        "the outbox of change events".into(),
    );
    if c.spec.raw.webhooks.is_some() {
        for table in ["webhook_endpoints", "webhook_deliveries"] {
            seen_tables.insert(table.into(), "the built-in webhooks (`webhooks:`)".into());
        }
    }
    seen_tables.insert("alembic_version".into(), "Alembic".into());
    seen_tables
}

/// First pass over resource `key`: checks its name and its table against
/// those already taken (`catalog`, `seen_tables`) and its `id:` type, and
/// registers it. Out: its names, or `None` when it is rejected (it stays
/// in `catalog.rejected`, so relations to it get no second error).
fn resource_head(
    c: &mut Checker,
    key: &str,
    r: &RawResource,
    catalog: &mut Catalog,
    seen_tables: &mut HashMap<String, String>,
) -> Option<ResourceNames> {
    let path = join_key("resources", key);
    let class = names::pascal(key);
    let snake = names::snake(key);
    catalog.rejected.insert(class.clone());
    catalog
        .keys
        .entry(class.clone())
        .or_default()
        .push(key.to_owned());
    if let Some((message, help)) = name_problem(key, &class, &snake) {
        c.at_key(&path, message, help);
        return None;
    }
    if catalog.by_class.contains_key(&class) {
        c.at_key(
            &path,
            format!("resource `{key}` is declared twice (as `{class}`)"),
            "merge the two definitions",
        );
        return None;
    }
    // Uncountable nouns (plural == snake): table and module would clash in
    // names, not in files; fine.
    let plural = plural(c, &path, &snake, r);
    if let Some((message, help)) = table_problem(&plural) {
        let at = if r.plural.is_some() {
            join_key(&path, "plural")
        } else {
            path.clone()
        };
        c.at_key(
            &at,
            format!("resource `{key}` would use table `{plural}`, which {message}"),
            help,
        );
        return None;
    }
    if let Some(owner) = seen_tables.get(&plural) {
        c.at_key(
            &path,
            format!("resource `{key}` would use table `{plural}`, already taken by {owner}"),
            "set `plural:` to another name, or rename the resource",
        );
        return None;
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
    Some(ResourceNames {
        key: key.to_owned(),
        class,
        snake,
        plural,
    })
}

/// Why resource name `key` (class `class`, snake_case `snake`) cannot be
/// used on its own, whatever the other resources: `(message, help)`.
fn name_problem(key: &str, class: &str, snake: &str) -> Option<(String, String)> {
    static IDENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9_-]*$").expect("static regex"));
    if !IDENT.is_match(key) || class.is_empty() {
        return Some((
            format!("`{key}` is not a usable resource name"),
            "use a singular name in PascalCase, like `OrderItem`".into(),
        ));
    }
    if snake.len() > MAX_NAME {
        return Some((
            format!(
                "resource name `{key}` is longer than {MAX_NAME} characters in snake_case (`{snake}`)"
            ),
            "shorten it; long names make long tables, routes and class names".into(),
        ));
    }
    if class == "User" {
        return Some((
            "`User` is built in: gen always generates it with email, password and role".into(),
            "pick another name, or relate to it with `{kind: many_to_one, to: User}`".into(),
        ));
    }
    let rename = format!("rename it, for example `{class}Item` or `{class}Entry`");
    if let Some(why) = reserved_name(class, snake) {
        return Some((format!("resource `{key}` {why}"), rename));
    }
    if let Some(origin) = reserved::lookup(class, Class::ClassName).map(|r| r.reason) {
        return Some((
            format!(
                "resource `{key}` would become class `{class}`, but the generated modules already import or define `{class}` (from {origin})"
            ),
            rename,
        ));
    }
    None
}

/// Why resource `class` (snake_case `snake`) cannot name a class, a
/// package or the variables its generated functions use: a Python
/// keyword, a name Python already gives a meaning, a module the project
/// already has, or a variable of the generated functions (`reserved`).
fn reserved_name(class: &str, snake: &str) -> Option<String> {
    if reserved::is_python_keyword(snake) {
        return Some(format!(
            "would become package `app/{snake}`, but `{snake}` is a Python keyword, which cannot name a package or a variable"
        ));
    }
    if let Some(row) = reserved::python_name_clash(class) {
        return Some(format!(
            "would become class `{class}`, but `{class}` is {}: {}",
            row.class.what(),
            row.reason
        ));
    }
    if reserved::is(snake, Class::Module) {
        return Some(format!(
            "would become packages `app/{snake}` and `tests/{snake}`, but the generated project already has a module named `{snake}`"
        ));
    }
    let row = reserved::lookup(snake, Class::Variable)
        .or_else(|| reserved::lookup(&format!("{snake}_id"), Class::Variable))?;
    let (var, what) = (row.name, row.reason);
    Some(format!(
        "would use the variable `{var}` in its generated functions, which already use `{var}` for {what}"
    ))
}

/// Why no table can be named `table` whatever the other resources, as
/// `(what follows "which ", help)`: a name SQLite reserves
/// ([`reserved::table_reserved`]), or one longer than PostgreSQL's
/// identifiers ([`schema::names::MAX_BYTES`] bytes), which the server
/// would truncate, so that the migrations and the database never agree
/// (`alembic check` would report a difference forever). Constraint and
/// index names are shortened instead (`schema::names::fit`): no one
/// writes them by hand.
fn table_problem(table: &str) -> Option<(String, String)> {
    if let Some(why) = reserved::table_reserved(table) {
        return Some((
            why.to_owned(),
            "set `plural:` to a name that does not start with `sqlite_`, or rename the resource"
                .to_owned(),
        ));
    }
    (table.len() > schema::names::MAX_BYTES).then(|| {
        (
            format!(
                "is {} bytes long, longer than the {} bytes of a PostgreSQL identifier",
                table.len(),
                schema::names::MAX_BYTES
            ),
            format!(
                "shorten `plural:` to at most {} characters",
                schema::names::MAX_BYTES
            ),
        )
    })
}

/// The resource's table: `plural:` when given and snake_case, else the
/// plural of `snake` (an invalid `plural:` is a problem).
fn plural(c: &mut Checker, path: &str, snake: &str, r: &RawResource) -> String {
    match &r.plural {
        Some(p) if !names::is_snake_identifier(p) => {
            c.at_value(
                &join_key(path, "plural"),
                format!("plural `{p}` is not a snake_case name"),
                format!("write it like `{}`", names::snake(p)),
            );
            names::plural(snake)
        }
        Some(p) => p.clone(),
        None => names::plural(snake),
    }
}

/// Checks resource `n` (raw spec `r`) and resolves it: its fields, its
/// relations (against `catalog`), permissions, list, composite constraints and example.
///
/// Out: the resource's facts, or `None` when any of its checks failed
/// (problems are on `c`).
pub(crate) fn resource<'a>(
    c: &mut Checker,
    n: &'a ResourceNames,
    r: &'a RawResource,
    catalog: &Catalog,
) -> Option<ResourceFacts<'a>> {
    let path = join_key("resources", &n.key);
    if r.fields.is_empty() && r.relations.is_empty() {
        c.at_key(
            &path,
            format!("resource `{}` has no fields and no relations", n.key),
            "add at least one field, for example `fields: {name: string}`",
        );
        return None;
    }
    let before = c.problems.len();
    // Field and relation names (and relations' columns) already used, with
    // what uses them.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut fields = member_fields(c, &path, &n.class, r, &mut taken);
    let (relations, collections) = member_relations(c, &path, &n.class, r, catalog, &mut taken);
    association_clashes(c, &path, n, r, &fields, &collections);
    let rules = permissions(c, &path, r);
    cache_problems(c, &path, r, &rules[0]);
    event_problems(c, &path, r);
    unlistable_fields(c, &path, r, &fields);
    let example = r
        .example
        .as_ref()
        .map(|e| resource_example(c, &path, e, &fields, &relations, &collections));
    let (list, indexed, list_imports) = list_spec(c, &path, &n.class, r, &fields, &relations);
    let composites = composites(c, &path, r, &fields, &relations);
    if c.problems.len() > before {
        return None;
    }
    // Filtered fields get an index, in the model and the migration alike;
    // sorted ones get `(field, id)` instead, which serves filters too
    // (`table::composite_indexes`).
    let sorted: Vec<String> = crate::check::list::sort_index_keys(&list, &fields)
        .into_iter()
        .map(str::to_owned)
        .collect();
    for f in fields.iter_mut() {
        if sorted.contains(&f.name) {
            f.raw.index = false;
        } else if indexed.contains(&f.name) && !f.raw.unique {
            f.raw.index = true;
        }
    }
    Some(ResourceFacts {
        key: &n.key,
        class: &n.class,
        snake: &n.snake,
        plural: &n.plural,
        raw: r,
        fields,
        relations,
        collections,
        rules,
        list,
        list_imports,
        composites,
        example,
        cache: r.cache.as_ref().map(|c| CacheRule {
            max_age: c.max_age,
            public: c.public,
            redis: c.redis,
        }),
        events: event_kinds(r),
    })
}

/// Checks each of the resource's `fields:` (at `path`, class `class`): its
/// name against `taken` (where it is then added), then the field itself.
/// Out: the plans of the fields that passed.
fn member_fields(
    c: &mut Checker,
    path: &str,
    class: &str,
    r: &RawResource,
    taken: &mut BTreeMap<String, String>,
) -> Vec<FieldPlan> {
    let mut fields = Vec::new();
    for (fkey, raw_field) in &r.fields {
        let fpath = join_key(&join_key(path, "fields"), fkey);
        let Some(name) = member_name(c, &fpath, fkey, "field", taken) else {
            continue;
        };
        taken.insert(name.clone(), format!("field `{fkey}`"));
        if let Some(plan) = field(c, &fpath, class, &name, raw_field) {
            fields.push(plan);
        }
    }
    fields
}

/// Checks each of the resource's `relations:` (at `path`, class `class`):
/// its name and the column it needs against `taken` (where both are then
/// added), then the relation itself against `catalog`. Out: the relations
/// with a column on this table, and the collections (one-to-many,
/// many-to-many).
fn member_relations(
    c: &mut Checker,
    path: &str,
    class: &str,
    r: &RawResource,
    catalog: &Catalog,
    taken: &mut BTreeMap<String, String>,
) -> (Vec<RelationPlan>, Vec<RelationPlan>) {
    let mut relations = Vec::new();
    let mut collections = Vec::new();
    for (rkey, raw_rel) in &r.relations {
        let rpath = join_key(&join_key(path, "relations"), rkey);
        let Some(name) = relation_name(c, &rpath, rkey, raw_rel, class, taken) else {
            continue;
        };
        if let Some(rel) = relation(c, &rpath, &name, raw_rel, catalog, class) {
            if rel.kind.has_column() {
                relations.push(rel);
            } else {
                collections.push(rel);
            }
        }
    }
    (relations, collections)
}

/// Checks the name of relation `rkey` (at `rpath`) of class `class`: usable
/// as a member, as a relationship attribute, and with a column (`<name>_id`,
/// `<name>_ids`) neither generated nor `taken`. Out: its snake_case name,
/// added with its column to `taken`; `None` after a problem.
fn relation_name(
    c: &mut Checker,
    rpath: &str,
    rkey: &str,
    raw_rel: &RawRelation,
    class: &str,
    taken: &mut BTreeMap<String, String>,
) -> Option<String> {
    let name = member_name(c, rpath, rkey, "relation", taken)?;
    // A field named so gets the attribute `name_` (its JSON name and
    // column stay); a relation's name is its relationship attribute,
    // used throughout the generated code, so it has to be usable as is.
    // (Relations are not in the schemas: Pydantic's names are fine.)
    if let Some(why) = reserved::model_attribute_clash(&name) {
        let target = names::snake(&raw_rel.to);
        c.at_key(
            rpath,
            format!(
                "relation name `{rkey}` is {why}, so it cannot be the relationship attribute `{class}.{name}`"
            ),
            format!(
                "rename the relation, for example `{name}_{target}`; fields may have such names (a field `{name}` gets the Python attribute `{name}_`)"
            ),
        );
        return None;
    }
    let column = match RelationKind::parse(&raw_rel.kind) {
        Some(RelationKind::OneToMany) => None,
        Some(RelationKind::ManyToMany) => Some(ids_field(&name)),
        _ => Some(format!("{name}_id")),
    };
    if let Some(column) = &column {
        if reserved::is(column, Class::Column) {
            c.at_key(
                rpath,
                format!("relation `{rkey}` needs the field `{column}`, a column gen generates"),
                "rename the relation; `audit: true` records who created and who last changed a row",
            );
            return None;
        }
        if let Some(other) = taken.get(column) {
            c.at_key(
                rpath,
                format!("relation `{rkey}` needs the field `{column}`, which {other} already is"),
                format!("rename the relation or {other}"),
            );
            return None;
        }
        taken.insert(column.clone(), format!("the field of relation `{rkey}`"));
    }
    taken.insert(name.clone(), format!("relation `{rkey}`"));
    Some(name)
}

/// Checks each many-to-many's association table (`<snake>_<relation>`)
/// against the names it shares a module with: the models module defines
/// it under its table name, which the relationship refers to, so no field
/// may be named so; the service defines `link_<relation>` and
/// `unlink_<relation>`, so the resource may not be `link` or `unlink`.
fn association_clashes(
    c: &mut Checker,
    path: &str,
    n: &ResourceNames,
    r: &RawResource,
    fields: &[FieldPlan],
    collections: &[RelationPlan],
) {
    let snake = &n.snake;
    for rel in collections
        .iter()
        .filter(|rel| rel.kind == RelationKind::ManyToMany)
    {
        let table = format!("{snake}_{}", rel.name);
        if let Some((message, _)) = table_problem(&table) {
            c.at_key(
                &join_key(
                    &join_key(path, "relations"),
                    spelled(r.relations.keys(), &rel.name),
                ),
                format!(
                    "relation `{}` would use association table `{table}`, which {message}",
                    rel.name
                ),
                "rename the relation or the resource",
            );
        }
        let Some(f) = fields.iter().find(|f| f.attr == table) else {
            continue;
        };
        let fkey = spelled(r.fields.keys(), &f.name);
        c.at_key(
            &join_key(&join_key(path, "fields"), fkey),
            format!(
                "field `{fkey}` has the name of the association table of relation `{}` (`{table}`), which the model's module defines under that name",
                rel.name
            ),
            "rename the field, or the relation",
        );
    }
}

/// The key among `keys` whose snake_case is `name`, as written (`name`
/// itself if none is).
fn spelled<'a>(mut keys: impl Iterator<Item = &'a String>, name: &'a str) -> &'a str {
    keys.find(|k| names::snake(k) == name)
        .map_or(name, String::as_str)
}

/// The longest `cache.max_age` (one year, as RFC 9111 section 5.2.2.1's
/// common practice caps freshness).
const MAX_AGE_LIMIT: i64 = 31_536_000;

/// Checks `cache:` of the resource at `path`: its max age within 1 second
/// and a year, and reads open to anyone (`read`), since answers to a token
/// are always `private, no-cache` and never kept in Redis.
fn cache_problems(c: &mut Checker, path: &str, r: &RawResource, read: &ActionRule) {
    let Some(cache) = &r.cache else { return };
    let at = join_key(path, "cache");
    if !(1..=MAX_AGE_LIMIT).contains(&cache.max_age) {
        c.at_value(
            &join_key(&at, "max_age"),
            format!(
                "`cache.max_age` is {}; it must be between 1 and {MAX_AGE_LIMIT} seconds (a year)",
                cache.max_age
            ),
            "give the seconds an answer may be reused, e.g. `max_age: 60`",
        );
    }
    if !read.anyone {
        c.at_key(
            &at,
            "`cache` needs reads open to anyone: answers to a token are always `private, no-cache`",
            "add `public_read: true` (or `permissions.read: [anyone]`), or remove `cache`",
        );
    }
}

/// Checks `events:` of the resource at `path`: a list names each of
/// `created`, `updated`, `deleted` at most once, and at least one.
fn event_problems(c: &mut Checker, path: &str, r: &RawResource) {
    let Some(RawEvents::Kinds(kinds)) = &r.events else {
        return;
    };
    let at = join_key(path, "events");
    if kinds.is_empty() {
        c.at_value(
            &at,
            "`events` lists no kind of change",
            "list some of `created`, `updated`, `deleted`, or write `events: true` for all three",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, kind) in kinds.iter().enumerate() {
        let item = format!("{at}[{i}]");
        if EventKind::parse(kind).is_none() {
            c.at_value(
                &item,
                format!("unknown event kind `{kind}`"),
                allowed_help(kind, &EventKind::names()),
            );
        } else if !seen.insert(kind.as_str()) {
            c.at_value(
                &item,
                format!("event kind `{kind}` is listed twice"),
                "list each kind of change once",
            );
        }
    }
}

/// The kinds of change a checked resource publishes, in `created`,
/// `updated`, `deleted` order: all three for `events: true`, none without
/// `events` or with `false`.
fn event_kinds(r: &RawResource) -> Vec<String> {
    let listed = |word: &str| match &r.events {
        None | Some(RawEvents::All(false)) => false,
        Some(RawEvents::All(true)) => true,
        Some(RawEvents::Kinds(kinds)) => kinds.iter().any(|k| k == word),
    };
    EventKind::names()
        .into_iter()
        .filter(|w| listed(w))
        .map(str::to_owned)
        .collect()
}
