//! Shipping a generated project: its container image (`Dockerfile`), the
//! stack it runs in (`compose.yaml`) and its lock (`uv.lock`).
//!
//! The commands that install, migrate, serve and health-check the app are
//! decided here, once, as argument lists; the Dockerfile, the compose file
//! and the README only lay them out, and gen's end-to-end tests run the
//! same lists outside a container (`tests/e2e/ship.rs`).

use serde::Serialize;

use crate::model::Project;

/// The port the app listens on in its container.
pub const PORT: u16 = 8000;

/// Base image of both stages: Python 3.11 is the floor of the project's
/// `requires-python` and the version its CI tests with.
pub const PYTHON_IMAGE: &str = "python:3.11-slim";

/// The uv release the image installs with (its own image, copied from).
pub const UV_IMAGE: &str = "ghcr.io/astral-sh/uv:0.13.9";

/// PostgreSQL of the compose stack (the major version the generated CI
/// tests against).
pub const POSTGRES_IMAGE: &str = "postgres:16-alpine";

/// Redis of the compose stack.
pub const REDIS_IMAGE: &str = "redis:7-alpine";

/// RabbitMQ of the compose stack's optional `rabbitmq` profile, the jobs'
/// broker when `JOBS_BROKER_URL` names it (`jobs: true`).
pub const RABBITMQ_IMAGE: &str = "rabbitmq:4-alpine";

/// The lock gen ships: what `uv lock` wrote for a generated project, with
/// the versions gen's end-to-end tests install (`tests/e2e/constraints.txt`).
/// Its project entry is replaced by each project's own ([`lock`]).
/// `GEN_UPDATE_LOCK=1 cargo test e2e::ship::lock` rewrites it.
pub const LOCK_TEMPLATE: &str = "lock/uv.lock";

/// One command, as an argument list and in the two forms files show it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    /// The arguments, program first.
    pub args: Vec<String>,
    /// A POSIX shell line (a Dockerfile `RUN`, the README).
    pub shell: String,
    /// A JSON array: a Dockerfile's exec form, a compose `command`.
    pub json: String,
}

impl Command {
    fn new(args: &[&str]) -> Command {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let shell = args
            .iter()
            .map(|a| shell_word(a))
            .collect::<Vec<_>>()
            .join(" ");
        let json = args
            .iter()
            .map(|a| serde_json::to_string(a).expect("strings serialize"))
            .collect::<Vec<_>>()
            .join(", ");
        let json = format!("[{json}]");
        Command { args, shell, json }
    }
}

/// `word` as the shell reads it: bare when it holds only characters no
/// shell treats specially, else single-quoted ([`crate::escape::shell`]).
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.to_owned()
    } else {
        crate::escape::shell(word)
    }
}

/// An environment variable the compose file gives the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    /// Its name (a field of `app/config.py`'s `Settings`, upper-cased, or
    /// `WEB_CONCURRENCY`, which uvicorn reads).
    pub name: String,
    /// Its value, with compose's `${VAR:-default}` interpolation, quoted
    /// for YAML.
    pub value: String,
}

/// What the Dockerfile, compose file and README need to ship the project.
#[derive(Debug, Clone, Serialize)]
pub struct Ship {
    /// [`PYTHON_IMAGE`].
    pub python_image: String,
    /// [`UV_IMAGE`].
    pub uv_image: String,
    /// [`POSTGRES_IMAGE`].
    pub postgres_image: String,
    /// [`REDIS_IMAGE`].
    pub redis_image: String,
    /// [`RABBITMQ_IMAGE`].
    pub rabbitmq_image: String,
    /// [`PORT`].
    pub port: u16,
    /// Installs the locked dependencies alone, without dev ones (a layer
    /// rebuilt only when the lock changes).
    pub install_deps: Command,
    /// Installs the project itself with its locked dependencies.
    pub install: Command,
    /// Brings the database to the latest revision.
    pub migrate: Command,
    /// Serves the app; uvicorn takes the worker count from `WEB_CONCURRENCY`.
    pub serve: Command,
    /// Exits 0 when `/health` answers 2xx within 4 seconds. Python's
    /// standard library only: slim images have no curl.
    pub healthcheck: Command,
    /// Runs the jobs (`jobs: true`): taskiq's worker on `app.worker:broker`.
    pub worker: Command,
    /// Sends periodic jobs and retries when due: taskiq's scheduler, with
    /// the retries' schedule read every second.
    pub scheduler: Command,
    /// The worker's compose health check (`CMD` then the command): exits 0
    /// when the jobs' broker answers (`python -m app.worker`).
    pub worker_healthcheck: Command,
    /// Sends the outbox's change events after commit (`events:`): the
    /// relay, `python -m app.relay` (docs/events.md).
    pub relay: Command,
    /// The app's settings in the compose file, shared by every service
    /// that runs the app's code.
    pub settings: Vec<Setting>,
    /// Database, user and volume prefix in the compose file (`blog`).
    pub database: String,
}

