//! A ledger, a result table and the state they carry as bytes, for another process: pickling
//! in Python (`pickle`, `concurrent.futures`, Dask, Ray) and any transport that moves bytes.
//!
//! A ledger becomes one Arrow IPC stream: its five entry columns as they are in memory
//! (`supplier` and `recipient` as actor ids `u32`, `year` `i32`, `tiv` `f64`, `deal` `u32`
//! with `u32::MAX` for "no deal"), and, in the schema metadata under [`STATE_META`], a JSON
//! object with everything else: the coverage, the annual-estimate flag, the years covered and
//! their dataset, the load report, the deal detail, and the registry as the actors a reader
//! added to the built-in table. Reading it back gives a ledger equal to the one written in
//! every field, actor ids included, so every metric gives the same table before and after
//! (tested below on a real register layout, and in `tests/test_pickle.py` on the real data).
//!
//! This is not the user-facing file format of [`crate::io`] (one row per entry with names and
//! deal detail, for pandas and spreadsheets): it keeps ids instead of names (no re-interning)
//! and is about as fast as copying the columns.
//!
//! The actors a reader added are rebuilt by interning their names in order over the built-in
//! registry (the only way a registry grows); the rebuilt actors are compared with the written
//! ones, so a registry that cannot be rebuilt this way is an error, never a silent change of
//! ids. A result table is its record batch as an Arrow IPC stream (schema metadata kept).

use crate::actors::{Actor, ActorId, ActorRegistry};
use crate::error::{Error, Result};
use crate::ledger::{Coverage, Covers, Ledger, LoadReport, OpenOrder};
use crate::table::Table;
use crate::Deal;
use arrow_array::{Array, ArrayRef, Float64Array, Int32Array, RecordBatch, UInt32Array};
use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// The schema-metadata key of a ledger's state in its IPC bytes.
pub const STATE_META: &str = "powerbalance.ledger.state";

/// Format version of [`STATE_META`].
const FORMAT: u32 = 1;

/// What the registry was built from before a reader added actors.
#[derive(Serialize, Deserialize, PartialEq, Clone, Copy, Debug)]
#[serde(rename_all = "snake_case")]
enum Base {
    /// [`ActorRegistry::builtin`] (every ledger read from a file).
    Builtin,
    /// [`ActorRegistry::new`] (a ledger built by hand over an empty registry).
    Empty,
}

/// Everything of a ledger but its entry columns.
#[derive(Serialize, Deserialize)]
struct State {
    format: u32,
    coverage: Coverage,
    annual_estimated: bool,
    covers: Option<Covers>,
    report: LoadReport,
    base: Base,
    /// Actors after the base registry, in id order.
    added: Vec<Actor>,
    deals: Vec<Deal>,
    /// The classic register's orders without deliveries (no entry, a deal).
    #[serde(default)]
    open_orders: Vec<OpenOrder>,
}

fn bad(message: impl std::fmt::Display) -> Error {
    Error::invalid(format!("not a powerbalance ledger or table in Arrow IPC form: {message}"))
}

fn same_actor(a: &Actor, b: &Actor) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

/// The base registry `r` grew from, and the number of its actors.
fn base_of(r: &ActorRegistry) -> (Base, usize) {
    let builtin = ActorRegistry::builtin();
    let n = builtin.len();
    let prefix = r.len() >= n && r.actors()[..n].iter().zip(builtin.actors()).all(|(a, b)| same_actor(a, b));
    if prefix {
        (Base::Builtin, n)
    } else {
        (Base::Empty, 0)
    }
}

fn rebuild_registry(base: Base, added: &[Actor]) -> Result<ActorRegistry> {
    let mut r = match base {
        Base::Builtin => ActorRegistry::builtin().clone(),
        Base::Empty => ActorRegistry::new(),
    };
    for a in added {
        let (id, new) = r.intern(&a.name);
        if !new || id != a.id || !same_actor(r.get(id), a) {
            return Err(bad(format!(
                "actor {} ({:?}) cannot be rebuilt with the same id and attributes over this version's registry",
                a.id.0, a.name
            )));
        }
    }
    Ok(r)
}

fn write_stream(batch: &RecordBatch) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut out, batch.schema().as_ref())
        .map_err(|e| Error::invalid(format!("internal error writing Arrow IPC: {e}")))?;
    w.write(batch).map_err(|e| Error::invalid(format!("internal error writing Arrow IPC: {e}")))?;
    w.finish().map_err(|e| Error::invalid(format!("internal error writing Arrow IPC: {e}")))?;
    drop(w);
    Ok(out)
}

