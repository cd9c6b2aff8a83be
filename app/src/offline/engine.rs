//! The sync engine (SPEC §8). It runs in the page: at start, when the
//! network comes back, when the page becomes visible, and on an interval,
//! with exponential backoff and jitter after a failure. One tab syncs at a
//! time (a Web Lock); the others reload what it wrote when told on the tab
//! channel. Every change is in IndexedDB before it is shown as done.

use super::item::{ItemState, LocalItem};
use super::local;
use crate::domain::report::ReportForm;
use crate::domain::sync::{PullReply, PushBatch, PushReply, BATCH_MAX, PROTOCOL};
use crate::domain::{AppError, ErrorKind};
use leptos::prelude::*;
use std::cell::Cell;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    pub online: bool,
    pub syncing: bool,
    /// Server time of the last successful exchange.
    pub last_sync: Option<String>,
    /// The session ended: sign in again; the queue is kept.
    pub needs_sign_in: bool,
    pub problem: Option<String>,
    /// Why the server would not take an evidence file (its item waits).
    pub file_problem: Option<String>,
}

/// The phone's offline state, shared by every page.
#[derive(Clone, Copy)]
pub struct Offline {
    pub status: RwSignal<SyncStatus>,
    pub items: RwSignal<Vec<LocalItem>>,
    /// The form of what names no movement (nominations, difficulties):
    /// `domain::sync::default_form` of `forms`.
    pub form: RwSignal<Option<ReportForm>>,
    /// One report form per movement the unit files for, the newest first.
    pub forms: RwSignal<Vec<ReportForm>>,
    /// IndexedDB has been read.
    pub ready: RwSignal<bool>,
    /// Evidence files the server has whole (their hashes).
    pub sent_files: RwSignal<Vec<String>>,
    /// The file being uploaded: its name, bytes the server holds, its size.
    pub upload: RwSignal<Option<(String, u64, u64)>>,
}

impl Offline {
    /// The form of movement `code`, else the newest.
    pub fn form_of(&self, code: Option<&str>) -> Option<ReportForm> {
        self.forms.with(|fs| fs.iter().find(|f| Some(f.movement.as_str()) == code).or(fs.first()).cloned())
    }

    /// Who runs the movement an item is filed in, by its unit's name
    /// ("Huyện Ngọc Hồi"), for "… trả lại": the default form's for an item
    /// that names none; none when the form does not say (an older server).
    pub fn organiser_of(&self, code: Option<&str>) -> Option<String> {
        self.forms.with(|fs| {
            let f = match code {
                Some(m) => fs.iter().find(|f| f.movement == m),
                None => crate::domain::sync::default_form(fs),
            };
            f.map(|f| f.organiser_name.clone()).filter(|n| !n.is_empty())
        })
    }

    fn set_forms(&self, forms: Vec<ReportForm>) {
        self.form.set(crate::domain::sync::default_form(&forms).cloned());
        self.forms.set(forms);
    }

    pub fn waiting(&self) -> usize {
        self.items.with(|i| i.iter().filter(|i| i.pending()).count())
    }

    /// The files of waiting items the server does not have yet, each once.
    pub fn files_to_send(&self) -> Vec<crate::domain::attachment::FileRef> {
        let sent = self.sent_files.get();
        let mut out: Vec<crate::domain::attachment::FileRef> = Vec::new();
        self.items.with(|all| {
            for f in all.iter().filter(|i| i.pending()).flat_map(|i| i.body.files()) {
                if !sent.contains(&f.hash) && !out.iter().any(|o| o.hash == f.hash) {
                    out.push(f.clone());
                }
            }
        });
        out
    }
}

pub fn provide() -> Offline {
    let o = Offline {
        status: RwSignal::new(SyncStatus { online: true, ..Default::default() }),
        items: RwSignal::new(Vec::new()),
        form: RwSignal::new(None),
        forms: RwSignal::new(Vec::new()),
        ready: RwSignal::new(false),
        sent_files: RwSignal::new(Vec::new()),
        upload: RwSignal::new(None),
    };
    provide_context(o);
    o
}

pub fn use_offline() -> Offline {
    expect_context::<Offline>()
}

