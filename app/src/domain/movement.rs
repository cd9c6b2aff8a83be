//! The movement (phong trào thi đua): content areas, the scoring sheet per
//! participant category, indicators, award forms, eligibility rules and
//! the period plan. All of it is data loaded from a versioned template.

use super::award::{AwardForm, EligibilityRules};
use super::date::{self, Date};
use super::indicator::{FieldRule, Indicator};
use super::period::{Period, PeriodKind, PeriodPlan};
use super::unit::ParticipantCategory;
use super::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// A content area of seed II.2, with its share of the 100-point sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentArea {
    pub code: String,
    pub no: u8,
    pub title_vi: String,
    pub title_en: String,
    pub max_points: u32,
    /// What the criterion asks, when a category does not word it itself.
    pub criterion_vi: String,
}

/// Criteria for one participant category (seed IV.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryCriteria {
    pub category: ParticipantCategory,
    pub name_vi: String,
    pub name_en: String,
    /// The category's paragraph of seed IV.1.
    pub intro_vi: String,
    /// Content-area code → this category's wording of that criterion.
    #[serde(default)]
    pub criteria_vi: BTreeMap<String, String>,
}

/// A scored line of a unit's sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub area: String,
    pub no: u8,
    pub title_vi: String,
    pub title_en: String,
    pub text_vi: String,
    pub max_points: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// Higher sheet score without the bonus.
    SheetScore,
    FewerDeductions,
    EarlierSubmission,
}

impl TieBreak {
    pub const ALL: [TieBreak; 3] = [TieBreak::SheetScore, TieBreak::FewerDeductions, TieBreak::EarlierSubmission];
    /// Its name in files (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            TieBreak::SheetScore => "sheet_score",
            TieBreak::FewerDeductions => "fewer_deductions",
            TieBreak::EarlierSubmission => "earlier_submission",
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            TieBreak::SheetScore => "điểm chấm theo bảng (không tính điểm thưởng) cao hơn",
            TieBreak::FewerDeductions => "ít điểm trừ hơn",
            TieBreak::EarlierSubmission => "nộp báo cáo đúng hạn sớm hơn",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            TieBreak::SheetScore => "higher sheet score without bonus",
            TieBreak::FewerDeductions => "fewer deductions",
            TieBreak::EarlierSubmission => "earlier on-time submission",
        }
    }
}

/// A classification band (SPEC §6.3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
    pub min_total: f64,
    /// Every criterion must reach this share of its maximum, in percent.
    pub min_each_percent: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringRules {
    pub sheet_total: u32,
    pub bonus_cap: u32,
    pub deduction_cap: u32,
    pub late_report_deduction: u32,
    pub tie_break: Vec<TieBreak>,
    /// Highest band first; a unit below every band is "not completed".
    pub bands: Vec<Band>,
    pub below_bands_vi: String,
    pub below_bands_en: String,
    /// How a review period (sơ kết, tổng kết) ranks units. Movements stored
    /// before the rule existed ranked the reports filed for the review.
    #[serde(default)]
    pub review_ranking: ReviewRanking,
}

/// What a review period's board ranks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewRanking {
    /// The reports units file for the review itself.
    #[default]
    OwnReport,
    /// The mean of each unit's monthly results over the months the review
    /// covers (every month scored by its own rules, deductions included).
    MeanOfMonths,
}

impl ReviewRanking {
    /// Whether a period of `kind` ranks by the mean of its months.
    pub fn over_months(self, kind: PeriodKind) -> bool {
        self == ReviewRanking::MeanOfMonths && matches!(kind, PeriodKind::MidTerm | PeriodKind::Final)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MovementDefinition {
    pub template_id: String,
    pub version: u32,
    pub name_vi: String,
    pub name_en: String,
    pub slogan_vi: String,
    pub basis_vi: String,
    #[serde(with = "date::iso_date")]
    pub starts_on: Date,
    pub scoring: ScoringRules,
    pub content_areas: Vec<ContentArea>,
    pub categories: Vec<CategoryCriteria>,
    pub indicators: Vec<Indicator>,
    pub award_forms: Vec<AwardForm>,
    pub eligibility: Vec<EligibilityRules>,
    /// The district council's quorum and threshold (movements stored
    /// before it existed get the usual rule).
    #[serde(default)]
    pub council: crate::domain::council::CouncilRules,
    /// The organiser's office that runs the movement and signs its reports.
    #[serde(default)]
    pub office: Office,
    pub periods: PeriodPlan,
}

/// The office that runs a movement for its organiser and issues its reports
/// ("Phòng Nội vụ", "Sở Nội vụ", "Văn phòng HĐND và UBND"): the words of
/// every printout come from here and from the organiser's name, never from
/// the code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// "Phòng Nội vụ"
    pub name_vi: String,
    /// The office's letters in document numbers: "PNV" in "Số: …/BC-PNV".
    pub code: String,
    /// Who signs for it: "Trưởng phòng", "Giám đốc", "Chánh Văn phòng".
    pub signer_vi: String,
}

impl Office {
    /// No office set: reports go out in the organiser's own name.
    pub fn is_empty(&self) -> bool {
        self.name_vi.trim().is_empty() && self.code.trim().is_empty() && self.signer_vi.trim().is_empty()
    }

