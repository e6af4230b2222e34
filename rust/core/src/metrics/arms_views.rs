//! SIPRI's own views of the arms trade: deliveries by armament category and by region, orders
//! against deliveries, a deal search, and trailing moving averages.
//!
//! These are the tables the SIPRI Arms Transfers Database web tool gives
//! (<https://armstransfers.sipri.org>), computed from the registers that carry the fields:
//!
//! | view | needs | releases that carry it |
//! |---|---|---|
//! | [`by_category`] | the armament category of each delivery | the new-format registers (`register_newformat_2024`, `register_newformat_2026`) |
//! | [`by_region`] | dyadic TIV and SIPRI's regional groupings ([`super::regions::Regions`]) | every dyadic release |
//! | [`orders`] | order year, number ordered and delivered, open orders | the classic register (`register_oldformat_2026`) |
//! | [`deals`] | deal detail (designation; category for a category filter) | both register layouts |
//!
//! A view asked of a ledger whose release lacks the field fails with [`Error::InvalidArgument`]
//! naming a release that has it; nothing is computed from a guess.
//!
//! **Shares** are fractions of the *filtered* total in the period: in
//! `by_category(2016-2020, supplier = Russia, recipient = China)`, `share_c = TIV_c / sum_k TIV_k`
//! over the Russia -> China deliveries of 2016-2020, so the shares sum to 1.
//!
//! **Category names.** SIPRI has spelled some categories differently across releases ("Air
//! defence systems" in 2024, "Air-defence systems" in 2026). Every spelling is mapped to one
//! name of [`CATEGORIES`] ([`category_name`]); a category no release has used so far keeps its
//! own (trimmed) spelling rather than being dropped.
//!
//! **Moving averages** ([`moving_average`]) are trailing: SIPRI's charts plot the five-year
//! average on the window's last year (the 2016-2020 average at 2020). The first `window - 1`
//! years have no full window and are null, as is any year whose window holds a missing value.

use crate::actors::ActorId;
use crate::deals::Deal;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, OpenOrder, SipriFormat, NO_DEAL};
use crate::metrics::regions::Regions;
use crate::period::{Period, Year};
use crate::table::arrow::{Array, ArrayRef, DataType, Field, Float64Array, Int64Array, RecordBatch, Schema};
use crate::table::{Table, TableBuilder};
use std::collections::HashMap;
use std::sync::Arc;

/// SIPRI's armament categories, one name each (the 2024 register's spellings).
pub const CATEGORIES: [&str; 11] = [
    "Aircraft",
    "Air defence systems",
    "Armoured vehicles",
    "Artillery",
    "Engines",
    "Missiles",
    "Naval weapons",
    "Satellites",
    "Sensors",
    "Ships",
    "Other",
];

/// Label of deliveries whose register row gives no category.
pub const NO_CATEGORY: &str = "(not given)";

/// A release that carries the armament category, for messages.
const HAS_CATEGORY: &str = "a new-format trade register (register_newformat_2024's trade-register_1990-2023.csv, or register_newformat_2026), which gives the armament category of every delivery";
/// A release that carries orders, for messages.
const HAS_ORDERS: &str = "SIPRI's classic trade register (register_oldformat_2026/trade-register.csv), which gives each deal's order year, number ordered, number delivered and its open orders";

/// A spelling folded for comparison: lower case, `-` and `_` as spaces, spaces collapsed, US
/// spellings as SIPRI's British ones.
fn category_key(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for w in raw.split(|c: char| c.is_whitespace() || c == '-' || c == '_').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out.replace("defense", "defence").replace("armored", "armoured")
}

/// The one name of a category spelling (`"Air-defence systems"` and `"air defense systems"` give
/// `"Air defence systems"`); `None` for a spelling of no known category.
pub fn category_name(raw: &str) -> Option<&'static str> {
    let k = category_key(raw);
    CATEGORIES.iter().copied().find(|c| category_key(c) == k || category_key(c).trim_end_matches('s') == k)
}

/// A category asked for by a user, as its one name; an unknown one fails with the nearest names.
pub fn parse_category(raw: &str) -> Result<&'static str> {
    category_name(raw).ok_or_else(|| {
        let k = category_key(raw);
        let mut scored: Vec<(f64, &str)> =
            CATEGORIES.iter().map(|c| (strsim::jaro_winkler(&k, &category_key(c)), *c)).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let near: Vec<String> = scored.iter().take(3).map(|(_, c)| format!("{c:?}")).collect();
        Error::invalid(format!(
            "unknown armament category {raw:?}; did you mean {}? SIPRI's categories are {}",
            near.join(", "),
            CATEGORIES.join(", ")
        ))
    })
}

/// The category of a deal as shown: its one name, its own spelling when unknown, or
/// [`NO_CATEGORY`].
fn shown_category(d: &Deal) -> String {
    let t = d.category.trim();
    if t.is_empty() {
        NO_CATEGORY.to_string()
    } else {
        category_name(t).map_or_else(|| t.to_string(), str::to_string)
    }
}

/// The parties a view is restricted to (`None`: any).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parties {
    pub supplier: Option<ActorId>,
    pub recipient: Option<ActorId>,
}

impl Parties {
    /// The parties named `supplier` and `recipient` (any spelling the ledger's registry knows;
    /// an unknown name fails with its nearest spellings).
    pub fn resolve(l: &Ledger, supplier: Option<&str>, recipient: Option<&str>) -> Result<Parties> {
        Ok(Parties {
            supplier: supplier.map(|s| l.resolve(s)).transpose()?,
            recipient: recipient.map(|r| l.resolve(r)).transpose()?,
        })
    }

