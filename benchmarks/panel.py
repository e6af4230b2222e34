"""Benchmark (b): all directed dyad-years 1816-2016 (false dyads dropped) with the CINC ratio,
arms flows, alliance flags by type, SIPRI military expenditure, the AFM GDP/SDP logs and UN ideal
points, built end to end from the files by powerbalance, by idiomatic pandas and by idiomatic
polars, in one run, at 1x, 10x and 100x the real size of the arms ledger.

The work is the same for the three (and the script checks that their panels agree):

1. read COW ``states2016.csv`` and expand it to state-years (a state is a member in every year a
   spell touches), then pair every two distinct members of each year (peacesciencer's
   ``create_dyadyears``): about 2 million directed dyad-years; drop the false dyads (two members
   of a year that never share a day of membership in it, from the spells' dates: 60 directed
   dyad-years, e.g. Suriname and South Vietnam in 1975);
2. read COW NMC v6 and join ``cinc1``, ``cinc2`` and ``cinc_ratio = cinc1 / cinc2``;
3. read the SIPRI trade registers (2024 release, 1950-2023), map suppliers and recipients to COW
   codes (SIPRI ``Germany`` is 260 through 1990, 255 after), sum TIV by supplier, recipient and
   year, and join ``tiv_1to2`` and ``tiv_2to1`` (0 inside 1950-2023, null outside);
4. read COW alliances v4.1 (non-directed) and join ``alliance`` (a row with at least one type in
   force; 5 rows of the file have none) and one flag per type, ``defense, neutrality,
   nonaggression, entente`` (null outside 1816-2012);
5. read SIPRI's military expenditure (long table; current-US$ and share-of-GDP zeros are
   placeholders, read as missing, except for countries with a real zero in constant US$; the
   USSR and Russia rows share 365 and never both have a value) and join
   ``sipri_milex_constant/current/share_gdp`` for both states (``...1``, ``...2``); the
   Anders-Fariss-Markowitz estimates as published logs ``ln_gdp, ln_pop, ln_sdp, ln_gdppc``
   (``1``, ``2``); UN ideal points (final-passage) ``ideal_point1, ideal_point2`` and
   ``ideal_point_distance = |ideal_point1 - ideal_point2|``. Missing is null, never 0.

Maddison's GDP is joinable too (``maddison=``) but not timed here: its ISO3 keys need the
registry's year-by-year COW-ISO3 rule, which a pandas or polars user has no file for.

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
TYPE_NAMES = ["defense", "neutrality", "nonaggression", "entente"]
MILEX = {
    "milex_const2023_usd_m": "sipri_milex_constant",
    "milex_current_usd_m": "sipri_milex_current",
    "milex_share_gdp": "sipri_milex_share_gdp",
}
SDP = {"wbgdp2011est": "ln_gdp", "wbpopest": "ln_pop", "sdpest": "ln_sdp", "wbgdppc2011est": "ln_gdppc"}
STATE_COLS = [*MILEX.values(), *SDP.values(), "ideal_point"]


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
        "milex": d / "sipri_milex" / "sipri_milex_1949_2024_long.csv",
        "sdp": d / "gdp" / "cow_sdp_gdp_log.csv",
        "ideal_points": d / "un_ideal_points" / "IdealpointsJuly2025.csv",
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


def _spells_pd(path: Path) -> pd.DataFrame:
    s = pd.read_csv(path, usecols=["ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"])
    s["d0"] = s["styear"] * 10000 + s["stmonth"] * 100 + s["stday"]
    s["d1"] = s["endyear"] * 10000 + s["endmonth"] * 100 + s["endday"]
    return s


def false_dyads_pandas(path: Path) -> pd.DataFrame:
    """Directed (ccode1, ccode2, year) of two members of a year that share no day in it: only
    years in which some spell starts after 1 January or ends before 31 December can hold one."""
    s = _spells_pd(path)
    part = pd.concat(
        [s.loc[s["d0"] % 10000 != 101, "styear"], s.loc[s["d1"] % 10000 != 1231, "endyear"]]
    ).drop_duplicates()
    part = part[part.between(START, END)]
    sy = s.merge(pd.DataFrame({"year": part.to_numpy()}), how="cross")
    sy = sy[(sy["styear"] <= sy["year"]) & (sy["year"] <= sy["endyear"])]
    sy = sy.assign(
        lo=np.maximum(sy["d0"], sy["year"] * 10000 + 101), hi=np.minimum(sy["d1"], sy["year"] * 10000 + 1231)
    )
    sy = sy[["ccode", "year", "lo", "hi"]]
    x = sy.merge(sy, on="year", suffixes=("1", "2"))
    x = x[x["ccode1"] != x["ccode2"]]
    x["shared"] = np.maximum(x["lo1"], x["lo2"]) <= np.minimum(x["hi1"], x["hi2"])
    g = x.groupby(KEYS, as_index=False)["shared"].any()
    return g.loc[~g["shared"], KEYS]


def false_dyads_polars(path: Path) -> pl.LazyFrame:
    """As :func:`false_dyads_pandas`, in polars."""
    s = pl.scan_csv(path).select(
        "ccode",
        "styear",
        "endyear",
        (pl.col("styear") * 10000 + pl.col("stmonth") * 100 + pl.col("stday")).alias("d0"),
        (pl.col("endyear") * 10000 + pl.col("endmonth") * 100 + pl.col("endday")).alias("d1"),
    )
    part = (
        pl.concat(
            [
                s.filter(pl.col("d0") % 10000 != 101).select(pl.col("styear").alias("year")),
                s.filter(pl.col("d1") % 10000 != 1231).select(pl.col("endyear").alias("year")),
            ]
        )
        .unique()
        .filter(pl.col("year").is_between(START, END))
    )
    sy = (
        s.join(part, how="cross")
        .filter((pl.col("styear") <= pl.col("year")) & (pl.col("year") <= pl.col("endyear")))
        .select(
            "ccode",
            "year",
            pl.max_horizontal("d0", pl.col("year") * 10000 + 101).alias("lo"),
            pl.min_horizontal("d1", pl.col("year") * 10000 + 1231).alias("hi"),
        )
    )
    x = (
        sy.rename({"ccode": "ccode1", "lo": "lo1", "hi": "hi1"})
        .join(sy.rename({"ccode": "ccode2", "lo": "lo2", "hi": "hi2"}), on="year")
        .filter(pl.col("ccode1") != pl.col("ccode2"))
        .group_by(KEYS)
        .agg((pl.max_horizontal("lo1", "lo2") <= pl.min_horizontal("hi1", "hi2")).any().alias("shared"))
    )
    return x.filter(~pl.col("shared")).select(KEYS)


# ---------------------------------------------------------------------------------------------
# powerbalance


def build_powerbalance(p: Dict[str, Any], xwalk: Dict[str, int], ordered: bool = True) -> pb.Table:
    return pb.panels.dyad_years(
        p["states"],
        START,
        END,
        capabilities=p["nmc"],
        ledger=p["sipri_dir"],
        alliances=p["alliances"],
        milex=p["milex"],
        sdp=p["sdp"],
        ideal_points=p["ideal_points"],
        directed=True,
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
    false = false_dyads_pandas(p["states"])
    d = d.merge(false.assign(false=True), on=KEYS, how="left")
    d = d[d["false"].isna()].drop(columns="false")

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
    al = al[al[TYPES].any(axis=1)]  # rows with a type in force
    al = al.assign(alliance=True, **{n: al[t] == 1 for t, n in zip(TYPES, TYPE_NAMES)}).drop(columns=TYPES)
    al = pd.concat([al, al.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})], ignore_index=True)
    d = d.merge(al, on=["ccode1", "ccode2", "year"], how="left")
    in_cov = d["year"].between(*ALLIANCE_SPAN)
    for c in ("alliance", *TYPE_NAMES):
        d[c] = d[c].astype("boolean").fillna(False).where(in_cov, pd.NA)

    # 5. state measures: SIPRI milex, AFM logs, ideal points
    m = pd.read_csv(p["milex"], usecols=["country", "ccode", "year", *MILEX])
    real_zero = set(m.loc[m["milex_const2023_usd_m"] == 0, "country"])
    for c in ("milex_current_usd_m", "milex_share_gdp"):
        m.loc[(m[c] == 0) & ~m["country"].isin(real_zero), c] = np.nan
    m = (
        m.dropna(subset=["ccode"])
        .astype({"ccode": "int64"})
        .groupby(["ccode", "year"], as_index=False)[list(MILEX)]
        .first()
    )
    sdp = pd.read_csv(p["sdp"]).rename(columns=SDP)
    ip = pd.read_csv(p["ideal_points"], usecols=["ccode", "year", "idealpointfp"]).rename(
        columns={"idealpointfp": "ideal_point"}
    )
    st = (
        m.rename(columns=MILEX)
        .merge(sdp, on=["ccode", "year"], how="outer")
        .merge(ip, on=["ccode", "year"], how="outer")
    )
    for k in ("1", "2"):
        d = d.merge(
            st.rename(columns={"ccode": f"ccode{k}", **{c: f"{c}{k}" for c in STATE_COLS}}),
            on=[f"ccode{k}", "year"],
            how="left",
        )
    d["ideal_point_distance"] = (d["ideal_point1"] - d["ideal_point2"]).abs()

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
        .join(false_dyads_polars(p["states"]), on=keys, how="anti")
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
        .select(*keys, pl.lit(True).alias("alliance"), *[(pl.col(t) == 1).alias(n) for t, n in zip(TYPES, TYPE_NAMES)])
    )
    al = pl.concat([al, al.with_columns(pl.col("ccode2").alias("ccode1"), pl.col("ccode1").alias("ccode2"))])
    d = d.join(al, on=keys, how="left")
    in_cov = pl.col("year").is_between(*ALLIANCE_SPAN)
    d = d.with_columns(
        pl.when(in_cov).then(pl.col(c).fill_null(False)).otherwise(None).alias(c) for c in ("alliance", *TYPE_NAMES)
    )

    # 5. state measures: SIPRI milex, AFM logs, ideal points
    m = pl.scan_csv(p["milex"], infer_schema_length=None).select(
        "country", "ccode", "year", *[pl.col(c).cast(pl.Float64) for c in MILEX]
    )
    real_zero = m.filter(pl.col("milex_const2023_usd_m") == 0).select("country").unique()
    m = m.join(real_zero.with_columns(pl.lit(True).alias("real_zero")), on="country", how="left").with_columns(
        pl.when((pl.col(c) == 0) & pl.col("real_zero").is_null()).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("milex_current_usd_m", "milex_share_gdp")
    )
    m = (
        m.filter(pl.col("ccode").is_not_null())
        .group_by("ccode", "year", maintain_order=True)
        .agg(pl.col(c).drop_nulls().first().alias(n) for c, n in MILEX.items())
    )
    sdp = pl.scan_csv(p["sdp"]).select("ccode", "year", *[pl.col(c).cast(pl.Float64).alias(n) for c, n in SDP.items()])
    ip = pl.scan_csv(p["ideal_points"]).select(
        "ccode", "year", pl.col("idealpointfp").cast(pl.Float64).alias("ideal_point")
    )
    st = m.join(sdp, on=["ccode", "year"], how="full", coalesce=True).join(
        ip, on=["ccode", "year"], how="full", coalesce=True
    )
    for k in ("1", "2"):
        d = d.join(
            st.rename({"ccode": f"ccode{k}", **{c: f"{c}{k}" for c in STATE_COLS}}),
            on=[f"ccode{k}", "year"],
            how="left",
        )
    d = d.with_columns((pl.col("ideal_point1") - pl.col("ideal_point2")).abs().alias("ideal_point_distance"))
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
        *[int(df[c].sum()) for c in TYPE_NAMES],
        df["alliance"].null_count(),
        *[(round(float(df[f"{c}{k}"].sum()), 3), df[f"{c}{k}"].null_count()) for c in STATE_COLS for k in ("1", "2")],
        round(float(df["ideal_point_distance"].sum()), 3),
        df["ideal_point_distance"].null_count(),
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
    warm([*p["sipri_files"], p["states"], p["nmc"], p["alliances"], p["milex"], p["sdp"], p["ideal_points"]])
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

    # sums are compared to 1e-9 relative (summation order differs between the tools, and for a
    # sum of 7e9 over 700,000 values that moves the third decimal); counts exactly
    def close(x: Any, y: Any) -> bool:
        if isinstance(x, tuple) and isinstance(y, tuple):
            return len(x) == len(y) and all(close(a, b) for a, b in zip(x, y))
        if isinstance(x, float) and isinstance(y, float):
            return abs(x - y) <= 1e-9 * max(1.0, abs(y))
        return bool(x == y)

    def same(s: Tuple[Any, ...]) -> bool:
        return close(s, ref)

    agree = {
        n: same(summary(df)) and df.select(KEYS).equals(frames["powerbalance"].select(KEYS)) for n, df in frames.items()
    }
    if verbose:
        if scale == 1:
            print(f"columns: {', '.join(frames['powerbalance'].columns)}")
        print(
            f"(b) panel x{scale}: ledger {ledger_rows:,} rows -> {ref[0]:,} dyad-years; median of {repeat} (ms), "
            f"load {os.getloadavg()[0]:.1f}:"
        )
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
        "load": os.getloadavg()[0],
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
    print(
        f"Directed dyad-years {START}-{END} (false dyads dropped) with CINC ratio, arms flows, alliance types, "
        "SIPRI milex, AFM logs and ideal points"
    )
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
