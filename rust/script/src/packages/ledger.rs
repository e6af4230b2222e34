//! Ledgers and the transfer metrics (`powerbalance_core::metrics::transfers`): fact-sheet
//! tables, dyads, series, world totals. Every metric returns a table.

use crate::args::{count, opt_period, options, pair_period, period, OPEN};
use crate::types::*;
use powerbalance_core::metrics::transfers::{self as tm, FactSheet};
use powerbalance_core::Ledger as CoreLedger;
use rhai::plugin::*;
use rhai::{Dynamic, Map};

/// The fact-sheet options `#{top, suppliers (or clients), compare: [start, end]}`.
fn fact_sheet(opts: &Map, partners: &str) -> R<FactSheet> {
    let mut o = FactSheet { top: None, partners: 3, compare: None };
    for (k, v) in options(opts, &["top", partners, "compare"])? {
        match k {
            "top" => o.top = if v.is_unit() { None } else { Some(count(v, "top")?) },
            "compare" => o.compare = Some(pair_period(v, "compare")?),
            _ => o.partners = count(v, partners)?,
        }
    }
    Ok(o)
}

fn actor(l: &CoreLedger, name: &str) -> R<powerbalance_core::ActorId> {
    ok(l.resolve(name))
}

/// The short forms of the ledger's functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use ledger_api::*;
    short_forms! { module;
        /// The largest importers of `start..=end` (SIPRI fact-sheet table 2), three suppliers each.
        fn importers(l: &mut Ledger, start: i64, end: i64) -> Table = importers_opts(l, start, end, Map::new());
        /// The largest exporters of `start..=end` (SIPRI fact-sheet table 1), three clients each.
        fn exporters(l: &mut Ledger, start: i64, end: i64) -> Table = exporters_opts(l, start, end, Map::new());
        /// The annual series of one supplier-recipient dyad over the ledger's span.
        fn dyad(l: &mut Ledger, supplier: &str, recipient: &str) -> Table
            = dyad_period(l, supplier, recipient, OPEN, OPEN);
        /// One actor's annual exports and imports over the ledger's span.
        fn series(l: &mut Ledger, actor: &str) -> Table = series_period(l, actor, OPEN, OPEN);
        /// The world total by year over the ledger's span.
        fn world(l: &mut Ledger) -> Table = world_period(l, OPEN, OPEN);
    }
}

#[export_module]
pub mod ledger_api {
    use super::*;

    /// Number of entries.
    #[rhai_fn(name = "len", pure)]
    pub fn len(l: &mut Ledger) -> i64 {
        l.0.len() as i64
    }

    /// First and last year with an entry, as `[start, end]` (`()` for an empty ledger).
    #[rhai_fn(get = "span", pure)]
    pub fn span(l: &mut Ledger) -> Dynamic {
        l.0.span().map(|p| Dynamic::from_array(crate::args::span_of(p))).unwrap_or(Dynamic::UNIT)
    }

    /// The years the ledger covers, `[first, last]`, fixed when it was read (`()` when empty).
    #[rhai_fn(get = "years", pure)]
    pub fn years(l: &mut Ledger) -> Dynamic {
        l.0.years().map(|p| Dynamic::from_array(crate::args::span_of(p))).unwrap_or(Dynamic::UNIT)
    }

    /// What the rows hold: `"dyadic"`, `"export-totals"` or `"import-totals"` (the years are
    /// `years`).
    #[rhai_fn(get = "layout", pure)]
    pub fn layout(l: &mut Ledger) -> String {
        l.0.coverage.as_str().into()
    }

    /// True when annual values are estimates (the classic register spreads deal totals).
    #[rhai_fn(get = "annual_estimated", pure)]
    pub fn annual_estimated(l: &mut Ledger) -> bool {
        l.0.annual_estimated
    }

    /// Sum of TIV over every entry in `start..=end`.
    #[rhai_fn(return_raw, pure)]
    pub fn total(l: &mut Ledger, start: i64, end: i64) -> R<f64> {
        ok(l.0.total(period(start, end)?))
    }

    /// The largest importers with options `#{top: 10, suppliers: 3, compare: [2011, 2015]}`.
    #[rhai_fn(name = "importers", return_raw, pure)]
    pub fn importers_opts(l: &mut Ledger, start: i64, end: i64, options: Map) -> R<Table> {
        table(tm::importers(&l.0, period(start, end)?, fact_sheet(&options, "suppliers")?))
    }

    /// The largest exporters with options `#{top: 10, clients: 3, compare: [2011, 2015]}`.
    #[rhai_fn(name = "exporters", return_raw, pure)]
    pub fn exporters_opts(l: &mut Ledger, start: i64, end: i64, options: Map) -> R<Table> {
        table(tm::exporters(&l.0, period(start, end)?, fact_sheet(&options, "clients")?))
    }

