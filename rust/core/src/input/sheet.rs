//! The sheet reader shared by the COW-style readers (NMC, states, majors, alliances, ideal
//! points, SIPRI military expenditure, GDP): header lookup with required columns, rows read one
//! at a time, typed cells (years and COW codes in their documented ranges, numbers) with errors
//! that name the file, line, column and column name. The text comes from
//! [`crate::input::read_utf8`] (the input limits, then UTF-8 only).

use crate::error::{Error, Result};
use std::cell::RefCell;
use std::ops::RangeInclusive;
use std::path::Path;

/// The most rows a reader reserves room for before it has read them (larger files grow their
/// columns as they go): a reservation is never a multiple of a hostile file's line count.
const RESERVE_ROWS: usize = 1 << 16;

/// A CSV text as one of the readers takes it: the header (the first non-blank row), then the
/// data rows, read one at a time (a row is parsed only when the reader asks for it, so memory is
/// the text plus the row in hand, whatever the text holds), and what the file should be, for
/// the errors (`"not {what}: no \"year\" column ..."`).
pub(crate) struct Sheet<'a> {
    rdr: RefCell<csv::Reader<&'a [u8]>>,
    /// The text after the header, for [`Sheet::len`].
    rest: &'a [u8],
    pub header: Header,
    pub header_line: usize,
    pub path: &'a Path,
    pub what: String,
}

/// The next non-blank record of a reader: `Ok(None)` at the end.
fn next_record(rdr: &mut csv::Reader<&[u8]>, path: &Path) -> Result<Option<(usize, csv::StringRecord)>> {
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => return Ok(None),
            Ok(true) => {
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let line = rec.position().map_or(0, |p| p.line() as usize);
                return Ok(Some((line, rec)));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err(Error::Format {
                    path: path.to_path_buf(),
                    line,
                    message: format!("not readable as CSV: {e}"),
                });
            }
        }
    }
}

impl<'a> Sheet<'a> {
    pub fn parse(text: &'a str, path: &'a Path, what: impl Into<String>) -> Result<Self> {
        // No line longer than 64 KiB: a row holds one entry per field.
        crate::input::check_lines(text.as_bytes(), 1, path)?;
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let (header_line, header) = match next_record(&mut rdr, path)? {
            Some((line, rec)) => (line, Header::new(rec.iter())),
            None => return Err(Error::Empty { path: path.to_path_buf() }),
        };
        let at = (rdr.position().byte() as usize).min(text.len());
        let rest = &text.as_bytes()[at..];
        Ok(Sheet { rdr: RefCell::new(rdr), rest, header, header_line, path, what: what.into() })
    }

    /// A format error at the header line.
    pub fn format_error(&self, message: String) -> Error {
        Error::Format { path: self.path.to_path_buf(), line: self.header_line, message }
    }

    /// The position of a required column, or a format error naming the file, the header line
    /// and the columns the header has.
    pub fn need(&self, name: &str) -> Result<usize> {
        self.header.find(name).ok_or_else(|| {
            self.format_error(format!("not {}: no {name:?} column (the header is {:?})", self.what, self.header.names))
        })
    }

    /// [`Sheet::need`] for several columns.
    pub fn need_all<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N]> {
        let mut out = [0usize; N];
        for (o, name) in out.iter_mut().zip(names) {
            *o = self.need(name)?;
        }
        Ok(out)
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.header.find(name)
    }

    /// How many rows to reserve room for: the lines after the header, at most 65,536.
    pub fn len(&self) -> usize {
        self.rest.iter().filter(|&&b| b == b'\n').count().saturating_add(1).min(RESERVE_ROWS)
    }

    /// The data rows, in order (read once: a second call continues where the first stopped).
    pub fn rows<'s>(&'s self) -> Rows<'s, 'a> {
        Rows { sheet: self, check_width: false }
    }

    /// The data rows, each checked to have no more fields than the header.
    pub fn data<'s>(&'s self) -> Rows<'s, 'a> {
        Rows { sheet: self, check_width: true }
    }
}

/// The data rows of a [`Sheet`], parsed one at a time.
pub(crate) struct Rows<'s, 'a> {
    sheet: &'s Sheet<'a>,
    check_width: bool,
}

impl<'s, 'a> Iterator for Rows<'s, 'a> {
    type Item = Result<Row<'s>>;

    fn next(&mut self) -> Option<Self::Item> {
        let sh = self.sheet;
        let next = next_record(&mut sh.rdr.borrow_mut(), sh.path);
        let row = match next {
            Ok(Some((line, rec))) => Row { path: sh.path, line, rec, header: &sh.header },
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        if self.check_width {
            if let Err(e) = row.check_width() {
                return Some(Err(e));
            }
        }
        Some(Ok(row))
    }
}

/// Column positions found in a header.
pub(crate) struct Header {
    pub names: Vec<String>,
}

impl Header {
    pub fn new<'s>(fields: impl Iterator<Item = &'s str>) -> Self {
        Header { names: fields.map(|f| f.trim().to_ascii_lowercase()).collect() }
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// One data row, with what turns its cells into typed values or located errors.
pub(crate) struct Row<'a> {
    pub path: &'a Path,
    pub line: usize,
    rec: csv::StringRecord,
    pub header: &'a Header,
}

impl<'a> Row<'a> {
    pub fn err(&self, col: usize, message: String) -> Error {
        Error::Parse {
            path: self.path.to_path_buf(),
            line: self.line,
            column: col + 1,
            column_name: self.header.names.get(col).cloned(),
            message,
        }
    }

