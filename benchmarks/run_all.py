"""Run every benchmark at 1x, 10x and 100x the real data size and print one table of ratios.

- (a) ``fact_sheet.py``: read the SIPRI register and compute the fact-sheet importer table;
- (b) ``panel.py``: the directed dyad-year panel (what grows: the arms ledger);
- (c) ``whatif_sweep.py``: the embargo what-if sweep (10,000 what-ifs at 1x, 10,000 / size above;
  plus, with ``--tables``, the 1x run on the 2022 TIV tables that (c) used before it had sizes).

Each workload prints its own lines as it goes (and checks that the three implementations agree),
then this script prints one table: every time, and the ratios pandas / powerbalance and
polars / powerbalance (above 1: powerbalance is faster). Synthetic data is made by
``_synthetic.py`` in a temporary folder, never in the repository.

Run: ``POWERBALANCE_DATA=/path/to/data python benchmarks/run_all.py [--sizes 1 10 100] [--repeat N]
[--whatifs 10000] [--tables] [--only a b c]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        lines = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(line for line in lines if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores ({model}){mem}, {system}"


def load() -> float:
    """The 1-minute load average (on a shared machine every figure comes with it)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def table(results: List[Dict[str, Any]]) -> None:
    def secs(x: Optional[float]) -> str:
        return "-" if x is None else f"{x:.3f} s" if x < 10 else f"{x:.1f} s"

    def ratio(x: Optional[float], base: float) -> str:
        return "-" if x is None else f"{x / base:.2f}x"

    head = ["workload", "size", "what", "powerbalance", "pandas", "polars", "pandas / pb", "polars / pb", "load"]
    rows = [
        [
            r["workload"],
            f"{r['scale']}x",
            r.get("size") or f"{r['rows']:,} rows, {r['mb']:.0f} MB",
            secs(r["powerbalance"]),
            secs(r.get("pandas")),
            secs(r.get("polars")),
            ratio(r.get("pandas"), r["powerbalance"]),
            ratio(r.get("polars"), r["powerbalance"]),
            f"{r['load']:.1f}",
        ]
        for r in results
    ]
    w = [max(len(str(c)) for c in col) for col in zip(head, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(n) for c, n in zip(cells, w)) + " |"  # noqa: E731
    print("\n" + line(head))
    print("|" + "|".join("-" * (n + 2) for n in w) + "|")
    for r in rows:
        print(line(r))
    print(
        "times: after one untimed run of each side, (a) best of --repeat (--order; 100x: a third, at least 2), "
        "(b) median of --repeat (100x: a third), rows in"
    )
    print("powerbalance's order; (c) one run, end to end (read + sweep). ratio: the other tool's time over")
    print("powerbalance's (above 1: powerbalance is faster). load: the 1-minute load average when the size's")
    print("runs ended, or the workload's where it gives none per size (on 2 cores, above 2 the runs shared")
    print("the cores with other work).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--whatifs", type=int, default=10_000, help="(c): what-ifs at 1x, divided by the size")
    ap.add_argument("--tables", action="store_true", help="(c): also the 1x run on the 2022 TIV tables")
    ap.add_argument("--only", choices=["a", "b", "c"], nargs="+", default=["a", "b", "c"])
    ap.add_argument(
        "--order",
        choices=["blocks", "turns"],
        default="blocks",
        help="(a): each side's runs in a row, or the sides taking turns",
    )
    ap.add_argument("--workdir", default=None, help="where the synthetic registers go (default: a temp folder)")
    a = ap.parse_args()
    sys.path.insert(0, str(HERE))
    import _synthetic

    wd = _synthetic.workdir(a.workdir)
    print("machine:", machine())
    import pandas as pd
    import polars as pl
    import powerbalance as pb

    print(
        f"pandas {pd.__version__}, polars {pl.__version__} ({pl.thread_pool_size()} threads), "
        f"powerbalance {pb.__version__}"
    )
    results: List[Dict[str, Any]] = []

    def with_load(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        # each workload's rows come back when all its sizes have run: one load figure for them
        now = load()
        return [{**r, "load": r.get("load", now)} for r in rows]

    print(f"load average at the start: {load():.1f}")
    if "a" in a.only:
        import fact_sheet

        print("\n== (a) fact_sheet.py", flush=True)
        results += with_load(fact_sheet.run(a.sizes, (2019, 2023), a.repeat, wd, a.order))
    if "b" in a.only:
        import panel

        print("\n== (b) panel.py", flush=True)
        results += with_load(panel.run(a.sizes, a.repeat, wd))
    if "c" in a.only:
        import whatif_sweep

        print("\n== (c) whatif_sweep.py", flush=True)
        results += with_load(whatif_sweep.run(a.sizes, a.whatifs, wd, a.tables))
    table(results)


if __name__ == "__main__":
    main()
