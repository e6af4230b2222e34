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

const TIV_COLUMNS: [&str; 8] =
    ["tiv", "tiv_compare", "exports", "imports", "net_exports", "world", "supplier_exports", "recipient_imports"];

fn is_share(name: &str) -> bool {
    let base = name.trim_end_matches("_baseline").trim_end_matches("_scenario").trim_end_matches("_diff");
    base == "share" || base.ends_with("_share") || base.starts_with("share_")
}

fn is_tiv(name: &str) -> bool {
    let base = name.trim_end_matches("_baseline").trim_end_matches("_scenario").trim_end_matches("_diff");
    TIV_COLUMNS.contains(&base)
}

fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0.0 && out.chars().any(|c| c != '0' && c != ',') {
        out.insert(0, '-');
    }
    out
}

/// One value formatted as the Python tables print it: shares in per cent with one decimal,
/// TIV with none, `change_pct` signed, other floats with four significant digits.
pub fn format_cell(column: &str, v: &Dynamic) -> String {
    if v.is_unit() {
        return String::new();
    }
    if let Ok(f) = v.as_float() {
        if f.is_nan() {
            return "NaN".into();
        }
        if is_share(column) {
            return format!("{:.1}%", 100.0 * f);
        }
        if is_tiv(column) {
            return thousands(f);
        }
        if column == "change_pct" {
            return format!("{f:+.1}%");
        }
        return general(f);
    }
    if let Ok(b) = v.as_bool() {
        return if b { "yes" } else { "no" }.into();
    }
    v.to_string()
}

fn general(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    let mag = f.abs().log10().floor() as i32;
    if !(-4..6).contains(&mag) {
        return format!("{f:.3e}");
    }
    let decimals = (3 - mag).max(0) as usize;
    let s = format!("{f:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The table as aligned text, at most `max_rows` rows.
pub fn table_text(t: &TableRef, max_rows: usize) -> String {
    let names = t.0.column_names();
    let n = t.rows();
    let numeric: Vec<bool> = t
        .0
        .batch
        .columns()
        .iter()
        .map(|c| c.as_any().is::<Int64Array>() || c.as_any().is::<Float64Array>())
        .collect();
    let rows: Vec<Vec<String>> = (0..n.min(max_rows))
        .map(|r| names.iter().enumerate().map(|(c, name)| format_cell(name, &cell(t.0.batch.column(c), r))).collect())
        .collect();
    let widths: Vec<usize> =
        names.iter().enumerate().map(|(j, h)| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0).max(h.len())).collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(j, c)| if numeric[j] { format!("{c:>w$}", w = widths[j]) } else { format!("{c:<w$}", w = widths[j]) })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(&names)];
    out.extend(rows.iter().map(|r| line(r)));
    if n > max_rows {
        out.push(format!("... {} more rows", n - max_rows));
    }
    out.join("\n")
}
