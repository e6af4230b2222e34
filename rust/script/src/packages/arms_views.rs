//! SIPRI's views of the arms trade (`powerbalance_core::metrics::arms_views`): TIV by armament
//! category and by region, orders against deliveries, the deal search and trailing moving
//! averages. Names and argument order are Python's (`led.by_category(2016, 2020, #{supplier:
//! "Russia", recipient: "China"})`); Python's keyword-only arguments are the trailing map.

use crate::args::{count, opt_period, opt_year, options, period, series_points, text, OPEN};
use crate::types::*;
use powerbalance_core::metrics::arms_views::{self as av, DealQuery, Parties, RegionOf};
use powerbalance_core::metrics::regions::{regions_table, Regions};
use powerbalance_core::Ledger as CoreLedger;
use rhai::plugin::*;
use rhai::{Dynamic, Map};

/// `#{supplier, recipient}` (and the other keys `extra` allows) read from an option map.
fn parties(l: &CoreLedger, opts: &Map, extra: &[&str]) -> R<(Parties, Map)> {
    let mut known = vec!["supplier", "recipient"];
    known.extend_from_slice(extra);
    let (mut supplier, mut recipient, mut rest) = (None, None, Map::new());
    for (k, v) in options(opts, &known)? {
        match k {
            "supplier" => supplier = Some(text(v, "supplier")?),
            "recipient" => recipient = Some(text(v, "recipient")?),
            _ => {
                rest.insert(k.into(), v.clone());
            }
        }
    }
    Ok((ok(Parties::resolve(l, supplier.as_deref(), recipient.as_deref()))?, rest))
}

/// SIPRI's regions: the `regions` option (a military expenditure table: `read_milex(path)` or
/// `dataset("sipri-milex")`), else the host's `sipri-milex` dataset.
fn regions(v: Option<&Dynamic>) -> R<Regions> {
    let d = match v {
        Some(d) => d.clone(),
        None => super::data::data_api::dataset("sipri-milex")?,
    };
    match d.clone().try_cast::<MilexRef>() {
        Some(m) => Ok(Regions::from_milex(&m.0)),
        None => Err(err(format!(
            "regions must be a military expenditure table (read_milex(path) or dataset(\"sipri-milex\")), not {}",
            d.type_name()
        ))),
    }
}

/// The short forms of the arms views' functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use arms_views_api::*;
    short_forms! { module;
        /// TIV delivered in `start..=end` by armament category: `category, tiv, share` (share of
        /// the total in the period). New-format registers only.
        fn by_category(l: &mut Ledger, start: i64, end: i64) -> Table = by_category_opts(l, start, end, Map::new());
        /// TIV delivered in `start..=end` by the recipient's region (SIPRI's groupings, from the
        /// `sipri-milex` dataset): `region, tiv, share`.
        fn by_region(l: &mut Ledger, start: i64, end: i64) -> Table = by_region_opts(l, start, end, Map::new());
        /// Orders against deliveries, every order (classic register): `supplier, recipient,
        /// order_year, ..., number_ordered, number_delivered, number_open, ..., open_order`.
        fn orders(l: &mut Ledger) -> Table = orders_opts(l, OPEN, OPEN, Map::new());
        /// The orders placed in `start..=end` (order years; `()` for an open bound).
        fn orders(l: &mut Ledger, start: Dynamic, end: Dynamic) -> Table = orders_opts(l, start, end, Map::new());
        /// Every deal of the register (open orders included): one row per deal.
        fn deals(l: &mut Ledger) -> Table = deals_opts(l, OPEN, OPEN, Map::new());
        /// The deals with deliveries in `start..=end` (`()` for an open bound).
        fn deals(l: &mut Ledger, start: Dynamic, end: Dynamic) -> Table = deals_opts(l, start, end, Map::new());
    }
}

#[export_module]
pub mod arms_views_api {
    use super::*;

    /// TIV by armament category between the parties `#{supplier, recipient}`.
    #[rhai_fn(name = "by_category", return_raw, pure)]
    pub fn by_category_opts(l: &mut Ledger, start: i64, end: i64, options: Map) -> R<Table> {
        let (p, _) = parties(&l.0, &options, &[])?;
        table(av::by_category(&l.0, period(start, end)?, p))
    }

    /// TIV by region with options `#{supplier, recipient, side: "recipient" | "supplier",
    /// regions: dataset("sipri-milex")}`.
    #[rhai_fn(name = "by_region", return_raw, pure)]
    pub fn by_region_opts(l: &mut Ledger, start: i64, end: i64, options: Map) -> R<Table> {
        let (p, rest) = parties(&l.0, &options, &["side", "regions"])?;
        let side = match rest.get("side") {
            Some(s) => ok(RegionOf::parse(&text(s, "side")?))?,
            None => RegionOf::Recipient,
        };
        let r = regions(rest.get("regions"))?;
        table(av::by_region(&l.0, &r, period(start, end)?, p, side))
    }

    /// Every actor of the ledger with its region and the rule that placed it: `actor, kind,
    /// region, rule`; `regions` a military expenditure table.
    #[rhai_fn(name = "regions", return_raw, pure)]
    pub fn actor_regions(l: &mut Ledger, regions: Dynamic) -> R<Table> {
        table(regions_table(&super::regions(Some(&regions))?, &l.0.registry))
    }

    /// The orders placed in `start..=end` between the parties `#{supplier, recipient}`.
    #[rhai_fn(name = "orders", return_raw, pure)]
    pub fn orders_opts(l: &mut Ledger, start: Dynamic, end: Dynamic, options: Map) -> R<Table> {
        let (p, _) = parties(&l.0, &options, &[])?;
        table(av::orders(&l.0, opt_year(&start, "start")?, opt_year(&end, "end")?, p))
    }

    /// The deals searched by `#{supplier, recipient, category, designation}` (designation: a
    /// part of it, any case) with deliveries in `start..=end`.
    #[rhai_fn(name = "deals", return_raw, pure)]
    pub fn deals_opts(l: &mut Ledger, start: Dynamic, end: Dynamic, options: Map) -> R<Table> {
        let (parties, rest) = parties(&l.0, &options, &["category", "designation"])?;
        let get = |k: &str| rest.get(k).map(|v| text(v, k)).transpose();
        let q = DealQuery {
            parties,
            category: get("category")?,
            designation: get("designation")?,
            years: opt_period(&start, &end, l.0.years())?,
        };
        table(av::deals(&l.0, &q))
    }

    /// Trailing moving average of an annual series (a table, map or array of `[year, value]`):
    /// `year, value, moving_average`, the first `window - 1` years null (SIPRI's five-year
    /// averages sit on the window's last year).
    #[rhai_fn(return_raw)]
    pub fn moving_average(values: Dynamic, window: i64) -> R<Table> {
        let points = series_points(&values)?;
        let (years, vals): (Vec<i32>, Vec<Option<f64>>) = points.into_iter().unzip();
        let w = count(&Dynamic::from_int(window), "window")?;
        table(av::moving_average_series(&years, &vals, w))
    }
}
