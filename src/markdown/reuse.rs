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

/// Each page of `site` rendered, reusing `previous` where nothing the
/// page's markdown depends on changed. `changed` holds the sources read
/// again from disk. Returns the pages, how many were rendered, and whether
/// the pages, sections or files were numbered afresh (the targets recorded
/// in kept pages' links are then positions in the old site).
pub(crate) fn rerender(
    previous: &Previous,
    site: &Site,
    changed: &HashSet<String>,
    settings: &Settings,
) -> (Vec<Arc<Rendered>>, usize, bool) {
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
    let first: Vec<Result<Kept, Arc<Rendered>>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            keep(previous, site, &resolver, changed, i, moves.as_ref())
                .ok_or_else(|| render_page(i))
        })
        .collect();
    // Pages whose heading ids are not what they were: links into them
    // with a fragment may be fixed differently.
    let ids_changed: HashSet<usize> = first
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
        .collect();
    let mut fresh: Vec<usize> = Vec::new();
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
    (rendered, fresh.len(), !links_hold)
}

/// A page's last rendering that still holds, and the pages its fragment
/// links point at in the new site.
struct Kept {
    rendered: Arc<Rendered>,
    fragment_targets: Vec<usize>,
}

/// Page `i`'s last rendering, if its file did not change, it kept its URL
/// and every link resolves as it did.
fn keep(
    previous: &Previous,
    site: &Site,
    resolver: &Resolver,
    changed: &HashSet<String>,
    i: usize,
    moves: Option<&Moves>,
) -> Option<Kept> {
    let page = &site.pages[i];
    if changed.contains(&page.source) {
        return None;
    }
    let o = *previous.site.index.pages.get(&page.source)?;
    let old = &previous.site.pages[o];
    if old.url != page.url || old.is_index != page.is_index {
        return None;
    }
    let last = &previous.rendered[o];
    let Some(moves) = moves else {
        return Some(Kept {
            rendered: Arc::clone(last),
            fragment_targets: fragment_targets(site, last),
        });
    };
    let me = site.link_target_of(i);
    let mut fragment_targets = Vec::new();
    for link in &last.links {
        let target = match moves.unmoved(&link.resolution, &link.dest) {
            Some(target) => target,
            None => {
                let now = resolver.resolve(&page.source, Some(me), &link.dest);
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
        fragment_targets,
    })
}

/// What moved between two loads of a site whose pages, sections or files
/// were added, removed or given new URLs: enough to tell, without resolving
/// it again, that a link still resolves as it did.
struct Moves<'a> {
    old: &'a Site,
    site: &'a Site,
    /// Names (last path segment, lower case, without `.md`) under which
    /// something new can now be found: segments of added sources and
    /// folders, and of new URLs.
    names: HashSet<String>,
}

impl<'a> Moves<'a> {
    fn new(old: &'a Site, site: &'a Site) -> Moves<'a> {
        let mut names = HashSet::new();
        let mut add = |path: &str| {
            for segment in path.split('/').filter(|s| !s.is_empty()) {
                names.insert(name_of(segment));
            }
        };
        for p in &site.pages {
            let before = old.index.pages.get(&p.source).map(|&o| &old.pages[o]);
            if before.is_none_or(|b| b.url != p.url) {
                add(&p.source);
                add(&p.url);
            }
        }
        for s in &site.sections {
            if !old.index.sections.contains_key(&s.dir) {
                add(&s.dir);
                add(&s.url);
            }
        }
        for a in &site.assets {
            if !old.index.assets.contains_key(&a.source) {
                add(&a.source);
            }
        }
        for g in site.index.generated.difference(&old.index.generated) {
            add(g);
        }
        Moves { old, site, names }
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
                let now = self.map(*t)?;
                let same = self.old.target_url(*t) == self.site.target_url(now)
                    && std::mem::discriminant(t) == std::mem::discriminant(&now)
                    && !self.names.contains(&name_of(dest_path(dest)));
                same.then_some(Some(now))
            }
            // Broken links and generated pages: resolved again.
            _ => None,
        }
    }

    /// Where a target of the old site is in the new one.
    fn map(&self, t: LinkTarget) -> Option<LinkTarget> {
        let (old, site) = (self.old, self.site);
        match t {
            LinkTarget::Page(o) => {
                let n = *site.index.pages.get(&old.pages.get(o)?.source)?;
                Some(site.link_target_of(n))
            }
            LinkTarget::Section(o) => {
                let n = *site.index.sections.get(&old.sections.get(o)?.dir)?;
                Some(LinkTarget::Section(n))
            }
            LinkTarget::Asset(o) => {
                let n = *site.index.assets.get(&old.assets.get(o)?.source)?;
                Some(LinkTarget::Asset(n))
            }
        }
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
