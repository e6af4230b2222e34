//! No silent wrong answers from a transfer ledger (issue 11): periods outside the years a ledger
//! covers fail with `Error::Coverage`, comparisons of top-N tables take values from the uncut
//! tables, repeated register rows and absurd TIV values are caught or reported.
//!
//! Every input is written here (synthetic files in SIPRI's layouts, our own wording).

mod common;

use common::{TempDir, HEADER};
use powerbalance_core::io;
use powerbalance_core::metrics::dependence as dep;
use powerbalance_core::metrics::transfers::{self as tm, FactSheet};
use powerbalance_core::scenario::{compare_tables, Operation, Scenario};
use powerbalance_core::{sipri, ActorRegistry, Error, Ledger, Period};
use std::path::Path;

const CLASSIC_HEADER: &str = "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons";

/// A new-format register row.
fn row(id: u32, sup: &str, rec: &str, year: i32, tiv: &str) -> String {
    format!("{id},{sup},{rec},X-{id},test aircraft,Aircraft,{},No,1,No,{year},No,New,1,1,{tiv},No", year - 1)
}

/// Preamble (lines 1-11), header (line 12), rows from line 13.
fn text(header: &str, rows: &[String]) -> String {
    common::register_text(header, rows, "\n")
}

fn read(name: &str, t: &str) -> Result<Ledger, Error> {
    sipri::read_sipri_bytes(t.as_bytes(), Path::new(name), ActorRegistry::builtin().clone())
}

/// A new-format register of `rows`, read as the file `name`.
fn register(name: &str, rows: &[String]) -> Result<Ledger, Error> {
    read(name, &text(HEADER, rows))
}

/// A register covering 1990-1995 (no 1993 delivery at all).
fn small() -> Ledger {
    register(
        "small-register.csv",
        &[
            row(1, "Russia", "China", 1990, "10"),
            row(2, "Russia", "India", 1992, "5"),
            row(3, "France", "India", 1994, "4"),
            row(4, "United States", "Japan", 1995, "8"),
        ],
    )
    .unwrap()
}

fn p(a: i32, b: i32) -> Period {
    Period::new(a, b).unwrap()
}

fn coverage_err(e: Error) -> (String, Option<Period>, Period, String) {
    let msg = e.to_string();
    match e {
        Error::Coverage { dataset, coverage, requested, what } => {
            assert!(msg.contains("no value is invented"), "{msg}");
            (dataset, coverage, requested, what)
        }
        other => panic!("expected Error::Coverage, got {other:?}"),
    }
}

#[test]
fn coverage_is_the_span_of_the_rows_read() {
    let l = small();
    assert_eq!(l.years(), Some(p(1990, 1995)));
    assert_eq!(l.covers.as_ref().unwrap().dataset, "small-register.csv");
}

#[test]
fn every_period_query_checks_the_coverage() {
    let l = small();
    let r = &l.registry;
    let (ru, cn, ind) = (r.resolve("Russia").unwrap(), r.resolve("China").unwrap(), r.resolve("India").unwrap());
    let out = p(1994, 1996);
    let o = FactSheet { top: None, partners: 1, compare: None };
    let errs: Vec<Error> = vec![
        tm::exporters(&l, out, o).unwrap_err(),
        tm::importers(&l, out, o).unwrap_err(),
        tm::exporters(&l, p(1990, 1994), FactSheet { compare: Some(p(1985, 1989)), ..o }).unwrap_err(),
        tm::by_supplier(&l, out).unwrap_err(),
        tm::by_recipient(&l, out).unwrap_err(),
        tm::by_dyad(&l, out).unwrap_err(),
        tm::suppliers_of(&l, ind, out).unwrap_err(),
        tm::clients_of(&l, ru, out).unwrap_err(),
        tm::dyad_series(&l, ru, cn, Some(p(1987, 1994))).unwrap_err(),
        tm::actor_series(&l, ru, Some(out)).unwrap_err(),
        tm::world_series(&l, Some(out)).unwrap_err(),
        l.total(out).unwrap_err(),
        dep::supplier_dependence(&l, ind, None, out).unwrap_err(),
        dep::client_dependence(&l, ru, None, out).unwrap_err(),
        dep::supplier_hhi(&l, ind, out).unwrap_err(),
        dep::dependence_asymmetry(&l, ru, ind, out).unwrap_err(),
        dep::supplier_dependence_table(&l, ind, None, &[p(1990, 1994), out]).unwrap_err(),
        dep::net_exporter(&l, ru, Some(out)).unwrap_err(),
    ];
    for e in errs {
        let msg = e.to_string();
        let (dataset, cov, req, _) = coverage_err(e);
        assert_eq!(dataset, "small-register.csv");
        assert_eq!(cov, Some(p(1990, 1995)));
        assert!(msg.contains("covers 1990-1995"), "{msg}");
        assert!(msg.contains(&req.to_string()), "{msg}");
    }
    // the message says which years lie outside
    let msg = tm::exporters(&l, out, o).unwrap_err().to_string();
    assert!(msg.contains("exporters(1994-1996)") && msg.contains("reaches 1996"), "{msg}");
    let msg = tm::dyad_series(&l, ru, cn, Some(p(1987, 1994))).unwrap_err().to_string();
    assert!(msg.contains("dyad(Russia, China, 1987-1994)") && msg.contains("reaches 1987-1989"), "{msg}");
    let msg =
        tm::exporters(&l, p(1990, 1994), FactSheet { compare: Some(p(1985, 1989)), ..o }).unwrap_err().to_string();
    assert!(msg.contains("comparison period") && msg.contains("1985-1989 (all of it)"), "{msg}");
}

