//! Social cards and salary charts: a distinct 1200×630 PNG per role linked
//! with the meta tags crawlers read, the site card for every other page,
//! the card cache, serve's on-demand cards, glyph coverage, `check`'s
//! warnings, and the salary chart's bars against the roles' bands.

use std::collections::{BTreeMap, BTreeSet};

use crate::harness::*;
use crate::theme::example_site;
use handbook::output::feeds::RolesFile;

const BASE: &str = "https://northwind-lattice.github.io/handbook/";

/// Width and height from a PNG's IHDR chunk, or `None` if not a PNG.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&bytes[16..20]), be(&bytes[20..24])))
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&raw[..eol]).unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
        raw = &raw[eol + 2 + size + 2..];
    }
    out
}

fn meta(doc: &Html, attr: &str, name: &str) -> Vec<String> {
    attrs(doc, &format!("meta[{attr}=\"{name}\"]"), "content")
}

/// The output file an absolute URL under `BASE` points to.
fn output_file(site: &TestSite, url: &str) -> Vec<u8> {
    let rel = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not under {BASE}"));
    std::fs::read(site.path(&format!("public/{rel}"))).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn roles(site: &TestSite) -> RolesFile {
    serde_json::from_str(&site.read("public/careers/roles.json")).unwrap()
}

#[test]
fn every_role_in_the_example_gets_a_distinct_1200x630_card_with_the_meta_crawlers_need() {
    let site = example_site();
    site.build().ok();
    let mut cards: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    let roles = roles(&site);
    assert!(roles.roles.len() >= 8);
    for role in &roles.roles {
        let rel = role.url.strip_prefix(BASE).unwrap();
        let doc = site.html(&format!("{rel}index.html"));
        let image = meta(&doc, "property", "og:image");
        assert_eq!(image.len(), 1, "{rel}: one og:image");
        let image = &image[0];
        assert!(
            image.starts_with(BASE) && image.ends_with(".png"),
            "{image}"
        );
        assert_eq!(meta(&doc, "property", "og:image:type"), ["image/png"]);
        assert_eq!(meta(&doc, "property", "og:image:width"), ["1200"]);
        assert_eq!(meta(&doc, "property", "og:image:height"), ["630"]);
        let alt = meta(&doc, "property", "og:image:alt");
        assert!(alt[0].starts_with(&role.title), "{alt:?}");
        assert_eq!(meta(&doc, "name", "twitter:card"), ["summary_large_image"]);
        assert_eq!(meta(&doc, "name", "twitter:image"), vec![image.to_string()]);
        assert_eq!(meta(&doc, "property", "og:url"), vec![role.url.to_string()]);
        let png = output_file(&site, image);
        assert_eq!(png_size(&png), Some((1200, 630)), "{image}");
        assert!(png.len() <= 120 * 1024, "{image}: {} bytes", png.len());
        if let Some(other) = cards.insert(png, role.title.clone()) {
            panic!("{} and {other} have the same card", role.title);
        }
    }
    // A page without a card of its own points to the site card, never to
    // the small logo under a large-image card type.
    let doc = site.html("culture/values/index.html");
    let image = meta(&doc, "property", "og:image");
    assert_eq!(image, [format!("{BASE}_cards/index.png")]);
    assert_eq!(meta(&doc, "name", "twitter:card"), ["summary_large_image"]);
    assert_eq!(png_size(&output_file(&site, &image[0])), Some((1200, 630)));
    // The home page's card is the site card; sections have their own.
    let home = site.html("index.html");
    assert_eq!(meta(&home, "property", "og:image"), image);
    let section = meta(
        &site.html("roles/engineering/index.html"),
        "property",
        "og:image",
    );
    assert_eq!(section, [format!("{BASE}_cards/roles/engineering.png")]);
    assert_eq!(
        png_size(&output_file(&site, &section[0])),
        Some((1200, 630))
    );
    let open = meta(
        &site.html("careers/open/index.html"),
        "property",
        "og:image",
    );
    assert_eq!(open, [format!("{BASE}_cards/careers/open.png")]);
}

#[test]
fn unchanged_cards_come_from_the_cache_and_changed_ones_are_made_again() {
    let site = example_site();
    site.build().ok();
    let cache = site.path(".handbook-cache/cards");
    let entries = || -> BTreeSet<String> {
        std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let first = entries();
    let card = "public/_cards/roles/engineering/staff-engineer.png";
    let staff = std::fs::read(site.path(card)).unwrap();
    let key = first
        .iter()
        .find(|name| std::fs::read(cache.join(name.as_str())).unwrap() == staff)
        .expect("the staff engineer's card is cached")
        .clone();
    // Mark the cached file: a second build copies it instead of drawing.
    let mut marked = staff.clone();
    marked.extend_from_slice(b"cached");
    std::fs::write(cache.join(&key), &marked).unwrap();
    site.build().ok();
    assert_eq!(std::fs::read(site.path(card)).unwrap(), marked);
    assert_eq!(entries(), first);
    // A new title is a new card; the old entry is pruned.
    let page = "content/roles/engineering/staff-engineer.md";
    site.file(
        page,
        &site
            .read(page)
            .replace("Staff Engineer", "Staff Platform Engineer"),
    );
    site.build().ok();
    let redrawn = std::fs::read(site.path(card)).unwrap();
    assert_eq!(png_size(&redrawn), Some((1200, 630)));
    assert_ne!(redrawn, staff);
    assert!(!entries().contains(&key), "stale entry kept");
    assert_eq!(entries().len(), first.len());
}

#[test]
fn serve_draws_a_card_when_it_is_asked_for_and_writes_no_cache() {
    let site = example_site();
    let s = site.serve();
    let page = s.get("/roles/engineering/staff-engineer/").html();
    let image = meta(&page, "property", "og:image");
    let path = image[0].split("/_cards/").nth(1).expect("a card URL");
    let r = s.get(&format!("/_cards/{path}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    let body = if r.header("transfer-encoding") == Some("chunked") {
        dechunk(&r.body)
    } else {
        r.body.clone()
    };
    assert_eq!(png_size(&body), Some((1200, 630)));
    assert!(!site.exists(".handbook-cache"), "serve wrote a cache");
}

const TRACKS: &str = r#"
title = "Acme"
base_url = "https://acme.example/"
[organization]
name = "Acme"
logo = "logo.png"
[careers]
default_currency = "EUR"
[[careers.tracks]]
id = "eng"
[[careers.levels]]
id = "senior"
"#;

fn role(title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\n[role]\ntrack = \"eng\"\nlevel = \"senior\"\nsalary = {{ min = 50000, max = 60000, currency = \"EUR\", period = \"year\" }}\n+++\nBody\n"
    )
}

#[test]
fn polish_greek_and_ukrainian_titles_have_every_glyph_and_others_are_named() {
    let site = TestSite::new();
    site.file("site.toml", TRACKS)
        .bytes(
            "content/logo.png",
            &std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/content/images/logo.png"
            ))
            .unwrap(),
        )
        .file("content/_index.md", "# Acme\n")
        .file(
            "content/roles/pl.md",
            &role("Starsza Inżynierka Oprogramowania (zażółć gęślą jaźń)"),
        )
        .file(
            "content/roles/el.md",
            &role("Ανώτερος Μηχανικός Λογισμικού"),
        )
        .file(
            "content/roles/uk.md",
            &role("Старший інженер-програміст, ґанок та їжак"),
        );
    let run = site.run(&["check"]);
    run.ok();
    assert!(!run.stderr.contains("no glyphs"), "{}", run.stderr);
    site.build().ok();
    for slug in ["pl", "el", "uk"] {
        let png = std::fs::read(site.path(&format!("public/_cards/roles/{slug}.png"))).unwrap();
        assert_eq!(png_size(&png), Some((1200, 630)));
    }
    // Characters no card font has are named, and left out of the card.
    site.file(
        "content/roles/ja.md",
        &role("Senior Engineer 上級エンジニア"),
    );
    site.run(&["check"])
        .ok()
        .stderr_has("content/roles/ja.md: warning: the social card's fonts have no glyphs for \"上級エンジニア\"");
}

