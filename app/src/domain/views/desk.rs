//! The review desk's shapes: a period's expected units and rates, one
//! report under review, and the difficulties inbox. The XLSX export reads
//! the same `Desk`.

use crate::domain::indicator::Indicator;
use crate::domain::movement::Criterion;
use crate::domain::report::{PeriodChoice, ReportBody};
use crate::domain::review::{Appraisal, Rates, Timeliness};
use crate::domain::rollup::GroupBy;
use crate::domain::sync::ReviewStatus;
use crate::domain::unit::ParticipantCategory;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskRow {
    pub unit: String,
    pub unit_name: String,
    pub category: Option<ParticipantCategory>,
    pub demo: bool,
    pub timeliness: Timeliness,
    pub status: Option<ReviewStatus>,
    /// The report's id, when there is one.
    pub report: Option<String>,
    /// When it first arrived (RFC 3339).
    pub received: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateRow {
    pub by: GroupBy,
    pub key: String,
    pub name: String,
    pub rates: Rates,
}

/// A period at the desk: every expected unit and the rates by group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    /// The movement shown, and those the reader may pick.
    #[serde(default)]
    pub movement: String,
    #[serde(default)]
    pub movements: Vec<super::MovementChoice>,
    pub period: String,
    pub periods: Vec<PeriodChoice>,
    /// dd/mm/yyyy
    pub deadline: String,
    pub grace_days: u8,
    pub rows: Vec<DeskRow>,
    pub rates: Vec<RateRow>,
    /// Whether this account may accept, return and appraise.
    pub can_write: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportReview {
    pub id: String,
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub period_label_vi: String,
    pub period_label_en: String,
    pub status: ReviewStatus,
    pub return_comment: Option<String>,
    pub timeliness: Timeliness,
    pub received: String,
    pub revision: u32,
    pub criteria: Vec<Criterion>,
    pub indicators: Vec<Indicator>,
    /// The movement's version the report is scored by (its period's).
    #[serde(default)]
    pub version: u32,
    pub body: ReportBody,
    pub appraisal: Vec<Appraisal>,
    /// Bonus and deduction entered by the district (`area` is the kind).
    pub adjustments: Vec<Appraisal>,
    /// The movement's bonus and deduction caps.
    pub caps: (u32, u32),
    pub can_write: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DifficultyRow {
    pub id: String,
    pub unit: String,
    pub unit_name: String,
    pub title: String,
    pub details: String,
    pub status: ReviewStatus,
    pub answer: Option<String>,
    pub received: String,
}
