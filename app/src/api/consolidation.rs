//! Consolidated indicators for the district (or any area above it): tables
//! by unit, cluster, category and the whole area, and month-by-month trends.
//! The XLSX and the printable report read the same `ConsolidationView`.

pub use crate::domain::views::consolidation::{ConsolidationView, TrendPoint};
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The consolidation of a period and the trend up to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consolidated {
    /// The movement shown, and those the reader may pick.
    pub movement: String,
    pub movements: Vec<crate::domain::views::MovementChoice>,
    pub view: ConsolidationView,
    pub periods: Vec<crate::domain::report::PeriodChoice>,
    pub trend: Vec<TrendPoint>,
    /// Today in Vietnam (year, month, day), for the printed report's date line.
    pub today: (i32, u8, u8),
    /// The printed report's words (issuer, office, recipients, signer) and
    /// "tháng 10/2021", cased on the server (the phone does not carry
    /// Unicode case tables).
    pub words: crate::domain::document::ReportWords,
    pub period_phrase: String,
}

#[server(endpoint = "consolidation/page", output = crate::api::codec::Json)]
pub async fn consolidation_page(
    period: String,
    #[server(default)] movement: String,
    #[server(default)] as_today: bool,
) -> Result<Consolidated, AppError> {
    use crate::api::{fail, review::checks};
    use crate::domain::report::PeriodChoice;
    use crate::store::consolidation;
    let (_, db, m, movements) = checks::reader(&movement).await?;
    let period = checks::period_or_latest(&db, &m, &period).await?;
    let view = if as_today {
        consolidation::consolidate_as_today(&db, &m, &m.organiser, &period).await
    } else {
        consolidation::consolidate(&db, &m, &m.organiser, &period, true).await
    }
    .map_err(fail)?;
    let trend = consolidation::trend(&db, &m, &m.organiser, &period).await.map_err(fail)?;
    let periods = m.periods.iter().map(PeriodChoice::from).collect();
    let now = time::OffsetDateTime::now_utc().to_offset(crate::domain::date::vn_offset());
    let words = crate::domain::document::report_words(&view.root_name, &m.definition.office);
    let period_phrase = view.period_label_vi.to_lowercase();
    Ok(Consolidated {
        movement: m.id.clone(),
        movements,
        view,
        periods,
        trend,
        today: (now.year(), now.month() as u8, now.day()),
        words,
        period_phrase,
    })
}
