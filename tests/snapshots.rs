//! Whole generated trees of the examples, as reviewable snapshots, and the
//! promise that the same spec always gives the same bytes.

use r#gen::app::plan_from_file;

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
            let listing: Vec<&str> = plan.keys().map(String::as_str).collect();
            insta::assert_snapshot!("_files", listing.join("\n"));
            for (file, content) in &plan {
                insta::assert_snapshot!(file.replace('/', "__"), content);
            }
        });
    }
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
fn every_python_file_has_a_module_docstring_and_no_todo() {
    for (name, path) in examples() {
        for (file, content) in plan_from_file(&path).unwrap() {
            if file.ends_with(".py") && !file.ends_with("__init__.py") || file.ends_with("__init__.py") && !content.is_empty() {
                assert!(content.starts_with("\"\"\""), "{name}/{file} has no module docstring");
            }
            let marker = regex::Regex::new(r"\b(TODO|FIXME|XXX)\b").unwrap();
            assert!(!marker.is_match(&content), "{name}/{file} has a TODO marker");
            assert!(!content.lines().any(|l| l.trim() == "pass"), "{name}/{file} has a `pass` body");
        }
    }
}
