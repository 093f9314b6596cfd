//! Statistical building blocks shared by every metric: rates, intervals, percentiles.
//!
//! Definitions follow docs/metrics.md ("Rules for every rate", "Warm versus cold").

use serde::Serialize;

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// A ratio with its numerator and denominator; `value` is `None` (JSON null, "n/a" on a page)
/// when the denominator is 0, never 0 or NaN.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rate {
    pub value: Option<f64>,
    pub num: u64,
    pub den: u64,
}

impl Rate {
    pub fn new(num: u64, den: u64) -> Rate {
        Rate {
            value: (den > 0).then(|| num as f64 / den as f64),
            num,
            den,
        }
    }

    /// Whether the denominator is under the minimum sample.
    pub fn is_small(&self, min_sample: u64) -> bool {
        self.den < min_sample
    }
}

/// The 95% Wilson score interval for `num` successes out of `den`; `None` when `den` is 0.
pub fn wilson(num: u64, den: u64) -> Option<[f64; 2]> {
    if den == 0 {
        return None;
    }
    let n = den as f64;
    let p = num as f64 / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At p = 0 or p = 1 the exact bound is 0 or 1; floating point would miss it by an ulp.
    let low = if num == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if num == den {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some([low, high])
}

/// Relative lift of rate `a` over rate `b` (`a/b - 1`) with the 95% Katz log risk-ratio interval.
///
/// The lift is `None` when `b` is 0 (or either denominator is 0); the interval is `None` when
/// either numerator is 0, where the log risk ratio is undefined.
pub fn lift_katz(a: Rate, b: Rate) -> (Option<f64>, Option<[f64; 2]>) {
    let (Some(pa), Some(pb)) = (a.value, b.value) else {
        return (None, None);
    };
    if pb == 0.0 {
        return (None, None);
    }
    let lift = pa / pb - 1.0;
    if a.num == 0 || b.num == 0 {
        return (Some(lift), None);
    }
    let se = (1.0 / a.num as f64 - 1.0 / a.den as f64 + 1.0 / b.num as f64 - 1.0 / b.den as f64)
        .max(0.0)
        .sqrt();
    let ln_rr = (pa / pb).ln();
    let ci = [
        (ln_rr - Z95 * se).exp() - 1.0,
        (ln_rr + Z95 * se).exp() - 1.0,
    ];
    (Some(lift), Some(ci))
}

/// The `q` quantile (0..=1) with linear interpolation between closest ranks (numpy's default).
/// `None` for no values. Sorts `values` in place.
pub fn percentile(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let pos = q * (values.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    Some(values[lo] + (values[hi] - values[lo]) * frac)
}

/// Median, 90th percentile and count of a sample of durations in hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub n: u64,
}

pub fn spread(mut values: Vec<f64>) -> Spread {
    Spread {
        median: percentile(&mut values, 0.5),
        p90: percentile(&mut values, 0.9),
        n: values.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn zero_denominator_is_null() {
        let r = Rate::new(0, 0);
        assert_eq!(r.value, None);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"value":null,"num":0,"den":0}"#
        );
    }

    #[test]
    fn wilson_matches_textbook_values() {
        // 8 of 10: Wilson 95% = [0.4902, 0.9433] (Newcombe 1998, table I style check).
        let [lo, hi] = wilson(8, 10).unwrap();
        assert!(close(lo, 0.4902) && close(hi, 0.9433), "{lo} {hi}");
        // 0 of 10 keeps a non-zero upper bound.
        let [lo, hi] = wilson(0, 10).unwrap();
        assert!(close(lo, 0.0) && close(hi, 0.2775), "{lo} {hi}");
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn katz_interval() {
        // 40/50 warm vs 30/50 cold: RR = 1.3333; SE = sqrt(1/40-1/50+1/30-1/50) = 0.13540;
        // ln RR = 0.28768; CI = exp(0.28768 ± 1.95996*0.13540) - 1 = [0.0225, 0.7386].
        let (lift, ci) = lift_katz(Rate::new(40, 50), Rate::new(30, 50));
        assert!(close(lift.unwrap(), 1.0 / 3.0));
        let [lo, hi] = ci.unwrap();
        assert!(close(lo, 0.0225) && close(hi, 0.7386), "{lo} {hi}");
        assert_eq!(lift_katz(Rate::new(3, 5), Rate::new(0, 5)), (None, None));
        assert_eq!(
            lift_katz(Rate::new(0, 5), Rate::new(2, 5)),
            (Some(-1.0), None)
        );
    }

    #[test]
    fn percentiles_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], [50, 90]) == [2.5, 3.7]
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        assert!(close(percentile(&mut v, 0.5).unwrap(), 2.5));
        assert!(close(percentile(&mut v, 0.9).unwrap(), 3.7));
        assert_eq!(percentile(&mut [], 0.5), None);
        assert_eq!(percentile(&mut [7.0], 0.9), Some(7.0));
    }

    #[test]
    fn a_rate_is_num_over_den_and_small_below_min_sample() {
        // 3 of 4 = 0.75; 3 of 0 is undefined.
        assert_eq!(Rate::new(3, 4).value, Some(0.75));
        assert_eq!(Rate::new(3, 0).value, None);
        // min_sample 4: a denominator of 3 is small, 4 (exactly at it) and 5 are not.
        assert!(Rate::new(1, 3).is_small(4));
        assert!(!Rate::new(1, 4).is_small(4));
        assert!(!Rate::new(1, 5).is_small(4));
    }

    #[test]
    fn wilson_at_the_edges() {
        // 10 of 10: the upper bound is exactly 1; the lower bound is 1 - (0 of 10's upper),
        // 1 - 0.2775 = 0.7225, by symmetry of the Wilson interval.
        let [lo, hi] = wilson(10, 10).unwrap();
        assert_eq!(hi, 1.0);
        assert!(close(lo, 0.7225), "{lo}");
        // 1 of 2: p = 0.5, z² = 3.8415; centre = (0.5 + 3.8415/4) / (1 + 3.8415/2) = 0.5;
        // half = 1.95996 / 2.92073 × sqrt(0.25/2 + 3.8415/16) = 0.67105 × 0.60423 = 0.40547:
        // [0.0945, 0.9055].
        let [lo, hi] = wilson(1, 2).unwrap();
        assert!(close(lo, 0.0945) && close(hi, 0.9055), "{lo} {hi}");
    }

    #[test]
    fn spread_counts_every_value_and_takes_median_and_p90() {
        // Hours 10, 2, 6, 4, 8 sorted: 2 4 6 8 10. Median at rank 0.5 × 4 = 2: 6. p90 at rank
        // 0.9 × 4 = 3.6: 8 + (10 - 8) × 0.6 = 9.2.
        let s = spread(vec![10.0, 2.0, 6.0, 4.0, 8.0]);
        assert_eq!(s.n, 5);
        assert!(close(s.median.unwrap(), 6.0));
        assert!(close(s.p90.unwrap(), 9.2));
        let none = spread(Vec::new());
        assert_eq!((none.median, none.p90, none.n), (None, None, 0));
    }

    #[test]
    fn katz_with_equal_rates_is_no_lift_around_zero() {
        // 5/10 against 5/10: lift 0; SE = sqrt(1/5 - 1/10 + 1/5 - 1/10) = sqrt(0.2) = 0.44721;
        // CI = exp(±1.95996 × 0.44721) - 1 = exp(±0.87653) - 1 = [-0.5838, 1.4025].
        let (lift, ci) = lift_katz(Rate::new(5, 10), Rate::new(5, 10));
        assert_eq!(lift, Some(0.0));
        let [lo, hi] = ci.unwrap();
        assert!(close(lo, -0.5838) && close(hi, 1.4025), "{lo} {hi}");
        // No cold hand-offs at all: no lift.
        assert_eq!(lift_katz(Rate::new(5, 10), Rate::new(0, 0)), (None, None));
    }
}
