//! The district officer's set-up: accounts, display links, units, clusters,
//! the catalogue import and the audit log. Every function here checks the
//! role first, then that its target lies inside the officer's district.

use crate::domain::auth::Role;
use crate::domain::catalogue::{ImportReport, LineError};
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: String,
    pub unit_name: String,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplayRow {
    pub id: String,
    pub name: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub revoked: bool,
    /// What it shows: the movement's name (empty: the current movement),
    /// the period's label (empty: the one that matters now), the clusters'
    /// names (none: all).
    #[serde(default)]
    pub movement_name: String,
    #[serde(default)]
    pub period_label: String,
    #[serde(default)]
    pub cluster_names: Vec<String>,
}

/// A movement a display link may show, with its periods and clusters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplayMovement {
    pub code: String,
    pub name: String,
    pub periods: Vec<crate::domain::report::PeriodChoice>,
    /// (id, name) of the clusters and blocks of its area.
    pub clusters: Vec<(String, String)>,
}

/// The officer's display links, and what a new one may show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplaySetup {
    pub links: Vec<DisplayRow>,
    pub movements: Vec<DisplayMovement>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    /// Compact JSON of the record before and after the write.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A preview (nothing written) or the result of an import; `rejected` lines
/// mean nothing was written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub applied: bool,
    pub summary: Option<ImportReport>,
    /// For an old→new mapping file, what it links and ends.
    #[serde(default)]
    pub mapping: Option<crate::domain::catalogue::MappingReport>,
    pub rejected: Vec<LineError>,
}

#[cfg(feature = "ssr")]
mod checks {
    use crate::api::{auth::guard, db};
    use crate::domain::auth::{Account, Role};
    use crate::domain::AppError;
    use crate::store::Db;

    pub async fn officer() -> Result<(Account, Db), AppError> {
        let me = guard::require(&[Role::DistrictOfficer]).await?;
        Ok((me, db()?))
    }

    pub use crate::api::scope::in_district;

    /// The officer's organisation, and whether it runs the current movement
    /// (records made before they named an organiser are that one's).
    pub async fn org_and_legacy(db: &Db, me: &Account) -> Result<(String, bool), AppError> {
        let org = crate::api::scope::organisation(db, me).await.map_err(crate::api::fail)?;
        let runs = crate::store::movements::current(db).await.map_err(crate::api::fail)?.is_some_and(|m| m.organiser == org);
        Ok((org, runs))
    }
}

#[server(endpoint = "admin/accounts", output = crate::api::codec::Json)]
pub async fn admin_accounts() -> Result<Vec<AccountRow>, AppError> {
    use crate::api::fail;
    use crate::store::{accounts, units};
    let (me, db) = checks::officer().await?;
    let mine: Vec<String> = crate::api::scope::org_units(&db, &me).await.map_err(fail)?.into_iter().collect();
    let all = accounts::list(&db, &mine).await.map_err(fail)?;
    let names = units::names_of(&db, &all.iter().map(|a| a.unit.clone()).collect::<Vec<_>>()).await.map_err(fail)?;
    Ok(all
        .into_iter()
        .map(|a| {
            let unit_name = names.get(&a.unit).cloned().unwrap_or_default();
            AccountRow { username: a.username, display_name: a.display_name, role: a.role, unit: a.unit, unit_name, active: a.active }
        })
        .collect())
}

#[server(endpoint = "admin/create_account", output = crate::api::codec::Json)]
pub async fn admin_create_account(
    username: String,
    display_name: String,
    role: String,
    unit: String,
    password: String,
) -> Result<(), AppError> {
    use crate::api::fail;
    use crate::store::accounts::{self, NewAccount};
    let (me, db) = checks::officer().await?;
    let role = Role::from_code(&role).ok_or_else(|| AppError::field("role", "role", "Vai trò không hợp lệ.", "Unknown role."))?;
    checks::in_district(&db, &me, &unit).await?;
    // Taken as typed: a username with capitals is refused by its rule, not
    // silently changed into another.
    let new = NewAccount { username: username.trim().to_string(), display_name, role, unit, password };
    accounts::create(&db, new, Some(&me.username)).await.map_err(fail)?;
    Ok(())
}

