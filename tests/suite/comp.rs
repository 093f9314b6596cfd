//! Comp as payroll receives it (issue 23): comp.csv's columns, currencies without minor
//! units, counts not written like money, evidence naming the file it came from. Expected
//! figures are worked out in each fixture's README.

use std::path::Path;

use crate::util::{baton, fixture};

fn build(project: &Path, out: &Path) {
    let o = baton(
        project,
        &["build", "--output", out.to_str().expect("utf-8"), "--quiet"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("&#x2F;", "/")
}

/// comp.csv's rows as maps from column to cell.
fn rows(csv: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header = rdr.headers().expect("header").clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("row");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn yen_statements_have_no_decimals_and_counts_are_not_money() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    build(&fixture("comp-yen"), &out);
    let csv = read(out.join("comp.csv"));
    let rows = rows(&csv);
    let paid = |rep: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r["rep_id"] == rep)
            .map(|r| r["payout"].as_str())
            .collect()
    };
    // README: s1 20,833 + 20,833 + 5,000; s2 0 + 20,833 − 833; in whole yen.
    assert_eq!(paid("s1"), ["20833", "20833", "5000"]);
    assert_eq!(paid("s2"), ["0", "20833", "-833"]);
    assert!(rows
        .iter()
        .filter(|r| r["status"] != "no_plan")
        .all(|r| r["currency"] == "JPY"));
    // The payroll id byte for byte, even where it looks like a formula: it is an id.
    assert!(
        csv.contains("\ns1,=HR-001,Sam Diaz,SDR yen,2026-10,"),
        "{csv}"
    );
    // b1, a1 and a2 have no plan: listed, with no amounts (unknown, not 0).
    let no_plan: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["status"] == "no_plan")
        .map(|r| (r["rep_id"].as_str(), r["payroll_id"].as_str()))
        .collect();
    assert_eq!(no_plan, [("a1", "HR-004"), ("a2", ""), ("b1", "")]);
    for r in rows.iter().filter(|r| r["status"] == "no_plan") {
        for c in ["plan", "variable_target", "target", "payout"] {
            assert_eq!(r[c], "", "{c} of {r:?}");
        }
        assert_eq!(
            (r["window_start"].as_str(), r["window_end"].as_str()),
            ("2026-10-01", "2026-10-31")
        );
    }

    let page = read(out.join("sdr/s1.html"));
    assert!(page.contains("<strong>¥46,666</strong>"), "{page}");
    assert!(page.contains("<td class=\"num\">¥20,833</td>"), "{page}");
    assert!(!page.contains("¥20,833.00"), "{page}");
    // Targets of 100 points and 2 meetings, actuals 50 and 1: counts, not "2.00".
    assert!(
        page.contains("<td class=\"num\">2</td>\n  <td class=\"num\">1</td>"),
        "{page}"
    );
    assert!(!page.contains("2.00"), "{page}");
    // Activities came from the roll-up, and the evidence says so.
    assert!(
        page.contains("30 dials, 0 prospects = 30 points (data/activity_daily.csv)"),
        "{page}"
    );
    assert!(!page.contains("data/activities.csv"), "{page}");
    let comp = read(out.join("comp.html"));
    // The plan table shows the meetings' curve as comp.yaml gives it.
    assert!(
        comp.contains("1.5× from 100%, 2× from 150% (retroactive)"),
        "{comp}"
    );
    assert!(comp.contains("(decelerator 0.5× below 50%)"), "{comp}");
    // ...and draws each component's curve.
    assert!(
        comp.contains("<title id=\"curve-1-title\">Payout curve of SDR yen</title>"),
        "{comp}"
    );
    // s1 46,666 + s2 20,000 = 66,666.
    assert!(comp.contains("¥66,666"), "{comp}");
    assert!(!comp.contains("¥66,666.00"), "{comp}");
}

#[test]
fn manual_adjustments_show_their_reason_and_row() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    build(&fixture("comp-yen"), &out);
    let csv = read(out.join("comp.csv"));
    let rows = rows(&csv);
    let manual: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .filter(|r| r["component"] == "manual")
        .map(|r| {
            (
                r["rep_id"].as_str(),
                r["payout"].as_str(),
                r["source"].as_str(),
                r["reason"].as_str(),
            )
        })
        .collect();
    // Free text is defused only where it starts a cell; this reason starts with the component.
    assert_eq!(
        manual,
        [
            (
                "s1",
                "5000",
                "data/adjustments.csv:2",
                "October call-blitz winner, 1st place"
            ),
            (
                "s2",
                "-833",
                "data/adjustments.csv:3",
                "accepted_meetings: =meeting L4 counted twice"
            ),
        ]
    );
    let page = read(out.join("sdr/s2.html"));
    assert!(
        page.contains(
            "accepted_meetings: =meeting L4 counted twice <small>(data/adjustments.csv:3)</small>"
        ),
        "{page}"
    );
    assert!(page.contains("<strong>¥20,000</strong>"), "{page}");
}

