//! Reading a spec file: YAML text in, [`RawSpec`] and node positions out.
//!
//! serde_yaml sits behind [`parse`] alone, so the YAML library can be
//! swapped without touching validation.

pub mod raw;
pub mod spans;
pub mod words;

use std::io::Read;
use std::path::Path;

pub use raw::{RawAuth, RawField, RawPermissions, RawProject, RawRelation, RawResource, RawSpec};
use serde_path_to_error::Segment;
use serde_yaml::Value;
pub use spans::Spans;

use crate::diagnostics::{Diagnostic, SpecErrors, did_you_mean};
use crate::error::Error;

/// A spec as read from disk: its text, the file name to report, and the
/// parsed data with node positions.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file as the user named it, used in messages.
    pub file: String,
    /// The exact text, copied to `gen.yaml` in the project.
    pub text: String,
    /// The parsed spec.
    pub raw: RawSpec,
    /// Node positions for messages.
    pub spans: Spans,
}

/// The largest spec gen reads, in bytes (16 MiB: about 40,000 resources
/// of seven fields each). Larger files are refused before they are parsed.
pub const MAX_SPEC_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and parses the spec at `path`.
///
/// Errors: [`Error::Io`] when the file cannot be read, [`Error::Spec`] with
/// every problem serde could find when it is not a well-formed spec, and
/// when it is larger than [`MAX_SPEC_BYTES`] or not UTF-8.
pub fn load(path: &Path) -> Result<Spec, Error> {
    let file = path.display().to_string();
    let text = read_text(path, &file)?;
    from_text(file, text)
}

/// Parses `text`, the spec named `file` in messages.
///
/// Errors: [`Error::Spec`] as for [`load`].
pub fn from_text(file: String, text: String) -> Result<Spec, Error> {
    let (raw, spans) = parse(&file, &text)?;
    Ok(Spec {
        file,
        text,
        raw,
        spans,
    })
}

/// The text of the spec at `path` (named `file` in messages), read no
/// further than [`MAX_SPEC_BYTES`] (`/dev/zero` never ends).
///
/// Errors: [`Error::Io`]; [`Error::Spec`] when it is larger than
/// [`MAX_SPEC_BYTES`] or not UTF-8.
pub fn read_text(path: &Path, file: &str) -> Result<String, Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SPEC_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        return Err(SpecErrors(vec![Diagnostic {
            file: file.to_owned(),
            location: None,
            path: ".".to_owned(),
            message: format!(
                "the spec is larger than {} MiB, the most gen reads",
                MAX_SPEC_BYTES / 1024 / 1024
            ),
            help: Some(
                "check that this is the spec you meant; 16 MiB holds about 40,000 resources"
                    .to_owned(),
            ),
        }])
        .into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).expect("checked by valid_up_to");
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let byte = e.as_bytes()[valid.len()];
        SpecErrors(vec![Diagnostic {
            file: file.to_owned(),
            location: Some((line, column)),
            path: ".".to_owned(),
            message: format!("the spec is not valid UTF-8 (byte 0x{byte:02X})"),
            help: Some(
                "save the file as UTF-8 (not UTF-16 or Latin-1); gen reads specs only in UTF-8"
                    .to_owned(),
            ),
        }])
        .into()
    })
}

/// Most problems reported from one document before giving up.
const MAX_SHAPE_ERRORS: usize = 50;

/// Parses spec `text` (named `file` in messages).
///
/// Text that breaks a [`spans::Limit`] (too deep, aliases repeating too
/// much, a second document, a number beyond 64 bits) is refused before it
/// is parsed. YAML syntax errors stop at the first; unknown keys are all reported (each
/// is removed and parsing retried); a value of the wrong YAML type is
/// reported and ends the pass.
pub fn parse(file: &str, text: &str) -> Result<(RawSpec, Spans), SpecErrors> {
    // Limits first: serde_yaml would expand aliases and nest before it
    // complains, and without saying where.
    let spans = Spans::scan(text).map_err(|limit| {
        SpecErrors(vec![diag(
            file,
            Some(limit.position),
            &limit.path,
            limit.message,
            Some(limit.help),
        )])
    })?;
    let value = yaml_value(file, text)?;
    let raw = shape(file, value, &spans)?;
    Ok((raw, spans))
}

/// A problem of `file` at `location` and YAML `path` (`.` for the root).
fn diag(
    file: &str,
    location: Option<(usize, usize)>,
    path: &str,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        location,
        path: if path.is_empty() {
            ".".to_owned()
        } else {
            path.to_owned()
        },
        message,
        help,
    }
}

