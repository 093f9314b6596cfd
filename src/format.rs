//! How numbers are written on the site: percentages, rates with their counts, money, counts,
//! hours and month-over-month deltas.
//!
//! Pure functions shared by the Tera filters (`templates.rs`) and the charts, so a figure reads
//! the same in a table and on a chart. Money goes through [`rust_decimal::Decimal`] only, never
//! through a float. Rounding is half away from zero everywhere; a value that rounds to zero is
//! written without a sign. A missing value (`None`, or a float that is not finite) is `n/a`.

use rust_decimal::{Decimal, RoundingStrategy};

/// A free-text cell of a CSV file Baton writes (`comp.csv`, `rejected.csv`), defused for
/// spreadsheets: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
/// leading `'` so it is never run as a formula. Ids are never passed through it: payroll
/// matches them byte for byte against the HR system, so `-S1` stays `-S1` (docs/comp.md).
pub fn defuse_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// What a missing or undefined figure reads as.
pub const NOT_AVAILABLE: &str = "n/a";

/// The minus sign used for deltas (U+2212, as typeset, not the hyphen).
pub const MINUS: char = '\u{2212}';

/// A fraction as a percentage: `0.4235` → `42%`, with `digits` decimals (`42.4%` for 1).
pub fn pct(value: Option<f64>, digits: usize) -> String {
    match finite(value) {
        Some(v) => format!("{}%", fixed(v * 100.0, digits)),
        None => NOT_AVAILABLE.to_string(),
    }
}

/// A rate with the counts behind it: `42% (21/50)`; `n/a (0/0)` when the rate is undefined.
pub fn rate(value: Option<f64>, num: u64, den: u64) -> String {
    format!(
        "{} ({}/{})",
        pct(value, 0),
        group_thousands(&num.to_string()),
        group_thousands(&den.to_string())
    )
}

/// A count or measure with thousands separators: `12345.6` → `12,346` (0 digits).
pub fn num(value: Option<f64>, digits: usize) -> String {
    match finite(value) {
        Some(v) => fixed(v, digits),
        None => NOT_AVAILABLE.to_string(),
    }
}

/// An exact integer with thousands separators: `-1234567` → `-1,234,567`.
pub fn int(value: i128) -> String {
    let digits = group_thousands(&value.unsigned_abs().to_string());
    if value < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// An exact decimal with thousands separators and `digits` decimals (half away from zero).
pub fn decimal(value: Decimal, digits: u32) -> String {
    let rounded = value.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", digits as usize, rounded.abs());
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", group_decimal_text(&text))
}

/// A count that proration may have made fractional, exactly, with at most two decimals
/// (half away from zero) and no trailing zeros: `12` → `12`, `483.870967…` → `483.87`,
/// `1200.5` → `1,200.5`. Never written like money: 12 meetings are not `12.00`.
pub fn count(value: Decimal) -> String {
    let text = decimal(value, 2);
    match text.split_once('.') {
        Some((int, frac)) => match frac.trim_end_matches('0') {
            "" => int.to_string(),
            f => format!("{int}.{f}"),
        },
        None => text,
    }
}

/// Money to the cent: `1234.5` → `$1,234.50`, `-12` → `-$12.00`, with `symbol` before the
/// amount. Exact: the amount is a [`Decimal`], rounded half away from zero.
pub fn money(amount: Decimal, symbol: &str) -> String {
    money_in(amount, symbol, 2)
}

/// Money with `digits` decimals, the currency's minor units ([`minor_units`]): `¥1,235` for
/// 1234.5 yen (0), `$1,234.50` (2), `BHD 1.235` (3).
pub fn money_in(amount: Decimal, symbol: &str, digits: u32) -> String {
    let text = decimal(amount, digits);
    match text.strip_prefix('-') {
        Some(abs) => format!("-{symbol}{abs}"),
        None => format!("{symbol}{text}"),
    }
}

/// The number of decimals (minor units) of an ISO 4217 currency: 0 for currencies without
/// minor units (JPY, KRW...), 3 for the dinars and rials that count in thousandths (BHD,
/// KWD...), 2 for every other code, including unknown ones. From ISO 4217's list of active
/// codes; funds and precious metals are left out.
pub fn minor_units(code: &str) -> u32 {
    const NONE: [&str; 16] = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
        "XAF", "XOF", "XPF",
    ];
    const THOUSANDTHS: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    let code = code.trim().to_ascii_uppercase();
    if NONE.contains(&code.as_str()) {
        0
    } else if THOUSANDTHS.contains(&code.as_str()) {
        3
    } else {
        2
    }
}

