//! Salary bands drawn at build time: the inline SVG charts on the salaries
//! page and each track's section of the roles page, and the per-track
//! progression the ladder page shows.
//!
//! A chart has one bar per role, from the band's minimum to its maximum,
//! grouped by level, on one axis shared by every chart of the site (in the
//! site's currency and most common period), so overlapping bands line up.
//! Roles paid in another currency or period stay in the table only. The SVG
//! has no viewBox: bars and ticks are placed in percent of the width and
//! text keeps its pixel size, so labels stay readable on a 320 px screen.
//! Colours come from the theme's CSS classes (light, dark, print). The chart
//! is an image (`role="img"`) with a title and a description that lists
//! every band; the table beside it stays for screen readers and copying.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::views::{format_money, RoleView};
use super::Renderer;
use crate::content::slug::encode_path;
use crate::escape::escape_html;

/// The shared axis: its ends and tick values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Axis {
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) ticks: Vec<f64>,
}

impl Axis {
    /// Round ends and about five steps of 1, 2, 2.5 or 5 × 10ⁿ around `lo..hi`.
    pub(crate) fn nice(lo: f64, hi: f64) -> Axis {
        let span = (hi - lo).max(hi.abs() * 0.1).max(1.0);
        let raw = span / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        let min = (lo / step).floor() * step;
        let mut max = (hi / step).ceil() * step;
        if max <= min {
            max = min + step;
        }
        let n = ((max - min) / step).round() as usize;
        let ticks = (0..=n).map(|i| min + step * i as f64).collect();
        Axis { min, max, ticks }
    }

    /// Position of `v` in percent of the width.
    fn pct(&self, v: f64) -> f64 {
        ((v - self.min) / (self.max - self.min) * 100.0).clamp(0.0, 100.0)
    }
}

/// One bar: a role and its band.
struct Bar<'a> {
    role: &'a RoleView,
    min: f64,
    max: f64,
}

/// A level's step on a track's ladder, with its roles and bands.
#[derive(Serialize)]
pub(crate) struct LadderStep {
    pub(crate) level: String,
    pub(crate) description: Option<String>,
    pub(crate) rank: usize,
    pub(crate) roles: Vec<LadderRole>,
}

#[derive(Serialize)]
pub(crate) struct LadderRole {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) band: Option<String>,
    /// The band's start and width on the shared axis, in percent.
    pub(crate) left: Option<String>,
    pub(crate) width: Option<String>,
}

/// What the careers templates get from this module.
pub(crate) struct Charts {
    /// Every role on one chart (the salaries page).
    pub(crate) all: String,
    /// One chart per track, by track index (empty for a track without bands).
    pub(crate) tracks: Vec<String>,
    /// The ladder's progression, per track index.
    pub(crate) ladders: Vec<Vec<LadderStep>>,
}

/// The axis, currency and period every chart of the site shares.
struct Scale {
    axis: Axis,
    currency: String,
    period: &'static str,
}

