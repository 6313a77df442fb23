//! Heading ids that match GitHub's, so every `#anchor` that works on GitHub
//! works on the built site.
//!
//! GitHub (via github-slugger) lower-cases the heading text, drops every
//! character that is not a letter, digit, mark, `_`, `-` or space, and turns
//! each space into `-`, without collapsing runs. A repeated id gets `-1`,
//! `-2`, … appended, skipping any id already taken. URL slugs for files use
//! different rules (`content::slug`).

use std::collections::HashMap;

pub fn github_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == ' ' {
            out.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' || is_mark(c) {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Combining marks (accents written as separate code points) are kept by
/// GitHub; the common blocks cover real-world headings.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
        || matches!(c as u32, 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E)
}

/// Hands out unique ids within one page, GitHub's way.
#[derive(Debug, Default)]
pub struct IdAllocator {
    occurrences: HashMap<String, usize>,
}

impl IdAllocator {
    pub fn unique(&mut self, base: &str) -> String {
        let mut result = base.to_string();
        while self.occurrences.contains_key(&result) {
            let n = self.occurrences.entry(base.to_string()).or_insert(0);
            *n += 1;
            result = format!("{base}-{n}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }

    /// Registers an id chosen by the author (`{#custom}`), keeping it as is.
    pub fn reserve(&mut self, id: &str) {
        self.occurrences.entry(id.to_string()).or_insert(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(headings: &[&str], expected: &[&str]) {
        let mut ids = IdAllocator::default();
        let got: Vec<String> = headings.iter().map(|h| ids.unique(&github_id(h))).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn matches_github_for_punctuation_and_case() {
        check(
            &[
                "Stage 2: Technical conversation",
                "What's in it for you?",
                "C++ & Rust",
                "Pay -- bands",
            ],
            &[
                "stage-2-technical-conversation",
                "whats-in-it-for-you",
                "c--rust",
                "pay----bands",
            ],
        );
    }

    #[test]
    fn repeated_headings_get_numbered() {
        check(
            &["Example", "Example", "Example"],
            &["example", "example-1", "example-2"],
        );
    }

    #[test]
    fn numbering_skips_ids_already_taken() {
        check(
            &["Example 1", "Example", "Example"],
            &["example-1", "example", "example-2"],
        );
    }

    #[test]
    fn keeps_non_latin_letters_and_drops_emoji() {
        check(
            &["Über uns", "🚀 Launch", "給与"],
            &["über-uns", "-launch", "給与"],
        );
    }
}
