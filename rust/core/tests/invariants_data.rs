//! Invariants on the real SIPRI register (2024 vintage): world totals are conserved by every
//! transformation and move by exactly what each scenario operation says; ledgers and result
//! tables round-trip through Arrow IPC and CSV without loss.
//!
//! Needs the data: `POWERBALANCE_DATA=/path/to/data cargo test -p powerbalance-core --test invariants_data`
//! (the folder that holds `sipri/`). Without it these tests fail; they never pass silently.

mod common;

use common::data;
use powerbalance_core::io;
use powerbalance_core::metrics::transfers::{self as tm, FactSheet};
use powerbalance_core::scenario::{Operation, Scenario};
use powerbalance_core::{sipri, Ledger, Period};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn register() -> &'static Ledger {
    static L: OnceLock<Ledger> = OnceLock::new();
    L.get_or_init(|| {
        let p = data("sipri/register_newformat_2024");
        // The folder: both 2024 register files (1950-89 and 1990-2023) merged; the values
        // tables beside them are skipped.
        sipri::read_sipri(&p).expect("the 2024 register")
    })
}

fn per_year(l: &Ledger) -> BTreeMap<i32, f64> {
    let mut m = BTreeMap::new();
    for (y, t) in l.year.iter().zip(&l.tiv) {
        *m.entry(*y).or_insert(0.0) += t;
    }
    m
}

fn total(l: &Ledger) -> f64 {
    l.tiv.iter().sum()
}

/// Equal up to the rounding of summing ~60,000 values in another order.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn sum_where(l: &Ledger, f: impl Fn(usize) -> bool) -> f64 {
    (0..l.len()).filter(|&i| f(i)).map(|i| l.tiv[i]).sum()
}

fn p(a: i32, b: i32) -> Period {
    Period::new(a, b).unwrap()
}

/// Which ledger entries (by index) an operation should hit.
type Hit = Box<dyn Fn(usize) -> bool>;

#[test]
fn embargo_removes_exactly_the_embargoed_tiv() {
    let l = register();
    let (ru, cn, us, ind) = (
        l.resolve("Russia").unwrap(),
        l.resolve("China").unwrap(),
        l.resolve("USA").unwrap(),
        l.resolve("India").unwrap(),
    );
    let cases: Vec<(Operation, Hit)> = vec![
        (
            Operation::embargo_dyad("Russia", "China", Some((2016, 2020))),
            Box::new(move |i| l.supplier[i] == ru && l.recipient[i] == cn && (2016..=2020).contains(&l.year[i])),
        ),
        (Operation::embargo_supplier("United States", None), Box::new(move |i| l.supplier[i] == us)),
        (
            Operation::Embargo { supplier: None, recipient: Some("India".into()), period: Some(p(1990, 2023)) },
            Box::new(move |i| l.recipient[i] == ind && l.year[i] >= 1990),
        ),
    ];
    let before = total(l);
    let years = per_year(l);
    for (op, hit) in cases {
        let want = sum_where(l, &hit);
        assert!(want > 0.0, "{op:?} hits nothing");
        let mut s = Scenario::new("t");
        s.push(op.clone());
        let (after, eff) = s.apply_traced(l).unwrap();
        assert!(close(total(&after), before - want), "{op:?}: {} != {} - {}", total(&after), before, want);
        assert!(close(eff[0].removed, want));
        assert_eq!(after.len(), l.len() - (0..l.len()).filter(|&i| hit(i)).count());
        // Year by year: the world moves by the embargoed TIV of that year only.
        let ay = per_year(&after);
        for (y, t) in &years {
            let gone = sum_where(l, |i| hit(i) && l.year[i] == *y);
            assert!(close(ay.get(y).copied().unwrap_or(0.0), t - gone), "{op:?} in {y}");
        }
        // The baseline is untouched.
        assert_eq!(total(l).to_bits(), before.to_bits());
    }
}

#[test]
fn redirects_conserve_world_totals_year_by_year() {
    let l = register();
    let years = per_year(l);
    let ind = l.resolve("India").unwrap();
    let india_imports = sum_where(l, |i| l.recipient[i] == ind);
    for op in [
        Operation::redirect("India", "Russia", Some("France"), Some((2010, 2020))),
        Operation::redirect("India", "Russia", None, Some((2016, 2020))),
        Operation::redirect("China", "Russia", None, None),
    ] {
        let mut s = Scenario::new("t");
        s.push(op.clone());
        let (after, eff) = s.apply_traced(l).unwrap();
        assert!(eff[0].moved > 0.0, "{op:?} moved nothing");
        let ay = per_year(&after);
        assert_eq!(ay.len(), years.len());
        for (y, t) in &years {
            assert!(close(ay[y], *t), "{op:?}: world {y} {} != {t}", ay[y]);
        }
        // The recipient's imports do not change either (only their suppliers).
        let ind2 = after.resolve("India").unwrap();
        assert!(close(sum_where(&after, |i| after.recipient[i] == ind2), india_imports), "{op:?}");
    }
}

