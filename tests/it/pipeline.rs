//! The build pipeline: front matter, titles, URLs, links, heading ids,
//! base paths, drafts, sections, themes and atomic output.

use crate::harness::*;

#[test]
fn toml_yaml_and_no_front_matter_all_build() {
    let site = TestSite::new();
    site.file(
        "content/_index.md",
        "+++\ntitle = \"Acme Handbook\"\n+++\nWelcome.\n",
    )
    .file(
        "content/a.md",
        "+++\ntitle = \"From TOML\"\ndescription = \"toml page\"\n+++\nBody A\n",
    )
    .file(
        "content/b.md",
        "---\ntitle: From YAML\ndescription: yaml page\n---\nBody B\n",
    )
    .file("content/c.md", "# From Heading\n\nBody C\n");
    site.build().ok();
    let a = site.html("a/index.html");
    assert_eq!(one_text(&a, "article > h1"), "From TOML");
    assert_eq!(
        attrs(&a, "meta[name=description]", "content"),
        ["toml page"]
    );
    assert_eq!(
        one_text(&site.html("b/index.html"), "article > h1"),
        "From YAML"
    );
    assert_eq!(
        one_text(&site.html("c/index.html"), "title"),
        "From Heading · Acme Handbook"
    );
}

#[test]
fn title_falls_back_from_front_matter_to_heading_to_file_name() {
    let site = TestSite::new();
    site.file(
        "content/fm.md",
        "+++\ntitle = \"Front\"\n+++\n# Heading\n\ntext\n",
    )
    .file(
        "content/heading.md",
        "Intro line.\n\n# The *Real* Title\n\ntext\n",
    )
    .file("content/how-we-hire.md", "Just text, no heading.\n");
    site.build().ok();
    let fm = site.html("fm/index.html");
    assert_eq!(one_text(&fm, "article > h1"), "Front");
    // A different first heading stays in the body, as an h2 (one h1 a page).
    assert_eq!(texts(&fm, ".content h2"), ["Heading#"]);
    let h = site.html("heading/index.html");
    assert_eq!(one_text(&h, "article > h1"), "The Real Title");
    // The heading that became the title is not rendered twice.
    assert!(texts(&h, ".content h1").is_empty());
    assert_eq!(
        one_text(&site.html("how-we-hire/index.html"), "article > h1"),
        "How we hire"
    );
}

#[test]
fn readme_and_index_are_section_indexes_and_every_folder_gets_a_page() {
    let site = TestSite::new();
    site.file("content/README.md", "# Home\n")
        .file("content/team/README.md", "# The Team\n\nAbout the team.\n")
        .file("content/team/alice.md", "# Alice\n")
        .file(
            "content/policies/index.md",
            "+++\ntitle = \"Policies\"\n+++\nAll policies.\n",
        )
        .file("content/policies/leave.md", "# Leave\n")
        .file("content/empty-index/page.md", "# Lonely page\n");
    site.build().ok();
    let team = site.html("team/index.html");
    assert_eq!(one_text(&team, "article > h1"), "The Team");
    assert!(texts(&team, ".content p").contains(&"About the team.".to_string()));
    assert_eq!(texts(&team, ".cards a"), ["Alice"]);
    assert_eq!(
        one_text(&site.html("policies/index.html"), "article > h1"),
        "Policies"
    );
    // A folder without an index page still gets one listing its pages.
    let folder = site.html("empty-index/index.html");
    assert_eq!(one_text(&folder, "article > h1"), "Empty index");
    assert_eq!(texts(&folder, ".cards a"), ["Lonely page"]);
    // The home page lists the sections.
    let home = site.html("index.html");
    let sections = texts(&home, ".cards a");
    assert!(sections.contains(&"The Team".to_string()), "{sections:?}");
}

#[test]
fn file_names_with_spaces_and_capitals_get_slugged_urls() {
    let site = TestSite::new();
    site.file(
        "content/roles/Associate Business Analyst.md",
        "# Associate Business Analyst\n",
    )
    .file("content/Our Values/README.md", "# Values\n")
    .file(
        "content/custom.md",
        "+++\nslug = \"Chosen Slug\"\n+++\n# Custom\n",
    );
    site.build().ok();
    assert!(site.exists("public/roles/associate-business-analyst/index.html"));
    assert!(site.exists("public/our-values/index.html"));
    assert!(site.exists("public/chosen-slug/index.html"));
}

