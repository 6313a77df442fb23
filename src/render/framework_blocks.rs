//! The career framework's repeated HTML, built once per build and shared
//! by every page that shows it: a competency's block at a level (on the
//! level page of every track that has the competency), its line in the
//! role-page block, its change from one level to the next (step pages),
//! and its row of the track matrix.
//!
//! What a level expects in a competency is the same in every track, so
//! rendering it through the page templates repeated the same work for
//! each track and page, and tera's per-item variable lookups were most of
//! a framework page's cost (BENCHMARKS.md, "Career framework"). The page
//! templates place these blocks area by area. Markdown arrives as the
//! inline-safe HTML `careers::framework` rendered; every other value from
//! content (ids, names, the markdown kept for the self-review, level
//! names) is escaped here. Nothing here decides what a level expects (the
//! framework's queries do) or renders a page.

use crate::careers::framework::{ChangeKind, Competency, Framework};
use crate::escape::{escape_attr, escape_html};

/// Every shared block, indexed by competency (`Framework::competencies`)
/// and level (`careers.levels`); an empty string where there is nothing
/// to show.
pub(crate) struct Blocks {
    /// `[competency][level]`: the level page's block (self-review target).
    expectation: Vec<Vec<String>>,
    /// `[competency][level]`: `<dt>`/`<dd>` for the role-page block.
    role: Vec<Vec<String>>,
    /// `[competency][from]`: the step page's block for `from` to `from + 1`.
    change: Vec<Vec<String>>,
    /// `[competency]`: the track matrix's row.
    row: Vec<String>,
}

impl Blocks {
    /// `level_names` are the names of `careers.levels`, lowest first.
    pub(crate) fn new(fw: &Framework, level_names: &[&str]) -> Blocks {
        let levels = 0..level_names.len();
        let comps = &fw.competencies;
        Blocks {
            expectation: comps
                .iter()
                .map(|c| {
                    levels
                        .clone()
                        .map(|l| expectation(c, l, level_names))
                        .collect()
                })
                .collect(),
            role: comps
                .iter()
                .map(|c| levels.clone().map(|l| role_line(c, l)).collect())
                .collect(),
            change: comps
                .iter()
                .map(|c| {
                    (0..level_names.len().saturating_sub(1))
                        .map(|from| change(c, from, level_names))
                        .collect()
                })
                .collect(),
            row: comps.iter().map(matrix_row).collect(),
        }
    }

    pub(crate) fn expectation(&self, competency: usize, level: usize) -> &str {
        &self.expectation[competency][level]
    }

    pub(crate) fn role_line(&self, competency: usize, level: usize) -> &str {
        &self.role[competency][level]
    }

    pub(crate) fn change(&self, competency: usize, from: usize) -> &str {
        &self.change[competency][from]
    }

    pub(crate) fn row(&self, competency: usize) -> &str {
        &self.row[competency]
    }
}

/// The level page's block: what `level` expects, the markdown the
/// self-review exports (`data-text`), since when it holds, and examples.
fn expectation(c: &Competency, level: usize, level_names: &[&str]) -> String {
    let Some(at) = c.at(level) else {
        return String::new();
    };
    let mut html = format!(
        "\n    <div class=\"fw-expectation\" id=\"c-{}\" data-text=\"{}\">\n      <h3>{}</h3>\n      \
         <div class=\"fw-text\">{}</div>",
        escape_attr(&c.id),
        escape_attr(&at.text.markdown),
        escape_html(&c.name),
        at.text.html
    );
    if at.since != level {
        html += &format!(
            "\n      <p class=\"muted\">Unchanged since {}.</p>",
            escape_html(level_names[at.since])
        );
    }
    let examples: Vec<&str> = c.examples_at(level).map(|e| e.text.html.as_str()).collect();
    if !examples.is_empty() {
        html += "\n      <details class=\"fw-examples\"><summary>Examples</summary><ul>";
        for e in examples {
            html += &format!("<li>{e}</li>");
        }
        html += "</ul></details>";
    }
    html += "\n    </div>";
    html
}

