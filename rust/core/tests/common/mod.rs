//! Helpers shared by the integration tests of the core (each `tests/*.rs` is a crate of its own
//! and takes this module with `mod common;`): the data home of the tests that need the real
//! data, and the pieces of the synthetic SIPRI registers the other tests write.
#![allow(dead_code)] // each test crate uses a part of it

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `$POWERBALANCE_DATA/sub`, which must exist: the tests that take it need the real data and fail
/// without it, with a message that says how to get it; they never pass silently.
pub fn data(sub: &str) -> PathBuf {
    const HOW: &str = "set POWERBALANCE_DATA to the data home, the folder holding sipri/, cow_nmc/, cow_states/, sipri_milex/, alliances/, un_ideal_points/ and gdp/ (`powerbalance data home` prints it, `powerbalance data fetch --all` fills it; scripts/test.sh sets POWERBALANCE_DATA)";
    let Some(root) = std::env::var_os("POWERBALANCE_DATA") else {
        panic!("POWERBALANCE_DATA is not set: {HOW}");
    };
    let p = PathBuf::from(root).join(sub);
    assert!(p.exists(), "{} does not exist: {HOW}", p.display());
    p
}

/// A SIPRI-like preamble of 11 lines (our own wording, SIPRI's structure), each ending in `\n`:
/// `tests/fixtures/sipri_preamble.txt`, which the Python tests use too.
pub const PREAMBLE: &str = include_str!("../../../../tests/fixtures/sipri_preamble.txt");

/// The header of SIPRI's new-format trade register (17 columns).
pub const HEADER: &str = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production";

/// A register's text: the preamble (lines 1-11), `header` (line 12), then `rows` from line 13,
/// every line ended by `eol`.
pub fn register_text(header: &str, rows: &[impl AsRef<str>], eol: &str) -> String {
    let mut s = String::new();
    for l in PREAMBLE.lines().chain([header]).chain(rows.iter().map(AsRef::as_ref)) {
        s.push_str(l);
        s.push_str(eol);
    }
    s
}

/// A fresh folder under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "powerbalance-core-tests-{}-{}-{tag}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    /// Write `bytes` as the file `name` of the folder; its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