#[test]
fn relative_links_to_md_folders_and_images_are_rewritten_with_fragments() {
    let site = TestSite::new();
    site.file("content/_index.md", "# Home\n")
        .file(
            "content/culture/values.md",
            "# Values\n\n\
             [hire](how-we-hire.md#stage-2-interview) [spaced](<../roles/Senior Engineer.md>) \
             [encoded](../roles/Senior%20Engineer.md#pay) [folder](../roles/) [folder2](../roles) \
             [up](../) [ext](https://example.com/x.md) [mail](mailto:a@b.c)\n\n\
             ![logo](img/logo.png)\n",
        )
        .file(
            "content/culture/how-we-hire.md",
            "# How we hire\n\n## Stage 2: Interview\n",
        )
        .file(
            "content/roles/Senior Engineer.md",
            "# Senior Engineer\n\n## Pay\n",
        )
        .bytes("content/culture/img/logo.png", b"\x89PNG\r\n\x1a\nfake")
        // With base_url set, links are site-absolute (without, relative).
        .file("site.toml", "base_url = \"/\"\n");
    site.build().ok();
    let doc = site.html("culture/values/index.html");
    let hrefs = attrs(&doc, ".content a", "href");
    assert_eq!(
        hrefs,
        [
            "/culture/how-we-hire/#stage-2-interview",
            "/roles/senior-engineer/",
            "/roles/senior-engineer/#pay",
            "/roles/",
            "/roles/",
            "/",
            "https://example.com/x.md",
            "mailto:a@b.c",
        ]
    );
    assert_eq!(
        attrs(&doc, ".content img", "src"),
        ["/culture/img/logo.png"]
    );
    assert!(site.exists("public/culture/img/logo.png"));
}

#[test]
fn heading_ids_follow_github_including_duplicates() {
    let site = TestSite::new();
    site.file(
        "content/page.md",
        "# Page\n\n## Example\n\n## Example\n\n## What's next?\n\n### C++ & Rust\n\n## Example\n",
    );
    site.build().ok();
    let doc = site.html("page/index.html");
    assert_eq!(
        attrs(&doc, ".content h2, .content h3", "id"),
        ["example", "example-1", "whats-next", "c--rust", "example-2"]
    );
    // Each heading has a permalink anchor to itself.
    assert_eq!(
        attrs(&doc, ".content h2 a.anchor", "href")[..2],
        ["#example", "#example-1"]
    );
}

#[test]
fn base_url_with_a_sub_path_prefixes_every_link() {
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://acme.github.io/handbook\"\n",
    )
    .file("content/_index.md", "# Home\n\n[a](a.md) ![i](i.png)\n")
    .file("content/a.md", "# A\n\n[home](_index.md#top)\n")
    .bytes("content/i.png", b"png");
    site.build().ok();
    let home = site.html("index.html");
    assert_eq!(attrs(&home, ".content a", "href"), ["/handbook/a/"]);
    assert_eq!(attrs(&home, ".content img", "src"), ["/handbook/i.png"]);
    assert_eq!(
        attrs(&home, "link[rel=stylesheet]", "href")[0],
        "/handbook/style.css"
    );
    assert_eq!(
        attrs(&home, "link[rel=canonical]", "href"),
        ["https://acme.github.io/handbook/"]
    );
    let n = assert_links_resolve(&site, "/handbook/");
    assert!(n > 10);
    // --base-url overrides site.toml, e.g. for preview deployments.
    site.run(&["build", "--base-url", "https://preview.example/pr-7/"])
        .ok();
    assert_eq!(
        attrs(&site.html("index.html"), ".content a", "href"),
        ["/pr-7/a/"]
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::new();
    site.file("content/_index.md", "# Home\n")
        .file(
            "content/draft.md",
            "+++\ntitle = \"Secret\"\ndraft = true\n+++\nhidden\n",
        )
        .file("content/public.md", "# Public\n");
    site.build().ok();
    assert!(!site.exists("public/draft/index.html"));
    assert!(search_text(&site).contains("Public"));
    assert!(!search_text(&site).contains("Secret"));
    assert!(!site.read("public/sitemap.xml").contains("draft"));
    site.run(&["build", "--drafts"]).ok();
    assert!(site.exists("public/draft/index.html"));
}

#[test]
fn theme_templates_are_overridden_file_by_file() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n\nbody\n")
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">{{ page.title }} custom</p>{% endblock content %}",
        )
        .file("static/extra.css", "body{}");
    site.build().ok();
    let a = site.html("a/index.html");
    assert_eq!(one_text(&a, "#custom"), "A custom");
    // base.html still comes from the default theme.
    assert_eq!(texts(&a, ".skip-link"), ["Skip to content"]);
    assert!(site.exists("public/extra.css"));
    assert!(site.exists("public/style.css"));
}

