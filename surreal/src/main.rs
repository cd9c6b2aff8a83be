//! The `surreal` server binary (`surreal start …`), the same entry point as upstream's,
//! so cluster mode can be tested on a machine that cannot download SurrealDB releases.
use std::process::ExitCode;

fn main() -> ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
