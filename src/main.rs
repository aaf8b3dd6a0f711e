//! The `gen` command line: parse arguments, call the library, report.

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::AutoStream;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use r#gen::app::{self, NewResource};
use r#gen::error::Error;
use r#gen::project::Options;
use r#gen::report::{self, Printed};

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

impl Console {
    /// Prints `printed`: standard output, then standard error.
    fn print(&mut self, printed: &Printed) {
        self.out(format_args!("{}", printed.out));
        if !printed.err.is_empty() {
            self.err(format_args!("{}", printed.err));
        }
    }
}

fn options(w: &WriteArgs) -> Options {
    Options {
        force: w.force,
        allow_destructive: w.allow_destructive,
        rebuild_state: false,
    }
}

/// Runs the command; what it prints comes from [`report`].
fn run(cli: &Cli) -> Result<Printed, Error> {
    Ok(match &cli.command {
        Command::New {
            dir,
            spec,
            force,
            dry_run,
        } => {
            let done = app::new_project(dir, spec.as_deref(), *force, *dry_run)?;
            report::new_project(dir, &done, *dry_run)
        }
        Command::Validate { file, format } => {
            let outcome = app::validate_file(file);
            match format.format {
                FormatArg::Json => report::validate_json(file, &outcome),
                FormatArg::Text => report::valid(file, outcome?),
            }
        }
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
            report::update(&update, write.dry_run)
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
            report::update(&update, write.dry_run)
        }
        Command::Schema => Printed {
            out: r#gen::spec::raw::json_schema(),
            ..Printed::default()
        },
        Command::Check { project, format } => {
            let outcome = app::check(&project.project);
            match format.format {
                FormatArg::Json => report::check_json(&outcome),
                FormatArg::Text => report::check(&outcome?),
            }
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "gen", &mut script);
            Printed {
                out: String::from_utf8_lossy(&script).into_owned(),
                ..Printed::default()
            }
        }
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut con = Console::new(cli.color);
    let code = match run(&cli) {
        Ok(printed) => {
            con.print(&printed);
            ExitCode::from(printed.status)
        }
        Err(error) => {
            con.err(format_args!("{}", report::error(&error)));
            ExitCode::from(error.exit_code())
        }
    };
    con.flush();
    match con.failure.take() {
        // Standard output went to a file that could not take it: say so.
        Some(e) => {
            con.err(format_args!(
                "{} cannot write the report to standard output: {e}\n",
                report::error_label()
            ));
            if code == ExitCode::SUCCESS {
                ExitCode::from(1)
            } else {
                code
            }
        }
        None => code,
    }
}
