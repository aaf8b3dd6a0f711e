//! Checks of one field: its name, type, bounds, default and access flags.

use crate::check::values::{check_value, show};
use crate::check::{Checker, MAX_ENUM_VALUE, MAX_NAME};
use crate::diagnostics::allowed_help;
use crate::names;
use crate::python::{self};
use crate::reserved::{self, Class};
use crate::schema::{self};
use crate::spec::{RawField, RawResource, spans::join_key};
use crate::testplan::values::samples;
use crate::types::{self, Family, FieldType, TypeParams, TypeRow};
use regex::Regex;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Parsed numeric bounds and lengths of a field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bounds {
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) pattern: Option<Regex>,
    pub(crate) values: Vec<String>,
    pub(crate) precision: u32,
    pub(crate) scale: u32,
    /// The largest upload in bytes (files and images).
    pub(crate) max_bytes: u64,
    /// The media types an upload may have (files and images).
    pub(crate) content_types: Vec<String>,
    /// The widest and tallest image in pixels (images).
    pub(crate) max_width: Option<u32>,
    pub(crate) max_height: Option<u32>,
}

/// The largest `max_bytes`: 5 GiB, the most one S3 `PutObject` takes.
pub(crate) const MAX_UPLOAD_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// What an image field accepts when it names no `content_types`: the
/// formats every browser shows.
pub(crate) const IMAGE_TYPES: &[&str] = &["image/gif", "image/jpeg", "image/png", "image/webp"];

/// A field after its checks, before layout.
pub(crate) struct FieldPlan {
    /// JSON name and column.
    pub(crate) name: String,
    /// Python attribute (`names::attribute`).
    pub(crate) attr: String,
    pub(crate) row: &'static TypeRow,
    pub(crate) raw: RawField,
    pub(crate) bounds: Bounds,
    pub(crate) mapping: types::Mapping,
    pub(crate) default: Option<Json>,
    pub(crate) example: Option<Json>,
    pub(crate) enum_class: Option<String>,
    pub(crate) samples_cache: Vec<Json>,
    pub(crate) sql_type: schema::SqlType,
}

/// Normalizes a field or relation name and checks it is usable.
pub(crate) fn member_name(
    c: &mut Checker,
    path: &str,
    key: &str,
    what: &str,
    taken: &BTreeMap<String, String>,
) -> Option<String> {
    let name = names::snake(key);
    static IDENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9_-]*$").expect("static regex"));
    let valid = IDENT.is_match(key);
    if !valid || !names::is_snake_identifier(&name) {
        c.at_key(
            path,
            format!("{what} name `{key}` is not a usable identifier"),
            "use snake_case: lowercase letters, digits and `_`, starting with a letter",
        );
        return None;
    }
    if name.len() > MAX_NAME {
        c.at_key(
            path,
            format!("{what} name `{key}` is longer than {MAX_NAME} characters"),
            "shorten it; it becomes a column, a JSON key and a Python attribute",
        );
        return None;
    }
    if reserved::is(&name, Class::Column) {
        c.at_key(
            path,
            format!("{what} name `{key}` collides with a column gen generates (`id`, `owner_id`, `created_at`, `updated_at`, `deleted_at`, `created_by_id`, `updated_by_id`)"),
            "remove it (gen adds it for you: `owned: true` adds `owner_id`, `timestamps` the dates, `soft_delete: true` `deleted_at`, `audit: true` who created and changed the row) or rename it",
        );
        return None;
    }
    if let Some(why) = reserved::framework_reserved(&name) {
        let help = match name.strip_prefix("model_") {
            Some(rest) => format!(
                "rename it so that it does not start with `model_`, for example `{rest}` or `{rest}_model`"
            ),
            None => format!(
                "drop the leading underscore: `{}`",
                name.trim_start_matches('_')
            ),
        };
        c.at_key(path, format!("{what} name `{key}` {why}"), help);
        return None;
    }
    if let Some(other) = taken.get(&name) {
        c.at_key(
            path,
            format!("{what} `{key}` is declared twice (as `{name}`, like {other})"),
            "field and relation names must be unique within a resource; remove or rename one",
        );
        return None;
    }
    Some(name)
}