/// Parses a decimal written as text (`"1234.5"`, `"-0.10"`) exactly, for [`money`].
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    Decimal::from_str_exact(t)
        .ok()
        .or_else(|| Decimal::from_scientific(t).ok())
}

/// Days with one decimal: `12.25` → `12.3 d`.
pub fn days(value: Option<f64>) -> String {
    match finite(value) {
        Some(v) => format!("{} d", fixed(v, 1)),
        None => NOT_AVAILABLE.to_string(),
    }
}

/// Hours with one decimal: `3.25` → `3.3 h`.
pub fn hours(value: Option<f64>) -> String {
    match finite(value) {
        Some(v) => format!("{} h", fixed(v, 1)),
        None => NOT_AVAILABLE.to_string(),
    }
}

/// A change between two rates, in percentage points: `0.05` → `+5 pts`, `-0.031` → `−3 pts`,
/// `0.001` → `0 pts`. The value is the difference of two fractions (this month − last month).
pub fn signed_pct(delta: Option<f64>) -> String {
    match delta_points(delta) {
        Some(0) => "0 pts".to_string(),
        Some(p) if p > 0 => format!("+{p} pts"),
        Some(p) => format!("{MINUS}{} pts", p.unsigned_abs()),
        None => NOT_AVAILABLE.to_string(),
    }
}

/// The CSS class for a delta as [`signed_pct`] writes it: `delta-up`, `delta-down`, or
/// `delta-flat` (no change after rounding, or no value).
pub fn delta_class(delta: Option<f64>) -> &'static str {
    match delta_points(delta) {
        Some(p) if p > 0 => "delta-up",
        Some(p) if p < 0 => "delta-down",
        _ => "delta-flat",
    }
}

/// A delta in whole percentage points, rounded half away from zero.
fn delta_points(delta: Option<f64>) -> Option<i64> {
    // Clamped so that an absurd input cannot overflow the cast.
    finite(delta).map(|d| (d * 100.0).round().clamp(-1e15, 1e15) as i64)
}

fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

/// `v` rounded half away from zero to `digits` decimals, with thousands separators and no
/// negative zero.
fn fixed(v: f64, digits: usize) -> String {
    let digits = digits.min(6);
    let factor = 10f64.powi(digits as i32);
    let rounded = (v * factor).round() / factor;
    let text = format!("{:.*}", digits, rounded.abs());
    let sign = if rounded < 0.0 { "-" } else { "" };
    format!("{sign}{}", group_decimal_text(&text))
}

/// Inserts separators in the integer part of an unsigned decimal text (`1234.50`).
fn group_decimal_text(text: &str) -> String {
    match text.split_once('.') {
        Some((int, frac)) => format!("{}.{frac}", group_thousands(int)),
        None => group_thousands(text),
    }
}

