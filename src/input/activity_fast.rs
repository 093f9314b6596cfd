//! The fast path for `activities.csv`, and reading it on two threads.
//!
//! Per row: one reused `ByteRecord`, no allocation; the rep id looked up as bytes (the last
//! one remembered, rows of a rep usually come together); `YYYY-MM-DD` and naive
//! `YYYY-MM-DD[ T]HH:MM[:SS]` dates parsed by hand. A row is taken here only when it is
//! certain to read as the general rules ([`super::activities::parse_row`]) would read it: all
//! ASCII, exactly as many cells as the header, a known rep, one of those date forms on a day
//! without a daylight-saving change, a known type and outcome. Every other row (a value to
//! trim of unusual space, an unknown rep, another date form, a blank row, a footer, invalid
//! UTF-8...) goes to the general reader, which rejects or accepts it with the usual message.
//!
//! Two threads: the file is cut in two at the first line start after its middle; one thread
//! reads the first part from the header on, the other the second part. A quoted cell may hold
//! a newline, so the cut may fall inside a record: the first thread therefore reads on until
//! its own parse reaches the cut, and the second part is used only if a record of the first
//! thread's parse starts exactly at the cut (from a record start, both parses are the same
//! bytes read the same way). Otherwise, or if the second thread met any error, its work is
//! dropped and the first thread reads on to the end: slower, never different.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;

use super::activities::{Activity, RepIndex, Tally, KINDS, OUTCOMES};
use super::csv_table::{CsvFile, Decoder, Rejection, RowAccount, RowState};
use super::iso;
use super::mapping::Encoding;
use super::tables::Reps;
use crate::error::Diagnostic;

/// The columns the fast path reads.
pub struct Plan {
    rep: usize,
    date: usize,
    kind: usize,
    outcome: Option<usize>,
    width: usize,
    /// No date format is configured for `date`, so naive timestamps read as their own date.
    timestamps: bool,
}

