//! Search in a real browser (headless Chromium) on a site published under
//! a base path (`/hb/`), served as static files like GitHub Pages would:
//! stemming, ranking, prefixes, diacritics, heading anchors, excerpts,
//! role filters, and that nothing of the index loads before search is
//! used. Plus the files themselves and the list of pages for visitors
//! without JavaScript.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use crate::browser::{Browser, ARROW_DOWN, ENTER};
use crate::harness::*;

fn config() -> String {
    careers_config(
        r#"
title = "Acme Handbook"
base_url = "https://acme.github.io/hb/"
language = "en""#,
        "default_currency = \"GBP\"\ncountry = \"GB\"\napply_url = \"https://acme.example/apply\"\nrequire_salary = false",
        &[("mid", "Mid-level"), ("senior", "Senior")],
    )
}

const OPEN: &str = "[role.opening]\nlocations = [\"London\"]\nworkplace = \"hybrid\"\nopens = 2020-01-01\ncloses = 2099-03-31\n";
const REMOTE: &str = "[role.opening]\nlocations = []\nworkplace = \"remote\"\nopens = 2020-01-01\n";
const CLOSED: &str = "[role.opening]\nlocations = [\"Leeds\"]\nworkplace = \"onsite\"\nopens = 2020-01-01\ncloses = 2020-06-30\n";

fn role(title: &str, track: &str, level: &str, opening: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\n[role]\ntrack = \"{track}\"\nlevel = \"{level}\"\n{opening}+++\n\nWhat the {title} does all day.\n"
    )
}

fn site() -> TestSite {
    let site = TestSite::new();
    site.file("site.toml", &config())
        .file("content/_index.md", "# Acme\n\nWelcome to the handbook.\n")
        .file(
            "content/people/recruitment.md",
            "# Recruitment\n\nWe hire people carefully and slowly.\n\n## Parental leave\n\nParental leave is twenty-six weeks, paid in full.\n",
        )
        .file(
            "content/people/onboarding.md",
            "# Onboarding\n\nYour first weeks with us.\n",
        )
        .file(
            "content/people/benefits.md",
            "# Benefits\n\nPension, laptops, and a budget for books. See onboarding for the first day.\n",
        )
        .file(
            "content/people/cafe.md",
            "# Kitchen\n\nThe Café on the third floor serves lunch. Write `<img src=x onerror=alert(1)>` and nothing happens.\n",
        )
        .file("content/roles/senior-backend.md", &role("Senior Backend Engineer", "engineering", "senior", OPEN))
        .file("content/roles/backend.md", &role("Backend Engineer", "engineering", "mid", REMOTE))
        .file("content/roles/senior-platform.md", &role("Senior Platform Engineer", "engineering", "senior", CLOSED))
        .file("content/roles/senior-designer.md", &role("Senior Designer", "design", "senior", OPEN));
    site
}

/// Serves `dir` under `prefix` over HTTP (GET only), like a static host.
fn static_server(dir: PathBuf, prefix: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}{prefix}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let mut header = String::new();
                while reader
                    .read_line(&mut header)
                    .map(|n| n > 2)
                    .unwrap_or(false)
                {
                    header.clear();
                }
                let path = line
                    .split(' ')
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/");
                let file = path
                    .strip_prefix(prefix)
                    .filter(|p| !p.split('/').any(|s| s == ".."))
                    .map(|p| dir.join(p))
                    .map(|f| if f.is_dir() { f.join("index.html") } else { f });
                let response = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
                    Some((f, body)) => {
                        let kind = match f.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript",
                            Some("css") => "text/css",
                            Some("json") => "application/json",
                            _ => "application/octet-stream",
                        };
                        let mut r = format!("HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
                        r.extend(body);
                        r
                    }
                    None => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                };
                let _ = (&stream).write_all(&response);
            });
        }
    });
    url
}

