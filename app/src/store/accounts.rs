//! Accounts (argon2id passwords), server-side sessions and the audit entries
//! of account writes.

use super::{json, rows, Checked, Db, Result, StoreError};
use crate::domain::auth::{validate_password, validate_username, Account, Gate, Role, FAILURE_MEMORY_SECS};
use crate::domain::text::clean_line;
use crate::domain::FieldError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use surrealdb::types::RecordId;

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

/// Argon2 spends ~50 ms of CPU by design: it runs on tokio's blocking
/// pool, at most this many at once, so a burst of sign-ins never holds up
/// the async workers that serve every other request.
const HASHING_AT_ONCE: usize = 2;

async fn off_workers<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    static PERMITS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(HASHING_AT_ONCE));
    let _permit = PERMITS.acquire().await.map_err(|e| StoreError::Decode(format!("hashing pool: {e}")))?;
    tokio::task::spawn_blocking(f).await.map_err(|e| StoreError::Decode(format!("hashing task: {e}")))
}

async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_string();
    off_workers(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await?
    .map_err(|e| StoreError::Decode(format!("password hashing: {e}")))
}

/// Creates an account; the password is hashed, the write audited.
pub async fn create(db: &Db, new: NewAccount, actor: Option<&str>) -> Result<Account> {
    validate_username(&new.username).map_err(invalid)?;
    validate_password(&new.password, &new.username).map_err(invalid)?;
    let display_name = clean_line(&new.display_name, 120)
        .map_err(|p| invalid(FieldError::new("display_name", p.rule(), p.message_vi("Họ và tên"), p.message_en("Display name"))))?;
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
    let hash = hash_password(&new.password).await?;
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
    let mut res = db.query(format!("SELECT {FIELDS} FROM account WHERE username = $u")).bind(("u", username.to_string())).await?;
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
    let mut res =
        db.query(format!("SELECT {FIELDS}, password_hash FROM account WHERE username = $u")).bind(("u", username.to_string())).await?;
    let found: Option<WithHash> = rows(&mut res, 0)?.into_iter().next();
    // A fixed hash of a random string, used when the user does not exist.
    const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$1dqjRbfNGE8KGhXTO1B2m8U7zmsUubPA2WBFy9iqrZM";
    let hash = found.as_ref().map(|f| f.password_hash.clone()).unwrap_or_else(|| DECOY.to_string());
    let password = password.to_string();
    let ok = off_workers(move || {
        PasswordHash::new(&hash).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
    })
    .await?;
    Ok(match found {
        Some(f) if ok && f.account.active => Some(f.account),
        _ => None,
    })
}

