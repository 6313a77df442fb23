//! Write: the built site as an in-memory set of files, and putting it on disk.
//!
//! Rendering produces an `Output` (path → bytes, or a file to copy). `build`
//! writes it into a temporary folder beside the output folder and swaps it
//! in only when every file was written, so a failed build never leaves a
//! half-written site: the previous output stays exactly as it was. A folder
//! is only ever replaced if it is absent, empty or carries `MARKER` (left by
//! an earlier build), unless the user passes `--force`: handbook never
//! deletes what it did not write. `serve`
//! never writes at all; it answers requests from the `Output` in memory.
//! The generated machine-readable files (sitemap, feed, search index,
//! roles.json) live in the submodules.

pub mod feeds;
pub(crate) mod search;
pub(crate) mod sitemap;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};

#[derive(Debug, Clone)]
pub(crate) enum OutputFile {
    Bytes(Arc<Vec<u8>>),
    /// Copied from the content folder or a theme on disk.
    Copy(PathBuf),
    /// Part of the embedded default theme.
    Static(&'static [u8]),
    /// Already written into the staging folder while rendering (`build`
    /// streams pages to disk instead of holding them).
    Written,
    /// A social card, rasterised when first read (`serve`) or when written
    /// (`build`, through the card cache).
    Card(Arc<crate::cards::Card>),
    /// A page `render` left for later (`serve`): the session turns it into
    /// a `Lazy` file once it holds what rendering the page needs.
    Deferred(Job),
    /// A page rendered when first read (`serve`), so an edit costs what it
    /// changes and not a rendering of every page.
    Lazy(Arc<Lazy>),
}

/// A page or section page whose rendering `render` deferred, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Job {
    /// The page with this page id.
    Page(usize),
    /// The generated or index page of this section.
    Section(usize),
    /// `search/index.html`, the plain list of every page.
    PageList,
    /// `sitemap.xml`.
    Sitemap,
}

/// Files `render` leaves to be made together on request (`serve`), each
/// group under one folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    /// The generated careers and framework pages, `roles.json` and the feed.
    Careers,
    /// The social cards.
    Cards,
}

/// A file made on first read and kept: the bytes, or why it could not be made.
pub(crate) struct Lazy {
    make: Box<dyn Fn() -> Result<Vec<u8>, Diagnostic> + Send + Sync>,
    made: std::sync::OnceLock<Result<Vec<u8>, Diagnostic>>,
}

impl Lazy {
    pub(crate) fn new(
        make: impl Fn() -> Result<Vec<u8>, Diagnostic> + Send + Sync + 'static,
    ) -> Lazy {
        Lazy {
            make: Box::new(make),
            made: std::sync::OnceLock::new(),
        }
    }

    /// A file already made (`serve` renders an edited page at once, to
    /// report its errors with the rebuild).
    pub(crate) fn made(bytes: Vec<u8>) -> Lazy {
        let made = std::sync::OnceLock::new();
        let _ = made.set(Ok(bytes));
        Lazy {
            make: Box::new(|| Ok(Vec::new())),
            made,
        }
    }

    /// A file that could not be made, and why.
    pub(crate) fn failed(why: Diagnostic) -> Lazy {
        let made = std::sync::OnceLock::new();
        let _ = made.set(Err(why));
        Lazy {
            make: Box::new(|| Ok(Vec::new())),
            made,
        }
    }

    /// The bytes, making them on the first call, or why they could not be.
    pub(crate) fn get(&self) -> Result<&[u8], &Diagnostic> {
        match self.made.get_or_init(|| (self.make)()) {
            Ok(b) => Ok(b),
            Err(d) => Err(d),
        }
    }

    /// Whether the file was made yet (for tests and memory figures).
    pub(crate) fn is_made(&self) -> bool {
        self.made.get().is_some()
    }
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lazy")
            .field("made", &self.is_made())
            .finish()
    }
}

impl OutputFile {
    pub(crate) fn bytes(b: impl Into<Vec<u8>>) -> Self {
        OutputFile::Bytes(Arc::new(b.into()))
    }

    /// The file's bytes (reads copied files from disk).
    pub(crate) fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match self {
            OutputFile::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
            OutputFile::Static(b) => std::borrow::Cow::Borrowed(b),
            OutputFile::Copy(p) => std::borrow::Cow::Owned(std::fs::read(p)?),
            OutputFile::Card(card) => {
                std::borrow::Cow::Owned(card.png().map_err(std::io::Error::other)?.to_vec())
            }
            OutputFile::Lazy(lazy) => std::borrow::Cow::Borrowed(
                lazy.get()
                    .map_err(|d| std::io::Error::other(d.to_string()))?,
            ),
            OutputFile::Written => {
                return Err(std::io::Error::other(
                    "written to disk during the build, not kept in memory",
                ))
            }
            OutputFile::Deferred(_) => {
                return Err(std::io::Error::other("left for the session to render"))
            }
        })
    }
}

