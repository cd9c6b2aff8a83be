//! The meeting-room display at a kiosk link: full screen, each cluster's
//! units ranked with their scores and bands, an "as of" time. No sign-in; a
//! revoked link shows why it stopped. It rotates through the clusters every
//! `?giay=` seconds (15 by default; 0 shows them all at once) and follows
//! changes live (`components::event_feed`); while the server cannot be
//! reached it keeps the last board, marked stale.

use crate::api::display::{display_board, live_url, Board, Standings};
use crate::components::status::loaded;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

crate::lazy_page!(DisplayPage, display_page, staff);

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
    let live = Live { standings: RwSignal::new(None), stale: RwSignal::new(false), revoked: RwSignal::new(false), shown };
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            let on_event = move |name: &str, data: String| match name {
                "board" => {
                    if let Ok(s) = serde_json::from_str::<Standings>(&data) {
                        live.standings.set(Some(s));
                    }
                }
                "revoked" => live.revoked.set(true),
                _ => {}
            };
            crate::components::event_feed::follow(live_url(&token), &["board", "ping", "revoked"], on_event, live.stale);
        }
    });
    let rotating = seconds > 0;
    view! {
        <Title text="Bảng thi đua"/>
        <div class="display" class:rotating=rotating class:stale=move || live.stale.get() data-testid="display">
            {loaded(board, move |b, l| board_view(b, l, live).into_any())}
        </div>
    }
}

#[derive(Clone, Copy)]
struct Live {
    /// The latest standings from the live feed (none yet: the first reading).
    standings: RwSignal<Option<Standings>>,
    stale: RwSignal<bool>,
    revoked: RwSignal<bool>,
    shown: RwSignal<usize>,
}

fn board_view(b: &Board, l: Lang, live: Live) -> impl IntoView {
    let first = b.standings.clone();
    let current = move || live.standings.get().unwrap_or_else(|| first.clone());
    let as_of = Memo::new({
        let current = current.clone();
        move |_| crate::domain::date::vn_time_from_utc(&current().as_of).unwrap_or_default()
    });
    view! {
        <h1>{b.display_name.clone()}</h1>
        {move || live.revoked.get().then(|| view! { <p class="revoked" role="alert">{crate::domain::AppError::display_link().to_string()}</p> })}
        <p class="stale-note" role="status" data-testid="stale" hidden=move || !live.stale.get()>
            {l.pick("Mất kết nối với máy chủ — bảng dưới đây là số liệu lúc ", "Connection lost — this board is as of ")}{as_of}
        </p>
        {move || {
            let s = current();
            standings_view(&s, l, live.shown)
        }}
    }
}

/// Rows on one screen: at projector sizes (numbers ≥ 1/15 of the height)
/// more do not fit, so a longer cluster turns over in pages.
const ROWS_PER_SCREEN: usize = 6;

fn standings_view(s: &Standings, l: Lang, shown: RwSignal<usize>) -> impl IntoView {
    let pages: Vec<(String, &[crate::api::display::BoardUnit])> = s
        .clusters
        .iter()
        .flat_map(|c| {
            let n = c.units.len().div_ceil(ROWS_PER_SCREEN).max(1);
            (0..n).map(move |k| {
                let title = if n > 1 { format!("{} ({}/{n})", c.name, k + 1) } else { c.name.clone() };
                (title, c.units.get(k * ROWS_PER_SCREEN..c.units.len().min((k + 1) * ROWS_PER_SCREEN)).unwrap_or_default())
            })
        })
        .collect();
    let n = pages.len().max(1);
    view! {
        <p class="as-of" data-testid="as-of" data-version=s.version>
            {s.period_vi.clone()}" · "{l.pick("Số liệu lúc ", "As of ")}{crate::domain::date::vn_time_from_utc(&s.as_of).unwrap_or_default()}
        </p>
        <div class="boards">
            {pages.into_iter().enumerate().map(|(k, (title, units))| view! {
                <section class="board" class:active=move || shown.get() % n == k data-testid="board">
                    <h2>{title}</h2>
                    <ol>{units.iter().map(|u| view! {
                        <li><span class="rank">{u.rank}</span>" "<span class="name">{u.name.clone()}</span>" "
                            <strong class="total">{crate::domain::text::format_decimal_vi(u.total, 2)}</strong>" "<span class="band">{u.band.clone()}</span></li>
                    }).collect_view()}</ol>
                </section>
            }).collect_view()}
        </div>
    }
}
