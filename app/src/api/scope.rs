//! Which units an account may read (SPEC §4): a unit's reporter its own unit
//! and those under it; a cluster head also the members of the clusters its
//! unit heads; district roles the whole district. Every read of unit data
//! goes through `readable` or `check`, so changing an id in a request does
//! not reach another commune.

use crate::domain::auth::{Account, Role};
use crate::store::{clusters, units, Db, Result};
use std::collections::HashSet;

pub enum Scope {
    All,
    Units(HashSet<String>),
}

impl Scope {
    pub fn allows(&self, unit: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(s) => s.contains(unit),
        }
    }
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
            Ok(Scope::Units(set))
        }
        _ => Ok(Scope::All),
    }
}

/// The denial every out-of-scope read gets (the same words as a role denial,
/// so a probe learns nothing about which ids exist).
pub fn denied() -> leptos::prelude::ServerFnError {
    leptos::prelude::ServerFnError::new("Tài khoản không có quyền này. / Not allowed for this account.")
}

/// A write's target unit is the account's own or lies under it (an officer's
/// district); otherwise the same denial as any other.
pub async fn in_district(db: &Db, me: &Account, unit: &str) -> std::result::Result<(), leptos::prelude::ServerFnError> {
    if unit == me.unit || units::ancestors(db, unit).await.map_err(crate::api::fail)?.iter().any(|a| a == &me.unit) {
        Ok(())
    } else {
        Err(denied())
    }
}
