//! The alignment measures of two alliance portfolios, all from one 4 x 4 contingency table.
//!
//! Two states' portfolios are their commitment levels toward every member k of the system, on the
//! ordinal scale of Bueno de Mesquita (1975): 3 defense, 2 neutrality or nonaggression, 1 entente
//! (ATOP: consultation), 0 none; a state's level toward itself is 3. The contingency table
//! `n[a][b]` counts (or, weighted, sums the weights `w_k` of) the members k with `x_ik = a` and
//! `x_jk = b`; `N = Σ n[a][b]`. Every measure below is a function of that table, so a dyad-year
//! costs the size of the two states' partner lists (the 0-0 cell is `N` minus the rest), and
//! never a pass over pairs of members.
//!
//! With a disagreement `δ(a, b)` between levels, the observed disagreement is
//! `D_o = Σ_ab n[a][b] δ(a, b) / N` and
//!
//! ```text
//! S     = 1 − 2 D_o                                   Signorino & Ritter (1999)
//! kappa = 1 − D_o / D_e,  D_e = Σ_ab p_a· p_·b δ(a, b)      Cohen's kappa, Hage (2011)
//! pi    = 1 − D_o / D_e,  D_e = Σ_ab q_a q_b δ(a, b),       Scott's pi, Hage (2011)
//!                         q_a = (p_a· + p_·a) / 2
//! ```
//!
//! with `p_a· = Σ_b n[a][b] / N` and `p_·b = Σ_a n[a][b] / N` the two states' own marginal
//! distributions (kappa: chance agreement given each state's own propensity to ally; pi: given the
//! pooled propensity). Scales: *valued*, `δ = |a − b| / 3` (`Distance::Absolute`, S&R's default)
//! or `(|a − b| / 3)^2` (`Distance::Squared`); *binary*, the levels reduced to allied or not,
//! `δ = [min(a, 1) ≠ min(b, 1)]`. With `δ = [a ≠ b]` kappa and pi are the textbook
//! `(p_o − p_e) / (1 − p_e)`.
//!
//! Kendall's tau-b (Bueno de Mesquita 1975), from the same table of counts:
//!
//! ```text
//! P = Σ_{a<c, b<d} n[a][b] n[c][d]     (concordant pairs of members)
//! Q = Σ_{a<c, b>d} n[a][b] n[c][d]     (discordant pairs)
//! tau_b = (P − Q) / sqrt((n0 − T_x)(n0 − T_y)),  n0 = N(N − 1)/2,
//! T_x = Σ_a r_a (r_a − 1)/2,  T_y = Σ_b c_b (c_b − 1)/2  (pairs tied on each state's levels)
//! ```
//!
//! 16 x 16 cell products: constant per dyad-year once the table is built.
//!
//! Bounds: S, tau-b in [−1, 1]; kappa, pi <= 1 (they can fall below −1 when agreement is far
//! below chance). Identical portfolios give 1 for every measure (kappa, pi and tau-b are
//! undefined, null, when the table has one category only: every member at the same level for
//! both, so `D_e = 0`). All are symmetric in the two states.
//!
//! Sources: Bueno de Mesquita, B. (1975), "Measuring Systemic Polarity", *Journal of Conflict
//! Resolution* 19(2): 187-216; Signorino, C. S. & Ritter, J. M. (1999), "Tau-b or Not Tau-b",
//! *International Studies Quarterly* 43(1): 115-144; Hage, F. M. (2011), "Choice or
//! Circumstance? Adjusting Measures of Foreign Policy Similarity for Chance Agreement",
//! *Political Analysis* 19(3): 287-305.

// The 4 x 4 table is indexed by level pairs (a, b) throughout, as in the formulas above.
#![allow(clippy::needless_range_loop)]

use super::Distance;
use crate::error::{Error, Result};

/// How two levels disagree: on the ordinal 0-3 scale, or as allied / not allied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// The 0-3 levels, `δ = |a − b| / 3` (or its square).
    #[default]
    Valued,
    /// Allied (level >= 1) or not, `δ = [allied(a) ≠ allied(b)]`.
    Binary,
}