/// Sets a new password and revokes the account's sessions.
pub async fn set_password(db: &Db, username: &str, password: &str, actor: Option<&str>) -> Result<()> {
    validate_password(password, username).map_err(invalid)?;
    let hash = hash_password(password).await?;
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

/// The accounts of these units, by unit then username (for the officer of
/// an organisation: its units).
pub async fn list(db: &Db, units: &[String]) -> Result<Vec<Account>> {
    let ids: Vec<RecordId> = units.iter().map(|u| RecordId::new("unit", u.as_str())).collect();
    let mut res = db.query(format!("SELECT {FIELDS} FROM account WHERE unit IN $ids ORDER BY unit, username")).bind(("ids", ids)).await?;
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

/// The rule a wrong current password breaks.
pub const WRONG_PASSWORD: &str = "password_matches";

/// A person changes their own password: the current one must match.
pub async fn change_own_password(db: &Db, username: &str, current: &str, new: &str) -> Result<()> {
    if verify(db, username, current).await?.is_none() {
        return Err(invalid(FieldError::new(
            "current_password",
            WRONG_PASSWORD,
            "Mật khẩu hiện tại không đúng.",
            "The current password is wrong.",
        )));
    }
    set_password(db, username, new, Some(username)).await
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A secret for a cookie: 32 random bytes, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens a session for `ttl` (a SurrealQL duration such as "90d";
/// `domain::auth::session_ttl_secs` says how long by role). Returns the
/// secret token for the cookie; only its hash is stored.
pub async fn create_session(db: &Db, username: &str, ttl: &str) -> Result<String> {
    let token = new_token();
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
const SESSION_ACCOUNT: &str =
    "LET $a = SELECT VALUE account FROM session WHERE token_hash = $h AND revoked = false AND expires_at > time::now();
     SELECT username, display_name, role, record::id(unit) AS unit, active FROM $a;";

/// `session_account`, with the account's unit (name, category) and the
/// stamps of the movements it files for, read in the same round trip: what
/// a sync push needs to build its unit's report forms.
pub async fn session_account_and_unit(db: &Db, token: &str) -> Result<Option<(Account, Option<super::submissions::UnitFacts>)>> {
    // Built once: every push and pull runs it.
    static QUERY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!("{SESSION_ACCOUNT} SELECT name, category, {} AS stamps FROM ONLY $a[0].unit;", super::movements::FILES_FOR)
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

/// A sign-in try claims every gate it passes (`domain::auth::gates`) in one
/// transaction: refused, with the seconds to wait, when any gate's time has
/// not come or another try holds it (two tries at once conflict, and one
/// waits). A claim holds its gates for `HOLD` while the password is checked;
/// `settle` then sets them. Returns each gate's failures so far.
pub async fn claim(db: &Db, gates: &[Gate]) -> Result<std::result::Result<Vec<u32>, u64>> {
    const HOLD: &str = "20s";
    let ids: Vec<RecordId> = gates.iter().map(|g| RecordId::new("login_gate", g.key())).collect();
    let res = db
        .query(
            "BEGIN TRANSACTION;
            LET $now = time::now();
            LET $busy = SELECT VALUE time::unix(next_at) FROM $ids WHERE next_at > $now;
            LET $failures = IF $busy.len() = 0 {
                (UPSERT $ids SET
                    failures = IF updated_at != NONE AND updated_at > $now - type::duration($memory) THEN failures ELSE 0 END,
                    next_at = $now + type::duration($hold),
                    updated_at = $now
                RETURN VALUE failures)
            } ELSE { [] };
            RETURN { now: time::unix($now), busy: $busy, failures: $failures };
            COMMIT TRANSACTION;",
        )
        .bind(("ids", ids))
        .bind(("hold", HOLD))
        .bind(("memory", format!("{FAILURE_MEMORY_SECS}s")))
        .await;
    #[derive(Deserialize)]
    struct Claimed {
        now: i64,
        busy: Vec<i64>,
        failures: Vec<u32>,
    }
    let mut res = match res.map_err(StoreError::from).and_then(|r| r.checked()) {
        Ok(r) => r,
        // Another try claimed a gate meanwhile: this one waits.
        Err(e) if e.is_conflict() => return Ok(Err(1)),
        Err(e) => return Err(e),
    };
    // The transaction's RETURN is the last statement with a value.
    let c: Claimed = (0..res.num_statements())
        .rev()
        .find_map(|i| super::one::<Claimed>(&mut res, i).ok().flatten())
        .ok_or_else(|| StoreError::Decode("gate claim".into()))?;
    match c.busy.iter().max() {
        Some(t) => Ok(Err((t - c.now).max(1) as u64)),
        None => Ok(Ok(c.failures)),
    }
}

/// After the password was checked: a success clears the account's (or
/// device's) failures and frees the address's gate; a failure counts on
/// every gate and sets when each next try may start. Gates untouched for a
/// day are pruned.
pub async fn settle(db: &Db, gates: &[Gate], failures: &[u32], ok: bool) -> Result<()> {
    let rows: Vec<serde_json::Value> = gates
        .iter()
        .zip(failures)
        .map(|(g, &f)| {
            let kept = if ok && !matches!(g, Gate::Address(_)) { 0 } else { f + u32::from(!ok) };
            let wait = if ok { 0 } else { g.delay_after(kept) };
            serde_json::json!({ "id": g.key(), "failures": kept, "wait": format!("{wait}s") })
        })
        .collect();
    db.query(
        "BEGIN TRANSACTION;
        FOR $g IN $rows {
            UPDATE type::record('login_gate', $g.id) SET failures = $g.failures, next_at = time::now() + type::duration($g.wait), updated_at = time::now();
        };
        IF !$ok { DELETE login_gate WHERE updated_at < time::now() - 1d };
        COMMIT TRANSACTION;",
    )
    .bind(("rows", rows))
    .bind(("ok", ok))
    .await?
    .checked()?;
    Ok(())
}

/// Whether this device (by its cookie's hash) signed in to `username` before.
pub async fn knows_device(db: &Db, username: &str, device_hash: &str) -> Result<bool> {
    let mut res = db
        .query("RETURN (SELECT VALUE id FROM ONLY $id) != NONE")
        .bind(("id", RecordId::new("known_device", format!("{username}/{device_hash}"))))
        .await?;
    Ok(res.take::<Option<bool>>(0)?.unwrap_or(false))
}

/// Remembers that this device signed in to `username`.
pub async fn remember_device(db: &Db, username: &str, device_hash: &str) -> Result<()> {
    db.query("UPSERT $id SET last_at = time::now()")
        .bind(("id", RecordId::new("known_device", format!("{username}/{device_hash}"))))
        .await?
        .checked()?;
    Ok(())
}
