//! Careers as data: roles, their salary bands and openings.
//!
//! `resolve` turns each page's raw `role` table into a validated `Role`
//! (track and level from `site.toml`, a salary band whose invariants hold,
//! an opening with parsed dates), reporting every problem with the file and
//! line. The generated careers pages and JobPosting data are built from
//! these values by `jobposting` and `render`; nothing here renders HTML.

pub mod codes;
pub(crate) mod country_names;
pub mod framework;
pub mod jobposting;

use crate::config::CareersConfig;
use crate::content::{frontmatter::RawRole, Page, Site};
use crate::date::Date;
use crate::diagnostic::{self, Code, Diagnostic};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
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
    pub fn unit_text(self) -> &'static str {
        match self {
            Period::Year => "YEAR",
            Period::Month => "MONTH",
            Period::Week => "WEEK",
            Period::Day => "DAY",
            Period::Hour => "HOUR",
        }
    }

    pub fn as_str(self) -> &'static str {
        Period::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(s, _)| *s)
            .unwrap_or("year")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Workplace {
    Onsite,
    Hybrid,
    Remote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmploymentType {
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
    pub fn schema(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "FULL_TIME",
            EmploymentType::PartTime => "PART_TIME",
            EmploymentType::Contract => "CONTRACTOR",
            EmploymentType::Temporary => "TEMPORARY",
            EmploymentType::Intern => "INTERN",
        }
    }

    pub fn label(self) -> &'static str {
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
pub struct SalaryBand {
    pub min: f64,
    pub max: f64,
    pub currency: String,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Opening {
    pub locations: Vec<String>,
    pub country: String,
    pub workplace: Workplace,
    pub employment_type: EmploymentType,
    pub opens: Date,
    pub closes: Option<Date>,
    pub apply_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub also_known_as: Vec<String>,
    /// Index into `careers.tracks`.
    pub track: usize,
    /// Index into `careers.levels` (ladder position).
    pub level: usize,
    pub salary: Option<SalaryBand>,
    pub reports_to: Option<String>,
    pub opening: Option<Opening>,
    /// Whether the opening is live today (present and not past `closes`).
    pub is_open: bool,
}

/// Validates every page's `role` table and stores the result in `page.role`.
pub fn resolve(site: &mut Site, today: Date, diags: &mut Vec<Diagnostic>) {
    let careers = site.config.careers.clone();
    for page in site.pages.iter_mut() {
        if let Some(raw) = page.raw_role.take() {
            page.role = resolve_role(page, &raw, &careers, today, diags);
            page.raw_role = Some(raw);
        }
    }
    let any_open = site
        .pages
        .iter()
        .any(|p| p.role.as_ref().is_some_and(|r| r.is_open));
    if any_open && site.config.organization.name.is_none() {
        diags.push(
            Diagnostic::warning(Code::MissingOrganization, crate::config::CONFIG_FILE, "open roles are published without an organisation name")
                .hint("set name under [organization] in site.toml: JobPosting data names the hiring organisation, and the site title is used until then"),
        );
    }
}

/// Whether the site has careers data, so careers pages should be generated.
pub fn enabled(site: &Site) -> bool {
    !site.config.careers.tracks.is_empty() || site.pages.iter().any(|p| p.role.is_some())
}

/// Site-relative URLs of the generated careers pages and files.
pub fn generated_urls(careers: &CareersConfig) -> Vec<String> {
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
    urls.extend(framework::page_urls(careers));
    urls
}

/// The content page that may stand at the pay page's URL: its text
/// introduces the generated pay page (`content/CAREERS_PATH/pay.md`).
pub fn pay_intro_url(careers: &CareersConfig) -> String {
    format!("{}/pay/", careers.path)
}

fn resolve_role(
    page: &Page,
    raw: &RawRole,
    careers: &CareersConfig,
    today: Date,
    diags: &mut Vec<Diagnostic>,
) -> Option<Role> {
    let line = |keys: &[&str]| -> Option<usize> {
        keys.iter()
            .find_map(|k| diagnostic::line_of_key_in(&page.front, "role", k))
            .or_else(|| diagnostic::line_of_key(&page.front, "role", 0))
            .map(|l| l + page.front_line - 1)
    };
    let err = |msg: String, keys: &[&str]| {
        Diagnostic::error(Code::InvalidRole, &page.display, msg).at_line(line(keys))
    };
    let before = diags.iter().filter(|d| d.is_error()).count();

    let pick = |value: &Option<String>,
                what: &str,
                ids: Vec<&str>,
                diags: &mut Vec<Diagnostic>|
     -> Option<usize> {
        match value {
            None => {
                diags.push(err(format!("role has no `{what}`"), &["role"]).hint(
                    diagnostic::suggest("", &format!("{what}s in site.toml"), &ids),
                ));
                None
            }
            Some(v) => {
                match ids.iter().position(|id| id == v) {
                    Some(i) => Some(i),
                    None => {
                        let hint = if ids.is_empty() {
                            format!("define [[careers.{what}s]] entries in site.toml, e.g. id = \"{v}\"")
                        } else {
                            diagnostic::suggest(v, &format!("{what}s"), &ids)
                        };
                        diags.push(
                            err(
                                format!("{what} \"{v}\" is not defined in site.toml"),
                                &[what],
                            )
                            .hint(hint),
                        );
                        None
                    }
                }
            }
        }
    };
    let track = pick(
        &raw.track,
        "track",
        careers.tracks.iter().map(|t| t.id.as_str()).collect(),
        diags,
    );
    let level = pick(
        &raw.level,
        "level",
        careers.levels.iter().map(|l| l.id.as_str()).collect(),
        diags,
    );

    // Salary: defaults fill currency and period; min and max must be given.
    let mut salary = None;
    if let Some(s) = &raw.salary {
        let currency = s
            .currency
            .clone()
            .or_else(|| careers.default_currency.clone());
        let period = match s.period.as_deref() {
            None => Some(Period::Year),
            Some(p) => {
                match Period::ALL.iter().find(|(n, _)| *n == p) {
                    Some((_, p)) => Some(*p),
                    None => {
                        let names: Vec<&str> = Period::ALL.iter().map(|(n, _)| *n).collect();
                        diags.push(
                        err(format!("salary period \"{p}\" is not one of year, month, week, day, hour"), &["period", "salary"])
                            .hint(diagnostic::suggest(p, "periods", &names)),
                    );
                        None
                    }
                }
            }
        };
        // An open role with require_salary gets the "complete range" error below.
        let covered = careers.require_salary && raw.opening.is_some();
        if currency.is_none() && (s.min.is_some() || s.max.is_some()) && !covered {
            diags.push(
                err("salary has no `currency`".into(), &["salary"])
                    .hint("add currency = \"GBP\" (ISO 4217) to the salary, or default_currency under [careers] in site.toml"),
            );
        }
        if let Some(c) = &currency {
            if !codes::CURRENCIES.contains(&c.as_str()) {
                let upper = c.to_ascii_uppercase();
                let hint = if codes::CURRENCIES.contains(&upper.as_str()) {
                    format!("currency codes are upper-case: write \"{upper}\"")
                } else {
                    "use an ISO 4217 code such as GBP, EUR or USD".to_string()
                };
                diags.push(
                    err(
                        format!("currency \"{c}\" is not an ISO 4217 code"),
                        &["currency", "salary"],
                    )
                    .hint(hint),
                );
            }
        }
        for (name, v) in [("min", s.min), ("max", s.max)] {
            if let Some(v) = v {
                if !v.is_finite() || v < 0.0 {
                    diags.push(err(
                        format!("salary {name} must be a positive number, not {v}"),
                        &[name, "salary"],
                    ));
                }
            }
        }
        if let (Some(min), Some(max)) = (s.min, s.max) {
            if min > max {
                diags.push(
                    err(
                        format!("salary min ({min}) is above max ({max})"),
                        &["min", "salary"],
                    )
                    .hint("swap the two values: min is the bottom of the band"),
                );
            }
        }
        let placeholder = placeholder_band(page, raw, careers, today, line(&["salary"]), diags);
        if let (Some(min), Some(max), Some(currency), Some(period), false) =
            (s.min, s.max, currency, period, placeholder)
        {
            if min <= max {
                salary = Some(SalaryBand {
                    min,
                    max,
                    currency,
                    period,
                });
            }
        }
    }

    let mut opening = None;
    if let Some(o) = &raw.opening {
        let country = o.country.clone().or_else(|| careers.country.clone());
        match &country {
            None => diags.push(
                err("opening has no `country`".into(), &["opening"])
                    .hint("add country = \"GB\" (ISO 3166-1 alpha-2) to the opening, or a default under [careers] in site.toml"),
            ),
            Some(c) if !codes::COUNTRIES.contains(&c.as_str()) => {
                let upper = c.to_ascii_uppercase();
                let hint = if codes::COUNTRIES.contains(&upper.as_str()) {
                    format!("country codes are upper-case: write \"{upper}\"")
                } else if c.eq_ignore_ascii_case("uk") {
                    "the ISO code for the United Kingdom is \"GB\"".into()
                } else {
                    "use an ISO 3166-1 alpha-2 code such as GB, IE, DE or US".into()
                };
                diags.push(err(format!("country \"{c}\" is not an ISO 3166-1 alpha-2 code"), &["country"]).hint(hint));
            }
            Some(_) => {}
        }
        let workplace = match o.workplace.as_deref().unwrap_or("onsite") {
            "onsite" | "on-site" => Some(Workplace::Onsite),
            "hybrid" => Some(Workplace::Hybrid),
            "remote" => Some(Workplace::Remote),
            other => {
                diags.push(
                    err(
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
        };
        let employment = match o.employment_type.as_deref() {
            None => Some(EmploymentType::FullTime),
            Some(t) => match EmploymentType::ALL.iter().find(|(n, _)| *n == t) {
                Some((_, e)) => Some(*e),
                None => {
                    let names: Vec<&str> = EmploymentType::ALL.iter().map(|(n, _)| *n).collect();
                    diags.push(
                        err(
                            format!("employment_type \"{t}\" is not one of {}", names.join(", ")),
                            &["employment_type"],
                        )
                        .hint(diagnostic::suggest(
                            t,
                            "employment types",
                            &names,
                        )),
                    );
                    None
                }
            },
        };
        let mut date =
            |key: &str, v: &Option<crate::content::frontmatter::RawDate>| -> Option<Option<Date>> {
                match v {
                    None => Some(None),
                    Some(raw) => match raw.parse() {
                        Ok(d) => Some(Some(d)),
                        Err(msg) => {
                            diags.push(err(format!("`{key}`: {msg}"), &[key]));
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
                    err("opening has no `opens` date".into(), &["opening"])
                        .hint("add opens = 2026-11-01: search engines show it as the posting date"),
                );
                None
            }
            None => None,
        };
        if let (Some(o), Some(Some(c))) = (opens, closes) {
            if c < o {
                diags.push(err(
                    format!("opening closes ({c}) before it opens ({o})"),
                    &["closes"],
                ));
            }
        }
        if let Some(url) = &o.apply_url {
            let lower = url.trim().to_ascii_lowercase();
            if !(lower.starts_with("https://")
                || lower.starts_with("http://")
                || lower.starts_with("mailto:"))
            {
                diags.push(
                    err(format!("apply_url \"{url}\" must be an https://, http:// or mailto: address"), &["apply_url"])
                        .hint("candidates follow this link to apply, e.g. apply_url = \"https://jobs.example.com/123\""),
                );
            }
        }
        let locations: Vec<String> = o.locations.clone().unwrap_or_default();
        if locations.is_empty() && matches!(workplace, Some(Workplace::Onsite | Workplace::Hybrid))
        {
            diags.push(
                err(
                    "an onsite or hybrid opening needs at least one location".into(),
                    &["locations", "workplace", "opening"],
                )
                .hint("add locations = [\"London\"], or set workplace = \"remote\""),
            );
        }
        if careers.require_salary
            && salary.is_none()
            && raw.salary.as_ref().is_none_or(|s| {
                s.min.is_none()
                    || s.max.is_none()
                    || (s.currency.is_none() && careers.default_currency.is_none())
            })
        {
            diags.push(
                err("an open role must publish a complete salary range (min, max, currency, period)".into(), &["salary", "opening"])
                    .hint("add salary = { min = 50000, max = 60000, currency = \"GBP\", period = \"year\" } under [role]; pay-transparency rules require a range on job adverts (set careers.require_salary = false to allow it)"),
            );
        }
        if let (Some(country), Some(workplace), Some(employment_type), Some(opens), Some(closes)) =
            (country, workplace, employment, opens, closes)
        {
            if let Some(c) = closes {
                if c < today {
                    diags.push(
                        Diagnostic::warning(Code::OpeningClosed, &page.display, format!("opening closed on {c}; the role is shown as not open"))
                            .at_line(line(&["closes"]))
                            .hint("remove [role.opening] when the vacancy is filled, or move `closes` forward"),
                    );
                }
            }
            opening = Some(Opening {
                locations,
                country,
                workplace,
                employment_type,
                opens,
                closes,
                apply_url: o.apply_url.clone().or_else(|| careers.apply_url.clone()),
            });
        }
    }

    let failed = diags.iter().filter(|d| d.is_error()).count() > before;
    if failed {
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
pub fn lint_titles(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in site
        .pages
        .iter()
        .filter(|p| p.role.is_some() || p.raw_role.is_some())
    {
        let titles = std::iter::once(page.title.as_str()).chain(
            page.role
                .iter()
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
