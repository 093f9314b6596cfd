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
        if let Some(h) = f.decision_hours.get() {
            self.decision_hours.push(h);
        }
        if f.outcome == Outcome::Held {
            if f.has_opportunity {
                self.opportunities += 1;
            }
            // Cohort wins and losses count opportunities of held hand-offs only.
            self.won += u64::from(f.won);
            self.lost += u64::from(f.lost);
            self.won_amount += f.won_amount;
            if let Some(same) = f.continuity {
                self.continuity[1] += 1;
                if same {
                    self.continuity[0] += 1;
                }
            }
        }
        self.documented += u64::from(f.documented);
        self.doc_required += sections;
        if f.sales_ready {
            self.sales_ready += 1;
        }
        if let Some(h) = f.speed_to_lead_hours.get() {
            self.speed.push(h);
        }
        if let Some(h) = f.follow_up_hours.get() {
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

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    /// A held, warm hand-off with nothing else known; each case below changes what it says.
    fn base() -> HandoffFacts {
        HandoffFacts {
            outcome: Outcome::Held,
            warm: true,
            decision: Decision::Pending,
            decision_counts: true,
            decision_hours: None.into(),
            documented: 5,
            complete: true,
            sales_ready: false,
            has_opportunity: false,
            won: 0,
            lost: 0,
            won_amount: Decimal::ZERO,
            speed_to_lead_hours: None.into(),
            follow_up_hours: None.into(),
            sla: Sla::Open,
            continuity: None,
        }
    }

    /// Seven hand-offs, A to G, 5 required sections each, summed by hand:
    ///
    /// | | outcome | warm | decision (counts?) | hours | doc | complete | ready | opp, won, lost, amount | speed, follow-up | SLA | continuity |
    /// |---|---|---|---|---|---|---|---|---|---|---|---|
    /// | A | held | yes | accepted (yes) | 2 | 5 | yes | yes | yes, 1, 0, 1000 | 1, 4 | met | same |
    /// | B | held | no | rejected (yes) | 6 | 3 | no | no | no | 3, 30 | late | differs |
    /// | C | no-show | yes | accepted (no) | | 4 | no | yes | yes, 1, 0, 500 | | never | same |
    /// | D | no-show | no | pending (no) | | 5 | yes | no | | | open | |
    /// | E | canceled | yes | pending (no) | | 0 | no | no | | | met | |
    /// | F | pending | no | accepted (yes) | 10 | 1 | yes | no | no, 0, 1, 0 | | open | |
    /// | G | held | yes | accepted (yes) | | 2 | no | no | yes, 0, 1, 0 | | late | |
    fn seven() -> Vec<HandoffFacts> {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let a = HandoffFacts {
            decision: Decision::Accepted,
            decision_hours: Some(2.0).into(),
            sales_ready: true,
            has_opportunity: true,
            won: 1,
            won_amount: d("1000.00"),
            speed_to_lead_hours: Some(1.0).into(),
            follow_up_hours: Some(4.0).into(),
            sla: Sla::Met,
            continuity: Some(true),
            ..base()
        };
        let b = HandoffFacts {
            warm: false,
            decision: Decision::Rejected,
            decision_hours: Some(6.0).into(),
            documented: 3,
            complete: false,
            speed_to_lead_hours: Some(3.0).into(),
            follow_up_hours: Some(30.0).into(),
            sla: Sla::Late,
            continuity: Some(false),
            ..base()
        };
        let c = HandoffFacts {
            outcome: Outcome::NoShow,
            decision: Decision::Accepted,
            decision_counts: false,
            documented: 4,
            complete: false,
            sales_ready: true,
            has_opportunity: true,
            won: 1,
            won_amount: d("500.00"),
            sla: Sla::NeverContacted,
            continuity: Some(true),
            ..base()
        };
        let dd = HandoffFacts {
            outcome: Outcome::NoShow,
            warm: false,
            decision_counts: false,
            ..base()
        };
        let e = HandoffFacts {
            outcome: Outcome::Canceled,
            decision_counts: false,
            documented: 0,
            complete: false,
            sla: Sla::Met,
            ..base()
        };
        let f = HandoffFacts {
            outcome: Outcome::Pending,
            warm: false,
            decision: Decision::Accepted,
            decision_hours: Some(10.0).into(),
            documented: 1,
            lost: 1,
            ..base()
        };
        let g = HandoffFacts {
            decision: Decision::Accepted,
            documented: 2,
            complete: false,
            has_opportunity: true,
            lost: 1,
            sla: Sla::Late,
            ..base()
        };
        vec![a, b, c, dd, e, f, g]
    }

    #[test]
    fn the_funnel_of_seven_hand_offs_counted_by_hand() {
        let mut acc = CohortAcc::default();
        for f in seven() {
            acc.add(&f, 5);
        }
        let m = acc.finish(0.4);
        // Booked 7: held A, B, G; no-show C, D; canceled E; pending F.
        assert_eq!(
            (m.meetings_booked, m.held, m.no_show, m.canceled, m.pending),
            (7, 3, 2, 1, 1)
        );
        // Show rate: 3 held of 3 + 2 attended.
        assert_eq!(m.show_rate, Rate::new(3, 5));
        // Decisions that count: A, F, G accepted, B rejected (C's does not count).
        assert_eq!((m.accepted, m.rejected), (3, 1));
        assert_eq!(m.acceptance_rate, Rate::new(3, 4));
        // Opportunities on held hand-offs: A and G (C's is on a no-show): 2 of 3 held.
        assert_eq!(m.opportunities, 2);
        assert_eq!(m.opportunity_rate, Rate::new(2, 3));
        // Won and lost on held hand-offs only: A won 1000.00, G lost; C's win and F's loss
        // are not on held hand-offs.
        assert_eq!((m.won, m.lost), (1, 1));
        assert_eq!(m.won_amount, "1000.00".parse::<Decimal>().unwrap());
        assert_eq!(m.win_rate, Rate::new(1, 2));
        assert_eq!(m.handoff_to_win, Rate::new(1, 7));
        // Warm: A, G held, C no-show (E canceled is not attended): 2 of 3. Cold: B held, D
        // no-show (F pending): 1 of 2.
        assert_eq!(m.show_rate_warm, Rate::new(2, 3));
        assert_eq!(m.show_rate_cold, Rate::new(1, 2));
        // Wilson for 1 of 2: [0.0945, 0.9055] (stats::tests::wilson_at_the_edges).
        let [lo, hi] = m.show_rate_cold_ci.unwrap();
        assert!(close(lo, 0.0945) && close(hi, 0.9055), "{lo} {hi}");
        // Wilson for 2 of 3: p = 0.6667, z²/n = 1.28049; centre = (0.6667 + 0.64024) /
        // 2.28049 = 0.57309; half = 1.95996 / 2.28049 × sqrt(0.07407 + 0.10671) = 0.85945 ×
        // 0.42518 = 0.36542: [0.2077, 0.9385].
        let [lo, hi] = m.show_rate_warm_ci.unwrap();
        assert!(close(lo, 0.2077) && close(hi, 0.9385), "{lo} {hi}");
        // Lift (2/3) / (1/2) - 1 = 1/3; Katz SE = sqrt(1/2 - 1/3 + 1/1 - 1/2) = 0.81650,
        // ln(4/3) = 0.28768: exp(0.28768 ± 1.60031) - 1 = [-0.7309, 5.6061], which holds both
        // 0 and +40%: cannot tell yet.
        assert!(close(m.warm_lift.unwrap(), 1.0 / 3.0));
        let [lo, hi] = m.warm_lift_ci.unwrap();
        assert!(close(lo, -0.7309) && close(hi, 5.6061), "{lo} {hi}");
        assert_eq!(m.warm_lift_verdict, "cannot tell yet");
        // Sections documented 5 + 3 + 4 + 5 + 0 + 1 + 2 = 20 of 7 × 5 = 35.
        assert_eq!(m.doc_completeness, Rate::new(20, 35));
        // Counted decisions by completeness: complete A, F accepted (2 of 2); incomplete G
        // accepted, B rejected (1 of 2).
        assert_eq!(m.acceptance_rate_complete, Rate::new(2, 2));
        assert_eq!(m.acceptance_rate_incomplete, Rate::new(1, 2));
        // Sales-ready A and C of 7; counted decisions: ready A (1 of 1); not ready F, G
        // accepted, B rejected (2 of 3).
        assert_eq!(m.sales_ready_share, Rate::new(2, 7));
        assert_eq!(m.acceptance_rate_sales_ready, Rate::new(1, 1));
        assert_eq!(m.acceptance_rate_not_sales_ready, Rate::new(2, 3));
        // Speed to lead 1, 3 hours: median 2, p90 1 + 2 × 0.9 = 2.8.
        assert_eq!(m.speed_to_lead_hours_n, 2);
        assert!(close(m.speed_to_lead_hours_median.unwrap(), 2.0));
        assert!(close(m.speed_to_lead_hours_p90.unwrap(), 2.8));
        // Follow-up 4, 30 hours: median 17, p90 4 + 26 × 0.9 = 27.4.
        assert_eq!(m.ae_follow_up_hours_n, 2);
        assert!(close(m.ae_follow_up_hours_median.unwrap(), 17.0));
        assert!(close(m.ae_follow_up_hours_p90.unwrap(), 27.4));
        // Decision hours 2, 6, 10: median 6, p90 at rank 1.8: 6 + 4 × 0.8 = 9.2.
        assert_eq!(m.ae_decision_hours_n, 3);
        assert!(close(m.ae_decision_hours_median.unwrap(), 6.0));
        assert!(close(m.ae_decision_hours_p90.unwrap(), 9.2));
        // SLA closed A, B, C, E, G (D, F open); breached B, G late and C never: 3 of 5.
        assert_eq!(m.sla_breaches, 3);
        assert_eq!(m.sla_breach_rate, Rate::new(3, 5));
        assert_eq!(m.ae_never_followed_up, 1);
        // Continuity on held hand-offs with both pain points: A same, B differs (C's is
        // a no-show): 1 of 2.
        assert_eq!(m.message_continuity, Rate::new(1, 2));
    }

    #[test]
    fn every_rate_is_listed_under_its_own_key() {
        let mut acc = CohortAcc::default();
        for f in seven() {
            acc.add(&f, 5);
        }
        let m = acc.finish(0.4);
        // The figures of the_funnel_of_seven_hand_offs_counted_by_hand, key by key.
        let expected = vec![
            ("show_rate", Rate::new(3, 5)),
            ("acceptance_rate", Rate::new(3, 4)),
            ("opportunity_rate", Rate::new(2, 3)),
            ("win_rate", Rate::new(1, 2)),
            ("handoff_to_win", Rate::new(1, 7)),
            ("show_rate_warm", Rate::new(2, 3)),
            ("show_rate_cold", Rate::new(1, 2)),
            ("doc_completeness", Rate::new(20, 35)),
            ("acceptance_rate_complete", Rate::new(2, 2)),
            ("acceptance_rate_incomplete", Rate::new(1, 2)),
            ("sales_ready_share", Rate::new(2, 7)),
            ("acceptance_rate_sales_ready", Rate::new(1, 1)),
            ("acceptance_rate_not_sales_ready", Rate::new(2, 3)),
            ("sla_breach_rate", Rate::new(3, 5)),
            ("message_continuity", Rate::new(1, 2)),
        ];
        assert_eq!(m.rates(), expected);
    }

    #[test]
    fn claim_labels_and_verdicts_at_the_claim() {
        assert_eq!(claim_label(0.4), "+40%");
        assert_eq!(claim_label(0.125), "+12.5%");
        // An interval whose bound is exactly the claim is neither larger nor smaller.
        assert_eq!(verdict(Some([0.4, 0.9]), 0.4), "consistent with +40%");
        assert_eq!(verdict(Some([0.1, 0.4]), 0.4), "consistent with +40%");
        // A lower bound of exactly 0 is not evidence of any lift.
        assert_eq!(verdict(Some([0.0, 0.3]), 0.4), "smaller than +40%");
        assert_eq!(verdict(Some([0.0, 0.9]), 0.4), "cannot tell yet");
    }
}
