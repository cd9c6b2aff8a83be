//! Nominations at the district and the council's vote (SPEC §5.7, §7): the
//! officer's desk checks each nomination against the award rules in force on
//! its date, returns it or puts it to a council sitting; members vote once
//! each, blind until the sitting closes; the officer closes it (minutes) and
//! records the district's decision for the forms the district decides.

pub use crate::domain::council::Stage;
use crate::domain::council::Vote;
pub use crate::domain::views::council::{BallotItem, Minutes, MinutesRow, NominationDesk, NominationRow, SittingRow};
use crate::domain::AppError;
use leptos::prelude::*;

/// A vote's code in test ids and forms.
pub fn vote_code(v: Vote) -> &'static str {
    match v {
        Vote::Approve => "approve",
        Vote::Reject => "reject",
        Vote::Abstain => "abstain",
    }
}

/// A sitting of the officer's own organisation, and its movement: unknown
/// ids say so, another organisation's get the denial.
#[cfg(feature = "ssr")]
async fn own_sitting(
    db: &crate::store::Db,
    me: &crate::domain::auth::Account,
    sitting: &str,
) -> Result<crate::domain::movement::Movement, AppError> {
    use crate::api::fail;
    let (m, org) = crate::store::council::sitting_owner(db, sitting)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(crate::store::StoreError::NotFound(format!("sitting:{sitting}"))))?;
    crate::api::scope::in_district(db, me, &org).await?;
    Ok(m)
}

/// The nominations desk of movement `movement` (empty: the first the
/// officer may open, `scope::movement`).
#[server(endpoint = "council/desk", output = crate::api::codec::Json)]
pub async fn council_desk(#[server(default)] movement: String) -> Result<NominationDesk, AppError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::DistrictOfficer]).await?;
    let db = db()?;
    let (m, choices) = crate::api::scope::movement(&db, &me, &movement).await?;
    let org = crate::api::scope::organisation(&db, &me).await.map_err(fail)?;
    let mut desk = crate::store::nominations::desk(&db, &m, &org).await.map_err(fail)?;
    desk.organiser_decides_vi =
        crate::domain::council::organiser_forms_vi(&m, crate::domain::date::vn_date(time::OffsetDateTime::now_utc()));
    desk.movement = m.id.clone();
    desk.movements = choices;
    Ok(desk)
}

/// Returns a nomination to its unit with a comment (before the council).
#[server(endpoint = "council/return", output = crate::api::codec::Json)]
pub async fn council_return(id: String, comment: String) -> Result<(), AppError> {
    use crate::api::fail;
    let (me, db, _, _) = crate::api::review::checks::officer_over(&id).await?;
    crate::store::nominations::return_nomination(&db, &id, &comment, &me.username).await.map_err(fail)
}

/// Puts eligible nominations to a new council sitting.
#[server(endpoint = "council/open", output = crate::api::codec::Json)]
pub async fn council_open(title: String, ids: Vec<String>) -> Result<String, AppError> {
    use crate::api::{auth::guard, fail};
    guard::require(&[crate::domain::auth::Role::DistrictOfficer]).await?;
    let mut last = None;
    for id in &ids {
        last = Some(crate::api::review::checks::officer_over(id).await?);
    }
    let Some((me, db, m, _)) = last else {
        return Err(AppError::field("ids", "required", "Chọn ít nhất một đề nghị.", "Choose at least one nomination."));
    };
    let org = crate::api::scope::organisation(&db, &me).await.map_err(fail)?;
    crate::store::council::open_sitting(&db, &m, &org, &title, &ids, &me.username).await.map_err(fail)
}

/// A council member's open ballots.
#[server(endpoint = "council/ballot", output = crate::api::codec::Json)]
pub async fn council_ballot() -> Result<Vec<BallotItem>, AppError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::CouncilMember]).await?;
    crate::store::council::ballot(&db()?, &me.username).await.map_err(fail)
}

/// Casts this member's one vote on a nomination.
#[server(endpoint = "council/vote", output = crate::api::codec::Json)]
pub async fn council_vote(sitting: String, nomination: String, choice: Vote) -> Result<(), AppError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::CouncilMember]).await?;
    crate::store::council::cast(&db()?, &sitting, &nomination, &me.username, choice).await.map_err(fail)
}

/// Closes a sitting: counts, outcomes, minutes.
#[server(endpoint = "council/close", output = crate::api::codec::Json)]
pub async fn council_close(sitting: String) -> Result<Minutes, AppError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::DistrictOfficer]).await?;
    let db = db()?;
    let m = own_sitting(&db, &me, &sitting).await?;
    crate::store::council::close(&db, &m, &sitting, &me.username).await.map_err(fail)
}

/// The minutes of a closed sitting (the officer and the council's members).
#[server(endpoint = "council/minutes", output = crate::api::codec::Json)]
pub async fn council_minutes(sitting: String) -> Result<Minutes, AppError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::DistrictOfficer, Role::CouncilMember]).await?;
    let db = db()?;
    if me.role == Role::DistrictOfficer {
        own_sitting(&db, &me, &sitting).await?;
    }
    let minutes = crate::store::council::minutes(&db, &sitting).await.map_err(fail)?;
    if me.role == Role::CouncilMember && !minutes.members.contains(&me.username) {
        return Err(AppError::denied());
    }
    Ok(minutes)
}

/// Records the district's decision (number, date, signer) for passed
/// nominations of forms the district decides.
#[server(endpoint = "council/decide", output = crate::api::codec::Json)]
pub async fn council_decide(ids: Vec<String>, number: String, date: String, signer: String) -> Result<u32, AppError> {
    use crate::api::{auth::guard, fail};
    guard::require(&[crate::domain::auth::Role::DistrictOfficer]).await?;
    let mut last = None;
    for id in &ids {
        last = Some(crate::api::review::checks::officer_over(id).await?);
    }
    let Some((me, db, m, _)) = last else {
        return Err(AppError::field("ids", "required", "Chọn ít nhất một đề nghị.", "Choose at least one nomination."));
    };
    let today = crate::domain::date::vn_date(time::OffsetDateTime::now_utc());
    crate::store::nominations::record_decision(&db, &m, &ids, (&number, &date, &signer), today, &me.username).await.map_err(fail)
}

/// Forwards passed nominations of higher forms to the deciding level (the
/// list and minutes download as XLSX: `/xuat/trinh-cap-tren.xlsx`).
#[server(endpoint = "council/forward", output = crate::api::codec::Json)]
pub async fn council_forward(ids: Vec<String>) -> Result<u32, AppError> {
    use crate::api::{auth::guard, fail};
    guard::require(&[crate::domain::auth::Role::DistrictOfficer]).await?;
    let mut last = None;
    for id in &ids {
        last = Some(crate::api::review::checks::officer_over(id).await?);
    }
    let Some((me, db, m, _)) = last else {
        return Err(AppError::field("ids", "required", "Chọn ít nhất một đề nghị.", "Choose at least one nomination."));
    };
    crate::store::nominations::forward(&db, &m, &ids, &me.username).await.map_err(fail)
}

/// Records what the deciding level decided on a forwarded nomination:
/// awarded (its decision number and date) or not.
#[server(endpoint = "council/outcome", output = crate::api::codec::Json)]
pub async fn council_outcome(id: String, awarded: bool, number: String, date: String) -> Result<(), AppError> {
    use crate::api::fail;
    let (me, db, m, _) = crate::api::review::checks::officer_over(&id).await?;
    crate::store::nominations::record_outcome(&db, &m, &id, awarded, &number, &date, &me.username).await.map_err(fail)
}
