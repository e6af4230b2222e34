//! What the text-reader targets share (each target is a crate of its own and takes this module
//! with `mod common;`): the input as the text of a file `fuzz.csv`, given to one reader.
#![allow(dead_code)] // each target uses a part of it

use powerbalance_core::Error;
use std::path::Path;

/// A reader of a file's text, its result dropped.
pub type Parse = fn(&str, &Path) -> Result<(), Error>;

/// `bytes` (lossy UTF-8) as the text of `fuzz.csv`, read by `parse`: no panic, and an error
/// formats.
pub fn parse_text(bytes: &[u8], parse: Parse) {
    let text = String::from_utf8_lossy(bytes);
    if let Err(e) = parse(&text, Path::new("fuzz.csv")) {
        let _ = e.to_string();
    }
}

/// The first byte picks one of `parsers` (its value modulo their number), the rest is the text
/// given to it as in [`parse_text`].
pub fn parse_text_with_one_of(data: &[u8], parsers: &[Parse]) {
    let Some((&sel, bytes)) = data.split_first() else { return };
    parse_text(bytes, parsers[usize::from(sel) % parsers.len()]);
}
