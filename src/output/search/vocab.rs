//! The words and stems one search index has seen, as numbers: every
//! distinct folded word gets a word id and the id of its stem, so counting
//! and merging postings works on integers and flat vectors instead of
//! hashing and copying strings for each of a site's millions of words.
//!
//! The table is shared by the threads that analyse pages; each thread keeps
//! its own copy of the word → ids map (a site's vocabulary is small next to
//! its word count), so the shared table is locked only for a word the
//! thread has not met yet, and each distinct word is stemmed once per
//! index. This module only numbers words; `text` says what a word is and
//! `index` weighs them.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::text::{self, FastMap};

/// A thread's private map holds at most this many words; past it, new
/// words are looked up in the shared table (slower, still correct).
const THREAD_CACHE_WORDS: usize = 200_000;

/// Folded word → (word id, stem id).
type WordIds = FastMap<Box<str>, (u32, u32)>;

/// A thread's copy of the word → ids map of the index `generation`.
/// Words of up to 16 bytes (nearly all) are keyed by their bytes as one
/// number (`short_key`): looking one up compares two integers instead of
/// following a pointer to compare strings.
#[derive(Default)]
struct Seen {
    generation: u64,
    short: FastMap<u128, (u32, u32)>,
    long: WordIds,
}

/// Word look-ups through one thread's cache (`Vocab::with_ids`).
pub(crate) struct Ids<'a> {
    vocab: &'a Vocab,
    seen: &'a mut Seen,
}

impl Ids<'_> {
    /// (word id, stem id) of a folded word.
    pub(crate) fn get(&mut self, word: &str) -> (u32, u32) {
        let seen = &mut *self.seen;
        let key = short_key(word);
        let found = match key {
            Some(k) => seen.short.get(&k),
            None => seen.long.get(word),
        };
        if let Some(&ids) = found {
            return ids;
        }
        let ids = self.vocab.table().intern(word);
        if seen.short.len() + seen.long.len() < THREAD_CACHE_WORDS {
            match key {
                Some(k) => seen.short.insert(k, ids),
                None => seen.long.insert(word.into(), ids),
            };
        }
        ids
    }
}

/// A word of at most 16 bytes as a number, its bytes in order and zeros
/// after (a folded word has no zero bytes, so no two words share a key).
fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    let mut key = [0u8; 16];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u128::from_le_bytes(key))
}

/// The word and stem tables of one index.
#[derive(Debug)]
pub(crate) struct Vocab {
    /// Tells thread caches of different indexes (`serve` rebuilds) apart.
    generation: u64,
    table: Mutex<Table>,
}

#[derive(Debug, Default)]
pub(crate) struct Table {
    ids: WordIds,
    /// Word id → folded word.
    pub(crate) words: Vec<Box<str>>,
    /// Word id → stem id.
    pub(crate) word_stem: Vec<u32>,
    /// Stem id → stem.
    pub(crate) stems: Vec<Box<str>>,
    stem_ids: FastMap<Box<str>, u32>,
}

impl Table {
    fn intern(&mut self, word: &str) -> (u32, u32) {
        if let Some(&ids) = self.ids.get(word) {
            return ids;
        }
        let stem = text::stem(word);
        let stem_id = match self.stem_ids.get(stem.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.stems.len() as u32;
                self.stems.push(stem.clone().into());
                self.stem_ids.insert(stem.into(), id);
                id
            }
        };
        let ids = (self.words.len() as u32, stem_id);
        self.words.push(word.into());
        self.word_stem.push(stem_id);
        self.ids.insert(word.into(), ids);
        ids
    }
}

impl Default for Vocab {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Vocab {
            generation: NEXT.fetch_add(1, Ordering::Relaxed),
            table: Mutex::new(Table::default()),
        }
    }
}

impl Vocab {
    /// (word id, stem id) of a folded word (the indexer uses `with_ids`).
    #[cfg(test)]
    pub(crate) fn ids(&self, word: &str) -> (u32, u32) {
        self.with_ids(|ids| ids.get(word))
    }

    /// Runs `f` with this thread's word cache at hand, for many look-ups
    /// (a page's words) without reaching the thread-local cache for each.
    /// `f` must not call `with_ids` itself.
    pub(crate) fn with_ids<R>(&self, f: impl FnOnce(&mut Ids<'_>) -> R) -> R {
        thread_local! {
            static SEEN: RefCell<Seen> = RefCell::new(Seen::default());
        }
        SEEN.with_borrow_mut(|seen| {
            if seen.generation != self.generation {
                seen.short.clear();
                seen.long.clear();
                seen.generation = self.generation;
            }
            f(&mut Ids { vocab: self, seen })
        })
    }

    /// The shared table, for turning ids back into words.
    pub(crate) fn table(&self) -> MutexGuard<'_, Table> {
        self.table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_one_stem_share_its_id_and_threads_agree() {
        let vocab = Vocab::default();
        let (hire, hire_stem) = vocab.ids("hire");
        let (hiring, hiring_stem) = vocab.ids("hiring");
        assert_ne!(hire, hiring);
        assert_eq!(hire_stem, hiring_stem);
        let other = std::thread::scope(|s| s.spawn(|| vocab.ids("hiring")).join().unwrap());
        assert_eq!(other, (hiring, hiring_stem));
        let table = vocab.table();
        assert_eq!(&*table.stems[hire_stem as usize], "hire");
        assert_eq!(&*table.words[hiring as usize], "hiring");
    }

    #[test]
    fn short_and_long_words_keep_their_own_ids() {
        let vocab = Vocab::default();
        let words = [
            "a",
            "ab",
            "ab0",
            "sixteen-bytes-xx",
            "seventeen-bytes-x",
            "b",
        ];
        let first: Vec<(u32, u32)> = words.iter().map(|w| vocab.ids(w)).collect();
        let again: Vec<(u32, u32)> = words.iter().map(|w| vocab.ids(w)).collect();
        assert_eq!(first, again);
        let ids: Vec<u32> = first.iter().map(|p| p.0).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4, 5]);
        let table = vocab.table();
        for (w, id) in words.iter().zip(ids) {
            assert_eq!(&*table.words[id as usize], *w);
        }
    }

    #[test]
    fn a_new_index_does_not_see_another_ones_ids() {
        let a = Vocab::default();
        a.ids("apple");
        let b = Vocab::default();
        assert_eq!(b.ids("banana"), (0, 0));
    }
}
