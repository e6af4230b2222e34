//! The values scripts hold (ledgers, result tables, capabilities, state lists, ...), each an
//! `Arc` over the core's model so that copies in a script are cheap and operations give new
//! values. Each has a Rhai type name (`Ledger`, `Table`, ...), the name the function listing and
//! `type_of` show; the aliases below carry those names into the packages' signatures.

use powerbalance_core::capabilities::{Capabilities as CoreCaps, Spells};
use powerbalance_core::gdp::{Maddison as CoreMaddison, SdpGdp as CoreSdpGdp};
use powerbalance_core::milex::Milex as CoreMilex;
use powerbalance_core::panels::AllianceYears as CoreAllianceYears;
use powerbalance_core::relations::{Alliances as CoreAlliances, IdealPoints as CoreIdealPoints};
use powerbalance_core::table::arrow::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
use powerbalance_core::{Ledger as CoreLedger, Table as CoreTable};
use rhai::{Array as RArray, Dynamic, EvalAltResult, FuncRegistration, Map, Module};
use std::sync::Arc;

macro_rules! script_types {
    ($($(#[$doc:meta])* $name:ident($inner:ty) as $alias:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone)]
            pub struct $name(pub Arc<$inner>);

            impl From<$inner> for $name {
                fn from(x: $inner) -> Self {
                    $name(Arc::new(x))
                }
            }

            /// The Rhai name of the type, used in the packages' signatures.
            pub type $alias = $name;
        )*

        /// Every script type with its Rhai name, registered once into the package.
        pub(crate) fn register_types(m: &mut Module) {
            $( m.set_custom_type::<$name>(stringify!($alias)); )*
            m.set_custom_type::<powerbalance_core::scenario::Scenario>("Scenario");
        }
    };
}

script_types! {
    /// A SIPRI transfer ledger (`read_sipri`).
    LedgerRef(CoreLedger) as Ledger;
    /// A result table.
    TableRef(CoreTable) as Table;
    /// COW national material capabilities (`read_nmc`).
    CapsRef(CoreCaps) as Capabilities;
    /// SIPRI military expenditure (`read_milex`).
    MilexRef(CoreMilex) as MilitaryExpenditure;
    /// Maddison GDP and population (`read_maddison`).
    MaddisonRef(CoreMaddison) as Maddison;
    /// Anders-Fariss-Markowitz GDP and SDP (`read_sdp_gdp`).
    SdpGdpRef(CoreSdpGdp) as SdpGdp;
    /// COW or ATOP alliance dyad-years (`read_alliances`).
    AlliancesRef(CoreAlliances) as Alliances;
    /// UN General Assembly ideal points (`read_ideal_points`).
    IdealPointsRef(CoreIdealPoints) as IdealPoints;
    /// The COW state list or major powers (`read_states`, `read_majors`).
    StateListRef(Spells) as StateList;
    /// Dyad-years with an alliance in force, a panel input (`read_alliance_years`).
    AllianceYearsRef(CoreAllianceYears) as AllianceYears;
}

/// A model of rows by year: `len` and the `coverage` property in scripts ([`register_spans`]).
pub(crate) trait YearRows: Clone + Send + Sync + 'static {
    fn rows(&self) -> usize;
    fn coverage(&self) -> powerbalance_core::Period;
}

macro_rules! year_rows {
    ($($t:ty),*) => {
        $(impl YearRows for $t {
            fn rows(&self) -> usize {
                self.0.len()
            }

            fn coverage(&self) -> powerbalance_core::Period {
                self.0.coverage()
            }
        })*
    };
}

year_rows!(CapsRef, MilexRef, MaddisonRef, SdpGdpRef, AlliancesRef, IdealPointsRef);

