use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=move || lang.get().pick("Không tìm thấy trang", "Page not found").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Không tìm thấy trang", "Page not found")}</h1>
            <p><a href="/">{move || lang.get().pick("Về trang chủ", "Back to the home page")}</a></p>
        </section>
    }
}