impl Renderer<'_> {
    /// The shared scale: the site's currency (or the first role's), its
    /// most common period, and an axis around every band in them.
    fn chart_scale(&self) -> Scale {
        let mut roles: Vec<(&usize, &RoleView)> = self.prep.roles.iter().collect();
        roles.sort_by_key(|(i, _)| **i);
        let currency = self.config().careers.default_currency.clone().or_else(|| {
            roles
                .iter()
                .find_map(|(_, v)| v.salary.as_ref().map(|s| s.currency.clone()))
        });
        let currency = currency.unwrap_or_default();
        let mut periods: HashMap<&'static str, usize> = HashMap::new();
        for (_, v) in &roles {
            if let Some(s) = v.salary.as_ref().filter(|s| s.currency == currency) {
                *periods.entry(s.period).or_default() += 1;
            }
        }
        let period = periods
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map_or("year", |(p, _)| p);
        let bands = roles
            .iter()
            .filter_map(|(_, v)| v.salary.as_ref())
            .filter(|s| s.currency == currency && s.period == period);
        let (lo, hi) = bands.fold((f64::INFINITY, 0.0f64), |(lo, hi), s| {
            (lo.min(s.min), hi.max(s.max))
        });
        Scale {
            axis: Axis::nice(if lo.is_finite() { lo } else { 0.0 }, hi),
            currency,
            period,
        }
    }

    /// Bars (with each role's track) for the roles drawn on `scale`.
    fn bars<'r>(&self, roles: &[(usize, &'r RoleView)], scale: &Scale) -> Vec<(usize, Bar<'r>)> {
        roles
            .iter()
            .filter_map(|(i, v)| {
                let s = v.salary.as_ref()?;
                let track = self.role(*i)?.track;
                (s.currency == scale.currency && s.period == scale.period).then_some((
                    track,
                    Bar {
                        role: v,
                        min: s.min,
                        max: s.max,
                    },
                ))
            })
            .collect()
    }

    fn unit<'s>(&'s self, scale: &'s Scale) -> Unit<'s> {
        Unit {
            currency: scale.currency.clone(),
            period: scale.period,
            lang: &self.config().language,
        }
    }

    /// The chart of the roles directly in section `s` (a track's folder),
    /// empty when it has none with a band on the shared scale.
    pub(super) fn section_chart(&self, s: usize) -> String {
        let sec = &self.site.sections[s];
        let mut roles: Vec<(usize, &RoleView)> = sec
            .pages
            .iter()
            .filter_map(|i| self.prep.roles.get(i).map(|v| (*i, v)))
            .collect();
        if roles.is_empty() {
            return String::new();
        }
        roles.sort_by(|a, b| (a.1.rank, &a.1.title).cmp(&(b.1.rank, &b.1.title)));
        let scale = self.chart_scale();
        let bars = self.bars(&roles, &scale);
        let bars: Vec<&Bar> = bars.iter().map(|(_, b)| b).collect();
        let title = format!("{} salary bands by level", sec.title);
        let id = format!("salary-chart-section-{s}");
        chart(&id, &title, &bars, &scale.axis, &self.unit(&scale), 0)
    }

    /// Charts for `roles` (sorted by track, level, title).
    pub(super) fn salary_charts(&self, roles: &[(usize, &RoleView)]) -> Charts {
        let careers = &self.config().careers;
        let scale = self.chart_scale();
        let (axis, unit) = (&scale.axis, self.unit(&scale));
        let bars = self.bars(roles, &scale);
        let left_out = roles.iter().filter(|(_, v)| v.salary.is_some()).count() - bars.len();
        // Grouped by level: stable, so tracks keep their order within one.
        let mut all: Vec<&Bar> = bars.iter().map(|(_, b)| b).collect();
        all.sort_by_key(|b| b.role.rank);
        let title = "Salary bands by level";
        let all_chart = chart("salary-chart", title, &all, axis, &unit, left_out);
        let tracks = careers
            .tracks
            .iter()
            .enumerate()
            .map(|(ti, t)| {
                let mine: Vec<&Bar> = bars
                    .iter()
                    .filter(|(x, _)| *x == ti)
                    .map(|(_, b)| b)
                    .collect();
                let id = format!("salary-chart-{}", encode_path(&t.id));
                let title = format!("{} salary bands by level", t.name);
                chart(&id, &title, &mine, axis, &unit, 0)
            })
            .collect();
        let ladders = (0..careers.tracks.len())
            .map(|ti| self.ladder_steps(ti, roles, &bars, axis))
            .collect();
        Charts {
            all: all_chart,
            tracks,
            ladders,
        }
    }

    fn ladder_steps(
        &self,
        track: usize,
        roles: &[(usize, &RoleView)],
        bars: &[(usize, Bar)],
        axis: &Axis,
    ) -> Vec<LadderStep> {
        let careers = &self.config().careers;
        let mut steps: Vec<LadderStep> = Vec::new();
        for (i, v) in roles {
            let Some(role) = self.role(*i).filter(|r| r.track == track) else {
                continue;
            };
            if steps.last().map(|s| s.rank) != Some(role.level) {
                let level = &careers.levels[role.level];
                steps.push(LadderStep {
                    level: level.name.clone(),
                    description: level.description.clone(),
                    rank: role.level,
                    roles: Vec::new(),
                });
            }
            let bar = bars
                .iter()
                .find(|(_, b)| std::ptr::eq(b.role, *v))
                .map(|(_, b)| b);
            if let Some(step) = steps.last_mut() {
                step.roles.push(LadderRole {
                    title: v.title.clone(),
                    url: v.url.clone(),
                    band: v.salary.as_ref().map(|s| s.text.clone()),
                    left: bar.map(|b| format!("{:.2}%", axis.pct(b.min))),
                    width: bar.map(|b| format!("{:.2}%", axis.pct(b.max) - axis.pct(b.min))),
                });
            }
        }
        steps
    }
}

/// The currency and period the axis is in.
struct Unit<'a> {
    currency: String,
    period: &'a str,
    lang: &'a str,
}

impl Unit<'_> {
    fn money(&self, v: f64) -> String {
        format_money(v, &self.currency, self.lang)
    }
}

const GROUP_H: f64 = 26.0;
const LABEL_H: f64 = 18.0;
const BAND_H: f64 = 16.0;
const BAR_H: f64 = 14.0;
const ROW_GAP: f64 = 10.0;
const AXIS_H: f64 = 28.0;

