//! A cluster's leaderboard for a period: each member's sheet from its report
//! (the district's appraisal where given, else the self-score), the late or
//! missing report deduction, then `domain::scoring` ranks them; the previous
//! month's ranks give the change.

use super::review::{parse_time, report_record_ids};
use super::{clusters, units, Db, Result, StoreError};
use crate::domain::cluster::ClusterKind;
use crate::domain::movement::Movement;
use crate::domain::period::{months_closed_within, Period, PeriodKind};
use crate::domain::review::{classify, Timeliness};
use crate::domain::scoring::{self, CriterionPoints, Ranked, SheetInput};
use crate::domain::views::board::{basis_en, basis_vi, Board, BoardRow, Lost};
use crate::domain::views::standings::{BoardCluster, BoardUnit, Standings};
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Deserialize)]
struct Sheet {
    unit: String,
    period: String,
    first: String,
    #[serde(default)]
    scores: Vec<crate::domain::report::ScoreEntry>,
    #[serde(default)]
    appraisal: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    adjustments: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Sheet {
    /// The district's bonus or deduction points on this report (0 if none).
    fn adjusted(&self, kind: crate::domain::review::Adjust) -> f64 {
        self.adjustments.as_ref().and_then(|a| a.get(kind.code())).and_then(|e| e.get("points")).and_then(|p| p.as_f64()).unwrap_or(0.0)
    }
}

/// Each member's scoring input for each of `periods` (`out[period][member]`):
/// its report's sheet (the district's appraisal where given), bonus and
/// deductions, and whether it was late or missing. One read for them all.
async fn inputs(
    db: &Db,
    m: &Movement,
    members: &[crate::domain::unit::Unit],
    periods: &[&Period],
    now: OffsetDateTime,
) -> Result<Vec<Vec<SheetInput>>> {
    let ids: Vec<_> = periods.iter().flat_map(|p| report_record_ids(m, members.iter().map(|u| u.id.as_str()), &p.code)).collect();
    let mut res = db
        .query(
            "SELECT record::id(unit) AS unit, period, <string> first_received_at AS first, body.scores AS scores, appraisal, adjustments
             FROM $ids WHERE kind = 'report'",
        )
        .bind(("ids", ids))
        .await?;
    let sheets: Vec<Sheet> = super::rows(&mut res, 0)?;
    let input = |p: &Period, u: &crate::domain::unit::Unit| {
        let sheet = sheets.iter().find(|s| s.unit == u.id && s.period == p.code);
        // Each period's sheet is of the version it was filed against.
        let d = m.definition_for(&p.code);
        let t = classify(sheet.and_then(|s| parse_time(&s.first)), p.deadline, d.periods.grace_days, now);
        let criteria = u
            .category
            .map(|c| d.criteria_for(c))
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                let own = sheet.and_then(|s| s.scores.iter().find(|e| e.area == c.area)).and_then(|e| e.points);
                let appraised = sheet
                    .and_then(|s| s.appraisal.as_ref())
                    .and_then(|a| a.get(&c.area))
                    .and_then(|a| a.get("points"))
                    .and_then(|p| p.as_f64());
                CriterionPoints { area: c.area.clone(), max: c.max_points as f64, own, appraised }
            })
            .collect();
        SheetInput {
            unit: u.id.clone(),
            criteria,
            bonus: sheet.map_or(0.0, |s| s.adjusted(crate::domain::review::Adjust::Bonus)),
            deductions: sheet.map_or(0.0, |s| s.adjusted(crate::domain::review::Adjust::Deduction)),
            late_reports: matches!(t, Timeliness::Late | Timeliness::Missing) as u32,
            on_time_at: sheet.filter(|_| matches!(t, Timeliness::OnTime | Timeliness::InGrace)).map(|s| s.first.clone()),
        }
    };
    Ok(periods.iter().map(|p| members.iter().map(|u| input(p, u)).collect()).collect())
}

/// Ranks the members of a cluster for one period, and says which months a
/// review ranked over (None: the period's own reports).
async fn ranked<'m>(
    db: &Db,
    m: &'m Movement,
    members: &[crate::domain::unit::Unit],
    period: &str,
    now: OffsetDateTime,
) -> Result<(Vec<Ranked>, Option<Vec<&'m Period>>)> {
    let p = m.periods.iter().find(|p| p.code == period).ok_or_else(|| StoreError::NotFound(format!("period {period}")))?;
    let rules = &m.definition_for(period).scoring;
    if !rules.review_ranking.over_months(p.kind) {
        let scores = inputs(db, m, members, &[p], now).await?.remove(0).iter().map(|i| scoring::score(rules, i)).collect();
        return Ok((scoring::rank(rules, scores), None));
    }
    let months = months_closed_within(&m.periods, p, crate::domain::date::vn_date(now), m.definition.periods.grace_days);
    let by_month = inputs(db, m, members, &months, now).await?;
    let scores = members
        .iter()
        .enumerate()
        .map(|(i, u)| scoring::mean_of(rules, &u.id, &by_month.iter().map(|month| month[i].clone()).collect::<Vec<_>>()))
        .collect();
    Ok((scoring::rank(rules, scores), Some(months)))
}

