//! One way to print a result table, for every door: Python's `repr`, `to_string` and
//! `_repr_html_`, Rhai's `print`/`to_string`, and the command line all call [`to_text`] or
//! [`to_html`], so that a table prints the same wherever it is looked at.
//!
//! # The unit rule
//!
//! Every column says its unit in its name (polars and pandas drop Arrow field metadata, so a
//! unit kept only in metadata would be lost on the first conversion). Values are stored in the
//! unit the name gives, and printed by it:
//!
//! | name | stored as | printed as |
//! |---|---|---|
//! | `share`, `share_*`, `*_share`, `*_share_*`, `cinc`, `cinc1`, `cinc_*` (not `*_ratio`) | a fraction of a total, 0-1 | per cent, one decimal: `0.773` -> `77.3%` |
//! | the same with `_diff` (a what-if comparison) | a difference of two fractions | percentage points, signed: `-0.021` -> `-2.1 pp` |
//! | `*_pp` | percentage points (a difference of two shares, already x100) | signed, one decimal: `0.4` -> `+0.4 pp` |
//! | `*_pct`, `pct` | per cent (already x100) | one decimal with `%`; signed for changes (`change_pct`) |
//! | `tiv`, `tiv_*`, `*_tiv`, `exports`, `imports`, `net_exports`, `world`, `supplier_exports`, `recipient_imports` | SIPRI TIV, millions | thousands separators, no decimals: `12,346` |
//! | a column named like a year (`year`, `*_year`, `year_*`, `first_delivery`, `last_delivery`, `earliest`, `latest`; as integers also `start`, `end`, `*_start`, `*_end`) | a year, whole or fractional | plain digits, a fractional year with one decimal: `2007`, `2031.4` |
//! | an integer column named like a code (`ccode*`, `*_ccode`, `cow*`, `rank*`, `*_rank`, `position`, `*_id`, `id`, `size`) | as is | plain digits: `710` |
//! | any other integer column (a count) | a count | thousands separators: `59,157` |
//! | any other float | as is | four significant digits (`0.3155`, `2.956`); from 1,000 up rounded with separators (`1,300`, never `1.235e+04`) |
//!
//! Suffixes `_baseline` and `_scenario` (what-if comparisons) keep the unit of their base name;
//! `_diff` prints signed. Nulls print as an empty cell, booleans as `yes`/`no`, NaN as `NaN`.
//!
//! A fraction is never printed bare beside a per-cent figure: `cinc` (CINC, a fraction of the
//! world's capabilities) prints as `13.3%` like `milex_share`.

use crate::table::Table;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};

/// How a column's values are printed (see the module doc for the naming rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A fraction of a total, printed as per cent (`77.3%`).
    Fraction,
    /// A difference of two fractions, printed as signed percentage points (`-2.1 pp`).
    FractionDiff,
    /// Percentage points already x100, printed signed (`+0.4 pp`).
    PercentagePoints,
    /// Per cent already x100 (`12.5%`); `signed` for changes.
    Percent { signed: bool },
    /// SIPRI TIV in millions: thousands separators, no decimals; `signed` for differences.
    Tiv { signed: bool },
    /// A year or a code: plain digits (a fractional year, such as a projected crossover, with
    /// one decimal: `2031.4`).
    Code,
    /// A count: thousands separators.
    Count { signed: bool },
    /// Any other number: four significant digits; `signed` for differences.
    Number { signed: bool },
    /// Text, booleans and anything else.
    Text,
}

impl Unit {
    /// Is the column numeric (right-aligned)?
    pub fn is_numeric(self) -> bool {
        !matches!(self, Unit::Text)
    }

    /// The legend entry for this unit, if it needs one.
    pub fn legend(self) -> Option<&'static str> {
        match self {
            Unit::Fraction => Some("% = share of a total (stored as a fraction 0-1)"),
            Unit::FractionDiff | Unit::PercentagePoints => Some("pp = percentage points (a difference of two shares)"),
            Unit::Tiv { .. } => Some("TIV = SIPRI trend-indicator value, millions (a volume index in constant 1990 US$, not a financial value)"),
            _ => None,
        }
    }
}

