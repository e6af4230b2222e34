//! Power transition: parity windows, crossover years between two actors' series, and the
//! projection of a future crossover from log-linear growth.
//!
//! A series is a slice of `(year, value)` with `None` for a missing value (as
//! [`Capabilities::series`](crate::capabilities::Capabilities::series) gives it). Two series are
//! compared on the years both have a value; years need not be sorted but may not repeat, and
//! values must be finite. Power-transition theory holds that war is likeliest when a rising
//! challenger reaches parity with, and overtakes, the dominant power (Organski 1958, *World
//! Politics*; Organski & Kugler 1980, *The War Ledger*).

use crate::error::{Error, Result};
use crate::period::Period;
use crate::table::{Table, TableBuilder};
use std::collections::BTreeMap;

/// A year's value, or `None` where it is missing.
pub type Point = (i32, Option<f64>);

/// A series from the two lists a door passes (`years`, `values`; `None` a missing value),
/// checked to have the same length.
pub fn series(years: Vec<i32>, values: Vec<Option<f64>>) -> Result<Vec<Point>> {
    crate::table::zip_columns(years, values, ("years", "values"))
}

/// The years both series have a value, ascending: `(year, a, b)`.
fn joined(a: &[Point], b: &[Point]) -> Result<Vec<(i32, f64, f64)>> {
    let ma = to_map(a, "a")?;
    let mb = to_map(b, "b")?;
    Ok(ma.iter().filter_map(|(y, x)| mb.get(y).map(|z| (*y, *x, *z))).collect())
}

fn to_map(s: &[Point], which: &str) -> Result<BTreeMap<i32, f64>> {
    let mut m = BTreeMap::new();
    let mut years = std::collections::HashSet::new();
    for &(y, v) in s {
        if !years.insert(y) {
            return Err(Error::invalid(format!("series {which} has year {y} twice")));
        }
        if let Some(v) = v {
            if !v.is_finite() {
                return Err(Error::invalid(format!("series {which} has a non-finite value ({v}) in {y}")));
            }
            m.insert(y, v);
        }
    }
    Ok(m)
}

/// The band of ratios that counts as parity, both ends included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParityBand {
    pub low: f64,
    pub high: f64,
}

impl Default for ParityBand {
    /// 0.8 to 1.25: the challenger has at least 80 per cent of the other's power, either way
    /// round (Organski & Kugler 1980).
    fn default() -> Self {
        ParityBand { low: 0.8, high: 1.25 }
    }
}

/// A run of consecutive years at parity.
#[derive(Debug, Clone, PartialEq)]
pub struct ParityWindow {
    pub start: i32,
    pub end: i32,
    pub min_ratio: f64,
    pub max_ratio: f64,
}

/// Parity windows: maximal runs of consecutive years in which `r_t = a_t / b_t` lies in
/// `[band.low, band.high]` (Organski & Kugler 1980 use 0.8-1.25, the default band).
///
/// A year where either value is missing, or `b_t` is 0, breaks a window. The band must satisfy
/// `0 < low <= high`, both finite.
pub fn parity_windows(a: &[Point], b: &[Point], band: ParityBand) -> Result<Vec<ParityWindow>> {
    if !(band.low.is_finite() && band.high.is_finite() && band.low > 0.0 && band.low <= band.high) {
        return Err(Error::invalid(format!(
            "parity band {}..{} is not valid: it needs 0 < low <= high",
            band.low, band.high
        )));
    }
    let mut out: Vec<ParityWindow> = Vec::new();
    let mut prev: Option<i32> = None;
    for (y, x, z) in joined(a, b)? {
        if z == 0.0 {
            prev = None;
            continue;
        }
        let r = x / z;
        if r >= band.low && r <= band.high {
            match (prev, out.last_mut()) {
                (Some(p), Some(w)) if p + 1 == y && w.end == p => {
                    w.end = y;
                    w.min_ratio = w.min_ratio.min(r);
                    w.max_ratio = w.max_ratio.max(r);
                }
                _ => out.push(ParityWindow { start: y, end: y, min_ratio: r, max_ratio: r }),
            }
            prev = Some(y);
        } else {
            prev = None;
        }
    }
    Ok(out)
}

/// Which of two series leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leader {
    A,
    B,
}

/// A change of the lead between two series.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossover {
    /// The first year in which the new leader is strictly ahead.
    pub year: i32,
    /// The new leader.
    pub leader: Leader,
    /// The last year in which the other series was strictly ahead.
    pub previous_lead_year: i32,
    pub a: f64,
    pub b: f64,
}

