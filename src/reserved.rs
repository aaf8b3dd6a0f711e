//! Every word a spec name can collide with, in one table of
//! (name, class, reason) rows: Python's keywords and constants, the names
//! the generated class bodies use, attributes Pydantic and SQLAlchemy put on
//! every model, the module names of the generated project, the columns gen
//! generates, the built-in User's fields, the query parameters of lists,
//! and the variables and classes the generated modules use.
//!
//! Checking asks this table (through [`lookup`] and the functions below)
//! whether a resource, field or relation name is usable and, if not, why;
//! [`crate::names::attribute`] asks it which fields get a trailing `_`.
//! Sources: Python's language reference, 2.3.1 "Keywords" and 2.3.2 "Soft
//! Keywords" (`keyword.kwlist`, `keyword.softkwlist`); "Built-in
//! Constants" of the library reference; the templates under `templates/`
//! (`tests/names.rs` keeps [`Class::ClassBody`], [`Class::Module`],
//! [`Class::Variable`] and [`Class::ClassName`] in step with what they
//! generate). SQL reserved words are not here: SQLAlchemy and the
//! migrations quote every identifier that needs it.

/// What kind of word a reserved name is; says what using it would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A hard keyword: never an identifier (`class`, `None`).
    Keyword,
    /// A built-in constant that is not a keyword (`NotImplemented`): a
    /// class of that name would shadow it.
    Constant,
    /// A soft keyword (`match`, `type`): a keyword only at the start of its
    /// statement, so an ordinary name everywhere gen puts names. Listed
    /// to record that it was considered; nothing refuses it.
    SoftKeyword,
    /// A name the class bodies of the generated models and schemas refer to
    /// while Python runs them; an attribute of that name would shadow it for
    /// the declarations after it (and for mypy, in the whole class).
    ClassBody,
    /// A method Pydantic's `BaseModel` still has from Pydantic 1; a field
    /// of that name shadows it (a warning, an error under pytest's
    /// `filterwarnings = error`).
    Pydantic,
    /// An attribute SQLAlchemy's declarative base sets on every model.
    SqlAlchemy,
    /// A module of the generated `app` and `tests` packages (or the
    /// built-in user model's): no resource package may take its name.
    Module,
    /// A column every resource's model may define itself (`owned`,
    /// `timestamps`, `soft_delete`, `audit`): reserved whether or not the
    /// resource uses it, for fields, relations' columns and examples.
    Column,
    /// A field the built-in User already has, or its endpoints take: no
    /// `auth.user_fields` entry may take it.
    UserField,
    /// A query parameter every list takes: no filter may shadow it.
    QueryParameter,
    /// A name the generated functions of a resource (service,
    /// dependencies, router, hooks, factories) use for their own
    /// parameters and variables, or for modules and functions they call,
    /// next to the variable that holds a row (`post`): a resource whose
    /// snake_case name is one would shadow it. The row's id is
    /// `<name>_id`, so `owner_id` also rules out `owner`. The reason says
    /// what the name holds.
    Variable,
    /// A class-like name the generated modules of a resource (models,
    /// schemas, service, dependencies, router, tests, factories,
    /// `app/models.py`) import or define: neither an enum class nor a
    /// resource's class may take one, it would shadow the import. The
    /// reason is where it comes from.
    ClassName,
}

impl Class {
    /// How messages name the class: "`x` is {what}".
    pub const fn what(self) -> &'static str {
        match self {
            Class::Keyword => "a Python keyword",
            Class::Constant => "a Python built-in constant",
            Class::SoftKeyword => "a Python soft keyword",
            Class::ClassBody => "a name the generated classes use in their declarations",
            Class::Pydantic => "an attribute of Pydantic models",
            Class::SqlAlchemy => "an attribute of SQLAlchemy declarative models",
            Class::Module => "a module of the generated project",
            Class::Column => "a column gen generates",
            Class::UserField => "a built-in field of User (or of its endpoints)",
            Class::QueryParameter => "a query parameter of lists",
            Class::Variable => "a name the generated functions use",
            Class::ClassName => "a class the generated modules import or define",
        }
    }
}

