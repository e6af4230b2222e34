//! Metrics over distributions and series (`powerbalance_core::metrics`), named and ordered as
//! `powerbalance.metrics`: concentration and polarity (`concentration`, `hhi`, `con`,
//! `entropy`, `shares`, `poles`, `coalitions`, `equilibrium`), power transition
//! (`crossovers`, `parity_windows`, `fit_growth`, `project_crossover`), strategic triangles,
//! `peak` and `change_points`. Distributions and series are maps, arrays or tables
//! ([`crate::args`]); Python's keyword-only arguments are a trailing option map. Where Python
//! returns a one-row table, Rhai returns the number or map itself (`hhi(...)` is a float).

use crate::args::{count, distribution, float, num, options, period, series_points, text};
use crate::types::*;
use powerbalance_core::metrics::concentration::{self as conc, PoleRule};
use powerbalance_core::metrics::dependence as dep;
use powerbalance_core::metrics::transition::{self as tr, ParityBand, Point};
use powerbalance_core::metrics::triangle::{self as tri, Thresholds};
use rhai::plugin::*;
use rhai::{Array, Dynamic, Map};
use std::collections::BTreeMap;

/// `#{rule: "relative" | "share", threshold}` (default: at least half the largest share).
fn pole_rule(opts: &Map) -> R<PoleRule> {
    let (mut rule, mut threshold) = ("relative".to_string(), 0.5);
    for (k, v) in options(opts, &["rule", "threshold"])? {
        match k {
            "rule" => rule = text(v, "rule")?,
            _ => threshold = float(v, "threshold")?,
        }
    }
    ok(PoleRule::from_name(&rule, threshold))
}

/// Options other than `names`, as `(key, value)`.
type Rest<'a> = Vec<(&'a str, &'a Dynamic)>;

/// `#{names: ["a", "b"]}` (default `a`, `b`) and the other options of `known`.
fn names<'a>(opts: &'a Map, known: &[&str]) -> R<([String; 2], Rest<'a>)> {
    let mut n = ["a".to_string(), "b".to_string()];
    let mut rest = Vec::new();
    for (k, v) in options(opts, known)? {
        if k == "names" {
            let a = v.clone().into_array().map_err(|_| err("names must be [name_a, name_b]"))?;
            if a.len() != 2 {
                return Err(err("names must be [name_a, name_b]"));
            }
            n = [a[0].to_string(), a[1].to_string()];
        } else {
            rest.push((k, v));
        }
    }
    Ok((n, rest))
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
    let x = ok(tri::classify(names, s, t))?;
    let mut m = Map::new();
    m.insert("type".into(), x.kind.name().into());
    m.insert("actor".into(), x.kind.actor().map(|a| Dynamic::from(a.to_string())).unwrap_or(Dynamic::UNIT));
    m.insert("balanced".into(), x.balanced.map(Dynamic::from_bool).unwrap_or(Dynamic::UNIT));
    m.insert("signs".into(), Dynamic::from_array(x.signs.iter().map(|&s| Dynamic::from_int(s as i64)).collect()));
    Ok(m)
}

fn thresholds(positive: f64, negative: f64) -> R<Thresholds> {
    ok(Thresholds::new(positive, negative))
}

fn points(x: &Dynamic) -> R<Vec<Point>> {
    crate::check_stop()?;
    series_points(x)
}

/// The short forms of the metrics' functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use metrics_api::*;
    short_forms! { module;
        /// HHI, CON, entropy, effective and counted poles and the equilibrium test as one row
        /// (Hirschman 1945; Ray & Singer 1973; Shannon 1948; Schweller 1998; Morgenthau 1948).
        fn concentration(values: Dynamic) -> Table = concentration_opts(values, Map::new());
        /// The poles: actors with at least half the largest share (Schweller 1998): `rank, actor,
        /// share`.
        fn poles(values: Dynamic) -> Table = poles_opts(values, Map::new());
        /// The years one series overtakes the other (Organski 1958): `year, leader, trailer,
        /// previous_lead_year, a_value, b_value`, the series named `a` and `b`.
        fn crossovers(a: Dynamic, b: Dynamic) -> Table = crossovers_opts(a, b, Map::new());
        /// Runs of years with the ratio `a / b` in `[0.8, 1.25]` (Organski & Kugler 1980).
        fn parity_windows(a: Dynamic, b: Dynamic) -> Table = parity_windows_opts(a, b, Map::new());
        /// The projected crossover of two series from growth fitted over `start..=end` (a band at
        /// z = 1.96; Tammen et al. 2000): one row, `crossover_year, earliest, latest, growth_a, ...`.
        fn project_crossover(a: Dynamic, b: Dynamic, start: i64, end: i64) -> Table
            = project_crossover_opts(a, b, start, end, Map::new());
        /// Change points of an annual series: runs of constant mean minimising the residual sum of
        /// squares plus `penalty * ln(n)` per change (optimal partitioning; Jackson et al. 2005).
        fn change_points(values: Dynamic) -> Table = change_points_opts(values, Map::new());
        /// The strategic triangle `[A, B, C]` year by year from the score series of `A-B`, `B-C`
        /// and `C-A` (higher is friendlier), cut at 0: Dittmer's (1981) types with the pivot or
        /// pariah and Heider's (1946) balance. Columns `year, ab, bc, ca, sign_ab, sign_bc, sign_ca,
        /// type, actor, balanced`.
        fn triangle(actors: Array, ab: Dynamic, bc: Dynamic, ca: Dynamic) -> Table
            = triangle_opts(actors, ab, bc, ca, Map::new());
    }
}

