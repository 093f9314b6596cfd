//! Outcomes by close date (event rule): deals won and lost in the period, hand-off related
//! losses, and forecast accuracy.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::stats::Rate;
use crate::model::notes::same_ignoring_case;

/// Running sums of closed opportunities.
#[derive(Debug, Clone, Default)]
pub struct ClosedAcc {
    won: u64,
    lost: u64,
    won_amount: Decimal,
    handoff_related_lost: u64,
}

impl ClosedAcc {
    pub fn add_won(&mut self, amount: Decimal) {
        self.won += 1;
        self.won_amount += amount;
    }

    pub fn add_lost(&mut self, handoff_related: bool) {
        self.lost += 1;
        if handoff_related {
            self.handoff_related_lost += 1;
        }
    }

    pub fn finish(&self) -> ClosedMetrics {
        ClosedMetrics {
            closed_won: self.won,
            closed_lost: self.lost,
            closed_won_amount: self.won_amount,
            handoff_related_loss_share: Rate::new(self.handoff_related_lost, self.lost),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ClosedMetrics {
    pub closed_won: u64,
    pub closed_lost: u64,
    pub closed_won_amount: Decimal,
    pub handoff_related_loss_share: Rate,
}

/// Whether a loss reason is on the playbook's hand-off related list (ignoring case, Unicode's
/// full case folding, and surrounding space).
pub fn is_handoff_related(reason: &str, list: &[String]) -> bool {
    let r = reason.trim();
    !r.is_empty() && list.iter().any(|l| same_ignoring_case(l.trim(), r))
}

/// `forecast_accuracy` = 1 - |actual - forecast| / actual, clamped at 0; absent when actual
/// is 0.
#[derive(Debug, Clone, Serialize)]
pub struct ForecastAccuracy {
    pub value: Option<f64>,
    pub actual: Decimal,
    pub forecast: Decimal,
}

pub fn forecast_accuracy(actual: Decimal, forecast: Decimal) -> ForecastAccuracy {
    let value = (!actual.is_zero()).then(|| {
        let acc = Decimal::ONE - (actual - forecast).abs() / actual;
        acc.max(Decimal::ZERO).to_f64().unwrap_or(0.0)
    });
    ForecastAccuracy {
        value,
        actual,
        forecast,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_accuracy_cases() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(forecast_accuracy(d("100"), d("90")).value, Some(0.9));
        assert_eq!(forecast_accuracy(d("100"), d("120")).value, Some(0.8));
        assert_eq!(forecast_accuracy(d("100"), d("300")).value, Some(0.0));
        assert_eq!(forecast_accuracy(d("0"), d("50")).value, None);
    }

    #[test]
    fn loss_reasons_match_loosely() {
        let list = vec!["Poor fit".to_string()];
        assert!(is_handoff_related("  poor FIT ", &list));
        assert!(!is_handoff_related("Price", &list));
        assert!(!is_handoff_related("", &list));
        // Issue 19, item 4: Unicode case, not only ASCII's; accents matter.
        let list = vec!["Mauvaise qualité".to_string()];
        assert!(is_handoff_related("MAUVAISE QUALITÉ", &list));
        assert!(!is_handoff_related("MAUVAISE QUALITE", &list));
    }
}
