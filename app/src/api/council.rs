//! Nominations at the district and the council's vote (SPEC §5.7, §7): the
//! officer's desk checks each nomination against the award rules in force on
//! its date, returns it or puts it to a council sitting; members vote once
//! each, blind until the sitting closes; the officer closes it (minutes) and
//! records the district's decision for the forms the district decides.

use crate::domain::award::{NomineeKind, RuleViolation};
use crate::domain::council::{Outcome, Tally, Vote};
use crate::domain::sync::ReviewStatus;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a nomination stands at the district.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Filed by the unit, not yet checked (or returned to it).
    Desk,
    /// Put to a council sitting that is still open.
    Council,
    Passed,
    Failed,
    /// The district's decision is recorded (forms it decides).
    Decided,
    /// Sent up to the deciding level with the minutes.
    Forwarded,
    /// The deciding level did not award it.
    NotAwarded,
}

impl Stage {
    pub fn label_vi(self) -> &'static str {
        match self {
            Stage::Desk => "Chờ xét",
            Stage::Council => "Đang lấy ý kiến Hội đồng",
            Stage::Passed => "Hội đồng thông qua",
            Stage::Failed => "Hội đồng không thông qua",
            Stage::Decided => "Đã có quyết định",
            Stage::Forwarded => "Đã trình cấp trên",
            Stage::NotAwarded => "Cấp trên không khen thưởng",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationRow {
    pub id: String,
    pub unit_name: String,
    pub nominee_kind: NomineeKind,
    pub name: String,
    pub form: String,
    pub form_name: String,
    pub posthumous: bool,
    pub status: ReviewStatus,
    pub stage: Stage,
    pub received: String,
    /// Broken award rules (empty: eligible).
    pub violations: Vec<RuleViolation>,
    /// The district decides this form itself (else it is forwarded up).
    pub district_decides: bool,
    pub decision_number: Option<String>,
    /// The certificate's verification code.
    pub decision_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationDesk {
    pub rows: Vec<NominationRow>,
    pub sittings: Vec<SittingRow>,
    /// Active council member accounts.
    pub council_members: u32,
    pub rule_vi: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SittingRow {
    pub id: String,
    pub title: String,
    pub opened_at: String,
    pub closed: bool,
    pub nominations: u32,
    /// Members who have voted on anything so far (never how).
    pub voted: u32,
    pub members: u32,
}

/// A nomination on a council member's ballot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BallotItem {
    pub sitting: String,
    pub sitting_title: String,
    pub nomination: String,
    pub unit_name: String,
    pub nominee_kind: NomineeKind,
    pub name: String,
    pub position: String,
    pub form_name: String,
    pub posthumous: bool,
    pub summary: String,
    pub contributions: String,
    /// This member's own vote, once cast.
    pub mine: Option<Vote>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MinutesRow {
    pub nomination: String,
    pub unit_name: String,
    pub name: String,
    pub form_name: String,
    pub tally: Tally,
    pub outcome: Outcome,
}

/// The minutes of a closed sitting: who attended, the rule, the results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Minutes {
    pub id: String,
    pub title: String,
    pub opened_at: String,
    pub closed_at: String,
    pub members: Vec<String>,
    pub attended: Vec<String>,
    pub rule_vi: String,
    pub rows: Vec<MinutesRow>,
}

/// A vote's code in test ids and forms.
pub fn vote_code(v: Vote) -> &'static str {
    match v {
        Vote::Approve => "approve",
        Vote::Reject => "reject",
        Vote::Abstain => "abstain",
    }
}

/// A sitting of the officer's own organisation: unknown ids say so, another
/// organisation's get the denial.
#[cfg(feature = "ssr")]
async fn own_sitting(
    db: &crate::store::Db,
    m: &crate::domain::movement::Movement,
    me: &crate::domain::auth::Account,
    sitting: &str,
) -> Result<(), ServerFnError> {
    use crate::api::fail;
    let org = crate::store::council::sitting_organiser(db, m, sitting)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(crate::store::StoreError::NotFound(format!("sitting:{sitting}"))))?;
    crate::api::scope::in_district(db, me, &org).await
}

#[server(endpoint = "council/desk")]
pub async fn council_desk() -> Result<NominationDesk, ServerFnError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::DistrictOfficer]).await?;
    let db = db()?;
    let m = crate::api::current_movement(&db).await?;
    let org = crate::api::scope::organisation(&db, &me).await.map_err(fail)?;
    crate::store::council::desk(&db, &m, &org).await.map_err(fail)
}

/// Returns a nomination to its unit with a comment (before the council).
#[server(endpoint = "council/return")]
pub async fn council_return(id: String, comment: String) -> Result<(), ServerFnError> {
    use crate::api::fail;
    let (me, db, _, _) = crate::api::review::checks::officer_over(&id).await?;
    crate::store::council::return_nomination(&db, &id, &comment, &me.username).await.map_err(fail)
}

