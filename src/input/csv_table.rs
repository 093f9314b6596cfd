//! Reading one CSV export: header matching, per-cell parsing with `file:line:column` context,
//! and row accounting (read = used + rejected + blank) so no row disappears without a trace.

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;

use super::mapping::{Encoding, TableSpec};
use crate::error::Diagnostic;

/// Rows of one file by fate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowAccount {
    pub file: String,
    /// Data rows, blank ones included (the header is not a row).
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// Rows whose every cell is empty: skipped, and counted here.
    pub blank: u64,
    /// Report footer rows after a blank line (grand totals, copyright): skipped and counted.
    pub footer: u64,
}

/// A row that was left out, with where and why, for the build summary and `rejected.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    pub column: Option<u64>,
    pub column_name: String,
    pub reason: String,
    pub record: Vec<String>,
}

impl Rejection {
    pub fn diagnostic(&self) -> Diagnostic {
        let msg = if self.column_name.is_empty() {
            self.reason.clone()
        } else {
            format!("{}: {}", self.column_name, self.reason)
        };
        Diagnostic::error(self.file.clone(), msg).at(self.line, self.column)
    }
}

/// Why a cell (or a whole row) cannot be used.
#[derive(Debug, Clone)]
pub struct Reject {
    /// 0-based index of the offending column, when one is to blame.
    pub column: Option<usize>,
    pub message: String,
}

impl Reject {
    pub fn row(message: impl Into<String>) -> Self {
        Reject {
            column: None,
            message: message.into(),
        }
    }
}

