//! Sync through a hostile network and a crashing server. Phones
//! (the real phone-side rules, `LocalItem`, driven the way the sync engine
//! drives them) sync over real HTTP through a proxy that delays, cuts and
//! truncates requests and replies, duplicates requests, answers like a
//! captive portal, and SIGKILLs the server right after passing it a push,
//! before the reply; the server is restarted on the same SurrealKV
//! directory. At the end the network heals, every phone syncs, the server is
//! stopped and its store opened: every item is there exactly once, with what
//! the phone last typed.
//!
//! `THIDUA_FAULT_SESSIONS` (default 60) sets the number of sync sessions and
//! `THIDUA_FAULT_SEED` the seed; the long run in RELIABILITY.md is
//! `THIDUA_FAULT_SESSIONS=1000 cargo test -p app -p server --features app/ssr --test fault_sync -- --nocapture`.
mod common;
use app::domain::auth::Role;
use app::domain::report::{ReportBody, ScoreEntry};
use app::domain::sync::*;
use app::offline::item::{ItemState, LocalItem};
use common::report_id;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PHONES: usize = 4;

/// Orders the events of a run (pushes, answers, pulls, kills), so a failure
/// can print the item's history beside the kills.
static SEQ: AtomicUsize = AtomicUsize::new(0);
static KILLS_AT: Mutex<Vec<usize>> = Mutex::new(Vec::new());

fn seq() -> usize {
    SEQ.fetch_add(1, SeqCst)
}
const ITEMS: usize = 4;

/// A small seeded generator (xorshift64*), so a run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Fault {
    Pass,
    Delay,
    CutRequest,
    LostReply,
    TruncatedReply,
    Duplicate,
    CaptivePortal,
    KillMidPush,
}

struct Net {
    upstream: AtomicU16,
    faults_on: AtomicBool,
    rng: Mutex<Rng>,
    counts: Mutex<HashMap<Fault, usize>>,
    kill: tokio::sync::mpsc::UnboundedSender<()>,
    pushes: AtomicUsize,
}

impl Net {
    fn pick(&self, is_push: bool) -> Fault {
        if !self.faults_on.load(SeqCst) {
            return Fault::Pass;
        }
        // Every run kills the server at least once: the 8th push does, if
        // chance has not by then (which push draws a kill depends on how the
        // phones' requests interleave; ~5 % of runs drew none).
        if is_push && self.pushes.fetch_add(1, SeqCst) == 7 {
            let mut counts = self.counts.lock().unwrap();
            if !counts.contains_key(&Fault::KillMidPush) {
                *counts.entry(Fault::KillMidPush).or_default() += 1;
                return Fault::KillMidPush;
            }
        }
        let r = self.rng.lock().unwrap().below(100);
        let f = match r {
            0..=44 => Fault::Pass,
            45..=54 => Fault::Delay,
            55..=62 => Fault::CutRequest,
            63..=74 => Fault::LostReply,
            75..=81 => Fault::TruncatedReply,
            82..=90 => Fault::Duplicate,
            91..=94 => Fault::CaptivePortal,
            _ if is_push => Fault::KillMidPush,
            _ => Fault::Pass,
        };
        *self.counts.lock().unwrap().entry(f).or_default() += 1;
        f
    }
}

/// Reads one whole HTTP request (head and Content-Length body).
async fn read_request(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Some(buf);
            }
        }
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn upstream_round_trip(port: u16, req: &[u8]) -> Option<Vec<u8>> {
    let mut u = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    u.write_all(req).await.ok()?;
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), u.read_to_end(&mut out)).await.ok()?.ok()?;
    Some(out)
}

