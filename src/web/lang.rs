//! The language worker: a second worker running the same engine module as the query worker
//! (the page hands both the one `WebAssembly.Module` boot.js compiled, so nothing is
//! downloaded or compiled twice). It holds only the schemas of the tables queries run against
//! (`Request::Schema`), never a table, and answers the editor's questions while the learner
//! types: live errors, completion and Format ([`crate::app::worker::LangAsk`]). The page's own
//! module therefore carries no parser (beyond the lexer that colours the text) and no binder.
//!
//! Its queue never waits behind a long query or a table being generated (those run in the
//! query worker), and Stop, which terminates the query worker, leaves it alone.
//!
//! Every question gets a sequence number; an answer is delivered only if no newer question of
//! the same kind was asked since (an older one is stale and dropped). Questions asked before
//! the worker is ready wait for it (only the newest of each kind); until then the editor shows
//! no live errors and no completion.

use super::worker::{EngineHost, Event};
use crate::app::worker::{LangAnswer, LangAsk, Reply, Request, TableInfo};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// What a question is about: a newer question of the same kind makes an older one stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Check,
    Complete,
    Format,
}

fn kind(ask: &LangAsk) -> Kind {
    match ask {
        LangAsk::Check { .. } => Kind::Check,
        LangAsk::Complete { .. } => Kind::Complete,
        LangAsk::Format { .. } => Kind::Format,
    }
}

type Answered = Box<dyn FnOnce(LangAnswer)>;

struct Inner {
    host: Option<EngineHost>,
    ready: bool,
    /// The schemas sent (or to send once ready); compared by identity.
    schema: Option<Rc<Vec<TableInfo>>>,
    next_seq: u64,
    /// The newest question of each kind: (its seq, the question while it waits for `ready`).
    latest: HashMap<Kind, (u64, Option<LangAsk>)>,
    waiting: HashMap<u64, Answered>,
}

/// The page's handle on the language worker. Cloning shares it.
#[derive(Clone)]
pub struct LangHost(Rc<RefCell<Inner>>);

impl PartialEq for LangHost {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl LangHost {
    /// Starts the worker. `clock` is the session clock (`ago()`, `now()` in live checks).
    pub fn new(clock: i64) -> LangHost {
        let lang =
            LangHost(Rc::new(RefCell::new(Inner { host: None, ready: false, schema: None, next_seq: 0, latest: HashMap::new(), waiting: HashMap::new() })));
        let weak = Rc::downgrade(&lang.0);
        let host = EngineHost::with_role(clock, "lang", move |ev| {
            if let Some(inner) = weak.upgrade() {
                LangHost(inner).on_event(ev);
            }
        });
        lang.0.borrow_mut().host = Some(host);
        lang
    }

    fn on_event(&self, ev: Event) {
        match ev {
            Event::Ready => {
                let (host, schema, asks) = {
                    let mut inner = self.0.borrow_mut();
                    inner.ready = true;
                    let mut asks: Vec<(u64, LangAsk)> = inner.latest.values_mut().filter_map(|(seq, ask)| ask.take().map(|a| (*seq, a))).collect();
                    asks.sort_by_key(|(seq, _)| *seq);
                    (inner.host.clone(), inner.schema.clone(), asks)
                };
                let Some(host) = host else { return };
                if let Some(tables) = schema {
                    host.send(&Request::Schema { tables: (*tables).clone() });
                }
                for (seq, ask) in asks {
                    host.send(&Request::Lang { seq, ask });
                }
            }
            Event::Reply(reply, _) => {
                let Reply::Lang { seq, answer } = *reply else { return };
                let done = {
                    let mut inner = self.0.borrow_mut();
                    let done = inner.waiting.remove(&seq);
                    let newest = inner.latest.values().any(|(s, _)| *s == seq);
                    done.filter(|_| newest)
                };
                // Called with nothing borrowed: the callback may ask again at once.
                if let Some(done) = done {
                    done(answer);
                }
            }
            Event::Crashed(msg) => {
                web_sys::console::error_1(&wasm_bindgen::JsValue::from_str(&format!("kqlab: the language worker stopped ({msg}); starting it again")));
                let host = {
                    let mut inner = self.0.borrow_mut();
                    inner.ready = false;
                    // Questions in flight are lost with the worker; the editor asks again as
                    // the learner types.
                    inner.waiting.clear();
                    inner.latest.clear();
                    inner.host.clone()
                };
                if let Some(h) = host {
                    gloo::timers::callback::Timeout::new(0, move || h.restart()).forget();
                }
            }
        }
    }

    /// The tables queries run against now. Sent at once when ready, else once it is.
    pub fn set_schema(&self, tables: Rc<Vec<TableInfo>>) {
        let host = {
            let mut inner = self.0.borrow_mut();
            if inner.schema.as_ref().is_some_and(|s| Rc::ptr_eq(s, &tables)) {
                return;
            }
            inner.schema = Some(tables.clone());
            inner.ready.then(|| inner.host.clone()).flatten()
        };
        if let Some(h) = host {
            h.send(&Request::Schema { tables: (*tables).clone() });
        }
    }

    /// Asks a question; `done` gets the answer unless a newer question of the same kind was
    /// asked meanwhile.
    pub fn ask(&self, ask: LangAsk, done: impl FnOnce(LangAnswer) + 'static) {
        let (host, seq, ask) = {
            let mut inner = self.0.borrow_mut();
            inner.next_seq += 1;
            let seq = inner.next_seq;
            let k = kind(&ask);
            // The older question of this kind is stale: its answer will be dropped.
            if let Some((old, _)) = inner.latest.get(&k).cloned() {
                inner.waiting.remove(&old);
            }
            inner.waiting.insert(seq, Box::new(done));
            if inner.ready {
                inner.latest.insert(k, (seq, None));
                (inner.host.clone(), seq, Some(ask))
            } else {
                inner.latest.insert(k, (seq, Some(ask)));
                (None, seq, None)
            }
        };
        if let (Some(h), Some(ask)) = (host, ask) {
            h.send(&Request::Lang { seq, ask });
        }
    }
}