/// Normalises a header for matching: BOM and surrounding space removed, lowercase, runs of
/// spaces, dashes and dots turned into one `_`.
pub fn normalize_header(h: &str) -> String {
    let h = h.trim_start_matches('\u{feff}').trim().to_lowercase();
    let mut out = String::with_capacity(h.len());
    for ch in h.chars() {
        if ch.is_whitespace() || ch == '-' || ch == '.' {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// An open CSV file with its header resolved.
pub struct CsvFile {
    pub file: String,
    pub headers: Vec<String>,
    /// Canonical column name → index in the (translated) record.
    index: ColumnIndex,
    spec: TableSpec,
    /// Value-mapped columns: (record index, canonical name).
    mapped: Vec<(usize, String)>,
    /// Mapped-in columns (docs/mapping.md), appended after the exported ones.
    derived: Vec<super::derived::Derived>,
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
    /// Opens `path` (shown as `display` in messages), applies the table's mapping `spec`
    /// and reads its header. Every header the project's mapping names and the export lacks
    /// is reported at once (`named::check`); other problems stop at the first.
    pub fn open(path: &Path, display: &str, spec: &TableSpec) -> Result<CsvFile, Vec<Diagnostic>> {
        let (mut reader, delimiter) =
            open_reader_with(path, display, spec.delimiter, spec.encoding).map_err(|d| vec![d])?;
        let raw = reader
            .headers()
            .map_err(|e| vec![csv_diag(display, &e)])?
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
                        "column `{h}` appears twice in the header (columns {} and {})",
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
        let dir = path.parent().unwrap_or(Path::new("."));
        let bound =
            super::derived::bind(spec, &index, &headers, dir, display).map_err(|d| vec![d])?;
        let mut derived = Vec::with_capacity(bound.len());
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
            headers,
            index,
            spec: spec.clone(),
            mapped,
            derived,
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
    /// file's line number at `offset`, for the messages of a record that is too long.
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
            .from_reader(Decoder::starting_at(buf, self.spec.encoding, line)))
    }

    /// A row account for this file, all counts zero.
    pub fn account(&self) -> RowAccount {
        RowAccount {
            file: self.file.clone(),
            ..RowAccount::default()
        }
    }

    /// The error that stopped reading before the end of the file, if any.
    pub fn take_fatal(&mut self) -> Option<Diagnostic> {
        self.fatal.take()
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
                        self.headers.join(", ")
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
                Ok(true) => crate::progress::row(),
                Err(e) => {
                    crate::progress::row();
                    match self.read_error(&e, &mut account, rejections) {
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

    /// A record the CSV parser could not read: rejected as a row, or, when the rest of the file
    /// cannot be read, the fatal diagnostic to stop on.
    pub fn read_error(
        &self,
        e: &csv::Error,
        account: &mut RowAccount,
        rejections: &mut Vec<Rejection>,
    ) -> Option<Diagnostic> {
        let line = e.position().map_or(0, |p| p.line());
        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
            // The rest of the file cannot be read: fatal, not one bad row.
            let mut d = Diagnostic::error(
                self.file.clone(),
                format!("reading stopped: {}", csv_reason(e)),
            );
            if line > 0 {
                d = d.at(line, None);
            }
            return Some(d);
        }
        self.reject_unread(line, csv_reason(e), account, rejections);
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
        self.reject_unread(line, utf8_reason(field), account, rejections);
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
        });
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
            };
            rejections.push(reject(account, r));
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
        let row = Row {
            line,
            rec: used,
            index: &self.index,
            spec: &self.spec,
        };
        match f(&row) {
            Ok(()) => account.used += 1,
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
                    match map.get(&v.to_lowercase()) {
                        Some(c) => out.push_field(c),
                        None => {
                            return Err(Reject {
                                column: Some(i),
                                message: format!(
                                    "value {v:?} is not in the mapping for `{col}` (playbook/mapping.yaml knows: {})",
                                    known.join(", ")
                                ),
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
            let v = d.value(cell.map_or("", str::trim))?;
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
    let first = first.to_lowercase();
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

/// Opens an export for reading: refuses links out of its folder, decodes `encoding`, and
/// uses `delimiter` or the one detected from the header line.
pub(crate) fn open_reader(
    path: &Path,
    display: &str,
    delimiter: Option<u8>,
    encoding: Encoding,
) -> Result<csv::Reader<Decoder>, Diagnostic> {
    open_reader_with(path, display, delimiter, encoding).map(|(r, _)| r)
}

/// [`open_reader`], also telling the delimiter it uses.
fn open_reader_with(
    path: &Path,
    display: &str,
    delimiter: Option<u8>,
    encoding: Encoding,
) -> Result<(csv::Reader<Decoder>, u8), Diagnostic> {
    super::check_inside(path, display)?;
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
    let mut buf = std::io::BufReader::with_capacity(1 << 16, file);
    let sniffed = {
        use std::io::BufRead;
        let head = buf
            .fill_buf()
            .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
        sniff_delimiter(head)
    };
    let delimiter = delimiter.unwrap_or(sniffed);
    let reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .delimiter(delimiter)
        .from_reader(Decoder::new(buf, encoding));
    Ok((reader, delimiter))
}

/// The most frequent of `,` `;` tab `|` on the first line (`,` when none).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let mut best = (0, b',');
    for d in [b',', b';', b'\t', b'|'] {
        let n = line.iter().filter(|b| **b == d).count();
        if n > best.0 {
            best = (n, d);
        }
    }
    best.1
}

/// The longest record Baton reads (a hostile 100 MB cell ends in an error, not in memory).
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;
/// Column positions by canonical name. Looked up once per cell read, so hashed with
/// foldhash rather than SipHash (seeded per process like SipHash, about five times faster on
/// these short names).
pub type ColumnIndex = foldhash::HashMap<String, usize>;

/// The most columns a header may have.
pub const MAX_COLUMNS: usize = 10_000;

/// Decodes an export to UTF-8 while it is read (UTF-8 passes through, Windows-1252 is mapped)
/// and refuses a record longer than [`MAX_RECORD_BYTES`], tracking quotes so that a quoted
/// newline does not end a record.
pub struct Decoder {
    inner: std::io::BufReader<std::fs::File>,
    encoding: Encoding,
    pending: Vec<u8>,
    in_quotes: bool,
    record_bytes: u64,
    line: u64,
}

impl Decoder {
    fn new(inner: std::io::BufReader<std::fs::File>, encoding: Encoding) -> Self {
        Decoder::starting_at(inner, encoding, 1)
    }

    /// A decoder whose first byte is on line `line` of the file.
    fn starting_at(
        inner: std::io::BufReader<std::fs::File>,
        encoding: Encoding,
        line: u64,
    ) -> Self {
        Decoder {
            inner,
            encoding,
            pending: Vec::new(),
            in_quotes: false,
            record_bytes: 0,
            line,
        }
    }

    /// Counts `bytes` into the current record; an error once it is too long. Only quotes and
    /// newlines change the count's course, so it jumps from one to the next (memchr) and adds
    /// the stretch between: a quoted note of 300 bytes costs two steps, not 300.
    fn measure(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut from = 0;
        for at in memchr::memchr2_iter(b'"', b'\n', bytes).chain(std::iter::once(bytes.len())) {
            self.record_bytes += (at - from) as u64;
            self.check_length()?;
            from = at + 1;
            match bytes.get(at) {
                Some(b'"') => self.in_quotes = !self.in_quotes,
                Some(_) => {
                    self.line += 1;
                    if !self.in_quotes {
                        self.record_bytes = 0;
                        continue;
                    }
                }
                None => break,
            }
            self.record_bytes += 1;
            self.check_length()?;
        }
        Ok(())
    }

    fn check_length(&self) -> std::io::Result<()> {
        if self.record_bytes <= MAX_RECORD_BYTES {
            return Ok(());
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "a record reaching line {} is longer than {} MiB: is a quote left open?",
                self.line,
                MAX_RECORD_BYTES / (1024 * 1024)
            ),
        ))
    }
}

impl std::io::Read for Decoder {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.encoding == Encoding::Utf8 {
            let n = self.inner.read(buf)?;
            self.measure(&buf[..n])?;
            return Ok(n);
        }
        if self.pending.is_empty() {
            let mut raw = [0u8; 8192];
            let n = self.inner.read(&mut raw)?;
            if n == 0 {
                return Ok(0);
            }
            for &b in &raw[..n] {
                let ch = windows_1252(b);
                let mut tmp = [0u8; 4];
                self.pending
                    .extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        self.measure(&buf[..n])?;
        Ok(n)
    }
}

/// One Windows-1252 byte as a char (the five undefined bytes map to their C1 controls).
pub fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Why a record with invalid UTF-8 in `field` (0-based) is rejected.
fn utf8_reason(field: usize) -> String {
    format!(
        "invalid UTF-8 in field {} (save the export as UTF-8, or set `encoding: windows-1252` for the table in playbook/mapping.yaml)",
        field + 1
    )
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => utf8_reason(err.field()),
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => e.to_string(),
    }
}

fn csv_diag(display: &str, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(1, |p| p.line());
    Diagnostic::error(display, csv_reason(e)).at(line, None)
}

/// A column as [`Row`]'s accessors take it: by its canonical name, looked up in the file's
/// header at every call, or as a [`Col`], looked up once for the whole file.
pub trait Column {
    /// The canonical name.
    fn name(&self) -> &str;
    /// The 0-based index in a row of the file whose columns are `index`.
    fn position(&self, index: &ColumnIndex) -> Option<usize>;
}

impl Column for str {
    fn name(&self) -> &str {
        self
    }

    fn position(&self, index: &ColumnIndex) -> Option<usize> {
        index.get(self).copied()
    }
}

impl<C: Column + ?Sized> Column for &C {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn position(&self, index: &ColumnIndex) -> Option<usize> {
        (**self).position(index)
    }
}

impl Column for String {
    fn name(&self) -> &str {
        self
    }

    fn position(&self, index: &ColumnIndex) -> Option<usize> {
        self.as_str().position(index)
    }
}

/// A column of one file with its index resolved ([`CsvFile::col`]): a hand-off row reads some
/// twenty cells, and hashing each name every row was a tenth of reading handoffs.csv. Only for
/// the rows of the file it was made from.
#[derive(Debug, Clone)]
pub struct Col {
    name: String,
    position: Option<usize>,
}

impl Column for Col {
    fn name(&self) -> &str {
        &self.name
    }

    fn position(&self, _: &ColumnIndex) -> Option<usize> {
        self.position
    }
}

/// A cell without its surrounding white space: most cells start and end with a visible ASCII
/// character and are taken as they are, without `str::trim`'s per-character Unicode test.
fn trim(v: &str) -> &str {
    match (v.as_bytes().first(), v.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => v,
        _ => v.trim(),
    }
}

/// One data row with typed, located accessors. Every accessor trims surrounding space.
pub struct Row<'a> {
    pub line: u64,
    rec: &'a csv::StringRecord,
    index: &'a ColumnIndex,
    spec: &'a TableSpec,
}

impl<'a> Row<'a> {
    fn idx(&self, name: &(impl Column + ?Sized)) -> Option<usize> {
        name.position(self.index)
    }

    fn err(&self, name: &(impl Column + ?Sized), message: String) -> Reject {
        Reject {
            column: self.idx(name),
            message,
        }
    }

    /// The trimmed cell, or "" when the column or the cell is absent.
    pub fn text(&self, name: &(impl Column + ?Sized)) -> &'a str {
        self.idx(name)
            .and_then(|i| self.rec.get(i))
            .map_or("", trim)
    }

    /// A cell that must not be empty.
    pub fn required(&self, name: &(impl Column + ?Sized)) -> Result<&'a str, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            Err(self.err(name, "is empty but required".into()))
        } else {
            Ok(v)
        }
    }

    /// One of a fixed set of lowercase values (matched ignoring case).
    pub fn choice<T: Copy>(
        &self,
        name: &(impl Column + ?Sized),
        allowed: &[(&str, T)],
        empty: Option<T>,
    ) -> Result<T, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            if let Some(d) = empty {
                return Ok(d);
            }
        }
        allowed
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(v))
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let known: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
                self.err(
                    name,
                    format!(
                        "unknown value {v:?} (expected one of: {})",
                        known.join(", ")
                    ),
                )
            })
    }

    /// The configured date format of a column, if the mapping sets one.
    fn format_of(&self, name: &(impl Column + ?Sized)) -> Option<&str> {
        self.spec
            .date_formats
            .get(name.name())
            .or(self.spec.date_format.as_ref())
            .map(String::as_str)
    }

    /// A calendar date; a timestamp is accepted and reduced to its local date in `tz`.
    pub fn date(&self, name: &(impl Column + ?Sized), tz: Tz) -> Result<Option<NaiveDate>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        if let Some(d) = super::iso::date(v.as_bytes()) {
            return Ok(Some(d));
        }
        if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            return Ok(Some(d));
        }
        parse_moment(v, self.format_of(name), tz)
            .map(|t| Some(t.with_timezone(&tz).date_naive()))
            .map_err(|m| self.err(name, m))
    }

    pub fn required_date(
        &self,
        name: &(impl Column + ?Sized),
        tz: Tz,
    ) -> Result<NaiveDate, Reject> {
        self.required(name)?;
        Ok(self.date(name, tz)?.unwrap_or_default())
    }

    /// A moment in time: RFC 3339, a naive `YYYY-MM-DD[ HH:MM[:SS]]` read in `tz`, or the
    /// column's format from the mapping.
    pub fn timestamp(
        &self,
        name: &(impl Column + ?Sized),
        tz: Tz,
    ) -> Result<Option<DateTime<Utc>>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        parse_moment(v, self.format_of(name), tz)
            .map(Some)
            .map_err(|m| self.err(name, m))
    }

    pub fn required_timestamp(
        &self,
        name: &(impl Column + ?Sized),
        tz: Tz,
    ) -> Result<DateTime<Utc>, Reject> {
        self.required(name)?;
        Ok(self.timestamp(name, tz)?.unwrap_or_default())
    }

    /// An amount: `1234.50`, or as spreadsheets write it: `$1,234.50`, `€ 1.234,50` (with
    /// `decimal_comma`), `(1,234.50)` for a negative.
    pub fn decimal(&self, name: &(impl Column + ?Sized)) -> Result<Option<Decimal>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        parse_amount(v, self.spec.decimal_comma)
            .map(Some)
            .ok_or_else(|| self.err(name, format!("{v:?} is not a number")))
    }

    pub fn unsigned(&self, name: &(impl Column + ?Sized)) -> Result<Option<u64>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<u64>()
            .map(Some)
            .map_err(|_| self.err(name, format!("{v:?} is not a whole number ≥ 0")))
    }

    /// A yes/no cell: yes, y, true, 1 are met; no, n, false, 0 and empty are not.
    pub fn flag(&self, name: &(impl Column + ?Sized)) -> Result<bool, Reject> {
        let v = self.text(name);
        let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(v));
        if is(&["yes", "y", "true", "1"]) {
            Ok(true)
        } else if is(&["no", "n", "false", "0", ""]) {
            Ok(false)
        } else {
            Err(self.err(
                name,
                format!("{v:?} is not yes/no (use yes, y, true, 1 or no, n, false, 0, empty)"),
            ))
        }
    }

    /// Rejects the row, blaming `name`.
    pub fn reject(&self, name: &(impl Column + ?Sized), message: impl Into<String>) -> Reject {
        self.err(name, message.into())
    }
}

