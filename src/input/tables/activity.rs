//! `activities.csv` and `activity_daily.csv`, read into counts per rep and day (the readers
//! are `input::activities` and its fast path); where activities.csv is cut to be read on two
//! threads.

use chrono_tz::Tz;

use crate::error::Diagnostic;
use crate::input::activities::{self, Read};
use crate::input::activity_fast::{self, Plan, Reading};
use crate::input::activity_rows::{merge_touches, LeadIndex, RepIndex};
use crate::input::csv_table::CsvFile;
use crate::input::mapping_yaml::Mapping;
use crate::input::refs::Reps;
use crate::model::*;

use super::common::{open, open_as, Tables};

/// Bytes of `activities.csv` from which it may be read on two threads.
pub(crate) const SPLIT_FROM: u64 = 8 << 20;

/// The size of the export that fills table `t`, 0 when there is none.
pub(crate) fn export_bytes(dir: &std::path::Path, mapping: &Mapping, t: Table) -> u64 {
    let canonical = t.file_name().trim_end_matches(".csv");
    let name = mapping.spec(canonical).file_name(canonical);
    std::fs::metadata(dir.join(name)).map_or(0, |m| m.len())
}

/// `activities.csv`, opened (header read, required columns checked) before any table is read,
/// so that its reading can be shared by the two threads that read the other exports
/// ([`super::read_all`]).
pub(crate) enum Opened {
    /// Read on the fast path, in two parts when it is cut.
    Fast(Fast),
    /// Read by the general rules, row by row, on one thread.
    General(CsvFile),
    /// It lacks a required column (a fatal diagnostic): nothing more of activities is read,
    /// not even `activity_daily.csv`.
    Unusable,
}

/// activities.csv on the fast path, with the columns it reads and its reps numbered.
pub(crate) struct Fast {
    pub f: CsvFile,
    plan: Plan,
    pub index: RepIndex,
}

impl Fast {
    /// What both parts of the file read with, once leads.csv's ids are numbered.
    pub fn reading<'a>(&'a self, leads: &'a LeadIndex, reps: &'a Reps, tz: Tz) -> Reading<'a> {
        Reading {
            f: &self.f,
            plan: &self.plan,
            index: &self.index,
            leads,
            reps,
            tz,
        }
    }

    /// Where the file is cut when its first part is read after `leads` bytes of leads.csv,
    /// and the rest after `others` bytes of hand-offs, meetings and opportunities, on the
    /// other thread: `None` for one part. Read per byte, leads cost about four times as much
    /// as activities and the others about twice as much (1x, docs/scale.md: leads 1.09 s for
    /// 54 MB, the others 1.4 s for 152 MB, activities 2.2 s for 428 MB), so the first part
    /// gets (activities + 2 × others − 4 × leads) / 2 bytes and both threads end together.
    /// Not cut when the file is under [`SPLIT_FROM`], on one thread, or when the second part
    /// would be under half of [`SPLIT_FROM`] (the other thread is busy long enough).
    pub fn cut(&self, leads: u64, others: u64) -> Option<u64> {
        let size = self.f.size();
        if crate::threads() < 2 || size < SPLIT_FROM {
            return None;
        }
        let head = (size + 2 * others).saturating_sub(4 * leads) / 2;
        if size.saturating_sub(head) < SPLIT_FROM / 2 {
            return None;
        }
        activity_fast::cut_after(&self.f, head)
    }
}

/// Opens `activities.csv` (into `out` go its open problems); `None` when it is absent.
pub(crate) fn open_activities(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    reps: &Reps,
    out: &mut Tables,
) -> Option<Opened> {
    let f = open(dir, prefix, Table::Activities, mapping, out)?;
    let missing = f.require(&["rep_id", "date", "type"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return Some(Opened::Unusable);
    }
    Some(match Plan::new(&f) {
        Some(plan) => Opened::Fast(Fast {
            index: RepIndex::new(reps.ids()),
            f,
            plan,
        }),
        None => Opened::General(f),
    })
}

/// What was read of `activities.csv`.
pub(crate) struct Raw {
    pub read: Read,
    /// The file as messages show it.
    pub file: String,
    pub rejections: Vec<crate::input::accounts::Rejection>,
}

/// Adds what was read of `activities.csv` (`raw`, from the file shown as `file`) to `out`, then
/// reads `activity_daily.csv` (docs/data-model.md): counts per rep and day, and the earliest
/// day each lead of `leads` was touched (into `out.lead_touches`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_activities(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    reps: &Reps,
    leads: &LeadIndex,
    raw: Option<Raw>,
    out: &mut Tables,
) {
    let mut raw_file = None;
    if let Some(Raw {
        read,
        file,
        mut rejections,
    }) = raw
    {
        out.rejections.append(&mut rejections);
        merge_touches(&mut out.lead_touches, read.touched);
        activities::combine(&mut out.activity, read.counts);
        out.accounts.push(read.account);
        out.fatal.extend(read.fatal);
        raw_file = Some(file.clone());
        out.activity_files.push(file);
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
