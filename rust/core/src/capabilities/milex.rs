//! SIPRI Military Expenditure Database: the long country-year table built from the workbook's
//! Constant (2023) US$, Current US$ and Share of GDP sheets (`sipri_milex_1949_2024_long.csv`).
//!
//! Rows are keyed by COW ccode and year, and each state-year is named by its registry actor
//! ([`crate::capabilities::cow_actor`]). SIPRI keeps the USSR and Russia in separate rows that share
//! ccode 365; [`Milex::value`] takes the one row of a ccode-year that has a value and never sums
//! rows.
//!
//! **Placeholder zeros.** The source's Current US$ sheet has `0.0` where SIPRI has no figure:
//! Russia 1987-1990 and 1992, the USSR-bloc states (GDR, Czechoslovakia, Yugoslavia, Albania),
//! North Korea 1986-2014, Taiwan 1976-1987, and others. Real zero spending is recorded only for
//! the states without (or with almost no) armed forces, and these are exactly the countries with a
//! zero in the constant-dollar sheet (Costa Rica, Iceland, Panama, Haiti, Mauritania). The reader's
//! rule: a zero in the current-US$ or share-of-GDP column is a **missing value** unless the same
//! country has a zero somewhere in its constant-US$ column; constant-US$ zeros are kept. The rows
//! whose zero was dropped are listed in [`Milex::placeholder_zeros`].
//!
//! Source: SIPRI Military Expenditure Database, 2025 release (data 1949-2024),
//! <https://www.sipri.org/databases/milex>.

use crate::actors::ActorRegistry;
use crate::capabilities::cow_actor_name;
use crate::error::{Error, Result};
use crate::input::sheet::{RowKeys, Sheet};
use crate::input::{within, year_rows, Span};
use crate::period::Period;
use crate::table::{Table, TableBuilder};
use std::collections::{HashMap, HashSet};
use std::path::Path;

crate::names::option_enum! {
    /// One of the three expenditure series of the long table.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum MilexSeries("military expenditure series") {
        /// Millions of constant (2023) US$.
        Constant = ["constant", "const", "constant_usd"],
        /// Millions of current US$.
        Current = ["current", "current_usd"],
        /// Military expenditure as a fraction of GDP (0.034 = 3.4%).
        ShareGdp = ["share_gdp", "share", "gdp_share"],
    }
}

impl MilexSeries {
    fn index(self) -> usize {
        self as usize
    }

    fn columns(self) -> (&'static str, &'static str) {
        match self {
            MilexSeries::Constant => ("milex_const2023_usd_m", "const_flag"),
            MilexSeries::Current => ("milex_current_usd_m", "current_flag"),
            MilexSeries::ShareGdp => ("milex_share_gdp", "share_gdp_flag"),
        }
    }
}

/// SIPRI's status of a figure (the workbook's font colour or placeholder).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MilexFlag {
    /// `R`: reported (black).
    Reported,
    /// `E`: SIPRI estimate (blue).
    Estimate,
    /// `U`: highly uncertain (red).
    Uncertain,
    /// `NA`: unavailable (`...` in the sheet).
    Unavailable,
    /// `X`: the state did not exist or was not independent (`xxx`).
    NotIndependent,
}

impl MilexFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            MilexFlag::Reported => "R",
            MilexFlag::Estimate => "E",
            MilexFlag::Uncertain => "U",
            MilexFlag::Unavailable => "NA",
            MilexFlag::NotIndependent => "X",
        }
    }

    fn parse(s: &str) -> Option<MilexFlag> {
        Some(match s {
            "R" => MilexFlag::Reported,
            "E" => MilexFlag::Estimate,
            "U" => MilexFlag::Uncertain,
            "NA" | "" => MilexFlag::Unavailable,
            "X" => MilexFlag::NotIndependent,
            _ => return None,
        })
    }
}

/// SIPRI military expenditure, one row per country-year of the source, columnar.
#[derive(Debug, Clone, Default)]
pub struct Milex {
    pub country: Vec<String>,
    pub iso3: Vec<Option<String>>,
    pub ccode: Vec<Option<u16>>,
    pub region: Vec<String>,
    pub year: Vec<i32>,
    /// Values by series ([`MilexSeries`] order: constant, current, share of GDP); `None` is missing.
    pub values: [Vec<Option<f64>>; 3],
    /// Flags by series, same order.
    pub flags: [Vec<MilexFlag>; 3],
    pub notes: Vec<String>,
    /// `(row, series)` of each zero read as a missing value (see the module docs).
    pub placeholder_zeros: Vec<(usize, MilexSeries)>,
    /// `(ccode, year, series)` where two rows sharing a ccode both have a value; [`Milex::value`]
    /// takes the first. Empty for the 2025 release.
    pub conflicts: Vec<(u16, i32, MilexSeries)>,
    coverage: Span,
    index: HashMap<(u16, i32), Vec<usize>>,
}

