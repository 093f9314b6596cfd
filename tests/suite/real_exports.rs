//! Issue 21, mapping features real exports need: `real-exports` holds exports as they come
//! (Excel's UTF-16LE "Unicode Text", Windows-1250, CRLF, rows in no order, Salesforce ids).
//! Its README.md works out every expected figure by hand.

use crate::util::load;

/// The account of `file` in a loaded project.
fn account<'a>(
    loaded: &'a baton::input::Loaded,
    file: &str,
) -> &'a baton::input::accounts::RowAccount {
    loaded
        .accounts
        .iter()
        .find(|a| a.file == file)
        .unwrap_or_else(|| panic!("no account for {file}"))
}

/// The UTF-16LE lead report is read by its BOM (the mapping names no encoding), its tab
/// detected, every character kept; the Windows-1250 users are decoded by their label; and a
/// rejection after a quoted two-line note names the line an editor shows.
#[test]
fn exports_in_any_encoding_are_read_on_their_lines() {
    let loaded = load("real-exports");
    let mut companies: Vec<&str> = loaded
        .dataset
        .handoffs
        .iter()
        .map(|h| &*h.company)
        .collect();
    companies.sort_unstable();
    assert_eq!(
        companies,
        [
            "Zürich Versicherung AG",
            "Ørsted Fjord ApS",
            "株式会社 Kōgyō"
        ]
    );
    let mut names: Vec<&str> = loaded
        .dataset
        .reps
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Tomáš Dvořák", "Łukasz Wróbel", "Šárka Nováková"]);
    // Line 3 holds a note on two lines (3 and 4), so the unreadable date is on line 5.
    let r = &loaded.rejections[0];
    assert_eq!(
        (r.file.as_str(), r.line, r.column),
        ("data/Leads.txt", 5, Some(6))
    );
}

/// Activities saved as UTF-16 (canonical columns, so the fast reader of UTF-8 bytes would
/// otherwise take them) are counted from their decoded text: SD1 made two calls on
/// 5 October (one connected), SD2 sent one email on the 6th.
#[test]
fn utf16_activities_are_counted() {
    let loaded = load("real-exports");
    let day = |rep: &str, d: u32| {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 10, d).expect("date");
        loaded.dataset.activity[&(rep.to_string(), date)]
    };
    let sd1 = day("0055e00000Qz9SD1", 5);
    assert_eq!((sd1.calls, sd1.connected, sd1.emails), (2, 1, 0));
    let sd2 = day("0055e00000Qz9SD2", 6);
    assert_eq!((sd2.calls, sd2.emails), (0, 1));
}

/// `where:` skips the rows that are not hand-offs (a test record, a lead no AE took): they
/// are counted as filtered with the rule each failed, are not rejections, and take no part in
/// any figure. Leads.txt: read 6 = used 3 + rejected 1 + filtered 2.
#[test]
fn rows_a_where_condition_fails_are_filtered_not_rejected() {
    let loaded = load("real-exports");
    let leads = account(&loaded, "data/Leads.txt");
    assert_eq!(
        (leads.read, leads.used, leads.rejected, leads.filtered),
        (6, 3, 1, 2)
    );
    let by: Vec<(&str, u64, &[u64])> = leads
        .filtered_by
        .iter()
        .map(|f| (f.rule.as_str(), f.rows, f.lines.as_slice()))
        .collect();
    assert_eq!(
        by,
        [
            ("where: `Lead Source` is not `Test`", 1, &[6][..]),
            ("where: `Converted Owner ID` is not empty", 1, &[7][..]),
        ]
    );
    assert_eq!(loaded.rejections.len(), 1, "{:#?}", loaded.rejections);
    assert!(loaded
        .dataset
        .handoffs
        .iter()
        .all(|h| !h.lead_id.ends_with("0e") && !h.lead_id.ends_with("0f")));
}

