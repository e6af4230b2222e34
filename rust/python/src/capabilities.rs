//! Glue for capabilities, the COW state lists, the concentration and power-transition metrics
//! and the panels: `_native.Capabilities`, `_native.StateList`, `_native.AllianceYears` and the
//! module functions below. Each is a few lines over `powerbalance_core`.

use super::{period, run, run_table, ArrowTable, PyLedger};
use arrow_array::{Array, Int16Array, Int32Array, Int64Array, RecordBatch};
use powerbalance_core::capabilities::{self as cap, Capabilities, Measure, MissingRule, SpellKind, Spells};
use powerbalance_core::metrics::concentration::{self as conc, PoleRule};
use powerbalance_core::metrics::transition::{self as tr, ParityBand, Point};
use powerbalance_core::panels::{self, AllianceYears, Joins};
use powerbalance_core::relations::Alliances;
use powerbalance_core::{ActorRegistry, Error, Period, Result, TableBuilder};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use std::path::PathBuf;
use std::sync::Arc;

fn opt_period(start: Option<i32>, end: Option<i32>, cov: Period) -> Result<Option<Period>> {
    if start.is_none() && end.is_none() {
        return Ok(None);
    }
    super::checked_period(start.unwrap_or(cov.start), end.unwrap_or(cov.end)).map(Some)
}

fn rule(name: &str) -> Result<MissingRule> {
    match name.trim().to_ascii_lowercase().as_str() {
        "available" => Ok(MissingRule::Available),
        "zero" => Ok(MissingRule::Zero),
        _ => Err(Error::invalid(format!("unknown missing-value rule {name:?}; expected \"available\" or \"zero\""))),
    }
}

fn pole_rule(name: &str, threshold: f64) -> Result<PoleRule> {
    match name.trim().to_ascii_lowercase().as_str() {
        "relative" => Ok(PoleRule::RelativeToLargest(threshold)),
        "share" => Ok(PoleRule::ShareAtLeast(threshold)),
        _ => Err(Error::invalid(format!("unknown pole rule {name:?}; expected \"relative\" or \"share\""))),
    }
}

fn pairs(names: Vec<String>, values: Vec<f64>) -> Result<Vec<(String, f64)>> {
    if names.len() != values.len() {
        return Err(Error::invalid(format!("{} names but {} values", names.len(), values.len())));
    }
    Ok(names.into_iter().zip(values).collect())
}

fn points(years: Vec<i32>, values: Vec<Option<f64>>) -> Result<Vec<Point>> {
    if years.len() != values.len() {
        return Err(Error::invalid(format!("{} years but {} values", years.len(), values.len())));
    }
    Ok(years.into_iter().zip(values).collect())
}

// ---------------------------------------------------------------------------------------------
// capabilities

/// COW national material capabilities, one row per state-year.
#[pyclass(frozen, name = "Capabilities", module = "powerbalance._native")]
pub struct PyCapabilities {
    pub(crate) inner: Arc<Capabilities>,
}

impl PyCapabilities {
    fn states(&self, names: &[String]) -> Result<Vec<u16>> {
        let reg = ActorRegistry::builtin();
        names.iter().map(|n| self.inner.resolve_state(reg, n)).collect()
    }
}

