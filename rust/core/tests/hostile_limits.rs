//! Hostile inputs that used to crash or exhaust the process (issue 11, "Crashes and exhaustion"),
//! reader side. Each must end in a typed error quickly, never a panic, a hang or an allocation
//! proportional to an absurd number:
//!
//! - years outside the documented ranges (`crate::input`: 1600-2100, Maddison 1-2100) in every
//!   non-SIPRI reader, and COW codes outside 1-999;
//! - a SIPRI file whose first line is tens of megabytes (detection reads 40 lines / 64 KiB);
//! - FIFOs, `/dev/zero`, folders and files above 64 MiB given as a data file;
//! - a UTF-8 register with one damaged byte (an Encoding error, not a Latin-1 read);
//! - symbolic links in a data folder that lead out of it.
//!
//! The memory side (a child process under an address-space limit) is in `tests/test_hostile.py`.
//! Big inputs are generated here, in a temporary folder, never committed.

use powerbalance_core::capabilities::{parse_nmc, parse_spells, read_majors, read_nmc, read_states, SpellKind};
use powerbalance_core::gdp::{parse_maddison, parse_sdp_gdp, read_maddison, read_sdp_gdp};
use powerbalance_core::milex::{parse_milex, read_milex};
use powerbalance_core::panels::AllianceYears;
use powerbalance_core::relations::{parse_alliances, parse_ideal_points, read_alliances, read_ideal_points};
use powerbalance_core::{input, sipri, ActorRegistry, Error};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A fresh temporary folder for one test.
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pb-hostile-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// One file of each non-SIPRI reader: a header and a row whose year cell is `{Y}` (and, for the
/// spell lists, whose end year is `{Y}` too), the reader, and the name of the year column.
type Reader = fn(&str, &Path) -> Result<usize, Error>;

fn readers() -> Vec<(&'static str, &'static str, Reader, &'static str, usize)> {
    vec![
        (
            "nmc",
            "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\nUSA,2,1900,1,1,1,1,1,1,0.2,2021\nUSA,2,{Y},1,1,1,1,1,1,0.2,2021\n",
            |t, p| parse_nmc(t, p).map(|c| c.len()),
            "year",
            3,
        ),
        (
            "states",
            "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\nUSA,2,United States,1816,1,1,2016,12,31,2016\nCAN,20,Canada,{Y},1,1,2016,12,31,2016\n",
            |t, p| parse_spells(t, p, SpellKind::States).map(|s| s.spells.len()),
            "styear",
            4,
        ),
        (
            "majors",
            "stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday,version\nUSA,2,1898,8,13,2016,12,31,2016\nUKG,200,1816,1,1,{Y},12,31,2016\n",
            |t, p| parse_spells(t, p, SpellKind::Majors).map(|s| s.spells.len()),
            "endyear",
            6,
        ),
        (
            "alliances_cow",
            "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,1950,1,0,1,1\n2,200,{Y},1,0,0,0\n",
            |t, p| parse_alliances(t, p).map(|a| a.len()),
            "year",
            3,
        ),
        (
            "alliances_atop",
            "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n2,20,1950,1,0,0,0,0\n2,200,{Y},1,0,0,0,0\n",
            |t, p| parse_alliances(t, p).map(|a| a.len()),
            "year",
            3,
        ),
        (
            "ideal_points",
            "ccode,iso3c,countryname,year,idealpointfp\n2,USA,United States,1950,1.5\n2,USA,United States,{Y},1.5\n",
            |t, p| parse_ideal_points(t, p).map(|i| i.len()),
            "year",
            4,
        ),
        (
            "milex",
            "country,iso3c,ccode,region,subregion,year,milex_const2023_usd_m,const_flag,milex_current_usd_m,current_flag,milex_share_gdp,share_gdp_flag,notes\nFrance,FRA,220,Europe,Western Europe,1990,1,R,1,R,0.03,R,\nFrance,FRA,220,Europe,Western Europe,{Y},1,R,1,R,0.03,R,\n",
            |t, p| parse_milex(t, p).map(|m| m.len()),
            "year",
            6,
        ),
        (
            "sdp_gdp",
            "ccode,year,wbgdp2011est,wbpopest,sdpest,wbgdppc2011est\n2,1900,22.9,15.4,22.0,7.5\n2,{Y},22.9,15.4,22.0,7.5\n",
            |t, p| parse_sdp_gdp(t, p).map(|s| s.len()),
            "year",
            2,
        ),
        (
            "maddison",
            "iso3c,country,region,year,gdppc,pop\nFRA,France,Western Europe,1900,5000,40000\nFRA,France,Western Europe,{Y},5000,40000\n",
            |t, p| parse_maddison(t, p).map(|m| m.len()),
            "year",
            4,
        ),
    ]
}

