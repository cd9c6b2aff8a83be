//! Nominations for awards and exemplary stories, filed from a phone like the
//! report: checked as typed against the movement's award rules (the same
//! code the server runs), kept on the phone, queued, synced.

use crate::components::form::Fields;
use crate::domain::attachment::FileRef;
use crate::domain::award::NomineeKind;
use crate::domain::nomination::{Gender, NominationBody};
use crate::domain::story::StoryBody;
use crate::domain::sync::ItemBody;
use crate::domain::FieldError;
use crate::i18n::use_lang;
use crate::offline::engine::{save, soon};
use crate::offline::item::LocalItem;
use crate::offline::use_offline;
use crate::pages::report::evidence::{edit_files, file_picker, FilesChange};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(NominatePage, nominate_page, field);

/// The phone's date, as stored and as a date.
fn today() -> (String, crate::domain::date::Date) {
    let d = js_sys::Date::new_0();
    let iso = format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date());
    let date = crate::domain::date::parse_iso(&iso).unwrap_or(time::Date::MIN);
    (iso, date)
}

/// Queues a new item with a fresh id, or `again` (a returned item,
/// corrected: the same id, its next revision); clears the form on success.
fn queue(ev: &leptos::ev::SubmitEvent, prefix: &'static str, body: ItemBody, again: Option<LocalItem>) {
    let o = use_offline();
    let form = ev.target().and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlFormElement>(t).ok());
    leptos::task::spawn_local(async move {
        let mut it = match again {
            Some(mut it) => {
                it.edit(body);
                it
            }
            None => LocalItem::new(format!("{prefix}-{}", crate::offline::local::uuid()), body),
        };
        it.submit();
        if save(o, it).await.is_ok() {
            if let Some(f) = form {
                f.reset();
            }
            soon(o);
        }
    });
}

/// The id of the `k`-th problem with `field` in a form whose ids start
/// `prefix`.
fn problem_id(prefix: &str, field: &str, k: usize) -> String {
    format!("err-{prefix}-{field}-{k}")
}

/// The form's problems, each with an id its field points to.
fn problems_view(p: RwSignal<Vec<FieldError>>, prefix: &'static str) -> impl IntoView {
    let lang = use_lang();
    move || {
        let all = p.get();
        all.iter()
            .enumerate()
            .map(|(i, e)| {
                let k = all[..i].iter().filter(|o| o.field == e.field).count();
                view! {
                    <p class="error" id=problem_id(prefix, &e.field, k) data-testid=format!("err-{}", e.field)>
                        {lang.get().pick(&e.message_vi, &e.message_en).to_string()}</p>
                }
            })
            .collect_view()
    }
}

/// `aria-describedby` for a field: its problems, while they show.
fn described(p: RwSignal<Vec<FieldError>>, prefix: &'static str, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || {
        let n = p.with(|es| es.iter().filter(|e| e.field == field).count());
        (n > 0).then(|| (0..n).map(|k| problem_id(prefix, field, k)).collect::<Vec<_>>().join(" "))
    }
}

