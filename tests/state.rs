//! gen's records (`.gen/`) and the tree they describe, when someone else
//! had a hand in them: tampered entries and symbolic links that lead out of
//! the project are refused without reading, writing or deleting anything
//! outside it; lost records are rebuilt from what gen can trust, or
//! refused with a way to recover, and no revision is ever rewritten.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::common::{gen_cmd, in_project, notebook, text};

const SECRET: &str = "TOP SECRET 42\n";

/// A fresh project from the evolution spec v1, and beside it (outside the
/// project) a folder holding `secret.txt` and `pkg/models.py`.
fn project() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, dir) = notebook();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("pkg")).unwrap();
    std::fs::write(outside.join("secret.txt"), SECRET).unwrap();
    std::fs::write(outside.join("pkg/models.py"), SECRET).unwrap();
    (tmp, dir, outside)
}

/// Every file under `dir` (links not followed) with its content.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            out.extend(snapshot(&path));
        } else if meta.is_symlink() {
            out.push((path.clone(), None));
        } else {
            out.push((path.clone(), Some(std::fs::read(&path).unwrap())));
        }
    }
    out.sort();
    out
}

/// Runs every command that reads the tree; each must refuse with exit 1,
/// mention `needle`, print no secret, and leave the project and the
/// outside folder as they were.
fn assert_refused_everywhere(dir: &Path, outside: &Path, needle: &str) {
    let project = snapshot(dir);
    let beside = snapshot(outside);
    for args in [
        &["check"][..],
        &["generate"],
        &["generate", "--force"],
        &["generate", "--dry-run"],
        &["resource", "Tag", "name:string"],
    ] {
        let out = in_project(dir, args);
        let all = text(&out);
        assert!(
            !all.contains("TOP SECRET"),
            "{args:?} printed the secret:\n{all}"
        );
        assert_eq!(snapshot(outside), beside, "{args:?} touched the outside");
        assert_eq!(snapshot(dir), project, "{args:?} changed the project");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
        assert!(all.contains(needle), "{args:?}: no `{needle}` in\n{all}");
        assert!(out.stderr.starts_with(b"error: "), "{args:?}: {all}");
    }
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Adds `entry` (with the secret's hash) to `list` of the manifest, and
/// a base copy where `.gen/base/ENTRY` would be, as an attacker would.
fn tamper(dir: &Path, list: &str, entry: &str) {
    let path = dir.join(".gen/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    manifest[list][entry] = sha256(SECRET).into();
    std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
}

#[test]
fn manifest_entries_outside_the_project_are_refused() {
    let (_tmp, dir, outside) = project();
    let absolute = outside.join("secret.txt");
    let entries = [
        absolute.to_str().unwrap().to_owned(),
        "../outside/secret.txt".to_owned(),
        "app/../../outside/secret.txt".to_owned(),
    ];
    for list in ["extensions", "files"] {
        for entry in &entries {
            let manifest = std::fs::read(dir.join(".gen/manifest.json")).unwrap();
            tamper(&dir, list, entry);
            assert_refused_everywhere(&dir, &outside, &format!("{entry:?}"));
            std::fs::write(dir.join(".gen/manifest.json"), manifest).unwrap();
        }
    }
    assert_eq!(
        std::fs::read_to_string(outside.join("secret.txt")).unwrap(),
        SECRET
    );
}

#[test]
fn manifest_entries_naming_the_spec_records_or_revisions_are_refused() {
    let (_tmp, dir, _outside) = project();
    for entry in [
        "gen.yaml",
        ".gen/schema.json",
        "migrations/versions/0001_initial.py",
        "./gen.yaml",
        "app//main.py",
    ] {
        let manifest = std::fs::read(dir.join(".gen/manifest.json")).unwrap();
        tamper(&dir, "files", entry);
        let out = in_project(&dir, &["generate", "--force"]);
        assert_eq!(out.status.code(), Some(1), "{entry}: {}", text(&out));
        assert!(text(&out).contains(&format!("{entry:?}")), "{}", text(&out));
        assert!(dir.join("gen.yaml").is_file());
        assert!(dir.join("migrations/versions/0001_initial.py").is_file());
        std::fs::write(dir.join(".gen/manifest.json"), manifest).unwrap();
    }
}

#[test]
fn a_linked_folder_that_leaves_the_project_is_refused() {
    let (_tmp, dir, outside) = project();
    std::fs::remove_dir_all(dir.join("app/notebook")).unwrap();
    symlink(outside.join("pkg"), dir.join("app/notebook")).unwrap();
    assert_refused_everywhere(&dir, &outside, "app/notebook is a symbolic link");
}

#[test]
fn a_linked_file_that_leaves_the_project_is_refused() {
    let (_tmp, dir, outside) = project();
    let models = dir.join("app/notebook/models.py");
    std::fs::remove_file(&models).unwrap();
    symlink(outside.join("secret.txt"), &models).unwrap();
    assert_refused_everywhere(&dir, &outside, "app/notebook/models.py is a symbolic link");
}

#[test]
fn linked_records_and_spec_that_leave_the_project_are_refused() {
    let (_tmp, dir, outside) = project();
    // gen's base copies kept elsewhere: gen would write them there.
    std::fs::rename(dir.join(".gen/base"), outside.join("base")).unwrap();
    symlink(outside.join("base"), dir.join(".gen/base")).unwrap();
    std::fs::write(outside.join("base/secret.txt"), SECRET).unwrap();
    assert_refused_everywhere(&dir, &outside, ".gen/base is a symbolic link");
    std::fs::remove_file(dir.join(".gen/base")).unwrap();
    std::fs::rename(outside.join("base"), dir.join(".gen/base")).unwrap();
    std::fs::remove_file(dir.join(".gen/base/secret.txt")).unwrap();

    // A spec that is someone else's file: its keys would be quoted back.
    std::fs::write(outside.join("secret.yaml"), format!("{SECRET}: x\n")).unwrap();
    std::fs::remove_file(dir.join("gen.yaml")).unwrap();
    symlink(outside.join("secret.yaml"), dir.join("gen.yaml")).unwrap();
    assert_refused_everywhere(&dir, &outside, "gen.yaml is a symbolic link");
}

#[test]
fn links_that_stay_inside_the_project_are_followed() {
    let (_tmp, dir, _outside) = project();
    // An extension point shared through a link, and a folder moved and linked back.
    let hooks = dir.join("app/notebook/hooks.py");
    std::fs::rename(&hooks, dir.join("app/shared_hooks.py")).unwrap();
    symlink("../shared_hooks.py", &hooks).unwrap();
    std::fs::rename(dir.join("tests/notebook"), dir.join("tests/moved")).unwrap();
    symlink("moved", dir.join("tests/notebook")).unwrap();
    let out = in_project(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let linked = dir.join("tmp-link");
    symlink(&dir, &linked).unwrap();
    let out = in_project(&linked, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn a_planted_link_where_gen_stages_a_file_is_not_written_through() {
    let (_tmp, dir, outside) = project();
    let spec = dir.join("gen.yaml");
    let before = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        before.replace(
            "      archived: {type: bool, default: false}\n",
            "      archived: {type: bool, default: false}\n      color: {type: string, max_length: 20, nullable: true}\n",
        ),
    )
    .unwrap();
    symlink(
        outside.join("secret.txt"),
        dir.join("app/notebook/.models.py.gen-tmp"),
    )
    .unwrap();
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(outside.join("secret.txt")).unwrap(),
        SECRET
    );
    assert!(
        std::fs::read_to_string(dir.join("app/notebook/models.py"))
            .unwrap()
            .contains("color")
    );
}

// Lost records: gen rebuilds what it can trust, refuses the rest with a way
// out, and never writes a revision beside or over one that exists.

const FIELD_AFTER: &str = "      archived: {type: bool, default: false}\n";

/// Adds a nullable string field `name` to the spec's Notebook.
fn add_field(dir: &Path, name: &str) {
    let spec = dir.join("gen.yaml");
    let before = std::fs::read_to_string(&spec).unwrap();
    assert!(before.contains(FIELD_AFTER));
    let field = format!("      {name}: {{type: string, max_length: 20, nullable: true}}\n");
    std::fs::write(
        &spec,
        before.replacen(FIELD_AFTER, &format!("{FIELD_AFTER}{field}"), 1),
    )
    .unwrap();
}

fn revisions(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("migrations/versions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py"))
        .collect();
    names.sort();
    names
}

/// A project evolved once: revisions 0001 and 0002.
fn evolved() -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir, _) = project();
    add_field(&dir, "color");
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        revisions(&dir),
        ["0001_initial.py", "0002_alter_notebooks.py"]
    );
    (tmp, dir)
}