/// `len` (`Number of <rows>.`) and the `coverage` property (`First and last year of <data>,
/// [start, end].`) of the models of rows by year, the receiver `this: &mut Type`.
pub(crate) fn register_spans(m: &mut Module) {
    fn spans<T: YearRows>(m: &mut Module, this: &str, rows: &str, data: &str) {
        FuncRegistration::new("len")
            .with_purity(true)
            .with_params_info([this, "i64"])
            .with_comments([format!("/// Number of {rows}.")])
            .set_into_module(m, |x: &mut T| x.rows() as i64);
        FuncRegistration::new_getter("coverage")
            .with_params_info([this, "Array"])
            .with_comments([format!("/// First and last year of {data}, `[start, end]`.")])
            .set_into_module(m, |x: &mut T| crate::args::span_of(x.coverage()));
    }
    spans::<CapsRef>(m, "c: &mut Capabilities", "state-years", "the data");
    spans::<MilexRef>(m, "m: &mut MilitaryExpenditure", "state-years", "the data");
    spans::<MaddisonRef>(m, "m: &mut Maddison", "country-years", "the data");
    spans::<SdpGdpRef>(m, "s: &mut SdpGdp", "country-years", "the data");
    spans::<AlliancesRef>(m, "a: &mut Alliances", "dyad-years", "the alliance data");
    spans::<IdealPointsRef>(m, "ip: &mut IdealPoints", "state-years", "the ideal points");
}

pub(crate) fn err(msg: impl std::fmt::Display) -> Box<EvalAltResult> {
    msg.to_string().into()
}

pub(crate) type R<T> = Result<T, Box<EvalAltResult>>;

/// A core result as a script result (the core's message, which names the input).
pub(crate) fn ok<T>(r: powerbalance_core::Result<T>) -> R<T> {
    r.map_err(err)
}

/// A core table as a script table.
pub(crate) fn table(t: powerbalance_core::Result<CoreTable>) -> R<TableRef> {
    t.map(TableRef::from).map_err(err)
}

/// One cell as a script value (`()` for a null or a type scripts do not have).
pub fn cell(a: &ArrayRef, r: usize) -> Dynamic {
    if a.is_null(r) {
        return Dynamic::UNIT;
    }
    let any = a.as_any();
    if let Some(x) = any.downcast_ref::<Int64Array>() {
        return Dynamic::from_int(x.value(r));
    }
    if let Some(x) = any.downcast_ref::<Float64Array>() {
        return Dynamic::from_float(x.value(r));
    }
    if let Some(x) = any.downcast_ref::<StringArray>() {
        return x.value(r).into();
    }
    if let Some(x) = any.downcast_ref::<BooleanArray>() {
        return Dynamic::from_bool(x.value(r));
    }
    Dynamic::UNIT
}

impl TableRef {
    pub fn rows(&self) -> usize {
        self.0.num_rows()
    }

    /// Row `i` (negative counts from the end) as a map.
    pub fn row(&self, i: i64) -> R<Map> {
        let n = self.rows() as i64;
        let k = if i < 0 { i + n } else { i };
        if k < 0 || k >= n {
            return Err(err(format!("row {i} is out of range for a table of {n} rows")));
        }
        let t = &self.0;
        let mut m = Map::new();
        for (c, name) in t.column_names().iter().enumerate() {
            m.insert(name.as_str().into(), cell(t.batch.column(c), k as usize));
        }
        Ok(m)
    }

    /// Column `name` as an array.
    pub fn column(&self, name: &str) -> R<RArray> {
        let c = self.0.column(name).map_err(err)?;
        Ok((0..self.rows()).map(|r| cell(c, r)).collect())
    }

    /// Every row as a map.
    pub fn to_array(&self) -> RArray {
        (0..self.rows() as i64).filter_map(|i| self.row(i).ok()).map(Dynamic::from_map).collect()
    }

    /// Column name -> array of values.
    pub fn to_map(&self) -> Map {
        let mut m = Map::new();
        for name in self.0.column_names() {
            if let Ok(a) = self.column(&name) {
                m.insert(name.as_str().into(), Dynamic::from_array(a));
            }
        }
        m
    }
}

impl IntoIterator for TableRef {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;
    fn into_iter(self) -> Self::IntoIter {
        self.to_array().into_iter()
    }
}

/// The table as aligned text, at most `max_rows` rows: the core's one formatter
/// ([`powerbalance_core::format`]), so a table prints in Rhai as it does in Python (shares as %,
/// share differences as pp, TIV and counts with thousands separators).
pub fn table_text(t: &TableRef, max_rows: usize) -> String {
    t.0.to_text(Some(max_rows))
}

/// The Rhai name of a scenario, for the packages' signatures.
pub type Scenario = powerbalance_core::scenario::Scenario;
