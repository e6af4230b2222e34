//! Glue for `powerbalance_core::scenario`: what-if scenarios (`_native.Scenario`) and the
//! comparison of two result tables (`_native.compare_tables`).

use super::{invalid, methods, run, run_table, table_from_py, ArrowTable, Years};
use super::{PyAlliances, PyCapabilities, PyIdealPoints, PyLedger, PyMilex};
use powerbalance_core::scenario::{self as sc, Operation, Scenario};
use powerbalance_core::Period;
use pyo3::prelude::*;
use std::sync::Arc;

/// A what-if scenario (immutable; each operation returns a new scenario).
#[pyclass(frozen, name = "Scenario", module = "powerbalance._native")]
pub struct PyScenario {
    pub(crate) inner: Scenario,
}

impl PyScenario {
    /// The scenario with the operation `op` builds appended: `op` checks its arguments (a
    /// period with `Period::from_pair`), then the core's `Operation::check` checks the whole.
    fn with(&self, op: impl FnOnce() -> powerbalance_core::Result<Operation> + Send) -> PyResult<PyScenario> {
        let op = run(|| op().and_then(|op| op.check().map(|()| op)))?;
        let mut s = self.inner.clone();
        s.push(op);
        Ok(PyScenario { inner: s })
    }
}

methods! {
impl PyScenario {
    get {
        name -> String { name.clone() }

        baseline -> Option<String> { baseline.clone() }

        /// The operations, one line each.
        operations -> Vec<String> { operations.iter().map(|o| o.describe()).collect() }
    }

    #[new]
    #[pyo3(signature = (name="", baseline=None))]
    fn new(name: &str, baseline: Option<String>) -> Self {
        let mut s = Scenario::new(name);
        s.baseline = baseline;
        PyScenario { inner: s }
    }

    /// A scenario from JSON.
    #[staticmethod]
    fn from_json(json: &str) -> PyResult<PyScenario> {
        run(|| Scenario::from_json(json)).map(|inner| PyScenario { inner })
    }

    /// The scenario as JSON.
    fn to_json(&self) -> PyResult<String> {
        run(|| self.inner.to_json())
    }

    #[pyo3(signature = (supplier=None, recipient=None, period=None, category=None))]
    fn embargo(
        &self,
        supplier: Option<String>,
        recipient: Option<String>,
        period: Years,
        category: Option<String>,
    ) -> PyResult<PyScenario> {
        self.with(|| {
            let period = Period::from_pair(period)?;
            Ok(match category {
                Some(category) => Operation::EmbargoCategory { category, supplier, recipient, period },
                None => Operation::Embargo { supplier, recipient, period },
            })
        })
    }

    #[pyo3(signature = (recipient, from_, to=None, period=None))]
    fn redirect(&self, recipient: String, from_: String, to: Option<String>, period: Years) -> PyResult<PyScenario> {
        self.with(|| Ok(Operation::Redirect { recipient, from: from_, to, period: Period::from_pair(period)? }))
    }

    #[pyo3(signature = (supplier, factor, period=None))]
    fn scale_exports(&self, supplier: String, factor: f64, period: Years) -> PyResult<PyScenario> {
        self.with(|| Ok(Operation::ScaleExports { supplier, factor, period: Period::from_pair(period)? }))
    }

    #[pyo3(signature = (recipient, factor, period=None))]
    fn scale_imports(&self, recipient: String, factor: f64, period: Years) -> PyResult<PyScenario> {
        self.with(|| Ok(Operation::ScaleImports { recipient, factor, period: Period::from_pair(period)? }))
    }

    #[pyo3(signature = (actor, factor, from_year, to_year=None, measure=None))]
    fn scale_capabilities(
        &self,
        actor: String,
        factor: f64,
        from_year: i32,
        to_year: Option<i32>,
        measure: Option<String>,
    ) -> PyResult<PyScenario> {
        self.with(|| Ok(Operation::ScaleCapabilities { actor, factor, measure, from_year, to_year }))
    }

    #[pyo3(signature = (actor, factor, from_year, measure=None))]
    fn scale_growth(
        &self,
        actor: String,
        factor: f64,
        from_year: i32,
        measure: Option<String>,
    ) -> PyResult<PyScenario> {
        self.with(|| Ok(Operation::ScaleGrowth { actor, factor, measure, from_year }))
    }

    #[pyo3(signature = (a, b, alliance_type, period=None))]
    fn form_alliance(&self, a: String, b: String, alliance_type: String, period: Years) -> PyResult<PyScenario> {
        self.with(|| Ok(Operation::FormAlliance { a, b, alliance_type, period: Period::from_pair(period)? }))
    }

    #[pyo3(signature = (a, b, alliance_type=None, period=None))]
    fn dissolve_alliance(
        &self,
        a: String,
        b: String,
        alliance_type: Option<String>,
        period: Years,
    ) -> PyResult<PyScenario> {
        self.with(|| Ok(Operation::DissolveAlliance { a, b, alliance_type, period: Period::from_pair(period)? }))
    }

    #[pyo3(signature = (actor, by, toward=None, period=None))]
    fn shift_ideal_point(&self, actor: String, by: f64, toward: Option<String>, period: Years) -> PyResult<PyScenario> {
        self.with(|| Ok(Operation::ShiftIdealPoint { actor, by, toward, period: Period::from_pair(period)? }))
    }

    /// The scenario applied to a native ledger, capabilities, military expenditure, alliances
    /// or ideal points: a new object of the same kind.
    fn apply(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let s = &self.inner;
        macro_rules! apply_to {
            ($($class:ident => $apply:ident),*) => {$(
                if let Ok(x) = data.cast::<$class>() {
                    let x = &*x.get().inner;
                    return Ok(Py::new(py, $class { inner: Arc::new(run(|| s.$apply(x))?) })?.into_any());
                }
            )*};
        }
        apply_to!(PyLedger => apply, PyCapabilities => apply_capabilities, PyMilex => apply_milex,
            PyAlliances => apply_alliances, PyIdealPoints => apply_ideal_points);
        let what = data.get_type().name()?;
        Err(invalid(py, format!("a scenario applies to a ledger, capabilities, military expenditure, alliances or ideal points, not {what}")))
    }

    /// What each operation does to the world total on ``ledger``.
    fn effects(&self, ledger: &PyLedger) -> PyResult<ArrowTable> {
        let (s, l) = (&self.inner, &*ledger.inner);
        run_table(|| s.effects(l))
    }

    fn __len__(&self) -> usize {
        self.inner.operations.len()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyScenario>().map(|o| o.get().inner == self.inner).unwrap_or(false)
    }

    fn __repr__(&self) -> String {
        format!("<Scenario {:?}: {} operation(s)>", self.inner.name, self.inner.operations.len())
    }
}
}

/// Two tables side by side with the differences (``v_baseline, v_scenario, v_diff``).
#[pyfunction]
#[pyo3(signature = (baseline, scenario, keys=None))]
pub fn compare_tables(
    py: Python<'_>, baseline: &Bound<'_, PyAny>, scenario: &Bound<'_, PyAny>, keys: Option<Vec<String>>,
) -> PyResult<ArrowTable> {
    let (a, b) = (table_from_py(py, baseline, "baseline")?, table_from_py(py, scenario, "scenario")?);
    run_table(|| sc::compare_tables(&a, &b, keys.as_deref()))
}
