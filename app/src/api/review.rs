//! The district's review desk (Phòng Nội vụ): reporting rates per period,
//! one report to accept, return or appraise, and the difficulties inbox.
//! The health officer reads all of it and writes nothing.

use crate::domain::review::{Adjust, Appraisal, Decision};
use crate::domain::sync::ReviewStatus;
pub use crate::domain::views::desk::{Desk, DeskRow, DifficultyRow, RateRow, ReportReview};
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub(crate) mod checks {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::{Account, Role};
    use crate::domain::movement::Movement;
    use crate::domain::views::MovementChoice;
    use crate::domain::AppError;
    use crate::store::Db;

    pub const READERS: &[Role] = &[Role::DistrictOfficer, Role::HealthOfficer];

    /// A reader of the desk, the database, movement `code` (empty: the
    /// current one, `scope::movement`) and the movements the reader may
    /// pick. (The movement must be run by the reader's organisation, or one
    /// it contains: another organisation's desk is denied.)
    pub async fn reader(code: &str) -> Result<(Account, Db, Movement, Vec<MovementChoice>), AppError> {
        let me = guard::require(READERS).await?;
        let db = db()?;
        let (m, choices) = crate::api::scope::movement(&db, &me, code).await?;
        crate::api::scope::in_district(&db, &me, &m.organiser).await?;
        Ok((me, db, m, choices))
    }

    /// The movement a stored item was filed for (the current one for an
    /// item that names none).
    pub async fn movement_of(db: &Db, item: &crate::store::submissions::ItemState) -> Result<Movement, AppError> {
        match &item.movement {
            Some(code) => crate::store::movements::by_code(db, code).await.map_err(fail)?.ok_or_else(|| AppError::not_found(code)),
            None => crate::api::current_movement(db).await,
        }
    }

    /// The officer, and the submission's unit inside the officer's district.
    pub async fn officer_over(id: &str) -> Result<(Account, Db, Movement, crate::store::submissions::ItemState), AppError> {
        let me = guard::require(&[Role::DistrictOfficer]).await?;
        let db = db()?;
        // Unknown ids say so (the officer may call this); another
        // district's items get the same denial as any other.
        let item = crate::store::submissions::state_of(&db, id).await.map_err(fail)?.ok_or_else(|| AppError::not_found(id))?;
        crate::api::scope::in_district(&db, &me, &item.unit).await?;
        let m = movement_of(&db, &item).await?;
        Ok((me, db, m, item))
    }

    /// The period asked for, or the latest one with reports (else the
    /// latest month already started).
    pub async fn period_or_latest(db: &Db, m: &Movement, asked: &str) -> Result<String, AppError> {
        if !asked.is_empty() {
            return m.periods.iter().find(|p| p.code == asked).map(|p| p.code.clone()).ok_or_else(|| {
                AppError::field(
                    "period",
                    "period_exists",
                    format!("Kỳ \"{asked}\" không có trong phong trào."),
                    format!("No period \"{asked}\" in the movement."),
                )
            });
        }
        crate::store::review::period_now(db, m, crate::domain::date::vn_date(time::OffsetDateTime::now_utc())).await.map_err(fail)
    }
}

#[server(endpoint = "review/desk", output = crate::api::codec::Json)]
pub async fn review_desk(period: String, #[server(default)] movement: String) -> Result<Desk, AppError> {
    use crate::api::fail;
    use crate::domain::auth::Role;
    let (me, db, m, choices) = checks::reader(&movement).await?;
    let period = checks::period_or_latest(&db, &m, &period).await?;
    let mut desk =
        crate::store::review::period_desk(&db, &m, &m.organiser, &period, time::OffsetDateTime::now_utc()).await.map_err(fail)?;
    desk.can_write = me.role == Role::DistrictOfficer;
    desk.movements = choices;
    Ok(desk)
}

