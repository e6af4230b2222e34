//! Ledgers and result tables to and from Arrow IPC files and CSV, without loss.
//!
//! | what | Arrow IPC | CSV |
//! |---|---|---|
//! | [`Ledger`] | [`write_ledger_ipc`] / [`read_ledger_ipc`] | [`write_ledger_csv`] / [`read_ledger_csv`] |
//! | [`Table`] | [`write_table_ipc`] / [`read_table_ipc`] | [`write_table_csv`] / [`read_table_csv`] |
//!
//! A ledger is written as one table with one row per entry ([`LEDGER_COLUMNS`]): the supplier
//! and recipient by name, the year, the TIV, the index of the entry's deal and the deal detail
//! (null for entries without a deal), so that pandas, polars or a spreadsheet can read it as it
//! is. The Arrow file also keeps, in its schema metadata (key [`LEDGER_META`]), what has no
//! column: the coverage, the registry's actor names in id order, the load report, the open
//! orders (orders with no delivery yet, [`Ledger::open_orders`]) and any deal no entry refers
//! to. Reading it back gives a ledger equal to the one written, actor ids included. The
//! metadata also keeps the years the ledger covers ([`crate::ledger::Covers`]).
//! CSV keeps the entries, the deals of the entries and the coverage (from the names); it does
//! **not** keep the load report, the covered years (read back, the ledger covers the years of
//! its rows) nor the open orders, which have no entry and so no row (read back, the ledger has
//! none: use the Arrow file to keep them). Actor ids are re-interned from the names.
//!
//! Floats are written in the shortest form that parses back to the same bits (Rust's `{:?}`),
//! so the CSV round trip is exact too. In a CSV result table an empty cell is null (as pandas
//! and polars read it), so an empty string comes back as null unless the schema given to
//! [`read_table_csv_as`] says the column has no nulls.

use crate::actors::{ActorId, ActorRegistry, WORLD};
use crate::deals::Deal;
use crate::error::{Error, Result};
use crate::ledger::{Coverage, Covers, Ledger, LoadReport, OpenOrder, NO_DEAL};
use crate::table::Table;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int32Array, RecordBatch, StringArray, UInt32Array, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// The schema-metadata key of a ledger written as Arrow IPC.
pub const LEDGER_META: &str = "powerbalance.ledger";

/// The columns of a ledger written as a table, in order.
pub const LEDGER_COLUMNS: [&str; 23] = [
    "supplier",
    "recipient",
    "year",
    "tiv",
    "deal",
    "annual_estimated",
    "sipri_id",
    "designation",
    "description",
    "category",
    "order_year",
    "order_year_estimated",
    "number_ordered",
    "number_ordered_estimated",
    "numbers_delivered",
    "numbers_delivered_estimated",
    "delivery_year_estimated",
    "status",
    "tiv_unit",
    "tiv_deal_unit",
    "tiv_order",
    "local_production",
    "comments",
];

/// What a ledger's IPC metadata holds besides the columns.
#[derive(Serialize, Deserialize)]
struct LedgerMeta {
    format: u32,
    coverage: Coverage,
    annual_estimated: bool,
    /// Registry names, in id order.
    actors: Vec<String>,
    report: LoadReport,
    deals: usize,
    /// Deals that no entry refers to, with their index.
    orphan_deals: Vec<(u32, Deal)>,
    /// The years the ledger covers (absent in files written before coverage was kept: the
    /// years of the rows then).
    #[serde(default)]
    covers: Option<Covers>,
    /// Orders with no delivery yet (absent in files written before they were kept: none then).
    #[serde(default)]
    open_orders: Vec<OpenOrder>,
}

fn io_err(path: &Path, source: std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), source }
}

fn arrow_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Format { path: path.to_path_buf(), line: 0, message: format!("not a readable Arrow IPC file: {e}") }
}

// ---------------------------------------------------------------------------------------------
// ledgers as a table

