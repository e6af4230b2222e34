//! Decoding (UTF-8, BOM, SIPRI's Latin-1 exports) and layout detection from a file's first lines.
//!
//! **What detection reads.** The layout is found in the first [`MAX_HEAD_LINES`] (40) lines and
//! the first [`HEAD_BYTES`] (64 KiB) of the file, whichever ends first: SIPRI's preambles have 8 to
//! 11 short lines and no header of a real export is longer than 2 KB. A file with no known header
//! there is a [`Error::Format`] naming the file (and, when a line runs past the 64 KiB, saying so),
//! so that a file whose first line is tens of megabytes is refused after reading 64 KiB of it,
//! without splitting it into fields.
//!
//! **Encoding.** The one decoder of the core ([`crate::input::text`]) reads a file as UTF-8; a
//! file that is not UTF-8 is read as ISO-8859-1 (Latin-1) only when its first lines look like a
//! SIPRI export (SIPRI's classic register export is Latin-1) and it holds no valid UTF-8
//! multi-byte character at all ([`decode`]).

use crate::error::{Error, Result};
use crate::input::text::{self, NotUtf8};
use crate::ledger::SipriFormat;
use std::path::Path;

/// How many lines may precede the header (SIPRI's preambles have 8 to 11).
pub(crate) const MAX_HEAD_LINES: usize = 40;

/// How many bytes of a file detection reads (the preamble and the header must lie inside).
pub(crate) const HEAD_BYTES: usize = 64 * 1024;

pub(crate) use crate::input::text::Text as Source;

/// SIPRI's encoding policy: Latin-1 only for what looks like a SIPRI export.
const SIPRI_TEXT: NotUtf8 = NotUtf8::Latin1If { test: looks_like_sipri, kind: "a SIPRI export" };

/// Decode a file's bytes: UTF-8 (with or without BOM) is taken as is; other bytes are decoded as
/// Latin-1 only when the file's first lines look like a SIPRI export.
pub(crate) fn decode<'a>(bytes: &'a [u8], path: &Path) -> Result<Source<'a>> {
    text::decode(bytes, path, SIPRI_TEXT)
}

/// [`decode`] into an owned source (for files kept while a folder is sorted out).
pub(crate) fn decode_owned(bytes: Vec<u8>, path: &Path) -> Result<Source<'static>> {
    text::decode_owned(bytes, path, SIPRI_TEXT)
}

/// Does the start of a (non-UTF-8) file look like a SIPRI export?
fn looks_like_sipri(bytes: &[u8]) -> bool {
    let bytes = bytes.get(..HEAD_BYTES).unwrap_or(bytes);
    let head: Vec<&[u8]> = bytes.split(|&b| b == b'\n').take(16).collect();
    let first = head.first().copied().unwrap_or_default();
    let starts = |p: &[u8]| first.len() >= p.len() && first[..p.len()].eq_ignore_ascii_case(p);
    starts(b"Transfers of major conventional arms")
        || starts(b"\"TIV of arms")
        || starts(b"TIV of arms")
        || starts(b"Volume of transfers of major arms")
        || head.iter().any(|l| l.windows(5).any(|w| w == b"SIPRI"))
}

/// Which way a totals or wide table points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Exports: rows are recipients of one supplier (wide) or suppliers (totals).
    Exports,
    /// Imports: rows are suppliers of one recipient (wide) or recipients (totals).
    Imports,
}

/// What the first lines of a file say about it.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub format: SipriFormat,
    /// 1-based line of the header.
    pub header_line: usize,
    /// Header fields, trimmed.
    pub header: Vec<String>,
    /// Byte offset in the text of the line after the header.
    pub body_start: usize,
    /// Every line ends with `;` (the 2026 register export): strip it.
    pub semicolons: bool,
    pub title: Option<String>,
    pub generated: Option<String>,
    /// Year tables: which way the table points.
    pub direction: Option<Direction>,
    /// Wide tables: the one supplier (exports) or recipient (imports) the title names.
    pub subject: Option<String>,
    /// Remarks for the load report.
    pub notes: Vec<String>,
}

/// The header kinds [`classify`] recognises.
enum HeaderKind {
    Register,
    Classic,
    Long,
    CountryList,
    /// First cell, then years from field 1; `values` when a `YYYY-YYYY` column follows the years.
    Years {
        values: bool,
    },
}

pub(crate) const REGISTER_COLUMNS: [&str; 17] = [
    "SIPRI AT Database ID",
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
];

/// The named columns of the classic register (the three `" "` flag columns are positional).
pub(crate) const CLASSIC_COLUMNS: [&str; 13] = [
    "Recipient",
    "Supplier",
    "Year of order",
    "Number ordered",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
];

