//! Military expenditure (SIPRI, `powerbalance_core::milex`) and GDP (Maddison, Anders-Fariss-
//! Markowitz; `powerbalance_core::gdp`). States by name, COW abbreviation or code (Maddison also
//! by ISO3).

use crate::args::{ccode, opt, period, registry, span_of, state, year, year_value};
use crate::types::*;
use powerbalance_core::gdp::{self, EconMeasure, Maddison as CoreMaddison};
use powerbalance_core::metrics::transition::Point;
use powerbalance_core::milex::{self, Milex, MilexSeries};
use rhai::plugin::*;
use rhai::{Array, Dynamic};

fn milex_state(m: &Milex, d: &Dynamic) -> R<u16> {
    ok(m.resolve_state(registry(), &state(d)))
}

fn series_kind(s: &str) -> R<MilexSeries> {
    ok(MilexSeries::parse(s))
}

fn econ(s: &str) -> R<EconMeasure> {
    ok(EconMeasure::parse(s))
}

fn maddison_value(m: &CoreMaddison, d: &Dynamic, y: i32, me: EconMeasure) -> R<Option<f64>> {
    let s = state(d);
    let t = s.trim();
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_uppercase()) {
        return ok(m.value(t, y, me));
    }
    ok(m.value_cow(registry(), ccode(d)?, y, me))
}

#[export_module]
pub mod milex_gdp_api {
    use super::*;

    /// Number of state-years.
    #[rhai_fn(name = "len", pure)]
    pub fn milex_len(m: &mut MilitaryExpenditure) -> i64 {
        m.0.len() as i64
    }

    /// First and last year of the data, `[start, end]`.
    #[rhai_fn(get = "coverage", pure)]
    pub fn milex_span(m: &mut MilitaryExpenditure) -> Array {
        span_of(m.0.coverage())
    }

    /// One state's expenditure in constant US$ (millions) by year: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn milex_series(m: &mut MilitaryExpenditure, s: Dynamic) -> R<Table> {
        year_value(&m.0.series(milex_state(&m.0, &s)?, MilexSeries::Constant, None).map_err(err)?)
    }

    /// One state's series (`constant`, `current`, `share_gdp`) by year.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn milex_series_kind(m: &mut MilitaryExpenditure, s: Dynamic, kind: &str) -> R<Table> {
        year_value(&m.0.series(milex_state(&m.0, &s)?, series_kind(kind)?, None).map_err(err)?)
    }

    /// One state's series over `start..=end`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn milex_series_period(m: &mut MilitaryExpenditure, s: Dynamic, kind: &str, start: i64, end: i64) -> R<Table> {
        year_value(&m.0.series(milex_state(&m.0, &s)?, series_kind(kind)?, Some(period(start, end)?)).map_err(err)?)
    }

    /// A state's expenditure in constant US$ in a year (`()` when SIPRI has no figure).
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn milex_value(m: &mut MilitaryExpenditure, s: Dynamic, year: i64) -> R<Dynamic> {
        Ok(opt(m.0.value(milex_state(&m.0, &s)?, super::year(year)?, MilexSeries::Constant)))
    }

    /// A state's value of a series in a year.
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn milex_value_kind(m: &mut MilitaryExpenditure, s: Dynamic, year: i64, kind: &str) -> R<Dynamic> {
        Ok(opt(m.0.value(milex_state(&m.0, &s)?, super::year(year)?, series_kind(kind)?)))
    }

    /// The states of `year` ranked by constant-dollar expenditure.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn milex_rank(m: &mut MilitaryExpenditure, year: i64) -> R<Table> {
        table(milex::milex_rank(&m.0, super::year(year)?, MilexSeries::Constant))
    }

    /// The states of `year` ranked by a series.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn milex_rank_kind(m: &mut MilitaryExpenditure, year: i64, kind: &str) -> R<Table> {
        table(milex::milex_rank(&m.0, super::year(year)?, series_kind(kind)?))
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn milex_to_string(m: &mut MilitaryExpenditure) -> String {
        format!("<MilitaryExpenditure SIPRI, {} rows, {}>", m.0.len(), m.0.coverage())
    }

    #[rhai_fn(name = "to_debug", pure)]
    pub fn milex_to_debug(m: &mut MilitaryExpenditure) -> String {
        milex_to_string(m)
    }

    /// First and last year of the data, `[start, end]`.
    #[rhai_fn(get = "coverage", pure)]
    pub fn maddison_span(m: &mut Maddison) -> Array {
        span_of(m.0.coverage())
    }

    /// A state's `gdp`, `gdppc` or `pop` in a year (a state by ISO3, name or COW code).
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn maddison_value_of(m: &mut Maddison, s: Dynamic, year: i64, me: &str) -> R<Dynamic> {
        Ok(opt(maddison_value(&m.0, &s, super::year(year)?, EconMeasure::parse(me).map_err(err)?)?))
    }

    /// A state's series of `gdp`, `gdppc` or `pop` over `start..=end`: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn maddison_series(m: &mut Maddison, s: Dynamic, me: &str, start: i64, end: i64) -> R<Table> {
        let me = EconMeasure::parse(me).map_err(err)?;
        let pts: Vec<Point> =
            period(start, end)?.years().map(|y| Ok((y, maddison_value(&m.0, &s, y, me)?))).collect::<R<_>>()?;
        year_value(&pts)
    }

    /// The countries of `year` ranked by `gdp`, `gdppc` or `pop`.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn maddison_rank(m: &mut Maddison, year: i64, me: &str) -> R<Table> {
        table(gdp::maddison_rank(&m.0, super::year(year)?, EconMeasure::parse(me).map_err(err)?))
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn maddison_to_string(m: &mut Maddison) -> String {
        format!("<Maddison {} rows, {}>", m.0.len(), m.0.coverage())
    }
}
