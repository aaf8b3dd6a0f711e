//! Names: case conversion (heck), English plurals, and the words Python,
//! SQLAlchemy, Pydantic and the generated project reserve.

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// `OrderItem`, `order_item`, `order-item` → `order_item`.
pub fn snake(name: &str) -> String {
    name.to_snake_case()
}

/// `order_item` → `OrderItem`.
pub fn pascal(name: &str) -> String {
    name.to_upper_camel_case()
}

/// `order_items` → `order-items`.
pub fn kebab(name: &str) -> String {
    name.to_kebab_case()
}

/// `in-progress` → `IN_PROGRESS`; a leading digit gets a `V_` prefix so
/// the result is a Python identifier.
pub fn enum_member(value: &str) -> String {
    let s = value.to_shouty_snake_case();
    if s.is_empty() {
        "EMPTY".to_owned()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V_{s}")
    } else {
        s
    }
}

/// `order_item` → `Order item`: words for docstrings and titles.
pub fn words(snake: &str) -> String {
    let spaced = snake.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Irregular English plurals, singular first.
const IRREGULAR: &[(&str, &str)] = &[
    ("person", "people"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("mouse", "mice"),
    ("goose", "geese"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("ox", "oxen"),
    ("index", "indices"),
    ("matrix", "matrices"),
    ("vertex", "vertices"),
    ("criterion", "criteria"),
    ("phenomenon", "phenomena"),
    ("datum", "data"),
    ("medium", "media"),
    ("leaf", "leaves"),
    ("life", "lives"),
    ("knife", "knives"),
    ("wife", "wives"),
    ("half", "halves"),
    ("shelf", "shelves"),
    ("wolf", "wolves"),
    ("calf", "calves"),
    ("hero", "heroes"),
    ("potato", "potatoes"),
    ("tomato", "tomatoes"),
    ("echo", "echoes"),
    ("quiz", "quizzes"),
];

/// Words whose plural is the word itself.
const UNCOUNTABLE: &[&str] = &[
    "sheep",
    "fish",
    "series",
    "species",
    "news",
    "information",
    "equipment",
    "data",
    "feedback",
    "metadata",
    "software",
    "hardware",
    "staff",
    "deer",
    "aircraft",
];

/// English plural of a snake_case name; only the last word changes
/// (`order_item` → `order_items`, `category` → `categories`).
pub fn plural(snake: &str) -> String {
    let (head, last) = match snake.rfind('_') {
        Some(i) => (&snake[..=i], &snake[i + 1..]),
        None => ("", snake),
    };
    format!("{head}{}", plural_word(last))
}

/// The singular of a plural snake_case name, if [`plural`] gives it back
/// (`tags` → `tag`, `categories` → `category`, `featured_people` →
/// `featured_person`); `None` when no singular does.
pub fn singular(snake: &str) -> Option<String> {
    let (head, last) = match snake.rfind('_') {
        Some(i) => (&snake[..=i], &snake[i + 1..]),
        None => ("", snake),
    };
    let mut candidates: Vec<String> = UNCOUNTABLE
        .iter()
        .chain(IRREGULAR.iter().filter(|(_, p)| *p == last).map(|(s, _)| s))
        .filter(|s| plural_word(s) == last)
        .map(|s| (*s).to_owned())
        .collect();
    if let Some(stem) = last.strip_suffix("ies") {
        candidates.push(format!("{stem}y"));
    }
    candidates.extend(last.strip_suffix("es").map(str::to_owned));
    candidates.extend(last.strip_suffix('s').map(str::to_owned));
    candidates
        .into_iter()
        .find(|c| !c.is_empty() && plural_word(c) == last)
        .map(|c| format!("{head}{c}"))
}

fn plural_word(word: &str) -> String {
    if UNCOUNTABLE.contains(&word) {
        return word.to_owned();
    }
    if let Some((_, p)) = IRREGULAR.iter().find(|(s, _)| *s == word) {
        return (*p).to_owned();
    }
    let vowel = |c: char| "aeiou".contains(c);
    if let Some(stem) = word.strip_suffix("sis") {
        return format!("{stem}ses");
    }
    if word.ends_with('s')
        || word.ends_with('x')
        || word.ends_with('z')
        || word.ends_with("ch")
        || word.ends_with("sh")
    {
        return format!("{word}es");
    }
    if let Some(stem) = word.strip_suffix('y') {
        if !stem.ends_with(vowel) && !stem.is_empty() {
            return format!("{stem}ies");
        }
    }
    format!("{word}s")
}

/// `a string` or `an int`: a type name with its indefinite article, in backticks.
pub fn article(word: &str) -> String {
    let an = word.starts_with(|c: char| "aeiou".contains(c));
    format!("{} `{word}`", if an { "an" } else { "a" })
}

/// Python's hard keywords: never valid as identifiers.
pub const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Is `name` a Python hard keyword?
pub fn is_python_keyword(name: &str) -> bool {
    PYTHON_KEYWORDS.contains(&name)
}

/// Names the class bodies of the generated models and schemas refer to
/// while Python runs them: types in annotations (`date`, `list`, ...) and
/// the functions and decorators of field declarations. A class attribute
/// with one of these names would shadow it for the declarations after it
/// (and for mypy, in the whole class).
pub const CLASS_BODY_NAMES: &[&str] = &[
    "bool",
    "classmethod",
    "date",
    "datetime",
    "enum_values",
    "field_validator",
    "float",
    "int",
    "list",
    "mapped_column",
    "object",
    "property",
    "relationship",
    "str",
    "time",
    "utc_now",
    "uuid4",
];

/// Attributes Pydantic's `BaseModel` still has from Pydantic 1; a field
/// with one of these names shadows it (a warning, an error under pytest's
/// `filterwarnings = error`).
pub const PYDANTIC_ATTRIBUTES: &[&str] = &[
    "construct",
    "copy",
    "dict",
    "from_orm",
    "json",
    "parse_file",
    "parse_obj",
    "parse_raw",
    "schema",
    "schema_json",
    "update_forward_refs",
    "validate",
];

/// Attributes SQLAlchemy's declarative base sets on every model class.
pub const SQLALCHEMY_ATTRIBUTES: &[&str] = &["metadata", "registry"];

/// Why `name` cannot be an attribute of a generated model class, or None
/// when it can: a Python keyword, a name the class body uses, or an
/// attribute SQLAlchemy sets.
pub fn model_attribute_clash(name: &str) -> Option<&'static str> {
    if is_python_keyword(name) {
        Some("a Python keyword")
    } else if CLASS_BODY_NAMES.contains(&name) {
        Some("a name the generated classes use in their declarations")
    } else if SQLALCHEMY_ATTRIBUTES.contains(&name) {
        Some("an attribute of SQLAlchemy declarative models")
    } else {
        None
    }
}

/// Why a field named `name` cannot be a Python attribute of that name in
/// the generated model and schemas, or None when it can: the reasons of
/// [`model_attribute_clash`], or an attribute of Pydantic models. Such a
/// field gets the attribute `name_` (see [`attribute`]); its column and
/// JSON name stay `name`.
pub fn attribute_clash(name: &str) -> Option<&'static str> {
    model_attribute_clash(name).or_else(|| {
        PYDANTIC_ATTRIBUTES
            .contains(&name)
            .then_some("an attribute of Pydantic models")
    })
}

/// The Python attribute of a field: its name, or the name with a trailing
/// `_` when [`attribute_clash`] says the name itself cannot be one (`from`
/// → `from_`, `date` → `date_`). Spec names never end with `_`, so the
/// result never clashes with another field.
pub fn attribute(name: &str) -> String {
    if attribute_clash(name).is_some() {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// Attribute names no field can have under any spelling, with why (to
/// follow "field name `x` "): Pydantic keeps every `model_` name for itself (so
/// `model_name_` would clash as well), and a leading `_` makes an
/// attribute private.
pub fn framework_reserved(name: &str) -> Option<&'static str> {
    if name.starts_with("model_") {
        Some(
            "starts with `model_`, which Pydantic reserves for its own attributes (`model_config`, `model_dump`, ...)",
        )
    } else if name.starts_with('_') {
        Some("starts with `_`, which makes a Python attribute private")
    } else {
        None
    }
}

/// Module names already taken inside the generated `app` and `tests`
/// packages or by the built-in user model, so no resource may use them as
/// its package name (`app/<name>/`, `tests/<name>/`).
pub const RESERVED_MODULES: &[&str] = &[
    "auth",
    "cli",
    "config",
    "database",
    "errors",
    "main",
    "models",
    "schemas",
    "user",
    "users",
    "security",
    "health",
    "api",
    "tests",
    "migrations",
    "middleware",
    "pagination",
    "ratelimit",
    "conftest",
    "factories",
    "helpers",
    "test_app",
    "test_limits",
];

/// Is `name` a lowercase snake_case identifier (`a-z`, digits, `_`)?
pub fn is_snake_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.ends_with('_')
        && !name.contains("__")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        for (s, p) in [
            ("category", "categories"),
            ("person", "people"),
            ("status", "statuses"),
            ("address", "addresses"),
            ("index", "indices"),
            ("child", "children"),
            ("post", "posts"),
            ("order_item", "order_items"),
            ("day", "days"),
            ("box", "boxes"),
            ("analysis", "analyses"),
            ("sheep", "sheep"),
            ("todo", "todos"),
        ] {
            assert_eq!(plural(s), p, "{s}");
        }
    }

    #[test]
    fn singulars_invert_plurals() {
        for s in [
            "tag",
            "category",
            "person",
            "status",
            "address",
            "child",
            "order_item",
            "box",
            "day",
            "featured_tag",
        ] {
            assert_eq!(singular(&plural(s)).as_deref(), Some(s), "{s}");
        }
        assert_eq!(singular("sheep").as_deref(), Some("sheep"));
        assert_eq!(singular("x"), None);
    }

    #[test]
    fn cases() {
        for n in ["OrderItem", "order_item", "order-item"] {
            assert_eq!(snake(n), "order_item");
            assert_eq!(pascal(n), "OrderItem");
        }
        assert_eq!(enum_member("in-progress"), "IN_PROGRESS");
        assert_eq!(enum_member("1st"), "V_1ST");
    }

    /// docs/spec.md, "Field names that are not Python attributes": only
    /// names that cannot be attributes get a trailing `_`.
    #[test]
    fn attributes_of_field_names() {
        for (name, attr) in [
            ("from", "from_"),
            ("class", "class_"),
            ("async", "async_"),
            ("date", "date_"),
            ("datetime", "datetime_"),
            ("list", "list_"),
            ("str", "str_"),
            ("json", "json_"),
            ("validate", "validate_"),
            ("metadata", "metadata_"),
            ("registry", "registry_"),
            // Soft keywords, other builtins, SQL words: as they are.
            ("match", "match"),
            ("case", "case"),
            ("type", "type"),
            ("query", "query"),
            ("filter", "filter"),
            ("order", "order"),
            ("select", "select"),
            ("user", "user"),
            ("title", "title"),
        ] {
            assert_eq!(attribute(name), attr, "{name}");
        }
        assert!(model_attribute_clash("metadata").is_some());
        // Relations are not in the schemas: Pydantic's names are fine there.
        assert_eq!(model_attribute_clash("json"), None);
        assert!(attribute_clash("json").is_some());
    }

    #[test]
    fn names_no_field_may_have() {
        assert!(framework_reserved("model_name").is_some());
        assert!(framework_reserved("model_config").is_some());
        assert!(framework_reserved("_secret").is_some());
        assert_eq!(framework_reserved("model"), None);
        assert_eq!(framework_reserved("metadata"), None);
    }

    /// docs/spec.md: `OrderItem`, `order_item` and `order-item` all give
    /// package `order_item`, table `order_items` and routes `order-items`.
    #[test]
    fn resource_names_normalize_alike() {
        for n in ["OrderItem", "order_item", "order-item"] {
            let snake = snake(n);
            assert_eq!(snake, "order_item", "{n}");
            assert_eq!(pascal(&snake), "OrderItem", "{n}");
            assert_eq!(plural(&snake), "order_items", "{n}");
            assert_eq!(kebab(&plural(&snake)), "order-items", "{n}");
        }
    }
}
