//! Scenarios (`powerbalance_core::scenario`): `scenario(name)`, then operations (each appends
//! to the scenario and returns it, so calls chain), `apply` to any model it transforms,
//! `compare`, `effects` and JSON. Every operation takes the arguments of Python's
//! `Scenario` method of the same name, in the same order.

use crate::args::{only, period, text, year};
use crate::types::*;
use powerbalance_core::scenario::{self as sc, Operation};
use rhai::plugin::*;
use rhai::{Array, Dynamic, FnPtr, NativeCallContext};

/// Append an operation, checked now (the core's [`Operation::check`]) so that the error points
/// at the line that adds it.
fn push(s: &mut sc::Scenario, op: Operation) -> R<sc::Scenario> {
    crate::check_stop()?;
    ok(op.check())?;
    s.push(op);
    Ok(s.clone())
}

/// The period `start..=end`, checked, as the core's operation constructors take it.
fn span(start: i64, end: i64) -> R<Option<(i32, i32)>> {
    period(start, end).map(|p| Some((p.start, p.end)))
}

/// The scenario applied to a model: a new model of the same kind.
fn apply_any(s: &sc::Scenario, data: Dynamic) -> R<Dynamic> {
    if let Some(l) = data.clone().try_cast::<LedgerRef>() {
        return ok(s.apply(&l.0)).map(|x| Dynamic::from(LedgerRef::from(x)));
    }
    if let Some(c) = data.clone().try_cast::<CapsRef>() {
        return ok(s.apply_capabilities(&c.0)).map(|x| Dynamic::from(CapsRef::from(x)));
    }
    if let Some(m) = data.clone().try_cast::<MilexRef>() {
        return ok(s.apply_milex(&m.0)).map(|x| Dynamic::from(MilexRef::from(x)));
    }
    if let Some(a) = data.clone().try_cast::<AlliancesRef>() {
        return ok(s.apply_alliances(&a.0)).map(|x| Dynamic::from(AlliancesRef::from(x)));
    }
    if let Some(i) = data.clone().try_cast::<IdealPointsRef>() {
        return ok(s.apply_ideal_points(&i.0)).map(|x| Dynamic::from(IdealPointsRef::from(x)));
    }
    Err(err(format!(
        "a scenario applies to a Ledger, Capabilities, MilitaryExpenditure, Alliances or IdealPoints, not {}",
        data.type_name()
    )))
}

#[export_module]
pub mod scenario_api {
    use super::*;

    /// A new, empty scenario.
    #[rhai_fn(name = "scenario")]
    pub fn scenario(name: &str) -> Scenario {
        sc::Scenario::new(name)
    }

    /// A new, empty scenario with the baseline it starts from (a data path or dataset name).
    #[rhai_fn(name = "scenario")]
    pub fn scenario_baseline(name: &str, baseline: &str) -> Scenario {
        let mut s = sc::Scenario::new(name);
        s.baseline = Some(baseline.into());
        s
    }

    /// A scenario from JSON (as `to_json` writes it). Python: `Scenario.from_json(text)`.
    #[rhai_fn(return_raw)]
    pub fn scenario_from_json(text: &str) -> R<Scenario> {
        ok(sc::Scenario::from_json(text))
    }

    /// Embargo the dyad `supplier -> recipient` in every year.
    #[rhai_fn(name = "embargo", return_raw)]
    pub fn embargo(s: &mut Scenario, supplier: &str, recipient: &str) -> R<Scenario> {
        push(s, Operation::embargo_dyad(supplier, recipient, None))
    }

    /// Embargo the dyad `supplier -> recipient` in `start..=end`.
    #[rhai_fn(name = "embargo", return_raw)]
    pub fn embargo_period(s: &mut Scenario, supplier: &str, recipient: &str, start: i64, end: i64) -> R<Scenario> {
        push(s, Operation::embargo_dyad(supplier, recipient, span(start, end)?))
    }

