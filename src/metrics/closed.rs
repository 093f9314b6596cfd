//! Outcomes by close date (event rule): deals won and lost in the period, hand-off related
//! losses, win rate by close date, average won deal and sales cycle; the open pipeline at the
//! period's end (or as_of); and forecast accuracy.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::stats::{spread, Rate};
use crate::model::notes::same_ignoring_case;

/// Running sums of closed opportunities.
#[derive(Debug, Clone, Default)]
pub struct ClosedAcc {
    won: u64,
    lost: u64,
    won_amount: Decimal,
    handoff_related_lost: u64,
    /// Days from creation to close of the deals won.
    cycle_days: Vec<f64>,
    open: u64,
    open_amount: Decimal,
}

impl ClosedAcc {
    /// A deal won in the period, `cycle_days` after its creation.
    pub fn add_won(&mut self, amount: Decimal, cycle_days: f64) {
        self.won += 1;
        self.won_amount += amount;
        self.cycle_days.push(cycle_days);
    }

    /// A deal open at the period's end (or at as_of, when the period runs past it).
    pub fn add_open(&mut self, amount: Decimal) {
        self.open += 1;
        self.open_amount += amount;
    }

    pub fn add_lost(&mut self, handoff_related: bool) {
        self.lost += 1;
        if handoff_related {
            self.handoff_related_lost += 1;
        }
    }

    pub fn finish(&self) -> ClosedMetrics {
        let cycle = spread(self.cycle_days.clone());
        ClosedMetrics {
            closed_won: self.won,
            closed_lost: self.lost,
            closed_won_amount: self.won_amount,
            handoff_related_loss_share: Rate::new(self.handoff_related_lost, self.lost),
            closed_win_rate: Rate::new(self.won, self.won + self.lost),
            avg_won_deal_amount: average(self.won_amount, self.won),
            sales_cycle_days_median: cycle.median,
            sales_cycle_days_p90: cycle.p90,
            sales_cycle_days_n: cycle.n,
            open_pipeline: self.open,
            open_pipeline_amount: self.open_amount,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ClosedMetrics {
    pub closed_won: u64,
    pub closed_lost: u64,
    pub closed_won_amount: Decimal,
    pub handoff_related_loss_share: Rate,
    /// closed_won / (closed_won + closed_lost), by close date.
    pub closed_win_rate: Rate,
    /// closed_won_amount / closed_won, to the cent; None without a deal won.
    pub avg_won_deal_amount: Option<Decimal>,
    pub sales_cycle_days_median: Option<f64>,
    pub sales_cycle_days_p90: Option<f64>,
    pub sales_cycle_days_n: u64,
    pub open_pipeline: u64,
    pub open_pipeline_amount: Decimal,
}

/// `total / n` rounded to the cent, half away from zero; None when n is 0.
pub fn average(total: Decimal, n: u64) -> Option<Decimal> {
    (n > 0).then(|| {
        (total / Decimal::from(n))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    })
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
    fn averages_round_to_the_cent() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 100.00 / 3 = 33.333...; 0.05 / 2 = 0.025 rounds away from zero to 0.03.
        assert_eq!(average(d("100.00"), 3), Some(d("33.33")));
        assert_eq!(average(d("0.05"), 2), Some(d("0.03")));
        assert_eq!(average(d("5000.00"), 1), Some(d("5000.00")));
        assert_eq!(average(d("0"), 0), None);
    }

    #[test]
    fn closed_figures_sum() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let mut acc = ClosedAcc::default();
        acc.add_won(d("1000.00"), 10.0);
        acc.add_won(d("500.50"), 30.0);
        acc.add_lost(false);
        acc.add_open(d("200.00"));
        let m = acc.finish();
        // 2 won of 3 closed; (1000.00 + 500.50) / 2 = 750.25; cycles 10 and 30 days.
        assert_eq!(m.closed_win_rate, Rate::new(2, 3));
        assert_eq!(m.avg_won_deal_amount, Some(d("750.25")));
        assert_eq!(m.sales_cycle_days_median, Some(20.0));
        assert_eq!(m.sales_cycle_days_p90, Some(28.0));
        assert_eq!(m.sales_cycle_days_n, 2);
        assert_eq!((m.open_pipeline, m.open_pipeline_amount), (1, d("200.00")));
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

    #[test]
    fn won_lost_and_handoff_related_losses_are_counted_apart() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let mut acc = ClosedAcc::default();
        acc.add_won(d("1200.00"), 5.0);
        acc.add_won(d("300.00"), 15.0);
        acc.add_won(d("0.50"), 25.0);
        acc.add_lost(true);
        acc.add_lost(false);
        acc.add_open(d("10.00"));
        acc.add_open(d("20.00"));
        let m = acc.finish();
        // 3 won worth 1200.00 + 300.00 + 0.50 = 1500.50; 2 lost, 1 of them hand-off related.
        assert_eq!((m.closed_won, m.closed_lost), (3, 2));
        assert_eq!(m.closed_won_amount, d("1500.50"));
        assert_eq!(m.handoff_related_loss_share, Rate::new(1, 2));
        // 3 won of 3 + 2 closed; 1500.50 / 3 = 500.1666… → 500.17.
        assert_eq!(m.closed_win_rate, Rate::new(3, 5));
        assert_eq!(m.avg_won_deal_amount, Some(d("500.17")));
        assert_eq!(m.sales_cycle_days_n, 3);
        // Two open deals, 10.00 + 20.00.
        assert_eq!((m.open_pipeline, m.open_pipeline_amount), (2, d("30.00")));
    }

    #[test]
    fn forecast_accuracy_keeps_actual_and_forecast() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 1 - |200 - 150| / 200 = 1 - 0.25 = 0.75.
        let f = forecast_accuracy(d("200"), d("150"));
        assert_eq!(
            (f.value, f.actual, f.forecast),
            (Some(0.75), d("200"), d("150"))
        );
    }
}
