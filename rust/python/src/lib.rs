//! `powerbalance._native`: thin PyO3 glue over `powerbalance-core`, one file per core module
//! (polars' `py-polars` layout):
//!
//! | file | core module | Python classes and functions |
//! |---|---|---|
//! | `ledger.rs` | `ledger` (read by `sipri`; methods from `metrics::{transfers, arms_views, regions}`) | `Ledger`, `read_sipri*` |
//! | `actors.rs` | `actors` | `actors`, `actor` |
//! | `capabilities.rs` | `capabilities` (NMC, state lists) | `Capabilities`, `StateList`, `read_nmc/states/majors` |
//! | `milex.rs` | `milex` | `Milex`, `read_milex` |
//! | `gdp.rs` | `gdp` | `Maddison`, `SdpGdp`, `read_maddison`, `read_sdp_gdp` |
//! | `relations.rs` | `relations` (methods from `metrics::alignment`) | `Alliances`, `IdealPoints`, `read_alliances`, `read_ideal_points` |
//! | `alignment.rs` | `metrics::alignment` | `alignment`, `alignment_dyad`, `alignment_scores` |
//! | `metrics.rs` | `metrics` (concentration, transition, dependence, triangle) | module functions |
//! | `panels.rs` | `panels` | `AllianceYears`, `state_years`, `dyad_years`, `arms_flows` |
//! | `format.rs` | `format` | `format_table` |
//! | `scenario.rs` | `scenario` | `Scenario`, `compare_tables` |
//! | `sweep.rs` | `sweep` | `sweep`, `metric_json` |
//! | `ipc.rs` | `ledger_ipc` | `ledger_to_ipc`, `ledger_from_ipc`, `table_to_ipc`, `table_from_ipc` |
//! | `script.rs` | the script crate | `Engine`, `functions` |
//!
//! Every method is a few lines: release the GIL, call the core, hand the result back. Arguments
//! are resolved by the core (periods by [`powerbalance_core::Covered`], option names by
//! `FromStr`, states by [`powerbalance_core::actors::cow_code`]). Result tables leave as
//! [`ArrowTable`], which exports its Arrow `RecordBatch` through the Arrow PyCapsule interface
//! (`__arrow_c_stream__`) without copying, so pyarrow, polars, pandas and duckdb read it
//! directly; tables come in through pyo3-arrow's `PyTable`. Core errors become the exceptions of
//! `powerbalance.errors` (see [`to_pyerr`]); a panic never crosses into Python (see [`run`]).

use arrow_array::{ArrayRef, RecordBatch, StructArray};
use arrow_schema::Field;
use powerbalance_core::{Error, Period, Table};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyList};
use pyo3_arrow::PyTable;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

mod actors;
mod alignment;
mod capabilities;
mod format;
mod gdp;
mod ipc;
mod ledger;
mod metrics;
mod milex;
mod panels;
mod relations;
mod scenario;
mod script;
mod sweep;

// Every class at the crate root, for the glue files that take another module's class.
pub(crate) use capabilities::{PyCapabilities, PyStateList};
#[allow(unused_imports)]
pub(crate) use gdp::{PyMaddison, PySdpGdp};
pub(crate) use ledger::PyLedger;
pub(crate) use milex::PyMilex;
pub(crate) use panels::PyAllianceYears;
pub(crate) use relations::{PyAlliances, PyIdealPoints};
pub(crate) use scenario::PyScenario;

/// A period as Python passes it where it is optional and comes whole: ``(start, end)`` or None
/// (a scenario operation's ``period=``, a fact sheet's ``compare=``); the core checks it
/// (`Period::from_pair`).
pub(crate) type Years = Option<(i32, i32)>;

/// The extension's allocator: mimalloc keeps freed memory for reuse, where glibc's malloc
/// hands large blocks back to the kernel and takes them again, page fault by page fault (a
/// third of a register read's time, measured; see benchmarks/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// ---------------------------------------------------------------------------------------------
// errors

