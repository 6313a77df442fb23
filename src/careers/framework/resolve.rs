//! Framework files → a validated `Framework`, in one step.
//!
//! Each file is parsed with spans (`toml::Spanned`) so every problem names
//! its file and line: unknown areas, tracks and levels (with the closest
//! id), duplicate or malformed ids, competencies with no level text,
//! markdown the framework pages cannot show, and (as warnings) levels at
//! which a track expects nothing new. Every file is checked before the
//! result is given up, so one run reports everything. It does not read
//! the disk (`load` does) or render pages.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use serde::Deserialize;
use toml::Spanned;

use super::model::{Area, Competency, Example, Framework, SourceFile, Text};
use crate::config::CareersConfig;
use crate::diagnostic::{self, Code, Diagnostic, LineIndex};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    area: Vec<RawArea>,
    #[serde(default)]
    competency: Vec<RawCompetency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Spanned<String>,
    name: Option<String>,
    description: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompetency {
    id: Spanned<String>,
    area: Spanned<String>,
    tracks: Option<Vec<Spanned<String>>>,
    name: Option<String>,
    description: Option<Spanned<String>>,
    levels: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    #[serde(default)]
    examples: Vec<RawExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    level: Spanned<String>,
    text: Spanned<String>,
}

/// One parsed file with what is needed to point into it.
struct Parsed<'a> {
    file: &'a SourceFile,
    /// The site's base path, for links written as site paths (`/culture/`).
    base_path: &'a str,
    lines: LineIndex,
    raw: RawFile,
}

impl Parsed<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        self.lines.locate(span.start).0
    }

    fn error(&self, span: std::ops::Range<usize>, msg: String) -> Diagnostic {
        Diagnostic::error(Code::InvalidFramework, &self.file.display, msg).at(self.line(span), None)
    }

    /// Markdown at `span` rendered, or an error at the line of the problem.
    fn markdown(
        &self,
        value: &Spanned<String>,
        what: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Text> {
        match render(value.get_ref(), self.base_path) {
            Ok(html) => Some(Text {
                markdown: value.get_ref().clone(),
                html,
            }),
            Err(refused) => {
                let offset = refused.offset();
                // Multi-line strings start on the line after their quotes.
                let raw = &self.file.text[value.span()];
                let opens_block = (raw.starts_with("\"\"\"") || raw.starts_with("'''"))
                    && raw[3..].starts_with(['\n', '\r']);
                let inner = value.get_ref()[..offset].matches('\n').count();
                let line = self.line(value.span()) + inner + usize::from(opens_block);
                diags.push(
                    Diagnostic::error(
                        Code::InvalidFramework,
                        &self.file.display,
                        format!("{what}: {refused}"),
                    )
                    .at(line, None)
                    .hint(refused.hint()),
                );
                None
            }
        }
    }
}

/// Ids appear in URLs, storage keys and exports: lower-case letters,
/// digits, `-` and `_`, starting with a letter or digit.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Markdown that framework text may not contain, with the byte offset of
/// where it starts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum Refused {
    #[error("markdown headings cannot be shown here")]
    Heading { offset: usize },
    #[error("raw HTML cannot be shown here")]
    Html { offset: usize },
    #[error("relative link \"{dest}\" cannot be resolved from the framework pages")]
    RelativeLink { offset: usize, dest: String },
}

impl Refused {
    fn offset(&self) -> usize {
        match self {
            Refused::Heading { offset }
            | Refused::Html { offset }
            | Refused::RelativeLink { offset, .. } => *offset,
        }
    }

    fn hint(&self) -> &'static str {
        match self {
            Refused::Heading { .. } => {
                "the framework pages supply the headings; use **bold** or a list instead"
            }
            Refused::Html { .. } => {
                "write it as markdown: framework text is also exported as JSON, Markdown and CSV"
            }
            Refused::RelativeLink { .. } => {
                "use a site path starting with / or a full https:// address"
            }
        }
    }
}

