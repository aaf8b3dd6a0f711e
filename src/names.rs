//! Names: case conversion (heck), English plurals, and the Python attribute
//! of a field (the words Python, SQLAlchemy, Pydantic and the generated
//! project reserve are in [`crate::reserved`]).

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::reserved;

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

/// `words` after its indefinite article, for docstrings: `an order item`,
/// `a user`, `a unit`. The article follows the sound, guessed from the
/// spelling: a vowel letter takes `an`, except a `u` or `eu` sounded `yoo`
/// and a `one` sounded `won`; a silent `h` (`hour`) takes `an`.
pub fn with_article(words: &str) -> String {
    let lower = words.to_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
    let consonant_sound = starts(&[
        "uni", "use", "usa", "usu", "uti", "ure", "uro", "ubi", "url", "uu", "eu", "one",
    ]);
    let vowel_sound = starts(&["hour", "honest", "honor", "honour", "heir"]);
    let an = vowel_sound || (lower.starts_with(|c: char| "aeiou".contains(c)) && !consonant_sound);
    format!("{} {words}", if an { "an" } else { "a" })
}

/// The Python attribute of a field: its name, or the name with a trailing
/// `_` when [`reserved::attribute_clash`] says the name itself cannot be
/// one (`from` → `from_`, `date` → `date_`). Spec names never end with
/// `_`, so the result never clashes with another field.
pub fn attribute(name: &str) -> String {
    if reserved::attribute_clash(name).is_some() {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

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
    #[test]
    fn with_article_follows_the_sound() {
        for (words, expected) in [
            ("order item", "an order item"),
            ("post", "a post"),
            ("user", "a user"),
            ("unit", "a unit"),
            ("umbrella", "an umbrella"),
            ("euro price", "a euro price"),
            ("invoice", "an invoice"),
            ("usage record", "a usage record"),
            ("url", "a url"),
            ("hour slot", "an hour slot"),
        ] {
            assert_eq!(super::with_article(words), expected);
        }
    }

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
        assert!(reserved::model_attribute_clash("metadata").is_some());
        // Relations are not in the schemas: Pydantic's names are fine there.
        assert_eq!(reserved::model_attribute_clash("json"), None);
        assert!(reserved::attribute_clash("json").is_some());
    }

    #[test]
    fn names_no_field_may_have() {
        assert!(reserved::framework_reserved("model_name").is_some());
        assert!(reserved::framework_reserved("model_config").is_some());
        assert!(reserved::framework_reserved("_secret").is_some());
        assert_eq!(reserved::framework_reserved("model"), None);
        assert_eq!(reserved::framework_reserved("metadata"), None);
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
