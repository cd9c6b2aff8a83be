//! The report form: criteria with self-scores and evidence, indicators by
//! type, achievements; saved on every keystroke, checked as it is typed.

use super::blank;
use super::outbox::{conflict_view, ItemStatus};
use crate::domain::indicator::{Indicator, IndicatorKind, Part};
use crate::domain::report::{ReportBody, ReportForm};
use crate::domain::report_summary::{self, Remark, RemarkKind};
use crate::domain::review::Appraisal;
use crate::domain::sync::ItemBody;
use crate::domain::FieldError;
use crate::i18n::{use_lang, Lang};
use crate::offline::engine::{save, soon};
use crate::offline::item::{ItemState, LocalItem};
use crate::offline::{use_offline, Offline};
use leptos::prelude::*;

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

pub(super) fn shown(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| x.to_string().replace('.', ",")).unwrap_or_default()
}

#[component]
pub(super) fn ReportEditor(form: ReportForm, period: String) -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let id = form.report_id(&period);
    let item = {
        let id = id.clone();
        Memo::new(move |_| o.items.with(|all| all.iter().find(|i| i.id == id).cloned()))
    };
    // Re-created when the stored content is replaced (a conflict resolved).
    let version = RwSignal::new(0u32);
    // This unit's report of the period before, as this phone holds it: a new
    // report starts from its steady values, and the summary compares with it.
    let previous = {
        let (form, period) = (form.clone(), period.clone());
        o.items.with_untracked(|all| {
            let mine: Vec<ReportBody> = all
                .iter()
                .filter_map(|i| match &i.body {
                    ItemBody::Report(b) if form.files(b) => Some(b.clone()),
                    _ => None,
                })
                .collect();
            report_summary::previous(&form, &period, &mine).cloned()
        })
    };
    let start_body = {
        let (form, period, previous) = (form.clone(), period.clone(), previous.clone());
        move || match item.get_untracked().map(|i| i.body) {
            Some(ItemBody::Report(b)) => b,
            _ => match &previous {
                Some(p) => report_summary::carry_over(&form, p, blank(&form, &period)),
                None => blank(&form, &period),
            },
        }
    };
    let body = RwSignal::new(start_body());
    let tried = RwSignal::new(false);
    let errors = {
        let form = form.clone();
        Memo::new(move |_| body.with(|b| b.validate(&form)))
    };
    let remarks = {
        let form = form.clone();
        Memo::new(move |_| body.with(|b| report_summary::remarks(&form, b, previous.as_ref())))
    };
    let copied = Signal::derive(move || body.with(|b| b.copied.clone()));
    let files = Signal::derive(move || body.with(|b| b.files.clone()));
    let appraised = Signal::derive(move || item.with(|i| i.as_ref().map(|i| i.appraisal.clone()).unwrap_or_default()));
    let keep = {
        let id = id.clone();
        move |b: ReportBody| {
            body.set(b.clone());
            let id = id.clone();
            leptos::task::spawn_local(async move {
                let mut it = current_item(o, &id, &b);
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
                let mut it = current_item(o, &id, &b);
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
                fields(&form2, &b, lang.get_untracked(), locked, Checks { errors, tried, copied, appraised, files }, keep.clone())
            }}
            {move || summary(remarks.get(), lang.get())}
            // The error summary: each problem a link to its field.
            {move || (tried.get() && !errors.get().is_empty()).then(|| {
                let (es, l) = (errors.get(), lang.get());
                view! {
                    <div class="error" role="alert" data-testid="form-errors">
                        <p>{format!("{} {}", es.len(), l.pick("chỗ cần sửa trước khi gửi:", "things to fix before sending:"))}</p>
                        <ul>{es.into_iter().map(|e| view! {
                            <li><a href=format!("#{}", e.field)>{l.pick(&e.message_vi, &e.message_en).to_string()}</a></li>
                        }).collect_view()}</ul>
                    </div>
                }
            })}
            <button type="button" class="primary" data-testid="send-report" on:click=send
                disabled=move || item.get().is_some_and(|i| !i.editable())>
                {move || lang.get().pick("Gửi báo cáo", "Send report")}
            </button>
            <super::printout::OwnPrintout form=form.clone() item/>
            <p class="muted small-text">{move || lang.get().pick(
                "Mọi thay đổi được lưu ngay trên máy. Khi có mạng, báo cáo tự gửi đi.",
                "Every change is kept on this phone at once. It is sent when there is a network.")}</p>
        </section>
    }
}

