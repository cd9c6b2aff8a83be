use crate::api::auth::{current_user, sign_out, Me};
use crate::domain::AppError;
use crate::i18n::{remember, use_lang, Lang};
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar: the app's name, the main sections and the language switch.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    // One request for who is signed in, shared by the header and the sync bar.
    let who = Resource::new(|| (), |_| current_user());
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    view! {
        <header class="topbar">
            <a class="skip" href="#main">{t("Bỏ qua điều hướng", "Skip to content")}</a>
            <A href="/" attr:class="brand">"Thi Đua"</A>
            <nav aria-label=t("Điều hướng chính", "Main navigation")>
                <A href="/" exact=true>{t("Phong trào", "Movement")}</A>
                <A href=crate::routes::UNITS>{t("Đơn vị", "Units")}</A>
                <A href=crate::routes::CLUSTERS>{t("Cụm, khối", "Clusters")}</A>
            </nav>
            <Session who/>
            <LangSwitch/>
        </header>
        <ReporterBar who/>
    }
}

/// Switches Vietnamese ⇄ English in place, and remembers the choice.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let toggle = move |_| {
        let next = if lang.get_untracked() == Lang::Vi { Lang::En } else { Lang::Vi };
        remember(next);
        lang.set(next);
    };
    view! {
        <button type="button" class="lang-switch" data-testid="lang-switch" on:click=toggle
            aria-label=move || lang.get().pick("Switch to English", "Chuyển sang tiếng Việt")>
            {move || lang.get().pick("English", "Tiếng Việt")}
        </button>
    }
}

/// The sync bar, for a unit's reporter (the only role that files offline).
#[component]
fn ReporterBar(who: Resource<Result<Option<Me>, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let reporter = matches!(who.await, Ok(Some(m)) if m.role == crate::domain::auth::Role::UnitReporter);
                reporter.then(|| view! { <crate::components::sync_bar::SyncBar/> })
            })}
        </Suspense>
    }
}

/// What a shared phone holds of the person signing out: (waiting to sync,
/// other unsent work), read from the phone's store itself (the sync engine
/// may not have loaded it yet).
async fn unsent_on_phone() -> (usize, usize) {
    use crate::offline::item::{unsent, ItemState};
    #[derive(serde::Deserialize)]
    struct State {
        state: ItemState,
    }
    if !crate::offline::local::load().await {
        return (0, 0);
    }
    let states: Vec<ItemState> = crate::offline::local::all("items")
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|t| serde_json::from_str::<State>(t).ok())
        .map(|s| s.state)
        .filter(|s| unsent(*s))
        .collect();
    let waiting = states.iter().filter(|s| **s == ItemState::Waiting).count();
    (waiting, states.len() - waiting)
}

/// Signs out: the server ends the session (this needs the network: the
/// cookie cannot end otherwise); then the phone forgets the person's items,
/// form and cached pages, so the next person sees nothing of them offline.
async fn leave(reporter: bool, problem: RwSignal<bool>) {
    if sign_out().await.is_err() {
        problem.set(true);
        return;
    }
    if reporter && crate::offline::local::load().await {
        let _ = crate::offline::local::forget().await;
    }
    let _ = window().location().set_href("/");
}

