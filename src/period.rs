//! Reporting periods (calendar months and quarters in the playbook's time zone) and `as_of`.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

/// A calendar month or quarter: `[start, end)` in local dates. Serialized with its `label`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub start: NaiveDate,
    /// First day after the period.
    pub end: NaiveDate,
    pub quarter: bool,
}

fn first_of(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("valid month")
}

fn add_months(d: NaiveDate, n: i32) -> NaiveDate {
    let idx = d.year() * 12 + d.month0() as i32 + n;
    first_of(idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

impl Period {
    pub fn month(year: i32, month: u32) -> Period {
        let start = first_of(year, month);
        Period {
            start,
            end: add_months(start, 1),
            quarter: false,
        }
    }

    pub fn quarter(year: i32, q: u32) -> Period {
        let start = first_of(year, (q - 1) * 3 + 1);
        Period {
            start,
            end: add_months(start, 3),
            quarter: true,
        }
    }

    /// `YYYY-MM` or `YYYY-Qn`.
    pub fn parse(s: &str) -> Option<Period> {
        let (y, rest) = s.trim().split_once('-')?;
        if y.len() != 4 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
            let q: u32 = q.parse().ok()?;
            return (1..=4).contains(&q).then(|| Period::quarter(year, q));
        }
        if rest.len() != 2 {
            return None;
        }
        let m: u32 = rest.parse().ok()?;
        (1..=12).contains(&m).then(|| Period::month(year, m))
    }

    /// The period of the same kind just before this one.
    pub fn previous(&self) -> Period {
        let n = if self.quarter { 3 } else { 1 };
        Period {
            start: add_months(self.start, -n),
            end: self.start,
            quarter: self.quarter,
        }
    }

    /// The last calendar month that ends on or before `as_of` (counting through that day).
    pub fn default_for(as_of: NaiveDate) -> Period {
        let next_day = as_of.succ_opt().unwrap_or(as_of);
        // The month containing the day after as_of starts right after the last complete month.
        let this = first_of(next_day.year(), next_day.month());
        let start = add_months(this, -1);
        Period::month(start.year(), start.month())
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        day >= self.start && day < self.end
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// The months of the period, as `YYYY-MM` labels.
    pub fn months(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut d = self.start;
        while d < self.end {
            out.push(Period::month(d.year(), d.month()));
            d = add_months(d, 1);
        }
        out
    }

    pub fn label(&self) -> String {
        if self.quarter {
            format!("{}-Q{}", self.start.year(), self.start.month0() / 3 + 1)
        } else {
            format!("{}-{:02}", self.start.year(), self.start.month())
        }
    }

    /// Each local day of the period.
    pub fn each_day(&self) -> impl Iterator<Item = NaiveDate> {
        let end = self.end;
        self.start.iter_days().take_while(move |d| *d < end)
    }
}

/// The local days the data covers: from the first day an event of a period's figures
/// happened to as_of's day (docs/metrics.md, "Coverage").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DataSpan {
    pub from: NaiveDate,
    /// as_of's local day.
    pub to: NaiveDate,
}

/// How much of a period the data covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// First day of the period the data covers (None: none of it).
    #[serde(rename = "covered_from")]
    pub from: Option<NaiveDate>,
    /// Last day of the period the data covers.
    #[serde(rename = "covered_to")]
    pub to: Option<NaiveDate>,
    /// The data covers only part of the period: it starts after the period's first day or
    /// ends (as_of) before its last day.
    pub partial: bool,
}

impl Coverage {
    /// Days from the period's start to the first covered day, and how many days are covered:
    /// two periods compare like with like only when both are whole or these are equal.
    fn shape(&self, p: &Period) -> Option<(i64, i64)> {
        Some((
            (self.from? - p.start).num_days(),
            (self.to? - self.from?).num_days() + 1,
        ))
    }
}

impl Period {
    /// The part of the period the data covers.
    pub fn coverage(&self, data: DataSpan) -> Coverage {
        let last = self.end.pred_opt().unwrap_or(self.start);
        let from = self.start.max(data.from);
        let to = last.min(data.to);
        if from > to {
            return Coverage {
                from: None,
                to: None,
                partial: true,
            };
        }
        Coverage {
            from: Some(from),
            to: Some(to),
            partial: from != self.start || to != last,
        }
    }

    /// True when the data covers none of the period.
    pub fn is_empty_in(&self, data: DataSpan) -> bool {
        self.coverage(data).from.is_none()
    }

