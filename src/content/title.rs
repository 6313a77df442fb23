//! Page titles from what authors wrote: the first `#` heading (as plain
//! text for `<title>`, the sidebar and JSON, and as HTML for the page's
//! `<h1>`), else the file or folder name. It does not decide which title
//! wins over front matter (`read_page` does) or render page bodies.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::paths::split_dir;

/// The first level-one heading outside code blocks: `(body line, plain text)`.
/// A cheap line scan, so titles are known before any page is rendered.
pub(crate) fn first_heading(body: &str) -> Option<(usize, String)> {
    heading_source(body).map(|(line, raw)| (line, plain_inline(raw)))
}

/// The first level-one heading that has text: `(body line, markdown as written)`.
pub(crate) fn heading_source(body: &str) -> Option<(usize, &str)> {
    let mut fence: Option<&str> = None;
    let mut prev: Option<&str> = None;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            prev = None;
            continue;
        }
        if indent < 4 && (t.starts_with("```") || t.starts_with("~~~")) {
            fence = Some(&t[..3]);
            prev = None;
            continue;
        }
        if indent < 4 && (t == "#" || t.starts_with("# ") || t.starts_with("#\t")) {
            let text = t[1..].trim().trim_end_matches('#').trim();
            if !plain_inline(text).is_empty() {
                return Some((i + 1, text));
            }
        }
        // Setext heading: a text line underlined with `===`.
        if indent < 4 && !t.is_empty() && t.chars().all(|c| c == '=') {
            if let Some(p) = prev {
                if !plain_inline(p.trim()).is_empty() {
                    return Some((i, p.trim()));
                }
            }
        }
        prev = if t.is_empty() { None } else { Some(line) };
    }
    None
}

/// A page's title, the body line of the heading it came from (not rendered
/// again), and its markup as HTML: front matter `title`, else the first `#`
/// heading, else the file name.
pub(super) fn page_title(
    front: Option<&str>,
    body: &str,
    rel: &str,
    is_index: bool,
) -> (String, Option<usize>, Option<String>) {
    let heading = heading_source(body).map(|(l, raw)| (l, plain_inline(raw), raw));
    match (front, heading) {
        (Some(t), Some((line, h, raw))) if h.trim() == t.trim() => {
            (t.to_string(), Some(line), title_html(raw))
        }
        (Some(t), _) => (t.to_string(), None, None),
        (None, Some((line, h, raw))) => (h, Some(line), title_html(raw)),
        (None, None) => (title_from_name(rel, is_index), None, None),
    }
}

/// A heading's inline markdown as plain text, rendered once: links keep
/// their text, emphasis and code marks go, entities are decoded (`&amp;` is
/// `&`), inline HTML tags go, and images (CI badges) leave nothing.
pub(crate) fn plain_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_image = 0usize;
    for ev in pulldown_cmark::Parser::new(s) {
        match ev {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A heading's inline markdown as HTML for the page's `<h1>`: emphasis,
/// code and inline HTML as written, links reduced to their text (a title
/// is not a link), images (badges) dropped. `None` when it is plain text,
/// so the template escapes the title as usual.
pub(crate) fn title_html(s: &str) -> Option<String> {
    let mut in_image = 0usize;
    let mut events = Vec::new();
    let mut plain = true;
    for ev in pulldown_cmark::Parser::new(s) {
        match ev {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image > 0 => {}
            Event::Start(Tag::Paragraph | Tag::Link { .. })
            | Event::End(TagEnd::Paragraph | TagEnd::Link) => {}
            Event::Text(t) => events.push(Event::Text(t)),
            Event::SoftBreak | Event::HardBreak => events.push(Event::Text(" ".into())),
            other => {
                plain = false;
                events.push(other);
            }
        }
    }
    if plain {
        return None;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Some(html.trim().to_string())
}

/// `how-we-hire.md` → "How we hire"; an index page takes its folder's name.
pub(super) fn title_from_name(rel: &str, is_index: bool) -> String {
    let (dir, name) = split_dir(rel);
    let base = if is_index {
        dir.rsplit('/')
            .next()
            .filter(|d| !d.is_empty())
            .unwrap_or("Home")
    } else {
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    };
    humanize(base)
}

pub(crate) fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let trimmed = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_render_entities_and_markup_once_and_drop_images() {
        assert_eq!(
            plain_inline("Pay &amp; benefits <em>now</em>"),
            "Pay & benefits now"
        );
        assert_eq!(plain_inline("R&D `code` *emph*"), "R&D code emph");
        assert_eq!(
            plain_inline("Handbook [![CI](https://x/b.svg)](https://x)"),
            "Handbook"
        );
        assert_eq!(plain_inline("A \\* star"), "A * star");
        assert_eq!(title_html("Plain &amp; simple"), None);
        assert_eq!(
            title_html("R&D `code` <em>x</em> [link](a.md) ![b](c.png)").as_deref(),
            Some("R&amp;D <code>code</code> <em>x</em> link")
        );
    }
}