#[pymethods]
impl PyCapabilities {
    /// CINC recomputed from the six components for ``states`` (all states when None).
    #[pyo3(signature = (year, states=None, rule="available"))]
    fn cinc(&self, py: Python<'_>, year: i32, states: Option<Vec<String>>, rule: &str) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(py, || {
            let s = states.map(|s| self.states(&s)).transpose()?;
            cap::cinc(c, year, s.as_deref(), self::rule(rule)?)
        })
    }

    /// Each state's share of the subset's total of a measure.
    #[pyo3(signature = (year, states, measure="cinc"))]
    fn shares(&self, py: Python<'_>, year: i32, states: Vec<String>, measure: &str) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(py, || cap::shares(c, year, &self.states(&states)?, Measure::parse(measure)?))
    }

    /// The ratio of ``a``'s measure to ``b``'s by year.
    #[pyo3(signature = (a, b, measure="cinc", start=None, end=None))]
    fn ratio(
        &self,
        py: Python<'_>,
        a: &str,
        b: &str,
        measure: &str,
        start: Option<i32>,
        end: Option<i32>,
    ) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(py, || {
            let s = self.states(&[a.to_string(), b.to_string()])?;
            cap::capability_ratio(c, s[0], s[1], Measure::parse(measure)?, opt_period(start, end, c.coverage())?)
        })
    }

    /// The states of a year ranked by a measure, largest first.
    #[pyo3(signature = (year, measure="cinc"))]
    fn rank(&self, py: Python<'_>, year: i32, measure: &str) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(py, || cap::rank(c, year, Measure::parse(measure)?))
    }

    /// One state's series of a measure: ``year, value``.
    #[pyo3(signature = (state, measure="cinc", start=None, end=None))]
    fn series(
        &self,
        py: Python<'_>,
        state: &str,
        measure: &str,
        start: Option<i32>,
        end: Option<i32>,
    ) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(py, || {
            let s = self.states(&[state.to_string()])?[0];
            let v = c.series(s, Measure::parse(measure)?, opt_period(start, end, c.coverage())?)?;
            TableBuilder::new()
                .i64("year", v.iter().map(|p| p.0 as i64).collect())
                .f64_opt("value", v.iter().map(|p| p.1).collect())
                .build()
        })
    }

    /// Every row: ``ccode, stateabb, year, milex, milper, irst, pec, tpop, upop, cinc``.
    fn table(&self, py: Python<'_>) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(py, || {
            let mut b = TableBuilder::new()
                .i64("ccode", c.ccode.iter().map(|&x| x as i64).collect())
                .str_opt("stateabb", c.stateabb.clone())
                .i64("year", c.year.iter().map(|&x| x as i64).collect());
            for comp in cap::Component::ALL {
                b = b.f64_opt(comp.name(), c.component(comp).to_vec());
            }
            b.f64_opt("cinc", c.cinc.clone()).build()
        })
    }

    /// The ccode of a state given as a ccode, a COW abbreviation or a registry name.
    fn resolve(&self, py: Python<'_>, state: &str) -> PyResult<u16> {
        run(py, || Ok(self.states(&[state.to_string()])?[0]))
    }

    /// The ccodes with a row in ``year``, ascending.
    fn states_in(&self, year: i32) -> Vec<u16> {
        self.inner.states_in(year)
    }

    /// The NMC release (``"6.0"``, ``"7.0"``).
    #[getter]
    fn release(&self) -> String {
        self.inner.release.clone()
    }

    /// The file's ``version`` column value, if it has one.
    #[getter]
    fn version_column(&self) -> Option<String> {
        self.inner.version_column.clone()
    }

    /// ``"cow-abridged"`` (``version`` column, ``-9`` missing) or ``"unversioned"``.
    #[getter]
    fn layout(&self) -> &'static str {
        match self.inner.layout {
            cap::NmcLayout::CowAbridged => "cow-abridged",
            cap::NmcLayout::Unversioned => "unversioned",
        }
    }

    /// First and last year.
    #[getter]
    fn coverage(&self) -> (i32, i32) {
        let p = self.inner.coverage();
        (p.start, p.end)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        let c = &*self.inner;
        format!("<Capabilities NMC {} {} rows, {}>", c.release, c.len(), c.coverage())
    }
}

/// Read a COW NMC abridged CSV (v6 or v7 layout).
#[pyfunction]
pub fn read_nmc(py: Python<'_>, path: PathBuf) -> PyResult<PyCapabilities> {
    run(py, || cap::read_nmc(&path)).map(|c| PyCapabilities { inner: Arc::new(c) })
}

// ---------------------------------------------------------------------------------------------
// state lists

/// A COW membership list: the state system (``states2016.csv``) or the major powers.
#[pyclass(frozen, name = "StateList", module = "powerbalance._native")]
pub struct PyStateList {
    pub(crate) inner: Arc<Spells>,
}

#[pymethods]
impl PyStateList {
    /// The spells: ``ccode, stateabb, statenme, start_year, start_month, start_day, end_year,
    /// end_month, end_day``.
    fn table(&self, py: Python<'_>) -> PyResult<ArrowTable> {
        let s = &self.inner.spells;
        run_table(py, || {
            TableBuilder::new()
                .i64("ccode", s.iter().map(|x| x.ccode as i64).collect())
                .str("stateabb", s.iter().map(|x| x.stateabb.as_str()).collect())
                .str_opt("statenme", s.iter().map(|x| x.name.as_deref()).collect())
                .i64("start_year", s.iter().map(|x| x.start.year as i64).collect())
                .i64("start_month", s.iter().map(|x| x.start.month as i64).collect())
                .i64("start_day", s.iter().map(|x| x.start.day as i64).collect())
                .i64("end_year", s.iter().map(|x| x.end.year as i64).collect())
                .i64("end_month", s.iter().map(|x| x.end.month as i64).collect())
                .i64("end_day", s.iter().map(|x| x.end.day as i64).collect())
                .build()
        })
    }

    /// The ccodes that are members at any time during ``year``.
    fn members(&self, year: i32) -> Vec<u16> {
        self.inner.members(year)
    }

    /// Is ``ccode`` a member at any time during ``year``?
    fn is_member(&self, ccode: u16, year: i32) -> bool {
        self.inner.is_member(ccode, year)
    }

    /// ``"states"`` or ``"majors"``.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner.kind {
            SpellKind::States => "states",
            SpellKind::Majors => "majors",
        }
    }

    /// The ``version`` column value (2016).
    #[getter]
    fn version(&self) -> Option<String> {
        self.inner.version.clone()
    }

    /// Number of distinct ccodes.
    #[getter]
    fn n_states(&self) -> usize {
        self.inner.n_states()
    }

    fn __len__(&self) -> usize {
        self.inner.spells.len()
    }

    fn __repr__(&self) -> String {
        format!("<StateList {} {} spells, {} states>", self.kind(), self.inner.spells.len(), self.inner.n_states())
    }
}

