//! `/hoi-dong`: a council member's ballot. Each nomination put to an open
//! sitting, with what the unit wrote; one vote each (approve, reject,
//! abstain), final once cast. No one's votes or counts show before the
//! sitting closes.

use crate::api::council::{council_ballot, council_vote, BallotItem};
use crate::components::form::{run, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::council::Vote;
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(CouncilPage, council_page, staff);

type Ballot = Resource<Result<Vec<BallotItem>, AppError>>;

fn council_page() -> impl IntoView {
    let lang = use_lang();
    let ballot: Ballot = Resource::new(|| (), |_| council_ballot());
    let notice: Notice = RwSignal::new(None);
    view! {
        <Title text=move || lang.get().pick("Hội đồng Thi đua – Khen thưởng", "Emulation and Awards Council").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Phiếu biểu quyết", "Ballot")}</h1>
            <NoticeLine notice/>
            {loaded(ballot, move |b, l| ballot_view(b, l, notice, ballot).into_any())}
        </section>
    }
}

fn ballot_view(items: &[BallotItem], l: Lang, notice: Notice, ballot: Ballot) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">{l.pick("Không có phiên họp nào đang chờ biểu quyết.", "No sitting is waiting for your vote.")}</p> }.into_any();
    }
    view! {
        <ul class="ballot">
            {items.iter().map(|b| {
                let buttons = [Vote::Approve, Vote::Reject, Vote::Abstain].map(|v| {
                    let (s, n) = (b.sitting.clone(), b.nomination.clone());
                    let cast = move |_| run(notice, "Đã ghi phiếu. / Vote recorded.", council_vote(s.clone(), n.clone(), v), move |_| ballot.refetch());
                    view! { <button type="button" class="small" on:click=cast data-testid=format!("vote-{}", crate::api::council::vote_code(v))>{l.pick(v.label_vi(), v.label_en())}</button> }
                });
                view! {
                    <li data-testid="ballot-item" data-nomination=b.nomination.clone()>
                        <p class="muted">{b.sitting_title.clone()}</p>
                        <h2>{b.name.clone()}</h2>
                        <p>{format!("{} · {}", l.pick(b.nominee_kind.label_vi(), b.nominee_kind.label_en()), b.unit_name)}
                            {(!b.position.is_empty()).then(|| format!(" · {}", b.position))}</p>
                        <p><strong>{l.pick("Đề nghị: ", "Proposed: ")}</strong>{b.form_name.clone()}{b.posthumous.then_some(" (truy tặng)")}</p>
                        <p class="prose">{b.summary.clone()}</p>
                        {(!b.contributions.is_empty()).then(|| view! { <p class="prose">{b.contributions.clone()}</p> })}
                        {crate::components::evidence::evidence_thumbs(&b.files, None, l)}
                        {match b.mine {
                            Some(v) => view! { <p data-testid="my-vote"><strong>{l.pick("Phiếu của bạn: ", "Your vote: ")}{l.pick(v.label_vi(), v.label_en())}</strong></p> }.into_any(),
                            None => view! { <p class="actions">{buttons.into_iter().collect_view()}</p> }.into_any(),
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
