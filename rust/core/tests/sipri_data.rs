//! The SIPRI readers against every file of the project's SIPRI data folder, checked against the
//! figures of that folder's README.
//!
//! Needs the data: `POWERBALANCE_DATA=/path/to/data cargo test -p powerbalance-core --test sipri_data`
//! (the folder that holds `sipri/`). Without it these tests fail; they never pass silently.

mod common;

use common::data;
use powerbalance_core::actors::ActorId;
use powerbalance_core::{sipri, Coverage, Error, Ledger, SipriFormat};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

fn csv_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            csv_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            out.push(p);
        }
    }
}

fn all_files() -> Vec<PathBuf> {
    let mut v = Vec::new();
    csv_files(&data("sipri"), &mut v);
    v
}

/// The layout each file of the data folder has: that of the first pattern its path contains.
const LAYOUTS: [(&str, SipriFormat); 7] = [
    ("360info_", SipriFormat::WideTable),
    ("country_list", SipriFormat::CountryList),
    ("/lajh87_", SipriFormat::LongTable),
    ("-All-", SipriFormat::AllTable),
    ("-values_", SipriFormat::ValuesTable),
    ("register_oldformat", SipriFormat::ClassicRegister),
    ("register", SipriFormat::TradeRegister),
];

fn expected_format(p: &Path) -> SipriFormat {
    let s = p.to_string_lossy();
    let layout = LAYOUTS.iter().find(|(pattern, _)| s.contains(pattern));
    layout.map(|&(_, format)| format).unwrap_or_else(|| panic!("unexpected file {s}"))
}

/// Every data row read or skipped, entries counted, per file of a ledger.
fn check_accounting(l: &Ledger) {
    let mut entries = 0;
    for f in &l.report.files {
        assert_eq!(
            f.rows_read + f.skipped.len(),
            f.data_rows,
            "{}: rows_read {} + skipped {} != data rows {}",
            f.path.display(),
            f.rows_read,
            f.skipped.len(),
            f.data_rows
        );
        entries += f.entries;
    }
    assert_eq!(entries, l.len(), "entries in the reports vs the ledger");
    assert_eq!(l.deal.len(), l.len());
    assert_eq!(l.supplier.len(), l.len());
}

fn read(p: &Path) -> Ledger {
    let l = sipri::read_sipri(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    check_accounting(&l);
    l
}

fn sipri_path(rel: &str) -> PathBuf {
    data("sipri").join(rel)
}

fn id(l: &Ledger, name: &str) -> ActorId {
    l.resolve(name).unwrap_or_else(|e| panic!("{e}"))
}

fn distinct(v: &[ActorId]) -> usize {
    v.iter().collect::<HashSet<_>>().len()
}

fn year_total(l: &Ledger, y: i32) -> f64 {
    l.year.iter().zip(&l.tiv).filter(|(yy, _)| **yy == y).map(|(_, t)| t).sum()
}

fn cell_map(l: &Ledger) -> HashMap<(String, String, i32), f64> {
    let mut m = HashMap::new();
    for i in 0..l.len() {
        let k = (l.registry.name(l.supplier[i]).to_string(), l.registry.name(l.recipient[i]).to_string(), l.year[i]);
        *m.entry(k).or_insert(0.0) += l.tiv[i];
    }
    m
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b} (tolerance {tol})");
}

