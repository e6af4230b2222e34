//! Text decoding: the one way a reader turns a file's bytes into text.
//!
//! **Policy.** A file is read as UTF-8; a leading byte-order mark is dropped. What happens to a
//! file that is not valid UTF-8 is the reader's choice, given as a [`NotUtf8`]:
//!
//! - [`NotUtf8::Refuse`] (the COW-style sheets: NMC, states, majors, alliances, ideal points,
//!   SIPRI military expenditure, GDP): an [`Error::Encoding`] at the first bad byte;
//! - [`NotUtf8::Latin1If`] (SIPRI's trade exports, whose classic register is ISO-8859-1): the
//!   bytes are decoded as Latin-1 only when the test says the file looks like one of those exports
//!   *and* the file holds no valid UTF-8 multi-byte character at all. A file that holds UTF-8
//!   characters (`Türkiye`, `Côte d'Ivoire` written as UTF-8) and also bytes that are not UTF-8 is
//!   a UTF-8 file with damaged bytes: decoding it as Latin-1 would turn every one of its non-ASCII
//!   names into new, wrong actors, so it is an [`Error::Encoding`] too.
//!
//! Every encoding error names the file, the line and the column (the 1-based byte in the line,
//! counting a byte-order mark on line 1) of the first bad byte, and the byte's value.
//!
//! A file that is empty or holds only white space is an [`Error::Empty`].

use crate::error::{Error, Result};
use std::borrow::Cow;
use std::path::Path;

/// UTF-8's byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a reader does with bytes that are not UTF-8 (see the module docs).
#[derive(Clone, Copy)]
pub(crate) enum NotUtf8 {
    /// An [`Error::Encoding`].
    Refuse,
    /// Latin-1 when the test says the file is of a kind known to come as Latin-1 and no valid
    /// UTF-8 multi-byte character is in it; `kind` names that kind for the error messages
    /// (`"a SIPRI export"`).
    Latin1If { test: fn(&[u8]) -> bool, kind: &'static str },
}

/// A file's text: UTF-8 bytes without byte-order mark.
pub(crate) struct Text<'a> {
    pub text: Cow<'a, [u8]>,
    /// The bytes were not UTF-8 and were decoded as ISO-8859-1.
    pub latin1: bool,
}

/// Decode borrowed bytes (see the module docs for the policy).
pub(crate) fn decode<'a>(bytes: &'a [u8], path: &Path, not_utf8: NotUtf8) -> Result<Text<'a>> {
    let bom = bom_len(bytes);
    let body = &bytes[bom..];
    match utf8(body) {
        Ok(_) => {
            check_not_blank(body, path)?;
            Ok(Text { text: Cow::Borrowed(body), latin1: false })
        }
        Err(e) => latin1(body, bom, e, path, not_utf8),
    }
}

/// Decode owned bytes without copying valid UTF-8 (see the module docs for the policy).
pub(crate) fn decode_owned(mut bytes: Vec<u8>, path: &Path, not_utf8: NotUtf8) -> Result<Text<'static>> {
    let bom = bom_len(&bytes);
    match utf8(&bytes[bom..]) {
        Ok(_) => {
            check_not_blank(&bytes[bom..], path)?;
            bytes.drain(..bom);
            Ok(Text { text: Cow::Owned(bytes), latin1: false })
        }
        Err(e) => latin1(&bytes[bom..], bom, e, path, not_utf8),
    }
}

/// Read a file through [`crate::input::read_file`] as UTF-8 text, refusing other bytes.
pub(crate) fn read_utf8(path: &Path) -> Result<String> {
    let mut bytes = crate::input::read_file(path)?;
    let bom = bom_len(&bytes);
    bytes.drain(..bom);
    check_not_blank(&bytes, path)?;
    String::from_utf8(bytes).or_else(|e| fallback(e.as_bytes(), bom, e.utf8_error(), path, NotUtf8::Refuse))
}

