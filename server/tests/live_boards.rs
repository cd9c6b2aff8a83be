//! The meeting display's live feed through the real router and engine: the
//! first event is the current board, a change that moves a score arrives as
//! a new version (whoever wrote it, since the feed listens to the database),
//! a change that moves nothing is not pushed, and a bad or revoked link gets
//! nothing.
mod common;
use app::api::display::Standings;
use app::domain::auth::Role;
use common::call;
use futures::StreamExt;
use std::time::Duration;
use tower::ServiceExt;

/// One open event stream: its events as (name, data), in order.
struct Events {
    body: axum::body::BodyDataStream,
    buf: String,
}

impl Events {
    async fn open(app: &axum::Router, token: &str) -> (u16, Option<Events>) {
        let req = axum::http::Request::get(format!("/api/display/live/{token}")).body(axum::body::Body::empty()).unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status().as_u16();
        if status != 200 {
            return (status, None);
        }
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        (status, Some(Events { body: res.into_body().into_data_stream(), buf: String::new() }))
    }

    async fn next(&mut self) -> (String, String) {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let field =
                    |name: &str| block.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim_start().to_string()).unwrap_or_default();
                return (field("event:"), field("data:"));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.body.next()).await.expect("an event within 10 s");
            self.buf.push_str(&String::from_utf8_lossy(&chunk.expect("stream open").unwrap()));
        }
    }

    /// The next board (pings skipped).
    async fn board(&mut self) -> Standings {
        loop {
            let (name, data) = self.next().await;
            if name == "board" {
                return serde_json::from_str(&data).unwrap();
            }
        }
    }

    /// Whether a board arrives within `wait`.
    async fn board_within(&mut self, wait: Duration) -> Option<Standings> {
        tokio::time::timeout(wait, self.board()).await.ok()
    }
}

fn total_of(s: &Standings, unit_name: &str) -> f64 {
    s.clusters.iter().flat_map(|c| &c.units).find(|u| u.name == unit_name).map(|u| u.total).unwrap()
}

#[tokio::test]
async fn changes_reach_open_displays_whoever_writes_them() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    server::demo::activity::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let (link, token) = app::store::displays::create(&db, "Hội trường", "d611", None, Some("noivu")).await.unwrap();

    let (status, none) = Events::open(&app, "khong-phai-ma-nay").await;
    assert_eq!((status, none.is_none()), (404, true), "a wrong token gets no stream");

    let (_, mut a) = Events::open(&app, &token).await;
    let mut a = a.take().unwrap();
    let first = a.board().await;
    assert!(first.version >= 1, "the live feed's reading, not a direct one");
    let (_, b) = Events::open(&app, &token).await;
    let mut b = b.unwrap();
    assert_eq!(b.board().await.version, first.version, "a second display starts from the same reading");

    // The officer appraises a report of the period on screen down to 0 on its
    // first criterion: its unit's total drops.
    let mut r = db
        .query("SELECT record::id(id) AS id, record::id(unit) AS unit FROM submission WHERE kind = 'report' AND period = $p AND appraisal = NONE LIMIT 1")
        .bind(("p", app::store::review::period_now(&db, &app::store::movements::current(&db).await.unwrap().unwrap(), app::domain::date::vn_date(time::OffsetDateTime::now_utc())).await.unwrap()))
        .await
        .unwrap();
    let row: Vec<serde_json::Value> = r.take(0).unwrap();
    let (id, unit) = (row[0]["id"].as_str().unwrap().to_string(), row[0]["unit"].as_str().unwrap().to_string());
    let name = app::store::units::get(&db, &unit).await.unwrap().unwrap().name;
    let before = total_of(&first, &name);
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let (status, text) = call(
        &app,
        &officer,
        "/api/review/appraise",
        &format!("id={id}&area=chi-dao&points=0&reason=Kh%C3%B4ng+c%C3%B3+bi%C3%AAn+b%E1%BA%A3n"),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let after = a.board().await;
    assert!(after.version > first.version);
    assert!(total_of(&after, &name) < before, "{name}: {before} → {}", total_of(&after, &name));
    assert_eq!(b.board().await.version, after.version, "every open display gets the change");

    // A write by anyone else sharing the database (another app process, a
    // console) is seen the same way: here the appraisal is lifted in plain SurrealQL.
    db.query("UPDATE type::record('submission', $id) SET appraisal = NONE").bind(("id", id.clone())).await.unwrap().check().unwrap();
    let lifted = a.board().await;
    assert_eq!(total_of(&lifted, &name), before, "back to the self-score");

    // A write that moves nothing on screen (an older month's note) is not pushed.
    db.query("UPDATE (SELECT VALUE id FROM submission WHERE kind = 'report' AND period != $p LIMIT 1) SET updated_at = time::now()")
        .bind((
            "p",
            app::store::review::period_now(
                &db,
                &app::store::movements::current(&db).await.unwrap().unwrap(),
                app::domain::date::vn_date(time::OffsetDateTime::now_utc()),
            )
            .await
            .unwrap(),
        ))
        .await
        .unwrap()
        .check()
        .unwrap();
    assert!(a.board_within(Duration::from_millis(1500)).await.is_none(), "no new board when nothing on screen moved");

    app::store::displays::revoke(&db, &link.id, Some("noivu")).await.unwrap();
    let (status, _) = Events::open(&app, &token).await;
    assert_eq!(status, 404, "a revoked link opens no new stream");
}

