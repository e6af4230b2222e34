//! The domain API as Rhai packages (`#[export_module]`). Function names follow the Python
//! names (`importers`, `exporters`, `dyad`, `suppliers`, `clients`, `series`, `world`, ...).

use crate::types::{err, table_text, LedgerRef, TableRef, R};
use powerbalance_core::metrics::transfers::{self as tm, FactSheet};
use powerbalance_core::scenario::{self as sc, Operation, Scenario};
use powerbalance_core::Ledger as CoreLedger;
use powerbalance_core::Period;
use powerbalance_core::Table as CoreTable;
use rhai::plugin::*;
use rhai::{Array, Dynamic, FnPtr, Map, NativeCallContext};
use std::sync::Arc;

pub(crate) fn period(start: i64, end: i64) -> R<Period> {
    crate::check_stop()?;
    let y = |v: i64| i32::try_from(v).map_err(|_| err(format!("year {v} is out of range (1-9999)")));
    Period::new(y(start)?, y(end)?).map_err(err)
}

fn opt_period(p: Option<(i64, i64)>) -> R<Option<Period>> {
    p.map(|(s, e)| period(s, e)).transpose()
}

fn table(t: powerbalance_core::Result<CoreTable>) -> R<TableRef> {
    t.map(TableRef::from).map_err(err)
}

fn fact_sheet(opts: &Map, partners_key: &str) -> R<FactSheet> {
    let mut o = FactSheet { top: None, partners: 3, compare: None };
    for (k, v) in opts {
        match k.as_str() {
            "top" => {
                o.top = if v.is_unit() {
                    None
                } else {
                    Some(
                        usize::try_from(v.as_int().map_err(|_| err("top must be an integer"))?)
                            .map_err(|_| err("top must be 0 or more"))?,
                    )
                }
            }
            k if k == partners_key => {
                o.partners = usize::try_from(v.as_int().map_err(|_| err(format!("{partners_key} must be an integer")))?)
                    .map_err(|_| err(format!("{partners_key} must be 0 or more")))?
            }
            "compare" => {
                let a = v.clone().into_array().map_err(|_| err("compare must be [start, end]"))?;
                if a.len() != 2 {
                    return Err(err("compare must be [start, end]"));
                }
                let y = |d: &Dynamic| d.as_int().map_err(|_| err("compare must be [start, end] (integers)"));
                o.compare = Some(period(y(&a[0])?, y(&a[1])?)?);
            }
            other => {
                return Err(err(format!("unknown option {other:?}; the options are top, {partners_key}, compare")))
            }
        }
    }
    Ok(o)
}

/// Ledgers: reading is `read_sipri(path)` (registered by the engine, restricted to the data
/// folders the host allows); every metric returns a table.
#[export_module]
pub mod ledger_api {
    use super::*;

    pub type Ledger = LedgerRef;

    /// Number of entries.
    #[rhai_fn(name = "len", pure)]
    pub fn len(l: &mut LedgerRef) -> i64 {
        l.0.len() as i64
    }

    /// First and last year with an entry, as `[start, end]` (`()` for an empty ledger).
    #[rhai_fn(get = "span", pure)]
    pub fn span(l: &mut LedgerRef) -> Dynamic {
        match l.0.span() {
            Some(p) => Dynamic::from_array(vec![(p.start as i64).into(), (p.end as i64).into()]),
            None => Dynamic::UNIT,
        }
    }

    /// `"dyadic"`, `"export-totals"` or `"import-totals"`.
    #[rhai_fn(get = "coverage", pure)]
    pub fn coverage(l: &mut LedgerRef) -> String {
        l.0.coverage.as_str().into()
    }

    /// Sum of TIV over every entry in `start..=end`.
    #[rhai_fn(return_raw, pure)]
    pub fn total(l: &mut LedgerRef, start: i64, end: i64) -> R<f64> {
        l.0.total(period(start, end)?).map_err(err)
    }

    /// The largest importers of `start..=end` (SIPRI fact-sheet table 2), three suppliers each.
    #[rhai_fn(name = "importers", return_raw, pure)]
    pub fn importers(l: &mut LedgerRef, start: i64, end: i64) -> R<TableRef> {
        table(tm::importers(&l.0, period(start, end)?, fact_sheet(&Map::new(), "suppliers")?))
    }

    /// The largest importers with options `#{top: 10, suppliers: 3, compare: [2011, 2015]}`.
    #[rhai_fn(name = "importers", return_raw, pure)]
    pub fn importers_opts(l: &mut LedgerRef, start: i64, end: i64, opts: Map) -> R<TableRef> {
        table(tm::importers(&l.0, period(start, end)?, fact_sheet(&opts, "suppliers")?))
    }

