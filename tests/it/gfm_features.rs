//! GitHub's additions to GFM as a reader of the built site sees them:
//! footnotes, alerts, emoji, autolinks, the tag filter, task lists, math,
//! mermaid, the title's id and case-insensitive fragments. (Conformance with
//! cmark-gfm is `gfm.rs`; the browser side is `gfm_browser.rs`.)

use crate::harness::*;

fn page(md: &str) -> (TestSite, Html) {
    let site = TestSite::new();
    site.file("site.toml", "title = \"T\"\n");
    site.file("content/p.md", md);
    site.build().ok();
    let doc = site.html("p/index.html");
    (site, doc)
}

fn count(doc: &Html, selector: &str) -> usize {
    doc.select(&Selector::parse(selector).unwrap()).count()
}

#[test]
fn footnotes_are_numbered_by_first_use_at_the_end_with_back_links() {
    let (_s, doc) = page(
        "# Notes\n\nFirst[^b], second[^a], again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n\
         [^unused]: Never cited.\n\n## Note\n\nA heading named like a note.\n\n## fn-note\n\n[^note]: x\n\nText[^note].\n",
    );
    assert_eq!(
        texts(&doc, ".content sup.footnote-ref a"),
        ["1", "2", "1", "3"]
    );
    assert_eq!(
        attrs(&doc, ".content sup.footnote-ref a", "href"),
        ["#fn:b", "#fn:a", "#fn:b", "#fn:note"]
    );
    // The section is last, in first-use order, without the unused note.
    let items = texts(&doc, ".content > section.footnotes:last-child ol > li");
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[0].starts_with("Note B.") && items[1].starts_with("Note A."));
    assert_eq!(
        attrs(
            &doc,
            "section.footnotes li[id='fn:b'] a.footnote-backref",
            "href"
        ),
        ["#fnref:b", "#fnref:b:2"]
    );
    assert_eq!(
        texts(&doc, "section.footnotes li[id='fn:a'] a.footnote-backref"),
        ["↩"]
    );
    // Every reference and back-link target exists, and no id repeats.
    let ids = attrs(&doc, "[id]", "id");
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    for href in attrs(&doc, ".content a[href^='#']", "href") {
        assert!(ids.contains(&href[1..].to_string()), "{href} has no target");
    }
    assert!(ids.contains(&"note".to_string()) && ids.contains(&"fn:note".to_string()));
}

#[test]
fn alerts_have_githubs_markup_a_title_and_an_icon() {
    let kinds = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];
    let md: String = kinds
        .iter()
        .map(|k| format!("> [!{k}]\n> Body of {k}.\n\n"))
        .collect();
    let (_s, doc) = page(&md);
    for k in kinds {
        let lower = k.to_lowercase();
        let title = format!("{}{}", &k[..1], &lower[1..]);
        let sel = format!(".content div.markdown-alert.markdown-alert-{lower}");
        assert_eq!(
            texts(&doc, &format!("{sel} > p.markdown-alert-title")),
            [title]
        );
        assert_eq!(
            count(
                &doc,
                &format!("{sel} > p.markdown-alert-title > svg[aria-hidden=true]")
            ),
            1
        );
        assert_eq!(
            texts(&doc, &format!("{sel} > p:not(.markdown-alert-title)")),
            [format!("Body of {k}.")]
        );
    }
    assert_eq!(count(&doc, ".content blockquote"), 0);
}

#[test]
fn an_alert_with_nothing_in_it_is_a_plain_quote_as_on_github() {
    let (_s, doc) = page("> [!note]\n\nAfter.\n\n> [!UNKNOWN]\n> x\n");
    assert_eq!(count(&doc, ".content .markdown-alert"), 0);
    assert_eq!(
        texts(&doc, ".content blockquote p"),
        ["[!note]", "[!UNKNOWN]\nx"]
    );
}

#[test]
fn emoji_shortcodes_become_emoji_outside_code() {
    let (_s, doc) = page(
        "Shipped :tada: :+1: not :nosuchemoji: at 10:30:45.\n\n`:tada:`\n\n```\n:tada:\n```\n",
    );
    assert_eq!(
        one_text(&doc, ".content p:first-child"),
        "Shipped 🎉 👍 not :nosuchemoji: at 10:30:45."
    );
    assert_eq!(one_text(&doc, ".content p code"), ":tada:");
    assert!(one_text(&doc, ".content pre").contains(":tada:"));
}

#[test]
fn bare_urls_and_emails_link_except_in_code_and_links() {
    let (_s, doc) = page(
        "Apply at www.example.com/jobs, https://example.com/a?b=1. or hr@example.com.\n\n\
         `https://in.code` and [https://in.link](https://example.com/x)\n",
    );
    assert_eq!(
        attrs(&doc, ".content p:first-child a", "href"),
        [
            "http://www.example.com/jobs",
            "https://example.com/a?b=1",
            "mailto:hr@example.com"
        ]
    );
    assert_eq!(
        attrs(&doc, ".content p:nth-child(2) a", "href"),
        ["https://example.com/x"]
    );
}

#[test]
fn the_tag_filter_shows_script_iframe_and_style_as_text() {
    let (s, doc) = page("<iframe src=\"https://example.com\"></iframe>\n\nHi <script>alert(1)</script> <b>bold</b>\n\n<style>p{}</style>\n");
    assert_eq!(
        count(&doc, ".content iframe, .content script, .content style"),
        0
    );
    assert_eq!(count(&doc, ".content b"), 1);
    let raw = s.read("public/p/index.html");
    assert!(raw.contains("&lt;script>alert(1)&lt;/script>"), "{raw}");
    // The filtered iframe's src is text, not a link to check.
    assert!(!s.build().stderr.contains("example.com"));
}

