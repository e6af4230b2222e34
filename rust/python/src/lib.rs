//! `powerbalance._native`: thin PyO3 glue over `powerbalance-core`.
//!
//! Every function here is a few lines: convert the arguments, release the GIL, call the core,
//! hand the result back. Result tables leave as [`ArrowTable`], which exports its Arrow
//! `RecordBatch` through the Arrow PyCapsule interface (`__arrow_c_stream__`) without copying,
//! so pyarrow, polars, pandas and duckdb read it directly. Core errors become the exceptions of
//! `powerbalance.errors` (see [`to_pyerr`]); a panic never crosses into Python (see [`run`]).

use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use arrow_schema::Field;
use powerbalance_core::metrics::transfers::{self as tm, FactSheet};
use powerbalance_core::{sipri, ActorRegistry, Error, Ledger, Period, Table};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

mod capabilities;
mod format;
mod script;
mod sweep;

/// The extension's allocator: mimalloc keeps freed memory for reuse, where glibc's malloc
/// hands large blocks back to the kernel and takes them again, page fault by page fault (a
/// third of a register read's time, measured; see benchmarks/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// ---------------------------------------------------------------------------------------------
// errors

/// Build an instance of `powerbalance.errors.<class>` from `args`, then set `attrs` on it.
fn py_error<'py>(
    py: Python<'py>,
    class: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
    attrs: &[(&str, Bound<'py, PyAny>)],
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = py.import("powerbalance.errors")?.getattr(class)?;
        let exc = cls.call1(args)?;
        for (k, v) in attrs {
            exc.setattr(*k, v)?;
        }
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
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
fn to_pyerr(py: Python<'_>, e: Error) -> PyErr {
    let msg = e.to_string();
    let none = || py.None().into_bound(py);
    let s = |v: &str| v.into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none());
    let n = |v: usize| v.into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none());
    let p = |v: &std::path::Path| s(&v.display().to_string());
    match e {
        Error::Io { path, source } => {
            let class =
                if source.kind() == std::io::ErrorKind::NotFound { "DataFileNotFoundError" } else { "DataIOError" };
            match source.raw_os_error() {
                Some(errno) => {
                    // OSError's own layout: "[Errno 2] No such file or directory: 'path'"
                    let text = source.to_string();
                    let strerror = text.trim_end_matches(&format!(" (os error {errno})")).to_string();
                    py_error(py, class, (errno, strerror, path.display().to_string()), &[])
                }
                None => {
                    // A refusal of the core's input layer (a FIFO or device, a file above the size
                    // cap): OSError(errno, strerror, filename), so that str() keeps the reason.
                    let errno = match source.kind() {
                        std::io::ErrorKind::InvalidInput => 22, // EINVAL
                        std::io::ErrorKind::InvalidData => 27,  // EFBIG
                        _ => 5,                                 // EIO
                    };
                    py_error(py, class, (errno, source.to_string(), path.display().to_string()), &[])
                }
            }
        }
        Error::Empty { path } => py_error(py, "EmptyFileError", (msg,), &[("path", p(&path))]),
        Error::Format { path, line, .. } => {
            py_error(py, "DataFormatError", (msg,), &[("path", p(&path)), ("line", n(line))])
        }
        Error::Parse { path, line, column, column_name, .. } => py_error(
            py,
            "DataFormatError",
            (msg,),
            &[
                ("path", p(&path)),
                ("line", n(line)),
                ("column", n(column)),
                ("column_name", column_name.as_deref().map(s).unwrap_or_else(none)),
            ],
        ),
        Error::Encoding { path, line, column, .. } => {
            py_error(py, "EncodingError", (msg,), &[("path", p(&path)), ("line", n(line)), ("column", n(column))])
        }
        Error::Overlap { first, second, .. } => {
            py_error(py, "OverlapError", (msg,), &[("path", p(&first)), ("other_path", p(&second))])
        }
        Error::UnknownActor { name, suggestions } => {
            let sug = PyList::new(py, &suggestions).map(|l| l.into_any()).unwrap_or_else(|_| none());
            py_error(py, "UnknownActorError", (msg,), &[("name", s(&name)), ("suggestions", sug)])
        }
        Error::InvalidArgument(_) => py_error(py, "InvalidArgumentError", (msg,), &[]),
        Error::Coverage { dataset, coverage, requested, what } => {
            let span = |p: Period| (p.start, p.end).into_pyobject(py).map(|x| x.into_any()).unwrap_or_else(|_| none());
            py_error(
                py,
                "CoverageError",
                (msg,),
                &[
                    ("dataset", s(&dataset)),
                    ("coverage", coverage.map(span).unwrap_or_else(none)),
                    ("requested", span(requested)),
                    ("what", s(&what)),
                ],
            )
        }
        #[allow(unreachable_patterns)]
        _ => py_error(py, "PowerbalanceError", (msg,), &[]),
    }
}

