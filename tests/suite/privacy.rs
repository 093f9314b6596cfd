//! Who sees pay (issue 23, "Privacy"): site.yaml's `comp: {publish}` and `baton export
//! --statements`. The amounts searched for are worked out in
//! tests/fixtures/comp-privacy/README.md: a1 is paid $6,755.00, a2 $3,665.00, a3
//! $8,165.00, the team $18,585.00.

use std::path::Path;

use crate::util::{append, baton, copy_fixture};

/// Each rep's pay as pages (`3,085.00`) and comp.csv (`3085.00`) write it.
const PAY: [&str; 6] = ["6,755", "6755", "3,665", "3665", "8,165", "8165"];

const BUILD: [&str; 6] = [
    "--period",
    "2026-10",
    "--as-of",
    "2026-10-31",
    "--quiet",
    "--root",
];

fn run(project: &Path, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(BUILD);
    all.push(".");
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

/// The fixture with `comp: {publish: <publish>}` in site.yaml (none added for `None`), built.
fn built(publish: Option<&str>) -> tempfile::TempDir {
    let tmp = copy_fixture("comp-privacy");
    if let Some(p) = publish {
        append(
            tmp.path().join("playbook/site.yaml"),
            &format!("comp:\n  publish: {p}\n"),
        );
    }
    ok(tmp.path(), &["build"]);
    tmp
}

/// Every file under `dir` (relative, `/`-separated) holding one of `needles`, with it.
fn files_with(dir: &Path, needles: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.expect("walk");
        if !e.file_type().is_file() {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(e.path()).expect("read")).into_owned();
        let rel = e.path().strip_prefix(dir).expect("inside");
        for n in needles {
            if text.contains(n) {
                out.push((rel.to_string_lossy().replace('\\', "/"), n.to_string()));
            }
        }
    }
    out.sort();
    out
}

fn names(found: &[(String, String)]) -> Vec<&str> {
    let mut v: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    v.dedup();
    v
}

#[test]
fn individual_the_default_shows_each_reps_pay() {
    let tmp = built(None);
    let out = tmp.path().join("output");
    assert_eq!(
        names(&files_with(&out, &PAY)),
        [
            "ae/a1.html",
            "ae/a2.html",
            "ae/a3.html",
            "comp.csv",
            "comp.html",
            "plans/ae-monthly.html",
            "statement/a1--2026-10.html",
            "statement/a2--2026-10.html",
            "statement/a3--2026-10.html"
        ]
    );
    // The same as saying so.
    let explicit = built(Some("individual"));
    assert_eq!(
        files_with(&explicit.path().join("output"), &PAY),
        files_with(&out, &PAY)
    );
}

#[test]
fn team_shows_the_plans_and_the_teams_total_and_no_reps_pay() {
    let tmp = built(Some("team"));
    let out = tmp.path().join("output");
    assert_eq!(files_with(&out, &PAY), []);
    assert!(!out.join("comp.csv").exists());
    assert!(!out.join("statement").exists());
    let comp = std::fs::read_to_string(out.join("comp.html")).expect("comp.html");
    assert!(comp.contains("total variable pay of the team <strong>$18,585.00</strong>, over 3 statements of 3 reps"), "{comp}");
    // The plan itself is still there, with its what-if table.
    assert!(comp.contains("<h3 id=\"plan-1\">AE monthly</h3>"));
    assert!(!comp.contains("Alex Kim") && !comp.contains("Blake Ruiz"));
    // The plan page's worked example is a rep at target, not one of the team.
    let plan = std::fs::read_to_string(out.join("plans/ae-monthly.html")).expect("plan page");
    assert!(
        plan.contains("a rep exactly at target for a whole month"),
        "{plan}"
    );
    assert!(
        plan.contains("Total: $5,000.00 = <strong>$5,000.00</strong>."),
        "{plan}"
    );
    let rep = std::fs::read_to_string(out.join("ae/a1.html")).expect("rep page");
    assert!(rep.contains("Statements are delivered to each rep privately"));
    // Nothing links to a page that is not there.
    // (Tera writes the `/` of a link as `&#x2F;`.)
    assert_eq!(
        files_with(&out, &["statement/", "statement&#x2F;", "comp.csv"]),
        []
    );
}

#[test]
fn none_shows_no_comp_at_all() {
    let tmp = built(Some("none"));
    let out = tmp.path().join("output");
    assert_eq!(files_with(&out, &PAY), []);
    for f in ["comp.html", "comp.csv", "statement", "plans"] {
        assert!(!out.join(f).exists(), "{f}");
    }
    // No link to comp anywhere (navigation, playbook index, digest).
    assert_eq!(files_with(&out, &["comp.html", "comp.csv"]), []);
}

