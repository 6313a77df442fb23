//! The values templates see. Each is a serializable view built from the site
//! model, so a renamed field breaks compilation here rather than a theme.
//! The README's "Template context" section documents these fields. Also
//! `one_h1`: where a body meets its page, its level-one headings become
//! `<h2>` under the page's title.

use serde::Serialize;

use crate::careers::{Role, Workplace};
use crate::config::{Organization, RoleExpectations};
use crate::markdown::TocEntry;

#[derive(Serialize, Clone)]
pub(crate) struct SiteView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    /// `base_url` as configured (absolute, or `/` when unknown).
    pub(crate) base_url: &'a str,
    /// The path part of `base_url`, always ending in `/`: prefix for links.
    pub(crate) base_path: &'a str,
    pub(crate) language: &'a str,
    pub(crate) organization: &'a Organization,
    pub(crate) extra: &'a serde_json::Value,
    /// Links to the generated careers pages; empty when the site has no roles.
    pub(crate) careers: Vec<LinkView>,
    /// URL of the Atom feed of open roles, when the site has roles.
    pub(crate) open_roles_feed_url: Option<String>,
    /// URL of the search index (fetched by the theme on first use).
    pub(crate) search_index_url: String,
    /// URL of the code highlighting stylesheet, when any page has code.
    pub(crate) highlight_css_url: Option<String>,
    /// True in `handbook serve`.
    pub(crate) serve: bool,
    pub(crate) generator: &'static str,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct LinkView {
    pub(crate) title: String,
    pub(crate) url: String,
}

#[derive(Serialize)]
pub(crate) struct MetaView {
    /// Full `<title>` text.
    pub(crate) title: String,
    pub(crate) description: String,
    /// Absolute URL of this page (path-absolute when no base_url is set).
    pub(crate) canonical: String,
    /// `website` for the home page, `article` otherwise.
    pub(crate) og_type: &'static str,
    /// Absolute URL of the page's social card (or the site's).
    pub(crate) og_image: Option<String>,
    /// Pixel size of `og_image`, when known (generated cards: 1200×630).
    pub(crate) og_image_width: Option<u32>,
    pub(crate) og_image_height: Option<u32>,
    pub(crate) og_image_alt: Option<String>,
    /// MIME type of `og_image`, when known.
    pub(crate) og_image_type: Option<&'static str>,
    /// `summary_large_image` with a card, `summary` with a small image.
    pub(crate) twitter_card: &'static str,
    /// JSON-LD, already safe to place inside `<script type="application/ld+json">`.
    pub(crate) jsonld: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub(crate) title: &'a str,
    /// The title with its inline markup, when it came from a `#` heading
    /// that has some (safe to output as is); else `None`: escape `title`.
    pub(crate) title_html: Option<&'a str>,
    pub(crate) description: Option<&'a str>,
    pub(crate) url: String,
    pub(crate) permalink: String,
    /// The body's HTML, its level-one headings made `<h2>` (the title is the
    /// page's one `<h1>`).
    pub(crate) content: std::borrow::Cow<'a, str>,
    pub(crate) toc: std::borrow::Cow<'a, [TocEntry]>,
    pub(crate) date: Option<String>,
    pub(crate) updated: Option<String>,
    /// From `updated`, else git history, else the file's modification time.
    pub(crate) last_updated: Option<String>,
    pub(crate) extra: &'a serde_json::Value,
    /// Path of the source file relative to the content folder.
    pub(crate) source_path: &'a str,
    pub(crate) edit_url: Option<String>,
    pub(crate) prev: Option<LinkView>,
    pub(crate) next: Option<LinkView>,
    pub(crate) role: Option<RoleView>,
    /// Role pages on a site with a career framework: what the level expects.
    pub(crate) framework: Option<&'a RoleFrameworkView>,
    pub(crate) word_count: usize,
    /// Number of headings (the theme shows a table of contents from 3).
    pub(crate) heading_count: usize,
    /// The page links to three or more of its own headings: it has a table
    /// of contents of its own, so the theme leaves its generated one out.
    pub(crate) own_toc: bool,
    /// The title's id when the title is the body's `# heading` (GitHub's id).
    pub(crate) title_id: Option<&'a str>,
}

