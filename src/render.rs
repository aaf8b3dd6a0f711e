//! Rendering: a [`Model`] in, a [`Plan`] (relative path → file content) out.
//! Pure: no disk access. Templates are embedded in the binary.
//!
//! `templates/project/` holds files rendered once per project,
//! `templates/resource/` files rendered once per resource, with
//! `__resource__` in a path replaced by the resource's package name. A file
//! ending in `.tera` is rendered and loses that suffix; any other is copied.

use std::collections::BTreeMap;

use include_dir::{Dir, DirEntry, include_dir};
use tera::{Context, Tera};

use crate::error::Error;
use crate::model::Model;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Files to write: relative path (with `/`) → content, in path order.
pub type Plan = BTreeMap<String, String>;

/// The spec's copy inside the project.
pub const SPEC_FILE: &str = "gen.yaml";

fn files<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => files(d, out),
            DirEntry::File(f) => out.push(f),
        }
    }
}

/// Loads every `.tera` template into one Tera instance, autoescaping off
/// (the output is Python, TOML and Markdown, not HTML).
fn engine() -> Result<Tera, Error> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![]);
    let mut all = Vec::new();
    files(&TEMPLATES, &mut all);
    let sources: Vec<(String, String)> = all
        .iter()
        .filter(|f| f.path().extension().is_some_and(|e| e == "tera"))
        .map(|f| {
            (
                f.path().to_string_lossy().replace('\\', "/"),
                f.contents_utf8().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    tera.add_raw_templates(sources).map_err(|source| Error::Render {
        template: "(loading templates)".into(),
        source,
    })?;
    Ok(tera)
}

/// Renders the whole project for `model`.
///
/// Errors: [`Error::Render`] when a template fails, which is a bug in gen.
pub fn render(model: &Model) -> Result<Plan, Error> {
    let tera = engine()?;
    let mut plan = Plan::new();
    let mut context = Context::new();
    context.insert("model", model);
    let mut all = Vec::new();
    files(&TEMPLATES, &mut all);
    for file in &all {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(rest) = path.strip_prefix("project/") {
            emit(&tera, &mut plan, file, &path, rest.to_owned(), &context)?;
        } else if let Some(rest) = path.strip_prefix("resource/") {
            for resource in &model.resources {
                let mut ctx = context.clone();
                ctx.insert("r", resource);
                emit(&tera, &mut plan, file, &path, rest.replace("__resource__", &resource.snake), &ctx)?;
            }
        }
    }
    plan.insert(SPEC_FILE.to_owned(), model.spec_text.clone());
    Ok(plan)
}

fn emit(
    tera: &Tera,
    plan: &mut Plan,
    file: &include_dir::File,
    template: &str,
    target: String,
    context: &Context,
) -> Result<(), Error> {
    match target.strip_suffix(".tera") {
        Some(target) => {
            let text = tera.render(template, context).map_err(|source| Error::Render {
                template: template.to_owned(),
                source,
            })?;
            plan.insert(target.to_owned(), tidy(&text));
        }
        None => {
            plan.insert(target, file.contents_utf8().unwrap_or_default().to_owned());
        }
    }
    Ok(())
}

/// Normalizes template output: no trailing spaces, no runs of more than two
/// blank lines, exactly one final newline (what ruff and editors expect).
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 2 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_end_matches('\n').trim_start_matches('\n');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}