    /// The largest exporters of `start..=end` (SIPRI fact-sheet table 1), three clients each.
    #[rhai_fn(name = "exporters", return_raw, pure)]
    pub fn exporters(l: &mut LedgerRef, start: i64, end: i64) -> R<TableRef> {
        table(tm::exporters(&l.0, period(start, end)?, fact_sheet(&Map::new(), "clients")?))
    }

    /// The largest exporters with options `#{top: 10, clients: 3, compare: [2011, 2015]}`.
    #[rhai_fn(name = "exporters", return_raw, pure)]
    pub fn exporters_opts(l: &mut LedgerRef, start: i64, end: i64, opts: Map) -> R<TableRef> {
        table(tm::exporters(&l.0, period(start, end)?, fact_sheet(&opts, "clients")?))
    }

    /// The annual series of one supplier-recipient dyad over the ledger's span.
    #[rhai_fn(name = "dyad", return_raw, pure)]
    pub fn dyad(l: &mut LedgerRef, supplier: &str, recipient: &str) -> R<TableRef> {
        let (s, r) = (l.0.resolve(supplier).map_err(err)?, l.0.resolve(recipient).map_err(err)?);
        table(tm::dyad_series(&l.0, s, r, None))
    }

    /// The annual series of one dyad over `start..=end`.
    #[rhai_fn(name = "dyad", return_raw, pure)]
    pub fn dyad_period(l: &mut LedgerRef, supplier: &str, recipient: &str, start: i64, end: i64) -> R<TableRef> {
        let (s, r) = (l.0.resolve(supplier).map_err(err)?, l.0.resolve(recipient).map_err(err)?);
        table(tm::dyad_series(&l.0, s, r, opt_period(Some((start, end)))?))
    }

    /// A recipient's suppliers over `start..=end`: `rank, supplier, tiv, share`.
    #[rhai_fn(return_raw, pure)]
    pub fn suppliers(l: &mut LedgerRef, recipient: &str, start: i64, end: i64) -> R<TableRef> {
        table(tm::suppliers_of(&l.0, l.0.resolve(recipient).map_err(err)?, period(start, end)?))
    }

    /// A supplier's clients over `start..=end`: `rank, recipient, tiv, share`.
    #[rhai_fn(return_raw, pure)]
    pub fn clients(l: &mut LedgerRef, supplier: &str, start: i64, end: i64) -> R<TableRef> {
        table(tm::clients_of(&l.0, l.0.resolve(supplier).map_err(err)?, period(start, end)?))
    }

    /// TIV by supplier with shares of world exports.
    #[rhai_fn(return_raw, pure)]
    pub fn by_supplier(l: &mut LedgerRef, start: i64, end: i64) -> R<TableRef> {
        table(tm::by_supplier(&l.0, period(start, end)?))
    }

    /// TIV by recipient with shares of world imports.
    #[rhai_fn(return_raw, pure)]
    pub fn by_recipient(l: &mut LedgerRef, start: i64, end: i64) -> R<TableRef> {
        table(tm::by_recipient(&l.0, period(start, end)?))
    }

    /// TIV by supplier-recipient pair.
    #[rhai_fn(return_raw, pure)]
    pub fn by_dyad(l: &mut LedgerRef, start: i64, end: i64) -> R<TableRef> {
        table(tm::by_dyad(&l.0, period(start, end)?))
    }

