//! powerbalance-core: data models, readers and balance-of-power metrics.
//!
//! Data flow: a file -> a reader ([`sipri`]) -> an in-memory model ([`ledger::Ledger`], actors
//! interned in an [`actors::ActorRegistry`]) -> metrics ([`metrics`], pure functions of a model
//! and a [`period::Period`]) -> a result [`table::Table`] (Arrow).
//!
//! The modules, by layer:
//!
//! - reading: [`input`] is the one way a file is read (regular files of at most 64 MiB, lines of
//!   at most 64 KiB, the year and COW-code ranges), `input::text` the one decoder (UTF-8, BOM,
//!   SIPRI's Latin-1 exports) and `input::sheet` the sheet with required columns and typed,
//!   located cells that every COW-style reader uses; [`io`] writes and reads back ledgers and
//!   tables (Arrow IPC, CSV through arrow-csv);
//! - concepts, each with its readers and its model: [`sipri`] -> [`ledger`] and [`deals`]
//!   (arms transfers); [`capabilities`] (COW NMC, states and majors, [`capabilities::milex`],
//!   [`capabilities::gdp`]); [`relations`] (alliances, UN ideal points); [`panels`] (dyad-years);
//!   [`actors`] and [`period`] are shared by all;
//! - computing: [`metrics`] (pure functions of a model and a period) and [`scenario`]
//!   (what-ifs: a model in, a model out);
//! - results: [`table`] (Arrow tables and their builder) and [`format`] (the one printer);
//!   [`error`] is the one error enum.

pub mod actors;
pub mod capabilities;
pub mod deals;
pub mod error;
pub mod format;
pub mod input;
pub mod io;
pub mod ledger;
pub mod ledger_ipc;
pub mod metrics;
pub mod names;
pub mod panels;
pub mod parallel;
pub mod period;
pub mod relations;
pub mod scenario;
pub mod sipri;
pub mod sweep;
pub mod table;
#[cfg(test)]
mod testing;

// Military expenditure and GDP are capabilities; `powerbalance_core::{gdp, milex}` stay as short
// paths (the PyO3 glue and the Rhai packages use them).
pub use capabilities::{gdp, milex};

pub use actors::{Actor, ActorId, ActorKind, ActorRegistry};
pub use deals::Deal;
pub use error::{Error, Result};
pub use ledger::{Coverage, FileReport, Ledger, LoadReport, SipriFormat};
pub use period::{Covered, Period, Year, YEARS};
pub use table::{Table, TableBuilder};
