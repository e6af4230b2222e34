//! Shared machinery of the readers: the record iterator with exact line numbers and blank-line
//! accounting, the per-file context (name cache, load report), value parsers and error builders.

use crate::actors::{ActorId, ActorRegistry, WORLD};
use crate::error::{Error, Result};
use crate::ledger::{Coverage, FileReport, Ledger, Skip, MAX_TIV};
use csv::ByteRecord;
use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::Arc;

use super::sniff::Head;

/// Skip reasons, spelled once.
pub(crate) const BLANK: &str = "blank line";
pub(crate) const TOTALS_ROW: &str = "totals row";
pub(crate) const ROW_TOTAL: &str = "row total";
pub(crate) const ALL_TABLE_ROW: &str = "All table row";
pub(crate) const OPEN_ORDER: &str = "open order (no deliveries yet)";
pub(crate) const NO_CELLS: &str = "no deliveries in any year";

/// Earliest and latest year a SIPRI value may carry.
pub(crate) const YEAR_MIN: i32 = 1900;
pub(crate) const YEAR_MAX: i32 = 2100;

/// Records of the body of a file (the bytes below the header), with the 1-based line on which
/// each starts. Blank lines (empty, or every field blank) are not returned: they are counted as
/// data rows and recorded as skipped with reason [`BLANK`].
///
/// The csv crate skips empty lines silently and its own line numbers drift on CRLF input, so the
/// line of each record is computed here from its byte offset.
pub(crate) struct Rows<'a> {
    rdr: csv::Reader<&'a [u8]>,
    body: &'a [u8],
    /// Line number of the first line of `body`.
    base_line: usize,
    /// Newlines counted in `body[..counted_to]`.
    counted_to: usize,
    newlines: usize,
    /// First line not yet accounted for (after the previous record).
    next_free: usize,
    pub rec: ByteRecord,
    /// Data rows met so far (records and blank lines).
    pub data_rows: usize,
    done: bool,
    /// 3 when `body` starts with a UTF-8 byte-order mark (the csv reader reads what follows).
    bom: usize,
}

impl<'a> Rows<'a> {
    pub fn new(body: &'a [u8], base_line: usize) -> Self {
        // The csv reader would skip a byte-order mark at the start of its input, with record
        // positions that sometimes count it and sometimes not; it is given the bytes after the
        // mark instead, and positions are shifted back here.
        let bom = if body.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.get(bom..).unwrap_or_default());
        Rows {
            rdr,
            body,
            base_line,
            counted_to: 0,
            newlines: 0,
            next_free: base_line,
            rec: ByteRecord::new(),
            data_rows: 0,
            done: false,
            bom,
        }
    }

    fn count_to(&mut self, to: usize) {
        let to = to.min(self.body.len());
        if to > self.counted_to {
            if let Some(s) = self.body.get(self.counted_to..to) {
                self.newlines += count_newlines(s);
            }
            self.counted_to = to;
        }
    }

    fn blanks_until(&mut self, line: usize, skipped: &mut Vec<Skip>) {
        while self.next_free < line {
            skipped.push(Skip { line: self.next_free, reason: BLANK.to_string() });
            self.data_rows += 1;
            self.next_free += 1;
        }
    }

    /// Advance to the next non-blank record (in `self.rec`) and return its line, or `None` at the
    /// end of the body. Blank lines met on the way are pushed to `skipped`.
    pub fn next(&mut self, path: &Path, skipped: &mut Vec<Skip>) -> Result<Option<usize>> {
        loop {
            if self.done {
                return Ok(None);
            }
            let more = self.rdr.read_byte_record(&mut self.rec).map_err(|e| Error::Parse {
                path: path.to_path_buf(),
                line: self.next_free,
                column: 1,
                column_name: None,
                message: format!("unreadable CSV: {e}"),
            })?;
            if !more {
                self.done = true;
                let len = self.body.len();
                self.count_to(len);
                let ends_open = self.body.last().is_some_and(|&b| b != b'\n');
                let end_line = self.base_line + self.newlines + usize::from(ends_open);
                self.blanks_until(end_line, skipped);
                return Ok(None);
            }
            // The csv reader reports where it began reading the record, which may lie before the
            // terminator of the previous record or before empty lines it skipped.
            let mut start = self.rec.position().map_or(self.counted_to, |p| p.byte() as usize + self.bom);
            while let Some(b'\r' | b'\n') = self.body.get(start) {
                start += 1;
            }
            self.count_to(start);
            let line = self.base_line + self.newlines;
            self.blanks_until(line, skipped);
            let span = 1 + count_newlines(self.rec.as_slice());
            self.next_free = self.next_free.max(line + span);
            self.data_rows += 1;
            if self.rec.iter().all(|f| f.trim_ascii().is_empty()) {
                skipped.push(Skip { line, reason: BLANK.to_string() });
                continue;
            }
            return Ok(Some(line));
        }
    }
}

