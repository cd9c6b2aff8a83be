//! Widgets shared by pages.

pub mod demo_badge;
pub mod nav;
pub mod status;
