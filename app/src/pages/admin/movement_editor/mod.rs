//! `/quan-tri/phong-trao/{code}`: the organiser edits a movement (a draft
//! in place, a running one as its next version: `domain::version`):
//! its basis and dates, content areas and points, criteria per participant
//! category (`categories`), scoring caps and bands,
//! indicators with their cross-field rules, the period plan, and in
//! `awards` the award forms, eligibility rules, council rule and tie-breaks.
//! Every rule is checked as it is typed by the same code the server runs
//! (`MovementDefinition::validate`); a preview shows the phone's form.

use crate::api::movements::{movements_get, movements_save, movements_set_status, MovementDraft};
use crate::components::status::loaded;
use crate::domain::indicator::{Compare, FieldRule, Indicator, IndicatorKind, Part, RollUp};
use crate::domain::lifecycle::MovementStatus;
use crate::domain::movement::{ContentArea, MovementDefinition};
use crate::domain::unit::ParticipantCategory;
use crate::domain::{AppError, FieldError};
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

mod awards;
mod categories;

// Its own part: the editor is as large as the rest of the staff pages, and
// only an organiser setting up a movement opens it.
crate::lazy_page!(MovementEditorPage, movement_editor_page, movements);

fn movement_editor_page() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let draft = Resource::new(move || code.get(), movements_get);
    view! {
        <Title text=move || lang.get().pick("Soạn phong trào", "Edit movement").to_string()/>
        <p><a href=crate::routes::ADMIN_MOVEMENTS>{move || lang.get().pick("← Các phong trào", "← Movements")}</a></p>
        {loaded(draft, |d, _| view! { <Editor draft=d.clone()/> }.into_any())}
    }
}

/// The definition being edited; `Shape` is bumped when a list changes
/// (an item added or removed, a type changed), which redraws that list.
type Def = RwSignal<MovementDefinition>;
type Shape = RwSignal<u32>;
type Errors = Memo<Vec<FieldError>>;