/// The site built and served under /hb/, and a browser on its home page;
/// `None` where browser tests are skipped (see `Browser::start`).
fn open() -> Option<(TestSite, Browser, String)> {
    let b = Browser::start()?;
    let site = site();
    site.build().ok();
    let url = static_server(site.path("public"), "/hb/");
    b.navigate(&url);
    Some((site, b, url))
}

fn search_files_fetched(b: &Browser) -> Value {
    b.execute(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.startsWith('/hb/search/'));",
        &[],
    )
}

/// Types `query` into the search box (focused with `/`) and waits for the
/// results to settle; returns [title, href, excerpt HTML] per result.
fn query(b: &Browser, query: &str) -> Vec<(String, String, String)> {
    b.execute("document.activeElement.blur(); const i = document.getElementById('search-input'); if (i) { i.value = ''; }", &[]);
    b.keys("/");
    b.keys(query);
    b.wait_until(
        &format!("results for {query:?}"),
        "const s = document.getElementById('search-status'); return !!s && /result/.test(s.textContent) && !document.querySelector('#search-panel[hidden]');",
        Duration::from_secs(10),
    );
    std::thread::sleep(Duration::from_millis(150));
    let got = b.execute(
        "return [...document.querySelectorAll('#search-results a[role=option]')].map(a => [a.querySelector('.search-title').textContent, a.getAttribute('href'), (a.querySelector('small') || {innerHTML: ''}).innerHTML]);",
        &[],
    );
    let out = got
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                r[1].as_str().unwrap().to_string(),
                r[2].as_str().unwrap().to_string(),
            )
        })
        .collect();
    b.keys("\u{E00C}"); // Escape clears the box
    out
}

fn titles(results: &[(String, String, String)]) -> Vec<&str> {
    results.iter().map(|r| r.0.as_str()).collect()
}

#[test]
fn queries_are_stemmed_ranked_prefixed_and_folded_under_a_base_path() {
    let Some((_site, b, _url)) = open() else {
        return;
    };
    // Nothing of the index loads with the page.
    assert_eq!(search_files_fetched(&b), json!([]));

    // Stemming: "hiring" finds the page that only says "hire", with the
    // matched word marked in the excerpt.
    let hiring = query(&b, "hiring");
    assert_eq!(titles(&hiring), ["Recruitment"]);
    assert!(hiring[0].2.contains("<mark>hire</mark>"), "{}", hiring[0].2);
    assert_eq!(hiring[0].1, "/hb/people/recruitment/");

    // Ranking: the page titled "Onboarding" above the page that mentions it.
    assert_eq!(titles(&query(&b, "onboarding")), ["Onboarding", "Benefits"]);

    // Prefix while typing.
    assert_eq!(titles(&query(&b, "onboa")), ["Onboarding", "Benefits"]);

    // Diacritics either way round.
    assert_eq!(titles(&query(&b, "cafe")), ["Kitchen"]);
    b.execute("document.getElementById('search-input').value = '';", &[]);
    assert_eq!(titles(&query(&b, "CAFÉ")), ["Kitchen"]);

    // The best-matching heading's anchor.
    let leave = query(&b, "parental");
    assert_eq!(leave[0].1, "/hb/people/recruitment/#parental-leave");

    // Content in excerpts is text, never markup.
    let code = query(&b, "onerror");
    assert!(code[0].2.contains("&lt;img"), "{}", code[0].2);
    assert_eq!(
        b.execute(
            "return document.querySelectorAll('#search-results img').length;",
            &[]
        ),
        json!(0)
    );

    // Only the manifest, chunks and result cards were fetched.
    let fetched = search_files_fetched(&b);
    let fetched: Vec<&str> = fetched
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(fetched.contains(&"/hb/search/manifest.json"), "{fetched:?}");
    assert!(
        fetched.iter().all(|p| p == &"/hb/search/manifest.json"
            || p.starts_with("/hb/search/t/")
            || p.starts_with("/hb/search/p/")),
        "{fetched:?}"
    );
}

