//! The generated README's "who may call what" says what the code enforces:
//! for the clinic and the blog, each resource's rows say what the
//! `Rule(...)`s of its `access = Access(...)` (`dependencies.py`) allow, and
//! the fields only some roles see are those of its `FIELD_READERS`, read
//! back from the generated files. (The e2e clients test checks the OpenAPI
//! document's `security` against the same rows.)

use std::path::Path;

use crate::common::gen_cmd;

/// The README's words for the keyword arguments of a `Rule(...)`.
fn who(args: &str) -> String {
    if args.contains("anyone=True") {
        return "anyone".into();
    }
    if args.contains("authenticated=True") {
        return "signed-in users".into();
    }
    let mut who = Vec::new();
    if args.contains("owner=True") {
        who.push("the owner".to_owned());
    }
    if let Some(roles) = args.split("frozenset({").nth(1) {
        let roles = roles.split("})").next().unwrap();
        let mut roles: Vec<&str> = roles.split(", ").map(|r| r.trim_matches('"')).collect();
        roles.sort_unstable();
        who.extend(roles.iter().map(|r| format!("`{r}`")));
    }
    who.push("admins".into());
    who.join(", ")
}

/// The "Who" cell of the README row of `method` whose path ends as
/// `suffix` does, without "(becomes the owner)".
fn row_who<'a>(readme: &'a str, method: &str, suffix: &str) -> &'a str {
    let head = format!("| {method} | `");
    let row = readme
        .lines()
        .find(|l| l.starts_with(&head) && l.contains(suffix))
        .unwrap_or_else(|| panic!("no README row for {method} ...{suffix}"));
    let cell = row.trim_end_matches(" |").rsplit(" | ").next().unwrap();
    cell.trim_end_matches(" (becomes the owner)")
}

/// Checks every resource package of the project in `dir`.
fn check(dir: &Path) {
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("app")).unwrap() {
        let package = entry.unwrap().path();
        let Ok(deps) = std::fs::read_to_string(package.join("dependencies.py")) else {
            continue;
        };
        if !deps.contains("access = Access(") {
            continue;
        }
        let router = std::fs::read_to_string(package.join("router.py")).unwrap();
        let prefix = router
            .split("APIRouter(prefix=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap();
        for (action, method, suffix) in [
            ("read", "GET", format!("{prefix}`, `")),
            ("create", "POST", format!("{prefix}` |")),
            ("update", "PATCH", format!("{prefix}/{{id}}` |")),
            ("delete", "DELETE", format!("{prefix}/{{id}}` |")),
        ] {
            let head = format!("    {action}=Rule(");
            let line = deps.lines().find(|l| l.starts_with(&head)).unwrap();
            assert_eq!(
                row_who(&readme, method, &suffix),
                who(line),
                "{method} {prefix}: README vs {line}"
            );
            checked += 1;
        }
        let readers = deps
            .split("FIELD_READERS: dict[str, frozenset[str]] = {")
            .nth(1);
        for line in readers
            .map_or("", |r| r.split("\n}").next().unwrap())
            .lines()
        {
            let Some((field, roles)) = line.trim().split_once(": ") else {
                continue;
            };
            let said = format!("`{}` ({})", field.trim_matches('"'), who(roles));
            assert!(readme.contains(&said), "README does not say {said}");
            checked += 1;
        }
    }
    assert!(checked > 0, "no resource checked in {}", dir.display());
}

#[test]
fn readme_table_says_what_the_rules_enforce() {
    for spec in ["tests/specs/good/clinic.yaml", "examples/blog.yaml"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("project");
        let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", spec]);
        assert!(out.status.success(), "{spec}");
        check(&dir);
    }
}
