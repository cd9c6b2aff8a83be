//! Cluster and block leaderboards (SPEC §5.5): ranks, bands, the tie-break
//! rule in words, the change since the previous month, and where each unit
//! lost points. A unit's reporter reads the boards of its own clusters;
//! district roles read every board.

pub use crate::domain::views::board::{Board, BoardRow, ClusterChoice, Lost, Rankings};
use crate::domain::AppError;
use leptos::prelude::*;

/// `cluster`, `period` and `movement` may be empty: the first readable
/// board, the latest period with reports, the current movement.
#[server(endpoint = "leaderboard/board", output = crate::api::codec::Json)]
pub async fn leaderboard(cluster: String, period: String, #[server(default)] movement: String) -> Result<Board, AppError> {
    use crate::api::{auth::guard, db, fail, scope};
    use crate::store::{clusters, leaderboard, review};
    let me = guard::signed_in().await?;
    let db = db()?;
    let (m, choices) = scope::movement(&db, &me, &movement).await?;
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
        return Err(AppError::denied());
    }
    let period = if period.is_empty() {
        review::period_now(&db, &m, crate::domain::date::vn_date(time::OffsetDateTime::now_utc())).await.map_err(fail)?
    } else {
        period
    };
    let mut board = leaderboard::board(&db, &m, &cluster, &period, time::OffsetDateTime::now_utc(), true).await.map_err(fail)?;
    board.clusters = mine;
    board.periods = m.periods.iter().map(crate::domain::report::PeriodChoice::from).collect();
    board.staff = crate::api::review::checks::READERS.contains(&me.role);
    board.movements = choices;
    Ok(board)
}

/// Every board for a period, for the printed ranking (the district's desk
/// readers). `period` may be empty: the period that matters now.
#[server(endpoint = "leaderboard/rankings", output = crate::api::codec::Json)]
pub async fn all_boards(period: String, #[server(default)] movement: String) -> Result<Rankings, AppError> {
    use crate::api::{fail, review::checks};
    use crate::store::{leaderboard, units};
    let (_, db, m, _) = checks::reader(&movement).await?;
    let period = checks::period_or_latest(&db, &m, &period).await?;
    let p = m.periods.iter().find(|p| p.code == period).ok_or_else(|| AppError::not_found(&period))?;
    let now = time::OffsetDateTime::now_utc();
    let boards = leaderboard::rankings(&db, &m, &period, now).await.map_err(fail)?;
    let organiser = units::get(&db, &m.organiser).await.map_err(fail)?.map(|u| u.name).unwrap_or_default();
    let today = now.to_offset(crate::domain::date::vn_offset());
    Ok(Rankings {
        period: p.code.clone(),
        period_label_vi: p.label_vi.clone(),
        period_label_en: p.label_en.clone(),
        issuer: format!("UBND {}", organiser.to_uppercase()),
        period_phrase: p.label_vi.to_lowercase(),
        organiser,
        movement_vi: m.definition.name_vi.clone(),
        today: (today.year(), today.month() as u8, today.day()),
        boards,
    })
}