/// Crossover years: each year in which the series that is strictly ahead differs from the one
/// that was strictly ahead in the last year before it (on the years both have a value).
///
/// Ties are not a lead: `a = 3, b = 3` neither starts nor ends one, so a crossover is dated to the
/// first year the new leader is strictly ahead. (The transition of Organski 1958 is the year the
/// challenger overtakes the dominant power.)
pub fn crossovers(a: &[Point], b: &[Point]) -> Result<Vec<Crossover>> {
    let mut out = Vec::new();
    let mut last: Option<(Leader, i32)> = None;
    for (y, x, z) in joined(a, b)? {
        let lead = if x > z {
            Leader::A
        } else if z > x {
            Leader::B
        } else {
            continue;
        };
        if let Some((l, ly)) = last {
            if l != lead {
                out.push(Crossover { year: y, leader: lead, previous_lead_year: ly, a: x, b: z });
            }
        }
        last = Some((lead, y));
    }
    Ok(out)
}

/// An ordinary least-squares fit of `ln x_t = alpha + beta t`.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthFit {
    /// Number of years fitted.
    pub n: usize,
    /// `alpha`: the intercept at year 0.
    pub intercept: f64,
    /// `beta`: the log growth rate per year.
    pub slope: f64,
    /// Standard error of `beta`: `sqrt(s^2 / S_tt)` with `s^2 = SSR / (n - 2)`.
    pub slope_se: f64,
    /// Annual growth rate, `exp(beta) - 1`.
    pub growth: f64,
}

impl GrowthFit {
    /// The fitted `ln x` in `year`.
    pub fn fitted_ln(&self, year: f64) -> f64 {
        self.intercept + self.slope * year
    }
}

/// Fit log-linear growth to the years of `window` that have a value (OLS on `ln x_t`).
///
/// Needs at least 3 values (for the standard error), all positive.
pub fn fit_growth(s: &[Point], window: Period) -> Result<GrowthFit> {
    let m = to_map(s, "series")?;
    let pts: Vec<(f64, f64)> = m.range(window.start..=window.end).map(|(y, v)| (*y as f64, *v)).collect();
    if pts.len() < 3 {
        return Err(Error::invalid(format!(
            "{} value(s) in {window}; a growth fit with a standard error needs at least 3",
            pts.len()
        )));
    }
    if let Some((y, v)) = pts.iter().find(|(_, v)| *v <= 0.0) {
        return Err(Error::invalid(format!(
            "value {v} in {y} is not positive; log-linear growth needs positive values"
        )));
    }
    let n = pts.len() as f64;
    let tm = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let ym = pts.iter().map(|p| p.1.ln()).sum::<f64>() / n;
    let stt: f64 = pts.iter().map(|p| (p.0 - tm).powi(2)).sum();
    let sty: f64 = pts.iter().map(|p| (p.0 - tm) * (p.1.ln() - ym)).sum();
    let slope = sty / stt;
    let intercept = ym - slope * tm;
    let ssr: f64 = pts.iter().map(|p| (p.1.ln() - (intercept + slope * p.0)).powi(2)).sum();
    let slope_se = (ssr / (n - 2.0) / stt).sqrt();
    Ok(GrowthFit { n: pts.len(), intercept, slope, slope_se, growth: slope.exp_m1() })
}

/// A projected crossover of two series.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub fit: Period,
    pub a: GrowthFit,
    pub b: GrowthFit,
    /// `g_0 = ln a^(t_0) - ln b^(t_0)`: the fitted log gap at the last year of the fit.
    pub gap_at_end: f64,
    /// The series ahead at the end of the fit, on the fitted values (`None` on a tie).
    pub leader_at_end: Option<Leader>,
    /// The projected crossover, a fractional year; `None` when the fitted gap does not close.
    pub year: Option<f64>,
    /// The earliest crossover within the band (the fastest convergence the band allows).
    pub earliest: Option<f64>,
    /// The latest crossover within the band; `None` when the band includes slopes that never
    /// close the gap.
    pub latest: Option<f64>,
    /// The multiplier of the standard error used for the band.
    pub z: f64,
}