/// One reserved word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reserved {
    /// The word, exactly as Python or the generated code spells it.
    pub name: &'static str,
    /// What kind of word it is.
    pub class: Class,
    /// Why it is reserved, for people reading the table and for messages.
    pub reason: &'static str,
}

const fn row(name: &'static str, class: Class, reason: &'static str) -> Reserved {
    Reserved {
        name,
        class,
        reason,
    }
}

use Class::{
    ClassBody, ClassName, Column, Constant, Keyword, Module, Pydantic, QueryParameter, SoftKeyword,
    SqlAlchemy, UserField, Variable,
};

const KEYWORD: &str = "Python's grammar reserves it; it can name nothing";
const TRUTH: &str = "a truth value, so it can name no class, variable or package";
const BUILTIN_TYPE: &str = "a built-in type the annotations use (`Mapped[int]`, `list[str]`)";
const V1: &str = "a Pydantic 1 method `BaseModel` keeps (deprecated)";

/// The table. Names appear once per class; a name may be in several classes.
pub const TABLE: &[Reserved] = &[
    // Python's hard keywords (keyword.kwlist, Python 3.11 to 3.13).
    row("False", Keyword, TRUTH),
    row(
        "None",
        Keyword,
        "the null value, so it can name no class, variable or package",
    ),
    row("True", Keyword, TRUTH),
    row("and", Keyword, KEYWORD),
    row("as", Keyword, KEYWORD),
    row("assert", Keyword, KEYWORD),
    row("async", Keyword, KEYWORD),
    row("await", Keyword, KEYWORD),
    row("break", Keyword, KEYWORD),
    row("class", Keyword, KEYWORD),
    row("continue", Keyword, KEYWORD),
    row("def", Keyword, KEYWORD),
    row("del", Keyword, KEYWORD),
    row("elif", Keyword, KEYWORD),
    row("else", Keyword, KEYWORD),
    row("except", Keyword, KEYWORD),
    row("finally", Keyword, KEYWORD),
    row("for", Keyword, KEYWORD),
    row("from", Keyword, KEYWORD),
    row("global", Keyword, KEYWORD),
    row("if", Keyword, KEYWORD),
    row("import", Keyword, KEYWORD),
    row("in", Keyword, KEYWORD),
    row("is", Keyword, KEYWORD),
    row("lambda", Keyword, KEYWORD),
    row("nonlocal", Keyword, KEYWORD),
    row("not", Keyword, KEYWORD),
    row("or", Keyword, KEYWORD),
    row("pass", Keyword, KEYWORD),
    row("raise", Keyword, KEYWORD),
    row("return", Keyword, KEYWORD),
    row("try", Keyword, KEYWORD),
    row("while", Keyword, KEYWORD),
    row("with", Keyword, KEYWORD),
    row("yield", Keyword, KEYWORD),
    // Built-in constants that are not keywords ("Built-in Constants").
    row(
        "NotImplemented",
        Constant,
        "the value binary methods return for unsupported operands; a class of that name would shadow it",
    ),
    row(
        "Ellipsis",
        Constant,
        "the value of `...`; a class of that name would shadow it",
    ),
    row("__debug__", Constant, "assigning to it is a syntax error"),
    // Soft keywords (keyword.softkwlist): usable as names.
    row("_", SoftKeyword, "a wildcard only in `case` patterns"),
    row("case", SoftKeyword, "a keyword only inside `match`"),
    row(
        "match",
        SoftKeyword,
        "a keyword only at the start of a `match` statement",
    ),
    row(
        "type",
        SoftKeyword,
        "a keyword only at the start of a `type` alias statement",
    ),
    // Names the generated class bodies use (templates/**/models.py and
    // schemas.py; tests/names.rs finds every one).
    row("bool", ClassBody, BUILTIN_TYPE),
    row("dict", ClassBody, BUILTIN_TYPE),
    row("tuple", ClassBody, BUILTIN_TYPE),
    row("float", ClassBody, BUILTIN_TYPE),
    row("int", ClassBody, BUILTIN_TYPE),
    row("list", ClassBody, BUILTIN_TYPE),
    row("object", ClassBody, BUILTIN_TYPE),
    row("str", ClassBody, BUILTIN_TYPE),
    row(
        "classmethod",
        ClassBody,
        "decorates the schemas' validators",
    ),
    row(
        "property",
        ClassBody,
        "decorates computed attributes of the models",
    ),
    row(
        "date",
        ClassBody,
        "imported from `datetime` to annotate date fields",
    ),
    row(
        "datetime",
        ClassBody,
        "imported from `datetime` to annotate timestamps",
    ),
    row(
        "time",
        ClassBody,
        "imported from `datetime` to annotate time fields",
    ),
    row(
        "enum_values",
        ClassBody,
        "the helper that gives Enum columns their stored values",
    ),
    row(
        "field_validator",
        ClassBody,
        "Pydantic's decorator for the schemas' validators",
    ),
    row(
        "mapped_column",
        ClassBody,
        "SQLAlchemy's column declaration",
    ),
    row(
        "relationship",
        ClassBody,
        "SQLAlchemy's relationship declaration",
    ),
    row(
        "utc_now",
        ClassBody,
        "the default of timestamp columns (`app.database`)",
    ),
    row("uuid4", ClassBody, "the default of UUID keys"),
    row(
        "sort_schema",
        ClassBody,
        "the list queries' `sort` schema (`app.kit.pagination`)",
    ),
    row(
        "decimal_schema",
        ClassBody,
        "the decimal fields' OpenAPI schema (`app.schemas`)",
    ),
    row(
        "sort_keys",
        ClassBody,
        "the list queries' sort keys, which their `sort` schema reads",
    ),
    row(
        "create_config",
        ClassBody,
        "the create schemas' `model_config` (`app.kit.schemas`)",
    ),
    // Pydantic 1 methods BaseModel still has.
    row("construct", Pydantic, V1),
    row("copy", Pydantic, V1),
    row("dict", Pydantic, V1),
    row("from_orm", Pydantic, V1),
    row("json", Pydantic, V1),
    row("parse_file", Pydantic, V1),
    row("parse_obj", Pydantic, V1),
    row("parse_raw", Pydantic, V1),
    row("schema", Pydantic, V1),
    row("schema_json", Pydantic, V1),
    row("update_forward_refs", Pydantic, V1),
    row("validate", Pydantic, V1),
    // Attributes of SQLAlchemy declarative models.
    row("metadata", SqlAlchemy, "the `MetaData` of every table"),
    row(
        "registry",
        SqlAlchemy,
        "the registry mapping classes to tables",
    ),
    // Modules of the generated project and the built-in user model.
    row("auth", Module, "`app/auth/` and `tests/auth/`"),
    row("cli", Module, "`app/cli.py`"),
    row("config", Module, "`app/config.py`"),
    row("database", Module, "`app/database/`"),
    row(
        "kit",
        Module,
        "`app/kit/` and `tests/kit/`: what every resource shares",
    ),
    row("errors", Module, "`app/errors.py`"),
    row("main", Module, "`app/main.py`"),
    row("models", Module, "`app/models.py`"),
    row("schemas", Module, "`app/schemas.py`"),
    row("user", Module, "the built-in user model"),
    row("users", Module, "the built-in users' routes and table"),
    row(
        "webhooks",
        Module,
        "`app/webhooks/` and the webhooks' routes (`webhooks:`)",
    ),
    row(
        "webhook",
        Module,
        "the webhooks' tables (`webhook_endpoints`, `webhook_deliveries`)",
    ),
    row("security", Module, "`app/auth/security.py`"),
    row("health", Module, "the health route"),
    row("api", Module, "the API prefix's router"),
    row("tests", Module, "the `tests` package"),
    row("migrations", Module, "Alembic's `migrations/`"),
    row("middleware", Module, "`app/middleware.py`"),
    row("ratelimit", Module, "`app/ratelimit.py`"),
    row("conftest", Module, "`tests/conftest.py`"),
    row("factories", Module, "`tests/factories.py`"),
    row("helpers", Module, "`tests/helpers.py`"),
    row("test_app", Module, "`tests/test_app.py`"),
    row("test_limits", Module, "`tests/test_limits.py`"),
    row("test_database", Module, "`tests/test_database.py`"),
    // Columns gen generates (the message that refuses them lists them in
    // this order).
    row("id", Column, "every table's primary key"),
    row("owner_id", Column, "the owner's id, with `owned: true`"),
    row("owner", Column, "the owner, with `owned: true`"),
    row(
        "created_at",
        Column,
        "when the row was created, with `timestamps`",
    ),
    row(
        "updated_at",
        Column,
        "when the row last changed, with `timestamps`",
    ),
    row(
        "deleted_at",
        Column,
        "when the row was deleted, with `soft_delete: true`",
    ),
    row(
        "created_by_id",
        Column,
        "who created the row, with `audit: true`",
    ),
    row(
        "updated_by_id",
        Column,
        "who last changed the row, with `audit: true`",
    ),
    // The built-in User's fields and its endpoints' (messages list them in
    // this order).
    row("email", UserField, "the login name"),
    row("password", UserField, "the sign-up and login body"),
    row("hashed_password", UserField, "the stored argon2id hash"),
    row("role", UserField, "the user's role"),
    row("is_active", UserField, "whether the user may log in"),
    row("is_admin", UserField, "whether the user is an admin"),
    row(
        "token_version",
        UserField,
        "revokes every token when it changes",
    ),
    row(
        "email_verified",
        UserField,
        "whether the email was verified, with `auth.email.verification`",
    ),
    row(
        "email_verified_at",
        UserField,
        "when the email was verified, with `auth.email.verification`",
    ),
    row("current_password", UserField, "the password-change body"),
    row("new_password", UserField, "the password-change body"),
    row("refresh_token", UserField, "the refresh and logout body"),
    row("refresh_tokens", UserField, "the table of refresh tokens"),
    // Query parameters of lists.
    row("limit", QueryParameter, "the page size"),
    row("offset", QueryParameter, "where an offset page starts"),
    row("cursor", QueryParameter, "where a cursor page starts"),
    row("sort", QueryParameter, "the sort order"),
    row("q", QueryParameter, "the search text"),
    row(
        "format",
        QueryParameter,
        "what an export writes, csv or ndjson",
    ),
    row(
        "include_deleted",
        QueryParameter,
        "admins' view of soft-deleted rows",
    ),
    // Names the generated functions of a resource use (tests/names.rs
    // finds every one); the reason says what each holds.
    row(
        "access",
        Variable,
        "the rules and row loaders of the package's dependencies.py",
    ),
    row(
        "api",
        Variable,
        "the OpenAPI metadata of the package's routes",
    ),
    row("lists", Variable, "the list pages of the package's router"),
    row(
        "uploads",
        Variable,
        "the file routes of the package's router",
    ),
    row(
        "deleted_with",
        Variable,
        "the function the package's router names its cascading keys with",
    ),
    row(
        "live",
        Variable,
        "the live feed of the package's router (events)",
    ),
    row(
        "websocket",
        Variable,
        "the connection of a live feed's route",
    ),
    row("data", Variable, "the request body"),
    row(
        "hooks",
        Variable,
        "the package's hooks module, and its `hooks` object",
    ),
    row("repository", Variable, "the service's `Repository`"),
    row(
        "linked_to",
        Variable,
        "the condition of a many-to-many nested list",
    ),
    row("service", Variable, "the package's service module"),
    row("session", Variable, "the database session"),
    // Class-like names the generated modules import or define (tests/names.rs
    // finds every one); the reason is where each comes from.
    row("APIRouter", ClassName, "fastapi"),
    row("Access", ClassName, "app.kit.access"),
    row("PathId", ClassName, "app.kit.access"),
    row("Endpoints", ClassName, "app.kit.endpoints"),
    row("Lists", ClassName, "app.kit.endpoints"),
    row("StorableText", ClassName, "app.kit.schemas"),
    row("PatchModel", ClassName, "app.kit.schemas"),
    row("Lister", ClassName, "app.kit.access"),
    row("LiveFeed", ClassName, "app.kit.live"),
    row("OutboxEvent", ClassName, "app.kit.outbox"),
    row("WebhookEndpoint", ClassName, "app.webhooks.models"),
    row("WebhookDelivery", ClassName, "app.webhooks.models"),
    row("Publishes", ClassName, "app.kit.repository"),
    row("WebSocket", ClassName, "fastapi"),
    row("ReadModel", ClassName, "app.kit.schemas"),
    row("Sort", ClassName, "app.kit.pagination"),
    row("IncludeDeleted", ClassName, "app.kit.pagination"),
    row("ARRAY", ClassName, "sqlalchemy"),
    row("Annotated", ClassName, "typing"),
    row("Any", ClassName, "typing"),
    row("AsyncClient", ClassName, "httpx"),
    row("AsyncSession", ClassName, "sqlalchemy.ext.asyncio"),
    row("AuthUser", ClassName, "tests.helpers"),
    row("AwareDatetime", ClassName, "pydantic"),
    row("Base", ClassName, "app.database.base"),
    row("BaseModel", ClassName, "pydantic"),
    row("BigInteger", ClassName, "sqlalchemy"),
    row("Boolean", ClassName, "sqlalchemy"),
    row("Column", ClassName, "sqlalchemy"),
    row("CrudTests", ClassName, "tests.kit.crud"),
    row("FieldTests", ClassName, "tests.kit.fields"),
    row("InvalidTests", ClassName, "tests.kit.fields"),
    row("InvalidUpdateTests", ClassName, "tests.kit.fields"),
    row("NotNullTests", ClassName, "tests.kit.fields"),
    row("BoundaryTests", ClassName, "tests.kit.fields"),
    row("SpellingTests", ClassName, "tests.kit.fields"),
    row("SelfReferenceTests", ClassName, "tests.kit.relations"),
    row("ReadOnlyTests", ClassName, "tests.kit.fields"),
    row("WriteOnlyTests", ClassName, "tests.kit.fields"),
    row("AuditTests", ClassName, "tests.kit.fields"),
    row("RenamedTests", ClassName, "tests.kit.fields"),
    row("UniqueTests", ClassName, "tests.kit.fields"),
    row("AccessTests", ClassName, "tests.kit.access"),
    row("HiddenFieldTests", ClassName, "tests.kit.access"),
    row("HiddenFromMemberTests", ClassName, "tests.kit.access"),
    row("GuardedFieldTests", ClassName, "tests.kit.access"),
    row("OwnedTargetTests", ClassName, "tests.kit.access"),
    row("ListTests", ClassName, "tests.kit.listing"),
    row("OffsetTests", ClassName, "tests.kit.listing"),
    row("CursorTests", ClassName, "tests.kit.listing"),
    row("DefaultPageTests", ClassName, "tests.kit.listing"),
    row("FilterTests", ClassName, "tests.kit.listing"),
    row("SortTests", ClassName, "tests.kit.listing"),
    row("SearchTests", ClassName, "tests.kit.listing"),
    row("OneToOneTests", ClassName, "tests.kit.relations"),
    row("DeletionTests", ClassName, "tests.kit.relations"),
    row("LinkTests", ClassName, "tests.kit.relations"),
    row("ChildTests", ClassName, "tests.kit.relations"),
    row("OtherUsersChildTests", ClassName, "tests.kit.relations"),
    row("ForeignLinkTests", ClassName, "tests.kit.relations"),
    row("SoftDeleteTests", ClassName, "tests.kit.soft_delete"),
    row(
        "TestCrud",
        ClassName,
        "the test class of `tests/<resource>/test_crud.py`",
    ),
    row(
        "TestFields",
        ClassName,
        "the test class of `tests/<resource>/test_fields.py`",
    ),
    row(
        "TestAccess",
        ClassName,
        "the test class of `tests/<resource>/test_access.py`",
    ),
    row(
        "TestList",
        ClassName,
        "the test class of `tests/<resource>/test_list.py`",
    ),
    row(
        "TestRelations",
        ClassName,
        "the test class of `tests/<resource>/test_relations.py`",
    ),
    row(
        "TestSoftDelete",
        ClassName,
        "the test class of `tests/<resource>/test_soft_delete.py`",
    ),
    row(
        "TestCaching",
        ClassName,
        "the test class of `tests/<resource>/test_caching.py`",
    ),
    row("CachePolicy", ClassName, "app.kit.caching"),
    row("CachingTests", ClassName, "tests.kit.caching"),
    row("ReadCacheTests", ClassName, "tests.kit.caching"),
    row("ColumnElement", ClassName, "sqlalchemy"),
    row("CommaList", ClassName, "app.kit.listing"),
    row("ConfigDict", ClassName, "pydantic"),
    row("Creator", ClassName, "the resource's dependencies.py"),
    row("CurrentUser", ClassName, "app.auth.dependencies"),
    row("CursorPage", ClassName, "app.kit.pagination"),
    row("CursorQuery", ClassName, "app.kit.pagination"),
    row("CursorSecret", ClassName, "app.kit.pagination"),
    row("Date", ClassName, "sqlalchemy"),
    row("Decimal", ClassName, "decimal"),
    row("Depends", ClassName, "fastapi"),
    row("Double", ClassName, "sqlalchemy"),
    row("EmailStr", ClassName, "pydantic"),
    row("CanonicalEmail", ClassName, "app.schemas"),
    row("Enum", ClassName, "sqlalchemy"),
    row("FastAPI", ClassName, "fastapi"),
    row("Field", ClassName, "pydantic"),
    row("FiniteFloat", ClassName, "pydantic"),
    row("ForeignKey", ClassName, "sqlalchemy"),
    row("HttpUrlStr", ClassName, "app.schemas"),
    row("Id", ClassName, "app.schemas"),
    row("IdQuery", ClassName, "app.schemas"),
    row("IdPath", ClassName, "app.schemas"),
    row("Index", ClassName, "sqlalchemy"),
    row("InstrumentedAttribute", ClassName, "sqlalchemy.orm"),
    row("Int32", ClassName, "app.schemas"),
    row("Int64", ClassName, "app.schemas"),
    row("IsoDate", ClassName, "app.schemas"),
    row("Integer", ClassName, "sqlalchemy"),
    row("JSON", ClassName, "sqlalchemy"),
    row("JsonValue", ClassName, "pydantic"),
    row("ListQuery", ClassName, "app.kit.pagination"),
    row("LocalTime", ClassName, "app.schemas"),
    row("Mapped", ClassName, "sqlalchemy.orm"),
    row("NotFoundError", ClassName, "app.errors"),
    row("Numeric", ClassName, "sqlalchemy"),
    row("OptionalUser", ClassName, "app.auth.dependencies"),
    row("Page", ClassName, "app.kit.pagination"),
    row("Hooks", ClassName, "app.kit.hooks"),
    row("FileField", ClassName, "app.kit.files"),
    row("StoredFile", ClassName, "app.kit.files"),
    row("FileRoutes", ClassName, "app.kit.uploads"),
    row("FileTests", ClassName, "tests.kit.files"),
    row("OtherUsersFileTests", ClassName, "tests.kit.files"),
    row("CascadeFileTests", ClassName, "tests.kit.files"),
    row("UniqueFileCreateTests", ClassName, "tests.kit.files"),
    row("GuardedFileCreateTests", ClassName, "tests.kit.files"),
    row("Link", ClassName, "app.kit.repository"),
    row("Reference", ClassName, "app.kit.repository"),
    row("Repository", ClassName, "app.kit.repository"),
    row("Rows", ClassName, "app.kit.pagination"),
    row("ExportQuery", ClassName, "app.kit.export"),
    row("QueryParameters", ClassName, "app.kit.pagination"),
    row("StreamingResponse", ClassName, "fastapi.responses"),
    row("Request", ClassName, "fastapi"),
    row("Query", ClassName, "fastapi"),
    row("Rule", ClassName, "app.auth.permissions"),
    row("SafeJson", ClassName, "app.schemas"),
    row("SafeStr", ClassName, "app.schemas"),
    row("NO_NUL", ClassName, "app.schemas"),
    row("Sequence", ClassName, "collections.abc"),
    row("SessionDep", ClassName, "app.database.session"),
    row("ConnectionSlots", ClassName, "app.database.session"),
    row("StrEnum", ClassName, "enum"),
    row("StrictBool", ClassName, "pydantic"),
    row("StrictFiniteFloat", ClassName, "app.schemas"),
    row("StrictInt", ClassName, "pydantic"),
    row("JsonInt32", ClassName, "app.schemas"),
    row("String", ClassName, "sqlalchemy"),
    row("TYPE_CHECKING", ClassName, "typing"),
    row("Table", ClassName, "sqlalchemy"),
    row("Text", ClassName, "sqlalchemy"),
    row("Time", ClassName, "sqlalchemy"),
    row("TimestampMixin", ClassName, "app.database.base"),
    row("UTCDateTime", ClassName, "app.database.columns"),
    row("UUID", ClassName, "uuid"),
    row("UniqueConstraint", ClassName, "sqlalchemy"),
    row("User", ClassName, "app.auth.models"),
    row("UtcDatetime", ClassName, "app.schemas"),
    row("Uuid", ClassName, "sqlalchemy"),
    row("BigId", ClassName, "app.schemas"),
    row("BigIdQuery", ClassName, "app.schemas"),
    row("BigIdPath", ClassName, "app.schemas"),
    row("UuidPath", ClassName, "app.schemas"),
];

