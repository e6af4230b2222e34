"""Whole-process benchmarks: what a user feels when a script or a CLI call runs, interpreter start
and imports included.

Timed as separate processes (``subprocess.run``, wall clock from spawn to exit), the commands
taking turns round after round so that a slow moment of the machine falls on all of them; the
median of ``--rounds`` runs is reported (after one untimed run of each, which warms the page
cache), with the ratios of the alternatives over powerbalance (above 1: powerbalance is faster).

1. The fact-sheet script (``processes/fact_sheet_*.py``): read the SIPRI 2024 register
   (1990-2023, 27,838 rows), compute the top-40 importers of 2016-20 with their three main
   suppliers and the 2011-15 comparison, print the table; as powerbalance, pandas and polars
   scripts. Before timing, the three print their rows as JSON and the harness checks that they
   agree (TIV, shares, change and the supplier shares, row by row).
2. Start-up: ``python -c pass`` (the floor), ``python -c "import powerbalance"``, and for
   reference ``import pandas`` / ``import polars``.
3. The CLI: ``powerbalance --help`` and ``powerbalance run examples/china_stops_buying_russian.rhai``.

Targets (issue 14): the script >= 3x pandas and >= 1.5x polars; ``import powerbalance`` under
60 ms more than ``python -c pass``; ``powerbalance run`` of an example under 150 ms.

Run: ``POWERBALANCE_DATA=/path/to/data python benchmarks/whole_process.py [--rounds 15]`` with the
Python that has powerbalance, pandas and polars installed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

from _synthetic import register_file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
TOOLS = ("powerbalance", "pandas", "polars")


def cli() -> List[str]:
    """The installed ``powerbalance`` command next to this Python, else ``python -m powerbalance``."""
    exe = Path(PY).with_name("powerbalance")
    return [str(exe)] if exe.exists() else [PY, "-m", "powerbalance"]


def commands(register: Path) -> Dict[str, List[str]]:
    out = {f"fact sheet: {t}": [PY, str(HERE / "processes" / f"fact_sheet_{t}.py"), str(register)] for t in TOOLS}
    out.update(
        {
            "python -c pass": [PY, "-c", "pass"],
            "import powerbalance": [PY, "-c", "import powerbalance"],
            "import pandas": [PY, "-c", "import pandas"],
            "import polars": [PY, "-c", "import polars"],
            "powerbalance --help": cli() + ["--help"],
            "powerbalance run (example)": cli() + ["run", str(ROOT / "examples" / "china_stops_buying_russian.rhai")],
        }
    )
    return out


def run_once(cmd: List[str]) -> float:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr.decode(errors='replace')}")
    return dt


def rows(tool: str, register: Path) -> List[Dict[str, Any]]:
    cmd = [PY, str(HERE / "processes" / f"fact_sheet_{tool}.py"), str(register), "--json"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT).stdout)
    norm = []
    for r in out:
        r = {k.lower(): v for k, v in r.items()}
        for n in (1, 2, 3):  # polars' pivot names the columns supplier_share_1 ...
            if f"supplier_share_{n}" in r:
                r[f"supplier_{n}_share"] = r.pop(f"supplier_share_{n}")
        norm.append(r)
    return norm


def check(register: Path) -> None:
    """The three scripts give the same 40 rows (numbers; names differ only in spelling)."""
    got = {t: rows(t, register) for t in TOOLS}
    keys = ["tiv", "share", "tiv_compare", "share_compare", "change_pct"] + [f"supplier_{n}_share" for n in (1, 2, 3)]
    base = got["powerbalance"]
    for tool in ("pandas", "polars"):
        other = got[tool]
        assert len(other) == len(base) == 40, (tool, len(other), len(base))
        for i, (a, b) in enumerate(zip(base, other)):
            for k in keys:
                x, y = a.get(k), b.get(k)
                if x is None or y is None or (isinstance(y, float) and math.isnan(y)):
                    assert (x is None) == (y is None or (isinstance(y, float) and math.isnan(y))), (tool, i, k, x, y)
                    continue
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (tool, i, k, x, y)
    print("check: powerbalance, pandas and polars print the same 40 rows (TIV, shares, change, supplier shares)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    register = register_file()
    check(register)
    cmds = commands(register)
    names = list(cmds)
    for n in names:  # one untimed run each: page cache, .pyc files
        run_once(cmds[n])
    times: Dict[str, List[float]] = {n: [] for n in names}
    for r in range(args.rounds):
        order = names[r % len(names) :] + names[: r % len(names)]  # rotate who goes first
        for n in order:
            times[n].append(run_once(cmds[n]))
    med = {n: statistics.median(v) for n, v in times.items()}
    print(f"\nwhole processes, median of {args.rounds} rounds (commands taking turns), {PY}")
    print(f"{'command':32} {'median':>9} {'min':>9} {'max':>9}")
    for n in names:
        print(f"{n:32} {med[n] * 1e3:7.0f} ms {min(times[n]) * 1e3:7.0f} ms {max(times[n]) * 1e3:7.0f} ms")
    pbt = med["fact sheet: powerbalance"]
    floor = med["python -c pass"]
    results: List[Tuple[str, str, bool]] = [
        (
            "fact sheet: pandas / powerbalance",
            f"{med['fact sheet: pandas'] / pbt:.2f}x (target >= 3x)",
            med["fact sheet: pandas"] / pbt >= 3,
        ),
        (
            "fact sheet: polars / powerbalance",
            f"{med['fact sheet: polars'] / pbt:.2f}x (target >= 1.5x)",
            med["fact sheet: polars"] / pbt >= 1.5,
        ),
        (
            "import powerbalance - python -c pass",
            f"{(med['import powerbalance'] - floor) * 1e3:.0f} ms (target < 60 ms)",
            med["import powerbalance"] - floor < 0.060,
        ),
        (
            "powerbalance run (example)",
            f"{med['powerbalance run (example)'] * 1e3:.0f} ms (target < 150 ms)",
            med["powerbalance run (example)"] < 0.150,
        ),
    ]
    print()
    for what, fig, ok in results:
        print(f"{what:40} {fig:32} {'met' if ok else 'NOT met'}")
    print(f"\nmachine: {os.cpu_count()} cores, {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
