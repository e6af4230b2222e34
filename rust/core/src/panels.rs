//! Panels: state-year and dyad-year tables built from the COW state system, joined with
//! capabilities, arms flows and alliances (as peacesciencer's `create_stateyears` and
//! `create_dyadyears`; Miller 2022, "peacesciencer: An R Package for Quantitative Peace Science
//! Research", *Conflict Management and Peace Science* 39(6)).
//!
//! # Units of observation
//!
//! A state is a system member in a year when any of its COW membership spells touches that year
//! (a state that joins on 25 October 1860 is a member in 1860), as peacesciencer counts it. A
//! dyad-year is an ordered pair of distinct members of the same year (directed: 2-20 and 20-2 are
//! two rows) or an unordered pair written with `ccode1 < ccode2` (undirected). Rows are ordered by
//! `ccode1, ccode2, year` (state-years by `ccode, year`).
//!
//! # Joins
//!
//! - Capabilities: the NMC row of the same `(ccode, year)`; a state-year without a row, or with a
//!   missing value, gets a null. `cinc_ratio = cinc1 / cinc2` (null when either is missing or
//!   `cinc2` is 0).
//! - Arms flows: SIPRI TIV (millions) delivered by ccode1 to ccode2 (`tiv_1to2`) and by ccode2
//!   to ccode1 (`tiv_2to1`) in the year, summed over deals. SIPRI actors are mapped to COW codes
//!   by [`sipri_ccode`]; deliveries from or to non-state actors, organisations, unknown parties,
//!   actors without a COW code, or states that are not system members that year have no dyad and
//!   are left out (see [`arms_flows`] for the accounting). Years the ledger covers (its coverage,
//!   fixed when it was read: see [`crate::ledger`]) have 0 where nothing was delivered; years
//!   outside it are null, not an error and not 0.
//!
//! Every panel lists in its schema metadata ([`COVERAGE_META`]) the years each source covers;
//! [`panel_coverage`] (Python: `powerbalance.panels.coverage(table)`) gives them as a table.
//! - Alliances: `alliance` is true when an alliance (any type) is in force between the two
//!   states in the year, false when the source covers the year and has none, and null outside
//!   the source's coverage. A non-directed source (COW) counts for both directions; a directed
//!   one (ATOP) is read as ccode1's obligation toward ccode2.
//!
//! The build is columnar and pre-indexed: membership, capabilities and flows are dense or sorted
//! arrays keyed by `(ccode, year)` or `(ccode1, ccode2, year)`, joined by a single merge pass in
//! the output order, with every output column allocated once at its final size.

use crate::actors::{ActorId, ActorKind, ActorRegistry};
use crate::capabilities::{Capabilities, Component, Measure, SpellKind, Spells};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::period::Period;
use crate::relations::{AllianceType, Alliances};
use crate::table::Table;
use arrow_array::builder::{BooleanBufferBuilder, BooleanBuilder, Float64Builder};
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashMap;
use std::sync::Arc;

/// A `(ccode1, ccode2, year)` key whose order is the panels' row order.
#[inline]
fn key(a: u16, b: u16, year: i32) -> u64 {
    ((a as u64) << 32) | ((b as u64) << 16) | (year as u16 as u64)
}

#[inline]
fn unkey(k: u64) -> (u16, u16, i32) {
    ((k >> 32) as u16, (k >> 16) as u16, (k & 0xffff) as i32)
}

// ---------------------------------------------------------------------------------------------
// the state system by year

/// The COW state system over a period: which states are members in which years.
#[derive(Debug, Clone)]
pub struct System {
    pub period: Period,
    /// Every ccode that is a member in some year of the period, ascending.
    pub ccodes: Vec<u16>,
    pub stateabb: Vec<String>,
    /// `member[i * years + (y - start)]`.
    member: Vec<bool>,
    /// Each state's maximal runs of member years, as half-open year offsets `[t0, t1)`.
    runs: Vec<Vec<(usize, usize)>>,
}

impl System {
    /// The members of `states` by year over `period` (default: the list's coverage, its first
    /// start year to its last end year). The period may not leave the list's coverage.
    pub fn new(states: &Spells, period: Option<Period>) -> Result<System> {
        if states.kind != SpellKind::States {
            return Err(Error::invalid(
                "panels are built from the state system membership list (states2016.csv), not the major-power list",
            ));
        }
        let cov = spells_coverage(states)?;
        let p = crate::input::guard_span("the state list", period.unwrap_or(cov))?;
        if p.start < cov.start || p.end > cov.end {
            return Err(Error::invalid(format!(
                "period {p} is outside the state list's coverage {cov}; no value is invented outside the years a dataset covers"
            )));
        }
        let mut ccodes: Vec<u16> =
            states.spells.iter().filter(|s| s.start.year <= p.end && s.end.year >= p.start).map(|s| s.ccode).collect();
        ccodes.sort_unstable();
        ccodes.dedup();
        let ny = p.len();
        let mut member = vec![false; ccodes.len() * ny];
        for s in &states.spells {
            let Ok(i) = ccodes.binary_search(&s.ccode) else { continue };
            let (a, b) = (s.start.year.max(p.start), s.end.year.min(p.end));
            for y in a..=b {
                member[i * ny + (y - p.start) as usize] = true;
            }
        }
        let stateabb = ccodes.iter().map(|&c| states.stateabb(c).unwrap_or("").to_string()).collect();
        let runs = (0..ccodes.len())
            .map(|i| {
                let m = &member[i * ny..(i + 1) * ny];
                let mut r = vec![];
                let mut t = 0;
                while t < ny {
                    if m[t] {
                        let t0 = t;
                        while t < ny && m[t] {
                            t += 1;
                        }
                        r.push((t0, t));
                    } else {
                        t += 1;
                    }
                }
                r
            })
            .collect();
        Ok(System { period: p, ccodes, stateabb, member, runs })
    }

    /// Is the `i`-th state a member in year offset `t`?
    #[inline]
    fn at(&self, i: usize, t: usize) -> bool {
        self.member[i * self.period.len() + t]
    }

    /// Is `ccode` a member in `year`?
    pub fn is_member(&self, ccode: u16, year: i32) -> bool {
        self.period.contains(year)
            && self.ccodes.binary_search(&ccode).is_ok_and(|i| self.at(i, (year - self.period.start) as usize))
    }

    /// Number of members in each year of the period.
    pub fn members_per_year(&self) -> Vec<usize> {
        let ny = self.period.len();
        let mut n = vec![0usize; ny];
        for i in 0..self.ccodes.len() {
            for (t, c) in n.iter_mut().enumerate() {
                *c += self.at(i, t) as usize;
            }
        }
        n
    }

