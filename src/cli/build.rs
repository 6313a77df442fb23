//! `handbook build`: run the pipeline and write the output folder atomically.

use std::path::PathBuf;
use std::time::Instant;

use crate::build::{self, BuildOptions};
use crate::cli::{plural, print_diagnostics, summary_counts, Exit};
use crate::config::Overrides;

#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Site root: where site.toml (optional) lives.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Content folder (default: content/ if it exists, else the root).
    #[arg(long)]
    pub content: Option<PathBuf>,
    /// Output folder (default: public/ under the root).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Base URL, overriding site.toml (e.g. for preview deployments).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include draft pages and roles.
    #[arg(long)]
    pub drafts: bool,
    /// Replace the output folder even if handbook did not write it (its
    /// files are deleted).
    #[arg(long)]
    pub force: bool,
}

impl Args {
    pub fn options(&self) -> BuildOptions {
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
                strict_links: false,
            },
            serve: false,
            today: None,
            stream: true,
            force: self.force,
        }
    }
}

pub fn run(args: Args) -> Exit {
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
        Err(diags) => {
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
    print_diagnostics(&built.diagnostics, 20);
    let out_dir = built.site.config.output_path();
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
    Exit::Success
}