    /// Embargo the dyad `supplier -> recipient` in `start..=end` with Python's keyword
    /// options: `#{category: "Aircraft"}` embargoes that armament category only (new-format
    /// registers).
    #[rhai_fn(name = "embargo", return_raw)]
    pub fn embargo_opts(
        s: &mut Scenario, supplier: &str, recipient: &str, start: i64, end: i64, options: rhai::Map,
    ) -> R<Scenario> {
        let period = span(start, end)?;
        match only(&options, "category")? {
            Some(c) => {
                push(s, Operation::embargo_category(&text(c, "category")?, Some(supplier), Some(recipient), period))
            }
            None => push(s, Operation::embargo_dyad(supplier, recipient, period)),
        }
    }

    /// Embargo every export of `supplier` in every year.
    #[rhai_fn(name = "embargo_supplier", return_raw)]
    pub fn embargo_supplier(s: &mut Scenario, supplier: &str) -> R<Scenario> {
        push(s, Operation::embargo_supplier(supplier, None))
    }

    /// Embargo every export of `supplier` in `start..=end`.
    #[rhai_fn(name = "embargo_supplier", return_raw)]
    pub fn embargo_supplier_period(s: &mut Scenario, supplier: &str, start: i64, end: i64) -> R<Scenario> {
        push(s, Operation::embargo_supplier(supplier, span(start, end)?))
    }

    /// Embargo every import of `recipient` in `start..=end`.
    #[rhai_fn(name = "embargo_recipient", return_raw)]
    pub fn embargo_recipient(s: &mut Scenario, recipient: &str, start: i64, end: i64) -> R<Scenario> {
        push(
            s,
            Operation::Embargo {
                supplier: None,
                recipient: Some(recipient.into()),
                period: period(start, end).map(Some)?,
            },
        )
    }

    /// Redirect `recipient`'s imports from `from` in `start..=end` to its other suppliers, in
    /// proportion to their shares (the world total is unchanged).
    #[rhai_fn(name = "redirect", return_raw)]
    pub fn redirect(s: &mut Scenario, recipient: &str, from: &str, start: i64, end: i64) -> R<Scenario> {
        push(s, Operation::redirect(recipient, from, None, span(start, end)?))
    }

    /// Redirect `recipient`'s imports from `from` in `start..=end` to `to`.
    #[rhai_fn(name = "redirect", return_raw)]
    pub fn redirect_to(s: &mut Scenario, recipient: &str, from: &str, to: &str, start: i64, end: i64) -> R<Scenario> {
        push(s, Operation::redirect(recipient, from, Some(to), span(start, end)?))
    }

    /// Multiply `supplier`'s exports in `start..=end` by `factor` (0 or more).
    #[rhai_fn(name = "scale_exports", return_raw)]
    pub fn scale_exports(s: &mut Scenario, supplier: &str, factor: f64, start: i64, end: i64) -> R<Scenario> {
        push(s, Operation::scale_exports(supplier, factor, span(start, end)?))
    }

    /// Multiply `recipient`'s imports in `start..=end` by `factor` (0 or more).
    #[rhai_fn(name = "scale_imports", return_raw)]
    pub fn scale_imports(s: &mut Scenario, recipient: &str, factor: f64, start: i64, end: i64) -> R<Scenario> {
        push(s, Operation::ScaleImports { recipient: recipient.into(), factor, period: period(start, end).map(Some)? })
    }

    /// Multiply an actor's CINC inputs (all six components; on SIPRI data both dollar series)
    /// by `factor` from `start` on.
    #[rhai_fn(name = "scale_capabilities", return_raw)]
    pub fn scale_capabilities(s: &mut Scenario, actor: &str, factor: f64, start: i64) -> R<Scenario> {
        push(s, Operation::scale_capabilities(actor, factor, None, year(start)?))
    }

    /// Multiply one measure (`milex`, `milper`, `irst`, `pec`, `tpop`, `upop`, `constant`,
    /// `current`, `share_gdp`, or `cinc` for all inputs) by `factor` from `start` on.
    #[rhai_fn(name = "scale_capabilities", return_raw)]
    pub fn scale_capabilities_measure(
        s: &mut Scenario, actor: &str, measure: &str, factor: f64, start: i64,
    ) -> R<Scenario> {
        push(s, Operation::scale_capabilities(actor, factor, Some(measure), year(start)?))
    }

