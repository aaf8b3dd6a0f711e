//! The import blocks of a resource's modules (models, schemas, service,
//! dependencies, router, hooks, tests): what every resource imports, and
//! what its fields, relations, list and flags add.

use crate::ir::ResourceFacts;
use crate::model::{Collection, NestedList, Relation};
use crate::python::Imports;
use crate::types::IdRow;

/// One import block per generated module of a resource.
#[derive(Default)]
pub(crate) struct ModuleImports {
    /// `models.py`.
    pub(crate) model: Imports,
    /// `schemas.py`.
    pub(crate) schema: Imports,
    /// `dependencies.py`.
    pub(crate) dependency: Imports,
    /// `router.py`.
    pub(crate) router: Imports,
    /// The user's `hooks.py`.
    pub(crate) hooks: Imports,
}

/// What [`ModuleImports::finish`] needs to know beyond the facts.
pub(crate) struct Uses<'a> {
    /// The laid-out references.
    pub(crate) relations: &'a [Relation],
    /// The laid-out collections.
    pub(crate) collections: &'a [Collection],
    /// Lists of this resource under parents.
    pub(crate) nested_lists: &'a [NestedList],
    /// Relationship targets imported for type checking only.
    pub(crate) type_checking: bool,
    /// Resources whose deletion by the database reaches files.
    pub(crate) carriers: &'a std::collections::BTreeSet<String>,
}

impl ModuleImports {
    /// What every resource's modules import, with its id type, timestamps,
    /// soft delete and list query model.
    pub(crate) fn base(facts: &ResourceFacts, own_id: &IdRow) -> Self {
        let r = facts.raw;
        let mut m = ModuleImports::default();
        m.model.uses("Mapped").uses("mapped_column").uses("Base");
        m.schema
            .uses("BaseModel")
            .uses("create_config")
            .uses("StorableText")
            .uses("PatchModel")
            .uses("ReadModel")
            .uses("Sort")
            .uses("sort_schema")
            .uses("Field");
        for (module, name) in &facts.list_imports {
            m.schema.from(module, name);
        }
        if r.timestamps.unwrap_or(true) {
            m.model.uses("TimestampMixin");
            m.schema.uses("datetime");
        }
        if r.owned || r.audit || !facts.relations.is_empty() {
            m.model.uses("ForeignKey");
        }
        for name in own_id.column_imports.iter().chain(own_id.key_imports) {
            m.model.uses(name);
        }
        for name in own_id.python_imports {
            m.schema.uses(name);
        }
        if r.soft_delete {
            m.model.uses("datetime").uses("UTCDateTime");
            m.schema.uses("datetime").uses("IncludeDeleted");
        }
        m.dependencies_and_hooks(facts, own_id);
        m
    }

    /// The blocks of `dependencies.py` and `hooks.py`.
    fn dependencies_and_hooks(&mut self, facts: &ResourceFacts, own_id: &IdRow) {
        let (class, snake) = (facts.class, facts.snake);
        self.dependency
            .uses("Annotated")
            .uses("Depends")
            .from(&format!("app.{snake}"), "service")
            .from(&format!("app.{snake}.models"), class)
            .uses("User")
            .uses("Rule")
            .uses("Access")
            .uses("PathId")
            .uses("Lister")
            .uses(own_id.path);
        self.hooks
            .uses("Hooks")
            .from(&format!("app.{snake}.models"), class)
            .from(&format!("app.{snake}.schemas"), &format!("{class}Create"))
            .from(&format!("app.{snake}.schemas"), &format!("{class}Update"));
    }

    /// What the laid-out relations, composite groups, unique and not-null
    /// checks, list and field permissions add; the router's block.
    pub(crate) fn finish(&mut self, facts: &ResourceFacts, uses: &Uses) {
        if !facts.composites.unique.is_empty() {
            self.model.uses("UniqueConstraint");
        }
        if !crate::table::composite_indexes(facts).is_empty() {
            self.model.uses("Index");
        }
        if !uses.relations.is_empty() || !uses.collections.is_empty() {
            self.model.uses("annotations").uses("relationship");
        }
        if uses.type_checking {
            self.model.uses("TYPE_CHECKING");
        }
        self.router(facts, uses);
    }

    /// The block of `router.py`.
    fn router(&mut self, facts: &ResourceFacts, uses: &Uses) {
        let (class, snake) = (facts.class, facts.snake);
        let deps = format!("app.{snake}.dependencies");
        let schemas = format!("app.{snake}.schemas");
        let readers = facts.fields.iter().any(|f| f.raw.read.is_some());
        self.router
            .uses("APIRouter")
            .uses("CurrentUser")
            .uses("SessionDep")
            .uses("Endpoints")
            .uses("Lists")
            .from(&format!("app.{snake}"), "routes")
            .from(&format!("app.{snake}"), "service")
            .from(&deps, "Creator")
            .from(&deps, "access")
            .from(&deps, &format!("{class}ForDelete"))
            .from(&deps, &format!("{class}ForRead"))
            .from(&deps, &format!("{class}ForUpdate"))
            .from(&schemas, &format!("{class}Create"))
            .from(&schemas, &format!("{class}Filters"))
            .from(&schemas, &format!("{class}Page"))
            .from(&schemas, &format!("{class}Read"))
            .from(&schemas, &format!("{class}Update"));
        if facts.cache.is_some() {
            self.router.uses("CachePolicy");
        }
        if let Some(reads) = crate::layout::api::anonymous_reads(facts, readers) {
            self.router.uses(reads);
        }
        if !facts.events.is_empty() {
            self.router.uses("WebSocket").uses("LiveFeed");
        }
        if facts.raw.soft_delete {
            self.router.from(&deps, &format!("{class}ForRestore"));
        }
        if readers {
            self.router
                .from(&deps, "FIELD_READERS")
                .uses("OptionalUser");
        } else {
            self.router.from(&format!("app.{snake}.models"), class);
        }
        if facts.fields.iter().any(|f| f.raw.write.is_some()) {
            self.router.from(&deps, "FIELD_WRITERS");
        }
        for n in uses.nested_lists {
            let parent_module = format!("app.{}", n.parent_snake);
            self.router.from(
                &format!("{parent_module}.dependencies"),
                &format!("{}ForRead", n.parent_class),
            );
            if n.parent_class != class {
                self.router.from(
                    &parent_module,
                    &format!("service as {}_service", n.parent_snake),
                );
            }
        }
        for c in uses.collections.iter().filter(|c| c.many_to_many) {
            self.router.uses(&c.target_id_path);
        }
        if !crate::layout::uploads::cascading_columns(facts, uses.carriers).is_empty() {
            self.router
                .uses("deleted_with")
                .from(&format!("app.{snake}.models"), class);
        }
        if facts.fields.iter().any(|f| f.row.ty.is_upload()) {
            self.router
                .uses("FileField")
                .uses("FileRoutes")
                .from(&deps, "access")
                .from(&format!("app.{snake}.models"), class);
        }
    }
}
