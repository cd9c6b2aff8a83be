//! `/khen-thuong`: the officer's nominations desk. Each nomination with the
//! award rules it breaks (named); return one to its unit, put eligible ones
//! to a council sitting, close a sitting (minutes), record the district's
//! decision for passed nominations of the forms it decides.

use crate::api::council::{
    council_close, council_decide, council_desk, council_forward, council_open, council_outcome, council_return, NominationDesk,
    NominationRow, Stage,
};
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::movement_picker::{linked, movement_picker, page_query};
use crate::components::status::loaded;
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(NominationsPage, nominations_page, staff);

type Desk = Resource<Result<NominationDesk, AppError>>;

fn nominations_page() -> impl IntoView {
    let lang = use_lang();
    let query = page_query();
    let desk: Desk = Resource::new(move || query.get().1, council_desk);
    let notice: Notice = RwSignal::new(None);
    view! {
        <Title text=move || lang.get().pick("Khen thưởng", "Awards").to_string()/>
        <section class="card">
            <h1>{move || lang.get().pick("Đề nghị khen thưởng", "Award nominations")}</h1>
            <NoticeLine notice/>
            {loaded(desk, move |d, l| desk_view(d, l, notice, desk).into_any())}
        </section>
    }
}

fn desk_view(d: &NominationDesk, l: Lang, notice: Notice, desk: Desk) -> impl IntoView {
    let at = |s: Stage| d.rows.iter().filter(|r| r.stage == s).cloned().collect::<Vec<_>>();
    let (waiting, passed) = (at(Stage::Desk), at(Stage::Passed));
    let open = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(notice, "Đã mở phiên họp Hội đồng. / Sitting opened.", council_open(f.get("title"), f.all("ids")), move |_| {
            desk.refetch()
        });
    };
    let decide = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(
            notice,
            "Đã ghi quyết định. / Decision recorded.",
            council_decide(f.all("ids"), f.get("number"), f.get("date"), f.get("signer")),
            move |_| desk.refetch(),
        );
    };
    let forward = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(notice, "Đã trình cấp trên. / Forwarded.", council_forward(f.all("ids")), move |_| desk.refetch());
    };
    let forwarded = at(Stage::Forwarded);
    let mv = linked(&d.movements, &d.movement);
    let row_mv = mv.clone();
    let row_view = move |r: &NominationRow, pick: Option<&'static str>| row_view(r, l, notice, desk, pick, &row_mv);
    view! {
        {movement_picker(&d.movements, &d.movement, l, crate::routes::NOMINATIONS)}
        <p><a href=crate::routes::in_movement(crate::routes::REGISTER, &mv) data-testid="register-link">{l.pick("Sổ khen thưởng", "Awards register")}</a></p>
        <p class="muted" data-testid="council-rule">{d.rule_vi.clone()}{format!(" ({} {})", d.council_members, l.pick("thành viên", "members"))}</p>
        <h2>{l.pick("Chờ xét", "At the desk")}</h2>
        // Rows carry their own return form, so the checkboxes join the
        // sitting form through their `form` attribute (forms cannot nest).
        <ul class="nominations">
            {waiting.iter().map(|r| row_view(r, Some("open-sitting"))).collect_view()}
        </ul>
        <form id="open-sitting" on:submit=open data-testid="open-sitting">
            {(!waiting.is_empty()).then(|| view! {
                <label class="field"><span>{l.pick("Tên phiên họp", "Sitting title")}</span>
                    <input name="title" required maxlength="200" data-testid="sitting-title"/></label>
                <button type="submit" class="primary" data-testid="open-sitting-submit">{l.pick("Đưa ra Hội đồng", "Put to the council")}</button>
            })}
        </form>
        <h2>{l.pick("Phiên họp Hội đồng", "Council sittings")}</h2>
        <ul class="sittings">
            {d.sittings.iter().map(|s| {
                let id = s.id.clone();
                let close = move |_| run(notice, "Đã kết thúc phiên họp. / Sitting closed.", council_close(id.clone()), move |_| desk.refetch());
                view! {
                    <li data-testid="sitting" data-closed=s.closed.to_string()>
                        <strong>{s.title.clone()}</strong>" · "{format!("{} {}", s.nominations, l.pick("đề nghị", "nominations"))}" · "
                        {format!("{}/{} {}", s.voted, s.members, l.pick("thành viên đã biểu quyết", "members have voted"))}" "
                        {if s.closed {
                            view! { <a href=crate::routes::minutes(&s.id) data-testid="minutes-link">{l.pick("Biên bản", "Minutes")}</a> }.into_any()
                        } else {
                            view! { <button type="button" class="small" on:click=close data-testid="close-sitting">{l.pick("Kết thúc, kiểm phiếu", "Close and count")}</button> }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
        <h2>{l.pick("Hội đồng đã thông qua", "Passed by the council")}</h2>
        <ul class="nominations">{passed.iter().map(|r| row_view(r, Some(if r.district_decides { "decide" } else { "forward" }))).collect_view()}</ul>
        {passed.iter().any(|r| !r.district_decides).then(|| view! {
            <form id="forward" on:submit=forward data-testid="forward">
                <button type="submit" data-testid="forward-submit">{l.pick("Trình cấp trên các hình thức cao hơn", "Forward the higher forms")}</button>
            </form>
        })}
        <form id="decide" on:submit=decide data-testid="decide">
            {(!passed.is_empty()).then(|| view! {
                <p class="muted" data-testid="organiser-decides">{format!(
                    "{} {}: {}; {}",
                    if d.organiser_name.is_empty() { l.pick("Đơn vị tổ chức", "The organiser") } else { d.organiser_name.as_str() },
                    l.pick("ra quyết định cho", "decides"),
                    d.organiser_decides_vi,
                    l.pick("hình thức cao hơn trình cấp trên.", "higher forms go up.")
                )}</p>
                <label class="field inline"><span>{l.pick("Số quyết định", "Decision number")}</span><input name="number" required maxlength="50" data-testid="decision-number"/></label>
                <label class="field inline"><span>{l.pick("Ngày", "Date")}</span><input name="date" type="date" required data-testid="decision-date"/></label>
                <label class="field"><span>{l.pick("Người ký", "Signed by")}</span><input name="signer" required maxlength="120" data-testid="decision-signer"/></label>
                <button type="submit" class="primary" data-testid="decide-submit">{l.pick("Ghi quyết định", "Record the decision")}</button>
            })}
        </form>
        <h2>{l.pick("Đã trình cấp trên", "Forwarded")}</h2>
        {(!forwarded.is_empty()).then(|| view! {
            <p><a href=crate::routes::in_movement(crate::routes::FORWARDED_XLSX, &mv) rel="external" download data-testid="forwarded-xlsx">{l.pick("Tải danh sách và biên bản (XLSX)", "Download the list and minutes (XLSX)")}</a></p>
        })}
        <ul class="nominations">
            {forwarded.iter().map(|r| {
                let id = r.id.clone();
                let outcome = move |ev: leptos::ev::SubmitEvent| {
                    let f = Fields::of(&ev);
                    run(notice, "Đã ghi kết quả. / Outcome recorded.", council_outcome(id.clone(), f.get("awarded") == "yes", f.get("number"), f.get("date")), move |_| desk.refetch());
                };
                view! {
                    {row_view(r, None)}
                    <form class="appraise" on:submit=outcome data-testid="outcome-form">
                        <label class="field inline"><span>{l.pick("Kết quả", "Outcome")}</span>
                            <select name="awarded" data-testid="outcome-awarded">
                                <option value="yes">{l.pick("Được khen thưởng", "Awarded")}</option>
                                <option value="no">{l.pick("Không được khen thưởng", "Not awarded")}</option>
                            </select></label>
                        <label class="field inline"><span>{l.pick("Số quyết định", "Decision number")}</span><input name="number" maxlength="50" data-testid="outcome-number"/></label>
                        <label class="field inline"><span>{l.pick("Ngày", "Date")}</span><input name="date" type="date" data-testid="outcome-date"/></label>
                        <button type="submit" class="small" data-testid="outcome-submit">{l.pick("Ghi kết quả", "Record")}</button>
                    </form>
                }
            }).collect_view()}
        </ul>
        <h2>{l.pick("Đã xử lý", "Done")}</h2>
        <ul class="nominations">
            {d.rows.iter().filter(|r| matches!(r.stage, Stage::Council | Stage::Failed | Stage::Decided | Stage::NotAwarded)).map(|r| row_view(r, None)).collect_view()}
        </ul>
    }
}

/// One nomination; `pick` names the form its checkbox belongs to (to put it
/// to the council, or to decide it).
fn row_view(r: &NominationRow, l: Lang, notice: Notice, desk: Desk, pick: Option<&'static str>, movement: &str) -> impl IntoView {
    let eligible = r.violations.is_empty();
    let id = r.id.clone();
    let returnable = r.stage == Stage::Desk && r.status != crate::domain::sync::ReviewStatus::Returned;
    let send_back = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(notice, "Đã trả lại đơn vị. / Returned to the unit.", council_return(id.clone(), f.get("comment")), move |_| {
            desk.refetch()
        });
    };
    let returned = r.status == crate::domain::sync::ReviewStatus::Returned;
    view! {
        <li data-testid="nomination" data-id=r.id.clone() data-stage=format!("{:?}", r.stage)>
            {pick.filter(|_| eligible && !returned).map(|f| view! { <input type="checkbox" form=f name="ids" value=r.id.clone() data-testid="pick"/> })}
            <strong>{r.name.clone()}</strong>
            <span class="muted">{format!(" ({}) · {} · {}{}", l.pick(r.nominee_kind.label_vi(), r.nominee_kind.label_en()), r.unit_name, r.form_name, if r.posthumous { " · truy tặng" } else { "" })}</span>
            " " <span class="badge">{if returned { l.pick("Đã trả lại đơn vị", "Returned to the unit") } else { r.stage.label_vi() }}</span>
            {(r.revision > 1).then(|| view! {
                " " <span class="badge" data-testid="revision" data-revision=r.revision>{l.pick(&format!("Bản sửa lần {}", r.revision - 1), &format!("Corrected, revision {}", r.revision))}</span>
            })}
            {crate::components::evidence::evidence_thumbs(&r.files, None, l)}
            {r.decision_number.clone().map(|n| view! {
                <span class="muted">{format!(" · QĐ số {n} · ")}{l.pick("mã xác minh ", "verification code ")}</span>
                <code data-testid="decision-code">{r.decision_code.clone()}</code>" · "
                <a href=crate::routes::certificates(&query_value(&n), movement) rel="external" data-testid="certificates">{l.pick("In giấy khen, bằng khen", "Print certificates")}</a>
            })}
            {(!eligible).then(|| view! {
                <ul class="error">{r.violations.iter().map(|v| view! { <li data-testid="violation" data-rule=v.rule.clone()>{l.pick(&v.message_vi, &v.message_en).to_string()}</li> }).collect_view()}</ul>
            })}
            {(returnable && !returned).then(|| view! {
                <details><summary>{l.pick("Trả lại đơn vị", "Return to the unit")}</summary>
                    <form on:submit=send_back>
                        <label class="field"><span>{l.pick("Lý do", "Reason")}</span><input name="comment" required maxlength="1000" data-testid="return-comment"/></label>
                        <button type="submit" class="small" data-testid="return-submit">{l.pick("Trả lại", "Return")}</button>
                    </form>
                </details>
            })}
        </li>
    }
}

/// Percent-encodes a query value ("125/QĐ-UBND").
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
