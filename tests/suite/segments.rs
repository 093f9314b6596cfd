//! Segments (issue 21): the funnel and closed deals by the value of a column segments.yaml
//! declares. Every expected figure is counted by hand in tests/fixtures/segments/README.md.

use baton::metrics::segments::{Bucket, SegmentMetrics, SegmentValue};
use baton::metrics::stats::Rate;
use baton::metrics::{compute, data_as_of, MetricsReport};
use baton::period::Period;
use rust_decimal::Decimal;

use crate::util::{baton, copy_fixture, load};

fn report() -> MetricsReport {
    let loaded = load("segments");
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    compute(ds, Period::parse("2026-10").expect("period"), as_of)
}

fn value<'a>(d: &'a SegmentMetrics, label: &str) -> &'a SegmentValue {
    d.values
        .iter()
        .find(|v| v.label() == label)
        .unwrap_or_else(|| panic!("no value {label:?} in {}", d.name))
}

fn money(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// (hand-offs, show rate, acceptance, win rate, deals closed won, revenue closed won).
fn figures(v: &SegmentValue) -> (u64, Rate, Rate, Rate, u64, Decimal) {
    let (c, k) = (&v.metrics.cohort, &v.metrics.closed);
    (
        c.meetings_booked,
        c.show_rate,
        c.acceptance_rate,
        c.win_rate,
        k.closed_won,
        k.closed_won_amount,
    )
}

#[test]
fn lead_source_figures_are_counted_by_hand() {
    let m = report();
    let d = &m.current.segments[0];
    assert_eq!(
        (d.name.as_str(), d.table, d.column.as_str()),
        ("Lead source", "handoffs", "Lead Source")
    );
    // Three spellings of Webinar are one value, spelt as the file's first row spells it.
    let labels: Vec<&str> = d.values.iter().map(|v| v.label()).collect();
    assert_eq!(
        labels,
        [
            "<b>Events & \"Co\"</b>",
            "Outbound",
            "Referral",
            "Webinar",
            "(blank)",
            "(no hand-off)"
        ]
    );
    assert_eq!(
        figures(value(d, "Webinar")),
        (
            4,
            Rate::new(3, 4),
            Rate::new(2, 3),
            Rate::new(1, 2),
            2,
            money("1700.00")
        )
    );
    assert_eq!(
        figures(value(d, "Referral")),
        (
            2,
            Rate::new(1, 1),
            Rate::new(1, 1),
            Rate::new(1, 1),
            1,
            money("2500.50")
        )
    );
    assert_eq!(
        figures(value(d, "<b>Events & \"Co\"</b>")),
        (
            1,
            Rate::new(1, 1),
            Rate::new(0, 0),
            Rate::new(0, 0),
            0,
            Decimal::ZERO
        )
    );
    assert_eq!(
        figures(value(d, "Outbound")),
        (
            1,
            Rate::new(0, 0),
            Rate::new(0, 0),
            Rate::new(0, 0),
            0,
            Decimal::ZERO
        )
    );
    // An empty cell and a cell of spaces (L7, L8) are the blank bucket, never dropped.
    let blank = value(d, "(blank)");
    assert_eq!(
        (blank.value.as_deref(), blank.bucket),
        (None, Some(Bucket::Blank))
    );
    assert_eq!(
        figures(blank),
        (
            2,
            Rate::new(1, 2),
            Rate::new(1, 1),
            Rate::new(1, 1),
            1,
            money("400.00")
        )
    );
    // O6 names no lead: its revenue is kept under (no hand-off).
    let none = value(d, "(no hand-off)");
    assert_eq!(none.bucket, Some(Bucket::NoHandoff));
    assert_eq!(
        figures(none),
        (
            0,
            Rate::new(0, 0),
            Rate::new(0, 0),
            Rate::new(0, 0),
            1,
            money("300.00")
        )
    );
    // Small samples (min_sample 3): Webinar's win rate (2), not its show rate (4) or
    // acceptance (3).
    let small = &value(d, "Webinar").metrics.small_sample;
    assert!(small.contains(&"win_rate"), "{small:?}");
    assert!(
        !small.contains(&"show_rate") && !small.contains(&"acceptance_rate"),
        "{small:?}"
    );
    assert!(value(d, "Referral")
        .metrics
        .small_sample
        .contains(&"show_rate"));
}

#[test]
fn a_dimension_of_leads_follows_each_lead_to_its_hand_off_and_deals() {
    let m = report();
    let d = &m.current.segments[2];
    assert_eq!(
        (d.name.as_str(), d.table, d.column.as_str()),
        ("Lead origin", "leads", "Lead Origin")
    );
    let labels: Vec<&str> = d.values.iter().map(|v| v.label()).collect();
    assert_eq!(
        labels,
        [
            "Google Ads",
            "Trade show",
            "(blank)",
            "(no lead row)",
            "(no hand-off)"
        ]
    );
    let leads = |v: &SegmentValue| {
        let l = v
            .metrics
            .leads
            .as_ref()
            .expect("lead figures in a dimension of leads.csv");
        (l.leads_assigned, l.leads_converted, l.lead_to_meeting)
    };
    let google = value(d, "Google Ads");
    assert_eq!(
        figures(google),
        (
            3,
            Rate::new(3, 3),
            Rate::new(2, 3),
            Rate::new(2, 2),
            2,
            money("3500.50")
        )
    );
    assert_eq!(leads(google), (3, 2, Rate::new(2, 3)));
    let trade = value(d, "Trade show");
    assert_eq!(
        figures(trade),
        (
            1,
            Rate::new(0, 1),
            Rate::new(0, 0),
            Rate::new(0, 0),
            0,
            Decimal::ZERO
        )
    );
    assert_eq!(leads(trade), (2, 1, Rate::new(1, 2)));
    let blank = value(d, "(blank)");
    assert_eq!(
        figures(blank),
        (
            1,
            Rate::new(1, 1),
            Rate::new(1, 1),
            Rate::new(0, 1),
            0,
            Decimal::ZERO
        )
    );
    assert_eq!(leads(blank), (2, 1, Rate::new(1, 2)));
    let no_lead = value(d, "(no lead row)");
    assert_eq!(no_lead.bucket, Some(Bucket::NoLead));
    assert_eq!(
        figures(no_lead),
        (
            5,
            Rate::new(2, 3),
            Rate::new(1, 1),
            Rate::new(1, 1),
            2,
            money("1100.00")
        )
    );
    assert_eq!(leads(no_lead), (0, 0, Rate::new(0, 0)));
    assert_eq!(figures(value(d, "(no hand-off)")).5, money("300.00"));
    // Lead figures are split only by a dimension of leads.csv.
    assert!(m.current.segments[0]
        .values
        .iter()
        .all(|v| v.metrics.leads.is_none()));
    let team = m.current.team.leads.as_ref().expect("team leads");
    assert_eq!((team.leads_assigned, team.leads_converted), (7, 4));
}

#[test]
fn every_dimension_adds_up_to_the_team() {
    let m = report();
    let team = &m.current.team;
    assert_eq!(team.cohort.meetings_booked, 10);
    assert_eq!(team.closed.closed_won_amount, money("4900.50"));
    for d in &m.current.segments {
        let booked: u64 = d
            .values
            .iter()
            .map(|v| v.metrics.cohort.meetings_booked)
            .sum();
        let held: u64 = d.values.iter().map(|v| v.metrics.cohort.held).sum();
        let won: u64 = d.values.iter().map(|v| v.metrics.closed.closed_won).sum();
        let revenue: Decimal = d
            .values
            .iter()
            .map(|v| v.metrics.closed.closed_won_amount)
            .sum();
        assert_eq!(booked, 10, "{}", d.name);
        assert_eq!(held, team.cohort.held, "{}", d.name);
        assert_eq!(won, 5, "{}", d.name);
        assert_eq!(revenue, money("4900.50"), "{}", d.name);
    }
    let region = &m.current.segments[1];
    assert_eq!(region.name, "Region");
    let na = figures(value(region, "NA"));
    assert_eq!(
        (na.0, na.1, na.4, na.5),
        (5, Rate::new(4, 5), 3, money("4200.50"))
    );
    let emea = figures(value(region, "EMEA"));
    assert_eq!(
        (emea.0, emea.1, emea.4, emea.5),
        (5, Rate::new(2, 3), 1, money("400.00"))
    );
    assert_eq!(figures(value(region, "(no hand-off)")).5, money("300.00"));
    // September's cohort has L0 alone: Webinar, NA.
    let sep = &m.previous.segments[0];
    assert_eq!(sep.values.len(), 1);
    assert_eq!(
        (
            sep.values[0].label(),
            sep.values[0].metrics.cohort.meetings_booked
        ),
        ("Webinar", 1)
    );
}

#[test]
fn the_site_has_a_page_per_dimension_with_the_text_escaped() {
    let dir = copy_fixture("segments");
    let out = baton(dir.path(), &["build", "--period", "2026-10"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("output");
    let page = std::fs::read_to_string(site.join("segments/lead-source.html")).expect("page");
    assert!(
        page.contains("&lt;b&gt;Events &amp; &quot;Co&quot;&lt;&#x2F;b&gt;"),
        "escaped in the table"
    );
    assert!(!page.contains("<b>Events"), "never raw");
    // Tera writes `/` as `&#x2F;`.
    assert!(
        page.contains("75% (3&#x2F;4)"),
        "Webinar's show rate with its counts"
    );
    assert!(page.contains("$4,900.50"), "the team's revenue closed won");
    assert!(page.contains("<em>(blank)</em>") && page.contains("<em>(no hand-off)</em>"));
    assert!(
        page.contains("class=\"sample-marker\""),
        "small samples marked"
    );
    assert!(page.contains("<svg"), "the chart");
    assert!(page.contains("segments&#x2F;region.html") || page.contains("segments/region.html"));
    assert!(site.join("segments/region.html").is_file());
    let origin =
        std::fs::read_to_string(site.join("segments/lead-origin.html")).expect("leads page");
    assert!(origin.contains("<em>(no lead row)</em>"));
    assert!(
        origin.contains("67% (2&#x2F;3)"),
        "Google Ads' lead to meeting"
    );
    let index = std::fs::read_to_string(site.join("index.html")).expect("index");
    assert!(
        crate::util::hrefs(&index)
            .iter()
            .any(|h| h.ends_with("segments/lead-source.html")),
        "in the navigation"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("metrics.json")).expect("json"))
            .expect("parse");
    let values = &json["current"]["segments"][0]["values"];
    let blank = values
        .as_array()
        .expect("values")
        .iter()
        .find(|v| v["bucket"] == "blank")
        .expect("blank");
    assert_eq!(blank["value"], serde_json::Value::Null);
    assert_eq!(blank["meetings_booked"], 2);
    assert_eq!(blank["show_rate"]["num"], 1);
    assert_eq!(blank["show_rate"]["den"], 2);
}

#[test]
fn a_declared_column_the_export_lacks_is_an_error() {
    let dir = copy_fixture("segments");
    let yaml = dir.path().join("playbook/segments.yaml");
    let text = std::fs::read_to_string(&yaml)
        .expect("yaml")
        .replace("column: Lead Source", "column: Lead Origin");
    std::fs::write(&yaml, text).expect("write");
    let out = baton(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        err.contains("playbook/segments.yaml:4: error: segment `Lead source` reads column `Lead Origin`, which data/handoffs.csv does not have in its header; the header has: "),
        "{err}"
    );
}

#[test]
fn without_a_hand_offs_export_the_page_says_which_export_fills_it() {
    let dir = copy_fixture("ae-only");
    std::fs::write(
        dir.path().join("playbook/segments.yaml"),
        "dimensions:\n  - name: Lead source\n    column: lead_source\n",
    )
    .expect("write");
    let out = baton(dir.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        std::fs::read_to_string(dir.path().join("output/segments/lead-source.html")).expect("page");
    assert!(
        page.contains("Not shown: not exported (no hand-offs export (handoffs.csv)"),
        "{page}"
    );
    assert!(!page.contains("<svg"), "no chart of zeros");
}

#[test]
fn without_a_meetings_export_segment_figures_are_not_exported_never_zero() {
    let dir = copy_fixture("segments");
    std::fs::remove_file(dir.path().join("data/meetings.csv")).expect("remove");
    let out = baton(dir.path(), &["build", "--period", "2026-10"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("output");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("metrics.json")).expect("json"))
            .expect("parse");
    let webinar = json["current"]["segments"][0]["values"]
        .as_array()
        .expect("values")
        .iter()
        .find(|v| v["value"] == "Webinar")
        .expect("Webinar")
        .clone();
    assert_eq!(webinar["show_rate"], serde_json::Value::Null);
    assert_eq!(webinar["win_rate"], serde_json::Value::Null);
    // Acceptance then counts decided hand-offs: L1, L4 accepted and L2 rejected of L1-L4.
    assert_eq!(
        (
            webinar["acceptance_rate"]["num"].clone(),
            webinar["acceptance_rate"]["den"].clone()
        ),
        (2.into(), 3.into())
    );
    let small = webinar["small_sample"].as_array().expect("small");
    assert!(!small.iter().any(|k| k == "show_rate"), "{small:?}");
    let page = std::fs::read_to_string(site.join("segments/lead-source.html")).expect("page");
    assert!(page.contains("Acceptance (decided hand-offs, no meetings export)"));
    // Show rate, win rate and hand-offs won (counted over held meetings) cannot be given
    // without meetings: their columns are named once under the table, with the reason, not
    // filled with "not exported" on every row.
    assert!(
        page.contains("Not exported: Show rate, Win rate, Hand-offs won (no meetings export"),
        "{page}"
    );
    assert!(!page.contains("glossary.html#show_rate"), "{page}");
    assert!(
        page.contains("Acceptance rate by Lead source"),
        "the chart falls back to acceptance"
    );
}

/// The shipped example declares its lead source (src/generate/leads.rs writes it with blanks
/// and an `outbound` in lower case): the values, blanks and deals without a hand-off add up to
/// the team in every period, and the two spellings are one value.
#[test]
fn the_example_lead_source_adds_up_to_the_team() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = baton::input::load(&baton::input::ProjectPaths::new(root.to_path_buf()))
        .unwrap_or_else(|e| panic!("example: {e}"));
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    let m = compute(ds, Period::parse("2026-10").expect("period"), as_of);
    for p in [&m.current, &m.previous, &m.previous_at_age] {
        let d = &p.segments[0];
        assert_eq!(d.name, "Lead source");
        let sum = |f: &dyn Fn(&SegmentValue) -> u64| d.values.iter().map(f).sum::<u64>();
        assert_eq!(
            sum(&|v| v.metrics.cohort.meetings_booked),
            p.team.cohort.meetings_booked
        );
        assert_eq!(sum(&|v| v.metrics.cohort.held), p.team.cohort.held);
        assert_eq!(sum(&|v| v.metrics.cohort.accepted), p.team.cohort.accepted);
        assert_eq!(sum(&|v| v.metrics.cohort.won), p.team.cohort.won);
        assert_eq!(
            sum(&|v| v.metrics.closed.closed_won),
            p.team.closed.closed_won
        );
        let revenue: Decimal = d
            .values
            .iter()
            .map(|v| v.metrics.closed.closed_won_amount)
            .sum();
        assert_eq!(revenue, p.team.closed.closed_won_amount);
        assert!(d.values.iter().any(|v| v.label() == "Outbound"));
        assert!(
            !d.values.iter().any(|v| v.label() == "outbound"),
            "one value"
        );
    }
    assert!(m.current.segments[0]
        .values
        .iter()
        .any(|v| v.bucket == Some(Bucket::Blank)));
}

#[test]
fn a_dimension_of_leads_without_a_leads_export_says_which_export_fills_it() {
    let dir = copy_fixture("segments");
    std::fs::remove_file(dir.path().join("data/leads.csv")).expect("remove");
    let out = baton(dir.path(), &["build", "--period", "2026-10"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("output");
    let page = std::fs::read_to_string(site.join("segments/lead-origin.html")).expect("page");
    assert!(
        page.contains("Not shown: not exported (no leads export (leads.csv)"),
        "{page}"
    );
    // The dimensions of handoffs.csv are unchanged.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("metrics.json")).expect("json"))
            .expect("parse");
    assert_eq!(
        json["current"]["segments"][2]["values"],
        serde_json::json!([])
    );
    assert_eq!(
        json["current"]["segments"][0]["values"]
            .as_array()
            .map(Vec::len),
        Some(6)
    );
}

#[test]
fn a_declared_column_leads_csv_lacks_is_an_error() {
    let dir = copy_fixture("segments");
    let yaml = dir.path().join("playbook/segments.yaml");
    let text = std::fs::read_to_string(&yaml)
        .expect("yaml")
        .replace("column: Lead Origin", "column: Lead Orgin");
    std::fs::write(&yaml, text).expect("write");
    let out = baton(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        err.contains("playbook/segments.yaml:10: error: segment `Lead origin` reads column `Lead Orgin`, which data/leads.csv does not have in its header; did you mean `lead_origin`?"),
        "{err}"
    );
}

/// Two spellings counted as one value change a figure, so each is said: the fixture's
/// handoffs.csv spells `Webinar` at line 2, ` webinar ` at line 4 and `WEBINAR` at line 5
/// (column 18, `Lead Source`); its leads.csv spells `Google Ads` at line 2, `google ads` at
/// line 3 and `GOOGLE ADS` at line 8 (column 4). Exact spellings repeated (`Webinar` at
/// lines 3 and 6) are no warning.
#[test]
fn each_spelling_taken_as_another_is_a_warning_at_its_first_row() {
    let dir = copy_fixture("segments");
    let out = baton(dir.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let merged: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("differ only in case and spacing"))
        .collect();
    let rule = "segment values that differ only in case and spacing are one value";
    assert_eq!(
        merged,
        [
            format!("data/handoffs.csv:4:18: warning: segment column `lead_source`: \"webinar\" (1 row) is counted as \"Webinar\", spelt so at line 2: {rule}"),
            format!("data/handoffs.csv:5:18: warning: segment column `lead_source`: \"WEBINAR\" (1 row) is counted as \"Webinar\", spelt so at line 2: {rule}"),
            format!("data/leads.csv:3:4: warning: segment column `lead_origin`: \"google ads\" (1 row) is counted as \"Google Ads\", spelt so at line 2: {rule}"),
            format!("data/leads.csv:8:4: warning: segment column `lead_origin`: \"GOOGLE ADS\" (1 row) is counted as \"Google Ads\", spelt so at line 2: {rule}"),
        ],
        "{err}"
    );
    // Warnings, not errors: the build goes on; `--deny-warnings` fails on them.
    assert_eq!(out.status.code(), Some(0), "{err}");
    let strict = baton(dir.path(), &["check", "--deny-warnings"]);
    assert_ne!(strict.status.code(), Some(0));
}

fn deals_report() -> MetricsReport {
    let loaded = load("segments-deals");
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    compute(ds, Period::parse("2026-10").expect("period"), as_of)
}

/// (hand-offs, show rate, acceptance, win rate by close date, deals won, revenue closed won,
/// average deal, sales cycle median and its n, open deals and their amount).
#[allow(clippy::type_complexity)]
fn deal_figures(
    v: &SegmentValue,
) -> (
    u64,
    Rate,
    Rate,
    Rate,
    u64,
    Decimal,
    Option<Decimal>,
    (Option<f64>, u64),
    (u64, Decimal),
) {
    let (c, k) = (&v.metrics.cohort, &v.metrics.closed);
    (
        c.meetings_booked,
        c.show_rate,
        c.acceptance_rate,
        k.closed_win_rate,
        k.closed_won,
        k.closed_won_amount,
        k.avg_won_deal_amount,
        (k.sales_cycle_days_median, k.sales_cycle_days_n),
        (k.open_pipeline, k.open_pipeline_amount),
    )
}

/// A dimension of opportunities.csv: deals by their own value, hand-offs by their
/// earliest-created deal's (tie by id), hand-offs without a deal under `(no deal)`. Every
/// figure is counted by hand in tests/fixtures/segments-deals/README.md.
#[test]
fn a_dimension_of_opportunities_counts_each_deal_by_its_own_value() {
    let m = deals_report();
    let d = &m.current.segments[0];
    assert_eq!(
        (d.name.as_str(), d.table, d.column.as_str()),
        ("Product", "opportunities", "Product")
    );
    let labels: Vec<&str> = d.values.iter().map(|v| v.label()).collect();
    assert_eq!(
        labels,
        ["Gadgets", "Services", "Widgets", "(blank)", "(no deal)"]
    );
    assert_eq!(value(d, "(no deal)").bucket, Some(Bucket::NoDeal));
    let r = Rate::new;
    assert_eq!(
        deal_figures(value(d, "Gadgets")),
        (
            1,
            r(1, 1),
            r(1, 1),
            r(2, 3),
            2,
            money("2400.00"),
            Some(money("1200.00")),
            (Some(14.0), 2),
            (0, Decimal::ZERO)
        )
    );
    assert_eq!(
        deal_figures(value(d, "Services")),
        (
            1,
            r(1, 1),
            r(1, 1),
            r(0, 0),
            0,
            Decimal::ZERO,
            None,
            (None, 0),
            (1, money("1500.00"))
        )
    );
    assert_eq!(
        deal_figures(value(d, "Widgets")),
        (
            1,
            r(1, 1),
            r(1, 1),
            r(2, 2),
            2,
            money("1700.00"),
            Some(money("850.00")),
            (Some(14.5), 2),
            (1, money("800.00"))
        )
    );
    assert_eq!(
        deal_figures(value(d, "(blank)")),
        (
            1,
            r(1, 1),
            r(1, 1),
            r(1, 1),
            1,
            money("300.00"),
            Some(money("300.00")),
            (Some(18.0), 1),
            (0, Decimal::ZERO)
        )
    );
    assert_eq!(
        deal_figures(value(d, "(no deal)")),
        (
            2,
            r(1, 2),
            r(0, 1),
            r(0, 0),
            0,
            Decimal::ZERO,
            None,
            (None, 0),
            (0, Decimal::ZERO)
        )
    );
    // Small samples: every win rate but Gadgets' (3 deals closed).
    assert!(!value(d, "Gadgets")
        .metrics
        .small_sample
        .contains(&"closed_win_rate"));
    assert!(value(d, "Widgets")
        .metrics
        .small_sample
        .contains(&"closed_win_rate"));
    // Every column adds up to the team.
    let team = &m.current.team;
    assert_eq!(
        (
            team.cohort.meetings_booked,
            team.cohort.held,
            team.closed.closed_won,
            team.closed.closed_lost,
            team.closed.closed_won_amount,
            team.closed.open_pipeline_amount
        ),
        (6, 5, 5, 1, money("4400.00"), money("2300.00"))
    );
    let sum = |f: &dyn Fn(&SegmentValue) -> u64| d.values.iter().map(f).sum::<u64>();
    assert_eq!(sum(&|v| v.metrics.cohort.meetings_booked), 6);
    assert_eq!(sum(&|v| v.metrics.cohort.held), 5);
    assert_eq!(sum(&|v| v.metrics.closed.closed_won), 5);
    assert_eq!(sum(&|v| v.metrics.closed.closed_lost), 1);
    assert_eq!(sum(&|v| v.metrics.closed.open_pipeline), 2);
    let revenue: Decimal = d
        .values
        .iter()
        .map(|v| v.metrics.closed.closed_won_amount)
        .sum();
    assert_eq!(revenue, money("4400.00"));
    // September: L0 takes O7's Gadgets; O7 was still open at September's end.
    let sep = &m.previous.segments[0];
    assert_eq!(sep.values.len(), 1);
    let g = &sep.values[0];
    assert_eq!(
        (
            g.label(),
            g.metrics.cohort.meetings_booked,
            g.metrics.closed.open_pipeline,
            g.metrics.closed.open_pipeline_amount
        ),
        ("Gadgets", 1, 1, money("400.00"))
    );
}

/// The hand-off's deal is its earliest-created one whatever the file's order: L2's O3 and O4
/// were created at the same moment, O4 first in the file; swapping their rows changes nothing.
#[test]
fn a_hand_off_takes_its_earliest_deal_ties_by_id_not_by_row_order() {
    let dir = copy_fixture("segments-deals");
    let path = dir.path().join("data/opportunities.csv");
    let text = std::fs::read_to_string(&path).expect("csv");
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(lines[3].starts_with("O4,") && lines[4].starts_with("O3,"));
    lines.swap(3, 4);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let loaded = baton::input::load(&baton::input::ProjectPaths::new(dir.path().to_path_buf()))
        .unwrap_or_else(|e| panic!("{e}"));
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    let m = compute(ds, Period::parse("2026-10").expect("period"), as_of);
    let d = &m.current.segments[0];
    assert_eq!(value(d, "Gadgets").metrics.cohort.meetings_booked, 1);
    assert_eq!(value(d, "Widgets").metrics.cohort.meetings_booked, 1);
    // With an --as-of before any of L1's deals existed, L1 has no deal yet.
    let early = "2026-10-04T23:59:59Z".parse().expect("as_of");
    let m = compute(ds, Period::parse("2026-10").expect("period"), early);
    let no_deal = value(&m.current.segments[0], "(no deal)");
    assert_eq!(no_deal.metrics.cohort.meetings_booked, 4, "L1-L4");
}

#[test]
fn the_opportunities_dimension_page_warnings_and_errors() {
    let dir = copy_fixture("segments-deals");
    let out = baton(dir.path(), &["build", "--period", "2026-10"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("data/opportunities.csv:5:9: warning: segment column `product`: \"gadgets\" (1 row) is counted as \"Gadgets\", spelt so at line 3"),
        "{err}"
    );
    let site = dir.path().join("output");
    let page = std::fs::read_to_string(site.join("segments/product.html")).expect("page");
    assert!(page.contains("<em>(no deal)</em>"));
    assert!(
        !page.contains("(no hand-off)"),
        "deals carry their own value"
    );
    assert!(page.contains("earliest-created opportunity"));
    assert!(page.contains("Win rate by close date"));
    assert!(
        page.contains("67% (2&#x2F;3)"),
        "Gadgets' win rate by close date"
    );
    assert!(page.contains("$1,200.00"), "Gadgets' average deal");
    assert!(page.contains("$1,500.00 (1)"), "Services' open pipeline");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("metrics.json")).expect("json"))
            .expect("parse");
    let dim = &json["current"]["segments"][0];
    assert_eq!(dim["table"], "opportunities");
    let no_deal = (dim["values"].as_array().expect("values").iter())
        .find(|v| v["bucket"] == "no_deal")
        .expect("no_deal");
    assert_eq!(no_deal["meetings_booked"], 2);

    // A column opportunities.csv lacks: an error at its line of segments.yaml.
    let yaml = dir.path().join("playbook/segments.yaml");
    std::fs::write(
        &yaml,
        std::fs::read_to_string(&yaml)
            .expect("yaml")
            .replace("column: Product", "column: Prodcut"),
    )
    .expect("write");
    let out = baton(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("playbook/segments.yaml:5: error: segment `Product` reads column `Prodcut`, which data/opportunities.csv does not have in its header; did you mean `product`?"),
        "{err}"
    );
}

#[test]
fn a_dimension_of_opportunities_without_an_opportunities_export_says_so() {
    let dir = copy_fixture("segments-deals");
    std::fs::remove_file(dir.path().join("data/opportunities.csv")).expect("remove");
    let out = baton(dir.path(), &["build", "--period", "2026-10"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        std::fs::read_to_string(dir.path().join("output/segments/product.html")).expect("page");
    assert!(page.contains("Not shown: not exported ("), "{page}");
    assert!(!page.contains("<svg"), "no chart of zeros");
}
