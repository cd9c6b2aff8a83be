//! `AppError` as the server functions' error (`FromServerFnError`), and the
//! store's failures turned into it: the person gets the kind and the words,
//! never internals (those go to the log).

use crate::domain::AppError;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

impl FromServerFnError for AppError {
    type Encoder = crate::api::codec::JsonText;

    /// In the browser only the transport fails on its own (the server's
    /// errors arrive already typed), so only that case is compiled there,
    /// without the transport's own words: a person can do nothing with them,
    /// and formatting them would bring every variant's text into the WASM.
    #[cfg(not(feature = "ssr"))]
    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        AppError::network()
    }

    #[cfg(feature = "ssr")]
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // A request the server cannot read (the server's middleware says
            // the decoder's words in Vietnamese).
            ServerFnErrorErr::Args(d)
            | ServerFnErrorErr::MissingArg(d)
            | ServerFnErrorErr::UnsupportedRequestMethod(d)
            | ServerFnErrorErr::Deserialization(d) => AppError::bad_request(&d, &d),
            ServerFnErrorErr::Registration(d) => AppError::not_found(&d),
            ServerFnErrorErr::Request(d) | ServerFnErrorErr::Response(d) => {
                tracing::warn!(detail = %d, "a server function's transport failed");
                AppError::network()
            }
            ServerFnErrorErr::ServerError(_) | ServerFnErrorErr::MiddlewareError(_) | ServerFnErrorErr::Serialization(_) => {
                AppError::internal()
            }
        }
    }
}

/// Logs a store failure and gives the person its kind and words.
#[cfg(feature = "ssr")]
pub(crate) fn fail(e: crate::store::StoreError) -> AppError {
    use crate::store::StoreError;
    match e {
        StoreError::Invalid(errs) => AppError::invalid(errs),
        StoreError::NotFound(what) => AppError::not_found(&what),
        e if e.is_conflict() || e.is_taken() || e.is_guard() => {
            tracing::info!(error = %e, "server function lost a race; the person reloads");
            AppError::conflict()
        }
        e => {
            tracing::error!(error = %e, "server function failed");
            AppError::internal()
        }
    }
}
