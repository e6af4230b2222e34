//! The function listing: every function scripts can call, with its signature, parameters,
//! return type and doc comment, read from Rhai's own metadata (`Engine::gen_fn_metadata_to_json`;
//! the doc comments are the `///` comments of the packages). It feeds `pb.script.functions()`,
//! the kernel's completion and help, and the Rhai-Python parity test.
//!
//! ```
//! let f = powerbalance_script::functions(false);
//! let imp = f.iter().find(|f| f.name == "importers" && f.params.len() == 3).unwrap();
//! assert_eq!(imp.this.as_deref(), Some("Ledger"));
//! assert_eq!(imp.signature, "Ledger.importers(start: i64, end: i64) -> Table");
//! assert!(imp.doc.contains("fact-sheet"));
//! ```

use crate::packages;
use rhai::Engine;
use serde_json::Value;
use std::sync::OnceLock;

/// One function (or property) as the listing gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnInfo {
    /// The name scripts call (`importers`; a property's name, `span`).
    pub name: String,
    /// `Ledger.importers(start: i64, end: i64) -> Table`, `hhi(values: any) -> f64`,
    /// `Ledger.span -> any` for a property.
    pub signature: String,
    /// Every parameter with its Rhai type, the receiver of a method first.
    pub params: Vec<(String, String)>,
    /// The Rhai type of the result (`()` for none). Types are Rhai's `type_of` names (`i64`,
    /// `f64`, `string`, `array`, `map`, `Fn`, `Ledger`, ...), `any` for a value of any type.
    pub returns: String,
    /// The doc comment, without the `///` markers.
    pub doc: String,
    /// The receiver's type when the function reads as a method (its first parameter is one of
    /// the package's types: `Ledger`, `Table`, `Scenario`, ...).
    pub this: Option<String>,
    /// True for a property (`led.span`), read without parentheses.
    pub property: bool,
}

/// A Rust type, as the plugin macros wrote it, as its Rhai name.
fn rhai_type(t: &str) -> String {
    let t = t.trim().trim_start_matches('&').trim_start().trim_start_matches("mut ").trim();
    let t = t.strip_prefix("rhai::").unwrap_or(t);
    // `R<T>`, `RhaiResultOf<T>`, `Result<T, Box<EvalAltResult>>`: the T
    for w in ["R<", "RhaiResultOf<", "Result<"] {
        if let Some(inner) = t.strip_prefix(w).and_then(|x| x.strip_suffix('>')) {
            let inner = inner.split(",Box<").next().unwrap_or(inner).split(", Box<").next().unwrap_or(inner);
            return rhai_type(inner);
        }
    }
    match t {
        "" | "()" => "()",
        "i64" | "INT" | "i32" | "u16" | "usize" => "i64",
        "f64" | "FLOAT" => "f64",
        "bool" => "bool",
        "str" | "String" | "ImmutableString" | "string" => "string",
        "char" => "char",
        "Array" => "array",
        "Map" => "map",
        "Blob" => "blob",
        "FnPtr" => "Fn",
        "Dynamic" | "RhaiResult" => "any",
        other => other,
    }
    .to_string()
}

/// The package's own types (the names a method's receiver may have).
fn own_types() -> &'static [&'static str] {
    &[
        "Ledger",
        "Table",
        "Capabilities",
        "MilitaryExpenditure",
        "Maddison",
        "SdpGdp",
        "Alliances",
        "IdealPoints",
        "StateList",
        "AllianceYears",
        "Scenario",
    ]
}

fn info(f: &Value) -> Option<FnInfo> {
    let raw = f["name"].as_str()?;
    if raw.starts_with("anon$") || raw.starts_with("set$") || raw.starts_with("index$") {
        return None;
    }
    let (name, property) = match raw.strip_prefix("get$") {
        Some(p) => (p.to_string(), true),
        None => (raw.to_string(), false),
    };
    let params: Vec<(String, String)> = f["params"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| (p["name"].as_str().unwrap_or("_").to_string(), rhai_type(p["type"].as_str().unwrap_or("?"))))
                .collect()
        })
        .unwrap_or_default();
    let returns = rhai_type(f["returnType"].as_str().unwrap_or("()"));
    let this = params.first().map(|p| p.1.clone()).filter(|t| own_types().contains(&t.as_str()));
    let doc = f["docComments"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|l| l.as_str())
                .flat_map(|l| l.lines())
                .map(|l| l.trim_start().trim_start_matches("///").trim_start_matches("/**").trim_end_matches("*/"))
                .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_string()
        })
        .unwrap_or_default();
    let shown: Vec<String> = params.iter().skip(this.is_some() as usize).map(|(n, t)| format!("{n}: {t}")).collect();
    let signature = match (&this, property) {
        (Some(t), true) => format!("{t}.{name} -> {returns}"),
        (Some(t), false) => format!("{t}.{name}({}) -> {returns}", shown.join(", ")),
        (None, _) => format!("{name}({}) -> {returns}", shown.join(", ")),
    };
    Some(FnInfo { name, signature, params, returns, doc, this, property })
}

fn listing(standard: bool) -> Vec<FnInfo> {
    let mut engine = Engine::new_raw();
    if standard {
        packages::register(&mut engine);
    } else {
        use rhai::packages::Package;
        packages::package().register_into_engine(&mut engine);
    }
    let json = engine.gen_fn_metadata_to_json(standard).unwrap_or_default();
    let v: Value = serde_json::from_str(&json).unwrap_or(Value::Null);
    let mut out: Vec<FnInfo> =
        v["functions"].as_array().map(|fs| fs.iter().filter_map(info).collect()).unwrap_or_default();
    out.sort_by(|a, b| (&a.name, a.params.len(), &a.signature).cmp(&(&b.name, b.params.len(), &b.signature)));
    out.dedup();
    out
}

/// Every function of the powerbalance package (and, with `standard`, of Rhai's standard
/// library too), sorted by name and number of parameters. Built once per process.
pub fn functions(standard: bool) -> &'static [FnInfo] {
    static OWN: OnceLock<Vec<FnInfo>> = OnceLock::new();
    static ALL: OnceLock<Vec<FnInfo>> = OnceLock::new();
    if standard {
        ALL.get_or_init(|| listing(true))
    } else {
        OWN.get_or_init(|| listing(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_has_a_doc_and_typed_parameters() {
        let fs = functions(false);
        assert!(fs.len() > 150, "{}", fs.len());
        let undocumented: Vec<&str> = fs
            .iter()
            .filter(|f| f.doc.is_empty() && !matches!(f.name.as_str(), "to_string" | "to_debug"))
            .map(|f| f.signature.as_str())
            .collect();
        assert!(undocumented.is_empty(), "{undocumented:#?}");
        for f in fs {
            for (n, t) in &f.params {
                assert!(
                    !n.is_empty() && n != "_" && !t.contains('<') && !t.contains("Ref"),
                    "{}: {n}: {t}",
                    f.signature
                );
            }
            assert!(!f.returns.contains("Ref") && !f.returns.contains('<'), "{}", f.signature);
        }
        let span = fs.iter().find(|f| f.name == "span" && f.this.as_deref() == Some("Ledger")).unwrap();
        assert!(span.property && span.signature == "Ledger.span -> any", "{span:?}");
        let hhi = fs.iter().find(|f| f.name == "hhi").unwrap();
        assert_eq!((hhi.this.as_deref(), hhi.returns.as_str()), (None, "f64"));
        assert!(functions(true).len() > fs.len() + 100);
        assert!(functions(true).iter().any(|f| f.name == "push" && f.this.is_none()));
    }
}
