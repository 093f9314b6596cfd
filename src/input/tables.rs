//! The canonical tables of `data/` (docs/data-model.md), each read into validated model rows.
//!
//! A row that cannot be used is rejected with its reason and counted; a problem with the
//! file as a whole (unreadable, a required column missing) is a fatal diagnostic.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;

use chrono_tz::Tz;

use super::accounts::{Reject, Rejection, RowAccount};

use super::csv_table::CsvFile;

use super::gaps::watched;
use super::header::Col;
use super::mapping_yaml::Mapping;
use super::refs::{Leads, Reps};
use super::spec::TableSpec;
use crate::error::Diagnostic;
use crate::model::*;
use crate::playbook::Playbook;
use crate::timings::time;

/// What reading the tables produced: rows, accounts, rejections and fatal problems.
#[derive(Default)]
pub struct Tables {
    pub reps: Vec<Rep>,
    pub activity: BTreeMap<(String, chrono::NaiveDate), DayCounts>,
    pub handoffs: Vec<Handoff>,
    pub meetings: Vec<Meeting>,
    pub opportunities: Vec<Opportunity>,
    pub one_on_ones: Vec<OneOnOne>,
    pub forecasts: Vec<Forecast>,
    pub present: Vec<Table>,
    pub accounts: Vec<RowAccount>,
    pub rejections: Vec<Rejection>,
    pub fatal: Vec<Diagnostic>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// What the exports do not hold (docs/mapping.md, "Exports not shaped like Baton").
    pub gaps: ExportGaps,
    /// Ids whose row was rejected, with its line, so rows referring to them say why.
    pub rejected_reps: HashMap<String, u64>,
    pub rejected_leads: HashMap<String, u64>,
}

impl Tables {
    /// Takes what another thread read of the tables it was given (activities, or
    /// opportunities), after what this one read.
    fn absorb(&mut self, t: Tables) {
        if !t.activity.is_empty() {
            self.activity = t.activity;
        }
        if !t.opportunities.is_empty() {
            self.opportunities = t.opportunities;
        }
        self.present.extend(t.present);
        self.accounts.extend(t.accounts);
        self.rejections.extend(t.rejections);
        self.fatal.extend(t.fatal);
        self.warnings.extend(t.warnings);
        self.gaps.columns.extend(t.gaps.columns);
        self.gaps.only_won.extend(t.gaps.only_won);
    }
}

/// Opens a table if its file exists; a missing required table is fatal.
fn open(
    dir: &std::path::Path,
    prefix: &str,
    t: Table,
    mapping: &Mapping,
    out: &mut Tables,
) -> Option<CsvFile> {
    let name = t.file_name().trim_end_matches(".csv");
    open_as(dir, prefix, name, t, mapping, out)
}

/// Opens the export of canonical name `name` (e.g. `activity_daily`), which fills table `t`.
fn open_as(
    dir: &std::path::Path,
    prefix: &str,
    canonical: &str,
    t: Table,
    mapping: &Mapping,
    out: &mut Tables,
) -> Option<CsvFile> {
    let spec = mapping.spec(canonical);
    let name = spec.file_name(canonical);
    let path = dir.join(&name);
    let display = format!("{prefix}{name}");
    if !path.is_file() {
        if t.required() && canonical == t.file_name().trim_end_matches(".csv") {
            out.fatal.push(Diagnostic::error(
                display,
                "required export is missing (see docs/data-model.md)",
            ));
        }
        return None;
    }
    match CsvFile::open(&path, &display, &spec) {
        Ok(f) => {
            out.present.push(t);
            record_gaps(t, &spec, &f, &mut out.gaps);
            Some(f)
        }
        Err(d) => {
            out.fatal.extend(d);
            None
        }
    }
}

