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
    /// A bearer token that may read `/metrics` from elsewhere than loopback.
    #[arg(long, env = "THIDUA_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Serve plain HTTP on a non-loopback address with no TLS proxy in front
    /// (`--trusted-proxy`): passwords and session cookies would cross the
    /// network readable. Only for a closed test network.
    #[arg(long, env = "THIDUA_INSECURE_HTTP", default_value_t = false)]
    pub insecure_http: bool,
    /// Log lines as text (default) or JSON objects (one per line).
    #[arg(long, env = "THIDUA_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
    /// Make a backup into this directory every `--backup-every` while serving.
    #[arg(long, env = "THIDUA_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// How often: a number with `m`, `h` or `d` (30m, 6h, 1d).
    #[arg(long, env = "THIDUA_BACKUP_EVERY", default_value = "1d", value_parser = parse_every)]
    pub backup_every: std::time::Duration,
    /// How many scheduled backups to keep (the oldest go first).
    #[arg(long, env = "THIDUA_BACKUP_KEEP", default_value_t = 14)]
    pub backup_keep: usize,
    /// Where evidence files are kept: a directory, or `s3://BUCKET` for an
    /// S3-compatible object store (a cluster's app nodes must share one).
    /// Default: `files` beside an embedded store's directory
    /// (`surrealkv://data/db` → `data/files`); in memory for `mem://`.
    #[arg(long, env = "THIDUA_FILES")]
    pub files: Option<String>,
    /// The S3-compatible server's URL (none: AWS itself).
    #[arg(long, env = "THIDUA_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    #[arg(long, env = "THIDUA_S3_KEY_ID")]
    pub s3_key_id: Option<String>,
    #[arg(long, env = "THIDUA_S3_SECRET", hide_env_values = true)]
    pub s3_secret: Option<String>,
    #[arg(long, env = "THIDUA_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,
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
    /// Import an administrative catalogue CSV (GSO layout, with districts
    /// before 1/7/2025 or two levels since) or the old→new commune mapping,
    /// and exit.
    ImportCatalogue {
        file: PathBuf,
        /// The day the file takes effect (YYYY-MM-DD or dd/mm/yyyy): old
        /// units whose codes it gives to new ones end the day before. A
        /// two-level file or a mapping defaults to 2025-07-01.
        #[arg(long)]
        effective: Option<String>,
    },
    /// Load the Ngọc Hồi demo data and exit.
    LoadDemo,
    /// Check a movement file (the layout of data/templates/*.toml): prints
    /// each error with its line and field, and exits 1 if there is any.
    CheckMovement { file: PathBuf },
    /// Write a movement (the current one unless `--movement` names another)
    /// to a file in the same layout.
    ExportMovement {
        file: PathBuf,
        /// The movement's code (as listed at /quan-tri/phong-trao).
        #[arg(long)]
        movement: Option<String>,
    },
    /// Read a movement file (refused whole, each error with its line and
    /// field) and add it as a draft under `--code`, run by `--organiser`
    /// (e.g. d611); publish it at /quan-tri/phong-trao.
    ImportMovement {
        file: PathBuf,
        #[arg(long)]
        code: String,
        #[arg(long)]
        organiser: String,
    },
    /// Bring the store's schema up to date and exit (the server also does
    /// this on start). A store a newer release has migrated is refused.
    Migrate {
        /// List what would be applied, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write a consistent backup of the store to FILE and exit. An embedded
    /// store is locked by a running server: back it up with `--backup-dir`
    /// (scheduled by the server) or stop the server first.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Load a backup into an empty store and exit; a damaged backup, or one
    /// made by a newer release, is refused before anything is written.
    Restore { file: PathBuf },
    /// Check a backup (whole, unaltered, restorable by this release) without
    /// restoring it.
    VerifyBackup { file: PathBuf },
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

/// "30m", "6h", "1d" (at least a minute).
fn parse_every(s: &str) -> Result<std::time::Duration, String> {
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: u64 = n.parse().map_err(|_| format!("\"{s}\": một số và m, h hoặc d / a number and m, h or d (30m, 6h, 1d)"))?;
    let minutes = match unit {
        "m" => n,
        "h" => n * 60,
        "d" => n * 24 * 60,
        _ => return Err(format!("\"{s}\": đơn vị m, h hoặc d / the unit is m, h or d")),
    };
    if minutes == 0 {
        return Err("ít nhất 1 phút / at least a minute".into());
    }
    Ok(std::time::Duration::from_secs(minutes * 60))
}

impl Config {
    /// Serving refuses an address other machines reach unless TLS is in
    /// front of it (a trusted proxy) or `--insecure-http` says otherwise.
    pub fn check_exposure(&self) -> Result<(), String> {
        if self.addr.ip().is_loopback() || !self.trusted_proxies.is_empty() || self.insecure_http {
            return Ok(());
        }
        Err(format!(
            "{} nhận kết nối từ máy khác mà không có HTTPS phía trước: đặt máy chủ sau một proxy TLS (--trusted-proxy), \
             hoặc thêm --insecure-http nếu chỉ dùng trong mạng thử nghiệm. / {} is reachable from other machines with no HTTPS \
             in front: serve behind a TLS proxy (--trusted-proxy), or add --insecure-http on a closed test network.",
            self.addr, self.addr
        ))
    }

    /// The store of evidence files, as `--files` says.
    pub fn blobs(&self) -> Result<app::store::files::Blobs, String> {
        use app::store::files::Blobs;
        let store_dir = self.db_url.strip_prefix("surrealkv://").map(|p| p.split('?').next().unwrap_or(p));
        let opened = match (self.files.as_deref(), store_dir) {
            (Some(url), _) if url.starts_with("s3://") => {
                let bucket = url.trim_start_matches("s3://").trim_end_matches('/');
                let (Some(key), Some(secret)) = (&self.s3_key_id, &self.s3_secret) else {
                    return Err("s3:// cần THIDUA_S3_KEY_ID và THIDUA_S3_SECRET / s3:// needs THIDUA_S3_KEY_ID and THIDUA_S3_SECRET".into());
                };
                Blobs::s3(bucket, self.s3_endpoint.as_deref(), key, secret, &self.s3_region)
            }
            (Some(dir), _) => Blobs::local(std::path::Path::new(dir)),
            (None, Some(db)) => {
                let db = std::path::Path::new(db);
                Blobs::local(&db.parent().unwrap_or(std::path::Path::new(".")).join("files"))
            }
            (None, None) if self.db_url.starts_with("mem://") => Ok(Blobs::memory()),
            (None, None) => {
                tracing::warn!(
                    "evidence files kept in ./data/files on this node: set THIDUA_FILES=s3://… when several app nodes share the database"
                );
                Blobs::local(std::path::Path::new("data/files"))
            }
        };
        opened.map_err(|e| e.to_string())
    }

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
