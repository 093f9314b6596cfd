//! Manual adjustments from `data/adjustments.csv`: spot bonuses, corrections, referral fees,
//! each added to one rep's statement for one payout period with its reason.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::Source;
use crate::period::Period;
use crate::playbook::comp::CompMetric;

/// One row of adjustments.csv, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManualAdjustment {
    pub rep_id: String,
    /// The payout period it belongs to: a month or a quarter.
    pub period: Period,
    /// Signed, exact, with no more decimals than the currency has.
    pub amount: Decimal,
    /// Why, in words (free text: escape it when rendering).
    pub reason: String,
    /// The plan component it is about, if the row names one.
    pub component: Option<CompMetric>,
    pub source: Source,
}
