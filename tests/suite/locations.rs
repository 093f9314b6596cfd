//! Issue 19, "Locations": every message names the real file (a mapped export, not the canonical
//! name), every summary line names its table, and one rejected row is reported once with one
//! summary line per file of rows that depend on it, while rejected.csv lists every row.

use crate::util::{baton, copy_fixture};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// small-salesforce with the hand-off of lead L1 unreadable: its `Converted Date` (the
/// hand-off moment) is not a date. By hand, from the fixture's CSVs: L1 is line 2 of
/// lead_report.csv (its quoted note spans lines 2-3); meetings.csv has two rows of L1 (M1 on
/// line 2, M2 on line 3) and opportunities.csv one (O1 on line 2). So 1 + 2 + 1 = 4 rejected
/// rows, and two of the three files hold rows rejected only because of L1.
fn project_with_a_rejected_handoff() -> tempfile::TempDir {
    let tmp = copy_fixture("small-salesforce");
    let path = tmp.path().join("data/lead_report.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let broken = text.replacen("10/05/2026 10:00 AM", "not a date", 1);
    assert_ne!(text, broken, "the fixture has L1's converted date");
    std::fs::write(&path, broken).expect("write");
    tmp
}

#[test]
fn rows_of_a_rejected_handoff_name_the_mapped_file_and_are_summed_up_once_per_file() {
    let tmp = project_with_a_rejected_handoff();
    let out = baton(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["errors"], 4, "every rejected row is an error: {json}");
    let messages: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!(
                "{}:{}: {}",
                d["file"].as_str().unwrap_or(""),
                d["line"],
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        messages.len(),
        3,
        "the cause, then one line per file: {messages:#?}"
    );
    assert!(
        messages[0].starts_with("data/lead_report.csv:2: "),
        "{messages:#?}"
    );
    assert_eq!(
        messages[1],
        "data/meetings.csv:2: 2 rows of data/meetings.csv refer to rows of \
         data/lead_report.csv rejected above, from this line on; each is listed in rejected.csv"
    );
    // A lone row of a file keeps its own message, naming its column and the lead.
    assert_eq!(
        messages[2],
        "data/opportunities.csv:2: lead_id: lead \"L1\" was rejected (data/lead_report.csv line 2)"
    );
    assert!(
        !stderr(&out).contains("handoffs.csv")
            && !out.stdout.windows(12).any(|w| w == b"handoffs.csv"),
        "no message names a file that does not exist"
    );
    // Every file says which table it was read as.
    let files = json["files"].as_array().expect("files");
    let lead_report = files
        .iter()
        .find(|f| f["file"] == "data/lead_report.csv")
        .expect("lead_report.csv accounted");
    assert_eq!(lead_report["table"], "handoffs");
    assert_eq!(lead_report["rejected"], 1);
}

#[test]
fn rejected_csv_still_lists_every_row_with_the_real_file() {
    let tmp = project_with_a_rejected_handoff();
    let out = baton(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("data/lead_report.csv (handoffs)"),
        "the summary names the table: {text}"
    );
    let mut reader =
        csv::Reader::from_path(tmp.path().join("output/rejected.csv")).expect("rejected.csv");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let files: Vec<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[1])).collect();
    assert_eq!(
        files,
        [
            ("data/lead_report.csv", "2"),
            ("data/meetings.csv", "2"),
            ("data/meetings.csv", "3"),
            ("data/opportunities.csv", "2")
        ]
    );
    let following = rows
        .iter()
        .filter(|r| r[4].contains("was rejected (data/lead_report.csv line 2)"))
        .count();
    assert_eq!(following, 3, "{rows:?}");
    let data = std::fs::read_to_string(tmp.path().join("output/data.html")).expect("data page");
    assert!(
        data.contains("data&#x2F;lead_report.csv (handoffs)")
            || data.contains("data/lead_report.csv (handoffs)"),
        "the data page names the table"
    );
}
