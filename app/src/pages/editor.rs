//! `/bien-tap`: the media officer's desk: stories units sent, to edit and
//! publish, and a form for a new story.

use crate::api::showcase::{showcase_inbox, showcase_publish, EditorDesk};
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(EditorPage, editor_page, staff);

type Desk = Resource<Result<EditorDesk, AppError>>;

fn editor_page() -> impl IntoView {
    let lang = use_lang();
    let query = crate::components::movement_picker::page_query();
    let desk: Desk = Resource::new(move || query.get().1, showcase_inbox);
    let notice: Notice = RwSignal::new(None);
    view! {
        <Title text=move || lang.get().pick("Biên tập gương điển hình", "Edit stories").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Biên tập gương điển hình", "Edit stories")}</h1>
            <NoticeLine notice/>
            {loaded(desk, move |d, l| desk_view(d, l, notice, desk).into_any())}
        </section>
    }
}

/// The edit-and-publish form, filled from a unit's story or empty.
fn story_form(d: &EditorDesk, l: Lang, notice: Notice, desk: Desk, from: String, story: crate::domain::story::StoryBody) -> impl IntoView {
    let crate::domain::story::StoryBody { unit, title, area, text, .. } = story;
    let publish = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(
            notice,
            "Đã đăng. / Published.",
            showcase_publish(f.get("from"), f.get("unit"), f.get("title"), f.get("area"), f.get("text"), f.get("movement")),
            move |_| desk.refetch(),
        );
    };
    view! {
        <form on:submit=publish data-testid="publish-form">
            <input type="hidden" name="from" value=from/>
            <input type="hidden" name="movement" value=d.movement.clone()/>
            <label class="field"><span>{l.pick("Đơn vị", "Unit")}</span>
                <select name="unit">{d.units.iter().map(|(id, name)| view! { <option value=id.clone() selected=*id == unit>{name.clone()}</option> }).collect_view()}</select></label>
            <label class="field"><span>{l.pick("Nội dung thi đua", "Content area")}</span>
                <select name="area">{d.areas.iter().map(|(code, t)| view! { <option value=code.clone() selected=*code == area>{t.clone()}</option> }).collect_view()}</select></label>
            <label class="field"><span>{l.pick("Tiêu đề", "Title")}</span><input name="title" required maxlength="200" value=title data-testid="publish-title"/></label>
            <label class="field"><span>{l.pick("Nội dung", "Text")}</span><textarea name="text" required maxlength="8000" rows="6" data-testid="publish-text">{text}</textarea></label>
            <button type="submit" class="primary" data-testid="publish-submit">{l.pick("Đăng công khai", "Publish")}</button>
        </form>
    }
}

fn desk_view(d: &EditorDesk, l: Lang, notice: Notice, desk: Desk) -> impl IntoView {
    view! {
        {crate::components::movement_picker::movement_picker(&d.movements, &d.movement, l, crate::routes::EDITOR)}
        <p><a href=crate::routes::in_movement(crate::routes::SHOWCASE, &crate::components::movement_picker::linked(&d.movements, &d.movement))>
            {l.pick("Trang công khai", "Public page")}</a></p>
        <h2>{l.pick("Đơn vị gửi", "From units")}</h2>
        <ul class="drafts">
            {d.drafts.iter().map(|s| view! {
                <li data-testid="draft">
                    <details>
                        <summary><strong>{s.body.title.clone()}</strong>{format!(" · {} · {}", s.unit_name, s.area_title)}
                            {s.published.then(|| view! { <span class="badge">{l.pick(" Đã đăng", " Published")}</span> })}</summary>
                        {crate::components::evidence::evidence_thumbs(&s.body.files, None, l)}
                        {story_form(d, l, notice, desk, s.id.clone(), s.body.clone())}
                    </details>
                </li>
            }).collect_view()}
        </ul>
        <h2>{l.pick("Viết mới", "New story")}</h2>
        {story_form(d, l, notice, desk, String::new(), Default::default())}
    }
}
