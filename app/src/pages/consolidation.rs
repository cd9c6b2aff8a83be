//! `/tong-hop`: consolidated indicators for a period (the whole district,
//! then by cluster, category and unit) and a trend chart over the months.

use crate::api::consolidation::{consolidation_page, Consolidated, ConsolidationView};
use crate::components::movement_picker::{linked, movement_picker, page_query};
use crate::components::status::loaded;
use crate::components::trend_chart::trend_chart;
use crate::domain::indicator::{Indicator, IndicatorKind};
use crate::domain::rollup::{Cell, GroupBy, Table};
use crate::domain::text::{format_decimal_vi, format_int_vi, format_vnd};
use crate::i18n::{use_lang, Lang};
use crate::pages::desk::period_picker;
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(ConsolidationPage, consolidation_page_view, staff);

/// A rolled-up figure as people read it: 1.234 · 1.500.000 đ · 82,7 %.
pub fn cell_text(i: &Indicator, c: &Cell) -> String {
    match (i.kind, c.shown(i.kind)) {
        (_, None) => "–".into(),
        (IndicatorKind::Ratio, Some(p)) => format!("{} %", format_decimal_vi(p, 1)),
        (IndicatorKind::Money, Some(v)) => format_vnd(v.round() as i64),
        (IndicatorKind::Count, Some(v)) => format_int_vi(v.round() as i64),
        (IndicatorKind::Level, Some(v)) => format_decimal_vi(v, 0),
    }
}

/// Numerator and denominator behind a ratio, for a tooltip and the print.
pub fn ratio_detail(i: &Indicator, c: &Cell) -> Option<String> {
    match (i.kind, c.numerator, c.denominator) {
        (IndicatorKind::Ratio, Some(n), Some(d)) => {
            Some(format!("{} / {}", format_int_vi(n.round() as i64), format_int_vi(d.round() as i64)))
        }
        _ => None,
    }
}

fn consolidation_page_view() -> impl IntoView {
    let lang = use_lang();
    let query = page_query();
    let q = leptos_router::hooks::use_query_map();
    let as_today = Memo::new(move |_| q.with(|q| q.get(AS_TODAY).is_some_and(|v| v == "1")));
    let data =
        Resource::new(move || (query.get(), as_today.get()), |((period, movement), today)| consolidation_page(period, movement, today));
    view! {
        <Title text=move || lang.get().pick("Tổng hợp chỉ số", "Consolidated indicators").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Tổng hợp chỉ số", "Consolidated indicators")}</h1>
            {loaded(data, |d, l| page(d, l).into_any())}
        </section>
    }
}

/// The query parameter that shows old units as today's units.
const AS_TODAY: &str = "don-vi-hien-nay";

/// Switch between the units of the period's time and today's units, and
/// which old units stand alone because they were split.
fn units_switch(v: &ConsolidationView, ky: &str, m: &str, l: Lang) -> impl IntoView {
    let here = crate::routes::for_period(crate::routes::CONSOLIDATION, ky, m);
    let today = format!("{here}&{AS_TODAY}=1");
    let splits = v.splits.iter().map(|s| format!("{} → {}", s.name, s.into.join(", "))).collect::<Vec<_>>().join("; ");
    (v.has_successors || v.as_today).then(|| {
        view! {
            <nav class="movement-picker" data-testid="units-switch" aria-label=l.pick("Đơn vị", "Units")>
                <a href=here aria-current=(!v.as_today).then_some("page") data-testid="units-then">
                    {l.pick("Đơn vị thời kỳ đó", "Units of the time")}</a>
                <a href=today aria-current=v.as_today.then_some("page") data-testid="units-today">
                    {l.pick("Theo đơn vị hiện nay", "As today's units")}</a>
            </nav>
            {(v.as_today && !splits.is_empty()).then(|| view! {
                <p class="muted" data-testid="units-split">
                    {l.pick("Tách vào nhiều đơn vị, giữ riêng, không cộng hai lần: ", "Split across several units, shown alone, never counted twice: ")}
                    {splits.clone()}
                </p>
            })}
        }
    })
}

