//! Stage timings for measuring a build: with `BATON_TIMINGS=1` in the environment, every
//! timed step prints one line to stderr with its wall time and the process's resident memory
//! (now and peak so far, from `/proc/self/status` where there is one).
//!
//! Off by default and costless then: one environment lookup per process. docs/scale.md shows
//! how the benchmark reads these lines.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `BATON_TIMINGS` is set to something other than empty or `0`.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("BATON_TIMINGS").is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `f` and, when timings are on, reports how long `stage` took.
pub fn time<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    report(stage, start);
    out
}

/// Prints one timing line for `stage`, begun at `start` (when timings are on).
pub fn report(stage: &str, start: Instant) {
    if !enabled() {
        return;
    }
    let secs = start.elapsed().as_secs_f64();
    match memory() {
        Some((rss, peak)) => eprintln!(
            "timing: {stage:<28} {secs:>8.3} s  rss {:>6.1} MB  peak {:>6.1} MB",
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        ),
        None => eprintln!("timing: {stage:<28} {secs:>8.3} s"),
    }
}

/// Resident set size and its peak so far, in KiB (Linux only).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_returns_the_value_of_its_step() {
        assert_eq!(time("test step", || 6 * 7), 42);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn memory_is_read_on_linux() {
        let (rss, peak) = memory().expect("/proc/self/status");
        assert!(rss > 0 && peak >= rss);
    }
}
