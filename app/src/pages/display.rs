//! The meeting-room display at a kiosk link: full screen, each cluster's
//! units ranked with their scores and bands, an "as of" time. No sign-in; a
//! revoked link shows why it stopped. It rotates through the clusters every
//! `?giay=` seconds (15 by default; 0 shows them all at once). Live updates:
//! issue 6.

use crate::api::display::{display_board, Board};
use crate::components::status::loaded;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

crate::lazy_page!(DisplayPage, display_page);

fn display_page() -> impl IntoView {
    let params = use_params_map();
    let board = Resource::new(move || params.with(|p| p.get("token").unwrap_or_default()), display_board);
    let seconds = use_query_map().with_untracked(|q| q.get("giay").and_then(|s| s.parse::<u64>().ok())).unwrap_or(15);
    // Which cluster is on screen; advanced by a timer in the browser only.
    let shown = RwSignal::new(0usize);
    if seconds > 0 {
        Effect::new(move |_| {
            let h = set_interval_with_handle(move || shown.update(|i| *i = i.wrapping_add(1)), std::time::Duration::from_secs(seconds));
            if let Ok(h) = h {
                on_cleanup(move || h.clear());
            }
        });
    }
    let rotating = seconds > 0;
    view! {
        <Title text="Bảng thi đua"/>
        <div class="display" class:rotating=rotating data-testid="display">
            {loaded(board, move |b, l| board_view(b, l, shown).into_any())}
        </div>
    }
}

fn board_view(b: &Board, l: Lang, shown: RwSignal<usize>) -> impl IntoView {
    let n = b.clusters.len().max(1);
    view! {
        <h1>{b.display_name.clone()}</h1>
        <p class="as-of" data-testid="as-of">{b.period_vi.clone()}" · "{l.pick("Số liệu lúc ", "As of ")}{crate::domain::date::vn_time_from_utc(&b.as_of).unwrap_or_default()}</p>
        <div class="boards">
            {b.clusters.iter().enumerate().map(|(k, c)| view! {
                <section class="board" class:active=move || shown.get() % n == k data-testid="board">
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
