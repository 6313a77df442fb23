//! `site.toml`: reading, validating and defaulting the site configuration.
//!
//! The file is optional. Raw serde structs mirror the file (everything
//! optional); `load` turns them into a `Config` whose fields are all resolved,
//! so later stages never deal with missing values. Unknown keys are errors
//! that name the key and suggest the closest known one. This module does not
//! look at content; the zero-config guesses that need the content folder
//! (the site title) are made by `content`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{self, Code, Diagnostic, LineIndex};

pub(crate) const CONFIG_FILE: &str = "site.toml";

/// Values given on the command line; they win over `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub(crate) content_dir: Option<PathBuf>,
    pub(crate) output_dir: Option<PathBuf>,
    /// `--base-url`: where the site will be published.
    pub base_url: Option<String>,
    pub(crate) drafts: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum LinkPolicy {
    #[default]
    Warn,
    Error,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) root: PathBuf,
    /// Whether a `site.toml` was found (zero-config otherwise).
    pub(crate) has_file: bool,
    /// `base_url` was given (site.toml or `--base-url`); without it a build
    /// writes relative links so the output also works opened from disk.
    pub(crate) base_url_given: bool,
    pub(crate) title: Option<String>,
    /// The title was not configured but taken from the home page.
    pub(crate) title_from_content: bool,
    /// The content folder was chosen by zero config (no site.toml, no
    /// `--content`): the repository's other markdown files are published too.
    pub(crate) content_auto: bool,
    /// Where those files are published (`repository`), when the content is
    /// a subfolder; set by `content::load`.
    pub(crate) repository: Option<String>,
    /// Always ends with `/`; may be just `/` when no base URL is known.
    pub(crate) base_url: String,
    pub(crate) description: Option<String>,
    pub(crate) language: String,
    pub(crate) theme: String,
    pub(crate) content_dir: PathBuf,
    pub(crate) output_dir: PathBuf,
    pub(crate) organization: Organization,
    pub(crate) markdown: MarkdownConfig,
    pub(crate) links: LinksConfig,
    pub(crate) edit_url: Option<String>,
    pub(crate) cname: Option<String>,
    pub(crate) og_image: Option<String>,
    pub(crate) extra: serde_json::Value,
    pub(crate) careers: CareersConfig,
    pub(crate) cards: CardsConfig,
    pub(crate) search: SearchConfig,
    pub(crate) drafts: bool,
    /// `include` / `exclude`: glob patterns relative to the content folder.
    /// `include` publishes files the skip rules would leave out; `exclude`
    /// leaves out files that would be published.
    pub(crate) include: Vec<String>,
    pub(crate) exclude: Vec<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct Organization {
    pub(crate) name: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) logo: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct MarkdownConfig {
    pub(crate) smart_punctuation: bool,
    /// Highlight theme for light mode, or "css" (classes, the default) or "inline".
    pub(crate) highlight_theme: String,
    pub(crate) highlight_theme_dark: String,
    /// The line of `highlight_theme` in site.toml, for errors about it
    /// (found at load, so later stages never read the file again).
    pub(crate) highlight_theme_line: Option<usize>,
    /// Where pages with a mermaid diagram load mermaid's script from.
    pub(crate) mermaid_url: String,
    /// Its subresource-integrity hash (none for a self-hosted copy unless set).
    pub(crate) mermaid_integrity: Option<String>,
}

/// mermaid's script, pinned: jsDelivr serves the npm package's file, whose
/// sha384 (`npm pack mermaid@11.12.2`, `dist/mermaid.min.js`) is below.
pub(crate) const MERMAID_URL: &str =
    "https://cdn.jsdelivr.net/npm/mermaid@11.12.2/dist/mermaid.min.js";
pub(crate) const MERMAID_INTEGRITY: &str =
    "sha384-1ggI9FC3CkghppRD/XCR4aD+jp4DxwXlJIW0wxhyTLNKuiZEW3c4BwcjKXl0iVAJ";

#[derive(Debug, Clone, Default)]
pub(crate) struct LinksConfig {
    pub(crate) internal: LinkPolicy,
    pub(crate) ignore: Vec<String>,
}

/// `[cards]`: social cards (see `cards`).
#[derive(Debug, Clone)]
pub(crate) struct CardsConfig {
    /// Generate a card per role, section and the site (default true).
    pub(crate) enabled: bool,
    /// Relative to the site root; kept between CI runs to skip unchanged cards.
    pub(crate) cache_dir: PathBuf,
}

