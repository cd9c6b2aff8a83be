mod common;
use server::demo::KON_TUM_CATALOGUE;
use server::import::{import, parse, ImportError};
use std::fmt::Write;

#[tokio::test]
async fn imports_kon_tum_then_reimport_changes_nothing() {
    let db = common::mem_db().await;
    let r = import(&db, KON_TUM_CATALOGUE, "kon-tum-units.csv").await.unwrap();
    assert_eq!(r.rows, 102);
    assert_eq!(r.provinces, 1);
    assert_eq!(r.communes, 102);
    assert_eq!(r.added, r.provinces + r.districts + r.communes);
    assert_eq!(common::count(&db, "unit").await as usize, r.added);
    let dak_xu = app::store::units::get(&db, "x23389").await.unwrap().unwrap();
    assert_eq!(dak_xu.name, "Xã Đắk Xú");
    assert_eq!(dak_xu.parent.as_deref(), Some("d611"));
    let ngoc_hoi = app::store::units::children(&db, "d611").await.unwrap();
    assert_eq!(ngoc_hoi.len(), 8, "Plei Kần and seven communes");

    let again = import(&db, KON_TUM_CATALOGUE, "again").await.unwrap();
    assert_eq!((again.added, again.changed, again.unchanged), (0, 0, r.added));
    assert_eq!(common::count(&db, "import_run").await, 2);
}

#[tokio::test]
async fn a_renamed_commune_is_changed_not_added() {
    let db = common::mem_db().await;
    import(&db, KON_TUM_CATALOGUE, "v1").await.unwrap();
    let renamed = KON_TUM_CATALOGUE.replace("Xã Đắk Xú,23389", "Xã Đăk Xú,23389");
    let r = import(&db, &renamed, "v2").await.unwrap();
    assert_eq!((r.added, r.changed), (0, 1));
    assert_eq!(app::store::units::get(&db, "x23389").await.unwrap().unwrap().name, "Xã Đăk Xú");
}

#[tokio::test]
async fn malformed_rows_are_reported_by_line_and_nothing_is_written() {
    let db = common::mem_db().await;
    let mut lines: Vec<String> = KON_TUM_CATALOGUE.lines().map(String::from).collect();
    lines[5] = "Tỉnh Kon Tum,62,Thành phố Kon Tum,608,Phường Lê Lợi,ABC,Phường".into(); // line 6
    lines[40] = "Tỉnh Kon Tum,62,Huyện Ngọc Hồi,611,Xã Đắk Xú".into(); // line 41, short
    let text = lines.join("\n");
    match import(&db, &text, "bad.csv").await {
        Err(ImportError::Lines(errs)) => {
            let at: Vec<usize> = errs.iter().map(|e| e.line).collect();
            assert_eq!(at, vec![6, 41], "{errs:?}");
            assert_eq!(errs[0].column, "Mã PX");
            assert!(errs[0].message_vi.contains("ABC"));
        }
        other => panic!("expected line errors, got {other:?}"),
    }
    assert_eq!(common::count(&db, "unit").await, 0, "nothing half-imported");
    assert_eq!(common::count(&db, "import_run").await, 0);
}

#[test]
fn conflicting_codes_and_bad_headers_are_refused() {
    let dup = format!("{}\nTỉnh Kon Tum,62,Huyện Ngọc Hồi,611,Xã Khác,23389,Xã\n", KON_TUM_CATALOGUE.trim_end());
    let errs = parse(&dup).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 104);
    assert!(errs[0].message_en.contains("line 39"), "{}", errs[0].message_en);
    let errs = parse("Province,Code\nx,y\n").unwrap_err();
    assert_eq!(errs[0].line, 1);
    assert!(parse("").is_err());
}

/// The whole country: ~10,700 communes in ~700 districts of 63 provinces.
pub fn synthetic_country() -> String {
    let mut s = String::from("Tỉnh / Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n");
    let mut d = 0;
    let mut c = 0;
    for p in 1..=63 {
        for _ in 0..11 {
            d += 1;
            for _ in 0..15 {
                c += 1;
                writeln!(s, "Tỉnh Thử {p},{p:02},Huyện Thử {d},{d:03},Xã Thử Nghiệm {c},{c:05},Xã").unwrap();
            }
        }
    }
    s
}

#[tokio::test]
async fn imports_the_whole_country_in_one_go() {
    let db = common::mem_db().await;
    let text = synthetic_country();
    let t = std::time::Instant::now();
    let r = import(&db, &text, "country").await.unwrap();
    eprintln!("country import: {} rows in {:?}", r.rows, t.elapsed());
    assert_eq!(r.communes, 63 * 11 * 15);
    assert_eq!(r.districts, 63 * 11);
    assert_eq!(common::count(&db, "unit").await as usize, r.provinces + r.districts + r.communes);
    let status: Vec<String> = db.query("SELECT VALUE status FROM import_run").await.unwrap().take(0).unwrap();
    assert_eq!(status, vec!["done".to_string()], "written in chunks, marked done");
    let again = import(&db, &text, "country again").await.unwrap();
    assert_eq!(again.unchanged, r.provinces + r.districts + r.communes);
}

fn day(y: i32, m: u8, d: u8) -> app::domain::date::Date {
    app::domain::date::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
}

