//! Plain Rust shared by the server and the WASM client: no Leptos, no I/O.
//! Everything the product decides (what a unit is, what a movement holds, which
//! award a nominee may get) lives here so both sides agree by construction.

pub mod attachment;
pub mod auth;
pub mod award;
pub mod catalogue;
pub mod cluster;
pub mod council;
pub mod date;
pub mod deadline;
pub mod difficulty;
pub mod display;
pub mod document;
pub mod error;
pub mod indicator;
pub mod lifecycle;
pub mod movement;
pub mod nomination;
pub mod period;
pub mod report;
pub mod report_summary;
pub mod review;
pub mod rollup;
pub mod scoring;
pub mod story;
pub mod succession;
pub mod sync;
pub mod template;
pub mod text;
pub mod unit;
pub mod version;
pub mod views;

pub use error::{AppError, ErrorKind, FieldError};
