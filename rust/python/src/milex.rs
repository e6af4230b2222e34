//! Glue for `powerbalance_core::milex`: SIPRI military expenditure (`_native.Milex`,
//! `read_milex`).

use super::{dataset_methods, reader, run_table, ArrowTable};
use powerbalance_core::milex::{self, Milex};
use powerbalance_core::Covered;
use pyo3::prelude::*;
use std::sync::Arc;

/// SIPRI military expenditure by state and year.
#[pyclass(frozen, name = "Milex", module = "powerbalance._native")]
pub struct PyMilex {
    pub(crate) inner: Arc<Milex>,
}

dataset_methods! {
impl PyMilex {
    /// One series (``constant``, ``current`` or ``share_gdp``) as a table.
    #[pyo3(signature = (measure="constant", start=None, end=None))]
    fn table(&self, measure: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let m = &*self.inner;
        run_table(|| milex::milex_table(m, measure.parse()?, m.period_opt(start, end, "table")?))
    }

    /// The states of a year ranked by a series, largest first.
    #[pyo3(signature = (year, measure="constant"))]
    fn rank(&self, year: i32, measure: &str) -> PyResult<ArrowTable> {
        run_table(|| milex::milex_rank(&self.inner, year, measure.parse()?))
    }
}
}

reader!(
    /// Read the SIPRI Military Expenditure Database (long CSV).
    read_milex -> PyMilex = milex::read_milex
);
