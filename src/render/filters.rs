//! The Tera filters the pages use, as thin adapters from template values to the pure
//! formatters of [`crate::format`].
//!
//! | filter | input | arguments | output |
//! | --- | --- | --- | --- |
//! | `pct` | fraction or null | `digits` (0) | `42%`, `n/a` |
//! | `rate` | `{value, num, den}` | | `42% (21/50)`, `n/a (0/0)` |
//! | `money` | decimal string or integer | `symbol` (`$`), `digits` (2) | `$1,234.50`, `¥1,235` |
//! | `figure` | decimal string or integer | `unit` (`count`, `money`, `share`), `symbol`, `digits` (2) | `12`, `$1,234.50`, `90%` |
//! | `num` | number, decimal string or null | `digits` (0) | `12,345` |
//! | `hours` | number or null | | `3.3 h` |
//! | `signed_pct` | difference of two fractions | | `+5 pts`, `−3 pts`, `0 pts` |
//! | `delta_class` | same as `signed_pct` | | `delta-up`, `delta-down`, `delta-flat` |
//!
//! A value of the wrong type is a template error naming the filter, never a silent blank.

use std::collections::HashMap;

use tera::{Tera, Value};

use crate::format;

type Args = HashMap<String, Value>;

/// Registers every filter of this module on `tera`.
pub fn register(tera: &mut Tera) {
    tera.register_filter("pct", pct);
    tera.register_filter("rate", rate);
    tera.register_filter("money", money);
    tera.register_filter("figure", figure);
    tera.register_filter("num", num);
    tera.register_filter("hours", hours);
    tera.register_filter("signed_pct", signed_pct);
    tera.register_filter("delta_class", delta_class);
}

fn pct(value: &Value, args: &Args) -> tera::Result<Value> {
    let v = optional_number("pct", value)?;
    Ok(format::pct(v, digits("pct", args)?).into())
}

fn rate(value: &Value, _: &Args) -> tera::Result<Value> {
    if value.is_null() {
        return Ok(format::NOT_AVAILABLE.into());
    }
    let obj = value
        .as_object()
        .ok_or_else(|| wrong("rate", "an object {value, num, den}", value))?;
    let count = |key: &str| -> tera::Result<u64> {
        match obj.get(key) {
            Some(n) => n
                .as_u64()
                .ok_or_else(|| wrong("rate", &format!("`{key}` as a whole count"), n)),
            None => Err(tera::Error::msg(format!(
                "filter `rate`: the object has no `{key}`"
            ))),
        }
    };
    let v = optional_number("rate", obj.get("value").unwrap_or(&Value::Null))?;
    Ok(format::rate(v, count("num")?, count("den")?).into())
}

fn money(value: &Value, args: &Args) -> tera::Result<Value> {
    let symbol = symbol("money", args)?;
    let digits = money_digits("money", args)?;
    match exact("money", value)? {
        Some(a) => Ok(format::money_in(a, symbol, digits).into()),
        None => Ok(format::NOT_AVAILABLE.into()),
    }
}

/// A comp target or actual by its `unit`: a count with at most two decimals and no trailing
/// zeros, money with the currency's `digits`, or a share as a percentage with one decimal.
fn figure(value: &Value, args: &Args) -> tera::Result<Value> {
    let Some(v) = exact("figure", value)? else {
        return Ok(format::NOT_AVAILABLE.into());
    };
    Ok(match args.get("unit").and_then(Value::as_str) {
        Some("count") => format::count(v),
        Some("money") => {
            format::money_in(v, symbol("figure", args)?, money_digits("figure", args)?)
        }
        Some("share") => format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&v), 1),
        _ => {
            return Err(wrong(
                "figure",
                "`unit` as \"count\", \"money\" or \"share\"",
                args.get("unit").unwrap_or(&Value::Null),
            ))
        }
    }
    .into())
}

fn symbol<'a>(filter: &str, args: &'a Args) -> tera::Result<&'a str> {
    match args.get("symbol") {
        None => Ok("$"),
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(other) => Err(wrong(filter, "`symbol` as a string", other)),
    }
}

/// The optional `digits` of an amount: the currency's minor units (0 to 4; default 2).
fn money_digits(filter: &str, args: &Args) -> tera::Result<u32> {
    match args.get("digits") {
        None => Ok(2),
        Some(v) => match v.as_u64() {
            Some(n) if n <= 4 => Ok(n as u32),
            _ => Err(wrong(filter, "`digits` as a whole number from 0 to 4", v)),
        },
    }
}

/// An exact decimal from a decimal string or an integer; `None` for null.
fn exact(filter: &str, value: &Value) -> tera::Result<Option<rust_decimal::Decimal>> {
    let amount = match value {
        Value::Null => return Ok(None),
        Value::String(s) => format::parse_decimal(s),
        Value::Number(n) if n.is_i64() || n.is_u64() => format::parse_decimal(&n.to_string()),
        _ => None,
    };
    match amount {
        Some(a) => Ok(Some(a)),
        None => Err(wrong(
            filter,
            "a decimal string such as \"1234.50\" (never a float)",
            value,
        )),
    }
}

