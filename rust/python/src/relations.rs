//! Glue for `powerbalance_core::relations` and the alignment measures built on them
//! (`metrics::alignment`): alliance dyad-years (`_native.Alliances`, `read_alliances`) and UN
//! ideal points (`_native.IdealPoints`, `read_ideal_points`). States are given as COW codes or
//! any registry name ([`cow_code`]).

use super::{dataset_methods, reader, run_table, ArrowTable, PyAllianceYears, PyCapabilities};
use powerbalance_core::actors::cow_code;
use powerbalance_core::metrics::alignment as al;
use powerbalance_core::panels::AllianceYears;
use powerbalance_core::relations::{self as rel, Alliances, IdealPoints};
use powerbalance_core::{Covered, Period, Result};
use pyo3::prelude::*;
use std::sync::Arc;

/// COW v4.1 or ATOP 5.1 alliance dyad-years.
#[pyclass(frozen, name = "Alliances", module = "powerbalance._native")]
pub struct PyAlliances {
    pub(crate) inner: Arc<Alliances>,
}

dataset_methods! {
impl PyAlliances {
    /// Every dyad-year of ``start..=end`` (default: the coverage).
    #[pyo3(signature = (start=None, end=None))]
    fn table(&self, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let a = &*self.inner;
        run_table(|| rel::alliances::alliance_table(a, a.period_opt(start, end, "table")?))
    }

    /// One dyad's alliances by year.
    #[pyo3(signature = (a, b, start=None, end=None))]
    fn dyad(&self, a: &str, b: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let x = &*self.inner;
        run_table(|| rel::alliances::dyad_alliances(x, cow_code(a)?, cow_code(b)?, x.period_opt(start, end, "dyad")?))
    }

    /// Alliance-portfolio S scores of every dyad of ``year`` (or of ``dyads``).
    #[pyo3(signature = (capabilities, year, dyads=None, distance="absolute"))]
    fn s_scores(
        &self,
        capabilities: &PyCapabilities,
        year: i32,
        dyads: Option<Vec<(String, String)>>,
        distance: &str,
    ) -> PyResult<ArrowTable> {
        let (a, c) = (&*self.inner, &*capabilities.inner);
        run_table(|| {
            let d = dyads.map(|v| v.iter().map(|(x, y)| Ok((cow_code(x)?, cow_code(y)?))).collect::<Result<Vec<_>>>());
            al::s_scores(a, c, year, d.transpose()?.as_deref(), distance.parse()?)
        })
    }

    /// One dyad's S scores over ``start..=end``.
    #[pyo3(signature = (capabilities, a, b, start, end, distance="absolute"))]
    #[allow(clippy::too_many_arguments)]
    fn s_score_series(
        &self,
        capabilities: &PyCapabilities,
        a: &str,
        b: &str,
        start: i32,
        end: i32,
        distance: &str,
    ) -> PyResult<ArrowTable> {
        let (x, c) = (&*self.inner, &*capabilities.inner);
        run_table(|| al::s_score_series(x, c, cow_code(a)?, cow_code(b)?, Period::new(start, end)?, distance.parse()?))
    }

    /// These alliances as a panel input.
    fn panel_input(&self) -> PyAllianceYears {
        PyAllianceYears { inner: Arc::new(AllianceYears::from_alliances(&self.inner)) }
    }

    /// ``"COW alliances v4.1"`` or ``"ATOP 5.1"``.
    #[getter]
    fn source(&self) -> &'static str {
        self.inner.source.as_str()
    }

    /// True for ATOP (directed dyad-years), false for COW.
    #[getter]
    fn directed(&self) -> bool {
        self.inner.directed
    }
}
}

reader!(
    /// Read a COW v4.1 or ATOP 5.1 alliance dyad-year file.
    read_alliances -> PyAlliances = rel::read_alliances
);

/// UN General Assembly ideal points by state and year.
#[pyclass(frozen, name = "IdealPoints", module = "powerbalance._native")]
pub struct PyIdealPoints {
    pub(crate) inner: Arc<IdealPoints>,
}

dataset_methods! {
impl PyIdealPoints {
    /// One estimate's rows over ``start..=end`` (default: the coverage).
    #[pyo3(signature = (estimate="fp", start=None, end=None))]
    fn table(&self, estimate: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let ip = &*self.inner;
        run_table(|| rel::ideal_points::ideal_point_table(ip, estimate.parse()?, ip.period_opt(start, end, "table")?))
    }

    /// The ideal-point distance of one dyad by year.
    #[pyo3(signature = (a, b, estimate="fp", start=None, end=None))]
    fn distance(&self, a: &str, b: &str, estimate: &str, start: Option<i32>, end: Option<i32>) -> PyResult<ArrowTable> {
        let ip = &*self.inner;
        run_table(|| {
            al::ideal_point_distance(
                ip,
                cow_code(a)?,
                cow_code(b)?,
                estimate.parse()?,
                ip.period_opt(start, end, "distance")?,
            )
        })
    }

    /// Every dyad's distance in ``year`` (among ``states`` when given).
    #[pyo3(signature = (year, estimate="fp", states=None))]
    fn distances(&self, year: i32, estimate: &str, states: Option<Vec<String>>) -> PyResult<ArrowTable> {
        let ip = &*self.inner;
        run_table(|| {
            let s = states.map(|v| v.iter().map(|x| cow_code(x)).collect::<Result<Vec<_>>>()).transpose()?;
            al::ideal_point_distances(ip, year, estimate.parse()?, s.as_deref())
        })
    }
}
}

reader!(
    /// Read the UN General Assembly ideal points (Bailey, Strezhnev & Voeten).
    read_ideal_points -> PyIdealPoints = rel::read_ideal_points
);
