//! `/quyet-dinh`: the award decisions of a movement (`?phong-trao=`, default
//! the current one), public: name, unit, form and the decision, searchable
//! without diacritics (`?q=`), and the check of a certificate's verification
//! code (`?ma=`, any movement's). Nothing personal is shown.

use crate::api::awards::{awards_public, PublicAward, PublicAwards};
use crate::components::status::loaded;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

crate::lazy_page!(DecisionsPage, decisions_page, public);

fn decisions_page() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args =
        move || query.with(|q| (q.get("q").unwrap_or_default(), q.get("ma").unwrap_or_default(), q.get("phong-trao").unwrap_or_default()));
    let data = Resource::new(args, |(q, code, m)| awards_public(q, code, m));
    view! {
        <Title text=move || lang.get().pick("Quyết định khen thưởng", "Award decisions").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Quyết định khen thưởng", "Award decisions")}</h1>
            <form method="get" action=crate::routes::DECISIONS class="search">
                <input type="hidden" name="phong-trao" prop:value=move || args().2/>
                <label class="field"><span>{move || lang.get().pick("Mã xác minh trên giấy khen", "Verification code on the certificate")}</span>
                    <input name="ma" maxlength="20" autocapitalize="characters" data-testid="verify-code" prop:value=move || args().1/></label>
                <label class="field"><span>{move || lang.get().pick("Tìm theo tên, đơn vị", "Search by name or unit")}</span>
                    <input name="q" maxlength="100" data-testid="search" prop:value=move || args().0/></label>
                <button type="submit" class="primary" data-testid="search-submit">{move || lang.get().pick("Tra cứu", "Look up")}</button>
            </form>
            {loaded(data, move |d, l| results(d, l).into_any())}
        </section>
    }
}

fn results(d: &PublicAwards, l: Lang) -> impl IntoView {
    let picker = crate::components::movement_picker::movement_picker(&d.movements, &d.movement, l, crate::routes::DECISIONS);
    let line = |a: &PublicAward| {
        format!(
            "{} — {} — {} (Quyết định số {}, ngày {})",
            a.name,
            a.unit_name,
            a.form_name,
            a.decision_number,
            crate::domain::date::parse_iso(&a.decision_date).map(crate::domain::date::format_vi).unwrap_or_default()
        )
    };
    view! {
        {picker}
        {d.checked.clone().map(|(code, hit)| match hit {
            Some(a) => view! { <p class="ok" data-testid="verified">{l.pick("Mã ", "Code ")}{code}{l.pick(" hợp lệ: ", " is valid: ")}{line(&a)}</p> }.into_any(),
            None => view! { <p class="error" data-testid="not-verified">{l.pick("Không có giấy khen nào mang mã ", "No certificate carries the code ")}{code}</p> }.into_any(),
        })}
        <ul class="decisions" data-testid="decisions">
            {d.awards.iter().map(|a| view! { <li>{line(a)}</li> }).collect_view()}
        </ul>
        {d.awards.is_empty().then(|| view! { <p class="muted">{l.pick("Chưa có quyết định nào.", "No decisions yet.")}</p> })}
    }
}
