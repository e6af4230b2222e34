//! powerbalance-script: a sandboxed Rhai engine over the powerbalance core.
//!
//! The engine starts from [`rhai::Engine::new_raw`] and loads only the standard package (no
//! file or module access), then the domain API as packages ([`api`]): `read_sipri(path)` (only
//! under the roots the host allows; a relative path is taken from the first root), ledgers and
//! their metrics, result tables (indexable, iterable, printable, convertible to arrays and
//! maps) and scenarios (`scenario(name).embargo(...)`, `apply`, `compare`, JSON).
//!
//! `dataset(name)` reads a dataset the host registered ([`ScriptEngine::set_datasets`]: name
//! -> kind and absolute path, resolved by the host's data-home rule) with the kind's reader;
//! it never downloads.
//!
//! Every run is bounded: [`Limits`] caps operations, call depth, expression depth, string,
//! array and map sizes, source size, printed output, memory growth and wall time, and each
//! limit's error names the limit. A script runs on its own thread with a large stack
//! ([`SCRIPT_STACK`]) while the calling thread watches the clock, the memory and the host's
//! interrupt check; the script's progress hook and every domain function read one stop flag
//! ([`check_stop`]). Depth limits are capped at safe maxima ([`MAX_EXPR_DEPTH_CAP`],
//! [`MAX_CALL_LEVELS_CAP`]), and no value nested deeper than [`MAX_NESTING`] leaves the
//! script. Every error carries the script's line and column.
//!
//! ```
//! use powerbalance_script::{Limits, ScriptEngine};
//! let mut e = ScriptEngine::new(Limits::default(), vec![]);
//! assert_eq!(e.eval("let x = 40; x + 2").unwrap().as_int().unwrap(), 42);
//! assert_eq!(e.eval("x * 2").unwrap().as_int().unwrap(), 80); // the scope is kept
//! ```

pub mod args;
pub mod listing;
pub mod packages;
pub mod types;

pub use listing::{functions, FnInfo};
pub use rhai;
pub use types::{
    AllianceYearsRef, AlliancesRef, CapsRef, IdealPointsRef, LedgerRef, MaddisonRef, MilexRef, SdpGdpRef, StateListRef,
    TableRef,
};

use powerbalance_core::scenario::Scenario;
use rhai::{Dynamic, Engine, EvalAltResult, Position, Scope};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The safe maxima of the limits a host may set: above these, parsing a deeply nested
/// expression or recursing through script functions could overflow the script thread's stack
/// ([`SCRIPT_STACK`]). [`Limits::check`] refuses a value above its maximum (naming the limit);
/// [`ScriptEngine::new`] lowers it to the maximum.
pub const MAX_CALL_LEVELS_CAP: usize = 1_000;
/// The safe maximum of `max_expr_depth` and `max_function_expr_depth` (see [`MAX_CALL_LEVELS_CAP`]).
pub const MAX_EXPR_DEPTH_CAP: usize = 1_000;
/// The safe maximum of `max_wall_time`: one day.
pub const MAX_WALL_TIME_CAP: Duration = Duration::from_secs(86_400);
/// The deepest nesting of arrays and maps a value may have to leave the script (a result, a
/// variable kept in the scope). Deeper values would overflow the host's stack when they are
/// converted, cloned or dropped there; they are dropped on the script thread with an error
/// naming the limit `max_nesting`. Hosts that convert values in (the Python glue) use the same
/// bound.
pub const MAX_NESTING: usize = 256;
/// The stack of the thread every script runs on (reserved address space; only the pages used
/// count as memory). Large enough for [`MAX_EXPR_DEPTH_CAP`] and [`MAX_CALL_LEVELS_CAP`] in a
/// debug build.
pub const SCRIPT_STACK: usize = 256 << 20;
/// The most script functions (`fn`) one script may define (Rhai's `set_max_functions`):
/// parsing time grows with the square of their number (10,000 take 2 s, 1,000 take 10 ms).
pub const MAX_FUNCTIONS: usize = 1_000;
/// The most `let` and `const` words one script's text may hold: the parser looks each
/// variable up among those declared before it, so parsing time grows with the square of their
/// number (20,000 take 4 s, 5,000 a quarter of a second), and parsing cannot be interrupted.
/// Counted on the text before parsing (words inside strings count too: a bound, not a census).
pub const MAX_DECLARATIONS: usize = 5_000;
/// How often the host thread looks at the clock, the memory and the interrupt check while a
/// script runs.
const TICK: Duration = Duration::from_millis(5);

/// Resource limits for untrusted scripts. The defaults stop a runaway script within two
/// seconds of wall time and below 512 MiB of memory.
///
/// `max_operations`, `max_string_size`, `max_array_size` and `max_map_size` are Rhai's own
/// (0: no limit). Rhai does not count the memory of map keys or of curried function-pointer
/// arguments, so `max_memory` bounds the growth of the process's resident memory while a
/// script runs (sampled every few milliseconds on Linux; other systems: not enforced), and
/// `max_output_size` bounds what `print` and `debug` collect. `max_source_size` bounds the
/// script's text, checked before it is parsed (parsing is linear in the text, and cannot be
/// interrupted). The depths are capped at [`MAX_EXPR_DEPTH_CAP`] and [`MAX_CALL_LEVELS_CAP`].
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
    /// Bytes of script text (UTF-8).
    pub max_source_size: usize,
    /// Bytes that `print` and `debug` may collect in one run.
    pub max_output_size: usize,
    /// Bytes of resident memory the process may grow by during one run (0: no limit).
    pub max_memory: usize,
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
            max_source_size: 1 << 20,
            max_output_size: 8 << 20,
            max_memory: 512 << 20,
        }
    }
}

