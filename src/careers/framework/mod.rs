//! The career framework as data: areas, competencies and what each level is
//! expected to do in each competency, per track.
//!
//! `load` reads `framework.toml` beside `site.toml` and every
//! `framework/*.toml` (one per track, by file name), and `resolve` turns
//! them into a validated `Framework` whose ids, areas, tracks and levels all
//! exist, reporting every problem at once with file and line. The queries
//! here (what a level expects, what changes from one level to the next)
//! are what the framework pages, the pay page, role pages and
//! `framework.json` are built from; nothing here renders a page or writes a
//! file (see `render::framework_pages`).

pub(crate) mod export;
mod model;
mod resolve;

use std::path::Path;

use crate::config::CareersConfig;
use crate::diagnostic::{Code, Diagnostic};
use model::SourceFile;
#[cfg(test)]
pub(crate) use model::{Area, Text};
pub(crate) use model::{ChangeKind, Competency, Framework};

/// The framework file beside `site.toml`.
pub(crate) const FRAMEWORK_FILE: &str = "framework.toml";
/// The folder of per-track framework files beside `site.toml`.
pub(crate) const FRAMEWORK_DIR: &str = "framework";

/// Site-relative URL of the framework overview, or of `rest` under it.
pub(crate) fn url(careers: &CareersConfig, rest: &str) -> String {
    format!("{}/framework/{rest}", careers.path)
}

/// `/careers/framework/TRACK/LEVEL/`.
pub(crate) fn level_url(careers: &CareersConfig, track: usize, level: usize) -> String {
    url(
        careers,
        &format!("{}/{}/", careers.tracks[track].id, careers.levels[level].id),
    )
}

/// `/careers/framework/TRACK/LEVEL-to-NEXT/` (`from` is not the top level).
pub(crate) fn step_url(careers: &CareersConfig, track: usize, from: usize) -> String {
    url(
        careers,
        &format!(
            "{}/{}-to-{}/",
            careers.tracks[track].id,
            careers.levels[from].id,
            careers.levels[from + 1].id
        ),
    )
}

/// Every framework page's URL, plus `framework.json`; empty without a
/// framework.
pub(crate) fn page_urls(careers: &CareersConfig, framework: Option<&Framework>) -> Vec<String> {
    if framework.is_none() {
        return Vec::new();
    }
    let mut urls = vec![url(careers, ""), format!("{}/framework.json", careers.path)];
    for (t, track) in careers.tracks.iter().enumerate() {
        urls.push(url(careers, &format!("{}/", track.id)));
        for l in 0..careers.levels.len() {
            urls.push(level_url(careers, t, l));
            if l + 1 < careers.levels.len() {
                urls.push(step_url(careers, t, l));
            }
        }
    }
    urls
}

/// A path under the root as users see it (like content paths).
fn shown(path: &Path) -> String {
    crate::content::clean_display(path)
        .to_string_lossy()
        .into_owned()
}

/// Whether `root` has framework files at all (`framework.toml` or a
/// `framework/` folder): what the theme needs to know before `load` runs.
pub(crate) fn has_files(root: &Path) -> bool {
    root.join(FRAMEWORK_FILE).is_file() || root.join(FRAMEWORK_DIR).is_dir()
}

/// Reads the framework files under `root` and validates them. `None` when
/// the site has no framework (or it has errors, which are in `diags`).
pub(crate) fn load(
    root: &Path,
    careers: &CareersConfig,
    base_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Framework> {
    let mut files = Vec::new();
    let main = root.join(FRAMEWORK_FILE);
    if main.is_file() {
        match crate::fs::read_to_string(&main) {
            Ok(text) => files.push(SourceFile {
                display: shown(&main),
                text,
                track: None,
            }),
            Err(e) => diags.push(Diagnostic::error(Code::Io, shown(&main), e.to_string())),
        }
    }
    let dir = root.join(FRAMEWORK_DIR);
    if dir.is_dir() {
        let mut paths: Vec<std::path::PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                .collect(),
            Err(e) => {
                diags.push(Diagnostic::error(Code::Io, shown(&dir), e.to_string()));
                Vec::new()
            }
        };
        paths.sort();
        for p in paths {
            let stem = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let display = shown(&p);
            match crate::fs::read_to_string(&p) {
                Ok(text) => files.push(SourceFile {
                    display,
                    text,
                    track: Some(stem),
                }),
                Err(e) => diags.push(Diagnostic::error(Code::Io, display, e.to_string())),
            }
        }
    }
    if files.is_empty() {
        return None;
    }
    resolve::resolve(&files, careers, base_path, diags)
}

#[cfg(test)]
mod tests;
