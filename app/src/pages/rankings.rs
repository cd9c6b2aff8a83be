//! `/bang-xep-hang/in?ky=…`: every cluster's and block's ranking for a
//! period as the council's printed document (a sơ kết or tổng kết ranks over
//! its months): issuing body, motto, place and date, one table per board,
//! the basis and tie-break rule, and the signature block.

use crate::api::leaderboard::{all_boards, Rankings};
use crate::components::admin_doc::{doc_foot, doc_head, place_of};
use crate::components::movement_picker::page_query;
use crate::components::status::loaded;
use crate::domain::text::format_decimal_vi;
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(RankingsPage, rankings_page, staff);

fn rankings_page() -> impl IntoView {
    let query = page_query();
    let data = Resource::new(move || query.get(), |(period, movement)| all_boards(period, movement));
    view! {
        <Title text="Bảng xếp hạng thi đua".to_string()/>
        <p class="no-print"><button type="button" onclick="window.print()" class="primary">"In / Print"</button></p>
        {loaded(data, |r, _| document(r).into_any())}
    }
}

fn document(r: &Rankings) -> impl IntoView {
    let place = place_of(&r.organiser);
    let pts = |x: f64| format_decimal_vi(x, 2);
    view! {
        <article class="admin-doc" data-testid="rankings">
            {doc_head(r.issuer.clone(), "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG".into(), None, place, r.today)}
            <h1 class="doc-title">"BẢNG XẾP HẠNG THI ĐUA"</h1>
            <p class="doc-subtitle strong" data-testid="rankings-subtitle">{format!("{}, {}", r.movement_vi, r.period_phrase)}</p>
            {r.boards.iter().enumerate().map(|(k, b)| view! {
                <p class="doc-body strong">{format!("{}. {}", k + 1, b.cluster_name)}</p>
                {(!b.basis_vi.is_empty()).then(|| view! { <p class="doc-body italic" data-testid="rankings-basis">{b.basis_vi.clone()}</p> })}
                <table class="doc-table" data-testid="rankings-board" data-cluster=b.cluster.clone()>
                    <thead><tr><th>"Hạng"</th><th>"Đơn vị"</th><th>"Điểm bảng"</th><th>"Thưởng"</th><th>"Trừ"</th><th>"Tổng"</th><th>"Xếp loại"</th></tr></thead>
                    <tbody>
                        {b.rows.iter().map(|row| view! {
                            <tr data-unit=row.unit.clone()>
                                <td class="num">{row.rank}</td><td>{row.unit_name.clone()}</td>
                                <td class="num">{pts(row.sheet)}</td><td class="num">{pts(row.bonus)}</td><td class="num">{pts(row.deductions)}</td>
                                <td class="num strong" data-testid="rankings-total">{pts(row.total)}</td><td>{row.band_vi.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }).collect_view()}
            <p class="doc-body small">{r.boards.first().map(|b| b.tie_break_vi.clone())}</p>
            {doc_foot(
                ["- Các cụm, khối thi đua;", "- Các đơn vị;", "- Lưu: VT."].map(String::from).to_vec(),
                ["TM. HỘI ĐỒNG", "CHỦ TỊCH"].map(String::from).to_vec(),
            )}
        </article>
    }
}
