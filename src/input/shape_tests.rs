//! Unit tests of the mapping keys for exports not shaped like Baton (docs/mapping.md):
//! formats, fixed values, lookups (and a derive reading a looked-up column), stand-ins for
//! columns not exported, `only: won`, and reps inferred from other tables.

use std::path::Path;

use super::accounts::Rejection;

use super::csv_table::CsvFile;
use super::mapping_yaml::Mapping;
use crate::model::{Role, Table};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn mapping(yaml: &str) -> Mapping {
    let m: Mapping = serde_yaml::from_str(yaml).expect("yaml");
    assert!(
        super::mapping::validate(&m).is_empty(),
        "{:?}",
        super::mapping::validate(&m)
    );
    m
}

/// Reads `file` as `table` and returns, per row, the canonical `columns`, plus rejections.
fn read(
    dir: &Path,
    m: &Mapping,
    table: &str,
    file: &str,
    columns: &[&str],
) -> (Vec<Vec<String>>, Vec<Rejection>) {
    let spec = m.spec(table);
    let mut f = CsvFile::open(&dir.join(file), &format!("data/{file}"), &spec).expect("open");
    let mut rows = Vec::new();
    let mut rejections = Vec::new();
    f.for_each_row(&mut rejections, |row| {
        rows.push(columns.iter().map(|c| row.text(c).to_string()).collect());
        Ok(())
    });
    (rows, rejections)
}

const DEALS: &str = "deal,owner,lead\nD1,Ann,L1\nD2,Bob,L2\nD3,,L3\nD4,Ann,L9\nD5,Ann,L4\n";
const LEADS: &str =
    "lead;created;owner\nL1;01-02-2018;Cy\nL2;02-02-2018;Dee\nL3;;Cy\nL4;x;Cy\nL4;y;Dee\n";

#[test]
fn formats_fixed_values_and_lookups() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), "deals.csv", DEALS);
    write(tmp.path(), "leads.csv", LEADS);
    let m = mapping(
        "tables:\n  handoffs:\n    file: deals.csv\n    columns: {lead_id: lead}\n    derive:\n      ae_id: {from: owner, format: \"ae-{}\"}\n      sdr_id: {from: lead_owner, format: \"sdr-{}\"}\n    lookups:\n      - {file: leads.csv, key: lead, columns: {handoff_at: created, lead_owner: owner}}\n    fixed: {company: Acme}\n    not_exported: [handoff_type, ae_decision]\n",
    );
    let cols = [
        "lead_id",
        "ae_id",
        "sdr_id",
        "handoff_at",
        "company",
        "handoff_type",
    ];
    let (rows, rej) = read(tmp.path(), &m, "handoffs", "deals.csv", &cols);
    let row = |r: &[&str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        rows,
        [
            row(&["L1", "ae-Ann", "sdr-Cy", "01-02-2018", "Acme", "cold"]),
            row(&["L2", "ae-Bob", "sdr-Dee", "02-02-2018", "Acme", "cold"]),
            // An empty cell stays empty: no `ae-` id is made up for it.
            row(&["L3", "", "sdr-Cy", "", "Acme", "cold"]),
        ]
    );
    // L9 is not in the lookup file, L4 is there twice: both rejected, blamed on the key.
    assert_eq!(rej.len(), 2);
    assert_eq!((rej[0].line, rej[0].column_name.as_str()), (5, "lead"));
    assert!(rej[0]
        .reason
        .contains("\"L9\" is not in column `lead` of data/leads.csv"));
    assert!(rej[1]
        .reason
        .contains("appears twice in column `lead` of data/leads.csv (lines 5 and 6)"));
}

