//! Glue for `powerbalance_core::metrics::alignment`: every alignment measure by dyad-year
//! (`alignment`, `alignment_dyad`) and of two plain portfolios (`alignment_scores`). A missing
//! bound of the period is the alliance file's ([`Covered::period`]).

use super::{run_table, ArrowTable, PyAlliances, PyCapabilities};
use powerbalance_core::actors::cow_code;
use powerbalance_core::metrics::alignment as al;
use powerbalance_core::{Covered, Result};
use pyo3::prelude::*;

/// Every alignment measure of every pair of ``states`` (default: the NMC members) by year.
#[pyfunction]
#[pyo3(signature = (alliances, capabilities, start=None, end=None, states=None, distance="absolute"))]
pub fn alignment(
    alliances: &PyAlliances, capabilities: &PyCapabilities, start: Option<i32>, end: Option<i32>,
    states: Option<Vec<String>>, distance: &str,
) -> PyResult<ArrowTable> {
    let (a, c) = (&*alliances.inner, &*capabilities.inner);
    run_table(|| {
        let list = states.map(|v| v.iter().map(|x| cow_code(x)).collect::<Result<Vec<u16>>>()).transpose()?;
        al::alignment(a, c, a.period(start, end, "alignment")?, list.as_deref(), distance.parse()?)
    })
}

/// Every alignment measure of one dyad by year.
#[pyfunction]
#[pyo3(signature = (alliances, capabilities, a, b, start=None, end=None, distance="absolute"))]
#[allow(clippy::too_many_arguments)]
pub fn alignment_dyad(
    alliances: &PyAlliances, capabilities: &PyCapabilities, a: &str, b: &str, start: Option<i32>, end: Option<i32>,
    distance: &str,
) -> PyResult<ArrowTable> {
    let (al_, c) = (&*alliances.inner, &*capabilities.inner);
    run_table(|| {
        al::alignment_dyad(
            al_,
            c,
            cow_code(a)?,
            cow_code(b)?,
            al_.period(start, end, "alignment_dyad")?,
            distance.parse()?,
        )
    })
}

/// Every alignment measure of two portfolios of levels 0-3.
#[pyfunction]
#[pyo3(signature = (x, y, weights=None, distance="absolute"))]
pub fn alignment_scores(x: Vec<u8>, y: Vec<u8>, weights: Option<Vec<f64>>, distance: &str) -> PyResult<ArrowTable> {
    run_table(|| al::alignment_scores(&x, &y, weights.as_deref(), distance.parse()?))
}