/// Who is signed in, with sign-out; or a sign-in link. A reporter with work
/// not yet on the server is told how much before anything is removed, and
/// offered to send it first.
#[component]
pub fn Session(who: Resource<Result<Option<Me>, AppError>>) -> impl IntoView {
    let lang = use_lang();
    let o = crate::offline::use_offline();
    // Some((waiting, other unsent)) while the sign-out panel is open.
    let asking = RwSignal::new(None::<(usize, usize)>);
    let problem = RwSignal::new(false);
    let reporter = RwSignal::new(false);
    let out = move |_| {
        leptos::task::spawn_local(async move {
            problem.set(false);
            if reporter.get_untracked() {
                let (waiting, other) = unsent_on_phone().await;
                if waiting + other > 0 {
                    asking.set(Some((waiting, other)));
                    return;
                }
            }
            leave(reporter.get_untracked(), problem).await;
        })
    };
    // While the panel is open the engine's live count replaces the first one.
    let counts = move || {
        let first = asking.get().unwrap_or_default();
        if o.ready.get() {
            o.items.with(|i| {
                let waiting = i.iter().filter(|i| i.pending()).count();
                (waiting, i.iter().filter(|i| i.unsent()).count() - waiting)
            })
        } else {
            first
        }
    };
    let panel = move || {
        asking.get().map(|_| {
            let l = lang.get();
            let (waiting, other) = counts();
            view! {
                <div class="signout-panel" role="alertdialog" aria-live="polite" data-testid="sign-out-panel"
                    data-waiting=waiting.to_string() data-other=other.to_string()>
                    <p data-testid="sign-out-waiting">{if waiting + other == 0 {
                        l.pick("Đã gửi hết lên máy chủ. Có thể đăng xuất.", "Everything is on the server. You can sign out.").to_string()
                    } else {
                        let parts: Vec<String> = [(waiting, l.pick("mục chờ gửi", "items waiting to sync")), (other, l.pick("bản nháp hoặc mục cần sửa", "drafts or items to fix"))]
                            .into_iter()
                            .filter(|(n, _)| *n > 0)
                            .map(|(n, what)| format!("{n} {what}"))
                            .collect();
                        format!("{} {}.", l.pick("Trên máy còn", "This phone still holds"), parts.join(l.pick(" và ", " and ")))
                    }}</p>
                    {(waiting + other > 0).then(|| view! {
                        <p>{l.pick("Đăng xuất sẽ xóa chúng khỏi máy này.", "Signing out removes them from this phone.")}</p>
                    })}
                    {(waiting > 0).then(|| view! {
                        <button type="button" class="primary" data-testid="sign-out-send"
                            on:click=move |_| crate::offline::engine::request_sync()>
                            {l.pick("Gửi ngay", "Send now")}
                        </button>
                    })}
                    {(other > 0).then(|| view! {
                        <a href=crate::routes::REPORT data-testid="sign-out-open">{l.pick("Mở để hoàn thành", "Open to finish")}</a>
                    })}
                    <button type="button" class="small" data-testid="sign-out-confirm"
                        on:click=move |_| leptos::task::spawn_local(leave(true, problem))>
                        {if waiting + other == 0 {
                            l.pick("Đăng xuất", "Sign out").to_string()
                        } else {
                            format!("{} {} {}", l.pick("Xóa", "Remove"), waiting + other, l.pick("mục và đăng xuất", "items and sign out"))
                        }}
                    </button>
                    <button type="button" class="small" data-testid="sign-out-cancel" on:click=move |_| asking.set(None)>
                        {l.pick("Ở lại", "Stay")}
                    </button>
                </div>
            }
        })
    };
    let offline_note = move || {
        problem.get().then(|| view! {
            <p class="error" role="alert" data-testid="sign-out-problem">
                {lang.get().pick("Cần kết nối mạng để đăng xuất; mọi thứ vẫn ở trên máy.", "Signing out needs the network; everything stays on this phone.")}
            </p>
        })
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let who = who.await;
                reporter.set(matches!(&who, Ok(Some(m)) if m.role == crate::domain::auth::Role::UnitReporter));
                move || match &who {
                    Ok(Some(m)) => view! {
                        {matches!(m.role, crate::domain::auth::Role::DistrictOfficer | crate::domain::auth::Role::HealthOfficer).then(|| view! {
                            <a href=crate::routes::DESK class="sign-in-link" data-testid="desk-link">{lang.get().pick("Tiếp nhận", "Desk")}</a>
                            <a href=crate::routes::CONSOLIDATION class="sign-in-link" data-testid="consolidation-link">{lang.get().pick("Tổng hợp", "Consolidation")}</a>
                            <a href=crate::routes::DIFFICULTIES class="sign-in-link" data-testid="difficulties-link">{lang.get().pick("Khó khăn", "Difficulties")}</a>
                        })}
                        {(m.role == crate::domain::auth::Role::DistrictOfficer).then(|| view! {
                            <a href=crate::routes::NOMINATIONS class="sign-in-link" data-testid="awards-link">{lang.get().pick("Khen thưởng", "Awards")}</a>
                            <a href=crate::routes::ADMIN class="sign-in-link" data-testid="admin-link">{lang.get().pick("Quản trị", "Admin")}</a>
                        })}
                        {matches!(m.role, crate::domain::auth::Role::MediaOfficer | crate::domain::auth::Role::DistrictOfficer).then(|| view! {
                            <a href=crate::routes::EDITOR class="sign-in-link" data-testid="editor-link">{lang.get().pick("Biên tập", "Stories")}</a>
                        })}
                        {(m.role == crate::domain::auth::Role::CouncilMember).then(|| view! {
                            <a href=crate::routes::COUNCIL class="sign-in-link" data-testid="council-link">{lang.get().pick("Biểu quyết", "Vote")}</a>
                        })}
                        {(m.role == crate::domain::auth::Role::UnitReporter).then(|| view! {
                            <a href=crate::routes::REPORT class="sign-in-link" data-testid="report-link">{lang.get().pick("Báo cáo", "Report")}</a>
                            <a href=crate::routes::NOMINATE class="sign-in-link" data-testid="nominate-link">{lang.get().pick("Đề nghị", "Nominate")}</a>
                        })}
                        <a href=crate::routes::LEADERBOARD class="sign-in-link" data-testid="board-link">{lang.get().pick("Xếp hạng", "Ranking")}</a>
                        <a href=crate::routes::PASSWORD class="who" data-testid="who" title=lang.get().pick("Đổi mật khẩu", "Change password")>{m.display_name.clone()}</a>
                        <button type="button" class="lang-switch" data-testid="sign-out" on:click=out>
                            {lang.get().pick("Đăng xuất", "Sign out")}
                        </button>
                        {panel}
                        {offline_note}
                    }.into_any(),
                    _ => view! {
                        <a href=crate::routes::SIGN_IN class="sign-in-link" data-testid="sign-in-link">
                            {lang.get().pick("Đăng nhập", "Sign in")}
                        </a>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