#[export_module]
pub mod metrics_api {
    use super::*;

    // ---- concentration and polarity (over a distribution) --------------------------------------

    /// As `concentration(values)` with the pole rule `#{rule: "relative" | "share", threshold}`.
    #[rhai_fn(name = "concentration", return_raw)]
    pub fn concentration_opts(values: Dynamic, options: Map) -> R<Table> {
        table(conc::concentration_table(&distribution(&values)?, pole_rule(&options)?))
    }

    /// Herfindahl-Hirschman index `sum_i s_i^2`, in `[1/N, 1]` (Hirschman 1945).
    #[rhai_fn(return_raw)]
    pub fn hhi(values: Dynamic) -> R<f64> {
        ok(conc::hhi(&distribution(&values)?))
    }

    /// Ray-Singer-Stuckey CON: `sqrt((HHI - 1/N) / (1 - 1/N))`, in `[0, 1]` (Ray & Singer 1973).
    #[rhai_fn(return_raw)]
    pub fn con(values: Dynamic) -> R<f64> {
        ok(conc::con(&distribution(&values)?))
    }

    /// Normalised entropy `-sum s_i ln s_i / ln N` (Shannon 1948).
    #[rhai_fn(return_raw)]
    pub fn entropy(values: Dynamic) -> R<f64> {
        ok(conc::entropy(&distribution(&values)?))
    }

    /// The effective number of poles, `1 / HHI` (a column of `concentration`).
    #[rhai_fn(return_raw)]
    pub fn effective_poles(values: Dynamic) -> R<f64> {
        ok(conc::effective_poles(&distribution(&values)?))
    }

    /// Each actor's share of the total: `actor, value, share`.
    #[rhai_fn(name = "shares", return_raw)]
    pub fn shares(values: Dynamic) -> R<Table> {
        table(conc::shares_table(&distribution(&values)?))
    }

    /// The poles under `#{rule: "relative" | "share", threshold}`: at least `threshold` times
    /// the largest share, or a share of at least `threshold`.
    #[rhai_fn(name = "poles", return_raw)]
    pub fn poles_opts(values: Dynamic, options: Map) -> R<Table> {
        table(conc::poles_table(&distribution(&values)?, pole_rule(&options)?))
    }

    /// Every coalition with its combined share and whether it balances the strongest actor
    /// (Morgenthau 1948): `coalition, size, share, rest_share, exceeds_rest,
    /// balances_strongest, minimal_balancer`.
    #[rhai_fn(return_raw)]
    pub fn coalitions(values: Dynamic) -> R<Table> {
        table(conc::coalitions_table(&distribution(&values)?))
    }

    /// Morgenthau's equilibrium test: `#{strongest, strongest_share, preponderant, holds,
    /// balancers}` (`balancers`: the minimal coalitions that balance the strongest, as arrays).
    #[rhai_fn(return_raw)]
    pub fn equilibrium(values: Dynamic) -> R<Map> {
        let e = ok(conc::equilibrium(&distribution(&values)?))?;
        let mut m = Map::new();
        m.insert("strongest".into(), e.strongest.0.into());
        m.insert("strongest_share".into(), Dynamic::from_float(e.strongest.1));
        m.insert("preponderant".into(), e.preponderant.map(Dynamic::from).unwrap_or(Dynamic::UNIT));
        m.insert("holds".into(), Dynamic::from_bool(e.holds));
        let b = e.balancers.into_iter().map(|c| Dynamic::from_array(c.into_iter().map(Dynamic::from).collect()));
        m.insert("balancers".into(), Dynamic::from_array(b.collect()));
        Ok(m)
    }

    // ---- power transition (over series) --------------------------------------------------------

    /// Crossovers with the series named: `#{names: ["China", "Russia"]}`.
    #[rhai_fn(name = "crossovers", return_raw)]
    pub fn crossovers_opts(a: Dynamic, b: Dynamic, options: Map) -> R<Table> {
        let ([na, nb], _) = names(&options, &["names"])?;
        table(tr::crossovers_table(&na, &points(&a)?, &nb, &points(&b)?))
    }