    /// The annual series of one dyad over `start..=end` (`()` for the ledger's first or last
    /// year).
    #[rhai_fn(name = "dyad", return_raw, pure)]
    pub fn dyad_period(l: &mut Ledger, supplier: &str, recipient: &str, start: Dynamic, end: Dynamic) -> R<Table> {
        let p = opt_period(&start, &end, l.0.years())?;
        table(tm::dyad_series(&l.0, actor(&l.0, supplier)?, actor(&l.0, recipient)?, p))
    }

    /// A recipient's suppliers over `start..=end`: `rank, supplier, tiv, share`.
    #[rhai_fn(return_raw, pure)]
    pub fn suppliers(l: &mut Ledger, recipient: &str, start: i64, end: i64) -> R<Table> {
        table(tm::suppliers_of(&l.0, actor(&l.0, recipient)?, period(start, end)?))
    }

    /// A supplier's clients over `start..=end`: `rank, recipient, tiv, share`.
    #[rhai_fn(return_raw, pure)]
    pub fn clients(l: &mut Ledger, supplier: &str, start: i64, end: i64) -> R<Table> {
        table(tm::clients_of(&l.0, actor(&l.0, supplier)?, period(start, end)?))
    }

    /// TIV by supplier with shares of world exports.
    #[rhai_fn(return_raw, pure)]
    pub fn by_supplier(l: &mut Ledger, start: i64, end: i64) -> R<Table> {
        table(tm::by_supplier(&l.0, period(start, end)?))
    }

    /// TIV by recipient with shares of world imports.
    #[rhai_fn(return_raw, pure)]
    pub fn by_recipient(l: &mut Ledger, start: i64, end: i64) -> R<Table> {
        table(tm::by_recipient(&l.0, period(start, end)?))
    }

    /// TIV by supplier-recipient pair.
    #[rhai_fn(return_raw, pure)]
    pub fn by_dyad(l: &mut Ledger, start: i64, end: i64) -> R<Table> {
        table(tm::by_dyad(&l.0, period(start, end)?))
    }

    /// One actor's annual exports and imports over `start..=end` (`()` for an open bound).
    #[rhai_fn(name = "series", return_raw, pure)]
    pub fn series_period(l: &mut Ledger, actor: &str, start: Dynamic, end: Dynamic) -> R<Table> {
        let p = opt_period(&start, &end, l.0.years())?;
        table(tm::actor_series(&l.0, super::actor(&l.0, actor)?, p))
    }

    /// The world total by year over `start..=end` (`()` for an open bound).
    #[rhai_fn(name = "world", return_raw, pure)]
    pub fn world_period(l: &mut Ledger, start: Dynamic, end: Dynamic) -> R<Table> {
        table(tm::world_series(&l.0, opt_period(&start, &end, l.0.years())?))
    }

    /// The ledger's entries, with deal detail where the source has it.
    #[rhai_fn(return_raw, pure)]
    pub fn entries(l: &mut Ledger) -> R<Table> {
        table(tm::entries(&l.0))
    }

    /// The load report: one row per file read.
    #[rhai_fn(return_raw, pure)]
    pub fn report(l: &mut Ledger) -> R<Table> {
        table(tm::report(&l.0))
    }

    /// Every input row (or file) that was not read, with the reason.
    #[rhai_fn(return_raw, pure)]
    pub fn skipped(l: &mut Ledger) -> R<Table> {
        table(tm::skipped(&l.0))
    }

    /// The actors of this ledger's registry (built-in ones and those met in the files).
    #[rhai_fn(name = "actors", return_raw, pure)]
    pub fn ledger_actors(l: &mut Ledger) -> R<Table> {
        table(tm::actors(&l.0.registry))
    }

    /// A new ledger with every actor replaced by its latest successor (Soviet Union -> Russia).
    #[rhai_fn(pure)]
    pub fn follow_succession(l: &mut Ledger) -> Ledger {
        LedgerRef::from(l.0.follow_succession())
    }

    /// The canonical name of an actor spelling (`"Turkey"` -> `"Turkiye"`).
    #[rhai_fn(return_raw, pure)]
    pub fn resolve(l: &mut Ledger, name: &str) -> R<String> {
        Ok(l.0.registry.name(actor(&l.0, name)?).to_string())
    }

    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn to_string(l: &mut Ledger) -> String {
        let span = l.0.span().map(|p| p.to_string()).unwrap_or_else(|| "empty".into());
        format!("<Ledger {} entries, {}, {}>", l.0.len(), span, l.0.coverage.as_str())
    }
}
