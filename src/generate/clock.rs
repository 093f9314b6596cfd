//! Calendar arithmetic for the generator: naive local moments as seconds since 1970-01-01.
//!
//! The example writes naive local timestamps (`YYYY-MM-DD HH:MM:SS`, read in the playbook's
//! time zone). Working on plain integers keeps the hot path (millions of activity rows) free of
//! allocation and time-zone lookups; every event is placed between 07:00 and 21:00, so no
//! generated moment falls into a daylight-saving gap or overlap of a North American or
//! European zone.

/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// Seconds in an hour.
pub const HOUR: i64 = 3_600;
/// Earliest local time of day an event is placed at.
pub const OPEN: i64 = 7 * HOUR;
/// Latest local time of day an event is placed at.
pub const CLOSE: i64 = 21 * HOUR;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// 0 = Monday ... 6 = Sunday.
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

pub fn is_weekend(day: i64) -> bool {
    weekday(day) >= 5
}

/// The next Monday-to-Friday day on or after `day`.
pub fn next_working_day(day: i64) -> i64 {
    match weekday(day) {
        5 => day + 2,
        6 => day + 1,
        _ => day,
    }
}

/// Day number of the first day of a month, with months counted past December allowed.
pub fn first_of_month(year: i32, month0: i64) -> i64 {
    let idx = i64::from(year) * 12 + month0;
    days_from_civil(
        idx.div_euclid(12) as i32,
        (idx.rem_euclid(12) + 1) as u32,
        1,
    )
}

/// `(year, month)` of a day number.
pub fn year_month(day: i64) -> (i32, u32) {
    let (y, m, _) = civil_from_days(day);
    (y, m)
}

/// Moves a moment into the day's opening hours: before 07:00 becomes 07:00 plus the excess
/// minutes modulo an hour; after 21:00 rolls to the next morning.
pub fn into_hours(t: i64) -> i64 {
    let day = t.div_euclid(DAY);
    let tod = t.rem_euclid(DAY);
    if tod < OPEN {
        day * DAY + OPEN + tod % HOUR
    } else if tod >= CLOSE {
        (day + 1) * DAY + OPEN + (tod - CLOSE) % HOUR
    } else {
        t
    }
}

fn push_2(buf: &mut Vec<u8>, v: u32) {
    buf.push(b'0' + (v / 10 % 10) as u8);
    buf.push(b'0' + (v % 10) as u8);
}

/// Appends `YYYY-MM-DD`.
pub fn push_date(buf: &mut Vec<u8>, day: i64) {
    let (y, m, d) = civil_from_days(day);
    let y = y.clamp(0, 9999) as u32;
    push_2(buf, y / 100);
    push_2(buf, y % 100);
    buf.push(b'-');
    push_2(buf, m);
    buf.push(b'-');
    push_2(buf, d);
}

/// Appends `YYYY-MM-DD HH:MM:SS`.
pub fn push_timestamp(buf: &mut Vec<u8>, t: i64) {
    push_date(buf, t.div_euclid(DAY));
    let tod = t.rem_euclid(DAY) as u32;
    buf.push(b' ');
    push_2(buf, tod / 3600);
    buf.push(b':');
    push_2(buf, tod / 60 % 60);
    buf.push(b':');
    push_2(buf, tod % 60);
}

/// `YYYY-MM-DD` as a string, for the playbook files.
pub fn date_string(day: i64) -> String {
    let mut b = Vec::with_capacity(10);
    push_date(&mut b, day);
    String::from_utf8_lossy(&b).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};

    #[test]
    fn civil_round_trip_matches_chrono() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for z in -800_000..800_000i64 {
            if z % 997 != 0 {
                continue;
            }
            let d = epoch + chrono::Duration::days(z);
            assert_eq!(civil_from_days(z), (d.year(), d.month(), d.day()));
            assert_eq!(days_from_civil(d.year(), d.month(), d.day()), z);
            assert_eq!(weekday(z), i64::from(d.weekday().num_days_from_monday()));
        }
    }

    #[test]
    fn formats_and_hours() {
        let day = days_from_civil(2026, 10, 31);
        let mut b = Vec::new();
        push_timestamp(&mut b, day * DAY + 9 * HOUR + 5 * 60 + 7);
        assert_eq!(b, b"2026-10-31 09:05:07");
        assert!(is_weekend(day));
        assert_eq!(next_working_day(day), days_from_civil(2026, 11, 2));
        assert_eq!(first_of_month(2026, 10), days_from_civil(2026, 11, 1));
        assert_eq!(first_of_month(2026, -1), days_from_civil(2025, 12, 1));
        assert_eq!(into_hours(day * DAY + 22 * HOUR), (day + 1) * DAY + OPEN);
        assert_eq!(into_hours(day * DAY + 3 * HOUR + 60), day * DAY + OPEN + 60);
        assert_eq!(date_string(day), "2026-10-31");
    }
}
