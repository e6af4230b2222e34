//! The reading layer: the one way every reader opens an input file, the limits every reader
//! holds to, the one text decoder (`text`: UTF-8, BOM, SIPRI's Latin-1 exports) and the sheet
//! reader of the COW-style files (`sheet`: required columns, rows read one at a time, typed cells
//! whose errors name the file, line, column and column name).
//!
//! Every reader of the core (SIPRI exports and folders, COW NMC, states and majors, alliances,
//! ideal points, SIPRI military expenditure, Maddison and Anders-Fariss-Markowitz GDP, the
//! panels' alliance reader, ledger and table files) reads its file through [`read_file`], which
//!
//! - refuses anything that is not a regular file before opening it: a FIFO (named pipe), a
//!   character device such as `/dev/zero`, a socket or a block device would block or never end,
//!   so the error names the path and what it is ([`Error::Io`], `InvalidInput`);
//! - refuses a file larger than [`MAX_INPUT_BYTES`] (64 MiB) before reading it, and never reads
//!   more than that many bytes plus one (a file that grows while it is read is caught too)
//!   ([`Error::Io`], `InvalidData`). The largest real input is the ATOP 5.1 dyad-year file, 6.2 MB;
//!   SIPRI's trade registers are 3-4 MB. The readers' memory is a small multiple of the file's
//!   size, so the cap bounds it: no input makes a reader take more than about 1 GB.
//!
//! Every reader also refuses a line longer than [`MAX_LINE_BYTES`] (64 KiB; the longest real line
//! is 1,446 bytes) with an [`Error::Format`] at that line, before splitting it into fields, and
//! SIPRI's layout detection reads at most 40 lines and 64 KiB (see `sipri::sniff`).
//!
//! Readers of data by year also hold their years to a documented range (a year outside it is an
//! [`Error::Parse`] naming the file, line, column and column name), so that nothing computed
//! later allocates one slot per year for an absurd span:
//!
//! | data | years accepted | real data |
//! |---|---|---|
//! | state-system data ([`STATE_YEARS`]): COW NMC, states, majors, alliances (COW, ATOP), UN ideal points, SIPRI military expenditure, Anders-Fariss-Markowitz | 1600-2100 | 1800-2024 |
//! | Maddison Project ([`MADDISON_YEARS`]) | 1-2100 | 1-2022 |
//!
//! and every metric that allocates one slot per year checks the span with [`guard_span`]
//! (at most [`MAX_SPAN_YEARS`] years). COW country codes are three-digit numbers
//! ([`COW_CODES`], 2-990 in the real data), which bounds the per-state arrays as well.

pub(crate) mod sheet;
pub(crate) mod text;

pub(crate) use text::read_utf8;

use crate::error::{Error, Result};
use crate::period::Period;
use std::io::Read;
use std::ops::RangeInclusive;
use std::path::Path;

/// The largest input file a reader takes by default: 64 MiB (ten times the largest real input).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The environment variable that raises (or lowers) the cap for a run that means it: a whole
/// number of MiB, at least 1 (the benchmarks read synthetic registers of 100 times the real
/// size, 303 MB, with `POWERBALANCE_MAX_INPUT_MB=1024`). Anything else leaves the default.
pub const MAX_INPUT_ENV: &str = "POWERBALANCE_MAX_INPUT_MB";

/// The cap in force: [`MAX_INPUT_ENV`] when set to a whole number of MiB of at least 1, else
/// [`MAX_INPUT_BYTES`].
pub fn max_input_bytes() -> u64 {
    cap_from(std::env::var(MAX_INPUT_ENV).ok().as_deref())
}

fn cap_from(v: Option<&str>) -> u64 {
    match v.and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(mb) if mb >= 1 => mb.saturating_mul(1024 * 1024),
        _ => MAX_INPUT_BYTES,
    }
}

/// Years accepted in state-system data (COW, ATOP, UN ideal points, SIPRI military expenditure,
/// Anders-Fariss-Markowitz).
pub const STATE_YEARS: RangeInclusive<i32> = 1600..=2100;

/// Years accepted in the Maddison Project table (which starts in year 1).
pub const MADDISON_YEARS: RangeInclusive<i32> = 1..=2100;

/// COW country codes accepted by the readers (three-digit codes; 2-990 in the real data).
pub const COW_CODES: RangeInclusive<u16> = 1..=999;

/// The longest span of years a metric allocates per-year slots for.
pub const MAX_SPAN_YEARS: usize = 2100;

