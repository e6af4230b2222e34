//! Arms-transfer metrics over a [`Ledger`]: the tables of SIPRI's fact sheets and the series
//! the paper's arguments rest on.
//!
//! All values are SIPRI trend-indicator values (TIV, millions). Shares are fractions of a
//! total over **all** entries, as SIPRI computes them: the world total includes non-state
//! actors, organisations and unknown suppliers or recipients (SIPRI, *Trends in International
//! Arms Transfers*, fact sheets 2012-2021). Periods are inclusive.
//!
//! Every function that takes a period checks it (and a comparison period) against the years
//! the ledger covers and fails with [`Error::Coverage`] when it reaches outside them (see
//! [`crate::ledger`]): nothing is computed over fewer years than the label says, and no zero
//! is invented for a year the data does not cover. A series without a period spans the
//! coverage.
//!
//! A fact-sheet table cut to its `top` rows keeps the rows below the cut in its schema
//! metadata ([`TOP_CUT_META`]), so that a comparison of two such tables
//! ([`crate::scenario::compare_tables`]) can take each row's value from the uncut table
//! instead of counting a row that left the top N as zero ([`uncut`]).

use crate::actors::ActorId;
use crate::error::{Error, Result};
use crate::ledger::{Coverage, Ledger, NO_DEAL};
use crate::period::Period;
use crate::table::{Table, TableBuilder};
use std::collections::HashMap;

/// Which side of a transfer an actor is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Supplier,
    Recipient,
}

impl Side {
    fn column(self) -> &'static str {
        match self {
            Side::Supplier => "supplier",
            Side::Recipient => "recipient",
        }
    }
    fn other(self) -> Side {
        match self {
            Side::Supplier => Side::Recipient,
            Side::Recipient => Side::Supplier,
        }
    }
    fn ids(self, l: &Ledger) -> &[ActorId] {
        match self {
            Side::Supplier => &l.supplier,
            Side::Recipient => &l.recipient,
        }
    }
    fn check(self, l: &Ledger, what: &str) -> Result<()> {
        let ok = matches!(
            (self, l.coverage),
            (_, Coverage::Dyadic)
                | (Side::Supplier, Coverage::ExportTotals)
                | (Side::Recipient, Coverage::ImportTotals)
        );
        if ok {
            Ok(())
        } else {
            l.require_dyadic(what)
        }
    }
}

/// Per cent change from `old` to `new`: `100 * (new - old) / old`; `None` when `old` is 0.
///
/// SIPRI's fact sheets give the change in the *volume* of transfers between two five-year
/// periods this way.
pub fn percent_change(old: f64, new: f64) -> Option<f64> {
    (old != 0.0).then(|| 100.0 * (new - old) / old)
}

/// Sum of TIV by actor on one side over `p`, with a flag for actors that have any entry.
fn totals(l: &Ledger, side: Side, p: Period) -> (Vec<f64>, Vec<bool>) {
    let n = l.registry.len();
    let mut tiv = vec![0.0; n];
    let mut seen = vec![false; n];
    let ids = side.ids(l);
    for ((id, &y), &t) in ids.iter().zip(&l.year).zip(&l.tiv) {
        if p.contains(y) {
            let a = id.index();
            tiv[a] += t;
            seen[a] = true;
        }
    }
    (tiv, seen)
}

/// Actors with an entry, ordered by TIV (largest first), ties by name.
fn ranked(l: &Ledger, tiv: &[f64], seen: &[bool]) -> Vec<ActorId> {
    let mut ids: Vec<ActorId> = (0..tiv.len()).filter(|&i| seen[i]).map(|i| ActorId(i as u32)).collect();
    ids.sort_by(|a, b| {
        tiv[b.index()].total_cmp(&tiv[a.index()]).then_with(|| l.registry.name(*a).cmp(l.registry.name(*b)))
    });
    ids
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den != 0.0).then(|| num / den)
}

