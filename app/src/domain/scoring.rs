//! Scores and ranks (SPEC §5.5, §6.2, §6.3): a unit's final score is its
//! sheet score (appraised points where the district appraised, self-scores
//! otherwise, marked as such) plus the bonus minus deductions, each within its
//! cap; a band needs both the total and every criterion's share; units rank
//! within a cluster by the movement's tie-break rule, ending in the unit code
//! so the order is total and does not depend on the order of the input.
//! Every number here comes from `ScoringRules` (movement data).

use super::movement::{Band, ScoringRules, TieBreak};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One criterion of a unit's sheet for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionPoints {
    pub area: String,
    pub max: f64,
    /// The self-score (None: not scored).
    pub own: Option<f64>,
    /// The district's appraisal, when there is one.
    pub appraised: Option<f64>,
}

impl CriterionPoints {
    /// The points that count: the appraisal, else the self-score, within
    /// [0, max]; a missing or non-finite score counts 0.
    pub fn counted(&self) -> f64 {
        let p = self.appraised.or(self.own).filter(|p| p.is_finite()).unwrap_or(0.0);
        p.clamp(0.0, self.max.max(0.0))
    }
}

/// What scoring needs of a unit for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetInput {
    pub unit: String,
    pub criteria: Vec<CriterionPoints>,
    /// Bonus points granted (recognised initiatives, published models…).
    pub bonus: f64,
    /// Deductions other than late or missing reports.
    pub deductions: f64,
    /// Late or missing reports counted against the unit.
    pub late_reports: u32,
    /// When its report first arrived on time (RFC 3339; None: not on time).
    pub on_time_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub unit: String,
    /// Sum of the counted criterion points (no bonus).
    pub sheet: f64,
    pub bonus: f64,
    pub deductions: f64,
    pub total: f64,
    /// The band's code, or None: below every band.
    pub band: Option<String>,
    /// Every criterion appraised by the district (else self-scores count).
    pub appraised: bool,
    /// Points lost per criterion (max − counted), where any were lost.
    pub lost: Vec<(String, f64)>,
    pub on_time_at: Option<String>,
}

fn finite_or_zero(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// The highest band whose total and per-criterion minimums the sheet meets.
pub fn band_of<'a>(bands: &'a [Band], total: f64, criteria: &[CriterionPoints]) -> Option<&'a Band> {
    bands
        .iter()
        .filter(|b| total >= b.min_total && criteria.iter().all(|c| c.counted() >= c.max * b.min_each_percent / 100.0 - 1e-9))
        .max_by(|a, b| a.min_total.partial_cmp(&b.min_total).unwrap_or(Ordering::Equal))
}

