//! powerbalance-core: data models, readers and balance-of-power metrics.
//!
//! Data flow: a file -> a reader ([`sipri`]) -> an in-memory model ([`ledger::Ledger`], actors
//! interned in an [`actors::ActorRegistry`]) -> metrics ([`metrics`], pure functions of a model
//! and a [`period::Period`]) -> a result [`table::Table`] (Arrow).

pub mod actors;
pub mod capabilities;
pub mod deals;
pub mod error;
pub mod format;
mod fxhash;
pub mod gdp;
pub mod input;
pub mod io;
pub mod ledger;
pub mod ledger_ipc;
pub mod metrics;
pub mod milex;
pub mod names;
pub mod panels;
pub mod parallel;
pub mod period;
pub mod relations;
pub mod scenario;
pub mod sipri;
pub mod sweep;
pub mod table;

pub use actors::{Actor, ActorId, ActorKind, ActorRegistry};
pub use error::{Error, Result};
pub use ledger::{Coverage, Deal, FileReport, Ledger, LoadReport, SipriFormat};
pub use period::{Covered, Period, Year, YEARS};
pub use table::{Table, TableBuilder};