#[test]
fn every_file_reads_with_its_layout() {
    let files = all_files();
    assert_eq!(files.len(), 146, "data files under sipri/");
    let tables = files.iter().filter(|p| p.to_string_lossy().contains("360info_")).count();
    assert_eq!(tables, 134, "360info tables");
    let (mut rows, mut entries, mut read_files) = (0usize, 0usize, 0usize);
    let t0 = std::time::Instant::now();
    for p in &files {
        let want = expected_format(p);
        assert_eq!(sipri::detect(p).unwrap_or_else(|e| panic!("{e}")), want, "{}", p.display());
        if want == SipriFormat::CountryList {
            match sipri::read_sipri(p) {
                Err(Error::Format { message, .. }) => assert!(message.contains("country list"), "{message}"),
                other => panic!("{}: {other:?}", p.display()),
            }
            continue;
        }
        let l = read(p);
        let f = &l.report.files[0];
        assert_eq!(l.report.files.len(), 1);
        assert_eq!(f.format, want, "{}", p.display());
        assert_eq!(f.coverage, l.coverage);
        assert!(!l.is_empty(), "{}: no entries", p.display());
        let bytes = std::fs::read(p).unwrap();
        let b = sipri::read_sipri_bytes(&bytes, p, powerbalance_core::ActorRegistry::builtin().clone()).unwrap();
        assert_eq!((b.len(), b.tiv.iter().sum::<f64>()), (l.len(), l.tiv.iter().sum::<f64>()), "bytes vs file");
        rows += f.data_rows;
        entries += l.len();
        read_files += 1;
    }
    println!(
        "every file: {} files ({} read, 1 country list), {rows} data rows, {entries} entries, in {:.2?}",
        files.len(),
        read_files,
        t0.elapsed()
    );
}

