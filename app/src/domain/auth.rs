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
    pub const ALL: [Role; 6] =
        [Role::UnitReporter, Role::ClusterHead, Role::DistrictOfficer, Role::CouncilMember, Role::HealthOfficer, Role::MediaOfficer];

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
            Role::DistrictOfficer => "Cán bộ thi đua – khen thưởng của đơn vị tổ chức",
            Role::CouncilMember => "Thành viên Hội đồng Thi đua – Khen thưởng",
            Role::HealthOfficer => "Cán bộ y tế",
            Role::MediaOfficer => "Cán bộ văn hóa – truyền thông",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::UnitReporter => "Unit reporter",
            Role::ClusterHead => "Cluster head",
            Role::DistrictOfficer => "Organiser's emulation officer",
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

/// Sign-in throttling never locks an account: each gate (an account from
/// devices it has not signed in on, one device it has, one client address)
/// lets a few failures pass, then makes each next try wait longer, up to a
/// ceiling. Guessing slows to a crawl; the owner, on a phone that signed in
/// before, has a gate of its own that a guesser elsewhere does not touch.
pub const FREE_FAILURES: u32 = 3;
/// An address may be a whole office behind one router: it gets more.
pub const FREE_FAILURES_PER_ADDRESS: u32 = 20;
pub const MAX_DELAY_SECS: i64 = 300;
/// Failures older than this are forgotten.
pub const FAILURE_MEMORY_SECS: i64 = 15 * 60;

/// Which gate a sign-in try passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    /// The account, tried from a device it has not signed in on.
    Account(String),
    /// The account, from a device it signed in on before (its key's hash).
    Device(String, String),
    /// The client's address.
    Address(String),
}

impl Gate {
    /// The gate's record key: bounded (usernames are valid ones, a device
    /// is a short hash, an address is an IP address).
    pub fn key(&self) -> String {
        match self {
            Gate::Account(u) => format!("a:{u}"),
            Gate::Device(u, d) => format!("d:{u}:{}", &d[..d.len().min(16)]),
            Gate::Address(ip) => format!("ip:{ip}"),
        }
    }

    /// Seconds the next try waits after `failures` in a row.
    pub fn delay_after(&self, failures: u32) -> i64 {
        let free = if matches!(self, Gate::Address(_)) { FREE_FAILURES_PER_ADDRESS } else { FREE_FAILURES };
        match failures.checked_sub(free) {
            None | Some(0) => 0,
            Some(n) => 1i64.checked_shl(n - 1).unwrap_or(i64::MAX).min(MAX_DELAY_SECS),
        }
    }
}

/// The gates a sign-in (or a password change) passes: the account's, or
/// the device's when the device signed in to this account before; and the
/// address's. A username that cannot exist has no account gate.
pub fn gates(username: &str, known_device: Option<&str>, address: &str) -> Vec<Gate> {
    let mut g = Vec::new();
    if validate_username(username).is_ok() {
        g.push(match known_device {
            Some(d) => Gate::Device(username.to_string(), d.to_string()),
            None => Gate::Account(username.to_string()),
        });
    }
    g.push(Gate::Address(address.to_string()));
    g
}

/// The client's address: the peer's, unless the peer is a trusted proxy;
/// then the nearest address in `X-Forwarded-For` that is not one (a
/// client can write anything to the left of what its proxy appended).
pub fn client_address(peer: std::net::IpAddr, forwarded_for: Option<&str>, trusted: &[std::net::IpAddr]) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops = forwarded_for.unwrap_or("").split(',').rev().map(|h| h.trim().parse::<std::net::IpAddr>());
    for hop in hops {
        match hop {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => break,
        }
    }
    peer
}

/// How long a session lasts: a commune phone may stay offline for weeks;
/// an office browser signs in again each working day.
pub fn session_ttl_secs(role: Role) -> u64 {
    match role {
        Role::UnitReporter => 90 * 24 * 3600,
        _ => 12 * 3600,
    }
}

pub const SESSION_COOKIE: &str = "thidua_session";
pub const DEVICE_COOKIE: &str = "thidua_device";

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
            format!(
                "Tên đăng nhập dài {USERNAME_MIN}–{USERNAME_MAX} ký tự, chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới."
            ),
            format!("Username: {USERNAME_MIN}–{USERNAME_MAX} characters, lower-case letters, digits, dot, hyphen or underscore."),
        ));
    }
    Ok(())
}

/// Passwords: long enough to resist guessing, not the username.
pub fn validate_password(password: &str, username: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if !(PASSWORD_MIN..=PASSWORD_MAX).contains(&n) {
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
    fn guessing_slows_down_but_never_locks() {
        let a = Gate::Account("dakxu".into());
        assert_eq!((a.delay_after(0), a.delay_after(3)), (0, 0));
        assert_eq!((a.delay_after(4), a.delay_after(5), a.delay_after(8)), (1, 2, 16));
        assert_eq!((a.delay_after(50), a.delay_after(u32::MAX)), (MAX_DELAY_SECS, MAX_DELAY_SECS));
        let ip = Gate::Address("10.0.0.1".into());
        assert_eq!((ip.delay_after(20), ip.delay_after(21)), (0, 1));
    }

    #[test]
    fn a_known_device_has_its_own_gate_and_bad_usernames_none() {
        assert_eq!(gates("dakxu", None, "1.2.3.4"), vec![Gate::Account("dakxu".into()), Gate::Address("1.2.3.4".into())]);
        assert_eq!(gates("dakxu", Some("abcdef0123456789ffff"), "1.2.3.4")[0].key(), "d:dakxu:abcdef0123456789");
        let long = "x".repeat(10_000);
        assert_eq!(
            gates(&long, None, "1.2.3.4"),
            vec![Gate::Address("1.2.3.4".into())],
            "a username that cannot exist stores nothing of itself"
        );
    }

    #[test]
    fn the_client_address_comes_from_forwarded_for_only_through_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let proxy = [ip("127.0.0.1")];
        assert_eq!(client_address(ip("203.0.113.9"), Some("1.1.1.1"), &proxy), ip("203.0.113.9"), "an untrusted peer's header is ignored");
        assert_eq!(
            client_address(ip("127.0.0.1"), Some("1.1.1.1, 198.51.100.7"), &proxy),
            ip("198.51.100.7"),
            "the hop the proxy saw, not what the client wrote"
        );
        assert_eq!(client_address(ip("127.0.0.1"), None, &proxy), ip("127.0.0.1"));
        assert_eq!(client_address(ip("127.0.0.1"), Some("garbage"), &proxy), ip("127.0.0.1"));
        assert_eq!(client_address(ip("127.0.0.1"), Some("198.51.100.7"), &[]), ip("127.0.0.1"));
    }

    #[test]
    fn staff_sessions_are_shorter_than_reporters() {
        assert!(session_ttl_secs(Role::DistrictOfficer) < session_ttl_secs(Role::UnitReporter));
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}
