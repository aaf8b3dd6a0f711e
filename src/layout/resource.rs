//! Lays out one resource: [`lay_out_resource`] takes its [`ResourceFacts`]
//! and returns the Python declarations, imports and table the templates and
//! the schema need, plus the test data [`crate::testplan`] finishes once
//! every resource is laid out. Relations are laid out in
//! [`crate::layout::relations`], import blocks in [`crate::layout::imports`],
//! per-resource test data in [`crate::testplan::resource`].

use std::collections::{BTreeMap, BTreeSet};

use crate::check::AUDIT_COLUMNS;
use crate::check::relations::{Inverses, RelationPlan};
use crate::ir::ResourceFacts;
use crate::layout::assemble::{Parts, assemble};
use crate::layout::field::lay_out_field;
use crate::layout::imports::{ModuleImports, Uses};
use crate::model::{Deletion, EnumType, Field, Parent, Resource};
use crate::names;
use crate::python::{self, call};
use crate::schema;
use crate::testplan::values::InvalidCall;
use crate::testplan::{SAMPLES, Standing};
use crate::types::IdRow;

/// A resource laid out: the model part plus what later passes need.
pub(crate) struct Resolved {
    /// The resource's key as written in the spec.
    pub(crate) key: String,
    /// Its table.
    pub(crate) table: schema::Table,
    /// What the templates see.
    pub(crate) resource: Resource,
    /// All relations' target tables, for table ordering.
    pub(crate) target_tables: Vec<String>,
    /// Association tables of its many-to-many relations.
    pub(crate) extra_tables: Vec<schema::Table>,
}

/// The columns, constraints and foreign keys of a resource's table,
/// gathered as its fields and relations are laid out.
#[derive(Default)]
pub(crate) struct TableParts {
    /// Columns in table order, `id` first.
    pub(crate) columns: Vec<schema::Column>,
    /// Columns with a unique constraint.
    pub(crate) uniques: Vec<String>,
    /// Columns with a plain index.
    pub(crate) indexes: Vec<String>,
    /// Foreign keys in column order.
    pub(crate) foreign_keys: Vec<schema::ForeignKey>,
}

/// What a resource's relations give its tests.
#[derive(Default)]
pub(crate) struct RelationTests {
    /// Required relations the factory fills.
    pub(crate) parents: Vec<Parent>,
    /// Relations whose target rows are owned.
    pub(crate) owned_targets: Vec<Parent>,
    /// Every reference, for the 422 on a missing id.
    pub(crate) references: Vec<Parent>,
    /// References to resources, for the `on_delete` tests.
    pub(crate) deletions: Vec<Deletion>,
    /// One-to-one columns, for the uniqueness tests.
    pub(crate) one_to_one: Vec<Parent>,
    /// Columns referencing the resource itself, which a row may not set
    /// to its own id.
    pub(crate) self_references: Vec<String>,
}

/// The state of laying out one resource: its facts, and what the fields
/// and relations add to imports, the table and the tests as they go.
pub(crate) struct Builder<'a> {
    /// The resource's facts.
    pub(crate) facts: &'a ResourceFacts<'a>,
    /// The row of its `id:` type.
    pub(crate) own_id: &'static IdRow,
    /// Import blocks of its modules.
    pub(crate) imports: ModuleImports,
    /// Its table.
    pub(crate) table: TableParts,
    /// Association tables of its many-to-many relations.
    pub(crate) extra_tables: Vec<schema::Table>,
    /// Quoted attributes an update may not set to null.
    pub(crate) not_null: Vec<String>,
    /// Unique fields and one-to-one columns: (Python attribute, JSON name).
    pub(crate) unique_fields: Vec<(String, String)>,
    /// The invalid create bodies, a call of `tests/kit/invalid.py` a field.
    pub(crate) invalid: Vec<InvalidCall>,
    /// Whether an update must refuse some of `invalid` (all but the
    /// missing values: `InvalidUpdateTests` in the tests).
    pub(crate) invalid_on_update: bool,
    /// `pytest.param(...)` lines of values at each bound.
    pub(crate) boundaries: Vec<String>,
    /// `pytest.param(...)` lines of values stored in another spelling.
    pub(crate) spellings: Vec<String>,
    /// `(module, class)` imported only for type checking (relationship targets).
    pub(crate) type_checking: Vec<(String, String)>,
    /// Relationships every response shows (`Post.tags`), loaded with each query.
    pub(crate) load: Vec<String>,
    /// (module, class) of the other resources the service names.
    pub(crate) service_targets: Vec<(String, String)>,
    /// Tables its references point at (not `users`).
    pub(crate) target_tables: Vec<String>,
    /// What its relations give the tests.
    pub(crate) tests: RelationTests,
    /// How many distinct sample rows its unique fields allow.
    pub(crate) capacity: usize,
    /// Where every resource stands, for the tests (by class name).
    pub(crate) standings: &'a BTreeMap<String, Standing>,
    /// The role signup gives.
    pub(crate) default_role: &'a str,
    /// Class names of the resources whose rows hold files or are deleted
    /// with rows that do ([`crate::layout::uploads::file_carriers`]).
    pub(crate) carriers: &'a BTreeSet<String>,
}

