//! Which of today's units each old unit became (the 1/7/2025 reform and any
//! later one), and how an old period's figures are shown "as today's units":
//! old units wholly merged into a new one are summed into it; an old unit
//! split across several new ones keeps its own row, flagged, and is never
//! counted twice.

use super::rollup::{Group, GroupBy};
use super::unit::Unit;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One line of the mapping as stored: unit ids, not codes (codes are reused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Succession {
    pub old: String,
    pub new: String,
    /// Only part of the old unit went into the new one.
    pub partial: bool,
}

/// An old unit that could not be summed into one of today's units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitNote {
    pub unit: String,
    pub name: String,
    /// Names of the new units it went (partly) into.
    pub into: Vec<String>,
}

/// Unit groups for showing old units' figures under today's units, in the
/// order the old units come. `today` names the new units. An old unit with
/// no line in the mapping keeps its own row (it was not reorganised).
pub fn as_today(old: &[Unit], links: &[Succession], today: &HashMap<String, String>) -> (Vec<Group>, Vec<SplitNote>) {
    let mut by_old: HashMap<&str, Vec<&Succession>> = HashMap::new();
    for l in links {
        by_old.entry(l.old.as_str()).or_default().push(l);
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut splits = Vec::new();
    let name_of = |id: &str| today.get(id).cloned().unwrap_or_else(|| id.to_string());
    for u in old {
        let ls = by_old.get(u.id.as_str()).map(Vec::as_slice).unwrap_or_default();
        match ls {
            [] => groups.push(Group { by: GroupBy::Unit, key: u.id.clone(), name: u.name.clone(), members: vec![u.id.clone()] }),
            [one] if !one.partial => match groups.iter_mut().find(|g| g.key == one.new) {
                Some(g) => g.members.push(u.id.clone()),
                None => {
                    groups.push(Group { by: GroupBy::Unit, key: one.new.clone(), name: name_of(&one.new), members: vec![u.id.clone()] })
                }
            },
            several => {
                let into: Vec<String> = several.iter().map(|l| name_of(&l.new)).collect();
                groups.push(Group {
                    by: GroupBy::Unit,
                    key: u.id.clone(),
                    name: format!("{} (một phần vào {})", u.name, into.join(", ")),
                    members: vec![u.id.clone()],
                });
                splits.push(SplitNote { unit: u.id.clone(), name: u.name.clone(), into });
            }
        }
    }
    (groups, splits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::unit::{ParticipantCategory, UnitKind};

    fn unit(id: &str, name: &str) -> Unit {
        Unit {
            id: id.into(),
            name: name.into(),
            kind: UnitKind::Commune,
            category: Some(ParticipantCategory::Commune),
            parent: Some("d611".into()),
            gso_code: None,
            demo: false,
            valid_from: None,
            valid_to: None,
        }
    }

    fn link(old: &str, new: &str, partial: bool) -> Succession {
        Succession { old: old.into(), new: new.into(), partial }
    }

    #[test]
    fn three_old_communes_sum_into_todays_bo_y_and_a_split_one_stands_alone() {
        let old = [
            unit("x23377", "Thị trấn Plei Kần"),
            unit("x23389", "Xã Đắk Xú"),
            unit("x23395", "Xã Bờ Y"),
            unit("x23368", "Xã Đắk Long"),
            unit("ngoc-hoi-village", "Thôn mẫu"),
        ];
        let links = [
            link("x23377", "x23377-2025", false),
            link("x23389", "x23377-2025", false),
            link("x23395", "x23377-2025", false),
            link("x23368", "x23368-2025", true),
        ];
        let today =
            HashMap::from([("x23377-2025".to_string(), "Xã Bờ Y".to_string()), ("x23368-2025".to_string(), "Xã Đăk Long".to_string())]);
        let (groups, splits) = as_today(&old, &links, &today);
        assert_eq!(groups.len(), 3);
        assert_eq!((groups[0].key.as_str(), groups[0].name.as_str()), ("x23377-2025", "Xã Bờ Y"));
        assert_eq!(groups[0].members, ["x23377", "x23389", "x23395"]);
        assert_eq!(groups[1].members, ["x23368"], "a split commune is counted once, on its own");
        assert!(groups[1].name.contains("một phần vào Xã Đăk Long"));
        assert_eq!(groups[2].key, "ngoc-hoi-village");
        assert_eq!(splits, [SplitNote { unit: "x23368".into(), name: "Xã Đắk Long".into(), into: vec!["Xã Đăk Long".into()] }]);
        let members: usize = groups.iter().map(|g| g.members.len()).sum();
        assert_eq!(members, old.len(), "every old unit counted exactly once");
    }
}
