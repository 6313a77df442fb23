//! `handbook check`: everything a build validates, plus gendered-title
//! warnings, without writing any output.

use std::path::PathBuf;

use crate::build::{self, BuildOptions};
use crate::cli::{plural, print_diagnostics, summary_counts, Exit};
use crate::config::Overrides;
use crate::diagnostic::{self, Diagnostic};

#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Site root: where site.toml (optional) lives.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include draft pages and roles.
    #[arg(long)]
    pub drafts: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> Exit {
    let options = BuildOptions {
        overrides: Overrides {
            drafts: args.drafts,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut diags = match build::build(&args.root, &options) {
        Ok(built) => {
            let mut d = built.diagnostics;
            d.extend(crate::careers::lint_titles(&built.site));
            d
        }
        Err(d) => d,
    };
    diagnostic::sort(&mut diags);
    report(&diags, args.format)
}

fn report(diags: &[Diagnostic], format: Format) -> Exit {
    let (errors, warnings) = summary_counts(diags);
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diags,
            });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Format::Text => {
            print_diagnostics(diags, usize::MAX);
            eprintln!(
                "Checked: {}, {}.",
                plural(errors, "error"),
                plural(warnings, "warning")
            );
        }
    }
    if errors > 0 {
        Exit::Failure
    } else {
        Exit::Success
    }
}
