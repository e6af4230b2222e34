"""Benchmark (a): read the SIPRI trade register and compute the fact-sheet importer table for a
period, end to end from the file, by powerbalance, idiomatic pandas and idiomatic polars, in one
run, at 1x, 10x and 100x the real size.

The work is the same for the three (and the script checks that they agree):

1. read the register CSV (SIPRI's new-format export: an 11-line preamble, then 17 columns);
2. keep the deliveries of the period (default 2019-2023);
3. sum TIV by recipient, take each recipient's share of the world total, sort descending;
4. for each recipient, its three main suppliers and their shares of its imports.

Data: the 2024 register (``sipri/register_newformat_2024/trade-register_1990-2023.csv``, 27,838
rows) is the 1x file. The 10x and 100x files are synthetic: the real rows replicated, each copy
with every TIV value multiplied by a random factor in [0.9, 1.1] (seeded), so that the sums differ
from copy to copy. They are written to a temporary folder (``--workdir``, default
``$TMPDIR/powerbalance-bench``), never into the repository, and reused by later runs. The
helper is ``_synthetic.synthetic``, shared with the panel (b) and the what-if sweep (c).

Run: ``POWERBALANCE_DATA=/path/to/data python benchmarks/fact_sheet.py [--sizes 1 10 100]``.
"""

from __future__ import annotations

import argparse
import math
import platform
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pandas as pd
import polars as pl
import powerbalance as pb
from _synthetic import PREAMBLE_LINES, TIV, register_file, synthetic, warm, workdir
from processes.fact_sheet_polars import main_suppliers

YEAR = "Delivery year"


def data_file() -> Path:
    return register_file()


# ---------------------------------------------------------------------------------------------
# the three implementations: each returns (recipient, tiv, share, [(supplier, share) x 3]) rows


def with_powerbalance(path: Path, start: int, end: int) -> Any:
    led = pb.read_sipri(path)
    return led.importers(start, end, suppliers=3)


def with_pandas(path: Path, start: int, end: int) -> pd.DataFrame:
    df = pd.read_csv(path, skiprows=PREAMBLE_LINES, usecols=["Supplier", "Recipient", YEAR, TIV])
    p = df[df[YEAR].between(start, end)]
    world = p[TIV].sum()
    imports = p.groupby("Recipient", sort=False)[TIV].sum()
    table = imports.to_frame("tiv").assign(share=imports / world)
    dyads = p.groupby(["Recipient", "Supplier"], sort=False)[TIV].sum().reset_index()
    dyads["supplier_share"] = dyads[TIV] / dyads["Recipient"].map(imports)
    top = dyads.sort_values(["Recipient", TIV], ascending=[True, False]).groupby("Recipient").head(3)
    top = top.assign(rank=top.groupby("Recipient").cumcount() + 1)
    wide = top.pivot(index="Recipient", columns="rank", values=["Supplier", "supplier_share"])
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    return table.join(wide).sort_values("tiv", ascending=False).reset_index()


def with_polars(path: Path, start: int, end: int) -> pl.DataFrame:
    p = (
        pl.scan_csv(path, skip_rows=PREAMBLE_LINES)
        .select("Supplier", "Recipient", YEAR, TIV)
        .filter(pl.col(YEAR).is_between(start, end))
    )
    imports = p.group_by("Recipient").agg(pl.col(TIV).sum().alias("tiv"))
    # the main suppliers as the whole-process polars script (processes/fact_sheet_polars.py) finds them
    dyads = main_suppliers(p, imports, 3).group_by("Recipient").agg(pl.col("Supplier"), pl.col("supplier_share"))
    return (
        imports.with_columns((pl.col("tiv") / pl.col("tiv").sum()).alias("share"))
        .join(dyads, on="Recipient")
        .sort("tiv", descending=True)
        .collect()
    )


def check(pbt: Any, pdt: pd.DataFrame, plt: pl.DataFrame) -> None:
    """The three agree on every importer's TIV and share (names differ only in spelling: the
    registry gives SIPRI's current one, so compare the sorted values)."""
    import pyarrow as pa

    t = pa.table(pbt)
    a = sorted(t.column("tiv").to_pylist(), reverse=True)
    b = sorted(pdt["tiv"].tolist(), reverse=True)
    c = sorted(plt["tiv"].to_list(), reverse=True)
    assert len(a) == len(b) == len(c), (len(a), len(b), len(c))
    for x, y, z in zip(a, b, c):
        assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6) and math.isclose(x, z, rel_tol=1e-9, abs_tol=1e-6), (
            x,
            y,
            z,
        )
    sa = sorted(v for v in t.column("share").to_pylist() if v is not None)
    sb = sorted(pdt["share"].tolist())
    assert all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12) for x, y in zip(sa, sb))