#[test]
fn register_2024_matches_sipri_official_totals() {
    let dir = sipri_path("register_newformat_2024");
    let l = read(&dir);
    assert_eq!(l.coverage, Coverage::Dyadic);
    let files: Vec<String> =
        l.report.files.iter().map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(files, ["trade-register_1950-1989.csv", "trade-register_1990-2023.csv"]);
    let skipped: Vec<(String, &str)> = l
        .report
        .files_skipped
        .iter()
        .map(|(p, r)| (p.file_name().unwrap().to_string_lossy().into_owned(), r.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("export-values_1990-2023.csv".to_string(), "aggregate totals beside dyadic files; read the file itself"),
            ("import-values_1990-2023.csv".to_string(), "aggregate totals beside dyadic files; read the file itself"),
        ]
    );
    let rows: Vec<(usize, usize, usize)> =
        l.report.files.iter().map(|f| (f.data_rows, f.rows_read, f.preamble_lines)).collect();
    assert_eq!(rows, [(31_319, 31_319, 11), (27_838, 27_838, 11)]);
    assert_eq!(l.len(), 59_157);
    assert_eq!(l.deals.len(), 59_157);
    let ids: HashSet<u64> = l.deals.iter().map(|d| d.sipri_id.unwrap()).collect();
    assert_eq!(ids.len(), 27_951, "deals");
    assert_eq!(distinct(&l.supplier), 136, "suppliers");
    assert_eq!(distinct(&l.recipient), 261, "recipients");
    let span = l.span().unwrap();
    assert_eq!((span.start, span.end), (1950, 2023));
    assert_eq!(l.report.files[1].generated.as_deref(), Some("13 Apr 2024 3:44:54 PM"));
    // Deal detail of the first row of the 1990-2023 file.
    let i = 31_319;
    let d = &l.deals[l.deal[i] as usize];
    assert_eq!(d.sipri_id, Some(55238));
    assert_eq!(
        (d.designation.as_str(), d.category.as_str(), d.status.as_str()),
        ("PM-43 120mm", "Artillery", "Second hand")
    );
    assert_eq!((d.order_year, d.order_year_estimated, d.numbers_delivered), (Some(2011), true, Some(12.0)));
    assert_eq!((d.tiv_unit, d.tiv_deal_unit, d.local_production), (Some(0.25), Some(0.1), false));
    assert_eq!((l.year[i], l.tiv[i]), (2011, 1.2));
    let w2016 = year_total(&l, 2016);
    close(w2016.round(), 30_784.0, 0.0, "2024 register, world total 2016");

    // THE KEY CHECK: summed by supplier (recipient) and year, the register equals SIPRI's own
    // exporter (importer) totals of the same date for every actor and year, within rounding.
    let mut max_diffs = Vec::new();
    for (file, by_supplier) in [("export-values_1990-2023.csv", true), ("import-values_1990-2023.csv", false)] {
        let vp = dir.join(file);
        let v = sipri::read_sipri_with(&vp, (*l.registry).clone()).unwrap();
        check_accounting(&v);
        let f = &v.report.files[0];
        assert_eq!(f.format, SipriFormat::ValuesTable);
        assert_eq!(v.coverage, if by_supplier { Coverage::ExportTotals } else { Coverage::ImportTotals });
        assert!(f.new_actors.is_empty(), "{file}: names not in the register: {:?}", f.new_actors);
        let totals_rows: Vec<&str> =
            f.skipped.iter().map(|s| s.reason.as_str()).filter(|r| *r == "totals row").collect();
        assert_eq!(totals_rows.len(), 1, "{file}: the world row");
        assert_eq!(f.rows_read, if by_supplier { 119 } else { 223 }, "{file}: actor rows");
        let key = |i: usize, led: &Ledger| if by_supplier { led.supplier[i] } else { led.recipient[i] };
        let mut reg_sum: HashMap<(ActorId, i32), f64> = HashMap::new();
        for i in 0..l.len() {
            if (1990..=2023).contains(&l.year[i]) {
                *reg_sum.entry((key(i, &l), l.year[i])).or_default() += l.tiv[i];
            }
        }
        let mut official: HashMap<(ActorId, i32), f64> = HashMap::new();
        for i in 0..v.len() {
            *official.entry((key(i, &v), v.year[i])).or_default() += v.tiv[i];
        }
        let keys: HashSet<(ActorId, i32)> = reg_sum.keys().chain(official.keys()).copied().collect();
        let mut worst = (0.0f64, String::new());
        for k in &keys {
            let a = reg_sum.get(k).copied().unwrap_or(0.0);
            let b = official.get(k).copied().unwrap_or(0.0);
            let d = (a - b).abs();
            if d > worst.0 {
                worst = (d, format!("{} {}: register {a}, official {b}", l.registry.name(k.0), k.1));
            }
        }
        assert!(worst.0 <= 1.0, "{file}: {}", worst.1);
        // Every official cell has register deliveries and vice versa.
        assert_eq!(reg_sum.len(), official.len(), "{file}: cells");
        println!("key check vs {file}: {} actor-year cells, max |diff| = {:.2} ({})", keys.len(), worst.0, worst.1);
        max_diffs.push(worst.0);
        let world_2016 = year_total(&v, 2016);
        println!("  {file}: world 2016 from the actor rows = {world_2016}; notes: {:?}", f.notes);
    }
    println!(
        "2024 register: {} rows, {} deals, {} suppliers, {} recipients, world 2016 = {w2016:.2}",
        l.len(),
        ids.len(),
        distinct(&l.supplier),
        distinct(&l.recipient)
    );
}

#[test]
fn register_2026_with_semicolons_and_crlf() {
    let l = read(&sipri_path("register_newformat_2026/trade_register_1995-2024.csv"));
    let f = &l.report.files[0];
    assert_eq!(
        (f.format, f.data_rows, f.rows_read, f.preamble_lines),
        (SipriFormat::TradeRegister, 25_024, 25_024, 11)
    );
    assert_eq!(f.generated.as_deref(), Some("12 Feb 2026 12:26:12 PM"));
    assert!(f.title.as_deref().unwrap().starts_with("Transfers of major conventional arms"));
    let ids: HashSet<u64> = l.deals.iter().map(|d| d.sipri_id.unwrap()).collect();
    assert_eq!(ids.len(), 12_571);
    assert_eq!(distinct(&l.supplier), 110);
    assert_eq!(distinct(&l.recipient), 206);
    let span = l.span().unwrap();
    assert_eq!((span.start, span.end), (1995, 2024));
    // The last row (no newline at EOF, trailing ';'): Local production read as a clean "No".
    assert!(!l.deals.last().unwrap().local_production);
    let w = year_total(&l, 2016);
    close(w.round(), 30_794.0, 0.0, "2026 register, world total 2016");
    println!("2026 register: {} rows, {} deals, world 2016 = {w:.2}", l.len(), ids.len());
}

