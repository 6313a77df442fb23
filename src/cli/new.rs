//! `handbook new role|page`: write one new content file with complete,
//! commented front matter at its conventional path.
//!
//! Roles go to `content/roles/TRACK/SLUG.md`, after checking the track and
//! level against `site.toml` (a typo gets a "did you mean" hint, and nothing
//! is written). A new role starts as a draft with a zero salary band to fill
//! in: a role must never be published with pay nobody chose. Pages go
//! wherever the given path says under the content folder. Never overwrites.

use std::path::{Component, Path, PathBuf};

use super::exit::Exit;
use crate::config::{self, Config, Overrides};
use crate::content::{self, slug::slugify};
use crate::date::Date;
use crate::diagnostic::{self, print_diagnostics, Code, Diagnostic};

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) what: What,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub(crate) enum What {
    /// A role: content/roles/TRACK/SLUG.md, as a draft to fill in.
    Role {
        /// The role's title, e.g. "Senior Designer".
        title: String,
        /// Track id from [careers] in site.toml.
        #[arg(long)]
        track: String,
        /// Level id from [careers] in site.toml.
        #[arg(long)]
        level: String,
        /// Site root: where site.toml lives.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A page at PATH under the content folder, e.g. culture/remote-working.
    Page {
        /// Path without .md, relative to the content folder.
        path: String,
        /// Page title (default: from the file name).
        #[arg(long)]
        title: Option<String>,
        /// Site root: where site.toml (optional) lives.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

pub(crate) fn run(args: Args) -> Exit {
    match args.what {
        What::Role {
            title,
            track,
            level,
            root,
        } => {
            let Some(config) = load_config(&root) else {
                return Exit::Failure;
            };
            // The commented opening example: opens today, closes in six weeks.
            let days = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64 / 86_400);
            let dates = (Date::from_days(days), Date::from_days(days + 42));
            let text = match role_file(&config, &title, &track, &level, dates) {
                Ok(t) => t,
                Err(d) => return fail(&d),
            };
            let file = config
                .content_path()
                .join("roles")
                .join(&track)
                .join(format!("{}.md", slugify(&title)));
            write_new(&file, &text, "a draft: fill in the salary band and text, then remove `draft = true`; preview with `handbook build --drafts`")
        }
        What::Page { path, title, root } => {
            let Some(config) = load_config(&root) else {
                return Exit::Failure;
            };
            let Some(rel) = page_path(&path) else {
                return fail(
                    &Diagnostic::error(
                        Code::InvalidArgument,
                        "",
                        format!("`{path}` is not a path inside the content folder"),
                    )
                    .hint("write it relative to the content folder, e.g. culture/remote-working"),
                );
            };
            let title = title.unwrap_or_else(|| {
                let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned());
                content::humanize(stem.as_deref().unwrap_or("page"))
            });
            let file = config.content_path().join(&rel);
            write_new(&file, &page_file(&title), "")
        }
    }
}

fn load_config(root: &Path) -> Option<Config> {
    match config::load(root, &Overrides::default()) {
        Ok(c) => Some(c),
        Err(diags) => {
            print_diagnostics(&diags, usize::MAX);
            None
        }
    }
}

/// Prints `d` the way every command prints problems; nothing was written.
fn fail(d: &Diagnostic) -> Exit {
    print_diagnostics(std::slice::from_ref(d), usize::MAX);
    Exit::Failure
}

fn write_new(file: &Path, text: &str, note: &str) -> Exit {
    let shown = content::clean_display(file);
    if file.exists() {
        return fail(
            &Diagnostic::error(Code::FileExists, &shown, "this file already exists")
                .hint("choose another title or path; `handbook new` never overwrites"),
        );
    }
    if let Err(e) = crate::fs::write(file, text.as_bytes()) {
        return fail(&Diagnostic::error(Code::Io, &shown, e.source.to_string()));
    }
    if note.is_empty() {
        println!("Created {}", shown.display());
    } else {
        println!("Created {} ({note})", shown.display());
    }
    Exit::Success
}

/// `culture/remote-working` → `culture/remote-working.md`; None for paths
/// that are empty, absolute or climb out with `..`.
fn page_path(path: &str) -> Option<PathBuf> {
    let trimmed = path.trim().trim_end_matches('/');
    let p = Path::new(trimmed);
    if trimmed.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let with_ext = if trimmed.ends_with(".md") {
        trimmed.to_string()
    } else {
        format!("{trimmed}.md")
    };
    Some(PathBuf::from(with_ext))
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The track and level a new role names, or a diagnostic with the ones
/// `site.toml` defines.
fn find_track_and_level<'a>(
    config: &'a Config,
    track: &str,
    level: &str,
) -> Result<(&'a config::Track, &'a config::Level), Diagnostic> {
    let careers = &config.careers;
    let unknown = |what: &str, value: &str, ids: Vec<&str>| {
        let hint = if ids.is_empty() {
            format!("define it under [careers] in site.toml: [[careers.{what}s]] id = \"{value}\"")
        } else {
            diagnostic::suggest(value, &format!("{what}s"), &ids)
        };
        Diagnostic::error(
            Code::InvalidArgument,
            "",
            format!("{what} \"{value}\" is not defined in site.toml"),
        )
        .hint(hint)
    };
    let track_def = careers
        .tracks
        .iter()
        .find(|t| t.id == track)
        .ok_or_else(|| {
            unknown(
                "track",
                track,
                careers.tracks.iter().map(|t| t.id.as_str()).collect(),
            )
        })?;
    let level_def = careers
        .levels
        .iter()
        .find(|l| l.id == level)
        .ok_or_else(|| {
            unknown(
                "level",
                level,
                careers.levels.iter().map(|l| l.id.as_str()).collect(),
            )
        })?;
    Ok((track_def, level_def))
}

/// The commented salary line of a new role: the band to fill in, with the
/// currency `site.toml` sets by default, if any.
fn salary_line(default_currency: Option<&str>) -> String {
    let lines: &[&str] = match default_currency {
        Some(_) => &[
            "# currency = \"…\" (ISO 4217) or period = \"month\" (week, day, hour)",
            "# to the table to change them.",
            "salary = { min = 0, max = 0 }",
        ],
        None => &[
            "# The band: currency is an ISO 4217 code; period is year, month,",
            "# week, day or hour.",
            "salary = { min = 0, max = 0, currency = \"USD\", period = \"year\" }",
        ],
    };
    let first = default_currency
        .map(|c| format!("# The band per year, in {c} ([careers] default_currency). Add\n"));
    format!("{}{}", first.unwrap_or_default(), lines.join("\n"))
}

/// The text of a new role file, or a diagnostic for an unknown track or
/// level.
fn role_file(
    config: &Config,
    title: &str,
    track: &str,
    level: &str,
    (opens, closes): (Date, Date),
) -> Result<String, Diagnostic> {
    let (track_def, level_def) = find_track_and_level(config, track, level)?;
    let careers = &config.careers;
    let tracks: Vec<&str> = careers.tracks.iter().map(|t| t.id.as_str()).collect();
    let levels: Vec<&str> = careers.levels.iter().map(|l| l.id.as_str()).collect();
    let salary = salary_line(careers.default_currency.as_deref());
    let description = format!(
        "A {} role in {}.",
        level_def.name.to_lowercase(),
        track_def.name
    );
    Ok(format!(
        r#"+++
# The role's name, as candidates would search for it.
title = {title}
# One sentence for search results and the roles list.
description = {description}
# A draft is left out of the site. Remove this line once the salary band
# and the text below are final; until then preview it with
# `handbook build --drafts` or `handbook check --drafts`.
draft = true

[role]
# Tracks in site.toml: {tracks}.
track = "{track}"
# Levels in site.toml, lowest first: {levels}.
level = "{level}"
# Other titles people use for this role, for search:
# also_known_as = ["…"]
# reports_to = "…"
{salary}

# An open position: uncomment to list the role under open roles, with
# JobPosting data for search engines. country and apply_url default to
# the [careers] values in site.toml.
# [role.opening]
# opens = {opens}
# closes = {closes}
# locations = ["…"]
# workplace = "hybrid"          # onsite, hybrid or remote
# employment_type = "full-time" # full-time, part-time, contract, temporary, intern
# country = "…"                 # ISO 3166-1 alpha-2, e.g. GB, DE, US
# apply_url = "https://…"
+++

## About the role

What this role is for, the team it works in and why it matters now.

## What you will do

- The work that fills most weeks.
- Who you work with, and on what.

## What we look for

- The experience and skills that matter for this level.

## Salary and applying

The band above is the whole range for this role. Say here how to apply
and what the process looks like.
"#,
        title = quoted(title),
        description = quoted(&description),
        tracks = tracks.join(", "),
        levels = levels.join(", "),
    ))
}

fn page_file(title: &str) -> String {
    format!(
        r#"+++
title = {title}
# One sentence for search results and the section's list of pages:
# description = "…"
# Order within the section, lower first (then by title):
# weight = 10
# Leave the page out of the site until this line is removed:
# draft = true
+++

Write the page here in markdown. Link other pages by their file, as on
GitHub: `[Our values](values.md)`, `[Benefits](../culture/benefits.md#leave)`.
"#,
        title = quoted(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let mut c = Config::default_for(Path::new("."));
        c.careers.tracks = vec![config::Track {
            id: "design".into(),
            name: "Design".into(),
            description: None,
        }];
        c.careers.levels = vec![config::Level {
            id: "senior".into(),
            name: "Senior".into(),
            description: None,
        }];
        c
    }

    #[test]
    fn role_file_front_matter_parses_as_a_role() {
        let text = role_file(
            &config(),
            "Senior \"UX\" Designer",
            "design",
            "senior",
            (Date::from_days(0), Date::from_days(42)),
        )
        .unwrap();
        let split = content::frontmatter::split(&text, Path::new("r.md")).unwrap();
        let (fm, warnings) = content::frontmatter::parse(&split, Path::new("r.md")).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(fm.title.as_deref(), Some("Senior \"UX\" Designer"));
        assert_eq!(fm.draft, Some(true));
        let role = fm.role.unwrap();
        assert_eq!(role.track.as_deref(), Some("design"));
        assert_eq!(role.salary.unwrap().currency.as_deref(), Some("USD"));
    }

    #[test]
    fn unknown_level_is_rejected_with_a_suggestion() {
        let d = role_file(
            &config(),
            "X",
            "design",
            "senoir",
            (Date::from_days(0), Date::from_days(42)),
        )
        .unwrap_err();
        assert_eq!(d.message, "level \"senoir\" is not defined in site.toml");
        assert_eq!(d.code, Code::InvalidArgument);
        let hint = d.hint.unwrap_or_default();
        assert!(hint.starts_with("did you mean \"senior\"?"), "{hint}");
    }

    #[test]
    fn page_paths_stay_inside_the_content_folder() {
        assert_eq!(
            page_path("culture/remote-working"),
            Some(PathBuf::from("culture/remote-working.md"))
        );
        assert_eq!(page_path("a/b.md"), Some(PathBuf::from("a/b.md")));
        assert_eq!(page_path("../x"), None);
        assert_eq!(page_path("/etc/x"), None);
        assert_eq!(page_path(""), None);
    }
}
