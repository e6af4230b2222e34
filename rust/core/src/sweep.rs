//! Sweeps: many what-if scenarios applied to one ledger, one metric computed on each, over all
//! cores, as one table.
//!
//! A sweep of `n` scenarios `s_0 .. s_(n-1)` over a baseline ledger `L` with a metric `m` is the
//! table
//!
//! ```text
//! sweep(L, [s_0 .. s_(n-1)], m) = concat_i ( scenario = first + i  |  m(s_i(L)) )
//! ```
//!
//! the rows of `m` on each what-if ledger `s_i(L)` ([`Scenario::apply`]) behind a `scenario`
//! column (Int64, `first + i`), in scenario order. It is exactly what a loop of `apply` and the
//! metric gives; only the work is spread over threads (`std::thread::scope`, contiguous chunks
//! of scenarios, [`parallel::threads`](crate::parallel::threads) of them unless told), and each
//! thread keeps its tables until all are done, so the order never depends on the scheduling.
//! `first` lets a caller that splits a long list into chunks (over a process pool or a cluster)
//! give each chunk its global ids, so that the chunks' tables concatenate to the table of the
//! whole list.
//!
//! A what-if does not copy what the metric does not read: the baseline is cut once to the
//! metric's years ([`Metric::periods`], a fact sheet's comparison period included) and each
//! scenario is applied to the cut ([`Scenario::apply_within`]), which gives the metric the
//! same entries, in the same order, as the full what-if ledger has in those years, hence the
//! same table. On the 2024 register (27,838 entries, 1990-2023) a 2016-20 metric copies 4,514
//! entries per what-if. A metric of every year, or a scenario whose result in those years
//! depends on other years (a pro-rata redirect over a longer period), takes the full copy.
//!
//! The metric is a core metric named with its arguments ([`Metric`], a serde enum), not a
//! callback: it runs in the sweep's threads without any interpreter lock, and it pickles (JSON)
//! to another process with the scenarios (JSON) and the ledger ([`crate::ledger_ipc`]).
//!
//! An error (an unknown actor in a scenario, a period outside the ledger's years) stops the
//! sweep, and the error names the scenario: its id and its name. When several scenarios fail,
//! the error is the one of the first in order, as a loop would report it.
//!
//! ```
//! use powerbalance_core::{scenario::{Operation, Scenario}, sweep::{sweep, Metric}};
//! # use powerbalance_core::{ActorRegistry, Coverage, Ledger, ledger::NO_DEAL};
//! # use std::sync::Arc;
//! # let r = ActorRegistry::builtin().clone();
//! # let (ru, cn, fr, id) = (r.resolve("Russia").unwrap(), r.resolve("China").unwrap(),
//! #     r.resolve("France").unwrap(), r.resolve("India").unwrap());
//! # let mut led = Ledger::empty(Arc::new(r), Coverage::Dyadic);
//! # led.push(ru, cn, 2018, 100.0, NO_DEAL);
//! # led.push(ru, id, 2018, 50.0, NO_DEAL);
//! # led.push(fr, id, 2019, 30.0, NO_DEAL);
//! let scenarios: Vec<Scenario> = ["China", "India"]
//!     .iter()
//!     .map(|c| {
//!         let mut s = Scenario::new(&format!("Russia stops selling to {c}"));
//!         s.push(Operation::embargo_dyad("Russia", c, None));
//!         s
//!     })
//!     .collect();
//! let m = Metric::from_json(r#"{"metric": "by_supplier", "start": 2018, "end": 2019}"#).unwrap();
//! let t = sweep(&led, &scenarios, &m, 2, 0).unwrap();
//! assert_eq!(t.i64s("scenario").unwrap(), [Some(0), Some(0), Some(1), Some(1)]);
//! assert_eq!(t.f64s("tiv").unwrap(), [Some(50.0), Some(30.0), Some(100.0), Some(30.0)]);
//! ```

