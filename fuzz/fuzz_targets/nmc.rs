//! The COW NMC reader (`parse_nmc`) on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerbalance_core::capabilities::parse_nmc;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = parse_nmc(&text, Path::new("fuzz.csv")) {
        let _ = e.to_string();
    }
});
