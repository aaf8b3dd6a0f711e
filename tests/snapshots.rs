//! Whole generated trees of the examples, as reviewable snapshots, and the
//! promise that the same spec always gives the same bytes.

use r#gen::app::plan_from_file;
use r#gen::render::{HEADER, Ownership, PlanFile};

use crate::common::examples;

#[test]
fn generated_trees_match_snapshots() {
    for (name, path) in examples() {
        let plan = plan_from_file(&path).unwrap();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("snapshots/{name}"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(&path);
        settings.bind(|| {
            let listing: Vec<&str> = plan
                .keys()
                .map(String::as_str)
                .filter(|p| !p.starts_with(".gen/base/"))
                .collect();
            insta::assert_snapshot!("_files", listing.join("\n"));
            // `.gen/base/` repeats the generated files byte for byte.
            for (file, planned) in plan.iter().filter(|(p, _)| !p.starts_with(".gen/base/")) {
                let spec = std::fs::read_to_string(&path).unwrap();
                let planned = PlanFile {
                    content: redacted(file, &planned.content, &spec),
                    ownership: planned.ownership,
                };
                insta::assert_snapshot!(file.replace('/', "__"), planned.content);
            }
        });
    }
}

/// The manifest's fingerprint changes with every build of gen (it hashes
/// gen's sources): its snapshot shows a placeholder, after checking that
/// it is the fingerprint of the project's spec `spec`.
fn redacted(file: &str, content: &str, spec: &str) -> String {
    if file == "uv.lock" {
        return lock_summary(content);
    }
    if file != ".gen/manifest.json" {
        return content.to_owned();
    }
    let manifest: r#gen::project::Manifest = serde_json::from_str(content).unwrap();
    assert_eq!(manifest.spec, r#gen::project::fingerprint(spec));
    content.replace(
        &manifest.spec,
        "[fingerprint of gen.yaml and this build of gen]",
    )
}

#[test]
fn generation_is_deterministic() {
    for (name, path) in examples() {
        let first = plan_from_file(&path).unwrap();
        let second = plan_from_file(&path).unwrap();
        assert_eq!(first, second, "{name}");
    }
}

#[test]
fn generated_python_has_the_header_a_docstring_and_no_todo() {
    let marker = regex::Regex::new(r"\b(TODO|FIXME|XXX)\b").unwrap();
    for (name, path) in examples() {
        for (file, planned) in plan_from_file(&path).unwrap() {
            let content = &planned.content;
            if planned.ownership == Ownership::Generated && file.ends_with(".py") {
                let mut lines = content.lines();
                assert_eq!(
                    lines.next(),
                    Some(format!("# {HEADER}").as_str()),
                    "{name}/{file} lacks the header"
                );
                let rest: Vec<&str> = lines.collect();
                if !file.ends_with("__init__.py") || !rest.is_empty() {
                    assert!(
                        rest.first().is_some_and(|l| l.starts_with("\"\"\"")),
                        "{name}/{file} has no module docstring"
                    );
                }
            }
            assert!(!marker.is_match(content), "{name}/{file} has a TODO marker");
            assert!(
                !content.lines().any(|l| l.trim() == "pass"),
                "{name}/{file} has a `pass` body"
            );
        }
    }
}

#[test]
fn base_copies_match_the_generated_files() {
    for (name, path) in examples() {
        let plan = plan_from_file(&path).unwrap();
        for (file, planned) in plan
            .iter()
            .filter(|(_, f)| f.ownership == Ownership::Generated)
        {
            let base = &plan[&format!(".gen/base/{file}")];
            assert_eq!(base.content, planned.content, "{name}/{file}");
        }
    }
}

#[test]
fn security_md_names_only_tests_that_exist() {
    let name = regex::Regex::new(r"`(?:[\w/.]+::)?(test_\w+)(\*)?`").unwrap();
    for (example, path) in examples() {
        let plan = plan_from_file(&path).unwrap();
        let security = &plan["SECURITY.md"].content;
        let tests: String = plan
            .iter()
            .filter(|(p, _)| p.starts_with("tests/") && p.ends_with(".py"))
            .map(|(_, f)| f.content.as_str())
            .collect();
        let mut named = 0;
        for caps in name.captures_iter(security) {
            let test = &caps[1];
            let wanted = if caps.get(2).is_some() {
                format!("def {test}")
            } else {
                format!("def {test}(")
            };
            // Some tests exist only for some permission rules; the blog example has them all.
            if example == "blog"
                || !test.starts_with("test_the_default_role_may_not")
                    && !test.starts_with("test_fields_some_roles")
            {
                assert!(
                    tests.contains(&wanted),
                    "{example}: SECURITY.md names {test}, which no generated test defines"
                );
            }
            named += 1;
        }
        assert!(
            named >= 25,
            "{example}: SECURITY.md names only {named} tests"
        );
    }
}

/// `uv.lock` without the URLs and hashes of the packages gen's lock holds
/// for every project (`templates/lock/uv.lock`, checked by
/// `e2e::ship::lock`): its head, the project's own entry whole, and each
/// other package's name and version.
fn lock_summary(lock: &str) -> String {
    let mut parts = lock.split("\n[[package]]\n");
    let mut out = parts.next().unwrap_or_default().to_owned();
    for block in parts {
        if block.contains("\nsource = { editable = \".\" }\n") {
            out.push_str("\n[[package]]\n");
            out.push_str(block);
        } else {
            let mut lines = block.lines();
            let name = lines.next().unwrap_or_default();
            let version = lines.next().unwrap_or_default();
            out.push_str(&format!(
                "\n[[package]] {name}, {version} [rest as in gen's lock]\n"
            ));
        }
    }
    out
}
