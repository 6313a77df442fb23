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
    /// (word id, stem id) of a folded word.
    pub(crate) fn ids(&self, word: &str) -> (u32, u32) {
        thread_local! {
            static SEEN: RefCell<(u64, WordIds)> = RefCell::new((0, WordIds::default()));
        }
        SEEN.with_borrow_mut(|(generation, seen)| {
            if *generation != self.generation {
                seen.clear();
                *generation = self.generation;
            }
            if let Some(&ids) = seen.get(word) {
                return ids;
            }
            let ids = self.table().intern(word);
            if seen.len() < THREAD_CACHE_WORDS {
                seen.insert(word.into(), ids);
            }
            ids
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
    fn a_new_index_does_not_see_another_ones_ids() {
        let a = Vocab::default();
        a.ids("apple");
        let b = Vocab::default();
        assert_eq!(b.ids("banana"), (0, 0));
    }
}
