//! Live meeting-display boards. One task per server process and feed (what
//! a display link shows: a movement, a period, clusters) listens to the
//! database with `LIVE SELECT` (reports, clusters, the movement), so a write
//! taken by *any* process sharing the database reaches this process's
//! displays; it recomputes the standings once per burst of changes and
//! publishes them only when something on screen moved. Each display holds a
//! server-sent-events stream (`GET /api/display/live/{token}`) that gets the
//! current standings at once (a reconnecting display catches up), then every
//! change, and a `ping` every 15 s so it can tell a dead link from a quiet one.

use app::api::display::Standings;
use app::domain::display::DisplayView;
use app::store::{displays, leaderboard, movements, Db};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use futures::{FutureExt, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Set once the process is stopping: open streams end so a graceful
/// shutdown does not wait for displays that never hang up.
static CLOSING: std::sync::OnceLock<watch::Sender<bool>> = std::sync::OnceLock::new();

fn closing() -> &'static watch::Sender<bool> {
    CLOSING.get_or_init(|| watch::channel(false).0)
}

/// Ends every open display stream (their displays reconnect elsewhere or
/// after the restart).
pub fn close_all() {
    closing().send_replace(true);
}

/// One published reading, serialised once for every display.
#[derive(Debug)]
pub struct Snapshot {
    pub standings: Standings,
    pub json: String,
}

/// What one feed publishes: a movement (none: the current one) as a display
/// link's view sets. Links that show the same share one publisher.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FeedKey {
    pub movement: Option<String>,
    pub view: DisplayView,
}

impl FeedKey {
    pub fn of(link: &displays::DisplayLink) -> Self {
        FeedKey { movement: link.movement.clone(), view: link.view() }
    }
}

type Published = watch::Receiver<Option<Arc<Snapshot>>>;

/// The publishers, one per feed, each started by the first display that
/// shows it.
#[derive(Clone)]
pub struct LiveBoards {
    db: Db,
    feeds: Arc<tokio::sync::Mutex<std::collections::HashMap<FeedKey, Published>>>,
    open: Arc<std::sync::Mutex<OpenStreams>>,
}

/// Streams open now: per link (by its token's hash) and in all.
#[derive(Default)]
struct OpenStreams {
    per_link: std::collections::HashMap<String, usize>,
    total: usize,
}

/// A meeting room has a projector and a few screens; a link opened more
/// often than this at once is being misused (a leaked link, a loop).
pub const MAX_STREAMS_PER_LINK: usize = 10;
/// Open streams one process holds at most: each costs a task and a socket.
pub const MAX_STREAMS: usize = 5_000;

/// One open stream's place, given back when the stream ends.
struct StreamSlot {
    open: Arc<std::sync::Mutex<OpenStreams>>,
    link: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut o = self.open.lock().unwrap_or_else(|p| p.into_inner());
        o.total -= 1;
        if let Some(n) = o.per_link.get_mut(&self.link) {
            *n -= 1;
            if *n == 0 {
                o.per_link.remove(&self.link);
            }
        }
    }
}

impl LiveBoards {
    /// A place for one more stream of `link`, if neither cap is reached.
    fn slot(&self, link: &str) -> Option<StreamSlot> {
        let mut o = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let here = o.per_link.get(link).copied().unwrap_or(0);
        if here >= MAX_STREAMS_PER_LINK || o.total >= MAX_STREAMS {
            return None;
        }
        o.total += 1;
        o.per_link.insert(link.to_string(), here + 1);
        Some(StreamSlot { open: self.open.clone(), link: link.to_string() })
    }
}

/// Recompute even without a change notification: a deadline passing turns a
/// missing report into a deduction, and a unit can be renamed.
const RECHECK: Duration = Duration::from_secs(60);
/// How often a display hears from an idle stream.
const PING: Duration = Duration::from_secs(15);
/// How often an open stream re-checks that its link was not revoked.
const REVERIFY: Duration = Duration::from_secs(60);

impl LiveBoards {
    pub fn new(db: Db) -> Self {
        LiveBoards { db, feeds: Arc::default(), open: Arc::default() }
    }

    /// Streams open now.
    pub fn open_streams(&self) -> usize {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).total
    }

    /// A receiver of the snapshots `key`'s feed publishes (starts its
    /// publisher once). Feeds are as many as the distinct views of links
    /// opened since the process started.
    pub async fn subscribe(&self, key: FeedKey) -> Published {
        let mut feeds = self.feeds.lock().await;
        feeds
            .entry(key)
            .or_insert_with_key(|key| {
                let (tx, rx) = watch::channel(None);
                tokio::spawn(publish_loop(self.db.clone(), tx, key.clone()));
                rx
            })
            .clone()
    }
}

/// The statement whose notifications mean "a score may have moved".
const WATCH: &str = "LIVE SELECT id FROM submission WHERE kind = 'report';
    LIVE SELECT id FROM cluster;
    LIVE SELECT id FROM movement;";

