use crate::domain::{AppError, ErrorKind};
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// What a page shows while its data loads.
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="muted" aria-live="polite">{move || lang.get().pick("Đang tải…", "Loading…")}</p> }
}

/// A failed load, with the server's message; a sign-in link when that is
/// what is missing.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let needs_sign_in = error.kind == ErrorKind::SignInNeeded;
    view! {
        <p class="error" role="alert" data-testid="load-error">
            {move || lang.get().pick("Không tải được dữ liệu: ", "Could not load: ")}
            {move || error.message(lang.get() == Lang::Vi).to_string()}
        </p>
        {needs_sign_in.then(|| view! {
            <p><a href=crate::routes::SIGN_IN data-testid="load-sign-in">{move || lang.get().pick("Đăng nhập", "Sign in")}</a></p>
        })}
    }
}

/// Outside the generic `loaded`, so its code is not copied for every page.
#[inline(never)]
fn load_error(e: &AppError) -> AnyView {
    view! { <LoadError error=e.clone()/> }.into_any()
}

/// A page's data: "loading" until the resource resolves, then `render` in the
/// current language (re-run when the language changes), or the error.
pub fn loaded<T, F>(data: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(&T, Lang) -> AnyView + Clone + Send + Sync + 'static,
{
    let lang = use_lang();
    view! {
        <Suspense fallback=Loading>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    let data = data.await;
                    move || match &data {
                        Ok(d) => render(d, lang.get()),
                        Err(e) => load_error(e),
                    }
                })
            }}
        </Suspense>
    }
}
