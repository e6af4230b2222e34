//! SIPRI's regional groupings of actors, for the arms-trade views by region
//! ([`super::arms_views::by_region`]).
//!
//! SIPRI groups countries into five regions: Africa, Americas, Asia & Oceania, Europe and the
//! Middle East. The groupings come from the SIPRI Military Expenditure Database workbook, which
//! lists each country under its region (SIPRI-Milex-data-1949-2024, read by
//! [`crate::milex::read_milex`]; its `region` column). SIPRI uses the same regions in its arms
//! transfer fact sheets (*Trends in International Arms Transfers*).
//!
//! Each actor of a ledger gets a region by the first rule that applies ([`Rule`]):
//!
//! 1. [`Rule::Workbook`]: a state the workbook lists, matched by name (any spelling the actor
//!    registry knows: the workbook's `Türkiye` is the ledger's `Turkiye`), else by ISO3 code,
//!    else by Correlates of War code (the USSR shares 365 with Russia, both in Europe).
//! 2. [`Rule::CowCode`]: a state the workbook does not list (small or former states: South
//!    Vietnam, South Yemen, ...) takes the region of its COW code's range, COW numbering states
//!    by region (Correlates of War, *State System Membership*, codebook): 2-199 Americas,
//!    200-399 Europe, 400-626 Africa (North Africa, 600-626, is in Africa in SIPRI's groupings),
//!    630-699 Middle East, 700-999 Asia & Oceania.
//! 3. [`Rule::NonStateCountry`]: a non-state actor (SIPRI's `*`) takes the region of the state
//!    its name places it in: the country in parentheses (`Hezbollah (Lebanon)*`, the first of
//!    `(Israel/Palestine)`), else a state name the name begins with (`Libya HoR*`).
//!    A state that rules 1, 2 and 4 do not place is tried the same way (`Libya GNC` is in
//!    Libya's region).
//! 4. [`Rule::Location`]: the few territories and secessionist states SIPRI lists as recipients
//!    that neither the workbook nor COW codes place, by where they are ([`LOCATED`]).
//! 5. [`Rule::Organisation`]: an international organisation (`**`) is in the region
//!    [`ORGANISATIONS`]; [`Rule::Unknown`]: `unknown supplier(s)`, `unknown recipient(s)` and any
//!    actor none of the rules places are in [`UNKNOWN`]. Nothing is dropped: their TIV is shown
//!    under these names.
//!
//! [`regions_table`] lists every actor of a registry with its region and the rule that gave it.

use crate::actors::{name_key, ActorId, ActorKind, ActorRegistry};
use crate::error::Result;
use crate::milex::Milex;
use crate::table::{Table, TableBuilder};
use std::collections::HashMap;

/// Region of international organisations (SIPRI's `**` actors).
pub const ORGANISATIONS: &str = "International organisations";
/// Region of actors no rule places (unknown suppliers or recipients, ...).
pub const UNKNOWN: &str = "Unknown";

/// Territories and secessionist states of the SIPRI registers without a workbook row or a COW
/// code, with the region of where they are (rule 4, written for this project).
pub const LOCATED: [(&str, &str); 6] = [
    ("Aruba", "Americas"),
    ("Palestine", "Middle East"),
    ("Western Sahara", "Africa"),
    ("Biafra", "Africa"),
    ("Katanga", "Africa"),
    ("Northern Cyprus", "Europe"),
];

/// How an actor got its region (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Workbook,
    CowCode,
    NonStateCountry,
    Location,
    Organisation,
    Unknown,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Workbook => "milex workbook",
            Rule::CowCode => "COW code range",
            Rule::NonStateCountry => "country in the name",
            Rule::Location => "location",
            Rule::Organisation => "organisation",
            Rule::Unknown => "unknown",
        }
    }
}

/// An actor's region and the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub region: String,
    pub rule: Rule,
}

