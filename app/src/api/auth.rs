//! Sign-in, sign-out and who is signed in; and the guard every server
//! function that needs an account calls.

use crate::domain::auth::Role;
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in person, as pages show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: String,
    pub unit_name: String,
}

#[server(endpoint = "auth/me", output = crate::api::codec::Json)]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    use crate::api::{db, fail};
    let Some(a) = guard::current().await? else {
        return Ok(None);
    };
    let unit_name = crate::store::units::get(&db()?, &a.unit).await.map_err(fail)?.map(|u| u.name).unwrap_or_default();
    Ok(Some(Me { username: a.username, display_name: a.display_name, role: a.role, unit: a.unit, unit_name }))
}

#[server(endpoint = "auth/sign_in", output = crate::api::codec::Json)]
pub async fn sign_in(username: String, password: String) -> Result<(), AppError> {
    use crate::api::{db, fail};
    use crate::domain::auth::session_ttl_secs;
    use crate::store::accounts;
    let db = db()?;
    let username = username.trim().to_lowercase();
    let device = guard::device_token().await;
    let found = guard::throttled(&db, &username, device.as_deref(), || async {
        accounts::verify(&db, &username, &password).await.map(|a| a.ok_or(()))
    })
    .await?;
    let Ok(account) = found else {
        return Err(AppError::wrong_password());
    };
    let ttl = session_ttl_secs(account.role);
    let token = accounts::create_session(&db, &account.username, &format!("{ttl}s")).await.map_err(fail)?;
    guard::set_session_cookie(&token, ttl).await;
    // The device is remembered for this account: its next sign-ins pass a
    // gate of their own, which a guesser elsewhere cannot slow down.
    let device = device.unwrap_or_else(accounts::new_token);
    accounts::remember_device(&db, &account.username, &accounts::token_hash(&device)).await.map_err(fail)?;
    guard::set_device_cookie(&device).await;
    Ok(())
}

/// A person changes their own password, throttled like sign-in; their other
/// sessions end, and this one is renewed so the phone stays signed in.
#[server(endpoint = "auth/change_password", output = crate::api::codec::Json)]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    use crate::api::{db, fail};
    use crate::domain::auth::session_ttl_secs;
    use crate::store::{accounts, StoreError};
    let me = guard::signed_in().await?;
    let db = db()?;
    let device = guard::device_token().await;
    let changed = guard::throttled(&db, &me.username, device.as_deref(), || async {
        match accounts::change_own_password(&db, &me.username, &current, &new).await {
            Err(StoreError::Invalid(e)) if e.iter().any(|e| e.rule == accounts::WRONG_PASSWORD) => Ok(Err(StoreError::Invalid(e))),
            other => other.map(Ok),
        }
    })
    .await?;
    changed.map_err(fail)?;
    let ttl = session_ttl_secs(me.role);
    let token = accounts::create_session(&db, &me.username, &format!("{ttl}s")).await.map_err(fail)?;
    guard::set_session_cookie(&token, ttl).await;
    Ok(())
}

#[server(endpoint = "auth/sign_out", output = crate::api::codec::Json)]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::api::{db, fail};
    if let Some(token) = guard::session_token().await {
        crate::store::accounts::revoke_session(&db()?, &token).await.map_err(fail)?;
    }
    guard::set_session_cookie("", 0).await;
    // The browser's HTTP cache may hold pages rendered for this person.
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(axum::http::HeaderName::from_static("clear-site-data"), axum::http::HeaderValue::from_static("\"cache\""));
    }
    Ok(())
}

/// The checks behind every server function that needs an account.
#[cfg(feature = "ssr")]
pub mod guard {
    use crate::domain::auth::{Account, Role, DEVICE_COOKIE, SESSION_COOKIE};
    use crate::domain::AppError;
    use axum::http::{header, HeaderMap, HeaderValue};
    use leptos::prelude::*;

    async fn headers() -> Option<HeaderMap> {
        leptos_axum::extract::<HeaderMap>().await.ok()
    }

    /// The session token from the request's cookie.
    pub async fn session_token() -> Option<String> {
        token_in(&headers().await?)
    }

