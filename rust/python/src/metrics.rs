//! Glue for `powerbalance_core::metrics` on plain values and ledgers: concentration and poles,
//! power transition, arms-trade dependence and strategic triangles, as module functions. A
//! distribution comes as `names, values`, a series as `years, values`
//! ([`conc::distribution`], [`tr::series`]).

use super::{run_table, ArrowTable, PyLedger};
use powerbalance_core::metrics::concentration::{self as conc, PoleRule};
use powerbalance_core::metrics::dependence::{self as dep, ChangePointOptions};
use powerbalance_core::metrics::transition::{self as tr, ParityBand};
use powerbalance_core::metrics::triangle::{self as tri, Thresholds};
use powerbalance_core::{Covered, Period};
use pyo3::prelude::*;

/// The module functions on one distribution (`names, values`, [`conc::distribution`]), one line
/// each: `name => table builder`, or `name(rule) => table builder` for those that also take a
/// pole rule (`rule="relative", threshold=0.5`, [`PoleRule::from_name`]).
macro_rules! on_distribution {
    ($(#[$doc:meta])* $name:ident(rule) => $table:path; $($rest:tt)*) => {
        $(#[$doc])*
        #[pyfunction]
        #[pyo3(signature = (names, values, rule="relative", threshold=0.5))]
        pub fn $name(names: Vec<String>, values: Vec<f64>, rule: &str, threshold: f64) -> PyResult<ArrowTable> {
            run_table(|| $table(&conc::distribution(names, values)?, PoleRule::from_name(rule, threshold)?))
        }
        on_distribution!($($rest)*);
    };
    ($(#[$doc:meta])* $name:ident => $table:path; $($rest:tt)*) => {
        $(#[$doc])*
        #[pyfunction]
        pub fn $name(names: Vec<String>, values: Vec<f64>) -> PyResult<ArrowTable> {
            run_table(|| $table(&conc::distribution(names, values)?))
        }
        on_distribution!($($rest)*);
    };
    () => {};
}

on_distribution! {
    /// HHI, CON, entropy, effective and counted poles, and the equilibrium test, as one row.
    concentration(rule) => conc::concentration_table;
    /// Each actor's share of the total: ``actor, value, share``.
    value_shares => conc::shares_table;
    /// The poles under a rule: ``rank, actor, share``.
    poles(rule) => conc::poles_table;
    /// Every coalition with its combined share and whether it balances the strongest.
    coalitions => conc::coalitions_table;
    /// Morgenthau's equilibrium test as one row: ``strongest, strongest_share, preponderant, holds,
    /// n_balancers, balancers``.
    equilibrium => conc::equilibrium_table;
}

/// Parity windows of two series: ``start, end, years, min_ratio, max_ratio``.
#[pyfunction]
#[pyo3(signature = (a_years, a_values, b_years, b_values, low=0.8, high=1.25))]
pub fn parity_windows(
    a_years: Vec<i32>, a_values: Vec<Option<f64>>, b_years: Vec<i32>, b_values: Vec<Option<f64>>, low: f64, high: f64,
) -> PyResult<ArrowTable> {
    run_table(|| {
        tr::parity_windows_table(
            &tr::series(a_years, a_values)?,
            &tr::series(b_years, b_values)?,
            ParityBand { low, high },
        )
    })
}

/// Crossover years of two series.
#[pyfunction]
pub fn crossovers(
    a_name: &str, a_years: Vec<i32>, a_values: Vec<Option<f64>>, b_name: &str, b_years: Vec<i32>,
    b_values: Vec<Option<f64>>,
) -> PyResult<ArrowTable> {
    run_table(|| tr::crossovers_table(a_name, &tr::series(a_years, a_values)?, b_name, &tr::series(b_years, b_values)?))
}

/// A projected crossover from log-linear growth fitted over ``fit_start..=fit_end``.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (a_name, a_years, a_values, b_name, b_years, b_values, fit_start, fit_end, z=1.96))]
pub fn project_crossover(
    a_name: &str, a_years: Vec<i32>, a_values: Vec<Option<f64>>, b_name: &str, b_years: Vec<i32>,
    b_values: Vec<Option<f64>>, fit_start: i32, fit_end: i32, z: f64,
) -> PyResult<ArrowTable> {
    run_table(|| {
        let (a, b) = (tr::series(a_years, a_values)?, tr::series(b_years, b_values)?);
        tr::projection_table(a_name, &a, b_name, &b, Period::new(fit_start, fit_end)?, z)
    })
}

/// Log-linear growth fitted over ``start..=end``: ``fit_start, fit_end, n, intercept, slope,
/// slope_se, growth``.
#[pyfunction]
pub fn fit_growth(years: Vec<i32>, values: Vec<Option<f64>>, start: i32, end: i32) -> PyResult<ArrowTable> {
    run_table(|| tr::fit_growth_table(&tr::series(years, values)?, Period::new(start, end)?))
}

/// The one-sided dependence functions, one line each: `name(actor, partner) => table builder`
/// (a recipient's dependence on its suppliers, a supplier's on its clients). Names are resolved
/// against the ledger and the period cut into blocks ([`dep::periods`]) before the core's table.
macro_rules! one_sided_dependence {
    ($($(#[$doc:meta])* $name:ident($actor:ident, $partner:ident) => $table:path;)*) => {$(
        $(#[$doc])*
        #[pyfunction]
        #[pyo3(signature = (ledger, $actor, start, end, $partner=None, block=None))]
        pub fn $name(
            ledger: &PyLedger, $actor: &str, start: i32, end: i32, $partner: Option<&str>, block: Option<usize>,
        ) -> PyResult<ArrowTable> {
            let l = &*ledger.inner;
            run_table(|| {
                let partner = $partner.map(|s| l.resolve(s)).transpose()?;
                $table(l, l.resolve($actor)?, partner, &dep::periods(Period::new(start, end)?, block)?)
            })
        }
    )*};
}

one_sided_dependence! {
    /// A recipient's dependence on its suppliers (or on one) by year or block of years.
    supplier_dependence(recipient, supplier) => dep::supplier_dependence_table;
    /// A supplier's dependence on its clients (or on one) by year or block of years.
    client_dependence(supplier, client) => dep::client_dependence_table;
}

/// The dependence asymmetry of a supplier-recipient dyad by year or block.
#[pyfunction]
#[pyo3(signature = (ledger, supplier, recipient, start, end, block=None))]
pub fn dependence_asymmetry(
    ledger: &PyLedger, supplier: &str, recipient: &str, start: i32, end: i32, block: Option<usize>,
) -> PyResult<ArrowTable> {
    let l = &*ledger.inner;
    run_table(|| {
        let periods = dep::periods(Period::new(start, end)?, block)?;
        dep::asymmetry_table(l, l.resolve(supplier)?, l.resolve(recipient)?, &periods)
    })
}

/// An actor's net exporter status by year.
#[pyfunction]
#[pyo3(signature = (ledger, actor, start=None, end=None))]
pub fn net_exporter(ledger: &PyLedger, actor: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
    let l = &*ledger.inner;
    run_table(|| dep::net_exporter(l, l.resolve(actor)?, l.period_opt(start, end, "net_exporter")?))
}

/// The peak of an annual series: ``year, value``.
#[pyfunction]
pub fn peak(years: Vec<i32>, values: Vec<Option<f64>>) -> PyResult<ArrowTable> {
    run_table(|| dep::peak_table(&tr::series(years, values)?))
}

/// Trailing moving average of an annual series: ``year, value, moving_average``.
#[pyfunction]
pub fn moving_average(years: Vec<i32>, values: Vec<Option<f64>>, window: usize) -> PyResult<ArrowTable> {
    run_table(|| powerbalance_core::metrics::arms_views::moving_average_series(&years, &values, window))
}

/// Change points of an annual series (segments of constant mean).
#[pyfunction]
#[pyo3(signature = (years, values, min_segment=2, penalty=2.0, max_changes=None))]
pub fn change_points(
    years: Vec<i32>, values: Vec<Option<f64>>, min_segment: usize, penalty: f64, max_changes: Option<usize>,
) -> PyResult<ArrowTable> {
    let o = ChangePointOptions { min_segment, penalty, max_changes };
    run_table(|| dep::change_points_table(&tr::series(years, values)?, o))
}

/// A strategic triangle over years from the pairwise scores ``[AB, BC, CA]``.
#[pyfunction]
#[pyo3(signature = (actors, years, ab, bc, ca, positive=0.0, negative=0.0))]
#[allow(clippy::too_many_arguments)]
pub fn triangle_series(
    actors: (String, String, String), years: Vec<i32>, ab: Vec<Option<f64>>, bc: Vec<Option<f64>>,
    ca: Vec<Option<f64>>, positive: f64, negative: f64,
) -> PyResult<ArrowTable> {
    run_table(|| {
        let names = [actors.0, actors.1, actors.2];
        tri::triangle_series(names, &tri::scores(years, ab, bc, ca)?, Thresholds::new(positive, negative)?)
    })
}