#[test]
fn years_outside_the_documented_range_are_located_parse_errors() {
    for (name, template, read, col_name, col) in readers() {
        let (lo, hi) = if name == "maddison" { (1, 2100) } else { (1600, 2100) };
        let mut bad: Vec<String> =
            ["0", "-5", "99999", "2147483647", "-2147483648", "2147483648"].iter().map(|s| s.to_string()).collect();
        bad.push((lo - 1).to_string());
        bad.push((hi + 1).to_string());
        for y in bad {
            let text = template.replace("{Y}", &y);
            let t0 = Instant::now();
            let e = read(&text, Path::new("f.csv")).expect_err(&format!("{name}: year {y} was read"));
            assert!(t0.elapsed() < Duration::from_secs(1));
            match &e {
                Error::Parse { line, column, column_name, message, .. } => {
                    assert_eq!(*line, 3, "{name} {y}: {e}");
                    assert_eq!(*column, col, "{name} {y}: {e}");
                    assert_eq!(column_name.as_deref(), Some(col_name), "{name} {y}: {e}");
                    if y.parse::<i32>().is_ok() {
                        assert!(message.contains(&format!("{lo}-{hi}")), "{name} {y}: {e}");
                    }
                }
                other => panic!("{name} {y}: expected a Parse error, got {other:?}"),
            }
        }
        // The bounds themselves are accepted (a spell list's end may not precede its start).
        let ys: &[i32] = match name {
            "majors" => &[hi],
            "states" => &[lo],
            _ => &[lo, hi],
        };
        for y in ys {
            let text = template.replace("{Y}", &y.to_string());
            assert!(read(&text, Path::new("f.csv")).is_ok(), "{name}: year {y} refused");
        }
    }
}

#[test]
fn cow_codes_outside_1_to_999_are_parse_errors() {
    let t =
        "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,1950,1,0,1,1\n2,65535,1950,1,0,0,0\n";
    match parse_alliances(t, Path::new("a.csv")) {
        Err(Error::Parse { line: 3, column: 2, column_name, .. }) => assert_eq!(column_name.as_deref(), Some("ccode2")),
        other => panic!("{other:?}"),
    }
    let t = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nX,0,1900,1,1,1,1,1,1,0.1\n";
    assert!(matches!(parse_nmc(t, Path::new("n.csv")), Err(Error::Parse { line: 2, column: 2, .. })));
}

/// The widest data the readers take still gives bounded per-year calls: 2 rows 1600 and 2100
/// make series of 501 years, not billions.
#[test]
fn widest_accepted_span_stays_small() {
    use powerbalance_core::capabilities::{capability_ratio, Measure};
    let t = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nUSA,2,1600,1,1,1,1,1,1,0.5\nUKG,200,2100,1,1,1,1,1,1,0.5\n";
    let caps = parse_nmc(t, Path::new("n.csv")).unwrap();
    let r = capability_ratio(&caps, 2, 200, Measure::Cinc, None).unwrap();
    assert_eq!(r.num_rows(), 501);
    assert!(input::guard_span("x", powerbalance_core::Period { start: -5, end: 99999 }).is_err());
    assert!(input::guard_span("x", powerbalance_core::Period { start: i32::MIN, end: i32::MAX }).is_err());
}

