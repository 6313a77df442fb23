//! Themes: finding the templates and static files, and compiling templates once.
//!
//! A theme is `themes/NAME/templates/*.html` plus `themes/NAME/static/`.
//! The default theme is embedded in the binary, so a folder with no
//! `themes/` still builds; if the site has its own `themes/default/`, that
//! copy wins. A site's own `templates/` and `static/` override the theme
//! file by file. Template errors become diagnostics with the template's file
//! and line. Rendering pages with the compiled templates is `render`'s job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Tera;

use crate::config::Config;
use crate::diagnostic::{self, Code, Diagnostic};

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// The compiled templates and the static files to copy.
#[derive(Clone)]
pub(crate) struct Theme {
    pub(crate) tera: Tera,
    /// Template name → (path shown in errors, template text).
    pub(crate) templates: BTreeMap<String, (PathBuf, String)>,
    /// Output-relative path → file.
    pub(crate) static_files: BTreeMap<String, Source>,
    /// Fonts, logo and cache shared by the social cards (`cards/*.svg`).
    pub(crate) cards: std::sync::Arc<crate::cards::Kit>,
}

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)))),*]
    };
}

/// The default theme, as shipped in `themes/default/`.
pub(crate) static DEFAULT_THEME: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/macros.html",
    "templates/partials/nav.html",
    "templates/partials/breadcrumbs.html",
    "templates/index.html",
    "templates/section.html",
    "templates/page.html",
    "templates/404.html",
    "templates/careers/roles.html",
    "templates/careers/ladder.html",
    "templates/careers/salaries.html",
    "templates/careers/open.html",
    "templates/careers/framework.html",
    "templates/careers/framework_track.html",
    "templates/careers/framework_level.html",
    "templates/careers/framework_step.html",
    "templates/careers/pay.html",
    "templates/partials/role_expectations.html",
    "templates/cards/role.svg",
    "templates/cards/page.svg",
    "templates/cards/site.svg",
    "templates/search.html",
    "static/style.css",
    "static/handbook.js",
    "static/search.js",
    "static/search.css",
    "static/framework.css",
    "static/self-review.js",
];

/// Template name → (path shown in diagnostics, text).
type Templates = BTreeMap<String, (PathBuf, String)>;
/// Output path under the site root → where the file comes from.
type StaticFiles = BTreeMap<String, Source>;

pub(crate) fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let (templates, static_files) = gather_files(config)?;
    let tera = compile(&templates, true).map_err(|d| vec![d])?;
    with_card_kit(config, templates, static_files, tera)
}

/// The built-in theme's templates that only the career framework's pages
/// render (`render::framework_pages`).
const FRAMEWORK_TEMPLATES: &[&str] = &[
    "careers/framework.html",
    "careers/framework_track.html",
    "careers/framework_level.html",
    "careers/framework_step.html",
    "partials/role_expectations.html",
];

/// `load` for `handbook build`, on a thread of its own: templates are
/// parsed one after another on the calling thread (the rayon pool is busy
/// reading the content meanwhile). A site without a career framework leaves
/// the built-in framework templates unparsed (a third of the theme's bytes;
/// parsing is most of a small site's theme cost), unless another template
/// names them. `serve` compiles everything: a framework may be added while
/// it runs.
pub(crate) fn load_for(config: &Config, framework: bool) -> Result<Theme, Vec<Diagnostic>> {
    let (templates, static_files) = gather_files(config)?;
    let tera = if framework {
        compile(&templates, false)
    } else {
        compile(&without_framework(&templates), false)
    }
    .map_err(|d| vec![d])?;
    with_card_kit(config, templates, static_files, tera)
}

/// The theme, once its templates are compiled: the social cards' kit added.
fn with_card_kit(
    config: &Config,
    templates: Templates,
    static_files: StaticFiles,
    tera: Tera,
) -> Result<Theme, Vec<Diagnostic>> {
    let cards = card_kit(config, &static_files)?;
    Ok(Theme {
        tera,
        templates,
        static_files,
        cards,
    })
}