/// The whole built site, keyed by output-relative path (`roles/x/index.html`).
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub(crate) files: BTreeMap<String, OutputFile>,
    /// `serve`: groups of files made together when the first of them is
    /// asked for (the careers pages, the social cards, the search index),
    /// each under its own folder (`careers/`).
    pub(crate) groups: Vec<(String, Arc<LazyFiles>)>,
}

/// A group of files made together on first read and kept.
pub(crate) struct LazyFiles {
    make: Box<dyn Fn() -> BTreeMap<String, OutputFile> + Send + Sync>,
    made: std::sync::OnceLock<BTreeMap<String, OutputFile>>,
}

impl LazyFiles {
    pub(crate) fn new(
        make: impl Fn() -> BTreeMap<String, OutputFile> + Send + Sync + 'static,
    ) -> LazyFiles {
        LazyFiles {
            make: Box::new(make),
            made: std::sync::OnceLock::new(),
        }
    }

    /// Files already made.
    pub(crate) fn made(files: BTreeMap<String, OutputFile>) -> LazyFiles {
        let made = std::sync::OnceLock::new();
        let _ = made.set(files);
        LazyFiles {
            make: Box::new(BTreeMap::new),
            made,
        }
    }

    /// The files, making them on the first call.
    pub(crate) fn get(&self) -> &BTreeMap<String, OutputFile> {
        self.made.get_or_init(|| (self.make)())
    }

    /// The files if they were made.
    pub(crate) fn if_made(&self) -> Option<&BTreeMap<String, OutputFile>> {
        self.made.get()
    }
}

impl std::fmt::Debug for LazyFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let made = self.made.get().map(BTreeMap::len);
        f.debug_struct("LazyFiles").field("made", &made).finish()
    }
}

impl Output {
    /// Every file's path and bytes, for comparing two outputs: a social
    /// card counts as its SVG (its PNG follows from it), so nothing is
    /// rasterised. Files written to disk during a build have no bytes here.
    pub fn contents(&self) -> BTreeMap<String, Vec<u8>> {
        let groups = self.groups.iter().flat_map(|(_, g)| g.get());
        self.files
            .iter()
            .chain(groups)
            .map(|(path, file)| {
                let bytes = match file {
                    OutputFile::Card(card) => card.svg.clone().into_bytes(),
                    file => file
                        .read()
                        .map(std::borrow::Cow::into_owned)
                        .unwrap_or_else(|e| format!("(unreadable: {e})").into_bytes()),
                };
                (path.clone(), bytes)
            })
            .collect()
    }

    /// The file at `key`, making its group's files if it is in a group. A
    /// group that could not be made holds, under its folder's own key, a
    /// file that fails with the reason: every path in the folder gets it.
    pub(crate) fn get(&self, key: &str) -> Option<OutputFile> {
        if let Some(file) = self.files.get(key) {
            return Some(file.clone());
        }
        self.groups
            .iter()
            .filter(|(folder, _)| key.starts_with(folder.as_str()))
            .find_map(|(folder, group)| {
                let files = group.get();
                files.get(key).or_else(|| files.get(folder)).cloned()
            })
    }

    pub(crate) fn insert(&mut self, path: impl Into<String>, file: OutputFile) {
        self.files.insert(path.into(), file);
    }

    pub(crate) fn html_pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }

    /// Pages (one `index.html` each), for the summary line.
    pub(crate) fn page_count(&self) -> usize {
        self.files
            .keys()
            .filter(|k| k.ends_with("index.html"))
            .count()
    }

    /// Everything that is not an HTML file, for the summary line.
    pub(crate) fn asset_count(&self) -> usize {
        self.files.len() - self.html_pages()
    }
}

/// The file every build leaves in the output folder. Its presence is what
/// allows the next build to replace the folder.
pub(crate) const MARKER: &str = ".handbook-build";

const MARKER_TEXT: &str = "This folder was written by `handbook build` and is replaced, \
whole, by the next build. Do not keep anything else in it.\n";

