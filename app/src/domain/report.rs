//! The period report a unit files (SPEC §5.2): a self-score per criterion
//! with an evidence note, the unit's indicators by type, and achievements.
//! `validate` runs in the phone as the person types and again on the server.

use super::indicator::{Indicator, IndicatorKind, Part};
use super::movement::Criterion;
use super::text::check_text;
use super::FieldError;
use serde::{Deserialize, Serialize};

pub const EVIDENCE_MAX: usize = 1_000;
pub const ACHIEVEMENTS_MAX: usize = 4_000;
/// Counts and money above this are typing mistakes (a district has < 10⁶
/// people; 10¹⁵ đồng is more than the national budget).
pub const COUNT_MAX: f64 = 1e9;
pub const MONEY_MAX: f64 = 1e15;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreEntry {
    /// The content area the criterion belongs to ("a1").
    pub area: String,
    pub points: Option<f64>,
    #[serde(default)]
    pub evidence: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorEntry {
    pub code: String,
    /// Counts, money and levels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Ratios: numerator and denominator, never a typed percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportBody {
    pub unit: String,
    pub period: String,
    pub scores: Vec<ScoreEntry>,
    pub indicators: Vec<IndicatorEntry>,
    #[serde(default)]
    pub achievements: String,
    /// The movement the report is for (`ReportForm::movement`). Absent in
    /// reports filed before a unit could take part in several movements:
    /// those are for the movement whose form the server holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<String>,
    /// Fields copied from the period before and not touched since
    /// (`report_summary::carry_over`), so the reviewer knows too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copied: Vec<String>,
    /// Evidence files, each for a criterion (`FileRef::area`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<super::attachment::FileRef>,
}

/// How a movement's report ids are made (`report_id`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportIds {
    /// `rep-<movement>.<unit>.<period>`: a unit's reports for two movements
    /// never meet.
    #[default]
    Scoped,
    /// `rep-<unit>-<period>`: a movement stored before movements were keyed
    /// keeps the ids its phones, receipts and audit entries already hold.
    Unscoped,
}

impl ReportIds {
    /// A form pulled from a server of before this field had no movement in
    /// its report ids.
    fn of_older_form() -> Self {
        ReportIds::Unscoped
    }
}

/// What a unit's report is checked against: its criteria and indicators
/// (from the movement, for the unit's category) and the periods it reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportForm {
    pub movement: String,
    /// The movement's name, for a phone that files for several.
    #[serde(default)]
    pub movement_name: String,
    /// Who runs it, by its unit's name ("Huyện Ngọc Hồi"): who returns and
    /// answers, in the phone's words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organiser_name: String,
    /// How this movement's report ids are made.
    #[serde(default = "ReportIds::of_older_form")]
    pub report_ids: ReportIds,
    pub unit: String,
    pub unit_name: String,
    pub criteria: Vec<Criterion>,
    pub indicators: Vec<Indicator>,
    pub periods: Vec<PeriodChoice>,
    /// Award forms and eligibility rules, for nominations.
    #[serde(default)]
    pub award_forms: Vec<super::award::AwardForm>,
    #[serde(default)]
    pub eligibility: Vec<super::award::EligibilityRules>,
    /// The movement's version the criteria and indicators are of.
    #[serde(default)]
    pub version: u32,
    /// Earlier versions, for the periods they score (`domain::version`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<FormVersion>,
}

/// An earlier version's criteria and indicators, and the periods it scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormVersion {
    pub version: u32,
    pub periods: Vec<String>,
    pub criteria: Vec<Criterion>,
    pub indicators: Vec<Indicator>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodChoice {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
    /// yyyy-mm-dd
    pub deadline: String,
}

impl From<&super::period::Period> for PeriodChoice {
    fn from(p: &super::period::Period) -> Self {
        PeriodChoice {
            code: p.code.clone(),
            label_vi: p.label_vi.clone(),
            label_en: p.label_en.clone(),
            deadline: super::date::to_iso(p.deadline),
        }
    }
}

