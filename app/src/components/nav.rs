use crate::api::auth::{current_user, sign_out};
use crate::i18n::{remember, use_lang, Lang};
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar: the app's name, the main sections and the language switch.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    view! {
        <header class="topbar">
            <a class="skip" href="#main">{t("Bỏ qua điều hướng", "Skip to content")}</a>
            <A href="/" attr:class="brand">"Thi Đua"</A>
            <nav aria-label=t("Điều hướng chính", "Main navigation")>
                <A href="/" exact=true>{t("Phong trào", "Movement")}</A>
                <A href="/units">{t("Đơn vị", "Units")}</A>
                <A href="/clusters">{t("Cụm, khối", "Clusters")}</A>
            </nav>
            <Session/>
            <LangSwitch/>
        </header>
    }
}

/// Switches Vietnamese ⇄ English in place, and remembers the choice.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let toggle = move |_| {
        let next = if lang.get_untracked() == Lang::Vi { Lang::En } else { Lang::Vi };
        remember(next);
        lang.set(next);
    };
    view! {
        <button type="button" class="lang-switch" data-testid="lang-switch" on:click=toggle
            aria-label=move || lang.get().pick("Switch to English", "Chuyển sang tiếng Việt")>
            {move || lang.get().pick("English", "Tiếng Việt")}
        </button>
    }
}

/// Who is signed in, with sign-out; or a sign-in link.
#[component]
pub fn Session() -> impl IntoView {
    let lang = use_lang();
    let who = Resource::new(|| (), |_| current_user());
    let out = move |_| {
        leptos::task::spawn_local(async {
            let _ = sign_out().await;
            let _ = window().location().set_href("/");
        })
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let who = who.await;
                move || match &who {
                    Ok(Some(m)) => view! {
                        <span class="who" data-testid="who">{m.display_name.clone()}</span>
                        <button type="button" class="lang-switch" data-testid="sign-out" on:click=out>
                            {lang.get().pick("Đăng xuất", "Sign out")}
                        </button>
                    }.into_any(),
                    _ => view! {
                        <a href="/dang-nhap" class="sign-in-link" data-testid="sign-in-link">
                            {lang.get().pick("Đăng nhập", "Sign in")}
                        </a>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
