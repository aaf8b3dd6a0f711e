//! The tools a generated project checks itself with, pinned once here for
//! its dev dependency group (`pyproject.toml`), its pre-commit hooks
//! (`.pre-commit-config.yaml`) and its CI (`.github/workflows/ci.yml`), and
//! where that CI gets gen for the drift check. gen's end-to-end tests
//! install the same versions (`tests/e2e/constraints.txt`; a unit test
//! checks that they agree) and enforce the same coverage floor.

use serde::Serialize;

/// The least share of `app/`'s lines (percent) the generated suite must
/// run, on SQLite and on PostgreSQL: `pytest --cov-fail-under` in the
/// generated CI and in gen's end-to-end tests.
pub const COVERAGE_FLOOR: u32 = 90;

/// ruff, the formatter and linter (dev group and pre-commit hook rev).
pub const RUFF: &str = "0.17.6";
/// mypy, run `--strict` (dev group and pre-commit hook rev).
pub const MYPY: &str = "2.4.1";
/// pytest-cov, which measures the suite's coverage of `app/`.
pub const PYTEST_COV: &str = "7.1.0";

/// The project's runtime dependencies (`[project] dependencies`), which
/// the pre-commit mypy hook installs too (with [`TRACING`]): it runs in an environment of its
/// own and needs them to check `app/` as `uv run mypy` does.
pub const DEPENDENCIES: &[&str] = &[
    "fastapi[standard]>=0.115",
    "sqlalchemy[asyncio]>=2.0.30",
    "alembic>=1.13",
    "pydantic>=2.7",
    "pydantic-settings>=2.3",
    "email-validator>=2.1",
    "pyjwt[crypto]>=2.8",
    "pwdlib[argon2]>=0.2",
    "python-multipart>=0.0.9",
    "aiosqlite>=0.20",
    "asyncpg>=0.29",
    "redis>=5.0",
    "prometheus-client>=0.20",
    // File fields: content sniffed from the first bytes, an image's size
    // read from its header (app/kit/files.py).
    "puremagic>=1.28",
    "pillow>=11.0",
    // Response compression beside zlib's gzip: brotli (Google's bindings)
    // and zstd (app/middleware.py).
    "brotli>=1.1",
    "zstandard>=0.23",
    // File fields in an S3-compatible bucket (`FILES_BACKEND=s3`,
    // app/kit/s3.py): botocore's client, asynchronous. Every project gets
    // it, as every project shares one lock (`templates/lock/uv.lock`).
    "aiobotocore>=2.15",
    // Background jobs (`jobs: true`): the taskiq worker, scheduler and
    // Redis broker (app/kit/jobs.py; docs/jobs.md says why taskiq), and
    // its RabbitMQ broker (`JOBS_BROKER_URL=amqp://...`).
    "taskiq>=0.13",
    "taskiq-redis>=1.2",
    "taskiq-aio-pika>=0.6",
    // Email flows (`auth.email`): SMTP, asynchronous, and the mail
    // templates (app/kit/mail.py).
    "aiosmtplib>=4.0",
    "jinja2>=3.1",
];

/// Type stubs of runtime dependencies that ship none, for mypy `--strict`:
/// the dev group and the pre-commit mypy hook install them (brotli's, and
/// the S3 client's).
pub const STUBS: &[&str] = &["brotli-stubs>=1.2.1", "types-aiobotocore[s3]>=2.15"];

/// What the dev group adds for file fields in a bucket: moto, whose server
/// mode (`ThreadedMotoServer`) is the S3 the generated tests run against
/// (`tests/kit/s3.py`). moto's S3 alone and the web layer of its server
/// (Flask): its `server` extra would add every other AWS service's
/// dependencies (cfn-lint, docker, sympy, ...).
pub const S3_DEV: &[&str] = &["moto[s3]>=5.0", "flask>=3.0", "flask-cors>=5.0"];

/// The optional `tracing` extra (`uv sync --extra tracing`, then
/// `TRACING=otlp`: `app/ops/tracing.py`); the dev group has it too, for
/// the tracing tests (in-memory exporter) and mypy.
pub const TRACING: &[&str] = &[
    "opentelemetry-sdk>=1.30",
    "opentelemetry-exporter-otlp-proto-http>=1.30",
];

/// What the project templates get as `tooling`.
#[derive(Debug, Clone, Serialize)]
pub struct Tooling {
    /// [`COVERAGE_FLOOR`].
    pub coverage_floor: u32,
    /// [`RUFF`].
    pub ruff: &'static str,
    /// [`MYPY`].
    pub mypy: &'static str,
    /// [`PYTEST_COV`].
    pub pytest_cov: &'static str,
    /// [`DEPENDENCIES`].
    pub dependencies: &'static [&'static str],
    /// [`TRACING`].
    pub tracing: &'static [&'static str],
    /// [`STUBS`].
    pub stubs: &'static [&'static str],
    /// [`S3_DEV`].
    pub s3_dev: &'static [&'static str],
    /// This gen's version, which `.gen/manifest.json` records as the
    /// project's generator: the drift check installs this one, since
    /// another version would render other files.
    pub gen_version: &'static str,
    /// The GitHub expression for the git URL the drift check installs gen
    /// from: the repository variable `GEN_GIT_URL`, else the `repository`
    /// of gen's `Cargo.toml` (none yet, so the check is skipped with a
    /// notice until one is configured).
    pub gen_git_url_expr: String,
}

/// The tooling of every generated project (it depends on gen's build, not
/// on the spec).
pub fn tooling() -> Tooling {
    Tooling {
        coverage_floor: COVERAGE_FLOOR,
        ruff: RUFF,
        mypy: MYPY,
        pytest_cov: PYTEST_COV,
        dependencies: DEPENDENCIES,
        tracing: TRACING,
        stubs: STUBS,
        s3_dev: S3_DEV,
        gen_version: env!("CARGO_PKG_VERSION"),
        gen_git_url_expr: git_url_expr(env!("CARGO_PKG_REPOSITORY")),
    }
}

/// `vars.GEN_GIT_URL`, falling back to `repository` (a GitHub expression
/// string literal: single quotes doubled) when gen's `Cargo.toml` names one.
fn git_url_expr(repository: &str) -> String {
    if repository.is_empty() {
        "vars.GEN_GIT_URL".to_owned()
    } else {
        format!("vars.GEN_GIT_URL || '{}'", repository.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pins_are_those_the_end_to_end_tests_install() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/constraints.txt");
        let constraints = std::fs::read_to_string(path).unwrap();
        for (name, version) in [("ruff", RUFF), ("mypy", MYPY), ("pytest-cov", PYTEST_COV)] {
            let pin = format!("{name}=={version}");
            assert!(
                constraints.lines().any(|line| line == pin),
                "tests/e2e/constraints.txt does not pin {pin}"
            );
        }
    }

    #[test]
    fn the_git_url_falls_back_to_the_recorded_repository() {
        assert_eq!(git_url_expr(""), "vars.GEN_GIT_URL");
        assert_eq!(
            git_url_expr("https://example.org/o'k/gen"),
            "vars.GEN_GIT_URL || 'https://example.org/o''k/gen'"
        );
    }
}