/// `1234567` → `1,234,567` for a string of ASCII digits.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).expect("test decimal")
    }

    #[test]
    fn pct_rounds_half_away_and_handles_missing() {
        assert_eq!(pct(Some(0.4235), 0), "42%");
        assert_eq!(pct(Some(0.4235), 1), "42.4%");
        assert_eq!(pct(Some(0.5), 0), "50%");
        assert_eq!(pct(Some(0.125), 0), "13%");
        assert_eq!(pct(Some(1.0), 0), "100%");
        assert_eq!(pct(Some(12.345), 0), "1,235%");
        assert_eq!(pct(Some(-0.001), 0), "0%");
        assert_eq!(pct(Some(-0.25), 0), "-25%");
        assert_eq!(pct(None, 0), "n/a");
        assert_eq!(pct(Some(f64::NAN), 0), "n/a");
        assert_eq!(pct(Some(f64::INFINITY), 0), "n/a");
    }

    #[test]
    fn rate_shows_counts() {
        assert_eq!(rate(Some(0.42), 21, 50), "42% (21/50)");
        assert_eq!(rate(None, 0, 0), "n/a (0/0)");
        assert_eq!(rate(Some(0.5), 1500, 3000), "50% (1,500/3,000)");
    }

    #[test]
    fn counts_are_not_written_like_money() {
        assert_eq!(count(d("12")), "12");
        assert_eq!(count(d("12.00")), "12");
        assert_eq!(count(d("483.870967741935")), "483.87");
        assert_eq!(count(d("1200.5")), "1,200.5");
        assert_eq!(count(d("-0.001")), "0");
    }

    #[test]
    fn money_has_the_currency_s_minor_units() {
        assert_eq!(minor_units("JPY"), 0);
        assert_eq!(minor_units("jpy"), 0);
        assert_eq!(minor_units("KWD"), 3);
        assert_eq!(minor_units("EUR"), 2);
        assert_eq!(minor_units("XYZ"), 2);
        assert_eq!(money_in(d("1234.5"), "¥", 0), "¥1,235");
        assert_eq!(money_in(d("-1234.4"), "¥", 0), "-¥1,234");
        assert_eq!(money_in(d("1.2345"), "KWD ", 3), "KWD 1.235");
    }

    #[test]
    fn money_is_exact_and_grouped() {
        assert_eq!(money(d("1234.5"), "$"), "$1,234.50");
        assert_eq!(money(d("0"), "$"), "$0.00");
        assert_eq!(money(d("-12"), "€"), "-€12.00");
        assert_eq!(money(d("999999.995"), "$"), "$1,000,000.00");
        assert_eq!(money(d("0.005"), "$"), "$0.01");
        assert_eq!(money(d("-0.004"), "$"), "$0.00");
        assert_eq!(money(d("1234567890123.45"), "£"), "£1,234,567,890,123.45");
        // 0.1 + 0.2 is exact in decimal, unlike in binary floating point.
        assert_eq!(money(d("0.1") + d("0.2"), "$"), "$0.30");
        assert_eq!(money(d("1e3"), "$"), "$1,000.00");
        assert_eq!(parse_decimal("12,5"), None);
        assert_eq!(parse_decimal("abc"), None);
    }

    #[test]
    fn numbers_and_integers_get_separators() {
        assert_eq!(num(Some(1234.0), 0), "1,234");
        assert_eq!(num(Some(1234567.891), 2), "1,234,567.89");
        assert_eq!(num(Some(999.5), 0), "1,000");
        assert_eq!(num(Some(-1234.4), 0), "-1,234");
        assert_eq!(num(Some(12.0), 0), "12");
        assert_eq!(num(None, 0), "n/a");
        assert_eq!(int(-1234567), "-1,234,567");
        assert_eq!(int(100), "100");
        assert_eq!(int(100_000), "100,000");
        assert_eq!(decimal(d("-1234.567"), 1), "-1,234.6");
    }

    #[test]
    fn hours_have_one_decimal() {
        assert_eq!(hours(Some(3.25)), "3.3 h");
        assert_eq!(hours(Some(26.0)), "26.0 h");
        assert_eq!(hours(Some(1500.04)), "1,500.0 h");
        assert_eq!(hours(None), "n/a");
        assert_eq!(days(Some(12.25)), "12.3 d");
        assert_eq!(days(None), "n/a");
    }

    #[test]
    fn deltas_are_signed_points_with_a_class() {
        assert_eq!(signed_pct(Some(0.05)), "+5 pts");
        assert_eq!(signed_pct(Some(-0.031)), "\u{2212}3 pts");
        assert_eq!(signed_pct(Some(0.004)), "0 pts");
        assert_eq!(signed_pct(Some(-0.004)), "0 pts");
        assert_eq!(signed_pct(None), "n/a");
        assert_eq!(delta_class(Some(0.05)), "delta-up");
        assert_eq!(delta_class(Some(-0.05)), "delta-down");
        assert_eq!(delta_class(Some(0.004)), "delta-flat");
        assert_eq!(delta_class(None), "delta-flat");
    }
}