#[component]
fn Editor(draft: MovementDraft) -> impl IntoView {
    let lang = use_lang();
    let def: Def = RwSignal::new(draft.definition.clone());
    let shape: Shape = RwSignal::new(0);
    // What the server said at the last save, until the next edit.
    let server: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let errors: Errors = Memo::new(move |_| {
        let mut e = def.with(|d| d.validate().err().unwrap_or_default());
        let more: Vec<FieldError> = server.with(|s| s.iter().filter(|x| !e.contains(x)).cloned().collect());
        e.extend(more);
        e
    });
    Effect::new(move |_| {
        def.track();
        server.set(Vec::new());
    });
    let status = RwSignal::new(draft.status);
    let version = RwSignal::new(draft.definition.version);
    let newest_from = RwSignal::new(draft.newest_from.clone());
    let notice: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);
    let code = StoredValue::new(draft.code.clone());
    let save = move |publish: bool| {
        notice.set(None);
        let d = def.get_untracked();
        let code = code.get_value();
        let versioned = status.get_untracked() == MovementStatus::Published;
        leptos::task::spawn_local(async move {
            let done = match movements_save(code.clone(), d).await {
                Ok(v) if publish => movements_set_status(code, MovementStatus::Published.code().to_string()).await.map(|_| v),
                other => other,
            };
            match done {
                Ok(v) => {
                    let vi_en = match (publish, versioned) {
                        (true, _) => "Đã lưu và công bố. / Saved and published.".to_string(),
                        (_, true) => format!("Đã lưu phiên bản v{v}, áp dụng từ tháng tới. / Saved as version {v}, from next month."),
                        _ => "Đã lưu bản nháp. / Draft saved.".to_string(),
                    };
                    if publish {
                        status.set(MovementStatus::Published);
                    }
                    if versioned && v != version.get_untracked() {
                        newest_from.set(String::new());
                    }
                    version.set(v);
                    notice.set(Some(Ok(vi_en)));
                }
                Err(e) => {
                    server.set(e.errors.clone());
                    notice.set(Some(Err(AppError::to_string(&e))));
                }
            }
        });
    };
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    let running = move || status.get() == MovementStatus::Published;
    let editable = move || status.get().edit().is_ok();
    view! {
        <section class="card" data-testid="movement-editor" data-status=move || status.get().code() data-version=move || version.get()>
            <h1>{move || def.with(|d| d.name_vi.clone())}</h1>
            <p class="muted">{draft.code.clone()}" · v"{move || version.get()}" · "
                {move || lang.get().pick(status.get().label_vi(), status.get().label_en())}
                {move || (!newest_from.get().is_empty()).then(|| format!(" · {} {}", lang.get().pick("bản này áp dụng từ", "this version applies from"), newest_from.get()))}</p>
            {move || running().then(|| view! { <p class="notice" data-testid="versioned">{t(
                "Phong trào đang triển khai: thay đổi được lưu thành phiên bản mới, áp dụng từ tháng bắt đầu sau hôm nay. Các kỳ đã mở vẫn chấm theo phiên bản cũ; kỳ báo cáo không đổi.",
                "This movement is running: a change is saved as a new version that applies from the next month to start. Periods already open keep the version they were filed against; the periods do not change.")}</p> })}
            {move || (!editable()).then(|| view! { <p class="notice" data-testid="not-editable">{t(
                "Phong trào đã kết thúc hoặc lưu trữ: chỉ xem.",
                "This movement is closed or archived: read only.")}</p> })}
            <fieldset disabled=move || !editable() class="plain">
                <Basis def errors/>
                <Areas def shape errors/>
                <categories::Categories def shape errors/>
                <Scoring def shape errors/>
                <Indicators def shape errors/>
                <fieldset disabled=running class="plain">
                    <Periods def shape errors/>
                </fieldset>
                <awards::Awards def shape errors/>
            </fieldset>
        </section>
        <Preview def code=draft.code.clone() organiser=draft.organiser.clone()/>
        <section class="card save-bar">
            <ErrorSummary errors/>
            {move || notice.get().map(|n| match n {
                Ok(m) => view! { <p class="ok" role="status" data-testid="notice">{crate::components::form::in_lang(&m, lang.get())}</p> }.into_any(),
                Err(m) => view! { <p class="error" role="alert" data-testid="notice-error">{crate::components::form::in_lang(&m, lang.get())}</p> }.into_any(),
            })}
            {move || match status.get() {
                MovementStatus::Draft => view! {
                    <button type="button" class="primary" data-testid="save-movement" on:click=move |_| save(false)>{t("Lưu bản nháp", "Save draft")}</button>" "
                    <button type="button" data-testid="publish-movement" on:click=move |_| save(true)
                        disabled=move || !errors.with(Vec::is_empty)>{t("Lưu và công bố", "Save and publish")}</button>
                }.into_any(),
                MovementStatus::Published => view! {
                    <button type="button" class="primary" data-testid="save-version" on:click=move |_| save(false)
                        disabled=move || !errors.with(Vec::is_empty)>{t("Lưu thành phiên bản mới", "Save as a new version")}</button>
                }.into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

/// Every problem, each naming its field, as a list a person works through.
#[component]
fn ErrorSummary(errors: Errors) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        errors.with(|es| {
            (!es.is_empty()).then(|| {
                view! {
                    <div class="error" role="alert" data-testid="movement-errors">
                        <p>{format!("{} {}", es.len(), l.pick("chỗ cần sửa:", "things to fix:"))}</p>
                        <ul>{es.iter().map(|e| view! { <li data-field=e.field.clone()>{l.pick(&e.message_vi, &e.message_en).to_string()}</li> }).collect_view()}</ul>
                    </div>
                }
            })
        })
    }
}

/// The errors of `field` and of the fields under it.
fn errs(errors: Errors, field: String) -> impl IntoView {
    let lang = use_lang();
    move || {
        errors.with(|es| {
            es.iter()
                .filter(|e| e.field == field || e.field.starts_with(&format!("{field}.")))
                .map(|e| view! { <p class="error" data-testid=format!("err-{}", e.field)>{lang.get().pick(&e.message_vi, &e.message_en).to_string()}</p> })
                .collect_view()
        })
    }
}

fn text(
    def: Def,
    label: String,
    testid: String,
    value: String,
    long: bool,
    set: impl Fn(&mut MovementDefinition, String) + 'static,
) -> AnyView {
    let on = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        def.update(|d| set(d, v));
    };
    if long {
        view! { <label class="field"><span>{label}</span><textarea rows="3" data-testid=testid on:input=on>{value}</textarea></label> }
            .into_any()
    } else {
        view! { <label class="field"><span>{label}</span><input value=value data-testid=testid on:input=on/></label> }.into_any()
    }
}

