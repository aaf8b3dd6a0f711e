//! Sample, boundary and invalid values of a field, for the generated tests.

use crate::check::Checker;
use crate::check::fields::{Bounds, FieldPlan};
use crate::check::values::check_value;
use crate::names;
use crate::python::{self};
use crate::testplan::SAMPLES;
use crate::types::{self, FieldType};
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

/// Distinct valid values of a field for the generated tests, best first:
/// the example, then values derived from the type and its bounds.
///
/// In: field `f` at YAML path `path`. Out: up to [`SAMPLES`] values; too
/// few (none, or one for a unique field) is a problem on `c`.
pub(crate) fn samples(c: &mut Checker, path: &str, f: &FieldPlan) -> Vec<Json> {
    let mut candidates: Vec<Yaml> = Vec::new();
    if let Some(e) = &f.raw.example {
        candidates.push(e.clone());
    }
    let ty = f.row.ty;
    match ty {
        FieldType::String | FieldType::Text => candidates.extend(text_candidates(f)),
        FieldType::Int | FieldType::BigInt | FieldType::Float | FieldType::Decimal => {
            candidates.extend(number_candidates(f));
        }
        FieldType::Enum => {
            if let Some(d) = &f.raw.default {
                candidates.push(d.clone());
            }
            candidates.extend(f.bounds.values.iter().map(|v| Yaml::String(v.clone())));
        }
        _ => {
            for n in 0..SAMPLES {
                candidates.push(
                    serde_yaml::to_value(types::base_sample(ty, &f.name, n)).unwrap_or(Yaml::Null),
                );
            }
        }
    }
    let out = first_valid(f, &candidates);
    if out.is_empty() || (f.raw.unique && out.len() < 2) {
        too_few_samples(c, path, f, &out);
    }
    out
}

/// Candidate values of a string or text field: words from its example or
/// name, numbered in several spellings, then bare numbers and letters,
/// each fitted to its lengths.
fn text_candidates(f: &FieldPlan) -> Vec<Yaml> {
    let words = names::words(&f.name);
    let bases: Vec<String> = match f.raw.example.as_ref().and_then(Yaml::as_str) {
        Some(e) => vec![e.to_owned(), words, f.name.replace('_', "-")],
        None => vec![words, f.name.replace('_', "-"), f.name.replace('_', "")],
    };
    let mut candidates = Vec::new();
    for n in 1..=SAMPLES + 2 {
        for base in &bases {
            for s in [
                format!("{base} {n}"),
                format!("{base}-{n}"),
                format!("{base}{n}"),
            ] {
                candidates.push(Yaml::String(fit_length(&f.bounds, &s)));
            }
        }
        candidates.push(Yaml::String(fit_length(&f.bounds, &n.to_string())));
        candidates.push(Yaml::String(fit_length(&f.bounds, &"abcdefgh"[..n.min(8)])));
    }
    candidates
}

/// Candidate values of a numeric field: small numbers, then steps inward
/// and outward from each bound; decimals as strings at their scale.
fn number_candidates(f: &FieldPlan) -> Vec<Yaml> {
    let ty = f.row.ty;
    let step = if ty == FieldType::Float { 0.5 } else { 1.0 };
    let frac = if ty == FieldType::Decimal && f.bounds.scale > 0 {
        0.25
    } else {
        0.0
    };
    let mut nums = Vec::new();
    for n in 0..SAMPLES + 2 {
        nums.push(1.0 + n as f64 + frac + if ty == FieldType::Float { 0.5 } else { 0.0 });
    }
    for anchor in [f.bounds.min, f.bounds.max].into_iter().flatten() {
        for n in 0..SAMPLES + 2 {
            nums.push(anchor + step * n as f64);
            nums.push(anchor - step * n as f64);
        }
    }
    nums.into_iter()
        .map(|x| match ty {
            FieldType::Int | FieldType::BigInt => Yaml::Number((x.round() as i64).into()),
            FieldType::Decimal => Yaml::String(format!("{x:.*}", f.bounds.scale as usize)),
            _ => Yaml::Number(x.into()),
        })
        .collect()
}

/// The first [`SAMPLES`] distinct `candidates` that field `f` accepts.
fn first_valid(f: &FieldPlan, candidates: &[Yaml]) -> Vec<Json> {
    let mut out: Vec<Json> = Vec::new();
    for cand in candidates {
        if let Ok(v) = check_value(f, cand) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        if out.len() == SAMPLES {
            break;
        }
    }
    out
}

