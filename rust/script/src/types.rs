//! The values scripts hold: ledgers, result tables and scenarios, and how tables print.

use powerbalance_core::table::arrow::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
use powerbalance_core::{Ledger, Table};
use rhai::{Array as RArray, Dynamic, EvalAltResult, Map};
use std::sync::Arc;

/// A ledger as scripts hold it (shared, immutable: operations give new ledgers).
#[derive(Clone)]
pub struct LedgerRef(pub Arc<Ledger>);

/// A result table as scripts hold it.
#[derive(Clone)]
pub struct TableRef(pub Arc<Table>);

impl From<Table> for TableRef {
    fn from(t: Table) -> Self {
        TableRef(Arc::new(t))
    }
}

pub(crate) fn err(msg: impl std::fmt::Display) -> Box<EvalAltResult> {
    msg.to_string().into()
}

pub(crate) type R<T> = Result<T, Box<EvalAltResult>>;

/// One cell as a script value (`()` for a null or a type scripts do not have).
pub fn cell(a: &ArrayRef, r: usize) -> Dynamic {
    if a.is_null(r) {
        return Dynamic::UNIT;
    }
    let any = a.as_any();
    if let Some(x) = any.downcast_ref::<Int64Array>() {
        return Dynamic::from_int(x.value(r));
    }
    if let Some(x) = any.downcast_ref::<Float64Array>() {
        return Dynamic::from_float(x.value(r));
    }
    if let Some(x) = any.downcast_ref::<StringArray>() {
        return x.value(r).into();
    }
    if let Some(x) = any.downcast_ref::<BooleanArray>() {
        return Dynamic::from_bool(x.value(r));
    }
    Dynamic::UNIT
}

impl TableRef {
    pub fn rows(&self) -> usize {
        self.0.num_rows()
    }

    /// Row `i` (negative counts from the end) as a map.
    pub fn row(&self, i: i64) -> R<Map> {
        let n = self.rows() as i64;
        let k = if i < 0 { i + n } else { i };
        if k < 0 || k >= n {
            return Err(err(format!("row {i} is out of range for a table of {n} rows")));
        }
        let t = &self.0;
        let mut m = Map::new();
        for (c, name) in t.column_names().iter().enumerate() {
            m.insert(name.as_str().into(), cell(t.batch.column(c), k as usize));
        }
        Ok(m)
    }

    /// Column `name` as an array.
    pub fn column(&self, name: &str) -> R<RArray> {
        let c = self.0.column(name).map_err(err)?;
        Ok((0..self.rows()).map(|r| cell(c, r)).collect())
    }

    /// Every row as a map.
    pub fn to_array(&self) -> RArray {
        (0..self.rows() as i64).filter_map(|i| self.row(i).ok()).map(Dynamic::from_map).collect()
    }

    /// Column name -> array of values.
    pub fn to_map(&self) -> Map {
        let mut m = Map::new();
        for name in self.0.column_names() {
            if let Ok(a) = self.column(&name) {
                m.insert(name.as_str().into(), Dynamic::from_array(a));
            }
        }
        m
    }
}

impl IntoIterator for TableRef {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;
    fn into_iter(self) -> Self::IntoIter {
        self.to_array().into_iter()
    }
}

/// The table as aligned text, at most `max_rows` rows: the core's one formatter
/// ([`powerbalance_core::format`]), so a table prints in Rhai as it does in Python (shares as %,
/// share differences as pp, TIV and counts with thousands separators).
pub fn table_text(t: &TableRef, max_rows: usize) -> String {
    t.0.to_text(Some(max_rows))
}
