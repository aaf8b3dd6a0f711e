//! Names in the generated classes: every lowercase name a model or schema
//! class body refers to is in `names::CLASS_BODY_NAMES`, so that a field of
//! that name gets another attribute (`date` → `date_`) instead of hiding it
//! from the declarations after it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use regex::Regex;

use r#gen::app::plan_from_file;
use r#gen::names;

use crate::common::{examples, root};

/// The examples and the good specs of `tests/specs/good/`.
fn specs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = examples().into_iter().map(|(_, p)| p).collect();
    let good = std::fs::read_dir(root().join("tests/specs/good")).expect("good specs");
    let mut good: Vec<PathBuf> = good
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    good.sort();
    out.extend(good);
    out
}

/// Lowercase names loaded by the class bodies of `source`: annotations,
/// defaults, decorators and signatures of methods, not method bodies; not
/// the attributes being declared, keyword arguments or attribute accesses.
fn class_body_names(source: &str) -> BTreeSet<String> {
    let docstrings = Regex::new(r#"(?s)""".*?""""#).unwrap();
    let strings = Regex::new(r#"[rbfu]*"(?:[^"\\\n]|\\.)*""#).unwrap();
    let comment = Regex::new(r"#.*").unwrap();
    let identifier = Regex::new(r"[A-Za-z_][A-Za-z0-9_]*").unwrap();
    let source = docstrings.replace_all(source, "\"\"");
    let mut out = BTreeSet::new();
    let mut in_class = false;
    let mut in_method = false;
    for raw in source.lines() {
        let line = comment
            .replace(&strings.replace_all(raw, "\"\""), "")
            .into_owned();
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            in_class = line.starts_with("class ");
            in_method = false;
            continue;
        }
        if !in_class {
            continue;
        }
        if indent == 4 {
            in_method = false;
        } else if in_method {
            continue;
        }
        let code = line.trim_start();
        let code = if let Some(signature) = code
            .strip_prefix("def ")
            .or_else(|| code.strip_prefix("async def "))
        {
            in_method = true;
            signature
        } else {
            code
        };
        for m in identifier.find_iter(code) {
            let name = m.as_str();
            let before = code[..m.start()].chars().next_back();
            let after = code[m.end()..].trim_start();
            let declared =
                after.starts_with(':') || (after.starts_with('=') && !after.starts_with("=="));
            if before == Some('.')
                || declared
                || !name.starts_with(|c: char| c.is_ascii_lowercase())
                || names::is_python_keyword(name)
                || ["self", "cls", "value"].contains(&name)
                || m.start() == 0 && after.starts_with('(') && code.ends_with(':')
            {
                continue;
            }
            out.insert(name.to_owned());
        }
    }
    out
}

#[test]
fn class_bodies_use_only_the_names_fields_are_kept_from() {
    let mut seen = BTreeSet::new();
    for spec in specs() {
        let plan = plan_from_file(&spec).unwrap();
        for (file, planned) in plan.iter() {
            // The classes fields go into: `app/<resource>/` and `app/auth/`.
            let classes = file.ends_with("/models.py") || file.ends_with("/schemas.py");
            if !classes || !file.starts_with("app/") || file.matches('/').count() != 2 {
                continue;
            }
            // The classes' own columns (`foreign_keys=[sender_id]`) and the
            // module's association tables (`secondary=post_tags`) are checked
            // by validation: a field may not take those names.
            let own = Regex::new(r"(?m)^(?:    )?([a-z_][a-z0-9_]*)(?:: | = Table\()").unwrap();
            let defined: BTreeSet<&str> = own
                .captures_iter(&planned.content)
                .map(|c| c.get(1).unwrap().as_str())
                .collect();
            for name in class_body_names(&planned.content) {
                if defined.contains(name.as_str()) {
                    continue;
                }
                assert!(
                    names::CLASS_BODY_NAMES.contains(&name.as_str()),
                    "{}: {file}: a class body uses `{name}`; add it to names::CLASS_BODY_NAMES so that fields named so get the attribute `{name}_`",
                    spec.display()
                );
                seen.insert(name);
            }
        }
    }
    // The scan finds what it should: these names are in class bodies.
    for name in [
        "date",
        "datetime",
        "mapped_column",
        "field_validator",
        "classmethod",
        "list",
    ] {
        assert!(seen.contains(name), "{name} not found; the scan is broken");
    }
}

#[test]
fn the_scan_ignores_declared_names_keywords_and_method_bodies() {
    let source = r#"
class A(Base):
    """Docstring with words.

    more words
    """

    from_: Mapped[date | None] = mapped_column("from", Date(), default=utc_now)
    items: Mapped[list[Tag]] = relationship(
        secondary=post_tags,
        lazy="raise",
    )

    @field_validator("from_")
    @classmethod
    def _check(cls, value: object) -> object:
        """Check."""
        return sorted(value)  # a comment with words


def outside(x: int) -> str:
    return str(x)
"#;
    let found: Vec<String> = class_body_names(source).into_iter().collect();
    assert_eq!(
        found,
        [
            "classmethod",
            "date",
            "field_validator",
            "list",
            "mapped_column",
            "object",
            "post_tags",
            "relationship",
            "utc_now",
        ]
    );
}
