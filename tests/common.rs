//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `gen` binary with `args` from the repository root.
pub fn gen_cmd(args: &[&str]) -> Output {
    gen_with_env(args, &[])
}

/// Runs the `gen` binary with `args` from the repository root, with the
/// variables that decide colour (`NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`)
/// taken from `env` only, never from the caller's environment.
pub fn gen_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gen"));
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        command.env_remove(name);
    }
    command
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .output()
        .expect("run gen")
}

/// The example specs, by name.
pub fn examples() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("examples"))
        .expect("examples folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// Every file under `dir`, relative, sorted.
pub fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(
                    path.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

/// The examples, then the specs of `tests/specs/good/`: every spec gen must accept.
pub fn good_specs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = examples().into_iter().map(|(_, p)| p).collect();
    let mut good: Vec<PathBuf> = std::fs::read_dir(root().join("tests/specs/good"))
        .expect("good specs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    good.sort();
    out.extend(good);
    out
}

/// Everything `out` printed, standard output then standard error.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A fresh project from the evolution spec v1, in `notebook/` of a new
/// temporary folder (kept while the returned guard lives).
pub fn notebook() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("notebook");
    let out = gen_cmd(&[
        "new",
        dir.to_str().unwrap(),
        "--spec",
        "tests/specs/evolution/v1.yaml",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    (tmp, dir)
}

/// Runs `gen` with `args` on the project in `dir` (`--project DIR`).
pub fn in_project(dir: &Path, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--project", dir.to_str().unwrap()]);
    gen_cmd(&all)
}
