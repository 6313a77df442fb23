//! The walk of the content folder: which files are the site and which are
//! the repository around it.
//!
//! Everything under the content folder is published except what these
//! rules leave out, each with a reason `--verbose` prints:
//! - always: dot-files, tools' dot-folders (`.git`, `.venv`, caches),
//!   `node_modules`, `target`, the output folder, folders that hold a
//!   previous build (no markdown, and `.nojekyll` or an `index.html`
//!   beside `sitemap.xml`/`404.html`; a docsify `index.html` shell beside
//!   markdown is skipped, the markdown kept), other generators' folders
//!   (`_layouts`, `_includes`, `_data`, `_sass`, `_site`, `_plugins`,
//!   `_drafts`) and templates (`.html` with front matter, `.liquid`, `.njk`,
//!   `.erb`, `.hbs`, `.mustache`, `.twig`, …), and `exclude` patterns from
//!   site.toml;
//! - files in other hidden folders (`.gitbook/assets`, `.github`) are held:
//!   published as files only if a page links to them;
//! - when there is no site.toml or the content is the site root:
//!   `.gitignore`d paths;
//! - when the content is the site root: `templates/`, `static/`, `themes/`
//!   (but their markdown files are pages), `site.toml`, and repository
//!   plumbing (manifests, lock files,
//!   Dockerfiles, CI and build config, licences, scripts and other source
//!   code). Plumbing and templates a page links to are published after all
//!   (`held`, settled by `settle_held` once the pages are read).
//!
//! `include` patterns from site.toml win over every rule but the output
//! folder. It does not read files' contents (only `.html` files' first
//! line and folder listings), parse pages or decide URLs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::gitignore::Gitignore;

pub(crate) use super::page::{Found, Walk};
use super::page::{Page, Skipped};
use super::paths::clean_display;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};

/// Hidden folders of tools (version control, environments, caches), never
/// walked. Other hidden folders (`.gitbook/assets`, `.github`) are walked
/// for files pages link to.
pub(crate) const TOOL_DOT_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    ".cache",
    ".next",
    ".nuxt",
    ".docusaurus",
    ".svelte-kit",
    ".idea",
    ".handbook-cache",
    ".vscode",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".yarn",
    ".pnpm-store",
    ".bundle",
    ".sass-cache",
    ".jekyll-cache",
    ".parcel-cache",
    ".turbo",
    ".vercel",
    ".netlify",
];

/// Folders never treated as content.
const SKIP_DIRS: &[&str] = &["node_modules", "target"];

/// Other static site generators' folders of templates, data and drafts.
const GENERATOR_DIRS: &[&str] = &[
    "_layouts",
    "_includes",
    "_data",
    "_sass",
    "_site",
    "_plugins",
    "_drafts",
];

/// Repository files that are not part of a handbook, by exact name.
const PLUMBING_NAMES: &[&str] = &[
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "Gemfile",
    "Gemfile.lock",
    "Brewfile",
    "Brewfile.lock.json",
    "Dockerfile",
    "docker-compose.yml",
    "docker-compose.yaml",
    "Makefile",
    "Rakefile",
    "Procfile",
    "Vagrantfile",
    "Jenkinsfile",
    "CODEOWNERS",
    "Cargo.toml",
    "Cargo.lock",
    "go.mod",
    "go.sum",
    "requirements.txt",
    "Pipfile",
    "Pipfile.lock",
    "poetry.lock",
    "composer.json",
    "composer.lock",
    "netlify.toml",
    "vercel.json",
    "renovate.json",
    "LICENSE",
    "LICENCE",
    "COPYING",
    "NOTICE",
];