fn page(d: &Consolidated, l: Lang) -> impl IntoView {
    let v = &d.view;
    let (ky, m) = (v.period.clone(), linked(&d.movements, &d.movement));
    let chosen = RwSignal::new(0usize);
    let indicators = v.indicators.clone();
    let trend = d.trend.clone();
    let chart = move || {
        let k = chosen.get();
        let Some(i) = indicators.get(k).cloned() else { return ().into_any() };
        let points = trend
            .iter()
            .map(|t| (t.period.get(2..).unwrap_or(&t.period).replace('-', "/"), t.cells.get(k).and_then(|c| c.shown(i.kind))))
            .collect();
        let unit = if i.kind == IndicatorKind::Ratio { "%".to_string() } else { i.unit_vi.clone() };
        trend_chart(format!("{} ({unit})", i.name_vi), points, move |x| format_decimal_vi(x, 1)).into_any()
    };
    view! {
        {movement_picker(&d.movements, &d.movement, l, crate::routes::CONSOLIDATION)}
        {period_picker(&d.periods, &v.period, &m, l, crate::routes::CONSOLIDATION)}
        {units_switch(v, &ky, &m, l)}
        <p class="muted" data-testid="consolidation-count">
            {format!("{} {} / {} {}", v.reports, l.pick("báo cáo", "reports"), v.expected, l.pick("đơn vị phải báo cáo chỉ số", "units expected"))}
            {l.pick(" · không tính báo cáo đang bị trả lại", " · reports returned for correction are left out")}
        </p>
        <p class="actions">
            <a href=crate::routes::for_period(crate::routes::CONSOLIDATED_XLSX, &ky, &m) rel="external" download data-testid="xlsx-link">{l.pick("Tải XLSX", "Download XLSX")}</a>
            " · "
            <a href=crate::routes::for_period(crate::routes::PRINTABLE, &ky, &m) rel="external" data-testid="print-link">{l.pick("Bản in (Nghị định 30/2020)", "Printable report")}</a>
        </p>
        {total_list(v, l)}
        <h2>{l.pick("Xu hướng theo tháng", "Monthly trend")}</h2>
        <label class="field"><span>{l.pick("Chỉ số", "Indicator")}</span>
            <select on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0)) data-testid="trend-indicator">
                {v.indicators.iter().enumerate().map(|(k, i)| view! { <option value=k.to_string()>{i.name_vi.clone()}</option> }).collect_view()}
            </select>
        </label>
        {chart}
        {v.tables.iter().filter(|t| t.by != GroupBy::Total).map(|t| group_table(v, t, l)).collect_view()}
    }
}

fn total_list(v: &ConsolidationView, l: Lang) -> impl IntoView {
    let total = v.tables.iter().find(|t| t.by == GroupBy::Total).and_then(|t| t.rows.first()).cloned();
    view! {
        <h2>{l.pick("Toàn địa bàn: ", "Whole area: ")}{v.root_name.clone()}</h2>
        <dl class="figures" data-testid="totals">
            {total.map(|row| v.indicators.iter().zip(row.cells).map(|(i, c)| view! {
                <div data-indicator=i.code.clone()>
                    <dt>{i.name_vi.clone()}</dt>
                    <dd><strong data-testid="total-value">{cell_text(i, &c)}</strong>
                        {ratio_detail(i, &c).map(|d| view! { <span class="muted">{format!(" ({d})")}</span> })}</dd>
                </div>
            }).collect_view())}
        </dl>
    }
}

fn group_table(v: &ConsolidationView, t: &Table, l: Lang) -> impl IntoView {
    view! {
        <h2>{l.pick(t.by.label_vi(), t.by.label_en())}</h2>
        <div class="table-wrap" tabindex="0">
            <table class="wide" data-testid=format!("table-{}", t.by.code())>
                <thead><tr>
                    <th>{l.pick("Tên", "Name")}</th>
                    <th class="num">{l.pick("Số BC", "Reports")}</th>
                    {v.indicators.iter().map(|i| view! { <th class="num">{i.name_vi.clone()}</th> }).collect_view()}
                    <th class="num">{l.pick("Tệp minh chứng", "Evidence files")}</th>
                </tr></thead>
                <tbody>
                    {t.rows.iter().map(|r| view! {
                        <tr data-key=r.key.clone()>
                            <td>{r.name.clone()}</td>
                            <td class="num">{r.reports}</td>
                            {v.indicators.iter().zip(&r.cells).map(|(i, c)| view! { <td class="num" title=ratio_detail(i, c)>{cell_text(i, c)}</td> }).collect_view()}
                            <td class="num" data-testid="evidence-count">{r.evidence}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
