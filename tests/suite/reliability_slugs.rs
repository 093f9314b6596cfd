//! Issue 17: file names and anchors made from ids. Every legal set of ids builds, each rep,
//! pod and pair gets a page of its own, every link and `#anchor` finds its target, and the
//! names do not depend on row order (docs/security.md, "No path comes from data
//! unsanitized").
//!
//! The `slugs` fixture is `small` with ids that broke the build or the links before: reps
//! `a`, `a!` and `a-2` (`a!` and `a-2` were both `a-2`), `CON` and `Aux` (names Windows
//! reserves: the writer refused them and the build failed), a 261-character id (a file name
//! over 255 bytes), a pod `Con`, and leads `L-1`, `l 1`, `L1`, `l1` and `l1-2` (`l1` and
//! `l1-2` both had the anchor `h-l1-2`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{baton, copy_fixture, hrefs};

/// Builds the project in `dir` with the real binary; panics with its stderr on failure.
fn build(dir: &Path) {
    let out = baton(dir, &["build"]);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file of the built site, relative path → bytes.
fn site(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = dir.join("output");
    walkdir::WalkDir::new(&out)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&out).expect("inside");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The HTML pages of `site`, as text.
fn pages(site: &BTreeMap<String, Vec<u8>>) -> BTreeMap<&str, String> {
    site.iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, b)| (rel.as_str(), String::from_utf8_lossy(b).into_owned()))
        .collect()
}

/// `href` (relative to page `from`) as a path from the site's root, `..` resolved.
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// How many elements of `html` have `id="{id}"`.
fn ids_named(html: &str, id: &str) -> usize {
    html.matches(&format!(" id=\"{id}\"")).count()
}

#[test]
fn every_rep_and_pod_gets_a_page_of_its_own_whatever_its_id() {
    let project = copy_fixture("slugs");
    build(project.path());
    let site = site(project.path());
    let pages = pages(&site);
    // One page per rep on the lists, found by the rep's name in its title.
    for name in [
        "Sam Diaz",
        "Ria Patel",
        "Bo Chen",
        "Alex Kim",
        "Jo Park",
        "Lee Long",
    ] {
        let title = format!("<title>{name} ·");
        let theirs: Vec<&&str> = pages
            .iter()
            .filter(|(rel, html)| {
                (rel.starts_with("sdr/") || rel.starts_with("ae/")) && html.contains(&title)
            })
            .map(|(rel, _)| rel)
            .collect();
        assert_eq!(theirs.len(), 1, "{name}: {theirs:?}");
    }
    for pod in ["Con", "West"] {
        let title = format!("<title>Pod {pod} ·");
        let theirs = pages
            .iter()
            .filter(|(rel, html)| rel.starts_with("pod/") && html.contains(&title))
            .count();
        assert_eq!(theirs, 1, "pod {pod}");
    }
    // Three pairs (a with CON, a! with CON, a-2 with Aux), each on its own page.
    assert_eq!(site.keys().filter(|k| k.starts_with("pair/")).count(), 3);
    for rel in site.keys() {
        for name in rel.split('/') {
            assert!(name.len() <= 255, "{rel}");
            assert!(!baton::render::output::reserved_on_windows(name), "{rel}");
        }
    }
    // Ids that clash with no one and are not reserved keep their plain names.
    assert!(site.contains_key("sdr/a-2.html"));
    assert!(site.contains_key("pod/west.html"));
}

#[test]
fn every_internal_link_and_anchor_finds_exactly_one_target() {
    let project = copy_fixture("slugs");
    let anchors = links_and_anchors_resolve(project.path());
    assert!(anchors >= 20, "only {anchors} anchors checked");
}

/// The glossary's anchors are metric keys: every figure a page links to has its term there
/// (the lead figures, the meeting outcomes, the activity counts... were once links to
/// nothing). Checked on the shipped example and on fixtures with leads and segments.
#[test]
fn every_glossary_link_finds_its_term_on_the_example_and_the_lead_and_segment_fixtures() {
    let example = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["data", "playbook", "history"] {
        crate::util::copy_dir(&root.join(part), &example.path().join(part));
    }
    let fixtures = [
        "leads",
        "segments",
        "segments-deals",
        "leads-activities",
        "small",
    ]
    .map(copy_fixture);
    for project in std::iter::once(example.path()).chain(fixtures.iter().map(|f| f.path())) {
        let glossary_links = links_and_anchors_resolve(project);
        assert!(glossary_links > 0, "{}", project.display());
    }
}