/// Extensions of source code, configuration and other generators' templates.
const PLUMBING_EXTS: &[(&str, &str)] = &[
    ("js", "source code"),
    ("mjs", "source code"),
    ("cjs", "source code"),
    ("ts", "source code"),
    ("rb", "source code"),
    ("py", "source code"),
    ("sh", "a script"),
    ("bash", "a script"),
    ("ps1", "a script"),
    ("gemspec", "a package manifest"),
    ("lock", "a lock file"),
    ("yml", "configuration"),
    ("yaml", "configuration"),
    ("toml", "configuration"),
    ("json", "configuration"),
    ("scss", "a stylesheet source"),
    ("sass", "a stylesheet source"),
    ("less", "a stylesheet source"),
    ("tsx", "source code"),
    ("jsx", "source code"),
    ("vue", "source code"),
    ("svelte", "source code"),
    ("php", "source code"),
    ("java", "source code"),
    ("kt", "source code"),
    ("scala", "source code"),
    ("go", "source code"),
    ("rs", "source code"),
    ("c", "source code"),
    ("h", "source code"),
    ("cc", "source code"),
    ("cpp", "source code"),
    ("hpp", "source code"),
    ("cs", "source code"),
    ("swift", "source code"),
    ("pl", "source code"),
    ("pm", "source code"),
    ("lua", "source code"),
    ("ex", "source code"),
    ("exs", "source code"),
    ("groovy", "source code"),
    ("gradle", "a build script"),
    ("zsh", "a script"),
    ("fish", "a script"),
    ("bat", "a script"),
    ("cmd", "a script"),
    ("ini", "configuration"),
    ("cfg", "configuration"),
    ("conf", "configuration"),
    ("properties", "configuration"),
    ("xml", "configuration"),
    ("dist", "configuration"),
];

/// Walk state shared by the entry filter.
pub(super) struct Rules {
    content: PathBuf,
    /// Depth of the folder the walk starts at, below the content folder.
    depth_offset: usize,
    /// Folders walked into (see `Walk::dirs`).
    pub(super) dirs: HashSet<String>,
    canon_content: PathBuf,
    /// A folder left out without a word (the content folder, when walking
    /// the repository around it).
    skip_canon: Option<PathBuf>,
    canon_out: Option<PathBuf>,
    content_is_root: bool,
    use_gitignore: bool,
    gitignores: Vec<Gitignore>,
    include: GlobSet,
    exclude: GlobSet,
    skipped: Vec<Skipped>,
    diags: Vec<Diagnostic>,
}

