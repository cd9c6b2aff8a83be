//! A cluster's leaderboard for one period, as the leaderboard page and the
//! printouts read it.

use crate::domain::period::Period;
use crate::domain::report::PeriodChoice;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lost {
    pub criterion: String,
    pub points: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub rank: u32,
    /// Places moved since the previous month (positive: up).
    pub change: Option<i64>,
    pub unit: String,
    pub unit_name: String,
    pub demo: bool,
    pub total: f64,
    pub sheet: f64,
    pub bonus: f64,
    pub deductions: f64,
    pub band_vi: String,
    /// Every criterion appraised by the district (else self-scores count).
    pub appraised: bool,
    pub lost: Vec<Lost>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterChoice {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// The movement shown, and those the reader may pick.
    #[serde(default)]
    pub movement: String,
    #[serde(default)]
    pub movements: Vec<super::MovementChoice>,
    pub cluster: String,
    pub cluster_name: String,
    pub period: String,
    pub tie_break_vi: String,
    /// What a review period ranks by, in words (empty for a month).
    pub basis_vi: String,
    pub basis_en: String,
    pub rows: Vec<BoardRow>,
    /// The boards this account may open, and the periods.
    pub clusters: Vec<ClusterChoice>,
    pub periods: Vec<PeriodChoice>,
    /// The reader may print every board and download them (district staff).
    pub staff: bool,
}

/// Every cluster's and block's board for one period: the printed ranking and
/// its XLSX (a sơ kết or tổng kết ranks over its months).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rankings {
    pub period: String,
    pub period_label_vi: String,
    pub period_label_en: String,
    /// "UBND HUYỆN NGỌC HỒI" and "tổng kết phong trào", cased on the server
    /// (the phone does not carry Unicode case tables).
    pub issuer: String,
    pub period_phrase: String,
    /// The organiser's name as written ("Huyện Ngọc Hồi"), for the place line.
    pub organiser: String,
    pub movement_vi: String,
    /// Today in Vietnam (year, month, day), for the date line.
    pub today: (i32, u8, u8),
    pub boards: Vec<Board>,
}

/// What a board ranked by, in words: None for a period's own reports;
/// else "Xếp hạng theo điểm bình quân của 15 tháng đã hết hạn (Tháng 10/2021 – Tháng 12/2022)."
pub fn basis_vi(months: Option<&[&Period]>) -> String {
    basis(months, |p| &p.label_vi, "Xếp hạng theo điểm bình quân của", "tháng đã hết hạn", "Chưa có tháng nào hết hạn.")
}

pub fn basis_en(months: Option<&[&Period]>) -> String {
    basis(months, |p| &p.label_en, "Ranked by the mean score of", "closed months", "No month has closed yet.")
}

fn basis(months: Option<&[&Period]>, label: fn(&Period) -> &String, lead: &str, what: &str, none: &str) -> String {
    match months {
        None => String::new(),
        Some([]) => none.to_string(),
        Some(ms) => format!("{lead} {} {what} ({} – {}).", ms.len(), label(ms[0]), label(ms[ms.len() - 1])),
    }
}
