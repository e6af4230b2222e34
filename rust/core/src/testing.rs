//! Fixtures shared by the unit tests of several modules (compiled for tests only).

use crate::error::Result;
use crate::ledger::Ledger;
use std::path::Path;

/// The deliveries of [`toy_ledger`] (TIV, millions), one a line: year, supplier, recipient, TIV.
///
/// Totals: 2011 10; 2016 29 (India 10, Saudi Arabia 15, China 4); 2017 30 (Saudi Arabia 20,
/// Pakistan 5, India 2, China 2, Sri Lanka 1).
const TOY_DELIVERIES: &str = "
    2011 | Russia         | India        | 10
    2016 | Russia         | India        | 6
    2016 | France         | India        | 3
    2016 | United States  | India        | 1
    2016 | Russia         | China        | 4
    2016 | United States  | Saudi Arabia | 10
    2016 | United Kingdom | Saudi Arabia | 5
    2017 | Russia         | India        | 2
    2017 | China          | Pakistan     | 5
    2017 | Pakistan       | Sri Lanka    | 1
    2017 | United States  | Saudi Arabia | 20
    2017 | France         | China        | 2
";

/// A toy world of arms deliveries for the hand-checked metric tests ([`TOY_DELIVERIES`]): one
/// small ledger, so that every test reasons about the same flows.
pub(crate) fn toy_ledger() -> Ledger {
    let rows: Vec<(&str, &str, i32, f64)> = TOY_DELIVERIES
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split('|').map(str::trim).collect::<Vec<_>>()[..] {
            [year, supplier, recipient, tiv] => (supplier, recipient, year.parse().unwrap(), tiv.parse().unwrap()),
            _ => panic!("not a delivery: {l:?}"),
        })
        .collect();
    Ledger::from_names(&rows)
}

/// Asserts that `a` is within `1e-12` of a hand-computed `b`; `a` is a value or an `Option`
/// that must hold one.
#[track_caller]
pub(crate) fn close(a: impl Into<Option<f64>>, b: f64) {
    let a = a.into().expect("a value");
    assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

/// For the readers' tests: where `parse` fails on `text` with `from` replaced by `to`, as
/// `(line, column, column name)` ([`crate::input::sheet::located`]).
#[track_caller]
pub(crate) fn error_at<T>(
    parse: fn(&str, &Path) -> Result<T>, text: &str, from: &str, to: &str,
) -> (usize, usize, Option<String>) {
    assert!(text.contains(from), "{from:?} is not in the test text");
    crate::input::sheet::located(parse(&text.replace(from, to), Path::new("bad.csv")))
}
