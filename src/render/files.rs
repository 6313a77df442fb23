//! Generated files that are not pages: redirect pages for aliases, the
//! sitemap and robots.txt, the search index and the plain list of pages
//! the search box links to without JavaScript.

use super::views::LinkView;
use super::Renderer;
use crate::content::Page;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::output::search::{self, DocSection, FacetValues, RoleFacets, SearchDoc, SearchIndex};
use crate::output::sitemap;
use crate::output::{Output, OutputFile};

impl Renderer<'_> {
    pub(super) fn aliases(&self, output: &mut Output, diags: &mut Vec<Diagnostic>) {
        // Which page made each redirect, to name it when another claims it too.
        let mut made: std::collections::HashMap<String, &Page> = Default::default();
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
                            Code::InvalidAlias,
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
                // Nothing is lost either way: the page (or the first
                // redirect) keeps the address, and both files are named.
                if output.files.contains_key(&file) {
                    let message = match made.get(&file) {
                        Some(other) => format!(
                            "alias \"{alias}\" is also an alias of `{}`",
                            other.display.display()
                        ),
                        None => format!("alias \"{alias}\" is the address of another page"),
                    };
                    diags.push(
                        Diagnostic::warning(Code::AliasClash, &page.display, message)
                            .at_line(line)
                            .hint("remove the alias from one of the pages, or move the other page"),
                    );
                    continue;
                }
                made.insert(file.clone(), page);
                let target = self.href(&page.url);
                let t = crate::escape::escape_attr(&target);
                let html = format!(
                    "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Redirecting…</title><link rel=\"canonical\" href=\"{canon}\"><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={t}\"></head><body><p>This page has moved to <a href=\"{t}\">{t}</a>.</p></body></html>\n",
                    lang = crate::escape::escape_attr(&self.config().language),
                    canon = crate::escape::escape_attr(&self.permalink(&page.url)),
                );
                output.insert(file, OutputFile::bytes(html));
            }
        }
    }

    pub(super) fn sitemap(&self, output: &mut Output) {
        let file = if self.options.defer {
            OutputFile::Deferred(crate::output::Job::Sitemap)
        } else {
            OutputFile::bytes(self.sitemap_xml())
        };
        output.insert("sitemap.xml", file);
        output.insert(
            "robots.txt",
            OutputFile::bytes(sitemap::robots(&self.permalink("sitemap.xml"))),
        );
    }

    /// `sitemap.xml`: every section and page, and the careers pages.
    pub(super) fn sitemap_xml(&self) -> String {
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
            if !site.is_section_index(i) && !p.is_index && Some(i) != pay_intro {
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
            let framework = crate::careers::framework::page_urls(
                &self.config().careers,
                self.careers.framework.as_deref(),
            );
            for url in framework.iter().filter(|u| u.ends_with('/')) {
                entries.push(sitemap::Entry {
                    loc: self.permalink(url),
                    lastmod: None,
                });
            }
        }
        sitemap::sitemap(&entries)
    }

    /// Page `i` as the search index sees it: title, URL, the text under
    /// each heading (with the heading's anchor) and role facets.
    pub(super) fn search_doc(&self, i: usize) -> SearchDoc {
        let site = self.site;
        let p = &site.pages[i];
        let rendered = &self.rendered[i];
        let url = if p.is_index {
            &site.sections[p.section].url
        } else {
            &p.url
        };
        let (toc, headings) = rendered.outline();
        let (intro, texts) = self.with_text(i, |text| search::split_sections(text, &headings));
        let mut anchors = Vec::new();
        flatten_toc(&toc, &mut anchors);
        let mut sections = vec![DocSection {
            text: intro,
            ..Default::default()
        }];
        for (n, (heading, text)) in headings.iter().zip(texts).enumerate() {
            sections.push(DocSection {
                anchor: anchors.get(n).cloned().unwrap_or_default(),
                heading: heading.clone(),
                text,
            });
        }
        SearchDoc {
            title: p.title.clone(),
            url: self.href(url),
            sections,
            role: self.prep.roles.get(&i).map(|r| RoleFacets {
                track: r.track.name.clone(),
                level: r.level.name.clone(),
                workplace: r.opening.as_ref().map(|o| o.workplace.to_string()),
                locations: r
                    .opening
                    .as_ref()
                    .map(|o| o.locations.clone())
                    .unwrap_or_default(),
                open: r.is_open,
            }),
        }
    }

    /// The values role filters offer: tracks and levels in the order
    /// `site.toml` gives them, workplaces in a fixed order, locations sorted.
    pub(super) fn facet_values(&self) -> FacetValues {
        let careers = &self.config().careers;
        let mut location: Vec<String> = self
            .prep
            .roles
            .values()
            .filter_map(|r| r.opening.as_ref())
            .flat_map(|o| o.locations.iter().cloned())
            .collect();
        location.sort();
        location.dedup();
        let used: std::collections::HashSet<&str> = self
            .prep
            .roles
            .values()
            .filter_map(|r| r.opening.as_ref().map(|o| o.workplace))
            .collect();
        FacetValues {
            track: careers.tracks.iter().map(|t| t.name.clone()).collect(),
            level: careers.levels.iter().map(|l| l.name.clone()).collect(),
            workplace: ["On-site", "Hybrid", "Remote"]
                .into_iter()
                .filter(|w| used.contains(w))
                .map(String::from)
                .collect(),
            location,
        }
    }

    pub(super) fn search_index(&self, editable: bool) -> SearchIndex {
        SearchIndex::build(
            self.site.pages.len(),
            |i| self.search_doc(i),
            self.facet_values(),
            editable,
        )
    }

    /// The index a one-off build writes (none with `[search] enabled =
    /// false`; `serve`'s session keeps its own, updated in place). Its
    /// result card and chunk files go to the sink while it is built (a
    /// streamed build writes them at once, beside the pages), recorded in
    /// `cards`.
    pub(super) fn build_search_index(&self, cards: &mut super::CardFiles) -> Option<SearchIndex> {
        if !self.config().search.enabled || self.options.defer {
            return None;
        }
        Some(SearchIndex::build_writing_cards(
            self.site.pages.len(),
            |i| self.search_doc(i),
            self.facet_values(),
            |path, json| {
                let file = self.sink.put(&path, json);
                cards.push((path, file));
            },
        ))
    }

    /// The search index's other files (from `build_search_index`), each to
    /// the sink as it is made, and `search/index.html`: every page in a
    /// plain list, where the search box leads without JavaScript.
    pub(super) fn search_files(
        &self,
        output: &mut Output,
        index: Option<SearchIndex>,
    ) -> Result<(), Diagnostic> {
        for (path, json) in index.into_iter().flat_map(SearchIndex::into_files) {
            let file = self.sink.put(&path, json)?;
            output.insert(path, file);
        }
        let file = if self.options.defer {
            OutputFile::Deferred(crate::output::Job::PageList)
        } else {
            OutputFile::bytes(self.page_list()?)
        };
        output.insert(super::PAGE_LIST, file);
        Ok(())
    }

    /// `search/index.html`: every page in a plain list.
    pub(super) fn page_list(&self) -> Result<String, Diagnostic> {
        let site = self.site;
        let sections: Vec<serde_json::Value> = site
            .sections
            .iter()
            .map(|s| {
                let pages: Vec<LinkView> = s
                    .pages
                    .iter()
                    .filter(|&&p| s.index_page != Some(p))
                    .map(|&p| self.link(p))
                    .collect();
                serde_json::json!({ "title": s.title, "url": self.href(&s.url), "pages": pages })
            })
            .collect();
        let url = format!("{}/", search::DIR);
        let mut value = serde_json::Value::Array(sections);
        self.render_plain(
            "search.html",
            "All pages",
            Some(("sections", &mut value, &url)),
        )
    }
}

/// Heading anchors in page order.
fn flatten_toc(toc: &[crate::markdown::TocEntry], out: &mut Vec<String>) {
    for e in toc {
        out.push(e.id.clone());
        flatten_toc(&e.children, out);
    }
}
