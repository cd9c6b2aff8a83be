//! Raising a difficulty with the organiser from the report page.

use crate::domain::sync::ItemBody;
use crate::domain::FieldError;
use crate::i18n::use_lang;
use crate::offline::engine::{save, soon};
use crate::offline::item::LocalItem;
use crate::offline::use_offline;
use leptos::prelude::*;

/// Raise a difficulty with the district: queued like a report.
#[component]
pub(super) fn DifficultyForm() -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let send = move |ev: leptos::ev::SubmitEvent| {
        let f = crate::components::form::Fields::of(&ev);
        let Some(unit) = o.form.with_untracked(|f| f.as_ref().map(|f| f.unit.clone())) else { return };
        let body = crate::domain::difficulty::DifficultyBody { unit: unit.clone(), title: f.get("title"), details: f.get("details") };
        let errs = body.validate(&unit);
        problems.set(errs.clone());
        if !errs.is_empty() {
            return;
        }
        let form = ev.target().and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlFormElement>(t).ok());
        leptos::task::spawn_local(async move {
            let mut it = LocalItem::new(format!("kk-{}", crate::offline::local::uuid()), ItemBody::Difficulty(body));
            it.submit();
            if save(o, it).await.is_ok() {
                if let Some(f) = form {
                    f.reset();
                }
                soon(o);
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || lang.get().pick("Khó khăn, vướng mắc", "Difficulties")}</h2>
            <form on:submit=send data-testid="difficulty-form">
                <label class="field"><span>{move || lang.get().pick("Tiêu đề", "Title")}</span>
                    <input name="title" data-testid="difficulty-title"/></label>
                <label class="field"><span>{move || lang.get().pick("Nội dung", "Details")}</span>
                    <textarea name="details" rows="3" data-testid="difficulty-details"></textarea></label>
                {move || problems.get().into_iter().map(|e| view! { <p class="error">{lang.get().pick(&e.message_vi, &e.message_en).to_string()}</p> }).collect_view()}
                <button type="submit" class="primary" data-testid="difficulty-send">{move || match o.organiser_of(None) {
                    Some(n) => lang.get().pick(&format!("Gửi lên {n}"), &format!("Send to {n}")).to_string(),
                    None => lang.get().pick("Gửi lên cấp trên", "Send up").to_string(),
                }}</button>
            </form>
        </section>
    }
}
