//! `handbook serve`: build the site into memory, serve it, and rebuild it
//! when files change, telling open pages to reload.
//!
//! The stages are the same as `handbook build`'s; this module only wires
//! them to a watcher and a server and owns their state explicitly: the
//! `rebuild::Session` (last good site, theme and output) lives on the
//! watching thread, the `server::Shared` (what is served, the last error)
//! is shared with the server's workers. Data flows one way: `watch` turns
//! file events into `ChangeKind`s, `rebuild` turns those into a new
//! `Output`, `server` serves it and `live` tells browsers. Serve never
//! writes to disk, and a failed rebuild never ends the process: the last
//! good site stays up with the errors shown over it.

pub(crate) mod conn;
mod http;
pub(crate) mod live;
pub mod rebuild;
pub(crate) mod server;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::build::BuildOptions;
use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;

/// What `handbook serve` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) root: PathBuf,
    /// `--content DIR` (relative to where the command runs), else site.toml's
    /// or the default (`content/` if it exists, else the root).
    pub(crate) content: Option<PathBuf>,
    pub(crate) bind: IpAddr,
    pub(crate) port: u16,
    pub(crate) drafts: bool,
    pub(crate) open: bool,
    /// `--allow-host`: more `Host` names to answer (tunnels, proxies).
    pub(crate) allow_hosts: Vec<String>,
}

