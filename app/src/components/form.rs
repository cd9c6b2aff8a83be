//! Plain forms without the generic ActionForm machinery (it cost ~30 KB of
//! WASM): read the submitted form's fields, call a server function, show
//! what happened.

use crate::domain::AppError;
use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// A server error's words, "Vietnamese / English" (`NoticeLine` shows the
/// half for the page's language).
pub fn error_text(e: &AppError) -> String {
    e.to_string()
}

/// The first file picked in a file input, read as text; `then` gets it
/// (nothing if the person picked none, or it cannot be read).
pub fn read_picked_text(ev: &leptos::ev::Event, then: impl FnOnce(String) + 'static) {
    let file = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| i.files()).and_then(|f| f.get(0));
    let Some(file) = file else { return };
    leptos::task::spawn_local(async move {
        if let Some(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()) {
            then(text);
        }
    });
}

/// The fields of the form an event was submitted from (default prevented).
pub struct Fields(Option<web_sys::FormData>);

impl Fields {
    pub fn of(ev: &leptos::ev::SubmitEvent) -> Fields {
        ev.prevent_default();
        let form = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
        Fields(form.and_then(|f| web_sys::FormData::new_with_form(&f).ok()))
    }

    /// The fields of a form as they stand (an autosave reads them on input).
    pub fn of_form(form: &web_sys::HtmlFormElement) -> Fields {
        Fields(web_sys::FormData::new_with_form(form).ok())
    }

    pub fn get(&self, name: &str) -> String {
        self.0.as_ref().and_then(|f| f.get(name).as_string()).unwrap_or_default()
    }

    /// Every value of a repeated field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.as_ref().map(|f| f.get_all(name).iter().filter_map(|v| v.as_string()).collect()).unwrap_or_default()
    }
}

/// The outcome of the last submit: a success note or the server's message.
pub type Notice = RwSignal<Option<Result<String, String>>>;

/// Runs a server call and records its outcome in `notice`; `done` runs
/// after a success (to refetch a list, say).
pub fn run<T, Fut>(notice: Notice, ok: &'static str, call: Fut, done: impl FnOnce(T) + 'static)
where
    T: 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + 'static,
{
    notice.set(None);
    leptos::task::spawn_local(async move {
        match call.await {
            Ok(v) => {
                notice.set(Some(Ok(ok.to_string())));
                done(v);
            }
            Err(e) => notice.set(Some(Err(error_text(&e)))),
        }
    });
}

/// Shows a notice: green for success, red (and announced) for an error.
#[component]
pub fn NoticeLine(notice: Notice) -> impl IntoView {
    let lang = use_lang();
    move || {
        notice.get().map(|n| match n {
            Ok(m) => {
                let (vi, en) = m.split_once(" / ").map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or((m.clone(), m));
                view! { <p class="ok" role="status" data-testid="notice">{if lang.get() == crate::i18n::Lang::Vi { vi } else { en }}</p> }
                    .into_any()
            }
            Err(m) => view! { <p class="error" role="alert" data-testid="notice-error">{in_lang(&m, lang.get())}</p> }.into_any(),
        })
    }
}

/// One language's half of a "Vietnamese / English" text (the whole text if
/// it has no English half).
pub fn in_lang(text: &str, lang: crate::i18n::Lang) -> String {
    match text.split_once(" / ") {
        Some((vi, en)) => if lang == crate::i18n::Lang::Vi { vi } else { en }.to_string(),
        None => text.to_string(),
    }
}
