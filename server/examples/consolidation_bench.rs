//! Consolidation figures for BENCHMARKS.md (issue 5): a synthetic
//! whole-country catalogue (63 provinces, 693 districts, 10,395 communes) and
//! a year of monthly reports from every commune (124,740 reports) on
//! embedded SurrealKV; then the time to consolidate one district and the
//! whole country for a month, a district's trend, its XLSX, leaderboards,
//! and memory.
//!
//! The loading and the measuring are two processes, as they are in use: this
//! one writes the year as fast as the engine takes it, closes the store and
//! starts itself again with `--serve DIR`, which opens the store as a server
//! starting on that data directory would, runs the queries, and reports its
//! own memory (the server's, issue 5's target) apart from the loader's.
//!
//!   cargo run -p server --example consolidation_bench --release
use app::domain::unit::{Unit, UnitKind};
use app::store::{consolidation, movements, review, Db, DbConfig};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

mod common;
use common::rss_mb;

const PROVINCES: usize = 63;
const DISTRICTS_PER_PROVINCE: usize = 11;
const COMMUNES_PER_DISTRICT: usize = 15;
const MONTHS: [&str; 12] =
    ["2021-10", "2021-11", "2021-12", "2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06", "2022-07", "2022-08", "2022-09"];

fn country_csv() -> String {
    let mut s = String::from("Tỉnh / Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n");
    let (mut d, mut c) = (0, 0);
    for p in 1..=PROVINCES {
        for _ in 0..DISTRICTS_PER_PROVINCE {
            d += 1;
            for _ in 0..COMMUNES_PER_DISTRICT {
                c += 1;
                writeln!(s, "Tỉnh Thử {p},{p:02},Huyện Thử {d},{d:03},Xã Thử Nghiệm {c},{c:05},Xã").unwrap();
            }
        }
    }
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn time<F, Fut, T>(runs: usize, mut f: F) -> (Duration, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f().await);
        times.push(t.elapsed());
    }
    (median(times), last.unwrap())
}

