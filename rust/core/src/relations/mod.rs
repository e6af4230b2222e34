//! Relations between states: alliances (COW Formal Alliances v4.1, ATOP 5.1) and UN General
//! Assembly ideal points (Bailey, Strezhnev & Voeten 2017), keyed by COW ccode and year.
//!
//! The metrics built on them (alliance-portfolio similarity, ideal-point distance, strategic
//! triangles) are in [`crate::metrics::alignment`] and [`crate::metrics::triangle`].

pub mod alliances;
pub mod ideal_points;

pub use alliances::{parse_alliances, read_alliances, AllianceSource, AllianceType, Alliances};
pub use ideal_points::{parse_ideal_points, read_ideal_points, IdealPointEstimate, IdealPoints};

use crate::error::{Error, Result};
use crate::input::sheet::Row;
use crate::period::Period;

/// A float cell: empty (or `NA`) is `None`; anything else must parse as a finite number.
pub(crate) fn opt_f64(row: &Row<'_>, col: usize, what: &str) -> Result<Option<f64>> {
    let s = row.cell(col)?;
    if s.is_empty() || s.eq_ignore_ascii_case("na") {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(row.err(col, format!("{what} {s:?} is not a number"))),
    }
}

/// Check a requested period against a dataset's coverage: no value is invented outside it. The
/// span is also held to [`crate::input::MAX_SPAN_YEARS`], since callers allocate one slot per
/// year of it (the readers' year ranges keep real coverages far inside).
pub(crate) fn within(dataset: &str, coverage: Period, p: Option<Period>) -> Result<Period> {
    let p = p.unwrap_or(coverage);
    Error::check_coverage(dataset, Some(coverage), p, "the query")?;
    crate::input::guard_span(dataset, p)
}

/// The coverage of a list of years (`1..=0`-free: an empty list is an error of the reader).
pub(crate) fn span(years: &[i32]) -> Period {
    let lo = years.iter().copied().min().unwrap_or(0);
    let hi = years.iter().copied().max().unwrap_or(0);
    Period { start: lo, end: hi }
}