const TIV_NAMES: [&str; 8] =
    ["tiv", "exports", "imports", "net_exports", "world", "supplier_exports", "recipient_imports", "total_tiv"];

fn strip<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    name.strip_suffix(suffix).filter(|b| !b.is_empty())
}

fn is_fraction_name(base: &str) -> bool {
    let words: Vec<&str> = base.split('_').collect();
    if words.contains(&"ratio") {
        return false;
    }
    // `cinc`, `cinc1`, `cinc_published`, `cinc_recomputed`: CINC is a fraction of the world's
    // (or a group's) capabilities.
    let cinc =
        words.first().is_some_and(|w| w.strip_prefix("cinc").is_some_and(|r| r.chars().all(|c| c.is_ascii_digit())));
    words.contains(&"share") || cinc
}

fn is_tiv_name(base: &str) -> bool {
    TIV_NAMES.contains(&base) || base.starts_with("tiv_") || base.ends_with("_tiv")
}

/// A year, whole (`first_delivery`) or fractional (`crossover_year`, `earliest`); the bounds of
/// a span (`start`, `fit_end`) only as integers (a float `gap_at_end` is no year).
fn is_year_name(base: &str, integer: bool) -> bool {
    matches!(base, "year" | "first_delivery" | "last_delivery" | "earliest" | "latest")
        || base.ends_with("_year")
        || base.starts_with("year_")
        || (integer && (matches!(base, "start" | "end") || base.ends_with("_start") || base.ends_with("_end")))
}

fn is_code_name(base: &str) -> bool {
    matches!(base, "position" | "id" | "size" | "rank")
        || base.starts_with("ccode")
        || base.ends_with("_ccode")
        || base.starts_with("rank")
        || base.ends_with("_rank")
        || base.ends_with("_id")
        || base.starts_with("cow")
}

/// The unit of a column from its name and Arrow type (the rule of the module doc).
pub fn unit_of(name: &str, dtype: &DataType) -> Unit {
    let numeric = dtype.is_numeric();
    if !numeric {
        return Unit::Text;
    }
    let mut base = name;
    for s in ["_baseline", "_scenario"] {
        if let Some(b) = strip(base, s) {
            base = b;
        }
    }
    let diff = match strip(base, "_diff") {
        Some(b) => {
            base = b;
            true
        }
        None => false,
    };
    if base.ends_with("_pp") || base == "pp" {
        return Unit::PercentagePoints;
    }
    if base.ends_with("_pct") || base == "pct" {
        return Unit::Percent { signed: diff || base.contains("change") };
    }
    if is_fraction_name(base) {
        return if diff { Unit::FractionDiff } else { Unit::Fraction };
    }
    if is_tiv_name(base) {
        return Unit::Tiv { signed: diff };
    }
    if !diff && (is_year_name(base, dtype.is_integer()) || (dtype.is_integer() && is_code_name(base))) {
        return Unit::Code;
    }
    if dtype.is_integer() {
        return Unit::Count { signed: diff };
    }
    Unit::Number { signed: diff }
}

/// `1234567.4` -> `1,234,567` (rounded, no decimals); `-0.2` -> `0`.
pub fn thousands(v: f64, signed: bool) -> String {
    if !v.is_finite() {
        return float_special(v);
    }
    let r = v.round();
    grouped(&format!("{:.0}", r.abs()), r < 0.0, signed && r > 0.0)
}

