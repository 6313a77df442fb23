//! The card cache: one `<hash>.png` per card in a folder the CI workflow can
//! keep between runs (`[cards] cache_dir`, default `.handbook-cache/cards`),
//! so an unchanged role costs a file copy instead of a rasterisation.
//!
//! The key is a hash of the card's SVG text, fonts, logo and versions (see
//! `Card::key`), so entries never go stale; `prune` deletes those no build
//! used. Cache failures are never build failures: a card that cannot be
//! read from or written to the cache is simply rasterised. Only `handbook
//! build` uses the cache; `serve` never writes to disk.

use std::collections::HashSet;
use std::path::Path;

fn is_entry(name: &str) -> Option<&str> {
    let key = name.strip_suffix(".png")?;
    (key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())).then_some(key)
}

/// Puts the cached PNG for `key` at `target`: a hard link when the cache
/// and the output share a filesystem (no bytes copied; safe because
/// neither file is ever written in place, only replaced), else a copy.
/// Its size, or `None` on a miss.
pub(crate) fn copy(dir: &Path, key: &str, target: &Path) -> Option<u64> {
    let source = dir.join(format!("{key}.png"));
    let size = std::fs::metadata(&source).ok()?.len();
    // Smaller than a PNG header: a broken entry, drawn again.
    if size < 64 {
        return None;
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).ok()?;
    }
    if std::fs::hard_link(&source, target).is_err() {
        crate::fs::copy(&source, target).ok()?;
    }
    Some(size)
}

/// Stores a PNG under `key` (written aside and renamed, so a reader never
/// sees half a file).
pub(crate) fn put(dir: &Path, key: &str, png: &[u8]) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = dir.join(format!(".{key}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, png).is_ok() {
        let _ = std::fs::rename(&tmp, dir.join(format!("{key}.png")));
    }
    let _ = std::fs::remove_file(&tmp);
}

/// Deletes cache entries not in `used` (only files named like entries, so
/// a misconfigured folder loses nothing else).
pub(crate) fn prune(dir: &Path, used: &HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(key) = is_entry(&name) {
            if !used.contains(key) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_named_like_entries_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let keep = "0".repeat(32);
        let stale = "a".repeat(32);
        for name in [
            format!("{keep}.png"),
            format!("{stale}.png"),
            "notes.png".into(),
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        prune(dir.path(), &HashSet::from([keep.clone()]));
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, vec![format!("{keep}.png"), "notes.png".to_string()]);
    }

    #[test]
    fn a_broken_entry_is_a_miss_and_put_makes_a_hit() {
        let dir = tempfile::tempdir().unwrap();
        let key = "b".repeat(32);
        let target = dir.path().join("out/card.png");
        std::fs::write(dir.path().join(format!("{key}.png")), b"\x89PN").unwrap();
        assert_eq!(copy(dir.path(), &key, &target), None);
        let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7u8; 100]].concat();
        put(dir.path(), &key, &png);
        assert_eq!(copy(dir.path(), &key, &target), Some(108));
        assert_eq!(std::fs::read(&target).unwrap(), png);
    }
}
