//! Which pages get a social card, the card templates' context, and the
//! `og:image` each page points to.
//!
//! Roles, sections (the home page's card is the site card) and the open
//! roles page get a card of their own, at `_cards/<page url>.png` (one
//! folder per section, not per page: fewer folders to create);
//! every other page points to the site card, so a large-image preview
//! never shows a small logo. The SVG is rendered here; the PNG is made
//! later (see `cards`). Warnings: a title the card cuts, characters no card
//! font has, a missing or unusable organisation logo. An invalid card
//! template is an error with the template's file and line.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::views::workplace_label;
use super::{Renderer, Vars};
use crate::cards::{self, Card, Fitted};
use crate::config::CONFIG_FILE;
use crate::diagnostic::{Code, Diagnostic};
use crate::output::{Output, OutputFile};

/// Text area width of the default templates (1200 minus 80 px margins).
const TEXT_WIDTH: f32 = 1040.0;
const TITLE_SIZES: [(f32, usize); 3] = [(72.0, 2), (60.0, 3), (52.0, 3)];
const SITE_TITLE_SIZES: [(f32, usize); 2] = [(80.0, 2), (64.0, 2)];
const DESCRIPTION_SIZES: [(f32, usize); 1] = [(30.0, 3)];

/// What a card template receives as `card`.
#[derive(Serialize)]
struct CardView<'a> {
    kind: &'static str,
    width: u32,
    height: u32,
    font_family: &'a str,
    title: Fitted,
    description: Fitted,
    eyebrow: String,
    subtitle: Option<String>,
    salary: Option<String>,
    place: Option<String>,
    organization: String,
    logo: Option<&'a str>,
    site_title: &'a str,
}

/// The image a page's `og:image` tags describe.
pub(super) struct OgImage {
    pub(crate) url: String,
    pub(crate) alt: String,
    /// Width and height, when known (generated cards).
    pub(crate) size: Option<(u32, u32)>,
    pub(crate) mime: Option<&'static str>,
}

/// Output path of the card of the page or section at `url` (`""`: the site).
pub(super) fn card_path(url: &str) -> String {
    match url.trim_end_matches('/') {
        "" => format!("{}/index.png", super::CARDS_DIR),
        path => format!("{}/{path}.png", super::CARDS_DIR),
    }
}

