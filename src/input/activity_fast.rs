//! The fast path for `activities.csv`, and reading it on two threads.
//!
//! Lines are found and cut at delimiters by hand (SIMD search, no allocation) as long as they
//! hold no quote and no carriage return but the one before the newline: such a line is
//! exactly the record the CSV reader would make of it. At the first other line (a quoted
//! header or cell, which may hold a delimiter or a newline) the CSV reader takes over for the
//! rest of the part. Per row: the rep id looked up as bytes (the last one remembered, rows of
//! a rep usually come together); `YYYY-MM-DD` and naive `YYYY-MM-DD[ T]HH:MM[:SS]` dates
//! parsed by hand (the last date remembered). A row is counted here only when it is certain
//! to read as the general rules ([`super::activities::parse_row`]) would read it: all ASCII,
//! exactly as many cells as the header, a known rep, one of those date forms on a day without
//! a daylight-saving change, a known type and outcome. Every other row (a value to trim of
//! unusual space, an unknown rep, another date form, a blank row, a footer, invalid UTF-8...)
//! goes to the general reader, which rejects or accepts it with the usual message.
//!
//! Two threads: the file is cut in two at the first line start after its middle; one thread
//! reads the first part from the header on, the other the second part. A quoted cell may hold
//! a newline, so the cut may fall inside a record: the first thread therefore reads on until
//! its own parse reaches the cut, and the second part is used only if a record of the first
//! thread's parse starts exactly at the cut (from a record start, both parses are the same
//! bytes read the same way). Otherwise, or if the second thread met any error, its work is
//! dropped and the first thread reads on to the end: slower, never different.

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::accounts::{Rejection, RowAccount};
use super::activity_rows::{
    touched_lead, touches, Activity, LeadIndex, RepIndex, Tally, KINDS, OUTCOMES,
};
use super::csv_table::{CsvFile, RowState};
use super::decoder::Encoding;
use super::decoder::{located, Decoder};
use super::iso;
use super::refs::Reps;
use super::values::Days;
use crate::error::Diagnostic;

/// The columns the fast path reads.
pub struct Plan {
    rep: usize,
    date: usize,
    kind: usize,
    outcome: Option<usize>,
    /// `lead_id`, read only when leads.csv gave lead ids to look for.
    lead: Option<usize>,
    width: usize,
    /// No date format is configured for `date`, so naive timestamps read as their own date.
    timestamps: bool,
}

impl Plan {
    /// The plan for `f`, or `None` when every row must take the general path: the mapping
    /// translates or filters rows or the text is not UTF-8, or the columns are not distinct
    /// ones.
    pub fn new(f: &CsvFile) -> Option<Plan> {
        let spec = f.spec();
        if spec.translates() || !spec.filters.is_empty() || f.encoding() != Encoding::UTF_8 {
            return None;
        }
        let width = f.headers.len();
        let (rep, date, kind) = (f.column("rep_id")?, f.column("date")?, f.column("type")?);
        let outcome = f.column("outcome");
        let mut cols = vec![rep, date, kind];
        cols.extend(outcome);
        let mut distinct = cols.clone();
        distinct.sort_unstable();
        distinct.dedup();
        // Three distinct non-empty cells also mean a row can never be a footer (one or two).
        if distinct.len() != cols.len() || cols.iter().any(|c| *c >= width) {
            return None;
        }
        let timestamps = spec
            .date_formats
            .get("date")
            .or(spec.date_format.as_ref())
            .is_none();
        Some(Plan {
            rep,
            date,
            kind,
            outcome,
            lead: f.column("lead_id"),
            width,
            timestamps,
        })
    }
}