/// Digits with a comma every three from the right, and a sign.
fn grouped(digits: &str, minus: bool, plus: bool) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if minus {
        out.push('-');
    } else if plus {
        out.push('+');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn float_special(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v > 0.0 {
        "inf".into()
    } else {
        "-inf".into()
    }
}

fn int_thousands(v: i128, signed: bool) -> String {
    grouped(&v.unsigned_abs().to_string(), v < 0, signed && v > 0)
}

/// Four significant digits without exponent for ordinary magnitudes; large values get
/// thousands separators, tiny ones an exponent.
pub fn general(v: f64, signed: bool) -> String {
    if !v.is_finite() {
        return float_special(v);
    }
    if v == 0.0 {
        return "0".into();
    }
    let mag = v.abs().log10().floor() as i32;
    let s = if mag >= 3 {
        return thousands(v, signed);
    } else if mag < -4 {
        format!("{v:.3e}")
    } else {
        let decimals = (3 - mag).max(0) as usize;
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if signed && v > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

/// One float in a unit.
pub fn format_f64(unit: Unit, v: f64) -> String {
    if !v.is_finite() {
        return float_special(v);
    }
    match unit {
        Unit::Fraction => format!("{:.1}%", 100.0 * v),
        Unit::FractionDiff => format!("{:+.1} pp", 100.0 * v),
        Unit::PercentagePoints => format!("{v:+.1} pp"),
        Unit::Percent { signed: true } => format!("{v:+.1}%"),
        Unit::Percent { signed: false } => format!("{v:.1}%"),
        Unit::Tiv { signed } | Unit::Count { signed } => thousands(v, signed),
        Unit::Code => {
            let tenths = (v * 10.0).round() / 10.0;
            if tenths.fract() == 0.0 {
                format!("{tenths:.0}")
            } else {
                format!("{tenths:.1}")
            }
        }
        Unit::Number { signed } => general(v, signed),
        Unit::Text => format!("{v}"),
    }
}

/// One integer in a unit.
pub fn format_i128(unit: Unit, v: i128) -> String {
    match unit {
        Unit::Code | Unit::Text => v.to_string(),
        Unit::Count { signed } | Unit::Tiv { signed } | Unit::Number { signed } => int_thousands(v, signed),
        other => format_f64(other, v as f64),
    }
}

/// The text of one cell of `array` at row `i`, in `unit`.
pub fn cell(array: &ArrayRef, i: usize, unit: Unit) -> String {
    if array.is_null(i) {
        return String::new();
    }
    macro_rules! prim {
        ($t:ty, $conv:expr) => {{
            let v = array.as_primitive::<$t>().value(i);
            #[allow(clippy::redundant_closure_call)]
            $conv(v)
        }};
    }
    match array.data_type() {
        DataType::Int8 => prim!(Int8Type, |v: i8| format_i128(unit, v as i128)),
        DataType::Int16 => prim!(Int16Type, |v: i16| format_i128(unit, v as i128)),
        DataType::Int32 => prim!(Int32Type, |v: i32| format_i128(unit, v as i128)),
        DataType::Int64 => prim!(Int64Type, |v: i64| format_i128(unit, v as i128)),
        DataType::UInt8 => prim!(UInt8Type, |v: u8| format_i128(unit, v as i128)),
        DataType::UInt16 => prim!(UInt16Type, |v: u16| format_i128(unit, v as i128)),
        DataType::UInt32 => prim!(UInt32Type, |v: u32| format_i128(unit, v as i128)),
        DataType::UInt64 => prim!(UInt64Type, |v: u64| format_i128(unit, v as i128)),
        DataType::Float32 => prim!(Float32Type, |v: f32| format_f64(unit, v as f64)),
        DataType::Float64 => prim!(Float64Type, |v: f64| format_f64(unit, v)),
        DataType::Boolean => if array.as_boolean().value(i) { "yes" } else { "no" }.to_string(),
        DataType::Utf8 => array.as_string::<i32>().value(i).to_string(),
        DataType::LargeUtf8 => array.as_string::<i64>().value(i).to_string(),
        DataType::Utf8View => array.as_string_view().value(i).to_string(),
        _ => {
            let opts = arrow_cast::display::FormatOptions::default();
            match arrow_cast::display::ArrayFormatter::try_new(array.as_ref(), &opts) {
                Ok(f) => f.value(i).to_string(),
                Err(_) => format!("<{}>", array.data_type()),
            }
        }
    }
}

/// The cells of a batch as text, at most `max_rows` rows: (column names, units, rows).
fn cells(batch: &RecordBatch, max_rows: usize) -> (Vec<String>, Vec<Unit>, Vec<Vec<String>>) {
    let schema = batch.schema();
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let units: Vec<Unit> = schema.fields().iter().map(|f| unit_of(f.name(), f.data_type())).collect();
    let n = batch.num_rows().min(max_rows);
    let rows = (0..n).map(|i| batch.columns().iter().zip(&units).map(|(a, u)| cell(a, i, *u)).collect()).collect();
    (names, units, rows)
}

/// The legend lines for the units a table's columns use, in a fixed order.
pub fn legend(batch: &RecordBatch) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in batch.schema().fields() {
        if let Some(l) = unit_of(f.name(), f.data_type()).legend() {
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    out
}

/// Plain text: a header, aligned columns (numbers right-aligned), at most `max_rows` rows (all
/// when `None`), then `... N more rows` when cut.
pub fn to_text(batch: &RecordBatch, max_rows: Option<usize>) -> String {
    to_text_total(batch, max_rows, batch.num_rows())
}

/// [`to_text`] of the first rows of a longer table whose length is `total` (the tail line says
/// how many rows were not shown).
pub fn to_text_total(batch: &RecordBatch, max_rows: Option<usize>, total: usize) -> String {
    let limit = max_rows.unwrap_or(total).min(total);
    let (names, units, rows) = cells(batch, limit);
    let widths: Vec<usize> = (0..names.len())
        .map(|j| rows.iter().map(|r| r[j].chars().count()).chain([names[j].chars().count()]).max().unwrap_or(0))
        .collect();
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .zip(&units)
            .map(|((c, w), u)| {
                let pad = w.saturating_sub(c.chars().count());
                if u.is_numeric() {
                    format!("{}{c}", " ".repeat(pad))
                } else {
                    format!("{c}{}", " ".repeat(pad))
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    let mut out = vec![line(&names)];
    out.extend(rows.iter().map(|r| line(r)));
    if total > limit {
        out.push(format!("... {}", more(total - limit)));
    }
    out.join("\n")
}

fn more(n: usize) -> String {
    format!("{n} more row{}", if n == 1 { "" } else { "s" })
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#x27;"),
            c => o.push(c),
        }
    }
    o
}

/// An HTML table for Jupyter: the same cells as [`to_text`], numbers right-aligned, at most
/// `max_rows` rows, and a footer with the size and the legend of the units used.
pub fn to_html(batch: &RecordBatch, max_rows: Option<usize>) -> String {
    to_html_total(batch, max_rows, batch.num_rows())
}

/// [`to_html`] of the first rows of a longer table whose length is `total`.
pub fn to_html_total(batch: &RecordBatch, max_rows: Option<usize>, total: usize) -> String {
    let limit = max_rows.unwrap_or(total).min(total);
    let (names, units, rows) = cells(batch, limit);
    let mut s = String::from("<table class=\"powerbalance-table\"><thead><tr>");
    for (n, u) in names.iter().zip(&units) {
        let style = if u.is_numeric() { " style=\"text-align: right\"" } else { "" };
        s.push_str(&format!("<th{style}>{}</th>", escape(n)));
    }
    s.push_str("</tr></thead><tbody>");
    for r in &rows {
        s.push_str("<tr>");
        for (c, u) in r.iter().zip(&units) {
            let style = if u.is_numeric() { " style=\"text-align: right\"" } else { "" };
            s.push_str(&format!("<td{style}>{}</td>", escape(c)));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    let mut note = format!("{total} rows x {} columns", names.len());
    if total > limit {
        note = format!("&hellip; {} not shown; {note}", more(total - limit));
    }
    let lg = legend(batch);
    if !lg.is_empty() {
        note.push_str("; ");
        note.push_str(&lg.iter().map(|l| escape(l)).collect::<Vec<_>>().join("; "));
    }
    s.push_str(&format!("<p><small>{note}</small></p>"));
    s
}

/// The first `n` rows (all when `None`) of a table given as record batches, as one batch, so
/// that printing a long table copies only what is shown.
pub fn first_rows(schema: &SchemaRef, batches: &[RecordBatch], n: Option<usize>) -> crate::Result<RecordBatch> {
    let mut want = n.unwrap_or(usize::MAX);
    let mut parts = Vec::new();
    for b in batches {
        if want == 0 {
            break;
        }
        let k = b.num_rows().min(want);
        parts.push(b.slice(0, k));
        want -= k;
    }
    arrow_select::concat::concat_batches(schema, &parts)
        .map_err(|e| crate::Error::invalid(format!("cannot print this table: {e}")))
}

impl Table {
    /// [`to_text`] of this table.
    pub fn to_text(&self, max_rows: Option<usize>) -> String {
        to_text(&self.batch, max_rows)
    }

    /// [`to_html`] of this table.
    pub fn to_html(&self, max_rows: Option<usize>) -> String {
        to_html(&self.batch, max_rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::TableBuilder;

    #[test]
    fn units_from_names() {
        let f = DataType::Float64;
        let i = DataType::Int64;
        assert_eq!(unit_of("share", &f), Unit::Fraction);
        assert_eq!(unit_of("supplier_1_share", &f), Unit::Fraction);
        assert_eq!(unit_of("share_compare", &f), Unit::Fraction);
        assert_eq!(unit_of("milex_share_gdp", &f), Unit::Fraction);
        assert_eq!(unit_of("rest_share", &f), Unit::Fraction);
        assert_eq!(unit_of("cinc", &f), Unit::Fraction);
        assert_eq!(unit_of("share_diff", &f), Unit::FractionDiff);
        assert_eq!(unit_of("share_diff_pp", &f), Unit::PercentagePoints);
        assert_eq!(unit_of("change_pct", &f), Unit::Percent { signed: true });
        assert_eq!(unit_of("tiv_scenario", &f), Unit::Tiv { signed: false });
        assert_eq!(unit_of("tiv_diff", &f), Unit::Tiv { signed: true });
        assert_eq!(unit_of("year", &i), Unit::Code);
        assert_eq!(unit_of("ccode", &i), Unit::Code);
        for year in ["fit_start", "fit_end", "first_delivery", "start_year", "previous_lead_year"] {
            assert_eq!(unit_of(year, &i), Unit::Code, "{year}");
        }
        for year in ["crossover_year", "earliest", "latest", "year"] {
            assert_eq!(unit_of(year, &f), Unit::Code, "{year}");
        }
        assert_eq!(unit_of("ccode", &f), Unit::Number { signed: false });
        assert_eq!(unit_of("gap_at_end", &f), Unit::Number { signed: false });
        assert_eq!(unit_of("entries", &i), Unit::Count { signed: false });
        assert_eq!(unit_of("hhi", &f), Unit::Number { signed: false });
        assert_eq!(unit_of("cinc1", &f), Unit::Fraction);
        assert_eq!(unit_of("cinc_ratio", &f), Unit::Number { signed: false });
        assert_eq!(unit_of("milper", &f), Unit::Number { signed: false });
        assert_eq!(unit_of("actor", &DataType::Utf8), Unit::Text);
    }

    #[test]
    fn cells_by_unit() {
        assert_eq!(format_f64(Unit::Fraction, 0.773), "77.3%");
        assert_eq!(format_f64(Unit::PercentagePoints, 0.401), "+0.4 pp");
        assert_eq!(format_f64(Unit::FractionDiff, -0.021), "-2.1 pp");
        assert_eq!(format_f64(Unit::Percent { signed: true }, 21.04), "+21.0%");
        assert_eq!(format_f64(Unit::Tiv { signed: false }, 12345.6), "12,346");
        assert_eq!(format_f64(Unit::Tiv { signed: true }, 211.2), "+211");
        assert_eq!(format_f64(Unit::Tiv { signed: true }, -4789.0), "-4,789");
        assert_eq!(format_f64(Unit::Tiv { signed: false }, -0.2), "0");
        assert_eq!(format_f64(Unit::Number { signed: false }, 0.31554), "0.3155");
        assert_eq!(format_f64(Unit::Number { signed: false }, 12345.0), "12,345");
        assert_eq!(format_f64(Unit::Number { signed: false }, 1300.0), "1,300");
        assert_eq!(format_f64(Unit::Number { signed: false }, 2.956), "2.956");
        assert_eq!(format_f64(Unit::Number { signed: false }, 1.5e-7), "1.500e-7");
        assert_eq!(format_f64(Unit::Number { signed: false }, f64::NAN), "NaN");
        assert_eq!(format_i128(Unit::Code, 2016), "2016");
        assert_eq!(format_f64(Unit::Code, 2031.3712), "2031.4");
        assert_eq!(format_f64(Unit::Code, 2007.0), "2007");
        assert_eq!(format_f64(Unit::Code, 2031.96), "2032");
        assert_eq!(format_i128(Unit::Count { signed: false }, 59157), "59,157");
        assert_eq!(format_i128(Unit::Count { signed: false }, -1234567), "-1,234,567");
    }

    #[test]
    fn text_and_html() {
        let t = TableBuilder::new()
            .str("actor", vec!["United States", "<b>"])
            .i64("year", vec![2016, 2017])
            .f64("tiv", vec![12345.6, 5.0])
            .f64_opt("share", vec![Some(0.37), None])
            .build()
            .unwrap();
        let text = t.to_text(None);
        assert_eq!(
            text,
            "actor          year     tiv  share\nUnited States  2016  12,346  37.0%\n<b>            2017       5"
        );
        assert_eq!(t.to_text(Some(1)).lines().last().unwrap(), "... 1 more row");
        let h = t.to_html(Some(1));
        assert!(h.contains("<td style=\"text-align: right\">12,346</td>"), "{h}");
        assert!(!h.contains("<b>"));
        assert!(h.contains("1 more row not shown; 2 rows x 4 columns; TIV = SIPRI"), "{h}");
        assert!(h.contains("% = share of a total"));
        assert!(h.contains("TIV = SIPRI"));
    }

    #[test]
    fn years_print_as_years() {
        // A projected crossover: integer fit years, a fractional crossover year (a grows 10% a
        // year from 100, b 2% from 1000; they meet near 2030.5).
        let a: Vec<(i32, Option<f64>)> = (2000..=2010).map(|y| (y, Some(100.0 * 1.1f64.powi(y - 2000)))).collect();
        let b: Vec<(i32, Option<f64>)> = (2000..=2010).map(|y| (y, Some(1000.0 * 1.02f64.powi(y - 2000)))).collect();
        let fit = crate::period::Period { start: 2000, end: 2010 };
        let t = crate::metrics::transition::projection_table("a", &a, "b", &b, fit, 1.96).unwrap();
        let text = t.to_text(None);
        let row: std::collections::HashMap<&str, &str> = {
            let mut lines = text.lines();
            let names = lines.next().unwrap().split_whitespace();
            names.zip(lines.next().unwrap().split_whitespace()).collect()
        };
        assert_eq!((row["fit_start"], row["fit_end"]), ("2000", "2010"), "{text}");
        let year = t.f64s("crossover_year").unwrap()[0].unwrap();
        assert_eq!(row["crossover_year"], format!("{year:.1}"), "{text}");
        assert!(row["crossover_year"].starts_with("2030."), "{text}");
        let gap = t.f64s("gap_at_end").unwrap()[0].unwrap();
        assert_eq!(row["gap_at_end"], general(gap, false), "{text}");
    }
}
