//! Reading one CSV export: header matching, per-cell parsing with `file:line:column` context,
//! and row accounting (read = used + rejected + blank) so no row disappears without a trace.

use std::path::Path;

use super::accounts::{Reject, Rejection, RowAccount};
use super::decoder::{located, open_reader_with, Decoder, Encoding, TooLong};
use super::header::{normalize_header, Col, ColumnIndex, MAX_COLUMNS};
use super::spec::TableSpec;
use crate::error::{excerpt, quoted, Diagnostic, LIST_CHARS, QUOTED_CHARS};
use crate::model::notes::fold_case;

use super::row::Row;

/// An open CSV file with its header resolved.
pub struct CsvFile {
    pub file: String,
    /// The canonical table it is read as (empty until [`CsvFile::for_table`]).
    pub table: String,
    pub headers: Vec<String>,
    /// Canonical column name → index in the (translated) record.
    index: ColumnIndex,
    spec: TableSpec,
    /// Value-mapped columns: (record index, canonical name).
    mapped: Vec<(usize, String)>,
    /// Mapped-in columns (docs/mapping.md), appended after the exported ones.
    derived: Vec<super::derived::Derived>,
    /// The `where:` conditions: (exported column, index in the spec's filters).
    filters: Vec<(usize, usize)>,
    /// Lookups with `unmatched: skip`: (exported key column, its header, the lookup file).
    skips: Vec<(usize, String, std::sync::Arc<super::derived::LookupTable>)>,
    /// A warning for each optional cell taken as missing in a used row.
    unreadable: std::sync::Mutex<Vec<Diagnostic>>,
    reader: csv::Reader<Decoder>,
    /// Set when the file could not be read to its end: the build must not go on without it.
    fatal: Option<Diagnostic>,
    /// Where the file is and its field delimiter, to open more readers ([`CsvFile::reader_at`]).
    path: std::path::PathBuf,
    delimiter: u8,
}

/// What reading rows carries from one row to the next: whether the last row was blank (a
/// footer may follow), the rows that look like a footer and may yet turn out not to be, and a
/// buffer for translated rows.
#[derive(Default)]
pub struct RowState {
    after_blank: bool,
    translated: csv::StringRecord,
    /// Rows that read like a report footer since the last data row, counted as footers for
    /// now: a footer is only what follows the last data row, so a data row after them makes
    /// them ordinary rows. At most [`MAX_FOOTER_ROWS`].
    held: std::collections::VecDeque<csv::StringRecord>,
}

impl RowState {
    /// Whether rows that look like a footer wait for the next data row to be judged: the next
    /// row must then go through [`CsvFile::accept`].
    pub fn holds_footers(&self) -> bool {
        !self.held.is_empty()
    }
}

/// The longest trailing footer block: Salesforce writes five lines. Footer-looking rows
/// beyond this many are read as ordinary rows, so a file of them is not held in memory.
const MAX_FOOTER_ROWS: usize = 100;

impl CsvFile {
    /// An optional export (`quotas.csv`, `adjustments.csv`) opened as `table`: `Ok(None)` when
    /// the file is absent, the findings when it lies outside `data/`, cannot be read or lacks one
    /// of the `required` headers.
    pub fn open_optional(
        path: &Path,
        display: &str,
        spec: &TableSpec,
        table: &str,
        required: &[&str],
    ) -> Result<Option<CsvFile>, Vec<Diagnostic>> {
        if !path.is_file() {
            return Ok(None);
        }
        super::check_inside(path, display).map_err(|d| vec![d])?;
        let f = CsvFile::open(path, display, spec)?.for_table(table);
        let missing = f.require(required);
        if missing.is_empty() {
            Ok(Some(f))
        } else {
            Err(missing)
        }
    }

