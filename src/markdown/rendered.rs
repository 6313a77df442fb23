//! What rendering one page's markdown produces (`Rendered`): the HTML, the
//! table of contents, ids, links as written and text for search. Plain
//! data, no rendering here; `markdown::render` fills it.

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
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
