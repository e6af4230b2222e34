//! Sweeps and the byte forms that carry a ledger, a table or a scenario list to another process
//! (pickling, `concurrent.futures`, Dask, Ray). Each function is a line into the core
//! (`powerbalance_core::sweep`, `powerbalance_core::ledger_ipc`).

use super::{run, run_table, to_pyerr, ArrowTable, PyLedger};
use powerbalance_core::ledger_ipc;
use powerbalance_core::sweep::{self as core_sweep, Metric};
use powerbalance_core::Table;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// The sweep of the scenarios (a JSON array) over the ledger with the metric (JSON), on
/// ``threads`` threads (0: all cores), scenario ids counted from ``first``.
#[pyfunction]
#[pyo3(signature = (ledger, scenarios_json, metric_json, threads=0, first=0))]
pub fn sweep(
    ledger: &PyLedger,
    scenarios_json: &str,
    metric_json: &str,
    threads: usize,
    first: usize,
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
pub fn metric_json(py: Python<'_>, json: &str) -> PyResult<String> {
    Metric::from_json(json).and_then(|m| m.to_json()).map_err(|e| to_pyerr(py, e))
}

/// The ledger as Arrow IPC bytes (entry columns, and its state as JSON in the metadata).
#[pyfunction]
pub fn ledger_to_ipc<'py>(py: Python<'py>, ledger: &PyLedger) -> PyResult<Bound<'py, PyBytes>> {
    let l = &*ledger.inner;
    run(|| ledger_ipc::ledger_to_ipc(l)).map(|b| PyBytes::new(py, &b))
}

/// A ledger from :func:`ledger_to_ipc`'s bytes.
#[pyfunction]
pub fn ledger_from_ipc(data: &[u8]) -> PyResult<PyLedger> {
    run(|| ledger_ipc::ledger_from_ipc(data)).map(PyLedger::from)
}

/// A result table as Arrow IPC stream bytes (schema metadata kept).
#[pyfunction]
pub fn table_to_ipc<'py>(py: Python<'py>, table: &ArrowTable) -> PyResult<Bound<'py, PyBytes>> {
    let t = Table { batch: table.batch.clone() };
    run(|| ledger_ipc::table_to_ipc(&t)).map(|b| PyBytes::new(py, &b))
}

/// A result table from IPC bytes; several are stacked in order (the chunks of a sweep; the
/// columns must agree, schema metadata is dropped).
#[pyfunction]
pub fn table_from_ipc(data: Vec<Vec<u8>>) -> PyResult<ArrowTable> {
    run_table(|| {
        let tables =
            data.iter().map(|d| ledger_ipc::table_from_ipc(d)).collect::<powerbalance_core::Result<Vec<_>>>()?;
        match tables.len() {
            1 => Ok(tables.into_iter().next().expect("one table")),
            _ => core_sweep::concat(&tables),
        }
    })
}
