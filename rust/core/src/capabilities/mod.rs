//! National material capabilities: the Correlates of War NMC data, the state system and major
//! power lists, and the capability metrics built on them (CINC, shares, ratios, rankings).
//!
//! Data flow: [`read_nmc`] -> [`Capabilities`] (columnar: ccode, year, the six components and the
//! published CINC, `None` where the source has no value) -> the metrics below -> a [`Table`].
//!
//! States are keyed by COW ccode. Tables also name the registry actor of each state-year
//! ([`cow_actor`]); COW gives one ccode to the Soviet Union and Russia (365) and to Yugoslavia and
//! Serbia (345), which the registry keeps apart, so the actor is chosen by year (see
//! [`cow_actor`]).
//!
//! Source: Singer, Bremer & Stuckey (1972), "Capability Distribution, Uncertainty, and Major Power
//! War, 1820-1965"; Singer (1987), "Reconstructing the Correlates of War Dataset on Material
//! Capabilities of States, 1816-1985", *International Interactions* 14: 115-32.

pub mod gdp;
pub mod milex;
pub mod nmc;
pub mod states;

pub use nmc::{parse_nmc, read_nmc};
pub use states::{parse_spells, read_majors, read_states, Date, Spell, SpellKind, Spells};

use crate::actors::{ActorId, ActorRegistry};
use crate::error::{Error, Result};
use crate::period::Period;
use crate::table::{Table, TableBuilder};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The layout of an NMC abridged file, detected from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NmcLayout {
    /// COW's own abridged file (`NMC-60-abridged.csv`, `NMC-70-abridged.csv`): a trailing
    /// `version` column, `-9` for missing values.
    CowAbridged,
    /// The abridged columns without `version` (the v7 conversion from peacesciencer), empty
    /// fields for missing values.
    Unversioned,
}

impl NmcLayout {
    /// `"cow-abridged"` or `"unversioned"`.
    pub fn as_str(self) -> &'static str {
        match self {
            NmcLayout::CowAbridged => "cow-abridged",
            NmcLayout::Unversioned => "unversioned",
        }
    }
}

/// The six CINC components, in COW's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Component {
    /// Military expenditure, thousands: current British pounds 1816-1913, current US dollars 1914-.
    Milex,
    /// Military personnel, thousands.
    Milper,
    /// Iron and steel production, thousands of tons.
    Irst,
    /// Primary energy consumption, thousands of coal-ton equivalents.
    Pec,
    /// Total population, thousands.
    Tpop,
    /// Urban population (cities of 100,000 and more), thousands.
    Upop,
}

impl Component {
    pub const ALL: [Component; 6] =
        [Component::Milex, Component::Milper, Component::Irst, Component::Pec, Component::Tpop, Component::Upop];

    /// COW's column name.
    pub fn name(self) -> &'static str {
        match self {
            Component::Milex => "milex",
            Component::Milper => "milper",
            Component::Irst => "irst",
            Component::Pec => "pec",
            Component::Tpop => "tpop",
            Component::Upop => "upop",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A quantity states can be compared by: the published CINC or one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// CINC as COW published it.
    Cinc,
    Component(Component),
}

crate::names::option_names!(
    /// Every measure by name: `cinc`, then the components in COW's order.
    Measure,
    "measure",
    [
        ("cinc", Measure::Cinc),
        ("milex", Measure::Component(Component::Milex)),
        ("milper", Measure::Component(Component::Milper)),
        ("irst", Measure::Component(Component::Irst)),
        ("pec", Measure::Component(Component::Pec)),
        ("tpop", Measure::Component(Component::Tpop)),
        ("upop", Measure::Component(Component::Upop)),
    ]
);

crate::names::option_enum! {
    /// How a state's missing components enter its CINC.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum MissingRule("missing-value rule") {
        /// COW's rule: a component total sums the states that have a value; a state's CINC is the
        /// mean of the shares it has (divided by the number of its non-missing components). This
        /// is why COW's yearly CINC totals can exceed 1.
        #[default]
        Available = ["available"],
        /// A missing component counts as zero: every state's CINC is the sum of its shares over 6.
        Zero = ["zero"],
    }
}