/// Read COW's state system membership list (``states2016.csv``).
#[pyfunction]
pub fn read_states(py: Python<'_>, path: PathBuf) -> PyResult<PyStateList> {
    run(py, || cap::read_states(&path)).map(|s| PyStateList { inner: Arc::new(s) })
}

/// Read COW's major-power list (``majors2016.csv``).
#[pyfunction]
pub fn read_majors(py: Python<'_>, path: PathBuf) -> PyResult<PyStateList> {
    run(py, || cap::read_majors(&path)).map(|s| PyStateList { inner: Arc::new(s) })
}

// ---------------------------------------------------------------------------------------------
// concentration and transition

/// HHI, CON, entropy, effective and counted poles, and the equilibrium test, as one row.
#[pyfunction]
#[pyo3(signature = (names, values, rule="relative", threshold=0.5))]
pub fn concentration(
    py: Python<'_>,
    names: Vec<String>,
    values: Vec<f64>,
    rule: &str,
    threshold: f64,
) -> PyResult<ArrowTable> {
    run_table(py, || conc::concentration_table(&pairs(names, values)?, pole_rule(rule, threshold)?))
}

/// Each actor's share of the total: ``actor, value, share``.
#[pyfunction]
pub fn value_shares(py: Python<'_>, names: Vec<String>, values: Vec<f64>) -> PyResult<ArrowTable> {
    run_table(py, || conc::shares_table(&pairs(names, values)?))
}

/// The poles under a rule: ``rank, actor, share``.
#[pyfunction]
#[pyo3(signature = (names, values, rule="relative", threshold=0.5))]
pub fn poles(py: Python<'_>, names: Vec<String>, values: Vec<f64>, rule: &str, threshold: f64) -> PyResult<ArrowTable> {
    run_table(py, || conc::poles_table(&pairs(names, values)?, pole_rule(rule, threshold)?))
}

/// Every coalition with its combined share and whether it balances the strongest.
#[pyfunction]
pub fn coalitions(py: Python<'_>, names: Vec<String>, values: Vec<f64>) -> PyResult<ArrowTable> {
    run_table(py, || conc::coalitions_table(&pairs(names, values)?))
}

/// Morgenthau's equilibrium test as one row: ``strongest, strongest_share, preponderant, holds,
/// balancers`` (the minimal balancing coalitions, ``; ``-separated, members joined by `` + ``).
#[pyfunction]
pub fn equilibrium(py: Python<'_>, names: Vec<String>, values: Vec<f64>) -> PyResult<ArrowTable> {
    run_table(py, || {
        let e = conc::equilibrium(&pairs(names, values)?)?;
        let bal: Vec<String> = e.balancers.iter().map(|c| c.join(" + ")).collect();
        TableBuilder::new()
            .str("strongest", vec![e.strongest.0.as_str()])
            .f64("strongest_share", vec![e.strongest.1])
            .str_opt("preponderant", vec![e.preponderant.as_deref()])
            .bool("holds", vec![e.holds])
            .i64("n_balancers", vec![bal.len() as i64])
            .str("balancers", vec![bal.join("; ")])
            .build()
    })
}

/// Parity windows of two series: ``start, end, years, min_ratio, max_ratio``.
#[pyfunction]
#[pyo3(signature = (a_years, a_values, b_years, b_values, low=0.8, high=1.25))]
pub fn parity_windows(
    py: Python<'_>,
    a_years: Vec<i32>,
    a_values: Vec<Option<f64>>,
    b_years: Vec<i32>,
    b_values: Vec<Option<f64>>,
    low: f64,
    high: f64,
) -> PyResult<ArrowTable> {
    run_table(py, || {
        let band = ParityBand { low, high };
        tr::parity_windows_table(&points(a_years, a_values)?, &points(b_years, b_values)?, band)
    })
}

/// Crossover years of two series.
#[pyfunction]
pub fn crossovers(
    py: Python<'_>,
    a_name: &str,
    a_years: Vec<i32>,
    a_values: Vec<Option<f64>>,
    b_name: &str,
    b_years: Vec<i32>,
    b_values: Vec<Option<f64>>,
) -> PyResult<ArrowTable> {
    run_table(py, || tr::crossovers_table(a_name, &points(a_years, a_values)?, b_name, &points(b_years, b_values)?))
}

