//! The commands, as library functions the binary calls. Each returns what
//! it did (or would do) for the binary to print; only `write::apply` writes.

use std::path::Path;

use crate::error::Error;
use crate::escape;
use crate::model::Model;
use crate::names;
use crate::project::{self, Options, Update};
use crate::render::{self, Plan, SPEC_FILE};
use crate::spec::{self, Spec};

use crate::write::{self, Changeset};

/// The starter spec `gen new` writes when no `--spec` is given.
const STARTER: &str = include_str!("starter.yaml");

/// Loads and validates the spec at `path`.
///
/// Errors: [`Error::Spec`] listing every problem, [`Error::Io`] when the
/// file cannot be read.
pub fn model_from_file(path: &Path) -> Result<Model, Error> {
    let spec = spec::load(path)?;
    Ok(crate::check::validate(&spec)?)
}

/// Everything `gen new` would write for the spec at `path`.
pub fn plan_from_file(path: &Path) -> Result<Plan, Error> {
    project::new_project(&model_from_file(path)?)
}

/// The starter spec for a project in `dir`, named after the folder.
pub fn starter_spec(dir: &Path) -> String {
    let base = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "api".to_owned());
    let name = names::kebab(&base);
    let name = if name.is_empty() {
        "api".to_owned()
    } else {
        name
    };
    let title = format!("{} API", names::words(&names::snake(&name)));
    STARTER.replace("{name}", &name).replace("{title}", &title)
}

fn parse_text(file: &str, text: String) -> Result<Spec, Error> {
    let (raw, spans) = spec::parse(file, &text)?;
    Ok(Spec {
        file: file.to_owned(),
        text,
        raw,
        spans,
    })
}

/// What `gen new` did or would do.
#[derive(Debug)]
pub struct NewReport {
    /// Paths written (or to write), relative to the project.
    pub files: Vec<String>,
    /// A starter spec was used because none was given.
    pub starter: bool,
}

/// `gen new DIR [--spec FILE] [--force] [--dry-run]`: renders everything in
/// memory, then writes the project, the spec as `DIR/gen.yaml`, and gen's
/// records in `DIR/.gen/`.
///
/// Errors: [`Error::NotEmpty`] when `dir` holds files and `force` is off;
/// [`Error::Usage`] when `dir` holds revisions other than the initial one
/// gen would write; [`Error::Spec`] for a bad spec. Nothing is written on
/// any error.
pub fn new_project(
    dir: &Path,
    spec_path: Option<&Path>,
    force: bool,
    dry_run: bool,
) -> Result<NewReport, Error> {
    render::preload();
    let (spec, starter) = match spec_path {
        Some(path) => (spec::load(path)?, false),
        None => (parse_text(SPEC_FILE, starter_spec(dir))?, true),
    };
    let model = crate::check::validate(&spec)?;
    let plan = project::new_project(&model)?;
    if !force && write::is_non_empty(dir)? {
        return Err(Error::NotEmpty(dir.to_owned()));
    }
    // A project already: its revisions are the user's and its database's.
    for path in project::revisions_on_disk(dir)?.values() {
        let same = match plan.get(path) {
            Some(file) => write::read(dir, path)?.as_deref() == Some(file.content.as_str()),
            None => false,
        };
        if !same {
            return Err(Error::Usage(format!(
                "{} already holds {path}: `gen new --force` would start the migrations over beside it. Run `gen generate --project {}` to regenerate an existing project",
                dir.display(),
                dir.display()
            )));
        }
    }
    let files: Vec<String> = plan.keys().cloned().collect();
    if !dry_run {
        let changes = Changeset {
            writes: plan
                .into_iter()
                .map(|(path, file)| (path, file.content))
                .collect(),
            deletes: Vec::new(),
        };
        write::apply(dir, &changes)?;
    }
    Ok(NewReport { files, starter })
}

/// `gen validate FILE`: checks the spec and returns how many resources it declares.
pub fn validate_file(path: &Path) -> Result<usize, Error> {
    Ok(model_from_file(path)?.resources.len())
}

/// The project's `gen.yaml`, read only when it is inside the project.
fn project_spec(dir: &Path) -> Result<Spec, Error> {
    let path = write::resolve(dir, SPEC_FILE)?;
    if !path.is_file() {
        return Err(Error::NoProject(dir.to_owned()));
    }
    spec::load(&path)
}