#[test]
fn keyboard_selects_a_result_and_enter_opens_it() {
    let Some((_site, b, _url)) = open() else {
        return;
    };
    b.keys("/");
    b.keys("pension");
    b.wait_until(
        "a result",
        "return !!document.querySelector('#search-results a[role=option]');",
        Duration::from_secs(10),
    );
    assert_eq!(
        b.execute(
            "return document.getElementById('search-status').textContent;",
            &[]
        ),
        json!("1 result")
    );
    b.keys(&ARROW_DOWN.to_string());
    assert_eq!(
        b.execute(
            "return document.getElementById('search-input').getAttribute('aria-activedescendant');",
            &[]
        ),
        json!("search-result-0")
    );
    b.keys(&ENTER.to_string());
    b.wait_until(
        "Enter to open the page",
        "return location.pathname === '/hb/people/benefits/';",
        Duration::from_secs(10),
    );
}

fn set_filters(b: &Browser, prefix: &str, filters: &[(&str, &str)]) {
    for (facet, label) in filters {
        let done = b.execute(
            "const s = document.getElementById(arguments[0]); const o = [...s.options].find(o => o.text === arguments[1]); \
             if (!o) return false; s.value = o.value; s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
            &[json!(format!("{prefix}{facet}")), json!(label)],
        );
        assert_eq!(done, json!(true), "{facet} = {label}");
    }
}

#[test]
fn role_filters_in_the_search_panel_and_on_the_roles_page() {
    let Some((_site, b, url)) = open() else {
        return;
    };
    b.keys("/");
    b.wait_until(
        "the filters",
        "return !!document.getElementById('search-filter-track');",
        Duration::from_secs(10),
    );
    set_filters(
        &b,
        "search-filter-",
        &[
            ("track", "Engineering"),
            ("level", "Senior"),
            ("open", "Open now"),
        ],
    );
    b.wait_until(
        "filtered roles",
        "return document.getElementById('search-status').textContent === '1 result';",
        Duration::from_secs(10),
    );
    let shown = b.execute("return [...document.querySelectorAll('#search-results a[role=option] .search-title')].map(e => e.textContent);", &[]);
    assert_eq!(shown, json!(["Senior Backend Engineer"]));
    // A query narrows the filtered roles further; filters narrow a query.
    b.keys("engineer");
    b.wait_until(
        "filtered query",
        "return [...document.querySelectorAll('#search-results a[role=option] .search-title')].map(e => e.textContent).join() === 'Senior Backend Engineer';",
        Duration::from_secs(10),
    );

    b.navigate(&format!("{url}careers/roles/"));
    b.wait_until(
        "the roles page filters",
        "return !!document.getElementById('role-filter-track');",
        Duration::from_secs(10),
    );
    set_filters(
        &b,
        "role-filter-",
        &[
            ("track", "Engineering"),
            ("level", "Senior"),
            ("open", "Open now"),
        ],
    );
    let visible = b.execute(
        "return [...document.querySelectorAll('article.careers ul.cards > li')].filter(li => !li.hidden && li.offsetParent).map(li => li.querySelector('a').textContent);",
        &[],
    );
    assert_eq!(visible, json!(["Senior Backend Engineer"]));
    assert_eq!(
        b.execute(
            "return document.querySelector('.role-filter-count').textContent;",
            &[]
        ),
        json!("1 of 4 roles")
    );
}

