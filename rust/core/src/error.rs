//! The one error type of the core. Every variant carries what a user needs to fix the input.

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
    Format {
        path: PathBuf,
        line: usize,
        message: String,
    },

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
    Overlap {
        first: PathBuf,
        second: PathBuf,
        cells: usize,
        example: String,
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

impl Error {
    /// Shorthand for [`Error::InvalidArgument`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidArgument(msg.into())
    }
}
