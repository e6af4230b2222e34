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
//! | [`Operation::EmbargoCategory`] | minus exactly the embargoed category's TIV |
//! | [`Operation::Redirect`] | none (the TIV changes supplier) |
//! | [`Operation::ScaleExports`] | `(factor - 1)` times the supplier's TIV in the period |
//! | [`Operation::ScaleImports`] | `(factor - 1)` times the recipient's TIV in the period |
//! | capability and alliance operations | none (they act on other models) |
//!
//! The same scenario applies to capability and alliance models:
//! [`Scenario::apply_capabilities`] (COW NMC), [`Scenario::apply_milex`] (SIPRI military
//! expenditure) and [`Scenario::apply_alliances`] (COW or ATOP dyad-years) apply
//! [`Operation::ScaleCapabilities`], [`Operation::ScaleGrowth`], [`Operation::FormAlliance`] and
//! [`Operation::DissolveAlliance`], each giving a new model.
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

use crate::actors::{ActorId, ActorRegistry};
use crate::capabilities::{cinc_rows, Capabilities, Component, MissingRule};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, NO_DEAL};
use crate::milex::{Milex, MilexSeries};
use crate::period::Period;
use crate::relations::alliances::AllianceTypes;
use crate::relations::{AllianceType, Alliances, IdealPoints};
use crate::table::arrow::{Array, DataType, Float64Array, Int64Array, StringArray};
use crate::table::{Table, TableBuilder};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One transformation of a ledger.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Operation {
    /// Remove every delivery from `supplier` to `recipient` in `period`. Leave `recipient` out
    /// to embargo the supplier (all its exports), or `supplier` out to embargo the recipient
    /// (all its imports); at least one must be given. `period` out: every year.
    Embargo { supplier: Option<String>, recipient: Option<String>, period: Option<Period> },
    /// Remove the deliveries of one armament category (SIPRI's categories, any spelling
    /// [`crate::metrics::arms_views::category_name`] knows) from `supplier` to `recipient` in
    /// `period`; `supplier` or `recipient` (or both) out: any. Needs a register that carries the
    /// category (the new-format registers); other deliveries are untouched.
    EmbargoCategory { category: String, supplier: Option<String>, recipient: Option<String>, period: Option<Period> },
    /// Move the recipient's imports from `from` in `period` to other suppliers: to `to` when it
    /// is given, otherwise to the recipient's other suppliers in proportion to their shares of
    /// its imports (from suppliers other than `from`) over the same period. Conserves TIV.
    Redirect { recipient: String, from: String, to: Option<String>, period: Option<Period> },
    /// Multiply the supplier's deliveries in `period` by `factor` (finite, 0 or more).
    ScaleExports { supplier: String, factor: f64, period: Option<Period> },
    /// Multiply the recipient's imports (every delivery to it) in `period` by `factor` (finite, 0
    /// or more).
    ScaleImports { recipient: String, factor: f64, period: Option<Period> },
    /// Multiply an actor's capabilities by `factor` (finite, 0 or more) in every year from
    /// `from_year` (to `to_year`, or the end of the data). `measure`: a CINC component
    /// (`milex, milper, irst, pec, tpop, upop`), a SIPRI series (`constant, current, share_gdp`),
    /// or `cinc` / none for every CINC input (on SIPRI data: both dollar series). On NMC data the
    /// CINC of every state is recomputed from the components in the years touched.
    ScaleCapabilities { actor: String, factor: f64, measure: Option<String>, from_year: i32, to_year: Option<i32> },
    /// Multiply an actor's year-on-year growth rate of a measure by `factor` from `from_year`
    /// on, compounding: the value of `from_year` is kept, and each later year is
    /// `x'_t = x'_(t-1) (1 + factor g_t)` with `g_t = x_t / x_(t-1) - 1` the baseline growth
    /// (across a gap, from the last year with a value; never below 0). `measure` as for
    /// [`Operation::ScaleCapabilities`].
    ScaleGrowth { actor: String, factor: f64, measure: Option<String>, from_year: i32 },
    /// Add an alliance obligation of `alliance_type` (`defense, offense, neutrality,
    /// nonaggression, entente, consultation`; JSON key `type`) between `a` and `b` in `period`
    /// (default: every year of the alliance data; clipped to its span). On directed (ATOP) data
    /// both directions get it.
    FormAlliance {
        a: String,
        b: String,
        #[serde(rename = "type")]
        alliance_type: String,
        period: Option<Period>,
    },
    /// Remove the alliance obligations between `a` and `b` in `period` (both directions): the
    /// one of `alliance_type`, or every one when it is left out.
    DissolveAlliance {
        a: String,
        b: String,
        #[serde(rename = "type")]
        alliance_type: Option<String>,
        period: Option<Period>,
    },
    /// Move an actor's UN General Assembly ideal points in `period` (default: every year of the
    /// data; clipped to its span). With `toward`, by the fraction `by` (0 to 1) of the distance
    /// to that state's point, `x' = x + by (x_toward - x)`, in the years both have one; without,
    /// by `by` itself, `x' = x + by`. Every estimate the data has (fp, all, legacy) moves.
    ShiftIdealPoint { actor: String, by: f64, toward: Option<String>, period: Option<Period> },
}

/// Measures a capability operation may name.
pub const CAPABILITY_MEASURES: [&str; 10] =
    ["cinc", "milex", "milper", "irst", "pec", "tpop", "upop", "constant", "current", "share_gdp"];

fn alliance_type(name: &str) -> Result<AllianceType> {
    name.parse()
}

fn period_of(p: Option<(i32, i32)>) -> Option<Period> {
    p.map(|(start, end)| Period { start, end })
}

impl Operation {
    /// Embargo the dyad `supplier -> recipient` (over `period`, or every year).
    pub fn embargo_dyad(supplier: &str, recipient: &str, period: Option<(i32, i32)>) -> Self {
        Operation::Embargo {
            supplier: Some(supplier.into()),
            recipient: Some(recipient.into()),
            period: period_of(period),
        }
    }

    /// Embargo every export of `supplier`.
    pub fn embargo_supplier(supplier: &str, period: Option<(i32, i32)>) -> Self {
        Operation::Embargo { supplier: Some(supplier.into()), recipient: None, period: period_of(period) }
    }

    /// Embargo one armament category from `supplier` to `recipient` (`None`: any).
    pub fn embargo_category(
        category: &str, supplier: Option<&str>, recipient: Option<&str>, period: Option<(i32, i32)>,
    ) -> Self {
        Operation::EmbargoCategory {
            category: category.into(),
            supplier: supplier.map(Into::into),
            recipient: recipient.map(Into::into),
            period: period_of(period),
        }
    }

    /// Redirect the recipient's imports from `from` (to `to`, or proportionally when `None`).
    pub fn redirect(recipient: &str, from: &str, to: Option<&str>, period: Option<(i32, i32)>) -> Self {
        Operation::Redirect {
            recipient: recipient.into(),
            from: from.into(),
            to: to.map(Into::into),
            period: period_of(period),
        }
    }

    /// Scale the supplier's exports by `factor`.
    pub fn scale_exports(supplier: &str, factor: f64, period: Option<(i32, i32)>) -> Self {
        Operation::ScaleExports { supplier: supplier.into(), factor, period: period_of(period) }
    }

    /// Scale an actor's capabilities (`measure` none: every CINC input) from `from_year` on.
    pub fn scale_capabilities(actor: &str, factor: f64, measure: Option<&str>, from_year: i32) -> Self {
        Operation::ScaleCapabilities {
            actor: actor.into(),
            factor,
            measure: measure.map(Into::into),
            from_year,
            to_year: None,
        }
    }

    /// Scale an actor's growth rate of `measure` (none: every CINC input) from `from_year` on.
    pub fn scale_growth(actor: &str, factor: f64, measure: Option<&str>, from_year: i32) -> Self {
        Operation::ScaleGrowth { actor: actor.into(), factor, measure: measure.map(Into::into), from_year }
    }

    /// Form an alliance of a type between two states (over `period`, or every year).
    pub fn form_alliance(a: &str, b: &str, alliance_type: &str, period: Option<(i32, i32)>) -> Self {
        Operation::FormAlliance {
            a: a.into(),
            b: b.into(),
            alliance_type: alliance_type.into(),
            period: period_of(period),
        }
    }

