//! Arbitrary text → stored progress (`Progress::from_json`) and share links
//! (`ShareState::from_fragment`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kqlab_fuzz::harness::app_state(&String::from_utf8_lossy(data));
});