/// Inputs from this size on are checked for UTF-8 on several threads.
const PARALLEL_UTF8: usize = 4 * 1024 * 1024;

/// Check that `body` is UTF-8: [`std::str::from_utf8`]'s answer. A large body is checked in
/// pieces on [`crate::parallel::threads`] threads, each cut after a `\n` (so a valid body has
/// valid pieces, and valid pieces make a valid body); when a piece is not valid, the whole body
/// is checked again on this thread for the error's position.
fn utf8(body: &[u8]) -> std::result::Result<(), std::str::Utf8Error> {
    let pieces = crate::parallel::threads().min(body.len() / (PARALLEL_UTF8 / 2)).max(1);
    let mut bounds = vec![0];
    for k in 1..pieces {
        let from = (body.len() * k / pieces).max(*bounds.last().unwrap_or(&0));
        if let Some(i) = body.get(from..).and_then(|rest| memchr::memchr(b'\n', rest)) {
            bounds.push(from + i + 1);
        }
    }
    bounds.push(body.len());
    let valid = |w: &[usize]| body.get(w[0]..w[1]).is_some_and(|p| std::str::from_utf8(p).is_ok());
    let all_valid = std::thread::scope(|s| {
        let others: Vec<_> = bounds.windows(2).skip(1).map(|w| s.spawn(move || valid(w))).collect();
        let first = valid(&bounds[..2]);
        others.into_iter().fold(first, |ok, h| h.join().unwrap_or(false) && ok)
    });
    if all_valid {
        Ok(())
    } else {
        std::str::from_utf8(body).map(|_| ())
    }
}

/// `bytes` without a leading byte-order mark.
pub(crate) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

fn check_not_blank(body: &[u8], path: &Path) -> Result<()> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    Ok(())
}

/// [`fallback`] as a [`Text`].
fn latin1(body: &[u8], bom: usize, e: std::str::Utf8Error, path: &Path, not_utf8: NotUtf8) -> Result<Text<'static>> {
    let text = fallback(body, bom, e, path, not_utf8)?;
    Ok(Text { text: Cow::Owned(text.into_bytes()), latin1: true })
}

/// The bytes (BOM removed) that are not UTF-8: decoded as Latin-1 if the policy allows it, else
/// the located error.
fn fallback(body: &[u8], bom: usize, e: std::str::Utf8Error, path: &Path, not_utf8: NotUtf8) -> Result<String> {
    let hint = match not_utf8 {
        NotUtf8::Refuse => "save it as UTF-8".to_string(),
        NotUtf8::Latin1If { test, kind } => {
            if !test(body) {
                format!("the file does not look like {kind} (which may be Latin-1); save it as UTF-8")
            } else {
                let utf8_chars = utf8_multibyte_chars(body);
                if utf8_chars == 0 {
                    return Ok(body.iter().map(|&b| char::from(b)).collect());
                }
                format!(
                    "the file holds {utf8_chars} UTF-8 character(s) elsewhere: it is a UTF-8 file with damaged bytes, not a Latin-1 export (reading it as Latin-1 would turn every non-ASCII name into a wrong actor); repair the byte or save the file as UTF-8"
                )
            }
        }
    };
    Err(encoding_error(body, bom, e.valid_up_to(), path, hint))
}

/// An [`Error::Encoding`] at byte `bad` of `body` (the text after a BOM of `bom` bytes).
fn encoding_error(body: &[u8], bom: usize, bad: usize, path: &Path, hint: String) -> Error {
    let before = body.get(..bad).unwrap_or_default();
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = bad - line_start + 1 + if line == 1 { bom } else { 0 };
    let byte = body.get(bad).copied().unwrap_or_default();
    Error::Encoding {
        path: path.to_path_buf(),
        line,
        column,
        message: format!("byte 0x{byte:02X} is not UTF-8: {hint}"),
    }
}