    /// Opens `path` (shown as `display` in messages), applies the table's mapping `spec`
    /// and reads its header. Every header the project's mapping names and the export lacks
    /// is reported at once (`named::check`); other problems stop at the first.
    pub fn open(path: &Path, display: &str, spec: &TableSpec) -> Result<CsvFile, Vec<Diagnostic>> {
        let (mut reader, delimiter) =
            open_reader_with(path, display, spec.delimiter, spec.encoding).map_err(|d| vec![d])?;
        let encoding = reader.get_ref().encoding();
        let raw = reader
            .headers()
            .map_err(|e| vec![csv_diag(display, &e, encoding)])?
            .clone();
        if raw.len() > MAX_COLUMNS {
            return Err(vec![Diagnostic::error(
                display,
                format!(
                    "the header has {} columns; Baton reads at most {MAX_COLUMNS}",
                    raw.len()
                ),
            )
            .at(1, None)]);
        }
        if raw.iter().all(|h| h.trim().is_empty()) {
            return Err(vec![Diagnostic::error(
                display,
                "the file has no header row",
            )
            .at(1, None)]);
        }
        let headers: Vec<String> = raw.iter().map(normalize_header).collect();
        let mut index = foldhash::HashMap::default();
        for (i, h) in headers.iter().enumerate() {
            if let Some(first) = index.insert(h.clone(), i) {
                return Err(vec![Diagnostic::error(
                    display,
                    format!(
                        "column `{}` appears twice in the header (columns {} and {})",
                        excerpt(h, QUOTED_CHARS),
                        first + 1,
                        i + 1
                    ),
                )
                .at(1, Some(i as u64 + 1))]);
            }
        }
        // Renamed columns answer to their canonical names.
        for (canonical, source) in &spec.columns {
            match index.get(source).copied() {
                Some(i) => {
                    index.insert(canonical.clone(), i);
                }
                None => {
                    index.remove(canonical);
                }
            }
        }
        let unnamed = super::named::check(spec, &index, &raw, display);
        if !unnamed.is_empty() {
            return Err(unnamed);
        }
        let mut filters = Vec::with_capacity(spec.filters.len());
        for (k, f) in spec.filters.iter().enumerate() {
            let h = normalize_header(&f.header);
            let Some(i) = headers.iter().position(|x| *x == h) else {
                return Err(vec![Diagnostic::error(
                    display,
                    format!(
                        "a `where:` condition in playbook/mapping.yaml reads `{}`, which the header does not have",
                        excerpt(&f.header, QUOTED_CHARS)
                    ),
                )
                .at(1, None)]);
            };
            filters.push((i, k));
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let bound =
            super::derived::bind(spec, &index, &headers, dir, display).map_err(|d| vec![d])?;
        let mut derived = Vec::with_capacity(bound.len());
        let mut skips: Vec<(usize, String, std::sync::Arc<super::derived::LookupTable>)> =
            Vec::new();
        for (_, d) in &bound {
            if let (Some(t), Some(key)) = (d.skipping_lookup(), d.source) {
                if !skips.iter().any(|(_, _, s)| std::sync::Arc::ptr_eq(s, t)) {
                    let header = raw.get(key).unwrap_or_default().to_string();
                    skips.push((key, header, std::sync::Arc::clone(t)));
                }
            }
        }
        for (canonical, d) in bound {
            index.insert(canonical, headers.len() + derived.len());
            derived.push(d);
        }
        let mut mapped: Vec<(usize, String)> = spec
            .values
            .keys()
            .filter_map(|c| index.get(c).map(|i| (*i, c.clone())))
            .filter(|(i, _)| *i < headers.len())
            .collect();
        mapped.sort();
        Ok(CsvFile {
            file: display.to_string(),
            table: String::new(),
            headers,
            index,
            spec: spec.clone(),
            mapped,
            derived,
            filters,
            skips,
            unreadable: std::sync::Mutex::new(Vec::new()),
            reader,
            fatal: None,
            path: path.to_path_buf(),
            delimiter,
        })
    }

    /// The table's mapping.
    pub fn spec(&self) -> &TableSpec {
        &self.spec
    }

    /// The encoding the file is read in: the mapping's, or the one its byte-order mark names.
    pub fn encoding(&self) -> Encoding {
        self.reader.get_ref().encoding()
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The size of the file in bytes (0 when it cannot be told).
    pub fn size(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }

    /// About how many records the file holds, from the length of the lines in its first
    /// 64 KiB: an estimate (0 when the file cannot be read) to size what is read into, never a
    /// count. A quoted line break counts as a record, so quoted notes make it high, not low.
    pub fn estimated_rows(&self) -> usize {
        use std::io::Read;
        let Ok(file) = std::fs::File::open(&self.path) else {
            return 0;
        };
        let mut head = Vec::with_capacity(1 << 16);
        if file.take(1 << 16).read_to_end(&mut head).is_err() || head.is_empty() {
            return 0;
        }
        let lines = memchr::memchr_iter(b'\n', &head).count().max(1) as u64;
        let size = self.size().max(head.len() as u64);
        usize::try_from(size.saturating_mul(lines) / head.len() as u64).unwrap_or(usize::MAX)
    }

    /// The field delimiter the file is read with.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Another reader of the same file from byte `offset` of its (decoded) text, which must be
    /// the start of a line: from 0 it reads (and skips) the header like the file's own reader;
    /// from elsewhere every record is data and positions count from `offset`. `line` is the
    /// file's line number at `offset`, for the messages of a record that is too long. Offsets
    /// are the file's own only in UTF-8 (the fast path of activities reads only such files).
    pub fn reader_at(&self, offset: u64, line: u64) -> Result<csv::Reader<Decoder>, Diagnostic> {
        use std::io::Seek;
        let cannot = |e: std::io::Error| Diagnostic::error(&self.file, format!("cannot read: {e}"));
        let mut file = std::fs::File::open(&self.path).map_err(cannot)?;
        file.seek(std::io::SeekFrom::Start(offset))
            .map_err(cannot)?;
        let buf = std::io::BufReader::with_capacity(1 << 16, file);
        Ok(csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(offset == 0)
            .delimiter(self.delimiter)
            .from_reader(Decoder::starting_at(
                buf,
                self.encoding(),
                self.delimiter,
                line,
            )))
    }

    /// A row account for this file, all counts zero.
    pub fn account(&self) -> RowAccount {
        RowAccount {
            file: self.file.clone(),
            table: self.table.clone(),
            ..RowAccount::default()
        }
    }

    /// Names the canonical table this file is read as, for its [`RowAccount`].
    pub fn for_table(mut self, table: &str) -> CsvFile {
        self.table = table.to_string();
        self
    }

    /// The error that stopped reading before the end of the file, if any.
    pub fn take_fatal(&mut self) -> Option<Diagnostic> {
        self.fatal.take()
    }

    /// The warnings of optional cells taken as missing ([`Row::optional_timestamp`]).
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(self.unreadable.get_mut().unwrap_or_else(|e| e.into_inner()))
    }

    /// The 0-based index of a column by its canonical name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// A column by its canonical name, resolved once for every row of this file.
    pub fn col(&self, name: &str) -> Col {
        Col {
            name: name.to_string(),
            position: self.column(name),
        }
    }

    /// Fails with one diagnostic per missing column.
    pub fn require(&self, names: &[&str]) -> Vec<Diagnostic> {
        names
            .iter()
            .filter(|n| self.column(n).is_none())
            .map(|n| {
                let mapped = match self.spec.columns.get(*n) {
                    Some(src) => format!(", mapped from `{src}` in playbook/mapping.yaml"),
                    None => String::new(),
                };
                Diagnostic::error(
                    self.file.clone(),
                    format!(
                        "missing required column `{n}`{mapped} (the header has: {})",
                        excerpt(&self.headers.join(", "), LIST_CHARS)
                    ),
                )
                .at(1, None)
            })
            .collect()
    }

    /// Calls `f` on every non-blank row; a row `f` rejects is recorded with its reason.
    /// A row the CSV parser cannot read is rejected too; reading goes on after it.
    pub fn for_each_row(
        &mut self,
        rejections: &mut Vec<Rejection>,
        mut f: impl FnMut(&Row) -> Result<(), Reject>,
    ) -> RowAccount {
        let mut account = self.account();
        let mut rec = csv::StringRecord::new();
        let mut state = RowState::default();
        crate::progress::doing(&format!("reading {}", self.file));
        loop {
            match self.reader.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {
                    crate::progress::row();
                    let pos = located(&mut self.reader, rec.position());
                    rec.set_position(pos);
                }
                Err(e) => {
                    crate::progress::row();
                    let line = located(&mut self.reader, e.position()).map_or(0, |p| p.line());
                    match self.read_error(&e, line, &mut account, rejections) {
                        Some(fatal) => {
                            self.fatal = Some(fatal);
                            break;
                        }
                        None => continue,
                    }
                }
            }
            self.accept(&rec, &mut state, &mut account, rejections, &mut f);
        }
        account
    }

