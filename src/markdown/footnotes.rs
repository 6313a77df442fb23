//! Footnotes as GitHub renders them: references become numbered
//! superscripts (numbered by first use, not by where the note is written),
//! the notes move to a `<section class="footnotes">` at the end of the page
//! with `↩` links back to every reference, and notes nobody refers to are
//! dropped. The markup is cmark-gfm's, except the ids: `fn:label` and
//! `fnref:label` (`fnref:label:2` for a second reference). A `:` never
//! survives GitHub's heading-id rules, so a `[^note]` and a `## Note` cannot
//! get the same id (cmark-gfm's `fn-note` could collide with `## fn-note`).
//!
//! Pure: collects events while the page renders and writes the section at
//! the end. It does not parse markdown; pulldown-cmark finds the notes.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, TagEnd};

use crate::escape::escape_attr;

#[derive(Default)]
pub(crate) struct Footnotes<'a> {
    /// Labels (normalised) in order of first reference.
    order: Vec<String>,
    /// How many times each label has been referenced.
    refs: HashMap<String, usize>,
    defs: HashMap<String, Vec<Event<'a>>>,
    /// The definition being collected.
    current: Option<(String, Vec<Event<'a>>)>,
}

/// Labels match case-insensitively, with runs of whitespace as one space.
fn key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The label as it appears in ids and fragments.
fn id(key: &str) -> String {
    escape_attr(&key.replace(' ', "-"))
}

impl<'a> Footnotes<'a> {
    /// The markup of a reference to `label`.
    pub(crate) fn reference(&mut self, label: &str) -> String {
        let k = key(label);
        let count = self.refs.entry(k.clone()).or_insert(0);
        *count += 1;
        let nth = *count;
        if nth == 1 {
            self.order.push(k.clone());
        }
        let number = self.order.iter().position(|o| *o == k).unwrap_or(0) + 1;
        let id = id(&k);
        let ref_id = if nth == 1 {
            format!("fnref:{id}")
        } else {
            format!("fnref:{id}:{nth}")
        };
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn:{id}\" id=\"{ref_id}\" data-footnote-ref>{number}</a></sup>"
        )
    }

    /// Starts collecting the definition of `label`.
    pub(crate) fn start(&mut self, label: &str) {
        self.current = Some((key(label), Vec::new()));
    }

    pub(crate) fn collecting(&self) -> bool {
        self.current.is_some()
    }

    /// Takes `ev` if a definition is being collected; gives it back if not.
    pub(crate) fn capture(&mut self, ev: Event<'a>) -> Option<Event<'a>> {
        let Some((_, events)) = &mut self.current else {
            return Some(ev);
        };
        if matches!(ev, Event::End(TagEnd::FootnoteDefinition)) {
            if let Some((k, events)) = self.current.take() {
                self.defs.entry(k).or_insert(events);
            }
        } else {
            events.push(ev);
        }
        None
    }

    /// The footnotes section (empty when no note is referenced).
    pub(crate) fn section(mut self, render: impl Fn(Vec<Event<'a>>) -> String) -> String {
        let mut out = String::new();
        for k in &self.order {
            let Some(mut events) = self.defs.remove(k) else {
                continue;
            };
            let id = id(k);
            let backrefs = (1..=self.refs[k])
                .map(|n| match n {
                    1 => format!(
                        "<a href=\"#fnref:{id}\" class=\"footnote-backref\" data-footnote-backref aria-label=\"Back to content\">↩</a>"
                    ),
                    n => format!(
                        "<a href=\"#fnref:{id}:{n}\" class=\"footnote-backref\" data-footnote-backref aria-label=\"Back to content\">↩<sup class=\"footnote-ref\">{n}</sup></a>"
                    ),
                })
                .collect::<Vec<_>>()
                .join(" ");
            if matches!(events.last(), Some(Event::End(TagEnd::Paragraph))) {
                let end = events.len() - 1;
                events.insert(end, Event::InlineHtml(CowStr::from(format!(" {backrefs}"))));
            } else {
                events.push(Event::Html(CowStr::from(format!("{backrefs}\n"))));
            }
            out.push_str(&format!("<li id=\"fn:{id}\">\n{}</li>\n", render(events)));
        }
        if out.is_empty() {
            return out;
        }
        format!("<section class=\"footnotes\" data-footnotes>\n<ol>\n{out}</ol>\n</section>\n")
    }
}
