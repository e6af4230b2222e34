//! COW national material capabilities and state lists (`powerbalance_core::capabilities`):
//! `caps.cinc(2016, ["USA", "CHN", "RUS"])`, `caps.shares(...)`, `caps.ratio(...)`,
//! `caps.rank(...)`, `caps.series(...)`, `states.members(2016)`. States are given by name
//! (`"China"`), COW abbreviation (`"CHN"`) or COW code (`710` or `"710"`).

use crate::args::{named, opt, opt_period, parse, state, text, year, year_value};
use crate::types::*;
use arrow_array::{ArrayRef, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use arrow_select::concat::concat_batches;
use powerbalance_core::capabilities::{self as cap, Capabilities as CoreCaps, Measure, MissingRule};
use powerbalance_core::metrics::concentration::{self as conc, PoleRule};
use rhai::plugin::*;
use rhai::{Array, Dynamic, Map};
use std::sync::Arc;

fn caps_state(c: &CoreCaps, d: &Dynamic) -> R<u16> {
    ok(c.resolve_state(crate::args::registry(), &state(d)))
}

fn caps_states(c: &CoreCaps, a: &Array) -> R<Vec<u16>> {
    a.iter().map(|d| caps_state(c, d)).collect()
}

/// HHI, CON, entropy and poles of a measure year by year (the rows of one year with a value
/// form its distribution, keyed by COW code as text).
fn concentration_by_year(
    c: &CoreCaps, p: powerbalance_core::Period, m: Measure, states: Option<&[u16]>, rule: PoleRule,
) -> R<TableRef> {
    let mut parts = Vec::new();
    for y in p.years() {
        crate::check_stop()?;
        let dist: Vec<(String, f64)> = c
            .states_in(y)
            .into_iter()
            .filter(|s| states.map_or(true, |k| k.contains(s)))
            .filter_map(|s| c.value(s, y, m).map(|v| (s.to_string(), v)))
            .collect();
        if dist.is_empty() {
            continue;
        }
        let t = ok(conc::concentration_table(&dist, rule))?;
        let year: ArrayRef = Arc::new(Int64Array::from(vec![y as i64]));
        let mut fields = vec![Field::new("year", DataType::Int64, false)];
        fields.extend(t.batch.schema().fields().iter().map(|f| f.as_ref().clone()));
        let mut cols = vec![year];
        cols.extend(t.batch.columns().iter().cloned());
        parts.push(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).map_err(err)?);
    }
    let Some(first) = parts.first() else {
        return Err(err(format!("no state has a value of {} in {p}", m.name())));
    };
    let batch = concat_batches(&first.schema(), &parts).map_err(err)?;
    Ok(TableRef::from(powerbalance_core::Table { batch }))
}

/// The short forms of the capabilities' functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use capabilities_api::*;
    short_forms! { module;
        /// The CINC ratio of `a` to `b` by year: `ratio_t = x_a,t / x_b,t`.
        fn ratio(c: &mut Capabilities, a: Dynamic, b: Dynamic) -> Table = caps_ratio_measure(c, a, b, "cinc");
        /// The states of `year` ranked by CINC, largest first.
        fn rank(c: &mut Capabilities, year: i64) -> Table = caps_rank_measure(c, year, "cinc");
        /// One state's CINC by year over the data's span: `year, value`.
        fn series(c: &mut Capabilities, state: Dynamic) -> Table = caps_series_measure(c, state, "cinc");
        /// A state's published CINC in a year (`()` when missing).
        fn value(c: &mut Capabilities, state: Dynamic, year: i64) -> Dynamic
            = caps_value_measure(c, state, year, "cinc");
        /// HHI, CON, entropy and poles of CINC year by year over `start..=end` (`()` for an open
        /// bound; Hirschman 1945, Ray & Singer 1973, Shannon 1948, Schweller 1998): `year, n, hhi,
        /// con, entropy, effective_poles, poles, strongest, strongest_share, equilibrium_holds`
        /// (`strongest` a COW code as text).
        fn concentration(c: &mut Capabilities, start: Dynamic, end: Dynamic) -> Table
            = caps_concentration_opts(c, start, end, Map::new());
    }
}

