//! Application logic of the web playground that needs no browser: completion, the lesson
//! session (catalogs, expected answers, checking), saved progress, share links, and the page's
//! state with every change to it (`state`). The Yew
//! components in `web` call into this; everything here is tested natively.

pub mod complete;
pub mod instructor;
pub mod progress;
pub mod session;
pub mod share;
pub mod state;
pub mod wire;
pub mod worker;