impl Plan {
    /// The plan for `f`, or `None` when every row must take the general path: the mapping
    /// translates values or the text is not UTF-8, or the columns are not distinct ones.
    pub fn new(f: &CsvFile) -> Option<Plan> {
        let spec = f.spec();
        if spec.translates() || spec.encoding != Encoding::Utf8 {
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

/// Which local days of a time zone have no daylight-saving change, remembered per day.
struct Days {
    tz: Tz,
    plain: HashMap<NaiveDate, bool>,
}

impl Days {
    /// Whether every local time of `day` is one instant with one offset: sampled every
    /// quarter hour and at the last second (zones change at most twice a year, on the hour
    /// or the half hour), so a naive time on that day reads as its own date.
    fn plain(&mut self, day: NaiveDate) -> bool {
        let tz = self.tz;
        *self.plain.entry(day).or_insert_with(|| {
            let start = day.and_time(NaiveTime::MIN);
            let offsets: Option<Vec<i32>> = (0..96)
                .map(|q| start + chrono::Duration::minutes(15 * q))
                .chain(std::iter::once(start + chrono::Duration::seconds(86_399)))
                .map(|t: NaiveDateTime| {
                    tz.from_local_datetime(&t)
                        .single()
                        .map(|x| x.offset().fix().local_minus_utc())
                })
                .collect();
            offsets.is_some_and(|o| o.windows(2).all(|w| w[0] == w[1]))
        })
    }
}

/// One reader's running state: the rep it saw last and the days it has checked.
struct Cursor<'a> {
    plan: &'a Plan,
    reps: &'a RepIndex,
    days: Days,
    last_rep: Vec<u8>,
    last_number: Option<u32>,
}

impl Cursor<'_> {
    /// The row's rep number, day and activity, or `None` when the general rules must decide.
    fn row(&mut self, rec: &csv::ByteRecord) -> Option<(u32, NaiveDate, Activity)> {
        let plan = self.plan;
        if rec.len() != plan.width || !rec.as_slice().is_ascii() {
            return None;
        }
        let rep = trim(rec.get(plan.rep)?);
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
        let date = trim(rec.get(plan.date)?);
        let day = match date.len() {
            10 => iso::date(date)?,
            _ if plan.timestamps => {
                let day = iso::date_time(date)?.date();
                self.days.plain(day).then_some(day)?
            }
            _ => return None,
        };
        let kind = trim(rec.get(plan.kind)?);
        let kind = KINDS
            .iter()
            .find(|(k, _)| k.as_bytes().eq_ignore_ascii_case(kind))?
            .1;
        let connected = match plan.outcome {
            None => false,
            Some(i) => {
                let o = trim(rec.get(i)?);
                if o.is_empty() {
                    false
                } else {
                    OUTCOMES
                        .iter()
                        .find(|(k, _)| k.as_bytes().eq_ignore_ascii_case(o))?
                        .1
                }
            }
        };
        Some((number, day, Activity { kind, connected }))
    }
}

/// What one thread made of its part of the file. Lines are those of its own reader.
pub struct Part {
    pub account: RowAccount,
    pub rejections: Vec<Rejection>,
    pub tally: Tally,
    pub fatal: Option<Diagnostic>,
    /// Byte and line where the part's first record starts (positions of its reader).
    first: Option<(u64, u64)>,
    /// Where the part stopped: the first record at or past the cut, read but not counted.
    stopped: Option<(u64, u64)>,
    state: RowState,
    /// Rows read but not yet reported to the progress display.
    unreported: u64,
}

/// Everything a part needs to read rows.
struct Ctx<'a> {
    f: &'a CsvFile,
    reps: &'a Reps,
    tz: Tz,
}

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
        }
    }

    /// Reads records until the end, an I/O error, or a record starting at or past `stop`.
    fn run(
        &mut self,
        ctx: &Ctx,
        cur: &mut Cursor,
        rdr: &mut csv::Reader<Decoder>,
        rec: &mut csv::ByteRecord,
        stop: Option<u64>,
    ) {
        loop {
            match rdr.read_byte_record(rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    self.fatal = ctx
                        .f
                        .read_error(&e, &mut self.account, &mut self.rejections);
                    if self.fatal.is_some() {
                        break;
                    }
                    continue;
                }
            }
            let at = rec.position().map_or((0, 0), |p| (p.byte(), p.line()));
            self.first.get_or_insert(at);
            if stop.is_some_and(|s| at.0 >= s) {
                self.stopped = Some(at);
                break;
            }
            self.take(ctx, cur, rec);
        }
        crate::progress::rows(std::mem::take(&mut self.unreported));
    }

    /// Counts one record: on the fast path, or by the general rules.
    fn take(&mut self, ctx: &Ctx, cur: &mut Cursor, rec: &csv::ByteRecord) {
        self.unreported += 1;
        if self.unreported == 1 << 16 {
            crate::progress::rows(std::mem::take(&mut self.unreported));
        }
        if let Some((rep, day, a)) = cur.row(rec) {
            self.account.read += 1;
            self.account.used += 1;
            self.tally.add(rep, day, a, 1);
            return;
        }
        let line = rec.position().map_or(0, |p| p.line());
        match csv::StringRecord::from_byte_record(rec.clone()) {
            Err(e) => ctx.f.reject_utf8(
                line,
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
                        let (rep, day, a) = super::activities::parse_row(row, ctx.reps, ctx.tz)?;
                        if let Some(n) = cur.reps.number(rep.as_bytes()) {
                            tally.add(n, day, a, 1);
                        }
                        Ok(())
                    },
                );
            }
        }
    }

    /// Appends the part read after this one, its lines shifted by `lines`.
    fn absorb(&mut self, next: Part, lines: u64) {
        let (a, b) = (&mut self.account, &next.account);
        a.read += b.read;
        a.used += b.used;
        a.rejected += b.rejected;
        a.blank += b.blank;
        a.footer += b.footer;
        self.rejections
            .extend(next.rejections.into_iter().map(|mut r| {
                r.line += lines;
                r
            }));
        self.tally.merge(next.tally);
    }
}

