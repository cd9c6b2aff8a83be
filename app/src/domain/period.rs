//! Reporting periods (kỳ báo cáo): months, quarters, the mid-term and final
//! reviews, each with a deadline. The plan is template data; the periods are
//! generated from it.

use super::date::{self, day_of_month_clamped, first_of_next_month, last_of_month, Date};
use super::FieldError;
use serde::{Deserialize, Serialize};
use time::Month;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    MidTerm,
    Final,
}

impl PeriodKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            PeriodKind::Month => "Tháng",
            PeriodKind::Quarter => "Quý",
            PeriodKind::MidTerm => "Sơ kết",
            PeriodKind::Final => "Tổng kết",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            PeriodKind::Month => "Month",
            PeriodKind::Quarter => "Quarter",
            PeriodKind::MidTerm => "Mid-term review",
            PeriodKind::Final => "Final review",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// Stable key: "2021-10" for a month, the template's code for reviews.
    pub code: String,
    pub kind: PeriodKind,
    pub label_vi: String,
    pub label_en: String,
    #[serde(with = "date::iso_date")]
    pub starts_on: Date,
    #[serde(with = "date::iso_date")]
    pub ends_on: Date,
    /// Last day a report counts as on time (end of that day, Vietnam time).
    #[serde(with = "date::iso_date")]
    pub deadline: Date,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodPlan {
    /// First and last month with a monthly report, "YYYY-MM".
    pub monthly_from: String,
    pub monthly_until: String,
    /// A month's report is due on this day of the next month.
    pub deadline_day: u8,
    /// Days after the deadline during which a report is late but accepted
    /// without the late deduction's second step (see scoring).
    pub grace_days: u8,
    /// Review periods written out in full (sơ kết, tổng kết).
    #[serde(default)]
    pub reviews: Vec<Period>,
}

fn parse_month(s: &str) -> Option<(i32, Month)> {
    let (y, m) = s.trim().split_once('-')?;
    let y: i32 = y.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    Some((y, Month::try_from(m).ok()?))
}

impl PeriodPlan {
    pub fn generate(&self) -> Result<Vec<Period>, FieldError> {
        let bad_month = |field: &str, v: &str| {
            FieldError::new(
                format!("periods.{field}"),
                "month_format",
                format!("Tháng \"{v}\" không đúng dạng YYYY-MM."),
                format!("Month \"{v}\" is not in the form YYYY-MM."),
            )
        };
        let (fy, fm) = parse_month(&self.monthly_from).ok_or_else(|| bad_month("monthly_from", &self.monthly_from))?;
        let (uy, um) = parse_month(&self.monthly_until).ok_or_else(|| bad_month("monthly_until", &self.monthly_until))?;
        if !(1..=28).contains(&self.deadline_day) {
            return Err(FieldError::new(
                "periods.deadline_day",
                "range_1_28",
                "Ngày hạn báo cáo phải từ 1 đến 28.",
                "The deadline day must be between 1 and 28.",
            ));
        }
        let mut start = Date::from_calendar_date(fy, fm, 1).expect("day 1");
        let until = Date::from_calendar_date(uy, um, 1).expect("day 1");
        if until < start {
            return Err(FieldError::new(
                "periods.monthly_until",
                "after_start",
                "Tháng cuối phải sau tháng đầu.",
                "The last month must not come before the first.",
            ));
        }
        let mut out = Vec::new();
        while start <= until {
            let next = first_of_next_month(start);
            let m = start.month() as u8;
            out.push(Period {
                code: format!("{:04}-{:02}", start.year(), m),
                kind: PeriodKind::Month,
                label_vi: format!("Tháng {:02}/{}", m, start.year()),
                label_en: format!("{} {}", start.month(), start.year()),
                starts_on: start,
                ends_on: last_of_month(start),
                deadline: day_of_month_clamped(next.year(), next.month(), self.deadline_day),
            });
            start = next;
        }
        for r in &self.reviews {
            if r.ends_on < r.starts_on || r.deadline < r.ends_on {
                return Err(FieldError::new(
                    format!("periods.reviews.{}", r.code),
                    "date_order",
                    "Kỳ báo cáo phải có ngày bắt đầu ≤ ngày kết thúc ≤ hạn nộp.",
                    "A period needs start ≤ end ≤ deadline.",
                ));
            }
            out.push(r.clone());
        }
        let mut codes = std::collections::HashSet::new();
        if let Some(dup) = out.iter().find(|p| !codes.insert(p.code.clone())) {
            return Err(FieldError::new(
                "periods",
                "unique_code",
                format!("Mã kỳ báo cáo \"{}\" bị trùng.", dup.code),
                format!("Period code \"{}\" is used twice.", dup.code),
            ));
        }
        Ok(out)
    }
}

