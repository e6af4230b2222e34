//! Glue for `powerbalance_core::ledger` (with its readers in `sipri` and the transfer metrics
//! on it): `_native.Ledger`, `read_sipri`, `read_sipri_bytes`.

use super::PyMilex;
use super::{methods, run, run_table, ArrowTable, Years};
use powerbalance_core::metrics::arms_views::{self as av, DealQuery, Parties, RegionOf};
use powerbalance_core::metrics::regions::{regions_table, Regions};
use powerbalance_core::metrics::transfers::{self as tm, FactSheet};
use powerbalance_core::{sipri, ActorRegistry, Covered, Ledger, Period};
use pyo3::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Deliveries of major arms (SIPRI TIV, millions) by supplier, recipient and year.
#[pyclass(frozen, name = "Ledger", module = "powerbalance._native")]
pub struct PyLedger {
    pub(crate) inner: Arc<Ledger>,
}

impl From<Ledger> for PyLedger {
    fn from(l: Ledger) -> Self {
        PyLedger { inner: Arc::new(l) }
    }
}

impl PyLedger {
    /// A SIPRI fact-sheet table (importers or exporters) of ``start..=end``, with its options.
    fn fact_sheet(
        &self, (start, end): (i32, i32), top: Option<usize>, partners: usize, compare: Years,
        table: fn(&Ledger, Period, FactSheet) -> powerbalance_core::Result<powerbalance_core::Table>,
    ) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| {
            let o = FactSheet { top, partners, compare: Period::from_pair(compare)? };
            table(l, Period::new(start, end)?, o)
        })
    }
}