    pub fn cell(&self, col: usize) -> Result<&str> {
        self.rec.get(col).map(|s| s.trim()).ok_or_else(|| {
            self.err(
                col,
                format!(
                    "the row has {} fields, the header {}: the row is truncated",
                    self.rec.len(),
                    self.header.names.len()
                ),
            )
        })
    }

    pub fn int<T: std::str::FromStr>(&self, col: usize, what: &str) -> Result<T> {
        let s = self.cell(col)?;
        s.parse::<T>().map_err(|_| self.err(col, format!("{what} {s:?} is not a whole number in range")))
    }

    /// A year in `range` (see [`crate::input`] for the ranges and why they exist).
    pub fn year(&self, col: usize, what: &str, range: RangeInclusive<i32>) -> Result<i32> {
        let y: i32 = self.int(col, what)?;
        if !range.contains(&y) {
            return Err(self.err(
                col,
                format!("{what} {y} is outside {}-{}, the years this reader accepts", range.start(), range.end()),
            ));
        }
        Ok(y)
    }

    /// A COW country code: a whole number in [`crate::input::COW_CODES`] (1-999).
    pub fn ccode(&self, col: usize, what: &str) -> Result<u16> {
        let s = self.cell(col)?;
        match s.parse::<u16>() {
            Ok(c) if crate::input::COW_CODES.contains(&c) => Ok(c),
            _ => Err(self.err(col, format!("{what} {s:?} is not a COW country code (a whole number from 1 to 999)"))),
        }
    }

    pub fn text(&self, col: usize) -> Result<String> {
        Ok(self.cell(col)?.to_string())
    }

    /// A state-year of state-system data: a COW code ([`Row::ccode`]) and a year in
    /// [`crate::input::STATE_YEARS`], which no earlier row of the file may have had.
    pub fn state_year(&self, c_ccode: usize, c_year: usize, keys: &mut RowKeys<(u16, i32)>) -> Result<(u16, i32)> {
        let ccode = self.ccode(c_ccode, "ccode")?;
        let year = self.year(c_year, "year", crate::input::STATE_YEARS)?;
        keys.insert(self, c_year, (ccode, year), || format!("ccode {ccode} year {year}"))?;
        Ok((ccode, year))
    }

    /// The text of an optional column: `""` when the file has no such column.
    pub fn text_or_empty(&self, col: Option<usize>) -> Result<String> {
        col.map_or(Ok(String::new()), |c| self.text(c))
    }

    /// The text of an optional column: `None` when the file has no such column or the cell is
    /// empty.
    pub fn text_opt(&self, col: Option<usize>) -> Result<Option<String>> {
        Ok(Some(self.text_or_empty(col)?).filter(|s| !s.is_empty()))
    }

    /// A number cell: empty (or `NA`) is `None`, and so is every cell of a column the file does
    /// not have (`col` is `None`); anything else must parse as a finite number.
    pub fn opt_f64(&self, col: impl Into<Option<usize>>, what: &str) -> Result<Option<f64>> {
        let Some(col) = col.into() else { return Ok(None) };
        let s = self.cell(col)?;
        if s.is_empty() || s.eq_ignore_ascii_case("na") {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.err(col, format!("{what} {s:?} is not a number"))),
        }
    }

    /// [`Row::opt_f64`] for a quantity that cannot be negative.
    pub fn opt_nonnegative(&self, col: usize, what: &str) -> Result<Option<f64>> {
        let v = self.opt_f64(col, what)?;
        match v {
            Some(x) if x < 0.0 => Err(self.err(col, format!("{what} {x} is negative"))),
            v => Ok(v),
        }
    }

    /// Fail when the row has more fields than the header.
    pub fn check_width(&self) -> Result<()> {
        let n = self.header.names.len();
        if self.rec.len() > n {
            return Err(self.err(n, format!("the row has {} fields, the header {n}", self.rec.len())));
        }
        Ok(())
    }
}

/// The keys of the rows read so far (a state-year, a country-year, a dyad-year), each with its
/// row index and line: a key read twice is an error that names the line of its first row.
pub(crate) struct RowKeys<K> {
    rows: std::collections::HashMap<K, usize>,
    lines: Vec<usize>,
}

impl<K: std::hash::Hash + Eq> RowKeys<K> {
    pub fn with_capacity(n: usize) -> Self {
        RowKeys { rows: std::collections::HashMap::with_capacity(n), lines: Vec::with_capacity(n) }
    }

    /// The row index an earlier row with `key` got, if any.
    pub fn get(&self, key: &K) -> Option<usize> {
        self.rows.get(key).copied()
    }

    /// Give `key` the next row index (returned); when an earlier row has it, an error at `col`
    /// of `row`: `"{what} is repeated (first on line N)"`.
    pub fn insert(&mut self, row: &Row<'_>, col: usize, key: K, what: impl FnOnce() -> String) -> Result<usize> {
        let i = self.lines.len();
        match self.rows.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let first = self.lines[*e.get()];
                Err(row.err(col, format!("{} is repeated (first on line {first})", what())))
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
                self.lines.push(row.line);
                Ok(i)
            }
        }
    }

    /// Key -> row index, for the lookups of the table read.
    pub fn into_index(self) -> std::collections::HashMap<K, usize> {
        self.rows
    }
}

/// For the readers' tests: where a parse failed (line, column, column name); panics on anything
/// but an [`Error::Parse`].
#[cfg(test)]
pub(crate) fn located<T>(r: Result<T>) -> (usize, usize, Option<String>) {
    match r {
        Err(Error::Parse { line, column, column_name, .. }) => (line, column, column_name),
        Err(e) => panic!("expected a parse error, got {e:?}"),
        Ok(_) => panic!("expected a parse error, the text was read"),
    }
}
