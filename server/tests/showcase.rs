//! The showcase: a unit's story reaches the media officer, who publishes an
//! edited copy; the public list filters by commune and content area; the
//! public page renders the story's text as text, whatever it contains.
mod common;
use app::api::showcase::{EditorDesk, Showcase};
use app::domain::auth::Role;
use app::domain::story::StoryBody;
use app::domain::sync::*;
use common::call;
use tower::ServiceExt;

#[tokio::test]
async fn a_units_story_is_published_and_shown_as_text() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let dakxu = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let media = common::session_cookie(&db, "truyenthong", Role::MediaOfficer, "d611").await;
    let text = "<script>alert(1)</script> Người dân thôn 3 góp đất, góp công làm chốt.";
    let story = StoryBody {
        files: Vec::new(),
        unit: "x23389".into(),
        title: "Chốt kiểm dịch trên đất hiến tặng".into(),
        area: "chi-dao".into(),
        text: text.into(),
        movement: None,
    };
    let batch = PushBatch {
        protocol: PROTOCOL.into(),
        device: "phone".into(),
        items: vec![PushItem { id: "gd-1".into(), revision: 1, base: 0, body: ItemBody::Story(story) }],
    };
    let (status, body) = call(&app, &dakxu, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = call(&app, &media, "/api/showcase/inbox", "").await;
    assert_eq!(status, 200, "{body}");
    let desk: EditorDesk = serde_json::from_str(&body).unwrap();
    assert_eq!((desk.drafts.len(), desk.drafts[0].published), (1, false));
    // A reporter cannot publish, even its own story.
    let (_, body) = call(&app, &dakxu, "/api/showcase/publish", "from=gd-1&unit=x23389&title=T&area=chi-dao&text=x").await;
    assert!(body.contains("Tài khoản không có quyền này"), "{body}");
    // Bad input names its field; nothing is published.
    let (status, body) = call(&app, &media, "/api/showcase/publish", "from=gd-1&unit=x23389&title=&area=khong-co&text=x").await;
    assert!(status != 200 && body.contains("title") && body.contains("area"), "{body}");
    let form = format!(
        "from=gd-1&unit=x23389&title={}&area=chi-dao&text={}",
        urlencode("Chốt kiểm dịch trên đất hiến tặng (đã biên tập)"),
        urlencode(text)
    );
    let (status, id) = call(&app, &media, "/api/showcase/publish", &form).await;
    assert_eq!(status, 200, "{id}");
    let id: String = serde_json::from_str(&id).unwrap();

    let (_, body) = call(&app, "", "/api/showcase/list", "unit=x23389&area=chi-dao").await;
    let list: Showcase = serde_json::from_str(&body).unwrap();
    assert_eq!(list.stories.len(), 1);
    assert_eq!(list.stories[0].text, text, "stored verbatim");
    let (_, body) = call(&app, "", "/api/showcase/list", "unit=x23395&area=").await;
    assert!(serde_json::from_str::<Showcase>(&body).unwrap().stories.is_empty(), "filtered by commune");
    let (_, body) = call(&app, &media, "/api/showcase/inbox", "").await;
    assert!(serde_json::from_str::<EditorDesk>(&body).unwrap().drafts[0].published);

    // The public page, server-rendered: the script is text, not markup.
    let req = axum::http::Request::get(format!("/guong-dien-hinh/{id}")).body(axum::body::Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), 200);
    let html = String::from_utf8_lossy(&axum::body::to_bytes(res.into_body(), 1 << 22).await.unwrap()).into_owned();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Người dân thôn 3"), "escaped in the page");
    assert!(!html.contains("<script>alert(1)"), "never markup");
    assert!(html.contains("(đã biên tập)"));
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