/// TIV by actor on one side over a period, with shares of the world total.
///
/// Columns: `rank, <side>, tiv, share`, where `share = tiv / world` and `world` is the sum of
/// all entries in the period.
fn by_side(l: &Ledger, side: Side, p: Period) -> Result<Table> {
    side.check(l, &format!("TIV by {}", side.column()))?;
    l.check_years(p, &format!("by_{}({p})", side.column()))?;
    let (tiv, seen) = totals(l, side, p);
    let world = l.sum_in(p);
    let ids = ranked(l, &tiv, &seen);
    TableBuilder::new()
        .i64("rank", (1..=ids.len() as i64).collect())
        .str(side.column(), ids.iter().map(|a| l.registry.name(*a)).collect())
        .f64("tiv", ids.iter().map(|a| tiv[a.index()]).collect())
        .f64_opt("share", ids.iter().map(|a| ratio(tiv[a.index()], world)).collect())
        .build()
}

/// TIV delivered by each supplier in `p` and its share of world exports.
///
/// `share_s = TIV_s / sum_k TIV_k`, summed over every supplier including non-state actors and
/// unknown suppliers (SIPRI fact sheets). Columns: `rank, supplier, tiv, share`.
pub fn by_supplier(l: &Ledger, p: Period) -> Result<Table> {
    by_side(l, Side::Supplier, p)
}

/// TIV received by each recipient in `p` and its share of world imports.
/// Columns: `rank, recipient, tiv, share`.
pub fn by_recipient(l: &Ledger, p: Period) -> Result<Table> {
    by_side(l, Side::Recipient, p)
}

/// TIV by supplier-recipient pair over `p`, largest first.
///
/// Columns: `supplier, recipient, tiv, share` (of world transfers),
/// `share_of_supplier_exports` (`TIV_sr / TIV_s.`), `share_of_recipient_imports`
/// (`TIV_sr / TIV_.r`).
pub fn by_dyad(l: &Ledger, p: Period) -> Result<Table> {
    l.require_dyadic("TIV by dyad")?;
    l.check_years(p, &format!("by_dyad({p})"))?;
    let mut cells: HashMap<(ActorId, ActorId), f64> = HashMap::new();
    for i in 0..l.len() {
        if p.contains(l.year[i]) {
            *cells.entry((l.supplier[i], l.recipient[i])).or_insert(0.0) += l.tiv[i];
        }
    }
    let (exp, _) = totals(l, Side::Supplier, p);
    let (imp, _) = totals(l, Side::Recipient, p);
    let world = l.sum_in(p);
    let mut rows: Vec<((ActorId, ActorId), f64)> = cells.into_iter().collect();
    let r = &l.registry;
    rows.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| r.name(a.0 .0).cmp(r.name(b.0 .0)))
            .then_with(|| r.name(a.0 .1).cmp(r.name(b.0 .1)))
    });
    TableBuilder::new()
        .str("supplier", rows.iter().map(|((s, _), _)| r.name(*s)).collect())
        .str("recipient", rows.iter().map(|((_, c), _)| r.name(*c)).collect())
        .f64("tiv", rows.iter().map(|(_, t)| *t).collect())
        .f64_opt("share", rows.iter().map(|(_, t)| ratio(*t, world)).collect())
        .f64_opt("share_of_supplier_exports", rows.iter().map(|((s, _), t)| ratio(*t, exp[s.index()])).collect())
        .f64_opt("share_of_recipient_imports", rows.iter().map(|((_, c), t)| ratio(*t, imp[c.index()])).collect())
        .build()
}

/// The partners of one actor over `p`: for a recipient its suppliers, for a supplier its
/// clients, each with TIV and its share of the actor's total.
fn partners(l: &Ledger, actor: ActorId, side: Side, p: Period) -> Result<Table> {
    l.require_dyadic(match side {
        Side::Recipient => "a recipient's suppliers",
        Side::Supplier => "a supplier's clients",
    })?;
    let what = match side {
        Side::Recipient => "suppliers",
        Side::Supplier => "clients",
    };
    l.check_years(p, &format!("{what}({}, {p})", l.registry.name(actor)))?;
    let n = l.registry.len();
    let mut tiv = vec![0.0; n];
    let mut seen = vec![false; n];
    let mine = side.ids(l);
    let theirs = side.other().ids(l);
    let mut total = 0.0;
    for i in 0..l.len() {
        if mine[i] == actor && p.contains(l.year[i]) {
            let k = theirs[i].index();
            tiv[k] += l.tiv[i];
            seen[k] = true;
            total += l.tiv[i];
        }
    }
    let ids = ranked(l, &tiv, &seen);
    TableBuilder::new()
        .i64("rank", (1..=ids.len() as i64).collect())
        .str(side.other().column(), ids.iter().map(|a| l.registry.name(*a)).collect())
        .f64("tiv", ids.iter().map(|a| tiv[a.index()]).collect())
        .f64_opt("share", ids.iter().map(|a| ratio(tiv[a.index()], total)).collect())
        .build()
}

