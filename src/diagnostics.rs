//! Problems found in a spec, with where they are and how to fix them.
//!
//! Every problem carries the spec file, the 1-based line and column of the
//! offending YAML node (when the YAML has one), the dotted YAML path
//! (`resources.Post.fields.title.type`) and a help line.

use std::fmt;

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file as the user named it.
    pub file: String,
    /// 1-based line and column of the node at fault, when known.
    pub location: Option<(usize, usize)>,
    /// Dotted YAML path of the node at fault (`.` for the whole document).
    pub path: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it: allowed values, a did-you-mean, or the fix itself.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        match self.location {
            Some((line, column)) => writeln!(f, "  --> {}:{line}:{column}", self.file)?,
            None => writeln!(f, "  --> {}", self.file)?,
        }
        writeln!(f, "   = at: {}", self.path)?;
        if let Some(help) = &self.help {
            writeln!(f, "   = help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in one spec; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SpecErrors(pub Vec<Diagnostic>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the spec; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

/// Names from `candidates` close enough to `given` to be a likely typo,
/// closest first (Levenshtein distance, as `just` suggests recipe names).
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given_lower = given.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&given_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A help line listing the allowed values, led by a did-you-mean when one is close.
pub fn allowed_help(given: &str, allowed: &[&str]) -> String {
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match did_you_mean(given, allowed.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Allowed: {list}"),
        None => format!("allowed: {list}"),
    }
}
