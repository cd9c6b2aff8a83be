//! Less typing and a look before sending (issue 25): a new period's report
//! starts from the values of the period before that rarely change (a ratio's
//! denominator unless the movement says otherwise: `Indicator::carry_over`),
//! each marked as copied until the person touches it; and the summary the
//! phone shows before sending lists what is empty, what is still copied and
//! what is far from last period's value. Remarks are advice, never errors:
//! the report may be sent with them.

use super::indicator::{Indicator, IndicatorKind, Part};
use super::report::{ReportBody, ReportForm};

/// The key of an indicator's part, as field errors name it.
pub fn field(code: &str, part: Part) -> String {
    format!("indicators.{code}.{}", part.code())
}

impl Indicator {
    /// The parts a new period copies from the period before.
    pub fn carried(&self) -> Vec<Part> {
        match &self.carry_over {
            Some(parts) => parts.iter().copied().filter(|p| p.belongs_to(self.kind)).collect(),
            None if self.kind == IndicatorKind::Ratio => vec![Part::Denominator],
            None => Vec::new(),
        }
    }
}

/// `into` (a blank report) with the values `previous` holds for the parts
/// each indicator carries, marked in `copied`. Values already typed stay.
pub fn carry_over(form: &ReportForm, previous: &ReportBody, mut into: ReportBody) -> ReportBody {
    for i in &form.indicators {
        for part in i.carried() {
            let Some(x) = previous.part(&i.code, part) else { continue };
            let Some(e) = into.indicators.iter_mut().find(|e| e.code == i.code) else { continue };
            let slot = match part {
                Part::Value => &mut e.value,
                Part::Numerator => &mut e.numerator,
                Part::Denominator => &mut e.denominator,
            };
            if slot.is_none() {
                *slot = Some(x);
                into.copied.push(field(&i.code, part));
            }
        }
    }
    into
}

/// Clears the copied mark of a field the person touched.
pub fn touched(b: &mut ReportBody, key: &str) {
    b.copied.retain(|c| c != key);
}

/// What a remark is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemarkKind {
    /// Left empty.
    Empty,
    /// Copied from the period before and not looked at since.
    Copied,
    /// Far from the period before.
    Unusual,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Remark {
    /// The field, as errors name it (`scores.chi-dao.points`).
    pub field: String,
    pub kind: RemarkKind,
    pub message_vi: String,
    pub message_en: String,
}

/// A count or amount is unusual at this many times last period's, or
/// this fraction of it.
pub const UNUSUAL_FACTOR: f64 = 3.0;
/// A ratio is unusual when it moves this many percentage points.
pub const UNUSUAL_POINTS: f64 = 30.0;

fn shown(x: f64) -> String {
    let s = if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x:.2}") };
    s.replace('.', ",")
}

