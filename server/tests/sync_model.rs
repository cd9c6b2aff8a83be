//! A model-based test of the sync protocol. Random sequences of
//! edits on two phones of one unit, pushes whose request or reply is lost,
//! duplicated or delayed past later pushes, pulls, and conflict choices run
//! against the real push and pull endpoints and the real phone-side rules
//! (`app::offline::item::LocalItem`, as the sync engine uses them). After
//! every sequence the network settles and the phones sync until nothing waits;
//! then:
//! - every stored revision is stored once, and is one some phone sent;
//! - a replayed push gets the answer the first one got;
//! - what each phone last typed reached the server (unless the person chose
//!   the server's copy in a conflict);
//! - every phone holds the server's copy of every item.
//!
//! `THIDUA_MODEL_CASES` sets the number of sequences (default 24, seeded, so
//! CI is repeatable); `THIDUA_MODEL_SEED` picks another seed.
mod common;
use app::domain::auth::Role;
use app::domain::report::{ReportBody, ScoreEntry};
use app::domain::sync::*;
use app::offline::item::{ItemState, LocalItem};
use axum::body::Body;
use axum::http::{header, Request};
use common::report_id;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::HashMap;
use tower::ServiceExt;

const PHONES: usize = 2;
const ITEMS: usize = 3;

#[derive(Clone, Copy, Debug)]
enum Fate {
    Delivered,
    LostRequest,
    LostReply,
    Duplicated,
    Delayed,
}

#[derive(Clone, Debug)]
enum Op {
    Edit { phone: usize, item: usize },
    Push { phone: usize, fate: Fate },
    DeliverDelayed { k: usize },
    Pull { phone: usize },
    Resolve { phone: usize, item: usize, keep_mine: bool },
}

fn op() -> impl Strategy<Value = Op> {
    let fate = prop_oneof![
        3 => Just(Fate::Delivered),
        1 => Just(Fate::LostRequest),
        2 => Just(Fate::LostReply),
        1 => Just(Fate::Duplicated),
        2 => Just(Fate::Delayed),
    ];
    prop_oneof![
        4 => (0..PHONES, 0..ITEMS).prop_map(|(phone, item)| Op::Edit { phone, item }),
        4 => (0..PHONES, fate).prop_map(|(phone, fate)| Op::Push { phone, fate }),
        1 => (0..8usize).prop_map(|k| Op::DeliverDelayed { k }),
        2 => (0..PHONES).prop_map(|phone| Op::Pull { phone }),
        1 => (0..PHONES, 0..ITEMS, any::<bool>()).prop_map(|(phone, item, keep_mine)| Op::Resolve { phone, item, keep_mine }),
    ]
}

struct Phone {
    cookie: String,
    device: String,
    items: HashMap<String, LocalItem>,
    cursor: String,
    /// What the person last typed per item; None once they chose the server's copy.
    typed: HashMap<String, Option<String>>,
    /// The ledger: every text the person typed, per item, in order.
    ledger: Vec<(String, String)>,
    /// Texts the person gave up for the server's copy in a conflict.
    chosen_away: Vec<(String, String)>,
    /// (id, text) of every revision the server gave a receipt for.
    receipted: Vec<(String, String)>,
}

struct World {
    app: axum::Router,
    db: app::store::Db,
    unit: String,
    ids: Vec<String>,
    periods: Vec<String>,
    phones: Vec<Phone>,
    /// Pushes held by the network: (phone, body).
    delayed: Vec<(usize, String)>,
    /// Every (device, content hash) a phone sent, and the text it carried.
    sent: Vec<(String, String, String, String)>,
    edits: usize,
}

impl World {
    async fn post(&self, cookie: &str, path: &str, body: String) -> (u16, String) {
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status().as_u16();
        let b = axum::body::to_bytes(res.into_body(), 1 << 22).await.unwrap();
        (status, String::from_utf8_lossy(&b).into_owned())
    }

    fn body(&self, item: usize, text: &str) -> ItemBody {
        ItemBody::Report(ReportBody {
            files: Vec::new(),
            unit: self.unit.clone(),
            period: self.periods[item].clone(),
            scores: vec![ScoreEntry { area: "chi-dao".into(), points: Some(10.0), evidence: "Nghị quyết 12/NQ-ĐU".into() }],
            indicators: vec![],
            achievements: text.into(),
            movement: None,
            copied: Vec::new(),
        })
    }

