//! The extras as a person uses them, through the real binary: the e-mail digest, the SDR × AE
//! matrix, sanity gates, snapshots and the history page, clawbacks on the site, and the
//! single-file export.

use std::path::Path;

use crate::util::{append, baton, copy_fixture, hrefs};

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = baton(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "baton {args:?} failed:\n{stderr}");
    stderr
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Nothing in the page makes a reader load anything.
fn assert_loads_nothing(html: &str) {
    for needle in [
        "<link",
        " src=",
        "url(",
        "@import",
        "<script",
        "<img",
        "<iframe",
        "<svg",
        "xlink:href",
    ] {
        assert!(!html.contains(needle), "the digest contains {needle:?}");
    }
}

#[test]
fn the_digest_is_self_contained_and_links_back_into_the_site() {
    let project = copy_fixture("small");
    let root = project.path();
    ok(root, &["build"]);
    let out = root.join("output");
    let digest = read(out.join("digest.html"));
    assert_loads_nothing(&digest);
    assert!(digest.contains("<style>") && digest.contains("prefers-color-scheme: dark"));
    // Mail clients strip or ignore SVG: the bars are table cells, and the page fits 600 px.
    assert!(!digest.contains("<svg"), "the digest draws with SVG");
    assert!(digest.contains("max-width: 600px"));
    // The funnel with its change (hand-counted in tests/suite/metrics.rs): 7 booked, +6 on
    // September's 1; show rate 80% (4/5).
    assert!(digest.contains("Meetings booked (hand-offs)</th><td class=\"num\">7</td>"));
    // The summary sentence comes first, and the Held bar is 4/7 = 57% of the Booked one.
    let summary = digest
        .find("class=\"summary\">2026-10: 7 meetings booked, 4 held (show rate 80%, 4&#x2F;5)");
    let acting = digest.find("The brief");
    assert!(summary.is_some() && summary < acting, "{digest}");
    let bars = &digest[digest
        .find("<table class=\"bars\"")
        .expect("the funnel bars")..];
    let held_bar = bars.find("<th scope=\"row\">Held</th><td class=\"num\">4</td>");
    let held_bar = &bars[held_bar.expect("the Held bar")..];
    assert!(held_bar[..held_bar.find("</tr>").unwrap()].contains("style=\"width: 57%\""));
    assert!(digest.contains("Links are relative to the report folder"));
    // September's 1 is not compared: the data starts on 2026-09-15, so September is partial
    // and October whole (issue 20, section 3; tests/suite/periods.rs).
    assert!(!digest.contains("▲ +6"));
    assert!(digest.contains("not comparable"));
    assert!(digest.contains("Compared with 2026-09 at the same age (data from 2026-09-15)"));
    assert!(digest.replace("&#x2F;", "/").contains("80% (4/5)"));
    // Warm versus cold with the verdict, and the top finding (the SLA alert's hand-offs).
    assert!(digest.contains("cannot tell yet"));
    assert!(digest.contains("2 of 7 hand-offs missed the 24 h follow-up SLA (1 never followed up)"));
    // Without base_url, every link is relative and leads to a page of the site.
    let links = hrefs(&digest);
    assert!(links.len() >= 8, "{links:?}");
    for href in &links {
        let file = href.split('#').next().unwrap_or_default();
        assert!(out.join(file).is_file(), "digest links to missing {href}");
    }
    // With base_url, every link goes under it.
    append(
        root.join("playbook/site.yaml"),
        "base_url: https://reports.example.com/baton/\n",
    );
    ok(root, &["build"]);
    let digest = read(out.join("digest.html"));
    assert_loads_nothing(&digest);
    assert!(!digest.contains("Links are relative to the report folder"));
    let links = hrefs(&digest);
    assert!(links.contains(&"https://reports.example.com/baton/review/2026-10.html".to_string()));
    for href in links {
        assert!(
            href.starts_with("https://reports.example.com/baton/"),
            "{href} is not under the base URL"
        );
    }
}

