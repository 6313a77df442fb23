//! Render: the site model and the compiled theme to an in-memory `Output`.
//!
//! Builds the view values templates receive (see `views`), renders every
//! page, section, careers page and the 404 page in parallel, and adds the
//! generated files: redirects for aliases, `.nojekyll`, `CNAME`, sitemap,
//! robots.txt, feeds, `roles.json`, the search index and the highlighting
//! stylesheet. It never touches the disk: copied files are recorded as
//! paths for `output` to copy, and each rendered page goes to a
//! `output::PageSink` (memory, or for `handbook build` the staging folder
//! that `output` writes). One page or section is rendered in `pages`, the
//! sidebar in `nav`, careers pages in `careers_pages`, the redirects,
//! sitemap and search index in `files`.

mod cards;
mod careers_pages;
mod charts;
mod files;
mod framework_blocks;
mod framework_pages;
mod nav;
mod pages;
mod relative;
mod section_cache;
pub(crate) mod views;

/// Sidebar sections longer than this show a "more" link instead of every page,
/// so output grows linearly with the number of pages.
pub(crate) const NAV_SECTION_LIMIT: usize = 40;

/// The theme's sidebar template.
const NAV_PARTIAL: &str = "partials/nav.html";

/// File name of the shared sidebar on large sites.
pub(crate) const NAV_FILE: &str = "_nav.html";

/// Sites with more pages than this load a shared sidebar per section
/// instead of repeating it in every page, so output grows with the content
/// and not with pages × sidebar (on 10,000 pages the repeated sidebars were
/// about 40% of the output).
pub(crate) const INLINE_NAV_MAX_PAGES: usize = 500;

/// Where the social cards go.
pub(crate) const CARDS_DIR: &str = "_cards";

/// Where the plain list of every page goes: the search folder's index.
const PAGE_LIST: &str = "search/index.html";

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use tera::Context;

use crate::careers::{Careers, Role};
use crate::config::Config;
use crate::content::slug::encode_path;
use crate::content::{Page, Site};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::Rendered;
use crate::output::search;
use crate::output::{Group, Job, Memory, Output, OutputFile, PageSink};
use crate::theme::{self, Theme};
use views::*;

#[derive(Default)]
pub(crate) struct Options {
    /// Rendering for `handbook serve`.
    pub(crate) serve: bool,
    pub(crate) today: Option<Date>,
    /// Leave pages, section pages and the page list as `OutputFile::Deferred`
    /// for the caller to render on request (`render_job`): `serve`'s session.
    pub(crate) defer: bool,
}

/// What rendering takes: the results of every earlier stage.
#[derive(Clone, Copy)]
pub(crate) struct Inputs<'a> {
    pub(crate) site: &'a Site,
    /// Validated roles (by page) and the career framework.
    pub(crate) careers: &'a Careers,
    /// Each page's rendered markdown, indexed like `site.pages`.
    pub(crate) rendered: &'a [std::sync::Arc<Rendered>],
    /// A streamed build's page HTML, moved out of `rendered` (see `Bodies`).
    pub(crate) bodies: Option<&'a Bodies>,
    pub(crate) theme: &'a Theme,
    /// Views of the whole site made once for these inputs (`prepare`);
    /// `None` makes them.
    pub(crate) prepared: Option<&'a std::sync::Arc<Prepared>>,
}

/// What every rendering of the same inputs shares: the role views, the
/// framework block of each (track, level) and the social cards' alt text.
/// `serve` keeps them with its snapshot so a page rendered on request does
/// not make them again for every role.
#[derive(Default)]
pub(crate) struct Prepared {
    /// Role views by page index.
    roles: HashMap<usize, RoleView>,
    /// The framework block of role pages, rendered once per (track, level).
    role_frameworks: HashMap<(usize, usize), Result<RoleFrameworkView, Diagnostic>>,
    /// Alt text of the pages with a social card of their own, by URL.
    card_alts: HashMap<String, String>,
}

