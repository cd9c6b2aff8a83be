//! The period report on a phone, offline or not (SPEC §5.2): self-scores with
//! evidence, indicators by type, achievements. Every keystroke is kept in
//! IndexedDB; "send" queues it; the sync bar shows where it stands. The page
//! reads only local data, so it opens with no network.

use crate::domain::indicator::{Indicator, IndicatorKind};
use crate::domain::report::{report_id, IndicatorEntry, ReportBody, ReportForm, ScoreEntry};
use crate::domain::sync::ItemBody;
use crate::domain::FieldError;
use crate::i18n::{use_lang, Lang};
use crate::offline::engine::{save, soon};
use crate::offline::item::{ItemState, LocalItem};
use crate::offline::{use_offline, Offline};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(ReportPage, report_page, field);

fn report_page() -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let period = RwSignal::new(None::<String>);
    // Periods of reports the district returned (re-rendered only when that
    // set changes, not on every keystroke).
    let returned = Memo::new(move |_| {
        o.items.with(|items| {
            items
                .iter()
                .filter(|i| i.state == ItemState::Returned)
                .filter_map(|i| match &i.body {
                    ItemBody::Report(r) => Some(r.period.clone()),
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
                match o.form.get() {
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
                            {(!returned.is_empty()).then(|| view! {
                                <div class="returned-banner" role="status" data-testid="returned-banner">
                                    <p>{l.pick("Huyện đã trả lại báo cáo, cần sửa và gửi lại:", "The district returned reports to correct and resend:")}</p>
                                    {returned.into_iter().map(|(code, label)| view! {
                                        <button type="button" class="small" data-testid=format!("open-returned-{code}")
                                            on:click=move |_| period.set(Some(code.clone()))>{label}</button>
                                    }).collect_view()}
                                </div>
                            })}
                            <PeriodPicker form=f.clone() period/>
                        }.into_any()
                    }
                }
            }}
        </section>
        {move || match (o.form.get(), period.get()) {
            (Some(f), Some(p)) => view! { <ReportEditor form=f period=p/> }.into_any(),
            _ => ().into_any(),
        }}
        <DifficultyForm/>
        <Outbox/>
    }
}

/// Raise a difficulty with the district: queued like a report.
#[component]
fn DifficultyForm() -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let send = move |ev: leptos::ev::SubmitEvent| {
        let f = crate::components::form::Fields::of(&ev);
        let Some(unit) = o.form.with_untracked(|f| f.as_ref().map(|f| f.unit.clone())) else { return };
        let body = crate::domain::difficulty::DifficultyBody { unit: unit.clone(), title: f.get("title"), details: f.get("details") };
        let errs = body.validate(&unit);
        problems.set(errs.clone());
        if !errs.is_empty() {
            return;
        }
        let form = ev.target().and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlFormElement>(t).ok());
        leptos::task::spawn_local(async move {
            let mut it = LocalItem::new(format!("kk-{}", crate::offline::local::uuid()), ItemBody::Difficulty(body));
            it.submit();
            if save(o, it).await.is_ok() {
                if let Some(f) = form {
                    f.reset();
                }
                soon(o);
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || lang.get().pick("Khó khăn, vướng mắc", "Difficulties")}</h2>
            <form on:submit=send data-testid="difficulty-form">
                <label class="field"><span>{move || lang.get().pick("Tiêu đề", "Title")}</span>
                    <input name="title" data-testid="difficulty-title"/></label>
                <label class="field"><span>{move || lang.get().pick("Nội dung", "Details")}</span>
                    <textarea name="details" rows="3" data-testid="difficulty-details"></textarea></label>
                {move || problems.get().into_iter().map(|e| view! { <p class="error">{lang.get().pick(&e.message_vi, &e.message_en).to_string()}</p> }).collect_view()}
                <button type="submit" class="primary" data-testid="difficulty-send">{move || lang.get().pick("Gửi lên huyện", "Send to the district")}</button>
            </form>
        </section>
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

fn blank(form: &ReportForm, period: &str) -> ReportBody {
    ReportBody {
        unit: form.unit.clone(),
        period: period.to_string(),
        scores: form.criteria.iter().map(|c| ScoreEntry { area: c.area.clone(), points: None, evidence: String::new() }).collect(),
        indicators: form.indicators.iter().map(|i| IndicatorEntry { code: i.code.clone(), ..Default::default() }).collect(),
        achievements: String::new(),
    }
}

/// "12,5" or "12.5" → 12.5; empty → None; anything else → NaN (the rule
/// "must be a number" then names the field).
fn parse_number(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| *c != ' ').collect();
    if t.is_empty() {
        return None;
    }
    // Vietnamese writes 1.234,5: dots group thousands, the comma is decimal.
    let t = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() > 1 {
        t.replace('.', "")
    } else {
        t
    };
    Some(t.parse().unwrap_or(f64::NAN))
}

fn shown(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| x.to_string().replace('.', ",")).unwrap_or_default()
}

