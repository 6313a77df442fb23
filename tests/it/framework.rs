//! The career framework: validation through the CLI, the framework pages
//! (matrix, level, level-to-next), role pages and the ladder, the JSON
//! export against its schema, and the pay progression page with and
//! without a framework.

use crate::harness::*;
use serde_json::Value;

/// Two tracks, three levels (junior, mid, senior).
fn config() -> String {
    careers_config(
        r#"
title = "Acme Handbook"
base_url = "https://acme.github.io/handbook/"

[organization]
name = "Acme""#,
        "default_currency = \"GBP\"\ncountry = \"GB\"",
        &[
            ("junior", "Junior"),
            ("mid", "Mid-level"),
            ("senior", "Senior"),
        ],
    )
}

pub(crate) const FRAMEWORK: &str = r#"
[[area]]
id = "craft"
name = "Craft"
description = "How well the work is done."

[[area]]
id = "people"
name = "People"

[[competency]]
id = "quality"
area = "craft"
name = "Quality"
description = "Correct, readable work."
[competency.levels]
junior = "Writes tested code."
mid = "Improves the tests of the code they touch."
senior = "Sets the team's standard for testing."
[[competency.examples]]
level = "mid"
text = "Adds a regression test with every bug fix."

[[competency]]
id = "mentoring"
area = "people"
name = "Mentoring"
[competency.levels]
mid = "Helps new colleagues settle in."
senior = "Helps new colleagues settle in."

[[competency]]
id = "feedback"
area = "people"
name = "Feedback & <review>"
[competency.levels]
junior = "Asks for feedback on their work."
senior = "Gives \"specific\", kind feedback; see [the guide](/culture/feedback/)."
"#;

const DESIGN: &str = r#"
[[competency]]
id = "research"
area = "craft"
name = "Research"
[competency.levels]
junior = "Takes notes in research sessions."
senior = "Chooses the research method for the question."
"#;

fn role(title: &str, track: &str, level: &str, min: u32, max: u32) -> String {
    format!(
        "+++\ntitle = \"{title}\"\n[role]\ntrack = \"{track}\"\nlevel = \"{level}\"\n\
         salary = {{ min = {min}, max = {max} }}\n+++\n\nAbout the {title} role.\n"
    )
}

pub(crate) fn framework_site() -> TestSite {
    let site = TestSite::new();
    site.file("site.toml", &config())
        .file("framework.toml", FRAMEWORK)
        .file("framework/design.toml", DESIGN)
        .file("content/_index.md", "# Acme\n")
        .file("content/culture/feedback.md", "# Feedback\n")
        .file(
            "content/roles/mid.md",
            &role("Engineer", "engineering", "mid", 50000, 60000),
        )
        .file(
            "content/roles/senior.md",
            &role("Senior Engineer", "engineering", "senior", 65000, 80000),
        )
        .file(
            "content/roles/senior-platform.md",
            &role(
                "Senior Platform Engineer",
                "engineering",
                "senior",
                70000,
                85000,
            ),
        )
        .file(
            "content/roles/designer.md",
            &role("Designer", "design", "junior", 35000, 42000),
        );
    site
}

fn json(site: &TestSite, rel: &str) -> Value {
    serde_json::from_str(&site.read(&format!("public/{rel}"))).expect("valid JSON")
}

#[test]
fn every_kind_of_framework_error_is_reported_in_one_run_with_lines() {
    let site = framework_site();
    site.file(
        "framework.toml",
        "[[area]]\nid = \"craft\"\n\n[[competency]]\nid = \"quality\"\narea = \"craf\"\ntracks = [\"enginering\"]\n[competency.levels]\nsenoir = \"x\"\n\n[[competency]]\nid = \"quality\"\narea = \"craft\"\n",
    )
    .file("framework/desgin.toml", "");
    let run = site.run(&["check"]);
    run.fails();
    for line in [
        "framework.toml:6: error: competency \"quality\": area \"craf\" is not defined",
        "hint: did you mean \"craft\"?",
        "framework.toml:7: error: competency \"quality\": track \"enginering\" is not defined in site.toml",
        "hint: did you mean \"engineering\"?",
        "framework.toml:9: error: competency \"quality\": level \"senoir\" is not defined in site.toml",
        "hint: did you mean \"senior\"?",
        "framework.toml:12: error: competency id \"quality\" is defined twice",
        "framework.toml:12: error: competency \"quality\" has no level text",
        "framework/desgin.toml:1: error: framework/desgin.toml is named after track \"desgin\"",
    ] {
        run.stderr_has(line);
    }
    // A failed build leaves no framework pages behind.
    assert_eq!(site.build().code, 1);
    assert!(!site.exists("public/careers/framework/index.html"));
}