    /// Whether the changes from `previous` to this period compare like with like: both are
    /// wholly covered, or both cover the same days counted from their first day.
    pub fn comparable(&self, previous: &Period, data: DataSpan) -> bool {
        let (a, b) = (self.coverage(data), previous.coverage(data));
        match (a.partial, b.partial) {
            (false, false) => true,
            _ => a.shape(self).is_some() && a.shape(self) == b.shape(previous),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Period", 4)?;
        st.serialize_field("label", &self.label())?;
        st.serialize_field("start", &self.start)?;
        st.serialize_field("end", &self.end)?;
        st.serialize_field("quarter", &self.quarter)?;
        st.end()
    }
}

/// Read back from its `label` (closed statements, docs/comp.md); the other fields follow from it.
impl<'de> serde::Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Labelled {
            label: String,
        }
        let l = Labelled::deserialize(d)?;
        Period::parse(&l.label)
            .filter(|p| p.label() == l.label)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{}` is not a period (YYYY-MM or YYYY-Qn)",
                    l.label
                ))
            })
    }
}

/// Monday to Friday.
pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The local date of a moment in the playbook's time zone.
pub fn local_date(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// The first instant of local day `day` in `tz`: its midnight, the earlier one when a clock
/// change repeats it, or, where a daylight-saving change skips midnight (Santiago, Havana,
/// Cairo, Beirut, São Paulo until 2018...), the instant the clocks jump to. A day a zone skipped
/// entirely (Apia, 2011-12-30) starts where the next one does. Every "start of a local day" of
/// Baton is this function.
pub fn start_of_day(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    if let Some(t) = tz.from_local_datetime(&midnight).earliest() {
        return t.with_timezone(&Utc);
    }
    // Midnight does not exist: find the first instant whose local time is past it. No zone is
    // ever more than 16 h from UTC, so 36 h either side brackets it, and a gap is never that
    // close to a clock going back over midnight, so the local time only grows in between.
    let past = |t: i64| {
        Utc.timestamp_opt(t, 0)
            .single()
            .is_some_and(|u| u.with_timezone(&tz).naive_local() >= midnight)
    };
    let guess = midnight.and_utc().timestamp();
    let (mut lo, mut hi) = (guess - 36 * 3600, guess + 36 * 3600);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if past(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Utc.timestamp_opt(hi, 0)
        .single()
        .unwrap_or_else(|| midnight.and_utc())
}

/// The last instant of local day `day` in `tz`: one nanosecond (the finest a timestamp keeps)
/// before the next day starts ([`start_of_day`]), so 23:59:59.999999999 local wherever the next
/// midnight exists, and an event at 23:59:59.5 is still inside the day (issue 19 follow-up).
/// Every "end of a local day" of Baton (`--as-of`, date-only events) is this function.
pub fn end_of_day(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    start_of_day(day.succ_opt().unwrap_or(day), tz) - chrono::Duration::nanoseconds(1)
}

/// An instant as metrics.json and `--json` write it (docs/metrics.md, "Periods and as_of"):
/// RFC 3339 in UTC, to the whole second when it has no fraction or when the fraction is the
/// .999999999 that [`end_of_day`] leaves (`2026-10-31T23:59:59Z` for "through the end of that
/// day"); otherwise with the fraction the export gave, in digits of three (`.500`).
pub fn rfc3339(t: DateTime<Utc>) -> String {
    use chrono::{SecondsFormat, Timelike};
    match t.nanosecond() {
        0 | 999_999_999 => t.to_rfc3339_opts(SecondsFormat::Secs, true),
        _ => t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    }
}

/// [`rfc3339`] for serde's `serialize_with`.
pub fn serialize_instant<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*t))
}

/// [`rfc3339`] for serde's `serialize_with`, on an optional instant (`null` when `None`).
pub fn serialize_opt_instant<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&rfc3339(*t)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parse_months_and_quarters() {
        let p = Period::parse("2026-10").unwrap();
        assert_eq!((p.start, p.end), (d("2026-10-01"), d("2026-11-01")));
        let q = Period::parse("2026-Q3").unwrap();
        assert_eq!((q.start, q.end), (d("2026-07-01"), d("2026-10-01")));
        assert_eq!(q.previous().label(), "2026-Q2");
        assert_eq!(
            Period::parse("2026-01").unwrap().previous().label(),
            "2025-12"
        );
        assert!(Period::parse("2026-13").is_none());
        assert!(Period::parse("2026-Q5").is_none());
        assert_eq!(q.months().len(), 3);
    }

    /// issue 20, section 3: the example's data runs from 2026-05-01 to 2026-10-31.
    #[test]
    fn coverage_of_partial_and_empty_periods() {
        let data = DataSpan {
            from: d("2026-05-01"),
            to: d("2026-10-31"),
        };
        let q4 = Period::parse("2026-Q4").unwrap();
        let c = q4.coverage(data);
        assert_eq!(
            (c.from, c.to, c.partial),
            (Some(d("2026-10-01")), Some(d("2026-10-31")), true)
        );
        // Q4 has one month of data (31 days), Q3 all 92: not comparable.
        assert!(!q4.comparable(&q4.previous(), data));
        // Q3 is whole; Q2 from 2026-05-01 only.
        let q3 = Period::parse("2026-Q3").unwrap();
        assert!(!q3.coverage(data).partial);
        assert!(q3.previous().coverage(data).partial);
        assert!(!q3.comparable(&q3.previous(), data));
        // October and September are both whole, though 31 and 30 days long.
        let oct = Period::parse("2026-10").unwrap();
        assert!(oct.comparable(&oct.previous(), data));
        // Wholly after as_of or before the first record: empty.
        assert!(Period::parse("2027-01").unwrap().is_empty_in(data));
        assert!(Period::parse("2026-04").unwrap().is_empty_in(data));
        assert!(!Period::parse("2026-05").unwrap().is_empty_in(data));
        // October to the 15th against a whole September: not comparable.
        let mid = DataSpan {
            from: d("2026-05-01"),
            to: d("2026-10-15"),
        };
        assert!(oct.coverage(mid).partial);
        assert!(!oct.comparable(&oct.previous(), mid));
    }

    #[test]
    fn default_is_last_complete_month() {
        assert_eq!(Period::default_for(d("2026-10-31")).label(), "2026-10");
        assert_eq!(Period::default_for(d("2026-10-30")).label(), "2026-09");
        assert_eq!(Period::default_for(d("2026-01-05")).label(), "2025-12");
    }

    #[test]
    fn august_2026_has_21_working_days() {
        let p = Period::parse("2026-08").unwrap();
        assert_eq!(p.each_day().filter(|d| is_working_day(*d)).count(), 21);
    }

    /// issue 19: in Santiago the clocks jump from 2026-09-05 24:00 to 01:00, so 2026-09-05
    /// ends at 23:59:59.999999999 local (UTC-4), 03:59:59.999999999Z, not at UTC midnight
    /// (19:59 local).
    #[test]
    fn end_of_day_when_the_next_midnight_is_skipped() {
        let tz: Tz = "America/Santiago".parse().unwrap();
        let e = end_of_day(d("2026-09-05"), tz);
        assert_eq!(e.to_rfc3339(), "2026-09-06T03:59:59.999999999+00:00");
        assert_eq!(
            e.with_timezone(&tz).naive_local().to_string(),
            "2026-09-05 23:59:59.999999999"
        );
        assert_eq!(rfc3339(e), "2026-09-06T03:59:59Z");
        // The next day starts at 01:00 local (UTC-3), the instant after.
        assert_eq!(
            start_of_day(d("2026-09-06"), tz).to_rfc3339(),
            "2026-09-06T04:00:00+00:00"
        );
    }

    /// Issue 19 follow-up: 23:59:59.5 on a day is inside it; metrics.json writes the day's end
    /// to the second, and a fraction the export gave as it is.
    #[test]
    fn the_last_second_of_a_day_is_inside_it() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let e = end_of_day(d("2026-10-31"), tz);
        let half = Utc.with_ymd_and_hms(2026, 11, 1, 3, 59, 59).unwrap()
            + chrono::Duration::milliseconds(500);
        assert_eq!(local_date(half, tz), d("2026-10-31"));
        assert!(half <= e);
        assert_eq!(rfc3339(e), "2026-11-01T03:59:59Z");
        assert_eq!(rfc3339(half), "2026-11-01T03:59:59.500Z");
        assert_eq!(
            rfc3339(Utc.with_ymd_and_hms(2026, 10, 5, 14, 30, 0).unwrap()),
            "2026-10-05T14:30:00Z"
        );
    }

    /// Every zone of chrono-tz, on every day around each of its offset changes from 1900 to
    /// 2050: a day starts at the first instant whose local date is that day or later (the
    /// second before is still an earlier day), and ends one nanosecond before the next one
    /// starts.
    /// Offsets are sampled at each UTC noon; a change shows as two noons with different
    /// offsets, and the days around it are checked second-exact.
    #[test]
    fn start_and_end_of_day_in_every_zone() {
        use chrono::Offset;
        let first = d("1900-01-01");
        let days = (d("2050-12-31") - first).num_days();
        let mut checked = 0;
        for tz in chrono_tz::TZ_VARIANTS {
            let offset_at = |day: NaiveDate| {
                tz.offset_from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
                    .fix()
                    .local_minus_utc()
            };
            let mut prev = offset_at(first);
            for n in 1..days {
                let day = first + chrono::Duration::days(n);
                let now = offset_at(day);
                if now == prev {
                    continue;
                }
                prev = now;
                for k in -2..=2 {
                    let day = day + chrono::Duration::days(k);
                    let s = start_of_day(day, tz);
                    let before = s - chrono::Duration::seconds(1);
                    assert!(local_date(s, tz) >= day, "{tz} {day}: starts at {s}");
                    assert!(local_date(before, tz) < day, "{tz} {day}: starts at {s}");
                    let next = day.succ_opt().unwrap();
                    let e = end_of_day(day, tz);
                    assert_eq!(e + chrono::Duration::nanoseconds(1), start_of_day(next, tz));
                    assert!(local_date(e, tz) <= day, "{tz} {day}: ends at {e}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }
}
