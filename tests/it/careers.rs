//! Careers as data: role validation, generated careers pages, feeds,
//! roles.json, JobPosting JSON-LD and sharing metadata.

use crate::harness::*;
use handbook::output::feeds::RolesFile;
use serde_json::Value;

fn config() -> String {
    careers_config(
        r#"
title = "Acme Handbook"
base_url = "https://acme.github.io/handbook/"
language = "en-GB"

[organization]
name = "Acme"
url = "https://acme.example"
logo = "images/logo.png""#,
        "default_currency = \"GBP\"\ncountry = \"GB\"\napply_url = \"https://acme.example/apply\"",
        &[
            ("mid", "Mid-level"),
            ("senior", "Senior"),
            ("staff", "Staff"),
        ],
    )
}

fn role(title: &str, track: &str, level: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndescription = \"About {title}\"\n[role]\ntrack = \"{track}\"\nlevel = \"{level}\"\n\
         salary = {{ min = 50000, max = 70000, currency = \"GBP\", period = \"year\" }}\n{extra}+++\n\nThe {title} role body mentions zeppelins.\n"
    )
}

const HYBRID: &str = "[role.opening]\nlocations = [\"London\", \"Manchester\"]\nworkplace = \"hybrid\"\nemployment_type = \"full-time\"\nopens = 2026-10-01\ncloses = 2099-03-31\napply_url = \"https://jobs.example/senior\"\n";
const REMOTE: &str = "[role.opening]\nlocations = []\ncountry = \"IE\"\nworkplace = \"remote\"\nemployment_type = \"contract\"\nopens = 2026-11-01\n";
const CLOSED: &str = "[role.opening]\nlocations = [\"London\"]\nworkplace = \"onsite\"\nopens = 2020-01-01\ncloses = 2020-06-30\n";

fn careers_site() -> TestSite {
    let site = TestSite::new();
    site.file("site.toml", &config())
        .file("content/_index.md", "# Acme\n")
        .bytes("content/images/logo.png", b"png")
        .file(
            "content/roles/engineering/senior.md",
            &role("Senior Engineer", "engineering", "senior", HYBRID),
        )
        .file(
            "content/roles/engineering/mid.md",
            &role("Engineer", "engineering", "mid", ""),
        )
        .file(
            "content/roles/engineering/staff.md",
            &role("Staff Engineer", "engineering", "staff", REMOTE),
        )
        .file(
            "content/roles/design/designer.md",
            &role("Designer", "design", "mid", CLOSED),
        )
        .file(
            "content/roles/design/principal.md",
            &role("Secret Designer", "design", "staff", "").replacen(
                "+++\n",
                "+++\ndraft = true\n",
                1,
            ),
        );
    site
}

fn jsonld(doc: &Html) -> Vec<Value> {
    texts(doc, "script[type=\"application/ld+json\"]")
        .iter()
        .map(|t| serde_json::from_str(t).unwrap_or_else(|e| panic!("invalid JSON-LD {e}: {t}")))
        .collect()
}

