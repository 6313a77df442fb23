//! `handbook init [DIR]`: a ready-to-publish handbook from templates, or
//! with `--existing`, only `site.toml` and the GitHub Pages workflow for a
//! repository that already holds markdown.
//!
//! The templates live in `init_files/` and are embedded in the binary, so
//! `init` works wherever the binary was copied. It never overwrites: every
//! target is checked first, and if any exists nothing at all is written, so
//! running it twice, or in the wrong folder, is harmless. It does not build
//! or validate the result; `check` does that.

use std::path::{Path, PathBuf};

use super::exit::Exit;
use crate::content;
use crate::diagnostic::print_diagnostics;
use crate::diagnostic::{Code, Diagnostic};

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct Args {
    /// Folder to create the handbook in; created if missing.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Add only site.toml and the Pages workflow to a repository that
    /// already holds markdown (its markdown stays where it is).
    #[arg(long)]
    pub(crate) existing: bool,
    /// The organisation's name (published in JobPosting data).
    #[arg(long)]
    pub(crate) organization: Option<String>,
    /// Default country of openings, ISO 3166-1 alpha-2 (e.g. GB).
    #[arg(long)]
    pub(crate) country: Option<String>,
    /// Default currency of salary bands, ISO 4217 (e.g. GBP).
    #[arg(long)]
    pub(crate) currency: Option<String>,
}

/// What `init` knows about the employer: given as flags or answered at
/// the prompt, never guessed (they are published in JobPosting data).
#[derive(Debug, Default, Clone)]
pub(crate) struct Employer {
    pub(crate) organization: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) currency: Option<String>,
}

impl Employer {
    /// From the flags, asking for what is missing when a person is at the
    /// terminal. An invalid code is a diagnostic.
    fn gather(args: &Args) -> Result<Employer, Diagnostic> {
        use std::io::IsTerminal;
        let interactive = std::io::stdin().is_terminal() && !args.existing;
        let ask = |given: &Option<String>, question: &str| -> Option<String> {
            if given.is_some() || !interactive {
                return given.clone().filter(|v| !v.trim().is_empty());
            }
            eprint!("{question} (Enter to leave unset): ");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).ok()?;
            Some(line.trim().to_string()).filter(|v| !v.is_empty())
        };
        let employer = Employer {
            organization: ask(&args.organization, "Organisation name, as in job adverts"),
            country: ask(
                &args.country,
                "Country of most openings (ISO code, e.g. GB)",
            )
            .map(|c| c.to_ascii_uppercase()),
            currency: ask(&args.currency, "Salary currency (ISO code, e.g. GBP)")
                .map(|c| c.to_ascii_uppercase()),
        };
        if let Some(c) = employer.country.as_deref() {
            if !crate::careers::codes::COUNTRIES.contains(&c) {
                return Err(Diagnostic::error(
                    Code::InvalidArgument,
                    "",
                    format!("country \"{c}\" is not an ISO 3166-1 alpha-2 code"),
                )
                .hint("use a code such as GB, IE, DE or US"));
            }
        }
        if let Some(c) = employer.currency.as_deref() {
            if !crate::careers::codes::CURRENCIES.contains(&c) {
                return Err(Diagnostic::error(
                    Code::InvalidArgument,
                    "",
                    format!("currency \"{c}\" is not an ISO 4217 code"),
                )
                .hint("use a code such as GBP, EUR or USD"));
            }
        }
        Ok(employer)
    }

    /// The `site.toml` lines for each value: set, or commented out.
    fn fill(&self, template: &str) -> String {
        let line = |value: &Option<String>, key: &str, example: &str| match value {
            Some(v) => format!("{key} = {}", toml_string(v)),
            None => format!("# {key} = \"{example}\"    # not set yet"),
        };
        template
            .replace(
                "__ORGANIZATION__",
                &line(&self.organization, "name", "Your organisation"),
            )
            .replace(
                "__CURRENCY__",
                &line(&self.currency, "default_currency", "GBP"),
            )
            .replace("__COUNTRY__", &line(&self.country, "country", "GB"))
    }

    /// The next-step line for values left unset.
    fn print_note(&self) {
        let missing = self.missing();
        if !missing.is_empty() {
            println!(
                "  set {} in site.toml (left unset rather than guessed: they are published in job adverts; `handbook check` lists what needs them)",
                missing.join(", ")
            );
        }
    }

    fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.organization.is_none() {
            out.push("[organization] name");
        }
        if self.currency.is_none() {
            out.push("careers.default_currency");
        }
        if self.country.is_none() {
            out.push("careers.country");
        }
        out
    }
}

