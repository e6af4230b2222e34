//! The hostile-input corpus (`tests/hostile/`, described by `manifest.json`): every file gives
//! the typed error the manifest names, at the line and column it names, or a correct read with
//! the figures it names. Never a panic, never a silent drop.

use powerbalance_core::capabilities::{read_majors, read_nmc, read_states};
use powerbalance_core::gdp::read_maddison;
use powerbalance_core::ledger::NO_DEAL;
use powerbalance_core::milex::read_milex;
use powerbalance_core::relations::{read_alliances, read_ideal_points};
use powerbalance_core::{sipri, ActorRegistry, Error, Ledger};
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile")
}

/// The error's variant (`Parse`), as `Debug` writes it before the fields: the manifest's names.
fn variant(e: &Error) -> String {
    let debug = format!("{e:?}");
    debug[..debug.find([' ', '(', '{']).unwrap_or(debug.len())].to_string()
}

/// (line, column, column name) an error points at.
fn position(e: &Error) -> (Option<usize>, Option<usize>, Option<String>) {
    match e {
        Error::Format { line, .. } => (Some(*line), None, None),
        Error::Parse { line, column, column_name, .. } => (Some(*line), Some(*column), column_name.clone()),
        Error::Encoding { line, column, .. } => (Some(*line), Some(*column), None),
        _ => (None, None, None),
    }
}

/// What a reader gave: a ledger (SIPRI), a row count (COW, milex, Maddison, alliance and
/// ideal-point files), or an error.
enum Outcome {
    Ledger(Box<Ledger>),
    Rows(usize),
}