#[test]
fn check_warns_about_cut_titles_and_a_missing_logo() {
    let site = TestSite::new();
    let long = "Principal Distributed Systems, Route Optimisation, Telematics, Data Platform and Developer Experience Engineer for the Logistics Planning Platform";
    site.file("site.toml", &TRACKS.replace("logo = \"logo.png\"\n", ""))
        .file("content/_index.md", "# Acme\n")
        .file("content/roles/long.md", &role(long));
    site.run(&["check"])
        .ok()
        .stderr_has("content/roles/long.md: warning: the social card cuts this title short")
        .stderr_has("site.toml: warning: the organisation has no logo")
        .stderr_has("hint: add logo = \"images/logo.png\"");
    site.file("site.toml", TRACKS);
    site.run(&["check"]).ok().stderr_has(
        "site.toml: warning: organization.logo \"logo.png\" is not a file in the content folder",
    );
}

#[test]
fn an_invalid_card_template_is_an_error_with_its_file_and_line() {
    let site = TestSite::new();
    site.file("site.toml", TRACKS)
        .bytes("content/logo.png", b"\x89PNG")
        .file("content/_index.md", "# Acme\n")
        .file("content/roles/a.md", &role("Engineer"))
        .file(
            "templates/cards/role.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">\n  <text x=\"10\" y=\"50\">{{ card.title.lines | join(sep=\" \") }}\n  <rect width=\"10\" height=\"10\"/>\n</svg>\n",
        );
    site.run(&["check"])
        .fails()
        .stderr_has("templates/cards/role.svg:4:1: error: card template is not valid SVG");
    // An override that is valid SVG builds, and its text is escaped.
    site.file(
        "templates/cards/role.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><text x=\"10\" y=\"50\">{{ card.title.lines | join(sep=\" \") }}</text></svg>\n",
    )
    .file("content/roles/a.md", &role("R&D <Engineer>"));
    site.build().ok();
    let png = std::fs::read(site.path("public/_cards/roles/a.png")).unwrap();
    assert_eq!(png_size(&png), Some((1200, 630)));
}