/// `Prepared` for `inputs` (`highlight` is the site's stylesheet, so it is
/// not made again).
pub(crate) fn prepare(
    inputs: &Inputs,
    options: &Options,
    highlight: Option<&OutputFile>,
) -> std::sync::Arc<Prepared> {
    Renderer::detached(inputs, options, highlight, &mut Vec::new()).prep
}

/// Every page's markdown HTML and search text, moved out of the `Rendered`
/// values by a streamed build (`handbook build`) so that a page's HTML is
/// freed as soon as its page is rendered and written rather than all of it
/// staying in memory until the build ends. Section index pages and the pay
/// page's intro, which other files show, are read without being taken. The
/// search index (built while pages render) is the text's only reader: it
/// takes each page's text when it makes the page's search document, so the
/// text is freed then (the page's word count was counted with the text).
/// Both stay packed (`Rendered::pack`) until their reader takes them.
pub(crate) struct Bodies(Vec<std::sync::Mutex<Body>>);

/// One page's part of `Bodies`.
struct Body {
    html: Held,
    text: Held,
}

/// A string of `Body` as the markdown stage left it.
enum Held {
    Plain(String),
    Packed(crate::markdown::PackedStr),
}

impl Held {
    fn get(&self) -> String {
        match self {
            Held::Plain(s) => s.clone(),
            Held::Packed(p) => p.unpack(),
        }
    }

    fn take(&mut self) -> String {
        match std::mem::replace(self, Held::Plain(String::new())) {
            Held::Plain(s) => s,
            Held::Packed(p) => p.unpack(),
        }
    }
}

impl Bodies {
    /// Moves every page's HTML and text out of `rendered` (a fresh
    /// build's, which nothing else shares). Without a search index
    /// (`search`: false) nothing reads the text, and it is dropped here.
    pub(crate) fn take_from(rendered: &mut [std::sync::Arc<Rendered>], search: bool) -> Bodies {
        Bodies(
            rendered
                .iter_mut()
                .map(std::sync::Arc::make_mut)
                .map(|r| {
                    // The outline stays packed in `r` (`Rendered::outline`).
                    let (html, text) = match r.packed.as_mut() {
                        Some(p) => (
                            Held::Packed(std::mem::take(&mut p.html)),
                            Held::Packed(std::mem::take(&mut p.text)),
                        ),
                        None => (
                            Held::Plain(std::mem::take(&mut r.html)),
                            Held::Plain(std::mem::take(&mut r.text)),
                        ),
                    };
                    let text = if search {
                        text
                    } else {
                        Held::Plain(String::new())
                    };
                    std::sync::Mutex::new(Body { html, text })
                })
                .collect(),
        )
    }

    /// Page `i`'s HTML, kept for the next reader.
    fn html(&self, i: usize) -> String {
        self.lock(i).html.get()
    }

    /// Page `i`'s HTML, handed over (its last reader).
    fn take_html(&self, i: usize) -> String {
        self.lock(i).html.take()
    }

    /// Page `i`'s search text, handed over (its only reader).
    fn take_text(&self, i: usize) -> String {
        self.lock(i).text.take()
    }

    fn lock(&self, i: usize) -> std::sync::MutexGuard<'_, Body> {
        self.0[i]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Pages from which a site's careers pages and cards are made after its
/// pages rather than beside them (`render_all`): a small site gains time
/// from making them early, a large one memory from making them late.
const OTHERS_AFTER_PAGES: usize = 5000;

/// Search result card and chunk files as the index handed them to the sink.
type CardFiles = Vec<(String, Result<OutputFile, Diagnostic>)>;

/// Shared state for one rendering of the site.
struct Renderer<'a> {
    site: &'a Site,
    careers: &'a Careers,
    rendered: &'a [std::sync::Arc<Rendered>],
    bodies: Option<&'a Bodies>,
    theme: &'a Theme,
    options: &'a Options,
    /// Where pages go (`render_site`); in memory unless told otherwise.
    sink: &'a dyn PageSink,
    site_view: SiteView<'a>,
    /// `site_view` serialized once, for every template context.
    site_value: serde_json::Value,
    /// The shared sidebar tree of each section, built on first use.
    nav_cache: section_cache::SectionCache<serde_json::Value>,
    /// The shared sidebar HTML of each section (`partials/nav.html`).
    nav_html_cache: section_cache::SectionCache<Result<String, Diagnostic>>,
    /// Large site: pages load their section's sidebar from a shared file.
    shared_nav: bool,
    base_path: &'a str,
    careers_on: bool,
    /// Role views, framework blocks and card alt text (`Prepared`).
    prep: std::sync::Arc<Prepared>,
    /// The framework's repeated HTML, built on first use.
    fw_blocks: std::sync::OnceLock<framework_blocks::Blocks>,
}

