"""Synthetic SIPRI trade registers at 10x and 100x the real size, shared by the benchmarks.

A synthetic register is the real one (SIPRI's new-format export: an 11-line preamble, then 17
columns) replicated ``scale`` times: copy 0 is the real rows unchanged; every later copy has each
TIV delivery value multiplied by a seeded random factor in [0.9, 1.1] (so that sums differ from
copy to copy) and its SIPRI AT Database ID moved by ``copy * 1,000,000`` (so that IDs stay
unique). Names, years and every other column are kept, so the actors and dyads are the real
ones and only the number of entries grows.

The files go to a temporary folder (``$TMPDIR/powerbalance-bench`` unless told otherwise), never
into the repository, and are reused by later runs while they are newer than their source.

A 100x register is 303 MB, above the 64 MiB a powerbalance reader takes by default (the
hostile-input cap); importing this module raises the cap for the benchmark's process only
(``POWERBALANCE_MAX_INPUT_MB=1024``, unless set already). Every other check of the readers stays.
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import List, Optional, Sequence

PREAMBLE_LINES = 11
TIV = "TIV delivery values"
ID = "SIPRI AT Database ID"
REGISTERS = ("trade-register_1950-1989.csv", "trade-register_1990-2023.csv")

os.environ.setdefault("POWERBALANCE_MAX_INPUT_MB", "1024")


def data_root() -> Path:
    root = os.environ.get("POWERBALANCE_DATA")
    if not root:
        sys.exit("set POWERBALANCE_DATA to the shared data folder (the one holding sipri/)")
    return Path(root)


def register_dir() -> Path:
    """The real 2024 release of the trade registers (1950-1989 and 1990-2023)."""
    return data_root() / "sipri" / "register_newformat_2024"


def register_file() -> Path:
    """The real 2024 register, 1990-2023 (27,838 rows): the 1x file of (a) and (c)."""
    return register_dir() / REGISTERS[1]


def workdir(arg: Optional[str] = None) -> Path:
    d = Path(arg) if arg else Path(tempfile.gettempdir()) / "powerbalance-bench"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _fresh(out: Path, sources: Sequence[Path]) -> bool:
    return out.exists() and all(out.stat().st_mtime >= s.stat().st_mtime for s in sources)


def synthetic(src: Path, scale: int, out_dir: Path, name: Optional[str] = None) -> Path:
    """The register `src` replicated `scale` times with perturbed TIV (written once, then reused).

    ``scale == 1`` gives `src` itself. The output is ``out_dir / name`` (default
    ``register_x{scale}.csv``, the name the fact-sheet benchmark has always used).
    """
    if scale == 1:
        return src
    out = out_dir / (name or f"register_x{scale}.csv")
    if _fresh(out, [src]):
        return out
    with src.open(newline="", encoding="utf-8") as f:
        preamble = [f.readline() for _ in range(PREAMBLE_LINES)]
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    k_tiv, k_id = header.index(TIV), header.index(ID)
    rng = random.Random(scale)
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        f.writelines(preamble)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for copy in range(scale):
            for r in body:
                if copy:
                    r = list(r)
                    if r[k_tiv].strip():
                        r[k_tiv] = f"{float(r[k_tiv]) * rng.uniform(0.9, 1.1):.4f}"
                    if r[k_id].strip().isdigit():
                        r[k_id] = str(int(r[k_id]) + copy * 1_000_000)
                w.writerow(r)
    tmp.replace(out)
    return out


def synthetic_register_dir(scale: int, out_dir: Path) -> Path:
    """A folder holding both trade registers (1950-1989 and 1990-2023), each `scale` times.

    ``scale == 1`` gives the real folder (which also holds SIPRI's import/export totals tables;
    the reader skips them as double counting). The 1990-2023 file is the same synthetic file as
    the one of (a) and (c), hard-linked (or copied) into the folder, not written twice.
    """
    real = register_dir()
    if scale == 1:
        return real
    folder = out_dir / f"registers_x{scale}"
    folder.mkdir(parents=True, exist_ok=True)
    old = synthetic(real / REGISTERS[0], scale, out_dir, f"register_1950-1989_x{scale}.csv")
    new = synthetic(real / REGISTERS[1], scale, out_dir)
    for made, fname in ((old, REGISTERS[0]), (new, REGISTERS[1])):
        target = folder / fname
        if _fresh(target, [made]) and target.stat().st_size == made.stat().st_size:
            continue
        target.unlink(missing_ok=True)
        try:
            os.link(made, target)
        except OSError:
            import shutil

            shutil.copyfile(made, target)
    return folder


def folder_files(folder: Path) -> List[Path]:
    """The trade-register files in a folder made by `synthetic_register_dir` (or the real one)."""
    return [folder / f for f in REGISTERS]


def warm(paths: Sequence[Path]) -> None:
    """Read files once so that every implementation finds them in the page cache."""
    for p in paths:
        with open(p, "rb") as f:
            while f.read(1 << 24):
                pass
