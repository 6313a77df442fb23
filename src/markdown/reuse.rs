//! Markdown after an edit (`serve`): which pages must be rendered again and
//! which keep what the last build rendered, so that the result is what
//! rendering every page would give.
//!
//! A page's rendered markdown depends on its own text and on what its links
//! resolve to (hrefs, and the heading ids its `#fragments` are matched
//! against to fix their case). So a page is rendered again when its file
//! changed, when it is new or moved, when any of its links resolves to
//! something else in the new site, or when a link with a fragment points at
//! a page whose ids changed. Everything else is shared with the last build.
//! No IO: the caller says which sources changed on disk.

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use super::links::{Resolution, Resolver};
use super::{fragment_case, render, Rendered, Settings};
use crate::content::{LinkTarget, Site};

/// The last build's site and markdown, indexed alike.
pub(crate) struct Previous<'a> {
    pub(crate) site: &'a Site,
    pub(crate) rendered: &'a [Arc<Rendered>],
}

/// What `rerender` made.
pub(crate) struct Rerendered {
    /// Each page's rendered markdown, kept or made again.
    pub(crate) rendered: Vec<Arc<Rendered>>,
    /// How many pages were rendered again.
    pub(crate) fresh: usize,
    /// The pages, sections or files were numbered afresh (the targets
    /// recorded in kept pages' links are then positions in the old site).
    pub(crate) renumbered: bool,
    /// For each kept page, its position in the previous site: its
    /// rendering and the targets of all its links are as they were, so
    /// the last link check's problems for it still hold.
    pub(crate) kept_from: Vec<Option<usize>>,
}

/// Each page of `site` rendered, reusing `previous` where nothing the
/// page's markdown depends on changed. `changed` holds the sources read
/// again from disk.
pub(crate) fn rerender(
    previous: &Previous,
    site: &Site,
    changed: &HashSet<String>,
    settings: &Settings,
) -> Rerendered {
    let resolver = Resolver::new(site);
    // Title, weight or role edits leave every link target where it was:
    // then no link needs resolving again. Otherwise `Moves` says which.
    let links_hold = same_targets(previous.site, site);
    let moves = (!links_hold).then(|| Moves::new(previous.site, site));
    let render_page = |i: usize| {
        Arc::new(render(
            &site.pages[i],
            site.link_target_of(i),
            &resolver,
            settings,
        ))
    };
    let context = Context {
        previous,
        site,
        resolver: &resolver,
        changed,
        moves: moves.as_ref(),
    };
    let first: Vec<Result<Kept, Arc<Rendered>>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| context.keep(i).ok_or_else(|| render_page(i)))
        .collect();
    let ids_changed = ids_changed(previous, site, &first);
    let mut fresh: Vec<usize> = Vec::new();
    let mut kept_from = vec![None; first.len()];
    let rendered: Vec<Arc<Rendered>> = first
        .into_iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(kept)
                if !kept
                    .fragment_targets
                    .iter()
                    .any(|t| ids_changed.contains(t)) =>
            {
                kept_from[i] = Some(kept.from);
                kept.rendered
            }
            Ok(_) => {
                fresh.push(i);
                render_page(i)
            }
            Err(r) => {
                fresh.push(i);
                r
            }
        })
        .collect();
    let mut rendered = rendered;
    for &i in &fresh {
        fragment_case::fix_page(site, &mut rendered, i);
    }
    Rerendered {
        rendered,
        fresh: fresh.len(),
        renumbered: !links_hold,
        kept_from,
    }
}

/// Pages rendered again whose heading ids are not what they were: links
/// into them with a fragment may be fixed differently.
fn ids_changed(
    previous: &Previous,
    site: &Site,
    first: &[Result<Kept, Arc<Rendered>>],
) -> HashSet<usize> {
    first
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let fresh = r.as_ref().err()?;
            let same = previous
                .site
                .index
                .pages
                .get(&site.pages[i].source)
                .is_some_and(|&o| previous.rendered[o].ids == fresh.ids);
            (!same).then_some(i)
        })
        .collect()
}

/// A page's last rendering that still holds, where it was in the previous
/// site, and the pages its fragment links point at in the new site.
struct Kept {
    rendered: Arc<Rendered>,
    from: usize,
    fragment_targets: Vec<usize>,
}

/// What deciding whether a page keeps its rendering reads.
struct Context<'a> {
    previous: &'a Previous<'a>,
    site: &'a Site,
    resolver: &'a Resolver<'a>,
    changed: &'a HashSet<String>,
    moves: Option<&'a Moves>,
}

