//! The per-delivery-year trade register (17 columns) and the classic one-row-per-deal register.

use super::rows::{FileCtx, Rows, OPEN_ORDER};
use super::sniff::{Head, CLASSIC_COLUMNS, REGISTER_COLUMNS};
use crate::actors::ActorRegistry;
use crate::error::{Error, Result};
use crate::ledger::{Coverage, Deal, Ledger};
use std::path::Path;

/// Map each expected column name to its index in the header; fail on the first one missing.
fn column_map<const N: usize>(head: &Head, path: &Path, names: &[&str; N], what: &str) -> Result<[usize; N]> {
    let mut idx = [0usize; N];
    let mut missing = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let mut at = head.header.iter().enumerate().filter(|(_, h)| h.eq_ignore_ascii_case(name));
        match (at.next(), at.next()) {
            (Some((i, _)), None) => idx[k] = i,
            (Some((i, _)), Some((j, _))) => {
                return Err(Error::Format {
                    path: path.to_path_buf(),
                    line: head.header_line,
                    message: format!(
                        "{what} header has column {name:?} twice (columns {} and {}); which one to read is ambiguous",
                        i + 1,
                        j + 1
                    ),
                })
            }
            (None, _) => missing.push(format!("{name:?}")),
        }
    }
    if missing.is_empty() {
        Ok(idx)
    } else {
        Err(Error::Format {
            path: path.to_path_buf(),
            line: head.header_line,
            message: format!(
                "{what} header lacks column{} {} (the header has {:?}); was a column renamed?",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                head.header
            ),
        })
    }
}

/// 2^53: the largest whole number below which every integer is exact in an `f64`.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// The new-format register: one entry (and one [`Deal`]) per row.
pub(crate) fn read_register(body: &[u8], head: &Head, path: &Path, reg: &mut ActorRegistry) -> Result<Ledger> {
    let c = column_map(head, path, &REGISTER_COLUMNS, "trade-register")?;
    let [id_c, sup_c, rec_c, des_c, dsc_c, cat_c, ord_c, orde_c, num_c, nume_c, yr_c, yre_c, st_c, est_c, unit_c, tiv_c, loc_c] =
        c;
    let width = head.header.len();
    let mut ctx = FileCtx::new(path, reg, head, Coverage::Dyadic);
    // A register row takes about 100 bytes.
    ctx.reserve(body.len() / 96, true);
    let mut rows = Rows::new(body, head.header_line + 1);
    while let Some(line) = rows.next(path, &mut ctx.report.skipped)? {
        let r = &rows.rec;
        ctx.check_width(r, line, width)?;
        let year = ctx.year(r, yr_c, line)?;
        let tiv = ctx.tiv(r, tiv_c, line)?;
        let Some(year) = year else {
            if tiv.unwrap_or(0.0) == 0.0 {
                ctx.skip(line, OPEN_ORDER);
                continue;
            }
            return Err(ctx.parse_error(line, yr_c, "a delivery with a TIV value but no delivery year"));
        };
        let Some(tiv) = tiv else {
            return Err(ctx.parse_error(line, tiv_c, "empty TIV value for a delivery"));
        };
        let supplier = ctx.actor(r.get(sup_c).unwrap_or_default(), line, sup_c)?;
        let recipient = ctx.actor(r.get(rec_c).unwrap_or_default(), line, rec_c)?;
        let sipri_id = match ctx.count(r, id_c, line)? {
            // Whole numbers up to 2^53 are exact in f64; a larger id would be silently rounded
            // (or saturated by the cast).
            Some(v) if v.fract() == 0.0 && v <= MAX_EXACT => Some(v as u64),
            Some(v) if v.fract() == 0.0 => {
                return Err(ctx.parse_error(line, id_c, format!("the deal id {v} is too large (above 2^53)")))
            }
            Some(_) => return Err(ctx.parse_error(line, id_c, "the deal id is not a whole number")),
            None => None,
        };
        let deal = Deal {
            sipri_id,
            designation: FileCtx::text(r, des_c),
            description: FileCtx::text(r, dsc_c),
            category: FileCtx::text(r, cat_c),
            order_year: ctx.year(r, ord_c, line)?,
            order_year_estimated: ctx.yes_no(r, orde_c, line)?,
            number_ordered: None,
            number_ordered_estimated: false,
            numbers_delivered: ctx.count(r, num_c, line)?,
            numbers_delivered_estimated: ctx.yes_no(r, nume_c, line)?,
            delivery_year_estimated: ctx.yes_no(r, yre_c, line)?,
            status: FileCtx::text(r, st_c),
            tiv_unit: ctx.tiv(r, est_c, line)?,
            tiv_deal_unit: ctx.tiv(r, unit_c, line)?,
            tiv_order: None,
            local_production: ctx.yes_no(r, loc_c, line)?,
            comments: String::new(),
        };
        let d = deal_index(&ctx, path)?;
        std::sync::Arc::make_mut(&mut ctx.ledger.deals).push(deal);
        ctx.ledger.push(supplier, recipient, year, tiv, d);
        ctx.report.rows_read += 1;
    }
    Ok(ctx.finish(&rows))
}