/// Asserts that `args` stops with exit 1, saying how to recover, and
/// writes nothing.
fn assert_lost(dir: &Path, args: &[&str]) {
    let before = snapshot(dir);
    let out = in_project(dir, args);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
    assert!(all.contains("git checkout -- .gen"), "{all}");
    assert!(all.contains("--rebuild-state"), "{all}");
    assert_eq!(snapshot(dir), before, "{args:?} wrote");
}

#[test]
fn a_lost_schema_and_a_changed_spec_are_refused_not_guessed() {
    let (_tmp, dir, _) = project();
    let initial = std::fs::read(dir.join("migrations/versions/0001_initial.py")).unwrap();
    std::fs::remove_file(dir.join(".gen/schema.json")).unwrap();
    add_field(&dir, "color");
    assert_lost(&dir, &["check"]);
    assert_lost(&dir, &["generate"]);
    assert_lost(&dir, &["generate", "--force"]);
    assert_eq!(revisions(&dir), ["0001_initial.py"]);
    assert_eq!(
        std::fs::read(dir.join("migrations/versions/0001_initial.py")).unwrap(),
        initial
    );
}

#[test]
fn a_lost_schema_is_rebuilt_when_the_spec_is_unchanged() {
    let (_tmp, dir) = evolved();
    let schema = std::fs::read(dir.join(".gen/schema.json")).unwrap();
    std::fs::remove_file(dir.join(".gen/schema.json")).unwrap();
    let check = in_project(&dir, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("written again"), "{}", text(&out));
    assert_eq!(std::fs::read(dir.join(".gen/schema.json")).unwrap(), schema);
    // The next change is the next revision.
    add_field(&dir, "shade");
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        revisions(&dir),
        [
            "0001_initial.py",
            "0002_alter_notebooks.py",
            "0003_alter_notebooks.py"
        ]
    );
}

