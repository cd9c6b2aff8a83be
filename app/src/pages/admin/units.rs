//! Create a unit, edit one, or move it under another parent.

use crate::api::admin::admin_save_unit;
use crate::api::units::{list_units, UnitItem};
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::unit::{ParticipantCategory, UnitKind};
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(UnitsAdminPage, units_admin_page, staff);

fn units_admin_page() -> impl IntoView {
    let lang = use_lang();
    let units = Resource::new(|| (), |_| list_units());
    let notice: Notice = RwSignal::new(None);
    let save = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        let call = admin_save_unit(
            f.get("id"),
            f.get("name"),
            f.get("kind"),
            f.get("category"),
            f.get("parent"),
            f.get("valid_from"),
            f.get("valid_to"),
        );
        run(notice, "Đã lưu đơn vị. / Unit saved.", call, move |_| units.refetch());
    };
    view! {
        <Title text=move || lang.get().pick("Quản trị đơn vị", "Units set-up").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Thêm, sửa, chuyển đơn vị", "Add, edit or move a unit")}</h1>
            <p class="muted">{move || lang.get().pick(
                "Nhập mã của đơn vị có sẵn để sửa tên, nhóm, thời gian tồn tại hoặc chuyển sang đơn vị cấp trên khác; mã mới để thêm đơn vị. Ngày để trống thì giữ như cũ.",
                "Give an existing unit's id to rename it, change its category or dates, or move it; a new id adds a unit. A date left empty stays as it was.")}</p>
            {loaded(units, move |u, l| unit_form(u, l, save).into_any())}
            <NoticeLine notice/>
        </section>
    }
}

fn unit_form(units: &[UnitItem], l: Lang, save: impl Fn(leptos::ev::SubmitEvent) + 'static) -> impl IntoView {
    view! {
        <form on:submit=save data-testid="unit-form">
            <label class="field"><span>{l.pick("Mã đơn vị (chữ thường không dấu, số, gạch ngang)", "Unit id (lower-case ASCII, digits, hyphens)")}</span>
                <input name="id" required list="unit-ids" autocapitalize="none" data-testid="unit-id"/></label>
            <datalist id="unit-ids">
                {units.iter().map(|u| view! { <option value=u.unit.id.clone()>{u.unit.name.clone()}</option> }).collect_view()}
            </datalist>
            <label class="field"><span>{l.pick("Tên đơn vị", "Name")}</span>
                <input name="name" required data-testid="unit-name"/></label>
            <label class="field"><span>{l.pick("Loại", "Kind")}</span>
                <select name="kind" data-testid="unit-kind">
                    {UnitKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{l.pick(k.label_vi(), k.label_en())}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{l.pick("Nhóm đối tượng thi đua", "Participant category")}</span>
                <select name="category" data-testid="unit-category">
                    <option value="">{l.pick("(không chấm điểm)", "(not scored)")}</option>
                    {ParticipantCategory::ALL.into_iter().map(|c| view! { <option value=c.code()>{l.pick(c.label_vi(), c.label_en())}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{l.pick("Đơn vị cấp trên", "Parent unit")}</span>
                <select name="parent" data-testid="unit-parent">{super::unit_options(units, "")}</select></label>
            <label class="field"><span>{l.pick("Tồn tại từ ngày", "Exists from")}</span>
                <input type="date" name="valid_from" data-testid="unit-valid_from"/></label>
            <label class="field"><span>{l.pick("Đến hết ngày (đã giải thể, sáp nhập)", "Until (dissolved or merged)")}</span>
                <input type="date" name="valid_to" data-testid="unit-valid_to"/></label>
            <button type="submit" class="primary" data-testid="unit-save">{l.pick("Lưu", "Save")}</button>
        </form>
    }
}