/// A projected crossover from log-linear growth fitted over ``fit_start..=fit_end``.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (a_name, a_years, a_values, b_name, b_years, b_values, fit_start, fit_end, z=1.96))]
pub fn project_crossover(
    py: Python<'_>,
    a_name: &str,
    a_years: Vec<i32>,
    a_values: Vec<Option<f64>>,
    b_name: &str,
    b_years: Vec<i32>,
    b_values: Vec<Option<f64>>,
    fit_start: i32,
    fit_end: i32,
    z: f64,
) -> PyResult<ArrowTable> {
    let fit = period(py, fit_start, fit_end)?;
    run_table(py, || {
        tr::projection_table(a_name, &points(a_years, a_values)?, b_name, &points(b_years, b_values)?, fit, z)
    })
}

/// Log-linear growth fitted over ``start..=end``: ``n, intercept, slope, slope_se, growth``.
#[pyfunction]
pub fn fit_growth(
    py: Python<'_>,
    years: Vec<i32>,
    values: Vec<Option<f64>>,
    start: i32,
    end: i32,
) -> PyResult<ArrowTable> {
    let p = period(py, start, end)?;
    run_table(py, || {
        let f = tr::fit_growth(&points(years, values)?, p)?;
        TableBuilder::new()
            .i64("fit_start", vec![p.start as i64])
            .i64("fit_end", vec![p.end as i64])
            .i64("n", vec![f.n as i64])
            .f64("intercept", vec![f.intercept])
            .f64("slope", vec![f.slope])
            .f64("slope_se", vec![f.slope_se])
            .f64("growth", vec![f.growth])
            .build()
    })
}

// ---------------------------------------------------------------------------------------------
// panels

/// Dyad-years with an alliance in force, as a panel input.
#[pyclass(frozen, name = "AllianceYears", module = "powerbalance._native")]
pub struct PyAllianceYears {
    pub(crate) inner: Arc<AllianceYears>,
}

#[pymethods]
impl PyAllianceYears {
    /// The source's name.
    #[getter]
    fn source(&self) -> String {
        self.inner.source.clone()
    }

    /// True when ``(a, b)`` and ``(b, a)`` are read separately.
    #[getter]
    fn directed(&self) -> bool {
        self.inner.directed
    }

    /// First and last year the source covers.
    #[getter]
    fn coverage(&self) -> (i32, i32) {
        (self.inner.coverage.start, self.inner.coverage.end)
    }

    /// Is an alliance in force from ``a`` toward ``b`` in ``year`` (None outside the coverage)?
    fn in_force(&self, a: u16, b: u16, year: i32) -> Option<bool> {
        self.inner.in_force(a, b, year)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        let a = &*self.inner;
        format!(
            "<AllianceYears {} {}, {} dyad-years, {}>",
            a.source,
            if a.directed { "directed" } else { "non-directed" },
            a.len(),
            a.coverage
        )
    }
}

/// An integer column of a record batch as i64 values (int16, int32 or int64, no nulls).
fn int_column(b: &RecordBatch, name: &str) -> Result<Vec<i64>> {
    let c =
        b.column_by_name(name).ok_or_else(|| Error::invalid(format!("the alliance table has no {name:?} column")))?;
    if c.null_count() > 0 {
        return Err(Error::invalid(format!("column {name:?} has nulls")));
    }
    let any = c.as_any();
    if let Some(a) = any.downcast_ref::<Int64Array>() {
        Ok(a.values().to_vec())
    } else if let Some(a) = any.downcast_ref::<Int32Array>() {
        Ok(a.values().iter().map(|&x| x as i64).collect())
    } else if let Some(a) = any.downcast_ref::<Int16Array>() {
        Ok(a.values().iter().map(|&x| x as i64).collect())
    } else {
        Err(Error::invalid(format!("column {name:?} is {}, not an integer type", c.data_type())))
    }
}

fn small(v: i64, what: &str) -> Result<u16> {
    u16::try_from(v).map_err(|_| Error::invalid(format!("{what} {v} is not a COW code (0-65535)")))
}

/// Alliance dyad-years from any Arrow table with ``ccode1, ccode2, year`` (one row per
/// dyad-year with an alliance in force).
#[pyfunction]
#[pyo3(signature = (table, source, directed, start=None, end=None))]
pub fn alliance_years(
    py: Python<'_>,
    table: PyTable,
    source: String,
    directed: bool,
    start: Option<i32>,
    end: Option<i32>,
) -> PyResult<PyAllianceYears> {
    let (batches, _) = table.into_inner();
    run(py, || {
        let mut rows = Vec::new();
        for b in &batches {
            let (c1, c2, y) = (int_column(b, "ccode1")?, int_column(b, "ccode2")?, int_column(b, "year")?);
            for i in 0..c1.len() {
                let yr = i32::try_from(y[i]).map_err(|_| Error::invalid(format!("year {} is out of range", y[i])))?;
                rows.push((small(c1[i], "ccode1")?, small(c2[i], "ccode2")?, yr));
            }
        }
        let cov = match (start, end) {
            (Some(s), Some(e)) => Some(super::checked_period(s, e)?),
            (None, None) => None,
            _ => return Err(Error::invalid("give both start and end of the alliance data's coverage, or neither")),
        };
        AllianceYears::new(source, directed, cov, rows)
    })
    .map(|a| PyAllianceYears { inner: Arc::new(a) })
}

