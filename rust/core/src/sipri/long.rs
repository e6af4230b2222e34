//! Long tables (`Export_From, Import_To, Year, TIV` or `Import_To, Export_From, Year, TIV`), as
//! reshaped from SIPRI's TIV tables by the `sipriarmsdata` R package. Besides dyad-year cells
//! they hold each table's row totals (`Year == "Total"`), its totals row (the counterpart is
//! `Total`) and the "All" table (the table's own country is `All`); those rows are skipped.

use super::rows::{FileCtx, Rows, ALL_TABLE_ROW, ROW_TOTAL, TOTALS_ROW};
use super::sniff::Head;
use crate::actors::ActorRegistry;
use crate::error::{Error, Result};
use crate::ledger::{Coverage, Ledger, NO_DEAL};
use std::path::Path;

pub(crate) fn read_long(body: &[u8], head: &Head, path: &Path, reg: &mut ActorRegistry) -> Result<Ledger> {
    if let Some(dup) = ["Export_From", "Import_To", "Year", "TIV"]
        .iter()
        .find(|n| head.header.iter().filter(|h| h.eq_ignore_ascii_case(n)).count() > 1)
    {
        return Err(Error::Format {
            path: path.to_path_buf(),
            line: head.header_line,
            message: format!("a long TIV table with column {dup:?} twice; which one to read is ambiguous"),
        });
    }
    let find = |n: &str| head.header.iter().position(|h| h.eq_ignore_ascii_case(n));
    let (Some(exp_c), Some(imp_c), Some(yr_c), Some(tiv_c)) =
        (find("Export_From"), find("Import_To"), find("Year"), find("TIV"))
    else {
        return Err(Error::Format {
            path: path.to_path_buf(),
            line: head.header_line,
            message: format!(
                "a long TIV table needs columns Export_From, Import_To, Year and TIV; the header has {:?}",
                head.header
            ),
        });
    };
    // The table's own country comes first: an exporter's table (`Export_From, Import_To, ...`)
    // or an importer's (`Import_To, Export_From, ...`).
    let (own_c, other_c) = if exp_c < imp_c { (exp_c, imp_c) } else { (imp_c, exp_c) };
    let width = head.header.len();
    let mut ctx = FileCtx::new(path, reg, head, Coverage::Dyadic);
    let mut rows = Rows::new(body, head.header_line + 1);
    let (mut all_rows, mut totals, mut row_totals) = (0usize, 0usize, 0usize);
    let mut cell_of: std::collections::HashMap<(crate::actors::ActorId, crate::actors::ActorId, i32), usize> =
        std::collections::HashMap::new();
    while let Some(line) = rows.next(path, &mut ctx.report.skipped)? {
        let r = &rows.rec;
        ctx.check_width(r, line, width)?;
        let own = r.get(own_c).unwrap_or_default().trim_ascii();
        let other = r.get(other_c).unwrap_or_default().trim_ascii();
        let year = r.get(yr_c).unwrap_or_default().trim_ascii();
        if own.eq_ignore_ascii_case(b"All") {
            ctx.skip(line, ALL_TABLE_ROW);
            all_rows += 1;
            continue;
        }
        if other.eq_ignore_ascii_case(b"Total") {
            ctx.skip(line, TOTALS_ROW);
            totals += 1;
            continue;
        }
        if year.eq_ignore_ascii_case(b"Total") {
            ctx.skip(line, ROW_TOTAL);
            row_totals += 1;
            continue;
        }
        let Some(y) = ctx.year(r, yr_c, line)? else {
            return Err(ctx.parse_error(line, yr_c, "empty year"));
        };
        let Some(v) = ctx.tiv(r, tiv_c, line)? else {
            return Err(ctx.parse_error(line, tiv_c, "empty TIV value"));
        };
        let s = ctx.actor(r.get(exp_c).unwrap_or_default(), line, exp_c)?;
        let rc = ctx.actor(r.get(imp_c).unwrap_or_default(), line, imp_c)?;
        // one row per supplier, recipient and year: a second would count its TIV twice
        if let Some(first) = cell_of.insert((s, rc, y), line) {
            return Err(ctx.parse_error(
                line,
                yr_c,
                format!(
                    "{} -> {} in {y} has a second row (lines {first} and {line} of the file): a long TIV table has one row per supplier, recipient and year, so the repeated row would count its TIV twice",
                    ctx.reg_name(s),
                    ctx.reg_name(rc)
                ),
            ));
        }
        ctx.ledger.push(s, rc, y, v, NO_DEAL);
        ctx.report.rows_read += 1;
    }
    if all_rows + totals + row_totals > 0 {
        ctx.report.notes.push(format!(
            "skipped {all_rows} rows of the \"All\" table, {totals} rows of per-country totals rows and {row_totals} row totals (Year == \"Total\")"
        ));
    }
    Ok(ctx.finish(&rows))
}