/// The theme's templates and static files: the built-in theme (for
/// `default`) overridden by `themes/NAME/`, then by the site's own
/// `templates/` and `static/`, file by file.
fn gather_files(config: &Config) -> Result<(Templates, StaticFiles), Vec<Diagnostic>> {
    let mut templates = Templates::new();
    let mut static_files = StaticFiles::new();
    let mut diags = Vec::new();
    let theme_dir = config.root.join("themes").join(&config.theme);
    if config.theme == "default" {
        // The built-in files first; a local themes/default/ (a full copy or
        // just the files someone changed) overrides them file by file.
        for (path, bytes) in DEFAULT_THEME {
            if let Some(name) = path.strip_prefix("templates/") {
                let shown = PathBuf::from("(built-in theme)").join(path);
                templates.insert(
                    name.to_string(),
                    (shown, String::from_utf8_lossy(bytes).into_owned()),
                );
            } else if let Some(rel) = path.strip_prefix("static/") {
                static_files.insert(rel.to_string(), Source::Embedded(bytes));
            }
        }
    } else if !theme_dir.is_dir() {
        return Err(vec![theme_not_found(config, &theme_dir)]);
    }
    // The theme folder, then the site's own overrides.
    for dir in [&theme_dir, &config.root] {
        for (sub, is_templates) in [("templates", true), ("static", false)] {
            read_dir_into(
                &dir.join(sub),
                &mut templates,
                &mut static_files,
                is_templates,
                &mut diags,
            );
        }
    }
    if diags.is_empty() {
        Ok((templates, static_files))
    } else {
        Err(diags)
    }
}

/// `theme` names no folder: say which themes there are.
fn theme_not_found(config: &Config, theme_dir: &Path) -> Diagnostic {
    let mut known: Vec<String> = std::fs::read_dir(config.root.join("themes"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    known.push("default".into());
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    let text =
        std::fs::read_to_string(config.root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    Diagnostic::error(
        Code::ThemeNotFound,
        crate::config::CONFIG_FILE,
        format!(
            "theme \"{}\" not found: there is no folder {}",
            config.theme,
            crate::content::clean_display(theme_dir).display()
        ),
    )
    .at_line(diagnostic::toml_key_line(&text, &["theme"]))
    .hint(diagnostic::suggest(&config.theme, "themes", &refs))
}

/// `templates` without the built-in framework templates no other template
/// names (a site's own copy of one is always kept).
fn without_framework(templates: &Templates) -> Templates {
    let builtin = Path::new("(built-in theme)");
    let named_elsewhere = |name: &str| {
        templates
            .iter()
            .any(|(other, (_, text))| other != name && text.contains(name))
    };
    templates
        .iter()
        .filter(|(name, (shown, _))| {
            !(FRAMEWORK_TEMPLATES.contains(&name.as_str())
                && shown.starts_with(builtin)
                && !named_elsewhere(name))
        })
        .map(|(name, t)| (name.clone(), t.clone()))
        .collect()
}

/// Every template parsed into one Tera, with handbook's escaping and filters.
fn compile(templates: &Templates, parallel: bool) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    // tera's default escaper also escapes `/`, which bloats every URL; these
    // five characters are all HTML text and quoted attributes need.
    tera.set_escape_fn(crate::escape::escape_html);
    register_filters(&mut tera);
    // Parsing is most of the cost of a small site's build (tera's pest
    // grammar, about 1,000 instructions per template byte), so templates
    // are parsed in parallel (unless the caller runs beside other work, see
    // `load_for`) and then linked as `add_raw_templates` would (which parses
    // one after another); the first error in name order wins.
    let parse = |(name, (_, text)): (&String, &(PathBuf, String))| {
        tera::Template::new(name, None, text)
            .map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))
    };
    let parsed: Vec<tera::Result<tera::Template>> = if parallel {
        templates.par_iter().map(parse).collect()
    } else {
        templates.iter().map(parse).collect()
    };
    let error = |e: tera::Error| template_error(&e, templates, None);
    for template in parsed {
        let template = template.map_err(error)?;
        tera.templates.insert(template.name.clone(), template);
    }
    tera.build_inheritance_chains().map_err(error)?;
    tera.check_macro_files().map_err(error)?;
    Ok(tera)
}