/// Renders framework markdown. It lands inside table cells, lists and
/// exports, so headings, raw HTML and relative links (which would resolve
/// against the generated page, not the file) are refused with the byte
/// offset of the problem. Site paths (`/culture/values/`) get the site's
/// base path, like every other link on the site.
pub(crate) fn render(text: &str, base_path: &str) -> Result<String, Refused> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let parser = Parser::new_ext(text, options).into_offset_iter();
    let mut events = Vec::new();
    for (event, range) in parser {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                return Err(Refused::Heading {
                    offset: range.start,
                })
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                return Err(Refused::Html {
                    offset: range.start,
                })
            }
            Event::Start(
                Tag::Link {
                    dest_url,
                    link_type,
                    ..
                }
                | Tag::Image {
                    dest_url,
                    link_type,
                    ..
                },
            ) if !matches!(link_type, LinkType::Email) && !is_absolute(dest_url) => {
                return Err(Refused::RelativeLink {
                    offset: range.start,
                    dest: dest_url.to_string(),
                })
            }
            _ => {}
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: with_base(dest_url, base_path),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: with_base(dest_url, base_path),
                title,
                id,
            }),
            other => other,
        };
        events.push(event);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

fn with_base<'a>(url: pulldown_cmark::CowStr<'a>, base_path: &str) -> pulldown_cmark::CowStr<'a> {
    match url.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') => format!("{base_path}{rest}").into(),
        _ => url,
    }
}

fn is_absolute(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    url.starts_with('/')
        || url.starts_with('#')
        || ["https://", "http://", "mailto:", "tel:"]
            .iter()
            .any(|p| lower.starts_with(p))
}

/// Parses and validates every file; `None` if anything is an error.
pub(super) fn resolve(
    files: &[SourceFile],
    careers: &CareersConfig,
    base_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Framework> {
    let before = diags.iter().filter(|d| d.is_error()).count();
    let parsed: Vec<Parsed> = files
        .iter()
        .filter_map(|file| {
            let lines = LineIndex::new(&file.text);
            match toml::from_str::<RawFile>(&file.text) {
                Ok(raw) => Some(Parsed {
                    file,
                    base_path,
                    lines,
                    raw,
                }),
                Err(e) => {
                    let mut d = Diagnostic::error(Code::FrameworkSyntax, &file.display, crate::config::toml_message(&e));
                    if let Some(span) = e.span() {
                        let (line, col) = lines.locate(span.start);
                        d = d.at(line, Some(col));
                    }
                    diags.push(d.hint(
                        "a framework file holds [[area]] (id, name, description) and [[competency]] \
                         (id, area, tracks, name, description, levels, examples) tables; see docs/framework.md",
                    ));
                    None
                }
            }
        })
        .collect();
    let areas = resolve_areas(&parsed, diags);
    let mut competencies = Vec::new();
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for p in &parsed {
        let file_track = file_track(p, careers, diags);
        for raw in &p.raw.competency {
            let c = resolve_competency(p, raw, &areas, file_track, careers, diags);
            let id = raw.id.get_ref();
            let here = (p.file.display.clone(), p.line(raw.id.span()));
            if let Some((file, line)) = seen.get(id) {
                diags.push(
                    p.error(raw.id.span(), format!("competency id \"{id}\" is defined twice"))
                        .hint(format!("it is first defined at {file}:{line}; ids must be unique across every framework file")),
                );
            } else {
                seen.insert(id.clone(), here);
            }
            competencies.extend(c);
        }
    }
    let framework = Framework {
        areas: areas.into_iter().map(|(a, _)| a).collect(),
        competencies,
    };
    let failed = diags.iter().filter(|d| d.is_error()).count() > before;
    if let Some(first) = files.first().filter(|_| !failed) {
        warn_empty_levels(&framework, careers, &first.display, diags);
    }
    (!failed).then_some(framework)
}

/// Every `[[area]]` of every file, with the file and line it came from.
fn resolve_areas(parsed: &[Parsed], diags: &mut Vec<Diagnostic>) -> Vec<(Area, String)> {
    let mut out: Vec<(Area, String)> = Vec::new();
    for p in parsed {
        for raw in &p.raw.area {
            let id = raw.id.get_ref();
            let line = p.line(raw.id.span());
            if !valid_id(id) {
                diags.push(p.error(raw.id.span(), format!("area id \"{id}\" is not a valid id")).hint(
                    "ids appear in URLs: use lower-case letters, digits and hyphens, e.g. \"delivery\"",
                ));
            }
            if let Some((_, at)) = out.iter().find(|(a, _)| &a.id == id) {
                diags.push(
                    p.error(raw.id.span(), format!("area id \"{id}\" is defined twice"))
                        .hint(format!(
                            "it is first defined at {at}; merge the two areas or rename one"
                        )),
                );
                continue;
            }
            let description = raw
                .description
                .as_ref()
                .and_then(|d| p.markdown(d, &format!("area \"{id}\" description"), diags));
            out.push((
                Area {
                    id: id.clone(),
                    name: raw
                        .name
                        .clone()
                        .unwrap_or_else(|| crate::config::title_case(id)),
                    description,
                },
                format!("{}:{line}", p.file.display),
            ));
        }
    }
    out
}

/// The track a `framework/STEM.toml` file is for, checked against site.toml.
fn file_track(p: &Parsed, careers: &CareersConfig, diags: &mut Vec<Diagnostic>) -> Option<usize> {
    let stem = p.file.track.as_deref()?;
    let ids: Vec<&str> = careers.tracks.iter().map(|t| t.id.as_str()).collect();
    match ids.iter().position(|id| *id == stem) {
        Some(i) => Some(i),
        None => {
            diags.push(
                Diagnostic::error(Code::InvalidFramework,
                    &p.file.display,
                    format!("framework/{stem}.toml is named after track \"{stem}\", which is not defined in site.toml"),
                )
                .at(1, None)
                .hint(format!(
                    "{}; each file in framework/ is named after the track its competencies belong to",
                    diagnostic::suggest(stem, "tracks", &ids)
                )),
            );
            None
        }
    }
}

/// Validation of one `[[competency]]`, a step per field.
struct CompetencyCheck<'a> {
    p: &'a Parsed<'a>,
    raw: &'a RawCompetency,
    careers: &'a CareersConfig,
}

