//! The deal detail of a ledger, built on first use.
//!
//! A trade register carries, for every row, the deal it belongs to: an id, four texts
//! (designation, description, armament category, status), numbers and flags. Most work on a
//! ledger (the fact sheet, shares, panels, what-ifs on TIV) never looks at them, and building
//! four `String`s per row cost about a third of a register read. So the register reader
//! validates every field of every row as before (a bad `Order date` is still an error at read
//! time, with its line and column), keeps the parsed numbers and flags in a compact
//! [`DealHead`] and the texts in one byte arena, and [`Deals`] turns them into [`Deal`] values
//! the first time anyone asks ([`Deals::as_slice`], or through `Deref`). Building cannot fail:
//! everything was checked when the file was read.
//!
//! A ledger shares its `Arc<Deals>` with the what-ifs made from it, so the detail is built at
//! most once for all of them.

use serde::{Deserialize, Serialize, Serializer};
use std::ops::Deref;
use std::sync::{Mutex, OnceLock, PoisonError};

/// The deal detail that the registers carry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Deal {
    /// `SIPRI AT Database ID` (new-format registers only).
    pub sipri_id: Option<u64>,
    pub designation: String,
    pub description: String,
    /// `Armament category` (new format); empty in the classic register.
    pub category: String,
    pub order_year: Option<i32>,
    pub order_year_estimated: bool,
    /// Number ordered (classic register only).
    pub number_ordered: Option<f64>,
    pub number_ordered_estimated: bool,
    /// Numbers delivered in this row (new format: in the row's year; classic: in total).
    pub numbers_delivered: Option<f64>,
    pub numbers_delivered_estimated: bool,
    pub delivery_year_estimated: bool,
    pub status: String,
    /// `SIPRI estimate` / `SIPRI TIV per unit`: TIV of one new item.
    pub tiv_unit: Option<f64>,
    /// `TIV deal unit`: the per-unit TIV used for this deal (second-hand items discounted).
    pub tiv_deal_unit: Option<f64>,
    /// `SIPRI TIV for total order` (classic register only).
    pub tiv_order: Option<f64>,
    pub local_production: bool,
    pub comments: String,
}

/// A register row's deal detail with its texts left in a [`DealText`] arena; 64 bytes (absent
/// values as sentinels that no valid field can hold: ids are below 2^53, numbers are finite,
/// years are 1900-2100).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DealHead {
    /// `u64::MAX`: none.
    pub sipri_id: u64,
    /// NaN: none (numbers delivered, TIV per unit, TIV deal unit).
    pub numbers: [f64; 3],
    /// Offset of the first text in the arena; the four texts follow each other.
    pub text_at: usize,
    /// Lengths of designation, description, category and status.
    pub text_len: [u32; 4],
    /// 0: none.
    pub order_year: i16,
    /// Bits: [`ORDER_YEAR_EST`], [`NUMBERS_EST`], [`DELIVERY_YEAR_EST`], [`LOCAL`].
    pub flags: u8,
}

impl DealHead {
    pub fn new(sipri_id: Option<u64>, order_year: Option<i32>, numbers: [Option<f64>; 3], flags: u8) -> DealHead {
        DealHead {
            sipri_id: sipri_id.unwrap_or(u64::MAX),
            numbers: numbers.map(|x| x.unwrap_or(f64::NAN)),
            text_at: 0,
            text_len: [0; 4],
            order_year: order_year.and_then(|y| i16::try_from(y).ok()).unwrap_or(0),
            flags,
        }
    }
}

pub(crate) const ORDER_YEAR_EST: u8 = 1;
pub(crate) const NUMBERS_EST: u8 = 2;
pub(crate) const DELIVERY_YEAR_EST: u8 = 4;
pub(crate) const LOCAL: u8 = 8;

/// Deal heads and their text arena (UTF-8: the register was validated as UTF-8 and fields are
/// split at ASCII bytes).
#[derive(Debug, Clone, Default)]
pub(crate) struct DealText {
    pub heads: Vec<DealHead>,
    pub text: Vec<u8>,
}

