//! The per-delivery-year trade register (17 columns) and the classic one-row-per-deal register.

use super::rows::{Cells, FileCtx, Record, RowSource, Rows, SplitRows, OPEN_ORDER};
use super::sniff::{Head, CLASSIC_COLUMNS, REGISTER_COLUMNS};
use crate::actors::ActorId;
use crate::actors::ActorRegistry;
use crate::deals::Deal;
use crate::deals::{DealHead, DealText, Deals, DELIVERY_YEAR_EST, LOCAL, NUMBERS_EST, ORDER_YEAR_EST};
use crate::error::{Error, Result};
use crate::ledger::{Coverage, Ledger, OpenOrder, Skip};
use rustc_hash::{FxHashMap, FxHashSet};
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

/// Columns of the new-format register (0-based field indexes) and the header's width.
struct RegCols {
    id: usize,
    sup: usize,
    rec: usize,
    des: usize,
    dsc: usize,
    cat: usize,
    ord: usize,
    orde: usize,
    num: usize,
    nume: usize,
    yr: usize,
    yre: usize,
    st: usize,
    est: usize,
    unit: usize,
    tiv: usize,
    loc: usize,
    width: usize,
}

/// Bodies below this size are read on one thread.
const PARALLEL_MIN: usize = 512 * 1024;
/// Smallest piece given to a thread.
const PIECE_MIN: usize = 256 * 1024;

/// How the rows of a register body are split into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    /// The csv reader (quotes, any line ends), one thread.
    Csv,
    /// A body without quotes ([`super::rows::plain`]): lines split at commas, in
    /// `pieces` parts read in parallel.
    Plain { pieces: usize },
}

/// The split a body gets by default: plain (on up to [`crate::parallel::threads`] threads)
/// when it has no quotes, the csv reader otherwise.
fn default_split(body: &[u8]) -> Split {
    if !super::rows::plain(body) {
        return Split::Csv;
    }
    Split::Plain { pieces: pieces_for(body) }
}

/// How many pieces the plain split cuts a body into: one per thread, none under [`PIECE_MIN`].
fn pieces_for(body: &[u8]) -> usize {
    if body.len() >= PARALLEL_MIN {
        crate::parallel::threads().min(body.len() / PIECE_MIN).max(1)
    } else {
        1
    }
}

/// Is a body large enough to be read in parallel?
pub(crate) fn parallel(body: &[u8]) -> bool {
    body.len() >= PARALLEL_MIN
}

/// The new-format register: one entry (and one [`Deal`]) per row.
///
/// `body` is the text below the header, with the 2026 export's trailing `;` still on every line
/// when `head.semicolons`. Every field of every row is checked here; the deals' texts are kept
/// in an arena and become [`Deal`] values on first use ([`crate::deals::Deals`]).
pub(crate) fn read_register(body: &[u8], head: &Head, path: &Path, reg: &mut ActorRegistry) -> Result<Ledger> {
    read_register_split(body, head, path, reg, default_split(body))
}

pub(crate) fn read_register_split(
    body: &[u8], head: &Head, path: &Path, reg: &mut ActorRegistry, split: Split,
) -> Result<Ledger> {
    let cols = register_cols(head, path)?;
    let ctx = FileCtx::new(path, reg, head, Coverage::Dyadic);
    let parts = read_parts(body, head, ctx.cells(), &cols, split, false);
    finish_register(ctx, body, head, &cols, split, parts)
}

/// [`read_register`] for a large body that has not been through the file-wide checks: the
/// UTF-8 check, the line-length check ([`crate::input::check_lines`]) and the quote scan
/// ([`super::rows::plain`]) are made by each reading thread on its own piece, before it splits
/// the piece's lines (the serial passes took ~4.4 ms of a ~39 ms read of the 10x register).
/// The pieces are cut after a `\n`, so the file passes a check exactly when every piece does.
///
/// `None` when a piece fails one of them, or the columns are wrong: the caller then reads the
/// file the serial way, which reports the first problem as it always has (an encoding error
/// before a too-long line before a missing column before a bad field). The registry is
/// touched only when every piece passed.
///
/// `utf8`: whether to check UTF-8 (not for a text the decoder has checked already).
pub(crate) fn read_register_checking(
    body: &[u8], head: &Head, path: &Path, reg: &mut ActorRegistry, utf8: bool,
) -> Option<Result<Ledger>> {
    let cols = register_cols(head, path).ok()?;
    let split = Split::Plain { pieces: pieces_for(body) };
    let ctx = FileCtx::new(path, reg, head, Coverage::Dyadic);
    let parts = read_parts_checking(body, head, ctx.cells(), &cols, split, path, utf8)?;
    Some(finish_register(ctx, body, head, &cols, split, parts))
}