#[test]
fn classic_register_latin1() {
    let l = read(&sipri_path("register_oldformat_2026/trade-register.csv"));
    let f = &l.report.files[0];
    assert_eq!(f.format, SipriFormat::ClassicRegister);
    assert_eq!(f.data_rows, 29_916, "deals");
    // the 1,220 open orders (nothing delivered yet) are read and kept as orders, not skipped
    let open = l.open_orders.len();
    assert_eq!(open, 1_220, "open orders");
    assert!(f.skipped.is_empty(), "{:?}", &f.skipped[..f.skipped.len().min(3)]);
    assert_eq!(f.rows_read, 29_916);
    assert_eq!(l.deals.len(), f.rows_read);
    assert!(f.notes.iter().any(|n| n.starts_with("1220 open orders")), "{:?}", f.notes);
    assert!(l.open_orders.iter().all(|o| l.deals[o.deal as usize].numbers_delivered == Some(0.0)));
    assert_eq!(distinct(&l.supplier), 138);
    assert_eq!(distinct(&l.recipient), 255);
    let span = l.span().unwrap();
    assert_eq!((span.start, span.end), (1950, 2025));
    assert!(l.annual_estimated);
    assert!(f.notes.iter().any(|n| n.contains("spread evenly")), "{:?}", f.notes);
    assert!(f.notes.iter().any(|n| n.contains("Latin-1")), "{:?}", f.notes);
    assert_eq!(f.generated.as_deref(), Some("18 May 2026 2:29:20 PM"));
    assert!(l.deals.iter().any(|d| d.comments.contains("Wärtsilä")), "Latin-1 decoded");
    // Spreading keeps each deal's total.
    let mut by_deal = vec![0.0f64; l.deals.len()];
    for i in 0..l.len() {
        by_deal[l.deal[i] as usize] += l.tiv[i];
    }
    // First data row: Afghanistan <- Russia, Mi-17, delivered 2011, 17.4.
    assert_eq!(
        (l.deals[0].designation.as_str(), l.deals[0].order_year, l.deals[0].order_year_estimated),
        ("Mi-17", Some(2010), true)
    );
    close(by_deal[0], 17.4, 1e-9, "first deal");
    // Third: BM-13, 1960; 1961, total 4.
    assert_eq!((l.year[2], l.year[3]), (1960, 1961));
    close(l.tiv[2], 2.0, 1e-12, "spread");
    println!("classic register: {} deals read, {open} open orders, {} entries", f.rows_read, l.len());
}

/// Russia's total exports and Russia -> China, 2022 vintage (README reference series).
const YEARS: [i32; 23] = [
    1999, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017,
    2018, 2019, 2020, 2021,
];
const RUSSIA: [f64; 23] = [
    4259., 4490., 5279., 5740., 5143., 6255., 5142., 5130., 5502., 6178., 5055., 6189., 8682., 8178., 7928., 5499.,
    5947., 6837., 6238., 7099., 5531., 3689., 2743.,
];
const RUSSIA_CHINA: [f64; 23] = [
    1462., 2231., 2495., 2536., 2066., 2872., 3077., 2450., 1301., 1459., 1100., 657., 743., 598., 694., 602., 755.,
    691., 986., 1767., 1179., 632., 773.,
];

