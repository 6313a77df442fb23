//! Authoring and publishing: `init`, `new`, `check` (strict links, source
//! excerpts, JSON, external links against a local server) and the GitHub
//! Pages output (CNAME, .nojekyll, base URLs).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::*;

/// The official GitHub Pages actions the generated workflow must use.
const PAGES_ACTIONS: [&str; 4] = [
    "actions/checkout@v4",
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
];

// ---- init ---------------------------------------------------------------

/// `handbook init` into `folder` (or the site's root), with the answers a
/// new user gives: organisation, country and currency.
fn init(site: &TestSite, folder: Option<&str>) -> Run {
    let mut args = vec!["init"];
    args.extend(folder);
    args.extend([
        "--organization",
        "Acme",
        "--country",
        "DE",
        "--currency",
        "EUR",
    ]);
    site.run(&args)
}

/// A fresh site made by `handbook init` with the example content.
fn initialised_site() -> TestSite {
    let site = TestSite::new();
    init(&site, None).ok();
    site
}

/// `handbook new role TITLE --track TRACK --level LEVEL`.
fn new_role(site: &TestSite, title: &str, track: &str, level: &str) -> Run {
    site.run(&["new", "role", title, "--track", track, "--level", level])
}

#[test]
fn init_into_an_empty_folder_builds_and_checks() {
    let site = initialised_site();
    for f in [
        "site.toml",
        ".github/workflows/pages.yml",
        ".gitignore",
        "content/_index.md",
    ] {
        assert!(site.exists(f), "init did not write {f}");
    }
    site.run(&["check"]).ok();
    site.build().ok();
    assert!(site.exists("public/.nojekyll"));
    // The example roles become careers pages with their tracks.
    let roles = site.html("roles/engineering/software-engineer/index.html");
    assert_eq!(one_text(&roles, "article > h1"), "Software Engineer");
    assert!(site.exists("public/careers/ladder/index.html"));
    assert_links_resolve(&site, "/");
    // The output folder is ignored by git.
    assert!(site.read(".gitignore").lines().any(|l| l == "/public/"));
}

#[test]
fn init_into_a_named_folder_creates_it() {
    let site = TestSite::new();
    init(&site, Some("acme-careers")).ok();
    let config: toml::Table = toml::from_str(&site.read("acme-careers/site.toml")).unwrap();
    assert_eq!(config["title"].as_str(), Some("Acme careers handbook"));
    assert!(
        !config.contains_key("content_dir"),
        "content/ is found without it"
    );
    site.run(&["build", "--root", "acme-careers"]).ok();
    assert!(site.exists("acme-careers/public/index.html"));
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let site = TestSite::new();
    site.file("site.toml", "title = \"Mine\"\n")
        .file("content/culture/values.md", "# My values\n");
    let run = site.run(&["init"]);
    run.fails()
        .stderr_has("site.toml: error: this file already exists")
        .stderr_has("content/culture/values.md: error: this file already exists")
        .stderr_has("Nothing was written");
    assert_eq!(site.read("site.toml"), "title = \"Mine\"\n");
    assert_eq!(site.read("content/culture/values.md"), "# My values\n");
    // Files that did not exist were not written either.
    assert!(!site.exists(".github"));
    assert!(!site.exists(".gitignore"));
    assert!(!site.exists("content/_index.md"));
}

#[test]
fn init_workflow_is_yaml_using_the_pages_actions_with_permissions() {
    let site = initialised_site();
    let text = site.read(".github/workflows/pages.yml");
    let wf: serde_norway::Value = serde_norway::from_str(&text).expect("workflow is YAML");

    let jobs = wf["jobs"].as_mapping().expect("jobs");
    let steps: Vec<&serde_norway::Value> = jobs
        .values()
        .flat_map(|j| j["steps"].as_sequence().expect("steps"))
        .collect();
    let uses: BTreeSet<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in PAGES_ACTIONS {
        assert!(uses.contains(action), "{action} missing from {uses:?}");
    }

    // Deploying needs pages: write and id-token: write, on the deploy job.
    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert!(deploy["steps"][0]["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/deploy-pages@"));
    assert!(wf["concurrency"]["group"].as_str().is_some());
    // configure-pages in the build job reads the Pages settings.
    assert_eq!(
        wf["jobs"]["build"]["permissions"]["pages"].as_str(),
        Some("read")
    );
    assert!(wf["jobs"]["build"]["permissions"]["id-token"].is_null());

    // The build passes configure-pages' base URL and checks first.
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let configure = steps
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/configure-pages@v5"))
        .unwrap();
    assert_eq!(configure["id"].as_str(), Some("pages"));
    assert!(runs
        .iter()
        .any(|r| r.contains("cargo install") && r.contains("--git") && r.contains("handbook")));
    assert!(runs.contains(&"handbook check"), "{runs:?}");
    assert!(
        runs.contains(&"handbook build --base-url \"${{ steps.pages.outputs.base_url }}/\""),
        "{runs:?}"
    );
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/upload-pages-artifact@v3"))
        .unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
}

