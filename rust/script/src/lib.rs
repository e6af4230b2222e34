//! powerbalance-script: a sandboxed Rhai engine over the powerbalance core.
//!
//! The engine starts from [`rhai::Engine::new_raw`] and loads only the standard package (no
//! file or module access), then the domain API as packages ([`api`]): `read_sipri(path)` (only
//! under the roots the host allows; a relative path is taken from the first root), ledgers and
//! their metrics, result tables (indexable, iterable, printable, convertible to arrays and
//! maps) and scenarios (`scenario(name).embargo(...)`, `apply`, `compare`, JSON).
//!
//! Every run is bounded: [`Limits`] caps operations, call depth, expression depth, string,
//! array and map sizes and wall time (through `on_progress`), and each limit's error names
//! the limit. Every error carries the script's line and column.
//!
//! ```
//! use powerbalance_script::{Limits, ScriptEngine};
//! let mut e = ScriptEngine::new(Limits::default(), vec![]);
//! assert_eq!(e.eval("let x = 40; x + 2").unwrap().as_int().unwrap(), 42);
//! assert_eq!(e.eval("x * 2").unwrap().as_int().unwrap(), 80); // the scope is kept
//! ```

pub mod api;
pub mod capabilities_api;
pub mod types;

pub use capabilities_api::{AlliancesRef, CapsRef, IdealPointsRef, MaddisonRef, MilexRef};
pub use rhai;
pub use types::{LedgerRef, TableRef};

use powerbalance_core::scenario::Scenario;
use rhai::packages::{Package, StandardPackage};
use rhai::{exported_module, Dynamic, Engine, EvalAltResult, Position, Scope};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Resource limits for untrusted scripts. The defaults stop a runaway script within two
/// seconds of wall time.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_expr_depth: usize,
    pub max_function_expr_depth: usize,
    pub max_string_size: usize,
    pub max_array_size: usize,
    pub max_map_size: usize,
    pub max_wall_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 50_000_000,
            max_call_levels: 64,
            max_expr_depth: 64,
            max_function_expr_depth: 32,
            max_string_size: 1 << 20,
            max_array_size: 1_000_000,
            max_map_size: 100_000,
            max_wall_time: Duration::from_secs(2),
        }
    }
}

/// A script error with its position (1-based line and column; 0 when the engine gave none)
/// and, when a limit stopped the script, the limit's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ScriptError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// `max_operations`, `max_call_levels`, `max_expr_depth`, `max_string_size`,
    /// `max_array_size`, `max_map_size`, `max_wall_time`, or `None`.
    pub limit: Option<&'static str>,
    /// True when the host's interrupt check (see [`ScriptEngine::set_interrupt`]) stopped the
    /// script (Ctrl-C, a Jupyter interrupt).
    pub interrupted: bool,
}

const INTERRUPT: &str = "interrupted";

fn pos(p: Position) -> (usize, usize) {
    (p.line().unwrap_or(0), p.position().unwrap_or(0))
}

impl ScriptError {
    fn from_eval(e: &EvalAltResult) -> Self {
        // the outermost position is the line of the script the user wrote; the innermost error
        // says what went wrong
        let (mut line, mut column) = pos(e.position());
        let mut inner = e;
        while let EvalAltResult::ErrorInFunctionCall(_, _, x, _) | EvalAltResult::ErrorInModule(_, x, _) = inner {
            inner = x;
            if line == 0 {
                (line, column) = pos(inner.position());
            }
        }
        let mut interrupted = false;
        let limit = match inner {
            EvalAltResult::ErrorTooManyOperations(_) => Some("max_operations"),
            EvalAltResult::ErrorStackOverflow(_) => Some("max_call_levels"),
            EvalAltResult::ErrorTerminated(token, _) => {
                if token.to_string() == INTERRUPT {
                    interrupted = true;
                    None
                } else {
                    Some("max_wall_time")
                }
            }
            EvalAltResult::ErrorDataTooLarge(what, _) => Some(match what.as_str() {
                w if w.contains("tring") => "max_string_size",
                w if w.contains("rray") => "max_array_size",
                w if w.contains("ap") => "max_map_size",
                _ => "data size",
            }),
            EvalAltResult::ErrorParsing(p, _) if format!("{p:?}").contains("ExprTooDeep") => Some("max_expr_depth"),
            _ => None,
        };
        let mut message = match inner {
            EvalAltResult::ErrorRuntime(v, _) if v.is_string() => v.to_string(),
            EvalAltResult::ErrorTerminated(token, _) if !interrupted => format!("script stopped: {token}"),
            _ if interrupted => "script interrupted".to_string(),
            _ => inner.to_string(),
        };
        if !std::ptr::eq(inner, e) {
            if let EvalAltResult::ErrorInFunctionCall(f, _, _, _) = e {
                if !f.starts_with("anon$") && !message.contains(f.as_str()) {
                    message = format!("in {f}: {message}");
                }
            }
        }
        // rhai appends " (line L, position C)"; the position is reported separately.
        if let Some(i) = message.rfind(" (line ") {
            message.truncate(i);
        }
        if let Some(l) = limit {
            message = format!("{message} [limit: {l}]");
        }
        ScriptError { message, line, column, limit, interrupted }
    }
}

