//! Every bad spec is rejected: exit 2, `file:line:column`, the YAML path, a
//! help line, and no file written. The full message is a snapshot.

use std::path::Path;

use crate::common::{gen_cmd, root};

fn check(path: &Path) -> String {
    let relative = path
        .strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let out = gen_cmd(&["validate", &relative]);
    assert_eq!(out.status.code(), Some(2), "{relative}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("--> {relative}:")),
        "{relative}: no file:line:column\n{stderr}"
    );
    assert!(
        stderr.contains("= at: "),
        "{relative}: no YAML path\n{stderr}"
    );
    assert!(stderr.contains("= help: "), "{relative}: no help\n{stderr}");

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    let new = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", &relative]);
    assert_eq!(new.status.code(), Some(2), "{relative}");
    assert!(!dir.exists(), "{relative}: files were written");
    stderr
}

#[test]
fn bad_specs_are_reported() {
    let mut count = 0;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/bad_specs");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("specs/bad/*.yaml", |path| {
            count += 1;
            insta::assert_snapshot!("error", check(path));
        });
    });
    assert!(count >= 100, "only {count} bad specs");
}