/// `aria-invalid` for a field, from the same problems.
fn invalid(p: RwSignal<Vec<FieldError>>, field: &'static str) -> impl Fn() -> Option<&'static str> + Copy {
    move || p.with(|es| es.iter().any(|e| e.field == field)).then_some("true")
}

/// Moves the focus to the first field with a problem, once they show.
fn focus_first_problem(form: NodeRef<leptos::html::Form>) {
    leptos::prelude::set_timeout(
        move || {
            let Some(f) = form.get_untracked() else { return };
            if let Ok(Some(el)) = f.query_selector("[aria-invalid=\"true\"]") {
                if let Ok(el) = leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        },
        std::time::Duration::ZERO,
    );
}

fn nominate_page() -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    let nom_problems = RwSignal::new(Vec::<FieldError>::new());
    let story_problems = RwSignal::new(Vec::<FieldError>::new());
    let kind = RwSignal::new(NomineeKind::Individual);
    // A returned nomination being corrected: sent again under its own id.
    let editing = RwSignal::new(None::<LocalItem>);
    let nom_form = NodeRef::<leptos::html::Form>::new();
    // The story being written, kept as a draft.
    let story_draft = RwSignal::new(None::<LocalItem>);
    let story_form = NodeRef::<leptos::html::Form>::new();
    // Their evidence files (the rest of each is read from its form's fields).
    let nom_files = RwSignal::new(Vec::<FileRef>::new());
    let story_files = RwSignal::new(Vec::<FileRef>::new());
    // The movement in the URL (`?phong-trao=`), else the newest the unit
    // files for: its award rules and content areas.
    let query = leptos_router::hooks::use_query_map();
    let form = Memo::new(move |_| query.with(|q| o.form_of(q.get("phong-trao").as_deref())));
    // The date a nomination counts from: the one it was first made on.
    let nominated_on = move || match editing.with_untracked(|e| e.as_ref().map(|i| i.body.clone())) {
        Some(ItemBody::Nomination(n)) if !n.nominated_on.is_empty() => {
            let day = crate::domain::date::parse_iso(&n.nominated_on).unwrap_or(today().1);
            (n.nominated_on, day)
        }
        _ => today(),
    };
    let nominate = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        let Some(form) = form.get_untracked() else { return };
        let (date, day) = nominated_on();
        let again = editing.get_untracked();
        let body = nomination_from(&f, &form, kind.get_untracked(), date, nom_files.get_untracked());
        let errs = body.validate(&form.unit, &form.award_forms, &form.eligibility, day);
        nom_problems.set(errs.clone());
        if !errs.is_empty() {
            focus_first_problem(nom_form);
        } else {
            queue(&ev, "dn", ItemBody::Nomination(body), again);
            editing.set(None);
            nom_files.set(Vec::new());
        }
    };
    // Every change is kept on the phone as a draft, like the report.
    let save_nomination = move || {
        let (Some(el), Some(form)) = (nom_form.get_untracked(), form.get_untracked()) else { return };
        let body = nomination_from(&Fields::of_form(&el), &form, kind.get_untracked(), nominated_on().0, nom_files.get_untracked());
        keep_draft(editing, "dn", ItemBody::Nomination(body));
    };
    let autosave = move |_| save_nomination();
    let nom_edit = edit_files(move |f: FilesChange| {
        nom_files.update(|fs| f(fs));
        save_nomination();
    });
    // A draft left on the phone opens again in the form.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !o.ready.get() {
            return done.unwrap_or(false);
        }
        let Some(f) = form.get() else { return false };
        if let Some(i) = draft(&f, |b| matches!(b, ItemBody::Nomination(_))).filter(|_| editing.with_untracked(Option::is_none)) {
            if let ItemBody::Nomination(n) = &i.body {
                let n = n.clone();
                kind.set(n.nominee_kind);
                nom_files.set(n.files.clone());
                leptos::prelude::set_timeout(move || fill(nom_form, &n), std::time::Duration::ZERO);
            }
            editing.set(Some(i));
        }
        if let Some(i) = draft(&f, |b| matches!(b, ItemBody::Story(_))).filter(|_| story_draft.with_untracked(Option::is_none)) {
            if let ItemBody::Story(st) = &i.body {
                story_files.set(st.files.clone());
                fill_story(story_form, st);
            }
            story_draft.set(Some(i));
        }
        true
    });
    let story = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        let Some(form) = form.get_untracked() else { return };
        let body = story_from(&f, &form, story_files.get_untracked());
        let errs = body.validate(&form.unit, &form.criteria.iter().map(|c| c.area.clone()).collect::<Vec<_>>());
        story_problems.set(errs.clone());
        if !errs.is_empty() {
            focus_first_problem(story_form);
        } else {
            queue(&ev, "gd", ItemBody::Story(body), story_draft.get_untracked());
            story_draft.set(None);
            story_files.set(Vec::new());
        }
    };
    let save_story = move || {
        let (Some(el), Some(form)) = (story_form.get_untracked(), form.get_untracked()) else { return };
        keep_draft(story_draft, "gd", ItemBody::Story(story_from(&Fields::of_form(&el), &form, story_files.get_untracked())));
    };
    let story_autosave = move |_| save_story();
    let story_edit = edit_files(move |f: FilesChange| {
        story_files.update(|fs| f(fs));
        save_story();
    });
    view! {
        <Title text=move || lang.get().pick("Đề nghị khen thưởng", "Nominations").to_string()/>
        {move || (!o.ready.get() || form.with(|f| f.is_none())).then(|| view! {
            <p class="card muted">{lang.get().pick("Đang mở dữ liệu trên máy… (cần kết nối mạng một lần khi đã đăng nhập)", "Opening local data… (connect once while signed in)")}</p>
        })}
        <section class="card">
            <h1>{t("Đề nghị khen thưởng", "Nominate for an award")}</h1>
            {move || form.get().map(|f| view! { <crate::pages::report::MovementPicker current=f.movement base=crate::routes::NOMINATE/> })}
            <Returned form editing kind nom_form files=nom_files/>
            {move || editing.get().map(|i| view! {
                <p class="returned-banner" data-testid="editing" data-sent=(i.acked > 0).to_string()>
                    {if i.acked > 0 {
                        lang.get().pick("Đang sửa đề nghị bị trả lại: ", "Correcting a returned nomination: ")
                    } else {
                        lang.get().pick("Bản nháp lưu trên máy: ", "Draft kept on this phone: ")
                    }}
                    <strong>{match &i.body { ItemBody::Nomination(n) => n.name.clone(), _ => String::new() }}</strong>" "
                    <button type="button" class="small" on:click=move |_| { editing.set(None); nom_files.set(Vec::new()); if let Some(f) = nom_form.get() { f.reset(); } }>
                        {lang.get().pick("Thôi", "Cancel")}</button>
                </p>
            })}
            <form on:submit=nominate on:input=autosave on:change=autosave node_ref=nom_form data-testid="nomination-form">
                <label class="field"><span>{t("Đối tượng", "Nominee")}</span>
                    <select name="kind" data-testid="nominee-kind" on:change=move |ev| kind.set(match event_target_value(&ev).as_str() {
                        "collective" => NomineeKind::Collective, "household" => NomineeKind::Household, _ => NomineeKind::Individual })>
                        <option value="individual">{t("Cá nhân", "Individual")}</option>
                        <option value="collective">{t("Tập thể", "Collective")}</option>
                        <option value="household">{t("Hộ gia đình", "Household")}</option>
                    </select></label>
                <label class="field"><span>{t("Họ tên / tên tập thể", "Name")}</span><input name="name" aria-describedby=described(nom_problems, "dn", "name") aria-invalid=invalid(nom_problems, "name") data-testid="nominee-name"/></label>
                {move || (kind.get() == NomineeKind::Individual).then(|| view! {
                    <div class="pair">
                        <label class="field"><span>{t("Năm sinh", "Birth year")}</span><input name="birth_year" aria-describedby=described(nom_problems, "dn", "birth_year") aria-invalid=invalid(nom_problems, "birth_year") inputmode="numeric" data-testid="birth-year"/></label>
                        <label class="field"><span>{t("Giới tính", "Gender")}</span>
                            <select name="gender" aria-describedby=described(nom_problems, "dn", "gender") aria-invalid=invalid(nom_problems, "gender") data-testid="gender">
                                <option value="">"—"</option>
                                <option value="female">{t("Nữ", "Female")}</option>
                                <option value="male">{t("Nam", "Male")}</option>
                            </select></label>
                    </div>
                    <label class="field"><span>{t("Dân tộc", "Ethnicity")}</span><input name="ethnicity" aria-describedby=described(nom_problems, "dn", "ethnicity") aria-invalid=invalid(nom_problems, "ethnicity") data-testid="ethnicity"/></label>
                    <label class="field"><span>{t("Chức vụ", "Position")}</span><input name="position" aria-describedby=described(nom_problems, "dn", "position") aria-invalid=invalid(nom_problems, "position") data-testid="position"/></label>
                    <label class="field"><span>{t("Nơi công tác", "Workplace")}</span><input name="workplace" aria-describedby=described(nom_problems, "dn", "workplace") aria-invalid=invalid(nom_problems, "workplace") data-testid="workplace"/></label>
                    <label class="check"><input type="checkbox" name="posthumous" data-testid="posthumous"/>" "{t("Truy tặng", "Posthumous")}</label>
                })}
                <label class="field"><span>{t("Tóm tắt thành tích", "Achievement summary")}</span><textarea name="summary" aria-describedby=described(nom_problems, "dn", "summary") aria-invalid=invalid(nom_problems, "summary") rows="3" data-testid="summary"></textarea></label>
                <label class="field"><span>{t("Đóng góp (vật chất, ý tưởng…)", "Contributions")}</span><textarea name="contributions" aria-describedby=described(nom_problems, "dn", "contributions") aria-invalid=invalid(nom_problems, "contributions") rows="2"></textarea></label>
                <label class="field"><span>{t("Hình thức khen thưởng đề nghị", "Award form requested")}</span>
                    <select name="form" aria-describedby=described(nom_problems, "dn", "form") aria-invalid=invalid(nom_problems, "form") data-testid="award-form">
                        {move || form.get().map(|f| f.award_forms.into_iter().map(|a| {
                            let (vi, en) = (a.name_vi, a.name_en);
                            view! { <option value=a.code>{move || lang.get().pick(&vi, &en).to_string()}</option> }
                        }).collect_view())}
                    </select></label>
                {move || file_picker("nomination".into(), None, nom_files.into(), false, nom_edit, lang.get())}
                {problems_view(nom_problems, "dn")}
                <button type="submit" class="primary" data-testid="nominate-send">
                    {move || if editing.with(|e| e.as_ref().is_some_and(|i| i.acked > 0)) { lang.get().pick("Gửi lại đề nghị đã sửa", "Send the corrected nomination") } else { lang.get().pick("Gửi đề nghị", "Send nomination") }}
                </button>
            </form>
        </section>
        <section class="card">
            <h2>{t("Gương điển hình", "Exemplary story")}</h2>
            <form on:submit=story on:input=story_autosave on:change=story_autosave node_ref=story_form data-testid="story-form">
                <label class="field"><span>{t("Tiêu đề", "Title")}</span><input name="title" aria-describedby=described(story_problems, "gd", "title") aria-invalid=invalid(story_problems, "title") data-testid="story-title"/></label>
                <label class="field"><span>{t("Nội dung thi đua", "Content area")}</span>
                    <select name="area" aria-describedby=described(story_problems, "gd", "area") aria-invalid=invalid(story_problems, "area") data-testid="story-area">
                        {move || form.get().map(|f| f.criteria.into_iter().map(|c| {
                            let (vi, en) = (c.title_vi, c.title_en);
                            view! { <option value=c.area>{move || lang.get().pick(&vi, &en).to_string()}</option> }
                        }).collect_view())}
                    </select></label>
                <label class="field"><span>{t("Câu chuyện", "Story")}</span><textarea name="text" aria-describedby=described(story_problems, "gd", "text") aria-invalid=invalid(story_problems, "text") rows="5" data-testid="story-text"></textarea></label>
                {move || file_picker("story".into(), None, story_files.into(), false, story_edit, lang.get())}
                {problems_view(story_problems, "gd")}
                <button type="submit" class="primary" data-testid="story-send">{t("Gửi câu chuyện", "Send story")}</button>
            </form>
        </section>
        <crate::pages::report::Outbox/>
    }
}

