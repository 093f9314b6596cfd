//! The payout curve: how attainment of a component's target turns into a payout factor.
//!
//! Below the threshold nothing is paid; from the threshold up to 100% the factor equals
//! attainment; above 100% every point of attainment pays `accelerator` points; the factor
//! never exceeds the cap. All arithmetic is exact decimal arithmetic (docs/comp.md).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::playbook::comp::{Component, Curve, PayoutPeriod, Plan};

/// Attainments the what-if table shows, in percent.
pub const WHAT_IF_PERCENTS: [u32; 5] = [50, 75, 100, 125, 150];

/// One row of a plan page's what-if table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    pub attainment: Decimal,
    pub step: CurveStep,
    pub factor: Decimal,
    /// Rounded to the currency's minor unit, like a statement line.
    pub payout: Decimal,
}

/// Which step of the curve produced a factor, so a statement can say why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CurveStep {
    /// Attainment below the threshold: factor 0.
    BelowThreshold,
    /// Threshold ≤ attainment ≤ 100%: factor = attainment.
    Linear,
    /// From the threshold to below the decelerator's `below`: factor = attainment × rate.
    Decelerated,
    /// Attainment above 100%: factor = 1 + (attainment − 1) × accelerator, or the tiers'
    /// sum (docs/comp.md).
    Accelerated,
    /// The factor the other steps gave exceeded the cap: factor = cap.
    Capped,
    /// Only on statement lines: there was nothing to measure (e.g. an AE with no hand-offs
    /// to follow up), so no attainment exists; factor 0 and the line says why.
    NotMeasured,
}

impl CurveStep {
    pub fn as_str(self) -> &'static str {
        match self {
            CurveStep::BelowThreshold => "below_threshold",
            CurveStep::Decelerated => "decelerated",
            CurveStep::Linear => "linear",
            CurveStep::Accelerated => "accelerated",
            CurveStep::Capped => "capped",
            CurveStep::NotMeasured => "not_measured",
        }
    }
}

/// The payout factor for `attainment` (1 = 100% of target) and the step that produced it.
///
/// Attainment exactly at the threshold is paid (the threshold is the first paying point);
/// exactly 100% is linear; the cap applies to whatever the other steps gave. A product too
/// large for a decimal can only come from an attainment far above any cap, so it is capped.
pub fn curve_factor(attainment: Decimal, curve: &Curve) -> (Decimal, CurveStep) {
    let (raw, step) = if attainment < curve.threshold {
        (Decimal::ZERO, CurveStep::BelowThreshold)
    } else if let Some(d) = curve.decelerator.as_ref().filter(|d| attainment < d.below) {
        match attainment.checked_mul(d.rate) {
            Some(f) => (f, CurveStep::Decelerated),
            None => return (curve.cap, CurveStep::Capped),
        }
    } else if attainment <= Decimal::ONE {
        (attainment, CurveStep::Linear)
    } else {
        match accelerated(attainment, curve) {
            Some(f) => f,
            None => return (curve.cap, CurveStep::Capped),
        }
    };
    if raw > curve.cap {
        (curve.cap, CurveStep::Capped)
    } else {
        (raw, step)
    }
}

/// The factor of an attainment above 1, in one walk over the steps (from, rate) it reached
/// (`from` ≤ attainment): each pays `rate` on its points, from its start to the next reached
/// step's (the last one to the attainment), and the points between 1 and the first step pay
/// one point each. Retroactive, only the highest step reached pays, on every point above 1.
/// `None` when the product does not fit a decimal.
fn accelerated(a: Decimal, curve: &Curve) -> Option<(Decimal, CurveStep)> {
    let steps = curve.steps();
    let first = steps.first().map_or(Decimal::ONE, |s| s.0);
    if a <= first {
        return Some((a, CurveStep::Linear));
    }
    // Ascending (the lint refuses tiers out of order), and `first` < `a`: at least one.
    let reached = steps.iter().take_while(|s| s.0 <= a).count();
    let (mut f, paying) = if curve.retroactive {
        (Decimal::ONE, &steps[reached - 1..reached])
    } else {
        (first, &steps[..reached])
    };
    for (i, (from, rate)) in paying.iter().enumerate() {
        let start = if curve.retroactive {
            Decimal::ONE
        } else {
            *from
        };
        let end = paying.get(i + 1).map_or(a, |next| next.0);
        f = f.checked_add((end - start).checked_mul(*rate)?)?;
    }
    Some((f, CurveStep::Accelerated))
}

