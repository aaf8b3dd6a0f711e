//! Names the generated code uses, and the spec names they rule out:
//!
//! - every lowercase name a model or schema class body refers to is in
//!   `reserved::TABLE` as `Class::ClassBody`, so that a field of that name
//!   gets another attribute (`date` → `date_`) instead of hiding it from
//!   the declarations after it;
//! - every name the functions of a resource's modules bind is either
//!   refused as a resource name (`Class::Variable`: a row held in a
//!   variable of that name would shadow it) or known to be harmless;
//! - every class-like name the modules import or define is a
//!   `Class::ClassName`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use regex::Regex;

use r#gen::app::plan_from_file;
use r#gen::reserved::{self, Class};

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
    let strings = Regex::new(r#"[rbfu]*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"#).unwrap();
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
        // `) -> T:` closes a signature written over several lines.
        if indent == 4 && !line.trim_start().starts_with(')') {
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
                || reserved::is_python_keyword(name)
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
    // The classes' own columns (`foreign_keys=[sender_id]`) and the module's
    // association tables (`secondary=post_tags`) are checked by validation:
    // a field may not take those names.
    let own = Regex::new(r"(?m)^(?:    )?([a-z_][a-z0-9_]*)(?:: | = Table\()").unwrap();
    for spec in specs() {
        let plan = plan_from_file(&spec).unwrap();
        for (file, planned) in plan.iter() {
            // The classes fields go into: `app/<resource>/` and `app/auth/`.
            let classes = file.ends_with("/models.py") || file.ends_with("/schemas.py");
            if !classes || !file.starts_with("app/") || file.matches('/').count() != 2 {
                continue;
            }
            let defined: BTreeSet<&str> = own
                .captures_iter(&planned.content)
                .map(|c| c.get(1).unwrap().as_str())
                .collect();
            for name in class_body_names(&planned.content) {
                if defined.contains(name.as_str()) {
                    continue;
                }
                assert!(
                    reserved::is(&name, Class::ClassBody),
                    "{}: {file}: a class body uses `{name}`; add it to reserved::TABLE as Class::ClassBody so that fields named so get the attribute `{name}_`",
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

/// Lowercase names the functions of `source` bind (parameters, assigned
/// variables, loop variables) or that the module binds at its top level
/// (imports, assignments) for its functions to use.
fn function_names(source: &str) -> BTreeSet<String> {
    let strings = Regex::new(r#"[rbfu]*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"#).unwrap();
    let parameter = Regex::new(r"^\s+\*?([a-z_][a-z0-9_]*)(?::|,$|\)|=)").unwrap();
    let assigned = Regex::new(r"^\s*([a-z_][a-z0-9_]*)(?:: [^=]+)? = ").unwrap();
    let unpacked = Regex::new(r"^\s+([a-z_][a-z0-9_]*), ([a-z_][a-z0-9_]*) = ").unwrap();
    let loop_vars = Regex::new(r"\bfor ([a-z_][a-z0-9_]*)(?:, ([a-z_][a-z0-9_]*))? in ").unwrap();
    let one_line_def = Regex::new(r"def [a-z_0-9]+\(([^)]*)\)").unwrap();
    let import = Regex::new(r"^(?:from \S+ )?import (.*)$").unwrap();
    let mut out = BTreeSet::new();
    let mut in_signature = false;
    let mut in_import = false;
    for raw in source.lines() {
        let line = strings.replace_all(raw, "\"\"").into_owned();
        let trimmed = line.trim_start();
        if in_import {
            if trimmed.starts_with(')') {
                in_import = false;
            } else {
                let name = trimmed.trim_end_matches(',');
                out.insert(name.rsplit(" as ").next().unwrap().to_owned());
            }
            continue;
        }
        if let Some(c) = import.captures(&line) {
            let names = c.get(1).unwrap().as_str();
            if names.trim() == "(" {
                in_import = true;
            } else {
                for name in names.split(", ") {
                    out.insert(name.rsplit(" as ").next().unwrap().trim().to_owned());
                }
            }
            continue;
        }
        if trimmed.starts_with("def ") || trimmed.starts_with("async def ") {
            if let Some(c) = one_line_def.captures(&line) {
                for p in c.get(1).unwrap().as_str().split(", ") {
                    let p = p.trim_start_matches('*');
                    let name = p.split([':', '=']).next().unwrap().trim();
                    if !name.is_empty() {
                        out.insert(name.to_owned());
                    }
                }
            } else {
                in_signature = true;
            }
            continue;
        }
        if in_signature {
            if trimmed.starts_with(')') {
                in_signature = false;
            } else if let Some(c) = parameter.captures(&line) {
                out.insert(c[1].to_owned());
            }
            continue;
        }
        for re in [&assigned, &unpacked] {
            if let Some(c) = re.captures(&line) {
                out.extend(c.iter().skip(1).flatten().map(|m| m.as_str().to_owned()));
            }
        }
        for c in loop_vars.captures_iter(&line) {
            out.extend(c.iter().skip(1).flatten().map(|m| m.as_str().to_owned()));
        }
    }
    out.retain(|n| n.starts_with(|c: char| c.is_ascii_lowercase()));
    out
}

/// Names the generated functions bind that a resource may still take:
/// checked by generating resources of these names with every relation
/// kind, both paginations and field permissions, and running their tests.
/// Their functions never hold a row under that name and use it otherwise.
const VARIABLES_RESOURCES_MAY_TAKE: &[&str] = &[
    "after",
    "body",
    "child",
    "client",
    "copy",
    "current",
    "cursor",
    "decode_cursor",
    "encode_cursor",
    "ensure_exists",
    "ensure_unique",
    "ensure_unique_together",
    "func",
    "include_deleted",
    "is_null",
    "item",
    "items",
    "key",
    "limit",
    "logging",
    "n",
    "nested",
    "offset",
    "order",
    "others",
    "order_by",
    "page",
    "parent",
    "response",
    "responses",
    "result",
    "router",
    "routes",
    "row_keys",
    "samples",
    "select",
    "selectinload",
    "sort",
    "start_after",
    "status",
    "stmt",
    "target",
    "where",
    "written",
];

#[test]
fn resources_cannot_take_the_names_of_generated_variables() {
    let mut unknown = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for spec in specs() {
        let model = r#gen::app::model_from_file(&spec).unwrap();
        // Names made from the spec's own names are the resources' business.
        let mut derived: BTreeSet<String> = BTreeSet::new();
        for r in &model.resources {
            derived.extend([r.snake.clone(), r.plural.clone(), r.id_param.clone()]);
            derived.extend(r.fields.iter().map(|f| f.name.clone()));
            for rel in &r.relations {
                derived.extend([rel.name.clone(), rel.column.clone()]);
            }
            for c in &r.collections {
                derived.extend([c.name.clone(), c.ids_field.clone(), c.association.clone()]);
                derived.extend([c.target_id_param.clone(), c.where_fn.clone()]);
            }
        }
        let snakes: Vec<&str> = model.resources.iter().map(|r| r.snake.as_str()).collect();
        let plan = plan_from_file(&spec).unwrap();
        for (file, planned) in plan.iter() {
            let parts: Vec<&str> = file.split('/').collect();
            let per_resource = matches!(parts.as_slice(), ["app", package, module]
                if snakes.contains(package) && !["models.py", "schemas.py"].contains(module));
            // tests/factories.py names resources only in strings (its
            // registry's keys), so no spec name can collide with its own.
            if !per_resource {
                continue;
            }
            for name in function_names(&planned.content) {
                seen.insert(name.clone());
                // Spec names never end with `_` (`or_`); `user` and the
                // project's modules are refused as resource names anyway.
                let made = snakes.iter().any(|s| name.contains(s))
                    || derived.contains(&name)
                    || name.ends_with('_');
                let listed = reserved::is(&name, Class::Variable)
                    || reserved::is(&name, Class::Module)
                    || VARIABLES_RESOURCES_MAY_TAKE.contains(&name.as_str());
                if !made && !listed {
                    unknown.insert(format!("{name} ({file})"));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "generated functions use names no list accounts for; add each to reserved::TABLE as Class::Variable (a resource of that name would break) or, once checked, to VARIABLES_RESOURCES_MAY_TAKE:\n{}",
        unknown.into_iter().collect::<Vec<_>>().join("\n")
    );
    // Every name refused is one the generated functions do use.
    for name in reserved::names(Class::Variable) {
        assert!(seen.contains(name), "`{name}` is refused but unused");
    }
}

#[test]
fn the_function_scan_finds_parameters_variables_and_imports() {
    let source = r#"
from app.database import ensure_exists, order_by
from app.pagination import (
    decode_cursor,
    encode_cursor as encode,
)

logger = logging.getLogger(__name__)


async def update_post(
    session: AsyncSession,
    post: Post,
    *,
    actor: User,
) -> Post:
    for name, value in data.items():
        setattr(post, name, value)
    rows, total = await service.list_posts("x = 1")
    return post


def tags_of(post: Post, extra: int = 0) -> bool:
    return True
"#;
    let found: Vec<String> = function_names(source).into_iter().collect();
    assert_eq!(
        found,
        [
            "actor",
            "decode_cursor",
            "encode",
            "ensure_exists",
            "extra",
            "logger",
            "name",
            "order_by",
            "post",
            "rows",
            "session",
            "total",
            "value",
        ]
    );
}

/// Names `source` imports, and the class-like names it defines at its top
/// level (`Creator = Annotated[...]`).
fn module_names(source: &str) -> BTreeSet<String> {
    let import = Regex::new(r"^from \S+ import (.*)$").unwrap();
    let defined = Regex::new(r"^([A-Z][A-Za-z0-9_]*) = ").unwrap();
    let mut out = BTreeSet::new();
    let mut in_import = false;
    for line in source.lines() {
        if in_import {
            if line.starts_with(')') {
                in_import = false;
            } else {
                let name = line.trim().trim_end_matches(',');
                out.insert(name.rsplit(" as ").next().unwrap().to_owned());
            }
        } else if let Some(c) = import.captures(line) {
            let names = c.get(1).unwrap().as_str();
            if names == "(" {
                in_import = true;
            } else {
                for name in names.split(", ") {
                    out.insert(name.rsplit(" as ").next().unwrap().to_owned());
                }
            }
        } else if let Some(c) = defined.captures(line) {
            out.insert(c[1].to_owned());
        }
    }
    out
}

#[test]
fn resources_cannot_take_the_names_of_imported_classes() {
    let mut unknown = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for spec in specs() {
        let model = r#gen::app::model_from_file(&spec).unwrap();
        let classes: Vec<&str> = model
            .resources
            .iter()
            .map(|r| r.class_name.as_str())
            .collect();
        let snakes: Vec<&str> = model.resources.iter().map(|r| r.snake.as_str()).collect();
        let plan = plan_from_file(&spec).unwrap();
        for (file, planned) in plan.iter() {
            // Every module a resource's class is imported into or defined in.
            let parts: Vec<&str> = file.split('/').collect();
            let holds_classes = matches!(parts.as_slice(), ["app" | "tests", package, _]
                if snakes.contains(package))
                || file == "app/models.py";
            if !holds_classes || !file.ends_with(".py") {
                continue;
            }
            for name in module_names(&planned.content) {
                // Resource classes and what is named after them (`PostRead`,
                // enums) are checked by validation.
                let class_like = name.starts_with(|c: char| c.is_ascii_uppercase())
                    && name.chars().any(|c| c.is_ascii_lowercase());
                let made = classes.iter().any(|c| name.starts_with(c));
                let listed = reserved::is(&name, Class::ClassName);
                if listed {
                    seen.insert(name.clone());
                }
                if class_like && !made && !listed {
                    unknown.insert(format!("{name} ({file})"));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "generated modules import or define names reserved::TABLE lacks as Class::ClassName (a resource or enum class of that name would shadow them):\n{}",
        unknown.into_iter().collect::<Vec<_>>().join("\n")
    );
    for name in [
        "Base",
        "Creator",
        "Mapped",
        "Lists",
        "Annotated",
        "Repository",
    ] {
        assert!(seen.contains(name), "{name} not found; the scan is broken");
    }
}
