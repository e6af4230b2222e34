//! Readers for every SIPRI Arms Transfers Database export layout, detected from the file itself.
//!
//! Entry point: [`read_sipri`] takes a file or a folder.
//!
//! | layout ([`SipriFormat`]) | what it is | ledger |
//! |---|---|---|
//! | `TradeRegister` | per-delivery-year register, 11-line preamble, 17 columns (2026: every line ends in `;`) | dyadic, one entry and one [`Deal`](crate::deals::Deal) per row |
//! | `ClassicRegister` | one row per deal (Latin-1), `Year(s) of delivery` a list | dyadic, deal TIV spread evenly over its delivery years (`annual_estimated`) |
//! | `WideTable` | `TIV of arms exports from <supplier>` table, recipients by year | dyadic, one entry per non-empty cell |
//! | `AllTable` | `TIV-Export-All` / `TIV-Import-All` | export or import totals (counterpart `World`) |
//! | `LongTable` | `Export_From, Import_To, Year, TIV` (or importer first) | dyadic, totals and "All" rows skipped |
//! | `ValuesTable` | SIPRI's `export-values` / `import-values` | export or import totals |
//! | `CountryList` | SIPRI's country codes | not transfer data: an error when read, skipped in a folder |
//!
//! Every data row below the header is either read or listed in the file's
//! [`FileReport::skipped`](crate::ledger::FileReport) with its line and the reason, so that
//! `rows_read + skipped.len() == data_rows`.

mod long;
mod register;
mod rows;
mod sniff;
mod tables;

pub use register::register_split_outcomes;

use crate::actors::ActorRegistry;
use crate::error::{Error, Result};
use crate::ledger::{Coverage, Ledger, SipriFormat};
use sniff::{Direction, Head, Source};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Read a SIPRI export (any known layout) or a folder of them into a [`Ledger`].
///
/// A file is read through [`crate::input::read_file`]: a regular file of at most 64 MiB (a FIFO,
/// a device or a larger file is an [`Error::Io`] that says what the path is).
///
/// A folder's `*.csv` files (not recursive) are read in name order and merged into one ledger;
/// country lists are skipped, and so are totals tables when the folder also holds dyadic files.
/// Two files covering the same supplier-recipient-year cells give [`Error::Overlap`].
///
/// Inside a folder, a symbolic link is read only when it resolves to a file inside the folder: a
/// link that leads out of the folder (or nowhere) is not followed, and a `.csv` entry that is not
/// a regular file (a FIFO, a device, a folder) is not opened; each is listed in the load report's
/// `files_skipped` with the reason. A file larger than 64 MiB is an error, as when read alone.
pub fn read_sipri(path: &Path) -> Result<Ledger> {
    read_sipri_with(path, ActorRegistry::builtin().clone())
}

/// As [`read_sipri`], starting from the given registry.
pub fn read_sipri_with(path: &Path, registry: ActorRegistry) -> Result<Ledger> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        read_folder(path, registry)
    } else {
        let bytes = crate::input::read_file(path)?;
        read_sipri_bytes(&bytes, path, registry)
    }
}

/// Read a SIPRI export held in memory. `name` stands for the file in the load report and in
/// errors; it is never opened (and only consulted for the direction of a totals table that has
/// lost SIPRI's preamble). The bytes are held to the same 64 MiB as a file
/// ([`crate::input::MAX_INPUT_BYTES`]).
pub fn read_sipri_bytes(bytes: &[u8], name: &Path, registry: ActorRegistry) -> Result<Ledger> {
    crate::input::check_size(name, bytes.len() as u64)?;
    let mut reg = registry;
    let mut ledger = match read_large_register(bytes, name, &mut reg) {
        Some(ledger) => ledger?,
        None => {
            let src = sniff::decode(bytes, name)?;
            let head = head_of(&src.text, name)?;
            read_source(&src, &head, name, &mut reg)?
        }
    };
    ledger.registry = Arc::new(reg);
    ledger.set_covers_from_rows(dataset_name(name));
    Ok(ledger)
}

/// A large new-format register, read with the file-wide checks (UTF-8, line lengths, quotes)
/// made by the reading threads ([`register::read_register_checking`]) instead of one serial
/// pass each before them. `None` when the file is not such a register, or fails a check, or
/// its first lines do not sniff as one: the caller's serial path then reads it (or reports the
/// first problem) exactly as before.
fn read_large_register(bytes: &[u8], name: &Path, reg: &mut ActorRegistry) -> Option<Result<Ledger>> {
    let text = crate::input::text::without_bom(bytes);
    if !register::parallel(text) {
        return None;
    }
    let head = sniff::sniff(text, name).ok().flatten()?;
    let (preamble, body) = text.split_at_checked(head.body_start)?;
    if head.format != SipriFormat::TradeRegister || std::str::from_utf8(preamble).is_err() {
        return None;
    }
    register::read_register_checking(body, &head, name, reg, true)
}

