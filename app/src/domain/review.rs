//! The district's review desk (SPEC §5.3): whether a report came on time,
//! reporting rates (DHIS2-style: expected, on time, late, missing), and the
//! checks on accept, return, appraisal and a difficulty's answer.

use super::date::Date;
use super::movement::{Criterion, ScoringRules};
use super::text::check_text;
use super::FieldError;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time};

pub const COMMENT_MAX: usize = 1_000;
pub const REASON_MAX: usize = 500;
pub const ANSWER_MAX: usize = 4_000;

/// Where a unit stands for a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Received by the end of the deadline day.
    OnTime,
    /// After the deadline but within the grace window: on time for the rate,
    /// shown apart so the district sees it.
    InGrace,
    /// After the grace window: taken, marked late (never refused).
    Late,
    /// Nothing yet, and the deadline has not passed.
    NotDue,
    /// Nothing, and the deadline has passed: overdue.
    Missing,
}

impl Timeliness {
    pub fn label_vi(self) -> &'static str {
        match self {
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::InGrace => "Trong thời gian gia hạn",
            Timeliness::Late => "Trễ hạn",
            Timeliness::NotDue => "Chưa đến hạn",
            Timeliness::Missing => "Chưa nộp (quá hạn)",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Timeliness::OnTime => "On time",
            Timeliness::InGrace => "Within grace",
            Timeliness::Late => "Late",
            Timeliness::NotDue => "Not yet due",
            Timeliness::Missing => "Missing (overdue)",
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            Timeliness::OnTime => "on-time",
            Timeliness::InGrace => "in-grace",
            Timeliness::Late => "late",
            Timeliness::NotDue => "not-due",
            Timeliness::Missing => "missing",
        }
    }
    pub fn submitted(self) -> bool {
        matches!(self, Timeliness::OnTime | Timeliness::InGrace | Timeliness::Late)
    }
}

/// The first instant after `day` ends in Vietnam: a report is on time until
/// the end of its deadline day there.
pub fn end_of_day_vn(day: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(super::date::vn_offset()) + Duration::days(1)
}

/// Classifies a unit's report for a period: `received` is when the server
/// first took it (a resubmission after a return keeps the first time).
pub fn classify(received: Option<OffsetDateTime>, deadline: Date, grace_days: u8, now: OffsetDateTime) -> Timeliness {
    let due = end_of_day_vn(deadline);
    match received {
        Some(t) if t < due => Timeliness::OnTime,
        Some(t) if t < due + Duration::days(grace_days as i64) => Timeliness::InGrace,
        Some(_) => Timeliness::Late,
        None if now < due => Timeliness::NotDue,
        None => Timeliness::Missing,
    }
}

/// Counts for one group of units (a cluster, a category, the district).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    pub expected: u32,
    pub on_time: u32,
    pub in_grace: u32,
    pub late: u32,
    pub not_due: u32,
    pub missing: u32,
}

impl Rates {
    pub fn add(&mut self, t: Timeliness) {
        self.expected += 1;
        match t {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::InGrace => self.in_grace += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::NotDue => self.not_due += 1,
            Timeliness::Missing => self.missing += 1,
        }
    }
    pub fn submitted(&self) -> u32 {
        self.on_time + self.in_grace + self.late
    }
    /// Share of expected reports received, in percent (None with nothing expected).
    pub fn reporting_rate(&self) -> Option<f64> {
        (self.expected > 0).then(|| 100.0 * self.submitted() as f64 / self.expected as f64)
    }
    /// Share of expected reports received by the deadline plus grace.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.expected > 0).then(|| 100.0 * (self.on_time + self.in_grace) as f64 / self.expected as f64)
    }
}

/// What the district does with a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Return,
}

