//! What rendering one page's markdown produces (`Rendered`): the HTML, the
//! table of contents, ids, links as written and text for search. Plain
//! data, no rendering here; `markdown::render` fills it.

use std::collections::HashSet;

use super::links::Resolution;

/// Everything rendering produced for a page.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every `id` in `html`, for fragment checks.
    pub ids: HashSet<String>,
    pub links: Vec<LinkRef>,
    /// Plain text of headings, for search.
    pub headings: Vec<String>,
    /// Plain text of the body (bounded), for search.
    pub text: String,
    /// The first paragraph as plain text, for descriptions.
    pub summary: String,
    pub has_code: bool,
    /// The id of the page's title heading (`# Title`), as GitHub gives it.
    pub title_id: Option<String>,
    /// The page has math (rendered to MathML).
    pub has_math: bool,
    /// The page has a mermaid diagram (the theme loads mermaid's script).
    pub has_mermaid: bool,
    /// LaTeX that does not parse: (line, column, problem), for warnings.
    pub math_problems: Vec<(usize, usize, String)>,
    /// The page links to three or more of its own headings (its own table
    /// of contents), so the theme leaves the generated one out.
    pub own_toc: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link or image as written, with where it was and what it resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    pub line: usize,
    pub col: usize,
    pub dest: String,
    pub is_image: bool,
    pub resolution: Resolution,
}