#[test]
fn init_existing_adds_config_and_workflow_to_a_markdown_repository() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Acme People Handbook\n\nStart with [onboarding](people/onboarding.md).\n",
    )
    .file("people/onboarding.md", "# Onboarding\n\nWelcome.\n");
    site.run(&["init", "--existing"]).ok();
    assert!(site.exists(".github/workflows/pages.yml"));
    assert!(
        !site.exists("content"),
        "--existing adds no example content"
    );
    assert!(!site.exists(".gitignore"));
    let config: toml::Table = toml::from_str(&site.read("site.toml")).unwrap();
    assert!(!config.contains_key("content_dir"));
    assert_eq!(config["title"].as_str(), Some("Acme People Handbook"));
    site.build().ok();
    let home = site.html("index.html");
    assert_eq!(
        one_text(&home, "title"),
        "Acme People Handbook",
        "title from the README heading"
    );
    assert!(site.exists("public/people/onboarding/index.html"));
    site.run(&["check"]).ok();
}

#[test]
fn init_existing_without_markdown_is_refused() {
    let site = TestSite::new();
    site.file("notes.txt", "hi\n");
    site.run(&["init", "--existing"])
        .fails()
        .stderr_has("no markdown files");
    assert!(!site.exists("site.toml"));
}

// ---- new ----------------------------------------------------------------

#[test]
fn new_role_writes_a_draft_that_builds_and_validates() {
    let site = initialised_site();
    let run = new_role(&site, "Senior Designer", "design", "senior");
    run.ok();
    let rel = "content/roles/design/senior-designer.md";
    assert!(run.stdout.contains(rel), "{}", run.stdout);
    let text = site.read(rel);
    assert!(text.contains("track = \"design\""));
    assert!(text.contains("level = \"senior\""));
    site.run(&["check", "--drafts"]).ok();
    site.run(&["build", "--drafts"]).ok();
    let page = site.html("roles/design/senior-designer/index.html");
    assert_eq!(one_text(&page, "article > h1"), "Senior Designer");
    // A draft with a placeholder band is not published by a normal build.
    site.build().ok();
    assert!(!site.exists("public/roles/design/senior-designer/index.html"));
    // Never overwrites.
    let before = site.read(rel);
    new_role(&site, "Senior Designer", "design", "senior")
        .fails()
        .stderr_has(&format!("{rel}: error: this file already exists\n  hint: choose another title or path; `handbook new` never overwrites"));
    assert_eq!(site.read(rel), before);
}

#[test]
fn new_role_rejects_an_unknown_track_with_a_hint() {
    let site = initialised_site();
    new_role(&site, "Senior Designer", "desgin", "senior")
        .fails()
        // The diagnostic format every command uses; the value came from the
        // command line, so there is no file to name.
        .stderr_has("error: track \"desgin\" is not defined in site.toml\n  hint: did you mean \"design\"? tracks are: \"engineering\", \"design\"\n");
    assert!(!site.exists("content/roles/desgin"));
    new_role(&site, "Designer", "design", "lead")
        .fails()
        .stderr_has("level \"lead\" is not defined");
}

#[test]
fn new_page_writes_a_page_that_builds_under_root() {
    let site = TestSite::new();
    init(&site, Some("hb")).ok();
    site.run(&["new", "page", "culture/remote-working", "--root", "hb"])
        .ok();
    assert!(site.exists("hb/content/culture/remote-working.md"));
    site.run(&["check", "--root", "hb"]).ok();
    site.run(&["build", "--root", "hb"]).ok();
    let doc = Html::parse_document(&site.read("hb/public/culture/remote-working/index.html"));
    assert_eq!(one_text(&doc, "article > h1"), "Remote working");
    site.run(&["new", "page", "../escape", "--root", "hb"])
        .fails()
        .stderr_has("not a path inside the content folder");
}

// ---- check --------------------------------------------------------------

/// A site whose build only warns about links, so `check` must be stricter.
fn lenient_site(body: &str) -> TestSite {
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"T\"\n\n[links]\ninternal = \"warn\"\n",
    )
    .file("content/_index.md", "# Home\n")
    .file("content/b.md", "# B\n\n## Real heading\n")
    .file("content/a.md", body);
    site
}

