//! One rep's activities of one day: calls, emails, social touches and new prospects, with
//! their outcomes, written straight to `activities.csv`. This is the hot path of the scale
//! dataset (ten million rows), so a row costs a few random draws and byte pushes, no allocation.

use super::clock::{self, DAY, HOUR};
use super::csv_out::CsvOut;
use super::leads::push_lead;
use super::rng::Rng;
use crate::error::Error;

pub const HEADER: [&str; 5] = ["rep_id", "date", "type", "outcome", "lead_id"];

/// Latest second of the day an activity is logged at.
const LAST: i64 = 20 * HOUR + 59 * 60;
/// When a typical working day ends: activities spread out to about here.
const EVENING: i64 = 17 * HOUR + 30 * 60;

/// Shares of calls, emails and social touches in per mille; the rest are new prospects.
#[derive(Clone, Copy)]
pub struct Mix {
    pub call: u64,
    pub email: u64,
    pub social: u64,
}

pub const SDR_MIX: Mix = Mix {
    call: 550,
    email: 280,
    social: 90,
};
pub const BDR_MIX: Mix = Mix {
    call: 450,
    email: 350,
    social: 120,
};
pub const AE_MIX: Mix = Mix {
    call: 450,
    email: 550,
    social: 0,
};

/// A touch that must appear in the day's log at a set moment (a first touch or AE follow-up).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Touch {
    pub at: i64,
    pub lead: u64,
}

/// What the day's log needs from the rep's prospect book, and what `leads.csv` says of each
/// lead in it.
pub struct Book {
    /// Leads numbered `base + k * stride` for `k` in `0..count` belong to this rep.
    pub base: u64,
    pub stride: u64,
    pub count: u64,
    /// Lead `k` of the book, for `leads.csv` (24 bytes a lead, no map: the scale dataset's
    /// books hold about a million leads).
    pub leads: Vec<BookLead>,
}

/// One lead of a book as `leads.csv` lists it.
#[derive(Clone, Copy)]
pub struct BookLead {
    /// When it was created; `i64::MIN` for a lead `leads.csv` leaves out (one handed off
    /// before the window, whose story is not in the data).
    pub created: i64,
    /// Its first logged touch (a call, email or social touch); `i64::MAX` while none.
    pub first_touch: i64,
    /// It is handed off by the window's end (it has a row of handoffs.csv).
    pub handed_off: bool,
}

impl Book {
    pub fn new(base: u64, stride: u64) -> Book {
        Book {
            base,
            stride,
            count: 0,
            leads: Vec::new(),
        }
    }

    fn lead(&self, k: u64) -> u64 {
        self.base + k * self.stride
    }

    /// A fresh prospect of this rep, created at `created`.
    pub fn add(&mut self, created: i64) -> u64 {
        let n = self.lead(self.count);
        self.count += 1;
        self.leads.push(BookLead {
            created,
            first_touch: i64::MAX,
            handed_off: false,
        });
        n
    }

    /// The book's record of lead number `num`.
    pub fn get_mut(&mut self, num: u64) -> Option<&mut BookLead> {
        let k = num.checked_sub(self.base)? / self.stride;
        self.leads.get_mut(usize::try_from(k).ok()?)
    }

    /// Notes a touch of lead `num` at `at`. A touch logged before the lead was created (a
    /// hand-off lead is in the book from the morning of its first touch, its creation may be
    /// later that morning) is not its first touch: leads.csv would reject it.
    pub fn touch(&mut self, num: u64, at: i64) {
        if let Some(l) = self.get_mut(num).filter(|l| at >= l.created) {
            l.first_touch = l.first_touch.min(at);
        }
    }

    /// One of the rep's 400 most recent prospects, if any.
    fn recent(&self, rng: &mut Rng) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let window = self.count.min(400);
        Some(self.lead(self.count - 1 - rng.below(window)))
    }
}

