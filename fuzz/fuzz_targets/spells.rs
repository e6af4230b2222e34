//! The COW state-system and major-power readers (`parse_spells`) on arbitrary text; the first
//! byte picks the kind.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerbalance_core::capabilities::{parse_spells, SpellKind};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else { return };
    let kind = if sel & 1 == 0 { SpellKind::States } else { SpellKind::Majors };
    let text = String::from_utf8_lossy(bytes);
    if let Err(e) = parse_spells(&text, Path::new("fuzz.csv"), kind) {
        let _ = e.to_string();
    }
});
