//! How a cell's text becomes a value: timestamps and dates in the playbook's time zone (with a
//! mapping's formats, ISO 8601 and Excel serial days), and amounts (currency symbols,
//! thousands separators, a decimal comma). Pure functions: the reader locates a value that
//! does not parse.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::day_window::DayWindow;
use crate::error::quoted;
use crate::model::notes::same_ignoring_case;

/// Parses an RFC 3339 timestamp, or a naive date or date-time read in `tz`.
pub fn parse_timestamp(v: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    // The common strict forms first (none of them is RFC 3339, which needs an offset).
    if let Some(naive) = super::iso::date_time(v.as_bytes()) {
        return localize(naive, v, tz);
    }
    if let Some(day) = super::iso::date(v.as_bytes()) {
        return Ok(start_of_day(day, tz));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(day) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(start_of_day(day, tz));
    }
    // `%.f` keeps a fraction of a second (`.5`, `.123`, up to nanoseconds) where the export has
    // one (issue 19, item 3).
    let naive = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok());
    let Some(naive) = naive else {
        return Err(format!(
            "{} is not a date or timestamp (expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or RFC 3339)",
            quoted(v)
        ));
    };
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // The earlier of the two readings, as most calendars do.
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(format!(
            "{} does not exist in time zone {tz} (skipped by a daylight-saving change)",
            quoted(v)
        )),
    }
}

/// A date or timestamp in the configured `format` (chrono syntax, or `excel` for serial day
/// numbers), falling back to the unambiguous ISO forms of [`parse_timestamp`].
pub fn parse_moment(v: &str, format: Option<&str>, tz: Tz) -> Result<DateTime<Utc>, String> {
    let Some(fmt) = format else {
        return parse_timestamp(v, tz);
    };
    match in_format(v, fmt, tz) {
        Some(t) => t,
        None => parse_timestamp(v, tz).map_err(|_| {
            format!(
                "{} does not match the date format {fmt:?} set in playbook/mapping.yaml",
                quoted(v)
            )
        }),
    }
}

/// A date or timestamp in any of `formats` (one real export mixed `1/18/2021 0:00` and
/// `10/11/2022` in one column), falling back to the ISO forms. Every format is tried, in
/// order: a value that two formats read as different moments (`10/11/2022` under both
/// `%m/%d/%Y` and `%d/%m/%Y`) is rejected as ambiguous, never guessed.
pub fn parse_moment_in(v: &str, formats: &[String], tz: Tz) -> Result<DateTime<Utc>, String> {
    let [_, _, ..] = formats else {
        return parse_moment(v, formats.first().map(String::as_str), tz);
    };
    let mut read: Option<(DateTime<Utc>, &str)> = None;
    let mut failed = None;
    for fmt in formats {
        match in_format(v, fmt, tz) {
            None => {}
            Some(Err(e)) => failed = failed.or(Some(e)),
            Some(Ok(t)) => match read {
                None => read = Some((t, fmt)),
                Some((first, by)) if first != t => {
                    return Err(format!(
                        "{} is ambiguous: the date format {by:?} reads it as {}, {fmt:?} as {} (playbook/mapping.yaml); Baton does not guess",
                        quoted(v),
                        first.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                        t.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                    ));
                }
                Some(_) => {}
            },
        }
    }
    if let Some((t, _)) = read {
        return Ok(t);
    }
    if let Some(e) = failed {
        return Err(e);
    }
    parse_timestamp(v, tz).map_err(|_| {
        let list: Vec<String> = formats.iter().map(|f| format!("{f:?}")).collect();
        format!(
            "{} matches none of the date formats {} set in playbook/mapping.yaml",
            quoted(v),
            list.join(", ")
        )
    })
}

/// `v` read in the one format `fmt` (chrono syntax or `excel`): `None` when it does not
/// match, an error when it names a local time that does not exist.
fn in_format(v: &str, fmt: &str, tz: Tz) -> Option<Result<DateTime<Utc>, String>> {
    let naive = if same_ignoring_case(fmt, "excel") {
        excel_serial(v)
    } else {
        match NaiveDateTime::parse_from_str(v, fmt) {
            Ok(t) => Some(t),
            Err(_) => match NaiveDate::parse_from_str(v, fmt) {
                Ok(day) => return Some(Ok(start_of_day(day, tz))),
                Err(_) => None,
            },
        }
    };
    naive.map(|n| localize(n, v, tz))
}

