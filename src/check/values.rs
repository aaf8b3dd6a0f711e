//! Checks of literal values in a spec (defaults, examples) against their field.

use crate::check::Checker;
use crate::check::fields::{Bounds, FieldPlan};
use crate::check::relations::{RelationPlan, ids_field};
use crate::diagnostics::allowed_help;
use crate::reserved::{self, Class};
use crate::spec::spans::join_key;
use crate::spec::words::RelationKind;
use crate::types::{self, FieldType, IdKind};
use regex::Regex;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use std::sync::LazyLock;

/// Checks a resource's `example:`, the Create body shown in /docs: every
/// key a field clients may send or a relation's id, every value valid for
/// it, every required field and relation present. Returns the entries in
/// the JSON form the API takes.
pub(crate) fn resource_example(
    c: &mut Checker,
    path: &str,
    example: &indexmap::IndexMap<String, Yaml>,
    fields: &[FieldPlan],
    relations: &[RelationPlan],
    collections: &[RelationPlan],
) -> Vec<(String, Json)> {
    let epath = join_key(path, "example");
    let members = ExampleMembers {
        fields,
        relations,
        collections,
    };
    let mut out = Vec::new();
    for (key, value) in example {
        let kpath = join_key(&epath, key);
        if let Some(v) = members.entry(c, &kpath, key, value) {
            out.push((key.clone(), v));
        }
    }
    missing_required(c, &epath, example, fields, relations);
    out
}

/// Why each value of an example must be valid, for its problems' help line.
const EXAMPLE_HELP: &str = "the example is shown in /docs and sent as a request by the generated tests, so each value must be valid for its field";

/// What a resource example's keys may name.
struct ExampleMembers<'a> {
    fields: &'a [FieldPlan],
    /// Relations with a column: the example gives their `_id`.
    relations: &'a [RelationPlan],
    /// Collections: never in an example.
    collections: &'a [RelationPlan],
}

impl ExampleMembers<'_> {
    /// Checks entry `key: value` (at `kpath`) of the example. Out: its
    /// value as the API takes it, or `None` after a problem.
    fn entry(&self, c: &mut Checker, kpath: &str, key: &str, value: &Yaml) -> Option<Json> {
        if let Some(f) = self.fields.iter().find(|f| f.name == *key) {
            field_entry(c, kpath, key, value, f)
        } else if let Some(rel) = self.relations.iter().find(|r| r.column() == *key) {
            relation_entry(c, kpath, key, value, rel)
        } else {
            self.not_a_member(c, kpath, key);
            None
        }
    }

    /// Reports example key `key` (at `kpath`), which names neither a field
    /// nor a relation id, saying what it is instead when it is something.
    fn not_a_member(&self, c: &mut Checker, kpath: &str, key: &str) {
        if self.relations.iter().any(|r| r.name == *key) {
            c.at_key(
                kpath,
                format!("`{key}` is a relation; a request sends its id"),
                format!("write `{key}_id: 1`"),
            );
        } else if let Some(rel) = self.collections.iter().find(|r| {
            r.name == *key || (r.kind == RelationKind::ManyToMany && ids_field(&r.name) == *key)
        }) {
            c.at_key(
                kpath,
                format!("relation `{}` cannot be set in a resource example", rel.name),
                "give fields and many_to_one or one_to_one ids (`category_id`) only; links are made after the row exists",
            );
        } else if reserved::is(key, Class::Column) {
            c.at_key(
                kpath,
                format!("`{key}` is set by the server, never by a request"),
                "remove it from the example",
            );
        } else {
            let mut allowed: Vec<String> = self
                .fields
                .iter()
                .filter(|f| !f.raw.read_only)
                .map(|f| f.name.clone())
                .collect();
            allowed.extend(self.relations.iter().map(|r| r.column()));
            let allowed_refs: Vec<&str> = allowed.iter().map(String::as_str).collect();
            c.at_key(
                kpath,
                format!("`{key}` is not a field or relation id of this resource"),
                allowed_help(key, &allowed_refs),
            );
        }
    }
}

/// Checks example value `value` of field `f` (key `key`, at `kpath`): not
/// read_only, null only when nullable, else valid for the field.
fn field_entry(
    c: &mut Checker,
    kpath: &str,
    key: &str,
    value: &Yaml,
    f: &FieldPlan,
) -> Option<Json> {
    if f.raw.read_only {
        c.at_key(
            kpath,
            format!(
                "`{key}` is read_only: the server sets it, and a request that sends it is a 422"
            ),
            "remove it from the example",
        );
        None
    } else if value.is_null() {
        if !f.raw.nullable {
            c.at_value(
                kpath,
                format!("example value for `{key}` is null, but the field is not nullable"),
                EXAMPLE_HELP,
            );
            return None;
        }
        Some(Json::Null)
    } else {
        match check_value(f, value) {
            Ok(v) => Some(v),
            Err(why) => {
                c.at_value(
                    kpath,
                    format!("example value for `{key}` {}: {why}", show(value)),
                    EXAMPLE_HELP,
                );
                None
            }
        }
    }
}

