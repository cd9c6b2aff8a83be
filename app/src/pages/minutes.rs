//! `/hoi-dong/bien-ban/:id`: the minutes of a closed council sitting: who
//! was a member, who attended, the rule, and each nomination's count and
//! result. Printable.

use crate::api::council::{council_minutes, Minutes};
use crate::components::status::loaded;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

crate::lazy_page!(MinutesPage, minutes_page, staff);

fn minutes_page() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let minutes = Resource::new(move || params.with(|p| p.get("id").unwrap_or_default()), council_minutes);
    view! {
        <Title text=move || lang.get().pick("Biên bản họp Hội đồng", "Council minutes").to_string()/>
        <section class="card minutes">
            {loaded(minutes, move |m, l| minutes_view(m, l).into_any())}
        </section>
    }
}

fn minutes_view(m: &Minutes, l: Lang) -> impl IntoView {
    let time = crate::pages::review::short_time;
    view! {
        <h1>{l.pick("Biên bản họp Hội đồng Thi đua – Khen thưởng", "Minutes of the Emulation and Awards Council")}</h1>
        <p><strong>{m.title.clone()}</strong></p>
        <p class="muted">{format!("{} {} · {} {}", l.pick("Mở:", "Opened:"), time(&m.opened_at), l.pick("kết thúc:", "closed:"), time(&m.closed_at))}</p>
        <p data-testid="attendance">{format!("{} {}/{} {}: {}", l.pick("Dự họp", "Attended"), m.attended.len(), m.members.len(), l.pick("thành viên", "members"), m.attended.join(", "))}</p>
        <p class="muted">{m.rule_vi.clone()}</p>
        <div class="table-wrap" tabindex="0"><table data-testid="minutes-results">
            <thead><tr>
                <th>{l.pick("Đối tượng", "Nominee")}</th><th>{l.pick("Đơn vị", "Unit")}</th><th>{l.pick("Hình thức", "Form")}</th>
                <th class="num">{l.pick("Đồng ý", "Approve")}</th><th class="num">{l.pick("Không đồng ý", "Reject")}</th>
                <th class="num">{l.pick("Không biểu quyết", "Abstain")}</th><th>{l.pick("Kết quả", "Result")}</th>
            </tr></thead>
            <tbody>{m.rows.iter().map(|r| view! {
                <tr data-nomination=r.nomination.clone()>
                    <td>{r.name.clone()}</td><td>{r.unit_name.clone()}</td><td>{r.form_name.clone()}</td>
                    <td class="num">{r.tally.approve}</td><td class="num">{r.tally.reject}</td><td class="num">{r.tally.abstain}</td>
                    <td data-testid="outcome">{r.outcome.label_vi()}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
}
