//! Pieces of Python source: literals, calls wrapped the way `ruff format`
//! wraps them, and import blocks sorted the way ruff's isort rules sort them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// `ruff format`'s default line length.
pub const LINE_LENGTH: usize = 88;

/// A Python string literal, escaping what must be escaped, in the quotes
/// `ruff format` picks: double, unless single quotes need fewer escapes.
///
/// The one escaping function for text gen puts into Python code as a
/// value. Rules from Python's lexical spec ("String and Bytes literals"):
/// a backslash starts an escape sequence and the quote ends the literal, so
/// both are escaped; a short literal cannot hold a line break (`\r` alone
/// would be read as one), and source code cannot hold NUL at all, so line
/// breaks and every other C0 control character are written as escapes.
pub fn string(s: &str) -> String {
    let double = s.matches('"').count();
    let single = s.matches('\'').count();
    let quote = if double > single { '\'' } else { '"' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A regular expression as a Python raw string when it can be one, else a
/// plain escaped string ([`string`]). A raw string has no escapes at all,
/// so it cannot hold its quote, end with a backslash, or hold a control
/// character (a NUL, or a line break, is not allowed in it).
pub fn regex(pattern: &str) -> String {
    if pattern.contains('"') || pattern.ends_with('\\') || pattern.chars().any(char::is_control) {
        string(pattern)
    } else {
        format!("r\"{pattern}\"")
    }
}

/// A JSON value as a Python literal (`true` → `True`, `null` → `None`).
pub fn literal(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(literal).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", string(k), literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A JSON value as a Python literal laid out the way `ruff format` leaves
/// it: on one line when `indent + head + literal + tail` columns fit, else a
/// list or dict exploded one item per line with trailing commas (strings and
/// numbers cannot be split and stay on their line). `head` counts what
/// precedes the value on its first line (`"key": `), `tail` what follows it
/// (`,`).
pub fn literal_at(value: &Value, indent: usize, head: usize, tail: usize) -> String {
    let one_line = literal(value);
    if indent + head + one_line.chars().count() + tail <= LINE_LENGTH {
        return one_line;
    }
    let pad = " ".repeat(indent + 4);
    match value {
        Value::Array(items) if !items.is_empty() => {
            let mut out = String::from("[\n");
            for item in items {
                out.push_str(&format!("{pad}{},\n", literal_at(item, indent + 4, 0, 1)));
            }
            out.push_str(&format!("{}]", " ".repeat(indent)));
            out
        }
        Value::Object(map) if !map.is_empty() => {
            let mut out = String::from("{\n");
            for (key, item) in map {
                let key = format!("{}: ", string(key));
                let item = literal_at(item, indent + 4, key.chars().count(), 1);
                out.push_str(&format!("{pad}{key}{item},\n"));
            }
            out.push_str(&format!("{}}}", " ".repeat(indent)));
            out
        }
        _ => one_line,
    }
}

/// `{"key": value, ...}` exploded one entry per line at `indent + 4`
/// spaces with trailing commas (kept so by ruff's magic trailing comma),
/// closing at `indent`; `{}` when there are no entries.
pub fn dict_at(entries: &[(String, Value)], indent: usize) -> String {
    if entries.is_empty() {
        return "{}".to_owned();
    }
    let pad = " ".repeat(indent + 4);
    let mut out = String::from("{\n");
    for (key, value) in entries {
        let key = format!("{}: ", string(key));
        let value = literal_at(value, indent + 4, key.chars().count(), 1);
        out.push_str(&format!("{pad}{key}{value},\n"));
    }
    out.push_str(&format!("{}}}", " ".repeat(indent)));
    out
}

/// Free text for the inside of a `"""` docstring, or any triple-quoted
/// string: the one escaping function for text gen puts into Python code
/// as documentation.
///
/// Rules from Python's lexical spec ("String and Bytes literals"): a
/// backslash starts an escape sequence (`C:\Users` would be a broken
/// `\U` escape), so it is doubled; `"""` would end the string, and so
/// would a `"` just before the closing quotes, so those quotes are escaped;
/// source code cannot hold NUL, and a lone `\r` would be read as a line
/// break, so control characters other than line feed and tab are written as
/// `\xNN` escapes. Everything else, line feeds and unicode included, is
/// legal as it is.
pub fn docstring(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quotes = 0;
    for c in text.chars() {
        if c == '"' {
            quotes += 1;
            if quotes == 3 {
                out.push_str("\\\"\\\"\\\"");
                quotes = 0;
            }
            continue;
        }
        out.push_str(&"\"".repeat(quotes));
        quotes = 0;
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' | '\t' => out.push(c),
            c if c.is_ascii_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    if quotes > 0 {
        out.push_str(&"\\\"".repeat(quotes));
    }
    out
}

/// Free text as the body lines of a docstring at `indent` spaces: words
/// wrapped within [`LINE_LENGTH`], escaped by [`docstring`].
pub fn docstring_lines(text: &str, indent: usize) -> Vec<String> {
    let width = LINE_LENGTH.saturating_sub(indent).max(20);
    let escaped = docstring(text);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in escaped.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `head(arg, arg)tail` on one line when it fits in [`LINE_LENGTH`] at
/// `indent` spaces, else one argument per line with a trailing comma (the
/// magic trailing comma keeps `ruff format` from joining them again).
pub fn call(head: &str, args: &[String], tail: &str, indent: usize) -> String {
    let one_line = format!("{head}({}){tail}", args.join(", "));
    if indent + one_line.chars().count() <= LINE_LENGTH && !one_line.contains('\n') {
        return one_line;
    }
    let pad = " ".repeat(indent + 4);
    let mut out = format!("{head}(\n");
    for arg in args {
        out.push_str(&format!("{pad}{arg},\n"));
    }
    out.push_str(&format!("{}){tail}", " ".repeat(indent)));
    out
}

/// `head[item, item]` on one line when it fits in [`LINE_LENGTH`] after
/// `lead` (what comes before it on its line), else one item per line with
/// a trailing comma. One item never gets that comma: `ruff format` reads
/// `X["a",]` as a tuple and joins it again.
pub fn subscript(lead: &str, head: &str, items: &[String]) -> String {
    let one_line = format!("{head}[{}]", items.join(", "));
    if items.len() == 1 || lead.chars().count() + one_line.chars().count() <= LINE_LENGTH {
        return one_line;
    }
    let mut out = format!("{head}[\n");
    for item in items {
        out.push_str(&format!("    {item},\n"));
    }
    out.push(']');
    out
}

/// `head(arg, arg)` as one argument of a call laid out one argument per
/// line: like [`call`], but it fits only when it fits with the comma that
/// follows it there (`ruff format` counts that comma in the line's width).
pub fn argument(head: &str, args: &[String], indent: usize) -> String {
    let laid = call(head, args, ",", indent);
    laid.strip_suffix(',')
        .expect("a call ends with its tail")
        .to_owned()
}

/// Import sections in ruff isort's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Future,
    StandardLibrary,
    ThirdParty,
    FirstParty,
}

const STDLIB: &[&str] = &[
    "argparse",
    "asyncio",
    "collections",
    "contextlib",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "functools",
    "gc",
    "json",
    "logging",
    "os",
    "pathlib",
    "secrets",
    "sys",
    "tempfile",
    "typing",
    "uuid",
];

fn section(module: &str) -> Section {
    let top = module.split('.').next().unwrap_or(module);
    if top == "__future__" {
        Section::Future
    } else if STDLIB.contains(&top) {
        Section::StandardLibrary
    } else if top == "app" || top == "tests" {
        Section::FirstParty
    } else {
        Section::ThirdParty
    }
}

/// ruff isort's `order-by-type` key: CONSTANTS, then Classes, then names;
/// within each, case-insensitively first (`ReadScope` before `ReForRead`).
fn member_key(name: &str) -> (u8, String, String) {
    let kind = if name.len() > 1
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        0
    } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        1
    } else {
        2
    };
    (kind, name.to_lowercase(), name.to_owned())
}

/// A set of `from module import name` and `import module` lines.
#[derive(Debug, Clone, Default)]
pub struct Imports {
    modules: BTreeSet<String>,
    names: BTreeMap<String, BTreeSet<String>>,
}

impl Imports {
    /// Adds `from module import name`.
    pub fn from(&mut self, module: &str, name: &str) -> &mut Self {
        self.names
            .entry(module.to_owned())
            .or_default()
            .insert(name.to_owned());
        self
    }

    /// Adds `from <module> import name`, the module looked up in the
    /// symbol table ([`crate::symbols::module_of`]).
    pub fn uses(&mut self, name: &str) -> &mut Self {
        self.from(crate::symbols::module_of(name), name)
    }

    /// Adds `import module`.
    pub fn module(&mut self, module: &str) -> &mut Self {
        self.modules.insert(module.to_owned());
        self
    }

    /// The import block: sections separated by a blank line, plain imports
    /// before from-imports in each, long lines wrapped.
    pub fn render(&self) -> String {
        self.render_at(0)
    }

    /// [`Imports::render`] for a block indented by `indent` spaces (the
    /// lines themselves are not indented; only wrapping takes it into account).
    pub fn render_at(&self, indent: usize) -> String {
        let mut sections: BTreeMap<Section, (Vec<String>, Vec<String>)> = BTreeMap::new();
        for m in &self.modules {
            sections
                .entry(section(m))
                .or_default()
                .0
                .push(format!("import {m}"));
        }
        for (m, names) in &self.names {
            // Like ruff's isort without `combine-as-imports`: an aliased
            // name gets a statement of its own; statements of one module are
            // ordered by their first name.
            let (aliased, plain): (Vec<&String>, Vec<&String>) =
                names.iter().partition(|n| n.contains(" as "));
            let mut groups: Vec<Vec<String>> =
                aliased.into_iter().map(|n| vec![n.clone()]).collect();
            if !plain.is_empty() {
                let mut plain: Vec<String> = plain.into_iter().cloned().collect();
                plain.sort_by_key(|n| member_key(n));
                groups.push(plain);
            }
            groups.sort_by_key(|g| member_key(&g[0]));
            for args in groups {
                let line = format!("from {m} import {}", args.join(", "));
                let line = if indent + line.len() <= LINE_LENGTH {
                    line
                } else {
                    call(&format!("from {m} import "), &args, "", indent)
                };
                sections.entry(section(m)).or_default().1.push(line);
            }
        }
        sections
            .into_values()
            .map(|(plain, from)| plain.into_iter().chain(from).collect::<Vec<_>>().join("\n"))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_long_calls() {
        let short = call("x = f", &["1".into(), "b=2".into()], "", 4);
        assert_eq!(short, "x = f(1, b=2)");
        let args: Vec<String> = (0..12).map(|i| format!("argument_{i}")).collect();
        let long = call("x = f", &args, "", 4);
        assert!(long.starts_with("x = f(\n        argument_0,\n"));
        assert!(long.ends_with("        argument_11,\n    )"));
    }

    #[test]
    fn subscripts_wrap_like_ruff() {
        let one = vec![string("post")];
        assert_eq!(subscript("T = ", "Literal", &one), "Literal[\"post\"]");
        let two = vec![string("post"), string("reply")];
        assert_eq!(
            subscript("T = ", "Literal", &two),
            "Literal[\"post\", \"reply\"]"
        );
        let many: Vec<String> = (0..12).map(|i| string(&format!("resource_{i}"))).collect();
        let long = subscript("T = ", "Literal", &many);
        assert!(long.starts_with("Literal[\n    \"resource_0\",\n"));
        assert!(long.ends_with("    \"resource_11\",\n]"));
    }

    #[test]
    fn an_argument_counts_the_comma_after_it() {
        // 8 spaces + 80 characters: fits as a statement, not with the comma.
        let args = vec!["a".repeat(37), "b".repeat(37)];
        let flat = format!("fn({}, {})", args[0], args[1]);
        assert_eq!(8 + flat.len(), LINE_LENGTH);
        assert_eq!(call("fn", &args, "", 8), flat);
        let laid = argument("fn", &args, 8);
        assert!(laid.starts_with("fn(\n            aaa"), "{laid}");
        assert!(laid.ends_with("b,\n        )"), "{laid}");
        assert_eq!(argument("fn", &args[..1], 8), format!("fn({})", args[0]));
    }

    #[test]
    fn lays_out_literals_like_ruff() {
        let short = serde_json::json!({"a": [1, 2]});
        assert_eq!(literal_at(&short, 4, 0, 1), "{\"a\": [1, 2]}");
        let long = serde_json::json!(["x".repeat(40), "y".repeat(40)]);
        let laid = literal_at(&long, 8, 10, 1);
        assert!(laid.starts_with("[\n            \"xxx"), "{laid}");
        assert!(laid.ends_with("\",\n        ]"), "{laid}");
        let entries = vec![("n".to_owned(), serde_json::json!(1))];
        assert_eq!(dict_at(&entries, 4), "{\n        \"n\": 1,\n    }");
        assert_eq!(dict_at(&[], 4), "{}");
    }

    #[test]
    fn wraps_and_escapes_docstrings() {
        let text = format!("{} end \"\"\" and \\d", "word ".repeat(30));
        let lines = docstring_lines(&text, 4);
        assert!(
            lines.iter().all(|l| 4 + l.len() <= LINE_LENGTH),
            "{lines:?}"
        );
        let last = lines.last().unwrap();
        assert!(last.ends_with("end \\\"\\\"\\\" and \\\\d"), "{last}");
    }

    /// Python's lexical spec: no NUL in source, no unescaped backslash,
    /// and no quote that would end the string early.
    #[test]
    fn escapes_what_python_cannot_read_as_it_is() {
        assert_eq!(docstring("C:\\Users"), "C:\\\\Users");
        assert_eq!(docstring("a\0b\rc\nd"), "a\\x00b\\x0dc\nd");
        assert_eq!(docstring("say \"hi\""), "say \"hi\\\"");
        assert_eq!(docstring("\"\"\"\""), "\\\"\\\"\\\"\\\"");
        assert_eq!(regex("^a\\d$"), "r\"^a\\d$\"");
        assert_eq!(regex("a\0b"), "\"a\\x00b\"");
        assert_eq!(string("a\0\\"), "\"a\\x00\\\\\"");
    }

    #[test]
    fn sorts_imports() {
        let mut i = Imports::default();
        i.from("sqlalchemy", "func")
            .from("sqlalchemy", "String")
            .from("app.database", "Base");
        i.from("uuid", "UUID")
            .from("datetime", "datetime")
            .module("enum");
        assert_eq!(
            i.render(),
            "import enum\nfrom datetime import datetime\nfrom uuid import UUID\n\nfrom sqlalchemy import String, func\n\nfrom app.database import Base"
        );
    }

    /// A resource `Re` imports `ReForRead` next to `ReadScope`: ruff
    /// compares names case-insensitively before comparing them exactly.
    #[test]
    fn sorts_names_case_insensitively_like_ruff() {
        let mut i = Imports::default();
        for name in [
            "ReForRead",
            "ReadScope",
            "Creator",
            "RE_KEYS",
            "ReForDelete",
        ] {
            i.from("app.re.dependencies", name);
        }
        assert_eq!(
            i.render(),
            "from app.re.dependencies import RE_KEYS, Creator, ReadScope, ReForDelete, ReForRead"
        );
    }
}
