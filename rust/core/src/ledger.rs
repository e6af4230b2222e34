//! The transfer ledger: deliveries of major arms as SIPRI TIV, by supplier, recipient and year.
//!
//! # Coverage: the years a ledger covers
//!
//! A ledger *covers* the inclusive span of years from the first to the last year of its rows
//! ([`Ledger::years`], a [`Covers`]). It is fixed when the data is read: for one file, the
//! years of the file's entries; for a folder, the union span of its files (the 2024 register's
//! `1950-1989` and `1990-2023` files cover 1950-2023). It is *not* what a register's heading
//! announces: the 2026 register's heading says 1995-2025 but it holds no 2025 delivery, so it
//! covers 1995-2024. A TIV table (per supplier, "All", values) is a grid whose rows span its
//! year columns, an empty cell being SIPRI's "no delivery": it covers its year columns (a
//! Russian table headed 1950-2021 covers 1950-2021 even when its 2021 column is empty).
//!
//! The coverage then travels unchanged with the data: a scenario's what-if ledger
//! ([`crate::scenario::Scenario::apply`]) covers what its baseline covers, whatever the
//! scenario adds or removes; [`Ledger::follow_succession`] keeps it; [`Ledger::concat`] and
//! [`Ledger::append`] give the union span of the parts; an Arrow IPC file of [`crate::io`] carries
//! it in its schema metadata and gives it back; a CSV file has no place for it, and the ledger
//! read back covers the years of its rows (the same for a ledger as read). A
//! ledger built in memory with [`Ledger::push`] and no [`Covers`] covers the years of its
//! rows.
//!
//! Every query that takes a period (the fact-sheet tables and their comparison period, TIV by
//! supplier, recipient or dyad, a recipient's suppliers, a supplier's clients, the series, the
//! world total, the dependence metrics, net-exporter status) checks it against the coverage
//! first and fails with [`Error::Coverage`], which names both, when the period reaches outside:
//! asked for 2020-2024 of a ledger covering 1950-2023, it does not compute 2020-2023 under the
//! 2020-2024 label. Inside the coverage a year without deliveries is a real zero. A series
//! asked for without a period spans the coverage.

use crate::actors::{ActorId, ActorRegistry};
use crate::deals::Deals;
use crate::error::{Error, Result};
use crate::period::Period;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Supplier-recipient-year cells, hashed with FxHash (the keys are small integers).
type CellSet = FxHashSet<(ActorId, ActorId, i32)>;
use std::sync::Arc;

/// What breakdown a ledger holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// Supplier x recipient x year (registers, per-supplier TIV tables, long tables).
    Dyadic,
    /// Exports by supplier and year only (`TIV-Export-All`, SIPRI's `export-values`); every
    /// entry's recipient is the aggregate `World` actor.
    ExportTotals,
    /// Imports by recipient and year only (`TIV-Import-All`, `import-values`); every entry's
    /// supplier is the aggregate `World` actor.
    ImportTotals,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Dyadic => "dyadic",
            Coverage::ExportTotals => "export-totals",
            Coverage::ImportTotals => "import-totals",
        }
    }
}

/// The SIPRI file layouts the readers know, detected from the file itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SipriFormat {
    /// The per-delivery-year trade register (17 columns after an 11-line preamble), as the
    /// database's CSV export gives it since 2023. The 2026 variant ends every line with `;`.
    TradeRegister,
    /// The classic one-row-per-deal trade register (Latin-1; `Year(s) of delivery` a list).
    ClassicRegister,
    /// A wide TIV table: recipients (or suppliers) by year, for one supplier (`TIV-Export-CHI`),
    /// with or without SIPRI's preamble.
    WideTable,
    /// A wide "All" table: totals by year for every supplier (`TIV-Export-All`) or recipient
    /// (`TIV-Import-All`), with or without preamble.
    AllTable,
    /// A long table (`Export_From, Import_To, Year, TIV` or `Import_To, Export_From, Year, TIV`).
    LongTable,
    /// SIPRI's official totals (`export-values_*.csv`, `import-values_*.csv`).
    ValuesTable,
    /// SIPRI's list of country codes (not transfer data; skipped when a folder is read).
    CountryList,
}