/// Puts eligible nominations to a new council sitting.
#[server(endpoint = "council/open")]
pub async fn council_open(title: String, ids: Vec<String>) -> Result<String, ServerFnError> {
    use crate::api::{auth::guard, fail};
    guard::require(&[crate::domain::auth::Role::DistrictOfficer]).await?;
    let mut last = None;
    for id in &ids {
        last = Some(crate::api::review::checks::officer_over(id).await?);
    }
    let Some((me, db, m, _)) = last else {
        return Err(ServerFnError::new("Chọn ít nhất một đề nghị. / Choose at least one nomination."));
    };
    let org = crate::api::scope::organisation(&db, &me).await.map_err(fail)?;
    crate::store::council::open_sitting(&db, &m, &org, &title, &ids, &me.username).await.map_err(fail)
}

/// A council member's open ballots.
#[server(endpoint = "council/ballot")]
pub async fn council_ballot() -> Result<Vec<BallotItem>, ServerFnError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::CouncilMember]).await?;
    let db = db()?;
    let m = crate::api::current_movement(&db).await?;
    crate::store::council::ballot(&db, &m, &me.username).await.map_err(fail)
}

/// Casts this member's one vote on a nomination.
#[server(endpoint = "council/vote")]
pub async fn council_vote(sitting: String, nomination: String, choice: Vote) -> Result<(), ServerFnError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::CouncilMember]).await?;
    crate::store::council::cast(&db()?, &sitting, &nomination, &me.username, choice).await.map_err(fail)
}

/// Closes a sitting: counts, outcomes, minutes.
#[server(endpoint = "council/close")]
pub async fn council_close(sitting: String) -> Result<Minutes, ServerFnError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::DistrictOfficer]).await?;
    let db = db()?;
    let m = crate::api::current_movement(&db).await?;
    own_sitting(&db, &m, &me, &sitting).await?;
    crate::store::council::close(&db, &m, &sitting, &me.username).await.map_err(fail)
}

/// The minutes of a closed sitting (the officer and the council's members).
#[server(endpoint = "council/minutes")]
pub async fn council_minutes(sitting: String) -> Result<Minutes, ServerFnError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    let me = guard::require(&[Role::DistrictOfficer, Role::CouncilMember]).await?;
    let db = db()?;
    if me.role == Role::DistrictOfficer {
        own_sitting(&db, &crate::api::current_movement(&db).await?, &me, &sitting).await?;
    }
    let minutes = crate::store::council::minutes(&db, &sitting).await.map_err(fail)?;
    if me.role == Role::CouncilMember && !minutes.members.contains(&me.username) {
        return Err(crate::api::scope::denied());
    }
    Ok(minutes)
}

/// Records the district's decision (number, date, signer) for passed
/// nominations of forms the district decides.
#[server(endpoint = "council/decide")]
pub async fn council_decide(ids: Vec<String>, number: String, date: String, signer: String) -> Result<u32, ServerFnError> {
    use crate::api::{auth::guard, fail};
    guard::require(&[crate::domain::auth::Role::DistrictOfficer]).await?;
    let mut last = None;
    for id in &ids {
        last = Some(crate::api::review::checks::officer_over(id).await?);
    }
    let Some((me, db, m, _)) = last else {
        return Err(ServerFnError::new("Chọn ít nhất một đề nghị. / Choose at least one nomination."));
    };
    crate::store::council::record_decision(&db, &m, &ids, &number, &date, &signer, &me.username).await.map_err(fail)
}

/// Forwards passed nominations of higher forms to the deciding level (the
/// list and minutes download as XLSX: `/xuat/trinh-cap-tren.xlsx`).
#[server(endpoint = "council/forward")]
pub async fn council_forward(ids: Vec<String>) -> Result<u32, ServerFnError> {
    use crate::api::{auth::guard, fail};
    guard::require(&[crate::domain::auth::Role::DistrictOfficer]).await?;
    let mut last = None;
    for id in &ids {
        last = Some(crate::api::review::checks::officer_over(id).await?);
    }
    let Some((me, db, m, _)) = last else {
        return Err(ServerFnError::new("Chọn ít nhất một đề nghị. / Choose at least one nomination."));
    };
    crate::store::council::forward(&db, &m, &ids, &me.username).await.map_err(fail)
}

/// Records what the deciding level decided on a forwarded nomination:
/// awarded (its decision number and date) or not.
#[server(endpoint = "council/outcome")]
pub async fn council_outcome(id: String, awarded: bool, number: String, date: String) -> Result<(), ServerFnError> {
    use crate::api::fail;
    let (me, db, m, _) = crate::api::review::checks::officer_over(&id).await?;
    crate::store::council::record_outcome(&db, &m, &id, awarded, &number, &date, &me.username).await.map_err(fail)
}
