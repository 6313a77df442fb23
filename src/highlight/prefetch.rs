//! Highlighting code blocks ahead of the markdown stage, on a thread of its
//! own, while `handbook build` is still walking, reading and compiling the
//! theme (`build::build`).
//!
//! Why: the first block of each language costs far more than the rest
//! (loading the syntax set, then compiling the syntax's regexes, which the
//! `onig` crate does one at a time under a global lock). Done inside the
//! markdown stage, that work leaves the other core idle; started as soon as
//! the pages are read, it overlaps the template parsing and the link work.
//!
//! Every block is still highlighted exactly once, as without the prefetch:
//! each block the thread finds gets a slot, one per occurrence (identical
//! blocks are not merged, unlike `serve`'s block cache), and the markdown
//! stage takes the slot for the block it meets. Whoever comes first fills
//! it; the other waits or reuses it. Once the markdown stage has begun
//! (`begin`), the thread registers no more pages, so a page the stage has
//! already rendered is never highlighted twice. This is only a reordering:
//! a block the thread did not find (or found differently) is highlighted by
//! the markdown stage as usual, so the output cannot differ.
//!
//! Not used by `serve` (it has its block cache) or for sites without code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::{BlockKey, Highlighter};

/// At most this many pages are scanned for blocks: enough for a whole small
/// handbook; a large site's markdown stage starts before the thread could
/// get further, and parsing pages it then never registers would be waste.
const PAGE_LIMIT: usize = 200;

type Slot = Arc<OnceLock<String>>;

/// The prefetch of one build; dropping it stops and joins the thread.
pub(crate) struct Prefetch {
    shared: Arc<Shared>,
    worker: Option<std::thread::JoinHandle<()>>,
}

struct Shared {
    highlighter: Highlighter,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The markdown stage has begun (or the build is over): no more pages
    /// are registered.
    closed: bool,
    /// Slots not taken yet, by block; one per occurrence.
    slots: HashMap<BlockKey, Vec<Slot>>,
    /// Slots the markdown stage took (for tests and `HANDBOOK_TIMINGS`).
    taken: usize,
}

impl Prefetch {
    /// Starts highlighting the fenced code blocks of `sources` (page bodies,
    /// as the markdown stage will parse them with `options`). `None` when
    /// no page has a fenced block or the thread cannot start.
    pub(crate) fn start(
        sources: Vec<Arc<str>>,
        highlighter: Highlighter,
        options: pulldown_cmark::Options,
    ) -> Option<Prefetch> {
        let mut sources: Vec<Arc<str>> = sources
            .into_iter()
            .filter(|s| s.contains("```") || s.contains("~~~"))
            .collect();
        if sources.is_empty() {
            return None;
        }
        sources.truncate(PAGE_LIMIT);
        let shared = Arc::new(Shared {
            highlighter,
            state: Mutex::new(State::default()),
        });
        let worker = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("highlight-prefetch".into())
                .spawn(move || shared.run(&sources, options))
                .ok()?
        };
        Some(Prefetch {
            shared,
            worker: Some(worker),
        })
    }

    /// The markdown stage begins: from now on blocks are taken, and the
    /// thread registers no further pages.
    pub(crate) fn begin(&self) {
        self.shared.lock().closed = true;
    }

    /// The HTML for one block the markdown stage meets: from its slot when
    /// the thread registered it (waiting if the thread is highlighting it
    /// right now), else highlighted here.
    pub(crate) fn highlight(&self, highlighter: &Highlighter, code: &str, lang: &str) -> String {
        let key = BlockKey::new(highlighter, lang, code);
        let slot = {
            let mut state = self.shared.lock();
            let slot = state.slots.get_mut(&key).and_then(Vec::pop);
            state.taken += usize::from(slot.is_some());
            slot
        };
        match slot {
            Some(slot) => slot
                .get_or_init(|| highlighter.highlight_uncached(code, lang))
                .clone(),
            None => highlighter.highlight(code, lang),
        }
    }

    /// How many blocks the markdown stage took from slots.
    #[cfg(test)]
    pub(crate) fn taken(&self) -> usize {
        self.shared.lock().taken
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        {
            let mut state = self.shared.lock();
            state.closed = true;
            state.slots.clear();
        }
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The thread: register every page's blocks (until the markdown stage
    /// begins), then fill the slots no one has taken and filled yet.
    fn run(&self, sources: &[Arc<str>], options: pulldown_cmark::Options) {
        let mut mine: Vec<(String, String, Slot)> = Vec::new();
        for source in sources {
            let blocks = fenced_blocks(source, options);
            let mut state = self.lock();
            if state.closed {
                break;
            }
            for (lang, code) in blocks {
                let slot = Slot::default();
                let key = BlockKey::new(&self.highlighter, &lang, &code);
                state.slots.entry(key).or_default().push(Arc::clone(&slot));
                mine.push((lang, code, slot));
            }
        }
        for (lang, code, slot) in &mine {
            // Dropped by the build, or taken and filled by the markdown stage.
            if Arc::strong_count(slot) == 1 && self.lock().closed {
                continue;
            }
            slot.get_or_init(|| self.highlighter.highlight_uncached(code, lang));
        }
    }
}

