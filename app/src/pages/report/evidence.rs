//! Evidence files on a phone's form (a report's criterion, a nomination, a
//! story): photos taken or picked and PDF documents, each made ready and
//! kept on the phone at once (`offline::files::keep`: a photo is scaled down
//! and loses its EXIF), listed with its size and whether the server has it,
//! removable while the item can still change.

use crate::domain::attachment::{size_text, FileRef};
use crate::i18n::Lang;
use crate::offline::Offline;
use leptos::prelude::*;

/// Changes the list of files where the form keeps it. Thread-safe: a page
/// rendered on the server may drop it on another thread.
pub(crate) type EditFiles = StoredValue<Box<dyn Fn(FilesChange) + Send + Sync>>;

/// One change to a list of files.
pub(crate) type FilesChange = Box<dyn FnOnce(&mut Vec<FileRef>)>;

/// `EditFiles` from what applies a change.
pub(crate) fn edit_files(apply: impl Fn(FilesChange) + Send + Sync + 'static) -> EditFiles {
    StoredValue::new(Box::new(apply))
}

/// The files of `files` in `area` (a report's criterion; `None` for a
/// nomination's or a story's own), and the picker adding to them. `key`
/// names the test ids (`attach-KEY`, `files-KEY`). Nothing outside a
/// reporter's pages (the movement editor's preview has no phone store).
pub(crate) fn file_picker(
    key: String,
    area: Option<String>,
    files: Signal<Vec<FileRef>>,
    locked: bool,
    edit: EditFiles,
    l: Lang,
) -> AnyView {
    let Some(o) = use_context::<Offline>() else { return ().into_any() };
    let busy = RwSignal::new(0u32);
    let problem = RwSignal::new(None::<String>);
    let mine = {
        let area = area.clone();
        move || files.with(|fs| fs.iter().filter(|f| f.area == area).cloned().collect::<Vec<_>>())
    };
    let picked = {
        let area = area.clone();
        move |ev: leptos::ev::Event| {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            let Some(list) = input.files() else { return };
            let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|k| list.get(k)).collect();
            input.set_value("");
            problem.set(None);
            for file in chosen {
                let area = area.clone();
                busy.update(|b| *b += 1);
                leptos::task::spawn_local(async move {
                    match crate::offline::files::keep(file).await {
                        Ok(mut f) => {
                            f.area = area;
                            edit.with_value(|e| {
                                e(Box::new(move |fs| {
                                    if !fs.iter().any(|g| g.hash == f.hash && g.area == f.area) {
                                        fs.push(f);
                                    }
                                }))
                            });
                        }
                        Err(m) => problem.set(Some(m)),
                    }
                    busy.update(|b| *b -= 1);
                });
            }
        }
    };
    let remove = {
        let area = area.clone();
        move |hash: String| {
            let (area, h) = (area.clone(), hash.clone());
            edit.with_value(|e| e(Box::new(move |fs| fs.retain(|f| !(f.hash == h && f.area == area)))));
            // Kept while another criterion or item still names it.
            let named = o.items.with_untracked(|all| all.iter().any(|i| i.body.files().iter().any(|f| f.hash == hash)))
                || files.with_untracked(|fs| fs.iter().any(|f| f.hash == hash));
            if !named {
                leptos::task::spawn_local(async move { crate::offline::files::discard(&hash).await });
            }
        }
    };
    view! {
        <div class="evidence-files">
            <ul data-testid=format!("files-{key}")>
                // Re-drawn whole when the list changes (a few files): the
                // keyed `<For>` brought ~8 KB of diffing code to the phone.
                {move || mine().into_iter().map(|f| {
                        let hash = f.hash.clone();
                        let sent = Signal::derive({
                            let h = hash.clone();
                            move || o.sent_files.with(|s| s.contains(&h))
                        });
                        let remove = remove.clone();
                        let testid = format!("file-{hash}");
                        view! {
                            <li data-testid=testid data-size=f.size.to_string() data-kind=f.kind.code()
                                data-state=move || if sent.get() { "sent" } else { "waiting" }>
                                <span>{format!("{} · {}", f.name, size_text(f.size))}</span>
                                <span class="muted small-text">{move || if sent.get() { l.pick("đã gửi", "sent") } else { l.pick("chờ gửi", "waiting") }}</span>
                                {(!locked).then(move || view! {
                                    <button type="button" class="link" data-testid=format!("remove-file-{hash}")
                                        on:click=move |_| remove(hash.clone())>{l.pick("Bỏ", "Remove")}</button>
                                })}
                            </li>
                        }
                    }).collect_view()}
            </ul>
            {(!locked).then(|| view! {
                <label class="field attach"><span>{l.pick("Thêm ảnh hoặc tệp PDF", "Add photos or PDF files")}</span>
                    <input type="file" accept="image/*,application/pdf" multiple data-testid=format!("attach-{key}") on:change=picked/></label>
            })}
            {move || (busy.get() > 0).then(|| view! { <p class="muted small-text" data-testid="attach-busy">{l.pick("Đang chuẩn bị tệp…", "Preparing files…")}</p> })}
            {move || problem.get().map(|m| view! { <p class="error" data-testid="attach-problem">{m}</p> })}
        </div>
    }
    .into_any()
}
