//! Tests of every chart kind against the promises of the module: well-formed, accessible,
//! escaped, deterministic, labels inside the canvas and never overlapping.

use rust_decimal::Decimal;

use super::test_support::{assert_chart, assert_well_formed, attr, has_text, text_boxes};
use super::*;

const HOSTILE: &str = "<script>alert(1)</script> & \"x\"";

fn meta(id: &str) -> ChartMeta {
    ChartMeta {
        id: id.to_string(),
        title: format!("Title of {id} <b>"),
        description: "What it shows & why".to_string(),
    }
}

#[test]
fn plotters_escapes_text_and_we_escape_title_and_desc() {
    let input = Funnel {
        meta: ChartMeta {
            id: "x\" onload=\"alert(1)".to_string(),
            title: HOSTILE.to_string(),
            description: format!("{HOSTILE}\u{0}\u{1b}"),
        },
        stages: vec![FunnelStage {
            label: HOSTILE.to_string(),
            count: 3,
            note: Some("</text><script>".to_string()),
        }],
    };
    let svg = funnel(&input).expect("draws");
    assert_well_formed(&svg);
    assert!(!svg.contains("<script"));
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
    assert!(
        svg.contains("aria-labelledby=\"x--onload--alert-1--title"),
        "id sanitized"
    );
    assert!(!svg.contains('\u{0}') && !svg.contains('\u{1b}'));
}

#[test]
fn funnel_draws_stages_with_counts() {
    let input = Funnel {
        meta: meta("funnel"),
        stages: vec![
            FunnelStage {
                label: "Booked".into(),
                count: 1204,
                note: None,
            },
            FunnelStage {
                label: "Held".into(),
                count: 845,
                note: Some("70% of booked".into()),
            },
            FunnelStage {
                label: "Accepted by the AE".into(),
                count: 610,
                note: None,
            },
            FunnelStage {
                label: "Opportunity".into(),
                count: 402,
                note: None,
            },
            FunnelStage {
                label: "Won".into(),
                count: 0,
                note: None,
            },
        ],
    };
    let svg = funnel(&input).expect("draws");
    assert_chart("funnel", &svg, &funnel(&input).expect("again"));
    for t in ["Booked", "1,204", "845 · 70% of booked", "Won", "0"] {
        assert!(has_text(&svg, t), "{t}");
    }
    // Bars in proportion: the widest is Booked, Won has none.
    assert_eq!(
        svg.matches("<rect").count(),
        1 + 4,
        "background and four bars"
    );
}

#[test]
fn long_and_hostile_labels_are_cut_not_overlapping() {
    let long = "Maximiliano Alejandro de la Cruz Fernández-Villaverde y Montenegro";
    let rows: Vec<LeaderRow> = [long, HOSTILE, "WWWWWWWWWWWWWWWWWWWWWWWWWWWW", "Ana"]
        .iter()
        .enumerate()
        .map(|(i, l)| LeaderRow {
            label: l.to_string(),
            value: Some(0.2 * i as f64),
            small_sample: i == 3,
        })
        .collect();
    let input = Leaderboard {
        meta: meta("leaders"),
        format: ValueFormat::Percent,
        rows,
    };
    let svg = leaderboard(&input).expect("draws");
    assert_chart("leaders", &svg, &leaderboard(&input).expect("again"));
    let boxes = text_boxes(&svg);
    assert!(boxes
        .iter()
        .any(|b| b.content.starts_with("Maximiliano") && b.content.ends_with('…')));
    assert!(boxes
        .iter()
        .any(|b| b.content.starts_with("<script>") && b.content.ends_with('…')));
    assert!(has_text(&svg, "60% · small sample"));
}

