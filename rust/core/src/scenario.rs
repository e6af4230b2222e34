//! What-if scenarios: a baseline reference plus a list of operations that transform a
//! [`Ledger`] into a new ledger.
//!
//! Metrics never know whether they run on a baseline or a what-if: [`Scenario::apply`] gives a
//! new ledger, and any metric runs on it. [`compare`] puts a metric's table on the baseline
//! beside the same table on the scenario, with the differences.
//!
//! World totals move only by what an operation says:
//!
//! | operation | change of the world total |
//! |---|---|
//! | [`Operation::Embargo`] | minus exactly the embargoed TIV |
//! | [`Operation::Redirect`] | none (the TIV changes supplier) |
//! | [`Operation::ScaleExports`] | `(factor - 1)` times the supplier's TIV in the period |
//!
//! A scenario serializes to and from JSON (serde), so a what-if can be saved, shared and
//! re-applied from Python, Rhai or the command line. Actors are stored by name and resolved when
//! the scenario is applied, so a scenario is not tied to one registry.
//!
//! ```
//! use powerbalance_core::scenario::{Operation, Scenario};
//! let mut s = Scenario::new("China stops buying Russian arms");
//! s.push(Operation::embargo_dyad("Russia", "China", Some((2016, 2020))));
//! let json = s.to_json().unwrap();
//! assert_eq!(Scenario::from_json(&json).unwrap(), s);
//! ```

use crate::actors::ActorId;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, NO_DEAL};
use crate::period::Period;
use crate::table::arrow::{Array, DataType, Float64Array, Int64Array, StringArray};
use crate::table::{Table, TableBuilder};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One transformation of a ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Operation {
    /// Remove every delivery from `supplier` to `recipient` in `period`. Leave `recipient` out
    /// to embargo the supplier (all its exports), or `supplier` out to embargo the recipient
    /// (all its imports); at least one must be given. `period` out: every year.
    Embargo {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        supplier: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recipient: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        period: Option<Period>,
    },
    /// Move the recipient's imports from `from` in `period` to other suppliers: to `to` when it
    /// is given, otherwise to the recipient's other suppliers in proportion to their shares of
    /// its imports (from suppliers other than `from`) over the same period. Conserves TIV.
    Redirect {
        recipient: String,
        from: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        period: Option<Period>,
    },
    /// Multiply the supplier's deliveries in `period` by `factor` (finite, 0 or more).
    ScaleExports {
        supplier: String,
        factor: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        period: Option<Period>,
    },
}

fn period_of(p: Option<(i32, i32)>) -> Option<Period> {
    p.map(|(start, end)| Period { start, end })
}

impl Operation {
    /// Embargo the dyad `supplier -> recipient` (over `period`, or every year).
    pub fn embargo_dyad(supplier: &str, recipient: &str, period: Option<(i32, i32)>) -> Self {
        Operation::Embargo { supplier: Some(supplier.into()), recipient: Some(recipient.into()), period: period_of(period) }
    }

    /// Embargo every export of `supplier`.
    pub fn embargo_supplier(supplier: &str, period: Option<(i32, i32)>) -> Self {
        Operation::Embargo { supplier: Some(supplier.into()), recipient: None, period: period_of(period) }
    }

    /// Redirect the recipient's imports from `from` (to `to`, or proportionally when `None`).
    pub fn redirect(recipient: &str, from: &str, to: Option<&str>, period: Option<(i32, i32)>) -> Self {
        Operation::Redirect { recipient: recipient.into(), from: from.into(), to: to.map(Into::into), period: period_of(period) }
    }

    /// Scale the supplier's exports by `factor`.
    pub fn scale_exports(supplier: &str, factor: f64, period: Option<(i32, i32)>) -> Self {
        Operation::ScaleExports { supplier: supplier.into(), factor, period: period_of(period) }
    }

    /// A one-line description, e.g. `embargo Russia -> China, 2016-2020`.
    pub fn describe(&self) -> String {
        let per = |p: &Option<Period>| p.map(|p| format!(", {p}")).unwrap_or_else(|| ", all years".into());
        match self {
            Operation::Embargo { supplier, recipient, period } => format!(
                "embargo {} -> {}{}",
                supplier.as_deref().unwrap_or("any supplier"),
                recipient.as_deref().unwrap_or("any recipient"),
                per(period)
            ),
            Operation::Redirect { recipient, from, to, period } => format!(
                "redirect {recipient}'s imports from {from} to {}{}",
                to.as_deref().unwrap_or("its other suppliers (pro rata)"),
                per(period)
            ),
            Operation::ScaleExports { supplier, factor, period } => {
                format!("scale {supplier}'s exports by {factor}{}", per(period))
            }
        }
    }

