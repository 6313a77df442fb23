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
pub mod search;
pub mod sitemap;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};

#[derive(Debug, Clone)]
pub enum OutputFile {
    Bytes(Arc<Vec<u8>>),
    /// Copied from the content folder or a theme on disk.
    Copy(PathBuf),
    /// Part of the embedded default theme.
    Static(&'static [u8]),
    /// Already written into the staging folder while rendering (`build`
    /// streams pages to disk instead of holding them); its size in bytes.
    Written(u64),
    /// A social card, rasterised when first read (`serve`) or when written
    /// (`build`, through the card cache).
    Card(Arc<crate::cards::Card>),
}

impl OutputFile {
    pub fn bytes(b: impl Into<Vec<u8>>) -> Self {
        OutputFile::Bytes(Arc::new(b.into()))
    }

    /// The file's bytes (reads copied files from disk).
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match self {
            OutputFile::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
            OutputFile::Static(b) => std::borrow::Cow::Borrowed(b),
            OutputFile::Copy(p) => std::borrow::Cow::Owned(std::fs::read(p)?),
            OutputFile::Card(card) => {
                std::borrow::Cow::Owned(card.png().map_err(std::io::Error::other)?.to_vec())
            }
            OutputFile::Written(_) => {
                return Err(std::io::Error::other(
                    "written to disk during the build, not kept in memory",
                ))
            }
        })
    }
}

/// The whole built site, keyed by output-relative path (`roles/x/index.html`).
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub files: BTreeMap<String, OutputFile>,
}

impl Output {
    pub fn insert(&mut self, path: impl Into<String>, file: OutputFile) {
        self.files.insert(path.into(), file);
    }

    pub fn html_pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }

    /// Pages (one `index.html` each), for the summary line.
    pub fn page_count(&self) -> usize {
        self.files
            .keys()
            .filter(|k| k.ends_with("index.html"))
            .count()
    }

    /// Everything that is not an HTML file, for the summary line.
    pub fn asset_count(&self) -> usize {
        self.files.len() - self.html_pages()
    }
}

#[derive(Debug, Default)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// The file every build leaves in the output folder. Its presence is what
/// allows the next build to replace the folder.
pub const MARKER: &str = ".handbook-build";

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
pub fn write_atomic(output: &Output, dir: &Path, force: bool) -> Result<WriteStats, Diagnostic> {
    Staging::create(dir, force)?.finish(output)
}

/// A folder beside the output folder that a build is written into; it
/// replaces the output folder only in `finish`, and is deleted if dropped
/// unfinished (a failed build), so the previous site stays as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    path: PathBuf,
    force: bool,
    finished: bool,
}

impl Staging {
    /// A staging folder for replacing `dir`; refused if `dir` may not be
    /// replaced (see `check_replaceable`).
    pub fn create(dir: &Path, force: bool) -> Result<Staging, Diagnostic> {
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

    /// Where files are being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, e: crate::fs::FsError) -> Diagnostic {
        Diagnostic::error(
            Code::Io,
            crate::content::clean_display(&self.dir),
            e.to_string(),
        )
    }

    /// Writes the files of `output` not written yet, then swaps the folder in.
    pub fn finish(mut self, output: &Output) -> Result<WriteStats, Diagnostic> {
        let staging = self.path.clone();
        let result: Result<Vec<u64>, crate::fs::FsError> = output
            .files
            .par_iter()
            .map(|(rel, file)| {
                let target = staging.join(rel);
                match file {
                    OutputFile::Bytes(b) => crate::fs::write(&target, b).map(|_| b.len() as u64),
                    OutputFile::Static(b) => crate::fs::write(&target, b).map(|_| b.len() as u64),
                    OutputFile::Copy(src) => crate::fs::copy(src, &target).map(|_| 0),
                    OutputFile::Written(n) => Ok(*n),
                    OutputFile::Card(card) => match card.write_to(&target) {
                        Ok(size) => Ok(size),
                        Err(e) => Err(crate::fs::FsError {
                            path: target.clone(),
                            action: "rasterise the social card",
                            source: std::io::Error::other(e),
                        }),
                    },
                }
            })
            .collect();
        let sizes = result.map_err(|e| self.error(e))?;
        // Checked again: something may have been put there while rendering.
        check_replaceable(&self.dir, self.force)?;
        crate::fs::write(&staging.join(MARKER), MARKER_TEXT.as_bytes())
            .map_err(|e| self.error(e))?;
        // Swap: the old site moves aside, the new one takes its name.
        let old = self.path.with_file_name(
            self.path
                .file_name()
                .map(|n| n.to_string_lossy().replace(".building-", ".previous-"))
                .unwrap_or_default(),
        );
        if self.dir.exists() {
            crate::fs::rename(&self.dir, &old).map_err(|e| self.error(e))?;
        }
        if let Err(e) = crate::fs::rename(&self.path, &self.dir) {
            let _ = std::fs::rename(&old, &self.dir);
            return Err(self.error(e));
        }
        self.finished = true;
        prune_card_cache(output);
        if old.exists() {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(WriteStats {
            files: sizes.len(),
            bytes: sizes.iter().sum(),
        })
    }
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
