//! How many threads the readers use.

/// Threads for work split across cores: `POWERBALANCE_THREADS` when set to a whole number of at
/// least 1, otherwise the number of cores the process may use (at most 16).
///
/// ```
/// std::env::set_var("POWERBALANCE_THREADS", "1");
/// assert_eq!(powerbalance_core::parallel::threads(), 1);
/// ```
pub fn threads() -> usize {
    if let Some(n) = std::env::var("POWERBALANCE_THREADS").ok().and_then(|v| v.trim().parse::<usize>().ok()) {
        if n >= 1 {
            return n;
        }
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(16))
}