/// The ledger as one record batch with [`LEDGER_COLUMNS`].
pub fn ledger_batch(l: &Ledger) -> Result<RecordBatch> {
    let n = l.len();
    let reg = &l.registry;
    let deal = |i: usize| -> Option<&Deal> {
        let d = l.deal[i];
        if d == NO_DEAL {
            None
        } else {
            l.deals.get(d as usize)
        }
    };
    if let Some(i) = (0..n).find(|&i| l.deal[i] != NO_DEAL && deal(i).is_none()) {
        return Err(Error::invalid(format!("entry {i} refers to deal {} of {}", l.deal[i], l.deals.len())));
    }
    let strs =
        |f: &dyn Fn(&Deal) -> &str| -> ArrayRef { Arc::new((0..n).map(|i| deal(i).map(f)).collect::<StringArray>()) };
    let f64s = |f: &dyn Fn(&Deal) -> Option<f64>| -> ArrayRef {
        Arc::new((0..n).map(|i| deal(i).and_then(f)).collect::<Float64Array>())
    };
    let bools =
        |f: &dyn Fn(&Deal) -> bool| -> ArrayRef { Arc::new((0..n).map(|i| deal(i).map(f)).collect::<BooleanArray>()) };
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(l.supplier.iter().map(|a| reg.name(*a)))),
        Arc::new(StringArray::from_iter_values(l.recipient.iter().map(|a| reg.name(*a)))),
        Arc::new(Int32Array::from(l.year.clone())),
        Arc::new(Float64Array::from(l.tiv.clone())),
        Arc::new(l.deal.iter().map(|&d| (d != NO_DEAL).then_some(d)).collect::<UInt32Array>()),
        Arc::new(BooleanArray::from(vec![l.annual_estimated; n])),
        Arc::new((0..n).map(|i| deal(i).and_then(|d| d.sipri_id)).collect::<UInt64Array>()),
        strs(&|d| &d.designation),
        strs(&|d| &d.description),
        strs(&|d| &d.category),
        Arc::new((0..n).map(|i| deal(i).and_then(|d| d.order_year)).collect::<Int32Array>()),
        bools(&|d| d.order_year_estimated),
        f64s(&|d| d.number_ordered),
        bools(&|d| d.number_ordered_estimated),
        f64s(&|d| d.numbers_delivered),
        bools(&|d| d.numbers_delivered_estimated),
        bools(&|d| d.delivery_year_estimated),
        strs(&|d| &d.status),
        f64s(&|d| d.tiv_unit),
        f64s(&|d| d.tiv_deal_unit),
        f64s(&|d| d.tiv_order),
        bools(&|d| d.local_production),
        strs(&|d| &d.comments),
    ];
    let fields: Vec<Field> = LEDGER_COLUMNS
        .iter()
        .zip(&columns)
        .map(|(name, c)| {
            Field::new(
                *name,
                c.data_type().clone(),
                !matches!(*name, "supplier" | "recipient" | "year" | "tiv" | "annual_estimated"),
            )
        })
        .collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| Error::invalid(format!("internal error building the ledger table: {e}")))
}