    /// A record the CSV parser could not read, on `line` (0 when unknown; [`located`] gives
    /// it): rejected as a row, or, when the rest of the file cannot be read, the fatal
    /// diagnostic to stop on.
    pub fn read_error(
        &self,
        e: &csv::Error,
        line: u64,
        account: &mut RowAccount,
        rejections: &mut Vec<Rejection>,
    ) -> Option<Diagnostic> {
        if let csv::ErrorKind::Io(io) = e.kind() {
            // The rest of the file cannot be read: fatal, not one bad row. A record too long
            // is blamed on the line of its open quote, or its first line.
            let line = too_long(io).map_or(line, |t| t.line);
            let mut d = Diagnostic::error(
                self.file.clone(),
                format!("reading stopped: {}", csv_reason(e, self.encoding())),
            );
            if line > 0 {
                d = d.at(line, None);
            }
            return Some(d);
        }
        self.reject_unread(line, csv_reason(e, self.encoding()), account, rejections);
        None
    }

    /// A record read as bytes whose field `field` (0-based) is not UTF-8: rejected exactly as
    /// the text reader of [`CsvFile::for_each_row`] rejects it.
    pub fn reject_utf8(
        &self,
        line: u64,
        field: usize,
        account: &mut RowAccount,
        rejections: &mut Vec<Rejection>,
    ) {
        self.reject_unread(
            line,
            utf8_reason(field, self.encoding()),
            account,
            rejections,
        );
    }