    /// Each missing field of an office that is set, named.
    pub fn check(&self) -> Vec<super::FieldError> {
        let mut e = Vec::new();
        if self.is_empty() {
            return e;
        }
        let need = |e: &mut Vec<super::FieldError>, field: &str, v: &str, vi: &str, en: &str| {
            if v.trim().is_empty() {
                e.push(super::FieldError::new(
                    format!("office.{field}"),
                    "required",
                    format!("Cần ghi {vi}."),
                    format!("{en} is required."),
                ));
            }
        };
        need(&mut e, "name_vi", &self.name_vi, "tên cơ quan thường trực", "The office's name");
        need(&mut e, "code", &self.code, "chữ viết tắt của cơ quan (số văn bản)", "The office's letters");
        need(&mut e, "signer_vi", &self.signer_vi, "chức danh người ký", "The signer's title");
        if !self.code.chars().all(|c| c.is_alphanumeric() || c == '-') {
            e.push(super::FieldError::new(
                "office.code",
                "office_code",
                "Chữ viết tắt chỉ gồm chữ và số (ví dụ PNV).",
                "The letters are letters and digits only (e.g. PNV).",
            ));
        }
        e
    }
}

/// A movement as run by one organiser (district, province…).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    pub id: String,
    pub organiser: String,
    pub definition: MovementDefinition,
    pub periods: Vec<Period>,
    /// How its report ids are made: scoped, except for a movement stored
    /// before movements were keyed.
    #[serde(default)]
    pub report_ids: super::report::ReportIds,
    #[serde(default)]
    pub status: super::lifecycle::MovementStatus,
    /// Versions before `definition`, oldest first (`domain::version`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<super::version::Earlier>,
    /// The organiser's name as its unit is named ("Huyện Ngọc Hồi", "Xã Bờ
    /// Y"): the words a page uses for who runs the movement.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organiser_name: String,
}

impl Movement {
    /// A unit's report id for one of this movement's periods.
    pub fn report_id(&self, unit: &str, period: &str) -> String {
        super::report::report_id(self.report_ids, &self.id, unit, period)
    }

    /// Whether a unit existed at some time while the movement ran: the
    /// units it expects reports from are those of its own time.
    pub fn spans(&self, unit: &super::unit::Unit) -> bool {
        let from = self.periods.iter().map(|p| p.starts_on).min();
        let to = self.periods.iter().map(|p| p.ends_on).max();
        match (from, to) {
            (Some(f), Some(t)) => unit.valid_during(f, t),
            _ => true,
        }
    }
}

fn dup<'a>(items: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = HashSet::new();
    items.into_iter().find(|c| !seen.insert(*c))
}

impl MovementDefinition {
    /// The scoring sheet of a category: one criterion per content area.
    pub fn criteria_for(&self, category: ParticipantCategory) -> Vec<Criterion> {
        let cat = self.categories.iter().find(|c| c.category == category);
        let mut areas: Vec<&ContentArea> = self.content_areas.iter().collect();
        areas.sort_by_key(|a| a.no);
        areas
            .into_iter()
            .map(|a| Criterion {
                area: a.code.clone(),
                no: a.no,
                title_vi: a.title_vi.clone(),
                title_en: a.title_en.clone(),
                text_vi: cat.and_then(|c| c.criteria_vi.get(&a.code).cloned()).unwrap_or_else(|| a.criterion_vi.clone()),
                max_points: a.max_points,
            })
            .collect()
    }

    pub fn indicators_for(&self, category: ParticipantCategory) -> Vec<&Indicator> {
        self.indicators.iter().filter(|i| i.categories.contains(&category)).collect()
    }

