//! Clients that read the API right: every example's OpenAPI document (and
//! the clinic's) passes Redocly CLI's `recommended` ruleset and Spectral's
//! `oas` ruleset with no error; for the blog and the clinic, a Python
//! client (openapi-python-client) and a TypeScript one (openapi-typescript
//! types for openapi-fetch) are generated, and a small typed script per
//! client (`tests/e2e/clients/NAME.py`, `NAME.ts`) passes `mypy --strict`
//! or `tsc --strict`, then runs against the live API (uvicorn on a free
//! port, SQLite): signing up, logging in, creating a row with its
//! server-defaulted fields left out, listing without a token.
//!
//! The npm tools are pinned by `tests/e2e/clients/package-lock.json` and
//! installed with `npm ci` into `target/e2e/clients` (again only when the
//! lock file changes); the Python generator is in the shared virtualenv,
//! pinned by `tests/e2e/constraints.txt`.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{python, run};
use crate::common::{gen_cmd, root};

/// The folder of the clients test's own files.
fn sources() -> PathBuf {
    root().join("tests/e2e/clients")
}

/// `target/e2e/clients`, where `npm ci` installed the pinned npm packages;
/// installed once per run, and again only when the lock file changed.
fn npm_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = root().join("target/e2e/clients");
        std::fs::create_dir_all(&dir).unwrap();
        let lock = std::fs::read(sources().join("package-lock.json")).unwrap();
        let installed = std::fs::read(dir.join("package-lock.json")).ok();
        if installed.as_deref() != Some(&lock[..]) || !dir.join("node_modules").exists() {
            std::fs::copy(sources().join("package.json"), dir.join("package.json")).unwrap();
            std::fs::write(dir.join("package-lock.json"), &lock).unwrap();
            let npm = PathBuf::from("npm");
            let args = ["ci", "--ignore-scripts", "--no-audit", "--no-fund"];
            run("npm ci (clients)", &dir, &npm, &args, &[]);
        }
        dir
    })
    .clone()
}

/// A tool of the npm folder (`redocly`, `spectral`, `tsc`, ...).
fn npm_bin(name: &str) -> PathBuf {
    npm_dir().join("node_modules/.bin").join(name)
}

/// A generated project and its OpenAPI document (`openapi.json` beside it).
struct Generated {
    tmp: tempfile::TempDir,
    dir: PathBuf,
    openapi: PathBuf,
}

