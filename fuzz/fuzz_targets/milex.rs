//! The military-expenditure reader (`parse_milex`) on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerbalance_core::milex::parse_milex;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = parse_milex(&text, Path::new("fuzz.csv")) {
        let _ = e.to_string();
    }
});
