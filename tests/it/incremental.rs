//! `serve`'s incremental rebuilds give exactly what a full build gives,
//! after every kind of edit: a body, a title, front matter (weight, draft,
//! role data), a new, deleted or renamed page, a new folder, a section's
//! slug, a template and `site.toml`. Run through the library: a `Session`
//! applies each change and its output (pages rendered on request) is
//! compared file by file with `build::build` of the same files.

use std::collections::BTreeMap;

use handbook::build::BuildOptions;
use handbook::serve::rebuild::{Rebuilt, Scope, Session};
use handbook::serve::watch::ChangeKind;

use crate::harness::TestSite;

/// Every output file's bytes, for comparing builds (cards as their SVG).
fn files(output: &handbook::output::Output) -> BTreeMap<String, Vec<u8>> {
    output.contents()
}

#[track_caller]
fn assert_same(
    incremental: &handbook::output::Output,
    full: &handbook::output::Output,
    what: &str,
) {
    let (a, b) = (files(incremental), files(full));
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "{what}: only incremental {only_a:?}, only full {only_b:?}"
    );
    let differ: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert!(differ.is_empty(), "{what}: files differ: {differ:?}");
}

/// The link check's warnings (and math's), as printed: a rebuild that
/// keeps some pages' check results must report what a full build does.
fn link_warnings(diags: &[handbook::Diagnostic]) -> Vec<String> {
    const CODES: [&str; 5] = [
        "broken-link",
        "missing-image",
        "missing-fragment",
        "script-url",
        "math-syntax",
    ];
    let mut shown: Vec<String> = diags
        .iter()
        .filter(|d| CODES.contains(&d.code().to_string().as_str()))
        .map(ToString::to_string)
        .collect();
    shown.sort();
    shown
}

fn content(rel: &str) -> ChangeKind {
    ChangeKind::Content(rel.to_string())
}

/// A session on a site, and the check after each change.
struct Steps<'a> {
    site: &'a TestSite,
    options: BuildOptions,
    session: Session,
}

impl<'a> Steps<'a> {
    fn new(site: &'a TestSite) -> Steps<'a> {
        let mut options = BuildOptions {
            serve: true,
            today: Some(handbook::date::Date::parse("2026-09-01").unwrap()),
            ..Default::default()
        };
        options.overrides.base_url = Some("http://127.0.0.1:1111/".into());
        let mut session = Session::new(site.root(), options.clone());
        session.full().expect("the site builds");
        Steps {
            site,
            options,
            session,
        }
    }

    /// Applies `changes`, checks the scope when given, and compares the
    /// output with a full build's.
    #[track_caller]
    fn step(&mut self, what: &str, changes: &[ChangeKind], scope: Option<Scope>) -> Rebuilt {
        let batch = changes.iter().cloned().collect();
        let r = self
            .session
            .apply(&batch)
            .unwrap_or_else(|d| panic!("{what}: rebuild failed: {d:?}"));
        if let Some(scope) = scope {
            assert_eq!(r.scope, scope, "{what}");
        }
        let full = handbook::build::build(self.site.root(), &self.options)
            .unwrap_or_else(|d| panic!("{what}: full build failed: {:?}", d.diagnostics));
        assert_same(&self.session.output().unwrap(), &full.output, what);
        assert_eq!(
            link_warnings(r.warnings()),
            link_warnings(full.warnings()),
            "{what}: link warnings"
        );
        r
    }

    /// An output page of the session as text.
    fn page(&self, path: &str) -> String {
        let output = self.session.output().unwrap();
        let bytes = output
            .contents()
            .remove(path)
            .unwrap_or_else(|| panic!("no {path}"));
        String::from_utf8(bytes).unwrap()
    }
}

/// The example handbook (sections, roles with salaries, careers pages,
/// a sidebar in every page) copied into a temp dir.
fn example() -> TestSite {
    let site = TestSite::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("site.toml"), site.path("site.toml")).unwrap();
    for e in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .flatten()
    {
        let rel = e.path().strip_prefix(repo).unwrap();
        if e.file_type().is_dir() {
            std::fs::create_dir_all(site.path(&rel.to_string_lossy())).unwrap();
        } else {
            std::fs::copy(e.path(), site.path(&rel.to_string_lossy())).unwrap();
        }
    }
    site
}

