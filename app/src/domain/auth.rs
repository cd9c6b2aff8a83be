//! Accounts and roles (SPEC §4). Every account is bound to a unit that scopes
//! what it may see and write; the checks themselves run on the server.

use super::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    UnitReporter,
    ClusterHead,
    DistrictOfficer,
    CouncilMember,
    HealthOfficer,
    MediaOfficer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::UnitReporter,
        Role::ClusterHead,
        Role::DistrictOfficer,
        Role::CouncilMember,
        Role::HealthOfficer,
        Role::MediaOfficer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::UnitReporter => "unit_reporter",
            Role::ClusterHead => "cluster_head",
            Role::DistrictOfficer => "district_officer",
            Role::CouncilMember => "council_member",
            Role::HealthOfficer => "health_officer",
            Role::MediaOfficer => "media_officer",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::UnitReporter => "Cán bộ báo cáo của đơn vị",
            Role::ClusterHead => "Cụm trưởng",
            Role::DistrictOfficer => "Cán bộ Phòng Nội vụ",
            Role::CouncilMember => "Thành viên Hội đồng Thi đua – Khen thưởng",
            Role::HealthOfficer => "Cán bộ Phòng Y tế",
            Role::MediaOfficer => "Cán bộ Trung tâm Văn hóa – Truyền thông",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::UnitReporter => "Unit reporter",
            Role::ClusterHead => "Cluster head",
            Role::DistrictOfficer => "District officer",
            Role::CouncilMember => "Council member",
            Role::HealthOfficer => "Health officer",
            Role::MediaOfficer => "Media officer",
        }
    }
}

/// An account as the app sees it (never its password hash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The unit that scopes the account (a commune, the district…).
    pub unit: String,
    pub active: bool,
}

/// Sign-in throttling: at most this many failures per account, and per
/// network address, within the window; then sign-in waits.
pub const THROTTLE_WINDOW: &str = "15m";
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Sessions last long: a commune phone may stay offline for weeks.
pub const SESSION_TTL: &str = "90d";
pub const SESSION_COOKIE: &str = "thidua_session";

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// Usernames: lower-case ASCII letters, digits, dot, hyphen, underscore;
/// typed on a phone keyboard without surprises.
pub fn validate_username(u: &str) -> Result<(), FieldError> {
    let ok_chars = u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&u.len()) || !ok_chars {
        return Err(FieldError::new(
            "username",
            "username_format",
            format!("Tên đăng nhập dài {USERNAME_MIN}–{USERNAME_MAX} ký tự, chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới."),
            format!("Username: {USERNAME_MIN}–{USERNAME_MAX} characters, lower-case letters, digits, dot, hyphen or underscore."),
        ));
    }
    Ok(())
}

/// Passwords: long enough to resist guessing, not the username.
pub fn validate_password(password: &str, username: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN || n > PASSWORD_MAX {
        return Err(FieldError::new(
            "password",
            "password_length",
            format!("Mật khẩu phải dài từ {PASSWORD_MIN} đến {PASSWORD_MAX} ký tự."),
            format!("The password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long."),
        ));
    }
    if password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(FieldError::new(
            "password",
            "password_not_username",
            "Mật khẩu không được chứa tên đăng nhập.",
            "The password must not contain the username.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(validate_username("dakxu.baocao").is_ok());
        assert!(validate_username("ab").is_err());
        assert!(validate_username("Đắk").is_err());
        assert!(validate_username("x'; DELETE").is_err());
    }

    #[test]
    fn passwords() {
        assert!(validate_password("mat-khau-rat-dai", "dakxu").is_ok());
        assert_eq!(validate_password("ngan", "dakxu").unwrap_err().rule, "password_length");
        assert_eq!(validate_password("xx-dakxu-2021", "dakxu").unwrap_err().rule, "password_not_username");
        assert!(validate_password("mật khẩu tiếng Việt", "dakxu").is_ok());
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}
