//! What the commands print: text styled with ANSI escapes (anstyle), which
//! the binary's output streams (anstream) pass through or strip according to
//! `--color`, `NO_COLOR` and whether they are terminals; and the JSON
//! documents of `--format json`, whose shape is documented in the README.
//!
//! Stripped of its escapes, every text here is the plain text it styles:
//! [`Diagnostic`]'s own `Display`, for instance.

use std::fmt::Write as _;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use similar::TextDiff;

use crate::app::NewReport;
use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::project::{Action, Update};

/// `error:`, as rustc and cargo show it.
const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The message after `error:`.
const EMPHASIS: Style = Style::new().bold();
/// The `-->` and `=` gutter of a diagnostic.
const GUTTER: Style = AnsiColor::Blue.on_default().bold();
/// Added lines and created files.
const ADDED: Style = AnsiColor::Green.on_default();
/// Removed lines and deleted files.
const REMOVED: Style = AnsiColor::Red.on_default();
/// Hunk headers and files merged with hand edits.
const HUNK: Style = AnsiColor::Cyan.on_default();
/// Updated files.
const CHANGED: Style = AnsiColor::Yellow.on_default();

/// `text` wrapped in `style`.
fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// The `error:` lead-in, styled.
pub fn error_label() -> String {
    paint(ERROR, "error:")
}

/// One spec problem, as its `Display` prints it, styled.
pub fn diagnostic(d: &Diagnostic) -> String {
    let mut out = format!("{} {}\n", error_label(), paint(EMPHASIS, &d.message));
    let arrow = paint(GUTTER, "  -->");
    match d.location {
        Some((line, column)) => {
            let _ = writeln!(out, "{arrow} {}:{line}:{column}", d.file);
        }
        None => {
            let _ = writeln!(out, "{arrow} {}", d.file);
        }
    }
    let eq = paint(GUTTER, "   =");
    let _ = writeln!(out, "{eq} at: {}", d.path);
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{eq} {} {help}", paint(EMPHASIS, "help:"));
    }
    out
}

/// A failed command's report for standard error: every spec problem, or
/// `error:` and the error's chain of causes. Ends with a newline.
pub fn error(error: &Error) -> String {
    match error {
        Error::Spec(problems) => {
            let mut out = String::new();
            for d in &problems.0 {
                out.push_str(&diagnostic(d));
                out.push('\n');
            }
            let n = problems.0.len();
            let _ = writeln!(
                out,
                "{n} problem{} in the spec; nothing was written",
                if n == 1 { "" } else { "s" }
            );
            out
        }
        other => format!("{} {}\n", error_label(), chain(other)),
    }
}

/// `error` and its causes, `: `-separated (anyhow's `{:#}`): Tera and the
/// OS put the real cause in `source()`.
fn chain(error: &Error) -> String {
    let mut out = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let _ = write!(out, ": {cause}");
        source = cause.source();
    }
    out
}

/// A unified diff of one change (similar), with `a/` and `b/` headers;
/// added lines green, removed red, hunk headers cyan.
pub fn unified_diff(path: &str, before: Option<&str>, after: Option<&str>) -> String {
    let plain = plain_diff(path, before, after);
    let mut out = String::with_capacity(plain.len() + plain.len() / 8);
    for line in plain.split_inclusive('\n') {
        let style = if line.starts_with("+++") || line.starts_with("---") {
            EMPHASIS
        } else if line.starts_with('+') {
            ADDED
        } else if line.starts_with('-') {
            REMOVED
        } else if line.starts_with("@@") {
            HUNK
        } else {
            out.push_str(line);
            continue;
        };
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        out.push_str(&paint(style, body));
        out.push_str(end);
    }
    out
}

/// [`unified_diff`] without styles.
fn plain_diff(path: &str, before: Option<&str>, after: Option<&str>) -> String {
    let (a, b) = (before.unwrap_or(""), after.unwrap_or(""));
    let old = if before.is_some() {
        format!("a/{path}")
    } else {
        "/dev/null".to_owned()
    };
    let new = if after.is_some() {
        format!("b/{path}")
    } else {
        "/dev/null".to_owned()
    };
    TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(3)
        .header(&old, &new)
        .to_string()
}

