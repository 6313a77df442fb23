//! Write: the built site as an in-memory set of files, and putting it on disk.
//!
//! Rendering produces an `Output` (path → bytes, or a file to copy). `build`
//! writes it into a temporary folder beside the output folder and swaps it
//! in only when every file was written, so a failed build never leaves a
//! half-written site: the previous output stays exactly as it was. `serve`
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

use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone)]
pub enum OutputFile {
    Bytes(Arc<Vec<u8>>),
    /// Copied from the content folder or a theme on disk.
    Copy(PathBuf),
    /// Part of the embedded default theme.
    Static(&'static [u8]),
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
}

#[derive(Debug, Default)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Writes `output` to `dir`, atomically replacing what was there.
pub fn write_atomic(output: &Output, dir: &Path) -> Result<WriteStats, Diagnostic> {
    let shown = crate::content::clean_display(dir);
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.building-{pid}"));
    let old = parent.join(format!(".{name}.previous-{pid}"));
    let fail = |e: crate::fs::FsError| Diagnostic::error(&shown, e.to_string());
    if staging.exists() {
        crate::fs::remove_dir_all(&staging).map_err(fail)?;
    }
    crate::fs::create_dir_all(&staging).map_err(fail)?;
    let result: Result<Vec<u64>, crate::fs::FsError> = output
        .files
        .par_iter()
        .map(|(rel, file)| {
            let target = staging.join(rel);
            match file {
                OutputFile::Bytes(b) => crate::fs::write(&target, b).map(|_| b.len() as u64),
                OutputFile::Static(b) => crate::fs::write(&target, b).map(|_| b.len() as u64),
                OutputFile::Copy(src) => crate::fs::copy(src, &target).map(|_| 0),
            }
        })
        .collect();
    let sizes = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(fail(e));
        }
    };
    // Swap: the old site moves aside, the new one takes its name.
    if dir.exists() {
        if let Err(e) = crate::fs::rename(dir, &old) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(fail(e));
        }
    }
    if let Err(e) = crate::fs::rename(&staging, dir) {
        let _ = std::fs::rename(&old, dir);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(fail(e));
    }
    if old.exists() {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(WriteStats {
        files: sizes.len(),
        bytes: sizes.iter().sum(),
    })
}
