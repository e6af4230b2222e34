//! Readers for the COW state system membership list (`states2016.csv`) and the major-power list
//! (`majors2016.csv`): spells of membership keyed by COW ccode.

use crate::error::Result;
use crate::input::sheet::Sheet;
use crate::table::{Table, TableBuilder};
use std::path::Path;

/// A calendar date as COW gives it (year, month, day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// One spell: a state is a member (of the system, or of the major powers) from `start` to `end`,
/// both included.
#[derive(Debug, Clone, PartialEq)]
pub struct Spell {
    pub ccode: u16,
    pub stateabb: String,
    /// The state's name (`statenme`; only the state list has it).
    pub name: Option<String>,
    pub start: Date,
    pub end: Date,
}

/// Which COW list a [`Spells`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpellKind {
    /// State system membership (`states2016.csv`).
    States,
    /// Major powers (`majors2016.csv`).
    Majors,
}

impl SpellKind {
    /// `"states"` or `"majors"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpellKind::States => "states",
            SpellKind::Majors => "majors",
        }
    }
}

/// The spells of a COW membership list, in file order.
#[derive(Debug, Clone)]
pub struct Spells {
    pub kind: SpellKind,
    pub spells: Vec<Spell>,
    /// The `version` column (2016 for the v2016 lists).
    pub version: Option<String>,
}

impl Spells {
    /// Is `ccode` a member at any time during `year`? (A spell counts for every year it touches,
    /// so a state that joins on 25 October 1860 is a member in 1860.)
    pub fn is_member(&self, ccode: u16, year: i32) -> bool {
        self.spells.iter().any(|s| s.ccode == ccode && s.start.year <= year && year <= s.end.year)
    }

    /// Every ccode that is a member at any time during `year`, ascending.
    pub fn members(&self, year: i32) -> Vec<u16> {
        let mut v: Vec<u16> =
            self.spells.iter().filter(|s| s.start.year <= year && year <= s.end.year).map(|s| s.ccode).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The COW abbreviation of a ccode (each ccode has one).
    pub fn stateabb(&self, ccode: u16) -> Option<&str> {
        self.spells.iter().find(|s| s.ccode == ccode).map(|s| s.stateabb.as_str())
    }

    /// The state's name (state list only).
    pub fn name(&self, ccode: u16) -> Option<&str> {
        self.spells.iter().find(|s| s.ccode == ccode).and_then(|s| s.name.as_deref())
    }

    /// The ccode of a COW abbreviation (case-insensitive).
    pub fn ccode_of(&self, stateabb: &str) -> Option<u16> {
        self.spells.iter().find(|s| s.stateabb.eq_ignore_ascii_case(stateabb.trim())).map(|s| s.ccode)
    }

    /// The spells as a table: `ccode, stateabb, statenme, start_year, start_month, start_day,
    /// end_year, end_month, end_day` (`statenme` null on the major-power list).
    pub fn table(&self) -> Result<Table> {
        let s = &self.spells;
        let date = |f: fn(&Spell) -> i64| s.iter().map(f).collect::<Vec<i64>>();
        TableBuilder::new()
            .i64("ccode", date(|x| x.ccode as i64))
            .str("stateabb", s.iter().map(|x| x.stateabb.as_str()).collect())
            .str_opt("statenme", s.iter().map(|x| x.name.as_deref()).collect())
            .i64("start_year", date(|x| x.start.year as i64))
            .i64("start_month", date(|x| x.start.month as i64))
            .i64("start_day", date(|x| x.start.day as i64))
            .i64("end_year", date(|x| x.end.year as i64))
            .i64("end_month", date(|x| x.end.month as i64))
            .i64("end_day", date(|x| x.end.day as i64))
            .build()
    }

    /// Number of distinct ccodes.
    pub fn n_states(&self) -> usize {
        let mut v: Vec<u16> = self.spells.iter().map(|s| s.ccode).collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    }
}

/// Read COW's state system membership list (`states2016.csv`: stateabb, ccode, statenme,
/// styear, stmonth, stday, endyear, endmonth, endday, version).
pub fn read_states(path: &Path) -> Result<Spells> {
    crate::input::read_with(path, |text, path| parse_spells(text, path, SpellKind::States))
}

/// Read COW's major-power list (`majors2016.csv`: stateabb, ccode, styear, stmonth, stday,
/// endyear, endmonth, endday, version).
pub fn read_majors(path: &Path) -> Result<Spells> {
    crate::input::read_with(path, |text, path| parse_spells(text, path, SpellKind::Majors))
}

/// Parse either list from text; the columns are found by name, so `stateabb` and `statenme`
/// are optional, the dates and `ccode` required. Years must lie in 1600-2100 and ccodes in 1-999
/// (see [`crate::input`]).
pub fn parse_spells(text: &str, path: &Path, kind: SpellKind) -> Result<Spells> {
    let sheet = Sheet::parse(text, path, "a COW state or major-power list")?;
    let c_ccode = sheet.need("ccode")?;
    let dates: Vec<usize> = ["styear", "stmonth", "stday", "endyear", "endmonth", "endday"]
        .iter()
        .map(|c| sheet.need(c))
        .collect::<Result<_>>()?;
    let c_abb = sheet.find("stateabb");
    let c_name = sheet.find("statenme");
    let c_version = sheet.find("version");
    let mut spells = Vec::with_capacity(sheet.len());
    let mut version = None;
    for row in sheet.rows() {
        let row = row?;
        let ccode = row.ccode(c_ccode, "ccode")?;
        let date = |i: usize| -> Result<Date> {
            let year = row.year(dates[i], "year", crate::input::STATE_YEARS)?;
            let month: u8 = row.int(dates[i + 1], "month")?;
            let day: u8 = row.int(dates[i + 2], "day")?;
            if !(1..=12).contains(&month) {
                return Err(row.err(dates[i + 1], format!("month {month} is not 1-12")));
            }
            if !(1..=31).contains(&day) {
                return Err(row.err(dates[i + 2], format!("day {day} is not 1-31")));
            }
            Ok(Date { year, month, day })
        };
        let start = date(0)?;
        let end = date(3)?;
        if end < start {
            return Err(
                row.err(dates[3], format!("the spell ends ({}-{}-{}) before it starts", end.year, end.month, end.day))
            );
        }
        let stateabb = row.text_or_empty(c_abb)?;
        let name = match c_name {
            Some(c) => Some(row.text(c)?),
            None => None,
        };
        if version.is_none() {
            if let Some(c) = c_version {
                version = Some(row.text(c)?);
            }
        }
        spells.push(Spell { ccode, stateabb, name, start, end });
    }
    Ok(Spells { kind, spells, version })
}