/// Where the GitHub Pages workflow installs handbook from when the package
/// names no repository. Users replace OWNER; `docs/publishing.md` says so.
const FALLBACK_GIT: &str = "https://github.com/OWNER/handbook";

const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";
const WORKFLOW: &str = include_str!("init_files/pages.yml");
const SITE_TOML: &str = include_str!("init_files/site.toml");
const SITE_TOML_EXISTING: &str = include_str!("init_files/site-existing.toml");

/// The example handbook: (path under DIR, template).
const EXAMPLE: &[(&str, &str)] = &[
    (".gitignore", include_str!("init_files/gitignore")),
    (
        "content/_index.md",
        include_str!("init_files/content/_index.md"),
    ),
    (
        "content/culture/_index.md",
        include_str!("init_files/content/culture/_index.md"),
    ),
    (
        "content/culture/values.md",
        include_str!("init_files/content/culture/values.md"),
    ),
    (
        "content/culture/how-we-work.md",
        include_str!("init_files/content/culture/how-we-work.md"),
    ),
    (
        "content/roles/_index.md",
        include_str!("init_files/content/roles/_index.md"),
    ),
    (
        "content/roles/engineering/software-engineer.md",
        include_str!("init_files/content/roles/engineering/software-engineer.md"),
    ),
    (
        "content/roles/engineering/senior-software-engineer.md",
        include_str!("init_files/content/roles/engineering/senior-software-engineer.md"),
    ),
    (
        "content/roles/design/product-designer.md",
        include_str!("init_files/content/roles/design/product-designer.md"),
    ),
];

pub(crate) fn run(args: Args) -> Exit {
    let dir = &args.dir;
    if args.existing && !holds_markdown(dir) {
        let d = Diagnostic::error(
            Code::InvalidArgument,
            shown(dir),
            "no markdown files in this folder",
        )
        .hint(format!(
            "`handbook init --existing` is for a repository that already has .md files; run `handbook init {}` to start from examples",
            shown(dir).display()
        ));
        print_diagnostics(&[d], usize::MAX);
        return Exit::Failure;
    }
    let title = match args.existing {
        true => readme_title(dir).unwrap_or_else(|| title_from_dir(dir)),
        false => title_from_dir(dir),
    };
    let employer = Employer::gather(&args);
    let Ok(employer) =
        employer.inspect_err(|d| print_diagnostics(std::slice::from_ref(d), usize::MAX))
    else {
        return Exit::Usage;
    };
    let files = plan(args.existing, &title, &employer);

    let taken: Vec<PathBuf> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .collect();
    if !taken.is_empty() {
        refuse_to_overwrite(&taken, args.existing);
        return Exit::Failure;
    }

    for (rel, text) in &files {
        if let Err(e) = crate::fs::write(&dir.join(rel), text.as_bytes()) {
            let d = Diagnostic::error(Code::Io, shown(&dir.join(rel)), e.source.to_string());
            print_diagnostics(&[d], usize::MAX);
            return Exit::Failure;
        }
    }
    println!(
        "Created {} in {}:",
        if args.existing {
            "the site configuration and Pages workflow"
        } else {
            "a handbook"
        },
        shown(dir).display()
    );
    for (rel, _) in &files {
        println!("  {rel}");
    }
    let cd = if shown(dir) == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", shown(dir).display())
    };
    println!("\nNext steps:");
    println!("  {cd}handbook check && handbook build    # validate, then build into public/");
    if args.existing {
        println!("  add public/ to .gitignore");
    }
    if workflow_git().contains("OWNER") {
        println!("  edit {WORKFLOW_PATH}: set HANDBOOK_REPO to where handbook is hosted");
    }
    if !args.existing {
        employer.print_note();
    }
    println!("  push to GitHub, then Settings → Pages → Source: \"GitHub Actions\"");
    println!("  (docs/publishing.md in the handbook repository walks through it)");
    Exit::Success
}