/// `[search]`: the chunked search index (see `output::search`).
#[derive(Debug, Clone)]
pub(crate) struct SearchConfig {
    /// Write the index and let the theme's search box use it (default
    /// true). Off, the box only links to the plain list of pages.
    pub(crate) enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

impl Default for CardsConfig {
    fn default() -> Self {
        CardsConfig {
            enabled: true,
            cache_dir: PathBuf::from(".handbook-cache/cards"),
        }
    }
}

/// A career track or level as site.toml defines it; templates receive the
/// same value (`role.track`, `role.level`, `careers.levels`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct IdName {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
}

/// A career track (`[[careers.tracks]]`).
pub(crate) type Track = IdName;
/// A ladder level (`[[careers.levels]]`), lowest first.
pub(crate) type Level = IdName;

#[derive(Debug, Clone)]
pub(crate) struct CareersConfig {
    pub(crate) require_salary: bool,
    pub(crate) default_currency: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) apply_url: Option<String>,
    /// URL folder of the generated careers pages, without slashes.
    pub(crate) path: String,
    pub(crate) tracks: Vec<Track>,
    /// Ladder order, lowest first.
    pub(crate) levels: Vec<Level>,
    /// How role pages show their level's expectations from the framework.
    pub(crate) role_expectations: RoleExpectations,
}

/// `careers.role_expectations`: how a role page shows what its level expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RoleExpectations {
    /// In a folded `<details>` block (the default).
    Folded,
    /// Open, in full.
    Full,
    /// Only a link to the level page.
    Link,
}

impl Default for CareersConfig {
    fn default() -> Self {
        CareersConfig {
            require_salary: true,
            default_currency: None,
            country: None,
            apply_url: None,
            path: "careers".into(),
            tracks: Vec::new(),
            levels: Vec::new(),
            role_expectations: RoleExpectations::Folded,
        }
    }
}

impl Config {
    /// The path part of `base_url`: `/` or `/handbook/`.
    pub(crate) fn base_path(&self) -> &str {
        match self.base_url.find("://") {
            Some(i) => match self.base_url[i + 3..].find('/') {
                Some(j) => &self.base_url[i + 3 + j..],
                None => "/",
            },
            None => &self.base_url,
        }
    }

    /// Whether `base_url` is absolute (has a scheme and host).
    pub(crate) fn has_absolute_base(&self) -> bool {
        self.base_url.contains("://")
    }

    pub(crate) fn content_path(&self) -> PathBuf {
        self.root.join(&self.content_dir)
    }

    pub(crate) fn output_path(&self) -> PathBuf {
        self.root.join(&self.output_dir)
    }

    /// The path, relative to the root, of the file behind a content path
    /// (`hiring.md` → `content/hiring.md`; with the repository's own files
    /// published under `repository/`, `repository/README.md` → `README.md`).
    pub(crate) fn source_rel(&self, rel: &str) -> PathBuf {
        if let Some(outside) = self
            .repository
            .as_deref()
            .and_then(|prefix| rel.strip_prefix(prefix)?.strip_prefix('/'))
        {
            return PathBuf::from(outside);
        }
        self.content_dir.join(rel)
    }

    /// A zero-config default built for `root` (used by tests and `init`).
    pub(crate) fn default_for(root: &Path) -> Config {
        Config {
            root: root.to_path_buf(),
            has_file: false,
            base_url_given: false,
            title: None,
            title_from_content: false,
            content_auto: false,
            repository: None,
            base_url: "/".into(),
            description: None,
            language: "en".into(),
            theme: "default".into(),
            content_dir: PathBuf::from("content"),
            output_dir: PathBuf::from("public"),
            organization: Organization::default(),
            markdown: MarkdownConfig {
                smart_punctuation: false,
                highlight_theme: "css".into(),
                highlight_theme_dark: String::new(),
                highlight_theme_line: None,
                mermaid_url: MERMAID_URL.into(),
                mermaid_integrity: Some(MERMAID_INTEGRITY.into()),
            },
            links: LinksConfig::default(),
            edit_url: None,
            cname: None,
            og_image: None,
            extra: serde_json::Value::Object(Default::default()),
            careers: CareersConfig::default(),
            cards: CardsConfig::default(),
            search: SearchConfig::default(),
            drafts: false,
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }
}

// ---- the file as written -------------------------------------------------

#[derive(Deserialize, Default)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    description: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    content_dir: Option<PathBuf>,
    output_dir: Option<PathBuf>,
    organization: Option<RawOrganization>,
    markdown: Option<RawMarkdown>,
    links: Option<RawLinks>,
    edit_url: Option<String>,
    cname: Option<String>,
    og_image: Option<String>,
    extra: Option<toml::Table>,
    careers: Option<RawCareers>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    cards: Option<RawCards>,
    search: Option<RawSearch>,
}

