//! The home page's data. Replies carry flat rows shaped for the page rather
//! than the whole movement definition: less to send to a phone, and far less
//! deserialisation code in the WASM.

use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaRow {
    pub title_vi: String,
    pub title_en: String,
    pub max_points: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandRow {
    pub label_vi: String,
    pub label_en: String,
    pub min_total: String,
    pub min_each_percent: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodRow {
    pub label_vi: String,
    pub label_en: String,
    /// "01/10/2021 – 31/10/2021"
    pub span: String,
    /// "05/11/2021"
    pub deadline: String,
    pub monthly: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormRow {
    pub name_vi: String,
    pub name_en: String,
    pub decided_by_vi: String,
    pub decided_by_en: String,
    pub standard_vi: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub organiser_name: String,
    pub name_vi: String,
    pub name_en: String,
    pub slogan_vi: String,
    pub basis_vi: String,
    pub units: usize,
    pub clusters: usize,
    pub areas: Vec<AreaRow>,
    pub bonus_cap: u32,
    pub deduction_cap: u32,
    pub late_report_deduction: u32,
    pub bands: Vec<BandRow>,
    pub deadline_day: u8,
    pub grace_days: u8,
    pub periods: Vec<PeriodRow>,
    pub forms: Vec<FormRow>,
}

#[cfg(feature = "ssr")]
impl HomeData {
    fn new(m: &crate::domain::movement::Movement, organiser_name: String, units: usize, clusters: usize) -> Self {
        use crate::domain::date::format_vi;
        use crate::domain::period::PeriodKind;
        use crate::domain::text::format_decimal_vi;
        let d = &m.definition;
        let mut areas: Vec<_> = d.content_areas.iter().collect();
        areas.sort_by_key(|a| a.no);
        HomeData {
            organiser_name,
            name_vi: d.name_vi.clone(),
            name_en: d.name_en.clone(),
            slogan_vi: d.slogan_vi.clone(),
            basis_vi: d.basis_vi.clone(),
            units,
            clusters,
            areas: areas
                .into_iter()
                .map(|a| AreaRow { title_vi: a.title_vi.clone(), title_en: a.title_en.clone(), max_points: a.max_points })
                .collect(),
            bonus_cap: d.scoring.bonus_cap,
            deduction_cap: d.scoring.deduction_cap,
            late_report_deduction: d.scoring.late_report_deduction,
            bands: d
                .scoring
                .bands
                .iter()
                .map(|b| BandRow {
                    label_vi: b.label_vi.clone(),
                    label_en: b.label_en.clone(),
                    min_total: format_decimal_vi(b.min_total, 1),
                    min_each_percent: format_decimal_vi(b.min_each_percent, 1),
                })
                .collect(),
            deadline_day: d.periods.deadline_day,
            grace_days: d.periods.grace_days,
            periods: m
                .periods
                .iter()
                .map(|p| PeriodRow {
                    label_vi: p.label_vi.clone(),
                    label_en: p.label_en.clone(),
                    span: format!("{} – {}", format_vi(p.starts_on), format_vi(p.ends_on)),
                    deadline: format_vi(p.deadline),
                    monthly: p.kind == PeriodKind::Month,
                })
                .collect(),
            forms: d
                .award_forms
                .iter()
                .map(|f| FormRow {
                    name_vi: f.name_vi.clone(),
                    name_en: f.name_en.clone(),
                    decided_by_vi: f.decided_by_vi.clone(),
                    decided_by_en: f.decided_by_en.clone(),
                    standard_vi: f.standard_vi.clone(),
                })
                .collect(),
        }
    }
}

#[server(endpoint = "movement/overview", output = crate::api::codec::Json)]
pub async fn movement_overview() -> Result<Option<HomeData>, AppError> {
    use crate::api::{db, fail};
    use crate::store::{clusters, movements, units};
    let db = db()?;
    let Some(movement) = movements::current(&db).await.map_err(fail)? else {
        return Ok(None);
    };
    let organiser_name =
        units::get(&db, &movement.organiser).await.map_err(fail)?.map(|u| u.name).unwrap_or_else(|| movement.organiser.clone());
    // The organiser runs the movement; everything under it takes part.
    let units = units::subtree(&db, &movement.organiser).await.map_err(fail)?.len().saturating_sub(1);
    let clusters = clusters::list(&db).await.map_err(fail)?.len();
    Ok(Some(HomeData::new(&movement, organiser_name, units, clusters)))
}