/// A YAML number as `f64` (NaN if it has no such value).
pub(crate) fn number(n: &serde_yaml::Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

/// Checks field `name` of resource `class` (YAML path `path`) and resolves
/// it: its type row, bounds, enum class, column and Pydantic types, default,
/// example and test samples.
///
/// Out: the field's plan, or `None` when any check failed (the problems
/// are recorded on `c`, in the order of the helpers called here).
pub(crate) fn field(
    c: &mut Checker,
    path: &str,
    class: &str,
    name: &str,
    raw: &RawField,
) -> Option<FieldPlan> {
    let row = field_type(c, path, raw)?;
    let before = c.problems.len();
    key_applicability(c, path, raw, row);
    let mut b = bounds(c, path, raw, row);
    let enum_class =
        (row.ty == FieldType::Enum).then(|| enum_values(c, path, class, name, raw, &mut b));
    if row.ty == FieldType::Decimal {
        decimal_digits(c, path, raw, &mut b);
    }
    if row.ty.is_upload() {
        upload_limits(c, path, raw, row, &mut b);
    }
    field_roles(c, path, raw, row);
    access_flags(c, path, raw);
    if c.problems.len() > before {
        return None;
    }
    let mut plan = resolve(name, row, raw, b, enum_class);
    if row.ty.is_upload() {
        // No JSON body sets an upload, and a row exists before its file:
        // for bodies, columns and tests it is a nullable read_only field.
        plan.raw.read_only = true;
        plan.raw.nullable = true;
    }
    default_value(c, path, &mut plan);
    example_value(c, path, &mut plan);
    if c.problems.len() == before {
        plan.samples_cache = samples(c, path, &plan);
    }
    (c.problems.len() == before).then_some(plan)
}

/// Looks up the field's `type:` in the type table; an unknown type is a
/// problem (with the closest known names) and gives `None`.
fn field_type(c: &mut Checker, path: &str, raw: &RawField) -> Option<&'static TypeRow> {
    let row = types::lookup(&raw.r#type);
    if row.is_none() {
        c.at_value(
            &join_key(path, "type"),
            format!("unknown field type `{}`", raw.r#type),
            allowed_help(&raw.r#type, &types::names()),
        );
    }
    row
}

/// Checks that each key the field gives applies to its type `row`: bounds
/// and lengths by type family, `values`, `precision` and `scale` by type,
/// `unique` and `index` by the row's flags.
fn key_applicability(c: &mut Checker, path: &str, raw: &RawField, row: &TypeRow) {
    let ty = row.ty;
    let numeric = row.family == Family::Numeric;
    let textual = row.family == Family::Textual;
    let decimal = ty == FieldType::Decimal;
    const NUMBERS: &str = "int, bigint, float and decimal fields";
    const TEXTS: &str = "string and text fields";
    // (key, given, applies to this type, which types it applies to)
    let applicable = [
        ("min", raw.min.is_some(), numeric, NUMBERS),
        ("max", raw.max.is_some(), numeric, NUMBERS),
        ("min_length", raw.min_length.is_some(), textual, TEXTS),
        ("max_length", raw.max_length.is_some(), textual, TEXTS),
        ("pattern", raw.pattern.is_some(), textual, TEXTS),
        (
            "values",
            raw.values.is_some(),
            ty == FieldType::Enum,
            "enum fields",
        ),
        (
            "precision",
            raw.precision.is_some(),
            decimal,
            "decimal fields",
        ),
        ("scale", raw.scale.is_some(), decimal, "decimal fields"),
        (
            "max_bytes",
            raw.max_bytes.is_some(),
            ty.is_upload(),
            "file and image fields",
        ),
        (
            "content_types",
            raw.content_types.is_some(),
            ty.is_upload(),
            "file and image fields",
        ),
        (
            "max_width",
            raw.max_width.is_some(),
            ty == FieldType::Image,
            "image fields",
        ),
        (
            "max_height",
            raw.max_height.is_some(),
            ty == FieldType::Image,
            "image fields",
        ),
    ];
    for (key, present, allowed, which) in applicable {
        if present && !allowed {
            c.at_key(
                &join_key(path, key),
                format!("`{key}` does not apply to `{}` fields", row.name),
                format!("`{key}` applies to {which}; remove it"),
            );
        }
    }
    if raw.unique && !row.uniquable {
        c.at_key(
            &join_key(path, "unique"),
            format!("`{}` fields cannot be unique", row.name),
            match ty {
                FieldType::Bool => "a unique bool allows at most two rows; remove `unique`",
                FieldType::Json => {
                    "databases cannot compare JSON documents for uniqueness; remove `unique`"
                }
                FieldType::File | FieldType::Image => {
                    "an upload's metadata is a JSON document, which databases cannot compare; remove `unique`"
                }
                _ => "arrays are stored as JSON on SQLite, which cannot compare them; remove `unique`",
            },
        );
    }
    if raw.index && !row.indexable {
        c.at_key(
            &join_key(path, "index"),
            format!("`{}` fields cannot be indexed", row.name),
            "remove `index`; their values are JSON documents or arrays, which a plain index cannot serve",
        );
    }
}

/// Checks and parses the field's `min`/`max`, lengths and `pattern` into
/// [`Bounds`] (string fields default to `max_length: 255`). Enum values and
/// decimal digits are filled in later.
fn bounds(c: &mut Checker, path: &str, raw: &RawField, row: &TypeRow) -> Bounds {
    let mut b = Bounds::default();
    if row.family == Family::Numeric {
        for (key, value) in [("min", &raw.min), ("max", &raw.max)] {
            if let Some(n) = value {
                number_bound(c, &join_key(path, key), key, n, row);
            }
        }
    }
    b.min = raw.min.as_ref().map(number);
    b.max = raw.max.as_ref().map(number);
    if let (Some(min), Some(max)) = (b.min, b.max) {
        if min > max {
            c.at_value(
                &join_key(path, "min"),
                format!("`min` ({min}) is greater than `max` ({max})"),
                "swap them, or fix the one that is wrong",
            );
        }
    }
    b.min_length = raw.min_length;
    b.max_length = raw
        .max_length
        .or((row.ty == FieldType::String).then_some(255));
    length_bounds(c, path, raw, row, &b);
    if let Some(p) = &raw.pattern {
        b.pattern = pattern(c, &join_key(path, "pattern"), p);
    }
    b
}

/// Checks one numeric bound `key` (`min` or `max`, at `at`) of value `n`
/// on a numeric field of type `row`: whole for integers, within the
/// column's range, finite.
fn number_bound(c: &mut Checker, at: &str, key: &str, n: &serde_yaml::Number, row: &TypeRow) {
    let (lo, hi) = match row.ty {
        FieldType::Int => (Some(types::INT32.0 as f64), Some(types::INT32.1 as f64)),
        FieldType::BigInt => (Some(types::INT64.0 as f64), Some(types::INT64.1 as f64)),
        _ => (None, None),
    };
    let integral = matches!(row.ty, FieldType::Int | FieldType::BigInt);
    if integral && !(n.is_i64() || n.is_u64()) {
        c.at_value(
            at,
            format!("`{key}` must be a whole number for `{}` fields", row.name),
            "drop the fraction",
        );
    } else if lo.is_some_and(|l| number(n) < l) || hi.is_some_and(|h| number(n) > h) {
        c.at_value(
            at,
            format!(
                "`{key}` {n} does not fit {} column",
                names::article(row.name)
            ),
            format!(
                "stay within {} to {}, or use `bigint`",
                lo.unwrap_or_default(),
                hi.unwrap_or_default()
            ),
        );
    } else if !number(n).is_finite() {
        c.at_value(
            at,
            format!("`{key}` must be a finite number"),
            "write a plain number",
        );
    }
}

/// Checks `max_length` is in range and the lengths `b` holds (with
/// string's default) are in order.
fn length_bounds(c: &mut Checker, path: &str, raw: &RawField, row: &TypeRow, b: &Bounds) {
    if let Some(max) = raw.max_length {
        if max == 0 || (row.ty == FieldType::String && max > 10_485_760) {
            c.at_value(
                &join_key(path, "max_length"),
                format!("`max_length` {max} is out of range"),
                "use 1 to 10485760 for `string`; for longer text use `type: text`",
            );
        }
    }
    if let (Some(min), Some(max)) = (b.min_length, b.max_length) {
        if min > max {
            c.at_value(
                &join_key(path, "min_length"),
                format!("`min_length` ({min}) is greater than `max_length` ({max})"),
                if raw.max_length.is_none() {
                    "string fields default to `max_length: 255`; raise it"
                } else {
                    "swap them, or fix the one that is wrong"
                },
            );
        }
    }
}

/// Compiles `pattern:` (`p`, at `at`) with Rust's regex syntax, which
/// Pydantic uses too; a pattern that does not compile is a problem whose
/// message is the compiler's last line.
fn pattern(c: &mut Checker, at: &str, p: &str) -> Option<Regex> {
    match Regex::new(p) {
        Ok(re) => Some(re),
        Err(e) => {
            let detail = e.to_string();
            let last = detail
                .lines()
                .rfind(|l| !l.trim().is_empty())
                .unwrap_or("invalid")
                .trim()
                .to_owned();
            c.at_value(
                at,
                format!(
                    "`pattern` is not a valid regular expression: {}",
                    last.trim_start_matches("error: ")
                ),
                "Pydantic checks patterns with Rust's regex syntax (no look-around or backreferences); quote the pattern in YAML",
            );
            None
        }
    }
}

/// Checks an enum field's `values` (present, not empty, each 1 to
/// [`MAX_ENUM_VALUE`] characters, no two becoming the same member) and
/// stores them in `b`. Out: the enum's class name, prefixed with `class`
/// when another resource's class already has it.
fn enum_values(
    c: &mut Checker,
    path: &str,
    class: &str,
    name: &str,
    raw: &RawField,
    b: &mut Bounds,
) -> String {
    match &raw.values {
        None => c.at_key(
            path,
            "enum fields need `values`",
            "add `values: [first, second]`",
        ),
        Some(v) if v.is_empty() => c.at_value(
            &join_key(path, "values"),
            "`values` is empty",
            "list at least one value",
        ),
        Some(v) => {
            let mut members: BTreeMap<String, &str> = BTreeMap::new();
            for (i, value) in v.iter().enumerate() {
                let member = names::enum_member(value);
                let vpath = format!("{}[{i}]", join_key(path, "values"));
                if value.is_empty() || value.len() > MAX_ENUM_VALUE {
                    c.at_value(
                        &vpath,
                        format!("enum values must be 1 to {MAX_ENUM_VALUE} characters"),
                        "shorten or fill in the value",
                    );
                } else if let Some(prev) = members.get(&member) {
                    c.at_value(
                        &vpath,
                        format!("enum value `{value}` repeats `{prev}` (both become member `{member}`)"),
                        "remove the repeat or make the values differ in more than case and punctuation",
                    );
                } else {
                    members.insert(member, value);
                }
            }
            b.values = v.clone();
        }
    }
    let enum_name = enum_class_name(class, name);
    if c.classes.contains(&enum_name) && enum_name != class {
        format!("{class}{enum_name}")
    } else {
        enum_name
    }
}

/// Sets a decimal field's `precision` and `scale` in `b` (10 and 2 when
/// absent) and checks them.
fn decimal_digits(c: &mut Checker, path: &str, raw: &RawField, b: &mut Bounds) {
    b.precision = raw.precision.unwrap_or(10);
    b.scale = raw.scale.unwrap_or(2);
    if b.precision == 0 || b.precision > 1000 {
        c.at_value(
            &join_key(path, "precision"),
            format!("`precision` {} is out of range", b.precision),
            "use 1 to 1000 digits",
        );
    }
    if b.scale > b.precision {
        c.at_value(
            &join_key(path, "scale"),
            format!(
                "`scale` ({}) is greater than `precision` ({})",
                b.scale, b.precision
            ),
            "scale counts digits after the point and must not exceed precision",
        );
    }
}

/// Checks an upload field's limits and stores them in `b`: `max_bytes`
/// (required, 1 to [`MAX_UPLOAD_BYTES`]), `content_types` (required for
/// `file`, each a `type/subtype` media type, images' all `image/...`),
/// `max_width` and `max_height` (at least 1), and the keys that do not
/// apply to an upload (`default`, `example`, `read_only`, `write_only`).
fn upload_limits(c: &mut Checker, path: &str, raw: &RawField, row: &TypeRow, b: &mut Bounds) {
    match raw.max_bytes {
        None => c.at_key(
            path,
            format!("{} fields need `max_bytes`", row.name),
            "add the largest upload in bytes, for example `max_bytes: 5242880` (5 MiB)",
        ),
        Some(n) if n == 0 || n > MAX_UPLOAD_BYTES => c.at_value(
            &join_key(path, "max_bytes"),
            format!("`max_bytes` {n} is out of range"),
            format!("use 1 to {MAX_UPLOAD_BYTES} (5 GiB, the largest single S3 upload)"),
        ),
        Some(n) => b.max_bytes = n,
    }
    let image = row.ty == FieldType::Image;
    b.content_types = match &raw.content_types {
        None if image => IMAGE_TYPES.iter().map(|t| (*t).to_owned()).collect(),
        None => {
            c.at_key(
                path,
                "file fields need `content_types`",
                "list the media types an upload may have, for example `content_types: [application/pdf]`",
            );
            Vec::new()
        }
        Some(list) => media_types(c, &join_key(path, "content_types"), list, image),
    };
    for (key, value) in [("max_width", raw.max_width), ("max_height", raw.max_height)] {
        if value == Some(0) {
            c.at_value(
                &join_key(path, key),
                format!("`{key}` must be at least 1 pixel"),
                "raise it, or remove it to accept any size",
            );
        }
    }
    b.max_width = raw.max_width;
    b.max_height = raw.max_height;
    let misplaced = [
        ("default", raw.default.is_some()),
        ("example", raw.example.is_some()),
        ("read_only", raw.read_only),
        ("write_only", raw.write_only),
    ];
    for (key, present) in misplaced {
        if present {
            c.at_key(
                &join_key(path, key),
                format!("`{key}` does not apply to `{}` fields", row.name),
                "an upload is set through its own route (`PUT .../{id}/{field}`) and its metadata is always shown; remove it",
            );
        }
    }
}

/// Checks the media types of `content_types` (at `at`): at least one, each
/// `type/subtype` in lowercase without parameters (RFC 6838 section 4.2
/// names), none twice, only `image/...` ones for an image field.
fn media_types(c: &mut Checker, at: &str, list: &[String], image: bool) -> Vec<String> {
    static MEDIA: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
            .expect("static regex")
    });
    if list.is_empty() {
        c.at_value(
            at,
            "`content_types` is empty",
            "list at least one media type",
        );
    }
    let mut out: Vec<String> = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let item = format!("{at}[{i}]");
        if !MEDIA.is_match(t) {
            c.at_value(
                &item,
                format!("`{t}` is not a media type"),
                "write `type/subtype` in lowercase without parameters, like `application/pdf` or `image/png`",
            );
        } else if image && !t.starts_with("image/") {
            c.at_value(
                &item,
                format!("`{t}` is not an image type"),
                "an image field takes `image/...` types; use `type: file` for other documents",
            );
        } else if out.contains(t) {
            c.at_value(&item, format!("`{t}` is listed twice"), "remove the repeat");
        } else {
            out.push(t.clone());
        }
    }
    out
}

