//! The command line.

use crate::common::{gen_cmd, gen_with_env, in_project, notebook, text, tree};

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

/// Issue 14's proof: schemathesis runs against every example and every
/// good spec, so each has its `fuzz_project` call in `tests/e2e.rs`.
#[test]
fn every_good_spec_is_fuzzed() {
    let e2e = std::fs::read_to_string(crate::common::root().join("tests/e2e.rs")).unwrap();
    for spec in crate::common::good_specs() {
        let relative = spec.strip_prefix(crate::common::root()).unwrap();
        let stem = spec.file_stem().unwrap().to_string_lossy();
        let call = format!("fuzz_project(\"{stem}\", \"{}\")", relative.display());
        assert!(e2e.contains(&call), "tests/e2e.rs has no {call}");
    }
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

/// The subcommands a completion script must offer.
const SUBCOMMANDS: [&str; 7] = [
    "new",
    "validate",
    "resource",
    "generate",
    "schema",
    "check",
    "completions",
];

#[test]
fn completions_name_every_subcommand_in_each_shell() {
    // How each script offers a subcommand.
    type Offer = fn(&str) -> String;
    let offers: [(&str, &str, Offer); 4] = [
        ("bash", "complete -F", |sub| format!("gen,{sub})")),
        ("zsh", "#compdef gen", |sub| format!("'{sub}:")),
        ("fish", "complete -c gen", |sub| format!("-f -a \"{sub}\"")),
        ("powershell", "Register-ArgumentCompleter", |sub| {
            format!("[CompletionResult]::new('{sub}', '{sub}'")
        }),
    ];
    for (shell, marker, offer) in offers {
        let out = gen_cmd(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out));
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for sub in SUBCOMMANDS {
            assert!(
                script.contains(&offer(sub)),
                "{shell}: `{sub}` is not offered"
            );
        }
        // Options and their values are offered too.
        assert!(script.contains("allow-destructive"), "{shell}: no option");
        assert!(script.contains("json"), "{shell}: no `--format json`");
    }
    assert_eq!(gen_cmd(&["completions", "tcsh"]).status.code(), Some(2));
}

/// Does `bytes` hold an ANSI escape sequence?
fn coloured(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| w == b"\x1b[")
}

#[test]
fn colour_is_on_with_always_and_off_with_never_no_color_or_a_pipe() {
    let bad = ["validate", "tests/specs/bad/unknown_type.yaml"];
    let with = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = bad.to_vec();
        args.extend(extra);
        let out = gen_with_env(&args, env);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        out
    };
    let always = with(&["--color", "always"], &[]);
    assert!(coloured(&always.stderr));
    let plain = with(&["--color", "never"], &[]);
    assert!(!coloured(&plain.stderr));
    // Stripped of its escapes, the coloured report is the plain one.
    let stripped = anstream::adapter::strip_bytes(&always.stderr).into_vec();
    assert_eq!(stripped, plain.stderr);
    // The output here is a pipe, not a terminal: no colour by default.
    assert!(!coloured(&with(&[], &[]).stderr));
    assert!(!coloured(&with(&["--color", "auto"], &[]).stderr));
    // NO_COLOR turns `auto` off even where colour would be forced...
    assert!(!coloured(
        &with(&[], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]).stderr
    ));
    assert!(coloured(&with(&[], &[("CLICOLOR_FORCE", "1")]).stderr));
    // ...and an explicit `--color always` overrides it (no-color.org).
    assert!(coloured(
        &with(&["--color", "always"], &[("NO_COLOR", "1")]).stderr
    ));
    // `--color` is global: it may come before the subcommand.
    let mut first = vec!["--color", "always"];
    first.extend(bad);
    assert!(coloured(&gen_with_env(&first, &[]).stderr));
}

