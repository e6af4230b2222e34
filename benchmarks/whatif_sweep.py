"""Benchmark (c): embargo what-ifs, a Rhai script against the same sweep over pandas and polars,
at 1x, 10x and 100x the real size of the ledger.

Each what-if embargoes one supplier-recipient dyad of 2016-20 (the sweep cycles through the
dyads with deliveries in the period, largest first) and computes the supplier's share of world
exports of 2016-20 in the what-if. The three sides do the same work:

1. read the register with ``pb.read_sipri`` (pandas and polars then take ``led.entries()``);
2. keep the deliveries of 2016-20, once: pandas and polars filter their frame; Rhai's
   ``sweep(led, scenarios, #{metric: "exporters", start: 2016, end: 2020, clients: 0})`` cuts the
   ledger to the metric's years once (``Scenario::apply_within`` in the core);
3. per what-if, drop the dyad's rows of that cut, sum the TIV by supplier (every supplier) and
   divide by the total: pandas and polars with the idiomatic loop (boolean mask,
   ``groupby().sum()`` / ``group_by().agg()``), Rhai with the sweep (``threads`` 1 by default,
   ``--threads``), which gives every supplier's TIV and share in each what-if as one table;
4. pick the embargoed supplier's share in each what-if (0 when it has no export left): pandas and
   polars in the loop, the Rhai side from the sweep's table with ``pyarrow.compute`` (timed with
   the Rhai side).

The script checks that the three give the same shares, then prints the times and the ratios (end
to end, read included, and the sweep alone). ``--rhai-loop`` adds, for reference, the Rhai loop
this benchmark ran before (``scenario("").embargo(..).apply(led)`` then ``exporters`` per
what-if): it copies the whole ledger per what-if (27,838 rows at 1x, not 4,514), more work than
the other sides do; it is printed apart, without ratios.

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
[--whatifs 10000] [--threads 1] [--rhai-loop]`` (or, as before, ``whatif_sweep.py N`` for N
what-ifs at 1x).
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
import pyarrow as pa
import pyarrow.compute as pc
from _synthetic import data_root, register_file, synthetic, warm, workdir
from powerbalance.script import Engine

PERIOD = (2016, 2020)
TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"

RHAI_READ = """
let led = read_sipri(FILE);
led.len()
"""

# the dyads of 2016-20, largest first: what-if i embargoes dyad i % m
RHAI_DYADS = """
let dyads = led.by_dyad(2016, 2020);
let sup = dyads["supplier"];
let rec = dyads["recipient"];
let m = dyads.len();
"""

# the scenarios, then one sweep; the embargoed supplier of each what-if goes back beside the table
RHAI_SWEEP = (
    RHAI_DYADS
    + """