/// Checks the field's `read:` and `write:` name roles, and that a field
/// only some roles may write can be created without it (uploads always
/// can: a row exists before its file).
fn field_roles(c: &mut Checker, path: &str, raw: &RawField, row: &TypeRow) {
    for (key, list) in [("read", &raw.read), ("write", &raw.write)] {
        let Some(list) = list else { continue };
        let roles = c.roles.clone();
        let allowed: Vec<&str> = roles.iter().map(String::as_str).collect();
        for (i, role) in list.iter().enumerate() {
            if !roles.contains(role) {
                c.at_value(
                    &format!("{}[{i}]", join_key(path, key)),
                    format!("`{role}` is not a role"),
                    allowed_help(role, &allowed),
                );
            }
        }
    }
    if raw.write.is_some()
        && !raw.nullable
        && raw.default.is_none()
        && !raw.read_only
        && !row.ty.is_upload()
    {
        c.at_key(
            &join_key(path, "write"),
            "a field only some roles may set must be nullable or have a default",
            "add `nullable: true` or a `default:`, or every other role could never create a row",
        );
    }
}

/// Builds the plan of a checked field: its names, column and Pydantic
/// types from `row`, bounds `b` and enum class; default, example and
/// samples come later.
fn resolve(
    name: &str,
    row: &'static TypeRow,
    raw: &RawField,
    b: Bounds,
    enum_class: Option<String>,
) -> FieldPlan {
    let params = TypeParams {
        max_length: b.max_length,
        precision: b.precision,
        scale: b.scale,
        enum_class: enum_class.clone().unwrap_or_default(),
        enum_values: b.values.clone(),
    };
    FieldPlan {
        name: name.to_owned(),
        attr: names::attribute(name),
        row,
        raw: raw.clone(),
        bounds: b,
        mapping: types::mapping(row, &params),
        default: None,
        example: None,
        enum_class,
        samples_cache: Vec::new(),
        sql_type: types::sql_type(row.ty, &params),
    }
}

