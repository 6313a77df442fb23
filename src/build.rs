//! The pipeline, stage by stage: load (config, content, careers) →
//! markdown → link check → templates. `build` runs them all; `run_stages`
//! is everything after load and is the one sequence `build`, `check` and
//! `serve` share (serve hands it the theme and the markdown it kept). Each
//! stage returns its own result (`Stages` holds them, indexed by page) and
//! reports diagnostics; the build fails if any is an error, after every
//! stage that can still run has run, so one run reports everything. A
//! failed build still returns what the stages made (`Failed::stages`).

use std::path::Path;
use std::time::Instant;

use crate::careers::{self, Careers};
use crate::config::{self, Overrides};
use crate::content::{self, Site};
use crate::date::Date;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::highlight::prefetch::Prefetch;
use crate::highlight::Highlighter;
use crate::markdown::{self, links::Resolver, Rendered};
use crate::output::{Memory, Output, PageSink};
use crate::render;
use crate::theme::{self, Theme};

/// How to build: what the command line said, and what `serve` needs.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Command-line values that win over `site.toml`.
    pub overrides: Overrides,
    /// Rendering for `handbook serve`.
    pub serve: bool,
    /// The date used to decide whether openings have closed (default: today).
    pub today: Option<Date>,
    /// `handbook build`: write pages into a staging folder beside the
    /// output folder as they render (see `Built::staging`) and drop page
    /// data once it is no longer needed, so memory does not grow with the
    /// whole site's HTML.
    pub stream: bool,
    /// `handbook build --force`: replace the output folder even when it was
    /// not written by handbook (see `output::check_replaceable`).
    pub force: bool,
    /// `serve`'s session: leave pages and section pages unrendered in the
    /// output (`OutputFile::Deferred`) and render each when it is asked for,
    /// so an edit on a large site does not render every page again.
    pub defer_pages: bool,
}

/// What the stages before templating made, indexed by page: the loaded
/// site, its careers data and each page's rendered markdown. `serve` keeps
/// them between rebuilds; a failed build hands them to `check`.
#[derive(Clone)]
pub(crate) struct Stages {
    pub(crate) site: Site,
    pub(crate) careers: Careers,
    pub(crate) rendered: Vec<std::sync::Arc<Rendered>>,
    /// Some of `rendered` was made for a site whose pages were numbered
    /// differently (see `Loaded::renumbered`); it stays so until every page
    /// is rendered again.
    pub(crate) renumbered: bool,
    /// Each page's link-check problems (and math warnings), so `serve` can
    /// keep those of pages whose links did not change.
    pub(crate) link_problems: Vec<Vec<Diagnostic>>,
}

impl Stages {
    /// What `render` takes.
    pub(crate) fn inputs<'a>(&'a self, theme: &'a Theme) -> render::Inputs<'a> {
        render::Inputs {
            site: &self.site,
            careers: &self.careers,
            rendered: &self.rendered,
            bodies: None,
            theme,
            prepared: None,
        }
    }
}

/// A failed build: every diagnostic (errors and warnings, sorted) and the
/// stages that ran, when the content loaded at all.
pub struct Failed {
    /// Every error and warning, sorted.
    pub diagnostics: Vec<Diagnostic>,
    pub(crate) stages: Option<Box<Stages>>,
}

impl Failed {
    fn early(mut diagnostics: Vec<Diagnostic>) -> Failed {
        diagnostic::sort(&mut diagnostics);
        Failed {
            diagnostics,
            stages: None,
        }
    }

    fn with(mut diagnostics: Vec<Diagnostic>, stages: Stages) -> Failed {
        diagnostic::sort(&mut diagnostics);
        Failed {
            diagnostics,
            stages: Some(Box::new(stages)),
        }
    }
}

impl std::fmt::Debug for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.diagnostics).finish()
    }
}

/// A successful build: the site's files and what the stages made.
pub struct Built {
    pub(crate) stages: Stages,
    /// The compiled theme (`serve` keeps it for the next rebuild).
    pub(crate) theme: Theme,
    /// Every output file (in memory, or marked written when streamed).
    pub output: Output,
    /// With `BuildOptions::stream`: the folder the pages were written into;
    /// `Staging::finish(&output)` completes it and swaps it in.
    pub(crate) staging: Option<crate::output::Staging>,
    /// Warnings (a successful build has no errors).
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) timings: Timings,
}

