//! Every SIPRI layout through `read_sipri_bytes` (and `detect_bytes`). The first byte picks the
//! file name the reader sees, since a totals table without preamble takes its direction from it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerbalance_core::{sipri, ActorRegistry};
use std::path::Path;

const NAMES: [&str; 4] = ["fuzz.csv", "TIV-Export-All.csv", "TIV-Import-All.csv", "export-values.csv"];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else { return };
    let name = Path::new(NAMES[usize::from(sel) % NAMES.len()]);
    let detected = sipri::detect_bytes(bytes, name);
    match sipri::read_sipri_bytes(bytes, name, ActorRegistry::builtin().clone()) {
        Ok(l) => {
            // A read ledger is consistent: columns of one length, every row accounted for,
            // finite non-negative TIV, deals in range, and the layout detect() reported.
            assert!(detected.is_ok());
            let n = l.len();
            assert!(l.supplier.len() == n && l.recipient.len() == n && l.year.len() == n && l.deal.len() == n);
            assert!(l.tiv.iter().all(|t| t.is_finite() && *t >= 0.0));
            assert!(l.deal.iter().all(|&d| d == powerbalance_core::ledger::NO_DEAL || (d as usize) < l.deals.len()));
            // Deals built on first use: as many as counted, texts as read.
            assert_eq!(l.deals.as_slice().len(), l.deals.len());
            let reg_len = l.registry.len();
            assert!(l.supplier.iter().chain(&l.recipient).all(|a| a.index() < reg_len));
            for f in &l.report.files {
                assert_eq!(f.rows_read + f.skipped.len(), f.data_rows, "every data row read or skipped");
                assert_eq!(Some(f.format), detected.as_ref().ok().copied());
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
