//! A value per day held in a vector indexed by the day, for the per-row lookups of reading
//! (activity counts per rep and day, a time zone's offset per day) that must cost the same
//! whatever order the rows come in.
//!
//! Those lookups were hash maps behind a "last key" cache: rows sorted by rep or by date hit
//! the cache, rows in no order paid a SipHash and a map probe each (issue 24: 10 million rows
//! read in 1.09 s sorted by rep, 2.47 s shuffled). A window is an index and a bounds check.
//! It spans at most [`MAX_SPAN`] days, so a stray date decades away cannot make it huge: a day
//! beyond the span is `None`, and the caller keeps it in a map.

use chrono::{Datelike, NaiveDate};

/// Days a window may span: a bit over two years of exports. At 4x (1,200 reps, a year) the
/// activity windows hold some 440,000 rep-days of 48 bytes, about the hash map they replace.
pub const MAX_SPAN: usize = 800;

/// Values by day, for the days from `first` on, grown on demand at either end.
#[derive(Debug, Clone)]
pub struct DayWindow<T> {
    /// `num_days_from_ce` of `slots[0]`.
    first: i32,
    slots: Vec<Option<T>>,
}

impl<T> Default for DayWindow<T> {
    fn default() -> Self {
        DayWindow {
            first: 0,
            slots: Vec::new(),
        }
    }
}

impl<T> DayWindow<T> {
    /// The value of `day`, if one was set.
    pub fn get(&self, day: NaiveDate) -> Option<&T> {
        let i = usize::try_from(day.num_days_from_ce() - self.first).ok()?;
        self.slots.get(i)?.as_ref()
    }

    /// The slot of `day` (empty when never set), growing the window to reach it; `None` when
    /// the window would then span more than [`MAX_SPAN`] days.
    pub fn slot(&mut self, day: NaiveDate) -> Option<&mut Option<T>> {
        let d = day.num_days_from_ce();
        if self.slots.is_empty() {
            self.first = d;
        }
        let len = self.slots.len() as i64;
        let (first, d64) = (i64::from(self.first), i64::from(d));
        if d64 < first {
            let needed = first - d64;
            if len + needed > MAX_SPAN as i64 {
                return None;
            }
            // Room for more days before, so rows in reverse date order do not shift the
            // window once per day.
            let extra = (needed + len / 2).min(MAX_SPAN as i64 - len);
            let extra = usize::try_from(extra).ok()?;
            self.slots
                .splice(0..0, std::iter::repeat_with(|| None).take(extra));
            self.first -= i32::try_from(extra).ok()?;
        } else if d64 - first >= len {
            let want = d64 - first + 1;
            if want > MAX_SPAN as i64 {
                return None;
            }
            self.slots.resize_with(usize::try_from(want).ok()?, || None);
        }
        let i = usize::try_from(d - self.first).ok()?;
        self.slots.get_mut(i)
    }

    /// Every day set, with its value, in date order.
    pub fn into_days(self) -> impl Iterator<Item = (NaiveDate, T)> {
        let first = self.first;
        self.slots
            .into_iter()
            .enumerate()
            .filter_map(move |(i, v)| {
                let day = NaiveDate::from_num_days_from_ce_opt(first + i32::try_from(i).ok()?)?;
                Some((day, v?))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn grows_both_ways_and_keeps_every_value() {
        let mut w = DayWindow::default();
        for (d, v) in [("2026-03-10", 1), ("2026-03-08", 2), ("2026-03-20", 3)] {
            *w.slot(day(d)).expect("within span") = Some(v);
        }
        assert_eq!(w.get(day("2026-03-08")), Some(&2));
        assert_eq!(w.get(day("2026-03-09")), None);
        assert_eq!(w.get(day("2027-03-09")), None);
        // Added in no order, read back in date order, empty days skipped.
        let days: Vec<_> = w.into_days().collect();
        assert_eq!(
            days,
            [
                (day("2026-03-08"), 2),
                (day("2026-03-10"), 1),
                (day("2026-03-20"), 3)
            ]
        );
    }

    #[test]
    fn refuses_a_day_beyond_the_span_either_way() {
        let mut w = DayWindow::default();
        *w.slot(day("2026-01-01")).expect("first") = Some(1);
        let last_in = day("2026-01-01") + chrono::Days::new(MAX_SPAN as u64 - 1);
        assert!(w.slot(last_in).is_some());
        assert!(w.slot(last_in + chrono::Days::new(1)).is_none());
        assert!(w.slot(day("2025-12-31")).is_none());
        assert!(w.slot(day("1900-01-01")).is_none());
        let mut w: DayWindow<u8> = DayWindow::default();
        *w.slot(day("2026-01-01")).expect("first") = Some(1);
        let first_in = day("2026-01-01") - chrono::Days::new(MAX_SPAN as u64 - 1);
        assert!(w.slot(first_in).is_some());
        assert_eq!(w.get(day("2026-01-01")), Some(&1));
        assert!(w.slot(day("2026-01-02")).is_none());
    }
}
