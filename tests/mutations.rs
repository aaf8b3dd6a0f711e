//! Hostile and unlucky specs: a seeded mutator turns the good specs
//! (`examples/`, `tests/specs/good/`) into about a thousand bad, odd or
//! merely surprising ones (a [`sweep`] of the cases issue 9 names, then
//! [`MUTANTS`] random ones), and each goes through the library's whole
//! `gen new` path (load, check, render) in this process.
//!
//! Every mutant must end as `gen` promises to end: a plan (exit 0) or a
//! spec error with a position, a YAML path and a help line (exit 2). A
//! panic (exit 101) or any other error is a bug. Every file of every
//! accepted mutant that Python can parse is then parsed by Python (see
//! `compile`): gen must not accept a spec and write code that does not run.
//!
//! The mutator changes field types into typos, writes negative, inverted
//! and huge bounds, swaps relation kinds and targets, deletes keys,
//! replaces strings with backslashes, NUL, quotes, Tera and `%` syntax and
//! unicode, renames resources, fields and relations to Python keywords and
//! constants (`None`, `True`, `class`) and to names the generated code uses,
//! changes a node's YAML type, and duplicates resources and fields. The
//! seed is the mutant's number, so a failure reproduces exactly; failing
//! specs are written under `target/mutations/` for `gen validate`.
//!
//! What it found on the code before the fixes (141cdaf; the same 1,023
//! mutants): 249 panics, all one bug (`finish_tests` looked up a resource
//! that had been dropped for its errors: any error in a resource that a
//! `one_to_many` or `many_to_many` points at, such as a type typo or
//! inverted bounds, exited 101); and accepted specs whose generated files
//! Python could not parse: a backslash, NUL, `"""` or a trailing quote in
//! a title or description (`app/__init__.py`, model and schema
//! docstrings), a backslash, quote or control character in the project
//! description (`pyproject.toml`), and resources named `None`, `True`,
//! `False` (or `true`: the class is `True`). Of the 1,023, 377 were
//! accepted and 397 rejected. `tests/specs/bad/collection_target_*.yaml`,
//! `resource_named_none.yaml` and `tests/specs/good/odd_text.yaml` keep one
//! case of each.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use serde_yaml::{Mapping, Number, Value};

use r#gen::app::plan_from_file;
use r#gen::error::Error;

use crate::common::{good_specs, root};
use crate::compile::{describe, parse_all, parsed_files};

/// How many mutated specs one run checks.
const MUTANTS: u64 = 450;

/// splitmix64: small, seeded, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// Strings that have broken generators: escapes, quotes, template and
/// interpolation syntax, control characters, unicode, YAML look-alikes.
const ODD_STRINGS: &[&str] = &[
    "C:\\Users\\me\\new",
    "\\",
    "ends with a backslash\\",
    "\\N{BULLET} \\x41 \\u0041",
    "\0",
    "a NUL\0inside",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "\"\"\"\"",
    "it's \"quoted\"",
    "line\nbreak",
    "carriage\rreturn",
    "tab\there",
    "{{ model }}",
    "{% if x %}",
    "{# comment",
    "${HOME}",
    "%(here)s",
    "100%",
    "# not a comment",
    "<!-- html -->",
    "<script>alert(1)</script>",
    "[link](http://x)",
    "`code`",
    "*stars* and _under_",
    "| pipe |",
    "ünïcödé",
    "日本語のタイトル",
    "🦀 crab",
    "\u{202e}right to left",
    "line\u{2028}separator",
    "\u{feff}bom",
    "next\u{85}line",
    "escape\u{1b}[31m",
    "del\u{7f}",
    "",
    " ",
    "None",
    "True",
    "null",
    "~",
    "yes",
    "0x10",
    "1e3",
    "-",
    ": colon",
    "- item",
    "&anchor",
    "*alias",
    "!tag",
    "@",
    "a\\nb",
];

