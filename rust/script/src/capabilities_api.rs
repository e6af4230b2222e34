//! Capabilities, military expenditure, GDP, alliances, UN ideal points and the metrics built on
//! them, as a Rhai package (`#[export_module]`). Names follow the Python API
//! (`powerbalance.capabilities`, `powerbalance.metrics`): `caps.cinc(2016, ["USA", "CHN", "RUS"])`,
//! `caps.shares(...)`, `caps.ratio(...)`, `caps.rank(...)`, `caps.series(...)`, `hhi(...)`,
//! `coalitions(...)`, `crossovers(...)`, `project_crossover(...)`, `triangle(...)`, ...
//!
//! Readers (`read_nmc`, `read_milex`, `read_maddison`, `read_alliances`, `read_ideal_points`) are
//! registered by the engine, restricted like `read_sipri` to the data folders the host allows.
//!
//! States are given by name (`"China"`), COW abbreviation (`"CHN"`, NMC only) or COW code (`710`
//! or `"710"`). A distribution (for `hhi`, `shares`, `coalitions`, ...) is a map `#{USA: 0.13,
//! CHN: 0.23}`, an array of numbers, of `[name, value]` pairs or of `#{actor, value}` maps, or a
//! table with `actor` and `value` columns. A series (for `crossovers`, `parity_windows`,
//! `project_crossover`, `triangle_series`) is a table with a `year` column and a `value` column
//! (or one other numeric column), a map `#{"2010": 1.0}`, or an array of `[year, value]` pairs or
//! `#{year, value}` maps; `()` is a missing value.

use crate::types::{err, TableRef, R};
use powerbalance_core::capabilities::{self as cap, Capabilities, Measure, MissingRule};
use powerbalance_core::gdp::{self, EconMeasure, Maddison};
use powerbalance_core::metrics::alignment::{self as align, Distance};
use powerbalance_core::metrics::concentration::{self as conc, PoleRule};
use powerbalance_core::metrics::transition::{self as tr, ParityBand, Point};
use powerbalance_core::metrics::triangle::{self as tri, Thresholds};
use powerbalance_core::milex::{self, Milex, MilexSeries};
use powerbalance_core::relations::{alliances as al, Alliances, IdealPointEstimate, IdealPoints};
use powerbalance_core::scenario::{self as sc, Scenario};
use powerbalance_core::table::arrow::{Array as _, Float64Array, Int64Array};
use powerbalance_core::{ActorRegistry, Period, Table as CoreTable};
use rhai::plugin::*;
use rhai::{Array, Dynamic, FnPtr, Map, NativeCallContext};
use std::collections::BTreeMap;
use std::sync::Arc;

/// COW national material capabilities as scripts hold them.
#[derive(Clone)]
pub struct CapsRef(pub Arc<Capabilities>);
/// SIPRI military expenditure.
#[derive(Clone)]
pub struct MilexRef(pub Arc<Milex>);
/// Maddison GDP and population.
#[derive(Clone)]
pub struct MaddisonRef(pub Arc<Maddison>);
/// COW or ATOP alliance dyad-years.
#[derive(Clone)]
pub struct AlliancesRef(pub Arc<Alliances>);
/// UN General Assembly ideal points.
#[derive(Clone)]
pub struct IdealPointsRef(pub Arc<IdealPoints>);

fn registry() -> &'static ActorRegistry {
    ActorRegistry::builtin()
}

fn table(t: powerbalance_core::Result<CoreTable>) -> R<TableRef> {
    t.map(TableRef::from).map_err(err)
}

fn year(v: i64) -> R<i32> {
    i32::try_from(v).map_err(|_| err(format!("year {v} is out of range")))
}

fn period(start: i64, end: i64) -> R<Period> {
    crate::check_stop()?;
    Period::new(year(start)?, year(end)?).map_err(err)
}

fn num(v: &Dynamic, what: &str) -> R<Option<f64>> {
    if v.is_unit() {
        return Ok(None);
    }
    if let Ok(f) = v.as_float() {
        return Ok(Some(f));
    }
    if let Ok(i) = v.as_int() {
        return Ok(Some(i as f64));
    }
    Err(err(format!("{what}: expected a number, not {} ({})", v, v.type_name())))
}

fn opt(v: Option<f64>) -> Dynamic {
    v.map(Dynamic::from_float).unwrap_or(Dynamic::UNIT)
}

/// A state argument (a name, an abbreviation or a COW code, as text or an integer).
fn state(d: &Dynamic) -> String {
    d.to_string()
}

/// A state as a COW code, for data keyed only by ccode (alliances, ideal points).
fn ccode(d: &Dynamic) -> R<u16> {
    let s = state(d);
    if let Ok(c) = s.trim().parse::<u16>() {
        return Ok(c);
    }
    let reg = registry();
    let id = reg.resolve(&s).map_err(err)?;
    reg.get(id).cow_code.ok_or_else(|| err(format!("{:?} has no Correlates of War code", reg.name(id))))
}

fn caps_state(c: &Capabilities, d: &Dynamic) -> R<u16> {
    c.resolve_state(registry(), &state(d)).map_err(err)
}

fn caps_states(c: &Capabilities, a: &Array) -> R<Vec<u16>> {
    a.iter().map(|d| caps_state(c, d)).collect()
}

fn milex_state(m: &Milex, d: &Dynamic) -> R<u16> {
    m.resolve_state(registry(), &state(d)).map_err(err)
}

fn measure(s: &str) -> R<Measure> {
    Measure::parse(s).map_err(err)
}

fn series_kind(s: &str) -> R<MilexSeries> {
    MilexSeries::parse(s).map_err(err)
}

fn year_value(points: &[Point]) -> R<TableRef> {
    table(
        powerbalance_core::TableBuilder::new()
            .i64("year", points.iter().map(|p| p.0 as i64).collect())
            .f64_opt("value", points.iter().map(|p| p.1).collect())
            .build(),
    )
}