/// Read SIPRI's long military-expenditure CSV (see the module docs for the zero rule). Years
/// must lie in 1600-2100 and ccodes in 1-999 (see [`crate::input`]).
pub fn read_milex(path: &Path) -> Result<Milex> {
    crate::input::read_with(path, parse_milex)
}

/// As [`read_milex`], for text in memory (`path` names it in errors).
pub fn parse_milex(text: &str, path: &Path) -> Result<Milex> {
    let sheet = Sheet::parse(text, path, "a SIPRI military expenditure long table")?;
    let [c_country, c_year, c_ccode] = sheet.need_all(["country", "year", "ccode"])?;
    let c_iso = sheet.find("iso3c");
    let c_region = sheet.find("region");
    let c_notes = sheet.find("notes");
    let mut c_series = [(0usize, 0usize); 3];
    for s in MilexSeries::ALL {
        let (v, f) = s.columns();
        c_series[s.index()] = (sheet.need(v)?, sheet.need(f)?);
    }
    let mut m = Milex::default();
    let mut keys = RowKeys::with_capacity(sheet.len());
    for row in sheet.data() {
        let row = row?;
        let country = row.text(c_country)?;
        if country.is_empty() {
            return Err(row.err(c_country, "the country is empty".into()));
        }
        let year = row.year(c_year, "year", crate::input::STATE_YEARS)?;
        keys.insert(&row, c_year, (country.clone(), year), || format!("{country} {year}"))?;
        let ccode = match row.cell(c_ccode)? {
            "" => None,
            _ => Some(row.ccode(c_ccode, "ccode")?),
        };
        for s in MilexSeries::ALL {
            let (cv, cf) = c_series[s.index()];
            let v = row.opt_nonnegative(cv, s.columns().0)?;
            let fs = row.cell(cf)?;
            let flag = MilexFlag::parse(fs)
                .ok_or_else(|| row.err(cf, format!("unknown flag {fs:?}; expected R, E, U, NA or X")))?;
            m.values[s.index()].push(v);
            m.flags[s.index()].push(flag);
        }
        m.country.push(country);
        m.iso3.push(row.text_opt(c_iso)?);
        m.ccode.push(ccode);
        m.region.push(row.text_or_empty(c_region)?);
        m.year.push(year);
        m.notes.push(row.text_or_empty(c_notes)?);
    }
    // The zero rule.
    let n = m.len();
    let real_zero: HashSet<&str> = (0..n)
        .filter(|&i| m.values[MilexSeries::Constant.index()][i] == Some(0.0))
        .map(|i| m.country[i].as_str())
        .collect();
    let mut dropped = vec![];
    for s in [MilexSeries::Current, MilexSeries::ShareGdp] {
        for i in 0..n {
            if m.values[s.index()][i] == Some(0.0) && !real_zero.contains(m.country[i].as_str()) {
                dropped.push((i, s));
            }
        }
    }
    for &(i, s) in &dropped {
        m.values[s.index()][i] = None;
    }
    m.placeholder_zeros = dropped;
    for i in 0..n {
        if let Some(c) = m.ccode[i] {
            m.index.entry((c, m.year[i])).or_default().push(i);
        }
    }
    let mut conflicts = vec![];
    for (&(c, y), rows) in &m.index {
        for s in MilexSeries::ALL {
            if rows.iter().filter(|&&i| m.values[s.index()][i].is_some()).count() > 1 {
                conflicts.push((c, y, s));
            }
        }
    }
    conflicts.sort_by_key(|&(c, y, s)| (c, y, s.index()));
    m.conflicts = conflicts;
    m.coverage = Span::of(&m.year);
    Ok(m)
}

year_rows!(Milex, "country-year rows", "The years the table covers (1949-2024 for the 2025 release).");

impl Milex {
    /// The value of a state-year: the one row of the ccode-year with a value (SIPRI's USSR and
    /// Russia rows share 365 but never both have one). `None`: no row, or missing.
    pub fn value(&self, ccode: u16, year: i32, s: MilexSeries) -> Option<f64> {
        self.row_with_value(ccode, year, s).and_then(|i| self.values[s.index()][i])
    }

    /// The flag of a state-year's value (of the row that has the value, else of the first row).
    pub fn flag(&self, ccode: u16, year: i32, s: MilexSeries) -> Option<MilexFlag> {
        let rows = self.index.get(&(ccode, year))?;
        let i = self.row_with_value(ccode, year, s).unwrap_or(rows[0]);
        Some(self.flags[s.index()][i])
    }