/// The exception classes of `powerbalance.errors`, each imported once (on its first use) and
/// kept: an error is raised without a lookup by name.
pub(crate) mod exc {
    pyo3::import_exception!(powerbalance.errors, PowerbalanceError);
    pyo3::import_exception!(powerbalance.errors, DataFormatError);
    pyo3::import_exception!(powerbalance.errors, EmptyFileError);
    pyo3::import_exception!(powerbalance.errors, EncodingError);
    pyo3::import_exception!(powerbalance.errors, OverlapError);
    pyo3::import_exception!(powerbalance.errors, UnknownActorError);
    pyo3::import_exception!(powerbalance.errors, InvalidArgumentError);
    pyo3::import_exception!(powerbalance.errors, CoverageError);
    pyo3::import_exception!(powerbalance.errors, DataIOError);
    pyo3::import_exception!(powerbalance.errors, DataFileNotFoundError);
    pyo3::import_exception!(powerbalance.errors, ScriptError);
}

/// `err` with the attributes `attrs` set on its exception instance.
pub(crate) fn with_attrs<'py>(py: Python<'py>, err: PyErr, attrs: &[(&str, Bound<'py, PyAny>)]) -> PyErr {
    let value = err.value(py);
    for (k, v) in attrs {
        if let Err(e) = value.setattr(*k, v) {
            return e;
        }
    }
    err
}

/// Map a core error to its `powerbalance.errors` exception.
///
/// | core variant | Python exception | attributes |
/// |---|---|---|
/// | `Format`, `Parse` | `DataFormatError` (`ValueError`) | `path, line, column, column_name` |
/// | `Empty` | `EmptyFileError` | `path` |
/// | `Encoding` | `EncodingError` | `path, line, column` (byte offset) |
/// | `Overlap` | `OverlapError` | `path` (first file), `other_path` |
/// | `UnknownActor` | `UnknownActorError` (`KeyError`) | `name, suggestions` |
/// | `InvalidArgument` | `InvalidArgumentError` (`ValueError`) | |
/// | `Coverage` | `CoverageError` (an `InvalidArgumentError`) | `dataset, coverage, requested, what` |
/// | `Io` | `DataIOError` (`OSError`); `DataFileNotFoundError` (`FileNotFoundError`) when missing | `errno, strerror, filename, path` |
pub(crate) fn to_pyerr(py: Python<'_>, e: Error) -> PyErr {
    let msg = e.to_string();
    let none = || py.None().into_bound(py);
    let s = |v: &str| v.into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none());
    let n = |v: usize| v.into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none());
    let p = |v: &std::path::Path| s(&v.display().to_string());
    match e {
        Error::Io { path, source } => {
            let (errno, strerror) = match source.raw_os_error() {
                // OSError's own layout: "[Errno 2] No such file or directory: 'path'"
                Some(errno) => {
                    let text = source.to_string();
                    (errno, text.trim_end_matches(&format!(" (os error {errno})")).to_string())
                }
                // A refusal of the core's input layer (a FIFO or device, a file above the size
                // cap): OSError(errno, strerror, filename), so that str() keeps the reason.
                None => {
                    let errno = match source.kind() {
                        std::io::ErrorKind::InvalidInput => 22, // EINVAL
                        std::io::ErrorKind::InvalidData => 27,  // EFBIG
                        _ => 5,                                 // EIO
                    };
                    (errno, source.to_string())
                }
            };
            let args = (errno, strerror, path.display().to_string());
            if source.kind() == std::io::ErrorKind::NotFound {
                exc::DataFileNotFoundError::new_err(args)
            } else {
                exc::DataIOError::new_err(args)
            }
        }
        Error::Empty { path } => with_attrs(py, exc::EmptyFileError::new_err(msg), &[("path", p(&path))]),
        Error::Format { path, line, .. } => {
            with_attrs(py, exc::DataFormatError::new_err(msg), &[("path", p(&path)), ("line", n(line))])
        }
        Error::Parse { path, line, column, column_name, .. } => with_attrs(
            py,
            exc::DataFormatError::new_err(msg),
            &[
                ("path", p(&path)),
                ("line", n(line)),
                ("column", n(column)),
                ("column_name", column_name.as_deref().map(s).unwrap_or_else(none)),
            ],
        ),
        Error::Encoding { path, line, column, .. } => with_attrs(
            py,
            exc::EncodingError::new_err(msg),
            &[("path", p(&path)), ("line", n(line)), ("column", n(column))],
        ),
        Error::Overlap { first, second, .. } => {
            with_attrs(py, exc::OverlapError::new_err(msg), &[("path", p(&first)), ("other_path", p(&second))])
        }
        Error::UnknownActor { name, suggestions } => {
            let sug = PyList::new(py, &suggestions).map(|l| l.into_any()).unwrap_or_else(|_| none());
            with_attrs(py, exc::UnknownActorError::new_err(msg), &[("name", s(&name)), ("suggestions", sug)])
        }
        Error::InvalidArgument(_) => exc::InvalidArgumentError::new_err(msg),
        Error::Coverage { dataset, coverage, requested, what } => {
            let span = |p: Period| (p.start, p.end).into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none());
            with_attrs(
                py,
                exc::CoverageError::new_err(msg),
                &[
                    ("dataset", s(&dataset)),
                    ("coverage", coverage.map(span).unwrap_or_else(none)),
                    ("requested", span(requested)),
                    ("what", s(&what)),
                ],
            )
        }
        #[allow(unreachable_patterns)]
        _ => exc::PowerbalanceError::new_err(msg),
    }
}

