//! `/guong-dien-hinh/:id`: one published story, shareable. Its text is
//! whatever a unit or editor typed, so it is only ever rendered as text.

use crate::api::showcase::{showcase_story, Published};
use crate::components::status::loaded;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

crate::lazy_page!(StoryPage, story_page, public);

fn story_page() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let story = Resource::new(move || params.with(|p| p.get("id").unwrap_or_default()), showcase_story);
    view! {
        <Title text=move || lang.get().pick("Gương điển hình", "Exemplary story").to_string()/>
        <p><a href=crate::routes::SHOWCASE>{move || lang.get().pick("← Gương điển hình", "← Exemplary stories")}</a></p>
        <article class="card story">{loaded(story, move |s, l| view_story(s, l).into_any())}</article>
    }
}

fn view_story(s: &Published, l: Lang) -> impl IntoView {
    let _ = l;
    view! {
        <Title text=s.title.clone()/>
        <Meta property="og:title" content=s.title.clone()/>
        <h1 data-testid="story-title">{s.title.clone()}</h1>
        <p class="muted">{format!("{} · {}", s.unit_name, s.area_title)}</p>
        <p class="prose" data-testid="story-text">{s.text.clone()}</p>
    }
}