impl std::str::FromStr for Scale {
    type Err = Error;
    fn from_str(s: &str) -> Result<Scale> {
        match s.trim().to_ascii_lowercase().as_str() {
            "valued" => Ok(Scale::Valued),
            "binary" => Ok(Scale::Binary),
            _ => Err(Error::invalid(format!("unknown scale {s:?}; expected \"valued\" or \"binary\""))),
        }
    }
}

/// The disagreement of two levels on a scale.
#[inline]
fn delta(a: usize, b: usize, scale: Scale, distance: Distance) -> f64 {
    match scale {
        Scale::Binary => ((a > 0) != (b > 0)) as u8 as f64,
        Scale::Valued => {
            let d = a.abs_diff(b) as f64 / 3.0;
            match distance {
                Distance::Absolute => d,
                Distance::Squared => d * d,
            }
        }
    }
}

/// A 4 x 4 contingency table of two portfolios' levels: `n[a][b]` counts (or weighs) the members
/// at level `a` for the first state and `b` for the second (module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Contingency {
    pub n: [[f64; 4]; 4],
}

impl Contingency {
    /// The table of two portfolios of levels 0-3 (`weights`: one non-negative weight per member,
    /// default 1).
    pub fn of(x: &[u8], y: &[u8], weights: Option<&[f64]>) -> Result<Contingency> {
        if x.len() != y.len() || weights.is_some_and(|w| w.len() != x.len()) {
            return Err(Error::invalid("the two portfolios (and the weights) must have the same length"));
        }
        if x.is_empty() {
            return Err(Error::invalid("the portfolios are empty"));
        }
        let mut t = Contingency::default();
        for k in 0..x.len() {
            let (a, b) = (x[k], y[k]);
            if a > 3 || b > 3 {
                return Err(Error::invalid(format!(
                    "level {} is not on the 0-3 alliance scale (member {k})",
                    a.max(b)
                )));
            }
            let w = weights.map_or(1.0, |w| w[k]);
            if !w.is_finite() || w < 0.0 {
                return Err(Error::invalid(format!("weight {w} must be finite and non-negative")));
            }
            t.n[a as usize][b as usize] += w;
        }
        Ok(t)
    }

    /// `N`, the number (or weight) of members.
    pub fn total(&self) -> f64 {
        self.n.iter().flatten().sum()
    }

    /// The row (first state) and column (second state) marginals, as fractions of `N`.
    fn marginals(&self) -> ([f64; 4], [f64; 4]) {
        let t = self.total();
        let mut r = [0.0; 4];
        let mut c = [0.0; 4];
        for a in 0..4 {
            for b in 0..4 {
                r[a] += self.n[a][b] / t;
                c[b] += self.n[a][b] / t;
            }
        }
        (r, c)
    }

    /// The observed disagreement `D_o` (`None` when `N = 0`).
    fn observed(&self, scale: Scale, distance: Distance) -> Option<f64> {
        let t = self.total();
        (t > 0.0).then(|| {
            let mut d = 0.0;
            for a in 0..4 {
                for b in 0..4 {
                    d += self.n[a][b] * delta(a, b, scale, distance);
                }
            }
            d / t
        })
    }

    /// Signorino & Ritter's S: `1 − 2 D_o`, in [−1, 1] (`None` when `N = 0`).
    pub fn s(&self, scale: Scale, distance: Distance) -> Option<f64> {
        self.observed(scale, distance).map(|d| (1.0 - 2.0 * d).clamp(-1.0, 1.0))
    }

    /// `1 − D_o / D_e` with the expected disagreement from the two marginals `p`, `q`.
    fn chance_corrected(&self, p: &[f64; 4], q: &[f64; 4], scale: Scale, distance: Distance) -> Option<f64> {
        let o = self.observed(scale, distance)?;
        let mut e = 0.0;
        for a in 0..4 {
            for b in 0..4 {
                e += p[a] * q[b] * delta(a, b, scale, distance);
            }
        }
        (e > 1e-15).then(|| (1.0 - o / e).min(1.0))
    }