#[derive(Deserialize)]
struct RawSearch {
    enabled: Option<bool>,
}

#[derive(Deserialize)]
struct RawCards {
    enabled: Option<bool>,
    cache_dir: Option<PathBuf>,
}

#[derive(Deserialize)]
struct RawOrganization {
    name: Option<String>,
    url: Option<String>,
    logo: Option<String>,
}

#[derive(Deserialize)]
struct RawMarkdown {
    smart_punctuation: Option<bool>,
    highlight_theme: Option<String>,
    highlight_theme_dark: Option<String>,
    mermaid_url: Option<String>,
    mermaid_integrity: Option<String>,
}

#[derive(Deserialize)]
struct RawLinks {
    internal: Option<String>,
    ignore: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RawCareers {
    require_salary: Option<bool>,
    default_currency: Option<String>,
    country: Option<String>,
    apply_url: Option<String>,
    path: Option<String>,
    tracks: Option<Vec<RawLadderStep>>,
    levels: Option<Vec<RawLadderStep>>,
    role_expectations: Option<String>,
}

#[derive(Deserialize)]
struct RawLadderStep {
    id: String,
    name: Option<String>,
    description: Option<String>,
}

/// Known keys, per table, for the unknown-key check. `extra` is free-form.
const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "theme",
    "content_dir",
    "output_dir",
    "organization",
    "markdown",
    "links",
    "edit_url",
    "cname",
    "og_image",
    "extra",
    "careers",
    "include",
    "exclude",
    "cards",
    "search",
];
const CARDS_KEYS: &[&str] = &["enabled", "cache_dir"];
const SEARCH_KEYS: &[&str] = &["enabled"];
const ORG_KEYS: &[&str] = &["name", "url", "logo"];
const MARKDOWN_KEYS: &[&str] = &[
    "smart_punctuation",
    "highlight_theme",
    "highlight_theme_dark",
    "mermaid_url",
    "mermaid_integrity",
];
const LINKS_KEYS: &[&str] = &["internal", "ignore"];
const CAREERS_KEYS: &[&str] = &[
    "require_salary",
    "default_currency",
    "country",
    "apply_url",
    "path",
    "tracks",
    "levels",
    "role_expectations",
];
const STEP_KEYS: &[&str] = &["id", "name", "description"];

/// Reads `site.toml` under `root` (if any) and applies `overrides`.
pub(crate) fn load(root: &Path, overrides: &Overrides) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let mut config = Config::default_for(root);
    let (raw, text) = if path.is_file() {
        config.has_file = true;
        let text = crate::fs::read_to_string(&path)
            .map_err(|e| vec![Diagnostic::error(Code::Io, CONFIG_FILE, e.to_string())])?;
        (parse(&text)?, text)
    } else {
        (RawConfig::default(), String::new())
    };
    let mut diags = Vec::new();
    apply(&mut config, raw, &text, &mut diags);
    config.markdown.highlight_theme_line =
        crate::diagnostic::toml_key_line(&text, &["markdown", "highlight_theme"]);

    config.content_auto = !config.has_file && overrides.content_dir.is_none();
    if let Some(dir) = &overrides.content_dir {
        config.content_dir = dir.clone();
    } else if !config.has_file || !root.join(&config.content_dir).is_dir() {
        // Zero-config: a `content/` folder if there is one, else the
        // folder Jekyll's `_config.yml` names as its `source`, else the root.
        if !root.join("content").is_dir() {
            config.content_dir = jekyll_source(root).unwrap_or_else(|| PathBuf::from("."));
        }
    }
    if let Some(dir) = &overrides.output_dir {
        config.output_dir = dir.clone();
    }
    if let Some(url) = &overrides.base_url {
        config.base_url = normalize_base_url(url);
        config.base_url_given = true;
    }
    config.drafts = overrides.drafts;
    if diags.is_empty() {
        Ok(config)
    } else {
        Err(diags)
    }
}

