//! Script arguments as core arguments: years and periods (`start, end`, `()` for a missing
//! bound), states, distributions, series and option maps. Only what is particular to Rhai's
//! values lives here; the rules (a period's range, an enum's names, an actor's codes) are the
//! core's.
//!
//! A distribution (for `hhi`, `shares`, `coalitions`, ...) is a map `#{USA: 0.13, CHN: 0.23}`,
//! an array of numbers, of `[name, value]` pairs or of `#{actor, value}` maps, or a table with
//! `actor` and `value` columns. A series (for `crossovers`, `parity_windows`,
//! `project_crossover`, `triangle`, `peak`) is a table with a `year` column and a `value`
//! column (or one other numeric column), a map `#{"2010": 1.0}`, or an array of
//! `[year, value]` pairs or `#{year, value}` maps; `()` is a missing value.

use crate::types::{err, ok, TableRef, R};
use powerbalance_core::metrics::transition::Point;
use powerbalance_core::period::Year;
use powerbalance_core::table::arrow::{Array as _, Float64Array, Int64Array};
use powerbalance_core::{ActorRegistry, Period};
use rhai::{Array, Dynamic, Map};

/// The built-in actor registry.
pub(crate) fn registry() -> &'static ActorRegistry {
    ActorRegistry::builtin()
}

/// A year, checked by the core.
pub(crate) fn year(v: i64) -> R<i32> {
    ok(v.to_year())
}

/// The period `start..=end`; checks the run's stop flag first (every metric over a period
/// calls it, so a sweep of host calls stops within one call of a limit).
pub(crate) fn period(start: i64, end: i64) -> R<Period> {
    crate::check_stop()?;
    ok(Period::from_i64(start, end))
}

/// An open bound of an optional period (`()`): the data's first or last year.
pub(crate) const OPEN: Dynamic = Dynamic::UNIT;

/// An optional year: an integer or `()`.
pub(crate) fn opt_year(v: &Dynamic, what: &str) -> R<Option<i64>> {
    if v.is_unit() {
        return Ok(None);
    }
    v.as_int().map(Some).map_err(|_| err(format!("{what} must be a year or (), not {}", v.type_name())))
}

/// An optional period: `(), ()` for none (the data's span), a missing bound taken from
/// `coverage` (the data's years; the core's [`Period::fill`]).
pub(crate) fn opt_period(start: &Dynamic, end: &Dynamic, coverage: Option<Period>) -> R<Option<Period>> {
    crate::check_stop()?;
    ok(Period::fill(opt_year(start, "start")?, opt_year(end, "end")?, coverage))
}

/// A name the core parses (`"cinc"` as a `Measure`, `"zero"` as a `MissingRule`, ...): an
/// unknown one fails with the valid names, nearest first.
pub(crate) fn parse<T: std::str::FromStr<Err = powerbalance_core::Error>>(s: &str) -> R<T> {
    ok(s.parse())
}

/// A number (integer or float), `None` for `()`.
pub(crate) fn num(v: &Dynamic, what: &str) -> R<Option<f64>> {
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

/// A number as a script value, `()` for none.
pub(crate) fn opt(v: Option<f64>) -> Dynamic {
    v.map(Dynamic::from_float).unwrap_or(Dynamic::UNIT)
}

/// A state argument as text (a name, an abbreviation or a COW code, given as text or integer).
pub(crate) fn state(d: &Dynamic) -> String {
    d.to_string()
}

/// A state as a COW code (a code, or any name the built-in registry knows), for data keyed
/// only by ccode (alliances, ideal points).
pub(crate) fn ccode(d: &Dynamic) -> R<u16> {
    ok(powerbalance_core::actors::cow_code(&state(d)))
}

/// Every element of an array as a COW code.
pub(crate) fn ccodes(a: &Array) -> R<Vec<u16>> {
    a.iter().map(ccode).collect()
}

/// `[start, end]` as a script array.
pub(crate) fn span_of(p: Period) -> Array {
    vec![Dynamic::from_int(p.start as i64), Dynamic::from_int(p.end as i64)]
}

/// A whole number of 0 or more from an option map.
pub(crate) fn count(v: &Dynamic, what: &str) -> R<usize> {
    usize::try_from(v.as_int().map_err(|_| err(format!("{what} must be an integer")))?)
        .map_err(|_| err(format!("{what} must be 0 or more")))
}

/// Options given as a map (Python's keyword arguments): every key must be one of `known`.
pub(crate) fn options<'a>(opts: &'a Map, known: &[&str]) -> R<Vec<(&'a str, &'a Dynamic)>> {
    opts.iter()
        .map(|(k, v)| {
            if known.contains(&k.as_str()) {
                Ok((k.as_str(), v))
            } else {
                Err(err(format!("unknown option {k:?}; the options are {}", known.join(", "))))
            }
        })
        .collect()
}

