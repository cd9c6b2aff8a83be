//! A record of one's own: the unit's report as it was sent, with the
//! server's receipt, laid out to print or save as PDF from the phone. Built
//! from what the phone holds, so it works offline.

use super::editor::shown;
use crate::domain::report::ReportForm;
use crate::domain::sync::ItemBody;
use crate::i18n::{use_lang, Lang};
use crate::offline::item::{ItemState, LocalItem};
use leptos::prelude::*;

#[component]
pub(super) fn OwnPrintout(form: ReportForm, item: Memo<Option<LocalItem>>) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let sent = move || item.get().is_some_and(|i| !matches!(i.state, ItemState::Draft | ItemState::Error));
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <Show when=sent>
            <button type="button" data-testid="own-print-open" on:click=move |_| open.update(|o| *o = !*o)>
                {move || lang.get().pick("Xem bản in báo cáo đã gửi", "The sent report, to print")}
            </button>
        </Show>
        {move || {
            if !(open.get() && sent()) {
                return None;
            }
            let i = item.get()?;
            let l = lang.get();
            Some(view! {
                {page(&form, &i, l)}
                <button type="button" class="primary" data-testid="own-print" on:click=print>{l.pick("In / lưu PDF", "Print / save as PDF")}</button>
            })
        }}
    }
}

fn page(form: &ReportForm, i: &LocalItem, l: Lang) -> impl IntoView {
    let ItemBody::Report(b) = &i.body else { return ().into_any() };
    let label = form
        .periods
        .iter()
        .find(|p| p.code == b.period)
        .map(|p| l.pick(&p.label_vi, &p.label_en).to_string())
        .unwrap_or_else(|| b.period.clone());
    let total: f64 = b.scores.iter().filter_map(|s| s.points).filter(|p| p.is_finite()).sum();
    let receipt = match &i.receipt {
        Some(r) => format!(
            "{} {} · {} {} · {} {}",
            l.pick("Biên nhận", "Receipt"),
            r.hash.get(..12).unwrap_or_default(),
            l.pick("nhận lúc", "received"),
            r.server_time.get(..19).unwrap_or_default().replace('T', " "),
            l.pick("bản", "revision"),
            i.acked
        ),
        None => l.pick("Chưa có biên nhận: báo cáo đang chờ gửi.", "No receipt yet: the report waits to be sent.").to_string(),
    };
    view! {
        <article class="own-printout" data-testid="own-printout">
            <h2>{form.unit_name.clone()}</h2>
            <p><strong>{form.movement_name.clone()}</strong></p>
            <p>{l.pick("Báo cáo ", "Report for ")}{label}" · "{l.pick(i.state.label_vi(), i.state.label_en())}</p>
            <p data-testid="own-receipt">{receipt}</p>
            <table>
                <thead><tr><th>{l.pick("Tiêu chí", "Criterion")}</th><th>{l.pick("Điểm tự chấm", "Self-score")}</th><th>{l.pick("Minh chứng", "Evidence")}</th></tr></thead>
                <tbody>{form.criteria.iter().map(|c| {
                    let s = b.scores.iter().find(|s| s.area == c.area);
                    view! { <tr>
                        <td>{format!("{}. {}", c.no, l.pick(&c.title_vi, &c.title_en))}</td>
                        <td>{format!("{} / {}", shown(s.and_then(|s| s.points)), c.max_points)}</td>
                        <td>{s.map(|s| s.evidence.clone()).unwrap_or_default()}</td>
                    </tr> }
                }).collect_view()}
                <tr><td><strong>{l.pick("Tổng", "Total")}</strong></td><td><strong>{shown(Some(total))}</strong></td><td></td></tr></tbody>
            </table>
            <table>
                <tbody>{form.indicators.iter().map(|ind| {
                    let v = b.indicators.iter().find(|v| v.code == ind.code);
                    let value = match v {
                        Some(v) if v.denominator.is_some() || v.numerator.is_some() => format!("{} / {}", shown(v.numerator), shown(v.denominator)),
                        Some(v) => shown(v.value),
                        None => String::new(),
                    };
                    view! { <tr><td>{l.pick(&ind.name_vi, &ind.name_en).to_string()}</td><td>{value}</td></tr> }
                }).collect_view()}</tbody>
            </table>
            <p><strong>{l.pick("Kết quả nổi bật: ", "Achievements: ")}</strong>{b.achievements.clone()}</p>
        </article>
    }
    .into_any()
}