/// COW national material capabilities, one row per state-year, columnar.
#[derive(Debug, Clone)]
pub struct Capabilities {
    pub layout: NmcLayout,
    /// The NMC release (`6.0`, `7.0`), from the `version` column or the last year.
    pub release: String,
    /// The file's `version` column value, if it has one (`2021` for NMC 6.0).
    pub version_column: Option<String>,
    pub stateabb: Vec<Option<String>>,
    pub ccode: Vec<u16>,
    pub year: Vec<i32>,
    pub milex: Vec<Option<f64>>,
    pub milper: Vec<Option<f64>>,
    pub irst: Vec<Option<f64>>,
    pub pec: Vec<Option<f64>>,
    pub tpop: Vec<Option<f64>>,
    pub upop: Vec<Option<f64>>,
    /// CINC as published.
    pub cinc: Vec<Option<f64>>,
    index: HashMap<(u16, i32), usize>,
    by_year: BTreeMap<i32, Vec<usize>>,
}

impl Capabilities {
    pub(crate) fn empty(layout: NmcLayout) -> Self {
        Capabilities {
            layout,
            release: String::new(),
            version_column: None,
            stateabb: vec![],
            ccode: vec![],
            year: vec![],
            milex: vec![],
            milper: vec![],
            irst: vec![],
            pec: vec![],
            tpop: vec![],
            upop: vec![],
            cinc: vec![],
            index: HashMap::new(),
            by_year: BTreeMap::new(),
        }
    }

    pub(crate) fn reserve(&mut self, n: usize) {
        self.stateabb.reserve(n);
        self.ccode.reserve(n);
        self.year.reserve(n);
        for c in Component::ALL {
            self.component_mut(c).reserve(n);
        }
        self.cinc.reserve(n);
    }

    pub(crate) fn push_row(
        &mut self, abb: Option<String>, ccode: u16, year: i32, vals: [Option<f64>; 6], cinc: Option<f64>,
    ) {
        self.stateabb.push(abb);
        self.ccode.push(ccode);
        self.year.push(year);
        for c in Component::ALL {
            self.component_mut(c).push(vals[c.index()]);
        }
        self.cinc.push(cinc);
    }

    pub(crate) fn reindex(&mut self) {
        self.index.clear();
        self.by_year.clear();
        for i in 0..self.ccode.len() {
            self.index.insert((self.ccode[i], self.year[i]), i);
            self.by_year.entry(self.year[i]).or_default().push(i);
        }
    }

    pub(crate) fn component_mut(&mut self, c: Component) -> &mut Vec<Option<f64>> {
        match c {
            Component::Milex => &mut self.milex,
            Component::Milper => &mut self.milper,
            Component::Irst => &mut self.irst,
            Component::Pec => &mut self.pec,
            Component::Tpop => &mut self.tpop,
            Component::Upop => &mut self.upop,
        }
    }

    /// One component's column.
    pub fn component(&self, c: Component) -> &[Option<f64>] {
        match c {
            Component::Milex => &self.milex,
            Component::Milper => &self.milper,
            Component::Irst => &self.irst,
            Component::Pec => &self.pec,
            Component::Tpop => &self.tpop,
            Component::Upop => &self.upop,
        }
    }

    /// One measure's column.
    pub fn measure(&self, m: Measure) -> &[Option<f64>] {
        match m {
            Measure::Cinc => &self.cinc,
            Measure::Component(c) => self.component(c),
        }
    }

    /// Number of state-year rows.
    pub fn len(&self) -> usize {
        self.ccode.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ccode.is_empty()
    }

    pub fn first_year(&self) -> i32 {
        self.year.iter().copied().min().unwrap_or(0)
    }

    pub fn last_year(&self) -> i32 {
        self.year.iter().copied().max().unwrap_or(0)
    }

    /// The years the data covers.
    pub fn coverage(&self) -> Period {
        Period { start: self.first_year(), end: self.last_year() }
    }

    /// The row of a state-year, if the data has one.
    pub fn row(&self, ccode: u16, year: i32) -> Option<usize> {
        self.index.get(&(ccode, year)).copied()
    }

    /// A state's value of a measure in a year (`None`: no row, or the value is missing).
    pub fn value(&self, ccode: u16, year: i32, m: Measure) -> Option<f64> {
        self.row(ccode, year).and_then(|i| self.measure(m)[i])
    }

    /// A state's series over `period` (default: the data's coverage), one entry per year,
    /// `None` where the state has no row or no value.
    pub fn series(&self, ccode: u16, m: Measure, period: Option<Period>) -> Result<Vec<(i32, Option<f64>)>> {
        let p = self.check_period(period)?;
        Ok(p.years().map(|y| (y, self.value(ccode, y, m))).collect())
    }

    /// The ccodes with a row in `year`, ascending.
    pub fn states_in(&self, year: i32) -> Vec<u16> {
        let mut v: Vec<u16> =
            self.by_year.get(&year).map(|r| r.iter().map(|&i| self.ccode[i]).collect()).unwrap_or_default();
        v.sort_unstable();
        v
    }

