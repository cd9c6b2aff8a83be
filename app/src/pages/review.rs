//! `/tiep-nhan/:id`: one report at the district: the unit's self-scores with
//! their evidence and the district's appraisal beside them, the indicators,
//! the achievements; accept, or return with a comment.

use crate::api::review::{review_adjust, review_appraise, review_decide, review_report, ReportReview};
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::indicator::IndicatorKind;
use crate::domain::review::{Adjust, Decision};
use crate::domain::sync::ReviewStatus;
use crate::domain::text::{format_decimal_vi, format_int_vi};
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

crate::lazy_page!(ReviewPage, review_page, staff);

/// A server timestamp in Vietnam time, or as it came.
pub fn short_time(rfc3339: &str) -> String {
    crate::domain::date::vn_time_from_utc(rfc3339).unwrap_or_else(|| rfc3339.to_string())
}

fn points(x: f64) -> String {
    format_decimal_vi(x, 2)
}

type Review = Resource<Result<ReportReview, AppError>>;

fn review_page() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let report: Review = Resource::new(move || id.get(), review_report);
    let notice: Notice = RwSignal::new(None);
    view! {
        <Title text=move || lang.get().pick("Duyệt báo cáo", "Review a report").to_string()/>
        <p><a href=crate::routes::DESK>{move || lang.get().pick("← Tiếp nhận báo cáo", "← Report desk")}</a></p>
        <NoticeLine notice/>
        {loaded(report, move |r, l| review_view(r, l, notice, report).into_any())}
    }
}