/// `gen generate`: regenerates the project in `dir` from its `gen.yaml`.
/// With `dry_run` nothing is written.
///
/// Errors: [`Error::NoProject`], [`Error::Spec`], [`Error::Destructive`];
/// nothing is written on any of them.
pub fn generate(dir: &Path, options: Options, dry_run: bool) -> Result<Update, Error> {
    let path = write::resolve(dir, SPEC_FILE)?;
    if !path.is_file() {
        return Err(Error::NoProject(dir.to_owned()));
    }
    let file = path.display().to_string();
    let text = spec::read_text(&path, &file)?;
    // Nothing changed since gen last wrote the project: no need to check
    // and render the spec to find that out.
    if !options.force && !options.rebuild_state {
        if let Some(update) = project::unchanged(dir, &text)? {
            return Ok(update);
        }
    }
    render::preload();
    let spec = spec::from_text(file, text)?;
    let model = crate::check::validate(&spec)?;
    let update = project::update(dir, &model, None, options)?;
    if !dry_run {
        write::apply(dir, &update.changeset)?;
    }
    Ok(update)
}

/// `gen check`: what `gen generate` would change; empty when in sync.
pub fn check(dir: &Path) -> Result<Update, Error> {
    generate(dir, Options::default(), true)
}

/// A resource to add with `gen resource`.
#[derive(Debug, Clone, Default)]
pub struct NewResource {
    /// Name as given (`Comment`).
    pub name: String,
    /// `name:type[:modifier...]` and `name:many_to_one:Target[:nullable]` items.
    pub fields: Vec<String>,
    /// `owned: true`.
    pub owned: bool,
    /// `public_read: true`.
    pub public_read: bool,
    /// Resources (or `User`) to add a required many-to-one relation to.
    pub belongs_to: Vec<String>,
}

const MODIFIERS: &[&str] = &["nullable", "unique", "index"];

/// The YAML block for `r`, indented for a `resources:` mapping whose keys
/// sit at `indent` spaces, with `step` more spaces per level. Every name
/// from the command line goes through [`escape::yaml_plain`], so none can
/// add keys or structure of its own.
fn resource_block(r: &NewResource, indent: usize, step: usize) -> Result<String, Error> {
    let pad = |level: usize| " ".repeat(indent + step * level);
    let mut fields = Vec::new();
    let mut relations = Vec::new();
    for item in &r.fields {
        let parts: Vec<&str> = item.split(':').collect();
        let usage = || {
            Error::Usage(format!(
                "`{item}` is not a field: write name:type[:nullable|unique|index] or name:many_to_one:Target[:nullable]"
            ))
        };
        match parts.as_slice() {
            [name, "many_to_one", target, rest @ ..] if !name.is_empty() && !target.is_empty() => {
                let target = escape::yaml_plain(target, true);
                let name = escape::yaml_plain(name, false);
                let mut entry = format!("{{kind: many_to_one, to: {target}");
                for m in rest {
                    match *m {
                        "nullable" => entry.push_str(", nullable: true"),
                        _ => return Err(usage()),
                    }
                }
                entry.push('}');
                relations.push(format!("{}{name}: {entry}", pad(2)));
            }
            [name, ty] if !name.is_empty() && !ty.is_empty() => fields.push(format!(
                "{}{}: {}",
                pad(2),
                escape::yaml_plain(name, false),
                escape::yaml_plain(ty, false)
            )),
            [name, ty, modifiers @ ..] if !name.is_empty() && !ty.is_empty() => {
                // In a flow mapping `[` would start a list: `"string[]"`.
                let ty = escape::yaml_plain(ty, true);
                let name = escape::yaml_plain(name, false);
                let mut entry = format!("{{type: {ty}");
                for m in modifiers {
                    if !MODIFIERS.contains(m) {
                        return Err(Error::Usage(format!(
                            "unknown modifier `{m}` in `{item}`; use nullable, unique or index"
                        )));
                    }
                    entry.push_str(&format!(", {m}: true"));
                }
                entry.push('}');
                fields.push(format!("{}{name}: {entry}", pad(2)));
            }
            _ => return Err(usage()),
        }
    }
    for target in &r.belongs_to {
        relations.push(format!(
            "{}{}: {{kind: many_to_one, to: {}, on_delete: cascade}}",
            pad(2),
            escape::yaml_plain(&names::snake(target), false),
            escape::yaml_plain(target, true)
        ));
    }
    let mut out = format!("{}{}:\n", pad(0), escape::yaml_plain(&r.name, false));
    if r.owned {
        out.push_str(&format!("{}owned: true\n", pad(1)));
    }
    if r.public_read {
        out.push_str(&format!("{}public_read: true\n", pad(1)));
    }
    if !fields.is_empty() {
        out.push_str(&format!("{}fields:\n{}\n", pad(1), fields.join("\n")));
    }
    if !relations.is_empty() {
        out.push_str(&format!("{}relations:\n{}\n", pad(1), relations.join("\n")));
    }
    Ok(out)
}