/// A check the host runs while a script runs (every few tens of milliseconds); returning
/// `true` stops the script with an "interrupted" error. The Python glue re-acquires the GIL
/// and runs Python's signal handlers here, so Ctrl-C stops a script.
pub type InterruptCheck = Arc<dyn Fn() -> bool + Send + Sync>;

/// How often (wall time) the interrupt check runs.
pub const INTERRUPT_EVERY: Duration = Duration::from_millis(20);

/// A Rhai engine with the powerbalance API, a persistent scope and the sandbox limits.
pub struct ScriptEngine {
    engine: Engine,
    scope: Scope<'static>,
    started: Arc<Mutex<Instant>>,
    output: Arc<Mutex<Vec<String>>>,
    interrupt: Arc<Mutex<Option<InterruptCheck>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The engine itself, without state: every package and limit, for hosts that manage their own
/// scope.
fn build(limits: &Limits, allowed_roots: &[PathBuf]) -> Engine {
    let mut engine = Engine::new_raw();
    StandardPackage::new().register_into_engine(&mut engine);
    engine.set_max_operations(limits.max_operations);
    engine.set_max_call_levels(limits.max_call_levels);
    engine.set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth);
    engine.set_max_string_size(limits.max_string_size);
    engine.set_max_array_size(limits.max_array_size);
    engine.set_max_map_size(limits.max_map_size);
    engine.register_global_module(exported_module!(api::ledger_api).into());
    engine.register_global_module(exported_module!(api::table_api).into());
    engine.register_global_module(exported_module!(api::scenario_api).into());
    engine.register_global_module(exported_module!(capabilities_api::capabilities_api).into());
    engine.register_iterator::<TableRef>();

    let roots: Arc<Vec<PathBuf>> = Arc::new(allowed_roots.iter().filter_map(|r| r.canonicalize().ok()).collect());
    let r = roots.clone();
    engine.register_fn("read_sipri", move |path: &str| -> Result<LedgerRef, Box<EvalAltResult>> {
        let p = allowed_path(&r, "read_sipri", path)?;
        powerbalance_core::sipri::read_sipri(&p).map(|l| LedgerRef(Arc::new(l))).map_err(types::err)
    });
    let r = roots.clone();
    engine.register_fn("read_nmc", move |path: &str| -> Result<CapsRef, Box<EvalAltResult>> {
        let p = allowed_path(&r, "read_nmc", path)?;
        powerbalance_core::capabilities::read_nmc(&p).map(|c| CapsRef(Arc::new(c))).map_err(types::err)
    });
    let r = roots.clone();
    engine.register_fn("read_milex", move |path: &str| -> Result<MilexRef, Box<EvalAltResult>> {
        let p = allowed_path(&r, "read_milex", path)?;
        powerbalance_core::milex::read_milex(&p).map(|m| MilexRef(Arc::new(m))).map_err(types::err)
    });
    let r = roots.clone();
    engine.register_fn("read_maddison", move |path: &str| -> Result<MaddisonRef, Box<EvalAltResult>> {
        let p = allowed_path(&r, "read_maddison", path)?;
        powerbalance_core::gdp::read_maddison(&p).map(|m| MaddisonRef(Arc::new(m))).map_err(types::err)
    });
    let r = roots.clone();
    engine.register_fn("read_alliances", move |path: &str| -> Result<AlliancesRef, Box<EvalAltResult>> {
        let p = allowed_path(&r, "read_alliances", path)?;
        powerbalance_core::relations::read_alliances(&p).map(|a| AlliancesRef(Arc::new(a))).map_err(types::err)
    });
    let r = roots;
    engine.register_fn("read_ideal_points", move |path: &str| -> Result<IdealPointsRef, Box<EvalAltResult>> {
        let p = allowed_path(&r, "read_ideal_points", path)?;
        powerbalance_core::relations::read_ideal_points(&p).map(|i| IdealPointsRef(Arc::new(i))).map_err(types::err)
    });
    engine
}

