//! GDP and population: the Maddison Project Database 2023 and the Anders, Fariss & Markowitz
//! (2020) GDP/SDP estimates.
//!
//! - Maddison (Bolt & van Zanden 2024, "Maddison style estimates of the evolution of the world
//!   economy: A new 2023 update", *Journal of Economic Surveys*): GDP per capita in 2011
//!   international dollars (PPP) and population in thousands, keyed by ISO3. Total GDP is derived:
//!   `GDP = gdppc * pop * 1000` (2011 int'l $), only where both are given. The former federations
//!   `SUN`, `CSK` and `YUG` run to 2022 alongside their successor states; rows after the
//!   federation's end (1991 for SUN and YUG, 1992 for CSK) are flagged as aggregates and are never
//!   reached through a COW code nor ranked, so nothing is counted twice.
//! - Anders, Fariss & Markowitz (2020), "Bread Before Guns or Butter: Introducing Surplus Domestic
//!   Product (SDP)", *International Studies Quarterly* 64(2): 392-405, as `peacesciencer` ships it
//!   (`cow_sdp_gdp`): every value is `ln(x + 1)` rounded to 3 decimals; the reader gives back
//!   `x = exp(v) - 1` (relative rounding error up to about 0.05%).
//!
//! COW codes reach Maddison's ISO3 through the actor registry, by year ([`cow_actor`]: 365 is the
//! Soviet Union (`SUN`) through 1991 and Russia (`RUS`) from 1992).

use crate::actors::ActorRegistry;
use crate::capabilities::{cow_actor, cow_actor_name};
use crate::error::{Error, Result};
use crate::input::sheet::{RowKeys, Sheet};
use crate::input::{within, year_rows, Span};
use crate::period::Period;
use crate::table::{Table, TableBuilder};
use std::collections::HashMap;
use std::path::Path;

/// The former federations of Maddison's table and their last year as a state.
pub const MADDISON_FEDERATIONS: [(&str, i32); 3] = [("SUN", 1991), ("CSK", 1992), ("YUG", 1991)];

crate::names::option_enum! {
    /// An economic quantity.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum EconMeasure("economic measure") {
        /// Real GDP (Maddison: 2011 int'l $; AFM: 2011 PPP US$).
        Gdp = ["gdp"],
        /// Real GDP per capita (same units).
        GdpPerCapita = ["gdppc", "gdp_per_capita"],
        /// Population (Maddison: thousands; AFM: persons).
        Population = ["pop", "population"],
        /// Surplus domestic product (AFM only).
        Sdp = ["sdp"],
    }
}

/// Maddison Project Database rows, columnar.
#[derive(Debug, Clone, Default)]
pub struct Maddison {
    pub iso3: Vec<String>,
    pub country: Vec<String>,
    pub region: Vec<String>,
    pub year: Vec<i32>,
    /// GDP per capita, 2011 int'l $.
    pub gdppc: Vec<Option<f64>>,
    /// Population, thousands.
    pub pop: Vec<Option<f64>>,
    coverage: Span,
    index: HashMap<(String, i32), usize>,
}

/// Read `maddison_mpd2023.csv` (`iso3c, country, region, year, gdppc, pop`). Years must lie in
/// 1-2100 (see [`crate::input`]).
pub fn read_maddison(path: &Path) -> Result<Maddison> {
    crate::input::read_with(path, parse_maddison)
}

/// As [`read_maddison`], for text in memory (`path` names it in errors).
pub fn parse_maddison(text: &str, path: &Path) -> Result<Maddison> {
    let sheet = Sheet::parse(text, path, "a Maddison Project table")?;
    let [c_iso, c_year, c_pc, c_pop] = sheet.need_all(["iso3c", "year", "gdppc", "pop"])?;
    let c_country = sheet.find("country");
    let c_region = sheet.find("region");
    let mut m = Maddison::default();
    let mut keys = RowKeys::with_capacity(sheet.len());
    for row in sheet.data() {
        let row = row?;
        let iso = row.text(c_iso)?.to_ascii_uppercase();
        if iso.is_empty() {
            return Err(row.err(c_iso, "the ISO3 code is empty".into()));
        }
        let year = row.year(c_year, "year", crate::input::MADDISON_YEARS)?;
        keys.insert(&row, c_year, (iso.clone(), year), || format!("{iso} {year}"))?;
        m.gdppc.push(row.opt_nonnegative(c_pc, "gdppc")?);
        m.pop.push(row.opt_nonnegative(c_pop, "pop")?);
        m.iso3.push(iso);
        m.country.push(row.text_or_empty(c_country)?);
        m.region.push(row.text_or_empty(c_region)?);
        m.year.push(year);
    }
    m.coverage = Span::of(&m.year);
    m.index = keys.into_index();
    Ok(m)
}

