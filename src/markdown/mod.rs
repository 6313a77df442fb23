//! Render: one page's markdown to HTML as GitHub renders it (GFM plus
//! GitHub's own additions: extended autolinks, the tag filter, footnotes,
//! alerts, emoji shortcodes, task-list classes, math, mermaid), with GitHub
//! heading ids, permalink anchors, rewritten links, highlighted code and a
//! table of contents.
//!
//! Input is the page body as a string and the site model (to resolve links);
//! output is a `Rendered` value. No IO. Links are recorded with their line
//! so `check` can report broken fragments once every page's ids are known.

pub mod anchors;
mod autolink;
mod check;
mod extensions;
mod footnotes;
pub(crate) mod fragment_case;
pub mod links;
mod math;
mod rendered;
pub(crate) mod reuse;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};

use crate::content::{LinkTarget, Page, Site};
use crate::diagnostic::LineIndex;
// The escaper lives in `escape`; re-exported for call sites that still
// name it here.
pub(crate) use crate::escape::{escape_attr, escape_html};
use crate::highlight::Highlighter;
use anchors::IdAllocator;
pub(crate) use check::check as check_links;
use extensions::Tables;
use footnotes::Footnotes;
use links::{Resolution, Resolver};
pub use rendered::Rendered;
pub(crate) use rendered::{LinkRef, PackedStr, TocEntry};

/// What rendering needs besides the page and the link resolver: the same
/// for every page of a build.
pub(crate) struct Settings<'a> {
    pub(crate) highlighter: &'a Highlighter,
    /// Blocks `handbook build` started highlighting early (see
    /// `highlight::prefetch`).
    pub(crate) prefetch: Option<&'a crate::highlight::prefetch::Prefetch>,
    pub(crate) smart_punctuation: bool,
    /// Bytes of body text kept for search per page (`Rendered::text`); the
    /// search stage says how much it indexes.
    pub(crate) text_limit: usize,
}

/// Renders every page's markdown in parallel: one `Rendered` per page,
/// indexed like `site.pages`.
pub(crate) fn render_all(site: &Site, settings: &Settings) -> Vec<Rendered> {
    use rayon::prelude::*;
    let resolver = Resolver::new(site);
    site.pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| render(page, site.link_target_of(i), &resolver, settings))
        .collect()
}

/// The language of a fenced code block from its info string: the first
/// word (`rust,ignore` and `toml {.class}` give `rust` and `toml`).
pub(crate) fn fence_language(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
        .to_string()
}

/// Fenced blocks that are not code to highlight: math and diagrams.
pub(crate) fn is_special_fence(lang: &str) -> bool {
    matches!(lang, "math" | "mermaid")
}

pub(crate) fn options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Pages from which `render_all_taking` packs what it renders: below, the
/// memory saved is a few megabytes and packing only costs time.
const PACK_FROM: usize = 500;

/// Renders every page's markdown like `render_all`, taking the bodies
/// (`Page::markdown`, which the caller has moved out of the site) so each
/// is freed as soon as its page is rendered, and (on a site of `PACK_FROM`
/// pages or more) packing each page's HTML, text and outline
/// (`Rendered::pack`): `handbook build` holds neither every source nor
/// every page's HTML as it is until its page is written.
pub(crate) fn render_all_taking(
    site: &Site,
    bodies: Vec<std::sync::Arc<str>>,
    settings: &Settings,
) -> Vec<Rendered> {
    use rayon::prelude::*;
    let resolver = Resolver::new(site);
    let pack = bodies.len() >= PACK_FROM;
    bodies
        .into_par_iter()
        .enumerate()
        .map(|(i, body)| {
            let mut rendered = render_body(
                &site.pages[i],
                &body,
                site.link_target_of(i),
                &resolver,
                settings,
            );
            if pack {
                rendered.pack();
            }
            rendered
        })
        .collect()
}

/// Renders `page`'s markdown. `self_target` is how links to this page are
/// represented (for `#fragment`-only links).
pub(crate) fn render(
    page: &Page,
    self_target: LinkTarget,
    resolver: &Resolver,
    settings: &Settings,
) -> Rendered {
    render_body(page, &page.markdown, self_target, resolver, settings)
}

/// `body` as the markdown stage parses it: ending in a newline. cmark ends
/// the last block with one even when the file does not (code blocks keep
/// it); appending one moves no offsets.
pub(crate) fn ended(body: &str) -> std::borrow::Cow<'_, str> {
    if body.ends_with('\n') || body.is_empty() {
        std::borrow::Cow::Borrowed(body)
    } else {
        std::borrow::Cow::Owned(format!("{body}\n"))
    }
}

