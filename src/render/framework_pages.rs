//! The career framework pages: the overview, one matrix per track, one
//! page per track and level (with the self-review), one page per step up
//! the ladder (only what is new or changed), `framework.json`, the pay
//! progression page, and the framework part of role pages and the ladder.
//! Builds the view values for `templates/careers/framework*.html` and
//! `careers/pay.html` from `careers::framework`; it decides nothing about
//! what a level expects (the framework's queries do) and reads no files.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::framework_blocks::Blocks;
use super::views::{format_money, IdName, LinkView, RoleFrameworkView};
use super::{Renderer, Vars};
use crate::careers::framework::{self, ChangeKind, Framework};
use crate::config::RoleExpectations;
use crate::diagnostic::Diagnostic;
use crate::output::{Output, OutputFile};

/// A level of one track, with its pages.
#[derive(Serialize, Clone)]
pub(crate) struct LevelLink {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// The track's page for this level.
    pub(crate) url: String,
    /// "What changes" from the level below to this one, if there is one.
    pub(crate) from_prev_url: Option<String>,
}

#[derive(Serialize, Clone)]
pub(crate) struct TrackLink {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) url: String,
    pub(crate) levels: Vec<LevelLink>,
}

/// An area of a page, with its competencies' blocks (`framework_blocks`)
/// for that page, in file order.
#[derive(Serialize)]
pub(crate) struct AreaView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// Prepared HTML (content escaped): expectations, changes or matrix
    /// rows, as the page shows them.
    pub(crate) html: String,
}

/// Where a framework or pay page sits, for its breadcrumbs.
enum Under<'a> {
    /// The careers pages: the overview and the pay page.
    Careers,
    /// The framework overview: a track's matrix.
    Framework,
    /// A track: its level and step pages.
    Track(&'a TrackLink),
}

/// What `partials/role_expectations.html` receives as `framework`.
#[derive(Serialize)]
struct RoleExpectationsView<'a> {
    mode: RoleExpectations,
    level_url: &'a str,
    to_next_url: Option<&'a str>,
    next_level: Option<&'a str>,
    track: &'a str,
    level: &'a str,
    areas: Vec<AreaView>,
}

