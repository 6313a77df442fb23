//! schema.org `JobPosting` JSON-LD for open roles, and the JSON escaping that
//! makes it safe inside a `<script>` element.
//!
//! The values come from the same `Role` the page shows, so what search
//! engines read matches what candidates read. Only open roles get one.

use serde_json::{json, Map, Value};

use crate::careers::{Role, Workplace};
use crate::config::Config;
use crate::content::Page;

/// Inputs that do not come from the role itself.
pub struct Context<'a> {
    pub config: &'a Config,
    /// Absolute URL of the role page.
    pub permalink: &'a str,
    /// Absolute URL of the organisation logo, if any.
    pub logo: Option<&'a str>,
    /// The role's rendered HTML body.
    pub description_html: &'a str,
}

pub fn job_posting(page: &Page, role: &Role, ctx: &Context) -> Option<Value> {
    let opening = role.opening.as_ref().filter(|_| role.is_open)?;
    let config = ctx.config;
    let mut org = Map::new();
    org.insert("@type".into(), json!("Organization"));
    let org_name = config
        .organization
        .name
        .clone()
        .or_else(|| config.title.clone())
        .unwrap_or_default();
    org.insert("name".into(), json!(org_name));
    if let Some(url) = &config.organization.url {
        org.insert("sameAs".into(), json!(url));
    }
    if let Some(logo) = ctx.logo {
        org.insert("logo".into(), json!(logo));
    }
    let mut v = Map::new();
    v.insert("@context".into(), json!("https://schema.org/"));
    v.insert("@type".into(), json!("JobPosting"));
    v.insert("title".into(), json!(page.title));
    v.insert(
        "description".into(),
        json!(without_heading_anchors(ctx.description_html)),
    );
    v.insert("datePosted".into(), json!(opening.opens.to_string()));
    if let Some(c) = opening.closes {
        // End of the closing day in UTC, the clock `is_open` uses.
        v.insert("validThrough".into(), json!(format!("{c}T23:59:59Z")));
    }
    v.insert(
        "employmentType".into(),
        json!(opening.employment_type.schema()),
    );
    v.insert("hiringOrganization".into(), Value::Object(org));
    v.insert(
        "identifier".into(),
        json!({"@type": "PropertyValue", "name": org_name, "value": page.url.trim_end_matches('/')}),
    );
    v.insert("url".into(), json!(ctx.permalink));
    if !opening.locations.is_empty() {
        let places: Vec<Value> = opening
            .locations
            .iter()
            .map(|l| {
                json!({
                    "@type": "Place",
                    "address": {"@type": "PostalAddress", "addressLocality": l, "addressCountry": opening.country}
                })
            })
            .collect();
        v.insert("jobLocation".into(), Value::Array(places));
    }
    if opening.workplace == Workplace::Remote {
        v.insert("jobLocationType".into(), json!("TELECOMMUTE"));
        v.insert(
            "applicantLocationRequirements".into(),
            json!({"@type": "Country", "name": super::country_names::country_name(&opening.country).unwrap_or(&opening.country)}),
        );
    }
    if let Some(s) = &role.salary {
        v.insert(
            "baseSalary".into(),
            json!({
                "@type": "MonetaryAmount",
                "currency": s.currency,
                "value": {"@type": "QuantitativeValue", "minValue": number(s.min), "maxValue": number(s.max), "unitText": s.period.unit_text()}
            }),
        );
    }
    let direct = opening
        .apply_url
        .as_deref()
        .is_some_and(|u| u.starts_with(ctx.permalink));
    v.insert("directApply".into(), json!(direct));
    Some(Value::Object(v))
}

/// The page HTML without the `#` permalink links the renderer adds to
/// headings: job boards show the description as text, where they are noise.
fn without_heading_anchors(html: &str) -> String {
    static ANCHOR: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = ANCHOR.get_or_init(|| {
        regex::Regex::new(r#"\s*<a class="anchor"[^>]*>[^<]*</a>"#).expect("valid regex")
    });
    re.replace_all(html, "").into_owned()
}

/// Whole amounts as JSON integers (75000, not 75000.0).
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// JSON that cannot end a `<script>` element or open an HTML comment:
/// `<`, `>` and `&` (and the JS line separators) become `\u` escapes, which
/// JSON parsers read back as the same characters.
pub fn script_safe_json(v: &Value) -> String {
    let s = serde_json::to_string(v).expect("a JSON value always serialises");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_round_trips_and_cannot_close_script() {
        let v = json!({"title": "</script><script>alert(1)</script><!-- & \u{2028}"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
