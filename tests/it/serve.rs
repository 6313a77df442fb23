//! `handbook serve`: the real binary on an ephemeral port, spoken to over
//! TCP. Content types, redirects, the 404 page, methods, the Host check,
//! path traversal, concurrency, live reload and the error overlay; and,
//! through the library, that incremental rebuilds equal full builds.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::harness::*;

/// A small site with one page and a few assets.
fn small_site() -> TestSite {
    let site = TestSite::new();
    site.file("content/_index.md", "# Home\n\nWelcome home.\n")
        .file("content/team/_index.md", "# Team\n\nThe team.\n")
        .file("content/team/alice.md", "# Alice\n\nAlice writes code.\n");
    site
}

#[test]
fn serve_prints_its_address_and_serves_pages_with_local_links() {
    let site = small_site();
    let s = site.serve();
    assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
    let r = s.get("/team/alice/");
    assert_eq!(r.status, 200);
    let doc = r.html();
    assert_eq!(one_text(&doc, "article > h1"), "Alice");
    // base_url is the local address, so canonical links stay local.
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        [format!("{}team/alice/", s.url)]
    );
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert_eq!(r.header("access-control-allow-origin"), None);
    // Serve never writes the output folder.
    assert!(!site.exists("public"));
}

#[test]
fn files_get_the_right_content_type() {
    let site = small_site();
    let assets = [
        ("doc.pdf", "application/pdf"),
        ("notes.txt", "text/plain; charset=utf-8"),
        ("img/a.png", "image/png"),
        ("img/b.jpg", "image/jpeg"),
        ("img/c.gif", "image/gif"),
        ("img/d.webp", "image/webp"),
        ("img/e.svg", "image/svg+xml"),
        ("favicon.ico", "image/x-icon"),
        ("fonts/f.woff2", "font/woff2"),
        ("data/x.json", "application/json"),
        ("data/y.xml", "application/xml"),
        ("js/z.js", "text/javascript; charset=utf-8"),
    ];
    for (path, _) in assets {
        site.bytes(
            &format!("content/{path}"),
            format!("bytes of {path}").as_bytes(),
        );
    }
    let s = site.serve();
    for (path, ty) in assets {
        let r = s.get(&format!("/{path}"));
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
        assert_eq!(r.text(), format!("bytes of {path}"));
    }
    for (path, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/handbook.js", "text/javascript; charset=utf-8"),
        ("/search/manifest.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
    }
}

#[test]
fn a_folder_without_its_slash_redirects_to_the_slash_form() {
    let site = small_site();
    let s = site.serve();
    let r = s.get("/team/alice");
    assert!(matches!(r.status, 301 | 308), "{r:?}");
    assert_eq!(r.header("location"), Some("/team/alice/"));
    let r = s.get("/team");
    assert_eq!(r.header("location"), Some("/team/"));
}

#[test]
fn unknown_paths_get_the_sites_404_page_with_status_404() {
    let site = small_site();
    let s = site.serve();
    let r = s.get("/no/such/page/");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let title = one_text(&r.html(), "title");
    assert!(title.contains("Page not found"), "{title}");
}

#[test]
fn head_answers_headers_without_a_body() {
    let site = small_site();
    let s = site.serve();
    let get = s.get("/team/alice/");
    let head = s.request("HEAD", "/team/alice/");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), get.header("content-type"));
    assert_eq!(head.header("content-length"), get.header("content-length"));
    assert!(head.body.is_empty(), "{:?}", head.text());
}

#[test]
fn methods_other_than_get_and_head_are_not_allowed() {
    let site = small_site();
    let s = site.serve();
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let r = s.request(method, "/");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
        assert_eq!(r.header("access-control-allow-origin"), None);
    }
}

#[test]
fn requests_for_other_hosts_are_refused_event_stream_too() {
    let site = small_site();
    let s = site.serve();
    let port = s.addr.port();
    let send = |host: Option<&str>, path: &str| {
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        s.raw(format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes())
            .status
    };
    for ok in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert_eq!(send(Some(&ok), "/"), 200, "{ok}");
    }
    for bad in [
        Some("evil.example".to_string()),
        Some(format!("evil.example:{port}")),
        Some("localhost".to_string()),
        Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
        None,
    ] {
        assert_eq!(send(bad.as_deref(), "/"), 403, "{bad:?}");
        assert_eq!(send(bad.as_deref(), "/__handbook/live"), 403, "{bad:?}");
    }
}