/// The YAML tree of `text`, or its syntax error (the first), a duplicate
/// key, or an empty document.
fn yaml_value(file: &str, text: &str) -> Result<Value, SpecErrors> {
    let value: Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let location = e.location().map(|l| (l.line(), l.column()));
            let message = strip_position(&e.to_string());
            if let Some((path, key)) = duplicate_key(&message) {
                let path = spans::join_key(&path, &key);
                return Err(SpecErrors(vec![diag(
                    file,
                    location,
                    &path,
                    format!("`{key}` is declared twice"),
                    Some(
                        "YAML keys must be unique within a mapping; remove or rename one of them"
                            .to_owned(),
                    ),
                )]));
            }
            // `{type: string[]}`: inside a flow mapping `[` starts a list.
            let line = location
                .and_then(|(l, _)| text.lines().nth(l.saturating_sub(1)))
                .unwrap_or_default();
            let help = if line.contains("{")
                && (line.contains("string[]") || line.contains("int[]"))
            {
                "inside `{...}` quote the array types: `{type: \"string[]\"}`, `{type: \"int[]\"}`"
            } else {
                "fix the YAML syntax at the position shown (indentation, quotes, colons)"
            };
            return Err(SpecErrors(vec![diag(
                file,
                location,
                "",
                format!("invalid YAML: {message}"),
                Some(help.to_owned()),
            )]));
        }
    };
    if value.is_null() {
        return Err(SpecErrors(vec![diag(
            file,
            Some((1, 1)),
            "",
            "the spec is empty".to_owned(),
            Some("start from `gen new DIR`, which writes a commented starter spec".to_owned()),
        )]));
    }
    Ok(value)
}

/// `value` as a [`RawSpec`]: every unknown key is reported (each removed
/// and the pass retried, up to [`MAX_SHAPE_ERRORS`]); a value of the wrong
/// YAML type is reported and ends the pass.
fn shape(file: &str, mut value: Value, spans: &Spans) -> Result<RawSpec, SpecErrors> {
    let mut errors = Vec::new();
    loop {
        let e = match serde_path_to_error::deserialize::<_, RawSpec>(value.clone()) {
            Ok(raw) if errors.is_empty() => return Ok(raw),
            Ok(_) => return Err(SpecErrors(errors)),
            Err(e) => e,
        };
        let segments: Vec<&Segment> = e.path().iter().collect();
        let path = path_string(&segments);
        let message = e.inner().to_string();
        let Some(unknown) = unknown_field(&message) else {
            let (message, help) = explain(&path, &message);
            let location = if path.is_empty() {
                Some((1, 1))
            } else {
                spans.value(&path)
            };
            errors.push(diag(file, location, &path, message, help));
            return Err(SpecErrors(errors));
        };
        let expected = expected_fields(&message);
        let help = match did_you_mean(&unknown, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? Allowed keys: {}", expected.join(", ")),
            None => format!("remove it; allowed keys: {}", expected.join(", ")),
        };
        let path = if path.ends_with(&unknown) {
            path
        } else {
            spans::join_key(&path, &unknown)
        };
        errors.push(diag(
            file,
            spans.key_or_value(&path),
            &path,
            format!("unknown key `{unknown}`"),
            Some(help),
        ));
        let removed = remove(&mut value, &segments, &unknown);
        if !removed || errors.len() >= MAX_SHAPE_ERRORS {
            return Err(SpecErrors(errors));
        }
    }
}

/// Formats serde_path_to_error segments the way [`Spans`] keys paths.
fn path_string(segments: &[&Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out = spans::join_key(&out, key);
            }
            Segment::Unknown => out = spans::join_key(&out, "?"),
        }
    }
    out
}

/// The mapping path and key of serde_yaml's "PATH: duplicate entry with key \"K\"".
fn duplicate_key(message: &str) -> Option<(String, String)> {
    let (path, rest) = match message.split_once(": duplicate entry with key ") {
        Some((p, r)) => (p.to_owned(), r),
        None => (
            String::new(),
            message.strip_prefix("duplicate entry with key ")?,
        ),
    };
    Some((path, rest.trim_matches('"').to_owned()))
}