/// The properties of the capabilities and the state lists (the package's `properties!`).
pub(crate) fn register_properties(module: &mut Module) {
    properties! { module;
        /// The NMC release (`"6.0"`, `"7.0"`).
        fn release(c: Capabilities) -> String = c.0.release.clone();
        /// `"cow-abridged"` (a `version` column, `-9` missing) or `"unversioned"`.
        fn layout(c: Capabilities) -> String = c.0.layout.as_str().into();
        /// The NMC file's `version` column value (`"2021"` for NMC 6.0), or `()`.
        fn version_column(c: Capabilities) -> Dynamic
            = c.0.version_column.clone().map(Dynamic::from).unwrap_or(Dynamic::UNIT);
        /// The number of distinct states.
        fn n_states(s: StateList) -> i64 = s.0.n_states() as i64;
        /// `"states"` (system membership) or `"majors"` (major powers).
        fn kind(s: StateList) -> String = s.0.kind.as_str().into();
        /// The list's version (`"2016"`), or `()`.
        fn version(s: StateList) -> Dynamic
            = s.0.version.clone().map(Dynamic::from).unwrap_or(Dynamic::UNIT);
    }
}

#[export_module]
pub mod capabilities_api {
    use super::*;

    /// CINC recomputed from the six components for every state of `year` (Singer, Bremer &
    /// Stuckey 1972): `share_ik = c_ik / sum_j c_jk`, `CINC_i = mean_k share_ik`.
    #[rhai_fn(name = "cinc", return_raw, pure)]
    pub fn cinc_all(c: &mut Capabilities, year: i64) -> R<Table> {
        table(cap::cinc(&c.0, super::year(year)?, None, MissingRule::Available))
    }

    /// CINC recomputed within a subset of states: each one's capability share of the subset.
    #[rhai_fn(name = "cinc", return_raw, pure)]
    pub fn cinc_states(c: &mut Capabilities, year: i64, states: Array) -> R<Table> {
        let s = caps_states(&c.0, &states)?;
        table(cap::cinc(&c.0, super::year(year)?, Some(&s), MissingRule::Available))
    }

    /// As `cinc(year, states)` with options `#{rule: "zero"}` (the missing-value rule,
    /// `"available"` as COW, or `"zero"`).
    #[rhai_fn(name = "cinc", return_raw, pure)]
    pub fn cinc_rule(c: &mut Capabilities, year: i64, states: Array, options: Map) -> R<Table> {
        let s = caps_states(&c.0, &states)?;
        table(cap::cinc(&c.0, super::year(year)?, Some(&s), named(&options, "rule", MissingRule::Available)?))
    }

    /// Each state's share of the subset's total published CINC: `share_i = x_i / sum_S x_j`
    /// (column `share_of_group`; not `cinc(...)`'s `cinc_recomputed`).
    #[rhai_fn(name = "shares", return_raw, pure)]
    pub fn caps_shares(c: &mut Capabilities, year: i64, states: Array) -> R<Table> {
        let s = caps_states(&c.0, &states)?;
        table(cap::shares(&c.0, super::year(year)?, &s, Measure::Cinc))
    }

    /// Each state's share of the subset's total of a measure (`cinc`, `milex`, `milper`, `irst`,
    /// `pec`, `tpop`, `upop`).
    #[rhai_fn(name = "shares", return_raw, pure)]
    pub fn caps_shares_measure(c: &mut Capabilities, year: i64, states: Array, measure: &str) -> R<Table> {
        let s = caps_states(&c.0, &states)?;
        table(cap::shares(&c.0, super::year(year)?, &s, parse(measure)?))
    }

    /// The ratio of `a` to `b` of a measure by year.
    #[rhai_fn(name = "ratio", return_raw, pure)]
    pub fn caps_ratio_measure(c: &mut Capabilities, a: Dynamic, b: Dynamic, measure: &str) -> R<Table> {
        table(cap::capability_ratio(&c.0, caps_state(&c.0, &a)?, caps_state(&c.0, &b)?, parse(measure)?, None))
    }

    /// The ratio of `a` to `b` of a measure by year over `start..=end`.
    #[rhai_fn(name = "ratio", return_raw, pure)]
    pub fn caps_ratio_period(
        c: &mut Capabilities, a: Dynamic, b: Dynamic, measure: &str, start: Dynamic, end: Dynamic,
    ) -> R<Table> {
        table(cap::capability_ratio(
            &c.0,
            caps_state(&c.0, &a)?,
            caps_state(&c.0, &b)?,
            parse(measure)?,
            opt_period(&start, &end, Some(c.0.coverage()))?,
        ))
    }

