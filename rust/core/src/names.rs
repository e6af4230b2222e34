//! Names of options, parsed once for every door.
//!
//! The Python and Rhai APIs take options by name (`measure="cinc"`, `rule="zero"`,
//! `distance="squared"`). Each option enum implements [`std::str::FromStr`] through
//! [`parse_name`], so every door accepts the same spellings and fails with the same message: the
//! unknown name and the valid ones, nearest first (Jaro-Winkler similarity, as for actor names).
//!
//! ```
//! use powerbalance_core::capabilities::MissingRule;
//! let r: MissingRule = " Zero ".parse().unwrap();
//! assert_eq!(r, MissingRule::Zero);
//! let e = "avialable".parse::<MissingRule>().unwrap_err().to_string();
//! assert_eq!(e, "unknown missing-value rule \"avialable\"; expected one of available, zero");
//! ```

use crate::error::{Error, Result};

/// The value named `input` in `names` (`(spelling, value)` pairs; the first spelling of a value
/// is its canonical name). Case and surrounding blanks are ignored.
///
/// Fails with [`Error::InvalidArgument`]: `unknown {what} {input:?}; expected one of ...`,
/// listing each value's canonical name once, nearest to `input` first.
pub fn parse_name<T: Copy + PartialEq>(input: &str, what: &str, names: &[(&str, T)]) -> Result<T> {
    let key = input.trim().to_ascii_lowercase();
    if let Some((_, v)) = names.iter().find(|(n, _)| *n == key) {
        return Ok(*v);
    }
    Err(Error::invalid(format!("unknown {what} {input:?}; expected one of {}", nearest(&key, names).join(", "))))
}

/// The canonical names of `names` (one per value), nearest to `key` first; ties keep the
/// table's order.
fn nearest<'a, T: PartialEq>(key: &str, names: &[(&'a str, T)]) -> Vec<&'a str> {
    let mut best: Vec<(&'a str, &T, f64)> = Vec::new();
    for (n, v) in names {
        let score = strsim::jaro_winkler(key, n);
        match best.iter_mut().find(|(_, bv, _)| *bv == v) {
            Some(b) => b.2 = b.2.max(score),
            None => best.push((n, v, score)),
        }
    }
    // a stable sort: equally near names keep the order of the table
    best.sort_by(|a, b| b.2.total_cmp(&a.2));
    best.into_iter().map(|(n, _, _)| n).collect()
}

