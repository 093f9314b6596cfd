//! Hand-written parsers for the strict ISO forms exports use most, `YYYY-MM-DD` and
//! `YYYY-MM-DD[ T]HH:MM[:SS]`: chrono's format-string parser costs about a microsecond a
//! value, and hand-offs carry five timestamps a row, activities one.
//!
//! Each function reads exactly its form or returns `None`; callers then use chrono as before.
//! Where a form matches, the result is the one chrono gives for `%Y-%m-%d` and
//! `%Y-%m-%d %H:%M[:%S]` (tested below), so the fast path never changes a value.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Four, two or two ASCII digits as a number (`None` on anything else).
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DD`, exactly, as a valid date.
pub fn date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..])?)
}

/// `HH:MM` or `HH:MM:SS` as a valid time of day. A leap second (`:60`) is left to chrono.
pub fn time(b: &[u8]) -> Option<NaiveTime> {
    let (h, m, s) = match b.len() {
        5 if b[2] == b':' => (&b[..2], &b[3..5], None),
        8 if b[2] == b':' && b[5] == b':' => (&b[..2], &b[3..5], Some(&b[6..8])),
        _ => return None,
    };
    let s = match s {
        Some(s) => digits(s)?,
        None => 0,
    };
    if s >= 60 {
        return None;
    }
    NaiveTime::from_hms_opt(digits(h)?, digits(m)?, s)
}

/// `YYYY-MM-DD HH:MM[:SS]` or the same with `T`, without an offset: a local date and time.
pub fn date_time(b: &[u8]) -> Option<NaiveDateTime> {
    if !matches!(b.len(), 16 | 19) || !matches!(b[10], b' ' | b'T') {
        return None;
    }
    Some(date(&b[..10])?.and_time(time(&b[11..])?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    /// Whatever the fast parsers accept, chrono reads the same; what they refuse, chrono
    /// still decides (the callers fall back to it).
    #[test]
    fn agrees_with_chrono() {
        let samples = [
            "2026-10-03",
            "2026-02-29",
            "2024-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-10-32",
            "0000-01-01",
            "9999-12-31",
            "2026-1-03",
            "2026/10/03",
            "20261003",
            "2026-10-03 09:30",
            "2026-10-03T09:30",
            "2026-10-03 09:30:15",
            "2026-10-03T23:59:59",
            "2026-10-03 24:00:00",
            "2026-10-03 12:60:00",
            "2026-10-03 12:00:60",
            "2026-10-03 9:30:15",
            "2026-10-03x09:30:15",
            "2026-10-03 09:30:1a",
            "+2026-10-03",
            "２０２６-10-03",
        ];
        for v in samples {
            let fast = date(v.as_bytes());
            let slow = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
            if let Some(d) = fast {
                assert_eq!(Some(d), slow, "{v}");
            }
            let fast = date_time(v.as_bytes());
            let slow = [
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok());
            if let Some(t) = fast {
                assert_eq!(Some(t), slow, "{v}");
            }
        }
        assert!(date(b"2026-10-03").is_some());
        assert!(date_time(b"2026-10-03 09:30:15").is_some());
        assert!(date_time(b"2026-10-03T09:30").is_some());
        assert!(date(b"2026-02-29").is_none());
        assert!(date_time(b"2026-10-03 12:00:60").is_none());
    }

    #[test]
    fn every_day_of_a_leap_year_and_every_minute_of_a_day() {
        let mut d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        while d.year_ce().1 == 2024 {
            let s = d.format("%Y-%m-%d").to_string();
            assert_eq!(date(s.as_bytes()), Some(d));
            d = d.succ_opt().unwrap();
        }
        for m in 0..24 * 60 {
            let s = format!("2026-10-03 {:02}:{:02}:07", m / 60, m % 60);
            let slow = NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S").ok();
            assert_eq!(date_time(s.as_bytes()), slow);
        }
    }
}
