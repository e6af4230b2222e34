"""Benchmark (c): embargo what-ifs, a Rhai script against the same sweep over pandas and polars,
at 1x, 10x and 100x the real size of the ledger.

Each what-if embargoes one supplier-recipient dyad of 2016-20 (the sweep cycles through the
dyads with deliveries in the period, largest first) and computes the supplier's share of world
exports in the what-if. Every side first reads the register with ``pb.read_sipri`` and restricts
it to 2016-20, then for each what-if drops the dyad's rows and computes the share: Rhai with
``scenario("").embargo(..).apply(led)`` and ``exporters``; pandas and polars with the idiomatic
loop (boolean mask, ``groupby().sum()`` / ``group_by().agg()``). The script checks that the three
give the same shares, then prints the times and the ratios (end to end, read included, and the
sweep alone).

Data: the SIPRI 2024 trade register, 1990-2023 (27,838 rows; 4,514 of them delivered in
2016-20, in 969 dyads) is the 1x ledger; 10x and 100x are the synthetic registers of
``_synthetic.synthetic`` (the same files as the fact-sheet benchmark (a): the real rows
replicated, every later copy's TIV multiplied by a seeded factor in [0.9, 1.1]). The dyads stay
the real 969; each what-if's ledger has 10 or 100 times the rows.

``--tables`` adds a run at 1x on the SIPRI 2022 TIV tables (one entry per supplier, recipient
and year, 2,193 in 2016-20, no deal detail), the source this benchmark used before it had
sizes. The tables cannot be replicated: the reader refuses two tables that cover the same
supplier-recipient-year cells (``OverlapError``), and new actor names would not resolve.

Number of what-ifs: 10,000 at 1x, and scaled down with the size (``--whatifs`` / scale, at least
100): 1,000 at 10x, 100 at 100x, so that every size touches about the same number of rows
(45 million) and runs in comparable time. Per-what-if times are printed beside the totals.

Run: ``POWERBALANCE_DATA=/path/to/data python benchmarks/whatif_sweep.py [--sizes 1 10 100]
[--whatifs 10000]`` (or, as before, ``whatif_sweep.py N`` for N what-ifs at 1x).
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pandas as pd
import polars as pl
import powerbalance as pb
from _synthetic import data_root, register_file, synthetic, warm, workdir
from powerbalance.script import Engine

PERIOD = (2016, 2020)
TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"

# The Rhai API has no `between` since the script door was made one package at parity with
# Python (which has none): the Rhai side works on the whole register, 27,838 rows at 1x, where
# pandas and polars restrict their frame to 2016-20 first (4,514 rows): the ratios of (c) since
# then compare unequal work, to powerbalance's disadvantage.
RHAI_READ = """
let led = read_sipri(FILE);
led.len()
"""

RHAI_SWEEP = """
let dyads = led.by_dyad(2016, 2020);
let sup = dyads["supplier"];
let rec = dyads["recipient"];
let m = dyads.len();
let shares = [];
for i in 0..N {
    let k = i % m;
    let w = scenario("").embargo(sup[k], rec[k], 2016, 2020).apply(led);
    shares.push(w.exporters(2016, 2020, #{clients: 0}).lookup("supplier", sup[k], "share"));
}
shares
"""


def whatifs_at(scale: int, n1: int) -> int:
    return max(min(n1, 100), n1 // scale)


# ---------------------------------------------------------------------------------------------
# the three sides: each returns (read seconds, sweep seconds, shares[, rows in 2016-20])


def rhai_sweep(path: Path, n: int) -> Tuple[float, float, List[float], int]:
    e = Engine(data=path.parent, limits={"max_wall_time": 3600, "max_operations": 0}, echo=False)
    e.set("FILE", path.name)
    e.set("N", n)
    t0 = time.perf_counter()
    rows = e.eval(RHAI_READ)
    t1 = time.perf_counter()
    shares = e.eval(RHAI_SWEEP)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, list(shares), int(rows)


def pandas_sweep(path: Path, n: int) -> Tuple[float, float, List[float]]:
    t0 = time.perf_counter()
    led = pb.read_sipri(path)
    df = led.entries().to_pandas()[["supplier", "recipient", "year", "tiv"]]
    df = df[(df["year"] >= PERIOD[0]) & (df["year"] <= PERIOD[1])]
    t1 = time.perf_counter()
    dyads = df.groupby(["supplier", "recipient"], as_index=False)["tiv"].sum()
    dyads["key"] = dyads["tiv"].round(6)  # sums equal but for the last bit are ties
    dyads = dyads.sort_values(["key", "supplier", "recipient"], ascending=[False, True, True])
    out = []
    pairs = list(zip(dyads["supplier"], dyads["recipient"]))
    for i in range(n):
        s, r = pairs[i % len(pairs)]
        w = df[~((df["supplier"] == s) & (df["recipient"] == r))]
        by = w.groupby("supplier")["tiv"].sum()
        out.append(float(by.get(s, 0.0) / by.sum()))
    return t1 - t0, time.perf_counter() - t1, out


def polars_sweep(path: Path, n: int) -> Tuple[float, float, List[float]]:
    t0 = time.perf_counter()
    led = pb.read_sipri(path)
    df = (
        pl.DataFrame(led.entries())
        .select("supplier", "recipient", "year", "tiv")
        .filter(pl.col("year").is_between(*PERIOD))
    )
    t1 = time.perf_counter()
    dyads = (
        df.group_by("supplier", "recipient")
        .agg(pl.col("tiv").sum().round(6).alias("key"))  # sums equal but for the last bit are ties
        .sort(["key", "supplier", "recipient"], descending=[True, False, False])
    )
    pairs = list(zip(dyads["supplier"], dyads["recipient"]))
    out = []
    for i in range(n):
        s, r = pairs[i % len(pairs)]
        w = df.filter(~((pl.col("supplier") == s) & (pl.col("recipient") == r)))
        by = w.group_by("supplier").agg(pl.col("tiv").sum())
        mine = by.filter(pl.col("supplier") == s)["tiv"]
        out.append((float(mine[0]) if len(mine) else 0.0) / float(by["tiv"].sum()))
    return t1 - t0, time.perf_counter() - t1, out


def check(rhai: List[float], pand: List[float], pol: List[float], n: int) -> None:
    """Same what-ifs, same answers. pandas and polars take the dyads in the same order (TIV
    descending, rounded to 1e-6, then names), so they agree what-if by what-if; Rhai's order may differ among
    ties, so it is compared by the sum of the shares."""
    assert len(rhai) == len(pand) == len(pol) == n, (len(rhai), len(pand), len(pol), n)
    for i, (x, y) in enumerate(zip(pand, pol)):
        assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12), (i, x, y)
    assert abs(sum(rhai) - sum(pand)) < 1e-6 * n, (sum(rhai), sum(pand))


def run(sizes: List[int], n1: int, wd: Path, tables: bool = False) -> List[Dict[str, Any]]:
    src = register_file()
    check(rhai_sweep(src, 20)[2], pandas_sweep(src, 20)[2], polars_sweep(src, 20)[2], 20)  # warm-up
    results = []
    runs: List[Tuple[str, int, Path, int]] = [
        (f"x{scale:<3}", scale, synthetic(src, scale, wd), whatifs_at(scale, n1)) for scale in sizes
    ]
    if tables:
        runs.append(("tables", 1, data_root() / TABLES, n1))
    for label, scale, path, n in runs:
        warm([path] if path.is_file() else sorted(path.iterdir()))
        pb.read_sipri(path)  # untimed: the first touch of fresh memory is out of every side's read
        r_rhai, r_pd, r_pl = rhai_sweep(path, n), pandas_sweep(path, n), polars_sweep(path, n)
        check(r_rhai[2], r_pd[2], r_pl[2], n)
        rows = r_rhai[3]
        t = {k: v[0] + v[1] for k, v in (("powerbalance", r_rhai), ("pandas", r_pd), ("polars", r_pl))}
        sw = {k: v[1] for k, v in (("powerbalance", r_rhai), ("pandas", r_pd), ("polars", r_pl))}
        res = {
            "workload": "c: what-if sweep" if label != "tables" else "c: what-if sweep, TIV tables 2022",
            "scale": scale,
            "size": f"{n:,} what-ifs on {rows:,} rows",
            "whatifs": n,
            **t,
            "sweep": sw,
        }
        results.append(res)
        print(
            f"(c) what-ifs {label} {n:>6,} what-ifs, {rows:>9,} rows in 2016-20 | end to end: "
            f"Rhai {t['powerbalance']:7.2f} s | "
            f"pandas {t['pandas']:7.2f} s ({t['pandas'] / t['powerbalance']:5.2f}x) | "
            f"polars {t['polars']:7.2f} s ({t['polars'] / t['powerbalance']:5.2f}x)",
            flush=True,
        )
        print(
            f"    sweep alone, per what-if: Rhai {1e6 * sw['powerbalance'] / n:9.1f} us | "
            f"pandas {1e6 * sw['pandas'] / n:9.1f} us ({sw['pandas'] / sw['powerbalance']:5.2f}x) | "
            f"polars {1e6 * sw['polars'] / n:9.1f} us ({sw['polars'] / sw['powerbalance']:5.2f}x); "
            f"read: Rhai {r_rhai[0]:.2f} s, pandas {r_pd[0]:.2f} s, polars {r_pl[0]:.2f} s",
            flush=True,
        )
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=None, help="what-ifs at 1x (old form: runs 1x only)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--whatifs", type=int, default=10_000, help="what-ifs at 1x; divided by the size (at least 100)")
    ap.add_argument(
        "--tables",
        action="store_true",
        help="also run at 1x on the 2022 TIV tables (the source this benchmark used before)",
    )
    ap.add_argument("--workdir", default=None, help="where the synthetic registers go (default: a temp folder)")
    a = ap.parse_args()
    sizes, n1 = ([1], a.n) if a.n is not None else (a.sizes, a.whatifs)
    print(
        f"python {platform.python_version()}, pandas {pd.__version__}, polars {pl.__version__}, "
        f"powerbalance {pb.__version__}"
    )
    print("ratio = other tool's time / Rhai's time (above 1: powerbalance is faster)")
    run(sizes, n1, workdir(a.workdir), a.tables)
    return 0


if __name__ == "__main__":
    sys.exit(main())
