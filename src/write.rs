//! The only module that touches the disk for writing: applies a set of
//! file writes and deletions to a folder, all or nothing as far as the
//! file system allows.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

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

/// Whether `path` is a path gen can record: relative, `/`-separated, every
/// part a plain name (no empty part, no `.` or `..`, no `\\`).
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|part| !matches!(part, "" | "." | "..") && !part.contains(['\\', '\0']))
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// `dir/relative`, once it is certain that it stays inside `dir`:
/// `relative` is a plain relative path ([`is_plain_relative`]) and no
/// symbolic link on the way to it (the file itself included) leads out of
/// `dir` or nowhere.
///
/// Errors: [`Error::Outside`] naming the path and the link;
/// [`Error::Io`] when a part of the path cannot be inspected.
pub fn resolve(dir: &Path, relative: &str) -> Result<PathBuf, Error> {
    let outside = |reason: String| Error::Outside {
        path: relative.to_owned(),
        reason,
    };
    if !is_plain_relative(relative) {
        return Err(outside(
            "it is not a plain relative path (it is absolute, or has `..`, `.` or an empty part)"
                .to_owned(),
        ));
    }
    let mut path = dir.to_path_buf();
    let mut root: Option<PathBuf> = None;
    for (i, part) in relative.split('/').enumerate() {
        path.push(part);
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            // Nothing deeper exists, so no link either.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(io(&path)(e)),
        };
        if !meta.file_type().is_symlink() {
            continue;
        }
        let link = relative
            .split('/')
            .take(i + 1)
            .collect::<Vec<_>>()
            .join("/");
        let root = match &root {
            Some(root) => root,
            None => root.insert(fs::canonicalize(dir).map_err(io(dir))?),
        };
        match fs::canonicalize(&path) {
            Ok(target) if target.starts_with(root) => {}
            Ok(target) => {
                return Err(outside(format!(
                    "{link} is a symbolic link to {}, outside the project; replace the link with the file or folder itself",
                    target.display()
                )));
            }
            Err(_) => {
                let target = fs::read_link(&path).unwrap_or_default();
                return Err(outside(format!(
                    "{link} is a symbolic link to {}, which does not exist; remove the link",
                    target.display()
                )));
            }
        }
    }
    Ok(dir.join(relative))
}

/// Reads a file under `dir`, None when it does not exist.
///
/// Errors: [`Error::Outside`] when the path leaves `dir` ([`resolve`]),
/// [`Error::Io`] for any other failure.
pub fn read(dir: &Path, relative: &str) -> Result<Option<String>, Error> {
    let path = resolve(dir, relative)?;
    match fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path)(e)),
    }
}

/// Writes `content` to a new file at `path`, replacing a leftover file
/// (or a planted link: never written through) of the same name.
fn write_new(path: &Path, content: &str) -> Result<(), Error> {
    let _ = fs::remove_file(path);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(content.as_bytes()))
        .map_err(io(path))
}

/// The names of the files in the folder `relative` under `dir`, sorted;
/// empty when it does not exist.
///
/// Errors: [`Error::Outside`] when the folder leaves `dir` ([`resolve`]),
/// [`Error::Io`] when it cannot be listed.
pub fn list(dir: &Path, relative: &str) -> Result<Vec<String>, Error> {
    let path = resolve(dir, relative)?;
    let entries = match fs::read_dir(&path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&path)(e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io(&path))?;
        if entry.file_type().map_err(io(&path))?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
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
/// Returns the paths written. Every path is checked with [`resolve`]
/// before anything is written.
///
/// Errors: [`Error::Outside`] for a path that leaves `dir` (nothing is
/// written), [`Error::Io`] naming the path that failed.
pub fn apply(dir: &Path, changes: &Changeset) -> Result<Vec<PathBuf>, Error> {
    let writes = changes
        .writes
        .iter()
        .map(|(relative, content)| Ok((resolve(dir, relative)?, content)))
        .collect::<Result<Vec<_>, Error>>()?;
    let deletes = changes
        .deletes
        .iter()
        .map(|relative| resolve(dir, relative))
        .collect::<Result<Vec<_>, Error>>()?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(writes.len());
    let result = (|| {
        for (path, content) in writes {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(io(parent))?;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let temporary = path.with_file_name(format!(".{name}.gen-tmp"));
            write_new(&temporary, content)?;
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
    for path in deletes {
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
