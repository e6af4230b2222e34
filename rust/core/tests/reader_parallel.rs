//! The register reader on several threads (issue 14) gives what one thread gives: the same
//! ledger, and on a bad file the same error, the first one in file order, however many pieces
//! hold errors. The files are big enough (over 512 KiB) for `read_sipri_bytes` to split them.
//!
//! Every input is written here (synthetic registers in SIPRI's layout, our own wording).

mod common;

use common::TempDir;
use powerbalance_core::{sipri, ActorRegistry, Error, Ledger};
use std::path::Path;

const PREAMBLE: &str = "Transfers of major conventional arms: a synthetic register written for powerbalance's tests.\n\
A '?' in a column indicates uncertain data.\n\
SIPRI trend-indicator values (TIVs) are in millions.\n\
\n\
\n\
\n\
\n\
\n\
\n\
Source: SIPRI Arms Transfers Database (c) SIPRI (layout only).\n\
Data generated: 16 Apr 2024 10:05:18 PM\n";

const HEADER: &str = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production";

/// The file line of data row `k` (0-based): the preamble is 11 lines, the header line 12.
fn line_of(k: usize) -> usize {
    13 + k
}

/// `n` good rows: deals of one to three delivery years, rows of a deal one after the other.
fn rows(n: usize) -> Vec<String> {
    let sup = ["Russia", "France", "United States", "China"];
    let rec = ["India", "Egypt", "Viet Nam", "Brazil", "Algeria"];
    (0..n)
        .map(|k| {
            let deal = k / 3;
            let year = 1990 + (k % 3) as i32;
            format!(
                "{},{},{},X-{deal},test aircraft,Aircraft,{},No,{},No,{year},No,New,1.5,0.75,{}.{:02},No",
                1000 + deal,
                sup[deal % sup.len()],
                rec[deal % rec.len()],
                year - 1,
                k % 7,
                k % 13,
                k % 100
            )
        })
        .collect()
}