/// A distribution as `(name, value)` pairs (see the module docs).
pub fn distribution(x: &Dynamic) -> R<Vec<(String, f64)>> {
    let need = |v: &Dynamic, name: &str| num(v, name)?.ok_or_else(|| err(format!("{name} has no value")));
    if let Some(m) = x.clone().try_cast::<Map>() {
        return m.iter().map(|(k, v)| Ok((k.to_string(), need(v, k)?))).collect();
    }
    if let Some(t) = x.clone().try_cast::<TableRef>() {
        let names = t.column("actor")?;
        let vals = t.column("value")?;
        return names.iter().zip(&vals).map(|(n, v)| Ok((n.to_string(), need(v, &n.to_string())?))).collect();
    }
    if let Some(a) = x.clone().try_cast::<Array>() {
        return a
            .iter()
            .enumerate()
            .map(|(i, e)| {
                if let Some(p) = e.clone().try_cast::<Array>() {
                    if p.len() == 2 {
                        return Ok((p[0].to_string(), need(&p[1], &p[0].to_string())?));
                    }
                    return Err(err("a distribution's pairs are [name, value]"));
                }
                if let Some(m) = e.clone().try_cast::<Map>() {
                    let n = m
                        .get("actor")
                        .map(|v| v.to_string())
                        .ok_or_else(|| err("a distribution's maps need `actor` and `value`"))?;
                    let v = m.get("value").ok_or_else(|| err("a distribution's maps need `actor` and `value`"))?;
                    return Ok((n.clone(), need(v, &n)?));
                }
                Ok((i.to_string(), need(e, &format!("element {i}"))?))
            })
            .collect();
    }
    Err(err(format!("expected a map, an array or a table of values, not {}", x.type_name())))
}

/// A series as `(year, value)` points (see the module docs).
pub fn series_points(x: &Dynamic) -> R<Vec<Point>> {
    if let Some(t) = x.clone().try_cast::<TableRef>() {
        let years = t.column("year")?;
        let names = t.0.column_names();
        let col = if names.iter().any(|n| n == "value") {
            "value".to_string()
        } else {
            let numeric: Vec<&String> = names
                .iter()
                .filter(|n| n.as_str() != "year")
                .filter(|n| {
                    t.0.column(n).is_ok_and(|c| c.as_any().is::<Float64Array>() || c.as_any().is::<Int64Array>())
                })
                .collect();
            match numeric.as_slice() {
                [one] => (*one).clone(),
                _ => {
                    return Err(err(format!(
                        "a series table needs `year` and `value` columns (it has {})",
                        names.join(", ")
                    )))
                }
            }
        };
        let vals = t.column(&col)?;
        return years
            .iter()
            .zip(&vals)
            .map(|(y, v)| Ok((year(y.as_int().map_err(|_| err("year must be an integer"))?)?, num(v, "value")?)))
            .collect();
    }
    if let Some(m) = x.clone().try_cast::<Map>() {
        return m
            .iter()
            .map(|(k, v)| {
                Ok((k.trim().parse::<i32>().map_err(|_| err(format!("series key {k:?} is not a year")))?, num(v, k)?))
            })
            .collect();
    }
    if let Some(a) = x.clone().try_cast::<Array>() {
        return a
            .iter()
            .map(|e| {
                let (y, v) = if let Some(p) = e.clone().try_cast::<Array>() {
                    if p.len() != 2 {
                        return Err(err("a series' pairs are [year, value]"));
                    }
                    (p[0].clone(), p[1].clone())
                } else if let Some(m) = e.clone().try_cast::<Map>() {
                    (m.get("year").cloned().unwrap_or(Dynamic::UNIT), m.get("value").cloned().unwrap_or(Dynamic::UNIT))
                } else {
                    return Err(err("a series array holds [year, value] pairs or #{year, value} maps"));
                };
                Ok((year(y.as_int().map_err(|_| err("year must be an integer"))?)?, num(&v, "value")?))
            })
            .collect();
    }
    Err(err(format!("expected a series (a table, a map or an array), not {}", x.type_name())))
}

fn pole_rule(rule: &str, threshold: f64) -> R<PoleRule> {
    match rule {
        "relative" => Ok(PoleRule::RelativeToLargest(threshold)),
        "share" => Ok(PoleRule::ShareAtLeast(threshold)),
        _ => Err(err(format!("unknown pole rule {rule:?}; expected \"relative\" or \"share\""))),
    }
}

fn three(a: &Array, what: &str) -> R<[String; 3]> {
    if a.len() != 3 {
        return Err(err(format!("a triangle needs three {what}, not {}", a.len())));
    }
    Ok([a[0].to_string(), a[1].to_string(), a[2].to_string()])
}

fn classify(actors: Array, scores: Array, t: Thresholds) -> R<Map> {
    let names = three(&actors, "actors")?;
    if scores.len() != 3 {
        return Err(err("a triangle needs three scores [AB, BC, CA]"));
    }
    let mut s = [0.0; 3];
    for (k, v) in scores.iter().enumerate() {
        s[k] = num(v, "score")?.ok_or_else(|| err("a triangle's scores may not be missing"))?;
    }
    let x = tri::classify(names, s, t).map_err(err)?;
    let mut m = Map::new();
    m.insert("type".into(), x.kind.name().into());
    m.insert("actor".into(), x.kind.actor().map(|a| Dynamic::from(a.to_string())).unwrap_or(Dynamic::UNIT));
    m.insert("balanced".into(), x.balanced.map(Dynamic::from_bool).unwrap_or(Dynamic::UNIT));
    m.insert("signs".into(), Dynamic::from_array(x.signs.iter().map(|&s| Dynamic::from_int(s as i64)).collect()));
    Ok(m)
}

fn tri_series(actors: Array, ab: Dynamic, bc: Dynamic, ca: Dynamic, t: Thresholds) -> R<TableRef> {
    let names = three(&actors, "actors")?;
    let mut years: BTreeMap<i32, [Option<f64>; 3]> = BTreeMap::new();
    for (k, s) in [ab, bc, ca].iter().enumerate() {
        for (y, v) in series_points(s)? {
            years.entry(y).or_insert([None; 3])[k] = v;
        }
    }
    let rows: Vec<(i32, [Option<f64>; 3])> = years.into_iter().collect();
    table(tri::triangle_series(names, &rows, t))
}

fn thresholds(positive: f64, negative: f64) -> R<Thresholds> {
    Thresholds::new(positive, negative).map_err(err)
}

fn rule(s: &str) -> R<MissingRule> {
    match s {
        "available" => Ok(MissingRule::Available),
        "zero" => Ok(MissingRule::Zero),
        _ => Err(err(format!("unknown missing-value rule {s:?}; expected \"available\" or \"zero\""))),
    }
}

fn span_of(p: Period) -> Array {
    vec![Dynamic::from_int(p.start as i64), Dynamic::from_int(p.end as i64)]
}

fn call_table(ctx: &NativeCallContext, metric: &FnPtr, arg: Dynamic) -> R<TableRef> {
    let v: Dynamic = metric.call_within_context(ctx, (arg,))?;
    v.try_cast::<TableRef>().ok_or_else(|| err("compare: the metric must return a table"))
}

fn ip_estimate(s: &str) -> R<IdealPointEstimate> {
    IdealPointEstimate::parse(s).map_err(err)
}

