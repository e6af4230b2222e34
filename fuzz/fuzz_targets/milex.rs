//! The military-expenditure reader (`parse_milex`) on arbitrary text.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use powerbalance_core::milex::parse_milex;

fuzz_target!(|data: &[u8]| common::parse_text(data, |t, p| parse_milex(t, p).map(|_| ())));
