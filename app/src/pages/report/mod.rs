//! The period report on a phone, offline or not (SPEC §5.2): self-scores with
//! evidence, indicators by type, achievements. Every keystroke is kept in
//! IndexedDB; "send" queues it; the sync bar shows where it stands. The page
//! reads only local data, so it opens with no network. The form itself is in
//! `editor`, the difficulty form in `difficulty`, what waits to be sent in
//! `outbox`, the deadline banner in `deadline`, the printable copy of a sent
//! report in `printout`.

mod deadline;
mod difficulty;
mod editor;
pub(crate) mod evidence;
mod outbox;
mod printout;

use crate::domain::report::{IndicatorEntry, ReportBody, ReportForm, ScoreEntry};
use crate::domain::sync::ItemBody;
use crate::i18n::use_lang;
use crate::offline::item::ItemState;
use crate::offline::use_offline;
use deadline::DeadlineBanner;
use difficulty::DifficultyForm;
pub use editor::preview;
use editor::ReportEditor;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
pub use outbox::Outbox;

crate::lazy_page!(ReportPage, report_page, field);

fn report_page() -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    // The movement in the URL (`?phong-trao=`), else the newest the unit
    // files for; a change of movement starts again from its open period.
    let query = use_query_map();
    let form = Memo::new(move |_| query.with(|q| o.form_of(q.get("phong-trao").as_deref())));
    let period = RwSignal::new(None::<String>);
    Effect::new(move |before: Option<Option<String>>| {
        let now = form.with(|f| f.as_ref().map(|f| f.movement.clone()));
        if before.is_some_and(|b| b != now) {
            period.set(None);
        }
        now
    });
    // Periods of this movement's reports the district returned (re-rendered
    // only when that set changes, not on every keystroke).
    let returned = Memo::new(move |_| {
        let Some(f) = form.get() else { return Vec::new() };
        o.items.with(|items| {
            items
                .iter()
                .filter(|i| i.state == ItemState::Returned)
                .filter_map(|i| match &i.body {
                    ItemBody::Report(r) if f.files(r) => Some(r.period.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Title text=move || lang.get().pick("Báo cáo kỳ", "Period report").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Báo cáo thi đua theo kỳ", "Period report")}</h1>
            {move || {
                let l = lang.get();
                if !o.ready.get() {
                    return view! { <p class="muted">{l.pick("Đang mở dữ liệu trên máy…", "Opening local data…")}</p> }.into_any();
                }
                match form.get() {
                    None => view! {
                        <p class="muted" data-testid="no-form">{l.pick(
                            "Chưa có mẫu báo cáo trên máy này. Hãy kết nối mạng một lần khi đã đăng nhập.",
                            "No report form on this phone yet. Connect once while signed in.")}</p>
                    }.into_any(),
                    Some(f) => {
                        // A report the district returned comes first: it is
                        // what the official has to do next.
                        let returned: Vec<(String, String)> = returned
                            .get()
                            .into_iter()
                            .map(|code| {
                                let label = f.periods.iter().find(|p| p.code == code).map(|p| l.pick(&p.label_vi, &p.label_en).to_string());
                                (code.clone(), label.unwrap_or(code))
                            })
                            .collect();
                        if period.get_untracked().is_none() {
                            period.set(Some(returned.first().map(|r| r.0.clone()).unwrap_or_else(|| default_period(&f))));
                        }
                        view! {
                            <DeadlineBanner form=f.clone() period/>
                            {(!returned.is_empty()).then(|| view! {
                                <div class="returned-banner" role="status" data-testid="returned-banner">
                                    <p>{if f.organiser_name.is_empty() {
                                        l.pick("Đơn vị tổ chức đã trả lại báo cáo, cần sửa và gửi lại:", "The organiser returned reports to correct and resend:").to_string()
                                    } else {
                                        l.pick(&format!("{} đã trả lại báo cáo, cần sửa và gửi lại:", f.organiser_name),
                                            &format!("{} returned reports to correct and resend:", f.organiser_name)).to_string()
                                    }}</p>
                                    {returned.into_iter().map(|(code, label)| view! {
                                        <button type="button" class="small" data-testid=format!("open-returned-{code}")
                                            on:click=move |_| period.set(Some(code.clone()))>{label}</button>
                                    }).collect_view()}
                                </div>
                            })}
                            <MovementPicker current=f.movement.clone()/>
                            <PeriodPicker form=f.clone() period/>
                        }.into_any()
                    }
                }
            }}
        </section>
        {move || match (form.get(), period.get()) {
            // The sheet of the movement's version that period is filed against.
            (Some(f), Some(p)) => view! { <ReportEditor form=f.for_period(&p).into_owned() period=p/> }.into_any(),
            _ => ().into_any(),
        }}
        <DifficultyForm/>
        <Outbox/>
    }
}

/// The open period: the first whose deadline has not passed, else the last.
fn default_period(f: &ReportForm) -> String {
    let d = js_sys::Date::new_0();
    let today = format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date());
    f.periods
        .iter()
        .filter(|p| p.deadline >= today)
        .min_by(|a, b| a.deadline.cmp(&b.deadline))
        .or_else(|| f.periods.iter().max_by(|a, b| a.deadline.cmp(&b.deadline)))
        .map(|p| p.code.clone())
        .unwrap_or_default()
}

/// Links to `base` (the report or nomination page) in each movement the unit
/// files for (none when it files for one).
#[component]
pub fn MovementPicker(current: String, #[prop(default = crate::routes::REPORT)] base: &'static str) -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let forms = o.forms.get_untracked();
    (forms.len() > 1).then(|| {
        view! {
            <nav class="movement-picker" data-testid="movement-picker"
                aria-label=move || lang.get().pick("Phong trào", "Movement")>
                {forms.into_iter().map(|f| {
                    let here = f.movement == current;
                    view! {
                        <a href=crate::routes::in_movement(base, &f.movement)
                            aria-current=here.then_some("page") data-testid=format!("movement-{}", f.movement)>
                            {f.movement_name}
                        </a>
                    }
                }).collect_view()}
            </nav>
        }
    })
}

#[component]
fn PeriodPicker(form: ReportForm, period: RwSignal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let chosen = period.get_untracked().unwrap_or_default();
    view! {
        <p><strong>{form.unit_name.clone()}</strong></p>
        <label class="field">
            <span>{move || lang.get().pick("Kỳ báo cáo", "Period")}</span>
            <select data-testid="period" prop:value=move || period.get().unwrap_or_default()
                on:change=move |ev| period.set(Some(event_target_value(&ev)))>
                {form.periods.into_iter().map(|p| {
                    let sel = p.code == chosen;
                    let (vi, en) = (p.label_vi, p.label_en);
                    view! { <option value=p.code selected=sel>{move || lang.get().pick(&vi, &en).to_string()}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

pub(super) fn blank(form: &ReportForm, period: &str) -> ReportBody {
    ReportBody {
        unit: form.unit.clone(),
        period: period.to_string(),
        scores: form.criteria.iter().map(|c| ScoreEntry { area: c.area.clone(), points: None, evidence: String::new() }).collect(),
        indicators: form.indicators.iter().map(|i| IndicatorEntry { code: i.code.clone(), ..Default::default() }).collect(),
        achievements: String::new(),
        movement: Some(form.movement.clone()),
        copied: Vec::new(),
        files: Vec::new(),
    }
}