/// Trims what `str::trim` trims from an ASCII cell (tab to carriage return, and space).
fn trim(b: &[u8]) -> &[u8] {
    let space = |c: &u8| matches!(c, b'\t'..=b'\r' | b' ');
    let start = b.iter().position(|c| !space(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !space(c)).map_or(start, |e| e + 1);
    &b[start..end]
}

/// The cells of one record, as the fast path looks at them: a record of the CSV reader, or a
/// line the scanner split itself.
trait Cells {
    fn count(&self) -> usize;
    fn cell(&self, i: usize) -> Option<&[u8]>;
    fn ascii(&self) -> bool;
    /// The same cells as a record for the general rules, positioned at (byte, line).
    fn to_record(&self, pos: (u64, u64)) -> csv::ByteRecord;
}

impl Cells for csv::ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn cell(&self, i: usize) -> Option<&[u8]> {
        self.get(i)
    }
    fn ascii(&self) -> bool {
        self.as_slice().is_ascii()
    }
    /// Already positioned by its reader.
    fn to_record(&self, _: (u64, u64)) -> csv::ByteRecord {
        self.clone()
    }
}

/// A line without quotes cut at each delimiter: exactly the record the CSV reader makes of
/// it (with no quote, a delimiter always ends a cell and nothing else does).
struct Line<'a> {
    text: &'a [u8],
    /// Start and end of each cell in `text`.
    bounds: &'a [(usize, usize)],
}

/// Whether `buf[i..i + len]` holds no quote and no carriage return. `special` is the first of
/// them at or after where the last call looked (`buf.len()` for none): one search serves the
/// many plain lines before it.
fn plain(buf: &[u8], i: usize, len: usize, special: &mut Option<usize>) -> bool {
    let next = match *special {
        Some(at) if at >= i => at,
        _ => {
            let at = memchr::memchr2(b'"', b'\r', &buf[i..]).map_or(buf.len(), |at| i + at);
            *special = Some(at);
            at
        }
    };
    next >= i + len
}

/// Cuts `text` at each `delimiter` into `bounds` (reused from line to line). Eight bytes at a
/// time, not memchr: lines are some 45 bytes with a delimiter every 9, too short for a vector
/// search to pay for its set-up on every cell, and a byte loop mispredicts at every cell.
fn split<'a>(text: &'a [u8], delimiter: u8, bounds: &'a mut Vec<(usize, usize)>) -> Line<'a> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    bounds.clear();
    let mut start = 0;
    let pattern = u64::from_ne_bytes([delimiter; 8]);
    let mut words = text.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8])) ^ pattern;
        // The high bit of each byte that is zero in `x` (equal to the delimiter), exactly:
        // (x & 0x7f) + 0x7f carries into the high bit unless the low seven bits are zero, and
        // no byte carries into the next.
        let mut hits = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
        while hits != 0 {
            let at = base + (hits.trailing_zeros() / 8) as usize;
            bounds.push((start, at));
            start = at + 1;
            hits &= hits - 1;
        }
        base += 8;
    }
    for (k, &b) in words.remainder().iter().enumerate() {
        if b == delimiter {
            bounds.push((start, base + k));
            start = base + k + 1;
        }
    }
    bounds.push((start, text.len()));
    Line { text, bounds }
}

impl Cells for Line<'_> {
    fn count(&self) -> usize {
        self.bounds.len()
    }
    fn cell(&self, i: usize) -> Option<&[u8]> {
        self.bounds.get(i).map(|(s, e)| &self.text[*s..*e])
    }
    fn ascii(&self) -> bool {
        self.text.is_ascii()
    }
    fn to_record(&self, (byte, line): (u64, u64)) -> csv::ByteRecord {
        let mut rec = csv::ByteRecord::with_capacity(self.text.len(), self.bounds.len());
        for (s, e) in self.bounds {
            rec.push_field(&self.text[*s..*e]);
        }
        let mut pos = csv::Position::new();
        pos.set_byte(byte).set_line(line);
        rec.set_position(Some(pos));
        rec
    }
}

/// One reader's running state: the rep, date and days it saw last.
struct Cursor<'a> {
    plan: &'a Plan,
    reps: &'a RepIndex,
    leads: &'a LeadIndex,
    days: Days,
    last_rep: Vec<u8>,
    last_number: Option<u32>,
    /// The `YYYY-MM-DD` read last and its date.
    last_date: Option<([u8; 10], NaiveDate)>,
}