impl Context<'_> {
    /// Page `i`'s last rendering, if its file did not change, it kept its
    /// URL and every link resolves as it did.
    fn keep(&self, i: usize) -> Option<Kept> {
        let (previous, site) = (self.previous, self.site);
        let page = &site.pages[i];
        if self.changed.contains(&page.source) {
            return None;
        }
        let o = match self.moves {
            Some(moves) => moves.page_from[i]?,
            None => i,
        };
        let old = &previous.site.pages[o];
        if old.url != page.url || old.is_index != page.is_index {
            return None;
        }
        let last = &previous.rendered[o];
        let Some(moves) = self.moves else {
            return Some(Kept {
                rendered: Arc::clone(last),
                from: o,
                fragment_targets: fragment_targets(site, last),
            });
        };
        let me = site.link_target_of(i);
        let mut fragment_targets = Vec::new();
        for link in &last.links {
            let target = match moves.unmoved(&link.resolution, &link.dest) {
                Some(target) => target,
                None => {
                    let now = self.resolver.resolve(&page.source, Some(me), &link.dest);
                    if !same_output(&link.resolution, &now) {
                        return None;
                    }
                    match now {
                        Resolution::Internal { target, .. } => target,
                        _ => None,
                    }
                }
            };
            if let (
                Some(t),
                Resolution::Internal {
                    fragment: Some(_), ..
                },
            ) = (target, &link.resolution)
            {
                fragment_targets.extend(page_of(site, t));
            }
        }
        Some(Kept {
            rendered: Arc::clone(last),
            from: o,
            fragment_targets,
        })
    }
}

/// What moved between two loads of a site whose pages, sections or files
/// were added, removed or given new URLs: enough to tell, without resolving
/// it again, that a link still resolves as it did.
struct Moves {
    /// Each new page's position in the old site, if it was there.
    page_from: Vec<Option<usize>>,
    /// Each old page, section and file as a link target in the new site,
    /// if it is still there with the same kind and URL.
    pages: Vec<Option<LinkTarget>>,
    sections: Vec<Option<usize>>,
    assets: Vec<Option<usize>>,
    /// Names (last path segment, lower case, without `.md`) under which
    /// something new can now be found: segments of added sources and
    /// folders, and of new URLs.
    names: HashSet<String>,
}

impl Moves {
    fn new(old: &Site, site: &Site) -> Moves {
        let mut names = HashSet::new();
        let mut add = |path: &str| {
            for segment in path.split('/').filter(|s| !s.is_empty()) {
                names.insert(name_of(segment));
            }
        };
        let page_from: Vec<Option<usize>> = site
            .pages
            .iter()
            .map(|p| old.index.pages.get(&p.source).copied())
            .collect();
        let mut pages = vec![None; old.pages.len()];
        for (n, p) in site.pages.iter().enumerate() {
            let before = page_from[n];
            if before.is_none_or(|o| old.pages[o].url != p.url) {
                add(&p.source);
                add(&p.url);
            }
            if let Some(o) = before {
                let (was, now) = (old.link_target_of(o), site.link_target_of(n));
                let same = std::mem::discriminant(&was) == std::mem::discriminant(&now)
                    && old.target_url(was) == site.target_url(now);
                pages[o] = same.then_some(now);
            }
        }
        let mut sections = vec![None; old.sections.len()];
        for (n, s) in site.sections.iter().enumerate() {
            match old.index.sections.get(&s.dir) {
                Some(&o) if old.sections[o].url == s.url => sections[o] = Some(n),
                Some(_) => {}
                None => {
                    add(&s.dir);
                    add(&s.url);
                }
            }
        }
        let mut assets = vec![None; old.assets.len()];
        for (n, a) in site.assets.iter().enumerate() {
            match old.index.assets.get(&a.source) {
                Some(&o) if old.assets[o].url == a.url => assets[o] = Some(n),
                Some(_) => {}
                None => add(&a.source),
            }
        }
        for g in site.index.generated.difference(&old.index.generated) {
            add(g);
        }
        Moves {
            page_from,
            pages,
            sections,
            assets,
            names,
        }
    }