impl Limits {
    /// Every limit within its safe range, or `(limit name, message)` for the first that is not.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let depth = |name: &'static str, v: usize, cap: usize| {
            if v == 0 || v > cap {
                Err((name, format!("limit {name} must be from 1 to {cap}, not {v}")))
            } else {
                Ok(())
            }
        };
        depth("max_call_levels", self.max_call_levels, MAX_CALL_LEVELS_CAP)?;
        depth("max_expr_depth", self.max_expr_depth, MAX_EXPR_DEPTH_CAP)?;
        depth("max_function_expr_depth", self.max_function_expr_depth, MAX_EXPR_DEPTH_CAP)?;
        if self.max_wall_time.is_zero() || self.max_wall_time > MAX_WALL_TIME_CAP {
            return Err((
                "max_wall_time",
                format!(
                    "limit max_wall_time must be above 0 and at most {} s, not {:?}",
                    MAX_WALL_TIME_CAP.as_secs(),
                    self.max_wall_time
                ),
            ));
        }
        if self.max_source_size == 0 {
            return Err(("max_source_size", "limit max_source_size must be 1 or more".into()));
        }
        if self.max_output_size == 0 {
            return Err(("max_output_size", "limit max_output_size must be 1 or more".into()));
        }
        Ok(())
    }

    /// These limits with every depth and the wall time brought into their safe range.
    pub fn clamped(&self) -> Limits {
        let mut l = self.clone();
        l.max_call_levels = l.max_call_levels.clamp(1, MAX_CALL_LEVELS_CAP);
        l.max_expr_depth = l.max_expr_depth.clamp(1, MAX_EXPR_DEPTH_CAP);
        l.max_function_expr_depth = l.max_function_expr_depth.clamp(1, MAX_EXPR_DEPTH_CAP);
        l.max_wall_time = l.max_wall_time.clamp(Duration::from_millis(1), MAX_WALL_TIME_CAP);
        l.max_source_size = l.max_source_size.max(1);
        l.max_output_size = l.max_output_size.max(1);
        l
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
    /// `max_array_size`, `max_map_size`, `max_wall_time`, `max_memory`, `max_output_size`,
    /// `max_source_size`, `max_nesting`, `max_functions` ([`MAX_FUNCTIONS`]),
    /// `max_declarations` ([`MAX_DECLARATIONS`]), or `None`.
    pub limit: Option<&'static str>,
    /// True when the host's interrupt check (see [`ScriptEngine::set_interrupt`]) stopped the
    /// script (Ctrl-C, a Jupyter interrupt).
    pub interrupted: bool,
}

const INTERRUPT: &str = "interrupted";
const MEMORY: &str = "memory";
const OUTPUT: &str = "printed output";

fn pos(p: Position) -> (usize, usize) {
    (p.line().unwrap_or(0), p.position().unwrap_or(0))
}

