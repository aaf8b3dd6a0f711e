//! The commands, as library functions the binary calls.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::names;
use crate::render::{self, Plan};
use crate::spec::{self, Spec};
use crate::validate;
use crate::write;

/// The starter spec `gen new` writes when no `--spec` is given.
const STARTER: &str = include_str!("starter.yaml");

/// Loads, validates and renders the spec at `path` into a plan.
///
/// Errors: [`Error::Spec`] listing every problem, [`Error::Io`] when the
/// file cannot be read.
pub fn plan_from_file(path: &Path) -> Result<Plan, Error> {
    let spec = spec::load(path)?;
    plan_from_spec(&spec)
}

/// Validates and renders an already loaded spec.
pub fn plan_from_spec(spec: &Spec) -> Result<Plan, Error> {
    let model = validate::validate(spec)?;
    render::render(&model)
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
    let name = if name.is_empty() { "api".to_owned() } else { name };
    let title = format!("{} API", names::words(&names::snake(&name)));
    STARTER.replace("{name}", &name).replace("{title}", &title)
}

/// What `gen new` did.
#[derive(Debug)]
pub struct NewReport {
    /// Files written, absolute or relative to the working folder.
    pub written: Vec<PathBuf>,
    /// A starter spec was written because none was given.
    pub starter: bool,
}

/// `gen new DIR [--spec FILE] [--force]`: renders everything in memory, then
/// writes the project, with the spec copied to `DIR/gen.yaml`.
///
/// Errors: [`Error::NotEmpty`] when `dir` holds files and `force` is off;
/// [`Error::Spec`] for a bad spec. Nothing is written on any error found
/// before writing starts.
pub fn new_project(dir: &Path, spec_path: Option<&Path>, force: bool) -> Result<NewReport, Error> {
    let (spec, starter) = match spec_path {
        Some(path) => (spec::load(path)?, false),
        None => {
            let text = starter_spec(dir);
            let (raw, spans) = spec::parse(render::SPEC_FILE, &text)?;
            let spec = Spec {
                file: render::SPEC_FILE.to_owned(),
                text,
                raw,
                spans,
            };
            (spec, true)
        }
    };
    let plan = plan_from_spec(&spec)?;
    if !force && write::is_non_empty(dir)? {
        return Err(Error::NotEmpty(dir.to_owned()));
    }
    let written = write::write_plan(dir, &plan)?;
    Ok(NewReport { written, starter })
}

/// `gen validate FILE`: checks the spec and returns how many resources it declares.
pub fn validate_file(path: &Path) -> Result<usize, Error> {
    let spec = spec::load(path)?;
    let model = validate::validate(&spec)?;
    Ok(model.resources.len())
}
