//! What a meeting-room display reads through its kiosk link: the boards of
//! the clusters and blocks, and nothing else (no accounts, no personal data).
//! The scores arrive with the leaderboards (issue 6); today a board lists
//! each cluster's units.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardCluster {
    pub name: String,
    pub block: bool,
    pub units: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub display_name: String,
    /// Server time of this reading, ISO 8601.
    pub as_of: String,
    pub clusters: Vec<BoardCluster>,
}

/// The words a missing, wrong or revoked token gets.
pub const BAD_TOKEN: &str = "Đường dẫn màn hình không hợp lệ hoặc đã bị thu hồi. / This display link is invalid or revoked.";

#[server(endpoint = "display/board")]
pub async fn display_board(token: String) -> Result<Board, ServerFnError> {
    use crate::api::{db, fail};
    use crate::domain::cluster::ClusterKind;
    use crate::store::{clusters, displays, units};
    let db = db()?;
    let Some(link) = displays::verify(&db, &token).await.map_err(fail)? else {
        return Err(ServerFnError::new(BAD_TOKEN));
    };
    let cs = clusters::list(&db).await.map_err(fail)?;
    let members: Vec<String> = cs.iter().flat_map(|c| c.members.iter().cloned()).collect();
    let names = units::names_of(&db, &members).await.map_err(fail)?;
    let clusters = cs
        .into_iter()
        .map(|c| BoardCluster {
            name: c.name,
            block: c.kind == ClusterKind::Block,
            units: c.members.iter().map(|m| names.get(m).cloned().unwrap_or_else(|| m.clone())).collect(),
        })
        .collect();
    let as_of = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    Ok(Board { display_name: link.name, as_of, clusters })
}
