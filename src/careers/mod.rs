//! Careers as data: roles, their salary bands and openings.
//!
//! `resolve` turns each page's raw `role` table into a validated `Role`
//! (track and level from `site.toml`, a salary band whose invariants hold,
//! an opening with parsed dates), reporting every problem with the file and
//! line. The generated careers pages and JobPosting data are built from
//! these values by `jobposting` and `render`; nothing here renders HTML.

pub(crate) mod codes;
pub(crate) mod country_names;
pub(crate) mod framework;
pub(crate) mod jobposting;

use crate::config::CareersConfig;
use crate::content::frontmatter::{RawDate, RawOpening, RawRole, RawSalary};
use crate::content::{Page, Site};
use crate::date::Date;
use crate::diagnostic::{self, Code, Diagnostic};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Period {
    Year,
    Month,
    Week,
    Day,
    Hour,
}

impl Period {
    const ALL: [(&'static str, Period); 5] = [
        ("year", Period::Year),
        ("month", Period::Month),
        ("week", Period::Week),
        ("day", Period::Day),
        ("hour", Period::Hour),
    ];

    /// schema.org `unitText`.
    pub(crate) fn unit_text(self) -> &'static str {
        match self {
            Period::Year => "YEAR",
            Period::Month => "MONTH",
            Period::Week => "WEEK",
            Period::Day => "DAY",
            Period::Hour => "HOUR",
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        Period::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(s, _)| *s)
            .unwrap_or("year")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Workplace {
    Onsite,
    Hybrid,
    Remote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum EmploymentType {
    FullTime,
    PartTime,
    Contract,
    Temporary,
    Intern,
}

impl EmploymentType {
    const ALL: [(&'static str, EmploymentType); 5] = [
        ("full-time", EmploymentType::FullTime),
        ("part-time", EmploymentType::PartTime),
        ("contract", EmploymentType::Contract),
        ("temporary", EmploymentType::Temporary),
        ("intern", EmploymentType::Intern),
    ];

    /// schema.org `employmentType`.
    pub(crate) fn schema(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "FULL_TIME",
            EmploymentType::PartTime => "PART_TIME",
            EmploymentType::Contract => "CONTRACTOR",
            EmploymentType::Temporary => "TEMPORARY",
            EmploymentType::Intern => "INTERN",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "Full-time",
            EmploymentType::PartTime => "Part-time",
            EmploymentType::Contract => "Contract",
            EmploymentType::Temporary => "Temporary",
            EmploymentType::Intern => "Internship",
        }
    }
}

/// A salary range; `min <= max` holds by construction.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct SalaryBand {
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) currency: String,
    pub(crate) period: Period,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Opening {
    pub(crate) locations: Vec<String>,
    pub(crate) country: String,
    pub(crate) workplace: Workplace,
    pub(crate) employment_type: EmploymentType,
    pub(crate) opens: Date,
    pub(crate) closes: Option<Date>,
    pub(crate) apply_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Role {
    pub(crate) also_known_as: Vec<String>,
    /// Index into `careers.tracks`.
    pub(crate) track: usize,
    /// Index into `careers.levels` (ladder position).
    pub(crate) level: usize,
    pub(crate) salary: Option<SalaryBand>,
    pub(crate) reports_to: Option<String>,
    pub(crate) opening: Option<Opening>,
    /// Whether the opening is live today (present and not past `closes`).
    pub(crate) is_open: bool,
}

/// What the careers stage made of the site: each page's validated role
/// (indexed like `site.pages`) and the career framework.
#[derive(Debug, Clone, Default)]
pub struct Careers {
    pub(crate) roles: Vec<Option<Role>>,
    /// `framework.toml` and `framework/*.toml`, validated (`framework::load`).
    pub(crate) framework: Option<std::sync::Arc<framework::Framework>>,
}

impl Careers {
    /// Page `i`'s validated role, if it has one.
    pub(crate) fn role(&self, i: usize) -> Option<&Role> {
        self.roles.get(i).and_then(Option::as_ref)
    }

    /// Pages with a validated role, with their index.
    pub(crate) fn roles(&self) -> impl Iterator<Item = (usize, &Role)> {
        self.roles
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().map(|r| (i, r)))
    }

    /// Whether the site has careers data, so careers pages are generated.
    pub(crate) fn enabled(&self, config: &crate::config::Config) -> bool {
        !config.careers.tracks.is_empty() || self.roles.iter().any(Option::is_some)
    }
}

/// Validates every page's `role` table (the framework was read at load).
pub(crate) fn resolve(
    site: &Site,
    framework: Option<std::sync::Arc<framework::Framework>>,
    today: Date,
    diags: &mut Vec<Diagnostic>,
) -> Careers {
    let careers = &site.config.careers;
    let roles: Vec<Option<Role>> = site
        .pages
        .iter()
        .map(|page| {
            let raw = page.raw_role.as_ref()?;
            resolve_role(page, raw, careers, today, diags)
        })
        .collect();
    let any_open = roles.iter().flatten().any(|r| r.is_open);
    if any_open && site.config.organization.name.is_none() {
        diags.push(
            Diagnostic::warning(Code::MissingOrganization, crate::config::CONFIG_FILE, "open roles are published without an organisation name")
                .hint("set name under [organization] in site.toml: JobPosting data names the hiring organisation, and the site title is used until then"),
        );
    }
    Careers { roles, framework }
}

/// Site-relative URLs of the generated careers pages and files.
pub(crate) fn generated_urls(
    careers: &CareersConfig,
    framework: Option<&framework::Framework>,
) -> Vec<String> {
    let base = &careers.path;
    let mut urls = vec![
        format!("{base}/roles/"),
        format!("{base}/ladder/"),
        format!("{base}/salaries/"),
        format!("{base}/open/"),
        format!("{base}/roles.json"),
        format!("{base}/open-roles.xml"),
        format!("{base}/pay/"),
    ];
    urls.extend(framework::page_urls(careers, framework));
    urls
}

/// The content page that may stand at the pay page's URL: its text
/// introduces the generated pay page (`content/CAREERS_PATH/pay.md`).
pub(crate) fn pay_intro_url(careers: &CareersConfig) -> String {
    format!("{}/pay/", careers.path)
}

fn resolve_role(
    page: &Page,
    raw: &RawRole,
    careers: &CareersConfig,
    today: Date,
    diags: &mut Vec<Diagnostic>,
) -> Option<Role> {
    let check = RoleCheck {
        page,
        raw,
        careers,
        today,
    };
    let before = diags.iter().filter(|d| d.is_error()).count();
    let track_ids = careers.tracks.iter().map(|t| t.id.as_str()).collect();
    let track = check.pick(&raw.track, "track", track_ids, diags);
    let level_ids = careers.levels.iter().map(|l| l.id.as_str()).collect();
    let level = check.pick(&raw.level, "level", level_ids, diags);
    let salary = raw.salary.as_ref().and_then(|s| check.salary(s, diags));
    let opening = raw
        .opening
        .as_ref()
        .and_then(|o| check.opening(o, salary.is_some(), diags));
    if diags.iter().filter(|d| d.is_error()).count() > before {
        return None;
    }
    let is_open = opening
        .as_ref()
        .is_some_and(|o| o.closes.is_none_or(|c| c >= today));
    Some(Role {
        also_known_as: raw.also_known_as.clone().unwrap_or_default(),
        track: track?,
        level: level?,
        salary,
        reports_to: raw.reports_to.clone(),
        opening,
        is_open,
    })
}

/// One page's `role` table being validated: what errors point at.
struct RoleCheck<'a> {
    page: &'a Page,
    raw: &'a RawRole,
    careers: &'a CareersConfig,
    today: Date,
}

impl RoleCheck<'_> {
    /// The file line of the first of `keys` found under `[role]`, else of
    /// the `role` table itself.
    fn line(&self, keys: &[&str]) -> Option<usize> {
        let page = self.page;
        keys.iter()
            .find_map(|k| diagnostic::line_of_key_in(&page.front, "role", k))
            .or_else(|| diagnostic::line_of_key(&page.front, "role", 0))
            .map(|l| l + page.front_line - 1)
    }