/// Checks `default:` against the field's nullability, its type's
/// `defaultable` flag and its own constraints, and stores it in `plan`.
fn default_value(c: &mut Checker, path: &str, plan: &mut FieldPlan) {
    let Some(d) = &plan.raw.default else { return };
    let dpath = join_key(path, "default");
    if d.is_null() {
        if !plan.raw.nullable {
            c.at_value(
                &dpath,
                "`default: null` on a field that is not nullable",
                "add `nullable: true`, or give a real default",
            );
        }
    } else if !plan.row.defaultable {
        c.at_value(
            &dpath,
            format!(
                "`{}` fields cannot have a default in spec v1",
                plan.row.name
            ),
            "make the field `nullable: true` and set it in the request instead",
        );
    } else {
        match check_value(plan, d) {
            Ok(v) => plan.default = Some(v),
            Err(why) => {
                let help = if plan.row.ty == FieldType::Enum {
                    let allowed: Vec<&str> =
                        plan.bounds.values.iter().map(String::as_str).collect();
                    allowed_help(d.as_str().unwrap_or_default(), &allowed)
                } else {
                    "the default must satisfy the field's own type and constraints".to_owned()
                };
                c.at_value(&dpath, format!("default {}: {why}", show(d)), help);
            }
        }
    }
}

