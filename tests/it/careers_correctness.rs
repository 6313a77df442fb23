//! Careers details a new user runs into: placeholder salary bands, the
//! Atom feed's author and entry ids, JobPosting text and dates, whole
//! numbers in roles.json, the build summary of closed openings, and `init`
//! not guessing the employer's country, currency or name.

use crate::harness::*;

const CONFIG: &str = r#"
title = "Acme Handbook"
base_url = "https://acme.github.io/handbook/"

[organization]
name = "Acme Ltd"
url = "https://acme.example"

[careers]
default_currency = "GBP"
country = "GB"
apply_url = "https://acme.example/apply"

[[careers.tracks]]
id = "engineering"

[[careers.levels]]
id = "senior"
"#;

const OPEN: &str = "[role.opening]\nlocations = [\"London\"]\nworkplace = \"hybrid\"\nopens = 2026-10-01\ncloses = 2099-03-31\n";

fn site_with(salary: &str, opening: &str, config: &str) -> TestSite {
    let site = TestSite::new();
    site.file("site.toml", config)
        .file("content/_index.md", "# Acme\n")
        .file(
            "content/roles/senior.md",
            &format!(
                "+++\ntitle = \"Senior Engineer\"\n[role]\ntrack = \"engineering\"\nlevel = \"senior\"\n\
                 salary = {salary}\n{opening}+++\n\n## What you will do\n\nBuild things.\n\n## Who you are\n\nCurious.\n"
            ),
        );
    site
}

#[test]
fn a_zero_salary_band_is_an_error_when_salary_is_required() {
    let site = site_with("{ min = 0, max = 0 }", "", CONFIG);
    site.run(&["check"]).fails().stderr_has(
        "content/roles/senior.md:6: error: salary band 0 – 0 is a placeholder (careers.require_salary is on)",
    );
}

#[test]
fn a_zero_salary_band_is_an_error_on_an_open_role_even_without_require_salary() {
    let config = CONFIG.replace("[careers]\n", "[careers]\nrequire_salary = false\n");
    let site = site_with("{ min = 0, max = 90000 }", OPEN, &config);
    site.build()
        .fails()
        .stderr_has("error: salary band 0 – 90000 is a placeholder (the role is open)");
}

#[test]
fn a_zero_band_on_a_closed_role_without_require_salary_is_a_warning_and_not_published() {
    let config = CONFIG.replace("[careers]\n", "[careers]\nrequire_salary = false\n");
    let site = site_with("{ min = 0, max = 0 }", "", &config);
    site.build()
        .ok()
        .stderr_has("warning: salary band 0 – 0 is a placeholder; it is not published");
    let doc = site.html("roles/senior/index.html");
    assert!(texts(&doc, ".role-card dd")
        .iter()
        .all(|t| !t.contains('0')));
    let roles: serde_json::Value =
        serde_json::from_str(&site.read("public/careers/roles.json")).unwrap();
    assert_eq!(roles["roles"][0]["salary"], serde_json::Value::Null);
}

#[test]
fn roles_json_writes_whole_salaries_as_integers() {
    let site = site_with("{ min = 62000, max = 74000.5 }", "", CONFIG);
    site.build().ok();
    let text = site.read("public/careers/roles.json");
    assert!(text.contains("\"min\": 62000,"), "{text}");
    assert!(text.contains("\"max\": 74000.5,"), "{text}");
}

#[test]
fn atom_feed_has_an_author_and_a_new_entry_id_when_a_role_reopens() {
    let site = site_with("{ min = 60000, max = 70000 }", OPEN, CONFIG);
    site.build().ok();
    let feed = site.read("public/careers/open-roles.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let atom = "http://www.w3.org/2005/Atom";
    let author = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((atom, "author")))
        .expect("feed author");
    let name = author
        .children()
        .find(|n| n.has_tag_name((atom, "name")))
        .unwrap();
    assert_eq!(name.text(), Some("Acme Ltd"));
    let id_of = |xml: &str| -> String {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let entry = doc
            .descendants()
            .find(|n| n.has_tag_name((atom, "entry")))
            .unwrap();
        let id = entry
            .children()
            .find(|n| n.has_tag_name((atom, "id")))
            .unwrap();
        id.text().unwrap().to_string()
    };
    let first = id_of(&feed);
    assert_eq!(
        first,
        "https://acme.github.io/handbook/roles/senior/#opening-2026-10-01"
    );
    // Filled, then advertised again: feed readers see a new entry.
    site.file(
        "content/roles/senior.md",
        &site
            .read("content/roles/senior.md")
            .replace("2026-10-01", "2027-02-01"),
    );
    site.build().ok();
    assert_ne!(id_of(&site.read("public/careers/open-roles.xml")), first);
}