/// The next point of a curve at which a line pays more: the threshold, the end of the
/// decelerator, 100% of target, the start of a tier, or the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextPoint {
    Threshold,
    DeceleratorEnd,
    Target,
    Tier,
    Cap,
}

/// The next step of `curve` above `attainment`: the lowest attainment above it at which the
/// curve changes (the threshold, the decelerator's `below`, 100%, a tier's `from`) or the
/// factor reaches the cap, whichever comes first. `None` when nothing above `attainment`
/// pays more (capped, or an accelerator of 0 above 100%). A cap point that is not a step's
/// start is found by bisection, so it may sit above the exact point by less than 10⁻²⁰; the
/// caller rounds to whole units and checks the unit below (see `statement::next_step`).
pub fn next_step(attainment: Decimal, curve: &Curve) -> Option<(Decimal, NextPoint)> {
    let cap = cap_point(curve);
    let mut points = vec![
        (curve.threshold, NextPoint::Threshold),
        (Decimal::ONE, NextPoint::Target),
    ];
    if let Some(d) = &curve.decelerator {
        points.push((d.below, NextPoint::DeceleratorEnd));
    }
    points.extend(
        curve
            .tiers
            .iter()
            .filter(|t| t.from > Decimal::ONE)
            .map(|t| (t.from, NextPoint::Tier)),
    );
    points.extend(cap.map(|c| (c, NextPoint::Cap)));
    points
        .into_iter()
        .filter(|(a, _)| *a > attainment && cap.is_none_or(|c| *a <= c))
        // A point where the factor does not change pays nothing more (a threshold of 0, a
        // decelerator's end below the threshold).
        .filter(|(a, _)| curve_factor(*a, curve).0 > curve_factor(attainment, curve).0)
        .min_by(|x, y| x.0.cmp(&y.0).then((x.1 as u8).cmp(&(y.1 as u8))))
}

