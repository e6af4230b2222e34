//! SIPRI's views of the arms trade (by category, by region, orders, deals) on the project's
//! SIPRI data, against figures computed from the files with pandas (noted beside each).
//!
//! Needs the data: `POWERBALANCE_DATA=/path/to/data cargo test -p powerbalance-core --test
//! arms_views_data`. Without it these tests fail; they never pass silently.

mod common;

use common::data;
use powerbalance_core::metrics::arms_views::{self, DealQuery, Parties, RegionOf};
use powerbalance_core::metrics::regions::{regions_table, Regions, Rule};
use powerbalance_core::{milex, sipri, Error, Ledger, Period};

fn read(rel: &str) -> Ledger {
    let p = data("sipri").join(rel);
    sipri::read_sipri(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ru_cn(l: &Ledger) -> Parties {
    Parties { supplier: Some(l.resolve("Russia").unwrap()), recipient: Some(l.resolve("China").unwrap()) }
}

fn strings(t: &powerbalance_core::Table, c: &str) -> Vec<String> {
    t.strings(c).unwrap().into_iter().map(Option::unwrap_or_default).collect()
}

#[test]
fn russia_china_by_category_2016_20_register_2024() {
    let l = read("register_newformat_2024");
    let p = Period::new(2016, 2020).unwrap();
    let t = arms_views::by_category(&l, p, ru_cn(&l)).unwrap();
    // pandas: groupby('Armament category')['TIV delivery values'].sum() over the two files
    let want = [
        ("Engines", 2185.75),
        ("Aircraft", 1675.45),
        ("Missiles", 563.5),
        ("Air defence systems", 520.0),
        ("Sensors", 230.0),
        ("Naval weapons", 155.0),
    ];
    assert_eq!(strings(&t, "category"), want.map(|w| w.0.to_string()));
    let tiv = t.f64s("tiv").unwrap();
    for ((name, v), got) in want.iter().zip(&tiv) {
        assert!((got.unwrap() - v).abs() < 1e-9, "{name}: {got:?} vs {v}");
    }
    let total: f64 = want.iter().map(|w| w.1).sum();
    let share = t.f64s("share").unwrap();
    assert!((share[0].unwrap() - 2185.75 / total).abs() < 1e-12);
    assert!((share.iter().flatten().sum::<f64>() - 1.0).abs() < 1e-12);
    println!("Russia -> China 2016-20 by category (2024 register), total {total:.2}");
    for (n, v) in want {
        println!("  {n:<22} {v:>9.2}  {:.1}%", 100.0 * v / total);
    }
}

#[test]
fn the_2026_register_spells_air_defence_with_a_hyphen_and_gets_one_name() {
    let l = read("register_newformat_2026/trade_register_1995-2024.csv");
    assert!(l.deals.iter().any(|d| d.category == "Air-defence systems"));
    let t = arms_views::by_category(&l, Period::new(1995, 2024).unwrap(), Parties::default()).unwrap();
    let names = strings(&t, "category");
    assert!(names.contains(&"Air defence systems".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains('-')), "{names:?}");
    assert_eq!(names.len(), 11, "{names:?}");
}

#[test]
fn classic_register_orders_and_open_orders() {
    let l = read("register_oldformat_2026/trade-register.csv");
    let all = arms_views::orders::<i32>(&l, None, None, Parties::default()).unwrap();
    assert_eq!(all.num_rows(), 29_916, "every deal of the register is an order");
    let open = all.column("open_order").unwrap();
    let open = open.as_any().downcast_ref::<powerbalance_core::table::arrow::BooleanArray>().unwrap();
    assert_eq!(open.true_count(), 1_220, "open orders (pandas: 'Year(s) of delivery' empty)");
    // Russia -> China: 97 deals; the one with a number still open is the Mineral radar (43 ordered
    // in 2004, 42 delivered), pandas: rows with 'Number ordered' > 'Number delivered'
    let t = arms_views::orders::<i32>(&l, None, None, ru_cn(&l)).unwrap();
    assert_eq!(t.num_rows(), 97);
    let des = strings(&t, "designation");
    let still: Vec<(String, f64)> = t
        .f64s("number_open")
        .unwrap()
        .into_iter()
        .zip(&des)
        .filter_map(|(n, d)| n.filter(|n| *n > 0.0).map(|n| (d.clone(), n)))
        .collect();
    assert_eq!(still, [("Mineral".to_string(), 1.0)]);
    // the classic register has no category: an error naming a release that has it
    let e = arms_views::by_category(&l, Period::new(2016, 2020).unwrap(), ru_cn(&l)).unwrap_err();
    assert!(matches!(e, Error::InvalidArgument(_)));
    assert!(e.to_string().contains("register_newformat_2024"), "{e}");
}

#[test]
fn deal_search_on_the_2024_register() {
    let l = read("register_newformat_2024/trade-register_1990-2023.csv");
    let q = DealQuery {
        parties: ru_cn(&l),
        category: Some("Air-defence systems".into()),
        years: Some(Period::new(2016, 2020).unwrap()),
        ..DealQuery::default()
    };
    let t = arms_views::deals(&l, &q).unwrap();
    let tiv: f64 = t.f64s("tiv").unwrap().into_iter().flatten().sum();
    assert!((tiv - 520.0).abs() < 1e-9, "{tiv}");
    assert!(strings(&t, "designation").iter().any(|d| d.starts_with("S-400")), "{:?}", strings(&t, "designation"));
    let ids = t.i64s("sipri_id").unwrap();
    let mut uniq = ids.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), ids.len(), "one row per deal");
}

