//! The last step of laying out a resource: its access rules, the
//! declarations built from the whole resource (not-null validator,
//! type-checking imports, loader options, `/docs` example, tag), and the
//! [`Resource`] the templates see.

use super::service::RepositoryParts;
use crate::ir::ResourceFacts;
use crate::layout::resource::{Builder, Resolved};
use crate::model::{Collection, EnumType, Field, NestedList, Relation, Resource};
use crate::names;
use crate::python::{self, Imports};
use crate::schema;
use crate::spec::RawField;
use crate::testplan::resource::Plan;
use serde_json::Value as Json;

/// The pieces of a resource laid out before its assembly.
pub(crate) struct Parts {
    /// The model's `id` declaration.
    pub(crate) id_decl: String,
    /// Fields in spec order.
    pub(crate) fields: Vec<Field>,
    /// Enum classes of its fields.
    pub(crate) enums: Vec<EnumType>,
    /// References (many-to-one, one-to-one).
    pub(crate) relations: Vec<Relation>,
    /// Collections (one-to-many, many-to-many).
    pub(crate) collections: Vec<Collection>,
    /// Lists of it under parents.
    pub(crate) nested_lists: Vec<NestedList>,
    /// `__table_args__` of the model, or empty.
    pub(crate) table_args: String,
    /// The column expressions of each `unique_together` group.
    pub(crate) unique_together: Vec<Vec<String>>,
}

/// The `if TYPE_CHECKING:` block importing relationship targets, or empty.
fn type_checking_block(type_checking: &[(String, String)]) -> String {
    if type_checking.is_empty() {
        return String::new();
    }
    let mut tc = Imports::default();
    for (m, n) in type_checking {
        tc.from(m, n);
    }
    let body = tc
        .render_at(4)
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!("\n\nif TYPE_CHECKING:\n{body}")
}

/// The fields only some roles see, for the README's API section: each JSON
/// name with the roles (from the same `read:` lists as [`role_map`]).
fn readers_doc(facts: &ResourceFacts) -> String {
    let entries: Vec<String> = facts
        .fields
        .iter()
        .filter_map(|f| {
            f.raw.read.as_ref().map(|roles| {
                let mut who: Vec<String> = roles
                    .iter()
                    .filter(|r| *r != "admin")
                    .map(|r| format!("`{r}`"))
                    .collect();
                who.sort();
                who.push("admins".into());
                format!("`{}` ({})", f.name, who.join(", "))
            })
        })
        .collect();
    entries.join(", ")
}

/// Fields only some roles see (`pick` = `read`) or set (`write`):
/// (Python attribute, `frozenset` of those roles but admin).
fn role_map(
    facts: &ResourceFacts,
    pick: fn(&RawField) -> &Option<Vec<String>>,
) -> Vec<(String, String)> {
    facts
        .fields
        .iter()
        .filter_map(|f| {
            pick(&f.raw).as_ref().map(|roles| {
                (
                    f.attr.clone(),
                    crate::check::permissions::frozenset(roles.iter().filter(|r| *r != "admin")),
                )
            })
        })
        .collect()
}

/// `class <Class>Hooks(Hooks[<Class>, <Class>Create, <Class>Update]):`,
/// split as `ruff format` would when it is too long: the base on its own
/// line, then, if that is still too long, one type argument a line (the
/// magic trailing comma keeps them there).
fn hooks_class(class: &str) -> String {
    let items = [
        class.to_owned(),
        format!("{class}Create"),
        format!("{class}Update"),
    ];
    let base = format!("Hooks[{}]", items.join(", "));
    let one = format!("class {class}Hooks({base}):");
    if one.chars().count() <= python::LINE_LENGTH {
        return one;
    }
    if 4 + base.chars().count() < python::LINE_LENGTH {
        return format!("class {class}Hooks(\n    {base},\n):");
    }
    let lines: String = items.iter().map(|i| format!("        {i},\n")).collect();
    format!("class {class}Hooks(\n    Hooks[\n{lines}    ],\n):")
}

/// The tag's description (Python literal), its `TAGS` entry at 4 spaces,
/// and the docstring paragraph of the resource's description.
fn descriptions(facts: &ResourceFacts, tag: &str) -> (String, String, String) {
    let r = facts.raw;
    let description_doc = match r.description.as_deref() {
        Some(text) if !text.trim().is_empty() => {
            let lines = python::docstring_lines(text, 4);
            format!("\n\n    {}\n    ", lines.join("\n    "))
        }
        _ => String::new(),
    };
    let description_py = python::string(r.description.as_deref().unwrap_or(&format!(
        "Operations on {}.",
        names::words(facts.plural).to_lowercase()
    )));
    let one_line = format!("{{\"name\": \"{tag}\", \"description\": {description_py}}},");
    let tag_entry = if one_line.len() + 4 <= python::LINE_LENGTH {
        one_line
    } else {
        format!(
            "{{\n        \"name\": \"{tag}\",\n        \"description\": {description_py},\n    }},"
        )
    };
    (description_py, tag_entry, description_doc)
}