/// Alliance dyad-years from a COW v4.1 or ATOP 5.1 dyad-year file.
#[pyfunction]
pub fn read_alliance_years(py: Python<'_>, path: PathBuf) -> PyResult<PyAllianceYears> {
    run(py, || AllianceYears::read(&path)).map(|a| PyAllianceYears { inner: Arc::new(a) })
}

fn state_list(s: &PyStateList) -> &Spells {
    &s.inner
}

/// State-years of the COW system, joined with what is given.
#[pyfunction]
#[pyo3(signature = (states, capabilities=None, ledger=None, alliances=None, majors=None, start=None, end=None))]
#[allow(clippy::too_many_arguments)]
pub fn state_years(
    py: Python<'_>,
    states: &PyStateList,
    capabilities: Option<&PyCapabilities>,
    ledger: Option<&PyLedger>,
    alliances: Option<&PyAllianceYears>,
    majors: Option<&PyStateList>,
    start: Option<i32>,
    end: Option<i32>,
) -> PyResult<ArrowTable> {
    let joins = Joins {
        capabilities: capabilities.map(|c| &*c.inner),
        ledger: ledger.map(|l| &*l.inner),
        alliances: alliances.map(|a| &*a.inner),
        majors: majors.map(state_list),
    };
    let s = state_list(states);
    run_table(py, || panels::state_years(s, joins, panel_period(s, start, end)?))
}

/// Dyad-years of the COW system (directed or not), joined with what is given.
#[pyfunction]
#[pyo3(signature = (states, capabilities=None, ledger=None, alliances=None, directed=true, start=None, end=None))]
#[allow(clippy::too_many_arguments)]
pub fn dyad_years(
    py: Python<'_>,
    states: &PyStateList,
    capabilities: Option<&PyCapabilities>,
    ledger: Option<&PyLedger>,
    alliances: Option<&PyAllianceYears>,
    directed: bool,
    start: Option<i32>,
    end: Option<i32>,
) -> PyResult<ArrowTable> {
    let joins = Joins {
        capabilities: capabilities.map(|c| &*c.inner),
        ledger: ledger.map(|l| &*l.inner),
        alliances: alliances.map(|a| &*a.inner),
        majors: None,
    };
    let s = state_list(states);
    run_table(py, || panels::dyad_years(s, joins, directed, panel_period(s, start, end)?))
}

/// Every delivery of a ledger accounted for against a COW dyad-year panel.
#[pyfunction]
pub fn arms_flows(py: Python<'_>, ledger: &PyLedger, states: &PyStateList) -> PyResult<ArrowTable> {
    let (l, s) = (&*ledger.inner, state_list(states));
    run_table(py, || panels::arms_flows(l, s))
}

/// The period of a panel: None for the list's coverage, else the missing bound from it.
fn panel_period(s: &Spells, start: Option<i32>, end: Option<i32>) -> Result<Option<Period>> {
    if start.is_none() && end.is_none() {
        return Ok(None);
    }
    let lo = s.spells.iter().map(|x| x.start.year).min().unwrap_or(1);
    let hi = s.spells.iter().map(|x| x.end.year).max().unwrap_or(1);
    super::checked_period(start.unwrap_or(lo), end.unwrap_or(hi)).map(Some)
}

// ---------------------------------------------------------------------------------------------
// military expenditure, GDP, alliances, ideal points, dependence, triangles

use powerbalance_core::gdp::{self, EconMeasure, Maddison, SdpGdp};
use powerbalance_core::metrics::alignment::{self as al, Distance};
use powerbalance_core::metrics::dependence as dep;
use powerbalance_core::metrics::triangle::{self as tri, Thresholds};
use powerbalance_core::milex::{self, Milex, MilexSeries};
use powerbalance_core::relations::{self as rel, IdealPointEstimate, IdealPoints};

/// A state as a COW code: a number, or any name the registry knows.
fn ccode(name: &str) -> Result<u16> {
    let t = name.trim();
    if let Ok(c) = t.parse::<u16>() {
        return Ok(c);
    }
    let reg = ActorRegistry::builtin();
    let id = reg.resolve(t)?;
    reg.get(id).cow_code.ok_or_else(|| Error::invalid(format!("{:?} has no Correlates of War code", reg.name(id))))
}

fn distance(name: &str) -> Result<Distance> {
    match name.trim().to_ascii_lowercase().as_str() {
        "absolute" => Ok(Distance::Absolute),
        "squared" => Ok(Distance::Squared),
        _ => Err(Error::invalid(format!("unknown distance {name:?}; expected \"absolute\" or \"squared\""))),
    }
}

fn span_or(start: Option<i32>, end: Option<i32>, cov: Period) -> Result<Period> {
    super::checked_period(start.unwrap_or(cov.start), end.unwrap_or(cov.end))
}