/// The id a unit's report for a movement's period has on every phone, so
/// two phones filing the same report meet as one record (and a conflict),
/// not two. Movement, unit and period codes hold no dot (`valid_code`), so
/// scoped ids never meet each other or an unscoped one.
pub fn report_id(ids: ReportIds, movement: &str, unit: &str, period: &str) -> String {
    match ids {
        ReportIds::Scoped => format!("rep-{movement}.{unit}.{period}"),
        ReportIds::Unscoped => format!("rep-{unit}-{period}"),
    }
}

impl ReportForm {
    /// A unit's form for movement `m`: the criteria and indicators of its
    /// category and the periods it reports; none when the category has
    /// nothing to report. The phone's form, and the editor's preview of it.
    pub fn of(
        m: &super::movement::Movement,
        unit: &str,
        unit_name: &str,
        category: super::unit::ParticipantCategory,
    ) -> Option<ReportForm> {
        let d = &m.definition;
        let sheet = |d: &super::movement::MovementDefinition| {
            (d.criteria_for(category), d.indicators_for(category).into_iter().cloned().collect::<Vec<_>>())
        };
        let (criteria, indicators) = sheet(d);
        if criteria.is_empty() && indicators.is_empty() {
            return None;
        }
        let earlier = m
            .earlier
            .iter()
            .map(|e| {
                let scored = |code: &str| std::ptr::eq(m.definition_for(code), &e.definition);
                let periods = m.periods.iter().filter(|p| scored(&p.code)).map(|p| p.code.clone()).collect();
                let (criteria, indicators) = sheet(&e.definition);
                FormVersion { version: e.definition.version, periods, criteria, indicators }
            })
            .filter(|v| !v.periods.is_empty())
            .collect();
        Some(ReportForm {
            version: d.version,
            earlier,
            movement: m.id.clone(),
            movement_name: d.name_vi.clone(),
            organiser_name: m.organiser_name.clone(),
            report_ids: m.report_ids,
            unit: unit.to_string(),
            unit_name: unit_name.to_string(),
            criteria,
            indicators,
            periods: m.periods.iter().map(PeriodChoice::from).collect(),
            award_forms: d.award_forms.clone(),
            eligibility: d.eligibility.clone(),
        })
    }

    /// The form a report for `period` is filled in and checked against: an
    /// earlier version's criteria and indicators for the periods it scores.
    pub fn for_period(&self, period: &str) -> std::borrow::Cow<'_, ReportForm> {
        match self.earlier.iter().find(|v| v.periods.iter().any(|p| p == period)) {
            None => std::borrow::Cow::Borrowed(self),
            Some(v) => std::borrow::Cow::Owned(ReportForm {
                version: v.version,
                criteria: v.criteria.clone(),
                indicators: v.indicators.clone(),
                earlier: Vec::new(),
                ..self.clone()
            }),
        }
    }

    /// This unit's report id for `period` (`report_id`).
    pub fn report_id(&self, period: &str) -> String {
        report_id(self.report_ids, &self.movement, &self.unit, period)
    }

    /// Whether `b` is this form's unit's report for this movement (a
    /// report filed before movements were keyed names none: it belongs to
    /// the movement whose ids are still unscoped).
    pub fn files(&self, b: &ReportBody) -> bool {
        b.unit == self.unit && b.movement.as_deref().map_or(self.report_ids == ReportIds::Unscoped, |m| m == self.movement)
    }
}

