//! Issue 22, "The packet that prints": a pod's page of the review packet lists at most
//! `PACKET_ROWS` (5) SDRs and 5 pairs, most hand-offs booked first, and says how many more and
//! where they are (tests/fixtures/packet-big-pod/README.md has the arithmetic). That the page
//! then fits one sheet of A4 and Letter is checked in headless Chromium by .ci/site_check.py.

use std::path::Path;

use crate::util::{baton, copy_fixture};

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `<tbody>` of the table in the region labelled `label`.
fn tbody<'a>(html: &'a str, label: &str) -> &'a str {
    let at = html
        .find(&format!("aria-label=\"{label}\""))
        .unwrap_or_else(|| panic!("no region {label}"));
    let start = at + html[at..].find("<tbody>").expect("tbody");
    let end = start + html[start..].find("</tbody>").expect("end of tbody");
    &html[start..end]
}

/// The text of every `<{tag} ...>` cell of `row` whose opening tag starts with `open`.
fn cells(row: &str, open: &str) -> Vec<String> {
    row.split(open)
        .skip(1)
        .map(|c| c[..c.find('<').expect("cell end")].to_string())
        .collect()
}

/// The rows of a table body, each as the texts of its cells opened by `open`.
fn rows(body: &str, open: &str) -> Vec<Vec<String>> {
    body.split("<tr").skip(1).map(|r| cells(r, open)).collect()
}

/// The `href` of the link in the paragraph that starts with `text`.
fn more_link(html: &str, text: &str) -> String {
    let at = html
        .find(&format!("<p class=\"packet-more\">{text}"))
        .unwrap_or_else(|| panic!("no line {text:?}"));
    let p = &html[at..at + html[at..].find("</p>").expect("end of p")];
    let href = &p[p.find("href=\"").expect("a link") + 6..];
    href[..href.find('"').expect("end of href")].replace("&#x2F;", "/")
}

#[test]
fn a_big_pod_s_packet_page_lists_the_top_rows_and_says_how_many_more_and_where() {
    let project = copy_fixture("packet-big-pod");
    let site = project.path().join("site");
    let o = baton(
        project.path(),
        &[
            "build",
            "--output",
            site.to_str().expect("utf-8"),
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let packet = read(&site, "review/2026-10.html");

    // SDRs: Gus 5, Fay 4, Eve 3, then Ana 2 and Ben 2 before Cai 2 and Dee 2 (by name).
    let sdrs = rows(tbody(&packet, "SDRs of pod Big"), "<th scope=\"row\">");
    let names: Vec<&str> = sdrs.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "Gus Green",
            "Fay Fox",
            "Eve Ekberg",
            "Ana Alves",
            "Ben Brook"
        ]
    );
    assert!(packet.contains("<caption>SDRs, most hand-offs booked first: 5 of 7</caption>"));
    assert_eq!(more_link(&packet, "and 2 more SDRs: see "), "../sdrs.html");
    let all_sdrs = read(&site, "sdrs.html");
    for name in ["Cai Chen", "Dee Diaz"] {
        assert!(all_sdrs.contains(name), "sdrs.html lacks {name}");
    }

    // Pairs: 4, 3, 2, then the eleven at 1 by SDR then AE name; 14 − 5 = 9 left out.
    let pairs = rows(tbody(&packet, "Pairs of pod Big"), "<td");
    let listed: Vec<(&str, &str, &str)> = pairs
        .iter()
        .map(|r| {
            let text = |i: usize| r[i].rsplit('>').next().expect("text");
            (text(0), text(1), text(2))
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("Gus Green", "Ivy Ives", "4"),
            ("Fay Fox", "Hal Hart", "3"),
            ("Eve Ekberg", "Ivy Ives", "2"),
            ("Ana Alves", "Hal Hart", "1"),
            ("Ana Alves", "Ivy Ives", "1"),
        ]
    );
    assert!(packet.contains("<caption>Pairs, most hand-offs booked first: 5 of 14</caption>"));
    let pod = more_link(&packet, "and 9 more pairs: see ");
    let pod = pod.strip_prefix("../").expect("relative to review/");
    let pod_page = read(&site, pod);
    assert_eq!(
        tbody(&pod_page, "Pairs of pod Big").matches("<tr").count(),
        14
    );
}

#[test]
fn a_pod_that_fits_says_no_more() {
    // The small fixture's pods have 2 SDRs and 1 pair or fewer: all listed, no "more" line.
    let project = copy_fixture("small");
    let site = project.path().join("site");
    let o = baton(
        project.path(),
        &[
            "build",
            "--output",
            site.to_str().expect("utf-8"),
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let packet = read(&site, "review/2026-10.html");
    assert!(!packet.contains("packet-more"), "{packet}");
    assert!(packet.contains("<caption>SDRs, most hand-offs booked first</caption>"));
}
