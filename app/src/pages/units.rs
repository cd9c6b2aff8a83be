//! Units of the district, grouped by kind, with a filter that ignores case
//! and diacritics ("dak xu" finds "Đắk Xú").

use crate::api::units::{list_units, UnitItem};
use crate::components::demo_badge::demo_badge;
use crate::components::status::loaded;
use crate::domain::text::matches;
use crate::domain::unit::UnitKind;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(UnitsPage, units_page, public);

fn units_page() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| list_units());
    let query = RwSignal::new(String::new());
    view! {
        <Title text=move || lang.get().pick("Đơn vị", "Units").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Đơn vị tham gia", "Participating units")}</h1>
            <label class="field">
                <span>{move || lang.get().pick("Tìm đơn vị", "Find a unit")}</span>
                <input type="search" data-testid="unit-filter" bind:value=query
                    placeholder=move || lang.get().pick("Ví dụ: dak xu", "e.g. dak xu")
                    autocomplete="off"/>
            </label>
        </section>
        {loaded(data, move |items, l| groups(items, &query.get(), l).into_any())}
    }
}

fn groups(items: &[UnitItem], query: &str, l: Lang) -> impl IntoView {
    let shown: Vec<&UnitItem> = items.iter().filter(|i| query.trim().is_empty() || matches(&i.key, query)).collect();
    let body = if shown.is_empty() {
        view! { <p class="card muted">{l.pick("Không có đơn vị nào khớp.", "No unit matches.")}</p> }.into_any()
    } else {
        UnitKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let group: Vec<&&UnitItem> = shown.iter().filter(|i| i.unit.kind == kind).collect();
                (!group.is_empty()).then(|| {
                    view! {
                        <section class="card">
                            <h2>{l.pick(kind.label_vi(), kind.label_en())}" "<span class="count">{format!("({})", group.len())}</span></h2>
                            <ul class="unit-list">
                                {group.iter().map(|i| view! {
                                    <li>
                                        <a href=crate::routes::unit(&i.unit.id)>{i.unit.name.clone()}</a>
                                        {i.unit.demo.then(|| demo_badge(l))}
                                        {i.unit.until.clone().map(|d| view! {
                                            <span class="muted small" data-testid="unit-until">{format!(" ({} {d})", l.pick("đến", "until"))}</span>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                })
            })
            .collect_view()
            .into_any()
    };
    view! { <div data-testid="unit-groups">{body}</div> }
}