    fn text_of(body: &ItemBody) -> String {
        match body {
            ItemBody::Report(r) => r.achievements.clone(),
            _ => String::new(),
        }
    }

    fn edit(&mut self, phone: usize, item: usize) {
        self.edits += 1;
        let text = format!("Nội dung của {}, lần sửa {}", self.phones[phone].device, self.edits);
        let body = self.body(item, &text);
        let id = self.ids[item].clone();
        let p = &mut self.phones[phone];
        let i = p.items.entry(id.clone()).or_insert_with(|| LocalItem::new(id.clone(), body.clone()));
        if !i.editable() {
            return;
        }
        i.edit(body);
        i.submit();
        p.ledger.push((id.clone(), text.clone()));
        p.typed.insert(id, Some(text));
    }

    /// What the sync engine sends: every waiting item, each marked in doubt first.
    fn outgoing(&mut self, phone: usize) -> Option<String> {
        let p = &mut self.phones[phone];
        let mut items: Vec<&mut LocalItem> = p.items.values_mut().filter(|i| i.pending()).collect();
        if items.is_empty() {
            return None;
        }
        items.sort_by(|a, b| a.id.cmp(&b.id));
        let mut push = Vec::new();
        for i in items {
            i.in_doubt = true;
            push.push(i.push_item());
        }
        for it in &push {
            let hash = app::store::submissions::content_hash(it);
            self.sent.push((p.device.clone(), it.id.clone(), hash, World::text_of(&it.body)));
        }
        let batch = PushBatch { protocol: PROTOCOL.into(), device: p.device.clone(), items: push };
        Some(serde_json::json!({ "batch": batch }).to_string())
    }

    async fn deliver(&self, phone: usize, body: &str) -> PushReply {
        let (status, text) = self.post(&self.phones[phone].cookie, "/api/sync/push", body.to_string()).await;
        assert_eq!(status, 200, "{text}");
        let reply: PushReply = serde_json::from_str(&text).unwrap();
        let batch: serde_json::Value = serde_json::from_str(body).unwrap();
        let batch: PushBatch = serde_json::from_value(batch["batch"].clone()).unwrap();
        assert!(reply.answers(&batch), "{text}");
        reply
    }

    fn receive(&mut self, phone: usize, reply: &PushReply, body: &str) {
        let batch: serde_json::Value = serde_json::from_str(body).unwrap();
        let batch: PushBatch = serde_json::from_value(batch["batch"].clone()).unwrap();
        let p = &mut self.phones[phone];
        for (ack, it) in reply.acks.iter().zip(&batch.items) {
            if matches!(ack.outcome, Outcome::Stored { .. }) {
                p.receipted.push((ack.id.clone(), World::text_of(&it.body)));
            }
        }
        for ack in &reply.acks {
            if let Some(i) = p.items.get_mut(&ack.id) {
                i.acknowledge(ack);
                assert!(!matches!(ack.outcome, Outcome::Invalid { .. } | Outcome::Denied { .. }), "a valid item was refused: {ack:?}");
            }
        }
    }

    async fn push(&mut self, phone: usize, fate: Fate) {
        let Some(body) = self.outgoing(phone) else { return };
        match fate {
            Fate::Delivered => {
                let r = self.deliver(phone, &body).await;
                self.receive(phone, &r, &body);
            }
            Fate::LostRequest => {}
            Fate::LostReply => {
                self.deliver(phone, &body).await;
            }
            Fate::Duplicated => {
                let first = self.deliver(phone, &body).await;
                let again = self.deliver(phone, &body).await;
                assert_eq!(first.acks, again.acks, "a replayed push gets the first answer");
                self.receive(phone, &again, &body);
            }
            Fate::Delayed => self.delayed.push((phone, body)),
        }
    }

    async fn deliver_delayed(&mut self, k: usize) {
        if self.delayed.is_empty() {
            return;
        }
        let (phone, body) = self.delayed.remove(k % self.delayed.len());
        let r = self.deliver(phone, &body).await;
        self.receive(phone, &r, &body);
    }