/// A whole number; what is not one reads as 0, which the rules then name.
fn number(def: Def, label: String, testid: String, value: u32, set: impl Fn(&mut MovementDefinition, u32) + 'static) -> impl IntoView {
    view! {
        <label class="field"><span>{label}</span>
            <input type="number" inputmode="numeric" min="0" value=value.to_string() data-testid=testid
                on:input=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); def.update(|d| set(d, v)); }/></label>
    }
}

#[component]
fn Basis(def: Def, errors: Errors) -> impl IntoView {
    let l = use_lang().get_untracked();
    let d = def.get_untracked();
    view! {
        <h2>{l.pick("Thông tin chung", "Basis and dates")}</h2>
        {text(def, l.pick("Tên phong trào", "Name").into(), "mv-name_vi".into(), d.name_vi.clone(), false, |d, v| d.name_vi = v)}
        {errs(errors, "name_vi".into())}
        {text(def, l.pick("Tên tiếng Anh", "English name").into(), "mv-name_en".into(), d.name_en.clone(), false, |d, v| d.name_en = v)}
        {text(def, l.pick("Khẩu hiệu", "Slogan").into(), "mv-slogan_vi".into(), d.slogan_vi.clone(), false, |d, v| d.slogan_vi = v)}
        {text(def, l.pick("Căn cứ", "Basis").into(), "mv-basis_vi".into(), d.basis_vi.clone(), true, |d, v| d.basis_vi = v)}
        <label class="field"><span>{l.pick("Ngày bắt đầu", "Starts on")}</span>
            <input type="date" value=crate::domain::date::to_iso(d.starts_on) data-testid="mv-starts_on"
                on:input=move |ev| if let Some(x) = crate::domain::date::parse_iso(&event_target_value(&ev)) { def.update(|d| d.starts_on = x) }/></label>
        <h3>{l.pick("Cơ quan thường trực (ký báo cáo)", "The office that signs reports")}</h3>
        <p class="muted small">{l.pick(
            "Ví dụ: Phòng Nội vụ · PNV · Trưởng phòng; Sở Nội vụ · SNV · Giám đốc. Để trống: báo cáo ban hành nhân danh UBND.",
            "E.g. Phòng Nội vụ · PNV · Trưởng phòng; Sở Nội vụ · SNV · Giám đốc. Empty: reports go out in the name of the People's Committee.")}</p>
        {text(def, l.pick("Tên cơ quan", "Office").into(), "mv-office-name_vi".into(), d.office.name_vi.clone(), false, |d, v| d.office.name_vi = v)}
        {errs(errors, "office.name_vi".into())}
        {text(def, l.pick("Chữ viết tắt (số văn bản)", "Letters in document numbers").into(), "mv-office-code".into(), d.office.code.clone(), false, |d, v| d.office.code = v)}
        {errs(errors, "office.code".into())}
        {text(def, l.pick("Chức danh người ký", "Signer's title").into(), "mv-office-signer_vi".into(), d.office.signer_vi.clone(), false, |d, v| d.office.signer_vi = v)}
        {errs(errors, "office.signer_vi".into())}
    }
}

