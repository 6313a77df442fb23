//! Property tests: thousands of generated inputs (seeded, so failures
//! reproduce) for front matter, slugs, heading ids, link rewriting and
//! markdown rendering. No panics; slugs are stable and URL-safe; a rewritten
//! relative link never leaves the site.

use handbook::content::frontmatter;
use handbook::content::slug::{encode_path, slugify};
use handbook::markdown::anchors::github_id;
use handbook::markdown::links::{normalize, Resolution, Resolver};

/// xorshift64*: small, deterministic, good enough to explore inputs.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A string biased towards characters that break parsers.
    fn tricky(&mut self, max_len: usize) -> String {
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
        let len = self.below(max_len + 1);
        (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }
}

const ROUNDS: usize = 4_000;

#[test]
fn front_matter_split_and_parse_never_panic() {
    let mut g = Gen(0x5eed_0001);
    for _ in 0..ROUNDS {
        let fence = ["+++", "---", ""][g.below(3)];
        let text = format!("{fence}\n{}\n{fence}\n{}", g.tricky(12), g.tricky(8));
        if let Ok(split) = frontmatter::split(&text) {
            assert!(
                text.ends_with(split.body),
                "body must be a suffix: {text:?}"
            );
            let _ = frontmatter::parse(&split);
        }
    }
}

#[test]
fn slugs_are_url_safe_stable_and_idempotent() {
    let mut g = Gen(0x5eed_0002);
    for _ in 0..ROUNDS {
        let name = g.tricky(10);
        let slug = slugify(&name);
        assert!(!slug.is_empty(), "{name:?}");
        assert_eq!(slug, slugify(&name), "stable");
        assert_eq!(slugify(&slug), slug, "idempotent for {name:?}");
        assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
        assert!(
            slug.chars().all(|c| c == '-' || c.is_alphanumeric()),
            "only letters, digits and dashes: {slug:?} from {name:?}"
        );
        assert!(!slug.chars().any(|c| c.is_ascii_uppercase()));
        let encoded = encode_path(&slug);
        assert!(encoded.is_ascii());
        assert!(!encoded.contains(['/', '?', '#', ' ', '"', '<', '>', '\\']));
    }
}

#[test]
fn heading_ids_never_contain_whitespace_or_markup() {
    let mut g = Gen(0x5eed_0003);
    for _ in 0..ROUNDS {
        let id = github_id(&g.tricky(10));
        assert!(!id.chars().any(char::is_whitespace), "{id:?}");
        assert!(
            !id.contains(['<', '>', '"', '\'', '&', '#', '/', '?']),
            "{id:?}"
        );
    }
}

#[test]
fn normalized_paths_never_climb_out() {
    let mut g = Gen(0x5eed_0004);
    for _ in 0..ROUNDS {
        let path = g.tricky(10);
        if let Some(n) = normalize(&path) {
            assert!(
                !n.split('/').any(|s| s == ".." || s == "."),
                "{path:?} → {n:?}"
            );
            assert!(!n.starts_with('/'));
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
    let (mut site, _, _) = handbook::build::load(dir.path(), &Default::default()).unwrap();
    let mut g = Gen(0x5eed_0005);
    {
        let resolver = Resolver::new(&site);
        for _ in 0..ROUNDS {
            let dest = g.tricky(8);
            if let Resolution::Internal { href, .. } = resolver.resolve("a/b.md", None, &dest) {
                assert!(
                    href.starts_with("/hb/") || href.starts_with('#'),
                    "{dest:?} → {href:?}"
                );
                let path = href.split(['#', '?']).next().unwrap();
                assert!(!path.split('/').any(|s| s == ".."), "{dest:?} → {href:?}");
            }
        }
    }
    // Random markdown bodies render without panicking.
    for _ in 0..500 {
        site.pages[0].markdown = g.tricky(40);
        handbook::build::render_markdown(&site);
    }
}