/// Renders the whole site. Pages and section pages go to `sink` as they
/// are rendered (what it returns is recorded in the output); everything
/// else is kept in the returned `Output`.
pub(crate) fn render_site(
    inputs: &Inputs,
    options: &Options,
    sink: &dyn PageSink,
) -> (Output, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut output = Output::default();
    let mut r = Renderer::new(inputs, options, None, &mut output, &mut diags);
    r.sink = sink;
    r.render_all(output, diags)
}

/// Renders one file `render_site` deferred (`Options::defer`), exactly as
/// `render_site` would have: `highlight` is the site's `highlight.css`,
/// which the full rendering decided.
pub(crate) fn render_job(
    inputs: &Inputs,
    options: &Options,
    highlight: Option<&OutputFile>,
    job: Job,
) -> Result<Vec<u8>, Diagnostic> {
    let r = Renderer::detached(inputs, options, highlight, &mut Vec::new());
    let site = inputs.site;
    let (path, html) = match job {
        Job::Page(i) => (
            format!("{}index.html", site.pages[i].url),
            r.render_page(i)?,
        ),
        Job::Section(s) => (
            format!("{}index.html", site.sections[s].url),
            r.render_section(s)?,
        ),
        Job::PageList => (PAGE_LIST.to_string(), r.page_list()?),
        Job::Sitemap => return Ok(r.sitemap_xml().into_bytes()),
    };
    Ok(r.localize(&path, html).into_bytes())
}

/// Makes a group of files `render_site` deferred (`Options::defer`), as
/// `render_site` would have; the diagnostics are its template errors.
pub(crate) fn render_group(
    inputs: &Inputs,
    options: &Options,
    highlight: Option<&OutputFile>,
    group: Group,
) -> (BTreeMap<String, OutputFile>, Vec<Diagnostic>) {
    let mut output = Output::default();
    let mut diags = Vec::new();
    let r = Renderer::detached(inputs, options, highlight, &mut diags);
    let mut errors = BTreeMap::new();
    r.render_group_into(group, &mut output, &mut errors, &mut diags);
    diags.extend(merged(errors));
    (output.files, diags)
}

/// The folder a group's files are under.
pub(crate) fn group_folder(config: &Config, group: Group) -> String {
    match group {
        Group::Careers => format!("{}/", config.careers.path),
        Group::Cards => format!("{CARDS_DIR}/"),
    }
}

/// `serve`'s search index: built whole (`editable`, so `search_docs` can
/// replace pages in it later), as `render_site` would build it.
pub(crate) fn search_index(inputs: &Inputs, options: &Options) -> search::SearchIndex {
    Renderer::detached(inputs, options, None, &mut Vec::new()).search_index(true)
}

/// The search entries of `pages`, for replacing them in `search_index`'s
/// index after their bodies changed.
pub(crate) fn search_docs(
    inputs: &Inputs,
    options: &Options,
    pages: &[usize],
) -> Vec<(usize, search::SearchDoc)> {
    let r = Renderer::detached(inputs, options, None, &mut Vec::new());
    pages.iter().map(|&i| (i, r.search_doc(i))).collect()
}