fn globs(patterns: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // Invalid patterns are reported by `config`.
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Walks the content folder: the files to publish (or hold), what was left
/// out and why, and the folders walked into (`serve` keeps them).
pub(crate) fn walk_kept(config: &Config, diags: &mut Vec<Diagnostic>) -> Walk {
    let mut rules = Rules::for_content(config);
    let mut skipped = Vec::new();
    let content = rules.content.clone();
    let found = rules.run_from(&content, None, diags, &mut skipped);
    Walk {
        found,
        skipped,
        dirs: rules.dirs,
    }
}

/// Zero config with a content subfolder: the rest of the repository, walked
/// with the rules of a root content (plumbing, `.gitignore`, theme folders)
/// and the content folder left to `walk`. Paths come back under `prefix/`;
/// markdown files are pages, every other file is held (published only if
/// a page links to it).
pub(crate) fn walk_repository(
    config: &Config,
    prefix: &str,
    diags: &mut Vec<Diagnostic>,
    skipped: &mut Vec<Skipped>,
) -> Vec<Found> {
    let root = config.root.clone();
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let mut rules = Rules::new(config, root.clone(), canon_root, true, true);
    rules.skip_canon = config.content_path().canonicalize().ok();
    let mut own = Vec::new();
    let mut found = rules.run_from(&root, None, diags, &mut own);
    for f in &mut found {
        f.rel = format!("{prefix}/{}", f.rel);
        if !f.is_markdown && f.held.is_none() {
            f.held = Some("outside the content folder, and no page links to it");
        }
    }
    skipped.extend(own.into_iter().map(|s| Skipped {
        rel: format!("{prefix}/{}", s.rel),
        reason: s.reason,
    }));
    found
}

impl Rules {
    /// The rules of a walk of `config`'s content folder.
    pub(super) fn for_content(config: &Config) -> Rules {
        let content = config.content_path();
        let canon_content = content.canonicalize().unwrap_or_else(|_| content.clone());
        let content_is_root = canon_content == config.root.canonicalize().unwrap_or_default();
        let use_gitignore = content_is_root || !config.has_file;
        let mut rules = Rules::new(
            config,
            content,
            canon_content,
            content_is_root,
            use_gitignore,
        );
        if rules.use_gitignore && !content_is_root {
            rules.load_gitignore(&config.root);
        }
        rules
    }

    /// Whether the content folder is the site root.
    pub(super) fn content_is_root(&self) -> bool {
        self.content_is_root
    }

    /// Whether `.gitignore` files leave paths out.
    pub(super) fn uses_gitignore(&self) -> bool {
        self.use_gitignore
    }

    fn new(
        config: &Config,
        content: PathBuf,
        canon_content: PathBuf,
        content_is_root: bool,
        use_gitignore: bool,
    ) -> Rules {
        Rules {
            canon_out: config.output_path().canonicalize().ok(),
            canon_content,
            skip_canon: None,
            content_is_root,
            use_gitignore,
            gitignores: Vec::new(),
            include: globs(&config.include),
            exclude: globs(&config.exclude),
            skipped: Vec::new(),
            diags: Vec::new(),
            content,
            depth_offset: 0,
            dirs: HashSet::new(),
        }
    }

    /// Walks `start` (the content folder, or a folder in it that the walk
    /// reached, at `depth` below it) with these rules, `max_depth` levels
    /// down when given. Files come back in walk order; `self.dirs` gains
    /// the folders walked into.
    pub(super) fn run_from(
        &mut self,
        start: &Path,
        max_depth: Option<usize>,
        diags: &mut Vec<Diagnostic>,
        skipped: &mut Vec<Skipped>,
    ) -> Vec<Found> {
        let content = self.content.clone();
        let include = self.include.clone();
        let content_is_root = self.content_is_root;
        self.depth_offset = start
            .strip_prefix(&content)
            .map_or(0, |r| r.components().count());
        let mut found = Vec::new();
        let mut walker = walkdir::WalkDir::new(start)
            .follow_links(true)
            .sort_by_file_name();
        if let Some(depth) = max_depth {
            walker = walker.max_depth(depth);
        }
        let walker = walker.into_iter().filter_entry(|e| self.keep(e));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    diags.push(walk_error(&err, &content));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&content) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            // Files in hidden folders (.gitbook/assets, .github) are published,
            // as files, only if a page links to them.
            let hidden = rel.split('/').any(|s| s.starts_with('.'));
            let is_markdown = !hidden && rel.to_ascii_lowercase().ends_with(".md");
            let theme_file =
                content_is_root && THEME_DIRS.contains(&rel.split('/').next().unwrap_or_default());
            let held = if is_markdown || include.is_match(&rel) {
                None
            } else if hidden {
                Some("in a hidden folder")
            } else if theme_file {
                Some("the site's theme files")
            } else {
                plumbing(&rel, entry.path(), content_is_root)
            };
            found.push(Found {
                rel,
                file: entry.path().to_path_buf(),
                is_markdown,
                held,
            });
        }
        diags.append(&mut self.diags);
        skipped.append(&mut self.skipped);
        found
    }
}

fn walk_error(err: &walkdir::Error, content: &Path) -> Diagnostic {
    let path = err
        .path()
        .map(clean_display)
        .unwrap_or_else(|| clean_display(content));
    let (code, msg) = if err.loop_ancestor().is_some() {
        (
            Code::Symlink,
            "symbolic link loop in the content folder".to_string(),
        )
    } else {
        let msg = err
            .io_error()
            .map(std::string::ToString::to_string)
            .unwrap_or_else(|| err.to_string());
        (Code::Io, msg)
    };
    Diagnostic::error(code, path, msg)
}

impl Rules {
    pub(super) fn load_gitignore(&mut self, dir: &Path) {
        let file = dir.join(".gitignore");
        if file.is_file() {
            let (gi, _errors) = Gitignore::new(&file);
            self.gitignores.push(gi);
        }
    }

