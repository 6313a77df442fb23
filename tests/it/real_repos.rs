//! Defects found by building real handbook repositories with zero config
//! (docs/real-handbooks.md), each distilled into a small fixture: collision
//! rules (no page's text is ever lost), what a repository publishes and what
//! it skips, and the `--verbose` list of skipped files.

use crate::harness::*;

// ---- collision rules ----------------------------------------------------

#[test]
fn a_page_beside_a_folder_of_the_same_name_becomes_its_index_with_the_list_after() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file("expenses.md", "# Expenses\n\nClaim within 30 days.\n")
        .file("expenses/travel.md", "# Travel\n\nBook early.\n")
        .file("guide.md", "See [expenses](expenses.md).\n");
    site.build().ok();
    let doc = site.html("expenses/index.html");
    assert_eq!(one_text(&doc, "h1"), "Expenses");
    assert_eq!(texts(&doc, ".content p"), ["Claim within 30 days."]);
    // The section's own list follows the body.
    assert_eq!(texts(&doc, "ul.cards a"), ["Travel"]);
    let html = site.read("public/expenses/index.html");
    assert!(html.find("Claim within").unwrap() < html.find("Travel</a>").unwrap());
    assert!(!site.exists("public/expenses/expenses/index.html"));
    // Links to the page land on the section.
    let guide = site.html("guide/index.html");
    assert_eq!(
        attrs(&guide, ".content a", "href"),
        ["../expenses/index.html"]
    );
}

#[test]
fn readme_beside_an_index_file_is_a_page_of_its_own() {
    let site = TestSite::new();
    site.file("index.md", "# Home\n\nThe site's front page.\n")
        .file(
            "README.md",
            "# About this repository\n\nHow to contribute.\n",
        );
    site.build().ok();
    assert_eq!(
        texts(&site.html("index.html"), ".content p"),
        ["The site's front page."]
    );
    assert_eq!(
        texts(&site.html("readme/index.html"), ".content p"),
        ["How to contribute."]
    );
}

#[test]
fn two_index_files_in_one_folder_fail_naming_both() {
    let site = TestSite::new();
    site.file("team/_index.md", "# Team\n")
        .file("team/index.md", "# Team too\n");
    site.build().fails().stderr_has(
        "team/index.md: error: two index pages for the same folder: this one and `team/_index.md`",
    );
}

#[test]
fn a_page_beside_a_folder_with_its_own_index_moves_to_its_file_name_with_a_warning() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\nSee [the draft](money.md#Rules) and [the folder](money/).\n",
    )
    .file("money.md", "# Money rules\n\nDraft rules.\n\n## Rules\n")
    .file("money/README.md", "# Money\n\nLanding page.\n")
    .file(
        "money/spend.md",
        "# Spend\n\nBack to [the rules](../money.md).\n",
    );
    site.build().ok().stderr_has(
        "money.md: warning: this page and `money/README.md` both ask for /money/; \
         the folder keeps it and this page is published at /money.md/",
    );
    // Both pages keep their text, each at its own URL.
    let folder = site.html("money/index.html");
    assert_eq!(one_text(&folder, "h1"), "Money");
    assert_eq!(texts(&folder, ".content p"), ["Landing page."]);
    let page = site.html("money.md/index.html");
    assert_eq!(one_text(&page, "h1"), "Money rules");
    assert_eq!(texts(&page, ".content p"), ["Draft rules."]);
    // Links written as `money.md` reach the page, links to `money/` the folder.
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, ".content a", "href"),
        ["money.md/index.html#rules", "money/index.html"]
    );
    let spend = site.html("money/spend/index.html");
    assert_eq!(
        attrs(&spend, ".content a", "href"),
        ["../../money.md/index.html"]
    );
}

#[test]
fn a_slug_claiming_a_folders_url_still_fails_naming_both() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file("notes.md", "---\nslug: money\n---\n# Notes\n")
        .file("money/README.md", "# Money\n");
    site.build()
        .fails()
        .stderr_has("notes.md: error: this page and `money/README.md` both have the URL /money/");
}

