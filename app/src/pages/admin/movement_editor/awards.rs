//! The movement editor's awards and ranking rules: the award forms with the
//! level that decides each, the eligibility rules with the dates they are in
//! force, the council's quorum and threshold, and the tie-break order. The
//! same `MovementDefinition::validate` checks them as they are typed.

use super::{errs, free_code, number, text, Def, Errors, Shape};
use crate::domain::award::{AwardForm, DecisionLevel, EligibilityRules, NomineeKind};
use crate::domain::council::PassBase;
use crate::domain::date::{parse_iso, to_iso};
use crate::domain::movement::{MovementDefinition, TieBreak};
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;

const NOMINEE_KINDS: [NomineeKind; 3] = [NomineeKind::Individual, NomineeKind::Collective, NomineeKind::Household];

fn check(def: Def, label: String, testid: String, on: bool, set: impl Fn(&mut MovementDefinition, bool) + 'static) -> impl IntoView {
    view! {
        <label class="check"><input type="checkbox" checked=on data-testid=testid
            on:change=move |ev| { let v = event_target_checked(&ev); def.update(|d| set(d, v)); }/>" "{label}</label>
    }
}

fn form_at(d: &mut MovementDefinition, n: usize) -> Option<&mut AwardForm> {
    d.award_forms.get_mut(n)
}

fn rules_at(d: &mut MovementDefinition, n: usize) -> Option<&mut EligibilityRules> {
    d.eligibility.get_mut(n)
}

#[component]
pub(super) fn Awards(def: Def, shape: Shape, errors: Errors) -> impl IntoView {
    let lang = use_lang();
    let redraw = move || shape.update(|s| *s += 1);
    let add_form = move |_| {
        def.update(|d| {
            let rank = d.award_forms.iter().map(|f| f.rank).max().unwrap_or(0).saturating_add(1);
            d.award_forms.push(AwardForm {
                code: free_code(d.award_forms.iter().map(|f| f.code.as_str()), "hinh-thuc"),
                name_vi: String::new(),
                name_en: String::new(),
                decided_by_vi: String::new(),
                decided_by_en: String::new(),
                level: DecisionLevel::Commune,
                rank,
                nominee_kinds: vec![NomineeKind::Individual, NomineeKind::Collective],
                posthumous_allowed: false,
                standard_vi: String::new(),
            });
        });
        redraw();
    };
    // A new version of the rules starts as a copy of the newest, in force
    // from the day after the newest's last day (or its first, to be changed).
    let add_rules = move |_| {
        def.update(|d| {
            let newest = d.eligibility.iter().max_by_key(|r| r.version).cloned();
            let mut next = newest.unwrap_or(EligibilityRules {
                version: 0,
                legal_basis_vi: String::new(),
                in_force_from: d.starts_on,
                in_force_until: None,
                district_decides: Vec::new(),
                one_open_nomination_per_nominee: true,
                posthumous_individuals_only: true,
            });
            next.version += 1;
            next.in_force_from = next.in_force_until.and_then(|u| u.next_day()).unwrap_or(next.in_force_from);
            next.in_force_until = None;
            d.eligibility.push(next);
        });
        redraw();
    };
    view! {
        <h2>{move || lang.get().pick("Hình thức khen thưởng", "Award forms")}</h2>
        {move || {
            shape.track();
            let l = lang.get_untracked();
            def.get_untracked().award_forms.iter().enumerate().map(|(n, f)| award_form(def, shape, errors, l, n, f)).collect_view()
        }}
        <button type="button" class="small" on:click=add_form data-testid="add-award-form">{move || lang.get().pick("Thêm hình thức", "Add an award form")}</button>
        <h2>{move || lang.get().pick("Điều kiện xét khen thưởng", "Eligibility rules")}</h2>
        <p class="small-text">{move || lang.get().pick(
            "Mỗi đề nghị xét theo quy định có hiệu lực vào ngày đề nghị; nếu trùng thời gian, phiên bản mới hơn được áp dụng.",
            "A nomination is checked by the rules in force on its date; where versions overlap, the newer applies.")}</p>
        {move || {
            shape.track();
            let l = lang.get_untracked();
            let d = def.get_untracked();
            d.eligibility.iter().enumerate().map(|(n, r)| eligibility(def, shape, errors, l, n, r, &d.award_forms)).collect_view()
        }}
        <button type="button" class="small" on:click=add_rules data-testid="add-eligibility">{move || lang.get().pick("Thêm quy định mới", "Add a new version")}</button>
        <Council def errors/>
    }
}