/// `value` among `names` (ASCII, any case): the exact lower-case spelling is tried first. Only
/// ASCII rows take this path, and on ASCII text ASCII case folding is Unicode's; any other row
/// is read by `activity_rows`, which folds Unicode case.
fn lookup<T: Copy>(names: &[(&str, T)], value: &[u8]) -> Option<T> {
    names
        .iter()
        .find(|(k, _)| k.as_bytes() == value)
        .or_else(|| {
            names
                .iter()
                .find(|(k, _)| k.as_bytes().eq_ignore_ascii_case(value))
        })
        .map(|(_, v)| *v)
}

impl Cursor<'_> {
    /// `YYYY-MM-DD` as a date, remembered for the next row.
    fn date(&mut self, b: &[u8]) -> Option<NaiveDate> {
        let key: [u8; 10] = b.try_into().ok()?;
        if let Some((k, d)) = self.last_date {
            if k == key {
                return Some(d);
            }
        }
        let d = iso::date(b)?;
        self.last_date = Some((key, d));
        Some(d)
    }

    /// The row's rep number, day, activity and the number of the lead it touches (as
    /// [`LeadIndex::touched`] would find it), or `None` when the general rules must decide.
    fn row(&mut self, rec: &impl Cells) -> Option<(u32, NaiveDate, Activity, Option<u32>)> {
        let plan = self.plan;
        if rec.count() != plan.width || !rec.ascii() {
            return None;
        }
        let rep = trim(rec.cell(plan.rep)?);
        let number = match self.last_number {
            Some(n) if self.last_rep == rep => n,
            _ => {
                let n = self.reps.number(rep)?;
                self.last_rep.clear();
                self.last_rep.extend_from_slice(rep);
                self.last_number = Some(n);
                n
            }
        };
        let date = trim(rec.cell(plan.date)?);
        let day = match date.len() {
            10 => self.date(date)?,
            16 | 19 if plan.timestamps && matches!(date[10], b' ' | b'T') => {
                iso::time(&date[11..])?;
                let day = self.date(&date[..10])?;
                self.days.plain(day).then_some(day)?
            }
            _ => return None,
        };
        let kind = lookup(&KINDS, trim(rec.cell(plan.kind)?))?;
        let connected = match plan.outcome {
            None => false,
            Some(i) => {
                let o = trim(rec.cell(i)?);
                if o.is_empty() {
                    false
                } else {
                    lookup(&OUTCOMES, o)?
                }
            }
        };
        let a = Activity { kind, connected };
        let lead = match plan.lead {
            Some(i) if !self.leads.is_empty() && touches(a) => {
                self.leads.number(trim(rec.cell(i)?))
            }
            _ => None,
        };
        Some((number, day, a, lead))
    }
}

/// What one thread made of its part of the file. Lines and bytes count from the part's
/// origin (the header for the first part, the cut for the second).
pub struct Part {
    pub account: RowAccount,
    pub rejections: Vec<Rejection>,
    pub tally: Tally,
    pub fatal: Option<Diagnostic>,
    /// Byte and line where the part's first record starts.
    first: Option<(u64, u64)>,
    /// Where the part stopped: the first record at or past the cut, read but not counted.
    stopped: Option<(u64, u64)>,
    state: RowState,
    /// Rows read but not yet reported to the progress display.
    unreported: u64,
    /// The byte of the file the part starts at: 0, or the cut.
    origin: u64,
}

/// Everything a part needs to read rows.
struct Ctx<'a> {
    f: &'a CsvFile,
    reps: &'a Reps,
    leads: &'a LeadIndex,
    tz: Tz,
}

/// How a part that stopped at the cut goes on reading, if it must read past it.
enum Resume {
    /// Scan on from the line it stopped at.
    Scan,
    /// The CSV reader took over before the cut: count the record it stopped at, then read on.
    Csv(Box<Csv>),
}

/// A CSV reader that took over from the scanner, with the record it stopped at and the shift
/// from its byte offsets to the part's (it counts bytes from its own first byte, and lines
/// from the part line it was started on).
struct Csv {
    rdr: csv::Reader<Decoder>,
    rec: csv::ByteRecord,
    shift: u64,
}

/// How much of the file the scanner reads at a time. A line still unfinished when a block's
/// worth of it is buffered (over 1 MiB) goes to the CSV reader, which limits record length.
const BLOCK: usize = 1 << 20;