#[component]
fn ReportEditor(form: ReportForm, period: String) -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let id = report_id(&form.unit, &period);
    let item = {
        let id = id.clone();
        Memo::new(move |_| o.items.with(|all| all.iter().find(|i| i.id == id).cloned()))
    };
    // Re-created when the stored content is replaced (a conflict resolved).
    let version = RwSignal::new(0u32);
    let start_body = {
        let (form, period) = (form.clone(), period.clone());
        move || match item.get_untracked().map(|i| i.body) {
            Some(ItemBody::Report(b)) => b,
            _ => blank(&form, &period),
        }
    };
    let body = RwSignal::new(start_body());
    let tried = RwSignal::new(false);
    let errors = {
        let form = form.clone();
        Memo::new(move |_| body.with(|b| b.validate(&form)))
    };
    let keep = {
        let id = id.clone();
        move |b: ReportBody| {
            body.set(b.clone());
            let id = id.clone();
            leptos::task::spawn_local(async move {
                let mut it = o
                    .items
                    .with_untracked(|all| all.iter().find(|i| i.id == id).cloned())
                    .unwrap_or_else(|| LocalItem::new(id.clone(), ItemBody::Report(b.clone())));
                if !it.editable() {
                    return;
                }
                it.edit(ItemBody::Report(b));
                let _ = save(o, it).await;
            });
        }
    };
    let send = {
        let id = id.clone();
        move |_| {
            tried.set(true);
            if !errors.get_untracked().is_empty() {
                return;
            }
            let b = body.get_untracked();
            let id = id.clone();
            leptos::task::spawn_local(async move {
                let mut it = o
                    .items
                    .with_untracked(|all| all.iter().find(|i| i.id == id).cloned())
                    .unwrap_or_else(|| LocalItem::new(id.clone(), ItemBody::Report(b.clone())));
                it.edit(ItemBody::Report(b));
                it.submit();
                if save(o, it).await.is_ok() {
                    soon(o);
                }
            });
        }
    };
    let resolve = move |mine: bool| {
        let Some(mut it) = item.get_untracked() else { return };
        if mine {
            it.keep_mine()
        } else {
            it.take_theirs()
        }
        let after = it.clone();
        leptos::task::spawn_local(async move {
            if save(o, after.clone()).await.is_ok() {
                if let ItemBody::Report(b) = after.body {
                    body.set(b);
                }
                version.update(|v| *v += 1);
                soon(o);
            }
        });
    };
    let form2 = form.clone();
    view! {
        <section class="card" data-testid="report">
            <ItemStatus item/>
            {move || item.get().filter(|i| i.state == ItemState::Conflict).map(|i| conflict_view(&i, lang.get(), resolve))}
            {move || {
                version.track();
                let b = body.get_untracked();
                let locked = item.get_untracked().is_some_and(|i| !i.editable());
                fields(&form2, &b, lang.get_untracked(), locked, errors, tried, keep.clone())
            }}
            {move || (tried.get() && !errors.get().is_empty()).then(|| view! {
                <p class="error" role="alert" data-testid="form-errors">
                    {format!("{} {}", errors.get().len(), lang.get().pick("chỗ cần sửa trước khi gửi.", "things to fix before sending."))}
                </p>
            })}
            <button type="button" class="primary" data-testid="send-report" on:click=send
                disabled=move || item.get().is_some_and(|i| !i.editable())>
                {move || lang.get().pick("Gửi báo cáo", "Send report")}
            </button>
            <p class="muted small-text">{move || lang.get().pick(
                "Mọi thay đổi được lưu ngay trên máy. Khi có mạng, báo cáo tự gửi đi.",
                "Every change is kept on this phone at once. It is sent when there is a network.")}</p>
        </section>
    }
}

