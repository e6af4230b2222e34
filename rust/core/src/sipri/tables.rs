//! Tables by year: SIPRI's TIV tables for one supplier or recipient (wide), the "All" totals
//! tables, and the official `export-values`/`import-values` tables. One entry per non-empty year
//! cell; totals rows and columns are checked against the cells and reported, never read.

use super::rows::{FileCtx, Rows, NO_CELLS, TOTALS_ROW};
use super::sniff::{is_year, is_year_range, Direction, Head};
use crate::actors::{ActorId, ActorRegistry};
use crate::error::{Error, Result};
use crate::ledger::{Coverage, Ledger, SipriFormat, NO_DEAL};
use std::path::Path;

/// The layout of a year table's header.
struct Columns {
    /// (field index, year) of each year column.
    years: Vec<(usize, i32)>,
    /// The row-total column (`Total`, or `1990-2023` in a values table).
    total: Option<usize>,
}

fn columns(head: &Head, path: &Path) -> Result<Columns> {
    let mut years = Vec::new();
    let mut total = None;
    let h = &head.header;
    let mut i = 1;
    while let Some(y) = h.get(i).and_then(|f| is_year(f)) {
        years.push((i, y));
        i += 1;
    }
    let fail = |message: String| Error::Format { path: path.to_path_buf(), line: head.header_line, message };
    if let Some(w) = years.windows(2).find(|w| w[1].1 <= w[0].1) {
        return Err(fail(format!("the year columns are out of order ({} after {})", w[1].1, w[0].1)));
    }
    let values = head.format == SipriFormat::ValuesTable;
    for (j, name) in h.iter().enumerate().skip(i) {
        let lower = name.to_ascii_lowercase();
        let is_total = if values { is_year_range(name) } else { lower == "total" };
        if is_total && total.is_none() {
            total = Some(j);
        } else if values && (lower.starts_with("percentage") || lower == "sum total years") {
            // Shares and a repeat of the total: not read.
        } else if name.is_empty() && j + 1 == h.len() {
            // A trailing empty column.
        } else {
            return Err(fail(format!("unexpected column {name:?} (column {}) after the years", j + 1)));
        }
    }
    Ok(Columns { years, total })
}

fn is_totals_name(name: &[u8]) -> bool {
    let t = name.trim_ascii();
    t.eq_ignore_ascii_case(b"total") || (t.len() >= 11 && t[..11].eq_ignore_ascii_case(b"total world"))
}

/// Read a wide table, an "All" table or a values table.
pub(crate) fn read_year_table(body: &[u8], head: &Head, path: &Path, reg: &mut ActorRegistry) -> Result<Ledger> {
    let cols = columns(head, path)?;
    let dir = head.direction.unwrap_or(Direction::Exports);
    let coverage = match (head.format, dir) {
        (SipriFormat::WideTable, _) => Coverage::Dyadic,
        (_, Direction::Exports) => Coverage::ExportTotals,
        (_, Direction::Imports) => Coverage::ImportTotals,
    };
    let width = head.header.len();
    let mut ctx = FileCtx::new(path, reg, head, coverage);
    // The fixed side of every entry: the table's subject, or the World.
    let fixed: ActorId = match (&head.subject, head.format) {
        (Some(s), SipriFormat::WideTable) => ctx.actor_str(s, 1, 0)?,
        _ => ctx.world(),
    };
    let rows_are_suppliers = match head.format {
        SipriFormat::WideTable => dir == Direction::Imports,
        _ => dir == Direction::Exports,
    };
    let mut col_sums = vec![0.0f64; cols.years.len()];
    let mut totals_row: Option<(usize, Vec<Option<f64>>)> = None;
    let mut row_mismatch = 0usize;
    let mut row_max_diff = 0.0f64;
    let mut beyond: Vec<String> = Vec::new();
    let mut rows = Rows::new(body, head.header_line + 1);
    let mut row_of: std::collections::HashMap<ActorId, usize> = std::collections::HashMap::new();
    while let Some(line) = rows.next(path, &mut ctx.report.skipped)? {
        let r = &rows.rec;
        ctx.check_width(r, line, width)?;
        let name = r.get(0).unwrap_or_default();
        if is_totals_name(name) {
            let mut vals = Vec::with_capacity(cols.years.len());
            for &(i, _) in &cols.years {
                vals.push(ctx.tiv(r, i, line)?);
            }
            totals_row = Some((line, vals));
            ctx.skip(line, TOTALS_ROW);
            continue;
        }
        let actor = ctx.actor(name, line, 0)?;
        // one row per actor: a second would count its TIV twice
        if let Some(first) = row_of.insert(actor, line) {
            return Err(ctx.parse_error(
                line,
                0,
                format!(
                    "{} has a second row (lines {first} and {line} of the file): a TIV table has one row per actor, so the repeated row would count its TIV twice",
                    ctx.reg_name(actor)
                ),
            ));
        }
        let (s, rc) = if rows_are_suppliers { (actor, fixed) } else { (fixed, actor) };
        let mut n = 0usize;
        let mut sum = 0.0;
        for (k, &(i, y)) in cols.years.iter().enumerate() {
            if let Some(v) = ctx.tiv(r, i, line)? {
                ctx.ledger.push(s, rc, y, v, NO_DEAL);
                n += 1;
                sum += v;
                if let Some(c) = col_sums.get_mut(k) {
                    *c += v;
                }
            }
        }
        if let Some(t) = cols.total {
            if let Some(total) = ctx.tiv(r, t, line)? {
                let diff = (total - sum).abs();
                if diff > 1e-6 {
                    row_mismatch += 1;
                    row_max_diff = row_max_diff.max(diff);
                    // Each of n rounded cells may be off by 0.5, and so may the total.
                    if diff > 0.5 * (n as f64 + 1.0) && beyond.len() < 5 {
                        beyond.push(format!("line {line}: total {total}, cells sum to {sum}"));
                    }
                }
            }
        }
        if n == 0 {
            ctx.skip(line, NO_CELLS);
        } else {
            ctx.report.rows_read += 1;
        }
    }
    if row_mismatch > 0 {
        ctx.report.notes.push(format!(
            "row totals: {row_mismatch} rows' total differs from the sum of their year cells, by at most {row_max_diff} (SIPRI rounds each cell and the total)"
        ));
    }
    if !beyond.is_empty() {
        ctx.report.notes.push(format!("row totals beyond rounding tolerance: {}", beyond.join("; ")));
    }
    if let Some((line, vals)) = totals_row {
        let mut max = 0.0f64;
        let mut at = None;
        for ((v, s), &(_, y)) in vals.iter().zip(&col_sums).zip(&cols.years) {
            let d = (v.unwrap_or(0.0) - s).abs();
            if d > max {
                max = d;
                at = Some(y);
            }
        }
        ctx.report.notes.push(match at {
            Some(y) => format!("totals row (line {line}) vs the column sums: max |diff| = {max} (in {y})"),
            None => format!("totals row (line {line}) equals the column sums"),
        });
    }
    // A TIV table states its years: one column per year, an empty cell SIPRI's "no delivery"
    // (a real zero). It covers its year columns, not only the years with a non-empty cell.
    let stated = cols.years.iter().map(|&(_, y)| y);
    let covers = match (stated.clone().min(), stated.max()) {
        (Some(start), Some(end)) => Some(crate::ledger::Covers {
            dataset: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            years: crate::period::Period { start, end },
        }),
        _ => None,
    };
    let mut ledger = ctx.finish(&rows);
    ledger.covers = covers;
    Ok(ledger)
}