    /// Cohen's kappa as Hage (2011) adapts it: `1 − D_o / D_e` with chance from each state's own
    /// marginal distribution. `None` when `D_e = 0` (one category only).
    pub fn kappa(&self, scale: Scale, distance: Distance) -> Option<f64> {
        let (r, c) = self.marginals();
        self.chance_corrected(&r, &c, scale, distance)
    }

    /// Scott's pi as Hage (2011) adapts it: `1 − D_o / D_e` with chance from the pooled
    /// marginal distribution `(p_a· + p_·a) / 2`. `None` when `D_e = 0`.
    pub fn pi(&self, scale: Scale, distance: Distance) -> Option<f64> {
        let (r, c) = self.marginals();
        let mut q = [0.0; 4];
        for a in 0..4 {
            q[a] = (r[a] + c[a]) / 2.0;
        }
        self.chance_corrected(&q, &q, scale, distance)
    }

    /// Kendall's tau-b of the table of counts (Bueno de Mesquita 1975), from the concordant and
    /// discordant pairs of cells (module docs). `None` when either state's levels are all tied.
    pub fn tau_b(&self) -> Option<f64> {
        let n = &self.n;
        let (mut p, mut q) = (0.0, 0.0);
        for a in 0..4 {
            for b in 0..4 {
                if n[a][b] == 0.0 {
                    continue;
                }
                for row in n.iter().skip(a + 1) {
                    for (d, &v) in row.iter().enumerate() {
                        if d > b {
                            p += n[a][b] * v;
                        } else if d < b {
                            q += n[a][b] * v;
                        }
                    }
                }
            }
        }
        let t = self.total();
        let n0 = t * (t - 1.0) / 2.0;
        let (mut tx, mut ty) = (0.0, 0.0);
        for a in 0..4 {
            let r: f64 = n[a].iter().sum();
            let c: f64 = n.iter().map(|row| row[a]).sum();
            tx += r * (r - 1.0) / 2.0;
            ty += c * (c - 1.0) / 2.0;
        }
        let den = ((n0 - tx) * (n0 - ty)).sqrt();
        (den > 0.0).then(|| ((p - q) / den).clamp(-1.0, 1.0))
    }

    /// Every measure of the table (unweighted or weighted as the table was built).
    pub fn scores(&self, distance: Distance) -> Scores {
        Scores {
            s_binary: self.s(Scale::Binary, distance),
            s_valued: self.s(Scale::Valued, distance),
            kappa: self.kappa(Scale::Valued, distance),
            pi: self.pi(Scale::Valued, distance),
            tau_b: self.tau_b(),
        }
    }
}

/// The measures of one contingency table (null where undefined: module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub s_binary: Option<f64>,
    pub s_valued: Option<f64>,
    /// Hage's kappa on the valued scale.
    pub kappa: Option<f64>,
    /// Hage's pi on the valued scale.
    pub pi: Option<f64>,
    /// Kendall's tau-b (counts; meaningless for weighted tables, where it is computed on the
    /// weights as if they were counts, so callers use the unweighted one).
    pub tau_b: Option<f64>,
}

/// The unweighted and weighted measures of one dyad-year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DyadScores {
    pub unweighted: Scores,
    /// With each member weighted by its capability share (CINC); `None` without weights or when
    /// they sum to 0.
    pub weighted: Option<Scores>,
    /// The number of members (portfolio dimensions).
    pub n_states: usize,
}

/// The portfolios of one year's system: members indexed `0..m` in any dense index space, their
/// commitments as sorted partner lists, and optional weights. Building it is linear in the
/// alliance rows of the year; a dyad's scores cost its two partner lists.
#[derive(Debug, Clone)]
pub struct Portfolios {
    /// Members of the system (indices into the index space), as a membership flag per index.
    member: Vec<bool>,
    n_members: usize,
    /// `weights[idx]`, 0 for a member without a value.
    weights: Option<Vec<f64>>,
    weight_total: f64,
    /// CSR partner lists: `entries[offsets[i]..offsets[i + 1]]` are `(k, level)` with `k` a
    /// member, `k != i`, level 1-3, sorted by `k`.
    offsets: Vec<usize>,
    entries: Vec<(u32, u8)>,
}

