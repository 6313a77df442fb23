//! Bad and hostile input: every case must exit 1 (never 101), name the file
//! (and line where there is one), print no panic, and leave the previous
//! output folder exactly as it was. Then inputs that must build.

use crate::harness::*;

const CONFIG: &str = "title = \"T\"\n\n[careers]\ncountry = \"GB\"\n\n[[careers.tracks]]\nid = \"engineering\"\n\n[[careers.levels]]\nid = \"mid\"\n\n[[careers.levels]]\nid = \"senior\"\n";

fn role(body: &str) -> String {
    format!("+++\ntitle = \"R\"\n[role]\n{body}+++\nText.\n")
}

struct Case {
    name: &'static str,
    /// Breaks the site; returns extra CLI arguments for `build`.
    setup: fn(&TestSite) -> Vec<String>,
    /// Substrings stderr must contain (file, line, message).
    expect: &'static [&'static str],
}

fn no_args() -> Vec<String> {
    Vec::new()
}

const CASES: &[Case] = &[
    Case { name: "front matter not closed", setup: |s| { s.file("content/a.md", "+++\ntitle = \"A\"\n\nBody\n"); no_args() }, expect: &["content/a.md:1:1: error: front matter opened with `+++` on line 1 is never closed"] },
    Case { name: "invalid TOML", setup: |s| { s.file("content/a.md", "+++\ntitle = \"A\ndate = 2026-01-01\n+++\n"); no_args() }, expect: &["content/a.md:2:", "error: invalid TOML front matter"] },
    Case { name: "invalid YAML: tabs", setup: |s| { s.file("content/a.md", "---\ntitle: A\nextra:\n\tkey: v\n---\n"); no_args() }, expect: &["content/a.md:4:", "invalid YAML front matter", "hint: YAML does not allow tabs"] },
    Case { name: "invalid YAML: bad indentation", setup: |s| { s.file("content/a.md", "---\ntitle: A\n  description: B\n---\n"); no_args() }, expect: &["content/a.md:3:", "invalid YAML front matter"] },
    Case { name: "front matter is a list", setup: |s| { s.file("content/a.md", "---\n- title\n- A\n---\n"); no_args() }, expect: &["content/a.md:2:1: error: front matter must be a table of `key: value` lines, not a list"] },
    Case { name: "front matter is a string", setup: |s| { s.file("content/a.md", "---\njust words\n---\n"); no_args() }, expect: &["content/a.md:2:1: error: front matter must be a table", "not a single string"] },
    Case { name: "wrong type: weight = \"high\"", setup: |s| { s.file("content/a.md", "+++\ntitle = \"A\"\nweight = \"high\"\n+++\n"); no_args() }, expect: &["content/a.md:3:10: error: invalid TOML front matter: invalid type: string \"high\", expected i64"] },
    Case { name: "wrong type in YAML: draft: maybe", setup: |s| { s.file("content/a.md", "---\ntitle: A\ndraft: maybe\n---\n"); no_args() }, expect: &["content/a.md:3:", "invalid YAML front matter", "draft"] },
    Case { name: "invalid date", setup: |s| { s.file("content/a.md", "+++\ntitle = \"A\"\ndate = \"2026-02-30\"\n+++\n"); no_args() }, expect: &["content/a.md:3: error: `date`: \"2026-02-30\" is not a calendar date"] },
    Case { name: "site.toml invalid", setup: |s| { s.file("site.toml", "title = \"T\"\n[markdown\n"); no_args() }, expect: &["site.toml:2:", "error:"] },
    Case { name: "site.toml misspelt key", setup: |s| { s.file("site.toml", &format!("titel = \"x\"\n{}", &CONFIG[12..])); no_args() }, expect: &["site.toml:1: error: unknown key `titel`", "hint: did you mean `title`?"] },
    Case { name: "site.toml misspelt nested key", setup: |s| { s.file("site.toml", &CONFIG.replace("country", "contry")); no_args() }, expect: &["site.toml:4: error: unknown key `careers.contry`", "did you mean `country`?"] },
    Case { name: "site.toml bad links policy", setup: |s| { s.file("site.toml", &format!("{CONFIG}\n[links]\ninternal = \"loud\"\n")); no_args() }, expect: &["site.toml: error: `links.internal` must be \"warn\" or \"error\", not \"loud\""] },
    Case { name: "unknown theme", setup: |s| { s.file("site.toml", &format!("theme = \"defualt\"\n{CONFIG}")); no_args() }, expect: &["site.toml:1: error: theme \"defualt\" not found", "did you mean \"default\"?"] },
    Case { name: "missing content folder", setup: |_| vec!["--content".into(), "nope".into()], expect: &["nope: error: the content folder does not exist", "hint:"] },
    Case { name: "output folder is the content folder", setup: |_| vec!["--output".into(), "content".into()], expect: &["content: error: the output folder contains the content"] },
    Case { name: "output folder is the site root", setup: |_| vec!["--output".into(), ".".into()], expect: &["error: the output folder contains the content (or the site root)"] },
    Case { name: "output folder inside the content folder", setup: |_| vec!["--output".into(), "content/out".into()], expect: &["content/out: error: the output folder is inside the content folder"] },
    Case { name: "output folder not written by handbook", setup: |s| { s.file("thesis/thesis.tex", "x"); vec!["--output".into(), "thesis".into()] }, expect: &["thesis: error: the output folder is not empty and was not written by handbook", "hint:", "--force"] },
    Case { name: "output path is a file", setup: |s| { s.file("out.txt", "x"); vec!["--output".into(), "out.txt".into()] }, expect: &["out.txt: error: the output path is a file, not a folder"] },
    Case { name: "template syntax error", setup: |s| { s.file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock content %}\n"); no_args() }, expect: &["templates/page.html:2:", "error: template error: syntax error"] },
    Case { name: "template uses an undefined variable", setup: |s| { s.file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.author.name }}\n{% endblock content %}\n"); no_args() }, expect: &["templates/page.html:3:4: error: template error:", "page.author.name"] },
    Case { name: "template includes a missing template", setup: |s| { s.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}{% include \"sidebar.html\" %}{% endblock content %}"); no_args() }, expect: &["templates/page.html", "sidebar.html"] },
    Case { name: "page names a missing template", setup: |s| { s.file("content/a.md", "+++\ntitle = \"A\"\ntemplate = \"wide.html\"\n+++\n"); no_args() }, expect: &["content/a.md:3: error: template \"wide.html\" does not exist"] },
    Case { name: "non-UTF-8 markdown", setup: |s| { s.bytes("content/a.md", b"# Caf\xe9\n\nLatin-1 text\n"); no_args() }, expect: &["content/a.md:1: error: the file is not valid UTF-8 (byte 5)", "hint: save the file with UTF-8 encoding"] },
    Case { name: "binary file named .md", setup: |s| { s.bytes("content/a.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"); no_args() }, expect: &["content/a.md: error: this looks like a binary file, not markdown"] },
    Case { name: "a slug claims another page's URL", setup: |s| { s.file("content/x/b.md", "---\nslug: c\n---\n# B\n").file("content/x/c.md", "# C\n"); no_args() }, expect: &["both have the URL /x/c/", "hint: rename one of the files"] },
    Case { name: "a permalink claims another page's URL", setup: |s| { s.file("content/p.md", "---\npermalink: /a/\n---\n# P\n"); no_args() }, expect: &["content/p.md: error: this page and `content/a.md` both have the URL /a/"] },
    Case { name: "two index pages in one folder", setup: |s| { s.file("content/team/index.md", "# Team\n").file("content/team/_index.md", "# Team\n"); no_args() }, expect: &["content/team/index.md: error: two index pages for the same folder"] },
    Case { name: "symlink loop", setup: |s| { s.file("content/sub/page.md", "# P\n"); std::os::unix::fs::symlink("..", s.path("content/sub/loop")).unwrap(); no_args() }, expect: &["content/sub/loop: error: symbolic link loop in the content folder"] },
    Case { name: "symlink pointing outside content", setup: |s| { s.file("secret.txt", "TOP SECRET"); std::os::unix::fs::symlink(s.path("secret.txt"), s.path("content/leak.md")).unwrap(); no_args() }, expect: &["content/leak.md: error: symbolic link points outside the content folder"] },
    Case { name: "unknown track", setup: |s| { s.file("content/r.md", &role("track = \"engneering\"\nlevel = \"mid\"\n")); no_args() }, expect: &["content/r.md:4: error: track \"engneering\" is not defined in site.toml", "did you mean \"engineering\"?"] },
    Case { name: "unknown level", setup: |s| { s.file("content/r.md", &role("track = \"engineering\"\nlevel = \"seniour\"\n")); no_args() }, expect: &["content/r.md:5: error: level \"seniour\" is not defined", "did you mean \"senior\"?"] },
    Case { name: "salary min above max", setup: |s| { s.file("content/r.md", &role("track = \"engineering\"\nlevel = \"mid\"\nsalary = { min = 9, max = 1, currency = \"GBP\" }\n")); no_args() }, expect: &["content/r.md:6: error: salary min (9) is above max (1)"] },
    Case { name: "bad currency", setup: |s| { s.file("content/r.md", &role("track = \"engineering\"\nlevel = \"mid\"\nsalary = { min = 1, max = 2, currency = \"POUNDS\" }\n")); no_args() }, expect: &["content/r.md:6: error: currency \"POUNDS\" is not an ISO 4217 code"] },
    Case { name: "open role without salary", setup: |s| { s.file("content/r.md", &role("track = \"engineering\"\nlevel = \"mid\"\n[role.opening]\nlocations = [\"Leeds\"]\nopens = 2026-01-01\n")); no_args() }, expect: &["content/r.md:", "error: an open role must publish a complete salary range"] },
    Case { name: "opening closes before it opens", setup: |s| { s.file("content/r.md", &role("track = \"engineering\"\nlevel = \"mid\"\nsalary = { min = 1, max = 2, currency = \"GBP\" }\n[role.opening]\nlocations = [\"Leeds\"]\nopens = 2026-05-01\ncloses = 2026-04-01\n")); no_args() }, expect: &["content/r.md:10: error: opening closes (2026-04-01) before it opens (2026-05-01)"] },
    Case { name: "alias that leaves the site", setup: |s| { s.file("content/a.md", "+++\ntitle = \"A\"\naliases = [\"https://evil.example/\"]\n+++\n"); no_args() }, expect: &["content/a.md:3: error: alias \"https://evil.example/\" is not a path on this site"] },
    Case { name: "alias that climbs out with ..", setup: |s| { s.file("content/a.md", "+++\ntitle = \"A\"\naliases = [\"../../etc/x\"]\n+++\n"); no_args() }, expect: &["content/a.md:3: error: alias \"../../etc/x\" is not a path on this site"] },
    Case { name: "broken link when links are errors", setup: |s| { s.file("site.toml", &format!("{CONFIG}\n[links]\ninternal = \"error\"\n")).file("content/a.md", "# A\n\nSee [gone](gone.md).\n"); no_args() }, expect: &["content/a.md:3:5: error: link `gone.md` points at nothing"] },
    Case { name: "content page on a careers URL", setup: |s| { s.file("content/careers/open.md", "# Ours\n"); no_args() }, expect: &["content/careers/open.md: error: this page's URL /careers/open/ is taken by a generated careers page"] },
];

