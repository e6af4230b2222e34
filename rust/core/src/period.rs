//! Inclusive spans of years.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// An inclusive span of years, `start..=end`. SIPRI compares five-year periods such as 2016-2020.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub start: i32,
    pub end: i32,
}

impl Period {
    /// A period from `start` to `end`, both included. Fails when `end < start` or a year lies
    /// outside [`YEARS`] (1-9999).
    pub fn new(start: i32, end: i32) -> Result<Self> {
        for y in [start, end] {
            y.to_year()?;
        }
        if end < start {
            return Err(Error::invalid(format!(
                "period {start}-{end} is empty: the end year comes before the start year"
            )));
        }
        Ok(Period { start, end })
    }

    /// A single year.
    pub fn year(y: i32) -> Self {
        Period { start: y, end: y }
    }

    /// Does the period contain `year`?
    #[inline]
    pub fn contains(&self, year: i32) -> bool {
        year >= self.start && year <= self.end
    }

    /// Number of years in the period.
    pub fn len(&self) -> usize {
        (self.end - self.start + 1) as usize
    }

    /// Always false: a period holds at least one year.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The years of the period in order.
    pub fn years(&self) -> impl Iterator<Item = i32> {
        self.start..=self.end
    }
}

/// The years a period may hold. The core's dense series allocate one slot per year, so an
/// absurd year (a typo such as `20016`, or `-2**31` from a binding) fails here rather than
/// exhausting memory.
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// A year as a door passes it: `i32` from Python, `i64` from Rhai. [`Year::to_year`] checks it
/// against [`YEARS`], so that no door converts or checks years itself.
pub trait Year: Copy {
    /// The year as `i32`, or [`Error::InvalidArgument`] when it lies outside [`YEARS`].
    fn to_year(self) -> Result<i32>;
}

fn out_of_range(y: impl std::fmt::Display) -> Error {
    Error::invalid(format!("year {y} is out of range ({}-{})", YEARS.start(), YEARS.end()))
}

impl Year for i32 {
    fn to_year(self) -> Result<i32> {
        if YEARS.contains(&self) {
            Ok(self)
        } else {
            Err(out_of_range(self))
        }
    }
}

impl Year for i64 {
    fn to_year(self) -> Result<i32> {
        i32::try_from(self).map_err(|_| out_of_range(self))?.to_year()
    }
}

impl Period {
    /// `start..=end` from years of any door ([`Year`]: `i32` or `i64`), checked as
    /// [`Period::new`] checks.
    ///
    /// ```
    /// use powerbalance_core::Period;
    /// assert_eq!(Period::from_years(2016_i64, 2020_i64).unwrap(), Period { start: 2016, end: 2020 });
    /// assert!(Period::from_years(i64::MAX, 2020).is_err());
    /// ```
    pub fn from_years<Y: Year>(start: Y, end: Y) -> Result<Period> {
        Period::new(start.to_year()?, end.to_year()?)
    }

    /// [`Period::from_years`] for `i64` years (Rhai's integers).
    pub fn from_i64(start: i64, end: i64) -> Result<Period> {
        Period::from_years(start, end)
    }

    /// An optional period given as a pair (`compare=(s, e)`), checked.
    pub fn from_pair<Y: Year>(pair: Option<(Y, Y)>) -> Result<Option<Period>> {
        pair.map(|(s, e)| Period::from_years(s, e)).transpose()
    }

    /// `start..=end` with a missing bound taken from `bounds`: `None` when both are missing
    /// (the callee then takes its default span), checked as [`Period::new`] checks but not held
    /// to `bounds` (see [`Period::resolve`] for that). `bounds` `None` (no rows) and one bound
    /// missing is an error.
    pub fn fill<Y: Year>(start: Option<Y>, end: Option<Y>, bounds: Option<Period>) -> Result<Option<Period>> {
        let (s, e) = match (start, end) {
            (None, None) => return Ok(None),
            (Some(s), Some(e)) => (s.to_year()?, e.to_year()?),
            (s, e) => {
                let b = bounds
                    .ok_or_else(|| Error::invalid("the data holds no year, so a period needs both start and end"))?;
                (
                    s.map(Year::to_year).transpose()?.unwrap_or(b.start),
                    e.map(Year::to_year).transpose()?.unwrap_or(b.end),
                )
            }
        };
        Period::new(s, e).map(Some)
    }