/// Whether `dir` may be replaced by a build: it is absent, empty, or holds
/// `MARKER` from an earlier build, or `force` is set. Otherwise an error
/// naming the folder with a hint about `--force`.
pub(crate) fn check_replaceable(dir: &Path, force: bool) -> Result<(), Diagnostic> {
    if force || dir.join(MARKER).is_file() {
        return Ok(());
    }
    let shown = crate::content::clean_display(dir);
    let mut entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Diagnostic::error(
                Code::OutputFolder,
                &shown,
                format!("cannot read the output folder: {e}"),
            ))
        }
    };
    if entries.next().is_none() {
        return Ok(());
    }
    Err(Diagnostic::error(
        Code::OutputFolder,
        &shown,
        "the output folder is not empty and was not written by handbook; \
         the build would delete everything in it",
    )
    .hint(format!(
        "choose an empty or new folder with --output DIR, or pass --force to replace \
         {} and everything in it",
        shown.display()
    )))
}

/// Writes `output` to `dir`, atomically replacing what was there (only if
/// `check_replaceable` allows it).
pub(crate) fn write_atomic(output: &Output, dir: &Path, force: bool) -> Result<usize, Diagnostic> {
    Staging::create(dir, force)?.finish(output)
}

/// Where rendered pages go as they are rendered: `render` hands each page
/// here and keeps what comes back in its `Output`. `Memory` keeps the
/// bytes (`serve`, tests); `Staging` writes them into the staging folder
/// right away (`handbook build`), so memory does not grow with the site.
pub(crate) trait PageSink: Sync {
    fn put(&self, path: &str, html: String) -> Result<OutputFile, Diagnostic>;
}

/// Pages kept in memory.
pub(crate) struct Memory;

impl PageSink for Memory {
    fn put(&self, _path: &str, html: String) -> Result<OutputFile, Diagnostic> {
        Ok(OutputFile::bytes(html))
    }
}

impl PageSink for Staging {
    fn put(&self, path: &str, html: String) -> Result<OutputFile, Diagnostic> {
        crate::fs::write(&self.path.join(path), html.as_bytes())
            .map(|_| OutputFile::Written)
            .map_err(|e| {
                Diagnostic::error(
                    Code::Io,
                    crate::content::clean_display(&self.path),
                    e.to_string(),
                )
            })
    }
}

/// A folder beside the output folder that a build is written into; it
/// replaces the output folder only in `finish`, and is deleted if dropped
/// unfinished (a failed build), so the previous site stays as it was.
#[derive(Debug)]
pub(crate) struct Staging {
    dir: PathBuf,
    path: PathBuf,
    force: bool,
    finished: bool,
}

impl Staging {
    /// A staging folder for replacing `dir`; refused if `dir` may not be
    /// replaced (see `check_replaceable`).
    pub(crate) fn create(dir: &Path, force: bool) -> Result<Staging, Diagnostic> {
        check_replaceable(dir, force)?;
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let path = parent.join(format!(".{name}.building-{}", std::process::id()));
        let staging = Staging {
            dir: dir.to_path_buf(),
            path,
            force,
            finished: false,
        };
        if staging.path.exists() {
            crate::fs::remove_dir_all(&staging.path).map_err(|e| staging.error(e))?;
        }
        crate::fs::create_dir_all(&staging.path).map_err(|e| staging.error(e))?;
        Ok(staging)
    }

    fn error(&self, e: crate::fs::FsError) -> Diagnostic {
        Diagnostic::error(
            Code::Io,
            crate::content::clean_display(&self.dir),
            e.to_string(),
        )
    }

    /// Writes the files of `output` not written yet, then swaps the folder
    /// in. Returns how many files the site has.
    pub(crate) fn finish(mut self, output: &Output) -> Result<usize, Diagnostic> {
        let staging = self.path.clone();
        let result: Result<Vec<()>, crate::fs::FsError> = output
            .files
            .par_iter()
            .map(|(rel, file)| {
                let target = staging.join(rel);
                match file {
                    OutputFile::Bytes(b) => crate::fs::write(&target, b),
                    OutputFile::Static(b) => crate::fs::write(&target, b),
                    OutputFile::Copy(src) => crate::fs::copy(src, &target).map(|_| ()),
                    OutputFile::Written => Ok(()),
                    // `build` renders every page; only `serve` defers.
                    OutputFile::Lazy(_) | OutputFile::Deferred(_) => match file.read() {
                        Ok(b) => crate::fs::write(&target, &b),
                        Err(e) => Err(crate::fs::FsError {
                            path: target.clone(),
                            action: "render",
                            source: e,
                        }),
                    },
                    OutputFile::Card(card) => match card.write_to(&target) {
                        Ok(_) => Ok(()),
                        Err(e) => Err(crate::fs::FsError {
                            path: target.clone(),
                            action: "rasterise the social card",
                            source: std::io::Error::other(e),
                        }),
                    },
                }
            })
            .collect();
        let written = result.map_err(|e| self.error(e))?;
        // Checked again: something may have been put there while rendering.
        check_replaceable(&self.dir, self.force)?;
        crate::fs::write(&staging.join(MARKER), MARKER_TEXT.as_bytes())
            .map_err(|e| self.error(e))?;
        let old = self.swap_in()?;
        self.finished = true;
        prune_card_cache(output);
        if let Some(old) = old {
            remove_site(&old);
        }
        Ok(written.len())
    }
}

