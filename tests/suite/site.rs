//! The built site, as the real binary writes it: files, figures, escaping of hostile CRM text,
//! paths, determinism, atomic publish and anonymization.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{append, baton, copy_dir, copy_fixture, fixture, hrefs};

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = baton(dir, &args);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn builds_every_page_with_charts_and_figures() {
    let project = copy_fixture("small");
    build(project.path(), &[]);
    let out = project.path().join("output");
    for page in [
        "index.html",
        "sdrs.html",
        "aes.html",
        "pods.html",
        "handoffs.html",
        "comp.html",
        "data.html",
        "glossary.html",
        "playbook/index.html",
        "playbook/qualification.html",
        "playbook/handoff-rules.html",
        "playbook/one-on-one.html",
        "review/2026-10.html",
        "sdr/s1.html",
        "ae/a1.html",
        "pod/east.html",
        "pair/s2--a1.html",
        "metrics.json",
        "comp.csv",
        "rejected.csv",
        "assets/style.css",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let index = std::fs::read_to_string(out.join("index.html")).expect("index");
    // Three charts, each an accessible inline SVG.
    assert!(
        index.matches("<svg role=\"img\"").count() >= 3,
        "charts missing"
    );
    // The funnel's show rate with its counts: 4 held of 5 attended (hand-counted).
    assert!(index.contains("80% (4/5)"), "show rate missing");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("metrics.json")).expect("json"))
            .expect("parse");
    assert_eq!(m["period"], "2026-10");
    assert_eq!(m["current"]["team"]["meetings_booked"], 7);
    assert_eq!(m["current"]["team"]["show_rate"]["num"], 4);
    assert_eq!(m["current"]["team"]["show_rate"]["den"], 5);
    assert_eq!(m["current"]["team"]["closed_won_amount"], "10000.50");
    assert_eq!(m["previous"]["team"]["meetings_booked"], 1);
    // Every link between pages resolves to a written file.
    for (rel, bytes) in tree(&out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf8");
        let base = Path::new(&rel)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            let href = href.replace("&#x2F;", "/");
            if href.starts_with("http")
                || href.starts_with("mailto:")
                || href.starts_with("data:")
                || href.starts_with('#')
            {
                continue;
            }
            let path = href.split('#').next().unwrap_or_default();
            let target = normalize(&base.join(path));
            assert!(out.join(&target).is_file(), "{rel}: broken link {href}");
        }
    }
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn hostile_crm_text_is_shown_as_text_everywhere() {
    let project = copy_fixture("hostile");
    build(project.path(), &[]);
    let out = project.path().join("output");
    let files = tree(&out);
    let mut seen_escaped = false;
    for (rel, bytes) in &files {
        if !(rel.ends_with(".html") || rel.ends_with(".svg")) {
            continue;
        }
        // The one script pages may carry is the table sorter, from a file Baton ships (pages
        // under handoffs/ load it from one folder up, the `/` escaped).
        let text = String::from_utf8_lossy(bytes)
            .to_lowercase()
            .replace("<script src=\"assets/sort.js\" defer></script>", "")
            .replace("<script src=\"..&#x2f;assets/sort.js\" defer></script>", "");
        for bad in [
            "<script",
            "onmouseover=\"",
            "<img",
            "href=\"javascript:",
            "</textarea>",
            "<b>",
        ] {
            assert!(!text.contains(bad), "{rel} contains raw {bad:?}");
        }
        seen_escaped |= text.contains("&lt;script&gt;");
    }
    assert!(seen_escaped, "the hostile names should appear, escaped");
    // The page whose slug tried to climb out is written inside output/playbook.
    assert!(out.join("playbook/tmp-evil.html").is_file());
    // Nothing was written beside the project's folders.
    let top: Vec<String> = std::fs::read_dir(project.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with(".baton-lock"))
        .collect();
    let mut top = top;
    top.sort();
    assert_eq!(top, ["data", "output", "playbook"]);
    // The rep whose id is "../../escape" got a page inside output/sdr.
    assert!(
        files.keys().any(|k| k.starts_with("sdr/escape")),
        "{:?}",
        files.keys()
    );
}