/// The board of `cluster` for `period`; `with_change` adds the change since
/// the previous month (a second ranking the display does not need).
pub async fn board(db: &Db, m: &Movement, cluster: &str, period: &str, now: OffsetDateTime, with_change: bool) -> Result<Board> {
    let c = clusters::get(db, cluster).await?.ok_or_else(|| StoreError::NotFound(cluster.to_string()))?;
    let members = units::get_many(db, &c.members).await?;
    let (now_ranked, months) = ranked(db, m, &members, period, now).await?;
    let all_months: Vec<&str> = m.periods.iter().filter(|p| p.kind == PeriodKind::Month).map(|p| p.code.as_str()).collect();
    let previous = match all_months.iter().position(|p| *p == period) {
        Some(i) if i > 0 && with_change => Some(ranked(db, m, &members, all_months[i - 1], now).await?.0),
        _ => None,
    };
    let d = m.definition_for(period);
    let rules = &d.scoring;
    let rows = now_ranked
        .into_iter()
        .map(|r| {
            let u = members.iter().find(|u| u.id == r.score.unit);
            let criteria = u.and_then(|u| u.category).map(|c| d.criteria_for(c)).unwrap_or_default();
            let band = r.score.band.as_ref().and_then(|b| rules.bands.iter().find(|x| &x.code == b));
            BoardRow {
                rank: r.rank,
                change: previous.as_ref().and_then(|p| scoring::rank_change(p, &r.score.unit, r.rank)),
                unit: r.score.unit.clone(),
                unit_name: u.map(|u| u.name.clone()).unwrap_or_default(),
                demo: u.is_some_and(|u| u.demo),
                total: r.score.total,
                sheet: r.score.sheet,
                bonus: r.score.bonus,
                deductions: r.score.deductions,
                band_vi: band.map(|b| b.label_vi.clone()).unwrap_or_else(|| rules.below_bands_vi.clone()),
                appraised: r.score.appraised,
                lost: r
                    .score
                    .lost
                    .iter()
                    .map(|(area, pts)| Lost {
                        criterion: criteria.iter().find(|c| &c.area == area).map(|c| c.title_vi.clone()).unwrap_or_else(|| area.clone()),
                        points: *pts,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Board {
        movement: m.id.clone(),
        movements: Vec::new(),
        cluster: c.id,
        cluster_name: c.name,
        period: period.to_string(),
        tie_break_vi: scoring::tie_break_text_vi(rules),
        basis_vi: basis_vi(months.as_deref()),
        basis_en: basis_en(months.as_deref()),
        rows,
        clusters: Vec::new(),
        periods: Vec::new(),
        staff: false,
    })
}

/// The clusters and blocks of the movement's area (several districts may
/// share one database).
pub async fn area_clusters(db: &Db, m: &Movement) -> Result<Vec<crate::domain::cluster::Cluster>> {
    let area: std::collections::HashSet<String> = units::subtree(db, &m.organiser).await?.into_iter().map(|u| u.id).collect();
    Ok(clusters::list(db).await?.into_iter().filter(|c| c.organiser == m.organiser || area.contains(&c.organiser)).collect())
}

/// Every board of the movement's area for `period`, clusters before blocks.
pub async fn rankings(db: &Db, m: &Movement, period: &str, now: OffsetDateTime) -> Result<Vec<Board>> {
    let mut cs = area_clusters(db, m).await?;
    cs.sort_by_key(|c| c.kind == ClusterKind::Block);
    let mut out = Vec::with_capacity(cs.len());
    for c in cs {
        out.push(board(db, m, &c.id, period, now, false).await?);
    }
    Ok(out)
}

/// What a meeting display shows: the clusters and blocks of `view` (all when
/// it names none) ranked for its period (none: the period that matters now,
/// `review::period_now`).
pub async fn standings(db: &Db, m: &Movement, view: &crate::domain::display::DisplayView, now: OffsetDateTime) -> Result<Standings> {
    let period = match &view.period {
        Some(p) => p.clone(),
        None => super::review::period_now(db, m, crate::domain::date::vn_date(now)).await?,
    };
    let mut out = Vec::new();
    for c in area_clusters(db, m).await?.into_iter().filter(|c| view.clusters.is_empty() || view.clusters.contains(&c.id)) {
        let b = board(db, m, &c.id, &period, now, false).await?;
        out.push(BoardCluster {
            name: c.name,
            block: c.kind == ClusterKind::Block,
            units: b.rows.into_iter().map(|r| BoardUnit { rank: r.rank, name: r.unit_name, total: r.total, band: r.band_vi }).collect(),
        });
    }
    let period_vi = m.periods.iter().find(|p| p.code == period).map(|p| p.label_vi.clone()).unwrap_or(period);
    let as_of = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    Ok(Standings { version: 0, as_of, period_vi, clusters: out })
}