    /// A measure as a dense `(state, year)` array, NaN where the NMC has no row or no value.
    fn dense(&self, caps: &Capabilities, m: Measure) -> Vec<f64> {
        let ny = self.period.len();
        let mut v = vec![f64::NAN; self.ccodes.len() * ny];
        let col = caps.measure(m);
        for ((&y, &c), &x) in caps.year.iter().zip(&caps.ccode).zip(col) {
            if !self.period.contains(y) {
                continue;
            }
            if let (Ok(i), Some(x)) = (self.ccodes.binary_search(&c), x) {
                v[i * ny + (y - self.period.start) as usize] = x;
            }
        }
        v
    }
}

/// The years a state list covers: its first start year to its last end year.
fn spells_coverage(states: &Spells) -> Result<Period> {
    let lo = states.spells.iter().map(|s| s.start.year).min();
    let hi = states.spells.iter().map(|s| s.end.year).max();
    match (lo, hi) {
        (Some(lo), Some(hi)) => Period::new(lo, hi),
        _ => Err(Error::invalid("the state list has no spells")),
    }
}

// ---------------------------------------------------------------------------------------------
// arms flows

/// The COW ccode a SIPRI actor stands for in a year, or `None` when it has none.
///
/// Rules: only actors of kind `state` map (SIPRI's non-state actors `*`, organisations `**` and
/// unknown suppliers or recipients do not). The registry's COW code is used, with one rule by
/// year: SIPRI's `Germany` is the Federal Republic (COW 260, a member 1955 to 2 October 1990)
/// through 1990 and unified Germany (COW 255, from 3 October 1990) from 1991; East Germany is 265.
/// The Soviet Union (through 1991) and Russia (from 1992) are distinct SIPRI actors that COW
/// codes alike (365), as it does Yugoslavia and Serbia (345); both map to that code, so the COW
/// series runs on across the break. Whether the state is a system member in the year is checked
/// by the panel, not here.
pub fn sipri_ccode(registry: &ActorRegistry, actor: ActorId, year: i32) -> Option<u16> {
    let a = registry.get(actor);
    if a.kind != ActorKind::State {
        return None;
    }
    match a.cow_code? {
        255 if year <= 1990 => Some(260),
        c => Some(c),
    }
}

/// A ledger's deliveries as COW dyad-years, sorted for the panels' merge join.
struct Flows {
    span: Option<Period>,
    /// `(key(supplier, recipient, year), tiv)`, summed, sorted by key.
    fwd: Vec<(u64, f64)>,
    /// The same flows keyed `(recipient, supplier, year)`, sorted.
    rev: Vec<(u64, f64)>,
}

impl Flows {
    fn new(l: &Ledger) -> Result<Flows> {
        l.require_dyadic("a dyad-year panel with arms flows")?;
        let reg = &l.registry;
        let mut fwd = Vec::with_capacity(l.len());
        for e in 0..l.len() {
            let y = l.year[e];
            if let (Some(s), Some(r)) = (sipri_ccode(reg, l.supplier[e], y), sipri_ccode(reg, l.recipient[e], y)) {
                if s != r {
                    fwd.push((key(s, r, y), l.tiv[e]));
                }
            }
        }
        let fwd = sum_sorted(fwd);
        let rev = sum_sorted(
            fwd.iter()
                .map(|&(k, v)| {
                    let (s, r, y) = unkey(k);
                    (key(r, s, y), v)
                })
                .collect(),
        );
        Ok(Flows { span: l.years(), fwd, rev })
    }
}

fn sum_sorted(mut v: Vec<(u64, f64)>) -> Vec<(u64, f64)> {
    v.sort_unstable_by_key(|x| x.0);
    let mut out: Vec<(u64, f64)> = Vec::with_capacity(v.len());
    for (k, x) in v {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 += x,
            _ => out.push((k, x)),
        }
    }
    out
}

/// Every delivery of a ledger accounted for against the panels: one row per SIPRI supplier,
/// recipient and year, with the COW codes they map to ([`sipri_ccode`]) and whether the
/// delivery enters a dyad-year panel over `states`.
///
/// Columns: `supplier, recipient, year, tiv, ccode1, ccode2, in_panel, reason` (`reason` is null
/// for deliveries in the panel, otherwise `supplier has no COW code` (not a state, or a state COW
/// does not list), `recipient has no COW code`, `supplier not a system member`, `recipient not a
/// system member`, `same COW state`). `in_panel` sums to the panel's arms flows over the years
/// of the state list.
pub fn arms_flows(l: &Ledger, states: &Spells) -> Result<Table> {
    l.require_dyadic("arms flows by COW dyad")?;
    let sys = System::new(states, None)?;
    let reg = &l.registry;
    let mut agg: HashMap<(ActorId, ActorId, i32), f64> = HashMap::new();
    for e in 0..l.len() {
        *agg.entry((l.supplier[e], l.recipient[e], l.year[e])).or_insert(0.0) += l.tiv[e];
    }
    let mut rows: Vec<_> = agg.into_iter().collect();
    rows.sort_by(|a, b| {
        (a.0 .2, reg.name(a.0 .0), reg.name(a.0 .1)).cmp(&(b.0 .2, reg.name(b.0 .0), reg.name(b.0 .1)))
    });
    let n = rows.len();
    let (mut sup, mut rec, mut year, mut tiv) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut c1, mut c2, mut inp, mut reason) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for ((s, r, y), v) in rows {
        let (a, b) = (sipri_ccode(reg, s, y), sipri_ccode(reg, r, y));
        let why = match (a, b) {
            (None, _) => Some("supplier has no COW code"),
            (_, None) => Some("recipient has no COW code"),
            (Some(a), _) if !sys.is_member(a, y) => Some("supplier not a system member"),
            (_, Some(b)) if !sys.is_member(b, y) => Some("recipient not a system member"),
            (Some(a), Some(b)) if a == b => Some("same COW state"),
            _ => None,
        };
        sup.push(reg.name(s).to_string());
        rec.push(reg.name(r).to_string());
        year.push(y as i64);
        tiv.push(v);
        c1.push(a.map(|x| x as i64));
        c2.push(b.map(|x| x as i64));
        inp.push(why.is_none());
        reason.push(why);
    }
    crate::table::TableBuilder::new()
        .str("supplier", sup)
        .str("recipient", rec)
        .i64("year", year)
        .f64("tiv", tiv)
        .i64_opt("ccode1", c1)
        .i64_opt("ccode2", c2)
        .bool("in_panel", inp)
        .str_opt("reason", reason)
        .build()
}

// ---------------------------------------------------------------------------------------------
// alliances

