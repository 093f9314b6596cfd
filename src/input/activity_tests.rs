//! The activity fast path and its two-thread reading against the general rules: for a file
//! of awkward rows (space to trim, case, unknown and rejected reps, every date form, a
//! daylight-saving gap, non-ASCII and invalid UTF-8, blank rows, footers, stray cells, quoted
//! newlines, CRLF), the fast path, and the file cut at every line start, must give exactly the
//! counts, row accounts and rejections (lines, columns, messages) of the row-by-row reader.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::accounts::{Rejection, RowAccount};
use super::activities;
use super::activity_fast::{self, Plan};
use super::activity_rows::{LeadIndex, RepIndex};
use super::csv_table::CsvFile;
use super::mapping_yaml::Mapping;
use super::refs::Reps;
use crate::model::{DayCounts, Role};

type Counts = BTreeMap<(String, NaiveDate), DayCounts>;
/// The earliest day each lead of [`LEADS`] was touched, by its place there.
type Touches = Vec<Option<NaiveDate>>;

/// The leads.csv ids the readers look for in `lead_id`: plain ones, one only a prospect_added
/// row names, ones in quoted cells (a comma, a newline), a non-ASCII one, and one no row names.
const LEADS: [&str; 12] = [
    "L1",
    "L2",
    "L3",
    "L4",
    "L5",
    "L7",
    "L,7",
    "L6\nstill L6",
    "Łódź",
    "L12",
    "L19",
    "L99",
];

fn leads() -> LeadIndex {
    LeadIndex::new(LEADS.iter().copied())
}

/// `touched` as long as [`LEADS`] (a reader's list stops at the last lead touched).
fn padded(mut touched: Touches) -> Touches {
    touched.resize(LEADS.len(), None);
    touched
}
type Seen = (u64, Option<u64>, String, String, Vec<String>);

fn reps() -> Reps {
    let roles: foldhash::HashMap<std::sync::Arc<str>, Role> = [
        ("s1", Role::Sdr),
        ("s2", Role::Sdr),
        ("b1", Role::Bdr),
        ("a1", Role::Ae),
        ("m1", Role::Manager),
    ]
    .iter()
    .map(|(id, r)| ((*id).into(), *r))
    .collect();
    let rejected = [("gone".to_string(), 7)].into_iter().collect();
    Reps::new(roles, rejected, "data/reps.csv")
}

const TZ: Tz = chrono_tz::America::New_York;

/// Rows that are awkward for a fast path; each is read by both paths.
fn awkward_rows() -> Vec<u8> {
    let mut t = String::from("rep_id,date,type,outcome,lead_id\n");
    for (i, rep) in ["s1", "s2", "b1", "a1", "m1"].iter().enumerate() {
        for d in 1..=4 {
            t.push_str(&format!(
                "{rep},2026-10-0{d} 09:1{i}:00,call,connected,L{i}{d}\n"
            ));
            t.push_str(&format!("{rep},2026-10-0{d},email,,L{i}{d}\n"));
        }
    }
    t.push_str(concat!(
        " s1 ,2026-10-05T10:00,CALL,Connected,L1\n",
        "\ts2,2026-10-05 10:00,Social, ,L2\n",
        "\u{0b}b1,2026-10-05 10:00:59,prospect_added,,\n",
        "S1,2026-10-05,call,,L3\n",
        "gone,2026-10-05,call,,L3\n",
        "nobody,2026-10-05,call,,L3\n",
        ",2026-10-05,call,,L3\n",
        "s1,,call,,L3\n",
        "s1,03/10/2026,call,,L3\n",
        "s1,2026-02-30,call,,L3\n",
        "s1,2026-03-08 02:30:00,call,,L3\n",
        "s1,2026-11-01 01:30:00,call,connected,L3\n",
        "s1,2026-10-05 12:00:60,call,,L3\n",
        "s1,2026-10-05T09:30:00-04:00,call,,L3\n",
        "s1,2026-10-06,fax,,L4\n",
        "s1,2026-10-06,call,maybe,L4\n",
        "s1,2026-10-06,call,voicemail,Łódź\n",
        "\u{a0}s2,2026-10-06,email,replied,L5\n",
        "s2,2026-10-06,email,bounced,L5,\n",
        "s2,2026-10-06,email,bounced,L5,oops\n",
        "s2,2026-10-06,email\n",
        ",,,,\n",
        "Grand total,,,,\n",
        "\n",
        "s2,2026-10-07,call,no_answer,\"L6\nstill L6\"\n",
        "s2,2026-10-07,call,connected,\"x\ns1,2026-10-08,call,connected,y\"\n",
        "b1,2026-10-07,email,,L7\r\n",
        "b1,2026-10-07,\"email\",,\"L,7\"\r\n",
        "a1,2026-10-07,call,connected,L8\n",
    ));
    let mut bytes = t.into_bytes();
    bytes.extend_from_slice(b"a1,2026-10-07,call,connected,L\xff9\n");
    for d in 10..=19 {
        bytes
            .extend_from_slice(format!("s1,2026-10-{d} 08:00:00,call,voicemail,L{d}\n").as_bytes());
    }
    // A footer only at the end: the `Grand total` row above, with data after it, is a row.
    bytes.extend_from_slice(b"\nGrand total (42 records)\nConfidential\n");
    bytes
}

