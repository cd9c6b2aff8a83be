//! Cluster mode: a SurrealDB server (`surreal start`, built from crates.io by
//! the `surreal-node` package) and two app processes sharing it over `ws://`.
//! Both nodes start at once on an empty database (so their migrations race),
//! a session made by signing in on node A works on node B, and an appraisal
//! written through A reaches a meeting display held open on B.
//!
//! The `surreal` binary is looked for beside this test's own build (target/
//! debug/surreal); when it is missing, the test builds it with cargo first
//! (~10 min once, then cached).
mod common;
use app::api::display::Standings;
use app::domain::auth::Role;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A child process killed when the test ends, however it ends.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn surreal_bin() -> PathBuf {
    if let Ok(p) = std::env::var("THIDUA_SURREAL_BIN") {
        return PathBuf::from(p);
    }
    // This test runs from target/<profile>/deps/; the binary sits in target/<profile>/.
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("surreal");
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo).args(["build", "-p", "surreal-node"]).status().expect("cargo runs");
        assert!(status.success(), "building the SurrealDB server (cargo build -p surreal-node) failed");
    }
    assert!(bin.exists(), "no SurrealDB server at {}", bin.display());
    bin
}

async fn wait_for_port(addr: SocketAddr, what: &str, child: &mut Proc) {
    let start = Instant::now();
    while TcpStream::connect(addr).await.is_err() {
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("{what} exited before listening: {status}");
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{what} did not listen on {addr} within 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One HTTP/1.1 request with `Connection: close`; returns status, head and body.
async fn http(addr: SocketAddr, method: &str, path: &str, cookie: &str, body: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
         Cookie: {cookie}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head[9..12].parse().unwrap(), head.to_string(), body.to_string())
}

/// A display's event stream read from a raw socket (chunked transfer decoded).
struct Feed {
    sock: TcpStream,
    raw: Vec<u8>,
    text: String,
}

impl Feed {
    async fn open(addr: SocketAddr, token: &str) -> Feed {
        let mut sock = TcpStream::connect(addr).await.unwrap();
        let req = format!("GET /api/display/live/{token} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n");
        sock.write_all(req.as_bytes()).await.unwrap();
        let mut feed = Feed { sock, raw: Vec::new(), text: String::new() };
        while !feed.raw.windows(4).any(|w| w == b"\r\n\r\n") {
            feed.read_more().await;
        }
        let end = feed.raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let head = String::from_utf8_lossy(&feed.raw[..end]).into_owned();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{head}");
        feed.raw.drain(..end);
        feed
    }

    async fn read_more(&mut self) {
        let mut buf = [0u8; 16384];
        let n = tokio::time::timeout(Duration::from_secs(20), self.sock.read(&mut buf)).await.expect("data within 20 s").unwrap();
        assert!(n > 0, "the display's stream closed");
        self.raw.extend_from_slice(&buf[..n]);
    }

    /// Moves whole chunks from `raw` to `text`.
    fn dechunk(&mut self) {
        while let Some(eol) = self.raw.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(std::str::from_utf8(&self.raw[..eol]).unwrap().trim(), 16).unwrap();
            if self.raw.len() < eol + 2 + size + 2 {
                return;
            }
            self.text.push_str(std::str::from_utf8(&self.raw[eol + 2..eol + 2 + size]).unwrap());
            self.raw.drain(..eol + 2 + size + 2);
        }
    }

    async fn board(&mut self) -> Standings {
        loop {
            self.dechunk();
            while let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                if block.lines().any(|l| l == "event: board") {
                    let data: String = block.lines().filter_map(|l| l.strip_prefix("data:")).map(str::trim_start).collect();
                    return serde_json::from_str(&data).unwrap();
                }
            }
            self.read_more().await;
        }
    }
}

fn total_of(s: &Standings, unit_name: &str) -> Option<f64> {
    s.clusters.iter().flat_map(|c| &c.units).find(|u| u.name == unit_name).map(|u| u.total)
}