#[test]
fn export_writes_one_self_contained_statement_per_rep_and_refuses_a_folder_not_its_own() {
    let tmp = built(Some("team"));
    let dir = tmp.path().join("private");
    ok(tmp.path(), &["export", "--statements", "private"]);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ".baton-site",
            "a1--2026-10.html",
            "a2--2026-10.html",
            "a3--2026-10.html",
            "comp.csv"
        ]
    );
    // Each rep's pay in their own file only (and in comp.csv, for payroll).
    assert_eq!(
        files_with(&dir, &["6,755.00", "3,665.00", "8,165.00"]),
        [
            ("a1--2026-10.html".to_string(), "6,755.00".to_string()),
            ("a2--2026-10.html".to_string(), "3,665.00".to_string()),
            ("a3--2026-10.html".to_string(), "8,165.00".to_string())
        ]
    );
    let a1 = std::fs::read_to_string(dir.join("a1--2026-10.html")).expect("a1");
    assert!(
        a1.contains("<style>") && a1.contains(".statement"),
        "stylesheet inline"
    );
    for bad in ["<script", "href=", "src=", "<link"] {
        assert!(!a1.contains(bad), "{bad} in {a1}");
    }
    let csv = std::fs::read_to_string(dir.join("comp.csv")).expect("comp.csv");
    assert!(csv.contains("6755.00") && csv.contains("3665.00") && csv.contains("8165.00"));
    // Again over its own files: replaced.
    ok(tmp.path(), &["export", "--statements", "private"]);
    // A file it did not write: refused (usage, exit code 2), the file kept.
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");
    let o = run(tmp.path(), &["export", "--statements", "private"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("notes.txt"));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).expect("kept"),
        "mine"
    );
    // Inside the shared site: refused.
    let o = run(tmp.path(), &["export", "--statements", "output/private"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("output/private").exists());
    // Inside a site built with another --output, or inside another export: refused too (the
    // next build there would replace the folder, statements and all).
    ok(tmp.path(), &["build", "--output", "public"]);
    for inside in ["public/pay", "private/again"] {
        let o = run(tmp.path(), &["export", "--statements", inside]);
        assert_eq!(o.status.code(), Some(2), "{inside}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("a folder Baton writes as a whole"), "{err}");
        assert!(!tmp.path().join(inside).exists(), "{inside}");
    }
}

#[test]
fn the_plan_page_works_the_median_reps_month_line_by_line() {
    let tmp = built(None);
    let plan = std::fs::read_to_string(tmp.path().join("output/plans/ae-monthly.html"))
        .expect("plan page");
    // The median of 3,665.00 (a2), 6,755.00 (a1) and 8,165.00 (a3): a1.
    for part in [
        "Alex Kim (a1), 2026-10: the median total of this plan&#x27;s 3 statements covering a whole payout period in this build.",
        "Variable pay of the period: 5,000 × 31 &#x2F; 31 days of 2026-10 = 5,000.",
        "target $10,000.00, actual $12,340.00. Attainment $12,340.00 &#x2F; $10,000.00 = 123.4%; accelerated: 1 + (1.234 − 1) × 1.5 = 1.351.",
        "5,000 × 1 × 1.351 = 6,755 → $6,755.00.",
        "Total: $6,755.00 = <strong>$6,755.00</strong>, the total of that statement.",
    ] {
        assert!(plan.contains(part), "{part} not in {plan}");
    }
    // Linked from the comp page.
    let comp = std::fs::read_to_string(tmp.path().join("output/comp.html")).expect("comp");
    assert!(comp.contains("plans&#x2F;ae-monthly.html"), "{comp}");
}

/// At an accelerator of 1 the step above target pays its attainment: the plan page's
/// worked example does not call it accelerated, as the statement does not. By hand: a1's
/// attainment is 12,340 / 10,000 = 1.234, the factor 1.234, the pay 5,000 × 1.234 = 6,170;
/// a2 3,665 (0.733) and a3 5,000 × 1.422 = 7,110 keep a1 the median.
#[test]
fn the_plan_page_does_not_call_an_accelerator_of_one_accelerated() {
    let tmp = copy_fixture("comp-privacy");
    append(
        tmp.path().join("playbook/comp.yaml"),
        "        curve: { threshold: 0.5, accelerator: 1.0, cap: 2.0 }\n",
    );
    ok(tmp.path(), &["build"]);
    let plan = std::fs::read_to_string(tmp.path().join("output/plans/ae-monthly.html"))
        .expect("plan page");
    for part in [
        "Alex Kim (a1), 2026-10",
        "Attainment $12,340.00 &#x2F; $10,000.00 = 123.4%; above target, pays its attainment: factor 1.234.",
        "5,000 × 1 × 1.234 = 6,170 → $6,170.00.",
    ] {
        assert!(plan.contains(part), "{part} not in {plan}");
    }
    assert!(!plan.contains("accelerated"), "{plan}");
}