/// A recipient's suppliers over `p`: `rank, supplier, tiv, share`, where `share` is the
/// supplier's share of the recipient's imports, `TIV_sr / TIV_.r`.
pub fn suppliers_of(l: &Ledger, recipient: ActorId, p: Period) -> Result<Table> {
    partners(l, recipient, Side::Recipient, p)
}

/// A supplier's clients over `p`: `rank, recipient, tiv, share`, where `share` is the
/// recipient's share of the supplier's exports, `TIV_sr / TIV_s.`.
pub fn clients_of(l: &Ledger, supplier: ActorId, p: Period) -> Result<Table> {
    partners(l, supplier, Side::Supplier, p)
}

/// Options of the fact-sheet tables ([`importers`], [`exporters`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct FactSheet {
    /// Keep the first `top` rows (all when `None`).
    pub top: Option<usize>,
    /// Number of main partners to list for each row (SIPRI lists 3).
    pub partners: usize,
    /// A second period for `share_compare` and `change_pct` (SIPRI compares with the previous
    /// five years).
    pub compare: Option<Period>,
}

/// The fact-sheet table: the largest importers (or exporters) of `p` with their shares of the
/// world total, optionally the share in a comparison period and the per cent change in
/// volume, and their main partners.
fn fact_sheet(l: &Ledger, side: Side, p: Period, o: FactSheet) -> Result<Table> {
    side.check(l, "a fact-sheet table")?;
    // no row has more partners than there are actors: a huge count must not allocate columns
    let o = FactSheet { partners: o.partners.min(l.registry.len()), ..o };
    if o.partners > 0 {
        l.require_dyadic(&format!(
            "listing main {} (pass {}=0 for a totals-only file)",
            side.other().column().to_string() + "s",
            match side {
                Side::Recipient => "suppliers",
                Side::Supplier => "clients",
            }
        ))?;
    }
    let name = match side {
        Side::Recipient => "importers",
        Side::Supplier => "exporters",
    };
    l.check_years(p, &format!("{name}({p})"))?;
    if let Some(cp) = o.compare {
        l.check_years(cp, &format!("the comparison period of {name}({p}, compare={cp})"))?;
    }
    let (tiv, seen) = totals(l, side, p);
    let world = l.sum_in(p);
    // every row is computed; a `top` cut keeps the rows below it in the schema metadata
    let ids = ranked(l, &tiv, &seen);
    let r = &l.registry;
    let mut b = TableBuilder::new()
        .i64("rank", (1..=ids.len() as i64).collect())
        .str(side.column(), ids.iter().map(|a| r.name(*a)).collect())
        .f64("tiv", ids.iter().map(|a| tiv[a.index()]).collect())
        .f64_opt("share", ids.iter().map(|a| ratio(tiv[a.index()], world)).collect());
    if let Some(cp) = o.compare {
        let (ctiv, _) = totals(l, side, cp);
        let cworld = l.sum_in(cp);
        b = b
            .f64("tiv_compare", ids.iter().map(|a| ctiv[a.index()]).collect())
            .f64_opt("share_compare", ids.iter().map(|a| ratio(ctiv[a.index()], cworld)).collect())
            .f64_opt("change_pct", ids.iter().map(|a| percent_change(ctiv[a.index()], tiv[a.index()])).collect());
    }
    if o.partners > 0 {
        // partner TIV for the listed actors only
        // position of each listed actor, by actor index (dense: the registry is small)
        let mut pos = vec![usize::MAX; r.len()];
        for (i, a) in ids.iter().enumerate() {
            pos[a.index()] = i;
        }
        let mut per: Vec<HashMap<ActorId, f64, rustc_hash::FxBuildHasher>> = vec![HashMap::default(); ids.len()];
        let mine = side.ids(l);
        let theirs = side.other().ids(l);
        for i in 0..l.len() {
            if p.contains(l.year[i]) {
                if let Some(&k) = pos.get(mine[i].index()).filter(|&&k| k != usize::MAX) {
                    *per[k].entry(theirs[i]).or_insert(0.0) += l.tiv[i];
                }
            }
        }
        let label = match side {
            Side::Recipient => "supplier",
            Side::Supplier => "client",
        };
        let mut names: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(ids.len()); o.partners];
        let mut shares: Vec<Vec<Option<f64>>> = vec![Vec::with_capacity(ids.len()); o.partners];
        for (k, a) in ids.iter().enumerate() {
            let mut v: Vec<(ActorId, f64)> = per[k].iter().map(|(x, t)| (*x, *t)).collect();
            v.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| r.name(x.0).cmp(r.name(y.0))));
            for j in 0..o.partners {
                match v.get(j) {
                    Some((x, t)) => {
                        names[j].push(Some(r.name(*x).to_string()));
                        shares[j].push(ratio(*t, tiv[a.index()]));
                    }
                    None => {
                        names[j].push(None);
                        shares[j].push(None);
                    }
                }
            }
        }
        for (j, (nm, sh)) in names.into_iter().zip(shares).enumerate() {
            b = b.str_opt(&format!("{label}_{}", j + 1), nm).f64_opt(&format!("{label}_{}_share", j + 1), sh);
        }
    }
    let full = b.build()?;
    match o.top {
        Some(t) if t < full.num_rows() => cut_top(full, t),
        _ => Ok(full),
    }
}