    /// The states of `year` ranked by a measure, largest first.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn caps_rank_measure(c: &mut Capabilities, year: i64, measure: &str) -> R<Table> {
        table(cap::rank(&c.0, super::year(year)?, parse(measure)?))
    }

    /// One state's series of a measure: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn caps_series_measure(c: &mut Capabilities, state: Dynamic, measure: &str) -> R<Table> {
        year_value(&ok(c.0.series(caps_state(&c.0, &state)?, parse(measure)?, None))?)
    }

    /// One state's series of a measure over `start..=end`: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn caps_series_period(
        c: &mut Capabilities, state: Dynamic, measure: &str, start: Dynamic, end: Dynamic,
    ) -> R<Table> {
        let p = opt_period(&start, &end, Some(c.0.coverage()))?;
        year_value(&ok(c.0.series(caps_state(&c.0, &state)?, parse(measure)?, p))?)
    }

    /// A state's value of a measure in a year (`()` when missing).
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn caps_value_measure(c: &mut Capabilities, state: Dynamic, year: i64, measure: &str) -> R<Dynamic> {
        Ok(opt(c.0.value(caps_state(&c.0, &state)?, super::year(year)?, parse(measure)?)))
    }

    /// The COW codes with a row in `year`.
    #[rhai_fn(name = "states_in", pure)]
    pub fn caps_states_in(c: &mut Capabilities, year: i64) -> Array {
        c.0.states_in(year as i32).into_iter().map(|x| Dynamic::from_int(x as i64)).collect()
    }

    /// A state's COW code.
    #[rhai_fn(name = "resolve", return_raw, pure)]
    pub fn caps_resolve(c: &mut Capabilities, state: Dynamic) -> R<i64> {
        Ok(caps_state(&c.0, &state)? as i64)
    }

    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn caps_to_string(c: &mut Capabilities) -> String {
        format!("<Capabilities NMC {}, {} state-years, {}>", c.0.release, c.0.len(), c.0.coverage())
    }

    /// Every row: `ccode, stateabb, year, milex, milper, irst, pec, tpop, upop, cinc`.
    #[rhai_fn(name = "table", return_raw, pure)]
    pub fn caps_table(c: &mut Capabilities) -> R<Table> {
        table(c.0.table())
    }

    /// As `concentration(start, end)` with options `#{measure: "milex", states: ["USA", "CHN",
    /// "RUS"], rule: "relative" | "share", threshold: 0.5}`.
    #[rhai_fn(name = "concentration", return_raw, pure)]
    pub fn caps_concentration_opts(c: &mut Capabilities, start: Dynamic, end: Dynamic, options: Map) -> R<Table> {
        let cov = c.0.coverage();
        let p = opt_period(&start, &end, Some(cov))?.unwrap_or(cov);
        let (mut m, mut states, mut rule, mut threshold) = (Measure::Cinc, None, "relative".to_string(), 0.5);
        for (k, v) in crate::args::options(&options, &["measure", "states", "rule", "threshold"])? {
            match k {
                "measure" => m = parse(&text(v, k)?)?,
                "states" => {
                    let a = v.clone().into_array().map_err(|_| err("states must be an array"))?;
                    states = Some(caps_states(&c.0, &a)?);
                }
                "rule" => rule = text(v, k)?,
                _ => threshold = crate::args::float(v, k)?,
            }
        }
        let rule = ok(PoleRule::from_name(&rule, threshold))?;
        concentration_by_year(&c.0, p, m, states.as_deref(), rule)
    }

    // ---- COW state lists ---------------------------------------------------------------------

    /// Number of spells.
    #[rhai_fn(name = "len", pure)]
    pub fn states_len(s: &mut StateList) -> i64 {
        s.0.spells.len() as i64
    }

    /// The spells: `ccode, stateabb, statenme, start_year, start_month, start_day, end_year,
    /// end_month, end_day`.
    #[rhai_fn(name = "table", return_raw, pure)]
    pub fn states_table(s: &mut StateList) -> R<Table> {
        table(s.0.table())
    }

    /// The COW codes that are members at any time during `year`.
    #[rhai_fn(pure)]
    pub fn members(s: &mut StateList, year: i64) -> Array {
        s.0.members(year as i32).into_iter().map(|x| Dynamic::from_int(x as i64)).collect()
    }

    /// Is `ccode` a member at any time during `year`?
    #[rhai_fn(pure, return_raw)]
    pub fn is_member(s: &mut StateList, ccode: i64, year: i64) -> R<bool> {
        let c = u16::try_from(ccode).map_err(|_| err(format!("{ccode} is not a COW code")))?;
        Ok(s.0.is_member(c, super::year(year)?))
    }

    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn states_to_string(s: &mut StateList) -> String {
        format!("<StateList {}, {} states, {} spells>", s.0.kind.as_str(), s.0.n_states(), s.0.spells.len())
    }
}