/// Parses an RFC 3339 timestamp, or a naive date or date-time read in `tz`.
pub fn parse_timestamp(v: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    // The common strict forms first (none of them is RFC 3339, which needs an offset).
    if let Some(naive) = super::iso::date_time(v.as_bytes()) {
        return localize(naive, v, tz);
    }
    if let Some(day) = super::iso::date(v.as_bytes()) {
        return Ok(start_of_day(day, tz));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(day) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(start_of_day(day, tz));
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok());
    let Some(naive) = naive else {
        return Err(format!(
            "{v:?} is not a date or timestamp (expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or RFC 3339)"
        ));
    };
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // The earlier of the two readings, as most calendars do.
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(format!(
            "{v:?} does not exist in time zone {tz} (skipped by a daylight-saving change)"
        )),
    }
}

/// A date or timestamp in the configured `format` (chrono syntax, or `excel` for serial day
/// numbers), falling back to the unambiguous ISO forms of [`parse_timestamp`].
pub fn parse_moment(v: &str, format: Option<&str>, tz: Tz) -> Result<DateTime<Utc>, String> {
    let Some(fmt) = format else {
        return parse_timestamp(v, tz);
    };
    let naive = if fmt.eq_ignore_ascii_case("excel") {
        excel_serial(v)
    } else {
        match NaiveDateTime::parse_from_str(v, fmt) {
            Ok(t) => Some(t),
            Err(_) => match NaiveDate::parse_from_str(v, fmt) {
                Ok(day) => return Ok(start_of_day(day, tz)),
                Err(_) => None,
            },
        }
    };
    match naive {
        Some(n) => localize(n, v, tz),
        None => parse_timestamp(v, tz).map_err(|_| {
            format!("{v:?} does not match the date format {fmt:?} set in playbook/mapping.yaml")
        }),
    }
}

