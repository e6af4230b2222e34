//! Glue for `powerbalance_core::milex`: SIPRI military expenditure (`_native.Milex`,
//! `read_milex`).

use super::{dataset, run_table, ArrowTable};
use powerbalance_core::milex::{self, Milex};
use pyo3::prelude::*;

dataset! {
    /// SIPRI military expenditure by state and year.
    class "Milex" PyMilex(Milex);
    /// Read the SIPRI Military Expenditure Database (long CSV).
    reader read_milex = milex::read_milex;
    /// One series (``constant``, ``current`` or ``share_gdp``) as a table.
    table(measure = "constant") = milex::milex_table, period_opt;
    impl {
        /// The states of a year ranked by a series, largest first.
        #[pyo3(signature = (year, measure="constant"))]
        fn rank(&self, year: i32, measure: &str) -> PyResult<ArrowTable> {
            run_table(|| milex::milex_rank(&self.inner, year, measure.parse()?))
        }
    }
}