/// The register's columns (an error names a missing one).
fn register_cols(head: &Head, path: &Path) -> Result<RegCols> {
    let c = column_map(head, path, &REGISTER_COLUMNS, "trade-register")?;
    let [id, sup, rec, des, dsc, cat, ord, orde, num, nume, yr, yre, st, est, unit, tiv, loc] = c;
    Ok(RegCols {
        id,
        sup,
        rec,
        des,
        dsc,
        cat,
        ord,
        orde,
        num,
        nume,
        yr,
        yre,
        st,
        est,
        unit,
        tiv,
        loc,
        width: head.header.len(),
    })
}

/// Merge the parts of a register read into its ledger and check that no deal repeats a year.
fn finish_register(
    mut ctx: FileCtx, body: &[u8], head: &Head, cols: &RegCols, split: Split, parts: Vec<(Result<Part>, usize)>,
) -> Result<Ledger> {
    let (deals, data_rows) = merge(&mut ctx, parts, head.header_line + 1)?;
    if has_repeats(&deals, &ctx.ledger.year) {
        // Which rows, on which lines: a second read (serial, rare) keeps every row's key and line.
        let one = match split {
            Split::Csv => Split::Csv,
            Split::Plain { .. } => Split::Plain { pieces: 1 },
        };
        let first = head.header_line + 1;
        let keys: Vec<DealKey> = read_parts(body, head, ctx.cells(), cols, one, true)
            .into_iter()
            .filter_map(|(part, _)| part.ok())
            .flat_map(|part| part.keys)
            .map(|(id, year, line)| (id, year, line + first))
            .collect();
        check_repeats(&ctx, &keys, cols.id)?;
    }
    ctx.ledger.deals = std::sync::Arc::new(Deals::pending_parts(deals));
    Ok(ctx.finish_rows(data_rows))
}

/// Read the rows of a register body in parts, as `split` says. Every part counts its lines
/// from 0 and says how many it had; [`merge`] puts them in place. With `keys`, every row's
/// deal key is kept with its line (for [`check_repeats`]).
fn read_parts(
    body: &[u8], head: &Head, cells: Cells, cols: &RegCols, split: Split, keys: bool,
) -> Vec<(Result<Part>, usize)> {
    match split {
        Split::Csv => {
            let stripped;
            let body = if head.semicolons {
                stripped = super::strip_semicolons(body);
                &stripped[..]
            } else {
                body
            };
            let mut rows = Rows::new(body, 0);
            let part = read_part(&mut rows, cells, cols, body.len() / 96, keys);
            // one part: its line count is not needed
            vec![(part, 0)]
        }
        Split::Plain { pieces } => {
            in_pieces(body, pieces, |piece, first| read_plain_piece(piece, first, head, cells, cols, keys))
        }
    }
}

/// [`read_parts`] with the plain split, each piece first checked by [`piece_passes`]; `None`
/// when one fails.
fn read_parts_checking(
    body: &[u8], head: &Head, cells: Cells, cols: &RegCols, split: Split, path: &Path, utf8: bool,
) -> Option<Vec<(Result<Part>, usize)>> {
    let Split::Plain { pieces } = split else { return None };
    let work = |piece: &[u8], first: bool| {
        piece_passes(piece, path, utf8).then(|| read_plain_piece(piece, first, head, cells, cols, false))
    };
    in_pieces(body, pieces, work).into_iter().collect()
}

/// Does a piece of a register body pass the file-wide checks: UTF-8 (with `utf8`), no line longer than
/// [`crate::input::MAX_LINE_BYTES`], no quote and no lone `\r` ([`super::rows::plain`])? The
/// three are made on one block of about 64 KiB (cut after a `\n`) after the other, while the
/// block is in cache: one pass over the piece from memory instead of three.
fn piece_passes(piece: &[u8], path: &Path, utf8: bool) -> bool {
    const BLOCK: usize = 64 * 1024;
    let mut rest = piece;
    while !rest.is_empty() {
        let end = rest.get(BLOCK..).and_then(|r| memchr::memchr(b'\n', r)).map_or(rest.len(), |i| BLOCK + i + 1);
        let (block, tail) = rest.split_at(end);
        let ok = super::rows::plain(block)
            && (!utf8 || std::str::from_utf8(block).is_ok())
            && crate::input::check_lines(block, 1, path).is_ok();
        if !ok {
            return false;
        }
        rest = tail;
    }
    true
}

