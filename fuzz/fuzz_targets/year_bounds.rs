//! Year bounds (issue 11): every non-SIPRI reader, on a valid file whose year cell is the fuzz
//! input (as text). The first byte picks the reader. Property: the file reads exactly when the
//! cell is a whole number inside the reader's documented range (`input::STATE_YEARS`, Maddison
//! `input::MADDISON_YEARS`); otherwise the error is a `Parse` error at line 3, column of the year.
#![no_main]
mod common;

use common::Parse;
use libfuzzer_sys::fuzz_target;
use powerbalance_core::capabilities::{parse_nmc, parse_spells, SpellKind};
use powerbalance_core::gdp::{parse_maddison, parse_sdp_gdp};
use powerbalance_core::milex::parse_milex;
use powerbalance_core::relations::{parse_alliances, parse_ideal_points};
use powerbalance_core::{input, Error};
use std::path::Path;

const CASES: [(&str, usize, Parse); 7] = [
    (
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nUSA,2,1900,1,1,1,1,1,1,0.2\nUKG,200,{Y},1,1,1,1,1,1,0.2\n",
        3,
        |t, p| parse_nmc(t, p).map(|_| ()),
    ),
    (
        "stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday\nUSA,2,1600,1,1,2016,12,31\nUKG,200,1600,1,1,{Y},12,31\n",
        6,
        |t, p| parse_spells(t, p, SpellKind::Majors).map(|_| ()),
    ),
    (
        "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,1950,1,0,1,1\n2,200,{Y},1,0,0,0\n",
        3,
        |t, p| parse_alliances(t, p).map(|_| ()),
    ),
    (
        "ccode,year,idealpointfp\n2,1950,1.5\n20,{Y},1.5\n",
        2,
        |t, p| parse_ideal_points(t, p).map(|_| ()),
    ),
    (
        "country,ccode,year,milex_const2023_usd_m,const_flag,milex_current_usd_m,current_flag,milex_share_gdp,share_gdp_flag\nFrance,220,1990,1,R,1,R,0.03,R\nItaly,325,{Y},1,R,1,R,0.03,R\n",
        3,
        |t, p| parse_milex(t, p).map(|_| ()),
    ),
    (
        "ccode,year,wbgdp2011est,wbpopest,sdpest,wbgdppc2011est\n2,1900,22.9,15.4,22.0,7.5\n20,{Y},22.9,15.4,22.0,7.5\n",
        2,
        |t, p| parse_sdp_gdp(t, p).map(|_| ()),
    ),
    (
        "iso3c,country,region,year,gdppc,pop\nFRA,France,Europe,1900,5000,40000\nITA,Italy,Europe,{Y},5000,40000\n",
        4,
        |t, p| parse_maddison(t, p).map(|_| ()),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else { return };
    let Ok(cell) = std::str::from_utf8(bytes) else { return };
    // One CSV cell: no separator, quote or line break (those change the file, not the year).
    if cell.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        return;
    }
    let (template, col, parse) = CASES[usize::from(sel) % CASES.len()];
    let text = template.replace("{Y}", cell);
    let range = if col == 4 && template.starts_with("iso3c") { input::MADDISON_YEARS } else { input::STATE_YEARS };
    let in_range = cell.trim().parse::<i32>().ok().filter(|y| range.contains(y));
    match (parse(&text, Path::new("fuzz.csv")), in_range) {
        (Ok(()), Some(_)) => {}
        (Ok(()), None) => panic!("year {cell:?} outside {range:?} was read"),
        (Err(Error::Parse { line, column, .. }), _) => {
            assert_eq!((line, column), (3, col), "year {cell:?}");
        }
        // A year in range can still make a spell end before it starts, or repeat a key: a Parse
        // error too (above); anything else is wrong.
        (Err(e), _) => panic!("year {cell:?}: {e:?}"),
    }
});