/// The social cards' fonts (the theme's and site's `static/fonts/*.ttf` or
/// `*.otf`, then the embedded Noto Sans), logo and cache folder.
fn card_kit(
    config: &Config,
    static_files: &BTreeMap<String, Source>,
) -> Result<std::sync::Arc<crate::cards::Kit>, Vec<Diagnostic>> {
    let mut fonts = Vec::new();
    let mut diags = Vec::new();
    for (rel, src) in static_files {
        let lower = rel.to_ascii_lowercase();
        if !(lower.starts_with("fonts/") && (lower.ends_with(".ttf") || lower.ends_with(".otf"))) {
            continue;
        }
        let read = match src {
            Source::Embedded(b) => Ok((PathBuf::from(rel), b.to_vec())),
            Source::Disk(p) => crate::fs::read(p).map(|b| (p.clone(), b)),
        };
        match read {
            Ok(font) => fonts.push(font),
            Err(e) => diags.push(Diagnostic::error(
                Code::FontError,
                crate::content::clean_display(&e.path),
                e.to_string(),
            )),
        }
    }
    let logo = config
        .organization
        .logo
        .as_deref()
        .filter(|l| !l.contains("://"))
        .map(|l| l.trim_start_matches('/').to_string());
    let (kit, problems) = crate::cards::Kit::new(
        fonts,
        config.content_path(),
        logo,
        Some(config.root.join(&config.cards.cache_dir)),
    );
    for (path, problem) in problems {
        diags.push(
            Diagnostic::error(
                Code::FontError,
                crate::content::clean_display(&path),
                problem,
            )
            .hint("social cards read TrueType (.ttf) or OpenType (.otf) files from static/fonts/"),
        );
    }
    if diags.is_empty() {
        Ok(std::sync::Arc::new(kit))
    } else {
        Err(diags)
    }
}

fn read_dir_into(
    dir: &Path,
    templates: &mut BTreeMap<String, (PathBuf, String)>,
    static_files: &mut BTreeMap<String, Source>,
    is_templates: bool,
    diags: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::Io,
                    crate::content::clean_display(dir),
                    e.to_string(),
                ));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        // Markdown in `templates/` is content (a repository's own meeting or
        // issue templates), never a theme template.
        let markdown = is_templates && name.to_ascii_lowercase().ends_with(".md");
        if !entry.file_type().is_file() || name.starts_with('.') || markdown {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let shown = crate::content::clean_display(entry.path());
        if is_templates {
            match crate::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    templates.insert(rel, (shown, text));
                }
                Err(e) => diags.push(Diagnostic::error(Code::Io, shown, e.source.to_string())),
            }
        } else {
            static_files.insert(rel, Source::Disk(entry.path().to_path_buf()));
        }
    }
}

/// Turns a tera error into a diagnostic on the template file and line.
pub(crate) fn template_error(
    e: &tera::Error,
    templates: &BTreeMap<String, (PathBuf, String)>,
    rendering: Option<&str>,
) -> Diagnostic {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    // Which template: named in quotes in the outermost message.
    let named = quoted_name(&parts[0]).or(rendering.map(str::to_string));
    let (path, text) = named
        .as_ref()
        .and_then(|n| templates.get(n))
        .map(|(p, t)| (p.clone(), t.as_str()))
        .unwrap_or_else(|| {
            (
                PathBuf::from(named.clone().unwrap_or_else(|| "templates".into())),
                "",
            )
        });
    let (line, col) = parse_error_location(&parts.join("\n"));
    let detail = parts.last().cloned().unwrap_or_default();
    let message = format!("template error: {}", tera_message(&detail));
    let mut hint = None;
    // Render errors name a variable: point at its first use.
    if line.is_none() {
        if let Some(var) = backticked(&detail) {
            let first_use = std::iter::once((&path, text))
                .chain(templates.values().map(|(p, t)| (p, t.as_str())))
                .find_map(|(p, t)| {
                    let l = t.lines().position(|l| l.contains(&var))?;
                    let c = t.lines().nth(l).and_then(|s| s.find(&var)).map(|c| c + 1);
                    Some((p.clone(), l + 1, c))
                });
            if let Some((p, l, c)) = first_use {
                let mut d = Diagnostic::error(Code::TemplateError, p, message);
                d.line = Some(l);
                d.col = c;
                return d.hint(format!(
                    "check the spelling of `{var}`, or guard it with {{% if {var} %}} when it may be missing; the README lists what each template receives"
                ));
            }
            hint = Some("the README lists the variables each template receives");
        }
    }
    let mut d = Diagnostic::error(Code::TemplateError, path, message);
    d.line = line;
    d.col = col;
    d.hint = hint.map(str::to_string);
    d
}

/// Parse errors carry ` --> line:col`; render errors have no location.
fn parse_error_location(full: &str) -> (Option<usize>, Option<usize>) {
    let Some(i) = full.find("--> ") else {
        return (None, None);
    };
    let mut nums = full[i + 4..]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    let line = nums.next().and_then(|n| n.parse().ok());
    let col = nums.next().and_then(|n| n.parse().ok());
    (line, col)
}

/// The innermost tera message in a line: parse errors end in `= expected …`
/// lines (joined as a syntax error); render errors are one line.
fn tera_message(detail: &str) -> String {
    let expected: Vec<&str> = detail
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('='))
        .map(|l| l.trim_start_matches('=').trim())
        .collect();
    if expected.is_empty() {
        detail
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("-->"))
            .unwrap_or("")
            .to_string()
    } else {
        format!("syntax error: {}", expected.join("; "))
    }
}

