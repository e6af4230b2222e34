//! Alignment: alliance-portfolio similarity (the S score) and UN ideal-point distance, by
//! dyad-year.
//!
//! **S score** (Signorino & Ritter 1999, "Tau-b or Not Tau-b: Measuring the Similarity of Foreign
//! Policy Positions", *International Studies Quarterly* 43(1): 115-144). State i's alliance
//! portfolio in year t is the vector of its alliance commitment toward every member k of the state
//! system, on the ordinal scale of Bueno de Mesquita (1975) that S&R use: 3 defense pact, 2
//! neutrality or nonaggression pact, 1 entente, 0 no alliance ([`AllianceTypes::level`]); a state's
//! commitment toward itself is 3 (defense). The variant computed here (the one EUGene reports):
//!
//! ```text
//! x_ik = level(i, k) / 3                         (so each dimension spans [0, 1], Δ_k = 1)
//! d(i, j) = Σ_k w_k |x_ik − x_jk|                 (Distance::Absolute; L1, S&R's default)
//!         = Σ_k w_k (x_ik − x_jk)^2               (Distance::Squared)
//! S(i, j) = 1 − 2 d(i, j) / Σ_k w_k               in [−1, 1]
//! ```
//!
//! with `w_k = 1` (unweighted) or `w_k` = k's CINC (weighted by capabilities, S&R's weighted S;
//! a state without a published CINC gets weight 0). k runs over the states with an NMC row in the
//! year (the COW system members), including i and j. With ATOP (directed) data `level(i, k)` is
//! i's obligation toward k.
//!
//! **Every variant** ([`alignment`], [`alignment_scores`]; formulas in [`measures`]): binary and
//! valued S, each unweighted and weighted by CINC (Signorino & Ritter 1999); Cohen's kappa and
//! Scott's pi as Hage (2011) adapts them to chance agreement, unweighted and weighted; Kendall's
//! tau-b (Bueno de Mesquita 1975). All come from one 4 x 4 contingency table of the two
//! portfolios, built from the two states' partner lists, so a dyad-year costs the size of those
//! lists (linear), never a pass over pairs of members.
//!
//! **Ideal-point distance**: `|θ_i,t − θ_j,t|` with θ the UN General Assembly ideal points of
//! Bailey, Strezhnev & Voeten (2017).
//!
//! [`AllianceTypes::level`]: crate::relations::alliances::AllianceTypes::level

use crate::capabilities::{Capabilities, Measure};
use crate::error::{Error, Result};
use crate::period::Period;
use crate::relations::{Alliances, IdealPointEstimate, IdealPoints};
use crate::table::{Table, TableBuilder};

mod measures;
pub use measures::{Contingency, DyadScores, Portfolios, Scale, Scores};

crate::names::option_enum! {
    /// How two portfolios' differences are summed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Distance("distance") {
        /// `|x_ik − x_jk|` (L1; Signorino & Ritter's main measure).
        #[default]
        Absolute = ["absolute"],
        /// `(x_ik − x_jk)^2` (squared Euclidean; S&R discuss it as the alternative).
        Squared = ["squared"],
    }
}

/// The S score of two portfolios (plain values).
///
/// `S = 1 − 2 Σ_k w_k δ_k / (Σ_k w_k)`, `δ_k = |x_k − y_k| / Δ` (absolute) or
/// `((x_k − y_k)/Δ)^2` (squared), where Δ = `max_distance` is the range of a dimension (3 for the
/// 0-3 alliance scale, 1 for already normalised portfolios). `weights` default to 1 (unweighted).
/// Signorino & Ritter (1999). In [−1, 1]: 1 for identical portfolios, −1 for opposite ones.
pub fn s_score(x: &[f64], y: &[f64], weights: Option<&[f64]>, max_distance: f64, distance: Distance) -> Result<f64> {
    if x.len() != y.len() || weights.is_some_and(|w| w.len() != x.len()) {
        return Err(Error::invalid("the two portfolios (and the weights) must have the same length"));
    }
    if x.is_empty() {
        return Err(Error::invalid("the portfolios are empty"));
    }
    if !(max_distance.is_finite() && max_distance > 0.0) {
        return Err(Error::invalid(format!("max_distance {max_distance} must be positive")));
    }
    let mut num = 0.0;
    let mut den = 0.0;
    for k in 0..x.len() {
        let w = weights.map_or(1.0, |w| w[k]);
        if !w.is_finite() || w < 0.0 {
            return Err(Error::invalid(format!("weight {w} must be finite and non-negative")));
        }
        if !x[k].is_finite() || !y[k].is_finite() {
            return Err(Error::invalid("portfolio values must be finite"));
        }
        let d = (x[k] - y[k]).abs() / max_distance;
        if d > 1.0 + 1e-12 {
            return Err(Error::invalid(format!("|{} - {}| exceeds max_distance {max_distance}", x[k], y[k])));
        }
        num += w * match distance {
            Distance::Absolute => d,
            Distance::Squared => d * d,
        };
        den += w;
    }
    if den <= 0.0 {
        return Err(Error::invalid("the weights sum to zero"));
    }
    Ok((1.0 - 2.0 * num / den).clamp(-1.0, 1.0))
}

