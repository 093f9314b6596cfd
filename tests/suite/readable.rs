//! Issue 22, "Readable everywhere": what a reader finds around every page, as the real binary
//! writes it. (How pages lay out at each width, light and dark, is checked in a browser by
//! `.ci/pages.py`.)

use std::path::Path;

use crate::util::{baton, copy_fixture};

fn build(dir: &Path) {
    let out = baton(dir, &["build"]);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every HTML page under `dir`, relative path (with `/`) → text.
fn pages(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let html = std::fs::read_to_string(e.path()).expect("read");
            (rel, html.replace("&#x2F;", "/"))
        })
        .collect()
}

/// The text of the element between `open` and the next `close`.
fn between<'a>(html: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = html.find(open)? + open.len();
    Some(&html[start..start + html[start..].find(close)?])
}

/// The labels of the links marked `aria-current="page"` in `nav`.
fn current(nav: &str) -> Vec<String> {
    nav.split("aria-current=\"page\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_page_highlights_its_own_tab_and_links_the_reference_pages() {
    let project = copy_fixture("small");
    build(project.path());
    let out = project.path().join("output");
    let pages = pages(&out);
    for page in [
        "matrix.html",
        "history.html",
        "pair/s2--a1.html",
        "data.html",
    ] {
        assert!(pages.iter().any(|(rel, _)| rel == page), "missing {page}");
    }
    for (rel, html) in &pages {
        if rel == "digest.html" {
            continue; // an e-mail: no navigation of the site's own
        }
        // The tab of the section the page belongs to, and no other.
        let tab = match rel.split('/').next().unwrap_or_default() {
            "index.html" => Some("Dashboard"),
            "sdrs.html" | "sdr" => Some("SDRs"),
            "aes.html" | "ae" => Some("AEs"),
            "pods.html" | "pod" => Some("Pods"),
            "matrix.html" | "pair" => Some("Matrix"),
            "handoffs.html" | "handoffs" => Some("Hand-offs"),
            "comp.html" => Some("Comp"),
            "history.html" => Some("History"),
            "playbook" => Some("Playbook"),
            // Pages with no tab of their own: the review packet, the reference pages.
            "review" | "glossary.html" | "data.html" => None,
            other => panic!("{rel}: a page type this test does not know ({other})"),
        };
        let nav = between(html, "<nav aria-label=\"Sections\">", "</nav>")
            .unwrap_or_else(|| panic!("{rel}: no section navigation"));
        let expected: Vec<String> = tab.into_iter().map(String::from).collect();
        assert_eq!(current(nav), expected, "{rel}: highlighted tab");
        // Every footer links the glossary and the data page, marking the one open.
        let footer = between(html, "<footer class=\"site-footer\">", "</footer>")
            .unwrap_or_else(|| panic!("{rel}: no footer"));
        let root = "../".repeat(rel.matches('/').count());
        for (file, label) in [
            ("glossary.html", "Metrics glossary"),
            (
                "data.html",
                "Data quality: every row read, used or rejected",
            ),
        ] {
            assert!(
                footer.contains(&format!("href=\"{root}{file}\"")),
                "{rel}: footer lacks {file}"
            );
            let marked = current(footer).contains(&label.to_string());
            assert_eq!(marked, rel == file, "{rel}: footer marks {file}");
        }
    }
}

/// The warm lift the verdict and the warm/cold chart test is the playbook's `warm_lift_claim`,
/// not a constant. In the small fixture's October cohort (tests/fixtures/small/data):
/// warm L1 held, L3 no-show, L6 held, L7 pending → 2/3; cold L2 held, L4 held, L5 canceled → 2/2.
/// Lift 2/3 ÷ 1 − 1 = −33%; Katz SE = √(1/2 − 1/3 + 1/2 − 1/2) = √(1/6) = 0.4082, so the
/// interval is exp(ln(2/3) ± 1.96 × 0.4082) − 1 = exp(−0.4055 ± 0.8002) − 1 = −70% to +48.4%.
/// Against +40% (the default) it includes 0 and 0.40: "cannot tell yet"; against +50% its
/// high end 0.484 is below the claim: "smaller than +50%". The chart's dashed line over the
/// warm bar: cold 100% × 1.5, capped at 100%.
#[test]
fn the_warm_lift_claim_is_read_from_the_playbook() {
    let project = copy_fixture("small");
    let dir = project.path();
    let verdict = |dir: &Path| {
        let json = std::fs::read(dir.join("output/metrics.json")).expect("metrics.json");
        let m: serde_json::Value = serde_json::from_slice(&json).expect("json");
        m["current"]["team"]["warm_lift_verdict"]
            .as_str()
            .expect("verdict")
            .to_string()
    };
    build(dir);
    assert_eq!(verdict(dir), "cannot tell yet");
    let index = std::fs::read_to_string(dir.join("output/index.html")).expect("index");
    assert!(index.contains("Warm if the playbook&apos;s +40% over cold holds: 100%"));

    std::fs::write(
        dir.join("playbook/handoff.yaml"),
        "# Our playbook claims warm hand-offs show up 50% more often.\nwarm_lift_claim: 0.5\n",
    )
    .expect("write");
    build(dir);
    assert_eq!(verdict(dir), "smaller than +50%");
    let index = std::fs::read_to_string(dir.join("output/index.html")).expect("index");
    assert!(index.contains("Warm if the playbook&apos;s +50% over cold holds: 100%"));
    assert!(index.contains("so our data contradicts the playbook&#x27;s +50%."));

    // A claim of no lift at all is refused, with the file and the key.
    std::fs::write(dir.join("playbook/handoff.yaml"), "warm_lift_claim: 0\n").expect("write");
    let out = baton(dir, &["build"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("handoff.yaml"), "{stderr}");
    assert!(
        stderr.contains("warm_lift_claim must be a lift above 0"),
        "{stderr}"
    );
}

/// The shipped example's history page shows every month its data holds: data/handoffs.csv has
/// hand-offs from May to October 2026, and history/ holds the snapshots of May to September
/// taken at each month's close (`baton build --period 2026-05 --as-of 2026-05-31 --snapshot`,
/// ...), so the page draws six points, five from snapshots and October from this build, with
/// no change of rules between them.
#[test]
fn the_example_history_shows_the_months_its_data_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tmp");
    let dest = out.path().join("site");
    let o = baton(
        root,
        &[
            "build",
            "--output",
            dest.to_str().expect("utf-8"),
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(dest.join("history.html"))
        .expect("history")
        .replace("&#x2F;", "/");
    let periods: Vec<&str> = html
        .split("<tr class=\"")
        .skip(1)
        .filter_map(|r| r.split("<th scope=\"row\">").nth(1))
        .filter_map(|r| r.split('<').next())
        .collect();
    assert_eq!(
        periods,
        ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    );
    for m in ["05", "06", "07", "08", "09"] {
        assert!(html.contains(&format!("<code>history/2026-{m}.json</code>")));
    }
    assert!(!html.contains("class=\"history-change\""), "same rules");
    assert!(!html.contains("No snapshot yet"));
}