async fn publish_loop(db: Db, tx: watch::Sender<Option<Arc<Snapshot>>>, key: FeedKey) {
    let mut version = 0u64;
    // Stops with the process, letting go of its database handle so the
    // engine can close its files cleanly.
    let mut stopping = closing().subscribe();
    loop {
        if *stopping.borrow() {
            return;
        }
        let stream = async { db.query(WATCH).await?.stream::<surrealdb::Notification<surrealdb::types::Value>>(()) }.await;
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("live boards: cannot subscribe ({e}); retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
        };
        // Anything that changed while not subscribed is caught up here.
        publish(&db, &tx, &mut version, &key).await;
        let mut recheck = tokio::time::interval(RECHECK);
        recheck.reset();
        loop {
            tokio::select! {
                n = stream.next() => match n {
                    Some(_) => {
                        // Take the whole burst (a synced batch of reports) in one recompute.
                        while let Some(Some(_)) = stream.next().now_or_never() {}
                        publish(&db, &tx, &mut version, &key).await;
                    }
                    None => {
                        tracing::warn!("live boards: change feed ended; resubscribing");
                        break;
                    }
                },
                _ = recheck.tick() => publish(&db, &tx, &mut version, &key).await,
                _ = tx.closed() => return,
                _ = stopping.changed() => return,
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn publish(db: &Db, tx: &watch::Sender<Option<Arc<Snapshot>>>, version: &mut u64, key: &FeedKey) {
    let now = time::OffsetDateTime::now_utc();
    let standings = async {
        let m = match &key.movement {
            Some(code) => movements::by_code(db, code).await?,
            None => movements::current(db).await?,
        };
        let m = m.ok_or_else(|| app::store::StoreError::NotFound("movement".into()))?;
        leaderboard::standings(db, &m, &key.view, now).await
    }
    .await;
    let mut standings = match standings {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("live boards: cannot compute standings: {e}");
            return;
        }
    };
    if tx.borrow().as_ref().is_some_and(|old| old.standings.same_board(&standings)) {
        return;
    }
    *version += 1;
    standings.version = *version;
    let json = serde_json::to_string(&standings).unwrap_or_default();
    tx.send_replace(Some(Arc::new(Snapshot { standings, json })));
}

async fn shows(db: &Db, link: &displays::DisplayLink) -> bool {
    match app::api::display::shown_movement(db, link).await {
        Ok(Some(m)) => app::api::display::shows_movement(link, &m),
        _ => false,
    }
}

/// `GET /api/display/live/{token}`: the display's event stream.
pub async fn stream(State(live): State<LiveBoards>, Path(token): Path<String>) -> Response {
    let link = match displays::verify(&live.db, &token).await {
        // A link of an organisation that does not run the movement has no
        // board to follow.
        Ok(Some(link)) if !shows(&live.db, &link).await => {
            return (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], app::domain::AppError::display_link().to_string())
                .into_response()
        }
        Ok(Some(link)) => link,
        Ok(None) => {
            return (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], app::domain::AppError::display_link().to_string())
                .into_response()
        }
        Err(e) => {
            tracing::warn!("display link check failed: {e}");
            return (StatusCode::SERVICE_UNAVAILABLE, "Máy chủ đang bận. / Server busy.").into_response();
        }
    };
    let Some(slot) = live.slot(&displays::link_key(&token)) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CACHE_CONTROL, "no-store"), (header::RETRY_AFTER, "30")],
            "Đường dẫn màn hình đang được mở ở quá nhiều nơi. / This display link is open in too many places.",
        )
            .into_response();
    };
    let rx = live.subscribe(FeedKey::of(&link)).await;
    let state = Feed {
        rx,
        closing: closing().subscribe(),
        first: true,
        ping: tokio::time::interval(PING),
        reverify: tokio::time::interval(REVERIFY),
        db: live.db.clone(),
        token,
        done: false,
        _slot: slot,
    };
    let events = futures::stream::unfold(state, |mut s| async move {
        if s.done {
            return None;
        }
        let ev = s.next_event().await;
        Some((Ok::<_, std::convert::Infallible>(ev), s))
    });
    ([(header::CACHE_CONTROL, "no-store")], Sse::new(events)).into_response()
}

struct Feed {
    _slot: StreamSlot,
    rx: watch::Receiver<Option<Arc<Snapshot>>>,
    closing: watch::Receiver<bool>,
    first: bool,
    ping: tokio::time::Interval,
    reverify: tokio::time::Interval,
    db: Db,
    token: String,
    done: bool,
}

impl Feed {
    async fn next_event(&mut self) -> Event {
        if *self.closing.borrow() {
            self.done = true;
            return Event::default().comment("closing");
        }
        if std::mem::take(&mut self.first) {
            self.ping.reset();
            self.reverify.reset();
            // The publisher may still be computing its first reading.
            let _ = self.rx.wait_for(Option::is_some).await;
            return self.board();
        }
        loop {
            tokio::select! {
                changed = self.rx.changed() => {
                    if changed.is_err() {
                        self.done = true;
                        return Event::default().event("ping").data("");
                    }
                    return self.board();
                }
                _ = self.closing.changed() => {
                    self.done = true;
                    return Event::default().comment("closing");
                }
                _ = self.ping.tick() => return Event::default().event("ping").data(""),
                _ = self.reverify.tick() => {
                    if let Ok(None) = displays::verify(&self.db, &self.token).await {
                        self.done = true;
                        return Event::default().event("revoked").data(app::domain::AppError::display_link().to_string());
                    }
                }
            }
        }
    }

    fn board(&mut self) -> Event {
        let json = self.rx.borrow_and_update().as_ref().map(|s| s.json.clone()).unwrap_or_default();
        Event::default().event("board").data(json)
    }
}
