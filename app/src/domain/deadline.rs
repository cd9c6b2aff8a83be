//! What a unit owes and by when, from the periods of the form its phone
//! pulled (so it is known offline): the next deadline and the periods whose
//! deadline has passed with nothing filed. A report filed late is still
//! taken (and marked late), so an overdue period stays worth filing.

use super::date::{self, Date};
use super::report::PeriodChoice;

#[derive(Clone, Debug, PartialEq)]
pub struct Due {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
    pub deadline: Date,
    /// Days from today to the deadline (negative: overdue).
    pub days_left: i64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deadlines {
    /// The nearest deadline still ahead (today included) with nothing filed.
    pub next: Option<Due>,
    /// Past deadlines with nothing filed, oldest first.
    pub overdue: Vec<Due>,
}

impl Deadlines {
    /// What the installed app's badge counts: overdue periods, and the next
    /// one when it falls within a week.
    pub fn badge(&self) -> usize {
        self.overdue.len() + usize::from(self.next.as_ref().is_some_and(|d| d.days_left <= 7))
    }
}

/// `filed`: the periods this unit has sent a report for (waiting to sync
/// counts: it is on its way).
pub fn deadlines(periods: &[PeriodChoice], filed: &[String], today: Date) -> Deadlines {
    let mut out = Deadlines::default();
    for p in periods {
        if filed.iter().any(|f| f == &p.code) {
            continue;
        }
        let Some(deadline) = date::parse_iso(&p.deadline) else { continue };
        let due = Due {
            code: p.code.clone(),
            label_vi: p.label_vi.clone(),
            label_en: p.label_en.clone(),
            deadline,
            days_left: (deadline - today).whole_days(),
        };
        if deadline < today {
            out.overdue.push(due);
        } else if out.next.as_ref().is_none_or(|n| deadline < n.deadline) {
            out.next = Some(due);
        }
    }
    out.overdue.sort_by_key(|d| d.deadline);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn month(code: &str, deadline: &str) -> PeriodChoice {
        PeriodChoice { code: code.into(), label_vi: format!("Tháng {code}"), label_en: code.into(), deadline: deadline.into() }
    }

    #[test]
    fn the_next_deadline_and_what_is_overdue() {
        let periods = [
            month("2026-09", "2026-10-05"),
            month("2026-10", "2026-11-05"),
            month("2026-11", "2026-12-05"),
            month("2026-12", "2027-01-05"),
        ];
        let today = date!(2026 - 12 - 07);
        let d = deadlines(&periods, &["2026-10".into()], today);
        assert_eq!(d.overdue.iter().map(|x| x.code.as_str()).collect::<Vec<_>>(), ["2026-09", "2026-11"]);
        assert_eq!(d.overdue[1].days_left, -2);
        let next = d.next.as_ref().unwrap();
        assert_eq!((next.code.as_str(), next.days_left), ("2026-12", 29));
        assert_eq!(d.badge(), 2, "the next deadline is weeks away");
        // On its deadline day a period is due, not overdue.
        let d = deadlines(&periods, &["2026-09".into(), "2026-10".into()], date!(2026 - 12 - 05));
        assert!(d.overdue.is_empty());
        assert_eq!(d.next.as_ref().map(|n| (n.code.as_str(), n.days_left)), Some(("2026-11", 0)));
        assert_eq!(d.badge(), 1);
        // Everything filed: nothing owed.
        let all: Vec<String> = periods.iter().map(|p| p.code.clone()).collect();
        assert_eq!(deadlines(&periods, &all, today), Deadlines::default());
    }
}
