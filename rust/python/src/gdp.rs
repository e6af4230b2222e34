//! Glue for `powerbalance_core::gdp`: the Maddison Project (`_native.Maddison`,
//! `read_maddison`) and the Anders-Fariss-Markowitz estimates (`_native.SdpGdp`, `read_sdp_gdp`).

use super::{run, run_table, ArrowTable};
use powerbalance_core::gdp::{self, Maddison, SdpGdp};
use powerbalance_core::Covered;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

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
        run_table(py, || gdp::maddison_table(m, m.period(start, end, "table")?))
    }

    /// The states of a year ranked by ``gdp``, ``gdppc`` or ``pop``.
    #[pyo3(signature = (year, measure="gdp"))]
    fn rank(&self, py: Python<'_>, year: i32, measure: &str) -> PyResult<ArrowTable> {
        run_table(py, || gdp::maddison_rank(&self.inner, year, measure.parse()?))
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
        run_table(py, || gdp::sdp_gdp_table(s, s.period_opt(start, end, "table")?))
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