/// Checks `example:` against the field's constraints and stores it in `plan`.
fn example_value(c: &mut Checker, path: &str, plan: &mut FieldPlan) {
    let Some(e) = &plan.raw.example else { return };
    match check_value(plan, e) {
        Ok(v) => plan.example = Some(v),
        Err(why) => c.at_value(
            &join_key(path, "example"),
            format!("example {}: {why}", show(e)),
            "examples appear in /docs and in the generated tests, so they must be valid values",
        ),
    }
}

/// Checks `read_only` and `write_only` against the field's other keys.
pub(crate) fn access_flags(c: &mut Checker, path: &str, raw: &RawField) {
    if raw.read_only && raw.write_only {
        c.at_key(
            &join_key(path, "write_only"),
            "a field cannot be both `read_only` and `write_only`",
            "`read_only`: the server sets it and responses show it; `write_only`: clients send it and responses never show it; keep one",
        );
        return;
    }
    if raw.read_only {
        if !raw.nullable && raw.default.is_none() {
            c.at_key(
                &join_key(path, "read_only"),
                "a read_only field must be nullable or have a default",
                "clients never send it, so a new row needs a value: add `nullable: true` or a `default:` (the server may set it later, in hooks.py)",
            );
        }
        if raw.write.is_some() {
            c.at_key(
                &join_key(path, "write"),
                "`write` does not apply to a read_only field: no role may set it",
                "remove `write`, or remove `read_only` to let those roles set it",
            );
        }
        if raw.unique {
            c.at_key(
                &join_key(path, "unique"),
                "a read_only field cannot be unique in spec v1",
                "the server sets it, past the conflict checks gen generates for request bodies; remove `unique` (`index: true` still indexes it)",
            );
        }
    }
    if raw.write_only {
        if raw.read.is_some() {
            c.at_key(
                &join_key(path, "read"),
                "`read` does not apply to a write_only field: responses never show it",
                "remove `read`, or remove `write_only` to show it to those roles",
            );
        }
        if raw.unique {
            c.at_key(
                &join_key(path, "unique"),
                "a write_only field cannot be unique",
                "a 409 on a duplicate would tell the caller that another row holds the value; remove `unique`",
            );
        }
    }
}