/// The word for what happens to a file, and its style.
fn verb(action: &Action) -> (&'static str, Style) {
    match action {
        Action::Create => ("create", ADDED),
        Action::Update => ("update", CHANGED),
        Action::Merge => ("merge (hand edits kept)", HUNK),
        Action::Conflict(_) => ("CONFLICT", ERROR),
        Action::Overwrite => ("overwrite (hand edits replaced, --force)", CHANGED),
        Action::Delete => ("delete", REMOVED),
    }
}

/// A line per change (`    update app/post/models.py`), optionally with
/// diffs; verbs coloured by what they do.
pub fn describe(update: &Update, diffs: bool) -> String {
    let mut out = String::new();
    for c in &update.changes {
        let (word, style) = verb(&c.action);
        let _ = writeln!(out, "{} {}", paint(style, &format!("{word:>10}")), c.path);
        if let Action::Conflict(lines) = &c.action {
            let _ = writeln!(
                out,
                "           conflict markers at line {}",
                line_list(lines)
            );
        }
        if diffs {
            out.push_str(&unified_diff(
                &c.path,
                c.before.as_deref(),
                c.after.as_deref(),
            ));
        }
    }
    for path in &update.kept {
        let _ = writeln!(
            out,
            "{:>10} {path} (no longer generated; left in place because it was edited)",
            "keep"
        );
    }
    out
}

/// `1, 5, 9`.
pub fn line_list(lines: &[usize]) -> String {
    lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `gen check` summary: "3 files differ, 1 missing, migration pending".
pub fn drift_summary(update: &Update) -> String {
    let missing = update.changes.iter().filter(|c| c.before.is_none()).count();
    let differ = update.changes.len() - missing;
    let mut parts = vec![format!(
        "{differ} file{} differ{}",
        if differ == 1 { "" } else { "s" },
        if differ == 1 { "s" } else { "" }
    )];
    parts.push(format!("{missing} missing"));
    if update.revision.is_some() {
        parts.push("migration pending".into());
    }
    parts.join(", ")
}

/// What a command prints and the exit status it ends with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printed {
    /// For standard output.
    pub out: String,
    /// For standard error, printed after `out`.
    pub err: String,
    /// The process exit status: 0 done, 1 drift, conflicts or another
    /// failure, 2 a bad spec or bad usage ([`Error::exit_code`]).
    pub status: u8,
}

impl Printed {
    /// `out` on standard output, exit 0.
    fn ok(out: String) -> Printed {
        Printed {
            out,
            ..Printed::default()
        }
    }
}

/// "1 file", "2 files".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// `gen new`: the files (with `dry_run`), or what was written and the next steps.
pub fn new_project(dir: &Path, report: &NewReport, dry_run: bool) -> Printed {
    let mut out = String::new();
    if dry_run {
        for file in &report.files {
            let _ = writeln!(
                out,
                "{} {}",
                paint(ADDED, "    create"),
                dir.join(file).display()
            );
        }
        out.push_str("dry run: nothing was written\n");
        return Printed::ok(out);
    }
    if report.starter {
        let _ = writeln!(
            out,
            "wrote a starter spec to {}",
            dir.join("gen.yaml").display()
        );
    }
    let _ = writeln!(
        out,
        "created {} in {}",
        count(report.files.len(), "file"),
        dir.display()
    );
    let _ = writeln!(out, "\nnext steps:\n  cd {}", dir.display());
    out.push_str(concat!(
        "  python -m venv .venv && . .venv/bin/activate && pip install -e '.[dev]'\n",
        "  alembic upgrade head && uvicorn app.main:app --reload\n",
    ));
    Printed::ok(out)
}

/// `gen validate` on a valid spec of `resources` resources.
pub fn valid(file: &Path, resources: usize) -> Printed {
    Printed::ok(format!(
        "{}: valid ({})\n",
        file.display(),
        count(resources, "resource")
    ))
}

