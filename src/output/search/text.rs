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

use std::collections::HashMap;
use std::sync::OnceLock;

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

/// A quick hash for the short strings the indexer looks up (words come
/// from the site's own content, so flooding is not a concern): eight
/// bytes at a time, each mixed in with a rotate, xor and multiply.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    /// A short word as one number (`vocab`): two rounds, as `write` of its
    /// sixteen bytes would do, without the slicing.
    fn write_u128(&mut self, n: u128) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let h = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(K);
        self.0 = (h.rotate_left(5) ^ (n >> 64) as u64).wrapping_mul(K);
    }

    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(word) ^ rest.len() as u64).wrapping_mul(K);
        }
        self.0 = h;
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

pub(crate) fn is_stop_word(word: &str) -> bool {
    word.len() <= 4 && STOP_KEYS.contains(&stop_key(word.as_bytes()))
}

/// A word of up to four bytes as one number (a test checks that the
/// keys tell the stop words apart from every other short word).
const fn stop_key(word: &[u8]) -> u32 {
    let mut key = 0;
    let mut i = 0;
    while i < word.len() && i < 4 {
        key |= (word[i] as u32) << (8 * i);
        i += 1;
    }
    key
}

const STOP_KEYS: [u32; STOP_WORDS.len()] = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = stop_key(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// A folded word's stem. Only plain a–z words are stemmed (the English
/// stemmer has nothing to say about numbers or other scripts), so the
/// browser's stemmer only needs the English rules.
pub(crate) fn stem(word: &str) -> String {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    STEMMER
        .get_or_init(|| Stemmer::create(Algorithm::English))
        .stem(word)
        .into_owned()
}

/// Calls `f` with each folded word of `text` that is not a stop word, in
/// order: the same words as `split_folded(&fold(text))` less stop words.
/// ASCII text (most of it) is scanned byte by byte with a table of byte
/// classes and lower-cased a word at a time in a buffer on the stack,
/// without folding the whole text into a new string first.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    if !text.is_ascii() {
        let folded = fold(text);
        for word in split_folded(&folded) {
            if !is_stop_word(word) {
                f(word);
            }
        }
        return;
    }
    let bytes = text.as_bytes();
    let mut lower = [0u8; MAX_WORD];
    let mut at = 0;
    while at < bytes.len() {
        if ASCII_CLASS[usize::from(bytes[at])] == 0 {
            at += 1;
            continue;
        }
        let start = at;
        let mut class = 0;
        while let Some(&b) = bytes.get(at) {
            let c = ASCII_CLASS[usize::from(b)];
            if c == 0 {
                break;
            }
            class |= c;
            at += 1;
        }
        // ASCII: every byte offset is a character boundary.
        let word = &text[start..at];
        if word.len() > MAX_WORD {
            continue;
        }
        let word = if class & UPPER != 0 {
            let lower = &mut lower[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).unwrap_or_default()
        } else {
            word
        };
        if !is_stop_word(word) {
            f(word);
        }
    }
}

/// `ASCII_CLASS` bits: a letter or digit, an upper-case letter.
const ALNUM: u8 = 1;
const UPPER: u8 = 2;

/// The class of every byte (non-ASCII bytes do not reach the table).
const ASCII_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = ALNUM;
        }
        if c.is_ascii_uppercase() {
            table[b] |= UPPER;
        }
        b += 1;
    }
    table
};

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
    fn the_ascii_path_gives_the_words_folding_gives() {
        for text in [
            "The On-call (24/7) rota, AND C++ x",
            "Hiring: HIRE hires!",
            "a the",
        ] {
            let mut fast = Vec::new();
            for_each_word(text, |w| fast.push(w.to_string()));
            let slow: Vec<String> = words(text)
                .into_iter()
                .filter(|w| !is_stop_word(w))
                .collect();
            assert_eq!(fast, slow, "{text}");
        }
        let long = "x".repeat(MAX_WORD + 1);
        let mut got = Vec::new();
        for_each_word(&format!("ok {long} Café"), |w| got.push(w.to_string()));
        assert_eq!(got, ["ok", "cafe"]);
    }

    #[test]
    fn stop_word_keys_match_only_stop_words() {
        for w in STOP_WORDS {
            assert!(is_stop_word(w), "{w}");
        }
        for w in [
            "", "b", "ann", "thi", "thiss", "tha", "ofa", "it2", "wit", "with1", "arex",
        ] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn stop_words_are_listed_in_order() {
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