/// The most rows a dyad-year panel may have: five times the 1.9 million directed dyad-years of
/// the real COW state system (1816-2016), so that a hostile state list (999 states over five
/// centuries) is an error instead of hundreds of gigabytes.
pub const MAX_PANEL_ROWS: usize = 10_000_000;

/// The longest line a reader takes: 64 KiB (the longest line of the real data is 1,446 bytes, in
/// a country-code list; SIPRI's longest is 784). A longer line would make a reader hold one
/// entry per field of it (a line of 60 MB of commas is 60 million fields).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Fail with a [`Error::Format`] at the first line of `text` longer than [`MAX_LINE_BYTES`];
/// `first_line` is the 1-based number of the text's first line in the file.
pub fn check_lines(text: &[u8], first_line: usize, path: &Path) -> Result<()> {
    // Line ends found with `memchr` (many bytes at a time); a text without a line longer than
    // the limit costs one pass at memory speed.
    let mut start = 0usize;
    let ends = memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len()));
    for (k, end) in ends.enumerate() {
        let len = end - start;
        if len > MAX_LINE_BYTES {
            return Err(Error::Format {
                path: path.to_path_buf(),
                line: first_line + k,
                message: format!(
                    "line {} is {len} bytes long; a reader takes lines of up to {MAX_LINE_BYTES} bytes (64 KiB), and no real data line is longer than 2 KB",
                    first_line + k,
                ),
            });
        }
        start = end + 1;
    }
    Ok(())
}

/// What a non-regular file is, for the error message.
pub(crate) fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

fn refuse(path: &Path, kind: std::io::ErrorKind, message: String) -> Error {
    Error::Io { path: path.to_path_buf(), source: std::io::Error::new(kind, message) }
}

/// Check that `path` is a regular file (after following symbolic links), without a size limit;
/// returns its size. The ledger and table files powerbalance writes itself ([`crate::io`]) are
/// checked this way: a panel written as a table may well exceed 64 MiB.
pub fn check_regular(path: &Path) -> Result<u64> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    if !meta.is_file() {
        return Err(refuse(
            path,
            std::io::ErrorKind::InvalidInput,
            format!("is {}, not a regular file; powerbalance reads data only from regular files", kind_of(&meta)),
        ));
    }
    Ok(meta.len())
}

/// Check that `path` is a regular file (after following symbolic links) no larger than
/// [`MAX_INPUT_BYTES`]; returns its size.
pub fn check_file(path: &Path) -> Result<u64> {
    let len = check_regular(path)?;
    check_size(path, len)?;
    Ok(len)
}

