//! The `gen` command line: parse arguments, call the library, report.

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::AutoStream;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use r#gen::app::{self, NewResource};
use r#gen::error::Error;
use r#gen::project::{Options, Update};
use r#gen::report::{self, CheckJson, ValidateJson};

/// mimalloc: gen allocates many small strings and JSON values (the spec's
/// nodes, every template context), where it is markedly faster than the
/// system allocator (a third less CPU for `gen generate` on 1,000 resources).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate a production-grade FastAPI project from a YAML spec, and keep
/// it in step with the spec as both evolve.
#[derive(Parser)]
#[command(name = "gen", version, about, long_about = None, after_help = "\
Examples:
  gen new blog --spec examples/blog.yaml   generate a project from a spec
  gen new scratch                          start from a commented starter spec
  gen validate examples/blog.yaml          check a spec and list every problem
  gen resource Tag name:string:unique      add a resource to gen.yaml and regenerate
  gen generate                             regenerate after editing gen.yaml
  gen check                                exit 1 when the code has drifted from the spec
  gen completions bash > ~/.local/share/bash-completion/completions/gen")]
struct Cli {
    /// Colour diagnostics and change lists: `auto` on a terminal unless
    /// NO_COLOR is set (https://no-color.org), `always`, or `never`.
    #[arg(long, global = true, value_name = "WHEN", default_value_t = clap::ColorChoice::Auto)]
    color: clap::ColorChoice,
    #[command(subcommand)]
    command: Command,
}

/// How `validate` and `check` print their findings.
#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// For people: text, coloured on a terminal.
    Text,
    /// For editors and CI: one JSON document on standard output (shape in the README).
    Json,
}

#[derive(Args)]
struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
}

#[derive(Args)]
struct ProjectArgs {
    /// The project folder (holding gen.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    project: PathBuf,
}

