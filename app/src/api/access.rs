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
    /// A live display (kiosk) token in the arguments; no account needed.
    DisplayToken,
}

const OFFICER: Access = Access::Roles(&[Role::DistrictOfficer]);
/// The district's desk: the officer, and the health officer read-only.
const DESK: Access = Access::Roles(&[Role::DistrictOfficer, Role::HealthOfficer]);
const COUNCIL: Access = Access::Roles(&[Role::CouncilMember]);

/// Endpoint path → who may call it.
pub const ACCESS: &[(&str, Access)] = &[
    ("/api/movement/overview", Access::Public),
    ("/api/units/list", Access::SignedIn),
    ("/api/units/clusters", Access::SignedIn),
    ("/api/units/page", Access::SignedIn),
    ("/api/auth/me", Access::Public),
    ("/api/auth/sign_in", Access::Public),
    ("/api/auth/sign_out", Access::Public),
    ("/api/auth/change_password", Access::SignedIn),
    ("/api/admin/accounts", OFFICER),
    ("/api/admin/create_account", OFFICER),
    ("/api/admin/reset_password", OFFICER),
    ("/api/admin/set_active", OFFICER),
    ("/api/admin/displays", OFFICER),
    ("/api/admin/create_display", OFFICER),
    ("/api/admin/revoke_display", OFFICER),
    ("/api/admin/audit", OFFICER),
    ("/api/admin/save_unit", OFFICER),
    ("/api/admin/save_cluster", OFFICER),
    ("/api/admin/import", OFFICER),
    ("/api/movements/list", OFFICER),
    ("/api/movements/copy", OFFICER),
    ("/api/movements/set_status", OFFICER),
    ("/api/movements/get", OFFICER),
    ("/api/movements/save", OFFICER),
    ("/api/movements/import", OFFICER),
    ("/api/display/board", Access::DisplayToken),
    ("/api/review/desk", DESK),
    ("/api/review/report", DESK),
    ("/api/review/decide", OFFICER),
    ("/api/review/appraise", OFFICER),
    ("/api/review/adjust", OFFICER),
    ("/api/review/difficulties", DESK),
    ("/api/review/answer", OFFICER),
    ("/api/review/void", OFFICER),
    ("/api/consolidation/page", DESK),
    ("/api/leaderboard/rankings", DESK),
    ("/api/awards/public", Access::Public),
    ("/api/awards/register", OFFICER),
    ("/api/council/desk", OFFICER),
    ("/api/council/return", OFFICER),
    ("/api/council/open", OFFICER),
    ("/api/council/ballot", COUNCIL),
    ("/api/council/vote", COUNCIL),
    ("/api/council/close", OFFICER),
    ("/api/council/minutes", Access::Roles(&[Role::DistrictOfficer, Role::CouncilMember])),
    ("/api/council/decide", OFFICER),
    ("/api/council/forward", OFFICER),
    ("/api/council/outcome", OFFICER),
    ("/api/leaderboard/board", Access::SignedIn),
    ("/api/showcase/inbox", Access::Roles(&[Role::MediaOfficer, Role::DistrictOfficer])),
    ("/api/showcase/publish", Access::Roles(&[Role::MediaOfficer, Role::DistrictOfficer])),
    ("/api/showcase/list", Access::Public),
    ("/api/showcase/story", Access::Public),
    ("/api/sync/push", Access::Roles(&[Role::UnitReporter])),
    ("/api/sync/pull", Access::Roles(&[Role::UnitReporter])),
];

pub fn access_of(path: &str) -> Option<Access> {
    ACCESS.iter().find(|(p, _)| *p == path).map(|(_, a)| *a)
}