/// Excel's serial day number (days since 1899-12-30, the fraction being the time of day).
fn excel_serial(v: &str) -> Option<NaiveDateTime> {
    let x: f64 = v.parse().ok()?;
    if !(1.0..2_958_466.0).contains(&x) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let secs = (x * 86_400.0).round() as i64;
    base.checked_add_signed(chrono::Duration::seconds(secs))
}

pub use crate::period::start_of_day;

/// Which local days of a time zone have no daylight-saving change, with their one offset,
/// remembered per day.
pub(crate) struct Days {
    tz: Tz,
    offsets: std::collections::HashMap<NaiveDate, Option<i32>, foldhash::fast::RandomState>,
    /// The day asked about last (rows often come in time order, so mostly the same day).
    last: Option<(NaiveDate, Option<i32>)>,
}

impl Days {
    pub(crate) fn new(tz: Tz) -> Days {
        Days {
            tz,
            offsets: Default::default(),
            last: None,
        }
    }

    /// Whether every local time of `day` is one instant with one offset.
    pub(crate) fn plain(&mut self, day: NaiveDate) -> bool {
        self.offset(day).is_some()
    }

    /// The offset (seconds east of UTC) of every local time of `day`, or `None` when the day
    /// has a daylight-saving change: sampled every quarter hour and at the last second (zones
    /// change at most twice a year, on the hour or the half hour), so a naive time on that day
    /// is that instant: `from_local_datetime` would give the same single offset.
    pub(crate) fn offset(&mut self, day: NaiveDate) -> Option<i32> {
        if let Some((d, offset)) = self.last {
            if d == day {
                return offset;
            }
        }
        let tz = self.tz;
        let offset = *self.offsets.entry(day).or_insert_with(|| {
            let start = day.and_time(chrono::NaiveTime::MIN);
            let offsets: Option<Vec<i32>> = (0..96)
                .map(|q| start + chrono::Duration::minutes(15 * q))
                .chain(std::iter::once(start + chrono::Duration::seconds(86_399)))
                .map(|t: NaiveDateTime| {
                    tz.from_local_datetime(&t)
                        .single()
                        .map(|x| chrono::Offset::fix(x.offset()).local_minus_utc())
                })
                .collect();
            offsets
                .filter(|o| o.windows(2).all(|w| w[0] == w[1]))
                .map(|o| o[0])
        });
        self.last = Some((day, offset));
        offset
    }
}