impl CompetencyCheck<'_> {
    fn id(&self) -> &str {
        self.raw.id.get_ref()
    }

    fn area(&self, areas: &[(Area, String)], diags: &mut Vec<Diagnostic>) -> Option<usize> {
        let (p, id, area) = (self.p, self.id(), &self.raw.area);
        let area_ids: Vec<&str> = areas.iter().map(|(a, _)| a.id.as_str()).collect();
        let found = area_ids.iter().position(|a| a == area.get_ref());
        if found.is_none() {
            let hint = if area_ids.is_empty() {
                format!(
                    "define it first: [[area]] id = \"{}\" name = \"…\"",
                    area.get_ref()
                )
            } else {
                diagnostic::suggest(area.get_ref(), "areas", &area_ids)
            };
            let msg = format!(
                "competency \"{id}\": area \"{}\" is not defined",
                area.get_ref()
            );
            diags.push(p.error(area.span(), msg).hint(hint));
        }
        found
    }

    /// The named tracks, else the file's track, else every track.
    fn tracks(&self, file_track: Option<usize>, diags: &mut Vec<Diagnostic>) -> Vec<usize> {
        let track_ids: Vec<&str> = self.careers.tracks.iter().map(|t| t.id.as_str()).collect();
        match (&self.raw.tracks, file_track) {
            (Some(list), _) => list
                .iter()
                .filter_map(|t| {
                    let found = track_ids.iter().position(|id| id == t.get_ref());
                    if found.is_none() {
                        let msg = format!(
                            "competency \"{}\": track \"{}\" is not defined in site.toml",
                            self.id(),
                            t.get_ref()
                        );
                        let hint = diagnostic::suggest(t.get_ref(), "tracks", &track_ids);
                        diags.push(self.p.error(t.span(), msg).hint(hint));
                    }
                    found
                })
                .collect(),
            (None, Some(t)) => vec![t],
            (None, None) => (0..self.careers.tracks.len()).collect(),
        }
    }

    fn level(&self, value: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> Option<usize> {
        let level_ids: Vec<&str> = self.careers.levels.iter().map(|l| l.id.as_str()).collect();
        let found = level_ids.iter().position(|l| l == value.get_ref());
        if found.is_none() {
            let hint = if level_ids.is_empty() {
                "define [[careers.levels]] in site.toml first".to_string()
            } else {
                diagnostic::suggest(value.get_ref(), "levels", &level_ids)
            };
            let msg = format!(
                "competency \"{}\": level \"{}\" is not defined in site.toml",
                self.id(),
                value.get_ref()
            );
            diags.push(self.p.error(value.span(), msg).hint(hint));
        }
        found
    }

    /// Level text by level index; an error when there is none at all.
    fn levels(&self, diags: &mut Vec<Diagnostic>) -> Vec<Option<Text>> {
        let (p, id) = (self.p, self.id());
        let mut levels: Vec<Option<Text>> = vec![None; self.careers.levels.len()];
        for (key, text) in self.raw.levels.iter().flatten() {
            let level = self.level(key, diags);
            if text.get_ref().trim().is_empty() {
                continue; // an empty string means "nothing new here"
            }
            let what = format!("competency \"{id}\" at level \"{}\"", key.get_ref());
            if let (Some(l), Some(t)) = (level, p.markdown(text, &what, diags)) {
                levels[l] = Some(t);
            }
        }
        let texts = self.raw.levels.iter().flatten();
        if texts.clone().all(|(_, t)| t.get_ref().trim().is_empty()) {
            let first = self.careers.levels.first().map_or("mid", |l| l.id.as_str());
            diags.push(
                p.error(self.raw.id.span(), format!("competency \"{id}\" has no level text"))
                    .hint(format!(
                        "add a [competency.levels] table after it, e.g. {first} = \"What is expected at this level\""
                    )),
            );
        }
        levels
    }

    fn examples(&self, diags: &mut Vec<Diagnostic>) -> Vec<Example> {
        let what = format!("competency \"{}\" example", self.id());
        self.raw
            .examples
            .iter()
            .filter_map(|ex| {
                let level = self.level(&ex.level, diags);
                let text = self.p.markdown(&ex.text, &what, diags);
                Some(Example {
                    level: level?,
                    text: text?,
                })
            })
            .collect()
    }
}

