//! Movement templates: the seed's plan as a versioned data file
//! (`data/templates/*.toml`), checked and turned into a running movement.

use super::award::DecisionLevel;
use super::movement::{Movement, MovementDefinition};
use super::FieldError;

/// The template file layout this code reads; bump it when the layout changes.
pub const TEMPLATE_FORMAT: u32 = 1;

/// A movement's id has the shape of a unit's (`valid_unit_id`): it is a
/// part of its report ids. `field` names it as the caller's input does.
pub fn check_movement_id(field: &str, id: &str) -> Option<FieldError> {
    (!super::unit::valid_unit_id(id)).then(|| {
        FieldError::new(
            field,
            "movement_id",
            "Mã phong trào chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 64 ký tự).",
            "A movement's id holds lower-case ASCII letters, digits and hyphens (at most 64).",
        )
    })
}

/// Fits a template to the organiser that takes it up: a rules version that
/// names no form the organiser decides gets the forms issued at the
/// organiser's own level (Decree 152/2025: a commune's chair decides the
/// commune's Giấy khen, a province's chair the province's Bằng khen), so
/// every higher form is forwarded. A version that names some is kept.
pub fn fit_to(mut definition: MovementDefinition, level: Option<DecisionLevel>) -> MovementDefinition {
    let own: Vec<String> = definition.award_forms.iter().filter(|f| Some(f.level) == level).map(|f| f.code.clone()).collect();
    for r in definition.eligibility.iter_mut().filter(|r| r.district_decides.is_empty()) {
        r.district_decides = own.clone();
    }
    definition
}

/// Checks a template and its id, and generates its periods.
pub fn instantiate(definition: MovementDefinition, id: &str, organiser: &str) -> Result<Movement, Vec<FieldError>> {
    let bad_id = check_movement_id("movement.id", id);
    let periods = match (definition.validate(), bad_id) {
        (Ok(p), None) => p,
        (Ok(_), Some(e)) => return Err(vec![e]),
        (Err(mut errs), bad) => {
            errs.extend(bad);
            return Err(errs);
        }
    };
    Ok(Movement {
        organiser_name: String::new(),
        id: id.to_string(),
        organiser: organiser.to_string(),
        definition,
        periods,
        report_ids: Default::default(),
        status: Default::default(),
        earlier: Vec::new(),
    })
}