    pub fn category(&self, category: ParticipantCategory) -> Option<&CategoryCriteria> {
        self.categories.iter().find(|c| c.category == category)
    }

    /// Stored text is NFC and trimmed (server side: the phone does not
    /// carry the Unicode tables).
    #[cfg(feature = "ssr")]
    pub fn normalize(&mut self) {
        use super::text::nfc;
        let tidy = |s: &mut String| *s = nfc(s.trim());
        for s in [&mut self.name_vi, &mut self.name_en, &mut self.slogan_vi, &mut self.basis_vi] {
            tidy(s);
        }
        for a in &mut self.content_areas {
            for s in [&mut a.title_vi, &mut a.title_en, &mut a.criterion_vi] {
                tidy(s);
            }
        }
        for i in &mut self.indicators {
            for s in [&mut i.code, &mut i.name_vi, &mut i.name_en, &mut i.unit_vi, &mut i.unit_en] {
                tidy(s);
            }
            for s in [&mut i.numerator_vi, &mut i.denominator_vi].into_iter().flatten() {
                tidy(s);
            }
        }
    }

    /// A cross-field rule names parts its indicators have, of another
    /// indicator that every category reporting this one also reports.
    fn check_rule(&self, i: &Indicator, n: usize, r: &FieldRule) -> Option<FieldError> {
        let field = format!("indicators.{}.rules.{n}", i.code);
        let Some(o) = self.indicators.iter().find(|o| o.code == r.other) else {
            return Some(FieldError::new(
                format!("{field}.other"),
                "known_indicator",
                format!("Chỉ số \"{}\" không có trong phong trào.", r.other),
                format!("Indicator \"{}\" is not in the movement.", r.other),
            ));
        };
        if !r.part.belongs_to(i.kind) || !r.other_part.belongs_to(o.kind) {
            let (bad, ind, part) = if r.part.belongs_to(i.kind) { ("other_part", o, r.other_part) } else { ("part", i, r.part) };
            return Some(FieldError::new(
                format!("{field}.{bad}"),
                "rule_part",
                format!("Chỉ số \"{}\" loại {} không có ô \"{}\".", ind.name_vi, ind.kind.label_vi().to_lowercase(), part.code()),
                format!("Indicator \"{}\" of type {} has no \"{}\".", ind.code, ind.kind.label_en().to_lowercase(), part.code()),
            ));
        }
        if o.code == i.code && r.part == r.other_part {
            return Some(FieldError::new(
                format!("{field}.other_part"),
                "rule_other_field",
                "Quy tắc phải so sánh hai ô khác nhau.",
                "A rule compares two different fields.",
            ));
        }
        if let Some(c) = i.categories.iter().find(|c| !o.categories.contains(c)) {
            return Some(FieldError::new(
                format!("{field}.other"),
                "rule_categories",
                format!("Nhóm \"{}\" báo cáo \"{}\" nhưng không báo cáo \"{}\".", c.code(), i.name_vi, o.name_vi),
                format!("Category \"{}\" reports \"{}\" but not \"{}\".", c.code(), i.code, o.code),
            ));
        }
        None
    }

