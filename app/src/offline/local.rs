//! Bindings to `public/local-store.js`: IndexedDB, the cross-tab lock and
//! channel, persistent storage, and a compressed POST. Values are JSON text.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = put)]
    fn js_put(store: &str, key: &str, text: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = get)]
    fn js_get(store: &str, key: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = all)]
    fn js_all(store: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = exclusive)]
    fn js_exclusive(name: &str, f: &js_sys::Function) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = announce)]
    fn js_announce(msg: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = listen)]
    fn js_listen(cb: &js_sys::Function) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = persist)]
    fn js_persist() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = forget)]
    fn js_forget() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = uuid)]
    fn js_uuid() -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = online)]
    fn js_online() -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = post)]
    fn js_post(url: &str, text: &str) -> Result<js_sys::Promise, JsValue>;
}

/// Loads `/local-store.js` (the offline store and the service worker's
/// registration) unless it is there. Only a reporter's pages need it, so it
/// is not part of everyone's first visit.
pub async fn load() -> bool {
    let w = leptos::prelude::window();
    if js_sys::Reflect::has(&w, &"thiduaLocal".into()).unwrap_or(false) {
        return true;
    }
    let doc = leptos::prelude::document();
    // The shell may have started loading it already (`LocalStoreEarly`): it
    // has not run yet, so its load event is still to come.
    let early = doc.get_element_by_id("local-store");
    let Some(s) = early.clone().or_else(|| doc.create_element("script").ok()) else { return false };
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = s.add_event_listener_with_callback("load", &resolve);
        let _ = s.add_event_listener_with_callback("error", &reject);
    });
    if early.is_none() {
        let _ = s.set_attribute("src", "/local-store.js");
        if let Some(head) = doc.head() {
            let _ = head.append_child(&s);
        }
    }
    JsFuture::from(loaded).await.is_ok()
}

/// The words of a JS error: a string, or an Error's `message`.
pub(super) fn message_of(e: &JsValue) -> Option<String> {
    e.as_string().or_else(|| js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()))
}

fn text(e: JsValue) -> String {
    message_of(&e).unwrap_or_else(|| "lỗi bộ nhớ trên máy / local storage error".into())
}

/// A call of `local-store.js`, awaited; its error as words.
pub(super) async fn wait(p: Result<js_sys::Promise, JsValue>) -> Result<JsValue, String> {
    JsFuture::from(p.map_err(text)?).await.map_err(text)
}

pub async fn put(store: &str, key: &str, value: &str) -> Result<(), String> {
    wait(js_put(store, key, value)).await.map(|_| ())
}

/// The read starts when this is called, not when awaited, so several reads
/// run together.
pub fn get(store: &str, key: &str) -> impl std::future::Future<Output = Result<Option<String>, String>> {
    let p = js_get(store, key);
    async move { Ok(wait(p).await?.as_string()) }
}

/// Like `get`, the read starts at the call.
pub fn all(store: &str) -> impl std::future::Future<Output = Result<Vec<String>, String>> {
    let p = js_all(store);
    async move {
        let v = wait(p).await?;
        Ok(js_sys::Array::from(&v).iter().filter_map(|x| x.as_string()).collect())
    }
}

/// Resolves once the browser has painted the next frame: a timeout queued
/// from an animation frame runs after that frame's paint.
pub async fn after_paint() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let later = Closure::once_into_js(move || {
            let _ = leptos::prelude::window().set_timeout_with_callback(resolve.unchecked_ref());
        });
        let _ = leptos::prelude::window().request_animation_frame(later.unchecked_ref());
    });
    let _ = JsFuture::from(p).await;
}

/// Runs `f` only if no other tab holds the lock `name`; true if it ran.
pub async fn exclusive<F>(name: &str, f: F) -> bool
where
    F: std::future::Future<Output = ()> + 'static,
{
    let mut f = Some(f);
    let cb = Closure::once(move || -> js_sys::Promise {
        let fut = f.take();
        wasm_bindgen_futures::future_to_promise(async move {
            if let Some(fut) = fut {
                fut.await;
            }
            Ok(JsValue::UNDEFINED)
        })
    });
    let r = wait(js_exclusive(name, cb.as_ref().unchecked_ref())).await;
    drop(cb);
    r.map(|v| v.as_bool().unwrap_or(false)).unwrap_or(false)
}

pub fn announce(msg: &str) {
    let _ = js_announce(msg);
}

/// Calls `cb` with every message another tab announces.
pub fn listen(cb: impl Fn(String) + 'static) {
    let c = Closure::<dyn Fn(String)>::new(cb);
    let _ = js_listen(c.as_ref().unchecked_ref());
    c.forget();
}

pub async fn persist() -> bool {
    wait(js_persist()).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// Removes the signed-out person's data from this phone: items, form, sync
/// state and cached pages (`local-store.js` `forget`).
pub async fn forget() -> Result<(), String> {
    wait(js_forget()).await.map(|_| ())
}

pub fn uuid() -> String {
    js_uuid().unwrap_or_else(|_| format!("{:x}", (js_sys::Math::random() * 1e16) as u64))
}

pub fn online() -> bool {
    js_online().unwrap_or(true)
}

/// POSTs JSON; (status, content type, body). Err only when nothing came back.
pub async fn post(url: &str, body: &str) -> Result<(u16, String, String), String> {
    let v = wait(js_post(url, body)).await?;
    let a = js_sys::Array::from(&v);
    let status = a.get(0).as_f64().unwrap_or(0.0) as u16;
    Ok((status, a.get(1).as_string().unwrap_or_default(), a.get(2).as_string().unwrap_or_default()))
}
