//! Link resolution: what a link written in markdown points at on the site.
//!
//! Authors write links the way GitHub renders them: relative paths to `.md`
//! files, to folders, to images, with `#fragments` and `%20`-encoded or
//! plain spaces. `Resolver::resolve` maps each to the output URL (with the
//! base path) and to the page it targets, so fragments can be checked once
//! every page's ids are known. Pure: it reads the site model, never the disk.

pub use crate::content::paths::normalize;
use crate::content::slug::{decode_percent, encode_path};
use crate::content::{LinkTarget, Site};
use crate::diagnostic::Code;

/// What a link written in markdown becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// External (`https:`, `mailto:`, `//host`) or otherwise not ours: keep it.
    Keep,
    /// An internal link, rewritten.
    Internal {
        /// The URL written into the page.
        href: String,
        /// What it points at, when it is part of the site.
        target: Option<LinkTarget>,
        /// The `#fragment`, to check against the target's heading ids.
        fragment: Option<String>,
    },
    /// A link that should be internal but points at nothing.
    Broken {
        /// `LinkOutsideContent` or `BrokenLink` (a missing image is told
        /// apart where the diagnostic is made).
        code: Code,
        /// What is wrong, for the diagnostic.
        reason: String,
        /// How to fix it, when there is a likely fix.
        hint: Option<String>,
    },
    /// A `javascript:`-style URL, dropped from the output.
    Unsafe,
}

/// Resolves links written in one site's pages to output URLs.
pub struct Resolver<'a> {
    pub(crate) site: &'a Site,
    pub(crate) base_path: &'a str,
}

impl<'a> Resolver<'a> {
    /// A resolver for the pages of `site`.
    pub fn new(site: &'a Site) -> Self {
        Resolver {
            site,
            base_path: site.config.base_path(),
        }
    }

    /// The href for a site-relative URL path (`roles/x/` → `/base/roles/x/`).
    pub(crate) fn href(&self, url: &str) -> String {
        format!("{}{}", self.base_path, encode_path(url))
    }