impl Part {
    fn new(f: &CsvFile) -> Part {
        Part {
            account: f.account(),
            rejections: Vec::new(),
            tally: Tally::default(),
            fatal: None,
            first: None,
            stopped: None,
            state: RowState::default(),
            unreported: 0,
            origin: 0,
        }
    }

    /// Reads from byte `from` of the file (a line start, on line `line` of the part), the
    /// part starting at byte `origin`, until the end or the first record at or past `stop`
    /// (a byte of the part). From byte 0 the first line is the header and is skipped.
    ///
    /// Lines without a quote or a stray carriage return are split here, at memory speed;
    /// at the first other line (a quoted cell may hold a delimiter or a newline, the header
    /// may be quoted) the CSV reader takes over for the rest of the part.
    fn scan(
        &mut self,
        ctx: &Ctx,
        cur: &mut Cursor,
        origin: u64,
        (from, mut line): (u64, u64),
        stop: Option<u64>,
    ) -> Option<Resume> {
        use std::io::{Read, Seek};
        let opened = std::fs::File::open(ctx.f.path()).and_then(|mut file| {
            file.seek(std::io::SeekFrom::Start(from))?;
            Ok(file)
        });
        let mut file = match opened {
            Ok(file) => file,
            Err(e) => {
                self.fatal = Some(Diagnostic::error(&ctx.f.file, format!("cannot read: {e}")));
                return None;
            }
        };
        let delimiter = ctx.f.delimiter();
        let mut header = from == 0;
        // `buf[..len]` holds the bytes read and not yet taken: what is left of a line the last
        // block cut, then the next block. Zeroed once, not before every block.
        let mut buf = vec![0u8; 2 * BLOCK];
        let mut len = 0;
        // The file offset of `buf[0]`.
        let mut base = from;
        let mut bounds = Vec::new();
        // A plain line is taken one line late: split, it asks for the slot of the lead it
        // names ([`LeadIndex::prefetch`]), and the line before it is taken meanwhile. `held`
        // is that line's start and length in `buf` and its position, its cells in
        // `held_bounds`; it is taken before anything else happens in the file's order.
        let mut held: Option<(usize, usize, (u64, u64))> = None;
        let mut held_bounds = Vec::new();
        loop {
            let n = match file.read(&mut buf[len..len + BLOCK]) {
                Ok(n) => n,
                Err(e) => {
                    self.fatal = Some(Diagnostic::error(
                        &ctx.f.file,
                        format!("reading stopped: {e}"),
                    ));
                    return None;
                }
            };
            len += n;
            let data = &buf[..len];
            let eof = n == 0;
            let mut i = 0;
            // The first quote or carriage return at or after `i` (`data.len()` when none): one
            // search for many lines, since plain lines have neither.
            let mut special: Option<usize> = None;
            while i < data.len() {
                let end = match memchr::memchr(b'\n', &data[i..]) {
                    Some(at) => i + at,
                    None if eof => data.len(),
                    None => break,
                };
                let raw = &data[i..end];
                let text = raw.strip_suffix(b"\r").unwrap_or(raw);
                let at = base + i as u64;
                if text.is_empty() {
                    // The CSV reader skips an empty line: no record.
                } else if header {
                    // A plain header line is skipped; any other goes to the CSV reader, which
                    // reads the header itself from the start of the file.
                    let bare = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
                    if bare.is_empty() || memchr::memchr2(b'"', b'\r', bare).is_some() {
                        self.take_held(ctx, cur, data, held.take(), &held_bounds);
                        return self.hand_over(ctx, cur, origin, (0, 1), stop);
                    }
                    header = false;
                } else if !plain(data, i, text.len(), &mut special) {
                    self.take_held(ctx, cur, data, held.take(), &held_bounds);
                    return self.hand_over(ctx, cur, origin, (at, line), stop);
                } else {
                    let pos = (at - origin, line);
                    if stop.is_some_and(|s| pos.0 >= s) {
                        self.take_held(ctx, cur, data, held.take(), &held_bounds);
                        self.stopped = Some(pos);
                        return Some(Resume::Scan);
                    }
                    self.first.get_or_insert(pos);
                    let cells = split(text, delimiter, &mut bounds);
                    if let Some(id) = cur.plan.lead.and_then(|l| cells.cell(l)) {
                        ctx.leads.prefetch(trim(id));
                    }
                    self.take_held(ctx, cur, data, held.take(), &held_bounds);
                    std::mem::swap(&mut bounds, &mut held_bounds);
                    held = Some((i, text.len(), pos));
                }
                i = end + 1;
                line += 1;
            }
            // The block's bytes move next: the line held in them is taken first.
            self.take_held(ctx, cur, data, held.take(), &held_bounds);
            if eof {
                break;
            }
            let taken = i.min(len);
            buf.copy_within(taken..len, 0);
            len -= taken;
            base += taken as u64;
            if len >= BLOCK {
                // A line longer than a block; if it is the header, the CSV reader reads the
                // file from its start.
                let at = if header { (0, 1) } else { (base, line) };
                return self.hand_over(ctx, cur, origin, at, stop);
            }
        }
        crate::progress::rows(std::mem::take(&mut self.unreported));
        None
    }