methods! {
impl PyLedger {
    get {
        /// ``"dyadic"``, ``"export-totals"`` or ``"import-totals"``.
        layout -> &'static str { coverage.as_str() }

        /// True when annual values are estimates (the classic register spreads deal totals).
        annual_estimated -> bool { annual_estimated }

        /// The years the ledger covers, ``(first, last)`` inclusive, fixed when it was read (see
        /// ``Ledger.years`` in ``powerbalance.ledger``); None for an empty ledger.
        years -> Option<(i32, i32)> { years().map(|p| (p.start, p.end)) }

        /// First and last year with an entry, or None for an empty ledger.
        span -> Option<(i32, i32)> { span().map(|p| (p.start, p.end)) }
    }

    /// The largest importers of ``start..=end`` (SIPRI fact-sheet table 2).
    #[pyo3(signature = (start, end, top=None, suppliers=3, compare=None))]
    fn importers(
        &self,
        start: i32,
        end: i32,
        top: Option<usize>,
        suppliers: usize,
        compare: Years,
    ) -> PyResult<ArrowTable> {
        self.fact_sheet((start, end), top, suppliers, compare, tm::importers)
    }

    /// The largest exporters of ``start..=end`` (SIPRI fact-sheet table 1).
    #[pyo3(signature = (start, end, top=None, clients=3, compare=None))]
    fn exporters(
        &self,
        start: i32,
        end: i32,
        top: Option<usize>,
        clients: usize,
        compare: Years,
    ) -> PyResult<ArrowTable> {
        self.fact_sheet((start, end), top, clients, compare, tm::exporters)
    }

    /// The annual series of one supplier-recipient dyad.
    #[pyo3(signature = (supplier, recipient, start=None, end=None))]
    fn dyad(&self, supplier: &str, recipient: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| tm::dyad_series(l, l.resolve(supplier)?, l.resolve(recipient)?, l.period_opt(start, end, "dyad")?))
    }

    /// A recipient's suppliers over ``start..=end``.
    fn suppliers(&self, recipient: &str, start: i32, end: i32) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| tm::suppliers_of(l, l.resolve(recipient)?, Period::new(start, end)?))
    }

    /// A supplier's clients over ``start..=end``.
    fn clients(&self, supplier: &str, start: i32, end: i32) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| tm::clients_of(l, l.resolve(supplier)?, Period::new(start, end)?))
    }

    /// TIV by supplier over ``start..=end`` with shares of world exports.
    fn by_supplier(&self, start: i32, end: i32) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| tm::by_supplier(l, Period::new(start, end)?))
    }

    /// TIV by recipient over ``start..=end`` with shares of world imports.
    fn by_recipient(&self, start: i32, end: i32) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| tm::by_recipient(l, Period::new(start, end)?))
    }

    /// TIV by supplier-recipient pair over ``start..=end``.
    fn by_dyad(&self, start: i32, end: i32) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| tm::by_dyad(l, Period::new(start, end)?))
    }

    /// TIV by armament category over ``start..=end`` between the given parties.
    #[pyo3(signature = (start, end, supplier=None, recipient=None))]
    fn by_category(
        &self,
        start: i32,
        end: i32,
        supplier: Option<&str>,
        recipient: Option<&str>,
    ) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| av::by_category(l, Period::new(start, end)?, Parties::resolve(l, supplier, recipient)?))
    }

    /// TIV by region (of the recipient or the supplier) over ``start..=end``.
    #[pyo3(signature = (start, end, supplier, recipient, side, regions))]
    #[allow(clippy::too_many_arguments)]
    fn by_region(
        &self,
        start: i32,
        end: i32,
        supplier: Option<&str>,
        recipient: Option<&str>,
        side: &str,
        regions: PyRef<'_, PyMilex>,
    ) -> PyResult<ArrowTable> {
        let (l, m) = (&*self.inner, &*regions.inner);
        run_table(|| {
            let parties = Parties::resolve(l, supplier, recipient)?;
            av::by_region(l, &Regions::from_milex(m), Period::new(start, end)?, parties, RegionOf::parse(side)?)
        })
    }

    /// Every actor with its region and the rule that placed it.
    fn regions(&self, regions: PyRef<'_, PyMilex>) -> PyResult<ArrowTable> {
        let (l, m) = (&*self.inner, &*regions.inner);
        run_table(|| regions_table(&Regions::from_milex(m), &l.registry))
    }

    /// Orders against deliveries (classic register), by order year.
    #[pyo3(signature = (start=None, end=None, supplier=None, recipient=None))]
    fn orders(
        &self,
        start: Option<i32>,
        end: Option<i32>,
        supplier: Option<&str>,
        recipient: Option<&str>,
    ) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| av::orders(l, start, end, Parties::resolve(l, supplier, recipient)?))
    }

    /// The deals by supplier, recipient, category, designation and delivery years.
    #[pyo3(signature = (start=None, end=None, supplier=None, recipient=None, category=None, designation=None))]
    #[allow(clippy::too_many_arguments)]
    fn deals(
        &self,
        start: Option<i32>,
        end: Option<i32>,
        supplier: Option<&str>,
        recipient: Option<&str>,
        category: Option<String>,
        designation: Option<String>,
    ) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| {
            let parties = Parties::resolve(l, supplier, recipient)?;
            let q = DealQuery { parties, category, designation, years: l.period_opt(start, end, "deals")? };
            av::deals(l, &q)
        })
    }

    /// One actor's annual exports and imports.
    #[pyo3(signature = (actor, start=None, end=None))]
    fn series(&self, actor: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| tm::actor_series(l, l.resolve(actor)?, l.period_opt(start, end, "series")?))
    }

    /// The world total by year.
    #[pyo3(signature = (start=None, end=None))]
    fn world(&self, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let l = &*self.inner;
        run_table(|| tm::world_series(l, l.period_opt(start, end, "world")?))
    }

    /// Sum of TIV over all entries in ``start..=end``.
    fn total(&self, start: i32, end: i32) -> PyResult<f64> {
        let l = &*self.inner;
        run(|| l.total(Period::new(start, end)?))
    }

    /// The ledger's entries, with deal detail where the source has it.
    fn entries(&self) -> PyResult<ArrowTable> {
        run_table(|| tm::entries(&self.inner))
    }

    /// The load report: one row per file read.
    fn report(&self) -> PyResult<ArrowTable> {
        run_table(|| tm::report(&self.inner))
    }

    /// Every input row (or file) that was not read, with the reason.
    fn skipped(&self) -> PyResult<ArrowTable> {
        run_table(|| tm::skipped(&self.inner))
    }

    /// The actors of this ledger's registry (built-in ones and those met in the files).
    fn actors(&self) -> PyResult<ArrowTable> {
        run_table(|| tm::actors(&self.inner.registry))
    }

    /// A new ledger with every actor replaced by its latest successor (Soviet Union -> Russia).
    fn follow_succession(&self) -> PyResult<PyLedger> {
        run(|| Ok(self.inner.follow_succession())).map(PyLedger::from)
    }

    /// The canonical name of an actor spelling.
    fn resolve(&self, name: &str) -> PyResult<String> {
        let l = &*self.inner;
        run(|| Ok(l.registry.name(l.resolve(name)?).to_string()))
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
}

/// Read a SIPRI export (any known layout) or a folder of them.
#[pyfunction]
pub fn read_sipri(path: PathBuf) -> PyResult<PyLedger> {
    run(|| sipri::read_sipri(&path)).map(PyLedger::from)
}

/// Read a SIPRI export from bytes; ``name`` stands for the file name in the report and errors.
#[pyfunction]
pub fn read_sipri_bytes(data: &[u8], name: &str) -> PyResult<PyLedger> {
    run(|| sipri::read_sipri_bytes(data, Path::new(name), ActorRegistry::builtin().clone())).map(PyLedger::from)
}
