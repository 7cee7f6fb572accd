//! Application logic of the web playground that needs no browser: completion, the lesson
//! session (catalogs, expected answers, checking), saved progress and share links. The Yew
//! components in `web` call into this; everything here is tested natively.

pub mod complete;
pub mod progress;
pub mod session;
pub mod share;
pub mod wire;
pub mod worker;