/// The schema-metadata key under which a table cut to its top N rows keeps the rows below the
/// cut, as an Arrow IPC stream in hex (the same schema). Only pyarrow and the core keep schema
/// metadata; polars and pandas drop it, and a comparison of tables they gave back treats a
/// missing row as absent (null), never as zero.
pub const TOP_CUT_META: &str = "powerbalance.rows_below_top";

/// The first `n` rows of `full`, with the others kept in the schema metadata ([`TOP_CUT_META`]).
pub fn cut_top(full: Table, n: usize) -> Result<Table> {
    let rest = full.batch.slice(n, full.num_rows() - n);
    let mut buf = Vec::new();
    {
        let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut buf, rest.schema_ref())
            .map_err(|e| Error::invalid(format!("internal error keeping the rows below the top: {e}")))?;
        w.write(&rest)
            .and_then(|_| w.finish())
            .map_err(|e| Error::invalid(format!("internal error keeping the rows below the top: {e}")))?;
    }
    let hex: String = buf.iter().map(|b| format!("{b:02x}")).collect();
    let mut meta = full.batch.schema().metadata().clone();
    meta.insert(TOP_CUT_META.to_string(), hex);
    let schema = std::sync::Arc::new(full.batch.schema().as_ref().clone().with_metadata(meta));
    let top = full.batch.slice(0, n);
    let batch = arrow_array::RecordBatch::try_new(schema, top.columns().to_vec())
        .map_err(|e| Error::invalid(format!("internal error cutting a table: {e}")))?;
    Ok(Table { batch })
}

/// The rows a table cut by [`cut_top`] left out (same columns), in rank order; `None` when the
/// table was not cut (or its metadata was dropped on the way).
pub fn rows_below_top(t: &Table) -> Result<Option<Table>> {
    let schema = t.batch.schema();
    let Some(hex) = schema.metadata().get(TOP_CUT_META) else { return Ok(None) };
    let bad = |m: &str| Error::invalid(format!("the table's {TOP_CUT_META} metadata is not readable: {m}"));
    if hex.len() % 2 != 0 || !hex.is_ascii() {
        return Err(bad("not hex"));
    }
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|e| bad(&e.to_string())))
        .collect::<Result<_>>()?;
    let rdr =
        arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None).map_err(|e| bad(&e.to_string()))?;
    let mut out: Option<arrow_array::RecordBatch> = None;
    for b in rdr {
        let b = b.map_err(|e| bad(&e.to_string()))?;
        if out.is_some() {
            return Err(bad("more than one batch"));
        }
        // the table may have lost or reordered columns since (a `select`): take the same ones
        let mut cols = Vec::with_capacity(schema.fields().len());
        for f in schema.fields() {
            match b.column_by_name(f.name()) {
                Some(c) if c.data_type() == f.data_type() => cols.push(c.clone()),
                _ => return Ok(None),
            }
        }
        let plain = std::sync::Arc::new(arrow_schema::Schema::new(schema.fields().clone()));
        out = Some(arrow_array::RecordBatch::try_new(plain, cols).map_err(|e| bad(&e.to_string()))?);
    }
    Ok(out.map(|batch| Table { batch }))
}