#[component]
fn Areas(def: Def, shape: Shape, errors: Errors) -> impl IntoView {
    let lang = use_lang();
    let total = move || def.with(|d| (d.content_areas.iter().map(|a| a.max_points).sum::<u32>(), d.scoring.sheet_total));
    let add = move |_| {
        def.update(|d| {
            let no = d.content_areas.iter().map(|a| a.no).max().unwrap_or(0) + 1;
            d.content_areas.push(ContentArea {
                code: free_code(d.content_areas.iter().map(|a| a.code.as_str()), "noi-dung"),
                no,
                title_vi: String::new(),
                title_en: String::new(),
                max_points: 0,
                criterion_vi: String::new(),
            });
        });
        shape.update(|n| *n += 1);
    };
    view! {
        <h2>{move || lang.get().pick("Nội dung và điểm", "Content areas and points")}</h2>
        <p data-testid="points-total">{move || { let (sum, of) = total(); format!("{} {sum} / {of}", lang.get().pick("Tổng điểm:", "Total:")) }}</p>
        {errs(errors, "content_areas".into())}
        {move || {
            shape.track();
            let l = lang.get_untracked();
            def.get_untracked().content_areas.into_iter().enumerate().map(|(n, a)| {
                let code = a.code.clone();
                let remove = move |_| { def.update(|d| { d.content_areas.remove(n); }); shape.update(|s| *s += 1); };
                view! {
                    <fieldset class="crit" data-testid=format!("area-{n}") data-code=code.clone()>
                        <legend>{format!("{} {}", l.pick("Nội dung", "Area"), a.no)}</legend>
                        {text(def, l.pick("Tên nội dung", "Title").into(), format!("area-{n}-title_vi"), a.title_vi.clone(), false,
                            move |d, v| if let Some(a) = d.content_areas.get_mut(n) { a.title_vi = v })}
                        {number(def, l.pick("Điểm tối đa", "Maximum points").into(), format!("area-{n}-max_points"), a.max_points,
                            move |d, v| if let Some(a) = d.content_areas.get_mut(n) { a.max_points = v })}
                        {text(def, l.pick("Tiêu chí", "Criterion").into(), format!("area-{n}-criterion_vi"), a.criterion_vi.clone(), true,
                            move |d, v| if let Some(a) = d.content_areas.get_mut(n) { a.criterion_vi = v })}
                        {errs(errors, format!("content_areas.{code}"))}
                        <button type="button" class="small" on:click=remove>{l.pick("Bỏ nội dung này", "Remove this area")}</button>
                    </fieldset>
                }
            }).collect_view()
        }}
        <button type="button" class="small" on:click=add data-testid="add-area">{move || lang.get().pick("Thêm nội dung", "Add an area")}</button>
    }
}

#[component]
fn Scoring(def: Def, shape: Shape, errors: Errors) -> impl IntoView {
    let l = use_lang().get_untracked();
    let s = def.get_untracked().scoring;
    view! {
        <h2>{l.pick("Chấm điểm và xếp loại", "Scoring and bands")}</h2>
        <div class="pair">
            {number(def, l.pick("Tổng điểm bảng chấm", "Sheet total").into(), "mv-sheet_total".into(), s.sheet_total, |d, v| d.scoring.sheet_total = v)}
            {number(def, l.pick("Điểm thưởng tối đa", "Bonus cap").into(), "mv-bonus_cap".into(), s.bonus_cap, |d, v| d.scoring.bonus_cap = v)}
            {number(def, l.pick("Điểm trừ tối đa", "Deduction cap").into(), "mv-deduction_cap".into(), s.deduction_cap, |d, v| d.scoring.deduction_cap = v)}
            {number(def, l.pick("Trừ khi nộp muộn", "Late report deduction").into(), "mv-late".into(), s.late_report_deduction, |d, v| d.scoring.late_report_deduction = v)}
        </div>
        {move || {
            shape.track();
            def.get_untracked().scoring.bands.into_iter().enumerate().map(|(n, b)| view! {
                <label class="field"><span>{format!("{} “{}”", l.pick("Điểm tối thiểu mức", "Minimum for"), l.pick(&b.label_vi, &b.label_en))}</span>
                    <input inputmode="decimal" value=b.min_total.to_string() data-testid=format!("band-{n}")
                        on:input=move |ev| { let v = event_target_value(&ev).replace(',', ".").trim().parse().unwrap_or(f64::NAN);
                            def.update(|d| if let Some(b) = d.scoring.bands.get_mut(n) { b.min_total = v }) }/></label>
            }).collect_view()
        }}
        {errs(errors, "scoring".into())}
        <awards::TieBreaks def shape errors/>
    }
}

/// `prefix-N`, the first N not taken.
fn free_code<'a>(taken: impl Iterator<Item = &'a str> + Clone, prefix: &str) -> String {
    (1..).map(|n| format!("{prefix}-{n}")).find(|c| !taken.clone().any(|t| t == c)).unwrap_or_default()
}

