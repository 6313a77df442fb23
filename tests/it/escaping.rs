//! Everything that comes from content is escaped where it lands: a fixture
//! with hostile titles, descriptions, role fields and extra values, and the
//! whole output parsed to show no script or attribute injection.

use crate::harness::*;

const EVIL: &str = "</script><script>alert(1)</script>\"'><img src=x onerror=alert(2)><!--";

fn hostile_site() -> TestSite {
    let site = TestSite::new();
    let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let e = q(EVIL);
    site.file(
        "site.toml",
        "title = \"Acme\"\nbase_url = \"https://acme.example/\"\n[organization]\nname = \"Acme\"\n\n[careers]\ncountry = \"GB\"\n[[careers.tracks]]\nid = \"eng\"\nname = \"Eng\"\n[[careers.levels]]\nid = \"mid\"\nname = \"Mid\"\n",
    )
    .file("content/_index.md", &format!("+++\ntitle = \"Home {e}\"\ndescription = \"{e}\"\n+++\n[x](javascript:alert(3)) [y](JAVASCRIPT:alert(4))\n"))
    .file(
        "content/roles/r.md",
        &format!(
            "+++\ntitle = \"Role {e}\"\ndescription = \"{e}\"\n[extra]\nnote = \"{e}\"\n[role]\ntrack = \"eng\"\nlevel = \"mid\"\n\
             also_known_as = [\"{e}\"]\nreports_to = \"{e}\"\nsalary = {{ min = 1, max = 2, currency = \"GBP\" }}\n\
             [role.opening]\nlocations = [\"{e}\", \"javascript:alert(5)\"]\nworkplace = \"hybrid\"\nopens = 2026-01-01\n\
             apply_url = \"https://jobs.example/?q=\\\"><script>alert(6)</script>\"\n+++\nBody.\n"
        ),
    )
    .file("content/culture/values.md", &format!("---\ntitle: 'Values {}'\ndescription: \"{e}\"\n---\n# Heading {}\n", EVIL.replace('\'', "''"), "&lt;b&gt; <i>ok</i>"));
    site
}

#[test]
fn no_output_file_carries_script_or_attribute_injection_from_content() {
    let site = hostile_site();
    site.build()
        .ok()
        .stderr_has("link `javascript:alert(3)` uses a script URL and was removed");
    let files = site.snapshot("public");
    let mut html_files = 0;
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            html_files += 1;
            let doc = Html::parse_document(&text);
            let all = Selector::parse("*").unwrap();
            for el in doc.select(&all) {
                for (name, value) in el.value().attrs() {
                    assert!(
                        !name.starts_with("on"),
                        "{path}: event handler attribute {name}={value}"
                    );
                    if matches!(name, "href" | "src" | "action") {
                        assert!(
                            !value.trim().to_ascii_lowercase().starts_with("javascript:"),
                            "{path}: {name}={value}"
                        );
                    }
                }
                match el.value().name() {
                    "script" => {
                        let ty = el.value().attr("type");
                        if ty == Some("application/ld+json") {
                            let body: String = el.text().collect();
                            serde_json::from_str::<serde_json::Value>(&body)
                                .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}"));
                        } else {
                            let src = el.value().attr("src");
                            assert!(
                                matches!(src, Some("/handbook.js" | "/search.js")),
                                "{path}: unexpected script {src:?}"
                            );
                            assert_eq!(el.text().collect::<String>(), "", "{path}: inline script");
                        }
                    }
                    "img" => assert_ne!(el.value().attr("src"), Some("x"), "{path}: injected img"),
                    "iframe" | "object" | "embed" => {
                        panic!("{path}: injected {}", el.value().name())
                    }
                    _ => {}
                }
            }
        } else if path.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        } else if path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    assert!(html_files >= 8);
    // The hostile text is still shown, as text.
    let role = site.html("roles/r/index.html");
    assert_eq!(one_text(&role, "article > h1"), format!("Role {EVIL}"));
    let card = texts(&role, ".role-card dd").join("|");
    assert!(card.contains(EVIL), "{card}");
    // And round-trips through the machine-readable files.
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/careers/roles.json")).unwrap();
    assert_eq!(json["roles"][0]["reports_to"], EVIL);
    let found = std::fs::read_dir(site.path("public/search/p"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .map(|t| serde_json::from_str::<serde_json::Value>(&t).unwrap())
        .any(|card| card["t"] == format!("Role {EVIL}"));
    assert!(found, "the role's search card keeps its title");
}

#[test]
fn script_urls_are_rejected_as_apply_links() {
    let site = hostile_site();
    let page = site
        .read("content/roles/r.md")
        .replace("https://jobs.example/?q=", "javascript:alert(7)//");
    site.file("content/roles/r.md", &page);
    site.build()
        .fails()
        .stderr_has("content/roles/r.md:16: error: apply_url \"javascript:alert(7)//");
}
