//! `framework.json`: the framework as an API document (tracks, levels,
//! areas, competencies with their level text as markdown), described by
//! `docs/framework.schema.json`. Ids are the stable ids of the data files;
//! `version` is a fingerprint of everything else in the document, so it
//! changes exactly when the content does. Writing the file is `render`'s job.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::Framework;
use crate::config::CareersConfig;

#[derive(Serialize)]
pub(crate) struct Document<'a> {
    pub(crate) version: String,
    pub(crate) tracks: Vec<IdRecord<'a>>,
    pub(crate) levels: Vec<IdRecord<'a>>,
    pub(crate) areas: Vec<IdRecord<'a>>,
    pub(crate) competencies: Vec<CompetencyRecord<'a>>,
}

#[derive(Serialize)]
pub(crate) struct IdRecord<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct CompetencyRecord<'a> {
    pub(crate) id: &'a str,
    pub(crate) area: &'a str,
    pub(crate) tracks: Vec<&'a str>,
    pub(crate) name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<&'a str>,
    /// Level id → markdown, for the levels that have their own text.
    pub(crate) levels: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) examples: Vec<ExampleRecord<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ExampleRecord<'a> {
    pub(crate) level: &'a str,
    pub(crate) text: &'a str,
}

/// The document with its `version` filled in.
pub(crate) fn document<'a>(fw: &'a Framework, careers: &'a CareersConfig) -> Document<'a> {
    let mut doc = Document {
        version: String::new(),
        tracks: careers
            .tracks
            .iter()
            .map(|t| IdRecord {
                id: &t.id,
                name: &t.name,
                description: t.description.as_deref(),
            })
            .collect(),
        levels: careers
            .levels
            .iter()
            .map(|l| IdRecord {
                id: &l.id,
                name: &l.name,
                description: l.description.as_deref(),
            })
            .collect(),
        areas: fw
            .areas
            .iter()
            .map(|a| IdRecord {
                id: &a.id,
                name: &a.name,
                description: a.description.as_ref().map(|d| d.markdown.as_str()),
            })
            .collect(),
        competencies: fw
            .competencies
            .iter()
            .map(|c| CompetencyRecord {
                id: &c.id,
                area: &fw.areas[c.area].id,
                tracks: c
                    .tracks
                    .iter()
                    .map(|&t| careers.tracks[t].id.as_str())
                    .collect(),
                name: &c.name,
                description: c.description.as_ref().map(|d| d.markdown.as_str()),
                levels: c
                    .levels
                    .iter()
                    .enumerate()
                    .filter_map(|(l, t)| {
                        t.as_ref()
                            .map(|t| (careers.levels[l].id.as_str(), t.markdown.as_str()))
                    })
                    .collect(),
                examples: c
                    .examples
                    .iter()
                    .map(|e| ExampleRecord {
                        level: &careers.levels[e.level].id,
                        text: &e.text.markdown,
                    })
                    .collect(),
            })
            .collect(),
    };
    let body = serde_json::to_string(&doc)
        .expect("the framework export is plain data with string keys always serialises");
    doc.version = Framework::fingerprint(&body);
    doc
}