    /// The COW abbreviation of a ccode, if the file gives one.
    pub fn stateabb_of(&self, ccode: u16) -> Option<&str> {
        self.ccode.iter().position(|&c| c == ccode).and_then(|i| self.stateabb[i].as_deref())
    }

    /// A state given as a ccode (`"710"`), a COW abbreviation (`"CHN"`) or any name the actor
    /// registry knows (`"China"`), as its ccode.
    pub fn resolve_state(&self, registry: &ActorRegistry, name: &str) -> Result<u16> {
        let t = name.trim();
        if let Ok(c) = t.parse::<u16>() {
            return Ok(c);
        }
        if let Some(i) = self.stateabb.iter().position(|a| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(t))) {
            return Ok(self.ccode[i]);
        }
        registry.cow_code(t)
    }

    /// Each state given as in [`Capabilities::resolve_state`], by the built-in registry.
    pub fn resolve_states<S: AsRef<str>>(&self, names: &[S]) -> Result<Vec<u16>> {
        names.iter().map(|n| self.resolve_state(ActorRegistry::builtin(), n.as_ref())).collect()
    }

    /// Every row: `ccode, stateabb, year`, the six components in COW's order, `cinc`.
    pub fn table(&self) -> Result<Table> {
        let mut b = TableBuilder::new()
            .i64("ccode", self.ccode.iter().map(|&x| x as i64).collect())
            .str_opt("stateabb", self.stateabb.clone())
            .i64("year", self.year.iter().map(|&x| x as i64).collect());
        for comp in Component::ALL {
            b = b.f64_opt(comp.name(), self.component(comp).to_vec());
        }
        b.f64_opt("cinc", self.cinc.clone()).build()
    }

    fn check_year(&self, year: i32) -> Result<&[usize]> {
        self.by_year.get(&year).map(|v| v.as_slice()).ok_or_else(|| {
            let cov = self.coverage();
            if cov.contains(year) {
                Error::invalid(format!("NMC {} covers {cov}; it has no rows for {year}", self.release))
            } else {
                Error::Coverage {
                    dataset: format!("NMC {}", self.release),
                    coverage: Some(cov),
                    requested: Period::year(year),
                    what: "the query".into(),
                }
            }
        })
    }

    fn check_period(&self, period: Option<Period>) -> Result<Period> {
        let cov = self.coverage();
        let p = period.unwrap_or(cov);
        Error::check_coverage(&format!("NMC {}", self.release), Some(cov), p, "the query")?;
        crate::input::guard_span("NMC", p)
    }

    /// The rows of `states` in `year` (all rows of the year when `None`), checked.
    fn rows_for(&self, year: i32, states: Option<&[u16]>) -> Result<Vec<usize>> {
        let all = self.check_year(year)?;
        match states {
            None => {
                let mut v = all.to_vec();
                v.sort_by_key(|&i| self.ccode[i]);
                Ok(v)
            }
            Some(list) => {
                if list.is_empty() {
                    return Err(Error::invalid("the list of states is empty"));
                }
                let mut seen = HashSet::new();
                let mut out = Vec::with_capacity(list.len());
                for &c in list {
                    if !seen.insert(c) {
                        return Err(Error::invalid(format!("ccode {c} is listed twice")));
                    }
                    let i = self.row(c, year).ok_or_else(|| {
                        Error::invalid(format!(
                            "ccode {c} has no NMC {} row in {year} (not a system member that year, or not a COW code)",
                            self.release
                        ))
                    })?;
                    out.push(i);
                }
                Ok(out)
            }
        }
    }

    fn actor_names(&self, rows: &[usize]) -> Vec<Option<String>> {
        rows.iter().map(|&i| cow_actor_name(self.ccode[i], self.year[i])).collect()
    }
}

/// The registry actor of a COW state in a year.
///
/// Where several actors share a ccode the year decides: 365 is the Soviet Union through 1991
/// and Russia from 1992 (COW keeps one series for both); 345 is Yugoslavia through 1991 and
/// Serbia from 1992. Otherwise, for codes held by several actors with no such rule, the first
/// actor of the registry is taken.
pub fn cow_actor(registry: &ActorRegistry, ccode: u16, year: i32) -> Option<ActorId> {
    let ids = registry.by_cow_code(ccode);
    if ids.len() <= 1 {
        return ids.first().copied();
    }
    let pick = |name: &str| registry.lookup(name).filter(|id| ids.contains(id));
    let by_year = match ccode {
        365 => pick(if year <= 1991 { "Soviet Union" } else { "Russia" }),
        345 => pick(if year <= 1991 { "Yugoslavia" } else { "Serbia" }),
        _ => None,
    };
    by_year.or_else(|| ids.first().copied())
}