/// mermaid's script, for pages with a diagram (`mermaid` in the context).
#[derive(Serialize)]
pub(crate) struct MermaidView<'a> {
    pub(crate) url: &'a str,
    pub(crate) integrity: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    pub(crate) title: &'a str,
    /// As `PageView::title_html`, from the index page.
    pub(crate) title_html: Option<&'a str>,
    pub(crate) description: Option<&'a str>,
    pub(crate) url: String,
    pub(crate) permalink: String,
    /// The index page's HTML (README.md, index.md or _index.md), or empty;
    /// its level-one headings made `<h2>` (the title is the page's one `<h1>`).
    pub(crate) content: std::borrow::Cow<'a, str>,
    pub(crate) toc: std::borrow::Cow<'a, [TocEntry]>,
    pub(crate) pages: Vec<PageSummary>,
    pub(crate) subsections: Vec<SectionSummary>,
    pub(crate) extra: &'a serde_json::Value,
    pub(crate) edit_url: Option<String>,
    pub(crate) last_updated: Option<String>,
    /// Inline SVG of the bands of the roles in this section (a track's
    /// folder), or empty.
    pub(crate) salary_chart: String,
    /// The title's id when the index page's `# heading` is the title.
    pub(crate) title_id: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct PageSummary {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) description: Option<String>,
    pub(crate) role: Option<RoleView>,
}

#[derive(Serialize)]
pub(crate) struct SectionSummary {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) description: Option<String>,
    pub(crate) page_count: usize,
}

#[derive(Serialize, Clone)]
pub(crate) struct NavItem {
    pub(crate) title: String,
    pub(crate) url: String,
    /// On the path to the current page.
    pub(crate) active: bool,
    /// The current page itself.
    pub(crate) current: bool,
    pub(crate) children: Vec<NavItem>,
    /// Entries of this section the sidebar leaves out: pages past
    /// `NAV_SECTION_LIMIT`, or in the compact sidebar of a large site the
    /// sub-sections outside its window.
    pub(crate) more: usize,
}

impl NavItem {
    /// A link with no children, not on the current branch.
    pub(crate) fn leaf(title: impl Into<String>, url: String) -> NavItem {
        NavItem {
            title: title.into(),
            url,
            active: false,
            current: false,
            children: Vec::new(),
            more: 0,
        }
    }
}

pub(crate) use crate::config::IdName;

#[derive(Serialize, Clone)]
pub(crate) struct SalaryView {
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) currency: String,
    pub(crate) period: &'static str,
    /// Formatted for the site language: "£75,000 – £95,000 per year".
    pub(crate) text: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct OpeningView {
    pub(crate) locations: Vec<String>,
    pub(crate) country: String,
    pub(crate) workplace: &'static str,
    pub(crate) employment_type: &'static str,
    pub(crate) opens: String,
    pub(crate) closes: Option<String>,
    pub(crate) apply_url: Option<String>,
}

#[derive(Serialize, Clone)]
pub(crate) struct RoleView {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) track: IdName,
    pub(crate) level: IdName,
    /// 0-based position of the level on the ladder.
    pub(crate) rank: usize,
    pub(crate) salary: Option<SalaryView>,
    pub(crate) reports_to: Option<String>,
    pub(crate) also_known_as: Vec<String>,
    pub(crate) opening: Option<OpeningView>,
    pub(crate) is_open: bool,
    /// Had an opening that has closed.
    pub(crate) closed: bool,
    pub(crate) prev_level: Option<LinkView>,
    pub(crate) next_level: Option<LinkView>,
}

