//! `/khen-thuong/so`: the district's awards register for the officer: every
//! decided award, filtered by name (without diacritics), unit, form and the
//! decision's year or month.

use crate::api::awards::{awards_register, Register};
use crate::components::status::loaded;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

crate::lazy_page!(RegisterPage, register_page, public);

fn register_page() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            let g = |k: &str| q.get(k).unwrap_or_default();
            (g("q"), g("don-vi"), g("hinh-thuc"), g("ky"), g("phong-trao"))
        })
    };
    let data = Resource::new(args, |(q, u, f, p, m)| awards_register(q, u, f, p, m));
    view! {
        <Title text=move || lang.get().pick("Sổ khen thưởng", "Awards register").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Sổ khen thưởng", "Awards register")}</h1>
            {loaded(data, move |r, l| register_view(r, l, args()).into_any())}
        </section>
    }
}

fn register_view(r: &Register, l: Lang, (q, unit, form, period, _): (String, String, String, String, String)) -> impl IntoView {
    let mv = crate::components::movement_picker::linked(&r.movements, &r.movement);
    view! {
        {crate::components::movement_picker::movement_picker(&r.movements, &r.movement, l, crate::routes::REGISTER)}
        <form method="get" action=crate::routes::REGISTER class="search">
            {(!mv.is_empty()).then(|| view! { <input type="hidden" name="phong-trao" value=mv.clone()/> })}
            <label class="field"><span>{l.pick("Tên", "Name")}</span><input name="q" value=q data-testid="register-q"/></label>
            <label class="field"><span>{l.pick("Đơn vị", "Unit")}</span>
                <select name="don-vi" data-testid="register-unit">
                    <option value="">{l.pick("Tất cả", "All")}</option>
                    {r.units.iter().map(|(id, name)| view! { <option value=id.clone() selected=*id == unit>{name.clone()}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{l.pick("Hình thức", "Form")}</span>
                <select name="hinh-thuc" data-testid="register-form">
                    <option value="">{l.pick("Tất cả", "All")}</option>
                    {r.forms.iter().map(|(code, name)| view! { <option value=code.clone() selected=*code == form>{name.clone()}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{l.pick("Năm hoặc tháng (2022, 2022-01)", "Year or month (2022, 2022-01)")}</span><input name="ky" value=period data-testid="register-period"/></label>
            <button type="submit" class="primary" data-testid="register-submit">{l.pick("Lọc", "Filter")}</button>
        </form>
        <div class="table-wrap" tabindex="0"><table data-testid="register">
            <thead><tr><th>{l.pick("Đối tượng", "Nominee")}</th><th>{l.pick("Đơn vị", "Unit")}</th><th>{l.pick("Hình thức", "Form")}</th>
                <th>{l.pick("Quyết định", "Decision")}</th><th>{l.pick("Ngày", "Date")}</th><th>{l.pick("Người ký", "Signed by")}</th></tr></thead>
            <tbody>{r.rows.iter().map(|a| view! {
                <tr><td>{a.name.clone()}</td><td>{a.unit_name.clone()}</td><td>{a.form_name.clone()}</td><td>{a.decision_number.clone()}</td>
                    <td>{crate::domain::date::parse_iso(&a.decision_date).map(crate::domain::date::format_vi).unwrap_or_default()}</td><td>{a.signer.clone()}</td></tr>
            }).collect_view()}</tbody>
        </table></div>
        {r.rows.is_empty().then(|| view! { <p class="muted">{l.pick("Không có khen thưởng nào khớp.", "No awards match.")}</p> })}
    }
}