/// The name of [`cow_actor`] in the built-in registry (the `actor` column of the state-year
/// tables); `None` where the registry has no actor with that ccode.
pub fn cow_actor_name(ccode: u16, year: i32) -> Option<String> {
    let reg = ActorRegistry::builtin();
    cow_actor(reg, ccode, year).map(|a| reg.name(a).to_string())
}

/// One state's CINC in a year, recomputed from the components.
#[derive(Debug, Clone, PartialEq)]
pub struct CincRow {
    pub ccode: u16,
    /// The state's share of each component's total, `None` where the state has no value (or the
    /// total is zero).
    pub shares: [Option<f64>; 6],
    /// Number of components with a share.
    pub n_components: usize,
    /// The recomputed CINC; `None` when the state has no component.
    pub cinc: Option<f64>,
}

/// CINC recomputed from the six components for the states `states` (every state of the year
/// when `None`) in `year`.
///
/// `share_ik = c_ik / sum_j c_jk` over the states of the set that have component k;
/// `CINC_i = (1/K_i) sum_k share_ik`, with `K_i` the number of components state i has
/// ([`MissingRule::Available`], COW's rule) or 6 ([`MissingRule::Zero`]). A component whose total
/// over the set is 0 gives no share to anyone. Over the whole system this reproduces COW's
/// published CINC (Singer, Bremer & Stuckey 1972); over a subset it is each state's capability
/// share within the subset.
pub fn cinc_rows(caps: &Capabilities, year: i32, states: Option<&[u16]>, rule: MissingRule) -> Result<Vec<CincRow>> {
    let rows = caps.rows_for(year, states)?;
    let mut totals = [0.0f64; 6];
    for &i in &rows {
        for c in Component::ALL {
            if let Some(v) = caps.component(c)[i] {
                totals[c.index()] += v;
            }
        }
    }
    Ok(rows
        .iter()
        .map(|&i| {
            let mut shares = [None; 6];
            let mut sum = 0.0;
            let mut k = 0;
            for c in Component::ALL {
                let t = totals[c.index()];
                if let Some(v) = caps.component(c)[i] {
                    if t > 0.0 {
                        let s = v / t;
                        shares[c.index()] = Some(s);
                        sum += s;
                        k += 1;
                    }
                }
            }
            let cinc = match rule {
                MissingRule::Available => (k > 0).then(|| sum / k as f64),
                MissingRule::Zero => (k > 0).then(|| sum / 6.0),
            };
            CincRow { ccode: caps.ccode[i], shares, n_components: k, cinc }
        })
        .collect())
}

/// CINC recomputed from the components, as a table (formula and rule: [`cinc_rows`]; Singer,
/// Bremer & Stuckey 1972).
///
/// Columns: `ccode, stateabb, actor, year, milex_share, milper_share, irst_share, pec_share,
/// tpop_share, upop_share, n_components, cinc_recomputed, cinc_published`. Rows follow `states`,
/// or ascending ccode for the whole system. `cinc_recomputed` is recomputed over the states asked
/// for (each component's share of *their* total, averaged); `cinc_published` is COW's figure, a
/// whole-system share: the two match only when `states` is `None`. (Not the same as
/// [`shares`] of CINC, `share_of_group`, which divides published CINC by the group's sum.)
pub fn cinc(caps: &Capabilities, year: i32, states: Option<&[u16]>, rule: MissingRule) -> Result<Table> {
    let rows = cinc_rows(caps, year, states, rule)?;
    let idx: Vec<usize> = rows.iter().map(|r| caps.row(r.ccode, year).unwrap_or(0)).collect();
    let mut b = TableBuilder::new()
        .i64("ccode", rows.iter().map(|r| r.ccode as i64).collect())
        .str_opt("stateabb", idx.iter().map(|&i| caps.stateabb[i].clone()).collect())
        .str_opt("actor", caps.actor_names(&idx))
        .i64("year", vec![year as i64; rows.len()]);
    for c in Component::ALL {
        b = b.f64_opt(&format!("{}_share", c.name()), rows.iter().map(|r| r.shares[c.index()]).collect());
    }
    b.i64("n_components", rows.iter().map(|r| r.n_components as i64).collect())
        .f64_opt("cinc_recomputed", rows.iter().map(|r| r.cinc).collect())
        .f64_opt("cinc_published", idx.iter().map(|&i| caps.cinc[i]).collect())
        .build()
}