    fn err(&self, msg: String, keys: &[&str]) -> Diagnostic {
        Diagnostic::error(Code::InvalidRole, &self.page.display, msg).at_line(self.line(keys))
    }

    /// The index of a track or level id defined in site.toml.
    fn pick(
        &self,
        value: &Option<String>,
        what: &str,
        ids: Vec<&str>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let Some(v) = value else {
            diags.push(self.err(format!("role has no `{what}`"), &["role"]).hint(
                diagnostic::suggest("", &format!("{what}s in site.toml"), &ids),
            ));
            return None;
        };
        if let Some(i) = ids.iter().position(|id| id == v) {
            return Some(i);
        }
        let hint = if ids.is_empty() {
            format!("define [[careers.{what}s]] entries in site.toml, e.g. id = \"{v}\"")
        } else {
            diagnostic::suggest(v, &format!("{what}s"), &ids)
        };
        diags.push(
            self.err(
                format!("{what} \"{v}\" is not defined in site.toml"),
                &[what],
            )
            .hint(hint),
        );
        None
    }

    /// Salary: defaults fill currency and period; min and max must be
    /// given. `None` for a placeholder band or when anything is wrong.
    fn salary(&self, s: &RawSalary, diags: &mut Vec<Diagnostic>) -> Option<SalaryBand> {
        let careers = self.careers;
        let currency = s
            .currency
            .clone()
            .or_else(|| careers.default_currency.clone());
        let period = self.period(s.period.as_deref(), diags);
        // An open role with require_salary gets the "complete range" error later.
        let covered = careers.require_salary && self.raw.opening.is_some();
        if currency.is_none() && (s.min.is_some() || s.max.is_some()) && !covered {
            diags.push(
                self.err("salary has no `currency`".into(), &["salary"])
                    .hint("add currency = \"GBP\" (ISO 4217) to the salary, or default_currency under [careers] in site.toml"),
            );
        }
        if let Some(c) = &currency {
            self.check_currency(c, diags);
        }
        self.check_range(s, diags);
        let placeholder = placeholder_band(
            self.page,
            self.raw,
            careers,
            self.today,
            self.line(&["salary"]),
            diags,
        );
        match (s.min, s.max, currency, period, placeholder) {
            (Some(min), Some(max), Some(currency), Some(period), false) if min <= max => {
                Some(SalaryBand {
                    min,
                    max,
                    currency,
                    period,
                })
            }
            _ => None,
        }
    }