use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::metrics::transfers::{self as tm, FactSheet};
use crate::period::Period;
use crate::scenario::{Scenario, Window};
use crate::table::Table;
use arrow_array::{ArrayRef, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

fn three() -> usize {
    3
}

/// A core metric of a ledger, named with its arguments, as the Python and Rhai methods of the
/// same name take them. JSON: `{"metric": "importers", "start": 2016, "end": 2020, "top": 10}`.
///
/// | metric | arguments | the core function |
/// |---|---|---|
/// | `importers` | `start, end, top?, suppliers = 3, compare? [s, e]` | [`tm::importers`] |
/// | `exporters` | `start, end, top?, clients = 3, compare? [s, e]` | [`tm::exporters`] |
/// | `dyad` | `supplier, recipient, start?, end?` | [`tm::dyad_series`] |
/// | `suppliers` | `recipient, start, end` | [`tm::suppliers_of`] |
/// | `clients` | `supplier, start, end` | [`tm::clients_of`] |
/// | `total` | `start, end` | [`Ledger::total`], as a one-row table `tiv` |
/// | `by_supplier`, `by_recipient`, `by_dyad` | `start, end` | [`tm::by_supplier`], ... |
/// | `series` | `actor, start?, end?` | [`tm::actor_series`] |
/// | `world` | `start?, end?` | [`tm::world_series`] |
///
/// An optional period with one bound only takes the other from the ledger's years.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "metric", rename_all = "snake_case", deny_unknown_fields)]
pub enum Metric {
    Importers {
        start: i32,
        end: i32,
        top: Option<usize>,
        #[serde(default = "three")]
        suppliers: usize,
        compare: Option<(i32, i32)>,
    },
    Exporters {
        start: i32,
        end: i32,
        top: Option<usize>,
        #[serde(default = "three")]
        clients: usize,
        compare: Option<(i32, i32)>,
    },
    Dyad {
        supplier: String,
        recipient: String,
        start: Option<i32>,
        end: Option<i32>,
    },
    Suppliers {
        recipient: String,
        start: i32,
        end: i32,
    },
    Clients {
        supplier: String,
        start: i32,
        end: i32,
    },
    Total {
        start: i32,
        end: i32,
    },
    BySupplier {
        start: i32,
        end: i32,
    },
    ByRecipient {
        start: i32,
        end: i32,
    },
    ByDyad {
        start: i32,
        end: i32,
    },
    Series {
        actor: String,
        start: Option<i32>,
        end: Option<i32>,
    },
    World {
        start: Option<i32>,
        end: Option<i32>,
    },
}

/// The names [`Metric`] knows, in the order of its table.
pub const METRICS: [&str; 11] = [
    "importers",
    "exporters",
    "dyad",
    "suppliers",
    "clients",
    "total",
    "by_supplier",
    "by_recipient",
    "by_dyad",
    "series",
    "world",
];

/// A period from optional bounds, the missing one from the ledger's years ([`Period::fill`]).
fn opt_period(l: &Ledger, start: Option<i32>, end: Option<i32>) -> Result<Option<Period>> {
    Period::fill(start, end, l.years())
}

impl Metric {
    /// A metric from its JSON form; an unknown metric or argument is an error that lists the
    /// known ones.
    pub fn from_json(text: &str) -> Result<Metric> {
        let m: Metric = serde_json::from_str(text).map_err(|e| {
            Error::invalid(format!("not a metric: {e} (the metrics are {}; see the Metric docs)", METRICS.join(", ")))
        })?;
        m.check()?;
        Ok(m)
    }

    /// The metric as JSON (`{"metric": "importers", ...}`).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::invalid(format!("cannot write the metric as JSON: {e}")))
    }

    /// The metric's name (`importers`).
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Importers { .. } => "importers",
            Metric::Exporters { .. } => "exporters",
            Metric::Dyad { .. } => "dyad",
            Metric::Suppliers { .. } => "suppliers",
            Metric::Clients { .. } => "clients",
            Metric::Total { .. } => "total",
            Metric::BySupplier { .. } => "by_supplier",
            Metric::ByRecipient { .. } => "by_recipient",
            Metric::ByDyad { .. } => "by_dyad",
            Metric::Series { .. } => "series",
            Metric::World { .. } => "world",
        }
    }

    /// Check what can be checked without a ledger: the periods (a year in 1-9999, `end >=
    /// start`).
    pub fn check(&self) -> Result<()> {
        let both = |s: i32, e: i32| Period::new(s, e).map(|_| ());
        let opt = |s: Option<i32>, e: Option<i32>| match (s, e) {
            (Some(s), Some(e)) => both(s, e),
            (Some(y), None) | (None, Some(y)) => both(y, y),
            (None, None) => Ok(()),
        };
        match self {
            Metric::Importers { start, end, compare, .. } | Metric::Exporters { start, end, compare, .. } => {
                both(*start, *end)?;
                compare.map_or(Ok(()), |(s, e)| both(s, e))
            }
            Metric::Suppliers { start, end, .. }
            | Metric::Clients { start, end, .. }
            | Metric::Total { start, end }
            | Metric::BySupplier { start, end }
            | Metric::ByRecipient { start, end }
            | Metric::ByDyad { start, end } => both(*start, *end),
            Metric::Dyad { start, end, .. } | Metric::Series { start, end, .. } | Metric::World { start, end } => {
                opt(*start, *end)
            }
        }
    }

    /// The periods the metric reads on `l` (with the comparison period of a fact sheet), or
    /// `None` when it reads every year (an open period) or a period cannot be made (the metric
    /// then says why). A sweep applies each scenario to these years only
    /// ([`Scenario::apply_within`]).
    pub fn periods(&self, l: &Ledger) -> Option<Vec<Period>> {
        let p = |s: i32, e: i32| Period::new(s, e).ok();
        match self {
            Metric::Importers { start, end, compare, .. } | Metric::Exporters { start, end, compare, .. } => {
                let mut v = vec![p(*start, *end)?];
                if let Some((s, e)) = compare {
                    v.push(p(*s, *e)?);
                }
                Some(v)
            }
            Metric::Suppliers { start, end, .. }
            | Metric::Clients { start, end, .. }
            | Metric::Total { start, end }
            | Metric::BySupplier { start, end }
            | Metric::ByRecipient { start, end }
            | Metric::ByDyad { start, end } => Some(vec![p(*start, *end)?]),
            Metric::Dyad { start, end, .. } | Metric::Series { start, end, .. } | Metric::World { start, end } => {
                opt_period(l, *start, *end).ok().flatten().map(|p| vec![p])
            }
        }
    }

    /// The metric on one ledger: the table the Python or Rhai method of the same name gives.
    pub fn compute(&self, l: &Ledger) -> Result<Table> {
        let p = Period::new;
        let sheet = |top: Option<usize>, partners: usize, compare: Option<(i32, i32)>| -> Result<FactSheet> {
            Ok(FactSheet { top, partners, compare: compare.map(|(s, e)| p(s, e)).transpose()? })
        };
        match self {
            Metric::Importers { start, end, top, suppliers, compare } => {
                tm::importers(l, p(*start, *end)?, sheet(*top, *suppliers, *compare)?)
            }
            Metric::Exporters { start, end, top, clients, compare } => {
                tm::exporters(l, p(*start, *end)?, sheet(*top, *clients, *compare)?)
            }
            Metric::Dyad { supplier, recipient, start, end } => {
                tm::dyad_series(l, l.resolve(supplier)?, l.resolve(recipient)?, opt_period(l, *start, *end)?)
            }
            Metric::Suppliers { recipient, start, end } => tm::suppliers_of(l, l.resolve(recipient)?, p(*start, *end)?),
            Metric::Clients { supplier, start, end } => tm::clients_of(l, l.resolve(supplier)?, p(*start, *end)?),
            Metric::Total { start, end } => {
                crate::table::TableBuilder::new().f64("tiv", vec![l.total(p(*start, *end)?)?]).build()
            }
            Metric::BySupplier { start, end } => tm::by_supplier(l, p(*start, *end)?),
            Metric::ByRecipient { start, end } => tm::by_recipient(l, p(*start, *end)?),
            Metric::ByDyad { start, end } => tm::by_dyad(l, p(*start, *end)?),
            Metric::Series { actor, start, end } => {
                tm::actor_series(l, l.resolve(actor)?, opt_period(l, *start, *end)?)
            }
            Metric::World { start, end } => tm::world_series(l, opt_period(l, *start, *end)?),
        }
    }
}