/// The layout of a SIPRI export file, from its content.
pub fn detect(path: &Path) -> Result<SipriFormat> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        return Err(Error::invalid(format!(
            "{} is a folder; detect() takes one file (read_sipri() reads a folder)",
            path.display()
        )));
    }
    let bytes = crate::input::read_file(path)?;
    detect_bytes(&bytes, path)
}

/// As [`detect`], for bytes held in memory (`name` stands for the file in errors).
pub fn detect_bytes(bytes: &[u8], name: &Path) -> Result<SipriFormat> {
    crate::input::check_size(name, bytes.len() as u64)?;
    let src = sniff::decode(bytes, name)?;
    Ok(head_of(&src.text, name)?.format)
}

/// The name a ledger's coverage goes by in messages: the file or folder name.
fn dataset_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), source }
}

fn head_of(text: &[u8], name: &Path) -> Result<Head> {
    sniff::sniff(text, name)?.ok_or_else(|| Error::Format {
        path: name.to_path_buf(),
        line: 1,
        message: format!(
            "not a SIPRI export this reader knows: none of the first {} lines (or {} KiB) is the header of a trade register, a TIV table, a long TIV table or a values table",
            sniff::MAX_HEAD_LINES,
            sniff::HEAD_BYTES / 1024
        ),
    })
}

/// Remove one `;` from the end of every line (the 2026 register export).
pub(crate) fn strip_semicolons(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    for line in body.split_inclusive(|&b| b == b'\n') {
        let term = if line.ends_with(b"\r\n") {
            2
        } else if line.ends_with(b"\n") {
            1
        } else {
            0
        };
        let (content, end) = line.split_at(line.len() - term);
        match content.strip_suffix(b";") {
            // A line of only `;` keeps one byte, so that a last line without a line end still
            // counts as a (blank) line.
            Some(b"") => out.push(b' '),
            Some(c) => out.extend_from_slice(c),
            None => out.extend_from_slice(content),
        }
        out.extend_from_slice(end);
    }
    out
}

/// Read one decoded file whose layout is known.
fn read_source(src: &Source, head: &Head, path: &Path, reg: &mut ActorRegistry) -> Result<Ledger> {
    let body = src.text.get(head.body_start..).unwrap_or_default();
    // A large register (a folder's) checks its line lengths and quotes in the reading threads.
    if head.format == SipriFormat::TradeRegister && !src.latin1 && register::parallel(body) {
        if let Some(ledger) = register::read_register_checking(body, head, path, reg, false) {
            return ledger;
        }
    }
    // No data line longer than 64 KiB: the layout readers hold one entry per field of a line.
    crate::input::check_lines(body, head.header_line + 1, path)?;
    // The register reader strips the 2026 export's `;` itself, line by line as it splits them.
    let body: Cow<[u8]> = if head.semicolons && head.format != SipriFormat::TradeRegister {
        Cow::Owned(strip_semicolons(body))
    } else {
        Cow::Borrowed(body)
    };
    let mut ledger = match head.format {
        SipriFormat::TradeRegister => register::read_register(&body, head, path, reg)?,
        SipriFormat::ClassicRegister => register::read_classic(&body, head, path, reg)?,
        SipriFormat::WideTable | SipriFormat::AllTable | SipriFormat::ValuesTable => {
            tables::read_year_table(&body, head, path, reg)?
        }
        SipriFormat::LongTable => long::read_long(&body, head, path, reg)?,
        SipriFormat::CountryList => {
            return Err(Error::Format {
                path: path.to_path_buf(),
                line: head.header_line,
                message: "a SIPRI country list, not transfer data".into(),
            })
        }
    };
    if src.latin1 {
        if let Some(f) = ledger.report.files.last_mut() {
            f.notes.push("not UTF-8: decoded as ISO-8859-1 (Latin-1), as SIPRI's classic export is".into());
        }
    }
    Ok(ledger)
}

/// The coverage a file's ledger will have.
fn coverage_of(head: &Head) -> Coverage {
    match head.format {
        SipriFormat::AllTable | SipriFormat::ValuesTable => match head.direction {
            Some(Direction::Imports) => Coverage::ImportTotals,
            _ => Coverage::ExportTotals,
        },
        _ => Coverage::Dyadic,
    }
}

struct Item {
    path: PathBuf,
    src: Source<'static>,
    head: Head,
}

const TOTALS_BESIDE_DYADIC: &str = "aggregate totals beside dyadic files; read the file itself";
const COUNTRY_LIST: &str = "a SIPRI country list, not transfer data";