/// Everything the summary before sending lists, in the form's order.
pub fn remarks(form: &ReportForm, b: &ReportBody, previous: Option<&ReportBody>) -> Vec<Remark> {
    let mut out = Vec::new();
    let mut push = |field: String, kind, vi: String, en: String| out.push(Remark { field, kind, message_vi: vi, message_en: en });
    for c in &form.criteria {
        let points = b.scores.iter().find(|s| s.area == c.area).and_then(|s| s.points);
        let key = format!("scores.{}.points", c.area);
        match points {
            None => push(key, RemarkKind::Empty, format!("Chưa tự chấm tiêu chí {}.", c.no), format!("Criterion {} is not scored.", c.no)),
            Some(p) => {
                let before = previous.and_then(|pb| pb.scores.iter().find(|s| s.area == c.area)).and_then(|s| s.points);
                if let Some(q) = before.filter(|q| (p - q).abs() * 2.0 >= c.max_points as f64 && c.max_points > 0) {
                    push(
                        key,
                        RemarkKind::Unusual,
                        format!("Tiêu chí {}: {} điểm, kỳ trước {} điểm.", c.no, shown(p), shown(q)),
                        format!("Criterion {}: {} points, {} last period.", c.no, shown(p), shown(q)),
                    );
                }
            }
        }
    }
    for i in &form.indicators {
        let parts: &[Part] = if i.kind == IndicatorKind::Ratio { &[Part::Numerator, Part::Denominator] } else { &[Part::Value] };
        let mut empty = false;
        for &part in parts {
            let key = field(&i.code, part);
            if b.part(&i.code, part).is_none() {
                if !empty {
                    push(key, RemarkKind::Empty, format!("Chưa nhập: {}.", i.name_vi), format!("Not given: {}.", i.name_en));
                }
                empty = true;
            } else if b.copied.contains(&key) {
                push(
                    key,
                    RemarkKind::Copied,
                    format!("{}: chép từ kỳ trước, chưa xem lại.", part.label_vi(i)),
                    format!("{}: copied from last period, not checked.", part.label_en(i)),
                );
            }
        }
        if empty {
            continue;
        }
        let Some(pb) = previous else { continue };
        let unusual = match i.kind {
            IndicatorKind::Ratio => {
                let pct = |r: &ReportBody| match (r.part(&i.code, Part::Numerator), r.part(&i.code, Part::Denominator)) {
                    (Some(n), Some(d)) if d > 0.0 => Some(n / d * 100.0),
                    _ => None,
                };
                match (pct(b), pct(pb)) {
                    (Some(now), Some(then)) if (now - then).abs() >= UNUSUAL_POINTS => {
                        Some((field(&i.code, Part::Numerator), format!("{} %", shown(now.round())), format!("{} %", shown(then.round()))))
                    }
                    _ => None,
                }
            }
            IndicatorKind::Level => match (b.part(&i.code, Part::Value), pb.part(&i.code, Part::Value)) {
                (Some(now), Some(then)) if (now - then).abs() >= 2.0 => Some((field(&i.code, Part::Value), shown(now), shown(then))),
                _ => None,
            },
            IndicatorKind::Count | IndicatorKind::Money => match (b.part(&i.code, Part::Value), pb.part(&i.code, Part::Value)) {
                (Some(now), Some(then)) if then > 0.0 && (now >= then * UNUSUAL_FACTOR || now * UNUSUAL_FACTOR <= then) => {
                    Some((field(&i.code, Part::Value), shown(now), shown(then)))
                }
                _ => None,
            },
        };
        if let Some((key, now, then)) = unusual {
            push(
                key,
                RemarkKind::Unusual,
                format!("{}: {now}, kỳ trước {then}. Kiểm tra lại số liệu.", i.name_vi),
                format!("{}: {now}, last period {then}. Check the figure.", i.name_en),
            );
        }
    }
    if b.achievements.trim().is_empty() {
        push("achievements".into(), RemarkKind::Empty, "Chưa ghi kết quả nổi bật.".into(), "No achievements written.".into());
    }
    out
}

