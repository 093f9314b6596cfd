//! Issue 22, item 2: the 1:1 agenda carries forward the notes of the pair's last 1:1 when
//! one_on_ones.csv has a `notes` column (tests/fixtures/one-on-one-notes/README.md has the
//! arithmetic).

use std::path::Path;

use crate::util::{baton, copy_fixture};

fn build(root: &Path, site: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--output",
        site.to_str().expect("utf-8"),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = baton(root, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The block the agenda carries forward (`<div class="carried">` to its `</div>`).
fn carried(site: &Path, pair: &str) -> String {
    let html = std::fs::read_to_string(site.join(format!("pair/{pair}.html"))).expect("pair page");
    let at = html
        .find("<div class=\"carried\">")
        .unwrap_or_else(|| panic!("{pair}: none"));
    let end = at + html[at..].find("</div>").expect("end");
    html[at..end].to_string()
}

#[test]
fn the_agenda_carries_forward_the_last_one_on_one_s_notes() {
    let project = copy_fixture("one-on-one-notes");
    let site = project.path().join("site");
    build(project.path(), &site, &[]);

    // s1–a1: the 10-26 1:1, its 361-character note cut at character 276 with the rest a
    // click away; the CRM's < & > escaped.
    let s1 = carried(&site, "s1--a1");
    assert!(
        s1.contains("<h3>From the last 1:1, 2026-10-26 (30 min)</h3>"),
        "{s1}"
    );
    let line1 = "Agreed: Sam rebooks the L3 no-show &lt;Acme &amp; Co&gt; before Friday.";
    let preview = format!("{line1}\n{}Next\u{2026}", "Next step ".repeat(21));
    assert!(
        s1.contains(&format!("<p class=\"notes\">{preview}</p>")),
        "{s1}"
    );
    let full = format!("{line1}\n{}", "Next step ".repeat(30).trim_end());
    assert!(
        s1.contains(&format!(
            "<details><summary>All notes (361 characters)</summary><p class=\"notes\">{full}</p></details>"
        )),
        "{s1}"
    );
    assert!(
        !s1.contains("Check the notes template"),
        "an older 1:1's notes"
    );

    // s2–a1: its only 1:1 has an empty cell: said so, not shown as nothing.
    let s2 = carried(&site, "s2--a1");
    assert!(
        s2.contains("From the last 1:1, 2026-10-22 (25 min)"),
        "{s2}"
    );
    assert!(s2.contains("No notes were written for it."), "{s2}");

    // b1–a2: untrusted text, escaped; short, so shown whole with no "All notes".
    let b1 = carried(&site, "b1--a2");
    assert!(
        b1.contains("From the last 1:1, 2026-10-21 (30 min)"),
        "{b1}"
    );
    assert!(
        b1.contains("<p class=\"notes\">&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &quot;Budget&quot; first &amp; always</p>"),
        "{b1}"
    );
    assert!(!b1.contains("<script") && !b1.contains("<details>"), "{b1}");

    // As of 2026-10-25, s1–a1's last 1:1 is 10-19: the 10-26 one has not happened yet.
    let early = project.path().join("early");
    build(
        project.path(),
        &early,
        &["--period", "2026-10", "--as-of", "2026-10-25"],
    );
    let s1 = carried(&early, "s1--a1");
    assert!(
        s1.contains("From the last 1:1, 2026-10-19 (32 min)"),
        "{s1}"
    );
    assert!(
        s1.contains("<p class=\"notes\">Check the notes template</p>"),
        "{s1}"
    );
}

#[test]
fn without_a_notes_column_the_agenda_says_the_notes_are_not_exported() {
    // The small fixture's one_on_ones.csv has no notes column: s1–a1's last 1:1 is 10-26
    // (30 min), and what was said there is unknown, not empty.
    let project = copy_fixture("small");
    let site = project.path().join("site");
    build(project.path(), &site, &[]);
    let s1 = carried(&site, "s1--a1");
    assert!(
        s1.contains("From the last 1:1, 2026-10-26 (30 min)"),
        "{s1}"
    );
    assert!(s1.contains("one_on_ones.csv has no notes column"), "{s1}");
    assert!(!s1.contains("No notes were written"), "{s1}");
}

#[test]
fn anonymize_withholds_the_notes() {
    let project = copy_fixture("one-on-one-notes");
    let site = project.path().join("site");
    build(project.path(), &site, &["--anonymize"]);
    let all: String = std::fs::read_dir(site.join("pair"))
        .expect("pair/")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("page"))
        .collect();
    assert!(
        !all.contains("Budget") && !all.contains("Acme"),
        "notes leaked"
    );
    assert!(all.contains("notes withheld: the site was built with --anonymize"));
    // An empty note stays "no notes", not withheld.
    assert!(all.contains("No notes were written for it."));
}