    /// One actor's annual exports and imports over the ledger's span.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn series(l: &mut LedgerRef, actor: &str) -> R<TableRef> {
        table(tm::actor_series(&l.0, l.0.resolve(actor).map_err(err)?, None))
    }

    /// One actor's annual exports and imports over `start..=end`.
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn series_period(l: &mut LedgerRef, actor: &str, start: i64, end: i64) -> R<TableRef> {
        table(tm::actor_series(&l.0, l.0.resolve(actor).map_err(err)?, Some(period(start, end)?)))
    }

    /// The world total by year over the ledger's span.
    #[rhai_fn(name = "world", return_raw, pure)]
    pub fn world(l: &mut LedgerRef) -> R<TableRef> {
        table(tm::world_series(&l.0, None))
    }

    /// The world total by year over `start..=end`.
    #[rhai_fn(name = "world", return_raw, pure)]
    pub fn world_period(l: &mut LedgerRef, start: i64, end: i64) -> R<TableRef> {
        table(tm::world_series(&l.0, Some(period(start, end)?)))
    }

    /// A new ledger with every actor replaced by its latest successor (Soviet Union -> Russia).
    #[rhai_fn(pure)]
    pub fn follow_succession(l: &mut LedgerRef) -> LedgerRef {
        LedgerRef(Arc::new(l.0.follow_succession()))
    }

    /// The canonical name of an actor spelling (`"Turkey"` -> `"Turkiye"`).
    #[rhai_fn(return_raw, pure)]
    pub fn resolve(l: &mut LedgerRef, name: &str) -> R<String> {
        let id = l.0.resolve(name).map_err(err)?;
        Ok(l.0.registry.name(id).to_string())
    }

    /// A new ledger holding only the entries of `start..=end`.
    #[rhai_fn(return_raw, pure)]
    pub fn between(l: &mut LedgerRef, start: i64, end: i64) -> R<LedgerRef> {
        let p = period(start, end)?;
        let src: &CoreLedger = &l.0;
        let mut out = CoreLedger::empty(src.registry.clone(), src.coverage);
        out.deals = src.deals.clone();
        out.annual_estimated = src.annual_estimated;
        out.report = src.report.clone();
        // the part covers the years of `p` that the whole covers (never more)
        out.covers = src.years().and_then(|c| {
            let (s, e) = (c.start.max(p.start), c.end.min(p.end));
            (s <= e).then(|| powerbalance_core::ledger::Covers {
                dataset: src.dataset(),
                years: powerbalance_core::Period { start: s, end: e },
            })
        });
        for i in 0..src.len() {
            if p.contains(src.year[i]) {
                out.push(src.supplier[i], src.recipient[i], src.year[i], src.tiv[i], src.deal[i]);
            }
        }
        Ok(LedgerRef(Arc::new(out)))
    }

    /// The ledger with a scenario applied (same as `s.apply(l)`).
    #[rhai_fn(name = "apply", return_raw, pure)]
    pub fn apply_ledger(l: &mut LedgerRef, s: Scenario) -> R<LedgerRef> {
        s.apply(&l.0).map(|x| LedgerRef(Arc::new(x))).map_err(err)
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn to_string(l: &mut LedgerRef) -> String {
        let span = l.0.span().map(|p| p.to_string()).unwrap_or_else(|| "empty".into());
        format!("<Ledger {} entries, {}, {}>", l.0.len(), span, l.0.coverage.as_str())
    }

    #[rhai_fn(name = "to_debug", pure)]
    pub fn to_debug(l: &mut LedgerRef) -> String {
        to_string(l)
    }
}

/// Result tables: indexable (`t[0]` a row map, `t["tiv"]` a column array), iterable
/// (`for row in t`), printable, convertible to arrays and maps.
#[export_module]
pub mod table_api {
    use super::*;

    pub type Table = TableRef;

    /// Number of rows.
    #[rhai_fn(name = "len", pure)]
    pub fn len(t: &mut TableRef) -> i64 {
        t.rows() as i64
    }

    /// Number of rows.
    #[rhai_fn(get = "num_rows", pure)]
    pub fn num_rows(t: &mut TableRef) -> i64 {
        t.rows() as i64
    }

    /// Column names.
    #[rhai_fn(get = "columns", pure)]
    pub fn columns(t: &mut TableRef) -> Array {
        t.0.column_names().into_iter().map(Dynamic::from).collect()
    }

    /// Row `i` (negative counts from the end) as a map.
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn index_row(t: &mut TableRef, i: i64) -> R<Map> {
        t.row(i)
    }

    /// Column `name` as an array.
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn index_column(t: &mut TableRef, name: &str) -> R<Array> {
        t.column(name)
    }

    /// Row `i` as a map.
    #[rhai_fn(return_raw, pure)]
    pub fn row(t: &mut TableRef, i: i64) -> R<Map> {
        t.row(i)
    }

    /// Column `name` as an array.
    #[rhai_fn(return_raw, pure)]
    pub fn column(t: &mut TableRef, name: &str) -> R<Array> {
        t.column(name)
    }

    /// Every row as a map.
    #[rhai_fn(pure)]
    pub fn to_array(t: &mut TableRef) -> Array {
        t.to_array()
    }

    /// Column name -> array of values.
    #[rhai_fn(pure)]
    pub fn to_map(t: &mut TableRef) -> Map {
        t.to_map()
    }

    /// The first row whose `column` equals `value`, as a map; `()` when there is none.
    #[rhai_fn(return_raw, pure)]
    pub fn find(t: &mut TableRef, column: &str, value: Dynamic) -> R<Dynamic> {
        let c = t.column(column)?;
        let key = value.to_string();
        for (i, v) in c.iter().enumerate() {
            if v.type_id() == value.type_id() && v.to_string() == key {
                return t.row(i as i64).map(Dynamic::from_map);
            }
        }
        Ok(Dynamic::UNIT)
    }