/// The one record batch of an IPC stream (several are concatenated).
fn read_stream(bytes: &[u8]) -> Result<RecordBatch> {
    let r = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None).map_err(bad)?;
    let schema = r.schema();
    let batches = r.collect::<std::result::Result<Vec<_>, _>>().map_err(bad)?;
    match batches.len() {
        1 => Ok(batches.into_iter().next().unwrap_or_else(|| RecordBatch::new_empty(schema))),
        0 => Ok(RecordBatch::new_empty(schema)),
        _ => arrow_select::concat::concat_batches(&schema, &batches).map_err(bad),
    }
}

/// The ledger as Arrow IPC stream bytes (see the module doc).
pub fn ledger_to_ipc(l: &Ledger) -> Result<Vec<u8>> {
    let (base, n_base) = base_of(&l.registry);
    let state = State {
        format: FORMAT,
        coverage: l.coverage,
        annual_estimated: l.annual_estimated,
        covers: l.covers.clone(),
        report: l.report.clone(),
        base,
        added: l.registry.actors()[n_base..].to_vec(),
        deals: l.deals.to_vec(),
        open_orders: l.open_orders.clone(),
    };
    let json = serde_json::to_string(&state).map_err(|e| Error::invalid(format!("ledger state as JSON: {e}")))?;
    let ids = |v: &[ActorId]| -> ArrayRef { Arc::new(UInt32Array::from_iter_values(v.iter().map(|a| a.0))) };
    let columns: Vec<ArrayRef> = vec![
        ids(&l.supplier),
        ids(&l.recipient),
        Arc::new(Int32Array::from(l.year.clone())),
        Arc::new(Float64Array::from(l.tiv.clone())),
        Arc::new(UInt32Array::from(l.deal.clone())),
    ];
    let fields = ["supplier", "recipient", "year", "tiv", "deal"]
        .iter()
        .zip(&columns)
        .map(|(n, c)| Field::new(*n, c.data_type().clone(), false))
        .collect::<Vec<_>>();
    let schema = Schema::new_with_metadata(fields, HashMap::from([(STATE_META.to_string(), json)]));
    let batch = RecordBatch::try_new(Arc::new(schema), columns)
        .map_err(|e| Error::invalid(format!("internal error building the ledger batch: {e}")))?;
    write_stream(&batch)
}

