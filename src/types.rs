//! The type table: one row per spec field type, saying what each becomes
//! in Python, SQLAlchemy, Alembic and Pydantic, and which keys it accepts.

use serde_json::{Value, json};

/// A field type of spec v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Bounded text, `VARCHAR(max_length)`.
    String,
    /// Unbounded text.
    Text,
    /// 32-bit integer.
    Int,
    /// 64-bit integer.
    BigInt,
    /// Double-precision float; NaN and infinities rejected.
    Float,
    /// Fixed-point decimal (`precision`, `scale`).
    Decimal,
    /// Boolean.
    Bool,
    /// Calendar date.
    Date,
    /// Timezone-aware timestamp, stored in UTC.
    DateTime,
    /// Time of day, without a UTC offset.
    Time,
    /// UUID.
    Uuid,
    /// Email address, validated by email-validator.
    Email,
    /// One of `values`.
    Enum,
    /// Any JSON document.
    Json,
    /// An http or https URL, stored normalized as text.
    Url,
    /// A list of strings (`ARRAY`, JSON on SQLite).
    StringArray,
    /// A list of 32-bit integers (`ARRAY`, JSON on SQLite).
    IntArray,
    /// An uploaded file: its metadata in a JSON column, its bytes in the
    /// configured storage (`app/kit/files.py`).
    File,
    /// An uploaded image: a file whose width and height may be bounded.
    Image,
}

impl FieldType {
    /// Whether the field holds an upload (`file` or `image`): set through its
    /// own routes, never in a JSON body.
    pub fn is_upload(self) -> bool {
        matches!(self, FieldType::File | FieldType::Image)
    }
}

/// Which optional keys a type accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `min_length`, `max_length`, `pattern`.
    Textual,
    /// `min`, `max`.
    Numeric,
    /// Neither.
    Other,
}

/// One row of the type table. Type names may hold `{class}`, which
/// [`mapping`] fills with the enum class; column types come from
/// [`sql_type`] and [`crate::schema::SqlType`].
pub struct TypeRow {
    /// Spec name.
    pub name: &'static str,
    /// The type.
    pub ty: FieldType,
    /// Which bounds apply.
    pub family: Family,
    /// May carry `unique: true`.
    pub uniquable: bool,
    /// May carry `index: true`.
    pub indexable: bool,
    /// May carry `default:`.
    pub defaultable: bool,
    /// Python type inside `Mapped[...]`.
    pub python: &'static str,
    /// Pydantic type in Create and Update schemas: strict about JSON types
    /// (FastAPI validates the parsed body as Python objects, so
    /// `ConfigDict(strict=True)` would refuse ISO strings for dates, UUIDs,
    /// decimals and enums): `int` (a JSON integer: `StorableText` refuses booleans and strings), `StrictBool`, a float that takes no
    /// `true`, dates and times that take no number; query parameters use
    /// their own types (`check::list`), parsed from strings.
    pub input: &'static str,
    /// Pydantic type in the Read schema.
    pub output: &'static str,
    /// Names the model imports (their modules are in [`crate::symbols`]).
    pub model_imports: &'static [&'static str],
    /// Names the schemas import.
    pub schema_imports: &'static [&'static str],
}