    /// Multiply one measure by `factor` in `start..=end` only.
    #[rhai_fn(name = "scale_capabilities", return_raw)]
    pub fn scale_capabilities_period(
        s: &mut Scenario, actor: &str, measure: &str, factor: f64, start: i64, end: i64,
    ) -> R<Scenario> {
        let p = period(start, end)?;
        let (actor, measure) = (actor.into(), Some(measure.into()));
        push(s, Operation::ScaleCapabilities { actor, factor, measure, from_year: p.start, to_year: Some(p.end) })
    }

    /// Multiply an actor's year-on-year growth of every CINC input (SIPRI: both dollar series)
    /// by `factor` from `start` on, compounding: `x'_t = x'_(t-1) (1 + factor g_t)`.
    #[rhai_fn(name = "scale_growth", return_raw)]
    pub fn scale_growth(s: &mut Scenario, actor: &str, factor: f64, start: i64) -> R<Scenario> {
        push(s, Operation::scale_growth(actor, factor, None, year(start)?))
    }

    /// Multiply an actor's year-on-year growth of one measure by `factor` from `start` on.
    #[rhai_fn(name = "scale_growth", return_raw)]
    pub fn scale_growth_measure(s: &mut Scenario, actor: &str, measure: &str, factor: f64, start: i64) -> R<Scenario> {
        push(s, Operation::scale_growth(actor, factor, Some(measure), year(start)?))
    }

    /// Form an alliance of a type (`defense`, `offense`, `neutrality`, `nonaggression`,
    /// `entente`, `consultation`) between `a` and `b` in every year of the alliance data.
    #[rhai_fn(name = "form_alliance", return_raw)]
    pub fn form_alliance(s: &mut Scenario, a: &str, b: &str, alliance_type: &str) -> R<Scenario> {
        push(s, Operation::form_alliance(a, b, alliance_type, None))
    }

    /// Form an alliance of a type between `a` and `b` in `start..=end`.
    #[rhai_fn(name = "form_alliance", return_raw)]
    pub fn form_alliance_period(
        s: &mut Scenario, a: &str, b: &str, alliance_type: &str, start: i64, end: i64,
    ) -> R<Scenario> {
        push(s, Operation::form_alliance(a, b, alliance_type, span(start, end)?))
    }

    /// Dissolve every alliance between `a` and `b` in every year.
    #[rhai_fn(name = "dissolve_alliance", return_raw)]
    pub fn dissolve_alliance(s: &mut Scenario, a: &str, b: &str) -> R<Scenario> {
        push(s, Operation::dissolve_alliance(a, b, None, None))
    }

    /// Dissolve every alliance between `a` and `b` in `start..=end`.
    #[rhai_fn(name = "dissolve_alliance", return_raw)]
    pub fn dissolve_alliance_period(s: &mut Scenario, a: &str, b: &str, start: i64, end: i64) -> R<Scenario> {
        push(s, Operation::dissolve_alliance(a, b, None, span(start, end)?))
    }

    /// Dissolve the alliance of one type between `a` and `b` in `start..=end`.
    #[rhai_fn(name = "dissolve_alliance", return_raw)]
    pub fn dissolve_alliance_type(
        s: &mut Scenario, a: &str, b: &str, alliance_type: &str, start: i64, end: i64,
    ) -> R<Scenario> {
        push(s, Operation::dissolve_alliance(a, b, Some(alliance_type), span(start, end)?))
    }

    /// Shift `actor`'s UN ideal points by `by` in every year (`x' = x + by`).
    #[rhai_fn(name = "shift_ideal_point", return_raw)]
    pub fn shift_ideal_point(s: &mut Scenario, actor: &str, by: f64) -> R<Scenario> {
        push(s, Operation::shift_ideal_point(actor, by, None, None))
    }

