//! Reading data: the readers (`read_sipri(path)`, `read_nmc(path)`, ...; only under the data
//! folders the host allows, a relative path taken from the first), `dataset(name)` (a dataset
//! the host registered, read with its kind's reader; never a download) and the built-in actor
//! registry (`actors()`, `actor(name)`).

use crate::args::registry;
use crate::types::*;
use powerbalance_core::capabilities as cap;
use powerbalance_core::metrics::transfers as tm;
use powerbalance_core::{gdp, milex, panels, relations, sipri};
use rhai::plugin::*;
use rhai::{Dynamic, Map};
use std::path::{Path, PathBuf};

/// A path a script may read: under one of the host's roots (a relative path is taken from the
/// first), after resolving links and `..`.
fn allowed(reader: &str, path: &str) -> R<PathBuf> {
    let host = crate::host()?;
    let roots = &host.roots;
    let given = Path::new(path);
    let full = match (given.is_relative(), roots.first()) {
        (true, Some(root)) => root.join(given),
        _ => given.to_path_buf(),
    };
    let p = full.canonicalize().map_err(|e| err(format!("{reader}: {}: {e}", crate::shorten(path))))?;
    if !roots.iter().any(|r| p.starts_with(r)) {
        return Err(err(format!("{reader}: {} is outside the data folders this host allows", crate::shorten(path))));
    }
    Ok(p)
}

/// A registered dataset read with its kind's reader (the kinds of [`crate::DATASET_KINDS`]).
pub(crate) fn read_kind(kind: &str, p: &Path) -> Option<powerbalance_core::Result<Dynamic>> {
    Some(match kind {
        "sipri" => sipri::read_sipri(p).map(|x| Dynamic::from(LedgerRef::from(x))),
        "nmc" => cap::read_nmc(p).map(|x| Dynamic::from(CapsRef::from(x))),
        "milex" => milex::read_milex(p).map(|x| Dynamic::from(MilexRef::from(x))),
        "cow-alliances" | "atop" => relations::read_alliances(p).map(|x| Dynamic::from(AlliancesRef::from(x))),
        "ideal-points" => relations::read_ideal_points(p).map(|x| Dynamic::from(IdealPointsRef::from(x))),
        "maddison" => gdp::read_maddison(p).map(|x| Dynamic::from(MaddisonRef::from(x))),
        "sdp-gdp" => gdp::read_sdp_gdp(p).map(|x| Dynamic::from(SdpGdpRef::from(x))),
        "states" => cap::read_states(p).map(|x| Dynamic::from(StateListRef::from(x))),
        _ => return None,
    })
}

#[export_module]
pub mod data_api {
    use super::*;

    /// Read a SIPRI export (any known layout: register, TIV tables, long CSV) or a folder of
    /// them into a ledger.
    #[rhai_fn(return_raw)]
    pub fn read_sipri(path: &str) -> R<Ledger> {
        ok(sipri::read_sipri(&allowed("read_sipri", path)?)).map(LedgerRef::from)
    }

    /// Read COW national material capabilities (NMC 6.0 or 7.0, abridged or full).
    #[rhai_fn(return_raw)]
    pub fn read_nmc(path: &str) -> R<Capabilities> {
        ok(cap::read_nmc(&allowed("read_nmc", path)?)).map(CapsRef::from)
    }

    /// Read the COW state list (`states2016.csv`): spells of system membership.
    #[rhai_fn(return_raw)]
    pub fn read_states(path: &str) -> R<StateList> {
        ok(cap::read_states(&allowed("read_states", path)?)).map(StateListRef::from)
    }

    /// Read the COW major powers (`majors2016.csv`).
    #[rhai_fn(return_raw)]
    pub fn read_majors(path: &str) -> R<StateList> {
        ok(cap::read_majors(&allowed("read_majors", path)?)).map(StateListRef::from)
    }

    /// Read the SIPRI Military Expenditure Database (long CSV).
    #[rhai_fn(return_raw)]
    pub fn read_milex(path: &str) -> R<MilitaryExpenditure> {
        ok(milex::read_milex(&allowed("read_milex", path)?)).map(MilexRef::from)
    }

    /// Read the Maddison Project Database 2023 (GDP per capita, population).
    #[rhai_fn(return_raw)]
    pub fn read_maddison(path: &str) -> R<Maddison> {
        ok(gdp::read_maddison(&allowed("read_maddison", path)?)).map(MaddisonRef::from)
    }