#[test]
fn leaderboard_marks_small_samples_and_missing_values() {
    let rows = vec![
        LeaderRow {
            label: "Ana Lima".into(),
            value: Some(52.0),
            small_sample: false,
        },
        LeaderRow {
            label: "Bo Chen".into(),
            value: Some(7.0),
            small_sample: true,
        },
        LeaderRow {
            label: "Cy Park".into(),
            value: None,
            small_sample: false,
        },
    ];
    let input = Leaderboard {
        meta: meta("calls"),
        format: ValueFormat::Count,
        rows,
    };
    let svg = leaderboard(&input).expect("draws");
    assert_chart("calls", &svg, &leaderboard(&input).expect("again"));
    assert!(has_text(&svg, "52") && has_text(&svg, "7 · small sample") && has_text(&svg, "n/a"));
    assert!(
        svg.contains("font-style=\"italic\""),
        "small sample in italics"
    );
    assert!(svg.contains("fill=\"#D8DCE0\""), "small sample bar greyed");
    assert!(svg.contains("stroke=\"#8C959F\""), "and hatched");
    // The theme classes name each colour's role, so the stylesheet recolours them in dark mode.
    assert!(
        svg.contains("<rect class=\"cf-small\" "),
        "greyed bar themed"
    );
    assert!(svg.contains("class=\"cs-hatch\""), "hatching themed");
    assert!(svg.contains("<rect class=\"cf-bg\" "), "canvas themed");
    assert!(svg.contains("<text class=\"cf-ink\" "), "labels themed");
    assert!(svg.contains("class=\"cf-s0\""), "series bar themed");
    // Axis ticks: 0 to 60 by 20, whole numbers for counts.
    for t in ["0", "20", "40", "60"] {
        assert!(has_text(&svg, t), "tick {t}");
    }
}

#[test]
fn rate_bars_have_whiskers_and_a_benchmark() {
    let bar = |rate, ci, n| RateBar { rate, ci, n };
    let input = RateBars {
        meta: meta("show"),
        series: vec!["Warm".into(), "Cold".into()],
        groups: vec![
            RateGroup {
                label: "East pod".into(),
                bars: vec![
                    bar(Some(0.62), Some((0.5, 0.72)), 48),
                    bar(Some(0.31), Some((0.2, 0.44)), 40),
                ],
            },
            RateGroup {
                label: "West pod".into(),
                bars: vec![bar(Some(1.0), Some((0.8, 1.0)), 5), bar(None, None, 0)],
            },
        ],
        benchmark: Some(Benchmark {
            label: "Playbook benchmark (40%)".into(),
            value: 0.4,
            group: None,
        }),
        group_colors: false,
    };
    let svg = rate_bars(&input).expect("draws");
    assert_chart("show", &svg, &rate_bars(&input).expect("again"));
    for t in [
        "Warm",
        "Cold",
        "Playbook benchmark (40%)",
        "62%",
        "31%",
        "100%",
        "n=48",
        "n=0",
        "n/a",
        "East pod",
    ] {
        assert!(has_text(&svg, t), "{t}");
    }
    // Three intervals of three strokes each (stroke-width 2 lines), plus the benchmark dashes.
    let thick = svg.matches("stroke-width=\"2\"").count();
    assert!(thick >= 9 + 10, "whiskers and dashes drawn: {thick}");
    let mismatched = RateBars {
        series: vec!["Warm".into()],
        ..input
    };
    assert!(rate_bars(&mismatched).is_err());
}