fn award_form(def: Def, shape: Shape, errors: Errors, l: Lang, n: usize, f: &AwardForm) -> impl IntoView {
    let code = f.code.clone();
    let id = move |what: &str| format!("award-{n}-{what}");
    let set_level = move |ev: leptos::ev::Event| {
        if let Some(v) = DecisionLevel::parse(&event_target_value(&ev)) {
            def.update(|d| {
                if let Some(f) = form_at(d, n) {
                    f.level = v
                }
            });
        }
    };
    view! {
        <fieldset class="crit" data-testid=id("form") data-code=code.clone()>
            <legend>{if f.name_vi.is_empty() { f.code.clone() } else { f.name_vi.clone() }}</legend>
            {text(def, l.pick("Mã", "Code").into(), id("code"), f.code.clone(), false, move |d, v| if let Some(f) = form_at(d, n) { f.code = v })}
            {text(def, l.pick("Tên hình thức", "Name").into(), id("name_vi"), f.name_vi.clone(), false, move |d, v| if let Some(f) = form_at(d, n) { f.name_vi = v })}
            {text(def, l.pick("Tên tiếng Anh", "English name").into(), id("name_en"), f.name_en.clone(), false, move |d, v| if let Some(f) = form_at(d, n) { f.name_en = v })}
            {text(def, l.pick("Người quyết định (ví dụ: Chủ tịch UBND xã)", "Decided by (e.g. the commune chair)").into(), id("decided_by_vi"),
                f.decided_by_vi.clone(), false, move |d, v| if let Some(f) = form_at(d, n) { f.decided_by_vi = v })}
            <div class="pair">
                <label class="field"><span>{l.pick("Cấp quyết định", "Deciding level")}</span>
                    <select data-testid=id("level") on:change=set_level>
                        {DecisionLevel::ALL.into_iter().map(|v| view! { <option value=v.code() selected=v == f.level>{l.pick(v.label_vi(), v.label_en())}</option> }).collect_view()}
                    </select></label>
                {number(def, l.pick("Thứ bậc (1 là cao nhất)", "Rank (1 is highest)").into(), id("rank"), f.rank.into(),
                    move |d, v| if let Some(f) = form_at(d, n) { f.rank = u8::try_from(v).unwrap_or(u8::MAX) })}
            </div>
            <fieldset class="field cats"><legend>{l.pick("Đối tượng", "Nominees")}</legend>
                {NOMINEE_KINDS.into_iter().map(|k| check(def, l.pick(k.label_vi(), k.label_en()).into(), format!("award-{n}-kind-{k:?}").to_lowercase(),
                    f.nominee_kinds.contains(&k), move |d, on| if let Some(f) = form_at(d, n) { f.nominee_kinds.retain(|x| *x != k); if on { f.nominee_kinds.push(k) } })).collect_view()}
            </fieldset>
            {check(def, l.pick("Được truy tặng", "May be posthumous").into(), id("posthumous"), f.posthumous_allowed,
                move |d, on| if let Some(f) = form_at(d, n) { f.posthumous_allowed = on })}
            {text(def, l.pick("Tiêu chuẩn", "Standard").into(), id("standard_vi"), f.standard_vi.clone(), true, move |d, v| if let Some(f) = form_at(d, n) { f.standard_vi = v })}
            {errs(errors, format!("award_forms.{code}"))}
            <button type="button" class="small" data-testid=id("remove")
                on:click=move |_| { def.update(|d| { d.award_forms.remove(n); }); shape.update(|s| *s += 1); }>{l.pick("Bỏ hình thức này", "Remove this form")}</button>
        </fieldset>
    }
}

