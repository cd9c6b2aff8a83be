//! Widgets shared by pages.

pub mod admin_doc;
pub mod demo_badge;
pub mod event_feed;
pub mod evidence;
pub mod form;
pub mod movement_picker;
pub mod nav;
pub mod status;
pub mod sync_bar;
pub mod trend_chart;