    /// Dissolve two states' alliance (of one type, or all) over `period`, or every year.
    pub fn dissolve_alliance(a: &str, b: &str, alliance_type: Option<&str>, period: Option<(i32, i32)>) -> Self {
        Operation::DissolveAlliance {
            a: a.into(),
            b: b.into(),
            alliance_type: alliance_type.map(Into::into),
            period: period_of(period),
        }
    }

    /// Move `actor`'s UN ideal points toward `toward`'s by the fraction `by`, or by `by`.
    pub fn shift_ideal_point(actor: &str, by: f64, toward: Option<&str>, period: Option<(i32, i32)>) -> Self {
        Operation::ShiftIdealPoint {
            actor: actor.into(),
            by,
            toward: toward.map(Into::into),
            period: period_of(period),
        }
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
            Operation::EmbargoCategory { category, supplier, recipient, period } => format!(
                "embargo {} {} -> {}{}",
                crate::metrics::arms_views::category_name(category).unwrap_or(category).to_lowercase(),
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
            Operation::ScaleImports { recipient, factor, period } => {
                format!("scale {recipient}'s imports by {factor}{}", per(period))
            }
            Operation::ScaleCapabilities { actor, factor, measure, from_year, to_year } => format!(
                "scale {actor}'s {} by {factor}, {from_year}-{}",
                measure.as_deref().unwrap_or("capabilities"),
                to_year.map(|y| y.to_string()).unwrap_or_default()
            ),
            Operation::ScaleGrowth { actor, factor, measure, from_year } => format!(
                "scale {actor}'s growth of {} by {factor}, from {from_year}",
                measure.as_deref().unwrap_or("capabilities")
            ),
            Operation::FormAlliance { a, b, alliance_type, period } => {
                format!("form a {alliance_type} alliance {a} - {b}{}", per(period))
            }
            Operation::DissolveAlliance { a, b, alliance_type, period } => format!(
                "dissolve the {}alliance {a} - {b}{}",
                alliance_type.as_deref().map(|t| format!("{t} ")).unwrap_or_default(),
                per(period)
            ),
            Operation::ShiftIdealPoint { actor, by, toward: Some(t), period } => {
                format!("move {actor}'s UN ideal point {}% of the way to {t}'s{}", by * 100.0, per(period))
            }
            Operation::ShiftIdealPoint { actor, by, toward: None, period } => {
                format!("shift {actor}'s UN ideal point by {by:+}{}", per(period))
            }
        }
    }