def in_blocks(n: int, sides: List[Callable[[], Any]]) -> List[Tuple[float, Any]]:
    """Best of ``n`` runs of each side, one side after the other (a, a, a, b, b, b, ...): each
    side's steady state, as ``timeit`` measures it."""
    out = []
    for f in sides:
        best, r = math.inf, None
        for _ in range(n):
            t = time.perf_counter()
            r = f()
            best = min(best, time.perf_counter() - t)
        out.append((best, r))
    return out


def interleaved(n: int, sides: List[Callable[[], Any]]) -> List[Tuple[float, Any]]:
    """Best of ``n`` runs of each side, the sides taking turns (a, b, c, a, b, c, ...), so that
    each meets the same machine: on a shared 2-core VM the first runs after an idle spell are
    slower, and a side run in one block after another side inherits its warm or cold state."""
    best = [math.inf] * len(sides)
    outs: List[Any] = [None] * len(sides)
    for _ in range(n):
        for k, f in enumerate(sides):
            t = time.perf_counter()
            outs[k] = f()
            best[k] = min(best[k], time.perf_counter() - t)
    return list(zip(best, outs))


def run(
    sizes: List[int], period: Tuple[int, int], repeat: int, wd: Path, order: str = "blocks"
) -> List[Dict[str, Any]]:
    src = data_file()
    # Warm up once on the real file (first-call costs: lazy imports, page cache).
    check(with_powerbalance(src, *period), with_pandas(src, *period), with_polars(src, *period))
    results = []
    for scale in sizes:
        path = synthetic(src, scale, wd)
        n = repeat if scale < 100 else max(2, repeat // 3)
        sides = [
            lambda path=path: with_powerbalance(path, *period),
            lambda path=path: with_pandas(path, *period),
            lambda path=path: with_polars(path, *period),
        ]
        # One untimed run of each side first: the file into the page cache, and each tool's
        # first touch of fresh memory (at 100x about 1 GB for every side) out of the timings.
        warm([path])
        for f in sides:
            f()
        timing = in_blocks if order == "blocks" else interleaved
        (t_pb, r_pb), (t_pd, r_pd), (t_pl, r_pl) = timing(n, sides)
        check(r_pb, r_pd, r_pl)
        res = {
            "workload": "a: fact-sheet importers",
            "scale": scale,
            "rows": 27_838 * scale,
            "mb": path.stat().st_size / 1e6,
            "powerbalance": t_pb,
            "pandas": t_pd,
            "polars": t_pl,
        }
        results.append(res)
        print(
            f"(a) fact sheet x{scale:<3} [{order}] {res['rows']:>9,} rows {res['mb']:7.1f} MB | "
            f"powerbalance {t_pb:7.3f} s | "
            f"pandas {t_pd:7.3f} s ({t_pd / t_pb:5.1f}x) | polars {t_pl:7.3f} s ({t_pl / t_pb:5.2f}x)",
            flush=True,
        )
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--period", type=int, nargs=2, default=[2019, 2023])
    ap.add_argument(
        "--repeat",
        type=int,
        default=10,
        help="timed runs per implementation, after one untimed run each "
        "(the best is reported; 100x: a third, at least 2)",
    )
    ap.add_argument("--workdir", default=None, help="where the synthetic registers go (default: a temp folder)")
    ap.add_argument(
        "--order",
        choices=["blocks", "turns"],
        default="blocks",
        help="blocks: each side's runs in a row (its steady state); "
        "turns: the sides take turns, so each run follows the other tools' (colder caches)",
    )
    a = ap.parse_args()
    print(
        f"python {platform.python_version()}, pandas {pd.__version__}, polars {pl.__version__}, "
        f"powerbalance {pb.__version__}"
    )
    print("ratio = other tool's time / powerbalance's time (above 1: powerbalance is faster)")
    run(a.sizes, (a.period[0], a.period[1]), a.repeat, workdir(a.workdir), a.order)


if __name__ == "__main__":
    main()
