//! Relations (`powerbalance_core::relations`, `metrics::alignment`): alliances (COW, ATOP),
//! UN General Assembly ideal points, alliance-portfolio S scores and ideal-point distances,
//! named and ordered as Python's `Alliances` and `IdealPoints`. States by name or COW code.

use crate::args::{ccode, named, opt, opt_period, parse, year, OPEN};
use crate::types::*;
use powerbalance_core::metrics::alignment::{self as align, Distance};
use powerbalance_core::relations::{alliances as al, IdealPointEstimate};
use rhai::plugin::*;
use rhai::{Array, Dynamic, Map};

/// `#{distance: "absolute" | "squared"}`.
fn distance(opts: &Map) -> R<Distance> {
    named(opts, "distance", Distance::Absolute)
}

/// The short forms of the relations' functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use relations_api::*;
    short_forms! { module;
        /// Every dyad-year with its obligations and level.
        fn table(a: &mut Alliances) -> Table = alliances_table(a, OPEN, OPEN);
        /// One dyad's alliances by year over the data's span.
        fn dyad(x: &mut Alliances, a: Dynamic, b: Dynamic) -> Table = alliance_dyad_period(x, a, b, OPEN, OPEN);
        /// Alliance-portfolio S scores of every dyad of `year` (Signorino & Ritter 1999), unweighted
        /// and weighted by CINC: `ccode1, ccode2, year, s_unweighted, s_weighted, n_states`.
        fn s_scores(a: &mut Alliances, capabilities: Capabilities, year: i64) -> Table
            = s_scores_opts(a, capabilities, year, Dynamic::UNIT, Map::new());
        /// S scores of the given dyads (`[["USA", "RUS"], [2, 710]]`; `()` for every dyad).
        fn s_scores(a: &mut Alliances, capabilities: Capabilities, year: i64, dyads: Dynamic) -> Table
            = s_scores_opts(a, capabilities, year, dyads, Map::new());
        /// The S score of one dyad by year over `start..=end`: `year, s_unweighted, s_weighted,
        /// level` (Signorino & Ritter 1999).
        fn s_score_series(
            x: &mut Alliances, capabilities: Capabilities, a: Dynamic, b: Dynamic, start: i64, end: i64
        ) -> Table = s_score_series_opts(x, capabilities, a, b, start, end, Map::new());
        /// Every alignment measure of every pair of NMC members by year over `start..=end` (`()`
        /// for the alliance file's first or last year): `ccode1, ccode2, year, n_states, s_binary,
        /// s_valued, s_binary_weighted, s_valued_weighted, kappa, pi, kappa_weighted, pi_weighted,
        /// tau_b` (Signorino & Ritter 1999; Hage 2011; Bueno de Mesquita 1975).
        fn alignment(alliances: &mut Alliances, capabilities: Capabilities, start: Dynamic, end: Dynamic) -> Table
            = alignment_opts(alliances, capabilities, start, end, Map::new());
        /// Every alignment measure of one dyad by year over `start..=end` (columns as `alignment`).
        fn alignment_dyad(
            alliances: &mut Alliances, capabilities: Capabilities, a: Dynamic, b: Dynamic, start: Dynamic, end: Dynamic
        ) -> Table = alignment_dyad_opts(alliances, capabilities, a, b, start, end, Map::new());
        /// The final-passage estimates, every year: `ccode, year, ideal_point`.
        fn table(ip: &mut IdealPoints) -> Table = ideal_table(ip, "fp", OPEN, OPEN);
        /// The ideal-point distance of two states by year over the data's span, `|θ_a - θ_b|`
        /// (Bailey, Strezhnev & Voeten 2017): `year, a_ideal_point, b_ideal_point, distance`.
        fn distance(ip: &mut IdealPoints, a: Dynamic, b: Dynamic) -> Table
            = distance_estimate(ip, a, b, OPEN, OPEN, "fp");
        /// The ideal-point distance over `start..=end` (`()` for an open bound).
        fn distance(ip: &mut IdealPoints, a: Dynamic, b: Dynamic, start: Dynamic, end: Dynamic) -> Table
            = distance_estimate(ip, a, b, start, end, "fp");
        /// Every dyad's ideal-point distance in `year` (final-passage estimate).
        fn distances(ip: &mut IdealPoints, year: i64) -> Table = distances(ip, year, "fp", Dynamic::UNIT);
        /// Every alignment measure of two portfolios of levels 0-3 (one per member of the system):
        /// one row, `n_states` and the columns of `alignment`.
        fn alignment_scores(x: Array, y: Array) -> Table = alignment_scores_opts(x, y, Map::new());
    }
}

#[export_module]
pub mod relations_api {
    use super::*;

    // ---- alliances ---------------------------------------------------------------------------

    /// `"COW alliances v4.1"` or `"ATOP 5.1"`.
    #[rhai_fn(get = "source", pure)]
    pub fn alliances_source(a: &mut Alliances) -> String {
        a.0.source.as_str().into()
    }