/// Reports at `path` that field `f` has too few valid test values (`out`).
fn too_few_samples(c: &mut Checker, path: &str, f: &FieldPlan, out: &[Json]) {
    let enumeration = f.row.ty == FieldType::Enum;
    let message = if f.raw.unique && !out.is_empty() && enumeration {
        "a unique enum with a single value allows only one row".to_owned()
    } else {
        format!(
            "gen cannot derive {} for field `{}`",
            if f.raw.unique {
                "two distinct valid test values"
            } else {
                "a valid test value"
            },
            f.name
        )
    };
    let help = if enumeration {
        "add values, or drop `unique`".to_owned()
    } else {
        "add an `example:` that satisfies the field's constraints; the generated tests build their rows from it".to_owned()
    };
    c.at_key(path, message, help);
}

/// Pads a sample with `x` up to `min_length` and keeps its last
/// `max_length` characters (the distinguishing suffix).
pub(crate) fn fit_length(b: &Bounds, s: &str) -> String {
    let mut s = s.to_owned();
    if let Some(min) = b.min_length {
        while (s.chars().count() as u64) < min {
            s.push('x');
        }
    }
    if let Some(max) = b.max_length {
        let len = s.chars().count();
        if len as u64 > max {
            s = s.chars().skip(len - max as usize).collect();
        }
    }
    s
}

/// Values exactly at each bound of a field (its own `min`/`max`,
/// `min_length`/`max_length`, decimal digits, or the column's integer
/// range), which a create must accept: (case, Python literal, how the test
/// compares the value returned: `exact` or `decimal`).
pub(crate) fn boundary_values(f: &FieldPlan) -> Vec<(String, String, &'static str)> {
    let b = &f.bounds;
    let mut out = Vec::new();
    match f.row.ty {
        FieldType::String | FieldType::Text => {
            let fits = |s: &str| b.pattern.as_ref().is_none_or(|re| re.is_match(s));
            for (case, len) in [("max-length", b.max_length), ("min-length", b.min_length)] {
                if let Some(len) = len.filter(|l| *l > 0 && *l <= 10_000) {
                    let s = "x".repeat(len as usize);
                    if fits(&s) {
                        out.push((case.to_owned(), format!("\"x\" * {len}"), "exact"));
                    }
                }
            }
        }
        FieldType::Int | FieldType::BigInt => {
            let (lo, hi) = if f.row.ty == FieldType::Int {
                types::INT32
            } else {
                types::INT64
            };
            let lo = b.min.map_or(lo as i128, |m| m.ceil() as i128);
            let hi = b.max.map_or(hi as i128, |m| m.floor() as i128);
            out.push(("lowest".to_owned(), lo.to_string(), "exact"));
            out.push(("highest".to_owned(), hi.to_string(), "exact"));
        }
        FieldType::Float => {
            for (case, bound) in [("min", b.min), ("max", b.max)] {
                if let Some(x) = bound {
                    out.push((case.to_owned(), format!("{x:?}"), "exact"));
                }
            }
        }
        FieldType::Decimal => {
            let widest = format!(
                "{}{}{}",
                "9".repeat((b.precision - b.scale).max(1) as usize),
                if b.scale > 0 { "." } else { "" },
                "9".repeat(b.scale as usize)
            );
            let limit: f64 = widest.parse().unwrap_or(f64::MAX);
            let scaled = |x: f64| format!("{x:.*}", b.scale as usize);
            let hi = match b.max {
                Some(m) if m < limit => scaled(m),
                _ => widest.clone(),
            };
            let lo = match b.min {
                Some(m) if m > -limit => scaled(m),
                _ => format!("-{widest}"),
            };
            for (case, text) in [("lowest", lo), ("highest", hi)] {
                out.push((case.to_owned(), python::string(&text), "decimal"));
            }
        }
        _ => {}
    }
    out
}

