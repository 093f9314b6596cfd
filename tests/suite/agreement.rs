//! Issue 20, section 3, agreement across pages: every figure shown on more than one page is
//! the same text on each, because it comes from the same number. Builds the shipped example and
//! the fixtures and compares the team's funnel (dashboard, review packet, digest), each pod's
//! (pods list, pod page, packet), each pair's (pod page, packet) and each rep's (SDR and AE
//! lists, rep page).

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{baton, copy_fixture};

/// A cell's text as a reader sees it: tags, the small-sample mark and hidden text removed.
fn text(cell: &str) -> String {
    let mut s = cell.to_string();
    while let Some(i) = s.find("<span class=\"visually-hidden\">") {
        let end = s[i..].find("</span>").map_or(s.len(), |j| i + j + 7);
        s.replace_range(i..end, "");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .trim()
        .trim_end_matches('*')
        .trim()
        .to_string()
}

/// The cells (`<th>` and `<td>`) of each row of `table`.
fn rows(table: &str) -> Vec<Vec<String>> {
    table
        .split("<tr")
        .skip(1)
        .map(|r| {
            let r = r.split("</tr>").next().unwrap_or(r);
            r.split("<t")
                .skip(1)
                .filter(|c| c.starts_with("d") || c.starts_with("h "))
                .map(|c| {
                    let body = c.split_once('>').map_or(c, |(_, b)| b);
                    text(body.rsplit_once("</t").map_or(body, |(b, _)| b))
                })
                .collect()
        })
        .collect()
}

/// The keys (glossary anchors) of a row or a header, in order.
fn keys(html: &str) -> Vec<String> {
    html.split("glossary.html#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// Each figure table of a page by caption: key → (this period, previous period, change).
fn fig_tables(html: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for part in html.split("<caption>").skip(1) {
        let (caption, rest) = part.split_once("</caption>").expect("caption");
        let table = rest.split("</table>").next().unwrap_or(rest);
        let mut figs = BTreeMap::new();
        for row in table.split("<tr").skip(1) {
            let (Some(key), cells) = (keys(row).into_iter().next(), rows(&format!("<tr{row}")))
            else {
                continue;
            };
            if let Some(cells) = cells.first().filter(|c| c.len() == 4) {
                figs.insert(key, cells[1..].to_vec());
            }
        }
        out.insert(text(caption), figs);
    }
    out
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The table that follows `marker` on a page.
fn table_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[at..];
    let start = rest.find("<tbody>").expect("tbody");
    let end = rest.find("</tbody>").expect("/tbody");
    &rest[start..end]
}

/// Compares every figure the site shows in more than one place; returns how many it compared.
fn compare_site(site: &Path) -> usize {
    let mut compared = 0;
    let mut same = |what: &str, a: &str, b: &str| {
        assert_eq!(a, b, "{}: {what}", site.display());
        compared += 1;
    };
    let index = fig_tables(&read(site, "index.html"));
    let funnel = &index["Funnel figures"];
    let review_name = std::fs::read_dir(site.join("review"))
        .expect("review/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .find(|n| n.ends_with(".html"))
        .expect("a review packet");
    let review_html = read(site, &format!("review/{review_name}"));
    let review = fig_tables(&review_html);
    // The team: the dashboard's table, the packet's and the digest's.
    for (key, v) in &review["Team funnel"] {
        same(
            &format!("team {key}, packet"),
            &v.join("|"),
            &funnel[key].join("|"),
        );
    }
    let digest = read(site, "digest.html");
    for row in rows(table_after(&digest, "<table")) {
        let label = &row[0];
        let html = read(site, "index.html");
        // The dashboard's row of the same label.
        if let Some(key) = html
            .split("<tr")
            .find(|r| r.contains(&format!(">{label}</a></th>")))
            .and_then(|r| keys(r).into_iter().next())
        {
            let Some(v) = funnel.get(&key) else { continue };
            same(&format!("team {label}, digest"), &row[1], &v[0]);
        }
    }
    // Each pod: the pods list, the pod page and the packet.
    let pods = read(site, "pods.html");
    for row in pods.split("<tr").skip(2) {
        let link = crate::util::hrefs(row)
            .into_iter()
            .next()
            .expect("pod link");
        let cells = &rows(&format!("<tr{row}"))[0];
        let name = &cells[0];
        let page_html = read(site, &link);
        let page = fig_tables(&page_html);
        let f = &page["Funnel figures"];
        for (i, key) in [
            (2, "meetings_booked"),
            (3, "show_rate"),
            (4, "acceptance_rate"),
            (5, "won"),
        ] {
            same(
                &format!("pod {name} {key}, pods list"),
                &cells[i],
                &f[key][0],
            );
        }
        same(
            &format!("pod {name} closed_won_amount, pods list"),
            &cells[6],
            &page["Closed in the period"]["closed_won_amount"][0],
        );
        if let Some(a) = page_html.split("1:1 adherence: ").nth(1) {
            // "92% (11/12) (11 held, 12 expected)."
            let shown = text(a.split("</p>").next().unwrap_or(a));
            let rate = shown.rsplit_once(" (").map_or(shown.as_str(), |(r, _)| r);
            same(&format!("pod {name} adherence, pods list"), &cells[7], rate);
        }
        for (key, v) in &review[&format!("Funnel of pod {name}")] {
            same(
                &format!("pod {name} {key}, packet"),
                &v.join("|"),
                &f[key].join("|"),
            );
        }
        // Its pairs: the pod page and the packet (SDR, AE, booked, show rate, 1:1s).
        let on_page: BTreeMap<(String, String), Vec<String>> =
            rows(table_after(&page_html, "<th scope=\"col\">SDR</th>"))
                .into_iter()
                .map(|r| ((r[0].clone(), r[1].clone()), r))
                .collect();
        let marker = format!("Pairs of pod {name}");
        if review_html.contains(&marker) {
            for r in rows(table_after(&review_html, &marker)) {
                let p = &on_page[&(r[0].clone(), r[1].clone())];
                let what = format!("pair {} {}, packet", r[0], r[1]);
                same(&what, &r[2], &p[2]);
                same(&what, &r[3], &p[3]);
                same(&what, &r[4], &p[6]);
            }
        }
    }
    // Each rep: the SDR and AE lists and the rep's page.
    for list in ["sdrs.html", "aes.html"] {
        let html = read(site, list);
        let head = html.split("</thead>").next().expect("thead");
        let cols = keys(head);
        // Rank (when the list is ranked), Rep and Pod come before the figures.
        let fixed = head.matches("<th ").count() + head.matches("<th>").count() - cols.len();
        let body = &html[html.find("<tbody>").expect("tbody")..];
        for row in body.split("<tr").skip(1) {
            let Some(link) = crate::util::hrefs(row).into_iter().next() else {
                continue;
            };
            let cells = &rows(&format!("<tr{row}"))[0];
            let page = fig_tables(&read(site, &link));
            for (i, key) in cols.iter().enumerate() {
                let on_page = page.values().find_map(|t| t.get(key));
                if let Some(v) = on_page {
                    same(&format!("{link} {key}, {list}"), &cells[fixed + i], &v[0]);
                }
            }
        }
    }
    compared
}

fn build(dir: &Path, args: &[&str]) -> std::path::PathBuf {
    let out = dir.join("site-out");
    let mut all = vec!["build", "--output", out.to_str().expect("utf-8"), "--quiet"];
    all.extend_from_slice(args);
    let o = baton(dir, &all);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

#[test]
fn every_figure_shown_twice_is_the_same_on_every_page() {
    // The shipped example, from the crate root into a temp folder.
    let tmp = tempfile::tempdir().expect("tmp");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tmp.path().join("site");
    let o = baton(
        root,
        &[
            "build",
            "--output",
            site.to_str().expect("utf-8"),
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let n = compare_site(&site);
    assert!(n > 100, "compared {n} figures of the example");
    // The pool pod West: pods.html's 1:1 adherence is the sum of its SDRs', and each pair
    // row says the SDR's, never "N of 0 expected".
    let west = read(&site, "pod/west.html");
    assert!(!west.contains(" of 0 expected"), "{west}");
    let review = std::fs::read_dir(site.join("review"))
        .expect("review")
        .next()
        .expect("one")
        .expect("entry");
    assert!(!std::fs::read_to_string(review.path())
        .expect("packet")
        .contains(" of 0 expected"));
    for fixture in [
        "small",
        "small-hubspot",
        "small-salesforce",
        "unavailable-meetings",
        "unavailable-opportunities",
    ] {
        let dir = copy_fixture(fixture);
        let site = build(dir.path(), &[]);
        let n = compare_site(&site);
        assert!(n > 20, "{fixture}: compared {n} figures");
    }
}