/// The resource's own part of its router, dependencies, hooks and schemas.
fn lay_out_api(
    facts: &ResourceFacts,
    parts: &Parts,
    b: &Builder,
    readers: bool,
    writers: bool,
) -> crate::model::Api {
    let links: Vec<Collection> = parts
        .collections
        .iter()
        .filter(|c| c.many_to_many)
        .cloned()
        .collect();
    let input = crate::layout::api::ApiInput {
        own_id: b.own_id,
        nested_lists: &parts.nested_lists,
        links: &links,
        not_null: &b.not_null,
        readers,
        writers,
        carriers: b.carriers,
    };
    crate::layout::api::lay_out_api(facts, &input)
}

/// `model_config = create_config({...})` of the Create schema (at 4
/// spaces), showing `example` in the OpenAPI document, laid out as `ruff
/// format` leaves it: on one line when it fits, else the dict on a line of
/// its own, else the dict exploded one entry per line.
fn create_config(example: &[(String, Json)]) -> String {
    let head = "model_config = create_config(";
    let entries: Vec<String> = example
        .iter()
        .map(|(key, value)| format!("{}: {}", python::string(key), python::literal(value)))
        .collect();
    let one_line = format!("{{{}}}", entries.join(", "));
    if 4 + head.len() + one_line.chars().count() < python::LINE_LENGTH {
        format!("{head}{one_line})")
    } else if 8 + one_line.chars().count() <= python::LINE_LENGTH {
        format!("{head}\n        {one_line}\n    )")
    } else {
        format!("{head}\n        {}\n    )", python::dict_at(example, 8))
    }
}

/// Assembles the resource `b` laid out from `parts`, its test `plan` and
/// its `table`. Most of its length is the one literal of [`Resource`],
/// every field in one place, each computed by a helper above or by the
/// stages before.
pub(crate) fn assemble(b: Builder, parts: Parts, plan: Plan, table: schema::Table) -> Resolved {
    let (facts, default_role) = (b.facts, b.default_role);
    let (class, snake, plural, r) = (facts.class, facts.snake, facts.plural, facts.raw);
    let [read, create, update, delete] = &facts.rules;
    let field_readers = role_map(facts, |f| &f.read);
    let field_writers = role_map(facts, |f| &f.write);
    let events = facts.events.clone();
    let service = RepositoryParts {
        class,
        snake,
        search: &facts.list.search,
        load: &b.load,
        relations: &parts.relations,
        collections: &parts.collections,
        unique: &b.unique_fields,
        unique_together: &parts.unique_together,
        events: &events,
    };
    let repository_decl = service.declaration();
    let service_imports = service.imports(&b.service_targets);
    let create_config = create_config(&plan.example);
    let tag = names::kebab(plural);
    let (description_py, tag_entry, description_doc) = descriptions(facts, &tag);
    let api = lay_out_api(
        facts,
        &parts,
        &b,
        !field_readers.is_empty(),
        !field_writers.is_empty(),
    );
    let m = &b.imports;
    Resolved {
        key: facts.key.to_owned(),
        table,
        target_tables: b.target_tables.clone(),
        extra_tables: b.extra_tables.clone(),
        resource: Resource {
            class_name: class.to_owned(),
            snake: snake.to_owned(),
            plural: plural.to_owned(),
            words: names::words(snake),
            plural_words: names::words(plural).to_lowercase(),
            a_words: names::with_article(&names::words(snake).to_lowercase()),
            url: format!("/{}", names::kebab(plural)),
            table: plural.to_owned(),
            tag,
            id_param: format!("{snake}_id"),
            item_path: format!("/{{{snake}_id:row_id}}"),
            id_type: b.own_id.python.to_owned(),
            id_path: b.own_id.path.to_owned(),
            id_decl: parts.id_decl,
            description_py,
            description_doc,
            audit: r.audit,
            owned: r.owned,
            public_read: read.anyone,
            read_cache_seconds: facts.cache.filter(|c| c.redis).map(|c| c.max_age),
            timestamps: r.timestamps.unwrap_or(true),
            soft_delete: r.soft_delete,
            events,
            fields: parts.fields,
            relations: parts.relations,
            links: parts
                .collections
                .iter()
                .filter(|c| c.many_to_many)
                .cloned()
                .collect(),
            collections: parts.collections,
            nested_lists: parts.nested_lists,
            enums: parts.enums,
            model_imports: format!(
                "{}{}",
                m.model.render(),
                type_checking_block(&b.type_checking)
            ),
            schema_imports: m.schema.render(),
            service_imports,
            repository_decl,
            dependency_imports: m.dependency.render(),
            router_imports: m.router.render(),
            hooks_imports: m.hooks.render(),
            hooks_class: hooks_class(class),
            read: read.access(default_role),
            create: create.access(default_role),
            update: update.access(default_role),
            delete: delete.access(default_role),
            page_item: if field_readers.is_empty() {
                class.to_owned()
            } else {
                format!("{class}Read")
            },
            response_type: if field_readers.is_empty() {
                class.to_owned()
            } else {
                format!("{class}Read")
            },
            field_readers,
            field_readers_doc: readers_doc(facts),
            file_fields: facts
                .fields
                .iter()
                .filter(|f| f.row.ty.is_upload())
                .map(|f| f.name.clone())
                .collect(),
            file_paths: String::new(),
            create_with_files_path: String::new(),
            field_writers,
            list: facts.list.clone(),
            create_config,
            tag_entry,
            unique_fields: b.unique_fields.clone(),
            table_args: parts.table_args,
            tests: plan.tests,
            api,
        },
    }
}
