//! Words for the search index: diacritics folded, lower-cased, split on
//! anything that is not a letter or digit, common English words dropped,
//! English words stemmed with Snowball's English (Porter2) stemmer.
//!
//! The browser applies exactly the same rules to a query (`search.js`
//! `fold`, `words`, `stem`, `STOP`), so a query word and an indexed word
//! meet on the same stem: "hiring" and "hire" both become "hire". A browser
//! test runs the JavaScript stemmer over a word list and compares it with
//! this one. This module only turns text into words; weighting and files
//! are `index`'s and `files`' jobs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Words too common to be worth indexing; queries skip them too. Short on
/// purpose: only words that appear on nearly every English page.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "was", "with",
];

/// Words longer than this are not indexed (hashes, base64, long URLs).
pub(crate) const MAX_WORD: usize = 40;

/// Removes diacritics (canonical decomposition, then combining marks
/// U+0300–U+036F dropped) and lower-cases: "Café" → "cafe". The browser
/// does `s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()`.
pub(crate) fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of already folded text, in order (stop words included):
/// maximal runs of letters and digits (`/[\p{Alphabetic}\p{N}]+/u` in
/// the browser).
pub(crate) fn split_folded(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= MAX_WORD)
}

/// The folded words of `text`.
/// Cuts `text` to at most `limit` bytes on a word boundary.
pub(crate) fn clip(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    cut.rfind(' ').map_or(cut, |i| &cut[..i]).to_string()
}

#[cfg(test)]
pub(crate) fn words(text: &str) -> Vec<String> {
    split_folded(&fold(text)).map(String::from).collect()
}

/// FNV-1a: a quick hash for the short strings the indexer counts (words
/// come from the site's own content, so flooding is not a concern).
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

pub(crate) fn is_stop_word(word: &str) -> bool {
    word.len() <= 4 && STOP_WORDS.binary_search(&word).is_ok()
}

/// A folded word's stem. Only plain a–z words are stemmed (the English
/// stemmer has nothing to say about numbers or other scripts), so the
/// browser's stemmer only needs the English rules.
#[cfg(test)]
pub(crate) fn stem(word: &str) -> String {
    stem_shared(word).to_string()
}

/// `stem`, shared: each thread stems each distinct word once (a site's
/// vocabulary is small next to its word count) and hands out the same
/// stem again without allocating.
pub(crate) fn stem_shared(word: &str) -> Arc<str> {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    thread_local! {
        static SEEN: RefCell<FastMap<String, Arc<str>>> = RefCell::new(FastMap::default());
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(s) = seen.get(word) {
            return s.clone();
        }
        let s: Arc<str> = if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            word.into()
        } else {
            STEMMER
                .get_or_init(|| Stemmer::create(Algorithm::English))
                .stem(word)
                .into()
        };
        if seen.len() < 200_000 {
            seen.insert(word.to_string(), s.clone());
        }
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[(&str, &str)]) {
        let got: Vec<(String, String)> = words(text)
            .into_iter()
            .filter(|w| !is_stop_word(w))
            .map(|w| {
                let s = stem(&w);
                (w, s)
            })
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(w, s)| (w.to_string(), s.to_string()))
            .collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn hiring_and_hire_share_a_stem() {
        check("Hiring", &[("hiring", "hire")]);
        check(
            "hire hired hires",
            &[("hire", "hire"), ("hired", "hire"), ("hires", "hire")],
        );
    }

    #[test]
    fn diacritics_are_folded_before_stemming() {
        check("Café Zoë", &[("cafe", "cafe"), ("zoe", "zoe")]);
        check("Crème brûlée", &[("creme", "creme"), ("brulee", "brule")]);
    }

    #[test]
    fn punctuation_splits_words_and_stop_words_go() {
        check(
            "The on-call (24/7) rota, and C++",
            &[
                ("call", "call"),
                ("24", "24"),
                ("7", "7"),
                ("rota", "rota"),
                ("c", "c"),
            ],
        );
    }

    #[test]
    fn other_scripts_and_numbers_are_kept_as_they_are() {
        check(
            "Gehälter 2026 給与",
            &[("gehalter", "gehalt"), ("2026", "2026"), ("給与", "給与")],
        );
    }
}
