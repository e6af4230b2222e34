//! powerbalance-script: a sandboxed Rhai engine over the powerbalance core.
//!
//! The engine starts from [`rhai::Engine::new_raw`] and loads only the standard package (no
//! file or module access), then the domain API: `read_sipri(path)` (only under the roots the
//! host allows), ledgers and their fact-sheet tables, returned as arrays of row maps.
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

use powerbalance_core::metrics::transfers as tr;
use powerbalance_core::{Ledger, Period, Table};
use rhai::packages::{Package, StandardPackage};
use rhai::{Array, Dynamic, Engine, EvalAltResult, Map, Position, Scope};
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
}

fn pos(p: Position) -> (usize, usize) {
    (p.line().unwrap_or(0), p.position().unwrap_or(0))
}

impl ScriptError {
    fn from_eval(e: &EvalAltResult) -> Self {
        let (line, column) = pos(e.position());
        let limit = match e {
            EvalAltResult::ErrorTooManyOperations(_) => Some("max_operations"),
            EvalAltResult::ErrorStackOverflow(_) => Some("max_call_levels"),
            EvalAltResult::ErrorTerminated(..) => Some("max_wall_time"),
            EvalAltResult::ErrorDataTooLarge(what, _) => Some(match what.as_str() {
                w if w.contains("tring") => "max_string_size",
                w if w.contains("rray") => "max_array_size",
                w if w.contains("ap") => "max_map_size",
                _ => "data size",
            }),
            EvalAltResult::ErrorParsing(p, _) if format!("{p:?}").contains("ExprTooDeep") => Some("max_expr_depth"),
            _ => None,
        };
        let mut message = e.to_string();
        // rhai appends " (line L, position C)"; the position is reported separately.
        if let Some(i) = message.rfind(" (line ") {
            message.truncate(i);
        }
        if let Some(l) = limit {
            message = format!("{message} [limit: {l}]");
        }
        ScriptError { message, line, column, limit }
    }
}

/// A Rhai engine with the powerbalance API, a persistent scope and the sandbox limits.
pub struct ScriptEngine {
    engine: Engine,
    scope: Scope<'static>,
    started: Arc<Mutex<Instant>>,
    output: Arc<Mutex<Vec<String>>>,
}

fn err(msg: impl std::fmt::Display) -> Box<EvalAltResult> {
    msg.to_string().into()
}

/// A table's rows as an array of maps (column name -> value).
pub fn table_to_array(t: &Table) -> Array {
    use arrow_like::value;
    let names = t.column_names();
    (0..t.num_rows())
        .map(|r| {
            let mut m = Map::new();
            for (c, n) in names.iter().enumerate() {
                m.insert(n.as_str().into(), value(t.batch.column(c), r));
            }
            Dynamic::from_map(m)
        })
        .collect()
}

mod arrow_like {
    //! Cell access without a direct arrow dependency: through the core's re-exported arrays.
    use powerbalance_core::table::arrow::{Array, BooleanArray, Float64Array, Int64Array, StringArray};
    use rhai::Dynamic;
    pub fn value(a: &std::sync::Arc<dyn Array>, r: usize) -> Dynamic {
        if a.is_null(r) {
            return Dynamic::UNIT;
        }
        if let Some(x) = a.as_any().downcast_ref::<Int64Array>() {
            return Dynamic::from_int(x.value(r));
        }
        if let Some(x) = a.as_any().downcast_ref::<Float64Array>() {
            return Dynamic::from_float(x.value(r));
        }
        if let Some(x) = a.as_any().downcast_ref::<StringArray>() {
            return x.value(r).into();
        }
        if let Some(x) = a.as_any().downcast_ref::<BooleanArray>() {
            return Dynamic::from_bool(x.value(r));
        }
        Dynamic::UNIT
    }
}

fn period(start: i64, end: i64) -> Result<Period, Box<EvalAltResult>> {
    Period::new(start as i32, end as i32).map_err(err)
}

fn table(t: powerbalance_core::Result<Table>) -> Result<Array, Box<EvalAltResult>> {
    t.map(|t| table_to_array(&t)).map_err(err)
}