/// SIPRI's regions per country, as the military expenditure workbook gives them.
#[derive(Debug, Clone, Default)]
pub struct Regions {
    /// `(country, iso3, ccode, region)`, one per country of the workbook.
    countries: Vec<(String, Option<String>, Option<u16>, String)>,
}

/// The region of a COW code's range (rule 2).
pub fn cow_region(ccode: u16) -> Option<&'static str> {
    Some(match ccode {
        2..=199 => "Americas",
        200..=399 => "Europe",
        400..=626 => "Africa",
        630..=699 => "Middle East",
        700..=999 => "Asia & Oceania",
        _ => return None,
    })
}

impl Regions {
    /// The groupings of a SIPRI military expenditure table (its `country, iso3c, ccode,
    /// region` columns).
    pub fn from_milex(m: &Milex) -> Regions {
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let mut countries = Vec::new();
        for i in 0..m.len() {
            if m.region[i].trim().is_empty() || seen.insert(m.country[i].as_str(), ()).is_some() {
                continue;
            }
            countries.push((m.country[i].clone(), m.iso3[i].clone(), m.ccode[i], m.region[i].clone()));
        }
        Regions { countries }
    }

    /// Groupings given as `(country, iso3, ccode, region)` rows.
    pub fn from_rows(rows: Vec<(String, Option<String>, Option<u16>, String)>) -> Regions {
        Regions { countries: rows }
    }

    /// Number of countries listed.
    pub fn len(&self) -> usize {
        self.countries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }

    /// The region of every actor of `reg`, indexed by [`ActorId::index`].
    pub fn assign(&self, reg: &ActorRegistry) -> Vec<Assigned> {
        let n = reg.len();
        let mut states: Vec<Option<String>> = vec![None; n];
        // by name first, then codes for the actors still without one
        for (country, _, _, region) in &self.countries {
            if let Some(id) = reg.lookup(country) {
                states[id.index()].get_or_insert_with(|| region.clone());
            }
        }
        let by_iso: HashMap<&str, &str> =
            self.countries.iter().filter_map(|(_, iso, _, r)| iso.as_deref().map(|i| (i, r.as_str()))).collect();
        let mut by_cow: HashMap<u16, &str> = HashMap::new();
        for (_, _, c, r) in &self.countries {
            if let Some(c) = c {
                by_cow.entry(*c).or_insert(r.as_str());
            }
        }
        for a in reg.actors() {
            let slot = &mut states[a.id.index()];
            if slot.is_none() && a.kind == ActorKind::State {
                let r =
                    a.iso3.as_deref().and_then(|i| by_iso.get(i)).or_else(|| a.cow_code.and_then(|c| by_cow.get(&c)));
                *slot = r.map(|r| r.to_string());
            }
        }
        // rules 1, 2 and 4 for a state
        let state_region = |id: ActorId| -> Option<Assigned> {
            let a = reg.get(id);
            if a.kind != ActorKind::State {
                return None;
            }
            if let Some(r) = &states[id.index()] {
                return Some(Assigned { region: r.clone(), rule: Rule::Workbook });
            }
            if let Some(r) = a.cow_code.and_then(cow_region) {
                return Some(Assigned { region: r.to_string(), rule: Rule::CowCode });
            }
            let k = name_key(&a.name);
            LOCATED
                .iter()
                .find(|(n, _)| name_key(n) == k)
                .map(|(_, r)| Assigned { region: (*r).into(), rule: Rule::Location })
        };
        // rule 3: the region of the state the name places the actor in
        let by_name = |a: &crate::actors::Actor| {
            country_in_name(reg, &a.name)
                .filter(|&id| id != a.id)
                .and_then(state_region)
                .map(|s| Assigned { region: s.region, rule: Rule::NonStateCountry })
        };
        reg.actors()
            .iter()
            .map(|a| match a.kind {
                ActorKind::State => state_region(a.id).or_else(|| by_name(a)).unwrap_or_else(unknown),
                ActorKind::NonState => by_name(a).unwrap_or_else(unknown),
                ActorKind::Organisation => Assigned { region: ORGANISATIONS.into(), rule: Rule::Organisation },
                ActorKind::Unknown | ActorKind::Aggregate => unknown(),
            })
            .collect()
    }
}