/// Where a source of records is: the csv reader over any body, or the plain splitter over a
/// body without quotes.
pub(crate) trait RowSource {
    type Rec: Record;
    /// Advance to the next non-blank record and return its line (see [`Rows::next`]).
    fn next_row(&mut self, path: &Path, skipped: &mut Vec<Skip>) -> Result<Option<usize>>;
    fn record(&self) -> &Self::Rec;
    /// Data rows met so far (records and blank lines).
    fn data_rows(&self) -> usize;
}

impl RowSource for Rows<'_> {
    type Rec = ByteRecord;
    fn next_row(&mut self, path: &Path, skipped: &mut Vec<Skip>) -> Result<Option<usize>> {
        self.next(path, skipped)
    }
    fn record(&self) -> &ByteRecord {
        &self.rec
    }
    fn data_rows(&self) -> usize {
        self.data_rows
    }
}

/// Can [`SplitRows`] read this body exactly as the csv reader would? Yes when it has no quote
/// (so no field holds a delimiter or a line break) and every `\r` ends a line (the csv reader
/// also ends a record at a lone `\r`; line numbers here count `\n` only).
pub(crate) fn plain(body: &[u8]) -> bool {
    memchr::memchr(b'"', body).is_none() && memchr::memchr_iter(b'\r', body).all(|i| body.get(i + 1) == Some(&b'\n'))
}

/// One line's fields, as byte ranges of the line.
#[derive(Default)]
pub(crate) struct SplitRec<'a> {
    line: &'a [u8],
    bounds: Vec<(usize, usize)>,
}

impl Record for SplitRec<'_> {
    fn len(&self) -> usize {
        self.bounds.len()
    }
    fn get(&self, i: usize) -> Option<&[u8]> {
        let &(a, b) = self.bounds.get(i)?;
        self.line.get(a..b)
    }
}

/// Records of a [`plain`] body, one per line, split at commas; the same records, lines, blank
/// lines and skips as [`Rows`] gives for that body (tested against it). With `semicolons`, one
/// `;` is removed from the end of every line first (SIPRI's 2026 register export).
pub(crate) struct SplitRows<'a> {
    body: &'a [u8],
    pos: usize,
    /// Line number of the line at `pos`.
    line: usize,
    semicolons: bool,
    /// Skip a UTF-8 byte-order mark at the very start, as the csv reader does.
    bom: bool,
    rec: SplitRec<'a>,
    data_rows: usize,
}

impl<'a> SplitRows<'a> {
    /// `first`: `body` starts the text given to the reader (not a later part of it), where
    /// the csv reader would skip a byte-order mark.
    pub fn new(body: &'a [u8], base_line: usize, semicolons: bool, first: bool) -> Self {
        SplitRows {
            body,
            pos: 0,
            line: base_line,
            semicolons,
            bom: first && body.starts_with(b"\xEF\xBB\xBF"),
            rec: SplitRec::default(),
            data_rows: 0,
        }
    }