    fn gitignored(&self, path: &Path, is_dir: bool) -> bool {
        self.gitignores
            .iter()
            .any(|gi| path.starts_with(gi.path()) && gi.matched(path, is_dir).is_ignore())
    }

    fn included(&self, rel: &str) -> bool {
        self.include.is_match(rel)
    }

    fn skip(&mut self, rel: &str, is_dir: bool, reason: &'static str) -> bool {
        let shown = if is_dir {
            format!("{rel}/")
        } else {
            rel.to_string()
        };
        self.skipped.push(Skipped { rel: shown, reason });
        false
    }

    /// The entry filter: `false` leaves the file or folder out.
    fn keep(&mut self, e: &walkdir::DirEntry) -> bool {
        let is_dir = e.file_type().is_dir();
        if e.depth() == 0 {
            if self.use_gitignore {
                self.load_gitignore(e.path());
            }
            self.record_dir(e.path());
            return true;
        }
        let rel = match e.path().strip_prefix(&self.content) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => return true,
        };
        if is_dir || e.path_is_symlink() {
            let canon = e.path().canonicalize();
            if let (Some(out), Ok(c)) = (&self.canon_out, &canon) {
                if c == out {
                    return self.skip(&rel, true, "the output folder");
                }
            }
            if canon
                .as_ref()
                .ok()
                .is_some_and(|c| Some(c) == self.skip_canon.as_ref())
            {
                return false;
            }
            if e.path_is_symlink() && !self.symlink_ok(e, canon) {
                return false;
            }
        }
        if let Some(reason) = self.skip_reason(e, &rel, is_dir) {
            if self.included(&rel) || (is_dir && self.included(&format!("{rel}/x"))) {
                return self.descend(e, is_dir);
            }
            // Tool folders (.git) are not worth listing file by file, or at all.
            if is_dir && TOOL_DOT_DIRS.contains(&e.file_name().to_string_lossy().as_ref()) {
                return false;
            }
            return self.skip(&rel, is_dir, reason);
        }
        self.descend(e, is_dir)
    }

    fn descend(&mut self, e: &walkdir::DirEntry, is_dir: bool) -> bool {
        if is_dir {
            if self.use_gitignore {
                self.load_gitignore(e.path());
            }
            self.record_dir(e.path());
        }
        true
    }

    fn record_dir(&mut self, dir: &Path) {
        if let Ok(rel) = dir.strip_prefix(&self.content) {
            self.dirs.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }

    fn skip_reason(&self, e: &walkdir::DirEntry, rel: &str, is_dir: bool) -> Option<&'static str> {
        let name = e.file_name().to_string_lossy();
        if name.starts_with('.') && (!is_dir || TOOL_DOT_DIRS.contains(&name.as_ref())) {
            return Some(if is_dir {
                "a tool's hidden folder"
            } else {
                "a hidden file"
            });
        }
        if self.exclude.is_match(rel) {
            return Some("matches `exclude` in site.toml");
        }
        if self.use_gitignore && self.gitignored(e.path(), is_dir) {
            return Some("ignored by .gitignore");
        }
        if is_dir {
            if SKIP_DIRS.contains(&name.as_ref()) {
                return Some("dependencies or build files");
            }
            if GENERATOR_DIRS.contains(&name.as_ref()) {
                return Some("another site generator's templates, data or drafts");
            }
            if looks_built(e.path()) {
                return Some("a previous build output");
            }
        }
        if self.content_is_root && e.depth() + self.depth_offset == 1 {
            // A repository's own `templates/` of markdown (meeting notes,
            // issue templates) is content: only its other files are held.
            if is_dir && THEME_DIRS.contains(&name.as_ref()) && !has_markdown(e.path()) {
                return Some("the site's theme files");
            }
            if name == crate::config::CONFIG_FILE {
                return Some("the site configuration");
            }
        }
        None
    }

    fn symlink_ok(&mut self, e: &walkdir::DirEntry, canon: std::io::Result<PathBuf>) -> bool {
        match canon {
            Ok(c) if c.starts_with(&self.canon_content) => true,
            Ok(_) => {
                self.diags.push(
                    Diagnostic::error(
                        Code::Symlink,
                        clean_display(e.path()),
                        "symbolic link points outside the content folder",
                    )
                    .hint("copy the file into the content folder instead of linking to it"),
                );
                false
            }
            Err(err) => {
                self.diags.push(Diagnostic::error(
                    Code::Symlink,
                    clean_display(e.path()),
                    format!("broken symbolic link: {err}"),
                ));
                false
            }
        }
    }
}

