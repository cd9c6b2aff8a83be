//! Consolidation (SPEC §5.4): each indicator rolled up from the units'
//! reports by its own rule: sums for counts and money, summed numerators over
//! summed denominators for ratios (never the average of percentages), the
//! latest or highest value for levels. The same code serves a district, a
//! province or the country: a group is any set of units.

use super::indicator::{Indicator, IndicatorKind, RollUp};
use super::report::IndicatorEntry;
use serde::{Deserialize, Serialize};

/// One unit's report as consolidation sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reported {
    pub unit: String,
    /// When the server took it (RFC 3339 UTC; compares as text), for "latest".
    pub received: String,
    pub indicators: Vec<IndicatorEntry>,
    /// Evidence files the report carries.
    #[serde(default)]
    pub files: u32,
}

/// A rolled-up figure. Ratios keep both sums so a higher level can roll up
/// again and a reader can check the percentage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<f64>,
    /// Units whose report gave this indicator.
    pub units: u32,
}

impl Cell {
    /// The number to show: the value, or a ratio in percent.
    pub fn shown(&self, kind: IndicatorKind) -> Option<f64> {
        match kind {
            IndicatorKind::Ratio => match (self.numerator, self.denominator) {
                (Some(n), Some(d)) if d > 0.0 => Some(100.0 * n / d),
                _ => None,
            },
            _ => self.value,
        }
    }
}

/// Rolls one indicator up over `reports` by its rule.
pub fn roll_up(ind: &Indicator, reports: &[&Reported]) -> Cell {
    let mut cell = Cell::default();
    let mut latest: Option<&str> = None;
    for r in reports {
        let Some(e) = r.indicators.iter().find(|e| e.code == ind.code) else { continue };
        match ind.rollup {
            RollUp::WeightedRatio => {
                // A ratio counts only whole: a numerator without its
                // denominator cannot be weighted.
                let (Some(n), Some(d)) = (e.numerator, e.denominator) else { continue };
                cell.numerator = Some(cell.numerator.unwrap_or(0.0) + n);
                cell.denominator = Some(cell.denominator.unwrap_or(0.0) + d);
            }
            RollUp::Sum => {
                let Some(v) = e.value else { continue };
                cell.value = Some(cell.value.unwrap_or(0.0) + v);
            }
            RollUp::Max => {
                let Some(v) = e.value else { continue };
                cell.value = Some(cell.value.map_or(v, |m| m.max(v)));
            }
            RollUp::Latest => {
                let Some(v) = e.value else { continue };
                // Ties on time go to the unit code, so the answer does not
                // depend on the order reports were read.
                if latest.is_none_or(|l| (r.received.as_str(), r.unit.as_str()) > (l, "")) {
                    latest = Some(&r.received);
                    cell.value = Some(v);
                }
            }
        }
        cell.units += 1;
    }
    cell
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Unit,
    Cluster,
    Category,
    Total,
}

impl GroupBy {
    pub fn label_vi(self) -> &'static str {
        match self {
            GroupBy::Unit => "Theo đơn vị",
            GroupBy::Cluster => "Theo cụm, khối thi đua",
            GroupBy::Category => "Theo nhóm đối tượng",
            GroupBy::Total => "Toàn địa bàn",
        }
    }
    /// For CSS classes and test ids.
    pub fn code(self) -> &'static str {
        match self {
            GroupBy::Unit => "unit",
            GroupBy::Cluster => "cluster",
            GroupBy::Category => "category",
            GroupBy::Total => "total",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            GroupBy::Unit => "By unit",
            GroupBy::Cluster => "By cluster or block",
            GroupBy::Category => "By participant category",
            GroupBy::Total => "Whole area",
        }
    }
}

/// A set of units to roll up together.
#[derive(Clone, Debug)]
pub struct Group {
    pub by: GroupBy,
    pub key: String,
    pub name: String,
    pub members: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub key: String,
    pub name: String,
    /// Reports counted in this row.
    pub reports: u32,
    /// Evidence files those reports carry.
    #[serde(default)]
    pub evidence: u32,
    /// One per indicator, in the table's indicator order.
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub by: GroupBy,
    pub rows: Vec<Row>,
}

