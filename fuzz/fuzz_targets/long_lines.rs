//! Long lines (issue 11): the fuzz input, repeated until it passes 64 KiB, as the first line of a
//! SIPRI file (detection), and as a data line after a valid header (every reader). The first byte
//! picks where the long line goes and which reader runs. Property: no panic, and a line longer
//! than 64 KiB (without a line break) is a `Format` error at its line, whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerbalance_core::capabilities::parse_nmc;
use powerbalance_core::relations::parse_alliances;
use powerbalance_core::{input, sipri, ActorRegistry, Error};
use std::path::Path;

const NMC: &str = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc";
const ALLIANCES: &str = "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente";
const REGISTER: &str = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production\n";

/// A SIPRI file of `bytes`, read: its number of entries.
fn read_sipri(bytes: &[u8]) -> Result<usize, Error> {
    sipri::read_sipri_bytes(bytes, Path::new("fuzz.csv"), ActorRegistry::builtin().clone()).map(|l| l.len())
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, unit)) = data.split_first() else { return };
    if unit.is_empty() {
        return;
    }
    let mut long: Vec<u8> = unit.iter().copied().filter(|&b| b != b'\n' && b != b'\r').collect();
    if long.is_empty() {
        return;
    }
    while long.len() <= input::MAX_LINE_BYTES {
        long.extend_from_within(..long.len().min(input::MAX_LINE_BYTES));
    }
    let p = Path::new("fuzz.csv");
    let case = sel % 4;
    // Each case: the read (its length when it reads) and the line of the long line.
    let (read, line) = match case {
        // The long line first: detection stops at 64 KiB.
        0 => (read_sipri(&[long.as_slice(), b"\n", REGISTER.as_bytes()].concat()), 1),
        // After a register header.
        1 => (read_sipri(&[REGISTER.as_bytes(), &long, b"\n"].concat()), 2),
        2 => (parse_nmc(&format!("{NMC}\n{}\n", String::from_utf8_lossy(&long)), p).map(|c| c.len()), 2),
        _ => (parse_alliances(&format!("{}\n{ALLIANCES}\n", String::from_utf8_lossy(&long)), p).map(|a| a.len()), 1),
    };
    match (case, read) {
        (_, Err(Error::Format { line: at, .. })) if at == line => {}
        // Also taken from the SIPRI reader, which decodes the whole file first: an Encoding
        // error, and with the long line first, an Empty one.
        (0 | 1, Err(Error::Encoding { .. })) | (0, Err(Error::Empty { .. })) => {}
        (_, other) => panic!("{other:?}"),
    }
});