/// Fail when `len` bytes exceed [`MAX_INPUT_BYTES`].
pub fn check_size(path: &Path, len: u64) -> Result<()> {
    let cap = max_input_bytes();
    if len > cap {
        return Err(refuse(
            path,
            std::io::ErrorKind::InvalidData,
            format!(
                "the file is {len} bytes, more than the {cap} bytes ({} MiB) a powerbalance reader takes (the largest real input is about 6 MB; {MAX_INPUT_ENV} raises the cap)",
                cap / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// Read a whole input file: a regular file of at most [`MAX_INPUT_BYTES`] (see the module docs).
///
/// ```
/// # use powerbalance_core::{input, Error};
/// # use std::path::Path;
/// let e = input::read_file(Path::new("/dev/zero")).unwrap_err();
/// assert!(matches!(e, Error::Io { .. }));
/// assert!(e.to_string().contains("character device"));
/// ```
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let len = check_file(path)?;
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    // The path may have been replaced between the check and the open: check the open file too.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(refuse(
            path,
            std::io::ErrorKind::InvalidInput,
            format!("is {}, not a regular file; powerbalance reads data only from regular files", kind_of(&meta)),
        ));
    }
    let cap = max_input_bytes();
    let mut bytes = Vec::with_capacity(len.min(cap) as usize);
    file.take(cap + 1).read_to_end(&mut bytes).map_err(io)?;
    check_size(path, bytes.len() as u64)?;
    Ok(bytes)
}

/// Check that a per-year computation over `p` stays within [`MAX_SPAN_YEARS`]; `what` names the
/// data for the error.
pub fn guard_span(what: &str, p: Period) -> Result<Period> {
    let len = i64::from(p.end) - i64::from(p.start) + 1;
    if len < 1 || len > MAX_SPAN_YEARS as i64 {
        return Err(Error::invalid(format!(
            "{what}: the span {}-{} is {len} years; a per-year computation covers 1 to {MAX_SPAN_YEARS} years",
            p.start, p.end
        )));
    }
    Ok(p)
}

/// Read a file as UTF-8 text ([`read_utf8`]) and parse it with a reader's text parser (the
/// `parse_*` function that the fuzz targets and tests call on text in memory).
pub(crate) fn read_with<T>(path: &Path, parse: impl FnOnce(&str, &Path) -> Result<T>) -> Result<T> {
    parse(&read_utf8(path)?, path)
}

/// Check a requested period against a dataset's coverage: no value is invented outside it
/// (`None` asks for the whole coverage). The span is also held to [`MAX_SPAN_YEARS`], since
/// callers allocate one slot per year of it (the readers' year ranges keep real coverages far
/// inside).
pub(crate) fn within(dataset: &str, coverage: Period, p: Option<Period>) -> Result<Period> {
    let p = p.unwrap_or(coverage);
    Error::check_coverage(dataset, Some(coverage), p, "the query")?;
    guard_span(dataset, p)
}

/// The years a table read by year covers, kept by the table: empty (`0-0`) until the reader has
/// read every row and set it with [`Span::of`] (a reader refuses a file without data rows first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span(pub Period);

impl Default for Span {
    fn default() -> Self {
        Span(Period { start: 0, end: 0 })
    }
}

impl Span {
    /// The first and last of the years read.
    pub fn of(years: &[i32]) -> Span {
        let lo = years.iter().copied().min().unwrap_or(0);
        let hi = years.iter().copied().max().unwrap_or(0);
        Span(Period { start: lo, end: hi })
    }
}

/// `len`, `is_empty` and `coverage` for a columnar table read by year: a `year: Vec<i32>` column
/// and a `coverage: Span` field that the reader sets with [`Span::of`]. `$rows` names a row
/// (`"state-year rows"`), `$coverage` documents the coverage of the real data.
macro_rules! year_rows {
    ($t:ty, $rows:literal, $coverage:literal) => {
        impl $t {
            #[doc = concat!("Number of ", $rows, ".")]
            pub fn len(&self) -> usize {
                self.year.len()
            }

            #[doc = concat!("True when the table has no ", $rows, ".")]
            pub fn is_empty(&self) -> bool {
                self.year.is_empty()
            }

            #[doc = $coverage]
            pub fn coverage(&self) -> $crate::period::Period {
                self.coverage.0
            }
        }
    };
}
pub(crate) use year_rows;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_is_64_mib_unless_a_whole_number_of_mib_is_given() {
        assert_eq!(cap_from(None), MAX_INPUT_BYTES);
        for bad in ["", "0", "-5", "1.5", "lots", "99999999999999999999999"] {
            assert_eq!(cap_from(Some(bad)), MAX_INPUT_BYTES, "{bad:?}");
        }
        assert_eq!(cap_from(Some(" 1024 ")), 1 << 30);
        assert_eq!(cap_from(Some("1")), 1 << 20);
    }

    #[test]
    fn refuses_devices_and_folders() {
        for (p, what) in [("/dev/zero", "character device"), ("/dev/null", "character device"), ("/", "a folder")] {
            let p = Path::new(p);
            if p.exists() {
                let e = read_file(p).unwrap_err();
                assert!(e.to_string().contains(what), "{e}");
            }
        }
    }

    #[test]
    fn the_first_long_line_is_found_at_every_place() {
        let p = Path::new("t.csv");
        let long = "x".repeat(MAX_LINE_BYTES + 1);
        let at_limit = "y".repeat(MAX_LINE_BYTES);
        for (text, want) in [
            (String::new(), None),
            (format!("{at_limit}\n{at_limit}"), None),
            // a `\r` before the line end counts, as it always has
            (format!("{at_limit}\r\n"), Some(7)),
            (long.clone(), Some(7)),
            (format!("a\n{long}"), Some(8)),
            (format!("a\n\n{long}\nb\n{long}\n"), Some(9)),
            (format!("{at_limit}\n{at_limit}\n{long}"), Some(9)),
        ] {
            let got = match check_lines(text.as_bytes(), 7, p) {
                Ok(()) => None,
                Err(Error::Format { line, message, .. }) => {
                    assert!(message.contains(&format!("{} bytes long", MAX_LINE_BYTES + 1)), "{message}");
                    Some(line)
                }
                Err(e) => panic!("{e}"),
            };
            assert_eq!(got, want, "{:?}", text.get(..20));
        }
    }

    #[test]
    fn spans() {
        assert!(guard_span("x", Period { start: 1, end: 2100 }).is_ok());
        assert!(guard_span("x", Period { start: 0, end: 2100 }).is_err());
        assert!(guard_span("x", Period { start: i32::MIN, end: i32::MAX }).is_err());
        assert!(guard_span("x", Period { start: 5, end: 4 }).is_err());
    }
}