/// Excel's serial day number (days since 1899-12-30, the fraction being the time of day), to
/// the millisecond: the finest time Excel shows, and coarse enough to drop the binary
/// fraction's noise (0.5 s is 0.000005787... of a day).
fn excel_serial(v: &str) -> Option<NaiveDateTime> {
    let x: f64 = v.parse().ok()?;
    if !(1.0..2_958_466.0).contains(&x) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let millis = (x * 86_400_000.0).round() as i64;
    base.checked_add_signed(chrono::Duration::milliseconds(millis))
}

/// The first instant of a local day, right in every zone: defined with the other local-day
/// boundaries in `period`.
pub use crate::period::start_of_day;

/// Which local days of a time zone have no daylight-saving change, with their one offset,
/// remembered per day: in a [`DayWindow`], so a row costs an index whatever the order of the
/// rows (a hash map behind a "last day" cache was 4% of reading shuffled activities; issue
/// 24), and in a map for the days beyond it.
pub(crate) struct Days {
    tz: Tz,
    window: DayWindow<Option<i32>>,
    far: std::collections::HashMap<NaiveDate, Option<i32>, foldhash::fast::RandomState>,
}

impl Days {
    pub(crate) fn new(tz: Tz) -> Days {
        Days {
            tz,
            window: DayWindow::default(),
            far: Default::default(),
        }
    }

    /// Whether every local time of `day` is one instant with one offset.
    pub(crate) fn plain(&mut self, day: NaiveDate) -> bool {
        self.offset(day).is_some()
    }

    /// The offset (seconds east of UTC) of every local time of `day`, or `None` when the day
    /// has a daylight-saving change: sampled every quarter hour and at the last second (zones
    /// change at most twice a year, on the hour or the half hour), so a naive time on that day
    /// is that instant: `from_local_datetime` would give the same single offset.
    pub(crate) fn offset(&mut self, day: NaiveDate) -> Option<i32> {
        let tz = self.tz;
        let slot = match self.window.slot(day) {
            Some(slot) => slot,
            None => return *self.far.entry(day).or_insert_with(|| day_offset(tz, day)),
        };
        *slot.get_or_insert_with(|| day_offset(tz, day))
    }
}

/// The one offset of every local time of `day` in `tz`, if it has one (see [`Days::offset`]).
fn day_offset(tz: Tz, day: NaiveDate) -> Option<i32> {
    let start = day.and_time(chrono::NaiveTime::MIN);
    let offsets: Option<Vec<i32>> = (0..96)
        .map(|q| start + chrono::Duration::minutes(15 * q))
        .chain(std::iter::once(start + chrono::Duration::seconds(86_399)))
        .map(|t: NaiveDateTime| {
            tz.from_local_datetime(&t)
                .single()
                .map(|x| chrono::Offset::fix(x.offset()).local_minus_utc())
        })
        .collect();
    offsets
        .filter(|o| o.windows(2).all(|w| w[0] == w[1]))
        .map(|o| o[0])
}

thread_local! {
    /// The days [`localize`] has met, for the zone it was last asked about.
    static DAYS: std::cell::RefCell<Option<Days>> = const { std::cell::RefCell::new(None) };
}

/// A naive local date and time in `tz` as an instant. On a day without a daylight-saving
/// change ([`Days`]) that is the time less the day's one offset, remembered per day: the
/// time-zone search costs about as much as reading the rest of a timestamp, and hand-offs carry
/// four a row. Other days, and what they reject, go to chrono as before.
pub(crate) fn localize(naive: NaiveDateTime, v: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let offset = DAYS.with(|days| {
        let mut days = days.borrow_mut();
        let days = match &mut *days {
            Some(d) if d.tz == tz => d,
            other => other.insert(Days::new(tz)),
        };
        days.offset(naive.date())
    });
    if let Some(t) =
        offset.and_then(|o| naive.checked_sub_signed(chrono::Duration::seconds(i64::from(o))))
    {
        return Ok(Utc.from_utc_datetime(&t));
    }
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(format!(
            "{} does not exist in time zone {tz} (skipped by a daylight-saving change)",
            quoted(v)
        )),
    }
}