/// Each state's share of a subset's total of a measure in a year.
///
/// `share_i = x_i / sum_{j in S} x_j`, summed over the states of S that have a value (a state
/// without one gets no share). With [`Measure::Cinc`] this is the relative capability of each
/// member of the subset, e.g. the US, China and Russia (ccodes 2, 710, 365). Fails when the
/// subset's total is zero or no state has a value.
///
/// Columns: `ccode, stateabb, actor, year, value, share_of_group`, in the order of `states`. With
/// CINC, `share_of_group` is the published CINC over the group's sum (US, China, Russia 2016: 33.3,
/// 57.6, 9.1 %), not [`cinc_table`]'s `cinc_recomputed` (31.5, 58.7, 9.8 %: component shares
/// within the group, averaged).
pub fn shares(caps: &Capabilities, year: i32, states: &[u16], m: Measure) -> Result<Table> {
    let rows = caps.rows_for(year, Some(states))?;
    let vals: Vec<Option<f64>> = rows.iter().map(|&i| caps.measure(m)[i]).collect();
    let total: f64 = vals.iter().flatten().sum();
    if total <= 0.0 {
        return Err(Error::invalid(format!(
            "the states' total {} in {year} is zero or missing; shares are undefined",
            m.name()
        )));
    }
    TableBuilder::new()
        .i64("ccode", rows.iter().map(|&i| caps.ccode[i] as i64).collect())
        .str_opt("stateabb", rows.iter().map(|&i| caps.stateabb[i].clone()).collect())
        .str_opt("actor", caps.actor_names(&rows))
        .i64("year", vec![year as i64; rows.len()])
        .f64_opt("value", vals.clone())
        .f64_opt("share_of_group", vals.iter().map(|v| v.map(|v| v / total)).collect())
        .build()
}

/// The capability ratio of state `a` to state `b` by year: `ratio_t = x_a,t / x_b,t`.
///
/// `period` defaults to the data's coverage and may not leave it. A year where either value is
/// missing, or `x_b` is 0, has a null ratio. (Organski & Kugler 1980 read ratios of this kind for
/// parity; see [`crate::metrics::transition`].)
///
/// Columns: `year, a_value, b_value, ratio`.
pub fn capability_ratio(caps: &Capabilities, a: u16, b: u16, m: Measure, period: Option<Period>) -> Result<Table> {
    let sa = caps.series(a, m, period)?;
    let sb = caps.series(b, m, period)?;
    let ratio: Vec<Option<f64>> = sa
        .iter()
        .zip(&sb)
        .map(|((_, x), (_, y))| match (x, y) {
            (Some(x), Some(y)) if *y != 0.0 => Some(x / y),
            _ => None,
        })
        .collect();
    TableBuilder::new()
        .i64("year", sa.iter().map(|(y, _)| *y as i64).collect())
        .f64_opt("a_value", sa.iter().map(|(_, v)| *v).collect())
        .f64_opt("b_value", sb.iter().map(|(_, v)| *v).collect())
        .f64_opt("ratio", ratio)
        .build()
}

/// The states of a year ranked by a measure, largest first.
///
/// Ties are broken by ascending ccode and take consecutive ranks; states with a missing value
/// come last, with a null rank. Columns: `rank, ccode, stateabb, actor, value`.
pub fn rank(caps: &Capabilities, year: i32, m: Measure) -> Result<Table> {
    let mut rows = caps.rows_for(year, None)?;
    let col = caps.measure(m);
    rows.sort_by(|&i, &j| match (col[i], col[j]) {
        (Some(x), Some(y)) => y.total_cmp(&x).then(caps.ccode[i].cmp(&caps.ccode[j])),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => caps.ccode[i].cmp(&caps.ccode[j]),
    });
    let ranks: Vec<Option<i64>> = rows.iter().enumerate().map(|(k, &i)| col[i].map(|_| k as i64 + 1)).collect();
    TableBuilder::new()
        .i64_opt("rank", ranks)
        .i64("ccode", rows.iter().map(|&i| caps.ccode[i] as i64).collect())
        .str_opt("stateabb", rows.iter().map(|&i| caps.stateabb[i].clone()).collect())
        .str_opt("actor", caps.actor_names(&rows))
        .f64_opt("value", rows.iter().map(|&i| col[i]).collect())
        .build()
}

#[cfg(test)]
mod tests;
