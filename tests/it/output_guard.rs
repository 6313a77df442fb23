//! The output folder guard: `handbook build` replaces a folder only if it
//! is absent, empty, or was written by an earlier build (it holds the
//! marker file); anything else survives byte for byte unless `--force`.

use crate::harness::*;

const MARKER: &str = ".handbook-build";

/// A folder someone cares about: a git repository and a thesis.
fn foreign_folder(site: &TestSite, dir: &str) {
    site.file(&format!("{dir}/thesis.tex"), "\\documentclass{article}\n")
        .file(&format!("{dir}/.git/HEAD"), "ref: refs/heads/main\n")
        .bytes(
            &format!("{dir}/figures/plot.png"),
            &[0x89, b'P', b'N', b'G', 0, 1, 2, 255],
        )
        .file(&format!("{dir}/index.html"), "<p>my own page</p>\n");
}

fn small_site() -> TestSite {
    let site = TestSite::new();
    site.file("content/a.md", "# A\n\nHello.\n");
    site
}

fn leftovers(site: &TestSite, prefix: &str) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect()
}

#[test]
fn a_foreign_folder_is_refused_and_survives_byte_for_byte() {
    let site = small_site();
    foreign_folder(&site, "thesis");
    let before = site.snapshot("thesis");
    let run = site.run(&["build", "--output", "thesis"]);
    run.fails()
        .stderr_has("thesis")
        .stderr_has("not written by handbook")
        .stderr_has("--force");
    assert_eq!(site.snapshot("thesis"), before);
    assert!(!site.exists(&format!("thesis/{MARKER}")));
    assert!(
        leftovers(&site, ".thesis").is_empty(),
        "{:?}",
        leftovers(&site, ".thesis")
    );
    // The default folder is guarded the same way.
    foreign_folder(&site, "public");
    let before = site.snapshot("public");
    site.build()
        .fails()
        .stderr_has("public")
        .stderr_has("--force");
    assert_eq!(site.snapshot("public"), before);
}

#[test]
fn a_previous_build_is_replaced_and_stale_pages_go() {
    let site = small_site();
    site.file("content/old.md", "# Old\n");
    site.build().ok();
    assert!(site.exists(&format!("public/{MARKER}")));
    assert!(site.exists("public/old/index.html"));
    site.remove("content/old.md");
    site.file("content/a.md", "# A\n\nSecond version.\n");
    site.build().ok();
    assert!(!site.exists("public/old/index.html"));
    assert!(site.read("public/a/index.html").contains("Second version."));
    assert!(site.exists(&format!("public/{MARKER}")));
    // The swap leaves neither the new folder's staging name nor the old site.
    assert_eq!(leftovers(&site, ".public."), Vec::<String>::new());
}

/// Deleting the previous site after the swap removes links in it, never
/// what they point to (a folder of someone's, linked into the output).
#[test]
fn deleting_the_previous_site_does_not_follow_its_links() {
    let site = small_site();
    site.build().ok();
    site.file("elsewhere/keep.txt", "precious\n");
    std::os::unix::fs::symlink(site.path("elsewhere"), site.path("public/linked")).unwrap();
    std::os::unix::fs::symlink(
        site.path("elsewhere/keep.txt"),
        site.path("public/a/keep.txt"),
    )
    .unwrap();
    site.build().ok();
    assert!(!site.exists("public/linked"));
    assert_eq!(site.read("elsewhere/keep.txt"), "precious\n");
    assert_eq!(leftovers(&site, ".public."), Vec::<String>::new());
}

#[test]
fn an_empty_folder_is_used() {
    let site = small_site();
    std::fs::create_dir_all(site.path("out")).unwrap();
    site.run(&["build", "--output", "out"]).ok();
    assert!(site.exists("out/a/index.html"));
}

#[test]
fn force_replaces_a_foreign_folder() {
    let site = small_site();
    foreign_folder(&site, "thesis");
    site.run(&["build", "--output", "thesis", "--force"]).ok();
    assert!(site.exists("thesis/a/index.html"));
    assert!(site.exists(&format!("thesis/{MARKER}")));
    assert!(!site.exists("thesis/thesis.tex"));
    assert!(!site.exists("thesis/.git"));
    // Now it is handbook's: the next build needs no --force.
    site.run(&["build", "--output", "thesis"]).ok();
}

#[test]
fn force_does_not_allow_replacing_the_content() {
    let site = small_site();
    let before = site.snapshot("content");
    site.run(&["build", "--output", "content", "--force"])
        .fails();
    assert_eq!(site.snapshot("content"), before);
}
