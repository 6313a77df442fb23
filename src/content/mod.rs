//! Load: walk the content folder and turn files into the site model.
//!
//! Reads every `.md` file (in parallel), splits and parses its front matter,
//! works out titles, URLs and the section tree, and lists the other files as
//! assets to copy. It reports every problem it finds as a `Diagnostic`
//! instead of stopping at the first. It does not render markdown, validate
//! roles (that is `careers`) or write anything.

pub(crate) mod foreign;
pub mod frontmatter;
pub(crate) mod git;
pub(crate) mod page;
pub(crate) mod paths;
pub(crate) mod repository;
mod rewalk;
pub mod slug;
mod title;
mod walk;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::{self, Code, Diagnostic};
pub(crate) use page::{Asset, Section, Skipped, SourceIndex};
pub use page::{LinkTarget, Page, PageFile, Site};
pub(crate) use paths::clean_display;
use paths::split_dir;
pub(crate) use title::{first_heading, humanize};
use walk::Found;
pub(crate) use walk::TOOL_DOT_DIRS;

/// File names that make a page the index of its folder, strongest first.
pub(crate) const INDEX_NAMES: &[&str] = &["_index.md", "index.md", "README.md"];

/// Shows `rel` (relative to the content folder) the way users typed the root.
pub(crate) fn display_path(config: &Config, rel: &str) -> PathBuf {
    clean_display(&config.root.join(config.source_rel(rel)))
}

/// Starts the one `git log` a load needs for the "last updated" dates
/// (see `git::start`); `handbook build` starts it before anything else.
pub(crate) fn start_git(config: &Config) -> git::Pending {
    git::start(&config.content_path())
}

/// Loads the site with the dates of `git` (from `start_git`; without it
/// they are left for `set_git_dates`), handing the
/// pages to `on_read` as soon as they are read (drafts included, before the
/// structure is worked out and while `git log` may still run): `handbook
/// build` starts highlighting their code there. `keep_walk` keeps the walk
/// in the site's index so `reload` can walk again only where files changed
/// (`serve`).
pub(crate) fn load_observed(
    config: Config,
    git: Option<git::Pending>,
    keep_walk: bool,
    on_read: &mut dyn FnMut(&[Page]),
) -> (Site, Vec<Diagnostic>) {
    load_with(config, None, keep_walk, git, on_read)
}

/// Sets each page's last commit date from `git`, for a load that was not
/// given it (`handbook build` waits for `git log` only once the markdown
/// is rendered, so that git runs beside the load and the markdown instead
/// of holding up the load).
pub(crate) fn set_git_dates(site: &mut Site, git: git::Pending) {
    let dates = git.dates();
    for p in &mut site.pages {
        p.last_commit = dates.get(&p.source).copied();
    }
}

/// Pages already read that `reload` takes instead of reading them again.
struct Reuse<'a> {
    old: &'a Site,
    /// Sources (content-relative) that changed on disk: read again.
    changed: &'a HashSet<String>,
}

impl Reuse<'_> {
    /// The page at `rel` as last read, unless it changed since.
    fn page(&self, rel: &str) -> Option<Page> {
        if self.changed.contains(rel) {
            return None;
        }
        self.old
            .index
            .pages
            .get(rel)
            .map(|&i| self.old.pages[i].clone())
    }

    /// The last commit date of a source, as the last load found it: a
    /// changed file keeps its date until it is committed.
    fn last_commit(&self, rel: &str) -> Option<crate::date::Date> {
        let i = *self.old.index.pages.get(rel)?;
        self.old.pages[i].last_commit
    }
}

/// `load` for `serve` after files changed: the content folder is walked
/// again with the same rules (so new folders, renames and deletions come
/// out as a full load would have them), but only the files in `changed`
/// and files the last load did not keep (new ones, drafts) are read; the
/// other pages are the ones already in `old`. Git dates are not asked
/// again: a page keeps the date it had, and a new file has none (it is not
/// committed yet, or `serve` would have seen it at the start).
pub(crate) fn reload(old: &Site, changed: &HashSet<String>) -> (Site, Vec<Diagnostic>) {
    let mut config = old.config.clone();
    config.repository = None;
    if config.title_from_content {
        config.title = None;
    }
    let keep = old.index.walk.is_some();
    load_with(
        config,
        Some(&Reuse { old, changed }),
        keep,
        None,
        &mut |_| {},
    )
}

