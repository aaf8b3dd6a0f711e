//! Lays out one field as Python: model column, schema declarations, test cases.

use super::decimal::decimal_pattern;
use crate::check::fields::FieldPlan;
use crate::model::{EnumType, Field};
use crate::names;
use crate::python::{self, Imports, call};
use crate::schema::{self};
use crate::table::sql_default;
use crate::testplan::TABLE_ROW;
use crate::testplan::values::{InvalidCall, boundary_values, invalid_values, spelling_values};
use crate::types::{self, FieldType};
use serde_json::Value as Json;

/// A default as a Python expression (`PostStatus.DRAFT`, `Decimal("0.00")`).
pub(crate) fn default_expr(f: &FieldPlan, v: &Json) -> String {
    match (f.row.ty, v) {
        (FieldType::Enum, Json::String(s)) => format!(
            "{}.{}",
            f.enum_class.as_deref().unwrap_or_default(),
            names::enum_member(s)
        ),
        (FieldType::Decimal, Json::String(s)) => format!("Decimal({})", python::string(s)),
        _ => python::literal(v),
    }
}

/// Formats a bound for a Pydantic constraint.
pub(crate) fn bound(x: f64, ty: FieldType) -> String {
    if matches!(ty, FieldType::Int | FieldType::BigInt) || x.fract() == 0.0 {
        format!("{}", x as i128)
    } else {
        format!("{x}")
    }
}

/// Whether `f` is a text field without a pattern of its own: its OpenAPI
/// schema takes the `NO_NUL` pattern of `app.schemas`.
fn stores_text(f: &FieldPlan) -> bool {
    matches!(f.row.ty, FieldType::String | FieldType::Text) && f.bounds.pattern.is_none()
}

/// Pydantic constraints of a field (`ge=0`, `max_length=200`, ...).
pub(crate) fn constraints(f: &FieldPlan) -> Vec<String> {
    let b = &f.bounds;
    let ty = f.row.ty;
    let mut out = Vec::new();
    let (lo, hi) = match ty {
        FieldType::Int => (Some(types::INT32.0 as f64), Some(types::INT32.1 as f64)),
        FieldType::BigInt => (Some(types::INT64.0 as f64), Some(types::INT64.1 as f64)),
        _ => (None, None),
    };
    if let Some(min) = b.min.or(lo) {
        out.push(format!(
            "ge={}",
            if b.min.is_none() && ty == FieldType::BigInt {
                types::INT64.0.to_string()
            } else {
                bound(min, ty)
            }
        ));
    }
    if let Some(max) = b.max.or(hi) {
        out.push(format!(
            "le={}",
            if b.max.is_none() && ty == FieldType::BigInt {
                types::INT64.1.to_string()
            } else {
                bound(max, ty)
            }
        ));
    }
    if let Some(n) = b.min_length {
        out.push(format!("min_length={n}"));
    }
    if let Some(n) = b
        .max_length
        .filter(|_| matches!(ty, FieldType::String | FieldType::Text))
    {
        out.push(format!("max_length={n}"));
    }
    if let Some(re) = &b.pattern {
        out.push(format!("pattern={}", python::regex(re.as_str())));
    } else if stores_text(f) {
        out.push("json_schema_extra=NO_NUL".to_owned());
    }
    if ty == FieldType::Decimal {
        out.push(format!("max_digits={}", b.precision));
        out.push(format!("decimal_places={}", b.scale));
        let pattern = decimal_pattern(b.precision, b.scale, b.min, b.max);
        out.push(python::argument(
            "json_schema_extra=decimal_schema",
            &[python::regex(&pattern)],
            8,
        ));
    }
    if let Some(d) = &f.raw.description {
        out.push(format!("description={}", python::string(d)));
    }
    if let Some(e) = &f.example {
        let example = python::literal(e);
        if 8 + "examples=[],".len() + example.len() <= python::LINE_LENGTH {
            out.push(format!("examples=[{example}]"));
        } else {
            out.push(format!("examples=[\n            {example},\n        ]"));
        }
    }
    out
}

/// `name: annotation = Field(args)`, or `= value` when the only argument
/// is a default, or a bare annotation when there are none.
pub(crate) fn schema_decl(name: &str, annotation: &str, args: Vec<String>) -> String {
    let head = format!("{name}: {annotation}");
    match args.as_slice() {
        [] => head,
        [only]
            if only.starts_with("default=")
                && 4 + head.len() + only.len() - 5 <= python::LINE_LENGTH =>
        {
            format!("{head} = {}", &only["default=".len()..])
        }
        _ => call(&format!("{head} = Field"), &args, "", 4),
    }
}

