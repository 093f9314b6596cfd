//! The hand-off funnel, warm versus cold, and hand-off quality: cohort-rule metrics summed over
//! the hand-offs whose `handoff_at` falls in the period (docs/metrics.md).

use rust_decimal::Decimal;
use serde::Serialize;

use super::facts::{HandoffFacts, Outcome, Sla};
use super::stats::{lift_katz, spread, wilson, Rate};
use crate::model::Decision;

/// Running sums over a cohort; `add` one hand-off, `merge` two partial sums.
#[derive(Debug, Clone, Default)]
pub struct CohortAcc {
    booked: u64,
    held: u64,
    no_show: u64,
    canceled: u64,
    pending: u64,
    /// (accepted, rejected) among hand-offs whose decision counts (held ones, or all without a
    /// meetings export), overall and split by quality.
    decisions: [u64; 2],
    complete: [u64; 2],
    incomplete: [u64; 2],
    sales_ready_dec: [u64; 2],
    not_sales_ready_dec: [u64; 2],
    opportunities: u64,
    won: u64,
    lost: u64,
    won_amount: Decimal,
    /// (held, held + no_show) for warm and cold hand-offs.
    warm: [u64; 2],
    cold: [u64; 2],
    documented: u64,
    doc_required: u64,
    sales_ready: u64,
    speed: Vec<f64>,
    follow_up: Vec<f64>,
    decision_hours: Vec<f64>,
    sla_breaches: u64,
    never: u64,
    sla_closed: u64,
    continuity: [u64; 2],
}

fn tally(slot: &mut [u64; 2], d: Decision) {
    match d {
        Decision::Accepted => slot[0] += 1,
        Decision::Rejected => slot[1] += 1,
        Decision::Pending => {}
    }
}

impl CohortAcc {
    /// Adds one hand-off of the cohort; `sections` is the playbook's number of required sections.
    pub fn add(&mut self, f: &HandoffFacts, sections: u64) {
        self.booked += 1;
        match f.outcome {
            Outcome::Held => self.held += 1,
            Outcome::NoShow => self.no_show += 1,
            Outcome::Canceled => self.canceled += 1,
            Outcome::Pending => self.pending += 1,
        }
        let attended = matches!(f.outcome, Outcome::Held | Outcome::NoShow);
        let side = if f.warm {
            &mut self.warm
        } else {
            &mut self.cold
        };
        if attended {
            side[1] += 1;
            if f.outcome == Outcome::Held {
                side[0] += 1;
            }
        }
        if f.decision_counts {
            // Decisions on hand-offs whose meeting was not held are ignored (when meetings
            // are exported).
            tally(&mut self.decisions, f.decision);
            tally(
                if f.complete {
                    &mut self.complete
                } else {
                    &mut self.incomplete
                },
                f.decision,
            );
            tally(
                if f.sales_ready {
                    &mut self.sales_ready_dec
                } else {
                    &mut self.not_sales_ready_dec
                },
                f.decision,
            );
        }
        if let Some(h) = f.decision_hours {
            self.decision_hours.push(h);
        }
        if f.outcome == Outcome::Held {
            if f.has_opportunity {
                self.opportunities += 1;
            }
            // Cohort wins and losses count opportunities of held hand-offs only.
            self.won += f.won;
            self.lost += f.lost;
            self.won_amount += f.won_amount;
            if let Some(same) = f.continuity {
                self.continuity[1] += 1;
                if same {
                    self.continuity[0] += 1;
                }
            }
        }
        self.documented += f.documented;
        self.doc_required += sections;
        if f.sales_ready {
            self.sales_ready += 1;
        }
        if let Some(h) = f.speed_to_lead_hours {
            self.speed.push(h);
        }
        if let Some(h) = f.follow_up_hours {
            self.follow_up.push(h);
        }
        match f.sla {
            Sla::Met => self.sla_closed += 1,
            Sla::Late => {
                self.sla_closed += 1;
                self.sla_breaches += 1;
            }
            Sla::NeverContacted => {
                self.sla_closed += 1;
                self.sla_breaches += 1;
                self.never += 1;
            }
            Sla::Open => {}
        }
    }