#[server(endpoint = "admin/reset_password", output = crate::api::codec::Json)]
pub async fn admin_reset_password(username: String, password: String) -> Result<(), AppError> {
    use crate::api::fail;
    use crate::store::accounts;
    let (me, db) = checks::officer().await?;
    let target = accounts::get(&db, &username).await.map_err(fail)?.ok_or_else(AppError::denied)?;
    checks::in_district(&db, &me, &target.unit).await?;
    accounts::set_password(&db, &username, &password, Some(&me.username)).await.map_err(fail)
}

#[server(endpoint = "admin/set_active", output = crate::api::codec::Json)]
pub async fn admin_set_active(username: String, active: bool) -> Result<(), AppError> {
    use crate::api::fail;
    use crate::store::accounts;
    let (me, db) = checks::officer().await?;
    if username == me.username && !active {
        return Err(AppError::field(
            "active",
            "not_self",
            "Không thể tự khóa tài khoản của mình.",
            "You cannot turn off your own account.",
        ));
    }
    let target = accounts::get(&db, &username).await.map_err(fail)?.ok_or_else(AppError::denied)?;
    checks::in_district(&db, &me, &target.unit).await?;
    accounts::set_active(&db, &username, active, Some(&me.username)).await.map_err(fail)
}

#[server(endpoint = "admin/displays", output = crate::api::codec::Json)]
pub async fn admin_displays() -> Result<DisplaySetup, AppError> {
    use crate::api::fail;
    use crate::store::{leaderboard, movements};
    let (me, db) = checks::officer().await?;
    let (org, legacy) = checks::org_and_legacy(&db, &me).await?;
    let mut choices = Vec::new();
    for c in crate::api::scope::movement_choices(&db, &me).await.map_err(fail)? {
        let Some(m) = movements::by_code(&db, &c.code).await.map_err(fail)? else { continue };
        let clusters = leaderboard::area_clusters(&db, &m).await.map_err(fail)?.into_iter().map(|c| (c.id, c.name)).collect();
        choices.push(DisplayMovement { code: c.code, name: c.name, periods: m.periods.iter().map(Into::into).collect(), clusters });
    }
    let links = crate::store::displays::list(&db, &org, legacy)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|d| {
            let shown = choices.iter().find(|c| d.movement.as_deref() == Some(c.code.as_str()));
            let period_label = shown
                .and_then(|c| c.periods.iter().find(|p| d.period.as_deref() == Some(p.code.as_str())))
                .map_or_else(|| d.period.clone().unwrap_or_default(), |p| p.label_vi.clone());
            let cluster_names = d
                .clusters
                .iter()
                .map(|id| shown.and_then(|c| c.clusters.iter().find(|(cid, _)| cid == id)).map_or_else(|| id.clone(), |(_, n)| n.clone()))
                .collect();
            DisplayRow {
                movement_name: shown.map_or_else(|| d.movement.clone().unwrap_or_default(), |c| c.name.clone()),
                period_label,
                cluster_names,
                id: d.id,
                name: d.name,
                created_by: d.created_by,
                created_at: d.created_at,
                revoked: d.revoked,
            }
        })
        .collect();
    Ok(DisplaySetup { links, movements: choices })
}

/// Makes a kiosk link for movement `movement` (empty: the first the officer
/// may open), its period `period` (empty: the one that matters now) and
/// `clusters` (none: all); returns its path (`/man-hinh/<token>`), shown once.
#[server(endpoint = "admin/create_display", output = crate::api::codec::Json)]
pub async fn admin_create_display(
    name: String,
    #[server(default)] movement: String,
    #[server(default)] period: String,
    #[server(default)] clusters: Vec<String>,
) -> Result<String, AppError> {
    use crate::api::fail;
    let (me, db) = checks::officer().await?;
    let org = crate::api::scope::organisation(&db, &me).await.map_err(fail)?;
    let (m, _) = crate::api::scope::movement(&db, &me, &movement).await?;
    let known: Vec<String> = crate::store::leaderboard::area_clusters(&db, &m).await.map_err(fail)?.into_iter().map(|c| c.id).collect();
    let view = crate::domain::display::check_view(&m, &period, &clusters, &known).map_err(AppError::invalid)?;
    let (_, token) = crate::store::displays::create(&db, &name, &org, Some((&m.id, &view)), Some(&me.username)).await.map_err(fail)?;
    Ok(crate::routes::display(&token))
}

