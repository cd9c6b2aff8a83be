//! Sign-in, sign-out and who is signed in; and the guard every server
//! function that needs an account calls.

use crate::domain::auth::Role;
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

#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<Me>, ServerFnError> {
    use crate::api::{db, fail};
    let Some(a) = guard::current().await? else {
        return Ok(None);
    };
    let unit_name = crate::store::units::get(&db()?, &a.unit).await.map_err(fail)?.map(|u| u.name).unwrap_or_default();
    Ok(Some(Me { username: a.username, display_name: a.display_name, role: a.role, unit: a.unit, unit_name }))
}

#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<(), ServerFnError> {
    use crate::api::{db, fail};
    use crate::domain::auth::*;
    use crate::store::accounts;
    let db = db()?;
    let username = username.trim().to_lowercase();
    let ip = guard::client_ip().await;
    let (by_user, by_ip) = accounts::recent_failures(&db, &username, &ip, THROTTLE_WINDOW).await.map_err(fail)?;
    if by_user >= MAX_FAILURES_PER_ACCOUNT || by_ip >= MAX_FAILURES_PER_ADDRESS {
        return Err(ServerFnError::new(
            "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau 15 phút. / Too many failed sign-ins; try again in 15 minutes.",
        ));
    }
    let Some(account) = accounts::verify(&db, &username, &password).await.map_err(fail)? else {
        accounts::record_failure(&db, &username, &ip).await.map_err(fail)?;
        return Err(ServerFnError::new("Sai tên đăng nhập hoặc mật khẩu. / Wrong username or password."));
    };
    let token = accounts::create_session(&db, &account.username, SESSION_TTL).await.map_err(fail)?;
    guard::set_session_cookie(&token, 90 * 24 * 3600).await;
    Ok(())
}

/// A person changes their own password; their other sessions end, and this
/// one is renewed so the phone stays signed in.
#[server(endpoint = "auth/change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), ServerFnError> {
    use crate::api::{db, fail};
    use crate::domain::auth::SESSION_TTL;
    use crate::store::accounts;
    let me = guard::signed_in().await?;
    let db = db()?;
    accounts::change_own_password(&db, &me.username, &current, &new).await.map_err(fail)?;
    let token = accounts::create_session(&db, &me.username, SESSION_TTL).await.map_err(fail)?;
    guard::set_session_cookie(&token, 90 * 24 * 3600).await;
    Ok(())
}

#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    use crate::api::{db, fail};
    if let Some(token) = guard::session_token().await {
        crate::store::accounts::revoke_session(&db()?, &token).await.map_err(fail)?;
    }
    guard::set_session_cookie("", 0).await;
    Ok(())
}

/// The checks behind every server function that needs an account.
#[cfg(feature = "ssr")]
pub mod guard {
    use crate::domain::auth::{Account, Role, SESSION_COOKIE};
    use axum::http::{header, HeaderMap, HeaderValue};
    use leptos::prelude::*;

    async fn headers() -> Option<HeaderMap> {
        leptos_axum::extract::<HeaderMap>().await.ok()
    }

    /// The session token from the request's cookie.
    pub async fn session_token() -> Option<String> {
        token_in(&headers().await?)
    }

    /// The session token in a request's headers (also for plain axum routes
    /// such as the XLSX download).
    pub fn token_in(h: &HeaderMap) -> Option<String> {
        h.get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, v)| *k == SESSION_COOKIE && !v.is_empty())
            .map(|(_, v)| v.to_string())
    }

    /// The signed-in account, if any.
    pub async fn current() -> Result<Option<Account>, ServerFnError> {
        let Some(token) = session_token().await else {
            return Ok(None);
        };
        crate::store::accounts::session_account(&crate::api::db()?, &token).await.map_err(crate::api::fail)
    }

    /// The signed-in account if its role is one of `roles`; otherwise an
    /// error that says what is missing.
    pub async fn require(roles: &[Role]) -> Result<Account, ServerFnError> {
        allowed(current().await?, roles)
    }

    /// `require`, with the account's unit facts read in the same round
    /// trip (a sync push builds its unit's report form from them).
    pub async fn require_with_unit(roles: &[Role]) -> Result<(Account, Option<crate::store::submissions::UnitFacts>), ServerFnError> {
        let found = match session_token().await {
            Some(token) => crate::store::accounts::session_account_and_unit(&crate::api::db()?, &token).await.map_err(crate::api::fail)?,
            None => None,
        };
        let (account, unit) = found.map_or((None, None), |(a, u)| (Some(a), u));
        Ok((allowed(account, roles)?, unit))
    }

    fn allowed(account: Option<Account>, roles: &[Role]) -> Result<Account, ServerFnError> {
        match account {
            None => Err(ServerFnError::new("Cần đăng nhập. / Please sign in.")),
            Some(a) if roles.contains(&a.role) => Ok(a),
            Some(_) => Err(ServerFnError::new("Tài khoản không có quyền này. / Not allowed for this account.")),
        }
    }

    /// The signed-in account, or the "please sign in" error.
    pub async fn signed_in() -> Result<Account, ServerFnError> {
        current().await?.ok_or_else(|| ServerFnError::new("Cần đăng nhập. / Please sign in."))
    }

    /// The client's address, for throttling.
    pub async fn client_ip() -> String {
        use axum::extract::ConnectInfo;
        leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>()
            .await
            .map(|ConnectInfo(a)| a.ip().to_string())
            .unwrap_or_else(|_| "unknown".into())
    }

    /// Sets (or, with max_age 0, clears) the session cookie: HttpOnly,
    /// SameSite=Lax, Secure when the request came over TLS.
    pub async fn set_session_cookie(token: &str, max_age: u64) {
        let tls = headers()
            .await
            .and_then(|h| h.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).map(|p| p == "https"))
            .unwrap_or(false);
        let cookie = format!(
            "{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
            if tls { "; Secure" } else { "" }
        );
        if let (Some(res), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&cookie)) {
            res.append_header(header::SET_COOKIE, v);
        }
    }
}
