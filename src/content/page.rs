//! The site model: pages, sections and assets as plain data.
//!
//! `content::load` fills these in and nothing changes them afterwards: a
//! `Page` holds only what was read from its file. Later stages return their
//! own results indexed by page (`careers::Careers::roles`,
//! `markdown::render_all`). Nothing here does IO or rendering.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::config::Config;
use crate::content::frontmatter::RawRole;
use crate::date::Date;

/// The loaded site: configuration, pages, sections and assets, as read.
#[derive(Debug, Clone)]
pub struct Site {
    pub(crate) config: Config,
    /// Every page, indexed by page id.
    pub pages: Vec<Page>,
    /// `sections[0]` is the root section (the home page).
    pub(crate) sections: Vec<Section>,
    pub(crate) assets: Vec<Asset>,
    pub(crate) index: SourceIndex,
}

/// One markdown file as read: front matter, title, body.
///
/// What the file says is shared (`PageFile` behind an `Arc`, read through
/// `Deref`): the copies of the site `serve` makes after an edit copy only
/// what linking the site decides (URL, section, index, commit date).
#[derive(Debug, Clone)]
pub struct Page {
    file: std::sync::Arc<PageFile>,
    /// Site-relative URL path without a leading slash: `roles/senior-engineer/`; `` for home.
    pub(crate) url: String,
    /// The section this page belongs to; for an index page, the section it indexes.
    pub(crate) section: usize,
    pub(crate) is_index: bool,
    /// Date of the last git commit that touched the file, if in a repository.
    pub(crate) last_commit: Option<Date>,
}

impl Page {
    /// A page as read from its file, not yet linked into a site.
    pub(crate) fn new(file: PageFile, is_index: bool) -> Page {
        Page {
            file: std::sync::Arc::new(file),
            url: String::new(),
            section: 0,
            is_index,
            last_commit: None,
        }
    }

    /// What the file says, to change (copied first if shared).
    pub(crate) fn file_mut(&mut self) -> &mut PageFile {
        std::sync::Arc::make_mut(&mut self.file)
    }

    /// Replaces the page's markdown body (its front matter and title stay).
    pub fn set_markdown(&mut self, markdown: &str) {
        self.file_mut().markdown = markdown.into();
    }
}

impl std::ops::Deref for Page {
    type Target = PageFile;

    fn deref(&self) -> &PageFile {
        &self.file
    }
}

/// What a page's file says: front matter, title, body.
#[derive(Debug, Clone)]
pub struct PageFile {
    /// Path relative to the content folder, `/`-separated: `roles/Senior Engineer.md`.
    pub(crate) source: String,
    /// Path shown in diagnostics, relative to where the user ran the command.
    pub(crate) display: PathBuf,
    /// `slug` from front matter, already slugged.
    pub(crate) slug: Option<String>,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) weight: i64,
    pub(crate) date: Option<Date>,
    pub(crate) updated: Option<Date>,
    pub(crate) draft: bool,
    pub(crate) template: Option<String>,
    pub(crate) aliases: Vec<String>,
    pub(crate) extra: serde_json::Value,
    /// The `role` table as written (`careers::resolve` validates it).
    pub(crate) raw_role: Option<RawRole>,
    /// Front matter text and the file line it starts on, for locating fields.
    pub(crate) front: String,
    pub(crate) front_line: usize,
    /// The title's inline markup as HTML when it came from a heading that
    /// has some (`title::title_html`).
    pub(crate) title_html: Option<String>,
    /// `permalink` from another generator's front matter: the page's URL.
    pub(crate) permalink: Option<String>,
    /// `nav_exclude: true`: published, left out of the sidebar.
    pub(crate) nav_hidden: bool,
    /// Front matter keys only other generators read, with their lines.
    pub(crate) ignored_keys: Vec<(String, Option<usize>)>,
    /// The markdown body (front matter removed); shared, so copies of the
    /// site that `serve` keeps between rebuilds cost no copy of the text.
    pub markdown: std::sync::Arc<str>,
    /// Lines before the body in the file (front matter and fences).
    pub(crate) body_line_offset: usize,
    /// 1-based body line of the `#` heading that became the title (not rendered again).
    pub(crate) title_line: Option<usize>,
    pub(crate) modified: Option<std::time::SystemTime>,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Folder relative to the content folder, `/`-separated, `` for the root.
    pub(crate) dir: String,
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) weight: i64,
    pub(crate) index_page: Option<usize>,
    /// Non-index pages, ordered by weight then title.
    pub(crate) pages: Vec<usize>,
    pub(crate) subsections: Vec<usize>,
    pub(crate) parent: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Asset {
    pub(crate) source: String,
    pub(crate) file: PathBuf,
    /// Site-relative output path: `images/logo.png`.
    pub(crate) url: String,
}