    /// The metrics of the cohort summed so far; the warm lift is judged against `claim`, the
    /// playbook's `warm_lift_claim`.
    pub fn finish(&self, claim: f64) -> CohortMetrics {
        let show_rate_warm = Rate::new(self.warm[0], self.warm[1]);
        let show_rate_cold = Rate::new(self.cold[0], self.cold[1]);
        let (warm_lift, warm_lift_ci) = lift_katz(show_rate_warm, show_rate_cold);
        let speed = spread(self.speed.clone());
        let follow = spread(self.follow_up.clone());
        let decide = spread(self.decision_hours.clone());
        let acc = |s: [u64; 2]| Rate::new(s[0], s[0] + s[1]);
        CohortMetrics {
            meetings_booked: self.booked,
            held: self.held,
            no_show: self.no_show,
            canceled: self.canceled,
            pending: self.pending,
            show_rate: Rate::new(self.held, self.held + self.no_show),
            accepted: self.decisions[0],
            rejected: self.decisions[1],
            acceptance_rate: acc(self.decisions),
            opportunities: self.opportunities,
            opportunity_rate: Rate::new(self.opportunities, self.held),
            won: self.won,
            lost: self.lost,
            won_amount: self.won_amount,
            win_rate: Rate::new(self.won, self.won + self.lost),
            handoff_to_win: Rate::new(self.won, self.booked),
            show_rate_warm,
            show_rate_warm_ci: wilson(self.warm[0], self.warm[1]),
            show_rate_cold,
            show_rate_cold_ci: wilson(self.cold[0], self.cold[1]),
            warm_lift,
            warm_lift_ci,
            warm_lift_verdict: verdict(warm_lift_ci, claim),
            doc_completeness: Rate::new(self.documented, self.doc_required),
            acceptance_rate_complete: acc(self.complete),
            acceptance_rate_incomplete: acc(self.incomplete),
            sales_ready_share: Rate::new(self.sales_ready, self.booked),
            acceptance_rate_sales_ready: acc(self.sales_ready_dec),
            acceptance_rate_not_sales_ready: acc(self.not_sales_ready_dec),
            speed_to_lead_hours_median: speed.median,
            speed_to_lead_hours_p90: speed.p90,
            speed_to_lead_hours_n: speed.n,
            ae_follow_up_hours_median: follow.median,
            ae_follow_up_hours_p90: follow.p90,
            ae_follow_up_hours_n: follow.n,
            ae_decision_hours_median: decide.median,
            ae_decision_hours_p90: decide.p90,
            ae_decision_hours_n: decide.n,
            sla_breaches: self.sla_breaches,
            sla_breach_rate: Rate::new(self.sla_breaches, self.sla_closed),
            ae_never_followed_up: self.never,
            message_continuity: Rate::new(self.continuity[0], self.continuity[1]),
        }
    }
}

/// The team's own evidence on the playbook's claimed warm lift `claim`, from the lift's 95%
/// interval: "larger than +40%", "smaller than +40%", "consistent with +40%" (for a claim of
/// 0.40) or "cannot tell yet" (docs/metrics.md).
pub fn verdict(ci: Option<[f64; 2]>, claim: f64) -> String {
    let c = claim_label(claim);
    match ci {
        Some([lo, _]) if lo > claim => format!("larger than {c}"),
        Some([_, hi]) if hi < claim => format!("smaller than {c}"),
        Some([lo, _]) if lo > 0.0 => format!("consistent with {c}"),
        _ => "cannot tell yet".to_string(),
    }
}

/// A claimed lift as the verdict writes it: `+40%`, or `+12.5%` when not a whole percent.
pub fn claim_label(claim: f64) -> String {
    let pct = claim * 100.0;
    let digits = if (pct - pct.round()).abs() < 1e-9 {
        0
    } else {
        1
    };
    format!("+{}", crate::format::pct(Some(claim), digits))
}