/// Names for resources, fields, relations and roles: keywords, constants,
/// builtins, names the generated code uses, SQL words, odd spellings.
const ODD_NAMES: &[&str] = &[
    "None",
    "True",
    "False",
    "none",
    "true",
    "false",
    "null",
    "class",
    "import",
    "def",
    "return",
    "lambda",
    "async",
    "await",
    "pass",
    "yield",
    "global",
    "nonlocal",
    "del",
    "is",
    "not",
    "and",
    "or",
    "in",
    "with",
    "as",
    "try",
    "except",
    "finally",
    "raise",
    "from",
    "while",
    "for",
    "break",
    "continue",
    "if",
    "elif",
    "else",
    "assert",
    "match",
    "case",
    "type",
    "_",
    "self",
    "cls",
    "print",
    "NotImplemented",
    "Ellipsis",
    "__debug__",
    "__init__",
    "__class__",
    "id",
    "user",
    "users",
    "auth",
    "main",
    "app",
    "tests",
    "select",
    "order",
    "table",
    "Base",
    "Session",
    "Query",
    "model_config",
    "metadata",
    "registry",
    "Text",
    "String",
    "datetime",
    "date",
    "list",
    "dict",
    "str",
    "int",
    "object",
    "exec",
    "A",
    "a",
    "x1",
    "a-b",
    "A_B",
    "Ünïcode",
    "日本",
    "a b",
    "a.b",
    "1abc",
    "",
    "field\\name",
    "nul\0",
    "quote\"",
    "a_very_long_name_that_goes_on_and_on_and_on_and_on_beyond_any_limit_that_exists",
];

/// Typos and near misses of field types.
const TYPE_TYPOS: &[&str] = &[
    "strng",
    "String",
    "str",
    "integer",
    "int32",
    "varchar(10)",
    "",
    "strng[]",
    "int[][]",
    "uuid4",
    "enumm",
    "datetim",
    "None",
    "\\",
];

/// Raw YAML numbers, written in place of a placeholder after serializing:
/// some do not fit any Rust integer or float type.
const HUGE_NUMBERS: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "4294967296",
    "2147483648",
    "-2147483649",
    "9007199254740993",
    "1e300",
    "-1e300",
    "1e-300",
    ".nan",
    ".inf",
    "-.inf",
    "0",
    "-0",
    "-1",
    "0.5",
    "0x7fffffff",
];

/// Placeholder for a raw YAML token (see [`HUGE_NUMBERS`]).
const RAW: &str = "__raw_yaml_token_";