impl ScriptError {
    fn limit(limit: &'static str, message: String) -> Self {
        ScriptError {
            message: format!("{message} [limit: {limit}]"),
            line: 0,
            column: 0,
            limit: Some(limit),
            interrupted: false,
        }
    }

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
                let t = token.to_string();
                if t == INTERRUPT {
                    interrupted = true;
                    None
                } else if t.starts_with(MEMORY) {
                    Some("max_memory")
                } else if t.starts_with(OUTPUT) {
                    Some("max_output_size")
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
            EvalAltResult::ErrorParsing(p, _) if format!("{p:?}").contains("TooManyFunctions") => Some("max_functions"),
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

/// A check the host runs while a script runs (every few tens of milliseconds, on the thread
/// that called [`ScriptEngine::eval`]); returning `true` stops the script with an
/// "interrupted" error. The Python glue re-acquires the GIL and runs Python's signal handlers
/// here, so Ctrl-C stops a script.
pub type InterruptCheck = Arc<dyn Fn() -> bool + Send + Sync>;

/// How often (wall time) the interrupt check runs.
pub const INTERRUPT_EVERY: Duration = Duration::from_millis(20);

/// Why a run must stop, shared by the host thread (which sets it) and the script thread (whose
/// progress hook and host functions read it).
struct Guard {
    stop: AtomicBool,
    reason: Mutex<String>,
}

impl Guard {
    fn trip(&self, reason: String) {
        let mut r = lock(&self.reason);
        if !self.stop.load(Ordering::Acquire) {
            *r = reason;
            self.stop.store(true, Ordering::Release);
        }
    }

    fn reset(&self) {
        let mut r = lock(&self.reason);
        r.clear();
        self.stop.store(false, Ordering::Release);
    }

    fn token(&self) -> Option<Dynamic> {
        if self.stop.load(Ordering::Acquire) {
            Some(Dynamic::from(lock(&self.reason).clone()))
        } else {
            None
        }
    }
}

/// What a running script's host functions need from its engine: the stop flag, the data
/// folders the readers may read under and the registered datasets. Set on the script thread for
/// the run, so that one shared package ([`packages::package`]) serves every engine.
pub(crate) struct Host {
    guard: Arc<Guard>,
    pub(crate) roots: Arc<Vec<PathBuf>>,
    pub(crate) datasets: Datasets,
}

thread_local! {
    static CURRENT: std::cell::RefCell<Option<Arc<Host>>> = const { std::cell::RefCell::new(None) };
}

/// The engine running the current script (its data roots and datasets); an error outside a run.
pub(crate) fn host() -> Result<Arc<Host>, Box<EvalAltResult>> {
    CURRENT
        .with(|c| c.borrow().clone())
        .ok_or_else(|| "this function reads data and can only run inside ScriptEngine::eval".into())
}

/// For host functions: stop at once (with the same error as the progress hook) when the run's
/// wall time, memory or output limit was reached or the host asked for an interrupt. Cheap (one
/// atomic load); every domain function calls it before its work, so a loop of host calls (a
/// what-if sweep) stops within one call of the limit. Outside a run it always passes.
pub fn check_stop() -> Result<(), Box<EvalAltResult>> {
    let token = CURRENT.with(|c| c.borrow().as_ref().and_then(|h| h.guard.token()));
    match token {
        Some(t) => Err(Box::new(EvalAltResult::ErrorTerminated(t, Position::NONE))),
        None => Ok(()),
    }
}

/// Resident memory of this process in bytes (Linux; `None` elsewhere).
fn resident_bytes() -> Option<usize> {
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = s.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Is a value nested (arrays, maps) deeper than `MAX_NESTING`? The recursion stops there.
fn too_deep(v: &Dynamic, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return true;
    }
    if v.is_array() {
        if let Ok(a) = v.as_array_ref() {
            return a.iter().any(|x| too_deep(x, depth + 1));
        }
    }
    if v.is_map() {
        if let Ok(m) = v.as_map_ref() {
            return m.values().any(|x| too_deep(x, depth + 1));
        }
    }
    false
}

/// What `print` and `debug` collected, bounded by `max_output_size`.
#[derive(Default)]
struct Output {
    lines: Vec<String>,
    bytes: usize,
    full: bool,
}

impl Output {
    fn push(&mut self, line: String, max: usize, guard: &Guard) {
        if self.full {
            return;
        }
        if self.bytes + line.len() + 1 > max {
            self.full = true;
            self.lines
                .push(format!("[output truncated: the script printed more than {max} bytes; limit max_output_size]"));
            guard.trip(format!("{OUTPUT} above {max} bytes"));
            return;
        }
        self.bytes += line.len() + 1;
        self.lines.push(line);
    }
}

/// The kinds of data a host may register for `dataset(name)`, with the reader each uses.
pub const DATASET_KINDS: [&str; 9] =
    ["sipri", "nmc", "milex", "cow-alliances", "atop", "ideal-points", "maddison", "sdp-gdp", "states"];

/// A dataset `dataset(name)` may read: its kind (one of [`DATASET_KINDS`]) and its absolute
/// path (a file, or a folder for a multi-file SIPRI release). The path may not exist yet (not
/// fetched): `dataset(name)` then says how to fetch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetEntry {
    pub kind: String,
    pub path: PathBuf,
}

type Datasets = Arc<std::sync::RwLock<BTreeMap<String, DatasetEntry>>>;

/// A Rhai engine with the powerbalance API, a persistent scope and the sandbox limits.
///
/// Every [`eval`](Self::eval) runs the script on its own thread with a [`SCRIPT_STACK`]
/// stack, while the calling thread watches the wall time, the memory and the host's
/// interrupt check and stops the script when one trips.
pub struct ScriptEngine {
    engine: Engine,
    scope: Scope<'static>,
    limits: Limits,
    guard: Arc<Guard>,
    output: Arc<Mutex<Output>>,
    interrupt: Option<InterruptCheck>,
    datasets: Datasets,
    roots: Arc<Vec<PathBuf>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The engine itself, without state: both shared packages and every limit.
fn build(limits: &Limits) -> Engine {
    let mut engine = Engine::new_raw();
    packages::register(&mut engine);
    engine.set_max_operations(limits.max_operations);
    engine.set_max_call_levels(limits.max_call_levels);
    engine.set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth);
    engine.set_max_string_size(limits.max_string_size);
    engine.set_max_array_size(limits.max_array_size);
    engine.set_max_map_size(limits.max_map_size);
    engine.set_max_functions(MAX_FUNCTIONS);
    engine
}

/// The error for a name no dataset has: the known names, nearest first.
pub(crate) fn unknown_dataset<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> String {
    // compare at most 64 characters: a megabyte name must not make the search slow
    let key: String = name.chars().take(64).collect::<String>().to_lowercase();
    let mut names: Vec<(f64, &String)> = known.map(|k| (strsim::jaro_winkler(&key, k), k)).collect();
    if names.is_empty() {
        return format!("unknown dataset {:?}: this engine has no datasets (its host registered none)", shorten(name));
    }
    names.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let list: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
    format!("unknown dataset {:?}; the datasets are (nearest first): {}", shorten(name), list.join(", "))
}

/// A name for an error message: at most 80 characters.
pub(crate) fn shorten(s: &str) -> String {
    if s.chars().count() <= 80 {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(80).collect::<String>())
    }
}