/// Project a future crossover of `a` and `b` from log-linear growth fitted over `fit`.
///
/// Method: fit `ln a_t = alpha_a + beta_a t` and `ln b_t = alpha_b + beta_b t` by OLS over the
/// window ([`fit_growth`]). With `t_0` the window's last year, the fitted log gap is
/// `g(t) = g_0 + d (t - t_0)`, `g_0 = ln a^(t_0) - ln b^(t_0)`, `d = beta_a - beta_b`, and the gap
/// closes at `t* = t_0 - g_0 / d`, a crossover only when `t* >= t_0` (`g_0` and `d` of opposite
/// signs, or `g_0 = 0`). Uncertainty: the two fits are taken as independent, so
/// `se(d) = sqrt(se_a^2 + se_b^2)`, and the band holds the gap at `g_0` while `d` runs over
/// `d +- z se(d)`: its faster end gives the earliest crossover, its slower end the latest (none
/// when that end does not close the gap). The band ignores the intercepts' uncertainty and the
/// serial correlation of annual residuals (which makes OLS standard errors too small), so read
/// it as a sensitivity range for the growth differential, not as a forecast interval. `z = 1.96`
/// gives about 95 per cent for normal errors. (Log-linear extrapolation of the kind used in
/// power-transition forecasts, e.g. Tammen et al. 2000, *Power Transitions*.)
pub fn project_crossover(a: &[Point], b: &[Point], fit: Period, z: f64) -> Result<Projection> {
    if !(z.is_finite() && z >= 0.0) {
        return Err(Error::invalid(format!("z must be finite and non-negative, not {z}")));
    }
    let fa = fit_growth(a, fit).map_err(|e| Error::invalid(format!("series a: {e}")))?;
    let fb = fit_growth(b, fit).map_err(|e| Error::invalid(format!("series b: {e}")))?;
    let t0 = fit.end as f64;
    let g0 = fa.fitted_ln(t0) - fb.fitted_ln(t0);
    let d = fa.slope - fb.slope;
    let se = (fa.slope_se.powi(2) + fb.slope_se.powi(2)).sqrt();
    let cross = |d: f64| -> Option<f64> {
        if g0 == 0.0 {
            Some(t0)
        } else if g0 * d < 0.0 {
            Some(t0 - g0 / d)
        } else {
            None
        }
    };
    // Faster convergence: d further in the direction of -sign(g0).
    let (fast, slow) = if g0 > 0.0 { (d - z * se, d + z * se) } else { (d + z * se, d - z * se) };
    let leader_at_end = if g0 > 0.0 {
        Some(Leader::A)
    } else if g0 < 0.0 {
        Some(Leader::B)
    } else {
        None
    };
    Ok(Projection {
        fit,
        gap_at_end: g0,
        leader_at_end,
        year: cross(d),
        earliest: cross(fast),
        latest: cross(slow),
        z,
        a: fa,
        b: fb,
    })
}

/// [`fit_growth`] over `window` as one row: `fit_start, fit_end, n, intercept, slope,
/// slope_se, growth`.
pub fn fit_growth_table(s: &[Point], window: Period) -> Result<Table> {
    let f = fit_growth(s, window)?;
    TableBuilder::new()
        .i64("fit_start", vec![window.start as i64])
        .i64("fit_end", vec![window.end as i64])
        .i64("n", vec![f.n as i64])
        .f64("intercept", vec![f.intercept])
        .f64("slope", vec![f.slope])
        .f64("slope_se", vec![f.slope_se])
        .f64("growth", vec![f.growth])
        .build()
}

/// Parity windows as a table: `start, end, years, min_ratio, max_ratio` (see [`parity_windows`];
/// Organski & Kugler 1980).
pub fn parity_windows_table(a: &[Point], b: &[Point], band: ParityBand) -> Result<Table> {
    let w = parity_windows(a, b, band)?;
    TableBuilder::new()
        .i64("start", w.iter().map(|w| w.start as i64).collect())
        .i64("end", w.iter().map(|w| w.end as i64).collect())
        .i64("years", w.iter().map(|w| (w.end - w.start + 1) as i64).collect())
        .f64("min_ratio", w.iter().map(|w| w.min_ratio).collect())
        .f64("max_ratio", w.iter().map(|w| w.max_ratio).collect())
        .build()
}

/// Crossovers as a table: `year, leader, trailer, previous_lead_year, a_value, b_value`, the
/// leaders named by `a_name` and `b_name` (see [`crossovers`]; Organski 1958).
pub fn crossovers_table(a_name: &str, a: &[Point], b_name: &str, b: &[Point]) -> Result<Table> {
    let c = crossovers(a, b)?;
    let name = |l: Leader, lead: bool| if (l == Leader::A) == lead { a_name } else { b_name };
    TableBuilder::new()
        .i64("year", c.iter().map(|c| c.year as i64).collect())
        .str("leader", c.iter().map(|c| name(c.leader, true)).collect())
        .str("trailer", c.iter().map(|c| name(c.leader, false)).collect())
        .i64("previous_lead_year", c.iter().map(|c| c.previous_lead_year as i64).collect())
        .f64("a_value", c.iter().map(|c| c.a).collect())
        .f64("b_value", c.iter().map(|c| c.b).collect())
        .build()
}