fn unknown() -> Assigned {
    Assigned { region: UNKNOWN.into(), rule: Rule::Unknown }
}

/// The state a non-state actor's name places it in (rule 3).
fn country_in_name(reg: &ActorRegistry, name: &str) -> Option<ActorId> {
    let state = |s: &str| reg.lookup(s.trim()).filter(|id| reg.get(*id).kind == ActorKind::State);
    let bare = name.trim().trim_end_matches('*').trim();
    if let (Some(a), Some(b)) = (bare.rfind('('), bare.rfind(')')) {
        if a < b {
            let inner = &bare[a + 1..b];
            if let Some(id) = state(inner).or_else(|| inner.split('/').find_map(state)) {
                return Some(id);
            }
        }
    }
    // the longest run of leading words that names a state
    let words: Vec<&str> = bare.split_whitespace().collect();
    (1..words.len()).rev().find_map(|k| state(&words[..k].join(" ")))
}

/// Every actor of `reg` with its region: columns `actor, kind, region, rule` (the rule as
/// [`Rule::as_str`]), in registry order.
pub fn regions_table(regions: &Regions, reg: &ActorRegistry) -> Result<Table> {
    let a = regions.assign(reg);
    TableBuilder::new()
        .str("actor", reg.actors().iter().map(|x| x.name.as_str()).collect())
        .str("kind", reg.actors().iter().map(|x| x.kind.as_str()).collect())
        .str("region", a.iter().map(|x| x.region.as_str()).collect())
        .str("rule", a.iter().map(|x| x.rule.as_str()).collect())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Regions {
        let row =
            |c: &str, iso: &str, cc: u16, r: &str| (c.to_string(), Some(iso.to_string()), Some(cc), r.to_string());
        Regions::from_rows(vec![
            row("China", "CHN", 710, "Asia & Oceania"),
            row("Russia", "RUS", 365, "Europe"),
            ("USSR".into(), None, Some(365), "Europe".into()),
            row("Türkiye", "TUR", 640, "Middle East"),
            row("Lebanon", "LBN", 660, "Middle East"),
            row("Libya", "LBY", 620, "Africa"),
            row("Israel", "ISR", 666, "Middle East"),
        ])
    }

    #[test]
    fn every_rule() {
        let reg = ActorRegistry::builtin();
        let a = regions().assign(reg);
        let of = |n: &str| a[reg.resolve(n).unwrap().index()].clone();
        let is = |n: &str, r: &str, rule: Rule| assert_eq!(of(n), Assigned { region: r.into(), rule }, "{n}");
        is("China", "Asia & Oceania", Rule::Workbook);
        is("Turkiye", "Middle East", Rule::Workbook);
        is("Soviet Union", "Europe", Rule::Workbook);
        // not in these rows: the COW range (Egypt 651 Middle East, Morocco 600 Africa)
        is("Egypt", "Middle East", Rule::CowCode);
        is("Morocco", "Africa", Rule::CowCode);
        is("Brazil", "Americas", Rule::CowCode);
        is("Hezbollah (Lebanon)*", "Middle East", Rule::NonStateCountry);
        is("Libya HoR*", "Africa", Rule::NonStateCountry);
        is("NATO**", ORGANISATIONS, Rule::Organisation);
        is("Libya GNC", "Africa", Rule::NonStateCountry);
        is("Palestine", "Middle East", Rule::Location);
        is("Hamas (Palestine)*", "Middle East", Rule::NonStateCountry);
        is("unknown supplier(s)", UNKNOWN, Rule::Unknown);
        assert_eq!(cow_region(2), Some("Americas"));
        assert_eq!(cow_region(1000), None);
        let t = regions_table(&regions(), reg).unwrap();
        assert_eq!(t.num_rows(), reg.len());
    }
}