    #[inline]
    fn admits(&self, s: ActorId, r: ActorId) -> bool {
        self.supplier.map_or(true, |x| x == s) && self.recipient.map_or(true, |x| x == r)
    }
}

/// What the ledger was read from, for messages ("trade-register.csv (classic trade register)").
fn what_ledger(l: &Ledger) -> String {
    let formats: Vec<&str> = {
        let mut f: Vec<&str> = l.report.files.iter().map(|f| format_name(f.format)).collect();
        f.dedup();
        f
    };
    if formats.is_empty() {
        l.dataset()
    } else {
        format!("{} ({})", l.dataset(), formats.join(", "))
    }
}

fn format_name(f: SipriFormat) -> &'static str {
    match f {
        SipriFormat::TradeRegister => "new-format trade register",
        SipriFormat::ClassicRegister => "classic trade register",
        SipriFormat::WideTable => "TIV table",
        SipriFormat::AllTable => "TIV-Export/Import-All table",
        SipriFormat::LongTable => "long TIV table",
        SipriFormat::ValuesTable => "values table",
        SipriFormat::CountryList => "country list",
    }
}

/// The deal of entry `i`, if the source has deal detail.
#[inline]
fn deal_of(l: &Ledger, i: usize) -> Option<&Deal> {
    match l.deal[i] {
        NO_DEAL => None,
        d => l.deals.get(d as usize),
    }
}

/// Does the ledger carry the armament category (some deal has one)?
fn has_categories(l: &Ledger) -> bool {
    l.deals.iter().any(|d| !d.category.trim().is_empty())
}

fn require_categories(l: &Ledger, what: &str) -> Result<()> {
    l.require_dyadic(what)?;
    if has_categories(l) {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{what} needs the armament category of each delivery, which {} does not carry; read {HAS_CATEGORY}",
        what_ledger(l)
    )))
}

/// The shown name of every category spelling of a ledger's deals ([`category_name`], the
/// spelling itself when unknown, [`NO_CATEGORY`] when empty), each computed once: a register
/// has tens of thousands of rows but a dozen spellings.
pub struct CategoryNames<'a> {
    names: HashMap<&'a str, String>,
}

impl<'a> CategoryNames<'a> {
    pub fn of(deals: &'a [Deal]) -> CategoryNames<'a> {
        let mut names: HashMap<&'a str, String> = HashMap::new();
        for d in deals {
            names.entry(d.category.as_str()).or_insert_with(|| shown_category(d));
        }
        CategoryNames { names }
    }

    /// The shown name of a deal's category.
    pub fn name(&self, d: &Deal) -> &str {
        self.names.get(d.category.as_str()).map_or(NO_CATEGORY, String::as_str)
    }

    /// Is the deal of category `c` (one of [`CATEGORIES`], or an unknown spelling as shown)?
    pub fn is(&self, d: &Deal, c: &str) -> bool {
        self.name(d) == c
    }
}

/// A category's name as a column suffix: lower case, every run of other characters than
/// letters and digits one `_` (`"Air defence systems"` gives `air_defence_systems`).
pub fn category_column(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// The armament category of every delivery of a ledger, for columns by category (the panels'
/// `arms_by_category`): the column suffixes ([`category_column`]) of [`CATEGORIES`], in that
/// order, then of any spelling no release has used so far (sorted), and for each entry the
/// index of its category among them (`None` for a delivery whose row gives no category).
///
/// Fails with [`Error::InvalidArgument`] when the ledger's release has no categories (TIV
/// tables, the classic register): the message names a release that has them.
pub fn entry_categories(l: &Ledger, what: &str) -> Result<(Vec<String>, Vec<Option<usize>>)> {
    require_categories(l, what)?;
    let names = CategoryNames::of(&l.deals);
    let mut columns: Vec<String> = CATEGORIES.iter().map(|c| category_column(c)).collect();
    let mut extra: Vec<String> = l
        .deals
        .iter()
        .map(|d| names.name(d))
        .filter(|n| *n != NO_CATEGORY && !CATEGORIES.contains(n))
        .map(category_column)
        .filter(|c| !columns.contains(c))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    columns.extend(extra);
    let index: HashMap<&str, usize> = columns.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    // Each spelling's column, computed once.
    let mut of_name: HashMap<&str, Option<usize>> = HashMap::new();
    let of = (0..l.len())
        .map(|i| {
            let n = names.name(deal_of(l, i)?);
            *of_name.entry(n).or_insert_with(|| {
                (n != NO_CATEGORY).then(|| index.get(category_column(n).as_str()).copied()).flatten()
            })
        })
        .collect();
    Ok((columns, of))
}

/// The one name of the category `raw`, after checking that the ledger carries categories
/// (for operations on a category, such as a scenario's category embargo).
pub fn require_category_of(l: &Ledger, what: &str, raw: &str) -> Result<&'static str> {
    require_categories(l, what)?;
    parse_category(raw)
}

/// Sum of TIV by key over the entries in `p` between the parties, with the filtered total.
fn sum_by<K: std::hash::Hash + Eq>(
    l: &Ledger, p: Period, parties: Parties, mut key: impl FnMut(usize) -> K,
) -> (HashMap<K, f64>, f64) {
    let mut out: HashMap<K, f64> = HashMap::new();
    let mut total = 0.0;
    for i in 0..l.len() {
        if p.contains(l.year[i]) && parties.admits(l.supplier[i], l.recipient[i]) {
            *out.entry(key(i)).or_insert(0.0) += l.tiv[i];
            total += l.tiv[i];
        }
    }
    (out, total)
}

/// A `name, tiv, share` table from sums by name, largest first (ties by name).
fn share_table(first: &str, sums: HashMap<&str, f64>, total: f64) -> Result<Table> {
    let mut rows: Vec<(&str, f64)> = sums.into_iter().collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    TableBuilder::new()
        .str(first, rows.iter().map(|r| r.0).collect())
        .f64("tiv", rows.iter().map(|r| r.1).collect())
        .f64_opt("share", rows.iter().map(|r| (total != 0.0).then(|| r.1 / total)).collect())
        .build()
}

/// TIV delivered in `p` by armament category, between the given parties.
///
/// `tiv_c = sum of TIV over the deliveries in p of category c` (between the parties);
/// `share_c = tiv_c / sum_k tiv_k`, the share of the filtered total in the period (SIPRI Arms
/// Transfers Database, "armament category" breakdown). Columns: `category, tiv, share`,
/// largest first. Categories are given one name across releases ([`category_name`]).
///
/// Fails with [`Error::Coverage`] when `p` leaves the ledger's years, and with
/// [`Error::InvalidArgument`] when the ledger's release has no categories (TIV tables, the
/// classic register): the message names a release that has them.
pub fn by_category(l: &Ledger, p: Period, parties: Parties) -> Result<Table> {
    require_categories(l, "by_category")?;
    l.check_years(p, &format!("by_category({p})"))?;
    let names = CategoryNames::of(&l.deals);
    let (sums, total) = sum_by(l, p, parties, |i| deal_of(l, i).map_or(NO_CATEGORY, |d| names.name(d)));
    share_table("category", sums, total)
}

/// Whose region [`by_region`] groups deliveries by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegionOf {
    /// The recipient's region (where the arms go: SIPRI's imports by region). The default.
    #[default]
    Recipient,
    /// The supplier's region (exports by region).
    Supplier,
}

