//! Panels (`powerbalance_core::panels`; as peacesciencer's `create_stateyears` and
//! `create_dyadyears`, Miller 2022): state-years and dyad-years of the COW system joined with
//! capabilities, arms flows and alliances, and the accounting of every delivery against them.
//! The sources to join are an option map (Python's keyword-only arguments):
//! `state_years(states, 2010, 2016, #{capabilities: caps, ledger: led, alliances: al, majors: m})`.

use crate::args::{opt_period, options};
use crate::types::*;
use powerbalance_core::metrics::alignment::Distance;
use powerbalance_core::panels::{self, Joins, PanelOptions};
use powerbalance_core::relations::IdealPointEstimate;
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
    milex: Option<MilexRef>,
    maddison: Option<MaddisonRef>,
    sdp: Option<SdpGdpRef>,
    ideal_points: Option<IdealPointsRef>,
    measure: Option<String>,
    alignment: Option<AllianceYearsRef>,
    components: bool,
    distance: Option<String>,
    carry_forward: Option<bool>,
    false_dyads: bool,
    arms_by_category: bool,
}

fn flag(v: &Dynamic, key: &str) -> R<bool> {
    v.as_bool().map_err(|_| err(format!("{key} must be true or false")))
}

/// Alliances (`read_alliances`) as a panel input, or a panel input as it is.
fn alliance_input(v: &Dynamic, key: &str) -> R<Option<AllianceYearsRef>> {
    match v.clone().try_cast::<AlliancesRef>() {
        Some(a) => Ok(Some(AllianceYearsRef::from(panels::AllianceYears::from_alliances(&a.0)))),
        None => typed(v, key, "Alliances (read_alliances) or AllianceYears (read_alliance_years)"),
    }
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
            "directed" => s.directed = Some(flag(v, k)?),
            "milex" => s.milex = typed(v, k, "MilitaryExpenditure (read_milex)")?,
            "maddison" => s.maddison = typed(v, k, "Maddison (read_maddison)")?,
            "sdp" => s.sdp = typed(v, k, "SdpGdp (read_sdp_gdp)")?,
            "ideal_points" => s.ideal_points = typed(v, k, "IdealPoints (read_ideal_points)")?,
            "measure" => s.measure = Some(crate::args::text(v, k)?),
            "alignment" => s.alignment = alliance_input(v, k)?,
            "components" => s.components = flag(v, k)?,
            "distance" => s.distance = Some(crate::args::text(v, k)?),
            "carry_forward" => s.carry_forward = if v.is_unit() { None } else { Some(flag(v, k)?) },
            "false_dyads" => s.false_dyads = flag(v, k)?,
            "arms_by_category" => s.arms_by_category = flag(v, k)?,
            // alliances: panel input, or alliance dyad-years turned into one
            _ => s.alliances = alliance_input(v, k)?,
        }
    }
    Ok(s)
}

impl Sources {
    fn joins(&self) -> R<Joins<'_>> {
        let estimate = ok(IdealPointEstimate::parse(self.measure.as_deref().unwrap_or("fp")))?;
        let distance = match self.distance.as_deref().map(|d| d.trim().to_ascii_lowercase()) {
            None => Distance::Absolute,
            Some(d) if d == "absolute" => Distance::Absolute,
            Some(d) if d == "squared" => Distance::Squared,
            Some(d) => return Err(err(format!("unknown distance {d:?}; expected \"absolute\" or \"squared\""))),
        };
        Ok(Joins {
            capabilities: self.capabilities.as_ref().map(|c| &*c.0),
            components: self.components,
            ledger: self.ledger.as_ref().map(|l| &*l.0),
            arms_by_category: self.arms_by_category,
            alliances: self.alliances.as_ref().map(|a| &*a.0),
            majors: self.majors.as_ref().map(|m| &*m.0),
            milex: self.milex.as_ref().map(|m| &*m.0),
            maddison: self.maddison.as_ref().map(|m| &*m.0),
            sdp: self.sdp.as_ref().map(|m| &*m.0),
            ideal_points: self.ideal_points.as_ref().map(|m| &*m.0),
            ideal_point_estimate: estimate,
            alignment: self.alignment.as_ref().map(|a| &*a.0),
            distance,
        })
    }
}

