use crate::i18n::use_lang;
use leptos::prelude::*;

/// What a page shows while its data loads.
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="muted" aria-live="polite">{move || lang.get().pick("Đang tải…", "Loading…")}</p> }
}

/// A failed load, with the server's message.
#[component]
pub fn LoadError(message: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="error" role="alert">
            {move || lang.get().pick("Không tải được dữ liệu: ", "Could not load: ")}
            {message.clone()}
        </p>
    }
}