/// Generates `spec` as `name` and writes the document `app.openapi()`
/// serves.
fn generate(name: &str, spec: &str) -> Generated {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    let out = gen_cmd(&["new", dir.to_str().unwrap(), "--spec", spec]);
    assert!(
        out.status.success(),
        "gen new {spec}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let openapi = tmp.path().join("openapi.json");
    let dump = "import json, sys\nfrom app.main import app\n\
        json.dump(app.openapi(), open(sys.argv[1], 'w'), indent=1)";
    let args = ["-c", dump, openapi.to_str().unwrap()];
    run(
        &format!("{name}: dump OpenAPI"),
        &dir,
        &python(),
        &args,
        &[],
    );
    Generated { tmp, dir, openapi }
}

/// Runs a linter and returns its standard output, whatever its exit status
/// (the counts, read from its JSON report, decide).
fn lint_output(program: &Path, args: &[&str], dir: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.trim_start().starts_with(['{', '[']),
        "{} printed no JSON report\n--- stdout\n{stdout}\n--- stderr\n{}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Lints `name`'s document with Redocly (`recommended`) and Spectral
/// (`oas`): no error from either; prints both tools' warning counts.
fn lint(name: &str, generated: &Generated) {
    let doc = generated.openapi.to_str().unwrap();
    let here = generated.tmp.path();
    let redocly = lint_output(
        &npm_bin("redocly"),
        &["lint", "--extends=recommended", "--format=json", doc],
        here,
    );
    let report: serde_json::Value = serde_json::from_str(&redocly).unwrap();
    let totals = &report["totals"];
    let (errors, warnings) = (totals["errors"].as_u64(), totals["warnings"].as_u64());
    assert_eq!(errors, Some(0), "{name}: Redocly errors\n{redocly}");
    let ruleset = sources().join("spectral.yaml");
    let spectral = lint_output(
        &npm_bin("spectral"),
        &[
            "lint",
            "--ruleset",
            ruleset.to_str().unwrap(),
            "--format=json",
            doc,
        ],
        here,
    );
    let results: Vec<serde_json::Value> = serde_json::from_str(&spectral).unwrap();
    let count = |severity: u64| {
        results
            .iter()
            .filter(|r| r["severity"].as_u64() == Some(severity))
            .count()
    };
    assert_eq!(count(0), 0, "{name}: Spectral errors\n{spectral}");
    eprintln!(
        "{name}: Redocly recommended: 0 errors, {} warnings; Spectral oas: 0 errors, {} warnings",
        warnings.unwrap_or(0),
        count(1)
    );
}

/// `path` with every `{parameter}` as `{}`: the README writes `{id}`, the
/// document `{post_id}`.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// The README's "who may call what" rows and the document's `security`
/// agree: a row whose callers are "anyone" is an operation that admits an
/// anonymous call (`[]`, or `{}` among its requirements); any other row's
/// needs a token. WebSocket rows are left out: OpenAPI has no WebSockets.
fn readme_agrees_with_security(name: &str, generated: &Generated) {
    let readme = std::fs::read_to_string(generated.dir.join("README.md")).unwrap();
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&generated.openapi).unwrap()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    let mut checked = 0;
    for row in readme
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" | `"))
    {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        let [method, routes, who] = cells[..] else {
            continue;
        };
        // OpenAPI 3.1 describes no WebSocket; the README's Live updates
        // section does, and the generated tests check those routes' access.
        if method == "WebSocket" {
            continue;
        }
        for route in routes.split(", ") {
            let route = shape(route.trim_matches('`'));
            let (_, item) = paths
                .iter()
                .find(|(p, _)| shape(p) == route)
                .unwrap_or_else(|| panic!("{name}: README row {row}: no path {route}"));
            let security = item[method.to_lowercase()]["security"].as_array().unwrap();
            let anonymous = security.is_empty()
                || security
                    .iter()
                    .any(|s| s.as_object().is_some_and(|o| o.is_empty()));
            assert_eq!(
                anonymous,
                who.starts_with("anyone"),
                "{name}: README row {row} vs security {security:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 3, "{name}: {checked} README rows checked");
}

/// A free port on the loopback interface.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The generated API served by uvicorn on SQLite, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Migrates a fresh SQLite database, runs `setup` (a `python -m ...`
    /// command of the project, or none) against it and serves the project.
    fn start(generated: &Generated, setup: &[&str]) -> Server {
        let db = generated.tmp.path().join("api.db");
        let url = format!("sqlite+aiosqlite:///{}", db.display());
        let env = [("DATABASE_URL", url.as_str())];
        let py = python();
        let migrate = ["-m", "alembic", "upgrade", "head"];
        run("alembic upgrade head", &generated.dir, &py, &migrate, &env);
        if !setup.is_empty() {
            run("setup", &generated.dir, &py, setup, &env);
        }
        let port = free_port();
        let log = std::fs::File::create(generated.tmp.path().join("server.log")).unwrap();
        let child = Command::new(&py)
            .args(["-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .current_dir(&generated.dir)
            .env("DATABASE_URL", &url)
            .env_remove("REDIS_URL")
            .env_remove("ENVIRONMENT")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        // uvicorn listens once the application has started.
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = server.child.try_wait().unwrap();
            assert!(
                exited.is_none() && started.elapsed() < Duration::from_secs(60),
                "the API did not start ({exited:?})\n{}",
                server.log(generated)
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    }

    /// What the server wrote to its standard error.
    fn log(&self, generated: &Generated) -> String {
        std::fs::read_to_string(generated.tmp.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The commands of the generated README's "Clients" section.
fn readme_commands(dir: &Path) -> Vec<String> {
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let section = readme
        .split("\n## Clients\n")
        .nth(1)
        .expect("the README has a \"## Clients\" section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("\"Clients\" has a sh block");
    block.lines().map(str::to_owned).collect()
}

/// Runs the README's client commands against the live API in a fresh
/// folder (`uvx` and `npx` stand for the pinned tools: the shared
/// virtualenv's and the npm folder's), then checks `NAME.py` with
/// `mypy --strict` and compiles `NAME.ts` with `tsc --strict`; returns the
/// folder to run both in.
fn readme_clients(name: &str, generated: &Generated, server: &Server) -> PathBuf {
    let dir = generated.tmp.path().join("clients");
    std::fs::create_dir_all(&dir).unwrap();
    let commands = readme_commands(&generated.dir);
    assert!(
        commands.iter().any(|c| c.contains("openapi-python-client"))
            && commands.iter().any(|c| c.contains("openapi-typescript")),
        "{commands:?}"
    );
    let py = python();
    let path = format!(
        "{}:{}:{}",
        py.parent().unwrap().display(),
        npm_dir().join("node_modules/.bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = commands
        .join("\n")
        .replace("http://127.0.0.1:8000", &server.base);
    let script = format!("set -euo pipefail\nuvx() {{ \"$@\"; }}\nnpx() {{ \"$@\"; }}\n{script}");
    let bash = PathBuf::from("bash");
    let env = [("PATH", path.as_str())];
    run(
        &format!("{name}: the README's client commands"),
        &dir,
        &bash,
        &["-c", &script],
        &env,
    );

    let script = format!("{name}.py");
    std::fs::copy(sources().join(&script), dir.join(&script)).unwrap();
    let cache = root().join(format!("target/e2e/mypy-cache/client-{name}"));
    let mypy_ini = sources().join("mypy.ini");
    let args = [
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        mypy_ini.to_str().unwrap(),
        &script,
    ];
    let env = [("MYPY_CACHE_DIR", cache.to_str().unwrap())];
    run(
        &format!("{name}: mypy --strict {script}"),
        &dir,
        &py,
        &args,
        &env,
    );

    std::os::unix::fs::symlink(npm_dir().join("node_modules"), dir.join("node_modules")).unwrap();
    for file in ["tsconfig.json".to_owned(), format!("{name}.ts")] {
        std::fs::copy(sources().join(&file), dir.join(&file)).unwrap();
    }
    let args = ["--project", "tsconfig.json", "--strict"];
    run(
        &format!("{name}: tsc --strict"),
        &dir,
        &npm_bin("tsc"),
        &args,
        &[],
    );
    dir
}

/// Lints `spec`'s document, then, with the API running (after `setup`, see
/// [`Server::start`]), generates both clients as the README says and runs
/// both scripts against it.
fn check_clients(name: &str, spec: &str, setup: &[&str]) {
    let generated = generate(name, spec);
    lint(name, &generated);
    readme_agrees_with_security(name, &generated);
    let server = Server::start(&generated, setup);
    let result = std::panic::catch_unwind(|| {
        let dir = readme_clients(name, &generated, &server);
        let script = format!("{name}.py");
        let args = [script.as_str(), server.base.as_str()];
        run(&format!("{name}: {script}"), &dir, &python(), &args, &[]);
        let node = PathBuf::from("node");
        let script = format!("out/{name}.js");
        let args = [script.as_str(), server.base.as_str()];
        run(&format!("{name}: node {script}"), &dir, &node, &args, &[]);
    });
    if let Err(panic) = result {
        eprintln!("--- server log\n{}", server.log(&generated));
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn blog() {
    check_clients("blog", "examples/blog.yaml", &[]);
}

/// An admin (made with the project's `create-admin` command) adds a
/// doctor; a patient books an appointment with them.
#[test]
fn clinic() {
    let admin = [
        "-m",
        "app.cli",
        "create-admin",
        "--email",
        "admin@example.com",
        "--password",
        "correct horse battery",
    ];
    check_clients("clinic", "tests/specs/good/clinic.yaml", &admin);
}

#[test]
fn lint_shop() {
    let generated = generate("shop", "examples/shop.yaml");
    lint("shop", &generated);
    readme_agrees_with_security("shop", &generated);
}

#[test]
fn lint_todo() {
    let generated = generate("todo", "examples/todo.yaml");
    lint("todo", &generated);
    readme_agrees_with_security("todo", &generated);
}
