//! The deadline banner on the report page: the next deadline and the
//! periods overdue, from the pulled form, so it shows offline; the installed
//! app's badge counts them where the browser has one.

use crate::domain::date;
use crate::domain::deadline::{deadlines, Deadlines};
use crate::domain::report::ReportForm;
use crate::domain::sync::ItemBody;
use crate::i18n::use_lang;
use crate::offline::item::ItemState;
use crate::offline::use_offline;
use leptos::prelude::*;

/// Today on the phone's clock, in Vietnam (UTC+7), as the deadlines are.
fn today() -> Option<time::Date> {
    let now = js_sys::Date::new_0();
    let ms = now.get_time() + 7.0 * 3_600_000.0;
    let vn = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    time::Date::from_calendar_date(
        vn.get_utc_full_year() as i32,
        time::Month::try_from(vn.get_utc_month() as u8 + 1).ok()?,
        vn.get_utc_date() as u8,
    )
    .ok()
}

/// Sets (or clears) the installed app's badge, where the browser has one.
fn badge(n: usize) {
    use wasm_bindgen::JsCast;
    let nav = web_sys::window().map(|w| w.navigator());
    let Some(nav) = nav else { return };
    let (name, args) =
        if n == 0 { ("clearAppBadge", js_sys::Array::new()) } else { ("setAppBadge", js_sys::Array::of1(&(n as f64).into())) };
    if let Ok(f) = js_sys::Reflect::get(&nav, &name.into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
        // A refused badge (no permission, not installed) changes nothing.
        let _ = f.apply(&nav, &args);
    }
}

#[component]
pub(super) fn DeadlineBanner(form: ReportForm, period: RwSignal<Option<String>>) -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let owed = Memo::new(move |_| {
        let filed: Vec<String> = o.items.with(|all| {
            all.iter()
                .filter(|i| !matches!(i.state, ItemState::Draft | ItemState::Error))
                .filter_map(|i| match &i.body {
                    ItemBody::Report(b) if form.files(b) => Some(b.period.clone()),
                    _ => None,
                })
                .collect()
        });
        today().map(|t| deadlines(&form.periods, &filed, t)).unwrap_or_default()
    });
    Effect::new(move |_| badge(owed.with(Deadlines::badge)));
    move || {
        let l = lang.get();
        let d = owed.get();
        if d.next.is_none() && d.overdue.is_empty() {
            return ().into_any();
        }
        let next = d.next.map(|n| {
            let when = match n.days_left {
                0 => l.pick("hôm nay", "today").to_string(),
                1 => l.pick("ngày mai", "tomorrow").to_string(),
                k => l.pick(&format!("còn {k} ngày"), &format!("in {k} days")).to_string(),
            };
            let code = n.code.clone();
            view! {
                <p data-testid="deadline-next" data-period=n.code.clone()>
                    {l.pick("Hạn gửi báo cáo ", "Report due for ")}
                    <button type="button" class="link" on:click=move |_| period.set(Some(code.clone()))>{l.pick(&n.label_vi, &n.label_en).to_string()}</button>
                    {format!(": {} ({when})", date::format_vi(n.deadline))}
                </p>
            }
        });
        let count = d.overdue.len();
        // The latest few: what is worth doing first.
        let latest: Vec<_> = d.overdue.into_iter().rev().take(3).collect();
        view! {
            <div class="deadline-banner" role="status" data-testid="deadline-banner">
                {next}
                {(count > 0).then(|| view! {
                    <p data-testid="deadline-overdue" data-count=count>
                        {l.pick(&format!("Quá hạn, chưa gửi: {count} kỳ "), &format!("Overdue, not sent: {count} "))}
                        {latest.into_iter().map(|p| {
                            let code = p.code.clone();
                            view! { <button type="button" class="small" data-testid=format!("overdue-{}", p.code)
                                on:click=move |_| period.set(Some(code.clone()))>{l.pick(&p.label_vi, &p.label_en).to_string()}</button> }
                        }).collect_view()}
                    </p>
                })}
            </div>
        }
        .into_any()
    }
}