#[server(endpoint = "review/report", output = crate::api::codec::Json)]
pub async fn review_report(id: String) -> Result<ReportReview, AppError> {
    use crate::api::{auth::guard, db, fail};
    let me = guard::require(checks::READERS).await?;
    let db = db()?;
    // Scored by the movement it was filed for.
    let item = crate::store::submissions::state_of(&db, &id).await.map_err(fail)?.ok_or_else(|| AppError::not_found(&id))?;
    crate::api::scope::in_district(&db, &me, &item.unit).await?;
    let m = checks::movement_of(&db, &item).await?;
    let mut r = crate::store::review::report(&db, &m, &id, time::OffsetDateTime::now_utc())
        .await
        .map_err(fail)?
        .ok_or_else(|| AppError::not_found(&id))?;
    r.can_write = me.role == crate::domain::auth::Role::DistrictOfficer;
    Ok(r)
}

/// Accepts a report, or returns it with a comment the unit sees at its next sync.
#[server(endpoint = "review/decide", output = crate::api::codec::Json)]
pub async fn review_decide(id: String, decision: Decision, comment: String) -> Result<ReviewStatus, AppError> {
    use crate::api::fail;
    let (me, db, _, _) = checks::officer_over(&id).await?;
    crate::store::review::decide(&db, &id, decision, &comment, &me.username).await.map_err(fail)
}

/// The district's score for one criterion, with its reason.
#[server(endpoint = "review/appraise", output = crate::api::codec::Json)]
pub async fn review_appraise(id: String, area: String, points: f64, reason: String) -> Result<Appraisal, AppError> {
    use crate::api::fail;
    let (me, db, m, _) = checks::officer_over(&id).await?;
    crate::store::review::appraise(&db, &m, &id, &area, points, &reason, &me.username).await.map_err(fail)
}

/// The report's bonus or deduction, with its reason.
#[server(endpoint = "review/adjust", output = crate::api::codec::Json)]
pub async fn review_adjust(id: String, kind: Adjust, points: f64, reason: String) -> Result<Appraisal, AppError> {
    use crate::api::fail;
    let (me, db, m, _) = checks::officer_over(&id).await?;
    crate::store::review::adjust(&db, &m, &id, kind, points, &reason, &me.username).await.map_err(fail)
}

/// The difficulties inbox, and whether this account may answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub rows: Vec<DifficultyRow>,
    pub can_write: bool,
}

#[server(endpoint = "review/difficulties", output = crate::api::codec::Json)]
pub async fn review_difficulties() -> Result<Inbox, AppError> {
    use crate::api::fail;
    let (me, db, m, _) = checks::reader("").await?;
    let rows = crate::store::difficulties::list(&db, &m.organiser).await.map_err(fail)?;
    Ok(Inbox { rows, can_write: me.role == crate::domain::auth::Role::DistrictOfficer })
}

#[server(endpoint = "review/answer", output = crate::api::codec::Json)]
pub async fn review_answer(id: String, answer: String) -> Result<(), AppError> {
    use crate::api::fail;
    let (me, db, _, _) = checks::officer_over(&id).await?;
    crate::store::difficulties::answer(&db, &id, &answer, &me.username).await.map_err(fail)
}

/// Takes a stray item out of the way (never a silent delete: it is kept,
/// whole, with the reason, and audited), so the id is free for the unit it
/// belongs to.
#[server(endpoint = "review/void", output = crate::api::codec::Json)]
pub async fn review_void(id: String, reason: String) -> Result<(), AppError> {
    use crate::api::fail;
    use crate::store::{submissions, StoreError};
    let (me, db, _, state) = checks::officer_over(&id).await?;
    let errors = crate::domain::review::check_void(state.status, state.stage.as_deref(), &reason);
    if !errors.is_empty() {
        return Err(fail(StoreError::Invalid(errors)));
    }
    submissions::void(&db, &id, reason.trim(), &me.username).await.map_err(fail)
}