year_rows!(
    Maddison,
    "country-year rows",
    "First and last year of the table (1-2022 for the 2023 release; sparse before 1820)."
);

impl Maddison {
    /// Is row `i` a former federation after its end (`SUN` from 1992, ...)?
    pub fn is_aggregate(&self, i: usize) -> bool {
        MADDISON_FEDERATIONS.iter().any(|(iso, last)| self.iso3[i] == *iso && self.year[i] > *last)
    }

    fn measure_at(&self, i: usize, m: EconMeasure) -> Result<Option<f64>> {
        Ok(match m {
            EconMeasure::GdpPerCapita => self.gdppc[i],
            EconMeasure::Population => self.pop[i],
            EconMeasure::Gdp => match (self.gdppc[i], self.pop[i]) {
                (Some(pc), Some(p)) => Some(pc * p * 1000.0),
                _ => None,
            },
            EconMeasure::Sdp => {
                return Err(Error::invalid(
                    "the Maddison table has no surplus domestic product (sdp is in the Anders-Fariss-Markowitz data)",
                ))
            }
        })
    }

    /// A value by ISO3 and year: `gdppc`, `pop` as given; `gdp = gdppc * pop * 1000`.
    /// `None`: no row (Maddison is sparse before 1820) or a missing component.
    pub fn value(&self, iso3: &str, year: i32, m: EconMeasure) -> Result<Option<f64>> {
        match self.index.get(&(iso3.to_ascii_uppercase(), year)) {
            Some(&i) => self.measure_at(i, m),
            None => Ok(None),
        }
    }

    /// The ISO3 code Maddison uses for a COW state in a year (through the registry actor of the
    /// ccode-year), if the registry has one.
    pub fn iso3_of_cow(registry: &ActorRegistry, ccode: u16, year: i32) -> Option<String> {
        cow_actor(registry, ccode, year).and_then(|a| registry.get(a).iso3.clone())
    }

    /// A value by COW ccode and year (see [`Maddison::iso3_of_cow`]).
    pub fn value_cow(&self, registry: &ActorRegistry, ccode: u16, year: i32, m: EconMeasure) -> Result<Option<f64>> {
        match Self::iso3_of_cow(registry, ccode, year) {
            Some(iso) => self.value(&iso, year, m),
            None => Ok(None),
        }
    }

    /// A COW state's series over `period` (it may not leave the coverage), one `(year, value)`
    /// per year; `None` where Maddison has no row or value. No value is interpolated.
    pub fn series_cow(&self, ccode: u16, m: EconMeasure, period: Period) -> Result<Vec<(i32, Option<f64>)>> {
        let p = within("the Maddison table", self.coverage(), Some(period))?;
        let reg = ActorRegistry::builtin();
        p.years().map(|y| Ok((y, self.value_cow(reg, ccode, y, m)?))).collect()
    }
}

/// Maddison rows in `period` (it may not leave the coverage).
///
/// Columns: `iso3, country, region, ccode, actor, year, gdppc, pop, gdp, aggregate`, where
/// `gdp = gdppc * pop * 1000` and `ccode`/`actor` come from the registry's ISO3 (null for
/// federations after their end, flagged `aggregate`).
pub fn maddison_table(m: &Maddison, period: Period) -> Result<Table> {
    let p = within("the Maddison table", m.coverage(), Some(period))?;
    let reg = ActorRegistry::builtin();
    let by_iso: HashMap<&str, (u16, String)> =
        reg.actors().iter().filter_map(|a| Some((a.iso3.as_deref()?, (a.cow_code?, a.name.clone())))).collect();
    let rows: Vec<usize> = (0..m.len()).filter(|&i| p.contains(m.year[i])).collect();
    let link = |i: usize| if m.is_aggregate(i) { None } else { by_iso.get(m.iso3[i].as_str()) };
    TableBuilder::new()
        .str("iso3", rows.iter().map(|&i| m.iso3[i].as_str()).collect())
        .str("country", rows.iter().map(|&i| m.country[i].as_str()).collect())
        .str("region", rows.iter().map(|&i| m.region[i].as_str()).collect())
        .i64_opt("ccode", rows.iter().map(|&i| link(i).map(|x| x.0 as i64)).collect())
        .str_opt("actor", rows.iter().map(|&i| link(i).map(|x| x.1.clone())).collect())
        .i64("year", rows.iter().map(|&i| m.year[i] as i64).collect())
        .f64_opt("gdppc", rows.iter().map(|&i| m.gdppc[i]).collect())
        .f64_opt("pop", rows.iter().map(|&i| m.pop[i]).collect())
        .f64_opt("gdp", rows.iter().map(|&i| m.measure_at(i, EconMeasure::Gdp).ok().flatten()).collect())
        .bool("aggregate", rows.iter().map(|&i| m.is_aggregate(i)).collect())
        .build()
}

