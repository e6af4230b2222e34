"""Benchmark (d): a sweep of what-ifs across cores and processes, ``pb.script.sweep`` against a
Python loop of ``apply`` + the metric, and against pandas and polars.

The workload is the embargo sweep of ``whatif_sweep.py``: what-if *i* embargoes the *i*-th
supplier-recipient dyad of 2016-20 (cycling through the 969 dyads with deliveries, largest
first), and the metric is every supplier's TIV and share of world exports in 2016-20 in that
what-if (``Metric("exporters", 2016, 2020, clients=0)``, the table whose ``share`` column the
pandas and polars sides compute for one supplier). The ledger is the SIPRI 2024 register
1990-2023 (27,838 rows), read once, outside the timings. The sweep cuts it once to the metric's
years (2016-20: 4,514 rows, ``Scenario::apply_within``); each what-if copies that cut, embargoes
one dyad and ranks the suppliers. The Python loop's ``apply`` knows no metric: it copies the
whole ledger per what-if.

Sides, each on the same N what-ifs (default 10,000), one run each after a warm-up of 200:

- ``loop``: ``[s.apply(led).exporters(2016, 2020, clients=0) for s in scenarios]`` (Python
  calls into the core, one what-if at a time; what a user writes without ``sweep``);
- ``sweep, 1 thread`` and ``sweep, 2 threads`` (all cores here): the Rust sweep, the two taking
  turns ``--rounds`` times (default 5; the median is reported, and each round's wall time, CPU
  time of the process and load average are printed: on a shared machine a second thread only
  helps when a second core is free, which CPU / wall shows);
- ``Dask``: ``sweep(..., executor=client.get_executor())`` on a ``distributed.LocalCluster``
  of 2 worker processes x 1 thread (real scheduler and worker processes); the cluster's start
  is timed apart, the run includes sending the ledger (Arrow IPC, ``Client.scatter``) and the
  chunks' tables back;
- ``process pool``: the same over ``concurrent.futures.ProcessPoolExecutor(2)`` (spawned
  workers, started before the timing by a first small sweep);
- ``pandas`` and ``polars``: the idiomatic loops of ``whatif_sweep.py`` (boolean mask,
  ``groupby().sum()`` / ``filter``, ``group_by().agg()``), on the ledger's entries restricted to
  2016-20 first, as the sweep does (polars on its own thread pool, 2 threads here).

The script checks that every powerbalance side gives the loop's table, and that the suppliers'
shares agree with pandas and polars (by their sum, since the dyad order may differ among ties),
then prints the times, the time per what-if, and the ratios; the speed-up from 1 to 2 threads
is also given per core (speed-up / 2, the parallel efficiency).

Run: ``POWERBALANCE_DATA=/path/to/data python benchmarks/sweep.py [--whatifs 10000] [--rounds 5]
[--no-dask]``.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Dict, List, Tuple

import pandas as pd
import polars as pl
import powerbalance as pb
import pyarrow as pa
from _synthetic import register_file
from powerbalance.script import Metric, Scenario, sweep
from whatif_sweep import pandas_sweep, polars_sweep

P = (2016, 2020)
METRIC = Metric("exporters", 2016, 2020, clients=0)


def scenarios(led: pb.Ledger, n: int) -> Tuple[List[Scenario], List[str]]:
    dyads = led.by_dyad(*P)
    pairs = list(zip(dyads["supplier"], dyads["recipient"]))
    picks = [pairs[i % len(pairs)] for i in range(n)]
    return [Scenario(f"{s} -/-> {r}").embargo(s, r, *P) for s, r in picks], [s for s, _ in picks]


def loop(led: pb.Ledger, ss: List[Scenario]) -> pa.Table:
    parts = []
    for i, s in enumerate(ss):
        t = s.apply(led).exporters(2016, 2020, clients=0).to_pyarrow().replace_schema_metadata(None)
        parts.append(
            t.add_column(0, pa.field("scenario", pa.int64(), nullable=False), pa.array([i] * t.num_rows, pa.int64()))
        )
    return pa.concat_tables(parts)


def shares(t: pa.Table, suppliers: List[str]) -> List[float]:
    """The embargoed supplier's share in each what-if (0 when it has no export left)."""
    d: Dict[Tuple[int, str], float] = {}
    for sc, sup, sh in zip(t["scenario"].to_pylist(), t["supplier"].to_pylist(), t["share"].to_pylist()):
        d[(sc, sup)] = sh
    return [d.get((i, s), 0.0) for i, s in enumerate(suppliers)]


