//! Meeting display links: make one (its address is shown once), revoke one.

use crate::api::admin::{admin_create_display, admin_displays, admin_revoke_display, DisplayRow};
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(DisplaysPage, displays_page, staff);

fn displays_page() -> impl IntoView {
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    let links = Resource::new(|| (), |_| admin_displays());
    let notice: Notice = RwSignal::new(None);
    let made = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(notice, "Đã tạo đường dẫn. / Link created.", admin_create_display(f.get("name")), move |path: String| {
            let origin = window().location().origin().unwrap_or_default();
            made.set(Some(format!("{origin}{path}")));
            links.refetch();
        });
    };
    view! {
        <Title text=move || lang.get().pick("Màn hình họp", "Meeting displays").to_string()/>
        <section class="card">
            <h1>{t("Đường dẫn màn hình họp", "Meeting display links")}</h1>
            <p class="muted">{t(
                "Màn hình chỉ xem bảng xếp hạng, không cần đăng nhập, không có dữ liệu cá nhân. Thu hồi khi không dùng nữa.",
                "A display reads leaderboards only, without signing in and without personal data. Revoke it when no longer used.")}</p>
            <form on:submit=create>
                <label class="field"><span>{t("Tên màn hình (ví dụ: Hội trường UBND huyện)", "Display name (e.g. District hall)")}</span>
                    <input name="name" required data-testid="display-name"/></label>
                <button type="submit" class="primary" data-testid="create-display">{t("Tạo đường dẫn", "Create link")}</button>
            </form>
            <NoticeLine notice/>
            {move || made.get().map(|url| view! {
                <p>{t("Đường dẫn (chỉ hiện một lần):", "Link (shown once):")}" "
                    <a href=url.clone() data-testid="display-url" class="break">{url.clone()}</a></p>
            })}
        </section>
        <section class="card">
            {loaded(links, move |rows, l| link_table(rows, l, notice, links).into_any())}
        </section>
    }
}

fn link_table(rows: &[DisplayRow], l: Lang, notice: Notice, links: Resource<Result<Vec<DisplayRow>, AppError>>) -> impl IntoView {
    view! {
        <ul class="unit-list" data-testid="display-links">
            {rows.iter().map(|d| {
                let id = d.id.clone();
                let revoke = move |_| run(notice, "Đã thu hồi. / Revoked.", admin_revoke_display(id.clone()), move |_| links.refetch());
                view! {
                    <li>
                        <strong>{d.name.clone()}</strong>" · "{d.created_at.get(..10).unwrap_or_default().to_string()}" "
                        {if d.revoked {
                            view! { <span class="muted">{l.pick("đã thu hồi", "revoked")}</span> }.into_any()
                        } else {
                            view! { <button type="button" class="small" on:click=revoke data-testid="revoke-display">{l.pick("Thu hồi", "Revoke")}</button> }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