    /// The value of `column` in the first row where `key_column` equals `key` (`0.0` when no row
    /// matches, for sums and shares; `()` for a null cell).
    #[rhai_fn(return_raw, pure)]
    pub fn lookup(t: &mut TableRef, key_column: &str, key: Dynamic, column: &str) -> R<Dynamic> {
        match find(t, key_column, key)? {
            d if d.is_unit() => {
                t.column(column)?; // the column must exist
                Ok(Dynamic::from_float(0.0))
            }
            d => Ok(d.cast::<Map>().get(column).cloned().unwrap_or(Dynamic::UNIT)),
        }
    }

    /// The first `n` rows.
    #[rhai_fn(pure)]
    pub fn head(t: &mut TableRef, n: i64) -> TableRef {
        let n = n.clamp(0, t.rows() as i64) as usize;
        TableRef::from(CoreTable { batch: t.0.batch.slice(0, n) })
    }

    /// Sum of a numeric column (nulls skipped).
    #[rhai_fn(return_raw, pure)]
    pub fn sum(t: &mut TableRef, column: &str) -> R<f64> {
        let mut s = 0.0;
        for v in t.column(column)? {
            if let Ok(f) = v.as_float() {
                s += f;
            } else if let Ok(i) = v.as_int() {
                s += i as f64;
            } else if !v.is_unit() {
                return Err(err(format!("column {column:?} is not numeric")));
            }
        }
        Ok(s)
    }

    /// The table as aligned text (shares in per cent, TIV rounded), every row.
    #[rhai_fn(name = "to_string", pure)]
    pub fn to_string(t: &mut TableRef) -> String {
        table_text(t, 50)
    }

    #[rhai_fn(name = "to_debug", pure)]
    pub fn to_debug(t: &mut TableRef) -> String {
        format!("<Table {} rows x {} columns>\n{}", t.rows(), t.0.num_columns(), table_text(t, 10))
    }

    /// Two tables side by side with the differences (`v_baseline, v_scenario, v_diff` for each
    /// numeric column), matched on the first text column (or `year`).
    #[rhai_fn(name = "compare", return_raw)]
    pub fn compare_tables(base: TableRef, scenario: TableRef) -> R<TableRef> {
        table(sc::compare_tables(&base.0, &scenario.0, None))
    }

    /// As `compare(base, scenario)`, matched on the named key columns.
    #[rhai_fn(name = "compare", return_raw)]
    pub fn compare_tables_keys(base: TableRef, scenario: TableRef, keys: Array) -> R<TableRef> {
        let keys: Vec<String> = keys.into_iter().map(|k| k.to_string()).collect();
        table(sc::compare_tables(&base.0, &scenario.0, Some(&keys)))
    }
}

/// Add an operation to a scenario, checked now so the error points at the line that adds it.
pub(crate) fn push_op(s: &mut Scenario, op: Operation) -> R<Scenario> {
    let mut probe = Scenario::new("");
    probe.push(op.clone());
    // check the operation now, so the error points at the line that adds it
    Scenario::from_json(&probe.to_json().map_err(err)?).map_err(err)?;
    s.push(op);
    Ok(s.clone())
}

/// Scenarios: `scenario(name)`, then operations (each changes the scenario and returns it, so
/// calls chain), `apply`, `compare`, JSON.
#[export_module]
pub mod scenario_api {
    use super::*;

    pub type Scenario = sc::Scenario;

    /// A new, empty scenario.
    pub fn scenario(name: &str) -> Scenario {
        Scenario::new(name)
    }

    /// A scenario from JSON (as `to_json` writes it).
    #[rhai_fn(return_raw)]
    pub fn scenario_from_json(json: &str) -> R<Scenario> {
        Scenario::from_json(json).map_err(err)
    }

    /// Embargo the dyad `supplier -> recipient` in every year.
    #[rhai_fn(name = "embargo", return_raw)]
    pub fn embargo(s: &mut Scenario, supplier: &str, recipient: &str) -> R<Scenario> {
        push_op(s, Operation::embargo_dyad(supplier, recipient, None))
    }

    /// Embargo the dyad `supplier -> recipient` in `start..=end`.
    #[rhai_fn(name = "embargo", return_raw)]
    pub fn embargo_period(s: &mut Scenario, supplier: &str, recipient: &str, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        push_op(s, Operation::embargo_dyad(supplier, recipient, Some((p.start, p.end))))
    }

