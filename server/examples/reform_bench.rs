//! Two-level government figures for BENCHMARKS.md (issue 22), on embedded
//! SurrealKV: the whole country's pre-2025 catalogue (63 provinces, 693
//! districts, 10,395 communes), then today's two-level catalogue dated
//! 1/7/2025 (34 provinces, 3,321 communes, codes reused as the GSO reused
//! them), then the old→new mapping (10,395 lines); and a 100-commune
//! province's consolidation through its server function
//! (`/api/consolidation/page`) with a year of reports.
//!
//!   cargo run -p server --example reform_bench --release
use app::domain::auth::Role;
use app::store::{catalogue_import, movements, succession, DbConfig};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

mod common;

const OLD_COMMUNES: usize = 63 * 11 * 15;
const NEW_COMMUNES: usize = 3_321;
const PROVINCE_COMMUNES: usize = 100;
const MONTHS: usize = 12;

fn old_country() -> String {
    let mut s = String::from("Tỉnh / Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n");
    for c in 1..=OLD_COMMUNES {
        let d = (c - 1) / 15 + 1;
        let p = (d - 1) / 11 + 1;
        writeln!(s, "Tỉnh Cũ {p},{p:02},Huyện Thử {d},{d:03},Xã Cũ {c},{c:05},Xã").unwrap();
    }
    s
}

/// The new commune an old one went into (0-based), and its province (1-based):
/// the first province has exactly `PROVINCE_COMMUNES`.
fn new_of(old: usize) -> usize {
    ((old - 1) * NEW_COMMUNES / OLD_COMMUNES).min(NEW_COMMUNES - 1)
}
fn province_of(new: usize) -> usize {
    if new < PROVINCE_COMMUNES {
        1
    } else {
        2 + (new - PROVINCE_COMMUNES) % 33
    }
}
/// Each new commune takes the code of the first old commune merged into it.
fn code_of(new: usize) -> usize {
    (1..=OLD_COMMUNES).find(|&o| new_of(o) == new).unwrap()
}

