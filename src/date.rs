//! Calendar dates (`YYYY-MM-DD`) as written in front matter, and today's date.
//!
//! Handbooks only need days, not times or zones, so this is a small value
//! type instead of a date-time dependency. Full RFC 3339 timestamps are
//! accepted and cut to their date.

use std::fmt;

/// Why a text is not a date; the message ends in the form to write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not in the `YYYY-MM-DD` form.
    #[error("\"{0}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01")]
    NotADate(String),
    #[error("\"{text}\" is not a calendar date (no day {day} in month {month})")]
    /// The form is right but the day does not exist.
    NoSuchDay {
        /// The text as written.
        text: String,
        /// The month it names.
        month: u8,
        /// The day it names.
        day: u8,
    },
}

/// A calendar date (proleptic Gregorian), as in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub(crate) year: i32,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

impl Date {
    /// Parses `2026-11-01` (or `2026-11-01T09:00:00Z`, keeping the date).
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        let date_part = s.get(..10).unwrap_or(s);
        let rest = s.get(10..).unwrap_or("");
        let bad = || DateError::NotADate(s.to_string());
        if !rest.is_empty() && !is_time_of_day(rest) {
            return Err(bad());
        }
        let mut parts = date_part.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = d.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay {
                text: s.to_string(),
                month,
                day,
            });
        }
        Ok(Date { year, month, day })
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days(secs.div_euclid(86_400))
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    pub(crate) fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date {
            year: (if m <= 2 { y + 1 } else { y }) as i32,
            month: m,
            day: d,
        }
    }

    /// RFC 3339 timestamp at midnight UTC, for feeds and sitemaps.
    pub(crate) fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }
}

/// Whether `rest` (what follows a date) is a time of day as RFC 3339 or YAML
/// timestamps write it: `T` or a space, `HH:MM`, optional `:SS` and
/// fraction, optional `Z` or `±HH:MM` offset. Anything else after a date is
/// a typo that must not be silently dropped.
fn is_time_of_day(rest: &str) -> bool {
    let Some(t) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let t = t.trim_end();
    let two_digits = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let (clock, zone) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let clock = clock.trim_end();
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let mut parts = clock.split(':');
    let hms_ok = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(m), None, None) => two_digits(h, 23) && two_digits(m, 59),
        (Some(h), Some(m), Some(s), None) => {
            two_digits(h, 23) && two_digits(m, 59) && two_digits(s, 60)
        }
        _ => false,
    };
    let fraction_ok = !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit());
    let zone_ok = match zone {
        "" | "Z" | "z" => true,
        z => z[1..]
            .split_once(':')
            .is_some_and(|(h, m)| two_digits(h, 23) && two_digits(m, 59)),
    };
    hms_ok && fraction_ok && zone_ok
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_rejects_nonsense() {
        assert_eq!(Date::parse("2026-11-01").unwrap().to_string(), "2026-11-01");
        assert_eq!(Date::parse("2026-11-01T09:30:00Z").unwrap().day, 1);
        assert!(Date::parse("2026-02-30").is_err());
    }

    #[test]
    fn a_date_followed_by_anything_but_a_time_is_rejected() {
        // Regression: "2026-11-01 garbage" used to parse as 1 November.
        for bad in [
            "2026-11-01 garbage",
            "2026-11-01Tnoon",
            "2026-11-01x",
            "2026-11-01 25:00",
            "2026-11-01T09:00+5",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should be rejected");
        }
        for good in [
            "2026-11-01 09:30",
            "2026-11-01 09:30:00",
            "2026-11-01T09:30:00.123Z",
            "2026-11-01T09:30:00+01:00",
            "2026-11-01 09:30:00 -05:00",
        ] {
            assert_eq!(
                Date::parse(good).map(|d| d.day),
                Ok(1),
                "{good} should parse"
            );
        }
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("01/11/2026").is_err());
        assert!(Date::parse("next tuesday").is_err());
        assert!(Date::parse("2026-11-01garbage").is_err());
    }

    #[test]
    fn days_since_epoch_to_civil() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_454).to_string(), "2026-01-01");
    }
}