/// Cohort-rule figures, under the key names of docs/metrics.md.
#[derive(Debug, Clone, Serialize)]
pub struct CohortMetrics {
    pub meetings_booked: u64,
    pub held: u64,
    pub no_show: u64,
    pub canceled: u64,
    pub pending: u64,
    pub show_rate: Rate,
    pub accepted: u64,
    pub rejected: u64,
    pub acceptance_rate: Rate,
    pub opportunities: u64,
    pub opportunity_rate: Rate,
    pub won: u64,
    pub lost: u64,
    pub won_amount: Decimal,
    pub win_rate: Rate,
    pub handoff_to_win: Rate,
    pub show_rate_warm: Rate,
    pub show_rate_warm_ci: Option<[f64; 2]>,
    pub show_rate_cold: Rate,
    pub show_rate_cold_ci: Option<[f64; 2]>,
    pub warm_lift: Option<f64>,
    pub warm_lift_ci: Option<[f64; 2]>,
    pub warm_lift_verdict: String,
    pub doc_completeness: Rate,
    pub acceptance_rate_complete: Rate,
    pub acceptance_rate_incomplete: Rate,
    pub sales_ready_share: Rate,
    pub acceptance_rate_sales_ready: Rate,
    pub acceptance_rate_not_sales_ready: Rate,
    pub speed_to_lead_hours_median: Option<f64>,
    pub speed_to_lead_hours_p90: Option<f64>,
    pub speed_to_lead_hours_n: u64,
    pub ae_follow_up_hours_median: Option<f64>,
    pub ae_follow_up_hours_p90: Option<f64>,
    pub ae_follow_up_hours_n: u64,
    pub ae_decision_hours_median: Option<f64>,
    pub ae_decision_hours_p90: Option<f64>,
    pub ae_decision_hours_n: u64,
    pub sla_breaches: u64,
    pub sla_breach_rate: Rate,
    pub ae_never_followed_up: u64,
    pub message_continuity: Rate,
}

impl CohortMetrics {
    /// Every rate with its key, for small-sample marking.
    pub fn rates(&self) -> Vec<(&'static str, Rate)> {
        vec![
            ("show_rate", self.show_rate),
            ("acceptance_rate", self.acceptance_rate),
            ("opportunity_rate", self.opportunity_rate),
            ("win_rate", self.win_rate),
            ("handoff_to_win", self.handoff_to_win),
            ("show_rate_warm", self.show_rate_warm),
            ("show_rate_cold", self.show_rate_cold),
            ("doc_completeness", self.doc_completeness),
            ("acceptance_rate_complete", self.acceptance_rate_complete),
            (
                "acceptance_rate_incomplete",
                self.acceptance_rate_incomplete,
            ),
            ("sales_ready_share", self.sales_ready_share),
            (
                "acceptance_rate_sales_ready",
                self.acceptance_rate_sales_ready,
            ),
            (
                "acceptance_rate_not_sales_ready",
                self.acceptance_rate_not_sales_ready,
            ),
            ("sla_breach_rate", self.sla_breach_rate),
            ("message_continuity", self.message_continuity),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(verdict(None, 0.4), "cannot tell yet");
        assert_eq!(verdict(Some([0.1, 0.9]), 0.4), "consistent with +40%");
        assert_eq!(verdict(Some([0.5, 0.9]), 0.4), "larger than +40%");
        assert_eq!(verdict(Some([0.05, 0.3]), 0.4), "smaller than +40%");
        // The claim is the playbook's: the same interval against a claim of +25% or +12.5%.
        assert_eq!(verdict(Some([0.3, 0.9]), 0.25), "larger than +25%");
        assert_eq!(verdict(Some([0.05, 0.3]), 0.25), "consistent with +25%");
        assert_eq!(verdict(Some([0.01, 0.1]), 0.125), "smaller than +12.5%");
        assert_eq!(verdict(Some([-0.1, 0.9]), 0.25), "cannot tell yet");
        assert_eq!(verdict(None, 0.25), "cannot tell yet");
        assert_eq!(verdict(Some([-0.1, 0.9]), 0.4), "cannot tell yet");
    }
}
