//! Alliance dyad-years: COW Formal Alliances v4.1 (non-directed) and ATOP 5.1 (directed), in the
//! layouts of the `peacesciencer` R package (Miller 2022), detected from the header.
//!
//! - COW (`ccode1, ccode2, year, cow_defense, cow_neutral, cow_nonagg, cow_entente`): Gibler
//!   (2009), *International Military Alliances, 1648-2008*. Non-directed: a dyad is looked up in
//!   either order.
//! - ATOP (`ccode1, ccode2, year, atop_defense, atop_offense, atop_neutral, atop_nonagg,
//!   atop_consul`): Leeds, Ritter, Mitchell & Long (2002). Directed: `ccode1` has the obligation
//!   toward `ccode2`, and the two directions can differ.
//!
//! A dyad-year without a row has no alliance; a year outside the file's span is an error, never a
//! zero.

use crate::error::Result;
use crate::input::sheet::{RowKeys, Sheet};
use crate::input::{within, year_rows, Span};
use crate::period::Period;
use crate::table::{Table, TableBuilder};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Which alliance data set a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllianceSource {
    /// COW Formal Alliances v4.1, non-directed dyad-years.
    Cow,
    /// ATOP 5.1, directed dyad-years.
    Atop,
}

impl AllianceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AllianceSource::Cow => "COW alliances v4.1",
            AllianceSource::Atop => "ATOP 5.1",
        }
    }
}

crate::names::option_enum! {
    /// An alliance obligation. COW has defense, neutrality, nonaggression and entente; ATOP has
    /// defense, offense, neutrality, nonaggression and consultation.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum AllianceType("alliance type") {
        Defense = ["defense", "defence"],
        Offense = ["offense"],
        Neutrality = ["neutrality", "neutral"],
        Nonaggression = ["nonaggression", "nonagg"],
        Entente = ["entente"],
        Consultation = ["consultation", "consul"],
    }
}

impl AllianceType {
    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The types a source codes.
    pub fn of(source: AllianceSource) -> &'static [AllianceType] {
        match source {
            AllianceSource::Cow => {
                &[AllianceType::Defense, AllianceType::Neutrality, AllianceType::Nonaggression, AllianceType::Entente]
            }
            AllianceSource::Atop => &[
                AllianceType::Defense,
                AllianceType::Offense,
                AllianceType::Neutrality,
                AllianceType::Nonaggression,
                AllianceType::Consultation,
            ],
        }
    }

    fn column(self, source: AllianceSource) -> &'static str {
        match (source, self) {
            (AllianceSource::Cow, AllianceType::Defense) => "cow_defense",
            (AllianceSource::Cow, AllianceType::Neutrality) => "cow_neutral",
            (AllianceSource::Cow, AllianceType::Nonaggression) => "cow_nonagg",
            (AllianceSource::Cow, _) => "cow_entente",
            (AllianceSource::Atop, AllianceType::Defense) => "atop_defense",
            (AllianceSource::Atop, AllianceType::Offense) => "atop_offense",
            (AllianceSource::Atop, AllianceType::Neutrality) => "atop_neutral",
            (AllianceSource::Atop, AllianceType::Nonaggression) => "atop_nonagg",
            (AllianceSource::Atop, _) => "atop_consul",
        }
    }
}

/// The set of alliance types in force for a dyad-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AllianceTypes(pub u8);