fn quoted_name(s: &str) -> Option<String> {
    for q in ['\'', '"'] {
        if let Some(i) = s.find(q) {
            if let Some(j) = s[i + 1..].find(q) {
                return Some(s[i + 1..i + 1 + j].to_string());
            }
        }
    }
    None
}

fn backticked(s: &str) -> Option<String> {
    let i = s.find('`')?;
    let j = s[i + 1..].find('`')?;
    Some(s[i + 1..i + 1 + j].to_string())
}

/// Filters themes can rely on, since tera's optional built-ins are off to
/// keep the dependency tree small.
fn register_filters(tera: &mut Tera) {
    use std::collections::HashMap;
    use tera::{Result, Value};
    tera.register_filter(
        "slugify",
        |v: &Value, _: &HashMap<String, Value>| -> Result<Value> {
            Ok(Value::String(crate::content::slug::slugify(
                v.as_str().unwrap_or_default(),
            )))
        },
    );
    tera.register_filter(
        "date_format",
        |v: &Value, args: &HashMap<String, Value>| -> Result<Value> {
            let s = v.as_str().unwrap_or_default();
            let Ok(d) = crate::date::Date::parse(s) else {
                return Ok(v.clone());
            };
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            let style = args.get("style").and_then(Value::as_str).unwrap_or("long");
            Ok(Value::String(match style {
                "iso" => d.to_string(),
                _ => format!("{} {} {}", d.day, MONTHS[d.month as usize - 1], d.year),
            }))
        },
    );
    tera.register_filter(
        "truncate_words",
        |v: &Value, args: &HashMap<String, Value>| -> Result<Value> {
            let n = args.get("count").and_then(Value::as_u64).unwrap_or(30) as usize;
            let s = v.as_str().unwrap_or_default();
            let words: Vec<&str> = s.split_whitespace().collect();
            Ok(Value::String(if words.len() > n {
                format!("{}…", words[..n].join(" "))
            } else {
                words.join(" ")
            }))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary embeds exactly the files of `themes/default/`.
    #[test]
    fn embedded_theme_lists_every_file_of_themes_default() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk, "update theme::DEFAULT_THEME");
    }

    #[test]
    fn a_site_without_a_framework_leaves_only_unreferenced_built_in_framework_templates_out() {
        let builtin = |name: &str, text: &str| {
            (
                name.to_string(),
                (
                    PathBuf::from("(built-in theme)")
                        .join("templates")
                        .join(name),
                    text.to_string(),
                ),
            )
        };
        let names = |t: &Templates| t.keys().cloned().collect::<Vec<_>>();
        let mut templates: Templates = [
            builtin("page.html", "{{ page.title }}"),
            builtin("careers/framework.html", "framework"),
            builtin("careers/framework_level.html", "level"),
            builtin("partials/role_expectations.html", "expectations"),
        ]
        .into_iter()
        .collect();
        assert_eq!(names(&without_framework(&templates)), ["page.html"]);
        // A template that names one keeps it; a site's own copy is kept.
        templates.insert(
            "page.html".into(),
            (
                PathBuf::from("templates/page.html"),
                r#"{% include "partials/role_expectations.html" %}"#.into(),
            ),
        );
        templates.insert(
            "careers/framework.html".into(),
            (
                PathBuf::from("templates/careers/framework.html"),
                "mine".into(),
            ),
        );
        assert_eq!(
            names(&without_framework(&templates)),
            [
                "careers/framework.html",
                "page.html",
                "partials/role_expectations.html"
            ]
        );
    }

    #[test]
    fn theme_css_and_js_stay_within_budget() {
        // What every page loads: 30 KB before search.js (stemmer, chunked
        // index, role filters); framework pages add their own files.
        let size = |keep: &dyn Fn(&str) -> bool| -> usize {
            DEFAULT_THEME
                .iter()
                .filter(|(p, _)| (p.ends_with(".css") || p.ends_with(".js")) && keep(p))
                .map(|(_, b)| b.len())
                .sum()
        };
        let every_page = size(&|p| {
            [
                "static/style.css",
                "static/handbook.js",
                "static/search.js",
                "static/search.css",
            ]
            .contains(&p)
        });
        assert!(every_page < 40 * 1024, "{every_page} bytes on every page");
        let all = size(&|_| true);
        assert!(all < 50 * 1024, "{all} bytes in all");
    }
}