#[test]
fn same_inputs_give_byte_identical_output() {
    let a = copy_fixture("small");
    let b = tempfile::tempdir().expect("tmp");
    let nested = b.path().join("some/other/place");
    std::fs::create_dir_all(&nested).expect("mkdir");
    copy_dir(&fixture("small"), &nested);
    build(a.path(), &[]);
    // Another working directory, another time zone, and a relative --root.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .current_dir(b.path())
        .args(["build", "--root", "some/other/place"])
        .env("TZ", "America/Los_Angeles")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (x, y) = (tree(&a.path().join("output")), tree(&nested.join("output")));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (k, v) in &x {
        assert!(v == &y[k], "{k} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_published_site_untouched() {
    let project = copy_fixture("small");
    build(project.path(), &[]);
    let before = tree(&project.path().join("output"));
    std::fs::write(project.path().join("data/reps.csv"), "rep_id,name\n").expect("break");
    let out = baton(project.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&project.path().join("output")), before);
    // And a broken template fails the build the same way.
    std::fs::copy(
        fixture("small/data/reps.csv"),
        project.path().join("data/reps.csv"),
    )
    .expect("restore");
    std::fs::create_dir_all(project.path().join("templates")).expect("mkdir");
    std::fs::write(project.path().join("templates/index.html"), "{% extends \"base.html\" %}{% block content %}{{ no_such_variable }}{% endblock content %}").expect("tpl");
    let out = baton(project.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("index.html"), "{err}");
    assert!(err.contains("no_such_variable"), "{err}");
    assert_eq!(tree(&project.path().join("output")), before);
}

#[test]
fn strict_build_fails_on_rejected_rows_and_default_shows_them() {
    let project = copy_fixture("small");
    append(
        project.path().join("data/activities.csv"),
        "s1,2026-10-05,fax,,\n",
    );
    let out = baton(project.path(), &["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!project.path().join("output/index.html").exists());
    build(project.path(), &[]);
    let rejected =
        std::fs::read_to_string(project.path().join("output/rejected.csv")).expect("csv");
    assert!(
        rejected.contains("data/activities.csv,14,3,type,"),
        "{rejected}"
    );
    let data = std::fs::read_to_string(project.path().join("output/data.html")).expect("html");
    assert!(
        data.contains("activities.csv:14:3"),
        "data page lists the rejection"
    );
}

#[test]
fn anonymized_site_names_no_one() {
    let project = copy_fixture("small");
    build(project.path(), &["--anonymize"]);
    let originals = [
        "Sam Diaz",
        "Ria Patel",
        "Bo Chen",
        "Alex Kim",
        "Jo Park",
        "Acme",
        "O'Brien",
        "O&#x27;Brien",
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Stark",
        "Wayne",
        "Manual reporting",
        "Hiring freeze",
        "Budget cuts",
        "Slow onboarding",
        "Data silos",
    ];
    for (rel, bytes) in tree(&project.path().join("output")) {
        let text = String::from_utf8_lossy(&bytes);
        for name in originals {
            assert!(!text.contains(name), "{rel} still contains {name:?}");
        }
        for id in ["\"s1\"", "/s1.html", "\"a1\"", "/a1.html", "\"L1\""] {
            assert!(!text.contains(id), "{rel} still contains id {id}");
        }
    }
    // The figures are unchanged.
    let m: serde_json::Value = serde_json::from_slice(
        &std::fs::read(project.path().join("output/metrics.json")).expect("json"),
    )
    .expect("parse");
    assert_eq!(m["current"]["team"]["message_continuity"]["num"], 3);
    assert_eq!(m["current"]["team"]["meetings_booked"], 7);
}

#[test]
fn comp_csv_adds_up_to_the_statements_on_the_pages() {
    // The shipped example has comp plans for SDRs and AEs.
    let out = tempfile::tempdir().expect("tmp");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
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
    let csv_text = std::fs::read_to_string(dest.join("comp.csv")).expect("comp.csv");
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let payout = rdr
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "payout")
        .expect("payout column");
    // Rows of reps without a plan (status `no_plan`) have no payout: unknown, not 0.
    let csv_total: rust_decimal::Decimal = rdr
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| !r[payout].is_empty())
        .map(|r| r[payout].parse::<rust_decimal::Decimal>().expect("decimal"))
        .sum();
    // Each statement ends with its total, "Total variable pay ... <strong>$1,234.56</strong>":
    // on its rep's page, or on comp.html for a rep without a page.
    let amount = |s: &str| {
        s.replace(['$', ','], "")
            .parse::<rust_decimal::Decimal>()
            .expect("amount")
    };
    let totals = |html: &str| -> Vec<rust_decimal::Decimal> {
        html.split("Total variable pay")
            .skip(1)
            .map(|part| {
                amount(
                    part.split("<strong>")
                        .nth(1)
                        .and_then(|s| s.split("</strong>").next())
                        .expect("total"),
                )
            })
            .collect()
    };
    let page = std::fs::read_to_string(dest.join("comp.html")).expect("comp.html");
    let mut statement_totals = Vec::new();
    for dir in ["sdr", "ae"] {
        for e in std::fs::read_dir(dest.join(dir)).expect("rep pages") {
            let html = std::fs::read_to_string(e.expect("entry").path()).expect("page");
            statement_totals.extend(totals(&html));
        }
    }
    if let Some(detailed) = page.split("Statements of reps without a page").nth(1) {
        statement_totals.extend(totals(detailed));
    }
    assert!(statement_totals.len() >= 6, "{statement_totals:?}");
    let page_total: rust_decimal::Decimal = statement_totals.iter().sum();
    assert_eq!(csv_total, page_total);
    // comp.html lists every statement once, with its total in the last column; they add up
    // to the table's footer.
    let (table, after) = page
        .split("aria-label=\"Statements of")
        .nth(1)
        .and_then(|s| s.split_once("</tbody>"))
        .expect("statements table");
    let listed: Vec<rust_decimal::Decimal> = table
        .split("</tr>")
        .filter(|row| row.contains("<th scope=\"row\">"))
        .map(|row| {
            let last = row.rsplit("<td class=\"num\">").next().expect("cell");
            amount(last.split("</td>").next().expect("total cell"))
        })
        .collect();
    assert_eq!(listed.len(), statement_totals.len());
    assert_eq!(listed.iter().sum::<rust_decimal::Decimal>(), csv_total);
    let footer = totals(after.split("</table>").next().expect("footer"));
    assert_eq!(footer.first(), Some(&csv_total));
    // And the headline total at the top of the page is the same sum.
    let headline = page
        .split("total variable pay <strong>")
        .nth(1)
        .and_then(|s| s.split("</strong>").next())
        .expect("headline total");
    assert_eq!(
        headline
            .replace(['$', ','], "")
            .parse::<rust_decimal::Decimal>()
            .expect("amount"),
        csv_total
    );
}

#[cfg(unix)]
#[test]
fn an_export_linked_from_outside_the_project_is_refused() {
    let project = copy_fixture("small");
    let outside = tempfile::tempdir().expect("tmp");
    let secret = outside.path().join("forecasts.csv");
    std::fs::copy(fixture("small/data/forecasts.csv"), &secret).expect("copy");
    std::fs::remove_file(project.path().join("data/forecasts.csv")).expect("rm");
    std::os::unix::fs::symlink(&secret, project.path().join("data/forecasts.csv")).expect("link");
    let out = baton(project.path(), &["check", "--quiet"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("data/forecasts.csv: error: is a link to a file outside its folder; Baton does not follow it"), "{err}");
}

#[test]
fn the_handoffs_table_is_paged_and_every_lead_link_finds_its_row() {
    let project = copy_fixture("small");
    append(
        project.path().join("playbook/site.yaml"),
        "handoffs_per_page: 3\n",
    );
    build(project.path(), &[]);
    let out = project.path().join("output");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("metrics.json")).expect("json"))
            .expect("parse");
    // The cohort: the period's hand-offs, each a row of the table on exactly one page.
    let booked = m["current"]["team"]["meetings_booked"].as_u64().expect("n") as usize;
    assert_eq!(booked, 7, "the fixture's October cohort");
    let pages = booked.div_ceil(3);
    let files = tree(&out);
    let mut anchors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for n in 1..=pages {
        let rel = if n == 1 {
            "handoffs.html".to_string()
        } else {
            format!("handoffs/{n}.html")
        };
        let html = String::from_utf8_lossy(files.get(&rel).expect(&rel)).to_string();
        let ids: Vec<String> = html
            .split("<tr id=\"")
            .skip(1)
            .map(|s| s.split('"').next().expect("id").to_string())
            .collect();
        let want = if n < pages {
            3
        } else {
            booked - 3 * (pages - 1)
        };
        assert_eq!(ids.len(), want, "{rel}: {ids:?}");
        for id in &ids {
            assert!(seen.insert(id.clone()), "{id} on two pages");
        }
        // The pager names this page as the current one and links the others.
        assert!(
            html.contains(&format!("<span aria-current=\"page\">{n}</span>")),
            "{rel} pager"
        );
        assert!(html.contains(&format!("of {booked}, handed off")), "{rel}");
        anchors.insert(rel, ids);
    }
    assert!(!files.contains_key(&format!("handoffs/{}.html", pages + 1)));
    assert_eq!(seen.len(), booked);
    // Only the first page has the quality figures and the losses.
    let first = String::from_utf8_lossy(&files["handoffs.html"]).to_string();
    assert!(first.contains("id=\"losses\""));
    let second = String::from_utf8_lossy(&files["handoffs/2.html"]).to_string();
    assert!(!second.contains("id=\"losses\""));
    // Every link to a lead, from any page, leads to the page that has its row (a lead handed
    // off outside the period has no row, and no link).
    let mut checked = 0;
    for (rel, bytes) in &files {
        for href in hrefs(&String::from_utf8_lossy(bytes)) {
            let Some((page, anchor)) = href.split_once('#') else {
                continue;
            };
            let page = page.trim_start_matches("../");
            // Lead anchors are `h-...`; `#sla` and `#losses` are sections of the first page.
            if !(page == "handoffs.html" || page.starts_with("handoffs/"))
                || !anchor.starts_with("h-")
            {
                continue;
            }
            assert!(
                anchors
                    .get(page)
                    .is_some_and(|ids| ids.iter().any(|a| a == anchor)),
                "{rel} links {anchor} on {page}"
            );
            checked += 1;
        }
    }
    assert!(checked >= booked, "only {checked} lead links checked");
}

