//! GitHub's markdown features in a real browser (headless Chromium): alert
//! titles, footnote jumps and back-links, `#faq` and `#FAQ` both landing on
//! `## FAQ`, math shown as MathML, a mermaid block drawn as an SVG (mermaid
//! served locally from the npm test package: no internet in tests), a page
//! with neither loading no extra script, and axe-core clean on a page with
//! every alert kind in light and dark.

use std::time::Duration;

use serde_json::json;

use crate::browser::{Browser, LIGHT_AND_DARK};
use crate::harness::*;
use crate::theme::axe_source;
use crate::tools;

const KINDS: [(&str, &str); 5] = [
    ("note", "Note"),
    ("tip", "Tip"),
    ("important", "Important"),
    ("warning", "Warning"),
    ("caution", "Caution"),
];

/// The test site, with mermaid's script from the npm test package (never
/// committed) served locally; `None` after a visible skip without it.
fn site() -> Option<TestSite> {
    let Some(mermaid) = tools::node_module("tests/browser", "mermaid/dist/mermaid.min.js") else {
        tools::skip("mermaid is not installed; run `npm ci --prefix tests/browser` (.ci/run does)");
        return None;
    };
    let mermaid = std::fs::read(&mermaid).expect("read mermaid.min.js");
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"GFM\"\n[markdown]\nmermaid_url = \"/vendor/mermaid.min.js\"\n",
    );
    site.bytes("content/vendor/mermaid.min.js", &mermaid);
    let filler: String = (1..40)
        .map(|i| format!("Paragraph {i} of filler text, so that jumps have to scroll.\n\n"))
        .collect();
    let alerts: String = KINDS
        .iter()
        .map(|(_, t)| {
            format!(
                "> [!{}]\n> Something to know about {t}.\n\n",
                t.to_uppercase()
            )
        })
        .collect();
    site.file(
        "content/features.md",
        &format!(
            "# Features\n\nJump to [the FAQ](#faq) or [the FAQ again](#FAQ). A claim[^src].\n\n\
             Inline math $E = mc^2$ here.\n\n{alerts}{filler}## FAQ\n\nAnswers.\n\n{filler}\
             [^src]: The source of the claim.\n"
        ),
    );
    site.file(
        "content/diagram.md",
        "# Diagram\n\n```mermaid\ngraph TD\n  A[Apply] --> B[Interview]\n```\n",
    );
    site.file(
        "content/plain.md",
        "# Plain\n\nNo math, no diagrams: `$5` costs $5.\n",
    );
    Some(site)
}

/// Distance of `selector`'s top from the top of the viewport.
fn top(b: &Browser, selector: &str) -> f64 {
    b.execute(
        "return document.querySelector(arguments[0]).getBoundingClientRect().top;",
        &[json!(selector)],
    )
    .as_f64()
    .expect("a number")
}

/// The note is at the end of the page: it cannot reach the top.
fn wait_in_view(b: &Browser, what: &str, selector: &str) {
    b.wait_until(
        what,
        &format!(
            "const r = document.querySelector({selector:?}).getBoundingClientRect(); return window.scrollY > 0 && r.top >= 0 && r.bottom <= innerHeight;"
        ),
        Duration::from_secs(5),
    );
}

fn wait_on_top(b: &Browser, what: &str, selector: &str) {
    b.wait_until(
        what,
        &format!(
            "const r = document.querySelector({selector:?}).getBoundingClientRect(); return r.top > -2 && r.top < 80;"
        ),
        Duration::from_secs(5),
    );
}

#[test]
fn alerts_footnotes_fragments_math_and_diagrams_work_in_a_browser() {
    let Some(site) = site() else { return };
    let s = site.serve();
    let base = s.url.trim_end_matches('/').to_string();
    let Some(b) = Browser::start() else { return };
    b.navigate(&format!("{base}/features/"));
    for (kind, title) in KINDS {
        let shown = b.execute(
            "const t = document.querySelector(arguments[0]); return t && t.offsetHeight > 0 ? t.textContent : null;",
            &[json!(format!(".markdown-alert-{kind} .markdown-alert-title"))],
        );
        assert_eq!(shown, json!(title), "{kind} alert title");
    }
    // A footnote reference jumps to the note, and ↩ jumps back.
    b.click("sup.footnote-ref a");
    wait_in_view(&b, "the footnote in view", "li[id='fn:src']");
    b.click(".footnote-backref");
    wait_on_top(&b, "the reference at the top", "[id='fnref:src']");
    // #faq and #FAQ both land on ## FAQ (the build writes #FAQ as the
    // heading's id, as GitHub's page script forgives its case).
    let hrefs = b.execute(
        "return [...document.querySelectorAll('.content p > a')].slice(0, 2).map(a => a.getAttribute('href'));",
        &[],
    );
    assert_eq!(
        hrefs,
        json!(["#faq", "#faq"]),
        "both FAQ links point at the id"
    );
    for link in [
        ".content p > a:nth-of-type(1)",
        ".content p > a:nth-of-type(2)",
    ] {
        b.execute(
            "window.scrollTo(0, 0); history.replaceState(null, '', ' ');",
            &[],
        );
        assert!(top(&b, "#faq") > 200.0, "FAQ starts below the fold");
        b.click(link);
        wait_on_top(&b, &format!("{link} to land on ## FAQ"), "#faq");
    }
    // Math is MathML with a size (the browser lays it out).
    let math = b.execute(
        "const m = document.querySelector('.content math'); return m ? m.getBoundingClientRect().width : 0;",
        &[],
    );
    assert!(math.as_f64().unwrap_or(0.0) > 10.0, "math shown: {math}");
    // The features page has no diagram, so no mermaid.
    let scripts = "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /mermaid/.test(n)).length;";
    assert_eq!(b.execute(scripts, &[]), json!(0));

    b.navigate(&format!("{base}/diagram/"));
    b.wait_until(
        "mermaid to draw the diagram",
        "return !!document.querySelector('pre.mermaid svg');",
        Duration::from_secs(30),
    );

    b.navigate(&format!("{base}/plain/"));
    let extra = b.execute(
        "return [...document.scripts].map(s => s.src).filter(s => s && !s.endsWith('/handbook.js') && !s.endsWith('/search.js') && !s.includes('livereload') && !s.includes('__handbook'))\
         .concat(document.querySelectorAll('math, pre.mermaid').length ? ['math or mermaid markup'] : []);",
        &[],
    );
    assert_eq!(extra, json!([]), "plain page loads nothing extra");
    assert_eq!(b.execute(scripts, &[]), json!(0));
}

#[test]
fn axe_finds_no_violations_on_every_alert_kind_in_light_and_dark() {
    let Some(site) = site() else { return };
    let s = site.serve();
    let Some(b) = Browser::start() else { return };
    let Some(axe) = axe_source() else { return };
    b.assert_axe_clean(&axe, &s.url, &["/features/"], &LIGHT_AND_DARK);
}
