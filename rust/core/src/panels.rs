//! Panels: state-year and dyad-year tables built from the COW state system, to the present,
//! joined with capabilities, military expenditure, GDP, ideal points, arms flows, alliances and
//! alignment (as peacesciencer's `create_stateyears`, `create_dyadyears` and its `add_*`
//! functions; Miller 2022, "peacesciencer: An R Package for Quantitative Peace Science
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
//! **To the present.** The COW list ends in 2016. A panel asked past the list's last year carries
//! the system forward by peacesciencer's `mry` rule: the states that are members on the list's
//! last day (31 December 2016) stay members every later year, and no state enters or leaves
//! ([`carried_members`]). The rule is on by default when the period asks for it
//! ([`PanelOptions::carry_forward`]), and the panel marks it: a `carried` column (true in the
//! carried years; present only when the period reaches past the list) and the `states` entry of
//! the sources table. With the COW v2016 list and the SIPRI, expenditure and ideal-point releases
//! here, panels reach 2024.
//!
//! **False dyads.** Two states that are both members in a year but never on the same day of it
//! (Suriname from 25 November 1975, South Vietnam to 30 April 1975) form no dyad that year:
//! they are dropped by default, as peacesciencer does ([`PanelOptions::false_dyads`] keeps
//! them). COW v2016, 1816-2016: 30 undirected (60 directed) dyad-years, out of 956,175
//! (1,912,350); the panel is otherwise the same.
//!
//! # Joins
//!
//! One field of [`Joins`] per source. Missing is missing, never zero: a joined column is null
//! outside its source's years and where the source has no value. Every panel lists in its schema
//! metadata ([`COVERAGE_META`]) each source, its dataset, its years and the columns it gave;
//! [`panel_coverage`] (Python: `powerbalance.panels.coverage(table)`) gives them as a table.
//!
//! - Capabilities: the NMC row of the same `(ccode, year)`; a state-year without a row, or with a
//!   missing value, gets a null. `cinc_ratio = cinc1 / cinc2` (null when either is missing or
//!   `cinc2` is 0). The six components by state (and, with `components`, by dyad).
//! - Military expenditure (SIPRI), GDP and population (Maddison 2023; `gdp = gdppc * pop *
//!   1000`), the Anders-Fariss-Markowitz estimates as published, logs `ln(x + 1)` named `ln_*`,
//!   UN ideal points and their distance `|θ1 − θ2|` (Bailey, Strezhnev & Voeten 2017): the
//!   state-year value, suffixed `1`/`2` in dyad-years.
//! - Arms flows: SIPRI TIV (millions) delivered by ccode1 to ccode2 (`tiv_1to2`) and by ccode2
//!   to ccode1 (`tiv_2to1`) in the year, summed over deals. SIPRI actors are mapped to COW codes
//!   by [`sipri_ccode`]; deliveries from or to non-state actors, organisations, unknown parties,
//!   actors without a COW code, or states that are not system members that year have no dyad and
//!   are left out (see [`arms_flows`] for the accounting). Years the ledger covers (its coverage,
//!   fixed when it was read: see [`crate::ledger`]) have 0 where nothing was delivered; years
//!   outside it are null, not an error and not 0.
//! - Alliances: `alliance` is true when an alliance (any type) is in force between the two
//!   states in the year, false when the source covers the year and has none, and null outside
//!   the source's coverage; one flag per type the source codes (COW: defense, neutrality,
//!   nonaggression, entente; ATOP: its five obligations, defense, offense, neutrality,
//!   nonaggression, consultation). A non-directed source (COW) counts for both directions; a
//!   directed one (ATOP) is read as ccode1's obligation toward ccode2. The data come from the one
//!   alliance reader ([`crate::relations::read_alliances`]).
//! - Alignment: every measure of [`crate::metrics::alignment`] (binary and valued S, unweighted
//!   and CINC-weighted, Hage's kappa and pi, tau-b), the system of a year being the panel's
//!   members of that year.
//!
//! The build is columnar and pre-indexed: membership, state measures and flows are dense or
//! sorted arrays keyed by `(ccode, year)` or `(ccode1, ccode2, year)`, joined by a single merge
//! pass in the output order, with every output column allocated once at its final size.

use crate::actors::{ActorId, ActorKind, ActorRegistry};
use crate::capabilities::{Capabilities, Component, Measure, SpellKind, Spells};
use crate::error::{Error, Result};
use crate::gdp::{EconMeasure, Maddison, SdpGdp};
use crate::ledger::Ledger;
use crate::metrics::alignment::{Distance, Portfolios, ALIGNMENT_COLUMNS};
use crate::metrics::arms_views::entry_categories;
use crate::milex::{Milex, MilexSeries};
use crate::period::Period;
use crate::relations::alliances::AllianceTypes;
use crate::relations::{AllianceSource, AllianceType, Alliances};
use crate::relations::{IdealPointEstimate, IdealPoints};
use crate::table::Table;
use arrow_array::builder::{BooleanBufferBuilder, BooleanBuilder, Float64Builder};
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use rustc_hash::FxHashMap;
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