/// The unit's nominations the organiser returned, with its reason; each
/// opens in the form above to be corrected and sent again.
#[component]
fn Returned(
    form: Memo<Option<crate::domain::report::ReportForm>>,
    editing: RwSignal<Option<LocalItem>>,
    kind: RwSignal<NomineeKind>,
    nom_form: NodeRef<leptos::html::Form>,
    files: RwSignal<Vec<FileRef>>,
) -> impl IntoView {
    use crate::offline::item::ItemState;
    let o = use_offline();
    let lang = use_lang();
    let returned = Memo::new(move |_| {
        let Some(f) = form.get() else { return Vec::new() };
        o.items.with(|all| {
            all.iter()
                .filter(|i| i.state == ItemState::Returned)
                .filter(|i| matches!(&i.body, ItemBody::Nomination(n) if n.unit == f.unit && n.movement.as_deref().is_none_or(|m| m == f.movement)))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let reopen = move |i: LocalItem| {
        let ItemBody::Nomination(n) = &i.body else { return };
        let n = n.clone();
        kind.set(n.nominee_kind);
        files.set(n.files.clone());
        editing.set(Some(i));
        // The individual's fields appear with the kind: fill once they are there.
        leptos::prelude::set_timeout(move || fill(nom_form, &n), std::time::Duration::ZERO);
    };
    move || {
        let l = lang.get();
        let list = returned.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="returned-banner" role="status" data-testid="returned-nominations">
                    <p>{l.pick("Đề nghị bị trả lại, cần sửa và gửi lại:", "Nominations returned to correct and resend:")}</p>
                    <ul>{list.into_iter().map(|i| {
                        let name = match &i.body { ItemBody::Nomination(n) => n.name.clone(), _ => String::new() };
                        let why = i.return_comment.clone().unwrap_or_default();
                        let id = i.id.clone();
                        view! {
                            <li>
                                <strong>{name}</strong>{(!why.is_empty()).then(|| format!(" — {why}"))}" "
                                <button type="button" class="small" data-testid=format!("reopen-{id}") on:click=move |_| reopen(i.clone())>
                                    {l.pick("Sửa và gửi lại", "Correct and resend")}</button>
                            </li>
                        }
                    }).collect_view()}</ul>
                </div>
            }
        })
    }
}

/// Puts a nomination's values back into the form's fields, by name.
fn fill(nom_form: NodeRef<leptos::html::Form>, n: &NominationBody) {
    let Some(f) = nom_form.get_untracked() else { return };
    let kind = match n.nominee_kind {
        NomineeKind::Collective => "collective",
        NomineeKind::Household => "household",
        NomineeKind::Individual => "individual",
    };
    let gender = match n.gender {
        Some(Gender::Female) => "female",
        Some(Gender::Male) => "male",
        None => "",
    };
    let birth = n.birth_year.map(|y| y.to_string()).unwrap_or_default();
    let values = [
        ("kind", kind),
        ("name", n.name.as_str()),
        ("birth_year", birth.as_str()),
        ("gender", gender),
        ("ethnicity", n.ethnicity.as_str()),
        ("position", n.position.as_str()),
        ("workplace", n.workplace.as_str()),
        ("summary", n.summary.as_str()),
        ("contributions", n.contributions.as_str()),
        ("form", n.form.as_str()),
    ];
    set_fields(&f, "value", &values.map(|(k, v)| (k, wasm_bindgen::JsValue::from_str(v))));
    set_fields(&f, "checked", &[("posthumous", n.posthumous.into())]);
    f.scroll_into_view();
}

/// Sets `property` of each named field of a form.
fn set_fields(f: &web_sys::HtmlFormElement, property: &str, values: &[(&str, wasm_bindgen::JsValue)]) {
    for (name, v) in values {
        if let Ok(Some(el)) = f.query_selector(&format!("[name=\"{name}\"]")) {
            let _ = js_sys::Reflect::set(&el, &property.into(), v);
        }
    }
}

/// A nomination from the form's fields.
fn nomination_from(
    f: &Fields,
    form: &crate::domain::report::ReportForm,
    kind: NomineeKind,
    nominated_on: String,
    files: Vec<FileRef>,
) -> NominationBody {
    NominationBody {
        unit: form.unit.clone(),
        nominee_kind: kind,
        name: f.get("name"),
        birth_year: f.get("birth_year").trim().parse().ok(),
        gender: match f.get("gender").as_str() {
            "female" => Some(Gender::Female),
            "male" => Some(Gender::Male),
            _ => None,
        },
        ethnicity: f.get("ethnicity"),
        position: f.get("position"),
        workplace: f.get("workplace"),
        summary: f.get("summary"),
        contributions: f.get("contributions"),
        form: f.get("form"),
        posthumous: f.get("posthumous") == "on",
        nominated_on,
        movement: Some(form.movement.clone()),
        files,
    }
}

/// A story from the form's fields.
fn story_from(f: &Fields, form: &crate::domain::report::ReportForm, files: Vec<FileRef>) -> StoryBody {
    StoryBody {
        unit: form.unit.clone(),
        title: f.get("title"),
        area: f.get("area"),
        text: f.get("text"),
        movement: Some(form.movement.clone()),
        files,
    }
}

/// Keeps `body` on the phone as the draft in `slot` (a new one, with a
/// fresh `prefix-` id, at the first change).
fn keep_draft(slot: RwSignal<Option<LocalItem>>, prefix: &str, body: ItemBody) {
    let o = use_offline();
    let mut it =
        slot.get_untracked().unwrap_or_else(|| LocalItem::new(format!("{prefix}-{}", crate::offline::local::uuid()), body.clone()));
    it.edit(body);
    slot.set(Some(it.clone()));
    leptos::task::spawn_local(async move {
        let _ = save(o, it).await;
    });
}

/// This unit's draft of the kind `is` picks, in this movement, if any.
fn draft(f: &crate::domain::report::ReportForm, is: impl Fn(&ItemBody) -> bool) -> Option<LocalItem> {
    use crate::offline::item::ItemState;
    use_offline().items.with_untracked(|all| {
        all.iter()
            .find(|i| {
                i.state == ItemState::Draft
                    && is(&i.body)
                    && i.body.movement().is_none_or(|m| m == f.movement)
                    && unit_of(&i.body) == Some(&f.unit)
            })
            .cloned()
    })
}

fn unit_of(b: &ItemBody) -> Option<&String> {
    match b {
        ItemBody::Nomination(n) => Some(&n.unit),
        ItemBody::Story(s) => Some(&s.unit),
        _ => None,
    }
}

/// Puts a story's values back into its form.
fn fill_story(story_form: NodeRef<leptos::html::Form>, st: &StoryBody) {
    let st = st.clone();
    leptos::prelude::set_timeout(
        move || {
            let Some(f) = story_form.get_untracked() else { return };
            let values = [("title", st.title.as_str()), ("area", st.area.as_str()), ("text", st.text.as_str())];
            set_fields(&f, "value", &values.map(|(k, v)| (k, wasm_bindgen::JsValue::from_str(v))));
        },
        std::time::Duration::ZERO,
    );
}