impl RegionOf {
    /// `"recipient"` or `"supplier"` (any case).
    pub fn parse(s: &str) -> Result<RegionOf> {
        match s.trim().to_ascii_lowercase().as_str() {
            "recipient" | "recipients" | "imports" => Ok(RegionOf::Recipient),
            "supplier" | "suppliers" | "exports" => Ok(RegionOf::Supplier),
            _ => Err(Error::invalid(format!("unknown side {s:?}: expected \"recipient\" or \"supplier\""))),
        }
    }
}

/// TIV delivered in `p` by region (of the recipient, or of the supplier), between the given
/// parties, with SIPRI's regional groupings ([`Regions`]: the military expenditure workbook's
/// regions per country, and its documented rule for actors the workbook does not list).
///
/// `share_g = tiv_g / sum_k tiv_k` over the filtered deliveries in `p`. Columns:
/// `region, tiv, share`, largest first.
pub fn by_region(l: &Ledger, regions: &Regions, p: Period, parties: Parties, of: RegionOf) -> Result<Table> {
    l.require_dyadic("by_region")?;
    l.check_years(p, &format!("by_region({p})"))?;
    let assigned = regions.assign(&l.registry);
    let (sums, total) = sum_by(l, p, parties, |i| {
        let a = match of {
            RegionOf::Recipient => l.recipient[i],
            RegionOf::Supplier => l.supplier[i],
        };
        assigned[a.index()].region.as_str()
    });
    share_table("region", sums, total)
}

/// Is the ledger a classic register (number ordered, open orders)?
fn has_orders(l: &Ledger) -> bool {
    !l.open_orders.is_empty()
        || l.report.files.iter().any(|f| f.format == SipriFormat::ClassicRegister)
        || l.deals.iter().any(|d| d.number_ordered.is_some())
}

/// Orders against deliveries, from the classic register: one row per deal placed in
/// `start..=end` (order years; a missing bound is the register's first or last order year, both
/// missing: every order) between the parties, open orders included.
///
/// Columns: `supplier, recipient, order_year, order_year_estimated, designation, description,
/// status, number_ordered, number_delivered, number_open, first_delivery, last_delivery,
/// tiv_order, tiv_delivered, open_order`. `number_open = number_ordered - number_delivered`
/// (null where SIPRI gives no number ordered: "data not yet available"); `open_order` is true
/// for an order with nothing delivered yet (no year of delivery: the rows the classic register
/// lists with `Number delivered` 0). `tiv_delivered` is SIPRI's TIV of delivered weapons of the
/// deal. Sorted by order year, supplier, recipient, designation.
///
/// Only the classic register carries the number ordered and open orders: a ledger of another
/// release fails with [`Error::InvalidArgument`] naming it. A period reaching outside the order
/// years of the register fails with [`Error::Coverage`].
pub fn orders<Y: Year>(l: &Ledger, start: Option<Y>, end: Option<Y>, parties: Parties) -> Result<Table> {
    l.require_dyadic("orders")?;
    if !has_orders(l) {
        return Err(Error::invalid(format!(
            "orders needs the number ordered and the open orders of each deal, which {} does not carry (a new-format register gives deliveries per year, not what was ordered); read {HAS_ORDERS}",
            what_ledger(l)
        )));
    }
    let order_years = {
        let ys = l.deals.iter().filter_map(|d| d.order_year);
        let (lo, hi) = ys.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
        (lo <= hi).then_some(Period { start: lo, end: hi })
    };
    let p = match (start.is_none() && end.is_none(), order_years) {
        (true, _) => None,
        (false, Some(span)) => Some(Period::resolve(start, end, span, &format!("the order years of {}", l.dataset()))?),
        (false, None) => return Err(Error::invalid(format!("{} holds no order year", l.dataset()))),
    };
    let mut rows = gather(l, |i, _| parties.admits(l.supplier[i], l.recipient[i]), |di, _| (u64::MAX, di));
    rows.extend(l.open_orders.iter().filter(|o| parties.admits(o.supplier, o.recipient)).map(DealRow::open));
    let deals = l.deals.as_slice();
    let deal = |r: &DealRow| &deals[r.deal as usize];
    rows.retain(|r| match p {
        None => true,
        Some(p) => deal(r).order_year.is_some_and(|y| p.contains(y)),
    });
    let reg = &l.registry;
    rows.sort_by(|a, b| {
        deal(a)
            .order_year
            .cmp(&deal(b).order_year)
            .then_with(|| reg.name(a.supplier).cmp(reg.name(b.supplier)))
            .then_with(|| reg.name(a.recipient).cmp(reg.name(b.recipient)))
            .then_with(|| deal(a).designation.cmp(&deal(b).designation))
            .then_with(|| a.deal.cmp(&b.deal))
    });
    let delivered = |r: &DealRow| deal(r).numbers_delivered;
    TableBuilder::new()
        .str("supplier", rows.iter().map(|r| reg.name(r.supplier)).collect())
        .str("recipient", rows.iter().map(|r| reg.name(r.recipient)).collect())
        .i64_opt("order_year", rows.iter().map(|r| deal(r).order_year.map(i64::from)).collect())
        .bool("order_year_estimated", rows.iter().map(|r| deal(r).order_year_estimated).collect())
        .str("designation", rows.iter().map(|r| deal(r).designation.as_str()).collect())
        .str("description", rows.iter().map(|r| deal(r).description.as_str()).collect())
        .str("status", rows.iter().map(|r| deal(r).status.as_str()).collect())
        .f64_opt("number_ordered", rows.iter().map(|r| deal(r).number_ordered).collect())
        .f64_opt("number_delivered", rows.iter().map(delivered).collect())
        .f64_opt(
            "number_open",
            rows.iter().map(|r| deal(r).number_ordered.map(|n| n - delivered(r).unwrap_or(0.0))).collect(),
        )
        .i64_opt("first_delivery", rows.iter().map(|r| r.first.map(i64::from)).collect())
        .i64_opt("last_delivery", rows.iter().map(|r| r.last.map(i64::from)).collect())
        .f64_opt("tiv_order", rows.iter().map(|r| deal(r).tiv_order).collect())
        .f64("tiv_delivered", rows.iter().map(|r| r.tiv).collect())
        .bool("open_order", rows.iter().map(|r| r.first.is_none()).collect())
        .build()
}