#[test]
fn two_file_names_that_slug_alike_both_publish_with_a_warning() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\n[a](On%20Call.md) [b](on-call.md)\n",
    )
    .file("On Call.md", "# On call\n\nThe rota.\n")
    .file("on-call.md", "# On-call\n\nThe pay.\n");
    site.build().ok().stderr_has(
        "on-call.md: warning: this page and `On Call.md` both ask for /on-call/; \
         the first keeps it and this page is published at /on-call.md/",
    );
    assert_eq!(
        texts(&site.html("on-call/index.html"), ".content p"),
        ["The rota."]
    );
    assert_eq!(
        texts(&site.html("on-call.md/index.html"), ".content p"),
        ["The pay."]
    );
    assert_eq!(
        attrs(&site.html("index.html"), ".content p a", "href"),
        ["on-call/index.html", "on-call.md/index.html"]
    );
}

#[test]
fn two_slugs_claiming_one_url_fail_naming_both() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file("a.md", "---\nslug: rota\n---\n# A\n")
        .file("b.md", "---\nslug: rota\n---\n# B\n");
    site.build()
        .fails()
        .stderr_has("b.md: error: this page and `a.md` both have the URL /rota/");
}

#[test]
fn a_raw_html_file_on_a_generated_pages_url_fails_naming_both() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file("pages/a.md", "# A\n")
        .file("pages/index.html", "<p>{{ site.description }}</p>\n");
    site.build()
        .fails()
        .stderr_has("pages/index.html: error: this file and the page for `pages/` (a section without an index page) are both /pages/index.html");
}

// ---- publish the site, not the repository --------------------------------

/// A repository with a handbook at its root and everything else a real one has.
fn repository() -> TestSite {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\n![Logo](img/logo.png) [setup](scripts/setup.sh)\n",
    )
    .file("img/logo.png", "png")
    .file("scripts/setup.sh", "echo hi\n")
    .file("scripts/deploy.sh", "echo deploy\n")
    .file("package.json", "{}\n")
    .file("package-lock.json", "{}\n")
    .file("Dockerfile", "FROM x\n")
    .file("CODEOWNERS", "* @a\n")
    .file("config/site.js", "module.exports = {}\n")
    .file(".github/workflows/ci.yml", "on: push\n")
    .file("_includes/head.html", "<meta>\n")
    .file("_layouts/default.html", "{{ content }}\n")
    .file("_data/team.yml", "- a\n")
    .file("_drafts/idea.md", "# Idea\n")
    .file("layout.html", "---\nlayout: x\n---\n{{ content }}\n")
    .file("raw.html", "<p>Hand-written page.</p>\n")
    .file("notes/secret.md", "# Secret\n")
    .file(".gitignore", "notes/\n")
    .file("old-site/index.html", "<p>old</p>\n")
    .file("old-site/sitemap.xml", "<urlset/>\n")
    .file("bin/Command.php", "<?php\n")
    .file("bin/templates/list.mustache", "{{#items}}\n")
    .file("web/App.tsx", "export {}\n")
    .file("phpcs.xml.dist", "<ruleset/>\n");
    site
}

#[test]
fn a_repository_publishes_its_pages_and_the_files_they_use_only() {
    let site = repository();
    let run = site.build();
    run.ok().stderr_has("Not published: ");
    for kept in ["index.html", "img/logo.png", "scripts/setup.sh", "raw.html"] {
        assert!(
            site.exists(&format!("public/{kept}")),
            "{kept} should be published"
        );
    }
    for left in [
        "scripts/deploy.sh",
        "package.json",
        "package-lock.json",
        "Dockerfile",
        "CODEOWNERS",
        "config/site.js",
        "workflows/ci.yml",
        "github/workflows/ci.yml",
        "includes/head.html",
        "_includes/head.html",
        "layouts/default.html",
        "data/team.yml",
        "drafts/idea/index.html",
        "layout.html",
        "notes/secret/index.html",
        "old-site/index.html",
        "bin/Command.php",
        "bin/templates/list.mustache",
        "web/App.tsx",
        "phpcs.xml.dist",
    ] {
        assert!(
            !site.exists(&format!("public/{left}")),
            "{left} should not be published"
        );
    }
}

