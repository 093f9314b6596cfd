//! SDR-AE 1:1 cadence (event rule: 1:1s by their date).
//!
//! A cadence unit is a playbook pairing (dedicated pods) or, in a pool pod, one SDR with any of
//! the pod's AEs. Expected 1:1s = round(working days in the period, up to as_of, on which both
//! reps were employed / 5) for a weekly cadence, / 10 for biweekly (half away from zero).
//! Units decide expected 1:1s and adherence only: 1:1s held count every row for both reps.

use chrono::NaiveDate;
use serde::Serialize;

use super::stats::Rate;
use crate::model::Rep;
use crate::period::{is_working_day, Period};
use crate::playbook::Cadence;

/// One unit's counts.
#[derive(Debug, Clone, Serialize)]
pub struct CadenceUnit {
    pub sdr: String,
    /// `None` for a pool pod: the SDR may meet any of the pod's AEs.
    pub ae: Option<String>,
    pub pod: String,
    /// The unit's own 1:1s (with its AE, or any of the pool pod's AEs), for adherence.
    pub held: u64,
    pub expected: u64,
}

/// Working days of `period` up to `last_day` on which every rep of `reps` was employed.
pub fn shared_working_days(period: &Period, last_day: NaiveDate, reps: &[&Rep]) -> u64 {
    period
        .each_day()
        .filter(|d| *d <= last_day && is_working_day(*d) && reps.iter().all(|r| r.employed_on(*d)))
        .count() as u64
}

pub fn expected(working_days: u64, cadence: Cadence) -> u64 {
    let per = u64::from(cadence.working_days());
    // round(x / per), half away from zero, in integers.
    (2 * working_days + per) / (2 * per)
}

/// `one_on_ones_held`, `one_on_ones_expected`, `one_on_one_adherence` of one entity: `held` is
/// every 1:1 row of the period the entity took part in, whether or not it belongs to a unit;
/// expected and adherence come from the entity's units: adherence = sum of min(held, expected)
/// / sum of expected over units, so one pair's extra meetings never hide another's lapse.
#[derive(Debug, Clone, Serialize)]
pub struct CadenceMetrics {
    pub one_on_ones_held: u64,
    pub one_on_ones_expected: u64,
    pub one_on_one_adherence: Rate,
}

pub fn cadence_metrics<'a>(
    held: u64,
    units: impl Iterator<Item = &'a CadenceUnit>,
) -> CadenceMetrics {
    let (mut expected, mut met) = (0, 0);
    for u in units {
        expected += u.expected;
        met += u.held.min(u.expected);
    }
    CadenceMetrics {
        one_on_ones_held: held,
        one_on_ones_expected: expected,
        one_on_one_adherence: Rate::new(met, expected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit of SDR `s` in pod `p` with no AE: `held` of `expected` 1:1s.
    fn u(held: u64, expected: u64) -> CadenceUnit {
        CadenceUnit {
            sdr: "s".into(),
            ae: None,
            pod: "p".into(),
            held,
            expected,
        }
    }

    #[test]
    fn expected_rounds_half_away_from_zero() {
        assert_eq!(expected(21, Cadence::Weekly), 4); // 4.2
        assert_eq!(expected(23, Cadence::Weekly), 5); // 4.6
        assert_eq!(expected(15, Cadence::Biweekly), 2); // 1.5
        assert_eq!(expected(14, Cadence::Biweekly), 1); // 1.4
        assert_eq!(expected(0, Cadence::Weekly), 0);
    }

    #[test]
    fn adherence_does_not_let_extra_meetings_hide_a_lapse() {
        let units = [u(8, 4), u(0, 4)];
        // 8 held in the units and 1 with an AE outside them: 9 held, adherence (4 + 0) / 8.
        let m = cadence_metrics(9, units.iter());
        assert_eq!(m.one_on_ones_held, 9);
        assert_eq!(m.one_on_one_adherence, Rate::new(4, 8));
    }

    fn rep(start: NaiveDate, end: Option<NaiveDate>) -> Rep {
        Rep {
            id: "s1".into(),
            name: "S".into(),
            role: crate::model::Role::Sdr,
            pod: "P".into(),
            start_date: start,
            end_date: end,
            payroll_id: None,
            source: crate::model::Source {
                file: "data/reps.csv".into(),
                line: 2,
            },
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
    }

    #[test]
    fn shared_working_days_count_weekdays_both_employed_up_to_the_last_day() {
        // October 2026: the 1st is a Thursday; weekdays 1-2, 5-9, 12-16, 19-23, 26-30 = 22.
        let oct = Period::month(2026, 10);
        let all = rep(day(1), None);
        assert_eq!(shared_working_days(&oct, day(31), &[&all]), 22);
        // Up to Friday the 9th, inclusive: 1, 2, 5, 6, 7, 8, 9 = 7.
        assert_eq!(shared_working_days(&oct, day(9), &[&all]), 7);
        // With a rep employed Tuesday 6th through Thursday 8th (inclusive): 6, 7, 8 = 3.
        let short = rep(day(6), Some(day(8)));
        assert_eq!(shared_working_days(&oct, day(31), &[&all, &short]), 3);
    }

    #[test]
    fn the_entity_expects_the_sum_of_its_units() {
        // Expected 4 + 2 = 6; met min(3, 4) + min(2, 2) = 5; 5 held in all.
        let units = [u(3, 4), u(2, 2)];
        let m = cadence_metrics(5, units.iter());
        assert_eq!(m.one_on_ones_expected, 6);
        assert_eq!(m.one_on_one_adherence, Rate::new(5, 6));
    }
}