impl<'a> Renderer<'a> {
    /// A renderer for what `render_site` deferred: `highlight` is the
    /// site's `highlight.css` as the full rendering decided it.
    fn detached(
        inputs: &Inputs<'a>,
        options: &'a Options,
        highlight: Option<&OutputFile>,
        diags: &mut Vec<Diagnostic>,
    ) -> Renderer<'a> {
        let mut previous = Output::default();
        if let Some(css) = highlight {
            previous.insert("highlight.css", css.clone());
        }
        Renderer::new(
            inputs,
            options,
            Some(&previous),
            &mut Output::default(),
            diags,
        )
    }

    /// Sets up one rendering: the site view, role views and (unless
    /// `previous` already tells) the highlighting stylesheet.
    fn new(
        inputs: &Inputs<'a>,
        options: &'a Options,
        previous: Option<&Output>,
        output: &mut Output,
        diags: &mut Vec<Diagnostic>,
    ) -> Renderer<'a> {
        let Inputs {
            site,
            careers,
            rendered,
            bodies,
            theme,
            prepared,
        } = *inputs;
        let config = &site.config;
        let base_path = config.base_path();
        let careers_on = careers.enabled(config);
        let any_code = rendered.iter().any(|r| r.has_code);

        let href = |url: &str| format!("{base_path}{}", encode_path(url));
        let careers_links = if careers_on {
            careers_links(config, careers, &href)
        } else {
            Vec::new()
        };
        let highlight_css_url = any_code.then(|| href("highlight.css"));
        if let Some(css) = highlight_css(config, any_code, previous, diags) {
            output.insert("highlight.css", css);
        }
        let site_view = SiteView {
            title: config.title.as_deref().unwrap_or("Handbook"),
            description: config.description.as_deref(),
            base_url: &config.base_url,
            base_path,
            language: &config.language,
            organization: &config.organization,
            extra: &config.extra,
            open_roles_feed_url: careers_on
                .then(|| href(&format!("{}/open-roles.xml", config.careers.path))),
            careers: careers_links,
            search_index_url: if config.search.enabled {
                href(search::MANIFEST)
            } else {
                String::new()
            },
            highlight_css_url: highlight_css_url
                .filter(|_| output.files.contains_key("highlight.css")),
            serve: options.serve,
            generator: concat!("handbook ", env!("CARGO_PKG_VERSION")),
        };
        let mut r = Renderer {
            site,
            careers,
            rendered,
            bodies,
            theme,
            options,
            sink: &Memory,
            site_value: serde_json::to_value(&site_view)
                .expect("the site view is plain data with string keys always serialises"),
            nav_cache: section_cache::SectionCache::new(site.sections.len()),
            nav_html_cache: section_cache::SectionCache::new(site.sections.len()),
            site_view,
            shared_nav: site.pages.len() > INLINE_NAV_MAX_PAGES
                && theme.templates.contains_key(NAV_PARTIAL),
            base_path,
            careers_on,
            prep: std::sync::Arc::default(),
            fw_blocks: std::sync::OnceLock::new(),
        };
        match prepared {
            Some(p) => r.prep = std::sync::Arc::clone(p),
            None => r.prepare(),
        }
        r
    }

    /// Makes the views in `Prepared`; each reads the ones made before it.
    fn prepare(&mut self) {
        let roles = self.role_views();
        self.prep = std::sync::Arc::new(Prepared {
            roles,
            ..Prepared::default()
        });
        let role_frameworks = self.role_framework_views();
        let card_alts = self.own_card_alts();
        let prep = std::sync::Arc::get_mut(&mut self.prep).expect("made just now");
        prep.role_frameworks = role_frameworks;
        prep.card_alts = card_alts;
    }

    /// The pages of `page_jobs`, in parallel (deferred in `serve`).
    fn render_pages(&self, page_jobs: &[usize]) -> Vec<(String, Result<OutputFile, Diagnostic>)> {
        let defer = self.options.defer;
        page_jobs
            .par_iter()
            .map(|&i| {
                let path = format!("{}index.html", self.site.pages[i].url);
                let file = if defer {
                    Ok(OutputFile::Deferred(Job::Page(i)))
                } else {
                    self.render_page(i).and_then(|html| self.keep(&path, html))
                };
                (path, file)
            })
            .collect()
    }

    fn render_all(
        &self,
        mut output: Output,
        mut diags: Vec<Diagnostic>,
    ) -> (Output, Vec<Diagnostic>) {
        let r = self;
        // Pages and sections, in parallel.
        // The search index is built alongside the pages (it needs only the
        // rendered markdown), so its serial merging overlaps page work.
        // The 404 page, careers pages and social cards need no page's
        // output either: made at the same time (into their own `Output`,
        // merged in the same order as before) instead of after. On a large
        // site they wait for the pages: the careers pages' view holds every
        // role several times over (about 50 MB at 4,500 roles), and made while
        // every page's HTML was still held it set the build's peak memory.
        let later = r.site.pages.len() >= OTHERS_AFTER_PAGES;
        let mut card_files = CardFiles::new();
        let ((rendered, search_index), early) = rayon::join(
            || {
                rayon::join(
                    || r.pages_and_sections(),
                    || r.build_search_index(&mut card_files),
                )
            },
            || (!later).then(|| r.other_files()),
        );
        let (others, other_errors, other_diags) = early.unwrap_or_else(|| r.other_files());
        let mut card_errors = Vec::new();
        for (path, file) in card_files {
            match file {
                Ok(file) => output.insert(path, file),
                Err(d) => card_errors.push(d),
            }
        }
        // One error for a folder that cannot be written, not one per file.
        diags.extend(card_errors.into_iter().next());
        let mut template_errors: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
        for (path, result) in rendered {
            match result {
                Ok(file) => output.insert(path, file),
                Err(d) => {
                    // The same template error on every page is reported once.
                    let key = d.to_string();
                    template_errors.entry(key).or_insert((d, 0)).1 += 1;
                }
            }
        }
        output.files.extend(others.files);
        for (key, (d, n)) in other_errors {
            template_errors.entry(key).or_insert((d, 0)).1 += n;
        }
        diags.extend(other_diags);
        r.logo_warnings(&mut diags);
        diags.extend(merged(template_errors));

        r.aliases(&mut output, &mut diags);
        r.copied_files(&mut output);
        if let Err(d) = r.nav_fragments(&mut output) {
            diags.push(d);
        }
        r.sitemap(&mut output);
        diags.extend(r.search_files(&mut output, search_index).err());
        (output, diags)
    }

    /// The 404 page and (unless deferred: `serve` makes them on request,
    /// see `render_group`) the careers pages and social cards, with their
    /// template errors counted by message and other diagnostics.
    fn other_files(
        &self,
    ) -> (
        Output,
        BTreeMap<String, (Diagnostic, usize)>,
        Vec<Diagnostic>,
    ) {
        let mut output = Output::default();
        let mut errors: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
        let mut diags = Vec::new();
        match self.render_plain("404.html", "Page not found", None) {
            Ok(html) => output.insert("404.html", OutputFile::bytes(html)),
            Err(d) => {
                errors.entry(d.to_string()).or_insert((d, 0)).1 += 1;
            }
        }
        if !self.options.defer {
            self.render_group_into(Group::Careers, &mut output, &mut errors, &mut diags);
            self.render_group_into(Group::Cards, &mut output, &mut errors, &mut diags);
        }
        (output, errors, diags)
    }

    /// Every page and section page, rendered (or deferred) a section at a
    /// time (its pages in parallel, and sections in parallel), so each
    /// section's sidebar is built once and freed when the section is done.
    fn pages_and_sections(&self) -> Vec<(String, Result<OutputFile, Diagnostic>)> {
        let (r, site) = (self, self.site);
        let page_jobs = r.page_jobs();
        let defer = self.options.defer;
        let mut by_section: Vec<Vec<usize>> = vec![Vec::new(); site.sections.len()];
        for &i in &page_jobs {
            by_section[site.pages[i].section].push(i);
        }
        by_section
            .par_iter()
            .enumerate()
            .flat_map_iter(|(s, pages)| {
                let mut files = r.render_pages(pages);
                let path = format!("{}index.html", site.sections[s].url);
                let file = if defer {
                    Ok(OutputFile::Deferred(Job::Section(s)))
                } else {
                    r.render_section(s).and_then(|html| r.keep(&path, html))
                };
                files.push((path, file));
                r.release_section(s);
                files
            })
            .collect()
    }
}