#[test]
fn a_deleted_gen_folder_is_rebuilt_without_conflicts() {
    let (_tmp, dir) = evolved();
    let records = snapshot(&dir.join(".gen"));
    std::fs::remove_dir_all(dir.join(".gen")).unwrap();
    let check = in_project(&dir, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("CONFLICT"), "{}", text(&out));
    assert_eq!(snapshot(&dir.join(".gen")), records);
    let again = in_project(&dir, &["generate"]);
    assert!(
        text(&again).contains("nothing to write"),
        "{}",
        text(&again)
    );
    // And the next change merges as usual.
    add_field(&dir, "shade");
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("CONFLICT"), "{}", text(&out));
    assert!(revisions(&dir).contains(&"0003_alter_notebooks.py".to_owned()));
}

#[test]
fn a_deleted_gen_folder_and_a_changed_spec_recover_through_the_old_spec() {
    let (_tmp, dir) = evolved();
    std::fs::remove_dir_all(dir.join(".gen")).unwrap();
    let old_spec = std::fs::read(dir.join("gen.yaml")).unwrap();
    add_field(&dir, "shade");
    let new_spec = std::fs::read(dir.join("gen.yaml")).unwrap();
    assert_lost(&dir, &["generate"]);
    // The recovery the message gives: the old spec, generate, the new spec.
    std::fs::write(dir.join("gen.yaml"), old_spec).unwrap();
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    std::fs::write(dir.join("gen.yaml"), new_spec).unwrap();
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(revisions(&dir).last().unwrap(), "0003_alter_notebooks.py");
}