impl ScriptEngine {
    /// A sandboxed engine. `allowed_roots` are the only folders `read_sipri` (and the other
    /// readers) may read under; a relative path is taken from the first. Limits outside their
    /// safe range are brought into it ([`Limits::clamped`]); use [`Limits::check`] first to
    /// refuse them instead.
    pub fn new(limits: Limits, allowed_roots: Vec<PathBuf>) -> Self {
        let limits = limits.clamped();
        let datasets: Datasets = Arc::default();
        let roots = Arc::new(allowed_roots.iter().filter_map(|r| r.canonicalize().ok()).collect());
        let mut engine = build(&limits);
        let guard = Arc::new(Guard { stop: AtomicBool::new(false), reason: Mutex::new(String::new()) });
        let g = guard.clone();
        engine.on_progress(move |_| g.token());
        let output = Arc::new(Mutex::new(Output::default()));
        let (o2, g2, max) = (output.clone(), guard.clone(), limits.max_output_size);
        engine.on_print(move |s| lock(&o2).push(s.to_string(), max, &g2));
        let (o3, g3) = (output.clone(), guard.clone());
        engine.on_debug(move |s, _src, p| {
            let (l, c) = pos(p);
            lock(&o3).push(format!("[{l}:{c}] {s}"), max, &g3)
        });
        ScriptEngine { engine, scope: Scope::new(), limits, guard, output, interrupt: None, datasets, roots }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Install (or remove) the host's interrupt check.
    pub fn set_interrupt(&mut self, check: Option<InterruptCheck>) {
        self.interrupt = check;
    }

    /// The datasets `dataset(name)` reads: name -> (kind, absolute path). Replaces the previous
    /// map. Fails, changing nothing, on a kind not in [`DATASET_KINDS`] or a relative path.
    /// These paths are readable by `dataset(name)` whatever the allowed roots are (read-only).
    pub fn set_datasets(&mut self, datasets: impl IntoIterator<Item = (String, DatasetEntry)>) -> Result<(), String> {
        let mut m = BTreeMap::new();
        for (name, e) in datasets {
            if !DATASET_KINDS.contains(&e.kind.as_str()) {
                return Err(format!(
                    "dataset {name:?}: unknown kind {:?}; the kinds are {}",
                    e.kind,
                    DATASET_KINDS.join(", ")
                ));
            }
            if !e.path.is_absolute() {
                return Err(format!("dataset {name:?}: the path must be absolute, not {}", e.path.display()));
            }
            m.insert(name, e);
        }
        *self.datasets.write().unwrap_or_else(|p| p.into_inner()) = m;
        Ok(())
    }

    /// The registered datasets.
    pub fn datasets(&self) -> BTreeMap<String, DatasetEntry> {
        self.datasets.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Evaluate a script in the persistent scope; top-level `let` variables persist.
    ///
    /// The script runs on its own thread ([`SCRIPT_STACK`]); this thread checks the wall
    /// time and the memory every few milliseconds and runs the interrupt check every
    /// [`INTERRUPT_EVERY`]. A result or a scope variable nested deeper than [`MAX_NESTING`]
    /// is dropped there with a `max_nesting` error.
    pub fn eval(&mut self, script: &str) -> Result<Dynamic, ScriptError> {
        let limits = self.limits.clone();
        if script.len() > limits.max_source_size {
            return Err(ScriptError::limit(
                "max_source_size",
                format!("the script is {} bytes, above the {} allowed", script.len(), limits.max_source_size),
            ));
        }
        let declared = count_declarations(script);
        if declared > MAX_DECLARATIONS {
            return Err(ScriptError::limit(
                "max_declarations",
                format!("the script declares {declared} variables or constants (let, const), above the {MAX_DECLARATIONS} allowed"),
            ));
        }
        self.guard.reset();
        let t0 = Instant::now();
        let base = resident_bytes();
        let (engine, scope, guard) = (&self.engine, &mut self.scope, self.guard.clone());
        let host = Arc::new(Host { guard: guard.clone(), roots: self.roots.clone(), datasets: self.datasets.clone() });
        let interrupt = self.interrupt.clone();
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::channel();
            let worker = std::thread::Builder::new().name("rhai-script".into()).stack_size(SCRIPT_STACK).spawn_scoped(
                s,
                move || {
                    CURRENT.with(|c| *c.borrow_mut() = Some(host));
                    let r =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_script(engine, scope, script)));
                    CURRENT.with(|c| *c.borrow_mut() = None);
                    let r = r.unwrap_or_else(|p| {
                        let what = p
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| p.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "unknown panic".into());
                        Err(ScriptError {
                            message: format!("internal error (please report it): {what}"),
                            line: 0,
                            column: 0,
                            limit: None,
                            interrupted: false,
                        })
                    });
                    let _ = tx.send(r);
                },
            );
            if let Err(e) = worker {
                return Err(ScriptError {
                    message: format!("could not start the script thread: {e}"),
                    line: 0,
                    column: 0,
                    limit: None,
                    interrupted: false,
                });
            }
            let mut last_check = Instant::now();
            loop {
                match rx.recv_timeout(TICK) {
                    Ok(r) => return r,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(ScriptError {
                            message: "the script thread ended without a result".into(),
                            line: 0,
                            column: 0,
                            limit: None,
                            interrupted: false,
                        })
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                }
                if t0.elapsed() > limits.max_wall_time {
                    guard.trip(format!("wall time above {:.1} s", limits.max_wall_time.as_secs_f64()));
                }
                if limits.max_memory > 0 {
                    if let (Some(b), Some(now)) = (base, resident_bytes()) {
                        if now.saturating_sub(b) > limits.max_memory {
                            guard
                                .trip(format!("{MEMORY} above {} MiB more than at the start", limits.max_memory >> 20));
                        }
                    }
                }
                if let Some(check) = &interrupt {
                    if last_check.elapsed() >= INTERRUPT_EVERY {
                        last_check = Instant::now();
                        if check() {
                            guard.trip(INTERRUPT.to_string());
                        }
                    }
                }
            }
        })
    }

    /// Lines printed by `print` (and `debug`) since the last call; when the script printed more
    /// than `max_output_size` bytes, the last line says the output was truncated.
    pub fn take_output(&mut self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.output)).lines
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

    /// Every variable of the scope with its Rhai type name (`Ledger`, `Table`, `int`, ...), in
    /// the order they were defined (for a kernel's completion and inspection).
    pub fn variables(&self) -> Vec<(String, String)> {
        // the scope iterates from the latest variable
        let mut v: Vec<(String, String)> = self
            .scope
            .iter_raw()
            .map(|(n, _, v)| (n.to_string(), self.engine.map_type_name(v.type_name()).to_string()))
            .collect();
        v.reverse();
        v
    }

    /// Forget every variable.
    pub fn reset(&mut self) {
        self.scope.clear();
    }
}

