//! The careers pages: role views (level, band, opening, neighbours on the
//! ladder), the roles, ladder, salaries and open-roles pages, `roles.json`
//! and the Atom feed of open roles.

use std::collections::{BTreeMap, HashMap};

use super::views::*;
use super::Renderer;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::output::feeds::{self, OpeningRecord, RoleRecord, RolesFile, SalaryRecord};
use crate::output::{Output, OutputFile};

impl Renderer<'_> {
    pub(super) fn role_views(&self) -> HashMap<usize, RoleView> {
        let site = self.site;
        let careers = &self.config().careers;
        let lang = &self.config().language;
        // Roles per (track, level), for previous/next level links.
        let mut by_track: HashMap<usize, BTreeMap<usize, Vec<usize>>> = HashMap::new();
        for (i, r) in self.careers.roles() {
            by_track
                .entry(r.track)
                .or_default()
                .entry(r.level)
                .or_default()
                .push(i);
        }
        let mut out = HashMap::new();
        for (i, p) in site.pages.iter().enumerate() {
            let Some(role) = self.careers.role(i) else {
                continue;
            };
            let levels = &by_track[&role.track];
            let prev_level = levels
                .range(..role.level)
                .next_back()
                .map(|(_, v)| self.link(v[0]));
            let next_level = levels
                .range(role.level + 1..)
                .next()
                .map(|(_, v)| self.link(v[0]));
            let track = &careers.tracks[role.track];
            let level = &careers.levels[role.level];
            out.insert(
                i,
                RoleView {
                    title: p.title.clone(),
                    url: self.href(&p.url),
                    track: track.clone(),
                    level: level.clone(),
                    rank: role.level,
                    salary: role.salary.as_ref().map(|s| SalaryView {
                        min: s.min,
                        max: s.max,
                        currency: s.currency.clone(),
                        period: s.period.as_str(),
                        text: format!(
                            "{} – {} {}",
                            format_money(s.min, &s.currency, lang),
                            format_money(s.max, &s.currency, lang),
                            period_label(role)
                        ),
                    }),
                    reports_to: role.reports_to.clone(),
                    also_known_as: role.also_known_as.clone(),
                    opening: role.opening.as_ref().map(|o| OpeningView {
                        locations: o.locations.clone(),
                        country: o.country.clone(),
                        workplace: workplace_label(o.workplace),
                        employment_type: o.employment_type.label(),
                        opens: o.opens.to_string(),
                        closes: o.closes.map(|d| d.to_string()),
                        apply_url: o.apply_url.clone(),
                    }),
                    is_open: role.is_open,
                    closed: role.opening.is_some() && !role.is_open,
                    prev_level,
                    next_level,
                },
            );
        }
        out
    }

    /// Roles in ladder order: track, then level, then title, then URL (two
    /// roles may share a title; the order must not depend on hashing).
    fn sorted_roles(&self) -> Vec<(usize, &RoleView)> {
        let mut roles: Vec<(usize, &RoleView)> =
            self.prep.roles.iter().map(|(i, v)| (*i, v)).collect();
        roles.sort_by(|a, b| {
            let (ra, rb) = (
                self.careers.role(a.0).unwrap(),
                self.careers.role(b.0).unwrap(),
            );
            (ra.track, ra.level, &a.1.title, &a.1.url)
                .cmp(&(rb.track, rb.level, &b.1.title, &b.1.url))
        });
        roles
    }

    /// The roles, ladder, salaries and open pages, `roles.json` and the
    /// open roles feed.
    pub(super) fn render_careers(
        &self,
        output: &mut Output,
        errors: &mut BTreeMap<String, (Diagnostic, usize)>,
    ) {
        let base = &self.config().careers.path;
        let roles = self.sorted_roles();
        let mut open: Vec<(usize, &RoleView)> =
            roles.iter().filter(|(_, v)| v.is_open).cloned().collect();
        open.sort_by(|a, b| {
            let oa = a.1.opening.as_ref().map(|o| o.opens.clone());
            let ob = b.1.opening.as_ref().map(|o| o.opens.clone());
            ob.cmp(&oa)
                .then(a.1.title.cmp(&b.1.title))
                .then(a.1.url.cmp(&b.1.url))
        });
        let mut view = self.careers_view(&roles, &open);
        for (template, slug, title) in [
            ("careers/roles.html", "roles", "All roles"),
            ("careers/ladder.html", "ladder", "Career ladder"),
            ("careers/salaries.html", "salaries", "Salary bands"),
            ("careers/open.html", "open", "Open roles"),
        ] {
            let url = format!("{base}/{slug}/");
            match self.render_plain(template, title, Some(("careers", &mut view, &url))) {
                Ok(html) => {
                    let path = format!("{url}index.html");
                    let html = self.localize(&path, html);
                    output.insert(path, OutputFile::bytes(html));
                }
                Err(d) => {
                    errors.entry(d.to_string()).or_insert((d, 0)).1 += 1;
                }
            }
        }
        output.insert(
            format!("{base}/roles.json"),
            OutputFile::bytes(self.roles_json(&roles)),
        );
        output.insert(
            format!("{base}/open-roles.xml"),
            OutputFile::bytes(self.open_roles_feed(&open)),
        );
    }

    /// What the four careers templates receive as `careers`.
    fn careers_view(
        &self,
        roles: &[(usize, &RoleView)],
        open: &[(usize, &RoleView)],
    ) -> serde_json::Value {
        let careers = &self.config().careers;
        let base = &careers.path;
        let charts = self.salary_charts(roles);
        let tracks: Vec<serde_json::Value> = careers
            .tracks
            .iter()
            .enumerate()
            .map(|(ti, t)| {
                let track_roles: Vec<&RoleView> = roles
                    .iter()
                    .filter(|(i, _)| self.careers.role(*i).unwrap().track == ti)
                    .map(|(_, v)| *v)
                    .collect();
                serde_json::json!({"id": t.id, "name": t.name, "description": t.description, "roles": track_roles,
                    "salary_chart": charts.tracks[ti], "progression": charts.ladders[ti]})
            })
            .collect();
        let levels: Vec<IdName> = careers.levels.to_vec();
        let all_roles: Vec<&RoleView> = roles.iter().map(|(_, v)| *v).collect();
        let open_roles: Vec<&RoleView> = open.iter().map(|(_, v)| *v).collect();
        serde_json::json!({
            "tracks": tracks,
            "levels": levels,
            "ladder": self.ladder_rows(roles),
            "salary_chart": charts.all,
            "roles": all_roles,
            "open": open_roles,
            "roles_json_url": self.href(&format!("{base}/roles.json")),
            "feed_url": self.href(&format!("{base}/open-roles.xml")),
            "framework_cells": self.framework_ladder(),
        })
    }

    /// The ladder: one row per level, one cell (the roles there) per track.
    fn ladder_rows(&self, roles: &[(usize, &RoleView)]) -> Vec<serde_json::Value> {
        let careers = &self.config().careers;
        careers
            .levels
            .iter()
            .enumerate()
            .map(|(li, l)| {
                let cells: Vec<Vec<LinkView>> = (0..careers.tracks.len())
                    .map(|ti| {
                        roles
                            .iter()
                            .filter(|(i, _)| {
                                let r = self.careers.role(*i).unwrap();
                                r.track == ti && r.level == li
                            })
                            .map(|(_, v)| LinkView { title: v.title.clone(), url: v.url.clone() })
                            .collect()
                    })
                    .collect();
                serde_json::json!({"level": {"id": l.id, "name": l.name, "description": l.description}, "cells": cells})
            })
            .collect()
    }

    /// `roles.json`: every role as data.
    fn roles_json(&self, roles: &[(usize, &RoleView)]) -> String {
        let records: Vec<RoleRecord> = roles.iter().map(|(i, v)| self.role_record(*i, v)).collect();
        let file = RolesFile {
            generated_by: self.site_view.generator.into(),
            roles: records,
        };
        serde_json::to_string_pretty(&file)
            .expect("roles.json is plain data with string keys always serialises")
    }

    fn role_record(&self, i: usize, v: &RoleView) -> RoleRecord {
        let page = &self.site.pages[i];
        let role = self.careers.role(i).unwrap();
        RoleRecord {
            title: v.title.clone(),
            url: self.permalink(&page.url),
            description: Some(self.description(i)).filter(|d| !d.is_empty()),
            also_known_as: v.also_known_as.clone(),
            track: v.track.id.clone(),
            track_name: v.track.name.clone(),
            level: v.level.id.clone(),
            level_name: v.level.name.clone(),
            level_rank: v.rank,
            salary: role.salary.as_ref().map(|s| SalaryRecord {
                min: s.min,
                max: s.max,
                currency: s.currency.clone(),
                period: s.period.as_str().into(),
            }),
            reports_to: v.reports_to.clone(),
            is_open: v.is_open,
            opening: role.opening.as_ref().map(|o| OpeningRecord {
                locations: o.locations.clone(),
                country: o.country.clone(),
                workplace: serde_json::to_value(o.workplace)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                employment_type: serde_json::to_value(o.employment_type)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                opens: o.opens.to_string(),
                closes: o.closes.map(|d| d.to_string()),
                apply_url: o.apply_url.clone(),
            }),
        }
    }

    /// The Atom feed of open roles, newest opening first.
    fn open_roles_feed(&self, open: &[(usize, &RoleView)]) -> String {
        let base = &self.config().careers.path;
        let entries: Vec<feeds::FeedEntry> =
            open.iter().map(|(i, v)| self.feed_entry(*i, v)).collect();
        let newest = entries
            .iter()
            .map(|e| e.updated.clone())
            .max()
            .unwrap_or_else(|| self.options.today.unwrap_or_else(Date::today).rfc3339());
        feeds::atom(
            &format!("Open roles · {}", self.site_view.title),
            &self.permalink(&format!("{base}/open-roles.xml")),
            &self.permalink(&format!("{base}/open/")),
            &newest,
            &feeds::FeedAuthor {
                name: self
                    .config()
                    .organization
                    .name
                    .as_deref()
                    .unwrap_or(self.site_view.title),
                uri: self.config().organization.url.as_deref(),
            },
            &entries,
        )
    }

    fn feed_entry(&self, i: usize, v: &RoleView) -> feeds::FeedEntry {
        let page = &self.site.pages[i];
        let o = v.opening.as_ref().unwrap();
        let mut summary = format!("{} · {}", v.level.name, v.track.name);
        if let Some(s) = &v.salary {
            summary.push_str(&format!(" · {}", s.text));
        }
        if !o.locations.is_empty() {
            summary.push_str(&format!(" · {}", o.locations.join(", ")));
        }
        summary.push_str(&format!(" · {}", o.workplace));
        let updated = page
            .updated
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| format!("{}T00:00:00Z", o.opens));
        feeds::FeedEntry {
            title: v.title.clone(),
            url: self.permalink(&page.url),
            id: format!("{}#opening-{}", self.permalink(&page.url), o.opens),
            opens: format!("{}T00:00:00Z", o.opens),
            updated,
            summary,
        }
    }
}
