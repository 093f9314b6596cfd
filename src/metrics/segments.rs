//! Figures by segment (docs/metrics.md, "Segments"): the team's funnel and closed deals split
//! by the value of a column the playbook declares in `segments.yaml` (lead source, product,
//! region...). Summed with the same accumulators as a pod, so a segment's show rate is the
//! team's show rate over its hand-offs, never a second definition.

use foldhash::{HashMap, HashMapExt};
use serde::Serialize;

use super::EntityMetrics;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::model::{Dataset, Handoff, Leads, Opportunity, Table};
use crate::playbook::SegmentTable;

/// Where a hand-off or deal falls in one dimension. Ordered as metrics.json lists them: the
/// exported values in text order, then the blank bucket, hand-offs without a lead row or
/// without a deal, then deals no hand-off sourced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SegmentKey<'a> {
    /// A value as exported (one spelling per value ignoring case and spacing).
    Value(&'a str),
    /// The hand-off's cell is empty: counted, never dropped.
    Blank,
    /// A hand-off with no row in leads.csv, in a dimension read from leads.csv.
    NoLead,
    /// A hand-off with no opportunity, in a dimension read from opportunities.csv.
    NoDeal,
    /// A deal whose lead has no hand-off (no SDR sourced it): it has revenue but no value.
    NoHandoff,
}

impl<'a> SegmentKey<'a> {
    /// The key of a hand-off whose value in the dimension is `value`.
    pub fn of(value: Option<&'a str>) -> Self {
        value.map_or(SegmentKey::Blank, SegmentKey::Value)
    }

    /// The bucket a key without a value stands for.
    pub fn bucket(self) -> Option<Bucket> {
        match self {
            SegmentKey::Value(_) => None,
            SegmentKey::Blank => Some(Bucket::Blank),
            SegmentKey::NoLead => Some(Bucket::NoLead),
            SegmentKey::NoDeal => Some(Bucket::NoDeal),
            SegmentKey::NoHandoff => Some(Bucket::NoHandoff),
        }
    }
}

/// A row of a segment that is not an exported value (metrics.json `bucket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Hand-offs (or leads) whose cell is empty, and their deals.
    Blank,
    /// Hand-offs without a row in leads.csv (a dimension of leads.csv), and their deals.
    NoLead,
    /// Hand-offs without an opportunity (a dimension of opportunities.csv): their funnel
    /// counts, and they have no deal.
    NoDeal,
    /// Deals no hand-off sourced (the opportunity names no lead handed off).
    NoHandoff,
}

impl Bucket {
    /// As pages write the row's name.
    pub fn label(self) -> &'static str {
        match self {
            Bucket::Blank => "(blank)",
            Bucket::NoLead => "(no lead row)",
            Bucket::NoDeal => "(no deal)",
            Bucket::NoHandoff => "(no hand-off)",
        }
    }
}

/// One declared dimension's figures for one period (metrics.json `segments`).
#[derive(Debug, Clone, Serialize)]
pub struct SegmentMetrics {
    /// The dimension's name as segments.yaml gives it.
    pub name: String,
    /// The export its column is read from (`handoffs`, `leads` or `opportunities`).
    pub table: &'static str,
    /// The column as segments.yaml names it.
    pub column: String,
    /// Every value with a hand-off of the period or a deal of its closed or open figures.
    pub values: Vec<SegmentValue>,
}

/// The figures of one value of a dimension.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentValue {
    /// The value as exported; `null` for a bucket.
    pub value: Option<String>,
    /// `blank`, `no_lead`, `no_deal` or `no_handoff` for the rows that are not a value;
    /// absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<Bucket>,
    #[serde(flatten)]
    pub metrics: EntityMetrics,
}

impl SegmentValue {
    /// As pages name the row: the value, or its bucket's label.
    pub fn label(&self) -> &str {
        match (&self.value, self.bucket) {
            (Some(v), _) => v,
            (None, Some(b)) => b.label(),
            (None, None) => "",
        }
    }
}