#[test]
fn change_lists_and_diffs_are_coloured_on_request() {
    let (_tmp, dir) = notebook();
    let path = dir.join("gen.yaml");
    let spec = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, spec.replace("max_length: 100}", "max_length: 120}")).unwrap();
    let dry = in_project(&dir, &["generate", "--dry-run", "--color", "always"]);
    assert!(dry.status.success(), "{}", text(&dry));
    let shown = String::from_utf8(dry.stdout).unwrap();
    assert!(shown.contains("\x1b[33m    update\x1b[0m app/"), "{shown}");
    assert!(shown.contains("\x1b[32m+"), "{shown}");
    let check = in_project(&dir, &["check", "--color", "always"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(coloured(&check.stdout));
    let check = in_project(&dir, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(!coloured(&check.stdout));
}

#[test]
fn every_error_starts_with_error() {
    let (_tmp, dir) = notebook();
    let project = dir.to_str().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let mut cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["frobnicate"], 2),
        (vec!["validate"], 2),
        (vec!["validate", "tests/specs/bad/unknown_type.yaml"], 2),
        (vec!["validate", "does/not/exist.yaml"], 1),
        (vec!["new", project, "--spec", "examples/todo.yaml"], 2),
        (
            vec!["check", "--project", empty.path().to_str().unwrap()],
            2,
        ),
        (vec!["resource", "Notebook", "--project", project], 2),
        (vec!["resource", "Tag", "name", "--project", project], 2),
        (
            vec!["resource", "Tag", "name:string:shiny", "--project", project],
            2,
        ),
    ];
    let check = |cases: &[(Vec<&str>, i32)]| {
        for (args, code) in cases {
            let out = gen_with_env(args, &[]);
            assert_eq!(out.status.code(), Some(*code), "{args:?}: {}", text(&out));
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert!(stderr.starts_with("error:"), "{args:?}:\n{stderr}");
            let coloured = gen_with_env(&[&["--color", "always"], &args[..]].concat(), &[]);
            let stripped = anstream::adapter::strip_bytes(&coloured.stderr).into_vec();
            assert!(stripped.starts_with(b"error:"), "{args:?} in colour");
        }
    };
    check(&cases);

    // A destructive migration refused, then conflict markers written.
    let spec = dir.join("gen.yaml");
    let v1 = std::fs::read_to_string(&spec).unwrap();
    let dropped = v1.replace("      archived: {type: bool, default: false}\n", "");
    assert_ne!(dropped, v1);
    std::fs::write(&spec, &dropped).unwrap();
    cases = vec![(vec!["generate", "--project", project], 1)];
    check(&cases);
    std::fs::write(&spec, v1.replace("max_length: 100}", "max_length: 120}")).unwrap();
    let models = dir.join("app/notebook/models.py");
    let code = std::fs::read_to_string(&models).unwrap();
    let edited = code.replacen(
        "mapped_column(String(100))",
        "mapped_column(String(100), comment=\"mine\")",
        1,
    );
    assert_ne!(edited, code);
    std::fs::write(&models, edited).unwrap();
    let out = in_project(&dir, &["generate"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: 1 file has conflict markers"),
        "{stderr}"
    );
    assert!(
        stderr.contains("conflict: app/notebook/models.py: line"),
        "{stderr}"
    );
}

/// Runs gen and parses its standard output as one JSON document.
fn json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = gen_with_env(args, &[]);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", text(&out)));
    assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out));
    (out.status.code(), doc)
}

#[test]
fn validate_as_json_gives_every_problem_with_its_position() {
    let (code, doc) = json(&[
        "validate",
        "tests/specs/bad/unknown_type.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(2));
    // The document as printed, keys in their documented order.
    let printed = gen_cmd(&[
        "validate",
        "tests/specs/bad/unknown_type.yaml",
        "--format",
        "json",
    ]);
    insta::assert_snapshot!(String::from_utf8(printed.stdout).unwrap());
    assert_eq!(doc["valid"], false);
    let first = &doc["diagnostics"][0];
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(7), Some(21))
    );
    assert_eq!(first["path"], "resources.Post.fields.title.type");
    assert_eq!(first["severity"], "error");
    assert!(first["help"].as_str().unwrap().contains("`string`"));

    let (code, doc) = json(&["validate", "examples/todo.yaml", "--format", "json"]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["valid"], true);
    assert!(doc["resources"].as_u64().unwrap() >= 1);
    assert_eq!(doc["diagnostics"], serde_json::json!([]));

    let (code, doc) = json(&["validate", "does/not/exist.yaml", "--format", "json"]);
    assert_eq!(code, Some(1));
    assert_eq!(doc["diagnostics"][0]["file"], "does/not/exist.yaml");
    assert!(doc["diagnostics"][0]["line"].is_null());

    // Text stays the default.
    let out = gen_cmd(&["validate", "examples/todo.yaml", "--format", "text"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("valid"));
}

#[test]
fn check_as_json_lists_the_files_that_drifted() {
    let (_tmp, dir) = notebook();
    let project = dir.to_str().unwrap();
    let args = ["check", "--format", "json", "--project", project];
    let (code, doc) = json(&args);
    assert_eq!(code, Some(0));
    assert_eq!(doc["in_sync"], true);
    assert_eq!(doc["files"], serde_json::json!([]));

    std::fs::remove_file(dir.join("app/notebook/router.py")).unwrap();
    let spec = dir.join("gen.yaml");
    let v1 = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, v1.replace("max_length: 100}", "max_length: 120}")).unwrap();
    let (code, doc) = json(&args);
    assert_eq!(code, Some(1));
    assert_eq!(doc["in_sync"], false);
    let files: Vec<(&str, &str)> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["action"].as_str().unwrap()))
        .collect();
    assert!(
        files.contains(&("app/notebook/router.py", "create")),
        "{files:?}"
    );
    assert!(
        files.contains(&("app/notebook/models.py", "update")),
        "{files:?}"
    );
    assert!(
        doc["migration"]
            .as_str()
            .unwrap()
            .starts_with("migrations/versions/0002")
    );
    assert!(
        doc["files"][0]["diff"]
            .as_str()
            .unwrap()
            .starts_with("--- ")
    );
    assert!(!coloured(doc.to_string().as_bytes()));
    // The documented shape (README, "JSON output for editors and CI").
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&doc),
        ["diagnostics", "files", "in_sync", "migration", "summary"]
    );
    assert_eq!(keys(&doc["files"][0]), ["action", "diff", "path"]);

    std::fs::write(&spec, v1.replace("max_length: 100}", "max_length: [")).unwrap();
    let (code, doc) = json(&args);
    assert_eq!(code, Some(2));
    assert!(doc["diagnostics"][0]["line"].as_u64().is_some(), "{doc}");
    assert_eq!(doc["files"], serde_json::json!([]));
}