#[test]
fn a_level_with_nothing_new_in_a_track_is_a_warning_not_an_error() {
    let site = framework_site();
    site.file(
        "site.toml",
        &format!(
            "{}\n[[careers.levels]]\nid = \"staff\"\nname = \"Staff\"\n",
            config()
        ),
    );
    let run = site.build();
    run.ok();
    run.stderr_has(
        "framework.toml: warning: no competency text for level \"staff\" in track \"design\"",
    );
    // The staff pages exist and carry the senior expectations up.
    let doc = site.html("careers/framework/design/staff/index.html");
    assert_eq!(
        texts(&doc, "#c-research .muted"),
        ["Unchanged since Senior."]
    );
}

#[test]
fn the_step_page_lists_only_new_and_changed_expectations() {
    let site = framework_site();
    site.build().ok();
    // junior → mid in engineering: quality changes, mentoring is new,
    // feedback (nothing written at mid) is left out.
    let doc = site.html("careers/framework/engineering/junior-to-mid/index.html");
    assert_eq!(
        texts(&doc, ".fw-change h3"),
        ["Quality Changed", "Mentoring New"]
    );
    assert_eq!(
        texts(&doc, "#c-quality .fw-before"),
        ["At JuniorWrites tested code."]
    );
    assert_eq!(
        texts(&doc, "#c-quality .fw-after"),
        ["At Mid-levelImproves the tests of the code they touch."]
    );
    // mid → senior: mentoring's text is unchanged, so it is not listed.
    let doc = site.html("careers/framework/engineering/mid-to-senior/index.html");
    let names: Vec<String> = texts(&doc, ".fw-change h3");
    assert_eq!(names, ["Quality Changed", "Feedback & <review> Changed"]);
    // The design track has its own competency from framework/design.toml.
    let doc = site.html("careers/framework/design/junior-to-mid/index.html");
    assert_eq!(
        texts(&doc, ".fw-change h3"),
        ["Quality Changed", "Mentoring New"]
    );
}

#[test]
fn level_pages_show_everything_expected_grouped_by_area() {
    let site = framework_site();
    site.build().ok();
    let doc = site.html("careers/framework/engineering/senior/index.html");
    assert_eq!(texts(&doc, "main h2[id^=area-]"), ["Craft", "People"]);
    assert_eq!(
        attrs(&doc, ".fw-expectation", "id"),
        ["c-quality", "c-mentoring", "c-feedback"]
    );
    // Content is escaped; markdown renders; the link is kept.
    assert_eq!(one_text(&doc, "#c-feedback h3"), "Feedback & <review>");
    assert_eq!(
        attrs(&doc, "#c-feedback .fw-text a", "href"),
        ["/handbook/culture/feedback/"]
    );
    // Roles at the level, and the neighbouring pages.
    assert_eq!(
        texts(&doc, "main article > p a[href*='/roles/']"),
        ["Senior Engineer", "Senior Platform Engineer"]
    );
    assert_eq!(
        attrs(&doc, ".fw-steps a[rel=prev]", "href"),
        ["/handbook/careers/framework/engineering/mid/"]
    );
    // An expectation written for a lower level carries up, marked as such.
    let doc = site.html("careers/framework/engineering/mid/index.html");
    assert_eq!(
        texts(&doc, "#c-feedback .muted"),
        ["Unchanged since Junior."]
    );
    assert_eq!(
        texts(&doc, "#c-quality .fw-examples li"),
        ["Adds a regression test with every bug fix."]
    );
    // The self-review loads its script on level pages only.
    assert_eq!(
        attrs(&doc, "script[src$='self-review.js']", "src"),
        ["/handbook/self-review.js"]
    );
    let track = site.html("careers/framework/engineering/index.html");
    assert!(attrs(&track, "script[src$='self-review.js']", "src").is_empty());
}

#[test]
fn the_track_matrix_has_a_column_per_level_and_a_no_js_level_switch() {
    let site = framework_site();
    site.build().ok();
    let doc = site.html("careers/framework/engineering/index.html");
    assert_eq!(
        texts(&doc, ".fw-matrix thead th"),
        ["Competency", "Junior", "Mid-level", "Senior"]
    );
    assert_eq!(
        attrs(&doc, ".fw-switch input[type=radio]", "value"),
        ["junior", "mid", "senior"]
    );
    let row: Vec<String> = texts(&doc, ".fw-matrix tr:has(#c-mentoring) td");
    assert_eq!(
        row,
        [
            "—As at the level below",
            "Helps new colleagues settle in.",
            "Helps new colleagues settle in."
        ]
    );
    let overview = site.html("careers/framework/index.html");
    assert_eq!(
        texts(&overview, ".fw-tracks li > a"),
        ["Engineering", "Design"]
    );
    assert_eq!(texts(&overview, "#c-research .muted"), ["(Design only)"]);
}

