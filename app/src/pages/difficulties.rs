//! `/kho-khan`: the difficulties units raised, unanswered first; the officer
//! answers and the unit sees the answer at its next sync.

use crate::api::review::{review_answer, review_difficulties, review_void, Inbox};
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(DifficultiesPage, difficulties_page, staff);

type Rows = Resource<Result<Inbox, AppError>>;

fn difficulties_page() -> impl IntoView {
    let lang = use_lang();
    let rows: Rows = Resource::new(|| (), |_| review_difficulties());
    let notice: Notice = RwSignal::new(None);
    view! {
        <Title text=move || lang.get().pick("Khó khăn, vướng mắc", "Difficulties").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Khó khăn, vướng mắc", "Difficulties")}</h1>
            <NoticeLine notice/>
            {loaded(rows, move |d, l| list(d, l, notice, rows).into_any())}
        </section>
    }
}

fn list(inbox: &Inbox, l: Lang, notice: Notice, all: Rows) -> impl IntoView {
    let (rows, can_write) = (&inbox.rows, inbox.can_write);
    if rows.is_empty() {
        return view! { <p class="muted">{l.pick("Chưa có khó khăn nào được gửi.", "No difficulties raised yet.")}</p> }.into_any();
    }
    view! {
        <ul class="difficulties" data-testid="difficulties">
            {rows.iter().map(|d| {
                let id = d.id.clone();
                let answer = move |ev: leptos::ev::SubmitEvent| {
                    let f = Fields::of(&ev);
                    run(notice, "Đã gửi trả lời. / Answer sent.", review_answer(id.clone(), f.get("answer")), move |_| all.refetch());
                };
                let void_id = d.id.clone();
                let void = move |ev: leptos::ev::SubmitEvent| {
                    let f = Fields::of(&ev);
                    run(notice, "Đã hủy mục gửi nhầm. / Stray item voided.", review_void(void_id.clone(), f.get("reason")), move |_| all.refetch());
                };
                let answered = d.answer.is_some();
                view! {
                    <li class=if answered { "answered" } else { "open" } data-testid="difficulty">
                        <h2>{d.title.clone()}</h2>
                        <p class="muted">{d.unit_name.clone()}" · "{crate::pages::review::short_time(&d.received)}" · "
                            <strong>{if answered { l.pick("Đã trả lời", "Answered") } else { l.pick("Chờ trả lời", "Awaiting an answer") }}</strong></p>
                        <p class="prose">{d.details.clone()}</p>
                        {d.answer.clone().map(|a| view! { <p class="answer" data-testid="difficulty-answer">{l.pick("Trả lời: ", "Answer: ")}{a}</p> })}
                        {(!answered && can_write).then(|| view! {
                            <form on:submit=answer>
                                <label class="field"><span>{l.pick("Trả lời", "Answer")}</span>
                                    <textarea name="answer" required maxlength="4000" rows="3" data-testid="answer-input"></textarea></label>
                                <button type="submit" class="primary" data-testid="answer-submit">{l.pick("Gửi trả lời", "Send answer")}</button>
                            </form>
                            // A stray item (sent under an id that was not the unit's
                            // to take) is voided, not deleted: kept with the reason.
                            <details class="void">
                                <summary>{l.pick("Hủy mục gửi nhầm", "Void a stray item")}</summary>
                                <form on:submit=void>
                                    <label class="field"><span>{l.pick("Lý do hủy", "Reason for voiding")}</span>
                                        <input name="reason" required maxlength="500" data-testid="void-reason"/></label>
                                    <button type="submit" class="small" data-testid="void-submit">{l.pick("Hủy mục này", "Void this item")}</button>
                                </form>
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
