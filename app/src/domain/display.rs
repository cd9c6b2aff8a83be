//! What a meeting-display link is set to show: one movement's period (a
//! month, sơ kết or tổng kết; none: the period that matters now) and some of
//! its clusters and blocks (none: all). Checked when the link is made.

use super::movement::Movement;
use super::FieldError;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DisplayView {
    pub period: Option<String>,
    pub clusters: Vec<String>,
}

/// The view asked for (`period` empty: now; `clusters` empty: all) if the
/// period is the movement's and every cluster one of `known` (the clusters
/// of the movement's area); each error names its field. Clusters are kept
/// once each, in the order given.
pub fn check_view(m: &Movement, period: &str, clusters: &[String], known: &[String]) -> Result<DisplayView, Vec<FieldError>> {
    let mut errors = Vec::new();
    let period = period.trim();
    if !period.is_empty() && !m.periods.iter().any(|p| p.code == period) {
        errors.push(FieldError::new(
            "period",
            "known_period",
            format!("Phong trào không có kỳ \"{period}\"."),
            format!("The movement has no period \"{period}\"."),
        ));
    }
    let mut chosen: Vec<String> = Vec::new();
    for c in clusters.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if !known.iter().any(|k| k == c) {
            errors.push(FieldError::new(
                "clusters",
                "known_cluster",
                format!("Cụm \"{c}\" không thuộc địa bàn của phong trào."),
                format!("Cluster \"{c}\" is not in the movement's area."),
            ));
        } else if !chosen.iter().any(|x| x == c) {
            chosen.push(c.to_string());
        }
    }
    if errors.is_empty() {
        Ok(DisplayView { period: (!period.is_empty()).then(|| period.to_string()), clusters: chosen })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_names_the_movements_own_period_and_clusters() {
        let m = crate::domain::template::seed_movement();
        let known = vec!["cum-1".to_string(), "khoi-1".to_string()];
        let v = check_view(&m, " 2021-10 ", &["cum-1".into(), "cum-1".into(), " ".into()], &known).unwrap();
        assert_eq!(v, DisplayView { period: Some("2021-10".into()), clusters: vec!["cum-1".into()] });
        assert_eq!(check_view(&m, "", &[], &known).unwrap(), DisplayView::default(), "now, every cluster");
        let rules: Vec<(String, String)> =
            check_view(&m, "2030-01", &["cum-9".into()], &known).unwrap_err().into_iter().map(|e| (e.field, e.rule)).collect();
        assert_eq!(rules, [("period".to_string(), "known_period".to_string()), ("clusters".to_string(), "known_cluster".to_string())]);
    }
}