    /// Embargo every export of `supplier` in every year.
    #[rhai_fn(name = "embargo_supplier", return_raw)]
    pub fn embargo_supplier(s: &mut Scenario, supplier: &str) -> R<Scenario> {
        push_op(s, Operation::embargo_supplier(supplier, None))
    }

    /// Embargo every export of `supplier` in `start..=end`.
    #[rhai_fn(name = "embargo_supplier", return_raw)]
    pub fn embargo_supplier_period(s: &mut Scenario, supplier: &str, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        push_op(s, Operation::embargo_supplier(supplier, Some((p.start, p.end))))
    }

    /// Embargo every import of `recipient` in `start..=end`.
    #[rhai_fn(name = "embargo_recipient", return_raw)]
    pub fn embargo_recipient_period(s: &mut Scenario, recipient: &str, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        push_op(s, Operation::Embargo { supplier: None, recipient: Some(recipient.into()), period: Some(p) })
    }

    /// Redirect `recipient`'s imports from `from` in `start..=end` to its other suppliers, in
    /// proportion to their shares.
    #[rhai_fn(name = "redirect", return_raw)]
    pub fn redirect(s: &mut Scenario, recipient: &str, from: &str, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        push_op(s, Operation::redirect(recipient, from, None, Some((p.start, p.end))))
    }

    /// Redirect `recipient`'s imports from `from` in `start..=end` to `to`.
    #[rhai_fn(name = "redirect", return_raw)]
    pub fn redirect_to(s: &mut Scenario, recipient: &str, from: &str, to: &str, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        push_op(s, Operation::redirect(recipient, from, Some(to), Some((p.start, p.end))))
    }

    /// Multiply `supplier`'s exports in `start..=end` by `factor`.
    #[rhai_fn(name = "scale_exports", return_raw)]
    pub fn scale_exports(s: &mut Scenario, supplier: &str, factor: f64, start: i64, end: i64) -> R<Scenario> {
        let p = period(start, end)?;
        push_op(s, Operation::scale_exports(supplier, factor, Some((p.start, p.end))))
    }

    /// The scenario applied to a baseline ledger: a new ledger.
    #[rhai_fn(name = "apply", return_raw, pure)]
    pub fn apply(s: &mut Scenario, base: LedgerRef) -> R<LedgerRef> {
        s.apply(&base.0).map(|l| LedgerRef(Arc::new(l))).map_err(err)
    }

    /// What each operation does to the world total on `base`:
    /// `step, operation, removed, added, moved, entries`.
    #[rhai_fn(return_raw, pure)]
    pub fn effects(s: &mut Scenario, base: LedgerRef) -> R<TableRef> {
        table(s.effects(&base.0))
    }

    /// `metric` (a function of a ledger returning a table) on the baseline and on the scenario,
    /// side by side with the differences: `compare(led, s, |l| l.exporters(2016, 2020))`.
    #[rhai_fn(name = "compare", return_raw)]
    pub fn compare(ctx: NativeCallContext, base: LedgerRef, s: Scenario, metric: FnPtr) -> R<TableRef> {
        let what_if = LedgerRef(Arc::new(s.apply(&base.0).map_err(err)?));
        let a: Dynamic = metric.call_within_context(&ctx, (base,))?;
        let b: Dynamic = metric.call_within_context(&ctx, (what_if,))?;
        let (Some(a), Some(b)) = (a.try_cast::<TableRef>(), b.try_cast::<TableRef>()) else {
            return Err(err("compare: the metric must return a table"));
        };
        table(sc::compare_tables(&a.0, &b.0, None))
    }

    /// The scenario as JSON.
    #[rhai_fn(return_raw, pure)]
    pub fn to_json(s: &mut Scenario) -> R<String> {
        s.to_json().map_err(err)
    }

    #[rhai_fn(get = "name", pure)]
    pub fn name(s: &mut Scenario) -> String {
        s.name.clone()
    }

    /// The operations, each described in one line.
    #[rhai_fn(get = "operations", pure)]
    pub fn operations(s: &mut Scenario) -> Array {
        s.operations.iter().map(|o| Dynamic::from(o.describe())).collect()
    }

    #[rhai_fn(name = "len", pure)]
    pub fn len(s: &mut Scenario) -> i64 {
        s.operations.len() as i64
    }

    #[rhai_fn(name = "to_string", pure)]
    pub fn to_string(s: &mut Scenario) -> String {
        let mut out = format!("scenario {:?}", s.name);
        for (i, o) in s.operations.iter().enumerate() {
            out.push_str(&format!("\n  {}. {}", i + 1, o.describe()));
        }
        out
    }

    #[rhai_fn(name = "to_debug", pure)]
    pub fn to_debug(s: &mut Scenario) -> String {
        to_string(s)
    }
}