/// Reads every table of `dir` (shown in messages as `prefix` + file name).
pub fn read_all(
    dir: &std::path::Path,
    prefix: &str,
    playbook: &Playbook,
    mapping: &Mapping,
    tz: Tz,
) -> Tables {
    let mut out = Tables::default();
    time("load reps", || {
        read_reps(dir, prefix, mapping, tz, &mut out)
    });
    if !out.present.contains(&Table::Reps) {
        // Every other table refers to reps: reading them would only repeat this error.
        return out;
    }
    let reps = Reps::new(
        out.reps
            .iter()
            .map(|r| (r.id.as_str().into(), r.role))
            .collect(),
        out.rejected_reps.clone(),
    );
    // Activities need only the reps: they are read beside the hand-offs, meetings and
    // opportunities (which need the hand-offs), and merged after them in the usual order.
    let activities = std::thread::scope(|s| {
        let activities = s.spawn(|| {
            let mut t = Tables::default();
            time("load activities", || {
                read_activities(dir, prefix, mapping, tz, &reps, &mut t)
            });
            t
        });
        let fatal_before = out.fatal.len();
        time("load handoffs", || {
            read_handoffs(dir, prefix, mapping, playbook, tz, &reps, &mut out)
        });
        let handoffs_ok = out.fatal.len() == fatal_before;
        // Meetings and opportunities refer to hand-offs: without them every row would fail.
        if handoffs_ok {
            // Taken out of `out` while it is written to, so the lead ids can be borrowed.
            let handoffs = std::mem::take(&mut out.handoffs);
            let rejected = std::mem::take(&mut out.rejected_leads);
            let leads = Leads::new(handoffs.iter().map(|h| h.lead_id.as_str()), &rejected);
            // Opportunities beside meetings (by then the activities are mostly read), merged
            // after them so that accounts and rejections keep the file order.
            let opportunities = std::thread::scope(|s| {
                let opportunities = s.spawn(|| {
                    let mut t = Tables::default();
                    time("load opportunities", || {
                        read_opportunities(dir, prefix, mapping, tz, &reps, &leads, &mut t)
                    });
                    t
                });
                time("load meetings", || {
                    read_meetings(dir, prefix, mapping, tz, &leads, &mut out)
                });
                opportunities.join()
            });
            match opportunities {
                Ok(t) => out.absorb(t),
                Err(panic) => std::panic::resume_unwind(panic),
            }
            drop(leads);
            out.handoffs = handoffs;
            out.rejected_leads = rejected;
        }
        activities.join()
    });
    match activities {
        Ok(t) => out.absorb(t),
        Err(panic) => std::panic::resume_unwind(panic),
    }
    time("load one_on_ones", || {
        read_one_on_ones(dir, prefix, mapping, tz, &reps, &mut out)
    });
    let pods: Vec<String> = out.reps.iter().map(|r| r.pod.clone()).collect();
    time("load forecasts", || {
        read_forecasts(dir, prefix, mapping, &pods, &mut out)
    });
    out.present.sort();
    out.present.dedup();
    out
}

const ROLES: [(&str, Role); 4] = [
    ("sdr", Role::Sdr),
    ("bdr", Role::Bdr),
    ("ae", Role::Ae),
    ("manager", Role::Manager),
];

fn read_reps(dir: &std::path::Path, prefix: &str, mapping: &Mapping, tz: Tz, out: &mut Tables) {
    let spec = mapping.spec("reps");
    if !spec.infer_from.is_empty() {
        match super::infer::infer_reps(dir, prefix, mapping, &spec) {
            Ok(reps) => {
                out.reps = reps;
                out.present.push(Table::Reps);
            }
            Err(d) => out.fatal.extend(d),
        }
        return;
    }
    let Some(mut f) = open(dir, prefix, Table::Reps, mapping, out) else {
        return;
    };
    let missing = f.require(&["rep_id", "name", "role", "pod", "start_date"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let (reps, rejected) = read_keyed(
        &mut f,
        out,
        "rep_id",
        |r: &Rep| &r.id,
        |r: &Rep| r.source.line,
        |row, seen| read_rep(row, tz, &file, seen),
    );
    out.reps = reps;
    out.rejected_reps = rejected;
}

/// Reads a table keyed by the id in `key_col`: `read` sees the ids taken so far (to name the
/// first line of a duplicate). Returns the rows and the ids whose row was rejected, so rows
/// that refer to them can say why.
/// Rows collected into one vector sized from the file's estimated row count
/// ([`CsvFile::estimated_rows`]), and, past that, in fixed-size chunks moved once into a vector
/// of exactly their number. A vector grown by doubling copies its rows at every step into
/// freshly zeroed memory (the allocator cannot grow 100 MB blocks in place): at 1x that was 14%
/// of reading the exports; chunks alone still copied every row once more at the end, into
/// fresh pages (18% of reading hand-offs). Capacity the estimate gave too much is never
/// written, so it costs address space, not memory.
struct Rows<T> {
    head: Vec<T>,
    chunks: Vec<Vec<T>>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            head: Vec::new(),
            chunks: Vec::new(),
        }
    }
}