impl Built {
    /// The build's warnings (a successful build has no errors).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Timings {
    pub(crate) load_ms: f64,
    pub(crate) markdown_ms: f64,
    /// The link check (part of `render_ms`).
    pub(crate) check_ms: f64,
    pub(crate) render_ms: f64,
}

impl Built {
    pub(crate) fn page_count(&self) -> usize {
        self.output.page_count()
    }

    pub(crate) fn asset_count(&self) -> usize {
        self.output.asset_count()
    }
}

/// Loads the configuration and content under `root` and resolves the
/// careers data (roles and the framework).
pub fn load(
    root: &Path,
    options: &BuildOptions,
) -> Result<(Site, Careers, Vec<Diagnostic>), Vec<Diagnostic>> {
    let config = config::load(root, &options.overrides)?;
    Ok(load_with(config, options))
}

/// `load` after the configuration is read.
fn load_with(config: config::Config, options: &BuildOptions) -> (Site, Careers, Vec<Diagnostic>) {
    let git = content::start_git(&config);
    load_observed(config, Some(git), options, &mut |_| {})
}

/// `load_with`, handing the pages to `on_read` as soon as they are read
/// (see `content::load_observed`).
fn load_observed(
    config: config::Config,
    git: Option<content::git::Pending>,
    options: &BuildOptions,
    on_read: &mut dyn FnMut(&[content::Page]),
) -> (Site, Careers, Vec<Diagnostic>) {
    let mut framework_diags = Vec::new();
    let framework = careers::framework::load(
        &config.root,
        &config.careers,
        config.base_path(),
        &mut framework_diags,
    )
    .map(std::sync::Arc::new);
    let (site, mut diags) = content::load_observed(config, git, options.serve, on_read);
    diags.extend(framework_diags);
    with_careers(site, framework, diags, options)
}

/// `build`'s theme, compiled on a thread of its own (`None` if the thread
/// cannot start; the theme is then compiled with the markdown).
fn spawn_theme(
    config: &config::Config,
    options: &BuildOptions,
) -> Option<std::thread::JoinHandle<Option<Theme>>> {
    let framework = options.serve || careers::framework::has_files(&config.root);
    let config = config.clone();
    std::thread::Builder::new()
        .name("theme".into())
        .spawn(move || theme::load_for(&config, framework).ok())
        .ok()
}

/// `handbook build`'s early start on code highlighting (see
/// `highlight::prefetch`): what it needs from the configuration.
struct EarlyHighlight {
    enabled: bool,
    drafts: bool,
    highlighter: Highlighter,
    options: pulldown_cmark::Options,
}

impl EarlyHighlight {
    fn new(config: &config::Config, options: &BuildOptions) -> EarlyHighlight {
        EarlyHighlight {
            enabled: options.stream && !options.serve,
            drafts: config.drafts,
            highlighter: Highlighter::from_setting(&config.markdown.highlight_theme),
            options: markdown::options(config.markdown.smart_punctuation),
        }
    }

    /// Starts on the fenced blocks of the pages to publish.
    fn start(&self, pages: &[content::Page]) -> Option<Prefetch> {
        if !self.enabled {
            return None;
        }
        let sources = pages
            .iter()
            .filter(|p| self.drafts || !p.is_draft())
            .map(|p| p.markdown.clone())
            .collect();
        Prefetch::start(sources, self.highlighter.clone(), self.options)
    }
}

/// The careers stage after any kind of load: roles validated against the
/// framework, and the generated pages registered as link targets.
fn with_careers(
    mut site: Site,
    framework: Option<std::sync::Arc<careers::framework::Framework>>,
    mut diags: Vec<Diagnostic>,
    options: &BuildOptions,
) -> (Site, Careers, Vec<Diagnostic>) {
    let today = options.today.unwrap_or_else(Date::today);
    let careers = careers::resolve(&site, framework, today, &mut diags);
    register_generated(&mut site, &careers, &mut diags);
    (site, careers, diags)
}