    /// Checks that the template holds together; every error names its field.
    pub fn validate(&self) -> Result<Vec<Period>, Vec<FieldError>> {
        let mut e = Vec::new();
        let sum: u32 = self.content_areas.iter().map(|a| a.max_points).sum();
        if sum != self.scoring.sheet_total {
            e.push(FieldError::new(
                "content_areas",
                "sheet_total",
                format!("Tổng điểm tối đa các nội dung là {sum}, phải bằng {}.", self.scoring.sheet_total),
                format!("Content areas add up to {sum} points; the sheet total is {}.", self.scoring.sheet_total),
            ));
        }
        if let Some(c) = dup(self.content_areas.iter().map(|a| a.code.as_str())) {
            e.push(FieldError::new(
                "content_areas",
                "unique_code",
                format!("Mã nội dung \"{c}\" bị trùng."),
                format!("Content area code \"{c}\" is used twice."),
            ));
        }
        for cat in &self.categories {
            for area in cat.criteria_vi.keys() {
                if !self.content_areas.iter().any(|a| &a.code == area) {
                    e.push(FieldError::new(
                        format!("categories.{}.criteria_vi.{area}", cat.category.code()),
                        "known_area",
                        format!("Nội dung \"{area}\" không có trong bảng điểm."),
                        format!("Content area \"{area}\" is not on the sheet."),
                    ));
                }
            }
        }
        for c in ParticipantCategory::ALL {
            if self.category(c).is_none() {
                e.push(FieldError::new(
                    "categories",
                    "every_category",
                    format!("Thiếu tiêu chí cho nhóm đối tượng \"{}\".", c.code()),
                    format!("Criteria for category \"{}\" are missing.", c.code()),
                ));
            }
        }
        if let Some(c) = dup(self.indicators.iter().map(|i| i.code.as_str())) {
            e.push(FieldError::new(
                "indicators",
                "unique_code",
                format!("Mã chỉ số \"{c}\" bị trùng."),
                format!("Indicator code \"{c}\" is used twice."),
            ));
        }
        if self.name_vi.trim().is_empty() {
            e.push(FieldError::new("name_vi", "required", "Cần nhập tên phong trào.", "The movement needs a name."));
        }
        for a in &self.content_areas {
            if a.title_vi.trim().is_empty() {
                e.push(FieldError::new(
                    format!("content_areas.{}.title_vi", a.code),
                    "required",
                    format!("Nội dung {} cần có tên.", a.no),
                    format!("Content area {} needs a title.", a.no),
                ));
            }
        }
        for i in &self.indicators {
            if !super::unit::valid_unit_id(&i.code) {
                e.push(FieldError::new(
                    format!("indicators.{}.code", i.code),
                    "indicator_code",
                    format!("Mã chỉ số \"{}\" chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.", i.code),
                    format!("Indicator code \"{}\" holds lower-case ASCII letters, digits and hyphens only.", i.code),
                ));
            }
            if i.name_vi.trim().is_empty() {
                e.push(FieldError::new(
                    format!("indicators.{}.name_vi", i.code),
                    "required",
                    format!("Chỉ số \"{}\" cần có tên.", i.code),
                    format!("Indicator \"{}\" needs a name.", i.code),
                ));
            }
            if i.categories.is_empty() {
                e.push(FieldError::new(
                    format!("indicators.{}.categories", i.code),
                    "some_category",
                    format!("Chỉ số \"{}\" cần ít nhất một nhóm đối tượng báo cáo.", i.name_vi),
                    format!("Indicator \"{}\" needs at least one reporting category.", i.code),
                ));
            }
            if !i.kind.allowed_rollups().contains(&i.rollup) {
                e.push(FieldError::new(
                    format!("indicators.{}.rollup", i.code),
                    "rollup_matches_kind",
                    format!(
                        "Chỉ số \"{}\" loại {} không thể tổng hợp theo \"{}\".",
                        i.name_vi,
                        i.kind.label_vi().to_lowercase(),
                        i.rollup.label_vi()
                    ),
                    format!(
                        "Indicator \"{}\" of type {} cannot roll up by \"{}\".",
                        i.code,
                        i.kind.label_en().to_lowercase(),
                        i.rollup.label_en()
                    ),
                ));
            }
        }
        for i in &self.indicators {
            for (n, r) in i.rules.iter().enumerate() {
                e.extend(self.check_rule(i, n, r));
            }
        }
        e.extend(super::award::check_award_rules(&self.award_forms, &self.eligibility));
        e.extend(self.council.check());
        e.extend(self.office.check());
        if self.scoring.tie_break.iter().enumerate().any(|(n, t)| self.scoring.tie_break[..n].contains(t)) {
            e.push(FieldError::new(
                "scoring.tie_break",
                "unique_tie_break",
                "Mỗi tiêu chí xét bằng điểm chỉ dùng một lần.",
                "Each tie-break is used once.",
            ));
        }
        let mut last = f64::INFINITY;
        for b in &self.scoring.bands {
            if b.min_total >= last || b.min_total > self.scoring.sheet_total as f64 || !(0.0..=100.0).contains(&b.min_each_percent) {
                e.push(FieldError::new(
                    format!("scoring.bands.{}", b.code),
                    "band_order",
                    "Các mức xếp loại phải giảm dần và nằm trong thang điểm.",
                    "Bands must be in decreasing order and within the sheet.",
                ));
            }
            last = b.min_total;
        }
        let periods = match self.periods.generate() {
            Ok(p) => p,
            Err(err) => {
                e.push(err);
                Vec::new()
            }
        };
        if e.is_empty() {
            Ok(periods)
        } else {
            Err(e)
        }
    }
}
