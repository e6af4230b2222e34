//! Glue for the script crate (`powerbalance_script`): the Rhai engine (`_native.Engine`) with
//! the conversion of values between Python and scripts, and the engine's function listing
//! (`_native.functions`).
//!
//! Scripts run with the GIL released. While one runs, the engine's progress hook re-acquires
//! the GIL every few tens of milliseconds and runs Python's signal handlers
//! (`Python::check_signals`), so Ctrl-C or a Jupyter interrupt raises `KeyboardInterrupt`
//! within a fraction of a second.

use super::{exc, invalid, run, table_from_py, with_attrs, ArrowTable, PyScenario};
use super::{
    PyAllianceYears, PyAlliances, PyCapabilities, PyIdealPoints, PyLedger, PyMaddison, PyMilex, PySdpGdp, PyStateList,
};
use powerbalance_core::scenario::Scenario;
use powerbalance_core::Table;
use powerbalance_script::rhai::{Array, Dynamic, Map};
use powerbalance_script::{
    AllianceYearsRef, AlliancesRef, CapsRef, DatasetEntry, IdealPointsRef, LedgerRef, Limits, MaddisonRef, MilexRef,
    ScriptEngine, ScriptError, SdpGdpRef, StateListRef, TableRef, MAX_CALL_LEVELS_CAP, MAX_EXPR_DEPTH_CAP, MAX_NESTING,
    MAX_WALL_TIME_CAP,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn script_error(py: Python<'_>, e: ScriptError) -> PyErr {
    let none = || py.None().into_bound(py);
    let n = |v: usize| v.into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none());
    let limit =
        e.limit.map(|l| l.into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none())).unwrap_or_else(none);
    with_attrs(
        py,
        exc::ScriptError::new_err(e.to_string()),
        &[
            ("message", e.message.clone().into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none())),
            ("line", n(e.line)),
            ("column", n(e.column)),
            ("limit", limit),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// values

/// A Python value as a script value: None, bool, int, float, str, list/tuple, dict (str keys),
/// ledgers, result tables (anything with `__arrow_c_stream__`) and scenarios.
fn to_dynamic(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<Dynamic> {
    to_dynamic_at(py, v, 0)
}

/// [`to_dynamic`] at nesting `depth`: lists and dicts nested deeper than
/// [`MAX_NESTING`] are refused (their conversion, and later their copies and drops, would
/// recurse that deep on this thread's stack).
fn to_dynamic_at(py: Python<'_>, v: &Bound<'_, PyAny>, depth: usize) -> PyResult<Dynamic> {
    if depth > MAX_NESTING {
        return Err(invalid(
            py,
            format!("lists and dicts nested deeper than {MAX_NESTING} levels cannot pass into a script"),
        ));
    }
    if v.is_none() {
        return Ok(Dynamic::UNIT);
    }
    if v.is_instance_of::<PyBool>() {
        return Ok(Dynamic::from_bool(v.extract()?));
    }
    if v.is_instance_of::<PyInt>() {
        let i: i64 = v.extract().map_err(|_| invalid(py, format!("integer {v} does not fit in 64 bits")))?;
        return Ok(Dynamic::from_int(i));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(Dynamic::from_float(v.extract()?));
    }
    if v.is_instance_of::<PyString>() {
        return Ok(Dynamic::from(v.extract::<String>()?));
    }
    if let Ok(l) = v.cast::<PyLedger>() {
        return Ok(Dynamic::from(LedgerRef(l.get().inner.clone())));
    }
    if let Some(m) = model_in(v) {
        return Ok(m);
    }
    if let Ok(s) = v.cast::<PyScenario>() {
        return Ok(Dynamic::from(s.get().inner.clone()));
    }
    if let Ok(t) = v.cast::<ArrowTable>() {
        return Ok(Dynamic::from(TableRef(Arc::new(Table { batch: t.get().batch.clone() }))));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut a = Array::new();
        for x in v.try_iter()? {
            a.push(to_dynamic_at(py, &x?, depth + 1)?);
        }
        return Ok(Dynamic::from_array(a));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut m = Map::new();
        for (k, x) in d.iter() {
            let k: String = k
                .extract()
                .map_err(|_| invalid(py, format!("dict keys must be strings to pass into a script, not {k}")))?;
            m.insert(k.into(), to_dynamic_at(py, &x, depth + 1)?);
        }
        return Ok(Dynamic::from_map(m));
    }
    // the Python wrappers (powerbalance.Ledger, Capabilities, ..., Scenario): their `.native`
    if let Ok(native) = v.getattr("native") {
        if native.cast::<PyLedger>().is_ok() || native.cast::<PyScenario>().is_ok() || model_in(&native).is_some() {
            return to_dynamic_at(py, &native, depth);
        }
    }
    if v.hasattr("__arrow_c_stream__")? {
        return Ok(Dynamic::from(TableRef(Arc::new(table_from_py(py, v, "a table")?))));
    }
    Err(invalid(py, format!("cannot pass a {} into a script", v.get_type().name()?)))
}

/// A native model (capabilities, military expenditure, GDP, alliances, ideal points, a state
/// list, alliance years) as the script value holding the same data.
fn model_in(v: &Bound<'_, PyAny>) -> Option<Dynamic> {
    macro_rules! try_model {
        ($($py:ty => $script:ident),*) => {
            $(if let Ok(x) = v.cast::<$py>() {
                return Some(Dynamic::from($script(x.get().inner.clone())));
            })*
        };
    }
    try_model!(PyCapabilities => CapsRef, PyMilex => MilexRef, PyMaddison => MaddisonRef, PySdpGdp => SdpGdpRef,
        PyAlliances => AlliancesRef, PyIdealPoints => IdealPointsRef, PyStateList => StateListRef,
        PyAllianceYears => AllianceYearsRef);
    None
}

/// A script model as the native Python object holding the same data (`None` for other values).
fn model_out(py: Python<'_>, v: &Dynamic) -> PyResult<Option<Py<PyAny>>> {
    macro_rules! try_model {
        ($($script:ident => $py:ident),*) => {
            $(if let Some(x) = v.clone().try_cast::<$script>() {
                return Ok(Some(Py::new(py, $py { inner: x.0 })?.into_any()));
            })*
        };
    }
    try_model!(CapsRef => PyCapabilities, MilexRef => PyMilex, MaddisonRef => PyMaddison, SdpGdpRef => PySdpGdp,
        AlliancesRef => PyAlliances, IdealPointsRef => PyIdealPoints, StateListRef => PyStateList,
        AllianceYearsRef => PyAllianceYears);
    Ok(None)
}

/// A script value as a Python value; tables leave as `ArrowTable`, ledgers as `Ledger`,
/// scenarios as `Scenario`, the other models as their native classes, functions and other
/// values as their text.
fn to_py(py: Python<'_>, v: Dynamic) -> PyResult<Py<PyAny>> {
    to_py_at(py, v, 0)
}

/// [`to_py`] at nesting `depth` (the engine never lets a value deeper than [`MAX_NESTING`]
/// out; this is the second guard).
fn to_py_at(py: Python<'_>, v: Dynamic, depth: usize) -> PyResult<Py<PyAny>> {
    if depth > MAX_NESTING {
        return Err(invalid(
            py,
            format!("a script value nested deeper than {MAX_NESTING} levels cannot be converted to Python"),
        ));
    }
    if v.is_unit() {
        return Ok(py.None());
    }
    if let Ok(b) = v.as_bool() {
        return Ok(PyBool::new(py, b).to_owned().into_any().unbind());
    }
    if let Ok(i) = v.as_int() {
        return Ok(i.into_pyobject(py)?.into_any().unbind());
    }
    if let Ok(f) = v.as_float() {
        return Ok(f.into_pyobject(py)?.into_any().unbind());
    }
    if v.is_string() || v.is_char() {
        return Ok(v.to_string().into_pyobject(py)?.into_any().unbind());
    }
    if v.is_array() {
        let a = v.into_array().unwrap_or_default();
        let items = a.into_iter().map(|x| to_py_at(py, x, depth + 1)).collect::<PyResult<Vec<_>>>()?;
        return Ok(PyList::new(py, items)?.into_any().unbind());
    }
    if v.is_map() {
        let d = PyDict::new(py);
        for (k, x) in v.cast::<Map>() {
            d.set_item(k.as_str(), to_py_at(py, x, depth + 1)?)?;
        }
        return Ok(d.into_any().unbind());
    }
    if v.is::<TableRef>() {
        let t = v.cast::<TableRef>();
        return Ok(Py::new(py, ArrowTable { batch: t.0.batch.clone() })?.into_any());
    }
    if v.is::<LedgerRef>() {
        let l = v.cast::<LedgerRef>();
        return Ok(Py::new(py, PyLedger { inner: l.0 })?.into_any());
    }
    if v.is::<Scenario>() {
        return Ok(Py::new(py, PyScenario { inner: v.cast::<Scenario>() })?.into_any());
    }
    if let Some(m) = model_out(py, &v)? {
        return Ok(m);
    }
    Ok(v.to_string().into_pyobject(py)?.into_any().unbind())
}

// ---------------------------------------------------------------------------------------------
// the engine

/// The limits a Python caller may set, with the largest value each accepts.
const LIMIT_NAMES: &str = "max_operations, max_call_levels, max_expr_depth, max_function_expr_depth, max_string_size, \
max_array_size, max_map_size, max_wall_time (seconds), max_source_size, max_output_size, max_memory (bytes)";

fn limits_from(py: Python<'_>, given: Option<HashMap<String, Bound<'_, PyAny>>>) -> PyResult<Limits> {
    let mut l = Limits::default();
    for (k, given) in given.unwrap_or_default() {
        let v: f64 = match given.extract::<f64>() {
            Ok(v) if !given.is_instance_of::<PyBool>() => v,
            _ => {
                return Err(invalid(
                    py,
                    format!(
                        "limit {k} must be a number, not {}",
                        given.repr().map(|r| r.to_string()).unwrap_or_default().chars().take(80).collect::<String>()
                    ),
                ))
            }
        };
        // a whole number from `lo` to `hi` (checked on the float, so that 2**70 or -1 or nan is
        // refused with the limit's name instead of being cast)
        let whole = |lo: f64, hi: f64| -> PyResult<f64> {
            if !v.is_finite() || v.fract() != 0.0 || v < lo || v > hi {
                return Err(invalid(py, format!("limit {k} must be a whole number from {lo} to {hi}, not {v}")));
            }
            Ok(v)
        };
        let size = || whole(0.0, (usize::MAX >> 1) as f64).map(|x| x as usize);
        match k.as_str() {
            "max_operations" => l.max_operations = whole(0.0, 1e18)? as u64,
            "max_call_levels" => l.max_call_levels = whole(1.0, MAX_CALL_LEVELS_CAP as f64)? as usize,
            "max_expr_depth" => l.max_expr_depth = whole(1.0, MAX_EXPR_DEPTH_CAP as f64)? as usize,
            "max_function_expr_depth" => l.max_function_expr_depth = whole(1.0, MAX_EXPR_DEPTH_CAP as f64)? as usize,
            "max_string_size" => l.max_string_size = size()?,
            "max_array_size" => l.max_array_size = size()?,
            "max_map_size" => l.max_map_size = size()?,
            "max_source_size" => l.max_source_size = whole(1.0, (usize::MAX >> 1) as f64)? as usize,
            "max_output_size" => l.max_output_size = whole(1.0, (usize::MAX >> 1) as f64)? as usize,
            "max_memory" => l.max_memory = size()?,
            "max_wall_time" => {
                let cap = MAX_WALL_TIME_CAP.as_secs_f64();
                if !v.is_finite() || v <= 0.0 || v > cap {
                    return Err(invalid(
                        py,
                        format!("limit max_wall_time must be above 0 and at most {cap} seconds, not {v}"),
                    ));
                }
                l.max_wall_time = Duration::from_secs_f64(v)
            }
            _ => return Err(invalid(py, format!("unknown limit {k:?}; the limits are {LIMIT_NAMES}"))),
        }
    }
    l.check().map_err(|(_, msg)| invalid(py, msg))?;
    Ok(l)
}

/// The error for a call made while the engine runs a script in another thread.
fn busy(py: Python<'_>) -> PyErr {
    script_error(
        py,
        ScriptError {
            message: "the engine is running a script (in another thread); wait until it returns, or use another Engine"
                .into(),
            line: 0,
            column: 0,
            limit: None,
            interrupted: false,
        },
    )
}

/// `{name: (kind, path)}` from Python as the engine's dataset map.
fn dataset_entries(given: HashMap<String, (String, PathBuf)>) -> Vec<(String, DatasetEntry)> {
    given.into_iter().map(|(n, (kind, path))| (n, DatasetEntry { kind, path })).collect()
}

/// A sandboxed Rhai engine with one scope kept across calls. Use ``powerbalance.script.Engine``.
#[pyclass(name = "Engine", module = "powerbalance._native")]
pub struct PyEngine {
    inner: Arc<Mutex<ScriptEngine>>,
}

impl PyEngine {
    /// The engine, or the "running a script" error at once (never waits: a caller holding the
    /// GIL must not wait for a script whose interrupt check needs the GIL).
    fn engine(&self, py: Python<'_>) -> PyResult<std::sync::MutexGuard<'_, ScriptEngine>> {
        match self.inner.try_lock() {
            Ok(g) => Ok(g),
            Err(std::sync::TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => Err(busy(py)),
        }
    }
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (roots=Vec::new(), limits=None, datasets=None))]
    fn new(
        py: Python<'_>, roots: Vec<PathBuf>, limits: Option<HashMap<String, Bound<'_, PyAny>>>,
        datasets: Option<HashMap<String, (String, PathBuf)>>,
    ) -> PyResult<Self> {
        let limits = limits_from(py, limits)?;
        let mut e = ScriptEngine::new(limits, roots);
        if let Some(d) = datasets {
            e.set_datasets(dataset_entries(d)).map_err(|m| invalid(py, m))?;
        }
        Ok(PyEngine { inner: Arc::new(Mutex::new(e)) })
    }

    /// Run ``code`` in the engine's scope; returns ``(value, printed_lines)``. Raises
    /// ``ScriptError`` (with the lines printed before the error in ``output``) or
    /// ``KeyboardInterrupt``. While it runs, every other call on this engine from another
    /// thread raises ``ScriptError`` ("the engine is running a script") at once.
    fn eval(&self, py: Python<'_>, code: &str) -> PyResult<(Py<PyAny>, Vec<String>)> {
        let pending: Arc<Mutex<Option<PyErr>>> = Arc::new(Mutex::new(None));
        let p2 = pending.clone();
        let check: powerbalance_script::InterruptCheck = Arc::new(move || {
            Python::attach(|py| match py.check_signals() {
                Ok(()) => false,
                Err(e) => {
                    *p2.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                    true
                }
            })
        });
        let inner = self.inner.clone();
        let code = code.to_string();
        let ran = run(move || {
            let mut e = match inner.try_lock() {
                Ok(g) => g,
                Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => return Ok(None),
            };
            e.set_interrupt(Some(check));
            let r = e.eval(&code);
            e.set_interrupt(None);
            Ok(Some((r, e.take_output())))
        })?;
        let Some((result, output)) = ran else { return Err(busy(py)) };
        match result {
            Ok(v) => Ok((to_py(py, v)?, output)),
            Err(e) => {
                if e.interrupted {
                    if let Some(err) = pending.lock().unwrap_or_else(|p| p.into_inner()).take() {
                        return Err(err);
                    }
                }
                let err = script_error(py, e);
                err.value(py).setattr("output", PyList::new(py, &output)?)?;
                Err(err)
            }
        }
    }

    /// Set a variable of the scope.
    fn set(&self, py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let v = to_dynamic(py, value)?;
        if name.is_empty()
            || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
            || name.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            return Err(invalid(py, format!("{name:?} is not a valid variable name")));
        }
        self.engine(py)?.set(name, v);
        Ok(())
    }

    /// A variable of the scope; raises ``KeyError`` when there is none.
    fn get(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        let v = self.engine(py)?.get(name);
        match v {
            Some(v) => to_py(py, v),
            None => Err(pyo3::exceptions::PyKeyError::new_err(format!("no variable {name:?} in the script's scope"))),
        }
    }

    /// Names of the variables in the scope.
    fn names(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        Ok(self.engine(py)?.names())
    }

    /// Every variable of the scope with its Rhai type name, in definition order.
    fn variables(&self, py: Python<'_>) -> PyResult<Vec<(String, String)>> {
        Ok(self.engine(py)?.variables())
    }

    /// Forget every variable.
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        self.engine(py)?.reset();
        Ok(())
    }

    /// The datasets ``dataset(name)`` reads in scripts: ``{name: (kind, absolute path)}``,
    /// replacing the previous map. Kinds: ``sipri, nmc, milex, cow-alliances, atop,
    /// ideal-points, maddison, sdp-gdp, states``.
    fn set_datasets(&self, py: Python<'_>, datasets: HashMap<String, (String, PathBuf)>) -> PyResult<()> {
        let entries = dataset_entries(datasets);
        self.engine(py)?.set_datasets(entries).map_err(|m| invalid(py, m))
    }

    /// The registered datasets: ``{name: (kind, path)}``.
    fn datasets(&self, py: Python<'_>) -> PyResult<HashMap<String, (String, PathBuf)>> {
        Ok(self.engine(py)?.datasets().into_iter().map(|(n, e)| (n, (e.kind, e.path))).collect())
    }

    /// The limits in force (``max_wall_time`` in seconds).
    fn limits(&self, py: Python<'_>) -> PyResult<HashMap<String, f64>> {
        let e = self.engine(py)?;
        let l = e.limits();
        Ok(HashMap::from([
            ("max_operations".to_string(), l.max_operations as f64),
            ("max_call_levels".to_string(), l.max_call_levels as f64),
            ("max_expr_depth".to_string(), l.max_expr_depth as f64),
            ("max_function_expr_depth".to_string(), l.max_function_expr_depth as f64),
            ("max_string_size".to_string(), l.max_string_size as f64),
            ("max_array_size".to_string(), l.max_array_size as f64),
            ("max_map_size".to_string(), l.max_map_size as f64),
            ("max_wall_time".to_string(), l.max_wall_time.as_secs_f64()),
            ("max_source_size".to_string(), l.max_source_size as f64),
            ("max_output_size".to_string(), l.max_output_size as f64),
            ("max_memory".to_string(), l.max_memory as f64),
        ]))
    }
}

/// The function listing of the script engine (Rhai's own metadata): one dict per function,
/// ``name, signature, params`` (list of ``(name, type)``), ``returns, doc, this`` (the
/// receiver's type for a method, else None) and ``property``.
#[pyfunction]
#[pyo3(signature = (standard=false))]
pub fn functions(py: Python<'_>, standard: bool) -> PyResult<Bound<'_, PyList>> {
    let out = PyList::empty(py);
    for f in powerbalance_script::functions(standard) {
        let d = PyDict::new(py);
        d.set_item("name", &f.name)?;
        d.set_item("signature", &f.signature)?;
        d.set_item("params", f.params.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect::<Vec<_>>())?;
        d.set_item("returns", &f.returns)?;
        d.set_item("doc", &f.doc)?;
        d.set_item("this", f.this.as_deref())?;
        d.set_item("property", f.property)?;
        out.append(d)?;
    }
    Ok(out)
}
