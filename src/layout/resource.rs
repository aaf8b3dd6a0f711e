//! Lays out one resource as Python declarations, imports and test data.

use crate::check::AUDIT_COLUMNS;
use crate::check::composites::Composites;
use crate::check::fields::FieldPlan;
use crate::check::permissions::{ActionRule, frozenset};
use crate::check::relations::{Inverses, Kind, RelationPlan, ids_field};
use crate::check::resources::id_kind;
use crate::layout::field::{lay_out_field, schema_decl};
use crate::layout::{body_type_import, missing_link_check};
use crate::model::{
    Collection, Deletion, ExampleRef, ListSpec, Parent, Relation, Resource, ResourceTests,
};
use crate::names;
use crate::python::{self, Imports, call};
use crate::schema::{self};
use crate::spec::{RawField, RawResource};
use crate::testplan::SAMPLES;
use crate::types::{self, IdKind};
use serde_json::Value as Json;
use std::collections::BTreeSet;

/// A resource being resolved: the model part plus what later passes need.
pub(crate) struct Resolved {
    /// The resource's key as written in the spec.
    pub(crate) key: String,
    /// Its table.
    pub(crate) table: schema::Table,
    pub(crate) resource: Resource,
    /// Required relations' targets (class names), for cycle checks and ordering.
    pub(crate) required_targets: Vec<String>,
    /// All relations' target tables, for table ordering.
    pub(crate) target_tables: Vec<String>,
    /// How many distinct rows the samples allow.
    pub(crate) capacity: usize,
    /// Association tables of its many-to-many relations.
    pub(crate) extra_tables: Vec<schema::Table>,
    /// Target class of each of `tests.example_refs`.
    pub(crate) example_targets: Vec<String>,
    /// Unique fields the /docs example sets: (its value, the field's samples).
    pub(crate) example_uniques: Vec<(Json, Vec<Json>)>,
}

