//! Heading ids that match GitHub's, so every `#anchor` that works on GitHub
//! works on the built site.
//!
//! GitHub's ids follow github-slugger: the heading's text is lower-cased
//! (JavaScript's `toLowerCase`, which is Rust's `str::to_lowercase`, final
//! sigma included), every character is dropped that is not alphabetic, a
//! mark, a decimal digit, connector punctuation (`_`, `‿`…), a plain space or
//! `-`, and each plain space becomes `-` (no trimming, no collapsing: the
//! text arrives trimmed by the parser, and `a  b` gives `a--b`). So emoji and
//! non-breaking and other Unicode spaces, `½`, `²`
//! and all other punctuation vanish, while the U+FE0F selector after an
//! emoji stays (it is a mark). The slugger's tables are Unicode 13.0:
//! letters and marks assigned since are dropped by GitHub, so they are here
//! too (`ASSIGNED_AFTER_UNICODE_13`). A repeated id gets `-1`, `-2`, …
//! appended, skipping any id already taken. URL slugs for files use
//! different rules (`content::slug`). The differential test against the
//! github-slugger package lives in `tests/it/gfm_anchors.rs`.

use std::collections::HashMap;

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// The id GitHub gives a heading whose text content is `text`.
pub fn github_id(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if kept(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn kept(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '-' || c == '_';
    }
    let wanted = c.is_alphabetic()
        || c.general_category_group() == GeneralCategoryGroup::Mark
        || matches!(
            c.general_category(),
            GeneralCategory::DecimalNumber | GeneralCategory::ConnectorPunctuation
        );
    wanted && !assigned_after_unicode_13(c)
}

fn assigned_after_unicode_13(c: char) -> bool {
    let cp = c as u32;
    ASSIGNED_AFTER_UNICODE_13
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Alphabetic, mark, decimal-digit and connector code points first assigned
/// in Unicode 14.0 to 17.0 (Unicode's DerivedAge), sorted ranges. GitHub's
/// slugger predates them and drops them.
const ASSIGNED_AFTER_UNICODE_13: &[(u32, u32)] = &[
    (0x870, 0x887),
    (0x889, 0x88F),
    (0x897, 0x89F),
    (0x8B5, 0x8B5),
    (0x8C8, 0x8D2),
    (0xC3C, 0xC3C),
    (0xC5C, 0xC5D),
    (0xCDC, 0xCDD),
    (0xCF3, 0xCF3),
    (0xECE, 0xECE),
    (0x170D, 0x170D),
    (0x1715, 0x1715),
    (0x171F, 0x171F),
    (0x180F, 0x180F),
    (0x1AC1, 0x1ADD),
    (0x1AE0, 0x1AEB),
    (0x1B4C, 0x1B4C),
    (0x1C89, 0x1C8A),
    (0x1DFA, 0x1DFA),
    (0x2C2F, 0x2C2F),
    (0x2C5F, 0x2C5F),
    (0x9FFD, 0x9FFF),
    (0xA7C0, 0xA7C1),
    (0xA7CB, 0xA7DC),
    (0xA7F1, 0xA7F4),
    (0x10570, 0x1057A),
    (0x1057C, 0x1058A),
    (0x1058C, 0x10592),
    (0x10594, 0x10595),
    (0x10597, 0x105A1),
    (0x105A3, 0x105B1),
    (0x105B3, 0x105B9),
    (0x105BB, 0x105BC),
    (0x105C0, 0x105F3),
    (0x10780, 0x10785),
    (0x10787, 0x107B0),
    (0x107B2, 0x107BA),
    (0x10940, 0x10959),
    (0x10D40, 0x10D65),
    (0x10D69, 0x10D6D),
    (0x10D6F, 0x10D85),
    (0x10EC2, 0x10EC7),
    (0x10EFA, 0x10EFF),
    (0x10F70, 0x10F85),
    (0x11070, 0x11075),
    (0x110C2, 0x110C2),
    (0x1123F, 0x11241),
    (0x11380, 0x11389),
    (0x1138B, 0x1138B),
    (0x1138E, 0x1138E),
    (0x11390, 0x113B5),
    (0x113B7, 0x113C0),
    (0x113C2, 0x113C2),
    (0x113C5, 0x113C5),
    (0x113C7, 0x113CA),
    (0x113CC, 0x113D3),
    (0x113E1, 0x113E2),
    (0x116D0, 0x116E3),
    (0x11740, 0x11746),
    (0x11AB0, 0x11ABF),
    (0x11B60, 0x11B67),
    (0x11BC0, 0x11BE0),
    (0x11BF0, 0x11BF9),
    (0x11DB0, 0x11DDB),
    (0x11DE0, 0x11DE9),
    (0x11F00, 0x11F10),
    (0x11F12, 0x11F3A),
    (0x11F3E, 0x11F42),
    (0x11F50, 0x11F5A),
    (0x12F90, 0x12FF0),
    (0x1342F, 0x1342F),
    (0x13440, 0x13455),
    (0x13460, 0x143FA),
    (0x16100, 0x16139),
    (0x16A70, 0x16ABE),
    (0x16AC0, 0x16AC9),
    (0x16D40, 0x16D6C),
    (0x16D70, 0x16D79),
    (0x16EA0, 0x16EB8),
    (0x16EBB, 0x16ED3),
    (0x16FF2, 0x16FF6),
    (0x187F8, 0x187FF),
    (0x18CFF, 0x18CFF),
    (0x18D09, 0x18D1E),
    (0x18D80, 0x18DF2),
    (0x1AFF0, 0x1AFF3),
    (0x1AFF5, 0x1AFFB),
    (0x1AFFD, 0x1AFFE),
    (0x1B11F, 0x1B122),
    (0x1B132, 0x1B132),
    (0x1B155, 0x1B155),
    (0x1CCF0, 0x1CCF9),
    (0x1CF00, 0x1CF2D),
    (0x1CF30, 0x1CF46),
    (0x1DF00, 0x1DF1E),
    (0x1DF25, 0x1DF2A),
    (0x1E030, 0x1E06D),
    (0x1E08F, 0x1E08F),
    (0x1E290, 0x1E2AE),
    (0x1E4D0, 0x1E4F9),
    (0x1E5D0, 0x1E5FA),
    (0x1E6C0, 0x1E6DE),
    (0x1E6E0, 0x1E6F5),
    (0x1E6FE, 0x1E6FF),
    (0x1E7E0, 0x1E7E6),
    (0x1E7E8, 0x1E7EB),
    (0x1E7ED, 0x1E7EE),
    (0x1E7F0, 0x1E7FE),
    (0x2A6DE, 0x2A6DF),
    (0x2B735, 0x2B73F),
    (0x2CEA2, 0x2CEAD),
    (0x2EBF0, 0x2EE5D),
    (0x31350, 0x33479),
];

/// Hands out unique ids within one page, GitHub's way.
#[derive(Debug, Default)]
pub(crate) struct IdAllocator {
    occurrences: HashMap<String, usize>,
}

impl IdAllocator {
    pub(crate) fn unique(&mut self, base: &str) -> String {
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
    pub(crate) fn reserve(&mut self, id: &str) {
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
    fn drops_variation_selectors_unicode_spaces_and_other_numbers() {
        check(
            &[
                "⚙️ Settings",
                "a\u{a0}b",
                "½ price²",
                "a  b",
                " lead",
                "x‿y",
            ],
            &["\u{fe0f}-settings", "ab", "-price", "a--b", "-lead", "x‿y"],
        );
    }

    #[test]
    fn lowercases_final_sigma_as_javascript_does() {
        check(&["ΟΔΟΣ"], &["οδο\u{3c2}"]);
    }

    #[test]
    fn keeps_non_latin_letters_and_drops_emoji() {
        check(
            &["Über uns", "🚀 Launch", "給与"],
            &["über-uns", "-launch", "給与"],
        );
    }
}
