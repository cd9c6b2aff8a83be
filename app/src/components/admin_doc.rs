//! The frame of a printed administrative document (Nghị định 30/2020/NĐ-CP,
//! Phụ lục I): the issuing body and the national motto with place and date
//! above, recipients and the signature block below.

pub use crate::domain::document::place_of;
use leptos::prelude::*;

/// The issuing body (its parent, its own name, the document number if any)
/// beside the motto and "Place, ngày dd tháng mm năm yyyy".
pub fn doc_head(issuer: String, body: String, number: Option<String>, place: String, (y, m, d): (i32, u8, u8)) -> impl IntoView {
    view! {
        <table class="doc-head"><tbody><tr>
            <td>
                <p>{issuer}</p>
                <p class="strong underline">{body}</p>
                {number.map(|n| view! { <p>{n}</p> })}
            </td>
            <td>
                <p class="strong">"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"</p>
                <p class="strong underline">"Độc lập - Tự do - Hạnh phúc"</p>
                <p class="italic" data-testid="place-date">{format!("{place}, ngày {d:02} tháng {m:02} năm {y}")}</p>
            </td>
        </tr></tbody></table>
    }
}

/// "Nơi nhận:" and its lines, beside the signer's titles and "(Ký, ghi rõ họ tên)".
pub fn doc_foot(recipients: Vec<String>, signer: Vec<String>) -> impl IntoView {
    view! {
        <table class="doc-foot"><tbody><tr>
            <td>
                <p class="strong italic">"Nơi nhận:"</p>
                {recipients.into_iter().map(|r| view! { <p class="small">{r}</p> }).collect_view()}
            </td>
            <td class="sign">
                {signer.into_iter().map(|s| view! { <p class="strong">{s}</p> }).collect_view()}
                <p class="italic">"(Ký, ghi rõ họ tên)"</p>
            </td>
        </tr></tbody></table>
    }
}
