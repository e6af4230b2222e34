"""Run every benchmark at 1x, 10x and 100x the real data size and print the ratios.

- (a) ``fact_sheet.py``: read the SIPRI register and compute the fact-sheet importer table;
- (b) ``panel.py``: the directed dyad-year panel;
- (c) ``whatif_sweep.py``: the what-if sweep.

(b) and (c) are their authors' scripts: each is run when present, with ``--sizes 1 10 100`` when
its ``--help`` offers that option, otherwise once as it is (its output says at what size). Each
prints its own ratios (the other tool's time over powerbalance's). Synthetic data goes to a
temporary folder, never into the repository.

Run: ``POWERBALANCE_DATA=/path/to/data python benchmarks/run_all.py [--sizes 1 10 100] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import List

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
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores ({model}){mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def other(script: str, sizes: List[int], repeat: int) -> None:
    path = HERE / script
    if not path.exists():
        print(f"\n== {script}: not present, skipped")
        return
    help_text = subprocess.run([sys.executable, str(path), "--help"], capture_output=True, text=True).stdout
    cmd = [sys.executable, str(path)]
    if "--sizes" in help_text:
        cmd += ["--sizes", *map(str, sizes)]
        note = "at the sizes asked"
    else:
        note = "once, at the size the script uses (it has no --sizes option)"
    if "--repeat" in help_text:
        cmd += ["--repeat", str(repeat)]
    print(f"\n== {script} ({note}): {' '.join(cmd[1:])}", flush=True)
    r = subprocess.run(cmd)
    if r.returncode:
        print(f"== {script} exited with {r.returncode}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=["a", "b", "c"], nargs="+", default=["a", "b", "c"])
    a = ap.parse_args()
    print("machine:", machine())
    if "a" in a.only:
        sys.path.insert(0, str(HERE))
        import fact_sheet

        print("\n== fact_sheet.py (a)", flush=True)
        fact_sheet.run(a.sizes, (2019, 2023), a.repeat, fact_sheet.workdir(None))
    if "b" in a.only:
        other("panel.py", a.sizes, a.repeat)
    if "c" in a.only:
        other("whatif_sweep.py", a.sizes, a.repeat)


if __name__ == "__main__":
    main()