#[test]
fn verbose_lists_each_skipped_file_and_why() {
    let site = repository();
    site.file(".handbook-cache/cards/0a1b.png", "png");
    let run = site.run(&["build", "--verbose"]);
    run.ok()
        .stderr_has("  package.json: repository plumbing")
        .stderr_has("  Dockerfile: repository plumbing")
        .stderr_has("  config/site.js: source code")
        .stderr_has("  scripts/deploy.sh: a script")
        .stderr_has("  _includes/: another site generator's templates, data or drafts")
        .stderr_has("  layout.html: another site generator's template (HTML with front matter)")
        .stderr_has("  notes/: ignored by .gitignore")
        .stderr_has("  old-site/: a previous build output");
    assert!(!run.stderr.contains("img/logo.png:"), "{}", run.stderr);
    // handbook's own cache is a tool folder, not worth a line.
    assert!(!run.stderr.contains(".handbook-cache"), "{}", run.stderr);
}

#[test]
fn a_previous_output_elsewhere_is_not_republished() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n\nText.\n");
    site.build().ok();
    // Build again into another folder: the old public/ is not content.
    let out = site.path("elsewhere");
    site.run(&["build", "--output", out.to_str().unwrap()]).ok();
    assert!(site.exists("elsewhere/index.html"));
    assert!(!site.exists("elsewhere/public"));
}

#[test]
fn include_and_exclude_in_site_toml_override_the_rules() {
    let site = repository();
    site.file(
        "site.toml",
        "content_dir = \".\"\ninclude = [\"scripts/deploy.sh\", \"_data/**\"]\nexclude = [\"raw.html\", \"img/**\"]\n",
    );
    site.build().ok();
    assert!(site.exists("public/scripts/deploy.sh"));
    assert!(site.exists("public/data/team.yml"));
    assert!(!site.exists("public/raw.html"));
    assert!(!site.exists("public/img/logo.png"));
}

#[test]
fn an_invalid_include_pattern_names_the_line() {
    let site = TestSite::new();
    site.file("site.toml", "title = \"T\"\ninclude = [\"a/[b\"]\n")
        .file("content/a.md", "# A\n");
    site.build()
        .fails()
        .stderr_has("site.toml:2: error: `include` pattern \"a/[b\" is not a valid glob");
}

// ---- other generators' front matter --------------------------------------

#[test]
fn permalink_sets_the_url_and_links_follow_it() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n\n[Leave](policies/leave.md)\n")
        .file(
            "policies/leave.md",
            "---\ntitle: Leave\npermalink: /time-off/\n---\nTake it.\n",
        );
    site.build().ok();
    assert_eq!(
        texts(&site.html("time-off/index.html"), ".content p"),
        ["Take it."]
    );
    assert!(!site.exists("public/policies/leave/index.html"));
    assert_eq!(
        attrs(&site.html("index.html"), ".content a", "href"),
        ["time-off/index.html"]
    );
}

#[test]
fn redirect_from_makes_redirect_pages() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file(
            "leave.md",
            "---\nredirect_from:\n  - /holidays/\n  - /old/leave.html\n---\n# Leave\n",
        )
        .file("pay.md", "---\nredirect_from: /salary/\n---\n# Pay\n");
    site.build().ok();
    for old in ["public/holidays/index.html", "public/old/leave.html"] {
        assert!(site.read(old).contains("url=/leave/"), "{old}");
    }
    assert!(site.read("public/salary/index.html").contains("url=/pay/"));
}