#[test]
fn the_browser_stemmer_agrees_with_the_indexer() {
    let Some((_site, b, _url)) = open() else {
        return;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut words: std::collections::BTreeSet<String> = [
        "hiring",
        "hire",
        "generously",
        "communication",
        "arsenal",
        "skies",
        "dying",
        "news",
        "inning",
        "proceed",
        "cries",
        "ties",
        "gaps",
        "gas",
        "hoping",
        "controlling",
        "fitted",
        "traditional",
        "organization",
        "sensibility",
        "hopeful",
        "goodness",
        "electrical",
        "adjustment",
        "activate",
        "bowdlerize",
        "yay",
        "ayyy",
        "happy",
        "agreed",
        "feed",
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect();
    for entry in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path())
                .unwrap()
                .to_lowercase();
            words.extend(
                text.split(|c: char| !c.is_ascii_lowercase())
                    .filter(|w| w.len() > 2)
                    .map(String::from),
            );
        }
    }
    let words: Vec<String> = words.into_iter().collect();
    assert!(words.len() > 500, "{} words", words.len());
    let js = b.execute(
        "return arguments[0].map(w => window.handbookSearch.stem(w));",
        &[json!(words)],
    );
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let differ: Vec<String> = words
        .iter()
        .zip(js.as_array().unwrap())
        .filter(|(w, j)| stemmer.stem(w) != j.as_str().unwrap())
        .map(|(w, j)| format!("{w}: rust {} js {j}", stemmer.stem(w)))
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
}

#[test]
fn the_index_is_small_files_and_without_javascript_the_box_links_to_every_page() {
    let site = site();
    site.build().ok();
    let manifest: Value = serde_json::from_str(&site.read("public/search/manifest.json")).unwrap();
    assert_eq!(manifest["n"], json!(9), "{manifest}");
    assert_eq!(
        manifest["facets"]["track"],
        json!(["Engineering", "Design"])
    );
    assert_eq!(manifest["facets"]["location"], json!(["Leeds", "London"]));
    for chunk in manifest["chunks"].as_array().unwrap() {
        let name = chunk[1].as_str().unwrap();
        let body: Value =
            serde_json::from_str(&site.read(&format!("public/search/t/{name}.json"))).unwrap();
        let first = body.as_object().unwrap().keys().next().unwrap().clone();
        assert_eq!(
            json!(first),
            chunk[0],
            "a chunk starts with the stem the manifest names"
        );
    }
    let page = site.html("people/onboarding/index.html");
    assert_eq!(attrs(&page, ".search a", "href"), ["/hb/search/"]);
    let list = site.html("search/index.html");
    let links = attrs(&list, "main a", "href");
    for url in [
        "/hb/people/recruitment/",
        "/hb/people/cafe/",
        "/hb/roles/senior-designer/",
    ] {
        assert!(links.iter().any(|l| l == url), "{url} in {links:?}");
    }
}

/// `[search] enabled = false`: no index files, the box has no index to
/// load (so the script leaves it a link to the list of pages), and the
/// list of pages is still there.
#[test]
fn search_can_be_turned_off() {
    let site = site();
    site.file(
        "site.toml",
        &format!("{}\n[search]\nenabled = false\n", config()),
    );
    site.build().ok();
    for file in [
        "search/manifest.json",
        "search/roles.json",
        "search/p/0.json",
    ] {
        assert!(!site.exists(&format!("public/{file}")), "{file} written");
    }
    assert!(!site.path("public/search/t").exists(), "chunks written");
    let page = site.html("people/onboarding/index.html");
    assert_eq!(attrs(&page, ".search", "data-index"), [""]);
    assert_eq!(attrs(&page, ".search a", "href"), ["/hb/search/"]);
    let list = site.html("search/index.html");
    assert!(attrs(&list, "main a", "href").contains(&"/hb/people/cafe/".to_string()));
    site.file(
        "site.toml",
        &format!("{}\n[search]\nenabled = true\nindex = 1\n", config()),
    );
    site.build()
        .fails()
        .stderr_has("site.toml")
        .stderr_has("unknown key `search.index`");
}

