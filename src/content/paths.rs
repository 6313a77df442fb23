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

/// Resolves `.` and `..` in a `/`-separated relative path, keeping a
/// trailing `/`; None if it climbs above the root. (Links in `markdown` and
/// the repository's pages both use it.)
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}