fn column<'a, T: 'static>(b: &'a RecordBatch, name: &str, dt: DataType) -> Result<&'a T> {
    let c = b.column_by_name(name).ok_or_else(|| bad(format!("no column {name:?}")))?;
    if c.null_count() > 0 {
        return Err(bad(format!("column {name:?} has nulls")));
    }
    c.as_any().downcast_ref::<T>().ok_or_else(|| bad(format!("column {name:?} is {}, not {dt}", c.data_type())))
}

/// A ledger from [`ledger_to_ipc`]'s bytes. Every id is checked against the registry and
/// every deal index against the deals, so corrupt bytes give an error, not a ledger that
/// panics later.
pub fn ledger_from_ipc(bytes: &[u8]) -> Result<Ledger> {
    let b = read_stream(bytes)?;
    let json =
        b.schema().metadata().get(STATE_META).cloned().ok_or_else(|| bad(format!("no {STATE_META} metadata")))?;
    let state: State = serde_json::from_str(&json).map_err(|e| bad(format!("the ledger state: {e}")))?;
    if state.format != FORMAT {
        return Err(bad(format!("ledger state format {} (this version reads {FORMAT})", state.format)));
    }
    let registry = rebuild_registry(state.base, &state.added)?;
    let ids = |name: &str| -> Result<Vec<ActorId>> {
        let a = column::<UInt32Array>(&b, name, DataType::UInt32)?;
        match a.values().iter().find(|&&x| x as usize >= registry.len()) {
            Some(x) => Err(bad(format!("{name} id {x} is not in the registry of {} actors", registry.len()))),
            None => Ok(a.values().iter().map(|&x| ActorId(x)).collect()),
        }
    };
    let (supplier, recipient) = (ids("supplier")?, ids("recipient")?);
    let year = column::<Int32Array>(&b, "year", DataType::Int32)?.values().to_vec();
    let tiv = column::<Float64Array>(&b, "tiv", DataType::Float64)?.values().to_vec();
    let deal = column::<UInt32Array>(&b, "deal", DataType::UInt32)?.values().to_vec();
    if let Some(d) = deal.iter().find(|&&d| d != crate::ledger::NO_DEAL && d as usize >= state.deals.len()) {
        return Err(bad(format!("deal index {d} of {} deals", state.deals.len())));
    }
    for o in &state.open_orders {
        if o.supplier.index() >= registry.len() || o.recipient.index() >= registry.len() {
            return Err(bad(format!("an open order's actor id is not in the registry of {} actors", registry.len())));
        }
        if o.deal as usize >= state.deals.len() {
            return Err(bad(format!("open order deal index {} of {} deals", o.deal, state.deals.len())));
        }
    }
    Ok(Ledger {
        registry: Arc::new(registry),
        supplier,
        recipient,
        year,
        tiv,
        deal,
        deals: Arc::new(crate::deals::Deals::from(state.deals)),
        coverage: state.coverage,
        annual_estimated: state.annual_estimated,
        report: state.report,
        covers: state.covers,
        open_orders: state.open_orders,
    })
}

/// A result table as Arrow IPC stream bytes (its schema metadata kept).
pub fn table_to_ipc(t: &Table) -> Result<Vec<u8>> {
    write_stream(&t.batch)
}

/// A result table from [`table_to_ipc`]'s bytes.
pub fn table_from_ipc(bytes: &[u8]) -> Result<Table> {
    read_stream(bytes).map(|batch| Table { batch })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{FileReport, SipriFormat, Skip, NO_DEAL};
    use crate::metrics::transfers as tm;
    use crate::period::Period;

    /// Every field of two ledgers, compared through what can see them.
    fn assert_same(a: &Ledger, b: &Ledger) {
        assert_eq!((&a.supplier, &a.recipient, &a.year, &a.deal), (&b.supplier, &b.recipient, &b.year, &b.deal));
        assert_eq!(
            a.tiv.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            b.tiv.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!((a.coverage, a.annual_estimated, &a.covers), (b.coverage, b.annual_estimated, &b.covers));
        let js = |v: &dyn erased::Ser| v.json();
        assert_eq!(js(&a.report), js(&b.report));
        assert_eq!(js(&a.deals.to_vec()), js(&b.deals.to_vec()));
        assert_eq!(a.open_orders, b.open_orders);
        assert_eq!(js(&a.registry.actors().to_vec()), js(&b.registry.actors().to_vec()));
        for name in ["Atlantis Liberation Front*", "Russia", "Turkiye", "UAE"] {
            assert_eq!(a.registry.lookup(name), b.registry.lookup(name), "{name}");
        }
    }

    mod erased {
        pub trait Ser {
            fn json(&self) -> String;
        }
        impl<T: serde::Serialize> Ser for T {
            fn json(&self) -> String {
                serde_json::to_string(self).unwrap()
            }
        }
    }

    /// A register-like ledger: deals, a new actor, a load report with skips, covered years wider
    /// than the rows.
    fn register_like() -> Ledger {
        let mut reg = ActorRegistry::builtin().clone();
        let (atl, new) = reg.intern("Atlantis Liberation Front*");
        assert!(new);
        let r = |n: &str| reg.resolve(n).unwrap();
        let (ru, cn, india, fr, us) = (r("Russia"), r("China"), r("India"), r("France"), r("United States"));
        let mut l = Ledger::empty(Arc::new(reg.clone()), Coverage::Dyadic);
        let deal = |k: u64, cat: &str| Deal {
            sipri_id: Some(1000 + k),
            designation: format!("D-{k}"),
            description: "fighter aircraft".into(),
            category: cat.into(),
            order_year: Some(2010 + k as i32),
            order_year_estimated: k % 2 == 0,
            numbers_delivered: Some(k as f64 + 0.5),
            tiv_unit: Some(0.1 * k as f64),
            status: if k == 2 { "second hand".into() } else { String::new() },
            comments: "ü, naïve: \"quoted\"".into(),
            ..Deal::default()
        };
        l.deals = Arc::new(crate::deals::Deals::from(vec![
            deal(0, "Aircraft"),
            deal(1, "Ships"),
            deal(2, "Aircraft"),
            deal(3, "Orphan"),
        ]));
        for (s, c, y, t, d) in [
            (ru, cn, 2016, 100.1, 0),
            (ru, india, 2017, 80.0, 1),
            (fr, india, 2018, 1e-9, 2),
            (us, india, 2019, 20.0, NO_DEAL),
            (atl, cn, 2020, 0.0, NO_DEAL),
            (ru, cn, 2019, 0.1 + 0.2, 0),
        ] {
            l.push(s, c, y, t, d);
        }
        l.annual_estimated = true;
        l.report = LoadReport {
            files: vec![FileReport {
                path: "data/sipri/register_2024.csv".into(),
                format: SipriFormat::TradeRegister,
                coverage: Coverage::Dyadic,
                generated: Some("2024-03-11".into()),
                title: Some("Trade Register".into()),
                preamble_lines: 11,
                data_rows: 8,
                rows_read: 6,
                entries: 6,
                skipped: vec![Skip { line: 14, reason: "blank line".into() }, Skip { line: 19, reason: "note".into() }],
                new_actors: vec!["Atlantis Liberation Front*".into()],
                notes: vec!["a note".into()],
                repeated: vec![(17, 15)],
            }],
            files_skipped: vec![("data/sipri/countries.csv".into(), "country list".into())],
        };
        l.covers = Some(Covers { dataset: "register_2024".into(), years: Period { start: 2010, end: 2023 } });
        l
    }

    #[test]
    fn ledger_round_trip_is_exact_and_every_metric_agrees() {
        let l = register_like();
        let back = ledger_from_ipc(&ledger_to_ipc(&l).unwrap()).unwrap();
        assert_same(&l, &back);
        // a second trip gives the same bytes
        assert_eq!(ledger_to_ipc(&back).unwrap(), ledger_to_ipc(&l).unwrap());
        for m in crate::sweep::tests::examples("Atlantis Liberation Front*") {
            assert_eq!(m.compute(&l).unwrap().batch, m.compute(&back).unwrap().batch, "{m:?}");
        }
        for f in [tm::entries, tm::report, tm::skipped] {
            assert_eq!(f(&l).unwrap().batch, f(&back).unwrap().batch);
        }
    }

    #[test]
    fn hand_built_and_empty_ledgers_round_trip() {
        let mut r = ActorRegistry::new();
        let (a, _) = r.intern("Alpha");
        let (b, _) = r.intern("Beta**");
        let mut l = Ledger::empty(Arc::new(r), Coverage::ExportTotals);
        l.push(a, b, 1999, 2.5, NO_DEAL);
        let back = ledger_from_ipc(&ledger_to_ipc(&l).unwrap()).unwrap();
        assert_same(&l, &back);
        assert_eq!(back.covers, None);
        let e = Ledger::empty(Arc::new(ActorRegistry::builtin().clone()), Coverage::ImportTotals);
        assert_same(&e, &ledger_from_ipc(&ledger_to_ipc(&e).unwrap()).unwrap());
    }

    #[test]
    fn bad_bytes_are_errors() {
        let l = register_like();
        let bytes = ledger_to_ipc(&l).unwrap();
        for cut in [0, 10, bytes.len() / 2] {
            assert!(ledger_from_ipc(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        // a table is not a ledger
        let t = tm::by_supplier(&l, Period { start: 2016, end: 2020 }).unwrap();
        let e = ledger_from_ipc(&table_to_ipc(&t).unwrap()).unwrap_err().to_string();
        assert!(e.contains("no powerbalance.ledger.state metadata"), "{e}");
        // an id beyond the registry
        let mut l2 = l.clone();
        l2.supplier[0] = ActorId(l2.registry.len() as u32 + 5);
        let e = ledger_from_ipc(&ledger_to_ipc(&l2).unwrap()).unwrap_err().to_string();
        assert!(e.contains("supplier id"), "{e}");
        let mut l3 = l.clone();
        l3.deal[0] = 99;
        let e = ledger_from_ipc(&ledger_to_ipc(&l3).unwrap()).unwrap_err().to_string();
        assert!(e.contains("deal index 99"), "{e}");
    }

    #[test]
    fn table_round_trip_keeps_metadata() {
        let l = register_like();
        let o = tm::FactSheet { top: Some(1), partners: 2, compare: None };
        let t = tm::importers(&l, Period { start: 2016, end: 2020 }, o).unwrap();
        assert!(!t.batch.schema().metadata().is_empty(), "a top cut keeps its rows below in the metadata");
        let back = table_from_ipc(&table_to_ipc(&t).unwrap()).unwrap();
        assert_eq!(back.batch, t.batch);
        assert_eq!(back.batch.schema(), t.batch.schema());
    }
}
