//! Evidence files as the organiser's staff see them: an image as its
//! thumbnail (made on the server), a document by its name; each opens whole.

use crate::domain::attachment::{size_text, FileRef};
use crate::i18n::Lang;
use leptos::prelude::*;

/// The files of `area` (a report's criterion; `None`: a nomination's or a
/// story's own); nothing when there are none.
pub fn evidence_thumbs(files: &[FileRef], area: Option<&str>, l: Lang) -> impl IntoView {
    let mine: Vec<_> = files.iter().filter(|f| f.area.as_deref() == area).cloned().collect();
    (!mine.is_empty()).then(|| {
        view! {
            <ul class="evidence-thumbs" data-testid="evidence-files" aria-label=l.pick("Tệp minh chứng", "Evidence files")>
                {mine.into_iter().map(|f| view! {
                    <li>
                        <a href=crate::routes::evidence(&f.hash, false) target="_blank" rel="noopener" data-testid="evidence-file" data-hash=f.hash.clone()>
                            {f.kind.is_image().then(|| view! {
                                <img src=crate::routes::evidence(&f.hash, true) alt=f.name.clone() loading="lazy" height="96"/>
                            })}
                            <span class="small-text">{format!("{} · {}", f.name, size_text(f.size))}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}
