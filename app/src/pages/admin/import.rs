//! The administrative catalogue import: choose the CSV file, see what it
//! would add and change (or every rejected line), then apply.

use crate::api::admin::{admin_import, ImportOutcome};
use crate::components::form::{error_text, Notice, NoticeLine};
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(ImportPage, import_page, staff);

fn import_page() -> impl IntoView {
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    let text = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<ImportOutcome>);
    let notice: Notice = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let call = move |apply: bool| {
        let Some(body) = text.get_untracked() else { return };
        busy.set(true);
        notice.set(None);
        leptos::task::spawn_local(async move {
            match admin_import(body, apply).await {
                Ok(o) => {
                    if o.applied {
                        notice.set(Some(Ok("Đã nhập danh mục. / Catalogue imported.".into())));
                    }
                    outcome.set(Some(o));
                }
                Err(e) => notice.set(Some(Err(error_text(&e)))),
            }
            busy.set(false);
        });
    };
    let pick = move |ev: leptos::ev::Event| {
        outcome.set(None);
        crate::components::form::read_picked_text(&ev, move |t| {
            text.set(Some(t));
            call(false);
        });
    };
    view! {
        <Title text=move || lang.get().pick("Nhập danh mục", "Catalogue import").to_string()/>
        <section class="card">
            <h1>{t("Nhập danh mục đơn vị hành chính", "Import the administrative catalogue")}</h1>
            <p class="muted">{t(
                "Tệp CSV xuất từ danh mục của Tổng cục Thống kê (tỉnh, huyện, xã). Xem trước, rồi mới ghi.",
                "A CSV export of the GSO catalogue (province, district, commune). Preview first, then write.")}</p>
            <label class="field"><span>{t("Chọn tệp CSV", "Choose the CSV file")}</span>
                <input type="file" accept=".csv,text/csv" on:change=pick data-testid="import-file"/></label>
            <NoticeLine notice/>
            {move || outcome.get().map(|o| report(&o, lang.get(), busy, call))}
        </section>
    }
}

fn report(o: &ImportOutcome, l: Lang, busy: RwSignal<bool>, call: impl Fn(bool) + Copy + 'static) -> AnyView {
    if !o.rejected.is_empty() {
        return view! {
            <p class="error" role="alert">{format!("{} {}", o.rejected.len(), l.pick("dòng bị từ chối; chưa ghi gì.", "lines rejected; nothing written."))}</p>
            <div class="table-wrap"><table data-testid="import-rejected">
                <thead><tr><th>{l.pick("Dòng", "Line")}</th><th>{l.pick("Cột", "Column")}</th><th>{l.pick("Lý do", "Reason")}</th></tr></thead>
                <tbody>{o.rejected.iter().take(200).map(|r| view! {
                    <tr><td>{r.line}</td><td>{r.column.clone()}</td><td>{l.pick(&r.message_vi, &r.message_en).to_string()}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        }
        .into_any();
    }
    let Some(s) = o.summary.clone() else { return ().into_any() };
    let applied = o.applied;
    view! {
        <dl class="facts" data-testid="import-summary">
            <dt>{l.pick("Số dòng", "Rows")}</dt><dd>{s.rows}</dd>
            <dt>{l.pick("Tỉnh · huyện · xã", "Provinces · districts · communes")}</dt><dd>{format!("{} · {} · {}", s.provinces, s.districts, s.communes)}</dd>
            <dt>{l.pick("Thêm mới", "Added")}</dt><dd data-testid="import-added">{s.added}</dd>
            <dt>{l.pick("Thay đổi", "Changed")}</dt><dd data-testid="import-changed">{s.changed}</dd>
            <dt>{l.pick("Giữ nguyên", "Unchanged")}</dt><dd>{s.unchanged}</dd>
        </dl>
        {(!applied).then(|| view! {
            <button type="button" class="primary" data-testid="import-apply" disabled=move || busy.get() on:click=move |_| call(true)>
                {l.pick("Ghi vào danh mục", "Write to the catalogue")}
            </button>
        })}
    }
    .into_any()
}
