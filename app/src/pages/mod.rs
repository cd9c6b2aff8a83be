//! One page per module. Pages most people never open (sign-in, set-up, the
//! display) are lazy routes: their code is a separate WASM part, fetched when
//! the page is opened, so the first visit stays small.
//!
//! Lazy pages are grouped into three parts by who opens them: `field` for a
//! reporter's phone, with the sync engine; `public` for anyone; `staff` for
//! the district's desk, set-up and meeting display. The splitter gives every
//! set of parts that shares code its own chunk, and each chunk is fetched
//! and instantiated before a page of the part hydrates: with a part per
//! page the report form waited for 145 files; with five parts, for 14;
//! with three, for 4 (BENCHMARKS.md: offline cold start).

/// Declares `$name` as a lazy route whose view is `$view()`, its code in the
/// WASM part `$group` (pages of one group load together).
#[macro_export]
macro_rules! lazy_page {
    ($name:ident, $view:ident, $group:ident) => {
        pub struct $name;

        /// The split point: on the client the page's code is in the part
        /// named by the group, loaded on first use.
        mod __lazy {
            #[cfg_attr(feature = "hydrate", leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, preload(load)))]
            pub fn $view() -> leptos::prelude::AnyView {
                leptos::prelude::IntoAny::into_any(super::$view())
            }
        }

        impl leptos_router::LazyRoute for $name {
            fn data() -> Self {
                $name
            }

            async fn view(_this: Self) -> leptos::prelude::AnyView {
                #[cfg(feature = "hydrate")]
                return __lazy::$view().await;
                #[cfg(not(feature = "hydrate"))]
                {
                    // The server names the part so the page preloads it.
                    leptos::prefetch_lazy_fn_on_server(stringify!($group));
                    __lazy::$view()
                }
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                __lazy::load().await;
            }
        }
    };
}

/// Starts loading the WASM part the server named for this page (its preload
/// link) as hydration begins, not when hydration reaches the page: the
/// part's chunks then compile while the header hydrates (BENCHMARKS.md:
/// offline cold start). One page stands for each part.
#[cfg(feature = "hydrate")]
pub fn preload_named_part() {
    use leptos::task::spawn_local;
    use leptos_router::LazyRoute;
    let named = |part: &str| leptos::prelude::document().query_selector(&format!("link[href*='/split_{part}.']")).ok().flatten().is_some();
    if named("field") {
        spawn_local(report::ReportPage::preload());
    } else if named("staff") {
        spawn_local(desk::DeskPage::preload());
    } else if named("public") {
        spawn_local(units::UnitsPage::preload());
    } else if named("movements") {
        spawn_local(admin::movement_editor::MovementEditorPage::preload());
    }
}

pub mod admin;
pub mod consolidation;
pub mod council;
pub mod decisions;
pub mod desk;
pub mod difficulties;
pub mod display;
pub mod editor;
pub mod leaderboard;
pub mod minutes;
pub mod nominate;
pub mod nominations;
pub mod password;
pub mod printable;
pub mod rankings;
pub mod register;
pub mod report;
pub mod review;
pub mod showcase;
pub mod story;

pub mod clusters;
pub mod home;
pub mod not_found;
pub mod sign_in;
pub mod unit;
pub mod units;
