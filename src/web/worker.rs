//! The query worker: the engine's own wasm module (`src/bin/engine.rs`, no Yew or UI), started
//! in a module Web Worker (`www/worker.js`), holds the data and runs queries
//! ([`crate::app::worker::WorkerState`]); the page talks to it with `postMessage`. `boot.js`
//! starts downloading and compiling the engine module next to the page's own; the page hands
//! the compiled `WebAssembly.Module` to every worker: Stop (or a crash) terminates the worker
//! and starts a fresh one without fetching or compiling again.

use crate::app::wire::decode_table;
use crate::app::worker::{Reply, Request, WorkerState};
use crate::table::Table;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions, WorkerType};

fn worker_now() -> f64 {
    js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>().ok().and_then(|g| g.performance()).map(|p| p.now()).unwrap_or_default()
}

/// The worker side: answers requests until the page terminates it.
pub fn run_worker() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&format!("kqlab worker: {info}")));
        // Tell the page why, before the abort ends the worker with a bare "unreachable".
        let out = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str("panic"), &JsValue::from_str(&super::dom::panic_text(info)));
        let _ = js_sys::global().unchecked_into::<DedicatedWorkerGlobalScope>().post_message(&out);
    }));
    let state: Rc<RefCell<Option<WorkerState>>> = Rc::new(RefCell::new(None));
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let clock = js_sys::Reflect::get(&data, &JsValue::from_str("clock")).ok().and_then(|v| v.as_f64());
        let mut st = state.borrow_mut();
        if let Some(c) = clock {
            // `{clock}` starts the worker's session.
            *st = Some(WorkerState::new(c as i64));
            let _ = reply_scope.post_message(&JsValue::from_str("ready"));
            return;
        }
        let Some(ws) = st.as_mut() else { return };
        let req: Request = match serde_wasm_bindgen::from_value(data) {
            Ok(r) => r,
            Err(err) => {
                web_sys::console::error_1(&JsValue::from_str(&format!("kqlab worker: bad request: {err}")));
                return;
            }
        };
        let (reply, table) = ws.handle(req, &worker_now);
        let out = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str("reply"), &serde_wasm_bindgen::to_value(&reply).unwrap_or(JsValue::NULL));
        let transfer = js_sys::Array::new();
        if let Some(bytes) = table {
            let arr = js_sys::Uint8Array::from(bytes.as_slice());
            transfer.push(&arr.buffer());
            let _ = js_sys::Reflect::set(&out, &JsValue::from_str("table"), &arr);
        }
        let _ = reply_scope.post_message_with_transfer(&out, &transfer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Tell the page the worker listens now; it answers with the session clock.
    let _ = scope.post_message(&JsValue::from_str("loaded"));
}

/// What the page receives from the worker.
pub enum Event {
    Ready,
    Reply(Box<Reply>, Option<Table>),
    /// The worker died (a panic or an out-of-memory); the message says what was seen.
    Crashed(String),
}

struct HostInner {
    worker: Option<Worker>,
    /// The worker reported a crash; its later error event is the same crash.
    crashed: bool,
    clock: i64,
    /// `query` or `lang` (the language worker, `web::lang`): named in the worker's URL so
    /// that the two can be told apart in the browser's tools; both run the same module.
    role: &'static str,
    on_event: Rc<dyn Fn(Event)>,
    _closures: Vec<Closure<dyn FnMut(JsValue)>>,
}

/// The page side: owns the worker, restarts it on demand. Whether the worker is ready is
/// not kept here: the page's state (`app::state`) holds requests until the `Ready` event.
#[derive(Clone)]
pub struct EngineHost(Rc<RefCell<HostInner>>);

