//! Every file gen generates in a language Python can parse is parsed by
//! Python itself: `.py` files with `compile()`, `pyproject.toml` with
//! `tomllib`, `alembic.ini` with `configparser` (interpolation included, as
//! Alembic reads it), the CI workflow with PyYAML when it is installed.
//! One `python3` process checks every distinct file of a run.
//!
//! The good specs are checked here; `mutations` checks the mutated specs gen
//! accepts with the same [`parse_all`].

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::{Command, Stdio};

use r#gen::app::plan_from_file;
use r#gen::render::Plan;

use crate::common::good_specs;

/// Python that parses `[[name, text], ...]` (JSON on stdin) and prints, as
/// JSON, `[[index, error], ...]` for the files it could not parse.
const PARSER: &str = r#"
import configparser, json, sys, tomllib
try:
    import yaml
except ImportError:
    yaml = None
items = json.load(sys.stdin)
bad = []
for i, (name, text) in enumerate(items):
    try:
        if name.endswith(".py"):
            compile(text.encode("utf-8"), name, "exec", dont_inherit=True)
        elif name.endswith(".toml"):
            tomllib.loads(text)
        elif name.endswith(".ini"):
            parser = configparser.ConfigParser(defaults={"here": "."})
            parser.read_string(text)
            # Alembic interpolates its own options; logging reads the
            # formatters raw.
            for section in parser.sections():
                for key in parser[section]:
                    parser.get(section, key, raw=section.startswith("formatter_"))
        elif name.endswith((".yml", ".yaml")) and yaml is not None:
            yaml.safe_load(text)
    except Exception as e:
        bad.append([i, f"{type(e).__name__}: {e}"])
json.dump(bad, sys.stdout)
"#;

/// Is `path` a file [`parse_all`] checks?
pub fn parsed(path: &str) -> bool {
    !path.starts_with(".gen/")
        && [".py", ".toml", ".ini", ".yml"]
            .iter()
            .any(|ext| path.ends_with(ext))
}

/// The files of `plan` that [`parse_all`] checks: path → content.
pub fn parsed_files(plan: &Plan) -> impl Iterator<Item = (&String, &String)> {
    plan.iter()
        .filter(|(path, _)| parsed(path))
        .map(|(path, file)| (path, &file.content))
}

