//! Every list's sort keys have an index with `id` after them, in the
//! recorded schema (what migrations are made from) and on the model (what
//! `alembic check` compares them with): a first page in any order, or a
//! keyset page anywhere, then reads about `limit` index entries however
//! large the table grows. One ascending `(key, id)` index serves both
//! directions (a B-tree is scanned backwards for `-key`).

use crate::common::{gen_cmd, good_specs, text};
use serde_json::Value;
use std::path::Path;

/// The quoted strings of the class attribute `    name = (...)` in Python
/// `source` (the list query's `sort_keys`).
fn tuple(source: &str, name: &str) -> Option<Vec<String>> {
    let start = source.find(&format!("\n    {name} = ("))? + name.len() + 9;
    let body = &source[start..start + source[start..].find(')')?];
    Some(
        body.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect(),
    )
}

/// `__tablename__` of a model module.
fn table_name(models: &str) -> String {
    let line = models
        .lines()
        .find(|l| l.trim_start().starts_with("__tablename__ = "))
        .expect("a model");
    line.split('"').nth(1).unwrap().to_owned()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// The problems of one generated project: sort keys without an index;
/// and how many lists it checked.
fn missing_indexes(dir: &Path) -> (Vec<String>, usize) {
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(".gen/schema.json")).unwrap())
            .unwrap();
    let tables = recorded["schema"]["tables"].as_array().unwrap();
    let mut problems = Vec::new();
    let mut lists = 0;
    for entry in std::fs::read_dir(dir.join("app")).unwrap() {
        let package = entry.unwrap().path();
        let (Ok(schemas), Ok(models)) = (
            std::fs::read_to_string(package.join("schemas.py")),
            std::fs::read_to_string(package.join("models.py")),
        ) else {
            continue;
        };
        let Some(keys) = tuple(&schemas, "sort_keys") else {
            continue;
        };
        lists += 1;
        let name = table_name(&models);
        let table = tables.iter().find(|t| t["name"] == name.as_str()).unwrap();
        let composites: Vec<Vec<String>> = table["composite_indexes"]
            .as_array()
            .map(|a| a.iter().map(strings).collect())
            .unwrap_or_default();
        let uniques = strings(&table["uniques"]);
        let flat: String = models.split_whitespace().collect();
        for key in keys.iter().filter(|k| *k != "id") {
            // A unique column orders rows alone: its unique index serves.
            if uniques.contains(key) {
                continue;
            }
            let group = vec![key.clone(), "id".to_owned()];
            if !composites.contains(&group) {
                problems.push(format!(
                    "{name}: sort key `{key}` has no index ({key}, id) in the schema"
                ));
            }
            if !flat.contains(&format!("Index(None,\"{key}\",\"id\")")) {
                problems.push(format!(
                    "{name}: sort key `{key}` has no Index(None, \"{key}\", \"id\") on the model"
                ));
            }
        }
    }
    (problems, lists)
}

#[test]
fn every_sort_key_has_an_index_with_the_id_tie_breaker() {
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut lists = 0;
    for (i, spec) in good_specs().iter().enumerate() {
        let dir = tmp.path().join(format!("p{i}"));
        let out = gen_cmd(&[
            "new",
            dir.to_str().unwrap(),
            "--spec",
            spec.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}: {}", spec.display(), text(&out));
        let (found, checked) = missing_indexes(&dir);
        lists += checked;
        for p in found {
            problems.push(format!("{}: {p}", spec.display()));
        }
    }
    // `sort_keys` moved or renamed would make this test pass without looking.
    assert!(lists > 10, "only {lists} lists found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_sorted_field_has_no_single_column_index_of_its_own() {
    // The blog sorts posts by views, title and price and filters by views
    // and title: `(views, id)` serves those filters, so `ix_posts_views`
    // would only slow writes down.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("blog");
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", "examples/blog.yaml"]);
    assert!(out.status.success(), "{}", text(&out));
    let migration =
        std::fs::read_to_string(dir.join("migrations/versions/0001_initial.py")).unwrap();
    for key in ["views", "title", "price"] {
        assert!(!migration.contains(&format!("\"ix_posts_{key}\"")), "{key}");
        assert!(
            migration.contains(&format!("\"ix_posts_{key}_id\"")),
            "{key}"
        );
    }
    // A filter that is not a sort key keeps its own index.
    assert!(migration.contains("\"ix_posts_status\""));
}