impl Renderer<'_> {
    /// Pages rendered from `page.html`: not section indexes, and not the
    /// pay page's intro (it is part of the generated pay page).
    fn page_jobs(&self) -> Vec<usize> {
        let site = self.site;
        let pay_intro = if self.careers_on {
            self.pay_intro_page()
        } else {
            None
        };
        (0..site.pages.len())
            .filter(|&i| !site.is_section_index(i))
            .filter(|&i| Some(i) != pay_intro)
            .collect()
    }

    /// The files of `group`: the careers and framework pages, or every
    /// social card.
    fn render_group_into(
        &self,
        group: Group,
        output: &mut Output,
        errors: &mut BTreeMap<String, (Diagnostic, usize)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        match group {
            Group::Careers if self.careers_on => {
                self.render_careers(output, errors);
                self.render_framework(output, errors);
            }
            Group::Careers => {}
            Group::Cards => {
                let sections: Vec<usize> = (0..self.site.sections.len()).collect();
                self.render_cards(&self.page_jobs(), &sections, true, output, diags);
            }
        }
    }

    /// Assets and theme static files (copied by `output`), `.nojekyll` and
    /// `CNAME`.
    fn copied_files(&self, output: &mut Output) {
        for asset in &self.site.assets {
            output.insert(asset.url.clone(), OutputFile::Copy(asset.file.clone()));
        }
        for (rel, src) in &self.theme.static_files {
            let file = match src {
                theme::Source::Embedded(b) => OutputFile::Static(b),
                theme::Source::Disk(p) => OutputFile::Copy(p.clone()),
            };
            output.files.entry(rel.clone()).or_insert(file);
        }
        output.insert(".nojekyll", OutputFile::bytes(Vec::new()));
        if let Some(cname) = &self.config().cname {
            output.insert("CNAME", OutputFile::bytes(format!("{}\n", cname.trim())));
        }
    }
}

