//! Living projects without Python: `gen resource`, `gen generate`,
//! `gen check` and `--dry-run` on a real tree, hand edits, conflicts and
//! refusals. The database side is proven in `e2e::evolution`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{gen_cmd, in_project, notebook as project, root, text, tree};

/// Every file under `dir` with its content.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(dir.join(&p)).unwrap()))
        .collect()
}

fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let file = dir.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{path} has no `{from}`");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_new_project_is_in_sync_and_a_second_generate_writes_nothing() {
    let (_tmp, dir) = project();
    let check = in_project(&dir, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let before = contents(&dir);
    let again = in_project(&dir, &["generate"]);
    assert!(again.status.success());
    assert!(text(&again).contains("up to date"), "{}", text(&again));
    assert_eq!(contents(&dir), before);
}

#[test]
fn resource_inserts_a_block_and_keeps_every_other_byte_of_the_spec() {
    let (_tmp, dir) = project();
    let original = std::fs::read_to_string(dir.join("gen.yaml")).unwrap();
    let out = in_project(
        &dir,
        &[
            "resource",
            "Note",
            "body:text",
            "rating:int:nullable",
            "notebook:many_to_one:Notebook",
            "--owned",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let spec = std::fs::read_to_string(dir.join("gen.yaml")).unwrap();
    let block = "  Note:\n    owned: true\n    fields:\n      body: text\n      rating: {type: int, nullable: true}\n    relations:\n      notebook: {kind: many_to_one, to: Notebook}\n";
    // Right after the last line of `resources:`, before the blank line and
    // the comment that belong to the next key.
    let at = original.find("\n\n# Roles stay the defaults.").unwrap() + 1;
    assert_eq!(
        spec,
        format!("{}{block}{}", &original[..at], &original[at..])
    );
    assert!(dir.join("app/note/router.py").exists());
    assert!(dir.join("migrations/versions/0002_add_notes.py").exists());
    assert_eq!(in_project(&dir, &["check"]).status.code(), Some(0));
}

#[test]
fn resource_takes_the_new_types_and_quotes_arrays_in_flow_mappings() {
    let (_tmp, dir) = project();
    let out = in_project(
        &dir,
        &[
            "resource",
            "Gig",
            "tags:string[]",
            "scores:int[]:nullable",
            "starts:time:index",
            "site:url:unique",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let spec = std::fs::read_to_string(dir.join("gen.yaml")).unwrap();
    let fields = "      tags: string[]\n      scores: {type: \"int[]\", nullable: true}\n      starts: {type: time, index: true}\n      site: {type: url, unique: true}\n";
    assert!(spec.contains(fields), "{spec}");
    let revision =
        std::fs::read_to_string(dir.join("migrations/versions/0002_add_gigs.py")).unwrap();
    for expected in [
        "sa.Column(\n            \"tags\",\n            sa.ARRAY(sa.Text()).with_variant(sa.JSON(), \"sqlite\"),\n            nullable=False,",
        "sa.ARRAY(sa.Integer()).with_variant(sa.JSON(), \"sqlite\")",
        "sa.Column(\"starts\", sa.Time(), nullable=False)",
        "sa.Column(\"site\", sa.String(length=2048), nullable=False)",
        "sa.UniqueConstraint(\"site\", name=op.f(\"uq_gigs_site\"))",
        "op.create_index(op.f(\"ix_gigs_starts\"), \"gigs\", [\"starts\"], unique=False)",
    ] {
        assert!(revision.contains(expected), "{expected}\n{revision}");
    }
    assert_eq!(in_project(&dir, &["check"]).status.code(), Some(0));
}

#[test]
fn resource_refuses_a_taken_name_or_a_bad_field_and_writes_nothing() {
    let (_tmp, dir) = project();
    let before = contents(&dir);
    for args in [
        &["resource", "notebook", "title:string"][..],
        &["resource", "Note", "body"],
        &["resource", "Note", "body:txt"],
        &["resource", "Note", "body:text:sometimes"],
    ] {
        let out = in_project(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert_eq!(contents(&dir), before, "{args:?} wrote files");
    }
    assert!(text(&in_project(&dir, &["resource", "Notebook"])).contains("already exists"));
}

#[test]
fn dry_runs_write_nothing_and_show_diffs() {
    let (_tmp, dir) = project();
    let before = contents(&dir);
    let out = in_project(
        &dir,
        &["resource", "Tag", "name:string:unique", "--dry-run"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("create app/tag/router.py"), "{shown}");
    assert!(shown.contains("+++ b/gen.yaml"), "{shown}");
    assert!(shown.contains("dry run: nothing was written"));
    assert!(shown.contains("unchanged"), "{shown}");
    assert_eq!(contents(&dir), before);

    let out = in_project(
        &dir,
        &[
            "resource",
            "Like",
            "--belongs-to",
            "Notebook",
            "--belongs-to",
            "User",
            "--dry-run",
        ],
    );
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("+      notebook: {kind: many_to_one, to: Notebook, on_delete: cascade}"),
        "{shown}"
    );
    assert!(
        shown.contains("+      user: {kind: many_to_one, to: User, on_delete: cascade}"),
        "{shown}"
    );
    assert_eq!(contents(&dir), before);

    edit(
        &dir,
        "gen.yaml",
        "      archived: {type: bool, default: false}\n",
        "      archived: {type: bool, default: false}\n      color: {type: string, max_length: 20, nullable: true}\n",
    );
    let before = contents(&dir);
    let out = in_project(&dir, &["generate", "--dry-run"]);
    assert!(out.status.success());
    assert!(
        text(&out).contains("0002_alter_notebooks.py"),
        "{}",
        text(&out)
    );
    assert_eq!(contents(&dir), before);

    let tmp = tempfile::tempdir().unwrap();
    let fresh = tmp.path().join("fresh");
    let out = gen_cmd(&[
        "new",
        fresh.to_str().unwrap(),
        "--spec",
        "examples/todo.yaml",
        "--dry-run",
    ]);
    assert!(out.status.success());
    assert!(text(&out).contains("app/todo/models.py"));
    assert!(!fresh.exists());
}

#[test]
fn check_fails_with_a_readable_diff_after_the_spec_changes() {
    let (_tmp, dir) = project();
    edit(
        &dir,
        "gen.yaml",
        "      title: {type: string, max_length: 100}",
        "      title: {type: string, max_length: 150}",
    );
    let out = in_project(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out);
    assert!(shown.contains("--- a/app/notebook/models.py"), "{shown}");
    assert!(
        shown.contains("-    title: Mapped[str] = mapped_column(String(100))"),
        "{shown}"
    );
    assert!(
        shown.contains("+    title: Mapped[str] = mapped_column(String(150))"),
        "{shown}"
    );
    assert!(shown.contains("missing, migration pending"), "{shown}");
    let generate = in_project(&dir, &["generate"]);
    assert!(generate.status.success(), "{}", text(&generate));
    assert_eq!(in_project(&dir, &["check"]).status.code(), Some(0));
}

#[test]
fn hand_edits_survive_regeneration() {
    let (_tmp, dir) = project();
    let mine = "\n\ndef describe(notebook: Notebook) -> str:\n    \"\"\"My own helper.\"\"\"\n    return notebook.title\n";
    let models = dir.join("app/notebook/models.py");
    let edited = format!("{}{mine}", std::fs::read_to_string(&models).unwrap());
    std::fs::write(&models, &edited).unwrap();
    edit(
        &dir,
        "app/notebook/hooks.py",
        "hooks = NotebookHooks()\n",
        "hooks = NotebookHooks()  # mine\n",
    );
    assert_eq!(
        in_project(&dir, &["check"]).status.code(),
        Some(0),
        "edits alone are not drift"
    );

    edit(
        &dir,
        "gen.yaml",
        "      pages: {type: int, nullable: true}",
        "      pages: {type: int, nullable: true}\n      color: {type: string, max_length: 20, nullable: true}",
    );
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("merge"), "{}", text(&out));
    let merged = std::fs::read_to_string(&models).unwrap();
    assert!(merged.contains(mine), "hand edit lost:\n{merged}");
    assert!(merged.contains("color: Mapped[str | None]"), "{merged}");
    assert!(
        std::fs::read_to_string(dir.join("app/notebook/hooks.py"))
            .unwrap()
            .contains("# mine")
    );
    assert_eq!(in_project(&dir, &["check"]).status.code(), Some(0));
}

#[test]
fn conflicting_edits_get_markers_and_a_non_zero_exit_and_force_overwrites() {
    let (_tmp, dir) = project();
    edit(
        &dir,
        "app/notebook/models.py",
        "mapped_column(String(100))",
        "mapped_column(String(100), comment=\"mine\")",
    );
    edit(&dir, "gen.yaml", "max_length: 100}", "max_length: 120}");
    let out = in_project(&dir, &["generate"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("conflict: app/notebook/models.py: line"),
        "{}",
        text(&out)
    );
    let models = std::fs::read_to_string(dir.join("app/notebook/models.py")).unwrap();
    assert!(
        models.contains("<<<<<<<") && models.contains(">>>>>>>"),
        "{models}"
    );

    let forced = in_project(&dir, &["generate", "--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    assert!(text(&forced).contains("overwrite"), "{}", text(&forced));
    let models = std::fs::read_to_string(dir.join("app/notebook/models.py")).unwrap();
    assert!(!models.contains("<<<<<<<") && models.contains("String(120)"));
}

#[test]
fn a_spec_the_parser_rejects_leaves_the_tree_untouched() {
    let (_tmp, dir) = project();
    edit(
        &dir,
        "gen.yaml",
        "      pages: {type: int, nullable: true}",
        "      pages: {type: int, nullable: true",
    );
    let before = contents(&dir);
    let out = in_project(&dir, &["generate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("gen.yaml:"), "{}", text(&out));
    assert_eq!(contents(&dir), before);
    assert_eq!(in_project(&dir, &["check"]).status.code(), Some(2));
}

#[test]
fn destructive_migrations_need_allow_destructive() {
    let (_tmp, dir) = project();
    edit(
        &dir,
        "gen.yaml",
        "      archived: {type: bool, default: false}\n",
        "",
    );
    let before = contents(&dir);
    let out = in_project(&dir, &["generate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("drop column `notebooks.archived`"),
        "{}",
        text(&out)
    );
    assert_eq!(contents(&dir), before);
    let allowed = in_project(&dir, &["generate", "--allow-destructive"]);
    assert!(allowed.status.success(), "{}", text(&allowed));
    let revision =
        std::fs::read_to_string(dir.join("migrations/versions/0002_alter_notebooks.py")).unwrap();
    assert!(
        revision.contains("batch_op.drop_column(\"archived\")"),
        "{revision}"
    );
    assert!(
        revision.contains("server_default=sa.text(\"false\")"),
        "{revision}"
    );
}

#[test]
fn gen_outside_a_project_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = gen_cmd(&["generate", "--project", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("holds no gen.yaml"));
    let _ = root();
}

#[test]
fn a_write_that_fails_part_way_leaves_the_previous_tree() {
    let (_tmp, dir) = project();
    // A file where the new resource's package must go makes its writes fail.
    std::fs::write(dir.join("app/tag"), "in the way\n").unwrap();
    let before = contents(&dir);
    let out = in_project(&dir, &["resource", "Tag", "name:string"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(contents(&dir), before, "a failed write changed the tree");
}

#[test]
fn the_generated_ci_workflow_is_valid_yaml_that_runs_gen_check() {
    let (_tmp, dir) = project();
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/ci.yml")).unwrap();
    let parsed: serde_yaml::Value = serde_yaml::from_str(&workflow).unwrap();
    let runs = |job: &str| -> Vec<String> {
        let steps = parsed["jobs"][job]["steps"].as_sequence().unwrap();
        steps
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_owned))
            .collect()
    };
    let floor = format!(
        "--cov=app --cov-report=term-missing --cov-fail-under={}",
        r#gen::tooling::COVERAGE_FLOOR
    );
    for (job, needed) in [
        ("test", "uv sync --locked"),
        (
            "test",
            "uv run ruff format --check . && uv run ruff check .",
        ),
        ("test", "uv run mypy --strict app"),
        ("test", floor.as_str()),
        (
            "test",
            "uv run alembic upgrade head && uv run alembic check",
        ),
        ("drift", "::notice"),
        ("drift", "cargo install --locked --git"),
        ("drift", "gen check"),
    ] {
        assert!(
            runs(job).iter().any(|r| r.contains(needed)),
            "job {job} does not run `{needed}`"
        );
    }
    let pytest = runs("test").iter().filter(|r| r.contains("pytest")).count();
    assert_eq!(pytest, 2, "one pytest run on SQLite, one on PostgreSQL");
    let services = parsed["jobs"]["test"]["services"].as_mapping().unwrap();
    for service in ["postgres", "redis"] {
        let options = services[service]["options"].as_str().unwrap();
        assert!(
            options.contains("--health-cmd"),
            "{service} has no health check"
        );
    }
}

#[test]
fn renamed_from_renames_instead_of_dropping() {
    let (_tmp, dir) = project();
    edit(
        &dir,
        "gen.yaml",
        "  Notebook:\n",
        "  Journal:\n    renamed_from: Notebook\n",
    );
    edit(
        &dir,
        "gen.yaml",
        "      summary: {type: string, max_length: 200, nullable: true}",
        "      abstract: {type: string, max_length: 200, nullable: true, renamed_from: summary}",
    );
    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    let revision =
        std::fs::read_to_string(dir.join("migrations/versions/0002_rename_journals.py")).unwrap();
    assert!(
        revision.contains("op.rename_table(\"notebooks\", \"journals\")"),
        "{revision}"
    );
    assert!(
        revision.contains("new_column_name=\"abstract\""),
        "{revision}"
    );
    assert!(
        !revision.contains("drop_table") && !revision.contains("drop_column"),
        "{revision}"
    );
    assert!(
        !dir.join("app/notebook").exists(),
        "unedited files of the old name remain"
    );
    assert!(dir.join("app/journal/hooks.py").exists());
}

/// `project::unchanged` answers without rendering only when the full
/// comparison would find nothing to write, and steps aside on any change:
/// the spec, a generated file, its base copy, a record, a missing
/// extension point.
#[test]
fn the_nothing_changed_shortcut_agrees_with_the_full_comparison() {
    use r#gen::project::{Options, unchanged, update};
    let (_tmp, dir) = project();
    let spec = std::fs::read_to_string(dir.join("gen.yaml")).unwrap();
    let full = update(
        &dir,
        &r#gen::app::model_from_file(&dir.join("gen.yaml")).unwrap(),
        None,
        Options::default(),
    )
    .unwrap();
    assert!(full.changes.is_empty() && full.changeset.writes.is_empty());
    let fast = unchanged(&dir, &spec).unwrap().expect("nothing changed");
    assert!(fast.changes.is_empty() && fast.changeset.writes.is_empty());
    assert_eq!(fast.unchanged, full.unchanged);

    assert!(
        unchanged(&dir, &format!("{spec}\n# edited\n"))
            .unwrap()
            .is_none()
    );
    type Change = fn(&Path);
    let tampered: [(&str, Change); 4] = [
        ("app/main.py", |p| append(p, "# hand edit\n")),
        (".gen/base/app/main.py", |p| append(p, "# stale\n")),
        (".gen/schema.json", |p| append(p, " ")),
        ("app/notebook/hooks.py", |p| {
            std::fs::remove_file(p).unwrap()
        }),
    ];
    for (path, change) in tampered {
        let (_tmp, dir) = project();
        change(&dir.join(path));
        assert!(unchanged(&dir, &spec).unwrap().is_none(), "{path}");
    }
}

fn append(path: &Path, text: &str) {
    let mut content = std::fs::read_to_string(path).unwrap();
    content.push_str(text);
    std::fs::write(path, content).unwrap();
}

/// The lowercase hex SHA-256 of `text`, as `.gen/manifest.json` records it.
fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn unedited_extension_points_follow_the_template_and_edited_ones_stay() {
    let (_tmp, dir) = project();
    let hooks = dir.join("app/notebook/hooks.py");
    let routes = dir.join("app/notebook/routes.py");
    let current = std::fs::read_to_string(&hooks).unwrap();
    // As an older gen created it, never edited: the manifest holds its hash.
    let older = "\"\"\"Hooks as an older gen wrote them.\"\"\"\n";
    std::fs::write(&hooks, older).unwrap();
    // Edited by the user: its hash is not the one recorded.
    let mine = "\"\"\"My routes.\"\"\"\n";
    std::fs::write(&routes, mine).unwrap();
    let manifest_path = dir.join(".gen/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest["extensions"]["app/notebook/hooks.py"] = sha256(older).into();
    // Written by another build of gen: no nothing-changed shortcut.
    manifest["spec"] = "".into();
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();

    let out = in_project(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&hooks).unwrap(), current);
    assert_eq!(std::fs::read_to_string(&routes).unwrap(), mine);
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    assert_eq!(
        after["extensions"]["app/notebook/hooks.py"],
        sha256(&current)
    );
    // Recorded as it is now: an edit from here on is the user's again.
    assert_eq!(in_project(&dir, &["check"]).status.code(), Some(0));
}