#[test]
fn scaling_adds_exactly_factor_minus_one_times_the_exports() {
    let l = register();
    let fr = l.resolve("France").unwrap();
    let base = sum_where(l, |i| l.supplier[i] == fr && (2010..=2020).contains(&l.year[i]));
    for factor in [0.0, 0.5, 1.0, 2.5] {
        let mut s = Scenario::new("t");
        s.push(Operation::scale_exports("France", factor, Some((2010, 2020))));
        let after = s.apply(l).unwrap();
        assert!(close(total(&after), total(l) + (factor - 1.0) * base), "factor {factor}");
    }
}

#[test]
fn a_chained_scenario_moves_the_world_by_the_sum_of_its_effects() {
    let l = register();
    let mut s = Scenario::new("chain");
    s.push(Operation::embargo_dyad("Russia", "China", Some((2016, 2020))));
    s.push(Operation::redirect("India", "Russia", None, Some((2016, 2020))));
    s.push(Operation::scale_exports("United States", 1.2, None));
    s.push(Operation::embargo_supplier("Ukraine", None));
    let (after, eff) = s.apply_traced(l).unwrap();
    let delta: f64 = eff.iter().map(|e| e.added - e.removed).sum();
    assert!(close(total(&after), total(l) + delta));
    // And through JSON the same scenario gives the same ledger.
    let again = Scenario::from_json(&s.to_json().unwrap()).unwrap().apply(l).unwrap();
    assert_eq!(again.tiv, after.tiv);
}

#[test]
fn transformations_and_metrics_conserve_the_world() {
    let l = register();
    let years = per_year(l);
    // Following succession relabels suppliers; no TIV appears or disappears.
    let f = l.follow_succession();
    assert_eq!(per_year(&f), years);
    // Fact-sheet tables: the exporters' and importers' TIV sum to the world total of the
    // period, their shares to 1.
    for (a, b) in [(2016, 2020), (1950, 1954), (1990, 2023)] {
        let world: f64 = years.range(a..=b).map(|(_, t)| t).sum();
        let o = FactSheet { top: None, partners: 3, compare: None };
        for t in [tm::importers(l, p(a, b), o).unwrap(), tm::exporters(l, p(a, b), o).unwrap()] {
            let tiv: f64 = t.f64s("tiv").unwrap().into_iter().flatten().sum();
            let share: f64 = t.f64s("share").unwrap().into_iter().flatten().sum();
            assert!(close(tiv, world), "{a}-{b}: {tiv} != {world}");
            assert!((share - 1.0).abs() < 1e-9, "{a}-{b}: shares sum to {share}");
        }
    }
}

#[test]
fn ledgers_and_tables_round_trip_through_ipc_and_csv() {
    let l = register();
    let dir = std::env::temp_dir().join(format!("pb-invariants-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = FactSheet { top: None, partners: 3, compare: Some(p(2011, 2015)) };
    let want = tm::importers(l, p(2016, 2020), o).unwrap();

    let a = dir.join("register.arrow");
    io::write_ledger_ipc(l, &a).unwrap();
    let back = io::read_ledger_ipc(&a).unwrap();
    assert_eq!(back.supplier, l.supplier);
    assert_eq!(back.recipient, l.recipient);
    assert_eq!(back.year, l.year);
    assert_eq!(
        back.tiv.iter().map(|t| t.to_bits()).collect::<Vec<_>>(),
        l.tiv.iter().map(|t| t.to_bits()).collect::<Vec<_>>()
    );
    assert_eq!(back.deal, l.deal);
    assert_eq!(serde_json::to_string(&*back.deals).unwrap(), serde_json::to_string(&*l.deals).unwrap());
    assert_eq!(serde_json::to_string(&back.report).unwrap(), serde_json::to_string(&l.report).unwrap());
    assert_eq!(tm::importers(&back, p(2016, 2020), o).unwrap().batch, want.batch);

    let c = dir.join("register.csv");
    io::write_ledger_csv(l, &c).unwrap();
    let back = io::read_ledger_csv(&c).unwrap();
    assert_eq!(back.len(), l.len());
    for i in 0..l.len() {
        assert_eq!(back.registry.name(back.supplier[i]), l.registry.name(l.supplier[i]));
        assert_eq!(back.registry.name(back.recipient[i]), l.registry.name(l.recipient[i]));
        assert_eq!((back.year[i], back.tiv[i].to_bits(), back.deal[i]), (l.year[i], l.tiv[i].to_bits(), l.deal[i]));
    }
    assert_eq!(serde_json::to_string(&*back.deals).unwrap(), serde_json::to_string(&*l.deals).unwrap());
    assert_eq!(tm::importers(&back, p(2016, 2020), o).unwrap().batch, want.batch);

    let t = dir.join("importers.arrow");
    io::write_table_ipc(&want, &t).unwrap();
    assert_eq!(io::read_table_ipc(&t).unwrap().batch, want.batch);
    let tc = dir.join("importers.csv");
    io::write_table_csv(&want, &tc).unwrap();
    assert_eq!(io::read_table_csv_as(&tc, want.batch.schema().as_ref()).unwrap().batch, want.batch);
    std::fs::remove_dir_all(&dir).ok();
}