#[test]
fn links_to_an_old_address_lead_straight_to_the_page_without_a_warning() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\n[Holidays](/holidays) · [old](/old/leave.html#how) · [gone](/gone/)\n",
    )
    .file(
        "leave.md",
        "---\nredirect_from:\n  - /holidays/\n  - /old/leave.html\n---\n# Leave\n\n## How\n",
    );
    let run = site.build();
    run.ok().stderr_has("link `/gone/` points at nothing");
    assert_eq!(
        run.stderr.matches("points at nothing").count(),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        attrs(&site.html("index.html"), ".content p a", "href"),
        [
            "leave/index.html",
            "leave/index.html#how",
            "gone/index.html"
        ]
    );
}

#[test]
fn nav_order_and_sidebar_position_order_the_sidebar() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file("alpha.md", "---\nnav_order: 3\n---\n# Alpha\n")
        .file("beta.md", "---\nsidebar_position: 1\n---\n# Beta\n")
        .file("gamma.md", "---\nnav_order: 2.0\n---\n# Gamma\n");
    site.build().ok();
    let doc = site.html("index.html");
    let order: Vec<String> = texts(&doc, "nav a")
        .into_iter()
        .filter(|t| ["Alpha", "Beta", "Gamma"].contains(&t.as_str()))
        .collect();
    assert_eq!(order, ["Beta", "Gamma", "Alpha"]);
}

#[test]
fn nav_exclude_publishes_without_a_sidebar_entry_and_published_false_leaves_out() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file("shown.md", "# Shown\n")
        .file(
            "hidden.md",
            "---\nnav_exclude: true\n---\n# Hidden\n\nStill here.\n",
        )
        .file(
            "unpublished.md",
            "---\npublished: false\n---\n# Unpublished\n",
        );
    site.build().ok();
    let nav = texts(&site.html("index.html"), "nav a");
    assert!(nav.contains(&"Shown".to_string()), "{nav:?}");
    assert!(!nav.contains(&"Hidden".to_string()), "{nav:?}");
    assert_eq!(
        texts(&site.html("hidden/index.html"), ".content p"),
        ["Still here."]
    );
    assert!(!site.exists("public/unpublished/index.html"));
}

#[test]
fn other_generators_keys_are_summarised_once_and_typos_still_warned() {
    let site = TestSite::new();
    site.file("README.md", "---\nlayout: home\n---\n# Handbook\n");
    for i in 0..5 {
        site.file(
            &format!("p{i}.md"),
            "---\nlayout: page\nkeywords: [a]\nlast_reviewed_at: 2024-01-01\n---\n# P\n",
        );
    }
    site.file("typo.md", "---\ntilte: Oops\n---\n# T\n");
    let run = site.build();
    run.ok()
        .stderr_has("Ignored 16 front matter keys used by other generators: layout ×6, keywords ×5, last_reviewed_at ×5; --verbose lists them")
        .stderr_has("typo.md:2: warning: unknown front matter key `tilte`");
    assert!(
        !run.stderr.contains("unknown front matter key `layout`"),
        "{}",
        run.stderr
    );
    site.run(&["build", "--verbose"])
        .ok()
        .stderr_has("  p3.md: layout, keywords, last_reviewed_at");
}

#[test]
fn template_tags_outside_code_warn_once_per_file() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file(
            "a.md",
            "---\ntitle: A\n---\nIntro.\n\n{% include note.html %}\n\nSee {{ site.url }}.\n\n```\n{{ in code }}\n```\n",
        )
        .file("b.md", "# B\n\nUse `{{ var }}` in templates.\n");
    let run = site.build();
    run.ok()
        .stderr_has("a.md:6: warning: template tag `{% include note.html %}` will show as text");
    assert_eq!(
        run.stderr.matches("template tag").count(),
        1,
        "{}",
        run.stderr
    );
}

// ---- titles and summaries ---------------------------------------------------

