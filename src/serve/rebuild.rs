//! Rebuild: turn a batch of `ChangeKind`s into a new `Output`, doing as
//! little work as gives the same result as a full build.
//!
//! A `Session` keeps the last good site (loaded, with rendered markdown), the
//! compiled theme and the output. What a batch costs:
//!
//! - one existing page's body changed (front matter and title unchanged):
//!   re-read and re-render that page's markdown, check links, then render
//!   only the files that show its body: the page, its section's page (the
//!   listing shows descriptions taken from bodies), the careers pages if it
//!   is a role, and the search index files holding its words (the index
//!   itself is kept in the session and updated in place);
//! - a page's front matter or title changed, a page was added, deleted or
//!   renamed, an asset was added or removed, or the last build failed:
//!   reload the content (in parallel) and render everything, keeping the
//!   compiled theme;
//! - a changed asset or static file that already existed: nothing to render
//!   (the server reads copied files from disk when asked);
//! - a template, or a static file added or removed: reload the theme and
//!   render every page from the site already in memory;
//! - `site.toml`: reload everything.
//!
//! A rebuild that fails leaves the session as it was, so the last good site
//! keeps being served. Correctness comes first: every path must give what
//! `build::build` gives (tests compare the two after each kind of edit).
//! This module never writes to disk.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::{self, BuildOptions};
use crate::content::Site;
use crate::diagnostic::{self, Diagnostic};
use crate::markdown;
use crate::output::Output;
use crate::render;
use crate::theme::{self, Theme};

use super::watch::ChangeKind;

/// How much a rebuild had to do, for the log line and for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Files already served changed on disk; nothing was rendered.
    Nothing,
    /// One page's body: a few files rendered again.
    Page,
    /// Theme reloaded, every page rendered from the site in memory.
    Templates,
    /// Content reloaded and everything rendered.
    Content,
    /// Configuration, theme and content reloaded.
    Everything,
}

/// What a successful rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub scope: Scope,
    /// Only stylesheets changed: a browser may swap them without reloading.
    pub css_only: bool,
    pub warnings: Vec<Diagnostic>,
}

/// The state `serve` rebuilds from: the last good site, theme and output.
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
    /// `None` until the first successful build.
    good: Option<Good>,
    /// The last rebuild failed.
    broken: bool,
}

struct Good {
    site: Site,
    theme: Theme,
    output: Arc<Output>,
    /// The search index, built on the first page edit and updated in place
    /// by the next ones; dropped when the site changes.
    search: Option<crate::output::search::SearchIndex>,
}

/// The content paths that changed. Files outside the content folder are
/// published under the site's repository folder (zero config), at the paths
/// `load` gives them; None if one changed while that folder is unknown.
fn content_paths(changes: &[&ChangeKind], repository: Option<&str>) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for c in changes {
        match c {
            ChangeKind::Content(p) => out.push(p.clone()),
            ChangeKind::Repository(p) => out.push(format!("{}/{p}", repository?)),
            _ => {}
        }
    }
    Some(out)
}

impl Session {
    /// A session for the site at `root`; nothing is built yet.
    pub fn new(root: &Path, options: BuildOptions) -> Session {
        Session {
            root: root.to_path_buf(),
            options,
            good: None,
            broken: false,
        }
    }

    /// The output of the last successful build.
    pub fn output(&self) -> Option<Arc<Output>> {
        self.good.as_ref().map(|g| g.output.clone())
    }

    /// The site of the last successful build.
    pub fn site(&self) -> Option<&Site> {
        self.good.as_ref().map(|g| &g.site)
    }

    /// Builds everything from disk. On failure the last good state stays.
    pub fn full(&mut self) -> Result<Rebuilt, Vec<Diagnostic>> {
        let (site, diags) = build::load(&self.root, &self.options)?;
        let theme = theme::load(&site.config);
        let result = self.finish_content(site, diags, theme, Scope::Everything);
        self.broken = result.is_err();
        result
    }

    /// Applies one debounced batch of changes. After a failed rebuild the
    /// files on disk may differ from the last good site in ways the batch
    /// does not show, so the next batch rebuilds everything.
    pub fn apply(&mut self, changes: &BTreeSet<ChangeKind>) -> Result<Rebuilt, Vec<Diagnostic>> {
        let result = self.apply_inner(changes);
        self.broken = result.is_err();
        result
    }