    /// Resolves `dest` as written in the page whose source is `from`
    /// (`from_page` is that page's target, for same-page `#fragment` links).
    pub fn resolve(&self, from: &str, from_page: Option<LinkTarget>, dest: &str) -> Resolution {
        let dest = dest.trim();
        if dest.is_empty() {
            return Resolution::Keep;
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            return Resolution::Internal {
                href: dest.to_string(),
                target: from_page,
                fragment: Some(decode_percent(fragment)),
            };
        }
        if let Some(scheme) = scheme_of(dest) {
            let s = scheme.to_ascii_lowercase();
            if s == "javascript"
                || s == "vbscript"
                || (s == "data" && !dest[5..].trim_start().starts_with("image/"))
            {
                return Resolution::Unsafe;
            }
            return Resolution::Keep;
        }
        if dest.starts_with("//") {
            return Resolution::Keep;
        }
        let (rest, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        if path.is_empty() {
            return Resolution::Keep;
        }
        let decoded = decode_percent(path);
        let repository = self.site.config.repository.as_deref();
        let joined = if let Some(abs) = decoded.strip_prefix('/') {
            // Site-absolute: relative to the content root, or a URL that
            // already carries the base path.
            let base = self.base_path.trim_start_matches('/');
            match abs.strip_prefix(base).filter(|_| !base.is_empty()) {
                Some(stripped)
                    if self
                        .lookup(&normalize(stripped).unwrap_or_default())
                        .is_some() =>
                {
                    stripped.to_string()
                }
                _ => abs.to_string(),
            }
        } else {
            let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
            if dir.is_empty() {
                decoded.clone()
            } else {
                format!("{dir}/{decoded}")
            }
        };
        let norm = match repository {
            // Relative links read as repository paths: the root README's
            // `content/hiring.md`, a page's `../CONTRIBUTING.md`.
            Some(prefix) if !decoded.starts_with('/') => {
                crate::content::repository::join(&self.site.config, prefix, from, &decoded)
            }
            // `/x` is the site's root first; failing that, the repository's
            // root, as GitHub reads it (`/content/hiring.md`, `/README.md`).
            Some(prefix) => normalize(&joined)
                .filter(|n| self.lookup(n).is_some())
                .or_else(|| {
                    let from_root = format!("{prefix}/README.md");
                    let rel = decoded.trim_start_matches('/');
                    crate::content::repository::join(&self.site.config, prefix, &from_root, rel)
                })
                .or_else(|| normalize(&joined)),
            _ => normalize(&joined),
        };
        let Some(norm) = norm else {
            return Resolution::Broken {
                code: Code::LinkOutsideContent,
                reason: format!("link `{dest}` points outside the content folder"),
                hint: Some("link to a page inside the handbook, or use a full https:// URL".into()),
            };
        };
        let target = self.lookup(&norm);
        let url = match target {
            Some(t) => self.site.target_url(t).to_string(),
            None => {
                let as_dir = format!("{}/", norm.trim_end_matches('/'));
                if self.site.index.generated.contains(&norm) {
                    norm.clone()
                } else if self.site.index.generated.contains(&as_dir) {
                    as_dir
                } else if self.site.index.failed.contains(&norm) {
                    norm.clone()
                } else if self.site.index.drafts.contains(&norm) {
                    return Resolution::Broken {
                        code: Code::BrokenLink,
                        reason: format!(
                            "link `{dest}` points at a draft page, which this build leaves out"
                        ),
                        hint: Some(
                            "publish the page (draft = false) or build with --drafts".into(),
                        ),
                    };
                } else {
                    let hint = self.case_hint(&norm);
                    return Resolution::Broken {
                        code: Code::BrokenLink,
                        reason: format!(
                            "link `{dest}` points at nothing: no page, folder or file `{norm}`"
                        ),
                        hint,
                    };
                }
            }
        };
        let mut href = self.href(&url);
        if let Some(q) = query {
            href.push('?');
            href.push_str(q);
        }
        if let Some(f) = fragment {
            href.push('#');
            href.push_str(f);
        }
        Resolution::Internal {
            href,
            target,
            fragment: fragment.filter(|f| !f.is_empty()).map(decode_percent),
        }
    }

    fn lookup(&self, norm: &str) -> Option<LinkTarget> {
        let idx = &self.site.index;
        let trimmed = norm.trim_end_matches('/');
        if let Some(&p) = idx.pages.get(trimmed) {
            let page = &self.site.pages[p];
            if page.is_index {
                return Some(LinkTarget::Section(page.section));
            }
            return Some(LinkTarget::Page(p));
        }
        if let Some(&s) = idx.sections.get(trimmed) {
            return Some(LinkTarget::Section(s));
        }
        if let Some(&a) = idx.assets.get(trimmed) {
            return Some(LinkTarget::Asset(a));
        }
        let trimmed_index = trimmed.strip_suffix("index.html").unwrap_or(trimmed);
        let as_url = if trimmed_index.is_empty() || trimmed_index.ends_with('/') {
            trimmed_index.to_string()
        } else {
            format!("{trimmed_index}/")
        };
        // `about.html` is how Jekyll sites (and their `redirect_from`) name
        // the page at `about/`.
        let without_html = trimmed_index
            .strip_suffix(".html")
            .filter(|s| !s.is_empty() && !s.ends_with('/'))
            .map(|s| format!("{s}/"));
        idx.urls
            .get(&as_url)
            .or_else(|| idx.urls.get(trimmed))
            .or_else(|| without_html.and_then(|u| idx.urls.get(&u)))
            .copied()
    }

    /// GitHub is case-sensitive, but authors on macOS often are not.
    fn case_hint(&self, norm: &str) -> Option<String> {
        let lower = norm.to_lowercase();
        let idx = &self.site.index;
        idx.pages
            .keys()
            .chain(idx.assets.keys())
            .chain(idx.sections.keys())
            .find(|k| k.to_lowercase() == lower)
            .map(|k| format!("file names are case-sensitive: did you mean `{k}`?"))
    }
}

/// `https` for `https://…`; None for paths (a `:` after `/`, `?` or `#`
/// does not make a scheme).
fn scheme_of(dest: &str) -> Option<&str> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_stays_inside() {
        assert_eq!(normalize("a/b/../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("./a/./b/").as_deref(), Some("a/b/"));
        assert_eq!(normalize("a/../../etc/passwd"), None);
    }

    #[test]
    fn schemes_are_recognised() {
        assert_eq!(scheme_of("https://x"), Some("https"));
        assert_eq!(scheme_of("mailto:a@b"), Some("mailto"));
        assert_eq!(scheme_of("a/b:c.md"), None);
        assert_eq!(scheme_of("JavaScript:alert(1)"), Some("JavaScript"));
    }
}