/// Checks a decision against the report's current status (`submitted`,
/// `returned`, `accepted`) and the comment. A returned report waits for the
/// unit; an accepted one may be returned again to correct a mistake.
pub fn check_decision(decision: Decision, status: super::sync::ReviewStatus, comment: &str) -> Vec<FieldError> {
    use super::sync::ReviewStatus as S;
    let mut e = Vec::new();
    match (decision, status) {
        (Decision::Accept, S::Returned) => e.push(FieldError::new(
            "status",
            "awaiting_unit",
            "Báo cáo đang chờ đơn vị sửa và nộp lại; chưa tiếp nhận được.",
            "The report is back with the unit; it cannot be accepted until resubmitted.",
        )),
        (Decision::Accept, S::Accepted) => {
            e.push(FieldError::new("status", "already_accepted", "Báo cáo đã được tiếp nhận.", "The report is already accepted."))
        }
        (Decision::Return, S::Returned) => {
            e.push(FieldError::new("status", "already_returned", "Báo cáo đã được trả lại.", "The report has already been returned."))
        }
        _ => {}
    }
    if decision == Decision::Return {
        if let Some(err) = check_text("comment", "Lý do trả lại", "Reason for returning", comment, COMMENT_MAX, true) {
            e.push(err);
        }
    } else if let Some(err) = check_text("comment", "Ghi chú", "Note", comment, COMMENT_MAX, false) {
        e.push(err);
    }
    e
}

/// The district's score for one criterion, beside the unit's own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appraisal {
    pub area: String,
    pub points: f64,
    pub reason: String,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub at: String,
}

/// An appraised score: within the criterion's maximum, in steps of 0.25,
/// with a reason.
pub fn check_appraisal(criteria: &[Criterion], area: &str, points: f64, reason: &str) -> Vec<FieldError> {
    let mut e = Vec::new();
    let field = format!("appraisal.{area}.points");
    match criteria.iter().find(|c| c.area == area) {
        None => e.push(FieldError::new(
            format!("appraisal.{area}"),
            "known_criterion",
            "Tiêu chí không có trong bảng điểm.",
            "No such criterion on the sheet.",
        )),
        Some(c) => {
            let max = c.max_points as f64;
            if !points.is_finite() || points < 0.0 || points > max {
                e.push(FieldError::new(
                    field,
                    "range",
                    format!("Điểm thẩm định tiêu chí {}: phải từ 0 đến {}.", c.no, c.max_points),
                    format!("Appraised points for criterion {}: must be between 0 and {}.", c.no, c.max_points),
                ));
            } else if (points * 4.0).fract() != 0.0 {
                e.push(FieldError::new(
                    field,
                    "quarter_points",
                    format!("Điểm thẩm định tiêu chí {}: chấm đến 0,25 điểm.", c.no),
                    "Points go in steps of 0.25.",
                ));
            }
        }
    }
    if let Some(err) =
        check_text(&format!("appraisal.{area}.reason"), "Lý do thẩm định", "Reason for the appraisal", reason, REASON_MAX, true)
    {
        e.push(err);
    }
    e
}

/// Points the district adds or takes away outside the sheet (SPEC §6.3):
/// recognised initiatives earn a bonus; an outbreak from negligence, an
/// unhandled violation or false reporting cost a deduction. The late-report
/// deduction is applied by the scoring itself, not entered here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adjust {
    Bonus,
    Deduction,
}

impl Adjust {
    pub fn code(self) -> &'static str {
        match self {
            Adjust::Bonus => "bonus",
            Adjust::Deduction => "deduction",
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Adjust::Bonus => "Điểm thưởng",
            Adjust::Deduction => "Điểm trừ",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Adjust::Bonus => "Bonus",
            Adjust::Deduction => "Deduction",
        }
    }
    /// The movement's cap for this kind.
    pub fn cap(self, rules: &ScoringRules) -> u32 {
        match self {
            Adjust::Bonus => rules.bonus_cap,
            Adjust::Deduction => rules.deduction_cap,
        }
    }
}