/// Template errors counted by message: the same error on many pages is
/// reported once, saying how many (full and incremental renders alike).
fn merged(errors: BTreeMap<String, (Diagnostic, usize)>) -> impl Iterator<Item = Diagnostic> {
    errors.into_values().map(|(mut d, n)| {
        if n > 1 {
            d.message = format!("{} (on {n} pages)", d.message);
        }
        d
    })
}

/// Template variables, built as one JSON object and handed to tera without
/// the second serialization `tera::Context::insert` would do.
#[derive(Default)]
struct Vars(serde_json::Map<String, serde_json::Value>);

impl Vars {
    fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.0.insert(
            key.to_string(),
            serde_json::to_value(value)
                .expect("template values are plain data with string keys always serialises"),
        );
    }

    /// Puts `value` in as it is (moved, not serialised again).
    fn put(&mut self, key: &str, value: serde_json::Value) {
        self.0.insert(key.to_string(), value);
    }

    fn into_context(self) -> Context {
        Context::from_value(serde_json::Value::Object(self.0))
            .expect("a JSON object is always a valid template context")
    }
}

/// The careers pages every page links to (`site.careers`).
fn careers_links(
    config: &Config,
    careers: &Careers,
    href: &dyn Fn(&str) -> String,
) -> Vec<LinkView> {
    let p = &config.careers.path;
    let mut links = vec![
        LinkView {
            title: "All roles".into(),
            url: href(&format!("{p}/roles/")),
        },
        LinkView {
            title: "Career ladder".into(),
            url: href(&format!("{p}/ladder/")),
        },
        LinkView {
            title: "Salary bands".into(),
            url: href(&format!("{p}/salaries/")),
        },
        LinkView {
            title: "Open roles".into(),
            url: href(&format!("{p}/open/")),
        },
    ];
    // Added after the four above: themes refer to those by position.
    if careers.framework.is_some() {
        links.push(LinkView {
            title: "Career framework".into(),
            url: href(&format!("{p}/framework/")),
        });
    }
    links.push(LinkView {
        title: "Pay and progression".into(),
        url: href(&format!("{p}/pay/")),
    });
    links
}

