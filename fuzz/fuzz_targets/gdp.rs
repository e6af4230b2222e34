//! The GDP readers (Maddison Project, SDP GDP) on arbitrary text; the first byte picks one.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use powerbalance_core::gdp::{parse_maddison, parse_sdp_gdp};

fuzz_target!(|data: &[u8]| {
    common::parse_text_with_one_of(
        data,
        &[|t, p| parse_maddison(t, p).map(|_| ()), |t, p| parse_sdp_gdp(t, p).map(|_| ())],
    );
});
