//! The SIPRI readers on hostile input: every failure is the right `Error` variant, at the right
//! line and column, naming the file; nothing panics.

mod common;

use common::{TempDir, HEADER};
use powerbalance_core::{sipri, ActorRegistry, Coverage, Error, Ledger, SipriFormat};
use proptest::prelude::*;
use std::path::Path;

const ROW1: &str =
    "3622,Algeria,Angola,N-262,transport aircraft,Aircraft,1980,No,4,No,1980,No,Second hand,3.75,1.5,6,No";
const ROW2: &str =
    "11246,Algeria,Nigeria,Il-28,bomber aircraft,Aircraft,1967,No,2,Yes,1968,No,Second hand,7.2,2.88,5.76,No";

/// A register: preamble (lines 1-11), header (line 12), then the rows from line 13.
fn register_with(header: &str, rows: &[&str], eol: &str) -> String {
    common::register_text(header, rows, eol)
}

fn register(rows: &[&str]) -> String {
    register_with(HEADER, rows, "\n")
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// Read `bytes` as file `name` in a temp dir; return the error and check its message names the file.
fn fails(name: &str, bytes: impl AsRef<[u8]>) -> Error {
    let dir = TempDir::new("f");
    let p = dir.write(name, bytes);
    let e = match sipri::read_sipri(&p) {
        Ok(l) => panic!("{name}: read {} entries, expected an error", l.len()),
        Err(e) => e,
    };
    assert!(e.to_string().contains(name), "the message names the file: {e}");
    e
}

fn reads(name: &str, bytes: impl AsRef<[u8]>) -> Ledger {
    let dir = TempDir::new("r");
    let p = dir.write(name, bytes);
    let l = sipri::read_sipri(&p).unwrap_or_else(|e| panic!("{e}"));
    for f in &l.report.files {
        assert_eq!(f.rows_read + f.skipped.len(), f.data_rows, "accounting");
    }
    l
}

fn parse_at(e: Error) -> (usize, usize, Option<String>, String) {
    match e {
        Error::Parse { line, column, column_name, message, .. } => (line, column, column_name, message),
        other => panic!("expected Error::Parse, got {other:?}"),
    }
}

fn format_at(e: Error) -> (usize, String) {
    match e {
        Error::Format { line, message, .. } => (line, message),
        other => panic!("expected Error::Format, got {other:?}"),
    }
}

fn encoding_at(e: Error) -> (usize, usize, String) {
    match e {
        Error::Encoding { line, column, message, .. } => (line, column, message),
        other => panic!("expected Error::Encoding, got {other:?}"),
    }
}

#[test]
fn empty_file() {
    let e = fails("empty.csv", "");
    assert!(matches!(e, Error::Empty { .. }), "{e:?}");
}

#[test]
fn whitespace_only_file() {
    let e = fails("blank.csv", "  \n\t\n\r\n   ");
    assert!(matches!(e, Error::Empty { .. }), "{e:?}");
    let e = fails("bom-only.csv", "\u{FEFF}\n");
    assert!(matches!(e, Error::Empty { .. }), "{e:?}");
}

#[test]
fn register_truncated_mid_row() {
    // The file is cut inside the 5th field of line 15.
    let text = register(&[ROW1, ROW2]) + "3622,Algeria,Angola,N-262,transport";
    let (line, column, name, message) = parse_at(fails("cut.csv", text));
    assert_eq!((line, column, name.as_deref()), (15, 6, Some("Armament category")), "{message}");
    assert!(message.contains("truncated"), "{message}");
    // Cut in the middle of a line that still ends with a newline.
    let text = register(&[ROW1, "3622,Algeria,Angola,N-262", ROW2]);
    let (line, column, name, _) = parse_at(fails("cut2.csv", text));
    assert_eq!((line, column, name.as_deref()), (14, 5, Some("Description")));
}

#[test]
fn register_with_renamed_column() {
    let header = HEADER.replace("TIV delivery values", "TIV values");
    let (line, message) = format_at(fails("renamed.csv", register_with(&header, &[ROW1], "\n")));
    assert_eq!(line, 12);
    assert!(message.contains("\"TIV delivery values\""), "{message}");
}

#[test]
fn not_sipri_at_all() {
    let (line, message) = format_at(fails("people.csv", "name,age,city\nalice,30,Oslo\nbob,41,Lima\n"));
    assert_eq!(line, 1);
    assert!(message.contains("not a SIPRI export"), "{message}");
}

#[test]
fn non_utf8_file_that_is_not_sipri() {
    // Random high bytes from the first byte on.
    let mut x: u32 = 12345;
    let bytes: Vec<u8> = (0..500)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            0x80 | (x >> 16) as u8
        })
        .collect();
    // No newline among them, so the error is on line 1 at the first byte that breaks UTF-8.
    let first_bad = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
    let (line, column, _) = encoding_at(fails("noise.csv", &bytes));
    assert_eq!((line, column), (1, first_bad + 1));
    // Latin-1 text in a CSV that is not a SIPRI export: line 2, byte 2.
    let (line, column, _) = encoding_at(fails("latin1.csv", b"city,population\nS\xe3o Paulo,12300000\n".as_slice()));
    assert_eq!((line, column), (2, 2));
    let (line, column, message) =
        encoding_at(fails("latin1b.csv", b"city,population\nLima,1\nBogot\xe1,7\n".as_slice()));
    assert_eq!((line, column), (3, 6));
    assert!(message.contains("0xE1"), "{message}");
}