    fn check(&self) -> Result<()> {
        let p = match self {
            Operation::Embargo { supplier: None, recipient: None, .. } => {
                return Err(Error::invalid("an embargo needs a supplier, a recipient or both"))
            }
            Operation::Embargo { period, .. } | Operation::Redirect { period, .. } => period,
            Operation::ScaleExports { factor, period, .. } => {
                if !factor.is_finite() || *factor < 0.0 {
                    return Err(Error::invalid(format!("a scale factor must be finite and 0 or more, not {factor}")));
                }
                period
            }
        };
        if let Some(p) = p {
            Period::new(p.start, p.end)?;
        }
        Ok(())
    }
}

/// What one operation did to the world total.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Effect {
    /// TIV taken out of the ledger.
    pub removed: f64,
    /// TIV put into the ledger.
    pub added: f64,
    /// TIV moved from one supplier to another (conserved).
    pub moved: f64,
    /// Ledger entries the operation touched.
    pub entries: usize,
}

/// A what-if: a baseline reference and the operations applied to it, in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short title ("China stops buying Russian arms").
    #[serde(default)]
    pub name: String,
    /// What the scenario starts from: a data path or dataset name, for the record (the caller
    /// supplies the baseline ledger to [`Scenario::apply`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(default)]
    pub operations: Vec<Operation>,
}

fn in_period(p: &Option<Period>, y: i32) -> bool {
    p.map_or(true, |p| p.contains(y))
}

impl Scenario {
    pub fn new(name: &str) -> Self {
        Scenario { name: name.into(), baseline: None, operations: Vec::new() }
    }

    /// Add an operation at the end.
    pub fn push(&mut self, op: Operation) {
        self.operations.push(op);
    }

    /// The scenario as pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::invalid(format!("cannot write the scenario as JSON: {e}")))
    }

    /// A scenario from JSON (as [`Scenario::to_json`] writes it); every operation is checked.
    pub fn from_json(text: &str) -> Result<Self> {
        let s: Scenario = serde_json::from_str(text).map_err(|e| {
            Error::invalid(format!("not a scenario: line {}, column {}: {e}", e.line(), e.column()))
        })?;
        for op in &s.operations {
            op.check()?;
        }
        Ok(s)
    }

    /// The scenario applied to `base`: a new ledger (the baseline is unchanged). The new ledger
    /// has the baseline's entries and deal detail, but no load report (it was not read from a
    /// file).
    pub fn apply(&self, base: &Ledger) -> Result<Ledger> {
        self.apply_traced(base).map(|(l, _)| l)
    }

    /// As [`Scenario::apply`], with what each operation did to the world total.
    pub fn apply_traced(&self, base: &Ledger) -> Result<(Ledger, Vec<Effect>)> {
        // a what-if is a new model, not a file read: it carries no load report (cloning one
        // per what-if would cost more than the what-if itself)
        let mut l = Ledger {
            registry: base.registry.clone(),
            supplier: base.supplier.clone(),
            recipient: base.recipient.clone(),
            year: base.year.clone(),
            tiv: base.tiv.clone(),
            deal: base.deal.clone(),
            deals: base.deals.clone(),
            coverage: base.coverage,
            annual_estimated: base.annual_estimated,
            report: crate::ledger::LoadReport::default(),
        };
        let mut effects = Vec::with_capacity(self.operations.len());
        for op in &self.operations {
            op.check()?;
            effects.push(apply_op(&mut l, op)?);
        }
        Ok((l, effects))
    }

    /// The operations as a table: `step, operation, removed, added, moved, entries`, with what
    /// each did when applied to `base`.
    pub fn effects(&self, base: &Ledger) -> Result<Table> {
        let (_, eff) = self.apply_traced(base)?;
        TableBuilder::new()
            .i64("step", (1..=eff.len() as i64).collect())
            .str("operation", self.operations.iter().map(|o| o.describe()).collect())
            .f64("removed", eff.iter().map(|e| e.removed).collect())
            .f64("added", eff.iter().map(|e| e.added).collect())
            .f64("moved", eff.iter().map(|e| e.moved).collect())
            .i64("entries", eff.iter().map(|e| e.entries as i64).collect())
            .build()
    }
}