#[component]
fn Indicators(def: Def, shape: Shape, errors: Errors) -> impl IntoView {
    let lang = use_lang();
    let add = move |_| {
        def.update(|d| {
            let code = free_code(d.indicators.iter().map(|i| i.code.as_str()), "chi-so");
            d.indicators.push(Indicator {
                code,
                name_vi: String::new(),
                name_en: String::new(),
                kind: IndicatorKind::Count,
                unit_vi: String::new(),
                unit_en: String::new(),
                rollup: RollUp::Sum,
                numerator_vi: None,
                denominator_vi: None,
                level_max: None,
                categories: vec![ParticipantCategory::Commune],
                rules: Vec::new(),
                carry_over: None,
            });
        });
        shape.update(|n| *n += 1);
    };
    view! {
        <h2>{move || lang.get().pick("Chỉ số", "Indicators")}</h2>
        {move || {
            shape.track();
            let l = lang.get_untracked();
            let all = def.get_untracked().indicators;
            all.iter().enumerate().map(|(n, i)| indicator(def, shape, errors, l, n, i, &all)).collect_view()
        }}
        <button type="button" class="small" on:click=add data-testid="add-indicator">{move || lang.get().pick("Thêm chỉ số", "Add an indicator")}</button>
    }
}

fn indicator(def: Def, shape: Shape, errors: Errors, l: Lang, n: usize, i: &Indicator, all: &[Indicator]) -> impl IntoView {
    let redraw = move || shape.update(|s| *s += 1);
    let set_kind = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if let Some(k) = IndicatorKind::parse(&v) {
            def.update(|d| {
                if let Some(i) = nth(d, n) {
                    i.kind = k;
                    // The first roll-up the type allows, and parts it has.
                    i.rollup = k.allowed_rollups()[0];
                    i.level_max = (k == IndicatorKind::Level).then_some(4);
                    for r in &mut i.rules {
                        r.part = if k == IndicatorKind::Ratio { Part::Numerator } else { Part::Value };
                    }
                }
            });
            redraw();
        }
    };
    let set_rollup = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if let Some(r) = RollUp::parse(&v) {
            def.update(|d| {
                if let Some(i) = nth(d, n) {
                    i.rollup = r
                }
            });
        }
    };
    let add_rule = move |_| {
        def.update(|d| {
            let Some(me) = d.indicators.get(n) else { return };
            let other = d.indicators.iter().find(|o| o.code != me.code).unwrap_or(me);
            let part_of = |k: IndicatorKind| if k == IndicatorKind::Ratio { Part::Numerator } else { Part::Value };
            let rule =
                FieldRule { part: part_of(me.kind), compare: Compare::AtMost, other: other.code.clone(), other_part: part_of(other.kind) };
            if let Some(i) = nth(d, n) {
                i.rules.push(rule);
            }
        });
        redraw();
    };
    let code = i.code.clone();
    let ratio = i.kind == IndicatorKind::Ratio;
    view! {
        <fieldset class="crit" data-testid=format!("indicator-{n}") data-code=code.clone()>
            <legend>{if i.name_vi.is_empty() { i.code.clone() } else { i.name_vi.clone() }}</legend>
            {text(def, l.pick("Mã", "Code").into(), format!("ind-{n}-code"), i.code.clone(), false, move |d, v| if let Some(i) = nth(d, n) { i.code = v })}
            {text(def, l.pick("Tên chỉ số", "Name").into(), format!("ind-{n}-name_vi"), i.name_vi.clone(), false, move |d, v| if let Some(i) = nth(d, n) { i.name_vi = v })}
            {text(def, l.pick("Tên tiếng Anh", "English name").into(), format!("ind-{n}-name_en"), i.name_en.clone(), false, move |d, v| if let Some(i) = nth(d, n) { i.name_en = v })}
            <div class="pair">
                <label class="field"><span>{l.pick("Loại", "Type")}</span>
                    <select data-testid=format!("ind-{n}-kind") on:change=set_kind>
                        {IndicatorKind::ALL.into_iter().map(|k| view! { <option value=k.code() selected=k == i.kind>{l.pick(k.label_vi(), k.label_en())}</option> }).collect_view()}
                    </select></label>
                <label class="field"><span>{l.pick("Cách tổng hợp", "Roll-up")}</span>
                    <select data-testid=format!("ind-{n}-rollup") on:change=set_rollup>
                        {RollUp::ALL.into_iter().map(|r| view! { <option value=r.code() selected=r == i.rollup>{l.pick(r.label_vi(), r.label_en())}</option> }).collect_view()}
                    </select></label>
            </div>
            {text(def, l.pick("Đơn vị tính", "Unit of measure").into(), format!("ind-{n}-unit_vi"), i.unit_vi.clone(), false, move |d, v| if let Some(i) = nth(d, n) { i.unit_vi = v })}
            {ratio.then(|| view! {
                <div class="pair">
                    {text(def, l.pick("Tử số đếm gì", "Numerator counts").into(), format!("ind-{n}-numerator_vi"), i.numerator_vi.clone().unwrap_or_default(), false,
                        move |d, v| if let Some(i) = nth(d, n) { i.numerator_vi = (!v.trim().is_empty()).then_some(v) })}
                    {text(def, l.pick("Mẫu số đếm gì", "Denominator counts").into(), format!("ind-{n}-denominator_vi"), i.denominator_vi.clone().unwrap_or_default(), false,
                        move |d, v| if let Some(i) = nth(d, n) { i.denominator_vi = (!v.trim().is_empty()).then_some(v) })}
                </div>
            })}
            <fieldset class="field cats"><legend>{l.pick("Nhóm đối tượng báo cáo", "Reporting categories")}</legend>
                {ParticipantCategory::ALL.into_iter().map(|c| view! {
                    <label class="check"><input type="checkbox" checked=i.categories.contains(&c) data-testid=format!("ind-{n}-cat-{}", c.code())
                        on:change=move |ev| { let on = event_target_checked(&ev);
                            def.update(|d| if let Some(i) = nth(d, n) { i.categories.retain(|x| *x != c); if on { i.categories.push(c) } }) }/>
                        {l.pick(c.label_vi(), c.label_en())}</label>
                }).collect_view()}
            </fieldset>
            <h3 class="small">{l.pick("Quy tắc so sánh với chỉ số khác", "Rules against other fields")}</h3>
            {i.rules.iter().enumerate().map(|(r, rule)| rule_row(def, shape, l, n, r, rule, i, all)).collect_view()}
            <button type="button" class="small" on:click=add_rule data-testid=format!("ind-{n}-add-rule")>{l.pick("Thêm quy tắc", "Add a rule")}</button>" "
            <button type="button" class="small" data-testid=format!("ind-{n}-remove")
                on:click=move |_| { def.update(|d| { d.indicators.remove(n); }); redraw(); }>{l.pick("Bỏ chỉ số này", "Remove this indicator")}</button>
            {errs(errors, format!("indicators.{code}"))}
        </fieldset>
    }
}

