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
    /// outside 1-9999.
    pub fn new(start: i32, end: i32) -> Result<Self> {
        for y in [start, end] {
            if !(1..=9999).contains(&y) {
                return Err(Error::invalid(format!("year {y} is out of range (1-9999)")));
            }
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

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}
