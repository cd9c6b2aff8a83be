use crate::api::auth::{current_user, sign_out, Me};
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
                <A href="/units">{t("Đơn vị", "Units")}</A>
                <A href="/clusters">{t("Cụm, khối", "Clusters")}</A>
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
fn ReporterBar(who: Resource<Result<Option<Me>, ServerFnError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let reporter = matches!(who.await, Ok(Some(m)) if m.role == crate::domain::auth::Role::UnitReporter);
                reporter.then(|| view! { <crate::components::sync_bar::SyncBar/> })
            })}
        </Suspense>
    }
}

/// Who is signed in, with sign-out; or a sign-in link.
#[component]
pub fn Session(who: Resource<Result<Option<Me>, ServerFnError>>) -> impl IntoView {
    let lang = use_lang();
    let out = move |_| {
        leptos::task::spawn_local(async {
            let _ = sign_out().await;
            let _ = window().location().set_href("/");
        })
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let who = who.await;
                move || match &who {
                    Ok(Some(m)) => view! {
                        {matches!(m.role, crate::domain::auth::Role::DistrictOfficer | crate::domain::auth::Role::HealthOfficer).then(|| view! {
                            <a href="/tiep-nhan" class="sign-in-link" data-testid="desk-link">{lang.get().pick("Tiếp nhận", "Desk")}</a>
                            <a href="/tong-hop" class="sign-in-link" data-testid="consolidation-link">{lang.get().pick("Tổng hợp", "Consolidation")}</a>
                            <a href="/kho-khan" class="sign-in-link" data-testid="difficulties-link">{lang.get().pick("Khó khăn", "Difficulties")}</a>
                        })}
                        {(m.role == crate::domain::auth::Role::DistrictOfficer).then(|| view! {
                            <a href="/khen-thuong" class="sign-in-link" data-testid="awards-link">{lang.get().pick("Khen thưởng", "Awards")}</a>
                            <a href="/quan-tri" class="sign-in-link" data-testid="admin-link">{lang.get().pick("Quản trị", "Admin")}</a>
                        })}
                        {matches!(m.role, crate::domain::auth::Role::MediaOfficer | crate::domain::auth::Role::DistrictOfficer).then(|| view! {
                            <a href="/bien-tap" class="sign-in-link" data-testid="editor-link">{lang.get().pick("Biên tập", "Stories")}</a>
                        })}
                        {(m.role == crate::domain::auth::Role::CouncilMember).then(|| view! {
                            <a href="/hoi-dong" class="sign-in-link" data-testid="council-link">{lang.get().pick("Biểu quyết", "Vote")}</a>
                        })}
                        {(m.role == crate::domain::auth::Role::UnitReporter).then(|| view! {
                            <a href="/bao-cao" class="sign-in-link" data-testid="report-link">{lang.get().pick("Báo cáo", "Report")}</a>
                            <a href="/de-nghi" class="sign-in-link" data-testid="nominate-link">{lang.get().pick("Đề nghị", "Nominate")}</a>
                        })}
                        <a href="/bang-xep-hang" class="sign-in-link" data-testid="board-link">{lang.get().pick("Xếp hạng", "Ranking")}</a>
                        <a href="/doi-mat-khau" class="who" data-testid="who" title=lang.get().pick("Đổi mật khẩu", "Change password")>{m.display_name.clone()}</a>
                        <button type="button" class="lang-switch" data-testid="sign-out" on:click=out>
                            {lang.get().pick("Đăng xuất", "Sign out")}
                        </button>
                    }.into_any(),
                    _ => view! {
                        <a href="/dang-nhap" class="sign-in-link" data-testid="sign-in-link">
                            {lang.get().pick("Đăng nhập", "Sign in")}
                        </a>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
