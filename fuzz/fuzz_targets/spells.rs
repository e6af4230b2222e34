//! The COW state-system and major-power readers (`parse_spells`) on arbitrary text; the first
//! byte picks the kind.
#![no_main]
mod common;

use libfuzzer_sys::fuzz_target;
use powerbalance_core::capabilities::{parse_spells, SpellKind};

fuzz_target!(|data: &[u8]| {
    common::parse_text_with_one_of(
        data,
        &[
            |t, p| parse_spells(t, p, SpellKind::States).map(|_| ()),
            |t, p| parse_spells(t, p, SpellKind::Majors).map(|_| ()),
        ],
    );
});