/// `THIDUA_BENCH_DB_PARAMS` (e.g. `surrealkv_block_cache_capacity=16777216`)
/// tries other SurrealKV sizes than the app's.
fn config(dir: &std::path::Path) -> DbConfig {
    let params = std::env::var("THIDUA_BENCH_DB_PARAMS").map(|p| format!("?{p}")).unwrap_or_default();
    DbConfig { url: format!("surrealkv://{}{params}", dir.join("db").display()), ..DbConfig::memory() }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, dir] = &args[..] {
        if flag == "--serve" {
            return serve(std::path::Path::new(dir)).await;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    load(dir.path()).await;
    // The store is closed (its lock released) once `load` returns.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--serve")
        .arg(dir.path())
        .status()
        .expect("the serving process starts");
    assert!(status.success(), "the serving process failed");
}

/// Writes the catalogue, the movement and a year of reports.
async fn load(dir: &std::path::Path) {
    let db: Db = app::store::connect(&config(dir)).await.unwrap();

    let t = Instant::now();
    let r = app::store::catalogue_import::import(&db, &country_csv(), "bench").await.unwrap();
    println!(
        "catalogue: {} provinces, {} districts, {} communes imported in {:.1} s",
        r.provinces,
        r.districts,
        r.communes,
        t.elapsed().as_secs_f64()
    );

    let movement = server::template::seed_movement("bench", "d001").unwrap();
    movements::save(&db, &movement, false).await.unwrap();
    let m = movements::current(&db).await.unwrap().unwrap();
    let indicators = m.definition.indicators_for(app::domain::unit::ParticipantCategory::Commune).into_iter().cloned().collect::<Vec<_>>();
    let criteria = m.definition.criteria_for(app::domain::unit::ParticipantCategory::Commune);

    // A year of reports from every commune, written straight into the
    // engine in batches (the sync path is measured by sync_bench).
    let communes: Vec<String> = (1..=PROVINCES * DISTRICTS_PER_PROVINCE * COMMUNES_PER_DISTRICT).map(|c| format!("x{c:05}")).collect();
    let t = Instant::now();
    let mut n = 0usize;
    for (k, month) in MONTHS.iter().enumerate() {
        for chunk in communes.chunks(2_000) {
            let rows: Vec<serde_json::Value> = chunk
                .iter()
                .enumerate()
                .map(|(j, unit)| {
                    let seed = (j * 7 + k * 13) as f64;
                    let body = common::seeded_report(&m.id, unit, month, &criteria, &indicators, seed);
                    serde_json::json!({ "id": m.report_id(unit, month), "unit": unit, "period": month, "body": body })
                })
                .collect();
            n += rows.len();
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
            .bind(("m", m.id.clone()))
            .await
            .unwrap()
            .check()
            .unwrap();
        }
    }
    let load = t.elapsed();
    println!("reports: {n} written in {:.1} s ({:.0}/s)", load.as_secs_f64(), n as f64 / load.as_secs_f64());
    let (rss, peak) = rss_mb();
    println!("loading process memory: RSS {rss:.0} MB, peak {peak:.0} MB");
}

/// Opens the loaded store as a starting server would and measures.
async fn serve(dir: &std::path::Path) {
    let t = Instant::now();
    let db: Db = app::store::connect(&config(dir)).await.unwrap();
    let m = movements::current(&db).await.unwrap().unwrap();
    let (rss, _) = rss_mb();
    println!("server process: store opened in {:.2} s, RSS {rss:.0} MB", t.elapsed().as_secs_f64());

    let (d, view) = time(11, || consolidation::consolidate(&db, &m, "d001", "2022-03", true)).await;
    let view = view.unwrap();
    println!("consolidate one district (15 communes, 1 month): median {:.1} ms ({} reports)", d.as_secs_f64() * 1e3, view.reports);

    let (d, trend) = time(5, || consolidation::trend(&db, &m, "d001", "2022-09")).await;
    println!("one district's trend over 12 months: median {:.1} ms ({} points)", d.as_secs_f64() * 1e3, trend.unwrap().len());

    let (d, _) = time(11, || async {
        let m2 = m.clone();
        let view = consolidation::consolidate(&db, &m2, "d001", "2022-03", true).await.unwrap();
        let desk = review::period_desk(&db, &m2, "d001", "2022-03", time::OffsetDateTime::now_utc()).await.unwrap();
        server::export::workbook(&view, &desk).unwrap()
    })
    .await;
    println!("XLSX of one district (consolidation + rates + workbook): median {:.1} ms", d.as_secs_f64() * 1e3);

    // Leaderboards with the whole country in the database: district d001's
    // 15 communes in three clusters of five.
    for k in 0..3 {
        let members = (1..=5).map(|j| format!("x{:05}", k * 5 + j)).collect();
        let c = app::domain::cluster::Cluster {
            id: format!("bench-cum-{}", k + 1),
            name: format!("Cụm thi đua số {}", k + 1),
            kind: app::domain::cluster::ClusterKind::Cluster,
            organiser: "d001".into(),
            head: None,
            members,
            demo: false,
        };
        app::store::clusters::save(&db, c, None).await.unwrap();
    }
    let now = time::OffsetDateTime::now_utc();
    let (d, b) = time(11, || app::store::leaderboard::board(&db, &m, "bench-cum-1", "2022-03", now, true)).await;
    println!(
        "leaderboard of one cluster (5 communes, with the change since last month): median {:.1} ms ({} rows)",
        d.as_secs_f64() * 1e3,
        b.unwrap().rows.len()
    );
    let every_cluster = app::domain::display::DisplayView::default();
    let (d, s) = time(11, || app::store::leaderboard::standings(&db, &m, &every_cluster, now)).await;
    println!(
        "meeting display standings (every cluster of the district, latest month): median {:.1} ms ({} clusters)",
        d.as_secs_f64() * 1e3,
        s.unwrap().clusters.len()
    );

    let (rss, peak) = rss_mb();
    println!("server process after the district figures: RSS {rss:.0} MB, peak {peak:.0} MB");
    // The whole country: every commune under every province.
    let all: Vec<Unit> = {
        let mut res = db
            .query("SELECT code AS id, name, kind, category, parent.code AS parent, gso_code, demo FROM unit WHERE kind = 'commune'")
            .await
            .unwrap();
        let rows: Vec<serde_json::Value> = res.take(0).unwrap();
        rows.into_iter().map(|v| serde_json::from_value(v).unwrap()).collect()
    };
    let (rss, peak) = rss_mb();
    println!("server process before the country: RSS {rss:.0} MB, peak {peak:.0} MB");
    let country = Unit {
        id: "vn".into(),
        name: "Toàn quốc".into(),
        kind: UnitKind::Province,
        category: None,
        parent: None,
        gso_code: None,
        demo: false,
        valid_from: None,
        valid_to: None,
    };
    let (d, view) = time(5, || consolidation::consolidate_units(&db, &m, country.clone(), &all, "2022-03", false)).await;
    let view = view.unwrap();
    println!(
        "consolidate the country ({} communes, 1 month): median {:.0} ms ({} reports)",
        all.len(),
        d.as_secs_f64() * 1e3,
        view.reports
    );
    let (rss, peak) = rss_mb();
    println!("server process memory: RSS {rss:.0} MB now, peak {peak:.0} MB");
}
