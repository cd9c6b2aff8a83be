//! Server functions by subject, with the types they return beside them.
//! Bodies stay thin: fetch the database handle, call `store`, shape the reply.

pub mod access;
pub mod admin;
pub mod auth;
pub mod awards;
pub mod consolidation;
pub mod council;
pub mod display;
pub mod leaderboard;
pub mod movement;
pub mod review;
#[cfg(feature = "ssr")]
pub mod scope;
pub mod showcase;
pub mod sync;
pub mod units;

#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<crate::store::Db, leptos::prelude::ServerFnError> {
    leptos::prelude::use_context::<crate::store::Db>()
        .ok_or_else(|| leptos::prelude::ServerFnError::new("Cơ sở dữ liệu chưa sẵn sàng / database not ready"))
}

/// The movement being run, or a clear error before the set-up has made one.
#[cfg(feature = "ssr")]
pub(crate) async fn current_movement(db: &crate::store::Db) -> Result<crate::domain::movement::Movement, leptos::prelude::ServerFnError> {
    crate::store::movements::current(db)
        .await
        .map_err(fail)?
        .ok_or_else(|| leptos::prelude::ServerFnError::new("Chưa có phong trào / no movement yet"))
}

/// Logs a store failure and hands the person a message without internals.
#[cfg(feature = "ssr")]
pub(crate) fn fail(e: crate::store::StoreError) -> leptos::prelude::ServerFnError {
    tracing::error!(error = %e, "server function failed");
    match e {
        crate::store::StoreError::Invalid(errs) => leptos::prelude::ServerFnError::new(
            errs.iter().map(|e| format!("{}: {}", e.field, e.message_vi)).collect::<Vec<_>>().join("; "),
        ),
        crate::store::StoreError::NotFound(what) => leptos::prelude::ServerFnError::new(format!("Không tìm thấy / not found: {what}")),
        _ => leptos::prelude::ServerFnError::new("Lỗi máy chủ, vui lòng thử lại / server error, please retry"),
    }
}