    async fn pull(&mut self, phone: usize) {
        let since = self.phones[phone].cursor.clone();
        let (status, text) =
            self.post(&self.phones[phone].cookie, "/api/sync/pull", serde_json::json!({ "since": since }).to_string()).await;
        assert_eq!(status, 200, "{text}");
        let reply: PullReply = serde_json::from_str(&text).unwrap();
        let p = &mut self.phones[phone];
        for s in reply.items {
            let local = p.items.get(&s.id).cloned();
            if let Some(n) = LocalItem::merge_pulled(local, s) {
                p.items.insert(n.id.clone(), n);
            }
        }
        p.cursor = reply.cursor;
    }

    fn resolve(&mut self, phone: usize, item: usize, keep_mine: bool) {
        let id = &self.ids[item];
        let p = &mut self.phones[phone];
        if let Some(i) = p.items.get_mut(id).filter(|i| i.state == ItemState::Conflict) {
            if keep_mine {
                i.keep_mine();
            } else {
                p.chosen_away.push((id.clone(), World::text_of(&i.body)));
                i.take_theirs();
                p.typed.insert(id.clone(), None);
            }
        }
    }

    async fn run(&mut self, op: &Op) {
        match *op {
            Op::Edit { phone, item } => self.edit(phone, item),
            Op::Push { phone, fate } => self.push(phone, fate).await,
            Op::DeliverDelayed { k } => self.deliver_delayed(k).await,
            Op::Pull { phone } => self.pull(phone).await,
            Op::Resolve { phone, item, keep_mine } => self.resolve(phone, item, keep_mine),
        }
    }

    /// The network heals; phones sync (keeping their own copy in conflicts) until nothing waits.
    async fn settle(&mut self) {
        while !self.delayed.is_empty() {
            self.deliver_delayed(0).await;
        }
        for _round in 0..10 {
            for phone in 0..PHONES {
                self.pull(phone).await;
                for item in 0..ITEMS {
                    self.resolve(phone, item, true);
                }
                self.push(phone, Fate::Delivered).await;
            }
            let open =
                self.phones.iter().flat_map(|p| p.items.values()).any(|i| i.pending() || i.state == ItemState::Conflict || i.in_doubt);
            if !open {
                break;
            }
        }
        for phone in 0..PHONES {
            self.pull(phone).await;
        }
    }

    async fn check(&self) {
        // Exactly once: one stored revision row per (item, revision).
        let mut r = self
            .db
            .query("SELECT sub, revision, device, hash FROM submission_rev WHERE sub IN $ids")
            .bind(("ids", self.ids.clone()))
            .await
            .unwrap();
        let revs: Vec<serde_json::Value> = r.take(0).unwrap();
        let mut seen = std::collections::HashSet::new();
        for v in &revs {
            let key = (v["sub"].as_str().unwrap().to_string(), v["revision"].as_u64().unwrap());
            assert!(seen.insert(key.clone()), "revision stored twice: {key:?}");
            let (dev, hash) = (v["device"].as_str().unwrap(), v["hash"].as_str().unwrap());
            assert!(self.sent.iter().any(|s| s.0 == dev && s.2 == hash), "a stored revision no phone sent: {v}");
        }
        // The ledger: every receipt is in the item's history (the audit
        // log's record of each stored revision); every typed text is too,
        // unless the person typed over it later or chose the server's copy.
        let mut r = self
            .db
            .query(
                "SELECT VALUE [subject, after.achievements] FROM audit WHERE action = 'report.submit' AND string::starts_with(subject, $p)",
            )
            .bind(("p", format!("submission:{}", report_id(&self.unit, ""))))
            .await
            .unwrap();
        let history: Vec<(String, String)> = r.take(0).unwrap();
        let in_history = |id: &str, text: &str| history.iter().any(|(s, t)| s.strip_prefix("submission:") == Some(id) && t == text);
        for p in &self.phones {
            for (id, text) in &p.receipted {
                assert!(in_history(id, text), "{}: {id} got a receipt for {text:?}, which the server does not hold", p.device);
            }
            for (k, (id, text)) in p.ledger.iter().enumerate() {
                let typed_over = p.ledger[k + 1..].iter().any(|(later, _)| later == id);
                let given_up = p.chosen_away.iter().any(|(c, t)| c == id && t == text);
                assert!(typed_over || given_up || in_history(id, text), "{}: {id}: {text:?} was typed and never stored", p.device);
            }
        }
        // The same edit stored under two revisions is a duplicate too.
        let mut texts = std::collections::HashSet::new();
        for v in &revs {
            if let Some(s) = self.sent.iter().find(|s| v["hash"] == s.2.as_str()) {
                assert!(texts.insert((s.1.clone(), s.3.clone())), "{:?} stored under two revisions", (&s.1, &s.3));
            }
        }
        // Nothing lost: each phone's last typed text reached the server.
        for p in &self.phones {
            for (id, typed) in &p.typed {
                let Some(text) = typed else { continue };
                let reached = self
                    .sent
                    .iter()
                    .filter(|s| s.0 == p.device && &s.1 == id && &s.3 == text)
                    .any(|s| revs.iter().any(|v| v["hash"] == s.2.as_str()));
                assert!(reached, "{}: what the person last typed on {id} never reached the server: {text}", p.device);
            }
        }
        // Converged: every phone holds the server's copy, nothing waits.
        let mut r = self
            .db
            .query("SELECT record::id(id) AS id, revision, body.achievements AS text FROM submission WHERE record::id(id) IN $ids")
            .bind(("ids", self.ids.clone()))
            .await
            .unwrap();
        let stored: Vec<serde_json::Value> = r.take(0).unwrap();
        for p in &self.phones {
            for i in p.items.values() {
                assert!(!i.pending() && i.state != ItemState::Conflict, "{}: {} still {:?}", p.device, i.id, i.state);
                let s = stored.iter().find(|s| s["id"] == i.id.as_str()).unwrap_or_else(|| panic!("{} is not on the server", i.id));
                assert_eq!(
                    (i.revision as u64, World::text_of(&i.body)),
                    (s["revision"].as_u64().unwrap(), s["text"].as_str().unwrap().to_string()),
                    "{}: {}",
                    p.device,
                    i.id
                );
            }
        }
    }
}

