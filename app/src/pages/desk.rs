//! `/tiep-nhan`: the district's desk for a period: reporting rates by
//! cluster, category and the whole district, then every expected unit with
//! whether it reported on time, overdue units first.

use crate::api::review::{review_desk, Desk, DeskRow};
use crate::components::movement_picker::{linked, movement_picker, page_query};
use crate::components::status::loaded;
use crate::domain::review::{Rates, Timeliness};
use crate::domain::rollup::GroupBy;
use crate::domain::sync::ReviewStatus;
use crate::domain::text::format_decimal_vi;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

crate::lazy_page!(DeskPage, desk_page, staff);

/// A picker of the movement's periods that changes the page's `?ky=`.
pub fn period_picker(
    periods: &[crate::domain::report::PeriodChoice],
    current: &str,
    movement: &str,
    l: Lang,
    base: &'static str,
) -> impl IntoView {
    let navigate = use_navigate();
    let movement = movement.to_string();
    let change =
        move |ev: leptos::ev::Event| navigate(&crate::routes::for_period(base, &event_target_value(&ev), &movement), Default::default());
    view! {
        <label class="field inline"><span>{l.pick("Kỳ báo cáo", "Period")}</span>
            <select on:change=change data-testid="period-picker">
                {periods.iter().map(|p| view! {
                    <option value=p.code.clone() selected=p.code == current>{l.pick(&p.label_vi, &p.label_en).to_string()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

pub fn status_label(s: Option<ReviewStatus>, l: Lang) -> &'static str {
    match s {
        Some(ReviewStatus::Submitted) => l.pick("Chờ duyệt", "Awaiting review"),
        Some(ReviewStatus::Returned) => l.pick("Đã trả lại", "Returned"),
        Some(ReviewStatus::Accepted) => l.pick("Đã tiếp nhận", "Accepted"),
        None => "",
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|p| format!("{} %", format_decimal_vi(p, 1))).unwrap_or_else(|| "–".into())
}

fn desk_page() -> impl IntoView {
    let lang = use_lang();
    let query = page_query();
    let desk = Resource::new(move || query.get(), |(period, movement)| review_desk(period, movement));
    view! {
        <Title text=move || lang.get().pick("Tiếp nhận báo cáo", "Report desk").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Tiếp nhận báo cáo", "Report desk")}</h1>
            {loaded(desk, |d, l| desk_view(d, l).into_any())}
        </section>
    }
}

fn desk_view(d: &Desk, l: Lang) -> impl IntoView {
    let mut rows: Vec<DeskRow> = d.rows.clone();
    // Overdue first, then waiting for review, then the rest; by name within.
    let rank = |r: &DeskRow| match (r.timeliness, r.status) {
        (Timeliness::Missing, _) => 0,
        (_, Some(ReviewStatus::Submitted)) => 1,
        (Timeliness::NotDue, _) => 3,
        _ => 2,
    };
    rows.sort_by(|a, b| (rank(a), &a.unit_name).cmp(&(rank(b), &b.unit_name)));
    let total = d.rates.iter().find(|r| r.by == GroupBy::Total).map(|r| r.rates.clone()).unwrap_or_default();
    let (ky, m) = (d.period.clone(), linked(&d.movements, &d.movement));
    view! {
        {movement_picker(&d.movements, &d.movement, l, crate::routes::DESK)}
        {period_picker(&d.periods, &d.period, &m, l, crate::routes::DESK)}
        <p class="muted">
            {l.pick("Hạn nộp: ", "Deadline: ")}<strong>{d.deadline.clone()}</strong>
            {format!(" · {} {} {}", l.pick("gia hạn", "grace"), d.grace_days, l.pick("ngày", "days"))}
        </p>
        <p class="actions">
            <a href=crate::routes::for_period(crate::routes::CONSOLIDATION, &ky, &m)>{l.pick("Tổng hợp chỉ số", "Consolidated indicators")}</a>
            " · "
            <a href=crate::routes::for_period(crate::routes::CONSOLIDATED_XLSX, &ky, &m) data-testid="xlsx-link" rel="external" download>{l.pick("Tải XLSX", "Download XLSX")}</a>
            " · "
            <a href=crate::routes::for_period(crate::routes::PRINTABLE, &ky, &m) rel="external">{l.pick("Bản in", "Printable report")}</a>
        </p>
        <ul class="stats" data-testid="district-rate">
            <li><strong data-testid="rate-reporting">{pct(total.reporting_rate())}</strong><span>{l.pick("tỷ lệ báo cáo", "reporting rate")}</span></li>
            <li><strong data-testid="rate-on-time">{pct(total.on_time_rate())}</strong><span>{l.pick("đúng hạn", "on time")}</span></li>
            <li><strong data-testid="count-missing">{total.missing}</strong><span>{l.pick("quá hạn chưa nộp", "overdue")}</span></li>
        </ul>
        <h2>{l.pick("Tỷ lệ báo cáo theo nhóm", "Reporting rates by group")}</h2>
        <div class="table-wrap" tabindex="0">
            <table data-testid="rates">
                <thead><tr>
                    <th>{l.pick("Nhóm", "Group")}</th>
                    <th class="num">{l.pick("Phải nộp", "Expected")}</th>
                    <th class="num">{l.pick("Đúng hạn", "On time")}</th>
                    <th class="num">{l.pick("Gia hạn", "Grace")}</th>
                    <th class="num">{l.pick("Trễ", "Late")}</th>
                    <th class="num">{l.pick("Chưa nộp", "Missing")}</th>
                    <th class="num">{l.pick("Tỷ lệ", "Rate")}</th>
                </tr></thead>
                <tbody>
                    {d.rates.iter().map(|r| rate_row(&r.name, r.by, &r.rates)).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>{l.pick("Đơn vị", "Units")}</h2>
        <ul class="desk-list" data-testid="desk-rows">
            {rows.into_iter().map(|r| desk_row(r, l)).collect_view()}
        </ul>
    }
}

fn rate_row(name: &str, by: GroupBy, r: &Rates) -> impl IntoView {
    view! {
        <tr class=format!("by-{}", by.code())>
            <td>{name.to_string()}</td>
            <td class="num">{r.expected}</td>
            <td class="num">{r.on_time}</td>
            <td class="num">{r.in_grace}</td>
            <td class="num">{r.late}</td>
            <td class="num">{r.missing}</td>
            <td class="num">{pct(r.reporting_rate())}</td>
        </tr>
    }
}

fn desk_row(r: DeskRow, l: Lang) -> impl IntoView {
    let t = r.timeliness;
    let received = r.received.as_deref().map(crate::pages::review::short_time).unwrap_or_default();
    view! {
        <li class=format!("desk-row {}", t.css()) data-testid="desk-row" data-unit=r.unit.clone() data-timeliness=t.css()>
            <span class="name">
                {match r.report.clone() {
                    Some(id) => view! { <a href=crate::routes::review(&id)>{r.unit_name.clone()}</a> }.into_any(),
                    None => view! { <span>{r.unit_name.clone()}</span> }.into_any(),
                }}
                {r.demo.then(|| crate::components::demo_badge::demo_badge(l))}
            </span>
            <span class=format!("badge {}", t.css())>{l.pick(t.label_vi(), t.label_en())}</span>
            <span class="status" data-testid="desk-status">{status_label(r.status, l)}</span>
            <span class="muted">{received}</span>
        </li>
    }
}
