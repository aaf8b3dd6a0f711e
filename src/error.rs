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
            Error::Spec(_) | Error::NotEmpty(_) => 2,
            Error::Io { .. } | Error::Render { .. } => 1,
        }
    }
}
