//! Arms-trade dependence (`powerbalance_core::metrics::dependence`; Hirschman 1945): callable
//! as ledger methods (`led.supplier_dependence("India", 2000, 2020)`) or functions
//! (`supplier_dependence(led, "India", 2000, 2020)`), as in Python (`Ledger` methods and
//! `powerbalance.metrics`). The options map holds Python's keyword-only arguments.

use crate::args::{count, opt_period, options, period, text, OPEN};
use crate::types::*;
use powerbalance_core::metrics::dependence as dep;
use powerbalance_core::{ActorId, Ledger as CoreLedger, Period, Table as CoreTable};
use rhai::plugin::*;
use rhai::{Dynamic, Map};

/// The periods of `start..=end`: each year, or blocks of `block` years.
fn periods(start: i64, end: i64, block: Option<usize>) -> R<Vec<Period>> {
    let p = period(start, end)?;
    match block {
        None => Ok(dep::annual(p)),
        Some(n) => ok(dep::blocks(p, n)),
    }
}

/// `#{<partner>: name, block: years}`: the partner resolved in the ledger, the block length.
fn partner_block(l: &CoreLedger, opts: &Map, partner: &str) -> R<(Option<ActorId>, Option<usize>)> {
    let (mut who, mut block) = (None, None);
    for (k, v) in options(opts, &[partner, "block"])? {
        match k {
            "block" => block = if v.is_unit() { None } else { Some(count(v, "block")?) },
            _ => who = if v.is_unit() { None } else { Some(ok(l.resolve(&text(v, partner)?))?) },
        }
    }
    Ok((who, block))
}

/// A core one-sided dependence table: `dep::supplier_dependence_table` or
/// `dep::client_dependence_table`.
type OneSided = fn(&CoreLedger, ActorId, Option<ActorId>, &[Period]) -> powerbalance_core::Result<CoreTable>;

/// The one-sided dependence `table_of` of `actor` over `start..=end`, with the options
/// `#{<partner>: name, block: years}`.
fn one_sided(
    l: &CoreLedger, actor: &str, start: i64, end: i64, opts: &Map, partner: &str, table_of: OneSided,
) -> R<Table> {
    let (who, block) = partner_block(l, opts, partner)?;
    table(table_of(l, ok(l.resolve(actor))?, who, &periods(start, end, block)?))
}

/// The short forms of the dependence functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use dependence_api::*;
    short_forms! { module;
        /// A recipient's dependence on its top supplier by year over `start..=end`:
        /// `share = tiv_s / tiv_all` with the HHI of its suppliers. Columns `start, end, recipient,
        /// supplier, tiv, total, share, hhi, n_partners`.
        fn supplier_dependence(ledger: &mut Ledger, recipient: &str, start: i64, end: i64) -> Table
            = supplier_dependence_opts(ledger, recipient, start, end, Map::new());
        /// A supplier's dependence on its top client by year over `start..=end`. Columns `start,
        /// end, supplier, client, tiv, total, share, hhi, n_partners`.
        fn client_dependence(ledger: &mut Ledger, supplier: &str, start: i64, end: i64) -> Table
            = client_dependence_opts(ledger, supplier, start, end, Map::new());
        /// The dependence asymmetry of a dyad by year: the recipient's dependence on the supplier
        /// minus the supplier's on the recipient. Columns `start, end, tiv, recipient_dependence,
        /// supplier_dependence, asymmetry`.
        fn dependence_asymmetry(ledger: &mut Ledger, supplier: &str, recipient: &str, start: i64, end: i64) -> Table
            = dependence_asymmetry_opts(ledger, supplier, recipient, start, end, Map::new());
        /// An actor's net exporter status by year over the ledger's span:
        /// `net = exports - imports`. Columns `year, exports, imports, net, net_exporter, status`.
        fn net_exporter(ledger: &mut Ledger, actor: &str) -> Table = net_exporter_period(ledger, actor, OPEN, OPEN);
    }
}

#[export_module]
pub mod dependence_api {
    use super::*;

    /// As `supplier_dependence(l, recipient, start, end)` with options `#{supplier: "Russia",
    /// block: 5}` (one supplier; blocks of years instead of single years).
    #[rhai_fn(name = "supplier_dependence", return_raw, pure)]
    pub fn supplier_dependence_opts(
        ledger: &mut Ledger, recipient: &str, start: i64, end: i64, options: Map,
    ) -> R<Table> {
        one_sided(&ledger.0, recipient, start, end, &options, "supplier", dep::supplier_dependence_table)
    }

    /// As `client_dependence(l, supplier, start, end)` with options `#{client: "India", block: 5}`.
    #[rhai_fn(name = "client_dependence", return_raw, pure)]
    pub fn client_dependence_opts(ledger: &mut Ledger, supplier: &str, start: i64, end: i64, options: Map) -> R<Table> {
        one_sided(&ledger.0, supplier, start, end, &options, "client", dep::client_dependence_table)
    }

    /// As `dependence_asymmetry(...)` with options `#{block: 5}`.
    #[rhai_fn(name = "dependence_asymmetry", return_raw, pure)]
    pub fn dependence_asymmetry_opts(
        ledger: &mut Ledger, supplier: &str, recipient: &str, start: i64, end: i64, options: Map,
    ) -> R<Table> {
        let (_, block) = partner_block(&ledger.0, &options, "block")?;
        let (s, r) = (ok(ledger.0.resolve(supplier))?, ok(ledger.0.resolve(recipient))?);
        table(dep::asymmetry_table(&ledger.0, s, r, &periods(start, end, block)?))
    }

    /// An actor's net exporter status over `start..=end` (`()` for an open bound).
    #[rhai_fn(name = "net_exporter", return_raw, pure)]
    pub fn net_exporter_period(ledger: &mut Ledger, actor: &str, start: Dynamic, end: Dynamic) -> R<Table> {
        let p = opt_period(&start, &end, ledger.0.years())?;
        table(dep::net_exporter(&ledger.0, ok(ledger.0.resolve(actor))?, p))
    }
}
