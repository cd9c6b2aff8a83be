//! `/guong-dien-hinh`: published exemplary stories, public and server
//! rendered, by commune (`?don-vi=`) and content area (`?noi-dung=`).

use crate::api::showcase::{showcase_list, Showcase};
use crate::components::status::loaded;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

crate::lazy_page!(ShowcasePage, showcase_page, public);

fn showcase_page() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        query
            .with(|q| (q.get("don-vi").unwrap_or_default(), q.get("noi-dung").unwrap_or_default(), q.get("phong-trao").unwrap_or_default()))
    };
    let data = Resource::new(args, |(u, a, m)| showcase_list(u, a, m));
    view! {
        <Title text=move || lang.get().pick("Gương điển hình", "Exemplary stories").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Gương điển hình", "Exemplary stories")}</h1>
            {loaded(data, move |s, l| list(s, l, args()).into_any())}
        </section>
    }
}

fn list(s: &Showcase, l: Lang, (unit, area, _): (String, String, String)) -> impl IntoView {
    let mv = crate::components::movement_picker::linked(&s.movements, &s.movement);
    view! {
        {crate::components::movement_picker::movement_picker(&s.movements, &s.movement, l, crate::routes::SHOWCASE)}
        <form method="get" action=crate::routes::SHOWCASE class="search">
            {(!mv.is_empty()).then(|| view! { <input type="hidden" name="phong-trao" value=mv.clone()/> })}
            <label class="field"><span>{l.pick("Đơn vị", "Unit")}</span>
                <select name="don-vi" data-testid="showcase-unit">
                    <option value="">{l.pick("Tất cả", "All")}</option>
                    {s.units.iter().map(|(id, name)| view! { <option value=id.clone() selected=*id == unit>{name.clone()}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{l.pick("Nội dung thi đua", "Content area")}</span>
                <select name="noi-dung" data-testid="showcase-area">
                    <option value="">{l.pick("Tất cả", "All")}</option>
                    {s.areas.iter().map(|(code, title)| view! { <option value=code.clone() selected=*code == area>{title.clone()}</option> }).collect_view()}
                </select></label>
            <button type="submit" class="primary">{l.pick("Xem", "Show")}</button>
        </form>
        <ul class="stories" data-testid="stories">
            {s.stories.iter().map(|st| view! {
                <li><a href=crate::routes::story(&st.id)><strong>{st.title.clone()}</strong></a>
                    <p class="muted">{format!("{} · {}", st.unit_name, st.area_title)}</p></li>
            }).collect_view()}
        </ul>
        {s.stories.is_empty().then(|| view! { <p class="muted">{l.pick("Chưa có câu chuyện nào.", "No stories yet.")}</p> })}
    }
}
