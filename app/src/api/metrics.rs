//! What the sync endpoint counts for `/metrics` (the server registers these
//! beside its HTTP figures): pushes, items by outcome, and the time a push
//! spends reading and writing the store.

use crate::domain::sync::Outcome;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;
use std::sync::LazyLock;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ItemLabels {
    /// stored, conflict, invalid or denied.
    pub outcome: &'static str,
}

pub struct SyncMetrics {
    pushes: Counter,
    items: Family<ItemLabels, Counter>,
    db_seconds: Counter<f64, AtomicU64>,
}

pub static SYNC: LazyLock<SyncMetrics> =
    LazyLock::new(|| SyncMetrics { pushes: Counter::default(), items: Family::default(), db_seconds: Counter::default() });

impl SyncMetrics {
    /// One push answered: its items' outcomes and its database time.
    pub fn push<'a>(&self, outcomes: impl Iterator<Item = &'a Outcome>, db_time: Duration) {
        self.pushes.inc();
        for o in outcomes {
            let outcome = match o {
                Outcome::Stored { .. } => "stored",
                Outcome::Conflict { .. } => "conflict",
                Outcome::Invalid { .. } => "invalid",
                Outcome::Denied { .. } => "denied",
                Outcome::Missing { .. } => "missing_files",
            };
            self.items.get_or_create(&ItemLabels { outcome }).inc();
        }
        self.db_seconds.inc_by(db_time.as_secs_f64());
    }

    pub fn register(&self, registry: &mut Registry) {
        registry.register("thidua_sync_pushes", "Sync pushes answered", self.pushes.clone());
        registry.register("thidua_sync_items", "Items in sync pushes, by outcome", self.items.clone());
        registry.register("thidua_sync_db_seconds", "Time sync pushes spent reading and writing the store", self.db_seconds.clone());
    }
}
