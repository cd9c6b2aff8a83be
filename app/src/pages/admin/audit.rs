//! The audit log with filters: who, kind of write, subject, dates.

use crate::api::admin::{admin_audit, AuditRow};
use crate::components::form::Fields;
use crate::components::status::loaded;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(AuditPage, audit_page, staff);

/// Kinds of write, for the filter (prefixes match: "account" is every
/// account write).
const ACTIONS: &[(&str, &str, &str)] = &[
    ("account", "Tài khoản", "Accounts"),
    ("session", "Đăng nhập, đăng xuất", "Sign-in and sign-out"),
    ("display", "Màn hình họp", "Meeting displays"),
    ("unit", "Đơn vị", "Units"),
    ("cluster", "Cụm, khối", "Clusters"),
    ("catalogue", "Nhập danh mục", "Catalogue imports"),
];

fn audit_page() -> impl IntoView {
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    let filter = RwSignal::new((String::new(), String::new(), String::new(), String::new(), String::new()));
    let entries = Resource::new(move || filter.get(), |(a, k, s, f, to)| admin_audit(a, k, s, f, to));
    let apply = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        filter.set((f.get("actor"), f.get("action"), f.get("subject"), f.get("from"), f.get("to")));
    };
    view! {
        <Title text=move || lang.get().pick("Nhật ký thay đổi", "Audit log").to_string()/>
        <section class="card">
            <h1>{t("Nhật ký thay đổi", "Audit log")}</h1>
            <form on:submit=apply class="filters" data-testid="audit-filter">
                <label class="field"><span>{t("Người thực hiện (tên đăng nhập)", "Who (username)")}</span>
                    <input name="actor" autocapitalize="none" data-testid="audit-actor"/></label>
                <label class="field"><span>{t("Loại thay đổi", "Kind of change")}</span>
                    <select name="action" data-testid="audit-action">
                        <option value="">{t("Tất cả", "All")}</option>
                        {move || ACTIONS.iter().map(|(code, vi, en)| view! { <option value=*code>{lang.get().pick(vi, en)}</option> }).collect_view()}
                    </select></label>
                <label class="field"><span>{t("Đối tượng chứa", "Subject contains")}</span>
                    <input name="subject" autocapitalize="none"/></label>
                <label class="field"><span>{t("Từ ngày", "From")}</span><input name="from" type="date"/></label>
                <label class="field"><span>{t("Đến ngày", "To")}</span><input name="to" type="date"/></label>
                <button type="submit" class="primary" data-testid="audit-apply">{t("Lọc", "Filter")}</button>
            </form>
        </section>
        <section class="card">
            {loaded(entries, |rows, l| audit_table(rows, l).into_any())}
        </section>
    }
}

fn audit_table(rows: &[AuditRow], l: Lang) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{l.pick("Không có thay đổi nào khớp.", "No change matches.")}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0">
        <table data-testid="audit-rows">
            <thead><tr>
                <th>{l.pick("Lúc", "When")}</th><th>{l.pick("Ai", "Who")}</th><th>{l.pick("Thay đổi", "Change")}</th>
                <th>{l.pick("Đối tượng", "Subject")}</th><th>{l.pick("Trước → sau", "Before → after")}</th>
            </tr></thead>
            <tbody>
                {rows.iter().map(|r| view! {
                    <tr>
                        <td>{r.at.get(..19).unwrap_or(&r.at).replace('T', " ")}</td>
                        <td>{r.actor.clone().unwrap_or_else(|| "—".into())}</td>
                        <td>{r.action.clone()}</td>
                        <td class="break">{r.subject.clone()}</td>
                        <td class="break small-text">
                            {r.before.clone().map(|b| view! { <div>{b}</div> })}
                            {r.after.clone().map(|a| view! { <div>"→ "{a}</div> })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}