    /// The period `start..=end` of a query on a dataset that covers `coverage`: a missing bound
    /// is the coverage's, and a period that reaches outside the coverage is
    /// [`Error::Coverage`] (no value is invented outside the years a dataset covers).
    /// `dataset` names the dataset in the message (`"NMC 7.0"`); [`Covered::period`] names it
    /// for you, and the query too.
    ///
    /// ```
    /// use powerbalance_core::{Error, Period};
    /// let cov = Period { start: 1816, end: 2016 };
    /// assert_eq!(Period::resolve(Some(2000), None, cov, "NMC").unwrap(), Period { start: 2000, end: 2016 });
    /// assert_eq!(Period::resolve::<i64>(None, None, cov, "NMC").unwrap(), cov);
    /// assert!(matches!(Period::resolve(Some(2000), Some(2020), cov, "NMC"), Err(Error::Coverage { .. })));
    /// ```
    pub fn resolve<Y: Year>(start: Option<Y>, end: Option<Y>, coverage: Period, dataset: &str) -> Result<Period> {
        resolve_in(start, end, Some(coverage), dataset, "the query")
    }
}

/// [`Period::resolve`] with an optional coverage and the query named.
fn resolve_in<Y: Year>(
    start: Option<Y>, end: Option<Y>, coverage: Option<Period>, dataset: &str, what: &str,
) -> Result<Period> {
    let requested = match coverage {
        Some(c) => {
            let (s, e) = (start.map(Year::to_year).transpose()?, end.map(Year::to_year).transpose()?);
            let (s1, e1) = (s.unwrap_or(c.start), e.unwrap_or(c.end));
            match (s, e) {
                // a lone bound beyond the coverage: the coverage error, not an empty period
                (Some(y), None) | (None, Some(y)) if s1 > e1 => Period::year(y),
                _ => Period::new(s1, e1)?,
            }
        }
        // no year at all: whatever was asked for, the coverage error says so
        None => {
            Period::fill(start, end, None).ok().flatten().unwrap_or(Period { start: *YEARS.start(), end: *YEARS.end() })
        }
    };
    Error::check_coverage(dataset, coverage, requested, what)?;
    Ok(requested)
}

/// A dataset that covers a span of years: every model a query takes periods on (the ledger,
/// capabilities, military expenditure, GDP, alliances, ideal points). Its methods resolve the
/// `start, end` of a door (`None` for a missing bound) against the coverage, so that no door
/// writes a period helper.
pub trait Covered {
    /// The dataset's name in messages (`"NMC 7.0"`, a file name).
    fn dataset_name(&self) -> String;

    /// The years it covers (`None`: it holds no year).
    fn covered(&self) -> Option<Period>;

    /// [`Period::resolve`] against this dataset: a missing bound is the coverage's, a period
    /// outside it is [`Error::Coverage`]; `what` names the query (`"ratio"`).
    fn period<Y: Year>(&self, start: Option<Y>, end: Option<Y>, what: &str) -> Result<Period> {
        resolve_in(start, end, self.covered(), &self.dataset_name(), what)
    }

    /// As [`Covered::period`], but `None` when both bounds are missing (for the metrics whose
    /// default span is not the whole coverage, e.g. one actor's years).
    fn period_opt<Y: Year>(&self, start: Option<Y>, end: Option<Y>, what: &str) -> Result<Option<Period>> {
        if start.is_none() && end.is_none() {
            return Ok(None);
        }
        self.period(start, end, what).map(Some)
    }
}

macro_rules! covered {
    ($t:ty, |$s:ident| $name:expr, |$c:ident| $cov:expr) => {
        impl Covered for $t {
            fn dataset_name(&self) -> String {
                let $s = self;
                $name.to_string()
            }
            fn covered(&self) -> Option<Period> {
                let $c = self;
                $cov
            }
        }
    };
}

covered!(crate::ledger::Ledger, |l| l.dataset(), |l| l.years());
covered!(crate::capabilities::Capabilities, |c| format!("NMC {}", c.release), |c| Some(c.coverage()));
covered!(crate::milex::Milex, |_m| "the SIPRI military expenditure table", |m| Some(m.coverage()));
covered!(crate::gdp::Maddison, |_m| "the Maddison table", |m| Some(m.coverage()));
covered!(crate::gdp::SdpGdp, |_m| "the Anders-Fariss-Markowitz table", |m| Some(m.coverage()));
covered!(crate::relations::Alliances, |a| a.source.as_str(), |a| Some(a.coverage()));
covered!(crate::relations::IdealPoints, |_i| "the UN ideal-point file", |i| Some(i.coverage()));
covered!(crate::panels::AllianceYears, |a| a.source.clone(), |a| Some(a.coverage));
covered!(
    crate::capabilities::Spells,
    |s| match s.kind {
        crate::capabilities::SpellKind::States => "the COW state list",
        crate::capabilities::SpellKind::Majors => "the COW major-power list",
    },
    |s| {
        let lo = s.spells.iter().map(|x| x.start.year).min();
        let hi = s.spells.iter().map(|x| x.end.year).max();
        lo.zip(hi).map(|(start, end)| Period { start, end })
    }
);