/// Reads and parses every page in parallel (pages `reuse` holds are taken
/// from it), keeping walk order for determinism. One `git log` for the
/// whole folder (`git`, started before the walk) runs while the pages are
/// read. Pages that failed to load are listed in the returned index.
fn read_pages(
    config: &Config,
    md: &[&Found],
    reuse: Option<&Reuse>,
    git: Option<git::Pending>,
    on_read: &mut dyn FnMut(&[Page]),
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Page>, SourceIndex) {
    let read = |f: &&Found| match reuse.and_then(|r| r.page(&f.rel)) {
        Some(page) => (Some(page), Vec::new()),
        None => read_page(config, f),
    };
    let parsed: Vec<(Option<Page>, Vec<Diagnostic>)> = md.par_iter().map(read).collect();
    let mut pages = Vec::with_capacity(parsed.len());
    let mut index = SourceIndex::default();
    for ((page, d), f) in parsed.into_iter().zip(md) {
        diags.extend(d);
        match page {
            Some(p) => pages.push(p),
            None => {
                index.failed.insert(f.rel.clone());
            }
        }
    }
    on_read(&pages);
    let git_dates = git.map(git::Pending::dates).unwrap_or_default();
    for p in &mut pages {
        p.last_commit = match reuse {
            None => git_dates.get(&p.source).copied(),
            Some(r) => r.last_commit(&p.source),
        };
    }
    (pages, index)
}

fn load_with(
    config: Config,
    reuse: Option<&Reuse>,
    keep_walk: bool,
    git: Option<git::Pending>,
    on_read: &mut dyn FnMut(&[Page]),
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let content = config.content_path();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(Code::ContentMissing,
                clean_display(&content),
                "the content folder does not exist",
            )
            .hint("create it, or point at another one with --content DIR or `content_dir` in site.toml"),
        );
        return (empty_site(config), diags);
    }
    check_output_location(&config, &mut diags);
    if diagnostic::has_errors(&diags) {
        return (empty_site(config), diags);
    }

    let walked = reuse
        .and_then(|r| Some((r.old.index.walk.as_ref()?, r.changed)))
        .and_then(|(old, changed)| rewalk::rewalk(&config, old, changed))
        .unwrap_or_else(|| walk::walk_kept(&config, &mut diags));
    let mut skipped = walked.skipped.clone();
    let mut config = config;
    // Zero config with a content subfolder: the repository around it.
    let mut around = Vec::new();
    if let Some(prefix) = repository::prefix(&config, walked.found.iter().map(|f| f.rel.as_str())) {
        around = walk::walk_repository(&config, &prefix, &mut diags, &mut skipped);
        config.repository = Some(prefix);
    }
    let found = walked.found.iter().chain(&around);
    let md: Vec<&Found> = found.clone().filter(|f| f.is_markdown).collect();
    let other: Vec<Found> = found.filter(|f| !f.is_markdown).cloned().collect();
    let (mut pages, mut index) = read_pages(&config, &md, reuse, git, on_read, &mut diags);

    if !config.drafts {
        pages.retain(|p| {
            let draft = p.is_draft();
            if draft {
                index.drafts.insert(p.source.clone());
            }
            !draft
        });
    }

    let other = walk::settle_held(&config, other, &pages, &mut skipped);
    repository::root_relative_skips(&config, &mut skipped);
    skipped.sort_by(|a, b| a.rel.cmp(&b.rel));
    index.skipped = skipped;
    index.walk = (keep_walk && config.repository.is_none()).then(|| std::sync::Arc::new(walked));
    let assets: Vec<Asset> = other.into_iter().map(asset).collect();

    let mut site = Site {
        config,
        pages,
        sections: Vec::new(),
        assets,
        index,
    };
    site.config.title_from_content = site.config.title.is_none();
    link(&mut site, &mut diags);
    (site, diags)
}