    /// Reads the rest of the part with the CSV reader, from byte `at` (a line start, on line
    /// `line` of the part), as [`Part::scan`] would have.
    fn hand_over(
        &mut self,
        ctx: &Ctx,
        cur: &mut Cursor,
        origin: u64,
        (at, line): (u64, u64),
        stop: Option<u64>,
    ) -> Option<Resume> {
        let mut rdr = match ctx.f.reader_at(at, line) {
            Ok(r) => r,
            Err(d) => {
                self.fatal = Some(d);
                return None;
            }
        };
        // From byte 0 the reader reads the header itself and counts from the file's start.
        let shift = if at == 0 { 0 } else { at - origin };
        let mut rec = csv::ByteRecord::new();
        self.run(ctx, cur, &mut rdr, &mut rec, stop, shift);
        self.stopped
            .is_some()
            .then(|| Resume::Csv(Box::new(Csv { rdr, rec, shift })))
    }

    /// Reads records until the end, an I/O error, or a record starting at or past `stop`;
    /// byte offsets of the reader are moved by `shift` to be the part's. Lines are the
    /// part's already: its decoder was started on the part line it reads from, and
    /// [`located`] gives the physical line of each record.
    fn run(
        &mut self,
        ctx: &Ctx,
        cur: &mut Cursor,
        rdr: &mut csv::Reader<Decoder>,
        rec: &mut csv::ByteRecord,
        stop: Option<u64>,
        shift: u64,
    ) {
        loop {
            match rdr.read_byte_record(rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = located(rdr, e.position()).map_or(0, |p| p.line());
                    self.fatal =
                        ctx.f
                            .read_error(&e, line, &mut self.account, &mut self.rejections);
                    if self.fatal.is_some() {
                        break;
                    }
                    continue;
                }
            }
            let mut pos = located(rdr, rec.position()).unwrap_or_else(csv::Position::new);
            pos.set_byte(pos.byte() + shift);
            let at = (pos.byte(), pos.line());
            rec.set_position(Some(pos));
            self.first.get_or_insert(at);
            if stop.is_some_and(|s| at.0 >= s) {
                self.stopped = Some(at);
                break;
            }
            self.take(ctx, cur, &*rec, at);
        }
        crate::progress::rows(std::mem::take(&mut self.unreported));
    }

    /// Goes on from where the part stopped at the cut, to the end of the file.
    fn resume(&mut self, ctx: &Ctx, cur: &mut Cursor, how: Resume) {
        let Some(at) = self.stopped.take() else {
            return;
        };
        match how {
            Resume::Scan => {
                self.scan(ctx, cur, 0, at, None);
            }
            Resume::Csv(mut c) => {
                self.take(ctx, cur, &c.rec, at);
                self.run(ctx, cur, &mut c.rdr, &mut c.rec, None, c.shift);
            }
        }
    }

    /// Takes the plain line [`Part::scan`] held, if any: `data[at..at + len]`, cut at
    /// `bounds`, at `pos`.
    fn take_held(
        &mut self,
        ctx: &Ctx,
        cur: &mut Cursor,
        data: &[u8],
        held: Option<(usize, usize, (u64, u64))>,
        bounds: &[(usize, usize)],
    ) {
        if let Some((at, len, pos)) = held {
            let line = Line {
                text: &data[at..at + len],
                bounds,
            };
            self.take(ctx, cur, &line, pos);
        }
    }

    /// Counts one record at `pos` (byte, line): on the fast path, or by the general rules.
    fn take<C: Cells>(&mut self, ctx: &Ctx, cur: &mut Cursor, rec: &C, pos: (u64, u64)) {
        self.unreported += 1;
        if self.unreported == 1 << 16 {
            crate::progress::rows(std::mem::take(&mut self.unreported));
        }
        // Rows held as a possible footer are judged by the next row: it takes the general path.
        if let Some((rep, day, a, lead)) = cur.row(rec).filter(|_| !self.state.holds_footers()) {
            self.account.read += 1;
            self.account.used += 1;
            self.tally.add(rep, day, a, 1);
            if let Some(l) = lead {
                self.tally.touch(l, day);
            }
            return;
        }
        let rec = rec.to_record(pos);
        match csv::StringRecord::from_byte_record(rec) {
            Err(e) => ctx.f.reject_utf8(
                pos.1,
                e.utf8_error().field(),
                &mut self.account,
                &mut self.rejections,
            ),
            Ok(text) => {
                let tally = &mut self.tally;
                ctx.f.accept(
                    &text,
                    &mut self.state,
                    &mut self.account,
                    &mut self.rejections,
                    &mut |row| {
                        let (rep, day, a) = super::activity_rows::parse_row(row, ctx.reps, ctx.tz)?;
                        if let Some(n) = cur.reps.number(rep.as_bytes()) {
                            tally.add(n, day, a, 1);
                        }
                        if let Some(l) = touched_lead(ctx.leads, row, a) {
                            tally.touch(l, day);
                        }
                        Ok(())
                    },
                );
            }
        }
    }

    /// Appends the part read after this one, its lines shifted by `lines`.
    fn absorb(&mut self, next: Part, lines: u64) {
        self.account.add(&next.account);
        self.rejections
            .extend(next.rejections.into_iter().map(|mut r| {
                r.line += lines;
                r
            }));
        self.tally.merge(next.tally);
    }
}