    /// Rejects the record on `line` as a whole, without its cells (they could not be read).
    fn reject_unread(
        &self,
        line: u64,
        reason: String,
        account: &mut RowAccount,
        rejections: &mut Vec<Rejection>,
    ) {
        account.read += 1;
        account.rejected += 1;
        rejections.push(Rejection {
            file: self.file.clone(),
            line,
            column: None,
            column_name: String::new(),
            reason,
            record: Vec::new(),
            follows: None,
        });
    }

    /// Warns of each optional cell of the used row on `line` that was taken as missing.
    fn warn_unreadable(&self, line: u64, cells: Vec<Reject>, account: &mut RowAccount) {
        let mut warnings = self.unreadable.lock().unwrap_or_else(|e| e.into_inner());
        for r in cells {
            account.unreadable += 1;
            let name = r
                .column
                .and_then(|c| self.headers.get(c).cloned())
                .unwrap_or_default();
            warnings.push(
                Diagnostic::warning(
                    self.file.clone(),
                    format!(
                        "{name}: {}; the cell is read as missing and the row kept",
                        r.message
                    ),
                )
                .at(line, r.column.map(|c| c as u64 + 1)),
            );
        }
    }

    /// Accounts for one record as read and, unless it is blank or a footer, uses it
    /// ([`CsvFile::use_row`]).
    pub fn accept<F: FnMut(&Row) -> Result<(), Reject>>(
        &self,
        rec: &csv::StringRecord,
        state: &mut RowState,
        account: &mut RowAccount,
        rejections: &mut Vec<Rejection>,
        f: &mut F,
    ) {
        account.read += 1;
        if rec.iter().all(|c| c.trim().is_empty()) {
            account.blank += 1;
            state.after_blank = true;
            return;
        }
        // The CSV reader skips empty lines, so a footer is known by its look (after a blank
        // row, or as a lone total/copyright/confidentiality line) and by its place: after the
        // last data row. Until that is known it is held, and counted as a footer.
        if (state.after_blank || self.headers.len() > 2) && is_footer(rec) {
            account.footer += 1;
            state.held.push_back(rec.clone());
            if state.held.len() > MAX_FOOTER_ROWS {
                if let Some(oldest) = state.held.pop_front() {
                    account.footer -= 1;
                    self.use_row(&oldest, &mut state.translated, account, rejections, f);
                }
            }
            return;
        }
        state.after_blank = false;
        // A data row: the rows held before it were not a trailing footer.
        while let Some(held) = state.held.pop_front() {
            account.footer -= 1;
            self.use_row(&held, &mut state.translated, account, rejections, f);
        }
        self.use_row(rec, &mut state.translated, account, rejections, f);
    }

