//! The only module that touches the disk: writes a [`Plan`] into a folder.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::render::Plan;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Whether `dir` exists and holds anything.
pub fn is_non_empty(dir: &Path) -> Result<bool, Error> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io(dir)(e)),
    }
}

/// Writes every file of `plan` under `dir`, creating folders as needed.
///
/// Each file is written to a temporary sibling and renamed into place, so a
/// reader never sees half a file. Returns the paths written, in plan order.
///
/// Errors: [`Error::Io`] naming the path that could not be written.
pub fn write_plan(dir: &Path, plan: &Plan) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::with_capacity(plan.len());
    for (relative, content) in plan {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = path.with_file_name(format!(".{name}.gen-tmp"));
        fs::write(&temporary, content).map_err(io(&temporary))?;
        fs::rename(&temporary, &path).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}