#[test]
fn hybrid_role_in_two_cities_has_complete_job_posting() {
    let site = careers_site();
    site.build().ok();
    let doc = site.html("roles/engineering/senior/index.html");
    let blocks = jsonld(&doc);
    assert_eq!(blocks.len(), 1, "exactly one JobPosting");
    let j = &blocks[0];
    assert_eq!(j["@context"], "https://schema.org/");
    assert_eq!(j["@type"], "JobPosting");
    assert_eq!(j["title"], "Senior Engineer");
    assert!(j["description"].as_str().unwrap().contains("zeppelins"));
    assert!(j["description"].as_str().unwrap().starts_with("<p>"));
    assert_eq!(j["datePosted"], "2026-10-01");
    assert_eq!(j["validThrough"], "2099-03-31T23:59:59Z");
    assert_eq!(j["employmentType"], "FULL_TIME");
    assert_eq!(j["hiringOrganization"]["@type"], "Organization");
    assert_eq!(j["hiringOrganization"]["name"], "Acme");
    assert_eq!(j["hiringOrganization"]["sameAs"], "https://acme.example");
    assert_eq!(
        j["hiringOrganization"]["logo"],
        "https://acme.github.io/handbook/images/logo.png"
    );
    let places = j["jobLocation"].as_array().unwrap();
    assert_eq!(places.len(), 2);
    for (place, city) in places.iter().zip(["London", "Manchester"]) {
        assert_eq!(place["@type"], "Place");
        assert_eq!(place["address"]["@type"], "PostalAddress");
        assert_eq!(place["address"]["addressLocality"], city);
        assert_eq!(place["address"]["addressCountry"], "GB");
    }
    assert!(j.get("jobLocationType").is_none());
    let salary = &j["baseSalary"];
    assert_eq!(salary["@type"], "MonetaryAmount");
    assert_eq!(salary["currency"], "GBP");
    assert_eq!(salary["value"]["@type"], "QuantitativeValue");
    assert_eq!(salary["value"]["minValue"], 50000);
    assert_eq!(salary["value"]["maxValue"], 70000);
    assert_eq!(salary["value"]["unitText"], "YEAR");
    assert_eq!(j["directApply"], false);
    assert!(j["identifier"]["value"]
        .as_str()
        .unwrap()
        .contains("senior"));
    // What the page shows matches the data.
    let card = texts(&doc, ".role-card dd").join(" | ");
    assert!(card.contains("Senior"), "{card}");
    assert!(card.contains("£50,000 – £70,000 per year"), "{card}");
    assert!(card.contains("London, Manchester"), "{card}");
    assert!(card.contains("Hybrid"), "{card}");
    assert!(card.contains("31 March 2099"), "{card}");
    assert_eq!(
        attrs(&doc, ".role-card a.button", "href"),
        ["https://jobs.example/senior"]
    );
    // Links to the previous and next level in its track.
    assert_eq!(
        attrs(&doc, ".ladder-links a[rel=prev]", "href"),
        ["/handbook/roles/engineering/mid/"]
    );
    assert_eq!(
        attrs(&doc, ".ladder-links a[rel=next]", "href"),
        ["/handbook/roles/engineering/staff/"]
    );
}

#[test]
fn fully_remote_role_uses_telecommute() {
    let site = careers_site();
    site.build().ok();
    let j = &jsonld(&site.html("roles/engineering/staff/index.html"))[0];
    assert_eq!(j["jobLocationType"], "TELECOMMUTE");
    assert_eq!(j["applicantLocationRequirements"]["@type"], "Country");
    assert_eq!(j["applicantLocationRequirements"]["name"], "Ireland");
    assert!(j.get("jobLocation").is_none());
    assert!(j.get("validThrough").is_none());
    assert_eq!(j["employmentType"], "CONTRACTOR");
}

#[test]
fn roles_without_a_live_opening_and_list_pages_carry_no_job_posting() {
    let site = careers_site();
    let run = site.build();
    run.ok()
        .stderr_has("content/roles/design/designer.md:12: warning: opening closed on 2020-06-30");
    assert!(jsonld(&site.html("roles/engineering/mid/index.html")).is_empty());
    let closed = site.html("roles/design/designer/index.html");
    assert!(jsonld(&closed).is_empty());
    assert!(one_text(&closed, ".role-status").starts_with("Applications for this role closed on"));
    for list in [
        "index.html",
        "careers/roles/index.html",
        "careers/open/index.html",
        "roles/index.html",
    ] {
        assert!(jsonld(&site.html(list)).is_empty(), "{list}");
    }
}