/// The row of `name` in `class`, if it has one.
pub fn lookup(name: &str, class: Class) -> Option<&'static Reserved> {
    TABLE.iter().find(|r| r.class == class && r.name == name)
}

/// Is `name` in `class`?
pub fn is(name: &str, class: Class) -> bool {
    lookup(name, class).is_some()
}

/// The names of `class`, in table order.
pub fn names(class: Class) -> impl Iterator<Item = &'static str> {
    TABLE
        .iter()
        .filter(move |r| r.class == class)
        .map(|r| r.name)
}

/// Is `name` a Python hard keyword?
pub fn is_python_keyword(name: &str) -> bool {
    is(name, Keyword)
}

/// Why `name` cannot be a Python class or variable name, or None when it
/// can: a hard keyword (`None`, `class`) or a built-in constant.
pub fn python_name_clash(name: &str) -> Option<&'static Reserved> {
    lookup(name, Keyword).or_else(|| lookup(name, Constant))
}

/// Why `name` cannot be an attribute of a generated model class (how
/// messages put it), or None when it can: a Python keyword, a name the
/// class body uses, or an attribute SQLAlchemy sets.
pub fn model_attribute_clash(name: &str) -> Option<&'static str> {
    [Keyword, ClassBody, SqlAlchemy]
        .into_iter()
        .find(|class| is(name, *class))
        .map(Class::what)
}

