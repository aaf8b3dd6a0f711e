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
    /// `service.py`.
    pub(crate) service: Imports,
    /// The tests module.
    pub(crate) test: Imports,
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
    /// Some field or one-to-one column is unique.
    pub(crate) unique_fields: bool,
    /// Some attribute may not be set to null on update.
    pub(crate) not_null: bool,
    /// Some field has boundary test cases.
    pub(crate) boundaries: bool,
}

impl ModuleImports {
    /// What every resource's modules import, with its id type, timestamps,
    /// soft delete and list query model.
    pub(crate) fn base(facts: &ResourceFacts, own_id: &IdRow) -> Self {
        let (class, snake, r) = (facts.class, facts.snake, facts.raw);
        let mut m = ModuleImports::default();
        m.model
            .from("sqlalchemy.orm", "Mapped")
            .from("sqlalchemy.orm", "mapped_column")
            .from("app.database", "Base");
        m.schema
            .from("pydantic", "BaseModel")
            .from("pydantic", "ConfigDict")
            .from("pydantic", "Field")
            .from("pydantic", "field_validator")
            .from("app.schemas", "SafeStr")
            .from("app.schemas", "check_sort");
        for (module, name) in &facts.list_imports {
            m.schema.from(module, name);
        }
        let schemas = format!("app.{snake}.schemas");
        m.service
            .from("collections.abc", "Sequence")
            .from("typing", "Any")
            .from("sqlalchemy", "ColumnElement")
            .from("sqlalchemy", "select")
            .from("sqlalchemy.orm", "InstrumentedAttribute")
            .from("app.database", "order_by")
            .from("sqlalchemy.ext.asyncio", "AsyncSession")
            .from(&format!("app.{snake}.models"), class)
            .from(&schemas, &format!("{class}Create"))
            .from(&schemas, &format!("{class}ListQuery"))
            .from(&schemas, &format!("{class}Update"));
        m.test
            .from("typing", "Any")
            .module("pytest")
            .from("httpx", "AsyncClient")
            .from("tests.helpers", "AuthUser")
            .from("tests.helpers", "MISSING")
            .from("tests.factories", &format!("create_{snake}"))
            .from("tests.factories", &format!("{snake}_payload"));
        if r.timestamps.unwrap_or(true) {
            m.model.from("app.database", "TimestampMixin");
            m.schema.from("datetime", "datetime");
        }
        if r.owned || r.audit || !facts.relations.is_empty() {
            m.model.from("sqlalchemy", "ForeignKey");
        }
        for (module, name) in own_id.column_imports.iter().chain(own_id.key_imports) {
            m.model.from(module, name);
        }
        for (module, name) in own_id.python_imports {
            m.schema.from(module, name);
            m.service.from(module, name);
        }
        if r.soft_delete {
            m.model
                .from("datetime", "datetime")
                .from("app.database", "UTCDateTime");
            m.schema.from("datetime", "datetime");
            m.service.from("app.database", "utc_now");
        }
        m.dependencies_and_hooks(facts, own_id);
        m
    }

