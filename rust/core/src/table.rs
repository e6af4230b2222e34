//! Result tables: named, typed columns as an Arrow `RecordBatch`.

/// The Arrow array types result tables are made of, re-exported for the glue crates.
pub mod arrow {
    pub use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
    pub use arrow_schema::{DataType, Field, Schema, SchemaRef};
}

use crate::error::{Error, Result};
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
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

    /// A float column as `Option<f64>` values.
    pub fn f64s(&self, name: &str) -> Result<Vec<Option<f64>>> {
        let c = self.column(name)?;
        let a = c
            .as_any()
            .downcast_ref::<Float64Array>()
            .ok_or_else(|| Error::invalid(format!("column {name:?} is {}, not float64", c.data_type())))?;
        Ok(a.iter().collect())
    }

    /// A string column as `Option<String>` values.
    pub fn strings(&self, name: &str) -> Result<Vec<Option<String>>> {
        let c = self.column(name)?;
        let a = c
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| Error::invalid(format!("column {name:?} is {}, not utf8", c.data_type())))?;
        Ok(a.iter().map(|s| s.map(String::from)).collect())
    }

    /// An integer column as `Option<i64>` values.
    pub fn i64s(&self, name: &str) -> Result<Vec<Option<i64>>> {
        let c = self.column(name)?;
        let a = c
            .as_any()
            .downcast_ref::<Int64Array>()
            .ok_or_else(|| Error::invalid(format!("column {name:?} is {}, not int64", c.data_type())))?;
        Ok(a.iter().collect())
    }
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