    fn apply_inner(&mut self, changes: &BTreeSet<ChangeKind>) -> Result<Rebuilt, Vec<Diagnostic>> {
        let changes: Vec<&ChangeKind> = changes
            .iter()
            .filter(|c| **c != ChangeKind::Ignore)
            .collect();
        let Some(good) = &self.good else {
            return self.full();
        };
        if self.broken || changes.contains(&&ChangeKind::Config) {
            return self.full();
        }
        let template = changes.iter().any(|c| **c == ChangeKind::Template);
        let statics: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                ChangeKind::Static(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        let Some(contents) = content_paths(&changes, good.site.config.repository.as_deref()) else {
            return self.full();
        };
        // A static file added or removed changes the set of output files.
        let cfg = &good.site.config;
        let statics_moved = statics
            .iter()
            .any(|s| static_exists(cfg, s) != good.theme.static_files.contains_key(*s));
        let reload_theme = template || statics_moved;

        // Which content changes keep the site's structure: edits of pages
        // and assets that exist both in memory and on disk.
        let site = &good.site;
        let mut structural = false;
        let mut page_edits: Vec<&str> = Vec::new();
        for rel in &contents {
            let file = site.config.root.join(site.config.source_rel(rel));
            if !file.is_file() {
                structural = true;
            } else if site.index.pages.contains_key(rel.as_str()) {
                page_edits.push(rel);
            } else if !site.index.assets.contains_key(rel.as_str()) {
                structural = true;
            }
        }
        if structural || page_edits.len() > 1 || (reload_theme && !page_edits.is_empty()) {
            return self.reload_content(reload_theme);
        }
        if reload_theme {
            let good = self.good.as_mut().expect("checked above");
            let theme = theme::load(&good.site.config)?;
            let (output, diags) = build::render_with(&good.site, &theme, &self.options);
            if diagnostic::has_errors(&diags) {
                return Err(sorted(diags));
            }
            good.theme = theme;
            good.output = Arc::new(output);
            good.search = None;
            return Ok(Rebuilt {
                scope: Scope::Templates,
                css_only: false,
                warnings: sorted(diags),
            });
        }
        if let Some(rel) = page_edits.first() {
            let rel = rel.to_string();
            return self.page(&rel);
        }
        // Only files served from disk changed.
        let css_only = !statics.is_empty()
            && contents.is_empty()
            && statics.iter().all(|s| s.ends_with(".css"));
        Ok(Rebuilt {
            scope: Scope::Nothing,
            css_only,
            warnings: Vec::new(),
        })
    }

    /// Checks, renders and stores a freshly loaded site.
    fn finish_content(
        &mut self,
        mut site: Site,
        diags: Vec<Diagnostic>,
        theme: Result<Theme, Vec<Diagnostic>>,
        scope: Scope,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        if site.sections.is_empty() {
            return Err(sorted(diags));
        }
        build::render_markdown(&mut site);
        self.finish_content_rendered(site, diags, theme, scope)
    }

    /// `finish_content` for a site whose markdown is already rendered.
    fn finish_content_rendered(
        &mut self,
        site: Site,
        mut diags: Vec<Diagnostic>,
        theme: Result<Theme, Vec<Diagnostic>>,
        scope: Scope,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        if site.sections.is_empty() {
            return Err(sorted(diags));
        }
        diags.extend(markdown::links::check(&site));
        let theme = match theme {
            Ok(t) => t,
            Err(t) => {
                diags.extend(t);
                return Err(sorted(diags));
            }
        };
        if diagnostic::has_errors(&diags) {
            return Err(sorted(diags));
        }
        let (output, render_diags) = build::render_with(&site, &theme, &self.options);
        diags.extend(render_diags);
        if diagnostic::has_errors(&diags) {
            return Err(sorted(diags));
        }
        self.good = Some(Good {
            site,
            theme,
            output: Arc::new(output),
            search: None,
        });
        Ok(Rebuilt {
            scope,
            css_only: false,
            warnings: sorted(diags),
        })
    }

    /// One existing page changed on disk. If only its body changed, render
    /// just what shows that body; otherwise reload the content.
    fn page(&mut self, rel: &str) -> Result<Rebuilt, Vec<Diagnostic>> {
        let good = self.good.as_mut().expect("a good build exists");
        let pi = good.site.index.pages[rel];
        let (fresh, diags) = crate::content::reload_page(&good.site.config, rel);
        if diagnostic::has_errors(&diags) {
            return Err(sorted(diags));
        }
        let Some(mut fresh) = fresh else {
            return Err(sorted(diags));
        };
        let old = &good.site.pages[pi];
        // Anything that can move the page, rename it, or change what other
        // pages show about it (navigation, listings, roles) needs the
        // whole site: front matter holds all of that, and the title may
        // come from the body's first heading.
        if !diags.is_empty() {
            return self.reload_content(false);
        }
        if fresh.front != old.front || fresh.title != old.title {
            return self.relink_page(pi, fresh);
        }
        fresh.url = old.url.clone();
        fresh.section = old.section;
        // Which page indexes a folder depends on its neighbours (`load` decides).
        fresh.is_index = old.is_index;
        fresh.role = old.role.clone();
        let had_code = good.site.pages.iter().any(|p| p.rendered.has_code);
        let previous = std::mem::replace(&mut good.site.pages[pi], fresh);
        build::render_page_markdown(&mut good.site, pi);
        let restore = |good: &mut Good, previous| good.site.pages[pi] = previous;
        let link_diags = markdown::links::check(&good.site);
        if diagnostic::has_errors(&link_diags) {
            restore(good, previous);
            return Err(sorted(link_diags));
        }
        let has_code = good.site.pages.iter().any(|p| p.rendered.has_code);
        if has_code != had_code {
            // The highlighting stylesheet appears or goes: every page links it.
            let (output, d) = build::render_with(&good.site, &good.theme, &self.options);
            if diagnostic::has_errors(&d) {
                restore(good, previous);
                return Err(sorted(d));
            }
            good.output = Arc::new(output);
            good.search = None;
            return Ok(Rebuilt {
                scope: Scope::Templates,
                css_only: false,
                warnings: sorted(link_diags),
            });
        }
        let render_options = render::Options {
            serve: self.options.serve,
            today: self.options.today,
            stream_to: None,
        };
        let (subset_files, render_diags) = render::render_subset(
            &good.site,
            &good.theme,
            &render_options,
            &good.output,
            &subset_for(&good.site, pi),
            &mut good.search,
        );
        if diagnostic::has_errors(&render_diags) {
            // The index already holds the failed edit: build it afresh next time.
            good.search = None;
            restore(good, previous);
            return Err(sorted(render_diags));
        }
        good.output = Arc::new(subset_files.apply_to(&good.output));
        let mut warnings = link_diags;
        warnings.extend(render_diags);
        Ok(Rebuilt {
            scope: Scope::Page,
            css_only: false,
            warnings: sorted(warnings),
        })
    }

    /// A page's front matter or title changed: it may have moved, been
    /// renamed, become a draft or changed what other pages show about it.
    /// The other pages are not read again; the structure is worked out anew
    /// from the pages in memory and every page is rendered with the
    /// compiled theme. Markdown is rendered again only for the edited page,
    /// or for all pages if its URL changed (links to it move).
    fn relink_page(
        &mut self,
        pi: usize,
        fresh: crate::content::Page,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        let good = self.good.as_ref().expect("a good build exists");
        let mut site = good.site.clone();
        let theme = Ok(good.theme.clone());
        let old_url = site.pages[pi].url.clone();
        let rel = fresh.source.clone();
        site.pages[pi] = fresh;
        let (mut site, diags) = build::relink(site, &self.options);
        match site.index.pages.get(&rel).copied() {
            Some(i) if site.pages[i].url == old_url => {
                build::render_page_markdown(&mut site, i);
                self.finish_content_rendered(site, diags, theme, Scope::Content)
            }
            _ => self.finish_content(site, diags, theme, Scope::Content),
        }
    }

    /// Reloads the content from disk, and the theme if asked, else keeps
    /// the compiled one. On failure the last good state stays.
    fn reload_content(&mut self, reload_theme: bool) -> Result<Rebuilt, Vec<Diagnostic>> {
        let (site, diags) = build::load(&self.root, &self.options)?;
        let theme = match (&self.good, reload_theme) {
            (Some(good), false) => Ok(good.theme.clone()),
            _ => theme::load(&site.config),
        };
        self.finish_content(site, diags, theme, Scope::Content)
    }
}

/// What one page's body shows up in: its own page, its section's listing,
/// the careers pages if it is a role, and its search entry.
fn subset_for(site: &Site, pi: usize) -> render::Subset {
    let page = &site.pages[pi];
    let mut subset = render::Subset {
        careers: page.role.is_some(),
        changed: vec![pi],
        ..Default::default()
    };
    if site.sections[page.section].index_page == Some(pi) {
        subset.sections.push(page.section);
    } else {
        subset.pages.push(pi);
        if site.sections[page.section].pages.contains(&pi) {
            subset.sections.push(page.section);
        }
    }
    subset
}

fn static_exists(config: &crate::config::Config, rel: &str) -> bool {
    config.root.join("static").join(rel).is_file()
        || config
            .root
            .join("themes")
            .join(&config.theme)
            .join("static")
            .join(rel)
            .is_file()
}

fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut diags);
    diags
}
