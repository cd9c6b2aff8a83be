//! What a meeting-room display reads through its kiosk link: the boards of
//! the clusters and blocks, and nothing else (no accounts, no personal data).
//! Each board ranks a cluster's units for the latest period with reports
//! (the same scoring as the leaderboard pages).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardUnit {
    pub rank: u32,
    pub name: String,
    pub total: f64,
    pub band: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardCluster {
    pub name: String,
    pub block: bool,
    pub units: Vec<BoardUnit>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub display_name: String,
    /// Server time of this reading, ISO 8601.
    pub as_of: String,
    /// The period ranked ("Tháng 10/2021").
    pub period_vi: String,
    pub clusters: Vec<BoardCluster>,
}

/// The words a missing, wrong or revoked token gets.
pub const BAD_TOKEN: &str = "Đường dẫn màn hình không hợp lệ hoặc đã bị thu hồi. / This display link is invalid or revoked.";

#[server(endpoint = "display/board")]
pub async fn display_board(token: String) -> Result<Board, ServerFnError> {
    use crate::api::{db, fail};
    use crate::domain::cluster::ClusterKind;
    use crate::store::{clusters, displays, leaderboard, review};
    let db = db()?;
    let Some(link) = displays::verify(&db, &token).await.map_err(fail)? else {
        return Err(ServerFnError::new(BAD_TOKEN));
    };
    let m = crate::api::current_movement(&db).await?;
    let period = review::latest_period(&db, &m).await.map_err(fail)?;
    let now = time::OffsetDateTime::now_utc();
    let mut boards = Vec::new();
    for c in clusters::list(&db).await.map_err(fail)? {
        let b = leaderboard::board(&db, &m, &c.id, &period, now, false).await.map_err(fail)?;
        boards.push(BoardCluster {
            name: c.name,
            block: c.kind == ClusterKind::Block,
            units: b.rows.into_iter().map(|r| BoardUnit { rank: r.rank, name: r.unit_name, total: r.total, band: r.band_vi }).collect(),
        });
    }
    let period_vi = m.periods.iter().find(|p| p.code == period).map(|p| p.label_vi.clone()).unwrap_or(period);
    let as_of = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    Ok(Board { display_name: link.name, as_of, period_vi, clusters: boards })
}