/// An `InvalidArgumentError` with `msg` (the core's `Error::invalid`).
pub(crate) fn invalid(py: Python<'_>, msg: String) -> PyErr {
    to_pyerr(py, Error::invalid(msg))
}

/// Run `f` with the GIL released, turning a core error into its Python exception and a panic
/// (a bug, never expected) into `PowerbalanceError` instead of pyo3's `PanicException`.
///
/// It takes no `Python` token: it is called from the methods and functions Python calls, whose
/// thread is attached already, and `Python::attach` then only reads a thread-local count. So a
/// glue method that needs the token for nothing else does not take one.
pub(crate) fn run<T, F>(f: F) -> PyResult<T>
where
    F: FnOnce() -> powerbalance_core::Result<T> + Send,
    T: Send,
{
    Python::attach(|py| match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_pyerr(py, e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(exc::PowerbalanceError::new_err(format!("internal error (please report it): {what}")))
        }
    })
}

/// As [`run`], for calls that build a result table.
pub(crate) fn run_table<F>(f: F) -> PyResult<ArrowTable>
where
    F: FnOnce() -> powerbalance_core::Result<Table> + Send,
{
    run(f).map(ArrowTable::from)
}

/// Test hook: panics inside the core-call wrapper, so that the tests can check that a Rust
/// panic surfaces as ``powerbalance.errors.PowerbalanceError`` and never crosses into Python.
#[pyfunction]
fn _panic_for_tests() -> PyResult<()> {
    run(|| -> powerbalance_core::Result<()> { panic!("deliberate panic for tests") })
}

// ---------------------------------------------------------------------------------------------
// getters and the classes over a core dataset