#[test]
fn random_sync_sessions_lose_and_duplicate_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (db, app, units) = rt.block_on(async {
        let db = common::mem_db().await;
        server::demo::load(&db).await.unwrap();
        common::province_wide(&db).await;
        let site = tempfile::tempdir().unwrap();
        let app = server::router(db.clone(), server::leptos_options(site.path()));
        let units: Vec<String> = app::store::units::commune_ids(&db, "p62").await.unwrap();
        (db, app, units)
    });
    let cases: u32 = std::env::var("THIDUA_MODEL_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let seed: u64 = std::env::var("THIDUA_MODEL_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(2021);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config { cases, failure_persistence: None, ..Config::default() },
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let next = std::cell::Cell::new(0usize);
    let sessions = std::cell::Cell::new(0usize);
    let result = runner.run(&proptest::collection::vec(op(), 5..40), |ops| {
        // Each sequence gets a unit of its own (and fresh phones), on one database.
        let n = next.get();
        next.set(n + 1);
        let unit = units[n % units.len()].clone();
        rt.block_on(async {
            // A unit reused after the catalogue wraps: start it clean.
            db.query("DELETE submission WHERE unit = type::record('unit', $u); DELETE submission_rev WHERE string::starts_with(sub, $p)")
                .bind(("u", unit.clone()))
                .bind(("p", report_id(&unit, "")))
                .await
                .unwrap();
            let form = app::store::submissions::form_for(&db, &unit).await.unwrap().expect("a form for the unit");
            let periods: Vec<String> = form.periods.iter().take(ITEMS).map(|p| p.code.clone()).collect();
            let mut phones = Vec::new();
            for k in 0..PHONES {
                let username = format!("m{n}p{k}");
                let cookie = common::session_cookie(&db, &username, Role::UnitReporter, &unit).await;
                phones.push(Phone {
                    cookie,
                    device: format!("may-{n}-{k}"),
                    items: HashMap::new(),
                    cursor: String::new(),
                    typed: HashMap::new(),
                    ledger: Vec::new(),
                    chosen_away: Vec::new(),
                    receipted: Vec::new(),
                });
            }
            let mut w = World {
                app: app.clone(),
                db: db.clone(),
                ids: periods.iter().map(|p| report_id(&unit, p)).collect(),
                unit: unit.clone(),
                periods,
                phones,
                delayed: Vec::new(),
                sent: Vec::new(),
                edits: 0,
            };
            for op in &ops {
                w.run(op).await;
            }
            w.settle().await;
            w.check().await;
        });
        sessions.set(sessions.get() + 1);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    println!("sync model: {} sequences (seed {seed}), 0 lost, 0 duplicated", sessions.get());
}
