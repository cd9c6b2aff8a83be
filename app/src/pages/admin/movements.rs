//! The organiser's movements: each with where it stands and how many reports
//! were filed for it; the steps of its lifecycle; a draft copied from one.

use crate::api::movements::{movements_copy, movements_import, movements_list, movements_set_status, MovementRow};
use crate::components::form::{run, Fields, Notice, NoticeLine};
use crate::components::status::loaded;
use crate::domain::AppError;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use leptos_meta::Title;

crate::lazy_page!(MovementsPage, movements_page, staff);

type Rows = Resource<Result<Vec<MovementRow>, AppError>>;

fn movements_page() -> impl IntoView {
    let lang = use_lang();
    let t = move |vi: &'static str, en: &'static str| move || lang.get().pick(vi, en);
    let rows: Rows = Resource::new(|| (), |_| movements_list());
    let notice: Notice = RwSignal::new(None);
    let copy = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        run(notice, "Đã tạo bản nháp. / Draft created.", movements_copy(f.get("from"), f.get("code"), f.get("name")), move |_| {
            rows.refetch()
        });
    };
    // A movement file: read in the browser, checked whole on the server.
    let file_text = RwSignal::new(None::<String>);
    let file_errors = RwSignal::new(Vec::<crate::domain::FieldError>::new());
    let file_notice: Notice = RwSignal::new(None);
    let pick = move |ev: leptos::ev::Event| {
        file_text.set(None);
        crate::components::form::read_picked_text(&ev, move |t| file_text.set(Some(t)));
    };
    let import = move |ev: leptos::ev::SubmitEvent| {
        let f = Fields::of(&ev);
        let Some(text) = file_text.get_untracked() else { return };
        file_errors.set(Vec::new());
        file_notice.set(None);
        leptos::task::spawn_local(async move {
            match movements_import(f.get("code"), text).await {
                Ok(_) => {
                    file_notice.set(Some(Ok("Đã nhập thành bản nháp. / Imported as a draft.".into())));
                    rows.refetch();
                }
                Err(e) if !e.errors.is_empty() => file_errors.set(e.errors),
                Err(e) => file_notice.set(Some(Err(crate::components::form::error_text(&e)))),
            }
        });
    };
    view! {
        <Title text=move || lang.get().pick("Phong trào thi đua", "Emulation movements").to_string()/>
        <section class="card">
            <h1>{t("Phong trào thi đua", "Emulation movements")}</h1>
            <p class="muted">{t(
                "Bản nháp chỉ cán bộ thấy; khi công bố, các đơn vị báo cáo theo phong trào. Kết thúc thì không nhận báo cáo nữa, kết quả vẫn giữ.",
                "Only staff see a draft; once published, units report for it. A closed movement takes no more reports and keeps its results.")}</p>
            <NoticeLine notice/>
            {loaded(rows, move |list, l| movement_table(list, l, notice, rows).into_any())}
        </section>
        <section class="card">
            <h2>{t("Tạo phong trào từ một phong trào có sẵn", "New movement from an existing one")}</h2>
            <form on:submit=copy data-testid="copy-movement">
                <label class="field"><span>{t("Sao chép từ", "Copy of")}</span>
                    <select name="from" data-testid="copy-from">
                        // Read inside a suspense, so the page hydrates as the
                        // server rendered it.
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                rows.await.unwrap_or_default().into_iter().map(|m| {
                                    view! { <option value=m.code.clone()>{m.name.clone()}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                        {crate::api::movements::TEMPLATES.map(|(code, vi, en)| view! { <option value=code>{t(vi, en)}</option> }).collect_view()}
                    </select></label>
                <label class="field"><span>{t("Mã (chữ thường không dấu, số, gạch ngang)", "Code (lower-case letters, digits, hyphens)")}</span>
                    <input name="code" required pattern="[a-z0-9][a-z0-9\\-]*" maxlength="64" data-testid="copy-code"/></label>
                <label class="field"><span>{t("Tên phong trào", "Name")}</span>
                    <input name="name" required data-testid="copy-name"/></label>
                <button type="submit" class="primary" data-testid="copy-submit">{t("Tạo bản nháp", "Create draft")}</button>
            </form>
        </section>
        <section class="card">
            <h2>{t("Nhập phong trào từ tệp", "Import a movement file")}</h2>
            <p class="muted">{t(
                "Tệp TOML cùng dạng với tệp xuất của phong trào (xem README, “Movement files”). Tệp có lỗi bị từ chối toàn bộ, mỗi lỗi ghi dòng và trường.",
                "A TOML file in the layout movements are exported in (README, “Movement files”). A file with errors is refused whole, each error with its line and field.")}</p>
            <form on:submit=import data-testid="import-movement">
                <label class="field"><span>{t("Chọn tệp", "Choose the file")}</span>
                    <input type="file" accept=".toml,text/plain" on:change=pick data-testid="movement-file"/></label>
                <label class="field"><span>{t("Mã (chữ thường không dấu, số, gạch ngang)", "Code (lower-case letters, digits, hyphens)")}</span>
                    <input name="code" required pattern="[a-z0-9][a-z0-9\\-]*" maxlength="64" data-testid="import-code"/></label>
                <button type="submit" class="primary" data-testid="import-submit" disabled=move || file_text.with(Option::is_none)>
                    {t("Nhập thành bản nháp", "Import as a draft")}</button>
            </form>
            <NoticeLine notice=file_notice/>
            {move || (!file_errors.with(Vec::is_empty)).then(|| {
                let l = lang.get();
                view! {
                    <div class="table-wrap" tabindex="0"><table data-testid="file-errors">
                        <thead><tr><th>{l.pick("Trường", "Field")}</th><th>{l.pick("Lỗi", "Problem")}</th></tr></thead>
                        <tbody>{file_errors.get().into_iter().map(|e| view! {
                            <tr><td>{e.field.clone()}</td><td>{l.pick(&e.message_vi, &e.message_en).to_string()}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }
            })}
        </section>
    }
}

fn movement_table(list: &[MovementRow], l: Lang, notice: Notice, rows: Rows) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0"><table data-testid="movements">
            <thead><tr>
                <th>{l.pick("Phong trào", "Movement")}</th>
                <th>{l.pick("Trạng thái", "Status")}</th>
                <th>{l.pick("Bắt đầu", "Starts")}</th>
                <th class="num">{l.pick("Báo cáo", "Reports")}</th>
                <th></th>
            </tr></thead>
            <tbody>
                {list.iter().map(|m| {
                    let from = m.status;
                    view! {
                        <tr data-code=m.code.clone() data-status=m.status.code()>
                            <td><a href=crate::routes::movement_editor(&m.code) data-testid="open-movement">{m.name.clone()}</a>
                                <br/><span class="muted">{m.code.clone()}" · v"{m.version}</span>
                                {m.current.then(|| view! { " "<span class="badge head">{l.pick("đang hiển thị", "shown now")}</span> })}</td>
                            <td>{l.pick(m.status.label_vi(), m.status.label_en())}</td>
                            <td>{m.starts_on.clone()}</td>
                            <td class="num">{m.reports}</td>
                            <td>{from.next().iter().map(|&to| {
                                let code = m.code.clone();
                                let step = move |_| run(notice, "Đã cập nhật. / Updated.", movements_set_status(code.clone(), to.code().to_string()), move |_| rows.refetch());
                                view! { <button type="button" class="small" on:click=step data-testid=format!("step-{}", to.code())>
                                    {l.pick(from.step_label_vi(to), from.step_label_en(to))}</button>" " }
                            }).collect_view()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
}