    /// Check the operation's arguments without data: a scale factor finite and 0 or more, a
    /// known measure and alliance type, two different states, a valid period. Every door calls
    /// it when an operation is added, so a bad argument fails where it is written.
    pub fn check(&self) -> Result<()> {
        let p = match self {
            Operation::Embargo { supplier: None, recipient: None, .. } => {
                return Err(Error::invalid("an embargo needs a supplier, a recipient or both"))
            }
            Operation::EmbargoCategory { category, period, .. } => {
                crate::metrics::arms_views::parse_category(category)?;
                period
            }
            Operation::Embargo { period, .. } | Operation::Redirect { period, .. } => period,
            Operation::ScaleExports { factor, period, .. } | Operation::ScaleImports { factor, period, .. } => {
                check_factor(*factor)?;
                period
            }
            Operation::ScaleCapabilities { factor, measure, from_year, to_year, .. } => {
                check_factor(*factor)?;
                check_measure(measure)?;
                if let Some(t) = to_year {
                    Period::new(*from_year, *t)?;
                } else {
                    Period::new(*from_year, *from_year)?;
                }
                &None
            }
            Operation::ScaleGrowth { factor, measure, from_year, .. } => {
                check_factor(*factor)?;
                check_measure(measure)?;
                Period::new(*from_year, *from_year)?;
                &None
            }
            Operation::FormAlliance { a, b, alliance_type: t, period } => {
                alliance_type(t)?;
                check_dyad(a, b)?;
                period
            }
            Operation::DissolveAlliance { a, b, alliance_type: t, period } => {
                if let Some(t) = t {
                    alliance_type(t)?;
                }
                check_dyad(a, b)?;
                period
            }
            Operation::ShiftIdealPoint { actor, by, toward, period } => {
                if !by.is_finite() {
                    return Err(Error::invalid(format!("an ideal-point shift must be a finite number, not {by}")));
                }
                if let Some(t) = toward {
                    if !(0.0..=1.0).contains(by) {
                        return Err(Error::invalid(format!(
                            "moving toward another state's ideal point takes a fraction of the distance, 0 to 1, not {by}"
                        )));
                    }
                    if actor.trim().eq_ignore_ascii_case(t.trim()) {
                        return Err(Error::invalid(format!("{actor} cannot move toward itself")));
                    }
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

fn check_factor(factor: f64) -> Result<()> {
    if !factor.is_finite() || factor < 0.0 {
        return Err(Error::invalid(format!("a scale factor must be finite and 0 or more, not {factor}")));
    }
    Ok(())
}

fn check_measure(m: &Option<String>) -> Result<()> {
    match m {
        Some(m) if !CAPABILITY_MEASURES.contains(&m.as_str()) => {
            Err(Error::invalid(format!("unknown measure {m:?}; expected one of {}", CAPABILITY_MEASURES.join(", "))))
        }
        _ => Ok(()),
    }
}

fn check_dyad(a: &str, b: &str) -> Result<()> {
    if a.trim().eq_ignore_ascii_case(b.trim()) {
        return Err(Error::invalid(format!("an alliance needs two different states, not {a} and {b}")));
    }
    Ok(())
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
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::invalid(format!("cannot write the scenario as JSON: {e}")))
    }

    /// A scenario from JSON (as [`Scenario::to_json`] writes it); every operation is checked.
    pub fn from_json(text: &str) -> Result<Self> {
        let s: Scenario = serde_json::from_str(text)
            .map_err(|e| Error::invalid(format!("not a scenario: line {}, column {}: {e}", e.line(), e.column())))?;
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
        let mut l = what_if_copy(base);
        let mut effects = Vec::with_capacity(self.operations.len());
        for op in &self.operations {
            op.check()?;
            effects.push(apply_op(&mut l, op)?);
        }
        // scale factors compound: keep every entry where sums of a ledger cannot overflow
        // (a NaN entry fails too)
        if let Some(v) = l.tiv.iter().find(|v| v.is_nan() || **v > MAX_SCENARIO_TIV) {
            return Err(Error::invalid(format!(
                "the scenario makes an entry's TIV {v:e}, above {MAX_SCENARIO_TIV:e}: sums and shares of such values overflow; use smaller factors"
            )));
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

/// A copy of `base` to apply operations to. A what-if is a new model, not a file read: it
/// carries no load report (cloning one per what-if would cost more than the what-if itself),
/// and it covers the baseline's years, whatever the operations add or remove.
fn what_if_copy(base: &Ledger) -> Ledger {
    Ledger {
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
        covers: base.years().map(|years| crate::ledger::Covers { dataset: base.dataset(), years }),
        open_orders: base.open_orders.clone(),
    }
}

/// A baseline cut to the years a metric reads, made once for many what-ifs
/// ([`Scenario::apply_within`]), so that each what-if copies only those years' entries.
///
/// A sweep of 10,000 embargoes measured by the exporters of 2016-20 on the 2024 register
/// copies 4,514 entries per what-if instead of 27,838: the copy was two thirds of a what-if's
/// time, and the metric then scans the 4,514 entries only.
///
/// ```
/// use powerbalance_core::{scenario::{Operation, Scenario, Window}, Period};
/// # use powerbalance_core::{ActorRegistry, Coverage, Ledger, ledger::NO_DEAL};
/// # use std::sync::Arc;
/// # let r = ActorRegistry::builtin().clone();
/// # let (ru, cn) = (r.resolve("Russia").unwrap(), r.resolve("China").unwrap());
/// # let mut led = Ledger::empty(Arc::new(r), Coverage::Dyadic);
/// # led.push(ru, cn, 2010, 70.0, NO_DEAL);
/// # led.push(ru, cn, 2018, 100.0, NO_DEAL);
/// let p = Period::new(2016, 2018).unwrap();
/// let w = Window::new(&led, Some(&[p]));
/// let mut s = Scenario::new("half");
/// s.push(Operation::scale_exports("Russia", 0.5, None));
/// let cut = s.apply_within(&led, &w).unwrap();
/// assert_eq!(cut.tiv, [50.0]); // the 2018 entry only
/// assert_eq!(cut.total(p).unwrap(), s.apply(&led).unwrap().total(p).unwrap());
/// assert_eq!(cut.years(), led.years()); // the baseline's years: the same coverage checks
/// ```
#[derive(Debug, Clone)]
pub struct Window {
    periods: Vec<Period>,
    /// The baseline's entries in the periods, in order, ready for [`Scenario::apply`] (its
    /// coverage is the baseline's); `None` when the periods hold every entry.
    cut: Option<Ledger>,
    /// The largest TIV of an entry left out (0 when none is).
    outside_max: f64,
}

impl Window {
    /// The entries of `base` in any of `periods`; `None` (a metric that reads every year):
    /// no cut, [`Scenario::apply_within`] is [`Scenario::apply`].
    pub fn new(base: &Ledger, periods: Option<&[Period]>) -> Window {
        let periods = periods.map(<[Period]>::to_vec).unwrap_or_default();
        let inside = |y: i32| periods.iter().any(|p| p.contains(y));
        let outside = (0..base.len()).filter(|&i| !inside(base.year[i]));
        if periods.is_empty() || outside.clone().next().is_none() {
            return Window { periods, cut: None, outside_max: 0.0 };
        }
        let outside_max = outside.map(|i| base.tiv[i]).fold(0.0, f64::max);
        let mut cut = what_if_copy(base);
        retain(&mut cut, |i| inside(base.year[i]));
        Window { periods, cut: Some(cut), outside_max }
    }

    /// The periods the window holds (empty: every year).
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    fn holds(&self, p: Option<Period>) -> bool {
        p.is_some_and(|p| p.years().all(|y| self.periods.iter().any(|w| w.contains(y))))
    }
}

impl Scenario {
    /// The scenario applied to the entries of `base` in the window's years: the entries of
    /// [`Scenario::apply`]`(base)` in those years, the same values in the same order, and the
    /// baseline's years as coverage, without copying the entries outside. A metric that reads
    /// only the window's years gives on it exactly the table it gives on `apply(base)`, and
    /// the same errors.
    ///
    /// Every operation acts entry by entry within a year, except a pro-rata redirect, whose
    /// shares come from its whole period: one whose period is not inside the window (or is
    /// every year) makes this the full [`Scenario::apply`]. So do scale factors that could
    /// lift an entry left out above [`MAX_SCENARIO_TIV`] (largest entry left out times the
    /// product of the factors above 1), where the full apply would fail.
    pub fn apply_within(&self, base: &Ledger, window: &Window) -> Result<Ledger> {
        match &window.cut {
            Some(cut) if self.fits(window) => self.apply(cut),
            _ => self.apply(base),
        }
    }

    /// Can the scenario be applied to the window's cut alone (see [`Scenario::apply_within`])?
    fn fits(&self, window: &Window) -> bool {
        let mut growth = 1.0_f64;
        for op in &self.operations {
            match op {
                Operation::Redirect { to: None, period, .. } if !window.holds(*period) => return false,
                Operation::ScaleExports { factor, .. } | Operation::ScaleImports { factor, .. } => {
                    growth *= factor.max(1.0)
                }
                _ => {}
            }
        }
        window.outside_max * growth <= MAX_SCENARIO_TIV
    }
}

/// The scenario on capability and alliance models. Each method gives a new model (the
/// baseline is unchanged) and applies the operations that concern that model, in order;
/// the others (transfer operations on capabilities, alliance operations on expenditure, ...)
/// leave it as it is.
impl Scenario {
    /// The scenario's `ScaleCapabilities` and `ScaleGrowth` operations that touch a dataset, in
    /// order, each with its actor's code (`resolve`) and the parts of the dataset its measure
    /// names (`parts`; an operation that names none is left out). Every operation is checked:
    /// the first bad operation or unknown actor, in order, is the error.
    fn capability_ops<T>(
        &self, parts: impl Fn(&Option<String>) -> Vec<T>, resolve: impl Fn(&str) -> Result<u16>,
    ) -> Result<Vec<(&Operation, u16, Vec<T>)>> {
        let mut out = Vec::new();
        for op in &self.operations {
            op.check()?;
            if let Operation::ScaleCapabilities { actor, measure, .. } | Operation::ScaleGrowth { actor, measure, .. } =
                op
            {
                let parts = parts(measure);
                if !parts.is_empty() {
                    out.push((op, resolve(actor)?, parts));
                }
            }
        }
        Ok(out)
    }

    /// The scenario applied to COW national material capabilities: `ScaleCapabilities` and
    /// `ScaleGrowth` on the six components. The CINC of every state in each year whose
    /// components changed is recomputed from the components (COW's rule,
    /// [`MissingRule::Available`]; Singer, Bremer & Stuckey 1972), since one state's change
    /// moves every state's shares.
    pub fn apply_capabilities(&self, base: &Capabilities) -> Result<Capabilities> {
        let mut c = base.clone();
        let reg = ActorRegistry::builtin();
        let mut touched: std::collections::BTreeSet<i32> = std::collections::BTreeSet::new();
        for (op, code, comps) in self.capability_ops(caps_components, |a| base.resolve_state(reg, a))? {
            let cov = c.coverage();
            for comp in comps {
                // (year, row) of the actor, ascending
                let rows: Vec<(i32, usize)> = cov.years().filter_map(|y| c.row(code, y).map(|i| (y, i))).collect();
                touched.extend(scale_series(op, c.component_mut(comp), &rows));
            }
        }
        for y in touched {
            for r in cinc_rows(&c, y, None, MissingRule::Available)? {
                if let Some(i) = c.row(r.ccode, y) {
                    c.cinc[i] = r.cinc;
                }
            }
        }
        Ok(c)
    }

    /// The scenario applied to SIPRI military expenditure: `ScaleCapabilities` and
    /// `ScaleGrowth` whose measure is `milex`, `cinc` or none (both dollar series) or a named
    /// series (`constant`, `current`, `share_gdp`).
    pub fn apply_milex(&self, base: &Milex) -> Result<Milex> {
        let mut m = base.clone();
        let reg = ActorRegistry::builtin();
        for (op, code, series) in self.capability_ops(milex_series, |a| base.resolve_state(reg, a))? {
            for s in series {
                let k = MilexSeries::ALL.iter().position(|x| *x == s).unwrap_or(0);
                // one row per year: the row of the ccode-year that has a value (SIPRI's USSR and
                // Russia rows share 365), else the first
                let mut by_year: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
                for i in 0..m.len() {
                    if m.ccode[i] == Some(code) {
                        let e = by_year.entry(m.year[i]).or_insert(i);
                        if m.values[k][*e].is_none() && m.values[k][i].is_some() {
                            *e = i;
                        }
                    }
                }
                let rows: Vec<(i32, usize)> = by_year.into_iter().collect();
                scale_series(op, &mut m.values[k], &rows);
            }
        }
        Ok(m)
    }

    /// The scenario applied to alliance dyad-years: `FormAlliance` and `DissolveAlliance`, in
    /// the years of their period that the alliance data covers (a period wholly outside it is an
    /// error: no value is invented outside a dataset's years). The source must code the type
    /// (COW has no offense or consultation pacts, ATOP no ententes).
    pub fn apply_alliances(&self, base: &Alliances) -> Result<Alliances> {
        let mut al = base.clone();
        let reg = ActorRegistry::builtin();
        for op in &self.operations {
            op.check()?;
            let (a, b, t, period, form) = match op {
                Operation::FormAlliance { a, b, alliance_type, period } => (a, b, Some(alliance_type), period, true),
                Operation::DissolveAlliance { a, b, alliance_type, period } => {
                    (a, b, alliance_type.as_ref(), period, false)
                }
                _ => continue,
            };
            let t = t.map(|t| alliance_type(t)).transpose()?;
            if let Some(t) = t {
                if !AllianceType::of(al.source).contains(&t) {
                    return Err(Error::invalid(format!("{} does not code {} pacts", al.source.as_str(), t.name())));
                }
            }
            let (x, y) = (cow_code(reg, a)?, cow_code(reg, b)?);
            for year in clip(*period, al.coverage(), "alliance")?.years() {
                let pairs: &[(u16, u16)] = if al.directed { &[(x, y), (y, x)] } else { &[(x, y)] };
                for &(i, j) in pairs {
                    let cur = al.types(i, j, year)?;
                    let new = match (form, t) {
                        (true, Some(t)) => cur.with(t),
                        (false, Some(t)) => cur.without(t),
                        (_, None) => AllianceTypes::default(),
                    };
                    al.set_types(i, j, year, new);
                }
            }
        }
        Ok(al)
    }
}

impl Scenario {
    /// The scenario applied to UN ideal points: `ShiftIdealPoint`, in the years of its period
    /// that the data covers (a period wholly outside it is an error). A year in which the actor
    /// (or, moving toward another state, either of the two) has no estimate is left as it is.
    pub fn apply_ideal_points(&self, base: &IdealPoints) -> Result<IdealPoints> {
        let mut ip = base.clone();
        let reg = ActorRegistry::builtin();
        for op in &self.operations {
            op.check()?;
            let Operation::ShiftIdealPoint { actor, by, toward, period } = op else { continue };
            let x = cow_code(reg, actor)?;
            let t = toward.as_deref().map(|t| cow_code(reg, t)).transpose()?;
            for year in clip(*period, ip.coverage(), "ideal-point")?.years() {
                let Some(i) = ip.row(x, year) else { continue };
                let j = t.and_then(|t| ip.row(t, year));
                for est in ip.estimates.iter_mut() {
                    let target = j.map(|j| est[j]);
                    if let Some(v) = est[i].as_mut() {
                        match (t, target) {
                            (None, _) => *v += by,
                            (Some(_), Some(Some(w))) => *v += by * (w - *v),
                            (Some(_), _) => {}
                        }
                    }
                }
            }
        }
        Ok(ip)
    }
}

/// The largest TIV an entry of a what-if ledger may reach (1e15, a billion times the largest
/// SIPRI figure): a sum of a billion such entries stays finite and exact to 1e-3 relative.
pub const MAX_SCENARIO_TIV: f64 = 1e15;

/// An operation's period (default: the data's span) clipped to the data's span; an error when
/// it lies wholly outside (no value is invented outside a dataset's years).
fn clip(period: Option<Period>, cov: Period, data: &str) -> Result<Period> {
    let p = period.unwrap_or(cov);
    let (start, end) = (p.start.max(cov.start), p.end.min(cov.end));
    if start > end {
        return Err(Error::invalid(format!("period {p} is outside the {data} data's span {cov}")));
    }
    Ok(Period { start, end })
}

/// A state as a COW code: a number, or a name the registry knows.
fn cow_code(reg: &ActorRegistry, name: &str) -> Result<u16> {
    if let Ok(c) = name.trim().parse::<u16>() {
        return Ok(c);
    }
    let id = reg.resolve(name)?;
    reg.get(id).cow_code.ok_or_else(|| Error::invalid(format!("{:?} has no Correlates of War code", reg.name(id))))
}

fn caps_components(measure: &Option<String>) -> Vec<Component> {
    match measure.as_deref() {
        None | Some("cinc") => Component::ALL.to_vec(),
        Some(m) => Component::ALL.iter().copied().filter(|c| c.name() == m).collect(),
    }
}

fn milex_series(measure: &Option<String>) -> Vec<MilexSeries> {
    match measure.as_deref() {
        None | Some("cinc") | Some("milex") => vec![MilexSeries::Constant, MilexSeries::Current],
        Some(m) => MilexSeries::ALL.iter().copied().filter(|s| s.name() == m).collect(),
    }
}

/// A capability operation on one series, `rows` its (year, row) pairs, ascending: scaled by
/// [`scale_rows`] or its growth by [`scale_growth_rows`]; the years changed.
fn scale_series(op: &Operation, col: &mut [Option<f64>], rows: &[(i32, usize)]) -> Vec<i32> {
    match op {
        Operation::ScaleCapabilities { factor, from_year, to_year, .. } => {
            scale_rows(col, rows, *factor, *from_year, *to_year)
        }
        Operation::ScaleGrowth { factor, from_year, .. } => scale_growth_rows(col, rows, *factor, *from_year),
        _ => vec![],
    }
}

/// Multiply the values of `rows` (year, row) in `from..=to` by `factor`; the years changed.
fn scale_rows(col: &mut [Option<f64>], rows: &[(i32, usize)], factor: f64, from: i32, to: Option<i32>) -> Vec<i32> {
    let mut out = vec![];
    for &(y, i) in rows {
        if y >= from && to.map_or(true, |t| y <= t) {
            if let Some(v) = col[i] {
                col[i] = Some(v * factor);
                out.push(y);
            }
        }
    }
    out
}

/// Scale the growth of the series `rows` (year, row; ascending) after `from` by `factor`,
/// compounding (see [`Operation::ScaleGrowth`]); the years changed.
fn scale_growth_rows(col: &mut [Option<f64>], rows: &[(i32, usize)], factor: f64, from: i32) -> Vec<i32> {
    let mut out = vec![];
    if factor == 1.0 {
        return out; // the baseline growth, exactly
    }
    // (baseline, scenario) value of the last year with a value, from `from` on
    let mut prev: Option<(f64, f64)> = None;
    for &(y, i) in rows {
        if y < from {
            continue;
        }
        let Some(v) = col[i] else { continue };
        let new = match prev {
            Some((pb, ps)) if pb > 0.0 => (ps * (1.0 + factor * (v / pb - 1.0))).max(0.0),
            // the anchor year, or growth from zero (undefined): the baseline value
            _ => v,
        };
        if new != v {
            col[i] = Some(new);
            out.push(y);
        }
        prev = Some((v, new));
    }
    out
}

fn resolve_opt(l: &Ledger, name: &Option<String>) -> Result<Option<ActorId>> {
    name.as_deref().map(|n| l.resolve(n)).transpose()
}

/// Keep the entries for which `keep(i)` holds (`i` the entry's position before), in order; in
/// place, without a new allocation.
fn retain(l: &mut Ledger, keep: impl Fn(usize) -> bool) {
    let mut n = 0;
    for i in 0..l.len() {
        if keep(i) {
            l.supplier[n] = l.supplier[i];
            l.recipient[n] = l.recipient[i];
            l.year[n] = l.year[i];
            l.tiv[n] = l.tiv[i];
            l.deal[n] = l.deal[i];
            n += 1;
        }
    }
    l.supplier.truncate(n);
    l.recipient.truncate(n);
    l.year.truncate(n);
    l.tiv.truncate(n);
    l.deal.truncate(n);
}

/// Remove the deliveries from `supplier` to `recipient` (`None`: any) in `period`, of one
/// armament category when `category` is given, counting them in `eff`.
fn embargo(
    l: &mut Ledger, eff: &mut Effect, supplier: &Option<String>, recipient: &Option<String>, period: &Option<Period>,
    category: Option<&str>,
) -> Result<()> {
    let s = resolve_opt(l, supplier)?;
    let r = resolve_opt(l, recipient)?;
    let deals = l.deals.clone();
    // the deals' categories are named for a category embargo only (it reads every deal)
    let names = category.map(|c| (c, crate::metrics::arms_views::CategoryNames::of(&deals)));
    let of_category = |l: &Ledger, i: usize| match &names {
        None => true,
        Some((c, names)) => l.deal[i] != NO_DEAL && deals.get(l.deal[i] as usize).is_some_and(|d| names.is(d, c)),
    };
    let hit = |l: &Ledger, i: usize| {
        s.map_or(true, |s| l.supplier[i] == s)
            && r.map_or(true, |r| l.recipient[i] == r)
            && in_period(period, l.year[i])
            && of_category(l, i)
    };
    let snapshot: Vec<bool> = (0..l.len()).map(|i| !hit(l, i)).collect();
    for (i, keep) in snapshot.iter().enumerate() {
        if !keep {
            eff.removed += l.tiv[i];
            eff.entries += 1;
        }
    }
    retain(l, |i| snapshot[i]);
    Ok(())
}

fn apply_op(l: &mut Ledger, op: &Operation) -> Result<Effect> {
    let mut eff = Effect::default();
    match op {
        // capability and alliance operations leave a transfer ledger as it is
        Operation::ScaleCapabilities { .. }
        | Operation::ScaleGrowth { .. }
        | Operation::FormAlliance { .. }
        | Operation::DissolveAlliance { .. }
        | Operation::ShiftIdealPoint { .. } => {}
        Operation::Embargo { supplier, recipient, period } => {
            let totals_ok = matches!(
                (supplier.is_some(), recipient.is_some(), l.coverage),
                (true, false, crate::Coverage::ExportTotals) | (false, true, crate::Coverage::ImportTotals)
            );
            if !totals_ok {
                l.require_dyadic("an embargo")?;
            }
            embargo(l, &mut eff, supplier, recipient, period, None)?;
        }
        Operation::EmbargoCategory { category, supplier, recipient, period } => {
            let c = crate::metrics::arms_views::require_category_of(l, "an embargo on a category", category)?;
            embargo(l, &mut eff, supplier, recipient, period, Some(c))?;
        }
        Operation::Redirect { recipient, from, to, period } => {
            l.require_dyadic("a redirect")?;
            let r = l.resolve(recipient)?;
            let f = l.resolve(from)?;
            let to = resolve_opt(l, to)?;
            if to == Some(f) {
                return Err(Error::invalid(format!("a redirect from {from} to itself changes nothing")));
            }
            let moving =
                |l: &Ledger, i: usize| l.recipient[i] == r && l.supplier[i] == f && in_period(period, l.year[i]);
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
                    let mut others: Vec<(ActorId, f64)> = other.into_iter().filter(|(_, t)| *t > 0.0).collect();
                    others.sort_by_key(|(a, _)| *a);
                    // summed in id order, so that the split is the same bits on every run
                    let total: f64 = others.iter().map(|(_, t)| *t).sum();
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
        Operation::ScaleExports { supplier: who, factor, period }
        | Operation::ScaleImports { recipient: who, factor, period } => {
            let imports = matches!(op, Operation::ScaleImports { .. });
            let (other, what) = match imports {
                true => (crate::Coverage::ExportTotals, "scaling a recipient's imports"),
                false => (crate::Coverage::ImportTotals, "scaling a supplier's exports"),
            };
            if l.coverage == other {
                l.require_dyadic(what)?;
            }
            let a = l.resolve(who)?;
            for i in 0..l.len() {
                if (if imports { l.recipient[i] } else { l.supplier[i] }) == a && in_period(period, l.year[i]) {
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

/// One side of a comparison: the visible rows of a table, then the rows a `top` cut left out
/// ([`crate::metrics::transfers::rows_below_top`]).
struct Side<'a> {
    shown: &'a Table,
    below: Option<Table>,
}

impl<'a> Side<'a> {
    fn new(t: &'a Table) -> Result<Self> {
        Ok(Side { shown: t, below: crate::metrics::transfers::rows_below_top(t)? })
    }

    fn rows(&self) -> usize {
        self.shown.num_rows() + self.below.as_ref().map_or(0, Table::num_rows)
    }

    fn keys(&self, keys: &[String]) -> Result<Vec<Key>> {
        let mut k = key_columns(self.shown, keys)?;
        if let Some(b) = &self.below {
            for (a, more) in k.iter_mut().zip(key_columns(b, keys)?) {
                match (a, more) {
                    (Key::Str(a), Key::Str(m)) => a.extend(m),
                    (Key::Int(a), Key::Int(m)) => a.extend(m),
                    _ => return Err(Error::invalid("a table's rows below its top have other key types")),
                }
            }
        }
        Ok(k)
    }

    fn numeric(&self, name: &str) -> Option<Vec<Option<f64>>> {
        let mut v = numeric(self.shown, name)?;
        if let Some(b) = &self.below {
            v.extend(numeric(b, name)?);
        }
        Some(v)
    }
}

/// A metric table on the baseline beside the same table on a scenario, with the differences.
///
/// Rows are matched on `keys` (default: [`default_keys`]; no keys: by row number), a full
/// outer join in the baseline's order, then rows only the scenario has. Every numeric column
/// `v` but the keys and `rank` gives `v_baseline`, `v_scenario` and `v_diff` (scenario minus
/// baseline; a missing side counts as 0 in the difference, and stays null in its own column).
/// Other columns are dropped.
///
/// Tables cut to their top N rows (`exporters(..., top=6)`): the comparison covers the union
/// of both sides' shown rows, and takes each row's values from the *uncut* tables (the rows
/// below the cut that [`crate::metrics::transfers::cut_top`] keeps in the schema metadata). A
/// supplier that drops out of the scenario's top 6 is compared with its real scenario value,
/// not with zero.
pub fn compare_tables(base: &Table, scen: &Table, keys: Option<&[String]>) -> Result<Table> {
    let keys: Vec<String> = keys.map(|k| k.to_vec()).unwrap_or_else(|| default_keys(base));
    let by_row = keys.is_empty();
    let (bs, ss) = if by_row {
        (Side { shown: base, below: None }, Side { shown: scen, below: None })
    } else {
        (Side::new(base)?, Side::new(scen)?)
    };
    let bk = bs.keys(&keys)?;
    let sk = ss.keys(&keys)?;
    let bkey: Vec<String> = (0..bs.rows()).map(|r| if by_row { r.to_string() } else { row_key(&bk, r) }).collect();
    let skey: Vec<String> = (0..ss.rows()).map(|r| if by_row { r.to_string() } else { row_key(&sk, r) }).collect();
    // positions over the whole (uncut) tables; the first occurrence of a key wins
    let mut spos: HashMap<&str, usize> = HashMap::new();
    for (i, k) in skey.iter().enumerate() {
        spos.entry(k.as_str()).or_insert(i);
    }
    let mut bpos: HashMap<&str, usize> = HashMap::new();
    for (i, k) in bkey.iter().enumerate() {
        bpos.entry(k.as_str()).or_insert(i);
    }
    let (nb, ns) = (base.num_rows(), scen.num_rows());
    // (baseline row, scenario row): the baseline's shown rows, then the scenario's shown rows
    // that the baseline does not show
    let mut rows: Vec<(Option<usize>, Option<usize>)> =
        bkey[..nb].iter().enumerate().map(|(i, k)| (Some(i), spos.get(k.as_str()).copied())).collect();
    let shown_b: std::collections::HashSet<&str> = bkey[..nb].iter().map(String::as_str).collect();
    rows.extend(
        skey[..ns]
            .iter()
            .enumerate()
            .filter(|(_, k)| !shown_b.contains(k.as_str()))
            .map(|(j, k)| (bpos.get(k.as_str()).copied(), Some(j))),
    );

    let mut b = TableBuilder::new();
    for (k, name) in keys.iter().enumerate() {
        match (&bk[k], &sk[k]) {
            (Key::Str(bv), Key::Str(sv)) => {
                b = b.str_opt(
                    name,
                    rows.iter()
                        .map(|(i, j)| i.map(|i| bv[i].clone()).unwrap_or_else(|| j.and_then(|j| sv[j].clone())))
                        .collect(),
                );
            }
            (Key::Int(bv), Key::Int(sv)) => {
                b = b.i64_opt(
                    name,
                    rows.iter().map(|(i, j)| i.map(|i| bv[i]).unwrap_or_else(|| j.and_then(|j| sv[j]))).collect(),
                );
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
        let (Some(bv), Some(sv)) = (bs.numeric(&name), ss.numeric(&name)) else { continue };
        let left: Vec<Option<f64>> = rows.iter().map(|(i, _)| i.and_then(|i| bv[i])).collect();
        let right: Vec<Option<f64>> = rows.iter().map(|(_, j)| j.and_then(|j| sv[j])).collect();
        let diff: Vec<Option<f64>> = left
            .iter()
            .zip(&right)
            .map(|(a, c)| if a.is_none() && c.is_none() { None } else { Some(c.unwrap_or(0.0) - a.unwrap_or(0.0)) })
            .collect();
        b = b
            .f64_opt(&format!("{name}_baseline"), left)
            .f64_opt(&format!("{name}_scenario"), right)
            .f64_opt(&format!("{name}_diff"), diff);
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
    let a = c
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| Error::invalid(format!("column {name:?} is not text")))?;
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
        let reg = Arc::new(ActorRegistry::builtin().clone());
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
    fn shift_ideal_points() {
        use crate::relations::{parse_ideal_points, IdealPointEstimate as E};
        let ip = parse_ideal_points(
            "ccode,year,idealpointfp,idealpointall\n365,2000,-1.0,-0.5\n710,2000,-2.0,\n365,2001,-1.2,-0.6\n2,2001,3.0,2.0\n",
            std::path::Path::new("ip.csv"),
        )
        .unwrap();
        let mut s = Scenario::new("closer");
        s.push(Operation::shift_ideal_point("Russia", 0.5, Some("China"), None));
        let w = s.apply_ideal_points(&ip).unwrap();
        // halfway to China's point in 2000; China has no "all" estimate, so that one stays;
        // in 2001 China has no row at all
        assert_eq!(w.value(365, 2000, E::FinalPassage), Some(-1.5));
        assert_eq!(w.value(365, 2000, E::All), Some(-0.5));
        assert_eq!(w.value(365, 2001, E::FinalPassage), Some(-1.2));
        assert_eq!(w.value(710, 2000, E::FinalPassage), Some(-2.0), "the target does not move");
        let mut s = Scenario::new("west");
        s.push(Operation::shift_ideal_point("365", 0.25, None, Some((2001, 2001))));
        let w = s.apply_ideal_points(&ip).unwrap();
        assert_eq!(
            (w.value(365, 2000, E::FinalPassage), w.value(365, 2001, E::FinalPassage)),
            (Some(-1.0), Some(-0.95))
        );
        assert_eq!(w.value(365, 2001, E::All), Some(-0.35));
        assert!(Scenario::from_json(&s.to_json().unwrap()).unwrap() == s);
        assert_eq!(s.operations[0].describe(), "shift 365's UN ideal point by +0.25, 2001");
        // bad arguments and periods
        for op in [
            Operation::shift_ideal_point("Russia", 1.5, Some("China"), None),
            Operation::shift_ideal_point("Russia", f64::NAN, None, None),
            Operation::shift_ideal_point("Russia", 0.5, Some("russia"), None),
        ] {
            assert!(op.check().is_err(), "{op:?}");
        }
        let mut s = Scenario::new("out");
        s.push(Operation::shift_ideal_point("Russia", 0.1, None, Some((1900, 1910))));
        assert!(matches!(s.apply_ideal_points(&ip), Err(Error::InvalidArgument(m)) if m.contains("outside")));
        // a ledger is left as it is
        let l = ledger(&[(0, 1, 2000, 5.0)]);
        assert_eq!(s.apply(&l).unwrap().tiv, l.tiv);
    }

    #[test]
    fn embargo_removes_exactly_the_dyad() {
        let l = ledger(&[(0, 1, 2016, 10.0), (0, 1, 2021, 5.0), (0, 2, 2016, 7.0), (3, 1, 2017, 2.0)]);
        let mut s = Scenario::new("t");
        s.push(Operation::embargo_dyad("Russia", "China", Some((2016, 2020))));
        let (w, eff) = s.apply_traced(&l).unwrap();
        assert_eq!(w.len(), 3);
        assert_eq!(eff[0].removed, 10.0);
        assert_eq!(w.sum_in(all()), l.sum_in(all()) - 10.0);
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
        let t = tm::suppliers_of(&w, china, Period::new(2016, 2018).unwrap()).unwrap();
        assert_eq!(string_column(&t, "supplier").unwrap(), vec!["France", "United States"]);
        let tiv = t.f64s("tiv").unwrap();
        assert!((tiv[0].unwrap() - 10.5).abs() < 1e-12 && (tiv[1].unwrap() - 3.5).abs() < 1e-12);
        assert_eq!(w.sum_in(all()), l.sum_in(all()));

        let mut s = Scenario::new("t");
        s.push(Operation::redirect("China", "Russia", Some("India"), None));
        let w = s.apply(&l).unwrap();
        let t = tm::suppliers_of(&w, china, Period::new(2016, 2018).unwrap()).unwrap();
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
        assert_eq!(w.sum_in(all()), 9.0);
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
        assert!(Scenario::from_json(r#"{"operations": [{"op": "embargo", "period": {"start": 2020, "end": 2010}}]}"#)
            .is_err());
    }

    #[test]
    fn compare_puts_both_sides_with_differences() {
        let l = ledger(&[(0, 1, 2016, 10.0), (0, 2, 2016, 7.0), (3, 1, 2017, 2.0)]);
        let mut s = Scenario::new("t");
        s.push(Operation::embargo_dyad("Russia", "China", None));
        let p = Period::new(2016, 2017).unwrap();
        let t = compare(&l, &s, |l| tm::by_supplier(l, p)).unwrap();
        assert_eq!(
            t.column_names(),
            vec![
                "supplier",
                "tiv_baseline",
                "tiv_scenario",
                "tiv_diff",
                "share_baseline",
                "share_scenario",
                "share_diff"
            ]
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

    // --- capability and alliance operations -------------------------------------------------

    const NMC: &str = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version
AAA,1,2000,10,100,30,40,50,60,0.3,2021
BBB,2,2000,30,100,10,40,50,60,0.3,2021
AAA,1,2001,10,110,30,40,50,60,0.3,2021
BBB,2,2001,30,110,10,40,50,60,0.3,2021
AAA,1,2002,10,121,30,40,50,60,0.3,2021
BBB,2,2002,30,121,10,40,50,60,0.3,2021
AAA,1,2003,10,100,30,40,50,60,0.3,2021
BBB,2,2003,30,100,10,40,50,60,0.3,2021";

    fn nmc() -> Capabilities {
        crate::capabilities::parse_nmc(NMC, std::path::Path::new("t.csv")).unwrap()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }

    use crate::capabilities::Measure;

    #[test]
    fn scale_capabilities_recomputes_cinc_from_the_year() {
        let c = nmc();
        let mut s = Scenario::new("t");
        s.push(Operation::ScaleCapabilities {
            actor: "AAA".into(),
            factor: 3.0,
            measure: Some("milex".into()),
            from_year: 2001,
            to_year: Some(2001),
        });
        let w = s.apply_capabilities(&c).unwrap();
        let m = Measure::Component(Component::Milex);
        assert_eq!(w.value(1, 2000, m), Some(10.0));
        assert_eq!(w.value(1, 2001, m), Some(30.0));
        assert_eq!(w.value(1, 2002, m), Some(10.0), "to_year 2001");
        // 2001: milex shares .5/.5, irst .75/.25, the other four .5/.5:
        // AAA = (0.5 * 5 + 0.75) / 6 = 3.25 / 6, BBB = 2.75 / 6
        close(w.value(1, 2001, Measure::Cinc).unwrap(), 3.25 / 6.0);
        close(w.value(2, 2001, Measure::Cinc).unwrap(), 2.75 / 6.0);
        assert_eq!(w.value(1, 2000, Measure::Cinc), Some(0.3), "years not touched keep COW's figure");
        assert_eq!(c.value(1, 2001, m), Some(10.0), "the baseline is unchanged");
        // every CINC input by 2 from 2003: AAA's shares all rise
        let mut s = Scenario::new("t");
        s.push(Operation::scale_capabilities("1", 2.0, None, 2003));
        let w = s.apply_capabilities(&c).unwrap();
        assert_eq!(w.value(1, 2003, Measure::Component(Component::Tpop)), Some(100.0));
        // milex 20/50, milper 200/300, irst 60/70, pec, tpop, upop 2/3
        close(w.value(1, 2003, Measure::Cinc).unwrap(), (0.4 + 2.0 / 3.0 + 60.0 / 70.0 + 2.0) / 6.0);
        // an actor the data does not know, a bad measure
        let mut bad = Scenario::new("t");
        bad.push(Operation::scale_capabilities("Atlantis", 2.0, None, 2003));
        assert!(bad.apply_capabilities(&c).is_err());
        let mut bad = Scenario::new("t");
        bad.push(Operation::scale_capabilities("AAA", 2.0, Some("gdp"), 2003));
        assert!(bad.apply_capabilities(&c).unwrap_err().to_string().contains("unknown measure"));
    }

    #[test]
    fn scale_growth_compounds() {
        let c = nmc();
        let mut s = Scenario::new("halve");
        s.push(Operation::scale_growth("AAA", 0.5, Some("milper"), 2000));
        let w = s.apply_capabilities(&c).unwrap();
        let m = Measure::Component(Component::Milper);
        // 100, 110, 121, 100 grows 10%, 10%, -17.36%; halved: 100, 105, 110.25,
        // 110.25 * (1 + 0.5 * (100/121 - 1)) = 110.25 - 110.25 * 21/242
        assert_eq!(w.value(1, 2000, m), Some(100.0));
        close(w.value(1, 2001, m).unwrap(), 105.0);
        close(w.value(1, 2002, m).unwrap(), 110.25);
        close(w.value(1, 2003, m).unwrap(), 110.25 - 110.25 * 21.0 / 242.0);
        assert_eq!(w.value(2, 2002, m), Some(121.0), "BBB unchanged");
        // from 2002: 2000-2002 kept, 2003 = 121 * (1 + 0.5 * (100/121 - 1)) = 110.5
        let mut s = Scenario::new("late");
        s.push(Operation::scale_growth("AAA", 0.5, Some("milper"), 2002));
        let w = s.apply_capabilities(&c).unwrap();
        assert_eq!(w.value(1, 2002, m), Some(121.0));
        close(w.value(1, 2003, m).unwrap(), 110.5);
        // factor 0 freezes the series at the anchor; 1 changes nothing
        let mut s = Scenario::new("freeze");
        s.push(Operation::scale_growth("AAA", 0.0, Some("milper"), 2001));
        let w = s.apply_capabilities(&c).unwrap();
        assert_eq!((w.value(1, 2002, m), w.value(1, 2003, m)), (Some(110.0), Some(110.0)));
        let mut s = Scenario::new("same");
        s.push(Operation::scale_growth("AAA", 1.0, None, 2000));
        let w = s.apply_capabilities(&c).unwrap();
        assert_eq!(w.cinc, c.cinc);
    }

    #[test]
    fn scale_growth_on_sipri_milex() {
        let t = "country,iso3c,ccode,region,subregion,year,milex_const2023_usd_m,const_flag,milex_current_usd_m,current_flag,milex_share_gdp,share_gdp_flag,notes
China,CHN,710,Asia,East Asia,2010,100,E,50,E,0.02,E,
China,CHN,710,Asia,East Asia,2011,120,E,60,E,0.02,E,
China,CHN,710,Asia,East Asia,2012,,NA,,NA,,NA,
China,CHN,710,Asia,East Asia,2013,150,E,75,E,0.02,E,
Russia,RUS,365,Europe,Eastern Europe,2010,80,E,40,E,0.04,E,
";
        let m = crate::milex::parse_milex(t, std::path::Path::new("m.csv")).unwrap();
        let mut s = Scenario::new("halve");
        s.push(Operation::scale_growth("China", 0.5, None, 2010));
        let w = s.apply_milex(&m).unwrap();
        let c = MilexSeries::Constant;
        // 100 -> 120 (+20%) -> gap -> 150 (+25% over 2011-13): 100, 110, missing, 110 * 1.125
        assert_eq!(w.value(710, 2010, c), Some(100.0));
        close(w.value(710, 2011, c).unwrap(), 110.0);
        assert_eq!(w.value(710, 2012, c), None, "no value is invented");
        close(w.value(710, 2013, c).unwrap(), 123.75);
        close(w.value(710, 2013, MilexSeries::Current).unwrap(), 61.875);
        assert_eq!(w.value(710, 2013, MilexSeries::ShareGdp), Some(0.02), "share of GDP only when named");
        assert_eq!(w.value(365, 2010, c), Some(80.0));
        assert_eq!(m.value(710, 2013, c), Some(150.0), "the baseline is unchanged");
        // scale by a factor from a year; a component other than milex leaves SIPRI data alone
        let mut s = Scenario::new("double");
        s.push(Operation::scale_capabilities("Russia", 2.0, Some("constant"), 2010));
        s.push(Operation::scale_capabilities("China", 2.0, Some("tpop"), 2010));
        let w = s.apply_milex(&m).unwrap();
        assert_eq!(w.value(365, 2010, c), Some(160.0));
        assert_eq!(w.value(365, 2010, MilexSeries::Current), Some(40.0));
        assert_eq!(w.value(710, 2010, c), Some(100.0));
    }

    const COW_AL: &str = "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente
365,710,2010,0,0,1,0
365,710,2011,1,0,1,0
2,200,2010,1,0,0,0
2,200,2011,1,0,0,0
2,200,2012,1,0,0,0
";

    #[test]
    fn form_and_dissolve_alliances() {
        let al = crate::relations::parse_alliances(COW_AL, std::path::Path::new("a.csv")).unwrap();
        assert_eq!(al.level(2, 365, 2011).unwrap(), 0);
        let mut s = Scenario::new("Russia sides with the US");
        s.push(Operation::form_alliance("United States", "Russia", "defense", Some((2011, 2020))));
        s.push(Operation::dissolve_alliance("Russia", "China", None, None));
        s.push(Operation::dissolve_alliance("710", "365", Some("defense"), None));
        let w = s.apply_alliances(&al).unwrap();
        // 2011-2012 (clipped to the data's span), US-Russia a defense pact
        assert_eq!(
            (w.level(2, 365, 2010).unwrap(), w.level(365, 2, 2011).unwrap(), w.level(2, 365, 2012).unwrap()),
            (0, 3, 3)
        );
        assert_eq!((w.level(365, 710, 2010).unwrap(), w.level(365, 710, 2011).unwrap()), (0, 0));
        assert_eq!(w.level(2, 200, 2011).unwrap(), 3, "other dyads unchanged");
        assert_eq!(w.coverage(), al.coverage());
        assert_eq!(al.level(365, 710, 2011).unwrap(), 3, "the baseline is unchanged");
        assert_eq!(w.partners(365, 2011).unwrap(), vec![(2, 3)]);
        // a neutrality pact; dissolving only its type keeps the defense pact
        let mut s = Scenario::new("t");
        s.push(Operation::form_alliance("2", "365", "neutrality", Some((2012, 2012))));
        s.push(Operation::dissolve_alliance("2", "200", Some("entente"), Some((2012, 2012))));
        let w = s.apply_alliances(&al).unwrap();
        assert_eq!(w.level(2, 365, 2012).unwrap(), 2);
        assert_eq!(w.level(2, 200, 2012).unwrap(), 3);
        // COW codes no offense pacts; a period outside the data; a state with itself
        for op in [
            Operation::form_alliance("2", "365", "offense", None),
            Operation::form_alliance("2", "365", "defense", Some((1900, 1950))),
            Operation::form_alliance("Russia", "russia", "defense", None),
            Operation::form_alliance("2", "365", "friendship", None),
        ] {
            let mut s = Scenario::new("bad");
            s.push(op);
            assert!(s.apply_alliances(&al).is_err());
        }
        // ATOP is directed: both directions get the pact
        let atop = "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n2,200,2015,1,0,0,0,0\n200,2,2015,1,0,0,0,0\n";
        let al = crate::relations::parse_alliances(atop, std::path::Path::new("atop.csv")).unwrap();
        let mut s = Scenario::new("t");
        s.push(Operation::form_alliance("China", "Russia", "consultation", None));
        let w = s.apply_alliances(&al).unwrap();
        assert_eq!((w.level(710, 365, 2015).unwrap(), w.level(365, 710, 2015).unwrap()), (1, 1));
    }

    #[test]
    fn capability_ops_leave_ledgers_and_round_trip() {
        let l = ledger(&[(0, 1, 2016, 10.0)]);
        let mut s = Scenario::new("mixed");
        s.push(Operation::embargo_dyad("Russia", "China", Some((2016, 2020))));
        s.push(Operation::scale_capabilities("China", 0.5, Some("milex"), 2010));
        s.push(Operation::ScaleCapabilities {
            actor: "China".into(),
            factor: 2.0,
            measure: None,
            from_year: 2000,
            to_year: Some(2005),
        });
        s.push(Operation::scale_growth("China", 0.5, None, 2010));
        s.push(Operation::form_alliance("Russia", "United States", "defense", Some((2012, 2018))));
        s.push(Operation::dissolve_alliance("Russia", "China", None, None));
        s.push(Operation::dissolve_alliance("Russia", "China", Some("nonaggression"), Some((2001, 2010))));
        let (w, eff) = s.apply_traced(&l).unwrap();
        assert_eq!(w.sum_in(all()), 0.0);
        assert!(eff[1..].iter().all(|e| *e == Effect::default()));
        let j = s.to_json().unwrap();
        assert!(j.contains("\"op\": \"scale_growth\"") && j.contains("\"type\": \"defense\""), "{j}");
        assert_eq!(Scenario::from_json(&j).unwrap(), s);
        assert_eq!(s.operations[3].describe(), "scale China's growth of capabilities by 0.5, from 2010");
        assert_eq!(s.operations[4].describe(), "form a defense alliance Russia - United States, 2012-2018");
        let e = Scenario::from_json(
            r#"{"operations": [{"op": "scale_growth", "actor": "China", "factor": -1, "from_year": 2010}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("scale factor"), "{e}");
        assert!(Scenario::from_json(
            r#"{"operations": [{"op": "form_alliance", "a": "X", "b": "Y", "type": "pals"}]}"#
        )
        .is_err());
        assert!(Scenario::from_json(r#"{"operations": [{"op": "scale_capabilities", "actor": "X", "factor": 1, "from_year": 2010, "to_year": 2000}]}"#).is_err());
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
            (name.clone(), 0.0f64..3.0, per.clone()).prop_map(|(supplier, factor, period)| Operation::ScaleExports {
                supplier,
                factor,
                period
            }),
            (name, 0.0f64..3.0, per).prop_map(|(recipient, factor, period)| Operation::ScaleImports {
                recipient,
                factor,
                period
            }),
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
            Operation::EmbargoCategory { .. }
            | Operation::Redirect { .. }
            | Operation::ScaleCapabilities { .. }
            | Operation::ScaleGrowth { .. }
            | Operation::FormAlliance { .. }
            | Operation::DissolveAlliance { .. }
            | Operation::ShiftIdealPoint { .. } => (0.0, 0.0),
            Operation::ScaleExports { .. } | Operation::ScaleImports { .. } => {
                let (s, r, factor, period) = match op {
                    Operation::ScaleExports { supplier, factor, period } => {
                        (Some(supplier.clone()), None, factor, period)
                    }
                    Operation::ScaleImports { recipient, factor, period } => {
                        (None, Some(recipient.clone()), factor, period)
                    }
                    _ => unreachable!(),
                };
                let x: f64 = (0..l.len()).filter(|&i| hit(i, &s, &r, period)).map(|i| l.tiv[i]).sum();
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
                let before = l.sum_in(all());
                let mut s = Scenario::new("p");
                s.push(op.clone());
                match s.apply_traced(&l) {
                    Ok((w, eff)) => {
                        let tol = 1e-9 * (1.0 + before.abs());
                        prop_assert!((w.sum_in(all()) - (before - rm + add)).abs() < tol, "{}: {} vs {}", op.describe(), w.sum_in(all()), before - rm + add);
                        prop_assert!((eff[0].removed - rm).abs() < tol && (eff[0].added - add).abs() < tol);
                        if let Operation::Redirect { recipient, .. } = &op {
                            // conserved year by year, and the recipient's imports unchanged
                            for y in 2010..2022 {
                                prop_assert!((w.sum_in(Period::year(y)) - l.sum_in(Period::year(y))).abs() < tol);
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

    /// The entries of `l` in any of `ps`, in order, exactly (TIV as bits).
    fn entries_in(l: &Ledger, ps: &[Period]) -> Vec<(ActorId, ActorId, i32, u64, u32)> {
        (0..l.len())
            .filter(|&i| ps.iter().any(|p| p.contains(l.year[i])))
            .map(|i| (l.supplier[i], l.recipient[i], l.year[i], l.tiv[i].to_bits(), l.deal[i]))
            .collect()
    }

    /// `apply_within` gives the full what-if's entries in the window, or the same error.
    fn same_within(l: &Ledger, s: &Scenario, ps: &[Period]) -> std::result::Result<(), String> {
        let w = Window::new(l, Some(ps));
        match (s.apply(l), s.apply_within(l, &w)) {
            (Ok(full), Ok(cut)) if entries_in(&full, ps) == entries_in(&cut, ps) && full.years() == cut.years() => {
                Ok(())
            }
            (Err(a), Err(b)) if a.to_string() == b.to_string() => Ok(()),
            (a, b) => {
                Err(format!("{:?} in {ps:?}: {:?} vs {:?}", s.operations, a.map(|l| l.len()), b.map(|l| l.len())))
            }
        }
    }

    /// One of each ledger operation, and a capability one, on the names of the fixture register
    /// (`crate::sweep::tests::ledger`: 2012-2020, with categories).
    fn every_operation() -> Vec<Operation> {
        vec![
            Operation::embargo_dyad("Russia", "China", Some((2016, 2020))),
            Operation::embargo_supplier("Russia", None),
            Operation::Embargo { supplier: None, recipient: Some("India".into()), period: Some(Period::year(2019)) },
            Operation::embargo_category("Aircraft", Some("Russia"), None, None),
            Operation::embargo_category("ships", None, Some("Algeria"), Some((2016, 2017))),
            Operation::redirect("India", "Russia", Some("France"), None),
            // pro-rata: China has no other supplier (an error), India's period is longer than
            // a 2016-20 window, Algeria's every year
            Operation::redirect("China", "Russia", None, Some((2016, 2020))),
            Operation::redirect("India", "Russia", None, Some((2012, 2020))),
            Operation::redirect("Algeria", "Russia", None, None),
            Operation::scale_exports("United States", 1.5, Some((2015, 2020))),
            Operation::ScaleImports { recipient: "Algeria".into(), factor: 0.5, period: None },
            Operation::scale_capabilities("China", 2.0, None, 2000),
        ]
    }

    #[test]
    fn apply_within_equals_the_full_apply_for_every_operation() {
        let l = crate::sweep::tests::ledger();
        let p = |s, e| Period { start: s, end: e };
        let windows =
            [vec![p(2016, 2020)], vec![p(2016, 2020), p(2011, 2015)], vec![p(2019, 2019)], vec![p(1900, 2100)]];
        let ops = every_operation();
        let mut all = Scenario::new("all");
        for (k, op) in ops.iter().enumerate() {
            let mut one = Scenario::new("one");
            one.push(op.clone());
            if k != 6 {
                all.push(op.clone());
            }
            for ps in &windows {
                same_within(&l, &one, ps).unwrap();
            }
        }
        for ps in &windows {
            same_within(&l, &all, ps).unwrap();
        }
        // the cut is used where it can be: an embargo copies the window's entries only
        let w = Window::new(&l, Some(&windows[0]));
        let mut s = Scenario::new("one");
        s.push(ops[0].clone());
        assert_eq!((s.apply(&l).unwrap().len(), s.apply_within(&l, &w).unwrap().len()), (8, 7));
        // a pro-rata redirect over every year takes the full copy
        s.push(ops[8].clone());
        assert_eq!(s.apply_within(&l, &w).unwrap().len(), s.apply(&l).unwrap().len());
    }

    #[test]
    fn apply_within_fails_where_the_full_apply_overflows() {
        // 2012's 300 is outside the window: 300 * 1e7 * 1e7 is above MAX_SCENARIO_TIV
        let l = crate::sweep::tests::ledger();
        let w = Window::new(&l, Some(&[Period { start: 2016, end: 2020 }]));
        let mut s = Scenario::new("huge");
        s.push(Operation::scale_exports("Russia", 1e7, Some((2012, 2012))));
        s.push(Operation::scale_exports("Russia", 1e7, Some((2010, 2014))));
        let full = s.apply(&l).unwrap_err().to_string();
        assert!(full.contains("above 1e15"), "{full}");
        assert_eq!(s.apply_within(&l, &w).unwrap_err().to_string(), full);
        assert_eq!(w.periods(), [Period { start: 2016, end: 2020 }]);
    }

    proptest! {
        /// A what-if within a window has the full what-if's entries in the window's years.
        #[test]
        fn apply_within_is_the_full_apply_cut_to_the_window(
            rows in arb_ledger(),
            ops in prop::collection::vec(arb_op(), 0..5),
            windows in prop::collection::vec((2008i32..2024, 0i32..5), 1..3),
        ) {
            let l = ledger(&rows);
            let ps: Vec<Period> = windows.iter().map(|&(s, n)| Period { start: s, end: s + n }).collect();
            let mut s = Scenario::new("p");
            for op in ops {
                s.push(op);
            }
            if let Err(e) = same_within(&l, &s, &ps) {
                prop_assert!(false, "{}", e);
            }
        }
    }
}