fn col<'a, T: 'static>(batch: &'a RecordBatch, name: &str, path: &Path) -> Result<&'a T> {
    batch.column_by_name(name).and_then(|c| c.as_any().downcast_ref::<T>()).ok_or_else(|| Error::Format {
        path: path.to_path_buf(),
        line: 0,
        message: format!(
            "not a powerbalance ledger table: column {name:?} is missing or of another type (the columns are {:?})",
            batch.schema().fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>()
        ),
    })
}

fn opt_str(a: &StringArray, i: usize) -> Option<String> {
    a.is_valid(i).then(|| a.value(i).to_string())
}

/// Rebuild a ledger from [`ledger_batch`] columns. `actor` maps a name to an id.
fn ledger_from_batches(
    batches: &[RecordBatch], path: &Path, registry: ActorRegistry, coverage: Option<Coverage>, n_deals: usize,
    orphans: Vec<(u32, Deal)>,
) -> Result<Ledger> {
    let mut reg = registry;
    let mut l = Ledger::empty(Arc::new(ActorRegistry::new()), coverage.unwrap_or(Coverage::Dyadic));
    let mut deals: Vec<Option<Deal>> = vec![None; n_deals];
    let mut cache: HashMap<String, ActorId> = HashMap::new();
    let mut intern = |name: &str, reg: &mut ActorRegistry| -> ActorId {
        if let Some(id) = cache.get(name) {
            return *id;
        }
        let id = reg.intern(name).0;
        cache.insert(name.to_string(), id);
        id
    };
    let mut annual = false;
    for b in batches {
        let sup = col::<StringArray>(b, "supplier", path)?;
        let rec = col::<StringArray>(b, "recipient", path)?;
        let year = col::<Int32Array>(b, "year", path)?;
        let tiv = col::<Float64Array>(b, "tiv", path)?;
        let deal = col::<UInt32Array>(b, "deal", path)?;
        let est = col::<BooleanArray>(b, "annual_estimated", path)?;
        let sid = col::<UInt64Array>(b, "sipri_id", path)?;
        let s = |n: &str| col::<StringArray>(b, n, path);
        let f = |n: &str| col::<Float64Array>(b, n, path);
        let bo = |n: &str| col::<BooleanArray>(b, n, path);
        let (des, dsc, cat, st, com) =
            (s("designation")?, s("description")?, s("category")?, s("status")?, s("comments")?);
        let oy = col::<Int32Array>(b, "order_year", path)?;
        let (nord, ndel, tu, tdu, tor) =
            (f("number_ordered")?, f("numbers_delivered")?, f("tiv_unit")?, f("tiv_deal_unit")?, f("tiv_order")?);
        let (oye, nore, ndee, dye, loc) = (
            bo("order_year_estimated")?,
            bo("number_ordered_estimated")?,
            bo("numbers_delivered_estimated")?,
            bo("delivery_year_estimated")?,
            bo("local_production")?,
        );
        for i in 0..b.num_rows() {
            if sup.is_null(i) || rec.is_null(i) || year.is_null(i) || tiv.is_null(i) {
                return Err(Error::Format {
                    path: path.to_path_buf(),
                    line: 0,
                    message: format!("ledger row {i}: supplier, recipient, year and tiv must not be null"),
                });
            }
            annual |= est.is_valid(i) && est.value(i);
            let s_id = intern(sup.value(i), &mut reg);
            let r_id = intern(rec.value(i), &mut reg);
            let d = if deal.is_valid(i) { deal.value(i) } else { NO_DEAL };
            if d != NO_DEAL {
                let k = d as usize;
                if k >= deals.len() {
                    deals.resize(k + 1, None);
                }
                if deals[k].is_none() {
                    let fo = |a: &Float64Array| a.is_valid(i).then(|| a.value(i));
                    let bv = |a: &BooleanArray| a.is_valid(i) && a.value(i);
                    deals[k] = Some(Deal {
                        sipri_id: sid.is_valid(i).then(|| sid.value(i)),
                        designation: opt_str(des, i).unwrap_or_default(),
                        description: opt_str(dsc, i).unwrap_or_default(),
                        category: opt_str(cat, i).unwrap_or_default(),
                        order_year: oy.is_valid(i).then(|| oy.value(i)),
                        order_year_estimated: bv(oye),
                        number_ordered: fo(nord),
                        number_ordered_estimated: bv(nore),
                        numbers_delivered: fo(ndel),
                        numbers_delivered_estimated: bv(ndee),
                        delivery_year_estimated: bv(dye),
                        status: opt_str(st, i).unwrap_or_default(),
                        tiv_unit: fo(tu),
                        tiv_deal_unit: fo(tdu),
                        tiv_order: fo(tor),
                        local_production: bv(loc),
                        comments: opt_str(com, i).unwrap_or_default(),
                    });
                }
            }
            l.push(s_id, r_id, year.value(i), tiv.value(i), d);
        }
    }
    for (k, d) in orphans {
        let k = k as usize;
        if k >= deals.len() {
            deals.resize(k + 1, None);
        }
        deals[k] = Some(d);
    }
    l.deals = std::sync::Arc::new(crate::deals::Deals::from(
        deals.into_iter().map(Option::unwrap_or_default).collect::<Vec<_>>(),
    ));
    l.annual_estimated = annual;
    if coverage.is_none() {
        // CSV: the coverage from the names (totals tables have the World on one side).
        let world = reg.lookup(WORLD);
        let all = |v: &[ActorId]| !v.is_empty() && world.is_some_and(|w| v.iter().all(|a| *a == w));
        l.coverage = if all(&l.recipient) {
            Coverage::ExportTotals
        } else if all(&l.supplier) {
            Coverage::ImportTotals
        } else {
            Coverage::Dyadic
        };
    }
    l.registry = Arc::new(reg);
    Ok(l)
}

/// Write a ledger as an Arrow IPC file (one row per entry, [`LEDGER_COLUMNS`]; the registry,
/// coverage, load report and open orders in the schema metadata).
pub fn write_ledger_ipc(l: &Ledger, path: &Path) -> Result<()> {
    let batch = ledger_batch(l)?;
    let used: std::collections::HashSet<u32> = l.deal.iter().copied().filter(|&d| d != NO_DEAL).collect();
    let meta = LedgerMeta {
        format: 1,
        coverage: l.coverage,
        annual_estimated: l.annual_estimated,
        actors: l.registry.actors().iter().map(|a| a.name.clone()).collect(),
        report: l.report.clone(),
        covers: l.years().map(|years| Covers { dataset: l.dataset(), years }),
        deals: l.deals.len(),
        open_orders: l.open_orders.clone(),
        orphan_deals: l
            .deals
            .iter()
            .enumerate()
            .filter(|(k, _)| !used.contains(&(*k as u32)))
            .map(|(k, d)| (k as u32, d.clone()))
            .collect(),
    };
    let json = serde_json::to_string(&meta).map_err(|e| Error::invalid(format!("ledger metadata: {e}")))?;
    let schema =
        Schema::new_with_metadata(batch.schema().fields().clone(), HashMap::from([(LEDGER_META.to_string(), json)]));
    let batch = batch.with_schema(Arc::new(schema)).map_err(|e| Error::invalid(format!("internal error: {e}")))?;
    write_batch_ipc(&batch, path)
}

/// Read a ledger written by [`write_ledger_ipc`]. The registry is the built-in one plus the
/// actors the file's ledger had interned, with the same ids.
pub fn read_ledger_ipc(path: &Path) -> Result<Ledger> {
    let (schema, batches) = read_batches_ipc(path)?;
    let meta: LedgerMeta = match schema.metadata().get(LEDGER_META) {
        Some(j) => serde_json::from_str(j).map_err(|e| Error::Format {
            path: path.to_path_buf(),
            line: 0,
            message: format!("the {LEDGER_META} metadata is not readable: {e}"),
        })?,
        None => {
            return Err(Error::Format {
                path: path.to_path_buf(),
                line: 0,
                message: format!("an Arrow file without {LEDGER_META} metadata: not a ledger written by powerbalance (read it with read_table_ipc)"),
            })
        }
    };
    let mut reg = ActorRegistry::builtin().clone();
    for (k, name) in meta.actors.iter().enumerate() {
        let known = reg.actors().get(k).map(|a| a.name.clone());
        let same = match &known {
            Some(n) => n == name,
            None => reg.intern(name).0 == ActorId(k as u32),
        };
        if !same {
            return Err(Error::Format {
                path: path.to_path_buf(),
                line: 0,
                message: format!(
                    "the ledger's actor {k} is {name:?}, which this version's registry cannot give the same id ({known:?}); the file was written with another actor table"
                ),
            });
        }
    }
    let mut l = ledger_from_batches(&batches, path, reg, Some(meta.coverage), meta.deals, meta.orphan_deals)?;
    l.annual_estimated = meta.annual_estimated;
    l.report = meta.report;
    for o in &meta.open_orders {
        if [o.supplier, o.recipient].iter().any(|a| a.0 as usize >= l.registry.len())
            || o.deal as usize >= l.deals.len()
        {
            return Err(Error::Format {
                path: path.to_path_buf(),
                line: 0,
                message: format!(
                    "an open order of the ledger metadata refers to actor {} or {} or deal {}, beyond the file's {} actors and {} deals",
                    o.supplier.0, o.recipient.0, o.deal, l.registry.len(), l.deals.len()
                ),
            });
        }
    }
    l.open_orders = meta.open_orders;
    match (meta.covers, l.span()) {
        (Some(c), Some(rows)) if c.years.start > rows.start || c.years.end < rows.end => {
            return Err(Error::Format {
                path: path.to_path_buf(),
                line: 0,
                message: format!("the ledger metadata says it covers {}, but its rows span {rows}", c.years),
            })
        }
        (Some(c), _) => l.covers = Some(c),
        (None, _) => l.set_covers_from_rows(file_name(path)),
    }
    Ok(l)
}

/// Write a ledger as CSV with [`LEDGER_COLUMNS`] (the load report and the open orders are not
/// kept: see the module doc).
pub fn write_ledger_csv(l: &Ledger, path: &Path) -> Result<()> {
    write_table_csv(&Table { batch: ledger_batch(l)? }, path)
}

/// Read a ledger written by [`write_ledger_csv`]; names resolve through the built-in registry
/// (unknown names are interned, as the readers do), and the coverage follows from the names.
/// The CSV has no place for the years the ledger covered: the ledger read back covers the
/// years of its rows (the same years for a ledger as read, since coverage is the span of the
/// rows read; never wider for a what-if, whose operations add no year).
pub fn read_ledger_csv(path: &Path) -> Result<Ledger> {
    let schema = ledger_batch(&Ledger::empty(Arc::new(ActorRegistry::new()), Coverage::Dyadic))?.schema();
    let t = read_table_csv_with(path, Some(&schema))?;
    let mut l = ledger_from_batches(&[t.batch], path, ActorRegistry::builtin().clone(), None, 0, Vec::new())?;
    l.set_covers_from_rows(file_name(path));
    Ok(l)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

// ---------------------------------------------------------------------------------------------
// result tables

fn write_batch_ipc(batch: &RecordBatch, path: &Path) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| io_err(path, e))?;
    let mut w = arrow_ipc::writer::FileWriter::try_new(std::io::BufWriter::new(file), batch.schema().as_ref())
        .map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
    w.write(batch).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
    w.finish().map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
    Ok(())
}