    /// Line number of the next line (after the last one read: one past the body's last line).
    pub fn next_line(&self) -> usize {
        self.line
    }
}

impl<'a> RowSource for SplitRows<'a> {
    type Rec = SplitRec<'a>;

    fn next_row(&mut self, _path: &Path, skipped: &mut Vec<Skip>) -> Result<Option<usize>> {
        while self.pos < self.body.len() {
            if std::mem::take(&mut self.bom) {
                // (found by the `register_split` fuzzer: a mark after the header)
                self.pos += 3;
            }
            let rest = self.body.get(self.pos..).unwrap_or_default();
            // One pass finds the line's end and its commas.
            let end = scan_line(rest, &mut self.rec.bounds);
            self.pos += if end < rest.len() { end + 1 } else { end };
            let line = self.line;
            self.line += 1;
            self.data_rows += 1;
            let mut l = rest.get(..end).unwrap_or_default();
            if let Some(x) = l.strip_suffix(b"\r") {
                l = x;
            }
            if self.semicolons {
                if let Some(x) = l.strip_suffix(b";") {
                    l = x;
                }
            }
            // Neither `\r` nor `;` is a comma: what was stripped belonged to the last field.
            if let Some(last) = self.rec.bounds.last_mut() {
                last.1 = l.len();
                last.0 = last.0.min(last.1);
            }
            self.rec.line = l;
            // A line is blank when every field is; most lines' first field is not.
            let blank =
                self.rec.field(0).trim_ascii().is_empty() && l.iter().all(|&b| b == b',' || b.is_ascii_whitespace());
            if blank {
                skipped.push(Skip { line, reason: BLANK.to_string() });
                continue;
            }
            return Ok(Some(line));
        }
        Ok(None)
    }

    fn record(&self) -> &SplitRec<'a> {
        &self.rec
    }

    fn data_rows(&self) -> usize {
        self.data_rows
    }
}

/// Find the end of the line at the start of `rest` (the offset of its `\n`, or `rest.len()`)
/// and put the bounds of its comma-separated fields in `bounds` (the last field ends at the
/// line's end). Eight bytes at a time: commas and line feeds in a word are found with exact
/// SWAR zero-byte arithmetic (no carries between bytes, so no false hits). (An SSE2 version,
/// sixteen bytes at a time, measured no faster: the time is in the per-field work.)
/// The last bytes (fewer than a word) of [`scan_line`], one at a time.
fn tail(rest: &[u8], mut base: usize, mut start: usize, bounds: &mut Vec<(usize, usize)>) -> usize {
    for &b in rest {
        if b == b'\n' {
            bounds.push((start, base));
            return base;
        }
        if b == b',' {
            bounds.push((start, base));
            start = base + 1;
        }
        base += 1;
    }
    bounds.push((start, base));
    base
}

fn scan_line(rest: &[u8], bounds: &mut Vec<(usize, usize)>) -> usize {
    const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const COMMAS: u64 = 0x2C2C_2C2C_2C2C_2C2C;
    const LFS: u64 = 0x0A0A_0A0A_0A0A_0A0A;
    // High bit set in exactly the bytes of `x` that are zero.
    let zeros = |x: u64| !(((x & LO7).wrapping_add(LO7)) | x | LO7);
    bounds.clear();
    let mut start = 0usize;
    let mut base = 0usize;
    let mut push = |hits: u64, base: usize, start: &mut usize| {
        let mut hits = hits;
        while hits != 0 {
            let at = base + (hits.trailing_zeros() / 8) as usize;
            bounds.push((*start, at));
            *start = at + 1;
            hits &= hits - 1;
        }
    };
    let mut words = rest.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b);
        let commas = zeros(x ^ COMMAS);
        let lf = zeros(x ^ LFS);
        if lf != 0 {
            let stop = lf.trailing_zeros() / 8;
            // Commas before the line feed only (`stop` is 0..=7, so the shift is in range).
            push(commas & ((1u64 << (stop * 8)) - 1), base, &mut start);
            let end = base + stop as usize;
            bounds.push((start, end));
            return end;
        }
        push(commas, base, &mut start);
        base += 8;
    }
    tail(words.remainder(), base, start, bounds)
}

