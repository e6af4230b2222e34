//! The state system by year, to the present: COW membership spells, carried forward past the
//! list's last year, and the days two members share (for the false-dyad rule).

use crate::capabilities::states::Date;
use crate::capabilities::{Capabilities, Measure, SpellKind, Spells};
use crate::error::{Error, Result};
use crate::period::Period;

/// The COW state system over a period: which states are members in which years.
#[derive(Debug, Clone)]
pub struct System {
    pub period: Period,
    /// Every ccode that is a member in some year of the period, ascending.
    pub ccodes: Vec<u16>,
    pub stateabb: Vec<String>,
    /// The first year whose membership is carried forward (the list's last year + 1), when the
    /// period reaches past the list.
    pub carried_from: Option<i32>,
    /// The last year of the state list.
    pub list_end: i32,
    /// `member[i * years + (y - start)]`.
    member: Vec<bool>,
    /// Each state's maximal runs of member years, as half-open year offsets `[t0, t1)`.
    pub(super) runs: Vec<Vec<(usize, usize)>>,
    /// Each state's spells (first and last day), in date order.
    spells: Vec<Vec<(Date, Date)>>,
    /// Each state's member years that it is not a member for the whole of (a spell starts after
    /// 1 January or ends before 31 December), ascending: the only years a dyad can be false.
    pub(super) partial: Vec<Vec<i32>>,
}

/// The years a state list covers: its first start year to its last end year.
pub(super) fn spells_coverage(states: &Spells) -> Result<Period> {
    let lo = states.spells.iter().map(|s| s.start.year).min();
    let hi = states.spells.iter().map(|s| s.end.year).max();
    match (lo, hi) {
        (Some(lo), Some(hi)) => Period::new(lo, hi),
        _ => Err(Error::invalid("the state list has no spells")),
    }
}

