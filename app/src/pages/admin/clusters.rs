//! Clusters and blocks: name, members and the head unit.

use crate::api::admin::admin_save_cluster;
use crate::api::units::{list_clusters, list_units, ClusterView, UnitItem};
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::unit::UnitKind;
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(ClustersAdminPage, clusters_admin_page, staff);

fn clusters_admin_page() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| async { Ok::<_, AppError>((list_clusters().await?, list_units().await?)) });
    let notice: Notice = RwSignal::new(None);
    let save = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        let call = admin_save_cluster(f.get("id"), f.get("name"), f.get("kind"), f.get("head"), f.all("members"));
        run(notice, "Đã lưu cụm, khối. / Saved.", call, move |_| data.refetch());
    };
    view! {
        <Title text=move || lang.get().pick("Cụm, khối thi đua", "Clusters and blocks").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Cụm, khối thi đua", "Clusters and blocks")}</h1>
            <p class="muted">{move || lang.get().pick(
                "Mã có sẵn (ví dụ nh-cum-1) để sửa; mã mới để lập cụm mới. Cụm trưởng phải là thành viên.",
                "An existing id (e.g. nh-cum-1) edits it; a new id forms a new one. The head must be a member.")}</p>
            {loaded(data, move |(cs, us), l| cluster_form(cs, us, l, save).into_any())}
            <NoticeLine notice/>
        </section>
    }
}

fn cluster_form(clusters: &[ClusterView], units: &[UnitItem], l: Lang, save: impl Fn(leptos::ev::SubmitEvent) + 'static) -> impl IntoView {
    // Members are chosen among the units that take part in rankings.
    let candidates: Vec<&UnitItem> =
        units.iter().filter(|u| !matches!(u.unit.kind, UnitKind::Province | UnitKind::District | UnitKind::Village)).collect();
    view! {
        <ul class="unit-list">
            {clusters.iter().map(|c| view! {
                <li><strong>{c.id.clone()}</strong>" · "{c.name.clone()}" ("{c.members.len()}")"</li>
            }).collect_view()}
        </ul>
        <form on:submit=save data-testid="cluster-form">
            <label class="field"><span>{l.pick("Mã cụm, khối", "Id")}</span>
                <input name="id" required autocapitalize="none" data-testid="cluster-id"/></label>
            <label class="field"><span>{l.pick("Tên", "Name")}</span>
                <input name="name" required data-testid="cluster-name"/></label>
            <label class="field"><span>{l.pick("Loại", "Kind")}</span>
                <select name="kind">
                    <option value="cluster">{l.pick("Cụm thi đua", "Cluster")}</option>
                    <option value="block">{l.pick("Khối thi đua", "Block")}</option>
                </select></label>
            <fieldset class="field">
                <legend>{l.pick("Thành viên", "Members")}</legend>
                {candidates.iter().map(|u| view! {
                    <label class="check"><input type="checkbox" name="members" value=u.unit.id.clone()/>" "{u.unit.name.clone()}</label>
                }).collect_view()}
            </fieldset>
            <label class="field"><span>{l.pick("Đơn vị cụm trưởng", "Head unit")}</span>
                <select name="head">
                    <option value="">{l.pick("(chưa chọn)", "(none)")}</option>
                    {candidates.iter().map(|u| view! { <option value=u.unit.id.clone()>{u.unit.name.clone()}</option> }).collect_view()}
                </select></label>
            <button type="submit" class="primary" data-testid="cluster-save">{l.pick("Lưu", "Save")}</button>
        </form>
    }
}