mod system;
use system::spells_coverage;
pub use system::{carried_members, System};

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
    /// The flows of the entries `keep` admits (all of them for the totals, one category's).
    fn new(l: &Ledger, keep: impl Fn(usize) -> bool) -> Result<Flows> {
        l.require_dyadic("a dyad-year panel with arms flows")?;
        let reg = &l.registry;
        // Summed by dyad-year in a hash map (tens of thousands of keys against millions of
        // entries at 100 times the real registers), each sum in ledger order; then sorted.
        let mut sums: FxHashMap<u64, f64> = FxHashMap::default();
        for e in (0..l.len()).filter(|&e| keep(e)) {
            let y = l.year[e];
            if let (Some(s), Some(r)) = (sipri_ccode(reg, l.supplier[e], y), sipri_ccode(reg, l.recipient[e], y)) {
                if s != r {
                    *sums.entry(key(s, r, y)).or_insert(0.0) += l.tiv[e];
                }
            }
        }
        let mut fwd: Vec<(u64, f64)> = sums.into_iter().collect();
        fwd.sort_unstable_by_key(|x| x.0);
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

/// The arms-flow columns of a panel: the totals (suffix `""`), then, with `by_category`, one
/// per armament category (suffix `_<category>`, [`crate::metrics::arms_views::category_column`]),
/// each with the entries it sums (`None`: all).
fn arms_columns(l: &Ledger, by_category: bool) -> Result<Vec<(String, Option<usize>)>> {
    let mut v = vec![(String::new(), None)];
    if by_category {
        let (cats, _) = entry_categories(l, "a panel with arms_by_category")?;
        v.extend(cats.into_iter().enumerate().map(|(k, c)| (format!("_{c}"), Some(k))));
    }
    Ok(v)
}

/// The category of each ledger entry when the panel asks for columns by category.
fn entry_cats(l: &Ledger, by_category: bool) -> Result<Vec<Option<usize>>> {
    if by_category {
        Ok(entry_categories(l, "a panel with arms_by_category")?.1)
    } else {
        Ok(vec![])
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
    let sys = System::new(states, None, Some(false))?;
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

/// Dyad-years in which an alliance is in force, as a panel input, with the types in force.
///
/// Build it from COW or ATOP data read by the one alliance reader
/// ([`crate::relations::read_alliances`]) with [`AllianceYears::from_alliances`] (or
/// [`AllianceYears::read`]), or from any `(ccode1, ccode2, year)` rows with
/// [`AllianceYears::new`] (untyped). `coverage` is the span of years the source covers (outside
/// it the panel's flags are null, not false).
#[derive(Debug, Clone)]
pub struct AllianceYears {
    /// The source's name, e.g. `COW alliances v4.1`.
    pub source: String,
    pub directed: bool,
    pub coverage: Period,
    /// Whether the source codes alliance types (COW or ATOP: then the type columns are known).
    pub typed: bool,
    /// The data set the types come from (`None` for untyped rows).
    pub kind: Option<AllianceSource>,
    /// Sorted, deduplicated keys with the types in force (bits of [`AllianceTypes`]); both
    /// directions for a non-directed source.
    keys: Vec<(u64, u8)>,
}

impl AllianceYears {
    /// From `(ccode1, ccode2, year)` rows of alliances in force. `directed = false` (COW) makes
    /// each row count for both orders of the pair; `directed = true` (ATOP) keeps the order
    /// (ccode1's obligation toward ccode2). `coverage` defaults to the rows' first to last year.
    pub fn new(
        source: impl Into<String>, directed: bool, coverage: Option<Period>,
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
            keys.push((key(a, b, y), 0));
            if !directed {
                keys.push((key(b, a, y), 0));
            }
        }
        let coverage = match coverage {
            Some(c) => c,
            None if keys.is_empty() => return Err(Error::invalid("the alliance data has no rows; give its coverage")),
            None => Period { start: lo, end: hi },
        };
        keys.sort_unstable_by_key(|k| k.0);
        keys.dedup_by_key(|k| k.0);
        Ok(AllianceYears { source: source.into(), directed, coverage, typed: false, kind: None, keys })
    }

    /// From any Arrow table with integer columns `ccode1, ccode2, year` (one row per dyad-year
    /// with an alliance in force), as a door passes it. `start, end`: the source's coverage,
    /// both or neither (then the rows' first to last year).
    pub fn from_batches(
        batches: &[crate::table::arrow::RecordBatch], source: impl Into<String>, directed: bool, start: Option<i32>,
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
    /// force, with its types (COW: defense, neutrality, nonaggression, entente; ATOP: defense,
    /// offense, neutrality, nonaggression, consultation); the coverage is the file's span (COW
    /// 1816-2012, ATOP 1815-2018).
    pub fn from_alliances(al: &Alliances) -> AllianceYears {
        let mut keys = Vec::with_capacity(if al.directed { al.len() } else { 2 * al.len() });
        for i in 0..al.len() {
            let t = al.types[i];
            let (a, b, y) = (al.ccode1[i], al.ccode2[i], al.year[i]);
            if t.is_empty() || a == b {
                continue;
            }
            keys.push((key(a, b, y), t.0));
            if !al.directed {
                keys.push((key(b, a, y), t.0));
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
            kind: Some(al.source),
            keys,
        }
    }

    /// Read a COW v4.1 or ATOP 5.1 dyad-year file with the alliance reader
    /// ([`crate::relations::read_alliances`]: the same rows, checks and errors) as a panel input.
    pub fn read(path: &std::path::Path) -> Result<AllianceYears> {
        Ok(AllianceYears::from_alliances(&crate::relations::read_alliances(path)?))
    }

    /// The types in force from `a` toward `b` in `year` (`None` outside the coverage; empty for
    /// untyped rows).
    pub fn types(&self, a: u16, b: u16, year: i32) -> Option<AllianceTypes> {
        self.coverage.contains(year).then(|| {
            self.keys
                .binary_search_by_key(&key(a, b, year), |k| k.0)
                .map_or(AllianceTypes(0), |i| AllianceTypes(self.keys[i].1))
        })
    }

    /// Is a defense pact in force from `a` toward `b` in `year` (`None` outside the coverage or
    /// when the source has no types)?
    pub fn defense(&self, a: u16, b: u16, year: i32) -> Option<bool> {
        if !self.typed {
            return None;
        }
        self.types(a, b, year).map(|t| t.contains(AllianceType::Defense))
    }

    /// Is an alliance in force from `a` toward `b` in `year` (`None` outside the coverage)?
    pub fn in_force(&self, a: u16, b: u16, year: i32) -> Option<bool> {
        self.coverage.contains(year).then(|| self.keys.binary_search_by_key(&key(a, b, year), |k| k.0).is_ok())
    }

    /// The types this input codes, in column order (none for untyped rows).
    pub fn type_columns(&self) -> &'static [AllianceType] {
        self.kind.map_or(&[], AllianceType::of)
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
    /// The source of the columns being added (`states` for the keys), and of each column.
    source: &'static str,
    sources: Vec<&'static str>,
}

impl Cols {
    fn new() -> Self {
        Cols { fields: vec![], arrays: vec![], source: "states", sources: vec![] }
    }
    fn push(&mut self, name: &str, dt: DataType, nullable: bool, a: ArrayRef) {
        self.fields.push(schema_field(name, dt, nullable));
        self.arrays.push(a);
        self.sources.push(self.source);
    }
    fn i64(&mut self, name: &str, v: Vec<i64>) {
        self.push(name, DataType::Int64, false, Arc::new(Int64Array::from(v)));
    }
    fn f64(&mut self, name: &str, b: Float64Builder) {
        let mut b = b;
        self.push(name, DataType::Float64, true, Arc::new(b.finish()));
    }
    fn bool(&mut self, name: &str, b: BooleanBuilder) {
        let mut b = b;
        self.push(name, DataType::Boolean, true, Arc::new(b.finish()));
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
        self.push(name, DataType::Float64, true, Arc::new(a));
    }
    fn f64_valid(&mut self, name: &str, v: Vec<f64>, valid: &BooleanBufferBuilder) {
        let a = Float64Array::new(v.into(), Some(valid.finish_cloned().into()));
        self.push(name, DataType::Float64, true, Arc::new(a));
    }
    fn bool_valid(&mut self, name: &str, v: &BooleanBufferBuilder, valid: &BooleanBufferBuilder) {
        let a = BooleanArray::new(v.finish_cloned(), Some(valid.finish_cloned().into()));
        self.push(name, DataType::Boolean, true, Arc::new(a));
    }
    fn str(&mut self, name: &str, v: Vec<&str>) {
        self.push(name, DataType::Utf8, false, Arc::new(StringArray::from(v)));
    }
    /// The table, with the sources of its columns and the years each covers in the schema
    /// metadata ([`COVERAGE_META`]).
    fn build_covering(self, coverage: &[(&str, String, Option<Period>)]) -> Result<Table> {
        let json: Vec<String> = coverage
            .iter()
            .map(|(k, name, p)| {
                let columns: Vec<String> = self
                    .fields
                    .iter()
                    .zip(&self.sources)
                    .filter(|(_, s)| **s == *k)
                    .map(|(f, _)| json_str(f.name()))
                    .collect();
                let (start, end) = match p {
                    Some(p) => (p.start.to_string(), p.end.to_string()),
                    None => ("null".to_string(), "null".to_string()),
                };
                format!(
                    "{{\"source\":{k:?},\"dataset\":{},\"start\":{start},\"end\":{end},\"columns\":[{}]}}",
                    json_str(name),
                    columns.join(",")
                )
            })
            .collect();
        let meta = HashMap::from([(COVERAGE_META.to_string(), format!("[{}]", json.join(",")))]);
        RecordBatch::try_new(Arc::new(Schema::new_with_metadata(self.fields, meta)), self.arrays)
            .map(|batch| Table { batch })
            .map_err(|e| Error::invalid(format!("internal error building a panel: {e}")))
    }
}

/// The schema-metadata key of a panel that lists the sources of its columns and the years each
/// covers: a JSON array of `{"source", "dataset", "start", "end", "columns"}` objects, one per
/// source (`states`: the panel's own years and the rule that carries the system past the list;
/// then `majors`, `capabilities`, `milex`, `maddison`, `sdp`, `ideal_points`, `arms`,
/// `alliances`, `alignment` when joined). A source's columns are null in the panel's years
/// outside its span (arms flows: 0 inside the ledger's coverage where nothing was delivered).
/// [`panel_coverage`] reads it back as a table.
pub const COVERAGE_META: &str = "powerbalance.coverage";

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The sources of a panel and the years each covers.
fn coverage_of(sys: &System, joins: Joins<'_>) -> Vec<(&'static str, String, Option<Period>)> {
    let p = sys.period;
    let states = match sys.carried_from {
        Some(c) => format!(
            "COW state system membership (to {}; {c}-{} carried forward: the members of the list's last day)",
            sys.list_end, p.end
        ),
        None => "COW state system membership".to_string(),
    };
    let mut v = vec![("states", states, Some(p))];
    if let Some(m) = joins.majors {
        let note = if sys.carried_from.is_some() { " (carried forward as the state list)" } else { "" };
        v.push((
            "majors",
            format!("COW major powers{note}"),
            spells_coverage(m).ok().map(|c| Period { end: c.end.max(p.end), ..c }),
        ));
    }
    if let Some(c) = joins.capabilities {
        v.push(("capabilities", format!("NMC {}", c.release), Some(c.coverage())));
    }
    if let Some(m) = joins.milex {
        v.push(("milex", "SIPRI Military Expenditure Database".to_string(), Some(m.coverage())));
    }
    if let Some(m) = joins.maddison {
        v.push(("maddison", "Maddison Project Database 2023".to_string(), Some(m.coverage())));
    }
    if let Some(s) = joins.sdp {
        v.push(("sdp", "Anders, Fariss & Markowitz (2020) GDP/SDP, ln(x + 1)".to_string(), Some(s.coverage())));
    }
    if let Some(ip) = joins.ideal_points {
        v.push((
            "ideal_points",
            format!("UN ideal points, Bailey, Strezhnev & Voeten ({})", joins.ideal_point_estimate.column()),
            Some(ip.coverage()),
        ));
    }
    if let Some(l) = joins.ledger {
        let note = if joins.arms_by_category { ", by armament category" } else { "" };
        v.push(("arms", format!("{}{note}", l.dataset()), l.years()));
    }
    if let Some(a) = joins.alliances {
        v.push(("alliances", a.source.clone(), Some(a.coverage)));
    }
    if let Some(a) = joins.alignment {
        let w = joins.capabilities.map_or(String::new(), |c| format!("; weights: NMC {} CINC", c.release));
        v.push(("alignment", format!("{}{w}", a.source), Some(a.coverage)));
    }
    v
}

/// The sources of a panel's columns and the years each covers, from its [`COVERAGE_META`]
/// metadata, as a table `source, dataset, start, end, columns` (`columns`: the panel's columns
/// from that source, comma-separated); `None` when the table has no such metadata.
pub fn panel_coverage(t: &Table) -> Result<Option<Table>> {
    let Some(j) = t.batch.schema().metadata().get(COVERAGE_META).cloned() else { return Ok(None) };
    let bad = |e: &dyn std::fmt::Display| {
        Error::invalid(format!("the table's {COVERAGE_META} metadata is not readable: {e}"))
    };
    let rows: Vec<serde_json::Value> = serde_json::from_str(&j).map_err(|e| bad(&e))?;
    let text = |r: &serde_json::Value, k: &str| r.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
    let int = |r: &serde_json::Value, k: &str| r.get(k).and_then(|x| x.as_i64());
    let cols = |r: &serde_json::Value| {
        r.get("columns")
            .and_then(|x| x.as_array())
            .map(|a| a.iter().filter_map(|c| c.as_str()).collect::<Vec<_>>().join(","))
            .unwrap_or_default()
    };
    crate::table::TableBuilder::new()
        .str("source", rows.iter().map(|r| text(r, "source")).collect())
        .str("dataset", rows.iter().map(|r| text(r, "dataset")).collect())
        .i64_opt("start", rows.iter().map(|r| int(r, "start")).collect())
        .i64_opt("end", rows.iter().map(|r| int(r, "end")).collect())
        .str("columns", rows.iter().map(cols).collect())
        .build()
        .map(Some)
}

#[inline]
fn opt(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

// ---------------------------------------------------------------------------------------------
// panels

/// What a panel is joined with. Each source is one field; every joined column is null outside
/// the source's years (missing is missing, never 0), and the panel's [`COVERAGE_META`] says
/// which source and years each column came from.
#[derive(Clone, Copy, Default)]
pub struct Joins<'a> {
    /// NMC capabilities: CINC (dyad-years: `cinc1, cinc2, cinc_ratio`) or the six components and
    /// CINC (state-years); also the weights of the weighted alignment measures.
    pub capabilities: Option<&'a Capabilities>,
    /// With capabilities, the six NMC components in dyad-years too (`milex1, milex2, ...`).
    pub components: bool,
    /// A dyadic SIPRI ledger: TIV flows.
    pub ledger: Option<&'a Ledger>,
    /// With a ledger, the TIV flows by armament category too: one column per category of
    /// [`crate::metrics::arms_views::CATEGORIES`] (then any spelling no release has used so
    /// far), named as the total with `_<category>` (snake case: `tiv_1to2_air_defence_systems`,
    /// `tiv_imports_ships`). Same missing rule as the totals; the categories sum to the total
    /// where every delivery has a category (a delivery whose row gives none is in the total
    /// only). Needs a release that carries categories (the new-format registers).
    pub arms_by_category: bool,
    /// Alliances in force, with their types.
    pub alliances: Option<&'a AllianceYears>,
    /// The major-power list (state-years only): a `major` flag.
    pub majors: Option<&'a Spells>,
    /// SIPRI military expenditure: `sipri_milex_constant` (millions of constant US$ of the
    /// release's base year), `sipri_milex_current` (millions of current US$), `sipri_milex_share_gdp`
    /// (a fraction).
    pub milex: Option<&'a Milex>,
    /// Maddison Project: `maddison_gdp` (2011 int'l $, `gdppc * pop * 1000`), `maddison_gdppc`,
    /// `maddison_pop` (thousands).
    pub maddison: Option<&'a Maddison>,
    /// Anders, Fariss & Markowitz (2020) estimates, as published: logs, `ln(x + 1)`:
    /// `ln_gdp, ln_pop, ln_sdp, ln_gdppc` (2011 PPP US$, persons).
    pub sdp: Option<&'a SdpGdp>,
    /// UN General Assembly ideal points: `ideal_point` (state-years); `ideal_point1,
    /// ideal_point2, ideal_point_distance` (dyad-years, `|θ1 − θ2|`).
    pub ideal_points: Option<&'a IdealPoints>,
    /// Which ideal-point estimate (default: final-passage votes).
    pub ideal_point_estimate: IdealPointEstimate,
    /// Alliance portfolios for the alignment measures (dyad-years: every column of
    /// [`ALIGNMENT_COLUMNS`]; the system is the panel's members of the year, weights their CINC
    /// when `capabilities` is given).
    pub alignment: Option<&'a AllianceYears>,
    /// The distance of the valued alignment measures (default: absolute, S&R's).
    pub distance: Distance,
}

/// How a panel is built: its years, the direction of dyads, the state system past the list and
/// the false-dyad rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelOptions {
    /// The years (default: the state list's coverage).
    pub period: Option<Period>,
    /// Dyad-years: both orders of each pair (true, the default) or `ccode1 < ccode2`.
    pub directed: bool,
    /// Past the list's last year, carry its last day's members forward (peacesciencer's `mry`):
    /// `None` (the default) does when the period asks for it, `Some(false)` makes such a period
    /// an error.
    pub carry_forward: Option<bool>,
    /// Keep false dyads: two states that are members in the same year but never on the same day
    /// (default false: they are dropped, as peacesciencer does).
    pub false_dyads: bool,
}

impl Default for PanelOptions {
    fn default() -> Self {
        PanelOptions { period: None, directed: true, carry_forward: None, false_dyads: false }
    }
}

/// State-level measures of the joins, as dense `(state, year)` arrays (NaN for missing), named
/// and tagged with their source.
fn state_measures(
    sys: &System, joins: Joins<'_>, all_components: bool,
) -> Result<Vec<(String, &'static str, Vec<f64>)>> {
    let mut v = vec![];
    if let Some(caps) = joins.capabilities {
        if all_components {
            for c in Component::ALL {
                v.push((c.name().to_string(), "capabilities", sys.dense(caps, Measure::Component(c))));
            }
        }
    }
    if let Some(m) = joins.milex {
        for s in MilexSeries::ALL {
            v.push((format!("sipri_milex_{}", s.name()), "milex", sys.dense_by(|c, y| m.value(c, y, s))));
        }
    }
    if let Some(m) = joins.maddison {
        let reg = ActorRegistry::builtin();
        for e in [EconMeasure::Gdp, EconMeasure::GdpPerCapita, EconMeasure::Population] {
            let mut err = None;
            let d = sys.dense_by(|c, y| match m.value_cow(reg, c, y, e) {
                Ok(x) => x,
                Err(x) => {
                    err.get_or_insert(x);
                    None
                }
            });
            if let Some(e) = err {
                return Err(e);
            }
            v.push((format!("maddison_{}", e.name()), "maddison", d));
        }
    }
    if let Some(s) = joins.sdp {
        for e in [EconMeasure::Gdp, EconMeasure::Population, EconMeasure::Sdp, EconMeasure::GdpPerCapita] {
            // The published values: ln(x + 1) to 3 decimals (the reader keeps exp(v) − 1).
            let ln = |x: f64| (x.ln_1p() * 1000.0).round() / 1000.0;
            v.push((format!("ln_{}", e.name()), "sdp", sys.dense_by(|c, y| s.value(c, y, e).map(ln))));
        }
    }
    if let Some(ip) = joins.ideal_points {
        let e = joins.ideal_point_estimate;
        v.push(("ideal_point".to_string(), "ideal_points", sys.dense_by(|c, y| ip.value(c, y, e))));
    }
    Ok(v)
}

/// State-years: every COW system member in every year of `period` (default: the list's
/// coverage), as peacesciencer's `create_stateyears` (Miller 2022), with the default
/// [`PanelOptions`] (the system carried forward past the list when the period asks for it).
pub fn state_years(states: &Spells, joins: Joins<'_>, period: Option<Period>) -> Result<Table> {
    state_years_with(states, joins, PanelOptions { period, ..PanelOptions::default() })
}

/// `arms_by_category` asks for a ledger.
fn check_arms_by_category(joins: Joins<'_>) -> Result<()> {
    if joins.arms_by_category && joins.ledger.is_none() {
        return Err(Error::invalid("arms_by_category needs a ledger: pass one (a new-format SIPRI register)"));
    }
    Ok(())
}

/// State-years with explicit options (`directed` and `false_dyads` do not apply).
///
/// Columns: `ccode, stateabb, year`; `carried` when the period reaches past the state list (true
/// in the years whose membership is carried forward); with majors `major` (COW major power at
/// any time in the year; carried forward like the state list); with capabilities `milex, milper,
/// irst, pec, tpop, upop, cinc` (NMC as published, null where missing); with military
/// expenditure, Maddison, the AFM estimates and ideal points their columns ([`Joins`]); with a
/// ledger `tiv_exports, tiv_imports` (TIV the state delivered to, and received from, anyone in
/// the year, non-state actors and unknown parties included; 0 inside the ledger's span, null
/// outside) and, with `arms_by_category`, `tiv_exports_<category>` for every category then
/// `tiv_imports_<category>` ([`Joins::arms_by_category`]); with alliances `n_allies` (states the state has an alliance with, or, for a
/// directed source, toward; null outside the source's coverage).
pub fn state_years_with(states: &Spells, joins: Joins<'_>, opts: PanelOptions) -> Result<Table> {
    let sys = System::new(states, opts.period, opts.carry_forward)?;
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
    if sys.carried_from.is_some() {
        let mut b = BooleanBuilder::with_capacity(n);
        for &(_, t) in &rows {
            b.append_value(sys.is_carried(p.start + t as i32));
        }
        cols.bool("carried", b);
    }
    if let Some(m) = joins.majors {
        if m.kind != SpellKind::Majors {
            return Err(Error::invalid("majors must be the COW major-power list (majors2016.csv)"));
        }
        let last = spells_coverage(m)?.end;
        let carried = carried_members(m);
        cols.source = "majors";
        let mut b = BooleanBuilder::with_capacity(n);
        for &(i, t) in &rows {
            let (c, y) = (sys.ccodes[i], p.start + t as i32);
            b.append_value(if y > last { carried.binary_search(&c).is_ok() } else { m.is_member(c, y) });
        }
        cols.bool("major", b);
    }
    if let Some(caps) = joins.capabilities {
        cols.source = "capabilities";
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
    for (name, source, d) in state_measures(&sys, joins, false)? {
        cols.source = source;
        let mut b = Float64Builder::with_capacity(n);
        for &(i, t) in &rows {
            b.append_option(opt(d[i * ny + t]));
        }
        cols.f64(&name, b);
    }
    check_arms_by_category(joins)?;
    if let Some(l) = joins.ledger {
        cols.source = "arms";
        let reg = &l.registry;
        let arms = arms_columns(l, joins.arms_by_category)?;
        let cats = entry_cats(l, joins.arms_by_category)?;
        // Keyed by (state, year, column): column 0 the total, 1 + k category k.
        let mut ex: HashMap<(u16, i32, usize), f64> = HashMap::new();
        let mut im: HashMap<(u16, i32, usize), f64> = HashMap::new();
        for e in 0..l.len() {
            let y = l.year[e];
            let c = cats.get(e).copied().flatten().map(|k| k + 1);
            for (m, who) in [(&mut ex, l.supplier[e]), (&mut im, l.recipient[e])] {
                if let Some(s) = sipri_ccode(reg, who, y) {
                    *m.entry((s, y, 0)).or_insert(0.0) += l.tiv[e];
                    if let Some(c) = c {
                        *m.entry((s, y, c)).or_insert(0.0) += l.tiv[e];
                    }
                }
            }
        }
        let span = l.years();
        for (name, m) in [("tiv_exports", &ex), ("tiv_imports", &im)] {
            for (col, (suffix, k)) in arms.iter().enumerate() {
                debug_assert_eq!(col, k.map_or(0, |k| k + 1));
                let mut b = Float64Builder::with_capacity(n);
                for &(i, t) in &rows {
                    let y = p.start + t as i32;
                    b.append_option(
                        span.filter(|s| s.contains(y)).map(|_| m.get(&(sys.ccodes[i], y, col)).copied().unwrap_or(0.0)),
                    );
                }
                cols.f64(&format!("{name}{suffix}"), b);
            }
        }
    }
    if let Some(a) = joins.alliances {
        cols.source = "alliances";
        let mut count: HashMap<(u16, i32), i64> = HashMap::new();
        for &(k, _) in &a.keys {
            let (c1, c2, y) = unkey(k);
            if sys.is_member(c2, y) {
                *count.entry((c1, y)).or_insert(0) += 1;
            }
        }
        let v: Vec<Option<i64>> = rows
            .iter()
            .map(|&(i, t)| {
                let y = p.start + t as i32;
                a.coverage.contains(y).then(|| count.get(&(sys.ccodes[i], y)).copied().unwrap_or(0))
            })
            .collect();
        cols.push("n_allies", DataType::Int64, true, Arc::new(Int64Array::from(v)));
    }
    if joins.alignment.is_some() {
        return Err(Error::invalid("alignment is a dyadic measure: join it to dyad-years"));
    }
    cols.build_covering(&coverage_of(&sys, joins))
}

/// Dyad-years: every pair of COW system members in every year of `period` (default: the list's
/// coverage), directed (both orders) or undirected (`ccode1 < ccode2`), as peacesciencer's
/// `create_dyadyears` (Miller 2022), with the default [`PanelOptions`]: false dyads dropped, the
/// system carried forward past the list when the period asks for it.
pub fn dyad_years(states: &Spells, joins: Joins<'_>, directed: bool, period: Option<Period>) -> Result<Table> {
    dyad_years_with(states, joins, PanelOptions { period, directed, ..PanelOptions::default() })
}

/// Dyad-years with explicit options ([`PanelOptions`]).
///
/// Columns: `ccode1, ccode2, year`; `carried` when the period reaches past the state list; with
/// capabilities `cinc1, cinc2, cinc_ratio` (`cinc1 / cinc2`, NMC as published; Singer, Bremer &
/// Stuckey 1972) and, with `components`, `milex1, milex2, ..., upop1, upop2`; with military
/// expenditure, Maddison, the AFM estimates and ideal points their state columns with suffixes
/// `1` and `2` ([`Joins`]), and `ideal_point_distance`; with a ledger `tiv_1to2, tiv_2to1`
/// (SIPRI TIV, millions, delivered from ccode1 to ccode2 and back; 0 inside the ledger's span,
/// null outside; mapping rules in [`sipri_ccode`]) and, with `arms_by_category`,
/// `tiv_1to2_<category>` for every category then `tiv_2to1_<category>`
/// ([`Joins::arms_by_category`]); with alliances `alliance` and, for COW or
/// ATOP data, one flag per type of the source (COW `defense, neutrality, nonaggression,
/// entente`; ATOP `defense, offense, neutrality, nonaggression, consultation`; ATOP: ccode1's
/// obligations toward ccode2); with alignment the columns of [`ALIGNMENT_COLUMNS`] (null outside
/// the alliance source's years). Rows are ordered by `ccode1, ccode2, year`.
///
/// False dyads: a pair of members of a year that never share a day of membership in it (COW
/// dates; e.g. Suriname from 25 November 1975 and South Vietnam to 30 April 1975) is dropped
/// unless `false_dyads` is set.
pub fn dyad_years_with(states: &Spells, joins: Joins<'_>, opts: PanelOptions) -> Result<Table> {
    let directed = opts.directed;
    let sys = System::new(states, opts.period, opts.carry_forward)?;
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
    let measures = state_measures(&sys, joins, joins.components)?;
    check_arms_by_category(joins)?;
    // The totals, then one flow per category (with arms_by_category).
    let flows: Vec<(String, Flows)> = match joins.ledger {
        Some(l) => {
            let cats = entry_cats(l, joins.arms_by_category)?;
            arms_columns(l, joins.arms_by_category)?
                .into_iter()
                .map(|(suffix, k)| Ok((suffix, Flows::new(l, |e| k.is_none() || cats[e] == k)?)))
                .collect::<Result<_>>()?
        }
        None => vec![],
    };
    let alliances = joins.alliances;
    let portfolios = joins.alignment.map(|a| portfolios_by_year(&sys, a, cinc.as_deref())).transpose()?;

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
    let mut v_meas: Vec<(Vec<f64>, Vec<f64>)> =
        measures.iter().map(|_| (Vec::with_capacity(n), Vec::with_capacity(n))).collect();
    let with_arms = !flows.is_empty();
    // Per flow: its values both ways and its merge positions in `fwd` and `rev`.
    let mut v_arms: Vec<(Vec<f64>, Vec<f64>, usize, usize)> =
        flows.iter().map(|_| (Vec::with_capacity(n), Vec::with_capacity(n), 0, 0)).collect();
    let mut n_arms = BooleanBufferBuilder::new(cap_n(with_arms));
    let with_al = alliances.is_some();
    let types: &[AllianceType] = alliances.map_or(&[], |a| a.type_columns());
    let mut b_al = BooleanBufferBuilder::new(cap_n(with_al));
    let mut n_al = BooleanBufferBuilder::new(cap_n(with_al));
    let mut b_types: Vec<BooleanBufferBuilder> = types.iter().map(|_| BooleanBufferBuilder::new(n)).collect();
    let with_carried = sys.carried_from.is_some();
    let mut b_carried = BooleanBufferBuilder::new(cap_n(with_carried));
    let mut v_align: Vec<Vec<Option<f64>>> =
        if portfolios.is_some() { ALIGNMENT_COLUMNS.iter().map(|_| Vec::with_capacity(n)).collect() } else { vec![] };

    let span = flows.first().and_then(|(_, f)| f.span);
    let mut pos_a = 0usize;
    let no_keys: [(u64, u8); 0] = [];
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
    let carried_t = offsets(sys.carried_from.map(|c| Period { start: c, end: p.end }));
    // The part of the run [t0, t1) inside [s0, s1).
    let clip = |t0: usize, t1: usize, (s0, s1): (usize, usize)| -> (usize, usize) {
        let u0 = s0.clamp(t0, t1);
        (u0, s1.clamp(u0, t1))
    };
    let no_cinc: Vec<f64> = vec![];
    let d = cinc.as_deref().unwrap_or(&no_cinc[..]);
    let mut dropped = 0usize;

    let nst = sys.ccodes.len();
    let mut runs: Vec<(usize, usize)> = vec![];
    for i in 0..nst {
        let a = sys.ccodes[i];
        for j in 0..nst {
            if i == j || (!directed && j < i) {
                continue;
            }
            let b = sys.ccodes[j];
            // The years both are members: the intersection of their runs, less false dyads.
            let (ri, rj) = (&sys.runs[i], &sys.runs[j]);
            let (mut x, mut z) = (0, 0);
            runs.clear();
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
                let false_years = if opts.false_dyads { vec![] } else { sys.false_years(i, j, t0, t1) };
                dropped += false_years.len();
                let mut s0 = t0;
                for f in false_years {
                    if s0 < f {
                        runs.push((s0, f));
                    }
                    s0 = f + 1;
                }
                if s0 < t1 {
                    runs.push((s0, t1));
                }
            }
            for &(t0, t1) in &runs {
                let len = t1 - t0;
                let y_at = |t: usize| p.start + t as i32;
                let base = c1v.len();
                c1v.extend(std::iter::repeat(a as i64).take(len));
                c2v.extend(std::iter::repeat(b as i64).take(len));
                yv.extend((t0..t1).map(|t| y_at(t) as i64));
                if with_carried {
                    let (u0, _) = clip(t0, t1, carried_t);
                    b_carried.append_n(u0 - t0, false);
                    b_carried.append_n(t1 - u0, true);
                }
                if with_caps {
                    let (s1, s2) = (&d[i * ny + t0..i * ny + t1], &d[j * ny + t0..j * ny + t1]);
                    v_c1.extend_from_slice(s1);
                    v_c2.extend_from_slice(s2);
                    v_r.extend(s1.iter().zip(s2).map(|(x1, x2)| if *x2 != 0.0 { x1 / x2 } else { f64::NAN }));
                }
                for ((_, _, dm), (o1, o2)) in measures.iter().zip(v_meas.iter_mut()) {
                    o1.extend_from_slice(&dm[i * ny + t0..i * ny + t1]);
                    o2.extend_from_slice(&dm[j * ny + t0..j * ny + t1]);
                }
                if with_arms {
                    let (u0, u1) = clip(t0, t1, span_t);
                    n_arms.append_n(u0 - t0, false);
                    n_arms.append_n(u1 - u0, true);
                    n_arms.append_n(t1 - u1, false);
                    for ((_, f), (v_12, v_21, pos_f, pos_r)) in flows.iter().zip(v_arms.iter_mut()) {
                        v_12.resize(base + len, 0.0);
                        v_21.resize(base + len, 0.0);
                        if u0 < u1 {
                            let (k0, k1) = (key(a, b, y_at(u0)), key(a, b, y_at(u1)));
                            for (list, pos, out) in [(&f.fwd, pos_f, v_12), (&f.rev, pos_r, v_21)] {
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
                }
                if with_al {
                    let (u0, u1) = clip(t0, t1, cov_t);
                    n_al.append_n(u0 - t0, false);
                    n_al.append_n(u1 - u0, true);
                    n_al.append_n(t1 - u1, false);
                    b_al.append_n(len, false);
                    for bt in b_types.iter_mut() {
                        bt.append_n(len, false);
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
                            let ty = AllianceTypes(al_keys[pos_a].1);
                            for (bt, &t) in b_types.iter_mut().zip(types) {
                                if ty.contains(t) {
                                    bt.set_bit(at, true);
                                }
                            }
                            pos_a += 1;
                        }
                    }
                }
                if let Some(pf) = &portfolios {
                    for f in &pf[t0..t1] {
                        let v = f.as_ref().and_then(|f| f.scores(i, j, joins.distance)).map(|s| s.values());
                        for (k, col) in v_align.iter_mut().enumerate() {
                            col.push(v.and_then(|v| v[k]));
                        }
                    }
                }
            }
        }
    }
    debug_assert_eq!(c1v.len() + if opts.false_dyads { 0 } else { dropped }, n);

    let mut cols = Cols::new();
    cols.i64("ccode1", c1v);
    cols.i64("ccode2", c2v);
    cols.i64("year", yv);
    if with_carried {
        cols.push("carried", DataType::Boolean, false, Arc::new(BooleanArray::new(b_carried.finish(), None)));
    }
    if with_caps {
        cols.source = "capabilities";
        cols.f64_nan("cinc1", v_c1);
        cols.f64_nan("cinc2", v_c2);
        cols.f64_nan("cinc_ratio", v_r);
    }
    for ((name, source, _), (o1, o2)) in measures.iter().zip(v_meas) {
        cols.source = source;
        if *source == "ideal_points" {
            let dist: Vec<f64> = o1.iter().zip(&o2).map(|(x, y)| (x - y).abs()).collect();
            cols.f64_nan(&format!("{name}1"), o1);
            cols.f64_nan(&format!("{name}2"), o2);
            cols.f64_nan("ideal_point_distance", dist);
        } else {
            cols.f64_nan(&format!("{name}1"), o1);
            cols.f64_nan(&format!("{name}2"), o2);
        }
    }
    if with_arms {
        cols.source = "arms";
        let mut back = Vec::with_capacity(flows.len());
        for ((suffix, _), (v_12, v_21, _, _)) in flows.iter().zip(v_arms) {
            cols.f64_valid(&format!("tiv_1to2{suffix}"), v_12, &n_arms);
            back.push((format!("tiv_2to1{suffix}"), v_21));
        }
        for (name, v_21) in back {
            cols.f64_valid(&name, v_21, &n_arms);
        }
    }
    if with_al {
        cols.source = "alliances";
        cols.bool_valid("alliance", &b_al, &n_al);
        for (bt, t) in b_types.iter().zip(types) {
            cols.bool_valid(t.name(), bt, &n_al);
        }
    }
    if portfolios.is_some() {
        cols.source = "alignment";
        for (name, v) in ALIGNMENT_COLUMNS.iter().zip(v_align) {
            cols.push(name, DataType::Float64, true, Arc::new(Float64Array::from(v)));
        }
    }
    cols.build_covering(&coverage_of(&sys, joins))
}

/// The alliance portfolios of each panel year inside the source's coverage (`None` outside):
/// the system is the panel's members of the year, indexed as the panel's states; the weights
/// their CINC (NaN: no weight) when given.
fn portfolios_by_year(sys: &System, a: &AllianceYears, cinc: Option<&[f64]>) -> Result<Vec<Option<Portfolios>>> {
    if !a.typed {
        return Err(Error::invalid(
            "alignment needs alliance types (COW or ATOP data: AllianceYears::from_alliances or read), not untyped rows",
        ));
    }
    let p = sys.period;
    let ny = p.len();
    let nst = sys.ccodes.len();
    let mut rows: Vec<Vec<(usize, usize, u8)>> = vec![vec![]; ny];
    for &(k, bits) in &a.keys {
        let (c1, c2, y) = unkey(k);
        if !p.contains(y) {
            continue;
        }
        if let (Some(i), Some(j)) = (sys.index(c1), sys.index(c2)) {
            rows[(y - p.start) as usize].push((i, j, AllianceTypes(bits).level()));
        }
    }
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(t, r)| {
            a.coverage.contains(p.start + t as i32).then(|| {
                let w = cinc.map(|d| move |i: usize| opt(d[i * ny + t]));
                match &w {
                    Some(f) => Portfolios::new(nst, sys.members_at(t), r, Some(f)),
                    None => Portfolios::new(nst, sys.members_at(t), r, None),
                }
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capabilities::{parse_nmc, parse_spells};
    use crate::ledger::{Coverage, NO_DEAL};
    use crate::metrics::alignment::alignment_scores;

    const CATEGORIES_SNAKE: [&str; 11] = [
        "aircraft",
        "air_defence_systems",
        "armoured_vehicles",
        "artillery",
        "engines",
        "missiles",
        "naval_weapons",
        "satellites",
        "sensors",
        "ships",
        "other",
    ];
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
        let joins = Joins { capabilities: Some(&caps), alliances: Some(&al), ..Joins::default() };
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
    fn arms_flows_by_category() {
        use crate::deals::Deal;
        let reg = Arc::new(ActorRegistry::builtin().clone());
        let id = |n: &str| reg.resolve(n).unwrap();
        let states = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
USA,2,United States of America,1816,1,1,2018,12,31,2016
RUS,365,Russia,1816,1,1,2018,12,31,2016
CHN,710,China,1950,1,1,2018,12,31,2016";
        let s = parse_spells(states, Path::new("s.csv"), SpellKind::States).unwrap();
        let mut l = Ledger::empty(reg.clone(), Coverage::Dyadic);
        let deal = |c: &str| Deal { category: c.into(), ..Deal::default() };
        let deals = vec![deal("Aircraft"), deal("Air-defence systems"), deal("Air defence systems"), deal("")];
        l.push(id("Russia"), id("China"), 2016, 100.0, 0);
        l.push(id("Russia"), id("China"), 2016, 30.0, 1);
        l.push(id("Russia"), id("China"), 2017, 20.0, 2); // another spelling, one column
        l.push(id("Russia"), id("China"), 2017, 5.0, 3); // no category: in the total only
        l.push(id("China"), id("Russia"), 2017, 7.0, 0);
        l.push(id("Russia"), id("Hezbollah (Lebanon)*"), 2016, 4.0, 1); // exports, not a dyad
        l.push(id("United States"), id("Russia"), 2016, 9.0, NO_DEAL);
        let p = Some(Period { start: 2015, end: 2018 });

        // A ledger without categories: the error names a release that has them.
        let no_cat = Joins { ledger: Some(&l), arms_by_category: true, ..Joins::default() };
        let e = dyad_years(&s, no_cat, true, p).err().unwrap().to_string();
        assert!(e.contains("arms_by_category") && e.contains("register_newformat_2024"), "{e}");
        let e = state_years(&s, Joins { ledger: None, ..no_cat }, p).err().unwrap().to_string();
        assert!(e.contains("needs a ledger"), "{e}");

        l.deals = Arc::new(deals.into());
        // The ledger's years: 2016-2017 (the years of its entries).
        let joins = Joins { ledger: Some(&l), arms_by_category: true, ..Joins::default() };
        let d = dyad_years(&s, joins, true, p).unwrap();
        let names = d.column_names();
        let cats: Vec<String> = CATEGORIES_SNAKE.iter().map(|c| c.to_string()).collect();
        let mut expect = vec!["ccode1", "ccode2", "year", "tiv_1to2"].into_iter().map(String::from).collect::<Vec<_>>();
        expect.extend(cats.iter().map(|c| format!("tiv_1to2_{c}")));
        expect.push("tiv_2to1".into());
        expect.extend(cats.iter().map(|c| format!("tiv_2to1_{c}")));
        assert_eq!(names, expect);
        let (c1, c2, y) = (col_i(&d, "ccode1"), col_i(&d, "ccode2"), col_i(&d, "year"));
        let at = |a: i64, b: i64, yr: i64| (0..d.num_rows()).find(|&i| c1[i] == a && c2[i] == b && y[i] == yr).unwrap();
        let f = |c: &str, i: usize| d.f64s(c).unwrap()[i];
        let (rc16, rc17, cr17) = (at(365, 710, 2016), at(365, 710, 2017), at(710, 365, 2017));
        assert_eq!(f("tiv_1to2", rc16), Some(130.0));
        assert_eq!(f("tiv_1to2_aircraft", rc16), Some(100.0));
        assert_eq!(f("tiv_1to2_air_defence_systems", rc16), Some(30.0));
        assert_eq!(f("tiv_1to2_ships", rc16), Some(0.0));
        assert_eq!(f("tiv_1to2", rc17), Some(25.0));
        assert_eq!(f("tiv_1to2_air_defence_systems", rc17), Some(20.0));
        assert_eq!(f("tiv_2to1_aircraft", rc17), Some(7.0));
        assert_eq!(f("tiv_1to2_aircraft", cr17), Some(7.0));
        assert_eq!(f("tiv_2to1_air_defence_systems", cr17), Some(20.0));
        // Outside the ledger's years: null, as the total.
        assert_eq!(f("tiv_1to2_aircraft", at(365, 710, 2015)), None);
        assert_eq!(f("tiv_2to1_sensors", at(365, 710, 2018)), None);
        // A delivery without a category stays in the total only; the untyped US delivery too.
        assert_eq!(f("tiv_2to1", at(365, 2, 2016)), Some(9.0));
        assert!(cats.iter().all(|c| f(&format!("tiv_2to1_{c}"), at(365, 2, 2016)) == Some(0.0)));
        // The sources table names the category columns.
        let cov = panel_coverage(&d).unwrap().unwrap();
        let src = cov.strings("source").unwrap();
        let arms = src.iter().position(|x| x.as_deref() == Some("arms")).unwrap();
        let listed = cov.strings("columns").unwrap()[arms].clone().unwrap();
        assert!(listed.contains("tiv_1to2_air_defence_systems") && listed.contains("tiv_2to1_other"), "{listed}");
        assert!(cov.strings("dataset").unwrap()[arms].as_deref().unwrap().ends_with("by armament category"));

        // State-years: exports and imports by category.
        let t = state_years(&s, joins, p).unwrap();
        let (cc, yy) = (col_i(&t, "ccode"), col_i(&t, "year"));
        let row = |c: i64, yr: i64| (0..t.num_rows()).find(|&i| cc[i] == c && yy[i] == yr).unwrap();
        let g = |c: &str, i: usize| t.f64s(c).unwrap()[i];
        let ru16 = row(365, 2016);
        assert_eq!(g("tiv_exports", ru16), Some(134.0));
        assert_eq!(g("tiv_exports_air_defence_systems", ru16), Some(34.0));
        assert_eq!(g("tiv_imports", ru16), Some(9.0));
        assert_eq!(g("tiv_imports_aircraft", ru16), Some(0.0));
        assert_eq!(g("tiv_imports_aircraft", row(365, 2017)), Some(7.0));
        assert_eq!(g("tiv_imports_aircraft", row(365, 2015)), None);
        let snames = t.column_names();
        let first = snames.iter().position(|c| c == "tiv_exports").unwrap();
        assert_eq!(snames[first + 1], "tiv_exports_aircraft");
        assert_eq!(snames[first + 1 + cats.len()], "tiv_imports");
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
    fn read_is_the_alliance_reader() {
        let text = "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,2000,1,0,0,0\n2,200,2000,0,0,0,1\n211,220,1832,0,0,0,0\n";
        let dir = std::env::temp_dir().join(format!("pb_panels_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("cow.csv");
        std::fs::write(&p, text).unwrap();
        let a = AllianceYears::read(&p).unwrap();
        assert_eq!(a.defense(20, 2, 2000), Some(true));
        assert_eq!(a.in_force(200, 2, 2000), Some(true));
        assert!(a.types(2, 200, 2000).unwrap().contains(AllianceType::Entente));
        assert_eq!(a.in_force(211, 220, 1832), Some(false));
        assert_eq!(a.type_columns().len(), 4);
        // A repeated dyad-year is the alliance reader's error (line and column), not merged.
        std::fs::write(&p, format!("{text}2,20,2000,0,1,0,0\n")).unwrap();
        assert!(matches!(AllianceYears::read(&p), Err(Error::Parse { line: 5, .. })), "{:?}", AllianceYears::read(&p));
        std::fs::write(&p, "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,2000,1,0,2,0\n")
            .unwrap();
        assert!(matches!(AllianceYears::read(&p), Err(Error::Parse { line: 2, column: 6, .. })));
        std::fs::write(&p, "a,b\n1,2\n").unwrap();
        assert!(matches!(AllianceYears::read(&p), Err(Error::Format { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn carried_forward_past_the_list() {
        let s = states();
        // The list ends 2002-12-31; A, B and C (its second spell) are members that day.
        assert_eq!(carried_members(&s), vec![1, 2, 3]);
        let p = Some(Period { start: 2001, end: 2004 });
        let t = state_years(&s, Joins::default(), p).unwrap();
        assert_eq!(col_i(&t, "ccode"), vec![1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
        let carried: Vec<Option<bool>> =
            t.column("carried").unwrap().as_any().downcast_ref::<BooleanArray>().unwrap().iter().collect();
        assert_eq!(carried[..4], [Some(false), Some(false), Some(true), Some(true)]);
        let d = dyad_years(&s, Joins::default(), false, p).unwrap();
        // 2001 {1,2}; 2002 {1,2,3}; 2003, 2004 {1,2,3}: 1 + 3 + 3 + 3.
        assert_eq!(d.num_rows(), 10);
        let cov = panel_coverage(&d).unwrap().unwrap();
        assert!(cov.strings("dataset").unwrap()[0].as_deref().unwrap().contains("2003-2004 carried forward"));
        // Entirely past the list, and refused when carrying is off.
        assert_eq!(state_years(&s, Joins::default(), Some(Period { start: 2010, end: 2010 })).unwrap().num_rows(), 3);
        let off = PanelOptions { period: p, carry_forward: Some(false), ..PanelOptions::default() };
        assert!(state_years_with(&s, Joins::default(), off).is_err());
        assert!(dyad_years_with(&s, Joins::default(), off).is_err());
        // Within the list, no `carried` column: the panel is as before.
        let t = state_years(&s, Joins::default(), None).unwrap();
        assert!(t.column("carried").is_err());
    }

    #[test]
    fn false_dyads_are_dropped_by_default() {
        // As Suriname (from 25 November 1975) and South Vietnam (to 30 April 1975).
        let text = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
AAA,1,A,1970,1,1,1980,12,31,2016
SUR,115,Suriname,1975,11,25,1980,12,31,2016
RVN,817,Republic of Vietnam,1954,6,4,1975,4,30,2016
BBB,2,B,1975,5,1,1975,11,24,2016";
        let s = parse_spells(text, Path::new("s.csv"), SpellKind::States).unwrap();
        let p = Period { start: 1975, end: 1975 };
        let keep = PanelOptions { period: Some(p), directed: false, false_dyads: true, ..PanelOptions::default() };
        let all = dyad_years_with(&s, Joins::default(), keep).unwrap();
        assert_eq!(all.num_rows(), 6);
        let d = dyad_years_with(&s, Joins::default(), PanelOptions { false_dyads: false, ..keep }).unwrap();
        // SUR-RVN, SUR-B (B ends the day before SUR starts) and B-RVN (B starts after RVN ends) go.
        let pairs: Vec<(i64, i64)> = col_i(&d, "ccode1").into_iter().zip(col_i(&d, "ccode2")).collect();
        assert_eq!(pairs, vec![(1, 2), (1, 115), (1, 817)]);
        let directed = dyad_years_with(&s, Joins::default(), PanelOptions { directed: true, ..keep }).unwrap();
        assert_eq!(directed.num_rows(), 12);
        assert_eq!(dyad_years(&s, Joins::default(), true, Some(p)).unwrap().num_rows(), 6);
        // A spell that ends and one that starts on the same day share it.
        let sys = System::new(&s, Some(p), None).unwrap();
        let (b, sur) = (sys.index(2).unwrap(), sys.index(115).unwrap());
        assert!(!sys.share_a_day(b, sur, 1975));
        assert!(sys.share_a_day(sys.index(1).unwrap(), sur, 1975));
    }

    #[test]
    fn state_measures_join_with_nulls_outside_their_years() {
        let s = states();
        let ip = crate::relations::parse_ideal_points(
            "ccode,year,idealpointfp\n1,2001,1.5\n2,2001,-0.5\n1,2002,1.0\n",
            Path::new("i.csv"),
        )
        .unwrap();
        let sdp = crate::gdp::parse_sdp_gdp(
            "ccode,year,wbgdp2011est,wbpopest,sdpest,wbgdppc2011est\n1,2001,25.123,16.5,24.001,8.62\n",
            Path::new("g.csv"),
        )
        .unwrap();
        let joins = Joins { ideal_points: Some(&ip), sdp: Some(&sdp), ..Joins::default() };
        let p = Some(Period { start: 2000, end: 2003 });
        let t = state_years(&s, joins, p).unwrap();
        // rows: A 2000-2003, B 2001-2003, C 2000, 2002, 2003.
        let ipv = t.f64s("ideal_point").unwrap();
        assert_eq!(ipv[..4], [None, Some(1.5), Some(1.0), None]);
        // The AFM logs as published.
        assert_eq!(t.f64s("ln_gdp").unwrap()[1], Some(25.123));
        assert_eq!(t.f64s("ln_gdppc").unwrap()[1], Some(8.62));
        let d = dyad_years(&s, joins, true, p).unwrap();
        let (c1, c2, y) = (col_i(&d, "ccode1"), col_i(&d, "ccode2"), col_i(&d, "year"));
        let at = |a: i64, b: i64, yr: i64| (0..d.num_rows()).find(|&i| c1[i] == a && c2[i] == b && y[i] == yr).unwrap();
        let dist = d.f64s("ideal_point_distance").unwrap();
        assert_eq!(dist[at(1, 2, 2001)], Some(2.0));
        assert_eq!(dist[at(1, 2, 2002)], None, "B has no ideal point in 2002");
        assert_eq!(d.f64s("ideal_point2").unwrap()[at(2, 1, 2001)], Some(1.5));
        assert_eq!(d.f64s("ln_sdp1").unwrap()[at(1, 2, 2001)], Some(24.001));
        // The sources table names each source's columns and years.
        let cov = panel_coverage(&d).unwrap().unwrap();
        let src = cov.strings("source").unwrap();
        let cols = cov.strings("columns").unwrap();
        let k = src.iter().position(|x| x.as_deref() == Some("ideal_points")).unwrap();
        assert_eq!(cols[k].as_deref(), Some("ideal_point1,ideal_point2,ideal_point_distance"));
        assert_eq!(cov.i64s("start").unwrap()[k], Some(2001));
    }

    #[test]
    fn alliance_types_and_alignment_in_the_panel() {
        let s = states();
        let al = crate::relations::parse_alliances(
            "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul
1,2,2002,1,0,0,0,0
2,1,2002,0,0,0,0,1
1,3,2002,0,0,1,0,0
",
            Path::new("a.csv"),
        )
        .unwrap();
        let ay = AllianceYears::from_alliances(&al);
        let caps = parse_nmc(NMC, Path::new("n.csv")).unwrap();
        let joins = Joins { alliances: Some(&ay), alignment: Some(&ay), capabilities: Some(&caps), ..Joins::default() };
        let d = dyad_years(&s, joins, true, Some(Period { start: 2002, end: 2002 })).unwrap();
        assert_eq!(col_i(&d, "ccode1"), vec![1, 1, 2, 2, 3, 3]);
        let flag = |c: &str| -> Vec<Option<bool>> {
            d.column(c).unwrap().as_any().downcast_ref::<BooleanArray>().unwrap().iter().collect()
        };
        assert_eq!(flag("defense"), vec![Some(true), Some(false), Some(false), Some(false), Some(false), Some(false)]);
        assert_eq!(flag("consultation")[2], Some(true));
        assert_eq!(flag("neutrality")[1], Some(true));
        // Portfolios over members {1, 2, 3}: x1 = (3, 3, 2), x2 = (1, 3, 0), x3 = (0, 0, 3).
        // 1 vs 2: |0-2| + 0 + |2-0| = 4 (in thirds) -> S = 1 - 2 (4/3) / 3 = 1/9.
        let sv = d.f64s("s_valued").unwrap();
        assert!((sv[0].unwrap() - 1.0 / 9.0).abs() < 1e-12);
        // Symmetric, and equal to the plain-portfolio function.
        assert!((sv[2].unwrap() - sv[0].unwrap()).abs() < 1e-12);
        let t = alignment_scores(&[3, 3, 2], &[1, 3, 0], Some(&[0.5, 0.0, 0.0]), Distance::Absolute).unwrap();
        for c in ALIGNMENT_COLUMNS {
            let (x, y) = (d.f64s(c).unwrap()[0], t.f64s(c).unwrap()[0]);
            assert!(x.zip(y).map_or(x.is_none() && y.is_none(), |(x, y)| (x - y).abs() < 1e-12), "{c}: {x:?} {y:?}");
        }
        // Outside the alliance source's years the alignment is null.
        let d = dyad_years(&s, joins, true, Some(Period { start: 2001, end: 2001 })).unwrap();
        assert!(d.f64s("s_valued").unwrap().iter().all(|x| x.is_none()));
        assert!(state_years(&s, joins, None).is_err(), "alignment is dyadic");
    }

    /// Tests on the real data: `POWERBALANCE_DATA` names the data home (scripts/test.sh sets it,
    /// and skips `with_data` tests when there is no data). They fail without it, never skip.
    mod with_data {
        use super::*;

        fn data() -> std::path::PathBuf {
            let Some(d) = std::env::var_os("POWERBALANCE_DATA") else {
                panic!("POWERBALANCE_DATA is not set: set it to the data home (`powerbalance data home`; `powerbalance data fetch --all` fills it)")
            };
            std::path::PathBuf::from(d)
        }

        #[test]
        fn false_dyads_in_the_cow_system() {
            let s = crate::capabilities::read_states(&data().join("cow_states/states2016.csv")).unwrap();
            let keep = PanelOptions { directed: false, false_dyads: true, ..PanelOptions::default() };
            let before = dyad_years_with(&s, Joins::default(), keep).unwrap();
            let after = dyad_years_with(&s, Joins::default(), PanelOptions { false_dyads: false, ..keep }).unwrap();
            let dropped = before.num_rows() - after.num_rows();
            eprintln!(
                "undirected 1816-2016: {} rows with false dyads, {} without ({dropped} dropped)",
                before.num_rows(),
                after.num_rows()
            );
            assert!(dropped > 0 && dropped < 1000);
            let (c1, c2, y) = (col_i(&after, "ccode1"), col_i(&after, "ccode2"), col_i(&after, "year"));
            assert!(
                !(0..after.num_rows()).any(|i| c1[i] == 115 && c2[i] == 817 && y[i] == 1975),
                "Suriname-South Vietnam 1975"
            );
            let (b1, b2, by) = (col_i(&before, "ccode1"), col_i(&before, "ccode2"), col_i(&before, "year"));
            assert!((0..before.num_rows()).any(|i| b1[i] == 115 && b2[i] == 817 && by[i] == 1975));
            // Directed: twice as many dropped.
            let d_keep = dyad_years_with(&s, Joins::default(), PanelOptions { directed: true, ..keep }).unwrap();
            let d = dyad_years(&s, Joins::default(), true, None).unwrap();
            eprintln!("directed 1816-2016: {} rows with false dyads, {} without", d_keep.num_rows(), d.num_rows());
            assert_eq!(d_keep.num_rows() - d.num_rows(), 2 * dropped);
            // Before the rule the panel had 1,912,350 directed dyad-years 1816-2016
            // (benchmarks/README.md); only the false dyads leave it, and nothing is carried.
            assert_eq!(d_keep.num_rows(), 1_912_350);
            assert!(d.column("carried").is_err());
        }

        #[test]
        fn panels_reach_2024_with_every_join() {
            let d = data();
            let t0 = std::time::Instant::now();
            let s = crate::capabilities::read_states(&d.join("cow_states/states2016.csv")).unwrap();
            let majors = crate::capabilities::read_majors(&d.join("cow_states/majors2016.csv")).unwrap();
            let caps = crate::capabilities::read_nmc(&d.join("cow_nmc/NMC-v7.0-abridged.csv")).unwrap();
            let led = crate::sipri::read_sipri(&d.join("sipri/register_newformat_2026/trade_register_1995-2024.csv"))
                .unwrap();
            let cow = AllianceYears::read(&d.join("alliances/cow_alliance_v4.1_dyad_year.csv")).unwrap();
            let atop = AllianceYears::read(&d.join("alliances/atop_v5.1_directed_dyad_year.csv")).unwrap();
            let milex = crate::milex::read_milex(&d.join("sipri_milex/sipri_milex_1949_2024_long.csv")).unwrap();
            let mad = crate::gdp::read_maddison(&d.join("gdp/maddison_mpd2023.csv")).unwrap();
            let sdp = crate::gdp::read_sdp_gdp(&d.join("gdp/cow_sdp_gdp_log.csv")).unwrap();
            let ip = crate::relations::read_ideal_points(&d.join("un_ideal_points/IdealpointsJuly2025.csv")).unwrap();
            let read = t0.elapsed();
            let joins = Joins {
                capabilities: Some(&caps),
                components: true,
                ledger: Some(&led),
                arms_by_category: false,
                alliances: Some(&cow),
                majors: None,
                milex: Some(&milex),
                maddison: Some(&mad),
                sdp: Some(&sdp),
                ideal_points: Some(&ip),
                ideal_point_estimate: IdealPointEstimate::FinalPassage,
                alignment: Some(&atop),
                distance: Distance::Absolute,
            };
            let p = Some(Period { start: 1816, end: 2024 });
            let t1 = std::time::Instant::now();
            let dy = dyad_years(&s, joins, true, p).unwrap();
            let t_dy = t1.elapsed();
            let sy = state_years(&s, Joins { alignment: None, majors: Some(&majors), ..joins }, p).unwrap();
            eprintln!(
                "1816-2024: {} directed dyad-years x {} columns in {:.2?} (reading {:.2?}); {} state-years x {} columns",
                dy.num_rows(),
                dy.num_columns(),
                t_dy,
                read,
                sy.num_rows(),
                sy.num_columns()
            );
            let cov = panel_coverage(&dy).unwrap().unwrap();
            eprintln!("{}", crate::format::to_text(&cov.batch, None));
            let (c1, c2, y) = (col_i(&dy, "ccode1"), col_i(&dy, "ccode2"), col_i(&dy, "year"));
            let at = |a: i64, b: i64, yr: i64| (0..dy.num_rows()).find(|&i| c1[i] == a && c2[i] == b && y[i] == yr);
            let us_cn = at(2, 710, 2024).expect("USA-China 2024 is in the panel");
            assert_eq!(*y.iter().max().unwrap(), 2024);
            let carried: Vec<Option<bool>> =
                dy.column("carried").unwrap().as_any().downcast_ref::<BooleanArray>().unwrap().iter().collect();
            assert_eq!(carried[us_cn], Some(true));
            assert_eq!(carried[at(2, 710, 2016).unwrap()], Some(false));
            // Each source is null outside its years, never 0.
            let f = |c: &str, i: usize| dy.f64s(c).unwrap()[i];
            assert!(f("tiv_1to2", us_cn).is_some(), "the 2026 register covers 2024");
            assert!(f("tiv_1to2", at(2, 710, 1990).unwrap()).is_none(), "before the register's 1995");
            assert!(f("sipri_milex_constant1", us_cn).is_some());
            assert!(f("sipri_milex_constant1", at(2, 710, 1930).unwrap()).is_none());
            assert!(f("cinc1", us_cn).is_none(), "NMC 7.0 ends in 2022");
            assert!(f("maddison_gdp1", us_cn).is_none() && f("maddison_gdp1", at(2, 710, 2022).unwrap()).is_some());
            assert!(f("ln_gdp1", us_cn).is_none() && f("ln_gdp1", at(2, 710, 2015).unwrap()).is_some());
            assert!(f("ideal_point_distance", us_cn).is_some());
            assert!(f("s_valued", us_cn).is_none() && f("s_valued", at(2, 710, 2018).unwrap()).is_some());
            assert!(f("s_valued_weighted", at(2, 710, 2018).unwrap()).is_some());
            let al: Vec<Option<bool>> =
                dy.column("alliance").unwrap().as_any().downcast_ref::<BooleanArray>().unwrap().iter().collect();
            assert_eq!(al[us_cn], None, "COW alliances end in 2012");
            assert_eq!(sy.i64s("year").unwrap().into_iter().flatten().max(), Some(2024));
        }

        #[test]
        fn panel_alignment_is_the_metric() {
            let d = data();
            let s = crate::capabilities::read_states(&d.join("cow_states/states2016.csv")).unwrap();
            let caps = crate::capabilities::read_nmc(&d.join("cow_nmc/NMC-v7.0-abridged.csv")).unwrap();
            let al = crate::relations::read_alliances(&d.join("alliances/cow_alliance_v4.1_dyad_year.csv")).unwrap();
            let ay = AllianceYears::from_alliances(&al);
            let joins = Joins { capabilities: Some(&caps), alignment: Some(&ay), ..Joins::default() };
            let p = Period { start: 1962, end: 1962 };
            let panel = dyad_years(&s, joins, false, Some(p)).unwrap();
            let metric = crate::metrics::alignment::alignment(&al, &caps, p, None, Distance::Absolute).unwrap();
            assert_eq!(panel.num_rows(), metric.num_rows());
            for c in ALIGNMENT_COLUMNS {
                let (x, y) = (panel.f64s(c).unwrap(), metric.f64s(c).unwrap());
                for (a, b) in x.iter().zip(&y) {
                    assert!(a.zip(*b).map_or(a.is_none() && b.is_none(), |(a, b)| (a - b).abs() < 1e-9), "{c}");
                }
            }
        }
    }
}