/// What `gen generate` or `gen resource` did (or would do with `dry_run`):
/// exit 1 when files were written with conflict markers.
pub fn update(update: &Update, dry_run: bool) -> Printed {
    if update.is_up_to_date() {
        let out = if !update.rebuilt_records {
            "the project is up to date; nothing to write\n"
        } else if dry_run {
            "the project is up to date; gen's missing records in .gen/ would be written again\n"
        } else {
            "the project is up to date; gen's missing records in .gen/ are written again\n"
        };
        return Printed::ok(out.to_owned());
    }
    let mut out = describe(update, dry_run);
    if let Some(revision) = &update.revision {
        let _ = writeln!(
            out,
            "new migration: {revision} (run `alembic upgrade head`)"
        );
    }
    if dry_run {
        let _ = writeln!(out, "{:>10} {} files", "unchanged", update.unchanged);
        out.push_str("dry run: nothing was written\n");
        return Printed::ok(out);
    }
    let conflicts = update.conflicts();
    if conflicts.is_empty() {
        let _ = writeln!(out, "{} written", count(update.changes.len(), "file"));
        return Printed::ok(out);
    }
    let mut err = format!(
        "{} {} {} conflict markers: resolve them, then run gen generate again\n",
        error_label(),
        count(conflicts.len(), "file"),
        if conflicts.len() == 1 { "has" } else { "have" },
    );
    for (path, lines) in &conflicts {
        let _ = writeln!(err, "  conflict: {path}: line {}", line_list(lines));
    }
    Printed {
        out,
        err,
        status: 1,
    }
}

/// `gen check` as text: exit 0 when in sync, else 1 with a diff per file
/// and a summary.
pub fn check(update: &Update) -> Printed {
    if update.is_up_to_date() {
        let mut out = "in sync with gen.yaml\n".to_owned();
        if update.rebuilt_records {
            out.push_str(
                "some of gen's records in .gen/ are missing; `gen generate` writes them again\n",
            );
        }
        return Printed::ok(out);
    }
    let mut out = String::new();
    for change in &update.changes {
        out.push_str(&unified_diff(
            &change.path,
            change.before.as_deref(),
            change.after.as_deref(),
        ));
    }
    let _ = writeln!(out, "{}", drift_summary(update));
    out.push_str("run `gen generate` to bring the project in line with gen.yaml\n");
    Printed {
        out,
        err: String::new(),
        status: 1,
    }
}

/// `gen validate --format json`: the document, exit status as with text.
pub fn validate_json(file: &Path, outcome: &Result<usize, Error>) -> Printed {
    let document = ValidateJson::new(&file.display().to_string(), outcome);
    Printed {
        out: to_json(&document),
        err: String::new(),
        status: outcome.as_ref().err().map_or(0, Error::exit_code),
    }
}

/// `gen check --format json`: the document, exit status as with text.
pub fn check_json(outcome: &Result<Update, Error>) -> Printed {
    let status = match outcome {
        Ok(update) => u8::from(!update.is_up_to_date()),
        Err(e) => e.exit_code(),
    };
    Printed {
        out: to_json(&CheckJson::new(outcome)),
        err: String::new(),
        status,
    }
}

/// A problem in the `--format json` documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    /// Always `error` today.
    pub severity: &'static str,
    /// The file at fault, as the user named it; null when no file is (a
    /// project folder without gen.yaml names the folder).
    pub file: Option<String>,
    /// 1-based line, null when unknown.
    pub line: Option<usize>,
    /// 1-based column, null when unknown.
    pub column: Option<usize>,
    /// Dotted YAML path (`resources.Post.fields.title.type`); null when the
    /// problem is not in the spec.
    pub path: Option<String>,
    /// What is wrong, with its causes.
    pub message: String,
    /// How to fix it, when gen knows.
    pub help: Option<String>,
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        JsonDiagnostic {
            severity: "error",
            file: Some(d.file.clone()),
            line: d.location.map(|(line, _)| line),
            column: d.location.map(|(_, column)| column),
            path: Some(d.path.clone()),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

/// Every problem in `error`: the spec's, or one for any other failure.
pub fn json_diagnostics(error: &Error) -> Vec<JsonDiagnostic> {
    match error {
        Error::Spec(problems) => problems.0.iter().map(JsonDiagnostic::from).collect(),
        other => {
            let file = match other {
                Error::Io { path, .. } | Error::NotEmpty(path) | Error::NoProject(path) => {
                    Some(path.display().to_string())
                }
                _ => None,
            };
            vec![JsonDiagnostic {
                severity: "error",
                file,
                line: None,
                column: None,
                path: None,
                message: chain(other),
                help: None,
            }]
        }
    }
}

/// `gen validate --format json`.
#[derive(Debug, Serialize)]
pub struct ValidateJson {
    /// The spec file as given.
    pub file: String,
    /// No problems found.
    pub valid: bool,
    /// How many resources the spec declares; null when it is not valid.
    pub resources: Option<usize>,
    /// Every problem, in file order; empty when valid.
    pub diagnostics: Vec<JsonDiagnostic>,
}

impl ValidateJson {
    /// The document for `gen validate FILE`'s outcome.
    pub fn new(file: &str, outcome: &Result<usize, Error>) -> Self {
        ValidateJson {
            file: file.to_owned(),
            valid: outcome.is_ok(),
            resources: outcome.as_ref().ok().copied(),
            diagnostics: outcome
                .as_ref()
                .err()
                .map_or_else(Vec::new, json_diagnostics),
        }
    }
}

/// One file `gen check` finds out of step.
#[derive(Debug, Serialize)]
pub struct JsonFile {
    /// Path relative to the project.
    pub path: String,
    /// What `gen generate` would do: `create`, `update`, `merge`,
    /// `conflict` or `delete`.
    pub action: &'static str,
    /// The unified diff, as the text format prints it (without colour).
    pub diff: String,
}

/// `gen check --format json`.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    /// The project matches gen.yaml (exit 0).
    pub in_sync: bool,
    /// Files `gen generate` would change, in path order.
    pub files: Vec<JsonFile>,
    /// The migration `gen generate` would write, when the schema changed.
    pub migration: Option<String>,
    /// The text format's summary line; null when in sync or on error.
    pub summary: Option<String>,
    /// Why the check could not run (a bad spec, no project); empty otherwise.
    pub diagnostics: Vec<JsonDiagnostic>,
}

