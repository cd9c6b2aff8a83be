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
