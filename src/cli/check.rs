//! `handbook check`: everything a build validates, plus gendered-title
//! warnings, without writing any output; with `--external`, every
//! `http(s)` link is asked over the network too (see `linkcheck`).
//!
//! Check and build share one severity policy: what fails a build fails a
//! check, and nothing else. Broken links, fragments and images (already
//! broken as GitHub shows the files) are warnings unless `[links] internal
//! = "error"`. Text output shows each located diagnostic with its source
//! line and a caret, as rustc does, and ends with the findings grouped by
//! kind; JSON output is for tools and bots, and gives each diagnostic its
//! stable `code` (listed in docs/diagnostics.md) to filter on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::exit::Exit;
use crate::build::{self, BuildOptions};
use crate::config::{Overrides, CONFIG_FILE};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::diagnostic::{plural, summary_counts};
use crate::linkcheck::{self, Outcome, Report};

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct Args {
    /// Site root: where site.toml (optional) lives.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Include draft pages and roles.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: Format,
    /// Also check external http(s) links over the network.
    #[arg(long)]
    pub(crate) external: bool,
    /// Seconds to wait for each external request.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) timeout: u64,
    /// Extra attempts for an external link that timed out or answered 429/5xx.
    #[arg(long, default_value_t = 2)]
    pub(crate) retries: u32,
    /// Also list files left out of the site and front matter keys only other
    /// generators read.
    #[arg(long, short)]
    pub(crate) verbose: bool,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn run(args: Args) -> Exit {
    let options = BuildOptions {
        overrides: Overrides {
            drafts: args.drafts,
            ..Default::default()
        },
        ..Default::default()
    };
    // A failed build still hands back what its stages made, so external
    // links are checked from the same load even when something else is broken.
    let (mut diags, stages) = match build::build(&args.root, &options) {
        Ok(built) => {
            let mut d = built.diagnostics;
            let stages = built.stages;
            d.extend(crate::careers::lint_titles(&stages.site, &stages.careers));
            if args.format == Format::Text {
                super::build::print_left_out(&stages.site, args.verbose);
            }
            (d, Some(stages))
        }
        Err(failed) => (failed.diagnostics, failed.stages.map(|s| *s)),
    };
    let mut external = Vec::new();
    if let (true, Some(stages)) = (args.external, &stages) {
        let settings = linkcheck::Settings {
            timeout: Duration::from_secs(args.timeout),
            retries: args.retries,
            ..Default::default()
        };
        let (reports, d) = check_external(stages, &settings);
        external = reports;
        diags.extend(d);
    }
    diagnostic::sort(&mut diags);
    report(&diags, &external, &args)
}

fn check_external(
    stages: &build::Stages,
    settings: &linkcheck::Settings,
) -> (Vec<Report>, Vec<Diagnostic>) {
    let links = linkcheck::collect(&stages.site, &stages.rendered);
    let ignore = linkcheck::compile_ignore(&stages.site.config.links.ignore);
    if links.is_empty() {
        return (Vec::new(), Vec::new());
    }
    eprintln!(
        "Checking {} (timeout {} s, {} per host)…",
        plural(links.len(), "external link"),
        settings.timeout.as_secs(),
        settings.per_host
    );
    let reports = linkcheck::check(&links, &ignore, settings);
    let diags = linkcheck::diagnostics(&links, &reports, settings);
    (reports, diags)
}

fn report(diags: &[Diagnostic], external: &[Report], args: &Args) -> Exit {
    let (errors, warnings) = summary_counts(diags);
    match args.format {
        Format::Json => {
            let v = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diags,
                "external": external,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&v)
                    .expect("the report is plain data with string keys always serialises")
            );
        }
        Format::Text => {
            for d in diags {
                let source = d.line.and_then(|_| read_source(&args.root, &d.path));
                eprintln!("{}\n", d.render(source.as_deref()));
            }
            let mut summary = format!(
                "Checked: {}, {}",
                plural(errors, "error"),
                plural(warnings, "warning")
            );
            if args.external {
                let ignored = external
                    .iter()
                    .filter(|r| matches!(r.outcome, Outcome::Ignored { .. }))
                    .count();
                let failed = external
                    .iter()
                    .filter(|r| !matches!(r.outcome, Outcome::Ignored { .. } | Outcome::Ok { .. }))
                    .count();
                summary.push_str(&format!(
                    "; {} checked, {} failed, {} ignored",
                    plural(external.len() - ignored, "external link"),
                    failed,
                    ignored
                ));
            }
            eprintln!("{summary}.");
            print_kinds(diags);
        }
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        Exit::Failure
    } else {
        Exit::Success
    }
}

/// The closing summary: findings grouped by kind and severity, with counts.
fn print_kinds(diags: &[Diagnostic]) {
    let mut kinds: std::collections::BTreeMap<(Severity, &str), usize> = Default::default();
    for d in diags {
        *kinds.entry((d.severity, d.code.label())).or_default() += 1;
    }
    if kinds.is_empty() {
        return;
    }
    eprintln!("By kind:");
    for ((severity, kind), n) in kinds {
        let sev = if severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        eprintln!("  {n:>5} {kind} ({sev})");
    }
}

/// The text of the file a diagnostic is about, for the excerpt. Paths are
/// shown relative to where the command runs, except `site.toml`, which is
/// named bare and lives under the root.
fn read_source(root: &Path, shown: &Path) -> Option<String> {
    let file = if shown == Path::new(CONFIG_FILE) {
        root.join(CONFIG_FILE)
    } else {
        shown.to_path_buf()
    };
    crate::fs::read_to_string(&file).ok()
}
