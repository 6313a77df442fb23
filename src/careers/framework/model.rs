//! The framework model: areas, competencies, per-level text, and the
//! queries on it (what a level expects, what changes to the next level).
//! Plain data built by `resolve`; nothing here reads files or renders.

/// Markdown text with its rendered HTML (inline-safe: no raw HTML, no
/// headings, no relative links; `resolve` rejects those).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Text {
    pub(crate) markdown: String,
    pub(crate) html: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Area {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Example {
    /// Index into `careers.levels`.
    pub(crate) level: usize,
    pub(crate) text: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Competency {
    /// Stable: used in URLs, self-review storage and exports.
    pub(crate) id: String,
    /// Index into `Framework::areas`.
    pub(crate) area: usize,
    /// Indexes into `careers.tracks` (every track when none were named).
    pub(crate) tracks: Vec<usize>,
    pub(crate) name: String,
    pub(crate) description: Option<Text>,
    /// By level index: what is newly expected at that level, or `None`
    /// where the expectation of the level below still holds.
    pub(crate) levels: Vec<Option<Text>>,
    pub(crate) examples: Vec<Example>,
}

/// What a level expects in one competency.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expectation<'a> {
    pub(crate) text: &'a Text,
    /// The level the text was written for (at or below the level asked).
    pub(crate) since: usize,
}

/// How a competency's expectation changes between two levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    /// Nothing was expected below.
    New,
    /// The expectation is rewritten at the higher level.
    Changed,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Change<'a> {
    pub(crate) competency: &'a Competency,
    pub(crate) kind: ChangeKind,
    pub(crate) before: Option<&'a Text>,
    pub(crate) after: &'a Text,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Framework {
    pub(crate) areas: Vec<Area>,
    /// In file order (`framework.toml` first, then `framework/*.toml` by name).
    pub(crate) competencies: Vec<Competency>,
}

impl Competency {
    /// The expectation in force at `level`: the text of that level, or of
    /// the nearest level below that has one.
    pub(crate) fn at(&self, level: usize) -> Option<Expectation<'_>> {
        (0..=level.min(self.levels.len().saturating_sub(1)))
            .rev()
            .find_map(|l| {
                self.levels
                    .get(l)?
                    .as_ref()
                    .map(|text| Expectation { text, since: l })
            })
    }

    pub(crate) fn in_track(&self, track: usize) -> bool {
        self.tracks.contains(&track)
    }

    /// How the expectation changes from `from` to `to` (a higher level),
    /// if it is new or rewritten; the same in every track that has it.
    pub(crate) fn change(&self, from: usize, to: usize) -> Option<Change<'_>> {
        let after = self.at(to)?;
        if after.since <= from {
            return None; // nothing written above `from`
        }
        let before = self.at(from).map(|e| e.text);
        if before.is_some_and(|b| b.markdown.trim() == after.text.markdown.trim()) {
            return None;
        }
        Some(Change {
            competency: self,
            kind: if before.is_some() {
                ChangeKind::Changed
            } else {
                ChangeKind::New
            },
            before,
            after: after.text,
        })
    }

    pub(crate) fn examples_at(&self, level: usize) -> impl Iterator<Item = &Example> {
        self.examples.iter().filter(move |e| e.level == level)
    }
}

impl Framework {
    /// The competencies of one track, in file order.
    pub(crate) fn for_track(&self, track: usize) -> impl Iterator<Item = &Competency> {
        self.competencies.iter().filter(move |c| c.in_track(track))
    }

    /// What changes from `from` to `to` (a higher level) in one track: new
    /// and rewritten expectations only, in file order.
    pub(crate) fn changes(&self, track: usize, from: usize, to: usize) -> Vec<Change<'_>> {
        self.for_track(track)
            .filter_map(|c| c.change(from, to))
            .collect()
    }

    /// A short fingerprint of the content: changes whenever any id, name,
    /// text, track or level assignment changes. Stable across builds.
    pub(crate) fn fingerprint(document: &str) -> String {
        // FNV-1a, 64 bits: no cryptographic need, only change detection.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in document.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
}

/// One framework file as read from disk.
pub(crate) struct SourceFile {
    /// Shown in diagnostics: `framework.toml`, `framework/design.toml`.
    pub(crate) display: String,
    pub(crate) text: String,
    /// `Some(stem)` for `framework/STEM.toml`: its competencies belong to
    /// that track unless they name their own.
    pub(crate) track: Option<String>,
}