thread_local! {
    static FAILURES: Cell<u32> = const { Cell::new(0) };
    static NEXT_TRY: Cell<f64> = const { Cell::new(0.0) };
    static STARTED: Cell<bool> = const { Cell::new(false) };
    static RETRY_SET: Cell<bool> = const { Cell::new(false) };
}

const LOCK: &str = "thidua-sync";
/// A window event that makes the engine sync now (`request_sync`).
pub const SYNC_NOW: &str = "thidua-sync-now";

/// Asks the running engine to sync now, from code that does not link it.
pub fn request_sync() {
    if let Ok(e) = web_sys::Event::new(SYNC_NOW) {
        let _ = window().dispatch_event(&e);
    }
}
const TICK_MS: u64 = 15_000;
/// When a sync finds the lock taken, it tries again this soon.
const RETRY_MS: u64 = 1_500;
/// Pull at least this often while the app is open and online.
const PULL_EVERY_MS: f64 = 120_000.0;

/// Reads the local store, then keeps syncing while the page is open. The
/// engine's code is in the reporter's lazy WASM part (`field`, with the
/// report form): pages of people who never file offline (and first visits)
/// do not download it. A part of its own would make the report form's cold
/// start ~130 ms slower (more chunks), for ~70 KB less on a reporter's
/// first visit to other pages.
pub fn start(o: Offline) {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(begin(o));
    #[cfg(not(feature = "hydrate"))]
    leptos::task::spawn_local(run(o));
}

/// The split point into the `field` part.
#[cfg(feature = "hydrate")]
#[leptos::wasm_split::wasm_split(field, wasm_split_path = ::leptos::wasm_split)]
fn begin(o: Offline) {
    leptos::task::spawn_local(run(o));
}

async fn run(o: Offline) {
    if !local::load().await {
        o.status.update(|s| s.problem = Some("local-store.js".into()));
        return;
    }
    o.status.update(|s| s.online = local::online());
    let on = window_event_listener(leptos::ev::online, move |_| {
        o.status.update(|s| s.online = true);
        NEXT_TRY.with(|n| n.set(0.0));
        soon(o);
    });
    let off = window_event_listener(leptos::ev::offline, move |_| o.status.update(|s| s.online = false));
    let vis = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            soon(o);
        }
    });
    // The sign-out panel asks for a sync without linking the engine's code.
    let now = window_event_listener_untyped(SYNC_NOW, move |_| {
        NEXT_TRY.with(|n| n.set(0.0));
        soon(o);
    });
    std::mem::forget((on, off, vis, now));
    local::listen(move |msg| {
        if msg == "changed" {
            leptos::task::spawn_local(reload(o));
        }
    });
    let last_pull = Cell::new(js_sys::Date::now());
    let _ = set_interval_with_handle(
        move || {
            let due = NEXT_TRY.with(|n| n.get()) <= js_sys::Date::now();
            let pull_due = js_sys::Date::now() - last_pull.get() > PULL_EVERY_MS;
            if due && (o.waiting() > 0 || pull_due) {
                last_pull.set(js_sys::Date::now());
                soon(o);
            }
        },
        std::time::Duration::from_millis(TICK_MS),
    );
    reload(o).await;
    // Let the form paint before the first sync's work (on a slow phone that
    // work held the frame back ~100 ms).
    local::after_paint().await;
    let _ = local::persist().await;
    sync(o).await;
}

/// Starts a sync now (after a submit, say).
pub fn soon(o: Offline) {
    leptos::task::spawn_local(sync(o));
}

