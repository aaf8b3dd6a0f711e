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
    /// UUID.
    Uuid,
    /// Email address, validated by email-validator.
    Email,
    /// One of `values`.
    Enum,
    /// Any JSON document.
    Json,
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

/// One row of the type table.
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
}

/// Every spec type, in documentation order.
pub const TYPES: &[TypeRow] = &[
    row("string", FieldType::String, Family::Textual, true, true, true),
    row("text", FieldType::Text, Family::Textual, true, true, true),
    row("int", FieldType::Int, Family::Numeric, true, true, true),
    row("bigint", FieldType::BigInt, Family::Numeric, true, true, true),
    row("float", FieldType::Float, Family::Numeric, true, true, true),
    row("decimal", FieldType::Decimal, Family::Numeric, true, true, true),
    row("bool", FieldType::Bool, Family::Other, false, true, true),
    row("date", FieldType::Date, Family::Other, true, true, false),
    row("datetime", FieldType::DateTime, Family::Other, true, true, false),
    row("uuid", FieldType::Uuid, Family::Other, true, true, false),
    row("email", FieldType::Email, Family::Other, true, true, true),
    row("enum", FieldType::Enum, Family::Other, true, true, true),
    row("json", FieldType::Json, Family::Other, false, false, true),
];

const fn row(
    name: &'static str,
    ty: FieldType,
    family: Family,
    uniquable: bool,
    indexable: bool,
    defaultable: bool,
) -> TypeRow {
    TypeRow {
        name,
        ty,
        family,
        uniquable,
        indexable,
        defaultable,
    }
}

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
/// Longest email address (RFC 3696 errata: 320 octets).
pub const EMAIL_LENGTH: u64 = 320;

/// What a type becomes in generated code, given the field's parameters.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Python type inside `Mapped[...]`.
    pub python: String,
    /// Pydantic type in Create and Update schemas.
    pub input: String,
    /// Pydantic type in the Read schema.
    pub output: String,
    /// SQLAlchemy column type expression in the model.
    pub column: String,
    /// Column type expression in the Alembic revision (`sa.` prefixed).
    pub migration: String,
    /// Imports the model needs: (module, name).
    pub model_imports: Vec<(&'static str, String)>,
    /// Imports the schemas need: (module, name).
    pub schema_imports: Vec<(&'static str, String)>,
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
    /// Longest enum value (enum).
    pub enum_length: usize,
}

/// Maps a type and its parameters to the generated code's types.
pub fn mapping(ty: FieldType, p: &TypeParams) -> Mapping {
    let m = |python: &str, input: &str, output: &str, column: String, migration: String| Mapping {
        python: python.to_owned(),
        input: input.to_owned(),
        output: output.to_owned(),
        column,
        migration,
        model_imports: Vec::new(),
        schema_imports: Vec::new(),
    };
    let sa = |name: &str| ("sqlalchemy", name.to_owned());
    match ty {
        FieldType::String => {
            let n = p.max_length.unwrap_or(255);
            let mut r = m("str", "str", "str", format!("String({n})"), format!("sa.String(length={n})"));
            r.model_imports.push(sa("String"));
            r
        }
        FieldType::Text => {
            let mut r = m("str", "str", "str", "Text()".into(), "sa.Text()".into());
            r.model_imports.push(sa("Text"));
            r
        }
        FieldType::Int => {
            let mut r = m("int", "int", "int", "Integer()".into(), "sa.Integer()".into());
            r.model_imports.push(sa("Integer"));
            r
        }
        FieldType::BigInt => {
            let mut r = m("int", "int", "int", "BigInteger()".into(), "sa.BigInteger()".into());
            r.model_imports.push(sa("BigInteger"));
            r
        }
        FieldType::Float => {
            let mut r = m("float", "FiniteFloat", "float", "Double()".into(), "sa.Double()".into());
            r.model_imports.push(sa("Double"));
            r.schema_imports.push(("pydantic", "FiniteFloat".into()));
            r
        }
        FieldType::Decimal => {
            let (pr, sc) = (p.precision, p.scale);
            let mut r = m(
                "Decimal",
                "Decimal",
                "Decimal",
                format!("Numeric({pr}, {sc})"),
                format!("sa.Numeric(precision={pr}, scale={sc})"),
            );
            r.model_imports.push(sa("Numeric"));
            r.model_imports.push(("decimal", "Decimal".into()));
            r.schema_imports.push(("decimal", "Decimal".into()));
            r
        }
        FieldType::Bool => {
            let mut r = m("bool", "bool", "bool", "Boolean()".into(), "sa.Boolean()".into());
            r.model_imports.push(sa("Boolean"));
            r
        }
        FieldType::Date => {
            let mut r = m("date", "date", "date", "Date()".into(), "sa.Date()".into());
            r.model_imports.push(sa("Date"));
            r.model_imports.push(("datetime", "date".into()));
            r.schema_imports.push(("datetime", "date".into()));
            r
        }
        FieldType::DateTime => {
            let mut r = m(
                "datetime",
                "AwareDatetime",
                "datetime",
                "UTCDateTime()".into(),
                "sa.DateTime(timezone=True)".into(),
            );
            r.model_imports.push(("app.database", "UTCDateTime".into()));
            r.model_imports.push(("datetime", "datetime".into()));
            r.schema_imports.push(("pydantic", "AwareDatetime".into()));
            r.schema_imports.push(("datetime", "datetime".into()));
            r
        }
        FieldType::Uuid => {
            let mut r = m("UUID", "UUID", "UUID", "Uuid()".into(), "sa.Uuid()".into());
            r.model_imports.push(sa("Uuid"));
            r.model_imports.push(("uuid", "UUID".into()));
            r.schema_imports.push(("uuid", "UUID".into()));
            r
        }
        FieldType::Email => {
            let n = EMAIL_LENGTH;
            let mut r = m("str", "EmailStr", "str", format!("String({n})"), format!("sa.String(length={n})"));
            r.model_imports.push(sa("String"));
            r.schema_imports.push(("pydantic", "EmailStr".into()));
            r
        }
        FieldType::Enum => {
            let class = &p.enum_class;
            let n = p.enum_length;
            let mut r = m(
                class,
                class,
                class,
                crate::python::call(
                    "Enum",
                    &[class.clone(), "native_enum=False".into(), format!("length={n}"), "values_callable=enum_values".into()],
                    "",
                    8,
                ),
                format!("sa.Enum(native_enum=False, length={n})"),
            );
            r.model_imports.push(sa("Enum"));
            r.model_imports.push(("app.database", "enum_values".into()));
            r
        }
        FieldType::Json => {
            let mut r = m("Any", "JsonValue", "JsonValue", "JSON()".into(), "sa.JSON()".into());
            r.model_imports.push(sa("JSON"));
            r.model_imports.push(("typing", "Any".into()));
            r.schema_imports.push(("pydantic", "JsonValue".into()));
            r
        }
    }
}

/// A plain sample of the type, before constraints are applied: the value
/// the generated tests send (and expect back) for row `n`.
pub fn base_sample(ty: FieldType, field: &str, n: usize) -> Value {
    match ty {
        FieldType::String | FieldType::Text => json!(format!("{} {}", crate::names::words(field), n + 1)),
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
    }
}
