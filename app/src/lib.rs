//! Thi Đua: the Leptos app, compiled twice: `ssr` into the server and
//! `hydrate` into the WASM a phone downloads.

pub mod api;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod offline;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;

use components::nav::Header;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, Meta, MetaTags, Title};
use leptos_router::Lazy;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};
use pages::admin::{
    accounts::AccountsPage, audit::AuditPage, clusters::ClustersAdminPage, displays::DisplaysPage, import::ImportPage,
    movement_editor::MovementEditorPage, movements::MovementsPage, units::UnitsAdminPage, AdminHome,
};
use pages::{
    clusters::ClustersPage, consolidation::ConsolidationPage, council::CouncilPage, decisions::DecisionsPage, desk::DeskPage,
    difficulties::DifficultiesPage, display::DisplayPage, editor::EditorPage, home::HomePage, leaderboard::LeaderboardPage,
    minutes::MinutesPage, nominate::NominatePage, nominations::NominationsPage, not_found::NotFound, password::PasswordPage,
    printable::PrintablePage, rankings::RankingsPage, register::RegisterPage, report::ReportPage, review::ReviewPage,
    showcase::ShowcasePage, sign_in::SignInPage, story::StoryPage, unit::UnitPage, units::UnitsPage,
};

/// The HTML document around the app (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <LocalStoreEarly/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// On a phone whose service worker controls the page (only the offline
/// store registers it, so: a reporter's phone), starts loading
/// `/local-store.js` while the WASM compiles instead of after hydration;
/// `offline::local::load` then finds it loaded or loading, and IndexedDB
/// already open (BENCHMARKS.md: offline cold start).
#[component]
fn LocalStoreEarly() -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! {
        <script nonce=nonce>
            "if(navigator.serviceWorker)if(navigator.serviceWorker.controller){const s=document.createElement('script');s.id='local-store';s.src='/local-store.js';document.head.appendChild(s)}"
        </script>
    }
}

/// The Content-Security-Policy of a page: the WASM app and nothing more.
/// Inline scripts run only with this response's nonce.
pub fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[component]
pub fn App() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&csp(&nonce)) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    provide_meta_context();
    let lang = RwSignal::new(i18n::initial_lang());
    provide_context(lang);
    offline::engine::provide();
    view! {
        <Html attr:lang=move || lang.get().code()/>
        <Meta name="description" content="Thi Đua: quản lý phong trào thi đua, khen thưởng"/>
        <Meta name="theme-color" content="#b3261e"/>
        <Title formatter=|t: String| if t.is_empty() { "Thi Đua".to_string() } else { format!("{t} · Thi Đua") }/>
        <Router>
            <Header/>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage/>
                    <Route path=path!("units") view={Lazy::<UnitsPage>::new()}/>
                    <Route path=path!("units/:id") view={Lazy::<UnitPage>::new()}/>
                    <Route path=path!("clusters") view={Lazy::<ClustersPage>::new()}/>
                    <Route path=path!("dang-nhap") view={Lazy::<SignInPage>::new()}/>
                    <Route path=path!("bao-cao") view={Lazy::<ReportPage>::new()}/>
                    <Route path=path!("de-nghi") view={Lazy::<NominatePage>::new()}/>
                    <Route path=path!("doi-mat-khau") view={Lazy::<PasswordPage>::new()}/>
                    <Route path=path!("man-hinh/:token") view={Lazy::<DisplayPage>::new()}/>
                    <Route path=path!("tiep-nhan") view={Lazy::<DeskPage>::new()}/>
                    <Route path=path!("tiep-nhan/:id") view={Lazy::<ReviewPage>::new()}/>
                    <Route path=path!("tong-hop") view={Lazy::<ConsolidationPage>::new()}/>
                    <Route path=path!("tong-hop/in") view={Lazy::<PrintablePage>::new()}/>
                    <Route path=path!("bang-xep-hang") view={Lazy::<LeaderboardPage>::new()}/>
                    <Route path=path!("bang-xep-hang/in") view={Lazy::<RankingsPage>::new()}/>
                    <Route path=path!("kho-khan") view={Lazy::<DifficultiesPage>::new()}/>
                    <Route path=path!("khen-thuong") view={Lazy::<NominationsPage>::new()}/>
                    <Route path=path!("khen-thuong/so") view={Lazy::<RegisterPage>::new()}/>
                    <Route path=path!("hoi-dong") view={Lazy::<CouncilPage>::new()}/>
                    <Route path=path!("quyet-dinh") view={Lazy::<DecisionsPage>::new()}/>
                    <Route path=path!("guong-dien-hinh") view={Lazy::<ShowcasePage>::new()}/>
                    <Route path=path!("guong-dien-hinh/:id") view={Lazy::<StoryPage>::new()}/>
                    <Route path=path!("bien-tap") view={Lazy::<EditorPage>::new()}/>
                    <Route path=path!("hoi-dong/bien-ban/:id") view={Lazy::<MinutesPage>::new()}/>
                    <Route path=path!("quan-tri") view={Lazy::<AdminHome>::new()}/>
                    <Route path=path!("quan-tri/tai-khoan") view={Lazy::<AccountsPage>::new()}/>
                    <Route path=path!("quan-tri/man-hinh") view={Lazy::<DisplaysPage>::new()}/>
                    <Route path=path!("quan-tri/nhat-ky") view={Lazy::<AuditPage>::new()}/>
                    <Route path=path!("quan-tri/don-vi") view={Lazy::<UnitsAdminPage>::new()}/>
                    <Route path=path!("quan-tri/cum") view={Lazy::<ClustersAdminPage>::new()}/>
                    <Route path=path!("quan-tri/nhap-danh-muc") view={Lazy::<ImportPage>::new()}/>
                    <Route path=path!("quan-tri/phong-trao") view={Lazy::<MovementsPage>::new()}/>
                    <Route path=path!("quan-tri/phong-trao/:code") view={Lazy::<MovementEditorPage>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}

/// Entry point of the WASM build.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes hydrate asynchronously (their WASM part loads first).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    pages::preload_named_part();
    leptos::task::spawn_local(async {
        let body = document().body().expect("a page has a body");
        leptos::mount::hydrate_from_async(body.clone(), App).await.forget();
        // Tests and people's scripts wait for this before they click.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