    fn period(&self, period: Option<&str>, diags: &mut Vec<Diagnostic>) -> Option<Period> {
        let Some(p) = period else {
            return Some(Period::Year);
        };
        if let Some((_, p)) = Period::ALL.iter().find(|(n, _)| *n == p) {
            return Some(*p);
        }
        let names: Vec<&str> = Period::ALL.iter().map(|(n, _)| *n).collect();
        diags.push(
            self.err(
                format!("salary period \"{p}\" is not one of year, month, week, day, hour"),
                &["period", "salary"],
            )
            .hint(diagnostic::suggest(p, "periods", &names)),
        );
        None
    }

    fn check_currency(&self, c: &str, diags: &mut Vec<Diagnostic>) {
        if codes::CURRENCIES.contains(&c) {
            return;
        }
        let upper = c.to_ascii_uppercase();
        let hint = if codes::CURRENCIES.contains(&upper.as_str()) {
            format!("currency codes are upper-case: write \"{upper}\"")
        } else {
            "use an ISO 4217 code such as GBP, EUR or USD".to_string()
        };
        diags.push(
            self.err(
                format!("currency \"{c}\" is not an ISO 4217 code"),
                &["currency", "salary"],
            )
            .hint(hint),
        );
    }

    /// Both ends positive numbers, min not above max.
    fn check_range(&self, s: &RawSalary, diags: &mut Vec<Diagnostic>) {
        for (name, v) in [("min", s.min), ("max", s.max)] {
            if let Some(v) = v {
                if !v.is_finite() || v < 0.0 {
                    diags.push(self.err(
                        format!("salary {name} must be a positive number, not {v}"),
                        &[name, "salary"],
                    ));
                }
            }
        }
        if let (Some(min), Some(max)) = (s.min, s.max) {
            if min > max {
                diags.push(
                    self.err(
                        format!("salary min ({min}) is above max ({max})"),
                        &["min", "salary"],
                    )
                    .hint("swap the two values: min is the bottom of the band"),
                );
            }
        }
    }