/// A rate as pages print it, from metrics.json's {value, num, den}.
fn rate_text(r: &serde_json::Value) -> String {
    match r["value"].as_f64() {
        Some(v) => format!("{}% ({}/{})", (v * 100.0).round(), r["num"], r["den"]),
        None => format!("n/a ({}/{})", r["num"], r["den"]),
    }
}

#[test]
fn matrix_cells_equal_metrics_json() {
    let project = copy_fixture("small");
    ok(project.path(), &["build"]);
    let out = project.path().join("output");
    let html = read(out.join("matrix.html")).replace("&#x2F;", "/");
    let m: serde_json::Value = serde_json::from_str(&read(out.join("metrics.json"))).expect("json");
    let pairs = m["current"]["pairs"].as_array().expect("pairs");
    assert_eq!(html.matches("class=\"matrix-cell\"").count(), pairs.len());
    for pair in pairs {
        let id = format!(
            "id=\"cell-{}--{}\"",
            pair["sdr"].as_str().expect("sdr"),
            pair["ae"].as_str().expect("ae")
        );
        let start = html.find(&id).unwrap_or_else(|| panic!("no cell {id}"));
        let cell = &html[start..start + html[start..].find("</td>").expect("cell end")];
        let booked = pair["meetings_booked"].as_u64().expect("booked");
        let plural = if booked == 1 { "" } else { "s" };
        for want in [
            format!(">{booked} hand-off{plural}</a>"),
            format!("Show {}", rate_text(&pair["show_rate"])),
            format!("Accepted {}", rate_text(&pair["acceptance_rate"])),
            format!("Hand-offs won {}", pair["won"]),
        ] {
            assert!(cell.contains(&want), "{id}: {want:?} not in {cell}");
        }
        // Every rate of the small fixture is under min_sample 10: greyed.
        assert!(cell.contains("mx-rate small-sample"), "{id} not greyed");
    }
    // Sam Diaz and Alex Kim: L2 was held and rejected as a poor fit (hand-counted).
    let s1 = &html[html.find("id=\"cell-s1--a1\"").expect("s1-a1")..];
    assert!(s1[..s1.find("</td>").expect("end")].contains("<li>Poor fit ×1</li>"));
    // Linked from the pods page and the dashboard.
    assert!(read(out.join("pods.html")).contains("href=\"matrix.html\""));
    assert!(read(out.join("index.html")).contains("href=\"matrix.html\""));
}

#[test]
fn gates_warn_by_default_and_stop_the_build_as_errors() {
    let project = copy_fixture("small");
    let root = project.path();
    // M3 (lead L2, handed off on 6 October) held on 5 October.
    let meetings = read(root.join("data/meetings.csv"))
        .replace("M3,L2,2026-10-08T15:00:00Z", "M3,L2,2026-10-05T15:00:00Z");
    std::fs::write(root.join("data/meetings.csv"), meetings).expect("write");
    let finding = "data/meetings.csv:4: warning: meeting M3 of lead L2 was held at 2026-10-05 15:00, before its hand-off at 2026-10-06 09:00 (data/handoffs.csv:3) (sanity gate `meeting_before_handoff`)";
    let stderr = ok(root, &["build"]);
    assert!(stderr.contains(finding), "{stderr}");
    let published = read(root.join("output/index.html"));
    let strict = baton(root, &["check", "--deny-warnings"]);
    assert_eq!(strict.status.code(), Some(1));
    // As an error the build fails and the published site stays as it was.
    std::fs::write(
        root.join("playbook/gates.yaml"),
        "meeting_before_handoff: error\n",
    )
    .expect("write");
    let failed = baton(root, &["build"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr)
        .contains(&finding.replace(": warning: ", ": error: ")));
    assert_eq!(read(root.join("output/index.html")), published);
    // Off: not checked at all.
    std::fs::write(
        root.join("playbook/gates.yaml"),
        "meeting_before_handoff: off\n",
    )
    .expect("write");
    let stderr = ok(root, &["check"]);
    assert!(!stderr.contains("sanity gate"), "{stderr}");
}