#[test]
fn heading_entities_and_markup_render_once_and_badges_never_title() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Acme Handbook [![CI](https://ci.example/badge.svg)](https://ci.example)\n\nWelcome.\n",
    )
    .file("pay.md", "# Pay &amp; benefits <em>now</em>\n\nText.\n")
    .file("rd.md", "# R&D `tools`\n\nText.\n");
    site.build().ok();
    let home = site.html("index.html");
    assert_eq!(one_text(&home, "title"), "Acme Handbook");
    let pay = site.html("pay/index.html");
    assert_eq!(
        one_text(&pay, "title"),
        "Pay & benefits now · Acme Handbook"
    );
    assert_eq!(one_text(&pay, "h1"), "Pay & benefits now");
    assert_eq!(texts(&pay, "h1 em"), ["now"]);
    let rd = site.html("rd/index.html");
    assert_eq!(texts(&rd, "h1 code"), ["tools"]);
    assert_eq!(rd.select(&Selector::parse("h1").unwrap()).count(), 1);
    let nav = texts(&pay, "nav a");
    assert!(nav.contains(&"Pay & benefits now".to_string()), "{nav:?}");
    // The search list of every page shows the title once, decoded.
    let listed = texts(&site.html("search/index.html"), "main a");
    assert!(
        listed.contains(&"Pay & benefits now".to_string()),
        "{listed:?}"
    );
}

#[test]
fn automatic_descriptions_keep_line_break_spaces_and_end_on_a_word() {
    let site = TestSite::new();
    let long = "word ".repeat(60);
    site.file("README.md", "# Handbook\n")
        .file(
            "a.md",
            "# A\n\nWe want people to be\nready, and government\naccounts tidy.\n",
        )
        .file("b.md", &format!("# B\n\nStart {long}end.\n"));
    site.build().ok();
    let desc = |page: &str| {
        attrs(&site.html(page), "meta[name=description]", "content")
            .pop()
            .unwrap()
    };
    assert_eq!(
        desc("a/index.html"),
        "We want people to be ready, and government accounts tidy."
    );
    let b = desc("b/index.html");
    assert!(b.ends_with("word…"), "{b}");
    assert!(b.len() <= 204, "{b}");
}

// ---- sidebar labels ----------------------------------------------------------

#[test]
fn sidebar_labels_come_from_the_folder_index_title_else_the_folder_name() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file("AI/guide.md", "# Guide\n")
        .file("it.md", "# IT\n\nHelp desk.\n")
        .file("it/laptops.md", "# Laptops\n")
        .file("ceo-team/README.md", "# The CEO's team\n")
        .file("ceo-team/notes.md", "# Notes\n")
        .file("on-call/rota.md", "# Rota\n");
    site.build().ok();
    let nav = texts(&site.html("index.html"), ".sidebar a");
    for label in ["AI", "IT", "The CEO's team", "On call"] {
        assert!(nav.contains(&label.to_string()), "{label}: {nav:?}");
    }
}

// ---- opened from disk ----------------------------------------------------------

#[test]
fn without_base_url_links_are_relative_and_the_summary_says_how_to_preview() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\n[Guide](team/guide.md#setup) ![x](img/x.png)\n",
    )
    .file(
        "team/guide.md",
        "# Guide\n\n## Setup\n\n[Home](../README.md)\n",
    )
    .file("img/x.png", "png");
    let run = site.build();
    run.ok();
    assert!(
        run.stdout.contains(
            "Preview with live reload: handbook serve (or open public/index.html in a browser)"
        ),
        "{}",
        run.stdout
    );
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, ".content a", "href"),
        ["team/guide/index.html#setup"]
    );
    assert_eq!(attrs(&home, ".content img", "src"), ["img/x.png"]);
    assert_eq!(attrs(&home, "link[rel=stylesheet]", "href")[0], "style.css");
    let guide = site.html("team/guide/index.html");
    assert_eq!(
        attrs(&guide, ".content a:not(.anchor)", "href"),
        ["../../index.html"]
    );
    assert_eq!(
        attrs(&guide, "link[rel=stylesheet]", "href")[0],
        "../../style.css"
    );
    assert_eq!(
        attrs(&guide, "link[rel=canonical]", "href"),
        ["/team/guide/"]
    );
    assert!(assert_links_resolve(&site, "/") > 10);
    // With base_url, links stay site-absolute and no preview hint is needed.
    site.file(
        "site.toml",
        "content_dir = \".\"\nbase_url = \"https://acme.example/hb/\"\n",
    );
    let run = site.build();
    assert!(!run.stdout.contains("Preview with live reload"));
    assert_eq!(
        attrs(&site.html("index.html"), ".content a", "href"),
        ["/hb/team/guide/#setup"]
    );
}

