//! Differential: a new-format register read by the csv reader and by the plain splitter in 1-8
//! parts read in parallel must give the same entries, deals, report and actors, or the same
//! error. The first byte picks the number of parts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerbalance_core::sipri;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else { return };
    let pieces = 1 + usize::from(sel % 8);
    if let Some((csv, plain)) = sipri::register_split_outcomes(bytes, pieces) {
        assert_eq!(csv, plain, "{pieces} parts");
    }
});