/// The lowest attainment whose factor reaches the cap, by bisection (the factor never falls as
/// attainment grows); `None` when no attainment up to 2⁴⁰ reaches it.
fn cap_point(curve: &Curve) -> Option<Decimal> {
    let reaches = |a: Decimal| curve_factor(a, curve).0 >= curve.cap;
    let mut lo = Decimal::ZERO;
    let mut hi = Decimal::ONE;
    let mut doublings = 0;
    while !reaches(hi) {
        lo = hi;
        hi *= Decimal::TWO;
        doublings += 1;
        if doublings > 40 {
            return None;
        }
    }
    if reaches(lo) {
        return Some(lo);
    }
    for _ in 0..100 {
        let mid = (lo + hi) / Decimal::TWO;
        if mid <= lo || mid >= hi {
            break;
        }
        if reaches(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi.normalize())
}

/// The plan's variable target for one full payout period: annual_variable / 12 for a monthly
/// plan, / 4 for a quarterly one (unrounded).
pub fn period_variable(plan: &Plan) -> Decimal {
    plan.annual_variable / periods_per_year(plan.payout_period)
}

/// 12 for monthly plans, 4 for quarterly ones.
pub fn periods_per_year(kind: PayoutPeriod) -> Decimal {
    match kind {
        PayoutPeriod::Monthly => Decimal::from(12),
        PayoutPeriod::Quarterly => Decimal::from(4),
    }
}

/// What `component` of `plan` pays for a full payout period (a month for a monthly plan, a
/// quarter for a quarterly one) at 50, 75, 100, 125 and 150% attainment, computed exactly as a
/// statement line: annual_variable × weight × factor / periods per year, rounded to `digits`
/// decimals (the currency's minor units).
pub fn what_if(plan: &Plan, component: &Component, digits: u32) -> Vec<WhatIf> {
    let per_year = periods_per_year(plan.payout_period);
    WHAT_IF_PERCENTS
        .iter()
        .map(|pct| {
            let attainment = Decimal::new(i64::from(*pct), 2);
            let (factor, step) = curve_factor(attainment, &component.curve);
            let payout = plan
                .annual_variable
                .checked_mul(component.weight)
                .and_then(|v| v.checked_mul(factor))
                .map_or(Decimal::ZERO, |v| to_minor(v / per_year, digits));
            WhatIf {
                attainment,
                step,
                factor,
                payout,
            }
        })
        .collect()
}

/// Rounds money to `digits` decimals, the currency's minor units (2 for cents: 2.345 → 2.35,
/// 2.3449 → 2.34; 0 for yen: 2.5 → 3), half away from zero: the one rounding a statement line
/// gets.
pub fn to_minor(amount: Decimal, digits: u32) -> Decimal {
    amount.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::comp::{Decelerator, Tier};

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// The plan defaults: threshold 50%, accelerator 1.5, cap 200%.
    fn default_curve() -> Curve {
        Curve::default()
    }

    #[test]
    fn the_next_step_of_each_part_of_the_curve() {
        let c = default_curve();
        // Below the threshold: the threshold, 50%.
        assert_eq!(
            next_step(dec("0.4"), &c),
            Some((dec("0.5"), NextPoint::Threshold))
        );
        // On the linear part: 100%.
        assert_eq!(
            next_step(dec("0.5"), &c),
            Some((dec("1"), NextPoint::Target))
        );
        // Above 100%: the cap, at 1 + (2 − 1) / 1.5 = 5/3 = 1.666…; bisection lands within
        // 10⁻²⁰ above it.
        let (a, p) = next_step(dec("1.2"), &c).unwrap();
        assert_eq!(p, NextPoint::Cap);
        assert!(a >= dec("1.6666666666666666666") && a < dec("1.66666666666666666667"));
        // At or above the cap nothing pays more.
        assert_eq!(next_step(dec("2"), &c), None);
        // Tiers: 1.5× from 100%, 2× from 150%, cap 3: from 120% the next is the 150% tier.
        let t = Curve {
            tiers: vec![
                Tier {
                    from: dec("1"),
                    rate: dec("1.5"),
                },
                Tier {
                    from: dec("1.5"),
                    rate: dec("2"),
                },
            ],
            cap: dec("3"),
            ..default_curve()
        };
        assert_eq!(
            next_step(dec("1.2"), &t),
            Some((dec("1.5"), NextPoint::Tier))
        );
        // A decelerator (half rate below 75%): from 60% the next is its end, 75%.
        let d = Curve {
            decelerator: Some(Decelerator {
                below: dec("0.75"),
                rate: dec("0.5"),
            }),
            ..default_curve()
        };
        assert_eq!(
            next_step(dec("0.6"), &d),
            Some((dec("0.75"), NextPoint::DeceleratorEnd))
        );
        // Accelerator 0: above 100% nothing pays more, and the cap is never reached.
        let flat = Curve {
            accelerator: Decimal::ZERO,
            ..default_curve()
        };
        assert_eq!(next_step(dec("1.1"), &flat), None);
        // A cap of 1.2 with accelerator 1 (the example SDR plan's activity): 120%.
        let low = Curve {
            accelerator: dec("1"),
            cap: dec("1.2"),
            ..default_curve()
        };
        assert_eq!(
            next_step(dec("1.1"), &low),
            Some((dec("1.2"), NextPoint::Cap))
        );
    }

    #[test]
    fn each_step_of_the_default_curve() {
        let c = default_curve();
        // 0.4999 < 0.5 threshold: nothing.
        assert_eq!(
            curve_factor(dec("0.4999"), &c),
            (Decimal::ZERO, CurveStep::BelowThreshold)
        );
        // Exactly at the threshold pays the threshold.
        assert_eq!(
            curve_factor(dec("0.5"), &c),
            (dec("0.5"), CurveStep::Linear)
        );
        // Exactly 100% is still linear: factor 1.
        assert_eq!(curve_factor(dec("1"), &c), (dec("1"), CurveStep::Linear));
        // 120%: 1 + 0.2 × 1.5 = 1.3.
        assert_eq!(
            curve_factor(dec("1.2"), &c),
            (dec("1.3"), CurveStep::Accelerated)
        );
        // 1 + (a − 1) × 1.5 = 2 at a = 5/3; 1.6 gives 1.9, still under the cap.
        assert_eq!(
            curve_factor(dec("1.6"), &c),
            (dec("1.9"), CurveStep::Accelerated)
        );
        // 200%: 1 + 1 × 1.5 = 2.5 > cap 2 → 2.
        assert_eq!(curve_factor(dec("2"), &c), (dec("2"), CurveStep::Capped));
    }

    /// 1.5× from 100%, 2× from 150%, cap 300%.
    fn tiered(retroactive: bool) -> Curve {
        Curve {
            cap: dec("3"),
            tiers: vec![
                Tier {
                    from: dec("1"),
                    rate: dec("1.5"),
                },
                Tier {
                    from: dec("1.5"),
                    rate: dec("2"),
                },
            ],
            retroactive,
            ..default_curve()
        }
    }

    #[test]
    fn tiers_pay_each_point_at_the_rate_of_its_tier() {
        let c = tiered(false);
        let f = |a: &str| curve_factor(dec(a), &c);
        assert_eq!(f("1"), (dec("1"), CurveStep::Linear));
        // 1 + 0.2 × 1.5 = 1.3
        assert_eq!(f("1.2"), (dec("1.3"), CurveStep::Accelerated));
        // 1 + 0.5 × 1.5 = 1.75: at 150% the second tier has paid nothing yet.
        assert_eq!(f("1.5"), (dec("1.75"), CurveStep::Accelerated));
        // 1 + 0.5 × 1.5 + 0.3 × 2 = 2.35
        assert_eq!(f("1.8"), (dec("2.35"), CurveStep::Accelerated));
        // 1 + 0.75 + 0.75 × 2 = 3.25 > cap 3
        assert_eq!(f("2.25"), (dec("3"), CurveStep::Capped));
    }

    /// docs/comp.md: the cap applies "if the factor exceeds `cap`". At 212.5% the tiers give
    /// exactly the cap, 1 + 0.5 × 1.5 + 0.625 × 2 = 3: the step that paid it, not `capped`;
    /// a point more is capped.
    #[test]
    fn a_factor_exactly_at_the_cap_is_not_capped() {
        let c = tiered(false);
        assert_eq!(
            curve_factor(dec("2.125"), &c),
            (dec("3"), CurveStep::Accelerated)
        );
        assert_eq!(
            curve_factor(dec("2.1251"), &c),
            (dec("3"), CurveStep::Capped)
        );
    }

    #[test]
    fn retroactive_tiers_pay_every_point_above_100_at_the_highest_rate_reached() {
        let c = tiered(true);
        let f = |a: &str| curve_factor(dec(a), &c);
        // Below the second tier nothing changes: 1 + 0.2 × 1.5.
        assert_eq!(f("1.2"), (dec("1.3"), CurveStep::Accelerated));
        // Reaching 150% pays all 50 points at 2: 1 + 0.5 × 2 = 2 (1.75 marginal).
        assert_eq!(f("1.5"), (dec("2.0"), CurveStep::Accelerated));
        // 1 + 0.8 × 2 = 2.6 (2.35 marginal)
        assert_eq!(f("1.8"), (dec("2.6"), CurveStep::Accelerated));
    }

    /// The one walk of both kinds, with a first tier above 100% and a point on a tier's start:
    /// 2× from 110%, 3× from 130%, cap 10.
    #[test]
    fn marginal_and_retroactive_walks_agree_with_the_hand_sums() {
        let curve = |retroactive| Curve {
            cap: dec("10"),
            tiers: vec![
                Tier {
                    from: dec("1.1"),
                    rate: dec("2"),
                },
                Tier {
                    from: dec("1.3"),
                    rate: dec("3"),
                },
            ],
            retroactive,
            ..default_curve()
        };
        let f = |retro, a: &str| curve_factor(dec(a), &curve(retro)).0;
        // Before the first tier, both linear.
        assert_eq!(
            (f(false, "1.05"), f(true, "1.05")),
            (dec("1.05"), dec("1.05"))
        );
        // 130%: 1 + 0.1 × 1 + 0.2 × 2 = 1.5; retroactive 1 + 0.3 × 3 = 1.9.
        assert_eq!((f(false, "1.3"), f(true, "1.3")), (dec("1.5"), dec("1.9")));
        // 140%: 1 + 0.1 + 0.2 × 2 + 0.1 × 3 = 1.8; retroactive 1 + 0.4 × 3 = 2.2.
        assert_eq!((f(false, "1.4"), f(true, "1.4")), (dec("1.8"), dec("2.2")));
    }

    #[test]
    fn a_first_tier_above_100_leaves_the_points_before_it_linear() {
        let c = Curve {
            tiers: vec![Tier {
                from: dec("1.2"),
                rate: dec("2"),
            }],
            ..default_curve()
        };
        assert_eq!(
            curve_factor(dec("1.1"), &c),
            (dec("1.1"), CurveStep::Linear)
        );
        // 1.2 + (1.3 − 1.2) × 2 = 1.4
        assert_eq!(
            curve_factor(dec("1.3"), &c),
            (dec("1.4"), CurveStep::Accelerated)
        );
    }

    #[test]
    fn a_decelerator_pays_less_below_its_attainment() {
        // Threshold 50%; below 75% the attainment pays half.
        let c = Curve {
            decelerator: Some(Decelerator {
                below: dec("0.75"),
                rate: dec("0.5"),
            }),
            ..default_curve()
        };
        let f = |a: &str| curve_factor(dec(a), &c);
        assert_eq!(f("0.49"), (Decimal::ZERO, CurveStep::BelowThreshold));
        // 0.5 × 0.5 = 0.25
        assert_eq!(f("0.5"), (dec("0.25"), CurveStep::Decelerated));
        // 0.6 × 0.5 = 0.3
        assert_eq!(f("0.6"), (dec("0.30"), CurveStep::Decelerated));
        // From 75% on, linear again.
        assert_eq!(f("0.75"), (dec("0.75"), CurveStep::Linear));
        assert_eq!(f("1.2"), (dec("1.3"), CurveStep::Accelerated));
    }

    #[test]
    fn zero_attainment_with_zero_threshold_is_linear_zero() {
        let c = Curve {
            threshold: Decimal::ZERO,
            ..default_curve()
        };
        assert_eq!(
            curve_factor(Decimal::ZERO, &c),
            (Decimal::ZERO, CurveStep::Linear)
        );
    }

    #[test]
    fn cap_below_one_caps_the_linear_part() {
        // A (linted) cap of 80%: 90% attainment pays 0.8.
        let c = Curve {
            cap: dec("0.8"),
            ..default_curve()
        };
        assert_eq!(
            curve_factor(dec("0.9"), &c),
            (dec("0.8"), CurveStep::Capped)
        );
        assert_eq!(
            curve_factor(dec("0.7"), &c),
            (dec("0.7"), CurveStep::Linear)
        );
    }

    #[test]
    fn enormous_attainment_is_capped_not_a_panic() {
        assert_eq!(
            curve_factor(Decimal::MAX, &default_curve()),
            (dec("2"), CurveStep::Capped)
        );
    }

    #[test]
    fn cents_round_half_away_from_zero() {
        assert_eq!(to_minor(dec("2.345"), 2), dec("2.35"));
        assert_eq!(to_minor(dec("2.3449"), 2), dec("2.34"));
        assert_eq!(to_minor(dec("416.6666666"), 2), dec("416.67"));
        assert_eq!(to_minor(dec("-2.345"), 2), dec("-2.35"));
    }
}
