//! Glue for `powerbalance_core::gdp`: the Maddison Project (`_native.Maddison`,
//! `read_maddison`) and the Anders-Fariss-Markowitz estimates (`_native.SdpGdp`, `read_sdp_gdp`).

use super::{dataset_methods, reader, run_table, ArrowTable};
use powerbalance_core::gdp::{self, Maddison, SdpGdp};
use powerbalance_core::Covered;
use pyo3::prelude::*;
use std::sync::Arc;

/// The Maddison Project (GDP per capita, population).
#[pyclass(frozen, name = "Maddison", module = "powerbalance._native")]
pub struct PyMaddison {
    pub(crate) inner: Arc<Maddison>,
}

dataset_methods! {
impl PyMaddison {
    /// The rows of ``start..=end`` (default: the coverage).
    #[pyo3(signature = (start=None, end=None))]
    fn table(&self, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let m = &*self.inner;
        run_table(|| gdp::maddison_table(m, m.period(start, end, "table")?))
    }

    /// The states of a year ranked by ``gdp``, ``gdppc`` or ``pop``.
    #[pyo3(signature = (year, measure="gdp"))]
    fn rank(&self, year: i32, measure: &str) -> PyResult<ArrowTable> {
        run_table(|| gdp::maddison_rank(&self.inner, year, measure.parse()?))
    }
}
}

reader!(
    /// Read the Maddison Project Database 2023 CSV.
    read_maddison -> PyMaddison = gdp::read_maddison
);

/// The Anders-Fariss-Markowitz GDP and SDP estimates.
#[pyclass(frozen, name = "SdpGdp", module = "powerbalance._native")]
pub struct PySdpGdp {
    pub(crate) inner: Arc<SdpGdp>,
}

dataset_methods! {
impl PySdpGdp {
    /// The rows of ``start..=end`` (default: the coverage).
    #[pyo3(signature = (start=None, end=None))]
    fn table(&self, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let s = &*self.inner;
        run_table(|| gdp::sdp_gdp_table(s, s.period_opt(start, end, "table")?))
    }
}
}

reader!(
    /// Read the Anders-Fariss-Markowitz GDP/SDP CSV (logs).
    read_sdp_gdp -> PySdpGdp = gdp::read_sdp_gdp
);
