//! `ScriptEngine::eval` on arbitrary strings, with tight limits and a small ledger in scope
//! (`l`), so that the domain functions are reachable with arbitrary arguments. No data folder
//! is allowed, so `read_sipri` must refuse every path. Seeds for the exhaustion classes of
//! issue 11 (curried arguments, map keys, the print buffer, deep nesting, huge host-call
//! arguments, a long actor name, `dataset`) are in `seeds/script/`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerbalance_core::{sipri, ActorRegistry};
use powerbalance_script::{rhai::Dynamic, DatasetEntry, LedgerRef, Limits, ScriptEngine, DATASET_KINDS};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

static LEDGER: OnceLock<LedgerRef> = OnceLock::new();

fn ledger() -> LedgerRef {
    LEDGER
        .get_or_init(|| {
            let bytes = include_bytes!("../../tests/hostile/register_ok_small.csv");
            let l = sipri::read_sipri_bytes(bytes, Path::new("small.csv"), ActorRegistry::builtin().clone())
                .expect("seed ledger");
            LedgerRef(Arc::new(l))
        })
        .clone()
}

fuzz_target!(|data: &[u8]| {
    let Ok(script) = std::str::from_utf8(data) else { return };
    let limits = Limits {
        max_operations: 20_000,
        max_call_levels: 16,
        max_expr_depth: 32,
        max_function_expr_depth: 16,
        max_string_size: 10_000,
        max_array_size: 10_000,
        max_map_size: 1_000,
        max_wall_time: Duration::from_millis(200),
        max_source_size: 64 << 10,
        max_output_size: 64 << 10,
        max_memory: 256 << 20,
    };
    let mut e = ScriptEngine::new(limits, vec![]);
    e.set("l", Dynamic::from(ledger()));
    // dataset(name) reachable: every kind registered, at paths that do not exist
    let _ = e.set_datasets(DATASET_KINDS.iter().map(|k| {
        (
            format!("d-{k}"),
            DatasetEntry { kind: k.to_string(), path: Path::new("/nonexistent-powerbalance-fuzz").join(k) },
        )
    }));
    let _ = e.eval(script);
});