fn run(case: &Value, path: &Path) -> Result<Outcome, Error> {
    let reader = case["reader"].as_str().unwrap_or_default();
    match reader {
        "sipri" => {
            let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
            let name = case["name"].as_str().map(PathBuf::from).unwrap_or_else(|| path.to_path_buf());
            sipri::read_sipri_bytes(&bytes, &name, ActorRegistry::builtin().clone())
                .map(|l| Outcome::Ledger(Box::new(l)))
        }
        "nmc" => read_nmc(path).map(|c| Outcome::Rows(c.len())),
        "states" => read_states(path).map(|s| Outcome::Rows(s.spells.len())),
        "majors" => read_majors(path).map(|s| Outcome::Rows(s.spells.len())),
        "milex" => read_milex(path).map(|m| Outcome::Rows(m.len())),
        "maddison" => read_maddison(path).map(|m| Outcome::Rows(m.len())),
        "alliances" => read_alliances(path).map(|a| Outcome::Rows(a.len())),
        "ideal_points" => read_ideal_points(path).map(|p| Outcome::Rows(p.len())),
        other => panic!("unknown reader {other:?} in the manifest"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn check_ledger(case: &Value, l: &Ledger, fail: &mut Vec<String>) {
    let mut bad = |m: String| fail.push(m);
    let f = &l.report.files[0];
    if f.rows_read + f.skipped.len() != f.data_rows {
        bad(format!("rows_read {} + skipped {} != data_rows {}", f.rows_read, f.skipped.len(), f.data_rows));
    }
    if let Some(fmt) = case["format"].as_str() {
        if f.format.as_str() != fmt {
            bad(format!("format {} != {fmt}", f.format.as_str()));
        }
    }
    if let Some(c) = case["coverage"].as_str() {
        if l.coverage.as_str() != c {
            bad(format!("coverage {} != {c}", l.coverage.as_str()));
        }
    }
    for (key, got) in
        [("entries", l.len()), ("rows_read", f.rows_read), ("skipped", f.skipped.len()), ("data_rows", f.data_rows)]
    {
        if let Some(want) = case[key].as_u64() {
            if got as u64 != want {
                bad(format!("{key} {got} != {want}"));
            }
        }
    }
    if let Some(want) = case["total_tiv"].as_f64() {
        let got: f64 = l.tiv.iter().sum();
        if !close(got, want) {
            bad(format!("total TIV {got} != {want}"));
        }
    }
    if let Some(lines) = case["skipped_lines"].as_array() {
        let got: Vec<(u64, String)> = f.skipped.iter().map(|s| (s.line as u64, s.reason.clone())).collect();
        let want: Vec<(u64, String)> =
            lines.iter().map(|x| (x[0].as_u64().unwrap_or(0), x[1].as_str().unwrap_or("").to_string())).collect();
        if got != want {
            bad(format!("skipped {got:?} != {want:?}"));
        }
    }
    if let Some(sample) = case["sample"].as_array() {
        for s in sample {
            let (sup, rec, year, tiv) = (
                s[0].as_str().unwrap_or(""),
                s[1].as_str().unwrap_or(""),
                s[2].as_i64().unwrap_or(0),
                s[3].as_f64().unwrap_or(f64::NAN),
            );
            let found = (0..l.len()).any(|i| {
                l.registry.name(l.supplier[i]) == sup
                    && l.registry.name(l.recipient[i]) == rec
                    && i64::from(l.year[i]) == year
                    && close(l.tiv[i], tiv)
            });
            if !found {
                bad(format!("no entry {sup} -> {rec} {year} {tiv}"));
            }
        }
    }
    if let Some(true) = case["latin1"].as_bool() {
        if !f.notes.iter().any(|n| n.contains("Latin-1")) {
            bad("no Latin-1 note".into());
        }
    }
    if let Some(d) = case["deal"].as_object() {
        let idx = d["index"].as_u64().unwrap_or(0) as usize;
        match l.deals.get(idx) {
            None => bad(format!("no deal {idx}")),
            Some(deal) => {
                let v = serde_json::to_value(deal).unwrap_or(Value::Null);
                for (k, want) in d.iter().filter(|(k, _)| *k != "index") {
                    if &v[k] != want {
                        bad(format!("deal {idx}.{k} = {} != {want}", v[k]));
                    }
                }
            }
        }
        if !l.deal.iter().all(|&x| x == NO_DEAL || (x as usize) < l.deals.len()) {
            bad("a deal index out of range".into());
        }
    }
}

#[test]
fn hostile_corpus() {
    let dir = corpus_dir();
    let text = std::fs::read_to_string(dir.join("manifest.json")).expect("tests/hostile/manifest.json");
    let manifest: Value = serde_json::from_str(&text).expect("manifest is JSON");
    let cases = manifest["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    let mut files_listed = std::collections::HashSet::new();
    for case in cases {
        let file = case["file"].as_str().expect("file");
        files_listed.insert(file.to_string());
        let path = dir.join(file);
        let mut fail = Vec::new();
        match catch_unwind(AssertUnwindSafe(|| run(case, &path))) {
            Err(_) => fail.push("PANICKED".to_string()),
            Ok(result) => match (case["outcome"].as_str(), result) {
                (Some("ok"), Ok(Outcome::Ledger(l))) => check_ledger(case, &l, &mut fail),
                (Some("ok"), Ok(Outcome::Rows(n))) => {
                    if let Some(want) = case["rows"].as_u64() {
                        if n as u64 != want {
                            fail.push(format!("rows {n} != {want}"));
                        }
                    }
                }
                (Some("ok"), Err(e)) => fail.push(format!("expected a read, got {}: {e}", variant(&e))),
                (Some("error"), Ok(_)) => fail.push("expected an error, the file was read".into()),
                (Some("error"), Err(e)) => {
                    let want = case["error"].as_str().unwrap_or("");
                    if variant(&e) != want {
                        fail.push(format!("error {} != {want}: {e}", variant(&e)));
                    }
                    let (line, column, name) = position(&e);
                    if let Some(w) = case["line"].as_u64() {
                        if line.map(|x| x as u64) != Some(w) {
                            fail.push(format!("line {line:?} != {w}: {e}"));
                        }
                    }
                    if let Some(w) = case["column"].as_u64() {
                        if column.map(|x| x as u64) != Some(w) {
                            fail.push(format!("column {column:?} != {w}: {e}"));
                        }
                    }
                    if let Some(w) = case["column_name"].as_str() {
                        if name.as_deref() != Some(w) {
                            fail.push(format!("column name {name:?} != {w:?}: {e}"));
                        }
                    }
                    if let Some(w) = case["contains"].as_str() {
                        if !e.to_string().contains(w) {
                            fail.push(format!("message lacks {w:?}: {e}"));
                        }
                    }
                }
                (o, _) => fail.push(format!("bad outcome {o:?} in the manifest")),
            },
        }
        if !fail.is_empty() {
            failures.push(format!("{file}: {}", fail.join("; ")));
        }
    }
    // Every file of the corpus is in the manifest.
    for e in std::fs::read_dir(&dir).expect("corpus dir").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name != "manifest.json" && !name.starts_with('.') && !files_listed.contains(&name) {
            failures.push(format!("{name}: not in the manifest"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