/// Reads items and the form from IndexedDB into the signals (the three
/// reads at once).
pub async fn reload(o: Offline) {
    let (items, forms, form, last_sync, sent) = (
        local::all("items"),
        local::get("meta", "forms"),
        local::get("meta", "form"),
        local::get("meta", "last_sync"),
        local::get("meta", "files_sent"),
    );
    if let Ok(rows) = items.await {
        let mut items: Vec<LocalItem> = rows.iter().filter_map(|t| serde_json::from_str(t).ok()).collect();
        items.sort_by(|a, b| b.id.cmp(&a.id));
        o.items.set(items);
    }
    // A phone updated from a version that kept one form has only that.
    let forms = match (forms.await, form.await) {
        (Ok(Some(fs)), _) => serde_json::from_str(&fs).ok(),
        (_, Ok(Some(f))) => serde_json::from_str(&f).ok().map(|f| vec![f]),
        _ => None,
    };
    if let Some(fs) = forms {
        o.set_forms(fs);
    }
    if let Ok(Some(t)) = last_sync.await {
        o.status.update(|s| s.last_sync = Some(t));
    }
    if let Some(sent) = sent.await.ok().flatten().and_then(|t| serde_json::from_str(&t).ok()) {
        o.sent_files.set(sent);
    }
    o.ready.set(true);
}

/// Stores an item, shows it, and tells the other tabs.
pub async fn save(o: Offline, item: LocalItem) -> Result<(), String> {
    let text = serde_json::to_string(&item).map_err(|e| e.to_string())?;
    local::put("items", &item.id, &text).await?;
    o.items.update(|all| match all.iter_mut().find(|i| i.id == item.id) {
        Some(i) => *i = item,
        None => all.insert(0, item),
    });
    local::announce("changed");
    Ok(())
}

async fn device_id() -> String {
    if let Ok(Some(d)) = local::get("meta", "device").await {
        return d;
    }
    let d = local::uuid();
    let _ = local::put("meta", "device", &d).await;
    d
}

enum Failure {
    /// Offline, a timeout, a captive portal, a server error: try later.
    Transient(String),
    SignIn,
}

async fn call<T: serde::de::DeserializeOwned>(url: &str, body: String) -> Result<T, Failure> {
    let (status, ctype, text) = local::post(url, &body).await.map_err(Failure::Transient)?;
    // Only our own answer counts (a captive portal may answer 401 too).
    if status == 401 && serde_json::from_str::<AppError>(&text).is_ok_and(|e| e.kind == ErrorKind::SignInNeeded) {
        return Err(Failure::SignIn);
    }
    if status != 200 || !ctype.starts_with("application/json") {
        return Err(Failure::Transient(format!("HTTP {status}")));
    }
    serde_json::from_str(&text).map_err(|e| Failure::Transient(format!("bad reply: {e}")))
}

/// One exchange: pull, then push everything waiting, in batches.
pub async fn sync(o: Offline) {
    if !local::online() {
        o.status.update(|s| s.online = false);
        return;
    }
    let ran = local::exclusive(LOCK, async move {
        o.status.update(|s| s.syncing = true);
        let result = exchange(o).await;
        o.status.update(|s| {
            s.syncing = false;
            match &result {
                Ok(()) => {
                    s.problem = None;
                    s.needs_sign_in = false;
                }
                Err(Failure::SignIn) => s.needs_sign_in = true,
                Err(Failure::Transient(m)) => s.problem = Some(m.clone()),
            }
        });
        match result {
            Ok(()) => {
                FAILURES.with(|f| f.set(0));
                NEXT_TRY.with(|n| n.set(0.0));
            }
            Err(_) => {
                let n = FAILURES.with(|f| {
                    f.set(f.get() + 1);
                    f.get()
                });
                // 5 s, 10 s, 20 s… up to 5 min, times 0.5–1.5.
                let base = (5_000.0 * 2f64.powi(n.min(6) as i32 - 1)).min(300_000.0);
                let wait = base * (0.5 + js_sys::Math::random());
                NEXT_TRY.with(|t| t.set(js_sys::Date::now() + wait));
            }
        }
    })
    .await;
    if !ran {
        // Another sync (this tab's or another tab's) holds the lock; that tab
        // announces what changes. An item saved after that sync read the queue
        // would otherwise wait for the next tick: look again shortly.
        reload(o).await;
        if o.waiting() > 0 && !RETRY_SET.with(|r| r.replace(true)) {
            set_timeout(
                move || {
                    RETRY_SET.with(|r| r.set(false));
                    soon(o);
                },
                std::time::Duration::from_millis(RETRY_MS),
            );
        }
    }
}