/// Scenarios from a JSON array (`[{"name": ..., "operations": [...]}, ...]`), each checked as
/// [`Scenario::from_json`] checks one; an error names the scenario's position.
pub fn scenarios_from_json(json: &str) -> Result<Vec<Scenario>> {
    let values: Vec<serde_json::Value> = serde_json::from_str(json).map_err(|e| {
        Error::invalid(format!("not a list of scenarios: line {}, column {}: {e}", e.line(), e.column()))
    })?;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| Scenario::from_json(&v.to_string()).map_err(|e| Error::invalid(format!("scenario {i}: {e}"))))
        .collect()
}

/// `e` with the scenario it came from named in its message; the variant (and so the Python
/// exception class) is kept. An unknown actor's error has no message field to prefix (its
/// text is made from the name): it is returned as it is, naming the actor.
fn in_scenario(e: Error, id: usize, name: &str) -> Error {
    let at = if name.is_empty() { format!("scenario {id}: ") } else { format!("scenario {id} ({name:?}): ") };
    match e {
        Error::InvalidArgument(m) => Error::InvalidArgument(at + &m),
        Error::Coverage { dataset, coverage, requested, what } => {
            Error::Coverage { dataset, coverage, requested, what: at + &what }
        }
        Error::Format { path, line, message } => Error::Format { path, line, message: at + &message },
        Error::Parse { path, line, column, column_name, message } => {
            Error::Parse { path, line, column, column_name, message: at + &message }
        }
        other => other,
    }
}

