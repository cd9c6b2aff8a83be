//! Indicators (chỉ số): numbers a unit reports each period, each with a type,
//! a unit of measure and the rule that rolls it up to cluster and district.

use super::unit::ParticipantCategory;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// A whole number of things (cases, sessions, households).
    Count,
    /// Vietnamese đồng.
    Money,
    /// Numerator over denominator (vaccinated / target population).
    Ratio,
    /// A level on a scale (epidemic level 1–4).
    Level,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollUp {
    /// Add the values.
    Sum,
    /// Sum numerators and denominators, then divide: never average percentages.
    WeightedRatio,
    /// The most recent value (levels).
    Latest,
    /// The highest value among units (the worst epidemic level).
    Max,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 4] = [IndicatorKind::Count, IndicatorKind::Money, IndicatorKind::Ratio, IndicatorKind::Level];
    /// Its name in forms and files (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            IndicatorKind::Count => "count",
            IndicatorKind::Money => "money",
            IndicatorKind::Ratio => "ratio",
            IndicatorKind::Level => "level",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
    /// Roll-up rules that make sense for the type; the template is checked
    /// against this so a ratio can never be summed or averaged.
    pub fn allowed_rollups(self) -> &'static [RollUp] {
        match self {
            IndicatorKind::Count | IndicatorKind::Money => &[RollUp::Sum],
            IndicatorKind::Ratio => &[RollUp::WeightedRatio],
            IndicatorKind::Level => &[RollUp::Latest, RollUp::Max],
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            IndicatorKind::Count => "Số lượng",
            IndicatorKind::Money => "Số tiền (đồng)",
            IndicatorKind::Ratio => "Tỷ lệ",
            IndicatorKind::Level => "Cấp độ",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            IndicatorKind::Count => "Count",
            IndicatorKind::Money => "Money (VND)",
            IndicatorKind::Ratio => "Ratio",
            IndicatorKind::Level => "Level",
        }
    }
}

impl RollUp {
    pub const ALL: [RollUp; 4] = [RollUp::Sum, RollUp::WeightedRatio, RollUp::Latest, RollUp::Max];
    /// Its name in forms and files (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            RollUp::Sum => "sum",
            RollUp::WeightedRatio => "weighted_ratio",
            RollUp::Latest => "latest",
            RollUp::Max => "max",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            RollUp::Sum => "Cộng dồn",
            RollUp::WeightedRatio => "Tỷ lệ theo tổng tử số / tổng mẫu số",
            RollUp::Latest => "Giá trị mới nhất",
            RollUp::Max => "Giá trị cao nhất",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            RollUp::Sum => "Sum",
            RollUp::WeightedRatio => "Summed numerators over summed denominators",
            RollUp::Latest => "Latest value",
            RollUp::Max => "Highest value",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: IndicatorKind,
    /// Unit of measure as shown ("người", "ca", "đồng", "%").
    pub unit_vi: String,
    pub unit_en: String,
    pub rollup: RollUp,
    /// For ratios: what the numerator and denominator count.
    #[serde(default)]
    pub numerator_vi: Option<String>,
    #[serde(default)]
    pub denominator_vi: Option<String>,
    /// For levels: the highest level (the lowest is 1).
    #[serde(default)]
    pub level_max: Option<u8>,
    /// Which participant categories report it.
    pub categories: Vec<ParticipantCategory>,
    /// Rules across fields of one report (second doses at most first doses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<FieldRule>,
    /// The parts a new period copies from the period before (none given: a
    /// ratio's denominator; `report_summary::Indicator::carried`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carry_over: Option<Vec<Part>>,
}

/// A number an indicator's entry holds: a value, or a ratio's two parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Value,
    Numerator,
    Denominator,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Value, Part::Numerator, Part::Denominator];

    pub fn code(self) -> &'static str {
        match self {
            Part::Value => "value",
            Part::Numerator => "numerator",
            Part::Denominator => "denominator",
        }
    }
    pub fn parse(s: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.code() == s)
    }
    /// Whether an indicator of `kind` has this part.
    pub fn belongs_to(self, kind: IndicatorKind) -> bool {
        (kind == IndicatorKind::Ratio) == (self != Part::Value)
    }
    /// The part's name in a report form, as the indicator words it.
    pub fn label_vi(self, i: &Indicator) -> String {
        match self {
            Part::Value => i.name_vi.clone(),
            Part::Numerator => i.numerator_vi.clone().unwrap_or_else(|| format!("{} (tử số)", i.name_vi)),
            Part::Denominator => i.denominator_vi.clone().unwrap_or_else(|| format!("{} (mẫu số)", i.name_vi)),
        }
    }
    pub fn label_en(self, i: &Indicator) -> String {
        match self {
            Part::Value => i.name_en.clone(),
            Part::Numerator => format!("{} (numerator)", i.name_en),
            Part::Denominator => format!("{} (denominator)", i.name_en),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    AtMost,
    AtLeast,
}

impl Compare {
    pub const ALL: [Compare; 2] = [Compare::AtMost, Compare::AtLeast];

    pub fn code(self) -> &'static str {
        match self {
            Compare::AtMost => "at_most",
            Compare::AtLeast => "at_least",
        }
    }
    pub fn parse(s: &str) -> Option<Compare> {
        Compare::ALL.into_iter().find(|c| c.code() == s)
    }
    pub fn holds(self, x: f64, y: f64) -> bool {
        match self {
            Compare::AtMost => x <= y,
            Compare::AtLeast => x >= y,
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Compare::AtMost => "không được lớn hơn",
            Compare::AtLeast => "không được nhỏ hơn",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Compare::AtMost => "at most",
            Compare::AtLeast => "at least",
        }
    }
}

/// A rule across two fields of one report, kept in the movement as data:
/// this indicator's `part` is at most (or at least) `other`'s `other_part`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRule {
    pub part: Part,
    pub compare: Compare,
    /// The other indicator's code.
    pub other: String,
    pub other_part: Part,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_names_in_files() {
        for k in IndicatorKind::ALL {
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.code()));
            assert_eq!(IndicatorKind::parse(k.code()), Some(k));
        }
        for r in RollUp::ALL {
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.code()));
            assert_eq!(RollUp::parse(r.code()), Some(r));
        }
        for t in crate::domain::movement::TieBreak::ALL {
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.code()));
        }
    }
}
