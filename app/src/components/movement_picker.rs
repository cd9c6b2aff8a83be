//! The movement a page shows (`?phong-trao=`): read from the URL, and
//! picked among those the reader may open.

use crate::domain::views::MovementChoice;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The page's `?ky=` (period) and `?phong-trao=` (movement); empty: the
/// server's default.
pub fn page_query() -> Memo<(String, String)> {
    let q = use_query_map();
    Memo::new(move |_| q.with(|q| (q.get("ky").unwrap_or_default(), q.get("phong-trao").unwrap_or_default())))
}

/// Links to each movement the reader may open, the shown one marked; nothing
/// when there is only one. `base` is the page's path.
pub fn movement_picker(choices: &[MovementChoice], current: &str, l: Lang, base: &'static str) -> impl IntoView {
    (choices.len() > 1).then(|| {
        view! {
            <nav class="movement-picker" data-testid="movement-picker" aria-label=l.pick("Phong trào", "Movement")>
                {choices.iter().map(|c| view! {
                    <a href=crate::routes::in_movement(base, &c.code) aria-current=(c.code == current).then_some("page")
                        data-testid=format!("movement-{}", c.code)>{c.name.clone()}</a>
                }).collect_view()}
            </nav>
        }
    })
}

/// The movement a page's links carry: the shown one when the reader has a
/// choice, else none (the links stay as they were before several movements).
pub fn linked(choices: &[MovementChoice], current: &str) -> String {
    if choices.len() > 1 {
        current.to_string()
    } else {
        String::new()
    }
}