/// The largest importers of `p`, laid out as in SIPRI's fact sheets.
///
/// Columns: `rank, recipient, tiv, share` (`TIV_r / world`); with `compare`,
/// `tiv_compare, share_compare, change_pct` (`100 (TIV_r(p) - TIV_r(c)) / TIV_r(c)`); then
/// `supplier_k, supplier_k_share` for k = 1..partners, the share being of the recipient's
/// imports in `p`. Ties are broken by name.
///
/// Source: SIPRI, *Trends in International Arms Transfers, 2020* (Wezeman et al., 2021), table 2.
pub fn importers(l: &Ledger, p: Period, o: FactSheet) -> Result<Table> {
    fact_sheet(l, Side::Recipient, p, o)
}

/// The largest exporters of `p`: as [`importers`] with `supplier` and `client_k`,
/// `client_k_share` (the client's share of the supplier's exports).
///
/// Source: SIPRI, *Trends in International Arms Transfers, 2020* (Wezeman et al., 2021), table 1.
pub fn exporters(l: &Ledger, p: Period, o: FactSheet) -> Result<Table> {
    fact_sheet(l, Side::Supplier, p, o)
}

/// `years` checked against the coverage, or the whole coverage. `name` and `args` name the
/// query in a message: `dyad(Russia, China, 1987-1994)`.
fn span_or(l: &Ledger, years: Option<Period>, name: &str, args: &[&str]) -> Result<Period> {
    let mut a: Vec<String> = args.iter().map(|x| x.to_string()).collect();
    if let Some(p) = years {
        a.push(p.to_string());
    }
    l.years_or_all(years, &format!("{name}({})", a.join(", ")))
}

/// The entries delivered in `p`, as `(entry, k)` where `k = year - p.start` is the year's
/// place in an annual series over `p`.
fn entries_by_year(l: &Ledger, p: Period) -> impl Iterator<Item = (usize, usize)> + '_ {
    (0..l.len()).filter(move |&i| p.contains(l.year[i])).map(move |i| (i, (l.year[i] - p.start) as usize))
}

/// The annual series of one dyad over `years` (default: the ledger's span); years without
/// deliveries have `tiv = 0`.
///
/// Columns: `year, tiv, share_of_supplier_exports` (`TIV_sr,t / TIV_s.,t`),
/// `share_of_recipient_imports` (`TIV_sr,t / TIV_.r,t`), `supplier_exports`,
/// `recipient_imports`. A share is null in a year where its denominator is 0.
pub fn dyad_series(l: &Ledger, supplier: ActorId, recipient: ActorId, years: Option<Period>) -> Result<Table> {
    l.require_dyadic("a dyad's series")?;
    let p = span_or(l, years, "dyad", &[l.registry.name(supplier), l.registry.name(recipient)])?;
    let n = p.len();
    let (mut d, mut s, mut r) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for (i, k) in entries_by_year(l, p) {
        let is_s = l.supplier[i] == supplier;
        let is_r = l.recipient[i] == recipient;
        if is_s {
            s[k] += l.tiv[i];
        }
        if is_r {
            r[k] += l.tiv[i];
        }
        if is_s && is_r {
            d[k] += l.tiv[i];
        }
    }
    TableBuilder::new()
        .i64("year", p.years().map(i64::from).collect())
        .f64("tiv", d.clone())
        .f64_opt("share_of_supplier_exports", (0..n).map(|k| ratio(d[k], s[k])).collect())
        .f64_opt("share_of_recipient_imports", (0..n).map(|k| ratio(d[k], r[k])).collect())
        .f64("supplier_exports", s)
        .f64("recipient_imports", r)
        .build()
}

