//! Closing a period (issue 23): `baton close` freezes a payout period's statements; later
//! builds show it as closed and put any recomputed difference on the next open statement,
//! once. Figures are worked out in tests/fixtures/comp-close/README.md.

use std::path::Path;

use crate::util::{append, baton, copy_fixture};

fn run(project: &Path, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.push("--quiet");
    baton(project, &all)
}

fn ok(project: &Path, args: &[&str]) {
    let o = run(project, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The rows of a1 in comp.csv as (period, status, component, payout, source).
fn a1_rows(project: &Path) -> Vec<[String; 5]> {
    let csv = std::fs::read_to_string(project.join("output/comp.csv")).expect("comp.csv");
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let h = rdr.headers().expect("header").clone();
    let col = |name: &str| h.iter().position(|c| c == name).expect(name);
    let (period, status, component, payout, source) = (
        col("payout_period"),
        col("status"),
        col("component"),
        col("payout"),
        col("source"),
    );
    rdr.records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[0] == "a1")
        .map(|r| [period, status, component, payout, source].map(|i| r[i].to_string()))
        .collect()
}

fn row(cells: [&str; 5]) -> [String; 5] {
    cells.map(str::to_string)
}

const O3: &str = "O3,,a1,2026-09-20T12:00:00Z,4000.00,2026-09-25,won,\n";

#[test]
fn a_closed_period_survives_an_edited_export_with_the_difference_on_the_next_statement() {
    let tmp = copy_fixture("comp-close");
    let p = tmp.path();
    let as_of = ["--as-of", "2026-10-31"];
    ok(p, &["build", "--period", "2026-10", as_of[0], as_of[1]]);
    assert_eq!(
        a1_rows(p),
        [row(["2026-10", "final", "won_amount", "3000.00", ""])]
    );
    ok(p, &["close", "--period", "2026-09", as_of[0], as_of[1]]);
    let file = p.join("history/closed/2026-09.json");
    let frozen = std::fs::read_to_string(&file).expect("closed file");
    assert!(frozen.contains("\"total\": \"5000.00\""), "{frozen}");
    assert!(
        frozen.contains("\"file\": \"data/opportunities.csv\""),
        "{frozen}"
    );
    assert!(
        frozen.contains("\"playbook_fingerprint\": \"fnv1a64:"),
        "{frozen}"
    );

    // A won deal in September arrives after the close.
    append(p.join("data/opportunities.csv"), O3);
    ok(p, &["build", "--period", "2026-09", as_of[0], as_of[1]]);
    assert_eq!(
        a1_rows(p),
        [row(["2026-09", "closed", "won_amount", "5000.00", ""])],
        "September stays as closed"
    );
    let page = std::fs::read_to_string(p.join("output/ae/a1.html")).expect("page");
    assert!(page.contains("closed on 20"), "{page}");
    assert!(page.contains("$5,000.00"), "{page}");
    assert!(!page.contains("$8,000.00"), "{page}");

    ok(p, &["build", "--period", "2026-10", as_of[0], as_of[1]]);
    assert_eq!(
        a1_rows(p),
        [
            row(["2026-10", "final", "won_amount", "3000.00", ""]),
            row([
                "2026-10",
                "final",
                "prior_period",
                "3000.00",
                "data/opportunities.csv:4"
            ]),
        ]
    );
    let page = std::fs::read_to_string(p.join("output/ae/a1.html")).expect("page");
    assert!(
        page.contains("prior-period adjustment for 2026-09"),
        "{page}"
    );
    assert!(page.contains("won_amount 5000.00 → 8000.00"), "{page}");
    assert!(page.contains("<strong>$6,000.00</strong>"), "{page}");

    // Refusals: a period not over at as_of, a period already closed, an input with errors.
    let o = run(p, &["close", "--period", "2026-11", as_of[0], as_of[1]]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2026-11 is not over"), "{err}");
    assert!(!p.join("history/closed/2026-11.json").exists());
    let o = run(p, &["close", "--period", "2026-09", as_of[0], as_of[1]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already closed"));
    assert_eq!(std::fs::read_to_string(&file).expect("still there"), frozen);
    append(
        p.join("data/opportunities.csv"),
        "O9,,a1,not a date,1.00,2026-10-01,won,\n",
    );
    let o = run(p, &["close", "--period", "2026-10", as_of[0], as_of[1]]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2026-10 not closed"), "{err}");
    assert!(!p.join("history/closed/2026-10.json").exists());
}

#[test]
fn a_difference_is_paid_once_through_a_chain_of_closed_periods() {
    let tmp = copy_fixture("comp-close");
    let p = tmp.path();
    let nov = ["--as-of", "2026-11-30"];
    ok(p, &["close", "--period", "2026-09", nov[0], nov[1]]);
    append(p.join("data/opportunities.csv"), O3);
    ok(p, &["close", "--period", "2026-10", nov[0], nov[1]]);
    let october = std::fs::read_to_string(p.join("history/closed/2026-10.json")).expect("file");
    assert!(october.contains("\"kind\": \"prior_period\""), "{october}");
    assert!(october.contains("\"total\": \"6000.00\""), "{october}");

    // October as frozen already paid September's 3,000: nothing more on November.
    ok(
        p,
        &[
            "build",
            "--period",
            "2026-11",
            nov[0],
            nov[1],
            "--allow-empty",
        ],
    );
    assert_eq!(
        a1_rows(p),
        [row(["2026-11", "final", "won_amount", "0.00", ""])]
    );

    // A second change to September after October closed: only the new 750 is paid.
    append(
        p.join("data/opportunities.csv"),
        "O4,,a1,2026-09-21T12:00:00Z,1000.00,2026-09-28,won,\n",
    );
    ok(
        p,
        &[
            "build",
            "--period",
            "2026-11",
            nov[0],
            nov[1],
            "--allow-empty",
        ],
    );
    assert_eq!(
        a1_rows(p),
        [
            row(["2026-11", "final", "won_amount", "0.00", ""]),
            row([
                "2026-11",
                "final",
                "prior_period",
                "750.00",
                "data/opportunities.csv:5"
            ]),
        ]
    );
}

#[test]
fn a_closed_file_that_cannot_be_used_stops_the_build_naming_it() {
    let tmp = copy_fixture("comp-close");
    let p = tmp.path();
    let dir = p.join("history/closed");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let build = ["build", "--period", "2026-10", "--as-of", "2026-10-31"];
    std::fs::write(dir.join("2026-09.json"), "{").expect("write");
    let o = run(p, &build);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("history/closed/2026-09.json: error: not a Baton closed period"),
        "{err}"
    );
    assert!(!p.join("output/comp.csv").exists());
    // A real closed file under another name: it holds 2026-09, not 2026-08.
    std::fs::remove_file(dir.join("2026-09.json")).expect("rm");
    ok(
        p,
        &["close", "--period", "2026-09", "--as-of", "2026-10-31"],
    );
    std::fs::rename(dir.join("2026-09.json"), dir.join("2026-08.json")).expect("mv");
    let o = run(p, &build);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "history/closed/2026-08.json: error: holds period 2026-09 but is named 2026-08.json"
        ),
        "{err}"
    );
}
