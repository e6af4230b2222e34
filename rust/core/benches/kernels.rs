//! Criterion benches for the Rust kernels: the register parse, the fact-sheet importers table
//! and a dyad's annual series, on the SIPRI 2024 register (1990-2023, 27,838 rows).
//!
//! Run: `POWERBALANCE_DATA=/path/to/data cargo bench -p powerbalance-core --bench kernels`.
//! Without the data the benches use a synthetic register of the same size (invented rows).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use powerbalance_core::metrics::transfers::{self as tm, FactSheet};
use powerbalance_core::{sipri, ActorRegistry, Period};
use std::path::{Path, PathBuf};

fn register_bytes() -> (Vec<u8>, &'static str) {
    if let Some(root) = std::env::var_os("POWERBALANCE_DATA") {
        let p = PathBuf::from(root).join("sipri/register_newformat_2024/trade-register_1990-2023.csv");
        if let Ok(b) = std::fs::read(&p) {
            return (b, "real 2024 register 1990-2023");
        }
    }
    let mut s = String::from("SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production\n");
    let sup = ["Russia", "France", "United States", "China", "Germany"];
    let rec = ["India", "China", "Egypt", "Qatar", "Japan", "Algeria", "Pakistan"];
    for i in 0..27_838usize {
        let y = 1990 + i % 34;
        s.push_str(&format!(
            "{},{},{},X-{},aircraft,Aircraft,{},No,{},No,{},No,New,1.5,1.5,{},No\n",
            100_000 + i,
            sup[i % sup.len()],
            rec[(i * 3) % rec.len()],
            i % 97,
            y - 1,
            1 + i % 9,
            y,
            1.5 * (1 + i % 9) as f64
        ));
    }
    (s.into_bytes(), "synthetic register (POWERBALANCE_DATA not set)")
}

fn kernels(c: &mut Criterion) {
    let (bytes, what) = register_bytes();
    eprintln!("kernels: {what}, {} bytes", bytes.len());
    let name = Path::new("trade-register_1990-2023.csv");
    let mut g = c.benchmark_group("register");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| sipri::read_sipri_bytes(black_box(&bytes), name, ActorRegistry::builtin().clone()).unwrap())
    });
    g.finish();

    let l = sipri::read_sipri_bytes(&bytes, name, ActorRegistry::builtin().clone()).unwrap();
    let p = Period::new(2019, 2023).unwrap();
    c.bench_function("importers 2019-2023", |b| {
        b.iter(|| {
            tm::importers(
                black_box(&l),
                p,
                FactSheet { top: None, partners: 3, compare: Some(Period::new(2014, 2018).unwrap()) },
            )
            .unwrap()
        })
    });
    let (ru, cn) = (l.resolve("Russia").unwrap(), l.resolve("China").unwrap());
    c.bench_function("dyad_series Russia->China", |b| b.iter(|| tm::dyad_series(black_box(&l), ru, cn, None).unwrap()));
    c.bench_function("by_dyad 1990-2023", |b| {
        b.iter(|| tm::by_dyad(black_box(&l), Period::new(1990, 2023).unwrap()).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = kernels
}
criterion_main!(benches);
