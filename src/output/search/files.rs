//! The search index as static files under `search/`, so that one query
//! downloads a few kilobytes instead of the whole index:
//!
//! - `search/manifest.json`: page count, the first stem of every chunk and
//!   its file name, and the facet values for role filters;
//! - `search/t/<name>.json`: a chunk of stems in sorted order, each with
//!   its word forms and postings: the numbers page delta, weight, section
//!   of every page, in one string of base-32 digits (`push_postings`);
//! - `search/p/<n>.json`: one page's result card, or on sites of more than
//!   `GROUP_CARDS_ABOVE` pages an array of `CARDS_PER_FILE` cards (pages
//!   `n * CARDS_PER_FILE` onwards), so a big site writes an eighth of the
//!   files (each file costs the build a create and the next build an
//!   unlink) while a query still fetches only a few kilobytes of cards
//!   (cards are short: `index` keeps little text per section);
//! - `search/roles.json`: every role with its facets (filters).
//!
//! Chunk boundaries are content-defined: a chunk starts at a stem whose
//! hash is divisible by `k` (chosen so chunks average `TARGET_BYTES`), or
//! when the running chunk would pass `MAX_BYTES`. Boundaries therefore
//! depend on which stems exist, not on byte offsets, and a chunk is named
//! after its first stem: editing a page rewrites only the chunks holding
//! stems whose postings changed. The layout is recomputed from the stems
//! on every change, so an incremental update writes exactly what a full
//! build would. This module does not weigh words (`index` does).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound::Included;

use rayon::prelude::*;
use serde::Serialize;

use super::index::{DocEntry, Inverted, SearchDoc, StemEntry, BLOCK};

pub(crate) const DIR: &str = "search";
pub(crate) const MANIFEST: &str = "search/manifest.json";
/// Where chunks live; `serve` removes stale ones from under it.
pub(crate) const CHUNK_DIR: &str = "search/t/";
const TARGET_BYTES: usize = 16_000;
/// Sites with more pages than this group result cards into files.
const GROUP_CARDS_ABOVE: usize = 2_000;
const CARDS_PER_FILE: usize = 8;
const MAX_BYTES: usize = 48_000;

/// Facet values in display order, for the filter menus.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub(crate) struct FacetValues {
    pub(crate) track: Vec<String>,
    pub(crate) level: Vec<String>,
    pub(crate) workplace: Vec<String>,
    pub(crate) location: Vec<String>,
}

#[derive(Debug, Clone)]
struct Chunk {
    first: String,
    last: String,
    name: String,
    json: String,
}

/// The whole search index and the files last made from it.
#[derive(Debug, Clone)]
pub(crate) struct SearchIndex {
    inverted: Inverted,
    facets: FacetValues,
    chunks: Vec<Chunk>,
    /// Result cards per file under `search/p/` (1: one object per file).
    per_file: usize,
    /// The card and chunk files were handed out while building
    /// (`build_writing_cards`); only their names are kept.
    handed_out: bool,
}

/// Files to write and remove after an edit.
#[derive(Debug, Default)]
pub(crate) struct Update {
    pub(crate) write: Vec<(String, String)>,
    pub(crate) remove: Vec<String>,
}

impl SearchIndex {
    /// The index of every page; `editable` keeps what `replace` needs.
    pub(crate) fn build(
        count: usize,
        doc: impl Fn(usize) -> SearchDoc + Sync,
        facets: FacetValues,
        editable: bool,
    ) -> SearchIndex {
        let inverted = Inverted::build(count, doc, editable);
        SearchIndex::from_inverted(inverted, facets, count)
    }

    /// The index of every page for a one-off build: each block of result
    /// card files is handed to `put` (path, JSON) as soon as its pages are
    /// analysed and the cards are dropped, so they are never all held at
    /// once; then the chunk files, so that they are written while pages
    /// still render (the index is built alongside them), not after.
    /// `into_files` then gives the manifest and the roles.
    pub(crate) fn build_writing_cards(
        count: usize,
        doc: impl Fn(usize) -> SearchDoc + Sync,
        facets: FacetValues,
        mut put: impl FnMut(String, String),
    ) -> SearchIndex {
        const { assert!(BLOCK % CARDS_PER_FILE == 0) };
        let per_file = cards_per_file(count);
        let inverted = Inverted::build_each(count, doc, false, |first, docs| {
            for (k, group) in docs.chunks_mut(per_file).enumerate() {
                let json = if per_file == 1 {
                    std::mem::take(&mut group[0].card)
                } else {
                    group_json(group)
                };
                for d in group.iter_mut() {
                    d.card = String::new();
                }
                put(card_path(first / per_file + k), json);
            }
        });
        let mut index = SearchIndex::from_inverted(inverted, facets, count);
        for c in &mut index.chunks {
            put(chunk_path(&c.name), std::mem::take(&mut c.json));
        }
        index.handed_out = true;
        index
    }

