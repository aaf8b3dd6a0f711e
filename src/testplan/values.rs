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
pub(crate) fn samples(c: &mut Checker, path: &str, f: &FieldPlan) -> Vec<Json> {
    let words = names::words(&f.name);
    let mut candidates: Vec<Yaml> = Vec::new();
    if let Some(e) = &f.raw.example {
        candidates.push(e.clone());
    }
    let ty = f.row.ty;
    match ty {
        FieldType::String | FieldType::Text => {
            let bases: Vec<String> = match f.raw.example.as_ref().and_then(Yaml::as_str) {
                Some(e) => vec![e.to_owned(), words.clone(), f.name.replace('_', "-")],
                None => vec![
                    words.clone(),
                    f.name.replace('_', "-"),
                    f.name.replace('_', ""),
                ],
            };
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
        }
        FieldType::Int | FieldType::BigInt | FieldType::Float | FieldType::Decimal => {
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
            for x in nums {
                let v = match ty {
                    FieldType::Int | FieldType::BigInt => Yaml::Number((x.round() as i64).into()),
                    FieldType::Decimal => Yaml::String(format!("{x:.*}", f.bounds.scale as usize)),
                    _ => Yaml::Number(x.into()),
                };
                candidates.push(v);
            }
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
    let mut out: Vec<Json> = Vec::new();
    for cand in &candidates {
        if let Ok(v) = check_value(f, cand) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        if out.len() == SAMPLES {
            break;
        }
    }
    if out.is_empty() || (f.raw.unique && out.len() < 2) {
        let message = if f.raw.unique && !out.is_empty() && ty == FieldType::Enum {
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
        let help = if ty == FieldType::Enum {
            "add values, or drop `unique`".to_owned()
        } else {
            "add an `example:` that satisfies the field's constraints; the generated tests build their rows from it".to_owned()
        };
        c.at_key(path, message, help);
    }
    out
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

/// Values the create endpoint must reject with 422: `(case id, value)`,
/// `None` meaning "leave the key out".
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

pub(crate) fn invalid_values(f: &FieldPlan) -> Vec<(String, Option<String>)> {
    let b = &f.bounds;
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    if !f.raw.nullable && f.default.is_none() {
        out.push(("missing".into(), None));
    }
    let num = |x: f64, ty: FieldType| -> String {
        match ty {
            FieldType::Int | FieldType::BigInt => format!("{}", x as i128),
            FieldType::Decimal => python::string(&format!("{x}")),
            _ => format!("{x:?}"),
        }
    };
    match f.row.ty {
        FieldType::String | FieldType::Text => {
            if let Some(max) = b.max_length {
                out.push(("too-long".into(), Some(format!("\"x\" * {}", max + 1))));
            }
            if let Some(min) = b.min_length.filter(|m| *m > 0) {
                out.push((
                    "too-short".into(),
                    Some(python::string(&"x".repeat(min as usize - 1))),
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
                    out.push(("pattern".into(), Some(python::string(&s))));
                }
            }
            out.push((
                "wrong-type".into(),
                Some("[\"not\", \"a\", \"string\"]".into()),
            ));
        }
        FieldType::Int | FieldType::BigInt | FieldType::Float | FieldType::Decimal => {
            let ty = f.row.ty;
            let step = match ty {
                FieldType::Int | FieldType::BigInt => 1.0,
                FieldType::Decimal => 10f64.powi(-(b.scale as i32)),
                _ => 0.5,
            };
            match (b.min, ty) {
                (Some(min), _) if ty != FieldType::BigInt || min > types::INT64.0 as f64 => {
                    out.push(("below-min".into(), Some(num(min - step, ty))));
                }
                (None, FieldType::Int) => out.push((
                    "below-int32".into(),
                    Some(num(types::INT32.0 as f64 - 1.0, ty)),
                )),
                _ => {}
            }
            match (b.max, ty) {
                (Some(max), _) if ty != FieldType::BigInt || max < types::INT64.1 as f64 => {
                    out.push(("above-max".into(), Some(num(max + step, ty))));
                }
                (None, FieldType::Int) => out.push((
                    "above-int32".into(),
                    Some(num(types::INT32.1 as f64 + 1.0, ty)),
                )),
                (None, FieldType::BigInt) => out.push(("above-int64".into(), Some("2**63".into()))),
                _ => {}
            }
            if ty == FieldType::Decimal {
                out.push((
                    "too-many-digits".into(),
                    Some(python::string(
                        &"9".repeat((b.precision - b.scale + 1) as usize),
                    )),
                ));
                out.push((
                    "too-many-decimals".into(),
                    Some(python::string(&format!(
                        "0.{}1",
                        "0".repeat(b.scale as usize)
                    ))),
                ));
            }
            out.push(("wrong-type".into(), Some("\"not a number\"".into())));
        }
        FieldType::Bool => out.push(("wrong-type".into(), Some("\"not a bool\"".into()))),
        FieldType::Date => out.push(("wrong-type".into(), Some("\"not a date\"".into()))),
        FieldType::DateTime => {
            out.push(("wrong-type".into(), Some("\"not a datetime\"".into())));
            out.push(("naive".into(), Some("\"2024-01-01T12:00:00\"".into())));
        }
        FieldType::Uuid => out.push(("wrong-type".into(), Some("\"not-a-uuid\"".into()))),
        FieldType::Email => out.push(("not-an-email".into(), Some("\"not-an-email\"".into()))),
        FieldType::Enum => {
            let mut bad = "not-a-value".to_owned();
            while b.values.contains(&bad) {
                bad.push('x');
            }
            out.push(("not-in-values".into(), Some(python::string(&bad))));
        }
        FieldType::Json => {}
        FieldType::Time => {
            out.push(("wrong-type".into(), Some("\"not a time\"".into())));
            out.push(("with-offset".into(), Some("\"12:00:00+01:00\"".into())));
            out.push(("out-of-range".into(), Some("\"24:00:00\"".into())));
        }
        FieldType::Url => {
            out.push(("not-a-url".into(), Some("\"not a url\"".into())));
            out.push((
                "other-scheme".into(),
                Some("\"ftp://example.com/file\"".into()),
            ));
            let base = "https://example.com/";
            out.push((
                "too-long".into(),
                Some(format!(
                    "{} + \"x\" * {}",
                    python::string(base),
                    types::MAX_URL + 1 - base.len() as u64
                )),
            ));
        }
        FieldType::StringArray => {
            out.push(("wrong-type".into(), Some("\"not a list\"".into())));
            out.push(("item-wrong-type".into(), Some("[1]".into())));
        }
        FieldType::IntArray => {
            out.push(("wrong-type".into(), Some("\"not a list\"".into())));
            out.push(("item-wrong-type".into(), Some("[\"x\"]".into())));
            out.push(("item-above-int32".into(), Some("[2147483648]".into())));
        }
    }
    out
}