/// Renders `body`, the markdown of `page` (see `render`).
fn render_body(
    page: &Page,
    body: &str,
    self_target: LinkTarget,
    resolver: &Resolver,
    settings: &Settings,
) -> Rendered {
    let source = ended(body);
    let md: &str = &source;
    let mut walk = Walk {
        page,
        source: md,
        highlighter: settings.highlighter,
        prefetch: settings.prefetch,
        text_limit: settings.text_limit,
        links: Links {
            page,
            self_target,
            resolver,
            lines: LineIndex::new(md),
            found: Vec::new(),
        },
        out: Rendered::default(),
        ids: IdAllocator::default(),
        events: Vec::new(),
        flat_toc: Vec::new(),
        in_first_paragraph: false,
        seen_paragraph: false,
        link_depth: 0,
        brackets: 0,
        image_depth: 0,
        heading: None,
        tables: Tables::default(),
        footnotes: Footnotes::default(),
    };
    // Adjacent text runs merged, so autolinks and shortcodes are whole.
    let mut parser = TextMergeWithOffset::new(
        Parser::new_ext(md, options(settings.smart_punctuation)).into_offset_iter(),
    );
    while let Some((event, range)) = parser.next() {
        walk.event(event, range, &mut parser);
    }
    walk.finish(md.len())
}

/// The state of one page's render: events out, ids, links, footnotes.
struct Walk<'a, 'p, 'r> {
    page: &'p Page,
    /// The markdown being rendered.
    source: &'a str,
    highlighter: &'p Highlighter,
    prefetch: Option<&'p crate::highlight::prefetch::Prefetch>,
    text_limit: usize,
    links: Links<'p, 'r>,
    out: Rendered,
    ids: IdAllocator,
    events: Vec<Event<'a>>,
    flat_toc: Vec<(u8, String, String)>,
    in_first_paragraph: bool,
    seen_paragraph: bool,
    /// Inside a link or image (no autolinks there).
    link_depth: usize,
    /// `[` opened and not closed in the current block (see `autolink::split`).
    brackets: usize,
    /// Inside an image: its alt text is not part of a heading's text.
    image_depth: usize,
    heading: Option<OpenHeading<'a>>,
    tables: Tables,
    footnotes: Footnotes<'a>,
}

/// A heading whose inline events are being collected.
struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    line: usize,
    /// Text content as GitHub's slugger sees it.
    text: String,
    /// Where its events start in `Walk::events`.
    first_event: usize,
}