/// Builds `project` and checks every internal link of its site: the file exists and the
/// anchor names exactly one element. Returns how many anchors were checked.
fn links_and_anchors_resolve(project: &Path) -> usize {
    build(project);
    let site = site(project);
    let pages = pages(&site);
    let mut anchors = 0;
    for (rel, html) in &pages {
        for href in hrefs(html) {
            if href.contains(':') {
                continue; // http:, mailto:, data:
            }
            let (path, anchor) = href.split_once('#').unwrap_or((&href, ""));
            let target = if path.is_empty() {
                rel.to_string()
            } else {
                resolve(rel, path)
            };
            assert!(site.contains_key(&target), "{rel}: broken link {href}");
            if anchor.is_empty() || !target.ends_with(".html") {
                continue;
            }
            let n = ids_named(&pages[target.as_str()], anchor);
            assert_eq!(n, 1, "{rel}: {href} finds {n} elements on {target}");
            anchors += 1;
        }
    }
    anchors
}

#[test]
fn leads_that_clash_after_slugging_get_distinct_anchors_and_links_find_their_row() {
    let project = copy_fixture("slugs");
    build(project.path());
    let site = site(project.path());
    let pages = pages(&site);
    // The lead of each row: the text of the row's first link.
    let table = &pages["handoffs.html"];
    let mut rows: BTreeMap<String, String> = BTreeMap::new();
    for row in table.split("<tr id=\"").skip(1) {
        let (id, rest) = row.split_once('"').expect("id");
        let lead = rest
            .split_once("<a ")
            .and_then(|(_, s)| s.split_once('>'))
            .and_then(|(_, s)| s.split_once("</a>"))
            .map(|(lead, _)| lead.to_string())
            .expect("lead link");
        let before = rows.insert(id.to_string(), lead);
        assert!(before.is_none(), "two rows have id {id}");
    }
    for lead in ["L-1", "l 1", "L1", "l1", "l1-2"] {
        assert_eq!(rows.values().filter(|l| *l == lead).count(), 1, "{lead}");
    }
    // A link that names a lead (`lead` or `Company (lead)`) must land on that lead's row;
    // others (an opportunity's id) are checked by the anchor test above.
    let leads: Vec<&String> = rows.values().collect();
    let mut checked = 0;
    for (rel, html) in &pages {
        for part in html.split("href=\"").skip(1) {
            let Some((href, rest)) = part.split_once('"') else {
                continue;
            };
            let Some((_, anchor)) = href.split_once("handoffs.html#") else {
                continue;
            };
            if !anchor.starts_with("h-") {
                continue;
            }
            let text = rest
                .split_once('>')
                .and_then(|(_, s)| s.split_once('<'))
                .map_or("", |(t, _)| t);
            let names = |lead: &str| text == lead || text.ends_with(&format!("({lead})"));
            if !leads.iter().any(|l| names(l)) {
                continue;
            }
            let lead = &rows[anchor];
            assert!(names(lead), "{rel}: `{text}` links to the row of {lead}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} lead links checked");
}

/// Every link and every `id=` of each page, sorted: the names a page uses, without the order
/// of its lists or the line numbers of its sources.
fn names(site: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    pages(site)
        .into_iter()
        .map(|(rel, html)| {
            let mut links = hrefs(&html);
            links.sort();
            let mut ids: Vec<String> = html
                .split(" id=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .map(str::to_string)
                .collect();
            ids.sort();
            (rel.to_string(), (links, ids))
        })
        .collect()
}

#[test]
fn page_names_and_anchors_do_not_depend_on_the_order_of_the_rows() {
    let a = copy_fixture("slugs");
    let b = copy_fixture("slugs");
    // Reversed and rotated: every rep and lead moves, and `a`, `a!` and `a-2` (and the
    // clashing leads) meet in another order.
    for file in ["reps", "handoffs"] {
        let path = b.path().join(format!("data/{file}.csv"));
        let text = std::fs::read_to_string(&path).expect("read");
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        lines.reverse();
        lines.rotate_left(2);
        std::fs::write(&path, format!("{header}\n{}\n", lines.join("\n"))).expect("write");
    }
    build(a.path());
    build(b.path());
    let (x, y) = (site(a.path()), site(b.path()));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    let (x, y) = (names(&x), names(&y));
    for (rel, got) in &x {
        assert!(
            got == &y[rel],
            "{rel}: links or anchors differ when rows are shuffled"
        );
    }
}
