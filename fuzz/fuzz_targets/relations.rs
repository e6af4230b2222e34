//! The relations readers (alliances, UN ideal points) on arbitrary text; the first byte picks one.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use powerbalance_core::relations::{parse_alliances, parse_ideal_points};

fuzz_target!(|data: &[u8]| {
    common::parse_text_with_one_of(
        data,
        &[|t, p| parse_alliances(t, p).map(|_| ()), |t, p| parse_ideal_points(t, p).map(|_| ())],
    );
});