/// The ccodes a list carries forward past its last year (peacesciencer's `mry` rule): the
/// states whose spell runs to the list's last day (31 December 2016 for COW v2016).
pub fn carried_members(states: &Spells) -> Vec<u16> {
    let Some(last) = states.spells.iter().map(|s| s.end).max() else { return vec![] };
    let mut v: Vec<u16> = states.spells.iter().filter(|s| s.end == last).map(|s| s.ccode).collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl System {
    /// The members of `states` by year over `period` (default: the list's coverage, its first
    /// start year to its last end year). The period may not start before the list. Past the
    /// list's last year the members of its last day are carried forward, when `carry` is true
    /// or `None` (the default); with `carry = Some(false)` a period past the list is an error.
    pub fn new(states: &Spells, period: Option<Period>, carry: Option<bool>) -> Result<System> {
        if states.kind != SpellKind::States {
            return Err(Error::invalid(
                "panels are built from the state system membership list (states2016.csv), not the major-power list",
            ));
        }
        let cov = spells_coverage(states)?;
        let p = crate::input::guard_span("the state list", period.unwrap_or(cov))?;
        let carries = p.end > cov.end && carry != Some(false);
        if p.start < cov.start || (p.end > cov.end && !carries) {
            return Err(Error::invalid(format!(
                "period {p} is outside the state list's coverage {cov}; no value is invented outside the years a dataset covers{}",
                if p.end > cov.end {
                    " (carry the system forward past the list's last year, the default, to reach later years)"
                } else {
                    ""
                }
            )));
        }
        let carried = if carries { carried_members(states) } else { vec![] };
        let mut ccodes: Vec<u16> =
            states.spells.iter().filter(|s| s.start.year <= p.end && s.end.year >= p.start).map(|s| s.ccode).collect();
        ccodes.extend(&carried);
        ccodes.sort_unstable();
        ccodes.dedup();
        let ny = p.len();
        let nst = ccodes.len();
        let mut member = vec![false; nst * ny];
        let mut spells = vec![vec![]; nst];
        let mut partial: Vec<Vec<i32>> = vec![vec![]; nst];
        for s in &states.spells {
            let Ok(i) = ccodes.binary_search(&s.ccode) else { continue };
            let (a, b) = (s.start.year.max(p.start), s.end.year.min(p.end));
            for y in a..=b {
                member[i * ny + (y - p.start) as usize] = true;
            }
            spells[i].push((s.start, s.end));
            if (s.start.month, s.start.day) != (1, 1) && p.contains(s.start.year) {
                partial[i].push(s.start.year);
            }
            if (s.end.month, s.end.day) != (12, 31) && p.contains(s.end.year) {
                partial[i].push(s.end.year);
            }
        }
        if carries {
            for c in &carried {
                let Ok(i) = ccodes.binary_search(c) else { continue };
                for y in (cov.end + 1).max(p.start)..=p.end {
                    member[i * ny + (y - p.start) as usize] = true;
                }
                let first = Date { year: cov.end + 1, month: 1, day: 1 };
                spells[i].push((first, Date { year: p.end, month: 12, day: 31 }));
            }
        }
        for (sp, pa) in spells.iter_mut().zip(partial.iter_mut()) {
            sp.sort_unstable();
            pa.sort_unstable();
            pa.dedup();
        }
        let stateabb = ccodes.iter().map(|&c| states.stateabb(c).unwrap_or("").to_string()).collect();
        let runs = (0..nst)
            .map(|i| {
                let m = &member[i * ny..(i + 1) * ny];
                let mut r = vec![];
                let mut t = 0;
                while t < ny {
                    if m[t] {
                        let t0 = t;
                        while t < ny && m[t] {
                            t += 1;
                        }
                        r.push((t0, t));
                    } else {
                        t += 1;
                    }
                }
                r
            })
            .collect();
        Ok(System {
            period: p,
            ccodes,
            stateabb,
            carried_from: carries.then_some(cov.end + 1),
            list_end: cov.end,
            member,
            runs,
            spells,
            partial,
        })
    }

    /// Is the `i`-th state a member in year offset `t`?
    #[inline]
    pub(super) fn at(&self, i: usize, t: usize) -> bool {
        self.member[i * self.period.len() + t]
    }

    /// The index of `ccode`, if it is a member in some year of the period.
    pub fn index(&self, ccode: u16) -> Option<usize> {
        self.ccodes.binary_search(&ccode).ok()
    }

    /// Is `ccode` a member in `year`?
    pub fn is_member(&self, ccode: u16, year: i32) -> bool {
        self.period.contains(year) && self.index(ccode).is_some_and(|i| self.at(i, (year - self.period.start) as usize))
    }

    /// Is the membership of `year` carried forward past the list?
    pub fn is_carried(&self, year: i32) -> bool {
        self.carried_from.is_some_and(|c| year >= c)
    }

    /// Number of members in each year of the period.
    pub fn members_per_year(&self) -> Vec<usize> {
        let ny = self.period.len();
        let mut n = vec![0usize; ny];
        for i in 0..self.ccodes.len() {
            for (t, c) in n.iter_mut().enumerate() {
                *c += self.at(i, t) as usize;
            }
        }
        n
    }

    /// The member indices of year offset `t`.
    pub(super) fn members_at(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.ccodes.len()).filter(move |&i| self.at(i, t))
    }

    /// Do states `i` and `j` (both members in `year`) share at least one day of membership in
    /// `year`? False for a false dyad (e.g. Suriname, a member from 25 November 1975, and South
    /// Vietnam, a member until 30 April 1975).
    pub fn share_a_day(&self, i: usize, j: usize, year: i32) -> bool {
        let (y0, y1) = (Date { year, month: 1, day: 1 }, Date { year, month: 12, day: 31 });
        self.spells[i]
            .iter()
            .any(|&(a0, a1)| self.spells[j].iter().any(|&(b0, b1)| a0.max(b0).max(y0) <= a1.min(b1).min(y1)))
    }

    /// The years of `[t0, t1)` (offsets) in which `i` and `j` are both members but never on the
    /// same day, as offsets, ascending.
    pub(super) fn false_years(&self, i: usize, j: usize, t0: usize, t1: usize) -> Vec<usize> {
        let p0 = self.period.start;
        let mut v: Vec<usize> = self.partial[i]
            .iter()
            .chain(&self.partial[j])
            .map(|&y| (y - p0) as usize)
            .filter(|&t| t >= t0 && t < t1 && !self.share_a_day(i, j, p0 + t as i32))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// A measure as a dense `(state, year)` array, NaN where the NMC has no row or no value.
    pub(super) fn dense(&self, caps: &Capabilities, m: Measure) -> Vec<f64> {
        let ny = self.period.len();
        let mut v = vec![f64::NAN; self.ccodes.len() * ny];
        let col = caps.measure(m);
        for ((&y, &c), &x) in caps.year.iter().zip(&caps.ccode).zip(col) {
            if !self.period.contains(y) {
                continue;
            }
            if let (Ok(i), Some(x)) = (self.ccodes.binary_search(&c), x) {
                v[i * ny + (y - self.period.start) as usize] = x;
            }
        }
        v
    }

    /// Any state-year value as a dense `(state, year)` array, NaN where `f` gives none.
    pub(super) fn dense_by(&self, mut f: impl FnMut(u16, i32) -> Option<f64>) -> Vec<f64> {
        let ny = self.period.len();
        let mut v = vec![f64::NAN; self.ccodes.len() * ny];
        for (i, &c) in self.ccodes.iter().enumerate() {
            for t in 0..ny {
                if self.at(i, t) {
                    if let Some(x) = f(c, self.period.start + t as i32).filter(|x| x.is_finite()) {
                        v[i * ny + t] = x;
                    }
                }
            }
        }
        v
    }
}