fn resolve_competency(
    p: &Parsed,
    raw: &RawCompetency,
    areas: &[(Area, String)],
    file_track: Option<usize>,
    careers: &CareersConfig,
    diags: &mut Vec<Diagnostic>,
) -> Option<Competency> {
    let before = diags.iter().filter(|d| d.is_error()).count();
    let check = CompetencyCheck { p, raw, careers };
    let id = check.id();
    if !valid_id(id) {
        diags.push(p.error(raw.id.span(), format!("competency id \"{id}\" is not a valid id")).hint(
            "ids are used in URLs and self-review storage: use lower-case letters, digits and hyphens, e.g. \"code-review\"",
        ));
    }
    let area = check.area(areas, diags);
    let tracks = check.tracks(file_track, diags);
    let levels = check.levels(diags);
    let examples = check.examples(diags);
    let description = raw
        .description
        .as_ref()
        .and_then(|d| p.markdown(d, &format!("competency \"{id}\" description"), diags));
    if diags.iter().filter(|d| d.is_error()).count() > before {
        return None;
    }
    Some(Competency {
        id: id.to_string(),
        area: area?,
        tracks,
        name: raw
            .name
            .clone()
            .unwrap_or_else(|| crate::config::title_case(id)),
        description,
        levels,
        examples,
    })
}

/// Warns about each level at which a track expects nothing new: its level
/// page would repeat the one below and its "what changes" page be empty.
fn warn_empty_levels(
    framework: &Framework,
    careers: &CareersConfig,
    display: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for (ti, track) in careers.tracks.iter().enumerate() {
        if framework.for_track(ti).next().is_none() {
            diags.push(
                Diagnostic::warning(Code::FrameworkGap, display, format!("track \"{}\" has no competencies in the framework", track.id))
                    .hint(format!("add competencies with tracks = [\"{}\"] (or no `tracks`, for every track), or a framework/{}.toml file", track.id, track.id)),
            );
            continue;
        }
        for (li, level) in careers.levels.iter().enumerate() {
            let written = framework
                .for_track(ti)
                .any(|c| c.levels.get(li).is_some_and(Option::is_some));
            if !written {
                diags.push(
                    Diagnostic::warning(Code::FrameworkGap,
                        display,
                        format!("no competency text for level \"{}\" in track \"{}\"", level.id, track.id),
                    )
                    .hint(format!(
                        "nothing new is expected at {} in {}: add `{} = \"…\"` under [competency.levels] of the competencies that grow at this level",
                        level.name, track.name, level.id
                    )),
                );
            }
        }
    }
}