/// Count the valid UTF-8 multi-byte characters of `bytes`, skipping invalid sequences.
fn utf8_multibyte_chars(bytes: &[u8]) -> usize {
    let lead = |b: &[u8]| b.iter().filter(|&&x| x >= 0xC0).count();
    let mut rest = bytes;
    let mut n = 0;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => return n + lead(rest),
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                n += lead(good);
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                rest = bad.get(skip..).unwrap_or_default();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIPRI: NotUtf8 = NotUtf8::Latin1If { test: |b| b.starts_with(b"SIPRI"), kind: "a SIPRI export" };

    #[test]
    fn the_parallel_utf8_check_answers_as_from_utf8() {
        // 6 MiB of lines with two-byte characters, checked in pieces; then a bad byte, a cut
        // character and a character split across a piece boundary (no line end near it).
        let line = "Côte d'Ivoire,São Tomé,1990,2.5\n";
        let good: Vec<u8> = line.repeat(6 * 1024 * 1024 / line.len()).into_bytes();
        assert!(good.len() > PARALLEL_UTF8);
        assert_eq!(utf8(&good), Ok(()));
        let no_newline: Vec<u8> = "é".repeat(3 * 1024 * 1024).into_bytes();
        assert_eq!(utf8(&no_newline), Ok(()));
        for at in [10, good.len() / 2, good.len() - 3] {
            for bad in [&b"\xFF"[..], b"\xC3"] {
                let mut b = good.clone();
                b.splice(at..at + 1, bad.iter().copied());
                assert_eq!(utf8(&b), std::str::from_utf8(&b).map(|_| ()), "at {at}");
                assert!(utf8(&b).is_err());
            }
        }
    }

    fn located(r: Result<Text<'_>>) -> (usize, usize, String) {
        match r {
            Err(Error::Encoding { line, column, message, .. }) => (line, column, message),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("decoded"),
        }
    }

    #[test]
    fn positions_count_the_bom_on_line_one() {
        let p = Path::new("x.csv");
        assert_eq!(located(decode(b"abc\nde\xfffg", p, NotUtf8::Refuse)).0, 2);
        assert_eq!(located(decode(b"abc\nde\xfffg", p, NotUtf8::Refuse)).1, 3);
        let (l, c, m) = located(decode(b"\xEF\xBB\xBFa\xe9", p, NotUtf8::Refuse));
        assert_eq!((l, c), (1, 5));
        assert!(m.starts_with("byte 0xE9 is not UTF-8"), "{m}");
        let (l, c, _) = located(decode_owned(b"\xEF\xBB\xBFok\nx\xff".to_vec(), p, NotUtf8::Refuse));
        assert_eq!((l, c), (2, 2));
    }

    #[test]
    fn latin1_only_for_the_kind_and_without_utf8() {
        let p = Path::new("x.csv");
        let t = decode(b"SIPRI\nS\xe3o Paulo", p, SIPRI).unwrap();
        assert!(t.latin1);
        assert_eq!(std::str::from_utf8(&t.text).unwrap(), "SIPRI\nSão Paulo");
        let (_, _, m) = located(decode(b"other\nS\xe3o Paulo", p, SIPRI));
        assert!(m.contains("does not look like a SIPRI export"), "{m}");
        let (l, c, m) = located(decode(b"SIPRI\nT\xc3\xbcrkiye\nS\xe3o", p, SIPRI));
        assert_eq!((l, c), (3, 2));
        assert!(m.contains("1 UTF-8 character(s)"), "{m}");
    }

    #[test]
    fn bom_dropped_and_blank_is_empty() {
        let p = Path::new("x.csv");
        let t = decode_owned(b"\xEF\xBB\xBFyear\n".to_vec(), p, NotUtf8::Refuse).unwrap();
        assert_eq!(&t.text[..], b"year\n");
        assert!(!t.latin1);
        assert!(matches!(decode(b"\xEF\xBB\xBF \n\t", p, NotUtf8::Refuse), Err(Error::Empty { .. })));
    }
}