/// The entities of a year ranked by a measure, largest first (ties by ISO3); federations after
/// their end and entities without a value are left out. `share = x_i / sum_j x_j` over the ranked.
///
/// Columns: `rank, iso3, country, value, share`.
pub fn maddison_rank(m: &Maddison, year: i32, measure: EconMeasure) -> Result<Table> {
    within("the Maddison table", m.coverage(), Some(Period::year(year)))?;
    let mut rows: Vec<(usize, f64)> = vec![];
    for i in 0..m.len() {
        if m.year[i] == year && !m.is_aggregate(i) {
            if let Some(v) = m.measure_at(i, measure)? {
                rows.push((i, v));
            }
        }
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| m.iso3[a.0].cmp(&m.iso3[b.0])));
    let total: f64 = rows.iter().map(|r| r.1).sum();
    TableBuilder::new()
        .i64("rank", (1..=rows.len() as i64).collect())
        .str("iso3", rows.iter().map(|r| m.iso3[r.0].as_str()).collect())
        .str("country", rows.iter().map(|r| m.country[r.0].as_str()).collect())
        .f64("value", rows.iter().map(|r| r.1).collect())
        .f64_opt("share", rows.iter().map(|r| (total > 0.0).then(|| r.1 / total)).collect())
        .build()
}

/// Anders, Fariss & Markowitz (2020) estimates by COW ccode and year, back-transformed from
/// `ln(x + 1)`.
#[derive(Debug, Clone, Default)]
pub struct SdpGdp {
    pub ccode: Vec<u16>,
    pub year: Vec<i32>,
    /// GDP, 2011 PPP US$.
    pub gdp: Vec<Option<f64>>,
    /// Population, persons.
    pub pop: Vec<Option<f64>>,
    /// Surplus domestic product, 2011 PPP US$.
    pub sdp: Vec<Option<f64>>,
    /// GDP per capita, 2011 PPP US$.
    pub gdppc: Vec<Option<f64>>,
    coverage: Span,
    index: HashMap<(u16, i32), usize>,
}

/// Read `cow_sdp_gdp_log.csv` (`ccode, year, wbgdp2011est, wbpopest, sdpest, wbgdppc2011est`, each
/// `ln(x + 1)`); values are returned as `exp(v) - 1`. Years must lie in 1600-2100 and ccodes in
/// 1-999 (see [`crate::input`]).
pub fn read_sdp_gdp(path: &Path) -> Result<SdpGdp> {
    crate::input::read_with(path, parse_sdp_gdp)
}

/// As [`read_sdp_gdp`], for text in memory (`path` names it in errors).
pub fn parse_sdp_gdp(text: &str, path: &Path) -> Result<SdpGdp> {
    let sheet = Sheet::parse(text, path, "an Anders-Fariss-Markowitz GDP/SDP table")?;
    let [c_ccode, c_year] = sheet.need_all(["ccode", "year"])?;
    let cols = sheet.need_all(["wbgdp2011est", "wbpopest", "sdpest", "wbgdppc2011est"])?;
    let mut s = SdpGdp::default();
    let mut keys = RowKeys::with_capacity(sheet.len());
    for row in sheet.data() {
        let row = row?;
        let (ccode, year) = row.state_year(c_ccode, c_year, &mut keys)?;
        let mut v = [None; 4];
        for (k, &c) in cols.iter().enumerate() {
            v[k] = match row.opt_f64(c, "log value")? {
                Some(x) if !(0.0..=700.0).contains(&x) => {
                    return Err(row.err(c, format!("{x} is not a log(x + 1) value (expected 0 to 700)")));
                }
                x => x.map(|x| x.exp_m1()),
            };
        }
        s.ccode.push(ccode);
        s.year.push(year);
        s.gdp.push(v[0]);
        s.pop.push(v[1]);
        s.sdp.push(v[2]);
        s.gdppc.push(v[3]);
    }
    s.coverage = Span::of(&s.year);
    s.index = keys.into_index();
    Ok(s)
}

year_rows!(SdpGdp, "state-year rows", "First and last year with a row (1800-2016; the 2016 rows are empty).");

impl SdpGdp {
    /// A value by ccode and year (`None`: no row or an empty one).
    pub fn value(&self, ccode: u16, year: i32, m: EconMeasure) -> Option<f64> {
        let &i = self.index.get(&(ccode, year))?;
        match m {
            EconMeasure::Gdp => self.gdp[i],
            EconMeasure::Population => self.pop[i],
            EconMeasure::Sdp => self.sdp[i],
            EconMeasure::GdpPerCapita => self.gdppc[i],
        }
    }