#[tokio::test]
async fn two_app_nodes_share_one_surrealdb_server() {
    let bin = surreal_bin();
    let db_addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let mut surreal = Proc(
        Command::new(&bin)
            .args(["start", "--bind", &db_addr.to_string(), "--user", "root", "--pass", "cluster-test-root", "--log", "warn", "memory"])
            .stdout(Stdio::null())
            .spawn()
            .expect("surreal starts"),
    );
    wait_for_port(db_addr, "surreal", &mut surreal).await;

    // Two app nodes started together on the empty database: their migrations race.
    let site = tempfile::tempdir().unwrap();
    let node = |addr: SocketAddr| {
        Proc(
            Command::new(env!("CARGO_BIN_EXE_server"))
                .env("THIDUA_DB_URL", format!("ws://{db_addr}"))
                .env("THIDUA_DB_USER", "root")
                .env("THIDUA_DB_PASS", "cluster-test-root")
                .env("THIDUA_ADDR", addr.to_string())
                .env("THIDUA_SITE_ROOT", site.path())
                .env("RUST_LOG", "warn")
                .stdout(Stdio::null())
                .spawn()
                .expect("app node starts"),
        )
    };
    let a_addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let b_addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let (mut a, mut b) = (node(a_addr), node(b_addr));
    wait_for_port(a_addr, "app node A", &mut a).await;
    wait_for_port(b_addr, "app node B", &mut b).await;
    for addr in [a_addr, b_addr] {
        let (status, _, body) = http(addr, "GET", "/healthz", "", "").await;
        assert_eq!(status, 200, "{addr}: {body}");
    }

    // The district's data, written by a third client of the same database.
    let cfg = app::store::DbConfig {
        url: format!("ws://{db_addr}"),
        username: Some("root".into()),
        password: Some("cluster-test-root".into()),
        ..app::store::DbConfig::memory()
    };
    let db = app::store::connect(&cfg).await.expect("the test connects over ws://");
    assert_eq!(
        app::store::migrations::applied(&db).await.unwrap().len(),
        app::store::migrations::MIGRATIONS.len(),
        "each migration applied once"
    );
    server::demo::load(&db).await.unwrap();
    server::demo::activity::load(&db).await.unwrap();
    app::store::accounts::create(
        &db,
        app::store::accounts::NewAccount {
            username: "noivu".into(),
            display_name: "Phòng Nội vụ".into(),
            role: Role::DistrictOfficer,
            unit: "d611".into(),
            password: "mat-khau-cum-may".into(),
        },
        None,
    )
    .await
    .unwrap();
    let (_, token) = app::store::displays::create(&db, "Hội trường", "d611", None, None).await.unwrap();

    // The officer signs in on node A …
    let (status, head, body) = http(a_addr, "POST", "/api/auth/sign_in", "", "username=noivu&password=mat-khau-cum-may").await;
    assert_eq!(status, 200, "{body}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().starts_with("set-cookie: thidua_session=").then(|| l[12..].split(';').next().unwrap().to_string())
        })
        .expect("a session cookie");
    // … the session holds on node B too (sessions live in the database, not in a node) …
    let (status, _, me) = http(b_addr, "POST", "/api/auth/me", &cookie, "").await;
    assert_eq!(status, 200, "{me}");
    assert!(me.contains("noivu"), "{me}");

    // … and appraises, through A, a report of the month on screen down to 0 on one criterion.
    let movement = app::store::movements::current(&db).await.unwrap().unwrap();
    let period = app::store::review::period_now(&db, &movement, app::domain::date::vn_date(time::OffsetDateTime::now_utc())).await.unwrap();
    let mut r = db
        .query("SELECT record::id(id) AS id, record::id(unit) AS unit FROM submission WHERE kind = 'report' AND period = $p AND appraisal = NONE LIMIT 1")
        .bind(("p", period))
        .await
        .unwrap();
    let row: Vec<serde_json::Value> = r.take(0).unwrap();
    let (id, unit) = (row[0]["id"].as_str().unwrap().to_string(), row[0]["unit"].as_str().unwrap().to_string());
    let name = app::store::units::get(&db, &unit).await.unwrap().unwrap().name;

    // The display hangs on node B. B's feed may still be catching up with the
    // data just loaded: take its board once it shows the unit and has settled.
    let mut feed = Feed::open(b_addr, &token).await;
    let mut first = feed.board().await;
    let settle = Instant::now();
    loop {
        assert!(settle.elapsed() < Duration::from_secs(30), "node B's board never showed {name}");
        match tokio::time::timeout(Duration::from_millis(1500), feed.board()).await {
            Ok(next) => first = next,
            Err(_) if total_of(&first, &name).is_some() => break,
            Err(_) => {}
        }
    }
    let before = total_of(&first, &name).unwrap();
    let sent = Instant::now();
    let (status, _, body) = http(
        a_addr,
        "POST",
        "/api/review/appraise",
        &cookie,
        &format!("id={id}&area=chi-dao&points=0&reason=Kh%C3%B4ng+c%C3%B3+bi%C3%AAn+b%E1%BA%A3n"),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // The display on B moves without a reload.
    let after = feed.board().await;
    assert!(after.version > first.version);
    let now = total_of(&after, &name).unwrap();
    assert!(now < before, "{name}: {before} → {now}");
    println!("cluster mode: write on node A → display on node B in {} ms", sent.elapsed().as_millis());
}
