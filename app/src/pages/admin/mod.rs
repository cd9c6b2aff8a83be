//! The district officer's set-up pages, under /quan-tri. Each is a lazy
//! route; the server refuses every call of them from any other role.

pub mod accounts;
pub mod audit;
pub mod clusters;
pub mod displays;
pub mod import;
pub mod movement_editor;
pub mod movements;
pub mod units;

use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(AdminHome, admin_home, staff);

fn admin_home() -> impl IntoView {
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    view! {
        <Title text=move || lang.get().pick("Quản trị", "Administration").to_string()/>
        <section class="card">
            <h1>{t("Quản trị", "Administration")}</h1>
            <ul class="unit-list" data-testid="admin-links">
                <li><a href=crate::routes::ADMIN_MOVEMENTS>{t("Phong trào thi đua", "Emulation movements")}</a></li>
                <li><a href=crate::routes::ADMIN_ACCOUNTS>{t("Tài khoản", "Accounts")}</a></li>
                <li><a href=crate::routes::ADMIN_DISPLAYS>{t("Đường dẫn màn hình họp", "Meeting display links")}</a></li>
                <li><a href=crate::routes::ADMIN_UNITS>{t("Đơn vị", "Units")}</a></li>
                <li><a href=crate::routes::ADMIN_CLUSTERS>{t("Cụm, khối thi đua", "Clusters and blocks")}</a></li>
                <li><a href=crate::routes::ADMIN_IMPORT>{t("Nhập danh mục hành chính", "Import the administrative catalogue")}</a></li>
                <li><a href=crate::routes::ADMIN_AUDIT>{t("Nhật ký thay đổi", "Audit log")}</a></li>
            </ul>
        </section>
    }
}

/// `<option>`s of units for a picker, the selected one marked.
pub(crate) fn unit_options(units: &[crate::api::units::UnitItem], selected: &str) -> impl IntoView {
    units
        .iter()
        .map(|u| {
            let id = u.unit.id.clone();
            let sel = id == selected;
            view! { <option value=id selected=sel>{u.unit.name.clone()}</option> }
        })
        .collect_view()
}