impl PartialEq for EngineHost {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

thread_local! {
    /// The page's live query workers, so that a panic in the page can stop them.
    static LIVE: RefCell<Vec<Worker>> = const { RefCell::new(Vec::new()) };
    /// The engine's compiled `WebAssembly.Module`, once the first worker has sent it.
    static ENGINE_MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Terminates every query worker of the page: after a panic the page's module is dead, so a
/// worker would only go on computing, and its replies would call into the dead module.
pub fn terminate_all() {
    LIVE.with(|live| {
        if let Ok(mut live) = live.try_borrow_mut() {
            for w in live.drain(..) {
                stop_worker(&w);
            }
        }
    });
}

/// Terminates a worker and first removes its handlers. A message or error event already
/// queued on the page's side is still dispatched after `terminate()`; with the handlers gone
/// it reaches nothing, instead of a closure that was dropped with the old worker (on a
/// restart) or that belongs to a dead module (after a panic): both throw "closure invoked
/// recursively or after being dropped".
fn stop_worker(w: &Worker) {
    w.set_onmessage(None);
    w.set_onerror(None);
    w.terminate();
}

/// The worker script's URL: `worker.js` with the engine module's hashed glue and wasm names
/// (`boot.js` records the build's names in `globalThis.__kqlab_assets`; the engine's is
/// `engine-<hash>`, giving `engine-<hash>.js` and `engine-<hash>_bg.wasm`), `module=1`: the
/// page's first message is the compiled module or `{}` ([`hand_over_module`]), and `keep=1`:
/// a worker that had to compile the module sends it back (`{compiled}`) for the next one.
fn worker_url(role: &str) -> Result<String, String> {
    let assets =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__kqlab_assets")).map_err(|_| "the start script did not record the app's files")?;
    let get = |k: &str| {
        js_sys::Reflect::get(&assets, &JsValue::from_str(k)).ok().and_then(|v| v.as_string()).ok_or_else(|| format!("the start script did not record '{k}'"))
    };
    let base = get("base")?;
    let engine = get("engine")?;
    Ok(format!("{base}worker.js?js={engine}.js&wasm={engine}_bg.wasm&module=1&keep=1&role={role}"))
}

/// Sends the worker its first message: the engine's compiled `WebAssembly.Module`
/// (`{module}`), so that `worker.js` instantiates it instead of downloading and compiling the
/// wasm file. The module is the one an earlier worker sent back, else the one `boot.js`
/// started compiling at boot (`globalThis.__kqlab_engine`, a promise: the message goes once
/// it is compiled). Without either, or when boot's compile failed, the message is `{}` and the
/// worker loads the file named in its URL (and reports why if that fails too).
fn hand_over_module(worker: &Worker) {
    let send = |worker: &Worker, module: Option<JsValue>| {
        let first = js_sys::Object::new();
        if let Some(module) = module {
            let _ = js_sys::Reflect::set(&first, &JsValue::from_str("module"), &module);
        }
        if worker.post_message(&first).is_err() {
            let _ = worker.post_message(&js_sys::Object::new());
        }
    };
    if let Some(module) = ENGINE_MODULE.with(|m| m.borrow().clone()) {
        send(worker, Some(module));
        return;
    }
    let boot = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__kqlab_engine")).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let Some(boot) = boot else {
        send(worker, None);
        return;
    };
    let worker = worker.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let module = wasm_bindgen_futures::JsFuture::from(boot).await.ok().filter(|m| m.is_instance_of::<js_sys::WebAssembly::Module>());
        if let Some(m) = &module {
            ENGINE_MODULE.with(|slot| *slot.borrow_mut() = Some(m.clone()));
        }
        // A worker stopped meanwhile (Stop before the engine arrived) ignores the message.
        send(&worker, module);
    });
}

impl EngineHost {
    /// The query worker.
    pub fn new(clock: i64, on_event: impl Fn(Event) + 'static) -> EngineHost {
        EngineHost::with_role(clock, "query", on_event)
    }

    /// A worker of the engine module in another `role` (the language worker: `lang`).
    pub fn with_role(clock: i64, role: &'static str, on_event: impl Fn(Event) + 'static) -> EngineHost {
        let host =
            EngineHost(Rc::new(RefCell::new(HostInner { worker: None, crashed: false, clock, role, on_event: Rc::new(on_event), _closures: Vec::new() })));
        host.start();
        host
    }