fn read_batches_ipc(path: &Path) -> Result<(Arc<Schema>, Vec<RecordBatch>)> {
    crate::input::check_regular(path)?;
    let file = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let r =
        arrow_ipc::reader::FileReader::try_new(std::io::BufReader::new(file), None).map_err(|e| arrow_err(path, e))?;
    let schema = r.schema();
    let batches = r.collect::<std::result::Result<Vec<_>, _>>().map_err(|e| arrow_err(path, e))?;
    Ok((schema, batches))
}

/// Write a result table as an Arrow IPC file (schema and metadata kept).
pub fn write_table_ipc(t: &Table, path: &Path) -> Result<()> {
    write_batch_ipc(&t.batch, path)
}

/// Read a result table from an Arrow IPC file (its batches concatenated).
pub fn read_table_ipc(path: &Path) -> Result<Table> {
    let (schema, batches) = read_batches_ipc(path)?;
    let batch = arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| arrow_err(path, e))?;
    Ok(Table { batch })
}

/// Write a result table as CSV (arrow-csv): a header of column names, then one line per row;
/// floats in their shortest form that parses back to the same bits (ryu), null as an empty cell.
pub fn write_table_csv(t: &Table, path: &Path) -> Result<()> {
    let invalid = |e: &dyn std::fmt::Display| Error::invalid(format!("{}: {e}", path.display()));
    let file = std::fs::File::create(path).map_err(|e| io_err(path, e))?;
    let mut w = arrow_csv::WriterBuilder::new().with_header(true).build(std::io::BufWriter::new(file));
    w.write(&t.batch).map_err(|e| invalid(&e))?;
    w.into_inner().flush().map_err(|e| io_err(path, e))
}

