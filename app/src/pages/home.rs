//! Home: the running movement, its content areas, periods and award forms.
//!
//! Pages render plain text for the current language inside one reactive
//! closure (not one per string): switching language re-renders the page,
//! and the WASM carries far less view code.

use crate::api::movement::{movement_overview, HomeData};
use crate::components::status::loaded;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| movement_overview());
    view! {
        <Title text=move || lang.get().pick("Phong trào", "Movement").to_string()/>
        {loaded(data, |d, l| match d {
            Some(o) => overview(o, l).into_any(),
            None => no_movement(l).into_any(),
        })}
    }
}

fn no_movement(l: Lang) -> impl IntoView {
    view! {
        <section class="card">
            <h1>{l.pick("Chưa có phong trào", "No movement yet")}</h1>
            <p>{l.pick(
                "Cán bộ thi đua – khen thưởng của đơn vị tổ chức mở phong trào từ mẫu kế hoạch để bắt đầu.",
                "The organiser's emulation officer opens a movement from the plan template to begin.")}</p>
        </section>
    }
}

fn overview(o: &HomeData, l: Lang) -> impl IntoView {
    let vi = l == Lang::Vi;
    let pick = |a: &String, b: &String| if vi { a.clone() } else { b.clone() };
    let months: Vec<_> = o.periods.iter().filter(|p| p.monthly).collect();
    let span = match (months.first(), months.last()) {
        (Some(a), Some(b)) => format!(
            "{} {} {} {}; {} {} {}, {} {} {}.",
            l.pick("Báo cáo hằng tháng từ", "Monthly reports from"),
            pick(&a.label_vi, &a.label_en),
            l.pick("đến", "to"),
            pick(&b.label_vi, &b.label_en),
            l.pick("hạn nộp ngày", "due on day"),
            o.deadline_day,
            l.pick("tháng sau", "of the next month"),
            l.pick("gia hạn", "grace"),
            o.grace_days,
            l.pick("ngày", "days"),
        ),
        _ => String::new(),
    };
    let rules = format!(
        "{} +{}; {} −{}; {} −{}.",
        l.pick("Điểm thưởng tối đa", "Bonus up to"),
        o.bonus_cap,
        l.pick("điểm trừ tối đa", "deductions up to"),
        o.deduction_cap,
        l.pick("mỗi báo cáo trễ hoặc thiếu", "each late or missing report"),
        o.late_report_deduction,
    );
    let bands = o
        .bands
        .iter()
        .map(|b| {
            format!(
                "{} ≥ {} ({} ≥ {}%)",
                pick(&b.label_vi, &b.label_en),
                b.min_total,
                l.pick("mỗi tiêu chí", "each criterion"),
                b.min_each_percent
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <section class="hero">
            <p class="eyebrow">{o.organiser_name.clone()}</p>
            <h1 data-testid="movement-name">{pick(&o.name_vi, &o.name_en)}</h1>
            <p class="slogan">{format!("“{}”", o.slogan_vi)}</p>
            <p class="muted small">{l.pick("Căn cứ: ", "Basis: ")}{o.basis_vi.clone()}</p>
            <p><a href=crate::routes::DECISIONS data-testid="decisions-link">{l.pick("Quyết định khen thưởng, tra cứu giấy khen", "Award decisions, certificate check")}</a>
                " · " <a href=crate::routes::SHOWCASE data-testid="showcase-link">{l.pick("Gương điển hình", "Exemplary stories")}</a></p>
            <ul class="stats">
                <li><strong>{o.units}</strong>" "{l.pick("đơn vị tham gia", "participating units")}</li>
                <li><strong>{o.clusters}</strong>" "{l.pick("cụm, khối thi đua", "clusters and blocks")}</li>
                <li><strong>{months.len()}</strong>" "{l.pick("kỳ báo cáo tháng", "monthly periods")}</li>
            </ul>
        </section>

        <section class="card" aria-labelledby="areas-h">
            <h2 id="areas-h">{l.pick("Nội dung thi đua và thang điểm", "Content areas and points")}</h2>
            <ol class="areas">
                {o.areas.iter().map(|a| view! {
                    <li>
                        <span>{pick(&a.title_vi, &a.title_en)}</span>
                        <span class="points">{format!("{} {}", a.max_points, l.pick("điểm", "pts"))}</span>
                    </li>
                }).collect_view()}
            </ol>
            <p class="small">{rules}</p>
            <p class="small">{l.pick("Xếp loại: ", "Bands: ")}{bands}</p>
        </section>

        <section class="card" aria-labelledby="periods-h">
            <h2 id="periods-h">{l.pick("Kỳ báo cáo", "Reporting periods")}</h2>
            <p>{span}</p>
            <div class="table-wrap" tabindex="0">
                <table class="periods">
                    <thead><tr>
                        <th scope="col">{l.pick("Kỳ", "Period")}</th>
                        <th scope="col">{l.pick("Từ – đến", "From – to")}</th>
                        <th scope="col">{l.pick("Hạn nộp", "Due")}</th>
                    </tr></thead>
                    <tbody>
                        {o.periods.iter().map(|p| view! {
                            <tr>
                                <td>{pick(&p.label_vi, &p.label_en)}</td>
                                <td>{p.span.clone()}</td>
                                <td>{p.deadline.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>

        <section class="card" aria-labelledby="forms-h">
            <h2 id="forms-h">{l.pick("Hình thức khen thưởng", "Award forms")}</h2>
            <ul class="forms">
                {o.forms.iter().map(|f| view! {
                    <li>
                        <strong>{pick(&f.name_vi, &f.name_en)}</strong>
                        <span class="muted small">" · "{pick(&f.decided_by_vi, &f.decided_by_en)}</span>
                        <p class="small">{f.standard_vi.clone()}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