#[test]
fn zeros_inside_the_coverage_stay_zeros() {
    let l = small();
    let r = &l.registry;
    let t =
        tm::dyad_series(&l, r.resolve("Russia").unwrap(), r.resolve("China").unwrap(), Some(p(1990, 1995))).unwrap();
    assert_eq!(t.f64s("tiv").unwrap(), vec![Some(10.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0)]);
    assert_eq!(l.total(p(1993, 1993)).unwrap(), 0.0, "no delivery in 1993, a year the register covers");
    assert_eq!(tm::exporters(&l, p(1993, 1993), FactSheet::default()).unwrap().num_rows(), 0);
    // without a period, a series spans the coverage
    let w = tm::world_series(&l, None).unwrap();
    assert_eq!(w.i64s("year").unwrap().first().copied().flatten(), Some(1990));
    assert_eq!(w.num_rows(), 6);
}

#[test]
fn coverage_travels_through_scenarios_succession_and_ipc() {
    let l = small();
    // the scenario removes every 1995 delivery: the what-if still covers 1995 (a real zero)
    let mut s = Scenario::new("no US exports");
    s.push(Operation::scale_exports("United States", 0.0, None));
    let w = s.apply(&l).unwrap();
    assert_eq!(w.years(), Some(p(1990, 1995)));
    assert_eq!(w.total(p(1995, 1995)).unwrap(), 0.0);
    assert!(matches!(w.total(p(1996, 1996)), Err(Error::Coverage { .. })));
    let f = l.follow_succession();
    assert_eq!(f.years(), Some(p(1990, 1995)));
    // Arrow IPC keeps it; a ledger built in memory covers its rows
    let dir = TempDir::new("trust");
    let ipc = dir.0.join("w.arrow");
    io::write_ledger_ipc(&w, &ipc).unwrap();
    let back = io::read_ledger_ipc(&ipc).unwrap();
    assert_eq!(back.years(), Some(p(1990, 1995)));
    assert_eq!(back.dataset(), "small-register.csv");
    assert!(matches!(back.total(p(1989, 1990)), Err(Error::Coverage { .. })));
    // CSV: the years of the rows (a narrower what-if never gets wider)
    let csv = dir.0.join("l.csv");
    io::write_ledger_csv(&l, &csv).unwrap();
    assert_eq!(io::read_ledger_csv(&csv).unwrap().years(), Some(p(1990, 1995)));
}

#[test]
fn a_folder_covers_the_union_of_its_files() {
    let dir = TempDir::new("folder");
    let first = dir.write(
        "a_1950-1959.csv",
        text(HEADER, &[row(1, "Russia", "China", 1952, "3"), row(2, "France", "India", 1957, "1")]),
    );
    dir.write("b_1960-1969.csv", text(HEADER, &[row(3, "Russia", "China", 1963, "3")]));
    let l = sipri::read_sipri(&dir.0).unwrap();
    assert_eq!(l.years(), Some(p(1952, 1963)));
    let e = tm::by_supplier(&l, p(1950, 1955)).unwrap_err().to_string();
    assert!(
        e.contains(&dir.0.file_name().unwrap().to_string_lossy().to_string()) && e.contains("covers 1952-1963"),
        "{e}"
    );
    // concat directly: the union span
    let a = sipri::read_sipri(&first).unwrap();
    assert_eq!(a.years(), Some(p(1952, 1957)));
}

#[test]
fn an_empty_ledger_covers_nothing() {
    let l = Ledger::empty(std::sync::Arc::new(ActorRegistry::builtin().clone()), powerbalance_core::Coverage::Dyadic);
    let (_, cov, _, _) = coverage_err(l.total(p(2000, 2000)).unwrap_err());
    assert_eq!(cov, None);
    assert!(matches!(tm::world_series(&l, None), Err(Error::Coverage { coverage: None, .. })));
}