def timed(f: Callable[[], Any]) -> Tuple[float, Any]:
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def load() -> str:
    return "load average %.1f %.1f %.1f" % os.getloadavg()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--whatifs", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5, help="1- and 2-thread sweeps taking turns (median)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    a = ap.parse_args()
    n = a.whatifs
    print(
        f"python {platform.python_version()}, pandas {pd.__version__}, polars {pl.__version__}, "
        f"powerbalance {pb.__version__}, {os.cpu_count()} cores"
    )
    src = register_file()
    led = pb.read_sipri(src)
    ss, sups = scenarios(led, n)
    print(f"{n:,} what-ifs on {src.name} ({len(led):,} rows), metric {METRIC!r}; {load()}")
    sweep(led, ss[:200], METRIC)  # warm-up
    loop(led, ss[:200])
    times: Dict[str, float] = {}
    times["loop"], want = timed(lambda: loop(led, ss))
    rounds: Dict[int, List[float]] = {1: [], 2: []}
    for r in range(a.rounds):
        for k in (1, 2):
            cpu = time.process_time()
            wall, got = timed(lambda k=k: sweep(led, ss, METRIC, threads=k).to_pyarrow())  # type: ignore[misc]
            cpu = time.process_time() - cpu
            assert got.equals(want), f"the sweep on {k} threads differs from the loop"
            rounds[k].append(wall)
            print(f"  round {r + 1}, {k} thread(s): {wall:.3f} s, CPU / wall {cpu / wall:.2f}; {load()}", flush=True)
    for k, name in ((1, "sweep, 1 thread"), (2, "sweep, 2 threads")):
        times[name] = statistics.median(rounds[k])
    print(f"  in process: {load()}", flush=True)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        sweep(led, ss[:4], METRIC, executor=ex, chunk_size=2)  # start the workers
        times["process pool (2)"], got = timed(lambda: sweep(led, ss, METRIC, executor=ex).to_pyarrow())
        assert got.equals(want), "the process pool's table differs from the loop"
    if not a.no_dask:
        import distributed

        t0 = time.perf_counter()
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            start = time.perf_counter() - t0
            times["Dask LocalCluster (2x1)"], got = timed(
                lambda: sweep(led, ss, METRIC, executor=client.get_executor()).to_pyarrow()
            )
            assert got.equals(want), "the Dask run's table differs from the loop"
        print(f"  Dask cluster start (not in the times): {start:.2f} s; {load()}", flush=True)
    entries = src
    times["pandas"], r_pd = timed(lambda: pandas_sweep(entries, n))
    times["polars"], r_pl = timed(lambda: polars_sweep(entries, n))
    times["pandas"], times["polars"] = r_pd[1], r_pl[1]  # the sweep alone (their read is not in it)
    mine = shares(want, sups)
    for name, other in (("pandas", r_pd[2]), ("polars", r_pl[2])):
        assert abs(sum(mine) - sum(other)) < 1e-6 * n, (name, sum(mine), sum(other))
    print(f"  all sides agree; {load()}")
    base = times["sweep, 2 threads"]
    print(f"\n{'side':<26} {'time':>9} {'per what-if':>12} {'time / sweep (2 threads)':>26}")
    for k, v in times.items():
        print(f"{k:<26} {v:8.3f}s {1e6 * v / n:9.1f} us {v / base:25.2f}x")
    s12 = times["sweep, 1 thread"] / times["sweep, 2 threads"]
    best = min(rounds[1]) / min(rounds[2])
    print(
        f"\nspeed-up 1 -> 2 threads (medians): {s12:.2f}x ({s12 / 2:.0%} per core), best against best "
        f"{best:.2f}x; "
        f"sweep (2 threads) vs the Python loop: {times['loop'] / base:.2f}x"
    )
    if "Dask LocalCluster (2x1)" in times:
        d = times["Dask LocalCluster (2x1)"]
        print(
            f"Dask (2 workers) vs sweep 1 thread: {times['sweep, 1 thread'] / d:.2f}x; "
            f"vs sweep 2 threads: {base / d:.2f}x"
        )
    print(f"process pool (2) vs sweep 1 thread: {times['sweep, 1 thread'] / times['process pool (2)']:.2f}x")
    print(
        f"pandas / sweep (2 threads): {times['pandas'] / base:.1f}x; "
        f"polars / sweep (2 threads): {times['polars'] / base:.1f}x"
    )
    print(load())
    return 0 if math.isfinite(base) else 1


if __name__ == "__main__":
    sys.exit(main())