fn nth(d: &mut MovementDefinition, n: usize) -> Option<&mut Indicator> {
    d.indicators.get_mut(n)
}

#[allow(clippy::too_many_arguments)]
fn rule_row(def: Def, shape: Shape, l: Lang, n: usize, r: usize, rule: &FieldRule, me: &Indicator, all: &[Indicator]) -> impl IntoView {
    let edit = move |f: Box<dyn FnOnce(&mut FieldRule)>| {
        def.update(|d| {
            if let Some(x) = d.indicators.get_mut(n).and_then(|i| i.rules.get_mut(r)) {
                f(x)
            }
        })
    };
    let parts = |k: IndicatorKind| Part::ALL.into_iter().filter(move |p| p.belongs_to(k));
    let other_kind = all.iter().find(|o| o.code == rule.other).map(|o| o.kind).unwrap_or(IndicatorKind::Count);
    let id = move |what: &str| format!("ind-{n}-rule-{r}-{what}");
    let part_label = |p: Part, i: &Indicator| l.pick(&p.label_vi(i), &p.label_en(i)).to_string();
    view! {
        <div class="rule" data-testid=id("row")>
            <select data-testid=id("part") on:change=move |ev| { let v = event_target_value(&ev); if let Some(p) = Part::parse(&v) { edit(Box::new(move |x| x.part = p)) } }>
                {parts(me.kind).map(|p| view! { <option value=p.code() selected=p == rule.part>{part_label(p, me)}</option> }).collect_view()}
            </select>" "
            <select data-testid=id("compare") on:change=move |ev| { let v = event_target_value(&ev); if let Some(c) = Compare::parse(&v) { edit(Box::new(move |x| x.compare = c)) } }>
                {Compare::ALL.into_iter().map(|c| view! { <option value=c.code() selected=c == rule.compare>{l.pick(c.label_vi(), c.label_en())}</option> }).collect_view()}
            </select>" "
            <select data-testid=id("other") on:change=move |ev| {
                let v = event_target_value(&ev);
                let kind = def.with_untracked(|d| d.indicators.iter().find(|o| o.code == v).map(|o| o.kind));
                edit(Box::new(move |x| { x.other_part = if kind == Some(IndicatorKind::Ratio) { Part::Numerator } else { Part::Value }; x.other = v; }));
                shape.update(|s| *s += 1);
            }>
                {all.iter().map(|o| view! { <option value=o.code.clone() selected=o.code == rule.other>{if o.name_vi.is_empty() { o.code.clone() } else { o.name_vi.clone() }}</option> }).collect_view()}
            </select>" "
            <select data-testid=id("other_part") on:change=move |ev| { let v = event_target_value(&ev); if let Some(p) = Part::parse(&v) { edit(Box::new(move |x| x.other_part = p)) } }>
                {parts(other_kind).map(|p| {
                    let label = all.iter().find(|o| o.code == rule.other).map(|o| part_label(p, o)).unwrap_or_else(|| p.code().to_string());
                    view! { <option value=p.code() selected=p == rule.other_part>{label}</option> }
                }).collect_view()}
            </select>" "
            <button type="button" class="small" data-testid=id("remove")
                on:click=move |_| { def.update(|d| if let Some(i) = d.indicators.get_mut(n) { if r < i.rules.len() { i.rules.remove(r); } }); shape.update(|s| *s += 1); }>
                {l.pick("Bỏ", "Remove")}</button>
        </div>
    }
}

