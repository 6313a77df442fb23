//! The inverted index behind search: for every stem, the pages it occurs
//! on, each with a weight and the section (heading) where it occurs most;
//! and for every page its result card (title, URL, headings, a little text
//! per section for excerpts) and role facets.
//!
//! Weights are BM25-style: term frequency with saturation (`K1`) and length
//! normalisation (`B`), where a heading occurrence counts `HEADING_TF`
//! times a body occurrence and a word in the title adds `TITLE_BONUS`
//! (BM25F-like field weights). The length normalisation uses a fixed
//! typical page length (`TYPICAL_WORDS`), not the site's average, so a
//! page's weights depend only on that page: editing one page changes only
//! its own postings, which is what lets `serve` update the index in place.
//! The browser adds the inverse document frequency from the length of each
//! posting list. This module does not decide file layout (`files` does).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::text::{self, FastMap};

/// One page as search sees it, made by `render` from the rendered page.
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchDoc {
    pub(crate) title: String,
    /// Site URL with the base path.
    pub(crate) url: String,
    /// Section 0 is the text before the first heading (empty anchor and
    /// heading); then one per heading, in page order.
    pub(crate) sections: Vec<DocSection>,
    pub(crate) role: Option<RoleFacets>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct DocSection {
    pub(crate) anchor: String,
    pub(crate) heading: String,
    pub(crate) text: String,
}

/// A role's filterable properties, from its front matter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RoleFacets {
    pub(crate) track: String,
    pub(crate) level: String,
    pub(crate) workplace: Option<String>,
    pub(crate) locations: Vec<String>,
    pub(crate) open: bool,
}

const K1: f64 = 1.2;
const B: f64 = 0.75;
const TYPICAL_WORDS: f64 = 300.0;
const HEADING_TF: u32 = 3;
const TITLE_BONUS: f64 = 2.5;
/// Weights are sent as integers: the BM25 value times this.
pub(crate) const WEIGHT_SCALE: f64 = 20.0;
/// Bytes of text per page card (split across its sections), for excerpts.
const CARD_TEXT: usize = 1_000;
/// Word forms remembered per stem and page (for highlighting).
const FORMS_PER_PAGE: usize = 6;

/// A stem on one page.
#[derive(Debug, Clone, PartialEq)]
struct Term {
    stem: Arc<str>,
    forms: Vec<String>,
    weight: u8,
    section: u16,
}

/// One page's part of the index.
#[derive(Debug, Clone)]
pub(crate) struct DocEntry {
    terms: Vec<Term>,
    /// The page's result card as JSON.
    pub(crate) card: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) role: Option<RoleFacets>,
}

/// Every page a stem occurs on, and the words it came from.
#[derive(Debug, Clone, Default)]
pub(crate) struct StemEntry {
    /// (page, weight, section), sorted by page.
    pub(crate) pages: Vec<(u32, u8, u16)>,
    /// Word forms with the number of pages using them.
    pub(crate) forms: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Inverted {
    pub(crate) docs: Vec<DocEntry>,
    pub(crate) stems: BTreeMap<String, StemEntry>,
}

impl Inverted {
    /// The index of pages `0..count`, made by `doc`. With `editable`,
    /// every page's terms are kept so that `replace` can take them out
    /// again (`serve`); a one-off build drops them once merged. Pages are
    /// analysed in parallel a block at a time, so only one block's
    /// documents and terms are in memory at once.
    pub(crate) fn build(
        count: usize,
        doc: impl Fn(usize) -> SearchDoc + Sync,
        editable: bool,
    ) -> Inverted {
        const BLOCK: usize = 512;
        let mut docs: Vec<DocEntry> = Vec::with_capacity(count);
        let mut stems: FastMap<String, StemEntry> = FastMap::default();
        for start in (0..count).step_by(BLOCK) {
            let block: Vec<DocEntry> = (start..(start + BLOCK).min(count))
                .into_par_iter()
                .map(|i| analyze(doc(i)))
                .collect();
            for mut d in block {
                let page = docs.len() as u32;
                for t in &d.terms {
                    let entry = match stems.get_mut(&*t.stem) {
                        Some(e) => e,
                        None => stems.entry(t.stem.to_string()).or_default(),
                    };
                    entry.pages.push((page, t.weight, t.section));
                    for f in &t.forms {
                        match entry.forms.get_mut(f) {
                            Some(n) => *n += 1,
                            None => {
                                entry.forms.insert(f.clone(), 1);
                            }
                        }
                    }
                }
                if !editable {
                    d.terms = Vec::new();
                }
                docs.push(d);
            }
        }
        Inverted {
            docs,
            stems: stems.into_iter().collect(),
        }
    }

