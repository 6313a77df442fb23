//! Generated files that are not pages: redirect pages for aliases, the
//! sitemap and robots.txt, and the search index.

use rayon::prelude::*;

use super::Renderer;
use crate::content::Page;
use crate::diagnostic::{self, Diagnostic};
use crate::output::search::{self, SearchEntry, SearchRole};
use crate::output::sitemap;
use crate::output::{Output, OutputFile};

/// Bytes of body text the whole search index may hold; on large sites each
/// page gets less, so the index (fetched on first search) stays small.
pub const SEARCH_BODY_BUDGET: usize = 1_000_000;

impl Renderer<'_> {
    pub(super) fn aliases(&self, output: &mut Output, diags: &mut Vec<Diagnostic>) {
        for page in &self.site.pages {
            for alias in &page.aliases {
                let line = diagnostic::line_of_key(&page.front, "aliases", 0)
                    .map(|l| l + page.front_line - 1);
                let trimmed = alias.trim().trim_start_matches('/');
                let escapes = alias.contains("://")
                    || alias.starts_with("//")
                    || alias.contains('\\')
                    || crate::markdown::links::normalize(trimmed).is_none()
                    || trimmed.split('/').any(|s| s == "..");
                if escapes || trimmed.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            &page.display,
                            format!("alias \"{alias}\" is not a path on this site"),
                        )
                        .at_line(line)
                        .hint("aliases are old paths of this site, such as \"/hiring/process/\""),
                    );
                    continue;
                }
                let path = crate::markdown::links::normalize(trimmed).unwrap_or_default();
                let file = if path.ends_with(".html") {
                    path.clone()
                } else {
                    format!("{}/index.html", path.trim_end_matches('/'))
                };
                if output.files.contains_key(&file) {
                    diags.push(
                        Diagnostic::error(
                            &page.display,
                            format!("alias \"{alias}\" is the address of another page"),
                        )
                        .at_line(line)
                        .hint("remove the alias, or move the other page"),
                    );
                    continue;
                }
                let target = self.href(&page.url);
                let t = crate::markdown::escape_attr(&target);
                let html = format!(
                    "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Redirecting…</title><link rel=\"canonical\" href=\"{canon}\"><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={t}\"></head><body><p>This page has moved to <a href=\"{t}\">{t}</a>.</p></body></html>\n",
                    lang = crate::markdown::escape_attr(&self.config().language),
                    canon = crate::markdown::escape_attr(&self.permalink(&page.url)),
                );
                output.insert(file, OutputFile::bytes(html));
            }
        }
    }

    pub(super) fn sitemap(&self, output: &mut Output) {
        let site = self.site;
        let mut entries: Vec<sitemap::Entry> = Vec::new();
        let lastmod = |p: &Page| p.updated.or(p.date).or(p.last_commit);
        for s in &site.sections {
            let index = s.index_page.map(|i| &site.pages[i]);
            entries.push(sitemap::Entry {
                loc: self.permalink(&s.url),
                lastmod: index.and_then(lastmod),
            });
        }
        let pay_intro = self.careers_on.then(|| self.pay_intro_page()).flatten();
        for (i, p) in site.pages.iter().enumerate() {
            if site.sections[p.section].index_page != Some(i) && !p.is_index && Some(i) != pay_intro
            {
                entries.push(sitemap::Entry {
                    loc: self.permalink(&p.url),
                    lastmod: lastmod(p),
                });
            }
        }
        if self.careers_on {
            for slug in ["roles", "ladder", "salaries", "open", "pay"] {
                entries.push(sitemap::Entry {
                    loc: self.permalink(&format!("{}/{slug}/", self.config().careers.path)),
                    lastmod: None,
                });
            }
            let framework = crate::careers::framework::page_urls(&self.config().careers);
            for url in framework.iter().filter(|u| u.ends_with('/')) {
                entries.push(sitemap::Entry {
                    loc: self.permalink(url),
                    lastmod: None,
                });
            }
        }
        output.insert("sitemap.xml", OutputFile::bytes(sitemap::sitemap(&entries)));
        output.insert(
            "robots.txt",
            OutputFile::bytes(sitemap::robots(&self.permalink("sitemap.xml"))),
        );
    }

    pub(super) fn search_entry(&self, i: usize) -> SearchEntry {
        let site = self.site;
        let body_limit =
            (SEARCH_BODY_BUDGET / site.pages.len().max(1)).clamp(100, search::BODY_LIMIT);
        let p = &site.pages[i];
        let url = if p.is_index {
            &site.sections[p.section].url
        } else {
            &p.url
        };
        SearchEntry {
            t: p.title.clone(),
            u: self.href(url),
            h: p.rendered.headings.join(" · "),
            b: search::clip(&p.rendered.text, body_limit),
            r: self.roles.get(&i).map(|r| SearchRole {
                track: r.track.name.clone(),
                level: r.level.name.clone(),
                open: r.is_open,
            }),
        }
    }

    /// Every page's search entry as JSON, in page order (in parallel).
    pub(super) fn search_entries(&self) -> Vec<String> {
        (0..self.site.pages.len())
            .into_par_iter()
            .map(|i| search::entry_json(&self.search_entry(i)))
            .collect()
    }

    pub(super) fn search_index(&self, output: &mut Output) {
        output.insert(
            "search-index.json",
            OutputFile::bytes(search::join_entries(&self.search_entries())),
        );
    }
}