    /// The device cookie: a random key the browser keeps across sign-ins.
    pub async fn device_token() -> Option<String> {
        cookie_in(&headers().await?, DEVICE_COOKIE).filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    fn cookie_in(h: &HeaderMap, name: &str) -> Option<String> {
        let secure = format!("__Host-{name}");
        h.get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, v)| (*k == name || *k == secure) && !v.is_empty())
            .map(|(_, v)| v.to_string())
    }

    /// Runs `check` (a password check: `Ok(Err(_))` is a wrong password)
    /// behind the sign-in gates of `username` from this device and address
    /// (`domain::auth::gates`): refused with the time to wait while a gate
    /// is closed; the outcome counts on every gate.
    pub async fn throttled<T, E, F, Fut>(
        db: &crate::store::Db,
        username: &str,
        device: Option<&str>,
        check: F,
    ) -> Result<Result<T, E>, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = crate::store::Result<Result<T, E>>>,
    {
        use crate::api::fail;
        use crate::store::accounts;
        let ip = client_ip().await;
        let device_hash = device.map(accounts::token_hash);
        let known = match &device_hash {
            Some(h) if crate::domain::auth::validate_username(username).is_ok() => {
                accounts::knows_device(db, username, h).await.map_err(fail)?
            }
            _ => false,
        };
        let gates = crate::domain::auth::gates(username, device_hash.as_deref().filter(|_| known), &ip);
        let failures = match accounts::claim(db, &gates).await.map_err(fail)? {
            Ok(f) => f,
            Err(wait) => return Err(AppError::too_many(wait)),
        };
        let outcome = check().await;
        let ok = matches!(outcome, Ok(Ok(_)));
        accounts::settle(db, &gates, &failures, ok).await.map_err(fail)?;
        outcome.map_err(fail)
    }

    /// The session token in a request's headers (also for plain axum routes
    /// such as the XLSX download).
    pub fn token_in(h: &HeaderMap) -> Option<String> {
        cookie_in(h, SESSION_COOKIE)
    }

    /// The signed-in account, if any.
    pub async fn current() -> Result<Option<Account>, AppError> {
        let Some(token) = session_token().await else {
            return Ok(None);
        };
        crate::store::accounts::session_account(&crate::api::db()?, &token).await.map_err(crate::api::fail)
    }

    /// The signed-in account if its role is one of `roles`; otherwise an
    /// error that says what is missing.
    pub async fn require(roles: &[Role]) -> Result<Account, AppError> {
        allowed(current().await?, roles)
    }

    /// `require`, with the account's unit facts read in the same round
    /// trip (a sync push builds its unit's report form from them).
    pub async fn require_with_unit(roles: &[Role]) -> Result<(Account, Option<crate::store::submissions::UnitFacts>), AppError> {
        let found = match session_token().await {
            Some(token) => crate::store::accounts::session_account_and_unit(&crate::api::db()?, &token).await.map_err(crate::api::fail)?,
            None => None,
        };
        let (account, unit) = found.map_or((None, None), |(a, u)| (Some(a), u));
        Ok((allowed(account, roles)?, unit))
    }

    fn allowed(account: Option<Account>, roles: &[Role]) -> Result<Account, AppError> {
        match account {
            None => Err(AppError::sign_in_needed()),
            Some(a) if roles.contains(&a.role) => Ok(a),
            Some(_) => Err(AppError::denied()),
        }
    }

    /// The signed-in account, or the "please sign in" error.
    pub async fn signed_in() -> Result<Account, AppError> {
        current().await?.ok_or_else(AppError::sign_in_needed)
    }

    /// The proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`),
    /// as an axum extension on the router.
    #[derive(Clone, Debug, Default)]
    pub struct TrustedProxies(pub std::sync::Arc<Vec<std::net::IpAddr>>);

    /// The client's address, for throttling: the peer's, or through a
    /// trusted proxy the address it forwarded for.
    pub async fn client_ip() -> String {
        use axum::extract::ConnectInfo;
        let Ok(ConnectInfo(peer)) = leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>().await else {
            return "unknown".into();
        };
        let trusted = leptos_axum::extract::<axum::Extension<TrustedProxies>>().await.map(|e| e.0 .0).unwrap_or_default();
        let h = headers().await.unwrap_or_default();
        let forwarded = h.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        crate::domain::auth::client_address(peer.ip(), forwarded, &trusted).to_string()
    }

    /// Whether the request came over TLS (to a proxy in front of us).
    pub fn over_https(h: &HeaderMap) -> bool {
        h.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
    }

    /// A cookie header: HttpOnly, SameSite=Lax; over https Secure and
    /// `__Host-`-prefixed (no other host or path can set or shadow it).
    async fn set_cookie(name: &str, value: &str, max_age: u64) {
        let tls = headers().await.is_some_and(|h| over_https(&h));
        let cookie = if tls {
            format!("__Host-{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax; Secure")
        } else {
            format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax")
        };
        if let (Some(res), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&cookie)) {
            res.append_header(header::SET_COOKIE, v);
        }
    }

    /// Sets (or, with max_age 0, clears) the session cookie.
    pub async fn set_session_cookie(token: &str, max_age: u64) {
        set_cookie(SESSION_COOKIE, token, max_age).await
    }

    /// The device cookie outlives sessions (about 400 days, the most a
    /// browser keeps one).
    pub async fn set_device_cookie(token: &str) {
        set_cookie(DEVICE_COOKIE, token, 400 * 24 * 3600).await
    }
}