/// Works out the structure of already-read pages again (sections, URLs,
/// lookups, the derived title) after one of them changed, without reading
/// or walking anything: what `load` does after reading. `serve` uses it when
/// an existing page's front matter or title changed; files added or removed
/// need `reload`.
pub(crate) fn relink(mut site: Site) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if !site.config.drafts {
        let drafts = &mut site.index.drafts;
        site.pages.retain(|p| {
            let draft = p.is_draft();
            if draft {
                drafts.insert(p.source.clone());
            }
            !draft
        });
    }
    let index = &mut site.index;
    index.pages.clear();
    index.sections.clear();
    index.assets.clear();
    index.urls.clear();
    index.generated.clear();
    site.sections.clear();
    link(&mut site, &mut diags);
    (site, diags)
}

/// Sections, URLs and the derived site title for the loaded pages.
fn link(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    build_sections(site, diags);
    assign_urls(site, diags);
    if site.config.title_from_content {
        site.config.title = site
            .section_index(0)
            .map(|p| p.title.clone())
            .or_else(|| Some("Handbook".into()));
    }
}

/// A file copied as it is: its folders slugged like pages', its name kept.
fn asset(f: Found) -> Asset {
    let (dir, name) = split_dir(&f.rel);
    let url = if dir.is_empty() {
        name.to_string()
    } else {
        format!("{}/{}", slug_dir(dir), name)
    };
    Asset {
        source: f.rel,
        file: f.file,
        url,
    }
}

fn empty_site(config: Config) -> Site {
    Site {
        config,
        pages: Vec::new(),
        sections: Vec::new(),
        assets: Vec::new(),
        index: SourceIndex::default(),
    }
}

/// The output folder must never be the content, its parent chain or inside
/// it: we replace the output folder wholesale, so a mistake here would
/// delete the handbook itself.
fn check_output_location(config: &Config, diags: &mut Vec<Diagnostic>) {
    let out = config.output_path();
    let content = config.content_path();
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let (out_abs, content_abs, root_abs) = (abs(&out), abs(&content), abs(&config.root));
    let shown = clean_display(&out);
    if out.exists() && !out.is_dir() {
        diags.push(
            Diagnostic::error(
                Code::OutputFolder,
                &shown,
                "the output path is a file, not a folder",
            )
            .hint("remove it or choose another folder with --output DIR"),
        );
    } else if content_abs.starts_with(&out_abs) || out_abs == root_abs {
        diags.push(
            Diagnostic::error(Code::OutputFolder, &shown, "the output folder contains the content (or the site root) and would be replaced by the build")
                .hint("use a folder of its own, such as `public`"),
        );
    } else if out_abs.starts_with(&content_abs) && content_abs != root_abs {
        diags.push(
            Diagnostic::error(
                Code::OutputFolder,
                &shown,
                "the output folder is inside the content folder",
            )
            .hint("use a folder beside it, such as `public` at the site root"),
        );
    }
}

/// Resolves `.` and `..` without touching the disk.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn slug_dir(dir: &str) -> String {
    dir.split('/')
        .map(slug::slugify)
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and parses one page again, for `serve`'s incremental rebuilds.
/// `rel` is relative to the content folder, `/`-separated. The page comes
/// back as `load` would have made it, minus what needs the whole site: its
/// `url`, `section` and `role` are left for the caller to fill in.
pub(crate) fn reload_page(config: &Config, rel: &str) -> (Option<Page>, Vec<Diagnostic>) {
    let found = Found {
        rel: rel.to_string(),
        file: config.root.join(config.source_rel(rel)),
        is_markdown: true,
        held: None,
    };
    read_page(config, &found)
}

