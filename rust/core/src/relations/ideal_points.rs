//! UN General Assembly ideal points, by state-year (Bailey, Strezhnev & Voeten 2017, "Estimating
//! Dynamic State Preferences from United Nations Voting Data", *Journal of Conflict Resolution*
//! 61(2): 430-456), in the layout of Voeten's `IdealpointsJuly2025` file (by calendar year).
//!
//! Keyed by COW ccode. High values are closer to the US-led liberal order. A state-year without a
//! row (a state not yet a member, China before 1971) has no value; a year outside the file's span
//! is an error.

use crate::capabilities::cow_actor_name;
use crate::error::Result;
use crate::input::sheet::{RowKeys, Sheet};
use crate::input::{within, year_rows, Span};
use crate::period::Period;
use crate::table::{Table, TableBuilder};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

crate::names::option_enum! {
    /// Which of the three estimates of the file.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum IdealPointEstimate("ideal-point estimate") {
        /// `idealpointfp`: final-passage votes on resolutions only (the default).
        #[default]
        FinalPassage = ["fp", "final", "idealpointfp"],
        /// `idealpointall`: all votes, including paragraph and amendment votes.
        All = ["all", "idealpointall"],
        /// `idealpointlegacy`: the older session-based estimate.
        Legacy = ["legacy", "idealpointlegacy"],
    }
}