/// Careers pages and other generated files are link targets too; a content
/// page on one of their URLs is an error.
fn register_generated(site: &mut Site, careers: &Careers, diags: &mut Vec<Diagnostic>) {
    let mut urls = vec![
        "sitemap.xml".to_string(),
        "robots.txt".into(),
        format!("{}/", crate::output::search::DIR),
        "404.html".into(),
    ];
    if careers.enabled(&site.config) {
        let careers = careers::generated_urls(&site.config.careers, careers.framework.as_deref());
        for section in &site.sections {
            if !careers.contains(&section.url) {
                continue;
            }
            let page = section
                .index_page
                .or_else(|| section.pages.first().copied());
            if let Some(page) = page.map(|p| &site.pages[p]) {
                diags.push(
                    Diagnostic::error(Code::ReservedUrl, &page.display, format!("the URL /{} is taken by a generated careers page", section.url))
                        .hint("rename the folder, or set careers.path in site.toml to move the careers pages"),
                );
            }
        }
        let pay_intro = careers::pay_intro_url(&site.config.careers);
        for page in site
            .pages
            .iter()
            .filter(|p| !p.is_index && careers.contains(&p.url) && p.url != pay_intro)
        {
            diags.push(
                Diagnostic::error(
                    Code::ReservedUrl,
                    &page.display,
                    format!(
                        "this page's URL /{} is taken by a generated careers page",
                        page.url
                    ),
                )
                .hint(
                    "rename the page, or set careers.path in site.toml to move the careers pages",
                ),
            );
        }
        urls.extend(careers);
        urls.push(format!("{}/", site.config.careers.path));
    }
    site.index.generated.extend(urls);
}

/// The site loaded again after the files in `changed` changed on disk,
/// reading only those (see `content::reload`), with its careers data; the
/// framework is the one read with the configuration.
pub(crate) fn reload(
    old: &Stages,
    changed: &std::collections::HashSet<String>,
    options: &BuildOptions,
) -> (Site, Careers, Vec<Diagnostic>) {
    let (site, diags) = content::reload(&old.site, changed);
    with_careers(site, old.careers.framework.clone(), diags, options)
}

/// `old`'s site with its pages as in `site` (one page's front matter
/// changed), its structure and roles worked out again without reading or
/// walking anything (see `content::relink`).
pub(crate) fn relink(
    old: &Stages,
    site: Site,
    options: &BuildOptions,
) -> (Site, Careers, Vec<Diagnostic>) {
    let (site, diags) = content::relink(site);
    with_careers(site, old.careers.framework.clone(), diags, options)
}

/// Every page's markdown for `site`, a reload of `old`'s site: pages the
/// edit cannot have changed keep their rendering (`markdown::reuse`).
/// Returns the pages, how many were rendered again, whether pages were
/// numbered afresh (see `Loaded::renumbered`) and which kept their
/// rendering.
pub(crate) fn rerender_markdown(
    old: &Stages,
    site: &Site,
    changed: &std::collections::HashSet<String>,
) -> markdown::reuse::Rerendered {
    let highlighter = Highlighter::from_setting(&site.config.markdown.highlight_theme);
    let previous = markdown::reuse::Previous {
        site: &old.site,
        rendered: &old.rendered,
    };
    markdown::reuse::rerender(
        &previous,
        site,
        changed,
        &markdown_settings(site, &highlighter),
    )
}

/// Bytes of body text markdown keeps per page for search: what the search
/// index uses, and a little more to cut at a word.
const SEARCH_TEXT_LIMIT: usize = crate::output::search::BODY_LIMIT + 100;

/// Renders one page's markdown.
pub(crate) fn render_page_markdown(site: &Site, pi: usize) -> Rendered {
    let highlighter = Highlighter::from_setting(&site.config.markdown.highlight_theme);
    let settings = markdown_settings(site, &highlighter);
    markdown::render(
        &site.pages[pi],
        site.link_target_of(pi),
        &Resolver::new(site),
        &settings,
    )
}

fn markdown_settings<'a>(site: &Site, highlighter: &'a Highlighter) -> markdown::Settings<'a> {
    markdown::Settings {
        highlighter,
        prefetch: None,
        smart_punctuation: site.config.markdown.smart_punctuation,
        text_limit: SEARCH_TEXT_LIMIT,
    }
}

