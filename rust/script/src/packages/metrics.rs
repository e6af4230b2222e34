//! Metrics over distributions and series (`powerbalance_core::metrics`): concentration and
//! polarity (`hhi`, `con`, `entropy`, `shares`, `poles`, `coalitions`, `equilibrium`), power
//! transition (`crossovers`, `parity_windows`, `fit_growth`, `project_crossover`), strategic
//! triangles, `peak` and `change_points`. Distributions and series are given as maps, arrays or
//! tables ([`crate::args`]).

use crate::args::{distribution, num, period, series_points};
use crate::types::*;
use powerbalance_core::metrics::concentration::{self as conc, PoleRule};
use powerbalance_core::metrics::transition::{self as tr, ParityBand};
use powerbalance_core::metrics::triangle::{self as tri, Thresholds};
use rhai::plugin::*;
use rhai::{Array, Dynamic, Map};
use std::collections::BTreeMap;

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

#[export_module]
pub mod metrics_api {
    use super::*;

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
    pub fn value_shares(x: Dynamic) -> R<Table> {
        table(conc::shares_table(&distribution(&x)?))
    }

    /// The poles: actors with at least half the largest share (Schweller 1998): `rank, actor, share`.
    #[rhai_fn(name = "poles", return_raw)]
    pub fn poles(x: Dynamic) -> R<Table> {
        table(conc::poles_table(&distribution(&x)?, PoleRule::RelativeToLargest(0.5)))
    }

    /// The poles under a rule: `"relative"` (at least `threshold` times the largest share) or
    /// `"share"` (a share of at least `threshold`).
    #[rhai_fn(name = "poles", return_raw)]
    pub fn poles_rule(x: Dynamic, rule: &str, threshold: f64) -> R<Table> {
        table(conc::poles_table(&distribution(&x)?, pole_rule(rule, threshold)?))
    }

    /// Every coalition with its combined share and whether it balances the strongest actor
    /// (Morgenthau 1948): `coalition, size, share, rest_share, exceeds_rest, balances_strongest,
    /// minimal_balancer`.
    #[rhai_fn(return_raw)]
    pub fn coalitions(x: Dynamic) -> R<Table> {
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
    pub fn concentration(x: Dynamic) -> R<Table> {
        table(conc::concentration_table(&distribution(&x)?, PoleRule::RelativeToLargest(0.5)))
    }

    /// As `concentration(x)` with a pole rule.
    #[rhai_fn(name = "concentration", return_raw)]
    pub fn concentration_rule(x: Dynamic, rule: &str, threshold: f64) -> R<Table> {
        table(conc::concentration_table(&distribution(&x)?, pole_rule(rule, threshold)?))
    }

    /// The years one series overtakes the other (Organski 1958): `year, leader, trailer,
    /// previous_lead_year, a_value, b_value`, the series named `a` and `b`.
    #[rhai_fn(name = "crossovers", return_raw)]
    pub fn crossovers(a: Dynamic, b: Dynamic) -> R<Table> {
        table(tr::crossovers_table("a", &series_points(&a)?, "b", &series_points(&b)?))
    }

    /// Crossovers with the series named.
    #[rhai_fn(name = "crossovers", return_raw)]
    pub fn crossovers_named(a: Dynamic, b: Dynamic, name_a: &str, name_b: &str) -> R<Table> {
        table(tr::crossovers_table(name_a, &series_points(&a)?, name_b, &series_points(&b)?))
    }

    /// Runs of years with the ratio `a / b` in `[0.8, 1.25]` (Organski & Kugler 1980).
    #[rhai_fn(name = "parity_windows", return_raw)]
    pub fn parity_windows(a: Dynamic, b: Dynamic) -> R<Table> {
        table(tr::parity_windows_table(&series_points(&a)?, &series_points(&b)?, ParityBand::default()))
    }

    /// Parity windows with the ratio band `[low, high]`.
    #[rhai_fn(name = "parity_windows", return_raw)]
    pub fn parity_windows_band(a: Dynamic, b: Dynamic, low: f64, high: f64) -> R<Table> {
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
    pub fn project_crossover(a: Dynamic, b: Dynamic, fit_start: i64, fit_end: i64) -> R<Table> {
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
    ) -> R<Table> {
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
    ) -> R<Table> {
        table(tr::projection_table(
            name_a,
            &series_points(&a)?,
            name_b,
            &series_points(&b)?,
            period(fit_start, fit_end)?,
            z,
        ))
    }

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
    pub fn triangle_series(actors: Array, ab: Dynamic, bc: Dynamic, ca: Dynamic) -> R<Table> {
        tri_series(actors, ab, bc, ca, thresholds(0.0, 0.0)?)
    }

    /// The triangle series cut at `cut`.
    #[rhai_fn(name = "triangle_series", return_raw)]
    pub fn triangle_series_cut(actors: Array, ab: Dynamic, bc: Dynamic, ca: Dynamic, cut: f64) -> R<Table> {
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
    ) -> R<Table> {
        tri_series(actors, ab, bc, ca, thresholds(positive, negative)?)
    }
}