/// One actor's annual exports and imports over `years` (default: the ledger's span).
///
/// Columns: `year, exports, imports, net_exports` (`exports - imports`),
/// `share_of_world_exports`, `share_of_world_imports`, `world`. Missing sides (a totals-only
/// ledger) are 0 and their shares null.
pub fn actor_series(l: &Ledger, actor: ActorId, years: Option<Period>) -> Result<Table> {
    let p = span_or(l, years, "series", &[l.registry.name(actor)])?;
    let n = p.len();
    let (mut e, mut m, mut w) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for (i, k) in entries_by_year(l, p) {
        w[k] += l.tiv[i];
        if l.supplier[i] == actor {
            e[k] += l.tiv[i];
        }
        if l.recipient[i] == actor {
            m[k] += l.tiv[i];
        }
    }
    let has_e = l.coverage != Coverage::ImportTotals;
    let has_m = l.coverage != Coverage::ExportTotals;
    TableBuilder::new()
        .i64("year", p.years().map(i64::from).collect())
        .f64("exports", e.clone())
        .f64("imports", m.clone())
        .f64("net_exports", (0..n).map(|k| e[k] - m[k]).collect())
        .f64_opt("share_of_world_exports", (0..n).map(|k| if has_e { ratio(e[k], w[k]) } else { None }).collect())
        .f64_opt("share_of_world_imports", (0..n).map(|k| if has_m { ratio(m[k], w[k]) } else { None }).collect())
        .f64("world", w)
        .build()
}

/// World total by year over `years` (default: the ledger's span). Columns: `year, tiv`.
pub fn world_series(l: &Ledger, years: Option<Period>) -> Result<Table> {
    let p = span_or(l, years, "world", &[])?;
    let mut w = vec![0.0; p.len()];
    for (i, k) in entries_by_year(l, p) {
        w[k] += l.tiv[i];
    }
    TableBuilder::new().i64("year", p.years().map(i64::from).collect()).f64("tiv", w).build()
}

/// The ledger's entries as a table: `supplier, recipient, year, tiv`, and the deal detail
/// where the source has it (`sipri_id, designation, description, category, order_year,
/// order_year_estimated, numbers_delivered, numbers_delivered_estimated,
/// delivery_year_estimated, status, tiv_unit, tiv_deal_unit, local_production`).
pub fn entries(l: &Ledger) -> Result<Table> {
    let r = &l.registry;
    let deal = |i: usize| {
        let d = l.deal[i];
        if d == NO_DEAL {
            None
        } else {
            l.deals.get(d as usize)
        }
    };
    let idx = 0..l.len();
    TableBuilder::new()
        .str("supplier", l.supplier.iter().map(|a| r.name(*a)).collect())
        .str("recipient", l.recipient.iter().map(|a| r.name(*a)).collect())
        .i64("year", l.year.iter().map(|y| *y as i64).collect())
        .f64("tiv", l.tiv.clone())
        .i64_opt("sipri_id", idx.clone().map(|i| deal(i).and_then(|d| d.sipri_id).map(|x| x as i64)).collect())
        .str_opt("designation", idx.clone().map(|i| deal(i).map(|d| d.designation.as_str())).collect())
        .str_opt("description", idx.clone().map(|i| deal(i).map(|d| d.description.as_str())).collect())
        .str_opt("category", idx.clone().map(|i| deal(i).map(|d| d.category.as_str())).collect())
        .i64_opt("order_year", idx.clone().map(|i| deal(i).and_then(|d| d.order_year).map(i64::from)).collect())
        .str_opt("status", idx.clone().map(|i| deal(i).map(|d| d.status.as_str())).collect())
        .f64_opt("numbers_delivered", idx.clone().map(|i| deal(i).and_then(|d| d.numbers_delivered)).collect())
        .f64_opt("tiv_unit", idx.clone().map(|i| deal(i).and_then(|d| d.tiv_unit)).collect())
        .f64_opt("tiv_deal_unit", idx.clone().map(|i| deal(i).and_then(|d| d.tiv_deal_unit)).collect())
        .str_opt("flags", idx.map(|i| deal(i).map(deal_flags)).collect())
        .build()
}

fn deal_flags(d: &crate::deals::Deal) -> String {
    let mut f = Vec::new();
    if d.order_year_estimated {
        f.push("order_year_estimated");
    }
    if d.numbers_delivered_estimated {
        f.push("numbers_estimated");
    }
    if d.delivery_year_estimated {
        f.push("delivery_year_estimated");
    }
    if d.local_production {
        f.push("local_production");
    }
    f.join(",")
}

