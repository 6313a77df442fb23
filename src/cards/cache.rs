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

/// The cached PNG for `key`, if there is one.
pub fn get(dir: &Path, key: &str) -> Option<Vec<u8>> {
    let bytes = std::fs::read(dir.join(format!("{key}.png"))).ok()?;
    // A truncated file (a build killed mid-write) is not a PNG.
    bytes.starts_with(b"\x89PNG\r\n\x1a\n").then_some(bytes)
}

/// Stores a PNG under `key` (written aside and renamed, so a reader never
/// sees half a file).
pub fn put(dir: &Path, key: &str, png: &[u8]) {
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
pub fn prune(dir: &Path, used: &HashSet<String>) {
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
    fn a_truncated_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let key = "b".repeat(32);
        std::fs::write(dir.path().join(format!("{key}.png")), b"\x89PN").unwrap();
        assert_eq!(get(dir.path(), &key), None);
        put(dir.path(), &key, b"\x89PNG\r\n\x1a\nrest");
        assert!(get(dir.path(), &key).is_some());
    }
}