/// A bonus or deduction: within the movement's cap, in steps of 0.25, with a
/// reason (0 withdraws it, and says why).
pub fn check_adjustment(rules: &ScoringRules, kind: Adjust, points: f64, reason: &str) -> Vec<FieldError> {
    let mut e = Vec::new();
    let field = format!("{}.points", kind.code());
    let cap = kind.cap(rules);
    if !points.is_finite() || points < 0.0 || points > cap as f64 {
        e.push(FieldError::new(
            field,
            "range",
            format!("{}: phải từ 0 đến {cap}.", kind.label_vi()),
            format!("{}: must be between 0 and {cap}.", kind.label_en()),
        ));
    } else if (points * 4.0).fract() != 0.0 {
        e.push(FieldError::new(
            field,
            "quarter_points",
            format!("{}: chấm đến 0,25 điểm.", kind.label_vi()),
            "Points go in steps of 0.25.",
        ));
    }
    if let Some(err) = check_text(&format!("{}.reason", kind.code()), "Lý do", "Reason", reason, REASON_MAX, true) {
        e.push(err);
    }
    e
}

/// A difficulty's answer from the district.
pub fn check_answer(answer: &str) -> Vec<FieldError> {
    check_text("answer", "Trả lời", "Answer", answer, ANSWER_MAX, true).into_iter().collect()
}

