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

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::tally::{Tally, IN_TITLE};
use super::text;
use super::vocab::{Ids, Table, Vocab};

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
/// Result cards are most of the index's bytes (and each byte is written
/// on every build), so they keep about two lines per section: enough for
/// an excerpt that shows a matched word, not a paragraph.
const CARD_TEXT: usize = 400;
/// No section's excerpt text is cut shorter than this.
const SECTION_TEXT_MIN: usize = 64;
/// Word forms remembered per stem and page (for highlighting).
const FORMS_PER_PAGE: usize = 6;

/// Pages analysed at once by `Inverted::build`.
pub(crate) const BLOCK: usize = 512;

/// One page's part of the index.
#[derive(Debug, Clone)]
pub(crate) struct DocEntry {
    /// (stem id, weight, section) of every stem on the page.
    terms: Vec<(u32, u8, u16)>,
    /// (stem id, word id) of the word forms remembered for highlighting.
    forms: Vec<(u32, u32)>,
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
    vocab: Arc<Vocab>,
}

impl Inverted {
    /// The index of pages `0..count`, made by `doc`. With `editable`,
    /// every page's terms are kept so that `replace` can take them out
    /// again (`serve`); a one-off build drops them once merged. Pages are
    /// analysed in parallel a block at a time, so only one block's
    /// documents and terms are in memory at once; merging a block is
    /// pushing integers onto vectors indexed by stem and word id.
    pub(crate) fn build(
        count: usize,
        doc: impl Fn(usize) -> SearchDoc + Sync,
        editable: bool,
    ) -> Inverted {
        Inverted::build_each(count, doc, editable, |_, _| {})
    }

    /// `build`, calling `block_done(first, docs)` with each block of
    /// documents (`first` is the page of `docs[0]`) once it is merged, so
    /// the caller can take what it needs from them (the result cards) while
    /// the next block is analysed. Blocks hold `BLOCK` pages, the last fewer.
    pub(crate) fn build_each(
        count: usize,
        doc: impl Fn(usize) -> SearchDoc + Sync,
        editable: bool,
        mut block_done: impl FnMut(usize, &mut [DocEntry]),
    ) -> Inverted {
        let vocab = Arc::new(Vocab::default());
        let mut docs: Vec<DocEntry> = Vec::with_capacity(count);
        let mut postings: Vec<Vec<(u32, u8, u16)>> = Vec::new();
        let mut form_pages: Vec<u32> = Vec::new();
        for start in (0..count).step_by(BLOCK) {
            let block: Vec<DocEntry> = (start..(start + BLOCK).min(count))
                .into_par_iter()
                .map(|i| analyze(doc(i), &vocab))
                .collect();
            for mut d in block {
                let page = docs.len() as u32;
                for &(stem, weight, section) in &d.terms {
                    let stem = stem as usize;
                    if stem >= postings.len() {
                        postings.resize_with(stem + 1, Vec::new);
                    }
                    postings[stem].push((page, weight, section));
                }
                for &(_, word) in &d.forms {
                    let word = word as usize;
                    if word >= form_pages.len() {
                        form_pages.resize(word + 1, 0);
                    }
                    form_pages[word] += 1;
                }
                if !editable {
                    d.terms = Vec::new();
                    d.forms = Vec::new();
                }
                docs.push(d);
            }
            block_done(start, &mut docs[start..]);
        }
        let stems = stem_entries(&vocab, postings, &form_pages);
        Inverted { docs, stems, vocab }
    }

    /// Replaces page `i`'s part of the index; returns the stems whose
    /// entries changed (the only chunks that need writing again).
    /// The index must have been built `editable`.
    pub(crate) fn replace(&mut self, i: usize, doc: SearchDoc) -> BTreeSet<String> {
        let new = analyze(doc, &self.vocab);
        let old = std::mem::replace(&mut self.docs[i], new);
        let table = self.vocab.table();
        let old_terms = terms(&table, &old);
        let new_terms = terms(&table, &self.docs[i]);
        let mut changed = BTreeSet::new();
        for (stem, t) in &old_terms {
            if new_terms.get(stem) != Some(t) {
                remove_term(&mut self.stems, i as u32, stem, t);
                changed.insert(stem.to_string());
            }
        }
        for (stem, t) in &new_terms {
            if old_terms.get(stem) != Some(t) {
                add_term(&mut self.stems, i as u32, stem, t);
                changed.insert(stem.to_string());
            }
        }
        changed
    }
}

/// The stems' entries from postings by stem id and page counts by word id.
fn stem_entries(
    vocab: &Vocab,
    postings: Vec<Vec<(u32, u8, u16)>>,
    form_pages: &[u32],
) -> BTreeMap<String, StemEntry> {
    let table = vocab.table();
    let mut forms: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new(); postings.len()];
    for (word, &n) in form_pages.iter().enumerate().filter(|w| *w.1 > 0) {
        let stem = table.word_stem[word] as usize;
        forms[stem].insert(table.words[word].to_string(), n);
    }
    postings
        .into_iter()
        .zip(forms)
        .enumerate()
        .filter(|(_, (pages, _))| !pages.is_empty())
        .map(|(stem, (pages, forms))| (table.stems[stem].to_string(), StemEntry { pages, forms }))
        .collect()
}

/// A stem on one page, by name: (weight, section, word forms).
type Term<'a> = (u8, u16, Vec<&'a str>);