#[test]
fn a_local_copy_of_the_default_theme_overrides_the_built_in_one_file_by_file() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n");
    // Only one file copied and changed: the rest comes from the binary.
    site.file(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"local\">{{ page.title }}</p>{% endblock content %}",
    )
    .file("themes/default/static/style.css", "/* local */");
    site.build().ok();
    let doc = site.html("a/index.html");
    assert_eq!(one_text(&doc, "#local"), "A");
    assert_eq!(texts(&doc, ".skip-link"), ["Skip to content"]);
    assert_eq!(site.read("public/style.css"), "/* local */");
    assert!(site.exists("public/handbook.js"));
}

#[test]
fn always_writes_nojekyll_404_sitemap_and_robots() {
    let site = TestSite::new();
    site.file("site.toml", "base_url = \"https://acme.example/\"\n")
        .file("content/a.md", "# A\n");
    let run = site.build();
    run.ok();
    assert!(
        // The home page, a, and search/: every page in a list.
        run.stdout.starts_with("Built 3 pages and "),
        "{}",
        run.stdout
    );
    assert!(site.exists("public/.nojekyll"));
    assert_eq!(
        one_text(&site.html("404.html"), "article > h1"),
        "Page not found"
    );
    let robots = site.read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://acme.example/sitemap.xml"));
}

#[test]
fn aliases_write_redirect_pages() {
    let site = TestSite::new();
    site.file(
        "content/new.md",
        "+++\ntitle = \"New\"\naliases = [\"/old/place/\", \"legacy.html\"]\n+++\n",
    );
    site.build().ok();
    for p in ["old/place/index.html", "legacy.html"] {
        let doc = site.html(p);
        assert_eq!(
            attrs(&doc, "meta[http-equiv=refresh]", "content"),
            ["0; url=/new/"]
        );
    }
}

#[test]
fn zero_config_github_markdown_repository_builds_with_every_link_working() {
    // A plain GitHub handbook: no site.toml, no front matter, READMEs,
    // spaces in names, images beside pages, links down, across and up.
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Acme Open Handbook\n\nStart with [our values](culture/Our%20Values.md), \
         the [hiring guide](hiring/) and [roles](roles/README.md#open-roles).\n\n\
         ![team photo](images/team.png)\n",
    )
    .file("culture/README.md", "# Culture\n\n- [Our Values](Our Values.md)\n- [Remote](remote-work.md#core-hours)\n")
    .file(
        "culture/Our Values.md",
        "# Our Values\n\n## Be kind\n\n## Be kind\n\nSee [the second](#be-kind-1) and [home](../README.md).\n\n\
         ![diagram](values%20diagram.png)\n",
    )
    .bytes("culture/values diagram.png", b"png")
    .file("culture/remote-work.md", "# Remote work\n\n## Core hours\n\nBack to [values](./Our%20Values.md#be-kind).\n")
    .file("hiring/README.md", "# Hiring\n\nSee [interviews](Interview Process.md) and [engineering roles](../roles/engineering/).\n")
    .file("hiring/Interview Process.md", "# Interview Process\n\n1. Call\n2. Pairing\n\n[Up](../README.md)\n")
    .file("roles/README.md", "# Roles\n\n## Open roles\n\n- [Backend Engineer](engineering/Backend%20Engineer.md)\n")
    .file("roles/engineering/Backend Engineer.md", "# Backend Engineer\n\n[How we hire](../../hiring/README.md) · [values](../../culture/Our%20Values.md#be-kind)\n")
    .bytes("images/team.png", b"png")
    .file(".github/workflows/ci.yml", "on: push\n")
    .file("node_modules/x/README.md", "# should be skipped\n");
    let run = site.build();
    run.ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(
        one_text(&site.html("index.html"), "title"),
        "Acme Open Handbook"
    );
    assert!(site.exists("public/culture/our-values/index.html"));
    assert!(!site.exists("public/node_modules"));
    assert!(!site.exists("public/.github"));
    let n = assert_links_resolve(&site, "/");
    assert!(n > 30, "only {n} links checked");
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n\nfirst version\n");
    site.build().ok();
    let before = site.snapshot("public");
    assert!(before.len() > 5);
    // A template error: the build must fail and keep the old site.
    site.file("content/a.md", "# A\n\nsecond version\n").file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.nope }}{% endblock content %}",
    );
    site.build().fails();
    assert_eq!(site.snapshot("public"), before);
    // No temporary folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn content_and_output_folders_can_be_chosen() {
    let site = TestSite::new();
    site.file("docs/a.md", "# A\n");
    site.run(&["build", "--content", "docs", "--output", "site-out"])
        .ok();
    assert!(site.exists("site-out/a/index.html"));
}

