//! The one error type of the core. Every variant carries what a user needs to fix the input.

use crate::period::Period;
use std::path::PathBuf;

/// Result alias used throughout the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors raised by readers, the actor registry and metrics.
///
/// Nothing in the core panics on bad input: each failure is one of these variants, and the
/// Python glue maps each to an exception under `powerbalance.errors`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The file is empty (no bytes, or only blank lines).
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },

    /// The file is not a SIPRI export this reader knows (wrong header, unknown layout).
    #[error("{path}:{line}: {message}")]
    Format { path: PathBuf, line: usize, message: String },

    /// A value in a known format could not be parsed (or a row is truncated).
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: PathBuf,
        /// 1-based line number in the file.
        line: usize,
        /// 1-based column (field) number.
        column: usize,
        /// Name of the column, when the header gives one.
        column_name: Option<String>,
        message: String,
    },

    /// The bytes are neither UTF-8 nor a SIPRI Latin-1 export.
    #[error("{path}:{line}:{column}: {message}")]
    Encoding {
        path: PathBuf,
        line: usize,
        /// 1-based byte offset within the line.
        column: usize,
        message: String,
    },

    /// An actor name that no registry entry (or alias) matches.
    #[error("unknown actor {name:?}{}", suggest(.suggestions))]
    UnknownActor { name: String, suggestions: Vec<String> },

    /// Two files read together cover the same supplier-recipient-year cells.
    #[error("{first} and {second} overlap on {cells} supplier-recipient-year cells (e.g. {example}); read one of them, not both")]
    Overlap { first: PathBuf, second: PathBuf, cells: usize, example: String },

    /// A query asks for years outside the years a dataset covers (its coverage: the inclusive
    /// span of years its rows span, fixed when it was read). Nothing is invented outside them:
    /// no zeros, no empty table, no total computed over fewer years than the label says.
    #[error("{dataset} covers {}; {what} asks for {requested}, which reaches {}: no value is invented outside the years a dataset covers", show_coverage(.coverage), outside(.coverage, .requested))]
    Coverage {
        /// The dataset (file or folder name, or what it was built from).
        dataset: String,
        /// The years it covers (`None`: it holds no year at all).
        coverage: Option<Period>,
        /// The period that was asked for.
        requested: Period,
        /// The query, e.g. `exporters(2020-2024)` or `the comparison period of exporters`.
        what: String,
    },

    /// A caller passed an argument that cannot be used (an empty period, a ledger without the
    /// breakdown a metric needs, ...).
    #[error("{0}")]
    InvalidArgument(String),
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::from("; no similar name is known")
    } else {
        format!("; did you mean {}?", s.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", "))
    }
}

fn show_coverage(c: &Option<Period>) -> String {
    match c {
        Some(p) => p.to_string(),
        None => "no year (it holds no rows)".into(),
    }
}

/// The years of `r` outside `c`, as `1987-1994` or `2024` (or both ends: `1949 and 2024`).
fn outside(c: &Option<Period>, r: &Period) -> String {
    let Some(c) = c else { return r.to_string() };
    if r.end < c.start || r.start > c.end {
        return format!("{r} (all of it)");
    }
    let mut parts = Vec::new();
    if r.start < c.start {
        parts.push(Period { start: r.start, end: c.start - 1 }.to_string());
    }
    if r.end > c.end {
        parts.push(Period { start: c.end + 1, end: r.end }.to_string());
    }
    parts.join(" and ")
}

impl Error {
    /// Fail with [`Error::Coverage`] unless `requested` lies within `coverage`.
    pub fn check_coverage(dataset: &str, coverage: Option<Period>, requested: Period, what: &str) -> Result<()> {
        match coverage {
            Some(c) if c.start <= requested.start && requested.end <= c.end => Ok(()),
            _ => Err(Error::Coverage { dataset: dataset.to_string(), coverage, requested, what: what.to_string() }),
        }
    }

    /// Shorthand for [`Error::InvalidArgument`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidArgument(msg.into())
    }
}