#[test]
fn role_pages_show_their_level_and_the_ladder_links_to_it() {
    let site = framework_site();
    site.build().ok();
    let doc = site.html("roles/senior/index.html");
    assert_eq!(
        attrs(&doc, ".role-expectations details", "open"),
        Vec::<String>::new()
    );
    assert_eq!(
        texts(&doc, ".role-expectations dt"),
        ["Quality", "Mentoring", "Feedback & <review>"]
    );
    assert_eq!(
        attrs(&doc, ".role-expectations > p a", "href"),
        ["/handbook/careers/framework/engineering/senior/"]
    );
    let ladder = site.html("careers/ladder/index.html");
    let links = attrs(&ladder, ".ladder a.ladder-expectations", "href");
    assert_eq!(links.len(), 6, "one per level and track");
    assert!(links.contains(&"/handbook/careers/framework/design/mid/".to_string()));
    // Configurable: in full.
    site.file(
        "site.toml",
        &config().replace(
            "country = \"GB\"",
            "country = \"GB\"\nrole_expectations = \"full\"",
        ),
    );
    site.build().ok();
    let doc = site.html("roles/senior/index.html");
    assert_eq!(attrs(&doc, ".role-expectations details", "open"), [""]);
    // A wrong value names the choices.
    site.file(
        "site.toml",
        &config().replace(
            "country = \"GB\"",
            "country = \"GB\"\nrole_expectations = \"folden\"",
        ),
    );
    site.build()
        .fails()
        .stderr_has("hint: did you mean \"folded\"?");
}

#[test]
fn framework_pages_are_in_the_navigation_and_sitemap() {
    let site = framework_site();
    site.build().ok();
    let doc = site.html("index.html");
    let careers = texts(&doc, ".sidebar li a");
    assert!(
        careers.contains(&"Career framework".to_string()),
        "{careers:?}"
    );
    assert!(careers.contains(&"Pay and progression".to_string()));
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("https://acme.github.io/handbook/careers/framework/design/mid-to-senior/")
    );
    assert!(sitemap.contains("https://acme.github.io/handbook/careers/pay/"));
    assert_links_resolve(&site, "/handbook/");
}

