//! The meeting-room display at a kiosk link: full screen, each cluster's
//! units ranked with their scores and bands, an "as of" time. No sign-in; a
//! revoked link shows why it stopped. Rotation and live updates: issue 6.

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
        <p class="as-of" data-testid="as-of">{b.period_vi.clone()}" · "{l.pick("Số liệu lúc ", "As of ")}{crate::domain::date::vn_time_from_utc(&b.as_of).unwrap_or_default()}</p>
        <div class="boards">
            {b.clusters.iter().map(|c| view! {
                <section class="board" data-testid="board">
                    <h2>{c.name.clone()}</h2>
                    <ol>{c.units.iter().map(|u| view! {
                        <li><span class="rank">{u.rank}</span>" "<span class="name">{u.name.clone()}</span>" "
                            <strong class="total">{crate::domain::text::format_decimal_vi(u.total, 2)}</strong>" "<span class="band">{u.band.clone()}</span></li>
                    }).collect_view()}</ol>
                </section>
            }).collect_view()}
        </div>
    }
}