/// Read a CSV result table. Column types are inferred: integers (no `.`), floats, `true`/`false`,
/// else text; an empty cell is null. Tables written by [`write_table_csv`] from Int64, Float64,
/// Boolean and Utf8 columns come back with the same types and values.
///
/// A column with no value at all has nothing to infer from and comes back as text; pass the
/// schema to [`read_table_csv_as`] for an exact round trip.
pub fn read_table_csv(path: &Path) -> Result<Table> {
    read_table_csv_with(path, None)
}

/// As [`read_table_csv`], with the column types (and nullability) of `schema`, found by name.
pub fn read_table_csv_as(path: &Path, schema: &Schema) -> Result<Table> {
    read_table_csv_with(path, Some(schema))
}

/// The CSV reader of result tables: the types are inferred ([`infer`]) or taken from `schema`,
/// arrow-csv builds the columns. A cell it cannot read is found again by [`locate`], for an
/// error with its line, column and column name.
fn read_table_csv_with(path: &Path, schema: Option<&Schema>) -> Result<Table> {
    crate::input::check_regular(path)?;
    let bytes = std::fs::read(path).map_err(|e| io_err(path, e))?;
    let header: Vec<String> = csv_reader(&bytes)
        .headers()
        .map_err(|e| parse_err(path, 1, 1, None, format!("unreadable CSV header: {e}")))?
        .iter()
        .map(String::from)
        .collect();
    if header.is_empty() {
        return Ok(Table { batch: RecordBatch::new_empty(Arc::new(Schema::empty())) });
    }
    // The declared fields, in the file's order; every field is read as nullable (arrow-csv reads
    // an empty cell as null), and nulls are checked against the declared schema afterwards.
    let declared: Vec<Field> = match schema {
        Some(s) => header
            .iter()
            .enumerate()
            .map(|(k, name)| {
                s.field_with_name(name)
                    .cloned()
                    .map_err(|_| parse_err(path, 1, k + 1, Some(name), format!("unexpected column {name:?}")))
            })
            .collect::<Result<_>>()?,
        None => infer(&bytes, &header, path)?.into_iter().zip(&header).map(|(dt, n)| Field::new(n, dt, true)).collect(),
    };
    let read_schema =
        Arc::new(Schema::new(declared.iter().map(|f| f.as_ref().clone().with_nullable(true)).collect::<Vec<Field>>()));
    let batches = arrow_csv::ReaderBuilder::new(read_schema.clone())
        .with_header(true)
        .with_batch_size(64 * 1024)
        .build_buffered(bytes.as_slice())
        .and_then(|r| r.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| locate(&bytes, &declared, path, e))?;
    let batch =
        arrow_select::concat::concat_batches(&read_schema, &batches).map_err(|e| locate(&bytes, &declared, path, e))?;
    let mut fields = Vec::with_capacity(declared.len());
    let mut arrays = Vec::with_capacity(declared.len());
    for (k, (f, a)) in declared.iter().zip(batch.columns()).enumerate() {
        let mut a = a.clone();
        let nullable = if schema.is_some() { f.is_nullable() } else { a.null_count() > 0 };
        if !nullable && a.null_count() > 0 {
            if *f.data_type() == DataType::Utf8 {
                // A text column without nulls: its empty cells are empty strings.
                let s = a
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .ok_or_else(|| Error::invalid("a Utf8 column is not text"))?;
                a = Arc::new(s.iter().map(|x| Some(x.unwrap_or(""))).collect::<StringArray>());
            } else {
                let i = (0..a.len()).find(|&i| a.is_null(i)).unwrap_or(0);
                return Err(parse_err(
                    path,
                    line_of_row(&bytes, i),
                    k + 1,
                    Some(f.name()),
                    format!("empty {:?}", f.name()),
                ));
            }
        }
        fields.push(Field::new(f.name(), f.data_type().clone(), nullable));
        arrays.push(a);
    }
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
    Ok(Table { batch })
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(true).from_reader(bytes)
}