    /// Replaces page `i`'s part of the index; returns the stems whose
    /// entries changed (the only chunks that need writing again).
    /// The index must have been built `editable`.
    pub(crate) fn replace(&mut self, i: usize, doc: SearchDoc) -> BTreeSet<String> {
        let new = analyze(doc);
        let old = std::mem::replace(&mut self.docs[i], new);
        let new_terms: HashMap<&str, &Term> =
            self.docs[i].terms.iter().map(|t| (&*t.stem, t)).collect();
        let mut changed = BTreeSet::new();
        for t in &old.terms {
            if new_terms.get(&*t.stem) != Some(&t) {
                remove_term(&mut self.stems, i as u32, t);
                changed.insert(t.stem.to_string());
            }
        }
        let old_terms: HashMap<&str, &Term> = old.terms.iter().map(|t| (&*t.stem, t)).collect();
        for t in &self.docs[i].terms {
            if old_terms.get(&*t.stem) != Some(&t) {
                add_term(&mut self.stems, i as u32, t);
                changed.insert(t.stem.to_string());
            }
        }
        changed
    }
}

fn remove_term(stems: &mut BTreeMap<String, StemEntry>, page: u32, t: &Term) {
    let Some(entry) = stems.get_mut(&*t.stem) else {
        return;
    };
    if let Ok(at) = entry.pages.binary_search_by_key(&page, |p| p.0) {
        entry.pages.remove(at);
    }
    for f in &t.forms {
        if let Some(n) = entry.forms.get_mut(f) {
            *n -= 1;
            if *n == 0 {
                entry.forms.remove(f);
            }
        }
    }
    if entry.pages.is_empty() {
        stems.remove(&*t.stem);
    }
}

fn add_term(stems: &mut BTreeMap<String, StemEntry>, page: u32, t: &Term) {
    let entry = stems.entry(t.stem.to_string()).or_default();
    match entry.pages.binary_search_by_key(&page, |p| p.0) {
        Ok(at) => entry.pages[at] = (page, t.weight, t.section),
        Err(at) => entry.pages.insert(at, (page, t.weight, t.section)),
    }
    for f in &t.forms {
        *entry.forms.entry(f.clone()).or_default() += 1;
    }
}

/// Counts of one word (then one stem) on one page.
#[derive(Default)]
struct Counts {
    title: u32,
    /// (section, body occurrences plus `HEADING_TF` per heading one).
    sections: Vec<(u16, u32)>,
}

impl Counts {
    fn bump(&mut self, section: u16, by: u32) {
        match self.sections.iter_mut().rev().find(|s| s.0 == section) {
            Some(s) => s.1 += by,
            None => self.sections.push((section, by)),
        }
    }
}

/// Counts the words of already folded `text`; returns how many there were.
fn count<'t>(
    counts: &mut FastMap<&'t str, Counts>,
    folded: &'t str,
    mut add: impl FnMut(&mut Counts),
) -> u32 {
    let mut n = 0;
    for word in text::split_folded(folded) {
        if text::is_stop_word(word) {
            continue;
        }
        n += 1;
        add(counts.entry(word).or_default());
    }
    n
}

/// Weights one page's words and makes its card.
fn analyze(doc: SearchDoc) -> DocEntry {
    // Each field is folded once; the counted words borrow from it.
    let title = text::fold(&doc.title);
    let sections: Vec<(String, String)> = doc
        .sections
        .iter()
        .map(|s| (text::fold(&s.heading), text::fold(&s.text)))
        .collect();
    let role = doc
        .role
        .as_ref()
        .map(|r| text::fold(&format!("{} {}", r.track, r.level)));
    let mut words: FastMap<&str, Counts> = FastMap::default();
    count(&mut words, &title, |c| c.title += 1);
    let mut length = 0;
    for (i, (heading, body)) in sections.iter().enumerate() {
        let i = i.min(u16::MAX as usize) as u16;
        length += count(&mut words, heading, |c| c.bump(i, HEADING_TF));
        length += count(&mut words, body, |c| c.bump(i, 1));
    }
    if let Some(role) = &role {
        count(&mut words, role, |c| c.bump(0, HEADING_TF));
    }
    // Words to stems: each distinct word is stemmed once.
    let mut stems: FastMap<Arc<str>, (Counts, Vec<&str>)> = FastMap::default();
    for (word, c) in words {
        let (total, forms) = stems.entry(text::stem_shared(word)).or_default();
        total.title += c.title;
        for (s, n) in c.sections {
            total.bump(s, n);
        }
        forms.push(word);
    }
    let norm = K1 * (1.0 - B + B * f64::from(length) / TYPICAL_WORDS);
    let mut terms: Vec<Term> = stems
        .into_iter()
        .map(|(stem, (c, mut forms))| {
            let tf = f64::from(c.sections.iter().map(|s| s.1).sum::<u32>() + HEADING_TF * c.title);
            let mut w = tf * (K1 + 1.0) / (tf + norm);
            if c.title > 0 {
                w += TITLE_BONUS;
            }
            // The section with the most occurrences; the first on ties.
            let section = c
                .sections
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map_or(0, |s| s.0);
            forms.sort_unstable();
            forms.truncate(FORMS_PER_PAGE);
            Term {
                stem,
                forms: forms.into_iter().map(String::from).collect(),
                weight: (w * WEIGHT_SCALE).round().clamp(1.0, 255.0) as u8,
                section,
            }
        })
        .collect();
    terms.sort_by(|a, b| a.stem.cmp(&b.stem));
    DocEntry {
        terms,
        card: card_json(&doc),
        title: doc.title,
        url: doc.url,
        role: doc.role,
    }
}