fn number(field: String, label: &str, v: f64, min: f64, max: f64, whole: bool) -> Option<FieldError> {
    if !v.is_finite() {
        return Some(FieldError::new(field, "number", format!("{label}: phải là một số."), format!("{label}: must be a number.")));
    }
    if v < min || v > max {
        let (a, b) = (fmt(min), fmt(max));
        return Some(FieldError::new(
            field,
            "range",
            format!("{label}: phải từ {a} đến {b}."),
            format!("{label}: must be between {a} and {b}."),
        ));
    }
    if whole && v.fract() != 0.0 {
        return Some(FieldError::new(
            field,
            "whole_number",
            format!("{label}: phải là số nguyên."),
            format!("{label}: must be a whole number."),
        ));
    }
    None
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl ReportBody {
    /// Stored text is NFC and trimmed (server side: the phone does not carry
    /// the Unicode tables).
    #[cfg(feature = "ssr")]
    pub fn normalize(&mut self) {
        use super::text::nfc;
        for s in &mut self.scores {
            s.evidence = nfc(s.evidence.trim());
        }
        self.achievements = nfc(self.achievements.trim());
    }

    /// Every problem, each naming its field (`scores.a1.points`,
    /// `indicators.i3.numerator`…) and its rule.
    pub fn validate(&self, form: &ReportForm) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.unit != form.unit {
            e.push(FieldError::new("unit", "own_unit", "Báo cáo phải của chính đơn vị mình.", "A report must be for your own unit."));
        }
        if !form.periods.iter().any(|p| p.code == self.period) {
            e.push(FieldError::new(
                "period",
                "known_period",
                format!("Kỳ báo cáo \"{}\" không có trong phong trào.", self.period),
                format!("Period \"{}\" is not part of the movement.", self.period),
            ));
        }
        for s in &self.scores {
            let Some(c) = form.criteria.iter().find(|c| c.area == s.area) else {
                e.push(FieldError::new(
                    format!("scores.{}", s.area),
                    "known_criterion",
                    "Tiêu chí không có trong bảng điểm.",
                    "No such criterion on the sheet.",
                ));
                continue;
            };
            let label = format!("Điểm tự chấm tiêu chí {}", c.no);
            if let Some(p) = s.points {
                if let Some(err) = number(format!("scores.{}.points", s.area), &label, p, 0.0, c.max_points as f64, false) {
                    e.push(err);
                } else if (p * 4.0).fract() != 0.0 {
                    e.push(FieldError::new(
                        format!("scores.{}.points", s.area),
                        "quarter_points",
                        format!("{label}: chấm đến 0,25 điểm."),
                        "Points go in steps of 0.25.",
                    ));
                }
            }
            // Points need evidence: a few words, or a file for the criterion.
            let has_file = self.files.iter().any(|f| f.area.as_deref() == Some(s.area.as_str()));
            let needs_evidence = s.points.is_some_and(|p| p > 0.0) && !has_file;
            if let Some(err) = check_text(
                &format!("scores.{}.evidence", s.area),
                &format!("Minh chứng tiêu chí {}", c.no),
                &format!("Evidence for criterion {}", c.no),
                &s.evidence,
                EVIDENCE_MAX,
                needs_evidence,
            ) {
                e.push(err);
            }
        }
        let mut seen = std::collections::HashSet::new();
        for s in &self.scores {
            if !seen.insert(s.area.as_str()) {
                e.push(FieldError::new(format!("scores.{}", s.area), "unique", "Tiêu chí có hai lần.", "Criterion given twice."));
            }
        }
        for v in &self.indicators {
            match form.indicators.iter().find(|i| i.code == v.code) {
                None => e.push(FieldError::new(
                    format!("indicators.{}", v.code),
                    "known_indicator",
                    "Chỉ số không thuộc báo cáo của đơn vị.",
                    "Not an indicator of this unit.",
                )),
                Some(i) => e.extend(check_indicator(i, v)),
            }
        }
        self.check_rules(form, &mut e);
        let areas: Vec<String> = form.criteria.iter().map(|c| c.area.clone()).collect();
        e.extend(super::attachment::check_refs(&self.files, Some(&areas)));
        for c in &self.copied {
            let known = form
                .indicators
                .iter()
                .any(|i| Part::ALL.into_iter().any(|p| p.belongs_to(i.kind) && super::report_summary::field(&i.code, p) == *c));
            if !known {
                e.push(FieldError::new(
                    "copied",
                    "known_field",
                    "Ô chép từ kỳ trước không có trong báo cáo.",
                    "A copied field is not on the form.",
                ));
                break;
            }
        }
        if let Some(err) = check_text("achievements", "Kết quả nổi bật", "Achievements", &self.achievements, ACHIEVEMENTS_MAX, false)
        {
            e.push(err);
        }
        e
    }
}

impl ReportBody {
    /// The finite number an indicator's part holds, if any.
    pub fn part(&self, code: &str, part: Part) -> Option<f64> {
        let v = self.indicators.iter().find(|v| v.code == code)?;
        match part {
            Part::Value => v.value,
            Part::Numerator => v.numerator,
            Part::Denominator => v.denominator,
        }
        .filter(|x| x.is_finite())
    }