/// Scores are shown and compared to the hundredth: float noise from adding
/// fractions must not separate two units with the same points.
fn hundredths(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn score(rules: &ScoringRules, input: &SheetInput) -> Score {
    let sheet = hundredths(input.criteria.iter().map(CriterionPoints::counted).sum());
    let bonus = hundredths(finite_or_zero(input.bonus).clamp(0.0, rules.bonus_cap as f64));
    let deductions = hundredths(
        (finite_or_zero(input.deductions).max(0.0) + input.late_reports as f64 * rules.late_report_deduction as f64)
            .min(rules.deduction_cap as f64),
    );
    let total = hundredths(sheet + bonus - deductions);
    Score {
        unit: input.unit.clone(),
        sheet,
        bonus,
        deductions,
        total,
        band: band_of(&rules.bands, total, &input.criteria).map(|b| b.code.clone()),
        appraised: !input.criteria.is_empty() && input.criteria.iter().all(|c| c.appraised.is_some()),
        lost: input
            .criteria
            .iter()
            .filter_map(|c| {
                let l = c.max - c.counted();
                (l > 0.0).then(|| (c.area.clone(), l))
            })
            .collect(),
        on_time_at: input.on_time_at.clone(),
    }
}

/// A unit's result over several periods (a review ranked by the mean of its
/// months): each period scored on its own, so caps and late deductions apply
/// per period; then every figure is averaged, and the band comes from the
/// mean total and each criterion's mean points. Submission times do not carry
/// over: the earlier-submission tie-break does not separate such results.
pub fn mean_of(rules: &ScoringRules, unit: &str, periods: &[SheetInput]) -> Score {
    let n = periods.len().max(1) as f64;
    let mut criteria: Vec<CriterionPoints> = Vec::new();
    for c in periods.iter().flat_map(|p| &p.criteria) {
        match criteria.iter_mut().find(|x| x.area == c.area) {
            Some(x) => x.own = Some(x.own.unwrap_or(0.0) + c.counted() / n),
            None => criteria.push(CriterionPoints { area: c.area.clone(), max: c.max, own: Some(c.counted() / n), appraised: None }),
        }
    }
    let scores: Vec<Score> = periods.iter().map(|p| score(rules, p)).collect();
    let mean = |f: fn(&Score) -> f64| hundredths(scores.iter().map(f).sum::<f64>() / n);
    let total = mean(|s| s.total);
    Score {
        unit: unit.to_string(),
        sheet: mean(|s| s.sheet),
        bonus: mean(|s| s.bonus),
        deductions: mean(|s| s.deductions),
        total,
        band: band_of(&rules.bands, total, &criteria).map(|b| b.code.clone()),
        appraised: !scores.is_empty() && scores.iter().all(|s| s.appraised),
        lost: criteria
            .iter()
            .filter_map(|c| {
                let l = hundredths(c.max - c.counted());
                (l > 0.0).then(|| (c.area.clone(), l))
            })
            .collect(),
        on_time_at: None,
    }
}

/// Compares by one tie-break key: `Less` means `a` ranks higher.
fn by_key(key: TieBreak, a: &Score, b: &Score) -> Ordering {
    match key {
        TieBreak::SheetScore => b.sheet.total_cmp(&a.sheet),
        TieBreak::FewerDeductions => a.deductions.total_cmp(&b.deductions),
        // On time beats not on time; earlier beats later.
        TieBreak::EarlierSubmission => match (&a.on_time_at, &b.on_time_at) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}

/// Total, then the tie-break keys in the movement's order (unit code last,
/// only for a stable order: it does not separate ranks).
fn compare(rules: &ScoringRules, a: &Score, b: &Score) -> Ordering {
    b.total.total_cmp(&a.total).then_with(|| rules.tie_break.iter().fold(Ordering::Equal, |o, k| o.then_with(|| by_key(*k, a, b))))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// 1 for the first; units the rule cannot separate share a rank.
    pub rank: u32,
    pub score: Score,
}

/// Ranks the scores of one cluster or block.
pub fn rank(rules: &ScoringRules, mut scores: Vec<Score>) -> Vec<Ranked> {
    scores.sort_by(|a, b| compare(rules, a, b).then_with(|| a.unit.cmp(&b.unit)));
    let mut out: Vec<Ranked> = Vec::with_capacity(scores.len());
    for (i, s) in scores.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if compare(rules, &prev.score, &s) == Ordering::Equal => prev.rank,
            _ => i as u32 + 1,
        };
        out.push(Ranked { rank, score: s });
    }
    out
}

/// How many places a unit moved since the previous period (positive: up);
/// None when it was not ranked then.
pub fn rank_change(previous: &[Ranked], unit: &str, now: u32) -> Option<i64> {
    previous.iter().find(|r| r.score.unit == unit).map(|p| p.rank as i64 - now as i64)
}