/// Deletes the previous site once the new one is in its place: its
/// top-level entries in parallel (a site is many small files, and the
/// build waits for this). Symbolic links are removed, never followed.
fn remove_site(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        entries.par_iter().for_each(|e| {
            let _ = match e.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(e.path()),
                _ => std::fs::remove_file(e.path()),
            };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

impl Staging {
    /// Puts the staging folder in place of the output folder; returns where
    /// the previous site now is (to delete), if there was one. On Linux the
    /// two folders trade places in one step (`renameat2` with
    /// `RENAME_EXCHANGE`), so there is no moment without a site; elsewhere,
    /// or on a filesystem without it, the old folder moves aside first. A
    /// failed swap puts the old site back, and says so if it cannot.
    fn swap_in(&self) -> Result<Option<PathBuf>, Diagnostic> {
        if !self.dir.exists() {
            crate::fs::rename(&self.path, &self.dir).map_err(|e| self.error(e))?;
            return Ok(None);
        }
        if exchange(&self.path, &self.dir) {
            return Ok(Some(self.path.clone()));
        }
        let old = self.path.with_file_name(
            self.path
                .file_name()
                .map(|n| n.to_string_lossy().replace(".building-", ".previous-"))
                .unwrap_or_default(),
        );
        crate::fs::rename(&self.dir, &old).map_err(|e| self.error(e))?;
        if let Err(e) = crate::fs::rename(&self.path, &self.dir) {
            let mut d = self.error(e);
            if let Err(back) = crate::fs::rename(&old, &self.dir) {
                d.message = format!(
                    "{}; putting the previous site back failed too ({back}): it is in {}",
                    d.message,
                    crate::content::clean_display(&old).display()
                );
            }
            return Err(d);
        }
        Ok(Some(old))
    }
}

/// Swaps two folders atomically where the platform can (Linux 3.15+ on
/// most filesystems); `false` when it cannot, and nothing moved.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Drops cached cards that this build did not use.
fn prune_card_cache(output: &Output) {
    let mut dir = None;
    let mut used = std::collections::HashSet::new();
    for file in output.files.values() {
        if let OutputFile::Card(card) = file {
            dir = card.kit.cache_dir.clone();
            used.insert(card.key().to_string());
        }
    }
    if let Some(dir) = dir {
        crate::cards::cache::prune(&dir, &used);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temp folder holding `public/`, a previous build (marker and `old.html`).
    fn previous_site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        (tmp, out)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_finished_staging_folder_takes_the_output_folders_place() {
        let (tmp, out) = previous_site();

        let staging = Staging::create(&out, false).unwrap();
        let streamed = staging.put("a/index.html", "<p>a</p>".into()).unwrap();
        assert!(matches!(streamed, OutputFile::Written));
        let mut output = Output::default();
        output.insert("a/index.html", streamed);
        output.insert("b.txt", OutputFile::bytes("b"));
        let files = staging.finish(&output).unwrap();

        assert_eq!(files, 2);
        assert_eq!(names(&out), [MARKER, "a", "b.txt"]);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "<p>a</p>"
        );
        // Neither the staging folder nor the previous site is left beside it.
        assert_eq!(names(tmp.path()), ["public"]);
    }

    #[test]
    fn an_unfinished_staging_folder_leaves_the_output_folder_as_it_was() {
        let (tmp, out) = previous_site();
        {
            let staging = Staging::create(&out, false).unwrap();
            staging.put("new.html", "new".into()).unwrap();
        }
        assert_eq!(names(&out), [MARKER, "old.html"]);
        assert_eq!(names(tmp.path()), ["public"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_trades_two_folders_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("from-a"), "").unwrap();
        std::fs::write(b.join("from-b"), "").unwrap();
        assert!(exchange(&a, &b));
        assert_eq!(names(&a), ["from-b"]);
        assert_eq!(names(&b), ["from-a"]);
        // Nothing to trade with: refused, nothing moved.
        assert!(!exchange(&a, &tmp.path().join("missing")));
        assert_eq!(names(&a), ["from-b"]);
    }
}
