//! The library's error type.

use std::path::PathBuf;

use crate::diagnostics::SpecErrors;

/// Anything that can stop a `gen` command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec has problems; each carries its position and a fix.
    #[error(transparent)]
    Spec(#[from] SpecErrors),
    /// A file could not be read or written.
    #[error("cannot read or write {}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The target folder already holds files and `--force` was not given.
    #[error("{} is not empty; pass --force to write into it anyway", .0.display())]
    NotEmpty(PathBuf),
    /// The folder holds no `gen.yaml`.
    #[error("{} holds no gen.yaml; run gen inside a project made by `gen new`, or pass --project DIR", .0.display())]
    NoProject(PathBuf),
    /// The spec change needs steps that can lose data; `--allow-destructive` permits them.
    #[error("the next migration would be destructive; review, then rerun with --allow-destructive:\n{}", .0.iter().map(|s| format!("  - {s}")).collect::<Vec<_>>().join("\n"))]
    Destructive(Vec<String>),
    /// `gen resource` was asked for a resource that already exists.
    #[error("resource `{0}` already exists in gen.yaml; nothing was written")]
    ResourceExists(String),
    /// A `gen resource` argument is malformed.
    #[error("{0}")]
    Usage(String),
    /// gen's records in `.gen/` are missing or unreadable.
    #[error("{0}")]
    State(String),
    /// A record in `.gen/` names a path gen must not touch (absolute, with
    /// `..`, or one gen never records): the records were edited.
    #[error(
        "{record} lists {entry:?} under `{key}`, which {reason}; gen only touches files inside the project, so it stopped before reading, writing or deleting anything. Restore .gen/ from version control (`git checkout -- .gen`) and find out who changed it"
    )]
    Tampered {
        /// The record file (`.gen/manifest.json`).
        record: String,
        /// The list in it (`files`, `extensions`).
        key: &'static str,
        /// The entry as written.
        entry: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A path gen was to read, write or delete leads out of the project
    /// (through a symbolic link) or is not a plain relative path.
    #[error(
        "refusing to read, write or delete {path}: {reason}; gen never touches anything outside the project"
    )]
    Outside {
        /// The path inside the project, as gen names it.
        path: String,
        /// Why it leaves the project, and what to do.
        reason: String,
    },
    /// A template failed to render: a bug in gen, not in the spec.
    #[error("rendering template {template} failed")]
    Render {
        /// The template's path.
        template: String,
        /// Tera's error, with its cause chain.
        source: tera::Error,
    },
}

impl Error {
    /// The process exit status for this error: 2 for a bad spec or bad
    /// usage, 1 for anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Spec(_)
            | Error::NotEmpty(_)
            | Error::NoProject(_)
            | Error::ResourceExists(_)
            | Error::Usage(_) => 2,
            Error::Io { .. }
            | Error::Render { .. }
            | Error::Destructive(_)
            | Error::State(_)
            | Error::Tampered { .. }
            | Error::Outside { .. } => 1,
        }
    }
}