impl Renderer<'_> {
    /// The alt text of every page that has a card of its own, by URL.
    pub(super) fn own_card_alts(&self) -> HashMap<String, String> {
        let mut alts = HashMap::new();
        if !self.config().cards.enabled {
            return alts;
        }
        let site = self.site;
        let org = self.org_name();
        alts.insert(String::new(), format!("{}: {org}", self.site_view.title));
        for (i, view) in &self.prep.roles {
            let mut alt = format!(
                "{}: {} {} role at {org}",
                view.title, view.level.name, view.track.name
            );
            if let Some(s) = &view.salary {
                alt.push_str(&format!(", {}", s.text));
            }
            alts.insert(site.pages[*i].url.clone(), alt);
        }
        for sec in site.sections.iter().skip(1) {
            alts.insert(
                sec.url.clone(),
                format!("{} · {}", sec.title, self.site_view.title),
            );
        }
        if self.careers_on {
            alts.insert(self.open_url(), format!("Open roles at {org}"));
        }
        alts
    }

    fn org_name(&self) -> String {
        let c = self.config();
        c.organization
            .name
            .clone()
            .unwrap_or_else(|| self.site_view.title.to_string())
    }

    fn open_url(&self) -> String {
        format!("{}/open/", self.config().careers.path)
    }

    /// The image for the page at `url`: its own card, else the site's.
    pub(super) fn og_image_for(&self, url: &str) -> Option<OgImage> {
        let c = self.config();
        if !c.cards.enabled {
            return self.og_image().map(|url| OgImage {
                url,
                alt: self.site_view.title.to_string(),
                size: None,
                mime: None,
            });
        }
        let own = self.prep.card_alts.get(url).map(|alt| (url, alt));
        let (key, alt) = match (own, &c.og_image) {
            (Some(own), _) => own,
            // The owner's own share image for pages without a card.
            (None, Some(image)) => {
                return Some(OgImage {
                    url: self.absolute_asset(image),
                    alt: self.site_view.title.to_string(),
                    size: None,
                    mime: None,
                })
            }
            (None, None) => ("", self.prep.card_alts.get("")?),
        };
        Some(OgImage {
            url: self.permalink(&card_path(key)),
            alt: alt.clone(),
            size: Some((cards::WIDTH, cards::HEIGHT)),
            mime: Some("image/png"),
        })
    }

    /// Adds the cards of `pages` (roles), `sections`, the open roles page
    /// (`careers`) and the site (`site`) to `output` as lazily rasterised
    /// entries.
    pub(super) fn render_cards(
        &self,
        pages: &[usize],
        sections: &[usize],
        careers: bool,
        output: &mut Output,
        diags: &mut Vec<Diagnostic>,
    ) {
        if !self.config().cards.enabled {
            return;
        }
        let mut jobs: Vec<(String, Result<CardView, Diagnostic>)> = Vec::new();
        for &i in pages {
            if self.prep.roles.contains_key(&i) {
                jobs.push((self.site.pages[i].url.clone(), Ok(self.role_card(i, diags))));
            }
        }
        for &s in sections {
            let url = self.site.sections[s].url.clone();
            jobs.push((url, Ok(self.section_card(s))));
        }
        if careers && self.careers_on {
            jobs.push((self.open_url(), Ok(self.open_card())));
        }
        for (url, view) in jobs {
            let template = match view.as_ref().map(|v| v.kind) {
                Ok("role") => "cards/role.svg",
                Ok("site") => "cards/site.svg",
                _ => "cards/page.svg",
            };
            match view.and_then(|v| self.render_card(template, v)) {
                Ok(svg) => {
                    let card = Card::new(svg, Arc::clone(&self.theme.cards));
                    output.insert(card_path(&url), OutputFile::Card(Arc::new(card)));
                }
                Err(d) => {
                    if !diags.iter().any(|x| x.to_string() == d.to_string()) {
                        diags.push(d);
                    }
                }
            }
        }
    }

    fn base_card(&self, kind: &'static str, eyebrow: String) -> CardView<'_> {
        let kit = &self.theme.cards;
        CardView {
            kind,
            width: cards::WIDTH,
            height: cards::HEIGHT,
            font_family: kit.family(),
            title: Fitted::default(),
            description: Fitted::default(),
            eyebrow,
            subtitle: None,
            salary: None,
            place: None,
            organization: self.org_name(),
            logo: kit.logo.as_deref().filter(|l| {
                let l = l.to_ascii_lowercase();
                l.ends_with(".png") || l.ends_with(".svg")
            }),
            site_title: self.site_view.title,
        }
    }

    fn role_card(&self, i: usize, diags: &mut Vec<Diagnostic>) -> CardView<'_> {
        let page = &self.site.pages[i];
        let view = &self.prep.roles[&i];
        let eyebrow = if view.is_open { "Open role" } else { "Role" };
        let mut card = self.base_card("role", eyebrow.into());
        card.title = self.fit_title(&page.title, &TITLE_SIZES, Some((&page.display, diags)));
        card.subtitle = Some(format!("{} · {}", view.level.name, view.track.name));
        card.salary = view.salary.as_ref().map(|s| s.text.clone());
        card.place = self.role(i).and_then(|r| r.opening.as_ref()).map(|o| {
            let mut place = workplace_label(o.workplace).to_string();
            if !o.locations.is_empty() {
                place.push_str(&format!(" · {}", o.locations.join(", ")));
            }
            place
        });
        card
    }

    fn section_card(&self, s: usize) -> CardView<'_> {
        let kit = &self.theme.cards;
        let site = self.site;
        let description = site.sections[s]
            .index_page
            .map(|i| self.description(i))
            .unwrap_or_default();
        if s == 0 {
            let mut card = self.base_card("site", String::new());
            let title = self.site_view.title;
            card.title = self.fit_title(title, &SITE_TITLE_SIZES, None);
            let text = self.config().description.clone().unwrap_or(description);
            card.description = kit.fit(&text, false, TEXT_WIDTH, &DESCRIPTION_SIZES);
            return card;
        }
        let sec = &site.sections[s];
        // The section it belongs to, as on the page's breadcrumbs.
        let eyebrow = match sec.parent {
            Some(p) if p != 0 => site.sections[p].title.clone(),
            _ => "Handbook".to_string(),
        };
        let mut card = self.base_card("page", eyebrow);
        card.title = self.fit_title(&sec.title, &TITLE_SIZES, None);
        card.description = kit.fit(&description, false, TEXT_WIDTH, &DESCRIPTION_SIZES);
        card
    }

    fn open_card(&self) -> CardView<'_> {
        let kit = &self.theme.cards;
        let mut card = self.base_card("page", "Careers".into());
        card.title = kit.fit("Open roles", true, TEXT_WIDTH, &TITLE_SIZES);
        let mut open: Vec<&str> = self
            .prep
            .roles
            .values()
            .filter(|v| v.is_open)
            .map(|v| v.title.as_str())
            .collect();
        open.sort();
        let text = match open.len() {
            0 => "No roles are open right now.".to_string(),
            1 => format!("1 role open now: {}", open[0]),
            n => format!("{n} roles open now: {}", open.join(", ")),
        };
        card.description = kit.fit(&text, false, TEXT_WIDTH, &DESCRIPTION_SIZES);
        card
    }

    /// Lays a title out; for a role (`warn`: its file and the warnings),
    /// warns when the card cuts it or cannot draw some of its characters.
    /// Other cards stay quiet: a handbook in a script Noto Sans lacks
    /// would otherwise get a warning per section.
    fn fit_title(
        &self,
        title: &str,
        sizes: &[(f32, usize)],
        warn: Option<(&std::path::Path, &mut Vec<Diagnostic>)>,
    ) -> Fitted {
        let fitted = self.theme.cards.fit(title, true, TEXT_WIDTH, sizes);
        let Some((shown, diags)) = warn else {
            return fitted;
        };
        if fitted.truncated {
            diags.push(
                Diagnostic::warning(
                    Code::CardText,
                    shown,
                    format!(
                        "the social card cuts this title short: \"{}\"",
                        fitted.lines.join(" ")
                    ),
                )
                .hint("shorten the title; a card fits about three lines of 60 px text"),
            );
        }
        if !fitted.missing.is_empty() {
            let chars: String = fitted.missing.iter().collect();
            diags.push(
                Diagnostic::warning(Code::CardText, shown, format!("the social card's fonts have no glyphs for \"{chars}\" in \"{title}\"; they are left out of the card"))
                    .hint("add a font that has them as static/fonts/NAME.ttf in the site or theme"),
            );
        }
        fitted
    }

    /// Renders a card template and checks the SVG it made.
    fn render_card(&self, template: &str, card: CardView) -> Result<String, Diagnostic> {
        let mut vars = Vars::default();
        vars.0.insert("site".into(), self.site_value.clone());
        vars.insert("card", &card);
        let svg = self.render_template(template, vars)?;
        let shown = self
            .theme
            .templates
            .get(template)
            .map(|(p, _)| p.clone())
            .unwrap_or_else(|| template.into());
        let raw = self.theme.templates.get(template).map(|(_, t)| t.as_str());
        if let Err(problem) = cards::check_svg(&svg) {
            // The template's own text locates the problem exactly when it
            // is already malformed before tera fills it in.
            let (line, col, message, hint) = match raw.map(cards::check_svg) {
                Some(Err(p)) => (p.line, p.col, p.message, "fix the SVG in this template"),
                _ => (
                    problem.line,
                    problem.col,
                    problem.message,
                    "the line is in the SVG this template produced; check the markup around it",
                ),
            };
            return Err(Diagnostic::error(
                Code::CardTemplate,
                shown,
                format!("card template is not valid SVG: {message}"),
            )
            .at(line as usize, Some(col as usize))
            .hint(hint));
        }
        Ok(svg)
    }

    /// Warnings about the organisation logo the cards show.
    pub(super) fn logo_warnings(&self, diags: &mut Vec<Diagnostic>) {
        let c = self.config();
        // Only role cards show the logo.
        if !c.cards.enabled || self.prep.roles.is_empty() {
            return;
        }
        let Some(logo) = c.organization.logo.as_deref() else {
            // Only a configured [organization] can be missing its logo; a
            // zero-config site has nothing to fix.
            if c.organization.name.is_none() {
                return;
            }
            diags.push(
                Diagnostic::warning(Code::CardLogo, CONFIG_FILE, "the organisation has no logo: social cards show its name only")
                    .hint("add logo = \"images/logo.png\" (a PNG or SVG in the content folder) under [organization]"),
            );
            return;
        };
        let rel = logo.trim_start_matches('/');
        let lower = rel.to_ascii_lowercase();
        let problem = if logo.contains("://") {
            Some("is a remote URL, which social cards cannot draw")
        } else if !(lower.ends_with(".png") || lower.ends_with(".svg")) {
            Some("is not a PNG or SVG file, which is all social cards draw")
        } else if !self.site.assets.iter().any(|a| a.url == rel) {
            Some("is not a file in the content folder")
        } else {
            None
        };
        if let Some(problem) = problem {
            diags.push(
                Diagnostic::warning(Code::CardLogo, CONFIG_FILE, format!("organization.logo \"{logo}\" {problem}: social cards show the name only"))
                    .hint("point logo at a PNG or SVG file in the content folder, e.g. logo = \"images/logo.png\""),
            );
        }
    }
}