/// Issue 21: a lookup with `unmatched: skip` leaves out the rows its file does not know (Olist's
/// leads no SDR took are not in the closed deals): counted as filtered with the rule, not
/// rejected; a key there twice is still an error of the export, and an empty key still gives
/// empty cells.
#[test]
fn a_lookup_that_skips_unmatched_rows_counts_them_as_filtered() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), "deals.csv", DEALS);
    write(tmp.path(), "leads.csv", LEADS);
    let m = mapping(
        "tables:\n  handoffs:\n    file: deals.csv\n    columns: {lead_id: lead}\n    derive:\n      sdr_id: {from: lead_owner, format: \"sdr-{}\"}\n    lookups:\n      - {file: leads.csv, key: lead, unmatched: skip, columns: {handoff_at: created, lead_owner: owner}}\n",
    );
    let spec = m.spec("handoffs");
    let mut f =
        CsvFile::open(&tmp.path().join("deals.csv"), "data/deals.csv", &spec).expect("open");
    let mut ids = Vec::new();
    let mut rejections = Vec::new();
    let account = f.for_each_row(&mut rejections, |row| {
        ids.push((
            row.text("lead_id").to_string(),
            row.text("sdr_id").to_string(),
        ));
        Ok(())
    });
    // D1-D3 are kept (L3's owner is Cy), D4 (L9) is skipped, D5 (L4, twice) is rejected.
    assert_eq!(
        ids,
        [("L1", "sdr-Cy"), ("L2", "sdr-Dee"), ("L3", "sdr-Cy")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        (
            account.read,
            account.used,
            account.filtered,
            account.rejected
        ),
        (5, 3, 1, 1)
    );
    assert_eq!(account.filtered_by[0].lines, [5]);
    assert_eq!(
        account.filtered_by[0].rule,
        "lookups: `lead` not in column `lead` of data/leads.csv (unmatched: skip)"
    );
    assert!(rejections[0].reason.contains("appears twice"));
    let bad: Mapping = serde_yaml::from_str(
        "tables:\n  handoffs:\n    lookups:\n      - {file: leads.csv, key: lead, unmatched: drop, columns: {company: owner}}\n",
    )
    .expect("yaml");
    assert!(super::mapping::validate(&bad).iter().any(|d| d
        .to_string()
        .contains("unmatched: \"drop\" is not supported")));
}

#[test]
fn a_missing_lookup_file_or_column_is_fatal() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), "deals.csv", DEALS);
    write(tmp.path(), "leads.csv", LEADS);
    let open = |yaml: &str| {
        let spec = mapping(yaml).spec("handoffs");
        CsvFile::open(&tmp.path().join("deals.csv"), "data/deals.csv", &spec)
            .err()
            .and_then(|d| d.into_iter().next())
    };
    let d = open("tables:\n  handoffs:\n    lookups: [{file: nope.csv, key: lead, columns: {company: owner}}]\n")
        .expect("missing file");
    assert_eq!(d.file, "data/nope.csv");
    let d = open("tables:\n  handoffs:\n    lookups: [{file: leads.csv, key: lead, columns: {company: firm}}]\n")
        .expect("missing column");
    assert!(d.message.contains("lookup column `firm`"), "{}", d.message);
    let d = open("tables:\n  handoffs:\n    lookups: [{file: leads.csv, key: lead_ref, columns: {company: owner}}]\n")
        .expect("missing key");
    assert!(
        d.message
            .contains("column `lead_ref`, the lookup key of `company`"),
        "{}",
        d.message
    );
    let d = open("tables:\n  handoffs:\n    derive: {sdr_id: {from: rep, format: \"s-{}\"}}\n")
        .expect("missing format source");
    assert!(
        d.message.contains("column `rep`, which formats `sdr_id`"),
        "{}",
        d.message
    );
}

#[test]
fn gaps_are_recorded_from_declarations_and_headers() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), "deals.csv", DEALS);
    let m = mapping("tables:\n  opportunities:\n    file: deals.csv\n    only: won\n    not_exported: [amount]\n");
    let spec = m.spec("opportunities");
    let f = CsvFile::open(&tmp.path().join("deals.csv"), "data/deals.csv", &spec).expect("open");
    let mut gaps = crate::model::ExportGaps::default();
    super::tables::record_gaps(Table::Opportunities, &spec, &f, &mut gaps);
    assert!(gaps.lacks(Table::Opportunities, "amount"));
    // loss_reason is simply absent from the header: a gap all the same.
    assert!(gaps.lacks(Table::Opportunities, "loss_reason"));
    assert!(gaps.only_won.contains(&Table::Opportunities));
    // `only: won` makes every row a won deal.
    let (rows, _) = read(
        tmp.path(),
        &m,
        "opportunities",
        "deals.csv",
        &["status", "amount"],
    );
    assert!(rows
        .iter()
        .all(|r| r == &["won".to_string(), String::new()]));
}