fn parse_err(path: &Path, line: usize, column: usize, name: Option<&str>, message: String) -> Error {
    Error::Parse { path: path.to_path_buf(), line, column, column_name: name.map(String::from), message }
}

/// The line of data row `i` (0-based, after the header); quoted fields may span lines.
fn line_of_row(bytes: &[u8], i: usize) -> usize {
    let mut rdr = csv_reader(bytes);
    rdr.byte_records().nth(i).and_then(|r| r.ok()).and_then(|r| r.position().map(|p| p.line() as usize)).unwrap_or(0)
}

/// Does `s` read as a value of `dt` (a type [`infer`] gives or a schema declares)?
fn parses_as(dt: &DataType, s: &str) -> bool {
    match dt {
        DataType::Int64 => s.parse::<i64>().is_ok(),
        DataType::Int32 => s.parse::<i32>().is_ok(),
        DataType::UInt32 => s.parse::<u32>().is_ok(),
        DataType::UInt64 => s.parse::<u64>().is_ok(),
        DataType::Float64 => s.parse::<f64>().is_ok(),
        DataType::Boolean => s == "true" || s == "false",
        _ => true,
    }
}

/// The type of each column: the narrowest of Int64, Float64, Boolean that all its non-empty cells
/// read as, else Utf8 (Utf8 too for a column without a value).
fn infer(bytes: &[u8], header: &[String], path: &Path) -> Result<Vec<DataType>> {
    const CANDIDATES: [DataType; 3] = [DataType::Int64, DataType::Float64, DataType::Boolean];
    // Per column: the candidates still possible, and whether any value was seen.
    let mut possible = vec![[true; 3]; header.len()];
    let mut seen = vec![false; header.len()];
    let mut rdr = csv_reader(bytes);
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, e))?;
        for (k, cell) in rec.iter().enumerate().take(header.len()) {
            if !cell.is_empty() {
                seen[k] = true;
                for (c, p) in CANDIDATES.iter().zip(possible[k].iter_mut()) {
                    *p = *p && parses_as(c, cell);
                }
            }
        }
    }
    Ok(possible
        .iter()
        .zip(seen)
        .map(|(p, seen)| match CANDIDATES.iter().zip(p).find(|(_, &ok)| ok) {
            Some((dt, _)) if seen => dt.clone(),
            _ => DataType::Utf8,
        })
        .collect())
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line() as usize);
    parse_err(path, line, 1, None, format!("unreadable CSV: {e}"))
}