impl SipriFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SipriFormat::TradeRegister => "trade-register",
            SipriFormat::ClassicRegister => "classic-register",
            SipriFormat::WideTable => "wide-table",
            SipriFormat::AllTable => "all-table",
            SipriFormat::LongTable => "long-table",
            SipriFormat::ValuesTable => "values-table",
            SipriFormat::CountryList => "country-list",
        }
    }
}

/// The years a ledger covers and the dataset they belong to (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Covers {
    /// What the ledger was read from: the file or folder name (`register_newformat_2024`).
    pub dataset: String,
    /// First and last year of the rows read, inclusive.
    pub years: Period,
}

/// A row of the input that did not become a ledger entry, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Skip {
    /// 1-based line number in the file.
    pub line: usize,
    /// Why the row was not read: "totals row", "row-total column", "note", "open order (no
    /// deliveries yet)", "blank line", ...
    pub reason: String,
}

/// What a reader did with one file. Every data row of the file is either read or in `skipped`:
/// `rows_read + skipped.len() == data_rows`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileReport {
    pub path: PathBuf,
    pub format: SipriFormat,
    pub coverage: Coverage,
    /// The `Generated:`/`Data generated:` date of SIPRI's preamble, when the file has one.
    pub generated: Option<String>,
    /// The title line of the preamble, when the file has one.
    pub title: Option<String>,
    /// Lines of preamble before the header (0 when the uploader stripped it).
    pub preamble_lines: usize,
    /// Data rows below the header (blank lines included, each accounted for).
    pub data_rows: usize,
    /// Rows that gave ledger entries (a wide-table row gives one entry per non-empty year cell).
    pub rows_read: usize,
    /// Ledger entries produced.
    pub entries: usize,
    /// Rows not read, each with its reason.
    pub skipped: Vec<Skip>,
    /// Names met in the file that the built-in registry does not know (interned as new actors).
    pub new_actors: Vec<String>,
    /// Other remarks (e.g. "annual TIV spread evenly over the listed delivery years").
    pub notes: Vec<String>,
    /// Rows read although they repeat an earlier row of the file exactly, as `(line, earlier
    /// line)`. Only the classic register (no deal id) keeps such rows: identical lines there
    /// are most likely separate deals of the same kind. In the formats with deal ids a repeated
    /// (deal id, delivery year) is an [`Error::Parse`] instead.
    #[serde(default)]
    pub repeated: Vec<(usize, usize)>,
}

/// The load report of a ledger: one [`FileReport`] per file read, plus files skipped whole
/// when a folder was read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadReport {
    pub files: Vec<FileReport>,
    /// Files of a folder that were not merged, with the reason (a country list, a totals table
    /// beside dyadic files, ...).
    pub files_skipped: Vec<(PathBuf, String)>,
}

/// Deliveries of major arms in SIPRI TIV (millions), one entry per supplier, recipient and
/// year (and deal, where the source has deals). Columnar: the four vectors have one element
/// per entry.
#[derive(Debug, Clone)]
pub struct Ledger {
    pub registry: Arc<ActorRegistry>,
    pub supplier: Vec<ActorId>,
    pub recipient: Vec<ActorId>,
    pub year: Vec<i32>,
    /// TIV in millions. In SIPRI's TIV tables a `0` means 0 < TIV < 0.5.
    pub tiv: Vec<f64>,
    /// Index into `deals` for each entry, or `u32::MAX` when the source has no deal detail.
    pub deal: Vec<u32>,
    /// Shared between a ledger and the what-ifs made from it; copied only when one of them
    /// changes it (`Arc::make_mut`). A register's deals are built on first use ([`Deals`]).
    pub deals: Arc<Deals>,
    pub coverage: Coverage,
    /// True when annual values are an estimate (the classic register gives deal totals over
    /// a list of delivery years; the reader spreads them evenly).
    pub annual_estimated: bool,
    pub report: LoadReport,
    /// The years the ledger covers, fixed when it was read (see the module doc); `None` for a
    /// ledger built in memory, which covers the years of its rows.
    pub covers: Option<Covers>,
    /// Orders with no delivery yet (the classic register's rows without a year of delivery):
    /// no entry, since nothing was delivered, but their deal in `deals` (see
    /// [`crate::metrics::arms_views::orders`]).
    pub open_orders: Vec<OpenOrder>,
}

