//! Figures by segment (docs/metrics.md, "Segments"): the team's funnel and closed deals split
//! by the value of a column the playbook declares in `segments.yaml` (lead source, product,
//! region...). Summed with the same accumulators as a pod, so a segment's show rate is the
//! team's show rate over its hand-offs, never a second definition.

use serde::Serialize;

use super::EntityMetrics;

/// Where a hand-off or deal falls in one dimension. Ordered as metrics.json lists them: the
/// exported values in text order, then the blank bucket, then deals no hand-off sourced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SegmentKey<'a> {
    /// A value as exported (one spelling per value ignoring case and spacing).
    Value(&'a str),
    /// The hand-off's cell is empty: counted, never dropped.
    Blank,
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
            SegmentKey::NoHandoff => Some(Bucket::NoHandoff),
        }
    }
}

/// A row of a segment that is not an exported value (metrics.json `bucket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Hand-offs whose cell is empty, and their deals.
    Blank,
    /// Deals no hand-off sourced (the opportunity names no lead handed off).
    NoHandoff,
}

impl Bucket {
    /// As pages write the row's name.
    pub fn label(self) -> &'static str {
        match self {
            Bucket::Blank => "(blank)",
            Bucket::NoHandoff => "(no hand-off)",
        }
    }
}

/// One declared dimension's figures for one period (metrics.json `segments`).
#[derive(Debug, Clone, Serialize)]
pub struct SegmentMetrics {
    /// The dimension's name as segments.yaml gives it.
    pub name: String,
    /// The export its column is read from (`handoffs`).
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
    /// `blank` or `no_handoff` for the rows that are not a value; absent otherwise.
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
