use std::time::Instant;
#[tokio::main]
async fn main() {
    let db = app::store::connect(&app::store::DbConfig::memory()).await.unwrap();
    let mut s = String::from("Tỉnh / Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\n");
    let (mut d, mut c) = (0, 0);
    for p in 1..=63 { for _ in 0..11 { d += 1; for _ in 0..15 { c += 1; s.push_str(&format!("Tỉnh Thử {p},{p:02},Huyện Thử {d},{d:03},Xã Thử Nghiệm {c},{c:05},Xã\n")); } } }
    app::store::catalogue_import::import(&db, &s, "x").await.unwrap();
    for _ in 0..2 {
        let t = Instant::now();
        let u = app::store::units::subtree(&db, "d001").await.unwrap();
        println!("subtree: {} in {:?}", u.len(), t.elapsed());
        let t = Instant::now();
        let mut r = db.query("SELECT code FROM unit WHERE parent IN $ps.map(|$p| type::record('unit', $p))").bind(("ps", vec!["d001".to_string()])).await.unwrap();
        let v: Vec<serde_json::Value> = r.take(0).unwrap();
        println!("IN map: {} in {:?}", v.len(), t.elapsed());
        let t = Instant::now();
        let mut r = db.query("SELECT code FROM unit WHERE parent IN [unit:d001]").await.unwrap();
        let v: Vec<serde_json::Value> = r.take(0).unwrap();
        println!("IN literal: {} in {:?}", v.len(), t.elapsed());
        let t = Instant::now();
        let mut r = db.query("SELECT code FROM unit WHERE parent = unit:d001").await.unwrap();
        let v: Vec<serde_json::Value> = r.take(0).unwrap();
        println!("= literal: {} in {:?}", v.len(), t.elapsed());
        let t = Instant::now();
        let mut r = db.query("SELECT code FROM unit WHERE parent = type::record('unit', $p)").bind(("p", "d001")).await.unwrap();
        let v: Vec<serde_json::Value> = r.take(0).unwrap();
        println!("= param: {} in {:?}", v.len(), t.elapsed());
        let t = Instant::now();
        let mut r = db.query("array::flatten($ps.map(|$p| (SELECT VALUE code FROM unit WHERE parent = type::record('unit', $p))))").bind(("ps", vec!["d001".to_string(), "d002".to_string()])).await.unwrap();
        let v: Vec<serde_json::Value> = r.take(0).unwrap();
        println!("map subselect: {} in {:?}", v.len(), t.elapsed());
        let t = Instant::now();
        let mut r = db.query("EXPLAIN SELECT code FROM unit WHERE parent IN $ps").bind(("ps", vec![surrealdb::types::RecordId::new("unit", "d001")])).await.unwrap();
        let v: Vec<serde_json::Value> = r.take(0).unwrap_or_default();
        println!("explain IN: {v:?} {:?}", t.elapsed());
    }
}
