//! `/bang-xep-hang?cum=…&ky=…`: a cluster's or block's leaderboard for a
//! period: rank and its change since last month, score and band, whether the
//! district has appraised it, the tie-break rule, and where each unit lost
//! points.

use crate::api::leaderboard::{leaderboard, Board};
use crate::components::status::loaded;
use crate::domain::text::format_decimal_vi;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

crate::lazy_page!(LeaderboardPage, leaderboard_page, public);

fn leaderboard_page() -> impl IntoView {
    let lang = use_lang();
    let q = use_query_map();
    let args = Memo::new(move |_| {
        q.with(|q| (q.get("cum").unwrap_or_default(), q.get("ky").unwrap_or_default(), q.get("phong-trao").unwrap_or_default()))
    });
    let board = Resource::new(move || args.get(), |(c, p, m)| leaderboard(c, p, m));
    view! {
        <Title text=move || lang.get().pick("Bảng xếp hạng", "Leaderboard").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Bảng xếp hạng thi đua", "Emulation leaderboard")}</h1>
            {loaded(board, |b, l| board_view(b, l).into_any())}
        </section>
    }
}

fn board_view(b: &Board, l: Lang) -> impl IntoView {
    let navigate = use_navigate();
    let (cluster, period) = (b.cluster.clone(), b.period.clone());
    let m = crate::components::movement_picker::linked(&b.movements, &b.movement);
    let nav = navigate.clone();
    let (m2, m3) = (m.clone(), m.clone());
    let pick_cluster =
        move |ev: leptos::ev::Event| nav(&crate::routes::leaderboard(&event_target_value(&ev), &period, &m2), Default::default());
    let pick_period =
        move |ev: leptos::ev::Event| navigate(&crate::routes::leaderboard(&cluster, &event_target_value(&ev), &m3), Default::default());
    let pts = |x: f64| format_decimal_vi(x, 2);
    view! {
        {crate::components::movement_picker::movement_picker(&b.movements, &b.movement, l, crate::routes::LEADERBOARD)}
        <div class="pickers">
            <label class="field"><span>{l.pick("Cụm, khối", "Cluster or block")}</span>
                <select on:change=pick_cluster data-testid="board-cluster">
                    {b.clusters.iter().map(|c| view! { <option value=c.id.clone() selected=c.id == b.cluster>{c.name.clone()}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>{l.pick("Kỳ", "Period")}</span>
                <select on:change=pick_period data-testid="board-period">
                    {b.periods.iter().map(|p| view! { <option value=p.code.clone() selected=p.code == b.period>{l.pick(&p.label_vi, &p.label_en).to_string()}</option> }).collect_view()}
                </select></label>
        </div>
        {b.staff.then(|| view! {
            <p class="actions">
                <a href=crate::routes::for_period(crate::routes::RANKINGS, &b.period, &m) rel="external" data-testid="rankings-link">{l.pick("Bản in mọi cụm, khối", "Print every board")}</a>
                " · "
                <a href=crate::routes::for_period(crate::routes::RANKINGS_XLSX, &b.period, &m) rel="external" download data-testid="rankings-xlsx">{l.pick("Tải XLSX", "Download XLSX")}</a>
            </p>
        })}
        <h2>{b.cluster_name.clone()}</h2>
        {(!b.basis_vi.is_empty()).then(|| view! { <p class="muted" data-testid="board-basis">{l.pick(&b.basis_vi, &b.basis_en).to_string()}</p> })}
        <ol class="ranking" data-testid="ranking">
            {b.rows.iter().map(|r| view! {
                <li data-testid="board-row" data-unit=r.unit.clone() data-rank=r.rank.to_string()>
                    <span class="rank">{r.rank}</span>
                    <span class="change" title=l.pick("Thay đổi so với tháng trước", "Change since last month")>{match r.change {
                        Some(c) if c > 0 => format!("▲{c}"),
                        Some(c) if c < 0 => format!("▼{}", -c),
                        Some(_) => "=".to_string(),
                        None => String::new(),
                    }}</span>
                    <span class="name">{r.unit_name.clone()}{r.demo.then(|| crate::components::demo_badge::demo_badge(l))}</span>
                    <strong class="total" data-testid="board-total">{pts(r.total)}</strong>
                    <span class="band">{r.band_vi.clone()}</span>
                    {(!r.appraised).then(|| view! { <span class="badge not-due">{l.pick("tự chấm, chưa thẩm định", "self-scored, not appraised")}</span> })}
                    <details>
                        <summary>{l.pick("Điểm chi tiết", "Details")}</summary>
                        <p class="muted">{format!("{} {} · {} +{} · {} −{}", l.pick("Bảng điểm", "Sheet"), pts(r.sheet), l.pick("thưởng", "bonus"), pts(r.bonus), l.pick("trừ", "deductions"), pts(r.deductions))}</p>
                        <ul>{r.lost.iter().map(|x| view! { <li>{format!("{}: −{}", x.criterion, pts(x.points))}</li> }).collect_view()}</ul>
                    </details>
                </li>
            }).collect_view()}
        </ol>
        <p class="muted" data-testid="tie-break">{b.tie_break_vi.clone()}</p>
    }
}