    fn start(&self) {
        let (on_event, role) = {
            let inner = self.0.borrow();
            (inner.on_event.clone(), inner.role)
        };
        let url = match worker_url(role) {
            Ok(u) => u,
            Err(e) => {
                on_event(Event::Crashed(e));
                return;
            }
        };
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options(&url, &opts) {
            Ok(w) => w,
            Err(e) => {
                on_event(Event::Crashed(format!("the {role} worker could not start ({e:?})")));
                return;
            }
        };
        let ev = on_event.clone();
        let weak = Rc::downgrade(&self.0);
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let Ok(e) = e.dyn_into::<MessageEvent>() else { return };
            let data = e.data();
            match data.as_string().as_deref() {
                Some("loaded") => {
                    if let Some(h) = weak.upgrade() {
                        let inner = h.borrow();
                        let init = js_sys::Object::new();
                        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("clock"), &JsValue::from_f64(inner.clock as f64));
                        if let Some(w) = &inner.worker {
                            let _ = w.post_message(&init);
                        }
                    }
                    return;
                }
                Some("ready") => {
                    ev(Event::Ready);
                    return;
                }
                _ => {}
            }
            // The first worker compiled the engine module: keep it for the next worker.
            if let Ok(module) = js_sys::Reflect::get(&data, &JsValue::from_str("compiled")) {
                if module.is_instance_of::<js_sys::WebAssembly::Module>() {
                    ENGINE_MODULE.with(|m| *m.borrow_mut() = Some(module));
                    return;
                }
            }
            if let Some(panic) = js_sys::Reflect::get(&data, &JsValue::from_str("panic")).ok().and_then(|p| p.as_string()) {
                if let Some(h) = weak.upgrade() {
                    h.borrow_mut().crashed = true;
                }
                ev(Event::Crashed(format!("internal error: {panic}")));
                return;
            }
            let reply = js_sys::Reflect::get(&data, &JsValue::from_str("reply")).ok().and_then(|r| serde_wasm_bindgen::from_value::<Reply>(r).ok());
            let table = js_sys::Reflect::get(&data, &JsValue::from_str("table"))
                .ok()
                .filter(|t| !t.is_undefined())
                .map(|t| js_sys::Uint8Array::new(&t).to_vec())
                .map(|bytes| decode_table(&bytes));
            match (reply, table) {
                (Some(r), None) => ev(Event::Reply(Box::new(r), None)),
                (Some(r), Some(Ok(t))) => ev(Event::Reply(Box::new(r), Some(t))),
                (Some(_), Some(Err(e))) => ev(Event::Crashed(format!("the result could not be read: {e}"))),
                (None, _) => ev(Event::Crashed("the query worker sent a message kqlab does not understand".into())),
            }
        });
        let ev = on_event.clone();
        let weak = Rc::downgrade(&self.0);
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            if let Some(h) = weak.upgrade() {
                if std::mem::replace(&mut h.borrow_mut().crashed, true) {
                    return;
                }
            }
            let msg = e.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).filter(|m| !m.is_empty()).unwrap_or_else(|| "it stopped unexpectedly".into());
            ev(Event::Crashed(msg));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        hand_over_module(&worker);
        LIVE.with(|live| live.borrow_mut().push(worker.clone()));
        let mut inner = self.0.borrow_mut();
        inner.worker = Some(worker);
        inner.crashed = false;
        inner._closures = vec![on_message, on_error];
    }

    /// Sends a request to the worker. Call it only after the worker's `Ready` event (since
    /// the last restart): the page's state keeps what waits until then.
    pub fn send(&self, req: &Request) {
        let Ok(v) = serde_wasm_bindgen::to_value(req) else { return };
        if let Some(w) = &self.0.borrow().worker {
            let _ = w.post_message(&v);
        }
    }

    /// Terminates the worker (stopping whatever it runs) and starts a fresh one.
    pub fn restart(&self) {
        {
            let mut inner = self.0.borrow_mut();
            if let Some(w) = inner.worker.take() {
                stop_worker(&w);
                LIVE.with(|live| live.borrow_mut().retain(|x| x != &w));
            }
        }
        self.start();
    }
}