fn err_line(errors: Memo<Vec<FieldError>>, tried: RwSignal<bool>, field: String, lang: Lang) -> impl IntoView {
    move || {
        errors.with(|es| {
            es.iter()
                .find(|e| e.field == field)
                // Missing evidence shows once the person tries to send.
                .filter(|e| e.rule != "required" || tried.get())
                .map(|e| view! { <p class="error" data-testid=format!("err-{}", field)>{lang.pick(&e.message_vi, &e.message_en).to_string()}</p> })
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn fields(
    form: &ReportForm,
    b: &ReportBody,
    l: Lang,
    locked: bool,
    errors: Memo<Vec<FieldError>>,
    tried: RwSignal<bool>,
    keep: impl Fn(ReportBody) + Clone + 'static,
) -> AnyView {
    let body = StoredValue::new(b.clone());
    let change = move |f: Box<dyn FnOnce(&mut ReportBody)>| {
        let mut b = body.get_value();
        f(&mut b);
        body.set_value(b.clone());
        keep(b);
    };
    let change: Change = StoredValue::new_local(Box::new(change) as Box<dyn Fn(Box<dyn FnOnce(&mut ReportBody)>)>);
    let criteria = form.criteria.iter().map(|c| {
        let area = c.area.clone();
        let entry = b.scores.iter().find(|s| s.area == area).cloned().unwrap_or_default();
        let (a1, a2) = (area.clone(), area.clone());
        view! {
            <fieldset class="crit">
                <legend>{format!("{}. {}", c.no, l.pick(&c.title_vi, &c.title_en))}</legend>
                <details><summary class="small-text">{l.pick("Tiêu chí", "Criterion")}</summary><p class="small-text">{c.text_vi.clone()}</p></details>
                <label class="field"><span>{format!("{} {})", l.pick("Điểm tự chấm (tối đa", "Self-score (max"), c.max_points)}</span>
                    <input inputmode="decimal" autocomplete="off" data-testid=format!("points-{area}") value=shown(entry.points) disabled=locked
                        on:input=move |ev| { let v = parse_number(&event_target_value(&ev)); let a = a1.clone();
                            change.with_value(|c| c(Box::new(move |b| if let Some(s) = b.scores.iter_mut().find(|s| s.area == a) { s.points = v; }))) }/></label>
                {err_line(errors, tried, format!("scores.{area}.points"), l)}
                <label class="field"><span>{l.pick("Minh chứng", "Evidence")}</span>
                    <textarea rows="2" data-testid=format!("evidence-{area}") disabled=locked
                        on:input=move |ev| { let v = event_target_value(&ev); let a = a2.clone();
                            change.with_value(|c| c(Box::new(move |b| if let Some(s) = b.scores.iter_mut().find(|s| s.area == a) { s.evidence = v; }))) }>
                        {entry.evidence.clone()}
                    </textarea></label>
                {err_line(errors, tried, format!("scores.{area}.evidence"), l)}
            </fieldset>
        }
    }).collect_view();
    let indicators = form.indicators.iter().map(|i| indicator_field(i, b, l, locked, errors, tried, change)).collect_view();
    view! {
        <h2>{l.pick("Tự chấm điểm", "Self-assessment")}</h2>
        {criteria}
        <h2>{l.pick("Chỉ số trong kỳ", "Indicators this period")}</h2>
        {indicators}
        <label class="field"><span>{l.pick("Kết quả nổi bật", "Achievements")}</span>
            <textarea rows="4" data-testid="achievements" disabled=locked
                on:input=move |ev| { let v = event_target_value(&ev); change.with_value(|c| c(Box::new(move |b| b.achievements = v))) }>
                {b.achievements.clone()}
            </textarea></label>
        {err_line(errors, tried, "achievements".into(), l)}
    }
    .into_any()
}

type Change = StoredValue<Box<dyn Fn(Box<dyn FnOnce(&mut ReportBody)>)>, leptos::prelude::LocalStorage>;

fn indicator_field(
    i: &Indicator,
    b: &ReportBody,
    l: Lang,
    locked: bool,
    errors: Memo<Vec<FieldError>>,
    tried: RwSignal<bool>,
    change: Change,
) -> impl IntoView {
    let code = i.code.clone();
    let v = b.indicators.iter().find(|x| x.code == code).cloned().unwrap_or_default();
    let name = format!("{} ({})", l.pick(&i.name_vi, &i.name_en), l.pick(&i.unit_vi, &i.unit_en));
    let set = move |part: &'static str, code: String| {
        move |ev: leptos::ev::Event| {
            let x = parse_number(&event_target_value(&ev));
            let code = code.clone();
            change.with_value(|c| {
                c(Box::new(move |b| {
                    if let Some(e) = b.indicators.iter_mut().find(|e| e.code == code) {
                        match part {
                            "numerator" => e.numerator = x,
                            "denominator" => e.denominator = x,
                            _ => e.value = x,
                        }
                    }
                }))
            })
        }
    };
    match i.kind {
        IndicatorKind::Ratio => view! {
            <fieldset class="crit">
                <legend>{name}</legend>
                <div class="pair">
                    <label class="field"><span>{i.numerator_vi.clone().unwrap_or_else(|| l.pick("Tử số", "Numerator").into())}</span>
                        <input inputmode="numeric" data-testid=format!("num-{code}") value=shown(v.numerator) disabled=locked on:input=set("numerator", code.clone())/></label>
                    <label class="field"><span>{i.denominator_vi.clone().unwrap_or_else(|| l.pick("Mẫu số", "Denominator").into())}</span>
                        <input inputmode="numeric" data-testid=format!("den-{code}") value=shown(v.denominator) disabled=locked on:input=set("denominator", code.clone())/></label>
                </div>
                {err_line(errors, tried, format!("indicators.{code}.numerator"), l)}
                {err_line(errors, tried, format!("indicators.{code}.denominator"), l)}
            </fieldset>
        }.into_any(),
        _ => view! {
            <label class="field"><span>{name}</span>
                <input inputmode="numeric" data-testid=format!("ind-{code}") value=shown(v.value) disabled=locked on:input=set("value", code.clone())/></label>
            {err_line(errors, tried, format!("indicators.{code}.value"), l)}
        }.into_any(),
    }
}

#[component]
fn ItemStatus(item: Memo<Option<LocalItem>>) -> impl IntoView {
    let lang = use_lang();
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
            {i.return_comment.clone().map(|c| view! { <p class="error" data-testid="return-comment">{l.pick("Huyện trả lại: ", "Returned by the district: ")}{c}</p> })}
            {(!i.errors.is_empty()).then(|| view! {
                <ul class="error" data-testid="server-errors">{i.errors.iter().map(|e| view! { <li>{l.pick(&e.message_vi, &e.message_en).to_string()}</li> }).collect_view()}</ul>
            })}
        }
        .into_any()
    }
}

fn summary(b: &ItemBody) -> (String, String) {
    let ItemBody::Report(r) = b else { return (String::new(), String::new()) };
    let total: f64 = r.scores.iter().filter_map(|s| s.points).filter(|p| p.is_finite()).sum();
    (shown(Some(total)), r.achievements.clone())
}

fn conflict_view(i: &LocalItem, l: Lang, resolve: impl Fn(bool) + Copy + 'static) -> impl IntoView {
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
                        ItemBody::Report(r) => format!("{} {}", l.pick("Báo cáo", "Report"), r.period),
                        ItemBody::Difficulty(d) => format!("{}: {}", l.pick("Khó khăn", "Difficulty"), d.title),
                        ItemBody::Nomination(n) => format!("{}: {}", l.pick("Đề nghị khen thưởng", "Nomination"), n.name),
                        ItemBody::Story(st) => format!("{}: {}", l.pick("Gương điển hình", "Story"), st.title),
                    };
                    let errors = i.errors.iter().map(|e| l.pick(&e.message_vi, &e.message_en).to_string()).collect::<Vec<_>>().join(" ");
                    view! {
                        <li data-state=i.state.code() data-id=i.id.clone()>{what}" · "<strong>{l.pick(i.state.label_vi(), i.state.label_en())}</strong>
                            {(!errors.is_empty()).then(|| view! { <span class="error">" "{errors}</span> })}
                            {i.return_comment.clone().map(|c| view! { <p class="error">{l.pick("Huyện trả lại: ", "Returned by the district: ")}{c}</p> })}
                            {i.answer.clone().map(|a| view! { <p class="answer" data-testid="outbox-answer">{l.pick("Huyện trả lời: ", "The district answers: ")}{a}</p> })}</li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
