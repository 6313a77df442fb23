//! Front matter: splitting it off a page and parsing it.
//!
//! TOML between `+++` lines or YAML between `---` lines, both optional. The
//! raw structs mirror what authors write (all optional); `content::load`
//! turns them into a `Page`, and `careers` turns the `role` table into a
//! `Role`. Errors carry the file's own line numbers: the parser's position
//! plus the opening fence line. Keys we do not know at the top level are
//! warnings (pages from Jekyll or Hugo carry `layout`, `tags`, …); inside
//! `role` they are errors, since a misspelt salary field must not publish.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::date::Date;
use std::path::Path;

use crate::diagnostic::{self, Code, Diagnostic, LineIndex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Toml,
    Yaml,
}

/// A page's text cut into its front matter and its markdown body.
#[derive(Debug)]
pub struct Split<'a> {
    pub(crate) format: Option<Format>,
    /// The front matter text between the fences.
    pub(crate) front: &'a str,
    /// 1-based line of the first front matter line (after the opening fence).
    pub(crate) front_line: usize,
    /// The markdown after the front matter.
    pub body: &'a str,
    /// Number of lines before the body starts (fences included).
    pub(crate) body_line_offset: usize,
}

/// Cuts `text`, the contents of the file shown as `display`, into front
/// matter and body.
pub fn split<'a>(text: &'a str, display: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_line_end].trim_end();
    let (format, fence) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Ok(Split {
                format: None,
                front: "",
                front_line: 1,
                body: text,
                body_line_offset: 0,
            })
        }
    };
    let start = (first_line_end + 1).min(text.len());
    let mut pos = start;
    let mut lines = 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        lines += 1;
        if line == fence || (format == Format::Yaml && line == "...") {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                format: Some(format),
                front: &text[start..pos],
                front_line: 2,
                body: &text[body_start..],
                body_line_offset: lines,
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::error(
        Code::FrontMatterUnclosed,
        display,
        format!("front matter opened with `{fence}` on line 1 is never closed"),
    )
    .at(1, Some(1))
    .hint(format!(
        "add a line with just `{fence}` after the last front matter line"
    )))
}

/// Front matter as written, before validation.
#[derive(Debug, Default, Deserialize)]
pub struct RawFrontMatter {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) slug: Option<String>,
    pub(crate) weight: Option<i64>,
    pub(crate) date: Option<RawDate>,
    pub(crate) updated: Option<RawDate>,
    pub(crate) draft: Option<bool>,
    pub(crate) template: Option<String>,
    pub(crate) aliases: Option<Vec<String>>,
    pub(crate) extra: Option<serde_json::Value>,
    pub(crate) role: Option<RawRole>,
    // Other generators' keys that change what readers see (Jekyll, Just the
    // Docs, Hugo, Docusaurus, Eleventy); `content` maps them onto ours.
    /// Sets the page's URL.
    pub(crate) permalink: Option<String>,
    /// Old URLs that redirect here (`aliases`).
    pub(crate) redirect_from: Option<OneOrMany>,
    /// Sidebar order (`weight`).
    pub(crate) nav_order: Option<serde_json::Value>,
    pub(crate) sidebar_position: Option<serde_json::Value>,
    /// Published but left out of the sidebar.
    pub(crate) nav_exclude: Option<bool>,
    /// `published: false` leaves the page out, like `draft: true`.
    pub(crate) published: Option<bool>,
    /// Keys no generator we know of reads for what readers see, with their
    /// lines: summarised once per run, not warned about per file.
    #[serde(skip)]
    pub(crate) ignored: Vec<(String, Option<usize>)>,
}

impl RawFrontMatter {
    /// `weight`, else another generator's `nav_order` or `sidebar_position`.
    pub(crate) fn order(&self) -> i64 {
        self.weight
            .or_else(|| self.nav_order.as_ref().and_then(order_number))
            .or_else(|| self.sidebar_position.as_ref().and_then(order_number))
            .unwrap_or(0)
    }