#[server(endpoint = "admin/revoke_display", output = crate::api::codec::Json)]
pub async fn admin_revoke_display(id: String) -> Result<(), AppError> {
    use crate::api::fail;
    let (me, db) = checks::officer().await?;
    let (org, legacy) = checks::org_and_legacy(&db, &me).await?;
    let link = crate::store::displays::get(&db, &id)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(crate::store::StoreError::NotFound(format!("display_link:{id}"))))?;
    if !(link.organiser.as_deref() == Some(org.as_str()) || (legacy && link.organiser.is_none())) {
        return Err(AppError::denied());
    }
    crate::store::displays::revoke(&db, &id, Some(&me.username)).await.map_err(fail)
}

/// The audit log, newest first, at most 200 entries; empty filters match all.
#[server(endpoint = "admin/audit", output = crate::api::codec::Json)]
pub async fn admin_audit(actor: String, action: String, subject: String, from: String, to: String) -> Result<Vec<AuditRow>, AppError> {
    use crate::api::fail;
    use crate::store::audit::{self, AuditFilter};
    let (me, db) = checks::officer().await?;
    let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let date = |s: String, field: &str| -> Result<Option<String>, AppError> {
        match some(s) {
            None => Ok(None),
            Some(d) => crate::domain::date::parse_any(&d)
                .map(|d| Some(crate::domain::date::to_iso(d)))
                .ok_or_else(|| AppError::field(field, "date", "Ngày phải có dạng dd/mm/yyyy.", "The date must be dd/mm/yyyy.")),
        }
    };
    // Entries by the people of this organisation only.
    let mine: Vec<String> = crate::api::scope::org_units(&db, &me).await.map_err(fail)?.into_iter().collect();
    let people = crate::store::accounts::list(&db, &mine).await.map_err(fail)?.into_iter().map(|a| a.username).collect();
    let f = AuditFilter {
        actor: some(actor),
        actors: Some(people),
        action: some(action),
        subject: some(subject),
        from: date(from, "from")?,
        to: date(to, "to")?,
    };
    let text = |v: Option<serde_json::Value>| v.filter(|v| !v.is_null()).map(|v| v.to_string());
    Ok(audit::list(&db, &f, 200)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|e| AuditRow { at: e.at, actor: e.actor, action: e.action, subject: e.subject, before: text(e.before), after: text(e.after) })
        .collect())
}

/// Creates or edits a unit, or moves it under another parent; `valid_from`
/// and `valid_to` (yyyy-mm-dd) are the days it exists, an empty one keeps
/// what is stored (none for a new unit: always).
#[server(endpoint = "admin/save_unit", output = crate::api::codec::Json)]
pub async fn admin_save_unit(
    id: String,
    name: String,
    kind: String,
    category: String,
    parent: String,
    #[server(default)] valid_from: String,
    #[server(default)] valid_to: String,
) -> Result<(), AppError> {
    use crate::api::fail;
    use crate::domain::unit::{ParticipantCategory, Unit, UnitKind};
    use crate::store::units;
    let (me, db) = checks::officer().await?;
    let kind = UnitKind::from_code(&kind)
        .ok_or_else(|| AppError::field("kind", "unit_kind", "Loại đơn vị không hợp lệ.", "Unknown unit kind."))?;
    let category = match category.as_str() {
        "" => None,
        c => Some(
            ParticipantCategory::from_code(c)
                .ok_or_else(|| AppError::field("category", "category", "Nhóm không hợp lệ.", "Unknown category."))?,
        ),
    };
    let day = |field: &'static str, v: &str| match v.trim() {
        "" => Ok(None),
        v => crate::domain::date::parse_iso(v)
            .map(Some)
            .ok_or_else(|| AppError::field(field, "date", "Ngày không hợp lệ (năm-tháng-ngày).", "Not a valid date (yyyy-mm-dd).")),
    };
    let (from, to) = (day("valid_from", &valid_from)?, day("valid_to", &valid_to)?);
    let parent = Some(parent.trim().to_string()).filter(|p| !p.is_empty());
    let id = id.trim().to_string();
    // The new parent must be in the district, and so must the unit if it exists.
    checks::in_district(&db, &me, parent.as_deref().unwrap_or("")).await?;
    let old = units::get(&db, &id).await.map_err(fail)?;
    if let Some(old) = &old {
        checks::in_district(&db, &me, &old.id).await?;
    }
    let unit = Unit {
        id,
        name,
        kind,
        category,
        parent,
        gso_code: old.as_ref().and_then(|o| o.gso_code.clone()),
        demo: old.as_ref().is_some_and(|o| o.demo),
        valid_from: from.or(old.as_ref().and_then(|o| o.valid_from)),
        valid_to: to.or(old.as_ref().and_then(|o| o.valid_to)),
    };
    units::save(&db, unit, Some(&me.username)).await.map_err(fail)?;
    Ok(())
}

