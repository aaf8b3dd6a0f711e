//! End to end: generate each example, install its dependencies into a
//! virtualenv shared by the run (made with uv), and run the project's own
//! checks: `ruff format --check`, `ruff check`, `mypy --strict app`,
//! `alembic upgrade head` + `alembic check`, and `pytest`, on SQLite and on
//! PostgreSQL.
//!
//! PostgreSQL comes from `GEN_TEST_DATABASE_URL` (default: the local server,
//! `postgresql+asyncpg://postgres@127.0.0.1:5432/postgres`); every run makes
//! fresh databases and drops them. When the server cannot be reached the
//! PostgreSQL leg fails if `CI` is set and is skipped loudly otherwise.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use crate::common::{gen_cmd, root};

const DEFAULT_PG: &str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres";

/// Runs `program args` in `dir` with `env`; panics with its output on failure.
fn run(what: &str, dir: &Path, program: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(dir);
    for var in ["DATABASE_URL", "TEST_DATABASE_URL", "VIRTUAL_ENV", "PYTHONPATH"] {
        cmd.env_remove(var);
    }
    cmd.env("PYTHONDONTWRITEBYTECODE", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        let tail = |s: &str| s.lines().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
        panic!("{what} failed ({}) in {}\n--- stdout\n{}\n--- stderr\n{}", out.status, dir.display(), tail(&stdout), tail(&stderr));
    }
    stdout
}

/// The shared virtualenv's python, created and filled once per test run.
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(setup_venv).clone()
}

fn setup_venv() -> PathBuf {
    let base = root().join("target/e2e");
    std::fs::create_dir_all(&base).unwrap();
    let system_python = PathBuf::from(std::env::var("GEN_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned()));
    let has_uv = Command::new(&system_python).args(["-m", "uv", "--version"]).output().is_ok_and(|o| o.status.success());
    if !has_uv {
        run("install uv", &base, &system_python, &["-m", "pip", "install", "--quiet", "uv"], &[]);
    }
    let venv = base.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run("create venv", &base, &system_python, &["-m", "uv", "venv", "--quiet", "--python", "python3", venv.to_str().unwrap()], &[]);
    }
    // Install what a generated project declares, pinned by the constraints file.
    let project = tempfile::tempdir().unwrap();
    let dir = project.path().join("deps");
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", "examples/todo.yaml"]);
    assert!(out.status.success());
    let constraints = root().join("tests/e2e/constraints.txt");
    run(
        "install dependencies",
        &base,
        &system_python,
        &[
            "-m", "uv", "pip", "install", "--quiet", "--python", python.to_str().unwrap(),
            "-r", dir.join("pyproject.toml").to_str().unwrap(), "--extra", "dev",
            "-c", constraints.to_str().unwrap(),
        ],
        &[],
    );
    python
}

/// The PostgreSQL server URL, or None (after saying so loudly) when it is
/// unreachable outside CI. Panics when it is unreachable in CI.
fn postgres() -> Option<String> {
    let url = std::env::var("GEN_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG.to_owned());
    let authority = url.split("://").nth(1).unwrap_or("").split('/').next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host_port = if host_port.contains(':') { host_port.to_owned() } else { format!("{host_port}:5432") };
    let reachable = host_port
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(3)).is_ok());
    if reachable {
        return Some(url);
    }
    if std::env::var_os("CI").is_some() {
        panic!("PostgreSQL at {host_port} is unreachable and CI is set: start it (see README) or set GEN_TEST_DATABASE_URL");
    }
    eprintln!("\n!!!!!!!!\n!!! SKIPPING the PostgreSQL leg: nothing listens at {host_port} (GEN_TEST_DATABASE_URL).\n!!! Start PostgreSQL to run it; with CI set this is a failure.\n!!!!!!!!\n");
    None
}

/// Generates `spec` and runs every check of the generated project.
pub fn check_project(name: &str, spec: &str) {
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", spec]);
    assert!(out.status.success(), "gen new {spec}: {}", String::from_utf8_lossy(&out.stderr));
    let py = |what: &str, args: &[&str], env: &[(&str, &str)]| run(&format!("{name}: {what}"), &dir, &python, args, env);

    py("ruff format --check", &["-m", "ruff", "format", "--check", "."], &[]);
    py("ruff check", &["-m", "ruff", "check", "."], &[]);
    let cache = root().join(format!("target/e2e/mypy-cache/{name}"));
    py("mypy --strict app", &["-m", "mypy", "--strict", "app"], &[("MYPY_CACHE_DIR", cache.to_str().unwrap())]);

    let sqlite = format!("sqlite+aiosqlite:///{}", tmp.path().join("alembic.db").display());
    py("alembic upgrade head (SQLite)", &["-m", "alembic", "upgrade", "head"], &[("DATABASE_URL", &sqlite)]);
    py("alembic check (SQLite)", &["-m", "alembic", "check"], &[("DATABASE_URL", &sqlite)]);
    py("alembic downgrade base (SQLite)", &["-m", "alembic", "downgrade", "base"], &[("DATABASE_URL", &sqlite)]);
    let report = py("pytest (SQLite)", &["-m", "pytest", "-q", "-p", "no:cacheprovider"], &[]);
    assert!(report.contains(" passed"), "{report}");

    let Some(server) = postgres() else { return };
    let pg_script = root().join("tests/e2e/pg.py");
    let db = format!("gen_e2e_{name}_{}", std::process::id());
    let url = py("create database", &[pg_script.to_str().unwrap(), "create", &server, &db], &[]).trim().to_owned();
    let result = std::panic::catch_unwind(|| {
        py("alembic upgrade head (PostgreSQL)", &["-m", "alembic", "upgrade", "head"], &[("DATABASE_URL", &url)]);
        py("alembic check (PostgreSQL)", &["-m", "alembic", "check"], &[("DATABASE_URL", &url)]);
        py("alembic downgrade base (PostgreSQL)", &["-m", "alembic", "downgrade", "base"], &[("DATABASE_URL", &url)]);
        let report = py("pytest (PostgreSQL)", &["-m", "pytest", "-q", "-p", "no:cacheprovider"], &[("TEST_DATABASE_URL", &server)]);
        assert!(report.contains(" passed"), "{report}");
    });
    py("drop database", &[pg_script.to_str().unwrap(), "drop", &server, &db], &[]);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn blog() {
    check_project("blog", "examples/blog.yaml");
}

#[test]
fn todo() {
    check_project("todo", "examples/todo.yaml");
}

#[test]
fn starter() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("starter");
    let out = gen_cmd(&["new", dir.to_str().unwrap()]);
    assert!(out.status.success());
    check_project("starter", dir.join("gen.yaml").to_str().unwrap());
}

#[test]
fn long_names() {
    check_project("long_names", "tests/specs/good/long_names.yaml");
}

#[test]
fn self_reference() {
    check_project("self_reference", "tests/specs/good/self_reference.yaml");
}