#[component]
fn Periods(def: Def, shape: Shape, errors: Errors) -> impl IntoView {
    let l = use_lang().get_untracked();
    let p = def.get_untracked().periods;
    view! {
        <h2>{l.pick("Kỳ báo cáo", "Periods")}</h2>
        <div class="pair">
            <label class="field"><span>{l.pick("Báo cáo tháng từ", "Monthly from")}</span>
                <input type="month" value=p.monthly_from.clone() data-testid="mv-monthly_from"
                    on:input=move |ev| { let v = event_target_value(&ev); def.update(|d| d.periods.monthly_from = v) }/></label>
            <label class="field"><span>{l.pick("đến", "until")}</span>
                <input type="month" value=p.monthly_until.clone() data-testid="mv-monthly_until"
                    on:input=move |ev| { let v = event_target_value(&ev); def.update(|d| d.periods.monthly_until = v) }/></label>
            {number(def, l.pick("Hạn nộp: ngày … tháng sau", "Due on day … of the next month").into(), "mv-deadline_day".into(), p.deadline_day.into(),
                |d, v| d.periods.deadline_day = v.min(255) as u8)}
            {number(def, l.pick("Số ngày gia hạn", "Grace days").into(), "mv-grace_days".into(), p.grace_days.into(),
                |d, v| d.periods.grace_days = v.min(255) as u8)}
        </div>
        {errs(errors, "periods".into())}
        <Reviews def shape/>
    }
}

