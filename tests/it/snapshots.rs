//! Snapshot tests: what one small fixture site builds into, file by file,
//! reviewed in the diff (`cargo insta review`, see the README's testing
//! section). They catch any change in the markdown HTML, the sidebar, the
//! sitemap, the open-roles Atom feed, roles.json and the JobPosting JSON-LD;
//! the feature tests say which parts matter and why. Anything that changes
//! from day to day (today's date, the version) is replaced by a placeholder
//! before comparing.

use crate::harness::*;

const CONFIG: &str = r#"
title = "Acme Handbook"
base_url = "https://acme.example/handbook/"
language = "en-GB"

[organization]
name = "Acme"
url = "https://acme.example"

[careers]
default_currency = "GBP"
country = "GB"
apply_url = "https://acme.example/apply"

[[careers.tracks]]
id = "engineering"
name = "Engineering"

[[careers.levels]]
id = "mid"
name = "Mid-level"

[[careers.levels]]
id = "senior"
name = "Senior"
"#;

const VALUES: &str = r#"+++
title = "Our values"
description = "What we care about."
date = 2026-01-15
weight = 1
+++

# Our values

We write things down[^1] and link [how we work](how-we-work.md#meetings).

## Trust & *autonomy*

| Value | Means |
|---|---|
| Trust | You decide |
| Care | `<b>` is text |

- [x] Written
- [ ] Reviewed

```rust
fn main() {}
```

> A quote with <em>inline HTML</em> and a ~~strike~~.

[^1]: In the handbook.
"#;

const SENIOR: &str = r#"+++
title = "Senior Engineer"
description = "Builds & runs the platform."
date = 2026-02-01
[role]
track = "engineering"
level = "senior"
salary = { min = 60000, max = 80000, currency = "GBP", period = "year" }
[role.opening]
locations = ["London"]
workplace = "hybrid"
employment_type = "full-time"
opens = 2026-10-01
closes = 2099-03-31
+++

Senior engineers own a service end to end.
"#;

fn fixture() -> TestSite {
    let site = TestSite::new();
    site.file("site.toml", CONFIG)
        .file("content/_index.md", "# Acme\n\nWelcome.\n")
        .file(
            "content/culture/_index.md",
            "+++\ntitle = \"Culture\"\nweight = 1\n+++\n# Culture\n",
        )
        .file("content/culture/values.md", VALUES)
        .file(
            "content/culture/how-we-work.md",
            "+++\nweight = 2\n+++\n# How we work\n\n## Meetings\n\nFew.\n",
        )
        .file(
            "content/roles/engineering/mid.md",
            "+++\ntitle = \"Engineer\"\n[role]\ntrack = \"engineering\"\nlevel = \"mid\"\nsalary = { min = 40000, max = 55000 }\n+++\n\nEngineers build.\n",
        )
        .file("content/roles/engineering/senior.md", SENIOR);
    site.build().ok();
    site
}

/// The text with what changes between runs replaced: today's date (in the
/// forms the output uses) and the version of handbook.
fn stable(text: &str) -> String {
    let today = handbook::date::Date::today().to_string();
    text.replace(&today, "[today]")
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}

fn inner_html(page: &Html, selector: &str) -> String {
    let sel = Selector::parse(selector).unwrap();
    let found: Vec<String> = page.select(&sel).map(|e| e.html()).collect();
    assert_eq!(found.len(), 1, "one {selector}");
    found.into_iter().next().unwrap_or_default()
}

fn pretty_json(text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    serde_json::to_string_pretty(&v).expect("a JSON value serialises")
}

#[test]
fn snapshots_of_a_small_site() {
    let site = fixture();
    let values = site.html("culture/values/index.html");
    insta::assert_snapshot!("markdown_html", stable(&inner_html(&values, ".content")));
    insta::assert_snapshot!("sidebar", stable(&inner_html(&values, "nav.sidebar")));
    insta::assert_snapshot!("sitemap", stable(&site.read("public/sitemap.xml")));
    insta::assert_snapshot!(
        "open_roles_atom",
        stable(&site.read("public/careers/open-roles.xml"))
    );
    insta::assert_snapshot!(
        "roles_json",
        stable(&pretty_json(&site.read("public/careers/roles.json")))
    );
    let role = site.html("roles/engineering/senior/index.html");
    let ld = texts(&role, "script[type=\"application/ld+json\"]");
    assert_eq!(ld.len(), 1, "one JSON-LD block");
    insta::assert_snapshot!("job_posting_json_ld", stable(&pretty_json(&ld[0])));
}
