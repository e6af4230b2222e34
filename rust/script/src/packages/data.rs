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

/// One reader: `name(path) -> ret`, documented by `doc`, reading with the core's `read` under
/// the host's data folders and wrapping the model as the script type `W`.
fn reader<C: 'static, W: From<C> + Clone + Send + Sync + 'static>(
    m: &mut Module, (name, ret, doc): (&'static str, &str, &[&str]), read: fn(&Path) -> powerbalance_core::Result<C>,
) {
    FuncRegistration::new(name)
        .with_params_info(["path: &str", ret])
        .with_comments(doc)
        .set_into_module(m, move |path: &str| -> R<W> { ok(read(&allowed(name, path)?)).map(W::from) });
}

/// The readers, each declared once: its doc comment, `name -> script type = core reader`, and
/// the dataset kinds ([`crate::DATASET_KINDS`]) `dataset(name)` reads with it.
macro_rules! readers {
    ($($(#[doc = $doc:literal])* $name:ident -> $t:ident = $read:path, kinds [$($kind:literal),*];)*) => {
        /// The readers, each restricted to the data folders the host allows (a relative path is
        /// taken from the first).
        pub(crate) fn register_readers(m: &mut Module) {
            $(reader::<_, $t>(m, (stringify!($name), stringify!($t), &[$(concat!("///", $doc)),*]), $read);)*
        }

        /// A registered dataset read with its kind's reader.
        pub(crate) fn read_kind(kind: &str, p: &Path) -> Option<powerbalance_core::Result<Dynamic>> {
            match kind {
                $($($kind => Some($read(p).map(|x| Dynamic::from(<$t>::from(x)))),)*)*
                _ => None,
            }
        }
    };
}

readers! {
    /// Read a SIPRI export (any known layout: register, TIV tables, long CSV) or a folder of them.
    read_sipri -> Ledger = sipri::read_sipri, kinds ["sipri"];
    /// Read COW national material capabilities (NMC 6.0 or 7.0, abridged).
    read_nmc -> Capabilities = cap::read_nmc, kinds ["nmc"];
    /// Read the COW state list (`states2016.csv`): spells of system membership.
    read_states -> StateList = cap::read_states, kinds ["states"];
    /// Read the COW major powers (`majors2016.csv`).
    read_majors -> StateList = cap::read_majors, kinds [];
    /// Read the SIPRI Military Expenditure Database (long CSV).
    read_milex -> MilitaryExpenditure = milex::read_milex, kinds ["milex"];
    /// Read the Maddison Project Database 2023 (GDP per capita, population).
    read_maddison -> Maddison = gdp::read_maddison, kinds ["maddison"];
    /// Read the Anders-Fariss-Markowitz GDP and SDP estimates (logs).
    read_sdp_gdp -> SdpGdp = gdp::read_sdp_gdp, kinds ["sdp-gdp"];
    /// Read a COW v4.1 or ATOP 5.1 alliance dyad-year file.
    read_alliances -> Alliances = relations::read_alliances, kinds ["cow-alliances", "atop"];
    /// Read the UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017).
    read_ideal_points -> IdealPoints = relations::read_ideal_points, kinds ["ideal-points"];
    /// Read a COW v4.1 or ATOP 5.1 alliance dyad-year file as a panel input.
    read_alliance_years -> AllianceYears = panels::AllianceYears::read, kinds [];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_kind_has_a_reader() {
        let missing = Path::new("/no/such/file.csv");
        for kind in crate::DATASET_KINDS {
            assert!(matches!(read_kind(kind, missing), Some(Err(_))), "{kind}");
        }
        assert!(read_kind("read_majors", missing).is_none());
    }
}
