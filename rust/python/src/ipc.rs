//! Glue for `powerbalance_core::ledger_ipc`: the byte forms that carry a ledger or a result
//! table to another process (pickling, `concurrent.futures`, Dask, Ray), Arrow IPC streams.

use super::{run, run_table, ArrowTable, PyLedger};
use powerbalance_core::sweep::concat;
use powerbalance_core::{ledger_ipc, Table};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

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
            _ => concat(&tables),
        }
    })
}