    /// The movement's cross-field rules (`Indicator::rules`), checked where
    /// both numbers are given and neither already has an error.
    fn check_rules(&self, form: &ReportForm, e: &mut Vec<FieldError>) {
        let mut broken = Vec::new();
        for i in &form.indicators {
            for r in &i.rules {
                let Some(o) = form.indicators.iter().find(|o| o.code == r.other) else { continue };
                let field = format!("indicators.{}.{}", i.code, r.part.code());
                let other_field = format!("indicators.{}.{}", o.code, r.other_part.code());
                if e.iter().chain(&broken).any(|x: &FieldError| x.field == field || x.field == other_field) {
                    continue;
                }
                let (Some(x), Some(y)) = (self.part(&i.code, r.part), self.part(&o.code, r.other_part)) else { continue };
                if !r.compare.holds(x, y) {
                    broken.push(FieldError::new(
                        field,
                        "field_rule",
                        format!("{} ({}) {} {} ({}).", r.part.label_vi(i), fmt(x), r.compare.label_vi(), r.other_part.label_vi(o), fmt(y)),
                        format!(
                            "{} ({}) must be {} {} ({}).",
                            r.part.label_en(i),
                            fmt(x),
                            r.compare.label_en(),
                            r.other_part.label_en(o),
                            fmt(y)
                        ),
                    ));
                }
            }
        }
        e.extend(broken);
    }
}