/// The first line start at or after byte `from` of `f`, where it may be cut in two for two
/// threads: `None` when there is none before the end.
pub fn cut_after(f: &CsvFile, from: u64) -> Option<u64> {
    use std::io::{Read, Seek};
    let mut file = std::fs::File::open(f.path()).ok()?;
    file.seek(std::io::SeekFrom::Start(from)).ok()?;
    let mut window = vec![0u8; 1 << 20];
    let n = file.read(&mut window).ok()?;
    let nl = memchr::memchr(b'\n', &window[..n])?;
    let at = from + nl as u64 + 1;
    (at < f.size()).then_some(at)
}

/// Reads `f` on the fast path: on two threads when it has at least `split_from` bytes and
/// two threads may run ([`crate::threads`]), else on this one.
pub fn read(r: Reading, split_from: u64) -> Part {
    let size = r.f.size();
    let cut = if crate::threads() >= 2 && size >= split_from.max(1) {
        cut_after(r.f, size / 2)
    } else {
        None
    };
    read_cut(r, cut)
}

/// Reads `f`, cut at byte `cut` (a line start) into two parts read in parallel, or whole.
pub fn read_cut(r: Reading, cut: Option<u64>) -> Part {
    let Some(cut) = cut else {
        return r.join(r.head(None), None);
    };
    let (head, tail) = std::thread::scope(|s| {
        let tail = s.spawn(|| r.tail(cut));
        (r.head(Some(cut)), tail.join().ok())
    });
    r.join(head, tail)
}

/// What both parts of a file read on the fast path share; each part of a file cut in two may
/// be read on any thread, and [`Reading::join`] puts them together.
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    pub f: &'a CsvFile,
    pub plan: &'a Plan,
    pub index: &'a RepIndex,
    pub leads: &'a LeadIndex,
    pub reps: &'a Reps,
    pub tz: Tz,
}

