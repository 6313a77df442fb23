//! `serve` keeps highlighted code blocks between rebuilds: the blocks it
//! serves after an edit are the ones a fresh `handbook build` (a new
//! process, no cache) makes from the same files.

use crate::harness::*;

fn code_blocks(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let pre = scraper::Selector::parse("pre").unwrap();
    doc.select(&pre).map(|p| p.html()).collect()
}

#[test]
fn served_code_after_an_edit_is_what_a_fresh_build_highlights() {
    use handbook::serve::rebuild::Session;
    use handbook::serve::watch::ChangeKind;
    let page = |yaml: &str| {
        format!("# A\n\n```rust\nfn a() -> u8 {{ 1 }}\n```\n\n```yaml\n{yaml}\n```\n\n```toml\nx = 1\n```\n")
    };
    let site = TestSite::new();
    site.file(
        "content/_index.md",
        "# Home\n\n```rust\nfn a() -> u8 { 1 }\n```\n",
    )
    .file("content/a.md", &page("key: [1, 2]"));
    let mut options = handbook::build::BuildOptions {
        serve: true,
        ..Default::default()
    };
    options.overrides.base_url = Some("https://example.org/".into());
    let mut session = Session::new(site.root(), options);
    session.full().expect("the site builds");
    // The rust and toml blocks stay, the yaml one changes.
    site.file("content/a.md", &page("key: [1, 2, 3]\nother: \"<b>\""));
    let batch = [ChangeKind::Content("a.md".into())].into_iter().collect();
    session.apply(&batch).expect("the edit rebuilds");
    let served = session.output().unwrap().contents();
    let served = String::from_utf8(served["a/index.html"].clone()).unwrap();

    site.run(&["build", "--base-url", "https://example.org/"])
        .ok();
    let fresh = code_blocks(&site.read("public/a/index.html"));
    assert_eq!(fresh.len(), 3);
    assert!(fresh[1].contains("&lt;b&gt;"), "{}", fresh[1]);
    assert_eq!(code_blocks(&served), fresh);
}
