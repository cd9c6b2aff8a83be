//! Sign-in with username and password. Accounts are created by the district
//! officer (or, for the first one, the `create-account` command).

use crate::api::auth::sign_in;
use crate::components::form::error_text;
use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(SignInPage, sign_in_view, public);

fn sign_in_view() -> impl IntoView {
    let lang = use_lang();
    let username = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    // A plain form and a direct server call: the generic ActionForm machinery
    // cost ~30 KB of WASM for one form.
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(u), Some(p)) = (username.get_untracked(), password.get_untracked()) else { return };
        let (u, p) = (u.value(), p.value());
        pending.set(true);
        leptos::task::spawn_local(async move {
            match sign_in(u, p).await {
                // A full load, so every part of the app starts over signed in.
                Ok(()) => {
                    let _ = window().location().set_href("/");
                }
                Err(e) => {
                    error.set(Some(error_text(&e)));
                    pending.set(false);
                }
            }
        });
    };
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    view! {
        <Title text=move || lang.get().pick("Đăng nhập", "Sign in").to_string()/>
        <section class="card narrow">
            <h1>{t("Đăng nhập", "Sign in")}</h1>
            <form method="post" action="/api/auth/sign_in" on:submit=submit>
                <label class="field">
                    <span>{t("Tên đăng nhập", "Username")}</span>
                    <input node_ref=username name="username" autocomplete="username" autocapitalize="none" required data-testid="username"/>
                </label>
                <label class="field">
                    <span>{t("Mật khẩu", "Password")}</span>
                    <input node_ref=password type="password" name="password" autocomplete="current-password" required data-testid="password"/>
                </label>
                <button type="submit" class="primary" data-testid="sign-in" disabled=move || pending.get()>
                    {t("Đăng nhập", "Sign in")}
                </button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="sign-in-error">{e}</p> })}
        </section>
    }
}