fn maddison_value(m: &Maddison, d: &Dynamic, y: i32, me: EconMeasure) -> R<Option<f64>> {
    let s = state(d);
    let t = s.trim();
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_uppercase()) {
        return m.value(t, y, me).map_err(err);
    }
    m.value_cow(registry(), ccode(d)?, y, me).map_err(err)
}

/// Capabilities, military expenditure, GDP, alliances, ideal points; the concentration,
/// transition, alignment and triangle metrics; capability and alliance scenarios.
#[export_module]
pub mod capabilities_api {
    use super::*;

    pub type Capabilities = CapsRef;
    pub type MilitaryExpenditure = MilexRef;
    pub type Maddison = MaddisonRef;
    pub type Alliances = AlliancesRef;
    pub type IdealPoints = IdealPointsRef;

    // ---- COW NMC ------------------------------------------------------------------------

    /// Number of state-years.
    #[rhai_fn(name = "len", pure)]
    pub fn caps_len(c: &mut CapsRef) -> i64 {
        c.0.len() as i64
    }

    /// First and last year, `[start, end]`.
    #[rhai_fn(get = "span", pure)]
    pub fn caps_span(c: &mut CapsRef) -> Array {
        span_of(c.0.coverage())
    }

    /// The NMC release (`"6.0"`, `"7.0"`).
    #[rhai_fn(get = "release", pure)]
    pub fn caps_release(c: &mut CapsRef) -> String {
        c.0.release.clone()
    }

    /// CINC recomputed from the six components for every state of `year` (Singer, Bremer &
    /// Stuckey 1972): `share_ik = c_ik / sum_j c_jk`, `CINC_i = mean_k share_ik`.
    #[rhai_fn(name = "cinc", return_raw, pure)]
    pub fn cinc_all(c: &mut CapsRef, year: i64) -> R<TableRef> {
        table(cap::cinc(&c.0, super::year(year)?, None, MissingRule::Available))
    }

    /// CINC recomputed within a subset of states: each one's capability share of the subset.
    #[rhai_fn(name = "cinc", return_raw, pure)]
    pub fn cinc_states(c: &mut CapsRef, year: i64, states: Array) -> R<TableRef> {
        let s = caps_states(&c.0, &states)?;
        table(cap::cinc(&c.0, super::year(year)?, Some(&s), MissingRule::Available))
    }

    /// As `cinc(year, states)` with a missing-value rule, `"available"` (COW's) or `"zero"`.
    #[rhai_fn(name = "cinc", return_raw, pure)]
    pub fn cinc_rule(c: &mut CapsRef, year: i64, states: Array, missing: &str) -> R<TableRef> {
        let s = caps_states(&c.0, &states)?;
        table(cap::cinc(&c.0, super::year(year)?, Some(&s), rule(missing)?))
    }

    /// Each state's share of the subset's total published CINC: `share_i = x_i / sum_S x_j`
    /// (column `share_of_group`; not `cinc(...)`'s `cinc_recomputed`).
    #[rhai_fn(name = "shares", return_raw, pure)]
    pub fn caps_shares(c: &mut CapsRef, year: i64, states: Array) -> R<TableRef> {
        let s = caps_states(&c.0, &states)?;
        table(cap::shares(&c.0, super::year(year)?, &s, Measure::Cinc))
    }

    /// Each state's share of the subset's total of a measure (`cinc`, `milex`, `milper`, `irst`,
    /// `pec`, `tpop`, `upop`).
    #[rhai_fn(name = "shares", return_raw, pure)]
    pub fn caps_shares_measure(c: &mut CapsRef, year: i64, states: Array, m: &str) -> R<TableRef> {
        let s = caps_states(&c.0, &states)?;
        table(cap::shares(&c.0, super::year(year)?, &s, measure(m)?))
    }

    /// The CINC ratio of `a` to `b` by year: `ratio_t = x_a,t / x_b,t`.
    #[rhai_fn(name = "ratio", return_raw, pure)]
    pub fn caps_ratio(c: &mut CapsRef, a: Dynamic, b: Dynamic) -> R<TableRef> {
        table(cap::capability_ratio(&c.0, caps_state(&c.0, &a)?, caps_state(&c.0, &b)?, Measure::Cinc, None))
    }

    /// The ratio of `a` to `b` of a measure by year.
    #[rhai_fn(name = "ratio", return_raw, pure)]
    pub fn caps_ratio_measure(c: &mut CapsRef, a: Dynamic, b: Dynamic, m: &str) -> R<TableRef> {
        table(cap::capability_ratio(&c.0, caps_state(&c.0, &a)?, caps_state(&c.0, &b)?, measure(m)?, None))
    }

    /// The ratio of `a` to `b` of a measure by year over `start..=end`.
    #[rhai_fn(name = "ratio", return_raw, pure)]
    pub fn caps_ratio_period(c: &mut CapsRef, a: Dynamic, b: Dynamic, m: &str, start: i64, end: i64) -> R<TableRef> {
        table(cap::capability_ratio(
            &c.0,
            caps_state(&c.0, &a)?,
            caps_state(&c.0, &b)?,
            measure(m)?,
            Some(period(start, end)?),
        ))
    }

