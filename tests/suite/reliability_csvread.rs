//! Issue 17, reading exports and printing messages: a stray quote reads the same in a file of
//! any size, a quote left open is blamed on the line where it opened, lines are physical
//! lines, echoed input is capped, and control characters never reach the terminal raw.

use std::path::Path;

use crate::util::{baton, copy_fixture};

/// The small fixture's activities, with `line2` as its first row and ordinary rows after it
/// until the file is past the 16 MiB record limit.
fn large_activities(project: &Path, line2: &str) {
    let mut f = format!("rep_id,date,type,outcome,lead_id\n{line2}\n");
    let row = "s1,2026-10-02,email,,L1\n";
    f.reserve(17 << 20);
    while f.len() < 17 << 20 {
        f.push_str(row);
    }
    std::fs::write(project.join("data/activities.csv"), f).expect("write");
}

/// `Acme 24" Displays`: the quote is a character of the cell, as the csv crate reads it in a
/// small file. A 17 MiB export used to stop 16 MiB after it, blaming the wrong line.
#[test]
fn a_stray_quote_in_a_large_export_is_a_character() {
    let p = copy_fixture("small");
    let path = p.path().join("data/handoffs.csv");
    let small = std::fs::read_to_string(&path).expect("read");
    // Line 2 is lead L1 of "Acme, Inc.", as in the report of issue 17.
    let template = small.lines().nth(1).expect("row").to_string();
    let mut f = small.replacen("\"Acme, Inc.\"", "Acme 24\" Displays", 1);
    for i in 0.. {
        if f.len() >= 17 << 20 {
            break;
        }
        let row = template.replacen("L1,", &format!("X{i},"), 1);
        f.push_str(&row.replacen("\"Acme, Inc.\"", &format!("Company {i}"), 1));
        f.push('\n');
    }
    std::fs::write(&path, f).expect("write");
    let out = baton(p.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("reading stopped"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

/// A quoted cell that never closes is blamed on the line where its quote opened, not where
/// reading gave up 16 MiB later.
#[test]
fn a_quote_left_open_is_blamed_on_the_line_it_opened() {
    let p = copy_fixture("small");
    large_activities(p.path(), "s1,2026-10-01,call,connected,\"Acme");
    let out = baton(p.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("data/activities.csv:2: error: reading stopped: a quoted cell opened on line 2 is still open 16 MiB later, on line "),
        "{err}"
    );
}

/// Whether `bytes` holds a control character a terminal would act on (line feed and tab
/// aside), or a Unicode bidirectional override.
fn raw_controls(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// A 15 MB header line was echoed whole by each message naming the header: a header quoted in
/// a message is capped at 2,000 characters and its size (a cell at 200).
#[test]
fn a_huge_header_is_not_echoed_whole() {
    let p = copy_fixture("small");
    let huge = "x".repeat(1 << 20);
    std::fs::write(
        p.path().join("data/activities.csv"),
        format!("{huge},other\n1,2\n"),
    )
    .expect("write");
    let out = baton(p.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        &err[..err.len().min(2_000)]
    );
    assert!(
        err.contains(&format!(
            "missing required column `rep_id` (the header has: {}… (1048583 bytes))",
            "x".repeat(2_000)
        )),
        "{}",
        &err[..err.len().min(2_000)]
    );
    assert!(err.len() < 10_000, "{} bytes of stderr", err.len());
}

/// A header can hold ESC ] 0 ; title BEL: printed raw, it set the terminal's title. Every
/// terminal writer escapes control characters; the JSON report escapes them as JSON does.
#[test]
fn control_characters_in_a_header_reach_the_terminal_escaped() {
    let p = copy_fixture("small");
    std::fs::write(
        p.path().join("data/activities.csv"),
        "\u{1b}]0;owned\u{7}\u{202e},date,type,outcome\ns1,2026-10-01,call,\n",
    )
    .expect("write");
    let out = baton(p.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!raw_controls(&out.stderr), "{err:?}");
    assert!(
        err.contains("(the header has: \\u{1b}]0;owned\\u{7}\\u{202e}, date, type, outcome)"),
        "{err}"
    );
    let json = baton(p.path(), &["check", "--format", "json"]);
    let text = String::from_utf8_lossy(&json.stdout);
    assert!(text.contains("\\u001b]0;owned\\u0007"), "{text}");
    assert!(
        !raw_controls(&json.stderr),
        "{:?}",
        String::from_utf8_lossy(&json.stderr)
    );
}
