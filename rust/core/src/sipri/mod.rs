//! Readers for every SIPRI Arms Transfers Database export layout, detected from the file itself.
//!
//! Entry point: [`read_sipri`] takes a file or a folder.

use crate::actors::ActorRegistry;
use crate::error::Result;
use crate::ledger::Ledger;
use std::path::Path;

/// Read a SIPRI export (any known layout) or a folder of them into a [`Ledger`].
pub fn read_sipri(path: &Path) -> Result<Ledger> {
    read_sipri_with(path, ActorRegistry::builtin())
}

/// As [`read_sipri`], starting from the given registry.
pub fn read_sipri_with(path: &Path, registry: ActorRegistry) -> Result<Ledger> {
    let _ = (path, registry);
    Err(crate::Error::invalid("SIPRI readers are being written"))
}
