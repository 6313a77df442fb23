//! GitHub's additions to CommonMark, applied to pulldown-cmark's events:
//! the tag filter, emoji shortcodes, alerts, table markup as cmark-gfm
//! writes it (`align="…"`, no empty `<tbody>`) and task-list classes.
//!
//! Pure functions over strings and event lists. Footnotes, math and
//! autolinks have their own modules; heading ids live in `anchors`.

use pulldown_cmark::{Alignment, BlockQuoteKind, CowStr, Event, Tag, TagEnd};

/// GFM's tag filter: raw HTML may not open (or close) these elements, whose
/// content the browser would not parse as HTML. Their `<` becomes `&lt;`.
const FILTERED_TAGS: [&str; 9] = [
    "title",
    "textarea",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "script",
    "plaintext",
];

/// Applies the tag filter to a piece of raw HTML.
pub(crate) fn tagfilter(html: &str) -> CowStr<'_> {
    if !html.contains('<') {
        return CowStr::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 8);
    let mut rest = html;
    let mut filtered_any = false;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name = after.strip_prefix('/').unwrap_or(after);
        let filtered = FILTERED_TAGS.iter().any(|tag| {
            name.len() >= tag.len()
                && name.as_bytes()[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
                && matches!(
                    name.as_bytes().get(tag.len()),
                    None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/')
                )
        });
        filtered_any |= filtered;
        out.push_str(if filtered { "&lt;" } else { "<" });
        rest = after;
    }
    if !filtered_any {
        return CowStr::Borrowed(html);
    }
    out.push_str(rest);
    CowStr::from(out)
}

/// An inline `<!-- … -->` that GFM (CommonMark 0.29, which cmark-gfm
/// follows) does not accept as a comment: its text starts with `>` or `->`,
/// contains `--` or ends with `-`. pulldown-cmark follows the newer rules;
/// GitHub shows these as text.
pub(crate) fn is_invalid_comment(html: &str) -> bool {
    let Some(rest) = html.strip_prefix("<!--") else {
        return false;
    };
    let Some(text) = rest.strip_suffix("-->") else {
        return rest.starts_with('>') || rest.starts_with("->");
    };
    text.starts_with('>') || text.starts_with("->") || text.contains("--") || text.ends_with('-')
}

/// Replaces GitHub's emoji shortcodes (`:tada:`) by the emoji itself.
/// Returns `None` when there is none, so most text is not copied.
pub(crate) fn emoji(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(open) = text[search..].find(':').map(|i| search + i) {
        let Some(len) = text[open + 1..].find(':') else {
            break;
        };
        let name = &text[open + 1..open + 1 + len];
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'));
        match emojis::get_by_shortcode(name).filter(|_| valid) {
            Some(e) => {
                out.push_str(&text[copied..open]);
                out.push_str(e.as_str());
                copied = open + len + 2;
                search = copied;
            }
            None => search = open + 1,
        }
    }
    (copied > 0).then(|| {
        out.push_str(&text[copied..]);
        out
    })
}

/// The opening markup of an alert (`> [!NOTE]`), as GitHub writes it: a
/// `div` with the kind's class and a title paragraph with an icon.
pub(crate) fn alert_open(kind: BlockQuoteKind) -> String {
    let (class, title, icon) = alert_parts(kind);
    format!(
        "<div class=\"markdown-alert markdown-alert-{class}\">\n\
         <p class=\"markdown-alert-title\"><svg class=\"octicon\" viewBox=\"0 0 16 16\" \
         width=\"16\" height=\"16\" aria-hidden=\"true\">{icon}</svg>{title}</p>\n"
    )
}

/// Icons drawn for handbook (simple shapes in `currentColor`).
fn alert_parts(kind: BlockQuoteKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note", concat!(
            "<circle cx=\"8\" cy=\"8\" r=\"6.5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
            "<rect x=\"7.25\" y=\"7\" width=\"1.5\" height=\"4.5\" fill=\"currentColor\"/>",
            "<circle cx=\"8\" cy=\"5\" r=\"1\" fill=\"currentColor\"/>")),
        BlockQuoteKind::Tip => ("tip", "Tip", concat!(
            "<path d=\"M8 1.5a4.5 4.5 0 0 0-2.5 8.2V11h5V9.7A4.5 4.5 0 0 0 8 1.5z\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
            "<rect x=\"5.5\" y=\"12.5\" width=\"5\" height=\"1.5\" fill=\"currentColor\"/>")),
        BlockQuoteKind::Important => ("important", "Important", concat!(
            "<path d=\"M2 2.5h12v8.5H7l-3 3V11H2z\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
            "<rect x=\"7.25\" y=\"4\" width=\"1.5\" height=\"3.5\" fill=\"currentColor\"/>",
            "<circle cx=\"8\" cy=\"9\" r=\".9\" fill=\"currentColor\"/>")),
        BlockQuoteKind::Warning => ("warning", "Warning", concat!(
            "<path d=\"M8 1.5 15 14H1z\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>",
            "<rect x=\"7.25\" y=\"6\" width=\"1.5\" height=\"4\" fill=\"currentColor\"/>",
            "<circle cx=\"8\" cy=\"11.8\" r=\".9\" fill=\"currentColor\"/>")),
        BlockQuoteKind::Caution => ("caution", "Caution", concat!(
            "<path d=\"M5.3 1.5h5.4l3.8 3.8v5.4l-3.8 3.8H5.3l-3.8-3.8V5.3z\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
            "<path d=\"M5.5 5.5l5 5m0-5-5 5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>")),
    }
}