/// Why serving could not start at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ServeError {
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, #[source] std::io::Error),
    #[error("cannot watch the site for changes: {0}")]
    Watch(#[source] notify::Error),
    #[error("cannot start the preview server: {0}")]
    Start(#[source] std::io::Error),
}

/// Serves until the process is stopped. Returns only if it cannot start.
pub(crate) fn run(settings: &Settings) -> Result<(), ServeError> {
    let root = std::path::absolute(&settings.root).unwrap_or_else(|_| settings.root.clone());
    let (http, addr) = server::bind(settings.bind, settings.port)
        .map_err(|e| ServeError::Bind(SocketAddr::new(settings.bind, settings.port), e))?;
    let url = server::url(addr);
    let options = build_options(settings, &url);

    // Watch before the first build, so no change made while it runs, or
    // right after the address is printed, is missed.
    let mut layout = watch::Layout::new(&layout_config(&root, &options));
    let mut watcher = watch::Watcher::start(layout.clone()).map_err(ServeError::Watch)?;
    let hosts = server::Hosts::new(addr, &settings.allow_hosts);
    let shared = Arc::new(server::Shared::new(hosts.clone()));
    let mut session = rebuild::Session::new(&root, options.clone());
    let blocks_before = crate::highlight::block_cache_stats();
    first_build(&mut session, &shared);
    report_block_cache(blocks_before);
    server::start(http, shared.clone()).map_err(ServeError::Start)?;
    announce(settings, addr, &hosts, &url);

    while let Some(batch) = watcher.next_batch() {
        let start = Instant::now();
        let blocks_before = crate::highlight::block_cache_stats();
        let result = session.apply(&batch);
        report_block_cache(blocks_before);
        match result {
            Ok(r) => {
                crate::diagnostic::print_diagnostics(&r.warnings, 20);
                if let Some(output) = session.output() {
                    shared.succeeded(output, r.css_only);
                }
                say(&format!(
                    "Rebuilt ({}) in {}: {}",
                    scope_name(r.scope),
                    ms(start),
                    describe(&batch)
                ));
                if std::env::var_os("HANDBOOK_TIMINGS").is_some() {
                    let steps: Vec<String> = r
                        .phases
                        .iter()
                        .map(|(n, t)| format!("{n} {t:.1}"))
                        .collect();
                    say(&format!("  steps (ms): {}", steps.join(", ")));
                }
            }
            Err(diags) => failed(&shared, diags),
        }
        if batch.contains(&watch::ChangeKind::Config) {
            // The content folder or theme may have moved.
            let fresh = watch::Layout::new(&layout_config(&root, &options));
            if fresh.content != layout.content || fresh.theme != layout.theme {
                layout = fresh;
                watcher = watch::Watcher::start(layout.clone()).map_err(ServeError::Watch)?;
            }
        }
    }
    Ok(())
}

/// With `HANDBOOK_TIMINGS` set, how the last rebuild used the highlighted
/// block cache (for BENCHMARKS.md's hit rates).
fn report_block_cache(before: Option<(u64, u64)>) {
    if std::env::var_os("HANDBOOK_TIMINGS").is_none() {
        return;
    }
    if let (Some((h0, m0)), Some((h1, m1))) = (before, crate::highlight::block_cache_stats()) {
        say(&format!(
            "highlight cache: {} hits, {} misses",
            h1 - h0,
            m1 - m0
        ));
    }
}

/// Build options for serving at `url`: drafts as asked, the content folder
/// made absolute (the watcher compares absolute paths).
fn build_options(settings: &Settings, url: &str) -> BuildOptions {
    let mut options = BuildOptions {
        serve: true,
        ..Default::default()
    };
    options.overrides.base_url = Some(url.to_string());
    options.overrides.drafts = settings.drafts;
    options.overrides.content_dir = settings
        .content
        .as_ref()
        .map(|c| std::path::absolute(c).unwrap_or_else(|_| c.clone()));
    options
}

/// The first full build: its output is served, or its errors are shown in
/// every page until an edit fixes them.
fn first_build(session: &mut rebuild::Session, shared: &server::Shared) {
    let start = Instant::now();
    match session.full() {
        Ok(r) => {
            crate::diagnostic::print_diagnostics(&r.warnings, 20);
            let output = session.output().expect("a successful build has output");
            say(&format!(
                "Built {} and {} in {}",
                crate::diagnostic::plural(output.page_count(), "page"),
                crate::diagnostic::plural(output.asset_count(), "asset"),
                ms(start)
            ));
            shared.succeeded(output, false);
        }
        Err(diags) => failed(shared, diags),
    }
}

/// Where the preview is: the address (and a port taken by something
/// else), the LAN warning, and the browser if asked.
fn announce(settings: &Settings, addr: SocketAddr, hosts: &server::Hosts, url: &str) {
    if settings.port != 0 && addr.port() != settings.port {
        say(&format!(
            "Port {} is taken; using {} instead.",
            settings.port,
            addr.port()
        ));
    }
    if !addr.ip().is_loopback() {
        lan_warning(addr, hosts);
    }
    say(&format!("Serving on {url}"));
    if settings.open {
        open_browser(url);
    }
}

/// The most threads `handbook serve` runs however many clients connect:
/// the main thread, the file watcher's, the build's thread pool, the
/// connection loop, the keep-alive ticker and the request workers.
pub fn server_threads_at_most() -> usize {
    let build_pool = std::thread::available_parallelism().map_or(4, std::num::NonZero::get);
    conn::WORKERS + build_pool + 8
}

/// Says who can now see the preview, and how to reach it.
fn lan_warning(addr: SocketAddr, hosts: &server::Hosts) {
    eprintln!(
        "warning: --bind {} lets anyone who can reach this machine read the preview \
         (drafts too, with --drafts); use it only on a network you trust.",
        addr.ip()
    );
    if addr.ip().is_unspecified() {
        if let Some(ip) = server::lan_address() {
            say(&format!(
                "On your network: {}",
                server::url(SocketAddr::new(ip, addr.port()))
            ));
        }
    }
    eprintln!(
        "  accepted host names: {} and this machine's addresses; \
         add others (a tunnel, a proxy) with --allow-host NAME",
        hosts.names().join(", ")
    );
}

fn failed(shared: &server::Shared, diags: Vec<Diagnostic>) {
    crate::diagnostic::print_diagnostics(&diags, 20);
    let errors: Vec<Diagnostic> = diags
        .into_iter()
        .filter(super::diagnostic::Diagnostic::is_error)
        .collect();
    say(&format!(
        "Build failed with {}; serving the last good version with the errors shown.",
        crate::diagnostic::plural(errors.len(), "error")
    ));
    shared.failed(errors);
}

/// The configuration for finding folders to watch, even if `site.toml`
/// does not parse (then the defaults; the watcher still sees it fixed).
fn layout_config(root: &Path, options: &BuildOptions) -> Config {
    config::load(root, &options.overrides).unwrap_or_else(|_| {
        let mut c = Config::default_for(root);
        if let Some(dir) = &options.overrides.content_dir {
            c.content_dir = dir.clone();
        } else if !root.join("content").is_dir() {
            c.content_dir = PathBuf::from(".");
        }
        c
    })
}

fn scope_name(scope: rebuild::Scope) -> &'static str {
    match scope {
        rebuild::Scope::Nothing => "no pages rendered",
        rebuild::Scope::Page => "one page",
        rebuild::Scope::Templates => "all pages",
        rebuild::Scope::Content => "changed files re-read",
        rebuild::Scope::Everything => "everything",
    }
}

fn describe(batch: &std::collections::BTreeSet<watch::ChangeKind>) -> String {
    let names: Vec<String> = batch
        .iter()
        .map(|c| match c {
            watch::ChangeKind::Content(p) | watch::ChangeKind::Repository(p) => p.clone(),
            watch::ChangeKind::Static(p) => format!("static/{p}"),
            watch::ChangeKind::Template => "templates".into(),
            watch::ChangeKind::Config => config::CONFIG_FILE.into(),
            watch::ChangeKind::Ignore => String::new(),
        })
        .filter(|s| !s.is_empty())
        .collect();
    names.join(", ")
}

fn ms(start: Instant) -> String {
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// Prints a status line and flushes at once: tests and scripts read it.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("could not open a browser ({program}: {e}); open {url} yourself");
    }
}
