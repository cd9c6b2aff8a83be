//! A signed-in person changes their own password.

use crate::api::auth::change_password;
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(PasswordPage, password_page, field);

fn password_page() -> impl IntoView {
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    let notice: Notice = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        if f.get("new") != f.get("again") {
            notice.set(Some(Err("again: Hai lần nhập mật khẩu mới không khớp. / The two new passwords differ.".into())));
            return;
        }
        run(notice, "Đã đổi mật khẩu. / Password changed.", change_password(f.get("current"), f.get("new")), |_| {});
    };
    view! {
        <Title text=move || lang.get().pick("Đổi mật khẩu", "Change password").to_string()/>
        <section class="card narrow">
            <h1>{t("Đổi mật khẩu", "Change password")}</h1>
            <form on:submit=submit>
                <label class="field"><span>{t("Mật khẩu hiện tại", "Current password")}</span>
                    <input name="current" type="password" required autocomplete="current-password"/></label>
                <label class="field"><span>{t("Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)")}</span>
                    <input name="new" type="password" required minlength="10" autocomplete="new-password"/></label>
                <label class="field"><span>{t("Nhập lại mật khẩu mới", "New password again")}</span>
                    <input name="again" type="password" required minlength="10" autocomplete="new-password"/></label>
                <button type="submit" class="primary">{t("Đổi mật khẩu", "Change password")}</button>
            </form>
            <NoticeLine notice/>
        </section>
    }
}
