//! Lays out a resource's relations: the foreign keys of `many_to_one` and
//! `one_to_one` ([`Builder::reference`]) and the collections of
//! `one_to_many` and `many_to_many` ([`Builder::collection`]).

use crate::check::relations::{Inverses, RelationPlan, ids_field};
use crate::layout::field::schema_decl;
use crate::layout::resource::Builder;
use crate::layout::{body_type_import, missing_link_check};
use crate::model::{Collection, Deletion, Parent, Relation};
use crate::names;
use crate::python::{self, call};
use crate::schema;
use crate::spec::words::{OnDelete, RelationKind};
use crate::testplan::values::InvalidCall;
use crate::types::{IdKind, IdRow};

/// The kinds of `tests/kit/invalid.py` of a reference to a row with ids
/// of `kind`, and of a list of them: what any id of the kind refuses.
fn reference_kinds(kind: IdKind) -> (&'static str, &'static str) {
    match kind {
        IdKind::Int | IdKind::BigInt => ("int_reference", "int_references"),
        IdKind::Uuid => ("uuid_reference", "uuid_references"),
    }
}

impl Builder<'_> {
    /// Lays out a `many_to_one` or `one_to_one` relation `rel`: its column,
    /// relationship and schema declarations, its table column and foreign
    /// key, and what the tests need of it. `shared_target` is true when
    /// another relation of this resource points at the same class (the
    /// relationship then names its `foreign_keys`).
    pub(crate) fn reference(
        &mut self,
        rel: &RelationPlan,
        inverses: &Inverses,
        shared_target: bool,
    ) -> Relation {
        let column = rel.column();
        let opt = if rel.nullable { " | None" } else { "" };
        let one_to_one = rel.kind == RelationKind::OneToOne;
        let target_id = rel.target_id.row();
        let (model_decl, relationship_decl) =
            self.reference_model(rel, &column, inverses, shared_target);
        let (create_decl, update_decl) = self.reference_schema(rel, &column);
        self.reference_tests(rel, &column, target_id);
        self.reference_table(rel, &column);
        self.service_targets
            .push((rel.target_module.clone(), rel.target_class.clone()));
        Relation {
            name: rel.name.clone(),
            column: column.clone(),
            words: names::words(&rel.name),
            target_class: rel.target_class.clone(),
            target_module: rel.target_module.clone(),
            target_table: rel.target_table.clone(),
            target_owned: rel.target_owned,
            nullable: rel.nullable,
            unique: one_to_one,
            on_delete: rel.on_delete.sql().to_owned(),
            model_decl,
            relationship_decl,
            create_decl,
            update_decl,
            read_decl: format!("{column}: {}{opt}", target_id.python),
        }
    }

    /// The model's column and relationship declarations of a reference
    /// (`column`), at 4 spaces; adds their imports.
    fn reference_model(
        &mut self,
        rel: &RelationPlan,
        column: &str,
        inverses: &Inverses,
        shared_target: bool,
    ) -> (String, String) {
        let class = self.facts.class;
        let opt = if rel.nullable { " | None" } else { "" };
        let one_to_one = rel.kind == RelationKind::OneToOne;
        let target_id = rel.target_id.row();
        for name in target_id.column_imports {
            self.imports.model.uses(name);
        }
        let mut column_args: Vec<String> = target_id
            .column_type
            .iter()
            .map(|t| t.to_string())
            .collect();
        column_args.push(format!(
            "ForeignKey(\"{}.id\", ondelete={})",
            rel.target_table,
            python::string(rel.on_delete.sql())
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
        if shared_target {
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
            self.type_checking
                .push((rel.target_module.clone(), rel.target_class.clone()));
        }
        (model_decl, relationship_decl)
    }

    /// The Create and Update declarations of a reference's `column`.
    fn reference_schema(&mut self, rel: &RelationPlan, column: &str) -> (String, String) {
        let opt = if rel.nullable { " | None" } else { "" };
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
            self.imports.schema.uses("Field");
        }
        let (module, body) = body_type_import(rel.target_id);
        self.imports.schema.from(&module, &body);
        (
            schema_decl(column, &format!("{body}{opt}"), create_args),
            schema_decl(column, &format!("{body} | None"), update_args),
        )
    }

    /// What the tests need of a reference: the parent row a sample needs,
    /// the invalid bodies (missing, no such row, malformed id), and the
    /// `on_delete` case.
    fn reference_tests(&mut self, rel: &RelationPlan, column: &str, target_id: &IdRow) {
        let one_to_one = rel.kind == RelationKind::OneToOne;
        let factory = rel
            .target_snake
            .as_ref()
            .map(|s| format!("create_{s}"))
            .unwrap_or_default();
        if !rel.nullable {
            self.not_null.push(python::string(column));
            let reuse = self
                .tests
                .parents
                .iter()
                .find(|p: &&Parent| {
                    p.factory == factory && p.reuse.is_none() && !factory.is_empty() && !p.unique
                })
                .map(|p| p.column.clone())
                .filter(|_| !one_to_one);
            self.tests.parents.push(Parent {
                column: column.to_owned(),
                factory: factory.clone(),
                reuse,
                unique: one_to_one,
            });
        }
        // Its kind adds the ids of no row's type, and a boolean.
        let (kind, _) = reference_kinds(target_id.kind);
        self.invalid.push(
            InvalidCall::new(kind, column, !rel.nullable).case("no-such-row", target_id.missing_py),
        );
        let parent = Parent {
            column: column.to_owned(),
            factory: factory.clone(),
            reuse: None,
            unique: one_to_one,
        };
        if rel.target_owned {
            self.tests.owned_targets.push(parent.clone());
        }
        if one_to_one {
            self.tests.one_to_one.push(parent.clone());
        }
        if rel.target_snake.is_some() {
            self.tests.deletions.push(deletion(rel, column, factory));
        }
        if rel.target_class == self.facts.class {
            self.tests.self_references.push(column.to_owned());
        }
        self.tests.references.push(parent);
    }

    /// A reference's column, foreign key and unique constraint or index in
    /// the table.
    fn reference_table(&mut self, rel: &RelationPlan, column: &str) {
        if rel.target_table != "users" {
            self.target_tables.push(rel.target_table.clone());
        }
        self.table.columns.push(schema::Column::new(
            column,
            rel.target_id.sql_type(),
            rel.nullable,
        ));
        self.table.foreign_keys.push(schema::ForeignKey {
            column: column.to_owned(),
            target: rel.target_table.clone(),
            on_delete: rel.on_delete.sql().to_owned(),
        });
        if rel.kind == RelationKind::OneToOne {
            self.table.uniques.push(column.to_owned());
            self.unique_fields
                .push((column.to_owned(), column.to_owned()));
        } else {
            self.table.indexes.push(column.to_owned());
        }
    }

    /// Lays out a `one_to_many` or `many_to_many` relation `rel`: a
    /// relationship, the condition of the nested list, and for
    /// many-to-many the association table and the `*_ids` body field.
    pub(crate) fn collection(&mut self, rel: &RelationPlan, inverses: &Inverses) -> Collection {
        let class = self.facts.class;
        let target = rel.target_class.as_str();
        let target_snake = rel.target_snake.clone().unwrap_or_default();
        if target != class {
            self.type_checking
                .push((rel.target_module.clone(), target.to_owned()));
        }
        self.service_targets
            .push((rel.target_module.clone(), target.to_owned()));
        let id = rel.target_id.row();
        let mut c = Collection {
            name: rel.name.clone(),
            words: names::words(&rel.name).to_lowercase(),
            many_to_many: rel.kind == RelationKind::ManyToMany,
            target_class: target.to_owned(),
            target_words: names::words(&target_snake),
            relationship_decl: String::new(),
            where_fn: format!("{}_of", rel.name),
            where_def: call(
                &format!("def {}_of", rel.name),
                &[format!("{}: {class}", self.facts.snake)],
                " -> ColumnElement[bool]:",
                0,
            ),
            where_return: String::new(),
            ids_field: String::new(),
            association: String::new(),
            association_decl: String::new(),
            target_id_param: format!("{target_snake}_id"),
            target_id_type: id.python.to_owned(),
            target_id_path: id.path.to_owned(),
            target_missing: id.missing.to_owned(),
            target_missing_py: id.missing_py.to_owned(),
            missing_link_check: missing_link_check(id.missing),
            segment: format!("/{}", names::kebab(&rel.name)),
            create_decl: String::new(),
            update_decl: String::new(),
            read_decl: String::new(),
            target_factory: format!("create_{target_snake}"),
            via_column: String::new(),
            child_offset: if target == class { " + 2" } else { "" }.to_owned(),
            target_url: format!("/{}", names::kebab(&rel.target_table)),
            target_owned: rel.target_owned,
            target_soft: rel.target_soft,
            ids_return: String::new(),
        };
        if c.many_to_many {
            self.many_to_many(rel, &mut c);
        } else {
            one_to_many(rel, &mut c, class, self.facts.snake, inverses);
        }
        c
    }

    /// The many-to-many parts of `c`: association table, relationship,
    /// link condition, `*_ids` handling in the service and the schemas, and
    /// the invalid `*_ids` bodies of the tests.
    fn many_to_many(&mut self, rel: &RelationPlan, c: &mut Collection) {
        let (class, snake) = (self.facts.class, self.facts.snake);
        let target = rel.target_class.as_str();
        let assoc = format!("{snake}_{}", rel.name);
        let left = format!("{snake}_id");
        let right = c.target_id_param.clone();
        let target_id = rel.target_id.row();
        for name in self
            .own_id
            .column_imports
            .iter()
            .chain(target_id.column_imports)
        {
            self.imports.model.uses(name);
        }
        c.association_decl = call(
            &format!("{assoc} = Table"),
            &[
                python::string(&assoc),
                "Base.metadata".into(),
                association_column(&left, self.facts.plural, self.own_id, false),
                association_column(&right, &rel.target_table, target_id, true),
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
        c.ids_return = ids_return(rel);
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
        c.read_decl = format!("{ids}: list[{}]", target_id.python);
        // Its kind adds lists of ids of no row's type, and a string.
        let (_, kind) = reference_kinds(target_id.kind);
        let no_such_row = format!("[{}]", target_id.missing_py);
        self.invalid
            .push(InvalidCall::new(kind, &ids, false).case("no-such-row", no_such_row));
        self.not_null.push(python::string(&ids));
        self.many_to_many_imports(rel);
        self.load.push(format!("{class}.{}", rel.name));
        self.extra_tables
            .push(association_table(&assoc, &left, &right, self, rel));
        c.ids_field = ids;
        c.association = assoc;
    }

    /// Imports a many-to-many relation adds to the models and schemas (the
    /// service's are in [`super::service`]).
    fn many_to_many_imports(&mut self, rel: &RelationPlan) {
        let target_id = rel.target_id.row();
        let (module, body) = body_type_import(rel.target_id);
        self.imports.schema.from(&module, &body).uses("Field");
        for name in target_id.python_imports {
            self.imports.schema.uses(name);
            self.imports.model.uses(name);
        }
        self.imports
            .model
            .uses("Column")
            .uses("ForeignKey")
            .uses("Table");
    }
}

/// What the `on_delete` test of a reference expects when its target goes.
fn deletion(rel: &RelationPlan, column: &str, factory: String) -> Deletion {
    // A soft delete only marks the target: no ON DELETE action runs.
    let action = (!rel.target_soft).then_some(rel.on_delete);
    let after = match action {
        Some(OnDelete::Cascade) => "assert_problem(after, 404)".to_owned(),
        Some(OnDelete::SetNull) => {
            format!("assert after.json()[{}] is None", python::string(column))
        }
        _ => format!(
            "assert after.json()[{}] == target[\"id\"]",
            python::string(column)
        ),
    };
    Deletion {
        column: column.to_owned(),
        factory,
        target_url: format!("/{}", names::kebab(&rel.target_table)),
        status: if action == Some(OnDelete::Restrict) {
            409
        } else {
            204
        },
        after,
    }
}

/// The one-to-many parts of `c`: relationship (back-populating `via`) and
/// the nested list's condition.
fn one_to_many(
    rel: &RelationPlan,
    c: &mut Collection,
    class: &str,
    snake: &str,
    inverses: &Inverses,
) {
    let target = rel.target_class.as_str();
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

/// The Read schema's `return sorted(...)` of a many-to-many relation's
/// ids (live rows only when the target's deletion is soft), at 8 spaces.
fn ids_return(rel: &RelationPlan) -> String {
    let generator = if rel.target_soft {
        format!(
            "row.id for row in self.{} if row.deleted_at is None",
            rel.name
        )
    } else {
        format!("row.id for row in self.{}", rel.name)
    };
    if 8 + "return sorted()".len() + generator.len() <= python::LINE_LENGTH {
        format!("return sorted({generator})")
    } else {
        format!("return sorted(\n            {generator}\n        )")
    }
}

/// One `Column(...)` of an association table (without its trailing
/// comma), at 4 spaces: a key part pointing at `table.id`.
fn association_column(name: &str, table: &str, id: &IdRow, index: bool) -> String {
    let mut args = vec![python::string(name)];
    args.extend(id.column_type.iter().map(|t| t.to_string()));
    args.push(format!("ForeignKey(\"{table}.id\", ondelete=\"CASCADE\")"));
    args.push("primary_key=True".to_owned());
    if index {
        args.push("index=True".into());
    }
    let laid = call("Column", &args, ",", 4);
    laid[..laid.len() - 1].to_owned()
}

/// The schema of a many-to-many association table `assoc`: a composite
/// key of `left` (this resource) and `right` (the target), both cascading.
fn association_table(
    assoc: &str,
    left: &str,
    right: &str,
    b: &Builder,
    rel: &RelationPlan,
) -> schema::Table {
    schema::Table {
        name: assoc.to_owned(),
        columns: vec![
            schema::Column::new(left, b.own_id.kind.sql_type(), false),
            schema::Column::new(right, rel.target_id.sql_type(), false),
        ],
        primary_key: vec![left.to_owned(), right.to_owned()],
        uniques: Vec::new(),
        indexes: vec![right.to_owned()],
        unique_together: Vec::new(),
        composite_indexes: Vec::new(),
        foreign_keys: vec![
            schema::ForeignKey {
                column: left.to_owned(),
                target: b.facts.plural.to_owned(),
                on_delete: "CASCADE".into(),
            },
            schema::ForeignKey {
                column: right.to_owned(),
                target: rel.target_table.clone(),
                on_delete: "CASCADE".into(),
            },
        ],
        renamed_from: None,
    }
}