/// The load report, one row per file: `path, format, coverage, generated, preamble_lines,
/// data_rows, rows_read, rows_skipped, entries, rows_repeated, new_actors, notes`
/// (`rows_repeated`: rows read although they repeat an earlier row of the file exactly, kept in
/// the classic register only, where identical rows are most likely separate deals; the notes
/// say so).
pub fn report(l: &Ledger) -> Result<Table> {
    let f = &l.report.files;
    TableBuilder::new()
        .str("path", f.iter().map(|x| x.path.display().to_string()).collect())
        .str("format", f.iter().map(|x| x.format.as_str()).collect())
        .str("coverage", f.iter().map(|x| x.coverage.as_str()).collect())
        .str_opt("generated", f.iter().map(|x| x.generated.clone()).collect())
        .i64("preamble_lines", f.iter().map(|x| x.preamble_lines as i64).collect())
        .i64("data_rows", f.iter().map(|x| x.data_rows as i64).collect())
        .i64("rows_read", f.iter().map(|x| x.rows_read as i64).collect())
        .i64("rows_skipped", f.iter().map(|x| x.skipped.len() as i64).collect())
        .i64("entries", f.iter().map(|x| x.entries as i64).collect())
        .i64("rows_repeated", f.iter().map(|x| x.repeated.len() as i64).collect())
        .str("new_actors", f.iter().map(|x| x.new_actors.join("; ")).collect())
        .str("notes", f.iter().map(|x| x.notes.join("; ")).collect())
        .build()
}

/// Every row that was not read: `path, line, reason` (files skipped whole have line 0).
pub fn skipped(l: &Ledger) -> Result<Table> {
    let mut path = Vec::new();
    let mut line = Vec::new();
    let mut reason = Vec::new();
    for f in &l.report.files {
        for s in &f.skipped {
            path.push(f.path.display().to_string());
            line.push(s.line as i64);
            reason.push(s.reason.clone());
        }
    }
    for (p, why) in &l.report.files_skipped {
        path.push(p.display().to_string());
        line.push(0);
        reason.push(why.clone());
    }
    TableBuilder::new().str("path", path).i64("line", line).str("reason", reason).build()
}