/// Every spec type, in documentation order.
pub const TYPES: &[TypeRow] = &[
    TypeRow {
        name: "string",
        ty: FieldType::String,
        family: Family::Textual,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "str",
        input: "str",
        output: "str",
        model_imports: &["String"],
        schema_imports: &[],
    },
    TypeRow {
        name: "text",
        ty: FieldType::Text,
        family: Family::Textual,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "str",
        input: "str",
        output: "str",
        model_imports: &["Text"],
        schema_imports: &[],
    },
    TypeRow {
        name: "int",
        ty: FieldType::Int,
        family: Family::Numeric,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "int",
        input: "int",
        output: "int",
        model_imports: &["Integer"],
        schema_imports: &[],
    },
    TypeRow {
        name: "bigint",
        ty: FieldType::BigInt,
        family: Family::Numeric,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "int",
        input: "int",
        output: "int",
        model_imports: &["BigInteger"],
        schema_imports: &[],
    },
    TypeRow {
        name: "float",
        ty: FieldType::Float,
        family: Family::Numeric,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "float",
        input: "StrictFiniteFloat",
        output: "float",
        model_imports: &["Double"],
        schema_imports: &["StrictFiniteFloat"],
    },
    TypeRow {
        name: "decimal",
        ty: FieldType::Decimal,
        family: Family::Numeric,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "Decimal",
        input: "Decimal",
        output: "Decimal",
        model_imports: &["Numeric", "Decimal"],
        schema_imports: &["Decimal"],
    },
    TypeRow {
        name: "bool",
        ty: FieldType::Bool,
        family: Family::Other,
        uniquable: false,
        indexable: true,
        defaultable: true,
        python: "bool",
        input: "StrictBool",
        output: "bool",
        model_imports: &["Boolean"],
        schema_imports: &["StrictBool"],
    },
    TypeRow {
        name: "date",
        ty: FieldType::Date,
        family: Family::Other,
        uniquable: true,
        indexable: true,
        defaultable: false,
        python: "date",
        input: "IsoDate",
        output: "date",
        model_imports: &["Date", "date"],
        schema_imports: &["IsoDate", "date"],
    },
    TypeRow {
        name: "datetime",
        ty: FieldType::DateTime,
        family: Family::Other,
        uniquable: true,
        indexable: true,
        defaultable: false,
        python: "datetime",
        input: "UtcDatetime",
        output: "datetime",
        model_imports: &["UTCDateTime", "datetime"],
        schema_imports: &["UtcDatetime", "datetime"],
    },
    TypeRow {
        name: "time",
        ty: FieldType::Time,
        family: Family::Other,
        uniquable: true,
        indexable: true,
        defaultable: false,
        python: "time",
        input: "LocalTime",
        // `LocalTime` in responses too, for its OpenAPI schema: JSON
        // Schema's `time` format requires the offset a `TIME` never has.
        output: "LocalTime",
        model_imports: &["Time", "time"],
        schema_imports: &["LocalTime"],
    },
    TypeRow {
        name: "uuid",
        ty: FieldType::Uuid,
        family: Family::Other,
        uniquable: true,
        indexable: true,
        defaultable: false,
        python: "UUID",
        input: "UUID",
        output: "UUID",
        model_imports: &["Uuid", "UUID"],
        schema_imports: &["UUID"],
    },
    TypeRow {
        name: "email",
        ty: FieldType::Email,
        family: Family::Other,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "str",
        // Stored in the one form user emails are (`CanonicalEmail`), so a
        // unique email field cannot hold one address twice in two spellings.
        input: "CanonicalEmail",
        output: "str",
        model_imports: &["String"],
        schema_imports: &["CanonicalEmail"],
    },
    TypeRow {
        name: "url",
        ty: FieldType::Url,
        family: Family::Other,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "str",
        input: "HttpUrlStr",
        output: "str",
        model_imports: &["String"],
        schema_imports: &["HttpUrlStr"],
    },
    TypeRow {
        name: "enum",
        ty: FieldType::Enum,
        family: Family::Other,
        uniquable: true,
        indexable: true,
        defaultable: true,
        python: "{class}",
        input: "{class}",
        output: "{class}",
        model_imports: &["Enum", "enum_values", "StrEnum"],
        schema_imports: &[],
    },
    TypeRow {
        name: "json",
        ty: FieldType::Json,
        family: Family::Other,
        uniquable: false,
        indexable: false,
        defaultable: true,
        python: "Any",
        input: "SafeJson",
        output: "JsonValue",
        model_imports: &["JSON", "Any"],
        schema_imports: &["JsonValue", "SafeJson"],
    },
    TypeRow {
        name: "string[]",
        ty: FieldType::StringArray,
        family: Family::Other,
        uniquable: false,
        indexable: false,
        defaultable: false,
        python: "list[str]",
        input: "list[SafeStr]",
        output: "list[str]",
        model_imports: &["ARRAY", "JSON", "Text"],
        schema_imports: &["SafeStr"],
    },
    TypeRow {
        name: "int[]",
        ty: FieldType::IntArray,
        family: Family::Other,
        uniquable: false,
        indexable: false,
        defaultable: false,
        python: "list[int]",
        input: "list[JsonInt32]",
        output: "list[int]",
        model_imports: &["ARRAY", "Integer", "JSON"],
        schema_imports: &["JsonInt32"],
    },
    TypeRow {
        name: "file",
        ty: FieldType::File,
        family: Family::Other,
        uniquable: false,
        indexable: false,
        defaultable: false,
        python: "dict[str, Any]",
        input: "StoredFile",
        output: "StoredFile",
        model_imports: &["JSON", "Any"],
        schema_imports: &["StoredFile"],
    },
    TypeRow {
        name: "image",
        ty: FieldType::Image,
        family: Family::Other,
        uniquable: false,
        indexable: false,
        defaultable: false,
        python: "dict[str, Any]",
        input: "StoredFile",
        output: "StoredFile",
        model_imports: &["JSON", "Any"],
        schema_imports: &["StoredFile"],
    },
];