/// What one reader builds for one file: the ledger (over a placeholder registry until the caller
/// sets the real one) and the name cache.
pub(crate) struct FileCtx<'r> {
    pub path: &'r Path,
    pub reg: &'r mut ActorRegistry,
    pub header: Vec<String>,
    cache: FxHashMap<Vec<u8>, ActorId>,
    pub ledger: Ledger,
    pub report: FileReport,
}

impl<'r> FileCtx<'r> {
    pub fn new(path: &'r Path, reg: &'r mut ActorRegistry, head: &Head, coverage: Coverage) -> Self {
        let report = FileReport {
            path: path.to_path_buf(),
            format: head.format,
            coverage,
            generated: head.generated.clone(),
            title: head.title.clone(),
            preamble_lines: head.header_line.saturating_sub(1),
            data_rows: 0,
            rows_read: 0,
            entries: 0,
            skipped: Vec::new(),
            new_actors: Vec::new(),
            notes: head.notes.clone(),
            repeated: Vec::new(),
        };
        FileCtx {
            path,
            reg,
            header: head.header.clone(),
            cache: FxHashMap::default(),
            ledger: Ledger::empty(Arc::new(ActorRegistry::new()), coverage),
            report,
        }
    }

    /// The name of an actor for messages (of the registry being filled while the file is read).
    pub fn reg_name(&self, a: ActorId) -> String {
        self.reg.name(a).to_string()
    }