fn text(rows: &[String]) -> String {
    let mut s = String::from(PREAMBLE);
    s.push_str(HEADER);
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

fn read(t: &str) -> Result<Ledger, Error> {
    sipri::read_sipri_bytes(t.as_bytes(), Path::new("big.csv"), ActorRegistry::builtin().clone())
}

const N: usize = 12_000;

#[test]
fn a_big_register_reads_as_on_one_thread() {
    let r = rows(N);
    let t = text(&r);
    assert!(t.len() > 1024 * 1024, "{} bytes: not big enough to be split", t.len());
    let l = read(&t).unwrap();
    assert_eq!(l.len(), N);
    assert_eq!(l.report.files[0].rows_read, N);
    // the csv reader (one thread) and the splitter in 1 to 8 pieces agree
    for pieces in [1, 2, 3, 5, 8] {
        let (csv, plain) = sipri::register_split_outcomes(t.as_bytes(), pieces).unwrap();
        assert!(!csv.starts_with("error"), "{csv}");
        assert!(csv == plain, "{pieces} pieces");
    }
}

/// Row `k` of `rows` with field `i` (0-based) set to `value`.
fn with_field(r: &[String], k: usize, i: usize, value: &str) -> String {
    let mut f: Vec<&str> = r[k].split(',').collect();
    f[i] = value;
    f.join(",")
}

/// The error of a read that must fail.
fn error(t: &str) -> Error {
    match read(t) {
        Ok(l) => panic!("read {} entries, expected an error", l.len()),
        Err(e) => e,
    }
}

#[test]
fn the_first_error_in_file_order_wins_whatever_piece_holds_it() {
    // Errors in several places: a bad delivery year near the end, a negative TIV in the
    // middle, a truncated row a third of the way in. Each piece may hold one; the error is the
    // first line's.
    let good = rows(N);
    let mut r = good.clone();
    r[N - 10] = with_field(&good, N - 10, 10, "19x0");
    r[N / 2] = with_field(&good, N / 2, 15, "-3");
    r[N / 3] = good[N / 3].split(',').take(9).collect::<Vec<_>>().join(",");
    let t = text(&r);
    let e = error(&t);
    match &e {
        Error::Parse { line, column, .. } => assert_eq!((*line, *column), (line_of(N / 3), 10), "{e}"),
        other => panic!("{other}"),
    }
    assert!(e.to_string().contains("big.csv") && e.to_string().contains("truncated row"), "{e}");
    for pieces in [2, 3, 4, 7] {
        let (csv, plain) = sipri::register_split_outcomes(t.as_bytes(), pieces).unwrap();
        assert_eq!(csv, plain, "{pieces} pieces");
        assert!(csv.starts_with("error") && csv.contains("truncated row"), "{csv}");
    }
    // without the truncated row, the negative TIV (middle) is first; then the year (end)
    r[N / 3] = good[N / 3].clone();
    let e = error(&text(&r));
    assert!(matches!(&e, Error::Parse { line, column: 16, .. } if *line == line_of(N / 2)), "{e}");
    r[N / 2] = good[N / 2].clone();
    let e = error(&text(&r));
    assert!(matches!(&e, Error::Parse { line, column: 11, .. } if *line == line_of(N - 10)), "{e}");
}

#[test]
fn a_repeated_deal_year_in_another_piece_is_found_with_both_lines() {
    let mut r = rows(N);
    // row 30 (deal 1010, year 1990) copied near the end: another piece, another run
    r[N - 5] = r[30].clone();
    let e = error(&text(&r));
    let msg = e.to_string();
    assert!(matches!(&e, Error::Parse { line, column: 1, .. } if *line == line_of(N - 5)), "{e}");
    assert!(
        msg.contains(&format!("lines {} and {}", line_of(30), line_of(N - 5))) && msg.contains("deal 1010"),
        "{msg}"
    );
    // the same row twice in a row (one run)
    let mut r = rows(N);
    r[N / 2 + 1] = r[N / 2].clone();
    let e = error(&text(&r));
    assert!(e.to_string().contains(&format!("lines {} and {}", line_of(N / 2), line_of(N / 2 + 1))), "{e}");
}

#[test]
fn a_deal_whose_rows_are_apart_is_read_when_its_years_differ() {
    // Deal 1000's rows (years 1990-1992) with a fourth row, year 1999, at the end: not one run,
    // no repeat. The read takes the exact check's path and finds nothing.
    let mut r = rows(N);
    r.push(with_field(&r, 0, 10, "1999"));
    let t = text(&r);
    let l = read(&t).unwrap();
    assert_eq!(l.len(), N + 1);
    assert_eq!(l.report.files[0].rows_read, N + 1);
    let (csv, plain) = sipri::register_split_outcomes(t.as_bytes(), 3).unwrap();
    assert!(csv == plain && !csv.starts_with("error"));
}

/// `t` with `bytes` in place of the first occurrence of `marker`.
fn replace_bytes(t: &str, marker: &str, bytes: &[u8]) -> Vec<u8> {
    let at = t.find(marker).unwrap();
    let mut out = t.as_bytes()[..at].to_vec();
    out.extend_from_slice(bytes);
    out.extend_from_slice(&t.as_bytes()[at + marker.len()..]);
    out
}

fn read_bytes(b: &[u8]) -> Result<Ledger, Error> {
    sipri::read_sipri_bytes(b, Path::new("big.csv"), ActorRegistry::builtin().clone())
}

#[test]
fn the_file_wide_checks_come_before_any_row_error_whatever_piece_fails_them() {
    // A big file's UTF-8, line-length and quote checks are made by the reading threads, each on
    // its piece; the errors and their order are those of one pass over the whole file first.
    let good = rows(N);
    let mut r = good.clone();
    // a truncated row early (the first piece): a row error that must lose to the file's
    r[N / 10] = good[N / 10].split(',').take(9).collect::<Vec<_>>().join(",");
    // a UTF-8 name, so that the file is not taken for a Latin-1 export
    r[N / 3] = with_field(&good, N / 3, 2, "Côte d'Ivoire");
    r[N / 2] = with_field(&good, N / 2, 3, "MARKA");
    r[N - 10] = with_field(&good, N - 10, 3, "MARKB");
    let t = text(&r);
    // a byte that is not UTF-8 near the end (the last piece): the encoding error wins
    let bad = replace_bytes(&t, "MARKB", b"X\xFFY");
    let e = read_bytes(&bad).unwrap_err();
    let col = good[N - 10].split(',').take(3).map(|f| f.len() + 1).sum::<usize>() + 2;
    assert!(matches!(&e, Error::Encoding { line, column, .. } if (*line, *column) == (line_of(N - 10), col)), "{e}");
    // with a BOM too (the column counts the BOM on line 1 only)
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&bad);
    assert_eq!(read_bytes(&bom).unwrap_err().to_string(), e.to_string());
    // a line over 64 KiB near the end: the line-length error wins over the early row error
    let long = "L".repeat(70 * 1024);
    let with_long = String::from_utf8(replace_bytes(&t, "MARKB", long.as_bytes())).unwrap();
    let e = read_bytes(with_long.as_bytes()).unwrap_err();
    assert!(matches!(&e, Error::Format { line, .. } if *line == line_of(N - 10)), "{e}");
    assert!(e.to_string().contains("64 KiB"), "{e}");
    // a bad byte in the middle and a long line near the end: the encoding error first
    let e = read_bytes(&replace_bytes(&with_long, "MARKA", b"\xFF")).unwrap_err();
    assert!(matches!(&e, Error::Encoding { line, .. } if *line == line_of(N / 2)), "{e}");
    // a quoted field near the end: the file goes to the csv reader, and the early row error
    // is reported as before; without it the file reads (the comma inside the quotes kept)
    let e = read_bytes(&replace_bytes(&t, "MARKB", b"\"X-1, rev. B\"")).unwrap_err();
    assert!(matches!(&e, Error::Parse { line, column: 10, .. } if *line == line_of(N / 10)), "{e}");
    let mut fixed = r.clone();
    fixed[N / 10] = good[N / 10].clone();
    let l = read_bytes(&replace_bytes(&text(&fixed), "MARKB", b"\"X-1, rev. B\"")).unwrap();
    assert_eq!((l.len(), l.report.files[0].rows_read), (N, N));
}