/// The role-page block's line: the competency and what `level` expects.
fn role_line(c: &Competency, level: usize) -> String {
    c.at(level).map_or_else(String::new, |at| {
        format!("<dt>{}</dt><dd>{}</dd>", escape_html(&c.name), at.text.html)
    })
}

/// The step page's block: a new or rewritten expectation, before and after.
fn change(c: &Competency, from: usize, level_names: &[&str]) -> String {
    let Some(change) = c.change(from, from + 1) else {
        return String::new();
    };
    let (kind, label) = match change.kind {
        ChangeKind::New => ("new", "New"),
        ChangeKind::Changed => ("changed", "Changed"),
    };
    let before = change.before.map_or_else(String::new, |b| {
        format!(
            "\n      <div class=\"fw-before\"><p class=\"fw-label\">At {}</p>{}</div>",
            escape_html(level_names[from]),
            b.html
        )
    });
    format!(
        "\n    <div class=\"fw-change fw-{kind}\" id=\"c-{}\">\n      <h3>{} <span class=\"badge fw-badge\">{label}</span></h3>{before}\n      \
         <div class=\"fw-after\"><p class=\"fw-label\">At {}</p>{}</div>\n    </div>",
        escape_attr(&c.id),
        escape_html(&c.name),
        escape_html(level_names[from + 1]),
        change.after.html
    )
}

/// The matrix row: one cell per level, the text written for that level or
/// a dash (read out as "as at the level below").
fn matrix_row(c: &Competency) -> String {
    let mut html = format!(
        "\n        <tr><th scope=\"row\" id=\"c-{}\">{}</th>",
        escape_attr(&c.id),
        escape_html(&c.name)
    );
    for cell in &c.levels {
        match cell {
            Some(text) => html += &format!("<td>{}</td>", text.html),
            None => {
                html += "<td><span class=\"empty\" aria-hidden=\"true\">—</span>\
                             <span class=\"visually-hidden\">As at the level below</span></td>";
            }
        }
    }
    html += "</tr>";
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::careers::framework::{Area, Text};

    fn text(s: &str) -> Option<Text> {
        Some(Text {
            markdown: s.to_string(),
            html: format!("<p>{s}</p>"),
        })
    }

    fn framework() -> Framework {
        Framework {
            areas: vec![Area {
                id: "craft".into(),
                name: "Craft".into(),
                description: None,
            }],
            competencies: vec![Competency {
                id: "q\"a".into(),
                area: 0,
                tracks: vec![0],
                name: "Tests & <review>".into(),
                description: None,
                levels: vec![text("Writes 'tests'."), None, text("Sets the standard.")],
                examples: Vec::new(),
            }],
        }
    }

    #[test]
    fn content_is_escaped_where_it_lands() {
        let b = Blocks::new(&framework(), &["Junior", "Mid <2>", "Senior"]);
        let block = b.expectation(0, 1);
        assert!(block.contains("id=\"c-q&quot;a\""), "{block}");
        assert!(
            block.contains("data-text=\"Writes &#39;tests&#39;.\""),
            "{block}"
        );
        assert!(
            block.contains("<h3>Tests &amp; &lt;review&gt;</h3>"),
            "{block}"
        );
        assert!(block.contains("Unchanged since Junior."), "{block}");
        assert_eq!(
            b.role_line(0, 0),
            "<dt>Tests &amp; &lt;review&gt;</dt><dd><p>Writes 'tests'.</p></dd>"
        );
        assert!(b.change(0, 1).contains("At Mid &lt;2&gt;</p><p>Writes"));
        assert!(b.row(0).contains("<td><p>Sets the standard.</p></td>"));
    }

    #[test]
    fn nothing_new_means_no_change_block() {
        let b = Blocks::new(&framework(), &["Junior", "Mid", "Senior"]);
        assert_eq!(b.change(0, 0), "", "mid repeats junior");
        assert!(b.change(0, 1).contains("fw-change fw-changed"));
        assert!(!b.expectation(0, 0).contains("Unchanged since"));
    }
}
