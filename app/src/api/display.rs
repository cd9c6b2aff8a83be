//! What a meeting-room display reads through its kiosk link: the boards of
//! the clusters and blocks, and nothing else (no accounts, no personal data).
//! Each board ranks a cluster's units for the latest period with reports
//! (the same scoring as the leaderboard pages). After the first reading the
//! display follows changes over server-sent events (`server::live_boards`),
//! which carry a `Standings` each.

pub use crate::domain::views::standings::{BoardCluster, BoardUnit, Standings};
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub display_name: String,
    pub standings: Standings,
}

/// Where a display listens for changes (server-sent events).
pub fn live_url(token: &str) -> String {
    format!("/api/display/live/{token}")
}

#[server(endpoint = "display/board", output = crate::api::codec::Json)]
pub async fn display_board(token: String) -> Result<Board, AppError> {
    use crate::api::{db, fail};
    use crate::store::{displays, leaderboard};
    let db = db()?;
    let Some(link) = displays::verify(&db, &token).await.map_err(fail)? else {
        return Err(AppError::display_link());
    };
    let Some(m) = shown_movement(&db, &link).await.map_err(fail)? else {
        return Err(AppError::unavailable("Chưa có phong trào.", "No movement yet."));
    };
    let mut standings = leaderboard::standings(&db, &m, &link.view(), time::OffsetDateTime::now_utc()).await.map_err(fail)?;
    // A link shows its own organisation's boards, never another's.
    if !shows_movement(&link, &m) {
        standings.clusters.clear();
    }
    Ok(Board { display_name: link.name, standings })
}

/// The movement a display link shows: the one it names, else the current one.
#[cfg(feature = "ssr")]
pub async fn shown_movement(
    db: &crate::store::Db,
    link: &crate::store::displays::DisplayLink,
) -> crate::store::Result<Option<crate::domain::movement::Movement>> {
    match &link.movement {
        Some(code) => crate::store::movements::by_code(db, code).await,
        None => crate::store::movements::current(db).await,
    }
}

/// Whether a display link shows the movement's boards: it belongs to the
/// movement's organiser (a link made before links named one does).
#[cfg(feature = "ssr")]
pub fn shows_movement(link: &crate::store::displays::DisplayLink, m: &crate::domain::movement::Movement) -> bool {
    link.organiser.as_ref().is_none_or(|o| *o == m.organiser)
}
