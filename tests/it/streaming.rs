//! `handbook build` streams: pages go to the staging folder as they are
//! rendered, markdown sources and each page's HTML are freed as soon as
//! they are used, sidebars are freed per section, and the search files are
//! written as they are made. None of that may change a byte: the folder it
//! writes must equal what the in-memory build (the one `serve` and `check`
//! use) renders for the same site. (A streamed build also keeps each page's
//! HTML, text and outline packed until they are read.)

use crate::harness::*;

/// A site over the inline-sidebar limit (shared `_nav.html`) with what
/// reads another page's HTML: section index bodies, a role page (its
/// JobPosting carries its body), the pay page's intro, code, math.
fn site() -> TestSite {
    let site = large_site();
    site.file(
        "site.toml",
        &careers_config(
            "title = \"Streamed\"\nbase_url = \"https://example.com/hb/\"\n\n[organization]\nname = \"Acme\"",
            "default_currency = \"GBP\"\ncountry = \"GB\"",
            &[("mid", "Mid-level"), ("senior", "Senior")],
        ),
    )
    .file("content/_index.md", "# Home\n\nWelcome to *the* handbook.\n")
    .file(
        "content/section-2/_index.md",
        "# Section two\n\nThe index body, shown on the section page.\n\n## Part\n\nMore.\n",
    )
    .file(
        "content/roles/senior.md",
        "+++\ntitle = \"Senior Engineer\"\n[role]\ntrack = \"engineering\"\nlevel = \"senior\"\n\
         salary = { min = 50000, max = 70000, currency = \"GBP\", period = \"year\" }\n+++\n\n\
         The role's body, with `code` and a [link](../section-1/page-03.md).\n",
    )
    .file(
        "content/careers/pay.md",
        "# Pay\n\nHow we pay, from the pay page's intro.\n",
    )
    .file(
        "content/section-0/page-05.md",
        "# Page five\n\n```rust\nfn main() {}\n```\n\nMath: $x^2$.\n\n## Notes {#notes}\n\nText, \
         and [a fragment in the wrong case](../section-2/_index.md#PART) (fixed in the HTML).\n",
    );
    site
}

#[test]
fn the_streamed_build_writes_what_the_in_memory_build_renders() {
    let site = site();
    site.build().ok();
    let mut on_disk = site.snapshot("public");
    on_disk.remove(".handbook-build");
    let options = handbook::build::BuildOptions::default();
    let in_memory = handbook::build::build(site.root(), &options)
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics))
        .output
        .contents();
    // Social cards are PNG on disk and their SVG in memory.
    let cards = |k: &String| !k.starts_with("_cards/");
    let disk: Vec<&String> = on_disk.keys().filter(|k| cards(k)).collect();
    let memory: Vec<&String> = in_memory.keys().filter(|k| cards(k)).collect();
    assert_eq!(disk, memory, "the two builds have different files");
    assert!(disk.len() > 540, "{} files", disk.len());
    assert!(on_disk.contains_key("_nav.html"), "not a large site");
    let differ: Vec<&&String> = disk
        .iter()
        .filter(|k| on_disk[**k] != in_memory[**k])
        .collect();
    assert!(differ.is_empty(), "files differ: {differ:?}");
    // What the streamed build freed early still reached the pages.
    let section = site.html("section-2/index.html");
    assert!(texts(&section, "main p")
        .iter()
        .any(|t| t.contains("The index body")));
    let pay = site.read("public/careers/pay/index.html");
    assert!(pay.contains("from the pay page"), "{pay}");
    // Read back from their packed form: a link whose fragment's case was
    // fixed after its page was packed, and a section's table of contents.
    let five = site.read("public/section-0/page-05/index.html");
    assert!(five.contains("section-2/#part\""), "{five}");
    let section = site.read("public/section-2/index.html");
    assert!(section.contains("href=\"#part\""), "{section}");
}

/// A streamed build hands each page's text to the search index, which frees
/// it, and drops it at once without search; the word count templates show
/// is counted with the text, so it is the same either way and the same as
/// the in-memory build's.
#[test]
fn word_counts_survive_the_search_text_being_freed() {
    let template = "{% extends \"base.html\" %}\n{% block content %}<p id=\"words\">{{ page.word_count }}</p>{% endblock content %}\n";
    for search in ["true", "false"] {
        let site = TestSite::new();
        site.file(
            "site.toml",
            &format!("title = \"Words\"\n\n[search]\nenabled = {search}\n"),
        )
        .file("templates/page.html", template)
        .file("content/_index.md", "# Home\n")
        .file(
            "content/counted.md",
            "# Counted\n\nOne two three.\n\n## Part\n\nFour *five* six.\n",
        );
        site.build().ok();
        let streamed = one_text(&site.html("counted/index.html"), "#words");
        assert_eq!(streamed, "7", "search enabled = {search}");
        let in_memory = handbook::build::build(site.root(), &Default::default())
            .unwrap_or_else(|f| panic!("{:?}", f.diagnostics))
            .output
            .contents();
        let page = String::from_utf8(in_memory["counted/index.html"].clone()).unwrap();
        assert!(page.contains("<p id=\"words\">7</p>"), "{page}");
    }
}
