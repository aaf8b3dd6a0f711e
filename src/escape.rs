//! Text from the spec, escaped for each language gen writes: one function
//! per target, so that no spec string reaches a generated file unescaped.
//!
//! | Target | Function | Template filter |
//! | --- | --- | --- |
//! | Python string literal | [`crate::python::string`] | `py` |
//! | Python docstring (`"""` body) | [`crate::python::docstring`] | `py_doc` |
//! | TOML basic string | [`toml`] | `toml` |
//! | YAML double-quoted scalar | [`yaml`] (and [`yaml_plain`], which leaves safe words unquoted) | `yaml` |
//! | INI value (configparser) | [`ini`] | `ini` |
//! | Markdown inline text | [`markdown`] | `md` |
//! | POSIX shell word | [`shell`] | `sh` |
//!
//! Rust code that lays out a file calls the function; templates apply the
//! filter (`{{ model.project.title | md }}`), registered by
//! [`register_filters`]. Each function follows the named spec and its
//! tests parse the output back with the real parser (`tests/compile.rs`).

use std::collections::HashMap;
use std::fmt::Write as _;

use tera::{Tera, Value};

use crate::python;

/// A TOML basic string, quotes included (TOML v1.0.0, "String"): `"` and
/// `\` are escaped, and so is every control character other than tab
/// (U+0000 to U+0008, U+000A to U+001F, U+007F), with the short escapes
/// `\b \t \n \f \r` where TOML has them and `\uXXXX` otherwise.
pub fn toml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push('\t'),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML double-quoted scalar, quotes included (YAML 1.2.2, 5.7 "Escaped
/// Characters" and 7.3.1 "Double-Quoted Style"): `"` and `\` are escaped,
/// and so is every character outside YAML's printable set (C0 controls
/// but tab, DEL, C1 controls but NEL, U+FFFE, U+FFFF). NEL, U+2028 and
/// U+2029, line breaks to YAML 1.1 readers (PyYAML), and the byte-order
/// mark are escaped as well (`\N`, `\L`, `\P`, `\uFEFF`).
pub fn yaml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push('\t'),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words YAML resolves to something other than a string when plain:
/// YAML 1.2's core schema (`null`, `true`, `false`, any case as written
/// there) and YAML 1.1's booleans, which PyYAML and older tools still read.
const YAML_WORDS: &[&str] = &["null", "true", "false", "yes", "no", "on", "off", "y", "n"];

/// A YAML scalar written plain when that reads back as the same string,
/// else double-quoted by [`yaml`] (the one YAML escaping function; this only
/// decides whether quotes are needed). Plain means: an ASCII letter, then
/// ASCII letters, digits, `_`, `-` and `.` (YAML 1.2, 7.3.3 "Plain Style":
/// none of these is an indicator), and not a word of [`YAML_WORDS`]. In
/// block context (`in_flow` false) a trailing `[]` is plain too
/// (`tags: string[]`); inside `{...}` it would start a sequence.
pub fn yaml_plain(s: &str, in_flow: bool) -> String {
    let body = if in_flow {
        s
    } else {
        s.strip_suffix("[]").unwrap_or(s)
    };
    let plain = body.starts_with(|c: char| c.is_ascii_alphabetic())
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !YAML_WORDS.contains(&s.to_ascii_lowercase().as_str());
    if plain { s.to_owned() } else { yaml(s) }
}

/// A one-line INI value as Python's `configparser` reads it with
/// `BasicInterpolation` (Alembic's `alembic.ini`; Python docs,
/// "configparser: Supported INI File Structure" and "Interpolation of
/// values"): `%` is written `%%`. INI has no escapes: a line break would
/// start a continuation line or a new key, so line breaks (whatever
/// `str.splitlines` splits on) and other control characters become spaces,
/// and the surrounding whitespace configparser strips is trimmed here.
pub fn ini(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .replace('%', "%%")
}

/// Characters CommonMark gives a meaning inside a line: emphasis, code,
/// links, raw HTML and entities, GFM tables and strikethrough, and the
/// closing `#`s of a heading.
const MARKDOWN_INLINE: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '&', '~', '#'];

/// Free text as one line of Markdown that renders as that text (CommonMark
/// 0.31, "Backslash escapes": any ASCII punctuation may be escaped with
/// `\`). ``\ ` * _ [ ] < > | & ~ #`` are escaped; a leading `-`,
/// `+`, `=` or `1.` / `1)` that could start a list or underline a heading
/// is escaped; line breaks and other whitespace runs become one space (a
/// heading or table cell is one line); NUL and other control characters
/// become U+FFFD, as CommonMark does for NUL ("Insecure characters").
pub fn markdown(s: &str) -> String {
    let mut flat = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !flat.is_empty() {
            flat.push(' ');
        }
        flat.push_str(word);
    }
    let digits = flat.chars().take_while(char::is_ascii_digit).count();
    let mut out = String::with_capacity(flat.len());
    for (i, c) in flat.chars().enumerate() {
        let block_start = (i == 0 && matches!(c, '-' | '+' | '='))
            || (i == digits && digits > 0 && matches!(c, '.' | ')'));
        if MARKDOWN_INLINE.contains(&c) || block_start {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            out.push('\u{fffd}');
        } else {
            out.push(c);
        }
    }
    out
}