impl<T> Rows<T> {
    const CHUNK: usize = 8192;

    /// Room for the rows `f` is estimated to hold, with an eighth more for shorter lines
    /// further on; none when that much cannot be had (the chunks take them).
    fn for_file(f: &CsvFile) -> Self {
        let mut rows = Rows::default();
        let estimate = f.estimated_rows();
        let _ = rows
            .head
            .try_reserve_exact(estimate.saturating_add(estimate / 8));
        rows
    }

    fn push(&mut self, row: T) {
        if self.head.len() < self.head.capacity() {
            self.head.push(row);
            return;
        }
        match self.chunks.last_mut() {
            Some(c) if c.len() < Self::CHUNK => c.push(row),
            _ => {
                let mut c = Vec::with_capacity(Self::CHUNK);
                c.push(row);
                self.chunks.push(c);
            }
        }
    }

    /// How many rows there are.
    fn len(&self) -> usize {
        // Every chunk but the last is full.
        self.head.len()
            + self
                .chunks
                .last()
                .map_or(0, |c| (self.chunks.len() - 1) * Self::CHUNK + c.len())
    }

    /// Row `i` in the order pushed.
    fn get(&self, i: usize) -> &T {
        match i.checked_sub(self.head.len()) {
            None => &self.head[i],
            Some(j) => &self.chunks[j / Self::CHUNK][j % Self::CHUNK],
        }
    }

    fn into_vec(self) -> Vec<T> {
        let mut all = self.head;
        if self.chunks.is_empty() {
            // Frees the unused capacity; when that is small the allocator keeps the block
            // where it is (mimalloc's realloc does not move a block shrunk by half or less).
            all.shrink_to_fit();
            return all;
        }
        if all.is_empty() {
            all = Vec::with_capacity(self.chunks.iter().map(Vec::len).sum());
        } else {
            all.reserve_exact(self.chunks.iter().map(Vec::len).sum());
        }
        for c in self.chunks {
            all.extend(c);
        }
        all
    }
}

/// Rows of a table keyed by id, with the ids taken so far for the duplicate check. An id is
/// not copied: the map holds its hash (foldhash, seeded per process) and its row's index, and a
/// row with that hash settles whether it is the same id. An id whose hash another id already
/// has (a 64-bit collision) is kept whole beside. Half the memory of a map of owned ids, and
/// one allocation less a row.
struct Keyed<T> {
    rows: Rows<T>,
    hasher: foldhash::fast::RandomState,
    by_hash: std::collections::HashMap<u64, usize, std::hash::BuildHasherDefault<Prehashed>>,
    collided: HashMap<String, usize>,
    key_of: fn(&T) -> &str,
    line_of: fn(&T) -> u64,
}