/// The form as a unit fills it, for the movement editor's preview: checked
/// as it is typed, kept nowhere.
pub fn preview(form: ReportForm) -> AnyView {
    let period = form.periods.first().map(|p| p.code.clone()).unwrap_or_default();
    let body = RwSignal::new(blank(&form, &period));
    let errors = {
        let form = form.clone();
        Memo::new(move |_| body.with(|b| b.validate(&form)))
    };
    let l = use_lang().get_untracked();
    let copied = Signal::derive(Vec::new);
    fields(
        &form,
        &body.get_untracked(),
        l,
        false,
        Checks { errors, tried: RwSignal::new(false), copied, appraised: Signal::derive(Vec::new), files: Signal::derive(Vec::new) },
        move |b| body.set(b),
    )
}

fn err_line(errors: Memo<Vec<FieldError>>, tried: RwSignal<bool>, field: String, lang: Lang) -> impl IntoView {
    move || {
        errors.with(|es| {
            es.iter()
                .find(|e| e.field == field)
                // Missing evidence shows once the person tries to send.
                .filter(|e| e.rule != "required" || tried.get())
                .map(|e| view! { <p class="error" id=format!("err-{}", field) data-testid=format!("err-{}", field)>{lang.pick(&e.message_vi, &e.message_en).to_string()}</p> })
        })
    }
}

/// The id of a field's error line while it shows (`err_line`), for the
/// field's `aria-describedby`: a screen reader reads the rule with the field.
fn described(
    errors: Memo<Vec<FieldError>>,
    tried: RwSignal<bool>,
    field: String,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || errors.with(|es| es.iter().any(|e| e.field == field && (e.rule != "required" || tried.get()))).then(|| format!("err-{field}"))
}

/// `aria-invalid` for a field, from the same rule as `described`.
fn invalid(
    errors: Memo<Vec<FieldError>>,
    tried: RwSignal<bool>,
    field: String,
) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
    let d = described(errors, tried, field);
    move || d().map(|_| "true")
}

/// What the fields show besides their values: the errors (once the person
/// tried to send, for missing ones) and the copied marks.
#[derive(Clone, Copy)]
struct Checks {
    errors: Memo<Vec<FieldError>>,
    tried: RwSignal<bool>,
    copied: Signal<Vec<String>>,
    /// The organiser's points and reasons, per criterion, once appraised.
    appraised: Signal<Vec<Appraisal>>,
    /// The report's evidence files, as it holds them now.
    files: Signal<Vec<crate::domain::attachment::FileRef>>,
}