let ss = [];
let embargoed = [];
for i in 0..N {
    ss.push(scenario("").embargo(sup[i % m], rec[i % m], 2016, 2020));
    embargoed.push(sup[i % m]);
}
let t = sweep(led, ss, #{metric: "exporters", start: 2016, end: 2020, clients: 0}, #{threads: THREADS});
#{table: t, suppliers: embargoed}
"""
)

# the loop this benchmark ran before the sweep: the whole ledger copied per what-if
RHAI_LOOP = (
    RHAI_DYADS
    + """
let shares = [];
for i in 0..N {
    let k = i % m;
    let w = scenario("").embargo(sup[k], rec[k], 2016, 2020).apply(led);
    shares.push(w.exporters(2016, 2020, #{clients: 0}).lookup("supplier", sup[k], "share"));
}
shares
"""
)


def whatifs_at(scale: int, n1: int) -> int:
    return max(min(n1, 100), n1 // scale)


# ---------------------------------------------------------------------------------------------
# the sides: each returns (read seconds, sweep seconds, shares, rows in 2016-20)


def picked_shares(table: pb.Table, suppliers: List[str]) -> List[float]:
    """The share of ``suppliers[i]`` in what-if ``i`` of a sweep's exporters table (0 when the
    supplier has no row: no export left)."""
    t = table.to_pyarrow()
    mine = pc.equal(t["supplier"], pc.take(pa.array(suppliers), t["scenario"]))
    hit = t.filter(mine)
    out = [0.0] * len(suppliers)
    for i, v in zip(hit["scenario"].to_pylist(), hit["share"].to_pylist()):
        out[i] = v
    return out


def rhai_side(path: Path, n: int, threads: int = 1, loop: bool = False) -> Tuple[float, float, List[float], int]:
    """The Rhai sweep (``loop``: the Rhai loop over the whole ledger instead)."""
    e = Engine(data=path.parent, limits={"max_wall_time": 3600, "max_operations": 0}, echo=False)
    e.set("FILE", path.name)
    e.set("N", n)
    e.set("THREADS", threads)
    t0 = time.perf_counter()
    rows = e.eval(RHAI_READ)
    t1 = time.perf_counter()
    if loop:
        shares = list(e.eval(RHAI_LOOP))
    else:
        out = e.eval(RHAI_SWEEP)
        shares = picked_shares(out["table"], list(out["suppliers"]))
    return t1 - t0, time.perf_counter() - t1, shares, int(rows)


def pandas_sweep(path: Path, n: int) -> Tuple[float, float, List[float], int]:
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
    return t1 - t0, time.perf_counter() - t1, out, len(df)


def polars_sweep(path: Path, n: int) -> Tuple[float, float, List[float], int]:
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
    return t1 - t0, time.perf_counter() - t1, out, df.height


def check(rhai: List[float], pand: List[float], pol: List[float], n: int) -> None:
    """Same what-ifs, same answers. pandas and polars take the dyads in the same order (TIV
    descending, rounded to 1e-6, then names), so they agree what-if by what-if; Rhai's order may differ among
    ties, so it is compared by the sum of the shares."""
    assert len(rhai) == len(pand) == len(pol) == n, (len(rhai), len(pand), len(pol), n)
    for i, (x, y) in enumerate(zip(pand, pol)):
        assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12), (i, x, y)
    assert abs(sum(rhai) - sum(pand)) < 1e-6 * n, (sum(rhai), sum(pand))


def report(label: str, n: int, sides: Dict[str, Tuple[float, float, List[float], int]]) -> None:
    """One line end to end and one for the sweep alone; ratio: the other side's time over Rhai's."""
    ends = {k: v[0] + v[1] for k, v in sides.items()}
    alone = {k: v[1] for k, v in sides.items()}
    rhai = "Rhai sweep"
    cells = [f"{k} {ends[k]:7.2f} s" + ("" if k == rhai else f" ({ends[k] / ends[rhai]:5.2f}x)") for k in sides]
    print(f"(c) what-ifs {label} {n:>6,} what-ifs | end to end: " + " | ".join(cells), flush=True)
    cells = [
        f"{k} {1e6 * alone[k] / n:9.1f} us" + ("" if k == rhai else f" ({alone[k] / alone[rhai]:5.2f}x)") for k in sides
    ]
    reads = ", ".join(f"{k} {v[0]:.2f} s" for k, v in sides.items())
    print("    sweep alone, per what-if: " + " | ".join(cells) + f"; read: {reads}", flush=True)


def run(
    sizes: List[int], n1: int, wd: Path, tables: bool = False, threads: int = 1, rhai_loop: bool = False
) -> List[Dict[str, Any]]:
    src = register_file()
    check(rhai_side(src, 20)[2], pandas_sweep(src, 20)[2], polars_sweep(src, 20)[2], 20)  # warm-up
    results = []
    runs: List[Tuple[str, int, Path, int]] = [
        (f"x{scale:<3}", scale, synthetic(src, scale, wd), whatifs_at(scale, n1)) for scale in sizes
    ]
    if tables:
        runs.append(("tables", 1, data_root() / TABLES, n1))
    for label, scale, path, n in runs:
        warm([path] if path.is_file() else sorted(path.iterdir()))
        pb.read_sipri(path)  # untimed: the first touch of fresh memory is out of every side's read
        sides = {
            "Rhai sweep": rhai_side(path, n, threads),
            "pandas": pandas_sweep(path, n),
            "polars": polars_sweep(path, n),
        }
        check(*(v[2] for v in sides.values()), n)
        rows = sides["pandas"][3]
        assert sides["polars"][3] == rows, (sides["polars"][3], rows)
        report(label, n, sides)
        print(f"    ledger: {sides['Rhai sweep'][3]:,} rows, {rows:,} of them in 2016-20", flush=True)
        if rhai_loop:
            r, loop = sides["Rhai sweep"], rhai_side(path, n, loop=True)
            assert loop[2] == r[2], "the Rhai loop's shares differ from the sweep's"
            print(
                f"    for reference, the Rhai loop (whole ledger per what-if): {loop[1]:.2f} s, "
                f"{1e6 * loop[1] / n:.1f} us per what-if ({loop[1] / r[1]:.2f}x the sweep alone)",
                flush=True,
            )
        results.append(
            dict(
                workload="c: what-if sweep" if label != "tables" else "c: what-if sweep, TIV tables 2022",
                scale=scale,
                size=f"{n:,} what-ifs on {rows:,} rows of 2016-20",
                whatifs=n,
                powerbalance=sum(sides["Rhai sweep"][:2]),
                pandas=sum(sides["pandas"][:2]),
                polars=sum(sides["polars"][:2]),
                sweep={("powerbalance" if k == "Rhai sweep" else k): v[1] for k, v in sides.items()},
            )
        )
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=None, help="what-ifs at 1x (old form: runs 1x only)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--whatifs", type=int, default=10_000, help="what-ifs at 1x; divided by the size (at least 100)")
    ap.add_argument("--threads", type=int, default=1, help="threads of the Rhai sweep")
    ap.add_argument("--rhai-loop", action="store_true", help="also the Rhai loop over the whole ledger, apart")
    ap.add_argument(
        "--tables",
        action="store_true",
        help="also run at 1x on the 2022 TIV tables (the source this benchmark used before)",
    )
    ap.add_argument("--workdir", default=None, help="where the synthetic registers go (default: a temp folder)")
    a = ap.parse_args()
    sizes, n1 = ([1], a.n) if a.n is not None else (a.sizes, a.whatifs)
    print(
        f"python {platform.python_version()}, pandas {pd.__version__}, polars {pl.__version__} "
        f"({pl.thread_pool_size()} threads), powerbalance {pb.__version__}; Rhai sweep on {a.threads} thread(s)"
    )
    print("ratio = other tool's time / Rhai's time (above 1: powerbalance is faster)")
    run(sizes, n1, workdir(a.workdir), a.tables, a.threads, a.rhai_loop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