fn eligibility(def: Def, shape: Shape, errors: Errors, l: Lang, n: usize, r: &EligibilityRules, forms: &[AwardForm]) -> impl IntoView {
    let id = move |what: &str| format!("rules-{n}-{what}");
    let version = r.version;
    view! {
        <fieldset class="crit" data-testid=id("v") data-version=version>
            <legend>{format!("{} {version}", l.pick("Phiên bản", "Version"))}</legend>
            {text(def, l.pick("Căn cứ pháp lý", "Legal basis").into(), id("legal_basis_vi"), r.legal_basis_vi.clone(), true,
                move |d, v| if let Some(r) = rules_at(d, n) { r.legal_basis_vi = v })}
            <div class="pair">
                <label class="field"><span>{l.pick("Có hiệu lực từ", "In force from")}</span>
                    <input type="date" value=to_iso(r.in_force_from) data-testid=id("from")
                        on:input=move |ev| if let Some(x) = parse_iso(&event_target_value(&ev)) { def.update(|d| if let Some(r) = rules_at(d, n) { r.in_force_from = x }) }/></label>
                <label class="field"><span>{l.pick("Hết hiệu lực sau ngày (để trống: còn hiệu lực)", "In force until (empty: still in force)")}</span>
                    <input type="date" value=r.in_force_until.map(to_iso).unwrap_or_default() data-testid=id("until")
                        on:input=move |ev| { let v = parse_iso(&event_target_value(&ev)); def.update(|d| if let Some(r) = rules_at(d, n) { r.in_force_until = v }) }/></label>
            </div>
            <fieldset class="field cats"><legend>{l.pick("Hình thức do cấp tổ chức phong trào quyết định (còn lại trình cấp trên)", "Forms the organiser decides (the rest go up)")}</legend>
                {forms.iter().map(|f| {
                    let code = f.code.clone();
                    check(def, f.name_vi.clone(), format!("rules-{n}-decides-{code}"), r.district_decides.contains(&code),
                        move |d, on| if let Some(r) = rules_at(d, n) { r.district_decides.retain(|x| *x != code); if on { r.district_decides.push(code.clone()) } })
                }).collect_view()}
            </fieldset>
            {check(def, l.pick("Mỗi đối tượng chỉ một đề nghị đang xét", "One open nomination per nominee").into(), id("one_open"),
                r.one_open_nomination_per_nominee, move |d, on| if let Some(r) = rules_at(d, n) { r.one_open_nomination_per_nominee = on })}
            {check(def, l.pick("Truy tặng chỉ cho cá nhân", "Posthumous awards to individuals only").into(), id("posthumous_individuals"),
                r.posthumous_individuals_only, move |d, on| if let Some(r) = rules_at(d, n) { r.posthumous_individuals_only = on })}
            {errs(errors, format!("eligibility.v{version}"))}
            <button type="button" class="small" data-testid=id("remove")
                on:click=move |_| { def.update(|d| { d.eligibility.remove(n); }); shape.update(|s| *s += 1); }>{l.pick("Bỏ phiên bản này", "Remove this version")}</button>
        </fieldset>
    }
}