#[test]
fn script_in_a_role_title_cannot_escape_json_ld() {
    let site = careers_site();
    let evil = "</script><script>alert(1)</script>";
    // Only the title is hostile; raw HTML in a body passes through by design.
    let page = role(evil, "engineering", "senior", HYBRID)
        .replace(&format!("The {evil} role body"), "The role body");
    site.file("content/roles/engineering/senior.md", &page);
    site.build().ok();
    let raw = site.read("public/roles/engineering/senior/index.html");
    let doc = Html::parse_document(&raw);
    let blocks = jsonld(&doc);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0]["title"], evil);
    // The only scripts are the JSON-LD block and the theme's own files.
    let scripts: Vec<String> = attrs(&doc, "script:not([type=\"application/ld+json\"])", "src");
    assert_eq!(scripts, ["/handbook/handbook.js", "/handbook/search.js"]);
    assert_eq!(texts(&doc, "script").len(), 3);
    assert!(!raw.contains("<script>alert(1)"));
    // Escaped where it is shown as text.
    assert_eq!(one_text(&doc, "article > h1"), evil);
    assert!(attrs(&doc, "meta[property=\"og:title\"]", "content")[0].starts_with(evil));
}

#[test]
fn careers_pages_list_ladder_salaries_and_open_roles() {
    let site = careers_site();
    site.build().ok();
    let roles = site.html("careers/roles/index.html");
    assert_eq!(texts(&roles, "section h2"), ["Engineering", "Design"]);
    // Ordered by level within a track; drafts left out.
    assert_eq!(
        texts(&roles, "section:first-of-type .cards li > a"),
        ["Engineer", "Senior Engineer", "Staff Engineer"]
    );
    assert!(!site
        .read("public/careers/roles/index.html")
        .contains("Secret Designer"));
    let ladder = site.html("careers/ladder/index.html");
    assert_eq!(
        texts(&ladder, "table.ladder thead th"),
        ["Level", "Engineering", "Design"]
    );
    let rows = texts(&ladder, "table.ladder tbody tr");
    assert_eq!(rows.len(), 3);
    assert!(
        rows[0].starts_with("Mid-level")
            && rows[0].contains("Engineer")
            && rows[0].contains("Designer")
    );
    assert!(rows[2].contains("Staff Engineer") && !rows[2].contains("Secret"));
    let salaries = site.html("careers/salaries/index.html");
    let cells = texts(&salaries, "table.salaries tbody tr");
    assert_eq!(cells.len(), 4);
    assert!(cells.iter().any(|r| r.contains("Senior Engineer")
        && r.contains("£50,000 – £70,000 per year")
        && r.contains("GBP")));
    let open = site.html("careers/open/index.html");
    // Newest opening first; closed and evergreen roles absent.
    assert_eq!(
        texts(&open, ".cards li > a"),
        ["Staff Engineer", "Senior Engineer"]
    );
    let first = texts(&open, ".cards li p")[0].clone();
    assert!(
        first.contains("Fully remote") && first.contains("Remote"),
        "{first}"
    );
}

#[test]
fn drafts_appear_in_careers_pages_only_with_the_drafts_flag() {
    let site = careers_site();
    site.run(&["build", "--drafts"]).ok();
    assert!(site
        .read("public/careers/ladder/index.html")
        .contains("Secret Designer"));
    assert!(site
        .read("public/careers/roles.json")
        .contains("Secret Designer"));
}

#[test]
fn roles_json_round_trips_and_lists_every_non_draft_role() {
    let site = careers_site();
    site.build().ok();
    let text = site.read("public/careers/roles.json");
    let file: RolesFile = serde_json::from_str(&text).unwrap();
    let again: RolesFile = serde_json::from_str(&serde_json::to_string(&file).unwrap()).unwrap();
    assert_eq!(file, again);
    let titles: Vec<&str> = file.roles.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Engineer", "Senior Engineer", "Staff Engineer", "Designer"]
    );
    let senior = &file.roles[1];
    assert_eq!(
        senior.url,
        "https://acme.github.io/handbook/roles/engineering/senior/"
    );
    assert!(senior.is_open);
    assert_eq!(senior.level, "senior");
    assert_eq!(senior.salary.as_ref().unwrap().max, 70000.0);
    assert_eq!(
        senior.opening.as_ref().unwrap().locations,
        ["London", "Manchester"]
    );
    assert!(!file.roles[3].is_open);
    assert!(file.roles[3].opening.is_some());
}