/// The actors of a registry: `id, name, kind, sipri_code, cow_code, iso3, aliases,
/// successor, predecessor, builtin`.
pub fn actors(r: &crate::actors::ActorRegistry) -> Result<Table> {
    let a = r.actors();
    TableBuilder::new()
        .i64("id", a.iter().map(|x| x.id.0 as i64).collect())
        .str("name", a.iter().map(|x| x.name.as_str()).collect())
        .str("kind", a.iter().map(|x| x.kind.as_str()).collect())
        .str_opt("sipri_code", a.iter().map(|x| x.sipri_code.clone()).collect())
        .i64_opt("cow_code", a.iter().map(|x| x.cow_code.map(i64::from)).collect())
        .str_opt("iso3", a.iter().map(|x| x.iso3.clone()).collect())
        .str("aliases", a.iter().map(|x| x.aliases.join("|")).collect())
        .str_opt("successor", a.iter().map(|x| x.successor.map(|s| r.name(s).to_string())).collect())
        .str_opt("predecessor", a.iter().map(|x| x.predecessor.map(|s| r.name(s).to_string())).collect())
        .bool("builtin", a.iter().map(|x| x.builtin).collect())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorRegistry;
    use crate::testing::{close, toy_ledger};
    use std::sync::Arc;

    #[test]
    fn importers_hand_checked() {
        let l = toy_ledger();
        let t = importers(
            &l,
            Period::new(2016, 2017).unwrap(),
            FactSheet { top: None, partners: 2, compare: Some(Period::year(2011)) },
        )
        .unwrap();
        // 2016-2017 imports: Saudi Arabia 35, India 12, China 6, Pakistan 5, Sri Lanka 1 (59).
        let names = ["Saudi Arabia", "India", "China", "Pakistan", "Sri Lanka"];
        assert_eq!(t.strings("recipient").unwrap(), names.map(|n| Some(n.to_string())));
        let share = t.f64s("share").unwrap();
        close(share[0], 35.0 / 59.0);
        close(share[1], 12.0 / 59.0);
        // India imported 10 in 2011 (all of that year's transfers), 12 in 2016-2017.
        let ch = t.f64s("change_pct").unwrap();
        assert_eq!(ch[0], None);
        close(ch[1], 20.0);
        let sc = t.f64s("share_compare").unwrap();
        close(sc[1], 1.0);
        let s1 = t.f64s("supplier_1_share").unwrap();
        close(s1[0], 30.0 / 35.0);
        close(s1[1], 8.0 / 12.0);
        close(s1[2], 4.0 / 6.0);
        let s2 = t.strings("supplier_2").unwrap();
        assert_eq!((s2[1].as_deref(), s2[3].as_deref()), (Some("France"), None));
    }

    #[test]
    fn exporters_and_shares_sum_to_one() {
        let l = toy_ledger();
        let p = Period::new(2011, 2017).unwrap();
        let t = exporters(&l, p, FactSheet { top: Some(2), partners: 1, compare: None }).unwrap();
        assert_eq!(t.num_rows(), 2);
        assert_eq!(t.strings("supplier").unwrap()[0].as_deref(), Some("United States"));
        assert_eq!(t.strings("client_1").unwrap()[1].as_deref(), Some("India"));
        let all = by_supplier(&l, p).unwrap();
        let s: f64 = all.f64s("share").unwrap().into_iter().map(|x| x.unwrap()).sum();
        assert!((s - 1.0).abs() < 1e-12);
    }

    #[test]
    fn dyad_series_hand_checked() {
        let l = toy_ledger();
        let r = &l.registry;
        let t = dyad_series(
            &l,
            r.resolve("Russia").unwrap(),
            r.resolve("China").unwrap(),
            Some(Period::new(2015, 2017).unwrap()),
        )
        .unwrap();
        assert_eq!(t.i64s("year").unwrap(), vec![Some(2015), Some(2016), Some(2017)]);
        assert_eq!(t.f64s("tiv").unwrap(), vec![Some(0.0), Some(4.0), Some(0.0)]);
        // Russia exported 10 in 2016 and 2 (to India) in 2017; China imported 4 and 2.
        let s = t.f64s("share_of_supplier_exports").unwrap();
        assert_eq!(s[0], None, "Russia exported nothing in 2015: no denominator");
        close(s[1], 0.4);
        close(s[2], 0.0);
        let m = t.f64s("share_of_recipient_imports").unwrap();
        assert_eq!(m[0], None);
        close(m[1], 1.0);
        close(m[2], 0.0);
    }

    #[test]
    fn partners_and_series() {
        let l = toy_ledger();
        let r = &l.registry;
        let ru = r.resolve("Russia").unwrap();
        let t = clients_of(&l, ru, Period::new(2011, 2016).unwrap()).unwrap();
        assert_eq!(t.strings("recipient").unwrap()[0].as_deref(), Some("India"));
        // Russia's exports 2011-2016: India 16, China 4.
        close(t.f64s("share").unwrap()[0], 16.0 / 20.0);
        let s = actor_series(&l, r.resolve("China").unwrap(), Some(Period::new(2016, 2017).unwrap())).unwrap();
        assert_eq!(s.f64s("net_exports").unwrap(), vec![Some(-4.0), Some(3.0)]);
        assert_eq!(percent_change(0.0, 1.0), None);
        close(percent_change(10.0, 15.0), 50.0);
    }

    #[test]
    fn totals_only_ledger_refuses_dyadic_metrics() {
        let mut l = toy_ledger();
        l.coverage = Coverage::ImportTotals;
        let e = by_supplier(&l, Period::year(2016)).unwrap_err().to_string();
        assert!(e.contains("import-totals"), "{e}");
        assert!(importers(&l, Period::year(2016), FactSheet { partners: 3, ..Default::default() }).is_err());
        assert!(importers(&l, Period::year(2016), FactSheet::default()).is_ok());
    }

    #[test]
    fn succession_merges_soviet_union_into_russia() {
        let r = ActorRegistry::builtin().clone();
        let (su, ru, cn) =
            (r.resolve("Soviet Union").unwrap(), r.resolve("Russia").unwrap(), r.resolve("China").unwrap());
        let mut l = Ledger::empty(Arc::new(r), Coverage::Dyadic);
        l.push(su, cn, 1990, 5.0, NO_DEAL);
        l.push(ru, cn, 1993, 7.0, NO_DEAL);
        let t = dyad_series(&l, ru, cn, None).unwrap();
        assert_eq!(t.f64s("tiv").unwrap()[0], Some(0.0));
        let f = l.follow_succession();
        let t = dyad_series(&f, ru, cn, None).unwrap();
        assert_eq!(t.f64s("tiv").unwrap(), vec![Some(5.0), Some(0.0), Some(0.0), Some(7.0)]);
    }
}
