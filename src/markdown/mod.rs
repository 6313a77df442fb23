//! Render: one page's markdown to HTML, with GitHub heading ids, permalink
//! anchors, rewritten links, highlighted code and a table of contents.
//!
//! Input is the page body as a string and the site model (to resolve links);
//! output is a `Rendered` value. No IO. Links are recorded with their line
//! so `check` can report broken fragments once every page's ids are known.

pub mod anchors;
pub mod links;

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::{LinkTarget, Page};
use crate::diagnostic::LineIndex;
use crate::highlight::Highlighter;
use anchors::IdAllocator;
use links::{Resolution, Resolver};

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

/// Characters of body text kept for the search index per page.
const SEARCH_TEXT_LIMIT: usize = crate::output::search::BODY_LIMIT + 100;

pub fn options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Renders `page`'s markdown. `self_target` is how links to this page are
/// represented (for `#fragment`-only links).
pub fn render(
    page: &Page,
    self_target: LinkTarget,
    resolver: &Resolver,
    highlighter: &Highlighter,
    smart_punctuation: bool,
) -> Rendered {
    let md = page.markdown.as_str();
    let mut links = Links {
        page,
        self_target,
        resolver,
        lines: LineIndex::new(md),
        found: Vec::new(),
    };
    let mut out = Rendered::default();
    let mut ids = IdAllocator::default();
    let mut events: Vec<Event> = Vec::new();
    let mut flat_toc: Vec<(u8, String, String)> = Vec::new();
    let mut parser = Parser::new_ext(md, options(smart_punctuation)).into_offset_iter();

    // State for the element being buffered.
    let mut in_first_paragraph = false;
    let mut seen_paragraph = false;

    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let (line, _) = links.lines.locate(range.start);
                // Buffer the heading's inline events.
                let mut inner: Vec<Event> = Vec::new();
                let mut text = String::new();
                for (ev, r) in parser.by_ref() {
                    if matches!(ev, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    if let Event::Text(t) | Event::Code(t) = &ev {
                        text.push_str(t);
                    }
                    let ev = rewrite_link_event(ev, r.start, &mut links);
                    inner.push(ev);
                }
                let is_title = level == HeadingLevel::H1 && page.title_line == Some(line);
                if is_title {
                    continue;
                }
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let id = match id {
                    Some(custom) => {
                        ids.reserve(&custom);
                        custom.to_string()
                    }
                    None => ids.unique(&anchors::github_id(&text)),
                };
                // The page's title is its one <h1>; other level-one
                // headings in the body become h2.
                let n = (level as u8).max(2);
                let mut open = format!("<h{n} id=\"{}\"", escape_attr(&id));
                if !classes.is_empty() {
                    let cls: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
                    open.push_str(&format!(" class=\"{}\"", escape_attr(&cls.join(" "))));
                }
                for (k, v) in &attrs {
                    open.push_str(&format!(" {}", escape_attr(k)));
                    if let Some(v) = v {
                        open.push_str(&format!("=\"{}\"", escape_attr(v)));
                    }
                }
                open.push('>');
                events.push(Event::Html(CowStr::from(open)));
                events.extend(inner);
                events.push(Event::Html(CowStr::from(format!(
                    "<a class=\"anchor\" href=\"#{0}\" aria-labelledby=\"{0}\">#</a></h{n}>\n",
                    escape_attr(&id)
                ))));
                out.headings.push(text.clone());
                push_text(&mut out.text, &text);
                flat_toc.push((n, id, text));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for (ev, _) in parser.by_ref() {
                    match ev {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                out.has_code = true;
                events.push(Event::Html(CowStr::from(
                    highlighter.highlight(&code, &lang),
                )));
            }
            // pulldown-cmark's checkboxes have no accessible name.
            Event::TaskListMarker(done) => {
                events.push(Event::InlineHtml(CowStr::from(if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
                })));
            }
            Event::Start(Tag::Paragraph) => {
                if !seen_paragraph {
                    in_first_paragraph = true;
                    seen_paragraph = true;
                }
                events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                in_first_paragraph = false;
                events.push(Event::End(TagEnd::Paragraph));
                push_text(&mut out.text, "");
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if in_first_paragraph {
                    out.summary.push_str(t);
                }
                push_text(&mut out.text, t);
                events.push(event);
            }
            // A line break inside a paragraph is a space between words.
            Event::SoftBreak | Event::HardBreak => {
                if in_first_paragraph {
                    out.summary.push(' ');
                }
                push_text(&mut out.text, " ");
                events.push(event);
            }
            Event::Html(html) if has_url_attr(&html) => {
                let html = rewrite_html_attrs(&html, range.start, &mut links);
                events.push(Event::Html(CowStr::from(html)));
            }
            Event::InlineHtml(html) if has_url_attr(&html) => {
                let html = rewrite_html_attrs(&html, range.start, &mut links);
                events.push(Event::InlineHtml(CowStr::from(html)));
            }
            ev => {
                let ev = rewrite_link_event(ev, range.start, &mut links);
                events.push(ev);
            }
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    collect_ids(&html, &mut out.ids);
    out.links = links.found;
    out.html = html;
    out.toc = nest_toc(flat_toc);
    out.own_toc = has_own_toc(&out);
    out.summary = out.summary.split_whitespace().collect::<Vec<_>>().join(" ");
    out.text = out.text.split_whitespace().collect::<Vec<_>>().join(" ");
    out
}

fn push_text(buf: &mut String, t: &str) {
    if buf.len() < SEARCH_TEXT_LIMIT {
        buf.push_str(t);
        buf.push(' ');
    }
}

/// Resolves the links of one page and records each with its position.
struct Links<'p, 'r> {
    page: &'p Page,
    self_target: LinkTarget,
    resolver: &'p Resolver<'r>,
    lines: LineIndex,
    found: Vec<LinkRef>,
}

impl Links<'_, '_> {
    fn resolve(&mut self, dest: String, offset: usize, is_image: bool) -> Resolution {
        let resolution = self
            .resolver
            .resolve(&self.page.source, Some(self.self_target), &dest);
        let (line, col) = self.lines.locate(offset);
        self.found.push(LinkRef {
            line: line + self.page.body_line_offset,
            col,
            dest,
            is_image,
            resolution: resolution.clone(),
        });
        resolution
    }
}

/// Rewrites the destination of link and image start events and records them.
fn rewrite_link_event<'a>(ev: Event<'a>, offset: usize, links: &mut Links) -> Event<'a> {
    let (is_image, tag) = match ev {
        // `<someone@example.com>` is a mail link, not a file (html renders mailto:).
        Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Email,
            ..
        }) => return ev,
        Event::Start(tag @ Tag::Link { .. }) => (false, tag),
        Event::Start(tag @ Tag::Image { .. }) => (true, tag),
        other => return other,
    };
    let dest = match &tag {
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => dest_url.to_string(),
        _ => unreachable!("only links and images reach here"),
    };
    let resolution = links.resolve(dest, offset, is_image);
    let new_dest: Option<String> = match resolution {
        Resolution::Internal { href, .. } => Some(href),
        Resolution::Unsafe => Some(String::new()),
        Resolution::Keep | Resolution::Broken { .. } => None,
    };
    let tag = match (tag, new_dest) {
        (
            Tag::Link {
                link_type,
                title,
                id,
                ..
            },
            Some(d),
        ) => Tag::Link {
            link_type,
            dest_url: CowStr::from(d),
            title,
            id,
        },
        (
            Tag::Image {
                link_type,
                title,
                id,
                ..
            },
            Some(d),
        ) => Tag::Image {
            link_type,
            dest_url: CowStr::from(d),
            title,
            id,
        },
        (tag, None) => tag,
        (other, _) => other,
    };
    Event::Start(tag)
}