#[test]
fn every_kind_of_edit_on_the_example_handbook_gives_what_a_full_build_gives() {
    let site = example();
    let mut s = Steps::new(&site);
    let values = "content/culture/values.md";
    let text = site.read(values);

    site.file(
        values,
        &text.replace("We have five values", "We have six values"),
    );
    let r = s.step(
        "body edit",
        &[content("culture/values.md")],
        Some(Scope::Page),
    );
    assert_eq!(r.markdown_rendered, 1);

    site.file(
        values,
        &text.replace("# Our values", "# Our values, revised"),
    );
    s.step("heading edit", &[content("culture/values.md")], None);

    // (Its headings stay as they are: six pages link to their ids.)
    let edited = site.read(values);
    site.file(
        values,
        &edited.replace("title = \"Our values\"", "title = \"What we value\""),
    );
    let r = s.step(
        "title edit",
        &[content("culture/values.md")],
        Some(Scope::Content),
    );
    assert_eq!(r.markdown_rendered, 1, "only the edited page's markdown");
    assert!(s.page("culture/index.html").contains("What we value"));

    site.file(values, &text.replace("weight = 10", "weight = 90"));
    s.step(
        "weight edit",
        &[content("culture/values.md")],
        Some(Scope::Content),
    );

    let culture = "content/culture/_index.md";
    let culture_text = site.read(culture);
    site.file(
        culture,
        &culture_text.replace("title = \"Culture\"", "title = \"Life here\""),
    );
    s.step(
        "section title edit",
        &[content("culture/_index.md")],
        Some(Scope::Content),
    );

    let principal = "content/roles/engineering/principal-engineer.md";
    let principal_text = site.read(principal);
    // A draft role is published, then made a draft again.
    site.file(
        principal,
        &principal_text.replace("draft = true", "draft = false"),
    );
    s.step(
        "draft off",
        &[content("roles/engineering/principal-engineer.md")],
        Some(Scope::Content),
    );
    assert!(s
        .page("careers/roles/index.html")
        .contains("Principal Engineer"));
    site.file(principal, &principal_text);
    s.step(
        "draft on",
        &[content("roles/engineering/principal-engineer.md")],
        Some(Scope::Content),
    );

    let role = "content/roles/engineering/staff-engineer.md";
    let role_text = site.read(role);
    site.file(
        role,
        &role_text.replace("Staff Engineers work across", "Staff engineers work across"),
    );
    s.step(
        "role body edit",
        &[content("roles/engineering/staff-engineer.md")],
        Some(Scope::Page),
    );
    site.file(role, &role_text.replace("max = 120000", "max = 125000"));
    s.step(
        "role salary edit",
        &[content("roles/engineering/staff-engineer.md")],
        Some(Scope::Content),
    );
    assert!(s.page("careers/salaries/index.html").contains("125,000"));

    site.file(
        "content/culture/parental-leave.md",
        "# Parental leave\n\nSix months.\n",
    );
    s.step(
        "new page",
        &[content("culture/parental-leave.md")],
        Some(Scope::Content),
    );

    // A rename: the page moves and the page that links to it follows.
    site.remove("content/culture/parental-leave.md");
    site.file(
        "content/culture/family-leave.md",
        "# Family leave\n\nSix months.\n",
    );
    let benefits = "content/culture/benefits.md";
    site.file(
        benefits,
        &format!(
            "{}\nSee [family leave](family-leave.md).\n",
            site.read(benefits)
        ),
    );
    s.step(
        "renamed page",
        &[
            content("culture/parental-leave.md"),
            content("culture/family-leave.md"),
            content("culture/benefits.md"),
        ],
        Some(Scope::Content),
    );

    site.file(
        "content/guides/_index.md",
        "# Guides\n\nHow we do things.\n",
    );
    site.file(
        "content/guides/expenses.md",
        "# Expenses\n\nKeep receipts.\n",
    );
    s.step("new folder", &[content("guides")], Some(Scope::Content));
    assert!(s
        .page("guides/expenses/index.html")
        .contains("Keep receipts."));

    site.remove("content/guides/expenses.md");
    s.step(
        "deleted page",
        &[content("guides/expenses.md")],
        Some(Scope::Content),
    );

    let index = "content/roles/_index.md";
    site.file(
        index,
        &format!("{}\nOne more paragraph.\n", site.read(index)),
    );
    s.step(
        "section index body edit",
        &[content("roles/_index.md")],
        Some(Scope::Page),
    );

    site.file(values, &format!("{text}\n```rust\nfn main() {{}}\n```\n"));
    s.step("first code block", &[content("culture/values.md")], None);

    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<main>{{ page.title }}</main>{% endblock content %}",
    );
    s.step(
        "template override",
        &[ChangeKind::Template],
        Some(Scope::Templates),
    );

    let config = site
        .read("site.toml")
        .replace("Northwind Lattice Handbook", "NL Handbook");
    site.file("site.toml", &config);
    s.step(
        "config edit",
        &[ChangeKind::Config],
        Some(Scope::Everything),
    );
}