/// Filtered rows fail neither `check` nor `--strict`: a Salesforce lead report with an
/// unassigned lead (no owner, which would be rejected) passes once `where:` says such leads
/// are not hand-offs, and the summary names the rule.
#[test]
fn strict_check_passes_with_filtered_rows() {
    let project = crate::util::copy_fixture("small-salesforce");
    let report = project.path().join("data/lead_report.csv");
    let text = std::fs::read_to_string(&report).expect("read");
    let (header, rest) = text.split_once("\r\n").expect("header");
    let unassigned =
        "L99,Nobody's Lead,,,10/02/2026 09:00 AM,,10/03/2026 09:00 AM,,No,No,No,No,,,,,,,,,,";
    std::fs::write(&report, format!("{header}\r\n{unassigned}\r\n{rest}")).expect("write");
    let strict = crate::util::baton(project.path(), &["check", "--strict"]);
    let stderr = String::from_utf8_lossy(&strict.stderr).into_owned();
    assert!(
        !strict.status.success(),
        "the unassigned lead is rejected: {stderr}"
    );

    let mapping = project.path().join("playbook/mapping.yaml");
    let text = std::fs::read_to_string(&mapping).expect("read");
    let text = text.replace(
        "    file: lead_report.csv\n",
        "    file: lead_report.csv\n    where:\n      Lead Owner ID: {empty: false}\n",
    );
    std::fs::write(&mapping, text).expect("write");
    let strict = crate::util::baton(project.path(), &["check", "--strict"]);
    let out = String::from_utf8_lossy(&strict.stdout).into_owned()
        + &String::from_utf8_lossy(&strict.stderr);
    assert!(strict.status.success(), "{out}");
    assert!(
        out.contains("1 row(s) filtered out, failing where: `Lead Owner ID` is not empty (line 2)"),
        "{out}"
    );
}

/// An unreadable optional date (a CRM's null date `00/00/0000 00:00` as Created Date, line 2,
/// column 5) keeps its hand-off in every figure: the cell is read as missing, with a warning
/// at file:line:column, and counted in the file's account.
#[test]
fn an_unreadable_optional_cell_keeps_its_row() {
    let loaded = load("real-exports");
    let zurich = loaded
        .dataset
        .handoffs
        .iter()
        .find(|h| h.lead_id == "00Q5e00001XyZ0c")
        .expect("the hand-off is kept");
    assert_eq!(zurich.lead_created_at, None);
    assert_eq!(account(&loaded, "data/Leads.txt").unreadable, 1);
    let warnings: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.file == "data/Leads.txt")
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect();
    assert_eq!(
        warnings,
        [
            "data/Leads.txt:2:5: created_date: \"00/00/0000 00:00\" does not match the date format \"%m/%d/%Y %H:%M\" set in playbook/mapping.yaml; the cell is read as missing and the row kept"
        ]
    );
}

/// Several date formats per column, tried in order: Users.csv's Start Date mixes
/// `1/18/2021 0:00` and `01/02/2025`; Leads.txt's Converted Date is `10/12/2026` without its
/// time on Ørsted's row (midnight UTC, the fixture's zone).
#[test]
fn a_column_may_mix_date_formats() {
    let loaded = load("real-exports");
    let start = |id: &str| {
        let rep = loaded
            .dataset
            .reps
            .iter()
            .find(|r| r.id == id)
            .expect("rep");
        rep.start_date.to_string()
    };
    assert_eq!(start("0055e00000Qz9SD2"), "2021-01-18");
    assert_eq!(start("0055e00000Qz9SD1"), "2025-01-02");
    let orsted = loaded
        .dataset
        .handoffs
        .iter()
        .find(|h| h.lead_id == "00Q5e00001XyZ0d")
        .expect("Ørsted");
    assert_eq!(orsted.handoff_at.to_rfc3339(), "2026-10-12T00:00:00+00:00");
}

/// The build summary names the table of every line, lists the lookup files the mapping read,
/// and the files in data/ no table read: `Quotas.csv` is not `quotas.csv`, so it was ignored.
#[test]
fn the_summary_names_tables_lookups_and_files_no_table_read() {
    let loaded = load("real-exports");
    let lookups: Vec<(&str, &str)> = loaded
        .lookups
        .iter()
        .map(|l| (l.file.as_str(), l.table.as_str()))
        .collect();
    assert_eq!(lookups, [("data/Lead Notes.csv", "handoffs")]);
    assert_eq!(loaded.unread, ["data/Quotas.csv"]);

    let project = crate::util::copy_fixture("real-exports");
    let out = crate::util::baton(project.path(), &["check"]);
    let stdout =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    for line in [
        "  data/Users.csv (reps) ",
        "  data/Tasks.txt (activities) ",
        // The name column is 28 characters wide, its least: every name here is shorter.
        "  data/Lead Notes.csv          lookup file of handoffs",
        "  data/Quotas.csv              not read: no table of the mapping names it",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(line)),
            "{line:?} in:\n{stdout}"
        );
    }
}