    fn row_with_value(&self, ccode: u16, year: i32, s: MilexSeries) -> Option<usize> {
        self.index.get(&(ccode, year))?.iter().copied().find(|&i| self.values[s.index()][i].is_some())
    }

    /// A state's series over `period` (default: the coverage; it may not leave the coverage),
    /// one `(year, value)` per year, `None` where SIPRI has no figure. The shape of
    /// [`crate::metrics::transition::Point`].
    pub fn series(&self, ccode: u16, s: MilexSeries, period: Option<Period>) -> Result<Vec<(i32, Option<f64>)>> {
        let p = within("the SIPRI military expenditure table", self.coverage(), period)?;
        if !self.index.keys().any(|&(c, _)| c == ccode) {
            return Err(Error::invalid(format!("ccode {ccode} has no row in the SIPRI military expenditure table")));
        }
        Ok(p.years().map(|y| (y, self.value(ccode, y, s))).collect())
    }

    /// The ccodes with a row, ascending.
    pub fn ccodes(&self) -> Vec<u16> {
        let mut v: Vec<u16> = self.ccode.iter().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// A state given as a ccode (`"710"`), a SIPRI country name (`"China"`) or any name the actor
    /// registry knows, as its ccode.
    pub fn resolve_state(&self, registry: &ActorRegistry, name: &str) -> Result<u16> {
        let t = name.trim();
        if let Ok(c) = t.parse::<u16>() {
            return Ok(c);
        }
        if let Some(i) = self.country.iter().position(|c| c.eq_ignore_ascii_case(t)) {
            if let Some(c) = self.ccode[i] {
                return Ok(c);
            }
        }
        let id = registry.resolve(t)?;
        registry
            .get(id)
            .cow_code
            .ok_or_else(|| Error::invalid(format!("{:?} has no Correlates of War code", registry.name(id))))
    }
}

/// The source rows of one series over `period` (default: the coverage), as a table.
///
/// Columns: `country, iso3, ccode, actor, year, value, flag`. `actor` is the registry actor of
/// the ccode in that year ([`cow_actor`]). Values are the source's, with placeholder zeros read as
/// missing.
pub fn milex_table(m: &Milex, s: MilexSeries, period: Option<Period>) -> Result<Table> {
    let p = within("the SIPRI military expenditure table", m.coverage(), period)?;
    let rows: Vec<usize> = (0..m.len()).filter(|&i| p.contains(m.year[i])).collect();
    TableBuilder::new()
        .str("country", rows.iter().map(|&i| m.country[i].as_str()).collect())
        .str_opt("iso3", rows.iter().map(|&i| m.iso3[i].clone()).collect())
        .i64_opt("ccode", rows.iter().map(|&i| m.ccode[i].map(i64::from)).collect())
        .str_opt("actor", rows.iter().map(|&i| m.ccode[i].and_then(|c| cow_actor_name(c, m.year[i]))).collect())
        .i64("year", rows.iter().map(|&i| m.year[i] as i64).collect())
        .f64_opt("value", rows.iter().map(|&i| m.values[s.index()][i]).collect())
        .str("flag", rows.iter().map(|&i| m.flags[s.index()][i].as_str()).collect())
        .build()
}

/// The states with a value in `year`, ranked by a series, largest first (ties by ascending
/// ccode). `share` is each state's fraction of the ranked states' total (meaningful for the
/// dollar series: `share_i = x_i / sum_j x_j`).
///
/// Columns: `rank, ccode, country, actor, value, share, flag`.
pub fn milex_rank(m: &Milex, year: i32, s: MilexSeries) -> Result<Table> {
    within("the SIPRI military expenditure table", m.coverage(), Some(Period::year(year)))?;
    let mut rows: Vec<(u16, usize, f64)> = vec![];
    for c in m.ccodes() {
        if let Some(i) = m.row_with_value(c, year, s) {
            rows.push((c, i, m.values[s.index()][i].unwrap_or(0.0)));
        }
    }
    rows.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let total: f64 = rows.iter().map(|r| r.2).sum();
    TableBuilder::new()
        .i64("rank", (1..=rows.len() as i64).collect())
        .i64("ccode", rows.iter().map(|r| r.0 as i64).collect())
        .str("country", rows.iter().map(|r| m.country[r.1].as_str()).collect())
        .str_opt("actor", rows.iter().map(|r| cow_actor_name(r.0, year)).collect())
        .f64("value", rows.iter().map(|r| r.2).collect())
        .f64_opt("share", rows.iter().map(|r| (total > 0.0).then(|| r.2 / total)).collect())
        .str("flag", rows.iter().map(|r| m.flags[s.index()][r.1].as_str()).collect())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::error_at;

    const T: &str = "country,iso3c,ccode,region,subregion,year,milex_const2023_usd_m,const_flag,milex_current_usd_m,current_flag,milex_share_gdp,share_gdp_flag,notes
Russia,RUS,365,Europe,Eastern Europe,1990,,NA,0,E,,NA,83
Russia,RUS,365,Europe,Eastern Europe,1992,47565.8,E,0,E,0.0443,E,83
USSR,,365,Europe,Eastern Europe,1990,221760.3,E,219114.1,E,,NA,
USSR,,365,Europe,Eastern Europe,1992,,X,,X,,X,
Iceland,ISL,395,Europe,Western Europe,1990,0,R,0.0,R,0,R,
Iceland,ISL,395,Europe,Western Europe,1992,0,R,0,R,0,R,
";

    fn m() -> Milex {
        parse_milex(T, Path::new("m.csv")).unwrap()
    }

    #[test]
    fn placeholder_zeros_are_missing_real_zeros_kept() {
        let m = m();
        assert_eq!(m.len(), 6);
        assert_eq!(m.coverage(), Period { start: 1990, end: 1992 });
        // Russia's current-US$ zeros are placeholders; the USSR row gives 1990.
        assert_eq!(m.value(365, 1990, MilexSeries::Current), Some(219114.1));
        assert_eq!(m.value(365, 1992, MilexSeries::Current), None);
        assert_eq!(m.value(365, 1992, MilexSeries::Constant), Some(47565.8));
        assert_eq!(m.flag(365, 1992, MilexSeries::Constant), Some(MilexFlag::Estimate));
        assert_eq!(m.value(365, 1992, MilexSeries::ShareGdp), Some(0.0443));
        // Iceland spends nothing: zeros are values.
        assert_eq!(m.value(395, 1990, MilexSeries::Current), Some(0.0));
        assert_eq!(m.value(395, 1992, MilexSeries::ShareGdp), Some(0.0));
        assert_eq!(m.placeholder_zeros.len(), 2);
        assert!(m.conflicts.is_empty());
        assert_eq!(m.ccodes(), vec![365, 395]);
    }

    #[test]
    fn series_respect_coverage() {
        let m = m();
        let s = m.series(365, MilexSeries::Constant, None).unwrap();
        assert_eq!(s, vec![(1990, Some(221760.3)), (1991, None), (1992, Some(47565.8))]);
        assert!(m.series(365, MilexSeries::Constant, Some(Period { start: 1989, end: 1992 })).is_err());
        assert!(m.series(2, MilexSeries::Constant, None).is_err());
        let t = milex_table(&m, MilexSeries::Constant, Some(Period::year(1992))).unwrap();
        assert_eq!(t.num_rows(), 3);
        assert_eq!(t.strings("actor").unwrap()[0].as_deref(), Some("Russia"));
    }

    #[test]
    fn rank_and_shares() {
        let m = m();
        let t = milex_rank(&m, 1990, MilexSeries::Constant).unwrap();
        assert_eq!(t.i64s("ccode").unwrap(), vec![Some(365), Some(395)]);
        assert_eq!(t.f64s("share").unwrap(), vec![Some(1.0), Some(0.0)]);
        assert_eq!(t.strings("actor").unwrap()[0].as_deref(), Some("Soviet Union"));
        assert!(milex_rank(&m, 2000, MilexSeries::Constant).is_err());
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(error_at(parse_milex, T, "47565.8,E", "47x65.8,E"), (3, 7, Some("milex_const2023_usd_m".into())));
        let flag = T.replace("47565.8,E", "47565.8,Q");
        assert!(matches!(parse_milex(&flag, Path::new("b.csv")), Err(Error::Parse { line: 3, column: 8, .. })));
        assert!(matches!(parse_milex("country,year\nA,1\n", Path::new("h.csv")), Err(Error::Format { line: 1, .. })));
        assert!(matches!(parse_milex("", Path::new("e.csv")), Err(Error::Empty { .. })));
        let dup = format!("{T}Iceland,ISL,395,Europe,Western Europe,1992,0,R,0,R,0,R,\n");
        assert!(matches!(parse_milex(&dup, Path::new("d.csv")), Err(Error::Parse { line: 8, .. })));
        assert_eq!(MilexSeries::parse("Constant").unwrap(), MilexSeries::Constant);
        assert!(MilexSeries::parse("x").is_err());
    }
}