#[component]
fn Council(def: Def, errors: Errors) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let c = def.get_untracked().council;
    let set_base = move |ev: leptos::ev::Event| {
        let base = if event_target_value(&ev) == "present" { PassBase::Present } else { PassBase::Members };
        def.update(|d| d.council.pass_base = base);
    };
    view! {
        <h2>{l.pick("Quy chế Hội đồng", "Council rule")}</h2>
        <div class="pair">
            {number(def, l.pick("Dự họp tối thiểu: tử số", "Quorum: numerator").into(), "council-quorum-num".into(), c.quorum.num, |d, v| d.council.quorum.num = v)}
            {number(def, l.pick("mẫu số", "denominator").into(), "council-quorum-den".into(), c.quorum.den, |d, v| d.council.quorum.den = v)}
        </div>
        <div class="pair">
            {number(def, l.pick("Thông qua: tử số", "Approval: numerator").into(), "council-pass-num".into(), c.pass.num, |d, v| d.council.pass.num = v)}
            {number(def, l.pick("mẫu số", "denominator").into(), "council-pass-den".into(), c.pass.den, |d, v| d.council.pass.den = v)}
        </div>
        <label class="field"><span>{l.pick("Tính trên", "Counted against")}</span>
            <select data-testid="council-pass-base" on:change=set_base>
                <option value="members" selected=c.pass_base == PassBase::Members>{l.pick("tổng số thành viên Hội đồng", "all council members")}</option>
                <option value="present" selected=c.pass_base == PassBase::Present>{l.pick("số thành viên dự họp", "the members present")}</option>
            </select></label>
        {check(def, l.pick("\"Trên\" tỉ lệ (không tính bằng)", "Strictly above the share").into(), "council-strictly".into(), c.pass_strictly_above,
            |d, on| d.council.pass_strictly_above = on)}
        <p class="small-text" data-testid="council-rule">{move || def.with(|d| d.council.text_vi())}</p>
        {errs(errors, "council".into())}
    }
}

#[derive(Clone, Copy)]
enum Step {
    Up(usize),
    Remove(usize),
    Add(TieBreak),
}

/// The tie-break order: move one up, drop one, add one not used.
#[component]
pub(super) fn TieBreaks(def: Def, shape: Shape, errors: Errors) -> impl IntoView {
    let lang = use_lang();
    let edit = move |step: Step| {
        def.update(|d| {
            let v = &mut d.scoring.tie_break;
            match step {
                Step::Up(n) => v.swap(n - 1, n),
                Step::Remove(n) => {
                    v.remove(n);
                }
                Step::Add(t) => v.push(t),
            }
        });
        shape.update(|s| *s += 1);
    };
    view! {
        <h3 class="small">{move || lang.get().pick("Thứ tự xét khi bằng điểm", "Tie-break order")}</h3>
        {move || {
            shape.track();
            let l = lang.get_untracked();
            let list = def.get_untracked().scoring.tie_break;
            let unused: Vec<TieBreak> = TieBreak::ALL.into_iter().filter(|t| !list.contains(t)).collect();
            view! {
                <ol data-testid="tie-breaks">
                    {list.iter().enumerate().map(|(n, t)| view! {
                        <li data-code=t.code()>{l.pick(t.label_vi(), t.label_en())}" "
                            {(n > 0).then(|| view! { <button type="button" class="small" data-testid=format!("tie-break-{}-up", t.code())
                                on:click=move |_| edit(Step::Up(n))>{l.pick("Lên", "Up")}</button> })}" "
                            <button type="button" class="small" data-testid=format!("tie-break-{}-remove", t.code())
                                on:click=move |_| edit(Step::Remove(n))>{l.pick("Bỏ", "Remove")}</button>
                        </li>
                    }).collect_view()}
                </ol>
                {unused.into_iter().map(|t| view! {
                    <button type="button" class="small" data-testid=format!("tie-break-{}-add", t.code())
                        on:click=move |_| edit(Step::Add(t))>{format!("{} {}", l.pick("Thêm:", "Add:"), l.pick(t.label_vi(), t.label_en()))}</button>" "
                }).collect_view()}
            }
        }}
        {errs(errors, "scoring.tie_break".into())}
    }
}