impl IdealPointEstimate {
    pub fn column(self) -> &'static str {
        match self {
            IdealPointEstimate::FinalPassage => "idealpointfp",
            IdealPointEstimate::All => "idealpointall",
            IdealPointEstimate::Legacy => "idealpointlegacy",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// UN ideal points, one row per state-year, columnar.
#[derive(Debug, Clone, Default)]
pub struct IdealPoints {
    pub ccode: Vec<u16>,
    pub iso3: Vec<Option<String>>,
    pub name: Vec<String>,
    pub year: Vec<i32>,
    /// Estimates in [`IdealPointEstimate`] order (fp, all, legacy); `None` where empty.
    pub estimates: [Vec<Option<f64>>; 3],
    /// The 5% and 95% posterior quantiles of `idealpointfp` (`q5fp`, `q95fp`), when the file has them.
    pub q5fp: Vec<Option<f64>>,
    pub q95fp: Vec<Option<f64>>,
    /// `nvotesfp`: number of votes behind the final-passage estimate.
    pub nvotesfp: Vec<Option<f64>>,
    coverage: Span,
    index: HashMap<(u16, i32), usize>,
    by_year: BTreeMap<i32, Vec<usize>>,
}

/// Read an ideal-point CSV (`ccode, year, idealpointfp, idealpointall, idealpointlegacy`, ...).
/// `idealpointall` and `idealpointlegacy` may be absent (read as missing). Years must lie in
/// 1600-2100 and ccodes in 1-999 (see [`crate::input`]).
pub fn read_ideal_points(path: &Path) -> Result<IdealPoints> {
    crate::input::read_with(path, parse_ideal_points)
}

/// As [`read_ideal_points`], for text in memory (`path` names it in errors).
pub fn parse_ideal_points(text: &str, path: &Path) -> Result<IdealPoints> {
    let sheet = Sheet::parse(text, path, "a UN ideal-point file")?;
    let [c_ccode, c_year, c_fp] = sheet.need_all(["ccode", "year", "idealpointfp"])?;
    let c_est = [Some(c_fp), sheet.find("idealpointall"), sheet.find("idealpointlegacy")];
    let c_iso = sheet.find("iso3c");
    let c_name = sheet.find("countryname");
    let c_q5 = sheet.find("q5fp");
    let c_q95 = sheet.find("q95fp");
    let c_nv = sheet.find("nvotesfp");
    let mut ip = IdealPoints::default();
    let mut keys = RowKeys::with_capacity(sheet.len());
    for row in sheet.data() {
        let row = row?;
        let (ccode, year) = row.state_year(c_ccode, c_year, &mut keys)?;
        for e in IdealPointEstimate::ALL {
            ip.estimates[e.index()].push(row.opt_f64(c_est[e.index()], e.column())?);
        }
        ip.q5fp.push(row.opt_f64(c_q5, "q5fp")?);
        ip.q95fp.push(row.opt_f64(c_q95, "q95fp")?);
        ip.nvotesfp.push(row.opt_f64(c_nv, "nvotesfp")?);
        ip.ccode.push(ccode);
        ip.iso3.push(row.text_opt(c_iso)?);
        ip.name.push(row.text_or_empty(c_name)?);
        ip.by_year.entry(year).or_default().push(ip.year.len());
        ip.year.push(year);
    }
    ip.coverage = Span::of(&ip.year);
    ip.index = keys.into_index();
    Ok(ip)
}

year_rows!(IdealPoints, "state-year rows", "First and last year of the file (1946-2024 for the July 2025 release).");

impl IdealPoints {
    /// The row of a state-year, if the file has one.
    pub(crate) fn row(&self, ccode: u16, year: i32) -> Option<usize> {
        self.index.get(&(ccode, year)).copied()
    }

    /// A state's ideal point in a year (`None`: no row, or the estimate is empty).
    pub fn value(&self, ccode: u16, year: i32, e: IdealPointEstimate) -> Option<f64> {
        self.index.get(&(ccode, year)).and_then(|&i| self.estimates[e.index()][i])
    }

    /// A state's series over `period` (default: the coverage, which it may not leave), one
    /// `(year, value)` per year.
    pub fn series(&self, ccode: u16, e: IdealPointEstimate, period: Option<Period>) -> Result<Vec<(i32, Option<f64>)>> {
        let p = within("the UN ideal-point file", self.coverage(), period)?;
        Ok(p.years().map(|y| (y, self.value(ccode, y, e))).collect())
    }

    /// The ccodes with a row in `year`, ascending (an error outside the coverage).
    pub fn states_in(&self, year: i32) -> Result<Vec<u16>> {
        within("the UN ideal-point file", self.coverage(), Some(Period::year(year)))?;
        let mut v: Vec<u16> =
            self.by_year.get(&year).map(|r| r.iter().map(|&i| self.ccode[i]).collect()).unwrap_or_default();
        v.sort_unstable();
        Ok(v)
    }

    /// The distance between two states' ideal points in a year, `|x_a - x_b|` (Bailey,
    /// Strezhnev & Voeten 2017); `None` when either is missing.
    pub fn distance(&self, a: u16, b: u16, year: i32, e: IdealPointEstimate) -> Option<f64> {
        Some((self.value(a, year, e)? - self.value(b, year, e)?).abs())
    }
}

/// Every state-year row in `period` (default: the coverage).
///
/// Columns: `ccode, iso3, name, actor, year, ideal_point` (the chosen estimate), `q5, q95`
/// (final-passage quantiles), `nvotes`.
pub fn ideal_point_table(ip: &IdealPoints, e: IdealPointEstimate, period: Option<Period>) -> Result<Table> {
    let p = within("the UN ideal-point file", ip.coverage(), period)?;
    let rows: Vec<usize> = (0..ip.len()).filter(|&i| p.contains(ip.year[i])).collect();
    TableBuilder::new()
        .i64("ccode", rows.iter().map(|&i| ip.ccode[i] as i64).collect())
        .str_opt("iso3", rows.iter().map(|&i| ip.iso3[i].clone()).collect())
        .str("name", rows.iter().map(|&i| ip.name[i].as_str()).collect())
        .str_opt("actor", rows.iter().map(|&i| cow_actor_name(ip.ccode[i], ip.year[i])).collect())
        .i64("year", rows.iter().map(|&i| ip.year[i] as i64).collect())
        .f64_opt("ideal_point", rows.iter().map(|&i| ip.estimates[e.index()][i]).collect())
        .f64_opt("q5", rows.iter().map(|&i| ip.q5fp[i]).collect())
        .f64_opt("q95", rows.iter().map(|&i| ip.q95fp[i]).collect())
        .f64_opt("nvotes", rows.iter().map(|&i| ip.nvotesfp[i]).collect())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::testing::error_at;

    const T: &str = "ccode,iso3c,countryname,year,idealpointfp,idealpointall,idealpointlegacy,nvotesfp,q5fp,q95fp
2,USA,United States,1990,2.959,3.0,,80,2.8,3.1
365,RUS,Russia,1990,-0.104,,,80,-0.2,0.0
710,CHN,China,1990,-0.149,-0.1,,80,-0.3,0.0
2,USA,United States,1991,2.9,,,80,,
";

    #[test]
    fn reads_and_measures_distance() {
        let ip = parse_ideal_points(T, Path::new("i.csv")).unwrap();
        assert_eq!(ip.len(), 4);
        assert_eq!(ip.coverage(), Period { start: 1990, end: 1991 });
        assert_eq!(ip.value(2, 1990, IdealPointEstimate::FinalPassage), Some(2.959));
        assert_eq!(ip.value(365, 1990, IdealPointEstimate::All), None);
        assert!((ip.distance(710, 365, 1990, IdealPointEstimate::FinalPassage).unwrap() - 0.045).abs() < 1e-12);
        assert_eq!(ip.distance(710, 365, 1991, IdealPointEstimate::FinalPassage), None);
        assert_eq!(ip.states_in(1990).unwrap(), vec![2, 365, 710]);
        assert!(ip.states_in(1989).is_err());
        assert_eq!(
            ip.series(710, IdealPointEstimate::FinalPassage, None).unwrap(),
            vec![(1990, Some(-0.149)), (1991, None)]
        );
        assert!(ip.series(710, IdealPointEstimate::FinalPassage, Some(Period { start: 1990, end: 1992 })).is_err());
        let t = ideal_point_table(&ip, IdealPointEstimate::FinalPassage, Some(Period::year(1990))).unwrap();
        assert_eq!(t.strings("actor").unwrap()[1].as_deref(), Some("Soviet Union"));
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(error_at(parse_ideal_points, T, "-0.149", "-0.1x9"), (4, 5, Some("idealpointfp".into())));
        let dup = format!("{T}2,USA,United States,1991,2.9,,,80,,\n");
        assert!(matches!(parse_ideal_points(&dup, Path::new("d.csv")), Err(Error::Parse { line: 6, .. })));
        assert!(matches!(parse_ideal_points("ccode,year\n2,1990\n", Path::new("h.csv")), Err(Error::Format { .. })));
    }
}