/// A link opens at most `MAX_STREAMS_PER_LINK` streams at once; one that
/// ends frees its place. Another link is not held back by it.
#[tokio::test]
async fn a_link_holds_a_bounded_number_of_streams() {
    let (db, app) = common::demo_app().await;
    let (_, token) = app::store::displays::create(&db, "Hội trường", "d611", None, None).await.unwrap();
    let (_, other) = app::store::displays::create(&db, "Phòng họp", "d611", None, None).await.unwrap();
    let mut open = Vec::new();
    for _ in 0..server::live_boards::MAX_STREAMS_PER_LINK {
        let (status, s) = Events::open(&app, &token).await;
        assert_eq!(status, 200);
        open.push(s.unwrap());
    }
    let (status, _) = Events::open(&app, &token).await;
    assert_eq!(status, 429, "one stream too many");
    assert_eq!(Events::open(&app, &other).await.0, 200, "another link still opens");
    drop(open.pop());
    assert_eq!(Events::open(&app, &token).await.0, 200, "a closed stream frees its place");
}

/// A link of an organisation that does not run the movement shows nothing
/// of the movement's boards.
#[tokio::test]
async fn another_organisations_link_shows_none_of_the_movements_boards() {
    let (db, app) = common::demo_app().await;
    let (_, token) = app::store::displays::create(&db, "Đắk Tô", "d612", None, None).await.unwrap();
    assert_eq!(Events::open(&app, &token).await.0, 404);
    let (status, text) = call(&app, "", "/api/display/board", &format!("token={token}")).await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains("Ngọc Hồi") && !text.contains("Plei Kần"), "{text}");
}

/// A link set to a movement, a period and some clusters shows exactly that,
/// read once or followed live; a link with no setting shows every cluster
/// now; a bad setting is refused naming its fields.
#[tokio::test]
async fn a_link_shows_the_movement_period_and_clusters_it_was_set_to() {
    use app::api::admin::DisplaySetup;
    use app::api::display::Board;
    let (db, app) = common::demo_app().await;
    server::demo::activity::load(&db).await.unwrap();
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let (s, body) = call(&app, &officer, "/api/admin/displays", "").await;
    assert_eq!(s, 200, "{body}");
    let setup: DisplaySetup = serde_json::from_str(&body).unwrap();
    let m = &setup.movements[0];
    assert_eq!((m.code.as_str(), m.clusters.len()), (common::DEMO_MOVEMENT, 5), "{m:?}");
    let october = m.periods.iter().find(|p| p.code == "2021-10").expect("a month of the plan");
    let (first, second) = (&m.clusters[0], &m.clusters[1]);

    let make = |form: String| {
        let (app, officer) = (app.clone(), officer.clone());
        async move {
            let (s, body) = call(&app, &officer, "/api/admin/create_display", &form).await;
            assert_eq!(s, 200, "{body}");
            let path: String = serde_json::from_str(&body).unwrap();
            path.strip_prefix("/man-hinh/").unwrap().to_string()
        }
    };
    let set = make(format!(
        "name=H%E1%BB%99i+tr%C6%B0%E1%BB%9Dng&movement={}&period=2021-10&clusters[0]={}&clusters[1]={}",
        m.code, first.0, second.0
    ))
    .await;
    let plain = make("name=Ph%C3%B2ng+h%E1%BB%8Dp".into()).await;

    let board = |token: String| {
        let app = app.clone();
        async move {
            let (s, body) = call(&app, "", "/api/display/board", &format!("token={token}")).await;
            assert_eq!(s, 200, "{body}");
            serde_json::from_str::<Board>(&body).unwrap().standings
        }
    };
    let names = |s: &Standings| s.clusters.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    let shown = board(set.clone()).await;
    assert_eq!(names(&shown), [first.1.clone(), second.1.clone()]);
    assert_eq!(shown.period_vi, october.label_vi);
    let every = board(plain.clone()).await;
    assert_eq!(every.clusters.len(), 5);

    // Followed live: the same view, from its own feed.
    let (s, events) = Events::open(&app, &set).await;
    assert_eq!(s, 200);
    let live = events.unwrap().board().await;
    assert_eq!((names(&live), live.period_vi.clone()), (names(&shown), shown.period_vi.clone()));
    let (_, events) = Events::open(&app, &plain).await;
    assert_eq!(events.unwrap().board().await.clusters.len(), 5, "the other link's feed is its own");

    // The list says what each link shows.
    let (_, body) = call(&app, &officer, "/api/admin/displays", "").await;
    let setup: DisplaySetup = serde_json::from_str(&body).unwrap();
    let row = setup.links.iter().find(|l| l.name == "Hội trường").unwrap();
    assert_eq!((row.period_label.as_str(), row.cluster_names.len()), (october.label_vi.as_str(), 2));
    assert_eq!(row.movement_name, m.name);

    // A period the movement lacks and a cluster outside its area, both named.
    let (s, body) =
        call(&app, &officer, "/api/admin/create_display", &format!("name=X&movement={}&period=2030-01&clusters[0]=khong-co", m.code)).await;
    assert_eq!(s, 422, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let fields: Vec<(&str, &str)> =
        v["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["rule"].as_str().unwrap())).collect();
    assert_eq!(fields, [("period", "known_period"), ("clusters", "known_cluster")]);
}
