//! Glue for `powerbalance_core::panels`: alliance dyad-years as a panel input
//! (`_native.AllianceYears`, `alliance_years`, `read_alliance_years`) and the state-year and
//! dyad-year panels (`state_years`, `dyad_years`, `arms_flows`).

use super::{
    methods, reader, run, run_table, ArrowTable, PyCapabilities, PyIdealPoints, PyLedger, PyMaddison, PyMilex,
    PySdpGdp, PyStateList,
};
use powerbalance_core::panels::{self, AllianceYears, Joins, PanelOptions};
use powerbalance_core::{Covered, Period};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use std::sync::Arc;

/// Dyad-years with an alliance in force, as a panel input.
#[pyclass(frozen, name = "AllianceYears", module = "powerbalance._native")]
pub struct PyAllianceYears {
    pub(crate) inner: Arc<AllianceYears>,
}

methods! {
impl PyAllianceYears {
    get {
        /// The source's name.
        source -> String { source.clone() }

        /// True when ``(a, b)`` and ``(b, a)`` are read separately.
        directed -> bool { directed }

        /// First and last year the source covers.
        coverage -> (i32, i32) { coverage.into() }
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
        let how = if a.directed { "directed" } else { "non-directed" };
        format!("<AllianceYears {} {how}, {} dyad-years, {}>", a.source, a.len(), a.coverage)
    }
}
}

/// Alliance dyad-years from any Arrow table with ``ccode1, ccode2, year`` (one row per
/// dyad-year with an alliance in force).
#[pyfunction]
#[pyo3(signature = (table, source, directed, start=None, end=None))]
pub fn alliance_years(
    table: PyTable, source: String, directed: bool, start: Option<i32>, end: Option<i32>,
) -> PyResult<PyAllianceYears> {
    let (batches, _) = table.into_inner();
    run(|| AllianceYears::from_batches(&batches, source, directed, start, end))
        .map(|a| PyAllianceYears { inner: Arc::new(a) })
}

reader!(
    /// Alliance dyad-years from a COW v4.1 or ATOP 5.1 dyad-year file.
    read_alliance_years -> PyAllianceYears = AllianceYears::read
);

/// A panel function, its doc and `#[pyo3(signature)]` given. Both panels take `states`, then
/// the sources `capabilities, ledger, alliances`, one argument of their own (`$own`), the period
/// `start, end`, and keyword-only the sources `milex, maddison, sdp, ideal_points` with the
/// estimate `measure`, their own keyword arguments (`$kw`) and `arms_by_category` last: the
/// Python signature (written out at each panel) in that order. `$body` gets the state list, the
/// joins of the shared sources (the estimate's name parsed by the core; the panel adds its own)
/// and the period (a missing bound is the state list's).
macro_rules! panel_function {
    (
        $(#[$attr:meta])*
        fn $name:ident($own:ident: $own_ty:ty; $($kw:ident: $kw_ty:ty),*)
        |$states:ident, $joins:ident, $period:ident| $body:block
    ) => {
        #[pyfunction]
        $(#[$attr])*
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            states: &PyStateList,
            capabilities: Option<&PyCapabilities>,
            ledger: Option<&PyLedger>,
            alliances: Option<&PyAllianceYears>,
            $own: $own_ty,
            start: Option<i32>,
            end: Option<i32>,
            milex: Option<&PyMilex>,
            maddison: Option<&PyMaddison>,
            sdp: Option<&PySdpGdp>,
            ideal_points: Option<&PyIdealPoints>,
            measure: &str,
            $($kw: $kw_ty,)*
            arms_by_category: bool,
        ) -> PyResult<ArrowTable> {
            let $states = &*states.inner;
            run_table(|| {
                let $joins = Joins {
                    capabilities: capabilities.map(|c| &*c.inner),
                    ledger: ledger.map(|l| &*l.inner),
                    arms_by_category,
                    alliances: alliances.map(|a| &*a.inner),
                    milex: milex.map(|m| &*m.inner),
                    maddison: maddison.map(|m| &*m.inner),
                    sdp: sdp.map(|s| &*s.inner),
                    ideal_points: ideal_points.map(|i| &*i.inner),
                    ideal_point_estimate: measure.parse()?,
                    ..Joins::default()
                };
                let $period = Period::fill(start, end, $states.covered())?;
                $body
            })
        }
    };
}

panel_function! {
    /// State-years of the COW system, joined with what is given.
    #[pyo3(signature = (states, capabilities=None, ledger=None, alliances=None, majors=None, start=None, end=None, *,
        milex=None, maddison=None, sdp=None, ideal_points=None, measure="fp", carry_forward=None, arms_by_category=false))]
    fn state_years(majors: Option<&PyStateList>; carry_forward: Option<bool>) |s, shared, period| {
        let j = Joins { majors: majors.map(|m| &*m.inner), ..shared };
        panels::state_years_with(s, j, PanelOptions { period, carry_forward, ..PanelOptions::default() })
    }
}

panel_function! {
    /// Dyad-years of the COW system (directed or not), joined with what is given.
    #[pyo3(signature = (states, capabilities=None, ledger=None, alliances=None, directed=true, start=None, end=None, *,
        milex=None, maddison=None, sdp=None, ideal_points=None, measure="fp", alignment=None, components=false,
        distance="absolute", carry_forward=None, false_dyads=false, arms_by_category=false))]
    fn dyad_years(
        directed: bool;
        alignment: Option<&PyAllianceYears>,
        components: bool,
        distance: &str,
        carry_forward: Option<bool>,
        false_dyads: bool
    ) |s, shared, period| {
        let j = Joins { alignment: alignment.map(|a| &*a.inner), components, distance: distance.parse()?, ..shared };
        panels::dyad_years_with(s, j, PanelOptions { period, directed, carry_forward, false_dyads })
    }
}

/// Every delivery of a ledger accounted for against a COW dyad-year panel.
#[pyfunction]
pub fn arms_flows(ledger: &PyLedger, states: &PyStateList) -> PyResult<ArrowTable> {
    run_table(|| panels::arms_flows(&ledger.inner, &states.inner))
}