fn fields(
    form: &ReportForm,
    b: &ReportBody,
    l: Lang,
    locked: bool,
    checks: Checks,
    keep: impl Fn(ReportBody) + Clone + 'static,
) -> AnyView {
    let Checks { errors, tried, appraised, files, .. } = checks;
    let by = form.organiser_name.clone();
    let body = StoredValue::new(b.clone());
    let change = move |f: Box<dyn FnOnce(&mut ReportBody)>| {
        let mut b = body.get_value();
        f(&mut b);
        body.set_value(b.clone());
        keep(b);
    };
    let change: Change = StoredValue::new_local(Box::new(change) as Box<dyn Fn(Box<dyn FnOnce(&mut ReportBody)>)>);
    let edit_files =
        super::evidence::edit_files(move |f: super::evidence::FilesChange| change.with_value(|c| c(Box::new(move |b| f(&mut b.files)))));
    let criteria = form.criteria.iter().map(|c| {
        let area = c.area.clone();
        let entry = b.scores.iter().find(|s| s.area == area).cloned().unwrap_or_default();
        let (a1, a2, a3) = (area.clone(), area.clone(), area.clone());
        let (by, max) = (by.clone(), c.max_points);
        // The organiser's appraisal of this criterion, once made.
        let answer = move || {
            appraised.with(|all| {
                all.iter().find(|x| x.area == a3).map(|x| {
                    let who = if by.is_empty() { l.pick("Đơn vị tổ chức", "The organiser").to_string() } else { by.clone() };
                    let reason = if x.reason.is_empty() { String::new() } else { format!(" — {}", x.reason) };
                    view! {
                        <p class="appraised" data-testid=format!("appraised-{}", x.area)>
                            {l.pick(&format!("{who} chấm: {} / {max} điểm{reason}", shown(Some(x.points))),
                                &format!("{who} appraised: {} / {max} points{reason}", shown(Some(x.points)))).to_string()}
                        </p>
                    }
                })
            })
        };
        view! {
            <fieldset class="crit">
                <legend>{format!("{}. {}", c.no, l.pick(&c.title_vi, &c.title_en))}</legend>
                <details><summary class="small-text">{l.pick("Tiêu chí", "Criterion")}</summary><p class="small-text">{c.text_vi.clone()}</p></details>
                <label class="field"><span>{format!("{} {})", l.pick("Điểm tự chấm (tối đa", "Self-score (max"), c.max_points)}</span>
                    <input inputmode="decimal" autocomplete="off" id=format!("scores.{area}.points") data-testid=format!("points-{area}") value=shown(entry.points) disabled=locked
                        aria-describedby=described(errors, tried, format!("scores.{area}.points")) aria-invalid=invalid(errors, tried, format!("scores.{area}.points"))
                        on:input=move |ev| { let v = parse_number(&event_target_value(&ev)); let a = a1.clone();
                            change.with_value(|c| c(Box::new(move |b| if let Some(s) = b.scores.iter_mut().find(|s| s.area == a) { s.points = v; }))) }/></label>
                {err_line(errors, tried, format!("scores.{area}.points"), l)}
                {answer}
                <label class="field"><span>{l.pick("Minh chứng", "Evidence")}</span>
                    <textarea rows="2" id=format!("scores.{area}.evidence") data-testid=format!("evidence-{area}") disabled=locked
                        aria-describedby=described(errors, tried, format!("scores.{area}.evidence")) aria-invalid=invalid(errors, tried, format!("scores.{area}.evidence"))
                        on:input=move |ev| { let v = event_target_value(&ev); let a = a2.clone();
                            change.with_value(|c| c(Box::new(move |b| if let Some(s) = b.scores.iter_mut().find(|s| s.area == a) { s.evidence = v; }))) }>
                        {entry.evidence.clone()}
                    </textarea></label>
                {err_line(errors, tried, format!("scores.{area}.evidence"), l)}
                {super::evidence::file_picker(area.clone(), Some(area.clone()), files, locked, edit_files, l)}
            </fieldset>
        }
    }).collect_view();
    let indicators = form.indicators.iter().map(|i| indicator_field(i, b, l, locked, checks, change)).collect_view();
    view! {
        <nav class="form-sections" aria-label=l.pick("Các phần của báo cáo", "Parts of the report")>
            <a href="#muc-tu-cham">{l.pick("Tự chấm", "Scores")}</a>
            <a href="#muc-chi-so">{l.pick("Chỉ số", "Indicators")}</a>
            <a href="#achievements">{l.pick("Kết quả", "Achievements")}</a>
            <a href="#muc-truoc-khi-gui">{l.pick("Gửi", "Send")}</a>
        </nav>
        <h2 id="muc-tu-cham">{l.pick("Tự chấm điểm", "Self-assessment")}</h2>
        {criteria}
        <h2 id="muc-chi-so">{l.pick("Chỉ số trong kỳ", "Indicators this period")}</h2>
        {indicators}
        <label class="field"><span>{l.pick("Kết quả nổi bật", "Achievements")}</span>
            <textarea rows="4" id="achievements" data-testid="achievements" disabled=locked
                aria-describedby=described(errors, tried, "achievements".into()) aria-invalid=invalid(errors, tried, "achievements".into())
                on:input=move |ev| { let v = event_target_value(&ev); change.with_value(|c| c(Box::new(move |b| b.achievements = v))) }>
                {b.achievements.clone()}
            </textarea></label>
        {err_line(errors, tried, "achievements".into(), l)}
    }
    .into_any()
}