    /// The states of `year` ranked by CINC, largest first.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn caps_rank(c: &mut CapsRef, year: i64) -> R<TableRef> {
        table(cap::rank(&c.0, super::year(year)?, Measure::Cinc))
    }

    /// The states of `year` ranked by a measure, largest first.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn caps_rank_measure(c: &mut CapsRef, year: i64, m: &str) -> R<TableRef> {
        table(cap::rank(&c.0, super::year(year)?, measure(m)?))
    }

    /// One state's CINC by year over the data's span: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn caps_series(c: &mut CapsRef, s: Dynamic) -> R<TableRef> {
        year_value(&c.0.series(caps_state(&c.0, &s)?, Measure::Cinc, None).map_err(err)?)
    }

    /// One state's series of a measure: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn caps_series_measure(c: &mut CapsRef, s: Dynamic, m: &str) -> R<TableRef> {
        year_value(&c.0.series(caps_state(&c.0, &s)?, measure(m)?, None).map_err(err)?)
    }

    /// One state's series of a measure over `start..=end`: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn caps_series_period(c: &mut CapsRef, s: Dynamic, m: &str, start: i64, end: i64) -> R<TableRef> {
        year_value(&c.0.series(caps_state(&c.0, &s)?, measure(m)?, Some(period(start, end)?)).map_err(err)?)
    }

    /// A state's published CINC in a year (`()` when missing).
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn caps_value(c: &mut CapsRef, s: Dynamic, year: i64) -> R<Dynamic> {
        Ok(opt(c.0.value(caps_state(&c.0, &s)?, super::year(year)?, Measure::Cinc)))
    }

    /// A state's value of a measure in a year (`()` when missing).
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn caps_value_measure(c: &mut CapsRef, s: Dynamic, year: i64, m: &str) -> R<Dynamic> {
        Ok(opt(c.0.value(caps_state(&c.0, &s)?, super::year(year)?, measure(m)?)))
    }

    /// The COW codes with a row in `year`.
    #[rhai_fn(name = "states_in", pure)]
    pub fn caps_states_in(c: &mut CapsRef, year: i64) -> Array {
        c.0.states_in(year as i32).into_iter().map(|x| Dynamic::from_int(x as i64)).collect()
    }

    /// A state's COW code.
    #[rhai_fn(name = "resolve", return_raw, pure)]
    pub fn caps_resolve(c: &mut CapsRef, s: Dynamic) -> R<i64> {
        Ok(caps_state(&c.0, &s)? as i64)
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn caps_to_string(c: &mut CapsRef) -> String {
        format!("<Capabilities NMC {}, {} state-years, {}>", c.0.release, c.0.len(), c.0.coverage())
    }

    #[rhai_fn(name = "to_debug", pure)]
    pub fn caps_to_debug(c: &mut CapsRef) -> String {
        caps_to_string(c)
    }

    // ---- SIPRI military expenditure ----------------------------------------------------------

    #[rhai_fn(name = "len", pure)]
    pub fn milex_len(m: &mut MilexRef) -> i64 {
        m.0.len() as i64
    }

    #[rhai_fn(get = "span", pure)]
    pub fn milex_span(m: &mut MilexRef) -> Array {
        span_of(m.0.coverage())
    }

    /// One state's expenditure in constant US$ (millions) by year: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn milex_series(m: &mut MilexRef, s: Dynamic) -> R<TableRef> {
        year_value(&m.0.series(milex_state(&m.0, &s)?, MilexSeries::Constant, None).map_err(err)?)
    }

    /// One state's series (`constant`, `current`, `share_gdp`) by year.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn milex_series_kind(m: &mut MilexRef, s: Dynamic, kind: &str) -> R<TableRef> {
        year_value(&m.0.series(milex_state(&m.0, &s)?, series_kind(kind)?, None).map_err(err)?)
    }

    /// One state's series over `start..=end`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn milex_series_period(m: &mut MilexRef, s: Dynamic, kind: &str, start: i64, end: i64) -> R<TableRef> {
        year_value(&m.0.series(milex_state(&m.0, &s)?, series_kind(kind)?, Some(period(start, end)?)).map_err(err)?)
    }

    /// A state's expenditure in constant US$ in a year (`()` when SIPRI has no figure).
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn milex_value(m: &mut MilexRef, s: Dynamic, year: i64) -> R<Dynamic> {
        Ok(opt(m.0.value(milex_state(&m.0, &s)?, super::year(year)?, MilexSeries::Constant)))
    }

    /// A state's value of a series in a year.
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn milex_value_kind(m: &mut MilexRef, s: Dynamic, year: i64, kind: &str) -> R<Dynamic> {
        Ok(opt(m.0.value(milex_state(&m.0, &s)?, super::year(year)?, series_kind(kind)?)))
    }

    /// The states of `year` ranked by constant-dollar expenditure.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn milex_rank(m: &mut MilexRef, year: i64) -> R<TableRef> {
        table(milex::milex_rank(&m.0, super::year(year)?, MilexSeries::Constant))
    }

    /// The states of `year` ranked by a series.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn milex_rank_kind(m: &mut MilexRef, year: i64, kind: &str) -> R<TableRef> {
        table(milex::milex_rank(&m.0, super::year(year)?, series_kind(kind)?))
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn milex_to_string(m: &mut MilexRef) -> String {
        format!("<MilitaryExpenditure SIPRI, {} rows, {}>", m.0.len(), m.0.coverage())
    }

    #[rhai_fn(name = "to_debug", pure)]
    pub fn milex_to_debug(m: &mut MilexRef) -> String {
        milex_to_string(m)
    }

    // ---- Maddison ----------------------------------------------------------------------------

    #[rhai_fn(get = "span", pure)]
    pub fn maddison_span(m: &mut MaddisonRef) -> Array {
        span_of(m.0.coverage())
    }

    /// A state's `gdp`, `gdppc` or `pop` in a year (a state by ISO3, name or COW code).
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn maddison_value_of(m: &mut MaddisonRef, s: Dynamic, year: i64, me: &str) -> R<Dynamic> {
        Ok(opt(maddison_value(&m.0, &s, super::year(year)?, EconMeasure::parse(me).map_err(err)?)?))
    }

    /// A state's series of `gdp`, `gdppc` or `pop` over `start..=end`: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn maddison_series(m: &mut MaddisonRef, s: Dynamic, me: &str, start: i64, end: i64) -> R<TableRef> {
        let me = EconMeasure::parse(me).map_err(err)?;
        let pts: Vec<Point> =
            period(start, end)?.years().map(|y| Ok((y, maddison_value(&m.0, &s, y, me)?))).collect::<R<_>>()?;
        year_value(&pts)
    }

    /// The countries of `year` ranked by `gdp`, `gdppc` or `pop`.
    #[rhai_fn(name = "rank", return_raw, pure)]
    pub fn maddison_rank(m: &mut MaddisonRef, year: i64, me: &str) -> R<TableRef> {
        table(gdp::maddison_rank(&m.0, super::year(year)?, EconMeasure::parse(me).map_err(err)?))
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn maddison_to_string(m: &mut MaddisonRef) -> String {
        format!("<Maddison {} rows, {}>", m.0.len(), m.0.coverage())
    }

    // ---- alliances ---------------------------------------------------------------------------

    #[rhai_fn(get = "span", pure)]
    pub fn alliances_span(a: &mut AlliancesRef) -> Array {
        span_of(a.0.coverage())
    }

    #[rhai_fn(get = "source", pure)]
    pub fn alliances_source(a: &mut AlliancesRef) -> String {
        a.0.source.as_str().into()
    }

    /// The 0-3 commitment level of `x` toward `y` in a year (Signorino & Ritter 1999: 3 defense,
    /// 2 neutrality or nonaggression, 1 entente or consultation, 0 none).
    #[rhai_fn(name = "level", return_raw, pure)]
    pub fn alliance_level(a: &mut AlliancesRef, x: Dynamic, y: Dynamic, year: i64) -> R<i64> {
        Ok(a.0.level(ccode(&x)?, ccode(&y)?, super::year(year)?).map_err(err)? as i64)
    }

    /// The alliance types in force between `x` and `y` in a year, as names.
    #[rhai_fn(name = "types", return_raw, pure)]
    pub fn alliance_types(a: &mut AlliancesRef, x: Dynamic, y: Dynamic, year: i64) -> R<Array> {
        let t = a.0.types(ccode(&x)?, ccode(&y)?, super::year(year)?).map_err(err)?;
        Ok(al::AllianceType::ALL
            .iter()
            .filter(|k| t.contains(**k))
            .map(|k| Dynamic::from(k.name().to_string()))
            .collect())
    }

    /// One dyad's alliances by year over the data's span.
    #[rhai_fn(name = "dyad", return_raw, pure)]
    pub fn alliance_dyad(a: &mut AlliancesRef, x: Dynamic, y: Dynamic) -> R<TableRef> {
        table(al::dyad_alliances(&a.0, ccode(&x)?, ccode(&y)?, None))
    }

    /// One dyad's alliances by year over `start..=end`.
    #[rhai_fn(name = "dyad", return_raw, pure)]
    pub fn alliance_dyad_period(a: &mut AlliancesRef, x: Dynamic, y: Dynamic, start: i64, end: i64) -> R<TableRef> {
        table(al::dyad_alliances(&a.0, ccode(&x)?, ccode(&y)?, Some(period(start, end)?)))
    }

    /// A state's partners in a year: an array of `#{ccode, level}`.
    #[rhai_fn(name = "partners", return_raw, pure)]
    pub fn alliance_partners(a: &mut AlliancesRef, x: Dynamic, year: i64) -> R<Array> {
        Ok(a.0
            .partners(ccode(&x)?, super::year(year)?)
            .map_err(err)?
            .into_iter()
            .map(|(c, l)| {
                let mut m = Map::new();
                m.insert("ccode".into(), Dynamic::from_int(c as i64));
                m.insert("level".into(), Dynamic::from_int(l as i64));
                Dynamic::from_map(m)
            })
            .collect())
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn alliances_to_string(a: &mut AlliancesRef) -> String {
        format!("<Alliances {}, {} dyad-years, {}>", a.0.source.as_str(), a.0.len(), a.0.coverage())
    }

    /// The alliance-portfolio S score of two states in a year (Signorino & Ritter 1999):
    /// `#{unweighted, weighted}` (weighted by CINC), or `()` when either is not a member.
    #[rhai_fn(return_raw)]
    pub fn s_score_dyad(a: AlliancesRef, c: CapsRef, x: Dynamic, y: Dynamic, year: i64) -> R<Dynamic> {
        let s = align::s_score_dyad(&a.0, &c.0, ccode(&x)?, ccode(&y)?, super::year(year)?, Distance::Absolute)
            .map_err(err)?;
        Ok(match s {
            None => Dynamic::UNIT,
            Some((u, w)) => {
                let mut m = Map::new();
                m.insert("unweighted".into(), Dynamic::from_float(u));
                m.insert("weighted".into(), opt(w));
                Dynamic::from_map(m)
            }
        })
    }

    /// The S score of one dyad by year over `start..=end`: `year, s_unweighted, s_weighted,
    /// level` (Signorino & Ritter 1999).
    #[rhai_fn(return_raw)]
    pub fn s_score_series(a: AlliancesRef, c: CapsRef, x: Dynamic, y: Dynamic, start: i64, end: i64) -> R<TableRef> {
        table(align::s_score_series(&a.0, &c.0, ccode(&x)?, ccode(&y)?, period(start, end)?, Distance::Absolute))
    }

    // ---- UN ideal points ---------------------------------------------------------------------

    #[rhai_fn(get = "span", pure)]
    pub fn ideal_span(ip: &mut IdealPointsRef) -> Array {
        span_of(ip.0.coverage())
    }

    /// A state's ideal point (final-passage estimate) in a year, `()` when missing.
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn ideal_value(ip: &mut IdealPointsRef, s: Dynamic, year: i64) -> R<Dynamic> {
        Ok(opt(ip.0.value(ccode(&s)?, super::year(year)?, IdealPointEstimate::FinalPassage)))
    }

    /// A state's ideal points by year over `start..=end`: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn ideal_series(ip: &mut IdealPointsRef, s: Dynamic, start: i64, end: i64) -> R<TableRef> {
        year_value(&ip.0.series(ccode(&s)?, IdealPointEstimate::FinalPassage, Some(period(start, end)?)).map_err(err)?)
    }

    /// The UN ideal-point distance of two states by year, `|θ_a - θ_b|` (Bailey, Strezhnev &
    /// Voeten 2017): `year, a_ideal_point, b_ideal_point, distance`.
    #[rhai_fn(name = "ideal_point_distance", return_raw)]
    pub fn ideal_point_distance(ip: IdealPointsRef, a: Dynamic, b: Dynamic) -> R<TableRef> {
        table(align::ideal_point_distance(&ip.0, ccode(&a)?, ccode(&b)?, IdealPointEstimate::FinalPassage, None))
    }

    /// The ideal-point distance over `start..=end`.
    #[rhai_fn(name = "ideal_point_distance", return_raw)]
    pub fn ideal_point_distance_period(
        ip: IdealPointsRef,
        a: Dynamic,
        b: Dynamic,
        start: i64,
        end: i64,
    ) -> R<TableRef> {
        table(align::ideal_point_distance(
            &ip.0,
            ccode(&a)?,
            ccode(&b)?,
            IdealPointEstimate::FinalPassage,
            Some(period(start, end)?),
        ))
    }

    /// The ideal-point distance over `start..=end` with an estimate (`fp`, `all`, `legacy`).
    #[rhai_fn(name = "ideal_point_distance", return_raw)]
    pub fn ideal_point_distance_estimate(
        ip: IdealPointsRef,
        a: Dynamic,
        b: Dynamic,
        start: i64,
        end: i64,
        estimate: &str,
    ) -> R<TableRef> {
        table(align::ideal_point_distance(
            &ip.0,
            ccode(&a)?,
            ccode(&b)?,
            ip_estimate(estimate)?,
            Some(period(start, end)?),
        ))
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn ideal_to_string(ip: &mut IdealPointsRef) -> String {
        format!("<IdealPoints {} state-years, {}>", ip.0.len(), ip.0.coverage())
    }

    // ---- concentration and polarity (over a distribution) --------------------------------------

    /// Herfindahl-Hirschman index `sum_i s_i^2`, in `[1/N, 1]` (Hirschman 1945).
    #[rhai_fn(return_raw)]
    pub fn hhi(x: Dynamic) -> R<f64> {
        conc::hhi(&distribution(&x)?).map_err(err)
    }

    /// Ray-Singer-Stuckey CON: `sqrt((HHI - 1/N) / (1 - 1/N))`, in `[0, 1]` (Ray & Singer 1973).
    #[rhai_fn(return_raw)]
    pub fn con(x: Dynamic) -> R<f64> {
        conc::con(&distribution(&x)?).map_err(err)
    }

    /// Normalised entropy `-sum s_i ln s_i / ln N` (Shannon 1948).
    #[rhai_fn(return_raw)]
    pub fn entropy(x: Dynamic) -> R<f64> {
        conc::entropy(&distribution(&x)?).map_err(err)
    }

    /// The effective number of poles, `1 / HHI`.
    #[rhai_fn(return_raw)]
    pub fn effective_poles(x: Dynamic) -> R<f64> {
        conc::effective_poles(&distribution(&x)?).map_err(err)
    }

    /// Each actor's share of the total: `actor, value, share`.
    #[rhai_fn(name = "shares", return_raw)]
    pub fn value_shares(x: Dynamic) -> R<TableRef> {
        table(conc::shares_table(&distribution(&x)?))
    }

    /// The poles: actors with at least half the largest share (Schweller 1998): `rank, actor, share`.
    #[rhai_fn(name = "poles", return_raw)]
    pub fn poles(x: Dynamic) -> R<TableRef> {
        table(conc::poles_table(&distribution(&x)?, PoleRule::RelativeToLargest(0.5)))
    }

    /// The poles under a rule: `"relative"` (at least `threshold` times the largest share) or
    /// `"share"` (a share of at least `threshold`).
    #[rhai_fn(name = "poles", return_raw)]
    pub fn poles_rule(x: Dynamic, rule: &str, threshold: f64) -> R<TableRef> {
        table(conc::poles_table(&distribution(&x)?, pole_rule(rule, threshold)?))
    }

    /// Every coalition with its combined share and whether it balances the strongest actor
    /// (Morgenthau 1948): `coalition, size, share, rest_share, exceeds_rest, balances_strongest,
    /// minimal_balancer`.
    #[rhai_fn(return_raw)]
    pub fn coalitions(x: Dynamic) -> R<TableRef> {
        table(conc::coalitions_table(&distribution(&x)?))
    }

    /// Morgenthau's equilibrium test: `#{strongest, strongest_share, preponderant, holds,
    /// balancers}` (`balancers`: the minimal coalitions that balance the strongest, as arrays).
    #[rhai_fn(return_raw)]
    pub fn equilibrium(x: Dynamic) -> R<Map> {
        let e = conc::equilibrium(&distribution(&x)?).map_err(err)?;
        let mut m = Map::new();
        m.insert("strongest".into(), e.strongest.0.into());
        m.insert("strongest_share".into(), Dynamic::from_float(e.strongest.1));
        m.insert("preponderant".into(), e.preponderant.map(Dynamic::from).unwrap_or(Dynamic::UNIT));
        m.insert("holds".into(), Dynamic::from_bool(e.holds));
        m.insert(
            "balancers".into(),
            Dynamic::from_array(
                e.balancers
                    .into_iter()
                    .map(|b| Dynamic::from_array(b.into_iter().map(Dynamic::from).collect()))
                    .collect(),
            ),
        );
        Ok(m)
    }

    /// HHI, CON, entropy, poles and the equilibrium test as one row.
    #[rhai_fn(name = "concentration", return_raw)]
    pub fn concentration(x: Dynamic) -> R<TableRef> {
        table(conc::concentration_table(&distribution(&x)?, PoleRule::RelativeToLargest(0.5)))
    }

    /// As `concentration(x)` with a pole rule.
    #[rhai_fn(name = "concentration", return_raw)]
    pub fn concentration_rule(x: Dynamic, rule: &str, threshold: f64) -> R<TableRef> {
        table(conc::concentration_table(&distribution(&x)?, pole_rule(rule, threshold)?))
    }

    // ---- power transition (over series) --------------------------------------------------------

    /// The years one series overtakes the other (Organski 1958): `year, leader, trailer,
    /// previous_lead_year, a_value, b_value`, the series named `a` and `b`.
    #[rhai_fn(name = "crossovers", return_raw)]
    pub fn crossovers(a: Dynamic, b: Dynamic) -> R<TableRef> {
        table(tr::crossovers_table("a", &series_points(&a)?, "b", &series_points(&b)?))
    }

    /// Crossovers with the series named.
    #[rhai_fn(name = "crossovers", return_raw)]
    pub fn crossovers_named(a: Dynamic, b: Dynamic, name_a: &str, name_b: &str) -> R<TableRef> {
        table(tr::crossovers_table(name_a, &series_points(&a)?, name_b, &series_points(&b)?))
    }

    /// Runs of years with the ratio `a / b` in `[0.8, 1.25]` (Organski & Kugler 1980).
    #[rhai_fn(name = "parity_windows", return_raw)]
    pub fn parity_windows(a: Dynamic, b: Dynamic) -> R<TableRef> {
        table(tr::parity_windows_table(&series_points(&a)?, &series_points(&b)?, ParityBand::default()))
    }

    /// Parity windows with the ratio band `[low, high]`.
    #[rhai_fn(name = "parity_windows", return_raw)]
    pub fn parity_windows_band(a: Dynamic, b: Dynamic, low: f64, high: f64) -> R<TableRef> {
        table(tr::parity_windows_table(&series_points(&a)?, &series_points(&b)?, ParityBand { low, high }))
    }

    /// Log-linear growth fitted over `start..=end`: `#{n, growth, slope, slope_se, intercept}`.
    #[rhai_fn(return_raw)]
    pub fn fit_growth(s: Dynamic, start: i64, end: i64) -> R<Map> {
        let f = tr::fit_growth(&series_points(&s)?, period(start, end)?).map_err(err)?;
        let mut m = Map::new();
        m.insert("n".into(), Dynamic::from_int(f.n as i64));
        m.insert("growth".into(), Dynamic::from_float(f.growth));
        m.insert("slope".into(), Dynamic::from_float(f.slope));
        m.insert("slope_se".into(), Dynamic::from_float(f.slope_se));
        m.insert("intercept".into(), Dynamic::from_float(f.intercept));
        Ok(m)
    }

    /// The projected crossover of two series from growth fitted over `fit_start..=fit_end`
    /// (z = 1.96; Tammen et al. 2000): one row, `crossover_year, earliest, latest, growth_a, ...`.
    #[rhai_fn(name = "project_crossover", return_raw)]
    pub fn project_crossover(a: Dynamic, b: Dynamic, fit_start: i64, fit_end: i64) -> R<TableRef> {
        table(tr::projection_table(
            "a",
            &series_points(&a)?,
            "b",
            &series_points(&b)?,
            period(fit_start, fit_end)?,
            1.96,
        ))
    }

    /// The projected crossover with the series named.
    #[rhai_fn(name = "project_crossover", return_raw)]
    pub fn project_crossover_named(
        a: Dynamic,
        b: Dynamic,
        fit_start: i64,
        fit_end: i64,
        name_a: &str,
        name_b: &str,
    ) -> R<TableRef> {
        project_crossover_z(a, b, fit_start, fit_end, name_a, name_b, 1.96)
    }

    /// The projected crossover with the series named and the band's `z`.
    #[rhai_fn(name = "project_crossover", return_raw)]
    pub fn project_crossover_z(
        a: Dynamic,
        b: Dynamic,
        fit_start: i64,
        fit_end: i64,
        name_a: &str,
        name_b: &str,
        z: f64,
    ) -> R<TableRef> {
        table(tr::projection_table(
            name_a,
            &series_points(&a)?,
            name_b,
            &series_points(&b)?,
            period(fit_start, fit_end)?,
            z,
        ))
    }

    // ---- strategic triangles -----------------------------------------------------------------

    /// Dittmer's (1981) type of the triangle `[A, B, C]` from the scores `[AB, BC, CA]` (higher
    /// is friendlier; positive at or above 0): `#{type, actor, balanced, signs}`, `actor` the
    /// pivot or pariah, `balanced` Heider's (1946) balance.
    #[rhai_fn(name = "triangle", name = "classify_triangle", return_raw)]
    pub fn triangle(actors: Array, scores: Array) -> R<Map> {
        classify(actors, scores, thresholds(0.0, 0.0)?)
    }

    /// As `triangle(actors, scores)`, positive at or above `cut`, negative below it.
    #[rhai_fn(name = "triangle", name = "classify_triangle", return_raw)]
    pub fn triangle_cut(actors: Array, scores: Array, cut: f64) -> R<Map> {
        classify(actors, scores, thresholds(cut, cut)?)
    }

    /// As `triangle(actors, scores)`, positive at or above `positive`, negative below
    /// `negative`, neutral (unclassified) between.
    #[rhai_fn(name = "triangle", name = "classify_triangle", return_raw)]
    pub fn triangle_band(actors: Array, scores: Array, positive: f64, negative: f64) -> R<Map> {
        classify(actors, scores, thresholds(positive, negative)?)
    }

    /// The triangle year by year from three score series (AB, BC, CA), cut at 0: `year, ab, bc,
    /// ca, sign_ab, sign_bc, sign_ca, type, actor, balanced`.
    #[rhai_fn(name = "triangle_series", return_raw)]
    pub fn triangle_series(actors: Array, ab: Dynamic, bc: Dynamic, ca: Dynamic) -> R<TableRef> {
        tri_series(actors, ab, bc, ca, thresholds(0.0, 0.0)?)
    }

    /// The triangle series cut at `cut`.
    #[rhai_fn(name = "triangle_series", return_raw)]
    pub fn triangle_series_cut(actors: Array, ab: Dynamic, bc: Dynamic, ca: Dynamic, cut: f64) -> R<TableRef> {
        tri_series(actors, ab, bc, ca, thresholds(cut, cut)?)
    }

    /// The triangle series with a neutral band `[negative, positive)`.
    #[rhai_fn(name = "triangle_series", return_raw)]
    pub fn triangle_series_band(
        actors: Array,
        ab: Dynamic,
        bc: Dynamic,
        ca: Dynamic,
        positive: f64,
        negative: f64,
    ) -> R<TableRef> {
        tri_series(actors, ab, bc, ca, thresholds(positive, negative)?)
    }

    // ---- scenarios on capability and alliance models -------------------------------------------

    /// Multiply an actor's CINC inputs (all six components; on SIPRI data both dollar series)
    /// by `factor` from `from_year` on.
    #[rhai_fn(name = "scale_capabilities", return_raw)]
    pub fn scale_capabilities(s: &mut Scenario, actor: &str, factor: f64, from_year: i64) -> R<Scenario> {
        crate::api::push_op(s, sc::Operation::scale_capabilities(actor, factor, None, year(from_year)?))
    }

    /// Multiply one measure (`milex`, `milper`, `irst`, `pec`, `tpop`, `upop`, `constant`,
    /// `current`, `share_gdp`, or `cinc` for all inputs) by `factor` from `from_year` on.
    #[rhai_fn(name = "scale_capabilities", return_raw)]
    pub fn scale_capabilities_measure(
        s: &mut Scenario,
        actor: &str,
        m: &str,
        factor: f64,
        from_year: i64,
    ) -> R<Scenario> {
        crate::api::push_op(s, sc::Operation::scale_capabilities(actor, factor, Some(m), year(from_year)?))
    }

    /// Multiply one measure by `factor` in `start..=end` only.
    #[rhai_fn(name = "scale_capabilities", return_raw)]
    pub fn scale_capabilities_period(
        s: &mut Scenario,
        actor: &str,
        m: &str,
        factor: f64,
        start: i64,
        end: i64,
    ) -> R<Scenario> {
        let p = period(start, end)?;
        crate::api::push_op(
            s,
            sc::Operation::ScaleCapabilities {
                actor: actor.into(),
                factor,
                measure: Some(m.into()),
                from_year: p.start,
                to_year: Some(p.end),
            },
        )
    }

    /// Multiply an actor's year-on-year growth of every CINC input (SIPRI: both dollar series)
    /// by `factor` from `from_year` on, compounding.
    #[rhai_fn(name = "scale_growth", return_raw)]
    pub fn scale_growth(s: &mut Scenario, actor: &str, factor: f64, from_year: i64) -> R<Scenario> {
        crate::api::push_op(s, sc::Operation::scale_growth(actor, factor, None, year(from_year)?))
    }

    /// Multiply an actor's year-on-year growth of one measure by `factor` from `from_year` on.
    #[rhai_fn(name = "scale_growth", return_raw)]
    pub fn scale_growth_measure(s: &mut Scenario, actor: &str, m: &str, factor: f64, from_year: i64) -> R<Scenario> {
        crate::api::push_op(s, sc::Operation::scale_growth(actor, factor, Some(m), year(from_year)?))
    }

    /// Form an alliance of a type between `a` and `b` in every year of the alliance data.
    #[rhai_fn(name = "form_alliance", return_raw)]
    pub fn form_alliance(s: &mut Scenario, a: &str, b: &str, kind: &str) -> R<Scenario> {
        crate::api::push_op(s, sc::Operation::form_alliance(a, b, kind, None))
    }

    /// Form an alliance of a type between `a` and `b` in `start..=end`.
    #[rhai_fn(name = "form_alliance", return_raw)]
    pub fn form_alliance_period(s: &mut Scenario, a: &str, b: &str, kind: &str, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        crate::api::push_op(s, sc::Operation::form_alliance(a, b, kind, Some((p.start, p.end))))
    }

    /// Dissolve every alliance between `a` and `b` in every year.
    #[rhai_fn(name = "dissolve_alliance", return_raw)]
    pub fn dissolve_alliance(s: &mut Scenario, a: &str, b: &str) -> R<Scenario> {
        crate::api::push_op(s, sc::Operation::dissolve_alliance(a, b, None, None))
    }

    /// Dissolve every alliance between `a` and `b` in `start..=end`.
    #[rhai_fn(name = "dissolve_alliance", return_raw)]
    pub fn dissolve_alliance_period(s: &mut Scenario, a: &str, b: &str, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        crate::api::push_op(s, sc::Operation::dissolve_alliance(a, b, None, Some((p.start, p.end))))
    }

    /// Dissolve the alliance of one type between `a` and `b` in `start..=end`.
    #[rhai_fn(name = "dissolve_alliance", return_raw)]
    pub fn dissolve_alliance_type(s: &mut Scenario, a: &str, b: &str, kind: &str, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        crate::api::push_op(s, sc::Operation::dissolve_alliance(a, b, Some(kind), Some((p.start, p.end))))
    }

    /// Shift `actor`'s UN ideal points by `by` in every year (`x' = x + by`).
    #[rhai_fn(name = "shift_ideal_point", return_raw)]
    pub fn shift_ideal_point(s: &mut Scenario, actor: &str, by: f64) -> R<Scenario> {
        crate::api::push_op(s, sc::Operation::shift_ideal_point(actor, by, None, None))
    }

    /// Shift `actor`'s UN ideal points by `by` in `start..=end`.
    #[rhai_fn(name = "shift_ideal_point", return_raw)]
    pub fn shift_ideal_point_period(s: &mut Scenario, actor: &str, by: f64, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        crate::api::push_op(s, sc::Operation::shift_ideal_point(actor, by, None, Some((p.start, p.end))))
    }

    /// Move `actor`'s UN ideal points the fraction `by` (0 to 1) of the way to `toward`'s, in
    /// every year both have one (`x' = x + by (x_toward - x)`).
    #[rhai_fn(name = "shift_ideal_point", return_raw)]
    pub fn shift_ideal_point_toward(s: &mut Scenario, actor: &str, toward: &str, by: f64) -> R<Scenario> {
        crate::api::push_op(s, sc::Operation::shift_ideal_point(actor, by, Some(toward), None))
    }

    /// As above, in `start..=end`.
    #[rhai_fn(name = "shift_ideal_point", return_raw)]
    pub fn shift_ideal_point_toward_period(
        s: &mut Scenario,
        actor: &str,
        toward: &str,
        by: f64,
        start: i64,
        end: i64,
    ) -> R<Scenario> {
        let p = period(start, end)?;
        crate::api::push_op(s, sc::Operation::shift_ideal_point(actor, by, Some(toward), Some((p.start, p.end))))
    }

    /// The scenario applied to UN ideal points.
    #[rhai_fn(name = "apply", return_raw, pure)]
    pub fn apply_ideal_points(s: &mut Scenario, base: IdealPointsRef) -> R<IdealPointsRef> {
        s.apply_ideal_points(&base.0).map(|i| IdealPointsRef(Arc::new(i))).map_err(err)
    }

    /// The scenario applied to capabilities: new capabilities (CINC recomputed where changed).
    #[rhai_fn(name = "apply", return_raw, pure)]
    pub fn apply_caps(s: &mut Scenario, base: CapsRef) -> R<CapsRef> {
        s.apply_capabilities(&base.0).map(|c| CapsRef(Arc::new(c))).map_err(err)
    }

    /// The scenario applied to military expenditure.
    #[rhai_fn(name = "apply", return_raw, pure)]
    pub fn apply_milex(s: &mut Scenario, base: MilexRef) -> R<MilexRef> {
        s.apply_milex(&base.0).map(|m| MilexRef(Arc::new(m))).map_err(err)
    }

    /// The scenario applied to alliances.
    #[rhai_fn(name = "apply", return_raw, pure)]
    pub fn apply_alliances(s: &mut Scenario, base: AlliancesRef) -> R<AlliancesRef> {
        s.apply_alliances(&base.0).map(|a| AlliancesRef(Arc::new(a))).map_err(err)
    }

    /// `metric` (a function of capabilities returning a table) on the baseline and the
    /// scenario, side by side with the differences.
    #[rhai_fn(name = "compare", return_raw)]
    pub fn compare_caps(ctx: NativeCallContext, base: CapsRef, s: Scenario, metric: FnPtr) -> R<TableRef> {
        let w = CapsRef(Arc::new(s.apply_capabilities(&base.0).map_err(err)?));
        let (a, b) = (call_table(&ctx, &metric, Dynamic::from(base))?, call_table(&ctx, &metric, Dynamic::from(w))?);
        table(sc::compare_tables(&a.0, &b.0, None))
    }

    /// `compare` over military expenditure.
    #[rhai_fn(name = "compare", return_raw)]
    pub fn compare_milex(ctx: NativeCallContext, base: MilexRef, s: Scenario, metric: FnPtr) -> R<TableRef> {
        let w = MilexRef(Arc::new(s.apply_milex(&base.0).map_err(err)?));
        let (a, b) = (call_table(&ctx, &metric, Dynamic::from(base))?, call_table(&ctx, &metric, Dynamic::from(w))?);
        table(sc::compare_tables(&a.0, &b.0, None))
    }

    /// `compare` over alliances.
    #[rhai_fn(name = "compare", return_raw)]
    pub fn compare_alliances(ctx: NativeCallContext, base: AlliancesRef, s: Scenario, metric: FnPtr) -> R<TableRef> {
        let w = AlliancesRef(Arc::new(s.apply_alliances(&base.0).map_err(err)?));
        let (a, b) = (call_table(&ctx, &metric, Dynamic::from(base))?, call_table(&ctx, &metric, Dynamic::from(w))?);
        table(sc::compare_tables(&a.0, &b.0, None))
    }
}