/// One Tera filter: a string in, `escape` applied, a string out.
fn filter(
    name: &'static str,
    escape: fn(&str) -> String,
) -> impl Fn(&Value, &HashMap<String, Value>) -> tera::Result<Value> {
    move |value: &Value, _: &HashMap<String, Value>| match value {
        Value::String(s) => Ok(Value::String(escape(s))),
        other => Err(tera::Error::msg(format!(
            "filter `{name}` takes a string, got {other}"
        ))),
    }
}

/// A POSIX shell word, single quotes included (POSIX.1-2017, 2.2.2
/// "Single-Quotes": nothing inside them is special but `'` itself, which
/// is closed, escaped and reopened as `'\''`).
pub fn shell(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Registers the filters of the table above with `tera`.
pub fn register_filters(tera: &mut Tera) {
    tera.register_filter("py", filter("py", python::string));
    tera.register_filter("py_doc", filter("py_doc", python::docstring));
    tera.register_filter("toml", filter("toml", toml));
    tera.register_filter("yaml", filter("yaml", yaml));
    tera.register_filter("ini", filter("ini", ini));
    tera.register_filter("md", filter("md", markdown));
    tera.register_filter("sh", filter("sh", shell));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings() {
        assert_eq!(toml("Shop API"), "\"Shop API\"");
        assert_eq!(toml("C:\\Users \"x\""), "\"C:\\\\Users \\\"x\\\"\"");
        assert_eq!(toml("a\0b\n\u{7f}\t"), "\"a\\u0000b\\n\\u007F\t\"");
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell("a b"), "'a b'");
        assert_eq!(shell("it's $HOME"), "'it'\\''s $HOME'");
    }

    #[test]
    fn yaml_scalars() {
        assert_eq!(yaml("plain"), "\"plain\"");
        assert_eq!(yaml("a\\b\"c"), "\"a\\\\b\\\"c\"");
        assert_eq!(
            yaml("\0\u{1b}\u{85}\u{2028}\u{feff}\u{9f}"),
            "\"\\0\\e\\N\\L\\uFEFF\\u009F\""
        );
    }

    #[test]
    fn yaml_plain_when_safe() {
        assert_eq!(yaml_plain("Comment", false), "Comment");
        assert_eq!(yaml_plain("string[]", false), "string[]");
        assert_eq!(yaml_plain("string[]", true), "\"string[]\"");
        assert_eq!(yaml_plain("yes", false), "\"yes\"");
        assert_eq!(yaml_plain("True", true), "\"True\"");
        assert_eq!(yaml_plain("1st", false), "\"1st\"");
        assert_eq!(yaml_plain("a: {b: 1}", false), "\"a: {b: 1}\"");
        assert_eq!(
            yaml_plain("x\n  owned: true", false),
            "\"x\\n  owned: true\""
        );
    }

    #[test]
    fn ini_values() {
        assert_eq!(ini("100% sure"), "100%% sure");
        assert_eq!(ini(" two\nlines\u{2028}"), "two lines");
    }

    #[test]
    fn markdown_text() {
        assert_eq!(markdown("Shop API"), "Shop API");
        assert_eq!(
            markdown("Catalogue, orders and wishlists."),
            "Catalogue, orders and wishlists."
        );
        assert_eq!(markdown("*a* <b> `c`"), "\\*a\\* \\<b\\> \\`c\\`");
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("12. x"), "12\\. x");
        assert_eq!(markdown("C# API #"), "C\\# API \\#");
        assert_eq!(markdown("two\n\n# lines\0"), "two \\# lines\u{fffd}");
        assert_eq!(markdown("well-known 1.5"), "well-known 1.5");
    }

    #[test]
    fn filters_escape_strings_and_refuse_the_rest() {
        let mut tera = Tera::default();
        register_filters(&mut tera);
        let mut context = tera::Context::new();
        context.insert("s", "C:\\Users");
        context.insert("n", &3);
        let out = tera
            .render_str(
                "{{ s | py }} {{ s | py_doc }} {{ s | toml }} {{ s | md }}",
                &context,
            )
            .unwrap();
        assert_eq!(
            out,
            "\"C:\\\\Users\" C:\\\\Users \"C:\\\\Users\" C:\\\\Users"
        );
        assert!(tera.render_str("{{ n | toml }}", &context).is_err());
    }
}
