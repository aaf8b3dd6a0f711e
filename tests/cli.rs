//! The command line.

use crate::common::{gen_cmd, tree};

#[test]
fn help_has_examples_for_every_command() {
    for args in [&["--help"][..], &["new", "--help"], &["validate", "--help"]] {
        let out = gen_cmd(args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Examples:"), "{args:?}: {text}");
    }
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(gen_cmd(&["new"]).status.code(), Some(2));
    assert_eq!(gen_cmd(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(gen_cmd(&["validate"]).status.code(), Some(2));
}

#[test]
fn validate_accepts_the_examples() {
    for (name, path) in crate::common::examples() {
        let out = gen_cmd(&["validate", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("valid"));
    }
}

#[test]
fn validate_accepts_the_good_specs() {
    let dir = crate::common::root().join("tests/specs/good");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let out = gen_cmd(&["validate", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        count += 1;
    }
    assert!(count >= 4, "only {count} good specs");
}

#[test]
fn long_constraint_names_are_shortened_not_refused() {
    let spec = crate::common::root().join("tests/specs/good/long_identifiers.yaml");
    let plan = r#gen::app::plan_from_file(&spec).unwrap();
    let migration = &plan["migrations/versions/0001_initial.py"].content;
    // 77 bytes in full; its first 54, `_` and 8 hex digits of its SHA-256.
    assert!(
        migration.contains("\"fk_warehouse_outbound_parcels_delivery_address_id_cust_c6b6d502\""),
        "{migration}"
    );
    let name = regex::Regex::new(r#"op\.f\(\s*"([^"]+)"\s*\)"#).unwrap();
    let names: Vec<&str> = name
        .captures_iter(migration)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert!(names.len() >= 8, "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 63), "{names:?}");
    // The project applies the same rule to the names SQLAlchemy derives.
    let database = &plan["app/database/base.py"].content;
    assert!(database.contains("def fit_name(name: str) -> str:"));
    assert!(database.contains("\"fk\": \"%(fk_name)s\","));
}

#[test]
fn missing_spec_file_exits_1() {
    let out = gen_cmd(&["validate", "does/not/exist.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does/not/exist.yaml"));
}

#[test]
fn new_copies_the_spec_and_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("todo");
    let dir_s = dir.to_str().unwrap();
    let out = gen_cmd(&["new", dir_s, "--spec", "examples/todo.yaml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spec = std::fs::read_to_string(crate::common::root().join("examples/todo.yaml")).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("gen.yaml")).unwrap(), spec);
    assert!(dir.join("app/todo/router.py").exists());

    std::fs::write(dir.join("app/todo/router.py"), "# edited\n").unwrap();
    let again = gen_cmd(&["new", dir_s, "--spec", "examples/todo.yaml"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.join("app/todo/router.py")).unwrap(),
        "# edited\n"
    );

    let forced = gen_cmd(&["new", dir_s, "--spec", "examples/todo.yaml", "--force"]);
    assert!(forced.status.success());
    assert_ne!(
        std::fs::read_to_string(dir.join("app/todo/router.py")).unwrap(),
        "# edited\n"
    );
}

#[test]
fn new_without_a_spec_writes_a_valid_starter() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-service");
    let out = gen_cmd(&["new", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spec = std::fs::read_to_string(dir.join("gen.yaml")).unwrap();
    assert!(spec.contains("name: my-service"));
    assert!(
        spec.matches(" # ").count() + spec.matches("\n#").count() >= 5,
        "starter is commented"
    );
    let check = gen_cmd(&["validate", dir.join("gen.yaml").to_str().unwrap()]);
    assert!(check.status.success());
    assert!(tree(&dir).contains(&"app/note/router.py".to_owned()));
}

#[test]
fn a_bad_spec_writes_nothing_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let out = gen_cmd(&[
        "new",
        dir.to_str().unwrap(),
        "--spec",
        "tests/specs/bad/unknown_type.yaml",
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.exists());
}

#[test]
fn the_json_schema_is_committed_and_accepts_the_examples() {
    let out = gen_cmd(&["schema"]);
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let committed =
        std::fs::read_to_string(crate::common::root().join("docs/spec.schema.json")).unwrap();
    assert_eq!(
        printed, committed,
        "docs/spec.schema.json is stale: run `gen schema > docs/spec.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&printed).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let as_json = |path: &std::path::Path| -> serde_json::Value {
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        serde_json::to_value(yaml).unwrap()
    };
    let mut specs: Vec<std::path::PathBuf> = crate::common::examples()
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    for dir in ["tests/specs/good", "tests/specs/evolution"] {
        specs.extend(
            std::fs::read_dir(crate::common::root().join(dir))
                .unwrap()
                .map(|e| e.unwrap().path()),
        );
    }
    for path in &specs {
        let errors: Vec<String> = validator
            .iter_errors(&as_json(path))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    for bad in [
        "unknown_top_key",
        "unknown_field_key",
        "unknown_type",
        "wrong_value_type",
        "unknown_relation_kind",
        "composite_single_name",
    ] {
        let path = crate::common::root().join(format!("tests/specs/bad/{bad}.yaml"));
        assert!(
            !validator.is_valid(&as_json(&path)),
            "{bad} passes the schema"
        );
    }
}

#[test]
fn the_rust_code_is_formatted() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = std::process::Command::new(cargo)
        .args(["fmt", "--check"])
        .current_dir(crate::common::root())
        .output()
        .expect("run cargo fmt");
    assert!(
        out.status.success(),
        "cargo fmt --check:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