    /// Shift `actor`'s UN ideal points by `by` in `start..=end`.
    #[rhai_fn(name = "shift_ideal_point", return_raw)]
    pub fn shift_ideal_point_period(s: &mut Scenario, actor: &str, by: f64, start: i64, end: i64) -> R<Scenario> {
        push(s, Operation::shift_ideal_point(actor, by, None, span(start, end)?))
    }

    /// Move `actor`'s UN ideal points the fraction `by` (0 to 1) of the way to `toward`'s, in
    /// every year both have one (`x' = x + by (x_toward - x)`; Bailey, Strezhnev & Voeten 2017).
    #[rhai_fn(name = "shift_ideal_point", return_raw)]
    pub fn shift_ideal_point_toward(s: &mut Scenario, actor: &str, toward: &str, by: f64) -> R<Scenario> {
        push(s, Operation::shift_ideal_point(actor, by, Some(toward), None))
    }

    /// As `shift_ideal_point(actor, toward, by)`, in `start..=end`.
    #[rhai_fn(name = "shift_ideal_point", return_raw)]
    pub fn shift_ideal_point_toward_period(
        s: &mut Scenario, actor: &str, toward: &str, by: f64, start: i64, end: i64,
    ) -> R<Scenario> {
        push(s, Operation::shift_ideal_point(actor, by, Some(toward), span(start, end)?))
    }

    /// The scenario applied to `data` (a `Ledger`, `Capabilities`, `MilitaryExpenditure`,
    /// `Alliances` or `IdealPoints`): a new model of the same kind, the baseline unchanged.
    #[rhai_fn(name = "apply", return_raw, pure)]
    pub fn apply(s: &mut Scenario, data: Dynamic) -> R<Dynamic> {
        apply_any(s, data)
    }

    /// What each operation does to the world total on `ledger`:
    /// `step, operation, removed, added, moved, entries`.
    #[rhai_fn(return_raw, pure)]
    pub fn effects(s: &mut Scenario, ledger: Ledger) -> R<Table> {
        table(s.effects(&ledger.0))
    }

    /// `metric` (a function of the model returning a table) on the baseline and on the
    /// scenario applied to it, side by side with the differences:
    /// `compare(led, s, |l| l.exporters(2016, 2020))`.
    #[rhai_fn(name = "compare", return_raw)]
    pub fn compare(ctx: NativeCallContext, baseline: Dynamic, scenario: Scenario, metric: FnPtr) -> R<Table> {
        let what_if = apply_any(&scenario, baseline.clone())?;
        let run = |x: Dynamic| -> R<TableRef> {
            let v: Dynamic = metric.call_within_context(&ctx, (x,))?;
            v.try_cast::<TableRef>().ok_or_else(|| err("compare: the metric must return a table"))
        };
        let (a, b) = (run(baseline)?, run(what_if)?);
        table(sc::compare_tables(&a.0, &b.0, None))
    }

    /// The scenario as JSON.
    #[rhai_fn(return_raw, pure)]
    pub fn to_json(s: &mut Scenario) -> R<String> {
        ok(s.to_json())
    }

    /// The scenario's short title.
    #[rhai_fn(get = "name", pure)]
    pub fn name(s: &mut Scenario) -> String {
        s.name.clone()
    }

    /// What the scenario starts from (a data path or dataset name), or `()`.
    #[rhai_fn(get = "baseline", pure)]
    pub fn baseline(s: &mut Scenario) -> Dynamic {
        s.baseline.clone().map(Dynamic::from).unwrap_or(Dynamic::UNIT)
    }

    /// The operations, each described in one line.
    #[rhai_fn(get = "operations", pure)]
    pub fn operations(s: &mut Scenario) -> Array {
        s.operations.iter().map(|o| Dynamic::from(o.describe())).collect()
    }

    /// Number of operations.
    #[rhai_fn(name = "len", pure)]
    pub fn len(s: &mut Scenario) -> i64 {
        s.operations.len() as i64
    }

    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn to_string(s: &mut Scenario) -> String {
        let mut out = format!("scenario {:?}", s.name);
        for (i, o) in s.operations.iter().enumerate() {
            out.push_str(&format!("\n  {}. {}", i + 1, o.describe()));
        }
        out
    }
}
