//! The link check, once every page is rendered: targets that do not exist,
//! `#fragments` that match no heading id on the target page, and math that
//! did not parse. Links were resolved while rendering (`links`); this only
//! reads the recorded results and reports, it renders nothing.

use crate::content::{LinkTarget, Site};

use super::links::Resolution;
use super::rendered::Rendered;

/// LaTeX that does not parse, found while rendering (it shows as red error
/// text on the page).
fn math_warnings(site: &Site, rendered: &[Rendered]) -> Vec<crate::diagnostic::Diagnostic> {
    let mut out = Vec::new();
    for (page, rendered) in site.pages.iter().zip(rendered) {
        for (line, col, problem) in &rendered.math_problems {
            out.push(
                crate::diagnostic::Diagnostic::warning(
                    &page.display,
                    format!("math does not parse: {problem}"),
                )
                .at(*line, Some(*col))
                .hint(
                    "check the LaTeX between the `$` signs; write `\\$` for a literal dollar sign",
                ),
            );
        }
    }
    out
}

/// Checks every recorded link of every page once all pages are rendered:
/// targets that do not exist and `#fragments` that match no id. Math that
/// did not parse is reported here too (warnings), so `build`, `check` and
/// `serve` show it without another pass.
pub fn check(site: &Site, rendered: &[Rendered]) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::config::LinkPolicy;
    use crate::diagnostic::Diagnostic;
    let make = |path: &std::path::Path, msg: String| match site.config.links.internal {
        LinkPolicy::Error => Diagnostic::error(path, msg),
        LinkPolicy::Warn => Diagnostic::warning(path, msg),
    };
    let mut out = math_warnings(site, rendered);
    for (page, page_rendered) in site.pages.iter().zip(rendered) {
        for link in &page_rendered.links {
            let what = if link.is_image { "image" } else { "link" };
            match &link.resolution {
                Resolution::Broken { reason, hint } => {
                    let reason = if link.is_image {
                        reason.replacen("link", "image", 1)
                    } else {
                        reason.clone()
                    };
                    let mut d = make(&page.display, reason).at(link.line, Some(link.col));
                    d.hint = hint.clone();
                    out.push(d);
                }
                Resolution::Unsafe => out.push(
                    Diagnostic::warning(
                        &page.display,
                        format!("{what} `{}` uses a script URL and was removed", link.dest),
                    )
                    .at(link.line, Some(link.col)),
                ),
                Resolution::Internal {
                    target: Some(target),
                    fragment: Some(fragment),
                    ..
                } => {
                    let ids = match *target {
                        LinkTarget::Page(p) => Some(&rendered[p].ids),
                        LinkTarget::Section(s) => {
                            site.sections[s].index_page.map(|p| &rendered[p].ids)
                        }
                        LinkTarget::Asset(_) => None,
                    };
                    let Some(ids) = ids else { continue };
                    // GitHub's page script retries a missing fragment in lower
                    // case (`#FAQ` finds `## FAQ`), and so does handbook.js.
                    let found = ids.contains(fragment.as_str())
                        || ids.contains(fragment.to_lowercase().as_str());
                    if !found && !fragment.is_empty() && fragment != "top" {
                        let target_name = match *target {
                            LinkTarget::Page(p) => site.pages[p].source.clone(),
                            LinkTarget::Section(s) => site.sections[s]
                                .index_page
                                .map(|p| site.pages[p].source.clone())
                                .unwrap_or_default(),
                            LinkTarget::Asset(_) => String::new(),
                        };
                        let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
                        known.sort();
                        let hint = match crate::diagnostic::closest(fragment, known.iter().copied()) {
                            Some(c) => format!("did you mean `#{c}`? heading ids follow GitHub's rules"),
                            None => "heading ids follow GitHub's rules: lower-case, punctuation dropped, spaces become -".into(),
                        };
                        out.push(
                            make(
                                &page.display,
                                format!(
                                    "{what} `{}`: no heading or id `#{fragment}` in {target_name}",
                                    link.dest
                                ),
                            )
                            .at(link.line, Some(link.col))
                            .hint(hint),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    out
}