async fn proxy_conn(net: Arc<Net>, mut c: TcpStream) {
    let Some(req) = read_request(&mut c).await else { return };
    let is_push = req.starts_with(b"POST /api/sync/push");
    let port = net.upstream.load(SeqCst);
    match net.pick(is_push) {
        Fault::Pass => {
            if let Some(reply) = upstream_round_trip(port, &req).await {
                let _ = c.write_all(&reply).await;
            }
        }
        Fault::Delay => {
            let ms = net.rng.lock().unwrap().below(200);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            if let Some(reply) = upstream_round_trip(port, &req).await {
                let _ = c.write_all(&reply).await;
            }
        }
        Fault::CutRequest => {
            // Half the request reaches the server, then both sides are dropped.
            if let Ok(mut u) = TcpStream::connect(("127.0.0.1", port)).await {
                let _ = u.write_all(&req[..req.len() / 2]).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        Fault::LostReply => {
            let _ = upstream_round_trip(port, &req).await;
        }
        Fault::TruncatedReply => {
            if let Some(reply) = upstream_round_trip(port, &req).await {
                let _ = c.write_all(&reply[..reply.len() * 2 / 3]).await;
            }
        }
        Fault::Duplicate => {
            let _ = upstream_round_trip(port, &req).await;
            if let Some(reply) = upstream_round_trip(port, &req).await {
                let _ = c.write_all(&reply).await;
            }
        }
        Fault::CaptivePortal => {
            let page = "<html><body>Đăng nhập Wi-Fi miễn phí</body></html>";
            let _ = c
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                        page.len()
                    )
                    .as_bytes(),
                )
                .await;
        }
        Fault::KillMidPush => {
            // The push reaches the server whole; the server dies before (or
            // while) answering: it may or may not have committed.
            if let Ok(mut u) = TcpStream::connect(("127.0.0.1", port)).await {
                let _ = u.write_all(&req).await;
                let ms = net.rng.lock().unwrap().below(30);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                KILLS_AT.lock().unwrap().push(seq());
                let _ = net.kill.send(());
                let mut sink = Vec::new();
                let _ = tokio::time::timeout(Duration::from_secs(5), u.read_to_end(&mut sink)).await;
            }
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn spawn_server(dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .env("THIDUA_DB_URL", format!("surrealkv://{}", dir.join("db").display()))
        .env("THIDUA_ADDR", format!("127.0.0.1:{port}"))
        .env("THIDUA_SITE_ROOT", dir.join("site"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(if std::env::var("THIDUA_FAULT_SHOW").is_ok() { Stdio::inherit() } else { Stdio::null() })
        .spawn()
        .expect("server starts")
}

async fn healthy(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)).await else { return false };
    let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    buf.starts_with(b"HTTP/1.1 200")
}

async fn wait_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !healthy(port).await {
        assert!(Instant::now() < deadline, "server did not come back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One phone: its unit, its session, its items as the sync engine keeps them.
struct Phone {
    unit: String,
    cookie: String,
    device: String,
    periods: Vec<String>,
    items: HashMap<String, LocalItem>,
    cursor: String,
    /// (id, content hash, text) of every revision sent.
    sent: Vec<(String, String, String)>,
    /// The ledger: every text the person typed, per item, in order.
    typed: Vec<(String, String)>,
    /// (id, text) of every revision the server gave a receipt for.
    receipted: Vec<(String, String)>,
    edits: usize,
    /// (order, item, what happened) for every push, answer and pull.
    history: Vec<(usize, String, String)>,
}

enum Failure {
    Transport(String),
}

fn text_of(body: &ItemBody) -> String {
    match body {
        ItemBody::Report(r) => r.achievements.clone(),
        _ => String::new(),
    }
}

impl Phone {
    async fn post<T: serde::de::DeserializeOwned>(&self, proxy: SocketAddr, path: &str, body: String) -> Result<T, Failure> {
        let fail = |m: String| Failure::Transport(m);
        let mut s = TcpStream::connect(proxy).await.map_err(|e| fail(e.to_string()))?;
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {proxy}\r\nContent-Type: application/json\r\nAccept: application/json\r\nCookie: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.cookie,
            body.len()
        );
        s.write_all(req.as_bytes()).await.map_err(|e| fail(e.to_string()))?;
        let mut out = Vec::new();
        match tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await {
            Ok(Ok(_)) => {}
            _ => return Err(fail("no reply".into())),
        }
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| fail("no head".into()))?;
        let head = head.to_ascii_lowercase();
        // The engine's rule: only a 200 with a JSON body is an answer.
        if !head.starts_with("http/1.1 200") || !head.contains("content-type: application/json") {
            return Err(fail(head.lines().next().unwrap_or_default().to_string()));
        }
        serde_json::from_str(body).map_err(|e| fail(format!("bad reply: {e}")))
    }

    fn edit(&mut self, rng: &mut Rng) {
        self.edits += 1;
        let k = rng.below(ITEMS as u64) as usize;
        let text = format!("{}: lần sửa {}", self.device, self.edits);
        let body = ItemBody::Report(ReportBody {
            files: Vec::new(),
            unit: self.unit.clone(),
            period: self.periods[k].clone(),
            scores: vec![ScoreEntry { area: "chi-dao".into(), points: Some(10.0), evidence: "Nghị quyết 12/NQ-ĐU".into() }],
            indicators: vec![],
            achievements: text,
            movement: None,
            copied: Vec::new(),
        });
        let id = report_id(&self.unit, &self.periods[k]);
        self.typed.push((id.clone(), text_of(&body)));
        let i = self.items.entry(id.clone()).or_insert_with(|| LocalItem::new(id, body.clone()));
        i.edit(body);
        i.submit();
    }

    /// One exchange as the engine runs it: pull, then push what waits.
    async fn exchange(&mut self, proxy: SocketAddr) -> Result<(), Failure> {
        let pulled: PullReply = self.post(proxy, "/api/sync/pull", serde_json::json!({ "since": self.cursor }).to_string()).await?;
        for s in pulled.items {
            self.history.push((seq(), s.id.clone(), format!("pulled r{}", s.revision)));
            if let Some(n) = LocalItem::merge_pulled(self.items.get(&s.id).cloned(), s) {
                self.items.insert(n.id.clone(), n);
            }
        }
        self.cursor = pulled.cursor;
        loop {
            let mut batch: Vec<&mut LocalItem> = self.items.values_mut().filter(|i| i.pending()).collect();
            if batch.is_empty() {
                return Ok(());
            }
            let mut items = Vec::new();
            for i in batch.iter_mut() {
                i.in_doubt = true;
                items.push(i.push_item());
            }
            for it in &items {
                self.history.push((seq(), it.id.clone(), format!("push r{} base {}", it.revision, it.base)));
                let text = text_of(&it.body);
                self.sent.push((it.id.clone(), app::store::submissions::content_hash(it), text));
            }
            let push = PushBatch { protocol: PROTOCOL.into(), device: self.device.clone(), items };
            let reply: PushReply = match self.post(proxy, "/api/sync/push", serde_json::json!({ "batch": push }).to_string()).await {
                Ok(r) => r,
                Err(Failure::Transport(m)) => {
                    let at = seq();
                    for it in &push.items {
                        self.history.push((at, it.id.clone(), format!("no answer to r{}: {m}", it.revision)));
                    }
                    return Err(Failure::Transport(m));
                }
            };
            if !reply.answers(&push) {
                return Err(Failure::Transport("reply does not answer the push".into()));
            }
            for (ack, it) in reply.acks.iter().zip(&push.items) {
                let at = seq();
                if !matches!(ack.outcome, Outcome::Stored { .. }) {
                    for (n, id, what) in self.history.iter().filter(|h| h.1 == ack.id) {
                        eprintln!("{} {n}: {id} {what}", self.device);
                    }
                    eprintln!("kills at {:?}; this answer at {at}", KILLS_AT.lock().unwrap());
                    panic!("{}: {ack:?}", self.device);
                }
                self.history.push((at, ack.id.clone(), format!("stored r{}", ack.revision)));
                self.receipted.push((ack.id.clone(), text_of(&it.body)));
                if let Some(i) = self.items.get_mut(&ack.id) {
                    i.acknowledge(ack);
                }
            }
        }
    }

    /// Syncs until nothing waits; returns the number of attempts.
    async fn sync_until_done(&mut self, proxy: SocketAddr, rng: &mut Rng) -> usize {
        let mut last = String::new();
        for attempt in 1..=400 {
            match self.exchange(proxy).await {
                Ok(()) if self.items.values().all(|i| !i.pending()) => return attempt,
                Ok(()) => {}
                Err(Failure::Transport(m)) => {
                    last = m;
                    // The engine's backoff, shortened for the test.
                    tokio::time::sleep(Duration::from_millis(20 + rng.below(80))).await;
                }
            }
        }
        panic!("{}: still waiting after 400 attempts (last: {last})", self.device);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_through_faults_and_crashes_loses_and_duplicates_nothing() {
    let sessions: usize = std::env::var("THIDUA_FAULT_SESSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let seed: u64 = std::env::var("THIDUA_FAULT_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(2021);
    let dir = tempfile::tempdir().unwrap();

    // The store: demo catalogue and movement, one reporter per phone.
    let mut phones = Vec::new();
    {
        let db = common::kv_db(&dir.path().join("db")).await;
        server::demo::load(&db).await.unwrap();
        common::province_wide(&db).await;
        let communes: Vec<String> = app::store::units::commune_ids(&db, "p62").await.unwrap().into_iter().take(PHONES).collect();
        for (k, unit) in communes.into_iter().enumerate() {
            let cookie = common::session_cookie(&db, &format!("dienthoai{k}"), Role::UnitReporter, &unit).await;
            let form = app::store::submissions::form_for(&db, &unit).await.unwrap().unwrap();
            let periods = form.periods.iter().take(ITEMS).map(|p| p.code.clone()).collect();
            phones.push(Phone {
                unit,
                cookie,
                device: format!("may-{k}"),
                periods,
                items: HashMap::new(),
                cursor: String::new(),
                sent: Vec::new(),
                typed: Vec::new(),
                receipted: Vec::new(),
                edits: 0,
                history: Vec::new(),
            });
        }
    }
    // The store closes in the background once dropped; until then its lock
    // keeps the server out: start it again until it stays up.
    let port = free_port();
    let mut child = spawn_server(dir.path(), port);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !healthy(port).await {
        if child.try_wait().unwrap().is_some() {
            assert!(Instant::now() < deadline, "the server never got the store");
            tokio::time::sleep(Duration::from_millis(500)).await;
            child = spawn_server(dir.path(), port);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let server = Arc::new(Mutex::new(child));

    let (kill_tx, mut kill_rx) = tokio::sync::mpsc::unbounded_channel();
    let net = Arc::new(Net {
        upstream: AtomicU16::new(port),
        faults_on: AtomicBool::new(true),
        rng: Mutex::new(Rng(seed | 1)),
        counts: Mutex::new(HashMap::new()),
        kill: kill_tx,
        pushes: AtomicUsize::new(0),
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = listener.local_addr().unwrap();
    let n2 = net.clone();
    tokio::spawn(async move {
        while let Ok((c, _)) = listener.accept().await {
            tokio::spawn(proxy_conn(n2.clone(), c));
        }
    });

    // The supervisor: SIGKILL on request, restart on the same directory.
    let kills = Arc::new(AtomicUsize::new(0));
    let (sv, k2, n3, d) = (server.clone(), kills.clone(), net.clone(), dir.path().to_path_buf());
    tokio::spawn(async move {
        while kill_rx.recv().await.is_some() {
            {
                let mut child = sv.lock().unwrap();
                let _ = child.kill(); // SIGKILL
                let _ = child.wait();
            }
            k2.fetch_add(1, SeqCst);
            let port = free_port();
            *sv.lock().unwrap() = spawn_server(&d, port);
            wait_healthy(port).await;
            n3.upstream.store(port, SeqCst);
            while kill_rx.try_recv().is_ok() {}
        }
    });

    // Phones run at once, each session a few edits and a sync to the end.
    let done = Arc::new(AtomicUsize::new(0));
    let attempts = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (k, mut phone) in phones.into_iter().enumerate() {
        let (done, attempts) = (done.clone(), attempts.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng((seed ^ (k as u64 + 1).wrapping_mul(0x9E3779B97F4A7C15)) | 1);
            while done.fetch_add(1, SeqCst) < sessions {
                for _ in 0..=rng.below(3) {
                    phone.edit(&mut rng);
                }
                attempts.fetch_add(phone.sync_until_done(proxy, &mut rng).await, SeqCst);
            }
            phone
        }));
    }
    let mut phones = Vec::new();
    for t in tasks {
        phones.push(t.await.unwrap());
    }

    // The network heals; one last sync each, then a clean stop.
    net.faults_on.store(false, SeqCst);
    let mut rng = Rng(seed);
    for p in phones.iter_mut() {
        p.sync_until_done(proxy, &mut rng).await;
    }
    {
        let child = server.lock().unwrap();
        Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    }
    assert!(server.lock().unwrap().wait().unwrap().success(), "a clean stop");

    let db = common::kv_db(&dir.path().join("db")).await;
    let (mut lost, mut duplicated, mut items) = (0, 0, 0);
    for p in &phones {
        let mut r = db
            .query(
                "SELECT record::id(id) AS id, revision, body.achievements AS text FROM submission WHERE unit = type::record('unit', $u);
                 SELECT sub, revision, hash, count() AS n FROM submission_rev WHERE string::starts_with(sub, $p) GROUP BY sub, revision, hash;
                 SELECT VALUE [subject, after.achievements] FROM audit WHERE action = 'report.submit' AND string::starts_with(subject, 'submission:' + $p);",
            )
            .bind(("u", p.unit.clone()))
            // Every report id of the unit begins so (its id for no period).
            .bind(("p", report_id(&p.unit, "")))
            .await
            .unwrap();
        let stored: Vec<serde_json::Value> = r.take(0).unwrap();
        let revs: Vec<serde_json::Value> = r.take(1).unwrap();
        let history: Vec<(String, String)> = r.take(2).unwrap();
        let in_history = |id: &str, text: &str| history.iter().any(|(s, t)| s.strip_prefix("submission:") == Some(id) && t == text);
        // The ledger: a receipt means the text is in the item's history; a
        // typed text is in it too, or the person typed over it later.
        for (id, text) in &p.receipted {
            if !in_history(id, text) {
                lost += 1;
                eprintln!("{}: {id} got a receipt for {text:?}, which the server does not hold", p.device);
            }
        }
        for (k, (id, text)) in p.typed.iter().enumerate() {
            let typed_over = p.typed[k + 1..].iter().any(|(later, _)| later == id);
            if !typed_over && !in_history(id, text) {
                lost += 1;
                eprintln!("{}: {id}: {text:?} was typed and never stored", p.device);
            }
        }
        // The same edit stored twice under two revisions is a duplicate too.
        let mut texts = std::collections::HashSet::new();
        for v in &revs {
            let text = p.sent.iter().find(|s| v["hash"] == s.1.as_str()).map(|s| (s.0.clone(), s.2.clone()));
            if let Some(t) = text {
                if !texts.insert(t.clone()) {
                    duplicated += 1;
                    eprintln!("{}: {:?} stored under two revisions", p.device, t);
                }
            }
        }
        assert_eq!(stored.len(), p.items.len(), "{}: one stored item per item on the phone", p.device);
        for i in p.items.values() {
            items += 1;
            assert_eq!(i.state, ItemState::Synced, "{}: {}", p.device, i.id);
            let text = text_of(&i.body);
            match stored.iter().find(|s| s["id"] == i.id.as_str()) {
                Some(s) if s["text"] == text.as_str() && s["revision"].as_u64() == Some(i.revision as u64) => {}
                other => {
                    lost += 1;
                    eprintln!("{}: {} holds r{} {text:?}, the server {other:?}", p.device, i.id, i.revision);
                }
            }
        }
        let mut keys = std::collections::HashSet::new();
        for v in &revs {
            let dup = v["n"].as_u64() != Some(1) || !keys.insert((v["sub"].to_string(), v["revision"].to_string()));
            if dup {
                duplicated += 1;
                eprintln!("{}: revision stored more than once: {v}", p.device);
            }
            assert!(p.sent.iter().any(|s| v["hash"] == s.1.as_str()), "a stored revision the phone never sent: {v}");
        }
    }
    let counts = net.counts.lock().unwrap().clone();
    let mut faults: Vec<_> = counts.iter().filter(|(f, _)| **f != Fault::Pass).map(|(f, n)| format!("{f:?} {n}")).collect();
    faults.sort();
    println!(
        "fault sync: {sessions} sessions (seed {seed}), {} attempts, {} requests faulted ({}), {} server kills mid-push; {items} items: {lost} lost, {duplicated} duplicated",
        attempts.load(SeqCst),
        counts.iter().filter(|(f, _)| **f != Fault::Pass).map(|(_, n)| n).sum::<usize>(),
        faults.join(", "),
        kills.load(SeqCst)
    );
    assert_eq!((lost, duplicated), (0, 0));
    assert!(kills.load(SeqCst) > 0 || sessions < 20, "the run killed the server at least once");
}