fn read_page(config: &Config, f: &Found) -> (Option<Page>, Vec<Diagnostic>) {
    let display = display_path(config, &f.rel);
    let mut diags = Vec::new();
    let text = match read_text(&f.file, &display) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let split = match frontmatter::split(&text, &display) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let (raw, warnings) = match frontmatter::parse(&split, &display) {
        Ok(r) => r,
        Err(d) => return (None, vec![d]),
    };
    diags.extend(warnings);

    diags.extend(foreign::template_tag_warning(&display, &split));
    let page = page_from(raw, &split, f, display, &mut diags);
    (Some(page), diags)
}

/// `date` and `updated` from front matter; a bad one is an error at its line.
fn page_dates(
    raw: &frontmatter::RawFrontMatter,
    split: &frontmatter::Split,
    display: &Path,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Date>, Option<Date>) {
    let front_line = split.front_line;
    let key_line =
        |key: &str| diagnostic::line_of_key(split.front, key, 0).map(|l| l + front_line - 1);
    let mut date_field = |key: &str, v: &Option<frontmatter::RawDate>| -> Option<Date> {
        match v.as_ref()?.parse() {
            Ok(d) => Some(d),
            Err(msg) => {
                diags.push(
                    Diagnostic::error(Code::InvalidDate, display, format!("`{key}`: {msg}"))
                        .at_line(key_line(key)),
                );
                None
            }
        }
    };
    let date = date_field("date", &raw.date);
    let updated = date_field("updated", &raw.updated);
    (date, updated)
}

/// A page file's text: read, not binary, valid UTF-8.
fn read_text(file: &Path, display: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::fs::read(file)
        .map_err(|e| Diagnostic::error(Code::Io, display, e.source.to_string()))?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(Diagnostic::error(
            Code::BinaryFile,
            display,
            "this looks like a binary file, not markdown",
        )
        .hint("rename it so it does not end in .md, or replace it with a text file"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..good].iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::error(
            Code::NotUtf8,
            display,
            format!("the file is not valid UTF-8 (byte {good})"),
        )
        .at_line(Some(line))
        .hint("save the file with UTF-8 encoding")
    })
}

/// The page as read: parsed front matter and body, title, dates. Its URL
/// and section are set when the site is linked.
fn page_from(
    mut raw: frontmatter::RawFrontMatter,
    split: &frontmatter::Split,
    f: &Found,
    display: PathBuf,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let front_line = split.front_line;
    let (date, updated) = page_dates(&raw, split, &display, diags);
    let name = split_dir(&f.rel).1;
    let is_index = INDEX_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name));
    let (title, title_line, title_html) =
        title::page_title(raw.title.as_deref(), split.body, &f.rel, is_index);
    let weight = raw.order();
    let aliases = raw.all_aliases();
    let extra = raw
        .extra
        .map(frontmatter::clean_extra)
        .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
    let modified = std::fs::metadata(&f.file).and_then(|m| m.modified()).ok();
    let file = PageFile {
        source: f.rel.clone(),
        display,
        slug: raw
            .slug
            .map(|s| slug::slugify(&s))
            .filter(|s| !s.is_empty()),
        title,
        description: raw.description,
        weight,
        date,
        updated,
        draft: raw.draft.unwrap_or(false) || raw.published == Some(false),
        template: raw.template,
        aliases,
        extra,
        raw_role: raw.role,
        front: split.front.to_string(),
        front_line,
        title_html,
        permalink: raw.permalink.filter(|p| !p.trim().is_empty()),
        nav_hidden: raw.nav_exclude.unwrap_or(false),
        ignored_keys: raw.ignored,
        markdown: split.body.into(),
        body_line_offset: split.body_line_offset,
        title_line,
        modified,
    };
    Page::new(file, is_index)
}

/// The folder a page lives in, or, for a page promoted to the index of the
/// folder beside it (`X.md` beside `X/`), that folder.
fn index_folder(page: &Page) -> &str {
    let (dir, name) = split_dir(&page.source);
    if page.is_index && !INDEX_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        page.source.get(..page.source.len() - 3).unwrap_or(dir)
    } else {
        dir
    }
}