#[test]
fn roles_sharing_a_title_are_listed_in_url_order_in_every_build() {
    // Six roles with one title in one track and level: their order used to
    // follow a hash map's, so two builds of the same site differed.
    let site = careers_site();
    for team in ["zeta", "alpha", "mu", "beta", "omega", "kappa"] {
        site.file(
            &format!("content/roles/{team}/engineer.md"),
            &role("Engineer", "engineering", "mid", ""),
        );
    }
    let mut expected: Vec<String> = ["alpha", "beta", "kappa", "mu", "omega", "zeta"]
        .iter()
        .map(|t| format!("https://acme.github.io/handbook/roles/{t}/engineer/"))
        .collect();
    expected.push("https://acme.github.io/handbook/roles/engineering/mid/".into());
    expected.sort();
    for _ in 0..3 {
        site.build().ok();
        let file: RolesFile =
            serde_json::from_str(&site.read("public/careers/roles.json")).unwrap();
        let urls: Vec<&str> = file
            .roles
            .iter()
            .filter(|r| r.title == "Engineer")
            .map(|r| r.url.as_str())
            .collect();
        assert_eq!(urls, expected);
        let ladder = site.html("careers/roles/index.html");
        let links: Vec<String> = ladder
            .select(&scraper::Selector::parse("main a").unwrap())
            .filter(|a| a.text().collect::<String>().trim() == "Engineer")
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        let paths: Vec<String> = expected
            .iter()
            .map(|u| u.trim_start_matches("https://acme.github.io").to_string())
            .collect();
        assert_eq!(links, paths, "the roles page lists them in URL order");
    }
}

#[test]
fn atom_feed_and_sitemap_parse_as_xml() {
    let site = careers_site();
    site.build().ok();
    let feed_text = site.read("public/careers/open-roles.xml");
    let feed = roxmltree::Document::parse(&feed_text).unwrap();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(feed.root_element().tag_name().name(), "feed");
    assert_eq!(feed.root_element().tag_name().namespace(), Some(atom));
    let entries: Vec<_> = feed
        .descendants()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 2);
    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
        n.children()
            .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", name)))
            .unwrap()
    }
    assert_eq!(child(entries[0], "title").text(), Some("Staff Engineer"));
    assert_eq!(
        child(entries[1], "link").attribute("href"),
        Some("https://acme.github.io/handbook/roles/engineering/senior/")
    );
    assert_eq!(
        child(entries[1], "published").text(),
        Some("2026-10-01T00:00:00Z")
    );

    let map_text = site.read("public/sitemap.xml");
    let map = roxmltree::Document::parse(&map_text).unwrap();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let locs: Vec<&str> = map
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://acme.github.io/handbook/"));
    assert!(locs.contains(&"https://acme.github.io/handbook/roles/engineering/senior/"));
    assert!(locs.contains(&"https://acme.github.io/handbook/careers/ladder/"));
    assert!(locs
        .iter()
        .all(|l| l.starts_with("https://acme.github.io/handbook/")));
    assert!(
        !locs.iter().any(|l| l.contains("principal")),
        "drafts are not in the sitemap"
    );
    let robots = site.read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://acme.github.io/handbook/sitemap.xml"));
}