#[test]
fn register_with_non_numeric_tiv() {
    let bad = ROW2.replace(",5.76,", ",5.76a,");
    let (line, column, name, message) = parse_at(fails("nan.csv", register(&[ROW1, &bad])));
    assert_eq!((line, column, name.as_deref()), (14, 16, Some("TIV delivery values")), "{message}");
    assert!(message.contains("not a number"), "{message}");
}

#[test]
fn register_with_negative_tiv() {
    let bad = ROW1.replace(",6,No", ",-6,No");
    let (line, column, name, message) = parse_at(fails("negative.csv", register(&[&bad, ROW2])));
    assert_eq!((line, column, name.as_deref()), (13, 16, Some("TIV delivery values")));
    assert!(message.contains("negative"), "{message}");
}

#[test]
fn register_with_year_3000() {
    let bad = ROW2.replace(",1968,", ",3000,");
    let (line, column, name, message) = parse_at(fails("year3000.csv", register(&[ROW1, &bad])));
    assert_eq!((line, column, name.as_deref()), (14, 11, Some("Delivery year")));
    assert!(message.contains("3000"), "{message}");
}

#[test]
fn bom_and_crlf_register_reads() {
    let text = format!("\u{FEFF}{}", register_with(HEADER, &[ROW1, ROW2], "\r\n"));
    let l = reads("bom-crlf.csv", text);
    let f = &l.report.files[0];
    assert_eq!((f.format, f.data_rows, f.rows_read, f.preamble_lines), (SipriFormat::TradeRegister, 2, 2, 11));
    assert_eq!(f.generated.as_deref(), Some("16 Apr 2024 10:05:18 PM"));
    assert!(f.title.as_deref().unwrap().starts_with("Transfers of major conventional arms"));
    assert_eq!(l.tiv, [6.0, 5.76]);
    assert_eq!(l.year, [1980, 1968]);
    assert_eq!(l.registry.name(l.recipient[1]), "Nigeria");
    assert_eq!(l.deals[1].designation, "Il-28");
    assert!(l.deals[1].numbers_delivered_estimated);
    assert!(!l.deals[1].local_production, "no stray \\r in the last field");

    // The 2026 export: BOM, CRLF, a ';' at the end of every line, no newline at the end.
    let mut text = format!("\u{FEFF}{}", register_with(HEADER, &[ROW1, ROW2], ";\r\n"));
    text.truncate(text.len() - 2);
    let l = reads("semicolons.csv", text);
    assert_eq!(l.tiv, [6.0, 5.76]);
    assert!(!l.deals[1].local_production);
}