fn check_reference_series(l: &Ledger, what: &str) {
    let ru = id(l, "Russia");
    let cn = id(l, "China");
    for (k, &y) in YEARS.iter().enumerate() {
        let tot: f64 = (0..l.len()).filter(|&i| l.supplier[i] == ru && l.year[i] == y).map(|i| l.tiv[i]).sum();
        let rc: f64 = (0..l.len())
            .filter(|&i| l.supplier[i] == ru && l.recipient[i] == cn && l.year[i] == y)
            .map(|i| l.tiv[i])
            .sum();
        assert_eq!(tot, RUSSIA[k], "{what}: Russia total {y}");
        assert_eq!(rc, RUSSIA_CHINA[k], "{what}: Russia -> China {y}");
    }
}

#[test]
fn tiv_tables_2022() {
    let dir = sipri_path("tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021");
    // Each table alone.
    let mut per_file_entries = 0;
    for p in std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
        let l = read(&p);
        let f = &l.report.files[0];
        assert_eq!((f.format, f.preamble_lines), (SipriFormat::WideTable, 10), "{}", p.display());
        assert_eq!(f.generated.as_deref(), Some("28 July 2022"));
        assert_eq!(f.skipped.iter().filter(|s| s.reason == "totals row").count(), 1, "{}", p.display());
        assert_eq!(distinct(&l.supplier), 1);
        per_file_entries += l.len();
    }
    assert_eq!(per_file_entries, 22_225);
    // The folder, merged.
    let t = read(&dir);
    assert_eq!(t.report.files.len(), 134);
    assert_eq!(t.len(), 22_225, "non-empty cells");
    assert_eq!(t.tiv.iter().filter(|v| **v == 0.0).count(), 847, "zero cells");
    let pairs: HashSet<(ActorId, ActorId)> = t.supplier.iter().copied().zip(t.recipient.iter().copied()).collect();
    assert_eq!(pairs.len(), 2_941, "pairs");
    assert_eq!(distinct(&t.supplier), 134);
    assert_eq!(distinct(&t.recipient), 260);
    let w2016 = year_total(&t, 2016);
    let w1620: f64 = (2016..=2020).map(|y| year_total(&t, y)).sum();
    assert_eq!(w2016, 31_504.0);
    assert_eq!(w1620, 141_954.0);
    check_reference_series(&t, "360info");

    // The lajh87 long tables: same release, by exporter and by importer.
    let e = read(&sipri_path("tiv_tables_2022/lajh87_export_tiv_1950-2021.csv"));
    let i = read(&sipri_path("tiv_tables_2022/lajh87_import_tiv_1950-2021.csv"));
    for (l, rows) in [(&e, 30_628), (&i, 41_214)] {
        let f = &l.report.files[0];
        assert_eq!((f.format, f.data_rows, f.rows_read), (SipriFormat::LongTable, rows, 22_223));
        assert_eq!(l.len(), 22_223);
        let reasons: BTreeSet<&str> = f.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons, BTreeSet::from(["All table row", "row total", "totals row"]));
        check_reference_series(l, "lajh87");
    }
    let (ce, ci, ct) = (cell_map(&e), cell_map(&i), cell_map(&t));
    assert_eq!(ce, ci, "lajh87 export and import tables agree cell for cell");
    let mut diff: Vec<String> = ct
        .keys()
        .chain(ce.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|k| ct.get(*k) != ce.get(*k))
        .map(|k| format!("{}->{} {}: {:?}/{:?}", k.0, k.1, k.2, ct.get(k), ce.get(k)))
        .collect();
    diff.sort();
    assert_eq!(diff.len(), 4, "360info vs lajh87: {diff:?}");
    println!("2022 tables: 22,225 cells (847 zero), world 2016 = {w2016}, 2016-20 = {w1620}; 360info vs lajh87 differ in {diff:?}");
    // The folder that holds both long tables: they overlap.
    match sipri::read_sipri(&sipri_path("tiv_tables_2022")) {
        Err(Error::Overlap { cells, .. }) => assert_eq!(cells, 22_223),
        other => panic!("{:?}", other.map(|l| l.len())),
    }
}

