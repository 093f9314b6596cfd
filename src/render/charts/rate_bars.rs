//! Rates as vertical bars with their 95% intervals as whiskers, in groups, beside an optional
//! benchmark (show rate of warm vs cold hand-offs against the playbook's 40%).

use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{self, Font, Swatch};
use super::svg;
use super::text::Scale;
use super::{series_color, Benchmark, ChartMeta, ValueFormat, INK, MUTED, WIDTH};
use crate::error::{Error, Result};

/// Groups of bars on one 0–100% scale.
#[derive(Debug, Clone, PartialEq)]
pub struct RateBars {
    pub meta: ChartMeta,
    /// One name per bar of a group (`Warm`, `Cold`), each with its colour; with one series
    /// there is no legend and the group labels name the bars.
    pub series: Vec<String>,
    pub groups: Vec<RateGroup>,
    pub benchmark: Option<Benchmark>,
    /// With one series, each group's bar in its own colour: groups that are the categories
    /// compared (warm, cold) rather than one measure's breakdown.
    pub group_colors: bool,
}

/// A group of bars, `bars[i]` being `series[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateGroup {
    pub label: String,
    pub bars: Vec<RateBar>,
}

/// One rate.
#[derive(Debug, Clone, PartialEq)]
pub struct RateBar {
    /// A fraction from 0 to 1; `None` when undefined (no observations).
    pub rate: Option<f64>,
    /// The 95% interval, low and high, as fractions.
    pub ci: Option<(f64, f64)>,
    /// Observations behind the rate, written under the bar.
    pub n: u64,
}

const HEIGHT: u32 = 320;
const LEFT: i32 = 56;
const RIGHT: i32 = 12;
/// Room under the plot for the `n=` line and the group labels.
const UNDER: i32 = 44;

/// Draws the bars, whiskers and benchmark. Value and `n=` labels that would not fit their
/// bar's slot are left out (the figure's table has them); group labels are cut to fit.
pub fn rate_bars(input: &RateBars) -> Result<String> {
    let ns = input.series.len();
    if let Some(g) = input.groups.iter().find(|g| g.bars.len() != ns) {
        return Err(Error::Other(format!(
            "chart `{}`: group `{}` has {} bars for {} series",
            input.meta.id,
            g.label,
            g.bars.len(),
            ns
        )));
    }
    let mut items: Vec<(String, Swatch)> = Vec::new();
    if ns > 1 {
        items.extend((0..ns).map(|i| (input.series[i].clone(), Swatch::Box(series_color(i)))));
    }
    if let Some(b) = &input.benchmark {
        items.push((b.label.clone(), Swatch::Dashed(INK)));
    }
    let names: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
    let legend_h = draw::legend_height(&names, LEFT);
    svg::render(&input.meta, HEIGHT + legend_h as u32, |area| {
        draw::legend(area, &items, LEFT, 8)?;
        // Room above 100% for a value label.
        let top = 8 + legend_h + 22;
        let bottom = (HEIGHT as i32 + legend_h) - UNDER;
        let (x0, x1) = (LEFT, WIDTH as i32 - RIGHT);
        let scale = Scale {
            min: 0.0,
            max: 1.0,
            step: 0.2,
        };
        let tick = |t: f64| ValueFormat::Percent.tick(t, scale.step);
        draw::y_axis(area, &scale, &tick, x0, x1, bottom, top)?;
        draw::line(area, vec![(x0, bottom), (x1, bottom)], MUTED, 1)?;
        if input.groups.is_empty() || ns == 0 {
            return draw::no_data(area, HEIGHT + legend_h as u32);
        }
        let y = |v: f64| scale.map(v, bottom, top);
        let group_w = (x1 - x0) / input.groups.len() as i32;
        let gap = 6;
        let bar_w = ((group_w as f64 * 0.7 - (gap * (ns as i32 - 1)) as f64) / ns as f64)
            .clamp(4.0, 64.0) as i32;
        let slot = bar_w + gap;
        let value_font = Font::LABEL.bold();
        // The benchmark's height and the span it is drawn over.
        let bench = input
            .benchmark
            .as_ref()
            .filter(|b| b.value.is_finite())
            .map(|b| {
                let (from, to) = match b.group.filter(|g| *g < input.groups.len()) {
                    Some(g) => (x0 + g as i32 * group_w, x0 + (g as i32 + 1) * group_w),
                    None => (x0, x1),
                };
                (y(b.value), from, to)
            });
        let colour =
            |g: usize, s: usize| series_color(if input.group_colors && ns == 1 { g } else { s });
        for (g, group) in input.groups.iter().enumerate() {
            let gx = x0 + g as i32 * group_w;
            let used = bar_w * ns as i32 + gap * (ns as i32 - 1);
            let start = gx + (group_w - used) / 2;
            for (s, b) in group.bars.iter().enumerate() {
                let left = start + s as i32 * slot;
                let mid = left + bar_w / 2;
                let n_text = format!("n={}", crate::format::int(b.n.into()));
                if Font::TICK.width(&n_text) <= slot as f64 {
                    draw::label(
                        area,
                        &n_text,
                        (mid, bottom + 4),
                        Font::TICK,
                        HPos::Center,
                        VPos::Top,
                    )?;
                }
                let Some(rate) = b.rate.filter(|r| r.is_finite()) else {
                    draw::label(
                        area,
                        "n/a",
                        (mid, bottom - 4),
                        Font::TICK,
                        HPos::Center,
                        VPos::Bottom,
                    )?;
                    continue;
                };
                let bar_top = y(rate);
                if bar_top < bottom {
                    draw::bar(area, (left, bar_top), (left + bar_w, bottom), colour(g, s))?;
                }
                let mut above = bar_top;
                if let Some((lo, hi)) = b.ci.filter(|(l, h)| l.is_finite() && h.is_finite()) {
                    let (ylo, yhi) = (y(lo.min(hi)), y(hi.max(lo)));
                    draw::line(area, vec![(mid, ylo), (mid, yhi)], INK, 2)?;
                    draw::line(area, vec![(mid - 5, ylo), (mid + 5, ylo)], INK, 2)?;
                    draw::line(area, vec![(mid - 5, yhi), (mid + 5, yhi)], INK, 2)?;
                    above = above.min(yhi);
                }
                let value = ValueFormat::Percent.value(rate);
                let half = (value_font.width(&value) / 2.0).ceil() as i32;
                // A value label the benchmark line would strike goes above the line.
                let mut base = above - 4;
                if let Some((yb, from, to)) = bench {
                    let crosses = mid + half > from && mid - half < to;
                    if crosses && yb <= base + 2 && yb >= base - value_font.px.ceil() as i32 - 2 {
                        base = yb - 4;
                    }
                }
                if value_font.width(&value) <= slot as f64 {
                    draw::label(
                        area,
                        &value,
                        (mid, base),
                        value_font,
                        HPos::Center,
                        VPos::Bottom,
                    )?;
                }
            }
            let group_font = Font::LABEL.bold();
            let name = group_font.fit(&group.label, (group_w - 8) as f64);
            let at = (gx + group_w / 2, bottom + 22);
            draw::label(area, &name, at, group_font, HPos::Center, VPos::Top)?;
        }
        if let Some((yb, from, to)) = bench {
            draw::dashed(area, from, to, yb, INK)?;
        }
        Ok(())
    })
}