/// Rewrites table events into cmark-gfm's markup: `align` attributes and
/// no `<tbody>` when the table has no body rows. Other events pass through.
#[derive(Default)]
pub(crate) struct Tables {
    aligns: Vec<Alignment>,
    column: usize,
    in_head: bool,
    body_open: bool,
}

impl Tables {
    /// Returns the replacement for `ev`, or gives `ev` back untouched.
    pub(crate) fn rewrite<'a>(&mut self, ev: Event<'a>) -> Result<Event<'a>, Event<'a>> {
        let html = match &ev {
            Event::Start(Tag::Table(aligns)) => {
                self.aligns = aligns.clone();
                self.body_open = false;
                "<table>\n".to_string()
            }
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.column = 0;
                "<thead>\n<tr>\n".to_string()
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                "</tr>\n</thead>\n".to_string()
            }
            Event::Start(Tag::TableRow) => {
                self.column = 0;
                let open = if self.body_open { "" } else { "<tbody>\n" };
                self.body_open = true;
                format!("{open}<tr>\n")
            }
            Event::End(TagEnd::TableRow) => "</tr>\n".to_string(),
            Event::Start(Tag::TableCell) => {
                let tag = if self.in_head { "th" } else { "td" };
                let align = match self.aligns.get(self.column) {
                    Some(Alignment::Left) => " align=\"left\"",
                    Some(Alignment::Center) => " align=\"center\"",
                    Some(Alignment::Right) => " align=\"right\"",
                    _ => "",
                };
                format!("<{tag}{align}>")
            }
            Event::End(TagEnd::TableCell) => {
                self.column += 1;
                if self.in_head { "</th>\n" } else { "</td>\n" }.to_string()
            }
            Event::End(TagEnd::Table) => {
                let close = if self.body_open { "</tbody>\n" } else { "" };
                format!("{close}</table>\n")
            }
            _ => return Err(ev),
        };
        Ok(Event::Html(CowStr::from(html)))
    }
}

/// Gives task-list items GitHub's classes: `task-list-item` on the `<li>`
/// and `contains-task-list` on its list. Runs over the finished events.
pub(crate) fn mark_task_lists(events: &mut [Event]) {
    let mut lists: Vec<usize> = Vec::new();
    let mut item: Option<usize> = None;
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::List(_)) => lists.push(i),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => item = Some(i),
            Event::TaskListMarker(_) | Event::InlineHtml(_) if is_checkbox(&events[i]) => {
                if let Some(li) = item.take() {
                    events[li] = Event::Html(CowStr::Borrowed("<li class=\"task-list-item\">"));
                    // In a loose list GitHub puts the checkbox before the
                    // item's paragraph, not inside it.
                    if i == li + 2 && matches!(events[li + 1], Event::Start(Tag::Paragraph)) {
                        if let Event::InlineHtml(h) = &events[i] {
                            let checkbox = h.trim_end().to_string();
                            events[i] = Event::Start(Tag::Paragraph);
                            events[li + 1] = Event::Html(CowStr::from(checkbox));
                        }
                    }
                }
                if let Some(&list) = lists.last() {
                    if let Event::Start(Tag::List(start)) = &events[list] {
                        events[list] = Event::Html(CowStr::from(match start {
                            Some(1) => "<ol class=\"contains-task-list\">\n".to_string(),
                            Some(n) => format!("<ol class=\"contains-task-list\" start=\"{n}\">\n"),
                            None => "<ul class=\"contains-task-list\">\n".to_string(),
                        }));
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_checkbox(ev: &Event) -> bool {
    match ev {
        Event::TaskListMarker(_) => true,
        Event::InlineHtml(h) => h.starts_with("<input type=\"checkbox\""),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagfilter_escapes_only_the_listed_tags() {
        assert_eq!(
            &*tagfilter("<iframe src=x></iframe> <Script> <scripts> <b>"),
            "&lt;iframe src=x>&lt;/iframe> &lt;Script> <scripts> <b>"
        );
    }

    #[test]
    fn tagfilter_borrows_html_it_leaves_alone() {
        assert!(matches!(
            tagfilter("<img src=\"a.png\"> <b>x</b>"),
            CowStr::Borrowed(_)
        ));
    }

    #[test]
    fn tagfilter_is_safe_on_multibyte_text_after_a_tag() {
        assert_eq!(&*tagfilter("<span>Über</span><Ü"), "<span>Über</span><Ü");
    }

    #[test]
    fn emoji_shortcodes_use_github_names() {
        assert_eq!(
            emoji("Ship it :tada: :shipit: 10:30:00").as_deref(),
            Some("Ship it 🎉 :shipit: 10:30:00")
        );
        assert_eq!(emoji("no :such_emoji_name: here"), None);
    }
}