/// Creates or edits a cluster or block: name, members, head unit.
#[server(endpoint = "admin/save_cluster", output = crate::api::codec::Json)]
pub async fn admin_save_cluster(id: String, name: String, kind: String, head: String, members: Vec<String>) -> Result<(), AppError> {
    use crate::api::fail;
    use crate::domain::cluster::{Cluster, ClusterKind};
    use crate::store::clusters;
    let (me, db) = checks::officer().await?;
    let kind =
        ClusterKind::from_code(&kind).ok_or_else(|| AppError::field("kind", "cluster_kind", "Loại không hợp lệ.", "Unknown kind."))?;
    for m in members.iter().chain(Some(&head).filter(|h| !h.is_empty())) {
        checks::in_district(&db, &me, m).await?;
    }
    let org = crate::api::scope::organisation(&db, &me).await.map_err(fail)?;
    let old = clusters::get(&db, &id).await.map_err(fail)?;
    // Another organisation's cluster is not this officer's to change.
    if let Some(old) = &old {
        checks::in_district(&db, &me, &old.organiser).await?;
    }
    let cluster = Cluster {
        id: id.trim().to_string(),
        name,
        kind,
        organiser: old.as_ref().map(|o| o.organiser.clone()).unwrap_or(org),
        head: Some(head).filter(|h| !h.is_empty()),
        members,
        demo: old.is_some_and(|o| o.demo),
    };
    clusters::save(&db, cluster, Some(&me.username)).await.map_err(fail)?;
    Ok(())
}

/// Checks a catalogue file or an old→new mapping (CSV text, told apart by
/// its header) and, with `apply`, writes it. Without `apply` nothing is
/// written: the page shows the preview first. `effective` (a date, or
/// empty) is the day the file's units take effect.
#[server(endpoint = "admin/import", output = crate::api::codec::Json)]
pub async fn admin_import(text: String, apply: bool, #[server(default)] effective: String) -> Result<ImportOutcome, AppError> {
    use crate::api::fail;
    use crate::domain::catalogue::two_level_since;
    use crate::domain::date::parse_any;
    use crate::store::catalogue_import::{self as ci, ImportError};
    use crate::store::succession;
    let (me, db) = checks::officer().await?;
    let effective = match effective.trim() {
        "" => None,
        e => Some(parse_any(e).ok_or_else(|| {
            AppError::field(
                "effective",
                "date",
                "Ngày có hiệu lực không hợp lệ (dd/mm/yyyy).",
                "The effective date is not a date (dd/mm/yyyy).",
            )
        })?),
    };
    let mine = crate::api::scope::org_units(&db, &me).await.map_err(fail)?;
    let outcome = |summary, mapping| ImportOutcome { applied: apply, summary, mapping, rejected: Vec::new() };
    let result = if succession::is_mapping(&text) {
        let day = effective.unwrap_or_else(two_level_since);
        succession::import(&db, &text, day, Some(&me.username), Some(&mine), apply).await.map(|r| outcome(None, Some(r)))
    } else if apply {
        ci::import_dated(&db, &text, "admin page", Some(&me.username), Some(&mine), effective).await.map(|r| outcome(Some(r), None))
    } else {
        ci::plan_dated(&db, &text, Some(&mine), effective).await.map(|p| outcome(Some(p.report), None))
    };
    match result {
        Ok(o) => Ok(o),
        Err(ImportError::Lines(lines)) => Ok(ImportOutcome { applied: false, summary: None, mapping: None, rejected: lines }),
        Err(ImportError::Store(e)) => Err(fail(e)),
    }
}