impl AllianceTypes {
    pub fn contains(self, t: AllianceType) -> bool {
        self.0 & t.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The set with `t` added.
    pub fn with(self, t: AllianceType) -> AllianceTypes {
        AllianceTypes(self.0 | t.bit())
    }

    /// The set with `t` removed.
    pub fn without(self, t: AllianceType) -> AllianceTypes {
        AllianceTypes(self.0 & !t.bit())
    }

    /// The ordinal level of commitment used by Signorino & Ritter (1999), after Bueno de Mesquita
    /// (1975): 3 defense pact (ATOP: defense or offense), 2 neutrality or nonaggression pact,
    /// 1 entente (ATOP: consultation), 0 no alliance. The highest type in force counts.
    pub fn level(self) -> u8 {
        use AllianceType::*;
        if self.contains(Defense) || self.contains(Offense) {
            3
        } else if self.contains(Neutrality) || self.contains(Nonaggression) {
            2
        } else if self.contains(Entente) || self.contains(Consultation) {
            1
        } else {
            0
        }
    }
}

/// Alliance dyad-years, columnar.
#[derive(Debug, Clone)]
pub struct Alliances {
    pub source: AllianceSource,
    /// True for ATOP: `types(a, b, y)` is `a`'s obligation toward `b`.
    pub directed: bool,
    pub ccode1: Vec<u16>,
    pub ccode2: Vec<u16>,
    pub year: Vec<i32>,
    pub types: Vec<AllianceTypes>,
    coverage: Span,
    index: HashMap<(u16, u16, i32), usize>,
    by_year: BTreeMap<i32, Vec<usize>>,
}

/// Read a COW v4.1 or ATOP 5.1 dyad-year file (the layout detected from the header). Years must
/// lie in 1600-2100 and ccodes in 1-999 (see [`crate::input`]).
pub fn read_alliances(path: &Path) -> Result<Alliances> {
    crate::input::read_with(path, parse_alliances)
}

/// As [`read_alliances`], for text in memory (`path` names it in errors).
pub fn parse_alliances(text: &str, path: &Path) -> Result<Alliances> {
    let mut sheet = Sheet::parse(text, path, "an alliance dyad-year file")?;
    let source = if sheet.find("cow_defense").is_some() {
        AllianceSource::Cow
    } else if sheet.find("atop_defense").is_some() {
        AllianceSource::Atop
    } else {
        return Err(sheet.format_error(format!(
            "not a COW (cow_defense, ...) or ATOP (atop_defense, ...) alliance dyad-year file: the header is {:?}",
            sheet.header.names
        )));
    };
    sheet.what = source.as_str().to_string();
    let [c1, c2, cy] = sheet.need_all(["ccode1", "ccode2", "year"])?;
    let cols: Vec<(AllianceType, usize)> =
        AllianceType::of(source).iter().map(|t| Ok((*t, sheet.need(t.column(source))?))).collect::<Result<_>>()?;
    let directed = source == AllianceSource::Atop;
    let n = sheet.len();
    let mut a = Alliances {
        source,
        directed,
        ccode1: Vec::with_capacity(n),
        ccode2: Vec::with_capacity(n),
        year: Vec::with_capacity(n),
        types: Vec::with_capacity(n),
        coverage: Span::default(),
        index: HashMap::new(),
        by_year: BTreeMap::new(),
    };
    let mut keys = RowKeys::with_capacity(n);
    for row in sheet.data() {
        let row = row?;
        let x = row.ccode(c1, "ccode1")?;
        let y = row.ccode(c2, "ccode2")?;
        let year = row.year(cy, "year", crate::input::STATE_YEARS)?;
        if x == y {
            return Err(row.err(c2, format!("a state allied with itself (ccode {x})")));
        }
        let mut bits = 0u8;
        for &(t, c) in &cols {
            match row.int::<u8>(c, t.column(source))? {
                0 => {}
                1 => bits |= t.bit(),
                v => return Err(row.err(c, format!("{} is {v}; expected 0 or 1", t.column(source)))),
            }
        }
        let key = if directed { (x, y, year) } else { (x.min(y), x.max(y), year) };
        match keys.get(&key) {
            // The symmetric (both-direction) COW layout repeats each dyad; merge the copies.
            Some(i) if !directed && (a.ccode1[i], a.ccode2[i]) != (x, y) => {
                a.types[i].0 |= bits;
            }
            _ => {
                let i = keys.insert(&row, cy, key, || format!("dyad {x}-{y} in {year}"))?;
                a.ccode1.push(x);
                a.ccode2.push(y);
                a.year.push(year);
                a.types.push(AllianceTypes(bits));
                a.by_year.entry(year).or_default().push(i);
            }
        }
    }
    a.coverage = Span::of(&a.year);
    a.index = keys.into_index();
    Ok(a)
}

year_rows!(
    Alliances,
    "dyad-year rows (after merging the two directions of a symmetric COW file)",
    "First and last year of the file (COW 1816-2012, ATOP 1815-2018)."
);

impl Alliances {
    fn check_year(&self, year: i32) -> Result<()> {
        within(self.source.as_str(), self.coverage(), Some(Period::year(year))).map(|_| ())
    }