/// `handbook check` of `lenient_site(body)`.
fn check_lenient(body: &str) -> (TestSite, Run) {
    let site = lenient_site(body);
    let run = site.run(&["check"]);
    (site, run)
}

#[test]
fn check_reports_a_broken_link_with_line_column_and_excerpt() {
    let site = lenient_site("+++\ntitle = \"A\"\n+++\n\nSee [the plan](missing.md) today.\n");
    site.build().ok(); // a warning only, for the build, and so for check
    site.run(&["check"])
        .ok()
        .stderr_has("content/a.md:5:5: warning: link `missing.md` points at nothing")
        .stderr_has("  |\n5 | See [the plan](missing.md) today.\n  |     ^\n")
        .stderr_has("Checked: 0 errors, 1 warning.")
        .stderr_has("By kind:\n      1 link to a missing page or file (warning)\n");
}

#[test]
fn build_and_check_agree_when_links_are_errors() {
    let site = lenient_site("# A\n\nSee [the plan](missing.md) and [B](b.md#real-headng).\n");
    site.file(
        "site.toml",
        "title = \"T\"\n\n[links]\ninternal = \"error\"\n",
    );
    site.build()
        .fails()
        .stderr_has("content/a.md:3:5: error: link `missing.md` points at nothing");
    site.run(&["check"])
        .fails()
        .stderr_has("content/a.md:3:5: error: link `missing.md` points at nothing")
        .stderr_has("Checked: 2 errors, 0 warnings.")
        .stderr_has("      1 link to a missing heading (error)\n      1 link to a missing page or file (error)\n");
}

#[test]
fn check_reports_a_broken_fragment_with_line_and_column() {
    let (_site, run) = check_lenient("# A\n\nText.\n\nSee [B](b.md#real-headng).\n");
    run
        .ok()
        .stderr_has("content/a.md:5:5: warning: link `b.md#real-headng`: no heading or id `#real-headng` in b.md")
        .stderr_has("hint: did you mean `#real-heading`?");
}

#[test]
fn check_reports_a_missing_image_with_line_and_column() {
    let (_site, run) = check_lenient("# A\n\n  ![Org chart](img/chart.png)\n");
    run.ok()
        .stderr_has("content/a.md:3:3: warning: image `img/chart.png` points at nothing")
        .stderr_has("3 |   ![Org chart](img/chart.png)\n  |   ^");
}

#[test]
fn email_autolinks_are_mail_links_not_files() {
    let (site, run) = check_lenient("# A\n\nWrite to <people@example.com>.\n");
    run.ok().stderr_has("Checked: 0 errors, 0 warnings.");
    site.build().ok();
    assert_eq!(
        attrs(&site.html("a/index.html"), ".content a", "href"),
        ["mailto:people@example.com"]
    );
}

#[test]
fn check_of_a_clean_site_exits_zero() {
    let (site, run) = check_lenient("# A\n\n[B](b.md#real-heading) and [home](_index.md).\n");
    run.ok().stderr_has("Checked: 0 errors, 0 warnings.");
    assert!(!site.exists("public"), "check writes nothing");
}

#[test]
fn check_json_lists_diagnostics_with_path_line_and_col() {
    let site = lenient_site("# A\n\n[x](missing.md)\n\n![i](nope.png)\n");
    let run = site.run(&["check", "--format", "json"]);
    run.ok();
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 2);
    let diags = v["diagnostics"].as_array().unwrap();
    let located: Vec<(String, u64, u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["col"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            ("content/a.md".into(), 3, 1, "warning".into()),
            ("content/a.md".into(), 5, 1, "warning".into()),
        ]
    );
    assert!(diags[1]["message"].as_str().unwrap().starts_with("image"));
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["broken-link", "missing-image"]);
}