impl DealText {
    /// Build the deals, appending them to `out`.
    fn build_into(self, out: &mut Vec<Deal>) {
        let text = |at: &mut usize, len: u32| -> String {
            let start = *at;
            *at += len as usize;
            let bytes = self.text.get(start..*at).unwrap_or_default();
            String::from_utf8_lossy(bytes).into_owned()
        };
        out.extend(self.heads.iter().map(|h| {
            let mut at = h.text_at;
            let [a, b, c, d] = h.text_len;
            let num = |k: usize| Some(h.numbers[k]).filter(|x| !x.is_nan());
            Deal {
                sipri_id: Some(h.sipri_id).filter(|&x| x != u64::MAX),
                designation: text(&mut at, a),
                description: text(&mut at, b),
                category: text(&mut at, c),
                order_year: Some(i32::from(h.order_year)).filter(|&y| y != 0),
                order_year_estimated: h.flags & ORDER_YEAR_EST != 0,
                number_ordered: None,
                number_ordered_estimated: false,
                numbers_delivered: num(0),
                numbers_delivered_estimated: h.flags & NUMBERS_EST != 0,
                delivery_year_estimated: h.flags & DELIVERY_YEAR_EST != 0,
                status: text(&mut at, d),
                tiv_unit: num(1),
                tiv_deal_unit: num(2),
                tiv_order: None,
                local_production: h.flags & LOCAL != 0,
                comments: String::new(),
            }
        }));
    }
}

/// The deals of a ledger: a list of [`Deal`], indexed by [`Ledger::deal`](crate::Ledger),
/// either built or waiting to be built from a register's compact form.
///
/// Reading: `deals.len()` never builds; indexing, `get`, `iter` (through `Deref<Target =
/// [Deal]>`) build once. Changing: [`Deals::to_mut`].
#[derive(Default)]
pub struct Deals {
    len: usize,
    /// Arenas not built yet, in order (one per file part: joining them would copy them).
    pending: Mutex<Vec<DealText>>,
    built: OnceLock<Vec<Deal>>,
}

impl Deals {
    #[cfg(test)]
    pub(crate) fn pending(t: DealText) -> Deals {
        Deals::pending_parts(vec![t])
    }

    /// Deals waiting to be built from several arenas, in order.
    pub(crate) fn pending_parts(parts: Vec<DealText>) -> Deals {
        Deals { len: parts.iter().map(|t| t.heads.len()).sum(), pending: Mutex::new(parts), built: OnceLock::new() }
    }

    /// Number of deals (without building them).
    pub fn len(&self) -> usize {
        self.built.get().map_or(self.len, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True once the deals exist as [`Deal`] values.
    pub fn is_built(&self) -> bool {
        self.built.get().is_some()
    }

    /// The deals, built on first use.
    pub fn as_slice(&self) -> &[Deal] {
        self.built.get_or_init(|| build(self.take_pending(), self.len))
    }

    fn take_pending(&self) -> Vec<DealText> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The deals as a vector to change (built first if need be).
    pub fn to_mut(&mut self) -> &mut Vec<Deal> {
        self.as_slice();
        // `as_slice` initialised `built` just above.
        self.built.get_mut().expect("deals built")
    }

    /// Append other deals. Two pending stores stay pending (their arenas are kept side by
    /// side, not copied).
    pub fn extend(&mut self, other: Deals) {
        if self.built.get().is_none() && other.built.get().is_none() {
            let add = other.len;
            let theirs = other.pending.into_inner().unwrap_or_else(PoisonError::into_inner);
            self.pending.get_mut().unwrap_or_else(PoisonError::into_inner).extend(theirs);
            self.len += add;
            return;
        }
        let add = other.into_vec();
        self.to_mut().extend(add);
    }

    /// The deals as an owned vector.
    pub fn into_vec(self) -> Vec<Deal> {
        match self.built.into_inner() {
            Some(v) => v,
            None => {
                let len = self.len;
                build(self.pending.into_inner().unwrap_or_else(PoisonError::into_inner), len)
            }
        }
    }
}

/// Build the deals of `parts`, in order.
fn build(parts: Vec<DealText>, len: usize) -> Vec<Deal> {
    let mut out = Vec::with_capacity(len);
    for p in parts {
        p.build_into(&mut out);
    }
    out
}

impl From<Vec<Deal>> for Deals {
    fn from(v: Vec<Deal>) -> Deals {
        Deals { len: v.len(), pending: Mutex::new(Vec::new()), built: OnceLock::from(v) }
    }
}

impl Deref for Deals {
    type Target = [Deal];
    fn deref(&self) -> &[Deal] {
        self.as_slice()
    }
}

impl Clone for Deals {
    fn clone(&self) -> Deals {
        // Look at `built` under the lock: a build takes the pending arenas before it sets it.
        let pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        match self.built.get() {
            Some(v) => Deals::from(v.clone()),
            None if !pending.is_empty() || self.len == 0 => Deals::pending_parts(pending.clone()),
            None => {
                // Being built by another thread right now: wait for it.
                drop(pending);
                Deals::from(self.as_slice().to_vec())
            }
        }
    }
}

impl std::fmt::Debug for Deals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deals").field("len", &self.len).field("built", &self.is_built()).finish()
    }
}