/// The hasher of keys that are already hashes.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl<T> Keyed<T> {
    /// Room for the rows `f` is estimated to hold ([`Rows::for_file`]).
    fn for_file(f: &CsvFile, key_of: fn(&T) -> &str, line_of: fn(&T) -> u64) -> Self {
        let rows = Rows::for_file(f);
        let mut by_hash = std::collections::HashMap::default();
        let _ = by_hash.try_reserve(rows.head.capacity());
        Keyed {
            rows,
            hasher: foldhash::fast::RandomState::default(),
            by_hash,
            collided: HashMap::new(),
            key_of,
            line_of,
        }
    }

    /// The row that took `id`, if one did.
    fn first(&self, id: &str) -> Option<&T> {
        use std::hash::BuildHasher;
        let i = *self.by_hash.get(&self.hasher.hash_one(id))?;
        let row = self.rows.get(i);
        if (self.key_of)(row) == id {
            return Some(row);
        }
        self.collided.get(id).map(|i| self.rows.get(*i))
    }

    /// The line of the row that took `id`, if one did.
    fn get(&self, id: &str) -> Option<u64> {
        self.first(id).map(self.line_of)
    }

    /// Adds a row whose id is not taken yet.
    fn push(&mut self, row: T) {
        use std::collections::hash_map::Entry;
        use std::hash::BuildHasher;
        let i = self.rows.len();
        let id = (self.key_of)(&row);
        match self.by_hash.entry(self.hasher.hash_one(id)) {
            Entry::Vacant(e) => {
                e.insert(i);
            }
            Entry::Occupied(_) => {
                self.collided.insert(id.to_string(), i);
            }
        }
        self.rows.push(row);
    }

    fn into_vec(self) -> Vec<T> {
        self.rows.into_vec()
    }
}

fn read_keyed<T>(
    f: &mut CsvFile,
    out: &mut Tables,
    key_col: &str,
    key_of: fn(&T) -> &str,
    line_of: fn(&T) -> u64,
    mut read: impl FnMut(&super::csv_table::Row, &Keyed<T>) -> Result<T, Reject>,
) -> (Vec<T>, HashMap<String, u64>) {
    let mut seen = Keyed::for_file(f, key_of, line_of);
    let mut rejected = HashMap::new();
    let account = f.for_each_row(&mut out.rejections, |row| match read(row, &seen) {
        Ok(item) => {
            seen.push(item);
            Ok(())
        }
        Err(e) => {
            let id = row.text(key_col);
            if !id.is_empty() && seen.first(id).is_none() {
                rejected.insert(id.to_string(), row.line);
            }
            Err(e)
        }
    });
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
    (seen.into_vec(), rejected)
}

fn read_rep(
    row: &super::csv_table::Row,
    tz: Tz,
    file: &Arc<str>,
    seen: &Keyed<Rep>,
) -> Result<Rep, Reject> {
    let id = row.required("rep_id")?;
    if let Some(first) = seen.get(id) {
        return Err(row.reject(
            "rep_id",
            format!("duplicate rep_id {id:?} (first defined on line {first})"),
        ));
    }
    let start_date = row.required_date("start_date", tz)?;
    let end_date = row.date("end_date", tz)?;
    if let Some(end) = end_date {
        if end < start_date {
            return Err(row.reject(
                "end_date",
                format!("end_date {end} is before start_date {start_date}"),
            ));
        }
    }
    let rep = Rep {
        id: id.to_string(),
        name: row.required("name")?.to_string(),
        role: row.choice("role", &ROLES, None)?,
        pod: row.required("pod")?.to_string(),
        start_date,
        end_date,
        source: Source {
            file: file.clone(),
            line: row.line,
        },
    };
    Ok(rep)
}

