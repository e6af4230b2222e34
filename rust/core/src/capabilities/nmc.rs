//! Reader for the Correlates of War National Material Capabilities (NMC) abridged files.

use super::{Capabilities, NmcLayout};
use crate::error::Result;
use crate::input::sheet::{Row, RowKeys, Sheet};
use std::path::Path;

const COMPONENTS: [&str; 6] = ["milex", "milper", "irst", "pec", "tpop", "upop"];

/// Read a COW NMC abridged CSV (v6 `NMC-60-abridged.csv`, v7 `NMC-70-abridged.csv`, or the
/// v7 conversion without the `version` column), the layout detected from the header.
///
/// Years must lie in 1600-2100 and ccodes in 1-999 ([`crate::input`]); missing values: `-9` (COW's code) and empty fields are both read as missing in either layout.
/// Values are kept in the source's units: `milex` is thousands of current British pounds for
/// 1816-1913 and thousands of current US dollars from 1914, so it is not comparable across 1913/1914
/// (nor, being nominal, across years at all without deflating).
pub fn read_nmc(path: &Path) -> Result<Capabilities> {
    crate::input::read_with(path, parse_nmc)
}

/// As [`read_nmc`], for text held in memory (`path` names it in errors).
pub fn parse_nmc(text: &str, path: &Path) -> Result<Capabilities> {
    let sheet = Sheet::parse(text, path, "a COW NMC abridged file")?;
    let header = &sheet.header;
    let fmt = |message: String| sheet.format_error(message);
    let known = ["stateabb", "ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc", "version"];
    if let Some(bad) = header.names.iter().find(|n| !known.contains(&n.as_str())) {
        return Err(fmt(format!(
            "not a COW NMC abridged file: unexpected column {bad:?} (expected stateabb, ccode, year, milex, milper, irst, pec, tpop, upop, cinc[, version])"
        )));
    }
    let c_ccode = sheet.need("ccode")?;
    let c_year = sheet.need("year")?;
    let c_comp: Vec<usize> = COMPONENTS.iter().map(|c| sheet.need(c)).collect::<Result<_>>()?;
    let c_cinc = sheet.need("cinc")?;
    let c_abb = header.find("stateabb");
    let c_version = header.find("version");
    let layout = if c_version.is_some() { NmcLayout::CowAbridged } else { NmcLayout::Unversioned };

    let n = sheet.len();
    let mut caps = Capabilities::empty(layout);
    caps.reserve(n);
    let mut version_value: Option<String> = None;
    let mut keys = RowKeys::with_capacity(n);
    for row in sheet.data() {
        let row = row?;
        let (ccode, year) = row.state_year(c_ccode, c_year, &mut keys)?;
        let abb = row.text_opt(c_abb)?;
        let mut vals = [None; 6];
        for (k, &c) in c_comp.iter().enumerate() {
            vals[k] = value(&row, c)?;
        }
        let cinc = value(&row, c_cinc)?;
        if let Some(c) = c_version {
            let v = row.text(c)?;
            match &version_value {
                None => version_value = Some(v),
                Some(first) if *first != v => {
                    return Err(row.err(c, format!("version {v:?} differs from the file's first row ({first:?})")))
                }
                _ => {}
            }
        }
        caps.push_row(abb, ccode, year, vals, cinc);
    }
    if caps.is_empty() {
        return Err(fmt("the file has a header but no data rows".into()));
    }
    caps.version_column = version_value;
    caps.release = release(caps.version_column.as_deref(), caps.last_year());
    caps.reindex();
    Ok(caps)
}

/// The NMC release a file is: from its `version` column (`2021` is NMC 6.0, `2025` NMC 7.0), or,
/// without one, from its last year (2016: 6.0, 2022: 7.0).
fn release(version_column: Option<&str>, last_year: i32) -> String {
    match (version_column, last_year) {
        (Some("2021"), _) => "6.0".into(),
        (Some("2025"), _) => "7.0".into(),
        (Some(v), _) => format!("unknown (version column {v})"),
        (None, 2016) => "6.0".into(),
        (None, 2022) => "7.0".into(),
        (None, y) => format!("unknown (last year {y})"),
    }
}

/// A component or CINC cell: empty and `-9` are missing; anything else must be a finite,
/// non-negative number (plain or exponent notation).
fn value(row: &Row<'_>, col: usize) -> Result<Option<f64>> {
    let s = row.cell(col)?;
    if s.is_empty() || s == "-9" || s == "-9.0" || s.eq_ignore_ascii_case("NA") {
        return Ok(None);
    }
    let v: f64 = s.parse().map_err(|_| row.err(col, format!("{s:?} is not a number")))?;
    if !v.is_finite() || v < 0.0 {
        return Err(row.err(
            col,
            format!("{s:?} is not a valid value: expected a non-negative number, or -9 or an empty field for missing"),
        ));
    }
    Ok(Some(v))
}