/// The one option `key` of an option map (any other key fails), `None` when it is absent.
pub(crate) fn only<'a>(opts: &'a Map, key: &str) -> R<Option<&'a Dynamic>> {
    Ok(options(opts, &[key])?.into_iter().next().map(|(_, v)| v))
}

/// The option `key` as a name the core parses (`#{distance: "squared"}`), `default` when the
/// map does not hold it (any other key fails).
pub(crate) fn named<T: std::str::FromStr<Err = powerbalance_core::Error>>(opts: &Map, key: &str, default: T) -> R<T> {
    match only(opts, key)? {
        Some(v) => parse(&text(v, key)?),
        None => Ok(default),
    }
}

/// A text option.
pub(crate) fn text(v: &Dynamic, what: &str) -> R<String> {
    if v.is_string() {
        Ok(v.to_string())
    } else {
        Err(err(format!("{what} must be a string, not {}", v.type_name())))
    }
}

/// A number option.
pub(crate) fn float(v: &Dynamic, what: &str) -> R<f64> {
    num(v, what)?.ok_or_else(|| err(format!("{what} must be a number, not ()")))
}

/// A `[start, end]` option.
pub(crate) fn pair_period(v: &Dynamic, what: &str) -> R<Period> {
    let a = v.clone().into_array().map_err(|_| err(format!("{what} must be [start, end]")))?;
    if a.len() != 2 {
        return Err(err(format!("{what} must be [start, end]")));
    }
    let y = |d: &Dynamic| d.as_int().map_err(|_| err(format!("{what} must be [start, end] (integers)")));
    period(y(&a[0])?, y(&a[1])?)
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

/// The value column of a series table: `value`, else its one numeric column besides `year`.
fn value_column(t: &TableRef) -> R<String> {
    let names = t.0.column_names();
    if names.iter().any(|n| n == "value") {
        return Ok("value".into());
    }
    let numeric: Vec<&String> = names
        .iter()
        .filter(|n| n.as_str() != "year")
        .filter(|n| t.0.column(n).is_ok_and(|c| c.as_any().is::<Float64Array>() || c.as_any().is::<Int64Array>()))
        .collect();
    match numeric.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(err(format!("a series table needs `year` and `value` columns (it has {})", names.join(", ")))),
    }
}

fn point(y: &Dynamic, v: &Dynamic) -> R<Point> {
    Ok((year(y.as_int().map_err(|_| err("year must be an integer"))?)?, num(v, "value")?))
}

/// A series as `(year, value)` points (see the module docs).
pub fn series_points(x: &Dynamic) -> R<Vec<Point>> {
    if let Some(t) = x.clone().try_cast::<TableRef>() {
        let years = t.column("year")?;
        let vals = t.column(&value_column(&t)?)?;
        return years.iter().zip(&vals).map(|(y, v)| point(y, v)).collect();
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
                if let Some(p) = e.clone().try_cast::<Array>() {
                    if p.len() != 2 {
                        return Err(err("a series' pairs are [year, value]"));
                    }
                    point(&p[0], &p[1])
                } else if let Some(m) = e.clone().try_cast::<Map>() {
                    let get = |k: &str| m.get(k).cloned().unwrap_or(Dynamic::UNIT);
                    point(&get("year"), &get("value"))
                } else {
                    Err(err("a series array holds [year, value] pairs or #{year, value} maps"))
                }
            })
            .collect();
    }
    Err(err(format!("expected a series (a table, a map or an array), not {}", x.type_name())))
}

/// `year, value` points as a table.
pub(crate) fn year_value(points: &[Point]) -> R<TableRef> {
    crate::types::table(powerbalance_core::Table::year_values(points))
}