/// Drops serde_yaml's trailing " at line L column C".
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The key named by serde's "unknown field `x`, expected ..." message.
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// The keys listed after "expected" in serde's unknown-field message.
fn expected_fields(message: &str) -> Vec<String> {
    let Some(i) = message.find("expected") else {
        return Vec::new();
    };
    message[i..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Removes the unknown key from the mapping `segments` leads to (the key
/// itself may or may not be the last segment).
fn remove(value: &mut Value, segments: &[&Segment], key: &str) -> bool {
    let mut node = value;
    let mut segments = segments.to_vec();
    if let Some(Segment::Map { key: last }) = segments.last() {
        if last == key {
            segments.pop();
        }
    }
    for segment in segments {
        node = match (segment, node) {
            (Segment::Map { key }, Value::Mapping(map)) => match map.get_mut(key.as_str()) {
                Some(child) => child,
                None => return false,
            },
            (Segment::Seq { index }, Value::Sequence(seq)) => match seq.get_mut(*index) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match node {
        Value::Mapping(map) => map.remove(key).is_some(),
        _ => false,
    }
}

/// Rewrites serde's type errors in the spec's words, with a help line.
fn explain(path: &str, message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = &rest[..rest.find('`').unwrap_or(rest.len())];
        return (
            format!("missing required key `{key}`"),
            Some(format!("add `{key}:` here; docs/spec.md lists every key")),
        );
    }
    let wrong = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    if let Some(rest) = wrong {
        let (found, expected) = rest
            .rsplit_once(", expected ")
            .unwrap_or((rest, "another type"));
        let expected = plain_type(expected);
        if let Some(number) = float_beyond_64_bits(found).filter(|_| expected == "a number") {
            return (
                format!("the number {number} is beyond the range of a 64-bit float"),
                Some(
                    "write a number between -1.7976931348623157e308 and 1.7976931348623157e308"
                        .to_owned(),
                ),
            );
        }
        let help =
            if path.ends_with(".fields") || path.ends_with(".relations") || path == "resources" {
                "this must be a mapping of names to definitions".to_owned()
            } else if path.contains(".relations.") && expected == "a mapping" {
                "write a relation as a mapping, like `{kind: many_to_one, to: Category}`".to_owned()
            } else {
                format!("write {expected} here; docs/spec.md gives the type each key takes")
            };
        return (format!("expected {expected}, found {found}"), Some(help));
    }
    (message.to_owned(), None)
}

/// The text of serde's `string "1e400"` when it is a number too large for
/// an `f64` (serde_yaml reads such a plain scalar as a string).
fn float_beyond_64_bits(found: &str) -> Option<&str> {
    let text = found.strip_prefix("string \"")?.strip_suffix('"')?;
    let number: f64 = text.parse().ok()?;
    let named = ["inf", "infinity", "nan"]
        .contains(&text.trim_start_matches(['+', '-']).to_lowercase().as_str());
    (number.is_infinite() && !named).then_some(text)
}

/// serde's name of an expected type in the spec's own words (`struct
/// RawProject` and `a map` are mappings, `a sequence` a list, `u32` a whole
/// number that is not negative).
fn plain_type(expected: &str) -> &str {
    match expected.trim() {
        e if e.starts_with("struct ") || e == "a map" => "a mapping",
        "a sequence" => "a list",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        e if e.starts_with("a field type name") => "a field type name or a mapping with `type:`",
        e => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_unknown_key() {
        let text = "version: 1\nproject:\n  name: x\n  titel: X\nresources:\n  Post:\n    fields:\n      title: {type: string, nulable: true}\n";
        let errors = parse("s.yaml", text).unwrap_err().0;
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(errors[0].path, "project.titel");
        assert_eq!(errors[0].location, Some((4, 3)));
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `title`")
        );
        assert_eq!(errors[1].path, "resources.Post.fields.title.nulable");
        assert_eq!(errors[1].location, Some((8, 29)));
    }

    #[test]
    fn unquoted_array_types_in_flow_mappings_get_a_hint() {
        let text = "version: 1\nproject: {name: x}\nresources:\n  A:\n    fields:\n      tags: {type: string[]}\n";
        let errors = parse("s.yaml", text).unwrap_err().0;
        assert_eq!(errors[0].location.map(|l| l.0), Some(6));
        assert!(
            errors[0].help.as_deref().unwrap().contains("\"string[]\""),
            "{:?}",
            errors[0]
        );
        let block =
            "version: 1\nproject: {name: x}\nresources:\n  A:\n    fields:\n      tags: string[]\n";
        assert!(parse("s.yaml", block).is_ok());
    }

    #[test]
    fn syntax_error_has_position() {
        let errors = parse("s.yaml", "version: 1\nproject: [\n").unwrap_err().0;
        assert!(errors[0].location.is_some());
        assert!(errors[0].message.starts_with("invalid YAML"));
    }
}