/// A site over the size that makes pages load a shared sidebar: 13 folders
/// of 40 pages, each page linking to the one before it and to the folder
/// after its own; one page has a link to a page that does not exist yet.
fn large_site() -> TestSite {
    let site = TestSite::new();
    site.file("site.toml", "title = \"Large\"\n");
    site.file("content/_index.md", "# Home\n\nWelcome.\n");
    for s in 0..13 {
        site.file(
            &format!("content/s{s:02}/_index.md"),
            &format!("# Folder {s}\n\nPages of folder {s}.\n"),
        );
        for p in 0..40 {
            let prev = if p > 0 {
                format!("[before](p{:02}.md) ", p - 1)
            } else {
                String::new()
            };
            site.file(
                &format!("content/s{s:02}/p{p:02}.md"),
                &format!(
                    "# Page {s}-{p}\n\n{prev}[next folder](../s{:02}/_index.md#top)\n\n## Part two\n\nMore about {s} and {p}.\n",
                    (s + 1) % 13
                ),
            );
        }
    }
    site.file(
        "content/s00/p05.md",
        "# Page 0-5\n\nSee [the plan](plan.md).\n",
    );
    // Link warnings that stay through the edits (pages kept as they were
    // must still report them), and one a body edit of another page fixes.
    site.file(
        "content/s06/p00.md",
        "# Page 6-0\n\n[later](p01.md#later), [gone](p01.md#gone), [nowhere](nowhere.md)\n",
    );
    site
}

#[test]
fn every_kind_of_edit_on_a_site_with_a_shared_sidebar_gives_what_a_full_build_gives() {
    let site = large_site();
    let mut s = Steps::new(&site);

    site.file(
        "content/s01/p03.md",
        "# Page 1-3\n\nNew words [before](p02.md).\n",
    );
    let r = s.step("body edit", &[content("s01/p03.md")], Some(Scope::Page));
    assert_eq!(r.markdown_rendered, 1);
    assert_eq!(link_warnings(r.warnings()).len(), 4, "{:?}", r.warnings());

    // The heading another page's link wants appears: that page's warning
    // goes, though its markdown is not rendered again.
    site.file(
        "content/s06/p01.md",
        "# Page 6-1\n\n## Later\n\nNow here.\n",
    );
    let r = s.step(
        "body edit adds a heading",
        &[content("s06/p01.md")],
        Some(Scope::Page),
    );
    assert_eq!(link_warnings(r.warnings()).len(), 3, "{:?}", r.warnings());

    site.file(
        "content/s01/p04.md",
        "+++\ntitle = \"Renamed four\"\n+++\n\n[before](p03.md)\n",
    );
    let r = s.step("title edit", &[content("s01/p04.md")], Some(Scope::Content));
    assert_eq!(r.markdown_rendered, 1, "only the edited page's markdown");

    site.file(
        "content/s01/p10.md",
        "+++\nweight = -1\n+++\n\n# Page 1-10\n\nFirst now.\n",
    );
    s.step(
        "weight edit",
        &[content("s01/p10.md")],
        Some(Scope::Content),
    );

    // p39 is linked from nowhere: drafting and deleting it breaks nothing.
    site.file(
        "content/s02/p39.md",
        "+++\ndraft = true\n+++\n\n# Page 2-39\n",
    );
    s.step("draft", &[content("s02/p39.md")], Some(Scope::Content));

    // The missing page appears: the unchanged page that links to it now
    // links to it, so its markdown is rendered again too.
    site.file("content/s00/plan.md", "# The plan\n\nStep one.\n");
    let r = s.step(
        "new page fixes a link",
        &[content("s00/plan.md")],
        Some(Scope::Content),
    );
    assert_eq!(
        r.markdown_rendered, 2,
        "the new page and the page linking to it"
    );
    assert!(s.page("s00/p05/index.html").contains("href=\"/s00/plan/\""));

    // A folder's slug moves every page in it and every link into it.
    site.file(
        "content/s03/_index.md",
        "+++\nslug = \"third\"\n+++\n\n# Folder 3\n",
    );
    s.step(
        "section slug",
        &[content("s03/_index.md")],
        Some(Scope::Content),
    );
    assert!(s.page("s02/p00/index.html").contains("href=\"/third/"));

    site.file("content/s99/_index.md", "# Folder 99\n");
    site.file("content/s99/a.md", "# A\n\n[home](../_index.md)\n");
    s.step("new folder", &[content("s99")], Some(Scope::Content));

    site.remove("content/s04/p39.md");
    site.file("content/s04/p40.md", "# Page 4-40\n\n[before](p38.md)\n");
    s.step(
        "renamed page",
        &[content("s04/p39.md"), content("s04/p40.md")],
        Some(Scope::Content),
    );

    site.remove("content/s04/p40.md");
    s.step(
        "deleted page",
        &[content("s04/p40.md")],
        Some(Scope::Content),
    );
}