/// Names every file `init` would overwrite, and how to get out of the way.
fn refuse_to_overwrite(taken: &[PathBuf], existing: bool) {
    let diags: Vec<Diagnostic> = taken
        .iter()
        .map(|p| Diagnostic::error(Code::FileExists, shown(p), "this file already exists"))
        .collect();
    print_diagnostics(&diags, usize::MAX);
    eprintln!(
        "Nothing was written. `handbook init` never overwrites; move {} away or run it in an empty folder{}.",
        if taken.len() == 1 { "it" } else { "them" },
        if existing || taken.iter().any(|p| p.ends_with("site.toml") || p.ends_with(WORKFLOW_PATH)) {
            ""
        } else {
            " (or use --existing to add only site.toml and the workflow)"
        }
    );
}

/// Every file `init` would write, with its final text.
fn plan(existing: bool, title: &str, employer: &Employer) -> Vec<(String, String)> {
    let fill = |t: &str| {
        employer
            .fill(t)
            .replace("\"__TITLE__\"", &toml_string(title))
            .replace("__HANDBOOK_GIT__", &workflow_git())
            .replace("__HANDBOOK_VERSION__", env!("CARGO_PKG_VERSION"))
    };
    let mut files = vec![
        (
            "site.toml".to_string(),
            fill(if existing {
                SITE_TOML_EXISTING
            } else {
                SITE_TOML
            }),
        ),
        (WORKFLOW_PATH.to_string(), fill(WORKFLOW)),
    ];
    if !existing {
        files.extend(EXAMPLE.iter().map(|(rel, t)| (rel.to_string(), fill(t))));
    }
    files
}

fn workflow_git() -> String {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => FALLBACK_GIT.to_string(),
        repo => repo.to_string(),
    }
}

/// A TOML basic string, quotes included, for titles with quotes or backslashes.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// "acme-careers" → "Acme careers handbook"; the current folder's own name for `.`.
fn title_from_dir(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    if name.is_empty() {
        return "Handbook".into();
    }
    let title = content::humanize(&name);
    if title.to_lowercase().contains("handbook") {
        title
    } else {
        format!("{title} handbook")
    }
}

/// The first `#` heading of the root README, the way GitHub shows it.
fn readme_title(dir: &Path) -> Option<String> {
    ["README.md", "readme.md", "Readme.md"]
        .iter()
        .find_map(|name| crate::fs::read_to_string(&dir.join(name)).ok())
        .and_then(|text| {
            let body = content::frontmatter::split(&text, Path::new("README.md"))
                .ok()?
                .body;
            content::first_heading(body).map(|(_, title)| title)
        })
}

/// Whether `dir` has a markdown file, outside folders that are never content.
fn holds_markdown(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .max_depth(4)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "node_modules" || name == "target")
        })
        .flatten()
        .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

fn shown(p: &Path) -> PathBuf {
    match content::clean_display(p) {
        p if p.as_os_str().is_empty() => PathBuf::from("."),
        p => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_with_quotes_stay_valid_toml() {
        let files = plan(false, "Acme \"Jobs\" \\ Co", &Employer::default());
        let site: toml::Table = toml::from_str(&files[0].1).unwrap();
        assert_eq!(site["title"].as_str(), Some("Acme \"Jobs\" \\ Co"));
        let index = &files
            .iter()
            .find(|(r, _)| r == "content/_index.md")
            .unwrap()
            .1;
        let split = content::frontmatter::split(index, Path::new("_index.md")).unwrap();
        let (fm, _) = content::frontmatter::parse(&split, Path::new("_index.md")).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Acme \"Jobs\" \\ Co"));
    }

    #[test]
    fn no_placeholder_is_left_in_any_template() {
        for existing in [false, true] {
            for (rel, text) in plan(existing, "T", &Employer::default()) {
                assert!(!text.contains("__"), "{rel} keeps a placeholder");
            }
        }
    }

    #[test]
    fn existing_writes_only_config_and_workflow() {
        let files: Vec<String> = plan(true, "T", &Employer::default())
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert_eq!(files, ["site.toml", WORKFLOW_PATH]);
        let site: toml::Table =
            toml::from_str(&plan(true, "T", &Employer::default())[0].1).unwrap();
        assert!(!site.contains_key("content_dir"));
    }
}