    /// `[role.opening]`: country, workplace, employment type, dates, the
    /// apply link and locations; the salary it must publish.
    fn opening(
        &self,
        o: &RawOpening,
        has_salary: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Opening> {
        let careers = self.careers;
        let country = o.country.clone().or_else(|| careers.country.clone());
        self.check_country(country.as_deref(), diags);
        let workplace = self.workplace(o.workplace.as_deref().unwrap_or("onsite"), diags);
        let employment = self.employment(o.employment_type.as_deref(), diags);
        let dates = self.dates(o, diags);
        if let Some(url) = &o.apply_url {
            self.check_apply_url(url, diags);
        }
        let locations: Vec<String> = o.locations.clone().unwrap_or_default();
        if locations.is_empty() && matches!(workplace, Some(Workplace::Onsite | Workplace::Hybrid))
        {
            diags.push(
                self.err(
                    "an onsite or hybrid opening needs at least one location".into(),
                    &["locations", "workplace", "opening"],
                )
                .hint("add locations = [\"London\"], or set workplace = \"remote\""),
            );
        }
        self.check_published_salary(has_salary, diags);
        let (Some(country), Some(workplace), Some(employment_type), Some((opens, closes))) =
            (country, workplace, employment, dates)
        else {
            return None;
        };
        if let Some(c) = closes.filter(|c| *c < self.today) {
            diags.push(
                Diagnostic::warning(
                    Code::OpeningClosed,
                    &self.page.display,
                    format!("opening closed on {c}; the role is shown as not open"),
                )
                .at_line(self.line(&["closes"]))
                .hint("remove [role.opening] when the vacancy is filled, or move `closes` forward"),
            );
        }
        Some(Opening {
            locations,
            country,
            workplace,
            employment_type,
            opens,
            closes,
            apply_url: o.apply_url.clone().or_else(|| careers.apply_url.clone()),
        })
    }

    fn check_country(&self, country: Option<&str>, diags: &mut Vec<Diagnostic>) {
        match country {
            None => diags.push(
                self.err("opening has no `country`".into(), &["opening"])
                    .hint("add country = \"GB\" (ISO 3166-1 alpha-2) to the opening, or a default under [careers] in site.toml"),
            ),
            Some(c) if !codes::COUNTRIES.contains(&c) => {
                let upper = c.to_ascii_uppercase();
                let hint = if codes::COUNTRIES.contains(&upper.as_str()) {
                    format!("country codes are upper-case: write \"{upper}\"")
                } else if c.eq_ignore_ascii_case("uk") {
                    "the ISO code for the United Kingdom is \"GB\"".into()
                } else {
                    "use an ISO 3166-1 alpha-2 code such as GB, IE, DE or US".into()
                };
                diags.push(self.err(format!("country \"{c}\" is not an ISO 3166-1 alpha-2 code"), &["country"]).hint(hint));
            }
            Some(_) => {}
        }
    }

    fn workplace(&self, w: &str, diags: &mut Vec<Diagnostic>) -> Option<Workplace> {
        match w {
            "onsite" | "on-site" => Some(Workplace::Onsite),
            "hybrid" => Some(Workplace::Hybrid),
            "remote" => Some(Workplace::Remote),
            other => {
                diags.push(
                    self.err(
                        format!("workplace \"{other}\" is not one of onsite, hybrid, remote"),
                        &["workplace"],
                    )
                    .hint(diagnostic::suggest(
                        other,
                        "workplaces",
                        &["onsite", "hybrid", "remote"],
                    )),
                );
                None
            }
        }
    }

    fn employment(&self, t: Option<&str>, diags: &mut Vec<Diagnostic>) -> Option<EmploymentType> {
        let Some(t) = t else {
            return Some(EmploymentType::FullTime);
        };
        if let Some((_, e)) = EmploymentType::ALL.iter().find(|(n, _)| *n == t) {
            return Some(*e);
        }
        let names: Vec<&str> = EmploymentType::ALL.iter().map(|(n, _)| *n).collect();
        diags.push(
            self.err(
                format!("employment_type \"{t}\" is not one of {}", names.join(", ")),
                &["employment_type"],
            )
            .hint(diagnostic::suggest(t, "employment types", &names)),
        );
        None
    }

    /// `opens` (required) and `closes`, parsed and in order; `None` when
    /// either is wrong.
    fn dates(&self, o: &RawOpening, diags: &mut Vec<Diagnostic>) -> Option<(Date, Option<Date>)> {
        let mut date = |key: &str, v: &Option<RawDate>| -> Option<Option<Date>> {
            match v {
                None => Some(None),
                Some(raw) => match raw.parse() {
                    Ok(d) => Some(Some(d)),
                    Err(msg) => {
                        diags.push(self.err(format!("`{key}`: {msg}"), &[key]));
                        None
                    }
                },
            }
        };
        let opens = date("opens", &o.opens);
        let closes = date("closes", &o.closes);
        let opens = match opens {
            Some(Some(d)) => Some(d),
            Some(None) => {
                diags.push(
                    self.err("opening has no `opens` date".into(), &["opening"])
                        .hint("add opens = 2026-11-01: search engines show it as the posting date"),
                );
                None
            }
            None => None,
        };
        if let (Some(o), Some(Some(c))) = (opens, closes) {
            if c < o {
                diags.push(self.err(
                    format!("opening closes ({c}) before it opens ({o})"),
                    &["closes"],
                ));
            }
        }
        Some((opens?, closes?))
    }

    fn check_apply_url(&self, url: &str, diags: &mut Vec<Diagnostic>) {
        let lower = url.trim().to_ascii_lowercase();
        if !(lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("mailto:"))
        {
            diags.push(
                self.err(format!("apply_url \"{url}\" must be an https://, http:// or mailto: address"), &["apply_url"])
                    .hint("candidates follow this link to apply, e.g. apply_url = \"https://jobs.example.com/123\""),
            );
        }
    }

    /// With `careers.require_salary`, an open role publishes a complete range.
    fn check_published_salary(&self, has_salary: bool, diags: &mut Vec<Diagnostic>) {
        let careers = self.careers;
        if careers.require_salary
            && !has_salary
            && self.raw.salary.as_ref().is_none_or(|s| {
                s.min.is_none()
                    || s.max.is_none()
                    || (s.currency.is_none() && careers.default_currency.is_none())
            })
        {
            diags.push(
                self.err("an open role must publish a complete salary range (min, max, currency, period)".into(), &["salary", "opening"])
                    .hint("add salary = { min = 50000, max = 60000, currency = \"GBP\", period = \"year\" } under [role]; pay-transparency rules require a range on job adverts (set careers.require_salary = false to allow it)"),
            );
        }
    }
}

/// A band with a zero end (what `handbook new role` writes) is a
/// placeholder, never published: an error when the site requires salaries
/// or the role is open, else a warning (and on drafts, a warning).
fn placeholder_band(
    page: &Page,
    raw: &RawRole,
    careers: &CareersConfig,
    today: Date,
    line: Option<usize>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let Some(s) = &raw.salary else { return false };
    if s.min != Some(0.0) && s.max != Some(0.0) {
        return false;
    }
    let open = raw.opening.as_ref().is_some_and(|o| {
        o.closes
            .as_ref()
            .and_then(|c| c.parse().ok())
            .is_none_or(|c: Date| c >= today)
    });
    let draft = page.draft || raw.draft.unwrap_or(false);
    let why = if open {
        "the role is open"
    } else {
        "careers.require_salary is on"
    };
    let message = format!(
        "salary band {} – {} is a placeholder",
        s.min.unwrap_or(0.0),
        s.max.unwrap_or(0.0)
    );
    let hint = "fill in the real range, e.g. salary = { min = 50000, max = 60000 }: a zero band would be published as \"0 – 0\" and in the JobPosting data";
    if (open || careers.require_salary) && !draft {
        diags.push(
            Diagnostic::error(
                Code::PlaceholderSalary,
                &page.display,
                format!("{message} ({why})"),
            )
            .at_line(line)
            .hint(hint),
        );
    } else {
        diags.push(
            Diagnostic::warning(
                Code::PlaceholderSalary,
                &page.display,
                format!("{message}; it is not published"),
            )
            .at_line(line)
            .hint(hint),
        );
    }
    true
}

/// Warnings `handbook check` adds: gendered words in role titles.
pub(crate) fn lint_titles(site: &Site, careers: &Careers) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        if page.raw_role.is_none() {
            continue;
        }
        let titles = std::iter::once(page.title.as_str()).chain(
            careers
                .role(i)
                .into_iter()
                .flat_map(|r| r.also_known_as.iter().map(String::as_str)),
        );
        for title in titles {
            for word in title.split(|c: char| !c.is_alphanumeric()) {
                let lower = word.to_lowercase();
                if let Some((w, neutral)) = codes::GENDERED_TITLES.iter().find(|(w, _)| *w == lower)
                {
                    out.push(
                        Diagnostic::warning(Code::GenderedTitle, &page.display, format!("job title \"{title}\" uses the gendered word \"{w}\""))
                            .at_line(diagnostic::line_of_key(&page.front, "title", 0).map(|l| l + page.front_line - 1))
                            .hint(format!("use a neutral title such as \"{neutral}\"; the EU pay transparency directive asks adverts to be gender-neutral")),
                    );
                }
            }
        }
    }
    out
}
