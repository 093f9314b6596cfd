//! Per-rep targets from `data/quotas.csv`, overriding a component's plan target for one rep
//! and payout period.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::Source;
use crate::period::Period;
use crate::playbook::comp::CompMetric;

/// One quota: the target and the row it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quota {
    pub target: Decimal,
    pub source: Source,
}

/// Quotas by rep, payout period (a month or a quarter) and component metric.
#[derive(Debug, Clone, Default)]
pub struct Quotas {
    by_key: BTreeMap<(String, Period, CompMetric), Quota>,
}

impl Quotas {
    /// Adds a quota; returns the one already set for the same rep, period and metric, if any
    /// (and keeps it: the first row wins).
    pub fn insert(
        &mut self,
        rep_id: &str,
        period: Period,
        metric: CompMetric,
        quota: Quota,
    ) -> Option<&Quota> {
        use std::collections::btree_map::Entry;
        match self.by_key.entry((rep_id.to_string(), period, metric)) {
            Entry::Occupied(e) => Some(e.into_mut()),
            Entry::Vacant(e) => {
                e.insert(quota);
                None
            }
        }
    }

    /// The quota of `rep_id` for exactly this payout period and metric.
    pub fn get(&self, rep_id: &str, period: &Period, metric: CompMetric) -> Option<&Quota> {
        self.by_key.get(&(rep_id.to_string(), *period, metric))
    }

    /// Every quota of `rep_id`, as (period, metric, quota).
    pub fn of_rep<'a>(
        &'a self,
        rep_id: &'a str,
    ) -> impl Iterator<Item = (&'a Period, CompMetric, &'a Quota)> + 'a {
        self.by_key
            .iter()
            .filter(move |((r, _, _), _)| r == rep_id)
            .map(|((_, p, m), q)| (p, *m, q))
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}
