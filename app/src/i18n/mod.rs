//! Vietnamese first, English second. The language lives in a `lang` cookie so
//! the server renders the same language the browser hydrates.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    pub fn from_code(s: &str) -> Lang {
        if s.trim() == "en" {
            Lang::En
        } else {
            Lang::Vi
        }
    }
    /// Picks the Vietnamese or English text.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
    /// Reads `lang=` from a Cookie header value.
    pub fn from_cookie_header(h: &str) -> Lang {
        h.split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == "lang")
            .map(|(_, v)| Lang::from_code(v))
            .unwrap_or_default()
    }
}

/// The language signal every page reads.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Vi))
}

/// The language this render starts in: the request's cookie on the server,
/// the `<html lang>` the server wrote on the client (so hydration matches).
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| p.headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Lang::from_cookie_header))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document().document_element().and_then(|e| e.get_attribute("lang")).map(|l| Lang::from_code(&l)).unwrap_or_default()
    }
}

/// Remembers the choice for the next visit (one year).
pub fn remember(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&format!("lang={}; path=/; max-age=31536000; samesite=lax", lang.code()));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn cookie_parsing() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=vi"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::Vi);
    }
}