/// Kon Tum 2024, then Quảng Ngãi from 1/7/2025, then the mapping, in one
/// store: the old Thị trấn Plei Kần and today's Xã Bờ Y share code 23377
/// and stay two units, each with its dates.
#[tokio::test]
async fn kon_tum_2024_then_quang_ngai_2025_then_the_mapping() {
    use app::store::{succession, units};
    use server::demo::{KON_TUM_TO_2025, QUANG_NGAI_2025};
    let db = common::mem_db().await;
    import(&db, KON_TUM_CATALOGUE, "kon-tum-units.csv").await.unwrap();
    let r = server::import::import_dated(&db, QUANG_NGAI_2025, "quang-ngai-2025", None, None, None).await.unwrap();
    assert_eq!((r.rows, r.provinces, r.districts, r.communes), (96, 1, 0, 96));
    assert_eq!(r.added, 97);
    // Codes the new catalogue gives to other units end the old ones.
    assert!(r.ended >= 1, "{r:?}");

    let plei_kan = units::get(&db, "x23377").await.unwrap().unwrap();
    assert_eq!(plei_kan.name, "Thị trấn Plei Kần");
    assert_eq!((plei_kan.valid_from, plei_kan.valid_to), (None, Some(day(2025, 6, 30))));
    let bo_y = units::get(&db, "x23377-2025").await.unwrap().expect("today's Xã Bờ Y is its own unit");
    assert_eq!((bo_y.name.as_str(), bo_y.gso_code.as_deref(), bo_y.parent.as_deref()), ("Xã Bờ Y", Some("23377"), Some("p51")));
    assert_eq!((bo_y.valid_from, bo_y.valid_to), (Some(day(2025, 7, 1)), None));
    assert!(plei_kan.valid_on(day(2021, 10, 31)) && !plei_kan.valid_on(day(2025, 7, 1)));
    assert!(bo_y.valid_on(day(2025, 7, 1)) && !bo_y.valid_on(day(2025, 6, 30)));

    let m = succession::import(&db, KON_TUM_TO_2025, day(2025, 7, 1), None, None, true).await.unwrap();
    assert_eq!((m.rows, m.partial), (102, 4));
    assert_eq!(common::count(&db, "unit_succession").await, 102);
    // Every old commune, Kon Tum's districts and the province end on 30/6/2025.
    for id in ["x23389", "x23395", "d611", "p62"] {
        assert_eq!(units::get(&db, id).await.unwrap().unwrap().valid_to, Some(day(2025, 6, 30)), "{id}");
    }
    let to_bo_y = succession::successors(&db, &["x23377".into(), "x23389".into(), "x23395".into()]).await.unwrap();
    assert!(to_bo_y.iter().all(|l| l.new == "x23377-2025" && !l.partial), "{to_bo_y:?}");
    // Ngọc Hồi's communes are still under Ngọc Hồi, for the 2021 movement.
    assert_eq!(units::children(&db, "d611").await.unwrap().len(), 8);

    // Importing either file again changes nothing.
    let again = server::import::import_dated(&db, QUANG_NGAI_2025, "again", None, None, None).await.unwrap();
    assert_eq!((again.added, again.changed, again.ended, again.unchanged), (0, 0, 0, 97));
    let before = common::count(&db, "unit").await;
    succession::import(&db, KON_TUM_TO_2025, day(2025, 7, 1), None, None, true).await.unwrap();
    assert_eq!(common::count(&db, "unit_succession").await, 102);
    assert_eq!(common::count(&db, "unit").await, before);
}

#[tokio::test]
async fn a_mapping_before_its_new_catalogue_is_refused_line_by_line() {
    use app::store::succession;
    let db = common::mem_db().await;
    import(&db, KON_TUM_CATALOGUE, "kon-tum-units.csv").await.unwrap();
    match succession::import(&db, server::demo::KON_TUM_TO_2025, day(2025, 7, 1), None, None, true).await {
        Err(ImportError::Lines(errs)) => {
            // Each line's new code is missing on 1/7/2025 or still names an old commune.
            assert!(errs.iter().all(|e| e.message_vi.contains("nhập danh mục mới trước")), "{errs:?}");
            let lines: std::collections::BTreeSet<usize> = errs.iter().map(|e| e.line).collect();
            // 13 lines keep a commune's own code and name (Xã Ngọk Bay → Xã
            // Ngọk Bay…): read against the old catalogue they link a unit to
            // itself, which changes nothing; every other line is named.
            assert_eq!(lines.len(), 102 - 13, "{lines:?}");
            let plei_kan = errs.iter().find(|e| e.line == 35).unwrap();
            assert_eq!(plei_kan.column, "Phường Xã mới");
            assert!(plei_kan.message_vi.contains("\"Thị trấn Plei Kần\", không phải \"Xã Bờ Y\""), "{}", plei_kan.message_vi);
        }
        other => panic!("expected line errors, got {other:?}"),
    }
    assert_eq!(common::count(&db, "unit_succession").await, 0);
    let ended: Vec<String> = db.query("SELECT VALUE code FROM unit WHERE valid_to != NONE").await.unwrap().take(0).unwrap();
    assert!(ended.is_empty(), "nothing ended: {ended:?}");
    let bad = server::demo::KON_TUM_TO_2025.replacen(",không", ",nửa", 1);
    match succession::import(&db, &bad, day(2025, 7, 1), None, None, false).await {
        Err(ImportError::Lines(errs)) => assert_eq!((errs[0].line, errs[0].column.as_str()), (2, "Một phần")),
        other => panic!("expected a line error, got {other:?}"),
    }
}