    /// The target in the new site of a link that resolved to `resolution`
    /// and must resolve the same way now: `Some(target)` when nothing it
    /// could resolve to moved (`Some(None)`: it has no target), `None` when
    /// it must be resolved again.
    fn unmoved(&self, resolution: &Resolution, dest: &str) -> Option<Option<LinkTarget>> {
        match resolution {
            // Decided by how the link is written, not by the site.
            Resolution::Keep | Resolution::Unsafe => Some(None),
            Resolution::Internal {
                target: Some(t), ..
            } => {
                let now = match *t {
                    LinkTarget::Page(o) => (*self.pages.get(o)?)?,
                    LinkTarget::Section(o) => LinkTarget::Section((*self.sections.get(o)?)?),
                    LinkTarget::Asset(o) => LinkTarget::Asset((*self.assets.get(o)?)?),
                };
                (!self.names_new(dest)).then_some(Some(now))
            }
            // Broken links and generated pages: resolved again.
            _ => None,
        }
    }

    /// Whether something new can now be found under the name `dest`
    /// (a link as written) ends with.
    fn names_new(&self, dest: &str) -> bool {
        if self.names.is_empty() {
            return false;
        }
        let path = dest.split(['#', '?']).next().unwrap_or_default();
        let last = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        if last
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        {
            // Nothing to decode: look the name up without building it.
            let stem = last.strip_suffix(".md").unwrap_or(last);
            if !stem.bytes().any(|b| b.is_ascii_uppercase()) {
                return self.names.contains(stem);
            }
        }
        self.names.contains(&name_of(dest_path(dest)))
    }
}

/// The path part of a link as written: before any `?` or `#`, percent
/// escapes decoded.
fn dest_path(dest: &str) -> String {
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    crate::content::slug::decode_percent(path)
}

/// The name a path is found under: its last segment, lower case, without
/// a `.md` extension.
fn name_of(path: impl AsRef<str>) -> String {
    let last = path
        .as_ref()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    match last.strip_suffix(".md") {
        Some(stem) => stem.to_string(),
        None => last,
    }
}

/// The pages a kept rendering's fragment links point at, as recorded (the
/// caller knows the targets did not move).
fn fragment_targets(site: &Site, rendered: &Rendered) -> Vec<usize> {
    let targets = rendered.links.iter().filter_map(|l| match &l.resolution {
        Resolution::Internal {
            target: Some(t),
            fragment: Some(_),
            ..
        } => page_of(site, *t),
        _ => None,
    });
    targets.collect()
}

/// Whether every link resolves in `site` exactly as in `old`: the same
/// pages, sections and files at the same positions and URLs, and the same
/// drafts, generated pages and pages that failed to load.
fn same_targets(old: &Site, site: &Site) -> bool {
    let pages = old.pages.len() == site.pages.len()
        && old
            .pages
            .iter()
            .zip(&site.pages)
            .all(|(a, b)| a.source == b.source && a.url == b.url && a.is_index == b.is_index);
    let sections = old.sections.len() == site.sections.len()
        && old
            .sections
            .iter()
            .zip(&site.sections)
            .all(|(a, b)| a.dir == b.dir && a.url == b.url && a.index_page == b.index_page);
    let assets = old.assets.len() == site.assets.len()
        && old
            .assets
            .iter()
            .zip(&site.assets)
            .all(|(a, b)| a.source == b.source && a.url == b.url);
    pages
        && sections
        && assets
        && old.index.generated == site.index.generated
        && old.index.drafts == site.index.drafts
        && old.index.failed == site.index.failed
        && old.config.repository == site.config.repository
}

/// The page whose ids a fragment on `target` is matched against.
fn page_of(site: &Site, target: LinkTarget) -> Option<usize> {
    match target {
        LinkTarget::Page(p) => Some(p),
        LinkTarget::Section(s) => site.sections[s].index_page,
        LinkTarget::Asset(_) => None,
    }
}

/// Whether two resolutions of one link put the same thing in the page and
/// report the same problem. The target's id is left out: ids are positions
/// in one site's page list, and the link check looks targets up again.
fn same_output(a: &Resolution, b: &Resolution) -> bool {
    match (a, b) {
        (Resolution::Keep, Resolution::Keep) | (Resolution::Unsafe, Resolution::Unsafe) => true,
        (
            Resolution::Internal {
                href: h1,
                fragment: f1,
                target: t1,
            },
            Resolution::Internal {
                href: h2,
                fragment: f2,
                target: t2,
            },
        ) => h1 == h2 && f1 == f2 && t1.is_some() == t2.is_some(),
        (Resolution::Broken { .. }, Resolution::Broken { .. }) => a == b,
        _ => false,
    }
}
