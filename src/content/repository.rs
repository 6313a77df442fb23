//! The repository around a content subfolder, in zero config.
//!
//! When zero config picks a subfolder as the content (`content/`, or
//! Jekyll's `source:`), the repository's other markdown files (the root
//! `README.md`, `CONTRIBUTING.md`, a `docs/` folder) are published too, as
//! pages under one folder of the site, `repository/` (`repository-2/`, … if
//! the content already has a top-level entry of that name), so no URL can
//! collide with the content's. This module picks that folder, maps links
//! written as repository paths (`content/hiring.md` from the root README,
//! `../README.md` from a content page) to pages, and shows skipped paths
//! relative to the root. The walk itself is `walk::walk_repository`. It does
//! nothing when a `site.toml` exists, `--content` was given, or the content
//! is the root.

use super::page::Skipped;
use super::paths::normalize;
use super::slug::slugify;
use crate::config::Config;

/// The folder the repository's files are published under, if they are.
/// `content` holds the content's paths, relative to it.
pub(crate) fn prefix<'a>(
    config: &Config,
    content: impl Iterator<Item = &'a str>,
) -> Option<String> {
    if !config.content_auto || content_dir(config).is_empty() {
        return None;
    }
    let root = config.root.canonicalize().ok()?;
    if config.content_path().canonicalize().ok()? == root {
        return None;
    }
    // Top-level names of the content as they slug (a page `Repository.md`
    // and a folder `repository/` both take `/repository/`).
    let taken: std::collections::HashSet<String> = content
        .map(|rel| {
            let first = rel.split('/').next().unwrap_or(rel);
            let stem = if rel.contains('/') {
                first
            } else {
                first.rsplit_once('.').map_or(first, |(s, _)| s)
            };
            slugify(stem)
        })
        .collect();
    (1..)
        .map(|n| match n {
            1 => "repository".to_string(),
            n => format!("repository-{n}"),
        })
        .find(|p| !taken.contains(p))
}

/// The content folder relative to the root, `/`-separated, without `./`.
fn content_dir(config: &Config) -> String {
    clean(&config.content_dir)
        .replace('\\', "/")
        .trim_matches('/')
        .to_string()
}

/// The content path a relative link `dest` (already decoded) written in the
/// page `from` names, reading both as paths in the repository: None when it
/// climbs above the repository's root. Only used when the repository's
/// files are published (`config.repository`).
pub(crate) fn join(config: &Config, prefix: &str, from: &str, dest: &str) -> Option<String> {
    let content = content_dir(config);
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let repo_dir = match dir.strip_prefix(prefix) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            rest.trim_start_matches('/').to_string()
        }
        _ if dir.is_empty() => content.clone(),
        _ => format!("{content}/{dir}"),
    };
    let joined = if repo_dir.is_empty() {
        dest.to_string()
    } else {
        format!("{repo_dir}/{dest}")
    };
    let norm = normalize(&joined)?;
    if norm == content || norm == format!("{content}/") {
        return Some(String::new());
    }
    Some(
        match norm
            .strip_prefix(&content)
            .and_then(|r| r.strip_prefix('/'))
        {
            Some(inside) => inside.to_string(),
            None if norm.is_empty() => format!("{prefix}/"),
            None => format!("{prefix}/{norm}"),
        },
    )
}

/// A path as `/`-separated text without `./` segments.
fn clean(p: &std::path::Path) -> String {
    p.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// With the repository published, skipped paths are shown relative to the
/// root (`Gemfile`, `src/app.js`), since they come from both walks.
pub(crate) fn root_relative_skips(config: &Config, skipped: &mut [Skipped]) {
    if config.repository.is_none() {
        return;
    }
    for s in skipped {
        let slash = if s.rel.ends_with('/') { "/" } else { "" };
        let path = config.source_rel(s.rel.trim_end_matches('/'));
        s.rel = format!("{}{slash}", clean(&path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let mut c = Config::default_for(std::path::Path::new("/site"));
        c.content_dir = "src".into();
        c
    }

    #[test]
    fn links_cross_between_the_content_and_the_repository() {
        let c = config();
        let j = |from: &str, dest: &str| join(&c, "repository", from, dest);
        assert_eq!(
            j("repository/README.md", "src/hiring.md").as_deref(),
            Some("hiring.md")
        );
        assert_eq!(j("repository/README.md", "./src/").as_deref(), Some(""));
        assert_eq!(
            j("repository/docs/a.md", "../README.md").as_deref(),
            Some("repository/README.md")
        );
        assert_eq!(
            j("team/a.md", "../../README.md").as_deref(),
            Some("repository/README.md")
        );
        assert_eq!(j("team/a.md", "b.md").as_deref(), Some("team/b.md"));
        assert_eq!(j("a.md", "../docs/").as_deref(), Some("repository/docs/"));
        assert_eq!(j("a.md", "../../etc/passwd"), None);
    }
}