#[test]
fn code_blocks_are_highlighted_and_unknown_languages_escaped() {
    let site = TestSite::new();
    site.file(
        "content/a.md",
        "# A\n\n```rust\nfn main() {}\n```\n\n```klingon\n<b>qapla</b>\n```\n",
    );
    site.build().ok();
    let doc = site.html("a/index.html");
    assert!(!texts(&doc, "pre[data-lang=rust] span[class^=hl-]").is_empty());
    assert_eq!(texts(&doc, "pre code.language-klingon"), ["<b>qapla</b>"]);
    assert!(site
        .read("public/highlight.css")
        .contains("prefers-color-scheme: dark"));
}

#[test]
fn usage_errors_exit_with_two() {
    let site = TestSite::new();
    let run = site.run(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{run:?}");
    let run = site.run(&["frobnicate"]);
    assert_eq!(run.code, 2);
}

#[test]
fn a_site_without_code_never_loads_the_syntax_set() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n\nNo code here, only `inline code`.\n");
    let run = site.run(&["build"]);
    run.ok();
    let timed = std::process::Command::new(bin())
        .arg("build")
        .current_dir(site.root())
        .env("HANDBOOK_TIMINGS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&timed.stderr);
    assert!(stderr.contains("syntax set loaded: no"), "{stderr}");
    assert!(!site.exists("public/highlight.css"));
    site.file("content/b.md", "# B\n\n```yaml\na: 1\n```\n");
    let timed = std::process::Command::new(bin())
        .arg("build")
        .current_dir(site.root())
        .env("HANDBOOK_TIMINGS", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&timed.stderr).contains("syntax set loaded: yes"));
}

#[test]
fn inline_highlighting_uses_style_attributes() {
    let site = TestSite::new();
    site.file("site.toml", "[markdown]\nhighlight_theme = \"inline\"\n")
        .file("content/a.md", "# A\n\n```bash\necho hi\n```\n");
    site.build().ok();
    let doc = site.html("a/index.html");
    assert!(!attrs(&doc, ".content pre span[style]", "style").is_empty());
    assert!(!site.exists("public/highlight.css"));
}

#[test]
fn search_index_has_titles_headings_text_and_role_data() {
    let site = TestSite::new();
    site.file(
        "site.toml",
        "base_url = \"/hb/\"\n[careers]\ncountry = \"GB\"\n[[careers.tracks]]\nid = \"eng\"\nname = \"Engineering\"\n[[careers.levels]]\nid = \"senior\"\nname = \"Senior\"\n",
    )
    .file("content/culture/values.md", "# Values\n\n## Be kind\n\nWe write things down.\n")
    .file(
        "content/roles/sre.md",
        "+++\ntitle = \"SRE\"\n[role]\ntrack = \"eng\"\nlevel = \"senior\"\nsalary = { min = 1, max = 2, currency = \"GBP\" }\n[role.opening]\nlocations = []\nworkplace = \"remote\"\nopens = 2026-01-01\n+++\nYou will tame pagers.\n",
    );
    site.build().ok();
    let cards = search_cards(&site);
    let values = cards.iter().find(|c| c["t"] == "Values").unwrap();
    assert_eq!(values["u"], "/hb/culture/values/");
    assert_eq!(values["h"], serde_json::json!([["be-kind", "Be kind"]]));
    assert_eq!(values["s"][1], "We write things down.");
    assert!(values.get("r").is_none());
    let sre = cards.iter().find(|c| c["t"] == "SRE").unwrap();
    assert_eq!(sre["r"], "Senior · Engineering · Open now");
    assert!(sre["s"][0].as_str().unwrap().contains("tame pagers"));
    let roles: serde_json::Value =
        serde_json::from_str(&site.read("public/search/roles.json")).unwrap();
    assert_eq!(roles.as_array().unwrap().len(), 1, "{roles}");
    // Pages reference the index but never embed it.
    let page = site.read("public/culture/values/index.html");
    assert!(page.contains("data-index=\"/hb/search/manifest.json\""));
    assert!(!page.contains("write things down.\",\""));
}

