//! The JSON encoding of every server function's answer and error: the same
//! bytes on the wire as `server_fn`'s `Json`, but read in the browser with
//! `serde_json::from_str`, the reader a page's resources already use for
//! the values the server rendered into the HTML. With one reader, each
//! answer type's decoder is compiled into the WASM once instead of twice
//! (once per reader).

use leptos::server_fn::codec::Post;
use leptos::server_fn::{ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<leptos::server_fn::Bytes, Self::Error> {
        serde_json::to_vec(output).map(Into::into)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: leptos::server_fn::Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(|_| <serde_json::Error as serde::de::Error>::custom("not UTF-8"))?;
        serde_json::from_str(text)
    }
}

/// A server function's answer as JSON (`#[server(output = crate::api::codec::Json)]`).
pub type Json = Post<JsonText>;