/// Lays out one resource: declarations, imports and test data.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_resource(
    class: &str,
    snake: &str,
    plural: &str,
    r: &RawResource,
    fields: Vec<FieldPlan>,
    relations: Vec<RelationPlan>,
    collections: Vec<RelationPlan>,
    inverses: &Inverses,
    rules: [ActionRule; 4],
    default_role: &str,
    list_imports: &[(String, String)],
    list: &ListSpec,
    composites: &Composites,
    example: Option<Vec<(String, Json)>>,
) -> Resolved {
    let table = plural.to_owned();
    let mut model_imports = Imports::default();
    model_imports
        .from("sqlalchemy.orm", "Mapped")
        .from("sqlalchemy.orm", "mapped_column")
        .from("app.database", "Base");
    let mut schema_imports = Imports::default();
    schema_imports
        .from("pydantic", "BaseModel")
        .from("pydantic", "ConfigDict")
        .from("pydantic", "Field")
        .from("pydantic", "field_validator")
        .from("app.schemas", "SafeStr")
        .from("app.schemas", "check_sort");
    for (module, name) in list_imports {
        schema_imports.from(module, name);
    }
    let mut service_imports = Imports::default();
    service_imports
        .from("collections.abc", "Sequence")
        .from("typing", "Any")
        .from("sqlalchemy", "ColumnElement")
        .from("sqlalchemy", "select")
        .from("sqlalchemy.orm", "InstrumentedAttribute")
        .from("app.database", "order_by")
        .from("sqlalchemy.ext.asyncio", "AsyncSession")
        .from(&format!("app.{snake}.models"), class)
        .from(&format!("app.{snake}.schemas"), &format!("{class}Create"))
        .from(
            &format!("app.{snake}.schemas"),
            &format!("{class}ListQuery"),
        )
        .from(&format!("app.{snake}.schemas"), &format!("{class}Update"));
    let mut test_imports = Imports::default();
    test_imports
        .from("typing", "Any")
        .module("pytest")
        .from("httpx", "AsyncClient")
        .from("tests.helpers", "AuthUser")
        .from("tests.helpers", "MISSING")
        .from("tests.factories", &format!("create_{snake}"))
        .from("tests.factories", &format!("{snake}_payload"));
    if r.timestamps.unwrap_or(true) {
        model_imports.from("app.database", "TimestampMixin");
        schema_imports.from("datetime", "datetime");
    }
    if r.owned || r.audit || !relations.is_empty() {
        model_imports.from("sqlalchemy", "ForeignKey");
    }
    let own_id = id_kind(r).row();
    for (module, name) in own_id.column_imports.iter().chain(own_id.key_imports) {
        model_imports.from(module, name);
    }
    for (module, name) in own_id.python_imports {
        schema_imports.from(module, name);
        service_imports.from(module, name);
    }
    let mut id_args: Vec<String> = own_id.column_type.iter().map(|t| t.to_string()).collect();
    id_args.push("primary_key=True".into());
    id_args.extend(own_id.key_args.iter().map(|a| a.to_string()));
    let id_decl = call(
        &format!("id: Mapped[{}] = mapped_column", own_id.python),
        &id_args,
        "",
        4,
    );
    let mut enums = Vec::new();
    let mut columns = vec![schema::Column::new("id", own_id.kind.sql_type(), false)];
    let mut table_uniques = Vec::new();
    let mut table_indexes = Vec::new();
    let mut foreign_keys = Vec::new();
    let mut model_fields = Vec::new();
    let mut not_null = Vec::new();
    let mut unique_fields = Vec::new();
    let mut capacity = SAMPLES;
    let mut invalid = Vec::new();
    let mut boundaries = Vec::new();
    // Samples leave out fields only some roles may set: the tests create
    // rows as the default role (the field-level tests set them as admin);
    // and read_only fields, which no request may send.
    let sample_values: Vec<(String, Vec<Json>)> = fields
        .iter()
        .filter(|f| f.raw.write.is_none() && !f.raw.read_only)
        .map(|f| (f.name.clone(), f.samples_cache.clone()))
        .collect();
    for f in &fields {
        let laid = lay_out_field(
            f,
            class,
            &format!("app.{snake}.models"),
            &mut model_imports,
            &mut schema_imports,
            &mut enums,
        );
        if f.raw.unique {
            unique_fields.push((f.attr.clone(), f.name.clone()));
            capacity = capacity.min(f.samples_cache.len());
            table_uniques.push(f.name.clone());
        } else if f.raw.index {
            table_indexes.push(f.name.clone());
        }
        columns.push(laid.column);
        not_null.extend(laid.not_null);
        invalid.extend(laid.invalid);
        boundaries.extend(laid.boundaries);
        model_fields.push(laid.field);
    }
    let duplicate_targets: BTreeSet<&str> = {
        let mut seen = BTreeSet::new();
        let mut dup = BTreeSet::new();
        for rel in &relations {
            if !seen.insert(rel.target_class.as_str()) {
                dup.insert(rel.target_class.as_str());
            }
        }
        dup
    };
    let mut model_relations = Vec::new();
    let mut deletions = Vec::new();
    let mut one_to_one_cases = Vec::new();
    let mut parents = Vec::new();
    let mut owned_targets = Vec::new();
    let mut references = Vec::new();
    let mut required_targets = Vec::new();
    let mut target_tables = Vec::new();
    let mut type_checking = Vec::new();
    for rel in &relations {
        let column = format!("{}_id", rel.name);
        let opt = if rel.nullable { " | None" } else { "" };
        let one_to_one = rel.kind == Kind::OneToOne;
        let target_id = rel.target_id.row();
        for (module, name) in target_id.column_imports {
            model_imports.from(module, name);
        }
        let mut column_args: Vec<String> = target_id
            .column_type
            .iter()
            .map(|t| t.to_string())
            .collect();
        column_args.push(format!(
            "ForeignKey(\"{}.id\", ondelete={})",
            rel.target_table,
            python::string(rel.on_delete)
        ));
        column_args.push(
            if one_to_one {
                "unique=True"
            } else {
                "index=True"
            }
            .into(),
        );
        let model_decl = call(
            &format!(
                "{column}: Mapped[{}{opt}] = mapped_column",
                target_id.python
            ),
            &column_args,
            "",
            4,
        );
        let mut rel_args = Vec::new();
        if let Some(back) = inverses
            .back_populates
            .get(&(class.to_owned(), rel.name.clone()))
        {
            rel_args.push(format!("back_populates={}", python::string(back)));
        }
        if duplicate_targets.contains(rel.target_class.as_str()) {
            rel_args.push(format!("foreign_keys=[{column}]"));
        }
        if rel.target_class == class {
            // A self-reference is many-to-one only when told which side is remote.
            rel_args.push(format!("remote_side=\"{class}.id\""));
        }
        rel_args.push("lazy=\"raise\"".into());
        let relationship_decl = call(
            &format!(
                "{}: Mapped[{}{opt}] = relationship",
                rel.name, rel.target_class
            ),
            &rel_args,
            "",
            4,
        );
        if rel.target_class != class {
            type_checking.push((rel.target_module.clone(), rel.target_class.clone()));
        }
        let desc = rel
            .description
            .as_ref()
            .map(|d| vec![format!("description={}", python::string(d))])
            .unwrap_or_default();
        let mut create_args = if rel.nullable {
            vec!["default=None".to_owned()]
        } else {
            Vec::new()
        };
        create_args.extend(desc.clone());
        let mut update_args = vec!["default=None".to_owned()];
        update_args.extend(desc);
        if rel.description.is_some() {
            schema_imports.from("pydantic", "Field");
        }
        let (module, body) = body_type_import(rel.target_id);
        schema_imports.from(&module, &body);
        let factory = rel
            .target_snake
            .as_ref()
            .map(|s| format!("create_{s}"))
            .unwrap_or_default();
        if !rel.nullable {
            not_null.push(python::string(&column));
            let reuse = parents
                .iter()
                .find(|p: &&Parent| {
                    p.factory == factory && p.reuse.is_none() && !factory.is_empty() && !p.unique
                })
                .map(|p| p.column.clone())
                .filter(|_| !one_to_one);
            parents.push(Parent {
                column: column.clone(),
                factory: factory.clone(),
                reuse,
                unique: one_to_one,
            });
            invalid.push(call(
                "pytest.param",
                &[
                    python::string(&column),
                    "MISSING".into(),
                    format!("id=\"{}-missing\"", column.replace('_', "-")),
                ],
                ",",
                4,
            ));
            if rel.target_class != "User" && rel.target_class != class {
                required_targets.push(rel.target_class.clone());
            }
        }
        invalid.push(call(
            "pytest.param",
            &[
                python::string(&column),
                target_id.missing_py.into(),
                format!("id=\"{}-no-such-row\"", column.replace('_', "-")),
            ],
            ",",
            4,
        ));
        let (bad_id, bad_case) = target_id.invalid;
        invalid.push(call(
            "pytest.param",
            &[
                python::string(&column),
                bad_id.into(),
                format!("id=\"{}-{bad_case}\"", column.replace('_', "-")),
            ],
            ",",
            4,
        ));
        let parent = Parent {
            column: column.clone(),
            factory: factory.clone(),
            reuse: None,
            unique: one_to_one,
        };
        if rel.target_owned {
            owned_targets.push(parent.clone());
        }
        if one_to_one {
            one_to_one_cases.push(parent.clone());
        }
        if rel.target_snake.is_some() {
            // A soft delete only marks the target: no ON DELETE action runs.
            let action = if rel.target_soft {
                "KEEP"
            } else {
                rel.on_delete
            };
            let after = match action {
                "CASCADE" => "assert_problem(after, 404)".to_owned(),
                "SET NULL" => format!("assert after.json()[{}] is None", python::string(&column)),
                _ => format!(
                    "assert after.json()[{}] == target[\"id\"]",
                    python::string(&column)
                ),
            };
            deletions.push(Deletion {
                column: column.clone(),
                factory: factory.clone(),
                target_url: format!("/{}", names::kebab(&rel.target_table)),
                status: if action == "RESTRICT" { 409 } else { 204 },
                after,
            });
        }
        references.push(parent);
        if rel.target_table != "users" {
            target_tables.push(rel.target_table.clone());
        }
        columns.push(schema::Column::new(
            &column,
            rel.target_id.sql_type(),
            rel.nullable,
        ));
        foreign_keys.push(schema::ForeignKey {
            column: column.clone(),
            target: rel.target_table.clone(),
            on_delete: rel.on_delete.to_owned(),
        });
        if one_to_one {
            table_uniques.push(column.clone());
            unique_fields.push((column.clone(), column.clone()));
        } else {
            table_indexes.push(column.clone());
        }
        model_relations.push(Relation {
            name: rel.name.clone(),
            column: column.clone(),
            words: names::words(&rel.name),
            target_class: rel.target_class.clone(),
            target_module: rel.target_module.clone(),
            target_table: rel.target_table.clone(),
            target_owned: rel.target_owned,
            nullable: rel.nullable,
            unique: one_to_one,
            on_delete: rel.on_delete.to_owned(),
            model_decl,
            relationship_decl,
            create_decl: schema_decl(&column, &format!("{body}{opt}"), create_args),
            update_decl: schema_decl(&column, &format!("{body} | None"), update_args),
            read_decl: format!("{column}: {}{opt}", target_id.python),
            check_stmt: {
                let target = &rel.target_class;
                let mut args = vec![
                    "session".to_owned(),
                    format!("{target}.id"),
                    format!("data.{column}"),
                    format!("field={}", python::string(&column)),
                ];
                if rel.target_owned {
                    args.push(format!("owner_column={target}.owner_id"));
                    args.push("owner_id=owner_id".to_owned());
                }
                if rel.target_soft {
                    args.push(format!("where={target}.deleted_at.is_(None)"));
                }
                call("await ensure_exists", &args, "", 8)
            },
        });
        service_imports.from(&rel.target_module, &rel.target_class);
    }
    // One-to-many and many-to-many: a relationship, the condition of the
    // nested list, and for many-to-many the association table and `*_ids`.
    let mut model_collections = Vec::new();
    let mut extra_tables = Vec::new();
    let mut load = Vec::new();
    for rel in &collections {
        let target = rel.target_class.as_str();
        let target_snake = rel.target_snake.clone().unwrap_or_default();
        let m2m = rel.kind == Kind::ManyToMany;
        if target != class {
            type_checking.push((rel.target_module.clone(), target.to_owned()));
        }
        service_imports
            .from(&rel.target_module, target)
            .from("sqlalchemy", "ColumnElement");
        let mut c = Collection {
            name: rel.name.clone(),
            words: names::words(&rel.name).to_lowercase(),
            many_to_many: m2m,
            target_class: target.to_owned(),
            target_words: names::words(&target_snake),
            relationship_decl: String::new(),
            where_fn: format!("{}_of", rel.name),
            where_return: String::new(),
            ids_field: String::new(),
            association: String::new(),
            association_decl: String::new(),
            target_id_param: format!("{target_snake}_id"),
            target_id_type: rel.target_id.row().python.to_owned(),
            target_id_path: rel.target_id.row().path.to_owned(),
            target_missing: rel.target_id.row().missing.to_owned(),
            target_missing_py: rel.target_id.row().missing_py.to_owned(),
            missing_link_check: missing_link_check(rel.target_id.row().missing),
            segment: format!("/{}", names::kebab(&rel.name)),
            create_decl: String::new(),
            update_decl: String::new(),
            read_decl: String::new(),
            find_body: String::new(),
            find_body_nested: String::new(),
            find_one: String::new(),
            target_factory: format!("create_{target_snake}"),
            via_column: String::new(),
            child_offset: if target == class { " + 2" } else { "" }.to_owned(),
            target_url: format!("/{}", names::kebab(&rel.target_table)),
            target_owned: rel.target_owned,
            target_soft: rel.target_soft,
            ids_return: String::new(),
            other_user_check: None,
            child_binding: String::new(),
        };
        if m2m {
            let assoc = format!("{snake}_{}", rel.name);
            let left = format!("{snake}_id");
            let right = c.target_id_param.clone();
            let target_id = rel.target_id.row();
            for (module, name) in own_id.column_imports.iter().chain(target_id.column_imports) {
                model_imports.from(module, name);
            }
            for (module, name) in target_id.python_imports {
                service_imports.from(module, name);
            }
            let column_decl = |name: &str, table: &str, id: &types::IdRow, index: bool| {
                let mut args = vec![python::string(name)];
                args.extend(id.column_type.iter().map(|t| t.to_string()));
                args.push(format!("ForeignKey(\"{table}.id\", ondelete=\"CASCADE\")"));
                args.push("primary_key=True".to_owned());
                if index {
                    args.push("index=True".into());
                }
                let laid = call("Column", &args, ",", 4);
                laid[..laid.len() - 1].to_owned()
            };
            c.association_decl = call(
                &format!("{assoc} = Table"),
                &[
                    python::string(&assoc),
                    "Base.metadata".into(),
                    column_decl(&left, plural, own_id, false),
                    column_decl(&right, &rel.target_table, target_id, true),
                ],
                "",
                0,
            );
            c.relationship_decl = call(
                &format!("{}: Mapped[list[{target}]] = relationship", rel.name),
                &[
                    format!("secondary={assoc}"),
                    "lazy=\"raise\"".into(),
                    "passive_deletes=True".into(),
                ],
                "",
                4,
            );
            c.where_return = call(
                "return linked_to",
                &[
                    format!("{target}.id"),
                    format!("{assoc}.c.{right}"),
                    format!("{assoc}.c.{left}"),
                    format!("{snake}.id"),
                ],
                "",
                4,
            );
            let ids = ids_field(&rel.name);
            let mut owner: Vec<String> = if rel.target_owned {
                vec![
                    format!("owner_column={target}.owner_id"),
                    "owner_id=None if actor.is_admin else actor.id".into(),
                ]
            } else {
                Vec::new()
            };
            if rel.target_soft {
                owner.push(format!("where={target}.deleted_at.is_(None)"));
            }
            let find = |source: &str, indent: usize| {
                let mut args = vec![
                    "session".to_owned(),
                    target.to_owned(),
                    format!("{target}.id"),
                    source.to_owned(),
                ];
                args.extend(owner.iter().cloned());
                call("found = await rows_by_id", &args, "", indent)
            };
            // Load the rows named by `data.<ids>`, then set the collection.
            let set_links = |indent: usize| {
                let assign = call(
                    &format!("{snake}.{} = pick", rel.name),
                    &[
                        "found".into(),
                        format!("data.{ids}"),
                        format!("field={}", python::string(&ids)),
                    ],
                    "",
                    indent,
                );
                let pad = " ".repeat(indent);
                format!("{}\n{pad}{assign}", find(&format!("data.{ids}"), indent))
            };
            c.find_body = set_links(4);
            c.find_body_nested = set_links(8);
            c.find_one = find(&format!("[{right}]"), 4);
            c.create_decl = schema_decl(
                &ids,
                &format!("list[{}]", target_id.body),
                vec!["default_factory=list".into(), "max_length=100".into()],
            );
            c.update_decl = schema_decl(
                &ids,
                &format!("list[{}] | None", target_id.body),
                vec!["default=None".into(), "max_length=100".into()],
            );
            let generator = if rel.target_soft {
                format!(
                    "row.id for row in self.{} if row.deleted_at is None",
                    rel.name
                )
            } else {
                format!("row.id for row in self.{}", rel.name)
            };
            c.ids_return = if 8 + "return sorted()".len() + generator.len() <= python::LINE_LENGTH {
                format!("return sorted({generator})")
            } else {
                format!("return sorted(\n            {generator}\n        )")
            };
            c.read_decl = format!("{ids}: list[{}]", target_id.python);
            for (value, case) in [
                (format!("[{}]", target_id.invalid.0), target_id.invalid.1),
                (format!("[{}]", target_id.missing_py), "no-such-row"),
                ("\"1\"".to_owned(), "not-a-list"),
            ] {
                invalid.push(call(
                    "pytest.param",
                    &[
                        python::string(&ids),
                        value,
                        format!("id=\"{}-{case}\"", ids.replace('_', "-")),
                    ],
                    ",",
                    4,
                ));
            }
            not_null.push(python::string(&ids));
            let (module, body) = body_type_import(rel.target_id);
            schema_imports
                .from(&module, &body)
                .from("pydantic", "Field");
            for (module, name) in target_id.python_imports {
                schema_imports.from(module, name);
                model_imports.from(module, name);
            }
            service_imports
                .from("app.database", "linked_to")
                .from("app.database", "pick")
                .from("app.database", "rows_by_id")
                .from("app.errors", "NotFoundError")
                .from("sqlalchemy.orm", "selectinload")
                .from(&format!("app.{snake}.models"), &assoc);
            model_imports
                .from("sqlalchemy", "Column")
                .from("sqlalchemy", "ForeignKey")
                .from("sqlalchemy", "Table");
            load.push(format!("selectinload({class}.{})", rel.name));
            extra_tables.push(schema::Table {
                name: assoc.clone(),
                columns: vec![
                    schema::Column::new(&left, own_id.kind.sql_type(), false),
                    schema::Column::new(&right, rel.target_id.sql_type(), false),
                ],
                primary_key: vec![left.clone(), right.clone()],
                uniques: Vec::new(),
                indexes: vec![right.clone()],
                unique_together: Vec::new(),
                composite_indexes: Vec::new(),
                foreign_keys: vec![
                    schema::ForeignKey {
                        column: left.clone(),
                        target: plural.to_owned(),
                        on_delete: "CASCADE".into(),
                    },
                    schema::ForeignKey {
                        column: right.clone(),
                        target: rel.target_table.clone(),
                        on_delete: "CASCADE".into(),
                    },
                ],
                renamed_from: None,
            });
            c.ids_field = ids;
            c.association = assoc;
        } else {
            let via = rel.via.clone().unwrap_or_default();
            let mut args = vec![format!("back_populates={}", python::string(&via))];
            if inverses
                .ambiguous
                .contains(&(target.to_owned(), class.to_owned()))
            {
                args.push(format!("foreign_keys=\"[{target}.{via}_id]\""));
            }
            args.push("lazy=\"raise\"".into());
            args.push("passive_deletes=True".into());
            c.relationship_decl = call(
                &format!("{}: Mapped[list[{target}]] = relationship", rel.name),
                &args,
                "",
                4,
            );
            let expr = format!("{target}.{via}_id == {snake}.id");
            c.where_return = if 4 + "return ".len() + expr.len() <= python::LINE_LENGTH {
                format!("return {expr}")
            } else {
                format!("return (\n        {expr}\n    )")
            };
            c.via_column = format!("{via}_id");
        }
        model_collections.push(c);
    }
    if r.owned {
        columns.push(schema::Column::new(
            "owner_id",
            schema::SqlType::Integer,
            false,
        ));
        foreign_keys.push(schema::ForeignKey {
            column: "owner_id".into(),
            target: "users".into(),
            on_delete: "CASCADE".into(),
        });
        table_indexes.push("owner_id".into());
    }
    if r.audit {
        for name in AUDIT_COLUMNS {
            columns.push(schema::Column::new(name, schema::SqlType::Integer, true));
            foreign_keys.push(schema::ForeignKey {
                column: name.into(),
                target: "users".into(),
                on_delete: "SET NULL".into(),
            });
            table_indexes.push(name.into());
            invalid.push(call(
                "pytest.param",
                &[
                    python::string(name),
                    "1".into(),
                    format!("id=\"{}-not-accepted\"", name.replace('_', "-")),
                ],
                ",",
                4,
            ));
        }
    }
    if r.timestamps.unwrap_or(true) {
        for name in ["created_at", "updated_at"] {
            columns.push(schema::Column::new(name, schema::SqlType::DateTime, false));
        }
    }
    if r.soft_delete {
        columns.push(schema::Column::new(
            "deleted_at",
            schema::SqlType::DateTime,
            true,
        ));
        table_indexes.push("deleted_at".into());
        model_imports
            .from("datetime", "datetime")
            .from("app.database", "UTCDateTime");
        schema_imports.from("datetime", "datetime");
        service_imports.from("app.database", "utc_now");
    }
    capacity = capacity.min(composites.capacity);
    let unique_groups: Vec<Vec<String>> =
        composites.unique.iter().map(|(g, _)| g.clone()).collect();
    let table_args = table_args(&unique_groups, &composites.indexes);
    if !unique_groups.is_empty() {
        model_imports.from("sqlalchemy", "UniqueConstraint");
        service_imports.from("app.database", "ensure_unique_together");
    }
    if !composites.indexes.is_empty() {
        model_imports.from("sqlalchemy", "Index");
    }
    let unique_together: Vec<String> = unique_groups
        .iter()
        .map(|g| {
            let columns: Vec<String> = g
                .iter()
                .map(|c| {
                    let attr = fields.iter().find(|f| f.name == *c).map_or(c, |f| &f.attr);
                    format!("{class}.{attr}")
                })
                .collect();
            call(
                "await ensure_unique_together",
                &[
                    "session".into(),
                    format!("({})", columns.join(", ")),
                    "written".into(),
                    "current=current".into(),
                    "where=others".into(),
                ],
                "",
                4,
            )
        })
        .collect();
    // One 409 test case per unique field and per unique group the tests
    // can make two clashing rows for.
    let unique_cases: Vec<String> = unique_fields
        .iter()
        .map(|(_, name)| name)
        .filter(|f| !one_to_one_cases.iter().any(|p| p.column == **f))
        .map(|f| vec![f.clone()])
        .chain(
            composites
                .unique
                .iter()
                .filter(|(_, testable)| *testable)
                .map(|(g, _)| g.clone()),
        )
        .map(|g| {
            let quoted: Vec<String> = g.iter().map(|c| python::string(c)).collect();
            let tuple = if quoted.len() == 1 {
                format!("({},)", quoted[0])
            } else {
                format!("({})", quoted.join(", "))
            };
            let id = g
                .iter()
                .map(|c| c.replace('_', "-"))
                .collect::<Vec<_>>()
                .join("+");
            call(
                "pytest.param",
                &[tuple, format!("id={}", python::string(&id))],
                ",",
                4,
            )
        })
        .collect();
    // Rows the tests create share their required parents, except where a
    // relation is part of a unique group: there each row gets its own.
    let shared_parents: Vec<String> = parents
        .iter()
        .filter(|p| !p.unique && !unique_groups.iter().flatten().any(|c| *c == p.column))
        .map(|p| p.column.clone())
        .collect();
    let table_schema = schema::Table {
        name: plural.to_owned(),
        columns,
        primary_key: vec!["id".to_owned()],
        uniques: table_uniques,
        indexes: table_indexes,
        foreign_keys,
        unique_together: unique_groups,
        composite_indexes: composites.indexes.clone(),
        renamed_from: r
            .renamed_from
            .as_ref()
            .map(|old| names::plural(&names::snake(old))),
    };
    if !relations.is_empty() {
        service_imports.from("app.database", "ensure_exists");
    }
    if !relations.is_empty() || !collections.is_empty() {
        model_imports
            .from("__future__", "annotations")
            .from("sqlalchemy.orm", "relationship");
    }
    if !type_checking.is_empty() {
        model_imports.from("typing", "TYPE_CHECKING");
    }
    if !unique_fields.is_empty() {
        service_imports.from("app.database", "ensure_unique");
    }
    if !not_null.is_empty() {
        schema_imports
            .from("pydantic", "field_validator")
            .from("app.schemas", "reject_null");
    }
    // Samples: one dict per row the tests may create.
    let rows = capacity.min(SAMPLES);
    let mut samples = Vec::new();
    for n in 0..rows {
        let mut lines = String::from("{\n");
        for (name, values) in &sample_values {
            let v = &values[n % values.len()];
            lines.push_str(&format!(
                "        {}: {},\n",
                python::string(name),
                python::literal(v)
            ));
        }
        lines.push_str("    }");
        if sample_values.is_empty() {
            lines = "{}".into();
        }
        samples.push(lines);
    }
    // The update test compares the response with what it sent, so it
    // changes a field responses show.
    let write_only: BTreeSet<&str> = fields
        .iter()
        .filter(|f| f.raw.write_only)
        .map(|f| f.name.as_str())
        .collect();
    let (update_field, update_value) = match sample_values
        .iter()
        .find(|(name, v)| v.len() > 1 && !write_only.contains(name.as_str()))
    {
        Some((name, values)) => (name.clone(), python::literal(&values[1])),
        None => (String::new(), String::new()),
    };
    let not_null_field = fields
        .iter()
        .find(|f| !f.raw.nullable && !f.raw.read_only)
        .map(|f| f.name.clone())
        .or_else(|| {
            relations
                .iter()
                .find(|r| !r.nullable)
                .map(|r| format!("{}_id", r.name))
        });
    let not_null_on_update = if not_null.is_empty() {
        String::new()
    } else {
        call("@field_validator", &not_null, "", 4)
    };
    let type_checking_block = if type_checking.is_empty() {
        String::new()
    } else {
        let mut tc = Imports::default();
        for (m, n) in &type_checking {
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
    };
    let words = names::words(snake);
    let scoped_references = relations.iter().any(|rel| rel.target_owned);
    let [read_rule, create_rule, update_rule, delete_rule] = rules;
    let read_rule_anyone = read_rule.anyone;
    let read = read_rule.access("READ", default_role);
    let create = create_rule.access("CREATE", default_role);
    let update = update_rule.access("UPDATE", default_role);
    let delete = delete_rule.access("DELETE", default_role);
    let role_map = |pick: fn(&RawField) -> &Option<Vec<String>>| -> Vec<(String, String)> {
        fields
            .iter()
            .filter_map(|f| {
                pick(&f.raw).as_ref().map(|roles| {
                    (
                        f.attr.clone(),
                        frozenset(roles.iter().filter(|r| *r != "admin")),
                    )
                })
            })
            .collect()
    };
    let field_readers = role_map(|f| &f.read);
    let field_writers = role_map(|f| &f.write);
    let hidden = !field_readers.is_empty();
    let guarded = !field_writers.is_empty();
    let mut dependency_imports = Imports::default();
    dependency_imports
        .from("typing", "Annotated")
        .from("fastapi", "Depends")
        .from(&format!("app.{snake}"), "service")
        .from(&format!("app.{snake}.models"), class)
        .from("app.auth.dependencies", "OptionalUser")
        .from("app.auth.models", "User")
        .from("app.auth.permissions", "Rule")
        .from("app.database", "SessionDep")
        .from("app.errors", "NotFoundError")
        .from("app.schemas", own_id.path);
    for (module, name) in own_id.python_imports {
        dependency_imports.from(module, name);
    }
    let deps = format!("app.{snake}.dependencies");
    let mut router_imports = Imports::default();
    router_imports
        .from("collections.abc", "Sequence")
        .from("fastapi", "APIRouter")
        .from(&format!("app.{snake}"), "routes")
        .from(&format!("app.{snake}"), "service")
        .from(&deps, "Creator")
        .from(&deps, "ReadScope")
        .from(&deps, &format!("{class}ForDelete"))
        .from(&deps, &format!("{class}ForRead"))
        .from(&deps, &format!("{class}ForUpdate"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Create"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Page"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Read"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Update"))
        .from("app.auth.dependencies", "CurrentUser")
        .from("app.database", "SessionDep")
        .from("app.errors", "responses")
        .from("typing", "Annotated")
        .from("fastapi", "Query")
        .from(
            &format!("app.{snake}.schemas"),
            &format!("{class}ListQuery"),
        );
    router_imports.from(&format!("app.{snake}.models"), class);
    if r.soft_delete {
        router_imports
            .from(&deps, &format!("{class}ForRestore"))
            .from("app.auth.dependencies", "OptionalUser")
            .from("app.auth.permissions", "require_admin");
        dependency_imports
            .from("app.auth.dependencies", "CurrentUser")
            .from("app.auth.permissions", "require_admin");
    }
    if hidden {
        router_imports
            .from(&deps, "FIELD_READERS")
            .from("app.auth.dependencies", "OptionalUser")
            .from("app.auth.models", "User")
            .from("app.auth.permissions", "hidden_fields");
    }
    if guarded {
        router_imports
            .from(&deps, "FIELD_WRITERS")
            .from("app.auth.permissions", "check_writable");
    }
    service_imports
        .from(&format!("app.{snake}"), "hooks")
        .from("app.auth.models", "User");
    if !list.search.is_empty() {
        service_imports.from("sqlalchemy", "or_");
    }
    if !list.cursor {
        service_imports.from("sqlalchemy", "func");
    }
    if list.cursor {
        service_imports
            .from("app.pagination", "after")
            .from("app.pagination", "row_keys");
        router_imports
            .from("typing", "Any")
            .from("app.pagination", "CursorSecret")
            .from("app.pagination", "decode_cursor")
            .from("app.pagination", "encode_cursor");
    }
    if list.filters.iter().any(|(p, _)| p.ends_with("__isnull")) {
        service_imports.from("app.database", "is_null");
    }
    if !list.filter_cases.is_empty() || !list.sort_cases.is_empty() || !boundaries.is_empty() {
        test_imports.from("decimal", "Decimal");
    }
    let mut hooks_imports = Imports::default();
    hooks_imports
        .module("logging")
        .from("sqlalchemy.ext.asyncio", "AsyncSession")
        .from(&format!("app.{snake}.models"), class)
        .from(&format!("app.{snake}.schemas"), &format!("{class}Create"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Update"))
        .from("app.auth.models", "User");
    test_imports
        .from(&format!("app.{snake}"), "hooks")
        .from("tests.helpers", "recording");
    let nested_lists = inverses.nested.get(class).cloned().unwrap_or_default();
    for n in &nested_lists {
        let parent_module = format!("app.{}", n.parent_snake);
        router_imports.from(
            &format!("{parent_module}.dependencies"),
            &format!("{}ForRead", n.parent_class),
        );
        if n.parent_class != class {
            router_imports.from(
                &parent_module,
                &format!("service as {}_service", n.parent_snake),
            );
        }
    }
    for c in model_collections.iter().filter(|c| c.many_to_many) {
        router_imports.from("app.schemas", &c.target_id_path);
    }
    let link_fields: Vec<String> = model_collections
        .iter()
        .filter(|c| c.many_to_many)
        .map(|c| python::string(&c.ids_field))
        .collect();
    let dump_exclude = if link_fields.is_empty() {
        String::new()
    } else {
        let one_line = format!("LINK_FIELDS = {{{}}}", link_fields.join(", "));
        if one_line.len() <= python::LINE_LENGTH {
            one_line
        } else {
            format!("LINK_FIELDS = {{\n    {},\n}}", link_fields.join(",\n    "))
        }
    };
    // Built when a query runs, not at import: the mappers are configured
    // only once every model module is imported.
    let (load_options, load_options_get) = if load.is_empty() {
        (String::new(), String::new())
    } else {
        (
            call("stmt = stmt.options", &load, "", 4),
            call("query = query.options", &load, "", 4),
        )
    };
    for c in &model_collections {
        test_imports.from("tests.factories", &c.target_factory);
    }
    for factory in one_to_one_cases
        .iter()
        .map(|p| &p.factory)
        .chain(deletions.iter().map(|d| &d.factory))
    {
        test_imports.from("tests.factories", factory);
    }
    let hidden_field = fields
        .iter()
        .find(|f| f.raw.read.is_some() && !f.raw.read_only)
        .map(|f| (f.name.clone(), python::literal(&f.samples_cache[0])));
    let guarded_field = fields
        .iter()
        .find(|f| f.raw.write.is_some())
        .map(|f| (f.name.clone(), python::literal(&f.samples_cache[0])));
    let renamed: Vec<String> = fields
        .iter()
        .filter(|f| f.attr != f.name)
        .map(|f| python::string(&f.name))
        .collect();
    let renamed = match renamed.as_slice() {
        [] => String::new(),
        [one] => format!("RENAMED = ({one},)"),
        many => call("RENAMED = ", many, "", 0),
    };
    test_imports
        .from("tests.factories", &format!("{snake}_body"))
        .from("tests.factories", &format!("{snake}_parents"))
        .from("tests.helpers", "assert_problem")
        .from("tests.helpers", "error_fields")
        .from("tests.helpers", "page_count");
    for t in &owned_targets {
        test_imports.from("tests.factories", &t.factory);
    }
    // The example body for /docs: the spec's `example`, else sample 0 with
    // every relation pointing at id 1.
    let example = example.unwrap_or_else(|| {
        let mut entries: Vec<(String, Json)> = sample_values
            .iter()
            .map(|(name, values)| (name.clone(), values[0].clone()))
            .collect();
        entries.extend(relations.iter().map(|rel| {
            let placeholder = serde_json::from_str(rel.target_id.row().example)
                .expect("id placeholders are JSON");
            (format!("{}_id", rel.name), placeholder)
        }));
        entries
    });
    let create_config = format!(
        "model_config = ConfigDict(\n        extra=\"forbid\",\n        json_schema_extra={{\n            \"examples\": [\n                {},\n            ],\n        }},\n    )",
        python::dict_at(&example, 16)
    );
    let docs_example = format!("EXAMPLE: dict[str, Any] = {}", python::dict_at(&example, 0));
    // Its test points the relation ids at rows it creates (numbers are
    // assigned by `finish_tests`, once the samples are final).
    let referenced: Vec<&RelationPlan> = relations
        .iter()
        .filter(|rel| {
            let column = format!("{}_id", rel.name);
            example.iter().any(|(k, v)| *k == column && !v.is_null())
        })
        .collect();
    let example_targets: Vec<String> = referenced
        .iter()
        .map(|rel| rel.target_class.clone())
        .collect();
    let example_refs: Vec<ExampleRef> = referenced
        .iter()
        .map(|rel| ExampleRef {
            column: format!("{}_id", rel.name),
            factory: rel
                .target_snake
                .as_ref()
                .map(|s| format!("create_{s}"))
                .unwrap_or_default(),
            n: 0,
        })
        .collect();
    for e in example_refs.iter().filter(|e| !e.factory.is_empty()) {
        test_imports.from("tests.factories", &e.factory);
    }
    let example_uniques: Vec<(Json, Vec<Json>)> = fields
        .iter()
        .filter(|f| f.raw.unique)
        .filter_map(|f| {
            example
                .iter()
                .find(|(k, _)| *k == f.name)
                .map(|(_, v)| (v.clone(), f.samples_cache.clone()))
        })
        .collect();
    // read_only and write_only fields, and the audit columns, for their tests.
    let mut server_set = Vec::new();
    let mut read_only = Vec::new();
    for f in fields.iter().filter(|f| f.raw.read_only) {
        let initial = f
            .default
            .as_ref()
            .map_or("None".to_owned(), python::literal);
        let value = python::literal(&f.samples_cache[0]);
        server_set.push(format!("{{{}: {value}}}", python::string(&f.name)));
        read_only.push(call(
            "pytest.param",
            &[
                python::string(&f.name),
                initial,
                value,
                format!("id={}", python::string(&f.name.replace('_', "-"))),
            ],
            ",",
            4,
        ));
    }
    if r.audit {
        for name in AUDIT_COLUMNS {
            server_set.push(format!("{{{}: admin.id}}", python::string(name)));
        }
        test_imports
            .from("fastapi", "FastAPI")
            .from("sqlalchemy", "delete")
            .from("app.auth.models", "User");
    }
    let write_only_cases: Vec<(String, String, String)> = fields
        .iter()
        .filter(|f| f.raw.write_only)
        .map(|f| {
            let first = &f.samples_cache[0];
            let second = f.samples_cache.get(1).unwrap_or(first);
            (
                f.name.clone(),
                python::literal(first),
                python::literal(second),
            )
        })
        .collect();
    if !write_only_cases.is_empty() {
        test_imports
            .from("fastapi", "FastAPI")
            .from(&format!("app.{snake}.models"), class)
            .from(&format!("app.{snake}.schemas"), &format!("{class}Create"));
    }
    // Sequence ids grow with each insert; random ones (uuid4) do not, and
    // the API orders them as their text (PostgreSQL's `uuid` and SQLite's
    // hex `CHAR(32)` alike), as Python sorts the JSON strings.
    let (order_ids, late_row_checks) = if own_id.kind == IdKind::Uuid {
        (
            "ids.sort()".to_owned(),
            "assert len(seen) == len(set(seen))\n    \
             assert [i for i in seen if i not in late] == sorted(ids, reverse=True)"
                .to_owned(),
        )
    } else {
        (
            String::new(),
            "assert seen == sorted(ids, reverse=True)\n    assert late[0] not in seen".to_owned(),
        )
    };
    let description_doc = match r.description.as_deref() {
        Some(text) if !text.trim().is_empty() => {
            let lines = python::docstring_lines(text, 4);
            format!("\n\n    {}\n    ", lines.join("\n    "))
        }
        _ => String::new(),
    };
    let description_py = python::string(r.description.as_deref().unwrap_or(&format!(
        "Operations on {}.",
        names::words(plural).to_lowercase()
    )));
    let tag = names::kebab(plural);
    let one_line = format!("{{\"name\": \"{tag}\", \"description\": {description_py}}},");
    let tag_entry = if one_line.len() + 4 <= python::LINE_LENGTH {
        one_line
    } else {
        format!(
            "{{\n        \"name\": \"{tag}\",\n        \"description\": {description_py},\n    }},"
        )
    };
    Resolved {
        key: String::new(),
        table: table_schema,
        required_targets,
        target_tables,
        capacity,
        extra_tables,
        example_targets,
        example_uniques,
        resource: Resource {
            class_name: class.to_owned(),
            snake: snake.to_owned(),
            plural: plural.to_owned(),
            words: words.clone(),
            plural_words: names::words(plural).to_lowercase(),
            url: format!("/{}", names::kebab(plural)),
            table,
            tag,
            id_param: format!("{snake}_id"),
            id_type: own_id.python.to_owned(),
            id_path: own_id.path.to_owned(),
            id_decl,
            description_py,
            description_doc,
            audit: r.audit,
            owned: r.owned,
            public_read: read_rule_anyone,
            timestamps: r.timestamps.unwrap_or(true),
            soft_delete: r.soft_delete,
            fields: model_fields,
            relations: model_relations,
            links: model_collections
                .iter()
                .filter(|c| c.many_to_many)
                .cloned()
                .collect(),
            collections: model_collections,
            nested_lists,
            dump_exclude,
            load_options,
            load_options_get,
            enums,
            model_imports: format!("{}{type_checking_block}", model_imports.render()),
            schema_imports: schema_imports.render(),
            service_imports: service_imports.render(),
            test_imports: test_imports.render(),
            dependency_imports: dependency_imports.render(),
            router_imports: router_imports.render(),
            hooks_imports: hooks_imports.render(),
            scoped_references,
            read,
            create,
            update,
            delete,
            field_readers,
            field_writers,
            list: ListSpec::default(),
            response_type: if hidden {
                format!("{class}Read")
            } else {
                class.to_owned()
            },
            create_config,
            tag_entry,
            not_null_on_update,
            unique_fields,
            unique_together,
            table_args,
            tests: ResourceTests {
                missing_id: own_id.missing.to_owned(),
                id_json: if own_id.kind == IdKind::Uuid {
                    "str"
                } else {
                    "int"
                }
                .to_owned(),
                malformed_ids: own_id.malformed.to_owned(),
                order_ids,
                late_row_checks,
                rows: 0,
                creator: "member".into(),
                reader: String::new(),
                updater: String::new(),
                deleter: String::new(),
                hidden_field,
                guarded_field,
                renamed,
                samples,
                parents,
                invalid,
                update_field,
                update_value,
                not_null_field,
                owned_targets,
                references,
                deletions,
                boundaries,
                shared_parents,
                one_to_one: one_to_one_cases,
                unique_cases,
                read_only,
                write_only: write_only_cases,
                server_set,
                docs_example,
                example_refs,
            },
        },
    }
}

/// `__table_args__ = (...)` of a model with composite unique constraints
/// and indexes, laid out at 4 spaces; empty when there are none. Their
/// names come from the naming convention, like every other constraint's.
pub(crate) fn table_args(unique: &[Vec<String>], indexes: &[Vec<String>]) -> String {
    let quoted = |g: &Vec<String>| -> Vec<String> { g.iter().map(|c| python::string(c)).collect() };
    let mut items: Vec<String> = unique
        .iter()
        .map(|g| call("UniqueConstraint", &quoted(g), "", 8))
        .collect();
    for g in indexes {
        let mut args = vec!["None".to_owned()];
        args.extend(quoted(g));
        items.push(call("Index", &args, "", 8));
    }
    match items.as_slice() {
        [] => String::new(),
        // A one-element tuple keeps its comma; ruff does not treat it as magic.
        [one]
            if !one.contains('\n')
                && 4 + "__table_args__ = (,)".len() + one.len() <= python::LINE_LENGTH =>
        {
            format!("__table_args__ = ({one},)")
        }
        _ => call("__table_args__ = ", &items, "", 4),
    }
}