/// What [`deals`] searches for; every field left `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct DealQuery {
    pub parties: Parties,
    /// An armament category (any spelling [`category_name`] knows, or [`parse_category`]'s
    /// error); new-format registers only.
    pub category: Option<String>,
    /// Part of the designation, any case (`"su-35"` finds `Su-35`).
    pub designation: Option<String>,
    /// Delivery years: deals with a delivery in these years, with the TIV and numbers delivered
    /// in them. `None`: every deal, open orders (nothing delivered yet) included.
    pub years: Option<Period>,
}

/// One deal (or order) with what was delivered of it in the entries gathered.
struct DealRow {
    /// The deal that stands for the row's detail (the first entry's, or the open order's).
    deal: u32,
    supplier: ActorId,
    recipient: ActorId,
    first: Option<i32>,
    last: Option<i32>,
    tiv: f64,
    /// Numbers delivered: summed over a new-format deal's rows (one per year); a classic deal's
    /// total, once.
    delivered: Option<f64>,
}

impl DealRow {
    /// An order with nothing delivered yet.
    fn open(o: &OpenOrder) -> DealRow {
        DealRow {
            deal: o.deal,
            supplier: o.supplier,
            recipient: o.recipient,
            first: None,
            last: None,
            tiv: 0.0,
            delivered: None,
        }
    }
}

/// The entries with deal detail that `keep` admits, gathered into one row per `key` (in order
/// of first entry), with the span of delivery years, the TIV and the numbers delivered.
fn gather<K: std::hash::Hash + Eq>(
    l: &Ledger, keep: impl Fn(usize, &Deal) -> bool, key: impl Fn(u32, &Deal) -> K,
) -> Vec<DealRow> {
    let deals = l.deals.as_slice();
    let mut rows: Vec<DealRow> = Vec::new();
    let mut at: HashMap<K, usize> = HashMap::new();
    for i in 0..l.len() {
        let di = l.deal[i];
        let Some(d) = deals.get(di as usize).filter(|d| di != NO_DEAL && keep(i, d)) else { continue };
        let y = l.year[i];
        let k = *at.entry(key(di, d)).or_insert_with(|| {
            rows.push(DealRow {
                deal: di,
                supplier: l.supplier[i],
                recipient: l.recipient[i],
                first: None,
                last: None,
                tiv: 0.0,
                delivered: None,
            });
            rows.len() - 1
        });
        let r = &mut rows[k];
        r.first = Some(r.first.map_or(y, |f| f.min(y)));
        r.last = Some(r.last.map_or(y, |f| f.max(y)));
        r.tiv += l.tiv[i];
        if d.sipri_id.is_some() || r.delivered.is_none() {
            if let Some(n) = d.numbers_delivered {
                r.delivered = Some(r.delivered.unwrap_or(0.0) + n);
            }
        }
    }
    rows
}