/// One field laid out for the model, the schemas, the schema diff and the tests.
pub(crate) struct LaidOut {
    pub(crate) field: Field,
    pub(crate) column: schema::Column,
    /// The quoted attribute, when the field may not be set to null on update.
    pub(crate) not_null: Option<String>,
    /// The values a create must reject.
    pub(crate) invalid: InvalidCall,
    /// Whether an update must reject some of [`LaidOut::invalid`]: every
    /// case but a missing value (absent leaves a field unchanged).
    pub(crate) invalid_on_update: bool,
    /// `pytest.param(...)` lines of values at each bound, which a create must accept.
    pub(crate) boundaries: Vec<String>,
    /// `pytest.param(...)` lines of values a create stores in another
    /// spelling: (field, sent, stored).
    pub(crate) spellings: Vec<String>,
}

/// Lays out field `f` of resource `class`: its model column, its Create,
/// Update and Read declarations, its schema column and its test cases.
///
/// Adds the imports the declarations need to `model_imports` and
/// `schema_imports` (enum classes come from `models_module`), and an enum
/// field's class to `enums`.
pub(crate) fn lay_out_field(
    f: &FieldPlan,
    class: &str,
    models_module: &str,
    model_imports: &mut Imports,
    schema_imports: &mut Imports,
    enums: &mut Vec<EnumType>,
) -> LaidOut {
    for name in f.mapping.model_imports {
        model_imports.uses(name);
    }
    for name in f.mapping.schema_imports {
        schema_imports.uses(name);
    }
    if stores_text(f) && !f.raw.read_only {
        schema_imports.uses("NO_NUL");
    }
    if f.row.ty == FieldType::Decimal && !f.raw.read_only {
        schema_imports.uses("decimal_schema");
    }
    if let Some(class_name) = &f.enum_class {
        schema_imports.from(models_module, class_name);
        enums.push(enum_type(f, class, class_name));
    }
    let (create_decl, update_decl) = request_decls(f);
    let read_decl = read_decl(f);
    // `schema_decl` is the one writer of `= Field(...)`.
    if [&create_decl, &update_decl, &read_decl]
        .iter()
        .any(|decl| decl.contains(" = Field("))
    {
        schema_imports.uses("Field");
    }
    LaidOut {
        boundaries: boundary_cases(f),
        spellings: spelling_cases(f),
        field: Field {
            name: f.name.clone(),
            attr: f.attr.clone(),
            words: names::words(&f.name),
            model_decl: model_decl(f),
            create_decl,
            update_decl,
            read_decl,
            unique: f.raw.unique,
            index: f.raw.index && !f.raw.unique,
        },
        column: column(f),
        not_null: (!f.raw.nullable && !f.raw.read_only).then(|| python::string(&f.attr)),
        invalid: invalid_cases(f),
        invalid_on_update: f.raw.read_only || invalid_values(f).refused_on_update(),
    }
}

/// The enum class `class_name` of enum field `f` of resource `class`:
/// its docstring and its members.
fn enum_type(f: &FieldPlan, class: &str, class_name: &str) -> EnumType {
    EnumType {
        class_name: class_name.to_owned(),
        words: format!("Allowed values of `{class}.{}`.", f.attr),
        members: f
            .bounds
            .values
            .iter()
            .map(|v| (names::enum_member(v), python::string(v)))
            .collect(),
    }
}

/// ` | None` when `f` is nullable, else nothing.
fn optional(f: &FieldPlan) -> &'static str {
    if f.raw.nullable { " | None" } else { "" }
}

/// Whether `f`'s name cannot be its attribute (`from` → `from_`), so that
/// it names its column and its JSON key explicitly.
fn renamed(f: &FieldPlan) -> bool {
    f.attr != f.name
}

/// The model's `name: Mapped[...] = mapped_column(...)`, at 4 spaces.
fn model_decl(f: &FieldPlan) -> String {
    let mut column_args = Vec::new();
    if renamed(f) {
        column_args.push(python::string(&f.name));
    }
    column_args.push(
        f.sql_type
            .model(f.enum_class.as_deref().unwrap_or_default(), 8),
    );
    if f.raw.unique {
        column_args.push("unique=True".into());
    } else if f.raw.index {
        column_args.push("index=True".into());
    }
    if let Some(d) = &f.default {
        column_args.push(format!("default={}", default_expr(f, d)));
    }
    call(
        &format!(
            "{}: Mapped[{}{}] = mapped_column",
            f.attr,
            f.mapping.python,
            optional(f)
        ),
        &column_args,
        "",
        4,
    )
}

