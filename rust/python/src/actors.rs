//! Glue for `powerbalance_core::actors`: the built-in actor registry (`_native.actors`,
//! `_native.actor`).

use super::{run, run_table, ArrowTable};
use powerbalance_core::metrics::transfers as tm;
use powerbalance_core::ActorRegistry;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// The built-in actor registry as a table.
#[pyfunction]
pub fn actors() -> PyResult<ArrowTable> {
    run_table(|| tm::actors(ActorRegistry::builtin()))
}

/// One actor of the built-in registry as a dict.
#[pyfunction]
pub fn actor<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let reg = ActorRegistry::builtin();
    let a = reg.get(run(|| reg.resolve(name))?);
    let d = PyDict::new(py);
    d.set_item("name", &a.name)?;
    d.set_item("kind", a.kind.as_str())?;
    d.set_item("sipri_code", &a.sipri_code)?;
    d.set_item("cow_code", a.cow_code)?;
    d.set_item("iso3", &a.iso3)?;
    d.set_item("aliases", PyList::new(py, &a.aliases)?)?;
    d.set_item("successor", a.successor.map(|s| reg.name(s)))?;
    d.set_item("predecessor", a.predecessor.map(|s| reg.name(s)))?;
    Ok(d)
}