impl Portfolios {
    /// The system of `members` (indices below `size`), with `rows` giving directed commitments
    /// `(i, k, level)` (give both directions for a non-directed source; repeated rows keep the
    /// highest level; rows touching a non-member or of level 0 are ignored) and optional
    /// `weights` indexed like the members (missing or non-finite weights count 0).
    pub fn new(
        size: usize, members: impl IntoIterator<Item = usize>, rows: impl IntoIterator<Item = (usize, usize, u8)>,
        weights: Option<&dyn Fn(usize) -> Option<f64>>,
    ) -> Portfolios {
        let mut member = vec![false; size];
        let mut n_members = 0;
        for i in members {
            if i < size && !member[i] {
                member[i] = true;
                n_members += 1;
            }
        }
        let mut rows: Vec<(u32, u32, u8)> = rows
            .into_iter()
            .filter(|&(i, k, l)| i != k && l > 0 && i < size && k < size && member[i] && member[k])
            .map(|(i, k, l)| (i as u32, k as u32, l.min(3)))
            .collect();
        rows.sort_unstable();
        rows.dedup_by(|x, y| {
            if (x.0, x.1) == (y.0, y.1) {
                y.2 = y.2.max(x.2);
                true
            } else {
                false
            }
        });
        let mut offsets = vec![0usize; size + 1];
        for r in &rows {
            offsets[r.0 as usize + 1] += 1;
        }
        for i in 0..size {
            offsets[i + 1] += offsets[i];
        }
        let entries = rows.iter().map(|r| (r.1, r.2)).collect();
        let weights: Option<Vec<f64>> = weights.map(|f| {
            (0..size)
                .map(|i| if member[i] { f(i).filter(|w| w.is_finite() && *w > 0.0).unwrap_or(0.0) } else { 0.0 })
                .collect()
        });
        let weight_total = weights.as_ref().map_or(0.0, |w| w.iter().sum());
        Portfolios { member, n_members, weights, weight_total, offsets, entries }
    }

    /// Is `i` a member?
    pub fn is_member(&self, i: usize) -> bool {
        self.member.get(i).copied().unwrap_or(false)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.n_members
    }

    pub fn is_empty(&self) -> bool {
        self.n_members == 0
    }

    fn partners(&self, i: usize) -> &[(u32, u8)] {
        &self.entries[self.offsets[i]..self.offsets[i + 1]]
    }

    /// `i`'s level toward `k` (3 toward itself).
    pub fn level(&self, i: usize, k: usize) -> u8 {
        if i == k {
            return 3;
        }
        let p = self.partners(i);
        p.binary_search_by_key(&(k as u32), |e| e.0).map_or(0, |x| p[x].1)
    }