/// Dyad-years in which an alliance is in force, as a panel input.
///
/// Build it from any alliance data set with [`AllianceYears::new`]: the rows are the
/// `(ccode1, ccode2, year)` with at least one alliance in force. `coverage` is the span of years
/// the source covers (outside it the panel's flag is null, not false).
#[derive(Debug, Clone)]
pub struct AllianceYears {
    /// The source's name, e.g. `COW Formal Alliances v4.1`.
    pub source: String,
    pub directed: bool,
    pub coverage: Period,
    /// Whether the source codes alliance types (then `defense` flags are known).
    pub typed: bool,
    /// Sorted, deduplicated keys with a defense-pact flag; both directions for a non-directed
    /// source.
    keys: Vec<(u64, bool)>,
}

impl AllianceYears {
    /// From `(ccode1, ccode2, year)` rows of alliances in force. `directed = false` (COW) makes
    /// each row count for both orders of the pair; `directed = true` (ATOP) keeps the order
    /// (ccode1's obligation toward ccode2). `coverage` defaults to the rows' first to last year.
    pub fn new(
        source: impl Into<String>,
        directed: bool,
        coverage: Option<Period>,
        rows: impl IntoIterator<Item = (u16, u16, i32)>,
    ) -> Result<AllianceYears> {
        let mut keys = Vec::new();
        let (mut lo, mut hi) = (i32::MAX, i32::MIN);
        for (a, b, y) in rows {
            if !(1..=9999).contains(&y) {
                return Err(Error::invalid(format!("alliance year {y} is out of range (1-9999)")));
            }
            if a == b {
                continue;
            }
            lo = lo.min(y);
            hi = hi.max(y);
            keys.push((key(a, b, y), false));
            if !directed {
                keys.push((key(b, a, y), false));
            }
        }
        let coverage = match coverage {
            Some(c) => c,
            None if keys.is_empty() => return Err(Error::invalid("the alliance data has no rows; give its coverage")),
            None => Period { start: lo, end: hi },
        };
        keys.sort_unstable_by_key(|k| k.0);
        keys.dedup_by_key(|k| k.0);
        Ok(AllianceYears { source: source.into(), directed, coverage, typed: false, keys })
    }

    /// From any Arrow table with integer columns `ccode1, ccode2, year` (one row per dyad-year
    /// with an alliance in force), as a door passes it. `start, end`: the source's coverage,
    /// both or neither (then the rows' first to last year).
    pub fn from_batches(
        batches: &[crate::table::arrow::RecordBatch],
        source: impl Into<String>,
        directed: bool,
        start: Option<i32>,
        end: Option<i32>,
    ) -> Result<AllianceYears> {
        let what = "the alliance table";
        let mut rows = Vec::new();
        for b in batches {
            let col = |name| crate::table::int_values(b, name, what);
            let (c1, c2, y) = (col("ccode1")?, col("ccode2")?, col("year")?);
            let code = |v: i64, name: &str| {
                u16::try_from(v).map_err(|_| Error::invalid(format!("{name} {v} is not a COW code (0-65535)")))
            };
            for i in 0..c1.len() {
                let yr = i32::try_from(y[i]).map_err(|_| Error::invalid(format!("year {} is out of range", y[i])))?;
                rows.push((code(c1[i], "ccode1")?, code(c2[i], "ccode2")?, yr));
            }
        }
        let coverage = match (start, end) {
            (Some(s), Some(e)) => Some(Period::new(s, e)?),
            (None, None) => None,
            _ => return Err(Error::invalid("give both start and end of the alliance data's coverage, or neither")),
        };
        AllianceYears::new(source, directed, coverage, rows)
    }

    /// From COW or ATOP alliance data ([`Alliances`]): every dyad-year with at least one type in
    /// force, with a defense-pact flag (COW `cow_defense`, ATOP `atop_defense`); the coverage is
    /// the file's span (COW 1816-2012, ATOP 1815-2018).
    pub fn from_alliances(al: &Alliances) -> AllianceYears {
        let mut keys = Vec::with_capacity(if al.directed { al.len() } else { 2 * al.len() });
        for i in 0..al.len() {
            let t = al.types[i];
            let (a, b, y) = (al.ccode1[i], al.ccode2[i], al.year[i]);
            if t.is_empty() || a == b {
                continue;
            }
            let d = t.contains(AllianceType::Defense);
            keys.push((key(a, b, y), d));
            if !al.directed {
                keys.push((key(b, a, y), d));
            }
        }
        keys.sort_unstable_by_key(|k| k.0);
        keys.dedup_by(|x, y| {
            if x.0 == y.0 {
                y.1 |= x.1;
                true
            } else {
                false
            }
        });
        AllianceYears {
            source: al.source.as_str().to_string(),
            directed: al.directed,
            coverage: al.coverage(),
            typed: true,
            keys,
        }
    }