#[test]
fn traversal_attempts_never_read_files_outside_the_output() {
    let site = TestSite::new();
    site.file("site/content/_index.md", "# Home\n")
        .file("site/content/a.md", "# A\n")
        .file("site/site.toml", "title = \"T\"\n# CONFIG-MARKER-7c1e\n")
        .file("secret.txt", "TOP-SECRET-4f9a")
        .file("site/secret.txt", "TOP-SECRET-4f9a");
    let s = site.serve_dir("site", &[]);
    let attempts = [
        "/../secret.txt",
        "/../../secret.txt",
        "/a/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/secret.txt",
        "/site.toml",
        "/../site/site.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/a/..%00/secret.txt",
        "/secret.txt%00.html",
        "/%c0%ae%c0%ae/secret.txt",
        "/..;/secret.txt",
        "/./../secret.txt",
        "http://localhost/../secret.txt",
        "../secret.txt",
        "/C:/Windows/win.ini",
        "/a/./../../secret.txt",
    ];
    assert!(attempts.len() >= 20);
    for path in attempts {
        let r = s.raw(
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                s.host()
            )
            .as_bytes(),
        );
        let body = r.text();
        assert!(
            (400..500).contains(&r.status),
            "{path}: status {}",
            r.status
        );
        assert!(!body.contains("TOP-SECRET"), "{path} leaked the secret");
        assert!(!body.contains("CONFIG-MARKER"), "{path} leaked site.toml");
        assert!(!body.contains("root:"), "{path} leaked /etc/passwd");
    }
}

