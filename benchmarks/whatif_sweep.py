"""10,000 embargo what-ifs: a Rhai script against the same sweep in pure Python over pandas.

Each what-if embargoes one supplier-recipient dyad of 2016-20 (the sweep cycles through every
dyad with deliveries in the period, for 10,000 what-ifs) and computes the supplier's share of
world exports in the what-if. Both sides first restrict the ledger to 2016-20, then for each
what-if drop the dyad's rows and compute the share. Checks that both sides agree, then prints
the times and the ratio.

Run: POWERBALANCE_DATA=/path/to/data python benchmarks/whatif_sweep.py [N]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd

import powerbalance as pb
from powerbalance.script import Engine

TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"

RHAI = """
let led = read_sipri(TABLES).between(2016, 2020);
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


def pandas_sweep(data: Path, n: int) -> list:
    led = pb.read_sipri(data / TABLES)
    df = led.entries().to_pandas()[["supplier", "recipient", "year", "tiv"]]
    df = df[(df["year"] >= 2016) & (df["year"] <= 2020)]
    dyads = df.groupby(["supplier", "recipient"], as_index=False)["tiv"].sum()
    dyads = dyads.sort_values("tiv", ascending=False, kind="stable")
    out = []
    pairs = list(zip(dyads["supplier"], dyads["recipient"]))
    for i in range(n):
        s, r = pairs[i % len(pairs)]
        w = df[~((df["supplier"] == s) & (df["recipient"] == r))]
        by = w.groupby("supplier")["tiv"].sum()
        out.append(float(by.get(s, 0.0) / by.sum()))
    return out


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = Path(os.environ["POWERBALANCE_DATA"])
    e = Engine(data=data, limits={"max_wall_time": 3600, "max_operations": 0}, echo=False)
    e.set("TABLES", TABLES)
    e.set("N", n)
    t0 = time.perf_counter()
    rhai = e.eval(RHAI)
    t_rhai = time.perf_counter() - t0
    t0 = time.perf_counter()
    pand = pandas_sweep(data, n)
    t_pd = time.perf_counter() - t0
    # same what-ifs, same answers (the dyad order may differ only among ties)
    assert len(rhai) == len(pand) == n
    assert abs(sum(rhai) - sum(pand)) < 1e-6 * n, (sum(rhai), sum(pand))
    print(f"{n} embargo what-ifs (read + sweep, end to end)")
    print(f"  Rhai (powerbalance):  {t_rhai:8.2f} s  ({1e6 * t_rhai / n:7.1f} us per what-if)")
    print(f"  pandas {pd.__version__}:        {t_pd:8.2f} s  ({1e6 * t_pd / n:7.1f} us per what-if)")
    print(f"  ratio pandas / Rhai:  {t_pd / t_rhai:8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