fn good_site() -> TestSite {
    let site = TestSite::new();
    site.file("site.toml", CONFIG)
        .file("content/_index.md", "# Home\n\n[A](a.md)\n")
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\nText.\n");
    site
}

#[test]
fn every_bad_input_fails_cleanly_and_keeps_the_previous_output() {
    assert!(CASES.len() >= 30);
    let mut failures = Vec::new();
    for case in CASES {
        let site = good_site();
        site.build().ok();
        let before = site.snapshot("public");
        let args = (case.setup)(&site);
        let mut all = vec!["build".to_string()];
        all.extend(args);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let run = site.run(&refs);
        let mut problems = Vec::new();
        if run.code != 1 {
            problems.push(format!("exit code {} (expected 1)", run.code));
        }
        if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
            problems.push("panicked".into());
        }
        for e in case.expect {
            if !run.stderr.contains(e) {
                problems.push(format!("stderr lacks {e:?}"));
            }
        }
        if run.stderr.contains("TOP SECRET") || run.stdout.contains("TOP SECRET") {
            problems.push("leaked a file from outside the content folder".into());
        }
        if site.snapshot("public") != before {
            problems.push("the previous output changed".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n--- stderr ---\n{}",
                case.name,
                problems.join("; "),
                run.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_secret_behind_an_outside_symlink_never_reaches_the_output() {
    let site = good_site();
    site.file("secret.txt", "TOP SECRET");
    std::os::unix::fs::symlink(site.path("secret.txt"), site.path("content/leak.png")).unwrap();
    site.build().fails();
    assert!(!site.exists("public"));
}

// ---- inputs that must build ----

#[test]
fn empty_and_whitespace_only_pages_build() {
    let site = good_site();
    site.file("content/empty.md", "")
        .file("content/blank.md", "\n\n   \n");
    site.build().ok();
    assert_eq!(
        one_text(&site.html("empty/index.html"), "article > h1"),
        "Empty"
    );
}

#[test]
fn a_20_megabyte_page_builds() {
    let site = good_site();
    let para = "Our onboarding plan covers the first ninety days in detail, with a buddy and a written plan. ";
    let mut big = String::from("# Big\n\n");
    let mut n = 0;
    while big.len() < 20 * 1024 * 1024 {
        n += 1;
        if n % 50 == 0 {
            big.push_str(&format!("## Part {n}\n\n"));
        }
        big.push_str(para);
        big.push_str("\n\n");
    }
    site.file("content/big.md", &big);
    site.build().ok();
    let html = site.read("public/big/index.html");
    assert!(html.len() > 20 * 1024 * 1024);
    assert!(html.contains("id=\"part-50\""));
}

#[test]
fn ten_thousand_nested_block_quotes_build() {
    let site = good_site();
    site.file(
        "content/quotes.md",
        &format!("# Quotes\n\n{} deep\n", ">".repeat(10_000)),
    );
    site.build().ok();
    assert!(site.read("public/quotes/index.html").contains("deep"));
}

#[test]
fn two_thousand_nested_list_levels_build() {
    let site = good_site();
    let mut md = String::from("# Lists\n\n");
    for depth in 0..2_000 {
        md.push_str(&" ".repeat(depth * 2));
        md.push_str(&format!("- level {depth}\n"));
    }
    site.file("content/lists.md", &md);
    site.build().ok();
    assert!(site.read("public/lists/index.html").contains("level 1999"));
}

#[test]
fn a_page_with_fifty_thousand_links_builds() {
    let site = good_site();
    let mut md = String::from("# Links\n\n");
    for i in 0..50_000 {
        md.push_str(&format!("[a{i}](a.md) [x{i}](https://example.com/{i}) "));
    }
    site.file("content/links.md", &md);
    site.build().ok();
    let html = site.read("public/links/index.html");
    assert_eq!(html.matches("href=\"../a/index.html\">a").count(), 50_000);
}

#[test]
fn names_with_spaces_emoji_and_non_latin_scripts_build() {
    let site = good_site();
    site.file(
        "content/Pay and Benefits.md",
        "# Pay\n\n[emoji](🚀 Launch.md) [jp](採用/面接.md) [ru](Команда.md)\n",
    )
    .file("content/🚀 Launch.md", "# Launch 🚀\n")
    .file("content/採用/面接.md", "# 面接\n\n## 流れ\n")
    .file("content/Команда.md", "# Команда\n");
    let run = site.build();
    run.ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(site.exists("public/pay-and-benefits/index.html"));
    assert!(site.exists("public/launch/index.html"));
    assert!(site.exists("public/採用/面接/index.html"));
    assert!(site.exists("public/команда/index.html"));
    assert_links_resolve(&site, "/");
}
