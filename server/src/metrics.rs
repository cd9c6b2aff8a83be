//! `/metrics` in the OpenMetrics text format (which Prometheus scrapes):
//! requests and their latency by route, sync pushes and their items by
//! outcome, their time on the store, open meeting displays, and the
//! database's answer time measured at each scrape. Readable from loopback
//! (not through a proxy) or with the `--metrics-token` bearer token.

use app::store::Db;
use axum::extract::{ConnectInfo, MatchedPath, State};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::LazyLock;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

fn latency_buckets() -> Histogram {
    // 1 ms … ~16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

struct Http {
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    displays: Gauge,
    db_ping: Gauge<f64, AtomicU64>,
    registry: Registry,
}

static HTTP: LazyLock<Http> = LazyLock::new(|| {
    let mut registry = Registry::default();
    let requests = Family::<RequestLabels, Counter>::default();
    let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_buckets);
    let displays = Gauge::default();
    let db_ping = Gauge::<f64, AtomicU64>::default();
    registry.register("thidua_http_requests", "HTTP requests answered, by route and status", requests.clone());
    registry.register("thidua_http_request_duration_seconds", "Time to answer HTTP requests, by route", latency.clone());
    registry.register("thidua_displays_open", "Meeting displays streaming now", displays.clone());
    registry.register("thidua_db_ping_seconds", "The database's answer time, measured at this scrape", db_ping.clone());
    app::api::metrics::SYNC.register(&mut registry);
    Http { requests, latency, displays, db_ping, registry }
});

/// A route label with few values: the router's pattern, a server function's
/// endpoint, or the kind of file.
fn route_of(req: &Request<axum::body::Body>) -> String {
    let path = req.uri().path();
    if let Some(m) = req.extensions().get::<MatchedPath>() {
        return m.as_str().to_string();
    }
    if app::api::access::ACCESS.iter().any(|(p, _)| *p == path) {
        return path.to_string();
    }
    if path.starts_with("/pkg/") {
        return "/pkg".into();
    }
    "other".into()
}

/// Counts and times every request.
pub async fn track(req: Request<axum::body::Body>, next: Next) -> Response {
    let (method, route) = (req.method().to_string(), route_of(&req));
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    HTTP.latency.get_or_create(&RouteLabels { route: route.clone() }).observe(started.elapsed().as_secs_f64());
    HTTP.requests.get_or_create(&RequestLabels { method, route, status: res.status().as_u16() }).inc();
    res
}

#[derive(Clone)]
pub struct Scrape {
    pub db: Db,
    pub live: crate::live_boards::LiveBoards,
    /// SHA-256 of the bearer token that may read from anywhere.
    pub token_hash: Option<[u8; 32]>,
}

impl Scrape {
    pub fn new(db: Db, live: crate::live_boards::LiveBoards, token: Option<&str>) -> Self {
        Scrape { db, live, token_hash: token.filter(|t| !t.is_empty()).map(|t| Sha256::digest(t.as_bytes()).into()) }
    }

    /// Loopback and not forwarded by a proxy (a proxy on this machine
    /// connects from loopback for everyone), or the token.
    fn allows(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
        let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if let (Some(want), Some(got)) = (self.token_hash, bearer) {
            return <[u8; 32]>::from(Sha256::digest(got.as_bytes())) == want;
        }
        let forwarded = headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
        peer.is_some_and(|p| p.ip().is_loopback()) && !forwarded
    }
}

/// `GET /metrics`.
pub async fn metrics(State(s): State<Scrape>, req: Request<axum::body::Body>) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    if !s.allows(peer, req.headers()) {
        return (StatusCode::FORBIDDEN, "Chỉ đọc từ máy chủ hoặc với mã truy cập. / Loopback or token only.").into_response();
    }
    let started = std::time::Instant::now();
    let ping = app::store::ping(&s.db).await;
    HTTP.db_ping.set(if ping.is_ok() { started.elapsed().as_secs_f64() } else { f64::NAN });
    HTTP.displays.set(s.live.open_streams() as i64);
    let mut text = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut text, &HTTP.registry) {
        tracing::error!(error = %e, "metrics encoding failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], text)
        .into_response()
}
