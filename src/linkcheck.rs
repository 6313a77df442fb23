//! External link checking for `handbook check --external`: does every
//! `http(s)://` link written in the content still answer?
//!
//! `collect` lists each distinct URL with every place it is written (pure,
//! from the rendered site model). `check` asks each URL with a blocking HTTP
//! client on a small pool of std threads: HEAD first, GET when the server
//! answers HEAD with an error (many do: 403, 405, 501), following redirects
//! and reporting the final status, retrying timeouts, connection failures,
//! 429 and 5xx. No more than `per_host` requests go to one host at a time, so
//! a handbook that links a hundred GitHub pages does not get rate-limited,
//! and `[links] ignore` patterns skip URLs before any request is made. This
//! is the only module that talks to the network; nothing in `build` does.
//! Why threads and not async: a check is a few hundred requests at most,
//! and a runtime would double the dependency tree for no gain at that size.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use regex::Regex;

use crate::content::Site;
use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::{links::Resolution, Rendered};

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// For one request (connect, redirects and response headers).
    pub(crate) timeout: Duration,
    /// Extra attempts after a timeout, connection failure, 429 or 5xx.
    pub(crate) retries: u32,
    /// Requests in flight to one host at a time.
    pub(crate) per_host: usize,
    /// Requests in flight overall.
    pub(crate) workers: usize,
    /// Pause before retry `n` is `n × backoff`.
    pub(crate) backoff: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(10),
            retries: 2,
            per_host: 2,
            workers: 8,
            backoff: Duration::from_millis(500),
        }
    }
}

/// One distinct external URL and every place it is written.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct ExternalLink {
    pub(crate) url: String,
    pub(crate) uses: Vec<Use>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Use {
    pub(crate) path: PathBuf,
    pub(crate) line: usize,
    pub(crate) col: usize,
}

/// What asking a URL found out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub(crate) enum Outcome {
    /// A 2xx or 3xx status at the end of any redirects.
    Ok { status: u16, final_url: String },
    /// A 4xx or 5xx status at the end of any redirects.
    Broken { status: u16, final_url: String },
    /// No response within the timeout, on every attempt.
    Timeout,
    /// No HTTP answer at all: DNS, connection refused, TLS, too many redirects.
    Failed { reason: String },
    /// Matched a `[links] ignore` pattern; never requested.
    Ignored { pattern: String },
}

