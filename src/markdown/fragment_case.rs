//! Fragments that differ from a heading id only in letter case.
//!
//! GitHub's page script forgives `#Sources-of-escalations` for a heading
//! whose id is `sources-of-escalations`; browsers do not. Once every page is
//! rendered (ids are known), each link whose fragment matches no id exactly
//! but one case-insensitively has its `href` in the page's HTML rewritten to
//! the exact id, and its recorded fragment with it, so the link works in a
//! browser and the checker has nothing to report. It does not touch links
//! whose fragment matches nothing (those are reported by `links::check`) and
//! does no IO.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::links::Resolution;
use super::{escape_attr, Rendered};
use crate::content::slug::decode_percent;
use crate::content::{LinkTarget, Site};

/// Fixes the case of fragments on every page (`rendered[i]` is page `i`'s).
pub(crate) fn fix_all(site: &Site, rendered: &mut [Arc<Rendered>]) {
    for pi in 0..rendered.len() {
        fix_page(site, rendered, pi);
    }
}

/// Fixes the case of fragments in the links of page `pi`.
pub(crate) fn fix_page(site: &Site, rendered: &mut [Arc<Rendered>], pi: usize) {
    let mut fixes: HashMap<String, String> = HashMap::new();
    let mut fixed_links: Vec<(usize, String)> = Vec::new();
    for (li, link) in rendered[pi].links.iter().enumerate() {
        let Resolution::Internal {
            href,
            target: Some(target),
            fragment: Some(fragment),
        } = &link.resolution
        else {
            continue;
        };
        let Some(ids) = target_page(site, *target).map(|p| &rendered[p].ids) else {
            continue;
        };
        if let Some(id) = exact_id(ids, fragment) {
            fixes.insert(decode_percent(href), id.to_string());
            fixed_links.push((li, id.to_string()));
        }
    }
    if fixes.is_empty() {
        return;
    }
    let page = Arc::make_mut(&mut rendered[pi]);
    page.unpack();
    page.html = rewrite_hrefs(&page.html, &fixes);
    for (li, id) in fixed_links {
        if let Resolution::Internal { href, fragment, .. } = &mut page.links[li].resolution {
            if let Some(i) = href.rfind('#') {
                href.truncate(i + 1);
                href.push_str(&id);
            }
            *fragment = Some(id);
        }
    }
}

/// The page whose ids a link target's fragments name.
fn target_page(site: &Site, target: LinkTarget) -> Option<usize> {
    match target {
        LinkTarget::Page(p) => Some(p),
        LinkTarget::Section(s) => site.sections[s].index_page,
        LinkTarget::Asset(_) => None,
    }
}

/// The id `fragment` means when it matches none exactly: its lower-case
/// form if that is an id (what GitHub's script tries), else the first id
/// in sorted order equal to it ignoring case.
fn exact_id<'a>(ids: &'a HashSet<String>, fragment: &str) -> Option<&'a str> {
    if fragment.is_empty() || ids.contains(fragment) {
        return None;
    }
    let lower = fragment.to_lowercase();
    if let Some(id) = ids.get(&lower) {
        return Some(id);
    }
    ids.iter()
        .filter(|id| id.to_lowercase() == lower)
        .min()
        .map(String::as_str)
}

/// Rewrites the fragment of every `href` attribute whose value (entities
/// and percent-escapes decoded) is a key of `fixes`.
fn rewrite_hrefs(html: &str, fixes: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("href=") {
        let after = &rest[i + 5..];
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            out.push_str(&rest[..i + 5]);
            rest = after;
            continue;
        };
        let value_start = i + 6;
        let Some(len) = rest[value_start..].find(quote) else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        out.push_str(&rest[..value_start]);
        let key = decode_percent(&value.replace("&amp;", "&"));
        match (fixes.get(&key), value.rfind('#')) {
            (Some(id), Some(hash)) => {
                out.push_str(&value[..hash + 1]);
                out.push_str(&escape_attr(id));
            }
            _ => out.push_str(value),
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_hrefs_change_and_only_their_fragment() {
        let fixes = HashMap::from([("../a/#Intro".to_string(), "intro".to_string())]);
        let html = r#"<a href="../a/#Intro">x</a> <a href='../a/#Intro'>y</a> <a href="../b/#Intro">z</a>"#;
        assert_eq!(
            rewrite_hrefs(html, &fixes),
            r#"<a href="../a/#intro">x</a> <a href='../a/#intro'>y</a> <a href="../b/#Intro">z</a>"#
        );
    }

    #[test]
    fn the_lower_case_id_wins_then_the_first_in_order() {
        let ids: HashSet<String> = ["faq", "Team", "team-2"].map(String::from).into();
        assert_eq!(exact_id(&ids, "FAQ"), Some("faq"));
        assert_eq!(exact_id(&ids, "faq"), None);
        assert_eq!(exact_id(&ids, "TEAM"), Some("Team"));
        assert_eq!(exact_id(&ids, "nothing"), None);
    }
}