#[test]
fn russia_exports_by_region_with_the_milex_groupings() {
    let m = milex::read_milex(&data("sipri_milex/sipri_milex_1949_2024_long.csv")).unwrap();
    let regions = Regions::from_milex(&m);
    assert_eq!(regions.len(), 173);
    let l = read("register_newformat_2024");
    let p = Period::new(2016, 2020).unwrap();
    let t = arms_views::by_region(&l, &regions, p, ru_cn(&l), RegionOf::Recipient).unwrap();
    assert_eq!(strings(&t, "region"), ["Asia & Oceania"]);
    let ru = Parties { supplier: Some(l.resolve("Russia").unwrap()), recipient: None };
    let t = arms_views::by_region(&l, &regions, p, ru, RegionOf::Recipient).unwrap();
    let total: f64 = t.f64s("tiv").unwrap().into_iter().flatten().sum();
    let want = l.sum_in(p);
    assert!(total > 0.0 && total < want);
    assert_eq!(strings(&t, "region")[0], "Asia & Oceania");
    // every actor of the registry placed by a documented rule; the states mostly by the workbook
    let rt = regions_table(&regions, &l.registry).unwrap();
    let rules = strings(&rt, "rule");
    assert!(rules.iter().filter(|r| *r == Rule::Workbook.as_str()).count() >= 150);
    let names = strings(&rt, "actor");
    let region = strings(&rt, "region");
    let of = |n: &str| region[names.iter().position(|x| x == n).unwrap()].clone();
    assert_eq!(of("Turkiye"), "Middle East");
    assert_eq!(of("Egypt"), "Middle East");
    assert_eq!(of("Viet Nam"), "Asia & Oceania");
    let kinds = strings(&rt, "kind");
    let by_range: Vec<String> = (0..names.len())
        .filter(|&i| rules[i] == Rule::CowCode.as_str())
        .map(|i| format!("{} ({})", names[i], region[i]))
        .collect();
    let unplaced: Vec<&String> =
        (0..names.len()).filter(|&i| kinds[i] == "state" && region[i] == "Unknown").map(|i| &names[i]).collect();
    println!("states placed by the COW code range: {by_range:?}");
    assert!(unplaced.is_empty(), "states without a region: {unplaced:?}");
    let other: Vec<&String> =
        (0..names.len()).filter(|&i| kinds[i] == "non-state" && region[i] == "Unknown").map(|i| &names[i]).collect();
    println!("non-state actors without a country in their name (region Unknown): {other:?}");
    println!("Russia's exports 2016-20 by recipient region (2024 register):");
    for (r, v) in strings(&t, "region").iter().zip(t.f64s("tiv").unwrap()) {
        println!("  {r:<28} {:>9.2}", v.unwrap_or_default());
    }
}