/// Search the deals of a register by supplier, recipient, category, designation and delivery
/// years (the SIPRI web tool's trade-register query).
///
/// One row per deal: a new-format register's rows sharing a `SIPRI AT Database ID` are one
/// deal; each classic-register row is one. Columns: `sipri_id` (new format; null in the classic
/// register), `supplier, recipient, designation, description, category` (null in the classic
/// register), `order_year, number_ordered` (classic only), `number_delivered` (in the years
/// asked), `first_delivery, last_delivery` (within them), `tiv` (delivered in them), `status`.
/// Sorted by first delivery, supplier, recipient, designation; open orders last.
///
/// Fails on a ledger without deal detail (TIV tables), and on a category filter over a release
/// without categories (the classic register), naming a release that has it.
pub fn deals(l: &Ledger, q: &DealQuery) -> Result<Table> {
    l.require_dyadic("deals")?;
    if l.deals.is_empty() {
        return Err(Error::invalid(format!(
            "deals needs the deal detail of a trade register, which {} does not carry (TIV tables give totals only); read a new-format trade register (register_newformat_2024) or the classic one (register_oldformat_2026)",
            what_ledger(l)
        )));
    }
    let category = match &q.category {
        Some(c) => {
            require_categories(l, "deals(category=...)")?;
            Some(parse_category(c)?)
        }
        None => None,
    };
    if let Some(p) = q.years {
        l.check_years(p, &format!("deals({p})"))?;
    }
    let designation = q.designation.as_ref().map(|s| s.trim().to_lowercase());
    let deals = l.deals.as_slice();
    let names = CategoryNames::of(deals);
    let matches = |d: &Deal| {
        category.map_or(true, |c| names.is(d, c))
            && designation.as_ref().map_or(true, |s| d.designation.to_lowercase().contains(s.as_str()))
    };
    let keep = |i: usize, d: &Deal| {
        q.years.map_or(true, |p| p.contains(l.year[i])) && q.parties.admits(l.supplier[i], l.recipient[i]) && matches(d)
    };
    // one deal: the rows of a SIPRI id (new format), or one row (classic)
    let mut rows = gather(l, keep, |di, d| d.sipri_id.map_or((u64::MAX, di), |id| (id, u32::MAX)));
    if q.years.is_none() {
        let open = l.open_orders.iter().filter(|o| q.parties.admits(o.supplier, o.recipient));
        rows.extend(
            open.filter(|o| matches(&deals[o.deal as usize]))
                .map(|o| DealRow { delivered: deals[o.deal as usize].numbers_delivered, ..DealRow::open(o) }),
        );
    }
    let reg = &l.registry;
    let deal = |r: &DealRow| &deals[r.deal as usize];
    rows.sort_by(|a, b| {
        (a.first.is_none(), a.first)
            .cmp(&(b.first.is_none(), b.first))
            .then_with(|| reg.name(a.supplier).cmp(reg.name(b.supplier)))
            .then_with(|| reg.name(a.recipient).cmp(reg.name(b.recipient)))
            .then_with(|| deal(a).designation.cmp(&deal(b).designation))
            .then_with(|| a.deal.cmp(&b.deal))
    });
    let cat = |r: &DealRow| {
        let d = deal(r);
        (d.sipri_id.is_some() || !d.category.trim().is_empty()).then(|| names.name(d))
    };
    TableBuilder::new()
        .i64_opt("sipri_id", rows.iter().map(|r| deal(r).sipri_id.map(|x| x as i64)).collect())
        .str("supplier", rows.iter().map(|r| reg.name(r.supplier)).collect())
        .str("recipient", rows.iter().map(|r| reg.name(r.recipient)).collect())
        .str("designation", rows.iter().map(|r| deal(r).designation.as_str()).collect())
        .str("description", rows.iter().map(|r| deal(r).description.as_str()).collect())
        .str_opt("category", rows.iter().map(cat).collect())
        .i64_opt("order_year", rows.iter().map(|r| deal(r).order_year.map(i64::from)).collect())
        .f64_opt("number_ordered", rows.iter().map(|r| deal(r).number_ordered).collect())
        .f64_opt("number_delivered", rows.iter().map(|r| r.delivered).collect())
        .i64_opt("first_delivery", rows.iter().map(|r| r.first.map(i64::from)).collect())
        .i64_opt("last_delivery", rows.iter().map(|r| r.last.map(i64::from)).collect())
        .f64("tiv", rows.iter().map(|r| r.tiv).collect())
        .str("status", rows.iter().map(|r| deal(r).status.as_str()).collect())
        .build()
}

/// Trailing moving average of a yearly series: the value at year `t` is
/// `(x_{t-w+1} + ... + x_t) / w`, SIPRI's five-year average (`w = 5`) sitting on the window's
/// last year (the 2016-2020 average at 2020; SIPRI, *Trends in International Arms Transfers*,
/// whose charts plot five-year moving averages this way).
///
/// Rule for the start: the first `w - 1` years have no full window and are `None` (no average
/// over fewer years is passed off as a five-year one); so is a year whose window holds a
/// missing value. `years` must rise by one (a gap would make a window span more than `w`
/// years): anything else fails, naming the first gap. `window` must be at least 1.
pub fn moving_average(years: &[i32], values: &[Option<f64>], window: usize) -> Result<Vec<Option<f64>>> {
    if window == 0 {
        return Err(Error::invalid("moving_average: the window must be at least 1 year"));
    }
    if years.len() != values.len() {
        return Err(Error::invalid(format!("moving_average: {} years but {} values", years.len(), values.len())));
    }
    if let Some(w) = years.windows(2).find(|w| w[1] != w[0] + 1) {
        return Err(Error::invalid(format!(
            "moving_average needs consecutive years in ascending order, but {} is followed by {}",
            w[0], w[1]
        )));
    }
    let mut out = vec![None; values.len()];
    // running sum over the window and the number of missing values in it
    let (mut sum, mut missing) = (0.0f64, 0usize);
    for i in 0..values.len() {
        match values[i] {
            Some(v) if v.is_finite() => sum += v,
            _ => missing += 1,
        }
        if i >= window {
            match values[i - window] {
                Some(v) if v.is_finite() => sum -= v,
                _ => missing -= 1,
            }
        }
        if i + 1 >= window && missing == 0 {
            // recomputed exactly every window to keep the running sum from drifting
            out[i] = Some(if i % 64 == 0 {
                values[i + 1 - window..=i].iter().map(|v| v.unwrap_or(0.0)).sum::<f64>() / window as f64
            } else {
                sum / window as f64
            });
        }
    }
    Ok(out)
}