#[test]
fn job_posting_text_has_no_permalinks_and_dates_and_places_are_explicit() {
    let remote = "[role.opening]\nlocations = []\ncountry = \"IE\"\nworkplace = \"remote\"\nopens = 2026-10-01\ncloses = 2099-03-31\n";
    let site = site_with("{ min = 60000, max = 70000 }", remote, CONFIG);
    site.build().ok();
    let doc = site.html("roles/senior/index.html");
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&doc, "script[type=\"application/ld+json\"]")[0]).unwrap();
    let description = ld["description"].as_str().unwrap();
    let fragment = Html::parse_fragment(description);
    assert!(attrs(&fragment, "a", "href").is_empty(), "{description}");
    assert_eq!(texts(&fragment, "h2"), ["What you will do", "Who you are"]);
    // The page itself keeps its heading permalinks.
    assert_eq!(attrs(&doc, "main h2 a.anchor", "href").len(), 2);
    assert_eq!(ld["validThrough"], "2099-03-31T23:59:59Z");
    assert_eq!(ld["applicantLocationRequirements"]["name"], "Ireland");
}

#[test]
fn the_build_summary_names_openings_closed_since_the_last_build() {
    let site = site_with("{ min = 60000, max = 70000 }", OPEN, CONFIG);
    let run = site.build();
    run.ok();
    assert!(!run.stdout.contains("Closed since"), "{}", run.stdout);
    site.file(
        "content/roles/senior.md",
        &site
            .read("content/roles/senior.md")
            .replace("2099-03-31", "2026-10-31"),
    );
    let run = site.build();
    run.ok();
    assert!(
        run.stdout
            .contains("Closed since the last build: Senior Engineer (closed 2026-10-31)"),
        "{}",
        run.stdout
    );
    // Only once: the next build compares with this one.
    assert!(!site.build().stdout.contains("Closed since"));
}

#[test]
fn init_leaves_country_currency_and_organisation_unset_with_a_note() {
    let site = TestSite::new();
    let run = site.run(&["init", "acme-careers"]);
    run.ok();
    assert!(
        run.stdout.contains(
            "set [organization] name, careers.default_currency, careers.country in site.toml"
        ),
        "{}",
        run.stdout
    );
    let config: toml::Table = toml::from_str(&site.read("acme-careers/site.toml")).unwrap();
    assert!(config["careers"].get("country").is_none());
    assert!(config["careers"].get("default_currency").is_none());
    assert!(config["organization"].get("name").is_none());
    // `check` then names what needs them instead of publishing a guess.
    site.run(&["check", "--root", "acme-careers"])
        .fails()
        .stderr_has("error: opening has no `country`");
    // Given as flags, they are written; invalid codes are usage errors.
    let other = TestSite::new();
    other
        .run(&[
            "init",
            "--organization",
            "Acme \"Jobs\"",
            "--country",
            "ie",
            "--currency",
            "EUR",
        ])
        .ok();
    let config: toml::Table = toml::from_str(&other.read("site.toml")).unwrap();
    assert_eq!(config["careers"]["country"].as_str(), Some("IE"));
    assert_eq!(
        config["organization"]["name"].as_str(),
        Some("Acme \"Jobs\"")
    );
    let bad = TestSite::new();
    let run = bad.run(&["init", "--country", "UK"]);
    assert_eq!(run.code, 2);
    assert!(run
        .stderr
        .contains("country \"UK\" is not an ISO 3166-1 alpha-2 code"));
    assert!(!bad.exists("site.toml"));
}
