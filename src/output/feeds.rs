//! The Atom feed of open roles and `careers/roles.json`.

use serde::{Deserialize, Serialize};

use super::sitemap::xml_escape;

/// One role in `roles.json`: every field a careers page may want to embed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleRecord {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    pub also_known_as: Vec<String>,
    pub track: String,
    pub track_name: String,
    pub level: String,
    pub level_name: String,
    pub level_rank: usize,
    pub salary: Option<SalaryRecord>,
    pub reports_to: Option<String>,
    pub is_open: bool,
    pub opening: Option<OpeningRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalaryRecord {
    #[serde(serialize_with = "whole_number")]
    pub min: f64,
    #[serde(serialize_with = "whole_number")]
    pub max: f64,
    pub currency: String,
    pub period: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningRecord {
    pub locations: Vec<String>,
    pub country: String,
    pub workplace: String,
    pub employment_type: String,
    pub opens: String,
    pub closes: Option<String>,
    pub apply_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolesFile {
    pub generated_by: String,
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
pub struct FeedEntry {
    pub title: String,
    pub url: String,
    /// Entry id: the page URL plus the opening date, so a role that
    /// reopens is a new entry for feed readers.
    pub id: String,
    pub opens: String,
    pub updated: String,
    pub summary: String,
}

/// The feed's author (RFC 4287 requires one): the organisation.
pub struct FeedAuthor<'a> {
    pub name: &'a str,
    pub uri: Option<&'a str>,
}

pub fn atom(
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