pub(crate) fn is_year(s: &str) -> Option<i32> {
    let t = s.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok().filter(|y| (1900..=2100).contains(y))
    } else {
        None
    }
}

/// `1990-2023`
pub(crate) fn is_year_range(s: &str) -> bool {
    match s.trim().split_once('-') {
        Some((a, b)) => is_year(a).is_some() && is_year(b).is_some(),
        None => false,
    }
}

fn count_known(fields: &[String], known: &[&str]) -> usize {
    known.iter().filter(|k| fields.iter().any(|f| f.eq_ignore_ascii_case(k))).count()
}

fn classify(fields: &[String]) -> Option<HeaderKind> {
    let lower: Vec<String> = fields.iter().map(|f| f.to_ascii_lowercase()).collect();
    let has = |n: &str| lower.iter().any(|f| f == n);
    if lower.len() >= 4 && has("export_from") && has("import_to") {
        return Some(HeaderKind::Long);
    }
    if lower.len() == 2 && lower[0].contains("code") && (lower[1].contains("label") || lower[1].contains("name")) {
        return Some(HeaderKind::CountryList);
    }
    if count_known(fields, &REGISTER_COLUMNS) >= 9 {
        return Some(HeaderKind::Register);
    }
    if count_known(fields, &CLASSIC_COLUMNS) >= 7 {
        return Some(HeaderKind::Classic);
    }
    let years = fields.iter().skip(1).take_while(|f| is_year(f).is_some()).count();
    if years >= 2 {
        let values = fields.get(1 + years).is_some_and(|f| is_year_range(f));
        return Some(HeaderKind::Years { values });
    }
    None
}

/// Split one line into trimmed CSV fields.
pub(crate) fn split_line(line: &[u8]) -> Vec<String> {
    let trimmed = line.strip_suffix(b"\n").unwrap_or(line);
    let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
    if !trimmed.iter().any(|&b| matches!(b, b'"' | b'\r' | b'\n')) {
        // No quotes, no line break inside: what the csv reader gives, without building one.
        return trimmed.split(|&b| b == b',').map(|f| String::from_utf8_lossy(f).trim().to_string()).collect();
    }
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line);
    let mut rec = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => rec.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// `TIV of arms exports from Russia, 1950-2021` -> (Exports, "Russia").
fn parse_title(title: &str) -> Option<(Direction, String)> {
    let lower = title.to_ascii_lowercase();
    let forms = [
        ("tiv of arms exports from ", Direction::Exports),
        ("tiv of arms imports to ", Direction::Imports),
        ("tiv of arms exports to ", Direction::Imports),
        ("tiv of arms imports from ", Direction::Exports),
    ];
    for (prefix, dir) in forms {
        if lower.starts_with(prefix) {
            let rest = title.get(prefix.len()..)?.trim();
            let subject = match rest.rsplit_once(',') {
                Some((s, tail)) if is_year_range(tail) || is_year(tail).is_some() => s.trim(),
                _ => rest,
            };
            return Some((dir, subject.to_string()));
        }
    }
    None
}

/// Does a table title's subject stand for all countries (a totals table)?
fn is_all(subject: &str) -> bool {
    let s = subject.trim().to_ascii_lowercase();
    s == "all" || s == "all countries" || s.starts_with("all ") || s.starts_with("the top ")
}

fn direction_from(text: &str) -> Option<Direction> {
    let l = text.to_ascii_lowercase();
    let exp = l.contains("export") || l.contains("supplier");
    let imp = l.contains("import") || l.contains("recipient");
    match (exp, imp) {
        (true, false) => Some(Direction::Exports),
        (false, true) => Some(Direction::Imports),
        _ => None,
    }
}