/// Checks example value `value` of relation id `key` (at `kpath`) of
/// relation `rel`: an id of the target's type, or null when nullable.
fn relation_entry(
    c: &mut Checker,
    kpath: &str,
    key: &str,
    value: &Yaml,
    rel: &RelationPlan,
) -> Option<Json> {
    match example_id(rel.target_id, value) {
        Some(id) => Some(id),
        None if value.is_null() && rel.nullable => Some(Json::Null),
        None => {
            c.at_value(
                kpath,
                format!("example value for `{key}` {} is not a row id", show(value)),
                format!(
                    "write {}{}; the generated test replaces it with a row it creates",
                    match rel.target_id {
                        IdKind::Uuid =>
                            "a UUID in lower case (`123e4567-e89b-42d3-a456-426614174000`)",
                        _ => "a positive whole number",
                    },
                    if rel.nullable { " or null" } else { "" }
                ),
            );
            None
        }
    }
}

/// Reports at `epath` the required fields (not nullable, no default, not
/// read_only) and required relation ids that `example` leaves out.
fn missing_required(
    c: &mut Checker,
    epath: &str,
    example: &indexmap::IndexMap<String, Yaml>,
    fields: &[FieldPlan],
    relations: &[RelationPlan],
) {
    let mut missing: Vec<String> = fields
        .iter()
        .filter(|f| !f.raw.nullable && f.default.is_none() && !f.raw.read_only)
        .map(|f| f.name.clone())
        .collect();
    missing.extend(relations.iter().filter(|r| !r.nullable).map(|r| r.column()));
    missing.retain(|name| !example.contains_key(name));
    if !missing.is_empty() {
        let quoted: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        c.at_key(
            epath,
            format!("the example leaves out required {}", quoted.join(", ")),
            "add them: a create request needs every field without `nullable` or a `default`, and every required relation's id",
        );
    }
}

/// An example relation id as JSON, if `value` is an id of type `kind`:
/// a positive number in the key's range, or a UUID written as the API
/// returns it (lower case, with hyphens).
pub(crate) fn example_id(kind: IdKind, value: &Yaml) -> Option<Json> {
    match kind {
        IdKind::Int => value
            .as_i64()
            .filter(|id| (1..=types::INT32.1).contains(id))
            .map(Json::from),
        IdKind::BigInt => value.as_i64().filter(|id| *id >= 1).map(Json::from),
        IdKind::Uuid => value.as_str().filter(|s| UUID.is_match(s)).map(Json::from),
    }
}

/// `v` as compact JSON, for messages.
pub(crate) fn show(v: &Yaml) -> String {
    serde_json::to_string(&yaml_to_json(v)).unwrap_or_else(|_| "?".to_owned())
}

/// `v` as JSON (null if it has no JSON form).
pub(crate) fn yaml_to_json(v: &Yaml) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