/// The error for a CSV that arrow-csv refused: the first cell that does not read as its column's
/// type (line, column and name), or the CSV error itself; arrow-csv's message when neither is
/// found.
fn locate(bytes: &[u8], fields: &[Field], path: &Path, e: impl std::fmt::Display) -> Error {
    let what = |dt: &DataType| match dt {
        DataType::Float64 => "a number",
        DataType::Boolean => "true or false",
        _ => "an integer",
    };
    let mut rdr = csv_reader(bytes);
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return csv_error(path, e),
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        for (k, (cell, f)) in rec.iter().zip(fields).enumerate() {
            if !cell.is_empty() && !parses_as(f.data_type(), cell) {
                return parse_err(
                    path,
                    line,
                    k + 1,
                    Some(f.name()),
                    format!("{cell:?} is not {}", what(f.data_type())),
                );
            }
        }
    }
    Error::invalid(format!("{}: not readable as a table: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::transfers as tm;

    use crate::sipri;

    /// A scratch folder for one test, removed when the test ends (also when it fails).
    struct Scratch(std::path::PathBuf);

    impl Scratch {
        fn new(tag: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("{tag}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }

    fn small() -> Ledger {
        let bytes = include_bytes!("../../../tests/hostile/register_ok_small.csv");
        sipri::read_sipri_bytes(bytes, Path::new("small.csv"), ActorRegistry::builtin().clone()).unwrap()
    }

    fn classic() -> Ledger {
        let bytes = include_bytes!("../../../tests/hostile/classic_latin1.csv");
        sipri::read_sipri_bytes(bytes, Path::new("classic.csv"), ActorRegistry::builtin().clone()).unwrap()
    }

    /// A ledger with an actor the built-in registry does not know, a deal no entry refers to,
    /// odd floats and text that needs quoting.
    fn odd() -> Ledger {
        let mut l = small();
        let mut reg = (*l.registry).clone();
        let (x, new) = reg.intern("Atlantis (imaginary)*");
        assert!(new);
        l.registry = Arc::new(reg);
        let china = l.registry.resolve("China").unwrap();
        std::sync::Arc::make_mut(&mut l.deals).to_mut().push(Deal {
            designation: "Quote \"and\", comma\nnewline".into(),
            tiv_unit: Some(0.1 + 0.2),
            ..Deal::default()
        });
        let d = (l.deals.len() - 1) as u32;
        l.push(x, china, 2001, 1.0 / 3.0, d);
        l.push(china, x, 2002, 1e-300, NO_DEAL);
        std::sync::Arc::make_mut(&mut l.deals).to_mut().push(Deal { designation: "orphan".into(), ..Deal::default() });
        // An order with no delivery yet: its deal has no entry.
        std::sync::Arc::make_mut(&mut l.deals).to_mut().push(Deal { designation: "ordered".into(), ..Deal::default() });
        l.open_orders.push(OpenOrder { supplier: china, recipient: x, deal: (l.deals.len() - 1) as u32 });
        l
    }

    fn same(a: &Ledger, b: &Ledger, ids: bool) {
        assert_eq!(a.len(), b.len());
        assert_eq!(a.coverage, b.coverage);
        assert_eq!(a.annual_estimated, b.annual_estimated);
        for i in 0..a.len() {
            assert_eq!(a.registry.name(a.supplier[i]), b.registry.name(b.supplier[i]));
            assert_eq!(a.registry.name(a.recipient[i]), b.registry.name(b.recipient[i]));
            if ids {
                assert_eq!((a.supplier[i], a.recipient[i]), (b.supplier[i], b.recipient[i]));
            }
            assert_eq!(a.year[i], b.year[i]);
            assert_eq!(a.tiv[i].to_bits(), b.tiv[i].to_bits());
            assert_eq!(a.deal[i], b.deal[i]);
        }
        let j = |d: &[Deal]| serde_json::to_string(d).unwrap();
        let used = |l: &Ledger| -> Vec<Deal> {
            let mut v: Vec<u32> = l.deal.iter().copied().filter(|&d| d != NO_DEAL).collect();
            v.sort();
            v.dedup();
            v.into_iter().map(|d| l.deals[d as usize].clone()).collect()
        };
        if ids {
            assert_eq!(j(&a.deals), j(&b.deals));
            assert_eq!(a.registry.len(), b.registry.len());
            assert_eq!(a.open_orders, b.open_orders);
        } else {
            assert_eq!(j(&used(a)), j(&used(b)));
            assert!(b.open_orders.is_empty(), "CSV has no row for an open order");
        }
    }

    /// Each test ledger written as `ext` and read back: `(written, read)` pairs.
    fn round_trips(
        ext: &str, write: fn(&Ledger, &Path) -> Result<()>, read: fn(&Path) -> Result<Ledger>,
    ) -> Vec<(Ledger, Ledger)> {
        let dir = Scratch::new(&format!("pb-io-{ext}"));
        let ledgers = [small(), classic(), odd()];
        ledgers
            .into_iter()
            .enumerate()
            .map(|(k, l)| {
                let p = dir.0.join(format!("l{k}.{ext}"));
                write(&l, &p).unwrap();
                let back = read(&p).unwrap();
                (l, back)
            })
            .collect()
    }

    #[test]
    fn ledger_round_trips_through_ipc() {
        for (l, back) in round_trips("arrow", write_ledger_ipc, read_ledger_ipc) {
            same(&l, &back, true);
            assert_eq!(serde_json::to_string(&l.report).unwrap(), serde_json::to_string(&back.report).unwrap());
            // A metric gives the same table on both.
            let p5 = l.years().unwrap();
            let opts = tm::FactSheet { top: None, partners: 3, compare: None };
            let (t1, t2) = (tm::importers(&l, p5, opts).unwrap(), tm::importers(&back, p5, opts).unwrap());
            assert_eq!(t1.batch, t2.batch);
        }
    }

    #[test]
    fn ledger_round_trips_through_csv() {
        for (l, back) in round_trips("csv", write_ledger_csv, read_ledger_csv) {
            same(&l, &back, false);
        }
    }

    #[test]
    fn tables_round_trip() {
        let dir = Scratch::new("pb-io-t");
        let l = small();
        let p = l.years().unwrap();
        let opts = tm::FactSheet { top: None, partners: 3, compare: None };
        let tables = [
            tm::importers(&l, p, opts).unwrap(),
            tm::exporters(&l, p, opts).unwrap(),
            tm::actors(&l.registry).unwrap(),
        ];
        for (k, t) in tables.iter().enumerate() {
            let a = dir.0.join(format!("t{k}.arrow"));
            write_table_ipc(t, &a).unwrap();
            assert_eq!(read_table_ipc(&a).unwrap().batch, t.batch);
            let c = dir.0.join(format!("t{k}.csv"));
            write_table_csv(t, &c).unwrap();
            // With the schema: the same batch.
            assert_eq!(read_table_csv_as(&c, t.batch.schema().as_ref()).unwrap().batch, t.batch);
            // Inferred: the same values; the same types except for columns without any value.
            let back = read_table_csv(&c).unwrap();
            assert_eq!(back.column_names(), t.column_names());
            for (x, y) in back.batch.columns().iter().zip(t.batch.columns()) {
                if y.null_count() < y.len() {
                    assert_eq!(x.data_type(), y.data_type());
                }
                for i in 0..x.len() {
                    let text = |a: &ArrayRef| arrow_cast::display::array_value_to_string(a, i).unwrap();
                    assert_eq!(text(x), text(y));
                }
            }
        }
    }

    #[test]
    fn csv_tables_keep_odd_values_and_locate_bad_cells() {
        let dir = Scratch::new("pb-io-odd");
        let c = dir.0.join("odd.csv");
        let t = crate::table::TableBuilder::new()
            .str("name", vec!["a \"quoted\",\nline", "", "c"])
            .f64("x", vec![f64::NAN, f64::INFINITY, 0.1 + 0.2])
            .i64_opt("n", vec![Some(1), None, Some(-3)])
            .build()
            .unwrap();
        write_table_csv(&t, &c).unwrap();
        // With the schema: the same batch (the empty name of a column without nulls included).
        let back = read_table_csv_as(&c, t.batch.schema().as_ref()).unwrap();
        assert_eq!(back.batch.schema(), t.batch.schema());
        assert_eq!(back.strings("name").unwrap(), t.strings("name").unwrap());
        let x = back.f64s("x").unwrap();
        assert!(x[0].unwrap().is_nan() && x[1] == Some(f64::INFINITY) && x[2] == Some(0.1 + 0.2));
        // Inferred: NaN and inf are numbers; the empty name is a null there.
        let inferred = read_table_csv(&c).unwrap();
        assert_eq!(inferred.batch.schema().field(1).data_type(), &DataType::Float64);
        assert_eq!(inferred.batch.schema().field(2).data_type(), &DataType::Int64);
        // A bad cell after a quoted field over two lines: line 5 (header 1, row 1 on 2-3, row 2
        // on 4), column 3, `n`.
        std::fs::write(&c, "name,x,n\n\"a\nb\",1.5,1\nb,2.5,2\nc,3.5,x3\n").unwrap();
        match read_table_csv_as(&c, t.batch.schema().as_ref()) {
            Err(Error::Parse { line, column, column_name, .. }) => {
                assert_eq!((line, column, column_name.as_deref()), (5, 3, Some("n")))
            }
            other => panic!("{other:?}"),
        }
        // An empty cell where the schema has no nulls: located too.
        std::fs::write(&c, "name,x,n\na,,1\n").unwrap();
        match read_table_csv_as(&c, t.batch.schema().as_ref()) {
            Err(Error::Parse { line, column, message, .. }) => {
                assert_eq!((line, column, message.as_str()), (2, 2, "empty \"x\""))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn not_a_ledger() {
        let dir = Scratch::new("pb-io-bad");
        let p = dir.0.join("x.arrow");
        std::fs::write(&p, b"not arrow").unwrap();
        assert!(matches!(read_ledger_ipc(&p), Err(Error::Format { .. })));
        let t = tm::actors(ActorRegistry::builtin()).unwrap();
        write_table_ipc(&t, &p).unwrap();
        assert!(matches!(read_ledger_ipc(&p), Err(Error::Format { .. })));
        // An open order beyond the file's deals: a located error, not a panic later.
        let mut l = odd();
        l.open_orders[0].deal = 9999;
        write_ledger_ipc(&l, &p).unwrap();
        assert!(matches!(read_ledger_ipc(&p), Err(Error::Format { message, .. }) if message.contains("open order")));
        let c = dir.0.join("x.csv");
        std::fs::write(&c, "supplier,recipient,year\nA,B,x\n").unwrap();
        assert!(read_ledger_csv(&c).is_err());
    }
}