    /// The error context of this file's cells (path and header), shareable across threads.
    pub fn cells(&self) -> Cells<'_> {
        Cells { path: self.path, header: &self.header }
    }

    /// An [`Error::Parse`] at a 0-based field index.
    pub fn parse_error(&self, line: usize, idx: usize, message: impl Into<String>) -> Error {
        self.cells().parse_error(line, idx, message)
    }

    /// Fail when the record has fewer fields than `need`, or extra fields that are not blank.
    pub fn check_width(&self, rec: &ByteRecord, line: usize, need: usize) -> Result<()> {
        self.cells().check_width(rec, line, need)
    }

    /// Resolve an actor name (trimmed) once per distinct spelling; names the registry did not
    /// know go to the report's `new_actors`.
    pub fn actor(&mut self, raw: &[u8], line: usize, idx: usize) -> Result<ActorId> {
        if let Some(id) = self.cache.get(raw) {
            return Ok(*id);
        }
        let id = self.actor_str(&String::from_utf8_lossy(raw), line, idx)?;
        self.cache.insert(raw.to_vec(), id);
        Ok(id)
    }

    /// As [`FileCtx::actor`] for a name that is already a string (a table's title).
    pub fn actor_str(&mut self, name: &str, line: usize, idx: usize) -> Result<ActorId> {
        let name = name.trim();
        if name.is_empty() {
            return Err(self.parse_error(line, idx, "empty actor name"));
        }
        let (id, new) = self.reg.intern(name);
        if new && !self.report.new_actors.iter().any(|n| n == name) {
            self.report.new_actors.push(name.to_string());
        }
        Ok(id)
    }

    /// The aggregate `World` actor (added to a registry that lacks it).
    pub fn world(&mut self) -> ActorId {
        match self.reg.lookup(WORLD) {
            Some(id) => id,
            None => self.reg.intern(WORLD).0,
        }
    }

    pub fn skip(&mut self, line: usize, reason: &str) {
        self.report.skipped.push(Skip { line, reason: reason.to_string() });
    }

    /// A non-negative TIV value; `Ok(None)` for an empty cell.
    pub fn tiv(&self, rec: &ByteRecord, idx: usize, line: usize) -> Result<Option<f64>> {
        self.cells().tiv(field(rec, idx), idx, line)
    }

    /// A non-negative number that is not a TIV (numbers of items); `Ok(None)` when empty.
    pub fn count(&self, rec: &ByteRecord, idx: usize, line: usize) -> Result<Option<f64>> {
        self.cells().count(field(rec, idx), idx, line)
    }

    /// A year in 1900..=2100; `Ok(None)` when empty.
    pub fn year(&self, rec: &ByteRecord, idx: usize, line: usize) -> Result<Option<i32>> {
        self.cells().year(field(rec, idx), idx, line)
    }

    pub fn year_of(&self, raw: &[u8], idx: usize, line: usize) -> Result<Option<i32>> {
        self.cells().year(raw, idx, line)
    }

    /// An uncertainty flag column of the classic register: `?` or empty.
    pub fn flag(&self, rec: &ByteRecord, idx: Option<usize>, line: usize) -> Result<bool> {
        let Some(idx) = idx else { return Ok(false) };
        let raw = field(rec, idx);
        match raw.trim_ascii() {
            b"" => Ok(false),
            b"?" => Ok(true),
            _ => Err(self.parse_error(line, idx, format!("expected '?' or nothing, found {:?}", lossy(raw)))),
        }
    }

    /// A text cell, trimmed.
    pub fn text(rec: &ByteRecord, idx: usize) -> String {
        String::from_utf8_lossy(rec.get(idx).unwrap_or_default().trim_ascii()).into_owned()
    }

    /// Finish: fill the report's counters, check that every data row is accounted for, and
    /// attach the report to the ledger.
    pub fn finish(self, rows: &Rows) -> Ledger {
        self.finish_rows(rows.data_rows)
    }

    /// [`FileCtx::finish`] given the number of data rows met.
    pub fn finish_rows(mut self, data_rows: usize) -> Ledger {
        self.report.data_rows = data_rows;
        self.report.entries = self.ledger.len();
        self.report.skipped.sort_by_key(|s| s.line);
        debug_assert_eq!(
            self.report.rows_read + self.report.skipped.len(),
            self.report.data_rows,
            "{}: every data row is read or skipped",
            self.path.display()
        );
        self.ledger.report.files.push(self.report);
        self.ledger
    }
}

/// Field `idx` of a record (empty when the record is shorter).
fn field(rec: &ByteRecord, idx: usize) -> &[u8] {
    rec.get(idx).unwrap_or_default()
}

/// A record's fields: a csv [`ByteRecord`] or a [`SplitRec`].
pub(crate) trait Record {
    fn len(&self) -> usize;
    fn get(&self, i: usize) -> Option<&[u8]>;
    /// Field `i`, empty when the record is shorter.
    fn field(&self, i: usize) -> &[u8] {
        self.get(i).unwrap_or_default()
    }
}

impl Record for ByteRecord {
    fn len(&self) -> usize {
        ByteRecord::len(self)
    }
    fn get(&self, i: usize) -> Option<&[u8]> {
        ByteRecord::get(self, i)
    }
}

/// What the readers' value parsers need to say where a bad value is: the file and its header.
/// `Copy` and `Sync`, so that the parts of a file read in parallel share it.
#[derive(Clone, Copy)]
pub(crate) struct Cells<'a> {
    pub path: &'a Path,
    pub header: &'a [String],
}