/// The seed's movement (`data/templates`), instantiated: the tests' example.
#[cfg(test)]
pub(crate) fn seed_movement() -> super::movement::Movement {
    #[derive(serde::Deserialize)]
    struct File {
        movement: MovementDefinition,
    }
    let f: File = toml::from_str(include_str!("../../../data/templates/covid-2021.v1.toml")).expect("template parses");
    instantiate(f.movement, "m", "d611").expect("the seed is valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::award::{check_eligibility, NominationFacts, NomineeKind, Route};
    use crate::domain::indicator::{IndicatorKind, RollUp};
    use crate::domain::unit::ParticipantCategory;
    use time::macros::date;

    #[derive(serde::Deserialize)]
    struct File {
        format: u32,
        movement: MovementDefinition,
    }

    fn seed() -> MovementDefinition {
        let f: File = toml::from_str(include_str!("../../../data/templates/covid-2021.v1.toml")).expect("template parses");
        assert_eq!(f.format, TEMPLATE_FORMAT);
        f.movement
    }

    #[test]
    fn a_tie_break_twice_and_a_bad_council_share_are_refused() {
        let mut d = seed();
        let first = d.scoring.tie_break[0];
        d.scoring.tie_break.push(first);
        d.council.pass.den = 0;
        let rules: Vec<String> = d.validate().unwrap_err().into_iter().map(|e| format!("{}/{}", e.field, e.rule)).collect();
        assert_eq!(rules, ["council.pass/fraction", "scoring.tie_break/unique_tie_break"]);
    }

    #[test]
    fn the_seed_template_is_valid() {
        let m = instantiate(seed(), "covid-2021", "d611").unwrap();
        let d = &m.definition;
        assert_eq!(d.content_areas.len(), 7);
        assert_eq!(d.content_areas.iter().map(|a| a.max_points).sum::<u32>(), 100);
        assert_eq!(d.scoring.bonus_cap, 10);
        assert_eq!(d.scoring.deduction_cap, 20);
        assert_eq!(d.award_forms.len(), 4);
        assert_eq!(m.periods[0].code, "2021-10");
        assert_eq!(m.periods[0].deadline, date!(2021 - 11 - 05));
        for c in ParticipantCategory::ALL {
            assert_eq!(d.criteria_for(c).len(), 7, "{c:?}");
        }
        // Vaccination coverage is weighted, never averaged.
        let vac = d.indicators.iter().find(|i| i.code == "vac-18-dose1").unwrap();
        assert_eq!((vac.kind, vac.rollup), (IndicatorKind::Ratio, RollUp::WeightedRatio));
        assert!(!d.indicators_for(ParticipantCategory::Commune).is_empty());
    }

    #[test]
    fn the_seed_rules_route_forms() {
        let d = seed();
        let facts = |kind, form| NominationFacts {
            nominee_kind: kind,
            form_code: form,
            posthumous: false,
            nominated_on: date!(2021 - 12 - 15),
            other_open_nominations: 0,
        };
        assert_eq!(
            check_eligibility(&d.award_forms, &d.eligibility, &facts(NomineeKind::Household, "giay-khen-chu-tich-huyen")),
            Ok(Route::DistrictDecides)
        );
        assert!(check_eligibility(&d.award_forms, &d.eligibility, &facts(NomineeKind::Household, "bang-khen-chu-tich-tinh")).is_err());
        assert!(matches!(
            check_eligibility(&d.award_forms, &d.eligibility, &facts(NomineeKind::Individual, "bang-khen-thu-tuong")),
            Ok(Route::ForwardUp(_))
        ));
    }

    #[test]
    fn cross_field_rules_name_what_they_compare() {
        use crate::domain::indicator::{Compare, FieldRule, Part};
        let rule = |part, other: &str, other_part| FieldRule { part, compare: Compare::AtMost, other: other.into(), other_part };
        let mut d = seed();
        let i = d.indicators.iter().position(|i| i.code == "vac-18-dose2").unwrap();
        d.indicators[i].rules = vec![rule(Part::Numerator, "vac-18-dose1", Part::Numerator)];
        assert!(d.validate().is_ok());
        d.indicators[i].rules = vec![
            rule(Part::Numerator, "no-such", Part::Numerator),
            rule(Part::Value, "vac-18-dose1", Part::Numerator),
            rule(Part::Numerator, "vac-18-dose2", Part::Numerator),
            rule(Part::Numerator, "f0-community", Part::Numerator),
        ];
        let got: Vec<_> = d.validate().unwrap_err().into_iter().map(|e| format!("{}:{}", e.field, e.rule)).collect();
        assert_eq!(
            got,
            [
                "indicators.vac-18-dose2.rules.0.other:known_indicator",
                "indicators.vac-18-dose2.rules.1.part:rule_part",
                "indicators.vac-18-dose2.rules.2.other_part:rule_other_field",
                "indicators.vac-18-dose2.rules.3.other_part:rule_part",
            ]
        );
    }

    #[test]
    fn a_broken_template_names_its_fields() {
        let mut d = seed();
        d.content_areas[0].max_points = 25;
        d.indicators[0].rollup = RollUp::Sum;
        d.indicators[0].kind = IndicatorKind::Ratio;
        let errs = d.validate().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"content_areas"), "{fields:?}");
        assert!(fields.iter().any(|f| f.ends_with(".rollup")), "{fields:?}");
    }

    fn annual() -> MovementDefinition {
        #[derive(serde::Deserialize)]
        struct File {
            movement: MovementDefinition,
        }
        toml::from_str::<File>(include_str!("../../../data/templates/thi-dua-nam.v1.toml")).expect("template parses").movement
    }

    #[test]
    fn todays_template_routes_awards_by_the_organisers_level_under_decree_152() {
        use crate::domain::award::DecisionLevel;
        let d = annual();
        d.validate().expect("today's template is valid");
        let on = date!(2026 - 11 - 20);
        let route = |d: &MovementDefinition, form: &str| {
            let f = NominationFacts {
                nominee_kind: NomineeKind::Collective,
                form_code: form,
                posthumous: false,
                nominated_on: on,
                other_open_nominations: 0,
            };
            check_eligibility(&d.award_forms, &d.eligibility, &f)
        };
        // A province decides its chair's Bằng khen and forwards the Prime
        // Minister's; a commune decides its chair's Giấy khen only.
        let province = fit_to(d.clone(), Some(DecisionLevel::Province));
        assert_eq!(route(&province, "bang-khen-chu-tich-tinh"), Ok(Route::DistrictDecides));
        assert_eq!(route(&province, "bang-khen-thu-tuong"), Ok(Route::ForwardUp(DecisionLevel::Central)));
        assert_eq!(route(&province, "giay-khen-chu-tich-xa"), Ok(Route::ForwardUp(DecisionLevel::Commune)));
        let commune = fit_to(d.clone(), Some(DecisionLevel::Commune));
        assert_eq!(route(&commune, "giay-khen-chu-tich-xa"), Ok(Route::DistrictDecides));
        assert_eq!(route(&commune, "bang-khen-chu-tich-tinh"), Ok(Route::ForwardUp(DecisionLevel::Province)));
        // The rules are dated: nothing is in force before 1/7/2025.
        let early = NominationFacts {
            nominee_kind: NomineeKind::Collective,
            form_code: "giay-khen-chu-tich-xa",
            posthumous: false,
            nominated_on: date!(2025 - 06 - 30),
            other_open_nominations: 0,
        };
        let errs = check_eligibility(&commune.award_forms, &commune.eligibility, &early).unwrap_err();
        assert_eq!(errs[0].rule, "rules_in_force");
        // No district chair's form survives the reform.
        assert!(d.award_forms.iter().all(|f| f.level != DecisionLevel::District));
        // A version that already names its forms is the organiser's choice.
        let mut chosen = d;
        chosen.eligibility[0].district_decides = vec!["giay-khen-thu-truong-so".into()];
        let kept = fit_to(chosen, Some(DecisionLevel::Province));
        assert_eq!(kept.eligibility[0].district_decides, ["giay-khen-thu-truong-so"]);
    }
}