#[test]
fn a_big_latin1_export_is_decoded_as_before() {
    // No UTF-8 character and one Latin-1 byte in the last piece: the whole file is Latin-1
    // (SIPRI's classic export is); the threads' UTF-8 check sends it back to the decoder.
    let good = rows(N);
    let mut r = good.clone();
    r[N - 10] = with_field(&good, N - 10, 2, "BADBYTE");
    let b = replace_bytes(&text(&r), "BADBYTE", b"C\xF4te d'Ivoire");
    let l = read_bytes(&b).unwrap();
    assert_eq!(l.len(), N);
    assert!(l.report.files[0].notes.iter().any(|n| n.contains("Latin-1")), "{:?}", l.report.files[0].notes);
    assert!(l.recipient.iter().any(|&a| l.registry.name(a).contains("Ivoire")), "Côte d'Ivoire not read");
}

#[test]
fn a_folder_of_big_registers_checks_them_as_before() {
    // In a folder, a big register's line lengths and quotes are checked by the reading
    // threads too (its UTF-8 by the decoder, in pieces): a file with a byte that is not UTF-8
    // is skipped as before, a too-long line is the error before an earlier row's, and a
    // quoted field reads.
    let good = rows(N);
    let mut r = good.clone();
    r[N / 3] = with_field(&good, N / 3, 2, "Côte d'Ivoire");
    r[N - 10] = with_field(&good, N - 10, 3, "MARKB");
    let t = text(&r);
    let dir = TempDir::new("parallel-folder");
    dir.write("a.csv", replace_bytes(&t, "MARKB", b"\"X-1, rev. B\""));
    dir.write("b.csv", replace_bytes(&t, "MARKB", b"X\xFFY"));
    let l = sipri::read_sipri(&dir.0).unwrap();
    assert_eq!(l.len(), N);
    assert!(l.report.files_skipped.iter().any(|(p, why)| p.ends_with("b.csv") && why.contains("not UTF-8")));
    let mut early = r.clone();
    early[N / 10] = good[N / 10].split(',').take(9).collect::<Vec<_>>().join(",");
    dir.write("b.csv", replace_bytes(&text(&early), "MARKB", "L".repeat(70 * 1024).as_bytes()));
    let e = sipri::read_sipri(&dir.0).unwrap_err();
    assert!(
        matches!(&e, Error::Format { path, line, .. } if *line == line_of(N - 10) && path.ends_with("b.csv")),
        "{e}"
    );
}
