//! "Last updated" dates from git history: one `git log` for the whole
//! content folder, not one per page (which would be slow on big handbooks).
//!
//! Returns nothing (and the theme falls back to file times) when the folder
//! is not in a git repository or git is not installed.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::date::Date;

/// `git log` started in the background (`start`); `dates` waits for it.
pub(crate) struct Pending(Option<std::thread::JoinHandle<HashMap<String, Date>>>);

/// Starts `last_commit_dates` on its own thread, so the `git` process runs
/// while the content folder is walked and read. A plain thread, not a
/// rayon worker: waiting for git must not take a core away from reading
/// pages and compiling templates.
pub(crate) fn start(content: &Path) -> Pending {
    let content = content.to_path_buf();
    Pending(
        std::thread::Builder::new()
            .name("git-dates".into())
            .spawn(move || last_commit_dates(&content))
            .ok(),
    )
}

impl Pending {
    /// The dates, once `git log` has finished (none if it failed). On a
    /// rayon worker (a load beside the theme's compilation) the worker
    /// takes the pool's other jobs while git runs instead of blocking.
    pub(crate) fn dates(self) -> HashMap<String, Date> {
        let Some(thread) = self.0 else {
            return HashMap::new();
        };
        if rayon::current_thread_index().is_some() {
            while !thread.is_finished() {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
            }
        }
        thread.join().unwrap_or_default()
    }
}

/// Date of the last commit that touched each file, keyed by path relative
/// to `content` (`/`-separated).
pub(crate) fn last_commit_dates(content: &Path) -> HashMap<String, Date> {
    let out = Command::new("git")
        .arg("-C")
        .arg(content)
        .args([
            "log",
            "--relative",
            "--name-only",
            "--no-renames",
            "--format=%x00%ct",
            "--",
            ".",
        ])
        .output();
    let Ok(out) = out else { return HashMap::new() };
    if !out.status.success() {
        return HashMap::new();
    }
    parse_log(&String::from_utf8_lossy(&out.stdout))
}

/// Parses `git log --name-only --format=%x00%ct` output. Newest commits come
/// first, so the first date seen for a file is its last change.
fn parse_log(log: &str) -> HashMap<String, Date> {
    let mut dates = HashMap::new();
    for commit in log.split('\0').filter(|c| !c.trim().is_empty()) {
        let mut lines = commit.lines();
        let Some(secs) = lines.next().and_then(|l| l.trim().parse::<i64>().ok()) else {
            continue;
        };
        let date = Date::from_days(secs.div_euclid(86_400));
        for file in lines.map(str::trim).filter(|l| !l.is_empty()) {
            let file = unquote(file);
            dates.entry(file).or_insert(date);
        }
    }
    dates
}

/// git quotes paths with unusual characters ("a\303\251.md"); undo that.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut bytes = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = chars.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        chars.next();
                    }
                }
                bytes.push(v as u8);
            }
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_commit_wins_and_quoted_paths_are_decoded() {
        let log = "\u{0}1767225600\n\nroles/a.md\n\"caf\\303\\251.md\"\n\u{0}1700000000\n\nroles/a.md\nb.md\n";
        let d = parse_log(log);
        assert_eq!(d["roles/a.md"].to_string(), "2026-01-01");
        assert_eq!(d["café.md"].to_string(), "2026-01-01");
        assert_eq!(d["b.md"].to_string(), "2023-11-14");
    }
}