    /// Parity windows with the ratio band `#{low: 0.8, high: 1.25}`.
    #[rhai_fn(name = "parity_windows", return_raw)]
    pub fn parity_windows_opts(a: Dynamic, b: Dynamic, options: Map) -> R<Table> {
        let mut band = ParityBand::default();
        for (k, v) in crate::args::options(&options, &["low", "high"])? {
            *(if k == "low" { &mut band.low } else { &mut band.high }) = float(v, k)?;
        }
        table(tr::parity_windows_table(&points(&a)?, &points(&b)?, band))
    }

    /// Log-linear growth fitted over `start..=end`: `#{n, growth, slope, slope_se, intercept}`
    /// (`ln x_t = intercept + slope t`, `growth = e^slope - 1`).
    #[rhai_fn(return_raw)]
    pub fn fit_growth(values: Dynamic, start: i64, end: i64) -> R<Map> {
        let f = ok(tr::fit_growth(&points(&values)?, period(start, end)?))?;
        let mut m = Map::new();
        m.insert("n".into(), Dynamic::from_int(f.n as i64));
        m.insert("growth".into(), Dynamic::from_float(f.growth));
        m.insert("slope".into(), Dynamic::from_float(f.slope));
        m.insert("slope_se".into(), Dynamic::from_float(f.slope_se));
        m.insert("intercept".into(), Dynamic::from_float(f.intercept));
        Ok(m)
    }

    /// The projected crossover with options `#{z: 1.96, names: ["China", "Russia"]}`.
    #[rhai_fn(name = "project_crossover", return_raw)]
    pub fn project_crossover_opts(a: Dynamic, b: Dynamic, start: i64, end: i64, options: Map) -> R<Table> {
        let ([na, nb], rest) = names(&options, &["names", "z"])?;
        let z = rest.iter().map(|(_, v)| float(v, "z")).next().transpose()?.unwrap_or(1.96);
        table(tr::projection_table(&na, &points(&a)?, &nb, &points(&b)?, period(start, end)?, z))
    }

    // ---- series ----------------------------------------------------------------------------------

    /// The peak (largest value, earliest on ties) of an annual series: `#{year, value}`.
    #[rhai_fn(return_raw)]
    pub fn peak(values: Dynamic) -> R<Map> {
        let (y, v) = ok(dep::peak(&points(&values)?))?;
        let mut m = Map::new();
        m.insert("year".into(), Dynamic::from_int(y as i64));
        m.insert("value".into(), Dynamic::from_float(v));
        Ok(m)
    }

    /// Change points with options `#{min_segment: 2, penalty: 2.0, max_changes: ()}`.
    #[rhai_fn(name = "change_points", return_raw)]
    pub fn change_points_opts(values: Dynamic, options: Map) -> R<Table> {
        let mut o = dep::ChangePointOptions { min_segment: 2, penalty: 2.0, max_changes: None };
        for (k, v) in crate::args::options(&options, &["min_segment", "penalty", "max_changes"])? {
            match k {
                "min_segment" => o.min_segment = count(v, k)?,
                "penalty" => o.penalty = float(v, k)?,
                _ => o.max_changes = if v.is_unit() { None } else { Some(count(v, k)?) },
            }
        }
        table(dep::change_points_table(&points(&values)?, o))
    }

    // ---- strategic triangles -----------------------------------------------------------------

    /// The triangle with options `#{positive: 0.0, negative: 0.0}`: positive at or above
    /// `positive`, negative below `negative`, neutral (unclassified) between.
    #[rhai_fn(name = "triangle", return_raw)]
    pub fn triangle_opts(actors: Array, ab: Dynamic, bc: Dynamic, ca: Dynamic, options: Map) -> R<Table> {
        let (mut p, mut n) = (0.0, 0.0);
        for (k, v) in crate::args::options(&options, &["positive", "negative"])? {
            *(if k == "positive" { &mut p } else { &mut n }) = float(v, k)?;
        }
        let names = three(&actors, "actors")?;
        let mut years: BTreeMap<i32, [Option<f64>; 3]> = BTreeMap::new();
        for (k, s) in [ab, bc, ca].iter().enumerate() {
            for (y, v) in points(s)? {
                years.entry(y).or_insert([None; 3])[k] = v;
            }
        }
        let rows: Vec<(i32, [Option<f64>; 3])> = years.into_iter().collect();
        table(tri::triangle_series(names, &rows, thresholds(p, n)?))
    }

    /// One year's triangle `[A, B, C]` from the scores `[AB, BC, CA]`, cut at 0:
    /// `#{type, actor, balanced, signs}` (Dittmer 1981; Heider 1946).
    #[rhai_fn(name = "classify_triangle", return_raw)]
    pub fn classify_triangle(actors: Array, scores: Array) -> R<Map> {
        classify(actors, scores, thresholds(0.0, 0.0)?)
    }

    /// As `classify_triangle(actors, scores)`, positive at or above `positive`, negative below
    /// `negative`, neutral between.
    #[rhai_fn(name = "classify_triangle", return_raw)]
    pub fn classify_triangle_band(actors: Array, scores: Array, positive: f64, negative: f64) -> R<Map> {
        classify(actors, scores, thresholds(positive, negative)?)
    }
}