fn review_view(r: &ReportReview, l: Lang, notice: Notice, report: Review) -> impl IntoView {
    let status = match r.status {
        ReviewStatus::Submitted => l.pick("Chờ duyệt", "Awaiting review"),
        ReviewStatus::Returned => l.pick("Đã trả lại đơn vị", "Returned to the unit"),
        ReviewStatus::Accepted => l.pick("Đã tiếp nhận", "Accepted"),
    };
    let self_total: f64 = r.body.scores.iter().filter_map(|s| s.points).sum();
    let appraised_total: f64 = r
        .criteria
        .iter()
        .map(|c| {
            r.appraisal
                .iter()
                .find(|a| a.area == c.area)
                .map(|a| a.points)
                .or_else(|| r.body.scores.iter().find(|s| s.area == c.area).and_then(|s| s.points))
                .unwrap_or(0.0)
        })
        .sum();
    let id = r.id.clone();
    view! {
        <section class="card">
            <h1>{r.unit_name.clone()}</h1>
            <p>
                {l.pick(&r.period_label_vi, &r.period_label_en).to_string()}
                " · " <strong data-testid="review-status">{status}</strong>
                " · " <span class=format!("badge {}", r.timeliness.css())>{l.pick(r.timeliness.label_vi(), r.timeliness.label_en())}</span>
                " · " <span data-testid="movement-version" data-version=r.version>{format!("{} v{}", l.pick("chấm theo phong trào bản", "scored by movement version"), r.version)}</span>
            </p>
            <p class="muted">{l.pick("Nhận lần đầu: ", "First received: ")}{short_time(&r.received)}{format!(" · {} {}", l.pick("phiên bản", "revision"), r.revision)}</p>
            {r.return_comment.clone().map(|c| view! { <p class="error">{l.pick("Lý do trả lại: ", "Returned because: ")}{c}</p> })}
        </section>
        <section class="card">
            <h2>{l.pick("Chấm điểm", "Scores")}</h2>
            <p>
                {l.pick("Tự chấm: ", "Self-score: ")}<strong data-testid="self-total">{points(self_total)}</strong>
                " · " {l.pick("Sau thẩm định: ", "After appraisal: ")}<strong data-testid="appraised-total">{points(appraised_total)}</strong>
            </p>
            <ol class="criteria-review">
                {r.criteria.iter().map(|c| {
                    let own = r.body.scores.iter().find(|s| s.area == c.area).cloned().unwrap_or_default();
                    let appraised = r.appraisal.iter().find(|a| a.area == c.area).cloned();
                    let (id, area) = (id.clone(), c.area.clone());
                    let appraise = move |ev: leptos::ev::SubmitEvent| {
                        let f = Fields::of(&ev);
                        let pts = f.get("points").trim().replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
                        run(notice, "Đã lưu điểm thẩm định. / Appraisal saved.", review_appraise(id.clone(), area.clone(), pts, f.get("reason")), move |_| report.refetch());
                    };
                    view! {
                        <li data-testid="criterion-review" data-area=c.area.clone()>
                            <h3>{c.title_vi.clone()}<span class="muted">{format!(" (tối đa {})", c.max_points)}</span></h3>
                            <p>{l.pick("Tự chấm: ", "Self-score: ")}<strong data-testid="self-points">{own.points.map(points).unwrap_or_else(|| "–".into())}</strong></p>
                            <p class="evidence">{own.evidence.clone()}</p>
                            {crate::components::evidence::evidence_thumbs(&r.body.files, Some(&c.area), l)}
                            {appraised.map(|a| view! {
                                <p class="appraised">{l.pick("Thẩm định: ", "Appraised: ")}<strong data-testid="appraised-points">{points(a.points)}</strong>
                                    " — " {a.reason.clone()} <span class="muted">{format!(" ({})", a.by)}</span></p>
                            })}
                            {r.can_write.then(|| view! {
                                <form class="appraise" on:submit=appraise>
                                    <label class="field inline"><span>{l.pick("Điểm thẩm định", "Appraised points")}</span>
                                        <input name="points" inputmode="decimal" required size="5" data-testid="appraise-points"/></label>
                                    <label class="field"><span>{l.pick("Lý do", "Reason")}</span>
                                        <input name="reason" required maxlength="500" data-testid="appraise-reason"/></label>
                                    <button type="submit" class="small" data-testid="appraise-submit">{l.pick("Lưu thẩm định", "Save appraisal")}</button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {adjustments_view(r, l, notice, report)}
        </section>
        <section class="card">
            <h2>{l.pick("Chỉ số", "Indicators")}</h2>
            <div class="table-wrap" tabindex="0"><table>
                <tbody>
                    {r.indicators.iter().map(|i| {
                        let e = r.body.indicators.iter().find(|e| e.code == i.code).cloned().unwrap_or_default();
                        let shown = match i.kind {
                            IndicatorKind::Ratio => match (e.numerator, e.denominator) {
                                (Some(n), Some(d)) if d > 0.0 => format!("{} / {} ({} %)", format_int_vi(n as i64), format_int_vi(d as i64), format_decimal_vi(100.0 * n / d, 1)),
                                _ => "–".into(),
                            },
                            _ => e.value.map(|v| format!("{} {}", format_decimal_vi(v, 2), i.unit_vi)).unwrap_or_else(|| "–".into()),
                        };
                        // Parts the phone copied from the period before, untouched.
                        let copied: Vec<&str> = crate::domain::indicator::Part::ALL
                            .into_iter()
                            .filter(|p| r.body.copied.contains(&crate::domain::report_summary::field(&i.code, *p)))
                            .map(|p| p.code())
                            .collect();
                        let note = (!copied.is_empty()).then(|| view! {
                            <span class="badge" data-testid=format!("copied-{}", i.code)>{l.pick(" chép từ kỳ trước", " copied from last period")}</span>
                        });
                        view! { <tr><td>{i.name_vi.clone()}{note}</td><td class="num">{shown}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table></div>
            <h2>{l.pick("Kết quả nổi bật", "Achievements")}</h2>
            <p class="prose">{r.body.achievements.clone()}</p>
        </section>
        {r.can_write.then(|| decide_view(r.id.clone(), r.status, l, notice, report))}
    }
}

/// Bonus and deduction points beside the sheet, each with its reason and
/// the movement's cap; the late-report deduction is the scoring's own.
fn adjustments_view(r: &ReportReview, l: Lang, notice: Notice, report: Review) -> impl IntoView {
    let (bonus_cap, deduction_cap) = r.caps;
    let id = r.id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        let kind = if f.get("kind") == "deduction" { Adjust::Deduction } else { Adjust::Bonus };
        let pts = f.get("points").trim().replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
        run(notice, "Đã lưu. / Saved.", review_adjust(id.clone(), kind, pts, f.get("reason")), move |_| report.refetch());
    };
    view! {
        <h3>{l.pick("Điểm thưởng, điểm trừ", "Bonus and deductions")}</h3>
        <p class="muted">{format!(
            "{} +{bonus_cap}; {} −{deduction_cap}, {}",
            l.pick("Thưởng tối đa", "Bonus up to"),
            l.pick("trừ tối đa", "deductions up to"),
            l.pick("gồm cả điểm trừ báo cáo trễ hạn", "late-report deductions included")
        )}</p>
        <ul class="adjustments">
            {r.adjustments.iter().filter(|a| a.points > 0.0).map(|a| {
                let kind = if a.area == "deduction" { Adjust::Deduction } else { Adjust::Bonus };
                let sign = if kind == Adjust::Deduction { "−" } else { "+" };
                view! {
                    <li data-testid="adjustment" data-kind=kind.code()>
                        {l.pick(kind.label_vi(), kind.label_en())}": " <strong>{format!("{sign}{}", points(a.points))}</strong>
                        " — " {a.reason.clone()} <span class="muted">{format!(" ({})", a.by)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        {r.can_write.then(|| view! {
            <form class="appraise" on:submit=save>
                <label class="field inline"><span>{l.pick("Loại", "Kind")}</span>
                    <select name="kind" data-testid="adjust-kind">
                        <option value="bonus">{l.pick("Điểm thưởng", "Bonus")}</option>
                        <option value="deduction">{l.pick("Điểm trừ", "Deduction")}</option>
                    </select></label>
                <label class="field inline"><span>{l.pick("Số điểm", "Points")}</span>
                    <input name="points" inputmode="decimal" required size="5" data-testid="adjust-points"/></label>
                <label class="field"><span>{l.pick("Lý do", "Reason")}</span>
                    <input name="reason" required maxlength="500" data-testid="adjust-reason"/></label>
                <button type="submit" class="small" data-testid="adjust-submit">{l.pick("Lưu", "Save")}</button>
            </form>
        })}
    }
}

fn decide_view(id: String, status: ReviewStatus, l: Lang, notice: Notice, report: Review) -> impl IntoView {
    let accept_id = id.clone();
    let accept = move |_| {
        run(
            notice,
            "Đã tiếp nhận báo cáo. / Report accepted.",
            review_decide(accept_id.clone(), Decision::Accept, String::new()),
            move |_| report.refetch(),
        );
    };
    let give_back = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(
            notice,
            "Đã trả lại báo cáo cho đơn vị. / Report returned to the unit.",
            review_decide(id.clone(), Decision::Return, f.get("comment")),
            move |_| report.refetch(),
        );
    };
    view! {
        <section class="card">
            <h2>{l.pick("Quyết định", "Decision")}</h2>
            {(status == ReviewStatus::Submitted).then(|| view! {
                <button type="button" class="primary" on:click=accept data-testid="accept">{l.pick("Tiếp nhận báo cáo", "Accept the report")}</button>
            })}
            {(status != ReviewStatus::Returned).then(|| view! {
                <form on:submit=give_back>
                    <label class="field"><span>{l.pick("Lý do trả lại (đơn vị sẽ thấy khi đồng bộ)", "Reason for returning (the unit sees it at its next sync)")}</span>
                        <textarea name="comment" required maxlength="1000" rows="3" data-testid="return-comment-input"></textarea></label>
                    <button type="submit" data-testid="return">{l.pick("Trả lại đơn vị", "Return to the unit")}</button>
                </form>
            })}
            {(status == ReviewStatus::Returned).then(|| view! { <p class="muted">{l.pick("Đang chờ đơn vị sửa và nộp lại.", "Waiting for the unit to correct and resubmit.")}</p> })}
        </section>
    }
}