fn resolve_opt(l: &Ledger, name: &Option<String>) -> Result<Option<ActorId>> {
    name.as_deref().map(|n| l.resolve(n)).transpose()
}

/// Keep the entries for which `keep(i)` holds.
fn retain(l: &mut Ledger, keep: impl Fn(usize) -> bool) {
    let idx: Vec<usize> = (0..l.len()).filter(|&i| keep(i)).collect();
    l.supplier = idx.iter().map(|&i| l.supplier[i]).collect();
    l.recipient = idx.iter().map(|&i| l.recipient[i]).collect();
    l.year = idx.iter().map(|&i| l.year[i]).collect();
    l.tiv = idx.iter().map(|&i| l.tiv[i]).collect();
    l.deal = idx.iter().map(|&i| l.deal[i]).collect();
}

fn apply_op(l: &mut Ledger, op: &Operation) -> Result<Effect> {
    let mut eff = Effect::default();
    match op {
        Operation::Embargo { supplier, recipient, period } => {
            let totals_ok = match (supplier.is_some(), recipient.is_some(), l.coverage) {
                (true, false, crate::Coverage::ExportTotals) | (false, true, crate::Coverage::ImportTotals) => true,
                _ => false,
            };
            if !totals_ok {
                l.require_dyadic("an embargo")?;
            }
            let s = resolve_opt(l, supplier)?;
            let r = resolve_opt(l, recipient)?;
            let hit = |l: &Ledger, i: usize| {
                s.map_or(true, |s| l.supplier[i] == s) && r.map_or(true, |r| l.recipient[i] == r) && in_period(period, l.year[i])
            };
            for i in 0..l.len() {
                if hit(l, i) {
                    eff.removed += l.tiv[i];
                    eff.entries += 1;
                }
            }
            let snapshot: Vec<bool> = (0..l.len()).map(|i| !hit(l, i)).collect();
            retain(l, |i| snapshot[i]);
        }
        Operation::Redirect { recipient, from, to, period } => {
            l.require_dyadic("a redirect")?;
            let r = l.resolve(recipient)?;
            let f = l.resolve(from)?;
            let to = resolve_opt(l, to)?;
            if to == Some(f) {
                return Err(Error::invalid(format!("a redirect from {from} to itself changes nothing")));
            }
            let moving = |l: &Ledger, i: usize| l.recipient[i] == r && l.supplier[i] == f && in_period(period, l.year[i]);
            match to {
                Some(t) => {
                    for i in 0..l.len() {
                        if moving(l, i) {
                            l.supplier[i] = t;
                            l.deal[i] = NO_DEAL;
                            eff.moved += l.tiv[i];
                            eff.entries += 1;
                        }
                    }
                }
                None => {
                    // shares of the other suppliers over the same period
                    let mut other: HashMap<ActorId, f64> = HashMap::new();
                    for i in 0..l.len() {
                        if l.recipient[i] == r && l.supplier[i] != f && in_period(period, l.year[i]) {
                            *other.entry(l.supplier[i]).or_insert(0.0) += l.tiv[i];
                        }
                    }
                    let total: f64 = other.values().sum();
                    let mut others: Vec<(ActorId, f64)> = other.into_iter().filter(|(_, t)| *t > 0.0).collect();
                    others.sort_by_key(|(a, _)| *a);
                    let moving_idx: Vec<usize> = (0..l.len()).filter(|&i| moving(l, i)).collect();
                    if moving_idx.is_empty() {
                        return Ok(eff);
                    }
                    if total <= 0.0 || others.is_empty() {
                        return Err(Error::invalid(format!(
                            "cannot redirect {}'s imports from {} in proportion to its other suppliers: it has none in {}; name a supplier to redirect to",
                            l.registry.name(r),
                            l.registry.name(f),
                            period.map(|p| p.to_string()).unwrap_or_else(|| "any year".into())
                        )));
                    }
                    let mut keep = vec![true; l.len()];
                    let mut add: Vec<(ActorId, i32, f64)> = Vec::new();
                    for &i in &moving_idx {
                        keep[i] = false;
                        eff.moved += l.tiv[i];
                        eff.entries += 1;
                        let v = l.tiv[i];
                        let mut given = 0.0;
                        for (k, (a, t)) in others.iter().enumerate() {
                            // the last share takes the remainder, so the split sums to v exactly
                            let part = if k + 1 == others.len() { v - given } else { v * t / total };
                            given += part;
                            add.push((*a, l.year[i], part));
                        }
                    }
                    retain(l, |i| keep[i]);
                    for (a, y, t) in add {
                        l.push(a, r, y, t, NO_DEAL);
                    }
                }
            }
        }
        Operation::ScaleExports { supplier, factor, period } => {
            if l.coverage == crate::Coverage::ImportTotals {
                l.require_dyadic("scaling a supplier's exports")?;
            }
            let s = l.resolve(supplier)?;
            for i in 0..l.len() {
                if l.supplier[i] == s && in_period(period, l.year[i]) {
                    let old = l.tiv[i];
                    let new = old * factor;
                    l.tiv[i] = new;
                    if new < old {
                        eff.removed += old - new;
                    } else {
                        eff.added += new - old;
                    }
                    eff.entries += 1;
                }
            }
        }
    }
    Ok(eff)
}