    /// Read a COW v4.1 or ATOP 5.1 dyad-year file (peacesciencer's layouts, detected from the
    /// header as [`crate::relations::read_alliances`] does) straight into a panel input.
    ///
    /// The same rows and rules as `AllianceYears::from_alliances(&read_alliances(path)?)`, read in
    /// one streaming pass without building the full [`Alliances`] model (no per-cell strings, no
    /// per-dyad index): a row is in force when any of its type columns is 1, `defense` is the
    /// `cow_defense` / `atop_defense` column, cells must be 0 or 1 and codes integers, and errors
    /// name the file, line and column.
    pub fn read(path: &std::path::Path) -> Result<AllianceYears> {
        let bytes = crate::input::read_file(path)?;
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[..]);
        let fmt = |line: usize, message: String| Error::Format { path: path.to_path_buf(), line, message };
        let header: Vec<String> = rdr
            .byte_headers()
            .map_err(|e| fmt(1, format!("not readable as CSV: {e}")))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        let find = |n: &str| header.iter().position(|h| h == n);
        let (source, directed, types): (&str, bool, &[&str]) = if find("cow_defense").is_some() {
            ("COW alliances v4.1", false, &["cow_defense", "cow_neutral", "cow_nonagg", "cow_entente"])
        } else if find("atop_defense").is_some() {
            ("ATOP 5.1", true, &["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"])
        } else {
            return Err(fmt(1, format!("not a COW (cow_defense, ...) or ATOP (atop_defense, ...) alliance dyad-year file: the header is {header:?}")));
        };
        let need = |n: &str| {
            find(n).ok_or_else(|| fmt(1, format!("not {source}: no {n:?} column (the header is {header:?})")))
        };
        let (c1, c2, cy) = (need("ccode1")?, need("ccode2")?, need("year")?);
        let tcols: Vec<usize> = types.iter().map(|t| need(t)).collect::<Result<_>>()?;
        let mut keys = Vec::with_capacity(bytes.len() / 16);
        let (mut lo, mut hi) = (i32::MAX, i32::MIN);
        let mut rec = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    return Err(fmt(line, format!("not readable as CSV: {e}")));
                }
            }
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let int = |col: usize| -> Result<i64> {
                let raw = rec.get(col).unwrap_or(b"");
                std::str::from_utf8(raw).ok().and_then(|t| t.trim().parse::<i64>().ok()).ok_or_else(|| Error::Parse {
                    path: path.to_path_buf(),
                    line,
                    column: col + 1,
                    column_name: Some(header[col].clone()),
                    message: format!("{:?} is not an integer", String::from_utf8_lossy(raw)),
                })
            };
            let bad = |col: usize, message: String| Error::Parse {
                path: path.to_path_buf(),
                line,
                column: col + 1,
                column_name: Some(header[col].clone()),
                message,
            };
            let (a, b, y) = (int(c1)?, int(c2)?, int(cy)?);
            let code = |v: i64, col: usize| {
                u16::try_from(v)
                    .ok()
                    .filter(|c| crate::input::COW_CODES.contains(c))
                    .ok_or_else(|| bad(col, format!("{v} is not a COW country code (a whole number from 1 to 999)")))
            };
            let (a, b) = (code(a, c1)?, code(b, c2)?);
            let years = crate::input::STATE_YEARS;
            if !years.contains(&(y.clamp(i32::MIN as i64, i32::MAX as i64) as i32)) {
                return Err(bad(
                    cy,
                    format!("year {y} is outside {}-{}, the years this reader accepts", years.start(), years.end()),
                ));
            }
            let y = y as i32;
            if a == b {
                return Err(bad(c2, format!("a state allied with itself (ccode {a})")));
            }
            let mut any = false;
            let mut defense = false;
            for (k, &c) in tcols.iter().enumerate() {
                match int(c)? {
                    0 => {}
                    1 => {
                        any = true;
                        defense |= k == 0;
                    }
                    v => return Err(bad(c, format!("{} is {v}; expected 0 or 1", header[c]))),
                }
            }
            lo = lo.min(y);
            hi = hi.max(y);
            if any {
                keys.push((key(a, b, y), defense));
                if !directed {
                    keys.push((key(b, a, y), defense));
                }
            }
        }
        if lo > hi {
            return Err(Error::Empty { path: path.to_path_buf() });
        }
        keys.sort_unstable_by_key(|k| k.0);
        keys.dedup_by(|x, y| {
            if x.0 == y.0 {
                y.1 |= x.1;
                true
            } else {
                false
            }
        });
        Ok(AllianceYears {
            source: source.to_string(),
            directed,
            coverage: Period { start: lo, end: hi },
            typed: true,
            keys,
        })
    }

    /// Is a defense pact in force from `a` toward `b` in `year` (`None` outside the coverage or
    /// when the source has no types)?
    pub fn defense(&self, a: u16, b: u16, year: i32) -> Option<bool> {
        (self.typed && self.coverage.contains(year))
            .then(|| self.keys.binary_search_by_key(&key(a, b, year), |k| k.0).is_ok_and(|i| self.keys[i].1))
    }

    /// Is an alliance in force from `a` toward `b` in `year` (`None` outside the coverage)?
    pub fn in_force(&self, a: u16, b: u16, year: i32) -> Option<bool> {
        self.coverage.contains(year).then(|| self.keys.binary_search_by_key(&key(a, b, year), |k| k.0).is_ok())
    }

    /// Number of (directed) dyad-years in force.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

// ---------------------------------------------------------------------------------------------
// output columns

fn schema_field(name: &str, dt: DataType, nullable: bool) -> Field {
    Field::new(name, dt, nullable)
}