/// What a relative link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// A page, by page id.
    Page(usize),
    /// A section's generated index, by section id.
    Section(usize),
    /// A file copied as it is, by asset id.
    Asset(usize),
}

/// Lookups from what authors write in links to what the site has.
#[derive(Debug, Default, Clone)]
pub(crate) struct SourceIndex {
    pub(crate) pages: HashMap<String, usize>,
    pub(crate) sections: HashMap<String, usize>,
    pub(crate) assets: HashMap<String, usize>,
    /// Site-relative URL path (`roles/x/`) to target, for links written as URLs.
    pub(crate) urls: HashMap<String, LinkTarget>,
    /// Sources of draft pages left out of this build.
    pub(crate) drafts: HashSet<String>,
    /// Sources of pages that failed to load (already reported; links to
    /// them are not reported again).
    pub(crate) failed: HashSet<String>,
    /// Extra site-relative URLs that exist (generated careers pages, feeds).
    pub(crate) generated: HashSet<String>,
    /// Files and folders in the content folder that are not published, and why.
    pub(crate) skipped: Vec<Skipped>,
    /// The walk this site was loaded from, when it can be done again in
    /// part (`content::rewalk`); `None` for a site walked with the
    /// repository around it.
    pub(crate) walk: Option<std::sync::Arc<Walk>>,
}

/// A file found by the walk, before it is read.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Relative to the content folder, `/`-separated.
    pub(crate) rel: String,
    pub(crate) file: PathBuf,
    pub(crate) is_markdown: bool,
    /// Plumbing that is published only if a page links to it: the reason
    /// it is skipped otherwise.
    pub(crate) held: Option<&'static str>,
}

/// What a walk of the content folder found, kept by `serve` so a later
/// walk can be done again only where files changed (`content::rewalk`).
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// The files, in walk order (each folder's entries by name, depth first).
    pub(crate) found: Vec<Found>,
    /// What the walk itself left out (not yet what `settle_held` adds).
    pub(crate) skipped: Vec<Skipped>,
    /// Every folder walked into, relative to the content folder (`""` is
    /// the content folder itself).
    pub(crate) dirs: HashSet<String>,
}

/// A file or folder the walk left out (`handbook build --verbose` lists them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// Relative to the content folder; folders end in `/`.
    pub(crate) rel: String,
    pub(crate) reason: &'static str,
}

impl Site {
    /// The page shown at a section's URL, if the section has an index page.
    pub(crate) fn section_index(&self, section: usize) -> Option<&Page> {
        self.sections[section].index_page.map(|i| &self.pages[i])
    }

    /// Ancestors of a section, root first, the section itself last.
    pub(crate) fn ancestors(&self, section: usize) -> Vec<usize> {
        let mut chain = vec![section];
        let mut cur = section;
        while let Some(p) = self.sections[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }

    /// Whether page `i` is the page shown at its section's URL. A page
    /// that claims to index a folder (`is_index`) and was not chosen is an
    /// error at load, so in a site that loaded this is the same as
    /// `pages[i].is_index`.
    pub(crate) fn is_section_index(&self, i: usize) -> bool {
        self.sections[self.pages[i].section].index_page == Some(i)
    }

    /// How links to page `i` are represented: an index page stands for
    /// its section.
    pub(crate) fn link_target_of(&self, i: usize) -> LinkTarget {
        let page = &self.pages[i];
        if page.is_index {
            LinkTarget::Section(page.section)
        } else {
            LinkTarget::Page(i)
        }
    }

    /// Path of the target as its site-relative URL.
    pub(crate) fn target_url(&self, t: LinkTarget) -> &str {
        match t {
            LinkTarget::Page(i) => &self.pages[i].url,
            LinkTarget::Section(i) => &self.sections[i].url,
            LinkTarget::Asset(i) => &self.assets[i].url,
        }
    }
}