    /// True for ATOP (each row is ccode1's obligation toward ccode2), false for COW.
    #[rhai_fn(get = "directed", pure)]
    pub fn alliances_directed(a: &mut Alliances) -> bool {
        a.0.directed
    }

    /// Every dyad-year of `start..=end` (`()` for the data's first or last year) with its
    /// obligations and level.
    #[rhai_fn(name = "table", return_raw, pure)]
    pub fn alliances_table(a: &mut Alliances, start: Dynamic, end: Dynamic) -> R<Table> {
        table(al::alliance_table(&a.0, opt_period(&start, &end, Some(a.0.coverage()))?))
    }

    /// The 0-3 commitment level of `a` toward `b` in a year (Signorino & Ritter 1999: 3 defense,
    /// 2 neutrality or nonaggression, 1 entente or consultation, 0 none).
    #[rhai_fn(name = "level", return_raw, pure)]
    pub fn alliance_level(x: &mut Alliances, a: Dynamic, b: Dynamic, year: i64) -> R<i64> {
        Ok(ok(x.0.level(ccode(&a)?, ccode(&b)?, super::year(year)?))? as i64)
    }

    /// The alliance types in force between `a` and `b` in a year, as names.
    #[rhai_fn(name = "types", return_raw, pure)]
    pub fn alliance_types(x: &mut Alliances, a: Dynamic, b: Dynamic, year: i64) -> R<Array> {
        let t = ok(x.0.types(ccode(&a)?, ccode(&b)?, super::year(year)?))?;
        let names = al::AllianceType::ALL.iter().filter(|k| t.contains(**k));
        Ok(names.map(|k| Dynamic::from(k.name().to_string())).collect())
    }

    /// One dyad's alliances by year over `start..=end` (`()` for an open bound).
    #[rhai_fn(name = "dyad", return_raw, pure)]
    pub fn alliance_dyad_period(x: &mut Alliances, a: Dynamic, b: Dynamic, start: Dynamic, end: Dynamic) -> R<Table> {
        let p = opt_period(&start, &end, Some(x.0.coverage()))?;
        table(al::dyad_alliances(&x.0, ccode(&a)?, ccode(&b)?, p))
    }

    /// A state's partners in a year: an array of `#{ccode, level}`.
    #[rhai_fn(name = "partners", return_raw, pure)]
    pub fn alliance_partners(x: &mut Alliances, state: Dynamic, year: i64) -> R<Array> {
        let p = ok(x.0.partners(ccode(&state)?, super::year(year)?))?;
        Ok(p.into_iter()
            .map(|(c, l)| {
                let mut m = Map::new();
                m.insert("ccode".into(), Dynamic::from_int(c as i64));
                m.insert("level".into(), Dynamic::from_int(l as i64));
                Dynamic::from_map(m)
            })
            .collect())
    }

    /// S scores with options `#{distance: "absolute" | "squared"}`.
    #[rhai_fn(name = "s_scores", return_raw, pure)]
    pub fn s_scores_opts(
        a: &mut Alliances, capabilities: Capabilities, year: i64, dyads: Dynamic, options: Map,
    ) -> R<Table> {
        let d = match dyads.is_unit() {
            true => None,
            false => Some(
                dyads
                    .into_array()
                    .map_err(|_| err("dyads must be an array of [a, b] pairs"))?
                    .iter()
                    .map(|p| match p.clone().into_array() {
                        Ok(x) if x.len() == 2 => Ok((ccode(&x[0])?, ccode(&x[1])?)),
                        _ => Err(err("dyads must be an array of [a, b] pairs")),
                    })
                    .collect::<R<Vec<_>>>()?,
            ),
        };
        let (y, dist) = (super::year(year)?, distance(&options)?);
        table(align::s_scores(&a.0, &capabilities.0, y, d.as_deref(), dist))
    }

    /// As `s_score_series(...)` with options `#{distance: "absolute" | "squared"}`.
    #[rhai_fn(name = "s_score_series", return_raw, pure)]
    pub fn s_score_series_opts(
        x: &mut Alliances, capabilities: Capabilities, a: Dynamic, b: Dynamic, start: i64, end: i64, options: Map,
    ) -> R<Table> {
        let p = crate::args::period(start, end)?;
        table(align::s_score_series(&x.0, &capabilities.0, ccode(&a)?, ccode(&b)?, p, distance(&options)?))
    }

    /// As `alignment(...)` with options `#{states: [...], distance: "absolute" | "squared"}`.
    #[rhai_fn(name = "alignment", return_raw, pure)]
    pub fn alignment_opts(
        alliances: &mut Alliances, capabilities: Capabilities, start: Dynamic, end: Dynamic, options: Map,
    ) -> R<Table> {
        let (mut states, mut rest) = (None, Map::new());
        for (k, v) in crate::args::options(&options, &["states", "distance"])? {
            match k {
                "states" => {
                    states =
                        Some(crate::args::ccodes(&v.clone().into_array().map_err(|_| err("states must be an array"))?)?)
                }
                _ => {
                    rest.insert(k.into(), v.clone());
                }
            }
        }
        let cov = alliances.0.coverage();
        let p = opt_period(&start, &end, Some(cov))?.unwrap_or(cov);
        table(align::alignment(&alliances.0, &capabilities.0, p, states.as_deref(), distance(&rest)?))
    }

