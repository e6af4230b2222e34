//! Result tables: indexable (`t[0]` a row map, `t["tiv"]` a column array), iterable
//! (`for row in t`), printable through the core's formatter, with Python's `Table` methods
//! (`select`, `filter`, `sort_by`, `head`, `row`, `column`) and a few script conveniences
//! (`lookup`, `find`, `sum`).

use crate::types::*;
use arrow_array::{BooleanArray, RecordBatch, UInt32Array};
use arrow_schema::ArrowError;
use arrow_select::filter::filter_record_batch;
use arrow_select::take::take_record_batch;
use powerbalance_core::scenario as sc;
use powerbalance_core::Table as CoreTable;
use rhai::plugin::*;
use rhai::{Array, Dynamic, FnPtr, Map, NativeCallContext};
use std::cmp::Ordering;

fn with_batch(b: Result<RecordBatch, ArrowError>) -> R<TableRef> {
    b.map(|batch| TableRef::from(CoreTable { batch })).map_err(err)
}

/// The rows where `keep` is true.
fn keep_rows(t: &TableRef, keep: Vec<bool>) -> R<TableRef> {
    with_batch(filter_record_batch(&t.0.batch, &BooleanArray::from(keep)))
}

/// Cells in a total order: nulls last, numbers by value, text by code point.
fn cmp_cells(a: &Dynamic, b: &Dynamic) -> Ordering {
    let n = |d: &Dynamic| d.as_float().ok().or_else(|| d.as_int().ok().map(|i| i as f64));
    match (a.is_unit(), b.is_unit()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => match (n(a), n(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => a.to_string().cmp(&b.to_string()),
        },
    }
}

/// The short forms of the table's functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use table_api::*;
    short_forms! { module;
        /// The rows ordered by `column` (nulls last), ascending.
        fn sort_by(t: &mut Table, column: &str) -> Table = sort_by_opts(t, column, Map::new());
    }
}

#[export_module]
pub mod table_api {
    use super::*;

    /// Number of rows.
    #[rhai_fn(name = "len", pure)]
    pub fn len(t: &mut Table) -> i64 {
        t.rows() as i64
    }

    /// Number of rows.
    #[rhai_fn(get = "num_rows", pure)]
    pub fn num_rows(t: &mut Table) -> i64 {
        t.rows() as i64
    }

    /// Number of columns.
    #[rhai_fn(get = "num_columns", pure)]
    pub fn num_columns(t: &mut Table) -> i64 {
        t.0.num_columns() as i64
    }

    /// Column names.
    #[rhai_fn(get = "columns", pure)]
    pub fn columns(t: &mut Table) -> Array {
        t.0.column_names().into_iter().map(Dynamic::from).collect()
    }

    /// Column names (as `columns`).
    #[rhai_fn(get = "column_names", pure)]
    pub fn column_names(t: &mut Table) -> Array {
        columns(t)
    }

    /// Row `i` (negative counts from the end) as a map.
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn index_row(t: &mut Table, i: i64) -> R<Map> {
        t.row(i)
    }

    /// Column `name` as an array.
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn index_column(t: &mut Table, name: &str) -> R<Array> {
        t.column(name)
    }

    /// Row `i` (negative counts from the end) as a map.
    #[rhai_fn(return_raw, pure)]
    pub fn row(t: &mut Table, i: i64) -> R<Map> {
        t.row(i)
    }

    /// Column `name` as an array.
    #[rhai_fn(return_raw, pure)]
    pub fn column(t: &mut Table, name: &str) -> R<Array> {
        t.column(name)
    }

    /// Every row as a map (Python: `to_pylist`).
    #[rhai_fn(pure)]
    pub fn to_array(t: &mut Table) -> Array {
        t.to_array()
    }

    /// Column name -> array of values (Python: `to_pydict`).
    #[rhai_fn(pure)]
    pub fn to_map(t: &mut Table) -> Map {
        t.to_map()
    }

    /// A table with only `columns`, in that order.
    #[rhai_fn(return_raw, pure)]
    pub fn select(t: &mut Table, columns: Array) -> R<Table> {
        let names = t.0.column_names();
        let idx = columns
            .iter()
            .map(|c| {
                let c = c.to_string();
                names
                    .iter()
                    .position(|n| *n == c)
                    .ok_or_else(|| err(format!("no column {c:?}; the columns are {}", names.join(", "))))
            })
            .collect::<R<Vec<usize>>>()?;
        with_batch(t.0.batch.project(&idx))
    }

    /// The rows where every `column: value` of `equals` holds (`t.filter(#{year: 2016})`).
    #[rhai_fn(name = "filter", return_raw, pure)]
    pub fn filter_equals(t: &mut Table, equals: Map) -> R<Table> {
        let cols = equals.iter().map(|(c, v)| Ok((t.column(c)?, v))).collect::<R<Vec<_>>>()?;
        let keep = (0..t.rows())
            .map(|i| cols.iter().all(|(col, v)| col[i].type_id() == v.type_id() && col[i].to_string() == v.to_string()))
            .collect();
        keep_rows(t, keep)
    }

