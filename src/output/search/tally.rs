//! One page's word counts while it is analysed: for every stem on the page
//! how often it occurs in the title and in the sections, the section where
//! it occurs most, and the distinct words it came from.
//!
//! Counts are kept in per-thread scratch tables indexed by stem and word id
//! (a sparse set: a stem's slot is valid only if it points back at the
//! stem), so a word occurrence costs two array look-ups: nothing is hashed,
//! nothing is sorted, and nothing is allocated once the tables have grown
//! to the site's vocabulary. Occurrences must arrive
//! section by section in order (the title at any time), which is how
//! `index::analyze` reads a page. This module only counts; `index` turns
//! the counts into weights.

/// The section number of a word in the page title.
pub(super) const IN_TITLE: u32 = u32::MAX;

/// One stem's counts on the page.
#[derive(Debug, Clone, Copy)]
pub(super) struct StemCount {
    pub(super) stem: u32,
    /// Occurrences in the title.
    pub(super) title: u32,
    /// Occurrences in sections (heading occurrences weighted).
    pub(super) body: u32,
    /// (section, count) of the section with the most occurrences; the
    /// first such section on ties, section 0 if none.
    pub(super) best: (u32, u32),
    /// (section, count) of the section being read.
    run: (u32, u32),
    /// The stem's distinct words on the page: how many, and the last one
    /// met (an index into `Tally::forms`, which links to the one before).
    pub(super) form_count: u32,
    last_form: u32,
}

impl StemCount {
    fn close_run(&mut self) {
        if self.run.1 > self.best.1 {
            self.best = self.run;
        }
        self.run.1 = 0;
    }
}

#[derive(Debug, Default)]
pub(super) struct Tally {
    /// Stem id → index into `stems` (stale unless it points back).
    slot_of: Vec<u32>,
    stems: Vec<StemCount>,
    /// Word id → the page (`page` below) that last used it.
    word_seen: Vec<u32>,
    page: u32,
    /// (word, index of the same stem's previous word or `NONE`) of each
    /// distinct word on the page.
    forms: Vec<(u32, u32)>,
}

impl Tally {
    /// Starts a new page.
    pub(super) fn start(&mut self) {
        self.stems.clear();
        self.forms.clear();
        self.page = self.page.wrapping_add(1);
        if self.page == 0 {
            self.word_seen.fill(0);
            self.page = 1;
        }
    }

    /// One occurrence of `word` (of `stem`) in `section` (or `IN_TITLE`),
    /// counting `by`.
    pub(super) fn add(&mut self, stem: u32, word: u32, section: u32, by: u32) {
        let s = stem as usize;
        if s >= self.slot_of.len() {
            self.slot_of.resize(s + 1, u32::MAX);
        }
        let mut i = self.slot_of[s] as usize;
        if self.stems.get(i).is_none_or(|c| c.stem != stem) {
            i = self.stems.len();
            self.slot_of[s] = i as u32;
            self.stems.push(StemCount {
                stem,
                title: 0,
                body: 0,
                best: (0, 0),
                run: (0, 0),
                form_count: 0,
                last_form: NONE,
            });
        }
        let c = &mut self.stems[i];
        if section == IN_TITLE {
            c.title += by;
        } else {
            if c.run.0 != section {
                c.close_run();
                c.run.0 = section;
            }
            c.run.1 += by;
            c.body += by;
        }
        let w = word as usize;
        if w >= self.word_seen.len() {
            self.word_seen.resize(w + 1, 0);
        }
        if self.word_seen[w] != self.page {
            self.word_seen[w] = self.page;
            let c = &mut self.stems[i];
            self.forms.push((word, c.last_form));
            c.last_form = (self.forms.len() - 1) as u32;
            c.form_count += 1;
        }
    }

    /// Ends the page.
    pub(super) fn finish(&mut self) {
        for c in &mut self.stems {
            c.close_run();
        }
    }

    /// The page's stems, in the order first met (complete after `finish`).
    pub(super) fn stems(&self) -> &[StemCount] {
        &self.stems
    }

    /// The distinct words of a stem on the page (from `finish`), the last
    /// met first.
    pub(super) fn forms(&self, c: &StemCount) -> impl Iterator<Item = u32> + '_ {
        let mut at = c.last_form;
        std::iter::from_fn(move || {
            let &(word, before) = self.forms.get(at as usize)?;
            at = before;
            Some(word)
        })
    }
}

/// No form (the end of a stem's list).
const NONE: u32 = u32::MAX;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sections_title_and_forms_per_page() {
        let mut t = Tally::default();
        t.start();
        t.add(7, 1, IN_TITLE, 1);
        t.add(7, 2, 0, 1);
        t.add(3, 4, 0, 3);
        t.add(7, 2, 2, 1);
        t.add(7, 2, 2, 1);
        t.add(7, 1, 5, 1);
        t.finish();
        let stems = t.stems().to_vec();
        let got: Vec<_> = stems
            .iter()
            .map(|c| (c.stem, c.title, c.body, c.best))
            .collect();
        assert_eq!(got, [(7, 1, 4, (2, 2)), (3, 0, 3, (0, 3))]);
        let forms = |t: &Tally, c| t.forms(c).collect::<Vec<_>>();
        assert_eq!((forms(&t, &stems[0]), stems[0].form_count), (vec![2, 1], 2));
        assert_eq!(forms(&t, &stems[1]), [4]);
        // A new page starts empty, and ties go to the first section.
        t.start();
        t.add(7, 2, 1, 1);
        t.add(7, 2, 4, 1);
        t.finish();
        let stems = t.stems().to_vec();
        assert_eq!(stems.len(), 1);
        assert_eq!((stems[0].body, stems[0].best), (2, (1, 1)));
        assert_eq!(forms(&t, &stems[0]), [2]);
    }
}
