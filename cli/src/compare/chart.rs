//! The SVG chart of `zkvm compare`: one panel per measure, one bar per column (a failed column
//! keeps its place and is drawn as failed), round axis ticks, full labels and one legend for the
//! named segments (the prover phases).

use std::fmt::Write as _;

/// Colours of the named segments, in legend order.
const PALETTE: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f",
];
/// Colour of a bar with a single unnamed segment.
const PLAIN: &str = "#6b8fb8";
/// Height of a panel's plot area, in pixels.
const PLOT_HEIGHT: f64 = 240.0;
/// Space above the plot area for the panel title and the value above the tallest bar.
const TOP: f64 = 44.0;
/// Space left of the plot area for the tick labels.
const AXIS: f64 = 58.0;
/// A bar's width, in pixels.
const BAR_WIDTH: f64 = 48.0;
/// Approximate width of one character at the chart's 11 px font.
const CHAR_WIDTH: f64 = 6.4;
/// A label line is at most this many characters; longer labels wrap (never truncated).
const LINE_CHARS: usize = 22;

/// A bar's stack of `(segment, value)`, bottom first; an empty segment name means the panel's
/// plain colour.
pub type Segments = Vec<(String, f64)>;

/// What one bar shows.
pub enum BarValue {
    /// A stack of segments.
    Stack(Segments),
    /// The column failed; the reason goes into the bar's tooltip.
    Failed(String),
}

/// One bar: the column's name and its value.
pub struct Bar {
    pub label: String,
    pub value: BarValue,
}