fn open(dir: &Path, bytes: &[u8]) -> CsvFile {
    let path = dir.join("activities.csv");
    std::fs::write(&path, bytes).expect("write");
    let spec = Mapping::default().spec("activities");
    match CsvFile::open(&path, "data/activities.csv", &spec) {
        Ok(f) => f,
        Err(d) => panic!("open: {d:?}"),
    }
}

fn seen(r: &[Rejection]) -> Vec<Seen> {
    r.iter()
        .map(|r| {
            let what = format!("{}: {}", r.column_name, r.reason);
            (r.line, r.column, r.file.clone(), what, r.record.clone())
        })
        .collect()
}

/// The reference: the general reader, row by row.
fn general(dir: &Path, bytes: &[u8]) -> (RowAccount, Counts, Vec<Seen>, Touches) {
    let mut f = open(dir, bytes);
    let mut rejections = Vec::new();
    let read = activities::read_general(&mut f, &reps(), &leads(), TZ, &mut rejections);
    assert!(read.fatal.is_none());
    (
        read.account,
        read.counts,
        seen(&rejections),
        padded(read.touched),
    )
}

/// The fast path, the file cut at `cut` (a line start) or whole.
fn fast(dir: &Path, bytes: &[u8], cut: Option<u64>) -> (RowAccount, Counts, Vec<Seen>, Touches) {
    fast_with(dir, bytes, |r| activity_fast::read_cut(r, cut))
}

/// The fast path as `read` reads it, its counts as the general path's are compared.
fn fast_with(
    dir: &Path,
    bytes: &[u8],
    read: impl FnOnce(activity_fast::Reading) -> activity_fast::Part,
) -> (RowAccount, Counts, Vec<Seen>, Touches) {
    let f = open(dir, bytes);
    let reps = reps();
    let index = RepIndex::new(reps.ids());
    let plan = Plan::new(&f).expect("canonical file takes the fast path");
    let leads = leads();
    let r = activity_fast::Reading {
        f: &f,
        plan: &plan,
        index: &index,
        leads: &leads,
        reps: &reps,
        tz: TZ,
    };
    let mut part = read(r);
    assert!(part.fatal.is_none());
    let touched = padded(part.tally.take_touches());
    (
        part.account,
        part.tally.named(&index),
        seen(&part.rejections),
        touched,
    )
}

#[test]
fn fast_path_reads_every_awkward_row_as_the_general_rules_do() {
    let dir = tempfile::tempdir().expect("tmp");
    let bytes = awkward_rows();
    let (account, counts, rejected, touched) = general(dir.path(), &bytes);
    // The catalogue really is awkward: rows of every fate.
    assert_eq!(account.rejected, 13, "{rejected:#?}");
    assert_eq!((account.blank, account.footer), (1, 2));
    assert!(rejected.iter().any(|r| r.4[0] == "Grand total"));
    assert!(rejected.iter().any(|r| r.3.contains("invalid UTF-8")));
    assert!(rejected
        .iter()
        .any(|r| r.3.contains("does not exist in time zone")));
    // Touches the general rules find (October 2026), by hand: L4 none (its two rows have an
    // unknown type and an unknown outcome: rejected), L99 none (no row names it), L12 on the
    // 2nd (s2's call and email of 2026-10-02), L19 on the 19th (s1's call), L7 on the 7th
    // (its CRLF row), `L,7` on the 7th (a quoted comma), `L6\nstill L6` on the 7th (a quoted
    // newline), Łódź on the 6th (a voicemail is a touch); L1 on the 5th (` s1 `, `CALL`).
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 10, d);
    let at = |id: &str| touched[LEADS.iter().position(|l| *l == id).expect("a lead")];
    assert_eq!((at("L4"), at("L99")), (None, None));
    assert_eq!((at("L12"), at("L19"), at("L1")), (day(2), day(19), day(5)));
    assert_eq!(
        (at("L7"), at("L,7"), at("L6\nstill L6")),
        (day(7), day(7), day(7))
    );
    assert_eq!(at("Łódź"), day(6));
    assert_eq!(
        fast(dir.path(), &bytes, None),
        (account, counts, rejected, touched)
    );
}

