//! The COW NMC reader (`parse_nmc`) on arbitrary text.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use powerbalance_core::capabilities::parse_nmc;

fuzz_target!(|data: &[u8]| common::parse_text(data, |t, p| parse_nmc(t, p).map(|_| ())));