/// Writes `n` activities of `rep_id` on `day` (plus the `forced` touches, sorted, at their
/// moments) and returns how many rows it wrote. `book` is `None` for reps who do not prospect.
#[allow(clippy::too_many_arguments)]
pub fn write_day(
    out: &mut CsvOut,
    rng: &mut Rng,
    rep_id: &[u8],
    day: i64,
    n: u64,
    mix: Mix,
    mut book: Option<&mut Book>,
    forced: &[Touch],
) -> Result<u64, Error> {
    let mut date = Vec::with_capacity(10);
    clock::push_date(&mut date, day);
    let mut t = 8 * HOUR + rng.range(0, 75 * 60);
    let step = if n == 0 {
        1
    } else {
        ((EVENING - t) / n as i64).max(1)
    };
    let mut next_forced = 0usize;
    let mut written = 0u64;
    let mut emit = |out: &mut CsvOut, at: i64, kind: &[u8], outcome: &[u8], lead: Option<u64>| {
        out.raw(rep_id);
        out.with(|b| {
            b.extend_from_slice(&date);
            b.push(b' ');
            let tod = (at - day * DAY) as u32;
            for (v, sep) in [(tod / 3600, true), (tod / 60 % 60, true), (tod % 60, false)] {
                b.push(b'0' + (v / 10) as u8);
                b.push(b'0' + (v % 10) as u8);
                if sep {
                    b.push(b':');
                }
            }
        });
        out.raw(kind);
        out.raw(outcome);
        match lead {
            Some(l) => out.with(|b| push_lead(b, l)),
            None => out.empty(),
        }
        written += 1;
        out.end_row()
    };
    for _ in 0..n {
        t = (t + step / 2 + rng.range(1, step)).min(LAST);
        let at = day * DAY + t;
        while let Some(f) = forced.get(next_forced).filter(|f| f.at <= at) {
            emit(out, f.at, b"call", b"connected", Some(f.lead))?;
            touched(&mut book, Some(f.lead), f.at);
            next_forced += 1;
        }
        let roll = rng.below(1000);
        let linked = rng.below(100) < 85;
        let lead = |rng: &mut Rng, book: &Option<&mut Book>| match book {
            Some(b) if linked => b.recent(rng),
            _ => None,
        };
        if roll < mix.call {
            let o = rng.below(1000);
            let outcome: &[u8] = if o < 90 {
                b"connected"
            } else if o < 470 {
                b"voicemail"
            } else {
                b"no_answer"
            };
            let l = lead(rng, &book);
            emit(out, at, b"call", outcome, l)?;
            touched(&mut book, l, at);
        } else if roll < mix.call + mix.email {
            let o = rng.below(1000);
            let outcome: &[u8] = if o < 50 {
                b"replied"
            } else if o < 80 {
                b"bounced"
            } else {
                b""
            };
            let l = lead(rng, &book);
            emit(out, at, b"email", outcome, l)?;
            touched(&mut book, l, at);
        } else if roll < mix.call + mix.email + mix.social {
            let outcome: &[u8] = if rng.below(100) < 8 { b"replied" } else { b"" };
            let l = lead(rng, &book);
            emit(out, at, b"social", outcome, l)?;
            touched(&mut book, l, at);
        } else {
            let l = book.as_deref_mut().map(|b| b.add(at));
            emit(out, at, b"prospect_added", b"", l)?;
        }
    }
    for f in &forced[next_forced..] {
        emit(out, f.at, b"call", b"connected", Some(f.lead))?;
        touched(&mut book, Some(f.lead), f.at);
    }
    Ok(written)
}

/// Notes in the rep's book (if the rep prospects) that lead `l` was touched at `at`.
fn touched(book: &mut Option<&mut Book>, l: Option<u64>, at: i64) {
    if let (Some(b), Some(l)) = (book.as_deref_mut(), l) {
        b.touch(l, at);
    }
}