#[test]
fn task_lists_carry_githubs_classes() {
    let (_s, doc) = page("- [ ] todo\n- [x] done\n\n1. [x] first\n");
    assert_eq!(
        count(&doc, ".content ul.contains-task-list > li.task-list-item"),
        2
    );
    assert_eq!(
        count(&doc, ".content ol.contains-task-list > li.task-list-item"),
        1
    );
    assert_eq!(
        count(
            &doc,
            ".content li.task-list-item > input.task-list-item-checkbox[type=checkbox][disabled]"
        ),
        3
    );
    assert_eq!(
        attrs(&doc, ".content input[checked]", "aria-label"),
        ["Done", "Done"]
    );
}

#[test]
fn math_becomes_mathml_at_build_time_and_needs_no_script() {
    let (s, doc) =
        page("Inline $x^2 < y$ and $`a_b`$.\n\n$$\\sum_i i$$\n\n```math\n\\frac{1}{2}\n```\n");
    assert_eq!(count(&doc, ".content math[display=inline]"), 2);
    assert_eq!(count(&doc, ".content math[display=block]"), 2);
    assert_eq!(count(&doc, ".content math msup"), 1);
    assert_eq!(count(&doc, ".content math mfrac"), 1);
    assert_eq!(texts(&doc, ".content math annotation")[0], "x^2 < y");
    assert_eq!(
        count(
            &doc,
            "script[src*=mermaid], script[src*=katex], script[src*=mathjax]"
        ),
        0
    );
    let raw = s.read("public/p/index.html");
    assert!(!raw.contains("x^2 < y"), "math source is escaped");
}

#[test]
fn mermaid_loads_its_pinned_script_only_on_pages_with_a_diagram() {
    let site = TestSite::new();
    site.file("site.toml", "title = \"T\"\n");
    site.file("content/d.md", "```mermaid\ngraph TD\n  A --> B\n```\n");
    site.file("content/plain.md", "No diagram.\n");
    site.build().ok();
    let d = site.html("d/index.html");
    assert_eq!(one_text(&d, ".content pre.mermaid"), "graph TD\n  A --> B");
    let src = attrs(&d, "script[src*=mermaid]", "src");
    assert_eq!(
        src,
        ["https://cdn.jsdelivr.net/npm/mermaid@11.12.2/dist/mermaid.min.js"]
    );
    let sri = attrs(&d, "script[src*=mermaid]", "integrity");
    assert!(sri[0].starts_with("sha384-"), "{sri:?}");
    let plain = site.html("plain/index.html");
    assert_eq!(count(&plain, "script[src*=mermaid]"), 0);
    assert_eq!(
        count(&plain, "script:not([src])"),
        0,
        "no inline mermaid start-up"
    );
    // A self-hosted copy: the pinned hash does not apply to it.
    site.file(
        "site.toml",
        "title = \"T\"\n[markdown]\nmermaid_url = \"/js/mermaid.min.js\"\n",
    );
    site.build().ok();
    let d = site.html("d/index.html");
    assert_eq!(
        attrs(&d, "script[src*=mermaid]", "src"),
        ["/js/mermaid.min.js"]
    );
    assert_eq!(count(&d, "script[src*=mermaid][integrity]"), 0);
}

#[test]
fn the_title_heading_gets_the_id_github_gives_it() {
    let (_s, doc) = page(
        "# Über uns ⚙️\n\nText.\n\n## Über uns ⚙️\n\n## ![logo](https://example.com/l.png) Team <span>A</span>\n\n## :sparkles: Features\n",
    );
    assert_eq!(attrs(&doc, "article > h1", "id"), ["über-uns-\u{fe0f}"]);
    // Ids come from the text content: no alt text; shortcodes as written.
    assert_eq!(
        attrs(&doc, ".content h2", "id"),
        ["über-uns-\u{fe0f}-1", "-team-a", "sparkles-features"]
    );
}

#[test]
fn the_link_checker_accepts_fragments_that_match_only_in_lower_case() {
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"T\"\n[links]\ninternal = \"error\"\n",
    );
    site.file("content/faq.md", "# FAQ page\n\n## FAQ\n\nAnswers.\n");
    site.file(
        "content/a.md",
        "See [faq](faq.md#FAQ), [Faq](faq.md#Faq) and [here](#Intro).\n\n## Intro\n",
    );
    site.run(&["check"]).ok();
    site.file("content/b.md", "Broken: [x](faq.md#nope).\n");
    site.run(&["check"]).fails().stderr_has("#nope");
}

#[test]
fn latex_that_does_not_parse_is_a_warning_with_file_and_line() {
    let site = TestSite::new();
    site.file("site.toml", "title = \"T\"\n");
    site.file(
        "content/p.md",
        "---\ntitle: P\n---\nFine $x^2$.\n\nBroken $\\notacommand{x}$ here.\n",
    );
    let run = site.build();
    run.ok()
        .stderr_has("content/p.md:6:")
        .stderr_has("warning: math does not parse")
        .stderr_has("hint:");
    assert_eq!(count(&site.html("p/index.html"), ".content math"), 2);
}