fn parse(text: &str) -> Result<RawConfig, Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let located = |e: toml::de::Error| {
        let mut d = Diagnostic::error(Code::ConfigSyntax, CONFIG_FILE, toml_message(&e));
        if let Some(span) = e.span() {
            let (line, col) = lines.locate(span.start);
            d = d.at(line, Some(col));
        }
        vec![d]
    };
    let table: toml::Table = toml::from_str(text).map_err(located)?;
    let mut diags = Vec::new();
    check_keys(text, &table, TOP_KEYS, "", &mut diags);
    let sub: [(&str, &[&str]); 6] = [
        ("cards", CARDS_KEYS),
        ("search", SEARCH_KEYS),
        ("organization", ORG_KEYS),
        ("markdown", MARKDOWN_KEYS),
        ("links", LINKS_KEYS),
        ("careers", CAREERS_KEYS),
    ];
    for (name, keys) in sub {
        if let Some(toml::Value::Table(t)) = table.get(name) {
            check_keys(text, t, keys, name, &mut diags);
        }
    }
    if let Some(toml::Value::Table(careers)) = table.get("careers") {
        for list in ["tracks", "levels"] {
            if let Some(toml::Value::Array(items)) = careers.get(list) {
                for item in items {
                    if let toml::Value::Table(t) = item {
                        check_keys(text, t, STEP_KEYS, &format!("careers.{list}"), &mut diags);
                    }
                }
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    toml::from_str(text).map_err(located)
}

fn check_keys(
    text: &str,
    table: &toml::Table,
    known: &[&str],
    prefix: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for key in table.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let mut d = Diagnostic::error(
            Code::UnknownKey,
            CONFIG_FILE,
            format!("unknown key `{full}`"),
        )
        .at_line(diagnostic::toml_key_line(text, &key_path(prefix, key)));
        d = match diagnostic::closest(key, known.iter().copied()) {
            Some(c) => d.hint(format!("did you mean `{c}`?")),
            None => d.hint(format!(
                "known keys here are: {}; free-form values go under [extra]",
                known.join(", ")
            )),
        };
        diags.push(d);
    }
}

/// `careers.tracks` and `nmae` → `["careers", "tracks", "nmae"]`.
fn key_path<'a>(prefix: &'a str, key: &'a str) -> Vec<&'a str> {
    prefix
        .split('.')
        .filter(|p| !p.is_empty())
        .chain([key])
        .collect()
}

/// toml's message without the source excerpt it appends (we print our own
/// location).
pub(crate) fn toml_message(e: &toml::de::Error) -> String {
    e.message().trim().to_string()
}

fn apply(config: &mut Config, raw: RawConfig, text: &str, diags: &mut Vec<Diagnostic>) {
    config.title = raw.title;
    if let Some(url) = raw.base_url {
        config.base_url = normalize_base_url(&url);
        config.base_url_given = true;
    }
    config.description = raw.description;
    if let Some(l) = raw.language {
        config.language = l;
    }
    if let Some(t) = raw.theme {
        config.theme = t;
    }
    if let Some(d) = raw.content_dir {
        config.content_dir = d;
    }
    if let Some(d) = raw.output_dir {
        config.output_dir = d;
    }
    if let Some(o) = raw.organization {
        config.organization = Organization {
            name: o.name,
            url: o.url,
            logo: o.logo,
        };
    }
    if let Some(m) = raw.markdown {
        apply_markdown(&mut config.markdown, m);
    }
    if let Some(l) = raw.links {
        apply_links(&mut config.links, l, text, diags);
    }
    apply_globs(config, raw.include, raw.exclude, text, diags);
    config.edit_url = raw.edit_url;
    config.cname = raw.cname;
    config.og_image = raw.og_image;
    if let Some(c) = raw.cards {
        config.cards.enabled = c.enabled.unwrap_or(true);
        if let Some(dir) = c.cache_dir {
            config.cards.cache_dir = dir;
        }
    }
    if let Some(s) = raw.search {
        config.search.enabled = s.enabled.unwrap_or(true);
    }
    if let Some(extra) = raw.extra {
        config.extra = toml_to_json(toml::Value::Table(extra));
    }
    if let Some(c) = raw.careers {
        config.careers = careers_config(c, text, diags);
        check_unique_ids(&config.careers, diags);
    }
}

/// `[links]`: the internal-link policy and the external-link ignore
/// patterns, each checked here so a typo fails every build with its line.
fn apply_links(links: &mut LinksConfig, l: RawLinks, text: &str, diags: &mut Vec<Diagnostic>) {
    match l.internal.as_deref() {
        None | Some("warn") => {}
        Some("error") => links.internal = LinkPolicy::Error,
        Some(other) => diags.push(
            Diagnostic::error(
                Code::InvalidConfig,
                CONFIG_FILE,
                format!("`links.internal` must be \"warn\" or \"error\", not \"{other}\""),
            )
            .hint("write internal = \"warn\" or internal = \"error\" under [links]"),
        ),
    }
    links.ignore = l.ignore.unwrap_or_default();
    // Checked here, not when `check --external` runs, so a typo in a
    // pattern fails every build and names its line.
    for pattern in &links.ignore {
        if let Err(e) = regex::Regex::new(pattern) {
            let first = e.to_string();
            let reason = first.lines().last().unwrap_or("invalid pattern").trim();
            diags.push(
                Diagnostic::error(Code::InvalidPattern,
                    CONFIG_FILE,
                    format!("`links.ignore` pattern \"{pattern}\" is not a valid regular expression: {reason}"),
                )
                .at_line(diagnostic::toml_value_line(text, &["links", "ignore"], pattern))
                .hint(r"patterns are regular expressions: write \. for a literal dot and \? for a literal question mark"),
            );
        }
    }
}

/// `[careers]` with its defaults: tracks and levels named after their ids
/// when they have no name, the careers pages under `careers/`.
fn careers_config(c: RawCareers, text: &str, diags: &mut Vec<Diagnostic>) -> CareersConfig {
    let steps = |v: Option<Vec<RawLadderStep>>| -> Vec<(String, String, Option<String>)> {
        v.unwrap_or_default()
            .into_iter()
            .map(|s| {
                let name = s.name.unwrap_or_else(|| title_case(&s.id));
                (s.id, name, s.description)
            })
            .collect()
    };
    CareersConfig {
        require_salary: c.require_salary.unwrap_or(true),
        default_currency: c.default_currency,
        country: c.country,
        apply_url: c.apply_url,
        path: c
            .path
            .map(|p| p.trim_matches('/').to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "careers".into()),
        tracks: steps(c.tracks)
            .into_iter()
            .map(|(id, name, description)| Track {
                id,
                name,
                description,
            })
            .collect(),
        levels: steps(c.levels)
            .into_iter()
            .map(|(id, name, description)| Level {
                id,
                name,
                description,
            })
            .collect(),
        role_expectations: role_expectations(c.role_expectations.as_deref(), text, diags),
    }
}

fn role_expectations(
    value: Option<&str>,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> RoleExpectations {
    match value {
        None | Some("folded") => RoleExpectations::Folded,
        Some("full") => RoleExpectations::Full,
        Some("link") => RoleExpectations::Link,
        Some(other) => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidConfig,
                    CONFIG_FILE,
                    format!(
                        "careers.role_expectations \"{other}\" is not one of folded, full, link"
                    ),
                )
                .at_line(diagnostic::toml_key_line(
                    text,
                    &["careers", "role_expectations"],
                ))
                .hint(diagnostic::suggest(
                    other,
                    "choices",
                    &["folded", "full", "link"],
                )),
            );
            RoleExpectations::Folded
        }
    }
}