/// Pages are rendered when asked for after a template edit, but a broken
/// template still fails the rebuild: one page of each kind and the careers
/// pages are rendered at once.
#[test]
fn a_template_edit_that_breaks_a_page_or_a_careers_page_fails_the_rebuild() {
    let site = example();
    let mut s = Steps::new(&site);
    for (template, broken) in [
        ("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ page.nope | upper }}{% endblock content %}"),
        ("templates/careers/roles.html", "{% extends \"base.html\" %}{% block content %}{{ careers.nope.deeper }}{% endblock content %}"),
    ] {
        site.file(template, broken);
        let batch = [ChangeKind::Template].into_iter().collect();
        let errors = s
            .session
            .apply(&batch)
            .expect_err(&format!("a broken {template} fails the rebuild"));
        let name = template.trim_start_matches("templates/");
        assert!(
            errors.iter().any(|d| d.to_string().contains(name)),
            "{template}: {errors:?}"
        );
        site.remove(template);
        s.step("template fixed", &[ChangeKind::Template], Some(Scope::Everything));
    }
}

/// A careers template that only a content edit breaks: the careers pages
/// are made when first asked for after a content edit, and then every path
/// in the careers folder serves the error (the live error page) instead of
/// going missing without a word.
#[test]
fn a_careers_page_a_content_edit_breaks_reports_the_template_error() {
    let site = example();
    site.file(
        "templates/careers/roles.html",
        "{% extends \"base.html\" %}{% block content %}{% for track in careers.tracks %}{% for r in track.roles %}{% if r.title == \"Chief Tester\" %}{{ r.nope.deeper }}{% endif %}{{ r.title }}{% endfor %}{% endfor %}{% endblock content %}",
    );
    let mut s = Steps::new(&site);
    let role = "+++\ntitle = \"Chief Tester\"\n\n[role]\ntrack = \"engineering\"\nlevel = \"senior\"\n+++\n\nTests things.\n";
    site.file("content/roles/engineering/Chief Tester.md", role);
    let batch = [content("roles/engineering/Chief Tester.md")]
        .into_iter()
        .collect();
    s.session
        .apply(&batch)
        .expect("the content edit itself rebuilds");
    let output = s.session.output().unwrap();
    let contents = output.contents();
    let failed: Vec<(&String, String)> = contents
        .iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(v).into_owned()))
        .filter(|(_, v)| v.starts_with("(unreadable:"))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    let (folder, why) = &failed[0];
    assert_eq!(folder.as_str(), "careers/");
    assert!(why.contains("careers/roles.html"), "{why}");
    // Fixing the template brings the pages back, as a full build has them.
    site.remove("templates/careers/roles.html");
    s.step("template fixed", &[ChangeKind::Template], None);
}