/// Read the first lines of a text: preamble, header, layout. `Ok(None)` when no known header
/// appears in the first [`MAX_HEAD_LINES`] lines; a [`Error::Format`] when a line of those runs
/// past the first [`HEAD_BYTES`] bytes (detection reads no further).
pub(crate) fn sniff(text: &[u8], path: &Path) -> Result<Option<Head>> {
    let mut pos = 0usize;
    let mut line = 0usize;
    let mut title: Option<String> = None;
    let mut generated: Option<String> = None;
    let limit = text.len().min(HEAD_BYTES);
    while pos < text.len() && line < MAX_HEAD_LINES {
        line += 1;
        let end = match text[pos..limit.max(pos)].iter().position(|&b| b == b'\n') {
            Some(i) => pos + i,
            None if text.len() <= HEAD_BYTES => text.len(),
            None => {
                return Err(Error::Format {
                    path: path.to_path_buf(),
                    line,
                    message: format!(
                        "not a SIPRI export this reader knows: no header in the first {} KiB (line {line} runs past them; SIPRI's preambles and headers are a few hundred bytes)",
                        HEAD_BYTES / 1024
                    ),
                })
            }
        };
        let next = (end + 1).min(text.len());
        let mut raw = &text[pos..end];
        pos = next;
        if let Some(r) = raw.strip_suffix(b"\r") {
            raw = r;
        }
        let semicolon = raw.last() == Some(&b';');
        if semicolon {
            raw = &raw[..raw.len() - 1];
        }
        let fields = split_line(raw);
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        let Some(kind) = classify(&fields) else {
            let joined = fields.iter().filter(|f| !f.is_empty()).cloned().collect::<Vec<_>>().join(", ");
            let lower = joined.to_ascii_lowercase();
            for p in ["data generated:", "generated:"] {
                if lower.starts_with(p) {
                    generated = joined.get(p.len()..).map(|s| s.trim().to_string());
                }
            }
            if title.is_none() {
                title = Some(joined);
            }
            continue;
        };
        let mut head = Head {
            format: SipriFormat::TradeRegister,
            header_line: line,
            header: fields,
            body_start: next,
            semicolons: semicolon,
            title,
            generated,
            direction: None,
            subject: None,
            notes: Vec::new(),
        };
        head.format = match kind {
            HeaderKind::Register => SipriFormat::TradeRegister,
            HeaderKind::Classic => SipriFormat::ClassicRegister,
            HeaderKind::Long => SipriFormat::LongTable,
            HeaderKind::CountryList => SipriFormat::CountryList,
            HeaderKind::Years { values: true } => {
                let first = head.header.first().cloned().unwrap_or_default();
                let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                head.direction = direction_from(&first).or_else(|| direction_from(&file));
                if head.direction.is_none() {
                    return Err(Error::Format {
                        path: path.to_path_buf(),
                        line,
                        message: format!(
                            "a SIPRI values table, but neither its first header cell {first:?} nor its file name says whether it holds exports or imports"
                        ),
                    });
                }
                SipriFormat::ValuesTable
            }
            HeaderKind::Years { values: false } => year_table(&mut head, path)?,
        };
        if head.semicolons {
            head.notes.push("every line ended with ';' (the 2026 export); stripped before parsing".into());
        }
        return Ok(Some(head));
    }
    Ok(None)
}

/// Tell a wide table (one supplier or recipient) from a totals ("All") table.
fn year_table(head: &mut Head, path: &Path) -> Result<SipriFormat> {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    match head.title.as_deref() {
        Some(t) => match parse_title(t) {
            Some((dir, subject)) => {
                head.direction = Some(dir);
                if is_all(&subject) {
                    Ok(SipriFormat::AllTable)
                } else {
                    head.subject = Some(subject);
                    Ok(SipriFormat::WideTable)
                }
            }
            None => Err(Error::Format {
                path: path.to_path_buf(),
                line: 1,
                message: format!(
                    "a table by year, but its title {t:?} is not a SIPRI TIV table title ('TIV of arms exports from <supplier>, <years>' or 'TIV of arms imports to <recipient>, <years>')"
                ),
            }),
        },
        None => {
            // No preamble: an uploader's copy of a TIV-Export-All / TIV-Import-All table. The
            // content cannot tell exports from imports unless the first header cell does; the
            // file name is the last resort.
            let first = head.header.first().cloned().unwrap_or_default();
            head.direction = direction_from(&first);
            if head.direction.is_none() {
                head.direction = direction_from(&file);
                if head.direction.is_some() {
                    head.notes.push(format!(
                        "no SIPRI preamble: {} totals assumed from the file name",
                        if head.direction == Some(Direction::Exports) { "export" } else { "import" }
                    ));
                }
            }
            if head.direction.is_none() {
                return Err(Error::Format {
                    path: path.to_path_buf(),
                    line: head.header_line,
                    message: "a TIV totals table without SIPRI's preamble: nothing in it says whether it holds exports or imports, and its file name contains neither 'Export' nor 'Import' (rename it, e.g. TIV-Export-All.csv)".into(),
                });
            }
            Ok(SipriFormat::AllTable)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            parse_title("TIV of arms exports from Russia, 1950-2021"),
            Some((Direction::Exports, "Russia".to_string()))
        );
        assert_eq!(
            parse_title("TIV of arms imports to Korea, South, 1950-2021"),
            Some((Direction::Imports, "Korea, South".to_string()))
        );
        assert!(parse_title("Volume of transfers").is_none());
        assert!(is_all("All"));
    }

    #[test]
    fn encoding_position() {
        match decode(b"abc\nde\xfffg", Path::new("x.csv")) {
            Err(Error::Encoding { line, column, .. }) => assert_eq!((line, column), (2, 3)),
            _ => panic!(),
        }
    }
}
