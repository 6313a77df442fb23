//! The Atom feed of open roles and `careers/roles.json`.

use serde::{Deserialize, Serialize};

use super::sitemap::xml_escape;

/// One role in `roles.json`: every field a careers page may want to embed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleRecord {
    /// The role's title as written.
    pub title: String,
    /// Absolute URL of the role page.
    pub url: String,
    /// The page description, when it has one.
    pub description: Option<String>,
    /// Other titles the role is known by.
    pub also_known_as: Vec<String>,
    /// Track id (`engineering`).
    pub track: String,
    /// Track name as configured.
    pub track_name: String,
    /// Level id (`senior`).
    pub level: String,
    /// Level name as configured.
    pub level_name: String,
    /// Position of the level in the ladder, 0 for the first.
    pub level_rank: usize,
    /// The salary band, when the role publishes one.
    pub salary: Option<SalaryRecord>,
    /// The title this role reports to.
    pub reports_to: Option<String>,
    /// Whether the role is open for applications on the build date.
    pub is_open: bool,
    /// The opening, when the role has one (open or not).
    pub opening: Option<OpeningRecord>,
}

/// A salary band in `roles.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalaryRecord {
    #[serde(serialize_with = "whole_number")]
    /// Lower end of the band.
    pub min: f64,
    #[serde(serialize_with = "whole_number")]
    /// Upper end of the band.
    pub max: f64,
    /// ISO 4217 currency code.
    pub currency: String,
    /// `year`, `month`, `week`, `day` or `hour`.
    pub period: String,
}

/// An opening in `roles.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningRecord {
    /// Where the role can be done, as written.
    pub locations: Vec<String>,
    /// ISO 3166 country code.
    pub country: String,
    /// `onsite`, `hybrid` or `remote`.
    pub workplace: String,
    /// `full_time`, `part_time`, `contract`, ...
    pub employment_type: String,
    /// First day of applications (`YYYY-MM-DD`).
    pub opens: String,
    /// Last day of applications, if any.
    pub closes: Option<String>,
    /// Where to apply.
    pub apply_url: Option<String>,
}

/// `careers/roles.json`: every role of the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolesFile {
    /// `handbook` and its version.
    pub generated_by: String,
    /// The roles, in ladder order.
    pub roles: Vec<RoleRecord>,
}

/// Whole amounts as JSON integers (`62000`, not `62000.0`).
fn whole_number<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// One open role in the Atom feed.
pub(crate) struct FeedEntry {
    pub(crate) title: String,
    pub(crate) url: String,
    /// Entry id: the page URL plus the opening date, so a role that
    /// reopens is a new entry for feed readers.
    pub(crate) id: String,
    pub(crate) opens: String,
    pub(crate) updated: String,
    pub(crate) summary: String,
}

/// The feed's author (RFC 4287 requires one): the organisation.
pub(crate) struct FeedAuthor<'a> {
    pub(crate) name: &'a str,
    pub(crate) uri: Option<&'a str>,
}

pub(crate) fn atom(
    title: &str,
    feed_url: &str,
    site_url: &str,
    updated: &str,
    author: &FeedAuthor,
    entries: &[FeedEntry],
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(feed_url)));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        xml_escape(feed_url)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" href=\"{}\"/>\n",
        xml_escape(site_url)
    ));
    out.push_str(&format!("  <updated>{}</updated>\n", xml_escape(updated)));
    out.push_str("  <author>\n");
    out.push_str(&format!("    <name>{}</name>\n", xml_escape(author.name)));
    if let Some(uri) = author.uri {
        out.push_str(&format!("    <uri>{}</uri>\n", xml_escape(uri)));
    }
    out.push_str("  </author>\n");
    out.push_str("  <generator>handbook</generator>\n");
    for e in entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&e.title)));
        out.push_str(&format!("    <id>{}</id>\n", xml_escape(&e.id)));
        out.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&e.url)));
        out.push_str(&format!(
            "    <published>{}</published>\n",
            xml_escape(&e.opens)
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            xml_escape(&e.updated)
        ));
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&e.summary)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