// ---------------------------------------------------------------------------------------------
// compare

enum Key {
    Str(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
}

fn key_columns(t: &Table, keys: &[String]) -> Result<Vec<Key>> {
    keys.iter()
        .map(|k| {
            let c = t.column(k)?;
            Ok(match c.data_type() {
                DataType::Utf8 => Key::Str(t.strings(k)?),
                DataType::Int64 => Key::Int(t.i64s(k)?),
                other => return Err(Error::invalid(format!("cannot join on column {k:?} of type {other}"))),
            })
        })
        .collect()
}

fn row_key(cols: &[Key], r: usize) -> String {
    cols.iter()
        .map(|c| match c {
            Key::Str(v) => v[r].clone().unwrap_or_default(),
            Key::Int(v) => v[r].map(|x| x.to_string()).unwrap_or_default(),
        })
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

fn numeric(t: &Table, name: &str) -> Option<Vec<Option<f64>>> {
    let c = t.column(name).ok()?;
    if let Some(a) = c.as_any().downcast_ref::<Float64Array>() {
        return Some(a.iter().collect());
    }
    if let Some(a) = c.as_any().downcast_ref::<Int64Array>() {
        return Some(a.iter().map(|x| x.map(|v| v as f64)).collect());
    }
    None
}

/// The default join keys of a metric table: its first text column, else `year`.
pub fn default_keys(t: &Table) -> Vec<String> {
    let schema = t.batch.schema();
    if let Some(f) = schema.fields().iter().find(|f| f.data_type() == &DataType::Utf8) {
        return vec![f.name().clone()];
    }
    if schema.fields().iter().any(|f| f.name() == "year") {
        return vec!["year".into()];
    }
    Vec::new()
}

/// A metric table on the baseline beside the same table on a scenario, with the differences.
///
/// Rows are matched on `keys` (default: [`default_keys`]; no keys: by row number), a full
/// outer join in the baseline's order, then rows only the scenario has. Every numeric column
/// `v` but the keys and `rank` gives `v_baseline`, `v_scenario` and `v_diff` (scenario minus
/// baseline; a missing side counts as 0 in the difference, and stays null in its own column).
/// Other columns are dropped.
pub fn compare_tables(base: &Table, scen: &Table, keys: Option<&[String]>) -> Result<Table> {
    let keys: Vec<String> = keys.map(|k| k.to_vec()).unwrap_or_else(|| default_keys(base));
    let bk = key_columns(base, &keys)?;
    let sk = key_columns(scen, &keys)?;
    let by_row = keys.is_empty();
    let bkey: Vec<String> = (0..base.num_rows()).map(|r| if by_row { r.to_string() } else { row_key(&bk, r) }).collect();
    let skey: Vec<String> = (0..scen.num_rows()).map(|r| if by_row { r.to_string() } else { row_key(&sk, r) }).collect();
    let spos: HashMap<&str, usize> = skey.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let bpos: HashMap<&str, usize> = bkey.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    // (baseline row, scenario row)
    let mut rows: Vec<(Option<usize>, Option<usize>)> = bkey.iter().enumerate().map(|(i, k)| (Some(i), spos.get(k.as_str()).copied())).collect();
    rows.extend(skey.iter().enumerate().filter(|(_, k)| !bpos.contains_key(k.as_str())).map(|(j, _)| (None, Some(j))));

    let mut b = TableBuilder::new();
    for (k, name) in keys.iter().enumerate() {
        match (&bk[k], &sk[k]) {
            (Key::Str(bv), Key::Str(sv)) => {
                b = b.str_opt(name, rows.iter().map(|(i, j)| i.map(|i| bv[i].clone()).unwrap_or_else(|| j.and_then(|j| sv[j].clone()))).collect());
            }
            (Key::Int(bv), Key::Int(sv)) => {
                b = b.i64_opt(name, rows.iter().map(|(i, j)| i.map(|i| bv[i]).unwrap_or_else(|| j.and_then(|j| sv[j]))).collect());
            }
            _ => return Err(Error::invalid(format!("column {name:?} has different types in the two tables"))),
        }
    }
    if by_row {
        b = b.i64("row", (0..rows.len() as i64).collect());
    }
    for name in base.column_names() {
        if keys.contains(&name) || name == "rank" {
            continue;
        }
        let (Some(bv), Some(sv)) = (numeric(base, &name), numeric(scen, &name)) else { continue };
        let left: Vec<Option<f64>> = rows.iter().map(|(i, _)| i.and_then(|i| bv[i])).collect();
        let right: Vec<Option<f64>> = rows.iter().map(|(_, j)| j.and_then(|j| sv[j])).collect();
        let diff: Vec<Option<f64>> = left
            .iter()
            .zip(&right)
            .map(|(a, c)| if a.is_none() && c.is_none() { None } else { Some(c.unwrap_or(0.0) - a.unwrap_or(0.0)) })
            .collect();
        b = b.f64_opt(&format!("{name}_baseline"), left).f64_opt(&format!("{name}_scenario"), right).f64_opt(&format!("{name}_diff"), diff);
    }
    b.build()
}

/// Run `metric` on the baseline and on the scenario applied to it, and compare the two tables
/// ([`compare_tables`] with the default keys).
pub fn compare(base: &Ledger, scenario: &Scenario, metric: impl Fn(&Ledger) -> Result<Table>) -> Result<Table> {
    let what_if = scenario.apply(base)?;
    compare_tables(&metric(base)?, &metric(&what_if)?, None)
}

/// A string column of a table, for tests and callers that want one.
pub fn string_column(t: &Table, name: &str) -> Result<Vec<String>> {
    let c = t.column(name)?;
    let a = c.as_any().downcast_ref::<StringArray>().ok_or_else(|| Error::invalid(format!("column {name:?} is not text")))?;
    Ok(a.iter().map(|s| s.unwrap_or_default().to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorRegistry;
    use crate::metrics::transfers as tm;
    use crate::Coverage;
    use proptest::prelude::*;
    use std::sync::Arc;

    const NAMES: [&str; 5] = ["Russia", "China", "India", "France", "United States"];

    fn ledger(rows: &[(usize, usize, i32, f64)]) -> Ledger {
        let reg = Arc::new(ActorRegistry::builtin());
        let ids: Vec<ActorId> = NAMES.iter().map(|n| reg.resolve(n).unwrap()).collect();
        let mut l = Ledger::empty(reg, Coverage::Dyadic);
        for &(s, r, y, t) in rows {
            l.push(ids[s], ids[r], y, t, NO_DEAL);
        }
        l
    }

    fn all() -> Period {
        Period { start: 1, end: 9999 }
    }

    #[test]
    fn embargo_removes_exactly_the_dyad() {
        let l = ledger(&[(0, 1, 2016, 10.0), (0, 1, 2021, 5.0), (0, 2, 2016, 7.0), (3, 1, 2017, 2.0)]);
        let mut s = Scenario::new("t");
        s.push(Operation::embargo_dyad("Russia", "China", Some((2016, 2020))));
        let (w, eff) = s.apply_traced(&l).unwrap();
        assert_eq!(w.len(), 3);
        assert_eq!(eff[0].removed, 10.0);
        assert_eq!(w.total(all()), l.total(all()) - 10.0);
        assert_eq!(l.len(), 4, "the baseline is unchanged");
    }

    #[test]
    fn redirect_pro_rata_and_named() {
        // China buys 10 from Russia, 3 from France, 1 from the US in 2016-2020
        let l = ledger(&[(0, 1, 2016, 10.0), (3, 1, 2017, 3.0), (4, 1, 2018, 1.0), (0, 2, 2016, 4.0)]);
        let mut s = Scenario::new("t");
        s.push(Operation::redirect("China", "Russia", None, Some((2016, 2020))));
        let w = s.apply(&l).unwrap();
        let china = w.resolve("China").unwrap();
        let t = tm::suppliers_of(&w, china, Period::new(2016, 2020).unwrap()).unwrap();
        assert_eq!(string_column(&t, "supplier").unwrap(), vec!["France", "United States"]);
        let tiv = t.f64s("tiv").unwrap();
        assert!((tiv[0].unwrap() - 10.5).abs() < 1e-12 && (tiv[1].unwrap() - 3.5).abs() < 1e-12);
        assert_eq!(w.total(all()), l.total(all()));

        let mut s = Scenario::new("t");
        s.push(Operation::redirect("China", "Russia", Some("India"), None));
        let w = s.apply(&l).unwrap();
        let t = tm::suppliers_of(&w, china, Period::new(2016, 2020).unwrap()).unwrap();
        assert_eq!(string_column(&t, "supplier").unwrap()[0], "India");
        // nowhere to go
        let l2 = ledger(&[(0, 1, 2016, 10.0)]);
        let mut s = Scenario::new("t");
        s.push(Operation::redirect("China", "Russia", None, None));
        assert!(s.apply(&l2).is_err());
    }

    #[test]
    fn scale_and_checks() {
        let l = ledger(&[(0, 1, 2016, 10.0), (0, 2, 2019, 4.0), (3, 1, 2017, 2.0)]);
        let mut s = Scenario::new("t");
        s.push(Operation::scale_exports("Russia", 0.5, None));
        let (w, eff) = s.apply_traced(&l).unwrap();
        assert_eq!(w.total(all()), 9.0);
        assert_eq!(eff[0].removed, 7.0);
        let mut bad = Scenario::new("t");
        bad.push(Operation::scale_exports("Russia", -1.0, None));
        assert!(bad.apply(&l).is_err());
        let mut bad = Scenario::new("t");
        bad.push(Operation::Embargo { supplier: None, recipient: None, period: None });
        assert!(bad.apply(&l).is_err());
        let mut bad = Scenario::new("t");
        bad.push(Operation::embargo_supplier("Atlantis", None));
        assert!(matches!(bad.apply(&l), Err(Error::UnknownActor { .. })));
    }

    #[test]
    fn json_round_trip_and_errors() {
        let mut s = Scenario::new("all ops");
        s.baseline = Some("sipri/tiv_tables_2022".into());
        s.push(Operation::embargo_dyad("Russia", "China", Some((2016, 2020))));
        s.push(Operation::embargo_supplier("France", None));
        s.push(Operation::redirect("India", "Russia", None, Some((2010, 2020))));
        s.push(Operation::redirect("India", "Russia", Some("France"), None));
        s.push(Operation::scale_exports("China", 2.0, Some((2000, 2005))));
        let j = s.to_json().unwrap();
        assert!(j.contains("\"op\": \"embargo\""), "{j}");
        assert_eq!(Scenario::from_json(&j).unwrap(), s);
        let e = Scenario::from_json(r#"{"operations": [{"op": "nuke"}]}"#).unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        assert!(Scenario::from_json(r#"{"operations": [{"op": "embargo", "period": {"start": 2020, "end": 2010}}]}"#).is_err());
    }

    #[test]
    fn compare_puts_both_sides_with_differences() {
        let l = ledger(&[(0, 1, 2016, 10.0), (0, 2, 2016, 7.0), (3, 1, 2017, 2.0)]);
        let mut s = Scenario::new("t");
        s.push(Operation::embargo_dyad("Russia", "China", None));
        let p = Period::new(2016, 2020).unwrap();
        let t = compare(&l, &s, |l| tm::by_supplier(l, p)).unwrap();
        assert_eq!(
            t.column_names(),
            vec!["supplier", "tiv_baseline", "tiv_scenario", "tiv_diff", "share_baseline", "share_scenario", "share_diff"]
        );
        assert_eq!(string_column(&t, "supplier").unwrap(), vec!["Russia", "France"]);
        assert_eq!(t.f64s("tiv_diff").unwrap(), vec![Some(-10.0), Some(0.0)]);
        // a row only one side has
        let t = compare(&l, &s, |l| tm::by_dyad(l, p)).unwrap();
        assert_eq!(t.num_rows(), 3);
        let t = compare(&l, &s, |l| tm::clients_of(l, l.resolve("Russia")?, p)).unwrap();
        assert_eq!(t.f64s("tiv_scenario").unwrap(), vec![None, Some(7.0)]);
        assert_eq!(t.f64s("tiv_diff").unwrap(), vec![Some(-10.0), Some(0.0)]);
    }

    fn arb_ledger() -> impl Strategy<Value = Vec<(usize, usize, i32, f64)>> {
        prop::collection::vec((0usize..5, 0usize..5, 2010i32..2022, 0.0f64..500.0), 0..60)
    }

    fn arb_op() -> impl Strategy<Value = Operation> {
        let name = (0usize..5).prop_map(|i| NAMES[i].to_string());
        let per = prop::option::of((2010i32..2022, 0i32..6).prop_map(|(s, n)| Period { start: s, end: s + n }));
        prop_oneof![
            (prop::option::of(name.clone()), prop::option::of(name.clone()), per.clone())
                .prop_filter("needs a side", |(s, r, _)| s.is_some() || r.is_some())
                .prop_map(|(supplier, recipient, period)| Operation::Embargo { supplier, recipient, period }),
            (name.clone(), name.clone(), prop::option::of(name.clone()), per.clone())
                .prop_filter("not to itself", |(_, f, t, _)| t.as_ref() != Some(f))
                .prop_map(|(recipient, from, to, period)| Operation::Redirect { recipient, from, to, period }),
            (name, 0.0f64..3.0, per).prop_map(|(supplier, factor, period)| Operation::ScaleExports { supplier, factor, period }),
        ]
    }

    /// The TIV an operation should remove and add, computed directly from the ledger before it.
    fn expected(l: &Ledger, op: &Operation) -> (f64, f64) {
        let hit = |i: usize, s: &Option<String>, r: &Option<String>, p: &Option<Period>| {
            s.as_ref().map_or(true, |s| l.registry.name(l.supplier[i]) == s)
                && r.as_ref().map_or(true, |r| l.registry.name(l.recipient[i]) == r)
                && in_period(p, l.year[i])
        };
        match op {
            Operation::Embargo { supplier, recipient, period } => {
                ((0..l.len()).filter(|&i| hit(i, supplier, recipient, period)).map(|i| l.tiv[i]).sum(), 0.0)
            }
            Operation::Redirect { .. } => (0.0, 0.0),
            Operation::ScaleExports { supplier, factor, period } => {
                let x: f64 = (0..l.len()).filter(|&i| hit(i, &Some(supplier.clone()), &None, period)).map(|i| l.tiv[i]).sum();
                if *factor < 1.0 {
                    (x * (1.0 - factor), 0.0)
                } else {
                    (0.0, x * (factor - 1.0))
                }
            }
        }
    }

    proptest! {
        /// World totals move only by what an operation says, in every year.
        #[test]
        fn world_totals_move_only_by_what_operations_say(rows in arb_ledger(), ops in prop::collection::vec(arb_op(), 1..6)) {
            let mut l = ledger(&rows);
            for op in ops {
                let (rm, add) = expected(&l, &op);
                let before = l.total(all());
                let mut s = Scenario::new("p");
                s.push(op.clone());
                match s.apply_traced(&l) {
                    Ok((w, eff)) => {
                        let tol = 1e-9 * (1.0 + before.abs());
                        prop_assert!((w.total(all()) - (before - rm + add)).abs() < tol, "{}: {} vs {}", op.describe(), w.total(all()), before - rm + add);
                        prop_assert!((eff[0].removed - rm).abs() < tol && (eff[0].added - add).abs() < tol);
                        if let Operation::Redirect { recipient, .. } = &op {
                            // conserved year by year, and the recipient's imports unchanged
                            for y in 2010..2022 {
                                prop_assert!((w.total(Period::year(y)) - l.total(Period::year(y))).abs() < tol);
                            }
                            let r = l.resolve(recipient).unwrap();
                            let imp = |l: &Ledger| (0..l.len()).filter(|&i| l.recipient[i] == r).map(|i| l.tiv[i]).sum::<f64>();
                            prop_assert!((imp(&w) - imp(&l)).abs() < tol);
                        }
                        l = w;
                    }
                    Err(e) => {
                        // only a pro-rata redirect with nowhere to go may fail
                        let redirect_pro_rata = matches!(&op, Operation::Redirect { to: None, .. });
                        prop_assert!(redirect_pro_rata, "{}: {}", op.describe(), e);
                    }
                }
            }
        }
    }
}