#[test]
fn the_salary_chart_draws_each_role_band_on_the_shared_axis() {
    let site = example_site();
    site.build().ok();
    let roles = roles(&site);
    let doc = site.html("careers/salaries/index.html");
    let svg = Selector::parse("svg.salary-chart").unwrap();
    let chart = doc.select(&svg).next().expect("a salary chart");
    assert_eq!(chart.attr("role"), Some("img"));
    let labelled = chart.attr("aria-labelledby").unwrap();
    for id in labelled.split(' ') {
        let el = doc
            .select(&Selector::parse(&format!("#{id}")).unwrap())
            .next();
        assert!(
            el.is_some_and(|e| !e.text().collect::<String>().is_empty()),
            "{id}"
        );
    }
    assert_eq!(
        one_text(&doc, "svg.salary-chart title"),
        "Salary bands by level"
    );
    let axis_min: f64 = chart.attr("data-axis-min").unwrap().parse().unwrap();
    let axis_max: f64 = chart.attr("data-axis-max").unwrap().parse().unwrap();
    let pct = |s: &str| -> f64 { s.trim_end_matches('%').parse().unwrap() };
    let value = |p: f64| axis_min + p / 100.0 * (axis_max - axis_min);
    let bars = Selector::parse("rect.chart-bar").unwrap();
    let mut drawn = BTreeSet::new();
    for bar in chart.select(&bars) {
        let title = bar.attr("data-role").unwrap();
        let role = roles.roles.iter().find(|r| r.title == title).expect(title);
        let band = role.salary.as_ref().unwrap();
        assert_eq!(
            (band.currency.as_str(), band.period.as_str()),
            ("GBP", "year"),
            "{title}"
        );
        let x = pct(bar.attr("x").unwrap());
        let w = pct(bar.attr("width").unwrap());
        let tolerance = (axis_max - axis_min) * 0.0002;
        assert!(
            (value(x) - band.min).abs() <= tolerance,
            "{title}: starts at {}",
            value(x)
        );
        assert!(
            (value(x + w) - band.max).abs() <= tolerance,
            "{title}: ends at {}",
            value(x + w)
        );
        drawn.insert(title.to_string());
    }
    // Every role in the site currency and period has its bar; the others
    // are said to be in the table only.
    let expected: BTreeSet<String> = roles
        .roles
        .iter()
        .filter(|r| {
            r.salary
                .as_ref()
                .is_some_and(|s| s.currency == "GBP" && s.period == "year")
        })
        .map(|r| r.title.clone())
        .collect();
    assert_eq!(drawn, expected);
    assert!(one_text(&doc, "svg.salary-chart desc")
        .contains("2 more paid in another currency or period"));
    // The table stays beside the chart.
    assert_eq!(
        texts(&doc, "table.salaries tbody tr").len(),
        roles.roles.len()
    );
    // Each track's section of the roles page has its track's chart.
    let all = site.html("careers/roles/index.html");
    assert_eq!(
        texts(&all, "section svg.salary-chart title"),
        [
            "Engineering salary bands by level",
            "Product Design salary bands by level",
            "People salary bands by level"
        ]
    );
    // So does the track's own folder, on the same axis.
    let section = site.html("roles/engineering/index.html");
    let svg = section.select(&svg).next().expect("the section's chart");
    assert_eq!(svg.attr("data-axis-min"), chart.attr("data-axis-min"));
    assert_eq!(svg.attr("data-axis-max"), chart.attr("data-axis-max"));
    let titles: Vec<&str> = svg
        .select(&bars)
        .map(|b| b.attr("data-role").unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Associate Software Engineer",
            "Senior Software Engineer",
            "Staff Engineer"
        ]
    );
}
