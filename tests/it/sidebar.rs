//! The compact sidebar of large sites (over 500 pages): what a page carries
//! for readers without JavaScript stays bounded however many sibling
//! sections the site has, keeps the branch to the page open, and links to
//! the section page that lists what it leaves out.

use crate::harness::*;
use scraper::{Html, Selector};

/// A site over the inline-sidebar limit: `guides/` with `teams`
/// sub-sections of five pages each, and an `archive/` section of 450 pages
/// so that even the smallest variant is a large site.
fn site_with_teams(teams: usize) -> TestSite {
    let site = TestSite::new();
    site.file("site.toml", "base_url = \"/\"\n");
    site.file("content/guides/_index.md", "# Guides\n");
    for t in 0..teams {
        site.file(
            &format!("content/guides/team-{t:03}/_index.md"),
            &format!("# Team {t:03}\n"),
        );
        for p in 0..5 {
            site.file(
                &format!("content/guides/team-{t:03}/page-{p}.md"),
                &format!("# Team {t:03} page {p}\n\nText.\n"),
            );
        }
    }
    site.file("content/archive/_index.md", "# Archive\n");
    for p in 0..450 {
        site.file(
            &format!("content/archive/old-{p:03}.md"),
            &format!("# Old {p:03}\n\nText.\n"),
        );
    }
    site
}

/// The sidebar a page carries (inside the box the script fills).
fn sidebar(page: &Html) -> String {
    let sel = Selector::parse(".sidebar .nav-remote").unwrap();
    let boxes: Vec<_> = page.select(&sel).collect();
    assert_eq!(boxes.len(), 1, "one compact sidebar");
    boxes[0].inner_html()
}

#[test]
fn compact_sidebar_shows_a_window_of_sibling_sections_and_a_more_link() {
    let site = site_with_teams(120);
    site.build().ok();
    let page = site.html("guides/team-060/page-2/index.html");
    // Top level: Home and both sections; Guides open.
    assert_eq!(
        texts(&page, ".nav-remote > ul > li > a:not(.nav-more)"),
        ["Home", "Archive", "Guides"]
    );
    // Ten of the 120 teams, in order, the open one near the middle.
    let teams: Vec<String> = (55..65).map(|t| format!("Team {t:03}")).collect();
    assert_eq!(
        texts(&page, ".nav-remote > ul > li.active > ul > li > a"),
        teams
    );
    // The branch down to the page is open and the page is marked.
    assert_eq!(
        texts(&page, ".nav-remote li.active > a:not(.nav-more)"),
        ["Guides", "Team 060", "Team 060 page 2"]
    );
    assert_eq!(
        attrs(&page, ".nav-remote a[aria-current=page]", "href"),
        ["/guides/team-060/page-2/"]
    );
    // The other 110 are one link away, on the section page that lists them.
    assert_eq!(
        texts(&page, ".nav-remote a.nav-more"),
        ["110 more in Guides →"]
    );
    assert_eq!(attrs(&page, ".nav-remote a.nav-more", "href"), ["/guides/"]);
    let guides = site.html("guides/index.html");
    assert_eq!(texts(&guides, ".cards li > a").len(), 120);
    // The section page itself: its own teams windowed from the start.
    let first: Vec<String> = (0..10).map(|t| format!("Team {t:03}")).collect();
    assert_eq!(
        texts(&guides, ".nav-remote > ul > li.active > ul > li > a"),
        first
    );
    assert_eq!(
        attrs(&guides, ".nav-remote a[aria-current=page]", "href"),
        ["/guides/"]
    );
    // A team near the end: the window stops at the last team.
    let last = site.html("guides/team-119/index.html");
    let end: Vec<String> = (110..120).map(|t| format!("Team {t:03}")).collect();
    assert_eq!(
        texts(&last, ".nav-remote > ul > li.active > ul > li > a"),
        end
    );
    // With JavaScript the full sidebar still lists every team.
    let nav = Html::parse_fragment(&site.read("public/_nav.html"));
    assert_eq!(
        attrs(&nav, "a", "href")
            .iter()
            .filter(|h| h.starts_with("/guides/team-"))
            .count(),
        120
    );
}

#[test]
fn a_pages_size_does_not_grow_with_the_number_of_sibling_sections() {
    let sizes: Vec<(usize, usize)> = [12, 40, 160]
        .into_iter()
        .map(|teams| {
            let site = site_with_teams(teams);
            site.build().ok();
            let html = site.read("public/guides/team-006/page-1/index.html");
            let links = texts(&Html::parse_document(&html), ".nav-remote a").len();
            (html.len(), links)
        })
        .collect();
    // Home, 2 sections, 10 teams, the page, "more": the same for every size.
    assert!(sizes.iter().all(|&(_, links)| links == 15), "{sizes:?}");
    // Only the digits of "N more in Guides" differ.
    let (min, max) = (
        sizes.iter().map(|s| s.0).min().unwrap(),
        sizes.iter().map(|s| s.0).max().unwrap(),
    );
    assert!(max - min <= 2, "page sizes {sizes:?}");
}

#[test]
fn many_top_level_sections_are_windowed_with_a_link_home() {
    let site = TestSite::new();
    site.file("site.toml", "base_url = \"/\"\n");
    for s in 0..30 {
        site.file(
            &format!("content/area-{s:02}/_index.md"),
            &format!("# Area {s:02}\n"),
        );
        for p in 0..18 {
            site.file(
                &format!("content/area-{s:02}/page-{p:02}.md"),
                &format!("# Area {s:02} page {p:02}\n\nText.\n"),
            );
        }
    }
    site.build().ok();
    let page = site.html("area-29/page-03/index.html");
    let mut top = vec!["Home".to_string()];
    top.extend((5..30).map(|s| format!("Area {s:02}")));
    top.push("5 more sections".into());
    assert_eq!(texts(&page, ".nav-remote > ul > li > a"), top);
    assert_eq!(
        attrs(&page, ".nav-remote > ul > li:last-child > a", "href"),
        ["/"]
    );
    // The home page lists every area.
    assert_eq!(texts(&site.html("index.html"), ".cards li > a").len(), 30);
    assert!(sidebar(&page).contains("aria-current=\"page\""));
}