impl<'a> Builder<'a> {
    /// Starts laying out `facts`: the `id` column and the imports every
    /// resource's modules have.
    fn new(
        facts: &'a ResourceFacts<'a>,
        standings: &'a BTreeMap<String, Standing>,
        default_role: &'a str,
        carriers: &'a BTreeSet<String>,
    ) -> Self {
        let own_id = crate::check::resources::id_kind(facts.raw).row();
        Builder {
            facts,
            own_id,
            imports: ModuleImports::base(facts, own_id),
            table: TableParts {
                columns: vec![schema::Column::new("id", own_id.kind.sql_type(), false)],
                ..TableParts::default()
            },
            extra_tables: Vec::new(),
            not_null: Vec::new(),
            unique_fields: Vec::new(),
            invalid: Vec::new(),
            invalid_on_update: false,
            boundaries: Vec::new(),
            spellings: Vec::new(),
            type_checking: Vec::new(),
            load: Vec::new(),
            service_targets: Vec::new(),
            target_tables: Vec::new(),
            tests: RelationTests::default(),
            capacity: SAMPLES,
            standings,
            default_role,
            carriers,
        }
    }

    /// `id: Mapped[...] = mapped_column(...)` of the model, at 4 spaces.
    fn id_decl(&self) -> String {
        let own_id = self.own_id;
        let mut id_args: Vec<String> = own_id.column_type.iter().map(|t| t.to_string()).collect();
        id_args.push("primary_key=True".into());
        id_args.extend(own_id.key_args.iter().map(|a| a.to_string()));
        call(
            &format!("id: Mapped[{}] = mapped_column", own_id.python),
            &id_args,
            "",
            4,
        )
    }

    /// Lays out every field: declarations, enum classes, columns and test cases.
    fn fields(&mut self) -> (Vec<Field>, Vec<EnumType>) {
        let (class, snake) = (self.facts.class, self.facts.snake);
        let mut enums = Vec::new();
        let mut out = Vec::new();
        for f in &self.facts.fields {
            let laid = lay_out_field(
                f,
                class,
                &format!("app.{snake}.models"),
                &mut self.imports.model,
                &mut self.imports.schema,
                &mut enums,
            );
            if f.raw.unique {
                self.unique_fields.push((f.attr.clone(), f.name.clone()));
                self.capacity = self.capacity.min(f.samples_cache.len());
                self.table.uniques.push(f.name.clone());
            } else if f.raw.index {
                self.table.indexes.push(f.name.clone());
            }
            self.table.columns.push(laid.column);
            self.not_null.extend(laid.not_null);
            if laid.invalid.refuses_any() {
                self.invalid.push(laid.invalid);
            }
            self.invalid_on_update |= laid.invalid_on_update;
            self.boundaries.extend(laid.boundaries);
            self.spellings.extend(laid.spellings);
            out.push(laid.field);
        }
        (out, enums)
    }

    /// The columns `owned`, `audit`, `timestamps` and `soft_delete` add,
    /// with their keys, indexes, imports and (audit) invalid bodies.
    fn generated_columns(&mut self) {
        let r = self.facts.raw;
        if r.owned {
            self.user_key("owner_id", false, "CASCADE");
        }
        if r.audit {
            for name in AUDIT_COLUMNS {
                self.user_key(name, true, "SET NULL");
                let refused = InvalidCall::new("given", name, false).case("not-accepted", "1");
                self.invalid.push(refused);
            }
        }
        if r.timestamps.unwrap_or(true) {
            for name in ["created_at", "updated_at"] {
                let column = schema::Column::new(name, schema::SqlType::DateTime, false);
                self.table.columns.push(column);
            }
        }
        if r.soft_delete {
            let column = schema::Column::new("deleted_at", schema::SqlType::DateTime, true);
            self.table.columns.push(column);
            self.table.indexes.push("deleted_at".into());
        }
    }