#[test]
fn two_threads_agree_with_one_wherever_the_file_is_cut() {
    let dir = tempfile::tempdir().expect("tmp");
    let bytes = awkward_rows();
    let whole = general(dir.path(), &bytes);
    // Every line start, including those inside quoted cells that hold a newline.
    let starts: Vec<u64> = (1..bytes.len())
        .filter(|i| bytes[i - 1] == b'\n')
        .map(|i| i as u64)
        .collect();
    assert!(starts.len() > 70);
    for cut in starts {
        assert_eq!(
            fast(dir.path(), &bytes, Some(cut)),
            whole,
            "cut at byte {cut}"
        );
    }
}

#[test]
fn a_large_file_is_read_on_two_threads_with_the_same_result() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut bytes = b"rep_id,date,type,outcome\n".to_vec();
    for i in 0..20_000u32 {
        let rep = ["s1", "s2", "b1", "nobody"][(i % 7 % 4) as usize];
        let kind = ["call", "email", "social", "prospect_added", "fax"][(i % 5) as usize];
        let day = 1 + i % 28;
        bytes.extend_from_slice(
            format!("{rep},2026-10-{day:02} 10:00:00,{kind},connected\n").as_bytes(),
        );
    }
    let whole = general(dir.path(), &bytes);
    // Split from 1 byte: two threads whenever the machine may run them.
    let got = fast_with(dir.path(), &bytes, |r| activity_fast::read(r, 1));
    assert_eq!(got, whole);
    assert_eq!(got.0.read, 20_000);
}

#[test]
fn a_mapping_that_translates_values_takes_the_general_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("activities.csv");
    std::fs::write(&path, "rep_id,date,type\ns1,2026-10-01,Anruf\n").expect("write");
    let m: Mapping = serde_yaml::from_str(
        "tables:\n  activities:\n    values:\n      type:\n        Anruf: call\n",
    )
    .expect("yaml");
    let f = CsvFile::open(&path, "data/activities.csv", &m.spec("activities")).expect("open");
    assert!(Plan::new(&f).is_none());
}

/// Files the line scanner hands to the CSV reader in part or whole, read at several cuts:
/// a quoted header and rows (as Salesforce writes them), a BOM, empty lines before the
/// header, lines across the scanner's 1 MiB blocks, and a data or header line longer than a
/// block.
#[test]
fn the_line_scanner_and_the_csv_reader_agree_on_every_shape() {
    let dir = tempfile::tempdir().expect("tmp");
    let body = |n: u32, quoted_from: u32| {
        let mut t = String::new();
        for i in 0..n {
            let rep = ["s1", "s2", "b1", "nobody", " s1"][(i % 5) as usize];
            let day = 1 + i % 28;
            if i >= quoted_from {
                t.push_str(&format!(
                    "\"{rep}\",\"2026-10-{day:02}\",\"call\",\"connected\"\n"
                ));
            } else {
                t.push_str(&format!("{rep},2026-10-{day:02} 10:00:00,email,,\n"));
            }
        }
        t
    };
    let long_note = "x".repeat(2_500_000);
    let shapes: Vec<Vec<u8>> = vec![
        format!("\"rep_id\",\"date\",\"type\",\"outcome\"\n{}", body(300, 0)).into_bytes(),
        format!("\u{feff}rep_id,date,type,outcome\n{}", body(300, 150)).into_bytes(),
        format!("\n\r\nrep_id,date,type,outcome\r\n{}", body(300, 1000)).into_bytes(),
        format!("rep_id,date,type,outcome\n{}", body(60_000, 59_990)).into_bytes(),
        format!(
            "rep_id,date,type,outcome\n{}s1,2026-10-02,call,{long_note}\n{}",
            body(100, 1000),
            body(100, 50)
        )
        .into_bytes(),
        format!(
            "\n\nrep_id,date,type,outcome,{long_note}\n{}",
            body(300, 1000).replace('\n', ",\n")
        )
        .into_bytes(),
    ];
    for bytes in shapes {
        let whole = general(dir.path(), &bytes);
        assert!(whole.0.used > 0, "{:?}", whole.0);
        assert_eq!(fast(dir.path(), &bytes, None), whole);
        let len = bytes.len();
        let starts: Vec<u64> = (1..len)
            .filter(|i| bytes[i - 1] == b'\n')
            .map(|i| i as u64)
            .collect();
        let step = (starts.len() / 7).max(1);
        for cut in starts.iter().step_by(step).chain(starts.last()) {
            assert_eq!(
                fast(dir.path(), &bytes, Some(*cut)),
                whole,
                "cut at {cut} of {len}"
            );
        }
    }
}