/// Checks a default or example against the field's type and constraints;
/// returns it in the JSON form the API uses.
///
/// One arm per field type (a closed set, read best as one table); each
/// arm with more than a line or two of its own is a function below.
pub(crate) fn check_value(f: &FieldPlan, v: &Yaml) -> Result<Json, String> {
    let b = &f.bounds;
    match f.row.ty {
        FieldType::String | FieldType::Text | FieldType::Email => {
            let s = v.as_str().ok_or("not a string")?;
            check_text(b, s)?;
            if f.row.ty == FieldType::Email && !looks_like_email(s) {
                return Err("not an email address".into());
            }
            Ok(Json::String(s.to_owned()))
        }
        FieldType::Int | FieldType::BigInt => {
            let n = v.as_i64().ok_or("not a whole number")?;
            check_range(b, n as f64)?;
            if f.row.ty == FieldType::Int && (n < types::INT32.0 || n > types::INT32.1) {
                return Err("does not fit a 32-bit int".into());
            }
            Ok(Json::from(n))
        }
        FieldType::Float => {
            let n = v.as_f64().ok_or("not a number")?;
            check_range(b, n)?;
            Ok(serde_json::Number::from_f64(n)
                .map(Json::Number)
                .ok_or("not finite")?)
        }
        FieldType::Decimal => check_decimal(b, v),
        FieldType::Bool => v
            .as_bool()
            .map(Json::Bool)
            .ok_or_else(|| "not true or false".into()),
        FieldType::Enum => {
            let s = v.as_str().ok_or("not a string")?;
            if b.values.iter().any(|x| x == s) {
                Ok(Json::String(s.to_owned()))
            } else {
                Err(format!("not one of the values [{}]", b.values.join(", ")))
            }
        }
        FieldType::Date => matching(v, &DATE, "not a date (YYYY-MM-DD)"),
        FieldType::DateTime => matching(
            v,
            &DATE_TIME,
            "not an ISO 8601 date-time with a UTC offset (like 2024-01-31T12:00:00Z)",
        ),
        FieldType::Uuid => matching(v, &UUID, "not a lowercase UUID"),
        FieldType::Json => Ok(yaml_to_json(v)),
        // An upload's metadata, which only the server writes.
        FieldType::File | FieldType::Image => match yaml_to_json(v) {
            Json::Object(m) => Ok(Json::Object(m)),
            _ => Err("not a file's metadata (name, size): uploads set it".into()),
        },
        FieldType::Time => {
            let s = v.as_str().ok_or("not a string")?;
            time_text(s).ok_or_else(|| {
                "not a time of day like 09:30:00 (HH:MM[:SS[.ffffff]], without a UTC offset)".into()
            })
        }
        FieldType::Url => {
            let s = v.as_str().ok_or("not a string")?;
            check_url(s)?;
            Ok(Json::String(s.to_owned()))
        }
        FieldType::StringArray => check_string_array(v),
        FieldType::IntArray => check_int_array(v),
    }
}

/// `YYYY-MM-DD`.
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").expect("static regex"));

/// An ISO 8601 date-time with a UTC offset.
static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
        .expect("static regex")
});

/// A UUID as the API writes it: lower case, with hyphens.
static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        .expect("static regex")
});

/// `HH:MM[:SS[.ffffff]]`, hours, minutes, seconds and fraction captured.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,6}))?)?$").expect("static regex")
});

/// An http(s) URL in the form the API returns it: scheme, host, port,
/// path, query and fragment captured.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    let unreserved = r"A-Za-z0-9._~!$&()*+,;=:@%\-";
    Regex::new(&format!(
        r"^(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d+))?(/[{unreserved}'/]*)(\?[{unreserved}/?]*)?(#[{unreserved}'/?]*)?$"
    ))
    .expect("static regex")
});

/// A lower-case email address.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$").expect("static regex")
});

/// A decimal number: sign, whole part and fraction captured.
static DECIMAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(-?)(\d+)(?:\.(\d+))?$").expect("static regex"));

/// `v` as a JSON string if it is a string `re` matches; else `not a
/// string` or `mismatch`.
fn matching(v: &Yaml, re: &Regex, mismatch: &str) -> Result<Json, String> {
    let s = v.as_str().ok_or("not a string")?;
    re.is_match(s)
        .then(|| Json::String(s.to_owned()))
        .ok_or_else(|| mismatch.into())
}

/// Checks number `x` against the bounds' `min` and `max`.
fn check_range(b: &Bounds, x: f64) -> Result<(), String> {
    if b.min.is_some_and(|m| x < m) {
        return Err(format!("below `min` {}", b.min.unwrap_or_default()));
    }
    if b.max.is_some_and(|m| x > m) {
        return Err(format!("above `max` {}", b.max.unwrap_or_default()));
    }
    Ok(())
}

/// A decimal value (a YAML number or string) in canonical text at the
/// field's scale, within its digits and bounds `b`.
fn check_decimal(b: &Bounds, v: &Yaml) -> Result<Json, String> {
    let text = match v {
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) => s.clone(),
        _ => return Err("not a number".into()),
    };
    let canonical = decimal_text(&text, b.precision, b.scale)?;
    check_range(b, canonical.parse::<f64>().map_err(|_| "not a number")?)?;
    Ok(Json::String(canonical))
}