/// The shipping facts of `project`; `jobs` (the spec's `jobs: true`) adds
/// the jobs' broker setting.
pub fn ship(project: &Project, jobs: bool) -> Ship {
    let port = PORT.to_string();
    let health = format!(
        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:{PORT}/health', timeout=4)"
    );
    let database = crate::names::snake(&project.name);
    let setting = |name: &str, value: String| Setting {
        name: name.to_owned(),
        value: crate::escape::yaml_plain(&value, false),
    };
    Ship {
        python_image: PYTHON_IMAGE.to_owned(),
        uv_image: UV_IMAGE.to_owned(),
        postgres_image: POSTGRES_IMAGE.to_owned(),
        redis_image: REDIS_IMAGE.to_owned(),
        rabbitmq_image: RABBITMQ_IMAGE.to_owned(),
        port: PORT,
        install_deps: Command::new(&["uv", "sync", "--locked", "--no-dev", "--no-install-project"]),
        install: Command::new(&["uv", "sync", "--locked", "--no-dev"]),
        migrate: Command::new(&["alembic", "upgrade", "head"]),
        serve: Command::new(&["fastapi", "run", "--host", "0.0.0.0", "--port", &port]),
        healthcheck: Command::new(&["python", "-c", &health]),
        worker: Command::new(&["taskiq", "worker", "app.worker:broker"]),
        scheduler: Command::new(&[
            "taskiq",
            "scheduler",
            "app.worker:scheduler",
            "--update-interval",
            "1",
        ]),
        worker_healthcheck: Command::new(&["CMD", "python", "-m", "app.worker"]),
        relay: Command::new(&["python", "-m", "app.relay"]),
        settings: [
            setting("ENVIRONMENT", "production".to_owned()),
            setting(
                "DATABASE_URL",
                format!(
                    "postgresql+asyncpg://{database}:${{POSTGRES_PASSWORD:-{database}}}@db:5432/{database}"
                ),
            ),
            setting("REDIS_URL", "redis://redis:6379/0".to_owned()),
            setting(
                "SECRET_KEY",
                "${SECRET_KEY:?set SECRET_KEY to at least 32 random bytes}".to_owned(),
            ),
            setting("WEB_CONCURRENCY", "${WEB_CONCURRENCY:-2}".to_owned()),
        ]
        .into_iter()
        .chain(
            // Empty: the jobs go through Redis; the `rabbitmq` profile's
            // URL moves them to RabbitMQ (app/kit/jobs.py).
            jobs.then(|| setting("JOBS_BROKER_URL", "${JOBS_BROKER_URL:-}".to_owned())),
        )
        .collect(),
        database,
    }
}

/// A distribution name as uv writes it in a lock (PEP 503 normalized:
/// lower case, each run of `-`, `_` and `.` one `-`).
pub fn normalized_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A version as uv writes it (PEP 440 normalized): the spec's versions are
/// already in canonical form but for leading zeros, which go.
pub fn normalized_version(version: &str) -> String {
    let mut out = String::with_capacity(version.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            let trimmed = digits.trim_start_matches('0');
            out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
            digits.clear();
        }
    };
    for c in version.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// The lock of a project: `template` (a `uv.lock` uv wrote, see
/// [`LOCK_TEMPLATE`]) with its project entry (the package whose source is
/// `editable = "."`) named and versioned as `project`, and the packages in
/// uv's order again (by name). `None` when `template` has no project entry.
pub fn lock(template: &str, project: &Project) -> Option<String> {
    const PACKAGE: &str = "\n[[package]]\n";
    let mut parts = template.split(PACKAGE);
    let head = parts.next()?;
    let mut packages: Vec<(String, String)> = Vec::new();
    let mut found = false;
    for block in parts {
        let mut block = block.to_owned();
        if block.contains("\nsource = { editable = \".\" }\n") {
            found = true;
            block = project_entry(&block, project);
        }
        let name = block
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("name = "))
            .unwrap_or_default()
            .trim_matches('"')
            .to_owned();
        packages.push((name, block));
    }
    if !found {
        return None;
    }
    // uv orders packages by name (then version and source, which differ
    // only between packages of one name: the sort is stable).
    packages.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = head.to_owned();
    for (_, block) in &packages {
        out.push_str(PACKAGE);
        out.push_str(block);
    }
    Some(out)
}

