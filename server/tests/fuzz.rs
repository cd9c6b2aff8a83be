//! Fuzzing (proptest at scale) of the sync payload decoder and of domain
//! validation: arbitrary bytes, mutated real pushes and random
//! report bodies never panic the decoder, `normalize` or `validate`; what
//! validation lets through is within the sheet's rules (points finite, in
//! range and in quarter steps; texts without control characters and within
//! their length); normalising twice changes nothing.
//!
//! `THIDUA_FUZZ_CASES` sets the cases per property (default 1,000; the long
//! run in RELIABILITY.md used 200,000).
mod common;
use app::domain::report::{IndicatorEntry, ReportBody, ReportForm, ScoreEntry};
use app::domain::sync::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn runner() -> TestRunner {
    let cases = std::env::var("THIDUA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    TestRunner::new_with_rng(
        Config { cases, failure_persistence: None, ..Config::default() },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    )
}

fn form() -> ReportForm {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = common::mem_db().await;
        server::demo::load(&db).await.unwrap();
        app::store::submissions::form_for(&db, "x23389").await.unwrap().unwrap()
    })
}

/// Text with what phones and attackers send: Vietnamese (NFC and NFD), control
/// characters, SurrealQL and HTML metacharacters, long runs.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        Just("Tổ chức tiêm chủng".to_string()),
        Just("To\u{302} chu\u{301}c tie\u{302}m chu\u{309}ng".to_string()),
        Just("a\u{0}b\u{7}c\u{1b}[31m".to_string()),
        Just("'; DELETE submission; -- $x ⟨id⟩ `x` {a: 1}".to_string()),
        Just("<script>alert(1)</script><img src=x onerror=alert(1)>".to_string()),
        (0usize..5000).prop_map(|n| "ắ".repeat(n)),
    ]
}

fn number() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        (-5.0f64..30.0).prop_map(Some),
        (0u32..120).prop_map(|q| Some(q as f64 / 4.0)),
        Just(Some(f64::NAN)),
        Just(Some(f64::INFINITY)),
        Just(Some(-0.0)),
        Just(Some(1e308)),
        any::<f64>().prop_map(Some),
    ]
}

fn body(form: &ReportForm) -> impl Strategy<Value = ReportBody> {
    let areas: Vec<String> = form.criteria.iter().map(|c| c.area.clone()).chain(["khong-co".to_string()]).collect();
    let codes: Vec<String> = form.indicators.iter().map(|i| i.code.clone()).chain(["XX".to_string()]).collect();
    let periods: Vec<String> = form.periods.iter().map(|p| p.code.clone()).chain(["2099-13".to_string()]).collect();
    let unit = form.unit.clone();
    (
        proptest::sample::select(periods),
        proptest::collection::vec((proptest::sample::select(areas), number(), text()), 0..9),
        proptest::collection::vec((proptest::sample::select(codes), number(), number(), number()), 0..6),
        text(),
    )
        .prop_map(move |(period, scores, indicators, achievements)| ReportBody {
            files: Vec::new(),
            unit: unit.clone(),
            period,
            scores: scores.into_iter().map(|(area, points, evidence)| ScoreEntry { area, points, evidence }).collect(),
            indicators: indicators
                .into_iter()
                .map(|(code, value, numerator, denominator)| IndicatorEntry { code, value, numerator, denominator })
                .collect(),
            achievements,
            movement: None,
            copied: Vec::new(),
        })
}

#[test]
fn validation_never_panics_and_lets_through_only_what_the_sheet_allows() {
    let form = form();
    let mut runner = runner();
    runner
        .run(&body(&form), |mut b| {
            b.normalize();
            let once = b.clone();
            b.normalize();
            // (Compared as text: NaN is not equal to itself.)
            prop_assert_eq!(format!("{once:?}"), format!("{b:?}"), "normalising twice changes nothing");
            let errors = b.validate(&form);
            for e in &errors {
                prop_assert!(!e.field.is_empty() && !e.rule.is_empty() && !e.message_vi.is_empty(), "{:?}", e);
            }
            if errors.is_empty() {
                for s in &b.scores {
                    let c = form.criteria.iter().find(|c| c.area == s.area).expect("a known criterion");
                    if let Some(p) = s.points {
                        prop_assert!(
                            p.is_finite() && (0.0..=c.max_points as f64).contains(&p) && (p * 4.0).fract() == 0.0,
                            "{p} let through"
                        );
                    }
                    prop_assert!(!s.evidence.chars().any(|c| c.is_control() && !"\n\r\t".contains(c)));
                }
                prop_assert!(!b.achievements.chars().any(|c| c.is_control() && !"\n\r\t".contains(c)));
                for i in &b.indicators {
                    for v in [i.value, i.numerator, i.denominator].into_iter().flatten() {
                        prop_assert!(v.is_finite() && v >= 0.0, "indicator {} = {v} let through", i.code);
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_push_decoder_survives_arbitrary_and_mutated_payloads() {
    let form = form();
    let valid = {
        let b = ReportBody {
            files: Vec::new(),
            unit: form.unit.clone(),
            period: form.periods[0].code.clone(),
            scores: vec![ScoreEntry { area: form.criteria[0].area.clone(), points: Some(5.0), evidence: "Kế hoạch 12".into() }],
            indicators: vec![],
            achievements: "Tiêm chủng".into(),
            movement: Some(form.movement.clone()),
            copied: Vec::new(),
        };
        let batch = PushBatch {
            protocol: PROTOCOL.into(),
            device: "may-1".into(),
            items: vec![PushItem { id: form.report_id(&b.period), revision: 1, base: 0, body: ItemBody::Report(b) }],
        };
        serde_json::json!({ "batch": batch }).to_string()
    };
    let tokens =
        ["null", "NaN", "1e999", "-1", "4294967296", "\"\\u0000\"", "{", "]", "\"", "[[[[[[[[", "true", "\"report\"", "\"nomination\""];
    let payload = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        (0..valid.len(), 0..valid.len(), proptest::sample::select(tokens.to_vec())).prop_map({
            let valid = valid.clone();
            move |(a, b, tok)| {
                let (a, b) = (a.min(b), a.max(b).min(a + 12));
                let mut s = valid.as_bytes().to_vec();
                s.splice(a..b, tok.bytes());
                s
            }
        }),
    ];
    let mut runner = runner();
    let decoded = std::cell::Cell::new(0);
    runner
        .run(&payload, |bytes| {
            // The server function's input: `{"batch": PushBatch}` as JSON.
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                if let Ok(mut batch) = serde_json::from_value::<PushBatch>(v["batch"].clone()) {
                    decoded.set(decoded.get() + 1);
                    for item in &mut batch.items {
                        let _ = valid_item_id(&item.id);
                        item.body.normalize();
                        let _ = item.body.validate(Some(&form), &form.unit, time::macros::date!(2021 - 12 - 31));
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(decoded.get() > 0, "some mutated payloads still decode, so validation was reached");
}
