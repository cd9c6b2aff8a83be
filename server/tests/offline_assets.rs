//! The service worker lists this build's files: the app shell and the lazy
//! parts of the offline pages (not every page's), under a cache named after
//! the build, and is served so browsers re-check it.
use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

fn site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let pkg = d.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for f in [
        "thidua.abc.wasm",
        "thidua.abc.wasm.br",
        "thidua.def.js",
        "thidua.ghi.css",
        "__wasm_split.jkl.js",
        "split_field.r1.wasm",
        "split_staff.a1.wasm",
        "split_fieldwork.f1.wasm",
        "chunk_1.c1.wasm",
        "chunk_2.c2.wasm",
        "chunk_3.c3.wasm",
    ] {
        std::fs::write(pkg.join(f), b"x").unwrap();
    }
    std::fs::write(
        pkg.join("__wasm_split_manifest.mno.json"),
        r#"{"field":["chunk_1.c1","chunk_2.c2"],"staff":["chunk_3.c3"],"fieldwork":["chunk_3.c3"]}"#,
    )
    .unwrap();
    d
}

#[test]
fn the_worker_caches_the_shell_and_the_offline_pages() {
    let d = site();
    let files = server::offline::build_files(d.path());
    for f in [
        "/pkg/thidua.abc.wasm",
        "/pkg/thidua.def.js",
        "/pkg/thidua.ghi.css",
        "/pkg/__wasm_split.jkl.js",
        "/pkg/__wasm_split_manifest.mno.json",
        "/pkg/split_field.r1.wasm",
        "/pkg/chunk_1.c1.wasm",
        "/pkg/chunk_2.c2.wasm",
        "/local-store.js",
        "/manifest.webmanifest",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    // Another part, even one whose name begins like the offline one, is not.
    for f in ["/pkg/split_staff.a1.wasm", "/pkg/split_fieldwork.f1.wasm", "/pkg/chunk_3.c3.wasm", "/pkg/thidua.abc.wasm.br"] {
        assert!(!files.contains(&f.to_string()), "{f} should be fetched on demand");
    }
    // A new build (other hashes) gets another cache name.
    let a = server::offline::service_worker(d.path());
    std::fs::rename(d.path().join("pkg/thidua.abc.wasm"), d.path().join("pkg/thidua.xyz.wasm")).unwrap();
    let b = server::offline::service_worker(d.path());
    let cache = |s: &str| s.lines().find(|l| l.starts_with("const CACHE")).unwrap().to_string();
    assert_ne!(cache(&a), cache(&b));
}

#[tokio::test]
async fn sw_js_is_served_fresh_with_a_worker_csp() {
    let d = site();
    let db = app::store::connect(&app::store::DbConfig::memory()).await.unwrap();
    let app = server::router(db, server::leptos_options(d.path()));
    let res = app.oneshot(Request::get("/sw.js").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert!(h["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(h["cache-control"], "no-cache");
    assert_eq!(h["content-security-policy"], "default-src 'self'");
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("'/pkg/split_field.r1.wasm'"));
}
