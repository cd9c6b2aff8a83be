//! One page per module. Pages most people never open (sign-in, set-up, the
//! display) are lazy routes: their code is a separate WASM file, fetched when
//! the page is opened, so the first visit stays small.

/// Declares `$name` as a lazy route whose view is `$view()`.
#[macro_export]
macro_rules! lazy_page {
    ($name:ident, $view:ident) => {
        pub struct $name;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $name {
            fn data() -> Self {
                $name
            }

            fn view(_this: Self) -> leptos::prelude::AnyView {
                leptos::prelude::IntoAny::into_any($view())
            }
        }
    };
}

pub mod admin;
pub mod consolidation;
pub mod council;
pub mod decisions;
pub mod desk;
pub mod difficulties;
pub mod editor;
pub mod leaderboard;
pub mod minutes;
pub mod display;
pub mod nominate;
pub mod nominations;
pub mod password;
pub mod printable;
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