#[test]
fn every_bad_adjustment_stops_the_build_at_its_cell() {
    let project = crate::util::copy_fixture("comp-yen");
    let root = project.path();
    std::fs::write(
        root.join("data/adjustments.csv"),
        "rep_id,period,amount,reason,component\n\
         s1,2026-10,12.5,half a yen,\n\
         zz,2026-10,100,who,\n\
         s1,October,100,when,\n\
         s1,2026-10,100,,\n\
         s1,2026-10,abc,what,\n\
         s1,2026-10,0,nothing,\n\
         s1,2026-10,100,which,bonus_points\n",
    )
    .expect("write");
    let o = baton(root, &["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    for expected in [
        "data/adjustments.csv:2:3: error: amount: 12.5 has more decimals than JPY has (0)",
        "data/adjustments.csv:3:1: error: rep_id: unknown rep \"zz\"",
        "data/adjustments.csv:4:2: error: period: \"October\" is not a month",
        "data/adjustments.csv:5:4: error: reason: is empty but required",
        "data/adjustments.csv:6:3: error: amount: \"abc\" is not a number",
        "data/adjustments.csv:7:3: error: amount: is 0",
        "data/adjustments.csv:8:5: error: component: unknown component \"bonus_points\"",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
}

#[test]
fn each_statement_has_a_printable_page_in_plain_words() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    build(&fixture("comp-yen"), &out);
    // The figures are worked out in tests/fixtures/comp-yen/README.md, "Statement pages".
    let s1 = read(out.join("statement/s1--2026-10.html"));
    assert!(s1.contains("<dd>final</dd>"), "{s1}");
    assert!(s1.contains("<dt>Pay date</dt><dd>2026-11-25</dd>"), "{s1}");
    assert!(s1.contains("<dd>SDR yen</dd>"), "{s1}");
    // The plan's label, escaped; the default plain-words name; never the metric id.
    assert!(s1.contains("Dials &amp; new prospects"), "{s1}");
    assert!(s1.contains("Meetings accepted by the AE"), "{s1}");
    assert!(!s1.contains(">activity_points"), "{s1}");
    assert!(!s1.contains(">accepted_meetings"), "{s1}");
    assert!(
        s1.contains("50 more (100 in all) would have reached 100% of target, which paid ¥41,667"),
        "{s1}"
    );
    assert!(
        s1.contains("1 more (2 in all) would have reached 100% of target, which paid ¥41,667"),
        "{s1}"
    );
    assert!(s1.contains("<dt>Year to date</dt><dd>¥46,666 "), "{s1}");
    let s2 = read(out.join("statement/s2--2026-10.html"));
    assert!(
        s2.contains("3 more (28 in all) would have reached the 50% threshold, which paid ¥11,667"),
        "{s2}"
    );
    assert!(s2.contains("<dt>Year to date</dt><dd>¥20,000 "), "{s2}");
    // Linked from the rep's page and from comp.html.
    let rep = read(out.join("sdr/s1.html"));
    assert!(
        rep.contains("href=\"../statement/s1--2026-10.html\""),
        "{rep}"
    );
    let comp = read(out.join("comp.html"));
    assert!(
        comp.contains("href=\"statement/s2--2026-10.html\""),
        "{comp}"
    );
}

/// tests/fixtures/comp-manager/README.md: a manager paid on the pod's accepted meetings and
/// won revenue (`scope: pod` in comp.yaml), 900.00 + 860.00.
#[test]
fn a_manager_is_paid_on_the_pods_meetings_and_revenue() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let o = baton(
        &fixture("comp-manager"),
        &[
            "build",
            "--output",
            out.to_str().expect("utf-8"),
            "--period",
            "2026-10",
            "--as-of",
            "2026-10-31",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = rows(&read(out.join("comp.csv")));
    let m1: Vec<[&str; 4]> = rows
        .iter()
        .filter(|r| r["rep_id"] == "m1")
        .map(|r| {
            [
                r["component"].as_str(),
                r["actual"].as_str(),
                r["factor"].as_str(),
                r["payout"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        m1,
        [
            ["accepted_meetings", "3", "0.75", "900.00"],
            ["won_amount", "21000", "1.075", "860.00"]
        ]
    );
    let page = read(out.join("statement/m1--2026-10.html"));
    assert_eq!(page.matches("measured for pod East as a whole").count(), 2);
    assert!(page.contains("$1,760.00"), "{page}");
    let comp = read(out.join("comp.html"));
    assert!(comp.contains("(accepted_meetings, pod level)"), "{comp}");
}