    /// A state's series over `period` (default: the coverage, which it may not leave).
    pub fn series(&self, ccode: u16, m: EconMeasure, period: Option<Period>) -> Result<Vec<(i32, Option<f64>)>> {
        let p = within("the Anders-Fariss-Markowitz table", self.coverage(), period)?;
        Ok(p.years().map(|y| (y, self.value(ccode, y, m))).collect())
    }
}

/// The rows of the AFM table in `period` (default: the coverage). Columns: `ccode, actor, year,
/// gdp, pop, sdp, gdppc` (back-transformed).
pub fn sdp_gdp_table(s: &SdpGdp, period: Option<Period>) -> Result<Table> {
    let p = within("the Anders-Fariss-Markowitz table", s.coverage(), period)?;
    let rows: Vec<usize> = (0..s.len()).filter(|&i| p.contains(s.year[i])).collect();
    TableBuilder::new()
        .i64("ccode", rows.iter().map(|&i| s.ccode[i] as i64).collect())
        .str_opt("actor", rows.iter().map(|&i| cow_actor_name(s.ccode[i], s.year[i])).collect())
        .i64("year", rows.iter().map(|&i| s.year[i] as i64).collect())
        .f64_opt("gdp", rows.iter().map(|&i| s.gdp[i]).collect())
        .f64_opt("pop", rows.iter().map(|&i| s.pop[i]).collect())
        .f64_opt("sdp", rows.iter().map(|&i| s.sdp[i]).collect())
        .f64_opt("gdppc", rows.iter().map(|&i| s.gdppc[i]).collect())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::error_at;

    const M: &str = "iso3c,country,region,year,gdppc,pop
SUN,Former USSR,Eastern Europe,1990,10000,290000
SUN,Former USSR,Eastern Europe,1992,9000,292000
RUS,Russian Federation,Eastern Europe,1992,12000,148000
CHN,China,East Asia,1992,2000,
";

    #[test]
    fn maddison_gdp_and_cow_link() {
        let m = parse_maddison(M, Path::new("m.csv")).unwrap();
        assert_eq!(m.len(), 4);
        assert_eq!(m.coverage(), Period { start: 1990, end: 1992 });
        // GDP = 10,000 $ x 290,000 thousand people = 2.9e12.
        assert_eq!(m.value("SUN", 1990, EconMeasure::Gdp).unwrap(), Some(2.9e12));
        assert_eq!(m.value("CHN", 1992, EconMeasure::Gdp).unwrap(), None);
        assert!(m.value("SUN", 1990, EconMeasure::Sdp).is_err());
        let reg = ActorRegistry::builtin();
        assert_eq!(m.value_cow(reg, 365, 1990, EconMeasure::Population).unwrap(), Some(290000.0));
        assert_eq!(m.value_cow(reg, 365, 1992, EconMeasure::Population).unwrap(), Some(148000.0));
        assert_eq!(m.series_cow(365, EconMeasure::Gdp, Period { start: 1990, end: 1992 }).unwrap()[1], (1991, None));
        assert!(m.series_cow(365, EconMeasure::Gdp, Period { start: 1990, end: 1993 }).is_err());
        assert!(m.is_aggregate(1) && !m.is_aggregate(0));
        let r = maddison_rank(&m, 1992, EconMeasure::Gdp).unwrap();
        assert_eq!(r.strings("iso3").unwrap(), vec![Some("RUS".to_string())]);
        let t = maddison_table(&m, Period::year(1992)).unwrap();
        assert_eq!(t.i64s("ccode").unwrap(), vec![None, Some(365), Some(710)]);
    }

    #[test]
    fn sdp_back_transform() {
        let t = "ccode,year,wbgdp2011est,wbpopest,sdpest,wbgdppc2011est\n2,2000,0.693,,0,1\n2,2001,,,,\n";
        let s = parse_sdp_gdp(t, Path::new("s.csv")).unwrap();
        assert!((s.value(2, 2000, EconMeasure::Gdp).unwrap() - 0.999_705_8).abs() < 1e-6);
        assert_eq!(s.value(2, 2000, EconMeasure::Sdp), Some(0.0));
        assert_eq!(s.value(2, 2001, EconMeasure::Gdp), None);
        assert!(s.series(2, EconMeasure::Gdp, Some(Period { start: 1999, end: 2000 })).is_err());
        assert_eq!(sdp_gdp_table(&s, None).unwrap().num_rows(), 2);
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(error_at(parse_maddison, M, "12000", "12k00"), (4, 5, Some("gdppc".into())));
        let t = "ccode,year,wbgdp2011est,wbpopest,sdpest,wbgdppc2011est\n2,2000,-1,,0,1\n";
        assert!(matches!(parse_sdp_gdp(t, Path::new("s.csv")), Err(Error::Parse { line: 2, column: 3, .. })));
        assert!(matches!(parse_maddison("a,b\n", Path::new("h.csv")), Err(Error::Format { .. })));
    }
}