#[test]
fn rebuild_state_takes_the_spec_as_the_head_revisions() {
    let (_tmp, dir) = evolved();
    let schema = std::fs::read(dir.join(".gen/schema.json")).unwrap();
    // A hand edit: the files no longer show which spec made them.
    let models = dir.join("app/notebook/models.py");
    let edited = format!("{}# mine\n", std::fs::read_to_string(&models).unwrap());
    std::fs::write(&models, &edited).unwrap();
    std::fs::remove_dir_all(dir.join(".gen")).unwrap();
    assert_lost(&dir, &["generate"]);
    let out = in_project(&dir, &["generate", "--rebuild-state"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read(dir.join(".gen/schema.json")).unwrap(), schema);
    assert_eq!(std::fs::read_to_string(&models).unwrap(), edited);
    assert_eq!(revisions(&dir).len(), 2);
    let twice = in_project(&dir, &["generate", "--rebuild-state"]);
    assert_eq!(twice.status.code(), Some(2), "{}", text(&twice));
}

#[test]
fn a_stale_schema_never_writes_beside_an_existing_revision() {
    let (_tmp, dir, _) = project();
    let v1 = std::fs::read(dir.join(".gen/schema.json")).unwrap();
    add_field(&dir, "color");
    assert!(in_project(&dir, &["generate"]).status.success());
    std::fs::write(dir.join(".gen/schema.json"), v1).unwrap();
    add_field(&dir, "shade");
    let before = snapshot(&dir);
    let out = in_project(&dir, &["generate"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("0002_alter_notebooks.py exists"),
        "{}",
        text(&out)
    );
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn new_with_force_never_starts_the_migrations_over() {
    let (_tmp, dir) = evolved();
    let before = snapshot(&dir);
    let out = gen_cmd(&[
        "new",
        dir.to_str().unwrap(),
        "--spec",
        "tests/specs/evolution/v1.yaml",
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("gen generate --project"),
        "{}",
        text(&out)
    );
    assert_eq!(snapshot(&dir), before);
    // Over a project with only its initial revision, unchanged: allowed.
    let (_tmp, fresh, _) = project();
    let out = gen_cmd(&[
        "new",
        fresh.to_str().unwrap(),
        "--spec",
        "tests/specs/evolution/v1.yaml",
        "--force",
    ]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn lost_base_copies_of_unchanged_output_keep_hand_edits_without_conflicts() {
    let (_tmp, dir) = evolved();
    let models = dir.join("app/notebook/models.py");
    let edited = format!("{}# mine\n", std::fs::read_to_string(&models).unwrap());
    std::fs::write(&models, &edited).unwrap();
    let base = snapshot(&dir.join(".gen/base"));
    std::fs::remove_dir_all(dir.join(".gen/base")).unwrap();
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("CONFLICT"), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&models).unwrap(), edited);
    assert_eq!(snapshot(&dir.join(".gen/base")), base);
}

#[test]
fn a_recorded_revision_gen_never_writes_is_refused_without_a_panic() {
    let (_tmp, dir, _) = project();
    add_field(&dir, "color");
    let path = dir.join(".gen/schema.json");
    let recorded = std::fs::read_to_string(&path).unwrap();
    for revision in ["4294967295", "0"] {
        std::fs::write(
            &path,
            recorded.replacen("\"revision\": 1,", &format!("\"revision\": {revision},"), 1),
        )
        .unwrap();
        let before = snapshot(&dir);
        let out = in_project(&dir, &["generate"]);
        assert!(!text(&out).contains("panicked"), "{}", text(&out));
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(
            text(&out).contains("which gen never writes"),
            "{}",
            text(&out)
        );
        assert_eq!(snapshot(&dir), before);
    }
}
