//! Stacked horizontal bars of money: per rep, the components of a statement (base, variable,
//! accelerators, clawbacks...) laid end to end, the total written at the bar's end.

use plotters::style::text_anchor::{HPos, VPos};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::draw::{self, Font, Rows, Swatch};
use super::svg;
use super::text::Scale;
use super::{series_color, ChartMeta, WIDTH};
use crate::error::{Error, Result};
use crate::format;

/// Stacked money bars, rows drawn top to bottom as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Stacked {
    pub meta: ChartMeta,
    /// Written before amounts, as the `money` filter does (`$`).
    pub currency: String,
    /// Decimals of the currency's amounts (its minor units).
    pub digits: u32,
    /// Names of the components, in stacking order.
    pub components: Vec<String>,
    pub rows: Vec<StackedRow>,
}

/// One bar: an amount per component (`values[i]` is `components[i]`).
#[derive(Debug, Clone, PartialEq)]
pub struct StackedRow {
    pub label: String,
    pub values: Vec<Decimal>,
}

/// The widest the row labels' column grows, leaving the bars more than half the chart.
const MAX_LABEL_W: i32 = 280;

/// Draws the bars. Positive amounts stack rightwards from zero and negative ones leftwards;
/// the total at the end is the exact sum of the row's amounts.
pub fn stacked(input: &Stacked) -> Result<String> {
    if let Some(row) = input
        .rows
        .iter()
        .find(|r| r.values.len() != input.components.len())
    {
        return Err(Error::Other(format!(
            "chart `{}`: row `{}` has {} amounts for {} components",
            input.meta.id,
            row.label,
            row.values.len(),
            input.components.len()
        )));
    }
    let n = input.rows.len();
    let names: Vec<&str> = input.components.iter().map(String::as_str).collect();
    // The label column as wide as the longest row label needs ("Hiro Lindqvist (2026-07)" in a
    // quarter's chart), from the standard width up to MAX_LABEL_W; longer labels are cut.
    let widest = input
        .rows
        .iter()
        .map(|r| Font::LABEL.width(&r.label))
        .fold(0.0, f64::max);
    let label_w = (widest.ceil() as i32 + 16).clamp(Rows::STANDARD.label_w, MAX_LABEL_W);
    let rows = Rows {
        top: 8 + draw::legend_height(&names, label_w) + 6,
        label_w,
        ..Rows::STANDARD
    };
    let height = (rows.bottom(n.max(2)) + 28) as u32;
    svg::render(&input.meta, height, |area| {
        let items: Vec<(String, Swatch)> = input
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), Swatch::Box(series_color(i))))
            .collect();
        draw::legend(area, &items, rows.label_w, 8)?;
        if n == 0 {
            return draw::no_data(area, height);
        }
        let font = Font::LABEL;
        let totals: Vec<String> = input
            .rows
            .iter()
            .map(|r| format::money_in(r.values.iter().sum(), &input.currency, input.digits))
            .collect();
        // Pixel positions only: the amounts written are the exact totals above.
        let as_f64 = |d: &Decimal| d.to_f64().unwrap_or(0.0);
        let pos = |r: &StackedRow| {
            r.values
                .iter()
                .filter(|v| v.is_sign_positive())
                .map(as_f64)
                .sum::<f64>()
        };
        let neg = |r: &StackedRow| {
            r.values
                .iter()
                .filter(|v| v.is_sign_negative())
                .map(as_f64)
                .sum::<f64>()
        };
        let hi = input.rows.iter().map(pos).fold(0.0, f64::max);
        let lo = input.rows.iter().map(neg).fold(0.0, f64::min);
        let scale = Scale::nice(lo, hi, 5, true);
        let widest = totals.iter().map(|t| font.width(t)).fold(0.0, f64::max);
        let x0 = rows.label_w;
        let x1 = WIDTH as i32 - 12 - 6 - widest.ceil() as i32;
        let tick = |t: f64| money_tick(t, scale.step, &input.currency);
        draw::x_axis(area, &scale, &tick, x0, x1, rows.top, rows.bottom(n))?;
        let labels: Vec<&str> = input.rows.iter().map(|r| r.label.as_str()).collect();
        rows.labels(area, &labels, font)?;
        for (i, (row, total)) in input.rows.iter().zip(&totals).enumerate() {
            let (y0, y1) = rows.bar_y(i);
            let (mut right, mut left) = (0.0, 0.0);
            for (c, v) in row.values.iter().enumerate() {
                let v = as_f64(v);
                let (from, to) = if v >= 0.0 {
                    right += v;
                    (right - v, right)
                } else {
                    left += v;
                    (left, left - v)
                };
                let (a, b) = (scale.map(from, x0, x1), scale.map(to, x0, x1));
                if b > a {
                    // A white hairline between segments keeps neighbours apart.
                    let b = if b - a > 2 { b - 1 } else { b };
                    draw::bar(area, (a, y0), (b, y1), series_color(c))?;
                }
            }
            let end = scale.map(right, x0, x1);
            draw::label(
                area,
                total,
                (end + 6, rows.mid(i)),
                font,
                HPos::Left,
                VPos::Center,
            )?;
        }
        Ok(())
    })
}

/// A tick of a money axis: `$5,000`, `-$250`, with cents only for steps under one unit.
fn money_tick(v: f64, step: f64, symbol: &str) -> String {
    let digits = if step < 1.0 { 2 } else { 0 };
    let text = format::num(Some(v.abs()), digits);
    if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("-{symbol}{text}")
    } else {
        format!("{symbol}{text}")
    }
}
