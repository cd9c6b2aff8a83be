use clap::Parser;
use server::config::{Command, Config};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cfg = Config::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,surrealdb=warn,surrealkv=warn,surrealdb::method::live=error".into());
    if cfg.log_format == "json" {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    match run(cfg).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cfg: Config) -> Result<(), Box<dyn std::error::Error>> {
    // Checking a file needs no database.
    if let Some(Command::CheckMovement { file }) = &cfg.command {
        let text = std::fs::read_to_string(file)?;
        let m = server::template::read(&text).map_err(server::template::TemplateError::File)?;
        println!(
            "{}: {} v{}, {} nội dung, {} chỉ số / content areas, indicators",
            file.display(),
            m.template_id,
            m.version,
            m.content_areas.len(),
            m.indicators.len()
        );
        return Ok(());
    }
    if let Some(Command::VerifyBackup { file }) = &cfg.command {
        let m = server::backup::verify(file)?;
        println!(
            "{}: hợp lệ / valid; lược đồ / schema {}, {} ({} bytes, {} tệp minh chứng / evidence files)",
            file.display(),
            m.schema,
            m.created_at,
            m.bytes,
            m.files.len()
        );
        return Ok(());
    }
    if let Some(Command::Restore { file }) = &cfg.command {
        // Into the store as it is: `connect` would migrate an empty store first.
        let db = app::store::open(&cfg.db()).await?;
        let m = server::backup::restore(&db, &cfg.blobs()?, file).await?;
        println!("đã khôi phục / restored {} (lược đồ / schema {}, {})", file.display(), m.schema, m.created_at);
        return Ok(());
    }
    if let Some(Command::Migrate { dry_run: true }) = &cfg.command {
        let db = app::store::open(&cfg.db()).await?;
        let pending = app::store::migrations::pending(&db).await?;
        if pending.is_empty() {
            println!("lược đồ đã mới nhất / the schema is up to date ({})", app::store::migrations::latest());
        }
        for m in pending {
            println!("sẽ áp dụng / would apply {}: {}", m.version, m.name);
        }
        return Ok(());
    }
    let db = app::store::connect(&cfg.db()).await?;
    tracing::info!(url = %cfg.db_url, "database ready");
    match cfg.command.clone().unwrap_or(Command::Serve) {
        Command::ImportCatalogue { file, effective } => {
            let text = std::fs::read_to_string(&file)?;
            let effective = match effective {
                Some(e) => Some(app::domain::date::parse_any(&e).ok_or_else(|| format!("ngày không hợp lệ / not a date: {e}"))?),
                None => None,
            };
            if app::store::succession::is_mapping(&text) {
                let day = effective.unwrap_or_else(app::domain::catalogue::two_level_since);
                let r = app::store::succession::import(&db, &text, day, Some("cli"), None, true).await?;
                println!("{} dòng chuyển đổi ({} tách một phần); {} đơn vị cũ kết thúc", r.rows, r.partial, r.ended);
                return Ok(());
            }
            let r = server::import::import_dated(&db, &text, &file.to_string_lossy(), Some("cli"), None, effective).await?;
            println!(
                "{} dòng: {} tỉnh, {} huyện, {} xã; thêm {}, sửa {}, giữ nguyên {}, kết thúc {}",
                r.rows, r.provinces, r.districts, r.communes, r.added, r.changed, r.unchanged, r.ended
            );
            return Ok(());
        }
        Command::CreateAccount { username, display_name, role, unit } => {
            let role = app::domain::auth::Role::from_code(&role).ok_or_else(|| format!("vai trò không hợp lệ / unknown role: {role}"))?;
            let password = match std::env::var("THIDUA_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let new = app::store::accounts::NewAccount { username, display_name, role, unit, password };
            let a = app::store::accounts::create(&db, new, Some("cli")).await?;
            println!("đã tạo tài khoản / account created: {} ({})", a.username, a.role.code());
            return Ok(());
        }
        Command::Backup { to } => {
            let m = server::backup::write(&db, &cfg.blobs()?, &to).await?;
            println!(
                "{}: lược đồ / schema {}, {} bytes, sha256 {}; {} tệp minh chứng / evidence files in {}",
                to.display(),
                m.schema,
                m.bytes,
                m.sha256,
                m.files.len(),
                server::backup::files_dir(&to).display()
            );
            return Ok(());
        }
        Command::CheckMovement { .. } | Command::VerifyBackup { .. } | Command::Restore { .. } => {
            unreachable!("handled before connecting")
        }
        Command::Migrate { .. } => {
            // `connect` has migrated.
            println!("lược đồ / schema {}", app::store::migrations::applied(&db).await?.last().copied().unwrap_or(0));
            return Ok(());
        }
        Command::ExportMovement { file, movement } => {
            let m = match movement {
                Some(code) => app::store::movements::by_code(&db, &code).await?.ok_or("không có phong trào này / no such movement")?,
                None => app::store::movements::current(&db).await?.ok_or("chưa có phong trào / no movement yet")?,
            };
            std::fs::write(&file, server::template::write(&m.definition))?;
            println!("{}: {} v{}", file.display(), m.definition.template_id, m.definition.version);
            return Ok(());
        }
        Command::ImportMovement { file, code, organiser } => {
            let def = server::template::read(&std::fs::read_to_string(&file)?).map_err(server::template::TemplateError::File)?;
            let m = app::store::movements::import(&db, def, &code, &organiser, "cli").await?;
            println!("{}: {} v{}, bản nháp / draft", m.id, m.definition.template_id, m.definition.version);
            return Ok(());
        }
        Command::LoadDemo => {
            server::demo::load(&db).await?;
            return Ok(());
        }
        Command::Serve => cfg.check_exposure()?,
    }
    if cfg.demo {
        server::demo::load(&db).await?;
        server::demo::activity::load(&db).await?;
    }
    let blobs = cfg.blobs()?;
    if let Some(dir) = cfg.backup_dir.clone() {
        let schedule = server::backup::Schedule { dir, every: cfg.backup_every, keep: cfg.backup_keep };
        tracing::info!(dir = %schedule.dir.display(), every_s = schedule.every.as_secs(), keep = schedule.keep, "scheduled backups");
        tokio::spawn(schedule.run(db.clone(), blobs.clone()));
    }
    let options = server::leptos_options(&cfg.site_root);
    let reach = server::Reach { trusted_proxies: cfg.trusted_proxies.clone(), metrics_token: cfg.metrics_token.clone() };
    let app = server::router_behind(db.clone(), blobs, options, reach);
    let listener = tokio::net::TcpListener::bind(cfg.addr).await?;
    tracing::info!("listening on http://{}", cfg.addr);
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(server::shutdown_signal())
        .await?;
    // Every write is one committed transaction, so a stop never leaves half a
    // write behind. Dropping the last handle starts the embedded engine's own
    // shutdown (maintenance tasks, then storage) on the runtime; give it a
    // moment to finish before the runtime goes away.
    drop(db);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    tracing::info!("stopped");
    Ok(())
}