thread_local! {
    /// The days [`localize`] has met, for the zone it was last asked about.
    static DAYS: std::cell::RefCell<Option<Days>> = const { std::cell::RefCell::new(None) };
}

/// A naive local date and time in `tz` as an instant. On a day without a daylight-saving
/// change ([`Days`]) that is the time less the day's one offset, remembered per day: the
/// time-zone search costs about as much as reading the rest of a timestamp, and hand-offs carry
/// four a row. Other days, and what they reject, go to chrono as before.
fn localize(naive: NaiveDateTime, v: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let offset = DAYS.with(|days| {
        let mut days = days.borrow_mut();
        let days = match &mut *days {
            Some(d) if d.tz == tz => d,
            other => other.insert(Days::new(tz)),
        };
        days.offset(naive.date())
    });
    if let Some(t) =
        offset.and_then(|o| naive.checked_sub_signed(chrono::Duration::seconds(i64::from(o))))
    {
        return Ok(Utc.from_utc_datetime(&t));
    }
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(format!(
            "{v:?} does not exist in time zone {tz} (skipped by a daylight-saving change)"
        )),
    }
}

/// Parses an amount as exported: currency symbols or codes, spaces, thousands separators in
/// groups of three, and a decimal point (or comma with `decimal_comma`); `(x)` is negative.
/// Anything ambiguous (`1,2,3`, two decimal marks) is refused, not guessed.
pub fn parse_amount(v: &str, decimal_comma: bool) -> Option<Decimal> {
    let mut s = v.trim();
    // `-?digits[.digits]`, as most exports write amounts: the string the rules below would
    // build is the value itself, so it is parsed without building it.
    let plain = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !decimal_comma {
        let unsigned = s.strip_prefix('-').unwrap_or(s);
        let simple = match unsigned.split_once('.') {
            Some((i, f)) => plain(i) && plain(f),
            None => plain(unsigned),
        };
        if simple {
            return s.parse().ok();
        }
    }
    let negative_paren = s.starts_with('(') && s.ends_with(')');
    if negative_paren {
        s = &s[1..s.len() - 1];
    }
    let cleaned: String = s
        .trim_start_matches(|c: char| c.is_ascii_uppercase())
        .trim_end_matches(|c: char| c.is_ascii_uppercase())
        .chars()
        .filter(|c| !matches!(c, '$' | '€' | '£' | '¥' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let (group, point) = if decimal_comma {
        ('.', ',')
    } else {
        (',', '.')
    };
    let (int_part, frac) = match cleaned.split_once(point) {
        Some((i, f)) => (i, Some(f)),
        None => (cleaned.as_str(), None),
    };
    if frac.is_some_and(|f| f.contains([point, group])) {
        return None;
    }
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", int_part),
    };
    if digits.contains(group) {
        let parts: Vec<&str> = digits.split(group).collect();
        let ok =
            !parts[0].is_empty() && parts[0].len() <= 3 && parts[1..].iter().all(|p| p.len() == 3);
        if !ok {
            return None;
        }
    }
    let plain = format!(
        "{sign}{}{}",
        digits.replace(group, ""),
        frac.map(|f| format!(".{f}")).unwrap_or_default()
    );
    if plain.is_empty()
        || !plain
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    let d: Decimal = plain.parse().ok()?;
    Some(if negative_paren { -d } else { d })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn headers_normalize_case_space_and_bom() {
        assert_eq!(normalize_header("\u{feff}Rep ID "), "rep_id");
        assert_eq!(normalize_header("Handoff-At"), "handoff_at");
        assert_eq!(normalize_header("lead  created.at"), "lead_created_at");
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
    fn windows_1252_bytes() {
        assert_eq!(windows_1252(0xe9), 'é');
        assert_eq!(windows_1252(0x80), '€');
        assert_eq!(windows_1252(0x41), 'A');
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