async fn exchange(o: Offline) -> Result<(), Failure> {
    // Another tab may have synced since this one last looked.
    reload(o).await;
    // Pull first: reference data, statuses and return comments.
    let since = local::get("meta", "cursor").await.ok().flatten().unwrap_or_default();
    let pulled: PullReply = call("/api/sync/pull", serde_json::json!({ "since": since }).to_string()).await?;
    if pulled.protocol != PROTOCOL {
        return Err(Failure::Transient("bad reply".into()));
    }
    // A server of before several movements sends only `form`. None at all
    // (every movement closed): the phone keeps what it has, and the server
    // refuses what is filed for a closed one.
    let forms = if pulled.forms.is_empty() { pulled.form.into_iter().collect() } else { pulled.forms };
    if !forms.is_empty() {
        if let Ok(t) = serde_json::to_string(&forms) {
            let _ = local::put("meta", "forms", &t).await;
        }
        o.set_forms(forms);
    }
    for s in pulled.items {
        let local = o.items.with_untracked(|all| all.iter().find(|i| i.id == s.id).cloned());
        if let Some(n) = LocalItem::merge_pulled(local, s) {
            save(o, n).await.map_err(Failure::Transient)?;
        }
    }
    let _ = local::put("meta", "cursor", &pulled.cursor).await;
    mark_synced(o, &pulled.server_time).await;

    send_files(o).await?;
    let device = device_id().await;
    loop {
        let batch: Vec<LocalItem> = o.items.with_untracked(|all| all.iter().filter(|i| i.pending()).take(BATCH_MAX).cloned().collect());
        if batch.is_empty() {
            return Ok(());
        }
        // Before sending: these revisions may reach the server even if the
        // answer does not reach us.
        for i in &batch {
            let mut i = i.clone();
            i.in_doubt = true;
            save(o, i).await.map_err(Failure::Transient)?;
        }
        let push = PushBatch { protocol: PROTOCOL.into(), device: device.clone(), items: batch.iter().map(LocalItem::push_item).collect() };
        let body = serde_json::json!({ "batch": push }).to_string();
        let reply: PushReply = call("/api/sync/push", body).await?;
        if !reply.answers(&push) {
            return Err(Failure::Transient("bad reply".into()));
        }
        let mut progressed = false;
        for ack in &reply.acks {
            let current = o.items.with_untracked(|all| all.iter().find(|i| i.id == ack.id).cloned());
            if let Some(mut i) = current {
                i.acknowledge(ack);
                progressed |= i.state != ItemState::Waiting;
                save(o, i).await.map_err(Failure::Transient)?;
            }
        }
        mark_synced(o, &reply.server_time).await;
        let done = o.items.with_untracked(|all| super::item::files_done_with(all, &o.sent_files.get_untracked()));
        super::files::forget(&done).await;
        if !progressed {
            return Ok(());
        }
    }
}

/// Uploads the files waiting items name, before the items (the server
/// refuses an item whose files have not all arrived). A file the server
/// will not take stops nothing else: its reason shows, and its item waits.
async fn send_files(o: Offline) -> Result<(), Failure> {
    use super::files::{upload, Stop};
    o.status.update(|s| s.file_problem = None);
    for f in o.files_to_send() {
        let (name, size) = (f.name.clone(), f.size);
        let shown = upload(&f, |at| o.upload.set(Some((name.clone(), at, size)))).await;
        o.upload.set(None);
        match shown {
            Ok(()) => {
                o.sent_files.update(|s| s.push(f.hash.clone()));
                if let Ok(t) = serde_json::to_string(&o.sent_files.get_untracked()) {
                    let _ = local::put("meta", "files_sent", &t).await;
                }
            }
            Err(Stop::Transient(m)) => return Err(Failure::Transient(m)),
            Err(Stop::SignIn) => return Err(Failure::SignIn),
            Err(Stop::Refused(m)) => o.status.update(|s| s.file_problem = Some(m)),
        }
    }
    Ok(())
}

async fn mark_synced(o: Offline, at: &str) {
    let _ = local::put("meta", "last_sync", at).await;
    o.status.update(|s| s.last_sync = Some(at.to_string()));
}