// ---------------------------------------------------------------------------------------------
// top-N comparisons

#[test]
fn top_n_comparison_takes_values_from_the_uncut_tables() {
    // A supplies 10, B 8, C 6, D 1 to E; the scenario cuts A to a tenth: A leaves the top 2
    let l = register(
        "four.csv",
        &[
            row(1, "Russia", "India", 2000, "10"),
            row(2, "France", "India", 2000, "8"),
            row(3, "Israel", "India", 2000, "6"),
            row(4, "United Kingdom", "India", 2000, "1"),
        ],
    )
    .unwrap();
    let mut s = Scenario::new("Russia shrinks");
    s.push(Operation::scale_exports("Russia", 0.1, None));
    let metric = |l: &Ledger| tm::exporters(l, p(2000, 2000), FactSheet { top: Some(2), partners: 0, compare: None });
    let base = metric(&l).unwrap();
    assert_eq!(base.num_rows(), 2, "the cut table shows its top 2");
    let c = powerbalance_core::scenario::compare(&l, &s, metric).unwrap();
    let names: Vec<String> = c.strings("supplier").unwrap().into_iter().map(Option::unwrap).collect();
    assert_eq!(names, vec!["Russia", "France", "Israel"], "the union of both sides' top 2");
    let d = c.f64s("tiv_diff").unwrap();
    assert!((d[0].unwrap() - (-9.0)).abs() < 1e-12, "Russia's real change, not -10: {d:?}");
    assert_eq!(d[1], Some(0.0));
    assert_eq!(d[2], Some(0.0), "Israel entered the top 2 without changing");
    assert_eq!(c.f64s("tiv_baseline").unwrap()[2], Some(6.0), "Israel's baseline from the uncut table");
    assert!((c.f64s("tiv_scenario").unwrap()[0].unwrap() - 1.0).abs() < 1e-12);
    // without the metadata (a table that went through polars) rows are matched as shown
    let plain = powerbalance_core::Table {
        batch: arrow_array::RecordBatch::try_new(
            std::sync::Arc::new(arrow_schema::Schema::new(base.batch.schema().fields().clone())),
            base.batch.columns().to_vec(),
        )
        .unwrap(),
    };
    assert!(tm::rows_below_top(&plain).unwrap().is_none());
    // an uncut table is unchanged by the cut machinery
    let full = tm::exporters(&l, p(2000, 2000), FactSheet::default()).unwrap();
    assert_eq!(full.num_rows(), 4);
    assert!(tm::rows_below_top(&full).unwrap().is_none());
    let below = tm::rows_below_top(&base).unwrap().unwrap();
    assert_eq!(
        below.strings("supplier").unwrap(),
        vec![Some("Israel".to_string()), Some("United Kingdom".to_string())]
    );
    let _ = compare_tables(&base, &full, None).unwrap();
}

// ---------------------------------------------------------------------------------------------
// repeated rows and absurd values

#[test]
fn a_repeated_deal_year_is_an_error_with_both_lines() {
    let r1 = row(7, "Russia", "India", 2001, "3");
    let t = text(HEADER, &[r1.clone(), row(8, "France", "India", 2001, "2"), r1.clone()]);
    let e = read("dup.csv", &t).unwrap_err();
    let msg = e.to_string();
    match e {
        Error::Parse { line, column, column_name, .. } => {
            assert_eq!((line, column), (15, 1));
            assert_eq!(column_name.as_deref(), Some("SIPRI AT Database ID"));
        }
        other => panic!("{other:?}"),
    }
    assert!(msg.contains("dup.csv") && msg.contains("lines 13 and 15") && msg.contains("deal 7"), "{msg}");
    // the same deal in another year is a delivery of its own
    assert!(register("ok.csv", &[r1, row(7, "Russia", "India", 2002, "3")]).is_ok());
    // both splitters (the fast path, several pieces) say the same
    let mut big = vec![];
    for k in 0..400 {
        big.push(row(100 + k, "Russia", "India", 1990 + (k % 30) as i32, "1"));
    }
    big.push(row(100 + 250, "Russia", "India", 1990 + (250 % 30), "1"));
    let t = text(HEADER, &big);
    let (a, b) = sipri::register_split_outcomes(t.as_bytes(), 4).unwrap();
    assert_eq!(a, b);
    assert!(a.contains("lines 263 and 413"), "{a}");
}

