//! `serve` with no `content/` folder (the root is the content) and with
//! `--content DIR`: edits, new files, renames and deletes all reload.

use crate::harness::*;
use std::time::{Duration, Instant};

/// Waits for reloads until `path` answers `status` (a new file can take
/// more than one event to settle), or gives up after twenty seconds.
fn reload_until(s: &Served, live: &mut EventStream, path: &str, status: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.get(path).status != status && Instant::now() < deadline {
        live.wait_for("reload");
    }
    assert_eq!(s.get(path).status, status, "{path}");
}

/// Edit, new file, rename and delete, with pages at `dir` in the watched tree.
fn exercise(site: &TestSite, s: &Served, dir: &str) {
    let mut live = s.events();
    live.wait_for("hello");
    site.file(&format!("{dir}guide.md"), "# Guide\n\nEdited text.\n");
    live.wait_for("reload");
    assert_eq!(
        texts(&s.get("/guide/").html(), ".content p"),
        ["Edited text."]
    );
    site.file(&format!("{dir}fresh.md"), "# Fresh\n\nA new page.\n");
    reload_until(s, &mut live, "/fresh/", 200);
    std::fs::rename(
        site.path(&format!("{dir}fresh.md")),
        site.path(&format!("{dir}renamed.md")),
    )
    .unwrap();
    reload_until(s, &mut live, "/renamed/", 200);
    assert_eq!(s.get("/fresh/").status, 404);
    site.remove(&format!("{dir}renamed.md"));
    reload_until(s, &mut live, "/renamed/", 404);
}

#[test]
fn serve_with_the_root_as_content_reloads_edits_new_files_renames_and_deletes() {
    let site = TestSite::new();
    site.file("README.md", "# Team handbook\n\nWelcome.\n")
        .file("guide.md", "# Guide\n\nFirst text.\n");
    let s = site.serve();
    exercise(&site, &s, "");
}

#[test]
fn serve_with_content_flag_reloads_edits_new_files_renames_and_deletes() {
    let site = TestSite::new();
    site.file("docs/README.md", "# Team handbook\n\nWelcome.\n")
        .file("docs/guide.md", "# Guide\n\nFirst text.\n")
        .file("notes.md", "# Not published\n");
    let s = site.serve_dir(".", &["--content", "docs"]);
    assert_eq!(s.get("/notes/").status, 404);
    exercise(&site, &s, "docs/");
}

#[test]
fn serve_reloads_edits_additions_and_deletions_of_linked_files_in_hidden_folders() {
    let site = TestSite::new();
    site.file(
        "README.md",
        "# Team handbook\n\n![Chart](.gitbook/assets/chart.svg) [Later](.gitbook/assets/later.txt)\n",
    )
    .file(".gitbook/assets/chart.svg", "<svg>first</svg>");
    let s = site.serve();
    let mut live = s.events();
    live.wait_for("hello");
    assert_eq!(
        s.get("/gitbook/assets/chart.svg").text(),
        "<svg>first</svg>"
    );
    assert_eq!(s.get("/gitbook/assets/later.txt").status, 404);
    // An edit reloads and the new bytes are served.
    site.file(".gitbook/assets/chart.svg", "<svg>second</svg>");
    live.wait_for("reload");
    assert_eq!(
        s.get("/gitbook/assets/chart.svg").text(),
        "<svg>second</svg>"
    );
    // A new file a page already links to is published.
    site.file(".gitbook/assets/later.txt", "notes");
    reload_until(&s, &mut live, "/gitbook/assets/later.txt", 200);
    // A deleted one goes.
    site.remove(".gitbook/assets/later.txt");
    reload_until(&s, &mut live, "/gitbook/assets/later.txt", 404);
}

#[test]
fn serve_with_a_content_folder_also_reloads_the_repositorys_own_pages() {
    let site = TestSite::new();
    site.file("content/README.md", "# Team handbook\n\nWelcome.\n")
        .file("content/guide.md", "# Guide\n\nFirst text.\n")
        .file("README.md", "# About this repository\n\nFirst words.\n");
    let s = site.serve();
    assert_eq!(
        texts(&s.get("/repository/").html(), ".content p"),
        ["First words."]
    );
    exercise(&site, &s, "content/");
    let mut live = s.events();
    live.wait_for("hello");
    site.file("README.md", "# About this repository\n\nEdited words.\n");
    live.wait_for("reload");
    assert_eq!(
        texts(&s.get("/repository/").html(), ".content p"),
        ["Edited words."]
    );
    site.file("docs/setup.md", "# Setup\n\nSteps.\n");
    reload_until(&s, &mut live, "/repository/docs/setup/", 200);
    site.remove("docs/setup.md");
    reload_until(&s, &mut live, "/repository/docs/setup/", 404);
}
