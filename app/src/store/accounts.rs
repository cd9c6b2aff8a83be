//! Accounts (argon2id passwords), server-side sessions and the audit entries
//! of account writes.

use super::{json, rows, Checked, Db, Result, StoreError};
use crate::domain::auth::{validate_password, validate_username, Account, Role};
use crate::domain::text::clean_line;
use crate::domain::FieldError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::Deserialize;
use sha2::{Digest, Sha256};

const FIELDS: &str = "username, display_name, role, unit.code AS unit, active";

pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: String,
    pub password: String,
}

fn invalid(e: FieldError) -> StoreError {
    StoreError::Invalid(vec![e])
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Decode(format!("password hashing: {e}")))
}

/// Creates an account; the password is hashed, the write audited.
pub async fn create(db: &Db, new: NewAccount, actor: Option<&str>) -> Result<Account> {
    validate_username(&new.username).map_err(invalid)?;
    validate_password(&new.password, &new.username).map_err(invalid)?;
    let display_name = clean_line(&new.display_name, 120).map_err(|p| {
        invalid(FieldError::new("display_name", p.rule(), p.message_vi("Họ và tên"), p.message_en("Display name")))
    })?;
    if super::units::get(db, &new.unit).await?.is_none() {
        return Err(invalid(FieldError::new(
            "unit",
            "unit_exists",
            format!("Không tìm thấy đơn vị \"{}\".", new.unit),
            format!("Unit \"{}\" does not exist.", new.unit),
        )));
    }
    if get(db, &new.username).await?.is_some() {
        return Err(invalid(FieldError::new(
            "username",
            "username_taken",
            "Tên đăng nhập này đã có người dùng.",
            "This username is already taken.",
        )));
    }
    let account = Account { username: new.username, display_name, role: new.role, unit: new.unit, active: true };
    let hash = hash_password(&new.password)?;
    db.query(
        "BEGIN TRANSACTION;
        CREATE type::record('account', $a.username) CONTENT {
            username: $a.username,
            display_name: $a.display_name,
            role: $a.role,
            unit: type::record('unit', $a.unit),
            active: true,
            password_hash: $hash
        };
        CREATE audit CONTENT { actor: $actor, action: 'account.create', subject: 'account:' + $a.username, after: $a };
        COMMIT TRANSACTION;",
    )
    .bind(("a", json(&account)))
    .bind(("hash", hash))
    .bind(("actor", actor.map(str::to_string)))
    .await?
    .checked()?;
    Ok(account)
}

pub async fn get(db: &Db, username: &str) -> Result<Option<Account>> {
    let mut res = db
        .query(format!("SELECT {FIELDS} FROM account WHERE username = $u"))
        .bind(("u", username.to_string()))
        .await?;
    Ok(rows(&mut res, 0)?.into_iter().next())
}

#[derive(Deserialize)]
struct WithHash {
    #[serde(flatten)]
    account: Account,
    password_hash: String,
}

/// Checks a username and password. Unknown users cost the same argon2 work
/// as known ones, so timing does not tell which usernames exist.
pub async fn verify(db: &Db, username: &str, password: &str) -> Result<Option<Account>> {
    let mut res = db
        .query(format!("SELECT {FIELDS}, password_hash FROM account WHERE username = $u"))
        .bind(("u", username.to_string()))
        .await?;
    let found: Option<WithHash> = rows(&mut res, 0)?.into_iter().next();
    // A fixed hash of a random string, used when the user does not exist.
    const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$1dqjRbfNGE8KGhXTO1B2m8U7zmsUubPA2WBFy9iqrZM";
    let hash = found.as_ref().map(|f| f.password_hash.as_str()).unwrap_or(DECOY);
    let ok = PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false);
    Ok(match found {
        Some(f) if ok && f.account.active => Some(f.account),
        _ => None,
    })
}

/// Sets a new password and revokes the account's sessions.
pub async fn set_password(db: &Db, username: &str, password: &str, actor: Option<&str>) -> Result<()> {
    validate_password(password, username).map_err(invalid)?;
    let hash = hash_password(password)?;
    db.query(
        "BEGIN TRANSACTION;
        UPDATE type::record('account', $u) SET password_hash = $hash, password_changed_at = time::now();
        UPDATE session SET revoked = true WHERE account = type::record('account', $u);
        CREATE audit CONTENT { actor: $actor, action: IF $actor = $u THEN 'account.password_change' ELSE 'account.password_reset' END, subject: 'account:' + $u };
        COMMIT TRANSACTION;",
    )
    .bind(("u", username.to_string()))
    .bind(("hash", hash))
    .bind(("actor", actor.map(str::to_string)))
    .await?
    .checked()?;
    Ok(())
}

/// Every account, by unit then username (for the district officer).
pub async fn list(db: &Db) -> Result<Vec<Account>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM account ORDER BY unit, username")).await?;
    rows(&mut res, 0)
}