fn read_handoffs(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    playbook: &Playbook,
    tz: Tz,
    reps: &Reps,
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::Handoffs, mapping, out) else {
        return;
    };
    let mut missing = f.require(&["lead_id", "sdr_id", "ae_id", "handoff_at", "handoff_type"]);
    // Columns the playbook names must exist: a typo there would otherwise read as "never met".
    for c in &playbook.qualification.criteria {
        if f.column(&c.column).is_none() {
            missing.push(
                Diagnostic::error(
                    f.file.clone(),
                    format!(
                        "missing column `{}` for qualification criterion `{}` named in playbook/qualification.yaml",
                        c.column, c.key
                    ),
                )
                .at(1, None),
            );
        }
    }
    for s in &playbook.handoff.sections {
        if f.column(&s.column).is_none() {
            missing.push(
                Diagnostic::error(
                    f.file.clone(),
                    format!(
                        "missing column `{}` for documentation section `{}` named in playbook/handoff.yaml",
                        s.column, s.key
                    ),
                )
                .at(1, None),
            );
        }
    }
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let cols = HandoffCols::of(&f, playbook);
    let (handoffs, rejected) = read_keyed(
        &mut f,
        out,
        "lead_id",
        |h: &Handoff| &h.lead_id,
        |h: &Handoff| h.source.line,
        |row, seen| read_handoff(row, &cols, tz, reps, &file, seen),
    );
    out.handoffs = handoffs;
    out.rejected_leads = rejected;
}

/// The columns of handoffs.csv, resolved once for the file.
struct HandoffCols {
    lead_id: Col,
    company: Col,
    sdr_id: Col,
    ae_id: Col,
    lead_created_at: Col,
    first_touch_at: Col,
    handoff_at: Col,
    handoff_type: Col,
    ae_first_contact_at: Col,
    ae_decision: Col,
    rejection_reason: Col,
    sdr_pain_point: Col,
    ae_pain_point: Col,
    /// The playbook's qualification criteria and hand-off sections, in playbook order.
    criteria: Vec<Col>,
    sections: Vec<Col>,
}

impl HandoffCols {
    fn of(f: &CsvFile, playbook: &Playbook) -> HandoffCols {
        HandoffCols {
            lead_id: f.col("lead_id"),
            company: f.col("company"),
            sdr_id: f.col("sdr_id"),
            ae_id: f.col("ae_id"),
            lead_created_at: f.col("lead_created_at"),
            first_touch_at: f.col("first_touch_at"),
            handoff_at: f.col("handoff_at"),
            handoff_type: f.col("handoff_type"),
            ae_first_contact_at: f.col("ae_first_contact_at"),
            ae_decision: f.col("ae_decision"),
            rejection_reason: f.col("rejection_reason"),
            sdr_pain_point: f.col("sdr_pain_point"),
            ae_pain_point: f.col("ae_pain_point"),
            criteria: (playbook.qualification.criteria.iter())
                .map(|c| f.col(&c.column))
                .collect(),
            sections: (playbook.handoff.sections.iter())
                .map(|s| f.col(&s.column))
                .collect(),
        }
    }
}

fn read_handoff(
    row: &super::csv_table::Row,
    c: &HandoffCols,
    tz: Tz,
    reps: &Reps,
    file: &Arc<str>,
    seen: &Keyed<Handoff>,
) -> Result<Handoff, Reject> {
    let lead_id = row.required(&c.lead_id)?;
    if let Some(first) = seen.get(lead_id) {
        return Err(row.reject(
            &c.lead_id,
            format!(
                "lead {lead_id:?} was already handed off on line {first}; one hand-off per lead"
            ),
        ));
    }
    let sdr_id = reps.get(row, &c.sdr_id, &[Role::Sdr, Role::Bdr], "an SDR or BDR")?;
    let ae_id = reps.get(row, &c.ae_id, &[Role::Ae], "an AE")?;
    let criteria = c
        .criteria
        .iter()
        .map(|col| row.flag(col))
        .collect::<Result<Flags, _>>()?;
    let documented = c
        .sections
        .iter()
        .map(|col| !row.text(col).is_empty())
        .collect();
    let h = Handoff {
        lead_id: lead_id.to_string(),
        company: row.text(&c.company).to_string(),
        sdr_id,
        ae_id,
        lead_created_at: row.timestamp(&c.lead_created_at, tz)?,
        first_touch_at: row.timestamp(&c.first_touch_at, tz)?,
        handoff_at: row.required_timestamp(&c.handoff_at, tz)?,
        handoff_type: row.choice(
            &c.handoff_type,
            &[("warm", HandoffType::Warm), ("cold", HandoffType::Cold)],
            None,
        )?,
        criteria,
        documented,
        ae_first_contact_at: row.timestamp(&c.ae_first_contact_at, tz)?,
        ae_decision: row.choice(
            &c.ae_decision,
            &[
                ("accepted", Decision::Accepted),
                ("rejected", Decision::Rejected),
                ("pending", Decision::Pending),
            ],
            Some(Decision::Pending),
        )?,
        rejection_reason: row.text(&c.rejection_reason).to_string(),
        pain_point_match: crate::model::notes::continuity(
            row.text(&c.sdr_pain_point),
            row.text(&c.ae_pain_point),
        ),
        source: Source {
            file: file.clone(),
            line: row.line,
        },
    };
    Ok(h)
}