/// `block`, the lock's project entry, with its first `name` and `version`
/// lines (those of `[[package]]` itself, which come first) as `project`'s.
fn project_entry(block: &str, project: &Project) -> String {
    let (mut name, mut version) = (false, false);
    let mut out = String::with_capacity(block.len() + project.name.len());
    for line in block.split_inclusive('\n') {
        if !name && line.starts_with("name = ") {
            name = true;
            out.push_str(&format!("name = \"{}\"\n", normalized_name(&project.name)));
        } else if !version && line.starts_with("version = ") {
            version = true;
            out.push_str(&format!(
                "version = \"{}\"\n",
                normalized_version(&project.version)
            ));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(name: &str, version: &str) -> Project {
        Project {
            name: name.to_owned(),
            title_py: String::new(),
            title: String::new(),
            description_py: String::new(),
            description: String::new(),
            version: version.to_owned(),
            api_prefix: String::new(),
            license: None,
            license_py: "None".to_owned(),
            servers_py: String::new(),
        }
    }

    const TEMPLATE: &str = "version = 1\n\n[[package]]\nname = \"alpha\"\nversion = \"1.0\"\n\n[[package]]\nname = \"todo\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\ndependencies = [\n    { name = \"alpha\" },\n]\n\n[package.metadata]\nrequires-dist = [{ name = \"alpha\" }]\n\n[[package]]\nname = \"zeta\"\nversion = \"2.0\"\n";

    #[test]
    fn the_project_entry_is_renamed_and_sorted_where_uv_puts_it() {
        let renamed = lock(TEMPLATE, &project("Zoo_Keeper.API", "01.002rc03")).unwrap();
        assert_eq!(
            renamed,
            "version = 1\n\n[[package]]\nname = \"alpha\"\nversion = \"1.0\"\n\n[[package]]\nname = \"zeta\"\nversion = \"2.0\"\n\n[[package]]\nname = \"zoo-keeper-api\"\nversion = \"1.2rc3\"\nsource = { editable = \".\" }\ndependencies = [\n    { name = \"alpha\" },\n]\n\n[package.metadata]\nrequires-dist = [{ name = \"alpha\" }]\n"
        );
        // The same name gives the template back.
        assert_eq!(lock(TEMPLATE, &project("todo", "0.1.0")).unwrap(), TEMPLATE);
        assert!(lock("version = 1\n", &project("todo", "0.1.0")).is_none());
    }

    #[test]
    fn commands_read_the_same_in_every_form() {
        let facts = ship(&project("blog", "0.1.0"), true);
        assert_eq!(facts.migrate.shell, "alembic upgrade head");
        assert_eq!(facts.migrate.json, r#"["alembic", "upgrade", "head"]"#);
        assert!(
            facts
                .healthcheck
                .shell
                .starts_with("python -c 'import urllib")
        );
        let parsed: Vec<String> = serde_json::from_str(&facts.healthcheck.json).unwrap();
        assert_eq!(parsed, facts.healthcheck.args);
    }

    /// Every setting the compose file gives the app is one `Settings`
    /// reads (a field of `app/config.py`), but `WEB_CONCURRENCY`, which
    /// uvicorn reads: a renamed or removed setting fails here.
    #[test]
    fn compose_settings_are_read_by_the_app() {
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/blog.yaml");
        let plan = crate::app::plan_from_file(std::path::Path::new(spec)).unwrap();
        let config = &plan["app/config.py"].content;
        let class = config
            .split("class Settings(")
            .nth(1)
            .expect("app/config.py defines Settings");
        let fields: Vec<&str> = class
            .lines()
            .filter_map(|l| l.strip_prefix("    "))
            .filter_map(|l| l.split_once(':').map(|(name, _)| name))
            .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect();
        let compose = &plan["compose.yaml"].content;
        let facts = ship(&project("blog", "0.1.0"), true);
        for setting in &facts.settings {
            assert!(
                compose.contains(&format!("    {}: ", setting.name)),
                "compose.yaml lacks {}",
                setting.name
            );
            if setting.name != "WEB_CONCURRENCY" {
                assert!(
                    fields.contains(&setting.name.to_lowercase().as_str()),
                    "Settings has no field {}: {fields:?}",
                    setting.name.to_lowercase()
                );
            }
        }
    }
}