    fn get(&self, a: u16, b: u16, year: i32) -> AllianceTypes {
        let key = if self.directed { (a, b, year) } else { (a.min(b), a.max(b), year) };
        self.index.get(&key).map(|&i| self.types[i]).unwrap_or_default()
    }

    /// The alliance types in force between `a` and `b` in `year` (ATOP: `a`'s obligations toward
    /// `b`). Empty when the dyad has no row; an error outside the file's years.
    pub fn types(&self, a: u16, b: u16, year: i32) -> Result<AllianceTypes> {
        self.check_year(year)?;
        Ok(self.get(a, b, year))
    }

    /// The ordinal commitment level of `a` toward `b` ([`AllianceTypes::level`]); a state's
    /// level toward itself is 3 (a state is its own closest ally, as in Signorino & Ritter 1999).
    pub fn level(&self, a: u16, b: u16, year: i32) -> Result<u8> {
        self.check_year(year)?;
        Ok(if a == b { 3 } else { self.get(a, b, year).level() })
    }

    /// `a`'s alliance partners in `year` with the level of commitment toward each (ATOP:
    /// obligations of `a`). States without an alliance are left out.
    pub fn partners(&self, a: u16, year: i32) -> Result<Vec<(u16, u8)>> {
        self.check_year(year)?;
        let mut out: Vec<(u16, u8)> = vec![];
        for &i in self.by_year.get(&year).map(|v| v.as_slice()).unwrap_or(&[]) {
            let (x, y) = (self.ccode1[i], self.ccode2[i]);
            if x == a {
                out.push((y, self.types[i].level()));
            } else if y == a && !self.directed {
                out.push((x, self.types[i].level()));
            }
        }
        out.retain(|p| p.1 > 0);
        out.sort_unstable();
        Ok(out)
    }

    /// Set the alliance types of a dyad-year (for scenarios): the row of `a -> b` (either order
    /// for a non-directed file), added when the dyad has none and `t` is not empty. The coverage
    /// is unchanged; the caller keeps `year` inside it.
    pub(crate) fn set_types(&mut self, a: u16, b: u16, year: i32, t: AllianceTypes) {
        let key = if self.directed { (a, b, year) } else { (a.min(b), a.max(b), year) };
        match self.index.get(&key) {
            Some(&i) => self.types[i] = t,
            None if t.is_empty() => {}
            None => {
                let i = self.year.len();
                self.index.insert(key, i);
                self.ccode1.push(key.0);
                self.ccode2.push(key.1);
                self.year.push(year);
                self.types.push(t);
                self.by_year.entry(year).or_default().push(i);
            }
        }
    }