/// A state list the readers accept (999 states, each a member 1600-2100) would make a dyad-year
/// panel of 500 million rows: an error, not an allocation.
#[test]
fn dyad_year_panel_has_a_row_cap() {
    use powerbalance_core::panels::{dyad_years, state_years, Joins};
    let mut t = String::from("stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday\n");
    for c in 1..=999 {
        t.push_str(&format!("S{c},{c},1600,1,1,2100,12,31\n"));
    }
    let s = parse_spells(&t, Path::new("s.csv"), SpellKind::States).unwrap();
    let t0 = Instant::now();
    let e = dyad_years(&s, Joins::default(), true, None).unwrap_err();
    assert!(e.to_string().contains("rows"), "{e}");
    assert!(t0.elapsed() < Duration::from_secs(5));
    // State-years are 999 x 501: bounded, and built.
    assert_eq!(state_years(&s, Joins::default(), None).unwrap().num_rows(), 999 * 501);
}

fn mkfifo(p: &Path) -> bool {
    std::process::Command::new("mkfifo").arg(p).status().map(|s| s.success()).unwrap_or(false)
}

/// A reader of a path, its result dropped.
type PathReader = fn(&Path) -> Result<(), Error>;

/// Every path reader, as (name, read).
fn path_readers() -> Vec<(&'static str, PathReader)> {
    vec![
        ("sipri", |p| sipri::read_sipri(p).map(|_| ())),
        ("detect", |p| sipri::detect(p).map(|_| ())),
        ("nmc", |p| read_nmc(p).map(|_| ())),
        ("states", |p| read_states(p).map(|_| ())),
        ("majors", |p| read_majors(p).map(|_| ())),
        ("alliances", |p| read_alliances(p).map(|_| ())),
        ("alliance_years", |p| AllianceYears::read(p).map(|_| ())),
        ("ideal_points", |p| read_ideal_points(p).map(|_| ())),
        ("milex", |p| read_milex(p).map(|_| ())),
        ("maddison", |p| read_maddison(p).map(|_| ())),
        ("sdp_gdp", |p| read_sdp_gdp(p).map(|_| ())),
        ("ledger_ipc", |p| powerbalance_core::io::read_ledger_ipc(p).map(|_| ())),
        ("ledger_csv", |p| powerbalance_core::io::read_ledger_csv(p).map(|_| ())),
        ("table_ipc", |p| powerbalance_core::io::read_table_ipc(p).map(|_| ())),
        ("table_csv", |p| powerbalance_core::io::read_table_csv(p).map(|_| ())),
    ]
}

/// Run a read on a thread and fail the test if it does not end within `secs`.
fn within(secs: u64, what: String, f: impl FnOnce() -> Result<(), Error> + Send + 'static) -> Result<(), Error> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(r) => r,
        Err(_) => panic!("{what}: no answer within {secs} s (the reader hangs)"),
    }
}

