//! `handbook build`: run the pipeline and write the output folder atomically.

use std::path::PathBuf;
use std::time::Instant;

use super::exit::Exit;
use crate::build::{self, BuildOptions};
use crate::config::Overrides;
use crate::diagnostic::{plural, print_diagnostics, summary_counts};

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct Args {
    /// Site root: where site.toml (optional) lives.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Content folder (default: content/ if it exists, else the root).
    #[arg(long)]
    pub(crate) content: Option<PathBuf>,
    /// Output folder (default: public/ under the root).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Base URL, overriding site.toml (e.g. for preview deployments).
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Include draft pages and roles.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// List every file left out of the site and why, and every warning.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Replace the output folder even if handbook did not write it (its
    /// files are deleted).
    #[arg(long)]
    pub(crate) force: bool,
}

impl Args {
    pub(crate) fn options(&self) -> BuildOptions {
        BuildOptions {
            overrides: Overrides {
                content_dir: self.content.clone(),
                // --output is relative to where the command runs, like --root.
                output_dir: self.output.as_ref().map(|o| {
                    if o.is_absolute() {
                        o.clone()
                    } else {
                        std::env::current_dir().unwrap_or_default().join(o)
                    }
                }),
                base_url: self.base_url.clone(),
                drafts: self.drafts,
            },
            serve: false,
            today: None,
            stream: true,
            defer_pages: false,
            force: self.force,
        }
    }
}

pub(crate) fn run(args: Args) -> Exit {
    let start = Instant::now();
    let mut options = args.options();
    if let Some(c) = &options.overrides.content_dir {
        if !c.is_absolute() {
            options.overrides.content_dir =
                Some(std::env::current_dir().unwrap_or_default().join(c));
        }
    }
    let mut built = match build::build(&args.root, &options) {
        Ok(b) => b,
        Err(failed) => {
            let diags = failed.diagnostics;
            print_diagnostics(&diags, 20);
            let (e, w) = summary_counts(&diags);
            eprintln!(
                "Build failed: {}{}. The previous output was left as it was.",
                plural(e, "error"),
                if w > 0 {
                    format!(", {}", plural(w, "warning"))
                } else {
                    String::new()
                }
            );
            return Exit::Failure;
        }
    };
    print_diagnostics(
        &built.diagnostics,
        if args.verbose { usize::MAX } else { 20 },
    );
    print_left_out(&built.stages.site, args.verbose);
    let out_dir = built.stages.site.config.output_path();
    let closed = closed_since_last_build(&built, &out_dir);
    let written = match built.staging.take() {
        Some(staging) => staging.finish(&built.output),
        None => crate::output::write_atomic(&built.output, &out_dir, args.force),
    };
    if let Err(d) = written {
        eprintln!("{d}");
        return Exit::Failure;
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if std::env::var_os("HANDBOOK_TIMINGS").is_some() {
        let t = &built.timings;
        eprintln!(
            "timings: load {:.1} ms, markdown {:.1} ms, templates {:.1} ms, write {:.1} ms; syntax set loaded: {}",
            t.load_ms,
            t.markdown_ms,
            t.render_ms,
            ms - t.load_ms - t.markdown_ms - t.render_ms,
            if crate::highlight::syntax_set_loads() > 0 { "yes" } else { "no" }
        );
    }
    println!(
        "Built {} and {} in {} → {}",
        plural(built.page_count(), "page"),
        plural(built.asset_count(), "asset"),
        if ms < 10.0 {
            format!("{ms:.1} ms")
        } else {
            format!("{ms:.0} ms")
        },
        crate::content::clean_display(&out_dir).display()
    );
    if !closed.is_empty() {
        println!("Closed since the last build: {}", closed.join("; "));
    }
    if !built.stages.site.config.base_url_given {
        println!(
            "Preview with live reload: handbook serve (or open {} in a browser)",
            crate::content::clean_display(&out_dir.join("index.html")).display()
        );
    }
    Exit::Success
}

/// What the build left out: files the walk skipped and front matter keys
/// only other generators read.
pub(crate) fn print_left_out(site: &crate::content::Site, verbose: bool) {
    print_skipped(&site.index.skipped, verbose);
    if let Some(summary) = crate::content::foreign::ignored_keys_summary(&site.pages) {
        eprintln!("{summary}");
        if verbose {
            for p in site.pages.iter().filter(|p| !p.ignored_keys.is_empty()) {
                let keys: Vec<&str> = p.ignored_keys.iter().map(|(k, _)| k.as_str()).collect();
                eprintln!("  {}: {}", p.display.display(), keys.join(", "));
            }
        }
    }
}

/// What the walk left out: the full list with `--verbose`, else one line
/// that counts them by reason.
fn print_skipped(skipped: &[crate::content::Skipped], verbose: bool) {
    if skipped.is_empty() {
        return;
    }
    if verbose {
        eprintln!("Not published ({}):", skipped.len());
        for s in skipped {
            eprintln!("  {}: {}", s.rel, s.reason);
        }
        return;
    }
    let mut by_reason: std::collections::BTreeMap<&str, usize> = Default::default();
    for s in skipped {
        *by_reason.entry(s.reason).or_default() += 1;
    }
    let parts: Vec<String> = by_reason
        .iter()
        .map(|(reason, n)| format!("{reason} ×{n}"))
        .collect();
    eprintln!(
        "Not published: {} ({}); --verbose lists them",
        plural(skipped.len(), "path"),
        parts.join(", ")
    );
}

/// Openings that were open in the previous build's `roles.json` (still in
/// the output folder) and are not open now: a closing date passed or the
/// opening was removed. Empty when there is no previous build to compare.
fn closed_since_last_build(built: &build::Built, out_dir: &std::path::Path) -> Vec<String> {
    let careers = &built.stages.site.config.careers;
    let previous = out_dir.join(&careers.path).join("roles.json");
    let Ok(text) = std::fs::read_to_string(previous) else {
        return Vec::new();
    };
    let Ok(old) = serde_json::from_str::<crate::output::feeds::RolesFile>(&text) else {
        return Vec::new();
    };
    // roles.json holds absolute URLs (or site paths): compare path parts.
    let path_of = |url: &str| -> String {
        match url.find("://") {
            Some(i) => url[i + 3..]
                .find('/')
                .map_or("/".into(), |j| url[i + 3 + j..].to_string()),
            None => url.to_string(),
        }
    };
    let base = built.stages.site.config.base_path();
    old.roles
        .iter()
        .filter(|r| r.is_open)
        .filter_map(|r| {
            let old_path = path_of(&r.url);
            let now = built.stages.careers.roles().find(|(i, _)| {
                let url = &built.stages.site.pages[*i].url;
                format!("{base}{}", crate::content::slug::encode_path(url)) == old_path
            });
            match now.map(|(_, role)| role) {
                Some(role) if role.is_open => None,
                Some(role) => Some(match role.opening.as_ref().and_then(|o| o.closes) {
                    Some(c) => format!("{} (closed {c})", r.title),
                    None => format!("{} (opening removed)", r.title),
                }),
                None => Some(format!("{} (page removed)", r.title)),
            }
        })
        .collect()
}
