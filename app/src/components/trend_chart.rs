//! A bar chart of one figure over periods, as plain SVG: it scales to a
//! phone's width, needs no script, and prints.

use leptos::prelude::*;

const W: f64 = 320.0;
const H: f64 = 160.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 22.0;

/// `points`: (short label, value); a period without a value leaves a gap.
pub fn trend_chart(title: String, points: Vec<(String, Option<f64>)>, fmt: impl Fn(f64) -> String) -> impl IntoView {
    let max = points.iter().filter_map(|p| p.1).fold(0.0_f64, f64::max);
    let n = points.len().max(1) as f64;
    let slot = W / n;
    let bar = (slot * 0.7).max(2.0);
    let scale = if max > 0.0 { (H - TOP - BOTTOM) / max } else { 0.0 };
    // Label every k-th period so labels never overlap at 320 px.
    let every = ((n * 34.0) / W).ceil().max(1.0) as usize;
    let last = points.iter().rposition(|p| p.1.is_some());
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let x = i as f64 * slot + (slot - bar) / 2.0;
            let h = v.map(|v| v * scale).unwrap_or(0.0);
            let y = H - BOTTOM - h;
            let value_label = (Some(i) == last).then(|| v.map(&fmt)).flatten();
            view! {
                <g>
                    {v.map(|v| view! { <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}") class="bar"><title>{format!("{label}: {}", fmt(v))}</title></rect> })}
                    {value_label.map(|t| view! { <text x=format!("{:.1}", x + bar / 2.0) y=format!("{:.1}", (y - 4.0).max(10.0)) text-anchor="middle" class="value">{t}</text> })}
                    {(i % every == 0).then(|| view! { <text x=format!("{:.1}", x + bar / 2.0) y=format!("{:.1}", H - 6.0) text-anchor="middle" class="axis">{label.clone()}</text> })}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="trend" data-testid="trend-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=title.clone() preserveAspectRatio="xMidYMid meet">
                <line x1="0" x2=W.to_string() y1=format!("{}", H - BOTTOM) y2=format!("{}", H - BOTTOM) class="base"/>
                {bars}
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}
