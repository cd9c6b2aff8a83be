//! Configuration from flags or environment variables (flags win).

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug, Clone)]
#[command(name = "thidua", about = "Thi Đua: emulation movement server")]
pub struct Config {
    /// Database URL: `surrealkv://DIR` (embedded, default), `mem://`, or
    /// `ws://HOST:PORT` for a SurrealDB server or cluster.
    #[arg(long, env = "THIDUA_DB_URL", default_value = "surrealkv://data/db")]
    pub db_url: String,
    #[arg(long, env = "THIDUA_DB_NS", default_value = "thidua")]
    pub db_ns: String,
    #[arg(long, env = "THIDUA_DB_NAME", default_value = "main")]
    pub db_name: String,
    /// Root user for a remote SurrealDB server (not needed when embedded).
    #[arg(long, env = "THIDUA_DB_USER")]
    pub db_user: Option<String>,
    #[arg(long, env = "THIDUA_DB_PASS", hide_env_values = true)]
    pub db_pass: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "THIDUA_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The built site (WASM, JS, CSS, public files), from `cargo leptos build`.
    #[arg(long, env = "THIDUA_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// A reverse proxy (TLS in front of the app) whose `X-Forwarded-For`
    /// names the client; repeat the flag or separate by commas. Without it
    /// the header is ignored, so no client can pick the address it is
    /// throttled under.
    #[arg(long = "trusted-proxy", env = "THIDUA_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Load the Ngọc Hồi demo data at start (idempotent).
    #[arg(long, env = "THIDUA_DEMO", default_value_t = false)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Serve the app (the default).
    Serve,
    /// Import an administrative catalogue CSV (GSO layout) and exit.
    ImportCatalogue { file: PathBuf },
    /// Load the Ngọc Hồi demo data and exit.
    LoadDemo,
    /// Check a movement file (the layout of data/templates/*.toml): prints
    /// each error with its line and field, and exits 1 if there is any.
    CheckMovement { file: PathBuf },
    /// Write the current movement to a file in the same layout.
    ExportMovement { file: PathBuf },
    /// Bring the store's schema up to date and exit (the server also does
    /// this on start). A store a newer release has migrated is refused.
    Migrate {
        /// List what would be applied, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Create an account (the first district officer, say) and exit. The
    /// password is read from THIDUA_PASSWORD or, if unset, from standard input;
    /// there is no default password.
    CreateAccount {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// unit_reporter, cluster_head, district_officer, council_member,
        /// health_officer or media_officer.
        #[arg(long)]
        role: String,
        /// The unit that scopes the account, e.g. d611 for Ngọc Hồi district.
        #[arg(long)]
        unit: String,
    },
}

impl Config {
    pub fn db(&self) -> app::store::DbConfig {
        app::store::DbConfig {
            url: self.db_url.clone(),
            namespace: self.db_ns.clone(),
            database: self.db_name.clone(),
            username: self.db_user.clone(),
            password: self.db_pass.clone(),
        }
    }
}