fn read_folder(dir: &Path, registry: ActorRegistry) -> Result<Ledger> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
    let mut files = Vec::new();
    let mut skipped: Vec<(PathBuf, String)> = Vec::new();
    let inside = std::fs::canonicalize(dir).map_err(|e| io_error(dir, e))?;
    for e in entries {
        let e = e.map_err(|e| io_error(dir, e))?;
        let p = e.path();
        let is_csv = p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        if !is_csv {
            continue;
        }
        match folder_entry(&p, &inside)? {
            None => files.push(p),
            Some(reason) => skipped.push((p, reason)),
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    if files.is_empty() && skipped.is_empty() {
        return Err(Error::invalid(format!(
            "{}: the folder holds no .csv file (read_sipri reads a SIPRI export, or the .csv files directly inside a folder)",
            dir.display()
        )));
    }
    let mut items = Vec::new();
    for path in files {
        let bytes = crate::input::read_file(&path)?;
        let src = match sniff::decode_owned(bytes, &path) {
            Ok(s) => s,
            Err(Error::Empty { .. }) => {
                skipped.push((path, "empty file".into()));
                continue;
            }
            Err(Error::Encoding { .. }) => {
                skipped.push((path, "not a SIPRI export (not UTF-8, no SIPRI preamble)".into()));
                continue;
            }
            Err(e) => return Err(e),
        };
        match sniff::sniff(&src.text, &path)? {
            Some(head) => items.push(Item { path, src, head }),
            None => skipped.push((path, "not a SIPRI export (no known header)".into())),
        }
    }
    let (lists, data): (Vec<Item>, Vec<Item>) =
        items.into_iter().partition(|i| i.head.format == SipriFormat::CountryList);
    skipped.extend(lists.into_iter().map(|i| (i.path, COUNTRY_LIST.to_string())));
    let (dyadic, totals): (Vec<Item>, Vec<Item>) =
        data.into_iter().partition(|i| coverage_of(&i.head) == Coverage::Dyadic);
    let read = if !dyadic.is_empty() {
        skipped.extend(totals.into_iter().map(|i| (i.path, TOTALS_BESIDE_DYADIC.to_string())));
        dyadic
    } else if !totals.is_empty() {
        let (exp, imp): (Vec<&Item>, Vec<&Item>) =
            totals.iter().partition(|i| coverage_of(&i.head) == Coverage::ExportTotals);
        if !exp.is_empty() && !imp.is_empty() {
            let names = |v: &[&Item]| v.iter().map(|i| i.path.display().to_string()).collect::<Vec<_>>().join(", ");
            return Err(Error::invalid(format!(
                "{}: the folder holds export totals ({}) and import totals ({}); they cannot be merged into one ledger, read each file itself",
                dir.display(),
                names(&exp),
                names(&imp)
            )));
        }
        totals
    } else {
        let what: Vec<String> = skipped.iter().map(|(p, r)| format!("{}: {r}", p.display())).collect();
        return Err(Error::invalid(format!(
            "{}: no SIPRI transfer data in this folder ({})",
            dir.display(),
            what.join("; ")
        )));
    };
    let mut reg = registry;
    let mut parts = Vec::with_capacity(read.len());
    for item in &read {
        parts.push(read_source(&item.src, &item.head, &item.path, &mut reg)?);
    }
    if parts.is_empty() {
        return Err(Error::invalid(format!("{}: no SIPRI transfer data in this folder", dir.display())));
    }
    let reg = Arc::new(reg);
    for p in &mut parts {
        p.registry = Arc::clone(&reg);
    }
    let mut ledger = Ledger::concat(parts)?;
    ledger.set_covers_from_rows(dataset_name(dir));
    skipped.sort();
    ledger.report.files_skipped.extend(skipped);
    Ok(ledger)
}

/// Why a folder's `.csv` entry is not read (`None`: read it). A symbolic link is followed only
/// when it resolves inside the folder (`inside`, canonical); only regular files are opened.
fn folder_entry(p: &Path, inside: &Path) -> Result<Option<String>> {
    let lmeta = std::fs::symlink_metadata(p).map_err(|e| io_error(p, e))?;
    if lmeta.file_type().is_symlink() {
        let target = match std::fs::canonicalize(p) {
            Ok(t) => t,
            Err(_) => return Ok(Some("a symbolic link whose target does not exist: not followed".into())),
        };
        if !target.starts_with(inside) {
            return Ok(Some(format!("a symbolic link to {}, outside the folder: not followed", target.display())));
        }
    }
    let meta = std::fs::metadata(p).map_err(|e| io_error(p, e))?;
    if !meta.is_file() {
        return Ok(Some(format!("{}, not a regular file: not opened", crate::input::kind_of(&meta))));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons() {
        assert_eq!(strip_semicolons(b"a;\r\nb;c;\nd\n;\ne;"), b"a\r\nb;c\nd\n \ne".to_vec());
        assert_eq!(strip_semicolons(b"a;\n;"), b"a\n ".to_vec());
    }
}