    /// The alliance levels of every dyad-year row of `year`, as a map from ordered pair to
    /// level (both orders for COW).
    pub(crate) fn levels_in(&self, year: i32) -> Result<HashMap<(u16, u16), u8>> {
        self.check_year(year)?;
        let mut m = HashMap::new();
        for &i in self.by_year.get(&year).map(|v| v.as_slice()).unwrap_or(&[]) {
            let l = self.types[i].level();
            m.insert((self.ccode1[i], self.ccode2[i]), l);
            if !self.directed {
                m.insert((self.ccode2[i], self.ccode1[i]), l);
            }
        }
        Ok(m)
    }
}

/// One dyad's alliances by year over `period` (default: the file's span, which it may not leave).
///
/// Columns: `year, ccode1, ccode2`, one boolean column per type of the source (`defense`,
/// `neutrality`, ...), `any` and `level` (Signorino & Ritter's 0-3 ordinal scale, see
/// [`AllianceTypes::level`]). ATOP rows are `a`'s obligations toward `b`.
pub fn dyad_alliances(al: &Alliances, a: u16, b: u16, period: Option<Period>) -> Result<Table> {
    let p = within(al.source.as_str(), al.coverage(), period)?;
    let t: Vec<AllianceTypes> = p.years().map(|y| al.get(a, b, y)).collect();
    let mut tb = TableBuilder::new()
        .i64("year", p.years().map(i64::from).collect())
        .i64("ccode1", vec![a as i64; p.len()])
        .i64("ccode2", vec![b as i64; p.len()]);
    for &ty in AllianceType::of(al.source) {
        tb = tb.bool(ty.name(), t.iter().map(|x| x.contains(ty)).collect());
    }
    tb.bool("any", t.iter().map(|x| !x.is_empty()).collect())
        .i64("level", t.iter().map(|x| x.level() as i64).collect())
        .build()
}

/// Every dyad-year row of the file in `period` (default: its span).
///
/// Columns: `ccode1, ccode2, year`, one boolean per type of the source, `level`.
pub fn alliance_table(al: &Alliances, period: Option<Period>) -> Result<Table> {
    let p = within(al.source.as_str(), al.coverage(), period)?;
    let rows: Vec<usize> = (0..al.len()).filter(|&i| p.contains(al.year[i])).collect();
    let mut tb = TableBuilder::new()
        .i64("ccode1", rows.iter().map(|&i| al.ccode1[i] as i64).collect())
        .i64("ccode2", rows.iter().map(|&i| al.ccode2[i] as i64).collect())
        .i64("year", rows.iter().map(|&i| al.year[i] as i64).collect());
    for &ty in AllianceType::of(al.source) {
        tb = tb.bool(ty.name(), rows.iter().map(|&i| al.types[i].contains(ty)).collect());
    }
    tb.i64("level", rows.iter().map(|&i| al.types[i].level() as i64).collect()).build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::testing::error_at;

    const COW: &str = "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente
2,20,1950,1,0,1,1
2,365,1962,0,1,0,0
365,710,1962,0,0,1,1
";
    const ATOP: &str = "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul
2,20,1950,1,0,0,0,0
20,2,1950,0,0,0,0,1
2,20,1951,0,0,0,0,0
";

    #[test]
    fn cow_is_undirected() {
        let a = parse_alliances(COW, Path::new("c.csv")).unwrap();
        assert_eq!((a.source, a.directed, a.len()), (AllianceSource::Cow, false, 3));
        assert_eq!(a.coverage(), Period { start: 1950, end: 1962 });
        assert_eq!(a.level(20, 2, 1950).unwrap(), 3);
        assert_eq!(a.level(365, 2, 1962).unwrap(), 2);
        assert_eq!(a.level(710, 365, 1962).unwrap(), 2);
        assert_eq!(a.level(2, 710, 1962).unwrap(), 0);
        assert_eq!(a.level(2, 2, 1955).unwrap(), 3);
        assert!(a.types(2, 20, 1950).unwrap().contains(AllianceType::Entente));
        assert!(a.types(2, 20, 1949).is_err());
        assert_eq!(a.partners(365, 1962).unwrap(), vec![(2, 2), (710, 2)]);
        let t = dyad_alliances(&a, 2, 365, None).unwrap();
        assert_eq!(t.num_rows(), 13);
        assert_eq!(t.i64s("level").unwrap()[12], Some(2));
        assert_eq!(alliance_table(&a, Some(Period::year(1962))).unwrap().num_rows(), 2);
        // The symmetric layout (both directions) merges into the same rows.
        let sym = format!("{COW}20,2,1950,1,0,1,1\n");
        assert_eq!(parse_alliances(&sym, Path::new("s.csv")).unwrap().len(), 3);
    }

    #[test]
    fn atop_is_directed() {
        let a = parse_alliances(ATOP, Path::new("a.csv")).unwrap();
        assert_eq!((a.source, a.directed, a.len()), (AllianceSource::Atop, true, 3));
        assert_eq!(a.level(2, 20, 1950).unwrap(), 3);
        assert_eq!(a.level(20, 2, 1950).unwrap(), 1);
        assert_eq!(a.level(2, 20, 1951).unwrap(), 0);
        assert_eq!(a.partners(20, 1950).unwrap(), vec![(2, 1)]);
        assert!(a.partners(2, 1951).unwrap().is_empty());
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(
            error_at(parse_alliances, COW, "2,365,1962,0,1", "2,365,1962,0,7"),
            (3, 5, Some("cow_neutral".into()))
        );
        let dup = format!("{COW}2,365,1962,0,1,0,0\n");
        assert!(matches!(parse_alliances(&dup, Path::new("d.csv")), Err(Error::Parse { line: 5, column: 3, .. })));
        assert!(matches!(parse_alliances("a,b\n1,2\n", Path::new("h.csv")), Err(Error::Format { .. })));
        let short = "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,1950,1\n";
        assert!(matches!(parse_alliances(short, Path::new("s.csv")), Err(Error::Parse { column: 5, .. })));
    }
}
