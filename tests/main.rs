//! gen's tests, in one integration binary (faster to build than one per file).
//!
//! - `cli`: the command line: exit codes, help, `new` and `validate`,
//!   completions, colour (`--color`, `NO_COLOR`), `error:` on every error,
//!   `--format json`.
//! - `bad_specs`: every spec under `tests/specs/bad/` is rejected with a
//!   located, helpful message (snapshots) and nothing is written.
//! - `snapshots`: the whole generated tree of each example (snapshots),
//!   and determinism.
//! - `indexes`: every list's sort keys have an index `(key, id)`, in the
//!   recorded schema and on the model.
//! - `limits`: hostile and unlucky input: a closed stdout, specs too
//!   large, too deep or expanding without end, bytes that are not UTF-8.
//! - `names`: the names generated class bodies and functions use are those
//!   fields and resources are kept from.
//! - `compile`: every generated Python, TOML, INI and YAML file of every
//!   good spec is parsed by Python (`compile()`, `tomllib`, ...), and
//!   escaped text reads back as itself.
//! - `mutations`: ~1,000 seeded mutations of the good specs end in a plan
//!   or a located spec error, never a panic; what gen accepts parses.
//! - `state`: tampered records in `.gen/` and symbolic links out of the
//!   project are refused; nothing outside the project is read or written;
//!   lost records are rebuilt or refused, and no revision is rewritten.
//! - `e2e`: each example is generated and its own checks run: ruff, mypy,
//!   Alembic and pytest on SQLite and PostgreSQL; `e2e::ship`: the lock is
//!   current, the Dockerfile and compose file lint clean, and their
//!   commands run outside a container.

mod bad_specs;
mod cli;
mod common;
mod compile;
mod e2e;
mod indexes;
mod limits;
mod mutations;
mod names;
mod readme_access;
mod regenerate;
mod snapshots;
mod state;