const STATE_OPTIONS: [&str; 11] = [
    "capabilities",
    "ledger",
    "alliances",
    "majors",
    "milex",
    "maddison",
    "sdp",
    "ideal_points",
    "measure",
    "carry_forward",
    "arms_by_category",
];
const DYAD_OPTIONS: [&str; 15] = [
    "capabilities",
    "ledger",
    "alliances",
    "directed",
    "milex",
    "maddison",
    "sdp",
    "ideal_points",
    "measure",
    "alignment",
    "components",
    "distance",
    "carry_forward",
    "false_dyads",
    "arms_by_category",
];

/// The panel's years: `(), ()` for the list's coverage, a missing bound from it.
fn panel_period(s: &StateListRef, start: &Dynamic, end: &Dynamic) -> R<Option<Period>> {
    let lo = s.0.spells.iter().map(|x| x.start.year).min();
    let hi = s.0.spells.iter().map(|x| x.end.year).max();
    let cov = lo.zip(hi).map(|(start, end)| Period { start, end });
    opt_period(start, end, cov)
}

/// The short forms of the panels' functions (the package's `short_forms!`).
pub(crate) fn register_short_forms(module: &mut Module) {
    use panels_api::*;
    short_forms! { module;
        /// State-years: every COW system member in every year of `start..=end` (`()` for the
        /// list's first or last year): `ccode, stateabb, year`.
        fn state_years(states: StateList, start: Dynamic, end: Dynamic) -> Table
            = state_years_opts(states, start, end, Map::new());
        /// Dyad-years: every directed pair of COW system members in every year of `start..=end`:
        /// `ccode1, ccode2, year`.
        fn dyad_years(states: StateList, start: Dynamic, end: Dynamic) -> Table
            = dyad_years_opts(states, start, end, Map::new());
    }
}

#[export_module]
pub mod panels_api {
    use super::*;

    /// State-years joined with `#{capabilities, ledger, alliances, majors, milex, maddison, sdp,
    /// ideal_points, measure, carry_forward, arms_by_category}`: NMC components and CINC,
    /// `tiv_exports, tiv_imports` (with `arms_by_category: true` also `tiv_exports_<category>`
    /// and `tiv_imports_<category>`, e.g. `tiv_imports_air_defence_systems`), `n_allies`, `major`, `sipri_milex_*`, `maddison_*`, `ln_*` (AFM logs),
    /// `ideal_point`; past the list's last year the system carried forward (`carried`).
    #[rhai_fn(name = "state_years", return_raw)]
    pub fn state_years_opts(states: StateList, start: Dynamic, end: Dynamic, options: Map) -> R<Table> {
        let s = sources(&options, &STATE_OPTIONS)?;
        let opts = PanelOptions {
            period: panel_period(&states, &start, &end)?,
            carry_forward: s.carry_forward,
            ..PanelOptions::default()
        };
        table(panels::state_years_with(&states.0, s.joins()?, opts))
    }

    /// Dyad-years joined with `#{capabilities, ledger, alliances, directed, milex, maddison, sdp,
    /// ideal_points, measure, alignment, components, distance, carry_forward, false_dyads,
    /// arms_by_category}`: `cinc1, cinc2, cinc_ratio` (`cinc1 / cinc2`), `tiv_1to2, tiv_2to1`
    /// (with `arms_by_category: true` also `tiv_1to2_<category>` and `tiv_2to1_<category>`, one
    /// per SIPRI armament category, from a new-format register), `alliance` and one flag
    /// per alliance type, state measures suffixed `1`/`2`, `ideal_point_distance`, the alignment
    /// measures; `directed: false` for unordered pairs (`ccode1 < ccode2`); false dyads dropped
    /// unless `false_dyads: true`.
    #[rhai_fn(name = "dyad_years", return_raw)]
    pub fn dyad_years_opts(states: StateList, start: Dynamic, end: Dynamic, options: Map) -> R<Table> {
        let s = sources(&options, &DYAD_OPTIONS)?;
        let opts = PanelOptions {
            period: panel_period(&states, &start, &end)?,
            directed: s.directed.unwrap_or(true),
            carry_forward: s.carry_forward,
            false_dyads: s.false_dyads,
        };
        table(panels::dyad_years_with(&states.0, s.joins()?, opts))
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