    /// The blocks of `dependencies.py` and `hooks.py`.
    fn dependencies_and_hooks(&mut self, facts: &ResourceFacts, own_id: &IdRow) {
        let (class, snake) = (facts.class, facts.snake);
        self.dependency
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
            self.dependency.from(module, name);
        }
        if facts.raw.soft_delete {
            self.dependency
                .from("app.auth.dependencies", "CurrentUser")
                .from("app.auth.permissions", "require_admin");
        }
        self.hooks
            .module("logging")
            .from("sqlalchemy.ext.asyncio", "AsyncSession")
            .from(&format!("app.{snake}.models"), class)
            .from(&format!("app.{snake}.schemas"), &format!("{class}Create"))
            .from(&format!("app.{snake}.schemas"), &format!("{class}Update"))
            .from("app.auth.models", "User");
    }

    /// What the laid-out relations, composite groups, unique and not-null
    /// checks, list and field permissions add; the router's block.
    pub(crate) fn finish(&mut self, facts: &ResourceFacts, uses: &Uses) {
        if !facts.composites.unique.is_empty() {
            self.model.from("sqlalchemy", "UniqueConstraint");
            self.service.from("app.database", "ensure_unique_together");
        }
        if !facts.composites.indexes.is_empty() {
            self.model.from("sqlalchemy", "Index");
        }
        if !uses.relations.is_empty() {
            self.service.from("app.database", "ensure_exists");
        }
        if !uses.relations.is_empty() || !uses.collections.is_empty() {
            self.model
                .from("__future__", "annotations")
                .from("sqlalchemy.orm", "relationship");
        }
        if uses.type_checking {
            self.model.from("typing", "TYPE_CHECKING");
        }
        if uses.unique_fields {
            self.service.from("app.database", "ensure_unique");
        }
        if uses.not_null {
            self.schema
                .from("pydantic", "field_validator")
                .from("app.schemas", "reject_null");
        }
        self.service
            .from(&format!("app.{}", facts.snake), "hooks")
            .from("app.auth.models", "User");
        self.list(facts, uses.boundaries);
        self.router(facts, uses);
        self.test
            .from(&format!("app.{}", facts.snake), "hooks")
            .from("tests.helpers", "recording");
    }

    /// What the list's search, pagination and filters add.
    fn list(&mut self, facts: &ResourceFacts, boundaries: bool) {
        let list = &facts.list;
        if !list.search.is_empty() {
            self.service.from("sqlalchemy", "or_");
        }
        if list.cursor {
            self.service
                .from("app.pagination", "after")
                .from("app.pagination", "row_keys");
            self.router
                .from("typing", "Any")
                .from("app.pagination", "CursorSecret")
                .from("app.pagination", "decode_cursor")
                .from("app.pagination", "encode_cursor");
        } else {
            self.service.from("sqlalchemy", "func");
        }
        if list.filters.iter().any(|(p, _)| p.ends_with("__isnull")) {
            self.service.from("app.database", "is_null");
        }
        if !list.filter_cases.is_empty() || !list.sort_cases.is_empty() || boundaries {
            self.test.from("decimal", "Decimal");
        }
    }

    /// The block of `router.py`.
    fn router(&mut self, facts: &ResourceFacts, uses: &Uses) {
        let (class, snake) = (facts.class, facts.snake);
        let deps = format!("app.{snake}.dependencies");
        let schemas = format!("app.{snake}.schemas");
        self.router
            .from("collections.abc", "Sequence")
            .from("fastapi", "APIRouter")
            .from(&format!("app.{snake}"), "routes")
            .from(&format!("app.{snake}"), "service")
            .from(&deps, "Creator")
            .from(&deps, "ReadScope")
            .from(&deps, &format!("{class}ForDelete"))
            .from(&deps, &format!("{class}ForRead"))
            .from(&deps, &format!("{class}ForUpdate"))
            .from(&schemas, &format!("{class}Create"))
            .from(&schemas, &format!("{class}Page"))
            .from(&schemas, &format!("{class}Read"))
            .from(&schemas, &format!("{class}Update"))
            .from("app.auth.dependencies", "CurrentUser")
            .from("app.database", "SessionDep")
            .from("app.errors", "responses")
            .from("typing", "Annotated")
            .from("fastapi", "Query")
            .from(&schemas, &format!("{class}ListQuery"))
            .from(&format!("app.{snake}.models"), class);
        if facts.raw.soft_delete {
            self.router
                .from(&deps, &format!("{class}ForRestore"))
                .from("app.auth.dependencies", "OptionalUser")
                .from("app.auth.permissions", "require_admin");
        }
        if facts.fields.iter().any(|f| f.raw.read.is_some()) {
            self.router
                .from(&deps, "FIELD_READERS")
                .from("app.auth.dependencies", "OptionalUser")
                .from("app.auth.models", "User")
                .from("app.auth.permissions", "hidden_fields");
        }
        if facts.fields.iter().any(|f| f.raw.write.is_some()) {
            self.router
                .from(&deps, "FIELD_WRITERS")
                .from("app.auth.permissions", "check_writable");
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
            self.router.from("app.schemas", &c.target_id_path);
        }
    }
}