impl ScriptEngine {
    /// A sandboxed engine. `allowed_roots` are the only folders `read_sipri` may read under.
    pub fn new(limits: Limits, allowed_roots: Vec<PathBuf>) -> Self {
        let mut engine = Engine::new_raw();
        StandardPackage::new().register_into_engine(&mut engine);
        engine.set_max_operations(limits.max_operations);
        engine.set_max_call_levels(limits.max_call_levels);
        engine.set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth);
        engine.set_max_string_size(limits.max_string_size);
        engine.set_max_array_size(limits.max_array_size);
        engine.set_max_map_size(limits.max_map_size);
        let started = Arc::new(Mutex::new(Instant::now()));
        let s2 = started.clone();
        let wall = limits.max_wall_time;
        engine.on_progress(move |ops| {
            if ops % 1024 == 0 {
                let t0 = *s2.lock().unwrap_or_else(|p| p.into_inner());
                if t0.elapsed() > wall {
                    return Some(Dynamic::from(format!("wall time above {:.1} s", wall.as_secs_f64())));
                }
            }
            None
        });
        let output = Arc::new(Mutex::new(Vec::new()));
        let o2 = output.clone();
        engine.on_print(move |s| o2.lock().unwrap_or_else(|p| p.into_inner()).push(s.to_string()));

        let roots: Vec<PathBuf> = allowed_roots.iter().filter_map(|r| r.canonicalize().ok()).collect();
        engine.register_type_with_name::<Arc<Ledger>>("Ledger");
        engine.register_fn("read_sipri", move |path: &str| -> Result<Arc<Ledger>, Box<EvalAltResult>> {
            let p = Path::new(path)
                .canonicalize()
                .map_err(|e| err(format!("read_sipri: {path}: {e}")))?;
            if !roots.iter().any(|r| p.starts_with(r)) {
                return Err(err(format!("read_sipri: {path} is outside the data folders this host allows")));
            }
            powerbalance_core::sipri::read_sipri(&p).map(Arc::new).map_err(err)
        });
        engine.register_fn("len", |l: &mut Arc<Ledger>| l.len() as i64);
        engine.register_fn("total", |l: &mut Arc<Ledger>, s: i64, e: i64| -> Result<f64, Box<EvalAltResult>> {
            Ok(l.total(period(s, e)?))
        });
        engine.register_fn("importers", |l: &mut Arc<Ledger>, s: i64, e: i64, top: i64| {
            let o = tr::FactSheet { top: Some(top.max(0) as usize), partners: 3, compare: None };
            table(tr::importers(l, period(s, e)?, o))
        });
        engine.register_fn("exporters", |l: &mut Arc<Ledger>, s: i64, e: i64, top: i64| {
            let o = tr::FactSheet { top: Some(top.max(0) as usize), partners: 3, compare: None };
            table(tr::exporters(l, period(s, e)?, o))
        });
        engine.register_fn("dyad", |l: &mut Arc<Ledger>, s: &str, r: &str| {
            let (s, r) = (l.resolve(s).map_err(err)?, l.resolve(r).map_err(err)?);
            table(tr::dyad_series(l, s, r, None))
        });
        engine.register_fn("follow_succession", |l: &mut Arc<Ledger>| Arc::new(l.follow_succession()));

        ScriptEngine { engine, scope: Scope::new(), started, output }
    }

    /// Evaluate a script in the persistent scope; top-level `let` variables persist.
    pub fn eval(&mut self, script: &str) -> Result<Dynamic, ScriptError> {
        *self.started.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        let ast = self.engine.compile_with_scope(&self.scope, script).map_err(|e| {
            let e: EvalAltResult = e.into();
            ScriptError::from_eval(&e)
        })?;
        self.engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &ast)
            .map_err(|e| ScriptError::from_eval(&e))
    }

    /// Lines printed by `print` since the last call.
    pub fn take_output(&mut self) -> Vec<String> {
        std::mem::take(&mut *self.output.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Set a variable in the scope.
    pub fn set(&mut self, name: &str, value: Dynamic) {
        self.scope.set_or_push(name.to_string(), value);
    }

    /// Read a variable from the scope.
    pub fn get(&self, name: &str) -> Option<Dynamic> {
        self.scope.get_value::<Dynamic>(name)
    }
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
}
