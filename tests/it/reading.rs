//! Reading real pages: tables never break a word (at 320 px and 1280 px, in
//! headless Chromium), the table of contents (h2–h3, collapsible, a right
//! column on wide screens, left out where the page has its own), one `<h1>`.

use serde_json::json;

use crate::browser::Browser;
use crate::harness::*;
use crate::theme::example_site;

/// The example handbook plus a page with a wide table of long words.
fn site_with_wide_table() -> TestSite {
    let site = example_site();
    let row = "| Engineering | Responsibilities | Accountabilities | Internationalisation | Telecommunications | Interdisciplinary |\n";
    site.file(
        "content/culture/matrix.md",
        &format!(
            "# Matrix\n\n| Department | Expectations | Collaboration | Documentation | Responsibilities | Troubleshooting |\n|---|---|---|---|---|---|\n{}",
            row.repeat(4)
        ),
    );
    site
}

/// Words (split at spaces and hyphens) that a table cell breaks across
/// lines, or that are wider than their cell's box.
const BROKEN_WORDS: &str = r#"
const out = [];
for (const cell of document.querySelectorAll('main td, main th')) {
  const box = cell.getBoundingClientRect();
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const re = /[^\s\-\u2013\u2014\/]+/g;
    let m;
    while ((m = re.exec(node.data))) {
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
      const w = r.getBoundingClientRect().width;
      if (lines.size > 1) out.push('broken: ' + m[0]);
      else if (w > box.width + 0.5) out.push('wider than its cell: ' + m[0]);
    }
  }
}
return out;
"#;

#[test]
fn no_table_cell_breaks_a_word_at_320_and_1280_pixels() {
    let site = site_with_wide_table();
    let s = site.serve();
    let Some(b) = Browser::start() else { return };
    for width in [320, 1280] {
        b.window_size(width, 900);
        for page in ["/careers/salaries/", "/careers/ladder/", "/culture/matrix/"] {
            b.navigate(&format!("{}{}", s.url.trim_end_matches('/'), page));
            let cells = b.execute("return document.querySelectorAll('main td').length;", &[]);
            assert!(cells.as_u64().unwrap() > 3, "{page}: no table");
            let broken = b.execute(BROKEN_WORDS, &[]);
            assert_eq!(broken, json!([]), "{page} at {width} px");
            // The page itself never scrolls sideways: the table does, in its box.
            let fits = b.execute(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1;",
                &[],
            );
            assert_eq!(
                fits,
                json!(true),
                "{page} at {width} px is wider than the screen"
            );
        }
    }
}

#[test]
fn the_table_of_contents_sits_right_of_the_text_on_wide_screens_and_above_it_on_narrow() {
    let site = example_site();
    let s = site.serve();
    let Some(b) = Browser::start() else { return };
    let page = format!("{}culture/how-we-hire/", s.url);
    let geometry = "const t = document.querySelector('.toc').getBoundingClientRect(); \
                    const c = document.querySelector('.page > .content').getBoundingClientRect(); \
                    return [t.left >= c.right, t.bottom <= c.top + 1];";
    b.window_size(1280, 900);
    b.navigate(&page);
    assert_eq!(
        b.execute(geometry, &[]),
        json!([true, false]),
        "1280 px: right column"
    );
    b.window_size(320, 900);
    b.navigate(&page);
    assert_eq!(
        b.execute(geometry, &[]),
        json!([false, true]),
        "320 px: above the text"
    );
    // Collapsible: the summary closes it.
    b.click(".toc summary");
    let open = b.execute("return document.querySelector('.toc details').open;", &[]);
    assert_eq!(open, json!(false));
}

#[test]
fn the_table_of_contents_lists_h2_and_h3_and_is_left_out_beside_an_authors_own() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file(
            "deep.md",
            "# Deep\n\n## One\n\n### One A\n\n#### One A i\n\n## Two\n\n## Three\n",
        )
        .file(
            "own.md",
            "# Own\n\n- [One](#one)\n- [Two](#two)\n- [Three](#three)\n\n## One\n\n## Two\n\n## Three\n",
        );
    site.build().ok();
    let deep = site.html("deep/index.html");
    assert_eq!(
        texts(&deep, ".toc li > a"),
        ["One", "One A", "Two", "Three"]
    );
    assert_eq!(texts(&deep, ".toc summary"), ["On this page"]);
    let own = site.html("own/index.html");
    assert!(
        texts(&own, ".toc").is_empty(),
        "the page has its own contents"
    );
}

#[test]
fn every_page_has_one_h1_even_when_front_matter_and_body_both_title_it() {
    let site = example_site();
    site.build().ok();
    for page in [
        "index.html",
        "culture/index.html",
        "culture/how-we-hire/index.html",
    ] {
        let doc = site.html(page);
        assert_eq!(
            texts(&doc, "h1").len(),
            1,
            "{page}: {:?}",
            texts(&doc, "h1")
        );
    }
    let other = TestSite::new();
    other.file("README.md", "# Handbook\n").file(
        "a.md",
        "---\ntitle: Short\n---\n# A longer title\n\nText.\n\n# Second part\n",
    );
    other.build().ok();
    // The front matter title is the <h1>; the body's own become h2.
    let doc = other.html("a/index.html");
    assert_eq!(texts(&doc, "h1"), ["Short"]);
    assert_eq!(one_text(&doc, "title"), "Short · Handbook");
    assert_eq!(
        texts(&doc, ".content h2"),
        ["A longer title#", "Second part#"]
    );
}