/// Spellings of a value that field `f` stores in another, canonical form:
/// (case, Python literal sent, Python literal stored and returned). An
/// email field stores `CanonicalEmail`'s form, as user emails are, so the
/// upper-case spelling of a sample comes back lower-cased. None for a
/// field whose pattern could refuse the other spelling.
pub(crate) fn spelling_values(f: &FieldPlan) -> Vec<(String, String, String)> {
    if f.row.ty != FieldType::Email || f.bounds.pattern.is_some() {
        return Vec::new();
    }
    f.samples_cache
        .first()
        .and_then(|v| v.as_str())
        .map(|stored| {
            vec![(
                "upper-case".to_owned(),
                python::string(&stored.to_uppercase()),
                python::string(stored),
            )]
        })
        .unwrap_or_default()
}

/// One invalid-value case: `(case id, Python literal)`.
type Invalid = (String, String);

/// The values a create must reject with 422 for one field, as a call of a
/// kind of `tests/kit/invalid.py`: the kind adds the cases every field of
/// its type shares; the field's own (its bounds, its pattern) are given.
pub(crate) struct InvalidCall {
    /// The kind, a name `tests/kit/invalid.py` exports (`text`).
    pub(crate) kind: &'static str,
    /// The field's name in a body.
    pub(crate) field: String,
    /// Whether a body that leaves it out is refused (case `missing`).
    pub(crate) required: bool,
    /// The field's own cases, by case id.
    pub(crate) own: Vec<Invalid>,
}

impl InvalidCall {
    /// A call of `kind` for `field` with no case of its own yet.
    pub(crate) fn new(kind: &'static str, field: &str, required: bool) -> InvalidCall {
        InvalidCall {
            kind,
            field: field.to_owned(),
            required,
            own: Vec::new(),
        }
    }

    /// Adds the field's own case `case` (`too-long`), `value` a literal.
    pub(crate) fn case(mut self, case: &str, value: impl Into<String>) -> InvalidCall {
        self.own.push((case.to_owned(), value.into()));
        self
    }

    /// Whether any value is refused: the field is required, or its kind or
    /// itself has a case.
    pub(crate) fn refuses_any(&self) -> bool {
        self.required || self.refused_on_update()
    }

    /// Whether an update, which may leave any field out, must refuse some
    /// of these values too: every kind but `given` shares some.
    pub(crate) fn refused_on_update(&self) -> bool {
        self.kind != "given" || !self.own.is_empty()
    }

    /// `*kind("field", required=True, too_long="x" * 201),` laid out as a
    /// row of a table in a class body.
    pub(crate) fn row(&self) -> String {
        let mut args = vec![python::string(&self.field)];
        if self.required {
            args.push("required=True".to_owned());
        }
        for (case, value) in &self.own {
            args.push(format!("{}={value}", case.replace('-', "_")));
        }
        python::call(&format!("*{}", self.kind), &args, ",", super::TABLE_ROW)
    }
}

/// The kind of `tests/kit/invalid.py` of each type whose fields share
/// invalid values; `given` (no shared case) for the others.
const KINDS: &[(FieldType, &str)] = &[
    (FieldType::String, "text"),
    (FieldType::Text, "text"),
    (FieldType::Int, "integer"),
    (FieldType::BigInt, "integer"),
    (FieldType::Float, "number"),
    (FieldType::Decimal, "decimal"),
    (FieldType::Bool, "boolean"),
    (FieldType::Date, "date"),
    (FieldType::DateTime, "datetime"),
    (FieldType::Uuid, "uuid"),
    (FieldType::Email, "email"),
    (FieldType::Time, "time"),
    (FieldType::Url, "url"),
    (FieldType::StringArray, "strings"),
    (FieldType::IntArray, "integers"),
];

/// Values the create endpoint must reject with 422, for field `f`: a
/// missing value when it is required, then its type's cases (the shared
/// ones are its kind's, in `tests/kit/invalid.py`).
pub(crate) fn invalid_values(f: &FieldPlan) -> InvalidCall {
    let b = &f.bounds;
    let kind = KINDS
        .iter()
        .find(|(t, _)| *t == f.row.ty)
        .map_or("given", |(_, k)| k);
    let required = !f.raw.nullable && f.default.is_none();
    let mut call = InvalidCall::new(kind, &f.name, required);
    match f.row.ty {
        FieldType::String | FieldType::Text => text_invalid(b, &mut call.own),
        FieldType::Int | FieldType::BigInt | FieldType::Float | FieldType::Decimal => {
            number_invalid(b, f.row.ty, &mut call.own);
        }
        FieldType::Enum => {
            let mut bad = "not-a-value".to_owned();
            while b.values.contains(&bad) {
                bad.push('x');
            }
            call = call.case("not-in-values", python::string(&bad));
        }
        // JSON null is a JSON value, but not one a required column stores.
        FieldType::Json if !f.raw.nullable => call = call.case("null", "None"),
        FieldType::Url => {
            // As long as the column: one more than a client may send
            // (normalizing may add a `/`).
            let base = "https://example.com/";
            call = call.case(
                "too-long",
                format!(
                    "{} + \"x\" * {}",
                    python::string(base),
                    types::MAX_URL - base.len() as u64
                ),
            );
        }
        _ => {}
    }
    call
}

