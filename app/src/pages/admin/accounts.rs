//! Accounts: list, create for a unit, reset a password, turn off or on.

use crate::api::admin::{admin_accounts, admin_create_account, admin_reset_password, admin_set_active, AccountRow};
use crate::api::units::list_units;
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::auth::Role;
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(AccountsPage, accounts_page, staff);

fn accounts_page() -> impl IntoView {
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    let accounts = Resource::new(|| (), |_| admin_accounts());
    let units = Resource::new(|| (), |_| list_units());
    let notice: Notice = RwSignal::new(None);
    let create = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        let call = admin_create_account(f.get("username"), f.get("display_name"), f.get("role"), f.get("unit"), f.get("password"));
        run(notice, "Đã tạo tài khoản. / Account created.", call, move |_| accounts.refetch());
    };
    let reset = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(notice, "Đã đặt lại mật khẩu. / Password reset.", admin_reset_password(f.get("username"), f.get("password")), |_| {});
    };
    view! {
        <Title text=move || lang.get().pick("Tài khoản", "Accounts").to_string()/>
        <section class="card">
            <h1>{t("Tài khoản", "Accounts")}</h1>
            <NoticeLine notice/>
            {loaded(accounts, move |rows, l| account_table(rows, l, notice, accounts).into_any())}
        </section>
        <section class="card">
            <h2>{t("Tạo tài khoản", "Create an account")}</h2>
            {loaded(units, move |u, l| create_form(u, l, create).into_any())}
        </section>
        <section class="card">
            <h2>{t("Đặt lại mật khẩu", "Reset a password")}</h2>
            <form on:submit=reset>
                <label class="field"><span>{t("Tên đăng nhập", "Username")}</span>
                    <input name="username" required autocapitalize="none"/></label>
                <label class="field"><span>{t("Mật khẩu mới", "New password")}</span>
                    <input name="password" type="text" required minlength="10" autocomplete="off"/></label>
                <button type="submit" class="primary">{t("Đặt lại", "Reset")}</button>
            </form>
        </section>
    }
}

fn create_form(units: &[crate::api::units::UnitItem], l: Lang, create: impl Fn(leptos::ev::SubmitEvent) + 'static) -> impl IntoView {
    view! {
        <form on:submit=create data-testid="create-account">
            <label class="field"><span>{l.pick("Tên đăng nhập", "Username")}</span>
                <input name="username" required autocapitalize="none" autocomplete="off" data-testid="new-username"/></label>
            <label class="field"><span>{l.pick("Họ và tên", "Full name")}</span>
                <input name="display_name" required data-testid="new-display-name"/></label>
            <label class="field"><span>{l.pick("Vai trò", "Role")}</span>
                <select name="role" data-testid="new-role">
                    {Role::ALL.into_iter().map(|r| view! { <option value=r.code()>{l.pick(r.label_vi(), r.label_en())}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{l.pick("Đơn vị", "Unit")}</span>
                <select name="unit" data-testid="new-unit">{super::unit_options(units, "")}</select></label>
            <label class="field"><span>{l.pick("Mật khẩu ban đầu (ít nhất 10 ký tự)", "First password (at least 10 characters)")}</span>
                <input name="password" type="text" required minlength="10" autocomplete="off" data-testid="new-password"/></label>
            <button type="submit" class="primary" data-testid="create-account-submit">{l.pick("Tạo tài khoản", "Create account")}</button>
        </form>
    }
}

fn account_table(rows: &[AccountRow], l: Lang, notice: Notice, accounts: Resource<Result<Vec<AccountRow>, AppError>>) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0">
        <table data-testid="accounts">
            <thead><tr>
                <th>{l.pick("Tên đăng nhập", "Username")}</th>
                <th>{l.pick("Họ và tên", "Name")}</th>
                <th>{l.pick("Vai trò", "Role")}</th>
                <th>{l.pick("Đơn vị", "Unit")}</th>
                <th>{l.pick("Trạng thái", "State")}</th>
            </tr></thead>
            <tbody>
                {rows.iter().map(|a| {
                    let (username, active) = (a.username.clone(), a.active);
                    let toggle = move |_| {
                        let note = if active { "Đã khóa tài khoản. / Account turned off." } else { "Đã mở lại tài khoản. / Account turned on." };
                        run(notice, note, admin_set_active(username.clone(), !active), move |_| accounts.refetch());
                    };
                    view! {
                        <tr>
                            <td>{a.username.clone()}</td>
                            <td>{a.display_name.clone()}</td>
                            <td>{l.pick(a.role.label_vi(), a.role.label_en())}</td>
                            <td>{a.unit_name.clone()}</td>
                            <td><button type="button" class="small" on:click=toggle>
                                {if a.active { l.pick("Đang dùng · Khóa", "Active · Turn off") } else { l.pick("Đã khóa · Mở lại", "Off · Turn on") }}
                            </button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
