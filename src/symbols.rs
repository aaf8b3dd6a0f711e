//! The symbol table of the generated Python: every framework and project
//! name a generated module imports, with the module it comes from. Layout
//! code names the symbols a body uses ([`crate::python::Imports::uses`]);
//! the module is looked up here, so that each import path is written once.
//! Names of a resource's own modules (`app.post.models`) are not here:
//! they vary with the resource and are imported with `Imports::from`.

use std::collections::HashMap;
use std::sync::LazyLock;

/// (name, module) of every symbol, grouped by module (standard library and
/// third party, then the project's own modules). A name imported under
/// another name is listed as `name as alias`.
pub const SYMBOLS: &[(&str, &str)] = &[
    ("annotations", "__future__"),
    ("AsyncIterator", "collections.abc"),
    ("Awaitable", "collections.abc"),
    ("Callable", "collections.abc"),
    ("Sequence", "collections.abc"),
    ("asynccontextmanager", "contextlib"),
    ("date", "datetime"),
    ("datetime", "datetime"),
    ("time", "datetime"),
    ("Decimal", "decimal"),
    ("StrEnum", "enum"),
    ("APIRouter", "fastapi"),
    ("Depends", "fastapi"),
    ("FastAPI", "fastapi"),
    ("Query", "fastapi"),
    ("Request", "fastapi"),
    ("Response", "fastapi"),
    ("WebSocket", "fastapi"),
    ("CORSMiddleware", "fastapi.middleware.cors"),
    ("APIRoute", "fastapi.routing"),
    ("AsyncClient", "httpx"),
    ("BaseModel", "pydantic"),
    ("ConfigDict", "pydantic"),
    ("EmailStr", "pydantic"),
    ("Field", "pydantic"),
    ("field_validator", "pydantic"),
    ("FiniteFloat", "pydantic"),
    ("StrictBool", "pydantic"),
    ("StrictInt", "pydantic"),
    ("JsonValue", "pydantic"),
    ("ARRAY", "sqlalchemy"),
    ("BigInteger", "sqlalchemy"),
    ("Boolean", "sqlalchemy"),
    ("Column", "sqlalchemy"),
    ("ColumnElement", "sqlalchemy"),
    ("Date", "sqlalchemy"),
    ("delete", "sqlalchemy"),
    ("Double", "sqlalchemy"),
    ("Enum", "sqlalchemy"),
    ("ForeignKey", "sqlalchemy"),
    ("func", "sqlalchemy"),
    ("Index", "sqlalchemy"),
    ("Integer", "sqlalchemy"),
    ("JSON", "sqlalchemy"),
    ("Numeric", "sqlalchemy"),
    ("or_", "sqlalchemy"),
    ("select", "sqlalchemy"),
    ("String", "sqlalchemy"),
    ("Table", "sqlalchemy"),
    ("Text", "sqlalchemy"),
    ("Time", "sqlalchemy"),
    ("UniqueConstraint", "sqlalchemy"),
    ("Uuid", "sqlalchemy"),
    ("AsyncSession", "sqlalchemy.ext.asyncio"),
    ("InstrumentedAttribute", "sqlalchemy.orm"),
    ("Mapped", "sqlalchemy.orm"),
    ("mapped_column", "sqlalchemy.orm"),
    ("relationship", "sqlalchemy.orm"),
    ("selectinload", "sqlalchemy.orm"),
    ("assert_problem", "tests.helpers"),
    ("AuthUser", "tests.helpers"),
    ("error_fields", "tests.helpers"),
    ("MISSING", "tests.helpers"),
    ("page_count", "tests.helpers"),
    ("recording", "tests.helpers"),
    ("Annotated", "typing"),
    ("Any", "typing"),
    ("Literal", "typing"),
    ("TYPE_CHECKING", "typing"),
    ("UUID", "uuid"),
    ("uuid4", "uuid"),
    ("errors", "app"),
    ("CurrentUser", "app.auth.dependencies"),
    ("OptionalUser", "app.auth.dependencies"),
    ("User", "app.auth.models"),
    ("check_writable", "app.auth.permissions"),
    ("hidden_fields", "app.auth.permissions"),
    ("require_admin", "app.auth.permissions"),
    ("Rule", "app.auth.permissions"),
    ("router as auth_router", "app.auth.router"),
    ("get_settings", "app.config"),
    ("Settings", "app.config"),
    ("Base", "app.database.base"),
    ("create_engine", "app.database.engine"),
    ("create_sessionmaker", "app.database.engine"),
    ("ConnectionSlots", "app.database.session"),
    ("ensure_exists", "app.kit.queries"),
    ("ensure_unique", "app.kit.queries"),
    ("ensure_unique_together", "app.kit.queries"),
    ("enum_values", "app.database.columns"),
    ("is_null", "app.kit.queries"),
    ("linked_to", "app.kit.queries"),
    ("order_by", "app.kit.listing"),
    ("pick", "app.kit.queries"),
    ("rows_by_id", "app.kit.queries"),
    ("SessionDep", "app.database.session"),
    ("TimestampMixin", "app.database.base"),
    ("utc_now", "app.database.columns"),
    ("UTCDateTime", "app.database.columns"),
    ("Access", "app.kit.access"),
    ("PathId", "app.kit.access"),
    ("Lister", "app.kit.access"),
    ("Endpoints", "app.kit.endpoints"),
    ("CachePolicy", "app.kit.caching"),
    ("CachedReads", "app.kit.read_cache"),
    ("HttpCache", "app.kit.caching"),
    ("Hub", "app.kit.live"),
    ("LiveFeed", "app.kit.live"),
    ("add_read_cache", "app.kit.read_cache"),
    ("NO_TOKEN", "app.openapi"),
    ("TOKEN_OR_NONE", "app.openapi"),
    ("install_openapi", "app.openapi"),
    ("Lists", "app.kit.endpoints"),
    ("StorableText", "app.kit.schemas"),
    ("PatchModel", "app.kit.schemas"),
    ("create_config", "app.kit.schemas"),
    ("ReadModel", "app.kit.schemas"),
    ("NotFoundError", "app.errors"),
    ("responses", "app.errors"),
    ("BodySizeLimit", "app.middleware"),
    ("SecurityHeaders", "app.middleware"),
    ("Compression", "app.middleware"),
    ("ExportQuery", "app.kit.export"),
    ("QueryParameters", "app.kit.pagination"),
    ("StreamingResponse", "fastapi.responses"),
    ("after", "app.kit.listing"),
    ("CursorSecret", "app.kit.pagination"),
    ("decode_cursor", "app.kit.pagination"),
    ("encode_cursor", "app.kit.pagination"),
    ("row_keys", "app.kit.listing"),
    ("CommaList", "app.kit.listing"),
    ("CursorPage", "app.kit.pagination"),
    ("CursorQuery", "app.kit.pagination"),
    ("ListQuery", "app.kit.pagination"),
    ("Rows", "app.kit.pagination"),
    ("Hooks", "app.kit.hooks"),
    ("StoredFile", "app.kit.files"),
    ("FileField", "app.kit.files"),
    ("FileRoutes", "app.kit.uploads"),
    ("deleted_with", "app.kit.uploads"),
    ("LocalStorage", "app.kit.files"),
    ("create_storage", "app.kit.s3"),
    ("close_storage", "app.kit.s3"),
    ("Link", "app.kit.repository"),
    ("Reference", "app.kit.repository"),
    ("Publishes", "app.kit.repository"),
    ("Repository", "app.kit.repository"),
    ("create_rate_limiter", "app.ratelimit"),
    ("configure_logging", "app.ops.logs"),
    ("quiet_server_access_log", "app.ops.logs"),
    ("Metrics", "app.ops.metrics"),
    ("RequestObserver", "app.ops.middleware"),
    ("router as ops_router", "app.ops.routes"),
    ("metrics_router", "app.ops.routes"),
    ("configure_tracing", "app.ops.tracing"),
    ("BigId", "app.schemas"),
    ("BigIdQuery", "app.schemas"),
    ("CanonicalEmail", "app.schemas"),
    ("BigIdPath", "app.schemas"),
    ("HttpUrlStr", "app.schemas"),
    ("Id", "app.schemas"),
    ("IdQuery", "app.schemas"),
    ("Int32", "app.schemas"),
    ("Int64", "app.schemas"),
    ("IsoDate", "app.schemas"),
    ("StrictFiniteFloat", "app.schemas"),
    ("JsonInt32", "app.schemas"),
    ("IdPath", "app.schemas"),
    ("LocalTime", "app.schemas"),
    ("Page", "app.kit.pagination"),
    ("IncludeDeleted", "app.kit.pagination"),
    ("Sort", "app.kit.pagination"),
    ("sort_schema", "app.kit.pagination"),
    ("reject_null", "app.schemas"),
    ("SafeJson", "app.schemas"),
    ("SafeStr", "app.schemas"),
    ("NO_NUL", "app.schemas"),
    ("decimal_schema", "app.schemas"),
    ("UtcDatetime", "app.schemas"),
    ("UuidPath", "app.schemas"),
];

static BY_NAME: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| SYMBOLS.iter().copied().collect());

/// The module `name` is imported from.
///
/// Panics when `name` is not in [`SYMBOLS`]: a bug in gen, caught by the
/// snapshot tests, which render every import.
pub fn module_of(name: &str) -> &'static str {
    BY_NAME
        .get(name)
        .copied()
        .unwrap_or_else(|| panic!("`{name}` is not in the symbol table (src/symbols.rs)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ID_TYPES, TYPES};

    #[test]
    fn every_name_the_type_tables_import_has_a_module() {
        let names = TYPES
            .iter()
            .flat_map(|row| row.model_imports.iter().chain(row.schema_imports))
            .chain(ID_TYPES.iter().flat_map(|row| {
                row.column_imports
                    .iter()
                    .chain(row.key_imports)
                    .chain(row.python_imports)
                    .chain([&row.body, &row.query, &row.path])
            }));
        for name in names {
            assert!(BY_NAME.contains_key(name), "{name} is not in SYMBOLS");
        }
    }

    #[test]
    fn each_name_has_one_module() {
        assert_eq!(BY_NAME.len(), SYMBOLS.len(), "a name is listed twice");
    }
}