/// A track or level id defined twice would make two roles' URLs and
/// ladders ambiguous.
fn check_unique_ids(careers: &CareersConfig, diags: &mut Vec<Diagnostic>) {
    let tracks = careers.tracks.iter().map(|t| t.id.as_str());
    let levels = careers.levels.iter().map(|l| l.id.as_str());
    for (what, ids) in [
        ("track", tracks.collect::<Vec<_>>()),
        ("level", levels.collect()),
    ] {
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                diags.push(Diagnostic::error(
                    Code::InvalidConfig,
                    CONFIG_FILE,
                    format!("{what} id \"{id}\" is defined twice in [careers]"),
                ));
            }
        }
    }
}

fn apply_markdown(markdown: &mut MarkdownConfig, m: RawMarkdown) {
    markdown.smart_punctuation = m.smart_punctuation.unwrap_or(false);
    if let Some(t) = m.highlight_theme {
        markdown.highlight_theme = t;
    }
    if let Some(t) = m.highlight_theme_dark {
        markdown.highlight_theme_dark = t;
    }
    // A URL of your own (a self-hosted copy) drops the pinned hash.
    if let Some(url) = m.mermaid_url {
        markdown.mermaid_integrity = None;
        markdown.mermaid_url = url;
    }
    if let Some(sri) = m.mermaid_integrity {
        markdown.mermaid_integrity = Some(sri).filter(|s| !s.is_empty());
    }
}

