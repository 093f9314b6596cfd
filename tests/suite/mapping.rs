//! Real-export shapes: `small-salesforce` and `small-hubspot` hold the rows of `small` as those
//! CRMs export them (BOM, CRLF, `;` and tab delimiters, Windows-1252, US dates with AM/PM,
//! `$1,234.00`, quoted commas and newlines, report footers, renamed headers and values). Read
//! through their mapping.yaml they must give exactly the metrics of the canonical fixture.

use baton::metrics::{compute, data_as_of};
use baton::period::Period;

use crate::util::load;

fn metrics_json(name: &str) -> serde_json::Value {
    let loaded = load(name);
    assert!(
        loaded.rejections.is_empty(),
        "{name}: {:#?}",
        loaded.rejections
    );
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    let m = compute(ds, Period::parse("2026-10").expect("period"), as_of);
    serde_json::to_value(&m).expect("json")
}

#[test]
fn salesforce_export_gives_the_canonical_metrics() {
    assert_eq!(metrics_json("small-salesforce"), metrics_json("small"));
}

#[test]
fn hubspot_export_gives_the_canonical_metrics() {
    assert_eq!(metrics_json("small-hubspot"), metrics_json("small"));
}

#[test]
fn salesforce_footers_are_skipped_and_counted() {
    let loaded = load("small-salesforce");
    let reps = loaded
        .accounts
        .iter()
        .find(|a| a.file == "data/reps.csv")
        .expect("reps account");
    assert_eq!((reps.read, reps.used, reps.footer), (9, 6, 3));
    // The quoted multi-line note survives as one documented section.
    let l1 = &loaded.dataset.handoffs[0];
    assert!(l1.documented.iter().all(|d| d));
    assert_eq!(&*l1.company, "Acme, Inc.");
}

#[test]
fn windows_1252_is_decoded() {
    let loaded = load("small-hubspot");
    let globex = loaded
        .dataset
        .handoffs
        .iter()
        .find(|h| h.lead_id == "L3")
        .expect("L3");
    assert_eq!(&*globex.company, "Globex Café");
}