fn median(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = DbConfig { url: format!("surrealkv://{}", dir.path().join("db").display()), ..DbConfig::memory() };
    let db = app::store::connect(&cfg).await.unwrap();

    let t = Instant::now();
    catalogue_import::import(&db, &old_country(), "old").await.unwrap();
    println!("pre-2025 catalogue ({OLD_COMMUNES} communes): {:.1} s", t.elapsed().as_secs_f64());

    let codes: Vec<usize> = (0..NEW_COMMUNES).map(code_of).collect();
    let mut new = String::from("Tỉnh / Thành Phố,Mã TP,Phường Xã,Mã PX,Cấp\n");
    for (n, code) in codes.iter().enumerate() {
        let p = province_of(n);
        writeln!(new, "Tỉnh Mới {p},{p:02},Xã Mới {n},{code:05},Xã").unwrap();
    }
    let t = Instant::now();
    let r = catalogue_import::import_dated(&db, &new, "new", None, None, None).await.unwrap();
    println!(
        "two-level catalogue dated 1/7/2025 ({} provinces, {} communes; {} old units ended by reused codes): {:.1} s",
        r.provinces,
        r.communes,
        r.ended,
        t.elapsed().as_secs_f64()
    );

    let mut map =
        String::from("Mã PX cũ,Phường Xã cũ,Quận Huyện cũ,Tỉnh / Thành Phố cũ,Mã PX mới,Phường Xã mới,Tỉnh / Thành Phố mới,Một phần\n");
    for o in 1..=OLD_COMMUNES {
        let (n, d) = (new_of(o), (o - 1) / 15 + 1);
        let p = (d - 1) / 11 + 1;
        writeln!(map, "{o:05},Xã Cũ {o},Huyện Thử {d},Tỉnh Cũ {p},{:05},Xã Mới {n},Tỉnh Mới {},không", codes[n], province_of(n)).unwrap();
    }
    let t = Instant::now();
    let m = succession::import(&db, &map, app::domain::catalogue::two_level_since(), None, None, true).await.unwrap();
    println!("mapping ({} lines; {} old units ended): {:.1} s", m.rows, m.ended, t.elapsed().as_secs_f64());

    // A province's movement for 2026 and a year of its communes' reports.
    // Code 01 named an old province too: today's is a unit of its own.
    let province = "p01-2025";
    let mut def = app::store::movement_file::read(app::store::movement_file::SEED_TEMPLATE).unwrap();
    def.periods.monthly_from = "2026-01".into();
    def.periods.monthly_until = "2026-12".into();
    def.periods.reviews.clear();
    let movement = app::domain::template::instantiate(def, "bench-province", province).unwrap();
    movements::save(&db, &movement, false).await.unwrap();
    let mv = movements::by_code(&db, "bench-province").await.unwrap().unwrap();
    let communes: Vec<String> =
        app::store::units::commune_ids(&db, province).await.unwrap().into_iter().filter(|u| u != province).collect();
    assert_eq!(communes.len(), PROVINCE_COMMUNES, "the province's communes");
    let form_cat = app::domain::unit::ParticipantCategory::Commune;
    let criteria = mv.definition.criteria_for(form_cat);
    let indicators: Vec<_> = mv.definition.indicators_for(form_cat).into_iter().cloned().collect();
    let t = Instant::now();
    for k in 0..MONTHS {
        let month = format!("2026-{:02}", k + 1);
        let rows: Vec<serde_json::Value> = communes
            .iter()
            .enumerate()
            .map(|(j, unit)| {
                let seed = (j * 7 + k * 13) as f64;
                let body = common::seeded_report(&mv.id, unit, &month, &criteria, &indicators, seed);
                serde_json::json!({ "id": mv.report_id(unit, &month), "unit": unit, "period": month, "body": body })
            })
            .collect();
        db.query(
            "FOR $r IN $rows {
                CREATE type::record('submission', $r.id) CONTENT {
                    kind: 'report', movement: type::record('movement', $m), unit: type::record('unit', $r.unit), period: $r.period, revision: 1, base: 0,
                    device: 'bench', hash: string::repeat('0', 64), body: $r.body, status: 'submitted',
                    submitted_by: 'bench', first_received_at: time::now(), received_at: time::now(), updated_at: time::now()
                };
            }",
        )
        .bind(("rows", rows))
        .bind(("m", mv.id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    }
    println!("{} reports written in {:.1} s", PROVINCE_COMMUNES * MONTHS, t.elapsed().as_secs_f64());

    // The province desk's consolidation page, through the router as a
    // browser calls it (session check, scope, consolidation, trend, JSON).
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    app::store::accounts::create(
        &db,
        app::store::accounts::NewAccount {
            username: "province".into(),
            display_name: "Cán bộ tỉnh".into(),
            role: Role::DistrictOfficer,
            unit: province.into(),
            password: "mat-khau-bench-tinh".into(),
        },
        None,
    )
    .await
    .unwrap();
    let token = app::store::accounts::create_session(&db, "province", "1h").await.unwrap();
    let cookie = format!("thidua_session={token}");
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..11 {
        use tower::ServiceExt;
        let req = axum::http::Request::post("/api/consolidation/page")
            .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(axum::http::header::COOKIE, &cookie)
            .body(axum::body::Body::from("period=2026-12&movement=bench-province"))
            .unwrap();
        let t = Instant::now();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), 200);
        let body = axum::body::to_bytes(res.into_body(), 1 << 26).await.unwrap();
        times.push(t.elapsed());
        size = body.len();
        assert!(String::from_utf8_lossy(&body).contains("\"reports\":100"), "all 100 reports counted");
    }
    let (med, lo, hi) = median(times);
    println!(
        "province consolidation page ({PROVINCE_COMMUNES} communes, December with the 12-month trend): median {:.1} ms ({:.1}–{:.1}, 11 runs), {} KB of JSON",
        med.as_secs_f64() * 1e3,
        lo.as_secs_f64() * 1e3,
        hi.as_secs_f64() * 1e3,
        size / 1024
    );
}