/// Why a field named `name` cannot be a Python attribute of that name in
/// the generated model and schemas, or None when it can: the reasons of
/// [`model_attribute_clash`], or an attribute of Pydantic models. Such a
/// field gets the attribute `name_` ([`crate::names::attribute`]); its
/// column and JSON name stay `name`.
pub fn attribute_clash(name: &str) -> Option<&'static str> {
    model_attribute_clash(name).or_else(|| is(name, Pydantic).then(|| Pydantic.what()))
}

/// Attribute names no field can have under any spelling, with why (to
/// follow "field name `x` "): Pydantic keeps every `model_` name for
/// itself (so `model_name_` would clash as well), and a leading `_` makes
/// an attribute private. Prefixes, so not rows of the table.
pub fn framework_reserved(name: &str) -> Option<&'static str> {
    if name.starts_with("model_") {
        Some(
            "starts with `model_`, which Pydantic reserves for its own attributes (`model_config`, `model_dump`, ...)",
        )
    } else if name.starts_with('_') {
        Some("starts with `_`, which makes a Python attribute private")
    } else {
        None
    }
}

/// Why no table may be named `name`, or None when one may: SQLite
/// refuses to create a table whose name starts with `sqlite_` in any case
/// ("object name reserved for internal use"; SQLite's "CREATE TABLE"
/// documentation). A prefix, so not a row of the table. PostgreSQL
/// reserves `pg_` only for schemas, which gen does not create.
pub fn table_reserved(name: &str) -> Option<&'static str> {
    name.get(..7)
        .is_some_and(|head| head.eq_ignore_ascii_case("sqlite_"))
        .then_some(
            "starts with `sqlite_`, which SQLite reserves for its own tables and refuses to create",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python 3.11's `keyword.kwlist` and `keyword.softkwlist`.
    #[test]
    fn keywords_are_pythons() {
        let kwlist = "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield";
        assert_eq!(names(Keyword).collect::<Vec<_>>().join(" "), kwlist);
        let mut soft: Vec<&str> = names(SoftKeyword).collect();
        soft.sort_unstable();
        assert_eq!(soft, ["_", "case", "match", "type"]);
    }

    #[test]
    fn no_row_twice() {
        for (i, a) in TABLE.iter().enumerate() {
            assert!(
                !TABLE[..i]
                    .iter()
                    .any(|b| a.name == b.name && a.class == b.class),
                "{} twice in {:?}",
                a.name,
                a.class
            );
            assert!(!a.reason.is_empty(), "{}", a.name);
        }
    }

    #[test]
    fn clashes() {
        assert_eq!(model_attribute_clash("from"), Some("a Python keyword"));
        assert_eq!(
            model_attribute_clash("date"),
            Some("a name the generated classes use in their declarations")
        );
        assert_eq!(model_attribute_clash("json"), None);
        assert_eq!(
            attribute_clash("json"),
            Some("an attribute of Pydantic models")
        );
        assert_eq!(model_attribute_clash("match"), None);
        assert_eq!(python_name_clash("None").map(|r| r.class), Some(Keyword));
        assert_eq!(
            python_name_clash("Ellipsis").map(|r| r.class),
            Some(Constant)
        );
        assert_eq!(python_name_clash("Post"), None);
    }

    #[test]
    fn sqlite_prefix() {
        assert!(table_reserved("sqlite_posts").is_some());
        assert!(table_reserved("SQLite_posts").is_some());
        assert_eq!(table_reserved("sqlite"), None);
        assert_eq!(table_reserved("sqlites"), None);
        assert_eq!(table_reserved("posts_sqlite_"), None);
    }
}
