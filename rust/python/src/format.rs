//! Glue for `powerbalance_core::format`: the one table formatter, for Python's `repr`,
//! `to_string` and `_repr_html_`.

use pyo3::prelude::*;
use pyo3_arrow::PyTable;

/// Render any Arrow table (anything with ``__arrow_c_stream__``) as text or HTML with the
/// package's unit rule: shares as per cent, differences of shares as pp, TIV and counts with
/// thousands separators. At most ``max_rows`` rows (all when None).
#[pyfunction]
#[pyo3(signature = (table, max_rows=None, html=false))]
pub fn format_table(table: PyTable, max_rows: Option<usize>, html: bool) -> PyResult<String> {
    let (batches, schema) = table.into_inner();
    super::run(move || {
        let batch = powerbalance_core::format::first_rows(&schema, &batches, max_rows.map(|m| m.saturating_add(1)))?;
        let total: usize = batches.iter().map(|b| b.num_rows()).sum();
        Ok(if html {
            powerbalance_core::format::to_html_total(&batch, max_rows, total)
        } else {
            powerbalance_core::format::to_text_total(&batch, max_rows, total)
        })
    })
}
