//! The GDP readers (Maddison Project, SDP GDP) on arbitrary text; the first byte picks one.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerbalance_core::gdp::{parse_maddison, parse_sdp_gdp};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(bytes);
    let p = Path::new("fuzz.csv");
    let r = if sel & 1 == 0 { parse_maddison(&text, p).map(|_| ()) } else { parse_sdp_gdp(&text, p).map(|_| ()) };
    if let Err(e) = r {
        let _ = e.to_string();
    }
});