/// `highlight.css` for a rendering: what the full render decided when this
/// one is incremental (`previous`), else the stylesheet if any page has code.
fn highlight_css(
    config: &Config,
    any_code: bool,
    previous: Option<&Output>,
    diags: &mut Vec<Diagnostic>,
) -> Option<OutputFile> {
    match previous {
        Some(prev) => prev.files.get("highlight.css").cloned(),
        None if any_code => highlight_stylesheet(config, diags).map(OutputFile::bytes),
        None => None,
    }
}

/// The class-based highlighting stylesheet, unless `highlight_theme`
/// highlights inline.
fn highlight_stylesheet(config: &Config, diags: &mut Vec<Diagnostic>) -> Option<String> {
    if !matches!(
        crate::highlight::Highlighter::from_setting(&config.markdown.highlight_theme),
        crate::highlight::Highlighter::Classes
    ) {
        return None;
    }
    let (light, dark) = highlight_themes(config);
    match crate::highlight::stylesheet(&light, &dark) {
        Ok(css) => Some(css),
        Err(msg) => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidConfig,
                    crate::config::CONFIG_FILE,
                    msg.to_string(),
                )
                .at_line(config.markdown.highlight_theme_line)
                .hint(format!(
                    "use \"css\", \"inline\" or one of: {}",
                    crate::highlight::theme_names().join(", ")
                )),
            );
            None
        }
    }
}

fn highlight_themes(config: &Config) -> (String, String) {
    let light = match config.markdown.highlight_theme.as_str() {
        "css" | "" => crate::highlight::DEFAULT_LIGHT.to_string(),
        other => other.to_string(),
    };
    let dark = match config.markdown.highlight_theme_dark.as_str() {
        "" => crate::highlight::DEFAULT_DARK.to_string(),
        other => other.to_string(),
    };
    (light, dark)
}