struct Cols {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Cols {
    fn new() -> Self {
        Cols { fields: vec![], arrays: vec![] }
    }
    fn i64(&mut self, name: &str, v: Vec<i64>) {
        self.fields.push(schema_field(name, DataType::Int64, false));
        self.arrays.push(Arc::new(Int64Array::from(v)));
    }
    fn f64(&mut self, name: &str, b: Float64Builder) {
        let mut b = b;
        let a: Float64Array = b.finish();
        self.fields.push(schema_field(name, DataType::Float64, true));
        self.arrays.push(Arc::new(a));
    }
    fn bool(&mut self, name: &str, b: BooleanBuilder) {
        let mut b = b;
        let a: BooleanArray = b.finish();
        self.fields.push(schema_field(name, DataType::Boolean, true));
        self.arrays.push(Arc::new(a));
    }
    /// A float column from values with NaN for missing (NaN is never a valid value here: the
    /// readers reject non-finite numbers and the ratios map x/0 to missing).
    fn f64_nan(&mut self, name: &str, v: Vec<f64>) {
        let a = if v.iter().any(|x| x.is_nan()) {
            let mut valid = BooleanBufferBuilder::new(v.len());
            let mut last = 0;
            for (i, x) in v.iter().enumerate() {
                if x.is_nan() {
                    valid.append_n(i - last, true);
                    valid.append(false);
                    last = i + 1;
                }
            }
            valid.append_n(v.len() - last, true);
            Float64Array::new(v.into(), Some(valid.finish().into()))
        } else {
            Float64Array::from(v)
        };
        self.fields.push(schema_field(name, DataType::Float64, true));
        self.arrays.push(Arc::new(a));
    }
    fn f64_valid(&mut self, name: &str, v: Vec<f64>, valid: &BooleanBufferBuilder) {
        let a = Float64Array::new(v.into(), Some(valid.finish_cloned().into()));
        self.fields.push(schema_field(name, DataType::Float64, true));
        self.arrays.push(Arc::new(a));
    }
    fn bool_valid(&mut self, name: &str, v: &BooleanBufferBuilder, valid: &BooleanBufferBuilder) {
        let a = BooleanArray::new(v.finish_cloned(), Some(valid.finish_cloned().into()));
        self.fields.push(schema_field(name, DataType::Boolean, true));
        self.arrays.push(Arc::new(a));
    }
    fn str(&mut self, name: &str, v: Vec<&str>) {
        self.fields.push(schema_field(name, DataType::Utf8, false));
        self.arrays.push(Arc::new(StringArray::from(v)));
    }
    /// The table, with the years each source covers in the schema metadata ([`COVERAGE_META`]).
    fn build_covering(self, coverage: &[(&str, String, Option<Period>)]) -> Result<Table> {
        let json: Vec<String> = coverage
            .iter()
            .map(|(k, name, p)| match p {
                Some(p) => format!(
                    "{{\"source\":{k:?},\"dataset\":{},\"start\":{},\"end\":{}}}",
                    json_str(name),
                    p.start,
                    p.end
                ),
                None => format!("{{\"source\":{k:?},\"dataset\":{},\"start\":null,\"end\":null}}", json_str(name)),
            })
            .collect();
        let meta = HashMap::from([(COVERAGE_META.to_string(), format!("[{}]", json.join(",")))]);
        RecordBatch::try_new(Arc::new(Schema::new_with_metadata(self.fields, meta)), self.arrays)
            .map(|batch| Table { batch })
            .map_err(|e| Error::invalid(format!("internal error building a panel: {e}")))
    }
}

/// The schema-metadata key of a panel that lists the years each joined source covers: a JSON
/// array of `{"source", "dataset", "start", "end"}` objects, one per source (`states`: the
/// panel's own years, then `majors`, `capabilities`, `arms`, `alliances` when
/// joined). A source's columns are null in the panel's years outside its span (arms flows: 0
/// inside the ledger's coverage where nothing was delivered). [`panel_coverage`] reads it back
/// as a table.
pub const COVERAGE_META: &str = "powerbalance.coverage";

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The sources of a panel and the years each covers.
fn coverage_of(p: Period, joins: Joins<'_>) -> Vec<(&'static str, String, Option<Period>)> {
    let mut v = vec![("states", "COW state system membership".to_string(), Some(p))];
    if let Some(m) = joins.majors {
        v.push(("majors", "COW major powers".to_string(), spells_coverage(m).ok()));
    }
    if let Some(c) = joins.capabilities {
        v.push(("capabilities", format!("NMC {}", c.release), Some(c.coverage())));
    }
    if let Some(l) = joins.ledger {
        v.push(("arms", l.dataset(), l.years()));
    }
    if let Some(a) = joins.alliances {
        v.push(("alliances", a.source.clone(), Some(a.coverage)));
    }
    v
}

/// The years each source of a panel covers, from its [`COVERAGE_META`] metadata, as a table
/// `source, dataset, start, end` (`None` when the table has no such metadata).
pub fn panel_coverage(t: &Table) -> Result<Option<Table>> {
    let Some(j) = t.batch.schema().metadata().get(COVERAGE_META).cloned() else { return Ok(None) };
    let bad = |e: &dyn std::fmt::Display| {
        Error::invalid(format!("the table's {COVERAGE_META} metadata is not readable: {e}"))
    };
    let rows: Vec<serde_json::Value> = serde_json::from_str(&j).map_err(|e| bad(&e))?;
    let text = |r: &serde_json::Value, k: &str| r.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
    let int = |r: &serde_json::Value, k: &str| r.get(k).and_then(|x| x.as_i64());
    crate::table::TableBuilder::new()
        .str("source", rows.iter().map(|r| text(r, "source")).collect())
        .str("dataset", rows.iter().map(|r| text(r, "dataset")).collect())
        .i64_opt("start", rows.iter().map(|r| int(r, "start")).collect())
        .i64_opt("end", rows.iter().map(|r| int(r, "end")).collect())
        .build()
        .map(Some)
}

#[inline]
fn opt(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

// ---------------------------------------------------------------------------------------------
// panels

/// What a panel is joined with.
#[derive(Clone, Copy, Default)]
pub struct Joins<'a> {
    /// NMC capabilities: CINC (dyad-years) or the six components and CINC (state-years).
    pub capabilities: Option<&'a Capabilities>,
    /// A dyadic SIPRI ledger: TIV flows.
    pub ledger: Option<&'a Ledger>,
    /// Alliances in force.
    pub alliances: Option<&'a AllianceYears>,
    /// The major-power list (state-years only): a `major` flag.
    pub majors: Option<&'a Spells>,
}

/// State-years: every COW system member in every year of `period` (default: the list's
/// coverage), as peacesciencer's `create_stateyears` (Miller 2022).
///
/// Columns: `ccode, stateabb, year`; with majors `major` (COW major power at any time in the
/// year); with capabilities `milex, milper, irst, pec, tpop, upop, cinc` (NMC as published, null
/// where missing); with a ledger `tiv_exports, tiv_imports` (TIV the state delivered to, and
/// received from, anyone in the year, non-state actors and unknown parties included; 0 inside the
/// ledger's span, null outside); with alliances `n_allies` (states the state has an alliance with,
/// or, for a directed source, toward; null outside the source's coverage).
pub fn state_years(states: &Spells, joins: Joins<'_>, period: Option<Period>) -> Result<Table> {
    let sys = System::new(states, period)?;
    let p = sys.period;
    let ny = p.len();
    let n: usize = sys.members_per_year().iter().sum();
    let (mut cc, mut yy, mut abb) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let mut rows: Vec<(usize, usize)> = Vec::with_capacity(n);
    for i in 0..sys.ccodes.len() {
        for t in 0..ny {
            if sys.at(i, t) {
                cc.push(sys.ccodes[i] as i64);
                yy.push((p.start + t as i32) as i64);
                abb.push(sys.stateabb[i].as_str());
                rows.push((i, t));
            }
        }
    }
    let mut cols = Cols::new();
    cols.i64("ccode", cc);
    cols.str("stateabb", abb);
    cols.i64("year", yy);
    if let Some(m) = joins.majors {
        if m.kind != SpellKind::Majors {
            return Err(Error::invalid("majors must be the COW major-power list (majors2016.csv)"));
        }
        let mut b = BooleanBuilder::with_capacity(n);
        for &(i, t) in &rows {
            b.append_value(m.is_member(sys.ccodes[i], p.start + t as i32));
        }
        cols.bool("major", b);
    }
    if let Some(caps) = joins.capabilities {
        let measures = Component::ALL.iter().map(|c| Measure::Component(*c)).chain([Measure::Cinc]);
        for m in measures {
            let d = sys.dense(caps, m);
            let mut b = Float64Builder::with_capacity(n);
            for &(i, t) in &rows {
                b.append_option(opt(d[i * ny + t]));
            }
            cols.f64(m.name(), b);
        }
    }
    if let Some(l) = joins.ledger {
        let reg = &l.registry;
        let mut ex: HashMap<(u16, i32), f64> = HashMap::new();
        let mut im: HashMap<(u16, i32), f64> = HashMap::new();
        for e in 0..l.len() {
            let y = l.year[e];
            if let Some(s) = sipri_ccode(reg, l.supplier[e], y) {
                *ex.entry((s, y)).or_insert(0.0) += l.tiv[e];
            }
            if let Some(r) = sipri_ccode(reg, l.recipient[e], y) {
                *im.entry((r, y)).or_insert(0.0) += l.tiv[e];
            }
        }
        let span = l.years();
        for (name, m) in [("tiv_exports", &ex), ("tiv_imports", &im)] {
            let mut b = Float64Builder::with_capacity(n);
            for &(i, t) in &rows {
                let y = p.start + t as i32;
                b.append_option(
                    span.filter(|s| s.contains(y)).map(|_| m.get(&(sys.ccodes[i], y)).copied().unwrap_or(0.0)),
                );
            }
            cols.f64(name, b);
        }
    }
    if let Some(a) = joins.alliances {
        let mut count: HashMap<(u16, i32), i64> = HashMap::new();
        for &(k, _) in &a.keys {
            let (c1, c2, y) = unkey(k);
            if sys.is_member(c2, y) {
                *count.entry((c1, y)).or_insert(0) += 1;
            }
        }
        let v: Vec<Option<f64>> = rows
            .iter()
            .map(|&(i, t)| {
                let y = p.start + t as i32;
                a.coverage.contains(y).then(|| count.get(&(sys.ccodes[i], y)).copied().unwrap_or(0) as f64)
            })
            .collect();
        cols.fields.push(schema_field("n_allies", DataType::Int64, true));
        cols.arrays.push(Arc::new(Int64Array::from(v.iter().map(|x| x.map(|x| x as i64)).collect::<Vec<_>>())));
    }
    cols.build_covering(&coverage_of(p, joins))
}

/// Dyad-years: every pair of COW system members in every year of `period` (default: the list's
/// coverage), directed (both orders) or undirected (`ccode1 < ccode2`), as peacesciencer's
/// `create_dyadyears` (Miller 2022).
///
/// Columns: `ccode1, ccode2, year`; with capabilities `cinc1, cinc2, cinc_ratio`
/// (`cinc1 / cinc2`, NMC as published; Singer, Bremer & Stuckey 1972); with a ledger
/// `tiv_1to2, tiv_2to1` (SIPRI TIV, millions, delivered from ccode1 to ccode2 and back; 0 inside
/// the ledger's span, null outside; mapping rules in [`sipri_ccode`]); with alliances
/// `alliance` and, for COW or ATOP data, `defense` (a defense pact in force; see the module
/// documentation). Rows are ordered by `ccode1, ccode2, year`.
pub fn dyad_years(states: &Spells, joins: Joins<'_>, directed: bool, period: Option<Period>) -> Result<Table> {
    let sys = System::new(states, period)?;
    let p = sys.period;
    let ny = p.len();
    let n: usize = sys
        .members_per_year()
        .iter()
        .map(|&m| if directed { m * m.saturating_sub(1) } else { m * m.saturating_sub(1) / 2 })
        .sum();
    if n > crate::input::MAX_PANEL_ROWS {
        return Err(Error::invalid(format!(
            "the dyad-year panel would have {n} rows, more than {} (the real COW state system gives 1.9 million directed dyad-years for 1816-2016): check the state list, or ask for a shorter period",
            crate::input::MAX_PANEL_ROWS
        )));
    }

    let cinc = joins.capabilities.map(|c| sys.dense(c, Measure::Cinc));
    let flows = joins.ledger.map(Flows::new).transpose()?;
    let alliances = joins.alliances;

    let (mut c1v, mut c2v, mut yv) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let cap_n = |on: bool| if on { n } else { 0 };
    // Columns are written a run of years at a time: values by bulk copies and fills, then the
    // few flows and alliances of the run set in place; validity bitmaps by runs.
    let with_caps = cinc.is_some();
    let (mut v_c1, mut v_c2, mut v_r) = (
        Vec::with_capacity(cap_n(with_caps)),
        Vec::with_capacity(cap_n(with_caps)),
        Vec::with_capacity(cap_n(with_caps)),
    );
    let with_arms = flows.is_some();
    let (mut v_12, mut v_21): (Vec<f64>, Vec<f64>) =
        (Vec::with_capacity(cap_n(with_arms)), Vec::with_capacity(cap_n(with_arms)));
    let mut n_arms = BooleanBufferBuilder::new(cap_n(with_arms));
    let with_al = alliances.is_some();
    let typed = alliances.is_some_and(|a| a.typed);
    let mut b_al = BooleanBufferBuilder::new(cap_n(with_al));
    let mut n_al = BooleanBufferBuilder::new(cap_n(with_al));
    let mut b_def = BooleanBufferBuilder::new(cap_n(typed));

    let empty: [(u64, f64); 0] = [];
    let (fwd, rev, span) = match &flows {
        Some(f) => (&f.fwd[..], &f.rev[..], f.span),
        None => (&empty[..], &empty[..], None),
    };
    let (mut pos_f, mut pos_r, mut pos_a) = (0usize, 0usize, 0usize);
    let no_keys: [(u64, bool); 0] = [];
    let al_keys = alliances.map(|a| &a.keys[..]).unwrap_or(&no_keys[..]);
    // A dataset's years as half-open year offsets of the panel (empty when absent).
    let offsets = |q: Option<Period>| -> (usize, usize) {
        match q {
            Some(q) => {
                let lo = (q.start - p.start).clamp(0, ny as i32) as usize;
                let hi = (q.end + 1 - p.start).clamp(0, ny as i32) as usize;
                (lo, hi.max(lo))
            }
            None => (0, 0),
        }
    };
    let span_t = offsets(span);
    let cov_t = offsets(alliances.map(|a| a.coverage));
    // The part of the run [t0, t1) inside [s0, s1).
    let clip = |t0: usize, t1: usize, (s0, s1): (usize, usize)| -> (usize, usize) {
        let u0 = s0.clamp(t0, t1);
        (u0, s1.clamp(u0, t1))
    };
    let no_cinc: Vec<f64> = vec![];
    let d = cinc.as_deref().unwrap_or(&no_cinc[..]);

    let nst = sys.ccodes.len();
    for i in 0..nst {
        let a = sys.ccodes[i];
        for j in 0..nst {
            if i == j || (!directed && j < i) {
                continue;
            }
            let b = sys.ccodes[j];
            // The years both are members: the intersection of their runs.
            let (ri, rj) = (&sys.runs[i], &sys.runs[j]);
            let (mut x, mut z) = (0, 0);
            while x < ri.len() && z < rj.len() {
                let (t0, t1) = (ri[x].0.max(rj[z].0), ri[x].1.min(rj[z].1));
                if ri[x].1 <= rj[z].1 {
                    x += 1;
                } else {
                    z += 1;
                }
                if t0 >= t1 {
                    continue;
                }
                let len = t1 - t0;
                let y_at = |t: usize| p.start + t as i32;
                let base = c1v.len();
                c1v.extend(std::iter::repeat(a as i64).take(len));
                c2v.extend(std::iter::repeat(b as i64).take(len));
                yv.extend((t0..t1).map(|t| y_at(t) as i64));
                if with_caps {
                    let (s1, s2) = (&d[i * ny + t0..i * ny + t1], &d[j * ny + t0..j * ny + t1]);
                    v_c1.extend_from_slice(s1);
                    v_c2.extend_from_slice(s2);
                    v_r.extend(s1.iter().zip(s2).map(|(x1, x2)| if *x2 != 0.0 { x1 / x2 } else { f64::NAN }));
                }
                if with_arms {
                    let (u0, u1) = clip(t0, t1, span_t);
                    v_12.resize(base + len, 0.0);
                    v_21.resize(base + len, 0.0);
                    n_arms.append_n(u0 - t0, false);
                    n_arms.append_n(u1 - u0, true);
                    n_arms.append_n(t1 - u1, false);
                    if u0 < u1 {
                        let (k0, k1) = (key(a, b, y_at(u0)), key(a, b, y_at(u1)));
                        for (list, pos, out) in [(fwd, &mut pos_f, &mut v_12), (rev, &mut pos_r, &mut v_21)] {
                            while *pos < list.len() && list[*pos].0 < k0 {
                                *pos += 1;
                            }
                            while *pos < list.len() && list[*pos].0 < k1 {
                                let (_, _, y) = unkey(list[*pos].0);
                                out[base + (y - p.start) as usize - t0] = list[*pos].1;
                                *pos += 1;
                            }
                        }
                    }
                }
                if with_al {
                    let (u0, u1) = clip(t0, t1, cov_t);
                    n_al.append_n(u0 - t0, false);
                    n_al.append_n(u1 - u0, true);
                    n_al.append_n(t1 - u1, false);
                    b_al.append_n(len, false);
                    if typed {
                        b_def.append_n(len, false);
                    }
                    if u0 < u1 {
                        let (k0, k1) = (key(a, b, y_at(u0)), key(a, b, y_at(u1)));
                        while pos_a < al_keys.len() && al_keys[pos_a].0 < k0 {
                            pos_a += 1;
                        }
                        while pos_a < al_keys.len() && al_keys[pos_a].0 < k1 {
                            let (_, _, y) = unkey(al_keys[pos_a].0);
                            let at = base + (y - p.start) as usize - t0;
                            b_al.set_bit(at, true);
                            if typed && al_keys[pos_a].1 {
                                b_def.set_bit(at, true);
                            }
                            pos_a += 1;
                        }
                    }
                }
            }
        }
    }
    debug_assert_eq!(c1v.len(), n);

    let mut cols = Cols::new();
    cols.i64("ccode1", c1v);
    cols.i64("ccode2", c2v);
    cols.i64("year", yv);
    if with_caps {
        cols.f64_nan("cinc1", v_c1);
        cols.f64_nan("cinc2", v_c2);
        cols.f64_nan("cinc_ratio", v_r);
    }
    if with_arms {
        cols.f64_valid("tiv_1to2", v_12, &n_arms);
        cols.f64_valid("tiv_2to1", v_21, &n_arms);
    }
    if with_al {
        cols.bool_valid("alliance", &b_al, &n_al);
        if typed {
            cols.bool_valid("defense", &b_def, &n_al);
        }
    }
    cols.build_covering(&coverage_of(p, joins))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capabilities::{parse_nmc, parse_spells};
    use crate::ledger::{Coverage, NO_DEAL};
    use std::path::Path;

    // A (1) member 2000-2002; B (2) 2001-2002; C (3) 2000 and again 2002 (two spells).
    const STATES: &str = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
AAA,1,A,2000,1,1,2002,12,31,2016
BBB,2,B,2001,10,3,2002,12,31,2016
CCC,3,C,1999,1,1,2000,6,1,2016
CCC,3,C,2002,2,1,2002,12,31,2016";

    const NMC: &str = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc
AAA,1,2001,1,1,1,1,1,1,0.6
BBB,2,2001,1,1,1,1,1,1,0.4
AAA,1,2002,1,1,1,1,1,1,0.5
BBB,2,2002,1,1,1,1,1,1,0
CCC,3,2002,1,1,1,1,1,1,";

    fn states() -> Spells {
        parse_spells(STATES, Path::new("s.csv"), SpellKind::States).unwrap()
    }

    fn col_i(t: &Table, c: &str) -> Vec<i64> {
        t.i64s(c).unwrap().into_iter().map(|x| x.unwrap()).collect()
    }

    #[test]
    fn state_years_follow_spells() {
        let t = state_years(&states(), Joins::default(), Some(Period { start: 2000, end: 2002 })).unwrap();
        assert_eq!(col_i(&t, "ccode"), vec![1, 1, 1, 2, 2, 3, 3]);
        assert_eq!(col_i(&t, "year"), vec![2000, 2001, 2002, 2001, 2002, 2000, 2002]);
        assert!(state_years(&states(), Joins::default(), Some(Period { start: 1990, end: 2002 })).is_err());
    }

    #[test]
    fn dyad_years_directed_and_undirected() {
        let s = states();
        let p = Some(Period { start: 2000, end: 2002 });
        // members: 2000 {1,3}, 2001 {1,2}, 2002 {1,2,3}: directed 2 + 2 + 6 rows.
        let d = dyad_years(&s, Joins::default(), true, p).unwrap();
        assert_eq!(d.num_rows(), 10);
        assert_eq!(col_i(&d, "ccode1"), vec![1, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
        assert_eq!(col_i(&d, "ccode2"), vec![2, 2, 3, 3, 1, 1, 3, 1, 1, 2]);
        assert_eq!(col_i(&d, "year"), vec![2001, 2002, 2000, 2002, 2001, 2002, 2002, 2000, 2002, 2002]);
        let u = dyad_years(&s, Joins::default(), false, p).unwrap();
        assert_eq!(u.num_rows(), 5);
        assert!(col_i(&u, "ccode1").iter().zip(col_i(&u, "ccode2")).all(|(a, b)| *a < b));
    }

    #[test]
    fn joins_capabilities_arms_and_alliances() {
        let s = states();
        let caps = parse_nmc(NMC, Path::new("n.csv")).unwrap();
        let al = AllianceYears::new("test", false, Some(Period { start: 2000, end: 2001 }), [(1, 2, 2001)]).unwrap();
        let joins = Joins { capabilities: Some(&caps), ledger: None, alliances: Some(&al), majors: None };
        let d = dyad_years(&s, joins, true, Some(Period { start: 2000, end: 2002 })).unwrap();
        let r = d.f64s("cinc_ratio").unwrap();
        // rows: (1,2,2001) .6/.4; (1,2,2002) .5/0 -> null; (1,3,2000) no NMC rows -> null
        assert!((r[0].unwrap() - 1.5).abs() < 1e-12);
        assert_eq!(r[1], None);
        assert_eq!(r[2], None);
        let c2 = d.f64s("cinc2").unwrap();
        assert_eq!(c2[1], Some(0.0));
        let al: Vec<Option<bool>> =
            d.column("alliance").unwrap().as_any().downcast_ref::<BooleanArray>().unwrap().iter().collect();
        // (1,2,2001) allied, (1,2,2002) outside coverage, (1,3,2000) not allied; (2,1,2001) allied.
        assert_eq!(&al[..5], &[Some(true), None, Some(false), None, Some(true)]);
    }

    #[test]
    fn arms_flows_map_sipri_actors_by_year() {
        let reg = Arc::new(ActorRegistry::builtin().clone());
        let id = |n: &str| reg.resolve(n).unwrap();
        assert_eq!(sipri_ccode(&reg, id("Germany"), 1980), Some(260));
        assert_eq!(sipri_ccode(&reg, id("Germany"), 1990), Some(260));
        assert_eq!(sipri_ccode(&reg, id("Germany"), 1991), Some(255));
        assert_eq!(sipri_ccode(&reg, id("Soviet Union"), 1980), Some(365));
        assert_eq!(sipri_ccode(&reg, id("Russia"), 2000), Some(365));
        assert_eq!(sipri_ccode(&reg, id("Hezbollah (Lebanon)*"), 2000), None);

        let states = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
USA,2,United States of America,1816,1,1,2016,12,31,2016
GMY,255,Germany,1990,10,3,2016,12,31,2016
GFR,260,German Federal Republic,1955,5,5,1990,10,2,2016
RUS,365,Russia,1816,1,1,2016,12,31,2016";
        let s = parse_spells(states, Path::new("s.csv"), SpellKind::States).unwrap();
        let mut l = Ledger::empty(reg.clone(), Coverage::Dyadic);
        l.push(id("United States"), id("Germany"), 1989, 10.0, NO_DEAL);
        l.push(id("United States"), id("Germany"), 1989, 5.0, NO_DEAL);
        l.push(id("United States"), id("Germany"), 1995, 7.0, NO_DEAL);
        l.push(id("Soviet Union"), id("United States"), 1991, 1.0, NO_DEAL);
        l.push(id("Russia"), id("United States"), 1995, 2.0, NO_DEAL);
        l.push(id("United States"), id("Germany"), 1954, 3.0, NO_DEAL); // FRG not yet a member
        l.push(id("Russia"), id("Hezbollah (Lebanon)*"), 1995, 4.0, NO_DEAL);
        let joins = Joins { ledger: Some(&l), ..Joins::default() };
        let d = dyad_years(&s, joins, true, Some(Period { start: 1950, end: 2016 })).unwrap();
        let c1 = col_i(&d, "ccode1");
        let c2 = col_i(&d, "ccode2");
        let y = col_i(&d, "year");
        let f = d.f64s("tiv_1to2").unwrap();
        let g = d.f64s("tiv_2to1").unwrap();
        let at = |a: i64, b: i64, yr: i64| (0..d.num_rows()).find(|&i| c1[i] == a && c2[i] == b && y[i] == yr).unwrap();
        assert_eq!(f[at(2, 260, 1989)], Some(15.0));
        assert_eq!(g[at(260, 2, 1989)], Some(15.0));
        assert_eq!(f[at(2, 255, 1995)], Some(7.0));
        assert_eq!(f[at(365, 2, 1991)], Some(1.0));
        assert_eq!(f[at(365, 2, 1995)], Some(2.0));
        assert_eq!(f[at(2, 365, 1995)], Some(0.0));
        assert_eq!(f[at(2, 365, 1953)], None, "before the ledger's span");
        assert_eq!(f[at(2, 365, 1960)], Some(0.0));
        assert_eq!(f[at(2, 365, 2000)], None, "after the ledger's span");
        let total: f64 = f.iter().flatten().sum();
        assert_eq!(total, 25.0);

        let acc = arms_flows(&l, &s).unwrap();
        let reasons = acc.strings("reason").unwrap();
        assert!(reasons.contains(&Some("recipient not a system member".to_string())));
        assert!(reasons.contains(&Some("recipient has no COW code".to_string())));
        let tiv = acc.f64s("tiv").unwrap();
        let inp: Vec<bool> = acc
            .column("in_panel")
            .unwrap()
            .as_any()
            .downcast_ref::<BooleanArray>()
            .unwrap()
            .iter()
            .map(|x| x.unwrap())
            .collect();
        let s_in: f64 = tiv.iter().zip(&inp).filter(|(_, i)| **i).map(|(t, _)| t.unwrap()).sum();
        assert_eq!(s_in, 25.0);
    }

    #[test]
    fn alliance_years_directed() {
        let a = AllianceYears::new("atop", true, None, [(1, 2, 2000), (1, 2, 2000), (3, 3, 2001)]).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a.coverage, Period { start: 2000, end: 2000 });
        assert_eq!(a.in_force(1, 2, 2000), Some(true));
        assert_eq!(a.in_force(2, 1, 2000), Some(false));
        assert_eq!(a.in_force(2, 1, 2001), None);
        assert!(AllianceYears::new("x", false, None, std::iter::empty()).is_err());
    }

    #[test]
    fn read_matches_the_alliance_model() {
        let text = "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,2000,1,0,0,0\n2,200,2000,0,0,0,1\n211,220,1832,0,0,0,0\n";
        let dir = std::env::temp_dir().join(format!("pb_panels_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("cow.csv");
        std::fs::write(&p, text).unwrap();
        let fast = AllianceYears::read(&p).unwrap();
        let model = AllianceYears::from_alliances(&crate::relations::read_alliances(&p).unwrap());
        assert_eq!(fast.keys, model.keys);
        assert_eq!((fast.coverage, fast.directed, &fast.source), (model.coverage, model.directed, &model.source));
        assert_eq!(fast.defense(20, 2, 2000), Some(true));
        assert_eq!(fast.in_force(200, 2, 2000), Some(true));
        assert_eq!(fast.in_force(211, 220, 1832), Some(false));
        std::fs::write(&p, "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,2000,1,0,2,0\n")
            .unwrap();
        assert!(matches!(AllianceYears::read(&p), Err(Error::Parse { line: 2, column: 6, .. })));
        std::fs::write(&p, "a,b\n1,2\n").unwrap();
        assert!(matches!(AllianceYears::read(&p), Err(Error::Format { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Tests on the real data: `POWERBALANCE_DATA` names the data home (scripts/test.sh sets it,
    /// and skips `with_data` tests when there is no data). They fail without it, never skip.
    mod with_data {
        use super::*;

        #[test]
        fn read_matches_the_alliance_model_on_the_data() {
            let Some(d) = std::env::var_os("POWERBALANCE_DATA") else {
                panic!("POWERBALANCE_DATA is not set: set it to the data home (`powerbalance data home`; `powerbalance data fetch --all` fills it)")
            };
            for f in ["cow_alliance_v4.1_dyad_year.csv", "atop_v5.1_directed_dyad_year.csv"] {
                let p = std::path::Path::new(&d).join("alliances").join(f);
                let fast = AllianceYears::read(&p).unwrap();
                let model = AllianceYears::from_alliances(&crate::relations::read_alliances(&p).unwrap());
                assert_eq!(fast.keys, model.keys, "{f}");
                assert_eq!(fast.coverage, model.coverage, "{f}");
            }
        }
    }
}
