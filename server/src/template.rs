//! Movement files (`app::store::movement_file`), for the command line and
//! the demo.

pub use app::store::movement_file::*;
