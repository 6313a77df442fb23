//! Leftovers of other site generators in pages: template tags that will
//! show as text, and the summary of front matter keys only they read.
//!
//! Mapping the keys that change what readers see (`permalink`,
//! `redirect_from`, `nav_order`, ...) is `frontmatter`'s and `read_page`'s
//! job; this module only finds and counts what is left.

use std::collections::BTreeMap;

use super::page::Page;
use crate::diagnostic::{Code, Diagnostic};

/// The first Liquid or Nunjucks tag (`{% ... %}`, `{{ ... }}`) outside code
/// blocks and code spans: its 1-based body line and the tag as written.
pub(crate) fn template_tag(body: &str) -> Option<(usize, String)> {
    let mut fence: Option<String> = None;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        let marker: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
        if let Some(f) = &fence {
            if marker.len() >= f.len() && marker.starts_with(&f[..1]) {
                fence = None;
            }
            continue;
        }
        if marker.len() >= 3 {
            fence = Some(marker);
            continue;
        }
        if line.starts_with("    ") || line.starts_with('\t') {
            continue;
        }
        let text = strip_code_spans(line);
        for (open, close) in [("{%", "%}"), ("{{", "}}")] {
            if let Some(a) = text.find(open) {
                if let Some(b) = text[a + 2..].find(close) {
                    let tag = &text[a..a + 2 + b + 2];
                    return Some((i + 1, tag.to_string()));
                }
            }
        }
    }
    None
}

/// The warning for a page's first template tag, if it has one.
pub(crate) fn template_tag_warning(
    display: &std::path::Path,
    split: &super::frontmatter::Split,
) -> Option<Diagnostic> {
    let (line, tag) = template_tag(split.body)?;
    Some(
        Diagnostic::warning(Code::TemplateTag,
            display,
            format!("template tag `{tag}` will show as text: handbook does not run Liquid or Nunjucks"),
        )
        .at_line(Some(line + split.body_line_offset))
        .hint("replace it with the text or link it stands for (only the first tag in each file is reported)"),
    )
}

/// A line with its `code spans` blanked out.
fn strip_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(a) = rest.find('`') {
        let ticks = rest[a..].chars().take_while(|&c| c == '`').count();
        let run = "`".repeat(ticks);
        out.push_str(&rest[..a]);
        match rest[a + ticks..].find(&run) {
            Some(b) => rest = &rest[a + ticks + b + ticks..],
            None => {
                out.push_str(&rest[a..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Front matter keys only other generators read, counted over every page,
/// most used first.
pub(crate) fn ignored_key_counts(pages: &[Page]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in pages {
        for (k, _) in &p.ignored_keys {
            *counts.entry(k.as_str()).or_default() += 1;
        }
    }
    let mut v: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The one-line summary of `ignored_key_counts`, if there is anything.
pub(crate) fn ignored_keys_summary(pages: &[Page]) -> Option<String> {
    let counts = ignored_key_counts(pages);
    if counts.is_empty() {
        return None;
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let shown: Vec<String> = counts
        .iter()
        .take(8)
        .map(|(k, n)| format!("{k} ×{n}"))
        .collect();
    let more = if counts.len() > 8 { ", …" } else { "" };
    Some(format!(
        "Ignored {total} front matter {} used by other generators: {}{more}; --verbose lists them",
        if total == 1 { "key" } else { "keys" },
        shown.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_tags_outside_code_are_found_with_their_line() {
        assert_eq!(
            template_tag("# T\n\nHi {{ site.title }} there\n"),
            Some((3, "{{ site.title }}".into()))
        );
        assert_eq!(
            template_tag("a\n{% include note.html %}\n"),
            Some((2, "{% include note.html %}".into()))
        );
        assert_eq!(template_tag("```\n{{ x }}\n```\nand `{% raw %}`\n"), None);
        assert_eq!(template_tag("    {{ indented code }}\n"), None);
        assert_eq!(template_tag("a { b } c {{ unclosed\n"), None);
    }
}