/// The site's theme folders at the root: skipped, unless they hold markdown.
pub(super) const THEME_DIRS: &[&str] = &["templates", "static", "themes"];

/// Whether a folder holds a markdown file (at any depth, outside hidden
/// folders and `node_modules`).
fn has_markdown(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "node_modules")
        })
        .filter_map(Result::ok)
        .any(|e| {
            e.file_type().is_file()
                && e.file_name()
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .ends_with(".md")
        })
}

/// A folder holding a built site: handbook's own `.handbook-build` marker,
/// or no markdown and `.nojekyll` or an `index.html` beside a sitemap or
/// 404 page.
pub(super) fn looks_built(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let names: HashSet<String> = entries
        .filter_map(std::result::Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.contains(".handbook-build") {
        return true;
    }
    let has_md = names
        .iter()
        .any(|n| n.to_ascii_lowercase().ends_with(".md"));
    // `.nojekyll` beside markdown is a docsify-style source, not an output.
    if names.contains(".nojekyll") {
        return !has_md;
    }
    names.contains("index.html")
        && (names.contains("sitemap.xml") || names.contains("404.html"))
        && !has_md
}

/// Why a file is another generator's template (anywhere) or repository
/// plumbing (when the content is the site root), if it is.
fn plumbing(rel: &str, file: &Path, root_mode: bool) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if matches!(ext.as_deref(), Some("html" | "htm")) && has_front_matter(file) {
        return Some("another site generator's template (HTML with front matter)");
    }
    if name.eq_ignore_ascii_case("index.html") && is_page_shell(file) {
        return Some("a page shell that loads the markdown beside it in the browser (docsify)");
    }
    if matches!(
        ext.as_deref(),
        Some(
            "liquid"
                | "njk"
                | "erb"
                | "hbs"
                | "mustache"
                | "twig"
                | "jinja"
                | "j2"
                | "ejs"
                | "pug"
                | "haml"
                | "slim"
                | "tmpl"
                | "tpl"
        )
    ) {
        return Some("another site generator's template");
    }
    if !root_mode {
        return None;
    }
    let stem = name.split('.').next().unwrap_or(name);
    let licence_txt = PLUMBING_NAMES.contains(&stem) && name.ends_with(".txt");
    if PLUMBING_NAMES.contains(&name) || licence_txt {
        return Some("repository plumbing (manifest, lock file, CI or build config, licence)");
    }
    let ext = ext?;
    PLUMBING_EXTS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, reason)| *reason)
}

/// An `index.html` beside markdown that renders it in the browser
/// (docsify and the like): its folder has `.nojekyll`, or it loads docsify.
fn is_page_shell(file: &Path) -> bool {
    let Some(dir) = file.parent() else {
        return false;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_ascii_lowercase())
        .collect();
    if !names.iter().any(|n| n.ends_with(".md")) {
        return false;
    }
    names.iter().any(|n| n == ".nojekyll")
        || std::fs::read(file)
            .map(|b| String::from_utf8_lossy(&b[..b.len().min(65536)]).contains("docsify"))
            .unwrap_or(false)
}

fn has_front_matter(file: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut head))
        .map(|_| &head[..3] == b"---" && (head[3] == b'\n' || head[3] == b'\r'))
        .unwrap_or(false)
}