/// The row for a spec type name.
pub fn lookup(name: &str) -> Option<&'static TypeRow> {
    TYPES.iter().find(|r| r.name == name)
}

/// The names of every type, for help lines.
pub fn names() -> Vec<&'static str> {
    TYPES.iter().map(|r| r.name).collect()
}

/// Range of PostgreSQL `integer`.
pub const INT32: (i64, i64) = (-2_147_483_648, 2_147_483_647);
/// Range of PostgreSQL `bigint`.
pub const INT64: (i64, i64) = (i64::MIN, i64::MAX);
/// Length of a `url` column. A client may send one character less (a URL
/// without a path gains its `/` once normalized); longer URLs are a 422.
pub const MAX_URL: u64 = 2048;

/// What a type becomes in generated code, given the field's parameters.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Python type inside `Mapped[...]`.
    pub python: String,
    /// Pydantic type in Create and Update schemas.
    pub input: String,
    /// Pydantic type in the Read schema.
    pub output: String,
    /// Names the model imports (modules from [`crate::symbols`]).
    pub model_imports: &'static [&'static str],
    /// Names the schemas import.
    pub schema_imports: &'static [&'static str],
}

/// Parameters that shape a column's type.
#[derive(Debug, Clone, Default)]
pub struct TypeParams {
    /// `VARCHAR` length (string).
    pub max_length: Option<u64>,
    /// Digits (decimal).
    pub precision: u32,
    /// Digits after the point (decimal).
    pub scale: u32,
    /// Python enum class name (enum).
    pub enum_class: String,
    /// The enum's values (enum).
    pub enum_values: Vec<String>,
}

/// Fills a row's `{class}` placeholder with the enum class.
fn fill(template: &str, p: &TypeParams) -> String {
    template.replace("{class}", &p.enum_class)
}