/// The portfolios of a year's system: the states with an NMC row in `year`, weighted by CINC
/// (a state without a published CINC weighs 0), and their alliance levels from `al`.
struct System {
    states: Vec<u16>,
    portfolios: Portfolios,
}

impl System {
    fn new(al: &Alliances, caps: &Capabilities, year: i32) -> Result<System> {
        let states = caps.states_in(year);
        if states.is_empty() {
            return Err(Error::invalid(format!(
                "NMC {} has no states in {year} (its coverage is {})",
                caps.release,
                caps.coverage()
            )));
        }
        let idx = |c: u16| states.binary_search(&c).ok();
        let rows: Vec<(usize, usize, u8)> =
            al.levels_in(year)?.into_iter().filter_map(|((a, b), l)| Some((idx(a)?, idx(b)?, l))).collect();
        let weight = |i: usize| caps.value(states[i], year, Measure::Cinc);
        let portfolios = Portfolios::new(states.len(), 0..states.len(), rows, Some(&weight));
        Ok(System { states, portfolios })
    }

    fn index(&self, c: u16) -> Option<usize> {
        self.states.binary_search(&c).ok()
    }

    /// Every measure of `a` and `b`; `None` when either is not a member.
    fn scores(&self, a: u16, b: u16, distance: Distance) -> Option<DyadScores> {
        self.portfolios.scores(self.index(a)?, self.index(b)?, distance)
    }

    /// `(unweighted, weighted)` valued S of a and b; `None` when either is not a member.
    fn s(&self, a: u16, b: u16, distance: Distance) -> Option<(f64, Option<f64>)> {
        let s = self.scores(a, b, distance)?;
        Some((s.unweighted.s_valued?, s.weighted.and_then(|w| w.s_valued)))
    }
}

/// The alliance-portfolio S score of two states in a year: `(unweighted, weighted by CINC)`
/// (formula and variant: the module docs; Signorino & Ritter 1999). The system is the states with
/// an NMC row in `year`. `Ok(None)` when `a` or `b` is not a member that year; an error when the
/// year is outside the alliance file or NMC.
pub fn s_score_dyad(
    al: &Alliances, caps: &Capabilities, a: u16, b: u16, year: i32, distance: Distance,
) -> Result<Option<(f64, Option<f64>)>> {
    Ok(System::new(al, caps, year)?.s(a, b, distance))
}

/// S scores by dyad for one year: the listed dyads, or every pair `ccode1 < ccode2` of system
/// members when `dyads` is `None` (formula: module docs; Signorino & Ritter 1999).
///
/// Columns: `ccode1, ccode2, year, s_unweighted, s_weighted, n_states` (null S for a dyad with a
/// non-member).
pub fn s_scores(
    al: &Alliances, caps: &Capabilities, year: i32, dyads: Option<&[(u16, u16)]>, distance: Distance,
) -> Result<Table> {
    let sys = System::new(al, caps, year)?;
    let pairs: Vec<(u16, u16)> = match dyads {
        Some(d) => d.to_vec(),
        None => {
            let s = &sys.states;
            (0..s.len()).flat_map(|i| (i + 1..s.len()).map(move |j| (s[i], s[j]))).collect()
        }
    };
    let v: Vec<Option<(f64, Option<f64>)>> = pairs.iter().map(|&(a, b)| sys.s(a, b, distance)).collect();
    TableBuilder::new()
        .i64("ccode1", pairs.iter().map(|p| p.0 as i64).collect())
        .i64("ccode2", pairs.iter().map(|p| p.1 as i64).collect())
        .i64("year", vec![year as i64; pairs.len()])
        .f64_opt("s_unweighted", v.iter().map(|x| x.map(|x| x.0)).collect())
        .f64_opt("s_weighted", v.iter().map(|x| x.and_then(|x| x.1)).collect())
        .i64("n_states", vec![sys.states.len() as i64; pairs.len()])
        .build()
}

