//! What rendering one page's markdown produces (`Rendered`): the HTML, the
//! table of contents, ids, links as written and text for search. Plain
//! data, no rendering here; `markdown::render` fills it. A large streamed
//! build keeps the HTML, text and outline LZ4-packed until they are read
//! (`Rendered::pack`, `Packed`).

use std::borrow::Cow;
use std::collections::HashSet;

use super::links::Resolution;

/// Everything rendering produced for a page.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub(crate) html: String,
    pub(crate) toc: Vec<TocEntry>,
    /// Every `id` in `html`, for fragment checks.
    pub(crate) ids: HashSet<String>,
    pub(crate) links: Vec<LinkRef>,
    /// Plain text of headings, for search.
    pub(crate) headings: Vec<String>,
    /// Plain text of the body (bounded), for search.
    pub(crate) text: String,
    /// Words in `text`, counted when it is made: the page's word count in
    /// the theme, which then does not need `text` (a streamed build hands
    /// `text` to the search index and frees it there).
    pub(crate) words: usize,
    /// The first paragraph as plain text, for descriptions.
    pub(crate) summary: String,
    pub(crate) has_code: bool,
    /// The id of the page's title heading (`# Title`), as GitHub gives it.
    pub(crate) title_id: Option<String>,
    /// The page has math (rendered to MathML).
    pub(crate) has_math: bool,
    /// The page has a mermaid diagram (the theme loads mermaid's script).
    pub(crate) has_mermaid: bool,
    /// LaTeX that does not parse: (line, column, problem), for warnings.
    pub(crate) math_problems: Vec<(usize, usize, String)>,
    /// The page links to three or more of its own headings (its own table
    /// of contents), so the theme leaves the generated one out.
    pub(crate) own_toc: bool,
    /// `html`, `text`, `toc` and `headings`, compressed (`pack`): a large
    /// streamed build keeps every page's until its page is written, and
    /// this halves what that holds. While it is `Some`, those four are
    /// empty (read them with `outline` and `render::Bodies`).
    pub(crate) packed: Option<Box<Packed>>,
}

/// A page's HTML, search text and outline (table of contents and heading
/// texts), each compressed on its own so that each reader (the page's
/// template, the search index) unpacks only what it reads.
#[derive(Debug, Clone)]
pub(crate) struct Packed {
    pub(crate) html: PackedStr,
    pub(crate) text: PackedStr,
    /// `(toc, headings)` as JSON.
    outline: PackedStr,
}

/// A string compressed with LZ4: fast enough (several hundred MB/s) that
/// packing every page costs a few percent of rendering its markdown.
#[derive(Debug, Clone, Default)]
pub(crate) struct PackedStr {
    len: usize,
    bytes: Box<[u8]>,
}

impl PackedStr {
    pub(crate) fn new(s: &str) -> PackedStr {
        PackedStr {
            len: s.len(),
            bytes: lz4_flex::block::compress(s.as_bytes()).into_boxed_slice(),
        }
    }

    /// The string as it was packed.
    pub(crate) fn unpack(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        let bytes = lz4_flex::block::decompress(&self.bytes, self.len)
            .expect("bytes this process compressed decompress");
        String::from_utf8(bytes).expect("a packed str is UTF-8")
    }
}

impl Rendered {
    /// Moves `html`, `text`, `toc` and `headings` into `packed`.
    pub(crate) fn pack(&mut self) {
        let outline = (
            std::mem::take(&mut self.toc),
            std::mem::take(&mut self.headings),
        );
        let outline = serde_json::to_string(&outline).expect("an outline is plain data");
        self.packed = Some(Box::new(Packed {
            html: PackedStr::new(&std::mem::take(&mut self.html)),
            text: PackedStr::new(&std::mem::take(&mut self.text)),
            outline: PackedStr::new(&outline),
        }));
    }

    /// Puts everything `pack` moved back (if packed).
    pub(crate) fn unpack(&mut self) {
        if let Some(p) = self.packed.take() {
            self.html = p.html.unpack();
            self.text = p.text.unpack();
            (self.toc, self.headings) = unpack_outline(&p.outline);
        }
    }

    /// The table of contents and the headings' plain text, unpacked if
    /// they are packed.
    pub(crate) fn outline(&self) -> (Cow<'_, [TocEntry]>, Cow<'_, [String]>) {
        match &self.packed {
            Some(p) => {
                let (toc, headings) = unpack_outline(&p.outline);
                (Cow::Owned(toc), Cow::Owned(headings))
            }
            None => (Cow::Borrowed(&self.toc), Cow::Borrowed(&self.headings)),
        }
    }
}

fn unpack_outline(packed: &PackedStr) -> (Vec<TocEntry>, Vec<String>) {
    serde_json::from_str(&packed.unpack()).expect("an outline this process packed parses")
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct TocEntry {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) children: Vec<TocEntry>,
}

/// A link or image as written, with where it was and what it resolved to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinkRef {
    pub(crate) line: usize,
    pub(crate) col: usize,
    pub(crate) dest: String,
    pub(crate) is_image: bool,
    pub(crate) resolution: Resolution,
}