    fn from_inverted(inverted: Inverted, facets: FacetValues, count: usize) -> SearchIndex {
        let mut index = SearchIndex {
            inverted,
            facets,
            chunks: Vec::new(),
            per_file: cards_per_file(count),
            handed_out: false,
        };
        index.chunks = index.layout(&BTreeSet::new(), &[]);
        index
    }

    /// Every file of the index.
    pub(crate) fn files(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (MANIFEST.to_string(), self.manifest()),
            (format!("{DIR}/roles.json"), self.roles_json()),
        ];
        for c in &self.chunks {
            out.push((chunk_path(&c.name), c.json.clone()));
        }
        for n in 0..self.inverted.docs.len().div_ceil(self.per_file) {
            out.push((card_path(n), self.card_file(n)));
        }
        out
    }

    /// The contents of card file `n`.
    fn card_file(&self, n: usize) -> String {
        let docs = &self.inverted.docs;
        if self.per_file == 1 {
            return docs[n].card.clone();
        }
        group_json(&docs[n * self.per_file..((n + 1) * self.per_file).min(docs.len())])
    }

    /// Every file of the index, moved out of it (no copies) and made as
    /// the iterator is read: the stems' postings are freed before the first
    /// file, and each group of result cards when its file is made, so a
    /// caller that writes each file as it comes (`handbook build`) never
    /// holds the cards and their files at once.
    pub(crate) fn into_files(self) -> impl Iterator<Item = (String, String)> {
        let head = [
            (MANIFEST.to_string(), self.manifest()),
            (format!("{DIR}/roles.json"), self.roles_json()),
        ];
        let per_file = self.per_file;
        let files = if self.handed_out {
            0
        } else {
            self.inverted.docs.len().div_ceil(per_file)
        };
        let chunks = if self.handed_out {
            Vec::new()
        } else {
            self.chunks
        };
        let mut docs = self.inverted.docs.into_iter();
        let cards = (0..files).map(move |n| {
            let mut group: Vec<DocEntry> = docs.by_ref().take(per_file).collect();
            let json = match group.pop() {
                Some(one) if per_file == 1 => one.card,
                last => {
                    group.extend(last);
                    group_json(&group)
                }
            };
            (card_path(n), json)
        });
        let chunks = chunks.into_iter().map(|c| (chunk_path(&c.name), c.json));
        head.into_iter().chain(cards).chain(chunks)
    }

    /// Page `i` changed: the files that change with it.
    pub(crate) fn replace(&mut self, i: usize, doc: SearchDoc) -> Update {
        let old_card = self.inverted.docs[i].card.clone();
        let changed = self.inverted.replace(i, doc);
        let mut update = Update::default();
        if self.inverted.docs[i].card != old_card {
            let n = i / self.per_file;
            update.write.push((card_path(n), self.card_file(n)));
        }
        if changed.is_empty() {
            return update;
        }
        let old = std::mem::take(&mut self.chunks);
        self.chunks = self.layout(&changed, &old);
        let old_by_name: BTreeMap<&str, &Chunk> =
            old.iter().map(|c| (c.name.as_str(), c)).collect();
        let mut names = BTreeSet::new();
        for c in &self.chunks {
            names.insert(c.name.as_str());
            if old_by_name.get(c.name.as_str()).map(|o| &o.json) != Some(&c.json) {
                update.write.push((chunk_path(&c.name), c.json.clone()));
            }
        }
        for o in &old {
            if !names.contains(o.name.as_str()) {
                update.remove.push(chunk_path(&o.name));
            }
        }
        let layout_moved = old.len() != self.chunks.len()
            || old.iter().zip(&self.chunks).any(|(a, b)| a.name != b.name);
        if layout_moved {
            update.write.push((MANIFEST.to_string(), self.manifest()));
        }
        update
    }

    /// Splits the sorted stems into chunks. Chunks with the same stems as
    /// one in `old` and none of the `changed` stems keep their JSON.
    fn layout(&self, changed: &BTreeSet<String>, old: &[Chunk]) -> Vec<Chunk> {
        let stems = &self.inverted.stems;
        let total: usize = stems.iter().map(|(s, e)| estimate(s, e)).sum();
        let per_stem = (total / stems.len().max(1)).max(1);
        let k = (TARGET_BYTES / per_stem).max(1).next_power_of_two() as u32;
        // (first stem, last stem, estimated bytes)
        let mut ranges: Vec<(&str, &str, usize)> = Vec::new();
        let mut size = 0;
        for (stem, entry) in stems {
            let est = estimate(stem, entry);
            let cut = fnv1a(stem) % k == 0 || size + est > MAX_BYTES;
            match ranges.last_mut() {
                Some(last) if !cut => {
                    last.1 = stem;
                    last.2 += est;
                }
                _ => {
                    ranges.push((stem, stem, est));
                    size = 0;
                }
            }
            size += est;
        }
        let old: BTreeMap<(&str, &str), &Chunk> = old
            .iter()
            .map(|c| ((c.first.as_str(), c.last.as_str()), c))
            .collect();
        let mut used: BTreeSet<String> = BTreeSet::new();
        let named: Vec<(&str, &str, usize, String)> = ranges
            .into_iter()
            .map(|(first, last, bytes)| {
                let mut name = format!("{:08x}", fnv1a(first));
                while !used.insert(name.clone()) {
                    name.push('x');
                }
                (first, last, bytes, name)
            })
            .collect();
        // Chunks are independent: a full build writes them on every core.
        named
            .into_par_iter()
            .map(|(first, last, bytes, name)| {
                let clean = changed
                    .range::<str, _>((Included(first), Included(last)))
                    .next()
                    .is_none();
                let json = match old.get(&(first, last)) {
                    Some(c) if clean && c.name == name => c.json.clone(),
                    _ => chunk_json(
                        stems.range::<str, _>((Included(first), Included(last))),
                        bytes + bytes / 4,
                    ),
                };
                Chunk {
                    first: first.to_string(),
                    last: last.to_string(),
                    name,
                    json,
                }
            })
            .collect()
    }

    fn manifest(&self) -> String {
        #[derive(Serialize)]
        struct Manifest<'a> {
            v: u32,
            /// Number of pages (for inverse document frequency).
            n: usize,
            /// [first stem, file name] of every chunk, in stem order.
            chunks: Vec<[&'a str; 2]>,
            facets: &'a FacetValues,
            roles: usize,
            /// Result cards per file (see the module's introduction).
            cards_per_file: usize,
        }
        let m = Manifest {
            // 2: postings as base-32 strings (1: arrays of numbers).
            v: 2,
            n: self.inverted.docs.len(),
            chunks: self
                .chunks
                .iter()
                .map(|c| [c.first.as_str(), c.name.as_str()])
                .collect(),
            facets: &self.facets,
            roles: self
                .inverted
                .docs
                .iter()
                .filter(|d| d.role.is_some())
                .count(),
            cards_per_file: self.per_file,
        };
        serde_json::to_string(&m)
            .expect("the search manifest is plain data with string keys always serialises")
    }

    /// `[[page, title, url, track, level, workplace, [locations], open], …]`
    /// with facet values as indexes into the manifest's lists (-1: none).
    fn roles_json(&self) -> String {
        let pos =
            |list: &[String], v: &str| list.iter().position(|x| x == v).map_or(-1, |i| i as i64);
        let f = &self.facets;
        let rows: Vec<serde_json::Value> = self
            .inverted
            .docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let r = d.role.as_ref()?;
                let locations: Vec<i64> = r.locations.iter().map(|l| pos(&f.location, l)).collect();
                Some(serde_json::json!([
                    i,
                    d.title,
                    d.url,
                    pos(&f.track, &r.track),
                    pos(&f.level, &r.level),
                    r.workplace.as_deref().map_or(-1, |w| pos(&f.workplace, w)),
                    locations,
                    u8::from(r.open)
                ]))
            })
            .collect();
        serde_json::to_string(&rows)
            .expect("search rows are plain data with string keys always serialises")
    }
}