/// One scenario: apply to the years the metric reads, then the metric.
fn one(base: &Ledger, window: &Window, s: &Scenario, metric: &Metric) -> Result<Table> {
    metric.compute(&s.apply_within(base, window)?)
}

/// The sweep of `scenarios` over `base` with `metric` (see the module doc), on `threads` threads
/// (`0`: [`crate::parallel::threads`]), the scenario ids counted from `first`.
///
/// Fails with the first failing scenario's error, its message prefixed with `scenario <id>
/// ("<name>")`.
pub fn sweep(base: &Ledger, scenarios: &[Scenario], metric: &Metric, threads: usize, first: usize) -> Result<Table> {
    metric.check()?;
    let threads = if threads == 0 { crate::parallel::threads() } else { threads };
    let threads = threads.clamp(1, scenarios.len().max(1));
    let window = Window::new(base, metric.periods(base).as_deref());
    let run = |offset: usize, part: &[Scenario]| -> Result<Vec<Table>> {
        part.iter()
            .enumerate()
            .map(|(k, s)| one(base, &window, s, metric).map_err(|e| in_scenario(e, first + offset + k, &s.name)))
            .collect()
    };
    let tables: Vec<Table> = if threads == 1 {
        run(0, scenarios)?
    } else {
        let size = scenarios.len().div_ceil(threads);
        let parts: Vec<Result<Vec<Table>>> = std::thread::scope(|sc| {
            let handles: Vec<_> = scenarios
                .chunks(size)
                .enumerate()
                .map(|(c, part)| {
                    let run = &run;
                    sc.spawn(move || run(c * size, part))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(Error::invalid("internal error: a sweep thread panicked"))))
                .collect()
        });
        let mut all = Vec::with_capacity(scenarios.len());
        for p in parts {
            all.extend(p?);
        }
        all
    };
    if tables.is_empty() {
        // no scenario: the metric's columns, no row (the metric on the baseline gives them)
        let t = metric.compute(base)?;
        return stack(&[t.batch.slice(0, 0)], &[], first);
    }
    let batches: Vec<RecordBatch> = tables.into_iter().map(|t| t.batch).collect();
    stack(&batches, &batches.iter().map(RecordBatch::num_rows).collect::<Vec<_>>(), first)
}