/// [`moving_average`] as a table: `year, value, moving_average` (the average null where
/// [`moving_average`] gives none).
pub fn moving_average_series(years: &[i32], values: &[Option<f64>], window: usize) -> Result<Table> {
    let avg = moving_average(years, values, window)?;
    TableBuilder::new()
        .i64("year", years.iter().map(|&y| i64::from(y)).collect())
        .f64_opt("value", values.to_vec())
        .f64_opt("moving_average", avg)
        .build()
}

/// [`moving_average`] over a series table: the table with, for each numeric column other than
/// `year`, a column `<name>_ma<window>` beside it. The table needs an integer `year` column
/// of consecutive years.
pub fn moving_average_table(t: &Table, window: usize) -> Result<Table> {
    let years: Vec<i32> = t
        .i64s("year")
        .map_err(|e| Error::invalid(format!("moving_average needs a series table with a `year` column: {e}")))?
        .into_iter()
        .map(|y| y.and_then(|y| i32::try_from(y).ok()))
        .collect::<Option<Vec<i32>>>()
        .ok_or_else(|| Error::invalid("moving_average: the `year` column has a missing value"))?;
    let schema = t.batch.schema();
    let mut fields: Vec<Field> = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (f, col) in schema.fields().iter().zip(t.batch.columns()) {
        let name = f.name();
        let values: Option<Vec<Option<f64>>> = match col.data_type() {
            DataType::Float64 => col.as_any().downcast_ref::<Float64Array>().map(|a| a.iter().collect()),
            DataType::Int64 if name != "year" => {
                col.as_any().downcast_ref::<Int64Array>().map(|a| a.iter().map(|v| v.map(|x| x as f64)).collect())
            }
            _ => None,
        };
        fields.push(f.as_ref().clone());
        columns.push(col.clone());
        if let Some(v) = values {
            fields.push(Field::new(format!("{name}_ma{window}"), DataType::Float64, true));
            columns.push(Arc::new(Float64Array::from(moving_average(&years, &v, window)?)));
        }
    }
    let schema = Schema::new_with_metadata(fields, schema.metadata().clone());
    RecordBatch::try_new(Arc::new(schema), columns)
        .map(|batch| Table { batch })
        .map_err(|e| Error::invalid(format!("internal error building a result table: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorRegistry;
    use crate::ledger::Coverage;

    fn deal(id: Option<u64>, cat: &str, des: &str) -> Deal {
        Deal { sipri_id: id, category: cat.into(), designation: des.into(), ..Deal::default() }
    }

    /// A synthetic new-format register: Russia -> China and France -> China, 2016-2020.
    fn register() -> Ledger {
        let r = ActorRegistry::builtin().clone();
        let (ru, cn, fr, us, ind) = (
            r.resolve("Russia").unwrap(),
            r.resolve("China").unwrap(),
            r.resolve("France").unwrap(),
            r.resolve("United States").unwrap(),
            r.resolve("India").unwrap(),
        );
        let mut l = Ledger::empty(Arc::new(r), Coverage::Dyadic);
        let mut ds = Vec::new();
        let mut push = |l: &mut Ledger, s, c, y, t, d: Deal| {
            ds.push(Deal { numbers_delivered: Some(2.0), ..d });
            l.push(s, c, y, t, (ds.len() - 1) as u32);
        };
        push(&mut l, ru, cn, 2016, 100.0, deal(Some(1), "Aircraft", "Su-35"));
        push(&mut l, ru, cn, 2017, 300.0, deal(Some(1), "Aircraft", "Su-35"));
        push(&mut l, ru, cn, 2018, 50.0, deal(Some(2), "Air defence systems", "S-400"));
        push(&mut l, ru, cn, 2019, 50.0, deal(Some(2), "Air-defence systems", "S-400"));
        push(&mut l, ru, cn, 2020, 20.0, deal(Some(3), "Engines", "AL-31"));
        push(&mut l, fr, cn, 2018, 80.0, deal(Some(4), "Sensors", "Sea Tiger"));
        push(&mut l, us, ind, 2015, 500.0, deal(Some(5), "Aircraft", "C-17"));
        l.deals = Arc::new(ds.into());
        l
    }

    fn col(t: &Table, c: &str) -> Vec<String> {
        t.strings(c).unwrap().into_iter().map(Option::unwrap_or_default).collect()
    }

    #[test]
    fn category_names_are_one_across_releases() {
        assert_eq!(category_name("Air-defence systems"), Some("Air defence systems"));
        assert_eq!(category_name(" air defense  systems "), Some("Air defence systems"));
        assert_eq!(category_name("Armored vehicles"), Some("Armoured vehicles"));
        assert_eq!(category_name("ship"), Some("Ships"));
        assert_eq!(category_name("Lasers"), None);
        for c in CATEGORIES {
            assert_eq!(category_name(c), Some(c));
        }
        let e = parse_category("Air defense sytems").unwrap_err().to_string();
        assert!(e.contains("did you mean \"Air defence systems\""), "{e}");
    }

    #[test]
    fn by_category_hand_checked() {
        let l = register();
        let r = &l.registry;
        let p = Period::new(2016, 2020).unwrap();
        let parties =
            Parties { supplier: Some(r.resolve("Russia").unwrap()), recipient: Some(r.resolve("China").unwrap()) };
        let t = by_category(&l, p, parties).unwrap();
        assert_eq!(t.column_names(), ["category", "tiv", "share"]);
        assert_eq!(col(&t, "category"), ["Aircraft", "Air defence systems", "Engines"]);
        assert_eq!(t.f64s("tiv").unwrap(), [Some(400.0), Some(100.0), Some(20.0)]);
        assert_eq!(t.f64s("share").unwrap(), [Some(400.0 / 520.0), Some(100.0 / 520.0), Some(20.0 / 520.0)]);
        // China's imports from everyone: France's sensors enter, the shares still sum to 1.
        let t = by_category(&l, p, Parties { recipient: parties.recipient, supplier: None }).unwrap();
        let s: f64 = t.f64s("share").unwrap().into_iter().flatten().sum();
        assert!((s - 1.0).abs() < 1e-12);
        assert_eq!(col(&t, "category").len(), 4);
        // outside the years covered
        assert!(matches!(by_category(&l, Period::new(2016, 2030).unwrap(), parties), Err(Error::Coverage { .. })));
        // no match: an empty table, not an error
        let none = Parties { supplier: parties.recipient, recipient: parties.supplier };
        assert_eq!(by_category(&l, p, none).unwrap().num_rows(), 0);
    }

    #[test]
    fn a_release_without_the_field_names_one_with_it() {
        let mut l = Ledger::from_names(&[("Russia", "China", 2016, 5.0)]);
        let e = by_category(&l, Period::year(2016), Parties::default()).unwrap_err().to_string();
        assert!(e.contains("register_newformat_2024"), "{e}");
        let e = orders::<i32>(&l, None, None, Parties::default()).unwrap_err().to_string();
        assert!(e.contains("register_oldformat_2026"), "{e}");
        let e = deals(&l, &DealQuery::default()).unwrap_err().to_string();
        assert!(e.contains("deal detail"), "{e}");
        // the classic register: deals but no category
        l.deals = Arc::new(vec![Deal { number_ordered: Some(4.0), ..deal(None, "", "T-90") }].into());
        l.deal = vec![0];
        let q = DealQuery { category: Some("aircraft".into()), ..DealQuery::default() };
        let e = deals(&l, &q).unwrap_err().to_string();
        assert!(e.contains("register_newformat_2024"), "{e}");
        assert_eq!(deals(&l, &DealQuery::default()).unwrap().num_rows(), 1);
        // a new-format register has no orders
        let e = orders::<i32>(&register(), None, None, Parties::default()).unwrap_err().to_string();
        assert!(e.contains("classic trade register"), "{e}");
    }

    /// A synthetic classic register: one deal spread over two years, one partly delivered,
    /// one open order.
    fn classic() -> Ledger {
        let r = ActorRegistry::builtin().clone();
        let (ru, cn, ind) = (r.resolve("Russia").unwrap(), r.resolve("China").unwrap(), r.resolve("India").unwrap());
        let mut l = Ledger::empty(Arc::new(r), Coverage::Dyadic);
        let d = |des: &str, oy, ordered, delivered| Deal {
            designation: des.into(),
            order_year: Some(oy),
            number_ordered: ordered,
            numbers_delivered: Some(delivered),
            ..Deal::default()
        };
        l.deals = Arc::new(
            vec![
                d("Su-35", 2015, Some(24.0), 24.0),
                d("Mineral", 2004, Some(43.0), 42.0),
                d("Il-76", 2023, Some(4.0), 0.0),
                d("T-90S", 2020, None, 0.0),
            ]
            .into(),
        );
        l.push(ru, cn, 2016, 200.0, 0);
        l.push(ru, cn, 2017, 200.0, 0);
        l.push(ru, cn, 2010, 5.0, 1);
        l.open_orders.push(OpenOrder { supplier: ru, recipient: cn, deal: 2 });
        l.open_orders.push(OpenOrder { supplier: ru, recipient: ind, deal: 3 });
        l
    }

    #[test]
    fn orders_against_deliveries() {
        let l = classic();
        let r = &l.registry;
        let rc = Parties { supplier: Some(r.resolve("Russia").unwrap()), recipient: Some(r.resolve("China").unwrap()) };
        let t = orders::<i32>(&l, None, None, rc).unwrap();
        assert_eq!(col(&t, "designation"), ["Mineral", "Su-35", "Il-76"]);
        assert_eq!(t.f64s("number_open").unwrap(), [Some(1.0), Some(0.0), Some(4.0)]);
        assert_eq!(t.i64s("first_delivery").unwrap(), [Some(2010), Some(2016), None]);
        assert_eq!(t.i64s("last_delivery").unwrap(), [Some(2010), Some(2017), None]);
        assert_eq!(t.f64s("tiv_delivered").unwrap(), [Some(5.0), Some(400.0), Some(0.0)]);
        let open: Vec<Option<bool>> = {
            let c = t.column("open_order").unwrap();
            c.as_any().downcast_ref::<crate::table::arrow::BooleanArray>().unwrap().iter().collect()
        };
        assert_eq!(open, [Some(false), Some(false), Some(true)]);
        // order years
        let t = orders(&l, Some(2015), None, rc).unwrap();
        assert_eq!(col(&t, "designation"), ["Su-35", "Il-76"]);
        // every party: the unknown number ordered stays unknown
        let t = orders::<i32>(&l, None, None, Parties::default()).unwrap();
        assert_eq!(t.num_rows(), 4);
        assert_eq!(t.f64s("number_open").unwrap()[2], None);
        assert!(matches!(orders(&l, Some(1990), Some(2030), rc), Err(Error::Coverage { .. })));
    }

    #[test]
    fn deal_search() {
        let l = register();
        let r = &l.registry;
        let cn = r.resolve("China").unwrap();
        let q = DealQuery { parties: Parties { recipient: Some(cn), supplier: None }, ..DealQuery::default() };
        let t = deals(&l, &q).unwrap();
        // rows of one SIPRI id are one deal
        // by first delivery, then supplier (France before Russia in 2018)
        assert_eq!(col(&t, "designation"), ["Su-35", "Sea Tiger", "S-400", "AL-31"]);
        assert_eq!(t.f64s("tiv").unwrap(), [Some(400.0), Some(80.0), Some(100.0), Some(20.0)]);
        assert_eq!(t.f64s("number_delivered").unwrap()[0], Some(4.0));
        assert_eq!(col(&t, "category")[2], "Air defence systems");
        let q2 = DealQuery { category: Some("air-defence systems".into()), ..q.clone() };
        assert_eq!(col(&deals(&l, &q2).unwrap(), "designation"), ["S-400"]);
        let q3 = DealQuery { designation: Some("su-3".into()), years: Some(Period::year(2017)), ..q.clone() };
        let t = deals(&l, &q3).unwrap();
        assert_eq!((col(&t, "designation"), t.f64s("tiv").unwrap()), (vec!["Su-35".to_string()], vec![Some(300.0)]));
        // the classic register's open orders are deals too (when no years are asked)
        let c = classic();
        assert_eq!(deals(&c, &DealQuery::default()).unwrap().num_rows(), 4);
        let y = DealQuery { years: Some(Period::new(2010, 2017).unwrap()), ..DealQuery::default() };
        assert_eq!(deals(&c, &y).unwrap().num_rows(), 2);
    }

    #[test]
    fn an_embargo_on_one_category_only() {
        use crate::scenario::{Operation, Scenario};
        let l = register();
        let mut s = Scenario::new("no Russian air defence for China");
        s.push(Operation::embargo_category("air-defence systems", Some("Russia"), Some("China"), Some((2016, 2020))));
        let json = s.to_json().unwrap();
        assert!(json.contains("\"op\": \"embargo_category\""), "{json}");
        assert_eq!(Scenario::from_json(&json).unwrap(), s);
        let w = s.apply(&l).unwrap();
        let p = Period::new(2015, 2020).unwrap();
        assert!((l.sum_in(p) - w.sum_in(p) - 100.0).abs() < 1e-12, "exactly the S-400 deliveries leave");
        let t = by_category(&w, Period::new(2016, 2020).unwrap(), Parties::default()).unwrap();
        assert_eq!(col(&t, "category"), ["Aircraft", "Sensors", "Engines"]);
        let fx = s.effects(&l).unwrap();
        assert_eq!(fx.f64s("removed").unwrap(), [Some(100.0)]);
        assert_eq!(col(&fx, "operation"), ["embargo air defence systems Russia -> China, 2016-2020"]);
        // an unknown category, and a ledger without categories
        let mut bad = Scenario::new("x");
        bad.push(Operation::embargo_category("Lasers", Some("Russia"), None, None));
        assert!(bad.apply(&l).unwrap_err().to_string().contains("unknown armament category"));
        let e = s.apply(&classic()).unwrap_err().to_string();
        assert!(e.contains("register_newformat_2024"), "{e}");
    }

    #[test]
    fn moving_average_is_trailing() {
        let years: Vec<i32> = (2000..2008).collect();
        let v: Vec<Option<f64>> = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0].iter().map(|x| Some(*x)).collect();
        let m = moving_average(&years, &v, 5).unwrap();
        assert_eq!(m, [None, None, None, None, Some(3.0), Some(4.0), Some(5.0), Some(6.0)]);
        assert_eq!(moving_average(&years, &v, 1).unwrap(), v);
        let mut gap = v.clone();
        gap[5] = None;
        let m = moving_average(&years, &gap, 2).unwrap();
        assert_eq!(m, [None, Some(1.5), Some(2.5), Some(3.5), Some(4.5), None, None, Some(7.5)]);
        assert!(moving_average(&years, &v, 0).is_err());
        let e = moving_average(&[2000, 2002], &[Some(1.0), Some(2.0)], 2).unwrap_err().to_string();
        assert!(e.contains("2000 is followed by 2002"), "{e}");
        // longer than the series: nothing
        assert_eq!(moving_average(&years, &v, 9).unwrap(), vec![None; 8]);
        let t = moving_average_series(&years, &v, 5).unwrap();
        assert_eq!(t.column_names(), ["year", "value", "moving_average"]);
        assert_eq!(t.f64s("moving_average").unwrap()[4], Some(3.0));
    }

    #[test]
    fn moving_average_of_a_series_table() {
        let l = register();
        let r = &l.registry;
        let t = crate::metrics::transfers::dyad_series(
            &l,
            r.resolve("Russia").unwrap(),
            r.resolve("China").unwrap(),
            Some(Period::new(2016, 2020).unwrap()),
        )
        .unwrap();
        let m = moving_average_table(&t, 5).unwrap();
        assert!(m.column_names().contains(&"tiv_ma5".to_string()));
        assert_eq!(m.f64s("tiv_ma5").unwrap(), [None, None, None, None, Some(520.0 / 5.0)]);
    }

    proptest::proptest! {
        #[test]
        fn moving_average_equals_the_plain_mean(v in proptest::collection::vec(0.0f64..1e4, 1..200), w in 1usize..12) {
            let years: Vec<i32> = (0..v.len() as i32).map(|i| 1950 + i).collect();
            let vals: Vec<Option<f64>> = v.iter().map(|x| Some(*x)).collect();
            let m = moving_average(&years, &vals, w).unwrap();
            for i in 0..v.len() {
                if i + 1 < w {
                    proptest::prop_assert!(m[i].is_none());
                } else {
                    let want = v[i + 1 - w..=i].iter().sum::<f64>() / w as f64;
                    proptest::prop_assert!((m[i].unwrap() - want).abs() <= 1e-9 * want.max(1.0));
                }
            }
        }
    }
}