/// Every path a page links to or embeds, relative to the content folder:
/// markdown links and images, reference definitions, and `src`/`href`
/// attributes. A cheap scan, so held-back files a page uses are published.
pub(crate) fn referenced_paths(config: &Config, pages: &[Page]) -> HashSet<String> {
    let mut out = HashSet::new();
    for page in pages {
        let dir = page.source.rsplit_once('/').map_or("", |(d, _)| d);
        let text = &page.markdown;
        let mut add = |rest: &str| {
            let across = config.repository.as_deref().and_then(|prefix| {
                let dest = destination(rest)?;
                let dest = super::slug::decode_percent(&dest);
                if dest.starts_with('/') {
                    return None;
                }
                super::repository::join(config, prefix, &page.source, &dest)
            });
            out.extend(across.or_else(|| resolve(dir, rest)));
        };
        for (i, _) in text.match_indices("](") {
            add(&text[i + 2..]);
        }
        for marker in ["src=\"", "href=\"", "src='", "href='"] {
            for (i, _) in text.match_indices(marker) {
                add(&text[i + marker.len()..]);
            }
        }
        for line in text.lines() {
            let t = line.trim_start();
            if t.starts_with('[') {
                if let Some(i) = t.find("]:") {
                    add(t[i + 2..].trim_start());
                }
            }
        }
    }
    out
}

/// The link destination at the start of `rest`, if it is a local path.
fn destination(rest: &str) -> Option<String> {
    let (rest, angle) = match rest.strip_prefix('<') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let end = rest
        .find(|c: char| {
            (!angle && c.is_whitespace()) || matches!(c, ')' | '>' | '"' | '\'' | '#' | '?')
        })
        .unwrap_or(rest.len());
    let dest = &rest[..end];
    if dest.is_empty() || dest.contains("://") || dest.starts_with("mailto:") {
        return None;
    }
    Some(dest.to_string())
}

/// The content-relative path a link destination at the start of `rest`
/// names, if it is a local path.
fn resolve(dir: &str, rest: &str) -> Option<String> {
    let dest = destination(rest)?;
    let joined = match dest.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if dir.is_empty() => dest.to_string(),
        None => format!("{dir}/{dest}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(super::slug::decode_percent(&parts.join("/")))
}

/// Splits held files into published (a page refers to them) and skipped.
pub(crate) fn settle_held(
    config: &Config,
    found: Vec<Found>,
    pages: &[Page],
    skipped: &mut Vec<Skipped>,
) -> Vec<Found> {
    if found.iter().all(|f| f.held.is_none()) {
        return found;
    }
    let used = referenced_paths(config, pages);
    found
        .into_iter()
        .filter(|f| match f.held {
            Some(reason) if !used.contains(&f.rel) => {
                skipped.push(Skipped {
                    rel: f.rel.clone(),
                    reason,
                });
                false
            }
            _ => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_destinations_resolve_relative_to_the_page() {
        assert_eq!(resolve("a/b", "../c.json) x"), Some("a/c.json".into()));
        assert_eq!(resolve("a", "/x/y.sh#top"), Some("x/y.sh".into()));
        assert_eq!(resolve("", "<my file.yml>"), Some("my file.yml".into()));
        assert_eq!(resolve("", "https://x.example/a.js"), None);
    }

    #[test]
    fn plumbing_is_recognised_by_name_and_extension() {
        let none = Path::new("/nonexistent");
        assert!(plumbing("package.json", none, true).is_some());
        assert!(plumbing("sub/Dockerfile", none, true).is_some());
        assert!(plumbing("config/site.js", none, true).is_some());
        assert!(plumbing("LICENSE.txt", none, true).is_some());
        assert!(plumbing("images/logo.png", none, true).is_none());
        assert!(plumbing("notes.txt", none, true).is_none());
        assert!(plumbing("raw.html", none, true).is_none());
        assert!(plumbing("page.njk", none, false).is_some());
        assert!(plumbing("bin/list.mustache", none, false).is_some());
        assert!(plumbing("bin/Command.php", none, true).is_some());
        assert!(plumbing("web/App.tsx", none, true).is_some());
        assert!(plumbing("package.json", none, false).is_none());
    }
}