    /// Rejects a row with stray cells, or translates it and calls `f` on it, recording a
    /// rejection with its reason. The row is already counted as read.
    fn use_row<F: FnMut(&Row) -> Result<(), Reject>>(
        &self,
        rec: &csv::StringRecord,
        translated: &mut csv::StringRecord,
        account: &mut RowAccount,
        rejections: &mut Vec<Rejection>,
        f: &mut F,
    ) {
        let line = rec.position().map_or(0, |p| p.line());
        let reject = |account: &mut RowAccount, r: Reject| {
            account.rejected += 1;
            Rejection {
                file: self.file.clone(),
                line,
                column: r.column.map(|c| c as u64 + 1),
                column_name: r
                    .column
                    .and_then(|c| self.headers.get(c).cloned())
                    .unwrap_or_default(),
                reason: r.message,
                record: rec.iter().map(str::to_string).collect(),
                follows: r.follows,
            }
        };
        // More cells than the header: an unquoted comma has split a value.
        if rec.len() > self.headers.len()
            && rec
                .iter()
                .skip(self.headers.len())
                .any(|c| !c.trim().is_empty())
        {
            let r = Reject {
                column: Some(self.headers.len()),
                message: format!(
                    "the row has {} cells but the header has {} (is a value with a comma not quoted?)",
                    rec.len(),
                    self.headers.len()
                ),
                follows: None,
            };
            rejections.push(reject(account, r));
            return;
        }
        // Not a row of the table: skipped by the first condition it fails, and counted.
        let failed = self.filters.iter().find(|(i, k)| {
            !self.spec.filters[*k]
                .condition
                .holds(rec.get(*i).unwrap_or(""))
        });
        if let Some(&(_, k)) = failed {
            account.filter(self.spec.filters[k].rule(), line);
            return;
        }
        // Not a row of the table either: its key is not in a lookup that skips such rows (an
        // empty key gives empty cells, as in any lookup).
        let unmatched = self.skips.iter().find(|(i, _, t)| {
            let key = rec.get(*i).unwrap_or("").trim();
            !key.is_empty() && !t.has(key)
        });
        if let Some((_, header, t)) = unmatched {
            account.filter(t.unmatched_rule(header), line);
            return;
        }
        let used = if self.spec.translates() {
            match self.translate(rec, translated) {
                Ok(()) => &*translated,
                Err(r) => {
                    rejections.push(reject(account, r));
                    return;
                }
            }
        } else {
            rec
        };
        let unreadable = std::cell::RefCell::new(Vec::new());
        let row = Row {
            line,
            rec: used,
            index: &self.index,
            spec: &self.spec,
            unreadable: &unreadable,
        };
        match f(&row) {
            Ok(()) => {
                account.used += 1;
                let cells = unreadable.into_inner();
                if !cells.is_empty() {
                    self.warn_unreadable(line, cells, account);
                }
            }
            Err(mut r) => {
                if rec.len() > self.headers.len() {
                    r.message.push_str(&format!(
                        " (the row has {} cells but the header has {}: is a value with a comma not quoted?)",
                        rec.len(),
                        self.headers.len()
                    ));
                }
                // A derived column is blamed on the column it derives from; one made
                // from a looked-up column, on that lookup's key.
                for _ in 0..2 {
                    if let Some(c) = r.column.filter(|c| *c >= self.headers.len()) {
                        r.column = self
                            .derived
                            .get(c - self.headers.len())
                            .and_then(|d| d.source);
                    }
                }
                rejections.push(reject(account, r));
            }
        }
    }