/// The S score of one dyad by year over `period`, which must lie within both the alliance file
/// and NMC (Signorino & Ritter 1999; formula in the module docs).
///
/// Columns: `year, s_unweighted, s_weighted, level` (the dyad's own 0-3 alliance level, a toward b).
pub fn s_score_series(
    al: &Alliances, caps: &Capabilities, a: u16, b: u16, period: Period, distance: Distance,
) -> Result<Table> {
    let rows = by_year(al, caps, period, |sys, y| Ok((sys.s(a, b, distance), al.level(a, b, y)? as i64)))?;
    TableBuilder::new()
        .i64("year", period.years().map(i64::from).collect())
        .f64_opt("s_unweighted", rows.iter().map(|r| r.0.map(|s| s.0)).collect())
        .f64_opt("s_weighted", rows.iter().map(|r| r.0.and_then(|s| s.1)).collect())
        .i64("level", rows.iter().map(|r| r.1).collect())
        .build()
}

/// The names of the alignment columns, in order: `s_binary, s_valued, s_binary_weighted,
/// s_valued_weighted, kappa, pi, kappa_weighted, pi_weighted, tau_b`.
pub const ALIGNMENT_COLUMNS: [&str; 9] = [
    "s_binary",
    "s_valued",
    "s_binary_weighted",
    "s_valued_weighted",
    "kappa",
    "pi",
    "kappa_weighted",
    "pi_weighted",
    "tau_b",
];

impl DyadScores {
    /// The values in the order of [`ALIGNMENT_COLUMNS`] (null where undefined or unweighted).
    pub fn values(&self) -> [Option<f64>; 9] {
        let (u, w) = (self.unweighted, self.weighted.unwrap_or_default());
        [u.s_binary, u.s_valued, w.s_binary, w.s_valued, u.kappa, u.pi, w.kappa, w.pi, u.tau_b]
    }
}

/// Every alignment measure of two portfolios given as plain levels (0-3 scale of Bueno de
/// Mesquita 1975; see [`measures`] for the formulas): `weights` (one per member, e.g. CINC)
/// give the weighted variants.
///
/// Columns (one row): [`ALIGNMENT_COLUMNS`] and `n_states`.
pub fn alignment_scores(x: &[u8], y: &[u8], weights: Option<&[f64]>, distance: Distance) -> Result<Table> {
    let u = Contingency::of(x, y, None)?;
    let w = weights.map(|w| Contingency::of(x, y, Some(w))).transpose()?;
    let d = DyadScores {
        unweighted: u.scores(distance),
        weighted: w.filter(|w| w.total() > 0.0).map(|w| w.scores(distance)),
        n_states: x.len(),
    };
    scores_table(vec![], vec![], vec![], vec![d.n_states as i64], vec![Some(d)], false)
}

fn scores_table(
    c1: Vec<i64>, c2: Vec<i64>, years: Vec<i64>, n: Vec<i64>, v: Vec<Option<DyadScores>>, keyed: bool,
) -> Result<Table> {
    let mut tb = TableBuilder::new();
    if keyed {
        tb = tb.i64("ccode1", c1).i64("ccode2", c2).i64("year", years);
    }
    tb = tb.i64("n_states", n);
    let vals: Vec<[Option<f64>; 9]> = v.iter().map(|d| d.map_or([None; 9], |d| d.values())).collect();
    for (k, name) in ALIGNMENT_COLUMNS.iter().enumerate() {
        tb = tb.f64_opt(name, vals.iter().map(|x| x[k]).collect());
    }
    tb.build()
}