/// The database column type of a field.
pub fn sql_type(ty: FieldType, p: &TypeParams) -> crate::schema::SqlType {
    use crate::schema::SqlType as S;
    match ty {
        FieldType::String => S::String {
            length: p.max_length.unwrap_or(255),
        },
        FieldType::Text => S::Text,
        FieldType::Int => S::Integer,
        FieldType::BigInt => S::BigInteger,
        FieldType::Float => S::Double,
        FieldType::Decimal => S::Numeric {
            precision: p.precision,
            scale: p.scale,
        },
        FieldType::Bool => S::Boolean,
        FieldType::Date => S::Date,
        FieldType::DateTime => S::DateTime,
        FieldType::Time => S::Time,
        FieldType::Uuid => S::Uuid,
        FieldType::Email => S::String { length: 320 },
        FieldType::Enum => S::Enum {
            values: p.enum_values.clone(),
            length: p.enum_values.iter().map(String::len).max().unwrap_or(1),
        },
        FieldType::Json => S::Json,
        FieldType::Url => S::String { length: MAX_URL },
        FieldType::StringArray => S::Array {
            items: Box::new(S::Text),
        },
        FieldType::IntArray => S::Array {
            items: Box::new(S::Integer),
        },
        FieldType::File | FieldType::Image => S::Json,
    }
}

/// Maps a type and its parameters to the generated code's types.
pub fn mapping(row: &TypeRow, p: &TypeParams) -> Mapping {
    Mapping {
        python: fill(row.python, p),
        input: fill(row.input, p),
        output: fill(row.output, p),
        model_imports: row.model_imports,
        schema_imports: row.schema_imports,
    }
}

/// A plain sample of the type, before constraints are applied: the value
/// the generated tests send (and expect back) for row `n`.
pub fn base_sample(ty: FieldType, field: &str, n: usize) -> Value {
    match ty {
        FieldType::String | FieldType::Text => {
            json!(format!("{} {}", crate::names::words(field), n + 1))
        }
        FieldType::Int | FieldType::BigInt => json!(n + 1),
        FieldType::Float => json!(1.5 + n as f64),
        FieldType::Decimal => json!(format!("{}.25", n + 1)),
        FieldType::Bool => json!(n % 2 == 0),
        FieldType::Date => json!(format!("2024-01-{:02}", n + 1)),
        FieldType::DateTime => json!(format!("2024-01-{:02}T12:30:00Z", n + 1)),
        FieldType::Uuid => json!(format!("00000000-0000-4000-8000-{:012}", n + 1)),
        FieldType::Email => json!(format!("{}{}@example.com", field.replace('_', "."), n + 1)),
        FieldType::Enum => Value::Null,
        FieldType::Json => json!({"key": format!("value {}", n + 1)}),
        FieldType::Time => json!(format!("{:02}:30:00", 9 + n)),
        FieldType::Url => json!(format!(
            "https://example.com/{}-{}",
            field.replace('_', "-"),
            n + 1
        )),
        FieldType::StringArray => json!([
            format!("{} {}", crate::names::words(field), n + 1),
            format!("{} {}", crate::names::words(field), n + 2),
        ]),
        FieldType::IntArray => json!([n + 1, n + 2]),
        FieldType::File | FieldType::Image => json!({
            "name": format!("{}-{}.bin", field.replace('_', "-"), n + 1),
            "size": n + 1,
        }),
    }
}

/// The type of a resource's primary key (`id:` of a resource), and so of
/// every foreign key, body field and path parameter naming its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdKind {
    /// 32-bit integer from the database's sequence (the default).
    #[default]
    Int,
    /// 64-bit integer from the database's sequence.
    BigInt,
    /// UUID (version 4), generated by the application.
    Uuid,
}

