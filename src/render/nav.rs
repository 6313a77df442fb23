//! The sidebar: the navigation tree for a page, shared per section (the
//! current page is marked on a copy), rendered once per section with the
//! theme's `partials/nav.html`, and on large sites written once as
//! `_nav.html` for every page to load. Also breadcrumbs.

use super::views::*;
use super::{Renderer, Vars, NAV_FILE, NAV_PARTIAL, NAV_SECTION_LIMIT};
use crate::diagnostic::Diagnostic;
use crate::output::{Output, OutputFile};

/// Why serialising the navigation cannot fail: its views are plain data
/// with string keys.
const NAV_JSON: &str = "navigation views are plain data with string keys";

/// How many top-level sections the compact sidebar of a large site lists
/// (the ones nearest the open one); the rest are behind a "more" link.
const COMPACT_NAV_TOP: usize = 25;

/// How many sub-sections of one section the compact sidebar lists, nearest
/// the open one, in order; a "more" link leads to the section's page, which
/// lists them all.
const COMPACT_NAV_WINDOW: usize = 10;

/// The range of `len` entries a window of `width` shows: all of them if
/// they fit, else `width` in a row with `open` as near the middle as the
/// ends allow (the first `width` when none is open).
fn window(len: usize, open: Option<usize>, width: usize) -> std::ops::Range<usize> {
    if len <= width {
        return 0..len;
    }
    let start = open
        .map_or(0, |i| i.saturating_sub(width / 2))
        .min(len - width);
    start..start + width
}

/// Whether a nav tree has an item linking to `href`.
pub(super) fn contains_url(items: &serde_json::Value, href: &str) -> bool {
    items.as_array().is_some_and(|list| {
        list.iter().any(|item| {
            item.get("url").and_then(|u| u.as_str()) == Some(href)
                || item.get("children").is_some_and(|c| contains_url(c, href))
        })
    })
}

/// Sets `current` (and `active`) on the nav item whose URL is `href`.
pub(super) fn mark_current(items: &mut serde_json::Value, href: &str) -> bool {
    let Some(list) = items.as_array_mut() else {
        return false;
    };
    for item in list {
        if item.get("url").and_then(|u| u.as_str()) == Some(href) {
            item["current"] = serde_json::Value::Bool(true);
            item["active"] = serde_json::Value::Bool(true);
            return true;
        }
        if let Some(children) = item.get_mut("children") {
            if mark_current(children, href) {
                return true;
            }
        }
    }
    false
}

