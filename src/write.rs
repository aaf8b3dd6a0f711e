//! The only module that touches the disk for writing: applies a set of
//! file writes and deletions to a folder, all or nothing as far as the
//! file system allows.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

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

/// Reads a file under `dir`, None when it does not exist.
///
/// Errors: [`Error::Io`] for any other failure.
pub fn read(dir: &Path, relative: &str) -> Result<Option<String>, Error> {
    let path = dir.join(relative);
    match fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path)(e)),
    }
}

/// Files to write (relative path → content) and files to delete.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changeset {
    /// Files to create or replace.
    pub writes: BTreeMap<String, String>,
    /// Files to remove.
    pub deletes: Vec<String>,
}

/// Applies `changes` under `dir`.
///
/// Every new content is first written to a temporary sibling; only when all
/// of them are on disk are they renamed into place, so a failure while
/// writing (a full disk, a permission) leaves the previous tree untouched.
/// Returns the paths written.
///
/// Errors: [`Error::Io`] naming the path that failed.
pub fn apply(dir: &Path, changes: &Changeset) -> Result<Vec<PathBuf>, Error> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(changes.writes.len());
    let result = (|| {
        for (relative, content) in &changes.writes {
            let path = dir.join(relative);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(io(parent))?;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let temporary = path.with_file_name(format!(".{name}.gen-tmp"));
            fs::write(&temporary, content).map_err(io(&temporary))?;
            staged.push((temporary, path));
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(e);
    }
    let mut written = Vec::with_capacity(staged.len());
    for (temporary, path) in staged {
        fs::rename(&temporary, &path).map_err(io(&path))?;
        written.push(path);
    }
    for relative in &changes.deletes {
        let path = dir.join(relative);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&path)(e)),
        }
        // Folders left empty go too (a removed resource's package).
        let mut parent = path.parent();
        while let Some(folder) = parent.filter(|p| *p != dir && p.starts_with(dir)) {
            if fs::remove_dir(folder).is_err() {
                break;
            }
            parent = folder.parent();
        }
    }
    Ok(written)
}