/// What an id type becomes in generated code: one row per [`IdKind`].
pub struct IdRow {
    /// Spec name (`id: uuid`).
    pub name: &'static str,
    /// The kind this row describes.
    pub kind: IdKind,
    /// Python type of an id (`int`, `UUID`).
    pub python: &'static str,
    /// Pydantic type of an id in a JSON request body (`Id`): strict, so
    /// `"1"` and `true` are a 422 like for every other integer of a body.
    pub body: &'static str,
    /// Pydantic type of an id in a query string (`IdQuery`), where it
    /// always comes as text.
    pub query: &'static str,
    /// Path parameter type (`IdPath`), from `app/schemas.py`.
    pub path: &'static str,
    /// Explicit SQLAlchemy column type of the key and of foreign keys to
    /// it; `None` when `Mapped[int]` already implies `INTEGER`.
    pub column_type: Option<&'static str>,
    /// Extra arguments of the primary key's `mapped_column`.
    pub key_args: &'static [&'static str],
    /// Names a module declaring such a column imports (modules in [`crate::symbols`]).
    pub column_imports: &'static [&'static str],
    /// Imports of the model declaring the key itself, beyond `column_imports`.
    pub key_imports: &'static [&'static str],
    /// Imports of a module whose Python annotations name the type.
    pub python_imports: &'static [&'static str],
    /// An id no row has, as a URL path segment.
    pub missing: &'static str,
    /// That id as a Python literal (in a JSON body).
    pub missing_py: &'static str,
    /// Path segments that are not ids of this type (a 422), as a Python tuple.
    pub malformed: &'static str,
    /// Placeholder relation id of the generated /docs example.
    pub example: &'static str,
}

/// The id types, `int` first (the default).
pub static ID_TYPES: &[IdRow] = &[
    IdRow {
        name: "int",
        kind: IdKind::Int,
        python: "int",
        body: "Id",
        query: "IdQuery",
        path: "IdPath",
        column_type: None,
        key_args: &[],
        column_imports: &[],
        key_imports: &[],
        python_imports: &[],
        missing: "2147483647",
        missing_py: "2147483647",
        malformed: r#"("0", "-1", "2147483648", "abc")"#,
        example: "1",
    },
    IdRow {
        name: "bigint",
        kind: IdKind::BigInt,
        python: "int",
        body: "BigId",
        query: "BigIdQuery",
        path: "BigIdPath",
        // SQLite autoincrements only an `INTEGER PRIMARY KEY` (SQLAlchemy
        // docs, "SQLite Auto Incrementing Behavior"); it is 64-bit there.
        column_type: Some("BigInteger().with_variant(Integer(), \"sqlite\")"),
        key_args: &[],
        column_imports: &["BigInteger", "Integer"],
        key_imports: &[],
        python_imports: &[],
        missing: "9223372036854775807",
        missing_py: "9223372036854775807",
        malformed: r#"("0", "-1", "9223372036854775808", "abc")"#,
        example: "1",
    },
    IdRow {
        name: "uuid",
        kind: IdKind::Uuid,
        python: "UUID",
        body: "UUID",
        query: "UUID",
        path: "UuidPath",
        column_type: Some("Uuid()"),
        key_args: &["default=uuid4"],
        column_imports: &["Uuid", "UUID"],
        key_imports: &["uuid4"],
        python_imports: &["UUID"],
        missing: "00000000-0000-4000-8000-000000000000",
        missing_py: "\"00000000-0000-4000-8000-000000000000\"",
        malformed: r#"("0", "abc", "123e4567-e89b-42d3-a456")"#,
        example: "\"00000000-0000-4000-8000-000000000001\"",
    },
];

impl IdKind {
    /// The row of this kind.
    pub fn row(self) -> &'static IdRow {
        ID_TYPES
            .iter()
            .find(|r| r.kind == self)
            .expect("every kind has a row")
    }

    /// The kind called `name` in a spec.
    pub fn lookup(name: &str) -> Option<IdKind> {
        ID_TYPES.iter().find(|r| r.name == name).map(|r| r.kind)
    }

    /// Spec names of every kind, for help lines and the JSON Schema.
    pub fn names() -> Vec<&'static str> {
        ID_TYPES.iter().map(|r| r.name).collect()
    }

    /// The column type of the key and of every foreign key to it.
    pub fn sql_type(self) -> crate::schema::SqlType {
        match self {
            IdKind::Int => crate::schema::SqlType::Integer,
            IdKind::BigInt => crate::schema::SqlType::BigId,
            IdKind::Uuid => crate::schema::SqlType::Uuid,
        }
    }
}