/// One panel: a title and one bar per column.
pub struct Panel {
    pub title: String,
    pub bars: Vec<Bar>,
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A round tick step for an axis that must reach `max` in about four steps: 1, 2 or 5 times a
/// power of ten. Returns `(step, top of the axis)`.
pub fn round_ticks(max: f64) -> (f64, f64) {
    if !(max > 0.0 && max.is_finite()) {
        return (1.0, 1.0);
    }
    let rough = max / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    (step, (max / step - 1e-9).ceil().max(1.0) * step)
}

/// A tick label: exact for round values (`0.25`, `1.5k`, `20M`).
pub fn tick_label(v: f64) -> String {
    let (scaled, suffix) = match v.abs() {
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    let text = format!("{scaled:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{suffix}")
}

/// A bar's value above it: three significant digits.
fn value_label(v: f64) -> String {
    let (scaled, suffix) = match v.abs() {
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    let digits = match scaled.abs() {
        a if a >= 100.0 || a == 0.0 => 0,
        a if a >= 10.0 => 1,
        a if a >= 1.0 => 2,
        _ => 3,
    };
    format!("{scaled:.digits$}{suffix}")
}

/// Splits a label into lines of at most [`LINE_CHARS`] characters, breaking after a `/`, `-`,
/// `_`, `.` or space where one is near the end of a line. Every character is kept.
pub fn wrap(label: &str) -> Vec<String> {
    let chars: Vec<char> = label.chars().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while chars.len() - start > LINE_CHARS {
        let window = &chars[start..start + LINE_CHARS];
        let cut = window
            .iter()
            .rposition(|c| matches!(c, '/' | '-' | '_' | '.' | ' '))
            .filter(|&i| i >= LINE_CHARS / 2)
            .map_or(LINE_CHARS, |i| i + 1);
        lines.push(chars[start..start + cut].iter().collect());
        start += cut;
    }
    lines.push(chars[start..].iter().collect());
    lines
}

fn named_segments(panels: &[Panel]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for bar in panels.iter().flat_map(|p| &p.bars) {
        if let BarValue::Stack(segments) = &bar.value {
            for (name, _) in segments {
                if !name.is_empty() && !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
    }
    names
}

/// Renders the panels side by side, with one legend below them.
pub fn svg(panels: &[Panel]) -> String {
    let legend = named_segments(panels);
    let color = |name: &str| {
        legend
            .iter()
            .position(|x| x == name)
            .map_or(PLAIN, |i| PALETTE[i % PALETTE.len()])
    };
    let bars = panels
        .iter()
        .map(|p| p.bars.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let label_lines: Vec<Vec<String>> = panels
        .iter()
        .flat_map(|p| &p.bars)
        .map(|b| wrap(&b.label))
        .collect();
    let widest = label_lines
        .iter()
        .flatten()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let most_lines = label_lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let slot = (widest as f64 * CHAR_WIDTH + 10.0).max(BAR_WIDTH + 24.0);
    let panel_width = AXIS + slot * bars as f64 + 20.0;
    let base = TOP + PLOT_HEIGHT;
    let legend_top = base + 14.0 * most_lines + 30.0;
    let width = 10.0 + panel_width * panels.len() as f64;
    let height = legend_top + 18.0 * legend.len() as f64 + 10.0;

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    for (k, panel) in panels.iter().enumerate() {
        let x0 = 10.0 + panel_width * k as f64;
        let axis_x = x0 + AXIS - 8.0;
        let max = panel
            .bars
            .iter()
            .filter_map(|b| match &b.value {
                BarValue::Stack(s) => Some(s.iter().map(|(_, v)| v).sum::<f64>()),
                BarValue::Failed(_) => None,
            })
            .fold(0.0f64, f64::max);
        let (step, top) = round_ticks(max);
        let scale = PLOT_HEIGHT / top;
        let _ = writeln!(
            out,
            r#"<text x="{x0:.1}" y="18" font-size="13" font-weight="bold">{}</text>"#,
            xml_escape(&panel.title)
        );
        let mut tick = 0.0;
        while tick <= top * (1.0 + 1e-9) {
            let y = base - tick * scale;
            let _ = writeln!(
                out,
                r##"<line x1="{:.1}" y1="{y:.1}" x2="{axis_x:.1}" y2="{y:.1}" stroke="#333"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                axis_x - 4.0,
                axis_x - 6.0,
                y + 4.0,
                tick_label(tick)
            );
            tick += step;
        }
        let _ = writeln!(
            out,
            r##"<line x1="{axis_x:.1}" y1="{TOP:.1}" x2="{axis_x:.1}" y2="{base:.1}" stroke="#333"/><line x1="{axis_x:.1}" y1="{base:.1}" x2="{:.1}" y2="{base:.1}" stroke="#333"/>"##,
            x0 + panel_width - 10.0
        );
        for (b, bar) in panel.bars.iter().enumerate() {
            let centre = x0 + AXIS + slot * (b as f64 + 0.5);
            let bx = centre - BAR_WIDTH / 2.0;
            match &bar.value {
                BarValue::Stack(segments) => {
                    let mut y = base;
                    for (name, v) in segments {
                        let h = v * scale;
                        y -= h;
                        let tip = if name.is_empty() { &bar.label } else { name };
                        let _ = writeln!(
                            out,
                            r#"<rect x="{bx:.1}" y="{y:.1}" width="{BAR_WIDTH:.1}" height="{h:.1}" fill="{}"><title>{}: {}</title></rect>"#,
                            color(name),
                            xml_escape(tip),
                            value_label(*v)
                        );
                    }
                    let total: f64 = segments.iter().map(|(_, v)| v).sum();
                    let _ = writeln!(
                        out,
                        r#"<text x="{centre:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                        y - 4.0,
                        value_label(total)
                    );
                }
                BarValue::Failed(reason) => {
                    let _ = writeln!(
                        out,
                        r##"<rect x="{bx:.1}" y="{:.1}" width="{BAR_WIDTH:.1}" height="40" fill="none" stroke="#c0392b" stroke-dasharray="4 3"><title>{}</title></rect><text x="{centre:.1}" y="{:.1}" text-anchor="middle" fill="#c0392b" font-weight="bold">failed</text>"##,
                        base - 40.0,
                        xml_escape(reason),
                        base - 16.0
                    );
                }
            }
            let _ = write!(
                out,
                r#"<text x="{centre:.1}" y="{:.1}" text-anchor="middle">"#,
                base + 16.0
            );
            for (i, line) in wrap(&bar.label).iter().enumerate() {
                let dy = if i == 0 { 0.0 } else { 14.0 };
                let _ = write!(
                    out,
                    r#"<tspan x="{centre:.1}" dy="{dy:.0}">{}</tspan>"#,
                    xml_escape(line)
                );
            }
            out.push_str("</text>\n");
        }
    }
    for (i, name) in legend.iter().enumerate() {
        let y = legend_top + 18.0 * i as f64;
        let _ = writeln!(
            out,
            r#"<rect x="20" y="{:.1}" width="12" height="12" fill="{}"/><text x="38" y="{y:.1}">{}</text>"#,
            y - 10.0,
            color(name),
            xml_escape(name)
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(label: &str, segments: &[(&str, f64)]) -> Bar {
        Bar {
            label: label.into(),
            value: BarValue::Stack(segments.iter().map(|(s, v)| ((*s).into(), *v)).collect()),
        }
    }

    #[test]
    fn ticks_are_round_and_reach_the_tallest_bar() {
        assert_eq!(round_ticks(7.3), (2.0, 8.0));
        assert_eq!(round_ticks(0.37), (0.1, 0.4));
        assert_eq!(round_ticks(1234.0), (500.0, 1500.0));
        assert_eq!(round_ticks(20.0), (5.0, 20.0));
        assert_eq!(round_ticks(0.0), (1.0, 1.0));
        assert_eq!(tick_label(0.1 + 0.2), "0.3");
        assert_eq!(tick_label(1500.0), "1.5k");
        assert_eq!(tick_label(2e7), "20M");
        assert_eq!(tick_label(0.0), "0");
    }

    #[test]
    fn long_labels_wrap_without_losing_a_character() {
        let label = "examples/guests/keccak-rs/target/riscv32im/release/keccak";
        let lines = wrap(label);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= LINE_CHARS));
        assert_eq!(lines.concat(), label);
        assert_eq!(wrap("fib.zasm"), ["fib.zasm"]);
    }

    #[test]
    fn a_failed_column_keeps_its_place_and_there_is_one_legend() {
        let phases = [("witness", 1.0), ("commit", 2.0)];
        let panels = [
            Panel {
                title: "time <s>".into(),
                bars: vec![
                    stack("a.zasm", &phases),
                    Bar {
                        label: "b".into(),
                        value: BarValue::Failed("out of memory".into()),
                    },
                ],
            },
            Panel {
                title: "time per cycle".into(),
                bars: vec![stack("a.zasm", &phases), stack("b", &[("", 4.0)])],
            },
        ];
        let s = svg(&panels);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>\n"));
        assert!(s.contains("time &lt;s&gt;"));
        assert_eq!(s.matches(">failed</text>").count(), 1);
        assert!(s.contains("<title>out of memory</title>"));
        // One legend entry per named segment, though two panels use them.
        assert_eq!(s.matches(">witness</text>").count(), 1);
        assert_eq!(s.matches(">commit</text>").count(), 1);
        // Both labels appear under both panels.
        assert_eq!(s.matches(">a.zasm</tspan>").count(), 2);
        assert_eq!(s.matches(">b</tspan>").count(), 2);
    }
}