/// `text` with `block` inserted at the end of the top-level `resources:`
/// mapping. Every byte outside the inserted block is kept.
///
/// Errors: [`Error::Usage`] when `resources:` is missing or not in block style.
pub fn insert_resource(text: &str, r: &NewResource) -> Result<String, Error> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(start) = lines.iter().position(|l| {
        l.trim_end() == "resources:"
            || l.starts_with("resources:") && l["resources:".len()..].trim_start().starts_with('#')
    }) else {
        return Err(Error::Usage(
            "gen.yaml has no block-style `resources:` mapping to add to (a flow mapping like `resources: {}` cannot be extended in place)".into(),
        ));
    };
    let mut last = start;
    let mut key_indent = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 {
            break;
        }
        key_indent.get_or_insert(indent);
        last = i;
    }
    let indent = key_indent.unwrap_or(2);
    let block = resource_block(r, indent, indent)?;
    let mut out = String::with_capacity(text.len() + block.len() + 1);
    for line in &lines[..=last] {
        out.push_str(line);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&block);
    for line in &lines[last + 1..] {
        out.push_str(line);
    }
    Ok(out)
}

/// `gen resource`: adds `r` to the project's `gen.yaml` in place, then
/// regenerates. Returns the new spec text and the update.
///
/// Errors: [`Error::ResourceExists`] when the name is taken, [`Error::Usage`]
/// for a malformed field, [`Error::Spec`] when the result is not a valid
/// spec; nothing is written on any of them.
pub fn add_resource(
    dir: &Path,
    r: &NewResource,
    options: Options,
    dry_run: bool,
) -> Result<(String, Update), Error> {
    render::preload();
    let spec = project_spec(dir)?;
    let class = names::pascal(&r.name);
    if spec.raw.resources.keys().any(|k| names::pascal(k) == class) || class == "User" {
        return Err(Error::ResourceExists(class));
    }
    let text = insert_resource(&spec.text, r)?;
    let new_spec = parse_text(&spec.file, text.clone())?;
    let model = crate::check::validate(&new_spec)?;
    let update = project::update(dir, &model, Some(&text), options)?;
    if !dry_run {
        write::apply(dir, &update.changeset)?;
    }
    Ok((text, update))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name from the command line is one YAML key or value, whatever it
    /// holds: quoted when it must be, so it cannot add keys of its own.
    #[test]
    fn names_from_the_command_line_cannot_add_structure() {
        let spec =
            "version: 1\nproject:\n  name: x\nresources:\n  Note:\n    fields:\n      body: text\n";
        let hostile = NewResource {
            name: "Evil:\n    owned: true\n  Other".into(),
            fields: vec![
                "title:string".into(),
                "tags:string[]".into(),
                "yes:int:nullable".into(),
                "x #y:text".into(),
            ],
            belongs_to: vec!["Note}, z: {".into()],
            ..NewResource::default()
        };
        let text = insert_resource(spec, &hostile).unwrap();
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let resources = doc["resources"].as_mapping().unwrap();
        assert_eq!(resources.len(), 2, "{text}");
        let evil = &resources[hostile.name.as_str()];
        assert_eq!(evil.as_mapping().unwrap().len(), 2, "{text}");
        let fields = evil["fields"].as_mapping().unwrap();
        let names: Vec<&str> = fields.keys().map(|k| k.as_str().unwrap()).collect();
        assert_eq!(names, ["title", "tags", "yes", "x #y"], "{text}");
        assert_eq!(fields["tags"].as_str(), Some("string[]"), "{text}");
        let to = &evil["relations"]
            .as_mapping()
            .unwrap()
            .values()
            .next()
            .unwrap()["to"];
        assert_eq!(to.as_str(), Some("Note}, z: {"), "{text}");
    }
}