    /// An indexed column `name` pointing at `users.id`.
    fn user_key(&mut self, name: &str, nullable: bool, on_delete: &str) {
        let column = schema::Column::new(name, schema::SqlType::Integer, nullable);
        self.table.columns.push(column);
        self.table.foreign_keys.push(schema::ForeignKey {
            column: name.into(),
            target: "users".into(),
            on_delete: on_delete.into(),
        });
        self.table.indexes.push(name.into());
    }

    /// The column expressions (`Review.product_id`) of each unique group,
    /// for the service's repository.
    fn unique_together(&self, groups: &[Vec<String>]) -> Vec<Vec<String>> {
        let class = self.facts.class;
        let attr = |c: &String| -> String {
            let f = self.facts.fields.iter().find(|f| f.name == *c);
            format!("{class}.{}", f.map_or(c, |f| &f.attr))
        };
        groups
            .iter()
            .map(|g| g.iter().map(attr).collect())
            .collect()
    }

    /// The finished table of the resource, with its composite groups.
    fn table(&mut self, unique_groups: Vec<Vec<String>>) -> schema::Table {
        let parts = std::mem::take(&mut self.table);
        schema::Table {
            name: self.facts.plural.to_owned(),
            columns: parts.columns,
            primary_key: vec!["id".to_owned()],
            uniques: parts.uniques,
            indexes: parts.indexes,
            foreign_keys: parts.foreign_keys,
            unique_together: unique_groups,
            composite_indexes: crate::table::composite_indexes(self.facts),
            renamed_from: self
                .facts
                .raw
                .renamed_from
                .as_ref()
                .map(|old| names::plural(&names::snake(old))),
        }
    }
}

/// Class names more than one reference of a resource points at: their
/// relationships name their `foreign_keys`.
fn shared_targets(relations: &[RelationPlan]) -> BTreeSet<&str> {
    let mut seen = BTreeSet::new();
    let mut shared = BTreeSet::new();
    for rel in relations {
        if !seen.insert(rel.target_class.as_str()) {
            shared.insert(rel.target_class.as_str());
        }
    }
    shared
}

/// Lays out one resource: declarations, imports, table and test data.
/// `default_role` is the role signup gives (for the access rules);
/// `standings` says where every resource stands for the tests; `carriers`
/// names the resources whose deletion by the database reaches files.
pub(crate) fn lay_out_resource(
    facts: &ResourceFacts,
    inverses: &Inverses,
    default_role: &str,
    standings: &BTreeMap<String, Standing>,
    carriers: &BTreeSet<String>,
) -> Resolved {
    let mut b = Builder::new(facts, standings, default_role, carriers);
    let id_decl = b.id_decl();
    let (fields, enums) = b.fields();
    let mut shared = shared_targets(&facts.relations);
    // `owner_id` and the audit columns point at users too: a relation to
    // User is then one of several foreign keys to the same table.
    if facts.raw.owned || facts.raw.audit {
        shared.insert("User");
    }
    let relations: Vec<_> = facts
        .relations
        .iter()
        .map(|rel| b.reference(rel, inverses, shared.contains(rel.target_class.as_str())))
        .collect();
    let collections: Vec<_> = facts
        .collections
        .iter()
        .map(|rel| b.collection(rel, inverses))
        .collect();
    b.generated_columns();
    b.capacity = b.capacity.min(facts.composites.capacity);
    let unique_groups: Vec<Vec<String>> = facts
        .composites
        .unique
        .iter()
        .map(|(g, _)| g.clone())
        .collect();
    let table_args = table_args(&unique_groups, &crate::table::composite_indexes(facts));
    let unique_together = b.unique_together(&unique_groups);
    let nested_lists = inverses
        .nested
        .get(facts.class)
        .cloned()
        .unwrap_or_default();
    let uses = Uses {
        relations: &relations,
        collections: &collections,
        nested_lists: &nested_lists,
        type_checking: !b.type_checking.is_empty(),
        carriers,
    };
    b.imports.finish(facts, &uses);
    let plan = crate::testplan::resource::plan(&mut b, &unique_groups, &collections);
    let table = b.table(unique_groups);
    let parts = Parts {
        id_decl,
        fields,
        enums,
        relations,
        collections,
        nested_lists,
        table_args,
        unique_together,
    };
    assemble(b, parts, plan, table)
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