#[test]
fn a_statement_of_a_rep_without_a_page_is_shown_in_full_on_the_comp_page() {
    // A manager has no rep page: the comp page's line for their statement links to the
    // statement itself, shown there in full; a rep with a page gets a link to it.
    let project = copy_fixture("small");
    std::fs::write(
        project.path().join("playbook/comp.yaml"),
        "plans:
  - name: Manager
    reps: [m1]
    effective_from: 2026-01-01
    base_salary: 100000
    annual_variable: 24000
    payout_period: monthly
    components:
      - metric: team_won_amount
        category: team
        weight: 1.0
        target: 10000
        curve: { threshold: 0.5, accelerator: 1.0, cap: 1.5 }
  - name: SDR
    roles: [sdr]
    effective_from: 2026-01-01
    base_salary: 60000
    annual_variable: 12000
    payout_period: monthly
    components:
      - metric: team_won_amount
        category: team
        weight: 1.0
        target: 10000
        curve: { threshold: 0.5, accelerator: 1.0, cap: 1.5 }
",
    )
    .expect("comp.yaml");
    build(project.path(), &[]);
    let out = project.path().join("output");
    let comp = std::fs::read_to_string(out.join("comp.html"))
        .expect("comp.html")
        .replace("&#x2F;", "/");
    let table = comp
        .split("aria-label=\"Statements of")
        .nth(1)
        .and_then(|s| s.split("</tbody>").next())
        .expect("statements table");
    // Each name opens the statement's own page (issue 22).
    assert!(
        table.contains("<a href=\"statement/m1--2026-10.html\">Max Lee</a>"),
        "{table}"
    );
    assert!(
        table.contains("<a href=\"statement/s1--2026-10.html\">Sam Diaz</a>"),
        "{table}"
    );
    let detailed = comp
        .split("Statements of reps without a page")
        .nth(1)
        .expect("the manager's statement in full");
    assert!(detailed.contains("id=\"statement-1\""));
    assert!(detailed.contains("Statement of Max Lee, Manager"));
    assert!(!detailed.contains("Sam Diaz"), "only reps without a page");
    // Sam's statement is on Sam's page.
    let sam = std::fs::read_to_string(out.join("sdr/s1.html")).expect("s1");
    assert!(sam.contains("Statement of Sam Diaz, SDR"));
}

