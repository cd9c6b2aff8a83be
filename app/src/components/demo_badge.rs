use crate::i18n::Lang;
use leptos::prelude::*;

/// Marks illustrative data so nobody takes a demo village for a real one.
pub fn demo_badge(l: Lang) -> impl IntoView {
    view! {
        " "
        <span class="badge demo" title=l.pick("Dữ liệu minh họa, không phải dữ liệu thật", "Illustrative data, not real")>
            {l.pick("minh họa", "demo")}
        </span>
    }
}