/// A path a script may read: under one of the allowed roots (a relative path is taken from the
/// first), after resolving links and `..`.
fn allowed_path(roots: &[PathBuf], reader: &str, path: &str) -> Result<PathBuf, Box<EvalAltResult>> {
    let given = Path::new(path);
    let full = match (given.is_relative(), roots.first()) {
        (true, Some(root)) => root.join(given),
        _ => given.to_path_buf(),
    };
    let p = full.canonicalize().map_err(|e| types::err(format!("{reader}: {path}: {e}")))?;
    if !roots.iter().any(|r| p.starts_with(r)) {
        return Err(types::err(format!("{reader}: {path} is outside the data folders this host allows")));
    }
    Ok(p)
}

impl ScriptEngine {
    /// A sandboxed engine. `allowed_roots` are the only folders `read_sipri` may read under;
    /// a relative path is taken from the first.
    pub fn new(limits: Limits, allowed_roots: Vec<PathBuf>) -> Self {
        let mut engine = build(&limits, &allowed_roots);
        let started = Arc::new(Mutex::new(Instant::now()));
        let interrupt: Arc<Mutex<Option<InterruptCheck>>> = Arc::new(Mutex::new(None));
        let (s2, i2) = (started.clone(), interrupt.clone());
        let wall = limits.max_wall_time;
        let last_check = Mutex::new(Instant::now());
        engine.on_progress(move |ops| {
            if ops % 1024 == 0 {
                let t0 = *lock(&s2);
                if t0.elapsed() > wall {
                    return Some(Dynamic::from(format!("wall time above {:.1} s", wall.as_secs_f64())));
                }
                let check = lock(&i2).clone();
                if let Some(check) = check {
                    let mut last = lock(&last_check);
                    if last.elapsed() >= INTERRUPT_EVERY {
                        *last = Instant::now();
                        drop(last);
                        if check() {
                            return Some(Dynamic::from(INTERRUPT));
                        }
                    }
                }
            }
            None
        });
        let output = Arc::new(Mutex::new(Vec::new()));
        let o2 = output.clone();
        engine.on_print(move |s| lock(&o2).push(s.to_string()));
        let o3 = output.clone();
        engine.on_debug(move |s, _src, p| {
            let (l, c) = pos(p);
            lock(&o3).push(format!("[{l}:{c}] {s}"))
        });
        ScriptEngine { engine, scope: Scope::new(), started, output, interrupt }
    }

    /// Install (or remove) the host's interrupt check.
    pub fn set_interrupt(&mut self, check: Option<InterruptCheck>) {
        *lock(&self.interrupt) = check;
    }

    /// Evaluate a script in the persistent scope; top-level `let` variables persist.
    pub fn eval(&mut self, script: &str) -> Result<Dynamic, ScriptError> {
        *lock(&self.started) = Instant::now();
        let ast = self.engine.compile_with_scope(&self.scope, script).map_err(|e| {
            let e: EvalAltResult = e.into();
            ScriptError::from_eval(&e)
        })?;
        self.engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &ast)
            .map_err(|e| ScriptError::from_eval(&e))
    }

    /// Lines printed by `print` (and `debug`) since the last call.
    pub fn take_output(&mut self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.output))
    }

    /// Set a variable in the scope.
    pub fn set(&mut self, name: &str, value: Dynamic) {
        self.scope.set_or_push(name.to_string(), value);
    }

    /// Read a variable from the scope.
    pub fn get(&self, name: &str) -> Option<Dynamic> {
        self.scope.get_value::<Dynamic>(name)
    }

    /// Names of the variables in the scope.
    pub fn names(&self) -> Vec<String> {
        self.scope.iter_raw().map(|(n, _, _)| n.to_string()).collect()
    }

    /// Forget every variable.
    pub fn reset(&mut self) {
        self.scope.clear();
    }
}