/// Fields `list:` may not name: `write_only` ones and those with `read:`
/// roles (filtering, sorting or searching by a hidden value reveals it)
/// and `read_only` ones (the
/// generated tests cannot give rows distinct values through the API).
pub(crate) fn unlistable_fields(
    c: &mut Checker,
    path: &str,
    r: &RawResource,
    fields: &[FieldPlan],
) {
    let Some(list) = &r.list else { return };
    let lpath = join_key(path, "list");
    for (key, names) in [
        ("filter", &list.filter),
        ("sort", &list.sort),
        ("search", &list.search),
    ] {
        for (i, given) in names.iter().enumerate() {
            let name = names::snake(given);
            let Some(f) = fields.iter().find(|f| f.name == name) else {
                continue;
            };
            let at = format!("{}[{i}]", join_key(&lpath, key));
            if f.row.ty.is_upload() {
                // `check::list` says why an upload is neither a filter nor a sort key.
                continue;
            } else if f.raw.write_only {
                c.at_value(
                    &at,
                    format!("write_only field `{name}` cannot be in `{key}`"),
                    "filtering, sorting or searching by a value responses never show would reveal it; remove it from the list",
                );
            } else if f.raw.read.is_some() {
                c.at_value(
                    &at,
                    format!("field `{name}` is shown only to some roles (`read:`), so it cannot be in `{key}`"),
                    "filtering, sorting or searching by it would let other callers probe its values; remove it from the list, or drop `read:`",
                );
            } else if f.raw.read_only {
                c.at_value(
                    &at,
                    format!("read_only field `{name}` cannot be in `{key}` in spec v1"),
                    "the generated tests cannot give rows distinct values of a field clients never send; list a field clients write",
                );
            }
        }
    }
}

/// The class name of enum field `name` of resource `class`: `{Class}{Name}`
/// when that still fits a model line or the short name is taken, else `{Name}`.
pub(crate) fn enum_class_name(class: &str, name: &str) -> String {
    let plain = names::pascal(name);
    let long = format!("{class}{plain}");
    // `    name: Mapped[Class | None] = mapped_column(` within 88 columns.
    let fits = 4 + name.len() + "Mapped[ | None]".len() + long.len() + ": = mapped_column(".len()
        < python::LINE_LENGTH;
    let taken = reserved::is(&plain, Class::ClassName)
        || reserved::python_name_clash(&plain).is_some()
        || plain == class
        || [
            "Create",
            "Update",
            "Read",
            "Page",
            "ForRead",
            "ForWrite",
            "Filters",
            "ExportQuery",
        ]
        .iter()
        .any(|s| plain == format!("{class}{s}"));
    if fits || taken { long } else { plain }
}