/// Tables with the same columns one under the other, in order (the chunks of a sweep run
/// elsewhere); schema metadata is dropped.
pub fn concat(tables: &[Table]) -> Result<Table> {
    let head = tables.first().ok_or_else(|| Error::invalid("no tables to concatenate"))?;
    let fields = head.batch.schema().fields().clone();
    if let Some(i) = tables.iter().position(|t| t.batch.schema().fields() != &fields) {
        return Err(Error::invalid(format!(
            "table {i} has other columns ({:?}) than table 0 ({:?})",
            tables[i].column_names(),
            head.column_names()
        )));
    }
    let schema = Arc::new(Schema::new(fields));
    let parts = tables
        .iter()
        .map(|t| RecordBatch::try_new(schema.clone(), t.batch.columns().to_vec()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::invalid(format!("internal error: {e}")))?;
    arrow_select::concat::concat_batches(&schema, &parts)
        .map(|batch| Table { batch })
        .map_err(|e| Error::invalid(format!("internal error concatenating tables: {e}")))
}

/// The batches one under the other behind a `scenario` column (`first + i` repeated `rows[i]`
/// times). Schema metadata (a top cut's hidden rows) belongs to one table and is dropped.
fn stack(batches: &[RecordBatch], rows: &[usize], first: usize) -> Result<Table> {
    let head = batches.first().ok_or_else(|| Error::invalid("internal error: nothing to stack"))?;
    let fields = head.schema().fields().clone();
    for (i, b) in batches.iter().enumerate() {
        if b.schema().fields() != &fields {
            return Err(Error::invalid(format!(
                "internal error: scenario {} gives other columns than scenario {first}",
                first + i
            )));
        }
    }
    let ids: Vec<i64> =
        rows.iter().enumerate().flat_map(|(i, &n)| std::iter::repeat((first + i) as i64).take(n)).collect();
    let mut columns: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(ids))];
    let mut out_fields = vec![Field::new("scenario", DataType::Int64, false)];
    for (k, f) in fields.iter().enumerate() {
        if f.name() == "scenario" {
            return Err(Error::invalid("the metric's table has a column named scenario already"));
        }
        let parts: Vec<&dyn arrow_array::Array> = batches.iter().map(|b| b.column(k).as_ref()).collect();
        let c = arrow_select::concat::concat(&parts)
            .map_err(|e| Error::invalid(format!("internal error stacking column {}: {e}", f.name())))?;
        columns.push(c);
        out_fields.push(f.as_ref().clone());
    }
    RecordBatch::try_new(Arc::new(Schema::new(out_fields)), columns)
        .map(|batch| Table { batch })
        .map_err(|e| Error::invalid(format!("internal error building the sweep table: {e}")))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::scenario::Operation;

    /// The project's mini 2024 register (tests/fixtures/data): 11 deliveries of 2012-2020, with
    /// armament categories.
    pub(crate) fn ledger() -> Ledger {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/data/sipri/register_newformat_2024/trade-register_1990-2023.csv");
        crate::sipri::read_sipri(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    fn embargoes(n: usize) -> Vec<Scenario> {
        let dyads = [
            ("Russia", "China"),
            ("Russia", "India"),
            ("France", "India"),
            ("United States", "Saudi Arabia"),
            ("China", "Pakistan"),
        ];
        (0..n)
            .map(|i| {
                let (s, r) = dyads[i % dyads.len()];
                let mut sc = Scenario::new(&format!("{s} -/-> {r}"));
                sc.push(Operation::embargo_dyad(s, r, Some((2016, 2020))));
                if i % 3 == 0 {
                    sc.push(Operation::scale_exports("France", 1.0 + i as f64 / 10.0, None));
                }
                sc
            })
            .collect()
    }

    /// One of each metric, `actor` in the series (shared with the IPC round-trip tests).
    pub(crate) fn examples(actor: &str) -> Vec<Metric> {
        let series = format!(r#"{{"metric": "series", "actor": "{actor}"}}"#);
        [
            r#"{"metric": "importers", "start": 2016, "end": 2020, "top": 2}"#,
            r#"{"metric": "exporters", "start": 2017, "end": 2020, "clients": 1, "compare": [2016, 2016]}"#,
            r#"{"metric": "dyad", "supplier": "Russia", "recipient": "India", "start": 2017}"#,
            r#"{"metric": "suppliers", "recipient": "India", "start": 2016, "end": 2020}"#,
            r#"{"metric": "clients", "supplier": "United States", "start": 2016, "end": 2020}"#,
            r#"{"metric": "total", "start": 2016, "end": 2020}"#,
            r#"{"metric": "by_supplier", "start": 2016, "end": 2020}"#,
            r#"{"metric": "by_recipient", "start": 2016, "end": 2019}"#,
            r#"{"metric": "by_dyad", "start": 2016, "end": 2020}"#,
            &series,
            r#"{"metric": "world", "end": 2018}"#,
        ]
        .iter()
        .map(|j| Metric::from_json(j).unwrap())
        .collect()
    }

    fn metrics() -> Vec<Metric> {
        examples("India")
    }

    /// The loop a sweep must equal: apply, metric, a `scenario` column in front.
    fn by_loop(l: &Ledger, ss: &[Scenario], m: &Metric, first: usize) -> Table {
        let mut batches = Vec::new();
        for s in ss {
            batches.push(m.compute(&s.apply(l).unwrap()).unwrap().batch);
        }
        let rows: Vec<usize> = batches.iter().map(RecordBatch::num_rows).collect();
        stack(&batches, &rows, first).unwrap()
    }

    #[test]
    fn every_metric_equals_the_loop_at_any_thread_count() {
        let l = ledger();
        let ss = embargoes(23);
        let ms = metrics();
        assert_eq!(ms.iter().map(Metric::name).collect::<Vec<_>>(), METRICS);
        for m in &ms {
            let want = by_loop(&l, &ss, m, 0);
            assert!(want.num_rows() >= ss.len(), "{}: {} rows", m.name(), want.num_rows());
            for threads in [1, 2, 3, 8, 64] {
                let got = sweep(&l, &ss, m, threads, 0).unwrap();
                assert_eq!(got.batch, want.batch, "{} on {threads} threads", m.name());
            }
        }
    }

    #[test]
    fn chunks_with_first_ids_concatenate_to_the_whole() {
        let l = ledger();
        let ss = embargoes(10);
        let m = Metric::from_json(r#"{"metric": "by_supplier", "start": 2016, "end": 2020}"#).unwrap();
        let whole = sweep(&l, &ss, &m, 2, 0).unwrap();
        let a = sweep(&l, &ss[..4], &m, 1, 0).unwrap();
        let b = sweep(&l, &ss[4..], &m, 3, 4).unwrap();
        let both = arrow_select::concat::concat_batches(&a.batch.schema(), &[a.batch, b.batch]).unwrap();
        assert_eq!(both, whole.batch);
        let ids = whole.i64s("scenario").unwrap();
        assert_eq!(ids.first(), Some(&Some(0)));
        assert_eq!(ids.last(), Some(&Some(9)));
        assert!(ids.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn the_metric_numbers_are_the_what_ifs() {
        let l = ledger();
        let mut s = Scenario::new("no Russia-China");
        s.push(Operation::embargo_dyad("Russia", "China", None));
        let m = Metric::from_json(r#"{"metric": "total", "start": 2016, "end": 2020}"#).unwrap();
        let t = sweep(&l, &[Scenario::new("baseline"), s], &m, 2, 7).unwrap();
        assert_eq!(t.column_names(), ["scenario", "tiv"]);
        assert_eq!(t.i64s("scenario").unwrap(), [Some(7), Some(8)]);
        // the fixture's deliveries of 2016-20, less Russia's 160 + 400 + 400 to China
        assert_eq!(t.f64s("tiv").unwrap(), [Some(4000.0), Some(3040.0)]);
    }

    #[test]
    fn no_scenario_gives_the_columns_and_no_row() {
        let l = ledger();
        let m = Metric::from_json(r#"{"metric": "importers", "start": 2016, "end": 2020}"#).unwrap();
        let t = sweep(&l, &[], &m, 0, 0).unwrap();
        assert_eq!(t.num_rows(), 0);
        assert_eq!(t.column_names()[..3], ["scenario", "rank", "recipient"]);
    }

    #[test]
    fn an_error_names_the_first_failing_scenario() {
        let l = ledger();
        let mut ss = embargoes(9);
        ss[5].push(Operation::scale_exports("France", -1.0, None));
        ss[7].push(Operation::scale_exports("France", -2.0, None));
        let m = Metric::from_json(r#"{"metric": "total", "start": 2016, "end": 2020}"#).unwrap();
        for threads in [1, 2, 4] {
            let e = sweep(&l, &ss, &m, threads, 100).unwrap_err().to_string();
            assert!(e.starts_with("scenario 105 (\"Russia -/-> China\"): a scale factor"), "{e}");
        }
        // a period outside the ledger's years: the coverage error, naming the scenario
        let m = Metric::from_json(r#"{"metric": "total", "start": 2016, "end": 2024}"#).unwrap();
        let e = sweep(&l, &ss[..2], &m, 2, 0).unwrap_err();
        assert!(matches!(e, Error::Coverage { .. }), "{e:?}");
        assert!(e.to_string().contains("scenario 0 (\"Russia -/-> China\"): total(2016-2024)"), "{e}");
        // an unknown actor keeps its type (KeyError in Python)
        let mut s = Scenario::new("typo");
        s.push(Operation::embargo_supplier("Rusia", None));
        let e = sweep(&l, &[s], &m, 1, 0).unwrap_err();
        assert!(matches!(e, Error::UnknownActor { .. }), "{e:?}");
    }

    #[test]
    fn scenario_lists_and_chunk_tables() {
        let ss = embargoes(3);
        let json = format!("[{}]", ss.iter().map(|s| s.to_json().unwrap()).collect::<Vec<_>>().join(","));
        assert_eq!(scenarios_from_json(&json).unwrap(), ss);
        let e = scenarios_from_json(r#"[{"name": "a"}, {"operations": [{"op": "embargo"}]}]"#).unwrap_err();
        assert!(e.to_string().starts_with("scenario 1: "), "{e}");
        assert!(scenarios_from_json("{}").unwrap_err().to_string().contains("not a list of scenarios"));
        let l = ledger();
        let m = Metric::from_json(r#"{"metric": "importers", "start": 2016, "end": 2020, "top": 1}"#).unwrap();
        let (a, b) = (sweep(&l, &ss[..1], &m, 1, 0).unwrap(), sweep(&l, &ss[1..], &m, 1, 1).unwrap());
        assert_eq!(concat(&[a, b]).unwrap().batch, sweep(&l, &ss, &m, 2, 0).unwrap().batch);
        let other = Metric::from_json(r#"{"metric": "total", "start": 2016, "end": 2020}"#).unwrap();
        let e = concat(&[sweep(&l, &ss, &m, 1, 0).unwrap(), sweep(&l, &ss, &other, 1, 0).unwrap()]).unwrap_err();
        assert!(e.to_string().starts_with("table 1 has other columns"), "{e}");
        assert!(concat(&[]).is_err());
    }

    #[test]
    fn metric_json_is_checked_and_round_trips() {
        for m in metrics() {
            assert_eq!(Metric::from_json(&m.to_json().unwrap()).unwrap(), m);
        }
        for (bad, says) in [
            (r#"{"metric": "importer", "start": 2016, "end": 2020}"#, "importers, exporters"),
            (r#"{"metric": "importers", "start": 2016}"#, "missing field `end`"),
            (r#"{"metric": "importers", "start": 2016, "end": 2020, "tpo": 3}"#, "unknown field `tpo`"),
            (r#"{"metric": "total", "start": 2020, "end": 2016}"#, "empty"),
            (r#"{"metric": "world", "start": 0}"#, "out of range"),
        ] {
            let e = Metric::from_json(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
