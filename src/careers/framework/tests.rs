//! Validation (each kind of error, with its line) and the level-to-level
//! changes, on in-memory framework files.

use super::resolve::resolve;
use super::*;
use crate::config::{CareersConfig, Level, Track};

fn careers() -> CareersConfig {
    let track = |id: &str| Track {
        id: id.into(),
        name: crate::config::title_case(id),
        description: None,
    };
    let level = |id: &str| Level {
        id: id.into(),
        name: crate::config::title_case(id),
        description: None,
    };
    CareersConfig {
        tracks: vec![track("engineering"), track("design")],
        levels: vec![level("junior"), level("mid"), level("senior")],
        ..CareersConfig::default()
    }
}

fn file(display: &str, track: Option<&str>, text: &str) -> SourceFile {
    SourceFile {
        display: display.into(),
        text: text.into(),
        track: track.map(String::from),
    }
}

/// Resolves `files` and returns the framework and every diagnostic as
/// `path:line: severity: message`.
fn run(files: &[SourceFile]) -> (Option<Framework>, Vec<String>) {
    let mut diags = Vec::new();
    let fw = resolve(files, &careers(), "/", &mut diags);
    let lines = diags
        .iter()
        .map(|d| d.headline().lines().next().unwrap_or_default().to_string())
        .collect();
    (fw, lines)
}

#[track_caller]
fn check_errors(text: &str, expected: &[&str]) {
    let (fw, got) = run(&[file("framework.toml", None, text)]);
    assert!(fw.is_none(), "expected errors, got a framework");
    let errors: Vec<&String> = got.iter().filter(|l| l.contains("error")).collect();
    assert_eq!(errors, expected.iter().collect::<Vec<_>>(), "all: {got:#?}");
}

const GOOD: &str = r#"
[[area]]
id = "craft"
name = "Craft"

[[competency]]
id = "quality"
area = "craft"
name = "Quality"
[competency.levels]
junior = "Writes tested code."
mid = "Improves the tests of the code they touch."
senior = "Sets the standard of testing for the team."

[[competency]]
id = "mentoring"
area = "craft"
[competency.levels]
mid = "Helps newer colleagues."
senior = "Helps newer colleagues."
"#;

