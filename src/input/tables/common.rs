//! What reading the tables produces ([`Tables`]: rows, accounts, rejections, fatal problems),
//! how each export is opened under its mapping, and what the mapping says a file lacks.

use std::collections::BTreeMap;

use foldhash::HashMap;

use crate::input::accounts::{Rejection, RowAccount};

use crate::input::csv_table::CsvFile;

use crate::error::Diagnostic;
use crate::input::gaps::watched;
use crate::input::mapping_yaml::Mapping;
use crate::input::spec::TableSpec;
use crate::model::*;

/// What reading the tables produced: rows, accounts, rejections and fatal problems.
#[derive(Default, Clone)]
pub struct Tables {
    pub reps: Vec<Rep>,
    pub activity: BTreeMap<(String, chrono::NaiveDate), DayCounts>,
    /// The files activities were read from, as shown.
    pub activity_files: Vec<String>,
    pub handoffs: Vec<Handoff>,
    pub meetings: Vec<Meeting>,
    pub opportunities: Vec<Opportunity>,
    pub one_on_ones: Vec<OneOnOne>,
    pub forecasts: Vec<Forecast>,
    pub leads: Leads,
    /// The earliest day each lead of `leads` was touched by an activity, by its place in
    /// `leads` (read with the activities, set on the leads once both are read).
    pub lead_touches: Vec<Option<chrono::NaiveDate>>,
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
    /// Takes what another thread read of the tables it was given (activities, leads or
    /// opportunities), after what this one read.
    pub(crate) fn absorb(&mut self, t: Tables) {
        if !t.activity.is_empty() {
            self.activity = t.activity;
        }
        self.activity_files.extend(t.activity_files);
        if !t.opportunities.is_empty() {
            self.opportunities = t.opportunities;
        }
        if !t.leads.is_empty() {
            self.leads = t.leads;
        }
        if !t.lead_touches.is_empty() {
            self.lead_touches = t.lead_touches;
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
pub(crate) fn open(
    dir: &std::path::Path,
    prefix: &str,
    t: Table,
    mapping: &Mapping,
    out: &mut Tables,
) -> Option<CsvFile> {
    let name = t.file_name().trim_end_matches(".csv");
    open_as(dir, prefix, name, t, mapping, out)
}

/// Opens table `t` and checks that it has its `required` columns. `None` when it is absent
/// (fatal only for a required table, as [`open`]) or lacks one (each missing column a fatal
/// diagnostic); else the file and its shown name, shared by the source of every row.
pub(crate) fn open_required(
    dir: &std::path::Path,
    prefix: &str,
    t: Table,
    mapping: &Mapping,
    out: &mut Tables,
    required: &[&str],
) -> Option<(CsvFile, std::sync::Arc<str>)> {
    let f = open(dir, prefix, t, mapping, out)?;
    let missing = f.require(required);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return None;
    }
    let file = f.file.as_str().into();
    Some((f, file))
}

/// Opens the export of canonical name `name` (e.g. `activity_daily`), which fills table `t`.
pub(crate) fn open_as(
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
            let f = f.for_table(canonical);
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

/// The columns of the playbook's segment dimensions read from `table`'s export `f`, in
/// segments.yaml's order; a declared column the export lacks is pushed to `missing` (an error,
/// never a funnel of blanks) at the line of segments.yaml that names it, with the export's
/// header closest to it.
pub(crate) fn segment_cols(
    f: &CsvFile,
    playbook: &crate::playbook::Playbook,
    table: crate::playbook::SegmentTable,
    missing: &mut Vec<Diagnostic>,
) -> Vec<crate::input::header::Col> {
    let dims = playbook.segments.dimensions.iter();
    dims.filter(|d| d.table == table)
        .map(|d| {
            let col = f.col(&crate::input::header::normalize_header(&d.column));
            if col.position.is_none() {
                let headers = f.headers.iter().map(String::as_str);
                let hint = match crate::input::named::closest(&d.column, headers) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!(
                        "the header has: {}",
                        crate::error::excerpt(&f.headers.join(", "), crate::error::LIST_CHARS)
                    ),
                };
                let (file, line) = match &d.declared_at {
                    Some((file, line)) => (file.clone(), Some(*line)),
                    None => ("playbook/segments.yaml".to_string(), None),
                };
                let e = Diagnostic::error(
                    file,
                    format!(
                        "segment `{}` reads column `{}`, which {} does not have in its header; {hint}",
                        d.name, d.column, f.file
                    ),
                );
                missing.push(match line {
                    Some(l) => e.at(l, None),
                    None => e,
                });
            }
            col
        })
        .collect()
}

/// A row's values of the segment columns `cols`: trimmed, `None` for an empty cell.
pub(crate) fn segment_values(
    row: &crate::input::row::Row,
    cols: &[crate::input::header::Col],
) -> Vec<Option<std::sync::Arc<str>>> {
    cols.iter()
        .map(|col| {
            Some(row.text(col))
                .filter(|v| !v.is_empty())
                .map(Into::into)
        })
        .collect()
}

/// Makes segment values that differ only in case and spacing (`Webinar`, ` webinar `,
/// `WEBINAR`) one value, spelt as the first row of the file spells it (`normalize_text`'s
/// rule, as every "ignoring case" of Baton). `rows` gives each row's values and line in file
/// order; `cols` are the segment columns the values were read from. Counting two spellings
/// as one changes a figure, so each spelling taken as another is returned as a warning at its
/// first line: the user sees which rows moved, never a silent merge.
pub(crate) fn one_spelling_per_segment<'a>(
    file: &str,
    cols: &[crate::input::header::Col],
    rows: impl Iterator<Item = (&'a mut [Option<std::sync::Arc<str>>], u64)>,
) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    use std::sync::Arc;
    /// A spelling taken as another: how many rows, and the first of them.
    struct Moved {
        as_spelt: Arc<str>,
        first_line: u64,
        first_spelt_line: u64,
        rows: u64,
    }
    let mut first: Vec<HashMap<String, (Arc<str>, u64)>> = Vec::new();
    let mut moved: Vec<HashMap<Arc<str>, Moved>> = Vec::new();
    for (values, line) in rows {
        if first.len() < values.len() {
            first.resize_with(values.len(), Default::default);
            moved.resize_with(values.len(), Default::default);
        }
        for ((v, seen), moved) in values.iter_mut().zip(&mut first).zip(&mut moved) {
            if let Some(v) = v.as_mut() {
                let (spelt, spelt_line) = seen
                    .entry(crate::model::notes::normalize_text(v))
                    .or_insert_with(|| (v.clone(), line));
                if !Arc::ptr_eq(spelt, v) && spelt != v {
                    moved
                        .entry(v.clone())
                        .or_insert_with(|| Moved {
                            as_spelt: spelt.clone(),
                            first_line: line,
                            first_spelt_line: *spelt_line,
                            rows: 0,
                        })
                        .rows += 1;
                }
                if !Arc::ptr_eq(spelt, v) {
                    *v = spelt.clone();
                }
            }
        }
    }
    let mut out = Vec::new();
    for (col, moved) in cols.iter().zip(moved) {
        let mut moved: Vec<(Arc<str>, Moved)> = moved.into_iter().collect();
        moved.sort_by_key(|(_, m)| m.first_line);
        for (spelling, m) in moved {
            out.push(
                Diagnostic::warning(
                    file,
                    format!(
                        "segment column `{}`: {:?} ({} row{}) is counted as {:?}, spelt so at line {}: \
                         segment values that differ only in case and spacing are one value",
                        col.name,
                        spelling.as_ref(),
                        m.rows,
                        if m.rows == 1 { "" } else { "s" },
                        m.as_spelt.as_ref(),
                        m.first_spelt_line,
                    ),
                )
                .at(m.first_line, col.position.map(|p| p as u64 + 1)),
            );
        }
    }
    out
}