/// Declare the names of an option enum once, as a table of `(spelling, value)` pairs whose
/// first spelling of each value is its canonical name. The table gives the enum:
///
/// - `NAMES`, the table itself (the doc comments before the type document it);
/// - `parse` and [`std::str::FromStr`], through [`parse_name`] (`what` names the option in the
///   error: `unknown {what} "x"; expected one of ...`);
/// - `name`, the canonical name of a value.
///
/// `option_names!(Type, "what", [("name", Type::A), ("alias", Type::A), ("other", Type::B)]);`
macro_rules! option_names {
    ($(#[$doc:meta])* $t:ident, $what:literal, [$(($name:literal, $value:expr)),+ $(,)?]) => {
        impl $t {
            $(#[$doc])*
            pub const NAMES: [(&'static str, $t); [$($name),+].len()] = [$(($name, $value)),+];

            #[doc = concat!("Parse a name of [`", stringify!($t), "::NAMES`] (any case); the same as `s.parse::<",
                stringify!($t), ">()`.")]
            pub fn parse(s: &str) -> $crate::error::Result<$t> {
                s.parse()
            }

            #[doc = concat!("The canonical name: the first spelling of this value in [`", stringify!($t), "::NAMES`].")]
            pub fn name(self) -> &'static str {
                Self::NAMES.iter().find(|(_, v)| *v == self).map_or("", |(n, _)| n)
            }
        }

        impl std::str::FromStr for $t {
            type Err = $crate::error::Error;
            /// Parse a name (any case); an unknown one fails with the valid names, nearest first.
            fn from_str(s: &str) -> $crate::error::Result<Self> {
                $crate::names::parse_name(s, $what, &<$t>::NAMES)
            }
        }
    };
}
pub(crate) use option_names;

/// Declare an option enum with its names beside its variants: each variant lists its
/// spellings, the first its canonical name. Gives the enum, `ALL` (every value in declaration
/// order) and what [`option_names!`] gives (`NAMES`, `parse`, [`std::str::FromStr`], `name`).
///
/// ```ignore
/// option_enum! {
///     /// How two portfolios' differences are summed.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Distance("distance") {
///         Absolute = ["absolute", "abs"],
///         Squared = ["squared"],
///     }
/// }
/// ```
macro_rules! option_enum {
    (
        $(#[$attr:meta])*
        pub enum $t:ident($what:literal) {
            $($(#[$vattr:meta])* $variant:ident = [$($name:literal),+]),+ $(,)?
        }
    ) => {
        $(#[$attr])*
        pub enum $t {
            $($(#[$vattr])* $variant),+
        }

        impl $t {
            /// Every value, in declaration order.
            pub const ALL: [$t; [$(stringify!($variant)),+].len()] = [$($t::$variant),+];
        }

        $crate::names::option_names!(
            /// Every spelling of each value (the first is its canonical name).
            $t,
            $what,
            [$($(($name, $t::$variant)),+),+]
        );
    };
}
pub(crate) use option_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum E {
        Alpha,
        Beta,
        Gamma,
    }

    const NAMES: [(&str, E); 4] = [("alpha", E::Alpha), ("a", E::Alpha), ("beta", E::Beta), ("gamma", E::Gamma)];

    #[test]
    fn names_and_aliases_any_case() {
        assert_eq!(parse_name("ALPHA", "letter", &NAMES).unwrap(), E::Alpha);
        assert_eq!(parse_name(" a ", "letter", &NAMES).unwrap(), E::Alpha);
        assert_eq!(parse_name("Gamma", "letter", &NAMES).unwrap(), E::Gamma);
    }

    #[test]
    fn unknown_name_lists_each_value_once_nearest_first() {
        let e = parse_name("gamm", "letter", &NAMES).unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)));
        let msg = e.to_string();
        let (head, list) = msg.split_once("; expected one of ").unwrap();
        assert_eq!(head, "unknown letter \"gamm\"");
        let list: Vec<&str> = list.split(", ").collect();
        assert_eq!(list.first(), Some(&"gamma"), "{msg}");
        let mut sorted = list.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ["alpha", "beta", "gamma"], "each value once, by its first name: {msg}");
        let e = parse_name("betta", "letter", &NAMES).unwrap_err().to_string();
        assert!(e.contains("expected one of beta, "), "{e}");
    }

    #[test]
    fn every_option_enum_parses_its_names_and_lists_them() {
        use crate::capabilities::{Component, Measure, MissingRule};
        use crate::gdp::EconMeasure;
        use crate::metrics::alignment::Distance;
        use crate::metrics::concentration::PoleRule;
        use crate::milex::MilexSeries;
        use crate::relations::{AllianceType, IdealPointEstimate};
        assert_eq!("CINC".parse::<Measure>().unwrap(), Measure::Cinc);
        assert_eq!(" tpop".parse::<Measure>().unwrap(), Measure::Component(Component::Tpop));
        assert_eq!("zero".parse::<MissingRule>().unwrap(), MissingRule::Zero);
        assert_eq!("share".parse::<MilexSeries>().unwrap(), MilexSeries::ShareGdp);
        assert_eq!("population".parse::<EconMeasure>().unwrap(), EconMeasure::Population);
        assert_eq!("idealpointall".parse::<IdealPointEstimate>().unwrap(), IdealPointEstimate::All);
        assert_eq!("Squared".parse::<Distance>().unwrap(), Distance::Squared);
        assert_eq!("defence".parse::<AllianceType>().unwrap(), AllianceType::Defense);
        assert_eq!(PoleRule::from_name("share", 0.1).unwrap(), PoleRule::ShareAtLeast(0.1));
        assert_eq!(PoleRule::from_name(" Relative", 0.5).unwrap(), PoleRule::RelativeToLargest(0.5));
        let msg = |e: Error| e.to_string();
        assert_eq!(
            msg("cinq".parse::<Measure>().unwrap_err()),
            "unknown measure \"cinq\"; expected one of cinc, irst, milex, milper, pec, tpop, upop"
        );
        assert!(msg("abs".parse::<Distance>().unwrap_err()).ends_with("expected one of absolute, squared"));
        assert!(msg(PoleRule::from_name("shares", 0.1).unwrap_err()).ends_with("expected one of share, relative"));
        assert!(msg("legasy".parse::<IdealPointEstimate>().unwrap_err()).contains("expected one of legacy, "));
        assert!(msg("curent".parse::<MilexSeries>().unwrap_err()).contains("expected one of current, "));
        assert!(msg("gdpp".parse::<EconMeasure>().unwrap_err()).contains("expected one of gdp"));
        assert!(msg("allianz".parse::<AllianceType>().unwrap_err()).starts_with("unknown alliance type \"allianz\""));
        for (name, m) in Measure::NAMES {
            assert_eq!(m.name(), name);
        }
        // Every value has a canonical name that parses back to it.
        fn round_trip<T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr<Err = Error>>(
            values: &[T], name: fn(T) -> &'static str,
        ) {
            for &v in values {
                assert_eq!(name(v).parse::<T>().unwrap(), v);
            }
        }
        round_trip(&MilexSeries::ALL, MilexSeries::name);
        round_trip(&IdealPointEstimate::ALL, IdealPointEstimate::name);
        round_trip(&AllianceType::ALL, AllianceType::name);
        round_trip(&MissingRule::ALL, MissingRule::name);
        round_trip(&Distance::ALL, Distance::name);
        round_trip(&EconMeasure::ALL, EconMeasure::name);
        assert_eq!(EconMeasure::ALL.map(EconMeasure::name), ["gdp", "gdppc", "pop", "sdp"]);
        assert_eq!(AllianceType::ALL.map(AllianceType::name)[5], "consultation");
    }
}
