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

const REGISTER: &str = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production\n";

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
    match sel % 4 {
        0 => {
            // The long line first: detection stops at 64 KiB.
            let mut b = long.clone();
            b.push(b'\n');
            b.extend_from_slice(REGISTER.as_bytes());
            match sipri::read_sipri_bytes(&b, p, ActorRegistry::builtin().clone()) {
                Err(Error::Format { line: 1, .. }) | Err(Error::Encoding { .. }) | Err(Error::Empty { .. }) => {}
                other => panic!("{:?}", other.map(|l| l.len())),
            }
        }
        1 => {
            // After a register header.
            let mut b = REGISTER.as_bytes().to_vec();
            b.extend_from_slice(&long);
            b.push(b'\n');
            match sipri::read_sipri_bytes(&b, p, ActorRegistry::builtin().clone()) {
                Err(Error::Format { line: 2, .. }) | Err(Error::Encoding { .. }) => {}
                other => panic!("{:?}", other.map(|l| l.len())),
            }
        }
        2 => {
            let text = format!(
                "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n{}\n",
                String::from_utf8_lossy(&long)
            );
            match parse_nmc(&text, p) {
                Err(Error::Format { line: 2, .. }) => {}
                other => panic!("{:?}", other.map(|c| c.len())),
            }
        }
        _ => {
            let text = format!(
                "{}\nccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n",
                String::from_utf8_lossy(&long)
            );
            match parse_alliances(&text, p) {
                Err(Error::Format { line: 1, .. }) => {}
                other => panic!("{:?}", other.map(|a| a.len())),
            }
        }
    }
});