/// The tie-break rule in words, for the page.
pub fn tie_break_text_vi(rules: &ScoringRules) -> String {
    let keys: Vec<&str> = rules.tie_break.iter().map(|k| k.label_vi()).collect();
    format!("Bằng điểm thì xếp trên đơn vị có {}.", keys.join("; rồi "))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The seed's scoring rules (SPEC §6.3), for tests elsewhere too.
    pub(crate) fn rules() -> ScoringRules {
        let band = |code: &str, t: f64, e: f64| Band {
            code: code.into(),
            label_vi: code.into(),
            label_en: code.into(),
            min_total: t,
            min_each_percent: e,
        };
        ScoringRules {
            sheet_total: 100,
            bonus_cap: 10,
            deduction_cap: 20,
            late_report_deduction: 2,
            tie_break: vec![TieBreak::SheetScore, TieBreak::FewerDeductions, TieBreak::EarlierSubmission],
            bands: vec![band("xuat-sac", 90.0, 85.0), band("tot", 80.0, 80.0), band("hoan-thanh", 70.0, 70.0)],
            below_bands_vi: "Chưa hoàn thành".into(),
            below_bands_en: "Not completed".into(),
            review_ranking: Default::default(),
        }
    }

    const MAXES: [f64; 7] = [20.0, 15.0, 15.0, 10.0, 20.0, 10.0, 10.0];

    fn sheet(unit: &str, share: [f64; 7]) -> SheetInput {
        SheetInput {
            unit: unit.into(),
            criteria: MAXES
                .iter()
                .zip(share)
                .enumerate()
                .map(|(i, (m, s))| CriterionPoints { area: format!("a{i}"), max: *m, own: Some(m * s), appraised: None })
                .collect(),
            bonus: 0.0,
            deductions: 0.0,
            late_reports: 0,
            on_time_at: Some("2021-11-03T02:00:00Z".into()),
        }
    }

    #[test]
    fn appraisal_counts_over_the_self_score_and_caps_hold() {
        let mut s = sheet("a", [1.0; 7]);
        s.criteria[0].appraised = Some(15.0);
        s.bonus = 25.0;
        s.deductions = 5.0;
        s.late_reports = 10;
        let sc = score(&rules(), &s);
        assert_eq!(sc.sheet, 95.0);
        assert_eq!(sc.bonus, 10.0, "bonus capped at +10");
        assert_eq!(sc.deductions, 20.0, "deductions capped at −20");
        assert_eq!(sc.total, 85.0);
        assert_eq!(sc.lost, vec![("a0".to_string(), 5.0)]);
        assert!(!sc.appraised);
    }

    #[test]
    fn a_review_is_the_mean_of_its_months_each_scored_on_its_own() {
        let r = rules();
        // October: every point, a bonus of 15 (capped at 10 in its month).
        let mut oct = sheet("a", [1.0; 7]);
        oct.bonus = 15.0;
        // November: nothing filed, one late report (−2).
        let mut nov = sheet("a", [0.0; 7]);
        nov.late_reports = 1;
        let s = mean_of(&r, "a", &[oct.clone(), nov]);
        assert_eq!((s.sheet, s.bonus, s.deductions, s.total), (50.0, 5.0, 1.0, 54.0));
        assert_eq!(s.band, None);
        assert_eq!(s.lost.len(), 7, "half of every criterion lost on average");
        assert_eq!(s.on_time_at, None);
        // 100 and 88 (criterion 0 at 8/20 = 40 % in the second month):
        // a mean of 94 with criterion 0 at 70 %, below Xuất sắc's and Tốt's
        // 80–85 % but enough for Hoàn thành's 70 %.
        let mut dec = sheet("a", [1.0; 7]);
        dec.criteria[0].own = Some(8.0);
        let s = mean_of(&r, "a", &[sheet("a", [1.0; 7]), dec]);
        assert_eq!(s.total, 94.0);
        assert_eq!(s.band.as_deref(), Some("hoan-thanh"));
        // Appraised only when every month is.
        let mut done = sheet("a", [1.0; 7]);
        done.criteria.iter_mut().for_each(|c| c.appraised = Some(c.max));
        assert!(mean_of(&r, "a", &[done.clone(), done.clone()]).appraised);
        assert!(!mean_of(&r, "a", &[done, oct]).appraised);
        assert_eq!(mean_of(&r, "a", &[]).total, 0.0);
    }

    #[test]
    fn a_band_needs_every_criterion_too() {
        // 95 points, but criterion 2 at 12/15 = 80 %: not Xuất sắc (85 %), Tốt.
        let mut s = sheet("a", [1.0; 7]);
        s.criteria[1].own = Some(12.0);
        s.criteria[0].own = Some(20.0);
        let sc = score(&rules(), &s);
        assert_eq!(sc.total, 97.0);
        assert_eq!(sc.band.as_deref(), Some("tot"));
        // 69.75 points: below every band.
        let sc = score(&rules(), &sheet("b", [0.6975; 7]));
        assert_eq!(sc.band, None);
    }

    #[test]
    fn ties_follow_the_rule_in_order() {
        let r = rules();
        // Same total 90: a has more sheet points (bonus 0), b reached 90 with a bonus.
        let mut a = sheet("a", [0.9; 7]);
        let mut b = sheet("b", [0.85; 7]);
        b.bonus = 5.0;
        // c: same sheet and total as a, but a deduction of 2 (so more sheet).
        let mut c = sheet("c", [0.92; 7]);
        c.late_reports = 1;
        a.on_time_at = Some("2021-11-04T00:00:00Z".into());
        let ranked = rank(&r, vec![score(&r, &b), score(&r, &c), score(&r, &a)]);
        let order: Vec<&str> = ranked.iter().map(|x| x.score.unit.as_str()).collect();
        assert_eq!(ranked.iter().map(|x| x.score.total).collect::<Vec<_>>(), vec![90.0, 90.0, 90.0]);
        assert_eq!(order, vec!["c", "a", "b"], "higher sheet score first");
        // Equal on everything but the submission time: earlier first.
        let mut d = sheet("d", [0.9; 7]);
        d.on_time_at = Some("2021-11-01T00:00:00Z".into());
        let ranked = rank(&r, vec![score(&r, &a), score(&r, &d)]);
        assert_eq!(ranked[0].score.unit, "d");
        assert_eq!((ranked[0].rank, ranked[1].rank), (1, 2));
        // Equal on every key: they share the rank.
        let e = SheetInput { unit: "e".into(), ..a.clone() };
        let ranked = rank(&r, vec![score(&r, &e), score(&r, &a)]);
        assert_eq!((ranked[0].rank, ranked[1].rank), (1, 1));
        assert_eq!(ranked[0].score.unit, "a");
    }

    #[test]
    fn rank_change_since_the_previous_period() {
        let r = rules();
        let prev = rank(&r, vec![score(&r, &sheet("a", [0.9; 7])), score(&r, &sheet("b", [0.8; 7]))]);
        assert_eq!(rank_change(&prev, "b", 1), Some(1));
        assert_eq!(rank_change(&prev, "a", 2), Some(-1));
        assert_eq!(rank_change(&prev, "c", 1), None);
        assert!(tie_break_text_vi(&r).contains("ít điểm trừ hơn"));
    }

    fn arb_sheet() -> impl Strategy<Value = SheetInput> {
        (
            "[a-h]{1,3}",
            proptest::array::uniform7(0u32..=4),
            proptest::option::of(0u32..=40),
            0u32..=30,
            0u32..=30,
            0u32..=12,
            proptest::option::of(0u32..5),
        )
            .prop_map(|(unit, steps, appraised, bonus, deductions, late, t)| {
                let mut s = sheet(&unit, steps.map(|k| k as f64 / 4.0));
                if let Some(a) = appraised {
                    s.criteria[0].appraised = Some(a as f64 / 2.0);
                }
                s.bonus = bonus as f64 / 2.0;
                s.deductions = deductions as f64;
                s.late_reports = late;
                s.on_time_at = t.map(|d| format!("2021-11-0{}T00:00:00Z", d + 1));
                s
            })
    }

    proptest! {
        #[test]
        fn scores_stay_within_caps_and_bands_respect_minimums(s in arb_sheet()) {
            let r = rules();
            let sc = score(&r, &s);
            prop_assert!(sc.sheet >= 0.0 && sc.sheet <= 100.0);
            prop_assert!(sc.bonus >= 0.0 && sc.bonus <= r.bonus_cap as f64);
            prop_assert!(sc.deductions >= 0.0 && sc.deductions <= r.deduction_cap as f64);
            prop_assert!((sc.total - (sc.sheet + sc.bonus - sc.deductions)).abs() < 0.005 + 1e-9);
            if let Some(code) = &sc.band {
                let b = r.bands.iter().find(|b| &b.code == code).unwrap();
                prop_assert!(sc.total >= b.min_total);
                for c in &s.criteria {
                    prop_assert!(c.counted() >= c.max * b.min_each_percent / 100.0 - 1e-9);
                }
                // No higher band would also fit.
                for higher in r.bands.iter().filter(|h| h.min_total > b.min_total) {
                    prop_assert!(sc.total < higher.min_total || s.criteria.iter().any(|c| c.counted() < c.max * higher.min_each_percent / 100.0 - 1e-9));
                }
            }
        }

        #[test]
        fn ranking_is_a_total_order_independent_of_input_order(mut sheets in proptest::collection::vec(arb_sheet(), 1..12), seed in any::<u64>()) {
            let r = rules();
            // Unit codes are unique within a cluster.
            sheets.sort_by(|a, b| a.unit.cmp(&b.unit));
            sheets.dedup_by(|a, b| a.unit == b.unit);
            let scores: Vec<Score> = sheets.iter().map(|s| score(&r, s)).collect();
            let first = rank(&r, scores.clone());
            let mut shuffled = scores.clone();
            let mut x = seed;
            for i in (1..shuffled.len()).rev() {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (x >> 33) as usize % (i + 1));
            }
            let second = rank(&r, shuffled);
            prop_assert_eq!(&first, &second);
            for w in first.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                prop_assert!(a.score.total >= b.score.total);
                prop_assert!(a.rank <= b.rank);
                if a.rank == b.rank {
                    prop_assert_eq!(compare(&r, &a.score, &b.score), Ordering::Equal);
                } else {
                    prop_assert_eq!(b.rank as usize, first.iter().position(|q| q.score.unit == b.score.unit).unwrap() + 1);
                }
            }
        }
    }
}