fn raw_token(rng: &mut Rng) -> Value {
    Value::String(format!("{RAW}{}__", rng.below(HUGE_NUMBERS.len())))
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

/// One step from the root of a YAML document.
#[derive(Debug, Clone)]
enum Seg {
    Key(Value),
    Index(usize),
}

fn get_mut<'a>(mut node: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        node = match (seg, node) {
            (Seg::Key(k), Value::Mapping(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Sequence(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn mapping_at<'a>(root: &'a mut Value, path: &[&str]) -> Option<&'a mut Mapping> {
    let path: Vec<Seg> = path.iter().map(|k| Seg::Key(s(k))).collect();
    get_mut(root, &path)?.as_mapping_mut()
}

/// Every node under `node` with its path (the root excluded).
fn walk(node: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match node {
        Value::Mapping(m) => {
            for (k, v) in m {
                path.push(Seg::Key(k.clone()));
                out.push(path.clone());
                walk(v, path, out);
                path.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                out.push(path.clone());
                walk(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn all_paths(root: &Value) -> Vec<Vec<Seg>> {
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), &mut out);
    out
}

fn show(path: &[Seg]) -> String {
    path.iter()
        .map(|seg| match seg {
            Seg::Key(Value::String(k)) => k.escape_debug().to_string(),
            Seg::Key(k) => format!("{k:?}"),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn keys(m: &Mapping) -> Vec<String> {
    m.keys()
        .filter_map(|k| k.as_str().map(str::to_owned))
        .collect()
}

fn resource_names(root: &mut Value) -> Vec<String> {
    mapping_at(root, &["resources"])
        .map(|m| keys(m))
        .unwrap_or_default()
}

/// Where a field is: the path of its mapping, and its name.
type FieldAt = (Vec<String>, String);

/// `(["resources", R, "fields"] or ["auth", "user_fields"], field)` for
/// every field; those of resources that a `one_to_many` or
/// `many_to_many` points at come first in `targets`.
fn fields(root: &mut Value) -> (Vec<FieldAt>, Vec<FieldAt>) {
    let targets = collection_targets(root);
    let mut all = Vec::new();
    let mut of_targets = Vec::new();
    for r in resource_names(root) {
        let path = vec!["resources".to_owned(), r.clone(), "fields".to_owned()];
        let refs: Vec<&str> = path.iter().map(String::as_str).collect();
        if let Some(m) = mapping_at(root, &refs) {
            for f in keys(m) {
                if targets.contains(&r) {
                    of_targets.push((path.clone(), f.clone()));
                }
                all.push((path.clone(), f));
            }
        }
    }
    if let Some(m) = mapping_at(root, &["auth", "user_fields"]) {
        for f in keys(m) {
            all.push((vec!["auth".to_owned(), "user_fields".to_owned()], f));
        }
    }
    (all, of_targets)
}

/// Resources some `one_to_many` or `many_to_many` points at.
fn collection_targets(root: &mut Value) -> Vec<String> {
    relations(root)
        .into_iter()
        .filter_map(|(r, rel)| {
            let m = mapping_at(root, &["resources", &r, "relations", &rel])?;
            let kind = m.get("kind")?.as_str()?;
            if kind == "one_to_many" || kind == "many_to_many" {
                Some(m.get("to")?.as_str()?.to_owned())
            } else {
                None
            }
        })
        .collect()
}

/// `(resource, relation)` for every relation.
fn relations(root: &mut Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in resource_names(root) {
        if let Some(m) = mapping_at(root, &["resources", &r, "relations"]) {
            out.extend(keys(m).into_iter().map(|rel| (r.clone(), rel)));
        }
    }
    out
}

/// A field's definition as a mapping, expanding the shorthand `name: type`.
fn field_mapping<'a>(root: &'a mut Value, at: &FieldAt) -> Option<&'a mut Mapping> {
    let refs: Vec<&str> = at.0.iter().map(String::as_str).collect();
    let fields = mapping_at(root, &refs)?;
    let node = fields.get_mut(at.1.as_str())?;
    if let Value::String(ty) = node {
        let mut m = Mapping::new();
        m.insert(s("type"), s(ty));
        *node = Value::Mapping(m);
    }
    node.as_mapping_mut()
}

/// A typo of `word`: a character dropped, doubled, swapped or changed.
fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 {
        return format!("{word}x");
    }
    let i = rng.below(chars.len() - 1);
    match rng.below(4) {
        0 => {
            chars.remove(i);
        }
        1 => chars.insert(i, chars[i]),
        2 => chars.swap(i, i + 1),
        _ => chars[i] = if chars[i] == 'x' { 'y' } else { 'x' },
    }
    chars.into_iter().collect()
}

fn rename_key(m: &mut Mapping, old: &str, new: &str) {
    let entries: Vec<(Value, Value)> = std::mem::take(m).into_iter().collect();
    for (k, v) in entries {
        if k.as_str() == Some(old) {
            m.insert(s(new), v);
        } else {
            m.insert(k, v);
        }
    }
}

type Mutator = fn(&mut Value, &mut Rng) -> Option<String>;

/// A field type becomes a typo; most often on a resource that a
/// collection relation points at.
fn type_typo(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let (all, of_targets) = fields(root);
    let pool = if !of_targets.is_empty() && rng.chance(60) {
        of_targets
    } else {
        all
    };
    let at = rng.pick(&pool)?.clone();
    let m = field_mapping(root, &at)?;
    let old = m.get("type").and_then(Value::as_str).unwrap_or("string");
    let new = if rng.chance(50) {
        typo(old, rng)
    } else {
        (*rng.pick(TYPE_TYPOS)?).to_owned()
    };
    m.insert(s("type"), s(&new));
    Some(format!("type of {}.{} → {new:?}", at.0.join("."), at.1))
}

/// Negative, inverted, zero or huge bounds on a field.
fn bad_bounds(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let (all, of_targets) = fields(root);
    let pool = if !of_targets.is_empty() && rng.chance(60) {
        of_targets
    } else {
        all
    };
    let at = rng.pick(&pool)?.clone();
    let m = field_mapping(root, &at)?;
    let choice = rng.below(8);
    let what = bound(m, choice, rng);
    Some(format!("{what} on {}.{}", at.0.join("."), at.1))
}

/// Bad bound number `choice` (0 to 7) on field `m`, said in words.
fn bound(m: &mut Mapping, choice: usize, rng: &mut Rng) -> &'static str {
    match choice {
        0 => {
            m.insert(s("min_length"), Value::Number((-1).into()));
            "min_length -1"
        }
        1 => {
            m.insert(s("max_length"), Value::Number((-5).into()));
            "max_length -5"
        }
        2 => {
            m.insert(s("min_length"), Value::Number(50.into()));
            m.insert(s("max_length"), Value::Number(3.into()));
            "min_length 50 > max_length 3"
        }
        3 => {
            m.insert(s("min"), Value::Number(10.into()));
            m.insert(s("max"), Value::Number(1.into()));
            "min 10 > max 1"
        }
        4 => {
            m.insert(s("max_length"), Value::Number(0.into()));
            "max_length 0"
        }
        5 => {
            m.insert(s("precision"), Value::Number(3.into()));
            m.insert(s("scale"), Value::Number(9.into()));
            "scale 9 > precision 3"
        }
        6 => {
            m.insert(s("min"), Value::Number(Number::from(-1.5e300)));
            m.insert(s("max"), Value::Number(Number::from(-1e300)));
            "min -1.5e300, max -1e300"
        }
        _ => {
            let key = *rng
                .pick(&["min", "max", "min_length", "max_length", "precision"])
                .unwrap();
            m.insert(s(key), raw_token(rng));
            "a huge bound"
        }
    }
}

const KINDS: &[&str] = &[
    "many_to_one",
    "one_to_one",
    "one_to_many",
    "many_to_many",
    "many_to_onee",
    "belongs_to",
    "",
];

/// A relation's kind, target, `via`, `on_delete` or `nullable` changes.
fn relation_change(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let rels = relations(root);
    let (r, rel) = rng.pick(&rels)?.clone();
    let resources = resource_names(root);
    let m = mapping_at(root, &["resources", &r, "relations", &rel])?;
    let (key, value) = match rng.below(5) {
        0 | 1 => ("kind", s(rng.pick(KINDS)?)),
        2 => {
            let to = match rng.below(4) {
                0 => "Nowhere".to_owned(),
                1 => r.to_lowercase(),
                _ => rng.pick(&resources)?.clone(),
            };
            ("to", s(&to))
        }
        3 => {
            let via = match rng.pick(&resources) {
                Some(other) if rng.chance(50) => crate_snake(other),
                _ => (*rng.pick(ODD_NAMES)?).to_owned(),
            };
            ("via", s(&via))
        }
        _ => {
            if rng.chance(50) {
                (
                    "on_delete",
                    s(rng.pick(&["cascade", "set_null", "restrict", "delete"])?),
                )
            } else {
                ("nullable", Value::Bool(rng.chance(50)))
            }
        }
    };
    let shown = format!("{value:?}");
    m.insert(s(key), value);
    Some(format!("resources.{r}.relations.{rel}.{key} → {shown}"))
}

fn crate_snake(name: &str) -> String {
    r#gen::names::snake(name)
}

/// A new relation of any kind between two resources.
fn add_relation(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let resources = resource_names(root);
    let from = rng.pick(&resources)?.clone();
    let to = rng.pick(&resources)?.clone();
    let kind = *rng.pick(&KINDS[..4])?;
    let name = match rng.below(3) {
        0 => crate_snake(&to),
        1 => r#gen::names::plural(&crate_snake(&to)),
        _ => (*rng.pick(ODD_NAMES)?).to_owned(),
    };
    let r = mapping_at(root, &["resources", &from])?;
    if !r.contains_key("relations") {
        r.insert(s("relations"), Value::Mapping(Mapping::new()));
    }
    let rels = r.get_mut("relations")?.as_mapping_mut()?;
    let mut rel = Mapping::new();
    rel.insert(s("kind"), s(kind));
    rel.insert(s("to"), s(&to));
    if rng.chance(30) {
        rel.insert(s("nullable"), Value::Bool(true));
    }
    rels.insert(s(&name), Value::Mapping(rel));
    Some(format!("relation {from}.{name:?}: {kind} to {to}"))
}

/// Any key anywhere goes.
fn delete_key(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let paths: Vec<Vec<Seg>> = all_paths(root)
        .into_iter()
        .filter(|p| matches!(p.last(), Some(Seg::Key(_))))
        .collect();
    let path = rng.pick(&paths)?.clone();
    let (last, parent) = path.split_last()?;
    let Seg::Key(k) = last else { return None };
    get_mut(root, parent)?.as_mapping_mut()?.remove(k);
    Some(format!("deleted {}", show(&path)))
}

/// A number, or a numeric key of a field, becomes huge, tiny, NaN or infinite.
fn huge_number(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let numbers: Vec<Vec<Seg>> = all_paths(root)
        .into_iter()
        .filter(|p| matches!(get_mut(root, p), Some(Value::Number(_))))
        .collect();
    if numbers.is_empty() || rng.chance(40) {
        let (all, _) = fields(root);
        let at = rng.pick(&all)?.clone();
        let key = *rng.pick(&[
            "min",
            "max",
            "min_length",
            "max_length",
            "default",
            "example",
            "precision",
            "scale",
        ])?;
        let token = raw_token(rng);
        field_mapping(root, &at)?.insert(s(key), token);
        return Some(format!("{}.{}.{key} → a raw number", at.0.join("."), at.1));
    }
    let path = rng.pick(&numbers)?.clone();
    *get_mut(root, &path)? = raw_token(rng);
    Some(format!("{} → a raw number", show(&path)))
}

/// A string value becomes an odd one; titles and descriptions most often.
fn odd_string(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let strings: Vec<Vec<Seg>> = all_paths(root)
        .into_iter()
        .filter(|p| matches!(get_mut(root, p), Some(Value::String(_))))
        .collect();
    let text = *rng.pick(ODD_STRINGS)?;
    let text = if rng.chance(30) {
        format!("A title {text} in the middle")
    } else {
        text.to_owned()
    };
    if rng.chance(40) {
        let slot = *rng.pick(&["title", "description", "version", "api_prefix", "name"])?;
        let project = mapping_at(root, &["project"])?;
        project.insert(s(slot), s(&text));
        return Some(format!("project.{slot} → {text:?}"));
    }
    if rng.chance(30) {
        let resources = resource_names(root);
        let r = rng.pick(&resources)?.clone();
        mapping_at(root, &["resources", &r])?.insert(s("description"), s(&text));
        return Some(format!("resources.{r}.description → {text:?}"));
    }
    let path = rng.pick(&strings)?.clone();
    *get_mut(root, &path)? = s(&text);
    Some(format!("{} → {text:?}", show(&path)))
}

/// Free text the spec may hold anything in (titles, descriptions, string
/// examples and defaults) becomes an odd string: gen should accept most
/// of these and must write them so that they parse.
fn free_text(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let text = *rng.pick(ODD_STRINGS)?;
    let text = if rng.chance(40) {
        format!("Some {text} text")
    } else {
        text.to_owned()
    };
    let resources = resource_names(root);
    match rng.below(5) {
        0 | 1 => {
            let slot = *rng.pick(&["title", "description"])?;
            mapping_at(root, &["project"])?.insert(s(slot), s(&text));
            Some(format!("project.{slot} → {text:?}"))
        }
        2 => {
            let r = rng.pick(&resources)?.clone();
            mapping_at(root, &["resources", &r])?.insert(s("description"), s(&text));
            Some(format!("resources.{r}.description → {text:?}"))
        }
        3 => {
            let rels = relations(root);
            let (r, rel) = rng.pick(&rels)?.clone();
            mapping_at(root, &["resources", &r, "relations", &rel])?
                .insert(s("description"), s(&text));
            Some(format!(
                "resources.{r}.relations.{rel}.description → {text:?}"
            ))
        }
        _ => {
            let (all, _) = fields(root);
            let at = rng.pick(&all)?.clone();
            let m = field_mapping(root, &at)?;
            let is_text = matches!(
                m.get("type").and_then(Value::as_str),
                Some("string" | "text")
            );
            let slot = if is_text && m.get("pattern").is_none() && m.get("values").is_none() {
                *rng.pick(&["description", "example", "default"])?
            } else {
                "description"
            };
            m.insert(s(slot), s(&text));
            Some(format!("{}.{}.{slot} → {text:?}", at.0.join("."), at.1))
        }
    }
}

/// A resource, field, relation or role is renamed to an odd name; a
/// renamed resource keeps the relations that point at it.
fn odd_name(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let new = *rng.pick(ODD_NAMES)?;
    match rng.below(4) {
        0 => {
            let resources = resource_names(root);
            let old = rng.pick(&resources)?.clone();
            rename_key(mapping_at(root, &["resources"])?, &old, new);
            if rng.chance(70) {
                for (r, rel) in relations(root) {
                    let m = mapping_at(root, &["resources", &r, "relations", &rel])?;
                    if m.get("to").and_then(Value::as_str) == Some(old.as_str()) {
                        m.insert(s("to"), s(new));
                    }
                }
            }
            Some(format!("resource {old} → {new:?}"))
        }
        1 => {
            let (all, _) = fields(root);
            let (path, old) = rng.pick(&all)?.clone();
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            rename_key(mapping_at(root, &refs)?, &old, new);
            Some(format!("field {}.{old} → {new:?}", path.join(".")))
        }
        2 => {
            let rels = relations(root);
            let (r, old) = rng.pick(&rels)?.clone();
            rename_key(
                mapping_at(root, &["resources", &r, "relations"])?,
                &old,
                new,
            );
            Some(format!("relation {r}.{old} → {new:?}"))
        }
        _ => {
            let auth = mapping_at(root, &["auth"])?;
            let roles = auth.get_mut("roles")?.as_sequence_mut()?;
            if roles.is_empty() {
                return None;
            }
            let i = rng.below(roles.len());
            roles[i] = s(new);
            Some(format!("role {i} → {new:?}"))
        }
    }
}

/// A node becomes a value of another YAML type.
fn change_yaml_type(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let paths = all_paths(root);
    let path = rng.pick(&paths)?.clone();
    let mut one = Mapping::new();
    one.insert(s("x"), Value::Number(1.into()));
    let value = match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => Value::Number(0.into()),
        3 => Value::Number((-1).into()),
        4 => s(""),
        5 => s("x"),
        6 => Value::Sequence(Vec::new()),
        7 => Value::Sequence(vec![s("x"), Value::Null]),
        _ => Value::Mapping(one),
    };
    let shown = format!("{value:?}");
    *get_mut(root, &path)? = value;
    Some(format!("{} → {shown}", show(&path)))
}

/// A resource or field is copied under a new name, sometimes one that
/// differs only in case or separators.
fn duplicate(root: &mut Value, rng: &mut Rng) -> Option<String> {
    if rng.chance(50) {
        let resources = resource_names(root);
        let old = rng.pick(&resources)?.clone();
        let new = match rng.below(3) {
            0 => crate_snake(&old),
            1 => format!("{old}2"),
            _ => r#gen::names::plural(&old),
        };
        let m = mapping_at(root, &["resources"])?;
        let copy = m.get(old.as_str())?.clone();
        m.insert(s(&new), copy);
        Some(format!("resource {old} copied as {new:?}"))
    } else {
        let (all, _) = fields(root);
        let (path, old) = rng.pick(&all)?.clone();
        let refs: Vec<&str> = path.iter().map(String::as_str).collect();
        let m = mapping_at(root, &refs)?;
        let copy = m.get(old.as_str())?.clone();
        let new = match rng.below(3) {
            0 => old.to_uppercase(),
            1 => old.replace('_', "-"),
            _ => format!("{old}_id"),
        };
        m.insert(s(&new), copy);
        Some(format!("field {}.{old} copied as {new:?}", path.join(".")))
    }
}

const MUTATORS: &[(&str, Mutator)] = &[
    ("type_typo", type_typo),
    ("bad_bounds", bad_bounds),
    ("relation_change", relation_change),
    ("add_relation", add_relation),
    ("delete_key", delete_key),
    ("huge_number", huge_number),
    ("odd_string", odd_string),
    ("free_text", free_text),
    ("odd_name", odd_name),
    ("odd_name", odd_name),
    ("change_yaml_type", change_yaml_type),
    ("duplicate", duplicate),
];

/// One mutated spec.
struct Mutant {
    name: String,
    steps: Vec<String>,
    text: String,
}

/// Mutant number `seed`: one to three mutations of one good spec; one
/// in four changes only free text.
fn mutant(seed: u64, specs: &[(String, Value)]) -> Mutant {
    let mut rng = Rng(seed);
    let (base, doc) = &specs[seed as usize % specs.len()];
    let mut doc = doc.clone();
    let mut steps = Vec::new();
    let gentle = rng.chance(25);
    let count = 1 + rng.below(if gentle { 2 } else { 3 });
    let mut tries = 0;
    while steps.len() < count && tries < 20 {
        tries += 1;
        let mutate = if gentle {
            free_text
        } else {
            rng.pick(MUTATORS).unwrap().1
        };
        if let Some(step) = mutate(&mut doc, &mut rng) {
            steps.push(step);
        }
    }
    Mutant {
        name: format!("{base}-{seed}"),
        steps,
        text: to_text(&doc),
    }
}

/// The YAML text of `doc`, with the raw tokens of [`HUGE_NUMBERS`] in place.
fn to_text(doc: &Value) -> String {
    let mut text = serde_yaml::to_string(doc).unwrap();
    for (i, token) in HUGE_NUMBERS.iter().enumerate().rev() {
        text = text.replace(&format!("{RAW}{i}__"), token);
    }
    text
}

/// The cases the issue names, each tried everywhere it applies rather than
/// left to chance: every odd name as a resource (with the relations that
/// point at it), a field, a relation and a role; every odd string as the project's
/// title and description, a resource's and a field's description and a
/// string example; a typo in every field type, and every bad bound, on
/// each resource a `one_to_many` or `many_to_many` points at.
fn sweep(specs: &[(String, Value)]) -> Vec<Mutant> {
    let spec = |name: &str| {
        specs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d.clone())
            .unwrap()
    };
    let mut out = Vec::new();
    let mut push = |name: String, step: String, doc: &Value| {
        out.push(Mutant {
            name: format!("sweep-{}-{name}", out.len()),
            steps: vec![step],
            text: to_text(doc),
        });
    };
    for name in ODD_NAMES {
        let mut doc = spec("owned_links");
        rename_key(mapping_at(&mut doc, &["resources"]).unwrap(), "Photo", name);
        for (r, rel) in [("Album", "photos"), ("Album", "cover")] {
            mapping_at(&mut doc, &["resources", r, "relations", rel])
                .unwrap()
                .insert(s("to"), s(name));
        }
        push(
            "resource".into(),
            format!("resource Photo → {name:?}"),
            &doc,
        );
        let mut doc = spec("owned_links");
        rename_key(
            mapping_at(&mut doc, &["resources", "Album", "relations"]).unwrap(),
            "cover",
            name,
        );
        push(
            "relation".into(),
            format!("relation cover → {name:?}"),
            &doc,
        );
        let mut doc = spec("todo");
        rename_key(
            mapping_at(&mut doc, &["resources", "Todo", "fields"]).unwrap(),
            "notes",
            name,
        );
        push("field".into(), format!("field notes → {name:?}"), &doc);
        let mut doc = spec("todo");
        let auth: Value = serde_yaml::from_str(&format!(
            "{{roles: [admin, {}, member], default_role: member}}",
            r#gen::escape::yaml(name)
        ))
        .unwrap();
        doc.as_mapping_mut().unwrap().insert(s("auth"), auth);
        push("role".into(), format!("role → {name:?}"), &doc);
    }
    let slots: &[&[&str]] = &[
        &["project", "title"],
        &["project", "description"],
        &["resources", "Todo", "description"],
        &["resources", "Todo", "fields", "title", "description"],
        &["resources", "Todo", "fields", "notes", "example"],
    ];
    for text in ODD_STRINGS {
        let mut doc = spec("todo");
        field_mapping(
            &mut doc,
            &(
                vec!["resources".into(), "Todo".into(), "fields".into()],
                "notes".into(),
            ),
        );
        for slot in slots {
            let (key, parent) = slot.split_last().unwrap();
            mapping_at(&mut doc, parent)
                .unwrap()
                .insert(s(key), s(text));
        }
        push(
            "string".into(),
            format!("title, descriptions and an example → {text:?}"),
            &doc,
        );
    }
    for (base, original) in specs {
        let mut doc = original.clone();
        let (_, of_targets) = fields(&mut doc);
        for at in of_targets {
            let mut doc = original.clone();
            field_mapping(&mut doc, &at)
                .unwrap()
                .insert(s("type"), s("strng"));
            let step = format!("type of {}.{} → \"strng\"", at.0.join("."), at.1);
            push(format!("{base}-typo"), step, &doc);
            for seed in 0..8 {
                let mut doc = original.clone();
                let m = field_mapping(&mut doc, &at).unwrap();
                let what = bound(m, seed, &mut Rng(seed as u64));
                let step = format!("{what} on {}.{}", at.0.join("."), at.1);
                push(format!("{base}-bound"), step, &doc);
            }
        }
    }
    out
}

/// How a spec ended.
enum Outcome {
    Accepted(BTreeMap<String, String>),
    Rejected,
    Bug(String),
}

fn run(path: &Path) -> Outcome {
    match panic::catch_unwind(AssertUnwindSafe(|| plan_from_file(path))) {
        Ok(Ok(plan)) => Outcome::Accepted(
            parsed_files(&plan)
                .map(|(p, c)| (p.clone(), c.clone()))
                .collect(),
        ),
        Ok(Err(Error::Spec(errors))) => {
            let unlocated: Vec<String> = errors
                .0
                .iter()
                .filter(|d| {
                    d.message.is_empty()
                        || d.help.is_none()
                        || d.path.is_empty()
                        || d.location.is_none()
                })
                .map(|d| d.to_string())
                .collect();
            if errors.0.is_empty() || !unlocated.is_empty() {
                Outcome::Bug(format!(
                    "a spec error without message, line:column, path or help:\n{errors}"
                ))
            } else {
                Outcome::Rejected
            }
        }
        Ok(Err(other)) => Outcome::Bug(format!("not a spec error: {:#}", anyhow_chain(&other))),
        Err(panic) => Outcome::Bug(format!(
            "panic: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        )),
    }
}

fn anyhow_chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let _ = write!(out, ": {e}");
        source = e.source();
    }
    out
}

#[test]
fn mutated_specs_end_in_a_plan_or_a_spec_error_and_accepted_ones_parse() {
    let specs: Vec<(String, Value)> = good_specs()
        .iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(p).unwrap();
            (name, serde_yaml::from_str(&text).unwrap())
        })
        .collect();
    let out = root().join("target/mutations");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let dir = tempfile::tempdir().unwrap();

    let (mut accepted, mut rejected) = (0, 0);
    let mut bugs = Vec::new();
    // Distinct file content → the first mutant/path that generated it.
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut origin: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let mutants: Vec<Mutant> = sweep(&specs)
        .into_iter()
        .chain((0..MUTANTS).map(|seed| mutant(seed, &specs)))
        .collect();
    let total = mutants.len();
    // Two workers: rendering one small spec keeps one core busy.
    let outcomes: Vec<(Mutant, Outcome)> = std::thread::scope(|scope| {
        let mut queues: [Vec<Mutant>; 2] = [Vec::new(), Vec::new()];
        for (i, m) in mutants.into_iter().enumerate() {
            queues[i % 2].push(m);
        }
        let workers: Vec<_> = queues
            .into_iter()
            .map(|queue| {
                let dir = dir.path();
                scope.spawn(move || {
                    queue
                        .into_iter()
                        .map(|m| {
                            let path = dir.join(format!("{}.yaml", m.name));
                            std::fs::write(&path, &m.text).unwrap();
                            let outcome = run(&path);
                            (m, outcome)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    for (m, outcome) in outcomes {
        match outcome {
            Outcome::Accepted(generated) => {
                accepted += 1;
                for (file, content) in generated {
                    files
                        .entry(content)
                        .or_insert_with(|| format!("{}/{file}", m.name));
                }
                origin.insert(m.name.clone(), (m.text.clone(), m.steps.clone()));
            }
            Outcome::Rejected => rejected += 1,
            Outcome::Bug(why) => {
                std::fs::write(out.join(format!("{}.yaml", m.name)), &m.text).unwrap();
                bugs.push(format!(
                    "{}: {}\n    after: {}",
                    m.name,
                    why,
                    m.steps.join("; ")
                ));
            }
        }
    }
    eprintln!(
        "{total} mutants: {accepted} accepted, {rejected} rejected, {} bugs; {} distinct files to parse",
        bugs.len(),
        files.len()
    );
    let failures = parse_all(&files);
    let mut unparsable: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (path, error) in &failures {
        let mutant = path.split('/').next().unwrap().to_owned();
        unparsable
            .entry(mutant)
            .or_default()
            .push((path.clone(), error.clone()));
    }
    for (mutant, failed) in &unparsable {
        let (text, steps) = &origin[mutant];
        std::fs::write(out.join(format!("{mutant}.yaml")), text).unwrap();
        bugs.push(format!(
            "{mutant}: accepted, but generated files Python cannot parse\n    after: {}\n{}",
            steps.join("; "),
            describe(failed, &files)
        ));
    }
    assert!(
        bugs.is_empty(),
        "{} of {total} mutated specs (written to target/mutations/):\n{}",
        bugs.len(),
        bugs.join("\n")
    );
    assert!(accepted >= total / 4, "only {accepted} accepted");
    assert!(rejected >= total / 4, "only {rejected} rejected");
}
