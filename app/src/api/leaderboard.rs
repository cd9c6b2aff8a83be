//! Cluster and block leaderboards (SPEC §5.5): ranks, bands, the tie-break
//! rule in words, the change since the previous month, and where each unit
//! lost points. A unit's reporter reads the boards of its own clusters;
//! district roles read every board.

use crate::domain::report::PeriodChoice;
use leptos::prelude::*;
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
    pub cluster: String,
    pub cluster_name: String,
    pub period: String,
    pub tie_break_vi: String,
    pub rows: Vec<BoardRow>,
    /// The boards this account may open, and the periods.
    pub clusters: Vec<ClusterChoice>,
    pub periods: Vec<PeriodChoice>,
}

/// `cluster` and `period` may be empty: the first readable board, the latest
/// period with reports.
#[server(endpoint = "leaderboard/board")]
pub async fn leaderboard(cluster: String, period: String) -> Result<Board, ServerFnError> {
    use crate::api::{auth::guard, db, fail, scope};
    use crate::store::{clusters, leaderboard, review};
    let me = guard::signed_in().await?;
    let db = db()?;
    let m = crate::api::current_movement(&db).await?;
    let readable = scope::readable(&db, &me).await.map_err(fail)?;
    let mine: Vec<ClusterChoice> = clusters::list(&db)
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|c| c.members.iter().any(|u| readable.allows(u)))
        .map(|c| ClusterChoice { id: c.id, name: c.name })
        .collect();
    let cluster = if cluster.is_empty() { mine.first().map(|c| c.id.clone()).unwrap_or_default() } else { cluster };
    if !mine.iter().any(|c| c.id == cluster) {
        return Err(scope::denied());
    }
    let period = if period.is_empty() { review::latest_period(&db, &m).await.map_err(fail)? } else { period };
    let mut board = leaderboard::board(&db, &m, &cluster, &period, time::OffsetDateTime::now_utc(), true).await.map_err(fail)?;
    board.clusters = mine;
    board.periods = m.periods.iter().map(PeriodChoice::from).collect();
    Ok(board)
}