fn deal_index(ctx: &FileCtx, path: &Path) -> Result<u32> {
    u32::try_from(ctx.ledger.deals.len())
        .ok()
        .filter(|&d| d != crate::ledger::NO_DEAL)
        .ok_or_else(|| Error::invalid(format!("{}: too many deals for one ledger", path.display())))
}

/// The classic register: one row per deal, `Year(s) of delivery` a `; `-separated list and the
/// TIV of delivered weapons a total over those years, spread evenly over them.
pub(crate) fn read_classic(body: &[u8], head: &Head, path: &Path, reg: &mut ActorRegistry) -> Result<Ledger> {
    let c = column_map(head, path, &CLASSIC_COLUMNS, "classic trade-register")?;
    let [rec_c, sup_c, ord_c, nord_c, des_c, dsc_c, ndel_c, yrs_c, st_c, com_c, unit_c, order_c, tiv_c] = c;
    // The uncertainty flags are the unnamed columns right after their field.
    let flag_after = |i: usize| head.header.get(i + 1).filter(|h| h.trim().is_empty()).map(|_| i + 1);
    let (ord_f, nord_f, ndel_f) = (flag_after(ord_c), flag_after(nord_c), flag_after(ndel_c));
    let width = head.header.len();
    let mut ctx = FileCtx::new(path, reg, head, Coverage::Dyadic);
    let mut flagged_header = ctx.header.clone();
    for (f, base) in [(ord_f, ord_c), (nord_f, nord_c), (ndel_f, ndel_c)] {
        if let (Some(f), Some(name)) = (f, head.header.get(base)) {
            if let Some(h) = flagged_header.get_mut(f) {
                *h = format!("uncertainty flag of {name:?}");
            }
        }
    }
    ctx.header = flagged_header;
    ctx.ledger.annual_estimated = true;
    ctx.report.notes.push(
        "the classic register gives each deal's TIV of delivered weapons over all its delivery years; annual TIV is that total spread evenly over the listed years (ledger.annual_estimated)".into(),
    );
    let mut rows = Rows::new(body, head.header_line + 1);
    let mut years: Vec<i32> = Vec::new();
    while let Some(line) = rows.next(path, &mut ctx.report.skipped)? {
        let r = &rows.rec;
        ctx.check_width(r, line, width)?;
        let tiv = ctx.tiv(r, tiv_c, line)?;
        years.clear();
        let list = r.get(yrs_c).unwrap_or_default();
        for y in list.split(|&b| b == b';') {
            if let Some(y) = ctx.year_of(y, yrs_c, line)? {
                years.push(y);
            }
        }
        if years.is_empty() {
            if tiv.unwrap_or(0.0) == 0.0 {
                ctx.skip(line, OPEN_ORDER);
                continue;
            }
            return Err(ctx.parse_error(line, yrs_c, "TIV of delivered weapons given but no year of delivery"));
        }
        let Some(tiv) = tiv else {
            return Err(ctx.parse_error(line, tiv_c, "empty TIV of delivered weapons for a deal with deliveries"));
        };
        let supplier = ctx.actor(r.get(sup_c).unwrap_or_default(), line, sup_c)?;
        let recipient = ctx.actor(r.get(rec_c).unwrap_or_default(), line, rec_c)?;
        let deal = Deal {
            sipri_id: None,
            designation: FileCtx::text(r, des_c),
            description: FileCtx::text(r, dsc_c),
            category: String::new(),
            order_year: ctx.year(r, ord_c, line)?,
            order_year_estimated: ctx.flag(r, ord_f, line)?,
            number_ordered: ctx.count(r, nord_c, line)?,
            number_ordered_estimated: ctx.flag(r, nord_f, line)?,
            numbers_delivered: ctx.count(r, ndel_c, line)?,
            numbers_delivered_estimated: ctx.flag(r, ndel_f, line)?,
            delivery_year_estimated: false,
            status: FileCtx::text(r, st_c),
            tiv_unit: ctx.tiv(r, unit_c, line)?,
            tiv_deal_unit: None,
            tiv_order: ctx.tiv(r, order_c, line)?,
            local_production: false,
            comments: FileCtx::text(r, com_c),
        };
        let d = deal_index(&ctx, path)?;
        std::sync::Arc::make_mut(&mut ctx.ledger.deals).push(deal);
        let share = tiv / years.len() as f64;
        for &y in &years {
            ctx.ledger.push(supplier, recipient, y, share, d);
        }
        ctx.report.rows_read += 1;
    }
    Ok(ctx.finish(&rows))
}