/// Result cards per card file for a site of `count` pages.
fn cards_per_file(count: usize) -> usize {
    if count > GROUP_CARDS_ABOVE {
        CARDS_PER_FILE
    } else {
        1
    }
}

/// A card file holding several pages' cards: a JSON array of them.
fn group_json(group: &[DocEntry]) -> String {
    let mut out = String::with_capacity(group.iter().map(|d| d.card.len() + 1).sum::<usize>() + 1);
    out.push('[');
    for (i, d) in group.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&d.card);
    }
    out.push(']');
    out
}

fn chunk_path(name: &str) -> String {
    format!("{CHUNK_DIR}{name}.json")
}

fn card_path(n: usize) -> String {
    format!("{DIR}/p/{n}.json")
}

/// Roughly the bytes a stem takes in its chunk (deterministic and cheap).
fn estimate(stem: &str, e: &StemEntry) -> usize {
    stem.len() + 8 + e.forms.keys().map(|f| f.len() + 3).sum::<usize>() + e.pages.len() * 4
}

/// `{"stem":[["form",…],"postings"],…}` (see `push_postings`).
/// `capacity`: the expected length, so the string is not grown and copied
/// (and fresh memory faulted in) as it fills.
fn chunk_json<'a>(
    stems: impl Iterator<Item = (&'a String, &'a StemEntry)>,
    capacity: usize,
) -> String {
    let mut out = String::with_capacity(capacity);
    out.push('{');
    let quote = |s: &str| serde_json::to_string(s).expect("a string always serialises");
    for (n, (stem, e)) in stems.enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&quote(stem));
        out.push_str(":[[");
        for (i, f) in e.forms.keys().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&quote(f));
        }
        out.push_str("],\"");
        push_postings(&mut out, &e.pages);
        out.push_str("\"]");
    }
    out.push('}');
    out
}