impl From<Period> for (i32, i32) {
    /// `(start, end)`, as the doors hand a period out.
    fn from(p: Period) -> (i32, i32) {
        (p.start, p.end)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorRegistry;
    use crate::ledger::{Coverage, Ledger, NO_DEAL};
    use std::sync::Arc;

    const COV: Period = Period { start: 1816, end: 2016 };

    #[test]
    fn years_of_both_doors_are_checked() {
        assert_eq!(2016_i32.to_year().unwrap(), 2016);
        assert_eq!(2016_i64.to_year().unwrap(), 2016);
        for bad in [0_i64, 10_000, -1, i64::MAX, i64::MIN, i32::MAX as i64 + 1] {
            let e = bad.to_year().unwrap_err().to_string();
            assert_eq!(e, format!("year {bad} is out of range (1-9999)"));
        }
        assert!(Period::from_years(i32::MIN, i32::MAX).is_err());
        assert!(Period::from_i64(2020, 2016).is_err());
        assert_eq!(Period::from_i64(2016, 2020).unwrap(), Period { start: 2016, end: 2020 });
        assert_eq!(Period::from_pair(Some((2011, 2015))).unwrap(), Some(Period { start: 2011, end: 2015 }));
        assert_eq!(Period::from_pair::<i32>(None).unwrap(), None);
        assert!(Period::from_pair(Some((2015_i64, 2011_i64))).is_err());
    }

    #[test]
    fn resolve_takes_missing_bounds_from_the_coverage_and_holds_to_it() {
        assert_eq!(Period::resolve::<i32>(None, None, COV, "NMC").unwrap(), COV);
        assert_eq!(Period::resolve(Some(2000), None, COV, "NMC").unwrap(), Period { start: 2000, end: 2016 });
        assert_eq!(Period::resolve(None, Some(1900_i64), COV, "NMC").unwrap(), Period { start: 1816, end: 1900 });
        match Period::resolve(Some(2010), Some(2020), COV, "NMC 6.0") {
            Err(Error::Coverage { dataset, coverage, requested, .. }) => {
                assert_eq!(
                    (dataset.as_str(), coverage, requested),
                    ("NMC 6.0", Some(COV), Period { start: 2010, end: 2020 })
                )
            }
            other => panic!("{other:?}"),
        }
        // a start after the coverage's end is outside it, not an empty period
        assert!(matches!(Period::resolve(Some(2020), None, COV, "NMC"), Err(Error::Coverage { .. })));
        assert!(matches!(Period::resolve(Some(2001), Some(2000), COV, "NMC"), Err(Error::InvalidArgument(_))));
        assert!(matches!(Period::resolve(Some(20016), None, COV, "NMC"), Err(Error::InvalidArgument(_))));
    }

    #[test]
    fn fill_does_not_hold_to_the_bounds() {
        assert_eq!(Period::fill::<i32>(None, None, Some(COV)).unwrap(), None);
        assert_eq!(Period::fill(None, Some(2020), Some(COV)).unwrap(), Some(Period { start: 1816, end: 2020 }));
        assert!(Period::fill(Some(2000), None, None).is_err());
        assert_eq!(Period::fill(Some(2000), Some(2001), None).unwrap(), Some(Period { start: 2000, end: 2001 }));
    }

    #[test]
    fn a_ledger_resolves_against_its_years() {
        let reg = Arc::new(ActorRegistry::builtin().clone());
        let mut l = Ledger::empty(reg.clone(), Coverage::Dyadic);
        // an empty ledger covers no year: any period is a coverage error
        assert_eq!(l.period_opt::<i32>(None, None, "world").unwrap(), None);
        assert!(matches!(l.period(Some(2000), None, "world"), Err(Error::Coverage { coverage: None, .. })));
        assert!(matches!(l.period::<i32>(None, None, "world"), Err(Error::Coverage { coverage: None, .. })));
        let (a, b) = (reg.resolve("Russia").unwrap(), reg.resolve("China").unwrap());
        l.push(a, b, 1995, 1.0, NO_DEAL);
        l.push(a, b, 2005, 1.0, NO_DEAL);
        assert_eq!(l.period_opt(Some(2000), None, "world").unwrap(), Some(Period { start: 2000, end: 2005 }));
        assert_eq!(l.period_opt(None, Some(2000), "world").unwrap(), Some(Period { start: 1995, end: 2000 }));
        assert_eq!(l.period::<i64>(None, None, "world").unwrap(), Period { start: 1995, end: 2005 });
        match l.period(Some(1990), None, "world") {
            Err(e @ Error::Coverage { .. }) => assert!(e.to_string().contains("world asks for 1990-2005"), "{e}"),
            other => panic!("{other:?}"),
        }
    }
}
