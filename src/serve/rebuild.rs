//! Rebuild: turn a batch of `ChangeKind`s into a new `Output`, doing as
//! little work as gives the same result as a full build.
//!
//! A `Session` keeps the last good `build::Stages` (site, careers data,
//! rendered markdown), the compiled theme and the output, and rebuilds by
//! calling the same stage sequence as `handbook build` (`build::run_stages`)
//! with what it kept. What a batch costs:
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

use crate::build::{self, BuildOptions, Stages};
use crate::content::Site;
use crate::diagnostic::{self, Diagnostic};
use crate::markdown::{self, Rendered};
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
    /// How much was rebuilt.
    pub scope: Scope,
    /// Only stylesheets changed: a browser may swap them without reloading.
    pub(crate) css_only: bool,
    pub(crate) warnings: Vec<Diagnostic>,
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
    /// Site, careers and rendered markdown: the per-stage caches.
    stages: Stages,
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
        // Rebuilds highlight only code that changed (see `highlight`).
        crate::highlight::keep_blocks();
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

    /// Builds everything from disk. On failure the last good state stays.
    pub fn full(&mut self) -> Result<Rebuilt, Vec<Diagnostic>> {
        let (site, careers, diagnostics) = build::load(&self.root, &self.options)?;
        let loaded = build::Loaded {
            site,
            careers,
            diagnostics,
            theme: None,
            rendered: None,
        };
        let result = self.finish(loaded, Scope::Everything);
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
        let Some(contents) = content_paths(&changes, good.stages.site.config.repository.as_deref())
        else {
            return self.full();
        };
        // A static file added or removed changes the set of output files.
        let cfg = &good.stages.site.config;
        let statics_moved = statics
            .iter()
            .any(|s| static_exists(cfg, s) != good.theme.static_files.contains_key(*s));
        let reload_theme = template || statics_moved;

        // Which content changes keep the site's structure: edits of pages
        // and assets that exist both in memory and on disk.
        let (structural, page_edits) = content_edits(&good.stages.site, &contents);
        if structural || page_edits.len() > 1 || (reload_theme && !page_edits.is_empty()) {
            return self.reload_content(reload_theme);
        }
        if reload_theme {
            return self.reload_theme();
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

    /// A template changed, or a static file came or went: the theme is
    /// compiled again and every page rendered from the stages in memory.
    fn reload_theme(&mut self) -> Result<Rebuilt, Vec<Diagnostic>> {
        let good = self.good.as_mut().expect("a good build exists");
        let theme = theme::load(&good.stages.site.config)?;
        let (output, diags) = build::render_with(&good.stages, &theme, &self.options);
        if diagnostic::has_errors(&diags) {
            return Err(sorted(diags));
        }
        good.theme = theme;
        good.output = Arc::new(output);
        good.search = None;
        Ok(Rebuilt {
            scope: Scope::Templates,
            css_only: false,
            warnings: sorted(diags),
        })
    }

    /// Runs the stages after load (`build::run_stages`, the sequence
    /// `build` runs) and keeps what they made for the next rebuild.
    fn finish(&mut self, loaded: build::Loaded, scope: Scope) -> Result<Rebuilt, Vec<Diagnostic>> {
        let built = build::run_stages(loaded, &self.options).map_err(|f| f.diagnostics)?;
        self.good = Some(Good {
            stages: built.stages,
            theme: built.theme,
            output: Arc::new(built.output),
            search: None,
        });
        Ok(Rebuilt {
            scope,
            css_only: false,
            warnings: built.diagnostics,
        })
    }

    /// One existing page changed on disk. If only its body changed, render
    /// just what shows that body; otherwise reload the content.
    fn page(&mut self, rel: &str) -> Result<Rebuilt, Vec<Diagnostic>> {
        let good = self.good.as_mut().expect("a good build exists");
        let pi = good.stages.site.index.pages[rel];
        let (fresh, diags) = crate::content::reload_page(&good.stages.site.config, rel);
        if diagnostic::has_errors(&diags) {
            return Err(sorted(diags));
        }
        let Some(mut fresh) = fresh else {
            return Err(sorted(diags));
        };
        let old = &good.stages.site.pages[pi];
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
        let had_code = good.stages.rendered.iter().any(|r| r.has_code);
        let previous = std::mem::replace(&mut good.stages.site.pages[pi], fresh);
        let previous_rendered = std::mem::replace(
            &mut good.stages.rendered[pi],
            build::render_page_markdown(&good.stages.site, pi),
        );
        markdown::fragment_case::fix_page(&good.stages.site, &mut good.stages.rendered, pi);
        let restore = |good: &mut Good, page, rendered| {
            good.stages.site.pages[pi] = page;
            good.stages.rendered[pi] = rendered;
        };
        let link_diags = markdown::check_links(&good.stages.site, &good.stages.rendered);
        if diagnostic::has_errors(&link_diags) {
            restore(good, previous, previous_rendered);
            return Err(sorted(link_diags));
        }
        let has_code = good.stages.rendered.iter().any(|r| r.has_code);
        if has_code != had_code {
            // The highlighting stylesheet appears or goes: every page links it.
            let (output, d) = build::render_with(&good.stages, &good.theme, &self.options);
            if diagnostic::has_errors(&d) {
                restore(good, previous, previous_rendered);
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
        let (subset_files, render_diags) = render::render_subset(
            &good.stages.inputs(&good.theme),
            &build::render_options(&self.options),
            &good.output,
            &subset_for(&good.stages, pi),
            &mut good.search,
        );
        if diagnostic::has_errors(&render_diags) {
            // The index already holds the failed edit: build it afresh next time.
            good.search = None;
            restore(good, previous, previous_rendered);
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
        let mut site = good.stages.site.clone();
        let old_url = site.pages[pi].url.clone();
        let rel = fresh.source.clone();
        site.pages[pi] = fresh;
        let framework = good.stages.careers.framework.clone();
        let (site, careers, diagnostics) = build::relink(site, framework, &self.options);
        let rendered = match site.index.pages.get(&rel).copied() {
            Some(i) if site.pages[i].url == old_url => {
                // Pages keep their markdown (the edited one is rendered
                // again); relinking may have dropped a page, so match by source.
                let old = &good.stages;
                let mut rendered: Vec<Rendered> = site
                    .pages
                    .iter()
                    .map(|p| match old.site.index.pages.get(&p.source) {
                        Some(&o) => old.rendered[o].clone(),
                        None => Rendered::default(),
                    })
                    .collect();
                rendered[i] = build::render_page_markdown(&site, i);
                markdown::fragment_case::fix_page(&site, &mut rendered, i);
                Some(rendered)
            }
            _ => None,
        };
        let loaded = build::Loaded {
            site,
            careers,
            diagnostics,
            theme: Some(good.theme.clone()),
            rendered,
        };
        self.finish(loaded, Scope::Content)
    }

    /// Reloads the content from disk, and the theme if asked, else keeps
    /// the compiled one. On failure the last good state stays.
    fn reload_content(&mut self, reload_theme: bool) -> Result<Rebuilt, Vec<Diagnostic>> {
        let (site, careers, diagnostics) = build::load(&self.root, &self.options)?;
        let theme = match (&self.good, reload_theme) {
            (Some(good), false) => Some(good.theme.clone()),
            _ => None,
        };
        let loaded = build::Loaded {
            site,
            careers,
            diagnostics,
            theme,
            rendered: None,
        };
        self.finish(loaded, Scope::Content)
    }
}

/// What one page's body shows up in: its own page, its section's listing,
/// the careers pages if it is a role, and its search entry.
fn subset_for(stages: &Stages, pi: usize) -> render::Subset {
    let site = &stages.site;
    let page = &site.pages[pi];
    let mut subset = render::Subset {
        careers: stages.careers.role(pi).is_some(),
        changed: vec![pi],
        ..Default::default()
    };
    if site.is_section_index(pi) {
        subset.sections.push(page.section);
    } else {
        subset.pages.push(pi);
        if site.sections[page.section].pages.contains(&pi) {
            subset.sections.push(page.section);
        }
    }
    subset
}

/// Which content changes keep the site's structure: edits of pages and
/// assets that exist both in memory and on disk. Returns whether any does
/// not (a page or asset added or removed) and the pages edited.
fn content_edits<'a>(site: &Site, contents: &'a [String]) -> (bool, Vec<&'a str>) {
    let mut structural = false;
    let mut page_edits = Vec::new();
    for rel in contents {
        let file = site.config.root.join(site.config.source_rel(rel));
        if !file.is_file() {
            structural = true;
        } else if site.index.pages.contains_key(rel.as_str()) {
            page_edits.push(rel.as_str());
        } else if !site.index.assets.contains_key(rel.as_str()) {
            structural = true;
        }
    }
    (structural, page_edits)
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