pub(crate) fn workplace_label(w: Workplace) -> &'static str {
    match w {
        Workplace::Onsite => "On-site",
        Workplace::Hybrid => "Hybrid",
        Workplace::Remote => "Remote",
    }
}

pub(crate) fn period_label(role: &Role) -> &'static str {
    role.salary.as_ref().map_or("", |s| match s.period {
        crate::careers::Period::Year => "per year",
        crate::careers::Period::Month => "per month",
        crate::careers::Period::Week => "per week",
        crate::careers::Period::Day => "per day",
        crate::careers::Period::Hour => "per hour",
    })
}

/// Formats an amount of money for a language: `£75,000` (en),
/// `75.000 €` (de), `75 000 €` (fr). Amounts with pence keep two decimals.
pub(crate) fn format_money(amount: f64, currency: &str, language: &str) -> String {
    let lang = language
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    let (group, decimal, symbol_first) = match lang.as_str() {
        "de" | "nl" | "es" | "it" | "pt" | "da" | "id" | "tr" => (".", ",", false),
        "fr" | "sv" | "nb" | "no" | "fi" | "pl" | "cs" | "sk" | "ru" | "uk" | "hu" => {
            ("\u{202f}", ",", false)
        }
        _ => (",", ".", true),
    };
    let symbol = match currency {
        "GBP" => "£",
        "EUR" => "€",
        "USD" => "$",
        "JPY" => "¥",
        "INR" => "₹",
        other => other,
    };
    let cents = (amount * 100.0).round() as i64;
    let whole = cents / 100;
    let frac = cents % 100;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    if frac != 0 {
        grouped.push_str(&format!("{decimal}{frac:02}"));
    }
    let is_code = symbol.len() == 3 && symbol.chars().all(|c| c.is_ascii_uppercase());
    if symbol_first && !is_code {
        format!("{symbol}{grouped}")
    } else {
        format!("{grouped}\u{a0}{symbol}")
    }
}

/// The framework part of a role page (`page.framework`).
#[derive(Serialize, Clone)]
pub(crate) struct RoleFrameworkView {
    /// `folded`, `full` or `link` (`careers.role_expectations`).
    pub(crate) mode: RoleExpectations,
    pub(crate) level_url: String,
    pub(crate) to_next_url: Option<String>,
    pub(crate) next_level: Option<String>,
    /// `partials/role_expectations.html`, rendered once per track and level
    /// (it is the same on every role page that shares them); empty when
    /// the track has no competencies.
    pub(crate) html: String,
}

/// Body HTML with its level-one headings made `<h2>`: the theme gives the
/// page's title the one `<h1>` a page should have. Markdown rendering stays
/// exactly GitHub's; this happens where the body meets the page.
pub(crate) fn one_h1(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains("<h1") && !html.contains("</h1>") {
        return std::borrow::Cow::Borrowed(html);
    }
    std::borrow::Cow::Owned(
        html.replace("<h1>", "<h2>")
            .replace("<h1 ", "<h2 ")
            .replace("</h1>", "</h2>"),
    )
}

#[cfg(test)]
mod tests {
    use super::{format_money, one_h1};

    #[test]
    fn body_h1s_become_h2() {
        assert_eq!(
            one_h1(r#"<h1 id="a">A</h1><p>x</p><h1>B</h1>"#),
            r#"<h2 id="a">A</h2><p>x</p><h2>B</h2>"#
        );
        assert!(matches!(
            one_h1("<h2>x</h2>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn money_follows_the_site_language() {
        assert_eq!(format_money(75000.0, "GBP", "en-GB"), "£75,000");
        assert_eq!(format_money(17.5, "GBP", "en"), "£17.50");
        assert_eq!(format_money(62000.0, "EUR", "de"), "62.000\u{a0}€");
        assert_eq!(
            format_money(62000.0, "EUR", "fr-FR"),
            "62\u{202f}000\u{a0}€"
        );
        assert_eq!(format_money(900.0, "CHF", "en"), "900\u{a0}CHF");
    }
}
