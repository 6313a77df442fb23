//! One page's and one section's HTML: the page view (markdown HTML, table
//! of contents, role, framework block, neighbours), the template a page
//! asks for, and the section page with its lists. What the whole site
//! shares (the renderer, site view, sidebar, careers pages) lives in the
//! sibling modules; this file only renders one page or section at a time.

use super::views;
use super::views::*;
use super::{Renderer, Vars};
use crate::careers::jobposting;
use crate::content::Page;
use crate::diagnostic::{self, Code, Diagnostic};

impl<'a> Renderer<'a> {
    pub(super) fn template_for(&self, page: &Page, default: &str) -> Result<String, Diagnostic> {
        match &page.template {
            None => Ok(default.to_string()),
            Some(t) if self.theme.templates.contains_key(t) => Ok(t.clone()),
            Some(t) => {
                let names: Vec<&str> = self.theme.templates.keys().map(String::as_str).collect();
                Err(Diagnostic::error(
                    Code::TemplateNotFound,
                    &page.display,
                    format!("template \"{t}\" does not exist"),
                )
                .at_line(
                    diagnostic::line_of_key(&page.front, "template", 0)
                        .map(|l| l + page.front_line - 1),
                )
                .hint(format!(
                    "{}; put your own in the site's templates/ folder",
                    diagnostic::suggest(t, "templates", &names)
                )))
            }
        }
    }