type Source<'a, 'i> = dyn Iterator<Item = (Event<'a>, Range<usize>)> + 'i;

impl<'a> Walk<'a, '_, '_> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>, parser: &mut Source<'a, '_>) {
        if matches!(event, Event::Start(_) | Event::End(_)) && !is_inline_tag(&event) {
            self.brackets = 0;
        }
        let event = match self.tables.rewrite(event) {
            Ok(html) => return self.emit(html),
            Err(event) => event,
        };
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) if self.heading.is_none() && !self.footnotes.collecting() => {
                let (line, _) = self.links.lines.locate(range.start);
                self.heading = Some(OpenHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    line,
                    text: String::new(),
                    first_event: self.events.len(),
                });
            }
            Event::End(TagEnd::Heading(_)) if self.heading.is_some() => self.close_heading(),
            Event::Start(Tag::CodeBlock(kind)) => self.code_block(kind, range.start, parser),
            Event::Start(Tag::FootnoteDefinition(label)) => self.footnotes.start(&label),
            Event::FootnoteReference(label) => {
                let html = self.footnotes.reference(&label);
                self.emit(Event::InlineHtml(CowStr::from(html)));
            }
            // pulldown-cmark's checkboxes have no accessible name.
            Event::TaskListMarker(done) => self.emit(Event::InlineHtml(CowStr::from(if done {
                "<input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled checked aria-label=\"Done\"> "
            } else {
                "<input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled aria-label=\"Not done\"> "
            }))),
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                self.emit(Event::Html(CowStr::from(extensions::alert_open(kind))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.close_alert(range),
            Event::InlineMath(tex) | Event::DisplayMath(tex) if tex.trim().is_empty() => {
                self.emit(Event::Text(tex));
            }
            Event::InlineMath(tex) => self.math(&tex, false, range.start),
            Event::DisplayMath(tex) => self.math(&tex, true, range.start),
            event => self.inline(event, range),
        }
    }

    /// Paragraphs, text, links and raw HTML.
    fn inline(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Paragraph) => {
                if !self.seen_paragraph {
                    self.in_first_paragraph = true;
                    self.seen_paragraph = true;
                }
                self.emit(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.in_first_paragraph = false;
                self.emit(Event::End(TagEnd::Paragraph));
                push_text(&mut self.out.text, self.text_limit, "");
            }
            Event::Text(t) => {
                self.record_text(&t);
                self.text(t);
            }
            Event::Code(ref t) => {
                self.record_text(t);
                self.emit(event);
            }
            // A line break in a paragraph is a space between words in the
            // summary and search text (headings keep GitHub's slug text).
            Event::SoftBreak | Event::HardBreak if self.heading.is_none() => {
                self.record_text(" ");
                self.emit(event);
            }
            Event::Html(html) | Event::InlineHtml(html) if html.is_empty() => {}
            Event::Html(html) => {
                let html = self.raw_html(html, range.start);
                self.emit(Event::Html(html));
            }
            Event::InlineHtml(html) if extensions::is_invalid_comment(&html) => {
                self.emit(Event::Text(html));
            }
            Event::InlineHtml(html) => {
                let html = self.raw_html(html, range.start);
                self.emit(Event::InlineHtml(html));
            }
            ev => {
                match &ev {
                    Event::Start(Tag::Link { .. }) => self.link_depth += 1,
                    Event::Start(Tag::Image { .. }) => {
                        self.link_depth += 1;
                        self.image_depth += 1;
                    }
                    Event::End(TagEnd::Link) => self.link_depth = self.link_depth.saturating_sub(1),
                    Event::End(TagEnd::Image) => {
                        self.link_depth = self.link_depth.saturating_sub(1);
                        self.image_depth = self.image_depth.saturating_sub(1);
                    }
                    _ => {}
                }
                let ev = rewrite_link_event(ev, range.start, &mut self.links);
                self.emit(ev);
            }
        }
    }

    /// Where text goes for search, summaries and heading ids.
    fn record_text(&mut self, t: &str) {
        if let Some(h) = &mut self.heading {
            // GitHub slugs the heading's text content, which has no alt text.
            if self.image_depth == 0 {
                h.text.push_str(t);
            }
            return;
        }
        if self.in_first_paragraph {
            self.out.summary.push_str(t);
        }
        push_text(&mut self.out.text, self.text_limit, t);
    }

    /// Text, with GitHub's autolinks (outside links) and emoji shortcodes.
    fn text(&mut self, t: CowStr<'a>) {
        if self.link_depth > 0 {
            return self.emit_text(t);
        }
        let pieces = autolink::split(&t, &mut self.brackets);
        if let [autolink::Piece::Text(_)] = pieces.as_slice() {
            return self.emit_text(t);
        }
        for piece in pieces {
            match piece {
                autolink::Piece::Text(s) => self.emit_text(CowStr::from(s.to_string())),
                autolink::Piece::Link { text, href } => {
                    self.emit(Event::InlineHtml(CowStr::from(format!(
                        "<a href=\"{}\">{}</a>",
                        escape_attr(&href),
                        escape_html(text)
                    ))));
                }
            }
        }
    }

    fn emit_text(&mut self, t: CowStr<'a>) {
        match extensions::emoji(&t) {
            Some(with_emoji) => self.emit(Event::Text(CowStr::from(with_emoji))),
            None => self.emit(Event::Text(t)),
        }
    }

    /// Raw HTML: the tag filter, then relative `src`/`href` rewritten.
    fn raw_html(&mut self, html: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let (filtered, changed) = match extensions::tagfilter(&html) {
            CowStr::Borrowed(_) => (html, false),
            changed => (CowStr::from(changed.to_string()), true),
        };
        // A filtered `<iframe src>` is text now: its URL is not a link.
        if !changed && has_url_attr(&filtered) {
            CowStr::from(rewrite_html_attrs(&filtered, offset, &mut self.links))
        } else {
            filtered
        }
    }

    fn math(&mut self, tex: &str, display: bool, offset: usize) {
        // GitHub's other inline form, $`…`$, keeps markdown out of the math.
        let tex = match tex.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
            Some(inner) if !inner.is_empty() => inner,
            _ => tex,
        };
        self.out.has_math = true;
        self.note_math_problem(tex, offset);
        self.record_text(tex);
        self.emit(Event::InlineHtml(CowStr::from(math::mathml(tex, display))));
    }

    /// Ends an alert. An alert with nothing in it is no alert on GitHub: a
    /// plain quote of its marker, as written.
    fn close_alert(&mut self, range: Range<usize>) {
        let empty = !self.footnotes.collecting()
            && matches!(self.events.last(), Some(Event::Html(h)) if h.starts_with("<div class=\"markdown-alert"));
        if !empty {
            return self.emit(Event::Html(CowStr::Borrowed("</div>\n")));
        }
        self.events.pop();
        let source = self.source.get(range).unwrap_or_default();
        let marker = source
            .find('[')
            .zip(source.find(']'))
            .map_or("", |(open, close)| {
                source.get(open..=close).unwrap_or_default()
            });
        self.emit(Event::Html(CowStr::from(format!(
            "<blockquote>\n<p>{}</p>\n</blockquote>\n",
            escape_html(marker)
        ))));
    }

    fn note_math_problem(&mut self, tex: &str, offset: usize) {
        if let Some(problem) = math::problem(tex) {
            let (line, col) = self.links.lines.locate(offset);
            let line = line + self.page.body_line_offset;
            self.out.math_problems.push((line, col, problem));
        }
    }

    fn emit(&mut self, ev: Event<'a>) {
        if let Some(ev) = self.footnotes.capture(ev) {
            self.events.push(ev);
        }
    }

    fn code_block(&mut self, kind: CodeBlockKind<'a>, offset: usize, parser: &mut Source<'a, '_>) {
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => fence_language(info),
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        for (ev, _) in &mut *parser {
            match ev {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let html = match lang.as_str() {
            "math" => {
                self.out.has_math = true;
                self.note_math_problem(&code, offset);
                format!("<p>{}</p>\n", math::mathml(&code, true))
            }
            "mermaid" => {
                self.out.has_mermaid = true;
                math::mermaid(&code)
            }
            _ => {
                self.out.has_code = true;
                match self.prefetch {
                    Some(p) => p.highlight(self.highlighter, &code, &lang),
                    None => self.highlighter.highlight(&code, &lang),
                }
            }
        };
        self.emit(Event::Html(CowStr::from(html)));
    }

    fn close_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let is_title = h.level == HeadingLevel::H1 && self.page.title_line == Some(h.line);
        if is_title {
            self.events.truncate(h.first_event);
            let id = self.ids.unique(&anchors::github_id(&h.text));
            self.out.ids.insert(id.clone());
            self.out.title_id = Some(id);
            return;
        }
        let id = match h.id {
            Some(custom) => {
                self.ids.reserve(&custom);
                custom.to_string()
            }
            None => self.ids.unique(&anchors::github_id(&h.text)),
        };
        let n = h.level as u8;
        let mut open = format!("<h{n} id=\"{}\"", escape_attr(&id));
        if !h.classes.is_empty() {
            let cls: Vec<&str> = h.classes.iter().map(std::convert::AsRef::as_ref).collect();
            open.push_str(&format!(" class=\"{}\"", escape_attr(&cls.join(" "))));
        }
        for (k, v) in &h.attrs {
            open.push_str(&format!(" {}", escape_attr(k)));
            if let Some(v) = v {
                open.push_str(&format!("=\"{}\"", escape_attr(v)));
            }
        }
        open.push('>');
        self.events
            .insert(h.first_event, Event::Html(CowStr::from(open)));
        self.events.push(Event::Html(CowStr::from(format!(
            "<a class=\"anchor\" href=\"#{0}\" aria-labelledby=\"{0}\">#</a></h{n}>\n",
            escape_attr(&id)
        ))));
        let text = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.out.headings.push(text.clone());
        push_text(&mut self.out.text, self.text_limit, &text);
        self.flat_toc.push((n, id, text));
    }

    fn finish(mut self, md_len: usize) -> Rendered {
        extensions::mark_task_lists(&mut self.events);
        let mut html = String::with_capacity(md_len * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        html.push_str(&self.footnotes.section(|events| {
            let mut s = String::new();
            pulldown_cmark::html::push_html(&mut s, events.into_iter());
            s
        }));
        // Kept until the page's template is rendered: no slack from growing.
        html.shrink_to_fit();
        let mut out = self.out;
        collect_ids(&html, &mut out.ids);
        out.links = self.links.found;
        out.links.shrink_to_fit();
        out.html = html;
        out.toc = nest_toc(self.flat_toc);
        out.own_toc = has_own_toc(&out);
        out.summary = out.summary.split_whitespace().collect::<Vec<_>>().join(" ");
        let words: Vec<&str> = out.text.split_whitespace().collect();
        out.words = words.len();
        out.text = words.join(" ");
        out
    }
}

/// Tags that live inside a block (brackets stay open across them).
fn is_inline_tag(ev: &Event) -> bool {
    matches!(
        ev,
        Event::Start(
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ) | Event::End(
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        )
    )
}

fn push_text(buf: &mut String, limit: usize, t: &str) {
    if buf.len() < limit {
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
        let Some(quote @ ('"' | '\'')) = after.chars().next() else {
            out.push_str(&rest[..i + len]);
            consumed += i + len;
            rest = after;
            continue;
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