impl Cells<'_> {
    /// The column name of a 0-based field index, for error messages.
    pub fn column_name(&self, idx: usize) -> Option<String> {
        self.header.get(idx).map(|s| if s.is_empty() { format!("(column {})", idx + 1) } else { s.clone() })
    }

    /// An [`Error::Parse`] at a 0-based field index.
    pub fn parse_error(&self, line: usize, idx: usize, message: impl Into<String>) -> Error {
        Error::Parse {
            path: self.path.to_path_buf(),
            line,
            column: idx + 1,
            column_name: self.column_name(idx),
            message: message.into(),
        }
    }

    /// Fail when the record has fewer fields than `need`, or extra fields that are not blank.
    pub fn check_width<R: Record + ?Sized>(&self, rec: &R, line: usize, need: usize) -> Result<()> {
        let n = rec.len();
        if n < need {
            let name = self.column_name(n).unwrap_or_default();
            return Err(self.parse_error(
                line,
                n,
                format!("truncated row: {n} of {need} fields, the row ends before column {name:?}"),
            ));
        }
        if let Some(i) = (need..n).find(|&i| !rec.field(i).trim_ascii().is_empty()) {
            return Err(Error::Parse {
                path: self.path.to_path_buf(),
                line,
                column: i + 1,
                column_name: None,
                message: format!("the row has {n} fields, more than the {need} of the header"),
            });
        }
        Ok(())
    }

    /// A non-negative TIV value of at most [`MAX_TIV`]; `Ok(None)` for an empty cell. Infinity
    /// and NaN are not numbers ([`parse_number`]); a finite value above the bound (`1e308`)
    /// is refused too, since sums of it overflow (see [`MAX_TIV`]).
    pub fn tiv(&self, raw: &[u8], idx: usize, line: usize) -> Result<Option<f64>> {
        match parse_number(raw) {
            Number::Empty => Ok(None),
            Number::Value(v) if (0.0..=MAX_TIV).contains(&v) => Ok(Some(v)),
            Number::Value(v) if v > MAX_TIV => Err(self.parse_error(
                line,
                idx,
                format!("TIV {v:e} is above {MAX_TIV:e} (millions), far beyond any SIPRI figure (the largest is about 18,000): a corrupt value"),
            )),
            Number::Value(v) => {
                Err(self.parse_error(line, idx, format!("negative TIV {v}: SIPRI values are never negative")))
            }
            Number::Invalid => Err(self.parse_error(line, idx, format!("{:?} is not a number", lossy(raw)))),
        }
    }

    /// A non-negative number that is not a TIV (numbers of items); `Ok(None)` when empty.
    pub fn count(&self, raw: &[u8], idx: usize, line: usize) -> Result<Option<f64>> {
        match parse_number(raw) {
            Number::Empty => Ok(None),
            Number::Value(v) if v >= 0.0 => Ok(Some(v)),
            Number::Value(v) => Err(self.parse_error(line, idx, format!("negative number {v}"))),
            Number::Invalid => Err(self.parse_error(line, idx, format!("{:?} is not a number", lossy(raw)))),
        }
    }

    /// A year in 1900..=2100; `Ok(None)` when empty.
    pub fn year(&self, raw: &[u8], idx: usize, line: usize) -> Result<Option<i32>> {
        if let &[a @ b'1'..=b'2', b, c, d] = raw {
            if b.is_ascii_digit() && c.is_ascii_digit() && d.is_ascii_digit() {
                let y = [a, b, c, d].iter().fold(0i32, |y, &x| y * 10 + i32::from(x - b'0'));
                if (YEAR_MIN..=YEAR_MAX).contains(&y) {
                    return Ok(Some(y));
                }
            }
        }
        let t = raw.trim_ascii();
        if t.is_empty() {
            return Ok(None);
        }
        match parse_int(t) {
            Some(y) if (YEAR_MIN as i64..=YEAR_MAX as i64).contains(&y) => Ok(Some(y as i32)),
            Some(y) => Err(self.parse_error(line, idx, format!("year {y} is outside {YEAR_MIN}-{YEAR_MAX}"))),
            None => Err(self.parse_error(line, idx, format!("{:?} is not a year", lossy(raw)))),
        }
    }

    /// A `Yes`/`No` column (empty is no).
    pub fn yes_no(&self, raw: &[u8], idx: usize, line: usize) -> Result<bool> {
        match raw {
            b"No" => return Ok(false),
            b"Yes" => return Ok(true),
            _ => {}
        }
        let t = raw.trim_ascii();
        if t.is_empty() || t.eq_ignore_ascii_case(b"no") {
            Ok(false)
        } else if t.eq_ignore_ascii_case(b"yes") {
            Ok(true)
        } else {
            Err(self.parse_error(line, idx, format!("expected Yes or No, found {:?}", lossy(raw))))
        }
    }
}

