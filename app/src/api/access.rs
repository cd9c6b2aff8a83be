//! Who may call each server function: one table for the whole app. The
//! authorization-matrix test (server/tests/access_matrix.rs) calls every
//! registered server function as every kind of caller and fails when a
//! server function has no row here.

use crate::domain::auth::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (public pages, sign-in itself).
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Signed-in accounts with one of these roles (scoped further by unit
    /// inside the function).
    Roles(&'static [Role]),
}

/// Endpoint path → who may call it.
pub const ACCESS: &[(&str, Access)] = &[
    ("/api/movement/overview", Access::Public),
    ("/api/units/list", Access::Public),
    ("/api/units/clusters", Access::Public),
    ("/api/units/page", Access::Public),
    ("/api/auth/me", Access::Public),
    ("/api/auth/sign_in", Access::Public),
    ("/api/auth/sign_out", Access::Public),
];

pub fn access_of(path: &str) -> Option<Access> {
    ACCESS.iter().find(|(p, _)| *p == path).map(|(_, a)| *a)
}
