//! Result tables: named, typed columns as an Arrow `RecordBatch`.

/// The Arrow array types result tables are made of, re-exported for the glue crates.
pub mod arrow {
    pub use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
    pub use arrow_schema::{DataType, Field, Schema, SchemaRef};
}

use crate::error::{Error, Result};
use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

/// A result table. Every metric returns one; the Python glue hands it to pyarrow, polars,
/// pandas or duckdb through the Arrow C stream interface without copying.
#[derive(Debug, Clone)]
pub struct Table {
    pub batch: RecordBatch,
}

impl Table {
    pub fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    pub fn num_columns(&self) -> usize {
        self.batch.num_columns()
    }

    pub fn column_names(&self) -> Vec<String> {
        self.batch.schema().fields().iter().map(|f| f.name().clone()).collect()
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Result<&ArrayRef> {
        self.batch
            .column_by_name(name)
            .ok_or_else(|| Error::invalid(format!("no column {name:?}; the columns are {:?}", self.column_names())))
    }

    /// The column called `name` as an array of type `A` (`type_name` says which in the error).
    fn typed<A: Array + 'static>(&self, name: &str, type_name: &str) -> Result<&A> {
        let c = self.column(name)?;
        c.as_any()
            .downcast_ref::<A>()
            .ok_or_else(|| Error::invalid(format!("column {name:?} is {}, not {type_name}", c.data_type())))
    }

    /// A float column as `Option<f64>` values.
    pub fn f64s(&self, name: &str) -> Result<Vec<Option<f64>>> {
        Ok(self.typed::<Float64Array>(name, "float64")?.iter().collect())
    }

    /// A string column as `Option<String>` values.
    pub fn strings(&self, name: &str) -> Result<Vec<Option<String>>> {
        Ok(self.typed::<StringArray>(name, "utf8")?.iter().map(|s| s.map(String::from)).collect())
    }

    /// An integer column as `Option<i64>` values.
    pub fn i64s(&self, name: &str) -> Result<Vec<Option<i64>>> {
        Ok(self.typed::<Int64Array>(name, "int64")?.iter().collect())
    }

    /// The same table with its text columns as `utf8`, the type the core reads text in
    /// ([`Table::strings`], the keys of [`crate::scenario::compare_tables`]): polars exports
    /// strings as `utf8_view` and pyarrow's large tables use `large_utf8`. Without this a
    /// polars table's text key went unseen and `compare_tables` matched rows by position.
    pub fn with_utf8_text(self) -> Result<Table> {
        let schema = self.batch.schema();
        let is_text = |t: &DataType| matches!(t, DataType::Utf8View | DataType::LargeUtf8);
        if !schema.fields().iter().any(|f| is_text(f.data_type())) {
            return Ok(self);
        }
        let mut fields = Vec::with_capacity(schema.fields().len());
        let mut columns = Vec::with_capacity(fields.capacity());
        for (f, c) in schema.fields().iter().zip(self.batch.columns()) {
            if is_text(f.data_type()) {
                let cast = arrow_cast::cast(c, &DataType::Utf8)
                    .map_err(|e| Error::invalid(format!("column {:?}: {e}", f.name())))?;
                columns.push(cast);
                fields.push(f.as_ref().clone().with_data_type(DataType::Utf8));
            } else {
                columns.push(c.clone());
                fields.push(f.as_ref().clone());
            }
        }
        let schema = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
        let batch = RecordBatch::try_new(schema, columns).map_err(|e| Error::invalid(e.to_string()))?;
        Ok(Table { batch })
    }

    /// A `year, value` table of a series (`value` null where the series has no value).
    pub fn year_values(points: &[(i32, Option<f64>)]) -> Result<Table> {
        TableBuilder::new()
            .i64("year", points.iter().map(|p| p.0 as i64).collect())
            .f64_opt("value", points.iter().map(|p| p.1).collect())
            .build()
    }
}

/// The values of an integer column (int8 to int64, unsigned up to uint32) of any record batch,
/// without nulls: how a table passed in from a door (an Arrow table from Python) is read.
/// `what` names the table in messages.
pub fn int_values(batch: &RecordBatch, name: &str, what: &str) -> Result<Vec<i64>> {
    let c = batch.column_by_name(name).ok_or_else(|| Error::invalid(format!("{what} has no {name:?} column")))?;
    if c.logical_null_count() > 0 {
        return Err(Error::invalid(format!("column {name:?} of {what} has nulls")));
    }
    if !matches!(
        c.data_type(),
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
    ) {
        return Err(Error::invalid(format!("column {name:?} of {what} is {}, not an integer type", c.data_type())));
    }
    let cast =
        arrow_cast::cast(c, &DataType::Int64).map_err(|e| Error::invalid(format!("column {name:?} of {what}: {e}")))?;
    let a = cast.as_any().downcast_ref::<Int64Array>().expect("a cast to Int64 gives an Int64Array");
    Ok(a.values().to_vec())
}

/// Two columns given as lists (`names` and `values`, `years` and `values`) as pairs; lists of
/// different lengths are [`Error::InvalidArgument`] naming both.
pub fn zip_columns<A, B>(a: Vec<A>, b: Vec<B>, names: (&str, &str)) -> Result<Vec<(A, B)>> {
    if a.len() != b.len() {
        return Err(Error::invalid(format!("{} {} but {} {}", a.len(), names.0, b.len(), names.1)));
    }
    Ok(a.into_iter().zip(b).collect())
}

/// Builds a [`Table`] column by column.
#[derive(Default)]
pub struct TableBuilder {
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
}

impl TableBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    fn add(mut self, name: &str, dt: DataType, nullable: bool, a: ArrayRef) -> Self {
        self.fields.push(Field::new(name, dt, nullable));
        self.columns.push(a);
        self
    }

    pub fn i64(self, name: &str, v: Vec<i64>) -> Self {
        self.add(name, DataType::Int64, false, Arc::new(Int64Array::from(v)))
    }

    pub fn i64_opt(self, name: &str, v: Vec<Option<i64>>) -> Self {
        self.add(name, DataType::Int64, true, Arc::new(Int64Array::from(v)))
    }

    pub fn f64(self, name: &str, v: Vec<f64>) -> Self {
        self.add(name, DataType::Float64, false, Arc::new(Float64Array::from(v)))
    }

    pub fn f64_opt(self, name: &str, v: Vec<Option<f64>>) -> Self {
        self.add(name, DataType::Float64, true, Arc::new(Float64Array::from(v)))
    }

    pub fn str<S: AsRef<str>>(self, name: &str, v: Vec<S>) -> Self {
        let a = StringArray::from_iter_values(v.iter().map(|s| s.as_ref()));
        self.add(name, DataType::Utf8, false, Arc::new(a))
    }

    pub fn str_opt<S: AsRef<str>>(self, name: &str, v: Vec<Option<S>>) -> Self {
        let a: StringArray = v.iter().map(|s| s.as_ref().map(|x| x.as_ref())).collect();
        self.add(name, DataType::Utf8, true, Arc::new(a))
    }

    pub fn bool(self, name: &str, v: Vec<bool>) -> Self {
        self.add(name, DataType::Boolean, false, Arc::new(BooleanArray::from(v)))
    }

    /// Finish; fails only if columns differ in length (a programming error reported as such).
    pub fn build(self) -> Result<Table> {
        let schema = Arc::new(Schema::new(self.fields));
        RecordBatch::try_new(schema, self.columns)
            .map(|batch| Table { batch })
            .map_err(|e| Error::invalid(format!("internal error building a result table: {e}")))
    }
}
