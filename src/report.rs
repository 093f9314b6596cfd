//! Printing a run's summary for people (text) and pipelines (JSON).

use std::fmt::Write;

use crate::build::Summary;

/// The summary as text: every finding as `file:line:column: level: message`, then the
/// period, as-of and rows per file, then one closing line.
pub fn text(s: &Summary, verb: &str, quiet: bool) -> String {
    let mut out = String::new();
    for d in &s.diagnostics {
        if quiet && d.severity == crate::error::Severity::Warning {
            continue;
        }
        let _ = writeln!(out, "{d}");
    }
    if !quiet {
        if let (Some(p), Some(a)) = (&s.period, &s.as_of) {
            let _ = writeln!(
                out,
                "period {p}, data as of {}",
                a.format("%Y-%m-%d %H:%M UTC")
            );
        }
        for f in &s.files {
            let _ = writeln!(
                out,
                "  {:<28} {:>9} read {:>9} used {:>6} rejected{}",
                f.file,
                f.read,
                f.used,
                f.rejected,
                skipped(f)
            );
        }
    }
    if let Some(path) = &s.snapshot {
        let _ = writeln!(
            out,
            "snapshot of period {} written to {path}",
            s.period.as_deref().unwrap_or("")
        );
    }
    let pages = if s.pages_written > 0 {
        format!(", {} files written", s.pages_written)
    } else {
        String::new()
    };
    let rejected: u64 = s.files.iter().map(|f| f.rejected).sum();
    let problems = if s.ok && s.errors > 0 && verb == "build" {
        format!("{rejected} row(s) rejected and left out (see rejected.csv and data.html)")
    } else {
        format!("{} error(s)", s.errors)
    };
    let _ = writeln!(
        out,
        "{verb} {}: {problems}, {} warning(s){pages} in {:.2}s",
        if s.ok { "ok" } else { "failed" },
        s.warnings,
        s.seconds
    );
    out
}

/// Blank rows and report footer lines, which are skipped but counted.
fn skipped(f: &crate::input::csv_table::RowAccount) -> String {
    let mut s = String::new();
    if f.blank > 0 {
        s.push_str(&format!(" {:>4} blank", f.blank));
    }
    if f.footer > 0 {
        s.push_str(&format!(" {:>3} report footer line(s) skipped", f.footer));
    }
    s
}

/// The summary as one JSON document.
pub fn json(s: &Summary) -> String {
    serde_json::to_string_pretty(s).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
