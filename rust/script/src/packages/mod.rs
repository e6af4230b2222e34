//! The domain API as one Rhai package, built once per process and shared by every engine
//! ([`package`]). One file per core module, each a thin `#[export_module]` whose `///` doc
//! comments are the function listing's docs ([`crate::listing`]) and the kernel's help, and
//! beside it the short forms of its functions (`short_forms!`: the overloads without Python's
//! optional arguments, each one line that calls the full form with the defaults). Names
//! and argument order follow the Python API; Python's keyword-only arguments are a trailing
//! option map (`led.importers(2016, 2020, #{top: 10})`), and an optional period is `start, end`
//! with `()` for a missing bound.

/// The short forms of a package's functions. Rhai has no default arguments, so each optional
/// argument of Python's API (a trailing option map, period or name) is an overload without it:
/// `fn name(params) -> Type = full_form(args with Python's defaults);`, registered with its doc
/// comment, parameter names and types as the function listing shows them; pure, as the methods
/// of the `#[export_module]`s are (a receiver is not changed, so a constant may be one).
macro_rules! short_forms {
    ($m:ident; $($(#[doc = $doc:literal])* fn $name:ident($($p:ident: $t:ty),*) -> $ret:ident = $call:expr;)*) => {
        $(rhai::FuncRegistration::new(stringify!($name))
            .with_purity(true)
            .with_params_info([$(concat!(stringify!($p), ": ", stringify!($t)),)* stringify!($ret)])
            .with_comments([$(concat!("///", $doc)),*])
            .set_into_module($m, |$($p: $t),*| -> R<$ret> { $call });)*
    };
}

pub mod arms_views;
pub mod capabilities;
pub mod data;
pub mod dependence;
pub mod ledger;
pub mod metrics;
pub mod milex_gdp;
pub mod panels;
pub mod relations;
pub mod scenario;
pub mod sweep;
pub mod table;

use crate::types::{register_spans, register_types, TableRef};
use rhai::def_package;
use rhai::packages::Package;
use rhai::plugin::combine_with_exported_module;
use std::sync::OnceLock;

/// Every `#[export_module]` of the packages, combined into one module.
macro_rules! combine {
    ($module:ident: $($file:ident::$api:ident),* $(,)?) => {
        $(combine_with_exported_module!($module, stringify!($file), $file::$api);)*
    };
}

/// The short forms (`short_forms!`) of every package that has them.
macro_rules! register_short_forms {
    ($module:ident: $($file:ident),*) => {
        $($file::register_short_forms($module);)*
    };
}

def_package! {
    /// Every powerbalance function scripts can call.
    pub PowerbalancePackage(module) {
        register_types(module);
        register_spans(module);
        data::register_readers(module);
        register_short_forms!(module: arms_views, capabilities, dependence, ledger, metrics, milex_gdp, panels,
            relations, table);
        combine!(module: data::data_api, ledger::ledger_api, dependence::dependence_api, arms_views::arms_views_api,
            table::table_api, scenario::scenario_api, capabilities::capabilities_api, milex_gdp::milex_gdp_api,
            relations::relations_api, metrics::metrics_api, panels::panels_api, sweep::sweep_api);
        module.set_iterable::<TableRef>();
    }
}

/// The package, built on first use and shared (it holds no state: the host's data roots and
/// datasets reach the readers through the running script, [`crate::host`]).
pub fn package() -> &'static PowerbalancePackage {
    static PACKAGE: OnceLock<PowerbalancePackage> = OnceLock::new();
    PACKAGE.get_or_init(PowerbalancePackage::new)
}

/// Rhai's standard package, built once too.
pub fn standard() -> &'static rhai::packages::StandardPackage {
    static STANDARD: OnceLock<rhai::packages::StandardPackage> = OnceLock::new();
    STANDARD.get_or_init(rhai::packages::StandardPackage::new)
}

/// Register both packages into an engine.
pub(crate) fn register(engine: &mut rhai::Engine) {
    standard().register_into_engine(engine);
    package().register_into_engine(engine);
}

#[cfg(test)]
mod tests {
    use crate::{Limits, ScriptEngine};

    #[test]
    fn short_forms_are_the_full_forms_with_the_defaults() {
        let mut e = ScriptEngine::new(Limits::default(), vec![]);
        let (a, b) = ("[[2000, 1.0], [2001, 2.0], [2002, 4.0]]", "[[2000, 2.0], [2001, 1.5], [2002, 3.0]]");
        let (d, pole) = ("#{USA: 0.4, CHN: 0.35, RUS: 0.25}", "rule: \"relative\", threshold: 0.5");
        let cases = [
            (format!("concentration({d})"), format!("concentration({d}, #{{{pole}}})")),
            (format!("poles({d})"), format!("poles({d}, #{{{pole}}})")),
            (format!("crossovers({a}, {b})"), format!("crossovers({a}, {b}, #{{names: [\"a\", \"b\"]}})")),
            (format!("parity_windows({a}, {b})"), format!("parity_windows({a}, {b}, #{{low: 0.8, high: 1.25}})")),
            (
                format!("project_crossover({a}, {b}, 2000, 2002)"),
                format!("project_crossover({a}, {b}, 2000, 2002, #{{z: 1.96}})"),
            ),
            (format!("change_points({a})"), format!("change_points({a}, #{{min_segment: 2, penalty: 2.0}})")),
            (
                format!("triangle([\"A\", \"B\", \"C\"], {a}, {b}, {a})"),
                format!("triangle([\"A\", \"B\", \"C\"], {a}, {b}, {a}, #{{positive: 0.0}})"),
            ),
            ("actors().sort_by(\"name\")".into(), "actors().sort_by(\"name\", #{descending: false})".into()),
        ];
        for (short, full) in cases {
            let mut text =
                |s: &str| e.eval(&format!("to_string({s})")).unwrap_or_else(|x| panic!("{s}: {x}")).to_string();
            let (x, y) = (text(&short), text(&full));
            assert!(!x.is_empty() && x == y, "{short}:\n{x}\n{full}:\n{y}");
        }
    }
}
