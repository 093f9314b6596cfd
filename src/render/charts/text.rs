//! Text and scales for the charts: cleaning untrusted labels, estimating their width without
//! font files, truncating them to fit, and choosing round axis ticks.
//!
//! Widths are an upper-bound estimate per character for common sans-serif fonts (plotters'
//! own estimate without the `ttf` feature is a flat 0.56 em, too narrow for capitals), so a
//! label that fits here fits on the reader's screen.

/// The ellipsis that ends a truncated label.
pub(crate) const ELLIPSIS: char = '…';

/// A label made safe for one line of SVG text: characters XML 1.0 forbids (controls,
/// U+FFFE, U+FFFF) become spaces, runs of white space become one space, ends are trimmed.
pub(crate) fn clean(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut space = false;
    for c in label.chars() {
        let c = if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' {
            ' '
        } else {
            c
        };
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Estimated advance of `c` in ems: generous, so estimates err on the wide side.
fn char_em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 0.32,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '/' | '-' | '"' => 0.42,
        'm' | 'w' => 0.9,
        'M' | 'W' | '@' | '%' => 1.0,
        '…' => 1.0,
        '0'..='9' => 0.64,
        'a'..='z' | '#' | '$' | '*' | '+' | '<' | '=' | '>' | '?' | '_' | '~' | '&' => 0.6,
        'A'..='Z' => 0.75,
        c if is_wide(c) => 1.05,
        _ => 0.7,
    }
}

/// East Asian wide and emoji characters, drawn about one em wide.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// Estimated width of `text` at `px` pixels, bold text being about 8% wider.
pub(crate) fn width(text: &str, px: f64, bold: bool) -> f64 {
    let ems: f64 = text.chars().map(char_em).sum();
    ems * px * if bold { 1.08 } else { 1.0 }
}

/// `label` cleaned and, if wider than `max_px`, cut at a character boundary and ended with an
/// ellipsis so that it fits. A width too small for even one character gives `…` alone.
pub(crate) fn fit(label: &str, max_px: f64, px: f64, bold: bool) -> String {
    let text = clean(label);
    if width(&text, px, bold) <= max_px {
        return text;
    }
    let budget = max_px - width(&ELLIPSIS.to_string(), px, bold);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let w = width(&c.to_string(), px, bold);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push(ELLIPSIS);
    out
}

/// A linear value axis from `min` to `max` with ticks every `step`, all round numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

impl Scale {
    /// The smallest round axis holding `lo..=hi` (and 0) in about `ticks` steps of 1, 2, 2.5
    /// or 5 times a power of ten; whole steps only if `integer`. The top is a tick; a negative
    /// bottom is rounded down only to a quarter step, so a small negative part takes little
    /// room (its ticks are the multiples of the step it holds).
    pub fn nice(lo: f64, hi: f64, ticks: usize, integer: bool) -> Scale {
        let lo = if lo.is_finite() { lo.min(0.0) } else { 0.0 };
        let mut hi = if hi.is_finite() { hi.max(0.0) } else { 0.0 };
        if hi - lo <= 0.0 {
            hi = lo + if integer { 1.0 } else { 0.01 };
        }
        let raw = (hi - lo) / ticks.max(1) as f64;
        let magnitude = 10f64.powi(raw.log10().floor() as i32);
        let mut step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        if integer {
            step = step.max(1.0).round();
        }
        let quarter = step / 4.0;
        Scale {
            min: (lo / quarter).floor() * quarter,
            max: (hi / step).ceil() * step,
            step,
        }
    }

    /// The multiples of the step from `min` to `max`, rounded to kill float noise
    /// (0.30000000000000004).
    pub fn ticks(&self) -> Vec<f64> {
        let first = (self.min / self.step).ceil() as i64;
        let last = (self.max / self.step).floor() as i64;
        (first..=last)
            .map(|i| {
                let v = i as f64 * self.step;
                (v * 1e9).round() / 1e9
            })
            .collect()
    }

    /// Where `v` falls between pixels `from` (at `min`) and `to` (at `max`), clamped.
    pub fn map(&self, v: f64, from: i32, to: i32) -> i32 {
        let t = if v.is_finite() {
            ((v - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (from as f64 + t * (to - from) as f64).round() as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_replaces_what_xml_forbids() {
        assert_eq!(clean("  Ana\u{0}\tLima\n\u{FFFF} "), "Ana Lima");
        assert_eq!(clean("<b> & \"x\""), "<b> & \"x\"");
    }

    #[test]
    fn fit_truncates_with_an_ellipsis() {
        assert_eq!(fit("Ana Lima", 200.0, 12.0, false), "Ana Lima");
        let long = "Maximiliano Alejandro de la Cruz Fernández-Villaverde";
        let cut = fit(long, 120.0, 12.0, false);
        assert!(cut.ends_with('…') && cut.len() < long.len(), "{cut}");
        assert!(width(&cut, 12.0, false) <= 120.0);
        assert!(long.starts_with(cut.trim_end_matches('…')));
        assert_eq!(fit("Ana", 5.0, 12.0, false), "…");
        // Multibyte text is cut at character boundaries.
        let cjk = fit("山田太郎山田太郎山田太郎", 60.0, 12.0, false);
        assert_eq!(cjk, "山田太…");
    }

    #[test]
    fn capitals_are_measured_wider_than_plotters_does() {
        // plotters' naive estimate: 0.7 em / 1.24 per byte.
        let naive = 12.0 / 1.24 * 0.7 * "WWWWWWWW".len() as f64;
        assert!(width("WWWWWWWW", 12.0, false) > naive * 1.4);
    }

    #[test]
    fn nice_scales_are_round() {
        let s = Scale::nice(0.0, 0.47, 5, false);
        assert_eq!((s.min, s.max, s.step), (0.0, 0.5, 0.1));
        assert_eq!(s.ticks(), [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]);
        let s = Scale::nice(0.0, 1234.0, 5, true);
        assert_eq!((s.min, s.max, s.step), (0.0, 1250.0, 250.0));
        let s = Scale::nice(0.0, 3.0, 5, true);
        assert_eq!((s.max, s.step), (3.0, 1.0));
        let s = Scale::nice(-1200.0, 5000.0, 5, false);
        assert_eq!((s.min, s.max, s.step), (-1500.0, 6000.0, 2000.0));
        assert_eq!(s.ticks(), [0.0, 2000.0, 4000.0, 6000.0]);
        let s = Scale::nice(-200.0, 7062.5, 5, true);
        assert_eq!((s.min, s.max, s.step), (-500.0, 8000.0, 2000.0));
        let s = Scale::nice(0.0, 0.0, 5, true);
        assert_eq!((s.min, s.max, s.step), (0.0, 1.0, 1.0));
        let s = Scale::nice(0.0, f64::NAN, 5, false);
        assert!(s.max > s.min);
        let s = Scale::nice(0.0, 0.47, 5, false);
        assert_eq!(s.map(0.25, 100, 0), 50);
        assert_eq!(s.map(5.0, 100, 0), 0, "clamped");
    }
}