/// Read one piece of a plain body: the part and the piece's line count.
fn read_plain_piece(
    piece: &[u8], first: bool, head: &Head, cells: Cells, cols: &RegCols, keys: bool,
) -> (Result<Part>, usize) {
    let mut rows = SplitRows::new(piece, 0, head.semicolons, first);
    // A register row takes about 100 bytes.
    let part = read_part(&mut rows, cells, cols, piece.len() / 96, keys);
    (part, rows.next_line())
}

/// `work` on about `pieces` pieces of `body` cut at line ends ([`piece_bounds`]), in order: the
/// first piece on this thread, the others on threads of their own. `work` is told which piece
/// is the first.
fn in_pieces<T: Send>(body: &[u8], pieces: usize, work: impl Fn(&[u8], bool) -> T + Sync) -> Vec<T> {
    let bounds = piece_bounds(body, pieces);
    let work = &work;
    std::thread::scope(|s| {
        let handles: Vec<_> = bounds
            .windows(2)
            .skip(1)
            .map(|w| {
                let piece = body.get(w[0]..w[1]).unwrap_or_default();
                s.spawn(move || work(piece, false))
            })
            .collect();
        let mut out = vec![work(body.get(..bounds[1]).unwrap_or_default(), true)];
        for h in handles {
            out.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

/// May a deal id come twice with the same delivery year? `deals` are the parts' arenas in
/// file order, one head per row of the ledger, `years` the rows' delivery years.
///
/// A register lists the rows of a deal one after the other (a run; every SIPRI export does), so
/// this keeps the delivery years of the current run in a bit set (years are 1900-2100) and
/// the ids of earlier runs in a hash set: a year twice in a run is a repeat, and an id that
/// comes back after another deal's rows may be one (the caller's exact check, [`check_repeats`],
/// decides, with the lines). One hash insert per deal instead of one per row.
fn has_repeats(deals: &[DealText], years: &[i32]) -> bool {
    let mut ids: FxHashSet<u64> = FxHashSet::default();
    ids.reserve(years.len() / 2);
    let mut run = u64::MAX;
    let mut seen = [0u64; 4];
    let heads = deals.iter().flat_map(|d| &d.heads);
    for (h, &y) in heads.zip(years) {
        if h.sipri_id == u64::MAX {
            continue;
        }
        if h.sipri_id != run {
            if !ids.insert(h.sipri_id) {
                return true;
            }
            run = h.sipri_id;
            seen = [0; 4];
        }
        let bit = (y.abs_diff(super::rows::YEAR_MIN) as usize).min(255);
        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
        if seen[word] & mask != 0 {
            return true;
        }
        seen[word] |= mask;
    }
    false
}

/// Byte offsets that cut `body` into about `pieces` parts of similar size, each ending with a
/// line end (the first offset 0, the last `body.len()`).
fn piece_bounds(body: &[u8], pieces: usize) -> Vec<usize> {
    let mut bounds = vec![0];
    for k in 1..pieces {
        let target = body.len() * k / pieces;
        let from = (*bounds.last().unwrap_or(&0)).max(target);
        match body.get(from..).and_then(|rest| memchr::memchr(b'\n', rest)) {
            Some(i) if from + i + 1 < body.len() => bounds.push(from + i + 1),
            _ => break,
        }
    }
    bounds.push(body.len());
    bounds
}

/// What one part of a register body gives: entries with part-local actor numbers (indexes in
/// `names`), deals, skips and counts.
#[derive(Default)]
struct Part {
    /// Distinct raw actor names in order of first appearance.
    names: Vec<Vec<u8>>,
    supplier: Vec<ActorId>,
    recipient: Vec<ActorId>,
    year: Vec<i32>,
    tiv: Vec<f64>,
    deals: DealText,
    skipped: Vec<Skip>,
    rows_read: usize,
    data_rows: usize,
    /// With `keys`: the key of every row with a deal id (its line part-local).
    keys: Vec<DealKey>,
}

/// `(deal id, delivery year, line)` of a register row with a deal id.
type DealKey = (u64, i32, usize);

/// A part's actor names: a map plus the last hit of each column (a register is sorted by
/// supplier, then recipient).
#[derive(Default)]
struct LocalNames {
    map: FxHashMap<Vec<u8>, u32>,
    last: [Option<u32>; 2],
}

impl LocalNames {
    /// The part-local number of the name `raw` in column `idx` (`slot` 0: supplier, 1: recipient).
    fn id(
        &mut self, names: &mut Vec<Vec<u8>>, slot: usize, raw: &[u8], cx: Cells, line: usize, idx: usize,
    ) -> Result<ActorId> {
        let last = &mut self.last[slot & 1];
        if let Some(k) = *last {
            if names.get(k as usize).is_some_and(|n| n == raw) {
                return Ok(ActorId(k));
            }
        }
        let k = match self.map.get(raw) {
            Some(&k) => k,
            None => {
                if raw.trim_ascii().is_empty() {
                    return Err(cx.parse_error(line, idx, "empty actor name"));
                }
                let k = u32::try_from(names.len()).map_err(|_| cx.parse_error(line, idx, "too many actor names"))?;
                names.push(raw.to_vec());
                self.map.insert(raw.to_vec(), k);
                k
            }
        };
        self.last[slot & 1] = Some(k);
        Ok(ActorId(k))
    }
}

/// Read the rows of one part, checking every field.
fn read_part<S: RowSource>(rows: &mut S, cx: Cells, c: &RegCols, reserve: usize, keys: bool) -> Result<Part> {
    let mut p = Part::default();
    p.supplier.reserve(reserve);
    p.recipient.reserve(reserve);
    p.year.reserve(reserve);
    p.tiv.reserve(reserve);
    p.deals.heads.reserve(reserve);
    p.deals.text.reserve(reserve * 40);
    let mut names = LocalNames::default();
    while let Some(line) = rows.next_row(cx.path, &mut p.skipped)? {
        let r = rows.record();
        cx.check_width(r, line, c.width)?;
        let year = cx.year(r.field(c.yr), c.yr, line)?;
        let tiv = cx.tiv(r.field(c.tiv), c.tiv, line)?;
        let Some(year) = year else {
            if tiv.unwrap_or(0.0) == 0.0 {
                p.skipped.push(Skip { line, reason: OPEN_ORDER.to_string() });
                continue;
            }
            return Err(cx.parse_error(line, c.yr, "a delivery with a TIV value but no delivery year"));
        };
        let Some(tiv) = tiv else {
            return Err(cx.parse_error(line, c.tiv, "empty TIV value for a delivery"));
        };
        let supplier = names.id(&mut p.names, 0, r.field(c.sup), cx, line, c.sup)?;
        let recipient = names.id(&mut p.names, 1, r.field(c.rec), cx, line, c.rec)?;
        let sipri_id = match plain_id(r.field(c.id)) {
            Some(id) => Some(id),
            None => deal_id(cx, r.field(c.id), c.id, line)?,
        };
        let flag = |set: bool, bit: u8| if set { bit } else { 0 };
        let order_year = cx.year(r.field(c.ord), c.ord, line)?;
        let mut flags = flag(cx.yes_no(r.field(c.orde), c.orde, line)?, ORDER_YEAR_EST);
        let numbers_delivered = cx.count(r.field(c.num), c.num, line)?;
        flags |= flag(cx.yes_no(r.field(c.nume), c.nume, line)?, NUMBERS_EST);
        flags |= flag(cx.yes_no(r.field(c.yre), c.yre, line)?, DELIVERY_YEAR_EST);
        let tiv_unit = cx.tiv(r.field(c.est), c.est, line)?;
        let tiv_deal_unit = cx.tiv(r.field(c.unit), c.unit, line)?;
        flags |= flag(cx.yes_no(r.field(c.loc), c.loc, line)?, LOCAL);
        let texts = [c.des, c.dsc, c.cat, c.st].map(|i| r.field(i).trim_ascii());
        let mut head = DealHead::new(sipri_id, order_year, [numbers_delivered, tiv_unit, tiv_deal_unit], flags);
        // The rows of a deal (one per delivery year) follow each other with the same four
        // texts: such a row points at the previous row's texts instead of copying them.
        match p.deals.heads.last() {
            Some(prev) if same_texts(&p.deals.text, prev, &texts) => {
                head.text_at = prev.text_at;
                head.text_len = prev.text_len;
            }
            _ => {
                head.text_at = p.deals.text.len();
                for ((len, t), i) in head.text_len.iter_mut().zip(texts).zip([c.des, c.dsc, c.cat, c.st]) {
                    *len = u32::try_from(t.len()).map_err(|_| cx.parse_error(line, i, "a text of more than 4 GB"))?;
                    p.deals.text.extend_from_slice(t);
                }
            }
        }
        p.deals.heads.push(head);
        if let (Some(id), true) = (sipri_id, keys) {
            p.keys.push((id, year, line));
        }
        p.supplier.push(supplier);
        p.recipient.push(recipient);
        p.year.push(year);
        p.tiv.push(tiv);
        p.rows_read += 1;
    }
    p.data_rows = rows.data_rows();
    Ok(p)
}

/// A deal id written as 1 to 15 digits (every id of SIPRI's exports): the number, without
/// going through a float. `None` for anything else, which [`deal_id`] reads.
fn plain_id(raw: &[u8]) -> Option<u64> {
    if raw.is_empty() || raw.len() > 15 || !raw.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(raw.iter().fold(0u64, |v, &b| v * 10 + u64::from(b - b'0')))
}

/// A deal id in any other spelling the reader takes (spaces, `12.0`, `1e3`), or empty.
fn deal_id(cx: Cells, raw: &[u8], idx: usize, line: usize) -> Result<Option<u64>> {
    match cx.count(raw, idx, line)? {
        // Whole numbers up to 2^53 are exact in f64; a larger id would be silently rounded
        // (or saturated by the cast).
        Some(v) if v.fract() == 0.0 && v <= MAX_EXACT => Ok(Some(v as u64)),
        Some(v) if v.fract() == 0.0 => {
            Err(cx.parse_error(line, idx, format!("the deal id {v} is too large (above 2^53)")))
        }
        Some(_) => Err(cx.parse_error(line, idx, "the deal id is not a whole number")),
        None => Ok(None),
    }
}

/// Are `texts` the four texts of `prev` (in the arena `text`)?
fn same_texts(text: &[u8], prev: &DealHead, texts: &[&[u8]; 4]) -> bool {
    let mut at = prev.text_at;
    prev.text_len.iter().zip(texts).all(|(&len, t)| {
        let end = at + len as usize;
        let same = text.get(at..end) == Some(*t);
        at = end;
        same
    })
}

/// Move a file's parts into its ledger, in order: actor names resolved (new ones interned in
/// order of first appearance, as one pass would), lines of later pieces shifted, the first
/// error (in file order) returned. Gives the deals and the number of data rows.
fn merge(ctx: &mut FileCtx, parts: Vec<(Result<Part>, usize)>, first_line: usize) -> Result<(Vec<DealText>, usize)> {
    // One arena per part, kept side by side (built into deals on first use).
    let mut deals: Vec<DealText> = Vec::with_capacity(parts.len());
    let mut n_deals = 0usize;
    let mut data_rows = 0usize;
    // the file line of the current part's line 0
    let mut shift = first_line;
    let total: usize = parts.iter().map(|(p, _)| p.as_ref().map_or(0, |p| p.supplier.len())).sum();
    for (part, lines) in parts {
        let mut part = part.map_err(|e| shift_line(e, shift))?;
        for s in &mut part.skipped {
            s.line += shift;
        }
        let ids = part.names.iter().map(|n| ctx.actor(n, 0, 0)).collect::<Result<Vec<ActorId>>>()?;
        let global = |a: &ActorId| ids.get(a.0 as usize).copied().unwrap_or(*a);
        let first = n_deals;
        let n = part.supplier.len();
        let last = first + n;
        if last >= crate::ledger::NO_DEAL as usize {
            return Err(Error::invalid(format!("{}: too many deals for one ledger", ctx.path.display())));
        }
        let l = &mut ctx.ledger;
        if l.is_empty() {
            // The first part's columns become the ledger's (actor numbers changed in place),
            // grown once to hold every part: a reallocation that keeps the pages already
            // written, where a new allocation for all parts would fault in and copy them again.
            for v in [&mut part.supplier, &mut part.recipient] {
                v.iter_mut().for_each(|a| *a = global(a));
            }
            l.supplier = part.supplier;
            l.recipient = part.recipient;
            l.year = part.year;
            l.tiv = part.tiv;
            l.deal = (first as u32..last as u32).collect();
            let more = total.saturating_sub(n);
            l.supplier.reserve_exact(more);
            l.recipient.reserve_exact(more);
            l.year.reserve_exact(more);
            l.tiv.reserve_exact(more);
            l.deal.reserve_exact(more);
        } else {
            // The others copied in one pass each (actor numbers changed on the way).
            l.supplier.extend(part.supplier.iter().map(global));
            l.recipient.extend(part.recipient.iter().map(global));
            l.year.extend_from_slice(&part.year);
            l.tiv.extend_from_slice(&part.tiv);
            l.deal.extend(first as u32..last as u32);
        }
        n_deals = last;
        deals.push(part.deals);
        ctx.report.skipped.extend(part.skipped);
        ctx.report.rows_read += part.rows_read;
        data_rows += part.data_rows;
        shift += lines;
    }
    Ok((deals, data_rows))
}

/// Fail on the first row (in file order) whose deal id and delivery year an earlier row of
/// the file already has: the per-delivery-year register lists a deal once per delivery year
/// (none of SIPRI's 2024 and 2026 exports repeats one), so a second row is a line copied twice
/// and would count its TIV twice.
fn check_repeats(ctx: &FileCtx, keys: &[DealKey], id_col: usize) -> Result<()> {
    let mut seen: FxHashMap<(u64, i32), usize> = FxHashMap::default();
    seen.reserve(keys.len());
    for &(id, year, line) in keys {
        if let Some(first) = seen.insert((id, year), line) {
            return Err(ctx.parse_error(
                line,
                id_col,
                format!(
                    "deal {id} has a second row for delivery year {year} (lines {first} and {line} of the file): the register lists each deal once per delivery year, so the repeated row would count its TIV twice"
                ),
            ));
        }
    }
    Ok(())
}

/// Move an error of a piece read from line 0 to its place in the file.
fn shift_line(e: Error, by: usize) -> Error {
    match e {
        Error::Parse { path, line, column, column_name, message } => {
            Error::Parse { path, line: line + by, column, column_name, message }
        }
        Error::Format { path, line, message } => Error::Format { path, line: line + by, message },
        e => e,
    }
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
    // every row's fields, to find rows that repeat an earlier one exactly
    let mut seen: FxHashMap<Vec<u8>, usize> = FxHashMap::default();
    let mut row_key: Vec<u8> = Vec::new();
    while let Some(line) = rows.next(path, &mut ctx.report.skipped)? {
        let r = &rows.rec;
        ctx.check_width(r, line, width)?;
        row_key.clear();
        for f in r.iter() {
            row_key.extend_from_slice(f);
            row_key.push(0x1f);
        }
        let tiv = ctx.tiv(r, tiv_c, line)?;
        years.clear();
        let list = r.get(yrs_c).unwrap_or_default();
        for y in list.split(|&b| b == b';') {
            if let Some(y) = ctx.year_of(y, yrs_c, line)? {
                years.push(y);
            }
        }
        let open = years.is_empty();
        if open && tiv.unwrap_or(0.0) != 0.0 {
            return Err(ctx.parse_error(line, yrs_c, "TIV of delivered weapons given but no year of delivery"));
        }
        let tiv = match tiv {
            Some(t) => t,
            None if open => 0.0,
            None => {
                return Err(ctx.parse_error(line, tiv_c, "empty TIV of delivered weapons for a deal with deliveries"))
            }
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
        if open && deal.numbers_delivered.unwrap_or(0.0) != 0.0 {
            return Err(ctx.parse_error(line, ndel_c, "a number delivered but no year of delivery"));
        }
        let d = deal_index(&ctx, path)?;
        std::sync::Arc::make_mut(&mut ctx.ledger.deals).to_mut().push(deal);
        if open {
            // An order with nothing delivered yet: kept as an order, with no entry.
            ctx.ledger.open_orders.push(OpenOrder { supplier, recipient, deal: d });
        } else {
            let share = tiv / years.len() as f64;
            for &y in &years {
                ctx.ledger.push(supplier, recipient, y, share, d);
            }
        }
        ctx.report.rows_read += 1;
        if let Some(&first) = seen.get(&row_key) {
            ctx.report.repeated.push((line, first));
        } else {
            seen.insert(row_key.clone(), line);
        }
    }
    if let Some(&(line, first)) = ctx.report.repeated.first() {
        let n = ctx.report.repeated.len();
        ctx.report.notes.push(format!(
            "{n} row{} repeat{} an earlier row exactly (e.g. line {line} repeats line {first}); this format has no deal id, so identical rows are most likely separate deals of the same kind: all are kept and counted (the lines are in the report's `repeated`)",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
        ));
    }
    let open = ctx.ledger.open_orders.len();
    if open > 0 {
        ctx.report.notes.push(format!(
            "{open} open order{} (ordered, nothing delivered yet: no year of delivery) kept as orders, with no delivery entry (see the orders view)",
            if open == 1 { "" } else { "s" }
        ));
    }
    Ok(ctx.finish(&rows))
}

/// Everything a read of a new-format register (the whole decoded text, header included)
/// gives, as text to compare: entries, deals, report and registry size, or the error. `None`
/// when the text is not a new-format register.
fn split_outcome(text: &[u8], split: Split) -> Option<String> {
    let path = Path::new("t.csv");
    let head = super::sniff::sniff(text, path).ok().flatten()?;
    if head.format != crate::ledger::SipriFormat::TradeRegister {
        return None;
    }
    let body = text.get(head.body_start..).unwrap_or_default();
    let mut reg = ActorRegistry::builtin().clone();
    Some(match read_register_split(body, &head, path, &mut reg, split) {
        Err(e) => format!("error: {e}"),
        Ok(l) => {
            let names = |v: &[ActorId]| v.iter().map(|a| reg.name(*a).to_string()).collect::<Vec<_>>();
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}\n{}\n{:?}",
                names(&l.supplier),
                names(&l.recipient),
                l.year,
                l.tiv,
                l.deal,
                serde_json::to_string(&*l.deals).unwrap_or_default(),
                serde_json::to_string(&l.report).unwrap_or_default(),
                reg.len()
            )
        }
    })
}

/// For the differential fuzz target (`fuzz/fuzz_targets/register_split.rs`): the outcomes of
/// reading `bytes` with the csv reader and with the plain splitter in `pieces` parts (in
/// parallel), which must be equal. `None` when the bytes are not a UTF-8 new-format register
/// without quotes.
#[doc(hidden)]
pub fn register_split_outcomes(bytes: &[u8], pieces: usize) -> Option<(String, String)> {
    let src = super::sniff::decode(bytes, Path::new("t.csv")).ok()?;
    if src.latin1 || !super::rows::plain(&src.text) {
        return None;
    }
    let csv = split_outcome(&src.text, Split::Csv)?;
    let plain = split_outcome(&src.text, Split::Plain { pieces: pieces.clamp(1, 8) })?;
    Some((csv, plain))
}

#[cfg(test)]
mod tests {
    //! The plain splitter, in one piece or several read in parallel, must give what the csv
    //! reader gives: the same entries, deals, actors, skips and report, or the same error.
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production";

    fn outcome(text: &[u8], split: Split) -> String {
        split_outcome(text, split).unwrap_or_else(|| "not a register".into())
    }

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => Just(String::new()),
            4 => Just("No".to_string()),
            2 => Just("Yes".to_string()),
            1 => Just(" yes ".to_string()),
            4 => (1950i32..2030).prop_map(|y| y.to_string()),
            1 => Just("1899".to_string()),
            4 => (0u32..5000).prop_map(|v| format!("{}.{}", v / 10, v % 10)),
            1 => Just("-1".to_string()),
            1 => Just("x".to_string()),
            2 => Just("Russia".to_string()),
            2 => Just("China".to_string()),
            1 => Just(" India ".to_string()),
            1 => Just("Atlantis".to_string()),
            1 => Just("  ".to_string()),
            1 => Just("Su-30MKI;".to_string()),
        ]
    }

    /// A good row: ids, names, years and numbers where they belong.
    fn good_row() -> impl Strategy<Value = String> {
        (
            1u32..100_000,
            prop::sample::select(vec!["Russia", "China", "United States", "France", "Atlantis", " India"]),
            prop::sample::select(vec!["India", "Egypt", "China", "Viet Nam", "Wakanda"]),
            1990i32..2024,
            prop::option::of(0u32..2000),
            any::<bool>(),
        )
            .prop_map(|(id, s, r, y, tiv, est)| {
                let tiv = tiv.map(|t| format!("{}.{:02}", t / 100, t % 100)).unwrap_or_default();
                let yr = if tiv.is_empty() && est { String::new() } else { y.to_string() };
                let e = if est { "Yes" } else { "No" };
                format!("{id},{s},{r},T-90S,tank,Armoured vehicles,{},{e},3,No,{yr},{e},New,2.5,2.5,{tiv},No", y - 1)
            })
    }

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            12 => good_row(),
            2 => prop::collection::vec(field(), 15..19).prop_map(|v| v.join(",")),
            1 => Just(String::new()),
            1 => Just("  ".to_string()),
            1 => Just(",,,".to_string()),
        ]
    }

    fn text(lines: &[String], crlf: bool, semicolons: bool, final_newline: bool, bom: bool) -> Vec<u8> {
        let end = if crlf { "\r\n" } else { "\n" };
        let semi = if semicolons { ";" } else { "" };
        let mut s = format!("{HEADER}{semi}{end}");
        if bom {
            s.push('\u{feff}');
        }
        for (i, l) in lines.iter().enumerate() {
            s.push_str(l);
            s.push_str(semi);
            if i + 1 < lines.len() || final_newline {
                s.push_str(end);
            }
        }
        s.into_bytes()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn plain_split_reads_as_the_csv_reader(
            lines in prop::collection::vec(line(), 0..40),
            crlf in any::<bool>(),
            semicolons in any::<bool>(),
            final_newline in any::<bool>(),
            bom in prop::bool::weighted(0.1),
            pieces in 1usize..5,
        ) {
            let t = text(&lines, crlf, semicolons, final_newline, bom);
            let body_plain = crate::sipri::rows::plain(&t);
            prop_assert!(body_plain, "generated text has quotes or a lone CR");
            let want = outcome(&t, Split::Csv);
            let got = outcome(&t, Split::Plain { pieces });
            prop_assert_eq!(got, want);
        }
    }

    /// Tests on the real data: `POWERBALANCE_DATA` names the data home (scripts/test.sh sets it,
    /// and skips `with_data` tests when there is no data). They fail without it, never skip.
    mod with_data {
        use super::*;

        #[test]
        fn plain_split_reads_the_real_registers_as_the_csv_reader() {
            let Some(d) = std::env::var_os("POWERBALANCE_DATA") else {
                panic!("POWERBALANCE_DATA is not set: set it to the data home (`powerbalance data home`; `powerbalance data fetch --all` fills it)")
            };
            let d = std::path::PathBuf::from(d).join("sipri");
            for f in [
                "register_newformat_2024/trade-register_1990-2023.csv",
                "register_newformat_2024/trade-register_1950-1989.csv",
                "register_newformat_2026/trade_register_1995-2024.csv",
            ] {
                let bytes = std::fs::read(d.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
                let t = crate::sipri::sniff::decode(&bytes, Path::new(f)).unwrap();
                assert!(crate::sipri::rows::plain(&t.text), "{f} has quotes");
                let want = outcome(&t.text, Split::Csv);
                assert!(!want.starts_with("error"), "{f}: {want}");
                for pieces in [1, 2, 3, 7] {
                    assert!(outcome(&t.text, Split::Plain { pieces }) == want, "{f}, {pieces} pieces");
                }
            }
        }
    }

    #[test]
    fn plain_ids_read_as_the_number_parser_reads_them() {
        let header = vec!["SIPRI AT Database ID".to_string()];
        let cx = Cells { path: Path::new("t.csv"), header: &header };
        for s in ["0", "7", "55238", "000123", "999999999999999", "9007199254740992"] {
            let want = deal_id(cx, s.as_bytes(), 0, 1).unwrap();
            match plain_id(s.as_bytes()) {
                Some(v) => assert_eq!(Some(v), want, "{s}"),
                None => assert_eq!(s.len(), 16, "{s}"),
            }
        }
        // other spellings go to the number parser, which takes or refuses them
        for s in ["", " 12", "12.0", "1e3", "-1", "1.5", "x", "99999999999999999999"] {
            assert_eq!(plain_id(s.as_bytes()), None, "{s}");
        }
        assert_eq!(deal_id(cx, b"12.0", 0, 1).unwrap(), Some(12));
        assert!(deal_id(cx, b"1.5", 0, 1).unwrap_err().to_string().contains("not a whole number"));
    }

    #[test]
    fn pieces_cut_at_line_ends() {
        let body = b"a,1\nb,2\nc,3\nd,4\n";
        for n in 1..8 {
            let b = piece_bounds(body, n);
            assert_eq!(b.first(), Some(&0));
            assert_eq!(b.last(), Some(&body.len()));
            assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
            assert!(b[1..b.len() - 1].iter().all(|&i| body[i - 1] == b'\n'), "{b:?}");
        }
        assert_eq!(piece_bounds(b"", 3), vec![0, 0]);
    }

    #[test]
    fn the_default_split() {
        assert_eq!(default_split(b"a,b\n\"c\",d\n"), Split::Csv);
        assert_eq!(default_split(b"a,b\rc\n"), Split::Csv);
        assert_eq!(default_split(b"a,b\r\nc\n"), Split::Plain { pieces: 1 });
    }
}