/// Every alignment measure (binary and valued S, unweighted and CINC-weighted; Hage's kappa and
/// pi; tau-b; formulas in [`measures`]) for every pair `ccode1 < ccode2` of `states` (default:
/// every NMC member of the year) in every year of `period`. The system of a year (the
/// portfolios' dimensions) is the states with an NMC row that year, weighted by CINC; levels come
/// from `al` (ATOP: obligations of each state). `period` must lie within both the alliance file
/// and NMC. A listed state that is not a member in a year gets null measures.
///
/// Columns: `ccode1, ccode2, year, n_states`, then [`ALIGNMENT_COLUMNS`]. Rows by year, then
/// `ccode1, ccode2`.
pub fn alignment(
    al: &Alliances, caps: &Capabilities, period: Period, states: Option<&[u16]>, distance: Distance,
) -> Result<Table> {
    check_alignment_period(al, caps, period)?;
    let listed: Option<Vec<u16>> = states.map(|s| {
        let mut s = s.to_vec();
        s.sort_unstable();
        s.dedup();
        s
    });
    let (mut c1, mut c2, mut yv, mut n, mut v) = (vec![], vec![], vec![], vec![], vec![]);
    for y in period.years() {
        let sys = System::new(al, caps, y)?;
        let list = listed.as_deref().unwrap_or(&sys.states);
        for (i, &a) in list.iter().enumerate() {
            for &b in &list[i + 1..] {
                c1.push(a as i64);
                c2.push(b as i64);
                yv.push(y as i64);
                n.push(sys.states.len() as i64);
                v.push(sys.scores(a, b, distance));
            }
        }
        if c1.len() > crate::input::MAX_PANEL_ROWS {
            return Err(Error::invalid(format!(
                "the alignment table would have more than {} rows: ask for fewer states or years",
                crate::input::MAX_PANEL_ROWS
            )));
        }
    }
    scores_table(c1, c2, yv, n, v, true)
}

/// Every alignment measure of one dyad by year over `period` (as [`alignment`]).
///
/// Columns: `ccode1, ccode2, year, n_states`, then [`ALIGNMENT_COLUMNS`].
pub fn alignment_dyad(
    al: &Alliances, caps: &Capabilities, a: u16, b: u16, period: Period, distance: Distance,
) -> Result<Table> {
    let rows = by_year(al, caps, period, |sys, _| Ok((sys.scores(a, b, distance), sys.states.len() as i64)))?;
    let k = period.len();
    let (v, n): (Vec<Option<DyadScores>>, Vec<i64>) = rows.into_iter().unzip();
    scores_table(vec![a as i64; k], vec![b as i64; k], period.years().map(i64::from).collect(), n, v, true)
}

/// `f(system, year)` for each year of `period`, which must lie within both the alliance file
/// and NMC ([`check_alignment_period`]).
fn by_year<T>(
    al: &Alliances, caps: &Capabilities, period: Period, mut f: impl FnMut(&System, i32) -> Result<T>,
) -> Result<Vec<T>> {
    check_alignment_period(al, caps, period)?;
    period.years().map(|y| f(&System::new(al, caps, y)?, y)).collect()
}

fn check_alignment_period(al: &Alliances, caps: &Capabilities, period: Period) -> Result<()> {
    Error::check_coverage(al.source.as_str(), Some(al.coverage()), period, "the query")?;
    Error::check_coverage(&format!("NMC {}", caps.release), Some(caps.coverage()), period, "the query")?;
    crate::input::guard_span("the alignment table", period).map(|_| ())
}

/// The UN ideal-point distance of two states by year: `|θ_a,t − θ_b,t|` (Bailey, Strezhnev &
/// Voeten 2017). `period` defaults to the file's coverage and may not leave it.
///
/// Columns: `year, a_ideal_point, b_ideal_point, distance` (null where either is missing).
pub fn ideal_point_distance(
    ip: &IdealPoints, a: u16, b: u16, e: IdealPointEstimate, period: Option<Period>,
) -> Result<Table> {
    let sa = ip.series(a, e, period)?;
    let sb = ip.series(b, e, period)?;
    TableBuilder::new()
        .i64("year", sa.iter().map(|p| p.0 as i64).collect())
        .f64_opt("a_ideal_point", sa.iter().map(|p| p.1).collect())
        .f64_opt("b_ideal_point", sb.iter().map(|p| p.1).collect())
        .f64_opt("distance", sa.iter().zip(&sb).map(|(x, y)| Some((x.1? - y.1?).abs())).collect())
        .build()
}