/// A crossover projection as a one-row table (method: [`project_crossover`]).
///
/// Columns: `fit_start, fit_end, n_a, n_b, growth_a, growth_b, slope_a, slope_se_a, slope_b,
/// slope_se_b, gap_at_end, leader_at_end, crossover_year, earliest, latest, z`.
pub fn projection_table(a_name: &str, a: &[Point], b_name: &str, b: &[Point], fit: Period, z: f64) -> Result<Table> {
    let p = project_crossover(a, b, fit, z)?;
    let leader = p.leader_at_end.map(|l| if l == Leader::A { a_name } else { b_name });
    TableBuilder::new()
        .i64("fit_start", vec![fit.start as i64])
        .i64("fit_end", vec![fit.end as i64])
        .i64("n_a", vec![p.a.n as i64])
        .i64("n_b", vec![p.b.n as i64])
        .f64("growth_a", vec![p.a.growth])
        .f64("growth_b", vec![p.b.growth])
        .f64("slope_a", vec![p.a.slope])
        .f64("slope_se_a", vec![p.a.slope_se])
        .f64("slope_b", vec![p.b.slope])
        .f64("slope_se_b", vec![p.b.slope_se])
        .f64("gap_at_end", vec![p.gap_at_end])
        .str_opt("leader_at_end", vec![leader])
        .f64_opt("crossover_year", vec![p.year])
        .f64_opt("earliest", vec![p.earliest])
        .f64_opt("latest", vec![p.latest])
        .f64("z", vec![p.z])
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::close;

    fn s(start: i32, v: &[f64]) -> Vec<Point> {
        v.iter().enumerate().map(|(i, x)| (start + i as i32, Some(*x))).collect()
    }

    #[test]
    fn parity_by_hand() {
        let a = s(2000, &[8.0, 9.0, 10.0, 13.0, 10.0]);
        let b = s(2000, &[10.0; 5]);
        let w = parity_windows(&a, &b, ParityBand::default()).unwrap();
        assert_eq!(
            w,
            vec![
                ParityWindow { start: 2000, end: 2002, min_ratio: 0.8, max_ratio: 1.0 },
                ParityWindow { start: 2004, end: 2004, min_ratio: 1.0, max_ratio: 1.0 },
            ]
        );
        // A missing year breaks a window; so does a zero denominator.
        let mut b2 = b.clone();
        b2[1].1 = None;
        let w = parity_windows(&a, &b2, ParityBand::default()).unwrap();
        assert_eq!(
            w.iter().map(|w| (w.start, w.end)).collect::<Vec<_>>(),
            vec![(2000, 2000), (2002, 2002), (2004, 2004)]
        );
        let w = parity_windows(&a, &b, ParityBand { low: 0.95, high: 1.05 }).unwrap();
        assert_eq!(w.iter().map(|w| (w.start, w.end)).collect::<Vec<_>>(), vec![(2002, 2002), (2004, 2004)]);
        assert!(parity_windows(&a, &b, ParityBand { low: 1.2, high: 0.8 }).is_err());
        assert!(parity_windows(&a, &b, ParityBand { low: 0.0, high: 0.8 }).is_err());
        let t = parity_windows_table(&a, &b, ParityBand::default()).unwrap();
        assert_eq!(t.i64s("years").unwrap(), vec![Some(3), Some(1)]);
    }

    #[test]
    fn crossovers_by_hand() {
        let a = s(2000, &[1.0, 2.0, 3.0, 3.0, 2.0]);
        let b = s(2000, &[2.0, 2.0, 2.0, 3.0, 3.0]);
        let c = crossovers(&a, &b).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].year, c[0].leader, c[0].previous_lead_year), (2002, Leader::A, 2000));
        assert_eq!((c[1].year, c[1].leader, c[1].previous_lead_year), (2004, Leader::B, 2002));
        let t = crossovers_table("CHN", &a, "USA", &b).unwrap();
        assert_eq!(t.strings("leader").unwrap(), vec![Some("CHN".into()), Some("USA".into())]);
        // Unsorted input is fine; repeated years are not.
        let mut r = a.clone();
        r.reverse();
        assert_eq!(crossovers(&r, &b).unwrap(), c);
        let dup = vec![(2000, Some(1.0)), (2000, Some(2.0))];
        assert!(crossovers(&dup, &b).is_err());
        assert!(crossovers(&[(2000, Some(f64::NAN))], &b).is_err());
        assert!(crossovers(&a, &[]).unwrap().is_empty());
    }

    #[test]
    fn growth_fit_by_hand() {
        // ln x = [0, 1, 1, 3] at t = 0..3: beta = 4.5 / 5 = 0.9, SSR = 0.7, se = sqrt(0.35 / 5).
        let x: Vec<Point> =
            [0.0f64, 1.0, 1.0, 3.0].iter().enumerate().map(|(i, y)| (i as i32, Some(y.exp()))).collect();
        let f = fit_growth(&x, Period { start: 0, end: 3 }).unwrap();
        close(f.slope, 0.9);
        close(f.intercept, 1.25 - 0.9 * 1.5);
        close(f.slope_se, 0.07f64.sqrt());
        close(f.growth, 0.9f64.exp() - 1.0);
        assert!(fit_growth(&x, Period { start: 0, end: 1 }).is_err());
        let z = s(0, &[1.0, 0.0, 2.0]);
        assert!(fit_growth(&z, Period { start: 0, end: 2 }).is_err());
    }

    #[test]
    fn projection_exact_growth() {
        // a = 100 * 1.1^t, b = 200 * 1.05^t: the gap closes at t* = ln 2 / ln(1.1 / 1.05).
        let a: Vec<Point> = (0..10).map(|t| (2000 + t, Some(100.0 * 1.1f64.powi(t)))).collect();
        let b: Vec<Point> = (0..10).map(|t| (2000 + t, Some(200.0 * 1.05f64.powi(t)))).collect();
        let p = project_crossover(&a, &b, Period { start: 2000, end: 2009 }, 1.96).unwrap();
        let t = 2000.0 + 2f64.ln() / (1.1f64 / 1.05).ln();
        assert!((p.year.unwrap() - t).abs() < 1e-6, "{:?}", p.year);
        assert!((p.earliest.unwrap() - t).abs() < 1e-4 && (p.latest.unwrap() - t).abs() < 1e-4);
        assert_eq!(p.leader_at_end, Some(Leader::B));
        close(p.a.growth, 0.1);
        // Swapping the series dates the same crossover.
        let q = project_crossover(&b, &a, Period { start: 2000, end: 2009 }, 1.96).unwrap();
        assert!((q.year.unwrap() - t).abs() < 1e-6, "b over a crosses at the same year");
        let w = project_crossover(&a, &b, Period { start: 2000, end: 2005 }, 0.0).unwrap();
        assert!((w.year.unwrap() - t).abs() < 1e-6);
    }

    #[test]
    fn projection_band_by_hand() {
        // a: ln a = [0, 1, 1, 3] at 2000..2003 (beta 0.9, se sqrt(.07)); b: ln b = 5 flat (se 0).
        // Fitted ln a(2003) = 1.25 + 0.9 * 1.5 = 2.6, g0 = -2.4; t* = 2003 + 2.4 / 0.9.
        let a: Vec<Point> =
            [0.0f64, 1.0, 1.0, 3.0].iter().enumerate().map(|(i, y)| (2000 + i as i32, Some(y.exp()))).collect();
        let b: Vec<Point> = (2000..2004).map(|y| (y, Some(5f64.exp()))).collect();
        let p = project_crossover(&a, &b, Period { start: 2000, end: 2003 }, 1.0).unwrap();
        close(p.gap_at_end, -2.4);
        close(p.year.unwrap(), 2003.0 + 2.4 / 0.9);
        let se = 0.07f64.sqrt();
        close(p.earliest.unwrap(), 2003.0 + 2.4 / (0.9 + se));
        close(p.latest.unwrap(), 2003.0 + 2.4 / (0.9 - se));
        // A wide band includes a non-closing slope: no latest year.
        let p = project_crossover(&a, &b, Period { start: 2000, end: 2003 }, 4.0).unwrap();
        assert_eq!(p.latest, None);
        assert!(p.earliest.is_some());
        let t = projection_table("CHN", &a, "USA", &b, Period { start: 2000, end: 2003 }, 1.0).unwrap();
        assert_eq!(t.strings("leader_at_end").unwrap(), vec![Some("USA".into())]);
        assert!(project_crossover(&a, &b, Period { start: 2000, end: 2003 }, f64::NAN).is_err());
    }
}