#[test]
fn every_page_has_canonical_open_graph_and_twitter_meta() {
    let site = careers_site();
    site.build().ok();
    let doc = site.html("roles/engineering/senior/index.html");
    let meta = |p: &str| attrs(&doc, &format!("meta[property=\"{p}\"]"), "content");
    assert_eq!(meta("og:title"), ["Senior Engineer · Acme Handbook"]);
    assert_eq!(meta("og:description"), ["About Senior Engineer"]);
    assert_eq!(
        meta("og:url"),
        ["https://acme.github.io/handbook/roles/engineering/senior/"]
    );
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(meta("og:site_name"), ["Acme Handbook"]);
    // The role's own social card (see cards.rs for the card itself).
    assert_eq!(
        meta("og:image"),
        ["https://acme.github.io/handbook/_cards/roles/engineering/senior.png"]
    );
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://acme.github.io/handbook/roles/engineering/senior/"]
    );
    assert_eq!(
        attrs(&doc, "meta[name=\"twitter:card\"]", "content").len(),
        1
    );
    // Without cards the logo is the image, with a small-image card type;
    // an SVG logo is not used at all.
    site.file(
        "site.toml",
        &format!("{}\n[cards]\nenabled = false\n", config()),
    );
    site.build().ok();
    let doc = site.html("index.html");
    assert_eq!(
        attrs(&doc, "meta[property=\"og:image\"]", "content"),
        ["https://acme.github.io/handbook/images/logo.png"]
    );
    assert_eq!(
        attrs(&doc, "meta[name=\"twitter:card\"]", "content"),
        ["summary"]
    );
    site.file(
        "site.toml",
        &format!(
            "{}\n[cards]\nenabled = false\n",
            config().replace("images/logo.png", "images/logo.svg")
        ),
    );
    site.build().ok();
    assert!(attrs(
        &site.html("index.html"),
        "meta[property=\"og:image\"]",
        "content"
    )
    .is_empty());
}

#[test]
fn the_example_handbook_builds_its_careers_pages() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(bin())
        .args(["build", "--root"])
        .arg(repo)
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for page in [
        "careers/roles/index.html",
        "careers/ladder/index.html",
        "careers/salaries/index.html",
        "careers/open/index.html",
        "careers/roles.json",
        "careers/open-roles.xml",
    ] {
        assert!(out.path().join(page).is_file(), "{page}");
    }
    let json: RolesFile = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("careers/roles.json")).unwrap(),
    )
    .unwrap();
    assert!(json.roles.len() >= 6);
    assert!(json.roles.iter().any(|r| r.is_open));
}

// ---- validation: each rule names the file and line ----

fn invalid(extra_role: &str) -> Run {
    let site = TestSite::new();
    site.file("site.toml", &config()).file(
        "content/r.md",
        &format!("+++\ntitle = \"R\"\n[role]\n{extra_role}+++\n"),
    );
    site.build()
}

#[test]
fn unknown_track_and_level_suggest_the_closest() {
    invalid("track = \"enginering\"\nlevel = \"senoir\"\n")
        .fails()
        .stderr_has("content/r.md:4: error: track \"enginering\" is not defined in site.toml\n  hint: did you mean \"engineering\"? tracks are: \"engineering\", \"design\"")
        .stderr_has("content/r.md:5: error: level \"senoir\" is not defined in site.toml\n  hint: did you mean \"senior\"?");
}

#[test]
fn a_role_error_points_at_the_role_key_not_a_same_named_key_elsewhere() {
    // Regression: `level` under `[extra]` (line 3) was blamed for the role's level.
    let site = TestSite::new();
    site.file("site.toml", &config()).file(
        "content/r.md",
        "+++\n[extra]\nlevel = \"internal\"\ntitle_note = 1\n[role]\ntrack = \"design\"\nlevel = \"senoir\"\n+++\n",
    );
    site.build()
        .fails()
        .stderr_has("content/r.md:7: error: level \"senoir\" is not defined in site.toml");
}

#[test]
fn salary_min_above_max_is_an_error() {
    invalid("track = \"design\"\nlevel = \"mid\"\nsalary = { min = 90000, max = 60000 }\n")
        .fails()
        .stderr_has("content/r.md:6: error: salary min (90000) is above max (60000)");
}

#[test]
fn currency_must_be_iso_4217() {
    invalid("track = \"design\"\nlevel = \"mid\"\nsalary = { min = 1, max = 2, currency = \"gbp\" }\n")
        .fails()
        .stderr_has("content/r.md:6: error: currency \"gbp\" is not an ISO 4217 code\n  hint: currency codes are upper-case: write \"GBP\"");
    invalid(
        "track = \"design\"\nlevel = \"mid\"\nsalary = { min = 1, max = 2, currency = \"BTC\" }\n",
    )
    .fails()
    .stderr_has("currency \"BTC\" is not an ISO 4217 code");
}