#[test]
fn fifo_and_devices_are_refused_before_opening() {
    let d = tmp("fifo");
    let fifo = d.join("trade-register.csv");
    assert!(mkfifo(&fifo), "mkfifo failed");
    let mut targets = vec![(fifo.clone(), "FIFO")];
    for dev in ["/dev/zero", "/dev/urandom"] {
        if Path::new(dev).exists() {
            targets.push((PathBuf::from(dev), "character device"));
        }
    }
    for (target, what) in &targets {
        for (name, read) in path_readers() {
            let t = target.clone();
            let e = within(10, format!("{name} on {}", target.display()), move || read(&t))
                .expect_err("a non-regular file was read");
            match &e {
                Error::Io { path, .. } => assert_eq!(path, target),
                other => panic!("{name}: expected an Io error, got {other:?}"),
            }
            let msg = e.to_string();
            assert!(msg.contains(what) && msg.contains("not a regular file"), "{name}: {msg}");
        }
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn files_above_64_mib_are_refused_without_reading_them() {
    let d = tmp("big");
    let big = d.join("big.csv");
    // A sparse 100 MB file: nothing is written, a reader that read it would take 100 MB.
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(100_000_000).unwrap();
    drop(f);
    for (name, read) in path_readers() {
        if name.starts_with("ledger") || name.starts_with("table") {
            continue; // powerbalance's own output files are not capped (a panel may be larger)
        }
        let t0 = Instant::now();
        let e = read(&big).expect_err("a 100 MB file was read");
        assert!(t0.elapsed() < Duration::from_secs(2), "{name}: {:?}", t0.elapsed());
        assert!(matches!(e, Error::Io { .. }), "{name}: {e:?}");
        assert!(e.to_string().contains("64 MiB"), "{name}: {e}");
    }
    // Bytes in memory are held to the same limit.
    let bytes = vec![b'a'; (input::MAX_INPUT_BYTES + 1) as usize];
    let e = sipri::read_sipri_bytes(&bytes, Path::new("mem.csv"), ActorRegistry::builtin().clone()).unwrap_err();
    assert!(e.to_string().contains("64 MiB"), "{e}");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_first_line_of_tens_of_megabytes_is_refused_after_64_kib() {
    // 30 MB of commas, then a real header: detection stops at 64 KiB.
    let mut bytes = vec![b','; 30_000_000];
    bytes.extend_from_slice(b"\nSIPRI AT Database ID,Supplier,Recipient\n");
    for (name, b) in [("commas", bytes), ("letters", vec![b'x'; 30_000_000])] {
        let t0 = Instant::now();
        let e = sipri::read_sipri_bytes(&b, Path::new("long.csv"), ActorRegistry::builtin().clone()).unwrap_err();
        assert!(t0.elapsed() < Duration::from_secs(5), "{name}: {:?}", t0.elapsed());
        match &e {
            Error::Format { path, line, message } => {
                assert_eq!((path.as_path(), *line), (Path::new("long.csv"), 1), "{name}: {e}");
                assert!(message.contains("64 KiB"), "{name}: {e}");
            }
            other => panic!("{name}: expected a Format error, got {other:?}"),
        }
        assert!(sipri::detect_bytes(&b, Path::new("long.csv")).is_err());
    }
    // Forty short lines without a header: the same error, naming the 40 lines.
    let lines = "x\n".repeat(100);
    let e =
        sipri::read_sipri_bytes(lines.as_bytes(), Path::new("l.csv"), ActorRegistry::builtin().clone()).unwrap_err();
    assert!(matches!(&e, Error::Format { .. }) && e.to_string().contains("40 lines"), "{e}");
}

/// A register with a UTF-8 name, then a byte that is not UTF-8.
fn damaged_register() -> (Vec<u8>, usize, usize) {
    let base =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile/register_ok_small.csv")).unwrap();
    let text = String::from_utf8(base).unwrap();
    let mut out = String::new();
    let mut bad_line = 0;
    for (i, l) in text.lines().enumerate() {
        if l.starts_with("90002,") {
            out.push_str(&l.replace("France", "Türkiye"));
        } else if l.starts_with("90003,") {
            bad_line = i + 1;
            out.push_str(&l.replace("AH-64E", "AH-64XX"));
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    let mut bytes = out.into_bytes();
    // Replace "XX" by a lone Latin-1 byte 0xE9 and a space.
    let at = bytes.windows(2).position(|w| w == b"XX").unwrap();
    bytes[at] = 0xE9;
    bytes[at + 1] = b' ';
    let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    (bytes, bad_line, at - line_start + 1)
}

#[test]
fn damaged_utf8_is_an_encoding_error_not_latin1() {
    let (bytes, line, column) = damaged_register();
    match sipri::read_sipri_bytes(&bytes, Path::new("damaged.csv"), ActorRegistry::builtin().clone()) {
        Err(Error::Encoding { line: l, column: c, message, .. }) => {
            assert_eq!((l, c), (line, column), "{message}");
            assert!(message.contains("0xE9") && message.contains("UTF-8"), "{message}");
        }
        other => panic!("expected an Encoding error, got {:?}", other.map(|l| l.len())),
    }
    // The same file without its UTF-8 character is a genuine Latin-1 export: read, with a note,
    // the byte 0xE9 read as 'é'.
    let t = "Türkiye".as_bytes();
    let at = bytes.windows(t.len()).position(|w| w == t).unwrap();
    let mut latin1 = bytes[..at].to_vec();
    latin1.extend_from_slice(b"Turkey");
    latin1.extend_from_slice(&bytes[at + t.len()..]);
    let l = sipri::read_sipri_bytes(&latin1, Path::new("latin1.csv"), ActorRegistry::builtin().clone()).unwrap();
    assert!(l.report.files[0].notes.iter().any(|n| n.contains("Latin-1")));
    assert!(l.deals.iter().any(|d| d.designation == "AH-64\u{e9}"), "no designation read as Latin-1");
}

/// The real new-format registers (ASCII throughout): with one UTF-8 character written into a
/// line near the top and one byte damaged in the middle, each is an Encoding error at that byte;
/// with the damaged byte alone it is what a Latin-1 export is, and reads. The classic Latin-1
/// register still reads.
#[test]
fn damaged_real_registers() {
    let Some(data) = std::env::var_os("POWERBALANCE_DATA").map(PathBuf::from) else {
        eprintln!("POWERBALANCE_DATA is not set: the real-data half of this test did not run");
        return;
    };
    let mut checked = 0;
    let dirs = ["sipri/register_newformat_2026", "sipri/register_newformat_2024"];
    for e in dirs.iter().flat_map(|d| std::fs::read_dir(data.join(d)).unwrap().flatten()) {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains("register") {
            continue;
        }
        let orig = std::fs::read(&p).unwrap();
        // The first letter of line 20 becomes 0xE9 (Latin-1 'é', not UTF-8 here).
        let nl: Vec<usize> = orig.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i).collect();
        let line20 = nl[18] + 1;
        let mid = nl[nl.len() / 2] + 1;
        let at = mid + orig[mid..].iter().position(|b| b.is_ascii_alphabetic()).unwrap();
        let mut damaged = orig.clone();
        damaged[at] = 0xE9;
        let col = at - mid + 1;
        let line = nl.len() / 2 + 2;
        let alone = sipri::read_sipri_bytes(&damaged, &p, ActorRegistry::builtin().clone())
            .unwrap_or_else(|e| panic!("{name} with one Latin-1 byte: {e}"));
        assert!(alone.report.files[0].notes.iter().any(|n| n.contains("Latin-1")));
        // A UTF-8 'ü' replaces the first letter of line 20 (two bytes for one: columns after it
        // on that line shift, the damaged line does not).
        let u = line20 + orig[line20..].iter().position(|b| b.is_ascii_alphabetic()).unwrap();
        let mut both = damaged[..u].to_vec();
        both.extend_from_slice("ü".as_bytes());
        both.extend_from_slice(&damaged[u + 1..]);
        match sipri::read_sipri_bytes(&both, &p, ActorRegistry::builtin().clone()) {
            Err(Error::Encoding { line: l, column: c, .. }) => assert_eq!((l, c), (line, col), "{name}"),
            other => panic!("{name}: expected an Encoding error, got {:?}", other.map(|l| l.len())),
        }
        checked += 1;
    }
    assert!(checked >= 3, "{checked} real registers checked");
    let classic = data.join("sipri/register_oldformat_2026/trade-register.csv");
    let l = sipri::read_sipri(&classic).unwrap();
    assert!(l.report.files[0].notes.iter().any(|n| n.contains("Latin-1")));
}

#[cfg(unix)]
#[test]
fn folder_symlinks_out_of_the_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let root = tmp("links");
    let data = root.join("data");
    let outside = root.join("outside");
    std::fs::create_dir_all(data.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let small =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile/register_ok_small.csv")).unwrap();
    // The register lives in data/sub and is reached through a link that stays inside the folder.
    std::fs::write(data.join("sub/register.csv"), &small).unwrap();
    symlink(data.join("sub/register.csv"), data.join("a-inside.csv")).unwrap();
    // A link to a file outside, a dangling link, a link to /dev/zero and a FIFO.
    std::fs::write(outside.join("secret.csv"), &small).unwrap();
    symlink(outside.join("secret.csv"), data.join("b-outside.csv")).unwrap();
    symlink(root.join("nowhere.csv"), data.join("c-dangling.csv")).unwrap();
    symlink("/dev/zero", data.join("d-zero.csv")).unwrap();
    assert!(mkfifo(&data.join("e-fifo.csv")));
    let d2 = data.clone();
    let l = match within(10, "the folder".into(), move || sipri::read_sipri(&d2).map(|_| ())) {
        Ok(()) => sipri::read_sipri(&data).unwrap(),
        Err(e) => panic!("{e}"),
    };
    let skipped: Vec<(String, String)> = l
        .report
        .files_skipped
        .iter()
        .map(|(p, r)| (p.file_name().unwrap().to_string_lossy().into_owned(), r.clone()))
        .collect();
    let reason = |f: &str| skipped.iter().find(|(n, _)| n == f).map(|(_, r)| r.clone()).unwrap_or_default();
    assert!(reason("b-outside.csv").contains("outside the folder"), "{skipped:?}");
    assert!(reason("c-dangling.csv").contains("does not exist"), "{skipped:?}");
    assert!(reason("d-zero.csv").contains("outside the folder"), "{skipped:?}");
    assert!(reason("e-fifo.csv").contains("FIFO"), "{skipped:?}");
    assert_eq!(l.report.files.len(), 1, "only the inside link is read");
    assert!(l.report.files[0].path.ends_with("a-inside.csv"));
    // A folder that holds only links out of it: an error that lists them, nothing read.
    let only = root.join("only");
    std::fs::create_dir_all(&only).unwrap();
    symlink(outside.join("secret.csv"), only.join("x.csv")).unwrap();
    let e = sipri::read_sipri(&only).unwrap_err();
    assert!(e.to_string().contains("outside the folder"), "{e}");
    std::fs::remove_dir_all(&root).ok();
}

/// A valid file of each layout (from the corpus), then one data line of 30 MB of commas: a
/// Format error at that line, before any reader splits it (no reader holds 30 million fields).
#[test]
fn a_huge_data_line_after_a_valid_header_is_a_format_error() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile");
    let sources = [
        "register_ok_small.csv",
        "classic_latin1.csv",
        "wide_ok.csv",
        "long_good.csv",
        "values_ok.csv",
        "nmc_ok.csv",
        "states_ok.csv",
        "alliances_cow_ok.csv",
        "ideal_points_ok.csv",
        "milex_ok.csv",
        "maddison_ok.csv",
    ];
    let d = tmp("hugeline");
    for src in sources {
        let mut bytes = std::fs::read(corpus.join(src)).unwrap();
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        let line = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
        bytes.extend(std::iter::repeat(b',').take(30_000_000));
        bytes.push(b'\n');
        let p = d.join(src);
        std::fs::write(&p, &bytes).unwrap();
        let t0 = Instant::now();
        let r = match src.split('_').next().unwrap() {
            "nmc" => read_nmc(&p).map(|_| ()),
            "states" => read_states(&p).map(|_| ()),
            "alliances" => read_alliances(&p).map(|_| ()),
            "ideal" => read_ideal_points(&p).map(|_| ()),
            "milex" => read_milex(&p).map(|_| ()),
            "maddison" => read_maddison(&p).map(|_| ()),
            _ => sipri::read_sipri(&p).map(|_| ()),
        };
        assert!(t0.elapsed() < Duration::from_secs(5), "{src}: {:?}", t0.elapsed());
        match r {
            Err(Error::Format { line: l, message, .. }) => {
                assert_eq!(l, line, "{src}: {message}");
                assert!(message.contains("64 KiB"), "{src}: {message}");
            }
            other => panic!("{src}: expected a Format error, got {other:?}"),
        }
    }
    // A line of exactly 64 KiB is still taken (and then judged by the reader as any other row).
    let ok = format!(
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nUSA,2,1900,1,1,1,1,1,1,0.5,{}\n",
        "x".repeat(input::MAX_LINE_BYTES - 40)
    );
    assert!(matches!(parse_nmc(&ok, Path::new("n.csv")), Err(Error::Parse { line: 2, .. })));
    std::fs::remove_dir_all(&d).ok();
}