#[test]
fn absurd_and_non_finite_tiv_values_are_refused() {
    for bad in ["1e308", "inf", "NaN", "-inf", "1000001", "1e7"] {
        let e = register("bad.csv", &[row(1, "Russia", "India", 2001, bad)]).unwrap_err();
        match &e {
            Error::Parse { line, column_name, .. } => {
                assert_eq!(*line, 13);
                assert_eq!(column_name.as_deref(), Some("TIV delivery values"), "{e}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    // the bound itself is a value
    let l = register("edge.csv", &[row(1, "Russia", "India", 2001, "1000000")]).unwrap();
    assert_eq!(l.total(p(2001, 2001)).unwrap(), 1e6);
}

#[test]
fn shares_and_hhi_stay_finite_at_the_bound() {
    // many entries at the largest accepted value: sums stay finite, shares sum to one
    let rows: Vec<String> =
        (0..50).map(|k| row(k, if k % 2 == 0 { "Russia" } else { "France" }, "India", 2001, "1000000")).collect();
    let l = register("big.csv", &rows).unwrap();
    let t = tm::exporters(&l, p(2001, 2001), FactSheet::default()).unwrap();
    let s: f64 = t.f64s("share").unwrap().into_iter().map(Option::unwrap).sum();
    assert!((s - 1.0).abs() < 1e-12);
    let ind = l.resolve("India").unwrap();
    let h = dep::supplier_hhi(&l, ind, p(2001, 2001)).unwrap().unwrap();
    assert!((h - 0.5).abs() < 1e-12, "{h}");
    // a scenario cannot push values to where sums overflow
    let mut s = Scenario::new("absurd");
    s.push(Operation::scale_exports("Russia", 1e300, None));
    let e = s.apply(&l).unwrap_err().to_string();
    assert!(e.contains("overflow"), "{e}");
}

#[test]
fn classic_register_keeps_and_reports_identical_rows() {
    let line =
        "El Salvador,United States,1977,?,1,,DC-6,transport aircraft,1,,1977,Second hand,Second-hand,3.4,3.4,3.4"
            .to_string();
    let other = "Chile,France,1980,,2,,X-1,aircraft,2,,1981; 1982,New,,5,10,10".to_string();
    let t = text(CLASSIC_HEADER, &[line.clone(), other, line.clone(), line]);
    let l = read("classic.csv", &t).unwrap();
    let f = &l.report.files[0];
    assert_eq!(f.rows_read, 4, "identical rows are kept (separate deals)");
    assert_eq!(f.repeated, vec![(15, 13), (16, 13)]);
    assert!(
        f.notes
            .iter()
            .any(|n| n.contains("2 rows repeat an earlier row exactly") && n.contains("line 15 repeats line 13")),
        "{:?}",
        f.notes
    );
    assert!((l.total(p(1977, 1977)).unwrap() - 3.0 * 3.4).abs() < 1e-12);
    let rep = tm::report(&l).unwrap();
    assert_eq!(rep.i64s("rows_repeated").unwrap(), vec![Some(2)]);
}

#[test]
fn a_repeated_row_of_a_tiv_table_is_an_error() {
    // a wide table lists each recipient once
    let wide = "\"TIV of arms exports from Atlantis, 2000-2002\",,,,\n,2000,2001,2002,Total\nChina,1,2,,3\nIndia,4,,,4\nChina,1,2,,3\n";
    let e = read("wide.csv", wide).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::Parse { line: 5, column: 1, .. }), "{e:?}");
    assert!(msg.contains("lines 3 and 5") && msg.contains("China"), "{msg}");
    // a long table lists each supplier, recipient and year once
    let long = "\"Export_From\",\"Import_To\",\"Year\",\"TIV\"\nRussia,India,2001,5\nRussia,China,2001,2\nRussia,India,2001,5\n";
    let e = read("long.csv", long).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::Parse { line: 4, .. }), "{e:?}");
    assert!(msg.contains("lines 2 and 4") && msg.contains("Russia -> India in 2001"), "{msg}");
}

#[test]
fn a_tiv_table_covers_its_year_columns() {
    // the 2002 column is empty: no delivery that year, a real zero inside the table's years
    let wide =
        "\"TIV of arms exports from Atlantis, 2000-2002\",,,,\n,2000,2001,2002,Total\nChina,1,2,,3\nIndia,4,,,4\n";
    let l = read("wide.csv", wide).unwrap();
    assert_eq!(l.span(), Some(p(2000, 2001)));
    assert_eq!(l.years(), Some(p(2000, 2002)));
    assert_eq!(l.total(p(2002, 2002)).unwrap(), 0.0);
    assert!(matches!(l.total(p(2002, 2003)), Err(Error::Coverage { .. })));
}
