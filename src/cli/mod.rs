//! The command line: argument parsing and the thin command modules. Each
//! command module has the same shape, `Args` and `run`; the work itself is
//! done by the pipeline stages.

pub(crate) mod build;
pub(crate) mod check;
mod exit;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod serve;

use clap::{Parser, Subcommand};

pub use exit::Exit;

#[derive(Parser, Debug)]
#[command(
    name = "handbook",
    version,
    about = "Build an open careers handbook from markdown: roles, levels and salary bands as data."
)]
/// The command line: one subcommand and its arguments.
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Build the site into the output folder (default: public/).
    Build(build::Args),
    /// Validate config, content, roles, templates and links without writing.
    Check(check::Args),
    /// Create a handbook (or, with --existing, publish the markdown already here).
    Init(init::Args),
    /// Add a role or page with complete, commented front matter.
    New(new::Args),
    /// Serve the site locally, rebuilding and reloading pages on change.
    Serve(serve::Args),
}

/// Runs the command the line asked for; its exit code.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Init(a) => init::run(a),
        Command::New(a) => new::run(a),
        Command::Serve(a) => serve::run(a),
    }
}
