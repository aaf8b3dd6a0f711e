//! Streaming exports in constant memory: the todo example on PostgreSQL,
//! 100,000 rows seeded with COPY, served by one uvicorn process, exported
//! as CSV while `tests/e2e/export_memory.py` reads the worker's resident
//! memory from `/proc`. A bound on memory, not a timing.

use super::{postgres, python, run};
use crate::common::{gen_cmd, root};

/// The rows the export streams.
const ROWS: &str = "100000";

/// The export of 100,000 rows raises the worker's peak resident memory by
/// less than the script's bound over what it held after a small export,
/// and writes every row once; another user's rows stay out of a small
/// export. Needs PostgreSQL (skipped loudly without it, outside CI).
#[test]
fn memory() {
    let Some(server) = postgres() else { return };
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("todo");
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", "examples/todo.yaml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pg_script = root().join("tests/e2e/pg.py");
    let db = format!("gen_export_{}", std::process::id());
    let url = run(
        "create database",
        &dir,
        &python,
        &[pg_script.to_str().unwrap(), "create", &server, &db],
        &[],
    );
    let script = root().join("tests/e2e/export_memory.py");
    let result = std::panic::catch_unwind(|| {
        run(
            "export memory",
            &dir,
            &python,
            &[
                script.to_str().unwrap(),
                dir.to_str().unwrap(),
                url.trim(),
                ROWS,
            ],
            &[],
        )
    });
    run(
        "drop database",
        &dir,
        &python,
        &[pg_script.to_str().unwrap(), "drop", &server, &db],
        &[],
    );
    match result {
        Ok(out) => println!("{out}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
