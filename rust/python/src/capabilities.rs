//! Glue for `powerbalance_core::capabilities`: COW national material capabilities
//! (`_native.Capabilities`, `read_nmc`) and the COW membership lists (`_native.StateList`,
//! `read_states`, `read_majors`).

use super::{dataset_methods, reader, run, run_table, ArrowTable};
use powerbalance_core::capabilities::{self as cap, Capabilities, Spells};
use powerbalance_core::{Covered, Table};
use pyo3::prelude::*;
use std::sync::Arc;

/// COW national material capabilities, one row per state-year.
#[pyclass(frozen, name = "Capabilities", module = "powerbalance._native")]
pub struct PyCapabilities {
    pub(crate) inner: Arc<Capabilities>,
}

dataset_methods! {
impl PyCapabilities {
    /// CINC recomputed from the six components for ``states`` (all states when None).
    #[pyo3(signature = (year, states=None, rule="available"))]
    fn cinc(&self, year: i32, states: Option<Vec<String>>, rule: &str) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(|| cap::cinc(c, year, states.map(|s| c.resolve_states(&s)).transpose()?.as_deref(), rule.parse()?))
    }

    /// Each state's share of the subset's total of a measure.
    #[pyo3(signature = (year, states, measure="cinc"))]
    fn shares(&self, year: i32, states: Vec<String>, measure: &str) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(|| cap::shares(c, year, &c.resolve_states(&states)?, measure.parse()?))
    }

    /// The ratio of ``a``'s measure to ``b``'s by year.
    #[pyo3(signature = (a, b, measure="cinc", start=None, end=None))]
    fn ratio(&self, a: &str, b: &str, measure: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(|| {
            let s = c.resolve_states(&[a, b])?;
            cap::capability_ratio(c, s[0], s[1], measure.parse()?, c.period_opt(start, end, "ratio")?)
        })
    }

    /// The states of a year ranked by a measure, largest first.
    #[pyo3(signature = (year, measure="cinc"))]
    fn rank(&self, year: i32, measure: &str) -> PyResult<ArrowTable> {
        run_table(|| cap::rank(&self.inner, year, measure.parse()?))
    }

    /// One state's series of a measure: ``year, value``.
    #[pyo3(signature = (state, measure="cinc", start=None, end=None))]
    fn series(&self, state: &str, measure: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let c = &*self.inner;
        run_table(|| {
            let s = c.resolve_states(&[state])?[0];
            Table::year_values(&c.series(s, measure.parse()?, c.period_opt(start, end, "series")?)?)
        })
    }

    /// Every row: ``ccode, stateabb, year, milex, milper, irst, pec, tpop, upop, cinc``.
    fn table(&self) -> PyResult<ArrowTable> {
        run_table(|| self.inner.table())
    }

    /// The ccode of a state given as a ccode, a COW abbreviation or a registry name.
    fn resolve(&self, state: &str) -> PyResult<u16> {
        run(|| Ok(self.inner.resolve_states(&[state])?[0]))
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
        self.inner.layout.as_str()
    }

    fn __repr__(&self) -> String {
        let c = &*self.inner;
        format!("<Capabilities NMC {} {} rows, {}>", c.release, c.len(), c.coverage())
    }
}
}

reader!(
    /// Read a COW NMC abridged CSV (v6 or v7 layout).
    read_nmc -> PyCapabilities = cap::read_nmc
);

/// A COW membership list: the state system (``states2016.csv``) or the major powers.
#[pyclass(frozen, name = "StateList", module = "powerbalance._native")]
pub struct PyStateList {
    pub(crate) inner: Arc<Spells>,
}

#[pymethods]
impl PyStateList {
    /// The spells: ``ccode, stateabb, statenme, start_year, start_month, start_day, end_year,
    /// end_month, end_day``.
    fn table(&self) -> PyResult<ArrowTable> {
        run_table(|| self.inner.table())
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
        self.inner.kind.as_str()
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
        let s = &*self.inner;
        format!("<StateList {} {} spells, {} states>", s.kind.as_str(), s.spells.len(), s.n_states())
    }
}

reader!(
    /// Read COW's state system membership list (``states2016.csv``).
    read_states -> PyStateList = cap::read_states
);

reader!(
    /// Read COW's major-power list (``majors2016.csv``).
    read_majors -> PyStateList = cap::read_majors
);
