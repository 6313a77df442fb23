//! schema.org `JobPosting` JSON-LD for open roles, and the JSON escaping that
//! makes it safe inside a `<script>` element.
//!
//! The values come from the same `Role` the page shows, so what search
//! engines read matches what candidates read. Only open roles get one.

use serde::Serialize;
use serde_json::{json, Value};

use crate::careers::{Role, SalaryBand, Workplace};
use crate::config::Config;
use crate::content::Page;

/// Inputs that do not come from the role itself.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    pub(crate) config: &'a Config,
    /// Absolute URL of the role page.
    pub(crate) permalink: &'a str,
    /// Absolute URL of the organisation logo, if any.
    pub(crate) logo: Option<&'a str>,
    /// The role's rendered HTML body.
    pub(crate) description_html: &'a str,
}

/// schema.org `JobPosting`. Fields are declared in the order their JSON
/// names sort, the order the output has always had.
#[derive(Debug, Serialize)]
pub(crate) struct JobPosting<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(
        rename = "applicantLocationRequirements",
        skip_serializing_if = "Option::is_none"
    )]
    applicant_location: Option<Typed<Named<'a>>>,
    #[serde(rename = "baseSalary", skip_serializing_if = "Option::is_none")]
    base_salary: Option<Typed<MonetaryAmount<'a>>>,
    #[serde(rename = "datePosted")]
    date_posted: String,
    description: String,
    #[serde(rename = "directApply")]
    direct_apply: bool,
    #[serde(rename = "employmentType")]
    employment_type: &'static str,
    #[serde(rename = "hiringOrganization")]
    hiring_organization: Typed<Organization<'a>>,
    identifier: Typed<PropertyValue<'a>>,
    #[serde(rename = "jobLocation", skip_serializing_if = "Vec::is_empty")]
    job_location: Vec<Typed<Place<'a>>>,
    #[serde(rename = "jobLocationType", skip_serializing_if = "Option::is_none")]
    job_location_type: Option<&'static str>,
    title: &'a str,
    url: &'a str,
    #[serde(rename = "validThrough", skip_serializing_if = "Option::is_none")]
    valid_through: Option<String>,
}

/// A schema.org value with its `@type` first.
#[derive(Debug, Serialize)]
pub(crate) struct Typed<T> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(flatten)]
    value: T,
}

fn typed<T>(kind: &'static str, value: T) -> Typed<T> {
    Typed { kind, value }
}

#[derive(Debug, Serialize)]
pub(crate) struct Organization<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<&'a str>,
    name: String,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PropertyValue<'a> {
    name: String,
    value: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct Named<'a> {
    name: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct Place<'a> {
    address: Typed<PostalAddress<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PostalAddress<'a> {
    #[serde(rename = "addressCountry")]
    country: &'a str,
    #[serde(rename = "addressLocality")]
    locality: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct MonetaryAmount<'a> {
    currency: &'a str,
    value: Typed<QuantitativeValue>,
}

#[derive(Debug, Serialize)]
pub(crate) struct QuantitativeValue {
    #[serde(rename = "maxValue")]
    max: Value,
    #[serde(rename = "minValue")]
    min: Value,
    #[serde(rename = "unitText")]
    unit: &'static str,
}

/// The role's `JobPosting`, when it has a live opening.
pub(crate) fn job_posting<'a>(
    page: &'a Page,
    role: &'a Role,
    ctx: &Context<'a>,
) -> Option<JobPosting<'a>> {
    let opening = role.opening.as_ref().filter(|_| role.is_open)?;
    let config = ctx.config;
    let org_name = config
        .organization
        .name
        .clone()
        .or_else(|| config.title.clone())
        .unwrap_or_default();
    let remote = opening.workplace == Workplace::Remote;
    Some(JobPosting {
        context: "https://schema.org/",
        kind: "JobPosting",
        applicant_location: remote.then(|| {
            let name =
                super::country_names::country_name(&opening.country).unwrap_or(&opening.country);
            typed("Country", Named { name })
        }),
        base_salary: role.salary.as_ref().map(base_salary),
        date_posted: opening.opens.to_string(),
        description: without_heading_anchors(ctx.description_html),
        direct_apply: opening
            .apply_url
            .as_deref()
            .is_some_and(|u| u.starts_with(ctx.permalink)),
        employment_type: opening.employment_type.schema(),
        hiring_organization: typed(
            "Organization",
            Organization {
                logo: ctx.logo,
                name: org_name.clone(),
                same_as: config.organization.url.as_deref(),
            },
        ),
        identifier: typed(
            "PropertyValue",
            PropertyValue {
                name: org_name,
                value: page.url.trim_end_matches('/'),
            },
        ),
        job_location: opening
            .locations
            .iter()
            .map(|l| {
                let address = PostalAddress {
                    country: &opening.country,
                    locality: l,
                };
                typed(
                    "Place",
                    Place {
                        address: typed("PostalAddress", address),
                    },
                )
            })
            .collect(),
        job_location_type: remote.then_some("TELECOMMUTE"),
        title: &page.title,
        url: ctx.permalink,
        // End of the closing day in UTC, the clock `is_open` uses.
        valid_through: opening.closes.map(|c| format!("{c}T23:59:59Z")),
    })
}

fn base_salary(s: &SalaryBand) -> Typed<MonetaryAmount<'_>> {
    let value = QuantitativeValue {
        max: number(s.max),
        min: number(s.min),
        unit: s.period.unit_text(),
    };
    typed(
        "MonetaryAmount",
        MonetaryAmount {
            currency: &s.currency,
            value: typed("QuantitativeValue", value),
        },
    )
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
pub(crate) fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// JSON that cannot end a `<script>` element or open an HTML comment:
/// `<`, `>` and `&` (and the JS line separators) become `\u` escapes, which
/// JSON parsers read back as the same characters.
pub(crate) fn script_safe_json<T: Serialize + ?Sized>(v: &T) -> String {
    let s = serde_json::to_string(v).expect("JSON-LD values always serialise");
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