/// How each declared dimension finds the value of a hand-off, a lead and a deal.
pub struct Dims<'a> {
    /// Per dimension, in segments.yaml's order: its export, its place among that export's
    /// dimensions (the index into `Handoff::segments`, `Lead::segments` or
    /// `Opportunity::segments`), and whether the export is there (a dimension of a missing
    /// export has no values).
    slots: Vec<(SegmentTable, usize, bool)>,
    /// The leads, and each one's place among them by lead id when a dimension reads
    /// leads.csv.
    lead_rows: &'a Leads,
    leads: HashMap<&'a str, usize>,
    /// Each hand-off's earliest-created opportunity by lead id (ties: the smaller
    /// `opportunity_id`), when a dimension reads opportunities.csv.
    first_deals: HashMap<&'a str, &'a Opportunity>,
}

impl<'a> Dims<'a> {
    /// The dimensions of `ds`'s playbook, with the deals created by `until` (the moment the
    /// hand-offs' figures are taken at) giving hand-offs their value.
    pub fn new(ds: &'a Dataset, until: DateTime<Utc>) -> Self {
        let dims = &ds.playbook.segments.dimensions;
        // A dimension's place among its export's: how many before it read the same export.
        let slots: Vec<(SegmentTable, usize, bool)> = (dims.iter().enumerate())
            .map(|(k, d)| {
                let i = dims[..k].iter().filter(|e| e.table == d.table).count();
                (d.table, i, ds.has(Table::from(d.table)))
            })
            .collect();
        let reads = |t: SegmentTable| slots.iter().any(|s| s.0 == t);
        let leads = if reads(SegmentTable::Leads) {
            (ds.leads.iter().enumerate())
                .map(|(k, l)| (&*l.lead_id, k))
                .collect()
        } else {
            HashMap::new()
        };
        let first_deals = if reads(SegmentTable::Opportunities) {
            first_deals(&ds.opportunities, until)
        } else {
            HashMap::new()
        };
        Dims {
            slots,
            lead_rows: &ds.leads,
            leads,
            first_deals,
        }
    }

    /// How many dimensions the playbook declares.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Whether dimension `d`'s export is there: without it the dimension has no values.
    pub fn active(&self, d: usize) -> bool {
        self.slots.get(d).is_some_and(|s| s.2)
    }

    /// Whether dimension `d` reads leads.csv, so that lead figures split by it too.
    pub fn of_leads(&self, d: usize) -> bool {
        self.slots
            .get(d)
            .is_some_and(|s| s.0 == SegmentTable::Leads)
    }

    /// Where hand-off `h` falls in dimension `d`: its own cell, its lead row's (no lead row:
    /// `NoLead`), or its earliest-created deal's (no deal: `NoDeal`).
    pub fn of_handoff(&self, d: usize, h: &'a Handoff) -> SegmentKey<'a> {
        let Some(&(table, i, _)) = self.slots.get(d) else {
            return SegmentKey::Blank;
        };
        match table {
            SegmentTable::Handoffs => SegmentKey::of(value(&h.segments, i)),
            SegmentTable::Leads => match self.leads.get(h.lead_id.as_str()) {
                Some(&k) => SegmentKey::of(value(self.lead_rows.segments(k), i)),
                None => SegmentKey::NoLead,
            },
            SegmentTable::Opportunities => match self.first_deals.get(h.lead_id.as_str()) {
                Some(o) => SegmentKey::of(value(&o.segments, i)),
                None => SegmentKey::NoDeal,
            },
        }
    }

    /// Where deal `o`, sourced by hand-off `h` (`None`: no SDR sourced it), falls in
    /// dimension `d`: in a dimension of opportunities.csv its own value, whatever its
    /// hand-off's; in any other, its hand-off's (`NoHandoff` without one).
    pub fn of_deal(&self, d: usize, o: &'a Opportunity, h: Option<&'a Handoff>) -> SegmentKey<'a> {
        match self.slots.get(d) {
            Some(&(SegmentTable::Opportunities, i, _)) => SegmentKey::of(value(&o.segments, i)),
            _ => h.map_or(SegmentKey::NoHandoff, |h| self.of_handoff(d, h)),
        }
    }

    /// Where the lead at place `k` of the dataset's leads falls in dimension `d`; `None` for a
    /// dimension of another export (a lead that never became a hand-off has no value there,
    /// so lead figures are not split by it).
    pub fn of_lead(&self, d: usize, k: usize) -> Option<SegmentKey<'a>> {
        match self.slots.get(d) {
            Some(&(SegmentTable::Leads, i, _)) => {
                Some(SegmentKey::of(value(self.lead_rows.segments(k), i)))
            }
            _ => None,
        }
    }
}

