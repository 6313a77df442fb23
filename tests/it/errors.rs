//! Errors users meet: each names the file and line, exits 1, never panics.

use crate::harness::*;

#[test]
fn bad_toml_front_matter_names_file_and_line() {
    let site = TestSite::new();
    site.file(
        "content/a.md",
        "+++\ntitle = \"A\"\nweight = \"high\"\n+++\n",
    );
    site.build()
        .fails()
        .stderr_has("content/a.md:3:10: error: invalid TOML front matter");
}

#[test]
fn unclosed_front_matter_is_reported_on_line_one() {
    let site = TestSite::new();
    site.file("content/a.md", "---\ntitle: A\n\n# Body\n");
    site.build().fails().stderr_has(
        "content/a.md:1:1: error: front matter opened with `---` on line 1 is never closed",
    );
}

#[test]
fn unknown_config_key_names_the_key_line_and_suggestion() {
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"x\"\nbase_ulr = \"https://a.example/\"\n",
    )
    .file("content/a.md", "# A\n");
    site.build()
        .fails()
        .stderr_has("site.toml:2: error: unknown key `base_ulr`\n  hint: did you mean `base_url`?");
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n")
        .file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n");
    let run = site.build();
    run.fails()
        .stderr_has("templates/page.html:4:1: error: template error: syntax error: expected")
        .stderr_has("a variable end (`}}`)");
}

#[test]
fn template_undefined_variable_points_at_its_line() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n")
        .file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>\n{{ page.subtitle }}\n</p>{% endblock content %}\n");
    site.build()
        .fails()
        .stderr_has("templates/page.html:4:4: error: template error:")
        .stderr_has("page.subtitle");
}

#[test]
fn all_content_errors_of_a_run_are_reported_together() {
    let site = TestSite::new();
    site.file("content/a.md", "+++\ntitle = 1\n+++\n")
        .file("content/b.md", "---\ntitle: [\n---\n")
        .file("content/c.md", "[broken](nowhere.md)\n")
        .file("site.toml", "[links]\ninternal = \"error\"\n");
    let run = site.build();
    run.fails()
        .stderr_has("content/a.md:2")
        .stderr_has("content/b.md:")
        .stderr_has("content/c.md:1:1: error: link `nowhere.md` points at nothing");
}

#[test]
fn broken_links_warn_by_default_and_fail_when_configured() {
    let site = TestSite::new();
    site.file(
        "content/a.md",
        "# A\n\n## Real\n\n[x](b.md) [y](#unreal) [z](a.md#rael)\n",
    );
    let run = site.build();
    run.ok()
        .stderr_has("content/a.md:5:1: warning: link `b.md` points at nothing")
        .stderr_has("content/a.md:5:11: warning: link `#unreal`: no heading or id `#unreal`")
        .stderr_has("did you mean `#real`?");
    site.file("site.toml", "[links]\ninternal = \"error\"\n");
    site.build()
        .fails()
        .stderr_has("content/a.md:5:1: error: link `b.md`");
}

#[test]
fn an_error_in_the_sidebar_partial_fails_the_build_with_its_line() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n").file(
        "templates/partials/nav.html",
        "<ul>\n{% for a in nav %}<li>{{ a.title }</li>{% endfor %}\n</ul>\n",
    );
    site.build()
        .fails()
        .stderr_has("templates/partials/nav.html:2:");
}

#[test]
fn a_render_error_in_the_sidebar_partial_is_reported_not_swallowed() {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n").file(
        "templates/partials/nav.html",
        "<ul>\n{% for a in nav %}<li>{{ a.subtitle }}</li>{% endfor %}\n</ul>\n",
    );
    site.build()
        .fails()
        .stderr_has("templates/partials/nav.html:2:")
        .stderr_has("a.subtitle");
}

#[test]
fn a_date_with_trailing_garbage_is_an_error_not_silently_cut() {
    // Regression: "2026-11-01 garbage" used to be read as 1 November 2026.
    let site = TestSite::new();
    site.file(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = \"2026-11-01 garbage\"\n+++\n",
    );
    site.build()
        .fails()
        .stderr_has("content/a.md:3: error: `date`: \"2026-11-01 garbage\" is not a date");
}

#[test]
fn unknown_config_key_points_at_its_own_table_not_a_namesake() {
    // Regression: the line came from a text search for the key name, so a
    // `contry` under [extra] took the blame for the one under [careers].
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"x\"\n\n[extra]\ncontry = \"ours\"\n\n[careers]\ncontry = \"GB\"\n",
    )
    .file("content/a.md", "# A\n");
    site.build().fails().stderr_has(
        "site.toml:7: error: unknown key `careers.contry`\n  hint: did you mean `country`?",
    );
}
