//! Lays out one field as Python: model column, schema declarations, test cases.

use crate::check::fields::FieldPlan;
use crate::model::{EnumType, Field};
use crate::names;
use crate::python::{self, Imports, call};
use crate::schema::{self};
use crate::table::sql_default;
use crate::testplan::values::{boundary_values, invalid_values};
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
    }
    if ty == FieldType::Decimal {
        out.push(format!("max_digits={}", b.precision));
        out.push(format!("decimal_places={}", b.scale));
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
    /// `pytest.param(...)` lines of values a create must reject.
    pub(crate) invalid: Vec<String>,
    /// `pytest.param(...)` lines of values at each bound, which a create must accept.
    pub(crate) boundaries: Vec<String>,
}

pub(crate) fn lay_out_field(
    f: &FieldPlan,
    class: &str,
    models_module: &str,
    model_imports: &mut Imports,
    schema_imports: &mut Imports,
    enums: &mut Vec<EnumType>,
) -> LaidOut {
    let m = &f.mapping;
    for name in m.model_imports {
        model_imports.uses(name);
    }
    for name in m.schema_imports {
        schema_imports.uses(name);
    }
    if let Some(class_name) = &f.enum_class {
        schema_imports.from(models_module, class_name);
        enums.push(EnumType {
            class_name: class_name.clone(),
            words: format!("Allowed values of `{class}.{}`.", f.attr),
            members: f
                .bounds
                .values
                .iter()
                .map(|v| (names::enum_member(v), python::string(v)))
                .collect(),
        });
    }
    let opt = if f.raw.nullable { " | None" } else { "" };
    // A field whose name cannot be its attribute (`from` → `from_`) names
    // its column and its JSON key explicitly.
    let renamed = f.attr != f.name;
    let mut column_args = Vec::new();
    if renamed {
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
    let model_decl = call(
        &format!("{}: Mapped[{}{opt}] = mapped_column", f.attr, m.python),
        &column_args,
        "",
        4,
    );
    let cons = constraints(f);
    // Request bodies take the JSON name (`alias`); the Read schema reads
    // the model's attribute and writes the JSON name (`serialization_alias`).
    let alias = renamed.then(|| format!("alias={}", python::string(&f.name)));
    let serialization_alias =
        renamed.then(|| format!("serialization_alias={}", python::string(&f.name)));
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
    update_args.extend(cons.iter().cloned());
    // A read_only field is in no request body (sending it is a 422, like
    // any unknown field); a write_only one in no response.
    let (create_decl, update_decl) = if f.raw.read_only {
        (String::new(), String::new())
    } else {
        (
            schema_decl(&f.attr, &format!("{}{opt}", m.input), create_args),
            schema_decl(&f.attr, &format!("{} | None", m.input), update_args),
        )
    };
    // A field some callers may not read is left out of their responses,
    // so the Read schema lets it be absent.
    let mut read_args = Vec::new();
    let read_type = if f.raw.read.is_some() {
        read_args.push("default=None".to_owned());
        format!("{} | None", m.output)
    } else {
        format!("{}{opt}", m.output)
    };
    read_args.extend(serialization_alias);
    if f.raw.read_only {
        // Only the Read schema shows a read_only field: its description goes there.
        read_args.extend(
            f.raw
                .description
                .as_ref()
                .map(|d| format!("description={}", python::string(d))),
        );
    }
    let read_decl = if f.raw.write_only {
        String::new()
    } else {
        schema_decl(&f.attr, &read_type, read_args)
    };
    let column = schema::Column {
        name: f.name.clone(),
        sql_type: f.sql_type.clone(),
        nullable: f.raw.nullable,
        default: f.default.as_ref().map(sql_default),
        renamed_from: f.raw.renamed_from.as_ref().map(|r| names::snake(r)),
    };
    let mut invalid = Vec::new();
    let cases = if f.raw.read_only {
        // Even a valid value is refused: clients never set it.
        let valid = f.samples_cache.first().map(python::literal);
        vec![("read-only".to_owned(), valid)]
    } else {
        invalid_values(f)
    };
    for (case, value) in cases {
        let id = python::string(&format!("{}-{case}", f.name.replace('_', "-")));
        invalid.push(call(
            "pytest.param",
            &[
                python::string(&f.name),
                value.unwrap_or_else(|| "MISSING".into()),
                format!("id={id}"),
            ],
            ",",
            4,
        ));
    }
    let boundaries = if f.raw.read_only || f.raw.write_only {
        Vec::new()
    } else {
        boundary_values(f)
            .into_iter()
            .map(|(case, value, kind)| {
                call(
                    "pytest.param",
                    &[
                        python::string(&f.name),
                        value,
                        python::string(kind),
                        format!(
                            "id={}",
                            python::string(&format!("{}-{case}", f.name.replace('_', "-")))
                        ),
                    ],
                    ",",
                    4,
                )
            })
            .collect()
    };
    LaidOut {
        boundaries,
        field: Field {
            name: f.name.clone(),
            attr: f.attr.clone(),
            words: names::words(&f.name),
            model_decl,
            create_decl,
            update_decl,
            read_decl,
            unique: f.raw.unique,
            index: f.raw.index && !f.raw.unique,
        },
        column,
        not_null: (!f.raw.nullable && !f.raw.read_only).then(|| python::string(&f.attr)),
        invalid,
    }
}