/// The `#[pymethods]` of a class with its read-only getters declared one line each, first:
/// `/// doc` then `name -> Type { expression on self.inner }`, e.g.
/// `release -> String { release.clone() }` is the getter ``release`` returning
/// `self.inner.release.clone()`. An empty `get {}` is allowed; the methods follow.
macro_rules! methods {
    (impl $class:ident {
        get { $($(#[$get_doc:meta])* $get:ident -> $get_ty:ty { $($get_expr:tt)* })* }
        $($body:tt)*
    }) => {
        #[pyo3::pymethods]
        impl $class {
            $(
            $(#[$get_doc])*
            #[getter]
            fn $get(&self) -> $get_ty {
                self.inner.$($get_expr)*
            }
            )*

            $($body)*
        }
    };
}
pub(crate) use methods;

/// A class over a core dataset (`inner: Arc<T>`, `T` with `coverage()` and `len()`) and the
/// module function reading it, declared once:
///
/// ```text
/// dataset! {
///     /// class doc
///     class "Maddison" PyMaddison(Maddison);
///     /// reader doc
///     reader read_maddison = gdp::read_maddison;
///     /// table doc (optional line: `table(start=None, end=None)` over a core table function,
///     /// the period resolved by `Covered::period` or `Covered::period_opt`; with a leading
///     /// option parsed from its name, `table(measure="constant") = milex::milex_table, period_opt;`
///     /// gives `table(measure="constant", start=None, end=None)`)
///     table = gdp::maddison_table, period;
///     get { /* optional: getters as in methods! */ }
///     impl { /* the other #[pymethods] */ }
/// }
/// ```
///
/// The `#[pymethods]` get the `coverage` getter and `__len__` besides the methods given.
macro_rules! dataset {
    (
        $(#[$doc:meta])*
        class $name:tt $class:ident($inner:ty);
        $(#[$read_doc:meta])*
        reader $read_name:ident = $read:path;
        $($(#[$table_doc:meta])* table $(($option:ident = $default:tt))? = $table:path, $period:ident;)?
        $(get { $($get:tt)* })?
        impl { $($body:tt)* }
    ) => {
        $(#[$doc])*
        #[pyo3::pyclass(frozen, name = $name, module = "powerbalance._native")]
        pub struct $class {
            pub(crate) inner: std::sync::Arc<$inner>,
        }

        crate::methods! {
        impl $class {
            get {
                $($($get)*)?

                /// First and last year, ``(start, end)`` inclusive.
                coverage -> (i32, i32) { coverage().into() }
            }

            $(
            $(#[$table_doc])*
            #[pyo3(signature = ($($option=$default,)? start=None, end=None))]
            fn table(&self, $($option: &str,)? start: Option<i32>, end: Option<i32>) -> pyo3::PyResult<crate::ArrowTable> {
                let x = &*self.inner;
                crate::run_table(|| $table(x, $($option.parse()?,)? powerbalance_core::Covered::$period(x, start, end, "table")?))
            }
            )?

            $($body)*

            fn __len__(&self) -> usize {
                self.inner.len()
            }
        }
        }

        crate::reader!($(#[$read_doc])* $read_name -> $class = $read);
    };
}
pub(crate) use dataset;

/// A module function reading a file with a core reader into a class (`inner: Arc<T>`):
/// `reader!(/// doc; read_milex -> PyMilex = milex::read_milex);`.
macro_rules! reader {
    ($(#[$doc:meta])* $name:ident -> $class:ident = $read:path) => {
        $(#[$doc])*
        #[pyo3::pyfunction]
        pub fn $name(path: std::path::PathBuf) -> pyo3::PyResult<$class> {
            crate::run(|| $read(&path)).map(|x| $class { inner: std::sync::Arc::new(x) })
        }
    };
}
pub(crate) use reader;

// ---------------------------------------------------------------------------------------------
// tables

/// A result table: one Arrow record batch, exported through the Arrow PyCapsule interface.
///
/// Read it with ``pyarrow.table(t)``, ``polars.DataFrame(t)``, ``duckdb.from_arrow(t)`` or any
/// other consumer of ``__arrow_c_stream__``; the buffers are shared, not copied.
#[pyclass(frozen, name = "ArrowTable", module = "powerbalance._native")]
pub struct ArrowTable {
    batch: RecordBatch,
}

impl From<Table> for ArrowTable {
    fn from(t: Table) -> Self {
        ArrowTable { batch: t.batch }
    }
}

#[pymethods]
impl ArrowTable {
    /// Export the table as an Arrow C stream PyCapsule (zero-copy).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self, py: Python<'py>, requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = self.batch.schema();
        let field = Field::new_struct("", schema.fields().clone(), false).with_metadata(schema.metadata().clone());
        let array: ArrayRef = Arc::new(StructArray::from(self.batch.clone()));
        let reader = pyo3_arrow::ffi::ArrayIterator::new(std::iter::once(Ok(array)), Arc::new(field));
        Ok(pyo3_arrow::ffi::to_stream_pycapsule(py, Box::new(reader), requested_schema)?)
    }

    /// Export the table's schema as an Arrow C schema PyCapsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        Ok(pyo3_arrow::ffi::to_schema_pycapsule(py, self.batch.schema().as_ref())?)
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// Column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch.schema().fields().iter().map(|f| f.name().clone()).collect()
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    fn __repr__(&self) -> String {
        let cols: Vec<String> = self
            .batch
            .schema()
            .fields()
            .iter()
            .zip(self.batch.columns())
            .map(|(f, c)| format!("{}: {}", f.name(), c.data_type()))
            .collect();
        format!("<ArrowTable {} rows [{}]>", self.batch.num_rows(), cols.join(", "))
    }
}

/// A table given by Python, as one record batch: any Arrow table (powerbalance, pyarrow, polars:
/// anything with `__arrow_c_stream__`), read by pyo3-arrow, so that no pyarrow is imported.
/// `what` names the argument in the error for anything else.
pub(crate) fn table_from_py(py: Python<'_>, v: &Bound<'_, PyAny>, what: &str) -> PyResult<Table> {
    if !v.hasattr("__arrow_c_stream__")? {
        let kind = v.get_type().name()?;
        return Err(invalid(py, format!("{what} must be an Arrow table (with __arrow_c_stream__), not {kind}")));
    }
    let (batches, schema) = v.extract::<PyTable>()?.into_inner();
    run(|| Table { batch: powerbalance_core::format::first_rows(&schema, &batches, None)? }.with_utf8_text())
}

// ---------------------------------------------------------------------------------------------
// the module

/// The native core of powerbalance (Rust). Use the ``powerbalance`` package instead.
#[pymodule]
mod _native {
    use pyo3::prelude::*;

    // every class and function of the glue files, in one list (one `use` tree per file)
    #[pymodule_export]
    use super::{
        _panic_for_tests,
        actors::{actor, actors},
        alignment::{alignment, alignment_dyad, alignment_scores},
        capabilities::{read_majors, read_nmc, read_states, PyCapabilities, PyStateList},
        format::format_table,
        gdp::{read_maddison, read_sdp_gdp, PyMaddison, PySdpGdp},
        ipc::{ledger_from_ipc, ledger_to_ipc, table_from_ipc, table_to_ipc},
        ledger::{read_sipri, read_sipri_bytes, PyLedger},
        metrics::{
            change_points, client_dependence, coalitions, concentration, crossovers, dependence_asymmetry, equilibrium,
            fit_growth, moving_average, net_exporter, parity_windows, peak, poles, project_crossover,
            supplier_dependence, triangle_series, value_shares,
        },
        milex::{read_milex, PyMilex},
        panels::{alliance_years, arms_flows, dyad_years, read_alliance_years, state_years, PyAllianceYears},
        relations::{read_alliances, read_ideal_points, PyAlliances, PyIdealPoints},
        scenario::{compare_tables, PyScenario},
        script::{functions, PyEngine},
        sweep::{metric_json, sweep},
        ArrowTable,
    };

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use powerbalance_core::metrics::transfers as tm;
    use powerbalance_core::ActorRegistry;

    #[test]
    fn arrow_table_keeps_the_batch() {
        let t = tm::actors(ActorRegistry::builtin()).unwrap();
        let n = t.num_rows();
        let a = ArrowTable::from(t);
        assert_eq!(a.batch.num_rows(), n);
        assert_eq!(a.batch.column(0).len(), n);
    }
}