/// Issue 17: the same rejected row was reported on line 126,347 by one thread and 126,348 by
/// two. The csv reader places a record where the previous one ended: before the `\n` of a
/// `\r\n` and before empty lines. A quoted cell in the first half hands that half to the csv
/// reader; with one thread every later line came out one short, with two only those of the
/// first half, and the second half was shifted by the first half's wrong line at the cut.
#[test]
fn a_rejected_row_has_its_physical_line_with_one_thread_and_two() {
    let dir = tempfile::tempdir().expect("tmp");
    for eol in ["\n", "\r\n"] {
        let mut t = format!("rep_id,date,type,outcome{eol}");
        // Physical lines of the rows to be rejected.
        let mut want = Vec::new();
        for i in 0..3_000u32 {
            let line = 2 + i + u32::from(i > 10);
            let (rep, kind) = match i {
                5 => ("s1", "\"call\""),
                _ if i % 1_000 == 999 => ("nobody", "call"),
                _ => ("s1", "call"),
            };
            if rep == "nobody" {
                want.push(u64::from(line));
            }
            if i == 11 {
                t.push_str(eol);
            }
            t.push_str(&format!("{rep},2026-10-01,{kind},connected{eol}"));
        }
        let bytes = t.into_bytes();
        let lines = |r: (RowAccount, Counts, Vec<Seen>, Touches)| {
            r.2.iter().map(|s| s.0).collect::<Vec<_>>()
        };
        let cut = (bytes.len() / 2..)
            .find(|i| bytes[i - 1] == b'\n')
            .map(|i| i as u64);
        assert_eq!(lines(general(dir.path(), &bytes)), want, "general, {eol:?}");
        assert_eq!(
            lines(fast(dir.path(), &bytes, None)),
            want,
            "one thread, {eol:?}"
        );
        assert_eq!(
            lines(fast(dir.path(), &bytes, cut)),
            want,
            "two threads, {eol:?}"
        );
    }
}

/// The fast path reads UTF-8 bytes and knows no `where:`: a UTF-16 export (by its BOM) and a
/// filtered table take the general rules (issue 21). Of the three rows, the one without a
/// lead is filtered: read 3 = used 2 + filtered 1.
#[test]
fn utf16_and_filtered_activities_take_the_general_rules() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = "rep_id,date,type,outcome,lead_id\r\ns1,2026-10-01,call,,L1\r\ns1,2026-10-01,call,,\r\ns2,2026-10-02,email,,L2\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let f = open(dir.path(), &utf16);
    assert!(Plan::new(&f).is_none(), "UTF-16 is not read byte by byte");

    let path = dir.path().join("activities.csv");
    std::fs::write(&path, text).expect("write");
    let mapping: Mapping =
        serde_yaml::from_str("tables:\n  activities:\n    where: {lead_id: {empty: false}}\n")
            .expect("mapping");
    let spec = mapping.spec("activities");
    let mut f = CsvFile::open(&path, "data/activities.csv", &spec).expect("open");
    assert!(
        Plan::new(&f).is_none(),
        "a filtered table is read row by row"
    );
    let mut rejections = Vec::new();
    let read = activities::read_raw(&mut f, &reps(), &leads(), TZ, u64::MAX, &mut rejections);
    let a = &read.account;
    assert_eq!((a.read, a.used, a.filtered, a.rejected), (3, 2, 1, 0));
    assert_eq!(a.filtered_by[0].lines, [3]);
}

