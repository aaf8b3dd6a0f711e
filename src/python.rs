//! Pieces of Python source: literals, calls wrapped the way `ruff format`
//! wraps them, and import blocks sorted the way ruff's isort rules sort them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// `ruff format`'s default line length.
pub const LINE_LENGTH: usize = 88;

/// A Python string literal, escaping what must be escaped, in the quotes
/// `ruff format` picks: double, unless single quotes need fewer escapes.
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
/// plain escaped string.
pub fn regex(pattern: &str) -> String {
    if pattern.contains('"') || pattern.ends_with('\\') || pattern.contains('\n') {
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