/// A page's terms with their stems and forms as words (for `replace`).
fn terms<'t>(table: &'t Table, d: &DocEntry) -> BTreeMap<&'t str, Term<'t>> {
    let mut out: BTreeMap<&str, Term> = d
        .terms
        .iter()
        .map(|&(stem, weight, section)| {
            (&*table.stems[stem as usize], (weight, section, Vec::new()))
        })
        .collect();
    for &(stem, word) in &d.forms {
        if let Some(t) = out.get_mut(&*table.stems[stem as usize]) {
            t.2.push(&table.words[word as usize]);
        }
    }
    out
}

fn remove_term(stems: &mut BTreeMap<String, StemEntry>, page: u32, stem: &str, t: &Term) {
    let Some(entry) = stems.get_mut(stem) else {
        return;
    };
    if let Ok(at) = entry.pages.binary_search_by_key(&page, |p| p.0) {
        entry.pages.remove(at);
    }
    for f in &t.2 {
        if let Some(n) = entry.forms.get_mut(*f) {
            *n -= 1;
            if *n == 0 {
                entry.forms.remove(*f);
            }
        }
    }
    if entry.pages.is_empty() {
        stems.remove(stem);
    }
}

fn add_term(stems: &mut BTreeMap<String, StemEntry>, page: u32, stem: &str, t: &Term) {
    let entry = stems.entry(stem.to_string()).or_default();
    match entry.pages.binary_search_by_key(&page, |p| p.0) {
        Ok(at) => entry.pages[at] = (page, t.0, t.1),
        Err(at) => entry.pages.insert(at, (page, t.0, t.1)),
    }
    for f in &t.2 {
        *entry.forms.entry(f.to_string()).or_default() += 1;
    }
}

/// Weights one page's words and makes its card. Words are counted in the
/// thread's `Tally`, looked up through the thread's word cache once per
/// page.
fn analyze(doc: SearchDoc, vocab: &Vocab) -> DocEntry {
    thread_local! {
        static TALLY: RefCell<Tally> = RefCell::new(Tally::default());
    }
    let (terms, forms) =
        vocab.with_ids(|ids| TALLY.with_borrow_mut(|tally| analyze_words(&doc, ids, tally, vocab)));
    DocEntry {
        terms,
        forms,
        card: card_json(&doc),
        title: doc.title,
        url: doc.url,
        role: doc.role,
    }
}

/// A page's terms and forms (see `analyze`).
type PageTerms = (Vec<(u32, u8, u16)>, Vec<(u32, u32)>);

/// Counts a page's words in `tally` (section by section in page order; a
/// role's track and level count as headings of section 0) and weighs them.
fn analyze_words(
    doc: &SearchDoc,
    ids: &mut Ids<'_>,
    tally: &mut Tally,
    vocab: &Vocab,
) -> PageTerms {
    tally.start();
    let mut add = |text: &str, section: u32, by: u32| {
        let mut n = 0;
        text::for_each_word(text, |word| {
            let (word, stem) = ids.get(word);
            tally.add(stem, word, section, by);
            n += 1;
        });
        n
    };
    add(&doc.title, IN_TITLE, 1);
    let add_role = |add: &mut dyn FnMut(&str, u32, u32) -> u32| {
        if let Some(r) = &doc.role {
            add(&r.track, 0, HEADING_TF);
            add(&r.level, 0, HEADING_TF);
        }
    };
    let mut length = 0;
    for (i, s) in doc.sections.iter().enumerate() {
        let i = i.min(u16::MAX as usize) as u32;
        length += add(&s.heading, i, HEADING_TF);
        length += add(&s.text, i, 1);
        if i == 0 {
            add_role(&mut add);
        }
    }
    if doc.sections.is_empty() {
        add_role(&mut add);
    }
    let norm = K1 * (1.0 - B + B * f64::from(length) / TYPICAL_WORDS);
    tally.finish();
    let terms: Vec<(u32, u8, u16)> = tally
        .stems()
        .iter()
        .map(|c| (c.stem, weigh(c.title, c.body, norm), c.best.0 as u16))
        .collect();
    (terms, page_forms(tally, vocab))
}

/// (stem, word) of the words remembered for highlighting from a page's
/// tally: per stem at most `FORMS_PER_PAGE`, the first alphabetically.
fn page_forms(tally: &Tally, vocab: &Vocab) -> Vec<(u32, u32)> {
    let stems = tally.stems();
    let mut forms = Vec::with_capacity(stems.iter().map(|c| c.form_count as usize).sum());
    let mut many: Vec<u32> = Vec::new();
    for c in stems {
        if c.form_count as usize <= FORMS_PER_PAGE {
            forms.extend(tally.forms(c).map(|w| (c.stem, w)));
            continue;
        }
        // The first forms alphabetically, as words.
        many.clear();
        many.extend(tally.forms(c));
        let table = vocab.table();
        many.sort_by(|a, b| table.words[*a as usize].cmp(&table.words[*b as usize]));
        many.truncate(FORMS_PER_PAGE);
        forms.extend(many.iter().map(|&w| (c.stem, w)));
    }
    forms
}

/// The weight of a stem occurring `title` times in the title and `body`
/// times (headings weighted) in the sections.
fn weigh(title: u32, body: u32, norm: f64) -> u8 {
    let tf = f64::from(body + HEADING_TF * title);
    let mut w = tf * (K1 + 1.0) / (tf + norm);
    if title > 0 {
        w += TITLE_BONUS;
    }
    (w * WEIGHT_SCALE).round().clamp(1.0, 255.0) as u8
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
    let per_section = (CARD_TEXT / doc.sections.len().max(1)).max(SECTION_TEXT_MIN);
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