#[test]
fn two_pages_redirecting_from_one_old_address_warn_naming_both() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n")
        .file("a.md", "---\nredirect_from: /old/\n---\n# A\n")
        .file("b.md", "---\nredirect_from: /old/\n---\n# B\n");
    site.build()
        .ok()
        .stderr_has("b.md: warning: alias \"/old/\" is also an alias of `a.md`");
    assert!(site.read("public/old/index.html").contains("a/"));
}

#[test]
fn files_in_hidden_folders_are_published_only_when_a_page_links_to_them() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\n![Flow](.gitbook/assets/flow%20chart.png) [template](/.github/ISSUE_TEMPLATE/rfc.md)\n",
    )
    .file(".gitbook/assets/flow chart.png", "png")
    .file(".gitbook/assets/unused.png", "png")
    .file(".github/ISSUE_TEMPLATE/rfc.md", "---\nname: RFC\n---\n# RFC\n")
    .file(".github/workflows/ci.yml", "on: push\n")
    .file(".git/HEAD", "ref: refs/heads/main\n");
    let run = site.run(&["build", "--verbose"]);
    run.ok()
        .stderr_has("  .gitbook/assets/unused.png: in a hidden folder")
        .stderr_has("  .github/workflows/ci.yml: in a hidden folder");
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(!run.stderr.contains(".git/HEAD"), "{}", run.stderr);
    let home = site.html("index.html");
    let img = attrs(&home, ".content img", "src").pop().unwrap();
    let link = attrs(&home, ".content a", "href").pop().unwrap();
    assert!(
        site.path("public").join(img.replace("%20", " ")).is_file(),
        "{img}"
    );
    assert!(site.path("public").join(&link).is_file(), "{link}");
    assert!(!site.exists("public/gitbook/assets/unused.png"));
}

#[test]
fn a_jekyll_source_folder_is_the_content_in_zero_config() {
    let site = TestSite::new();
    site.file("_config.yml", "title: Playbook\nsource: src\n")
        .file("README.md", "# How to run this repository\n")
        .file(
            "src/index.md",
            "# Playbook\n\nSee [leave](/staff/leave/).\n",
        )
        .file("src/staff/leave.md", "# Leave\n")
        .file("src/_layouts/default.html", "{{ content }}\n")
        .file(
            "src/404.html",
            "---\nlayout: default\n---\nNot found {{ page.url }}\n",
        );
    site.build().ok();
    assert_eq!(
        attrs(&site.html("index.html"), ".content a", "href"),
        ["staff/leave/index.html"]
    );
    assert!(!site.exists("public/readme/index.html"));
    assert!(!site.read("public/404.html").contains("{{ page.url }}"));
}

// ---- fragments --------------------------------------------------------------

#[test]
fn a_fragment_differing_only_in_case_is_written_as_the_heading_id() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\n[Up](#Escalations-Sources) · [there](on-call.md#Sources-Of-Escalations) · \
         <a href=\"on-call.md#SOURCES-OF-ESCALATIONS\">raw</a> · [kept](on-call.md#sources-of-escalations)\n\n\
         ## Escalations sources\n",
    )
    .file("on-call.md", "# On call\n\n## Sources of escalations\n");
    let run = site.build();
    run.ok();
    assert!(
        !run.stderr.contains("no heading or id"),
        "case-only fragments are not reported: {}",
        run.stderr
    );
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, ".content p a", "href"),
        [
            "#escalations-sources",
            "on-call/index.html#sources-of-escalations",
            "on-call/index.html#sources-of-escalations",
            "on-call/index.html#sources-of-escalations",
        ]
    );
    // A fragment that matches nothing, in any case, is still reported.
    site.file("on-call.md", "# On call\n\n## Other heading\n");
    site.build()
        .ok()
        .stderr_has("no heading or id `#Sources-Of-Escalations` in on-call.md");
}

