//! Property tests: generated inputs (proptest strategies, so a failure
//! shrinks to a minimal case and a regression seed is kept) for front
//! matter, slugs, heading ids, link rewriting and markdown rendering. No
//! panics; slugs are stable and URL-safe; a rewritten relative link never
//! leaves the site.

use std::cell::RefCell;

use handbook::content::frontmatter;
use handbook::content::slug::{encode_path, slugify};
use handbook::markdown::anchors::github_id;
use handbook::markdown::links::{normalize, Resolution, Resolver};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Pieces of text biased towards what breaks parsers.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    " ",
    "-",
    "_",
    ".",
    "..",
    "/",
    "\\",
    "#",
    "?",
    "%",
    "%2e",
    "%2F",
    "%00",
    "+++",
    "---",
    "\n",
    "\r\n",
    "\t",
    "\"",
    "'",
    "=",
    ":",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "&",
    "é",
    "Ü",
    "ß",
    "日本",
    "🚀",
    "\u{200b}",
    "\u{feff}",
    "İ",
    "ǅ",
    "://",
    "javascript:",
    "mailto:",
    "`",
    "*",
    "~",
    "|",
    "!",
    "(",
    ")",
    "\u{0}",
    "title = \"x\"",
    "- ",
    "> ",
    "# ",
];

/// A string of up to `max_len` tricky pieces. Shrinks by dropping pieces
/// and by moving each towards the start of the list (`a`).
fn tricky(max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..=max_len).prop_map(|v| v.concat())
}

/// Cases per property: enough to hit every piece in many positions, few
/// enough that the suite stays quick on two cores.
const CASES: u32 = 2_000;

fn config() -> Config {
    Config {
        cases: CASES,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn front_matter_split_and_parse_never_panic(
        fence in prop::sample::select(&["+++", "---", ""][..]),
        front in tricky(12),
        body in tricky(8),
    ) {
        let text = format!("{fence}\n{front}\n{fence}\n{body}");
        let path = std::path::Path::new("a.md");
        if let Ok(split) = frontmatter::split(&text, path) {
            prop_assert!(text.ends_with(split.body), "body must be a suffix: {:?}", text);
            let _ = frontmatter::parse(&split, path);
        }
    }

    #[test]
    fn slugs_are_url_safe_stable_and_idempotent(name in tricky(10)) {
        let slug = slugify(&name);
        prop_assert!(!slug.is_empty(), "{:?}", name);
        prop_assert_eq!(&slug, &slugify(&name), "stable");
        prop_assert_eq!(&slugify(&slug), &slug, "idempotent for {:?}", name);
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{:?}", slug);
        prop_assert!(
            slug.chars().all(|c| c == '-' || c.is_alphanumeric()),
            "only letters, digits and dashes: {:?} from {:?}", slug, name
        );
        prop_assert!(!slug.chars().any(|c| c.is_ascii_uppercase()));
        let encoded = encode_path(&slug);
        prop_assert!(encoded.is_ascii());
        prop_assert!(!encoded.contains(['/', '?', '#', ' ', '"', '<', '>', '\\']));
    }

    #[test]
    fn heading_ids_never_contain_whitespace_or_markup(text in tricky(10)) {
        let id = github_id(&text);
        prop_assert!(!id.chars().any(char::is_whitespace), "{:?}", id);
        prop_assert!(!id.contains(['<', '>', '"', '\'', '&', '#', '/', '?']), "{:?}", id);
    }

    #[test]
    fn normalized_paths_never_climb_out(path in tricky(10)) {
        if let Some(n) = normalize(&path) {
            prop_assert!(!n.split('/').any(|s| s == ".." || s == "."), "{:?} → {:?}", path, n);
            prop_assert!(!n.starts_with('/'));
        }
    }
}

#[test]
fn rewritten_links_stay_inside_the_site_and_rendering_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "base_url = \"https://acme.example/hb/\"\n",
    )
    .unwrap();
    for (p, body) in [
        ("content/_index.md", "# Home\n"),
        ("content/a/b.md", "# B\n\n## Part\n"),
        ("content/a/img.png", "png"),
    ] {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    let (site, _, _) = handbook::build::load(dir.path(), &Default::default()).unwrap();
    // One site for every case: loading it is the slow part.
    let mut runner = TestRunner::new(config());
    runner
        .run(&tricky(8), |dest| {
            let resolver = Resolver::new(&site);
            if let Resolution::Internal { href, .. } = resolver.resolve("a/b.md", None, &dest) {
                prop_assert!(
                    href.starts_with("/hb/") || href.starts_with('#'),
                    "{:?} → {:?}",
                    dest,
                    href
                );
                let path = href.split(['#', '?']).next().unwrap();
                prop_assert!(
                    !path.split('/').any(|s| s == ".."),
                    "{:?} → {:?}",
                    dest,
                    href
                );
            }
            Ok(())
        })
        .unwrap();
    // Random markdown bodies render without panicking.
    let site = RefCell::new(site);
    let mut runner = TestRunner::new(Config {
        cases: 500,
        ..config()
    });
    runner
        .run(&tricky(40), |markdown| {
            let mut site = site.borrow_mut();
            site.pages[0].set_markdown(&markdown);
            handbook::build::render_markdown(&site);
            Ok(())
        })
        .unwrap();
}
