//! Progress of a run, for people at a terminal and for logs.
//!
//! A facade in the manner of the `log` crate: the pipeline reports what it is doing (a
//! [`Stage`] begins and ends, a CSV row is read, a file is written) and the binary decides,
//! once, how that is shown ([`install`]). The library shows nothing unless a display is
//! installed, so tests and other callers are never written to.
//!
//! - [`Display::Lines`] (with `--quiet` off, in CI, or when stderr is not a terminal): one plain
//!   line per finished stage, e.g. `read 7 files, 27,000 rows in 0.41 s`.
//! - [`Display::Live`] (a terminal): the same lines, and while a long stage runs a status line
//!   redrawn in place at most ten times a second with its rows or files per second.
//!
//! Counters are relaxed atomics: they cost a few nanoseconds per row and only ever feed the
//! display, never a figure of the report.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// Nothing (the default, and `--quiet`).
    Silent = 0,
    /// One line per finished stage.
    Lines = 1,
    /// Stage lines plus a status line redrawn in place.
    Live = 2,
}

impl Display {
    /// The display for a run: silent with `quiet`, plain lines in CI (environment variable
    /// `CI` set, as GitHub Actions and GitLab CI do) or when stderr is not a terminal, live
    /// otherwise.
    pub fn choose(quiet: bool) -> Display {
        use std::io::IsTerminal;
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        if quiet {
            Display::Silent
        } else if ci || !std::io::stderr().is_terminal() {
            Display::Lines
        } else {
            Display::Live
        }
    }
}

/// A stage whose live line has been shown for less than this is not drawn at all.
const SHOW_AFTER: Duration = Duration::from_millis(300);
/// At most ten redraws a second.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

struct State {
    display: AtomicU8,
    /// A stage is running (its live line may be drawn).
    active: AtomicBool,
    /// The live line is on screen and must be erased before anything else is printed.
    drawn: AtomicBool,
    rows: AtomicU64,
    written: AtomicU64,
    /// What is being done, e.g. `reading data/activities.csv`, and since when.
    now: Mutex<Option<(String, Instant)>>,
    /// Held while writing to stderr, so the live line and stage lines never interleave.
    screen: Mutex<()>,
}

static STATE: State = State {
    display: AtomicU8::new(Display::Silent as u8),
    active: AtomicBool::new(false),
    drawn: AtomicBool::new(false),
    rows: AtomicU64::new(0),
    written: AtomicU64::new(0),
    now: Mutex::new(None),
    screen: Mutex::new(()),
};

static TICKER: Once = Once::new();

fn display() -> Display {
    match STATE.display.load(Ordering::Relaxed) {
        2 => Display::Live,
        1 => Display::Lines,
        _ => Display::Silent,
    }
}

/// Chooses how progress is shown for the rest of the process. [`Display::Live`] starts the
/// thread that redraws the status line.
pub fn install(d: Display) {
    STATE.display.store(d as u8, Ordering::Relaxed);
    if d == Display::Live {
        TICKER.call_once(|| {
            std::thread::spawn(|| loop {
                std::thread::sleep(REDRAW_EVERY);
                redraw();
            });
        });
    }
}

/// One CSV data row read (see `input::csv_table`).
#[inline]
pub fn row() {
    STATE.rows.fetch_add(1, Ordering::Relaxed);
}

/// `n` CSV data rows read at once (the activity reader counts in batches, not per row).
#[inline]
pub fn rows(n: u64) {
    STATE.rows.fetch_add(n, Ordering::Relaxed);
}

/// One output file written (see `render::output`).
#[inline]
pub fn wrote() {
    STATE.written.fetch_add(1, Ordering::Relaxed);
}

/// Names what the running stage is doing now, e.g. `reading data/activities.csv`.
pub fn doing(what: &str) {
    if display() != Display::Live {
        return;
    }
    if let Ok(mut now) = STATE.now.lock() {
        let since = now.as_ref().map_or_else(Instant::now, |(_, t)| *t);
        *now = Some((what.to_string(), since));
    }
}

/// A stage of a run. [`Stage::done`] prints its one-line summary; dropped without it (the
/// stage failed), it only erases the live line.
#[must_use = "a stage reports when `done` is called"]
pub struct Stage {
    started: Instant,
}