#[test]
fn an_open_role_without_a_salary_fails_the_build_by_default() {
    let run = invalid("track = \"design\"\nlevel = \"mid\"\n[role.opening]\nlocations = [\"Leeds\"]\nopens = 2026-01-01\n");
    run.fails().stderr_has("content/r.md:").stderr_has(
        "error: an open role must publish a complete salary range (min, max, currency, period)",
    );
    // Allowed when the site opts out.
    let site = TestSite::new();
    site.file("site.toml", &config().replace("[careers]\n", "[careers]\nrequire_salary = false\n"))
        .file("content/r.md", "+++\ntitle = \"R\"\n[role]\ntrack = \"design\"\nlevel = \"mid\"\n[role.opening]\nlocations = [\"Leeds\"]\nopens = 2026-01-01\n+++\n");
    site.build().ok();
}

#[test]
fn dates_must_parse() {
    invalid("track = \"design\"\nlevel = \"mid\"\nsalary = { min = 1, max = 2 }\n[role.opening]\nlocations = [\"Leeds\"]\nopens = \"next monday\"\n")
        .fails()
        .stderr_has("content/r.md:9: error: `opens`: \"next monday\" is not a date; write it as YYYY-MM-DD");
}

#[test]
fn country_must_be_iso_3166() {
    invalid("track = \"design\"\nlevel = \"mid\"\nsalary = { min = 1, max = 2 }\n[role.opening]\nlocations = [\"Leeds\"]\ncountry = \"UK\"\nopens = 2026-01-01\n")
        .fails()
        .stderr_has("content/r.md:9: error: country \"UK\" is not an ISO 3166-1 alpha-2 code\n  hint: the ISO code for the United Kingdom is \"GB\"");
}

#[test]
fn unknown_keys_in_role_and_opening_are_errors() {
    invalid("track = \"design\"\nlevel = \"mid\"\nsallary = { min = 1, max = 2 }\n")
        .fails()
        .stderr_has("content/r.md:6:1: error: invalid TOML front matter: unknown field `sallary`")
        .stderr_has("did you mean `salary`?");
    invalid("track = \"design\"\nlevel = \"mid\"\n[role.opening]\nlocation = [\"Leeds\"]\n")
        .fails()
        .stderr_has("content/r.md:7:1: error: invalid TOML front matter: unknown field `location`")
        .stderr_has("did you mean `locations`?");
}

#[test]
fn yaml_roles_validate_too() {
    let site = TestSite::new();
    site.file("site.toml", &config()).file(
        "content/r.md",
        "---\ntitle: R\nrole:\n  track: design\n  level: junior\n  salary:\n    min: 1\n    max: 2\n---\n",
    );
    site.build()
        .fails()
        .stderr_has("content/r.md:5: error: level \"junior\" is not defined in site.toml");
}

#[test]
fn all_validation_errors_are_reported_in_one_run() {
    let site = TestSite::new();
    site.file("site.toml", &config())
        .file(
            "content/a.md",
            "+++\n[role]\ntrack = \"x\"\nlevel = \"mid\"\n+++\n",
        )
        .file(
            "content/b.md",
            "+++\n[role]\ntrack = \"design\"\nlevel = \"y\"\n+++\n",
        );
    site.build()
        .fails()
        .stderr_has("content/a.md:3: error: track \"x\"")
        .stderr_has("content/b.md:4: error: level \"y\"");
}

#[test]
fn check_warns_on_gendered_job_titles() {
    let site = TestSite::new();
    site.file("site.toml", &config()).file(
        "content/r.md",
        &role("Senior Salesman", "engineering", "senior", ""),
    );
    site.run(&["check"])
        .ok()
        .stderr_has("content/r.md:2: warning: job title \"Senior Salesman\" uses the gendered word \"salesman\"")
        .stderr_has("hint: use a neutral title such as \"salesperson\"");
}

#[test]
fn a_content_page_on_a_careers_url_is_an_error() {
    let site = careers_site();
    site.file("content/careers/ladder.md", "# My ladder\n");
    site.build().fails().stderr_has("content/careers/ladder.md: error: this page's URL /careers/ladder/ is taken by a generated careers page");
}
