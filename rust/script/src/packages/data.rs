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
use rhai::{Dynamic, FuncRegistration, Map, Module};
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

/// One reader: `name(path) -> ret`, documented by `doc`, reading with the core's `read` under
/// the host's data folders and wrapping the model as the script type `W`.
fn reader<C: 'static, W: From<C> + Clone + Send + Sync + 'static>(
    m: &mut Module,
    (name, ret, doc): (&'static str, &str, &str),
    read: fn(&Path) -> powerbalance_core::Result<C>,
) {
    FuncRegistration::new(name)
        .with_params_info(["path: &str", ret])
        .with_comments([format!("/// {doc}")])
        .set_into_module(m, move |path: &str| -> R<W> { ok(read(&allowed(name, path)?)).map(W::from) });
}

/// The readers, each restricted to the data folders the host allows (a relative path is taken
/// from the first).
pub(crate) fn register_readers(m: &mut Module) {
    let sipri = "Read a SIPRI export (any known layout: register, TIV tables, long CSV) or a folder of them.";
    reader::<_, LedgerRef>(m, ("read_sipri", "Ledger", sipri), sipri::read_sipri);
    let nmc = "Read COW national material capabilities (NMC 6.0 or 7.0, abridged).";
    reader::<_, CapsRef>(m, ("read_nmc", "Capabilities", nmc), cap::read_nmc);
    let states = "Read the COW state list (`states2016.csv`): spells of system membership.";
    reader::<_, StateListRef>(m, ("read_states", "StateList", states), cap::read_states);
    let majors = "Read the COW major powers (`majors2016.csv`).";
    reader::<_, StateListRef>(m, ("read_majors", "StateList", majors), cap::read_majors);
    let milex = "Read the SIPRI Military Expenditure Database (long CSV).";
    reader::<_, MilexRef>(m, ("read_milex", "MilitaryExpenditure", milex), milex::read_milex);
    let mad = "Read the Maddison Project Database 2023 (GDP per capita, population).";
    reader::<_, MaddisonRef>(m, ("read_maddison", "Maddison", mad), gdp::read_maddison);
    let sdp = "Read the Anders-Fariss-Markowitz GDP and SDP estimates (logs).";
    reader::<_, SdpGdpRef>(m, ("read_sdp_gdp", "SdpGdp", sdp), gdp::read_sdp_gdp);
    let al = "Read a COW v4.1 or ATOP 5.1 alliance dyad-year file.";
    reader::<_, AlliancesRef>(m, ("read_alliances", "Alliances", al), relations::read_alliances);
    let ip = "Read the UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017).";
    reader::<_, IdealPointsRef>(m, ("read_ideal_points", "IdealPoints", ip), relations::read_ideal_points);
    let ay = "Read a COW v4.1 or ATOP 5.1 alliance dyad-year file as a panel input.";
    reader::<_, AllianceYearsRef>(m, ("read_alliance_years", "AllianceYears", ay), panels::AllianceYears::read);
}

#[export_module]
pub mod data_api {
    use super::*;

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