/// Tables for every grouping, in the order groups come (grouped by `by` in
/// the order first seen).
pub fn consolidate(indicators: &[Indicator], reports: &[Reported], groups: &[Group]) -> Vec<Table> {
    let by_unit: std::collections::HashMap<&str, &Reported> = reports.iter().map(|r| (r.unit.as_str(), r)).collect();
    let mut tables: Vec<Table> = Vec::new();
    for g in groups {
        let rs: Vec<&Reported> = g.members.iter().filter_map(|m| by_unit.get(m.as_str()).copied()).collect();
        let row = Row {
            key: g.key.clone(),
            name: g.name.clone(),
            reports: rs.len() as u32,
            evidence: rs.iter().map(|r| r.files).sum(),
            cells: indicators.iter().map(|i| roll_up(i, &rs)).collect(),
        };
        match tables.iter_mut().find(|t| t.by == g.by) {
            Some(t) => t.rows.push(row),
            None => tables.push(Table { by: g.by, rows: vec![row] }),
        }
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::unit::ParticipantCategory;

    fn ind(code: &str, kind: IndicatorKind, rollup: RollUp) -> Indicator {
        Indicator {
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
            kind,
            unit_vi: String::new(),
            unit_en: String::new(),
            rollup,
            numerator_vi: None,
            denominator_vi: None,
            level_max: Some(4),
            categories: vec![ParticipantCategory::Commune],
            rules: vec![],
            carry_over: None,
        }
    }
    fn value(code: &str, v: f64) -> IndicatorEntry {
        IndicatorEntry { code: code.into(), value: Some(v), ..Default::default() }
    }
    fn ratio(code: &str, n: f64, d: f64) -> IndicatorEntry {
        IndicatorEntry { code: code.into(), numerator: Some(n), denominator: Some(d), value: None }
    }
    fn rep(unit: &str, received: &str, e: Vec<IndicatorEntry>) -> Reported {
        Reported { unit: unit.into(), received: received.into(), indicators: e, files: 0 }
    }

    #[test]
    fn ratios_weight_by_population_not_by_commune() {
        // A large commune at 90 % (900 of 1,000) and a small one at 10 %
        // (10 of 100): the plain average of percentages says 50 %; the
        // district has vaccinated 910 of 1,100 = 82.727… %.
        let vac = ind("vac", IndicatorKind::Ratio, RollUp::WeightedRatio);
        let a = rep("a", "t1", vec![ratio("vac", 900.0, 1000.0)]);
        let b = rep("b", "t1", vec![ratio("vac", 10.0, 100.0)]);
        let c = roll_up(&vac, &[&a, &b]);
        assert_eq!((c.numerator, c.denominator, c.units), (Some(910.0), Some(1100.0), 2));
        let pct = c.shown(IndicatorKind::Ratio).unwrap();
        assert!((pct - 82.727_272).abs() < 1e-4, "{pct}");
        let average_of_percentages = (90.0 + 10.0) / 2.0;
        assert!((pct - average_of_percentages).abs() > 30.0);
    }

    #[test]
    fn half_a_ratio_is_left_out() {
        let vac = ind("vac", IndicatorKind::Ratio, RollUp::WeightedRatio);
        let a = rep("a", "t", vec![ratio("vac", 50.0, 100.0)]);
        let b = rep("b", "t", vec![IndicatorEntry { code: "vac".into(), numerator: Some(7.0), ..Default::default() }]);
        let c = roll_up(&vac, &[&a, &b]);
        assert_eq!((c.numerator, c.denominator, c.units), (Some(50.0), Some(100.0), 1));
    }

    #[test]
    fn counts_and_money_add_up() {
        let f0 = ind("f0", IndicatorKind::Count, RollUp::Sum);
        let money = ind("money", IndicatorKind::Money, RollUp::Sum);
        let a = rep("a", "t", vec![value("f0", 3.0), value("money", 1_500_000.0)]);
        let b = rep("b", "t", vec![value("f0", 0.0), value("money", 250_000_000.0)]);
        let c = rep("c", "t", vec![]);
        assert_eq!(roll_up(&f0, &[&a, &b, &c]), Cell { value: Some(3.0), units: 2, ..Default::default() });
        assert_eq!(roll_up(&money, &[&a, &b, &c]).value, Some(251_500_000.0));
        assert_eq!(roll_up(&f0, &[&c]), Cell::default());
    }

    #[test]
    fn levels_take_the_latest_or_the_highest() {
        let latest = ind("lvl", IndicatorKind::Level, RollUp::Latest);
        let max = ind("lvl", IndicatorKind::Level, RollUp::Max);
        let a = rep("a", "2021-11-03T01:00:00Z", vec![value("lvl", 3.0)]);
        let b = rep("b", "2021-11-04T01:00:00Z", vec![value("lvl", 1.0)]);
        assert_eq!(roll_up(&latest, &[&a, &b]).value, Some(1.0));
        assert_eq!(roll_up(&latest, &[&b, &a]).value, Some(1.0), "order of reading does not matter");
        assert_eq!(roll_up(&max, &[&b, &a]).value, Some(3.0));
    }

    #[test]
    fn groups_make_one_table_per_grouping() {
        let f0 = ind("f0", IndicatorKind::Count, RollUp::Sum);
        let reps =
            vec![rep("a", "t", vec![value("f0", 1.0)]), rep("b", "t", vec![value("f0", 2.0)]), rep("c", "t", vec![value("f0", 4.0)])];
        let g =
            |by, key: &str, m: &[&str]| Group { by, key: key.into(), name: key.into(), members: m.iter().map(|s| s.to_string()).collect() };
        let t = consolidate(
            &[f0],
            &reps,
            &[
                g(GroupBy::Unit, "a", &["a"]),
                g(GroupBy::Cluster, "k1", &["a", "b"]),
                g(GroupBy::Unit, "b", &["b"]),
                g(GroupBy::Total, "all", &["a", "b", "c", "missing"]),
            ],
        );
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].by, GroupBy::Unit);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[1].rows[0].cells[0].value, Some(3.0));
        assert_eq!((t[2].rows[0].reports, t[2].rows[0].cells[0].value), (3, Some(7.0)));
    }
}
