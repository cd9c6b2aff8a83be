//! Clusters and blocks, with their head unit and members.

use crate::api::units::{list_clusters, ClusterView};
use crate::components::demo_badge::demo_badge;
use crate::components::status::loaded;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(ClustersPage, clusters_page, public);

fn clusters_page() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| list_clusters());
    view! {
        <Title text=move || lang.get().pick("Cụm, khối thi đua", "Clusters and blocks").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Cụm, khối thi đua", "Clusters and blocks")}</h1>
            <p class="small">{move || lang.get().pick(
                "Các đơn vị trong cùng cụm, khối thi đua với nhau; cụm trưởng được đánh dấu ★.",
                "Units in one cluster or block compete with each other; the head unit is marked ★.")}</p>
        </section>
        {loaded(data, |cs, l| if cs.is_empty() {
            view! { <p class="card muted">{l.pick("Chưa có cụm, khối nào.", "No clusters yet.")}</p> }.into_any()
        } else {
            cs.iter().map(|c| card(c, l)).collect_view().into_any()
        })}
    }
}

fn card(c: &ClusterView, l: Lang) -> impl IntoView {
    let head = c.head.as_deref();
    view! {
        <section class="card" data-testid="cluster">
            <p class="eyebrow">{if c.block { l.pick("Khối thi đua", "Block") } else { l.pick("Cụm thi đua", "Cluster") }}</p>
            <h2>{c.name.clone()}{c.demo.then(|| demo_badge(l))}</h2>
            <ul class="unit-list">
                {c.members.iter().map(|m| view! {
                    <li>
                        <a href=crate::routes::unit(&m.id)>{m.name.clone()}</a>
                        {(head == Some(m.id.as_str())).then(|| view! {
                            " "<span class="badge head">{format!("★ {}", l.pick("cụm trưởng", "head"))}</span>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