#[test]
fn five_hundred_requests_from_twenty_clients_are_all_answered() {
    let site = small_site();
    let s = site.serve();
    let paths = [
        ("/", "Welcome home."),
        ("/team/", "The team."),
        ("/team/alice/", "Alice writes code."),
    ];
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for client in 0..20 {
            let (s, failures) = (&s, &failures);
            scope.spawn(move || {
                for n in 0..25 {
                    let (path, text) = paths[(client + n) % paths.len()];
                    let r = s.get(path);
                    if r.status != 200 || !r.text().contains(text) {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{path}: {}", r.status));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn editing_a_page_sends_reload_and_then_serves_the_new_text() {
    let site = small_site();
    let s = site.serve();
    let mut live = s.events();
    assert_eq!(live.status, 200);
    assert_eq!(live.next().name, "hello");
    site.file(
        "content/team/alice.md",
        "# Alice\n\nAlice now reviews code.\n",
    );
    live.wait_for("reload");
    let doc = s.get("/team/alice/").html();
    assert_eq!(texts(&doc, ".content p"), ["Alice now reviews code."]);
    // Every HTML page carries the live-reload script; other files do not.
    assert!(s.get("/team/alice/").text().contains("/__handbook/live"));
    assert!(!s.get("/style.css").text().contains("/__handbook/live"));
}

#[test]
fn broken_front_matter_sends_error_keeps_old_page_and_fixing_reloads() {
    let site = small_site();
    let s = site.serve();
    let mut live = s.events();
    live.wait_for("hello");
    site.file(
        "content/team/alice.md",
        "+++\ntitle = \"Alice\nweight = <script>\n+++\nBroken now.\n",
    );
    let error = live.wait_for("error");
    let json: serde_json::Value = serde_json::from_str(&error.data).unwrap();
    let first = &json["errors"][0];
    assert!(
        first["file"]
            .as_str()
            .unwrap()
            .ends_with("content/team/alice.md"),
        "{json}"
    );
    assert!(first["line"].as_u64().is_some(), "{json}");
    assert!(!first["message"].as_str().unwrap().is_empty());
    // The last good page is still served, with the overlay over it.
    let doc = s.get("/team/alice/").html();
    assert_eq!(texts(&doc, ".content p"), ["Alice writes code."]);
    let overlay = one_text(&doc, "#handbook-error-overlay .handbook-error-file");
    assert!(overlay.contains("content/team/alice.md:"), "{overlay}");
    // Other pages too, even opened fresh while broken.
    assert_eq!(
        texts(&s.get("/").html(), "#handbook-error-overlay").len(),
        1
    );
    // A stream opened while broken hears about it at once.
    let mut late = s.events();
    late.wait_for("hello");
    late.wait_for("error");

    site.file("content/team/alice.md", "# Alice\n\nAlice is back.\n");
    live.wait_for("reload");
    let doc = s.get("/team/alice/").html();
    assert_eq!(texts(&doc, ".content p"), ["Alice is back."]);
    assert!(texts(&doc, "#handbook-error-overlay").is_empty());
}

#[test]
fn a_site_that_fails_its_first_build_still_serves_the_errors() {
    let site = TestSite::new();
    site.file("content/_index.md", "# Home\n")
        .file("content/a.md", "+++\ntitle = [\n+++\n");
    let s = site.serve();
    let r = s.get("/a/");
    assert_eq!(r.status, 500);
    let doc = r.html();
    let file = one_text(&doc, "#handbook-error-overlay .handbook-error-file");
    assert!(file.contains("content/a.md:"), "{file}");
    let mut live = s.events();
    live.wait_for("hello");
    site.file("content/a.md", "# A\n\nFixed.\n");
    live.wait_for("reload");
    let r = s.get("/a/");
    assert_eq!(r.status, 200);
    assert_eq!(texts(&r.html(), ".content p"), ["Fixed."]);
}

#[test]
fn editor_style_atomic_saves_and_new_folders_are_picked_up() {
    let site = small_site();
    let s = site.serve();
    let mut live = s.events();
    live.wait_for("hello");
    // Write a temp file, then rename it over the page (vim, VS Code).
    site.file(
        "content/team/.alice.md.tmp.123",
        "# Alice\n\nSaved atomically.\n",
    );
    std::fs::rename(
        site.path("content/team/.alice.md.tmp.123"),
        site.path("content/team/alice.md"),
    )
    .unwrap();
    live.wait_for("reload");
    assert_eq!(
        texts(&s.get("/team/alice/").html(), ".content p"),
        ["Saved atomically."]
    );
    // A new folder with a page in it.
    site.file("content/ops/runbook.md", "# Runbook\n\nPage the on-call.\n");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        live.wait_for("reload");
        if s.get("/ops/runbook/").status == 200 || Instant::now() > deadline {
            break;
        }
    }
    assert_eq!(
        texts(&s.get("/ops/runbook/").html(), ".content p"),
        ["Page the on-call."]
    );
    // Deleting it takes it away again.
    site.remove("content/ops");
    live.wait_for("reload");
    assert_eq!(s.get("/ops/runbook/").status, 404);
}

// --- A failed rebuild (through the library) ---

/// Every output file's bytes.
fn files(output: &handbook::output::Output) -> BTreeMap<String, Vec<u8>> {
    output.contents()
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_output() {
    use handbook::serve::rebuild::Session;
    use handbook::serve::watch::ChangeKind;
    let site = small_site();
    let mut session = Session::new(site.root(), Default::default());
    session.full().unwrap();
    let before = files(&session.output().unwrap());
    site.file("content/team/alice.md", "+++\ntitle = \n+++\n");
    let batch = [ChangeKind::Content("team/alice.md".into())]
        .into_iter()
        .collect();
    let diags = session.apply(&batch).unwrap_err();
    assert!(
        diags[0].path.ends_with("content/team/alice.md"),
        "{diags:?}"
    );
    assert_eq!(files(&session.output().unwrap()), before);
}

// --- In a real browser ---

#[test]
fn an_open_page_updates_in_the_browser_after_an_edit_and_shows_errors() {
    use crate::browser::Browser;
    let site = small_site();
    let s = site.serve();
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.navigate(&format!("{}team/alice/", s.url));
    assert!(browser.text().contains("Alice writes code."));
    // Wait until the page listens, so the edit cannot slip past it.
    browser.wait_until(
        "the live-reload stream to open",
        "return !!window.__handbookLive && window.__handbookLive.readyState === 1;",
        Duration::from_secs(20),
    );
    site.file(
        "content/team/alice.md",
        "# Alice\n\nAlice now leads the team.\n",
    );
    browser.wait_until(
        "the new text without navigating",
        "return document.body.innerText.includes('Alice now leads the team.');",
        Duration::from_secs(20),
    );
    // A broken page shows the overlay, text escaped, over the old content.
    browser.wait_until(
        "the stream to reopen after the reload",
        "return !!window.__handbookLive && window.__handbookLive.readyState === 1;",
        Duration::from_secs(20),
    );
    site.file(
        "content/team/alice.md",
        "+++\ntitle = \"<img src=x onerror=alert(1)>\n+++\n",
    );
    browser.wait_until(
        "the error overlay",
        "var o = document.getElementById('handbook-error-overlay'); \
         return !!o && o.innerText.includes('alice.md') && !o.querySelector('img');",
        Duration::from_secs(20),
    );
    assert!(browser.text().contains("Alice now leads the team."));
    site.file("content/team/alice.md", "# Alice\n\nFixed again.\n");
    browser.wait_until(
        "the overlay to go after the fix",
        "return !document.getElementById('handbook-error-overlay') \
         && document.body.innerText.includes('Fixed again.');",
        Duration::from_secs(20),
    );
}

#[test]
fn a_taken_port_moves_to_the_next_free_one_and_says_so() {
    let site = small_site();
    // Hold a port, and make sure the one after it is free too.
    let (taken, port) = loop {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        if port < u16::MAX && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            break (l, port);
        }
    };
    let s = site.serve_dir(".", &["--port", &port.to_string()]);
    assert_eq!(s.addr.port(), port + 1, "{}", s.url);
    assert_eq!(s.get("/").status, 200);
    let notice = format!("Port {port} is taken; using {} instead.", port + 1);
    assert!(s.before.contains(&notice), "{:?}", s.before);
    drop(taken);
}