    /// The contingency tables (unweighted, weighted) of members `i` and `j`: the cells of the
    /// members in either partner list (and `i`, `j` themselves), the rest in the 0-0 cell.
    pub fn tables(&self, i: usize, j: usize) -> Option<(Contingency, Option<Contingency>)> {
        if !self.is_member(i) || !self.is_member(j) {
            return None;
        }
        let (pi, pj) = (self.partners(i), self.partners(j));
        let mut u = Contingency::default();
        let mut w = Contingency::default();
        let (mut seen, mut seen_w) = (0.0, 0.0);
        let wt = |k: usize| self.weights.as_ref().map_or(0.0, |v| v[k]);
        let mut add = |k: usize, a: u8, b: u8| {
            u.n[a as usize][b as usize] += 1.0;
            w.n[a as usize][b as usize] += wt(k);
            seen += 1.0;
            seen_w += wt(k);
        };
        // Merge the two sorted lists, with i and j (level 3 toward themselves) slotted in.
        let (mut x, mut z) = (0, 0);
        let at = |k: usize, own: usize, list: &[(u32, u8)], pos: usize| -> u8 {
            if k == own {
                3
            } else if pos < list.len() && list[pos].0 as usize == k {
                list[pos].1
            } else {
                0
            }
        };
        let mut specials = [i, j];
        specials.sort_unstable();
        let mut s = 0;
        loop {
            let ki = pi.get(x).map_or(usize::MAX, |e| e.0 as usize);
            let kj = pj.get(z).map_or(usize::MAX, |e| e.0 as usize);
            let ks = if s < 2 { specials[s] } else { usize::MAX };
            let k = ki.min(kj).min(ks);
            if k == usize::MAX {
                break;
            }
            add(k, at(k, i, pi, x), at(k, j, pj, z));
            if ki == k {
                x += 1;
            }
            if kj == k {
                z += 1;
            }
            while s < 2 && specials[s] == k {
                s += 1;
            }
        }
        u.n[0][0] += self.n_members as f64 - seen;
        let weighted = self.weights.as_ref().and_then(|_| {
            (self.weight_total > 0.0).then(|| {
                w.n[0][0] += (self.weight_total - seen_w).max(0.0);
                w
            })
        });
        Some((u, weighted))
    }

