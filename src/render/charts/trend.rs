//! Monthly trends: one line per series over month labels, broken where a month has no value.

use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{self, Font, Swatch};
use super::svg;
use super::text::Scale;
use super::{series_color, Benchmark, ChartMeta, ValueFormat, INK, MUTED, WIDTH};
use crate::error::{Error, Result};

/// Lines over months (`2026-05`, ..., `2026-10`).
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub meta: ChartMeta,
    pub months: Vec<String>,
    pub series: Vec<TrendSeries>,
    /// How the value axis is written; rates are [`ValueFormat::Percent`].
    pub format: ValueFormat,
    pub benchmark: Option<Benchmark>,
    /// Vertical dotted lines just before some months, each with a short label at its top
    /// (e.g. where a metric's definition changed); the page explains each label.
    pub markers: Vec<TrendMarker>,
}

/// A mark between month `index - 1` and month `index`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendMarker {
    pub index: usize,
    /// A few characters, e.g. `A`.
    pub label: String,
}

/// One line: `values[i]` is the value of `months[i]`, `None` where undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

const HEIGHT: u32 = 280;
const LEFT: i32 = 60;
const RIGHT: i32 = 16;
const UNDER: i32 = 28;

/// Draws the trend. Each series has its colour and marker shape; a month without a value
/// breaks the line, and a value between two gaps is still shown by its marker. Month labels
/// are thinned to every k-th when they would not fit side by side.
pub fn trend(input: &Trend) -> Result<String> {
    let n = input.months.len();
    if let Some(s) = input.series.iter().find(|s| s.values.len() != n) {
        return Err(Error::Other(format!(
            "chart `{}`: series `{}` has {} values for {} months",
            input.meta.id,
            s.name,
            s.values.len(),
            n
        )));
    }
    let mut items: Vec<(String, Swatch)> = input
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), Swatch::Line(series_color(i), i)))
        .collect();
    if let Some(b) = &input.benchmark {
        items.push((b.label.clone(), Swatch::Dashed(INK)));
    }
    let names: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
    let legend_h = draw::legend_height(&names, LEFT);
    let height = HEIGHT + legend_h as u32;
    svg::render(&input.meta, height, |area| {
        draw::legend(area, &items, LEFT, 8)?;
        let top = 8 + legend_h + 12;
        let bottom = height as i32 - UNDER;
        let (x0, x1) = (LEFT, WIDTH as i32 - RIGHT);
        let values = || {
            input
                .series
                .iter()
                .flat_map(|s| s.values.iter().flatten().copied())
                .chain(input.benchmark.as_ref().map(|b| b.value))
                .filter(|v| v.is_finite())
        };
        let lo = values().fold(0.0, f64::min);
        let hi = values().fold(0.0, f64::max);
        let mut scale = Scale::nice(lo, hi, 5, input.format == ValueFormat::Count);
        if input.format == ValueFormat::Percent && lo >= 0.0 && hi <= 1.0 && hi > 0.5 {
            scale = Scale {
                min: 0.0,
                max: 1.0,
                step: 0.2,
            };
        }
        let tick = |t: f64| input.format.tick(t, scale.step);
        draw::y_axis(area, &scale, &tick, x0, x1, bottom, top)?;
        draw::line(area, vec![(x0, bottom), (x1, bottom)], MUTED, 1)?;
        if n == 0 {
            return draw::no_data(area, height);
        }
        let step = (x1 - x0) as f64 / n as f64;
        let x = |i: usize| x0 + (step * (i as f64 + 0.5)).round() as i32;
        let widest = input
            .months
            .iter()
            .map(|m| Font::TICK.width(m))
            .fold(0.0, f64::max);
        let every = ((widest + 10.0) / step).ceil().max(1.0) as usize;
        for (i, month) in input.months.iter().enumerate() {
            if i % every == 0 {
                let m = Font::TICK.fit(month, step * every as f64 - 10.0);
                draw::label(
                    area,
                    &m,
                    (x(i), bottom + 6),
                    Font::TICK,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
        }
        for m in input.markers.iter().filter(|m| m.index < n) {
            let mx = x0 + (step * m.index as f64).round() as i32;
            let mut y = top + 16;
            while y < bottom {
                draw::line(area, vec![(mx, y), (mx, (y + 3).min(bottom))], MUTED, 2)?;
                y += 7;
            }
            let label = Font::TICK.fit(&m.label, step.max(24.0));
            draw::label(area, &label, (mx, top), Font::TICK, HPos::Center, VPos::Top)?;
        }
        if let Some(b) = input.benchmark.as_ref().filter(|b| b.value.is_finite()) {
            draw::dashed(area, x0, x1, scale.map(b.value, bottom, top), INK)?;
        }
        for (k, series) in input.series.iter().enumerate() {
            let color = series_color(k);
            let point = |i: usize, v: f64| (x(i), scale.map(v, bottom, top));
            let mut run: Vec<(i32, i32)> = Vec::new();
            for (i, v) in series.values.iter().enumerate() {
                match v.filter(|v| v.is_finite()) {
                    Some(v) => run.push(point(i, v)),
                    None => {
                        if run.len() > 1 {
                            draw::line(area, std::mem::take(&mut run), color, 2)?;
                        }
                        run.clear();
                    }
                }
            }
            if run.len() > 1 {
                draw::line(area, run, color, 2)?;
            }
            for (i, v) in series.values.iter().enumerate() {
                if let Some(v) = v.filter(|v| v.is_finite()) {
                    draw::marker(area, k, point(i, v), color)?;
                }
            }
        }
        Ok(())
    })
}