/// What the browser shows for a result.
#[derive(Serialize)]
struct Card<'a> {
    t: &'a str,
    u: &'a str,
    /// Headings as [anchor, text], section 1 onwards.
    h: Vec<[&'a str; 2]>,
    /// A little text of every section, for excerpts.
    s: Vec<String>,
    /// Role summary line.
    #[serde(skip_serializing_if = "Option::is_none")]
    r: Option<String>,
}

fn card_json(doc: &SearchDoc) -> String {
    let per_section = (CARD_TEXT / doc.sections.len().max(1)).max(80);
    let card = Card {
        t: &doc.title,
        u: &doc.url,
        h: doc
            .sections
            .iter()
            .skip(1)
            .map(|s| [s.anchor.as_str(), s.heading.as_str()])
            .collect(),
        s: doc
            .sections
            .iter()
            .map(|s| text::clip(&s.text, per_section))
            .collect(),
        r: doc.role.as_ref().map(|r| {
            let open = if r.open { " · Open now" } else { "" };
            format!("{} · {}{open}", r.level, r.track)
        }),
    };
    serde_json::to_string(&card)
        .expect("a search card is plain data with string keys always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, sections: &[(&str, &str)]) -> SearchDoc {
        SearchDoc {
            title: title.into(),
            url: format!("/{}/", title.to_lowercase().replace(' ', "-")),
            sections: sections
                .iter()
                .enumerate()
                .map(|(i, (h, t))| DocSection {
                    anchor: if i == 0 {
                        String::new()
                    } else {
                        h.to_lowercase()
                    },
                    heading: h.to_string(),
                    text: t.to_string(),
                })
                .collect(),
            role: None,
        }
    }

    fn build(docs: Vec<SearchDoc>, editable: bool) -> Inverted {
        Inverted::build(docs.len(), |i| docs[i].clone(), editable)
    }

    fn weight(inv: &Inverted, stem: &str, page: u32) -> Option<(u8, u16)> {
        let e = inv.stems.get(stem)?;
        e.pages.iter().find(|p| p.0 == page).map(|p| (p.1, p.2))
    }

    #[test]
    fn a_title_word_outweighs_the_same_word_in_the_body() {
        let inv = build(
            vec![
                doc("Hiring", &[("", "How we work together.")]),
                doc("Culture", &[("", "We are hiring often, and hiring well.")]),
            ],
            false,
        );
        let (title, _) = weight(&inv, "hire", 0).unwrap();
        let (body, _) = weight(&inv, "hire", 1).unwrap();
        assert!(title > body, "title {title} body {body}");
        assert_eq!(
            inv.stems["hire"].forms.keys().collect::<Vec<_>>(),
            ["hiring"]
        );
    }

    #[test]
    fn the_section_with_most_occurrences_is_remembered() {
        let inv = build(
            vec![doc(
                "Benefits",
                &[
                    ("", "Pension."),
                    ("Leave", "Holiday leave and parental leave."),
                    ("Pay", "Leave pay."),
                ],
            )],
            false,
        );
        assert_eq!(weight(&inv, "leav", 0).map(|w| w.1), Some(1));
        assert_eq!(weight(&inv, "pension", 0).map(|w| w.1), Some(0));
    }

    #[test]
    fn replacing_a_page_gives_what_building_from_scratch_gives() {
        let a = doc("Alpha", &[("", "shared words here")]);
        let b1 = doc("Beta", &[("", "shared words and bananas")]);
        let b2 = doc("Beta", &[("", "shared cherries")]);
        let mut inv = build(vec![a.clone(), b1], true);
        let changed = inv.replace(1, b2.clone());
        let fresh = build(vec![a, b2], false);
        let show = |i: &Inverted| format!("{:?}", i.stems);
        assert_eq!(show(&inv), show(&fresh));
        assert!(changed.contains("banana") && changed.contains("cherri"));
        assert!(!inv.stems.contains_key("banana"));
    }
}
