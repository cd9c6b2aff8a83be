//! Server functions by subject, with the types they return beside them.
//! Bodies stay thin: fetch the database handle, call `store`, shape the reply.

pub mod access;
pub mod admin;
pub mod auth;
pub mod awards;
pub mod codec;
pub mod consolidation;
pub mod council;
pub mod display;
pub mod error;
#[cfg(feature = "ssr")]
pub mod files;
pub mod leaderboard;
#[cfg(feature = "ssr")]
pub mod metrics;
pub mod movement;
pub mod movements;
pub mod review;
#[cfg(feature = "ssr")]
pub mod scope;
pub mod showcase;
pub mod sync;
pub mod units;

pub use crate::domain::AppError;
#[cfg(feature = "ssr")]
pub(crate) use error::fail;

#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<crate::store::Db, AppError> {
    leptos::prelude::use_context::<crate::store::Db>()
        .ok_or_else(|| AppError::unavailable("Cơ sở dữ liệu chưa sẵn sàng.", "The database is not ready."))
}

/// The movement being run, or a clear error before the set-up has made one.
#[cfg(feature = "ssr")]
pub(crate) async fn current_movement(db: &crate::store::Db) -> Result<crate::domain::movement::Movement, AppError> {
    crate::store::movements::current(db)
        .await
        .map_err(fail)?
        .ok_or_else(|| AppError::unavailable("Chưa có phong trào.", "No movement yet."))
}