/// The report of the period before `period` among `reports` (this unit's
/// reports for the movement): the nearest earlier period of the form that
/// has one.
pub fn previous<'a>(form: &ReportForm, period: &str, reports: &'a [ReportBody]) -> Option<&'a ReportBody> {
    let at = form.periods.iter().position(|p| p.code == period)?;
    form.periods[..at].iter().rev().find_map(|p| reports.iter().find(|r| r.period == p.code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{IndicatorEntry, ReportForm};
    use crate::domain::unit::ParticipantCategory;

    fn form() -> ReportForm {
        let m = crate::domain::template::seed_movement();
        ReportForm::of(&m, "x23389", "Xã Đắk Xú", ParticipantCategory::Commune).expect("communes report")
    }

    fn filled(form: &ReportForm, period: &str) -> ReportBody {
        let mut b = ReportBody { unit: form.unit.clone(), period: period.into(), ..Default::default() };
        b.scores = form
            .criteria
            .iter()
            .map(|c| crate::domain::report::ScoreEntry { area: c.area.clone(), points: Some(c.max_points as f64), evidence: "Có".into() })
            .collect();
        b.indicators = form
            .indicators
            .iter()
            .map(|i| match i.kind {
                IndicatorKind::Ratio => {
                    IndicatorEntry { code: i.code.clone(), numerator: Some(500.0), denominator: Some(1000.0), value: None }
                }
                IndicatorKind::Level => IndicatorEntry { code: i.code.clone(), value: Some(1.0), ..Default::default() },
                _ => IndicatorEntry { code: i.code.clone(), value: Some(10.0), ..Default::default() },
            })
            .collect();
        b.achievements = "Hoàn thành.".into();
        b
    }

    #[test]
    fn a_new_month_starts_from_last_months_denominators_marked_until_touched() {
        let f = form();
        let october = filled(&f, "2021-10");
        let blank = ReportBody {
            unit: f.unit.clone(),
            period: "2021-11".into(),
            indicators: f.indicators.iter().map(|i| IndicatorEntry { code: i.code.clone(), ..Default::default() }).collect(),
            ..Default::default()
        };
        let mut nov = carry_over(&f, &october, blank);
        let ratios = f.indicators.iter().filter(|i| i.kind == IndicatorKind::Ratio).count();
        assert!(ratios >= 5);
        assert_eq!(nov.copied.len(), ratios, "every ratio's denominator, nothing else: {:?}", nov.copied);
        assert_eq!(nov.part("vac-18-dose1", Part::Denominator), Some(1000.0));
        assert_eq!(nov.part("vac-18-dose1", Part::Numerator), None, "numerators change: typed again");
        assert!(nov.scores.is_empty() && nov.achievements.is_empty(), "self-scores and text are never copied");
        // The summary lists the copied parts until they are touched.
        let copied = |b: &ReportBody| remarks(&f, b, Some(&october)).into_iter().filter(|r| r.kind == RemarkKind::Copied).count();
        nov.indicators.iter_mut().for_each(|e| e.numerator = e.denominator.map(|d| d / 2.0));
        assert_eq!(copied(&nov), ratios);
        touched(&mut nov, "indicators.vac-18-dose1.denominator");
        assert_eq!(copied(&nov), ratios - 1);
        // A movement may carry other parts, as data.
        let mut f2 = f.clone();
        f2.indicators.iter_mut().find(|i| i.code == "vac-18-dose1").unwrap().carry_over = Some(vec![Part::Numerator, Part::Denominator]);
        let blank = ReportBody {
            indicators: f.indicators.iter().map(|i| IndicatorEntry { code: i.code.clone(), ..Default::default() }).collect(),
            ..Default::default()
        };
        assert_eq!(carry_over(&f2, &october, blank).part("vac-18-dose1", Part::Numerator), Some(500.0));
    }

    #[test]
    fn the_summary_flags_what_is_empty_and_what_is_far_from_last_period() {
        let f = form();
        let october = filled(&f, "2021-10");
        let mut nov = filled(&f, "2021-11");
        assert_eq!(remarks(&f, &nov, Some(&october)), Vec::new(), "like last month: nothing to say");
        // 500/1000 → 900/1000 is 40 points up; 10 cases → 40 is four times.
        nov.indicators.iter_mut().find(|e| e.code == "vac-18-dose1").unwrap().numerator = Some(900.0);
        nov.indicators.iter_mut().find(|e| e.code == "f0-community").unwrap().value = Some(40.0);
        nov.indicators.iter_mut().find(|e| e.code == "deaths").unwrap().value = None;
        nov.scores[0].points = None;
        let got: Vec<_> = remarks(&f, &nov, Some(&october)).into_iter().map(|r| (r.field, r.kind)).collect();
        assert_eq!(
            got,
            [
                (format!("scores.{}.points", f.criteria[0].area), RemarkKind::Empty),
                ("indicators.vac-18-dose1.numerator".into(), RemarkKind::Unusual),
                ("indicators.f0-community.value".into(), RemarkKind::Unusual),
                ("indicators.deaths.value".into(), RemarkKind::Empty),
            ]
        );
        // With no period before, only what is empty.
        assert!(remarks(&f, &nov, None).iter().all(|r| r.kind == RemarkKind::Empty));
    }

    #[test]
    fn the_period_before_is_the_nearest_earlier_one_filed() {
        let f = form();
        let reports = [filled(&f, "2021-10"), filled(&f, "2021-12")];
        assert_eq!(previous(&f, "2022-01", &reports).map(|r| r.period.as_str()), Some("2021-12"));
        assert_eq!(previous(&f, "2021-11", &reports).map(|r| r.period.as_str()), Some("2021-10"));
        assert_eq!(previous(&f, "2021-10", &reports), None);
    }
}