/// One chart as inline SVG (empty when there are no bars).
fn chart(
    id: &str,
    title: &str,
    bars: &[&Bar],
    axis: &Axis,
    unit: &Unit,
    left_out: usize,
) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let per = format!("per {}", unit.period);
    let mut desc = format!(
        "One bar per role, from the lowest to the highest salary of its band, in {} {per}, grouped by level.",
        unit.currency
    );
    let mut body = String::new();
    let mut y = 0.0;
    let mut level = "";
    for bar in bars {
        let r = bar.role;
        if r.level.name != level {
            level = &r.level.name;
            y += GROUP_H;
            let _ = write!(
                body,
                "<text class=\"chart-group\" x=\"0\" y=\"{y:.0}\">{}</text>",
                escape_html(level)
            );
            let _ = write!(desc, " {level}:");
            y += 4.0;
        }
        y += LABEL_H;
        let band = format!("{} – {}", unit.money(bar.min), unit.money(bar.max));
        // Title and band on lines of their own, so neither runs off a
        // narrow screen.
        let _ = write!(
            body,
            "<text class=\"chart-label\" x=\"0\" y=\"{y:.0}\">{}</text><text class=\"chart-band\" x=\"0\" y=\"{:.0}\">{}</text>",
            escape_html(&r.title),
            y + BAND_H,
            escape_html(&band)
        );
        y += BAND_H;
        let _ = write!(desc, " {} {band};", r.title);
        y += 4.0;
        let (x0, x1) = (axis.pct(bar.min), axis.pct(bar.max));
        let _ = write!(
            body,
            "<rect class=\"chart-bar\" x=\"{x0:.2}%\" y=\"{y:.0}\" width=\"{:.2}%\" height=\"{BAR_H}\" rx=\"3\" data-role=\"{}\" data-min=\"{}\" data-max=\"{}\"/>",
            (x1 - x0).max(0.4),
            escape_html(&r.title),
            bar.min,
            bar.max
        );
        y += BAR_H + ROW_GAP;
    }
    if left_out > 0 {
        let _ = write!(
            desc,
            " {left_out} more paid in another currency or period are in the table only."
        );
    }
    let plot_h = y;
    let height = plot_h + AXIS_H;
    let grid = grid(axis, unit, plot_h, height);
    format!(
        "<figure class=\"salary-chart-figure\"><svg class=\"salary-chart\" id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" data-axis-min=\"{}\" data-axis-max=\"{}\" data-currency=\"{}\" data-period=\"{}\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{grid}{body}</svg><figcaption>{} {}, {per}.</figcaption></figure>",
        axis.min,
        axis.max,
        escape_html(&unit.currency),
        unit.period,
        escape_html(title),
        escape_html(&desc),
        escape_html(title),
        escape_html(&format!("in {}", unit.currency)),
    )
}

/// Vertical grid lines and tick labels under the bars.
fn grid(axis: &Axis, unit: &Unit, plot_h: f64, height: f64) -> String {
    let mut grid = String::new();
    let last = axis.ticks.len().saturating_sub(1);
    for (n, t) in axis.ticks.iter().enumerate() {
        let x = axis.pct(*t);
        let anchor = match n {
            0 => "start",
            n if n == last => "end",
            _ => "middle",
        };
        // Inner labels hide on narrow screens (see style.css).
        // The ends always show, and no two shown labels are neighbours.
        let minor = n != 0 && n != last && (n % 2 == 1 || n + 1 == last);
        let class = if minor {
            "chart-tick chart-tick-minor"
        } else {
            "chart-tick"
        };
        let _ = write!(
            grid,
            "<line class=\"chart-grid\" x1=\"{x:.2}%\" x2=\"{x:.2}%\" y1=\"0\" y2=\"{plot_h:.0}\"/><text class=\"{class}\" x=\"{x:.2}%\" y=\"{:.0}\" text-anchor=\"{anchor}\">{}</text>",
            height - 8.0,
            escape_html(&unit.money(*t))
        );
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_has_round_ends_that_contain_every_band() {
        let a = Axis::nice(35_000.0, 150_000.0);
        assert_eq!((a.min, a.max), (25_000.0, 150_000.0));
        assert_eq!(a.ticks.len(), 6);
        let b = Axis::nice(18.5, 31.0);
        assert!(b.min <= 18.5 && b.max >= 31.0, "{b:?}");
        assert_eq!(
            Axis::nice(50_000.0, 50_000.0).ticks.first(),
            Some(&50_000.0)
        );
    }
}
