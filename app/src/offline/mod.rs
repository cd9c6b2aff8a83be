//! Offline work on the phone: items kept in IndexedDB (`local`), the rules
//! of how an item changes (`item`), and the sync engine (`engine`).

pub mod engine;
pub mod files;
pub mod item;
pub mod local;

pub use engine::{use_offline, Offline};