/// A scenario as a script value (for hosts that pass scenarios in).
pub fn scenario_value(s: Scenario) -> Dynamic {
    Dynamic::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited() -> ScriptEngine {
        ScriptEngine::new(Limits { max_operations: 100_000, ..Limits::default() }, vec![])
    }

    #[test]
    fn scope_persists_and_print_is_captured() {
        let mut e = ScriptEngine::new(Limits::default(), vec![]);
        let _ = e.eval("let a = [1, 2, 3]; print(`n=${a.len()}`);").unwrap();
        assert_eq!(e.eval("a.len() * 10").unwrap().as_int().unwrap(), 30);
        assert_eq!(e.take_output(), vec!["n=3".to_string()]);
    }

    #[test]
    fn endless_loop_hits_operation_limit() {
        let err = limited().eval("let x = 0;\nloop { x += 1; }").unwrap_err();
        assert_eq!(err.limit, Some("max_operations"), "{err}");
        assert_eq!(err.line, 2);
    }

    #[test]
    fn wall_time_limit_stops_a_runaway_script() {
        let mut e = ScriptEngine::new(
            Limits { max_operations: 0, max_wall_time: Duration::from_millis(200), ..Limits::default() },
            vec![],
        );
        let t = Instant::now();
        let err = e.eval("loop { }").unwrap_err();
        assert_eq!(err.limit, Some("max_wall_time"), "{err}");
        assert!(t.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn deep_recursion_hits_call_limit() {
        let err = limited().eval("fn f(n) { f(n + 1) }\nf(0)").unwrap_err();
        assert_eq!(err.limit, Some("max_call_levels"), "{err}");
    }

    #[test]
    fn huge_string_and_array_hit_size_limits() {
        let mut e = ScriptEngine::new(Limits { max_string_size: 1000, max_array_size: 1000, ..Limits::default() }, vec![]);
        let err = e.eval("let s = \"x\"; loop { s += s; }").unwrap_err();
        assert_eq!(err.limit, Some("max_string_size"), "{err}");
        let err = e.eval("let a = []; loop { a.push(1); }").unwrap_err();
        assert_eq!(err.limit, Some("max_array_size"), "{err}");
    }

    #[test]
    fn files_outside_allowed_roots_are_refused() {
        let mut e = ScriptEngine::new(Limits::default(), vec![std::env::temp_dir().join("pb-no-such-root")]);
        let err = e.eval("read_sipri(\"/etc/passwd\")").unwrap_err();
        assert!(err.message.contains("outside the data folders"), "{err}");
        assert_eq!((err.line, err.column), (1, 1));
    }

    #[test]
    fn syntax_error_has_position() {
        let err = limited().eval("let x = ;").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.column > 0);
    }

    #[test]
    fn deep_expression_hits_expr_depth_limit() {
        let src = format!("let x = {}1{};", "(".repeat(200), ")".repeat(200));
        let err = limited().eval(&src).unwrap_err();
        assert_eq!(err.limit, Some("max_expr_depth"), "{err}");
    }

    #[test]
    fn huge_map_hits_map_limit() {
        let mut e = ScriptEngine::new(Limits { max_map_size: 100, ..Limits::default() }, vec![]);
        let err = e.eval("let m = #{}; let i = 0; loop { let one = #{}; one[`k${i}`] = i; m += one; i += 1; }").unwrap_err();
        assert_eq!(err.limit, Some("max_map_size"), "{err}");
    }

    #[test]
    fn no_module_or_file_access() {
        let err = limited().eval("import \"os\" as os;").unwrap_err();
        assert_eq!(err.line, 1, "{err}");
        let err = limited().eval("open_file(\"/etc/passwd\")").unwrap_err();
        assert!(err.message.contains("not found"), "{err}");
    }

    #[test]
    fn interrupt_check_stops_a_script() {
        let mut e = ScriptEngine::new(Limits { max_operations: 0, max_wall_time: Duration::from_secs(30), ..Limits::default() }, vec![]);
        let t = Instant::now();
        e.set_interrupt(Some(Arc::new(move || t.elapsed() > Duration::from_millis(100))));
        assert_eq!(e.eval("1").unwrap().as_int().unwrap(), 1);
        let err = e.eval("let i = 0;\nloop { i += 1; }").unwrap_err();
        assert!(err.interrupted && err.limit.is_none(), "{err:?}");
        assert!(t.elapsed() < Duration::from_secs(2));
        assert_eq!(err.line, 2);
    }

    #[test]
    fn native_errors_carry_the_calling_line() {
        let mut e = limited();
        let err = e.eval("let s = scenario(\"x\");\n\ns.scale_exports(\"Russia\", -2.0, 2016, 2020);").unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
        assert!(err.message.contains("scale factor"), "{err:?}");
        let err = e.eval("fn f(s) { s.embargo(\"Russia\", \"China\", 2020, 2010) }\nf(scenario(\"y\"))").unwrap_err();
        assert!(err.message.contains("empty"), "{err:?}");
        assert!(err.line >= 1);
    }

    #[test]
    fn scenarios_build_chain_and_round_trip() {
        let mut e = limited();
        let v = e
            .eval(
                r#"let s = scenario("t").embargo("Russia", "China", 2016, 2020).redirect("India", "Russia", 2016, 2020);
                   s.scale_exports("France", 1.5, 2000, 2001);
                   let j = s.to_json();
                   let t = scenario_from_json(j);
                   [s.len(), t.len(), t.name, t.operations[0]]"#,
            )
            .unwrap()
            .into_array()
            .unwrap();
        assert_eq!(v[0].as_int().unwrap(), 3);
        assert_eq!(v[1].as_int().unwrap(), 3);
        assert_eq!(v[2].to_string(), "t");
        assert_eq!(v[3].to_string(), "embargo Russia -> China, 2016-2020");
    }
}

#[cfg(test)]
mod with_data {
    //! Scripts over the real data: `POWERBALANCE_DATA` names the data home (scripts/test.sh sets
    //! it, and skips `with_data` tests when there is no data). They fail without it, never skip.
    use super::*;
    use powerbalance_core::metrics::transfers as tm;
    use powerbalance_core::Period;

    fn data() -> PathBuf {
        let d = std::env::var("POWERBALANCE_DATA").expect(
            "POWERBALANCE_DATA is not set: set it to the data home (`powerbalance data home`; `powerbalance data fetch --all` fills it)",
        );
        PathBuf::from(d)
    }

    const TABLES: &str = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021";

    #[test]
    fn what_if_china_stops_buying_from_russia() {
        let mut e = ScriptEngine::new(Limits::default(), vec![data()]);
        let out = e
            .eval(&format!(
                r#"let led = read_sipri("{TABLES}");
                   let s = scenario("China stops buying Russian arms").embargo("Russia", "China", 2016, 2020);
                   let w = s.apply(led);
                   let before = led.exporters(2016, 2020).lookup("supplier", "Russia", "share");
                   let after = w.exporters(2016, 2020).lookup("supplier", "Russia", "share");
                   let c = compare(led, s, |l| l.exporters(2016, 2020));
                   let removed = led.total(2016, 2020) - w.total(2016, 2020);
                   let moved = s.effects(led)[0].removed;
                   let n = 0; for row in c {{ n += 1; }}
                   [before, after, removed, moved, c[0].supplier, c["tiv_diff"][0], n == c.len(), led.dyad("Russia", "China", 2016, 2020).sum("tiv")]"#
            ))
            .unwrap()
            .into_array()
            .unwrap();
        let f = |i: usize| out[i].as_float().unwrap();
        let l = powerbalance_core::sipri::read_sipri(&data().join(TABLES)).unwrap();
        let p = Period::new(2016, 2020).unwrap();
        let t = tm::dyad_series(&l, l.resolve("Russia").unwrap(), l.resolve("China").unwrap(), Some(p)).unwrap();
        let ru_cn: f64 = t.f64s("tiv").unwrap().iter().flatten().sum();
        assert!(ru_cn > 1000.0, "{ru_cn}");
        assert!((f(2) - ru_cn).abs() < 1e-6 && (f(3) - ru_cn).abs() < 1e-6 && (f(7) - ru_cn).abs() < 1e-6);
        assert!(f(1) < f(0), "Russia's share falls: {} -> {}", f(0), f(1));
        assert_eq!(out[4].to_string(), "United States");
        assert_eq!(f(5), 0.0, "the US exports are unchanged");
        assert!(out[6].as_bool().unwrap());
    }

    #[test]
    fn relative_paths_resolve_under_the_data_root_and_escapes_are_refused() {
        let mut e = ScriptEngine::new(Limits::default(), vec![data().join("sipri")]);
        assert!(e.eval("read_sipri(\"tiv_tables_2022/lajh87_export_tiv_1950-2021.csv\").len()").unwrap().as_int().unwrap() > 0);
        let err = e.eval("read_sipri(\"../cow_nmc/NMC-60-abridged.csv\")").unwrap_err();
        assert!(err.message.contains("outside the data folders"), "{err}");
    }

    #[test]
    fn every_example_runs() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut n = 0;
        for f in std::fs::read_dir(&dir).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "rhai") {
                let mut e = ScriptEngine::new(Limits { max_wall_time: Duration::from_secs(60), ..Limits::default() }, vec![data()]);
                let r = e.eval(&std::fs::read_to_string(&p).unwrap());
                let out = e.take_output().join("\n");
                println!("== {}\n{out}", p.display());
                assert!(r.is_ok(), "{}: {:?}", p.display(), r.err());
                n += 1;
            }
        }
        assert!(n >= 8, "{n} examples");
    }

    #[test]
    fn capability_functions_and_scenarios() {
        let mut e = ScriptEngine::new(Limits::default(), vec![data()]);
        let v = e
            .eval(
                r#"let caps = read_nmc("cow_nmc/NMC-60-abridged.csv");
                   let t = caps.cinc(2016);
                   let us = t.lookup("stateabb", "USA", "cinc");
                   let sub = caps.shares(2016, ["USA", "CHN", "RUS"]);
                   let s = scenario("x").scale_capabilities("China", "milex", 2.0, 2016);
                   let w = s.apply(caps);
                   let c = compare(caps, s, |c| c.rank(2016));
                   [us, sub.sum("share"), caps.value("CHN", 2016, "milex"), w.value(710, 2016, "milex"),
                    w.value("China", 2016) > caps.value("China", 2016), c.len(), hhi([1, 1, 2]), caps.series("RUS").len()]"#,
            )
            .unwrap()
            .into_array()
            .unwrap();
        let f = |i: usize| v[i].as_float().unwrap();
        assert!((f(0) - 0.1331).abs() < 5e-5, "{}", f(0));
        assert!((f(1) - 1.0).abs() < 1e-12);
        assert_eq!(f(3), 2.0 * f(2));
        assert!(v[4].as_bool().unwrap());
        assert!(v[5].as_int().unwrap() > 100);
        assert!((f(6) - 0.375).abs() < 1e-12);
        let err = e.eval("read_milex(\"/etc/passwd\")").unwrap_err();
        assert!(err.message.contains("outside the data folders"), "{err}");
        let err = e.eval("hhi(#{a: -1.0})").unwrap_err();
        assert!(err.message.contains("non-negative"), "{err}");
        let m = e.eval("triangle([\"A\", \"B\", \"C\"], [1.0, -1.0, -1.0])").unwrap().cast::<rhai::Map>();
        assert_eq!(m["type"].to_string(), "stable marriage");
        assert_eq!(m["actor"].to_string(), "C");
        let x = e.eval("crossovers(#{\"2000\": 1.0, \"2001\": 3.0}, [[2000, 2.0], [2001, 2.0]], \"a\", \"b\")[0].year").unwrap();
        assert_eq!(x.as_int().unwrap(), 2001);
    }

    #[test]
    fn tables_print_like_python() {
        let mut e = ScriptEngine::new(Limits::default(), vec![data()]);
        let _ = e.eval(&format!("let led = read_sipri(\"{TABLES}\"); print(led.importers(2016, 2020, #{{top: 3, suppliers: 1}}));")).unwrap();
        let out = e.take_output().join("\n");
        assert!(out.starts_with("rank  recipient"), "{out}");
        assert!(out.contains("India") && out.contains('%'), "{out}");
    }
}