impl Renderer<'_> {
    fn framework(&self) -> Option<&Framework> {
        self.careers.framework.as_deref()
    }

    fn fw_url(&self, rest: &str) -> String {
        framework::url(&self.config().careers, rest)
    }

    fn level_url(&self, track: usize, level: usize) -> String {
        framework::level_url(&self.config().careers, track, level)
    }

    fn step_url(&self, track: usize, from: usize) -> String {
        framework::step_url(&self.config().careers, track, from)
    }

    fn track_link(&self, t: usize) -> TrackLink {
        let c = &self.config().careers;
        let track = &c.tracks[t];
        TrackLink {
            id: track.id.clone(),
            name: track.name.clone(),
            description: track.description.clone(),
            url: self.href(&self.fw_url(&format!("{}/", track.id))),
            levels: c
                .levels
                .iter()
                .enumerate()
                .map(|(l, level)| LevelLink {
                    id: level.id.clone(),
                    name: level.name.clone(),
                    description: level.description.clone(),
                    url: self.href(&self.level_url(t, l)),
                    from_prev_url: (l > 0).then(|| self.href(&self.step_url(t, l - 1))),
                })
                .collect(),
        }
    }

    /// The blocks the framework pages and role pages share, built once.
    fn blocks(&self, fw: &Framework) -> &Blocks {
        self.fw_blocks.get_or_init(|| {
            let levels = &self.config().careers.levels;
            let names: Vec<&str> = levels.iter().map(|l| l.name.as_str()).collect();
            Blocks::new(fw, &names)
        })
    }

    /// The areas of `track` with the blocks `block` gives for each of its
    /// competencies; areas where every block is empty are left out.
    fn area_views<'b>(
        &self,
        fw: &Framework,
        track: usize,
        block: impl Fn(usize) -> &'b str,
    ) -> Vec<AreaView> {
        fw.areas
            .iter()
            .enumerate()
            .filter_map(|(ai, a)| {
                let mut html = String::new();
                for (ci, c) in fw.competencies.iter().enumerate() {
                    if c.area == ai && c.in_track(track) {
                        html += block(ci);
                    }
                }
                (!html.is_empty()).then(|| AreaView {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    description: a.description.as_ref().map(|d| d.html.clone()),
                    html,
                })
            })
            .collect()
    }

    /// `page.framework` for every (track, level) that has a role.
    pub(super) fn role_framework_views(
        &self,
    ) -> std::collections::HashMap<(usize, usize), Result<RoleFrameworkView, Diagnostic>> {
        let mut out = std::collections::HashMap::new();
        let Some(fw) = self.framework() else {
            return out;
        };
        for (_, role) in self.careers.roles() {
            out.entry((role.track, role.level))
                .or_insert_with(|| self.role_framework(fw, role.track, role.level));
        }
        out
    }

    fn role_framework(
        &self,
        fw: &Framework,
        track: usize,
        level: usize,
    ) -> Result<RoleFrameworkView, Diagnostic> {
        let c = &self.config().careers;
        let has_next = level + 1 < c.levels.len();
        let level_url = self.href(&self.level_url(track, level));
        let to_next_url = has_next.then(|| self.href(&self.step_url(track, level)));
        let next_level = has_next.then(|| c.levels[level + 1].name.clone());
        let blocks = self.blocks(fw);
        let areas = self.area_views(fw, track, |ci| blocks.role_line(ci, level));
        let html = if areas.is_empty() {
            String::new()
        } else {
            let view = RoleExpectationsView {
                mode: c.role_expectations,
                level_url: &level_url,
                to_next_url: to_next_url.as_deref(),
                next_level: next_level.as_deref(),
                track: &c.tracks[track].name,
                level: &c.levels[level].name,
                areas,
            };
            let mut vars = Vars::default();
            vars.insert("framework", &view);
            self.render_template("partials/role_expectations.html", vars)?
        };
        Ok(RoleFrameworkView {
            mode: c.role_expectations,
            level_url,
            to_next_url,
            next_level,
            html,
        })
    }

    /// For the ladder: the level page URL of every (level, track) cell.
    pub(super) fn framework_ladder(&self) -> Option<Vec<Vec<String>>> {
        self.framework()?;
        let c = &self.config().careers;
        Some(
            (0..c.levels.len())
                .map(|l| {
                    (0..c.tracks.len())
                        .map(|t| self.href(&self.level_url(t, l)))
                        .collect()
                })
                .collect(),
        )
    }

    /// Renders a framework or pay page with `framework` in its context;
    /// returns its URL with the result.
    fn render_fw(
        &self,
        template: &str,
        url: String,
        (title, description): (&str, &str),
        under: Under<'_>,
        value: serde_json::Value,
    ) -> (String, Result<String, Diagnostic>) {
        let meta = self.meta(title, description, &url, None);
        let mut trail = self.breadcrumbs(0, true);
        if !matches!(under, Under::Careers) {
            trail.push(self.crumb("Career framework", &self.fw_url("")));
        }
        if let Under::Track(track) = under {
            trail.push(LinkView {
                title: track.name.clone(),
                url: track.url.clone(),
            });
        }
        let html = self.base_context(0, &url, meta, trail).and_then(|mut ctx| {
            ctx.insert("title", title);
            ctx.0.insert("framework".into(), value);
            self.render_template(template, ctx)
        });
        (url, html)
    }

    /// Every framework page, `framework.json` and the pay page.
    pub(super) fn render_framework(
        &self,
        output: &mut Output,
        errors: &mut BTreeMap<String, (Diagnostic, usize)>,
    ) {
        // One job per page, rendered in parallel like content pages.
        enum Job {
            Pay,
            Overview,
            Track(usize),
            Level(usize, usize),
            Step(usize, usize),
        }
        let mut jobs = vec![Job::Pay];
        let careers = &self.config().careers;
        let mut version = String::new();
        if let Some(fw) = self.framework() {
            let doc = framework::export::document(fw, careers);
            let json = serde_json::to_string_pretty(&doc)
                .expect("the framework export is plain data with string keys always serialises");
            output.insert(self.fw_json_url(), OutputFile::bytes(json));
            version = doc.version;
            jobs.push(Job::Overview);
            for t in 0..careers.tracks.len() {
                jobs.push(Job::Track(t));
                for l in 0..careers.levels.len() {
                    jobs.push(Job::Level(t, l));
                    if l + 1 < careers.levels.len() {
                        jobs.push(Job::Step(t, l));
                    }
                }
            }
        }
        let tracks: Vec<TrackLink> = match self.framework() {
            Some(_) => (0..careers.tracks.len())
                .map(|t| self.track_link(t))
                .collect(),
            None => Vec::new(),
        };
        let pages: Vec<(String, Result<String, Diagnostic>)> = jobs
            .par_iter()
            .map(|job| match (job, self.framework()) {
                (Job::Overview, Some(fw)) => self.render_overview(fw, &tracks, &version),
                (Job::Track(t), Some(fw)) => self.render_track(fw, *t, &tracks[*t]),
                (Job::Level(t, l), Some(fw)) => self.render_level(fw, *t, *l, &tracks[*t]),
                (Job::Step(t, l), Some(fw)) => self.render_step(fw, *t, *l, &tracks[*t]),
                _ => self.render_pay(),
            })
            .collect();
        for (url, result) in pages {
            match result {
                Ok(html) => output.insert(format!("{url}index.html"), OutputFile::bytes(html)),
                Err(d) => errors.entry(d.to_string()).or_insert((d, 0)).1 += 1,
            }
        }
    }

    fn fw_json_url(&self) -> String {
        format!("{}/framework.json", self.config().careers.path)
    }

    fn crumb(&self, title: &str, url: &str) -> LinkView {
        LinkView {
            title: title.to_string(),
            url: self.href(url),
        }
    }

    fn render_overview(
        &self,
        fw: &Framework,
        tracks: &[TrackLink],
        version: &str,
    ) -> (String, Result<String, Diagnostic>) {
        let careers = &self.config().careers;
        let areas: Vec<serde_json::Value> = fw
            .areas
            .iter()
            .enumerate()
            .map(|(ai, a)| {
                let comps: Vec<serde_json::Value> = fw
                    .competencies
                    .iter()
                    .filter(|c| c.area == ai)
                    .map(|c| {
                        let tracks: Vec<&str> =
                            c.tracks.iter().map(|&t| careers.tracks[t].name.as_str()).collect();
                        serde_json::json!({"id": c.id, "name": c.name,
                            "description": c.description.as_ref().map(|d| &d.html),
                            "tracks": if tracks.len() == careers.tracks.len() { Vec::new() } else { tracks }})
                    })
                    .collect();
                serde_json::json!({"id": a.id, "name": a.name,
                    "description": a.description.as_ref().map(|d| &d.html), "competencies": comps})
            })
            .collect();
        let value = serde_json::json!({
            "tracks": tracks, "areas": areas, "version": version,
            "json_url": self.href(&self.fw_json_url()),
            "pay_url": self.href(&format!("{}/pay/", careers.path)),
            "competency_count": fw.competencies.len(),
        });
        self.render_fw(
            "careers/framework.html",
            self.fw_url(""),
            ("Career framework", "What we expect at each level of each track, and what changes from one level to the next."),
            Under::Careers,
            value,
        )
    }

    fn render_track(
        &self,
        fw: &Framework,
        t: usize,
        track: &TrackLink,
    ) -> (String, Result<String, Diagnostic>) {
        let careers = &self.config().careers;
        let blocks = self.blocks(fw);
        let areas = self.area_views(fw, t, |ci| blocks.row(ci));
        let title = format!("{} framework", track.name);
        let description = format!(
            "What {} expects at each level, from {} to {}.",
            track.name,
            careers.levels.first().map_or("", |l| l.name.as_str()),
            careers.levels.last().map_or("", |l| l.name.as_str())
        );
        let value = serde_json::json!({"track": track, "areas": areas});
        self.render_fw(
            "careers/framework_track.html",
            self.fw_url(&format!("{}/", careers.tracks[t].id)),
            (&title, &description),
            Under::Framework,
            value,
        )
    }

    /// Links to the role pages of one track and level, by title (then URL:
    /// roles may share a title, and `self.prep.roles` has no order).
    fn roles_at(&self, track: usize, level: usize) -> Vec<LinkView> {
        let mut roles: Vec<LinkView> = self
            .prep
            .roles
            .iter()
            .filter(|(i, _)| {
                let r = self.role(**i);
                r.is_some_and(|r| r.track == track && r.level == level)
            })
            .map(|(_, v)| LinkView {
                title: v.title.clone(),
                url: v.url.clone(),
            })
            .collect();
        roles.sort_by(|a, b| (&a.title, &a.url).cmp(&(&b.title, &b.url)));
        roles
    }

    fn render_level(
        &self,
        fw: &Framework,
        t: usize,
        l: usize,
        track: &TrackLink,
    ) -> (String, Result<String, Diagnostic>) {
        let careers = &self.config().careers;
        let level = &track.levels[l];
        let title = format!("{} · {}", level.name, track.name);
        let description = format!(
            "Everything expected of a {} in {}, by area, with a self-review.",
            level.name, track.name
        );
        let blocks = self.blocks(fw);
        let value = serde_json::json!({
            "track": track, "level": level,
            "prev": (l > 0).then(|| &track.levels[l - 1]),
            "next": track.levels.get(l + 1),
            "to_next_url": (l + 1 < careers.levels.len()).then(|| self.href(&self.step_url(t, l))),
            "areas": self.area_views(fw, t, |ci| blocks.expectation(ci, l)),
            "roles": self.roles_at(t, l),
            "storage_key": format!("{}/{}", careers.tracks[t].id, careers.levels[l].id),
        });
        self.render_fw(
            "careers/framework_level.html",
            self.level_url(t, l),
            (&title, &description),
            Under::Track(track),
            value,
        )
    }

    fn render_step(
        &self,
        fw: &Framework,
        t: usize,
        from: usize,
        track: &TrackLink,
    ) -> (String, Result<String, Diagnostic>) {
        let (a, b) = (&track.levels[from], &track.levels[from + 1]);
        let changes = fw.changes(t, from, from + 1);
        let blocks = self.blocks(fw);
        let title = format!("From {} to {} · {}", a.name, b.name, track.name);
        let description = format!(
            "What changes from {} to {} in {}: new and changed expectations only.",
            a.name, b.name, track.name
        );
        let value = serde_json::json!({
            "track": track, "from": a, "to": b,
            "areas": self.area_views(fw, t, |ci| blocks.change(ci, from)),
            "new_count": changes.iter().filter(|c| c.kind == ChangeKind::New).count(),
            "changed_count": changes.iter().filter(|c| c.kind == ChangeKind::Changed).count(),
        });
        self.render_fw(
            "careers/framework_step.html",
            self.step_url(t, from),
            (&title, &description),
            Under::Track(track),
            value,
        )
    }

    /// The content page whose text introduces the pay page, if any:
    /// `CAREERS_PATH/pay.md` in the content folder.
    pub(super) fn pay_intro_page(&self) -> Option<usize> {
        let url = format!("{}/pay/", self.config().careers.path);
        self.site
            .pages
            .iter()
            .position(|p| p.url == url && !p.is_index)
    }

    /// The pay page's rows: each level with the band of each track (the
    /// lowest minimum to the highest maximum of its roles, per currency and
    /// period) and the link to the level's expectations.
    fn pay_levels(&self) -> Vec<serde_json::Value> {
        let careers = &self.config().careers;
        let lang = &self.config().language;
        let fw = self.framework();
        // (level, track) → (currency, period) → (min, max)
        type Bands = BTreeMap<(String, &'static str), (f64, f64)>;
        let mut bands: BTreeMap<(usize, usize), Bands> = BTreeMap::new();
        for (_, role) in self.careers.roles() {
            let Some(s) = &role.salary else { continue };
            let e = bands
                .entry((role.level, role.track))
                .or_default()
                .entry((s.currency.clone(), s.period.as_str()))
                .or_insert((s.min, s.max));
            e.0 = e.0.min(s.min);
            e.1 = e.1.max(s.max);
        }
        careers
            .levels
            .iter()
            .enumerate()
            .map(|(l, level)| {
                let cells: Vec<Vec<String>> = (0..careers.tracks.len())
                    .map(|t| {
                        bands.get(&(l, t)).map_or_else(Vec::new, |b| {
                            b.iter()
                                .map(|((cur, period), (min, max))| {
                                    format!("{} – {} per {period}", format_money(*min, cur, lang), format_money(*max, cur, lang))
                                })
                                .collect()
                        })
                    })
                    .collect();
                let level_urls: Vec<Option<String>> = (0..careers.tracks.len())
                    .map(|t| fw.map(|_| self.href(&self.level_url(t, l))))
                    .collect();
                serde_json::json!({"id": level.id, "name": level.name, "description": level.description,
                    "cells": cells, "level_urls": level_urls})
            })
            .collect()
    }

    fn render_pay(&self) -> (String, Result<String, Diagnostic>) {
        let careers = &self.config().careers;
        let url = format!("{}/pay/", careers.path);
        let fw = self.framework();
        let levels = self.pay_levels();
        let steps: Vec<serde_json::Value> = match fw {
            None => Vec::new(),
            Some(fw) => (0..careers.tracks.len())
                .map(|t| {
                    let list: Vec<serde_json::Value> = (0..careers.levels.len().saturating_sub(1))
                        .map(|l| {
                            let names: Vec<&str> =
                                fw.changes(t, l, l + 1).iter().map(|c| c.competency.name.as_str()).collect();
                            serde_json::json!({"from": careers.levels[l].name, "to": careers.levels[l + 1].name,
                                "url": self.href(&self.step_url(t, l)), "competencies": names})
                        })
                        .collect();
                    serde_json::json!({"track": careers.tracks[t].name, "steps": list})
                })
                .collect(),
        };
        let tracks: Vec<IdName> = careers.tracks.to_vec();
        let intro_id = self.pay_intro_page();
        let intro = intro_id.map(|i| &self.site.pages[i]);
        let intro_html = intro_id.map(|i| self.html(i));
        let value = serde_json::json!({
            "tracks": tracks, "levels": levels, "steps": steps,
            "has_framework": fw.is_some(),
            "framework_url": fw.map(|_| self.href(&self.fw_url(""))),
            "salaries_url": self.href(&format!("{}/salaries/", careers.path)),
            "intro": intro_html.as_deref(),
            "edit_url": intro.and_then(|p| self.edit_url(p)),
        });
        let title = intro.map_or("Pay and progression", |p| p.title.as_str());
        let description = "How pay is set and how it progresses: the salary band of every level and what moves you from one band to the next.";
        self.render_fw(
            "careers/pay.html",
            url,
            (title, description),
            Under::Careers,
            value,
        )
    }
}
