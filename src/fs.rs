//! Filesystem wrappers whose errors always name the path they were about.
//!
//! Only the load and write stages (and serve's watcher) touch the disk; they
//! go through these helpers so no error ever says "file not found" without
//! saying which file.

use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("could not {action} {path}: {source}", path = .path.display())]
pub(crate) struct FsError {
    pub(crate) path: PathBuf,
    pub(crate) action: &'static str,
    pub(crate) source: io::Error,
}

fn wrap<T>(action: &'static str, path: &Path, r: io::Result<T>) -> Result<T, FsError> {
    r.map_err(|source| FsError {
        path: path.to_path_buf(),
        action,
        source,
    })
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    wrap("read", path, std::fs::read(path))
}

pub(crate) fn read_to_string(path: &Path) -> Result<String, FsError> {
    wrap("read", path, std::fs::read_to_string(path))
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    wrap("write", path, std::fs::write(path, bytes))
}

pub(crate) fn copy(from: &Path, to: &Path) -> Result<(), FsError> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    wrap("copy to", to, std::fs::copy(from, to).map(|_| ()))
}

pub(crate) fn create_dir_all(path: &Path) -> Result<(), FsError> {
    wrap("create folder", path, std::fs::create_dir_all(path))
}

pub(crate) fn remove_dir_all(path: &Path) -> Result<(), FsError> {
    wrap("remove folder", path, std::fs::remove_dir_all(path))
}

pub(crate) fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    wrap("move", from, std::fs::rename(from, to))
}