impl Outcome {
    /// Worth another attempt: the server or the network may do better later.
    fn is_transient(&self) -> bool {
        match self {
            Outcome::Timeout | Outcome::Failed { .. } => true,
            Outcome::Broken { status, .. } => *status == 429 || *status >= 500,
            Outcome::Ok { .. } | Outcome::Ignored { .. } => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Report {
    pub(crate) url: String,
    #[serde(flatten)]
    pub(crate) outcome: Outcome,
    /// Requests made (HEAD and its GET fallback count as one attempt).
    pub(crate) attempts: u32,
}

/// Every distinct `http(s)://` link and image in the rendered site, sorted
/// by URL; each use in file and line order.
pub(crate) fn collect(site: &Site, rendered: &[std::sync::Arc<Rendered>]) -> Vec<ExternalLink> {
    let mut by_url: BTreeMap<String, Vec<Use>> = BTreeMap::new();
    for (page, rendered) in site.pages.iter().zip(rendered) {
        for link in &rendered.links {
            if link.resolution != Resolution::Keep || !is_http(&link.dest) {
                continue;
            }
            // The fragment is never sent to the server.
            let url = link.dest.split('#').next().unwrap_or_default().to_string();
            by_url.entry(url).or_default().push(Use {
                path: page.display.clone(),
                line: link.line,
                col: link.col,
            });
        }
    }
    by_url
        .into_iter()
        .map(|(url, mut uses)| {
            uses.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
            ExternalLink { url, uses }
        })
        .collect()
}

fn is_http(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `[links] ignore` patterns, compiled. `config::load` already rejected
/// invalid ones, so none is dropped here in practice.
pub(crate) fn compile_ignore(patterns: &[String]) -> Vec<Regex> {
    patterns.iter().filter_map(|p| Regex::new(p).ok()).collect()
}

/// Checks every link over HTTP, in the order given.
pub(crate) fn check(links: &[ExternalLink], ignore: &[Regex], settings: &Settings) -> Vec<Report> {
    let agent = agent(settings);
    check_with(links, ignore, settings, |url| probe(&agent, url))
}

/// The scheduler, separate from HTTP so it can be tested with a fake probe:
/// ignore patterns first, then up to `settings.workers` threads take the next
/// URL whose host has a free slot, retrying transient outcomes.
pub(crate) fn check_with<P>(
    links: &[ExternalLink],
    ignore: &[Regex],
    settings: &Settings,
    probe: P,
) -> Vec<Report>
where
    P: Fn(&str) -> Outcome + Sync,
{
    let mut reports: Vec<Option<Report>> = vec![None; links.len()];
    let mut pending = VecDeque::new();
    for (i, link) in links.iter().enumerate() {
        match ignore.iter().find(|re| re.is_match(&link.url)) {
            Some(re) => {
                reports[i] = Some(Report {
                    url: link.url.clone(),
                    outcome: Outcome::Ignored {
                        pattern: re.as_str().to_string(),
                    },
                    attempts: 0,
                });
            }
            None => pending.push_back(i),
        }
    }
    let queue = Queue {
        state: Mutex::new(QueueState {
            pending,
            active: HashMap::new(),
        }),
        changed: Condvar::new(),
        per_host: settings.per_host.max(1),
    };
    let results = Mutex::new(reports);
    let workers = settings.workers.max(1).min(links.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((i, host)) = queue.take(links) {
                    let report = attempt(&links[i].url, settings, &probe);
                    queue.release(&host);
                    results
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)[i] = Some(report);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .zip(links)
        .map(|(r, link)| {
            r.unwrap_or_else(|| Report {
                url: link.url.clone(),
                outcome: Outcome::Failed {
                    reason: "not checked".into(),
                },
                attempts: 0,
            })
        })
        .collect()
}

fn attempt<P: Fn(&str) -> Outcome>(url: &str, settings: &Settings, probe: &P) -> Report {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let outcome = probe(url);
        if !outcome.is_transient() || attempts > settings.retries {
            return Report {
                url: url.to_string(),
                outcome,
                attempts,
            };
        }
        std::thread::sleep(settings.backoff * attempts);
    }
}

/// URLs waiting to be checked and how many requests each host has in flight.
struct Queue {
    state: Mutex<QueueState>,
    changed: Condvar,
    per_host: usize,
}

struct QueueState {
    pending: VecDeque<usize>,
    active: HashMap<String, usize>,
}

impl Queue {
    /// The next link whose host has a free slot, waiting for one if every
    /// pending link's host is busy; None when nothing is left.
    fn take(&self, links: &[ExternalLink]) -> Option<(usize, String)> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loop {
            if state.pending.is_empty() {
                return None;
            }
            let free = state.pending.iter().position(|&i| {
                let host = host_of(&links[i].url);
                state.active.get(host).copied().unwrap_or(0) < self.per_host
            });
            if let Some(pos) = free {
                let i = state.pending.remove(pos)?;
                let host = host_of(&links[i].url).to_string();
                *state.active.entry(host.clone()).or_default() += 1;
                return Some((i, host));
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    fn release(&self, host: &str) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = state.active.get_mut(host) {
            *n = n.saturating_sub(1);
        }
        drop(state);
        self.changed.notify_all();
    }
}

/// `host:port` of a URL, lower-case, without user info: the unit the
/// per-host limit counts.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

fn agent(settings: &Settings) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        // 4xx and 5xx are answers to report, not errors to unwrap.
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!(
            "handbook/",
            env!("CARGO_PKG_VERSION"),
            " (link checker)"
        ))
        .build()
        .into()
}

/// One attempt: HEAD, then GET if the server answered HEAD with an error.
fn probe(agent: &ureq::Agent, url: &str) -> Outcome {
    match request(agent.head(url).call()) {
        Outcome::Broken { .. } => request(agent.get(url).call()),
        other => other,
    }
}

fn request(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Outcome {
    use ureq::ResponseExt;
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let final_url = response.get_uri().to_string();
            if status < 400 {
                Outcome::Ok { status, final_url }
            } else {
                Outcome::Broken { status, final_url }
            }
        }
        Err(ureq::Error::Timeout(_)) => Outcome::Timeout,
        Err(e) => Outcome::Failed {
            reason: e.to_string(),
        },
    }
}

/// One error per use of each link that did not answer well.
pub(crate) fn diagnostics(
    links: &[ExternalLink],
    reports: &[Report],
    settings: &Settings,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (link, report) in links.iter().zip(reports) {
        let (message, hint) = match &report.outcome {
            Outcome::Ok { .. } | Outcome::Ignored { .. } => continue,
            Outcome::Broken { status, final_url } => {
                let via = if final_url.trim_end_matches('/') != link.url.trim_end_matches('/') {
                    format!(" (redirected to {final_url})")
                } else {
                    String::new()
                };
                (
                    format!("external link `{}` answers {status}{via}", link.url),
                    if *status == 404 || *status == 410 {
                        "the page is gone: update the link or remove it".to_string()
                    } else {
                        "if the site blocks link checkers, skip it with `ignore = [\"pattern\"]` under [links] in site.toml".to_string()
                    },
                )
            }
            Outcome::Timeout => (
                format!(
                    "external link `{}` did not answer within {} s ({} attempt{})",
                    link.url,
                    settings.timeout.as_secs_f64(),
                    report.attempts,
                    if report.attempts == 1 { "" } else { "s" }
                ),
                "raise --timeout, or skip the URL with `ignore = [\"pattern\"]` under [links] in site.toml".to_string(),
            ),
            Outcome::Failed { reason } => (
                format!("external link `{}` could not be reached: {reason}", link.url),
                "check the host name, or skip the URL with `ignore = [\"pattern\"]` under [links] in site.toml".to_string(),
            ),
        };
        for u in &link.uses {
            out.push(
                Diagnostic::error(Code::ExternalLink, &u.path, message.clone())
                    .at(u.line, Some(u.col))
                    .hint(hint.clone()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn links(urls: &[&str]) -> Vec<ExternalLink> {
        urls.iter()
            .map(|u| ExternalLink {
                url: u.to_string(),
                uses: vec![Use {
                    path: "content/a.md".into(),
                    line: 1,
                    col: 1,
                }],
            })
            .collect()
    }

    fn fast() -> Settings {
        Settings {
            backoff: Duration::ZERO,
            ..Settings::default()
        }
    }

    #[test]
    fn host_of_keeps_port_and_drops_user_info() {
        assert_eq!(host_of("https://a.example/x?y"), "a.example");
        assert_eq!(host_of("http://127.0.0.1:8080/slow"), "127.0.0.1:8080");
        assert_eq!(host_of("https://me@b.example#top"), "b.example");
    }

    #[test]
    fn per_host_limit_is_never_exceeded() {
        let urls: Vec<String> = (0..12)
            .map(|i| format!("https://{}.example/{i}", i % 2))
            .collect();
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let in_flight: Vec<AtomicUsize> = (0..2).map(|_| AtomicUsize::new(0)).collect();
        let peak = AtomicUsize::new(0);
        let reports = check_with(&links(&urls), &[], &fast(), |url| {
            let h = usize::from(url.contains("//1."));
            let now = in_flight[h].fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            in_flight[h].fetch_sub(1, Ordering::SeqCst);
            Outcome::Ok {
                status: 200,
                final_url: url.into(),
            }
        });
        assert_eq!(reports.len(), 12);
        assert!(reports
            .iter()
            .all(|r| matches!(r.outcome, Outcome::Ok { .. })));
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn transient_failures_are_retried_and_client_errors_are_not() {
        let calls = Mutex::new(HashMap::<String, u32>::new());
        let reports = check_with(
            &links(&["https://a.example/flaky", "https://a.example/gone"]),
            &[],
            &fast(),
            |url| {
                let mut c = calls.lock().unwrap();
                let n = c.entry(url.to_string()).or_default();
                *n += 1;
                let status = if url.ends_with("gone") {
                    404
                } else if *n < 3 {
                    503
                } else {
                    200
                };
                let final_url = url.to_string();
                if status < 400 {
                    Outcome::Ok { status, final_url }
                } else {
                    Outcome::Broken { status, final_url }
                }
            },
        );
        assert_eq!(reports[0].attempts, 3);
        assert!(matches!(
            reports[0].outcome,
            Outcome::Ok { status: 200, .. }
        ));
        assert_eq!(reports[1].attempts, 1);
        assert!(matches!(
            reports[1].outcome,
            Outcome::Broken { status: 404, .. }
        ));
    }

    #[test]
    fn ignored_urls_are_never_requested() {
        let ignore = compile_ignore(&["^https://skip\\.example/".into()]);
        let reports = check_with(
            &links(&["https://skip.example/a", "https://keep.example/"]),
            &ignore,
            &fast(),
            |url| {
                assert!(!url.contains("skip"), "requested {url}");
                Outcome::Ok {
                    status: 200,
                    final_url: url.into(),
                }
            },
        );
        assert_eq!(
            reports[0].outcome,
            Outcome::Ignored {
                pattern: "^https://skip\\.example/".into()
            }
        );
        assert_eq!(reports[0].attempts, 0);
    }
}