#[test]
fn totals_tables_2020_2021() {
    let j = read(&sipri_path("tiv_totals_2020-2021/jmjames37_TIV-Import-All-1950-2020.csv"));
    let f = &j.report.files[0];
    assert_eq!(
        (f.format, j.coverage, f.rows_read, f.preamble_lines),
        (SipriFormat::AllTable, Coverage::ImportTotals, 259, 0)
    );
    let reasons: Vec<&str> = f.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, ["blank line", "totals row"]);
    assert!(j.supplier.iter().all(|s| *s == j.registry.world()));
    let w2016 = year_total(&j, 2016);
    let w1620: f64 = (2016..=2020).map(|y| year_total(&j, y)).sum();
    assert_eq!(w2016, 31_444.0);
    assert_eq!(w1620, 140_179.0);
    println!("jmjames37 (2021 vintage): 2016 = {w2016}, 2016-20 = {w1620}; notes {:?}", f.notes);
    for (name, cov, rows) in [
        ("epfl_TIV-Export-All-1950-2019.csv", Coverage::ExportTotals, 134),
        ("epfl_TIV-Import-All-1950-2019.csv", Coverage::ImportTotals, 259),
    ] {
        let l = read(&sipri_path(&format!("tiv_totals_2020-2021/{name}")));
        let f = &l.report.files[0];
        assert_eq!(
            (f.format, l.coverage, f.rows_read, f.skipped.len()),
            (SipriFormat::AllTable, cov, rows, 0),
            "{name}"
        );
        let counterpart = if cov == Coverage::ExportTotals { &l.recipient } else { &l.supplier };
        assert!(counterpart.iter().all(|a| *a == l.registry.world()));
    }
    match sipri::read_sipri(&sipri_path("tiv_totals_2020-2021")) {
        Err(Error::InvalidArgument(m)) => assert!(m.contains("export totals") && m.contains("import totals"), "{m}"),
        other => panic!("{:?}", other.map(|l| l.len())),
    }
}

#[test]
fn new_actors_are_empty_for_every_file() {
    let mut files = 0;
    let mut names: BTreeSet<String> = BTreeSet::new();
    for p in all_files() {
        if expected_format(&p) == SipriFormat::CountryList {
            continue;
        }
        let l = read(&p);
        for f in &l.report.files {
            if !f.new_actors.is_empty() {
                files += 1;
                println!("{}: {:?}", f.path.strip_prefix(data("sipri")).unwrap_or(&f.path).display(), f.new_actors);
                names.extend(f.new_actors.iter().cloned());
            }
        }
    }
    if !names.is_empty() {
        println!("names the built-in registry does not know ({} distinct, in {files} files):", names.len());
        for n in &names {
            println!("  {n}");
        }
        panic!("{files} files met {} names outside the built-in actor registry (see the list above)", names.len());
    }
}

/// Prints how long reading the 2024 register (1990-2023) takes; run with `--release --nocapture`
/// for a meaningful figure.
#[test]
fn timing_register_1990_2023() {
    let p = sipri_path("register_newformat_2024/trade-register_1990-2023.csv");
    let bytes = std::fs::read(&p).unwrap();
    let reg = powerbalance_core::ActorRegistry::builtin().clone();
    let mut times = Vec::new();
    for _ in 0..7 {
        let t = std::time::Instant::now();
        let l = sipri::read_sipri(&p).unwrap();
        times.push((t.elapsed(), l.len()));
    }
    let t = std::time::Instant::now();
    let l = sipri::read_sipri_bytes(&bytes, &p, reg).unwrap();
    let from_bytes = t.elapsed();
    times.sort();
    println!(
        "timing: trade-register_1990-2023.csv ({} bytes, {} rows): best {:.2?}, median {:.2?} from the file; {:.2?} from bytes ({})",
        bytes.len(),
        l.len(),
        times[0].0,
        times[3].0,
        from_bytes,
        if cfg!(debug_assertions) { "debug build" } else { "release build" }
    );
}
