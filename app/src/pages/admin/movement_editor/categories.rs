//! Criteria per participant category: each category's name and
//! introduction, and its own wording of each content area's criterion
//! (empty: the area's general criterion, which the phone's form then shows).

use super::{errs, text, Def, Errors, Shape};
use crate::domain::unit::ParticipantCategory;
use crate::i18n::use_lang;
use leptos::prelude::*;

#[component]
pub(super) fn Categories(def: Def, shape: Shape, errors: Errors) -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(ParticipantCategory::Commune);
    view! {
        <h2>{move || lang.get().pick("Tiêu chí theo nhóm đối tượng", "Criteria per participant category")}</h2>
        <label class="field"><span>{move || lang.get().pick("Nhóm đối tượng", "Category")}</span>
            <select data-testid="category-pick"
                on:change=move |ev| if let Some(c) = ParticipantCategory::from_code(&event_target_value(&ev)) { chosen.set(c) }>
                {move || ParticipantCategory::ALL.into_iter().map(|c| view! {
                    <option value=c.code() selected=c == chosen.get_untracked()>{lang.get().pick(c.label_vi(), c.label_en())}</option>
                }).collect_view()}
            </select></label>
        {move || {
            shape.track();
            let (c, l) = (chosen.get(), lang.get_untracked());
            let d = def.get_untracked();
            let Some(n) = d.categories.iter().position(|x| x.category == c) else { return ().into_any() };
            let cat = &d.categories[n];
            let id = move |what: &str| format!("cat-{}-{what}", c.code());
            let mut areas = d.content_areas.clone();
            areas.sort_by_key(|a| a.no);
            view! {
                {text(def, l.pick("Tên nhóm", "Name").into(), id("name_vi"), cat.name_vi.clone(), false,
                    move |d, v| if let Some(x) = d.categories.get_mut(n) { x.name_vi = v })}
                {text(def, l.pick("Giới thiệu", "Introduction").into(), id("intro_vi"), cat.intro_vi.clone(), true,
                    move |d, v| if let Some(x) = d.categories.get_mut(n) { x.intro_vi = v })}
                <p class="small-text">{l.pick(
                    "Để trống một ô: nhóm này dùng tiêu chí chung của nội dung.",
                    "Leave a box empty: this category uses the area's general criterion.")}</p>
                {areas.into_iter().map(|a| {
                    let code = a.code.clone();
                    text(def, format!("{}. {}", a.no, a.title_vi), id(&format!("area-{code}")),
                        cat.criteria_vi.get(&a.code).cloned().unwrap_or_default(), true,
                        move |d, v| if let Some(x) = d.categories.get_mut(n) {
                            if v.trim().is_empty() { x.criteria_vi.remove(&code); } else { x.criteria_vi.insert(code.clone(), v); }
                        })
                }).collect_view()}
            }.into_any()
        }}
        {errs(errors, "categories".into())}
    }
}
