//! Relations (`powerbalance_core::relations`, `metrics::alignment`): alliances (COW, ATOP),
//! UN General Assembly ideal points, S scores and ideal-point distances. States by name or COW
//! code.

use crate::args::{ccode, opt, period, span_of, year, year_value};
use crate::types::*;
use powerbalance_core::metrics::alignment::{self as align, Distance};
use powerbalance_core::relations::{alliances as al, IdealPointEstimate};
use rhai::plugin::*;
use rhai::{Array, Dynamic, Map};

fn ip_estimate(s: &str) -> R<IdealPointEstimate> {
    ok(IdealPointEstimate::parse(s))
}

#[export_module]
pub mod relations_api {
    use super::*;

    /// First and last year of the data, `[start, end]`.
    #[rhai_fn(get = "coverage", pure)]
    pub fn alliances_span(a: &mut Alliances) -> Array {
        span_of(a.0.coverage())
    }

    /// `"COW alliances v4.1"` or `"ATOP 5.1"`.
    #[rhai_fn(get = "source", pure)]
    pub fn alliances_source(a: &mut Alliances) -> String {
        a.0.source.as_str().into()
    }

    /// The 0-3 commitment level of `x` toward `y` in a year (Signorino & Ritter 1999: 3 defense,
    /// 2 neutrality or nonaggression, 1 entente or consultation, 0 none).
    #[rhai_fn(name = "level", return_raw, pure)]
    pub fn alliance_level(a: &mut Alliances, x: Dynamic, y: Dynamic, year: i64) -> R<i64> {
        Ok(a.0.level(ccode(&x)?, ccode(&y)?, super::year(year)?).map_err(err)? as i64)
    }

    /// The alliance types in force between `x` and `y` in a year, as names.
    #[rhai_fn(name = "types", return_raw, pure)]
    pub fn alliance_types(a: &mut Alliances, x: Dynamic, y: Dynamic, year: i64) -> R<Array> {
        let t = a.0.types(ccode(&x)?, ccode(&y)?, super::year(year)?).map_err(err)?;
        Ok(al::AllianceType::ALL
            .iter()
            .filter(|k| t.contains(**k))
            .map(|k| Dynamic::from(k.name().to_string()))
            .collect())
    }

    /// One dyad's alliances by year over the data's span.
    #[rhai_fn(name = "dyad", return_raw, pure)]
    pub fn alliance_dyad(a: &mut Alliances, x: Dynamic, y: Dynamic) -> R<Table> {
        table(al::dyad_alliances(&a.0, ccode(&x)?, ccode(&y)?, None))
    }

    /// One dyad's alliances by year over `start..=end`.
    #[rhai_fn(name = "dyad", return_raw, pure)]
    pub fn alliance_dyad_period(a: &mut Alliances, x: Dynamic, y: Dynamic, start: i64, end: i64) -> R<Table> {
        table(al::dyad_alliances(&a.0, ccode(&x)?, ccode(&y)?, Some(period(start, end)?)))
    }

    /// A state's partners in a year: an array of `#{ccode, level}`.
    #[rhai_fn(name = "partners", return_raw, pure)]
    pub fn alliance_partners(a: &mut Alliances, x: Dynamic, year: i64) -> R<Array> {
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
    pub fn alliances_to_string(a: &mut Alliances) -> String {
        format!("<Alliances {}, {} dyad-years, {}>", a.0.source.as_str(), a.0.len(), a.0.coverage())
    }

    /// The alliance-portfolio S score of two states in a year (Signorino & Ritter 1999):
    /// `#{unweighted, weighted}` (weighted by CINC), or `()` when either is not a member.
    #[rhai_fn(return_raw)]
    pub fn s_score_dyad(a: Alliances, c: Capabilities, x: Dynamic, y: Dynamic, year: i64) -> R<Dynamic> {
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
    pub fn s_score_series(a: Alliances, c: Capabilities, x: Dynamic, y: Dynamic, start: i64, end: i64) -> R<Table> {
        table(align::s_score_series(&a.0, &c.0, ccode(&x)?, ccode(&y)?, period(start, end)?, Distance::Absolute))
    }

    /// First and last year of the data, `[start, end]`.
    #[rhai_fn(get = "coverage", pure)]
    pub fn ideal_span(ip: &mut IdealPoints) -> Array {
        span_of(ip.0.coverage())
    }

    /// A state's ideal point (final-passage estimate) in a year, `()` when missing.
    #[rhai_fn(name = "value", return_raw, pure)]
    pub fn ideal_value(ip: &mut IdealPoints, s: Dynamic, year: i64) -> R<Dynamic> {
        Ok(opt(ip.0.value(ccode(&s)?, super::year(year)?, IdealPointEstimate::FinalPassage)))
    }

    /// A state's ideal points by year over `start..=end`: `year, value`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn ideal_series(ip: &mut IdealPoints, s: Dynamic, start: i64, end: i64) -> R<Table> {
        year_value(&ip.0.series(ccode(&s)?, IdealPointEstimate::FinalPassage, Some(period(start, end)?)).map_err(err)?)
    }

    /// The UN ideal-point distance of two states by year, `|θ_a - θ_b|` (Bailey, Strezhnev &
    /// Voeten 2017): `year, a_ideal_point, b_ideal_point, distance`.
    #[rhai_fn(name = "ideal_point_distance", return_raw)]
    pub fn ideal_point_distance(ip: IdealPoints, a: Dynamic, b: Dynamic) -> R<Table> {
        table(align::ideal_point_distance(&ip.0, ccode(&a)?, ccode(&b)?, IdealPointEstimate::FinalPassage, None))
    }

    /// The ideal-point distance over `start..=end`.
    #[rhai_fn(name = "ideal_point_distance", return_raw)]
    pub fn ideal_point_distance_period(ip: IdealPoints, a: Dynamic, b: Dynamic, start: i64, end: i64) -> R<Table> {
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
        ip: IdealPoints,
        a: Dynamic,
        b: Dynamic,
        start: i64,
        end: i64,
        estimate: &str,
    ) -> R<Table> {
        table(align::ideal_point_distance(
            &ip.0,
            ccode(&a)?,
            ccode(&b)?,
            ip_estimate(estimate)?,
            Some(period(start, end)?),
        ))
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn ideal_to_string(ip: &mut IdealPoints) -> String {
        format!("<IdealPoints {} state-years, {}>", ip.0.len(), ip.0.coverage())
    }
}
