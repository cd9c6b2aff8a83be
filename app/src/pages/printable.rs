//! `/tong-hop/in`: the consolidated report laid out as a Vietnamese
//! administrative report (Nghị định 30/2020/NĐ-CP, Phụ lục I): issuing body
//! and number, the national motto, place and date, title, body, recipients
//! and the signature block. Printed from the browser (A4, Times New Roman).

use crate::api::consolidation::{consolidation_page, Consolidated};
use crate::api::review::{review_desk, Desk};
use crate::components::admin_doc::{doc_foot, doc_head};
use crate::components::movement_picker::page_query;
use crate::components::status::loaded;
use crate::domain::rollup::GroupBy;
use crate::domain::text::format_decimal_vi;
use crate::pages::consolidation::{cell_text, ratio_detail};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(PrintablePage, printable_page, staff);

fn printable_page() -> impl IntoView {
    let query = page_query();
    let data = Resource::new(move || query.get(), |(period, movement)| consolidation_page(period, movement, false));
    let desk = Resource::new(move || query.get(), |(period, movement)| review_desk(period, movement));
    view! {
        <Title text="Báo cáo tổng hợp".to_string()/>
        <p class="no-print"><button type="button" onclick="window.print()" class="primary">"In / Print"</button></p>
        {loaded(data, move |d, _| {
            let d = d.clone();
            loaded(desk, move |k, _| document(&d, k).into_any()).into_any()
        })}
    }
}

fn document(d: &Consolidated, desk: &Desk) -> impl IntoView {
    let v = &d.view;
    let w = d.words.clone();
    let total = v.tables.iter().find(|t| t.by == GroupBy::Total).and_then(|t| t.rows.first()).cloned();
    let evidence = total.as_ref().map(|r| r.evidence).unwrap_or(0);
    let rates = desk.rates.iter().find(|r| r.by == GroupBy::Total).map(|r| r.rates.clone()).unwrap_or_default();
    let pct = |x: Option<f64>| x.map(|p| format!("{} %", format_decimal_vi(p, 1))).unwrap_or_else(|| "–".into());
    view! {
        <article class="admin-doc" data-testid="printable">
            {doc_head(w.issuer.clone(), w.body.clone(), Some(w.number.clone()), w.place.clone(), d.today)}
            <h1 class="doc-title">"BÁO CÁO"</h1>
            <p class="doc-subtitle strong" data-testid="doc-subtitle">
                {format!("Tổng hợp kết quả thực hiện phong trào thi đua, {}", d.period_phrase)}
            </p>
            <p class="doc-body">
                {format!(
                    "{} báo cáo kết quả tổng hợp {} như sau: có {} đơn vị phải báo cáo, đã nhận {} báo cáo \
                     (tỷ lệ báo cáo {}, đúng hạn {}; kèm {} tệp minh chứng); {} đơn vị quá hạn chưa nộp.",
                    w.reporter, d.period_phrase, rates.expected, rates.submitted(), pct(rates.reporting_rate()), pct(rates.on_time_rate()), evidence, rates.missing
                )}
            </p>
            <p class="doc-body strong">"1. Các chỉ số tổng hợp toàn địa bàn"</p>
            <table class="doc-table"><thead><tr><th>"TT"</th><th>"Chỉ số"</th><th>"Kết quả"</th><th>"Ghi chú"</th></tr></thead>
                <tbody>
                    {total.map(|row| v.indicators.iter().zip(row.cells).enumerate().map(|(k, (i, c))| view! {
                        <tr><td>{k + 1}</td><td>{i.name_vi.clone()}</td><td class="num">{cell_text(i, &c)}</td><td>{ratio_detail(i, &c).unwrap_or_default()}</td></tr>
                    }).collect_view())}
                </tbody>
            </table>
            <p class="doc-body strong">"2. Tình hình báo cáo theo cụm, khối và nhóm đối tượng"</p>
            <table class="doc-table"><thead><tr><th>"Cụm, khối, nhóm"</th><th>"Phải nộp"</th><th>"Đã nộp"</th><th>"Đúng hạn"</th><th>"Tỷ lệ"</th></tr></thead>
                <tbody>
                    {desk.rates.iter().filter(|r| r.by != GroupBy::Total).map(|r| view! {
                        <tr><td>{r.name.clone()}</td><td class="num">{r.rates.expected}</td><td class="num">{r.rates.submitted()}</td>
                            <td class="num">{r.rates.on_time + r.rates.in_grace}</td><td class="num">{pct(r.rates.reporting_rate())}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {doc_foot(w.recipients, w.signer)}
        </article>
    }
}
