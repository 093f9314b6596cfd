//! Printing a run's summary for people (text) and pipelines (JSON).

use std::fmt::Write;

use crate::build::Summary;
use crate::format::int;

/// Findings printed per file; a broken export can reject every one of its rows, and the rest
/// are counted instead of scrolling the first ones away. JSON lists every finding.
const SHOWN_PER_FILE: usize = 20;

/// The summary as text: the findings as `file:line:column: level: message` (the first
/// [`SHOWN_PER_FILE`] of each file, then a count of the rest), then the period, as-of and rows
/// per file, then one closing line.
pub fn text(s: &Summary, verb: &str, quiet: bool) -> String {
    let mut out = String::new();
    // Per file: findings shown, then those left out.
    let mut per_file: Vec<(&str, usize)> = Vec::new();
    for d in &s.diagnostics {
        if quiet && d.severity == crate::error::Severity::Warning {
            continue;
        }
        let i = match per_file.iter().position(|(f, _)| *f == d.file) {
            Some(i) => i,
            None => {
                per_file.push((&d.file, 0));
                per_file.len() - 1
            }
        };
        per_file[i].1 += 1;
        if per_file[i].1 <= SHOWN_PER_FILE {
            let _ = writeln!(out, "{d}");
        }
    }
    for (file, n) in per_file.iter().filter(|(_, n)| *n > SHOWN_PER_FILE) {
        let _ = writeln!(
            out,
            "{file}: {} more finding(s) not shown (`baton check --format json` lists them all)",
            int(i128::from((n - SHOWN_PER_FILE) as u64))
        );
    }
    if !quiet {
        if let (Some(p), Some(a)) = (&s.period, &s.as_of) {
            // as-of in the playbook's time zone, as the site shows it.
            let as_of = s
                .as_of_local
                .clone()
                .unwrap_or_else(|| a.format("%Y-%m-%d %H:%M UTC").to_string());
            let _ = writeln!(out, "period {p}, data as of {as_of}");
        }
        // One column for the names, as wide as the longest (`data/opportunities.csv
        // (opportunities)`), so the counts line up.
        let names: Vec<String> = s.files.iter().map(file_and_table).collect();
        // A file's name may hold a line break (the terminal filter keeps those), which must
        // not start a line of its own.
        let unread: Vec<String> = s
            .unread
            .iter()
            .map(|f| f.replace('\n', "\\n").replace('\r', "\\r"))
            .collect();
        let width = names
            .iter()
            .chain(&unread)
            .map(|n| n.chars().count())
            .chain(s.lookups.iter().map(|l| l.file.chars().count()))
            .fold(28, usize::max);
        for (f, name) in s.files.iter().zip(&names) {
            let _ = writeln!(
                out,
                "  {name:<width$} {:>10} read {:>10} used {:>7} rejected{}",
                int(i128::from(f.read)),
                int(i128::from(f.used)),
                int(i128::from(f.rejected)),
                skipped(f)
            );
        }
        for l in &s.lookups {
            let _ = writeln!(out, "  {:<width$} lookup file of {}", l.file, l.table);
        }
        for file in &unread {
            let _ = writeln!(
                out,
                "  {file:<width$} not read: no table of the mapping names it"
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
    // A published site ends the line with the page to open.
    let site = match (&s.site, s.ok) {
        (Some(index), true) => format!(": {index}"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{verb} {}: {problems}, {} warning(s){pages} in {:.2}s{site}",
        if s.ok { "ok" } else { "failed" },
        s.warnings,
        s.seconds
    );
    out
}

/// The file as shown, with the table it was read as (`data/crm_deals.csv (handoffs)`): one
/// export may feed two tables, and a file's name need not say its table.
fn file_and_table(f: &crate::input::accounts::RowAccount) -> String {
    if f.table.is_empty() {
        f.file.clone()
    } else {
        format!("{} ({})", f.file, f.table)
    }
}

/// Blank rows and report footer lines, which are skipped but counted.
fn skipped(f: &crate::input::accounts::RowAccount) -> String {
    let mut s = String::new();
    if f.blank > 0 {
        s.push_str(&format!(" {:>4} blank", f.blank));
    }
    if f.footer > 0 {
        s.push_str(&format!(" {:>3} report footer line(s) skipped", f.footer));
    }
    if f.unreadable > 0 {
        s.push_str(&format!(
            " {:>3} unreadable optional cell(s) read as missing",
            f.unreadable
        ));
    }
    if f.filtered > 0 {
        s.push_str(&format!(" {:>4} filtered", f.filtered));
    }
    for by in &f.filtered_by {
        let lines: Vec<String> = by.lines.iter().map(u64::to_string).collect();
        let more = if by.rows > by.lines.len() as u64 {
            ", ..."
        } else {
            ""
        };
        s.push_str(&format!(
            "\n    {} row(s) filtered out, failing {} (line {}{more})",
            by.rows,
            by.rule,
            lines.join(", ")
        ));
    }
    s
}

/// The summary as one JSON document.
pub fn json(s: &Summary) -> String {
    serde_json::to_string_pretty(s).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;
    use crate::input::accounts::RowAccount;

    fn summary(diagnostics: Vec<Diagnostic>) -> Summary {
        Summary {
            ok: false,
            period: Some("2026-10".into()),
            as_of: chrono::DateTime::from_timestamp(1_793_577_599, 0),
            as_of_local: Some("2026-10-31 23:59 UTC".into()),
            files: vec![RowAccount {
                file: "data/activities.csv".into(),
                table: "activities".into(),
                read: 25_263,
                used: 25_238,
                rejected: 25,
                blank: 0,
                footer: 0,
                ..RowAccount::default()
            }],
            lookups: Vec::new(),
            unread: Vec::new(),
            errors: diagnostics.len(),
            warnings: 0,
            diagnostics,
            pages_written: 0,
            seconds: 0.5,
            usage_error: false,
            snapshot: None,
            site: None,
        }
    }

    #[test]
    fn long_runs_of_findings_are_counted_not_printed() {
        let mut d: Vec<Diagnostic> = (2..27)
            .map(|l| Diagnostic::error("data/activities.csv", "rep_id: unknown rep").at(l, Some(1)))
            .collect();
        d.push(Diagnostic::error("data/reps.csv", "missing required column `rep_id`").at(1, None));
        let text = text(&summary(d), "build", false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "data/activities.csv:2:1: error: rep_id: unknown rep"
        );
        assert_eq!(
            lines[19],
            "data/activities.csv:21:1: error: rep_id: unknown rep"
        );
        assert_eq!(
            lines[20],
            "data/reps.csv:1: error: missing required column `rep_id`"
        );
        assert_eq!(
            lines[21],
            "data/activities.csv: 5 more finding(s) not shown (`baton check --format json` lists them all)"
        );
        assert_eq!(lines[22], "period 2026-10, data as of 2026-10-31 23:59 UTC");
        assert_eq!(
            lines[23],
            "  data/activities.csv (activities)     25,263 read     25,238 used      25 rejected"
        );
        assert_eq!(
            lines[24],
            "build failed: 26 error(s), 0 warning(s) in 0.50s"
        );
    }

    /// Lookup files and files no table read are listed under the files (issue 21); a line
    /// break in a file's name cannot start a line of its own.
    #[test]
    fn lookups_and_unread_files_are_listed() {
        let mut s = summary(Vec::new());
        s.lookups = vec![crate::input::files::LookupFile {
            file: "data/Owners.csv".into(),
            table: "handoffs".into(),
        }];
        s.unread = vec!["data/Quotas.csv".into(), "data/a\nb.csv".into()];
        let out = text(&s, "check", false);
        let lines: Vec<&str> = out.lines().collect();
        // The name column is as wide as `data/activities.csv (activities)`, 32 characters.
        assert_eq!(
            lines[2],
            "  data/Owners.csv                  lookup file of handoffs"
        );
        assert_eq!(
            lines[3],
            "  data/Quotas.csv                  not read: no table of the mapping names it"
        );
        assert!(lines[4].starts_with("  data/a\\nb.csv "), "{out}");
    }
}