fn num(value: &Value, args: &Args) -> tera::Result<Value> {
    let digits = digits("num", args)?;
    match value {
        // Whole numbers exactly, whatever their size.
        Value::Number(n) if n.is_i64() || n.is_u64() => match format::parse_decimal(&n.to_string())
        {
            Some(d) => Ok(format::decimal(d, digits as u32).into()),
            None => Err(wrong("num", "a number or a decimal string", value)),
        },
        Value::String(s) => match format::parse_decimal(s) {
            Some(d) => Ok(format::decimal(d, digits as u32).into()),
            None => Err(wrong("num", "a number or a decimal string", value)),
        },
        _ => Ok(format::num(optional_number("num", value)?, digits).into()),
    }
}

fn hours(value: &Value, _: &Args) -> tera::Result<Value> {
    Ok(format::hours(optional_number("hours", value)?).into())
}

fn signed_pct(value: &Value, _: &Args) -> tera::Result<Value> {
    Ok(format::signed_pct(optional_number("signed_pct", value)?).into())
}

fn delta_class(value: &Value, _: &Args) -> tera::Result<Value> {
    Ok(format::delta_class(optional_number("delta_class", value)?).into())
}

/// A number, or `None` for null.
fn optional_number(filter: &str, value: &Value) -> tera::Result<Option<f64>> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => Ok(n.as_f64()),
        // Exact decimals arrive as strings; shown as a percentage or hours they may round.
        Value::String(s) if s.parse::<f64>().is_ok() => Ok(s.parse::<f64>().ok()),
        other => Err(wrong(filter, "a number or null", other)),
    }
}

/// The optional `digits` argument (0 to 6; default 0).
fn digits(filter: &str, args: &Args) -> tera::Result<usize> {
    match args.get("digits") {
        None => Ok(0),
        Some(v) => match v.as_u64() {
            Some(n) if n <= 6 => Ok(n as usize),
            _ => Err(wrong(filter, "`digits` as a whole number from 0 to 6", v)),
        },
    }
}

fn wrong(filter: &str, expected: &str, got: &Value) -> tera::Error {
    let mut shown = got.to_string();
    if shown.len() > 60 {
        let cut = (0..=60)
            .rev()
            .find(|&i| shown.is_char_boundary(i))
            .unwrap_or(0);
        shown.truncate(cut);
        shown.push('…');
    }
    tera::Error::msg(format!("filter `{filter}` expects {expected}, got {shown}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(template: &str, ctx: Value) -> Result<String, String> {
        let mut tera = Tera::default();
        register(&mut tera);
        let context = tera::Context::from_value(ctx).map_err(|e| e.to_string())?;
        tera.render_str(template, &context).map_err(|e| {
            let mut msg = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                msg.push_str(&format!(" | {c}"));
                cause = c.source();
            }
            msg
        })
    }

    #[test]
    fn filters_format_template_values() {
        let ctx = json!({
            "r": 0.4235, "none": null,
            "show": {"value": 0.42, "num": 21, "den": 50},
            "empty": {"value": null, "num": 0, "den": 0},
            "pay": "1234.5", "big": 1234567, "h": 3.25, "d": -0.031, "up": 0.05,
        });
        let t = "{{ r|pct }} {{ r|pct(digits=1) }} {{ none|pct }} | {{ show|rate }} | \
                 {{ empty|rate }} | {{ pay|money }} {{ pay|money(symbol='€') }} | \
                 {{ big|num }} {{ big|num(digits=1) }} {{ pay|num(digits=2) }} {{ h|num(digits=1) }} | \
                 {{ h|hours }} | \
                 {{ d|signed_pct }} {{ d|delta_class }} {{ up|signed_pct }} {{ up|delta_class }}";
        assert_eq!(
            run(t, ctx).expect("renders"),
            "42% 42.4% n/a | 42% (21/50) | n/a (0/0) | $1,234.50 €1,234.50 | \
             1,234,567 1,234,567.0 1,234.50 3.3 | \
             3.3 h | \u{2212}3 pts delta-down +5 pts delta-up"
        );
    }

    #[test]
    fn money_refuses_floats_and_garbage() {
        let err = run("{{ x|money }}", json!({"x": 12.5})).expect_err("float refused");
        assert!(
            err.contains("filter `money` expects a decimal string"),
            "{err}"
        );
        let err = run("{{ x|money }}", json!({"x": "twelve"})).expect_err("text refused");
        assert!(err.contains("got \"twelve\""), "{err}");
        assert_eq!(
            run("{{ x|money }}", json!({"x": 12})).expect("int"),
            "$12.00"
        );
    }

    #[test]
    fn wrong_types_are_errors_naming_the_filter() {
        let err = run("{{ x|pct }}", json!({"x": "42%"})).expect_err("string refused");
        assert!(
            err.contains("filter `pct` expects a number or null"),
            "{err}"
        );
        let err = run("{{ x|rate }}", json!({"x": {"value": 0.5, "num": 1}})).expect_err("no den");
        assert!(err.contains("has no `den`"), "{err}");
        let err = run(
            "{{ x|rate }}",
            json!({"x": {"value": 0.5, "num": -1, "den": 2}}),
        )
        .expect_err("negative count");
        assert!(err.contains("`num` as a whole count"), "{err}");
        let err = run("{{ x|pct(digits=9) }}", json!({"x": 0.5})).expect_err("digits");
        assert!(err.contains("from 0 to 6"), "{err}");
    }
}
