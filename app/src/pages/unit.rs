//! One unit: where it sits, its clusters, and the sheet it is scored on.

use crate::api::units::{unit_page, UnitDetails};
use crate::components::demo_badge::demo_badge;
use crate::components::status::loaded;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

crate::lazy_page!(UnitPage, unit_view, public);

fn unit_view() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(id, unit_page);
    loaded(data, |d, l| match d {
        Some(d) => body(d, l).into_any(),
        None => view! {
            <section class="card"><h1>{l.pick("Không tìm thấy đơn vị", "Unit not found")}</h1></section>
        }
        .into_any(),
    })
}

fn body(d: &UnitDetails, l: Lang) -> impl IntoView {
    let vi = l == Lang::Vi;
    let u = &d.unit;
    let total: u32 = d.criteria.iter().map(|c| c.max_points).sum();
    let link = |id: &str, name: &str| view! { <a href=crate::routes::unit(id)>{name.to_string()}</a> };
    view! {
        <Title text=u.name.clone()/>
        <section class="card">
            <p class="eyebrow">{l.pick(u.kind.label_vi(), u.kind.label_en())}</p>
            <h1 data-testid="unit-name">{u.name.clone()}{u.demo.then(|| demo_badge(l))}</h1>
            <dl class="facts">
                {d.parent.as_ref().map(|p| view! {
                    <dt>{l.pick("Trực thuộc", "Part of")}</dt>
                    <dd>{link(&p.id, &p.name)}</dd>
                })}
                {d.gso_code.clone().map(|c| view! {
                    <dt>{l.pick("Mã hành chính", "Administrative code")}</dt>
                    <dd>{c}</dd>
                })}
                {(!d.clusters.is_empty()).then(|| view! {
                    <dt>{l.pick("Cụm, khối thi đua", "Clusters")}</dt>
                    <dd>{d.clusters.join(", ")}</dd>
                })}
                {d.category.as_ref().map(|(name_vi, name_en, _)| view! {
                    <dt>{l.pick("Nhóm đối tượng thi đua", "Participant category")}</dt>
                    <dd>{if vi { name_vi.clone() } else { name_en.clone() }}</dd>
                })}
            </dl>
        </section>

        {(!d.children.is_empty()).then(|| view! {
            <section class="card">
                <h2>{l.pick("Đơn vị trực thuộc", "Units under it")}" "<span class="count">{format!("({})", d.children.len())}</span></h2>
                <ul class="unit-list">
                    {d.children.iter().map(|c| view! { <li>{link(&c.id, &c.name)}{c.demo.then(|| demo_badge(l))}</li> }).collect_view()}
                </ul>
            </section>
        })}

        {(!d.criteria.is_empty()).then(|| view! {
            <section class="card">
                <h2>{l.pick("Bảng điểm thi đua", "Scoring sheet")}" "<span class="count">{format!("({total} {})", l.pick("điểm", "pts"))}</span></h2>
                {d.category.as_ref().map(|(_, _, intro)| view! { <p class="small">{intro.clone()}</p> })}
                <ol class="criteria">
                    {d.criteria.iter().map(|c| view! {
                        <li>
                            <div class="crit-head">
                                <strong>{if vi { c.title_vi.clone() } else { c.title_en.clone() }}</strong>
                                <span class="points">{c.max_points}</span>
                            </div>
                            <p class="small">{c.text_vi.clone()}</p>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}

        {(!d.indicators.is_empty()).then(|| view! {
            <section class="card">
                <h2>{l.pick("Chỉ số báo cáo", "Indicators")}</h2>
                <ul class="indicators">
                    {d.indicators.iter().map(|i| view! {
                        <li>
                            <span>{if vi { i.name_vi.clone() } else { i.name_en.clone() }}</span>
                            <span class="muted small">{format!(" ({})", if vi { &i.detail_vi } else { &i.detail_en })}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}
