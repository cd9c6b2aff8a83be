//! The meeting-room display at a kiosk link: full screen, clusters and their
//! units, an "as of" time. No sign-in; a revoked link shows why it stopped.
//! Scores, rotation and live updates come with the leaderboards.

use crate::api::display::{display_board, Board};
use crate::components::status::loaded;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

crate::lazy_page!(DisplayPage, display_page);

fn display_page() -> impl IntoView {
    let params = use_params_map();
    let board = Resource::new(move || params.with(|p| p.get("token").unwrap_or_default()), display_board);
    view! {
        <Title text="Bảng thi đua"/>
        <div class="display" data-testid="display">
            {loaded(board, |b, l| board_view(b, l).into_any())}
        </div>
    }
}

fn board_view(b: &Board, l: Lang) -> impl IntoView {
    view! {
        <h1>{b.display_name.clone()}</h1>
        <p class="as-of" data-testid="as-of">{l.pick("Số liệu lúc ", "As of ")}{b.as_of.get(..16).unwrap_or_default().replace('T', " ")}" UTC"</p>
        <div class="boards">
            {b.clusters.iter().map(|c| view! {
                <section class="board" data-testid="board">
                    <h2>{c.name.clone()}</h2>
                    <ol>{c.units.iter().map(|u| view! { <li>{u.clone()}</li> }).collect_view()}</ol>
                </section>
            }).collect_view()}
        </div>
    }
}
