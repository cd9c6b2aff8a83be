//! Everything on this phone waiting to be sent or answered, with its state
//! and, for a conflict, the choice between the two copies.

use super::editor::shown;
use crate::domain::sync::ItemBody;
use crate::i18n::{use_lang, Lang};
use crate::offline::item::{ItemState, LocalItem};
use crate::offline::{use_offline, Offline};
use leptos::prelude::*;

#[component]
pub(super) fn ItemStatus(item: Memo<Option<LocalItem>>) -> impl IntoView {
    let lang = use_lang();
    let o = use_offline();
    move || {
        let l = lang.get();
        let Some(i) = item.get() else {
            return view! { <p class="state" data-testid="report-state" data-state="new">{l.pick("Chưa có bản nào trên máy.", "Nothing on this phone yet.")}</p> }.into_any();
        };
        view! {
            <p class=format!("state state-{}", i.state.code()) data-testid="report-state" data-state=i.state.code()>
                {l.pick(i.state.label_vi(), i.state.label_en())}
                {i.receipt.clone().filter(|_| matches!(i.state, ItemState::Synced | ItemState::Returned | ItemState::Accepted)).map(|r| view! {
                    " · " <span data-testid="receipt">{l.pick("Biên nhận ", "Receipt ")}{r.hash.get(..12).unwrap_or_default().to_string()}" · "{r.server_time.get(..19).unwrap_or_default().replace('T', " ")}</span>
                })}
            </p>
            {i.return_comment.clone().map(|c| view! { <p class="error" data-testid="return-comment">{returned_by(o, &i.body, l)}{c}</p> })}
            {(!i.errors.is_empty()).then(|| view! {
                <ul class="error" data-testid="server-errors">{i.errors.iter().map(|e| view! { <li>{l.pick(&e.message_vi, &e.message_en).to_string()}</li> }).collect_view()}</ul>
            })}
        }
        .into_any()
    }
}

/// "Huyện Ngọc Hồi trả lại: ": who returned an item, by the organiser's
/// name its form carries (the data's words, at any level of government).
fn returned_by(o: Offline, b: &ItemBody, l: Lang) -> String {
    match o.organiser_of(b.movement()) {
        Some(n) => l.pick(&format!("{n} trả lại: "), &format!("Returned by {n}: ")).to_string(),
        None => l.pick("Đơn vị tổ chức trả lại: ", "Returned by the organiser: ").to_string(),
    }
}

/// "Huyện Ngọc Hồi trả lời: ", as `returned_by`.
fn answered_by(o: Offline, b: &ItemBody, l: Lang) -> String {
    match o.organiser_of(b.movement()) {
        Some(n) => l.pick(&format!("{n} trả lời: "), &format!("{n} answers: ")).to_string(),
        None => l.pick("Đơn vị tổ chức trả lời: ", "The organiser answers: ").to_string(),
    }
}

fn summary(b: &ItemBody) -> (String, String) {
    let ItemBody::Report(r) = b else { return (String::new(), String::new()) };
    let total: f64 = r.scores.iter().filter_map(|s| s.points).filter(|p| p.is_finite()).sum();
    (shown(Some(total)), r.achievements.clone())
}

pub(super) fn conflict_view(i: &LocalItem, l: Lang, resolve: impl Fn(bool) + Copy + 'static) -> impl IntoView {
    let (mine_total, mine_text) = summary(&i.body);
    let (their_total, their_text) = i.server.as_ref().map(|s| summary(&s.body)).unwrap_or_default();
    view! {
        <div class="conflict" data-testid="conflict">
            <p><strong>{l.pick(
                "Máy khác của đơn vị đã gửi báo cáo này trước. Chọn bản giữ lại:",
                "Another phone of your unit sent this report first. Choose the version to keep:")}</strong></p>
            <div class="pair">
                <div data-testid="conflict-mine"><h3>{l.pick("Bản trên máy này", "This phone's")}</h3>
                    <p>{l.pick("Tổng điểm tự chấm: ", "Self-score total: ")}{mine_total}</p><p class="break">{mine_text}</p></div>
                <div data-testid="conflict-theirs"><h3>{l.pick("Bản trên máy chủ", "The server's")}</h3>
                    <p>{l.pick("Tổng điểm tự chấm: ", "Self-score total: ")}{their_total}</p><p class="break">{their_text}</p></div>
            </div>
            <button type="button" class="small" data-testid="keep-mine" on:click=move |_| resolve(true)>{l.pick("Giữ bản của tôi", "Keep mine")}</button>" "
            <button type="button" class="small" data-testid="take-theirs" on:click=move |_| resolve(false)>{l.pick("Dùng bản trên máy chủ", "Use the server's")}</button>
        </div>
    }
}

/// Everything on this phone, with its state.
#[component]
pub fn Outbox() -> impl IntoView {
    let o: Offline = use_offline();
    let lang = use_lang();
    view! {
        <section class="card">
            <h2>{move || lang.get().pick("Trên máy này", "On this phone")}</h2>
            <ul class="unit-list" data-testid="outbox">
                {move || o.items.get().into_iter().map(|i| {
                    let l = lang.get();
                    let what = match &i.body {
                        // With several movements, which one it is for.
                        ItemBody::Report(r) => match r.movement.as_deref().and_then(|m| o.forms.with(|fs| {
                            (fs.len() > 1).then(|| fs.iter().find(|f| f.movement == m).map(|f| f.movement_name.clone())).flatten()
                        })) {
                            Some(name) => format!("{} {} · {name}", l.pick("Báo cáo", "Report"), r.period),
                            None => format!("{} {}", l.pick("Báo cáo", "Report"), r.period),
                        },
                        ItemBody::Difficulty(d) => format!("{}: {}", l.pick("Khó khăn", "Difficulty"), d.title),
                        ItemBody::Nomination(n) => format!("{}: {}", l.pick("Đề nghị khen thưởng", "Nomination"), n.name),
                        ItemBody::Story(st) => format!("{}: {}", l.pick("Gương điển hình", "Story"), st.title),
                    };
                    let errors = i.errors.iter().map(|e| l.pick(&e.message_vi, &e.message_en).to_string()).collect::<Vec<_>>().join(" ");
                    view! {
                        <li data-state=i.state.code() data-id=i.id.clone()>{what}" · "<strong>{l.pick(i.state.label_vi(), i.state.label_en())}</strong>
                            {(!errors.is_empty()).then(|| view! { <span class="error">" "{errors}</span> })}
                            {i.return_comment.clone().map(|c| view! { <p class="error">{returned_by(o, &i.body, l)}{c}</p> })}
                            {i.answer.clone().map(|a| view! { <p class="answer" data-testid="outbox-answer">{answered_by(o, &i.body, l)}{a}</p> })}</li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