/// Parses an amount as exported: currency symbols or codes, spaces, thousands separators in
/// groups of three, and a decimal point (or comma with `decimal_comma`); `(x)` is negative.
/// Anything ambiguous (`1,2,3`, two decimal marks) is refused, not guessed.
pub fn parse_amount(v: &str, decimal_comma: bool) -> Option<Decimal> {
    let mut s = v.trim();
    // `-?digits[.digits]`, as most exports write amounts: the string the rules below would
    // build is the value itself, so it is parsed without building it.
    let plain = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !decimal_comma {
        let unsigned = s.strip_prefix('-').unwrap_or(s);
        let simple = match unsigned.split_once('.') {
            Some((i, f)) => plain(i) && plain(f),
            None => plain(unsigned),
        };
        if simple {
            return s.parse().ok();
        }
    }
    let negative_paren = s.starts_with('(') && s.ends_with(')');
    if negative_paren {
        s = &s[1..s.len() - 1];
    }
    let cleaned: String = s
        .trim_start_matches(|c: char| c.is_ascii_uppercase())
        .trim_end_matches(|c: char| c.is_ascii_uppercase())
        .chars()
        .filter(|c| !matches!(c, '$' | '€' | '£' | '¥' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let (group, point) = if decimal_comma {
        ('.', ',')
    } else {
        (',', '.')
    };
    let (int_part, frac) = match cleaned.split_once(point) {
        Some((i, f)) => (i, Some(f)),
        None => (cleaned.as_str(), None),
    };
    if frac.is_some_and(|f| f.contains([point, group])) {
        return None;
    }
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", int_part),
    };
    if digits.contains(group) {
        let parts: Vec<&str> = digits.split(group).collect();
        let ok =
            !parts[0].is_empty() && parts[0].len() <= 3 && parts[1..].iter().all(|p| p.len() == 3);
        if !ok {
            return None;
        }
    }
    let plain = format!(
        "{sign}{}{}",
        digits.replace(group, ""),
        frac.map(|f| format!(".{f}")).unwrap_or_default()
    );
    if plain.is_empty()
        || !plain
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    let d: Decimal = plain.parse().ok()?;
    Some(if negative_paren { -d } else { d })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(fs: &[&str]) -> Vec<String> {
        fs.iter().map(|f| f.to_string()).collect()
    }

    /// Issue 21: one column mixed `1/18/2021 0:00` and `10/11/2022`; both read with a list.
    #[test]
    fn several_formats_are_tried_in_order() {
        let utc = Tz::UTC;
        let fs = formats(&["%m/%d/%Y %H:%M", "%m/%d/%Y"]);
        let t = parse_moment_in("1/18/2021 0:00", &fs, utc).expect("first format");
        assert_eq!(t.to_rfc3339(), "2021-01-18T00:00:00+00:00");
        let t = parse_moment_in("10/11/2022", &fs, utc).expect("second format");
        assert_eq!(t.to_rfc3339(), "2022-10-11T00:00:00+00:00");
        // ISO stays readable whatever the formats.
        assert!(parse_moment_in("2022-10-11", &fs, utc).is_ok());
        let e = parse_moment_in("18.01.2021", &fs, utc).expect_err("no format");
        assert!(e.contains("matches none of the date formats"), "{e}");
    }

    /// A value two formats read as different days is rejected, never guessed; one they read
    /// alike is the same day either way.
    #[test]
    fn a_value_two_formats_read_differently_is_ambiguous() {
        let utc = Tz::UTC;
        let fs = formats(&["%m/%d/%Y", "%d/%m/%Y"]);
        let e = parse_moment_in("10/11/2022", &fs, utc).expect_err("ambiguous");
        assert!(e.contains("is ambiguous"), "{e}");
        assert!(e.contains("2022-10-11") && e.contains("2022-11-10"), "{e}");
        // 13 cannot be a month: only the second format reads it.
        let t = parse_moment_in("13/01/2022", &fs, utc).expect("one reading");
        assert_eq!(t.to_rfc3339(), "2022-01-13T00:00:00+00:00");
        let t = parse_moment_in("05/05/2022", &fs, utc).expect("same day");
        assert_eq!(t.to_rfc3339(), "2022-05-05T00:00:00+00:00");
    }
}