#[test]
fn check_json_gives_each_kind_its_code() {
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"T\"\n\n[links]\ninternal = \"error\"\n",
    )
    .file(
        "content/a.md",
        "+++\ntitel = \"A\"\n+++\n# A\n\n[b](b.md#nowhere)\n",
    )
    .file("content/b.md", "# B\n")
    .file("content/c.md", "+++\ndate = \"2026-02-30\"\n+++\n# C\n");
    let run = site.run(&["check", "--format", "json"]);
    run.fails();
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let found: Vec<(String, String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("path"), s("severity"), s("code"))
        })
        .collect();
    let expect = |path: &str, severity: &str, code: &str| {
        (path.to_string(), severity.to_string(), code.to_string())
    };
    assert_eq!(
        found,
        [
            expect("content/a.md", "warning", "unknown-key"),
            expect("content/a.md", "error", "missing-fragment"),
            expect("content/c.md", "error", "invalid-date"),
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn check_excerpt_for_site_toml_errors_reads_the_root_file() {
    let site = TestSite::new();
    site.file("hb/site.toml", "title = \"T\"\nbase_ulr = \"x\"\n")
        .file("hb/content/a.md", "# A\n");
    site.run(&["check", "--root", "hb"])
        .fails()
        .stderr_has("site.toml:2: error: unknown key `base_ulr`\n  |\n2 | base_ulr = \"x\"\n");
}

// ---- check --external ---------------------------------------------------

/// A tiny HTTP server on 127.0.0.1 for link checking. Every request is
/// answered on its own thread so the slow endpoint blocks nothing else;
/// it stops when dropped.
struct LinkServer {
    server: Arc<tiny_http::Server>,
    port: u16,
    hits: Arc<Mutex<BTreeMap<String, usize>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LinkServer {
    fn start() -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let port = server.server_addr().to_ip().unwrap().port();
        let hits: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
        let flaky = Arc::new(AtomicUsize::new(0));
        let (s, h) = (server.clone(), hits.clone());
        let thread = std::thread::spawn(move || {
            for req in s.incoming_requests() {
                let (h, flaky) = (h.clone(), flaky.clone());
                std::thread::spawn(move || {
                    let url = req.url().to_string();
                    let head = *req.method() == tiny_http::Method::Head;
                    *h.lock().unwrap().entry(url.clone()).or_default() += 1;
                    let status = match url.as_str() {
                        "/ok" => 200,
                        "/missing" => 404,
                        "/moved" => 301,
                        "/slow" => {
                            std::thread::sleep(Duration::from_secs(3));
                            200
                        }
                        // Some servers reject HEAD; GET must be tried.
                        "/no-head" if head => 405,
                        "/no-head" => 200,
                        // HEAD and GET fail once, then it recovers: a retry must succeed.
                        "/flaky" if flaky.fetch_add(1, Ordering::SeqCst) < 2 => 503,
                        "/flaky" => 200,
                        _ => 404,
                    };
                    let mut resp =
                        tiny_http::Response::from_string("body").with_status_code(status);
                    if status == 301 {
                        resp.add_header(tiny_http::Header::from_bytes("Location", "/ok").unwrap());
                    }
                    let _ = req.respond(resp);
                });
            }
        });
        LinkServer {
            server,
            port,
            hits,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

impl Drop for LinkServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn check_external_reports_each_outcome_from_a_local_server() {
    let srv = LinkServer::start();
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"T\"\n\n[links]\nignore = [\"/skipped$\", \"^https://never\\\\.example/\"]\n",
    )
    .file(
        "content/a.md",
        &format!(
            "# A\n\n[ok]({ok})\n\n[missing]({missing})\n\n[moved]({moved})\n\n[slow]({slow})\n\n\
             [no head]({nohead})\n\n[flaky]({flaky})\n\n[skipped]({skipped}) [never](https://never.example/x)\n\n\
             Again: [ok]({ok}#part)\n",
            ok = srv.url("/ok"),
            missing = srv.url("/missing"),
            moved = srv.url("/moved"),
            slow = srv.url("/slow"),
            nohead = srv.url("/no-head"),
            flaky = srv.url("/flaky"),
            skipped = srv.url("/skipped"),
        ),
    );
    // Without --external nothing is requested and the site is clean.
    site.run(&["check"]).ok();
    assert_eq!(srv.hits("/ok"), 0);

    let run = site.run(&[
        "check",
        "--external",
        "--timeout",
        "1",
        "--retries",
        "1",
        "--format",
        "json",
    ]);
    run.fails();
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let external: BTreeMap<String, &serde_json::Value> = v["external"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["url"].as_str().unwrap().to_string(), r))
        .collect();
    let outcome = |path: &str| external[&srv.url(path)]["outcome"].as_str().unwrap();
    let status = |path: &str| external[&srv.url(path)]["status"].as_u64();
    let attempts = |path: &str| external[&srv.url(path)]["attempts"].as_u64().unwrap();

    assert_eq!((outcome("/ok"), status("/ok")), ("ok", Some(200)));
    assert_eq!(
        (outcome("/missing"), status("/missing")),
        ("broken", Some(404))
    );
    assert_eq!(attempts("/missing"), 1, "a 404 is not retried");
    // Redirects are followed and the final status is reported.
    assert_eq!((outcome("/moved"), status("/moved")), ("ok", Some(200)));
    assert_eq!(
        external[&srv.url("/moved")]["final_url"].as_str(),
        Some(srv.url("/ok").as_str())
    );
    assert_eq!(outcome("/slow"), "timeout");
    assert_eq!(attempts("/slow"), 2, "one retry after the timeout");
    assert_eq!(outcome("/no-head"), "ok", "GET after a 405 to HEAD");
    assert_eq!(srv.hits("/no-head"), 2);
    assert_eq!(outcome("/flaky"), "ok");
    assert_eq!(attempts("/flaky"), 2);
    // Ignored URLs are never requested.
    assert_eq!(outcome("/skipped"), "ignored");
    assert_eq!(srv.hits("/skipped"), 0);
    assert_eq!(external["https://never.example/x"]["outcome"], "ignored");
    // The fragment is not part of the URL: /ok is listed once.
    assert_eq!(external.keys().filter(|k| k.ends_with("/ok")).count(), 1);

    // Errors for the 404 and the timeout, located where they are written.
    let errors: Vec<(u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["path"], "content/a.md");
            assert_eq!(d["severity"], "error");
            (
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, 5);
    assert!(errors[0].1.contains("answers 404"), "{}", errors[0].1);
    assert_eq!(errors[1].0, 9);
    assert!(errors[1].1.contains("did not answer within 1 s"));
}

#[test]
fn check_external_text_output_summarises_links() {
    let srv = LinkServer::start();
    let site = TestSite::new();
    site.file(
        "content/a.md",
        &format!("# A\n\n[gone]({})\n", srv.url("/missing")),
    );
    site.run(&["check", "--external", "--timeout", "1"])
        .fails()
        .stderr_has(&format!(
            "content/a.md:3:1: error: external link `{}` answers 404",
            srv.url("/missing")
        ))
        .stderr_has("1 external link checked, 1 failed, 0 ignored");
}

// ---- GitHub Pages output --------------------------------------------------

#[test]
fn cname_is_written_from_site_toml_and_nojekyll_always() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n");
    site.build().ok();
    assert!(site.exists("public/.nojekyll"));
    assert!(!site.exists("public/CNAME"));

    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://jobs.acme.com/\"\ncname = \"jobs.acme.com\"\n",
    );
    site.build().ok();
    assert_eq!(site.read("public/CNAME"), "jobs.acme.com\n");
    assert!(site.exists("public/.nojekyll"));
}

#[test]
fn base_url_from_the_pages_workflow_sets_the_project_path() {
    let site = TestSite::new();
    site.file("site.toml", "title = \"T\"\nbase_url = \"/\"\n")
        .file("content/_index.md", "# Home\n\n[A](a.md)\n")
        .file("content/a.md", "# A\n");
    // As the workflow passes it: configure-pages' base_url plus "/"; a
    // doubled slash must not leak into links.
    for given in [
        "https://acme.github.io/handbook/",
        "https://acme.github.io/handbook//",
    ] {
        site.run(&["build", "--base-url", given]).ok();
        let home = site.html("index.html");
        assert_eq!(attrs(&home, ".content a", "href"), ["/handbook/a/"]);
        assert_eq!(
            attrs(&home, "link[rel=canonical]", "href"),
            ["https://acme.github.io/handbook/"]
        );
        assert_links_resolve(&site, "/handbook/");
    }
}

#[test]
fn project_workflows_parse_and_publish_the_example_with_a_base_url() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows");
    let read = |name: &str| -> serde_norway::Value {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let ci = read("ci.yml");
    let ci_runs: Vec<&str> = ci["jobs"]["test"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(ci_runs.contains(&"bash .ci/run"), "{ci_runs:?}");

    let pages = read("pages.yml");
    let steps: Vec<&serde_norway::Value> = pages["jobs"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|j| j["steps"].as_sequence().unwrap())
        .collect();
    let uses: BTreeSet<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in PAGES_ACTIONS {
        assert!(uses.contains(action), "{action} missing from {uses:?}");
    }
    assert_eq!(
        pages["jobs"]["deploy"]["permissions"]["id-token"].as_str(),
        Some("write")
    );
    assert_eq!(
        pages["jobs"]["build"]["permissions"]["pages"].as_str(),
        Some("read")
    );
    assert!(steps.iter().filter_map(|s| s["run"].as_str()).any(|r| r
        == "cargo run --locked --release -- build --base-url \"${{ steps.pages.outputs.base_url }}/\""));
}