/// The Create and Update schemas' declarations of `f`, both empty for a
/// read_only field (which is in no request body: sending it is a 422,
/// like any unknown field). Request bodies take the JSON name (`alias`).
fn request_decls(f: &FieldPlan) -> (String, String) {
    if f.raw.read_only {
        return (String::new(), String::new());
    }
    let cons = constraints(f);
    let alias = renamed(f).then(|| format!("alias={}", python::string(&f.name)));
    let mut create_args = Vec::new();
    match &f.default {
        Some(d) => create_args.push(format!("default={}", default_expr(f, d))),
        None if f.raw.nullable => create_args.push("default=None".into()),
        None => {}
    }
    create_args.extend(alias.clone());
    create_args.extend(cons.iter().cloned());
    let mut update_args = vec!["default=None".to_owned()];
    update_args.extend(alias);
    update_args.extend(cons);
    let input = &f.mapping.input;
    (
        schema_decl(&f.attr, &format!("{input}{}", optional(f)), create_args),
        schema_decl(&f.attr, &format!("{input} | None"), update_args),
    )
}

/// The Read schema's declaration of `f`, empty for a write_only field.
/// It reads the model's attribute and writes the JSON name
/// (`serialization_alias`); a field some callers may not read is left out
/// of their responses, so it may be absent.
fn read_decl(f: &FieldPlan) -> String {
    if f.raw.write_only {
        return String::new();
    }
    let mut read_args = Vec::new();
    let read_type = if f.raw.read.is_some() {
        read_args.push("default=None".to_owned());
        format!("{} | None", f.mapping.output)
    } else {
        format!("{}{}", f.mapping.output, optional(f))
    };
    read_args
        .extend(renamed(f).then(|| format!("serialization_alias={}", python::string(&f.name))));
    if f.raw.read_only {
        // Only the Read schema shows a read_only field: its description goes there.
        read_args.extend(
            f.raw
                .description
                .as_ref()
                .map(|d| format!("description={}", python::string(d))),
        );
    }
    schema_decl(&f.attr, &read_type, read_args)
}

/// The column of `f` in the schema gen diffs for migrations.
fn column(f: &FieldPlan) -> schema::Column {
    schema::Column {
        name: f.name.clone(),
        sql_type: f.sql_type.clone(),
        nullable: f.raw.nullable,
        default: f.default.as_ref().map(sql_default),
        renamed_from: f.raw.renamed_from.as_ref().map(|r| names::snake(r)),
    }
}

/// The test id of `case` of field `f` (`"due-at-too-long"`), quoted.
fn case_id(f: &FieldPlan, case: &str) -> String {
    python::string(&format!("{}-{case}", f.name.replace('_', "-")))
}

/// The values a create must reject; for a read_only field, a valid value,
/// since clients never set it (`MISSING`, left out, when it has none).
fn invalid_cases(f: &FieldPlan) -> InvalidCall {
    if f.raw.read_only {
        let valid = f.samples_cache.first().map(python::literal);
        return InvalidCall::new("given", &f.name, false)
            .case("read-only", valid.unwrap_or_else(|| "MISSING".into()));
    }
    invalid_values(f)
}

/// `pytest.param(name, sent, stored, id=...)` lines of values a create
/// stores in another spelling; none for a field clients do not both write
/// and read.
fn spelling_cases(f: &FieldPlan) -> Vec<String> {
    if f.raw.read_only || f.raw.write_only {
        return Vec::new();
    }
    spelling_values(f)
        .into_iter()
        .map(|(case, sent, stored)| {
            call(
                "pytest.param",
                &[
                    python::string(&f.name),
                    sent,
                    stored,
                    format!("id={}", case_id(f, &case)),
                ],
                ",",
                TABLE_ROW,
            )
        })
        .collect()
}

fn boundary_cases(f: &FieldPlan) -> Vec<String> {
    if f.raw.read_only || f.raw.write_only {
        return Vec::new();
    }
    boundary_values(f)
        .into_iter()
        .map(|(case, value, kind)| {
            call(
                "pytest.param",
                &[
                    python::string(&f.name),
                    value,
                    python::string(kind),
                    format!("id={}", case_id(f, &case)),
                ],
                ",",
                TABLE_ROW,
            )
        })
        .collect()
}
