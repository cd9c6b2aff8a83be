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
}
