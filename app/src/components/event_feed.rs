//! Follows a server-sent-events stream in the browser for a screen that must
//! stay current by itself (the meeting display). The browser's own
//! EventSource retry gives up on some failures, so this reconnects itself:
//! with growing, jittered delays; at once when the network comes back; and
//! when the stream goes quiet longer than the server's ping allows (a link
//! that died without an error). `stale` is true from the first sign of
//! trouble until the next message arrives.

use leptos::prelude::*;

/// Nothing heard for this long means the link is dead (the server pings
/// every 15 s).
#[cfg(feature = "hydrate")]
const QUIET_MS: f64 = 35_000.0;

/// Starts following `url`; `on_event(name, data)` gets every event named in
/// `events`. Stops when the calling component is cleaned up.
#[cfg(feature = "hydrate")]
pub fn follow(url: String, events: &'static [&'static str], on_event: impl Fn(&str, String) + 'static, stale: RwSignal<bool>) {
    use std::rc::Rc;
    let f = Rc::new(imp::Follower::new(url, events, Box::new(on_event), stale));
    imp::connect(&f);
    imp::watch(&f);
    let held = StoredValue::new_local(Some(f));
    on_cleanup(move || {
        let _ = held.try_update_value(|f| {
            if let Some(f) = f.take() {
                f.stop();
            }
        });
    });
}

/// Without the browser nothing is followed (server rendering).
#[cfg(not(feature = "hydrate"))]
pub fn follow(_url: String, _events: &'static [&'static str], _on_event: impl Fn(&str, String) + 'static, _stale: RwSignal<bool>) {}

#[cfg(feature = "hydrate")]
mod imp {
    use super::QUIET_MS;
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Event, EventSource, MessageEvent};

    struct Conn {
        source: EventSource,
        _listeners: Vec<Closure<dyn FnMut(MessageEvent)>>,
        _on_error: Closure<dyn FnMut(Event)>,
    }

    /// What a named event's data is handed to.
    pub type OnEvent = Box<dyn Fn(&str, String)>;

    pub struct Follower {
        url: String,
        events: &'static [&'static str],
        on_event: OnEvent,
        stale: RwSignal<bool>,
        conn: RefCell<Option<Conn>>,
        heard: Cell<f64>,
        failures: Cell<u32>,
        stopped: Cell<bool>,
        timers: RefCell<Vec<IntervalHandle>>,
        _window: RefCell<Vec<WindowListenerHandle>>,
    }

    impl Follower {
        pub fn new(url: String, events: &'static [&'static str], on_event: OnEvent, stale: RwSignal<bool>) -> Self {
            Follower {
                url,
                events,
                on_event,
                stale,
                conn: RefCell::new(None),
                heard: Cell::new(js_sys::Date::now()),
                failures: Cell::new(0),
                stopped: Cell::new(false),
                timers: RefCell::new(Vec::new()),
                _window: RefCell::new(Vec::new()),
            }
        }

        pub fn stop(&self) {
            self.stopped.set(true);
            self.drop_conn();
            for t in self.timers.borrow_mut().drain(..) {
                t.clear();
            }
            for w in self._window.borrow_mut().drain(..) {
                w.remove();
            }
        }

        fn drop_conn(&self) {
            if let Some(c) = self.conn.borrow_mut().take() {
                c.source.close();
            }
        }

        /// Marks the board stale and drops the link; a reconnect follows.
        fn trouble(&self) {
            let _ = self.stale.try_set(true);
            self.drop_conn();
        }
    }

    pub fn connect(f: &Rc<Follower>) {
        if f.stopped.get() || f.conn.borrow().is_some() {
            return;
        }
        let Ok(source) = EventSource::new(&f.url) else {
            retry_later(f);
            return;
        };
        let listeners = f
            .events
            .iter()
            .map(|name| {
                let me = Rc::downgrade(f);
                let cb = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    if let Some(f) = me.upgrade() {
                        f.heard.set(js_sys::Date::now());
                        f.failures.set(0);
                        let _ = f.stale.try_set(false);
                        (f.on_event)(name, e.data().as_string().unwrap_or_default());
                    }
                });
                let _ = source.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
                cb
            })
            .collect();
        let me = Rc::downgrade(f);
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_| {
            if let Some(f) = me.upgrade() {
                f.trouble();
                retry_later(&f);
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        f.heard.set(js_sys::Date::now());
        *f.conn.borrow_mut() = Some(Conn { source, _listeners: listeners, _on_error: on_error });
    }

    /// 1, 2, 4, 8 s, then every 8 s, each with up to a quarter added at random
    /// so a room of displays does not knock all at once after a restart.
    fn retry_later(f: &Rc<Follower>) {
        let n = f.failures.get().min(3);
        f.failures.set(f.failures.get() + 1);
        let base = 1000.0 * f64::from(1u32 << n);
        let wait = base + js_sys::Math::random() * base / 4.0;
        let me = Rc::downgrade(f);
        set_timeout(
            move || {
                if let Some(f) = me.upgrade() {
                    connect(&f);
                }
            },
            Duration::from_millis(wait as u64),
        );
    }

    /// The quiet-link watchdog and the browser's own online/offline signals.
    pub fn watch(f: &Rc<Follower>) {
        let me = Rc::downgrade(f);
        if let Ok(h) = set_interval_with_handle(
            move || {
                if let Some(f) = me.upgrade() {
                    if f.conn.borrow().is_some() && js_sys::Date::now() - f.heard.get() > QUIET_MS {
                        f.trouble();
                        connect(&f);
                    }
                }
            },
            Duration::from_secs(5),
        ) {
            f.timers.borrow_mut().push(h);
        }
        let me = Rc::downgrade(f);
        let off = window_event_listener(leptos::ev::offline, move |_| {
            if let Some(f) = me.upgrade() {
                f.trouble();
            }
        });
        let me = Rc::downgrade(f);
        let on = window_event_listener(leptos::ev::online, move |_| {
            if let Some(f) = me.upgrade() {
                f.failures.set(0);
                f.drop_conn();
                connect(&f);
            }
        });
        f._window.borrow_mut().extend([off, on]);
    }
}