/// How many times the words `let` and `const` appear in `script` (not inside a longer
/// identifier).
fn count_declarations(script: &str) -> usize {
    let b = script.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut n = 0;
    for (i, _) in script.match_indices("let").chain(script.match_indices("const")) {
        let len = if b[i] == b'l' { 3 } else { 5 };
        let before = i == 0 || !ident(b[i - 1]);
        let after = i + len >= b.len() || !ident(b[i + len]);
        if before && after {
            n += 1;
        }
    }
    n
}

/// Compile and run on the script thread; then check the nesting of the result and of every
/// scope variable, dropping (here, on the big stack) what is too deep.
fn run_script(engine: &Engine, scope: &mut Scope<'static>, script: &str) -> Result<Dynamic, ScriptError> {
    let ast = engine.compile_with_scope(scope, script).map_err(|e| {
        let e: EvalAltResult = e.into();
        ScriptError::from_eval(&e)
    })?;
    let r = engine.eval_ast_with_scope::<Dynamic>(scope, &ast).map_err(|e| ScriptError::from_eval(&e));
    let deep: Vec<String> =
        scope.iter_raw().filter(|(_, _, v)| too_deep(v, 0)).map(|(n, _, _)| n.to_string()).collect();
    for n in &deep {
        let _ = scope.set_value(n.clone(), Dynamic::UNIT);
    }
    let nesting = |what: String| {
        ScriptError::limit(
            "max_nesting",
            format!("{what} arrays and maps nested deeper than {MAX_NESTING} levels, which cannot leave the script"),
        )
    };
    if let Some(n) = deep.first() {
        return Err(nesting(format!("variable {n:?} held (it is now ()):")));
    }
    let v = r?;
    if too_deep(&v, 0) {
        drop(v);
        return Err(nesting("the result holds".into()));
    }
    Ok(v)
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

    /// Limits that stop a script by its wall time only (no operation count).
    pub(crate) fn wall_only(wall: Duration) -> Limits {
        Limits { max_operations: 0, max_wall_time: wall, ..Limits::default() }
    }

    #[test]
    fn scope_persists_and_print_is_captured() {
        let mut e = ScriptEngine::new(Limits::default(), vec![]);
        let _ = e.eval("let a = [1, 2, 3]; print(`n=${a.len()}`); let s = scenario(`x`); let f = 1.5;").unwrap();
        let v = e.variables();
        assert_eq!(v[0], ("a".to_string(), "array".to_string()));
        assert_eq!(v[1], ("s".to_string(), "Scenario".to_string()));
        assert_eq!(v[2], ("f".to_string(), "f64".to_string()), "the names of Rhai's type_of");
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
        let mut e = ScriptEngine::new(wall_only(Duration::from_millis(200)), vec![]);
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
        let mut e =
            ScriptEngine::new(Limits { max_string_size: 1000, max_array_size: 1000, ..Limits::default() }, vec![]);
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
        let err =
            e.eval("let m = #{}; let i = 0; loop { let one = #{}; one[`k${i}`] = i; m += one; i += 1; }").unwrap_err();
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
        let mut e = ScriptEngine::new(wall_only(Duration::from_secs(30)), vec![]);
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
mod limit_tests {
    //! The exhaustion classes of issue 11: each ends in a typed error within the wall time.
    use super::*;
    use crate::tests::wall_only;

    fn quick(l: Limits) -> ScriptEngine {
        ScriptEngine::new(l, vec![])
    }

    #[test]
    fn source_size_is_checked_before_parsing() {
        let mut e = quick(Limits { max_source_size: 1000, ..Limits::default() });
        let err = e.eval(&format!("let x = \"{}\";", "a".repeat(2000))).unwrap_err();
        assert_eq!(err.limit, Some("max_source_size"), "{err}");
        assert_eq!(e.eval("1 + 1").unwrap().as_int().unwrap(), 2);
    }

    #[test]
    fn a_megabyte_of_source_parses_quickly() {
        // the default source limit: the largest script parses well within the wall time
        let mut e = quick(Limits::default());
        let line = "let a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] + [(1 + 2) * 3 - 4 / 5];\n";
        let src = line.repeat((1 << 20) / line.len());
        let t = Instant::now();
        let _ = e.eval(&src);
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    }

    #[test]
    fn parse_time_is_bounded_by_counting_functions_and_declarations() {
        let mut e = quick(Limits { max_wall_time: Duration::from_secs(60), ..Limits::default() });
        let fns: String = (0..MAX_FUNCTIONS + 1).map(|i| format!("fn f_{i}(a) {{ a }}\n")).collect();
        let t = Instant::now();
        let err = e.eval(&fns).unwrap_err();
        assert_eq!(err.limit, Some("max_functions"), "{err}");
        let lets: String = (0..MAX_DECLARATIONS + 1).map(|i| format!("let v{i} = {i};\n")).collect();
        let err = e.eval(&lets).unwrap_err();
        assert_eq!(err.limit, Some("max_declarations"), "{err}");
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        // the most allowed parse quickly; words inside identifiers do not count
        let ok: String = (0..MAX_DECLARATIONS).map(|i| format!("let v{i} = {i};\n")).collect();
        let t = Instant::now();
        let _ = e.eval(&ok).unwrap();
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        assert_eq!(count_declarations("let letter = 1; const x = constant; outlet"), 2);
    }

    #[test]
    fn the_print_buffer_is_capped() {
        let mut e = quick(Limits {
            max_output_size: 10_000,
            max_operations: 0,
            max_wall_time: Duration::from_secs(20),
            ..Limits::default()
        });
        let t = Instant::now();
        let err = e.eval("let s = \"x\"; s.pad(1000, \"y\"); loop { print(s); }").unwrap_err();
        assert_eq!(err.limit, Some("max_output_size"), "{err}");
        assert!(t.elapsed() < Duration::from_secs(2));
        let out = e.take_output();
        assert!(out.len() <= 11, "{}", out.len());
        assert!(out.last().unwrap().contains("output truncated"), "{out:?}");
        assert!(e.take_output().is_empty());
        // the next run starts with an empty buffer
        let _ = e.eval("print(\"ok\")").unwrap();
        assert_eq!(e.take_output(), vec!["ok".to_string()]);
    }

    /// A script that grows memory Rhai does not count stops at `max_memory` within seconds.
    fn stops_at_the_memory_limit(script: &str) {
        let mut e = quick(Limits {
            max_memory: 64 << 20,
            max_operations: 0,
            max_wall_time: Duration::from_secs(30),
            ..Limits::default()
        });
        let t = Instant::now();
        let err = e.eval(script).unwrap_err();
        assert_eq!(err.limit, Some("max_memory"), "{err}");
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
        e.reset();
    }

    #[test]
    fn map_keys_count_against_the_memory_limit() {
        // each key is 512 KiB; Rhai's map limit counts entries and value sizes, not keys
        stops_at_the_memory_limit(
            "let k = \"\"; k.pad(524288, \"k\"); let m = #{}; let i = 0; loop { m[k + i] = 0; i += 1; }",
        );
    }

    #[test]
    fn curried_arguments_count_against_the_memory_limit() {
        stops_at_the_memory_limit(
            "fn g(x) { x } let a = []; a.pad(100000, 1); let l = []; loop { l.push(Fn(\"g\").curry(a)); }",
        );
    }

    #[test]
    fn deep_values_do_not_leave_the_script() {
        let mut e = quick(Limits::default());
        let err = e.eval("let a = []; for i in 0..300 { a = [a]; } 1").unwrap_err();
        assert_eq!(err.limit, Some("max_nesting"), "{err}");
        assert!(err.message.contains("\"a\""), "{err}");
        assert!(e.get("a").unwrap().is_unit());
        let err = e.eval("let b = #{}; for i in 0..300 { b = #{x: b}; } let c = b; ()").unwrap_err();
        assert_eq!(err.limit, Some("max_nesting"), "{err}");
        let err = e.eval("let d = []; for i in 0..300 { d = [d]; } d").unwrap_err();
        assert_eq!(err.limit, Some("max_nesting"), "{err}");
        // nesting below the bound passes
        let v = e.eval("let d = []; for i in 0..200 { d = [d]; } d").unwrap();
        assert!(v.is_array());
    }

    #[test]
    fn very_deep_values_inside_a_script_do_not_overflow_the_stack() {
        // built inside the script (quadratic: each level copies the last), printed, dropped
        let mut e = quick(wall_only(Duration::from_secs(20)));
        let r = e.eval("let a = []; for i in 0..20000 { a = [a]; } let n = a.len(); a = (); n");
        assert!(r.is_ok() || r.as_ref().unwrap_err().limit.is_some(), "{r:?}");
    }

    #[test]
    fn limits_above_their_safe_maxima_are_refused_or_lowered() {
        let l = Limits { max_expr_depth: 1 << 40, ..Limits::default() };
        assert_eq!(l.check().unwrap_err().0, "max_expr_depth");
        assert_eq!(Limits { max_call_levels: 0, ..Limits::default() }.check().unwrap_err().0, "max_call_levels");
        assert_eq!(
            Limits { max_wall_time: Duration::from_secs(1 << 40), ..Limits::default() }.check().unwrap_err().0,
            "max_wall_time"
        );
        assert!(Limits::default().check().is_ok());
        let e = quick(l);
        assert_eq!(e.limits().max_expr_depth, MAX_EXPR_DEPTH_CAP);
    }

    #[test]
    fn the_deepest_allowed_expression_and_recursion_do_not_overflow() {
        let mut e = quick(Limits {
            max_expr_depth: MAX_EXPR_DEPTH_CAP,
            max_function_expr_depth: MAX_EXPR_DEPTH_CAP,
            max_call_levels: MAX_CALL_LEVELS_CAP,
            max_operations: 0,
            max_wall_time: Duration::from_secs(60),
            ..Limits::default()
        });
        for d in [MAX_EXPR_DEPTH_CAP - 10, MAX_EXPR_DEPTH_CAP + 10, 100_000] {
            let src = format!("let x = {}1{};", "(".repeat(d), ")".repeat(d));
            let r = e.eval(&src);
            if d > MAX_EXPR_DEPTH_CAP {
                assert_eq!(r.unwrap_err().limit, Some("max_expr_depth"));
            }
            let src = format!("let x = {}1{};", "[".repeat(d), "]".repeat(d));
            let _ = e.eval(&src);
            let src = format!("fn f() {{ {}1{} }} f()", "(".repeat(d), ")".repeat(d));
            let _ = e.eval(&src);
        }
        let f = "fn f(n) { if n == 0 { 0 } else { 1 + f(n - 1) } }\n";
        let err = e.eval(&format!("{f}f(100000)")).unwrap_err();
        assert_eq!(err.limit, Some("max_call_levels"), "{err}");
        let v = e.eval(&format!("{f}f({})", MAX_CALL_LEVELS_CAP - 5)).unwrap();
        assert_eq!(v.as_int().unwrap(), (MAX_CALL_LEVELS_CAP - 5) as i64);
    }

    #[test]
    fn host_calls_check_the_stop_flag() {
        // a loop of host calls: each call checks the flag the host thread set
        let mut e = quick(wall_only(Duration::from_millis(200)));
        let t = Instant::now();
        let err = e.eval("let s = scenario(\"x\"); loop { s = s.embargo(\"Russia\", \"China\", 2000, 2001); if s.len() > 1000 { s = scenario(\"x\"); } }").unwrap_err();
        assert_eq!(err.limit, Some("max_wall_time"), "{err}");
        assert!(t.elapsed() < Duration::from_secs(2));
        assert!(check_stop().is_ok(), "outside a run the check passes");
    }

    #[test]
    fn unknown_and_missing_datasets_are_clear_errors() {
        let mut e = quick(Limits::default());
        let err = e.eval("dataset(\"cow-nmc-v7\")").unwrap_err();
        assert!(err.message.contains("no datasets"), "{err}");
        let home = std::env::temp_dir().join(format!("pb-empty-home-{}", std::process::id()));
        let entries = [
            ("cow-nmc-v6", "nmc", "cow_nmc/NMC-60-abridged.csv"),
            ("cow-nmc-v7", "nmc", "cow_nmc/NMC-v7.0-abridged.csv"),
            ("sipri-milex", "milex", "sipri_milex/x.csv"),
        ];
        e.set_datasets(
            entries.iter().map(|(n, k, p)| (n.to_string(), DatasetEntry { kind: k.to_string(), path: home.join(p) })),
        )
        .unwrap();
        let err = e.eval("dataset(\"cow-nmc-v8\")").unwrap_err();
        assert!(err.message.contains("unknown dataset \"cow-nmc-v8\""), "{err}");
        let list = err.message.split("nearest first): ").nth(1).unwrap();
        assert!(list.starts_with("cow-nmc-v"), "{list}");
        assert!(list.ends_with("sipri-milex"), "{list}");
        let err = e.eval("\n dataset(\"cow-nmc-v7\")").unwrap_err();
        assert!(err.message.contains("dataset 'cow-nmc-v7' is not in the data home"), "{err}");
        assert!(err.message.contains("run `powerbalance data fetch cow-nmc-v7`"), "{err}");
        assert_eq!(err.line, 2);
        let big = format!("dataset(\"{}\")", "z".repeat(500_000));
        let t = Instant::now();
        let err = e.eval(&big).unwrap_err();
        assert!(err.message.len() < 1000 && t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
        // kinds and paths are checked when registered
        let bad =
            e.set_datasets([("x".to_string(), DatasetEntry { kind: "csv".into(), path: home.join("x") })]).unwrap_err();
        assert!(bad.contains("unknown kind"), "{bad}");
        assert_eq!(e.datasets().len(), 3, "a refused map changes nothing");
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
        assert!(
            e.eval("read_sipri(\"tiv_tables_2022/lajh87_export_tiv_1950-2021.csv\").len()").unwrap().as_int().unwrap()
                > 0
        );
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
                let mut e = ScriptEngine::new(
                    Limits { max_wall_time: Duration::from_secs(60), ..Limits::default() },
                    vec![data()],
                );
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
                   let us = t.lookup("stateabb", "USA", "cinc_recomputed");
                   let sub = caps.shares(2016, ["USA", "CHN", "RUS"]);
                   let s = scenario("x").scale_capabilities("China", "milex", 2.0, 2016);
                   let w = s.apply(caps);
                   let c = compare(caps, s, |c| c.rank(2016));
                   [us, sub.sum("share_of_group"), caps.value("CHN", 2016, "milex"), w.value(710, 2016, "milex"),
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
        let m = e.eval("classify_triangle([\"A\", \"B\", \"C\"], [1.0, -1.0, -1.0])").unwrap().cast::<rhai::Map>();
        assert_eq!(m["type"].to_string(), "stable marriage");
        assert_eq!(m["actor"].to_string(), "C");
        let x = e
            .eval("crossovers(#{\"2000\": 1.0, \"2001\": 3.0}, [[2000, 2.0], [2001, 2.0]], #{names: [\"a\", \"b\"]})[0].year")
            .unwrap();
        assert_eq!(x.as_int().unwrap(), 2001);
    }

    #[test]
    fn tables_print_like_python() {
        let mut e = ScriptEngine::new(Limits::default(), vec![data()]);
        let _ = e
            .eval(&format!(
                "let led = read_sipri(\"{TABLES}\"); print(led.importers(2016, 2020, #{{top: 3, suppliers: 1}}));"
            ))
            .unwrap();
        let out = e.take_output().join("\n");
        assert!(out.starts_with("rank  recipient"), "{out}");
        assert!(out.contains("India") && out.contains('%'), "{out}");
    }

    #[test]
    fn dataset_reads_the_registered_files() {
        let mut e = ScriptEngine::new(Limits { max_wall_time: Duration::from_secs(60), ..Limits::default() }, vec![]);
        let d = data();
        e.set_datasets([
            (
                "sipri-register-2024".to_string(),
                DatasetEntry { kind: "sipri".into(), path: d.join("sipri/register_newformat_2024") },
            ),
            (
                "cow-nmc-v6".to_string(),
                DatasetEntry { kind: "nmc".into(), path: d.join("cow_nmc/NMC-60-abridged.csv") },
            ),
            (
                "cow-states".to_string(),
                DatasetEntry { kind: "states".into(), path: d.join("cow_states/states2016.csv") },
            ),
        ])
        .unwrap();
        let v = e.eval("let l = dataset(\"sipri-register-2024\"); [l.len(), dataset(\"cow-nmc-v6\").cinc(2016).len(), dataset(\"cow-states\").len()]").unwrap().into_array().unwrap();
        assert_eq!(v[0].as_int().unwrap(), 59_157);
        assert!(v[1].as_int().unwrap() > 150);
        assert!(v[2].as_int().unwrap() > 200);
        // no root is allowed: the readers refuse the same files
        let err = e.eval("read_sipri(\"sipri/register_newformat_2024\")").unwrap_err();
        assert!(err.message.contains("outside") || err.message.contains("No such file"), "{err}");
    }

    #[test]
    fn huge_arguments_to_host_functions_stay_quick() {
        let mut e =
            ScriptEngine::new(Limits { max_wall_time: Duration::from_secs(20), ..Limits::default() }, vec![data()]);
        let _ = e.eval(&format!("let led = read_sipri(\"{TABLES}\");")).unwrap();
        let t = Instant::now();
        let n = e
            .eval("led.importers(2016, 2020, #{top: 9223372036854775807, suppliers: 9223372036854775807}).len()")
            .unwrap();
        assert!(n.as_int().unwrap() > 100);
        let n = e.eval("led.exporters(2016, 2020, #{top: 1000000000, clients: 1000000000}).columns.len()").unwrap();
        assert!(n.as_int().unwrap() < 2000);
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        let t = Instant::now();
        let err = e.eval("let n = \"\"; n.pad(1000000, \"q\"); led.suppliers(n, 2016, 2020)").unwrap_err();
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        assert!(err.message.to_lowercase().contains("unknown"), "{}", &err.message[..200.min(err.message.len())]);
        // a sweep of host calls stops at the wall time
        let mut e = ScriptEngine::new(crate::tests::wall_only(Duration::from_millis(500)), vec![data()]);
        let t = Instant::now();
        let err = e.eval(&format!("let led = read_sipri(\"{TABLES}\"); let y = 1950; loop {{ led.exporters(1950, y); y = if y == 2020 {{ 1950 }} else {{ y + 1 }}; }}")).unwrap_err();
        assert_eq!(err.limit, Some("max_wall_time"), "{err}");
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }
}