/// Decides which pages index their folder (no page's text is ever dropped):
/// - `_index.md` or `index.md` is the index; a `README.md` beside one of them
///   is an ordinary page (GitHub Pages does the same), at `…/readme/`;
/// - `README.md` is the index when the folder has neither;
/// - `X.md` beside a folder `X/` that has pages but no index file of its own
///   becomes that folder's index: its body, then the section's list.
///
/// Two `_index.md`/`index.md` in one folder remain a conflict that names
/// both files (`build_sections`). `X.md` beside an `X/` that has its own
/// index keeps its body at `…/x.md/`, with a warning (`assign_urls`).
fn mark_index_pages(pages: &mut [Page]) {
    let named = |source: &str, names: &[&str]| {
        let name = split_dir(source).1;
        names.iter().any(|n| n.eq_ignore_ascii_case(name))
    };
    let strong: std::collections::HashSet<String> = pages
        .iter()
        .filter(|p| named(&p.source, &INDEX_NAMES[..2]))
        .map(|p| split_dir(&p.source).0.to_string())
        .collect();
    // Folders holding at least one page, and those with an index file.
    let mut folders: std::collections::HashSet<String> = std::collections::HashSet::new();
    for p in pages.iter() {
        let mut dir = split_dir(&p.source).0;
        while !dir.is_empty() && !folders.contains(dir) {
            folders.insert(dir.to_string());
            dir = split_dir(dir).0;
        }
    }
    let indexed: std::collections::HashSet<&str> = pages
        .iter()
        .filter(|p| named(&p.source, INDEX_NAMES))
        .map(|p| split_dir(&p.source).0)
        .collect();
    let promote: Vec<bool> = pages
        .iter()
        .map(|p| {
            let stem = p.source.get(..p.source.len().saturating_sub(3));
            !named(&p.source, INDEX_NAMES)
                && stem.is_some_and(|d| folders.contains(d) && !indexed.contains(d))
        })
        .collect();
    for (p, promoted) in pages.iter_mut().zip(promote) {
        let dir = split_dir(&p.source).0;
        p.is_index = promoted
            || named(&p.source, &INDEX_NAMES[..2])
            || (named(&p.source, &INDEX_NAMES[2..]) && !strong.contains(dir));
    }
}

/// Builds the section tree: one section per folder that holds pages, with
/// index pages attached and children ordered by weight, then title.
fn build_sections(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    let mut by_dir: BTreeMap<String, usize> = BTreeMap::new();
    let mut sections: Vec<Section> = Vec::new();
    ensure_section("", &mut by_dir, &mut sections);
    mark_index_pages(&mut site.pages);
    for page in &mut site.pages {
        let dir = index_folder(page);
        page.section = ensure_section(dir, &mut by_dir, &mut sections);
    }
    pick_index_pages(&site.pages, &mut sections, diags);
    for (pi, page) in site.pages.iter().enumerate() {
        let s = &mut sections[page.section];
        if s.index_page == Some(pi) {
            s.title = page.title.clone();
            s.weight = page.weight;
        } else if !page.is_index {
            s.pages.push(pi);
        }
    }
    order_children(site, &mut sections);
    site.index.sections = by_dir.into_iter().collect();
    site.sections = sections;
}

/// The section of folder `dir`, made (with its parents) on first use.
fn ensure_section(
    dir: &str,
    by_dir: &mut BTreeMap<String, usize>,
    sections: &mut Vec<Section>,
) -> usize {
    if let Some(&i) = by_dir.get(dir) {
        return i;
    }
    let parent = if dir.is_empty() {
        None
    } else {
        let (p, _) = split_dir(dir);
        Some(ensure_section(p, by_dir, sections))
    };
    let i = sections.len();
    sections.push(Section {
        dir: dir.to_string(),
        url: String::new(),
        title: if dir.is_empty() {
            "Home".into()
        } else {
            // The index page, when there is one, gives the label instead.
            humanize(split_dir(dir).1)
        },
        weight: 0,
        index_page: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        parent,
    });
    if let Some(p) = parent {
        sections[p].subsections.push(i);
    }
    by_dir.insert(dir.to_string(), i);
    i
}