    /// The rows for which `predicate(row)` is true (`t.filter(|r| r.tiv > 100.0)`).
    #[rhai_fn(name = "filter", return_raw, pure)]
    pub fn filter_fn(ctx: NativeCallContext, t: &mut Table, predicate: FnPtr) -> R<Table> {
        let mut keep = Vec::with_capacity(t.rows());
        for row in t.to_array() {
            let v: Dynamic = predicate.call_within_context(&ctx, (row,))?;
            keep.push(v.as_bool().map_err(|_| err("filter: the predicate must return true or false"))?);
        }
        keep_rows(t, keep)
    }

    /// The rows ordered by `column` with options `#{descending: true}` (nulls last).
    #[rhai_fn(name = "sort_by", return_raw, pure)]
    pub fn sort_by_opts(t: &mut Table, column: &str, options: Map) -> R<Table> {
        let descending = match crate::args::only(&options, "descending")? {
            Some(v) => v.as_bool().map_err(|_| err("descending must be true or false"))?,
            None => false,
        };
        let col = t.column(column)?;
        let mut idx: Vec<u32> = (0..col.len() as u32).collect();
        idx.sort_by(|&a, &b| {
            let (x, y) = (&col[a as usize], &col[b as usize]);
            match (descending, x.is_unit() || y.is_unit()) {
                (true, false) => cmp_cells(y, x),
                _ => cmp_cells(x, y),
            }
        });
        let idx = UInt32Array::from(idx);
        with_batch(take_record_batch(&t.0.batch, &idx))
    }

    /// The first `n` rows.
    #[rhai_fn(pure)]
    pub fn head(t: &mut Table, n: i64) -> Table {
        let n = n.clamp(0, t.rows() as i64) as usize;
        TableRef::from(CoreTable { batch: t.0.batch.slice(0, n) })
    }

    /// The first row whose `column` equals `value`, as a map; `()` when there is none.
    #[rhai_fn(return_raw, pure)]
    pub fn find(t: &mut Table, column: &str, value: Dynamic) -> R<Dynamic> {
        let c = t.column(column)?;
        let key = value.to_string();
        match c.iter().position(|v| v.type_id() == value.type_id() && v.to_string() == key) {
            Some(i) => t.row(i as i64).map(Dynamic::from_map),
            None => Ok(Dynamic::UNIT),
        }
    }

    /// The value of `column` in the first row where `key_column` equals `key` (`0.0` when no row
    /// matches, for sums and shares; `()` for a null cell).
    #[rhai_fn(return_raw, pure)]
    pub fn lookup(t: &mut Table, key_column: &str, key: Dynamic, column: &str) -> R<Dynamic> {
        match find(t, key_column, key)? {
            d if d.is_unit() => {
                t.column(column)?; // the column must exist
                Ok(Dynamic::from_float(0.0))
            }
            d => Ok(d.cast::<Map>().get(column).cloned().unwrap_or(Dynamic::UNIT)),
        }
    }

    /// Sum of a numeric column (nulls skipped).
    #[rhai_fn(return_raw, pure)]
    pub fn sum(t: &mut Table, column: &str) -> R<f64> {
        let mut s = 0.0;
        for v in t.column(column)? {
            match crate::args::num(&v, column) {
                Ok(x) => s += x.unwrap_or(0.0),
                Err(_) => return Err(err(format!("column {column:?} is not numeric"))),
            }
        }
        Ok(s)
    }

    /// The table as aligned text (shares in per cent, TIV rounded), every row up to 50.
    #[rhai_fn(name = "to_string", pure)]
    pub fn to_string(t: &mut Table) -> String {
        table_text(t, 50)
    }

    /// The table as aligned text, at most `max_rows` rows.
    #[rhai_fn(name = "to_string", pure)]
    pub fn to_string_rows(t: &mut Table, max_rows: i64) -> String {
        table_text(t, max_rows.max(0) as usize)
    }

    #[rhai_fn(name = "to_debug", pure)]
    pub fn to_debug(t: &mut Table) -> String {
        format!("<Table {} rows x {} columns>\n{}", t.rows(), t.0.num_columns(), table_text(t, 10))
    }

    /// Two tables side by side with the differences (`v_baseline, v_scenario, v_diff` for each
    /// numeric column), matched on the first text column (or `year`). Python:
    /// `compare_tables(baseline, scenario)`; `compare(baseline, scenario)` for short.
    #[rhai_fn(name = "compare_tables", name = "compare", return_raw)]
    pub fn compare_tables(baseline: Table, scenario: Table) -> R<Table> {
        table(sc::compare_tables(&baseline.0, &scenario.0, None))
    }

    /// As `compare_tables(baseline, scenario)`, matched on the named key columns.
    #[rhai_fn(name = "compare_tables", return_raw)]
    pub fn compare_tables_keys(baseline: Table, scenario: Table, keys: Array) -> R<Table> {
        let keys: Vec<String> = keys.into_iter().map(|k| k.to_string()).collect();
        table(sc::compare_tables(&baseline.0, &scenario.0, Some(&keys)))
    }
}