    /// Read the Anders-Fariss-Markowitz GDP and SDP estimates (logs).
    #[rhai_fn(return_raw)]
    pub fn read_sdp_gdp(path: &str) -> R<SdpGdp> {
        ok(gdp::read_sdp_gdp(&allowed("read_sdp_gdp", path)?)).map(SdpGdpRef::from)
    }

    /// Read a COW v4.1 or ATOP 5.1 alliance dyad-year file.
    #[rhai_fn(return_raw)]
    pub fn read_alliances(path: &str) -> R<Alliances> {
        ok(relations::read_alliances(&allowed("read_alliances", path)?)).map(AlliancesRef::from)
    }

    /// Read the UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017).
    #[rhai_fn(return_raw)]
    pub fn read_ideal_points(path: &str) -> R<IdealPoints> {
        ok(relations::read_ideal_points(&allowed("read_ideal_points", path)?)).map(IdealPointsRef::from)
    }

    /// Read a COW v4.1 or ATOP 5.1 alliance dyad-year file as a panel input.
    #[rhai_fn(return_raw)]
    pub fn read_alliance_years(path: &str) -> R<AllianceYears> {
        ok(panels::AllianceYears::read(&allowed("read_alliance_years", path)?)).map(AllianceYearsRef::from)
    }

    /// A registered dataset by name (`dataset("cow-nmc-v7")`), read with its reader: a
    /// `Ledger` for `sipri-*`, `Capabilities` for `cow-nmc-*`, `StateList` for `cow-states`,
    /// and so on. Reads only what is in the data home (no download from a script).
    #[rhai_fn(return_raw)]
    pub fn dataset(name: &str) -> R<Dynamic> {
        crate::check_stop()?;
        let host = crate::host()?;
        let entry = {
            let d = host.datasets.read().unwrap_or_else(|p| p.into_inner());
            match d.get(name) {
                Some(e) => e.clone(),
                None => return Err(err(crate::unknown_dataset(name, d.keys()))),
            }
        };
        let p = &entry.path;
        if !p.exists() {
            let home = p.parent().map(|x| x.display().to_string()).unwrap_or_default();
            return Err(err(format!(
                "dataset '{name}' is not in the data home {home} (no {}); run `powerbalance data fetch {name}`",
                p.display()
            )));
        }
        match read_kind(&entry.kind, p) {
            Some(r) => ok(r),
            None => Err(err(format!("dataset '{name}' has kind {:?}, which no reader takes", entry.kind))),
        }
    }

    /// The built-in actor registry: `id, name, kind, sipri_code, cow_code, iso3, aliases,
    /// successor, predecessor, builtin`.
    #[rhai_fn(return_raw)]
    pub fn actors() -> R<Table> {
        table(tm::actors(registry()))
    }

    /// One actor of the built-in registry by any spelling, alias or SIPRI code:
    /// `#{name, kind, sipri_code, cow_code, iso3, aliases, successor, predecessor}`.
    #[rhai_fn(return_raw)]
    pub fn actor(name: &str) -> R<Map> {
        let reg = registry();
        let a = reg.get(ok(reg.resolve(name))?);
        let s = |x: &Option<String>| x.clone().map(Dynamic::from).unwrap_or(Dynamic::UNIT);
        let link = |x: Option<powerbalance_core::ActorId>| x.map(|i| Dynamic::from(reg.name(i).to_string()));
        let mut m = Map::new();
        m.insert("name".into(), a.name.clone().into());
        m.insert("kind".into(), a.kind.as_str().into());
        m.insert("sipri_code".into(), s(&a.sipri_code));
        m.insert("cow_code".into(), a.cow_code.map(|c| Dynamic::from_int(c as i64)).unwrap_or(Dynamic::UNIT));
        m.insert("iso3".into(), s(&a.iso3));
        m.insert("aliases".into(), Dynamic::from_array(a.aliases.iter().map(|x| x.clone().into()).collect()));
        m.insert("successor".into(), link(a.successor).unwrap_or(Dynamic::UNIT));
        m.insert("predecessor".into(), link(a.predecessor).unwrap_or(Dynamic::UNIT));
        Ok(m)
    }
}