    /// As `alignment_dyad(...)` with options `#{distance: "absolute" | "squared"}`.
    #[rhai_fn(name = "alignment_dyad", return_raw, pure)]
    pub fn alignment_dyad_opts(
        alliances: &mut Alliances, capabilities: Capabilities, a: Dynamic, b: Dynamic, start: Dynamic, end: Dynamic,
        options: Map,
    ) -> R<Table> {
        let cov = alliances.0.coverage();
        let p = opt_period(&start, &end, Some(cov))?.unwrap_or(cov);
        table(align::alignment_dyad(&alliances.0, &capabilities.0, ccode(&a)?, ccode(&b)?, p, distance(&options)?))
    }

    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn alliances_to_string(a: &mut Alliances) -> String {
        format!("<Alliances {}, {} dyad-years, {}>", a.0.source.as_str(), a.0.len(), a.0.coverage())
    }

    // ---- UN ideal points ---------------------------------------------------------------------

    /// One estimate's rows (`fp` final passage, `all`, `legacy`) over `start..=end` (`()` for
    /// an open bound): `ccode, year, ideal_point`.
    #[rhai_fn(name = "table", return_raw, pure)]
    pub fn ideal_table(ip: &mut IdealPoints, measure: &str, start: Dynamic, end: Dynamic) -> R<Table> {
        let p = opt_period(&start, &end, Some(ip.0.coverage()))?;
        table(powerbalance_core::relations::ideal_points::ideal_point_table(&ip.0, parse(measure)?, p))
    }

    /// A state's ideal point (final-passage estimate) in a year, `()` when missing.
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn ideal_value(ip: &mut IdealPoints, state: Dynamic, year: i64) -> R<Dynamic> {
        Ok(opt(ip.0.value(ccode(&state)?, super::year(year)?, IdealPointEstimate::FinalPassage)))
    }

    /// The ideal-point distance over `start..=end` with an estimate (`fp`, `all`, `legacy`).
    #[rhai_fn(name = "distance", return_raw, pure)]
    pub fn distance_estimate(
        ip: &mut IdealPoints, a: Dynamic, b: Dynamic, start: Dynamic, end: Dynamic, measure: &str,
    ) -> R<Table> {
        let p = opt_period(&start, &end, Some(ip.0.coverage()))?;
        table(align::ideal_point_distance(&ip.0, ccode(&a)?, ccode(&b)?, parse(measure)?, p))
    }

    /// Every dyad's ideal-point distance in `year` (among `states` when given, `()` for all),
    /// with an estimate (`fp`, `all`, `legacy`).
    #[rhai_fn(name = "distances", return_raw, pure)]
    pub fn distances(ip: &mut IdealPoints, year: i64, measure: &str, states: Dynamic) -> R<Table> {
        let s = match states.is_unit() {
            true => None,
            false => Some(crate::args::ccodes(&states.into_array().map_err(|_| err("states must be an array"))?)?),
        };
        table(align::ideal_point_distances(&ip.0, super::year(year)?, parse(measure)?, s.as_deref()))
    }

    /// As `alignment_scores(x, y)` with options `#{weights: [...], distance: "absolute" |
    /// "squared"}` (weights, e.g. CINC, give the weighted variants).
    #[rhai_fn(name = "alignment_scores", return_raw)]
    pub fn alignment_scores_opts(x: Array, y: Array, options: Map) -> R<Table> {
        let levels = |a: &Array| -> R<Vec<u8>> {
            a.iter()
                .map(|v| {
                    v.as_int()
                        .ok()
                        .and_then(|i| u8::try_from(i).ok())
                        .ok_or_else(|| err(format!("level {v} is not 0-3")))
                })
                .collect()
        };
        let (mut weights, mut rest) = (None, Map::new());
        for (k, v) in crate::args::options(&options, &["weights", "distance"])? {
            match k {
                "weights" => {
                    let a = v.clone().into_array().map_err(|_| err("weights must be an array of numbers"))?;
                    let w = a
                        .iter()
                        .map(|x| crate::args::num(x, "weights")?.ok_or_else(|| err("weights must be numbers")))
                        .collect::<R<Vec<f64>>>()?;
                    weights = Some(w);
                }
                _ => {
                    rest.insert(k.into(), v.clone());
                }
            }
        }
        table(align::alignment_scores(&levels(&x)?, &levels(&y)?, weights.as_deref(), distance(&rest)?))
    }

    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn ideal_to_string(ip: &mut IdealPoints) -> String {
        format!("<IdealPoints {} state-years, {}>", ip.0.len(), ip.0.coverage())
    }
}