impl Stage {
    /// Starts a stage doing `what` and resets the row and file counters.
    pub fn start(what: &str) -> Stage {
        STATE.rows.store(0, Ordering::Relaxed);
        STATE.written.store(0, Ordering::Relaxed);
        let started = Instant::now();
        if let Ok(mut now) = STATE.now.lock() {
            *now = Some((what.to_string(), started));
        }
        STATE.active.store(true, Ordering::Relaxed);
        Stage { started }
    }

    /// Ends the stage, printing `summary` and its duration, e.g. `rendered 42 files in 0.31 s`.
    pub fn done(self, summary: &str) {
        let line = format!("{summary} in {:.2} s", self.started.elapsed().as_secs_f64());
        finish(Some(&line));
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        finish(None);
    }
}

/// Stops the live line and prints `line` (once per stage: a second call prints nothing).
fn finish(line: Option<&str>) {
    if !STATE.active.swap(false, Ordering::Relaxed) {
        return;
    }
    let d = display();
    if d == Display::Silent {
        return;
    }
    let _screen = STATE.screen.lock();
    let mut err = std::io::stderr().lock();
    if STATE.drawn.swap(false, Ordering::Relaxed) {
        let _ = write!(err, "\r\x1b[2K");
    }
    if let Some(line) = line {
        let _ = writeln!(err, "{}", crate::error::terminal(line));
    }
    let _ = err.flush();
}

/// Prints one line between stages (a note about the stage just done), unless silent.
pub fn note(line: &str) {
    if display() == Display::Silent {
        return;
    }
    let _screen = STATE.screen.lock();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", crate::error::terminal(line));
    let _ = err.flush();
}

/// Redraws the live line when a stage has been running long enough to deserve one.
fn redraw() {
    let Some((what, since)) = STATE.now.lock().ok().and_then(|n| n.clone()) else {
        return;
    };
    let elapsed = since.elapsed();
    let _screen = STATE.screen.lock();
    if !STATE.active.load(Ordering::Relaxed) || elapsed < SHOW_AFTER {
        return;
    }
    let line = live_line(
        &what,
        STATE.rows.load(Ordering::Relaxed),
        STATE.written.load(Ordering::Relaxed),
        elapsed,
    );
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2K{}", crate::error::terminal(&line));
    let _ = err.flush();
    STATE.drawn.store(true, Ordering::Relaxed);
}

/// The live status line: what is being done, its count and rate, kept under 80 columns.
pub fn live_line(what: &str, rows: u64, written: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(0.001);
    let (n, unit) = if written > 0 {
        (written, "files")
    } else {
        (rows, "rows")
    };
    let count = if n > 0 {
        format!(
            ": {} {unit} ({}/s)",
            crate::format::int(i128::from(n)),
            crate::format::int((n as f64 / secs) as i128)
        )
    } else {
        String::new()
    };
    let mut what = what.to_string();
    let room = 79usize.saturating_sub(count.chars().count() + 8);
    if what.chars().count() > room {
        what = what
            .chars()
            .take(room.saturating_sub(1))
            .collect::<String>()
            + "…";
    }
    format!("{what}{count} {:>4.1}s", secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_line_shows_count_and_rate() {
        let l = live_line(
            "reading data/activities.csv",
            2_500_000,
            0,
            Duration::from_secs(2),
        );
        assert_eq!(
            l,
            "reading data/activities.csv: 2,500,000 rows (1,250,000/s)  2.0s"
        );
        let l = live_line("rendering", 500, 120, Duration::from_millis(400));
        assert_eq!(l, "rendering: 120 files (300/s)  0.4s");
        assert_eq!(
            live_line("computing", 0, 0, Duration::from_secs(1)),
            "computing  1.0s"
        );
    }

    #[test]
    fn live_line_stays_under_eighty_columns() {
        let long = format!("reading data/{}.csv", "x".repeat(200));
        let l = live_line(&long, 10, 0, Duration::from_secs(1));
        assert!(l.chars().count() <= 80, "{} chars: {l}", l.chars().count());
        assert!(l.contains('…') && l.ends_with("(10/s)  1.0s"), "{l}");
    }

    #[test]
    fn silent_by_default() {
        // Nothing is installed in unit tests: stages run without printing or panicking.
        let s = Stage::start("testing");
        row();
        wrote();
        doing("testing more");
        s.done("tested");
        assert_eq!(display(), Display::Silent);
    }
}