/// A small JSON Schema validator for the keywords `docs/framework.schema.json`
/// uses, so the export is checked against the published schema itself.
fn validate(schema: &Value, root: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(&root["$defs"][name], root, value, at, errors);
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            other => panic!("validator does not know type {other}"),
        };
        if !ok {
            errors.push(format!("{at}: expected {t}, got {value}"));
            return;
        }
    }
    if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
        if !regex::Regex::new(p)
            .unwrap()
            .is_match(value.as_str().unwrap_or_default())
        {
            errors.push(format!("{at}: {value} does not match {p}"));
        }
    }
    if let Some(n) = schema.get("minLength").and_then(Value::as_u64) {
        if (value.as_str().unwrap_or_default().chars().count() as u64) < n {
            errors.push(format!("{at}: shorter than {n}"));
        }
    }
    if let Some(obj) = value.as_object() {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(key.as_str().unwrap()) {
                errors.push(format!("{at}: missing {key}"));
            }
        }
        if let Some(n) = schema.get("minProperties").and_then(Value::as_u64) {
            if (obj.len() as u64) < n {
                errors.push(format!("{at}: fewer than {n} properties"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, v) in obj {
            match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => validate(s, root, v, &format!("{at}.{k}"), errors),
                (None, Some(Value::Bool(false))) => errors.push(format!("{at}: unexpected {k}")),
                (None, Some(s)) if s.is_object() => {
                    validate(s, root, v, &format!("{at}.{k}"), errors);
                }
                _ => {}
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, v) in list.iter().enumerate() {
            validate(items, root, v, &format!("{at}[{i}]"), errors);
        }
    }
}

fn schema() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/framework.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn framework_json_validates_against_the_schema_in_docs() {
    let site = framework_site();
    site.build().ok();
    let doc = json(&site, "careers/framework.json");
    let schema = schema();
    let mut errors = Vec::new();
    validate(&schema, &schema, &doc, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does catch a broken document.
    let mut broken = doc.clone();
    broken.as_object_mut().unwrap().remove("version");
    broken["competencies"][0]["levels"] = serde_json::json!({});
    broken["competencies"][1]["colour"] = serde_json::json!("red");
    let mut errors = Vec::new();
    validate(&schema, &schema, &broken, "$", &mut errors);
    assert_eq!(
        errors,
        [
            "$: missing \"version\"",
            "$.competencies[0].levels: fewer than 1 properties",
            "$.competencies[1]: unexpected colour",
        ]
    );
    assert_eq!(
        doc["competencies"][3]["tracks"],
        serde_json::json!(["design"])
    );
    assert_eq!(
        doc["competencies"][1]["levels"]["mid"],
        "Helps new colleagues settle in."
    );
}

/// framework.json → framework.toml: the export carries everything the data
/// files hold.
fn toml_from_json(doc: &Value) -> String {
    let mut out = toml::Table::new();
    let areas: Vec<Value> = doc["areas"].as_array().unwrap().clone();
    out.insert("area".into(), toml::Value::try_from(areas).unwrap());
    let comps: Vec<Value> = doc["competencies"].as_array().unwrap().clone();
    out.insert("competency".into(), toml::Value::try_from(comps).unwrap());
    toml::to_string(&out).unwrap()
}

#[test]
fn framework_json_round_trips_and_its_version_follows_the_content() {
    let site = framework_site();
    site.build().ok();
    let first = json(&site, "careers/framework.json");
    // Rebuild a site from the export alone: the same document comes back.
    let copy = TestSite::new();
    copy.file("site.toml", &config())
        .file("framework.toml", &toml_from_json(&first))
        .file("content/_index.md", "# Acme\n");
    copy.build().ok();
    assert_eq!(json(&copy, "careers/framework.json"), first);
    // The version is stable across builds and changes with the content.
    site.build().ok();
    assert_eq!(
        json(&site, "careers/framework.json")["version"],
        first["version"]
    );
    site.file(
        "framework.toml",
        &FRAMEWORK.replace("Writes tested code.", "Writes well-tested code."),
    );
    site.build().ok();
    let changed = json(&site, "careers/framework.json");
    assert_ne!(changed["version"], first["version"]);
    assert_eq!(
        changed["competencies"][0]["levels"]["junior"],
        "Writes well-tested code."
    );
}

#[test]
fn pay_page_shows_bands_by_level_and_what_moves_you_between_them() {
    let site = framework_site();
    site.build().ok();
    let doc = site.html("careers/pay/index.html");
    assert_eq!(
        texts(&doc, ".salaries tbody tr:nth-child(3) td"),
        [
            "£65,000 – £85,000 per yearExpectations",
            "No role yetExpectations"
        ]
    );
    let steps = texts(&doc, ".fw-progression li");
    assert_eq!(
        steps[..2],
        [
            "Junior to Mid-level in Engineering: Quality, Mentoring",
            "Mid-level to Senior in Engineering: Quality, Feedback & <review>"
        ]
    );
    assert_eq!(
        attrs(&doc, ".fw-progression a", "href")[0],
        "/handbook/careers/framework/engineering/junior-to-mid/"
    );
    // The owner's own text replaces the generated introduction.
    site.file(
        "content/careers/pay.md",
        "# How we pay\n\nEveryone at a level is paid within its band; we review pay every April.\n",
    );
    site.build().ok();
    let doc = site.html("careers/pay/index.html");
    assert_eq!(one_text(&doc, "main h1"), "How we pay");
    assert_eq!(
        texts(&doc, "main .content p"),
        ["Everyone at a level is paid within its band; we review pay every April."]
    );
}

#[test]
fn pay_page_works_without_a_framework() {
    let site = framework_site();
    site.remove("framework.toml").remove("framework");
    site.build().ok();
    let doc = site.html("careers/pay/index.html");
    assert_eq!(
        texts(&doc, ".salaries tbody th"),
        ["Junior", "Mid-level", "Senior"]
    );
    assert_eq!(
        texts(&doc, ".salaries tbody tr:first-child td"),
        ["No role yet", "£35,000 – £42,000 per year"]
    );
    assert!(texts(&doc, ".fw-progression li").is_empty());
    assert!(!site.exists("public/careers/framework/index.html"));
    assert!(!site.exists("public/careers/framework.json"));
    let ladder = site.html("careers/ladder/index.html");
    assert!(attrs(&ladder, "a.ladder-expectations", "href").is_empty());
    let role = site.html("roles/senior/index.html");
    assert!(texts(&role, ".role-expectations").is_empty());
}