/// SIPRI military expenditure by state and year.
#[pyclass(frozen, name = "Milex", module = "powerbalance._native")]
pub struct PyMilex {
    pub(crate) inner: Arc<Milex>,
}

#[pymethods]
impl PyMilex {
    /// One series (``constant``, ``current`` or ``share_gdp``) as a table.
    #[pyo3(signature = (series="constant", start=None, end=None))]
    fn table(&self, py: Python<'_>, series: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let m = &*self.inner;
        run_table(py, || milex::milex_table(m, MilexSeries::parse(series)?, opt_period(start, end, m.coverage())?))
    }

    /// The states of a year ranked by a series, largest first.
    #[pyo3(signature = (year, series="constant"))]
    fn rank(&self, py: Python<'_>, year: i32, series: &str) -> PyResult<ArrowTable> {
        let m = &*self.inner;
        run_table(py, || milex::milex_rank(m, year, MilexSeries::parse(series)?))
    }

    #[getter]
    fn coverage(&self) -> (i32, i32) {
        let p = self.inner.coverage();
        (p.start, p.end)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Read the SIPRI Military Expenditure Database (long CSV).
#[pyfunction]
pub fn read_milex(py: Python<'_>, path: PathBuf) -> PyResult<PyMilex> {
    run(py, || milex::read_milex(&path)).map(|m| PyMilex { inner: Arc::new(m) })
}

/// The Maddison Project (GDP per capita, population).
#[pyclass(frozen, name = "Maddison", module = "powerbalance._native")]
pub struct PyMaddison {
    pub(crate) inner: Arc<Maddison>,
}

#[pymethods]
impl PyMaddison {
    /// The rows of ``start..=end`` (default: the coverage).
    #[pyo3(signature = (start=None, end=None))]
    fn table(&self, py: Python<'_>, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let m = &*self.inner;
        run_table(py, || gdp::maddison_table(m, span_or(start, end, m.coverage())?))
    }

    /// The states of a year ranked by ``gdp``, ``gdppc`` or ``pop``.
    #[pyo3(signature = (year, measure="gdp"))]
    fn rank(&self, py: Python<'_>, year: i32, measure: &str) -> PyResult<ArrowTable> {
        let m = &*self.inner;
        run_table(py, || gdp::maddison_rank(m, year, EconMeasure::parse(measure)?))
    }

    #[getter]
    fn coverage(&self) -> (i32, i32) {
        let p = self.inner.coverage();
        (p.start, p.end)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Read the Maddison Project Database 2023 CSV.
#[pyfunction]
pub fn read_maddison(py: Python<'_>, path: PathBuf) -> PyResult<PyMaddison> {
    run(py, || gdp::read_maddison(&path)).map(|m| PyMaddison { inner: Arc::new(m) })
}

/// The Anders-Fariss-Markowitz GDP and SDP estimates.
#[pyclass(frozen, name = "SdpGdp", module = "powerbalance._native")]
pub struct PySdpGdp {
    pub(crate) inner: Arc<SdpGdp>,
}

#[pymethods]
impl PySdpGdp {
    /// The rows of ``start..=end`` (default: the coverage).
    #[pyo3(signature = (start=None, end=None))]
    fn table(&self, py: Python<'_>, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let s = &*self.inner;
        run_table(py, || gdp::sdp_gdp_table(s, opt_period(start, end, s.coverage())?))
    }

    #[getter]
    fn coverage(&self) -> (i32, i32) {
        let p = self.inner.coverage();
        (p.start, p.end)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Read the Anders-Fariss-Markowitz GDP/SDP CSV (logs).
#[pyfunction]
pub fn read_sdp_gdp(py: Python<'_>, path: PathBuf) -> PyResult<PySdpGdp> {
    run(py, || gdp::read_sdp_gdp(&path)).map(|s| PySdpGdp { inner: Arc::new(s) })
}

/// COW v4.1 or ATOP 5.1 alliance dyad-years.
#[pyclass(frozen, name = "Alliances", module = "powerbalance._native")]
pub struct PyAlliances {
    pub(crate) inner: Arc<Alliances>,
}

#[pymethods]
impl PyAlliances {
    /// Every dyad-year of ``start..=end`` (default: the coverage).
    #[pyo3(signature = (start=None, end=None))]
    fn table(&self, py: Python<'_>, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let a = &*self.inner;
        run_table(py, || rel::alliances::alliance_table(a, opt_period(start, end, a.coverage())?))
    }

    /// One dyad's alliances by year.
    #[pyo3(signature = (a, b, start=None, end=None))]
    fn dyad(&self, py: Python<'_>, a: &str, b: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let al = &*self.inner;
        run_table(py, || {
            rel::alliances::dyad_alliances(al, ccode(a)?, ccode(b)?, opt_period(start, end, al.coverage())?)
        })
    }

    /// Alliance-portfolio S scores of every dyad of ``year`` (or of ``dyads``).
    #[pyo3(signature = (capabilities, year, dyads=None, distance="absolute"))]
    fn s_scores(
        &self,
        py: Python<'_>,
        capabilities: &PyCapabilities,
        year: i32,
        dyads: Option<Vec<(String, String)>>,
        distance: &str,
    ) -> PyResult<ArrowTable> {
        let (a, c) = (&*self.inner, &*capabilities.inner);
        run_table(py, || {
            let d = dyads
                .map(|v| v.iter().map(|(x, y)| Ok((ccode(x)?, ccode(y)?))).collect::<Result<Vec<_>>>())
                .transpose()?;
            al::s_scores(a, c, year, d.as_deref(), self::distance(distance)?)
        })
    }

    /// One dyad's S scores over ``start..=end``.
    #[pyo3(signature = (capabilities, a, b, start, end, distance="absolute"))]
    #[allow(clippy::too_many_arguments)]
    fn s_score_series(
        &self,
        py: Python<'_>,
        capabilities: &PyCapabilities,
        a: &str,
        b: &str,
        start: i32,
        end: i32,
        distance: &str,
    ) -> PyResult<ArrowTable> {
        let p = period(py, start, end)?;
        let (al_, c) = (&*self.inner, &*capabilities.inner);
        run_table(py, || al::s_score_series(al_, c, ccode(a)?, ccode(b)?, p, self::distance(distance)?))
    }

    /// These alliances as a panel input.
    fn panel_input(&self) -> PyAllianceYears {
        PyAllianceYears { inner: Arc::new(AllianceYears::from_alliances(&self.inner)) }
    }

    /// ``"COW alliances v4.1"`` or ``"ATOP 5.1"``.
    #[getter]
    fn source(&self) -> &'static str {
        self.inner.source.as_str()
    }

    #[getter]
    fn directed(&self) -> bool {
        self.inner.directed
    }

    #[getter]
    fn coverage(&self) -> (i32, i32) {
        let p = self.inner.coverage();
        (p.start, p.end)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Read a COW v4.1 or ATOP 5.1 alliance dyad-year file.
#[pyfunction]
pub fn read_alliances(py: Python<'_>, path: PathBuf) -> PyResult<PyAlliances> {
    run(py, || rel::read_alliances(&path)).map(|a| PyAlliances { inner: Arc::new(a) })
}

/// UN General Assembly ideal points by state and year.
#[pyclass(frozen, name = "IdealPoints", module = "powerbalance._native")]
pub struct PyIdealPoints {
    pub(crate) inner: Arc<IdealPoints>,
}

#[pymethods]
impl PyIdealPoints {
    /// One estimate's rows over ``start..=end`` (default: the coverage).
    #[pyo3(signature = (estimate="fp", start=None, end=None))]
    fn table(&self, py: Python<'_>, estimate: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let ip = &*self.inner;
        run_table(py, || {
            rel::ideal_points::ideal_point_table(
                ip,
                IdealPointEstimate::parse(estimate)?,
                opt_period(start, end, ip.coverage())?,
            )
        })
    }

    /// The ideal-point distance of one dyad by year.
    #[pyo3(signature = (a, b, estimate="fp", start=None, end=None))]
    fn distance(
        &self,
        py: Python<'_>,
        a: &str,
        b: &str,
        estimate: &str,
        start: Option<i32>,
        end: Option<i32>,
    ) -> PyResult<ArrowTable> {
        let ip = &*self.inner;
        run_table(py, || {
            al::ideal_point_distance(
                ip,
                ccode(a)?,
                ccode(b)?,
                IdealPointEstimate::parse(estimate)?,
                opt_period(start, end, ip.coverage())?,
            )
        })
    }

    /// Every dyad's distance in ``year`` (among ``states`` when given).
    #[pyo3(signature = (year, estimate="fp", states=None))]
    fn distances(
        &self,
        py: Python<'_>,
        year: i32,
        estimate: &str,
        states: Option<Vec<String>>,
    ) -> PyResult<ArrowTable> {
        let ip = &*self.inner;
        run_table(py, || {
            let s = states.map(|v| v.iter().map(|x| ccode(x)).collect::<Result<Vec<_>>>()).transpose()?;
            al::ideal_point_distances(ip, year, IdealPointEstimate::parse(estimate)?, s.as_deref())
        })
    }

    #[getter]
    fn coverage(&self) -> (i32, i32) {
        let p = self.inner.coverage();
        (p.start, p.end)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Read the UN General Assembly ideal points (Bailey, Strezhnev & Voeten).
#[pyfunction]
pub fn read_ideal_points(py: Python<'_>, path: PathBuf) -> PyResult<PyIdealPoints> {
    run(py, || rel::read_ideal_points(&path)).map(|i| PyIdealPoints { inner: Arc::new(i) })
}

fn dep_periods(start: i32, end: i32, block: Option<usize>) -> Result<Vec<Period>> {
    let p = super::checked_period(start, end)?;
    match block {
        None => Ok(dep::annual(p)),
        Some(n) => dep::blocks(p, n),
    }
}

/// A recipient's dependence on its suppliers (or on one) by year or block of years.
#[pyfunction]
#[pyo3(signature = (ledger, recipient, start, end, supplier=None, block=None))]
pub fn supplier_dependence(
    py: Python<'_>,
    ledger: &PyLedger,
    recipient: &str,
    start: i32,
    end: i32,
    supplier: Option<&str>,
    block: Option<usize>,
) -> PyResult<ArrowTable> {
    let l = &*ledger.inner;
    run_table(py, || {
        let s = supplier.map(|s| l.resolve(s)).transpose()?;
        dep::supplier_dependence_table(l, l.resolve(recipient)?, s, &dep_periods(start, end, block)?)
    })
}

/// A supplier's dependence on its clients (or on one) by year or block of years.
#[pyfunction]
#[pyo3(signature = (ledger, supplier, start, end, client=None, block=None))]
pub fn client_dependence(
    py: Python<'_>,
    ledger: &PyLedger,
    supplier: &str,
    start: i32,
    end: i32,
    client: Option<&str>,
    block: Option<usize>,
) -> PyResult<ArrowTable> {
    let l = &*ledger.inner;
    run_table(py, || {
        let c = client.map(|s| l.resolve(s)).transpose()?;
        dep::client_dependence_table(l, l.resolve(supplier)?, c, &dep_periods(start, end, block)?)
    })
}

/// The dependence asymmetry of a supplier-recipient dyad by year or block.
#[pyfunction]
#[pyo3(signature = (ledger, supplier, recipient, start, end, block=None))]
pub fn dependence_asymmetry(
    py: Python<'_>,
    ledger: &PyLedger,
    supplier: &str,
    recipient: &str,
    start: i32,
    end: i32,
    block: Option<usize>,
) -> PyResult<ArrowTable> {
    let l = &*ledger.inner;
    run_table(py, || {
        dep::asymmetry_table(l, l.resolve(supplier)?, l.resolve(recipient)?, &dep_periods(start, end, block)?)
    })
}

/// An actor's net exporter status by year.
#[pyfunction]
#[pyo3(signature = (ledger, actor, start=None, end=None))]
pub fn net_exporter(
    py: Python<'_>,
    ledger: &PyLedger,
    actor: &str,
    start: Option<i32>,
    end: Option<i32>,
) -> PyResult<ArrowTable> {
    let l = &*ledger.inner;
    run_table(py, || {
        let p = match (start, end) {
            (None, None) => None,
            (s, e) => match l.years() {
                Some(sp) => Some(span_or(s, e, sp)?),
                None => return Err(Error::invalid("the ledger is empty")),
            },
        };
        dep::net_exporter(l, l.resolve(actor)?, p)
    })
}

/// The peak of an annual series: ``year, value``.
#[pyfunction]
pub fn peak(py: Python<'_>, years: Vec<i32>, values: Vec<Option<f64>>) -> PyResult<ArrowTable> {
    run_table(py, || {
        let (y, v) = dep::peak(&points(years, values)?)?;
        TableBuilder::new().i64("year", vec![y as i64]).f64("value", vec![v]).build()
    })
}

/// Change points of an annual series (segments of constant mean).
#[pyfunction]
#[pyo3(signature = (years, values, min_segment=2, penalty=2.0, max_changes=None))]
pub fn change_points(
    py: Python<'_>,
    years: Vec<i32>,
    values: Vec<Option<f64>>,
    min_segment: usize,
    penalty: f64,
    max_changes: Option<usize>,
) -> PyResult<ArrowTable> {
    run_table(py, || {
        let o = dep::ChangePointOptions { min_segment, penalty, max_changes };
        dep::change_points_table(&points(years, values)?, o)
    })
}

/// A strategic triangle over years from the pairwise scores ``[AB, BC, CA]``.
#[pyfunction]
#[pyo3(signature = (actors, years, ab, bc, ca, positive=0.0, negative=0.0))]
#[allow(clippy::too_many_arguments)]
pub fn triangle_series(
    py: Python<'_>,
    actors: (String, String, String),
    years: Vec<i32>,
    ab: Vec<Option<f64>>,
    bc: Vec<Option<f64>>,
    ca: Vec<Option<f64>>,
    positive: f64,
    negative: f64,
) -> PyResult<ArrowTable> {
    run_table(py, || {
        if ab.len() != years.len() || bc.len() != years.len() || ca.len() != years.len() {
            return Err(Error::invalid("years, ab, bc and ca must have the same length"));
        }
        let scores: Vec<(i32, [Option<f64>; 3])> =
            (0..years.len()).map(|i| (years[i], [ab[i], bc[i], ca[i]])).collect();
        tri::triangle_series([actors.0, actors.1, actors.2], &scores, Thresholds::new(positive, negative)?)
    })
}
