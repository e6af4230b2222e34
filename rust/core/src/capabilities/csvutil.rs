//! Small CSV helpers shared by the COW readers: file reading, header lookup, typed cells with
//! errors that name the file, line, column and column name.

use crate::error::{Error, Result};
use std::path::Path;

/// Read a file as UTF-8 text (a leading byte-order mark is dropped).
pub(crate) fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    decode(bytes, path)
}

/// Decode bytes as UTF-8, reporting the line and byte of the first invalid sequence.
pub(crate) fn decode(bytes: Vec<u8>, path: &Path) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..'\u{feff}'.len_utf8());
            }
            Ok(s)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let col = at - bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
            Err(Error::Encoding {
                path: path.to_path_buf(),
                line,
                column: col,
                message: "the file is not UTF-8 text".into(),
            })
        }
    }
}

/// The rows of a CSV text: `(line, fields)`, the header first. Blank lines are skipped.
fn rows(text: &str, path: &Path) -> Result<Vec<(usize, Vec<String>)>> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line() as usize);
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                out.push((line, rec.iter().map(|f| f.to_string()).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err(Error::Format { path: path.to_path_buf(), line, message: format!("not readable as CSV: {e}") });
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    Ok(out)
}

/// A CSV text as one of the readers takes it: the header (the first non-blank row), the data
/// rows, and what the file should be, for the errors (`"not {what}: no \"year\" column ..."`).
pub(crate) struct Sheet<'p> {
    /// All non-blank rows, the header first.
    rows: Vec<(usize, Vec<String>)>,
    pub header: Header,
    pub header_line: usize,
    pub path: &'p Path,
    pub what: String,
}

impl<'p> Sheet<'p> {
    pub fn parse(text: &str, path: &'p Path, what: impl Into<String>) -> Result<Self> {
        let rows = rows(text, path)?;
        let (header_line, header) = match rows.first() {
            Some((line, fields)) => (*line, Header::new(fields)),
            None => return Err(Error::Empty { path: path.to_path_buf() }),
        };
        Ok(Sheet { rows, header, header_line, path, what: what.into() })
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

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len().saturating_sub(1)
    }

    /// The data rows.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().skip(1).map(|(line, fields)| Row { path: self.path, line: *line, fields, header: &self.header })
    }

    /// The data rows, each checked to have no more fields than the header.
    pub fn data(&self) -> impl Iterator<Item = Result<Row<'_>>> {
        self.rows().map(|row| row.check_width().map(|()| row))
    }
}

/// Column positions found in a header.
pub(crate) struct Header {
    pub names: Vec<String>,
}

impl Header {
    pub fn new(fields: &[String]) -> Self {
        Header { names: fields.iter().map(|f| f.trim().to_ascii_lowercase()).collect() }
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// A cursor over one data row that turns cells into typed values or located errors.
pub(crate) struct Row<'a> {
    pub path: &'a Path,
    pub line: usize,
    pub fields: &'a [String],
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

    pub fn cell(&self, col: usize) -> Result<&'a str> {
        self.fields.get(col).map(|s| s.trim()).ok_or_else(|| {
            self.err(col, format!("the row has {} fields, the header {}: the row is truncated", self.fields.len(), self.header.names.len()))
        })
    }

    pub fn int<T: std::str::FromStr>(&self, col: usize, what: &str) -> Result<T> {
        let s = self.cell(col)?;
        s.parse::<T>().map_err(|_| self.err(col, format!("{what} {s:?} is not a whole number in range")))
    }

    pub fn text(&self, col: usize) -> Result<String> {
        Ok(self.cell(col)?.to_string())
    }

    /// Fail when the row has more fields than the header.
    pub fn check_width(&self) -> Result<()> {
        let n = self.header.names.len();
        if self.fields.len() > n {
            return Err(self.err(n, format!("the row has {} fields, the header {n}", self.fields.len())));
        }
        Ok(())
    }
}