/// Postings as one string: for every page, its distance from the previous
/// page (the first from 0), its weight and its best section, each number
/// in base 32, most significant digit first. A digit `d` is the character
/// `FINAL + d` if it is the number's last, else `MORE + d`: `'0'..='O'`
/// and `']'..='|'`, neither range holding a quote or a backslash, so the
/// string needs no escaping. Most numbers take one character, a weight
/// above 31 two: about 4 bytes a page against 7 as JSON numbers. The
/// browser's `decodePostings` (search.js) reads it back.
fn push_postings(out: &mut String, pages: &[(u32, u8, u16)]) {
    let mut prev = 0;
    for &(page, weight, section) in pages {
        push_base32(out, page - prev);
        push_base32(out, u32::from(weight));
        push_base32(out, u32::from(section));
        prev = page;
    }
}

const FINAL: u8 = b'0';
const MORE: u8 = b']';

fn push_base32(out: &mut String, n: u32) {
    let mut digits = [0u8; 7];
    let mut at = digits.len();
    let mut n = n;
    let mut last = FINAL;
    loop {
        at -= 1;
        digits[at] = last + (n % 32) as u8;
        last = MORE;
        n /= 32;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// 32-bit FNV-1a: stable across builds and platforms (unlike `std`'s hasher).
fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::super::index::DocSection;
    use super::*;

    fn doc(i: usize, text: &str) -> SearchDoc {
        SearchDoc {
            title: format!("Page {i}"),
            url: format!("/p{i}/"),
            sections: vec![DocSection {
                text: text.into(),
                ..Default::default()
            }],
            role: None,
        }
    }

    fn build(docs: &[SearchDoc], editable: bool) -> SearchIndex {
        SearchIndex::build(
            docs.len(),
            |i| docs[i].clone(),
            FacetValues::default(),
            editable,
        )
    }

    fn files(index: &SearchIndex) -> BTreeMap<String, String> {
        index.files().into_iter().collect()
    }

    fn corpus(n: usize) -> Vec<SearchDoc> {
        (0..n)
            .map(|i| {
                let words: Vec<String> = (0..60)
                    .map(|w| format!("w{}x", (i * 7 + w * 13) % 900))
                    .collect();
                doc(i, &words.join(" "))
            })
            .collect()
    }

    #[test]
    fn an_edit_writes_what_a_full_build_writes_and_only_that() {
        let mut docs = corpus(300);
        let mut index = build(&docs, true);
        assert!(index.chunks.len() > 3, "{} chunks", index.chunks.len());
        let before = files(&index);
        docs[5] = doc(5, "w1x w2x brandnew words");
        let update = index.replace(5, docs[5].clone());
        let fresh = files(&build(&docs, false));
        let mut after = before.clone();
        for r in &update.remove {
            after.remove(r);
        }
        after.extend(update.write.iter().cloned());
        assert_eq!(after, fresh);
        let rewritten = update
            .write
            .iter()
            .filter(|(p, _)| p.contains("/t/"))
            .count();
        assert!(
            rewritten < index.chunks.len(),
            "{rewritten} of {} chunks",
            index.chunks.len()
        );
    }

    #[test]
    fn big_sites_group_result_cards_and_an_edit_rewrites_its_group() {
        let mut docs: Vec<SearchDoc> = (0..GROUP_CARDS_ABOVE + 3)
            .map(|i| doc(i, &format!("word{} common", i % 50)))
            .collect();
        let mut index = build(&docs, true);
        let all = files(&index);
        let manifest: serde_json::Value = serde_json::from_str(&all[MANIFEST]).unwrap();
        assert_eq!(manifest["cards_per_file"], CARDS_PER_FILE);
        let group: serde_json::Value = serde_json::from_str(&all["search/p/1.json"]).unwrap();
        let titles: Vec<&str> = (0..CARDS_PER_FILE)
            .map(|i| group[i]["t"].as_str().unwrap())
            .collect();
        let expected: Vec<String> = (CARDS_PER_FILE..2 * CARDS_PER_FILE)
            .map(|i| format!("Page {i}"))
            .collect();
        assert_eq!(titles, expected);
        let last = (GROUP_CARDS_ABOVE + 3) / CARDS_PER_FILE;
        let tail: serde_json::Value =
            serde_json::from_str(&all[&format!("search/p/{last}.json")]).unwrap();
        assert_eq!(
            tail.as_array().map(Vec::len),
            Some((GROUP_CARDS_ABOVE + 3) % CARDS_PER_FILE)
        );
        assert!(!all.contains_key(&format!("search/p/{}.json", last + 1)));

        let edited = CARDS_PER_FILE + 2;
        docs[edited] = doc(edited, "renamed words");
        docs[edited].title = "Renamed".into();
        let update = index.replace(edited, docs[edited].clone());
        let fresh = files(&build(&docs, false));
        let cards: Vec<&(String, String)> = update
            .write
            .iter()
            .filter(|(p, _)| p.starts_with("search/p/"))
            .collect();
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].0, "search/p/1.json");
        assert_eq!(cards[0].1, fresh["search/p/1.json"]);
    }

    #[test]
    fn the_files_moved_out_of_an_index_are_the_files_it_makes() {
        // One card per file, and groups with a short last group of one.
        for n in [300, GROUP_CARDS_ABOVE + 1] {
            let docs: Vec<SearchDoc> = (0..n)
                .map(|i| doc(i, &format!("word{} common", i % 50)))
                .collect();
            let index = build(&docs, false);
            let kept = files(&index);
            let moved: BTreeMap<String, String> = index.into_files().collect();
            assert_eq!(moved, kept, "{n} pages");
            let mut written = BTreeMap::new();
            let index = SearchIndex::build_writing_cards(
                docs.len(),
                |i| docs[i].clone(),
                FacetValues::default(),
                |path, json| {
                    assert!(written.insert(path, json).is_none(), "a card file twice");
                },
            );
            written.extend(index.into_files());
            assert_eq!(written, kept, "{n} pages, cards written while building");
        }
    }

    /// The browser's reading of postings (`decodePostings` in search.js).
    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut v = 0;
        for c in s.bytes() {
            if c >= MORE {
                v = v * 32 + u32::from(c - MORE);
            } else {
                out.push(v * 32 + u32::from(c - FINAL));
                v = 0;
            }
        }
        out
    }

    #[test]
    fn postings_are_base32_digits_without_quotes_or_backslashes() {
        let pages = [
            (0, 1, 0),
            (31, 32, 31),
            (32, 255, 1_000),
            (u32::MAX, 7, 65_535),
        ];
        let mut out = String::new();
        push_postings(&mut out, &pages);
        assert!(out
            .bytes()
            .all(|b| (b'0'..=b'O').contains(&b) || (b']'..=b'|').contains(&b)));
        assert_eq!(&out[..3], "010", "page 0, weight 1, section 0");
        assert_eq!(
            decode(&out),
            [0, 1, 0, 31, 32, 31, 1, 255, 1_000, u32::MAX - 32, 7, 65_535]
        );
    }

    #[test]
    fn chunks_hold_sorted_stems_with_delta_coded_postings() {
        let index = build(
            &[doc(0, "apple"), doc(1, "banana"), doc(2, "apple apples")],
            false,
        );
        let all: String = index.chunks.iter().map(|c| c.json.clone()).collect();
        let chunk: serde_json::Value = serde_json::from_str(&index.chunks[0].json).unwrap();
        assert!(
            all.contains("\"appl\":[[\"apple\",\"apples\"],\"0"),
            "{all}"
        );
        assert!(chunk.is_object());
        let stems = serde_json::from_str::<serde_json::Value>(&all.replace("}{", ",")).unwrap();
        let postings = decode(stems["appl"][1].as_str().unwrap());
        assert_eq!(postings.len(), 6, "two pages: {postings:?}");
        assert_eq!(
            (postings[0], postings[3]),
            (0, 2),
            "pages 0 and 2, the second as a delta of 2: {postings:?}"
        );
    }
}