#[test]
fn blank_lines_are_accounted_for() {
    let text = register(&[ROW1, "", ROW2, ",,,,,,,,,,,,,,,,", ""]) + "\n";
    let l = reads("blanks.csv", text);
    let f = &l.report.files[0];
    let blank: Vec<usize> = f.skipped.iter().filter(|s| s.reason == "blank line").map(|s| s.line).collect();
    assert_eq!(blank, [14, 16, 17, 18]);
    assert_eq!((f.data_rows, f.rows_read), (6, 2));
}

#[test]
fn extra_fields_beyond_the_header() {
    let bad = format!("{ROW1},surprise");
    let (line, column, _, message) = parse_at(fails("wide-row.csv", register(&[&bad])));
    assert_eq!((line, column), (13, 18), "{message}");
    // Empty extra fields are harmless.
    let l = reads("wide-ok.csv", register(&[&format!("{ROW1},,")]));
    assert_eq!(l.len(), 1);
}

#[test]
fn folder_with_overlapping_files() {
    let dir = TempDir::new("overlap");
    dir.write("a.csv", register(&[ROW1, ROW2]));
    dir.write("b.csv", register(&[ROW2]));
    match sipri::read_sipri(&dir.0) {
        Err(e @ Error::Overlap { .. }) => {
            let m = e.to_string();
            assert!(m.contains("a.csv") && m.contains("b.csv"), "{m}");
            assert!(m.contains("Algeria -> Nigeria in 1968"), "{m}");
            let Error::Overlap { cells, .. } = e else { unreachable!() };
            assert_eq!(cells, 1);
        }
        other => panic!("{:?}", other.map(|l| l.len())),
    }
}

#[test]
fn folder_merges_and_skips() {
    let dir = TempDir::new("merge");
    dir.write("a.csv", register(&[ROW1]));
    dir.write("b.csv", register(&[ROW2]));
    dir.write("codes.csv", "\"country_code\",\"country_label\"\n\"CHI\",\"China\"\n");
    dir.write("TIV-Export-All.csv", "Country,2000,2001,Total\nChina,1,2,3\n");
    dir.write("notes.txt", "not a csv");
    let l = sipri::read_sipri(&dir.0).unwrap();
    assert_eq!(l.len(), 2);
    assert_eq!(l.report.files.len(), 2);
    assert_eq!(l.deal, [0, 1]);
    let skipped: Vec<(String, String)> =
        l.report.files_skipped.iter().map(|(p, r)| (file_name(p), r.clone())).collect();
    assert_eq!(
        skipped,
        [
            (
                "TIV-Export-All.csv".to_string(),
                "aggregate totals beside dyadic files; read the file itself".to_string()
            ),
            ("codes.csv".to_string(), "a SIPRI country list, not transfer data".to_string()),
        ]
    );
}

#[test]
fn folder_without_csv() {
    let dir = TempDir::new("nocsv");
    dir.write("readme.txt", "nothing here");
    match sipri::read_sipri(&dir.0) {
        Err(Error::InvalidArgument(m)) => assert!(m.contains(&dir.0.display().to_string()), "{m}"),
        other => panic!("{:?}", other.map(|l| l.len())),
    }
    // A folder whose csv files are none of SIPRI's.
    let dir = TempDir::new("nosipri");
    dir.write("people.csv", "name,age\nalice,30\n");
    match sipri::read_sipri(&dir.0) {
        Err(Error::InvalidArgument(m)) => {
            assert!(m.contains(&dir.0.display().to_string()) && m.contains("people.csv"), "{m}")
        }
        other => panic!("{:?}", other.map(|l| l.len())),
    }
}

#[test]
fn folder_of_totals_in_both_directions() {
    let dir = TempDir::new("dirs");
    dir.write("TIV-Export-All.csv", "Country,2000,2001,Total\nChina,1,2,3\n");
    dir.write("TIV-Import-All.csv", "Country,2000,2001,Total\nIndia,1,2,3\n");
    match sipri::read_sipri(&dir.0) {
        Err(Error::InvalidArgument(m)) => {
            assert!(m.contains("TIV-Export-All.csv") && m.contains("TIV-Import-All.csv"), "{m}")
        }
        other => panic!("{:?}", other.map(|l| l.len())),
    }
}

