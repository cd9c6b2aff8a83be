//! The shapes pages read and the server's exports print: plain data built by
//! the store from its rows, with no rules of their own.

pub mod board;
pub mod consolidation;
pub mod council;
pub mod desk;
pub mod showcase;
pub mod standings;

/// A movement a page may show (`?phong-trao=`), for its picker.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MovementChoice {
    pub code: String,
    pub name: String,
}
