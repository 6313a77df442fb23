//! The default theme in a real browser (headless Chromium): axe-core finds
//! no accessibility violations on the home page, a role page, the ladder and
//! a long page, in light and dark; search works from the keyboard; table of
//! contents links jump to their headings; pages fit a 320 px screen.

use std::time::Duration;

use serde_json::json;

use crate::browser::{Browser, ARROW_DOWN, ENTER, LIGHT_AND_DARK};
use crate::harness::*;

/// The repository's example handbook, copied into a temp dir.
pub(crate) fn example_site() -> TestSite {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = TestSite::new();
    for entry in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(repo)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            site.bytes(&rel, &std::fs::read(entry.path()).unwrap());
        }
    }
    site.bytes("site.toml", &std::fs::read(repo.join("site.toml")).unwrap());
    site
}

/// axe-core's script, or `None` (after a visible skip line) when the npm
/// package is not installed.
pub(crate) fn axe_source() -> Option<String> {
    let found = crate::tools::node_module("tests/browser", "axe-core/axe.min.js")
        .and_then(|p| std::fs::read_to_string(p).ok());
    if found.is_none() {
        crate::tools::skip(
            "axe-core is not installed; run `npm ci --prefix tests/browser` (.ci/run does)",
        );
    }
    found
}

const PAGES: [&str; 5] = [
    "/",
    "/roles/engineering/senior-software-engineer/",
    "/careers/ladder/",
    "/careers/salaries/",
    "/culture/onboarding/",
];

#[test]
fn axe_finds_no_violations_on_key_pages_in_light_and_dark() {
    let site = example_site();
    let Some(axe) = axe_source() else { return };
    let s = site.serve();
    let Some(b) = Browser::start() else { return };
    b.assert_axe_clean(&axe, &s.url, &PAGES, &LIGHT_AND_DARK);
}

#[test]
fn search_finds_a_role_by_a_word_in_its_body_from_the_keyboard() {
    let site = example_site();
    let s = site.serve();
    let Some(b) = Browser::start() else { return };
    b.navigate(&s.url);
    // The index is not loaded with the page.
    let fetched = "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/search/manifest.json'));";
    assert_eq!(b.execute(fetched, &[]), json!(false));
    b.keys("/");
    b.wait_until(
        "the search box to take focus",
        "return document.activeElement && document.activeElement.id === 'search-input';",
        Duration::from_secs(5),
    );
    b.keys("gatekeeping");
    b.wait_until(
        "a result for the role",
        "return [...document.querySelectorAll('#search-results a')].some(a => a.textContent.startsWith('Senior Software Engineer'));",
        Duration::from_secs(10),
    );
    assert_eq!(b.execute(fetched, &[]), json!(true));
    b.keys(&ARROW_DOWN.to_string());
    assert_eq!(
        b.execute(
            "return document.querySelector('#search-results a[aria-selected=true]').textContent;",
            &[]
        )
        .as_str()
        .map(|t| t.starts_with("Senior Software Engineer")),
        Some(true)
    );
    b.keys(&ENTER.to_string());
    b.wait_until(
        "Enter to open the role",
        "return location.pathname === '/roles/engineering/senior-software-engineer/';",
        Duration::from_secs(10),
    );
}

#[test]
fn table_of_contents_links_jump_to_their_headings() {
    let site = example_site();
    let s = site.serve();
    let Some(b) = Browser::start() else { return };
    b.window_size(1280, 700);
    b.navigate(&format!("{}culture/onboarding/", s.url));
    let links = b.execute(
        "return [...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href'));",
        &[],
    );
    let links: Vec<String> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(links.len() >= 3, "{links:?}");
    let last = links.last().unwrap().clone();
    b.click(&format!("nav.toc a[href=\"{last}\"]"));
    b.wait_until(
        "the URL to carry the fragment",
        &format!("return location.hash === '{last}';"),
        Duration::from_secs(5),
    );
    // The heading is on screen and not hidden under the sticky header.
    let pos = b.execute(
        &format!(
            "const h = document.getElementById('{}').getBoundingClientRect();\
             const header = document.querySelector('.site-header').getBoundingClientRect();\
             return [h.top, header.bottom, window.innerHeight];",
            &last[1..]
        ),
        &[],
    );
    let (top, header_bottom, height) = (
        pos[0].as_f64().unwrap(),
        pos[1].as_f64().unwrap(),
        pos[2].as_f64().unwrap(),
    );
    assert!(window_scrolled(&b), "the page scrolled");
    assert!(
        top >= header_bottom - 1.0 && top < height / 2.0,
        "heading at {top}, header ends at {header_bottom}"
    );
}

fn window_scrolled(b: &Browser) -> bool {
    b.execute("return window.scrollY > 0;", &[]) == json!(true)
}

#[test]
fn pages_fit_a_320_pixel_screen() {
    let site = example_site();
    let s = site.serve();
    let Some(b) = Browser::start() else { return };
    b.window_size(320, 800);
    for page in PAGES.iter().chain(&["/careers/salaries/"]) {
        b.navigate(&format!("{}{}", s.url.trim_end_matches('/'), page));
        let widths = b.execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            &[],
        );
        let (scroll, inner) = (widths[0].as_f64().unwrap(), widths[1].as_f64().unwrap());
        assert!(
            scroll <= inner + 1.0,
            "{page}: content is {scroll}px wide on a {inner}px screen"
        );
    }
}

#[test]
fn on_large_sites_the_shared_sidebar_loads_and_opens_the_current_branch() {
    let site = large_site();
    let s = site.serve();
    let Some(b) = Browser::start() else { return };
    b.navigate(&format!("{}section-3/page-07/", s.url));
    b.wait_until(
        "the shared sidebar to load",
        "return document.querySelectorAll('.nav-remote a').length === 7;",
        Duration::from_secs(10),
    );
    let active = b.execute("return [...document.querySelectorAll('.nav-remote li.active > a')].map(a => a.textContent);", &[]);
    assert_eq!(active, json!(["Section 3"]));
}