/// Run `f` with the GIL released, turning a core error into its Python exception and a panic
/// (a bug, never expected) into `PowerbalanceError` instead of pyo3's `PanicException`.
fn run<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> powerbalance_core::Result<T> + Send,
    T: Send,
{
    match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_pyerr(py, e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(py_error(py, "PowerbalanceError", (format!("internal error (please report it): {what}"),), &[]))
        }
    }
}

/// As [`run`], for calls that build a result table.
fn run_table<F>(py: Python<'_>, f: F) -> PyResult<ArrowTable>
where
    F: FnOnce() -> powerbalance_core::Result<Table> + Send,
{
    run(py, f).map(ArrowTable::from)
}

/// Years a period may span. The core's dense series allocate one slot per year, so an absurd
/// year (a typo such as `20016`, or `-2**31`) must fail here rather than exhaust memory.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// A period `start..=end`, validated: both years in [`YEARS`], `start <= end`.
fn checked_period(start: i32, end: i32) -> powerbalance_core::Result<Period> {
    for y in [start, end] {
        if !YEARS.contains(&y) {
            return Err(Error::invalid(format!(
                "year {y} is out of range: years must be between {} and {}",
                YEARS.start(),
                YEARS.end()
            )));
        }
    }
    Period::new(start, end)
}

fn period(py: Python<'_>, start: i32, end: i32) -> PyResult<Period> {
    checked_period(start, end).map_err(|e| to_pyerr(py, e))
}

/// A period from optional bounds: `None` when both are missing (the metric then uses the
/// ledger's span), otherwise the missing bound taken from the span.
fn opt_period(l: &Ledger, start: Option<i32>, end: Option<i32>) -> powerbalance_core::Result<Option<Period>> {
    if start.is_none() && end.is_none() {
        return Ok(None);
    }
    let span = l.years();
    let s = start.or(span.map(|p| p.start));
    let e = end.or(span.map(|p| p.end));
    match (s, e) {
        (Some(s), Some(e)) => checked_period(s, e).map(Some),
        _ => Err(Error::invalid("the ledger is empty, so a period needs both start and end")),
    }
}

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
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
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

// ---------------------------------------------------------------------------------------------
// the ledger

/// Deliveries of major arms (SIPRI TIV, millions) by supplier, recipient and year.
#[pyclass(frozen, name = "Ledger", module = "powerbalance._native")]
pub struct PyLedger {
    inner: Arc<Ledger>,
}

impl PyLedger {
    fn new(l: Ledger) -> Self {
        PyLedger { inner: Arc::new(l) }
    }
}

#[pymethods]
impl PyLedger {
    /// The largest importers of ``start..=end`` (SIPRI fact-sheet table 2).
    #[pyo3(signature = (start, end, top=None, suppliers=3, compare=None))]
    fn importers(
        &self,
        py: Python<'_>,
        start: i32,
        end: i32,
        top: Option<usize>,
        suppliers: usize,
        compare: Option<(i32, i32)>,
    ) -> PyResult<ArrowTable> {
        let p = period(py, start, end)?;
        let compare = compare.map(|(s, e)| period(py, s, e)).transpose()?;
        let l = &*self.inner;
        run_table(py, || tm::importers(l, p, FactSheet { top, partners: suppliers, compare }))
    }

    /// The largest exporters of ``start..=end`` (SIPRI fact-sheet table 1).
    #[pyo3(signature = (start, end, top=None, clients=3, compare=None))]
    fn exporters(
        &self,
        py: Python<'_>,
        start: i32,
        end: i32,
        top: Option<usize>,
        clients: usize,
        compare: Option<(i32, i32)>,
    ) -> PyResult<ArrowTable> {
        let p = period(py, start, end)?;
        let compare = compare.map(|(s, e)| period(py, s, e)).transpose()?;
        let l = &*self.inner;
        run_table(py, || tm::exporters(l, p, FactSheet { top, partners: clients, compare }))
    }

    /// The annual series of one supplier-recipient dyad.
    #[pyo3(signature = (supplier, recipient, start=None, end=None))]
    fn dyad(
        &self,
        py: Python<'_>,
        supplier: &str,
        recipient: &str,
        start: Option<i32>,
        end: Option<i32>,
    ) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(py, || {
            let (s, r) = (l.resolve(supplier)?, l.resolve(recipient)?);
            tm::dyad_series(l, s, r, opt_period(l, start, end)?)
        })
    }

    /// A recipient's suppliers over ``start..=end``.
    fn suppliers(&self, py: Python<'_>, recipient: &str, start: i32, end: i32) -> PyResult<ArrowTable> {
        let p = period(py, start, end)?;
        let l = &*self.inner;
        run_table(py, || tm::suppliers_of(l, l.resolve(recipient)?, p))
    }

    /// A supplier's clients over ``start..=end``.
    fn clients(&self, py: Python<'_>, supplier: &str, start: i32, end: i32) -> PyResult<ArrowTable> {
        let p = period(py, start, end)?;
        let l = &*self.inner;
        run_table(py, || tm::clients_of(l, l.resolve(supplier)?, p))
    }

    /// TIV by supplier over ``start..=end`` with shares of world exports.
    fn by_supplier(&self, py: Python<'_>, start: i32, end: i32) -> PyResult<ArrowTable> {
        let p = period(py, start, end)?;
        let l = &*self.inner;
        run_table(py, || tm::by_supplier(l, p))
    }

    /// TIV by recipient over ``start..=end`` with shares of world imports.
    fn by_recipient(&self, py: Python<'_>, start: i32, end: i32) -> PyResult<ArrowTable> {
        let p = period(py, start, end)?;
        let l = &*self.inner;
        run_table(py, || tm::by_recipient(l, p))
    }

    /// TIV by supplier-recipient pair over ``start..=end``.
    fn by_dyad(&self, py: Python<'_>, start: i32, end: i32) -> PyResult<ArrowTable> {
        let p = period(py, start, end)?;
        let l = &*self.inner;
        run_table(py, || tm::by_dyad(l, p))
    }

    /// One actor's annual exports and imports.
    #[pyo3(signature = (actor, start=None, end=None))]
    fn series(&self, py: Python<'_>, actor: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(py, || tm::actor_series(l, l.resolve(actor)?, opt_period(l, start, end)?))
    }

    /// The world total by year.
    #[pyo3(signature = (start=None, end=None))]
    fn world(&self, py: Python<'_>, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(py, || tm::world_series(l, opt_period(l, start, end)?))
    }

    /// Sum of TIV over all entries in ``start..=end``.
    fn total(&self, py: Python<'_>, start: i32, end: i32) -> PyResult<f64> {
        let p = period(py, start, end)?;
        let l = &*self.inner;
        run(py, || l.total(p))
    }

    /// The ledger's entries, with deal detail where the source has it.
    fn entries(&self, py: Python<'_>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(py, || tm::entries(l))
    }

    /// The load report: one row per file read.
    fn report(&self, py: Python<'_>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(py, || tm::report(l))
    }

    /// Every input row (or file) that was not read, with the reason.
    fn skipped(&self, py: Python<'_>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(py, || tm::skipped(l))
    }

    /// The actors of this ledger's registry (built-in ones and those met in the files).
    fn actors(&self, py: Python<'_>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(py, || tm::actors(&l.registry))
    }

    /// A new ledger with every actor replaced by its latest successor (Soviet Union -> Russia).
    fn follow_succession(&self, py: Python<'_>) -> PyResult<PyLedger> {
        let l = &*self.inner;
        run(py, || Ok(l.follow_succession())).map(PyLedger::new)
    }

    /// The canonical name of an actor spelling.
    fn resolve(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        let l = &*self.inner;
        run(py, || Ok(l.registry.name(l.resolve(name)?).to_string()))
    }

    /// ``"dyadic"``, ``"export-totals"`` or ``"import-totals"``.
    #[getter]
    fn coverage(&self) -> &'static str {
        self.inner.coverage.as_str()
    }

    /// True when annual values are estimates (the classic register spreads deal totals).
    #[getter]
    fn annual_estimated(&self) -> bool {
        self.inner.annual_estimated
    }

    /// The years the ledger covers, ``(first, last)`` inclusive, fixed when it was read (see
    /// ``Ledger.years`` in ``powerbalance.ledger``); None for an empty ledger.
    #[getter]
    fn years(&self) -> Option<(i32, i32)> {
        self.inner.years().map(|p| (p.start, p.end))
    }

    /// First and last year with an entry, or None for an empty ledger.
    #[getter]
    fn span(&self) -> Option<(i32, i32)> {
        self.inner.span().map(|p| (p.start, p.end))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        let l = &*self.inner;
        let span = l.span().map(|p| p.to_string()).unwrap_or_else(|| "empty".into());
        format!("<Ledger {} entries, {}, {}, {} file(s)>", l.len(), span, l.coverage.as_str(), l.report.files.len())
    }
}