impl Serialize for Deals {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_is_compact() {
        assert_eq!(std::mem::size_of::<DealHead>(), 64);
    }

    fn text(n: usize, word: &str) -> DealText {
        let mut t = DealText::default();
        for i in 0..n {
            let mut h = DealHead::new(Some(i as u64), Some(2000), [Some(1.5), None, Some(0.0)], ORDER_YEAR_EST | LOCAL);
            h.text_at = t.text.len();
            for (k, s) in [word, "tank", "Armoured vehicles", ""].iter().enumerate() {
                h.text_len[k] = s.len() as u32;
                t.text.extend_from_slice(s.as_bytes());
            }
            t.heads.push(h);
        }
        t
    }

    #[test]
    fn built_on_first_use_once() {
        let d = Deals::pending(text(3, "T-90S"));
        assert_eq!(d.len(), 3);
        assert!(!d.is_built());
        let shared = std::sync::Arc::new(d);
        let other = std::sync::Arc::clone(&shared);
        assert_eq!(shared[1].sipri_id, Some(1));
        assert!(other.is_built(), "a what-if sharing the deals sees them built");
        let x = &other[2];
        assert_eq!(
            (x.designation.as_str(), x.description.as_str(), x.category.as_str(), x.status.as_str()),
            ("T-90S", "tank", "Armoured vehicles", "")
        );
        assert_eq!(
            (x.order_year, x.numbers_delivered, x.tiv_unit, x.tiv_deal_unit),
            (Some(2000), Some(1.5), None, Some(0.0))
        );
        assert!(
            x.order_year_estimated
                && x.local_production
                && !x.numbers_delivered_estimated
                && !x.delivery_year_estimated
        );
    }

    #[test]
    fn extend_keeps_pending_and_order() {
        let mut a = Deals::pending(text(2, "a"));
        a.extend(Deals::pending(text(3, "bb")));
        assert!(!a.is_built());
        assert_eq!(a.len(), 5);
        let c = a.clone();
        assert_eq!(a.iter().map(|d| d.designation.as_str()).collect::<Vec<_>>(), ["a", "a", "bb", "bb", "bb"]);
        // A built side: the result is built, in order.
        let mut b = Deals::from(vec![Deal { designation: "x".into(), ..Deal::default() }]);
        b.extend(c);
        assert!(b.is_built());
        assert_eq!(b.iter().map(|d| d.designation.as_str()).collect::<Vec<_>>(), ["x", "a", "a", "bb", "bb", "bb"]);
        let mut e = Deals::default();
        e.extend(Deals::pending(text(1, "z")));
        assert_eq!((e.len(), e[0].designation.as_str()), (1, "z"));
        e.to_mut().push(Deal::default());
        assert_eq!(e.len(), 2);
        assert_eq!(serde_json::to_string(&e).unwrap(), serde_json::to_string(&e.as_slice()).unwrap());
    }
}