/// The `i`th segment value of a row, `None` when its cell is empty.
fn value(values: &[Option<Arc<str>>], i: usize) -> Option<&str> {
    values.get(i).and_then(|v| v.as_deref())
}

/// Each lead's earliest-created opportunity, by lead id: the deal whose value its hand-off
/// takes in a dimension of opportunities.csv. Two created at the same moment: the smaller
/// `opportunity_id` (text order), so the choice never depends on the file's row order.
/// Deals naming no lead have no hand-off and are left out, as are deals created after
/// `until` (not there yet at the moment the hand-offs' figures are taken).
fn first_deals<'a>(
    opportunities: &'a [Opportunity],
    until: DateTime<Utc>,
) -> HashMap<&'a str, &'a Opportunity> {
    let mut first: HashMap<&str, &Opportunity> = HashMap::new();
    for o in opportunities.iter().filter(|o| o.created_at <= until) {
        let Some(lead) = o.lead_id.as_deref() else {
            continue;
        };
        let key = |o: &'a Opportunity| (o.created_at, o.opportunity_id.as_str());
        first
            .entry(lead)
            .and_modify(|f| {
                if key(o) < key(f) {
                    *f = o;
                }
            })
            .or_insert(o);
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LeadRecord, Source};
    use crate::playbook::Dimension;
    use chrono::{DateTime, Utc};
    use std::sync::Arc;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-10-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn src() -> Source {
        Source {
            file: "data/x.csv".into(),
            line: 2,
        }
    }

    fn values(v: &[Option<&str>]) -> Vec<Option<Arc<str>>> {
        v.iter().map(|x| x.map(Arc::from)).collect()
    }

    fn handoff(lead: &str, region: Option<&str>) -> Handoff {
        Handoff {
            company: "".into(),
            segments: values(&[region]).into(),
            source: src(),
            ..Handoff::example(lead, "s1", "a1", at())
        }
    }

    fn lead(id: &str, origin: Option<&str>) -> LeadRecord<'static> {
        LeadRecord {
            lead_id: id.into(),
            sdr_id: "s1".into(),
            created_at: at(),
            first_touch_at: None,
            disqualified_reason: "",
            segments: values(&[origin]).into(),
            line: 2,
        }
    }

    /// Dimensions 0 and 2 read handoffs.csv (the hand-off's values 0 and 1), dimension 1
    /// reads leads.csv.
    fn dataset(present: Vec<Table>) -> Dataset {
        let dim = |name: &str, table| Dimension {
            name: name.into(),
            table,
            column: name.into(),
            declared_at: None,
        };
        let mut playbook = crate::playbook::Playbook::default();
        playbook.segments.dimensions = vec![
            dim("region", SegmentTable::Handoffs),
            dim("origin", SegmentTable::Leads),
            dim("product", SegmentTable::Handoffs),
        ];
        let h2 = Handoff {
            segments: [None, Some("Widgets".into())].into(),
            ..handoff("L2", None)
        };
        Dataset {
            playbook,
            reps: Vec::new(),
            activity: Default::default(),
            activity_files: Vec::new(),
            handoffs: vec![handoff("L1", Some("EMEA")), h2],
            meetings: Vec::new(),
            opportunities: Vec::new(),
            one_on_ones: Vec::new(),
            forecasts: Vec::new(),
            leads: [lead("L1", Some("Ads")), lead("N1", None)]
                .into_iter()
                .collect(),
            present,
            gaps: Default::default(),
        }
    }

    #[test]
    fn each_dimension_reads_its_own_export() {
        let ds = dataset(vec![Table::Handoffs, Table::Leads]);
        let dims = Dims::new(&ds, at());
        let (h1, h2) = (&ds.handoffs[0], &ds.handoffs[1]);
        assert_eq!(dims.len(), 3);
        assert_eq!(dims.of_handoff(0, h1), SegmentKey::Value("EMEA"));
        assert_eq!(dims.of_handoff(0, h2), SegmentKey::Blank);
        // The third dimension is the hand-off's second value, not its third.
        assert_eq!(dims.of_handoff(2, h2), SegmentKey::Value("Widgets"));
        // A dimension of leads.csv: the lead row's value, or no lead row.
        assert_eq!(dims.of_handoff(1, h1), SegmentKey::Value("Ads"));
        assert_eq!(dims.of_handoff(1, h2), SegmentKey::NoLead);
        assert_eq!(dims.of_lead(1, 1), Some(SegmentKey::Blank));
        assert_eq!(dims.of_lead(0, 0), None, "not split by a hand-off column");
        assert!(dims.of_leads(1) && !dims.of_leads(0));
        assert!((0..3).all(|d| dims.active(d)));
    }

    #[test]
    fn a_dimension_of_a_missing_export_is_inactive() {
        let ds = dataset(vec![Table::Handoffs]);
        let dims = Dims::new(&ds, at());
        assert!(dims.active(0) && !dims.active(1) && dims.active(2));
    }

    fn deal(id: &str, lead: Option<&str>, created: &str, product: Option<&str>) -> Opportunity {
        Opportunity {
            opportunity_id: id.into(),
            lead_id: lead.map(Into::into),
            ae_id: "a1".into(),
            created_at: DateTime::parse_from_rfc3339(created)
                .unwrap()
                .with_timezone(&Utc),
            amount: Default::default(),
            close_date: None,
            status: crate::model::OpportunityStatus::Open,
            loss_reason: String::new(),
            reversed_at: None,
            segments: values(&[product]),
            source: src(),
        }
    }

    /// L1 has two deals created at the same moment (O9 first in the file, O10 the smaller id in
    /// text order) and a later one; L2 has none; O3 names no lead.
    #[test]
    fn a_dimension_of_opportunities_reads_each_deal_and_the_earliest_for_a_hand_off() {
        let mut ds = dataset(vec![Table::Handoffs, Table::Opportunities]);
        ds.playbook.segments.dimensions.push(Dimension {
            name: "Product".into(),
            table: SegmentTable::Opportunities,
            column: "Product".into(),
            declared_at: None,
        });
        ds.opportunities = vec![
            deal("O9", Some("L1"), "2026-10-02T09:00:00Z", Some("Gadgets")),
            deal("O10", Some("L1"), "2026-10-02T09:00:00Z", Some("Widgets")),
            deal("O0", Some("L1"), "2026-10-05T09:00:00Z", Some("Services")),
            deal("O3", None, "2026-10-01T09:00:00Z", None),
        ];
        let late = DateTime::parse_from_rfc3339("2026-10-31T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let dims = Dims::new(&ds, late);
        let (h1, h2) = (&ds.handoffs[0], &ds.handoffs[1]);
        assert_eq!(
            dims.of_handoff(3, h1),
            SegmentKey::Value("Widgets"),
            "O10 < O9"
        );
        assert_eq!(dims.of_handoff(3, h2), SegmentKey::NoDeal);
        let o = &ds.opportunities;
        // Each deal by its own value, its hand-off's whatever; without a lead too.
        assert_eq!(
            dims.of_deal(3, &o[2], Some(h1)),
            SegmentKey::Value("Services")
        );
        assert_eq!(dims.of_deal(3, &o[3], None), SegmentKey::Blank);
        // Another dimension: the deal follows its hand-off, or has none.
        assert_eq!(dims.of_deal(0, &o[2], Some(h1)), SegmentKey::Value("EMEA"));
        assert_eq!(dims.of_deal(0, &o[3], None), SegmentKey::NoHandoff);
        assert_eq!(dims.of_lead(3, 0), None);
        // Before any of L1's deals was created, L1 had none.
        assert_eq!(Dims::new(&ds, at()).of_handoff(3, h1), SegmentKey::NoDeal);
    }

    #[test]
    fn values_come_before_the_buckets() {
        let mut keys = vec![
            SegmentKey::NoHandoff,
            SegmentKey::Blank,
            SegmentKey::Value("b"),
            SegmentKey::NoLead,
            SegmentKey::NoDeal,
            SegmentKey::Value("A"),
        ];
        keys.sort();
        assert_eq!(
            keys,
            [
                SegmentKey::Value("A"),
                SegmentKey::Value("b"),
                SegmentKey::Blank,
                SegmentKey::NoLead,
                SegmentKey::NoDeal,
                SegmentKey::NoHandoff
            ]
        );
        let labels: Vec<&str> = (keys.iter().filter_map(|k| k.bucket()))
            .map(Bucket::label)
            .collect();
        assert_eq!(
            labels,
            ["(blank)", "(no lead row)", "(no deal)", "(no hand-off)"]
        );
    }
}
