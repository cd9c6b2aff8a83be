//! The administrative catalogue import: choose the CSV file (a catalogue in
//! either layout, or the old→new mapping), the day it takes effect, see
//! what it would add, change and end (or every rejected line), then apply.

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
    let effective = RwSignal::new(String::new());
    let call = move |apply: bool| {
        let Some(body) = text.get_untracked() else { return };
        busy.set(true);
        notice.set(None);
        leptos::task::spawn_local(async move {
            match admin_import(body, apply, effective.get_untracked()).await {
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
                "Tệp CSV xuất từ danh mục của Tổng cục Thống kê: trước 1/7/2025 (tỉnh, huyện, xã), từ 1/7/2025 (tỉnh, xã), \
                 hoặc bảng chuyển đổi xã cũ → xã mới. Danh mục có ngày hiệu lực được lưu thành phiên bản mới: \
                 đơn vị cũ kết thúc hôm trước, lịch sử giữ nguyên. Xem trước, rồi mới ghi.",
                "A CSV export of the GSO catalogue: before 1/7/2025 (province, district, commune), from 1/7/2025 \
                 (province, commune), or the old → new commune mapping. A dated catalogue is kept as a new version: \
                 old units end the day before, history stays as it was. Preview first, then write.")}</p>
            <label class="field"><span>{t("Có hiệu lực từ (để trống: danh mục cũ sửa tại chỗ; danh mục hai cấp: 01/07/2025)",
                "In force from (empty: an old catalogue is updated in place; a two-level one: 01/07/2025)")}</span>
                <input type="date" data-testid="import-effective" prop:value=move || effective.get()
                    on:change=move |ev| { effective.set(event_target_value(&ev)); if text.get_untracked().is_some() { call(false) } }/></label>
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
            <div class="table-wrap" tabindex="0"><table data-testid="import-rejected">
                <thead><tr><th>{l.pick("Dòng", "Line")}</th><th>{l.pick("Cột", "Column")}</th><th>{l.pick("Lý do", "Reason")}</th></tr></thead>
                <tbody>{o.rejected.iter().take(200).map(|r| view! {
                    <tr><td>{r.line}</td><td>{r.column.clone()}</td><td>{l.pick(&r.message_vi, &r.message_en).to_string()}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        }
        .into_any();
    }
    let applied = o.applied;
    let apply_button =
        move || {
            (!applied).then(|| view! {
            <button type="button" class="primary" data-testid="import-apply" disabled=move || busy.get() on:click=move |_| call(true)>
                {l.pick("Ghi vào danh mục", "Write to the catalogue")}
            </button>
        })
        };
    if let Some(m) = o.mapping.clone() {
        return view! {
            <dl class="facts" data-testid="import-mapping">
                <dt>{l.pick("Số dòng chuyển đổi", "Mapping lines")}</dt><dd>{m.rows}</dd>
                <dt>{l.pick("Xã cũ tách một phần", "Old communes split")}</dt><dd>{m.partial}</dd>
                <dt>{l.pick("Đơn vị cũ kết thúc", "Old units ended")}</dt><dd data-testid="import-ended">{m.ended}</dd>
            </dl>
            {apply_button()}
        }
        .into_any();
    }
    let Some(s) = o.summary.clone() else { return ().into_any() };
    view! {
        <dl class="facts" data-testid="import-summary">
            <dt>{l.pick("Số dòng", "Rows")}</dt><dd>{s.rows}</dd>
            <dt>{l.pick("Tỉnh · huyện · xã", "Provinces · districts · communes")}</dt><dd>{format!("{} · {} · {}", s.provinces, s.districts, s.communes)}</dd>
            <dt>{l.pick("Thêm mới", "Added")}</dt><dd data-testid="import-added">{s.added}</dd>
            <dt>{l.pick("Thay đổi", "Changed")}</dt><dd data-testid="import-changed">{s.changed}</dd>
            <dt>{l.pick("Giữ nguyên", "Unchanged")}</dt><dd>{s.unchanged}</dd>
            <dt>{l.pick("Kết thúc (mã đã dùng cho đơn vị mới)", "Ended (code now names a new unit)")}</dt><dd data-testid="import-ended">{s.ended}</dd>
        </dl>
        {apply_button()}
    }
    .into_any()
}
