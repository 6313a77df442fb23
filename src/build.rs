//! The pipeline, stage by stage: load → resolve → render markdown → check
//! links → render templates. Returns the site model and the built output in
//! memory; `cli::build` writes it, `serve` serves it. Each stage reports
//! diagnostics; the build fails if any is an error, after every stage that
//! can still run has run, so one run reports everything.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{self, Overrides};
use crate::content::{self, LinkTarget, Site};
use crate::date::Date;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::highlight::Highlighter;
use crate::markdown::{self, links::Resolver};
use crate::output::Output;
use crate::render;
use crate::theme::{self, Theme};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
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
}

pub struct Built {
    pub site: Site,
    pub output: Output,
    /// With `BuildOptions::stream`: the folder the pages were written into;
    /// `Staging::finish(&output)` completes it and swaps it in.
    pub staging: Option<crate::output::Staging>,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
}

#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub load_ms: f64,
    pub markdown_ms: f64,
    pub render_ms: f64,
}

impl Built {
    pub fn page_count(&self) -> usize {
        self.output.page_count()
    }

    pub fn asset_count(&self) -> usize {
        self.output.asset_count()
    }
}

/// Loads the configuration and content under `root`.
pub fn load(
    root: &Path,
    options: &BuildOptions,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut config = config::load(root, &options.overrides)?;
    let mut framework_diags = Vec::new();
    let base_path = config.base_path().to_string();
    config.careers.framework = crate::careers::framework::load(
        &config.root,
        &config.careers,
        &base_path,
        &mut framework_diags,
    )
    .map(std::sync::Arc::new);
    let (mut site, mut diags) = content::load(config);
    diags.extend(framework_diags);
    let today = options.today.unwrap_or_else(Date::today);
    crate::careers::resolve(&mut site, today, &mut diags);
    register_generated(&mut site, &mut diags);
    Ok((site, diags))
}

/// Careers pages and other generated files are link targets too; a content
/// page on one of their URLs is an error.
fn register_generated(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    let mut urls = vec![
        "sitemap.xml".to_string(),
        "robots.txt".into(),
        format!("{}/", crate::output::search::DIR),
        "404.html".into(),
    ];
    if crate::careers::enabled(site) {
        let careers = crate::careers::generated_urls(&site.config.careers);
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
        let pay_intro = crate::careers::pay_intro_url(&site.config.careers);
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

/// The site's structure and roles worked out again after one already-read
/// page changed (see `content::relink`); nothing is read from disk.
pub fn relink(site: Site, options: &BuildOptions) -> (Site, Vec<Diagnostic>) {
    let (mut site, mut diags) = content::relink(site);
    let today = options.today.unwrap_or_else(Date::today);
    crate::careers::resolve(&mut site, today, &mut diags);
    register_generated(&mut site, &mut diags);
    (site, diags)
}

/// Renders one page's markdown and stores the result.
pub fn render_page_markdown(site: &mut Site, pi: usize) {
    let highlighter = Highlighter::from_setting(&site.config.markdown.highlight_theme);
    let page = &site.pages[pi];
    let rendered = markdown::render(
        page,
        page_target(page, pi),
        &Resolver::new(site),
        &highlighter,
        site.config.markdown.smart_punctuation,
    );
    site.pages[pi].rendered = rendered;
    markdown::fragment_case::fix_page(site, pi);
}

/// How links to page `i` are represented: an index page stands for its section.
fn page_target(page: &content::Page, i: usize) -> LinkTarget {
    if page.is_index {
        LinkTarget::Section(page.section)
    } else {
        LinkTarget::Page(i)
    }
}

/// Renders every page's markdown in parallel and stores the result.
pub fn render_markdown(site: &mut Site) {
    let highlighter = Highlighter::from_setting(&site.config.markdown.highlight_theme);
    let smart = site.config.markdown.smart_punctuation;
    let rendered: Vec<markdown::Rendered> = {
        let resolver = Resolver::new(site);
        site.pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| {
                markdown::render(page, page_target(page, i), &resolver, &highlighter, smart)
            })
            .collect()
    };
    for (page, r) in site.pages.iter_mut().zip(rendered) {
        page.rendered = r;
    }
    markdown::fragment_case::fix_all(site);
}

/// The whole pipeline. `Err` carries every diagnostic (errors and warnings).
pub fn build(root: &Path, options: &BuildOptions) -> Result<Built, Vec<Diagnostic>> {
    let t0 = Instant::now();
    let (mut site, mut diags) = load(root, options)?;
    let t1 = Instant::now();
    if site.sections.is_empty() {
        // Nothing loaded at all (no content folder, bad output folder).
        if let Err(t) = theme::load(&site.config) {
            diags.extend(t);
        }
        diagnostic::sort(&mut diags);
        return Err(diags);
    }
    // Templates compile while markdown renders. Markdown and links are
    // checked even when some pages failed to load, so one run reports every
    // problem.
    let config = site.config.clone();
    let (theme, ()) = rayon::join(|| theme::load(&config), || render_markdown(&mut site));
    diags.extend(markdown::links::check(&site));
    let t2 = Instant::now();
    let theme = match theme {
        Ok(t) => t,
        Err(t) => {
            diags.extend(t);
            diagnostic::sort(&mut diags);
            return Err(diags);
        }
    };
    if diagnostic::has_errors(&diags) {
        diagnostic::sort(&mut diags);
        return Err(diags);
    }
    let staging = if options.stream {
        // Page bodies, links and ids are not needed once links are checked.
        for page in &mut site.pages {
            page.markdown = String::new();
            page.rendered.links = Vec::new();
            page.rendered.ids = Default::default();
        }
        match crate::output::Staging::create(&site.config.output_path(), options.force) {
            Ok(s) => Some(s),
            Err(d) => {
                diags.push(d);
                return Err(diags);
            }
        }
    } else {
        None
    };
    let (output, render_diags) =
        render_into(&site, &theme, options, staging.as_ref().map(|s| s.path()));
    diags.extend(render_diags);
    diagnostic::sort(&mut diags);
    if diagnostic::has_errors(&diags) {
        return Err(diags);
    }
    let t3 = Instant::now();
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    Ok(Built {
        site,
        output,
        staging,
        diagnostics: diags,
        timings: Timings {
            load_ms: ms(t0, t1),
            markdown_ms: ms(t1, t2),
            render_ms: ms(t2, t3),
        },
    })
}

/// Renders templates for an already loaded and rendered site.
pub fn render_with(
    site: &Site,
    theme: &Theme,
    options: &BuildOptions,
) -> (Output, Vec<Diagnostic>) {
    render_into(site, theme, options, None)
}

fn render_into(
    site: &Site,
    theme: &Theme,
    options: &BuildOptions,
    stream_to: Option<&Path>,
) -> (Output, Vec<Diagnostic>) {
    let render_options = render::Options {
        serve: options.serve,
        today: options.today,
        stream_to: stream_to.map(Path::to_path_buf),
    };
    render::render_site(site, theme, &render_options)
}
