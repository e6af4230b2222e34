"""Benchmark (b): all directed dyad-years 1816-2016 with the CINC ratio, arms flows and an
alliance flag, built end to end from the files by powerbalance, by idiomatic pandas and by
idiomatic polars, in one run, at 1x, 10x and 100x the real size of the arms ledger.

The work is the same for the three (and the script checks that their panels agree):

1. read COW ``states2016.csv`` and expand it to state-years (a state is a member in every year a
   spell touches), then pair every two distinct members of each year (peacesciencer's
   ``create_dyadyears``): about 2 million directed dyad-years;
2. read COW NMC v6 and join ``cinc1``, ``cinc2`` and ``cinc_ratio = cinc1 / cinc2``;
3. read the SIPRI trade registers (2024 release, 1950-2023), map suppliers and recipients to COW
   codes (SIPRI ``Germany`` is 260 through 1990, 255 after), sum TIV by supplier, recipient and
   year, and join ``tiv_1to2`` and ``tiv_2to1`` (0 inside 1950-2023, null outside);
4. read COW alliances v4.1 (non-directed) and join ``alliance`` (a row with at least one type in
   force; 5 rows of the file have none) and ``defense`` (null outside 1816-2012).

The SIPRI-name -> COW-code crosswalk the pandas and polars versions need is built once, outside
the timings, from powerbalance's actor registry (pandas and polars users would read a crosswalk
file); powerbalance resolves names with the same registry inside its timing.

Sizes: what grows is the arms ledger, the part of the work that grows with SIPRI's data. At 1x
it is the real 2024 trade registers (1950-1989, 31,319 rows, and 1990-2023, 27,838 rows); at 10x
and 100x both registers are synthetic (``_synthetic.synthetic_register_dir``, the helper shared
with (a) and (c)): the real rows replicated 10 or 100 times, each later copy with its TIV values
multiplied by a seeded random factor in [0.9, 1.1]. Names and years are the real ones, so the
dyads with flows, and the panel itself (1,912,350 dyad-years, from COW states, NMC and
alliances, which stay 1x), keep their size; only the rows read, mapped and summed into
``tiv_1to2`` / ``tiv_2to1`` grow (to 591,570 and 5.9 million). The synthetic files go to a
temporary folder (``--workdir``), never into the repository.

Run: ``POWERBALANCE_DATA=/path/to/data python benchmarks/panel.py [--sizes 1 10 100] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pandas as pd
import polars as pl
import powerbalance as pb
from _synthetic import data_root, folder_files, register_dir, synthetic_register_dir, warm, workdir

START, END = 1816, 2016
SIPRI_SPAN = (1950, 2023)
ALLIANCE_SPAN = (1816, 2012)
KEYS = ["ccode1", "ccode2", "year"]
TYPES = ["cow_defense", "cow_neutral", "cow_nonagg", "cow_entente"]


def paths(scale: int = 1, wd: Path | None = None) -> Dict[str, Any]:
    """The input files; at `scale` > 1 the SIPRI folder is the synthetic one (made on demand)."""
    d = data_root()
    reg = register_dir() if scale == 1 else synthetic_register_dir(scale, wd or workdir())
    return {
        "states": d / "cow_states" / "states2016.csv",
        "nmc": d / "cow_nmc" / "NMC-60-abridged.csv",
        "sipri_dir": reg,
        "sipri_files": folder_files(reg),
        "alliances": d / "alliances" / "cow_alliance_v4.1_dyad_year.csv",
    }


def crosswalk(files: List[Path]) -> Dict[str, int]:
    """SIPRI spelling -> COW code for every supplier and recipient name in the files that the
    registry knows as a state with a COW code (built outside the timings)."""
    names = set()
    for f in files:
        t = pd.read_csv(f, skiprows=11, usecols=["Supplier", "Recipient"])
        names.update(t["Supplier"].unique())
        names.update(t["Recipient"].unique())
    out: Dict[str, int] = {}
    for n in names:
        try:
            a = pb.actor(n)
        except pb.errors.UnknownActorError:
            continue
        if a["kind"] == "state" and a["cow_code"] is not None:
            out[n] = int(a["cow_code"])
    return out


# ---------------------------------------------------------------------------------------------
# powerbalance


def build_powerbalance(p: Dict[str, Any], xwalk: Dict[str, int], ordered: bool = True) -> pb.Table:
    return pb.panels.dyad_years(
        p["states"],
        capabilities=p["nmc"],
        ledger=p["sipri_dir"],
        alliances=p["alliances"],
        directed=True,
        start=START,
        end=END,
    )


# ---------------------------------------------------------------------------------------------
# pandas


def build_pandas(p: Dict[str, Any], xwalk: Dict[str, int], ordered: bool = True) -> pd.DataFrame:
    # 1. state-years and directed dyad-years
    states = pd.read_csv(p["states"], usecols=["ccode", "styear", "endyear"])
    states["year"] = [range(s, e + 1) for s, e in zip(states["styear"], states["endyear"])]
    sy = states[["ccode", "year"]].explode("year").astype({"year": "int64"})
    sy = sy[(sy["year"] >= START) & (sy["year"] <= END)].drop_duplicates()
    d = sy.merge(sy, on="year", suffixes=("1", "2"))
    d = d[d["ccode1"] != d["ccode2"]]

    # 2. capabilities
    nmc = pd.read_csv(p["nmc"], usecols=["ccode", "year", "cinc"], na_values=[-9])
    d = d.merge(nmc.rename(columns={"ccode": "ccode1", "cinc": "cinc1"}), on=["ccode1", "year"], how="left")
    d = d.merge(nmc.rename(columns={"ccode": "ccode2", "cinc": "cinc2"}), on=["ccode2", "year"], how="left")
    d["cinc_ratio"] = (d["cinc1"] / d["cinc2"]).replace([np.inf, -np.inf], np.nan)

    # 3. arms flows
    cols = ["Supplier", "Recipient", "Delivery year", "TIV delivery values"]
    reg = pd.concat([pd.read_csv(f, skiprows=11, usecols=cols) for f in p["sipri_files"]], ignore_index=True)
    reg.columns = ["supplier", "recipient", "year", "tiv"]
    reg["ccode1"] = reg["supplier"].map(xwalk)
    reg["ccode2"] = reg["recipient"].map(xwalk)
    reg = reg.dropna(subset=["ccode1", "ccode2"]).astype({"ccode1": "int64", "ccode2": "int64"})
    for c in ("ccode1", "ccode2"):
        reg.loc[(reg[c] == 255) & (reg["year"] <= 1990), c] = 260
    reg = reg[reg["ccode1"] != reg["ccode2"]]
    flows = reg.groupby(["ccode1", "ccode2", "year"], as_index=False)["tiv"].sum()
    d = d.merge(flows.rename(columns={"tiv": "tiv_1to2"}), on=["ccode1", "ccode2", "year"], how="left")
    back = flows.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1", "tiv": "tiv_2to1"})
    d = d.merge(back, on=["ccode1", "ccode2", "year"], how="left")
    in_span = d["year"].between(*SIPRI_SPAN)
    for c in ("tiv_1to2", "tiv_2to1"):
        d[c] = d[c].where(~in_span, d[c].fillna(0.0))

    # 4. alliances (non-directed: both orders)
    al = pd.read_csv(p["alliances"])
    al = al[al[TYPES].any(axis=1)][["ccode1", "ccode2", "year", "cow_defense"]]  # rows with a type in force
    al = pd.concat([al, al.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})], ignore_index=True)
    al = al.assign(alliance=True, defense=al["cow_defense"] == 1).drop(columns="cow_defense")
    d = d.merge(al, on=["ccode1", "ccode2", "year"], how="left")
    in_cov = d["year"].between(*ALLIANCE_SPAN)
    for c in ("alliance", "defense"):
        d[c] = d[c].astype("boolean").fillna(False).where(in_cov, pd.NA)

    return d.sort_values(["ccode1", "ccode2", "year"], ignore_index=True) if ordered else d


# ---------------------------------------------------------------------------------------------
# polars


def build_polars(p: Dict[str, Any], xwalk: Dict[str, int], ordered: bool = True) -> pl.DataFrame:
    keys = ["ccode1", "ccode2", "year"]
    # 1. state-years and directed dyad-years
    sy = (
        pl.scan_csv(p["states"])
        .select("ccode", pl.int_ranges("styear", pl.col("endyear") + 1).alias("year"))
        .explode("year")
        .filter(pl.col("year").is_between(START, END))
        .unique()
    )
    d = (
        sy.rename({"ccode": "ccode1"})
        .join(sy.rename({"ccode": "ccode2"}), on="year")
        .filter(pl.col("ccode1") != pl.col("ccode2"))
    )

    # 2. capabilities
    nmc = pl.scan_csv(p["nmc"]).select("ccode", "year", pl.col("cinc").replace(-9.0, None))
    d = d.join(nmc.rename({"ccode": "ccode1", "cinc": "cinc1"}), on=["ccode1", "year"], how="left")
    d = d.join(nmc.rename({"ccode": "ccode2", "cinc": "cinc2"}), on=["ccode2", "year"], how="left")
    d = d.with_columns(
        pl.when(pl.col("cinc2") != 0).then(pl.col("cinc1") / pl.col("cinc2")).otherwise(None).alias("cinc_ratio")
    )

    # 3. arms flows
    xw = pl.LazyFrame({"name": list(xwalk), "code": list(xwalk.values())})
    reg = pl.concat(
        [
            pl.scan_csv(f, skip_rows=11).select(
                pl.col("Supplier").alias("supplier"),
                pl.col("Recipient").alias("recipient"),
                pl.col("Delivery year").alias("year"),
                pl.col("TIV delivery values").cast(pl.Float64).alias("tiv"),
            )
            for f in p["sipri_files"]
        ]
    )
    germany = lambda c: pl.when((pl.col(c) == 255) & (pl.col("year") <= 1990)).then(260).otherwise(pl.col(c)).alias(c)  # noqa: E731
    flows = (
        reg.join(xw.rename({"name": "supplier", "code": "ccode1"}), on="supplier")
        .join(xw.rename({"name": "recipient", "code": "ccode2"}), on="recipient")
        .with_columns(germany("ccode1"), germany("ccode2"))
        .filter(pl.col("ccode1") != pl.col("ccode2"))
        .group_by(keys)
        .agg(pl.col("tiv").sum())
    )
    d = d.join(flows.rename({"tiv": "tiv_1to2"}), on=keys, how="left")
    d = d.join(flows.rename({"ccode1": "ccode2", "ccode2": "ccode1", "tiv": "tiv_2to1"}), on=keys, how="left")
    in_span = pl.col("year").is_between(*SIPRI_SPAN)
    d = d.with_columns(
        pl.when(in_span).then(pl.col(c).fill_null(0.0)).otherwise(None).alias(c) for c in ("tiv_1to2", "tiv_2to1")
    )

    # 4. alliances (non-directed: both orders)
    al = (
        pl.scan_csv(p["alliances"])
        .filter(pl.any_horizontal(pl.col(t) == 1 for t in TYPES))  # rows with a type in force
        .select(*keys, (pl.col("cow_defense") == 1).alias("defense"))
    )
    swapped = al.select(pl.col("ccode2").alias("ccode1"), pl.col("ccode1").alias("ccode2"), "year", "defense")
    al = pl.concat([al, swapped])
    al = al.with_columns(pl.lit(True).alias("alliance"))
    d = d.join(al, on=keys, how="left")
    in_cov = pl.col("year").is_between(*ALLIANCE_SPAN)
    d = d.with_columns(
        pl.when(in_cov).then(pl.col(c).fill_null(False)).otherwise(None).alias(c) for c in ("alliance", "defense")
    )
    return (d.sort(keys) if ordered else d).collect()


# ---------------------------------------------------------------------------------------------


def summary(df: pl.DataFrame) -> Tuple[Any, ...]:
    return (
        df.height,
        round(float(df["cinc_ratio"].drop_nans().sum()), 3),
        df["cinc_ratio"].null_count(),
        round(float(df["tiv_1to2"].sum()), 3),
        round(float(df["tiv_2to1"].sum()), 3),
        df["tiv_1to2"].null_count(),
        int(df["alliance"].sum()),
        int(df["defense"].sum()),
        df["alliance"].null_count(),
    )


def timeit(fn: Callable[[], Any], repeat: int) -> Tuple[float, Any]:
    """Median of ``repeat`` runs, after one untimed run (first touch of fresh memory)."""
    times = []
    out = fn()
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def to_polars(out: Any) -> pl.DataFrame:
    if isinstance(out, pd.DataFrame):
        return pl.from_pandas(out)
    if isinstance(out, pl.DataFrame):
        return out
    return pl.DataFrame(out)


IMPLS: List[Tuple[str, Callable[..., Any]]] = [
    ("powerbalance", build_powerbalance),
    ("pandas", build_pandas),
    ("polars", build_polars),
]


def run_size(scale: int, repeat: int, wd: Path, xwalk: Dict[str, int], verbose: bool = True) -> Dict[str, Any]:
    """Time the three at one size; exits with status 1 if their panels disagree."""
    p = paths(scale, wd)
    warm([*p["sipri_files"], p["states"], p["nmc"], p["alliances"]])
    ledger_rows = sum(max(0, sum(1 for _ in open(f, "rb")) - 12) for f in p["sipri_files"])
    results: Dict[str, float] = {}
    unordered: Dict[str, float] = {}
    frames: Dict[str, pl.DataFrame] = {}
    for name, fn in IMPLS:
        t, out = timeit(lambda fn=fn: fn(p, xwalk), repeat)
        results[name] = t
        frames[name] = to_polars(out)
        del out
        if name != "powerbalance":
            unordered[name], _ = timeit(lambda fn=fn: fn(p, xwalk, False), repeat)

    ref = summary(frames["powerbalance"])

    # tiv sums are compared to 1e-9 relative (summation order differs at 10x/100x); the rest exactly
    def same(s: Tuple[Any, ...]) -> bool:
        return all(abs(x - y) <= 1e-9 * max(1.0, abs(y)) if isinstance(x, float) else x == y for x, y in zip(s, ref))

    agree = {
        n: same(summary(df)) and df.select(KEYS).equals(frames["powerbalance"].select(KEYS)) for n, df in frames.items()
    }
    if verbose:
        if scale == 1:
            print(f"columns: {', '.join(frames['powerbalance'].columns)}")
        print(f"(b) panel x{scale}: ledger {ledger_rows:,} rows -> {ref[0]:,} dyad-years; median of {repeat} (ms):")
        print(f"  {'':<13} {'same table':>10} {'ratio':>7}   {'any row order':>13} {'ratio':>7}   agrees")
        base = results["powerbalance"]
        for name, t in results.items():
            if name == "powerbalance":
                print(
                    f"  {name:<13} {t * 1000:10.0f} {'1.0x':>7}   {'':>13} {'':>7}   {'yes' if agree[name] else 'NO'}"
                )
            else:
                u = unordered[name]
                print(
                    f"  {name:<13} {t * 1000:10.0f} {t / base:6.1f}x   {u * 1000:13.0f} {u / base:6.1f}x   "
                    f"{'yes' if agree[name] else 'NO'}",
                    flush=True,
                )
    if not all(agree.values()):
        for name, df in frames.items():
            print(f"  summary {name}: {summary(df)}")
        sys.exit(1)
    return {
        "workload": "b: dyad-year panel",
        "scale": scale,
        "size": f"ledger {ledger_rows:,} rows, {ref[0]:,} dyad-years",
        "powerbalance": results["powerbalance"],
        "pandas": results["pandas"],
        "polars": results["polars"],
        "pandas_any_order": unordered["pandas"],
        "polars_any_order": unordered["polars"],
    }


def run(sizes: List[int], repeat: int, wd: Path) -> List[Dict[str, Any]]:
    xwalk = crosswalk(paths(1)["sipri_files"])  # same names at every size
    p1 = paths(1)
    for _, fn in IMPLS:  # warm-up (file cache, imports, first-call costs)
        fn(p1, xwalk)
    out = []
    for scale in sizes:
        n = repeat if scale < 100 else max(1, repeat // 3)
        out.append(run_size(scale, n, wd, xwalk))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", type=int, nargs="+", default=[1, 10, 100], help="arms-ledger sizes (multiples of the real registers)"
    )
    ap.add_argument(
        "--repeat", type=int, default=5, help="runs per implementation (the median is reported; 100x: a third)"
    )
    ap.add_argument("--workdir", default=None, help="where the synthetic registers go (default: a temp folder)")
    args = ap.parse_args()
    print(f"Directed dyad-years {START}-{END} with CINC ratio, arms flows and alliance flag")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, polars {pl.__version__} ({pl.thread_pool_size()} threads), "
        f"powerbalance {pb.__version__}"
    )
    run(args.sizes, args.repeat, workdir(args.workdir))
    print("ratio: the implementation's time over powerbalance's (higher: powerbalance is faster).")
    print("'same table' includes putting the rows in powerbalance's order (ccode1, ccode2, year), as")
    print("peacesciencer's create_dyadyears returns them; 'any row order' leaves the join order.")


if __name__ == "__main__":
    main()
