//! Glue for `powerbalance_core::gdp`: the Maddison Project (`_native.Maddison`,
//! `read_maddison`) and the Anders-Fariss-Markowitz estimates (`_native.SdpGdp`, `read_sdp_gdp`).

use super::{dataset, run_table, ArrowTable};
use powerbalance_core::gdp::{self, Maddison, SdpGdp};
use pyo3::prelude::*;

dataset! {
    /// The Maddison Project (GDP per capita, population).
    class "Maddison" PyMaddison(Maddison);
    /// Read the Maddison Project Database 2023 CSV.
    reader read_maddison = gdp::read_maddison;
    /// The rows of ``start..=end`` (default: the coverage).
    table = gdp::maddison_table, period;
    impl {
        /// The states of a year ranked by ``gdp``, ``gdppc`` or ``pop``.
        #[pyo3(signature = (year, measure="gdp"))]
        fn rank(&self, year: i32, measure: &str) -> PyResult<ArrowTable> {
            run_table(|| gdp::maddison_rank(&self.inner, year, measure.parse()?))
        }
    }
}

dataset! {
    /// The Anders-Fariss-Markowitz GDP and SDP estimates.
    class "SdpGdp" PySdpGdp(SdpGdp);
    /// Read the Anders-Fariss-Markowitz GDP/SDP CSV (logs).
    reader read_sdp_gdp = gdp::read_sdp_gdp;
    /// The rows of ``start..=end`` (default: the coverage).
    table = gdp::sdp_gdp_table, period_opt;
    impl {}
}