/// `build` drops the meeting rows and the activity counts before rendering (they set nothing
/// on a page that the facts and metrics do not): the site rendered without them is the site
/// rendered with them.
#[test]
fn pages_do_not_read_the_inputs_released_before_rendering() {
    let dir = tempfile::tempdir().expect("tmp");
    baton::generate::write_project(&baton::generate::GenOptions::example(), dir.path())
        .expect("generate");
    let site = |release: bool, out: &str| {
        let mut opts = baton::build::Options::new(dir.path());
        opts.output = dir.path().join(out);
        let mut p = match baton::build::prepare(&opts) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        let ds = &p.loaded.dataset;
        assert!(!ds.meetings.is_empty() && !ds.activity.is_empty() && !ds.leads.is_empty());
        if release {
            p.release_unrendered_inputs();
        }
        baton::render::publish(&p, &opts.paths.templates, &opts.output).expect("publish");
        tree(&opts.output)
    };
    let kept = site(false, "kept");
    let released = site(true, "released");
    assert!(kept.len() > 20, "{} files", kept.len());
    assert!(
        kept == released,
        "the site differs without the released inputs"
    );
}

/// The 1:1 agenda groups feedback into patterns and lists what to do next (issue 22). The
/// `small` fixture's pair s1 & a1 has four hand-offs in October, worked out by hand from
/// its CSVs: L1 (held, accepted, fully documented), L2 (held, rejected "Poor fit", no
/// environment or timeline section, and the AE heard "Hiring freeze" for "Budget cuts"), L3
/// (no-show, never contacted by the AE: SLA missed), L7 (handed off 10-31 09:00, meeting on
/// 11-03 still pending, not contacted yet within its 24 h, no environment, timeline or history
/// section). Patterns: environment missing 2 of 4, timeline 2 of 4, history 1 of 4, then the
/// rejection, the no-show (1 of the 3 meetings held or missed) and the pain point, 1 each:
/// three shown, "3 more". Next steps: L3's missed SLA, L3's no-show to rebook, L7 awaiting
/// contact; L7's pending meeting is already listed.
#[test]
fn the_agenda_groups_feedback_into_patterns_and_lists_next_steps() {
    let project = copy_fixture("small");
    build(project.path(), &[]);
    let page = std::fs::read_to_string(project.path().join("output/pair/s1--a1.html"))
        .expect("pair page")
        .replace("&#x2F;", "/");
    let section = |name: &str| -> String {
        page.split(&format!("<h3>{name} "))
            .nth(1)
            .and_then(|s| s.split("</li>\n").next())
            .unwrap_or_else(|| panic!("no section {name}: {page}"))
            .to_string()
    };
    let texts = |html: &str| -> Vec<String> {
        html.split("<li>")
            .skip(1)
            .map(|li| {
                let text = li.split("</li>").next().unwrap_or("");
                text.split('>').nth(1).unwrap_or(text).replace("</a", "")
            })
            .collect()
    };
    let feedback = section("Lead quality and feedback");
    assert_eq!(
        texts(&feedback),
        [
            "Current solutions and environment missing in 2 of 4 hand-offs",
            "Buying signal and timeline missing in 2 of 4 hand-offs",
            "Previous conversation details missing in 1 of 4 hand-offs",
        ]
    );
    assert!(
        feedback.contains("<a href=\"../pair/s1--a1.html#handoffs\">3 more</a>"),
        "{feedback}"
    );
    assert!(page.contains("<h2 id=\"handoffs\">"), "the link's target");
    let next = section("Alignment and next steps");
    assert_eq!(
        texts(&next),
        [
            "Globex: no AE contact, SLA missed",
            "Globex: no-show to rebook (handed off 2026-10-12)",
            "Stark Industries: awaiting AE contact",
        ]
    );
    assert!(!next.contains("more</a>"), "{next}");
    // Deals by company.
    assert!(
        page.contains("Deal closed won: Acme, Inc., $5,000.00 (O1)"),
        "{page}"
    );
}