// ---- the repository around a content folder ---------------------------------

/// A repository whose handbook is in `content/`, with the usual files around it.
fn repository_around_content() -> TestSite {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Acme handbook repository\n\nRead [hiring](content/hiring.md), [setup](docs/setup.md) \
         and [how to help](CONTRIBUTING.md).\n\n![Flow](docs/flow.png)\n",
    )
    .file(
        "CONTRIBUTING.md",
        "# Contributing\n\nOpen a pull request.\n",
    )
    .file(
        "docs/setup.md",
        "# Setup\n\nBack to [the README](../README.md) or [the team](../content/team/).\n",
    )
    .bytes("docs/flow.png", b"\x89PNG\r\n\x1a\n")
    .file("docs/unused.png", "x")
    .file(
        "content/README.md",
        "# Acme\n\nSee [contributing](../CONTRIBUTING.md), [hiring](/hiring.md) and \
         [setup](/docs/setup.md).\n",
    )
    .file("content/hiring.md", "# Hiring\n\nWe hire.\n")
    .file("content/team/README.md", "# Team\n")
    .file("package.json", "{}\n")
    .file("Gemfile", "source 'x'\n")
    .file(".github/workflows/ci.yml", "on: push\n")
    .file(".github/PULL_REQUEST_TEMPLATE.md", "Describe it.\n")
    .file("_layouts/default.html", "<html>{{ content }}</html>\n")
    .file("scripts/deploy.sh", "echo hi\n")
    .file(".gitignore", "notes/\n")
    .file("notes/private.md", "# Private\n")
    .file("old-site/index.html", "<p>old</p>\n")
    .file("old-site/404.html", "<p>gone</p>\n");
    site
}

#[test]
fn zero_config_publishes_the_repositorys_other_markdown_under_repository() {
    let site = repository_around_content();
    site.build().ok();
    // The content keeps its URLs; the repository's pages sit under /repository/.
    assert_eq!(one_text(&site.html("index.html"), "h1"), "Acme");
    assert_eq!(one_text(&site.html("hiring/index.html"), "h1"), "Hiring");
    let readme = site.html("repository/index.html");
    assert_eq!(one_text(&readme, "h1"), "Acme handbook repository");
    assert_eq!(
        attrs(&readme, ".content p a", "href"),
        [
            "../hiring/index.html",
            "../repository/docs/setup/index.html",
            "../repository/contributing/index.html"
        ]
    );
    assert_eq!(
        attrs(&readme, ".content img", "src"),
        ["../repository/docs/flow.png"]
    );
    assert!(site.exists("public/repository/docs/flow.png"));
    assert_eq!(
        texts(
            &site.html("repository/contributing/index.html"),
            ".content p"
        ),
        ["Open a pull request."]
    );
    assert_eq!(
        attrs(
            &site.html("repository/docs/setup/index.html"),
            ".content p a",
            "href"
        ),
        ["../../../repository/index.html", "../../../team/index.html"]
    );
    // `/x` is the site's root first, then the repository's, as on GitHub.
    assert_eq!(
        attrs(&site.html("index.html"), ".content p a", "href"),
        [
            "repository/contributing/index.html",
            "hiring/index.html",
            "repository/docs/setup/index.html"
        ]
    );
    // The section (labelled by the root README's title) comes after the
    // handbook's own sections.
    let nav = texts(&site.html("index.html"), "nav.sidebar a");
    let at = |label: &str| nav.iter().position(|l| l == label);
    assert!(at("Team") < at("Acme handbook repository"), "{nav:?}");
    assert!(at("Acme handbook repository").is_some(), "{nav:?}");
    // The same skip rules as with the root as the content.
    for gone in [
        "public/repository/package.json",
        "public/repository/gemfile",
        "public/repository/Gemfile",
        "public/repository/docs/unused.png",
        "public/repository/scripts/deploy.sh",
        "public/repository/notes",
        "public/repository/old-site",
        "public/repository/layouts",
        "public/repository/github",
        "public/repository/content",
    ] {
        assert!(!site.exists(gone), "{gone} was published");
    }
    assert_links_resolve(&site, "/");
}