fn normalize_base_url(url: &str) -> String {
    let url = url.trim();
    if url.is_empty() {
        return "/".into();
    }
    // One trailing slash, however many were given: the Pages workflow
    // appends `/` to configure-pages' base_url, which must never give `//`.
    let mut s = url.trim_end_matches('/').to_string();
    if !s.contains("://") && !s.starts_with('/') {
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

pub(crate) fn title_case(id: &str) -> String {
    let mut s = id.replace(['-', '_'], " ");
    if let Some(first) = s.get(0..1) {
        let upper = first.to_uppercase();
        s.replace_range(0..1, &upper);
    }
    s
}

/// `include` and `exclude`: kept as written, each pattern checked as a glob.
fn apply_globs(
    config: &mut Config,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, list, target) in [
        ("include", include, &mut config.include),
        ("exclude", exclude, &mut config.exclude),
    ] {
        for pattern in list.unwrap_or_default() {
            if let Err(e) = globset::Glob::new(&pattern) {
                diags.push(
                    Diagnostic::error(Code::InvalidPattern,
                        CONFIG_FILE,
                        format!("`{key}` pattern \"{pattern}\" is not a valid glob: {}", e.kind()),
                    )
                    .at_line(diagnostic::toml_value_line(text, &[key], &pattern))
                    .hint("patterns are globs relative to the content folder, such as \"scripts/*.sh\" or \"drafts/**\""),
                );
            }
            target.push(pattern);
        }
    }
}

/// `source: DIR` in a Jekyll `_config.yml` at the root, if DIR is a folder
/// inside the root: the site's pages live there, and their `/path/` links
/// are relative to it.
fn jekyll_source(root: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(root.join("_config.yml")).ok()?;
    let value = text.lines().find_map(|l| l.strip_prefix("source:"))?;
    let dir = value.split('#').next()?.trim().trim_matches(['"', '\'']);
    let dir = dir.trim_start_matches("./").trim_end_matches('/');
    let safe = !dir.is_empty()
        && dir != "."
        && !dir.starts_with('/')
        && !dir.split('/').any(|s| s == "..");
    (safe && root.join(dir).is_dir()).then(|| PathBuf::from(dir))
}

/// Converts TOML values (dates included, as strings) to JSON values for templates.
pub(crate) fn toml_to_json(v: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(
            t.into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect::<serde_json::Map<_, _>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        load(dir.path(), &Overrides::default())
    }

    #[test]
    fn unknown_key_is_named_with_suggestion_and_line() {
        let errs = load_text("title = \"x\"\n\nbase_ulr = \"https://a.b/\"\n").unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "site.toml:3: error: unknown key `base_ulr`\n  hint: did you mean `base_url`?"
        );
    }

    #[test]
    fn unknown_nested_key_is_named() {
        let errs = load_text("[markdown]\nsmart_punctuaton = true\n").unwrap_err();
        assert!(errs[0].message.contains("markdown.smart_punctuaton"));
        assert_eq!(
            errs[0].hint.as_deref(),
            Some("did you mean `smart_punctuation`?")
        );
    }

    #[test]
    fn invalid_link_ignore_pattern_names_its_line() {
        let errs = load_text(
            "[links]\nignore = [\n  \"^https://ok\\\\.example/\",\n  \"(unclosed\",\n]\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, Some(4));
        assert!(errs[0].message.contains("(unclosed"), "{}", errs[0].message);
    }

    #[test]
    fn base_url_sub_path_is_kept() {
        let c = load_text("base_url = \"https://acme.github.io/handbook\"\n").unwrap();
        assert_eq!(c.base_url, "https://acme.github.io/handbook/");
        assert_eq!(c.base_path(), "/handbook/");
    }

    #[test]
    fn type_error_has_line_and_column() {
        let errs =
            load_text("title = \"x\"\n[markdown]\nsmart_punctuation = \"yes\"\n").unwrap_err();
        assert_eq!(errs[0].line, Some(3));
        assert!(
            errs[0].message.contains("invalid type"),
            "{}",
            errs[0].message
        );
    }
}