/// A list of strings, or which item is not one.
fn check_string_array(v: &Yaml) -> Result<Json, String> {
    let items = v.as_sequence().ok_or("not a list")?;
    let strings = items
        .iter()
        .map(|item| {
            item.as_str()
                .map(|s| Json::String(s.to_owned()))
                .ok_or_else(|| format!("item {} is not a string", show(item)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json::Array(strings))
}

/// A list of 32-bit whole numbers, or which item is not one.
fn check_int_array(v: &Yaml) -> Result<Json, String> {
    let items = v.as_sequence().ok_or("not a list")?;
    let ints = items
        .iter()
        .map(|item| match item.as_i64() {
            Some(n) if (types::INT32.0..=types::INT32.1).contains(&n) => Ok(Json::from(n)),
            _ => Err(format!("item {} is not a 32-bit whole number", show(item))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json::Array(ints))
}

/// A time of day in the form the API returns it (`09:30:00`, or with six
/// digits of microseconds when they are not zero), or None when `s` is not
/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f` (1 to 6 digits) without an offset.
pub(crate) fn time_text(s: &str) -> Option<Json> {
    let caps = TIME.captures(s)?;
    let seconds = caps.get(3).map_or("00", |m| m.as_str());
    let micros = caps
        .get(4)
        .map_or(String::new(), |m| format!("{:0<6}", m.as_str()));
    let fraction = if micros.is_empty() || micros == "000000" {
        String::new()
    } else {
        format!(".{micros}")
    };
    Some(Json::String(format!(
        "{}:{}:{seconds}{fraction}",
        &caps[1], &caps[2]
    )))
}

/// Checks that `s` is an http or https URL written exactly as the API
/// returns it once Pydantic has normalized it, so that examples and
/// defaults round-trip: lowercase scheme and host (a domain name or a
/// dotted IPv4 address), no user info, no default port, a path (at least
/// `/`) without `.` or `..` segments, and no character a URL must
/// percent-encode.
pub(crate) fn check_url(s: &str) -> Result<(), String> {
    let form = "write it as the API returns it, like `https://example.com/` (lowercase scheme and host, a path, no default port, no user info)";
    if s.len() as u64 > types::MAX_URL {
        return Err(format!("longer than {} characters", types::MAX_URL));
    }
    let caps = URL
        .captures(s)
        .ok_or_else(|| format!("not an http or https URL in canonical form; {form}"))?;
    let host = &caps[2];
    let labels: Vec<&str> = host.split('.').collect();
    let numeric = labels
        .last()
        .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()));
    if numeric {
        let octet = |l: &&str| l.parse::<u8>().is_ok() && (l.len() == 1 || !l.starts_with('0'));
        if labels.len() != 4 || !labels.iter().all(octet) {
            return Err(format!(
                "host `{host}` is neither a domain name nor an IPv4 address"
            ));
        }
    }
    if let Some(port) = caps.get(3).map(|m| m.as_str()) {
        let default = if &caps[1] == "http" { "80" } else { "443" };
        if port == default || port.starts_with('0') || port.parse::<u16>().is_err() {
            return Err(format!(
                "port `{port}` is the default or out of range; {form}"
            ));
        }
    }
    let dotted = caps[4].split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    });
    if dotted {
        return Err(format!("the path has `.` or `..` segments; {form}"));
    }
    Ok(())
}

/// Checks text `s` against the bounds' lengths and pattern.
pub(crate) fn check_text(b: &Bounds, s: &str) -> Result<(), String> {
    let len = s.chars().count() as u64;
    if b.min_length.is_some_and(|m| len < m) {
        return Err(format!(
            "shorter than `min_length` {}",
            b.min_length.unwrap_or_default()
        ));
    }
    if b.max_length.is_some_and(|m| len > m) {
        return Err(format!(
            "longer than `max_length` {}",
            b.max_length.unwrap_or_default()
        ));
    }
    if let Some(re) = &b.pattern {
        if !re.is_match(s) {
            return Err(format!("does not match `pattern` {}", re.as_str()));
        }
    }
    Ok(())
}

/// Whether `s` looks like a lowercase email address.
pub(crate) fn looks_like_email(s: &str) -> bool {
    EMAIL.is_match(s)
}

/// A decimal in canonical text with exactly `scale` digits after the point,
/// or why it does not fit `precision`/`scale`.
pub(crate) fn decimal_text(text: &str, precision: u32, scale: u32) -> Result<String, String> {
    let caps = DECIMAL
        .captures(text.trim())
        .ok_or("not a decimal number")?;
    let sign = &caps[1];
    let whole = caps[2].trim_start_matches('0');
    let frac = caps.get(3).map_or("", |m| m.as_str()).trim_end_matches('0');
    if frac.len() > scale as usize {
        return Err(format!(
            "more than {scale} digits after the point (`scale`)"
        ));
    }
    if whole.len() > (precision - scale) as usize {
        return Err(format!(
            "more than {} digits before the point (`precision` - `scale`)",
            precision - scale
        ));
    }
    let whole = if whole.is_empty() { "0" } else { whole };
    Ok(if scale == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac:0<width$}", width = scale as usize)
    })
}