/// Voiding a stray item (one filed under an id that was not its unit's to
/// take): only while the district has not accepted it or taken it to its
/// council, and with a reason.
pub fn check_void(status: super::sync::ReviewStatus, stage: Option<&str>, reason: &str) -> Vec<FieldError> {
    let mut e = Vec::new();
    if status == super::sync::ReviewStatus::Accepted || stage.is_some() {
        e.push(FieldError::new(
            "id",
            "void_not_taken_up",
            "Mục đã được tiếp nhận hoặc đưa ra Hội đồng, không hủy được.",
            "The item was accepted or put to the council; it cannot be voided.",
        ));
    }
    e.extend(check_text("reason", "Lý do hủy", "Reason for voiding", reason, REASON_MAX, true));
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_item_not_yet_taken_up_is_voided_and_with_a_reason() {
        use crate::domain::sync::ReviewStatus as S;
        assert!(check_void(S::Submitted, None, "Gửi nhầm mã báo cáo của xã khác").is_empty());
        assert_eq!(check_void(S::Accepted, None, "x")[0].rule, "void_not_taken_up");
        assert_eq!(check_void(S::Submitted, Some("council"), "x")[0].rule, "void_not_taken_up");
        assert_eq!(check_void(S::Returned, None, " ")[0].field, "reason");
    }

    #[test]
    fn adjustments_stay_within_the_movements_caps() {
        let rules = crate::domain::scoring::tests::rules();
        assert!(check_adjustment(&rules, Adjust::Bonus, 10.0, "Mô hình dân vận khéo").is_empty());
        assert_eq!(check_adjustment(&rules, Adjust::Bonus, 10.25, "Mô hình")[0].rule, "range");
        assert!(check_adjustment(&rules, Adjust::Deduction, 20.0, "Để xảy ra ổ dịch").is_empty());
        assert_eq!(check_adjustment(&rules, Adjust::Deduction, -1.0, "x")[0].field, "deduction.points");
        assert_eq!(check_adjustment(&rules, Adjust::Deduction, 1.1, "Sai số liệu")[0].rule, "quarter_points");
        assert_eq!(check_adjustment(&rules, Adjust::Bonus, f64::NAN, "x")[0].rule, "range");
        assert_eq!(check_adjustment(&rules, Adjust::Bonus, 2.0, "  ")[0].field, "bonus.reason", "a reason is required");
    }
    use time::macros::{date, datetime};

    // Deadline 05/11/2021, grace 3 days: on time until 06/11 00:00 in
    // Vietnam = 05/11 17:00 UTC; in grace until 09/11 00:00 VN = 08/11 17:00 UTC.
    const D: Date = date!(2021 - 11 - 05);

    #[test]
    fn deadline_is_the_end_of_the_day_in_vietnam() {
        let now = datetime!(2021-12-01 0:00 UTC);
        assert_eq!(classify(Some(datetime!(2021-11-05 16:59:59 UTC)), D, 3, now), Timeliness::OnTime);
        assert_eq!(classify(Some(datetime!(2021-11-05 23:59:59 +7)), D, 3, now), Timeliness::OnTime);
        assert_eq!(classify(Some(datetime!(2021-11-06 0:00 +7)), D, 3, now), Timeliness::InGrace);
        assert_eq!(classify(Some(datetime!(2021-11-05 17:00 UTC)), D, 3, now), Timeliness::InGrace);
    }

    #[test]
    fn grace_window_boundary() {
        let now = datetime!(2021-12-01 0:00 UTC);
        assert_eq!(classify(Some(datetime!(2021-11-08 23:59:59 +7)), D, 3, now), Timeliness::InGrace);
        assert_eq!(classify(Some(datetime!(2021-11-09 0:00 +7)), D, 3, now), Timeliness::Late);
        // No grace: the first second after the deadline day is late.
        assert_eq!(classify(Some(datetime!(2021-11-06 0:00 +7)), D, 0, now), Timeliness::Late);
    }

    #[test]
    fn nothing_received_is_missing_only_after_the_deadline() {
        assert_eq!(classify(None, D, 3, datetime!(2021-11-05 23:59 +7)), Timeliness::NotDue);
        assert_eq!(classify(None, D, 3, datetime!(2021-11-06 0:00 +7)), Timeliness::Missing);
    }

    #[test]
    fn rates_count_grace_as_on_time() {
        let mut r = Rates::default();
        for t in [Timeliness::OnTime, Timeliness::InGrace, Timeliness::Late, Timeliness::Missing] {
            r.add(t);
        }
        assert_eq!(r.expected, 4);
        assert_eq!(r.submitted(), 3);
        assert_eq!(r.reporting_rate(), Some(75.0));
        assert_eq!(r.on_time_rate(), Some(50.0));
        assert_eq!(Rates::default().reporting_rate(), None);
    }

    #[test]
    fn decisions_follow_the_status() {
        use crate::domain::sync::ReviewStatus as S;
        assert!(check_decision(Decision::Accept, S::Submitted, "").is_empty());
        assert_eq!(check_decision(Decision::Accept, S::Returned, "")[0].rule, "awaiting_unit");
        assert_eq!(check_decision(Decision::Return, S::Submitted, "  ")[0].field, "comment");
        assert!(check_decision(Decision::Return, S::Accepted, "Sai số liệu tiêm chủng").is_empty());
        assert_eq!(check_decision(Decision::Return, S::Returned, "x")[0].rule, "already_returned");
    }

    #[test]
    fn appraisal_within_the_maximum_with_a_reason() {
        let c = vec![Criterion {
            area: "chi-dao".into(),
            no: 1,
            title_vi: String::new(),
            title_en: String::new(),
            text_vi: String::new(),
            max_points: 20,
        }];
        assert!(check_appraisal(&c, "chi-dao", 17.5, "Thiếu minh chứng họp BCĐ").is_empty());
        assert_eq!(check_appraisal(&c, "chi-dao", 20.25, "x")[0].rule, "range");
        assert_eq!(check_appraisal(&c, "chi-dao", 10.1, "x")[0].rule, "quarter_points");
        assert_eq!(check_appraisal(&c, "chi-dao", f64::NAN, "x")[0].rule, "range");
        assert_eq!(check_appraisal(&c, "chi-dao", 10.0, "")[0].field, "appraisal.chi-dao.reason");
        assert_eq!(check_appraisal(&c, "khac", 1.0, "x")[0].rule, "known_criterion");
    }
}
