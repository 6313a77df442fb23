//! Path helpers shared by the loading code: paths as users see them in
//! messages, and a relative path split into folder and file name. Pure
//! string and path handling, no IO.

use std::path::{Path, PathBuf};

/// Drops `./` segments so paths print as users expect.
pub(crate) fn clean_display(p: &Path) -> PathBuf {
    p.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// `a/b/c.md` → (`a/b`, `c.md`); a name without folder has folder ``.
pub(crate) fn split_dir(rel: &str) -> (&str, &str) {
    match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    }
}
