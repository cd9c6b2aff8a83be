//! The sync state on every page of a unit's reporter: online or offline,
//! items waiting, the last sync, and a sign-in link when the session ended.

use crate::i18n::use_lang;
use crate::offline::use_offline;
use leptos::prelude::*;

/// Local time "HH:MM dd/mm" of an RFC 3339 instant.
fn local_time(iso: &str) -> String {
    let d = js_sys::Date::new(&iso.into());
    if d.get_time().is_nan() {
        return iso.to_string();
    }
    format!("{:02}:{:02} {:02}/{:02}", d.get_hours(), d.get_minutes(), d.get_date(), d.get_month() + 1)
}

#[component]
pub fn SyncBar() -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    Effect::new(move |_| crate::offline::engine::start(o));
    let online = move || o.status.with(|s| s.online);
    view! {
        <div class="syncbar" data-testid="sync-bar" data-online=move || online().to_string()
            data-waiting=move || o.waiting().to_string() role="status">
            <span class=move || if online() { "dot on" } else { "dot off" } aria-hidden="true"></span>
            <span data-testid="net">{move || if online() { lang.get().pick("Trực tuyến", "Online") } else { lang.get().pick("Ngoại tuyến", "Offline") }}</span>
            <span data-testid="waiting">{move || format!("{} {}", o.waiting(), lang.get().pick("chờ gửi", "waiting"))}</span>
            {move || {
                let files = o.files_to_send().len();
                (files > 0).then(|| view! {
                    <span data-testid="files-waiting" data-count=files.to_string()>
                        {format!("{files} {}", lang.get().pick("tệp chờ gửi", "files waiting"))}
                    </span>
                })
            }}
            {move || o.upload.get().map(|(name, at, size)| view! {
                <span data-testid="upload-progress">
                    {format!("{} {name}: {}%", lang.get().pick("Đang gửi", "Sending"), (at * 100).checked_div(size).unwrap_or(100))}
                </span>
            })}
            {move || o.status.with(|s| s.file_problem.clone()).map(|m| view! {
                <span class="error" data-testid="file-problem">{m}</span>
            })}
            {move || o.status.with(|s| s.last_sync.clone()).map(|t| view! {
                <span class="muted-light" data-testid="last-sync">{lang.get().pick("Đồng bộ ", "Synced ")}{local_time(&t)}</span>
            })}
            {move || o.status.with(|s| s.syncing).then(|| view! { <span>{lang.get().pick("Đang đồng bộ…", "Syncing…")}</span> })}
            {move || o.status.with(|s| s.needs_sign_in).then(|| view! {
                <a href=crate::routes::SIGN_IN data-testid="sync-sign-in">{lang.get().pick("Phiên đăng nhập hết hạn: đăng nhập lại để gửi", "Session ended: sign in again to send")}</a>
            })}
        </div>
    }
}