/// Picks the strongest index name per folder; the others are conflicts.
fn pick_index_pages(pages: &[Page], sections: &mut [Section], diags: &mut Vec<Diagnostic>) {
    // One pass over the pages (a pass per section was quadratic).
    let mut by_section: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
    for (i, p) in pages.iter().enumerate().filter(|(_, p)| p.is_index) {
        by_section[p.section].push(i);
    }
    for (section, candidates) in sections.iter_mut().zip(by_section) {
        let strength = |i: &usize| {
            let name = split_dir(&pages[*i].source).1;
            INDEX_NAMES
                .iter()
                .position(|n| n.eq_ignore_ascii_case(name))
                .unwrap_or(usize::MAX)
        };
        let Some(&best) = candidates.iter().min_by_key(|i| strength(i)) else {
            continue;
        };
        section.index_page = Some(best);
        for &other in candidates.iter().filter(|&&c| c != best) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateIndex,
                    &pages[other].display,
                    format!(
                        "two index pages for the same folder: this one and `{}`",
                        pages[best].source
                    ),
                )
                .hint("keep one of _index.md, index.md and README.md per folder"),
            );
        }
    }
}

/// Orders each section's pages by weight, then ladder level for roles, then
/// title (case-insensitive), then source; subsections by weight, title, folder.
/// The level is the role's as written, ranked by its position in
/// `careers.levels`: for every role that validates this is the level
/// `careers::resolve` gives it, and a role that does not fails the build.
fn order_children(site: &Site, sections: &mut [Section]) {
    let pages = &site.pages;
    let levels: Vec<&str> = site
        .config
        .careers
        .levels
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    let rank = |p: &Page| {
        p.raw_role
            .as_ref()
            .and_then(|r| r.level.as_deref())
            .and_then(|l| levels.iter().position(|x| *x == l))
            .unwrap_or(usize::MAX)
    };
    for s in sections.iter_mut() {
        s.pages.sort_by_cached_key(|&i| {
            let p = &pages[i];
            (p.weight, rank(p), p.title.to_lowercase(), p.source.clone())
        });
    }
    order_subsections(sections, site.config.repository.as_deref());
}

/// Orders each section's subsections by weight, then title; the
/// repository's own files (zero config) come after the handbook's.
fn order_subsections(sections: &mut [Section], repository: Option<&str>) {
    let keys: Vec<(i64, String, String)> = sections
        .iter()
        .map(|s| {
            let weight = if Some(s.dir.as_str()) == repository {
                i64::MAX
            } else {
                s.weight
            };
            (weight, s.title.to_lowercase(), s.dir.clone())
        })
        .collect();
    for s in sections.iter_mut() {
        s.subsections.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    }
}