pub(super) type Change = StoredValue<Box<dyn Fn(Box<dyn FnOnce(&mut ReportBody)>)>, leptos::prelude::LocalStorage>;

fn indicator_field(i: &Indicator, b: &ReportBody, l: Lang, locked: bool, checks: Checks, change: Change) -> impl IntoView {
    let Checks { errors, tried, copied, .. } = checks;
    let code = i.code.clone();
    let key = |part: Part| report_summary::field(&i.code, part);
    // A value copied from the period before is marked until touched.
    let mark = move |k: String| move || copied.with(|c| c.contains(&k));
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
                    report_summary::touched(b, &format!("indicators.{code}.{part}"));
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
                        <input inputmode="numeric" id=key(Part::Numerator) data-testid=format!("num-{code}") aria-describedby=described(errors, tried, key(Part::Numerator)) aria-invalid=invalid(errors, tried, key(Part::Numerator)) value=shown(v.numerator) disabled=locked
                            class:copied=mark(key(Part::Numerator)) on:input=set("numerator", code.clone())/></label>
                    <label class="field"><span>{i.denominator_vi.clone().unwrap_or_else(|| l.pick("Mẫu số", "Denominator").into())}</span>
                        <input inputmode="numeric" id=key(Part::Denominator) data-testid=format!("den-{code}") aria-describedby=described(errors, tried, key(Part::Denominator)) aria-invalid=invalid(errors, tried, key(Part::Denominator)) value=shown(v.denominator) disabled=locked
                            class:copied=mark(key(Part::Denominator)) on:input=set("denominator", code.clone())/></label>
                </div>
                {err_line(errors, tried, format!("indicators.{code}.numerator"), l)}
                {err_line(errors, tried, format!("indicators.{code}.denominator"), l)}
            </fieldset>
        }.into_any(),
        _ => view! {
            <label class="field"><span>{name}</span>
                <input inputmode="numeric" id=key(Part::Value) data-testid=format!("ind-{code}") aria-describedby=described(errors, tried, key(Part::Value)) aria-invalid=invalid(errors, tried, key(Part::Value)) value=shown(v.value) disabled=locked
                    class:copied=mark(key(Part::Value)) on:input=set("value", code.clone())/></label>
            {err_line(errors, tried, format!("indicators.{code}.value"), l)}
        }.into_any(),
    }
}

/// The summary before sending: what is empty, still copied or far from last
/// period's value, each a link to its field. Advice only: the report may be
/// sent as it is.
fn summary(remarks: Vec<Remark>, l: Lang) -> impl IntoView {
    let count = |k: RemarkKind| remarks.iter().filter(|r| r.kind == k).count();
    let line = format!(
        "{} {} · {} {} · {} {}",
        count(RemarkKind::Empty),
        l.pick("ô còn trống", "empty"),
        count(RemarkKind::Copied),
        l.pick("ô chép từ kỳ trước", "copied"),
        count(RemarkKind::Unusual),
        l.pick("số liệu khác thường", "unusual"),
    );
    view! {
        <section class="summary" id="muc-truoc-khi-gui" data-testid="summary" aria-live="polite">
            <h2>{l.pick("Trước khi gửi", "Before sending")}</h2>
            <p class="small-text" data-testid="summary-counts">{line}</p>
            <ul>{remarks.into_iter().map(|r| {
                let kind = match r.kind { RemarkKind::Empty => "empty", RemarkKind::Copied => "copied", RemarkKind::Unusual => "unusual" };
                view! {
                    <li data-kind=kind data-field=r.field.clone()>
                        <a href=format!("#{}", r.field)>{l.pick(&r.message_vi, &r.message_en).to_string()}</a>
                    </li>
                }
            }).collect_view()}</ul>
        </section>
    }
}

/// This phone's item for the report `id`, or a new one holding `b`.
fn current_item(o: Offline, id: &str, b: &ReportBody) -> LocalItem {
    o.items
        .with_untracked(|all| all.iter().find(|i| i.id == id).cloned())
        .unwrap_or_else(|| LocalItem::new(id.to_string(), ItemBody::Report(b.clone())))
}