/// Issue 22: the warm/cold chart's "51%" was struck through by the claim line, and both bars
/// shared one colour.
#[test]
fn rate_bars_compare_groups_in_their_own_colours_and_keep_values_clear_of_the_benchmark() {
    let bar = |rate| RateBar {
        rate: Some(rate),
        ci: None,
        n: 40,
    };
    let input = RateBars {
        meta: meta("wc"),
        series: vec!["Show rate".into()],
        groups: vec![
            RateGroup {
                label: "Warm".into(),
                bars: vec![bar(0.51)],
            },
            RateGroup {
                label: "Cold".into(),
                bars: vec![bar(0.50)],
            },
        ],
        // 0.52 is 1.04 px per point × 1 point above the warm bar's top on a 0-100% axis some
        // 250 px high: inside the 14 px of a value label written 4 px above the bar.
        benchmark: Some(Benchmark {
            label: "Expected warm".into(),
            value: 0.52,
            group: Some(0),
        }),
        group_colors: true,
    };
    let svg = rate_bars(&input).expect("draws");
    assert_chart("wc", &svg, &rate_bars(&input).expect("again"));
    // One colour per group: the first two palette colours, blue then orange.
    let warm = svg.find("fill=\"#0072B2\"").expect("warm bar in blue");
    let cold = svg.find("fill=\"#E69F00\"").expect("cold bar in orange");
    assert!(warm < cold, "warm drawn first");
    // The dashes: horizontal 2 px strokes at most 6 px long (whisker caps are 10 px).
    let dashes: Vec<(i32, i32, i32)> = svg
        .split("<polyline ")
        .skip(1)
        .filter(|p| p.contains("stroke-width=\"2\""))
        .filter_map(|p| {
            let pts = attr(&format!(" {}", p.split('>').next()?), "points");
            let xy: Vec<(i32, i32)> = pts
                .split_whitespace()
                .map(|q| {
                    let (x, y) = q.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect();
            let ((xa, ya), (xb, yb)) = (xy[0], xy[1]);
            (ya == yb && xb - xa <= 6).then_some((xa, xb, ya))
        })
        .collect();
    // The legend's swatch is two dashes at its own height; the line is the height most dashes share.
    let line_y = dashes
        .iter()
        .map(|d| d.2)
        .max_by_key(|y| dashes.iter().filter(|d| d.2 == *y).count())
        .expect("dashes");
    let dashes: Vec<_> = dashes.into_iter().filter(|d| d.2 == line_y).collect();
    assert!(dashes.len() > 10, "benchmark drawn: {dashes:?}");
    // Over the warm group only: the plot runs from x=56 to 708, so each group is 326 px wide.
    let (first, last) = (dashes[0].0, dashes[dashes.len() - 1].1);
    assert!(
        first >= 56 && last <= 56 + 326,
        "dashes span {first}..{last}"
    );
    let line_y = line_y as f64;
    for value in ["51%", "50%"] {
        let b = text_boxes(&svg)
            .into_iter()
            .find(|b| b.content == value)
            .expect("value label");
        let under_line = b.x1 > first as f64 && b.x0 < last as f64;
        assert!(
            !under_line || line_y < b.y0 || line_y > b.y1,
            "{value} at {:?} struck by the line at {line_y}",
            (b.y0, b.y1)
        );
    }
}

#[test]
fn trend_breaks_lines_at_gaps_and_thins_month_labels() {
    let months: Vec<String> = (1..=24)
        .map(|i| format!("{}-{:02}", 2025 + (i - 1) / 12, (i - 1) % 12 + 1))
        .collect();
    let mut values: Vec<Option<f64>> = (0..24).map(|i| Some(0.3 + 0.01 * i as f64)).collect();
    values[5] = None;
    values[7] = None;
    let input = Trend {
        meta: meta("trend"),
        months: months.clone(),
        series: vec![
            TrendSeries {
                name: "Show rate".into(),
                values,
            },
            TrendSeries {
                name: HOSTILE.into(),
                values: vec![None; 24],
            },
        ],
        format: ValueFormat::Percent,
        benchmark: Some(Benchmark {
            label: "Benchmark".into(),
            value: 0.4,
            group: None,
        }),
        markers: Vec::new(),
    };
    let svg = trend(&input).expect("draws");
    assert_chart("trend", &svg, &trend(&input).expect("again"));
    // Runs 0-4, 6 (a lone point: marker only), 8-23: two polylines of the series, plus the
    // legend's swatch.
    let series_lines = svg.matches("stroke=\"#0072B2\" stroke-width=\"2\"").count();
    assert_eq!(series_lines, 2 + 1);
    let shown = months.iter().filter(|m| has_text(&svg, m)).count();
    assert!(shown > 4 && shown < 24, "labels thinned: {shown}");
    assert!(has_text(&svg, "0%") && has_text(&svg, "60%"));
}

/// Issue 22: a quarter's comp chart cut "Felix Zhang (2026-07)" to "Felix Zhang (2026-…".
#[test]
fn stacked_row_labels_get_the_room_they_need() {
    let row = |label: &str| StackedRow {
        label: label.into(),
        values: vec![Decimal::new(150_000, 2)],
    };
    let input = Stacked {
        meta: meta("q3"),
        currency: "$".into(),
        digits: 2,
        components: vec!["Variable".into()],
        rows: vec![
            row("Hiro Lindqvist (2026-07)"),
            row("Felix Zhang (2026-08)"),
            row(&"W".repeat(60)),
        ],
    };
    let svg = stacked(&input).expect("draws");
    assert_chart("q3", &svg, &stacked(&input).expect("again"));
    assert!(has_text(&svg, "Hiro Lindqvist (2026-07)"), "whole label");
    assert!(has_text(&svg, "Felix Zhang (2026-08)"), "whole label");
    // A label longer than the column may grow to is still cut, and the bars keep most of the
    // chart: they start at most 280 px in.
    let cut = text_boxes(&svg)
        .into_iter()
        .find(|b| b.content.starts_with("WWW"))
        .expect("long label");
    assert!(cut.content.ends_with('…') && cut.x1 <= 280.0, "{cut:?}");
}

#[test]
fn stacked_money_totals_are_exact() {
    let d = |s: &str| s.parse::<Decimal>().expect("decimal");
    let input = Stacked {
        meta: meta("comp"),
        currency: "$".into(),
        digits: 2,
        components: vec![
            "Base".into(),
            "Variable".into(),
            "Accelerator".into(),
            "Clawback".into(),
        ],
        rows: vec![
            StackedRow {
                label: "Ana Lima".into(),
                values: vec![d("4000.10"), d("1500.20"), d("0"), d("-200.00")],
            },
            StackedRow {
                label: "Bo Chen".into(),
                values: vec![d("4000"), d("2750.005"), d("312.50"), d("0")],
            },
        ],
    };
    let svg = stacked(&input).expect("draws");
    assert_chart("comp", &svg, &stacked(&input).expect("again"));
    assert!(has_text(&svg, "$5,300.30"), "4000.10 + 1500.20 - 200.00");
    assert!(has_text(&svg, "$7,062.51"), "exact sum, rounded once");
    // The clawback (fourth colour; its leftmost rectangle, the other is in the legend) is drawn
    // left of the zero tick.
    let zero = text_boxes(&svg)
        .into_iter()
        .find(|b| b.content == "$0")
        .map(|b| (b.x0 + b.x1) / 2.0)
        .expect("zero tick");
    let clawback = svg
        .split("<rect ")
        .filter(|r| r.contains("fill=\"#D55E00\""))
        .map(|r| attr(&format!(" {r}"), "x").parse::<f64>().expect("x"))
        .fold(f64::MAX, f64::min);
    assert!(clawback < zero, "{clawback} < {zero}");
    for c in ["Base", "Variable", "Accelerator", "Clawback"] {
        assert!(has_text(&svg, c), "legend {c}");
    }
    let bad = Stacked {
        components: vec!["Base".into()],
        ..input
    };
    assert!(stacked(&bad).is_err());
}

#[test]
fn empty_charts_say_so() {
    let svg = funnel(&Funnel {
        meta: meta("empty"),
        stages: vec![],
    })
    .expect("draws");
    assert_chart("empty", &svg, &svg.clone());
    assert!(has_text(&svg, "No data for this period"));
    let input = Leaderboard {
        meta: meta("empty"),
        format: ValueFormat::Hours,
        rows: vec![],
    };
    assert!(has_text(
        &leaderboard(&input).expect("draws"),
        "No data for this period"
    ));
}

#[test]
#[should_panic(expected = "raw > in text")]
fn the_xml_check_catches_unescaped_text() {
    assert_well_formed("<svg><text>a > b</text></svg>");
}

#[test]
#[should_panic(expected = "mismatched")]
fn the_xml_check_catches_unbalanced_tags() {
    assert_well_formed("<svg><text><script>x</text></script></svg>");
}

#[test]
#[should_panic(expected = "bare &")]
fn the_xml_check_catches_bare_ampersands() {
    assert_well_formed("<svg><title>A & B</title></svg>");
}

#[test]
fn trend_marks_a_change_between_two_months() {
    let input = |markers: Vec<TrendMarker>| Trend {
        meta: meta("history"),
        months: vec!["2026-08".into(), "2026-09".into(), "2026-10".into()],
        series: vec![TrendSeries {
            name: "Show rate".into(),
            values: vec![Some(0.5), Some(0.6), Some(0.7)],
        }],
        format: ValueFormat::Percent,
        benchmark: None,
        markers,
    };
    let plain = trend(&input(Vec::new())).expect("draws");
    let marked = trend(&input(vec![TrendMarker {
        index: 2,
        label: "B".into(),
    }]))
    .expect("draws");
    assert_chart(
        "history",
        &marked,
        &trend(&input(vec![TrendMarker {
            index: 2,
            label: "B".into(),
        }]))
        .expect("again"),
    );
    assert!(!has_text(&plain, "B") && has_text(&marked, "B"));
    // The dotted line is drawn in the muted colour, in short segments.
    let muted = |svg: &str| svg.matches("stroke=\"#57606A\" stroke-width=\"2\"").count();
    assert!(muted(&marked) > muted(&plain) + 5, "{}", muted(&marked));
    // A marker past the last month is ignored, not drawn off the chart.
    let outside = trend(&input(vec![TrendMarker {
        index: 3,
        label: "C".into(),
    }]))
    .expect("draws");
    assert!(!has_text(&outside, "C"));
}
