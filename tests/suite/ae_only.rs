//! Issue 21, "Teams without SDRs": a project with an opportunities export and no hand-offs
//! export builds; hand-off figures are "not exported" with the export that would fill them;
//! the AE list ranks on win rate by close date. `tests/fixtures/ae-only/README.md` works the
//! figures out by hand.

use crate::util::{baton, copy_fixture};

fn text(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            _ if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x2F;", "/")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_pipeline_export_without_hand_offs_builds() {
    let dir = copy_fixture("ae-only");
    let out = baton(dir.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let site = dir.path().join("output");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(m["period"], "2026-10");
    assert_eq!(m["as_of"], "2026-11-03T23:59:59Z");
    // Hand-off figures are unknown, never 0.
    let team = &m["current"]["team"];
    for k in [
        "meetings_booked",
        "acceptance_rate",
        "sla_breach_rate",
        "ae_decision_hours_median",
    ] {
        assert!(team[k].is_null(), "{k}");
        assert!(
            m["unavailable"][k]
                .as_str()
                .unwrap()
                .contains("no hand-offs export"),
            "{k}"
        );
    }
    // The AE's side of the deal, as the README works it out.
    let cur = &m["current"];
    type Row<'a> = (
        &'a serde_json::Value,
        u64,
        u64,
        Option<&'a str>,
        u64,
        &'a str,
    );
    let rows: [Row; 6] = [
        (&cur["team"], 3, 4, Some("2333.33"), 3, "2300.50"),
        (&cur["aes"]["a1"], 2, 3, Some("1500.00"), 0, "0"),
        (&cur["aes"]["a2"], 1, 1, Some("4000.00"), 1, "750.50"),
        (&cur["aes"]["a3"], 0, 0, None, 2, "1550.00"),
        (&cur["pods"]["East"], 3, 4, Some("2333.33"), 1, "750.50"),
        (&cur["pods"]["West"], 0, 0, None, 2, "1550.00"),
    ];
    for (e, won, closed, avg, open, amount) in rows {
        assert_eq!(e["closed_win_rate"]["num"], won, "{e}");
        assert_eq!(e["closed_win_rate"]["den"], closed, "{e}");
        match avg {
            Some(a) => assert_eq!(e["avg_won_deal_amount"], a, "{e}"),
            None => assert!(e["avg_won_deal_amount"].is_null(), "{e}"),
        }
        assert_eq!(e["open_pipeline"], open, "{e}");
        let amt: f64 = e["open_pipeline_amount"].as_str().unwrap().parse().unwrap();
        assert_eq!(amt, amount.parse::<f64>().unwrap(), "{e}");
    }
    let near = |v: &serde_json::Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
    assert!(near(&cur["team"]["sales_cycle_days_median"], 24.0));
    assert!(near(&cur["team"]["sales_cycle_days_p90"], 32.0));
    assert!(near(&cur["aes"]["a1"]["sales_cycle_days_median"], 22.0));
    assert!(near(&cur["aes"]["a1"]["sales_cycle_days_p90"], 31.6));
    let prev = &m["previous"]["team"];
    assert_eq!(prev["open_pipeline"], 2);
    assert_eq!(prev["open_pipeline_amount"], "1300.00");

    // The AE list ranks on what exists.
    let aes = text(&std::fs::read_to_string(site.join("aes.html")).unwrap());
    assert!(
        aes.contains("Ranked by win rate by close date, since follow-up within the SLA cannot be given (no hand-offs export (handoffs.csv)"),
        "{aes}"
    );
    assert!(aes.contains("1 Alex Kim East 2 67% (2/3)"), "{aes}");
    assert!(aes.contains("— Jo Park East 1 100% (1/1)"), "{aes}");
    assert!(aes.contains("— Lee Chan West 0 n/a (0/0)"), "{aes}");
    // The hand-offs page says which export fills it instead of "0 hand-offs".
    let handoffs = text(&std::fs::read_to_string(site.join("handoffs.html")).unwrap());
    assert!(
        handoffs.contains("no hand-offs export (handoffs.csv"),
        "{handoffs}"
    );
    assert!(!handoffs.contains("0 hand-offs"), "{handoffs}");
}

#[test]
fn a_project_with_neither_hand_offs_nor_opportunities_is_refused() {
    let dir = copy_fixture("ae-only");
    std::fs::remove_file(dir.path().join("data/opportunities.csv")).unwrap();
    let out = baton(dir.path(), &["build"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("required export is missing: hand-offs, or opportunities"),
        "{stderr}"
    );
}