impl<'a> Renderer<'a> {
    fn config(&self) -> &'a Config {
        &self.site.config
    }

    fn href(&self, url: &str) -> String {
        format!("{}{}", self.base_path, encode_path(url))
    }

    /// Absolute URL when `base_url` has a host, else path-absolute.
    fn permalink(&self, url: &str) -> String {
        let c = self.config();
        if c.has_absolute_base() {
            format!("{}{}", c.base_url, encode_path(url))
        } else {
            self.href(url)
        }
    }

    /// A site file reference from config (logo, og_image): absolute URLs kept.
    fn absolute_asset(&self, path: &str) -> String {
        if path.contains("://") {
            path.to_string()
        } else {
            self.permalink(path.trim_start_matches('/'))
        }
    }

    fn og_image(&self) -> Option<String> {
        let c = self.config();
        c.og_image
            .as_deref()
            .or(c.organization.logo.as_deref())
            .filter(|p| !p.to_ascii_lowercase().ends_with(".svg"))
            .map(|p| self.absolute_asset(p))
    }

    fn edit_url(&self, page: &Page) -> Option<String> {
        let pattern = self.config().edit_url.as_ref()?;
        let rel = self.config().source_rel(&page.source);
        let rel = crate::content::clean_display(&rel)
            .to_string_lossy()
            .replace('\\', "/");
        Some(pattern.replace("{path}", &encode_path(&rel)))
    }

    fn last_updated(&self, page: &Page) -> Option<String> {
        if let Some(d) = page.updated {
            return Some(d.to_string());
        }
        if let Some(d) = page.last_commit {
            return Some(d.to_string());
        }
        page.modified
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| Date::from_days((d.as_secs() / 86_400) as i64).to_string())
    }

    fn description(&self, i: usize) -> String {
        self.site.pages[i]
            .description
            .clone()
            .unwrap_or_else(|| auto_description(&self.rendered[i].summary))
    }

    /// Page `i`'s validated role.
    fn role(&self, i: usize) -> Option<&'a Role> {
        self.careers.role(i)
    }

    fn meta(&self, title: &str, description: &str, url: &str, jsonld: Option<String>) -> MetaView {
        let site_title = self.site_view.title;
        let image = self.og_image_for(url);
        MetaView {
            title: if url.is_empty() || title == site_title {
                site_title.to_string()
            } else {
                format!("{title} · {site_title}")
            },
            description: if description.is_empty() {
                self.config().description.clone().unwrap_or_default()
            } else {
                description.to_string()
            },
            canonical: self.permalink(url),
            og_type: if url.is_empty() { "website" } else { "article" },
            og_image_width: image.as_ref().and_then(|i| i.size).map(|s| s.0),
            og_image_height: image.as_ref().and_then(|i| i.size).map(|s| s.1),
            og_image_type: image.as_ref().and_then(|i| i.mime),
            twitter_card: match &image {
                // A large-image card only for an image known to be large.
                Some(i) if i.size.is_some() || self.config().og_image.is_some() => {
                    "summary_large_image"
                }
                _ => "summary",
            },
            og_image_alt: image.as_ref().map(|i| i.alt.clone()),
            og_image: image.map(|i| i.url),
            jsonld,
        }
    }

    fn link(&self, page: usize) -> LinkView {
        let p = &self.site.pages[page];
        LinkView {
            title: p.title.clone(),
            url: self.href(&p.url),
        }
    }

    fn base_context(
        &self,
        section: usize,
        current_url: &str,
        meta: MetaView,
        breadcrumbs: Vec<LinkView>,
    ) -> Result<Vars, Diagnostic> {
        let mut ctx = Vars::default();
        ctx.0.insert("site".into(), self.site_value.clone());
        let (nav, html, src) = if self.shared_nav {
            // Large sites: every page loads one shared sidebar file
            // instead of carrying its own (see `nav_fragments`), and
            // carries a small bounded one for readers without JavaScript.
            let (nav, html) = self.compact_nav_value(section, current_url)?;
            (nav, html, self.href(NAV_FILE))
        } else {
            let nav = self.nav_value(section, current_url);
            let html = self
                .nav_html(section, current_url, &nav)?
                .unwrap_or_default();
            (nav, html, String::new())
        };
        ctx.0
            .insert("nav_html".into(), serde_json::Value::String(html));
        ctx.0
            .insert("nav_src".into(), serde_json::Value::String(src));
        ctx.0.insert("nav".into(), nav);
        ctx.insert("breadcrumbs", &breadcrumbs);
        ctx.insert("meta", &meta);
        ctx.insert("current_url", &self.href(current_url));
        Ok(ctx)
    }

    /// A rendered page as an output file: handed to the sink (memory, or
    /// the staging folder when `handbook build` streams).
    fn keep(&self, path: &str, html: String) -> Result<OutputFile, Diagnostic> {
        self.sink.put(path, self.localize(path, html))
    }

    fn render_template(&self, name: &str, vars: Vars) -> Result<String, Diagnostic> {
        self.render_context(name, &vars.into_context())
    }

    fn render_context(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.theme
            .tera
            .render(name, ctx)
            .map_err(|e| theme::template_error(&e, &self.theme.templates, Some(name)))
    }
}

/// A description made from the first paragraph: at most 200 bytes, cut at
/// a word boundary and ended with an ellipsis when anything was cut.
pub(crate) fn auto_description(summary: &str) -> String {
    let clipped = search::clip(summary, 200);
    if clipped.len() < summary.len() {
        let trimmed =
            clipped.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        format!("{trimmed}…")
    } else {
        clipped
    }
}