/// Ideal-point distances of every pair `ccode1 < ccode2` of states with a value in `year` (or of
/// the listed states): `|θ_i − θ_j|` (Bailey, Strezhnev & Voeten 2017).
///
/// Columns: `ccode1, ccode2, year, distance`.
pub fn ideal_point_distances(
    ip: &IdealPoints, year: i32, e: IdealPointEstimate, states: Option<&[u16]>,
) -> Result<Table> {
    let all = ip.states_in(year)?;
    let list: Vec<u16> = match states {
        Some(s) => {
            let mut s = s.to_vec();
            s.sort_unstable();
            s.dedup();
            s
        }
        None => all,
    };
    let vals: Vec<(u16, f64)> = list.iter().filter_map(|&c| Some((c, ip.value(c, year, e)?))).collect();
    let mut c1 = vec![];
    let mut c2 = vec![];
    let mut d = vec![];
    for i in 0..vals.len() {
        for j in i + 1..vals.len() {
            c1.push(vals[i].0 as i64);
            c2.push(vals[j].0 as i64);
            d.push((vals[i].1 - vals[j].1).abs());
        }
    }
    let n = d.len();
    TableBuilder::new().i64("ccode1", c1).i64("ccode2", c2).i64("year", vec![year as i64; n]).f64("distance", d).build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capabilities::parse_nmc;
    use crate::relations::{parse_alliances, parse_ideal_points};
    use crate::testing::close;
    use proptest::prelude::*;
    use std::path::Path;

    #[test]
    fn plain_s_hand_checked() {
        // A and B allied (defense) with each other; C alone. Portfolios on the 0-3 scale over (A, B, C).
        let a = [3.0, 3.0, 0.0];
        let b = [3.0, 3.0, 0.0];
        let c = [0.0, 0.0, 3.0];
        close(s_score(&a, &b, None, 3.0, Distance::Absolute).unwrap(), 1.0);
        close(s_score(&a, &c, None, 3.0, Distance::Absolute).unwrap(), -1.0);
        // A neutrality pact (2) with B instead: d = (1/3 + 1/3 + 0) -> S = 1 - 2 (2/3) / 3 = 5/9.
        let a2 = [3.0, 2.0, 0.0];
        let b2 = [2.0, 3.0, 0.0];
        close(s_score(&a2, &b2, None, 3.0, Distance::Absolute).unwrap(), 5.0 / 9.0);
        // Squared: d = 1/9 + 1/9 = 2/9 -> S = 1 - 2 (2/9) / 3 = 23/27.
        close(s_score(&a2, &b2, None, 3.0, Distance::Squared).unwrap(), 23.0 / 27.0);
        // Weighted (0.5, 0.3, 0.2): d = 0.5/3 + 0.3/3 = 0.8/3 -> S = 1 - 1.6/3.
        close(s_score(&a2, &b2, Some(&[0.5, 0.3, 0.2]), 3.0, Distance::Absolute).unwrap(), 1.0 - 1.6 / 3.0);
        assert!(s_score(&a, &[1.0], None, 3.0, Distance::Absolute).is_err());
        assert!(s_score(&a, &b, Some(&[0.0, 0.0, 0.0]), 3.0, Distance::Absolute).is_err());
        assert!(s_score(&[5.0], &[0.0], None, 3.0, Distance::Absolute).is_err());
    }

    const NMC: &str = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc
AAA,1,2000,1,1,1,1,1,1,0.5
BBB,2,2000,1,1,1,1,1,1,0.3
CCC,3,2000,1,1,1,1,1,1,0.2
";
    const COW: &str = "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente
1,2,2000,0,1,0,0
";

    #[test]
    fn s_from_data_hand_checked() {
        let caps = parse_nmc(NMC, Path::new("n.csv")).unwrap();
        let al = parse_alliances(COW, Path::new("a.csv")).unwrap();
        // x_1 = (1, 2/3, 0), x_2 = (2/3, 1, 0), x_3 = (0, 0, 1).
        let (u, w) = s_score_dyad(&al, &caps, 1, 2, 2000, Distance::Absolute).unwrap().unwrap();
        close(u, 5.0 / 9.0);
        close(w.unwrap(), 1.0 - 1.6 / 3.0);
        // 1 vs 3: d = 1 + 2/3 + 1 = 8/3 -> S = 1 - 2 (8/3) / 3 = -7/9; weighted: 0.5 + 0.2 + 0.3*2/3 = 0.9 -> -0.8.
        let (u, w) = s_score_dyad(&al, &caps, 1, 3, 2000, Distance::Absolute).unwrap().unwrap();
        close(u, -7.0 / 9.0);
        close(w.unwrap(), -0.8);
        assert_eq!(s_score_dyad(&al, &caps, 1, 9, 2000, Distance::Absolute).unwrap(), None);
        let t = s_scores(&al, &caps, 2000, None, Distance::Absolute).unwrap();
        assert_eq!(t.num_rows(), 3);
        let t = s_score_series(&al, &caps, 1, 2, Period::year(2000), Distance::Absolute).unwrap();
        assert_eq!(t.i64s("level").unwrap(), vec![Some(2)]);
        let d = alignment_dyad(&al, &caps, 1, 2, Period::year(2000), Distance::Absolute).unwrap();
        assert_eq!(t.f64s("s_unweighted").unwrap(), d.f64s("s_valued").unwrap());
        assert_eq!(t.f64s("s_weighted").unwrap(), d.f64s("s_valued_weighted").unwrap());
        let past = Period { start: 2000, end: 2001 };
        assert!(matches!(s_score_series(&al, &caps, 1, 2, past, Distance::Absolute), Err(Error::Coverage { .. })));
    }

    #[test]
    fn ideal_point_distance_hand_checked() {
        let t = "ccode,year,idealpointfp\n2,1990,2.959\n365,1990,-0.104\n710,1990,-0.149\n710,1991,-0.2\n";
        let ip = parse_ideal_points(t, Path::new("i.csv")).unwrap();
        let d = ideal_point_distance(&ip, 2, 710, IdealPointEstimate::FinalPassage, None).unwrap();
        let v = d.f64s("distance").unwrap();
        close(v[0].unwrap(), 3.108);
        assert_eq!(v[1], None);
        let all = ideal_point_distances(&ip, 1990, IdealPointEstimate::FinalPassage, None).unwrap();
        assert_eq!(all.num_rows(), 3);
        close(all.f64s("distance").unwrap()[2].unwrap(), 0.045);
    }

    proptest! {
        #[test]
        fn s_in_range_and_relabelling_invariant(
            pf in proptest::collection::vec((0u8..4, 0u8..4, 0.0f64..1.0), 1..20),
            rot in 0usize..20,
            sq in any::<bool>(),
        ) {
            let x: Vec<f64> = pf.iter().map(|p| p.0 as f64).collect();
            let y: Vec<f64> = pf.iter().map(|p| p.1 as f64).collect();
            let w: Vec<f64> = pf.iter().map(|p| p.2 + 0.01).collect();
            let dist = if sq { Distance::Squared } else { Distance::Absolute };
            for wt in [None, Some(w.as_slice())] {
                let s = s_score(&x, &y, wt, 3.0, dist).unwrap();
                prop_assert!((-1.0..=1.0).contains(&s));
                // Symmetric in the two states.
                prop_assert!((s - s_score(&y, &x, wt, 3.0, dist).unwrap()).abs() < 1e-12);
                // Relabelling the states of the system (a rotation of the dimensions) changes nothing.
                let r = rot % x.len();
                let mut xr = x.clone(); xr.rotate_left(r);
                let mut yr = y.clone(); yr.rotate_left(r);
                let mut wr = w.clone(); wr.rotate_left(r);
                let s2 = s_score(&xr, &yr, wt.map(|_| wr.as_slice()), 3.0, dist).unwrap();
                prop_assert!((s - s2).abs() < 1e-9);
            }
        }
    }
}