    /// `aliases` and Jekyll's `redirect_from`, together.
    pub(crate) fn all_aliases(&mut self) -> Vec<String> {
        let mut out = self.aliases.take().unwrap_or_default();
        out.extend(
            self.redirect_from
                .take()
                .map(OneOrMany::into_vec)
                .unwrap_or_default(),
        );
        out
    }
}

/// A string or a list of strings (`redirect_from: /old/` or a list).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// A number for ordering, as other generators write it (`1`, `2.5`, `"3"`).
pub(crate) fn order_number(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.round() as i64)),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok().map(|f| f.round() as i64),
        _ => None,
    }
}

/// Keys of other generators that only matter to them: accepted without a
/// per-file warning even when they look like a typo of one of ours.
const OTHER_GENERATOR_KEYS: &[&str] = &[
    "layout",
    "keywords",
    "tags",
    "categories",
    "category",
    "author",
    "authors",
    "excerpt",
    "image",
    "lang",
    "id",
    "toc",
    "parent",
    "grand_parent",
    "has_children",
    "has_toc",
    "search_exclude",
    "sitemap",
    "comments",
    "type",
    "menu",
    "summary",
    "sidebar_label",
    "hide_title",
    "last_modified_at",
    "eleventyNavigation",
    "eleventyExcludeFromCollections",
    "tag",
    "url",
    "related_order",
    "last_reviewed_at",
    "owner",
    "owners",
    "status",
];

pub(crate) const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "slug",
    "weight",
    "date",
    "updated",
    "draft",
    "template",
    "aliases",
    "extra",
    "role",
    "permalink",
    "redirect_from",
    "nav_order",
    "sidebar_position",
    "nav_exclude",
    "published",
];