/// An order without deliveries: the parties and the index of its deal in [`Ledger::deals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpenOrder {
    pub supplier: ActorId,
    pub recipient: ActorId,
    pub deal: u32,
}

/// The largest TIV (millions) one value of a SIPRI file may hold: 1e6, a million million TIV.
/// The largest value in every SIPRI file of the project's data is 18,041 (one year of Soviet
/// exports in `TIV-Export-All`); the largest per-delivery figure of a register is about 2,150.
/// A value above this bound is a corrupt file, and would make sums overflow to infinity and
/// shares to 0; the readers refuse it with [`Error::Parse`], as they refuse a non-finite value.
pub const MAX_TIV: f64 = 1e6;

/// Marker in [`Ledger::deal`] for entries without deal detail.
pub const NO_DEAL: u32 = u32::MAX;

impl Ledger {
    /// An empty ledger over a registry.
    pub fn empty(registry: Arc<ActorRegistry>, coverage: Coverage) -> Self {
        Ledger {
            registry,
            supplier: Vec::new(),
            recipient: Vec::new(),
            year: Vec::new(),
            tiv: Vec::new(),
            deal: Vec::new(),
            deals: Arc::new(Deals::default()),
            coverage,
            annual_estimated: false,
            report: LoadReport::default(),
            covers: None,
            open_orders: Vec::new(),
        }
    }

    /// A dyadic ledger over the built-in registry from `(supplier, recipient, year, tiv)` rows
    /// (for unit tests: panics on an unknown name).
    #[cfg(test)]
    pub(crate) fn from_names(rows: &[(&str, &str, i32, f64)]) -> Ledger {
        let r = ActorRegistry::builtin().clone();
        let ids: Vec<_> =
            rows.iter().map(|(s, c, y, t)| (r.resolve(s).unwrap(), r.resolve(c).unwrap(), *y, *t)).collect();
        let mut l = Ledger::empty(Arc::new(r), Coverage::Dyadic);
        for (s, c, y, t) in ids {
            l.push(s, c, y, t, NO_DEAL);
        }
        l
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.tiv.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tiv.is_empty()
    }

    /// Append one entry.
    #[inline]
    pub fn push(&mut self, supplier: ActorId, recipient: ActorId, year: i32, tiv: f64, deal: u32) {
        self.supplier.push(supplier);
        self.recipient.push(recipient);
        self.year.push(year);
        self.tiv.push(tiv);
        self.deal.push(deal);
    }

    /// First and last year with an entry, or `None` for an empty ledger.
    pub fn span(&self) -> Option<Period> {
        let min = *self.year.iter().min()?;
        let max = *self.year.iter().max()?;
        Some(Period { start: min, end: max })
    }

    /// The years the ledger covers: [`Covers::years`], else the span of its rows (`None` for
    /// an empty ledger built in memory).
    pub fn years(&self) -> Option<Period> {
        self.covers.as_ref().map(|c| c.years).or_else(|| self.span())
    }

