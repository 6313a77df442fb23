//! The link check, once every page is rendered: targets that do not exist,
//! `#fragments` that match no heading id on the target page, and math that
//! did not parse. Links were resolved while rendering (`links`); this only
//! reads the recorded results and reports, it renders nothing.

use crate::content::{LinkTarget, Site};
use crate::diagnostic::Code;

use super::links::Resolution;
use super::rendered::Rendered;
use std::sync::Arc;

/// LaTeX that does not parse on page `pi`, found while rendering (it
/// shows as red error text on the page).
fn math_warnings(
    site: &Site,
    rendered: &Rendered,
    pi: usize,
) -> Vec<crate::diagnostic::Diagnostic> {
    let page = &site.pages[pi];
    let warning = |(line, col, problem): &(usize, usize, String)| {
        crate::diagnostic::Diagnostic::warning(
            Code::MathSyntax,
            &page.display,
            format!("math does not parse: {problem}"),
        )
        .at(*line, Some(*col))
        .hint("check the LaTeX between the `$` signs; write `\\$` for a literal dollar sign")
    };
    rendered.math_problems.iter().map(warning).collect()
}

/// Checks the recorded links of every page once all pages are rendered:
/// targets that do not exist and `#fragments` that match no id. Math that
/// did not parse is reported here too (warnings), so `build`, `check` and
/// `serve` show it without another pass. Returns each page's problems.
///
/// `known` (from `serve`) holds, for pages whose rendering and link
/// targets did not change since the last check, that check's problems:
/// those pages are not checked again.
pub(crate) fn check(
    site: &Site,
    rendered: &[Arc<Rendered>],
    renumbered: bool,
    known: Option<&[Option<Vec<crate::diagnostic::Diagnostic>>]>,
) -> Vec<Vec<crate::diagnostic::Diagnostic>> {
    use rayon::prelude::*;
    let resolver = super::links::Resolver::new(site);
    (0..site.pages.len())
        .into_par_iter()
        .map(|pi| {
            if let Some(Some(problems)) = known.and_then(|k| k.get(pi)) {
                return problems.clone();
            }
            let mut out = math_warnings(site, &rendered[pi], pi);
            out.extend(check_page(site, rendered, &resolver, pi, renumbered));
            out
        })
        .collect()
}

/// The problems with page `pi`'s links. With `renumbered`, the pages were
/// numbered afresh since some pages were rendered (`serve` keeps their
/// rendering): a recorded target that no longer has the URL the link was
/// written with is looked up again.
fn check_page(
    site: &Site,
    rendered: &[Arc<Rendered>],
    resolver: &super::links::Resolver,
    pi: usize,
    renumbered: bool,
) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::config::LinkPolicy;
    use crate::diagnostic::{Diagnostic, Severity};
    let severity = match site.config.links.internal {
        LinkPolicy::Error => Severity::Error,
        LinkPolicy::Warn => Severity::Warning,
    };
    let page = &site.pages[pi];
    let make = |code, msg| Diagnostic::new(severity, code, &page.display, msg);
    let mut out = Vec::new();
    for link in &rendered[pi].links {
        let what = if link.is_image { "image" } else { "link" };
        match &link.resolution {
            Resolution::Broken { code, reason, hint } => {
                let (code, reason) = match (link.is_image, *code) {
                    (true, Code::BrokenLink) => {
                        (Code::MissingImage, reason.replacen("link", "image", 1))
                    }
                    (true, code) => (code, reason.replacen("link", "image", 1)),
                    (false, code) => (code, reason.clone()),
                };
                let mut d = make(code, reason).at(link.line, Some(link.col));
                d.hint = hint.clone();
                out.push(d);
            }
            Resolution::Unsafe => out.push(
                Diagnostic::warning(
                    Code::ScriptUrl,
                    &page.display,
                    format!("{what} `{}` uses a script URL and was removed", link.dest),
                )
                .at(link.line, Some(link.col)),
            ),
            Resolution::Internal {
                href,
                target: Some(recorded),
                fragment: Some(fragment),
            } => {
                let me = site.link_target_of(pi);
                let target = if !renumbered || still_there(site, resolver, *recorded, me, href) {
                    *recorded
                } else if let Some(t) = by_href(site, resolver, href) {
                    t
                } else {
                    match resolver.resolve(&page.source, Some(me), &link.dest) {
                        Resolution::Internal {
                            target: Some(t), ..
                        } => t,
                        _ => continue,
                    }
                };
                let Some((message, hint)) = fragment_problem(site, rendered, target, fragment)
                else {
                    continue;
                };
                let message = format!("{what} `{}`: {message}", link.dest);
                out.push(
                    make(Code::MissingFragment, message)
                        .at(link.line, Some(link.col))
                        .hint(hint),
                );
            }
            _ => {}
        }
    }
    out
}

/// Whether `target` is still what a link with `href` points at: the page,
/// section or asset with that id has the URL in `href` (before any `?` or
/// `#`), or, for a same-page `#fragment`, is the page itself.
fn still_there(
    site: &Site,
    resolver: &super::links::Resolver,
    target: LinkTarget,
    me: LinkTarget,
    href: &str,
) -> bool {
    let path = href.split(['#', '?']).next().unwrap_or_default();
    if path.is_empty() {
        return target == me;
    }
    let exists = match target {
        LinkTarget::Page(p) => p < site.pages.len(),
        LinkTarget::Section(s) => s < site.sections.len(),
        LinkTarget::Asset(a) => a < site.assets.len(),
    };
    exists
        && path
            .strip_prefix(resolver.base_path)
            .is_some_and(|rest| crate::content::slug::encodes_to(site.target_url(target), rest))
}

/// The target whose URL `href` was written with, looked up by URL.
fn by_href(site: &Site, resolver: &super::links::Resolver, href: &str) -> Option<LinkTarget> {
    let path = href.split(['#', '?']).next().unwrap_or_default();
    let rest = path
        .strip_prefix(resolver.base_path)
        .filter(|r| !r.is_empty())?;
    let url = crate::content::slug::decode_percent(rest);
    site.index.urls.get(&url).copied()
}

/// A `#fragment` that matches no id on the page it points at: what to say
/// (after "link `dest`: ") and the hint. `None` when it matches, or the
/// target has no ids to match (an asset, a section without an index page).
fn fragment_problem(
    site: &Site,
    rendered: &[Arc<Rendered>],
    target: LinkTarget,
    fragment: &str,
) -> Option<(String, String)> {
    let index = |s: usize| site.sections[s].index_page;
    let page = match target {
        LinkTarget::Page(p) => Some(p),
        LinkTarget::Section(s) => index(s),
        LinkTarget::Asset(_) => None,
    }?;
    let ids = &rendered[page].ids;
    // GitHub's page script retries a missing fragment in lower
    // case (`#FAQ` finds `## FAQ`), and so does handbook.js.
    let found = ids.contains(fragment) || ids.contains(fragment.to_lowercase().as_str());
    if found || fragment.is_empty() || fragment == "top" {
        return None;
    }
    let target_name = &site.pages[page].source;
    let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
    known.sort();
    let hint = match crate::diagnostic::closest(fragment, known.iter().copied()) {
        Some(c) => format!("did you mean `#{c}`? heading ids follow GitHub's rules"),
        None => {
            "heading ids follow GitHub's rules: lower-case, punctuation dropped, spaces become -"
                .into()
        }
    };
    Some((
        format!("no heading or id `#{fragment}` in {target_name}"),
        hint,
    ))
}
