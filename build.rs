//! Rebuilds the binary when any template changes (`include_dir!` embeds
//! `templates/`, but cargo only tracks files it knows about), and sets
//! `GEN_BUILD_ID`: a fingerprint of the sources and templates that decide
//! what gen writes. `.gen/manifest.json` records it with the spec's hash,
//! so that `gen generate` and `gen check` can tell that nothing changed
//! without rendering (see `project::unchanged`).

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

/// Every file below `dir`, in path order.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    for watched in ["templates", "src", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    let mut all = Vec::new();
    for dir in ["src", "templates"] {
        files(Path::new(dir), &mut all);
    }
    all.push(PathBuf::from("Cargo.toml"));
    all.push(PathBuf::from("Cargo.lock"));
    all.sort();
    // SipHash with fixed keys: the same sources give the same id.
    let mut hasher = DefaultHasher::new();
    for path in &all {
        hasher.write(path.to_string_lossy().replace('\\', "/").as_bytes());
        hasher.write(&std::fs::read(path).unwrap_or_default());
    }
    println!("cargo:rustc-env=GEN_BUILD_ID={:016x}", hasher.finish());
}