#[test]
fn missing_file_is_io_error() {
    let dir = TempDir::new("io");
    let p = dir.0.join("absent.csv");
    match sipri::read_sipri(&p) {
        Err(e @ Error::Io { .. }) => assert!(e.to_string().contains("absent.csv")),
        other => panic!("{:?}", other.map(|l| l.len())),
    }
    assert!(matches!(sipri::detect(&dir.0), Err(Error::InvalidArgument(_))));
}

#[test]
fn classic_register_in_latin1() {
    let header = "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons";
    let mut text: Vec<u8> = register_with(header, &[], "\n").into_bytes();
    text.extend_from_slice(
        b"Finland,Germany,2001,?,2,,W\xe4rtsil\xe4 test,engine,2,?,2002; 2003,New,Made by W\xe4rtsil\xe4 \xb1,1,2,2\n",
    );
    text.extend_from_slice(b"Chile,France,2024,,4,,X-1,aircraft,0,,,New,,5,20,0\n");
    let l = reads("classic.csv", &text);
    let f = &l.report.files[0];
    assert_eq!(f.format, SipriFormat::ClassicRegister);
    // the open order (line 14) is read and kept as an order, with no entry
    assert_eq!((f.data_rows, f.rows_read, f.skipped.len()), (2, 2, 0));
    assert_eq!(l.open_orders.len(), 1);
    assert_eq!(l.deals[l.open_orders[0].deal as usize].designation, "X-1");
    assert!(f.notes.iter().any(|n| n.starts_with("1 open order ")), "{:?}", f.notes);
    assert_eq!(l.year, [2002, 2003]);
    assert_eq!(l.tiv, [1.0, 1.0]);
    assert!(l.annual_estimated);
    assert_eq!(l.deals[0].designation, "Wärtsilä test");
    assert_eq!(l.deals[0].comments, "Made by Wärtsilä ±");
    assert!(
        l.deals[0].order_year_estimated
            && !l.deals[0].number_ordered_estimated
            && l.deals[0].numbers_delivered_estimated
    );
    // A bad flag names the flag column.
    let mut bad: Vec<u8> = register_with(header, &[], "\n").into_bytes();
    bad.extend_from_slice(b"Finland,Germany,2001,X,2,,W,engine,2,?,2002,New,,1,2,2\n");
    let (line, column, name, _) = parse_at(fails("classic-flag.csv", &bad));
    assert_eq!((line, column), (13, 4));
    assert!(name.unwrap().contains("Year of order"));
}

#[test]
fn country_list_is_not_transfer_data() {
    let (_, message) = format_at(fails("codes.csv", "\"country_code\",\"country_label\"\n\"CHI\",\"China\"\n"));
    assert!(message.contains("country list"), "{message}");
}

#[test]
fn totals_table_without_direction() {
    let (line, message) = format_at(fails("totals.csv", "Country,2000,2001,Total\nChina,1,2,3\n"));
    assert_eq!(line, 1);
    assert!(message.contains("Export") && message.contains("Import"), "{message}");
    let l = reads("my-tiv-import-all.csv", "Country,2000,2001,Total\nChina,1,2,3\n,,,\nTotal,1,2,3\n");
    assert_eq!(l.coverage, Coverage::ImportTotals);
    assert_eq!(l.report.files[0].skipped.len(), 2);
}

