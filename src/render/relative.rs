//! Relative links, so a site built without `base_url` works opened from
//! disk (`public/index.html` in a browser, like mdBook's output) as well as
//! served from the root of a host.
//!
//! Rewrites the site-absolute `href`, `src`, `action`, `data-index` and
//! `data-nav-src` values of one rendered page to paths relative to that
//! page, adding `index.html` to folder URLs (a file browser does not). The
//! canonical link keeps its absolute form. Pages served at many paths (the
//! 404 page) and `handbook serve` are left absolute; so is everything when
//! `base_url` is set, since the host is then known.

use super::Renderer;

/// Attributes whose site-absolute values are rewritten.
const ATTRS: &[&str] = &[
    " href=\"/",
    " src=\"/",
    " action=\"/",
    " data-index=\"/",
    " data-nav-src=\"/",
];

impl Renderer<'_> {
    /// Whether this build writes relative links.
    pub(super) fn relative_links(&self) -> bool {
        !self.options.serve && !self.config().base_url_given
    }

    /// `html` (the page written at `path`) with relative links, when the
    /// build writes them.
    pub(super) fn localize(&self, path: &str, html: String) -> String {
        if self.relative_links() {
            relativize(&html, path)
        } else {
            html
        }
    }
}

/// Rewrites the site-absolute links of the page written at `page_path`
/// (`a/b/index.html`) relative to it.
pub(crate) fn relativize(html: &str, page_path: &str) -> String {
    let up = "../".repeat(page_path.matches('/').count());
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    // The next occurrence of each attribute at or after `pos`, found once
    // and looked for again only after it is passed: a page with thousands
    // of links is scanned once per attribute, not once per link.
    let find = |attr: &str, from: usize| html[from..].find(attr).map(|i| from + i);
    let mut next: Vec<Option<usize>> = ATTRS.iter().map(|a| find(a, 0)).collect();
    let mut pos = 0;
    while let Some((k, at)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, at)| at.map(|at| (k, at)))
        .min_by_key(|&(_, at)| at)
    {
        // Up to and including the opening quote; the value starts at `/`.
        let value_start = at + ATTRS[k].len() - 1;
        out.push_str(&html[pos..value_start]);
        let end = html[value_start..]
            .find('"')
            .map_or(html.len(), |i| value_start + i);
        let value = &html[value_start..end];
        let tag = &out[out.rfind('<').unwrap_or(0)..];
        let canonical = tag.contains("rel=\"canonical\"");
        if value.starts_with("//") || canonical {
            out.push_str(value);
        } else {
            out.push_str(&relative(value, &up));
        }
        pos = end;
        for (j, at) in next.iter_mut().enumerate() {
            if at.is_some_and(|at| at < pos) {
                *at = find(ATTRS[j], pos);
            }
        }
    }
    out.push_str(&html[pos..]);
    out
}

/// `/x/y/#f` seen from `up` (`../../`) → `../../x/y/index.html#f`.
fn relative(value: &str, up: &str) -> String {
    let path_end = value.find(['#', '?']).unwrap_or(value.len());
    let (path, suffix) = value.split_at(path_end);
    let path = path.trim_start_matches('/');
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    format!("{up}{file}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_relative_to_the_page_and_folders_get_index_html() {
        let html = r##"<link rel="canonical" href="/a/b/"><a href="/">Home</a><a href="/x/#f">X</a><img src="/img/a.png"><a href="//cdn.example/x">c</a><a href="https://e.example/">e</a><a href="#top">t</a>"##;
        assert_eq!(
            relativize(html, "a/b/index.html"),
            r##"<link rel="canonical" href="/a/b/"><a href="../../index.html">Home</a><a href="../../x/index.html#f">X</a><img src="../../img/a.png"><a href="//cdn.example/x">c</a><a href="https://e.example/">e</a><a href="#top">t</a>"##
        );
        assert_eq!(
            relativize(r#"<a href="/style.css">"#, "index.html"),
            r#"<a href="style.css">"#
        );
    }
}