/// Sơ kết and tổng kết: each a range of days with its own deadline.
#[component]
fn Reviews(def: Def, shape: Shape) -> impl IntoView {
    use crate::domain::date::{parse_iso, to_iso};
    use crate::domain::period::{Period, PeriodKind};
    let lang = use_lang();
    let add = move |_| {
        def.update(|d| {
            let code = free_code(d.periods.reviews.iter().map(|r| r.code.as_str()), "so-ket");
            let day = d.starts_on;
            d.periods.reviews.push(Period {
                code,
                kind: PeriodKind::MidTerm,
                label_vi: "Sơ kết".into(),
                label_en: "Mid-term review".into(),
                starts_on: day,
                ends_on: day,
                deadline: day,
            });
        });
        shape.update(|n| *n += 1);
    };
    let date = move |label: String,
                     testid: String,
                     value: crate::domain::date::Date,
                     set: fn(&mut Period, crate::domain::date::Date),
                     n: usize| {
        view! {
            <label class="field"><span>{label}</span>
                <input type="date" value=to_iso(value) data-testid=testid
                    on:input=move |ev| if let Some(x) = parse_iso(&event_target_value(&ev)) {
                        def.update(|d| if let Some(r) = d.periods.reviews.get_mut(n) { set(r, x) })
                    }/></label>
        }
    };
    view! {
        <h3>{move || lang.get().pick("Sơ kết, tổng kết", "Reviews")}</h3>
        {move || {
            shape.track();
            let l = lang.get_untracked();
            def.get_untracked().periods.reviews.into_iter().enumerate().map(|(n, r)| {
                let remove = move |_| { def.update(|d| { d.periods.reviews.remove(n); }); shape.update(|s| *s += 1); };
                let final_kind = r.kind == PeriodKind::Final;
                view! {
                    <fieldset class="crit" data-testid=format!("review-{n}") data-code=r.code.clone()>
                        <legend>{r.code.clone()}</legend>
                        {text(def, l.pick("Tên kỳ", "Label").into(), format!("review-{n}-label_vi"), r.label_vi.clone(), false,
                            move |d, v| if let Some(r) = d.periods.reviews.get_mut(n) { r.label_vi = v })}
                        <label class="field"><span>{l.pick("Loại", "Kind")}</span>
                            <select data-testid=format!("review-{n}-kind") on:change=move |ev| {
                                let kind = if event_target_value(&ev) == "final" { PeriodKind::Final } else { PeriodKind::MidTerm };
                                def.update(|d| if let Some(r) = d.periods.reviews.get_mut(n) { r.kind = kind });
                            }>
                                <option value="mid_term" selected=!final_kind>{l.pick("Sơ kết", "Mid-term")}</option>
                                <option value="final" selected=final_kind>{l.pick("Tổng kết", "Final")}</option>
                            </select></label>
                        <div class="pair">
                            {date(l.pick("Từ ngày", "From").into(), format!("review-{n}-starts_on"), r.starts_on, |r, x| r.starts_on = x, n)}
                            {date(l.pick("Đến ngày", "To").into(), format!("review-{n}-ends_on"), r.ends_on, |r, x| r.ends_on = x, n)}
                            {date(l.pick("Hạn nộp", "Due").into(), format!("review-{n}-deadline"), r.deadline, |r, x| r.deadline = x, n)}
                        </div>
                        <button type="button" class="small" on:click=remove data-testid=format!("review-{n}-remove")>{l.pick("Bỏ kỳ này", "Remove")}</button>
                    </fieldset>
                }
            }).collect_view()
        }}
        <button type="button" class="small" on:click=add data-testid="add-review">{move || lang.get().pick("Thêm kỳ sơ kết, tổng kết", "Add a review")}</button>
    }
}

/// The phone's report form for one category, built from the definition as
/// it stands by the same code the server uses (`ReportForm::of`), and
/// checked as a unit would fill it.
#[component]
fn Preview(def: Def, code: String, organiser: String) -> impl IntoView {
    let lang = use_lang();
    let category = RwSignal::new(ParticipantCategory::Commune);
    let shown = RwSignal::new(false);
    let form = move || {
        let m = crate::domain::template::instantiate(def.get_untracked(), &code, &organiser).ok()?;
        crate::domain::report::ReportForm::of(&m, "xem-truoc", "Đơn vị mẫu", category.get_untracked())
    };
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    // Drawn on demand, not on every keystroke in the editor.
    let drawn = RwSignal::new(0u32);
    view! {
        <section class="card" data-testid="preview">
            <h2>{t("Xem trước biểu mẫu trên điện thoại", "Preview of the phone's form")}</h2>
            <label class="field"><span>{t("Nhóm đối tượng", "Category")}</span>
                <select data-testid="preview-category" on:change=move |ev| {
                    if let Some(c) = ParticipantCategory::from_code(&event_target_value(&ev)) { category.set(c) }
                }>
                    {move || ParticipantCategory::ALL.into_iter().map(|c| view! {
                        <option value=c.code() selected=c == category.get_untracked()>{lang.get().pick(c.label_vi(), c.label_en())}</option>
                    }).collect_view()}
                </select></label>
            <button type="button" class="small" data-testid="show-preview" on:click=move |_| { shown.set(true); drawn.update(|n| *n += 1) }>
                {t("Xem trước", "Preview")}</button>
            {move || {
                drawn.track();
                shown.get().then(|| match form() {
                    None => view! { <p class="error" data-testid="preview-none">{lang.get_untracked().pick(
                        "Sửa các lỗi (hoặc chọn nhóm có tiêu chí) để xem trước.",
                        "Fix the errors (or pick a category with criteria) to preview.")}</p> }.into_any(),
                    Some(f) => view! { <div class="phone-frame">{crate::pages::report::preview(f)}</div> }.into_any(),
                })
            }}
        </section>
    }
}