fn has_url_attr(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.contains("src=") || lower.contains("href=")
}

/// Rewrites relative `src` and `href` attributes in raw HTML the way
/// markdown links are rewritten (GitHub resolves them relative to the file,
/// so they must keep working with pretty URLs), and records them for checks.
fn rewrite_html_attrs(html: &str, offset: usize, links: &mut Links) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut consumed = 0;
    loop {
        let found = ["src=", "href=", "SRC=", "HREF="]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
            .filter(|(i, _)| *i > 0 && rest.as_bytes()[*i - 1].is_ascii_whitespace())
            .min();
        let Some((i, len)) = found else { break };
        let after = &rest[i + len..];
        let quote = match after.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => {
                out.push_str(&rest[..i + len]);
                consumed += i + len;
                rest = after;
                continue;
            }
        };
        let Some(end) = after[1..].find(quote) else {
            break;
        };
        let value = &after[1..1 + end];
        let dest = unescape_attr(value);
        out.push_str(&rest[..i + len + 1]);
        let is_image = rest[..i].to_ascii_lowercase().contains("<img");
        match links.resolve(dest, offset + consumed + i, is_image) {
            Resolution::Internal { href, .. } => out.push_str(&escape_attr(&href)),
            Resolution::Unsafe => {}
            _ => out.push_str(value),
        }
        out.push(quote);
        let advance = i + len + 1 + end + 1;
        consumed += advance;
        rest = &rest[advance..];
    }
    out.push_str(rest);
    out
}

/// Nests a flat list of headings by level.
fn nest_toc(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        match list.last_mut() {
            Some(last) if entry.level > last.level => insert(&mut last.children, entry),
            _ => list.push(entry),
        }
    }
    let mut out = Vec::new();
    for (level, id, title) in flat {
        insert(
            &mut out,
            TocEntry {
                level,
                id,
                title,
                children: Vec::new(),
            },
        );
    }
    out
}

/// Every `id="…"` (and `name="…"` on anchors) in a piece of HTML.
fn collect_ids(html: &str, ids: &mut HashSet<String>) {
    for attr in [" id=\"", " name=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                ids.insert(unescape_attr(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
}

pub fn escape_attr(s: &str) -> String {
    // Most text needs no escaping: copy it in one go.
    let Some(first) = s
        .bytes()
        .position(|b| matches!(b, b'&' | b'"' | b'\'' | b'<' | b'>'))
    else {
        return s.to_string();
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

pub fn escape_html(s: &str) -> String {
    escape_attr(s)
}

fn unescape_attr(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whether a page links to three or more of its own headings (an author's
/// table of contents).
fn has_own_toc(rendered: &Rendered) -> bool {
    fn ids<'a>(toc: &'a [TocEntry], out: &mut std::collections::HashSet<&'a str>) {
        for e in toc {
            out.insert(&e.id);
            ids(&e.children, out);
        }
    }
    let mut headings = std::collections::HashSet::new();
    ids(&rendered.toc, &mut headings);
    let linked: std::collections::HashSet<&str> = rendered
        .links
        .iter()
        .filter_map(|l| l.dest.strip_prefix('#'))
        .filter(|f| headings.contains(f))
        .collect();
    linked.len() >= 3
}
