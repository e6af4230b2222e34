//! Military expenditure (SIPRI, `powerbalance_core::milex`) and GDP (Maddison, Anders-Fariss-
//! Markowitz; `powerbalance_core::gdp`), named as Python's `MilitaryExpenditure`, `Maddison` and
//! `SdpGdp`. States by name, COW abbreviation or code (Maddison also by ISO3).

use crate::args::{ccode, opt, opt_period, parse, registry, state, year, year_value, OPEN};
use crate::types::*;
use powerbalance_core::gdp::{self, EconMeasure, Maddison as CoreMaddison};
use powerbalance_core::metrics::transition::Point;
use powerbalance_core::milex::{self, Milex};
use rhai::plugin::*;
use rhai::Dynamic;

fn milex_state(m: &Milex, d: &Dynamic) -> R<u16> {
    ok(m.resolve_state(registry(), &state(d)))
}

fn maddison_value(m: &CoreMaddison, d: &Dynamic, y: i32, me: EconMeasure) -> R<Option<f64>> {
    let s = state(d);
    let t = s.trim();
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_uppercase()) {
        return ok(m.value(t, y, me));
    }
    ok(m.value_cow(registry(), ccode(d)?, y, me))
}

/// The short forms of the military expenditure and GDP functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use milex_gdp_api::*;
    short_forms! { module;
        /// Constant-dollar expenditure (US$ m) of every state and year: `ccode, country, year, value`.
        fn table(m: &mut MilitaryExpenditure) -> Table = milex_table_period(m, "constant", OPEN, OPEN);
        /// The states of `year` ranked by constant-dollar expenditure.
        fn rank(m: &mut MilitaryExpenditure, year: i64) -> Table = milex_rank_measure(m, year, "constant");
        /// One state's constant-dollar expenditure by year: `year, value`.
        fn series(m: &mut MilitaryExpenditure, state: Dynamic) -> Table
            = milex_series_period(m, state, "constant", OPEN, OPEN);
        /// One state's series (`constant`, `current`, `share_gdp`) by year: `year, value`.
        fn series(m: &mut MilitaryExpenditure, state: Dynamic, measure: &str) -> Table
            = milex_series_period(m, state, measure, OPEN, OPEN);
        /// A state's constant-dollar expenditure in a year (`()` when SIPRI has no figure).
        fn value(m: &mut MilitaryExpenditure, state: Dynamic, year: i64) -> Dynamic
            = milex_value_measure(m, state, year, "constant");
        /// Every country-year: `iso3, country, year, gdppc, pop, gdp`.
        fn table(m: &mut Maddison) -> Table = maddison_table_period(m, OPEN, OPEN);
        /// The countries of `year` ranked by GDP.
        fn rank(m: &mut Maddison, year: i64) -> Table = maddison_rank_measure(m, year, "gdp");
        /// Every country-year's GDP and SDP estimates (logs, as published).
        fn table(s: &mut SdpGdp) -> Table = sdp_table_period(s, OPEN, OPEN);
    }
}

#[export_module]
pub mod milex_gdp_api {
    use super::*;

    // ---- SIPRI military expenditure ----------------------------------------------------------

    /// One series (`constant` US$ m, `current` US$ m, `share_gdp`) over `start..=end` (`()`
    /// for an open bound).
    #[rhai_fn(name = "table", return_raw, pure)]
    pub fn milex_table_period(m: &mut MilitaryExpenditure, measure: &str, start: Dynamic, end: Dynamic) -> R<Table> {
        let p = opt_period(&start, &end, Some(m.0.coverage()))?;
        table(milex::milex_table(&m.0, parse(measure)?, p))
    }

    /// The states of `year` ranked by a series (`constant`, `current`, `share_gdp`).
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn milex_rank_measure(m: &mut MilitaryExpenditure, year: i64, measure: &str) -> R<Table> {
        table(milex::milex_rank(&m.0, super::year(year)?, parse(measure)?))
    }

    /// One state's series (`constant`, `current`, `share_gdp`) over `start..=end` (`()` for an
    /// open bound): `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn milex_series_period(
        m: &mut MilitaryExpenditure, state: Dynamic, measure: &str, start: Dynamic, end: Dynamic,
    ) -> R<Table> {
        let p = opt_period(&start, &end, Some(m.0.coverage()))?;
        year_value(&ok(m.0.series(milex_state(&m.0, &state)?, parse(measure)?, p))?)
    }

    /// A state's value of a series in a year.
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn milex_value_measure(m: &mut MilitaryExpenditure, state: Dynamic, year: i64, measure: &str) -> R<Dynamic> {
        Ok(opt(m.0.value(milex_state(&m.0, &state)?, super::year(year)?, parse(measure)?)))
    }

    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn milex_to_string(m: &mut MilitaryExpenditure) -> String {
        format!("<MilitaryExpenditure SIPRI, {} rows, {}>", m.0.len(), m.0.coverage())
    }

    // ---- Maddison ----------------------------------------------------------------------------

    /// The country-years of `start..=end` (`()` for an open bound).
    #[rhai_fn(name = "table", return_raw, pure)]
    pub fn maddison_table_period(m: &mut Maddison, start: Dynamic, end: Dynamic) -> R<Table> {
        let p = opt_period(&start, &end, Some(m.0.coverage()))?.unwrap_or(m.0.coverage());
        table(gdp::maddison_table(&m.0, p))
    }

    /// The countries of `year` ranked by `gdp`, `gdppc` or `pop`.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn maddison_rank_measure(m: &mut Maddison, year: i64, measure: &str) -> R<Table> {
        table(gdp::maddison_rank(&m.0, super::year(year)?, parse(measure)?))
    }

    /// A state's `gdp`, `gdppc` or `pop` in a year (a state by ISO3, name or COW code).
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn maddison_value_of(m: &mut Maddison, state: Dynamic, year: i64, measure: &str) -> R<Dynamic> {
        Ok(opt(maddison_value(&m.0, &state, super::year(year)?, parse(measure)?)?))
    }

    /// A state's series of `gdp`, `gdppc` or `pop` over `start..=end`: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn maddison_series(m: &mut Maddison, state: Dynamic, measure: &str, start: i64, end: i64) -> R<Table> {
        let me = parse(measure)?;
        let p = crate::args::period(start, end)?;
        let pts: Vec<Point> = p.years().map(|y| Ok((y, maddison_value(&m.0, &state, y, me)?))).collect::<R<_>>()?;
        year_value(&pts)
    }

    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn maddison_to_string(m: &mut Maddison) -> String {
        format!("<Maddison {} rows, {}>", m.0.len(), m.0.coverage())
    }

    // ---- Anders-Fariss-Markowitz GDP and SDP ---------------------------------------------------

    /// The estimates of `start..=end` (`()` for an open bound).
    #[rhai_fn(name = "table", return_raw, pure)]
    pub fn sdp_table_period(s: &mut SdpGdp, start: Dynamic, end: Dynamic) -> R<Table> {
        table(gdp::sdp_gdp_table(&s.0, opt_period(&start, &end, Some(s.0.coverage()))?))
    }
}