    /// Applies value maps and derived columns to one exported row.
    fn translate(
        &self,
        rec: &csv::StringRecord,
        out: &mut csv::StringRecord,
    ) -> Result<(), Reject> {
        out.clear();
        let mut mapped = self.mapped.iter().peekable();
        for (i, cell) in rec.iter().enumerate().take(self.headers.len()) {
            match mapped.peek() {
                Some((mi, col)) if *mi == i => {
                    mapped.next();
                    let v = cell.trim();
                    if v.is_empty() {
                        out.push_field("");
                        continue;
                    }
                    let (map, known) = &self.spec.values[col];
                    match map.get(&fold_case(v)) {
                        Some(c) => out.push_field(c),
                        None => {
                            return Err(Reject {
                                column: Some(i),
                                message: format!(
                                    "value {} is not in the mapping for `{col}` (playbook/mapping.yaml knows: {})",
                                    quoted(v),
                                    known.join(", ")
                                ),
                                follows: None,
                            })
                        }
                    }
                }
                _ => out.push_field(cell),
            }
        }
        for _ in rec.len()..self.headers.len() {
            out.push_field("");
        }
        let exported = self.headers.len();
        for d in &self.derived {
            // A source past the export's columns is a looked-up column already appended.
            let cell = match d.source {
                Some(i) if i >= exported => out.get(i),
                Some(i) => rec.get(i),
                None => None,
            };
            let cell = cell.map_or("", str::trim);
            if d.others.is_empty() {
                let v = d.value(cell)?;
                out.push_field(&v);
                continue;
            }
            let mut cells = Vec::with_capacity(1 + d.others.len());
            cells.push(cell);
            for &i in &d.others {
                let c = if i >= exported {
                    out.get(i)
                } else {
                    rec.get(i)
                };
                cells.push(c.map_or("", str::trim));
            }
            let v = d.combine(&cells);
            out.push_field(&v);
        }
        Ok(())
    }
}

/// Whether a row reads like a report footer: one or two cells, reading like a grand total,
/// a copyright or a confidentiality line (Salesforce report exports end so). Whether it is
/// one depends on its place too: only rows after the last data row are ([`RowState`]).
fn is_footer(rec: &csv::StringRecord) -> bool {
    // Asked of every row of a wide file: a data row is told apart by its third non-empty
    // cell, without collecting its cells.
    let mut cells = rec.iter().map(str::trim).filter(|c| !c.is_empty());
    let Some(first) = cells.next() else {
        return false;
    };
    if cells.nth(1).is_some() {
        return false;
    }
    let first = fold_case(first);
    [
        "grand total",
        "total",
        "copyright",
        "©",
        "(c)",
        "confidential",
        "generated by",
        "salesforce",
        "filtered by",
        "report",
    ]
    .iter()
    .any(|p| first.starts_with(p))
        || first.contains("all rights reserved")
}

/// Why a record whose `field` (0-based) is not text in `encoding` is rejected (the decoder
/// turns what is not text in another encoding into invalid UTF-8).
fn utf8_reason(field: usize, encoding: Encoding) -> String {
    if encoding == Encoding::UTF_8 {
        return format!(
            "invalid UTF-8 in field {} (save the export as UTF-8, or set `encoding: windows-1252` for the table in playbook/mapping.yaml)",
            field + 1
        );
    }
    format!(
        "field {} is not valid {} text (is `encoding:` for the table in playbook/mapping.yaml the export's?)",
        field + 1,
        encoding.name()
    )
}

/// The [`TooLong`] a read error carries, if it is one.
fn too_long(io: &std::io::Error) -> Option<&TooLong> {
    io.get_ref().and_then(|e| e.downcast_ref::<TooLong>())
}

fn csv_reason(e: &csv::Error, encoding: Encoding) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => utf8_reason(err.field(), encoding),
        csv::ErrorKind::Io(io) => match too_long(io) {
            Some(t) => t.to_string(),
            None => format!("cannot read: {io}"),
        },
        _ => e.to_string(),
    }
}

