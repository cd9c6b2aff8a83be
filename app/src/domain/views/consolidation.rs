//! Consolidated indicators of an area for one period, and the trend up to
//! it; the page, the XLSX and the printable report read the same view.

use crate::domain::indicator::Indicator;
use crate::domain::rollup::{Cell, Table};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsolidationView {
    pub root: String,
    pub root_name: String,
    pub period: String,
    pub period_label_vi: String,
    pub period_label_en: String,
    /// Units expected to report indicators, and reports counted.
    pub expected: u32,
    pub reports: u32,
    pub indicators: Vec<Indicator>,
    pub tables: Vec<Table>,
    /// Shown under today's units (old units summed into their successors).
    #[serde(default)]
    pub as_today: bool,
    /// Old units split across several of today's units: shown on their own.
    #[serde(default)]
    pub splits: Vec<crate::domain::succession::SplitNote>,
    /// Whether any unit here has successors, so "as today's units" means
    /// something.
    #[serde(default)]
    pub has_successors: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub period: String,
    pub label_vi: String,
    pub label_en: String,
    /// One per indicator, in the view's indicator order.
    pub cells: Vec<Cell>,
}