/// `read_all` cuts a large activities.csv between its two threads: the part before the cut is
/// read after leads.csv, the part after it beside the hand-offs. Whatever thread reads what,
/// the counts, the leads' touches and the rejections (their lines too) are the general
/// reader's, row by row.
#[test]
fn read_all_shares_a_large_file_between_the_leads_thread_and_the_other() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data/");
    std::fs::write(
        data.join("reps.csv"),
        "rep_id,name,role,pod,start_date,end_date\ns1,S One,sdr,East,2025-01-01,\ns2,S Two,sdr,East,2025-01-01,\na1,A One,ae,East,2025-01-01,\n",
    )
    .expect("reps");
    let mut leads = String::from("lead_id,sdr_id,created_at,first_touch_at,disqualified_reason\n");
    for i in 0..500 {
        leads.push_str(&format!("L{i},s1,2026-09-01 10:00:00,,\n"));
    }
    std::fs::write(data.join("leads.csv"), leads).expect("leads");
    // 240,000 rows of about 45 bytes (10 MB, past the 8 MiB from which a file is cut), the
    // leads touched all through it, and every 50,000th row rejected (an unknown type).
    let mut bytes = b"rep_id,date,type,outcome,lead_id\n".to_vec();
    for i in 0..240_000u32 {
        let rep = ["s1", "s2", "a1"][(i % 3) as usize];
        let day = 1 + i % 30;
        let kind = if i % 50_000 == 7 {
            "fax"
        } else {
            ["call", "email"][(i % 2) as usize]
        };
        bytes.extend_from_slice(
            format!(
                "{rep},2026-09-{day:02} 10:{:02}:00,{kind},connected,L{}\n",
                i % 60,
                i % 997
            )
            .as_bytes(),
        );
    }
    std::fs::write(data.join("activities.csv"), &bytes).expect("activities");
    let reps = Reps::new(
        [("s1", Role::Sdr), ("s2", Role::Sdr), ("a1", Role::Ae)]
            .iter()
            .map(|(id, r)| ((*id).into(), *r))
            .collect(),
        Default::default(),
        "data/reps.csv",
    );
    let playbook = crate::playbook::Playbook::default();
    let mapping = Mapping::default();
    let tables = super::tables::read_all(&data, "data/", &playbook, &mapping, TZ);

    // The reference: the general reader over the same file and lead ids.
    let mut f = CsvFile::open(
        &data.join("activities.csv"),
        "data/activities.csv",
        &mapping.spec("activities"),
    )
    .expect("open");
    if crate::threads() >= 2 {
        let fast = match super::tables::activity::open_activities(
            &data,
            "data/",
            &mapping,
            &reps,
            &mut Default::default(),
        ) {
            Some(super::tables::activity::Opened::Fast(fast)) => fast,
            _ => panic!("a canonical file takes the fast path"),
        };
        let leads_bytes = std::fs::metadata(data.join("leads.csv"))
            .expect("leads")
            .len();
        let cut = fast.cut(leads_bytes, 0).expect("cut in two");
        assert!(
            cut > 4 << 20 && cut < bytes.len() as u64 - (2 << 20),
            "{cut}"
        );
    }
    let ids: Vec<String> = (0..500).map(|i| format!("L{i}")).collect();
    let index = LeadIndex::new(ids.iter().map(String::as_str));
    let mut rejections = Vec::new();
    let read = activities::read_general(&mut f, &reps, &index, TZ, &mut rejections);
    assert_eq!(tables.activity, read.counts);
    let mut touched = read.touched;
    touched.resize(500, None);
    assert_eq!(tables.lead_touches, touched);
    // L0..L499 are touched (lead ids run to L996), on the first days their rows fall on.
    assert!(tables.lead_touches.iter().all(Option::is_some));
    assert_eq!(seen(&tables.rejections), seen(&rejections));
    // Rows 7, 50,007, ... 200,007 (lines 9, 50,009 ...): five rows of type fax.
    let lines: Vec<u64> = tables.rejections.iter().map(|r| r.line).collect();
    assert_eq!(lines, [9, 50_009, 100_009, 150_009, 200_009]);
    let account = tables
        .accounts
        .iter()
        .find(|a| a.file == "data/activities.csv")
        .expect("an account of activities.csv");
    let counts = |a: &RowAccount| (a.read, a.used, a.rejected, a.blank, a.footer);
    assert_eq!(counts(account), counts(&read.account));
    assert_eq!(counts(account), (240_000, 239_995, 5, 0, 0));
}