const INFER: &str = "tables:\n  reps:\n    infer_from:\n      - {table: handoffs, column: sdr_id, role: sdr}\n      - {table: opportunities, column: ae_id, role: ae}\n    fixed: {pod: p1, start_date: \"2020-01-01\"}\n  handoffs:\n    file: deals.csv\n  opportunities:\n    file: deals.csv\n";

#[test]
fn reps_are_inferred_with_the_role_of_their_column() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(
        tmp.path(),
        "deals.csv",
        "sdr_id,ae_id\ns1,a1\ns2,a1\n,a2\ns1,a2\n",
    );
    let m = mapping(INFER);
    let reps = super::infer::infer_reps(tmp.path(), "data/", &m, &m.spec("reps")).expect("reps");
    let got: Vec<(&str, Role, &str, u64)> = reps
        .iter()
        .map(|r| (r.id.as_str(), r.role, r.pod.as_str(), r.source.line))
        .collect();
    assert_eq!(
        got,
        [
            ("s1", Role::Sdr, "p1", 2),
            ("s2", Role::Sdr, "p1", 3),
            ("a1", Role::Ae, "p1", 2),
            ("a2", Role::Ae, "p1", 4),
        ]
    );
    assert_eq!(reps[0].start_date.to_string(), "2020-01-01");
    assert_eq!(reps[0].name, "s1");
}

#[test]
fn an_id_under_two_roles_is_an_error_naming_both_rows() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), "deals.csv", "sdr_id,ae_id\nx,y\ny,z\n");
    let m = mapping(INFER);
    let errs =
        super::infer::infer_reps(tmp.path(), "data/", &m, &m.spec("reps")).expect_err("conflict");
    assert_eq!(errs.len(), 1);
    let e = &errs[0];
    assert_eq!(
        (e.file.as_str(), e.line, e.column),
        ("data/deals.csv", Some(2), Some(2))
    );
    assert!(
        e.message
            .contains("rep \"y\" is named here as ae but as sdr at data/deals.csv:3"),
        "{}",
        e.message
    );
}

#[test]
fn the_whole_load_reads_inferred_reps_and_gaps() {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    let pb = tmp.path().join("playbook");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::create_dir_all(&pb).expect("mkdir");
    write(
        &data,
        "deals.csv",
        "lead,sdr_id,ae_id,day\nL1,s1,a1,2020-03-02\nL2,s1,a2,2020-03-05\n",
    );
    write(&pb, "handoff.yaml", "sections: []\n");
    write(
        &pb,
        "qualification.yaml",
        "criteria: [{key: b, name: B, column: budget}]\nsales_ready: {min_met: 1}\n",
    );
    write(
        &pb,
        "mapping.yaml",
        &format!(
            "{INFER}    columns: {{opportunity_id: lead, lead_id: lead, created_at: day, close_date: day}}\n    only: won\n    not_exported: [amount]\n"
        )
        .replace(
            "  handoffs:\n    file: deals.csv\n",
            "  handoffs:\n    file: deals.csv\n    columns: {lead_id: lead, handoff_at: day}\n    only: won\n    not_exported: [handoff_type, budget]\n",
        ),
    );
    let loaded = super::load(&super::ProjectPaths::new(tmp.path())).expect("loads");
    let ds = &loaded.dataset;
    assert!(loaded.rejections.is_empty(), "{:?}", loaded.rejections);
    assert_eq!(
        (ds.reps.len(), ds.handoffs.len(), ds.opportunities.len()),
        (3, 2, 2)
    );
    assert!(ds.gaps.only_won.contains(&Table::Handoffs));
    assert!(ds.gaps.lacks(Table::Opportunities, "amount"));
    assert!(ds.gaps.lacks(Table::Handoffs, "ae_first_contact_at"));
    assert!(ds.gaps.lacks(Table::Handoffs, "budget"));
}
