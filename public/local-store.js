// The phone's own storage and transport for offline work, called from the
// WASM app (app/src/offline). Kept in plain JS: IndexedDB, Web Locks and
// fetch bindings written in Rust would cost far more WASM than these lines.
(() => {
  'use strict';
  const DB = 'thidua';
  let opened;
  function open() {
    if (!opened) {
      opened = new Promise((ok, fail) => {
        // Version 2 added `files`: evidence kept as Blobs, by their hash.
        const r = indexedDB.open(DB, 2);
        r.onupgradeneeded = () => {
          for (const s of ['items', 'meta', 'files']) {
            if (!r.result.objectStoreNames.contains(s)) r.result.createObjectStore(s);
          }
        };
        r.onsuccess = () => ok(r.result);
        r.onerror = () => { opened = null; fail(r.error); };
      });
    }
    return opened;
  }
  async function tx(store, mode, fn) {
    const db = await open();
    return new Promise((ok, fail) => {
      const t = db.transaction(store, mode);
      const req = fn(t.objectStore(store));
      t.oncomplete = () => ok(req ? req.result : undefined);
      t.onerror = () => fail(t.error);
      t.onabort = () => fail(t.error);
    });
  }
  const get = (store, key) => tx(store, 'readonly', (s) => s.get(key)).then((v) => (v === undefined ? null : v));
  const all = (store) => tx(store, 'readonly', (s) => s.getAll());
  // The reads the app makes first once it has hydrated (engine.rs `reload`),
  // started now, while the WASM compiles: on a slow phone they are done when
  // it asks. Each is handed out once, within a few seconds, and any write
  // here drops them, so the app never gets an answer older than its own
  // writes (another tab's write is announced, and the app reads again).
  const early = new Map([
    ['items', all('items')],
    ['meta/forms', get('meta', 'forms')],
    ['meta/form', get('meta', 'form')],
    ['meta/last_sync', get('meta', 'last_sync')],
  ]);
  for (const p of early.values()) p.catch(() => {});
  setTimeout(() => early.clear(), 5000);
  const take = (name, read) => {
    const p = early.get(name);
    early.delete(name);
    return p || read();
  };
  const channel = 'BroadcastChannel' in self ? new BroadcastChannel('thidua') : null;
  self.thiduaLocal = {
    put: (store, key, text) => { early.clear(); return tx(store, 'readwrite', (s) => s.put(text, key)); },
    get: (store, key) => take(store + '/' + key, () => get(store, key)),
    all: (store) => take(store, () => all(store)),
    // One tab syncs at a time: runs `fn` (returning a promise) only when no
    // other tab holds the lock; resolves true if it ran.
    exclusive: (name, fn) => (navigator.locks
      ? navigator.locks.request(name, { ifAvailable: true }, (lock) => (lock ? Promise.resolve(fn()).then(() => true) : false))
      : Promise.resolve(fn()).then(() => true)),
    announce: (msg) => { if (channel) channel.postMessage(msg); },
    listen: (cb) => { if (channel) channel.onmessage = (e) => cb(String(e.data)); },
    persist: () => (navigator.storage && navigator.storage.persist ? navigator.storage.persist() : Promise.resolve(false)),
    // A shared phone after sign-out: the signed-out person's items, form and
    // sync state, and every page cached with their data, are removed (the
    // app's build files stay, so it still opens offline); other tabs reload.
    forget: async () => {
      early.clear();
      await tx('items', 'readwrite', (s) => { s.clear(); });
      await tx('meta', 'readwrite', (s) => { s.clear(); });
      await tx('files', 'readwrite', (s) => { s.clear(); });
      if (self.caches) {
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const req of await cache.keys()) {
            const res = await cache.match(req);
            if ((res?.headers.get('content-type') || '').startsWith('text/html')) await cache.delete(req);
          }
        }
      }
      if (channel) channel.postMessage('changed');
    },
    // Evidence files: Blobs by their hash (IndexedDB keeps a Blob as it is,
    // with no copy through text).
    putFile: (hash, blob) => tx('files', 'readwrite', (s) => s.put(blob, hash)),
    getFile: (hash) => get('files', hash),
    dropFile: (hash) => tx('files', 'readwrite', (s) => s.delete(hash)),
    fileKeys: () => tx('files', 'readonly', (s) => s.getAllKeys()),
    // GET or PUT (bytes) for the uploads; never rejects on an HTTP status:
    // resolves [status, content type, text].
    send: async (method, url, blob) => {
      const r = await fetch(url, { method, body: blob || undefined, credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: 'application/json' } });
      return [r.status, r.headers.get('content-type') || '', await r.text()];
    },
    uuid: () => crypto.randomUUID(),
    online: () => navigator.onLine,
    // POSTs JSON, gzip-compressed where the browser can; never rejects on an
    // HTTP status: resolves [status, content type, text].
    post: async (url, text) => {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      let body = text;
      if (self.CompressionStream && text.length > 512) {
        body = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
        headers['Content-Encoding'] = 'gzip';
      }
      const r = await fetch(url, { method: 'POST', headers, body, credentials: 'same-origin', cache: 'no-store' });
      return [r.status, r.headers.get('content-type') || '', await r.text()];
    },
  };
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  }
})();