fn csv_diag(display: &str, e: &csv::Error, encoding: Encoding) -> Diagnostic {
    let line = e.position().map_or(1, |p| p.line());
    Diagnostic::error(display, csv_reason(e, encoding)).at(line, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::decoder::sniff_delimiter;
    use crate::input::values::*;
    use chrono::Datelike;
    use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
    use chrono_tz::Tz;
    use rust_decimal::Decimal;

    #[test]
    fn headers_normalize_case_space_and_bom() {
        assert_eq!(normalize_header("\u{feff}Rep ID "), "rep_id");
        assert_eq!(normalize_header("Handoff-At"), "handoff_at");
        assert_eq!(normalize_header("lead  created.at"), "lead_created_at");
        // Unicode's full case folding (issue 19, item 4): ß is ss, final sigma is sigma.
        assert_eq!(normalize_header("MASSNAHME"), normalize_header("Maßnahme"));
        assert_eq!(normalize_header("ΟΔΟΣ"), normalize_header("οδοσ"));
        assert_ne!(normalize_header("Qualite"), normalize_header("Qualité"));
    }

    #[test]
    fn amounts_as_spreadsheets_write_them() {
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        assert_eq!(parse_amount("$1,234.00", false), d("1234.00"));
        assert_eq!(parse_amount("1234.5", false), d("1234.5"));
        assert_eq!(parse_amount("USD 22,700.00", false), d("22700.00"));
        assert_eq!(parse_amount("€ 1.234,56", true), d("1234.56"));
        assert_eq!(parse_amount("(1,000.00)", false), d("-1000.00"));
        assert_eq!(parse_amount("-5", false), d("-5"));
        assert_eq!(parse_amount("1,2,3", false), None);
        assert_eq!(parse_amount("12,34", false), None);
        assert_eq!(parse_amount("1.2.3", false), None);
        assert_eq!(parse_amount("abc", false), None);
        assert_eq!(parse_amount("$", false), None);
    }

    #[test]
    fn configured_and_excel_dates() {
        let utc = Tz::UTC;
        let t = parse_moment("10/03/2026", Some("%m/%d/%Y"), utc).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-10-03T00:00:00+00:00");
        let t = parse_moment("03.10.2026 14:30", Some("%d.%m.%Y %H:%M"), utc).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-10-03T14:30:00+00:00");
        // 46298 is 2026-10-03 in Excel's 1900 date system; .5 is noon.
        let t = parse_moment("46298.5", Some("excel"), utc).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-10-03T12:00:00+00:00");
        assert!(parse_moment("13/45/2026", Some("%m/%d/%Y"), utc).is_err());
        // ISO stays readable whatever the configured format.
        assert!(parse_moment("2026-10-03", Some("%m/%d/%Y"), utc).is_ok());
    }

    #[test]
    fn delimiter_sniffing() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"abc\n"), b',');
    }

    #[test]
    fn timestamps_in_zone() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let t = parse_timestamp("2026-03-02 09:30", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-02T14:30:00+00:00");
        let t = parse_timestamp("2026-03-02T09:30:00+01:00", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-02T08:30:00+00:00");
        assert!(parse_timestamp("2026-03-08 02:30", tz).is_err());
        assert!(parse_timestamp("2026-02-30", tz).is_err());
    }

    /// Issue 19, item 3: a fraction of a second is kept, naive or with an offset, so the SLA
    /// can be compared exactly.
    #[test]
    fn fractions_of_a_second_are_kept() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let at = |v: &str| parse_timestamp(v, tz).map(|t| t.to_rfc3339());
        // New York is UTC-4 in October.
        let ok = |s: &str| Ok(s.to_string());
        assert_eq!(
            at("2026-10-02 09:00:00.5"),
            ok("2026-10-02T13:00:00.500+00:00")
        );
        assert_eq!(
            at("2026-10-02T09:00:00.123"),
            ok("2026-10-02T13:00:00.123+00:00")
        );
        assert_eq!(
            at("2026-10-02T09:00:00.000000001"),
            ok("2026-10-02T13:00:00.000000001+00:00")
        );
        assert_eq!(
            at("2026-10-02T09:00:00.250Z"),
            ok("2026-10-02T09:00:00.250+00:00")
        );
        assert_eq!(
            at("2026-10-02T09:00:00.750+02:00"),
            ok("2026-10-02T07:00:00.750+00:00")
        );
        assert_eq!(at("2026-10-02 09:00:00"), ok("2026-10-02T13:00:00+00:00"));
        assert!(at("2026-10-02 09:00:00.").is_err());
        assert!(at("2026-10-02 09:00:00.5x").is_err());
        // Excel: 46298 is 2026-10-03; half a second is 0.5 / 86400 of a day, kept to the
        // millisecond.
        let half = format!("{}", 46298.0 + 0.5 / 86_400.0);
        let t = parse_moment(&half, Some("excel"), Tz::UTC).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-10-03T00:00:00.500+00:00");
    }

    /// What chrono alone makes of a naive local time, as `localize` did before remembering
    /// day offsets.
    fn chrono_localize(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
        match tz.from_local_datetime(&naive) {
            chrono::LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
            chrono::LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
            chrono::LocalResult::None => None,
        }
    }

    #[test]
    fn remembered_day_offsets_read_local_times_as_chrono_does() {
        let mut rng = crate::generate::rng::Rng::new(0x2545_f491_4f6c_dd1d_u64, 0);
        let mut next = move || rng.next_u64();
        // Every zone at random times from 1900 to 2100.
        for tz in chrono_tz::TZ_VARIANTS {
            for _ in 0..20 {
                let secs = (next() % (200 * 365 * 86_400)) as i64 - 70 * 365 * 86_400;
                let naive = DateTime::from_timestamp(secs, 0).unwrap().naive_utc();
                assert_eq!(
                    localize(naive, "", tz).ok(),
                    chrono_localize(naive, tz),
                    "{tz} {naive}"
                );
            }
        }
        // Every five minutes of the days around each change of offset, 2005 to 2030, in zones
        // that change at odd times, by half an hour, backwards or by a whole day.
        for name in [
            "America/New_York",
            "America/St_Johns",
            "Australia/Lord_Howe",
            "America/Sao_Paulo",
            "Pacific/Chatham",
            "Europe/Dublin",
            "Africa/Casablanca",
            "America/Santiago",
            "America/Havana",
            "Pacific/Apia",
            "Asia/Kathmandu",
        ] {
            let tz: Tz = name.parse().unwrap();
            let noon = |d: NaiveDate| {
                let t = d.and_hms_opt(12, 0, 0).unwrap();
                chrono::Offset::fix(&tz.offset_from_utc_datetime(&t)).local_minus_utc()
            };
            let mut day = NaiveDate::from_ymd_opt(2005, 1, 1).unwrap();
            while day.year() < 2030 {
                let next_day = day.succ_opt().unwrap();
                if noon(day) != noon(next_day) {
                    let start = day.pred_opt().unwrap().and_time(chrono::NaiveTime::MIN);
                    for m in (0..4 * 24 * 60).step_by(5) {
                        let naive = start + chrono::Duration::minutes(m);
                        assert_eq!(
                            localize(naive, "", tz).ok(),
                            chrono_localize(naive, tz),
                            "{tz} {naive}"
                        );
                    }
                }
                day = next_day;
            }
        }
    }

    #[test]
    fn a_date_whose_midnight_is_skipped_starts_at_its_first_minute() {
        // São Paulo moved its clocks from 00:00 to 01:00 on 2017-10-15.
        let tz: Tz = "America/Sao_Paulo".parse().unwrap();
        let t = parse_timestamp("2017-10-15", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2017-10-15T03:00:00+00:00");
        let t = parse_moment("15-10-2017", Some("%d-%m-%Y"), tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2017-10-15T03:00:00+00:00");
        // A time of day that was skipped is still refused.
        assert!(parse_timestamp("2017-10-15 00:30", tz).is_err());
        // An ordinary day starts at midnight.
        let t = parse_timestamp("2017-10-16", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2017-10-16T02:00:00+00:00");
    }
}