/// The fenced code blocks of one page that the markdown stage highlights:
/// (language, code) exactly as `markdown::Walk::code_block` sees them.
fn fenced_blocks(source: &str, options: pulldown_cmark::Options) -> Vec<(String, String)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let md = crate::markdown::ended(source);
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new_ext(&md, options) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = crate::markdown::fence_language(&info);
                if !lang.is_empty() && !crate::markdown::is_special_fence(&lang) {
                    current = Some((lang, String::new()));
                }
            }
            Event::Text(t) => {
                if let Some((_, code)) = current.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> pulldown_cmark::Options {
        crate::markdown::options(false)
    }

    #[test]
    fn the_blocks_found_are_the_ones_the_markdown_stage_highlights() {
        let md = "# T\n\n```rust,ignore\nfn main() {}\n```\n\n- item\n\n  ~~~toml {.x}\n  a = 1\n  ~~~\n\n```\nplain\n```\n\n```math\nx^2\n```\n\n    indented\n\n```py\nx = 1";
        assert_eq!(
            fenced_blocks(md, options()),
            vec![
                ("rust".to_string(), "fn main() {}\n".to_string()),
                ("toml".to_string(), "a = 1\n".to_string()),
                ("py".to_string(), "x = 1\n".to_string()),
            ]
        );
    }

    #[test]
    fn each_occurrence_is_highlighted_once_and_the_html_is_unchanged() {
        let page: Arc<str> = Arc::from("```toml\na = 1\n```\n\n```toml\na = 1\n```\n");
        let other: Arc<str> = Arc::from("no code here\n");
        let h = Highlighter::Classes;
        let prefetch = Prefetch::start(vec![page, other], h.clone(), options()).unwrap();
        // Let the thread register (and probably highlight) both blocks.
        while prefetch
            .shared
            .lock()
            .slots
            .values()
            .map(Vec::len)
            .sum::<usize>()
            < 2
        {
            std::thread::yield_now();
        }
        prefetch.begin();
        let expected = h.highlight_uncached("a = 1\n", "toml");
        assert!(expected.contains("hl-"), "{expected}");
        assert_eq!(prefetch.highlight(&h, "a = 1\n", "toml"), expected);
        assert_eq!(prefetch.highlight(&h, "a = 1\n", "toml"), expected);
        // A third occurrence was never registered: highlighted on the spot.
        assert_eq!(prefetch.highlight(&h, "a = 1\n", "toml"), expected);
        assert_eq!(prefetch.taken(), 2);
    }

    #[test]
    fn a_site_without_fenced_code_starts_no_thread() {
        let pages = vec![Arc::from("# Title\n\n    indented code\n")];
        assert!(Prefetch::start(pages, Highlighter::Classes, options()).is_none());
    }
}