    /// Page `i`'s markdown HTML, for a file that shows another page's
    /// body (section index, pay intro): kept for the next reader.
    pub(super) fn html(&self, i: usize) -> std::borrow::Cow<'a, str> {
        match self.bodies {
            Some(b) => std::borrow::Cow::Owned(b.html(i)),
            None => std::borrow::Cow::Borrowed(&self.rendered[i].html),
        }
    }

    /// Page `i`'s markdown HTML for rendering the page itself, which is the
    /// last use of it: a streamed build hands it over and frees it after.
    pub(super) fn take_html(&self, i: usize) -> std::borrow::Cow<'a, str> {
        match self.bodies {
            Some(b) => std::borrow::Cow::Owned(b.take_html(i)),
            None => std::borrow::Cow::Borrowed(&self.rendered[i].html),
        }
    }

    /// Words in page `i`'s (bounded) text.
    pub(super) fn word_count(&self, i: usize) -> usize {
        self.rendered[i].words
    }

    /// `f` of page `i`'s search text. The search index is its last reader:
    /// a streamed build hands the text over and frees it after `f`.
    pub(super) fn with_text<R>(&self, i: usize, f: impl FnOnce(&str) -> R) -> R {
        match self.bodies {
            Some(b) => f(&b.take_text(i)),
            None => f(&self.rendered[i].text),
        }
    }

    pub(super) fn page_view<'s>(&'s self, i: usize, html: &'s str) -> PageView<'s> {
        let site = self.site;
        let page = &site.pages[i];
        let rendered = &self.rendered[i];
        let (toc, headings) = rendered.outline();
        let section = &site.sections[page.section];
        let pos = section.pages.iter().position(|&p| p == i);
        let prev = pos
            .and_then(|n| n.checked_sub(1))
            .map(|n| self.link(section.pages[n]));
        let next = pos
            .and_then(|n| section.pages.get(n + 1))
            .map(|&p| self.link(p));
        PageView {
            title: &page.title,
            title_html: page.title_html.as_deref(),
            description: page.description.as_deref(),
            url: self.href(&page.url),
            permalink: self.permalink(&page.url),
            content: one_h1(html),
            toc,
            date: page.date.map(|d| d.to_string()),
            updated: page.updated.map(|d| d.to_string()),
            last_updated: self.last_updated(page),
            extra: &page.extra,
            source_path: &page.source,
            edit_url: self.edit_url(page),
            prev,
            next,
            role: self.prep.roles.get(&i).cloned(),
            framework: self
                .role(i)
                .and_then(|r| self.prep.role_frameworks.get(&(r.track, r.level)))
                .and_then(|v| v.as_ref().ok()),
            word_count: self.word_count(i),
            heading_count: headings.len(),
            own_toc: rendered.own_toc,
            title_id: rendered.title_id.as_deref(),
        }
    }

    pub(super) fn render_page(&self, i: usize) -> Result<String, Diagnostic> {
        let page = &self.site.pages[i];
        if let Some(Err(d)) = self
            .role(i)
            .and_then(|r| self.prep.role_frameworks.get(&(r.track, r.level)))
        {
            return Err(d.clone());
        }
        let template = self.template_for(page, "page.html")?;
        let html = self.take_html(i);
        let view = self.page_view(i, &html);
        let jsonld = self.role(i).and_then(|role| {
            let permalink = self.permalink(&page.url);
            let logo = self
                .config()
                .organization
                .logo
                .as_deref()
                .map(|l| self.absolute_asset(l));
            let ctx = jobposting::Context {
                config: self.config(),
                permalink: &permalink,
                logo: logo.as_deref(),
                description_html: &html,
            };
            jobposting::job_posting(page, role, &ctx).map(|v| jobposting::script_safe_json(&v))
        });
        let meta = self.meta(&page.title, &self.description(i), &page.url, jsonld);
        let mut ctx = self.base_context(
            page.section,
            &page.url,
            meta,
            self.breadcrumbs(page.section, true),
        )?;
        ctx.insert("page", &view);
        self.insert_mermaid(&mut ctx, i);
        self.render_template(&template, ctx)
    }

    /// mermaid's script goes only on pages that have a diagram.
    pub(super) fn insert_mermaid(&self, ctx: &mut Vars, i: usize) {
        if self.rendered[i].has_mermaid {
            let m = &self.config().markdown;
            let view = views::MermaidView {
                url: &m.mermaid_url,
                integrity: m.mermaid_integrity.as_deref(),
            };
            ctx.insert("mermaid", &view);
        }
    }

    pub(super) fn render_section(&self, s: usize) -> Result<String, Diagnostic> {
        let site = self.site;
        let sec = &site.sections[s];
        let index_id = sec.index_page;
        let index = site.section_index(s);
        let index_rendered = index_id.map(|i| &self.rendered[i]);
        let index_html = index_id.map(|i| self.html(i));
        let default = if s == 0 { "index.html" } else { "section.html" };
        let template = match index {
            Some(p) => self.template_for(p, default)?,
            None => default.to_string(),
        };
        let empty = serde_json::Value::Object(Default::default());
        let view = SectionView {
            title: &sec.title,
            title_html: index.and_then(|p| p.title_html.as_deref()),
            description: index.and_then(|p| p.description.as_deref()),
            url: self.href(&sec.url),
            permalink: self.permalink(&sec.url),
            content: one_h1(index_html.as_deref().unwrap_or_default()),
            toc: index_rendered.map_or(std::borrow::Cow::Borrowed(&[]), |r| r.outline().0),
            pages: sec
                .pages
                .iter()
                .map(|&p| {
                    let page = &site.pages[p];
                    PageSummary {
                        title: page.title.clone(),
                        url: self.href(&page.url),
                        description: Some(self.description(p)).filter(|d| !d.is_empty()),
                        role: self.prep.roles.get(&p).cloned(),
                    }
                })
                .collect(),
            subsections: sec
                .subsections
                .iter()
                .map(|&c| {
                    let child = &site.sections[c];
                    SectionSummary {
                        title: child.title.clone(),
                        url: self.href(&child.url),
                        description: site.section_index(c).and_then(|p| p.description.clone()),
                        page_count: child.pages.len(),
                    }
                })
                .collect(),
            extra: index.map_or(&empty, |p| &p.extra),
            edit_url: index.and_then(|p| self.edit_url(p)),
            last_updated: index.and_then(|p| self.last_updated(p)),
            salary_chart: self.section_chart(s),
            title_id: index
                .filter(|p| p.title == sec.title)
                .and(index_rendered)
                .and_then(|r| r.title_id.as_deref()),
        };
        let description = index_id.map(|i| self.description(i)).unwrap_or_default();
        let meta = self.meta(&sec.title, &description, &sec.url, None);
        let mut ctx = self.base_context(s, &sec.url, meta, self.breadcrumbs(s, false))?;
        ctx.insert("section", &view);
        if let Some(i) = index_id {
            self.insert_mermaid(&mut ctx, i);
        }
        self.render_template(&template, ctx)
    }

    /// A page with no content of its own (404, careers pages, the page
    /// list). `extra`'s value is moved into the template context and back,
    /// not copied: the careers view holds every role, several times over.
    pub(super) fn render_plain(
        &self,
        template: &str,
        title: &str,
        extra: Option<(&str, &mut serde_json::Value, &str)>,
    ) -> Result<String, Diagnostic> {
        let url = extra.as_ref().map_or("404.html", |(_, _, u)| *u);
        let meta = self.meta(title, "", url, None);
        let mut ctx = self.base_context(0, url, meta, self.breadcrumbs(0, true))?;
        ctx.insert("title", title);
        let Some((key, value, _)) = extra else {
            return self.render_template(template, ctx);
        };
        ctx.put(key, std::mem::take(value));
        let mut ctx = ctx.into_context();
        let html = self.render_context(template, &ctx);
        *value = ctx.remove(key).unwrap_or_default();
        html
    }
}