/// The `role` table as written; validated by `careers::resolve`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRole {
    pub(crate) also_known_as: Option<Vec<String>>,
    pub(crate) track: Option<String>,
    pub(crate) level: Option<String>,
    pub(crate) salary: Option<RawSalary>,
    pub(crate) reports_to: Option<String>,
    pub(crate) draft: Option<bool>,
    pub(crate) opening: Option<RawOpening>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSalary {
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    pub(crate) currency: Option<String>,
    pub(crate) period: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOpening {
    pub(crate) locations: Option<Vec<String>>,
    pub(crate) country: Option<String>,
    pub(crate) workplace: Option<String>,
    pub(crate) employment_type: Option<String>,
    pub(crate) opens: Option<RawDate>,
    pub(crate) closes: Option<RawDate>,
    pub(crate) apply_url: Option<String>,
}

/// A date as written: TOML's date literal or a string. Parsed later so that
/// a bad date is reported with its key and line, alongside other problems.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawDate(pub String);

impl RawDate {
    pub(crate) fn parse(&self) -> Result<Date, crate::date::DateError> {
        Date::parse(&self.0)
    }
}

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawDate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date such as 2026-11-01")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDate, E> {
                Ok(RawDate(v.to_string()))
            }
            // TOML date literals arrive as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDate, A::Error> {
                let mut value = None;
                while let Some((_, v)) = map.next_entry::<String, String>()? {
                    value = Some(v);
                }
                value
                    .map(RawDate)
                    .ok_or_else(|| de::Error::custom("expected a date"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDate, E> {
                Ok(RawDate(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDate, E> {
                Ok(RawDate(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses the front matter of a split page of the file shown as `display`.
/// Returns the raw front matter and warnings about unknown top-level keys.
pub fn parse(
    split: &Split,
    display: &Path,
) -> Result<(RawFrontMatter, Vec<Diagnostic>), Diagnostic> {
    let Some(format) = split.format else {
        return Ok((RawFrontMatter::default(), Vec::new()));
    };
    let offset = split.front_line - 1;
    let text = split.front;
    if text.trim().is_empty() {
        return Ok((RawFrontMatter::default(), Vec::new()));
    }
    let (raw, keys): (RawFrontMatter, Vec<String>) = match format {
        Format::Toml => {
            let lines = LineIndex::new(text);
            let located = |e: toml::de::Error| {
                let (line, col) = e
                    .span()
                    .map(|s| lines.locate(s.start))
                    .map_or((None, None), |(l, c)| (Some(l + offset), Some(c)));
                let mut d = Diagnostic::error(
                    Code::FrontMatterSyntax,
                    display,
                    format!(
                        "invalid TOML front matter: {}",
                        crate::config::toml_message(&e)
                    ),
                );
                d.line = line;
                d.col = col;
                with_hint(d)
            };
            let table: toml::Table = toml::from_str(text).map_err(located)?;
            let raw = toml::from_str(text).map_err(located)?;
            (raw, table.keys().cloned().collect())
        }
        Format::Yaml => {
            let value: serde_norway::Value =
                serde_norway::from_str(text).map_err(|e| yaml_problem(e, offset, text, display))?;
            let keys = match &value {
                serde_norway::Value::Mapping(m) => m
                    .keys()
                    .map(|k| {
                        k.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("{k:?}"))
                    })
                    .collect(),
                serde_norway::Value::Null => return Ok((RawFrontMatter::default(), Vec::new())),
                other => {
                    return Err(Diagnostic::error(
                        Code::FrontMatterSyntax,
                        display,
                        format!(
                            "front matter must be a table of `key: value` lines, not {}",
                            yaml_kind(other)
                        ),
                    )
                    .at(split.front_line, Some(1))
                    .hint("write e.g. `title: Senior Engineer` on its own line"))
                }
            };
            let raw =
                serde_norway::from_str(text).map_err(|e| yaml_problem(e, offset, text, display))?;
            (raw, keys)
        }
    };
    let mut raw: RawFrontMatter = raw;
    let warnings = sort_unknown_keys(&mut raw, keys, text, offset, display);
    Ok((raw, warnings))
}

/// Unknown keys: near misses of ours are typo warnings; the rest belong to
/// other generators and go to `raw.ignored`.
fn sort_unknown_keys(
    raw: &mut RawFrontMatter,
    keys: Vec<String>,
    text: &str,
    offset: usize,
    display: &Path,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for key in keys {
        if PAGE_KEYS.contains(&key.as_str()) {
            continue;
        }
        let line = diagnostic::line_of_key(text, &key, 0).map(|l| l + offset);
        // A near miss of one of our keys is a typo worth a warning; any
        // other key belongs to another generator and is counted instead.
        let typo = diagnostic::closest(&key, PAGE_KEYS.iter().copied())
            .filter(|_| !OTHER_GENERATOR_KEYS.contains(&key.as_str()));
        match typo {
            Some(c) => warnings.push(
                Diagnostic::warning(
                    Code::UnknownKey,
                    display,
                    format!("unknown front matter key `{key}`"),
                )
                .at_line(line)
                .hint(format!(
                    "did you mean `{c}`? values of your own go under `extra`"
                )),
            ),
            None => raw.ignored.push((key, line)),
        }
    }
    warnings
}

fn yaml_kind(v: &serde_norway::Value) -> &'static str {
    match v {
        serde_norway::Value::Sequence(_) => "a list",
        serde_norway::Value::String(_) => "a single string",
        serde_norway::Value::Number(_) => "a number",
        serde_norway::Value::Bool(_) => "a boolean",
        _ => "a value",
    }
}

fn yaml_problem(e: serde_norway::Error, offset: usize, text: &str, display: &Path) -> Diagnostic {
    let (line, col) = e.location().map_or((None, None), |l| {
        (Some(l.line() + offset), Some(l.column()))
    });
    let mut message = e.to_string();
    // serde_norway appends " at line X column Y"; we print our own location.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let mut d = Diagnostic::error(
        Code::FrontMatterSyntax,
        display,
        format!("invalid YAML front matter: {message}"),
    );
    d.line = line;
    d.col = col;
    let mut p = with_hint(d);
    if p.hint.is_none() && text.contains('\t') {
        p.hint = Some("YAML does not allow tabs for indentation; use spaces".into());
    }
    p
}

/// Adds a "did you mean" hint to serde's unknown-field messages (and files
/// them as `unknown-key`).
fn with_hint(mut p: Diagnostic) -> Diagnostic {
    if let Some(rest) = p.message.split("unknown field `").nth(1) {
        if let Some((field, expected)) = rest.split_once('`') {
            p.code = Code::UnknownKey;
            let known: Vec<&str> = expected
                .split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, s)| s)
                .collect();
            p.hint = Some(match diagnostic::closest(field, known.iter().copied()) {
                Some(c) => format!("did you mean `{c}`? known keys here: {}", known.join(", ")),
                None => format!("known keys here: {}", known.join(", ")),
            });
        }
    }
    p
}

/// `extra` values with TOML dates (which arrive as one-key maps) turned into strings.
pub(crate) fn clean_extra(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Object(m) if m.len() == 1 && m.contains_key("$__toml_private_datetime") => {
            m.into_iter().next().map(|(_, v)| v).unwrap_or(J::Null)
        }
        J::Object(m) => J::Object(m.into_iter().map(|(k, v)| (k, clean_extra(v))).collect()),
        J::Array(a) => J::Array(a.into_iter().map(clean_extra).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<(RawFrontMatter, Vec<Diagnostic>), Diagnostic> {
        let s = split(text, Path::new("a.md"))?;
        parse(&s, Path::new("a.md"))
    }

    #[test]
    fn splits_toml_yaml_and_none() {
        let s = split("+++\ntitle = \"A\"\n+++\n# Body\n", Path::new("a.md")).unwrap();
        assert_eq!(s.format, Some(Format::Toml));
        assert_eq!(s.front, "title = \"A\"\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line_offset, 3);
        let s = split("---\ntitle: A\n---\nBody", Path::new("a.md")).unwrap();
        assert_eq!(s.format, Some(Format::Yaml));
        assert_eq!(s.body, "Body");
        let s = split("# Just markdown\n", Path::new("a.md")).unwrap();
        assert_eq!(s.format, None);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_one() {
        let e = split("+++\ntitle = \"A\"\n# Body\n", Path::new("a.md")).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn toml_type_error_points_at_the_file_line() {
        let e = parse_text("+++\ntitle = \"A\"\nweight = \"high\"\n+++\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }

    #[test]
    fn yaml_dates_and_toml_dates_both_parse() {
        let (fm, _) = parse_text("+++\ndate = 2026-11-01\n+++\n").unwrap();
        assert_eq!(fm.date.unwrap().parse().unwrap().to_string(), "2026-11-01");
        let (fm, _) = parse_text("---\ndate: 2026-11-02\n---\n").unwrap();
        assert_eq!(fm.date.unwrap().parse().unwrap().to_string(), "2026-11-02");
    }

    #[test]
    fn yaml_list_front_matter_is_rejected_with_line() {
        let e = parse_text("---\n- a\n- b\n---\n").unwrap_err();
        assert!(e.message.contains("not a list"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn yaml_tabs_get_a_hint() {
        let e = parse_text("---\ntitle: A\nrole:\n\ttrack: x\n---\n").unwrap_err();
        assert!(e.line.is_some());
        assert!(e.hint.unwrap().contains("tabs"));
    }

    #[test]
    fn unknown_role_key_suggests_the_closest() {
        let e = parse_text("+++\n[role]\nlevle = \"senior\"\n+++\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.hint.unwrap().starts_with("did you mean `level`?"));
    }

    #[test]
    fn typos_are_warnings_and_other_generators_keys_are_set_aside() {
        let (raw, w) = parse_text("---\nlayout: post\ntitel: x\nfoo_bar: 1\n---\n").unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(3));
        assert!(w[0].hint.as_ref().unwrap().contains("`title`"));
        assert_eq!(
            raw.ignored,
            [
                ("layout".to_string(), Some(2)),
                ("foo_bar".to_string(), Some(4))
            ]
        );
    }
}