impl Renderer<'_> {
    /// Frees the sidebar caches of a section whose pages are rendered.
    pub(super) fn release_section(&self, section: usize) {
        self.nav_cache.release(section);
        self.nav_html_cache.release(section);
    }

    /// The sidebar as a template value. Every page of a section shares one
    /// tree (built and serialized once per section); only the `current`
    /// mark differs, so it is set on a copy. Pages past the sidebar limit of
    /// a large section are not in the shared tree and get their own.
    pub(super) fn nav_value(&self, section: usize, current_url: &str) -> serde_json::Value {
        let listed = self.site.sections[section]
            .pages
            .iter()
            .take(NAV_SECTION_LIMIT)
            .any(|&p| self.site.pages[p].url == current_url)
            || self.site.sections[section].url == current_url
            || !self.site.sections[section]
                .pages
                .iter()
                .any(|&p| self.site.pages[p].url == current_url);
        if !listed {
            return serde_json::to_value(self.nav(section, current_url)).expect(NAV_JSON);
        }
        let shared = self.nav_cache.get_or_init(section, || {
            serde_json::to_value(self.nav(section, "\u{0}")).expect(NAV_JSON)
        });
        let mut value = (*shared).clone();
        mark_current(&mut value, &self.href(current_url));
        value
    }

    /// The theme's `partials/nav.html` rendered for this page. It is
    /// rendered once per section and shared: the current page's link gets
    /// `aria-current="page"` added to its `href` here. (Every variable
    /// lookup costs tera about a microsecond and a sidebar needs hundreds,
    /// so rendering it per page was the largest part of a page's cost.)
    pub(super) fn nav_html(
        &self,
        section: usize,
        current_url: &str,
        nav: &serde_json::Value,
    ) -> Result<Option<String>, Diagnostic> {
        if !self.theme.templates.contains_key(NAV_PARTIAL) {
            return Ok(None);
        }
        let href = self.href(current_url);
        let shared = self
            .nav_cache
            .get(section)
            .is_some_and(|v| contains_url(&v, &href));
        if !shared {
            return self.render_nav_partial(nav.clone(), &href).map(Some);
        }
        let html = self.section_nav_html(section)?;
        let needle = format!("href=\"{}\"", crate::escape::escape_attr(&href));
        Ok(Some(match html.find(&needle) {
            Some(i) => {
                let end = i + needle.len();
                format!("{} aria-current=\"page\"{}", &html[..end], &html[end..])
            }
            None => html,
        }))
    }

    /// `partials/nav.html` rendered with a nav tree.
    fn render_nav_partial(
        &self,
        nav: serde_json::Value,
        current: &str,
    ) -> Result<String, Diagnostic> {
        let mut vars = Vars::default();
        vars.0.insert("site".into(), self.site_value.clone());
        vars.0.insert("nav".into(), nav);
        vars.insert("current_url", current);
        self.render_template(NAV_PARTIAL, vars)
    }

    /// The shared sidebar HTML of a section: `partials/nav.html` rendered
    /// once with no page marked as current.
    pub(super) fn section_nav_html(&self, section: usize) -> Result<String, Diagnostic> {
        let html = self.nav_html_cache.get_or_init(section, || {
            let nav = self.nav_cache.get_or_init(section, || {
                serde_json::to_value(self.nav(section, "\u{0}")).expect(NAV_JSON)
            });
            self.render_nav_partial((*nav).clone(), "")
        });
        (*html).clone()
    }

    /// On large sites, writes the one shared sidebar, `_nav.html`: every
    /// section (pages are listed on their section pages), rendered with the
    /// theme's `partials/nav.html`. The theme's script loads it and opens the
    /// branch that leads to the current page.
    pub(super) fn nav_fragments(&self, output: &mut Output) -> Result<(), Diagnostic> {
        if !self.shared_nav {
            return Ok(());
        }
        let mut sections = vec![NavItem::leaf("Home", self.href(""))];
        sections.extend(self.section_tree(0));
        if !self.site_view.careers.is_empty() {
            let mut careers = NavItem::leaf("Careers", self.site_view.careers[0].url.clone());
            careers.children = self
                .site_view
                .careers
                .iter()
                .map(|c| NavItem::leaf(c.title.clone(), c.url.clone()))
                .collect();
            sections.push(careers);
        }
        let tree = serde_json::to_value(sections).expect(NAV_JSON);
        let html = self.render_nav_partial(tree, "")?;
        output.insert(NAV_FILE, OutputFile::bytes(html));
        Ok(())
    }

    /// On large sites, the sidebar each page carries for readers without
    /// JavaScript (the script swaps in `_nav.html`): Home and the sections,
    /// the branch down to the current page open, and the current page
    /// itself marked. No other pages, and at each level only a window of
    /// sections around the open one (`COMPACT_NAV_TOP` at the top,
    /// `COMPACT_NAV_WINDOW` below) with a "more" link to the section that
    /// lists them all, so a page's size does not grow with the site.
    pub(super) fn compact_nav(&self, section: usize, current_url: &str) -> Vec<NavItem> {
        let chain = self.site.ancestors(section);
        let mut home = NavItem::leaf("Home", self.href(""));
        home.current = current_url.is_empty();
        home.active = home.current;
        let mut items = vec![home];
        let (top, hidden) = self.compact_children(0, &chain, current_url, COMPACT_NAV_TOP);
        items.extend(top);
        if hidden > 0 {
            // The top level has no parent item to carry the count: a last
            // link to the home page, which lists every section.
            items.push(NavItem::leaf(
                format!("{hidden} more sections"),
                self.href(""),
            ));
        }
        items
    }

    /// The compact sidebar's entries under section `s` (a window of its
    /// sub-sections, the open one open, and the current page if it is
    /// one of `s`'s pages) and how many sub-sections the window left out.
    fn compact_children(
        &self,
        s: usize,
        chain: &[usize],
        current_url: &str,
        width: usize,
    ) -> (Vec<NavItem>, usize) {
        let site = self.site;
        let sec = &site.sections[s];
        let open = sec.subsections.iter().position(|sub| chain.contains(sub));
        let shown = window(sec.subsections.len(), open, width);
        let hidden = sec.subsections.len() - shown.len();
        let mut items: Vec<NavItem> = sec.subsections[shown]
            .iter()
            .map(|&sub| {
                let active = chain.contains(&sub);
                let (children, more) = if active {
                    self.compact_children(sub, chain, current_url, COMPACT_NAV_WINDOW)
                } else {
                    (Vec::new(), 0)
                };
                NavItem {
                    title: site.sections[sub].title.clone(),
                    url: self.href(&site.sections[sub].url),
                    active,
                    current: site.sections[sub].url == current_url,
                    children,
                    more,
                }
            })
            .collect();
        if let Some(&p) = sec
            .pages
            .iter()
            .find(|&&p| site.pages[p].url == current_url)
        {
            let mut page = NavItem::leaf(site.pages[p].title.clone(), self.href(current_url));
            page.current = true;
            page.active = true;
            items.push(page);
        }
        (items, hidden)
    }

    /// The compact sidebar as a template value (`nav` on large sites)
    /// and rendered with the theme's sidebar partial (`nav_html`).
    pub(super) fn compact_nav_value(
        &self,
        section: usize,
        current_url: &str,
    ) -> Result<(serde_json::Value, String), Diagnostic> {
        let tree = serde_json::to_value(self.compact_nav(section, current_url)).expect(NAV_JSON);
        let html = self.render_nav_partial(tree.clone(), &self.href(current_url))?;
        Ok((tree, html))
    }

    /// All sections below `s`, without their pages.
    pub(super) fn section_tree(&self, s: usize) -> Vec<NavItem> {
        self.site.sections[s]
            .subsections
            .iter()
            .map(|&c| {
                let sec = &self.site.sections[c];
                let mut item = NavItem::leaf(sec.title.clone(), self.href(&sec.url));
                item.children = self.section_tree(c);
                item
            })
            .collect()
    }

    /// The sidebar for a page in section `section`: top-level entries, with
    /// the branch leading to the current page expanded.
    pub(super) fn nav(&self, section: usize, current_url: &str) -> Vec<NavItem> {
        let chain = self.site.ancestors(section);
        self.nav_children(0, &chain, current_url)
    }

    pub(super) fn nav_children(
        &self,
        s: usize,
        chain: &[usize],
        current_url: &str,
    ) -> Vec<NavItem> {
        let site = self.site;
        let sec = &site.sections[s];
        let mut items = Vec::new();
        for &sub in &sec.subsections {
            let subsec = &site.sections[sub];
            let active = chain.contains(&sub);
            let (children, more) = if active {
                let kids = self.nav_children(sub, chain, current_url);
                let more = subsec.pages.len().saturating_sub(NAV_SECTION_LIMIT);
                (kids, more)
            } else {
                (Vec::new(), 0)
            };
            items.push(NavItem {
                title: subsec.title.clone(),
                url: self.href(&subsec.url),
                active,
                current: subsec.url == current_url,
                children,
                more,
            });
        }
        // Pages of this section: capped, but the current page always shows.
        let limit = NAV_SECTION_LIMIT;
        for (n, &p) in sec.pages.iter().enumerate() {
            let page = &site.pages[p];
            let current = page.url == current_url;
            // `nav_exclude: true` pages stay out of the sidebar unless open.
            if (n >= limit || page.nav_hidden) && !current {
                continue;
            }
            items.push(NavItem {
                title: page.title.clone(),
                url: self.href(&page.url),
                active: current,
                current,
                children: Vec::new(),
                more: 0,
            });
        }
        items
    }

    pub(super) fn breadcrumbs(&self, section: usize, include_self: bool) -> Vec<LinkView> {
        let chain = self.site.ancestors(section);
        let n = chain.len();
        chain
            .into_iter()
            .enumerate()
            .filter(|(i, _)| include_self || *i + 1 < n)
            .map(|(_, s)| LinkView {
                title: self.site.sections[s].title.clone(),
                url: self.href(&self.site.sections[s].url),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn window_keeps_the_open_entry_near_the_middle_and_inside_the_ends() {
        let check = |len, open, width, expected: std::ops::Range<usize>| {
            assert_eq!(window(len, open, width), expected, "{len} {open:?} {width}");
        };
        check(5, Some(4), 10, 0..5);
        check(10, None, 10, 0..10);
        check(250, None, 10, 0..10);
        check(250, Some(0), 10, 0..10);
        check(250, Some(3), 10, 0..10);
        check(250, Some(100), 10, 95..105);
        check(250, Some(249), 10, 240..250);
        check(250, Some(246), 10, 240..250);
        check(11, Some(10), 10, 1..11);
    }
}