/// The first line start at or after byte `from` of `f`, if there is one before the end.
fn line_start_after(f: &CsvFile, from: u64) -> Option<u64> {
    use std::io::{Read, Seek};
    let mut file = std::fs::File::open(f.path()).ok()?;
    file.seek(std::io::SeekFrom::Start(from)).ok()?;
    let mut window = vec![0u8; 1 << 20];
    let n = file.read(&mut window).ok()?;
    let nl = window[..n].iter().position(|b| *b == b'\n')?;
    let at = from + nl as u64 + 1;
    (at < f.size()).then_some(at)
}

/// How many threads may read: `BATON_THREADS` if set to a number, else the machine's cores.
fn threads() -> usize {
    std::env::var("BATON_THREADS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Reads `f` on the fast path: on two threads when it has at least `split_from` bytes and
/// two threads may run ([`threads`]), else on this one.
pub fn read(
    f: &CsvFile,
    plan: &Plan,
    index: &RepIndex,
    reps: &Reps,
    tz: Tz,
    split_from: u64,
) -> Part {
    let cores = threads();
    let size = f.size();
    let cut = if cores >= 2 && size >= split_from.max(1) {
        line_start_after(f, size / 2)
    } else {
        None
    };
    read_cut(f, plan, index, reps, tz, cut)
}

/// Reads `f`, cut at byte `cut` (a line start) into two parts read in parallel, or whole.
pub fn read_cut(
    f: &CsvFile,
    plan: &Plan,
    index: &RepIndex,
    reps: &Reps,
    tz: Tz,
    cut: Option<u64>,
) -> Part {
    crate::progress::doing(&format!("reading {}", f.file));
    let ctx = Ctx { f, reps, tz };
    let cursor = || Cursor {
        plan,
        reps: index,
        days: Days {
            tz,
            plain: HashMap::new(),
        },
        last_rep: Vec::new(),
        last_number: None,
    };
    let mut one = Part::new(f);
    let mut rec = csv::ByteRecord::new();
    let mut cur = cursor();
    let mut rdr = match f.reader_at(0) {
        Ok(r) => r,
        Err(d) => {
            one.fatal = Some(d);
            return one;
        }
    };
    let Some(cut) = cut else {
        one.run(&ctx, &mut cur, &mut rdr, &mut rec, None);
        return one;
    };
    let two = std::thread::scope(|s| {
        let second = s.spawn(|| {
            let mut two = Part::new(f);
            match f.reader_at(cut) {
                Ok(mut r) => {
                    let mut rec = csv::ByteRecord::new();
                    two.run(&ctx, &mut cursor(), &mut r, &mut rec, None);
                }
                Err(d) => two.fatal = Some(d),
            }
            two
        });
        one.run(&ctx, &mut cur, &mut rdr, &mut rec, Some(cut));
        second.join().ok()
    });
    let Some((_, line)) = one.stopped.filter(|(byte, _)| *byte == cut) else {
        // The first part never reached the cut at a record start (or failed first): its
        // reading is the whole file's, or resumes past the record it stopped at.
        if one.stopped.take().is_some() {
            one.take(&ctx, &mut cur, &rec);
            one.run(&ctx, &mut cur, &mut rdr, &mut rec, None);
        }
        return one;
    };
    match two {
        Some(two) if two.fatal.is_none() && two.first.is_some_and(|(b, _)| b == 0) => {
            let first_line = two.first.map_or(1, |(_, l)| l);
            one.absorb(two, line - first_line);
        }
        _ => {
            one.stopped = None;
            one.take(&ctx, &mut cur, &rec);
            one.run(&ctx, &mut cur, &mut rdr, &mut rec, None);
        }
    }
    one
}