#[derive(Args)]
struct WriteArgs {
    /// Show what would be created, changed or left alone, with diffs; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Overwrite hand-edited files instead of merging (and say which).
    #[arg(long)]
    force: bool,
    /// Permit migrations that drop tables or columns, narrow types or add NOT NULL without a default.
    #[arg(long)]
    allow_destructive: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Create a project in DIR from a spec (or from a starter spec).
    #[command(after_help = "\
Examples:
  gen new blog --spec examples/blog.yaml
  gen new blog --spec blog.yaml --force    write into a folder that is not empty
  gen new scratch                          write a starter spec and its project
  gen new blog --spec blog.yaml --dry-run  list the files, write nothing

The spec is copied to DIR/gen.yaml. Nothing is written when the spec has
problems. Exit status: 0 done, 2 bad spec or usage, 1 other failure.")]
    New {
        /// Folder to create the project in.
        dir: PathBuf,
        /// The spec to generate from; without it a commented starter spec is used.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
        /// Write even if DIR is not empty (files gen generates are overwritten).
        #[arg(long)]
        force: bool,
        /// List the files that would be written; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check a spec and report every problem with file:line:column.
    #[command(after_help = "\
Examples:
  gen validate gen.yaml
  gen validate examples/blog.yaml

  gen validate gen.yaml --format json      every problem with line and column, for editors

Exit status: 0 valid, 2 problems found, 1 the file could not be read.")]
    Validate {
        /// The spec file to check.
        file: PathBuf,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// Add a resource to the project's gen.yaml (in place) and regenerate.
    #[command(after_help = "\
Examples:
  gen resource Comment body:text rating:int:nullable post:many_to_one:Post --owned
  gen resource Tag name:string:unique
  gen resource Like --belongs-to Post --belongs-to User --dry-run

Fields are name:type[:nullable|unique|index]; relations are
name:many_to_one:Target[:nullable]. Comments, key order and formatting of
gen.yaml are kept; the block is added at the end of `resources:`.")]
    Resource {
        /// Resource name, singular (`Comment`, `order_item`).
        name: String,
        /// Fields and relations.
        fields: Vec<String>,
        /// Rows belong to the user who creates them.
        #[arg(long)]
        owned: bool,
        /// GET endpoints need no token.
        #[arg(long)]
        public_read: bool,
        /// Add a required many-to-one relation to this resource (repeatable).
        #[arg(long, value_name = "RESOURCE")]
        belongs_to: Vec<String>,
        #[command(flatten)]
        project: ProjectArgs,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Regenerate the project from gen.yaml, merging hand edits and writing
    /// the next migration when the schema changed.
    #[command(after_help = "\
Examples:
  gen generate
  gen generate --project services/blog --dry-run
  gen generate --allow-destructive         after removing a field

When .gen/schema.json is lost, gen recognises the head revision's schema
when gen.yaml is unchanged since gen last wrote the project; otherwise it
stops and says how to recover (--rebuild-state).

Exit status: 0 done (or up to date), 1 conflicts written, a destructive
migration refused or gen's records unusable, 2 bad spec.")]
    Generate {
        #[command(flatten)]
        project: ProjectArgs,
        #[command(flatten)]
        write: WriteArgs,
        /// .gen/schema.json is lost: record gen.yaml's schema as that of the
        /// newest revision in migrations/versions/ (writes no revision), and
        /// keep hand edits of files whose base copy is lost. Use it only with
        /// the gen.yaml that revision was made from.
        #[arg(long)]
        rebuild_state: bool,
    },
    /// Print the JSON Schema of the spec format, for editors and CI checks.
    #[command(after_help = "\
Examples:
  gen schema > spec.schema.json

Then start a spec with the line
  # yaml-language-server: $schema=spec.schema.json
and editors with the YAML language server complete and check it as you type.
`gen new` writes it to .gen/spec.schema.json in every project.")]
    Schema,
    /// Exit 1 when the project differs from what gen would generate (for CI).
    #[command(after_help = "\
Examples:
  gen check
  gen check --project services/blog
  gen check --format json                  the files that drifted, for CI annotations

Prints a unified diff per file and a summary such as
\"3 files differ, 1 missing, migration pending\". Exit status: 0 in sync,
1 drift, 2 bad spec.")]
    Check {
        #[command(flatten)]
        project: ProjectArgs,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// Print a shell completion script for gen.
    #[command(after_help = "\
Examples:
  gen completions bash > ~/.local/share/bash-completion/completions/gen
  gen completions zsh > ~/.zfunc/_gen      with fpath+=~/.zfunc before compinit
  gen completions fish > ~/.config/fish/completions/gen.fish
  gen completions powershell >> $PROFILE")]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Standard output and error for the report. A reader that goes away
/// (`gen check | head -1`) ends the report, not the command: later lines
/// are dropped quietly and the exit status is the command's own.
struct Console {
    stdout: AutoStream<io::StdoutLock<'static>>,
    stderr: AutoStream<io::StderrLock<'static>>,
    /// Standard output failed; no more is written to it.
    out_closed: bool,
    /// Standard error failed; no more is written to it.
    err_closed: bool,
    /// The first failure that was not a closed pipe (a full disk).
    failure: Option<io::Error>,
}

impl Console {
    /// Both streams, styled or stripped as `color` asks (`auto`: on a
    /// terminal unless NO_COLOR or CLICOLOR=0 is set).
    fn new(color: clap::ColorChoice) -> Console {
        let choice = match color {
            clap::ColorChoice::Auto => anstream::ColorChoice::Auto,
            clap::ColorChoice::Always => anstream::ColorChoice::Always,
            clap::ColorChoice::Never => anstream::ColorChoice::Never,
        };
        Console {
            stdout: AutoStream::new(io::stdout().lock(), choice),
            stderr: AutoStream::new(io::stderr().lock(), choice),
            out_closed: false,
            err_closed: false,
            failure: None,
        }
    }

    fn note(&mut self, result: io::Result<()>) -> bool {
        match result {
            Ok(()) => false,
            Err(e) => {
                if e.kind() != io::ErrorKind::BrokenPipe && self.failure.is_none() {
                    self.failure = Some(e);
                }
                true
            }
        }
    }

    /// Writes to standard output unless it is closed.
    fn out(&mut self, args: fmt::Arguments) {
        if !self.out_closed {
            let result = self.stdout.write_fmt(args);
            self.out_closed = self.note(result);
        }
    }

    /// Writes to standard error unless it is closed; standard output is
    /// flushed first so that the two keep their order on a terminal.
    fn err(&mut self, args: fmt::Arguments) {
        self.flush();
        if !self.err_closed {
            let result = self.stderr.write_fmt(args);
            self.err_closed = self.note(result);
        }
    }

    fn flush(&mut self) {
        if !self.out_closed {
            let result = self.stdout.flush();
            self.out_closed = self.note(result);
        }
    }
}

/// `print!` to a [`Console`].
macro_rules! say {
    ($con:expr, $($arg:tt)*) => { $con.out(format_args!($($arg)*)) };
}

/// `println!` to a [`Console`].
macro_rules! sayln {
    ($con:expr, $($arg:tt)*) => { $con.out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` to a [`Console`].
macro_rules! warn {
    ($con:expr, $($arg:tt)*) => { $con.err(format_args!("{}\n", format_args!($($arg)*))) };
}

fn options(w: &WriteArgs) -> Options {
    Options {
        force: w.force,
        allow_destructive: w.allow_destructive,
        rebuild_state: false,
    }
}

/// Prints what an update did (or would do); returns the exit status.
fn report(con: &mut Console, update: &Update, dry_run: bool) -> ExitCode {
    if update.is_up_to_date() {
        if !update.rebuilt_records {
            sayln!(con, "the project is up to date; nothing to write");
        } else if dry_run {
            sayln!(
                con,
                "the project is up to date; gen's missing records in .gen/ would be written again"
            );
        } else {
            sayln!(
                con,
                "the project is up to date; gen's missing records in .gen/ are written again"
            );
        }
        return ExitCode::SUCCESS;
    }
    say!(con, "{}", report::describe(update, dry_run));
    if let Some(revision) = &update.revision {
        sayln!(
            con,
            "new migration: {revision} (run `alembic upgrade head`)"
        );
    }
    if dry_run {
        sayln!(con, "{:>10} {} files", "unchanged", update.unchanged);
        sayln!(con, "dry run: nothing was written");
        return ExitCode::SUCCESS;
    }
    let conflicts = update.conflicts();
    if conflicts.is_empty() {
        sayln!(
            con,
            "{} file{} written",
            update.changes.len(),
            if update.changes.len() == 1 { "" } else { "s" }
        );
        ExitCode::SUCCESS
    } else {
        warn!(
            con,
            "{} {} file{} have conflict markers: resolve them, then run gen generate again",
            report::error_label(),
            conflicts.len(),
            if conflicts.len() == 1 { "" } else { "s" }
        );
        for (path, lines) in &conflicts {
            warn!(con, "  conflict: {path}: line {}", report::line_list(lines));
        }
        ExitCode::from(1)
    }
}

/// `gen new`: writes the project (or lists its files with `dry_run`) and
/// prints the next steps.
fn new(
    con: &mut Console,
    dir: &std::path::Path,
    spec: Option<&std::path::Path>,
    force: bool,
    dry_run: bool,
) -> Result<ExitCode, Error> {
    let report = app::new_project(dir, spec, force, dry_run)?;
    if dry_run {
        for file in &report.files {
            sayln!(con, "    create {}", dir.join(file).display());
        }
        sayln!(con, "dry run: nothing was written");
        return Ok(ExitCode::SUCCESS);
    }
    if report.starter {
        sayln!(
            con,
            "wrote a starter spec to {}",
            dir.join("gen.yaml").display()
        );
    }
    sayln!(
        con,
        "created {} files in {}",
        report.files.len(),
        dir.display()
    );
    say!(con, "\n");
    sayln!(con, "next steps:");
    sayln!(con, "  cd {}", dir.display());
    sayln!(
        con,
        "  python -m venv .venv && . .venv/bin/activate && pip install -e '.[dev]'"
    );
    sayln!(
        con,
        "  alembic upgrade head && uvicorn app.main:app --reload"
    );
    Ok(ExitCode::SUCCESS)
}

/// `gen validate`: exit 0 when the spec is valid, else 2 with every problem.
fn validate(
    con: &mut Console,
    file: &std::path::Path,
    format: FormatArg,
) -> Result<ExitCode, Error> {
    let outcome = app::validate_file(file);
    if let FormatArg::Json = format {
        let document = ValidateJson::new(&file.display().to_string(), &outcome);
        say!(con, "{}", report::to_json(&document));
        return Ok(exit_status(&outcome));
    }
    let n = outcome?;
    sayln!(
        con,
        "{}: valid ({n} resource{})",
        file.display(),
        if n == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}

/// The exit status of a command whose findings were printed as JSON: 0,
/// or the error's own.
fn exit_status<T>(outcome: &Result<T, Error>) -> ExitCode {
    match outcome {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(e.exit_code()),
    }
}

/// `gen check`: exit 0 when the project is in sync, else 1 with a diff per
/// file and a summary.
fn check(
    con: &mut Console,
    project: &std::path::Path,
    format: FormatArg,
) -> Result<ExitCode, Error> {
    let outcome = app::check(project);
    if let FormatArg::Json = format {
        let document = CheckJson::new(&outcome);
        say!(con, "{}", report::to_json(&document));
        return Ok(match &outcome {
            Ok(update) if !update.is_up_to_date() => ExitCode::from(1),
            _ => exit_status(&outcome),
        });
    }
    let update = outcome?;
    if update.is_up_to_date() {
        sayln!(con, "in sync with gen.yaml");
        if update.rebuilt_records {
            sayln!(
                con,
                "some of gen's records in .gen/ are missing; `gen generate` writes them again"
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    for change in &update.changes {
        say!(
            con,
            "{}",
            report::unified_diff(
                &change.path,
                change.before.as_deref(),
                change.after.as_deref()
            )
        );
    }
    sayln!(con, "{}", report::drift_summary(&update));
    sayln!(
        con,
        "run `gen generate` to bring the project in line with gen.yaml"
    );
    Ok(ExitCode::from(1))
}

fn run(con: &mut Console, cli: &Cli) -> Result<ExitCode, Error> {
    match &cli.command {
        Command::New {
            dir,
            spec,
            force,
            dry_run,
        } => new(con, dir, spec.as_deref(), *force, *dry_run),
        Command::Validate { file, format } => validate(con, file, format.format),
        Command::Resource {
            name,
            fields,
            owned,
            public_read,
            belongs_to,
            project,
            write,
        } => {
            let resource = NewResource {
                name: name.clone(),
                fields: fields.clone(),
                owned: *owned,
                public_read: *public_read,
                belongs_to: belongs_to.clone(),
            };
            let (_, update) =
                app::add_resource(&project.project, &resource, options(write), write.dry_run)?;
            Ok(report(con, &update, write.dry_run))
        }
        Command::Generate {
            project,
            write,
            rebuild_state,
        } => {
            let options = Options {
                rebuild_state: *rebuild_state,
                ..options(write)
            };
            let update = app::generate(&project.project, options, write.dry_run)?;
            Ok(report(con, &update, write.dry_run))
        }
        Command::Schema => {
            say!(con, "{}", r#gen::spec::raw::json_schema());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { project, format } => check(con, &project.project, format.format),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "gen", &mut script);
            say!(con, "{}", String::from_utf8_lossy(&script));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut con = Console::new(cli.color);
    let code = match run(&mut con, &cli) {
        Ok(code) => code,
        Err(error) => {
            con.err(format_args!("{}", report::error(&error)));
            ExitCode::from(error.exit_code())
        }
    };
    con.flush();
    match con.failure.take() {
        // Standard output went to a file that could not take it: say so.
        Some(e) => {
            warn!(
                con,
                "{} cannot write the report to standard output: {e}",
                report::error_label()
            );
            if code == ExitCode::SUCCESS {
                ExitCode::from(1)
            } else {
                code
            }
        }
        None => code,
    }
}