fn check_indicator(i: &Indicator, v: &IndicatorEntry) -> Vec<FieldError> {
    let f = |part: &str| format!("indicators.{}.{part}", i.code);
    let name = i.name_vi.as_str();
    let mut e = Vec::new();
    // Only the parts the indicator's kind has: a stray number (a numerator on
    // a count, say) would be stored unchecked.
    let ratio = i.kind == IndicatorKind::Ratio;
    let stray = if ratio {
        v.value.map(|_| ("value", "giá trị"))
    } else {
        v.numerator.map(|_| ("numerator", "tử số")).or(v.denominator.map(|_| ("denominator", "mẫu số")))
    };
    if let Some((part, part_vi)) = stray {
        e.push(FieldError::new(
            f(part),
            "indicator_parts",
            format!("{name}: chỉ số này không có ô {part_vi}."),
            format!("{}: this indicator has no \"{part}\".", i.name_en),
        ));
    }
    match i.kind {
        IndicatorKind::Count => e.extend(v.value.and_then(|x| number(f("value"), name, x, 0.0, COUNT_MAX, true))),
        IndicatorKind::Money => e.extend(v.value.and_then(|x| number(f("value"), name, x, 0.0, MONEY_MAX, true))),
        IndicatorKind::Level => {
            let max = i.level_max.unwrap_or(4) as f64;
            e.extend(v.value.and_then(|x| number(f("value"), name, x, 1.0, max, true)));
        }
        IndicatorKind::Ratio => {
            e.extend(v.numerator.and_then(|x| number(f("numerator"), &format!("{name} (tử số)"), x, 0.0, COUNT_MAX, true)));
            e.extend(v.denominator.and_then(|x| number(f("denominator"), &format!("{name} (mẫu số)"), x, 0.0, COUNT_MAX, true)));
            match (v.numerator, v.denominator) {
                (Some(n), Some(d)) if e.is_empty() && n > d => e.push(FieldError::new(
                    f("numerator"),
                    "numerator_le_denominator",
                    format!("{name}: tử số ({}) không được lớn hơn mẫu số ({}).", fmt(n), fmt(d)),
                    format!("{}: the numerator ({}) cannot exceed the denominator ({}).", i.name_en, fmt(n), fmt(d)),
                )),
                (Some(n), Some(d)) if e.is_empty() && d == 0.0 && n == 0.0 => {}
                (Some(_), None) | (None, Some(_)) => e.push(FieldError::new(
                    f("denominator"),
                    "ratio_pair",
                    format!("{name}: cần nhập cả tử số và mẫu số."),
                    format!("{}: give both numerator and denominator.", i.name_en),
                )),
                _ => {}
            }
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicator::RollUp;

    fn form() -> ReportForm {
        ReportForm {
            movement: "m".into(),
            movement_name: String::new(),
            organiser_name: String::new(),
            report_ids: ReportIds::Scoped,
            unit: "x23389".into(),
            unit_name: "Xã Đắk Xú".into(),
            criteria: vec![Criterion {
                area: "a1".into(),
                no: 1,
                title_vi: "Lãnh đạo".into(),
                title_en: "Leadership".into(),
                text_vi: String::new(),
                max_points: 15,
            }],
            indicators: vec![
                Indicator {
                    code: "vax".into(),
                    name_vi: "Tỷ lệ tiêm".into(),
                    name_en: "Vaccination".into(),
                    kind: IndicatorKind::Ratio,
                    unit_vi: "%".into(),
                    unit_en: "%".into(),
                    rollup: RollUp::WeightedRatio,
                    numerator_vi: None,
                    denominator_vi: None,
                    level_max: None,
                    categories: vec![],
                    rules: vec![],
                    carry_over: None,
                },
                Indicator {
                    code: "cases".into(),
                    name_vi: "Số ca".into(),
                    name_en: "Cases".into(),
                    kind: IndicatorKind::Count,
                    unit_vi: "ca".into(),
                    unit_en: "cases".into(),
                    rollup: RollUp::Sum,
                    numerator_vi: None,
                    denominator_vi: None,
                    level_max: None,
                    categories: vec![],
                    rules: vec![],
                    carry_over: None,
                },
            ],
            periods: vec![PeriodChoice {
                code: "2021-10".into(),
                label_vi: "Tháng 10/2021".into(),
                label_en: "October 2021".into(),
                deadline: "2021-11-05".into(),
            }],
            award_forms: vec![],
            eligibility: vec![],
            version: 1,
            earlier: vec![],
        }
    }

    fn body() -> ReportBody {
        ReportBody {
            files: Vec::new(),
            unit: "x23389".into(),
            period: "2021-10".into(),
            scores: vec![ScoreEntry { area: "a1".into(), points: Some(12.5), evidence: "Nghị quyết số 12".into() }],
            indicators: vec![
                IndicatorEntry { code: "vax".into(), numerator: Some(900.0), denominator: Some(1000.0), value: None },
                IndicatorEntry { code: "cases".into(), value: Some(3.0), ..Default::default() },
            ],
            achievements: "Không có ca mắc mới.".into(),
            movement: None,
            copied: Vec::new(),
        }
    }

    #[test]
    fn report_ids_name_the_movement_except_where_phones_already_hold_the_old_ones() {
        assert_eq!(report_id(ReportIds::Scoped, "covid-2021", "x23389", "2021-10"), "rep-covid-2021.x23389.2021-10");
        assert_eq!(report_id(ReportIds::Unscoped, "covid-2021", "x23389", "2021-10"), "rep-x23389-2021-10");
        // The same unit and period in two movements: two reports.
        assert_ne!(report_id(ReportIds::Scoped, "a", "x1", "2027-01"), report_id(ReportIds::Scoped, "b", "x1", "2027-01"));
        // A form from a server of before: its ids were unscoped.
        let mut v = serde_json::to_value(form()).unwrap();
        v.as_object_mut().unwrap().remove("report_ids");
        assert_eq!(serde_json::from_value::<ReportForm>(v).unwrap().report_ids, ReportIds::Unscoped);
        assert_eq!(form().report_id("2021-10"), "rep-m.x23389.2021-10");
    }

    #[test]
    fn a_body_that_names_no_movement_travels_as_it_did() {
        // Its receipts hash these bytes: a replayed old item must hash the same.
        let s = serde_json::to_string(&body()).unwrap();
        assert!(!s.contains("movement"), "{s}");
        let back: ReportBody = serde_json::from_str(&s).unwrap();
        assert_eq!(back, body());
        let named = ReportBody { movement: Some("m".into()), ..body() };
        assert!(serde_json::to_string(&named).unwrap().contains("\"movement\":\"m\""));
    }

    fn rules(b: &ReportBody) -> Vec<String> {
        b.validate(&form()).into_iter().map(|e| format!("{}:{}", e.field, e.rule)).collect()
    }

    #[test]
    fn a_cross_field_rule_is_data_of_the_movement() {
        use crate::domain::indicator::{Compare, FieldRule};
        let mut f = form();
        // Cases at most the vaccinated (a made-up rule, to test the shape).
        f.indicators[1].rules =
            vec![FieldRule { part: Part::Value, compare: Compare::AtMost, other: "vax".into(), other_part: Part::Numerator }];
        let check = |b: &ReportBody| b.validate(&f);
        assert!(check(&body()).is_empty());
        let mut b = body();
        b.indicators[1].value = Some(901.0);
        let errs = check(&b);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!((errs[0].field.as_str(), errs[0].rule.as_str()), ("indicators.cases.value", "field_rule"));
        assert_eq!(errs[0].message_vi, "Số ca (901) không được lớn hơn Tỷ lệ tiêm (tử số) (900).");
        // Equal passes; a missing other number is not a broken rule.
        b.indicators[1].value = Some(900.0);
        assert!(check(&b).is_empty());
        b.indicators[1].value = Some(901.0);
        b.indicators[0].numerator = None;
        assert_eq!(check(&b).iter().map(|e| e.rule.as_str()).collect::<Vec<_>>(), ["ratio_pair"]);
        // A field that already has an error is not also blamed by a rule.
        b.indicators[0].numerator = Some(1001.0);
        assert_eq!(check(&b).iter().map(|e| e.rule.as_str()).collect::<Vec<_>>(), ["numerator_le_denominator"]);
    }

    #[test]
    fn a_good_report_passes() {
        assert!(rules(&body()).is_empty());
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut b = body();
        b.scores[0].points = Some(16.0);
        assert_eq!(rules(&b), ["scores.a1.points:range"]);
        b.scores[0].points = Some(f64::NAN);
        assert_eq!(rules(&b), ["scores.a1.points:number"]);
        b.scores[0].points = Some(12.3);
        assert_eq!(rules(&b), ["scores.a1.points:quarter_points"]);
        b.scores[0].points = Some(5.0);
        b.scores[0].evidence = "  ".into();
        assert_eq!(rules(&b), ["scores.a1.evidence:required"]);
        let mut b = body();
        b.indicators[0].numerator = Some(1001.0);
        assert_eq!(rules(&b), ["indicators.vax.numerator:numerator_le_denominator"]);
        b.indicators[0].denominator = None;
        assert_eq!(rules(&b), ["indicators.vax.denominator:ratio_pair"]);
        let mut b = body();
        b.indicators[1].value = Some(-1.0);
        assert_eq!(rules(&b), ["indicators.cases.value:range"]);
        b.indicators[1].value = Some(2.5);
        assert_eq!(rules(&b), ["indicators.cases.value:whole_number"]);
        let mut b = body();
        b.period = "2030-01".into();
        b.unit = "x23395".into();
        b.achievements = "a\u{0}b".into();
        assert_eq!(rules(&b), ["unit:own_unit", "period:known_period", "achievements:no_control_chars"]);
        let mut b = body();
        b.achievements = "x".repeat(ACHIEVEMENTS_MAX + 1);
        assert_eq!(rules(&b), ["achievements:max_length"]);
    }

    /// A numerator on a count is refused, not stored unchecked.
    #[test]
    fn an_indicator_takes_only_the_parts_of_its_kind() {
        let mut r = ReportBody { unit: "x23389".into(), period: "2021-10".into(), ..Default::default() };
        r.indicators = vec![
            IndicatorEntry { code: "cases".into(), value: Some(3.0), numerator: Some(f64::NAN), denominator: None },
            IndicatorEntry { code: "vax".into(), value: Some(90.0), numerator: Some(9.0), denominator: Some(10.0) },
        ];
        let e = r.validate(&form());
        let got: Vec<(&str, &str)> = e.iter().map(|e| (e.field.as_str(), e.rule.as_str())).collect();
        assert_eq!(got, vec![("indicators.cases.numerator", "indicator_parts"), ("indicators.vax.value", "indicator_parts")]);
    }
}