    /// Every measure of members `i` and `j` (module docs); `None` when either is not a member.
    pub fn scores(&self, i: usize, j: usize, distance: Distance) -> Option<DyadScores> {
        let (u, w) = self.tables(i, j)?;
        Some(DyadScores {
            unweighted: u.scores(distance),
            weighted: w.map(|w| w.scores(distance)),
            n_states: self.n_members,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::close;
    use proptest::prelude::*;

    #[test]
    fn hand_computed_table() {
        // Five members; x = (3, 2, 0, 0, 1), y = (2, 3, 0, 1, 1).
        let x = [3, 2, 0, 0, 1];
        let y = [2, 3, 0, 1, 1];
        let t = Contingency::of(&x, &y, None).unwrap();
        // Valued: d = (1 + 1 + 0 + 1 + 0) / 3 / 5 = 1/5 -> S = 3/5.
        close(t.s(Scale::Valued, Distance::Absolute), 0.6);
        // Squared: (1/9 * 3) / 5 = 1/15 -> S = 1 - 2/15.
        close(t.s(Scale::Valued, Distance::Squared), 13.0 / 15.0);
        // Binary: allied x = (1,1,0,0,1), y = (1,1,0,1,1): one disagreement -> S = 1 - 2/5.
        close(t.s(Scale::Binary, Distance::Absolute), 0.6);
        // Binary kappa: p_o = 4/5; marginals x allied 3/5, y allied 4/5:
        // D_e = 3/5 * 1/5 + 2/5 * 4/5 = 11/25 -> kappa = 1 - (1/5)/(11/25) = 6/11.
        close(t.kappa(Scale::Binary, Distance::Absolute), 6.0 / 11.0);
        // Binary pi: pooled allied 7/10 -> D_e = 2 * 7/10 * 3/10 = 21/50 -> pi = 1 - (10/50)/(21/50) = 11/21.
        close(t.pi(Scale::Binary, Distance::Absolute), 11.0 / 21.0);
        // Valued kappa: rows x: p0 = 2/5, p1 = 1/5, p2 = 1/5, p3 = 1/5; cols y: p0 = 1/5, p1 = 2/5, p2 = 1/5, p3 = 1/5.
        // D_e = Σ p_a q_b |a-b|/3 = (1/75) Σ_ab c_a c_b |a-b| with counts c = (2,1,1,1), d = (1,2,1,1):
        let (c, d) = ([2.0, 1.0, 1.0, 1.0], [1.0, 2.0, 1.0, 1.0]);
        let mut e = 0.0;
        for a in 0..4 {
            for b in 0..4 {
                e += c[a] * d[b] * (a as f64 - b as f64).abs();
            }
        }
        let e = e / 75.0;
        close(t.kappa(Scale::Valued, Distance::Absolute), 1.0 - 0.2 / e);
        // tau-b by brute force over the 10 pairs of members.
        let (mut p, mut q, mut tx, mut ty) = (0.0, 0.0, 0.0, 0.0);
        for k in 0..5 {
            for l in k + 1..5 {
                let s = (x[k] as i32 - x[l] as i32).signum() * (y[k] as i32 - y[l] as i32).signum();
                if s > 0 {
                    p += 1.0;
                } else if s < 0 {
                    q += 1.0;
                }
                tx += (x[k] == x[l]) as u8 as f64;
                ty += (y[k] == y[l]) as u8 as f64;
            }
        }
        close(t.tau_b(), (p - q) / ((10.0 - tx) * (10.0 - ty)).sqrt());
        // By hand: members 0-1 are discordant (3 > 2 but 2 < 3), 2-3 tied on x, 3-4 tied on y,
        // the other 7 pairs concordant: tau-b = (7 - 1) / sqrt(9 * 9) = 2/3.
        assert_eq!((p, q, tx, ty), (7.0, 1.0, 1.0, 1.0));
        close(t.tau_b(), 2.0 / 3.0);
    }

    #[test]
    fn textbook_kappa_and_undefined_cases() {
        // 2x2 with δ = [a != b]: kappa = (p_o - p_e)/(1 - p_e). Counts: 20 both allied, 5 x only,
        // 10 y only, 15 neither. p_o = 35/50, p_e = (25/50)(30/50) + (25/50)(20/50) = 0.5.
        let mut x = vec![];
        let mut y = vec![];
        for (a, b, n) in [(1, 1, 20), (1, 0, 5), (0, 1, 10), (0, 0, 15)] {
            for _ in 0..n {
                x.push(a);
                y.push(b);
            }
        }
        let t = Contingency::of(&x, &y, None).unwrap();
        close(t.kappa(Scale::Binary, Distance::Absolute), (0.7 - 0.5) / 0.5);
        // All at one level: kappa, pi and tau-b are undefined; S is 1.
        let t = Contingency::of(&[0, 0, 0], &[0, 0, 0], None).unwrap();
        assert_eq!((t.kappa(Scale::Valued, Distance::Absolute), t.pi(Scale::Valued, Distance::Absolute)), (None, None));
        assert_eq!(t.tau_b(), None);
        close(t.s(Scale::Valued, Distance::Absolute), 1.0);
        assert!(Contingency::of(&[4], &[0], None).is_err());
        assert!(Contingency::of(&[1], &[0, 1], None).is_err());
        assert!(Contingency::of(&[1], &[0], Some(&[-1.0])).is_err());
        assert!(Contingency::of(&[], &[], None).is_err());
        assert_eq!("binary".parse::<Scale>().unwrap(), Scale::Binary);
        assert!("ordinal".parse::<Scale>().is_err());
    }

    #[test]
    fn sparse_portfolios_match_the_dense_table() {
        // Members 0, 1, 2, 4 of an index space of 6 (3 and 5 not members); 0-1 defense both ways,
        // 1-2 entente both ways, 0 -> 4 neutrality one way (directed), a row to non-member 3.
        let rows = [(0, 1, 3), (1, 0, 3), (1, 2, 1), (2, 1, 1), (0, 4, 2), (0, 3, 3), (0, 1, 2)];
        let w = |i: usize| Some([0.4, 0.3, 0.2, 0.9, 0.1, 0.0][i]);
        let p = Portfolios::new(6, [0, 1, 2, 4], rows, Some(&w));
        assert_eq!(p.len(), 4);
        assert_eq!(p.level(0, 1), 3, "repeated rows keep the highest level");
        assert_eq!(p.level(0, 3), 0, "rows to non-members are ignored");
        let members = [0usize, 1, 2, 4];
        for &i in &members {
            for &j in &members {
                let x: Vec<u8> = members.iter().map(|&k| p.level(i, k)).collect();
                let y: Vec<u8> = members.iter().map(|&k| p.level(j, k)).collect();
                let ws: Vec<f64> = members.iter().map(|&k| w(k).unwrap()).collect();
                let (u, wt) = p.tables(i, j).unwrap();
                assert_eq!(u, Contingency::of(&x, &y, None).unwrap(), "{i} {j}");
                let dense = Contingency::of(&x, &y, Some(&ws)).unwrap();
                for a in 0..4 {
                    for b in 0..4 {
                        assert!((wt.unwrap().n[a][b] - dense.n[a][b]).abs() < 1e-12);
                    }
                }
            }
        }
        assert!(p.tables(0, 3).is_none());
        assert!(Portfolios::new(3, [0, 1], [], None).scores(0, 1, Distance::Absolute).unwrap().weighted.is_none());
    }

    proptest! {
        #[test]
        fn defining_properties(
            pf in proptest::collection::vec((0u8..4, 0u8..4, 0.0f64..1.0), 2..30),
            sq in any::<bool>(),
        ) {
            let x: Vec<u8> = pf.iter().map(|p| p.0).collect();
            let y: Vec<u8> = pf.iter().map(|p| p.1).collect();
            let w: Vec<f64> = pf.iter().map(|p| p.2 + 0.01).collect();
            let dist = if sq { Distance::Squared } else { Distance::Absolute };
            for wt in [None, Some(w.as_slice())] {
                let t = Contingency::of(&x, &y, wt).unwrap();
                let r = Contingency::of(&y, &x, wt).unwrap();
                let same = Contingency::of(&x, &x, wt).unwrap();
                for scale in [Scale::Valued, Scale::Binary] {
                    let s = t.s(scale, dist).unwrap();
                    prop_assert!((-1.0..=1.0).contains(&s));
                    prop_assert!((s - r.s(scale, dist).unwrap()).abs() < 1e-12);
                    prop_assert!((same.s(scale, dist).unwrap() - 1.0).abs() < 1e-12);
                    for (f, g) in [(t.kappa(scale, dist), r.kappa(scale, dist)), (t.pi(scale, dist), r.pi(scale, dist))] {
                        prop_assert_eq!(f.is_some(), g.is_some());
                        if let (Some(f), Some(g)) = (f, g) {
                            prop_assert!(f <= 1.0 && (f - g).abs() < 1e-9);
                        }
                    }
                    if let Some(k) = same.kappa(scale, dist) { prop_assert!((k - 1.0).abs() < 1e-12); }
                    if let Some(k) = same.pi(scale, dist) { prop_assert!((k - 1.0).abs() < 1e-12); }
                }
            }
            let t = Contingency::of(&x, &y, None).unwrap();
            if let Some(tb) = t.tau_b() {
                prop_assert!((-1.0..=1.0).contains(&tb));
                prop_assert!((tb - Contingency::of(&y, &x, None).unwrap().tau_b().unwrap()).abs() < 1e-12);
            }
            if let Some(tb) = Contingency::of(&x, &x, None).unwrap().tau_b() {
                prop_assert!((tb - 1.0).abs() < 1e-12);
            }
            // tau-b against the pairwise definition.
            let n = x.len();
            let (mut p, mut q, mut tx, mut ty) = (0.0, 0.0, 0.0, 0.0);
            for k in 0..n { for l in k + 1..n {
                let s = (x[k] as i32 - x[l] as i32).signum() * (y[k] as i32 - y[l] as i32).signum();
                if s > 0 { p += 1.0 } else if s < 0 { q += 1.0 }
                tx += (x[k] == x[l]) as u8 as f64;
                ty += (y[k] == y[l]) as u8 as f64;
            }}
            let n0 = (n * (n - 1) / 2) as f64;
            let den = ((n0 - tx) * (n0 - ty)).sqrt();
            match t.tau_b() {
                Some(tb) => prop_assert!((tb - (p - q) / den).abs() < 1e-9),
                None => prop_assert!(den == 0.0),
            }
        }
    }
}