/// The longest `max_length` whose one-past value the tests send: past it
/// the body would near the generated app's 1 MiB body limit.
const TOO_LONG_LIMIT: u64 = 1_000_000;

/// Adds the invalid values of a string or text field with bounds `b` to
/// `out`: one past each length and one that misses its pattern (when one
/// within its lengths is found).
fn text_invalid(b: &Bounds, out: &mut Vec<Invalid>) {
    // A value one past a `max_length` near the body limit (1 MiB by
    // default) is a 413 before it is a 422: test it only well below.
    if let Some(max) = b.max_length.filter(|m| *m < TOO_LONG_LIMIT) {
        out.push(("too-long".into(), format!("\"x\" * {}", max + 1)));
    }
    if let Some(min) = b.min_length.filter(|m| *m > 0) {
        out.push((
            "too-short".into(),
            python::string(&"x".repeat(min as usize - 1)),
        ));
    }
    if let Some(re) = &b.pattern {
        let within = |s: &str| {
            let len = s.chars().count() as u64;
            b.min_length.is_none_or(|m| len >= m) && b.max_length.is_none_or(|m| len <= m)
        };
        let bad = [
            "!",
            "not valid!",
            "NOT VALID",
            " ",
            "x",
            "0",
            "-",
            "!!!!!!!!!!!!!!!!",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .chain(b.min_length.map(|m| "!".repeat(m as usize)))
        .find(|s| !re.is_match(s) && within(s));
        if let Some(s) = bad {
            out.push(("pattern".into(), python::string(&s)));
        }
    }
    // Its kind adds a NUL, a lone surrogate (within any pattern or the
    // lengths, these would reach the database), a list and a number.
}

/// Adds the invalid values of a numeric field of type `ty` with bounds `b`
/// to `out`: one step past each bound (or past the column's range), and
/// too many digits or decimals for a decimal.
fn number_invalid(b: &Bounds, ty: FieldType, out: &mut Vec<Invalid>) {
    let num = |x: f64| -> String {
        match ty {
            FieldType::Int | FieldType::BigInt => format!("{}", x as i128),
            FieldType::Decimal => python::string(&format!("{x}")),
            _ => format!("{x:?}"),
        }
    };
    let step = match ty {
        FieldType::Int | FieldType::BigInt => 1.0,
        FieldType::Decimal => 10f64.powi(-(b.scale as i32)),
        _ => 0.5,
    };
    match (b.min, ty) {
        (Some(min), _) if ty != FieldType::BigInt || min > types::INT64.0 as f64 => {
            out.push(("below-min".into(), num(min - step)));
        }
        (None, FieldType::Int) => {
            out.push(("below-int32".into(), num(types::INT32.0 as f64 - 1.0)))
        }
        _ => {}
    }
    match (b.max, ty) {
        (Some(max), _) if ty != FieldType::BigInt || max < types::INT64.1 as f64 => {
            out.push(("above-max".into(), num(max + step)));
        }
        (None, FieldType::Int) => {
            out.push(("above-int32".into(), num(types::INT32.1 as f64 + 1.0)))
        }
        (None, FieldType::BigInt) => out.push(("above-int64".into(), "2**63".into())),
        _ => {}
    }
    if ty == FieldType::Decimal {
        out.push((
            "too-many-digits".into(),
            python::string(&"9".repeat((b.precision - b.scale + 1) as usize)),
        ));
        out.push((
            "too-many-decimals".into(),
            python::string(&format!("0.{}1", "0".repeat(b.scale as usize))),
        ));
    }
    // Its kind adds a string and a boolean; for a decimal a JSON number
    // and an exponent (a decimal is a string in plain notation,
    // `app.schemas.json_decimal`); for an integer a fraction and a numeric
    // string (`2.0` is an integer, JSON Schema's `integer`; these are not).
}