impl CheckJson {
    /// The document for `gen check`'s outcome.
    pub fn new(outcome: &Result<Update, Error>) -> Self {
        match outcome {
            Ok(update) => CheckJson {
                in_sync: update.is_up_to_date(),
                files: update
                    .changes
                    .iter()
                    .map(|c| JsonFile {
                        path: c.path.clone(),
                        action: match c.action {
                            Action::Create => "create",
                            Action::Update => "update",
                            Action::Merge => "merge",
                            Action::Conflict(_) => "conflict",
                            Action::Overwrite => "overwrite",
                            Action::Delete => "delete",
                        },
                        diff: plain_diff(&c.path, c.before.as_deref(), c.after.as_deref()),
                    })
                    .collect(),
                migration: update.revision.clone(),
                summary: (!update.is_up_to_date()).then(|| drift_summary(update)),
                diagnostics: Vec::new(),
            },
            Err(e) => CheckJson {
                in_sync: false,
                files: Vec::new(),
                migration: None,
                summary: None,
                diagnostics: json_diagnostics(e),
            },
        }
    }
}

/// `value` as pretty JSON and a newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("report types serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SpecErrors;

    fn problem(help: Option<&str>, location: Option<(usize, usize)>) -> Diagnostic {
        Diagnostic {
            file: "gen.yaml".into(),
            location,
            path: "resources.Post.fields.title.type".into(),
            message: "unknown type `strin`".into(),
            help: help.map(str::to_owned),
        }
    }

    /// Stripped of colour, the styled text is the plain text, word for word.
    #[test]
    fn styled_text_strips_to_the_plain_text() {
        let problems = SpecErrors(vec![
            problem(Some("did you mean `string`?"), Some((4, 9))),
            problem(None, None),
        ]);
        let plain = format!("{problems}\n");
        let styled = error(&Error::Spec(problems));
        assert_ne!(styled, plain);
        assert!(styled.contains("\x1b["), "{styled:?}");
        assert_eq!(anstream::adapter::strip_str(&styled).to_string(), plain);

        let diff = unified_diff("a.py", Some("x\ny\n"), Some("x\nz\n"));
        assert!(diff.contains("\x1b[32m+z"), "{diff:?}");
        assert_eq!(
            anstream::adapter::strip_str(&diff).to_string(),
            plain_diff("a.py", Some("x\ny\n"), Some("x\nz\n"))
        );
    }

    #[test]
    fn every_error_starts_with_error() {
        let errors = [
            Error::NotEmpty("out".into()),
            Error::Usage("bad".into()),
            Error::Destructive(vec!["drop table post".into()]),
            Error::Io {
                path: "x.yaml".into(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
            },
            Error::Spec(SpecErrors(vec![problem(None, Some((1, 1)))])),
        ];
        for e in &errors {
            let text = anstream::adapter::strip_str(&error(e)).to_string();
            assert!(text.starts_with("error: "), "{text}");
        }
        let io = anstream::adapter::strip_str(&error(&errors[3])).to_string();
        assert_eq!(io, "error: cannot read or write x.yaml: gone\n");
    }
}