/// Renders every page's markdown in parallel: one `Rendered` per page.
pub fn render_markdown(site: &Site) -> Vec<std::sync::Arc<Rendered>> {
    let highlighter = Highlighter::from_setting(&site.config.markdown.highlight_theme);
    let mut rendered: Vec<std::sync::Arc<Rendered>> =
        markdown::render_all(site, &markdown_settings(site, &highlighter))
            .into_iter()
            .map(std::sync::Arc::new)
            .collect();
    markdown::fragment_case::fix_all(site, &mut rendered);
    rendered
}

/// `render_markdown` for a streamed build: the bodies are moved out of the
/// site and each is freed once its page is rendered (nothing after the
/// markdown stage reads them), so sources and HTML are not all held at once.
fn render_markdown_taking(
    site: &Site,
    bodies: Vec<std::sync::Arc<str>>,
    prefetch: Option<&Prefetch>,
) -> Vec<std::sync::Arc<Rendered>> {
    let highlighter = Highlighter::from_setting(&site.config.markdown.highlight_theme);
    let mut settings = markdown_settings(site, &highlighter);
    settings.prefetch = prefetch;
    if let Some(p) = prefetch {
        p.begin();
    }
    let mut rendered: Vec<std::sync::Arc<Rendered>> =
        markdown::render_all_taking(site, bodies, &settings)
            .into_iter()
            .map(std::sync::Arc::new)
            .collect();
    markdown::fragment_case::fix_all(site, &mut rendered);
    rendered
}

/// Every page's markdown moved out of the site, for a streamed build
/// (`render_markdown_taking`).
fn take_sources(site: &mut Site) -> Vec<std::sync::Arc<str>> {
    site.pages
        .iter_mut()
        .map(|p| std::mem::replace(&mut p.file_mut().markdown, std::sync::Arc::from("")))
        .collect()
}

/// The whole pipeline. `Err` carries every diagnostic (errors and
/// warnings) and whatever the stages made before the build failed.
pub fn build(root: &Path, options: &BuildOptions) -> Result<Built, Failed> {
    let t0 = Instant::now();
    let config = config::load(root, &options.overrides).map_err(Failed::early)?;
    // Three things run beside the content load, each on a thread of its own
    // so that none waits behind the others' work on the rayon pool (which
    // reads the pages): `git log` for the dates, started first and waited
    // for only before the templates (`run_stages_with`); the theme
    // (a quarter of a small site's build), which does not depend on the
    // content; and, once the pages are read, highlighting their code (see
    // `highlight::prefetch`; its syntax set is loaded from the start when
    // the last build had code, see `highlight::preload`). A theme with
    // errors is compiled again by `run_stages`, which reports them after the
    // content's own diagnostics.
    let git = content::start_git(&config);
    let early = EarlyHighlight::new(&config, options);
    if early.enabled && config.output_path().join("highlight.css").is_file() {
        crate::highlight::preload();
    }
    let theme = spawn_theme(&config, options);
    let mut prefetch = None;
    let (site, careers, diagnostics) = load_observed(config, None, options, &mut |pages| {
        prefetch = early.start(pages);
    });
    let theme = theme.and_then(|t| t.join().ok()).flatten();
    let load_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let loaded = Loaded {
        site,
        careers,
        diagnostics,
        theme,
        rendered: None,
        renumbered: false,
        checked: None,
    };
    let mut built = run_stages_with(loaded, options, prefetch.as_ref(), Some(git))?;
    built.timings.load_ms = load_ms;
    Ok(built)
}

/// Where the stages after load start: the loaded site and its careers data
/// with their diagnostics, and what the caller already has (`serve` keeps
/// the compiled theme and the markdown of pages that did not change).
pub(crate) struct Loaded {
    pub(crate) site: Site,
    pub(crate) careers: Careers,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The compiled theme; `None` compiles it while markdown renders.
    pub(crate) theme: Option<Theme>,
    /// Every page's rendered markdown; `None` renders it.
    pub(crate) rendered: Option<Vec<std::sync::Arc<Rendered>>>,
    /// Some of `rendered` was made for a site whose pages were numbered
    /// differently (`serve` after a page was added or removed), so the
    /// link check must not trust the targets it recorded.
    pub(crate) renumbered: bool,
    /// Per page, the link-check problems of the last check when they still
    /// hold (`serve`: the page's rendering and every link target are as
    /// they were); those pages are not checked again. `None` checks all.
    pub(crate) checked: Option<Vec<Option<Vec<Diagnostic>>>>,
}

