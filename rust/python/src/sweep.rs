//! Glue for `powerbalance_core::sweep`: many scenarios over one ledger with a metric, on
//! threads (`_native.sweep`), and the metric's JSON (`_native.metric_json`). The byte forms
//! that carry a sweep's inputs and results to other processes are in `ipc.rs`.

use super::{run, run_table, ArrowTable, PyLedger};
use powerbalance_core::sweep::{self as core_sweep, Metric};
use pyo3::prelude::*;

/// The sweep of the scenarios (a JSON array) over the ledger with the metric (JSON), on
/// ``threads`` threads (0: all cores), scenario ids counted from ``first``.
#[pyfunction]
#[pyo3(signature = (ledger, scenarios_json, metric_json, threads=0, first=0))]
pub fn sweep(
    ledger: &PyLedger, scenarios_json: &str, metric_json: &str, threads: usize, first: usize,
) -> PyResult<ArrowTable> {
    let l = &*ledger.inner;
    run_table(|| {
        core_sweep::sweep(
            l,
            &core_sweep::scenarios_from_json(scenarios_json)?,
            &Metric::from_json(metric_json)?,
            threads,
            first,
        )
    })
}

/// The metric's JSON, checked and in its normal form (``{"metric": "importers", ...}``).
#[pyfunction]
pub fn metric_json(json: &str) -> PyResult<String> {
    run(|| Metric::from_json(json)?.to_json())
}
