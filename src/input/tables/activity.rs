//! `activities.csv` and `activity_daily.csv`, read into counts per rep and day (the readers
//! are `input::activities` and its fast path); how large a file must be to be read on two
//! threads.

use chrono_tz::Tz;

use crate::error::Diagnostic;
use crate::input::activity_rows::LeadIndex;
use crate::input::mapping_yaml::Mapping;
use crate::input::refs::Reps;
use crate::model::*;

use super::common::{open, open_as, Tables};

/// Bytes of `activities.csv` from which it may be read on two threads.
pub(crate) const SPLIT_FROM: u64 = 8 << 20;

/// Bytes of `activities.csv` from which it is read on two threads, when hand-offs, meetings and
/// opportunities (`others` bytes) are read beside it: at least [`SPLIT_FROM`], and five times
/// `others`. Their rows cost about twice as much per byte as activities, so below that both
/// cores are already busy and a second activity thread only competes with them: at 1x (448 MB
/// of activities, 155 MB of the others) the build took 4.00-4.11 s with it, 3.85-3.90 s
/// without (docs/scale.md).
pub(crate) fn split_from(others: u64) -> u64 {
    SPLIT_FROM.max(others.saturating_mul(5))
}

/// The size of the export that fills table `t`, 0 when there is none.
pub(crate) fn export_bytes(dir: &std::path::Path, mapping: &Mapping, t: Table) -> u64 {
    let canonical = t.file_name().trim_end_matches(".csv");
    let name = mapping.spec(canonical).file_name(canonical);
    std::fs::metadata(dir.join(name)).map_or(0, |m| m.len())
}

/// Reads `activities.csv` and `activity_daily.csv` (docs/data-model.md), either or both, into
/// counts per rep and day, and the earliest day each lead of `leads` was touched (into
/// `out.lead_touches`).
pub(crate) fn read_activities(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    reps: &Reps,
    leads: &LeadIndex,
    out: &mut Tables,
) {
    use crate::input::activities;
    use crate::input::activity_rows::merge_touches;
    let mut raw_file = None;
    if let Some(mut f) = open(dir, prefix, Table::Activities, mapping, out) {
        let missing = f.require(&["rep_id", "date", "type"]);
        if !missing.is_empty() {
            out.fatal.extend(missing);
            return;
        }
        let others = [Table::Handoffs, Table::Meetings, Table::Opportunities]
            .iter()
            .map(|t| export_bytes(dir, mapping, *t))
            .sum();
        let split = split_from(others);
        let read = activities::read_raw(&mut f, reps, leads, tz, split, &mut out.rejections);
        merge_touches(&mut out.lead_touches, read.touched);
        activities::combine(&mut out.activity, read.counts);
        out.accounts.push(read.account);
        out.fatal.extend(read.fatal);
        raw_file = Some(f.file.clone());
        out.activity_files.push(f.file.clone());
    }
    let Some(mut f) = open_as(
        dir,
        prefix,
        "activity_daily",
        Table::Activities,
        mapping,
        out,
    ) else {
        return;
    };
    let missing = f.require(&["rep_id", "date", "type", "count"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    out.activity_files.push(f.file.clone());
    let read = activities::read_daily(&mut f, reps, leads, tz, &mut out.rejections);
    merge_touches(&mut out.lead_touches, read.touched);
    let (both, first) = activities::combine(&mut out.activity, read.counts);
    if let (Some(raw), Some((rep, day))) = (raw_file, first) {
        out.warnings.push(Diagnostic::warning(
            f.file.clone(),
            format!(
                "{both} rep-days (the first: rep {rep:?} on {day}) have activity in both {raw} and this roll-up; both are counted, so give each day in one file only"
            ),
        ));
    }
    out.accounts.push(read.account);
    out.fatal.extend(read.fatal);
}