#[test]
fn a_valid_framework_resolves_with_levels_in_ladder_order() {
    let (fw, diags) = run(&[file("framework.toml", None, GOOD)]);
    let fw = fw.expect("valid");
    assert_eq!(fw.competencies.len(), 2);
    assert_eq!(fw.competencies[0].tracks, vec![0, 1]);
    assert_eq!(fw.competencies[1].name, "Mentoring");
    assert!(fw.competencies[0].levels[0]
        .as_ref()
        .unwrap()
        .html
        .contains("<p>Writes tested code.</p>"));
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn each_kind_of_error_is_reported_with_its_line_in_one_run() {
    check_errors(
        r##"[[area]]
id = "craft"

[[area]]
id = "craft"

[[competency]]
id = "Quality Bar"
area = "craf"
tracks = ["enginering"]
[competency.levels]
senoir = "x"
mid = "# Heading"

[[competency]]
id = "empty"
area = "craft"

[[competency]]
id = "empty"
area = "craft"
[competency.levels]
mid = "See [this](other.md) and <b>that</b>."
"##,
        &[
            "framework.toml:5: error: area id \"craft\" is defined twice",
            "framework.toml:8: error: competency id \"Quality Bar\" is not a valid id",
            "framework.toml:9: error: competency \"Quality Bar\": area \"craf\" is not defined",
            "framework.toml:10: error: competency \"Quality Bar\": track \"enginering\" is not defined in site.toml",
            "framework.toml:13: error: competency \"Quality Bar\" at level \"mid\": markdown headings cannot be shown here",
            "framework.toml:12: error: competency \"Quality Bar\": level \"senoir\" is not defined in site.toml",
            "framework.toml:16: error: competency \"empty\" has no level text",
            "framework.toml:23: error: competency \"empty\" at level \"mid\": relative link \"other.md\" cannot be resolved from the framework pages",
            "framework.toml:20: error: competency id \"empty\" is defined twice",
        ],
    );
}

#[test]
fn hints_name_the_closest_id() {
    let mut diags = Vec::new();
    let text = "[[area]]\nid = \"craft\"\n[[competency]]\nid = \"q\"\narea = \"craft\"\n[competency.levels]\nsenoir = \"x\"\n";
    resolve(
        &[file("framework.toml", None, text)],
        &careers(),
        "/",
        &mut diags,
    );
    let d = diags
        .iter()
        .find(|d| d.message.contains("senoir"))
        .expect("level error");
    assert!(
        d.hint
            .as_deref()
            .unwrap_or_default()
            .starts_with("did you mean \"senior\"?"),
        "{d:?}"
    );
}

#[test]
fn syntax_and_unknown_keys_point_at_their_line() {
    check_errors(
        "[[area]]\nid = \"craft\"\ncolour = \"red\"\n",
        &["framework.toml:3:1: error: unknown field `colour`, expected one of `id`, `name`, `description`"],
    );
    check_errors(
        "[[area]\n",
        &["framework.toml:1:7: error: invalid table header"],
    );
}

#[test]
fn markdown_errors_in_multi_line_strings_point_at_the_line_inside() {
    check_errors(
        "[[area]]\nid = \"a\"\n[[competency]]\nid = \"c\"\narea = \"a\"\n[competency.levels]\nmid = \"\"\"\nFine text.\n\n<div>raw</div>\n\"\"\"\n",
        &["framework.toml:10: error: competency \"c\" at level \"mid\": raw HTML cannot be shown here"],
    );
}

#[test]
fn track_files_are_named_after_tracks_and_own_their_competencies() {
    let area = file("framework.toml", None, "[[area]]\nid = \"craft\"\n");
    let design = file(
        "framework/design.toml",
        Some("design"),
        "[[competency]]\nid = \"visual\"\narea = \"craft\"\n[competency.levels]\njunior = \"a\"\nmid = \"b\"\nsenior = \"c\"\n",
    );
    let (fw, diags) = run(&[area, design]);
    let fw = fw.expect("valid");
    assert_eq!(fw.competencies[0].tracks, vec![1]);
    assert_eq!(
        diags,
        vec!["framework.toml: warning: track \"engineering\" has no competencies in the framework"]
    );
    let bad = file("framework/desgin.toml", Some("desgin"), "");
    let (_, diags) = run(&[bad]);
    assert_eq!(
        diags[0],
        "framework/desgin.toml:1: error: framework/desgin.toml is named after track \"desgin\", which is not defined in site.toml"
    );
}

#[test]
fn a_level_with_no_text_in_a_track_is_a_warning() {
    let text = "[[area]]\nid = \"a\"\n[[competency]]\nid = \"c\"\narea = \"a\"\n[competency.levels]\njunior = \"x\"\nsenior = \"y\"\n";
    let (fw, diags) = run(&[file("framework.toml", None, text)]);
    assert!(fw.is_some());
    assert_eq!(
        diags,
        vec![
            "framework.toml: warning: no competency text for level \"mid\" in track \"engineering\"",
            "framework.toml: warning: no competency text for level \"mid\" in track \"design\"",
        ]
    );
}

#[test]
fn changes_list_only_new_and_rewritten_expectations() {
    let (fw, _) = run(&[file("framework.toml", None, GOOD)]);
    let fw = fw.unwrap();
    // junior → mid: quality rewritten, mentoring new.
    let step: Vec<(&str, ChangeKind)> = fw
        .changes(0, 0, 1)
        .iter()
        .map(|c| (c.competency.id.as_str(), c.kind))
        .collect();
    assert_eq!(
        step,
        vec![
            ("quality", ChangeKind::Changed),
            ("mentoring", ChangeKind::New)
        ]
    );
    // mid → senior: mentoring's text is the same, so only quality changes.
    let step = fw.changes(0, 1, 2);
    assert_eq!(step.len(), 1);
    assert_eq!(step[0].competency.id, "quality");
    assert_eq!(
        step[0].before.unwrap().markdown,
        "Improves the tests of the code they touch."
    );
    // An expectation carries up to levels that leave it out.
    let m = &fw.competencies[1];
    assert!(m.at(0).is_none());
    assert_eq!(m.at(2).unwrap().since, 2);
}

#[test]
fn fingerprint_changes_with_content() {
    assert_eq!(Framework::fingerprint("a"), Framework::fingerprint("a"));
    assert_ne!(Framework::fingerprint("a"), Framework::fingerprint("b"));
    assert_eq!(Framework::fingerprint("").len(), 16);
}