/// Gives every section and page its URL, honouring `slug`, and reports pages
/// that would land on the same URL.
fn assign_urls(site: &mut Site, diags: &mut Vec<Diagnostic>) {
    // Sections top-down: a parent's URL is known before its children's.
    let order = {
        let mut order = Vec::new();
        let mut stack = vec![0usize];
        while let Some(s) = stack.pop() {
            order.push(s);
            stack.extend(site.sections[s].subsections.iter().rev());
        }
        order
    };
    for s in order {
        let url = match site.sections[s].parent {
            None => String::new(),
            Some(p) => {
                let custom = site.section_index(s).and_then(page_slug);
                let last =
                    custom.unwrap_or_else(|| slug::slugify(split_dir(&site.sections[s].dir).1));
                format!("{}{}/", site.sections[p].url, last)
            }
        };
        site.sections[s].url = url;
    }
    let folder_urls: HashMap<String, usize> = site
        .sections
        .iter()
        .enumerate()
        .skip(1)
        .map(|(si, s)| (s.url.clone(), si))
        .collect();
    let mut owners: HashMap<String, usize> = HashMap::with_capacity(site.pages.len());
    let index = &mut site.index;
    index.pages.reserve(site.pages.len());
    index.assets.reserve(site.assets.len());
    index
        .urls
        .reserve(site.pages.len() + site.sections.len() + site.assets.len());
    for pi in 0..site.pages.len() {
        let url = page_url(site, pi, &folder_urls, diags);
        site.pages[pi].url = claim_url(site, pi, url, &mut owners, diags);
    }
    let index = &mut site.index;
    for (pi, p) in site.pages.iter().enumerate() {
        index.pages.insert(p.source.clone(), pi);
    }
    for (si, s) in site.sections.iter().enumerate() {
        index.urls.insert(s.url.clone(), LinkTarget::Section(si));
    }
    for (pi, p) in site.pages.iter().enumerate() {
        if !p.is_index {
            index
                .urls
                .entry(p.url.clone())
                .or_insert(LinkTarget::Page(pi));
        }
    }
    for (ai, a) in site.assets.iter().enumerate() {
        index.assets.insert(a.source.clone(), ai);
        index.urls.insert(a.url.clone(), LinkTarget::Asset(ai));
    }
    raw_html_collisions(site, diags);
    index_aliases(site);
}

/// Records page `pi` as the owner of `url` and returns the URL it gets.
/// Two file names that slug alike (`On Call.md`, `on-call.md`), neither URL
/// chosen in front matter: the later one moves to `…/on-call.md/`, which no
/// slug can take, with a warning. Any other clash is an error naming both.
fn claim_url(
    site: &Site,
    pi: usize,
    url: String,
    owners: &mut HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let page = &site.pages[pi];
    let Some(&other) = owners.get(&url) else {
        owners.insert(url.clone(), pi);
        return url;
    };
    let first = &site.pages[other];
    let moved = format!("{}.md/", url.trim_end_matches('/'));
    let chosen = |p: &Page| p.is_index || p.slug.is_some() || p.permalink.is_some();
    if !chosen(page) && !chosen(first) && !owners.contains_key(&moved) && !url.is_empty() {
        diags.push(
            Diagnostic::warning(
Code::MovedPage,
                &page.display,
                format!(
                    "this page and `{}` both ask for /{url}; the first keeps it and this page is published at /{moved}",
                    first.display.display()
                ),
            )
            .hint("links to this file still reach it; rename one of the files, or give one a `slug`"),
        );
        owners.insert(moved.clone(), pi);
        return moved;
    }
    if !(page.is_index && site.sections[page.section].index_page != Some(pi)) {
        diags.push(
            Diagnostic::error(
                Code::DuplicateUrl,
                &page.display,
                format!(
                    "this page and `{}` both have the URL /{url}",
                    first.display.display()
                ),
            )
            .hint("rename one of the files, or give one a different `slug` in its front matter"),
        );
    }
    url
}

/// The URL of page `pi` (sections' URLs are known): its section's for an
/// index page, else its `permalink`, else its section's URL and its slug.
/// A page whose URL a folder beside it takes (`X.md` and `X/`) moves to
/// `…/x.md/`, with a warning.
fn page_url(
    site: &Site,
    pi: usize,
    folder_urls: &HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let page = &site.pages[pi];
    let section = &site.sections[page.section];
    if section.index_page == Some(pi) || page.is_index {
        return section.url.clone();
    }
    if let Some(url) = page.permalink.as_deref().and_then(permalink_url) {
        return url;
    }
    let name = split_dir(&page.source).1;
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let last = page_slug(page).unwrap_or_else(|| slug::slugify(stem));
    let url = format!("{}{}/", section.url, last);
    match folder_urls.get(&url) {
        // A folder beside the page keeps the URL: the page moves to one no
        // slug can take (slugs never hold a `.`).
        Some(&si) if page.slug.is_none() => {
            let moved = format!("{}{last}.md/", section.url);
            diags.push(beside_folder_warning(site, pi, si, &url, &moved));
            moved
        }
        _ => url,
    }
}

