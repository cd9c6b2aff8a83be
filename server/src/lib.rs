//! The server: configuration, database, and the routes that are not server
//! functions. `main.rs` only wires these together.

/// For every binary built on this crate (the server, its tests and benchmarks).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod assets;
pub mod backup;
pub mod certificate;
pub mod config;
pub mod demo;
pub mod download_auth;
pub mod export;
pub mod files;
pub mod health;
pub mod live_boards;
pub mod metrics;
pub mod offline;
/// The catalogue importer lives in the app (the admin page calls it too).
pub use app::store::catalogue_import as import;
pub mod security;
pub mod template;

use app::store::Db;
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::Path;
use tower_http::compression::CompressionLayer;

/// Leptos options for a built site at `site_root` (hash file beside it).
pub fn leptos_options(site_root: &Path) -> LeptosOptions {
    let root = site_root.to_string_lossy().to_string();
    let hash_file = site_root.join("hash.txt");
    LeptosOptions::builder()
        .output_name("thidua")
        .site_root(root)
        .site_pkg_dir("pkg")
        .hash_files(hash_file.exists())
        .hash_file(std::path::absolute(&hash_file).unwrap_or(hash_file).to_string_lossy().as_ref().into())
        .build()
}

/// The app's routes, found once per process. Finding them renders the app
/// with resource loads switched off for the whole process (a global flag in
/// leptos_server): a page another router was rendering meanwhile waited for
/// its data for ever (tests build a router each; CI hung on it).
static ROUTES: std::sync::LazyLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::LazyLock::new(|| generate_route_list(App));

/// The paths of the app's pages, as the router writes them.
pub fn page_paths() -> Vec<String> {
    ROUTES.iter().map(|r| r.path().to_string()).collect()
}

/// How the server is reached: the proxies whose `X-Forwarded-For` it
/// believes, and the token that reads `/metrics` from elsewhere than
/// loopback.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub metrics_token: Option<String>,
}

/// The whole HTTP app, served directly (no proxy's `X-Forwarded-For` is
/// trusted, no metrics token), evidence files kept in memory.
pub fn router(db: Db, options: LeptosOptions) -> Router {
    router_behind(db, app::store::files::Blobs::memory(), options, Reach::default())
}

/// The whole HTTP app, served directly, evidence files kept in `blobs`.
pub fn router_with_files(db: Db, blobs: app::store::files::Blobs, options: LeptosOptions) -> Router {
    router_behind(db, blobs, options, Reach::default())
}

/// The whole HTTP app, reached as `reach` says, evidence files in `blobs`.
pub fn router_behind(db: Db, blobs: app::store::files::Blobs, options: LeptosOptions, reach: Reach) -> Router {
    let routes = ROUTES.clone();
    let site_root = options.site_root.to_string();
    let ctx_db = db.clone();
    let health = Router::new()
        .route("/healthz", get(health::healthz))
        .route(app::routes::CONSOLIDATED_XLSX, get(export::consolidated_xlsx))
        .route(app::routes::RANKINGS_XLSX, get(export::rankings_xlsx))
        .route(app::routes::CERTIFICATES_PDF, get(certificate::certificates_pdf))
        .route(app::routes::FORWARDED_XLSX, get(export::forwarded_xlsx))
        .with_state(db.clone());
    let boards = live_boards::LiveBoards::new(db.clone());
    let scrape = Router::new().route("/metrics", get(metrics::metrics)).with_state(metrics::Scrape::new(
        db.clone(),
        boards.clone(),
        reach.metrics_token.as_deref(),
    ));
    let files = files::routes(db.clone(), blobs);
    let live = Router::new().route("/api/display/live/{token}", get(live_boards::stream)).with_state(boards);
    let sw = offline::service_worker(Path::new(&site_root));
    let sw = Router::new().route("/sw.js", get(move || std::future::ready(offline::sw_response(&sw))));
    // A path that is neither a page nor a file gets the app's own 404 page.
    let not_found = {
        let render = leptos_axum::render_app_to_stream_with_context(move || provide_context(db.clone()), {
            let options = options.clone();
            move || shell(options.clone())
        });
        tower::service_fn(move |req| {
            let render = render.clone();
            async move { Ok::<_, std::convert::Infallible>(render(req).await) }
        })
    };
    Router::new()
        .leptos_routes_with_context(&options, routes, move || provide_context(ctx_db.clone()), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback_service(assets::serve_dir(Path::new(&site_root)).fallback(not_found))
        .with_state(options)
        .merge(health)
        .merge(live)
        .merge(files)
        .merge(sw)
        .merge(scrape)
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::Extension(app::api::auth::guard::TrustedProxies(std::sync::Arc::new(reach.trusted_proxies))))
        .layer(axum::middleware::from_fn(assets::cache_headers))
        .layer(axum::middleware::from_fn(security::api_errors))
        .layer(axum::middleware::from_fn(security::same_origin))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(CompressionLayer::new())
        // A declared length over the limit gets 413 before anything reads
        // the body (inside decompression, so it also bounds what a gzip
        // body inflates to, as an error while reading).
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        // Phones gzip sync pushes (bytes matter on 2G); the limit applies to
        // the body as decompressed.
        .layer(tower_http::decompression::RequestDecompressionLayer::new())
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
}

/// The largest request body accepted, decompressed: a push of 50 reports is
/// well under 1 MB; the catalogue import of a whole country is ~1.5 MB.
pub const BODY_LIMIT: usize = 4 << 20;

/// Resolves when the process is asked to stop (SIGINT or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested; finishing requests in flight");
    live_boards::close_all();
}