// ---------------------------------------------------------------------------------------------
// module functions

/// Read a SIPRI export (any known layout) or a folder of them.
#[pyfunction]
fn read_sipri(py: Python<'_>, path: PathBuf) -> PyResult<PyLedger> {
    run(py, || sipri::read_sipri(&path)).map(PyLedger::new)
}

/// Read a SIPRI export from bytes; ``name`` stands for the file name in the report and errors.
#[pyfunction]
fn read_sipri_bytes(py: Python<'_>, data: &[u8], name: &str) -> PyResult<PyLedger> {
    run(py, || sipri::read_sipri_bytes(data, std::path::Path::new(name), ActorRegistry::builtin().clone()))
        .map(PyLedger::new)
}

/// The built-in actor registry as a table.
#[pyfunction]
fn actors(py: Python<'_>) -> PyResult<ArrowTable> {
    run_table(py, || tm::actors(ActorRegistry::builtin()))
}

/// One actor of the built-in registry as a dict.
#[pyfunction]
fn actor<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let (reg, id) = run(py, || {
        let reg = ActorRegistry::builtin();
        let id = reg.resolve(name)?;
        Ok((reg, id))
    })?;
    let a = reg.get(id);
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

/// Test hook: panics inside the core-call wrapper, so that the tests can check that a Rust
/// panic surfaces as ``powerbalance.errors.PowerbalanceError`` and never crosses into Python.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    run(py, || -> powerbalance_core::Result<()> { panic!("deliberate panic for tests") })
}

