//! Which units an account may read and write (SPEC §4). A unit's reporter:
//! its own unit and those under it; a cluster head also the members of the
//! clusters its unit heads. Staff: their organisation's subtree, never
//! another organisation's, even on one shared database. Every read of unit
//! data goes through `readable`, every write's target through `in_district`,
//! so changing an id in a request does not reach another commune or
//! another organiser.

use crate::domain::auth::{Account, Role};
use crate::domain::unit::UnitKind;
use crate::domain::AppError;
use crate::store::{clusters, units, Db, Result};
use std::collections::HashSet;

/// The units an account may read.
pub struct Scope(HashSet<String>);

impl Scope {
    pub fn allows(&self, unit: &str) -> bool {
        self.0.contains(unit)
    }
}

/// The organisation a staff account works for: its unit when that is a
/// territory that organises movements (province, district, commune), else
/// the nearest such unit above it (Phòng Y tế → its district).
pub async fn organisation(db: &Db, me: &Account) -> Result<String> {
    let organises = |k: UnitKind| matches!(k, UnitKind::Province | UnitKind::District | UnitKind::Commune);
    if units::kind_of(db, &me.unit).await?.is_some_and(organises) {
        return Ok(me.unit.clone());
    }
    for a in units::ancestors(db, &me.unit).await? {
        if units::kind_of(db, &a).await?.is_some_and(organises) {
            return Ok(a);
        }
    }
    Ok(me.unit.clone())
}

/// Every unit of the account's organisation.
pub async fn org_units(db: &Db, me: &Account) -> Result<HashSet<String>> {
    let org = organisation(db, me).await?;
    Ok(units::subtree(db, &org).await?.into_iter().map(|u| u.id).collect())
}

pub async fn readable(db: &Db, account: &Account) -> Result<Scope> {
    match account.role {
        Role::UnitReporter | Role::ClusterHead => {
            let mut set: HashSet<String> = units::subtree(db, &account.unit).await?.into_iter().map(|u| u.id).collect();
            if account.role == Role::ClusterHead {
                for c in clusters::list(db).await? {
                    if c.head.as_deref() == Some(account.unit.as_str()) {
                        set.extend(c.members);
                    }
                }
            }
            Ok(Scope(set))
        }
        _ => Ok(Scope(org_units(db, account).await?)),
    }
}

/// A write's target unit lies in the account's organisation (an officer's
/// district); otherwise the same denial as any other.
pub async fn in_district(db: &Db, me: &Account, unit: &str) -> std::result::Result<(), AppError> {
    if contains(db, me, unit).await.map_err(crate::api::fail)? {
        Ok(())
    } else {
        Err(AppError::denied())
    }
}

/// Whether `unit` lies in the account's organisation (plain routes use
/// this; server functions `in_district`).
pub async fn contains(db: &Db, me: &Account, unit: &str) -> Result<bool> {
    let org = organisation(db, me).await?;
    Ok(unit == org || units::ancestors(db, unit).await?.iter().any(|a| a == &org))
}

/// The movements an account may open pages of (`store::movements::choices`):
/// those its organisation runs, for staff; for a unit's people, those their
/// unit files for (run by the unit or a unit above it).
pub async fn movement_choices(db: &Db, me: &Account) -> Result<Vec<crate::domain::views::MovementChoice>> {
    let organisers = match me.role {
        Role::UnitReporter | Role::ClusterHead => {
            let mut up = units::ancestors(db, &me.unit).await?;
            up.insert(0, me.unit.clone());
            up
        }
        _ => vec![organisation(db, me).await?],
    };
    crate::store::movements::choices(db, &organisers).await
}

/// The movement a page asks for by `code`, if the account may open it
/// (another's gets the same denial as any other); an empty code: the first
/// the account may open. Staff whose organisation runs none yet get the
/// denial (never another organisation's movement, name or rules); a unit's
/// people fall back to the current movement, whose own checks then apply.
pub async fn movement(
    db: &Db,
    me: &Account,
    code: &str,
) -> std::result::Result<(crate::domain::movement::Movement, Vec<crate::domain::views::MovementChoice>), AppError> {
    use crate::api::fail;
    let choices = movement_choices(db, me).await.map_err(fail)?;
    let code = if code.is_empty() { choices.first().map(|c| c.code.as_str()).unwrap_or_default() } else { code };
    let staff = !matches!(me.role, Role::UnitReporter | Role::ClusterHead);
    let m = if code.is_empty() && staff {
        return Err(AppError::denied());
    } else if code.is_empty() {
        crate::api::current_movement(db).await?
    } else if choices.iter().any(|c| c.code == code) {
        crate::store::movements::by_code(db, code).await.map_err(fail)?.ok_or_else(AppError::denied)?
    } else {
        return Err(AppError::denied());
    };
    Ok((m, choices))
}
