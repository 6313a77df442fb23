//! Rebuild: turn a batch of `ChangeKind`s into a new `Output`, doing as
//! little work as gives the same result as a full build.
//!
//! A `Session` keeps the last good `build::Stages` (site, careers data,
//! rendered markdown) and the compiled theme in a shared `Snapshot`, and
//! serves an output whose pages and section pages are rendered from that
//! snapshot when first asked for (`OutputFile::Lazy`): after an edit only
//! the pages a browser opens are rendered, plus the site-wide files
//! (careers pages, feeds, sitemap, redirects, the sidebar file), which are
//! rendered at once. The search index is made when a search file is first
//! asked for and then kept up to date in place. What a batch costs before
//! that:
//!
//! - one existing page's body changed (front matter and title unchanged):
//!   re-read and re-render that page's markdown, check links, and replace
//!   the page's entry in the search index if it was made;
//! - any other content change (a title, front matter, a page added,
//!   deleted or renamed, a new folder, an asset): walk the content folder
//!   again and read only the changed files (`content::reload`), work out
//!   the structure again from the pages in memory, and render again only
//!   the markdown an edit can change (`markdown::reuse`);
//! - a changed asset or static file that already existed: nothing (the
//!   server reads copied files from disk when asked);
//! - a template, or a static file added or removed: reload the theme and
//!   render every page from the stages in memory (so template errors on
//!   any page are reported);
//! - `site.toml` (or the career framework): reload everything.
//!
//! The pages the batch changed are rendered at once, so their template
//! errors fail the rebuild. A rebuild that fails leaves the session as it
//! was, so the last good site keeps being served. Correctness comes first:
//! every path must give what `build::build` gives (tests compare the two
//! after each kind of edit). This module never writes to disk.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::build::{self, BuildOptions, Stages};
use crate::careers::Careers;
use crate::content::Site;
use crate::diagnostic::{self, Diagnostic};
use crate::markdown;
use crate::output::search::SearchIndex;
use crate::output::{Group, Job, Lazy, LazyFiles, Output, OutputFile};
use crate::render;
use crate::theme::{self, Theme};

use super::watch::ChangeKind;

/// How much a rebuild had to do, for the log line and for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Files already served changed on disk; nothing was rendered.
    Nothing,
    /// One page's body: its markdown rendered again.
    Page,
    /// Theme reloaded, every page rendered from the site in memory.
    Templates,
    /// The changed files read again and the structure worked out anew.
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
    /// Pages whose markdown was rendered again (for tests and the log).
    pub markdown_rendered: usize,
    /// Milliseconds spent in each step, for `HANDBOOK_TIMINGS=1`.
    pub(crate) phases: Vec<(&'static str, f64)>,
}

impl Rebuilt {
    /// The warnings the rebuild reports (the link check's for every page).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }
}

/// The state `serve` rebuilds from: the last good site, theme and output.
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
    /// `None` until the first successful build.
    good: Option<Good>,
    /// The last rebuild failed.
    broken: bool,
    /// Where the time of the rebuild under way went.
    clock: Clock,
}

/// The steps of one rebuild and how long each took.
struct Clock {
    last: std::cell::Cell<std::time::Instant>,
    phases: std::cell::RefCell<Vec<(&'static str, f64)>>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: std::cell::Cell::new(std::time::Instant::now()),
            phases: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The step `name` ended now.
    fn mark(&self, name: &'static str) {
        let now = std::time::Instant::now();
        let ms = (now - self.last.get()).as_secs_f64() * 1000.0;
        self.last.set(now);
        self.phases.borrow_mut().push((name, ms));
    }

    /// A new rebuild starts: the steps so far are dropped.
    fn restart(&self) {
        self.last.set(std::time::Instant::now());
        self.phases.borrow_mut().clear();
    }
}

/// What deferred pages are rendered from: one build's stages and theme.
struct Snapshot {
    stages: Stages,
    theme: Theme,
    render: render::Options,
    /// The site's `highlight.css`, which every page links when present.
    highlight: Option<OutputFile>,
    /// The views every rendering of this snapshot shares, made once.
    prepared: std::sync::OnceLock<Arc<render::Prepared>>,
}

impl Snapshot {
    fn inputs(&self) -> render::Inputs<'_> {
        let prepared = self.prepared.get_or_init(|| {
            let inputs = self.stages.inputs(&self.theme);
            render::prepare(&inputs, &self.render, self.highlight.as_ref())
        });
        render::Inputs {
            prepared: Some(prepared),
            ..self.stages.inputs(&self.theme)
        }
    }
}