/// Old addresses (`aliases`, `redirect_from`) that links still use lead
/// straight to the page; a real page's URL wins over an alias.
fn index_aliases(site: &mut Site) {
    let index = &mut site.index;
    for (pi, p) in site.pages.iter().enumerate() {
        let target = if p.is_index {
            LinkTarget::Section(p.section)
        } else {
            LinkTarget::Page(pi)
        };
        for alias in p.aliases.iter().filter_map(|a| permalink_url(a)) {
            index.urls.entry(alias).or_insert(target);
        }
    }
}

/// `X.md` and the folder `X/` beside it (which has its own index page, or
/// slugs like the page without being its stem) both ask for `/x/`.
fn beside_folder_warning(site: &Site, pi: usize, si: usize, url: &str, moved: &str) -> Diagnostic {
    let folder = &site.sections[si];
    let other = match site.section_index(si) {
        Some(p) => format!("`{}`", p.display.display()),
        None => format!("the folder `{}/`", folder.dir),
    };
    Diagnostic::warning(
Code::MovedPage,
        &site.pages[pi].display,
        format!("this page and {other} both ask for /{url}; the folder keeps it and this page is published at /{moved}"),
    )
    .hint("links to this file still reach it; merge the two pages, or give this one a `slug` to choose its URL")
}

/// A raw `X/index.html` where a page or section is generated would replace
/// it (or be replaced) without a word: an error naming both.
fn raw_html_collisions(site: &Site, diags: &mut Vec<Diagnostic>) {
    for a in &site.assets {
        let Some(dir) = a.url.strip_suffix("index.html") else {
            continue;
        };
        let other = match site.index.urls.get(dir) {
            Some(LinkTarget::Page(p)) => format!("`{}`", site.pages[*p].display.display()),
            Some(LinkTarget::Section(s)) => match site.section_index(*s) {
                Some(p) => format!("`{}`", p.display.display()),
                None => format!(
                    "the page for `{}/` (a section without an index page)",
                    site.sections[*s].dir
                ),
            },
            _ => continue,
        };
        diags.push(
            Diagnostic::error(
                Code::DuplicateUrl,
                display_path(&site.config, &a.source),
                format!("this file and {other} are both /{}", a.url),
            )
            .hint("rename or move the .html file, or leave it out with `exclude` in site.toml"),
        );
    }
}

/// A `permalink` as the site-relative URL it names: `/team/about/`,
/// `/team/about.html` and `team/about` all give `team/about/`. Patterns with
/// placeholders (`/:title/`) are another generator's and are not used.
fn permalink_url(permalink: &str) -> Option<String> {
    let p = permalink.trim().trim_start_matches('/');
    if p.contains(':') || p.contains("..") || p.contains('\\') || p.starts_with('/') {
        return None;
    }
    let p = p.strip_suffix("index.html").unwrap_or(p);
    let p = p.strip_suffix(".html").unwrap_or(p);
    let p = p.trim_end_matches('/');
    if p.is_empty() {
        return Some(String::new());
    }
    Some(format!("{p}/"))
}

fn page_slug(page: &Page) -> Option<String> {
    page.slug.clone()
}

#[cfg(test)]
mod tests {
    use super::title::title_from_name;
    use super::*;

    #[test]
    fn first_heading_skips_code_and_strips_markup() {
        let body = "```\n# not this\n```\n\n# The *Acme* [Handbook](x.md)\n";
        assert_eq!(first_heading(body), Some((5, "The Acme Handbook".into())));
        assert_eq!(first_heading("Title\n=====\n"), Some((1, "Title".into())));
        assert_eq!(first_heading("## Only h2\n"), None);
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            title_from_name("culture/how-we-hire.md", false),
            "How we hire"
        );
        assert_eq!(
            title_from_name("roles/Senior Engineer.md", false),
            "Senior Engineer"
        );
        assert_eq!(title_from_name("benefits/README.md", true), "Benefits");
    }
}
