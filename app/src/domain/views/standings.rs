//! Every cluster's ranking at one moment, as meeting-room displays read it
//! (first directly, then over server-sent events).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardUnit {
    pub rank: u32,
    pub name: String,
    pub total: f64,
    pub band: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardCluster {
    pub name: String,
    pub block: bool,
    pub units: Vec<BoardUnit>,
}

/// Every cluster's ranking at one moment; the same for every display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standings {
    /// Grows by one with each change a server process publishes (0: read
    /// directly, not from the live feed).
    pub version: u64,
    /// Server time of this reading, ISO 8601.
    pub as_of: String,
    /// The period ranked ("Tháng 10/2021").
    pub period_vi: String,
    pub clusters: Vec<BoardCluster>,
}

impl Standings {
    /// Whether two readings rank the same (time and version aside): only a
    /// change that moves something on screen is pushed to displays.
    pub fn same_board(&self, other: &Standings) -> bool {
        self.period_vi == other.period_vi && self.clusters == other.clusters
    }
}
