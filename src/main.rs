//! The `gen` command line: parse arguments, call the library, report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generate a production-grade FastAPI project from a YAML spec.
#[derive(Parser)]
#[command(name = "gen", version, about, long_about = None, after_help = "\
Examples:
  gen new blog --spec examples/blog.yaml   generate a project from a spec
  gen new scratch                          start from a commented starter spec
  gen validate examples/blog.yaml          check a spec and list every problem")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a project in DIR from a spec (or from a starter spec).
    #[command(after_help = "\
Examples:
  gen new blog --spec examples/blog.yaml
  gen new blog --spec blog.yaml --force    write into a folder that is not empty
  gen new scratch                          write a starter spec and its project

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
    },
    /// Check a spec and report every problem with file:line:column.
    #[command(after_help = "\
Examples:
  gen validate gen.yaml
  gen validate examples/blog.yaml

Exit status: 0 valid, 2 problems found, 1 the file could not be read.")]
    Validate {
        /// The spec file to check.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::New { dir, spec, force } => r#gen::app::new_project(dir, spec.as_deref(), *force).map(|report| {
            if report.starter {
                println!("wrote a starter spec to {}", dir.join("gen.yaml").display());
            }
            println!("created {} files in {}", report.written.len(), dir.display());
            println!();
            println!("next steps:");
            println!("  cd {}", dir.display());
            println!("  python -m venv .venv && . .venv/bin/activate && pip install -e '.[dev]'");
            println!("  alembic upgrade head && uvicorn app.main:app --reload");
        }),
        Command::Validate { file } => r#gen::app::validate_file(file).map(|n| {
            println!("{}: valid ({n} resource{})", file.display(), if n == 1 { "" } else { "s" });
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let code = error.exit_code();
            eprintln!("{:#}", anyhow::Error::new(error));
            ExitCode::from(code)
        }
    }
}
