//! The stable kind of every diagnostic: a short kebab-case name such as
//! `broken-link` that `check --format json` emits, so tools and bots can
//! filter findings without matching message text (which may be reworded).
//!
//! Names are part of the interface: never rename or reuse one. A new kind of
//! problem gets a new name here, a line in `docs/diagnostics.md` and, for
//! the text report of `check`, a summary label. This module does not decide
//! severity; the same kind can be a warning or an error (broken links follow
//! `[links] internal`).

use serde::Serialize;

/// Declares the codes with their kebab-case name and `check`'s summary label
/// in one table, so the three cannot drift apart.
macro_rules! codes {
    ($($variant:ident => $name:literal, $label:literal;)*) => {
        /// What kind of problem a [`super::Diagnostic`] is about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $label] $variant,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            #[cfg(test)]
            pub(crate) const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name, as emitted in JSON.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What `check` calls this kind of finding in its summary.
            pub(crate) fn label(self) -> &'static str {
                match self {
                    $(Code::$variant => $label,)*
                }
            }
        }
    };
}

codes! {
    // site.toml, themes and templates
    ConfigSyntax => "config-syntax", "site.toml is not valid TOML";
    UnknownKey => "unknown-key", "unknown key";
    InvalidConfig => "invalid-config", "invalid site.toml value";
    InvalidPattern => "invalid-pattern", "invalid pattern in site.toml";
    ThemeNotFound => "theme-not-found", "theme not found";
    TemplateError => "template-error", "template error";
    TemplateNotFound => "template-not-found", "missing template";
    FontError => "font-error", "unreadable font";
    // files and folders
    ContentMissing => "content-missing", "content folder missing";
    OutputFolder => "output-folder", "unusable output folder";
    Io => "io", "file could not be read or written";
    BinaryFile => "binary-file", "binary file named .md";
    NotUtf8 => "not-utf8", "file is not UTF-8";
    Symlink => "symlink", "unusable symbolic link";
    // front matter and pages
    FrontMatterUnclosed => "front-matter-unclosed", "front matter never closed";
    FrontMatterSyntax => "front-matter-syntax", "invalid front matter";
    InvalidDate => "invalid-date", "invalid date";
    TemplateTag => "template-tag", "template tag shown as text";
    DuplicateIndex => "duplicate-index", "two files for one URL";
    DuplicateUrl => "duplicate-url", "two files for one URL";
    MovedPage => "moved-page", "page published at its file name";
    ReservedUrl => "reserved-url", "URL taken by a careers page";
    InvalidAlias => "invalid-alias", "redirect (alias) clash";
    AliasClash => "alias-clash", "redirect (alias) clash";
    // links and markdown
    BrokenLink => "broken-link", "link to a missing page or file";
    MissingImage => "missing-image", "missing image";
    LinkOutsideContent => "link-outside-content", "link outside the content folder";
    MissingFragment => "missing-fragment", "link to a missing heading";
    ScriptUrl => "script-url", "script URL removed";
    MathSyntax => "math-syntax", "math that does not parse";
    ExternalLink => "external-link", "external link";
    // careers and the framework
    InvalidRole => "invalid-role", "invalid role";
    PlaceholderSalary => "placeholder-salary", "placeholder salary band";
    OpeningClosed => "opening-closed", "opening past its closing date";
    GenderedTitle => "gendered-title", "gendered job title";
    MissingOrganization => "missing-organization", "no organisation name";
    FrameworkSyntax => "framework-syntax", "framework file is not valid TOML";
    InvalidFramework => "invalid-framework", "invalid career framework";
    FrameworkGap => "framework-gap", "career framework gap";
    // social cards
    CardTemplate => "card-template", "invalid card template";
    CardText => "card-text", "social card text cut short";
    CardLogo => "card-logo", "social card without a logo";
    // commands that write files (`new`, `init`)
    InvalidArgument => "invalid-argument", "invalid command-line value";
    FileExists => "file-exists", "file already exists";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let name = code.name();
            assert!(seen.insert(name), "{name} is used twice");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name} is not kebab-case"
            );
        }
    }

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../../docs/diagnostics.md");
        for code in Code::ALL {
            assert!(
                doc.contains(&format!("| `{}` |", code.name())),
                "docs/diagnostics.md has no row for `{}`",
                code.name()
            );
        }
    }
}
