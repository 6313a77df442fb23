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
    /// itself marked. No other pages, so it stays small.
    pub(super) fn compact_nav(&self, section: usize, current_url: &str) -> Vec<NavItem> {
        let chain = self.site.ancestors(section);
        let mut home = NavItem::leaf("Home", self.href(""));
        home.current = current_url.is_empty();
        home.active = home.current;
        let mut items = vec![home];
        items.extend(self.compact_children(0, &chain, current_url));
        items
    }

    fn compact_children(&self, s: usize, chain: &[usize], current_url: &str) -> Vec<NavItem> {
        let site = self.site;
        let sec = &site.sections[s];
        let mut items: Vec<NavItem> = sec
            .subsections
            .iter()
            .map(|&sub| {
                let active = chain.contains(&sub);
                NavItem {
                    title: site.sections[sub].title.clone(),
                    url: self.href(&site.sections[sub].url),
                    active,
                    current: site.sections[sub].url == current_url,
                    children: if active {
                        self.compact_children(sub, chain, current_url)
                    } else {
                        Vec::new()
                    },
                    more: 0,
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
        items
    }

    /// `compact_nav` rendered with the theme's sidebar partial.
    pub(super) fn compact_nav_html(
        &self,
        section: usize,
        current_url: &str,
    ) -> Result<String, Diagnostic> {
        if !self.theme.templates.contains_key(NAV_PARTIAL) {
            return Ok(String::new());
        }
        let tree = serde_json::to_value(self.compact_nav(section, current_url)).expect(NAV_JSON);
        self.render_nav_partial(tree, &self.href(current_url))
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