/// The markdown stage (unless `rendered` is given), in parallel with
/// compiling the theme (unless `theme` is given).
fn markdown_and_theme(
    site: &mut Site,
    theme: Option<Theme>,
    rendered: Option<Vec<std::sync::Arc<Rendered>>>,
    options: &BuildOptions,
    prefetch: Option<&Prefetch>,
) -> (
    Result<Theme, Vec<Diagnostic>>,
    Vec<std::sync::Arc<Rendered>>,
) {
    let bodies = (options.stream && rendered.is_none()).then(|| take_sources(site));
    let site = &*site;
    rayon::join(
        || theme.map_or_else(|| theme::load(&site.config), Ok),
        || match (rendered, bodies) {
            (Some(r), _) => r,
            (None, Some(bodies)) => render_markdown_taking(site, bodies, prefetch),
            (None, None) => render_markdown(site),
        },
    )
}

/// The stage sequence after load, the one `build`, `check` and `serve` all
/// run: markdown (in parallel with compiling the theme), the link check,
/// templates. Every stage that can run does, so one run reports every
/// problem; the build fails after, if any is an error.
pub(crate) fn run_stages(loaded: Loaded, options: &BuildOptions) -> Result<Built, Failed> {
    run_stages_with(loaded, options, None, None)
}

/// `run_stages` with the blocks `build` started highlighting early and
/// the `git log` it started for the dates, which only the templates read
/// (the load left them out; they are set just before rendering, so git
/// runs beside the load and the markdown instead of holding up the load).
fn run_stages_with(
    loaded: Loaded,
    options: &BuildOptions,
    prefetch: Option<&Prefetch>,
    git: Option<content::git::Pending>,
) -> Result<Built, Failed> {
    let t1 = Instant::now();
    let Loaded {
        mut site,
        careers,
        mut diagnostics,
        theme,
        rendered,
        renumbered,
        checked,
    } = loaded;
    if site.sections.is_empty() {
        // Nothing loaded at all (no content folder, bad output folder).
        if let Some(Err(t)) = theme.is_none().then(|| theme::load(&site.config)) {
            diagnostics.extend(t);
        }
        return Err(Failed::early(diagnostics));
    }
    let (theme, rendered) = markdown_and_theme(&mut site, theme, rendered, options, prefetch);
    let mut stages = Stages {
        site,
        careers,
        rendered,
        renumbered,
        link_problems: Vec::new(),
    };
    let t2 = Instant::now();
    let Some(theme) = check_links(&mut stages, checked, theme, &mut diagnostics) else {
        return Err(Failed::with(diagnostics, stages));
    };
    let t3 = Instant::now();
    let streaming = options
        .stream
        .then(|| start_streaming(&mut stages, options));
    let staging = match streaming.transpose() {
        Ok(staging) => staging,
        Err(d) => {
            diagnostics.push(d);
            return Err(Failed::with(diagnostics, stages));
        }
    };
    if let Some(git) = git {
        content::set_git_dates(&mut stages.site, git);
    }
    let (output, render_diags) = render_to(&mut stages, &theme, staging.as_ref(), options);
    diagnostics.extend(render_diags);
    diagnostic::sort(&mut diagnostics);
    if diagnostic::has_errors(&diagnostics) {
        return Err(Failed::with(diagnostics, stages));
    }
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    Ok(Built {
        timings: Timings {
            load_ms: 0.0,
            markdown_ms: ms(t1, t2),
            check_ms: ms(t2, t3),
            render_ms: ms(t2, Instant::now()),
        },
        stages,
        theme,
        output,
        staging,
        diagnostics,
    })
}