/// The part of a file before the cut (the whole file without one), read up to it, with what
/// it needs to read on past the cut when the part after it cannot be used.
pub struct Head<'a> {
    part: Part,
    cur: Cursor<'a>,
    resume: Option<Resume>,
}

impl<'a> Reading<'a> {
    fn ctx(&self) -> Ctx<'a> {
        Ctx {
            f: self.f,
            reps: self.reps,
            leads: self.leads,
            tz: self.tz,
        }
    }

    fn cursor(&self) -> Cursor<'a> {
        Cursor {
            plan: self.plan,
            reps: self.index,
            leads: self.leads,
            days: Days::new(self.tz),
            last_rep: Vec::new(),
            last_number: None,
            last_date: None,
        }
    }

    /// Reads from the header up to `cut` (a line start), or the whole file.
    pub fn head(&self, cut: Option<u64>) -> Head<'a> {
        crate::progress::doing(&format!("reading {}", self.f.file));
        let mut part = Part::new(self.f);
        let mut cur = self.cursor();
        let resume = part.scan(&self.ctx(), &mut cur, 0, (0, 1), cut);
        Head { part, cur, resume }
    }

    /// Reads from `cut` (a line start) to the end; lines and bytes count from the cut.
    pub fn tail(&self, cut: u64) -> Part {
        let mut part = Part::new(self.f);
        part.origin = cut;
        part.scan(&self.ctx(), &mut self.cursor(), cut, (cut, 1), None);
        part
    }

    /// The whole file from its head and, when it was cut, its tail read from the same cut
    /// (`None` when the tail's thread failed).
    pub fn join(&self, head: Head<'a>, tail: Option<Part>) -> Part {
        let Head {
            part: mut one,
            mut cur,
            resume,
        } = head;
        let Some(resume) = resume else {
            // The head ended (or failed) before reaching the cut: it read the whole file.
            return one;
        };
        let ctx = self.ctx();
        match (one.stopped, tail) {
            // Rows the head holds as a possible footer are ordinary rows if the tail has any
            // data row: the head then reads on, to judge them in order.
            (Some((byte, line)), Some(two))
                if two.origin == byte
                    && two.fatal.is_none()
                    && two.first.is_some_and(|(b, _)| b == 0)
                    && !(one.state.holds_footers()
                        && two.account.used + two.account.rejected > 0) =>
            {
                let first_line = two.first.map_or(1, |(_, l)| l);
                one.stopped = None;
                one.absorb(two, line - first_line);
            }
            // The cut is not where a record starts (it fell inside a quoted cell, or on an
            // empty line), or the tail failed: its work is dropped and the head reads on.
            _ => one.resume(&ctx, &mut cur, resume),
        }
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `split` against the plain definition: every delimiter cuts, on lines of every length
    /// up to three words and a tail, made of the delimiter, the bytes next to it (a carry in
    /// the word arithmetic would flag those) and others, with `,`, `;`, tab and `|`.
    #[test]
    fn split_finds_every_delimiter_and_nothing_else() {
        let mut rng = crate::generate::rng::Rng::new(0x9e37_79b9_7f4a_7c15_u64, 0);
        let mut next = move || rng.next_u64();
        let mut bounds = Vec::new();
        for delimiter in [b',', b';', b'\t', b'|'] {
            let alphabet = [
                delimiter,
                delimiter ^ 1,
                delimiter.wrapping_add(1),
                delimiter.wrapping_sub(1),
                delimiter | 0x80,
                0,
                0x7f,
                0xff,
                b'a',
            ];
            for _ in 0..20_000 {
                let len = (next() % 30) as usize;
                let text: Vec<u8> = (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect();
                let mut want = Vec::new();
                let mut start = 0;
                for (at, &b) in text.iter().enumerate() {
                    if b == delimiter {
                        want.push((start, at));
                        start = at + 1;
                    }
                }
                want.push((start, text.len()));
                let line = split(&text, delimiter, &mut bounds);
                assert_eq!(line.bounds, &want[..], "{text:?}");
            }
        }
    }
}
