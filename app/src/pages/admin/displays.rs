//! Meeting display links: make one (its address is shown once), revoke one.

use crate::api::admin::{admin_create_display, admin_displays, admin_revoke_display, DisplayMovement, DisplayRow, DisplaySetup};
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
        let made_link = admin_create_display(f.get("name"), f.get("movement"), f.get("period"), f.all("clusters"));
        run(notice, "Đã tạo đường dẫn. / Link created.", made_link, move |path: String| {
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
                <label class="field"><span>{t("Tên màn hình (ví dụ: Hội trường UBND)", "Display name (e.g. the People's Committee hall)")}</span>
                    <input name="name" required data-testid="display-name"/></label>
                {loaded(links, move |d, l| shows_fields(d, l).into_any())}
                <button type="submit" class="primary" data-testid="create-display">{t("Tạo đường dẫn", "Create link")}</button>
            </form>
            <NoticeLine notice/>
            {move || made.get().map(|url| view! {
                <p>{t("Đường dẫn (chỉ hiện một lần):", "Link (shown once):")}" "
                    <a href=url.clone() data-testid="display-url" class="break">{url.clone()}</a></p>
            })}
        </section>
        <section class="card">
            {loaded(links, move |d, l| link_table(&d.links, l, notice, links).into_any())}
        </section>
    }
}

/// What a new link shows: a movement (when the officer runs several), its
/// period (default: the one that matters now) and clusters (none: all).
fn shows_fields(d: &DisplaySetup, l: Lang) -> impl IntoView {
    let list = d.movements.clone();
    let chosen = RwSignal::new(list.first().map(|m| m.code.clone()).unwrap_or_default());
    let current = move || list.iter().find(|m| m.code == chosen.get()).cloned();
    let several = d.movements.len() > 1;
    view! {
        {several.then(|| view! {
            <label class="field"><span>{l.pick("Phong trào", "Movement")}</span>
                <select name="movement" data-testid="display-movement" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {d.movements.iter().map(|m| view! { <option value=m.code.clone()>{m.name.clone()}</option> }).collect_view()}
                </select></label>
        })}
        {(!several).then(|| view! { <input type="hidden" name="movement" prop:value=move || chosen.get()/> })}
        {move || current().map(|m: DisplayMovement| view! {
            <label class="field"><span>{l.pick("Kỳ", "Period")}</span>
                <select name="period" data-testid="display-period">
                    <option value="">{l.pick("Kỳ hiện tại (tự chuyển)", "The current period (follows the calendar)")}</option>
                    {m.periods.iter().map(|p| view! { <option value=p.code.clone()>{l.pick(&p.label_vi, &p.label_en).to_string()}</option> }).collect_view()}
                </select></label>
            <fieldset class="cats" data-testid="display-clusters">
                <legend>{l.pick("Cụm, khối (không chọn: tất cả)", "Clusters and blocks (none: all)")}</legend>
                {m.clusters.iter().map(|(id, name)| view! {
                    <label class="check"><input type="checkbox" name="clusters" value=id.clone() data-testid=format!("display-cluster-{id}")/>" "{name.clone()}</label>
                }).collect_view()}
            </fieldset>
        })}
    }
}

fn link_table(rows: &[DisplayRow], l: Lang, notice: Notice, links: Resource<Result<DisplaySetup, AppError>>) -> impl IntoView {
    view! {
        <ul class="unit-list" data-testid="display-links">
            {rows.iter().map(|d| {
                let id = d.id.clone();
                let revoke = move |_| run(notice, "Đã thu hồi. / Revoked.", admin_revoke_display(id.clone()), move |_| links.refetch());
                view! {
                    <li>
                        <strong>{d.name.clone()}</strong>" · "{d.created_at.get(..10).unwrap_or_default().to_string()}" "
                        <span class="muted" data-testid="display-shows">{shows_text(d, l)}</span>" "
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

/// "Phong trào X · Tháng 10/2021 · Cụm 1, Cụm 2": what a link shows.
fn shows_text(d: &DisplayRow, l: Lang) -> String {
    let mut parts = Vec::new();
    parts.push(if d.movement_name.is_empty() {
        l.pick("Phong trào hiện hành", "The current movement").to_string()
    } else {
        d.movement_name.clone()
    });
    parts.push(if d.period_label.is_empty() { l.pick("kỳ hiện tại", "current period").to_string() } else { d.period_label.clone() });
    parts.push(if d.cluster_names.is_empty() {
        l.pick("mọi cụm, khối", "every cluster").to_string()
    } else {
        d.cluster_names.join(", ")
    });
    parts.join(" · ")
}