/// The native core of powerbalance (Rust). Use the ``powerbalance`` package instead.
#[pymodule]
mod _native {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::capabilities::{
        alliance_years, arms_flows, coalitions, concentration, crossovers, dyad_years, equilibrium, fit_growth,
        parity_windows, poles, project_crossover, read_alliance_years, read_majors, read_nmc, read_states, state_years,
        value_shares, PyAllianceYears, PyCapabilities, PyStateList,
    };
    #[pymodule_export]
    use super::capabilities::{
        change_points, client_dependence, dependence_asymmetry, net_exporter, peak, read_alliances, read_ideal_points,
        read_maddison, read_milex, read_sdp_gdp, supplier_dependence, triangle_series, PyAlliances, PyIdealPoints,
        PyMaddison, PyMilex, PySdpGdp,
    };
    #[pymodule_export]
    use super::format::format_table;
    #[pymodule_export]
    use super::script::{compare_tables, functions, PyEngine, PyScenario};
    #[pymodule_export]
    use super::sweep::{ledger_from_ipc, ledger_to_ipc, metric_json, sweep, table_from_ipc, table_to_ipc};
    #[pymodule_export]
    use super::{_panic_for_tests, actor, actors, read_sipri, read_sipri_bytes, ArrowTable, PyLedger};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opt_period_fills_missing_bound() {
        let mut l = Ledger::empty(Arc::new(ActorRegistry::builtin().clone()), powerbalance_core::Coverage::Dyadic);
        assert!(opt_period(&l, None, None).unwrap().is_none());
        assert!(opt_period(&l, Some(2000), None).is_err());
        let r = l.registry.clone();
        let (a, b) = (r.resolve("Russia").unwrap(), r.resolve("China").unwrap());
        l.push(a, b, 1995, 1.0, powerbalance_core::ledger::NO_DEAL);
        l.push(a, b, 2005, 1.0, powerbalance_core::ledger::NO_DEAL);
        assert_eq!(opt_period(&l, Some(2000), None).unwrap(), Some(Period { start: 2000, end: 2005 }));
        assert_eq!(opt_period(&l, None, Some(2000)).unwrap(), Some(Period { start: 1995, end: 2000 }));
        assert!(opt_period(&l, Some(2001), Some(2000)).is_err());
        assert!(opt_period(&l, Some(0), None).is_err());
        assert!(opt_period(&l, None, Some(20016)).is_err());
        assert!(checked_period(i32::MIN, i32::MAX).is_err());
        assert_eq!(checked_period(2016, 2020).unwrap(), Period { start: 2016, end: 2020 });
    }

    #[test]
    fn arrow_table_keeps_the_batch() {
        let t = tm::actors(ActorRegistry::builtin()).unwrap();
        let n = t.num_rows();
        let a = ArrowTable::from(t);
        assert_eq!(a.batch.num_rows(), n);
        assert!(a.batch.column(0).len() == n);
    }
}
