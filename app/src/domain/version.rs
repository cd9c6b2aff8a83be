//! Versions of a published movement. Once units file for a movement, a
//! change to it is a new version that applies from the next period to
//! start; every period is scored by the version in force when it started,
//! so what a unit filed is judged by the rules it was filed against. Pure:
//! the store passes today's date and writes what this returns.

use super::date::{self, Date};
use super::movement::{Movement, MovementDefinition};
use super::period::PeriodKind;
use super::FieldError;
use serde::{Deserialize, Serialize};

/// A version that is no longer the newest, and the day its successor took
/// over: a period that starts before `until` is scored by it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Earlier {
    #[serde(with = "date::iso_date")]
    pub until: Date,
    pub definition: MovementDefinition,
}

impl Movement {
    /// The definition period `code` is scored by (the newest for a period
    /// the movement does not have).
    pub fn definition_for(&self, code: &str) -> &MovementDefinition {
        let Some(p) = self.periods.iter().find(|p| p.code == code) else { return &self.definition };
        self.earlier.iter().find(|e| p.starts_on < e.until).map(|e| &e.definition).unwrap_or(&self.definition)
    }

    /// The day the newest version applies from (none: from the start).
    pub fn newest_from(&self) -> Option<Date> {
        self.earlier.last().map(|e| e.until)
    }
}

/// The first month that starts after `today`: where a change made today
/// applies from.
fn next_month_start(m: &Movement, today: Date) -> Option<Date> {
    m.periods.iter().filter(|p| p.kind == PeriodKind::Month && p.starts_on > today).map(|p| p.starts_on).min()
}

/// Movement `m` with `new` as its newest definition, from the next month to
/// start after `today`. A change made again before that month starts amends
/// the pending version instead of adding one. The period plan is fixed once
/// published (units file against its periods); `new` is checked whole.
pub fn next_version(m: &Movement, mut new: MovementDefinition, today: Date) -> Result<Movement, Vec<FieldError>> {
    let mut errors = new.validate().err().unwrap_or_default();
    if new.periods != m.definition.periods {
        errors.push(FieldError::new(
            "periods",
            "plan_fixed",
            "Kỳ báo cáo của phong trào đã công bố không đổi được (đơn vị đã báo cáo theo các kỳ này).",
            "A published movement's periods cannot change: units report against them.",
        ));
    }
    let Some(from) = next_month_start(m, today) else {
        errors.push(FieldError::new(
            "periods",
            "period_left",
            "Không còn kỳ báo cáo nào chưa bắt đầu để áp dụng thay đổi.",
            "No period is left to start for the change to apply from.",
        ));
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = m.clone();
    if m.newest_from() == Some(from) {
        // The pending version, not yet in force: amended in place.
        new.version = m.definition.version;
    } else {
        new.version = m.definition.version + 1;
        out.earlier.push(Earlier { until: from, definition: m.definition.clone() });
    }
    out.definition = new;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn seed() -> Movement {
        crate::domain::template::seed_movement()
    }

    #[test]
    fn a_change_applies_from_the_next_month_and_earlier_months_keep_their_version() {
        let m = seed();
        let mut new = m.definition.clone();
        new.content_areas[0].max_points -= 1;
        new.content_areas[1].max_points += 1;
        // 20/11/2021: November has started, December has not.
        let v2 = next_version(&m, new.clone(), date!(2021 - 11 - 20)).unwrap();
        assert_eq!((v2.definition.version, v2.earlier.len()), (2, 1));
        assert_eq!(v2.earlier[0].until, date!(2021 - 12 - 01));
        assert_eq!(v2.definition_for("2021-11").version, 1, "a month already open keeps v1");
        assert_eq!(v2.definition_for("2021-12").version, 2);
        assert_eq!(v2.definition_for("2021-11").content_areas[0].max_points, m.definition.content_areas[0].max_points);

        // Changed again before December starts: still v2, amended.
        let mut again = new.clone();
        again.name_vi = "Tên mới".into();
        let v2b = next_version(&v2, again, date!(2021 - 11 - 25)).unwrap();
        assert_eq!((v2b.definition.version, v2b.earlier.len(), v2b.definition.name_vi.as_str()), (2, 1, "Tên mới"));
        // In December, a change is v3 from January.
        let v3 = next_version(&v2b, new, date!(2021 - 12 - 02)).unwrap();
        assert_eq!((v3.definition.version, v3.definition_for("2021-12").version, v3.definition_for("2022-01").version), (3, 2, 3));
    }

    #[test]
    fn the_plan_is_fixed_and_a_change_needs_a_month_left() {
        let m = seed();
        let mut new = m.definition.clone();
        new.periods.deadline_day = 10;
        let rules = |r: Result<Movement, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.rule).collect::<Vec<_>>();
        assert_eq!(rules(next_version(&m, new, date!(2021 - 11 - 20))), ["plan_fixed"]);
        assert_eq!(rules(next_version(&m, m.definition.clone(), date!(2030 - 01 - 01))), ["period_left"]);
    }
}
