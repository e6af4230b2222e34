//! Panels (`powerbalance_core::panels`; as peacesciencer's `create_stateyears` and
//! `create_dyadyears`, Miller 2022): state-years and dyad-years of the COW system joined with
//! capabilities, arms flows and alliances, and the accounting of every delivery against them.
//! The sources to join are an option map (Python's keyword-only arguments):
//! `state_years(states, 2010, 2016, #{capabilities: caps, ledger: led, alliances: al, majors: m})`.

use crate::args::{opt_period, options};
use crate::types::*;
use powerbalance_core::panels::{self, Joins};
use powerbalance_core::Period;
use rhai::plugin::*;
use rhai::{Dynamic, Map};

/// The sources of a panel, held for the call.
#[derive(Default)]
struct Sources {
    capabilities: Option<CapsRef>,
    ledger: Option<LedgerRef>,
    alliances: Option<AllianceYearsRef>,
    majors: Option<StateListRef>,
    directed: Option<bool>,
}

fn typed<T: Clone + Send + Sync + 'static>(v: &Dynamic, key: &str, what: &str) -> R<Option<T>> {
    if v.is_unit() {
        return Ok(None);
    }
    v.clone().try_cast::<T>().map(Some).ok_or_else(|| err(format!("{key} must be {what}, not {}", v.type_name())))
}

fn sources(opts: &Map, known: &[&str]) -> R<Sources> {
    let mut s = Sources::default();
    for (k, v) in options(opts, known)? {
        match k {
            "capabilities" => s.capabilities = typed(v, k, "Capabilities (read_nmc)")?,
            "ledger" => s.ledger = typed(v, k, "a Ledger (read_sipri)")?,
            "majors" => s.majors = typed(v, k, "a StateList (read_majors)")?,
            "directed" => s.directed = Some(v.as_bool().map_err(|_| err("directed must be true or false"))?),
            _ => {
                // alliances: panel input, or alliance dyad-years turned into one
                s.alliances = match v.clone().try_cast::<AlliancesRef>() {
                    Some(a) => Some(AllianceYearsRef::from(panels::AllianceYears::from_alliances(&a.0))),
                    None => typed(v, k, "Alliances (read_alliances) or AllianceYears (read_alliance_years)")?,
                }
            }
        }
    }
    Ok(s)
}

impl Sources {
    fn joins(&self) -> Joins<'_> {
        Joins {
            capabilities: self.capabilities.as_ref().map(|c| &*c.0),
            ledger: self.ledger.as_ref().map(|l| &*l.0),
            alliances: self.alliances.as_ref().map(|a| &*a.0),
            majors: self.majors.as_ref().map(|m| &*m.0),
        }
    }
}

/// The panel's years: `(), ()` for the list's coverage, a missing bound from it.
fn panel_period(s: &StateListRef, start: &Dynamic, end: &Dynamic) -> R<Option<Period>> {
    let lo = s.0.spells.iter().map(|x| x.start.year).min();
    let hi = s.0.spells.iter().map(|x| x.end.year).max();
    let cov = lo.zip(hi).map(|(start, end)| Period { start, end });
    opt_period(start, end, cov)
}

#[export_module]
pub mod panels_api {
    use super::*;

    /// State-years: every COW system member in every year of `start..=end` (`()` for the
    /// list's first or last year): `ccode, stateabb, year`.
    #[rhai_fn(name = "state_years", return_raw)]
    pub fn state_years(states: StateList, start: Dynamic, end: Dynamic) -> R<Table> {
        state_years_opts(states, start, end, Map::new())
    }

    /// State-years joined with `#{capabilities, ledger, alliances, majors}`: NMC components and
    /// CINC, `tiv_exports, tiv_imports`, `n_allies`, `major`.
    #[rhai_fn(name = "state_years", return_raw)]
    pub fn state_years_opts(states: StateList, start: Dynamic, end: Dynamic, options: Map) -> R<Table> {
        let s = sources(&options, &["capabilities", "ledger", "alliances", "majors"])?;
        table(panels::state_years(&states.0, s.joins(), panel_period(&states, &start, &end)?))
    }

