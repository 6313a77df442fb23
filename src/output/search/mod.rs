//! Search: a chunked index written as small static files, so a query in
//! the browser downloads only the parts it needs (see `files` for the
//! layout), ranked BM25-style with title and headings above body text
//! (`index`), English stemming and folded diacritics (`text`).
//!
//! The browser side is the default theme's `search.js`; it applies the
//! same word rules as `text` to queries. Nothing here reads or writes the
//! disk: `render` makes a `SearchDoc` per page and puts the files into the
//! `Output`; `serve` keeps the `SearchIndex` and updates it per edit.

mod files;
mod index;
mod tally;
pub(crate) mod text;
mod vocab;

pub(crate) use files::SearchIndex;
pub(crate) use files::{FacetValues, DIR, MANIFEST};
pub(crate) use index::{DocSection, RoleFacets, SearchDoc};
pub(crate) use text::clip;

/// Bytes of a page's plain text that are indexed (the markdown renderer
/// keeps this much of every page).
pub(crate) const BODY_LIMIT: usize = 30_000;

/// Splits a page's plain text (headings inline, in order) into the text
/// before the first heading and the text under each heading. A heading is
/// found where its text stands on its own (between spaces) after the
/// previous one; headings past the indexed text get empty sections.
pub(crate) fn split_sections(text: &str, headings: &[String]) -> (String, Vec<String>) {
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for h in headings {
        let found = find_standalone(text, h, from);
        if let Some(start) = found {
            bounds.push((start, start + h.len()));
            from = start + h.len();
        } else {
            bounds.push((text.len(), text.len()));
            from = text.len();
        }
    }
    let intro_end = bounds.first().map_or(text.len(), |b| b.0);
    let intro = text[..intro_end].trim().to_string();
    let sections = bounds
        .iter()
        .enumerate()
        .map(|(i, &(_, end))| {
            let next = bounds.get(i + 1).map_or(text.len(), |b| b.0);
            text[end..next.max(end)].trim().to_string()
        })
        .collect();
    (intro, sections)
}

fn find_standalone(text: &str, needle: &str, from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(needle) {
        let start = at + i;
        let end = start + needle.len();
        let before = start == 0 || text[..start].ends_with(' ');
        let after = end == text.len() || text[end..].starts_with(' ');
        if before && after {
            return Some(start);
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_at_standalone_headings() {
        let headings = vec!["Notes".to_string(), "Pay".to_string()];
        let (intro, sections) = split_sections(
            "Intro with notes and Notesy Notes under notes Pay paid well",
            &headings,
        );
        assert_eq!(intro, "Intro with notes and Notesy");
        assert_eq!(sections, ["under notes", "paid well"]);
    }

    #[test]
    fn headings_past_the_text_get_empty_sections() {
        let headings = vec!["A".to_string(), "Missing".to_string()];
        let (intro, sections) = split_sections("x A y", &headings);
        assert_eq!(
            (intro.as_str(), sections),
            ("x", vec!["y".to_string(), String::new()])
        );
    }
}