/// Every result card of the search index.
fn search_cards(site: &TestSite) -> Vec<serde_json::Value> {
    std::fs::read_dir(site.path("public/search/p"))
        .unwrap()
        .flatten()
        .map(|e| serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap())
        .collect()
}

/// Every file of the search index, concatenated.
fn search_text(site: &TestSite) -> String {
    walkdir::WalkDir::new(site.path("public/search"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect()
}

#[test]
fn sidebar_output_grows_linearly_in_large_sections() {
    let site = TestSite::new();
    for i in 0..300 {
        site.file(
            &format!("content/big/page-{i:03}.md"),
            &format!("# Page {i:03}\n\nText.\n"),
        );
    }
    site.build().ok();
    let doc = site.html("big/page-150/index.html");
    let listed = texts(&doc, ".sidebar a");
    // The current page is always listed, but not all 300 siblings.
    assert!(listed.contains(&"Page 150".to_string()));
    assert!(listed.len() < 60, "{} sidebar links", listed.len());
    assert!(
        listed.iter().any(|t| t.contains("more in Big")),
        "{listed:?}"
    );
    // The section page itself lists every page.
    assert_eq!(
        texts(&site.html("big/index.html"), ".cards li > a").len(),
        300
    );
}

#[test]
fn last_updated_comes_from_git_history() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(site.root())
            .env("GIT_AUTHOR_DATE", "2024-02-03T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2024-02-03T10:00:00Z")
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["-c", "user.email=t@e.st", "-c", "user.name=T", "add", "."]);
    git(&[
        "-c",
        "user.email=t@e.st",
        "-c",
        "user.name=T",
        "commit",
        "-qm",
        "x",
    ]);
    site.build().ok();
    let doc = site.html("a/index.html");
    assert_eq!(attrs(&doc, ".page-meta time", "datetime"), ["2024-02-03"]);
}

#[test]
fn relative_src_and_href_in_raw_html_are_rewritten_like_markdown_links() {
    let site = TestSite::new();
    site.file(
        "content/culture/values.md",
        "# Values\n\n<p align=\"center\"><img src=\"img/logo.png\" width=\"120\" alt=\"Logo\"></p>\n\n\
         Read <a href=\"how-we-hire.md#stage-1\">how we hire</a> or <a href='https://example.com/'>out</a>.\n\n\
         <img src=\"img/missing.png\">\n",
    )
    .file("content/culture/how-we-hire.md", "# How we hire\n\n## Stage 1\n")
    .bytes("content/culture/img/logo.png", b"png")
    .file("site.toml", "base_url = \"/\"\n");
    let run = site.build();
    run.ok().stderr_has(
        "content/culture/values.md:7:6: warning: image `img/missing.png` points at nothing",
    );
    let doc = site.html("culture/values/index.html");
    assert_eq!(
        attrs(&doc, ".content img", "src"),
        ["/culture/img/logo.png", "img/missing.png"]
    );
    assert_eq!(
        attrs(&doc, ".content a:not(.anchor)", "href"),
        ["/culture/how-we-hire/#stage-1", "https://example.com/"]
    );
    assert_eq!(attrs(&doc, ".content img", "width"), ["120"]);
}

#[test]
fn large_sites_load_one_shared_sidebar_instead_of_repeating_it() {
    let site = large_site();
    site.file("site.toml", "base_url = \"/hb/\"\n");
    site.build().ok();
    let page = site.html("section-3/page-07/index.html");
    // The page points at the shared file and carries only a small sidebar
    // for readers without JavaScript: Home, the sections, its own branch
    // open and itself marked.
    assert_eq!(
        attrs(&page, ".sidebar [data-nav-src]", "data-nav-src"),
        ["/hb/_nav.html"]
    );
    let inline = texts(&page, ".sidebar a");
    assert_eq!(inline.len(), 8, "{inline:?}");
    assert_eq!(
        texts(&page, ".sidebar li.active > a"),
        ["Section 3", "Page 3.07"]
    );
    assert_eq!(texts(&page, ".sidebar a[aria-current=page]"), ["Page 3.07"]);
    // The shared file lists Home and every section, not every page.
    let nav = Html::parse_fragment(&site.read("public/_nav.html"));
    let links = attrs(&nav, "a", "href");
    assert_eq!(links.len(), 7, "{links:?}");
    assert!(links.contains(&"/hb/".to_string()) && links.contains(&"/hb/section-5/".to_string()));
    // The section page still lists all of its pages.
    assert_eq!(
        texts(&site.html("section-3/index.html"), ".cards li > a").len(),
        90
    );
}