    /// Dyad-years: every directed pair of COW system members in every year of `start..=end`:
    /// `ccode1, ccode2, year`.
    #[rhai_fn(name = "dyad_years", return_raw)]
    pub fn dyad_years(states: StateList, start: Dynamic, end: Dynamic) -> R<Table> {
        dyad_years_opts(states, start, end, Map::new())
    }

    /// Dyad-years joined with `#{capabilities, ledger, alliances, directed}`: `cinc1, cinc2,
    /// cinc_ratio` (`cinc1 / cinc2`), `tiv_1to2, tiv_2to1`, `alliance, defense`; `directed:
    /// false` for unordered pairs (`ccode1 < ccode2`).
    #[rhai_fn(name = "dyad_years", return_raw)]
    pub fn dyad_years_opts(states: StateList, start: Dynamic, end: Dynamic, options: Map) -> R<Table> {
        let s = sources(&options, &["capabilities", "ledger", "alliances", "directed"])?;
        let p = panel_period(&states, &start, &end)?;
        table(panels::dyad_years(&states.0, s.joins(), s.directed.unwrap_or(true), p))
    }

    /// Every delivery of `ledger` accounted for against the dyad-year panels over `states`:
    /// `supplier, recipient, year, tiv, ccode1, ccode2, in_panel, reason`.
    #[rhai_fn(return_raw)]
    pub fn arms_flows(ledger: Ledger, states: StateList) -> R<Table> {
        table(panels::arms_flows(&ledger.0, &states.0))
    }

    /// The years each source of a panel covers (from the panel's metadata): `source, dataset,
    /// start, end`.
    #[rhai_fn(return_raw)]
    pub fn coverage(panel: Table) -> R<Table> {
        match ok(panels::panel_coverage(&panel.0))? {
            Some(t) => Ok(TableRef::from(t)),
            None => {
                Err(err("this table has no powerbalance.coverage metadata: pass the table a panel function returned"))
            }
        }
    }

    /// Alliance dyad-years from any table with integer `ccode1, ccode2, year` columns (one row
    /// per dyad-year with an alliance in force), with options `#{directed: false, source:
    /// "alliance table", coverage: [start, end]}` (`directed` required; `coverage` defaults to
    /// the rows' first to last year).
    #[rhai_fn(return_raw)]
    pub fn alliance_years(data: Table, options: Map) -> R<AllianceYears> {
        let (mut directed, mut source, mut cov) = (None, "alliance table".to_string(), None);
        for (k, v) in crate::args::options(&options, &["directed", "source", "coverage"])? {
            match k {
                "directed" => directed = Some(v.as_bool().map_err(|_| err("directed must be true or false"))?),
                "source" => source = crate::args::text(v, k)?,
                _ => cov = Some(crate::args::pair_period(v, k)?),
            }
        }
        let directed = directed.ok_or_else(|| err("alliance_years needs #{directed: true or false}"))?;
        let (s, e) = (cov.map(|p| p.start), cov.map(|p| p.end));
        ok(panels::AllianceYears::from_batches(std::slice::from_ref(&data.0.batch), source, directed, s, e))
            .map(AllianceYearsRef::from)
    }

    /// The source's name.
    #[rhai_fn(get = "source", pure)]
    pub fn source(a: &mut AllianceYears) -> String {
        a.0.source.clone()
    }

    /// True when `(a, b)` and `(b, a)` are read separately.
    #[rhai_fn(get = "directed", pure)]
    pub fn directed(a: &mut AllianceYears) -> bool {
        a.0.directed
    }

    /// First and last year the source covers, `[start, end]`.
    #[rhai_fn(get = "coverage", pure)]
    pub fn alliance_years_coverage(a: &mut AllianceYears) -> rhai::Array {
        crate::args::span_of(a.0.coverage)
    }

    /// Is an alliance in force from `a` toward `b` in `year` (`()` outside the coverage)?
    #[rhai_fn(pure)]
    pub fn in_force(x: &mut AllianceYears, a: i64, b: i64, year: i64) -> Dynamic {
        let c = |v: i64| u16::try_from(v).ok();
        match (c(a), c(b), i32::try_from(year).ok()) {
            (Some(a), Some(b), Some(y)) => x.0.in_force(a, b, y).map(Dynamic::from_bool).unwrap_or(Dynamic::UNIT),
            _ => Dynamic::UNIT,
        }
    }
}