/// `serve` keeps the index and rewrites only the chunks an edit touches;
/// what it serves must still equal a full build, byte for byte, including
/// chunks that appear or go because a word appears or goes.
#[test]
fn serve_updates_the_index_in_place_and_matches_a_full_build() {
    use handbook::serve::rebuild::{Scope, Session};
    use handbook::serve::watch::ChangeKind;
    let site = TestSite::new();
    site.file("site.toml", "title = \"Words\"\n");
    site.file("content/_index.md", "# Words\n");
    // 400 pages over a vocabulary of 3,000 made-up words: several chunks.
    let word = |n: usize| format!("w{}z{}", n % 3000, ["", "s", "ing"][n % 3]);
    for p in 0..400 {
        let body: Vec<String> = (0..60).map(|i| word(p * 31 + i * 97)).collect();
        site.file(
            &format!("content/p{p:03}.md"),
            &format!(
                "# Page {p}\n\n{}\n\n## Part two\n\n{}\n",
                body[..30].join(" "),
                body[30..].join(" ")
            ),
        );
    }
    let options = handbook::build::BuildOptions {
        serve: true,
        ..Default::default()
    };
    let mut session = Session::new(site.root(), options.clone());
    session.full().expect("the site builds");
    let search_files =
        |o: &handbook::output::Output| -> std::collections::BTreeMap<String, Vec<u8>> {
            o.contents()
                .into_iter()
                .filter(|(k, _)| k.starts_with("search/"))
                .collect()
        };
    let chunks = |o: &handbook::output::Output| {
        o.contents()
            .keys()
            .filter(|k| k.starts_with("search/t/"))
            .count()
    };
    let before = chunks(&session.output().unwrap());
    assert!(before > 3, "{before} chunks");
    let edits = [
        "# Page 7\n\nzebra quagga w1z w2z\n",
        "# Page 7\n\nentirely different aardvark words now\n\n## Part two\n\nw5zs\n",
        "# Page 7\n\nw7z\n",
    ];
    for (n, text) in edits.iter().enumerate() {
        site.file("content/p007.md", text);
        let batch = [ChangeKind::Content("p007.md".into())]
            .into_iter()
            .collect();
        let r = session
            .apply(&batch)
            .unwrap_or_else(|d| panic!("edit {n}: {d:?}"));
        assert_eq!(r.scope, Scope::Page, "edit {n}");
        let full = handbook::build::build(site.root(), &options)
            .unwrap()
            .output;
        let (a, b) = (
            search_files(&session.output().unwrap()),
            search_files(&full),
        );
        let differ: Vec<&String> = a
            .keys()
            .chain(b.keys())
            .filter(|k| a.get(*k) != b.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "edit {n}: incremental and full differ in {differ:?}"
        );
    }
}

/// axe-core over the page with the search panel open: a query's results
/// (titles, headings, excerpts with marked words), the role filters and
/// the status line, in light and dark.
#[test]
fn the_open_search_panel_is_axe_clean_in_light_and_dark() {
    let Some(axe) = crate::theme::axe_source() else {
        return;
    };
    let Some((_site, b, url)) = open() else {
        return;
    };
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        b.navigate(&url);
        b.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        b.keys("/");
        b.keys("senior engineer");
        b.wait_until(
            "results with marked excerpts and the filters",
            "const p = document.getElementById('search-panel'); \
             return !!p && !p.hidden && !p.querySelector('.search-filters').hidden \
             && !!document.getElementById('search-filter-track') \
             && p.querySelectorAll('#search-results a[role=option]').length >= 2 \
             && !!p.querySelector('#search-results mark');",
            Duration::from_secs(10),
        );
        // The first result selected, as after an arrow key.
        b.keys(&ARROW_DOWN.to_string());
        let shown = b.execute(
            "const r = document.querySelector('#search-results a[role=option]').getBoundingClientRect(); return r.width > 0 && r.height > 0;",
            &[],
        );
        assert_eq!(shown, json!(true), "results are on screen [{scheme}]");
        for v in b.run_axe(&axe) {
            problems.push(format!("[{scheme}] {v}"));
        }
    }
    assert!(
        problems.is_empty(),
        "axe-core violations with the search panel open:\n{}",
        problems.join("\n")
    );
}