    /// The name of the dataset for messages: [`Covers::dataset`], else the first file read,
    /// else "this ledger".
    pub fn dataset(&self) -> String {
        if let Some(c) = &self.covers {
            return c.dataset.clone();
        }
        match self.report.files.first() {
            Some(f) => f
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| f.path.display().to_string()),
            None => "this ledger".into(),
        }
    }

    /// Fix the coverage to the years of the rows now held, under the name `dataset` (what the
    /// readers do once a file or folder is read). Years a reader found stated in the file (the
    /// year columns of a TIV table) are kept: the coverage is the union span of both.
    pub fn set_covers_from_rows(&mut self, dataset: impl Into<String>) {
        let stated = self.covers.as_ref().map(|c| c.years);
        let years = match (stated, self.span()) {
            (Some(a), Some(b)) => Some(Period { start: a.start.min(b.start), end: a.end.max(b.end) }),
            (a, b) => a.or(b),
        };
        self.covers = years.map(|years| Covers { dataset: dataset.into(), years });
    }

    /// Fail with [`Error::Coverage`] unless `p` lies within the years the ledger covers.
    /// `what` names the query in the message (`exporters(2020-2024)`).
    pub fn check_years(&self, p: Period, what: &str) -> Result<()> {
        Error::check_coverage(&self.dataset(), self.years(), p, what)
    }

    /// `years` when given (checked against the coverage), else the whole coverage.
    pub fn years_or_all(&self, years: Option<Period>, what: &str) -> Result<Period> {
        match years {
            Some(p) => self.check_years(p, what).map(|_| p),
            None => self.years().ok_or_else(|| Error::Coverage {
                dataset: self.dataset(),
                coverage: None,
                requested: Period { start: 1, end: 9999 },
                what: what.to_string(),
            }),
        }
    }

    /// Sum of TIV over all entries in `period` (the world total), after checking that the
    /// ledger covers `period` ([`Ledger::check_years`]).
    pub fn total(&self, period: Period) -> Result<f64> {
        self.check_years(period, &format!("total({period})"))?;
        Ok(self.sum_in(period))
    }

    /// Sum of TIV over the entries in `period`, without the coverage check (for metrics that
    /// have checked their period already). Summed in order; with every entry finite and at most
    /// [`MAX_TIV`] the sum cannot overflow.
    pub fn sum_in(&self, period: Period) -> f64 {
        self.year.iter().zip(&self.tiv).filter(|(y, _)| period.contains(**y)).map(|(_, t)| *t).sum()
    }

    /// Resolve an actor name against this ledger's registry.
    pub fn resolve(&self, name: &str) -> Result<ActorId> {
        self.registry.resolve(name)
    }

    /// Fail unless the ledger has a supplier x recipient breakdown.
    pub fn require_dyadic(&self, what: &str) -> Result<()> {
        if self.coverage == Coverage::Dyadic {
            Ok(())
        } else {
            let files: Vec<String> = self.report.files.iter().map(|f| f.path.display().to_string()).collect();
            Err(Error::invalid(format!(
                "{what} needs supplier-by-recipient data, but this ledger holds {} only (from {}); read a trade register or per-supplier TIV tables instead",
                self.coverage.as_str(),
                files.join(", ")
            )))
        }
    }

    /// A new ledger in which every actor with a successor link is replaced by its latest
    /// successor (the Soviet Union's deliveries become Russia's). The original is unchanged.
    pub fn follow_succession(&self) -> Ledger {
        let r = &self.registry;
        let map = |v: &Vec<ActorId>| v.iter().map(|a| r.latest_successor(*a)).collect::<Vec<_>>();
        let open_orders = self
            .open_orders
            .iter()
            .map(|o| OpenOrder {
                supplier: r.latest_successor(o.supplier),
                recipient: r.latest_successor(o.recipient),
                ..*o
            })
            .collect();
        Ledger { supplier: map(&self.supplier), recipient: map(&self.recipient), open_orders, ..self.clone() }
    }

    /// Append another ledger's entries (same registry, same coverage). Fails when both cover the
    /// same supplier-recipient-year cell, which would count a delivery twice.
    ///
    /// The result covers the union span of both ledgers' years.
    pub fn append(&mut self, other: Ledger) -> Result<()> {
        let keys = self.cell_keys();
        self.check_append(&keys, &other)?;
        self.extend_checked(other);
        Ok(())
    }

    /// Concatenate ledgers read from several files into one, in order, with the checks of
    /// [`Ledger::append`]. The cells seen so far are kept in one set that grows with each part,
    /// so a folder of many files costs one pass over its entries, not one per file.
    ///
    /// Parts whose years do not overlap (a register's 1950-1989 and 1990-2023 files) cannot share
    /// a cell, so their cells are not compared.
    ///
    /// The result covers the union span of the parts' years (the first part's dataset name).
    pub fn concat(parts: Vec<Ledger>) -> Result<Ledger> {
        let spans: Vec<Option<Period>> = parts.iter().map(Ledger::span).collect();
        let disjoint = spans.iter().enumerate().all(|(i, a)| {
            spans[i + 1..].iter().all(|b| match (a, b) {
                (Some(a), Some(b)) => a.end < b.start || b.end < a.start,
                _ => true,
            })
        });
        let mut parts = parts.into_iter();
        let Some(mut ledger) = parts.next() else {
            return Err(Error::invalid("no ledgers to concatenate"));
        };
        let rest: Vec<Ledger> = parts.collect();
        let total = ledger.len() + rest.iter().map(Ledger::len).sum::<usize>();
        ledger.reserve_exact(total - ledger.len());
        let mut keys = if disjoint { CellSet::default() } else { ledger.cell_keys() };
        for p in rest {
            if disjoint {
                ledger.check_compatible(&p)?;
            } else {
                ledger.check_append(&keys, &p)?;
                keys.extend((0..p.len()).map(|i| (p.supplier[i], p.recipient[i], p.year[i])));
            }
            ledger.extend_checked(p);
        }
        Ok(ledger)
    }

    fn reserve_exact(&mut self, n: usize) {
        self.supplier.reserve_exact(n);
        self.recipient.reserve_exact(n);
        self.year.reserve_exact(n);
        self.tiv.reserve_exact(n);
        self.deal.reserve_exact(n);
    }

    fn cell_keys(&self) -> CellSet {
        (0..self.len()).map(|i| (self.supplier[i], self.recipient[i], self.year[i])).collect()
    }

    /// Same registry, same coverage.
    fn check_compatible(&self, other: &Ledger) -> Result<()> {
        if !Arc::ptr_eq(&self.registry, &other.registry) {
            return Err(Error::invalid("cannot append ledgers built over different actor registries"));
        }
        if self.coverage != other.coverage {
            return Err(Error::invalid(format!(
                "cannot append a {} ledger to a {} ledger",
                other.coverage.as_str(),
                self.coverage.as_str()
            )));
        }
        Ok(())
    }

    /// The checks of [`Ledger::append`]: [`Ledger::check_compatible`], and no cell of `other`
    /// among `keys` (the cells of `self`).
    fn check_append(&self, keys: &CellSet, other: &Ledger) -> Result<()> {
        self.check_compatible(other)?;
        let mut overlap = 0usize;
        let mut example = None;
        let mut seen = CellSet::default();
        for i in 0..other.len() {
            let k = (other.supplier[i], other.recipient[i], other.year[i]);
            if keys.contains(&k) && seen.insert(k) {
                overlap += 1;
                example.get_or_insert(k);
            }
        }
        match example {
            None => Ok(()),
            Some((s, rcp, y)) => {
                let path = |l: &Ledger| l.report.files.first().map(|f| f.path.clone()).unwrap_or_default();
                Err(Error::Overlap {
                    first: path(self),
                    second: path(other),
                    cells: overlap,
                    example: format!("{} -> {} in {}", self.registry.name(s), self.registry.name(rcp), y),
                })
            }
        }
    }

    /// Move `other`'s entries, deals and report in (after [`Ledger::check_append`]).
    fn extend_checked(&mut self, other: Ledger) {
        let dataset = self.dataset();
        self.covers = match (self.years(), other.years()) {
            (Some(a), Some(b)) => {
                Some(Covers { dataset, years: Period { start: a.start.min(b.start), end: a.end.max(b.end) } })
            }
            (a, b) => a.or(b).map(|years| Covers { dataset, years }),
        };
        let offset = self.deals.len() as u32;
        self.supplier.extend(other.supplier);
        self.recipient.extend(other.recipient);
        self.year.extend(other.year);
        self.tiv.extend(other.tiv);
        self.deal.extend(other.deal.into_iter().map(|d| if d == NO_DEAL { d } else { d + offset }));
        self.open_orders.extend(other.open_orders.into_iter().map(|o| OpenOrder { deal: o.deal + offset, ..o }));
        let other_deals = Arc::try_unwrap(other.deals).unwrap_or_else(|shared| (*shared).clone());
        Arc::make_mut(&mut self.deals).extend(other_deals);
        self.annual_estimated |= other.annual_estimated;
        self.report.files.extend(other.report.files);
        self.report.files_skipped.extend(other.report.files_skipped);
    }
}