/// Number of `\n` bytes (in blocks of 255 with a byte-wide counter, which vectorises well).
fn count_newlines(s: &[u8]) -> usize {
    s.chunks(255).map(|c| usize::from(c.iter().fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b'\n'))))).sum()
}

pub(crate) fn lossy(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

pub(crate) enum Number {
    Empty,
    Value(f64),
    Invalid,
}

const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// Parse a decimal number (surrounding spaces allowed). Plain `123` and `12.5` take a fast path
/// that gives the same, correctly rounded result as `str::parse`; anything else goes through
/// `str::parse::<f64>`. Infinities and NaN are invalid.
pub(crate) fn parse_number(raw: &[u8]) -> Number {
    let t = raw.trim_ascii();
    if t.is_empty() {
        return Number::Empty;
    }
    // Fast path: up to 15 digits with at most one '.', no sign, no exponent.
    if t.len() <= 16 {
        let (mut m, mut digits, mut dot) = (0u64, 0usize, None);
        for (i, &b) in t.iter().enumerate() {
            let d = b.wrapping_sub(b'0');
            if d < 10 {
                m = m * 10 + u64::from(d);
                digits += 1;
            } else if b == b'.' && dot.is_none() {
                dot = Some(i);
            } else {
                digits = usize::MAX;
                break;
            }
        }
        if digits > 0 && digits <= 15 {
            let k = dot.map_or(0, |i| t.len() - i - 1);
            if k == 0 {
                return Number::Value(m as f64);
            }
            // m < 10^15 < 2^53 and 10^k exact: one correctly rounded division (Clinger's fast
            // path).
            return Number::Value(m as f64 / POW10[k.min(15)]);
        }
    }
    match std::str::from_utf8(t).ok().and_then(|s| s.parse::<f64>().ok()) {
        Some(v) if v.is_finite() => Number::Value(v),
        _ => Number::Invalid,
    }
}

/// Parse a plain integer (optional sign, digits only).
pub(crate) fn parse_int(t: &[u8]) -> Option<i64> {
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || digits.len() > 12 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = digits.iter().fold(0i64, |a, &b| a * 10 + i64::from(b - b'0'));
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for s in [
            "0",
            "1.2",
            "0.25",
            "5.76",
            "30783.69",
            "123456789012345",
            "0.1",
            "3.",
            ".5",
            " 0 ",
            "1e3",
            "12345678901234567",
        ] {
            let want: f64 = s.trim().parse().unwrap();
            match parse_number(s.as_bytes()) {
                Number::Value(v) => assert_eq!(v.to_bits(), want.to_bits(), "{s}"),
                _ => panic!("{s}"),
            }
        }
        assert!(matches!(parse_number(b""), Number::Empty));
        assert!(matches!(parse_number(b"  "), Number::Empty));
        for s in ["abc", "1.2.3", "inf", "NaN", "-", ".", "1,5"] {
            assert!(matches!(parse_number(s.as_bytes()), Number::Invalid), "{s}");
        }
        assert!(matches!(parse_number(b"-5"), Number::Value(v) if v == -5.0));
    }

    #[test]
    fn line_scans_agree() {
        // The SWAR scan against a plain byte loop, on lines of every length up to 70 with
        // commas and line feeds at every position (and bytes that differ from them in one bit).
        let alphabet = [b'a', b',', b'\n', b' ', 0x80, 0x2C ^ 0x80, 0x0A ^ 0x80, 0x2D, 0x0B];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for len in 0..70usize {
            for _ in 0..200 {
                let line: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        alphabet[(seed % alphabet.len() as u64) as usize]
                    })
                    .collect();
                let mut want = Vec::new();
                let want_end = tail(&line, 0, 0, &mut want);
                let mut a = Vec::new();
                assert_eq!(scan_line(&line, &mut a), want_end, "{line:?}");
                assert_eq!(a, want, "{line:?}");
            }
        }
    }

    #[test]
    fn newline_count() {
        let s: Vec<u8> = (0..10_000u32).map(|i| if i % 7 == 0 { b'\n' } else { b'x' }).collect();
        assert_eq!(count_newlines(&s), s.iter().filter(|&&b| b == b'\n').count());
        assert_eq!(count_newlines(&[b'\n'; 600]), 600);
        assert_eq!(count_newlines(b""), 0);
    }

    #[test]
    fn rows_lines_and_blanks() {
        let body = b"a,b\n\nc,d\r\n\r\n,,\n\"x\ny\",z\nlast\n\n";
        let mut rows = Rows::new(body, 10);
        let mut skipped = Vec::new();
        let mut lines = Vec::new();
        while let Some(l) = rows.next(Path::new("t"), &mut skipped).unwrap() {
            lines.push(l);
        }
        assert_eq!(lines, vec![10, 12, 15, 17]);
        let blank: Vec<usize> = skipped.iter().map(|s| s.line).collect();
        assert_eq!(blank, vec![11, 13, 14, 18]);
        assert_eq!(rows.data_rows, 8);
    }

    #[test]
    fn rows_after_a_byte_order_mark() {
        // A mark right after the header: skipped, and the lines still count it.
        for (body, want_lines, want_blank) in [
            (&b"\xEF\xBB\xBF\nx,1\n"[..], vec![11], vec![10]),
            (&b"\xEF\xBB\xBFx,1\n  \ny\n"[..], vec![10, 12], vec![11]),
            (&b"\xEF\xBB\xBF"[..], vec![], vec![10]),
        ] {
            let mut rows = Rows::new(body, 10);
            let mut split = SplitRows::new(body, 10, false, true);
            for (src, name) in [(&mut rows as &mut dyn RowSourceDyn, "csv"), (&mut split, "plain")] {
                let mut skipped = Vec::new();
                let mut lines = Vec::new();
                while let Some(l) = src.next_dyn(&mut skipped) {
                    lines.push(l);
                }
                assert_eq!(lines, want_lines, "{name} {body:?}");
                assert_eq!(skipped.iter().map(|s| s.line).collect::<Vec<_>>(), want_blank, "{name} {body:?}");
            }
        }
        let mut rows = Rows::new(b"\xEF\xBB\xBF04846,a\n", 10);
        rows.next(Path::new("t"), &mut Vec::new()).unwrap();
        assert_eq!(rows.rec.get(0), Some(&b"04846"[..]));
    }

    /// The two row sources behind one object-safe face, for the test above.
    trait RowSourceDyn {
        fn next_dyn(&mut self, skipped: &mut Vec<Skip>) -> Option<usize>;
    }

    impl<S: RowSource> RowSourceDyn for S {
        fn next_dyn(&mut self, skipped: &mut Vec<Skip>) -> Option<usize> {
            self.next_row(Path::new("t"), skipped).unwrap()
        }
    }

    #[test]
    fn rows_without_final_newline() {
        let mut rows = Rows::new(b"a\r\nb", 2);
        let mut skipped = Vec::new();
        assert_eq!(rows.next(Path::new("t"), &mut skipped).unwrap(), Some(2));
        assert_eq!(rows.next(Path::new("t"), &mut skipped).unwrap(), Some(3));
        assert_eq!(rows.next(Path::new("t"), &mut skipped).unwrap(), None);
        assert!(skipped.is_empty());
        assert_eq!(rows.data_rows, 2);
    }
}