#[test]
fn two_snapshots_make_a_trend_and_a_playbook_change_is_marked() {
    let project = copy_fixture("small");
    let root = project.path();
    let stderr = ok(root, &["build", "--snapshot", "--period", "2026-09"]);
    assert!(stderr.contains("snapshot of period 2026-09 written to history/2026-09.json"));
    // The snapshot is metrics.json plus the playbook's fingerprint.
    let snap: serde_json::Value =
        serde_json::from_str(&read(root.join("history/2026-09.json"))).expect("json");
    let metrics: serde_json::Value =
        serde_json::from_str(&read(root.join("output/metrics.json"))).expect("json");
    assert_eq!(snap["current"], metrics["current"]);
    assert_eq!(snap["definitions_version"], 1);
    let fp = snap["playbook_fingerprint"].as_str().expect("fingerprint");
    assert!(fp.starts_with("fnv1a64:"), "{fp}");
    // The playbook changes (a 48-hour SLA), then October is kept too.
    std::fs::write(root.join("playbook/handoff.yaml"), "sla_hours: 48\n").expect("write");
    ok(root, &["build", "--snapshot", "--period", "2026-10"]);
    let october: serde_json::Value =
        serde_json::from_str(&read(root.join("history/2026-10.json"))).expect("json");
    assert_ne!(october["playbook_fingerprint"].as_str(), Some(fp));
    // A later build draws both snapshots and its own period, and marks the change.
    ok(
        root,
        &["build", "--period", "2026-11", "--as-of", "2026-11-30"],
    );
    let history = read(root.join("output/history.html")).replace("&#x2F;", "/");
    for row in [
        "<th scope=\"row\">2026-09</th><td><code>history/2026-09.json</code></td><td class=\"num\">1</td>",
        "<th scope=\"row\">2026-10</th><td><code>history/2026-10.json</code></td><td class=\"num\">7</td>",
        "<th scope=\"row\">2026-11</th><td>this build</td>",
    ] {
        assert!(history.contains(row), "missing {row}");
    }
    assert_eq!(history.matches("class=\"history-change\"").count(), 1);
    assert!(
        history.contains("<strong>A</strong> · Between 2026-09 and 2026-10: the playbook changed")
    );
    assert_eq!(history.matches("<svg role=\"img\"").count(), 2);
    // Numbers are shown as reported, never recomputed: an edited snapshot shows its edit.
    // Edited as JSON: the key order of metrics.json is not the test's business (without
    // leads.csv, lead figures are unavailable and the report is written key-sorted).
    let mut snap: serde_json::Value =
        serde_json::from_str(&read(root.join("history/2026-09.json"))).expect("json");
    assert_eq!(snap["current"]["team"]["meetings_booked"], 1);
    snap["current"]["team"]["meetings_booked"] = 99.into();
    let edited = serde_json::to_string_pretty(&snap).expect("json");
    std::fs::write(root.join("history/2026-09.json"), edited).expect("write");
    ok(
        root,
        &["build", "--period", "2026-11", "--as-of", "2026-11-30"],
    );
    let history = read(root.join("output/history.html")).replace("&#x2F;", "/");
    assert!(history.contains("<code>history/2026-09.json</code></td><td class=\"num\">99</td>"));
    // A broken snapshot is left out with a warning naming it.
    std::fs::write(root.join("history/2026-08.json"), "{").expect("write");
    let stderr = ok(
        root,
        &["build", "--period", "2026-11", "--as-of", "2026-11-30"],
    );
    assert!(
        stderr.contains("history/2026-08.json: warning: not valid JSON"),
        "{stderr}"
    );
    // A snapshot of pseudonyms would poison the history.
    let refused = baton(root, &["build", "--snapshot", "--anonymize"]);
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn a_reversed_deal_is_clawed_back_on_the_next_statement_of_the_site() {
    let project = copy_fixture("small");
    let root = project.path();
    // a1 won O7 (4,000, no SDR) on 10 September; it was reversed on 2 October.
    let opps = read(root.join("data/opportunities.csv"));
    let mut lines: Vec<String> = opps.lines().map(|l| format!("{l},")).collect();
    lines[0] = format!("{}reversed_at", lines[0]);
    lines.push("O7,,a1,2026-09-01T12:00:00Z,4000.00,2026-09-10,won,,2026-10-02".into());
    std::fs::write(root.join("data/opportunities.csv"), lines.join("\n") + "\n").expect("write");
    std::fs::write(
        root.join("playbook/comp.yaml"),
        "plans:\n  - name: AE revenue\n    roles: [ae]\n    effective_from: 2026-01-01\n    base_salary: 90000\n    annual_variable: 12000\n    payout_period: monthly\n    clawback_days: 60\n    components:\n      - metric: won_amount\n        category: revenue\n        weight: 1\n        target: 5000\n",
    )
    .expect("write");
    ok(root, &["build"]);
    let out = root.join("output");
    // September paid 4,000 / 5,000 = 0.8 → 1,000 × 0.8 = 800.00, nothing without O7: the
    // October statement claws back 800.00. October: O4 3,000 + O1 5,000 = 8,000 / 5,000 = 1.6
    // → 1 + 0.6 × 1.5 = 1.9 → 1,900.00; total 1,900.00 − 800.00 = 1,100.00. The variable
    // target is 12,000 / 12 = 1,000 for all 31 days; the month is over at as_of: final.
    let csv = read(out.join("comp.csv"));
    let a1: Vec<&str> = csv.lines().filter(|l| l.starts_with("a1,")).collect();
    assert_eq!(
        a1,
        [
            "a1,,Alex Kim,AE revenue,2026-10,2026-10-01,2026-10-31,31,31,31,final,2026-10-31,USD,1000,won_amount,rep,1,5000,8000,1.6,accelerated,1.9,1900.00,,",
            "a1,,Alex Kim,AE revenue,2026-10,2026-10-01,2026-10-31,31,31,31,final,2026-10-31,USD,1000,clawback,,,,,,,,-800.00,data/opportunities.csv:8,\"clawback: opportunity O7 won 2026-09-10 for 4000.00 was reversed on 2026-10-02, 22 days later (plan `AE revenue` claws back within 60 days); its 2026-09 statement paid won_amount 800.00 → 0.00 without it\"",
        ]
    );
    let page = read(out.join("ae/a1.html")).replace("&#x2F;", "/");
    assert!(page.contains("opportunity O7 won 2026-09-10 for 4000.00 was reversed on 2026-10-02"));
    assert!(
        page.contains("data/opportunities.csv:8"),
        "linked to the deal's line"
    );
    assert!(page.contains("-$800.00") && page.contains("$1,100.00"));
}

#[test]
fn export_writes_one_self_contained_page() {
    let project = copy_fixture("small");
    let root = project.path();
    ok(root, &["build"]);
    let stderr = ok(root, &["export", "sdr/s1.html", "-o", "s1.html"]);
    assert!(stderr.contains("export ok: s1.html written"), "{stderr}");
    let page = read(root.join("s1.html"));
    assert!(!page.contains("rel=\"stylesheet\"") && !page.contains(" src="));
    // The stylesheet, dark mode included, and the charts are in the file.
    assert!(page.contains("<style>") && page.contains("@media (prefers-color-scheme: dark)"));
    assert!(page.contains("<svg role=\"img\""));
    ok(
        root,
        &[
            "export",
            "sdr/s1.html",
            "-o",
            "abs.html",
            "--base-url",
            "https://reports.example.com/baton",
        ],
    );
    let abs = read(root.join("abs.html"));
    assert!(abs.contains("href=\"https://reports.example.com/baton/index.html\""));
    for bad in ["../data/reps.csv", "missing.html"] {
        let out = baton(root, &["export", bad, "-o", "x.html"]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
}