/// Where the search index's files are (`output::search::DIR`).
const SEARCH_FOLDER: &str = "search/";

struct Good {
    snapshot: Arc<Snapshot>,
    output: Arc<Output>,
    /// The editable search index of `snapshot`, once a search file was
    /// asked for (the lazy search files fill it in).
    search: Arc<Mutex<Option<SearchIndex>>>,
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
        let options = BuildOptions {
            defer_pages: true,
            ..options
        };
        Session {
            root: root.to_path_buf(),
            options,
            good: None,
            broken: false,
            clock: Clock::new(),
        }
    }

    /// The output of the last successful build.
    pub fn output(&self) -> Option<Arc<Output>> {
        self.good.as_ref().map(|g| g.output.clone())
    }

    /// Builds everything from disk, rendering every page (so a template
    /// error on any page is reported). On failure the last good state stays.
    pub fn full(&mut self) -> Result<Rebuilt, Vec<Diagnostic>> {
        let result = self.reload_all(false);
        self.broken = result.is_err();
        result
    }

    /// Loads everything from disk again. With `defer`, pages are rendered
    /// when asked for, except one page of each template (and its section),
    /// rendered now so a broken template is still reported.
    fn reload_all(&mut self, defer: bool) -> Result<Rebuilt, Vec<Diagnostic>> {
        let (site, careers, diagnostics) = build::load(&self.root, &self.options)?;
        let loaded = build::Loaded {
            site,
            careers,
            diagnostics,
            theme: None,
            rendered: None,
            renumbered: false,
            checked: None,
        };
        let n = loaded.site.pages.len();
        if !defer {
            return self.finish(loaded, Scope::Everything, Eager::All, n);
        }
        let samples = samples(&loaded);
        self.finish(loaded, Scope::Everything, Eager::Samples(&samples), n)
    }

    /// Applies one debounced batch of changes. After a failed rebuild the
    /// files on disk may differ from the last good site in ways the batch
    /// does not show, so the next batch rebuilds everything.
    pub fn apply(&mut self, changes: &BTreeSet<ChangeKind>) -> Result<Rebuilt, Vec<Diagnostic>> {
        self.clock.restart();
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
            return self.reload_all(true);
        }
        let template = changes.iter().any(|c| **c == ChangeKind::Template);
        let statics: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                ChangeKind::Static(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        let site = &good.snapshot.stages.site;
        let Some(contents) = content_paths(&changes, site.config.repository.as_deref()) else {
            return self.full();
        };
        // A static file added or removed changes the set of output files.
        let statics_moved = statics.iter().any(|s| {
            static_exists(&site.config, s) != good.snapshot.theme.static_files.contains_key(*s)
        });
        let reload_theme = template || statics_moved;
        let (structural, page_edits) = content_edits(site, &contents);
        if reload_theme {
            return self.reload_theme(&contents);
        }
        if structural || page_edits.len() > 1 {
            return self.reload_content(&contents);
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
            markdown_rendered: 0,
            phases: Vec::new(),
        })
    }

    /// A template changed, or a static file came or went: the theme is
    /// compiled again and the pages are rendered from the stages in memory
    /// (with the content files in the batch read again) when asked for,
    /// except one page of each kind and the careers pages and cards, which
    /// are rendered now so a template error is reported.
    fn reload_theme(&mut self, contents: &[String]) -> Result<Rebuilt, Vec<Diagnostic>> {
        let good = self.good.as_ref().expect("a good build exists");
        let theme = theme::load(&good.snapshot.stages.site.config)?;
        let (loaded, rendered) = if contents.is_empty() {
            let stages = good.snapshot.stages.clone();
            let loaded = build::Loaded {
                rendered: Some(stages.rendered),
                site: stages.site,
                careers: stages.careers,
                diagnostics: Vec::new(),
                theme: None,
                renumbered: stages.renumbered,
                checked: None,
            };
            (loaded, 0)
        } else {
            self.reloaded(contents)
        };
        let loaded = build::Loaded {
            theme: Some(theme),
            ..loaded
        };
        let samples = samples(&loaded);
        self.finish(loaded, Scope::Templates, Eager::Samples(&samples), rendered)
    }

    /// Content files changed in a way that may move pages or change what
    /// other pages show about them: read those files again and work the
    /// structure out anew (`reloaded`).
    fn reload_content(&mut self, contents: &[String]) -> Result<Rebuilt, Vec<Diagnostic>> {
        let (loaded, rendered) = self.reloaded(contents);
        // The changed files, and the pages of changed folders.
        let changed = |source: &str| {
            contents.iter().any(|c| {
                source == c
                    || source
                        .strip_prefix(c.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
        };
        let eager: Vec<usize> = loaded
            .site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| changed(&p.source))
            .map(|(i, _)| i)
            .collect();
        self.finish(loaded, Scope::Content, Eager::Pages(&eager), rendered)
    }

    /// The site after `contents` changed on disk, from the stages in memory:
    /// only those files are read, and only the markdown they can change is
    /// rendered again (returns how many pages were).
    fn reloaded(&self, contents: &[String]) -> (build::Loaded, usize) {
        let good = self.good.as_ref().expect("a good build exists");
        let old = &good.snapshot.stages;
        let changed: HashSet<String> = contents.iter().cloned().collect();
        let relinked = build::reload(old, &changed, &self.options);
        self.clock.mark("read");
        self.with_markdown(relinked, &changed)
    }

    /// A site worked out anew from the last good one (`build::reload` or
    /// `build::relink`), with the markdown `changed` can have changed
    /// rendered again (`build::rerender_markdown`); returns how many pages'
    /// markdown was.
    fn with_markdown(
        &self,
        (site, careers, diagnostics): (Site, Careers, Vec<Diagnostic>),
        changed: &HashSet<String>,
    ) -> (build::Loaded, usize) {
        let good = self.good.as_ref().expect("a good build exists");
        let old = &good.snapshot.stages;
        let again = build::rerender_markdown(old, &site, changed);
        self.clock.mark("markdown");
        // A kept page links where it did: its link problems still hold.
        let checked = again
            .kept_from
            .iter()
            .map(|o| o.and_then(|o| old.link_problems.get(o).cloned()))
            .collect();
        let loaded = build::Loaded {
            site,
            careers,
            diagnostics,
            theme: Some(good.snapshot.theme.clone()),
            rendered: Some(again.rendered),
            renumbered: again.renumbered || old.renumbered,
            checked: Some(checked),
        };
        (loaded, again.fresh)
    }

    /// One existing page changed on disk. If only its body changed, render
    /// its markdown again and keep everything else; otherwise reload.
    fn page(&mut self, rel: &str) -> Result<Rebuilt, Vec<Diagnostic>> {
        let good = self.good.as_ref().expect("a good build exists");
        let old = &good.snapshot.stages;
        let pi = old.site.index.pages[rel];
        let (fresh, diags) = crate::content::reload_page(&old.site.config, rel);
        self.clock.mark("read");
        let Some(mut fresh) = fresh else {
            return Err(sorted(diags));
        };
        if diagnostic::has_errors(&diags) {
            return Err(sorted(diags));
        }
        let before = &old.site.pages[pi];
        // Anything that can move the page, rename it, or change what other
        // pages show about it (navigation, listings, roles) needs the
        // whole site: front matter holds all of that, and the title may
        // come from the body's first heading.
        if !diags.is_empty() {
            return self.reload_content(&[rel.to_string()]);
        }
        if fresh.front != before.front || fresh.title != before.title {
            return self.relink_page(pi, fresh);
        }
        fresh.url = before.url.clone();
        fresh.section = before.section;
        // Which page indexes a folder depends on its neighbours (`load` decides).
        fresh.is_index = before.is_index;
        fresh.last_commit = before.last_commit;
        let mut stages = old.clone();
        self.clock.mark("copy");
        stages.site.pages[pi] = fresh;
        stages.rendered[pi] = Arc::new(build::render_page_markdown(&stages.site, pi));
        self.clock.mark("markdown");
        markdown::fragment_case::fix_page(&stages.site, &mut stages.rendered, pi);
        // The same heading ids: no other page's links check differently.
        let checked = (stages.rendered[pi].ids == old.rendered[pi].ids).then(|| {
            let mut known: Vec<_> = std::mem::take(&mut stages.link_problems)
                .into_iter()
                .map(Some)
                .collect();
            known[pi] = None;
            known
        });
        let search = Arc::clone(&good.search);
        let loaded = build::Loaded {
            site: stages.site,
            careers: stages.careers,
            diagnostics: Vec::new(),
            theme: Some(good.snapshot.theme.clone()),
            rendered: Some(stages.rendered),
            renumbered: stages.renumbered,
            checked,
        };
        self.finish_page(loaded, pi, &search)
    }

    /// Page `pi`'s front matter or title changed, and no file came or
    /// went: the structure is worked out again from the pages in memory
    /// with the page as read now (`build::relink`; no walk, no other read).
    fn relink_page(
        &mut self,
        pi: usize,
        mut fresh: crate::content::Page,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        let good = self.good.as_ref().expect("a good build exists");
        let old = &good.snapshot.stages;
        fresh.last_commit = old.site.pages[pi].last_commit;
        let rel = fresh.source.clone();
        let mut site = old.site.clone();
        site.pages[pi] = fresh;
        self.clock.mark("copy");
        let relinked = build::relink(old, site, &self.options);
        self.clock.mark("read");
        let (loaded, n) = self.with_markdown(relinked, &HashSet::from([rel.clone()]));
        let eager: Vec<usize> = loaded
            .site
            .index
            .pages
            .get(&rel)
            .copied()
            .into_iter()
            .collect();
        self.finish(loaded, Scope::Content, Eager::Pages(&eager), n)
    }

    /// `finish` for a body edit of page `pi`: the search index, if it was
    /// made, has that page's entry replaced instead of being made again.
    fn finish_page(
        &mut self,
        loaded: build::Loaded,
        pi: usize,
        search: &Mutex<Option<SearchIndex>>,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        // Held until the new session state is in place, so the index cannot
        // be made from the old snapshot meanwhile.
        let mut index = search
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let previous_files = self
            .good
            .as_ref()
            .and_then(|g| g.output.groups.iter().find(|(f, _)| *f == SEARCH_FOLDER))
            .and_then(|(_, l)| l.if_made().cloned());
        let rebuilt = self.finish(loaded, Scope::Page, Eager::Pages(&[pi]), 1)?;
        let good = self.good.as_mut().expect("finish keeps a good build");
        if let (Some(mut idx), Some(mut files)) = (index.take(), previous_files) {
            let snapshot = &good.snapshot;
            for (i, doc) in render::search_docs(&snapshot.inputs(), &snapshot.render, &[pi]) {
                let update = idx.replace(i, doc);
                for (path, json) in update.write {
                    files.insert(path, OutputFile::bytes(json));
                }
                for path in update.remove {
                    files.remove(&path);
                }
            }
            // Not shared yet: `finish` just made it.
            let output = Arc::make_mut(&mut good.output);
            output.groups.retain(|(f, _)| *f != SEARCH_FOLDER);
            let made = Arc::new(LazyFiles::made(files));
            output.groups.push((SEARCH_FOLDER.to_string(), made));
            *good
                .search
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(idx);
            self.clock.mark("search");
        }
        let mut rebuilt = rebuilt;
        rebuilt.phases.extend(self.clock.phases.take());
        Ok(rebuilt)
    }

    /// Runs the stages after load (`build::run_stages`, the sequence
    /// `build` runs) and keeps what they made for the next rebuild. Pages
    /// are rendered when asked for, except those `eager` names (and their
    /// sections), which are rendered now so their errors fail the rebuild.
    fn finish(
        &mut self,
        loaded: build::Loaded,
        scope: Scope,
        eager: Eager,
        markdown_rendered: usize,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        let mut options = self.options.clone();
        options.defer_pages = eager != Eager::All;
        let (eager, groups_now) = match eager {
            Eager::All => (&[][..], false),
            Eager::Pages(pages) => (pages, false),
            Eager::Samples(pages) => (pages, true),
        };
        self.clock.mark("prepare");
        let built = build::run_stages(loaded, &options).map_err(|f| f.diagnostics)?;
        let t = &built.timings;
        self.clock.mark("stages");
        let mut phases = self.clock.phases.borrow_mut();
        if let Some(last) = phases.pop() {
            phases.push(("links", t.check_ms));
            phases.push(("render", last.1 - t.check_ms));
        }
        drop(phases);
        let snapshot = Arc::new(Snapshot {
            highlight: built.output.files.get("highlight.css").cloned(),
            render: build::render_options(&options),
            stages: built.stages,
            theme: built.theme,
            prepared: std::sync::OnceLock::new(),
        });
        let mut output = built.output;
        let errors = render_now(&snapshot, &mut output, eager);
        if !errors.is_empty() {
            return Err(sorted(errors));
        }
        defer(&snapshot, &mut output);
        let mut warnings = built.diagnostics;
        if options.defer_pages {
            for group in [Group::Careers, Group::Cards] {
                let folder = render::group_folder(&snapshot.stages.site.config, group);
                let files = if groups_now {
                    let inputs = snapshot.inputs();
                    let highlight = snapshot.highlight.as_ref();
                    let (files, diags) =
                        render::render_group(&inputs, &snapshot.render, highlight, group);
                    if diagnostic::has_errors(&diags) {
                        return Err(sorted(diags));
                    }
                    warnings.extend(diags);
                    LazyFiles::made(files)
                } else {
                    lazy_group(&snapshot, group)
                };
                output.groups.push((folder, Arc::new(files)));
            }
        }
        let search = Arc::new(Mutex::new(None));
        if snapshot.stages.site.config.search.enabled {
            let files = Arc::new(lazy_search(&snapshot, &search));
            output.groups.push((SEARCH_FOLDER.to_string(), files));
        }
        self.good = Some(Good {
            snapshot,
            output: Arc::new(output),
            search,
        });
        self.clock.mark("publish");
        Ok(Rebuilt {
            scope,
            css_only: false,
            warnings,
            markdown_rendered,
            phases: self.clock.phases.take(),
        })
    }
}

/// Which pages a rebuild renders now; the others are rendered on request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Eager<'a> {
    /// Every page: the first build and template edits, so a template error
    /// on any page is reported.
    All,
    /// These pages and their sections.
    Pages(&'a [usize]),
    /// These pages and their sections, and the careers pages and cards:
    /// after the templates or the configuration changed, enough to report
    /// a broken template.
    Samples(&'a [usize]),
}

/// One page of each template, and the first role page (roles show their
/// own blocks): rendered at once after a template or configuration edit.
fn samples(loaded: &build::Loaded) -> Vec<usize> {
    let mut seen = HashSet::new();
    (0..loaded.site.pages.len())
        .filter(|&i| {
            let role = loaded.careers.role(i).is_some();
            seen.insert((loaded.site.pages[i].template.clone(), role))
        })
        .collect()
}

/// Renders the deferred files of pages `eager` (and of their sections)
/// now; returns the template errors.
fn render_now(snapshot: &Arc<Snapshot>, output: &mut Output, eager: &[usize]) -> Vec<Diagnostic> {
    let site = &snapshot.stages.site;
    let mut jobs: Vec<(String, Job)> = Vec::new();
    for &i in eager {
        let page = &site.pages[i];
        let section = &site.sections[page.section];
        jobs.push((format!("{}index.html", page.url), Job::Page(i)));
        jobs.push((
            format!("{}index.html", section.url),
            Job::Section(page.section),
        ));
    }
    let mut errors = Vec::new();
    for (path, job) in jobs {
        if !matches!(output.files.get(&path), Some(OutputFile::Deferred(j)) if *j == job) {
            continue;
        }
        match render::render_job(
            &snapshot.inputs(),
            &snapshot.render,
            snapshot.highlight.as_ref(),
            job,
        ) {
            Ok(bytes) => output.insert(path, OutputFile::Lazy(Arc::new(Lazy::made(bytes)))),
            Err(d) => errors.push(d),
        }
    }
    errors
}

/// Turns every deferred file into one rendered from `snapshot` when first read.
fn defer(snapshot: &Arc<Snapshot>, output: &mut Output) {
    for file in output.files.values_mut() {
        if let OutputFile::Deferred(job) = *file {
            let snapshot = Arc::clone(snapshot);
            *file = OutputFile::Lazy(Arc::new(Lazy::new(move || {
                render::render_job(
                    &snapshot.inputs(),
                    &snapshot.render,
                    snapshot.highlight.as_ref(),
                    job,
                )
            })));
        }
    }
}

/// A group of files `render` deferred, made from `snapshot` when the first
/// is asked for. A template error there (a content edit can bring one out)
/// is served, for every path in the group's folder, as the error page.
fn lazy_group(snapshot: &Arc<Snapshot>, group: Group) -> LazyFiles {
    let snapshot = Arc::clone(snapshot);
    LazyFiles::new(move || {
        let inputs = snapshot.inputs();
        let (mut files, diags) = render::render_group(
            &inputs,
            &snapshot.render,
            snapshot.highlight.as_ref(),
            group,
        );
        if let Some(error) = diags.into_iter().find(Diagnostic::is_error) {
            let folder = render::group_folder(&snapshot.stages.site.config, group);
            files.insert(folder, OutputFile::Lazy(Arc::new(Lazy::failed(error))));
        }
        files
    })
}

/// The search index's files, made from `snapshot` when first asked for;
/// the index is left in `slot` for later edits to update.
fn lazy_search(snapshot: &Arc<Snapshot>, slot: &Arc<Mutex<Option<SearchIndex>>>) -> LazyFiles {
    let snapshot = Arc::clone(snapshot);
    let slot = Arc::clone(slot);
    LazyFiles::new(move || {
        let mut kept = slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let index = render::search_index(&snapshot.inputs(), &snapshot.render);
        let files: BTreeMap<String, OutputFile> = index
            .files()
            .into_iter()
            .map(|(path, json)| (path, OutputFile::bytes(json)))
            .collect();
        *kept = Some(index);
        files
    })
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