/// Runs the Python `script` with `input` as JSON on its standard input and
/// reads its standard output as JSON; panics when Python fails.
fn python<I: serde::Serialize, O: serde::de::DeserializeOwned>(script: &str, input: &I) -> O {
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let input = serde_json::to_vec(input).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Parses every file of `files` (content → one path it was generated as)
/// in one `python3` process; returns the files Python refused, with why.
pub fn parse_all(files: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let items: Vec<(&String, &String)> = files.iter().map(|(text, path)| (path, text)).collect();
    let bad: Vec<(usize, String)> = python(PARSER, &items);
    bad.into_iter()
        .map(|(i, error)| (items[i].0.clone(), error))
        .collect()
}

/// The parse failures of `files` as a readable list: path, error, and the
/// offending line when Python named one.
pub fn describe(failures: &[(String, String)], files: &BTreeMap<String, String>) -> String {
    let by_path: BTreeMap<&String, &String> = files.iter().map(|(t, p)| (p, t)).collect();
    failures
        .iter()
        .map(|(path, error)| {
            let line = regex::Regex::new(r"line (\d+)")
                .unwrap()
                .captures(error)
                .and_then(|c| c[1].parse::<usize>().ok())
                .and_then(|n| by_path.get(path)?.lines().nth(n.saturating_sub(1)))
                .map(|l| format!("\n    | {}", l.escape_debug()))
                .unwrap_or_default();
            format!("  {path}: {error}{line}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn generated_files_of_every_good_spec_parse() {
    let mut files = BTreeMap::new();
    for spec in good_specs() {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let plan = plan_from_file(&spec).unwrap();
        for (path, content) in parsed_files(&plan) {
            files
                .entry(content.clone())
                .or_insert_with(|| format!("{name}/{path}"));
        }
    }
    assert!(files.len() > 100, "only {} files", files.len());
    let failures = parse_all(&files);
    assert!(
        failures.is_empty(),
        "generated files Python cannot parse:\n{}",
        describe(&failures, &files)
    );
}

/// The parser itself: each kind of file it checks is refused when broken.
#[test]
fn the_parser_refuses_broken_files() {
    let files: BTreeMap<String, String> = [
        ("x = \"C:\\Users\"\n", "a.py"),
        ("x = 1\0\n", "b.py"),
        ("description = \"a\\x00\"\n", "c.toml"),
        ("[s]\nk = 50%\n", "d.ini"),
        ("x = 1\n", "ok.py"),
    ]
    .into_iter()
    .map(|(t, p)| (t.to_owned(), p.to_owned()))
    .collect();
    let mut failed: Vec<String> = parse_all(&files).into_iter().map(|(p, _)| p).collect();
    failed.sort();
    assert_eq!(failed, ["a.py", "b.py", "c.toml", "d.ini"]);
}

/// Python that reads `[[kind, source, expected], ...]` (JSON on stdin),
/// parses each source as `kind` and prints, as JSON, the cases whose value
/// is not the expected text.
const ROUND_TRIP: &str = r#"
import ast, configparser, json, sys, tomllib
import yaml
bad = []
for kind, source, expected in json.load(sys.stdin):
    try:
        if kind == "py":
            got = ast.literal_eval(source)
        elif kind == "py_doc":
            got = ast.get_docstring(ast.parse('"""' + source + '"""'), clean=False)
        elif kind == "toml":
            got = tomllib.loads("x = " + source)["x"]
        elif kind == "yaml":
            got = yaml.safe_load("x: " + source)["x"]
        elif kind == "ini":
            parser = configparser.ConfigParser()
            parser.read_string("[s]\nx = " + source + "\n")
            got = parser.get("s", "x")
        if got != expected:
            bad.append([kind, source, expected, repr(got)])
    except Exception as e:
        bad.append([kind, source, expected, f"{type(e).__name__}: {e}"])
json.dump(bad, sys.stdout)
"#;

/// Each escaping function of `gen::escape` (and Python's in `gen::python`)
/// gives source that the language's own parser reads back as the text:
/// checked on awkward strings (backslashes, NUL and other controls, quotes
/// and triple quotes, line and paragraph separators, `%`, unicode).
#[test]
fn escaped_text_parses_back_to_itself() {
    use r#gen::{escape, python};
    let texts = [
        "Shop API",
        "C:\\Users\\me\\new",
        "ends with \\",
        "\\N{BULLET} \\x41",
        "a NUL \0 inside",
        "\"\"\" and ''' and \"\"\"\"",
        "ends with a quote \"",
        "\"",
        "it's",
        "tab\tand\nline\rbreaks",
        "\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{9f}",
        "line\u{2028}para\u{2029}",
        "\u{feff}bom",
        "100% %(here)s",
        "日本語 🦀 ünïcödé",
        "",
    ];
    let mut cases: Vec<(&str, String, String)> = Vec::new();
    for text in texts {
        cases.push(("py", python::string(text), text.to_owned()));
        cases.push(("py_doc", python::docstring(text), text.to_owned()));
        cases.push(("toml", escape::toml(text), text.to_owned()));
        cases.push(("yaml", escape::yaml(text), text.to_owned()));
        // INI values are one line; configparser strips the ends.
        let line: String = text
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        cases.push(("ini", escape::ini(text), line.trim().to_owned()));
    }
    let bad: Vec<(String, String, String, String)> = python(ROUND_TRIP, &cases);
    assert!(
        bad.is_empty(),
        "escaped text that does not read back:\n{bad:#?}"
    );
}
