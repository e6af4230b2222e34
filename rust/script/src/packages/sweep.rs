//! Sweeps (`powerbalance_core::sweep`): many scenarios over one ledger, a core metric on each,
//! over all cores, as one table. Python: `pb.script.sweep(ledger, scenarios, metric, threads=)`.

use crate::types::*;
use powerbalance_core::sweep::{self as core_sweep, Metric};
use rhai::plugin::*;
use rhai::{Array, Map};

/// Scenarios per piece: the sweep runs in pieces so that a script's stop (Ctrl-C, the wall-time
/// limit) is seen between them.
const PIECE: usize = 512;

fn metric(m: Map) -> R<Metric> {
    let v: serde_json::Value = rhai::serde::from_dynamic(&m.into()).map_err(|e| err(format!("a metric map: {e}")))?;
    ok(Metric::from_json(&v.to_string()))
}

fn scenarios(a: Array) -> R<Vec<Scenario>> {
    a.into_iter()
        .enumerate()
        .map(|(i, s)| {
            let t = s.type_name();
            s.try_cast::<Scenario>()
                .ok_or_else(|| err(format!("sweep: item {i} of the scenarios is {t}, not a Scenario")))
        })
        .collect()
}

fn run(l: &Ledger, ss: Array, m: Map, threads: usize) -> R<TableRef> {
    let (ss, m) = (scenarios(ss)?, metric(m)?);
    let mut parts = Vec::new();
    for (k, piece) in ss.chunks(PIECE).enumerate() {
        crate::check_stop()?;
        parts.push(ok(core_sweep::sweep(&l.0, piece, &m, threads, k * PIECE))?);
    }
    if parts.is_empty() {
        return table(core_sweep::sweep(&l.0, &[], &m, threads, 0));
    }
    table(core_sweep::concat(&parts))
}

#[export_module]
pub mod sweep_api {
    use super::*;

    /// Apply each scenario to the ledger and compute the metric on each what-if: one table with
    /// a `scenario` column (the position in `scenarios`, from 0) and the metric's columns, in
    /// order, on every core. The metric is a map: `#{metric: "importers", start: 2016, end:
    /// 2020, top: 10}` (metrics: importers, exporters, dyad, suppliers, clients, total,
    /// by_supplier, by_recipient, by_dyad, series, world, with the arguments of the methods of
    /// the same name).
    #[rhai_fn(name = "sweep", return_raw)]
    pub fn sweep(ledger: Ledger, scenarios: Array, metric: Map) -> R<Table> {
        run(&ledger, scenarios, metric, 0)
    }

    /// As `sweep(led, scenarios, metric)`, with options `#{threads: n}`.
    #[rhai_fn(name = "sweep", return_raw)]
    pub fn sweep_opts(ledger: Ledger, scenarios: Array, metric: Map, options: Map) -> R<Table> {
        let mut threads = 0;
        for (k, v) in crate::args::options(&options, &["threads"])? {
            if k == "threads" {
                threads = crate::args::count(v, "threads")?;
                if threads == 0 {
                    return Err(err("threads must be 1 or more"));
                }
            }
        }
        run(&ledger, scenarios, metric, threads)
    }
}