fn read_meetings(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    leads: &Leads<'_>,
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::Meetings, mapping, out) else {
        return;
    };
    let missing = f.require(&["meeting_id", "lead_id", "scheduled_for", "status"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let mut seen = Keyed::for_file(&f, |m: &Meeting| &m.meeting_id, |m: &Meeting| m.source.line);
    let meeting_id_col = f.col("meeting_id");
    let lead_id_col = f.col("lead_id");
    let scheduled_for = f.col("scheduled_for");
    let status = f.col("status");
    let account = f.for_each_row(&mut out.rejections, |row| {
        let meeting_id = row.required(&meeting_id_col)?;
        if let Some(first) = seen.get(meeting_id) {
            return Err(row.reject(
                &meeting_id_col,
                format!("duplicate meeting_id {meeting_id:?} (first on line {first})"),
            ));
        }
        let lead_id = row.required(&lead_id_col)?;
        leads.check(row, &lead_id_col, lead_id)?;
        let m = Meeting {
            meeting_id: meeting_id.to_string(),
            lead_id: lead_id.to_string(),
            scheduled_for: row.required_timestamp(&scheduled_for, tz)?,
            status: row.choice(
                &status,
                &[
                    ("scheduled", MeetingStatus::Scheduled),
                    ("held", MeetingStatus::Held),
                    ("no_show", MeetingStatus::NoShow),
                    ("canceled", MeetingStatus::Canceled),
                    ("rescheduled", MeetingStatus::Rescheduled),
                ],
                None,
            )?,
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        };
        seen.push(m);
        Ok(())
    });
    out.meetings = seen.into_vec();
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
}

fn read_opportunities(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    reps: &Reps,
    leads: &Leads<'_>,
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::Opportunities, mapping, out) else {
        return;
    };
    let missing = f.require(&["opportunity_id", "ae_id", "created_at", "amount", "status"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let mut seen = Keyed::for_file(
        &f,
        |o: &Opportunity| &o.opportunity_id,
        |o: &Opportunity| o.source.line,
    );
    let account = f.for_each_row(&mut out.rejections, |row| {
        let id = row.required("opportunity_id")?;
        if let Some(first) = seen.get(id) {
            return Err(row.reject(
                "opportunity_id",
                format!("duplicate opportunity_id {id:?} (first on line {first})"),
            ));
        }
        let lead = row.text("lead_id");
        if !lead.is_empty() {
            leads.check(row, "lead_id", lead)?;
        }
        let ae_id = reps.get(row, "ae_id", &[Role::Ae], "an AE")?;
        let amount = row.decimal("amount")?.unwrap_or_default();
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(row.reject("amount", format!("amount {amount} is negative")));
        }
        let status = row.choice(
            "status",
            &[
                ("open", OpportunityStatus::Open),
                ("won", OpportunityStatus::Won),
                ("lost", OpportunityStatus::Lost),
            ],
            None,
        )?;
        let close_date = row.date("close_date", tz)?;
        if status != OpportunityStatus::Open && close_date.is_none() {
            return Err(row.reject(
                "close_date",
                "is empty but required for a won or lost opportunity",
            ));
        }
        let reversed_at = row.date("reversed_at", tz)?;
        if let Some(r) = reversed_at {
            if status != OpportunityStatus::Won {
                return Err(row.reject(
                    "reversed_at",
                    "is set but the opportunity is not won (only a won deal can be reversed)",
                ));
            }
            if let Some(c) = close_date.filter(|c| r < *c) {
                return Err(row.reject(
                    "reversed_at",
                    format!(
                        "{r} is before the close_date {c}: a deal is reversed after it was won"
                    ),
                ));
            }
        }
        let o = Opportunity {
            opportunity_id: id.to_string(),
            lead_id: (!lead.is_empty()).then(|| lead.to_string()),
            ae_id,
            created_at: row.required_timestamp("created_at", tz)?,
            amount,
            close_date,
            status,
            loss_reason: row.text("loss_reason").to_string(),
            reversed_at,
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        };
        seen.push(o);
        Ok(())
    });
    out.opportunities = seen.into_vec();
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
}

/// Bytes of `activities.csv` from which it may be read on two threads.
const SPLIT_FROM: u64 = 8 << 20;

/// Bytes of `activities.csv` from which it is read on two threads, when hand-offs, meetings and
/// opportunities (`others` bytes) are read beside it: at least [`SPLIT_FROM`], and five times
/// `others`. Their rows cost about twice as much per byte as activities, so below that both
/// cores are already busy and a second activity thread only competes with them: at 1x (448 MB
/// of activities, 155 MB of the others) the build took 4.00-4.11 s with it, 3.85-3.90 s
/// without (docs/scale.md).
fn split_from(others: u64) -> u64 {
    SPLIT_FROM.max(others.saturating_mul(5))
}

/// The size of the export that fills table `t`, 0 when there is none.
fn export_bytes(dir: &std::path::Path, mapping: &Mapping, t: Table) -> u64 {
    let canonical = t.file_name().trim_end_matches(".csv");
    let name = mapping.spec(canonical).file_name(canonical);
    std::fs::metadata(dir.join(name)).map_or(0, |m| m.len())
}

/// Reads `activities.csv` and `activity_daily.csv` (docs/data-model.md), either or both, into
/// counts per rep and day.
fn read_activities(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    reps: &Reps,
    out: &mut Tables,
) {
    use super::activities;
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
        let read = activities::read_raw(&mut f, reps, tz, split, &mut out.rejections);
        activities::combine(&mut out.activity, read.counts);
        out.accounts.push(read.account);
        out.fatal.extend(read.fatal);
        raw_file = Some(f.file.clone());
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
    let read = activities::read_daily(&mut f, reps, tz, &mut out.rejections);
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

fn read_one_on_ones(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    reps: &Reps,
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::OneOnOnes, mapping, out) else {
        return;
    };
    let missing = f.require(&["sdr_id", "ae_id", "date"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let mut rows = Vec::new();
    let account = f.for_each_row(&mut out.rejections, |row| {
        let o = OneOnOne {
            sdr_id: reps.get(row, "sdr_id", &[Role::Sdr, Role::Bdr], "an SDR or BDR")?,
            ae_id: reps.get(row, "ae_id", &[Role::Ae], "an AE")?,
            date: row.required_date("date", tz)?,
            duration_minutes: row
                .unsigned("duration_minutes")?
                .unwrap_or(0)
                .try_into()
                .map_err(|_| row.reject("duration_minutes", "is too large"))?,
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        };
        rows.push(o);
        Ok(())
    });
    out.one_on_ones = rows;
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
}

fn read_forecasts(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    pods: &[String],
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::Forecasts, mapping, out) else {
        return;
    };
    let missing = f.require(&["period", "pod", "forecast_amount"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let mut seen: HashMap<(YearMonth, String), u64> = HashMap::new();
    let mut rows = Vec::new();
    let account = f.for_each_row(&mut out.rejections, |row| {
        let p = row.required("period")?;
        let month = parse_year_month(p)
            .ok_or_else(|| row.reject("period", format!("{p:?} is not a month (YYYY-MM)")))?;
        let pod = row.required("pod")?;
        if !pods.iter().any(|x| x == pod) {
            return Err(row.reject(
                "pod",
                format!("unknown pod {pod:?} (no rep in reps.csv has it)"),
            ));
        }
        if let Some(first) = seen.get(&(month, pod.to_string())) {
            return Err(row.reject(
                "period",
                format!("second forecast for pod {pod:?} in {month} (first on line {first})"),
            ));
        }
        let amount = row.decimal("forecast_amount")?.unwrap_or_default();
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(row.reject("forecast_amount", format!("amount {amount} is negative")));
        }
        seen.insert((month, pod.to_string()), row.line);
        rows.push(Forecast {
            month,
            pod: pod.to_string(),
            amount,
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        });
        Ok(())
    });
    out.forecasts = rows;
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
}

/// `YYYY-MM` into a month.
pub fn parse_year_month(s: &str) -> Option<YearMonth> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    (1..=12)
        .contains(&month)
        .then_some(YearMonth { year, month })
}

/// Notes what `table`'s export, opened as `f` with `spec`, does not hold.
pub fn record_gaps(table: Table, spec: &TableSpec, f: &CsvFile, gaps: &mut ExportGaps) {
    for c in &spec.not_exported {
        gaps.columns.insert((table, c.clone()));
    }
    for c in watched(table) {
        if f.column(c).is_none() {
            gaps.columns.insert((table, c.to_string()));
        }
    }
    if spec.only_won {
        gaps.only_won.insert(table);
    }
}

#[cfg(test)]
mod tests {
    use super::{Keyed, Rows};

    #[test]
    fn rows_keep_their_order_across_chunks_and_fill_exactly() {
        let mut rows = Rows::default();
        let n = 3 * Rows::<u32>::CHUNK as u32 + 5;
        for i in 0..n {
            rows.push(i);
        }
        let all = rows.into_vec();
        assert_eq!(all.len(), all.capacity());
        assert!(all.iter().copied().eq(0..n));
        assert!(Rows::<u32>::default().into_vec().is_empty());
    }

    #[test]
    fn keyed_rows_tell_taken_ids_even_when_hashes_collide() {
        use std::hash::BuildHasher;
        let mut seen: Keyed<(String, u64)> = Keyed {
            rows: Rows::default(),
            hasher: foldhash::fast::RandomState::default(),
            by_hash: std::collections::HashMap::default(),
            collided: super::HashMap::default(),
            key_of: |r| &r.0,
            line_of: |r| r.1,
        };
        seen.push(("a".into(), 2));
        // As if "b" had the hash of "a": it is kept whole, and neither hides the other.
        let b = seen.hasher.hash_one("b");
        seen.by_hash.insert(b, 0);
        seen.push(("b".into(), 3));
        seen.push(("c".into(), 4));
        assert_eq!(seen.get("a"), Some(2));
        assert_eq!(seen.get("b"), Some(3));
        assert_eq!(seen.get("c"), Some(4));
        assert_eq!(seen.get("d"), None);
        assert_eq!(seen.collided.len(), 1);
        let rows = seen.into_vec();
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [2, 3, 4]);
    }

    #[test]
    fn rows_past_the_estimate_go_on_in_chunks() {
        for (room, n) in [
            (100, 60),
            (100, 100),
            (100, 101),
            (10, 3 * 8192 + 7),
            (0, 5),
        ] {
            let mut rows = Rows {
                head: Vec::with_capacity(room),
                chunks: Vec::new(),
            };
            for i in 0..n {
                rows.push(i);
            }
            assert_eq!(rows.len(), n, "{room} {n}");
            assert!((0..n).all(|i| *rows.get(i) == i));
            let all = rows.into_vec();
            assert_eq!(all.len(), n, "{room} {n}");
            assert!(all.iter().copied().eq(0..n));
        }
    }
}