/// The templates stage: pages go to `staging` as they are rendered (each
/// page's HTML freed once its page is written), or into memory.
fn render_to(
    stages: &mut Stages,
    theme: &Theme,
    staging: Option<&crate::output::Staging>,
    options: &BuildOptions,
) -> (crate::output::Output, Vec<Diagnostic>) {
    let sink: &dyn PageSink = match staging {
        Some(s) => s,
        None => &Memory,
    };
    let bodies = staging.is_some().then(|| {
        let search = stages.site.config.search.enabled;
        render::Bodies::take_from(&mut stages.rendered, search)
    });
    let mut inputs = stages.inputs(theme);
    inputs.bodies = bodies.as_ref();
    render::render_site(&inputs, &render_options(options), sink)
}

/// `handbook build` writes pages into a staging folder as they render;
/// page bodies, links and ids are not needed once links are checked.
fn start_streaming(
    stages: &mut Stages,
    options: &BuildOptions,
) -> Result<crate::output::Staging, Diagnostic> {
    for (page, rendered) in stages.site.pages.iter_mut().zip(&mut stages.rendered) {
        page.file_mut().markdown = "".into();
        let rendered = std::sync::Arc::make_mut(rendered);
        rendered.links = Vec::new();
        rendered.ids = Default::default();
    }
    crate::output::Staging::create(&stages.site.config.output_path(), options.force)
}

/// The stage between markdown and templates, shared by `build` and
/// `serve`: checks every link and fragment now that every page's ids are
/// known, and takes the compiled theme. `None` (with the diagnostics
/// sorted) when the build cannot go on to render.
pub(crate) fn check_links(
    stages: &mut Stages,
    known: Option<Vec<Option<Vec<Diagnostic>>>>,
    theme: Result<Theme, Vec<Diagnostic>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Theme> {
    stages.link_problems = markdown::check_links(
        &stages.site,
        &stages.rendered,
        stages.renumbered,
        known.as_deref(),
    );
    diags.extend(stages.link_problems.iter().flatten().cloned());
    let theme = match theme {
        Ok(t) => Some(t),
        Err(t) => {
            diags.extend(t);
            None
        }
    };
    if theme.is_none() || diagnostic::has_errors(diags) {
        diagnostic::sort(diags);
        return None;
    }
    theme
}

/// The options templates are rendered with.
pub(crate) fn render_options(options: &BuildOptions) -> render::Options {
    render::Options {
        serve: options.serve,
        today: options.today,
        defer: options.defer_pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site on disk: `site.toml` and `(path, text)` files under `content/`.
    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
        for (rel, text) in files {
            let path = dir.path().join("content").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn each_stage_returns_one_result_per_page_and_markdown_keeps_the_text_limit_it_is_given() {
        // One paragraph per word: text is cut between text runs.
        let body = "word\n\n".repeat(100);
        let dir = site(&[
            ("_index.md", "# Home\n"),
            ("a.md", &format!("# A\n\n{body}\n")),
        ]);
        let (site, careers, diags) = load(dir.path(), &BuildOptions::default()).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(careers.roles.len(), site.pages.len());
        let a = site.index.pages["a.md"];
        let highlighter = Highlighter::Classes;
        let settings = |text_limit| markdown::Settings {
            highlighter: &highlighter,
            prefetch: None,
            smart_punctuation: false,
            text_limit,
        };
        let short = markdown::render_all(&site, &settings(20));
        let long = markdown::render_all(&site, &settings(10_000));
        assert_eq!(short.len(), site.pages.len());
        assert!(short[a].text.len() < 40, "{:?}", short[a].text);
        assert_eq!(long[a].text.matches("word").count(), 100);
        assert_eq!(short[a].html, long[a].html);
    }

    #[test]
    fn a_failed_build_hands_back_what_its_stages_made() {
        let dir = site(&[("_index.md", "# Home\n\n[broken](missing.md)\n")]);
        std::fs::write(
            dir.path().join("site.toml"),
            "[links]\ninternal = \"error\"\n",
        )
        .unwrap();
        let Err(failed) = build(dir.path(), &BuildOptions::default()) else {
            panic!("a broken link with internal = \"error\" fails the build")
        };
        assert!(failed
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.message.contains("missing.md")));
        let stages = failed.stages.expect("the content loaded");
        assert_eq!(stages.rendered.len(), stages.site.pages.len());
        assert_eq!(stages.rendered[0].links.len(), 1);
    }
}