/// Turns an account off (its sessions end) or on again.
pub async fn set_active(db: &Db, username: &str, active: bool, actor: Option<&str>) -> Result<()> {
    if get(db, username).await?.is_none() {
        return Err(StoreError::NotFound(format!("account:{username}")));
    }
    db.query(
        "BEGIN TRANSACTION;
        UPDATE type::record('account', $u) SET active = $on;
        IF !$on { UPDATE session SET revoked = true WHERE account = type::record('account', $u) };
        CREATE audit CONTENT { actor: $actor, action: 'account.active', subject: 'account:' + $u, after: { active: $on } };
        COMMIT TRANSACTION;",
    )
    .bind(("u", username.to_string()))
    .bind(("on", active))
    .bind(("actor", actor.map(str::to_string)))
    .await?
    .checked()?;
    Ok(())
}

/// A person changes their own password: the current one must match.
pub async fn change_own_password(db: &Db, username: &str, current: &str, new: &str) -> Result<()> {
    if verify(db, username, current).await?.is_none() {
        return Err(invalid(FieldError::new(
            "current_password",
            "password_matches",
            "Mật khẩu hiện tại không đúng.",
            "The current password is wrong.",
        )));
    }
    set_password(db, username, new, Some(username)).await
}

pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens a session for `ttl` (a SurrealQL duration such as "90d": long, so a
/// phone offline for weeks stays signed in). Returns the secret token for the
/// cookie; only its hash is stored.
pub async fn create_session(db: &Db, username: &str, ttl: &str) -> Result<String> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    db.query(
        "BEGIN TRANSACTION;
        CREATE session CONTENT {
            token_hash: $h,
            account: type::record('account', $u),
            expires_at: time::now() + type::duration($ttl)
        };
        CREATE audit CONTENT { actor: $u, action: 'session.sign_in', subject: 'account:' + $u };
        COMMIT TRANSACTION;",
    )
    .bind(("h", token_hash(&token)))
    .bind(("u", username.to_string()))
    .bind(("ttl", ttl.to_string()))
    .await?
    .checked()?;
    Ok(token)
}

/// The account behind a session token, if the session is live.
pub async fn session_account(db: &Db, token: &str) -> Result<Option<Account>> {
    let mut res = db.query(SESSION_ACCOUNT).bind(("h", token_hash(token))).await?;
    Ok(rows::<Account>(&mut res, 1)?.into_iter().find(|a| a.active))
}

/// The live session's account: the second statement's row. The account is
/// fetched once (each `account.x` would fetch it again): every request
/// reads this.
const SESSION_ACCOUNT: &str = "LET $a = SELECT VALUE account FROM session WHERE token_hash = $h AND revoked = false AND expires_at > time::now();
     SELECT username, display_name, role, record::id(unit) AS unit, active FROM $a;";

/// `session_account`, with the account's unit (name, category) and the
/// current movement's stamp read in the same round trip: what a sync push
/// needs to build its unit's report form.
pub async fn session_account_and_unit(db: &Db, token: &str) -> Result<Option<(Account, Option<super::submissions::UnitFacts>)>> {
    // Built once: every push and pull runs it.
    static QUERY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!("{SESSION_ACCOUNT} SELECT name, category, {} AS stamp FROM ONLY $a[0].unit;", super::movements::STAMP)
    });
    let mut res = db.query(QUERY.as_str()).bind(("h", token_hash(token))).await?;
    let Some(account) = rows::<Account>(&mut res, 1)?.into_iter().find(|a| a.active) else { return Ok(None) };
    Ok(Some((account, super::one(&mut res, 2)?)))
}

pub async fn revoke_session(db: &Db, token: &str) -> Result<()> {
    db.query(
        "BEGIN TRANSACTION;
        LET $s = (UPDATE session SET revoked = true WHERE token_hash = $h AND revoked = false RETURN AFTER)[0];
        IF $s { CREATE audit CONTENT { actor: $s.account.username, action: 'session.sign_out', subject: <string> $s.account } };
        COMMIT TRANSACTION;",
    )
    .bind(("h", token_hash(token)))
        .await?
        .checked()?;
    Ok(())
}

/// Records a failed sign-in.
pub async fn record_failure(db: &Db, username: &str, ip: &str) -> Result<()> {
    db.query("CREATE login_failure CONTENT { username: $u, ip: $ip }")
        .bind(("u", username.to_string()))
        .bind(("ip", ip.to_string()))
        .await?
        .checked()?;
    Ok(())
}

/// Failed sign-ins in the last `window` (a SurrealQL duration): for this
/// username, and from this address.
pub async fn recent_failures(db: &Db, username: &str, ip: &str, window: &str) -> Result<(i64, i64)> {
    let mut res = db
        .query(
            "RETURN (SELECT count() AS n FROM login_failure WHERE username = $u AND at > time::now() - type::duration($w) GROUP ALL)[0].n ?? 0;
             RETURN (SELECT count() AS n FROM login_failure WHERE ip = $ip AND at > time::now() - type::duration($w) GROUP ALL)[0].n ?? 0;",
        )
        .bind(("u", username.to_string()))
        .bind(("ip", ip.to_string()))
        .bind(("w", window.to_string()))
        .await?;
    let by_user: Option<i64> = res.take(0)?;
    let by_ip: Option<i64> = res.take(1)?;
    Ok((by_user.unwrap_or(0), by_ip.unwrap_or(0)))
}