#[test]
fn the_repository_folder_avoids_a_name_the_content_uses_and_site_toml_turns_it_off() {
    let site = repository_around_content();
    site.file("content/Repository.md", "# Our repository policy\n");
    site.build().ok();
    assert_eq!(
        one_text(&site.html("repository/index.html"), "h1"),
        "Our repository policy"
    );
    assert_eq!(
        one_text(&site.html("repository-2/index.html"), "h1"),
        "Acme handbook repository"
    );
    // With a site.toml the content folder is the whole site, as configured.
    site.file("site.toml", "title = \"Acme\"\n");
    site.build().ok();
    assert!(!site.exists("public/repository-2"));
    assert!(!site.exists("public/repository/contributing"));
}

#[test]
fn latex_logo_commands_in_math_render_without_a_warning() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\nThis section looks best with $\\LaTeX$ fonts, unlike $\\TeXbook$.\n",
    );
    let run = site.build();
    run.ok().stderr_has("math does not parse");
    assert_eq!(
        run.stderr.matches("math does not parse").count(),
        1,
        "{}",
        run.stderr
    );
    let doc = site.html("index.html");
    assert_eq!(texts(&doc, ".content math mtext")[0], "LaTeX");
}

#[test]
fn markdown_in_a_root_templates_folder_is_published_and_never_read_as_a_theme() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Handbook\n\nUse [the one-to-one template](templates/one-to-one.md).\n",
    )
    .file(
        "templates/one-to-one.md",
        "# One-to-one notes\n\nDate: {{ date }}. {% if mood %}How are you?{% endif\n",
    )
    .file("templates/checklist.txt", "Bring a notebook.\n")
    .file("static/notes.md", "# Static notes\n\nKept as a page.\n")
    .file("static/app.css", "body {}\n");
    let run = site.build();
    run.ok();
    let page = site.html("templates/one-to-one/index.html");
    assert_eq!(one_text(&page, "h1"), "One-to-one notes");
    assert!(one_text(&page, ".content p").starts_with("Date: {{ date }}."));
    assert_eq!(
        one_text(&site.html("static/notes/index.html"), "h1"),
        "Static notes"
    );
    assert!(!site.exists("public/templates/checklist.txt"));
    assert!(!site.exists("public/static/app.css"));
    assert_eq!(
        attrs(&site.html("index.html"), ".content p a", "href"),
        ["templates/one-to-one/index.html"]
    );
}

#[test]
fn a_docsify_folder_is_content_and_its_page_shell_is_skipped() {
    let site = TestSite::new();
    site.file("README.md", "# Handbook\n\nSee [the docs](docs/).\n")
        .file("docs/.nojekyll", "")
        .file(
            "docs/index.html",
            "<div id=\"app\"></div><script src=\"//cdn.jsdelivr.net/npm/docsify@4\"></script>\n",
        )
        .file("docs/README.md", "# Docs\n\nRead this first.\n")
        .file("docs/guide.md", "# Guide\n\nThe steps.\n")
        .file("old/.nojekyll", "")
        .file("old/index.html", "<p>an old build</p>\n");
    let run = site.run(&["build", "--verbose"]);
    run.ok()
        .stderr_has("docs/index.html: a page shell that loads the markdown beside it")
        .stderr_has("old/: a previous build output");
    assert_eq!(one_text(&site.html("docs/index.html"), "h1"), "Docs");
    assert_eq!(
        texts(&site.html("docs/guide/index.html"), ".content p"),
        ["The steps."]
    );
    assert!(!site.exists("public/old/index.html"));
}