#[test]
fn wide_table_checks_totals_leniently() {
    let mut text = String::from("\"TIV of arms exports from Atlantis, 2000-2002\",,,,\n");
    text.push_str("Figures are SIPRI TIVs.,,,,\n,,,,\nGenerated: 1 May 2022,,,,\n");
    text.push_str(",2000,2001,2002,Total\n");
    text.push_str("China,1,0,,2\n");
    text.push_str("India,,,5,9\n");
    text.push_str(",,,,\n");
    text.push_str("Total,1,0,5,6\n");
    let l = reads("TIV-Export-ATL-2000-2002.csv", text);
    let f = &l.report.files[0];
    assert_eq!((f.format, l.coverage, f.preamble_lines), (SipriFormat::WideTable, Coverage::Dyadic, 4));
    assert_eq!(f.new_actors, ["Atlantis"]);
    assert_eq!(l.tiv, [1.0, 0.0, 5.0]);
    assert_eq!(l.year, [2000, 2001, 2002]);
    assert!(f.notes.iter().any(|n| n.contains("beyond rounding")), "{:?}", f.notes);
    let reasons: Vec<&str> = f.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, ["blank line", "totals row"]);
    // A truncated wide row.
    let cut = "\"TIV of arms exports from Atlantis, 2000-2002\",,,,\n,2000,2001,2002,Total\nChina,1,0\n";
    let (line, column, name, _) = parse_at(fails("TIV-Export-ATL.csv", cut));
    assert_eq!((line, column, name.as_deref()), (3, 4, Some("2002")));
}

#[test]
fn bytes_entry_point_names_the_given_file() {
    let e = sipri::read_sipri_bytes(b"a,b\n1,2\n", Path::new("from-python.csv"), ActorRegistry::builtin().clone())
        .unwrap_err();
    assert!(e.to_string().contains("from-python.csv"), "{e}");
    let l =
        sipri::read_sipri_bytes(register(&[ROW1]).as_bytes(), Path::new("mem.csv"), ActorRegistry::builtin().clone())
            .unwrap();
    assert_eq!(l.report.files[0].path, Path::new("mem.csv"));
    assert_eq!(sipri::detect_bytes(register(&[]).as_bytes(), Path::new("x")).unwrap(), SipriFormat::TradeRegister);
}

/// Heads of every layout, for the structured fuzzing below.
fn heads() -> Vec<String> {
    vec![
        register(&[]),
        register_with(HEADER, &[], "\r\n"),
        "\"TIV of arms exports from Atlantis, 2000-2002\",,,,\n,2000,2001,2002,Total\n".into(),
        "\"TIV of arms imports to Atlantis, 2000-2002\",,,,\n,2000,2001,2002,Total\n".into(),
        "Country,2000,2001,Total\n".into(),
        "\"Export_From\",\"Import_To\",\"Year\",\"TIV\"\n".into(),
        "\"Import_To\",\"Export_From\",\"Year\",\"TIV\"\n".into(),
        "Volume of transfers of major arms\n\nExports by,2000,2001,2000-2001,Percentage,Sum total years,Percentage of total\n".into(),
        register_with("Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons", &[], "\n"),
    ]
}

proptest! {
    // No regression files (the cases are cheap to regenerate); PROPTEST_CASES sets the count.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let _ = sipri::read_sipri_bytes(&bytes, Path::new("fuzz.csv"), ActorRegistry::builtin().clone());
        let _ = sipri::detect_bytes(&bytes, Path::new("fuzz-export.csv"));
    }

    #[test]
    fn sipri_heads_with_hostile_bodies_never_panic(
        head in 0usize..9,
        body in "([0-9]{1,4}|Total|All|Atlantis|China|-1|3000|1.5|\\?|Yes|No|,|;|\"|\r|\n| |\t|\u{e4}){0,200}",
        bom in any::<bool>(),
    ) {
        let h = &heads()[head];
        let mut bytes = Vec::new();
        if bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(h.as_bytes());
        bytes.extend_from_slice(body.as_bytes());
        // Accounting is a debug assertion inside the readers: a mismatch panics here.
        if let Ok(l) = sipri::read_sipri_bytes(&bytes, Path::new("fuzz-import.csv"), ActorRegistry::builtin().clone()) {
            for f in &l.report.files {
                prop_assert_eq!(f.rows_read + f.skipped.len(), f.data_rows);
            }
            prop_assert_eq!(l.len(), l.deal.len());
        }
    }
}