/// The period open on `today`: begun, and its deadline plus `grace_days`
/// not yet passed; of several (a month inside a review), the one due first.
pub fn open_on(periods: &[Period], today: Date, grace_days: u8) -> Option<&Period> {
    periods
        .iter()
        .filter(|p| p.starts_on <= today && today <= p.deadline + time::Duration::days(grace_days.into()))
        .min_by_key(|p| p.deadline)
}

/// The months a review ranks over: those inside its dates whose deadline
/// and grace have passed by `today` (a month still open does not count yet).
pub fn months_closed_within<'a>(periods: &'a [Period], review: &Period, today: Date, grace_days: u8) -> Vec<&'a Period> {
    periods
        .iter()
        .filter(|p| p.kind == PeriodKind::Month && review.starts_on <= p.starts_on && p.ends_on <= review.ends_on)
        .filter(|p| p.deadline + time::Duration::days(grace_days.into()) < today)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_open_period_is_the_one_due_first_within_its_grace() {
        let ps = plan().generate().unwrap();
        // 5 November 2021: October's deadline day; November has begun too.
        assert_eq!(open_on(&ps, date!(2021 - 11 - 05), 3).map(|p| p.code.as_str()), Some("2021-10"));
        // After October's grace (8 November) it is November.
        assert_eq!(open_on(&ps, date!(2021 - 11 - 09), 3).map(|p| p.code.as_str()), Some("2021-11"));
        // Before the movement, and long after it: none.
        assert_eq!(open_on(&ps, date!(2021 - 09 - 30), 3), None);
        assert_eq!(open_on(&ps, date!(2026 - 12 - 06), 3), None);
    }

    #[test]
    fn a_review_covers_the_closed_months_inside_it() {
        let mut p = plan();
        p.reviews.push(Period {
            code: "so-ket".into(),
            kind: PeriodKind::MidTerm,
            label_vi: "Sơ kết".into(),
            label_en: "Mid-term".into(),
            starts_on: date!(2021 - 11 - 01),
            ends_on: date!(2022 - 01 - 31),
            deadline: date!(2022 - 02 - 10),
        });
        let ps = p.generate().unwrap();
        let review = ps.last().unwrap();
        let codes = |today| months_closed_within(&ps, review, today, 3).iter().map(|p| p.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(date!(2026 - 12 - 06)), ["2021-11", "2021-12", "2022-01"]);
        // 8 January 2022 is the last day of December's grace: December does not count yet.
        assert_eq!(codes(date!(2022 - 01 - 08)), ["2021-11"]);
        assert_eq!(codes(date!(2022 - 01 - 09)), ["2021-11", "2021-12"]);
    }

    fn plan() -> PeriodPlan {
        PeriodPlan { monthly_from: "2021-10".into(), monthly_until: "2022-02".into(), deadline_day: 5, grace_days: 3, reviews: vec![] }
    }

    #[test]
    fn monthly_periods_from_october_2021() {
        let ps = plan().generate().unwrap();
        assert_eq!(ps.len(), 5);
        assert_eq!(ps[0].code, "2021-10");
        assert_eq!(ps[0].label_vi, "Tháng 10/2021");
        assert_eq!(ps[0].ends_on, date!(2021 - 10 - 31));
        assert_eq!(ps[0].deadline, date!(2021 - 11 - 05));
        assert_eq!(ps[2].code, "2021-12");
        assert_eq!(ps[2].deadline, date!(2022 - 01 - 05));
        assert_eq!(ps[4].ends_on, date!(2022 - 02 - 28));
    }

    #[test]
    fn bad_plans_name_the_field() {
        let mut p = plan();
        p.monthly_from = "10/2021".into();
        assert_eq!(p.generate().unwrap_err().field, "periods.monthly_from");
        let mut p = plan();
        p.monthly_until = "2021-09".into();
        assert_eq!(p.generate().unwrap_err().rule, "after_start");
        let mut p = plan();
        p.deadline_day = 31;
        assert_eq!(p.generate().unwrap_err().field, "periods.deadline_day");
    }
}
