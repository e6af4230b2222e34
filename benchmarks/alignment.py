"""Benchmark: every alignment measure for every dyad-year, by powerbalance, by pandas with numpy
and by polars, in one run, from the files.

The work is the same for the three (and the script checks that their tables agree to 1e-9):

1. read COW NMC v7.0 (the system of each year: the states with a row; the weights: CINC, 0 where
   missing) and COW alliances v4.1 (non-directed; a state's level toward a partner: 3 defense,
   2 neutrality or nonaggression, 1 entente, 0 none; toward itself 3);
2. for every pair ``ccode1 < ccode2`` of members of every year 1816-2012 (about 950,000
   dyad-years), the 4 x 4 contingency table of the two portfolios over the system (counts, and
   weighted by CINC), and from it binary and valued S (Signorino & Ritter 1999), unweighted and
   weighted, Hage's (2011) kappa and pi (unweighted and weighted, valued scale, absolute
   distance) and tau-b (Bueno de Mesquita 1975).

How each computes the tables, idiomatically:

- powerbalance: ``pb.metrics.alignment`` (sparse partner lists per year, one merge per dyad);
- pandas + numpy: per year the members' level matrix ``X`` (n x n), one indicator matrix per
  level, and ``n[a][b] = A_a @ A_b.T`` (and ``A_a @ diag(w) @ A_b.T``): 32 matrix products per
  year, then the measures as array expressions, collected in a DataFrame;
- polars: the same sparse idea as powerbalance in joins: the partners table (year, i, k, level)
  joined with itself on (year, k) gives the cells with both levels >= 1; the cells with one 0
  come from each state's level counts minus those, the 0-0 cell from the system size; the
  measures as expressions.

Run: ``POWERBALANCE_DATA=/path/to/data python benchmarks/alignment.py [--start 1816] [--end 2012] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pandas as pd
import polars as pl
import powerbalance as pb
from _synthetic import data_root, warm
from panel import timeit, to_polars

KEYS = ["ccode1", "ccode2", "year"]
LEVELS = range(4)


def paths() -> Dict[str, Path]:
    d = data_root()
    return {
        "nmc": d / "cow_nmc" / "NMC-v7.0-abridged.csv",
        "alliances": d / "alliances" / "cow_alliance_v4.1_dyad_year.csv",
    }


# ---------------------------------------------------------------------------------------------
# the measures from the 16 cells, for numpy arrays and polars expressions alike


def measures(n: List[List[Any]], w: List[List[Any]], ops: Dict[str, Callable[..., Any]]) -> Dict[str, Any]:
    """The nine measures from the cells ``n[a][b]`` (counts) and ``w[a][b]`` (weights).

    ``ops``: ``where(cond, x)`` (x where cond else missing), ``sqrt``, ``clip(x, lo, hi)``.
    """
    where, sqrt, clip = ops["where"], ops["sqrt"], ops["clip"]

    def total(t: List[List[Any]]) -> Any:
        return sum(t[a][b] for a in LEVELS for b in LEVELS)

    def delta(a: int, b: int, binary: bool) -> float:
        return float((a > 0) != (b > 0)) if binary else abs(a - b) / 3

    def observed(t: List[List[Any]], tot: Any, binary: bool) -> Any:
        return sum(t[a][b] * delta(a, b, binary) for a in LEVELS for b in LEVELS if delta(a, b, binary)) / tot

    def s(t: List[List[Any]], tot: Any, binary: bool) -> Any:
        return clip(1 - 2 * observed(t, tot, binary), -1.0, 1.0)

    def chance(t: List[List[Any]], tot: Any, pooled: bool) -> Any:
        r = [sum(t[a][b] for b in LEVELS) / tot for a in LEVELS]
        c = [sum(t[a][b] for a in LEVELS) / tot for b in LEVELS]
        if pooled:
            r = c = [(r[a] + c[a]) / 2 for a in LEVELS]
        e = sum(r[a] * c[b] * delta(a, b, False) for a in LEVELS for b in LEVELS if a != b)
        o = observed(t, tot, False)
        return where(e > 1e-15, clip(1 - o / e, None, 1.0))

    out: Dict[str, Any] = {}
    tn, tw = total(n), total(w)
    out["s_binary"] = s(n, tn, True)
    out["s_valued"] = s(n, tn, False)
    out["s_binary_weighted"] = where(tw > 0, s(w, tw, True))
    out["s_valued_weighted"] = where(tw > 0, s(w, tw, False))
    out["kappa"] = chance(n, tn, False)
    out["pi"] = chance(n, tn, True)
    out["kappa_weighted"] = where(tw > 0, chance(w, tw, False))
    out["pi_weighted"] = where(tw > 0, chance(w, tw, True))
    p = sum(n[a][b] * n[c][d] for a in LEVELS for b in LEVELS for c in LEVELS for d in LEVELS if a < c and b < d)
    q = sum(n[a][b] * n[c][d] for a in LEVELS for b in LEVELS for c in LEVELS for d in LEVELS if a < c and b > d)
    n0 = tn * (tn - 1) / 2
    rows = [sum(n[a][b] for b in LEVELS) for a in LEVELS]
    cols = [sum(n[a][b] for a in LEVELS) for b in LEVELS]
    tx = sum(r * (r - 1) / 2 for r in rows)
    ty = sum(c * (c - 1) / 2 for c in cols)
    den = (n0 - tx) * (n0 - ty)
    out["tau_b"] = where(den > 0, clip((p - q) / sqrt(den), -1.0, 1.0))
    return out


NP_OPS: Dict[str, Callable[..., Any]] = {
    "where": lambda cond, x: np.where(cond, x, np.nan),
    "sqrt": lambda x: np.sqrt(np.maximum(x, 0)),
    "clip": lambda x, lo, hi: np.clip(x, lo, hi),
}
PL_OPS: Dict[str, Callable[..., Any]] = {
    "where": lambda cond, x: pl.when(cond).then(x).otherwise(None),
    "sqrt": lambda x: pl.when(x > 0).then(x).otherwise(0.0).sqrt(),
    "clip": lambda x, lo, hi: x.clip(lo, hi),
}


def levels_long(alliances: pd.DataFrame) -> pd.DataFrame:
    """(year, ccode1, ccode2, level) for the rows in force, both directions."""
    a = alliances
    level = np.select(
        [a["cow_defense"] == 1, (a["cow_neutral"] == 1) | (a["cow_nonagg"] == 1), a["cow_entente"] == 1], [3, 2, 1], 0
    )
    a = a.assign(level=level)[["year", "ccode1", "ccode2", "level"]]
    a = a[a["level"] > 0]
    b = a.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    return pd.concat([a, b], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# the three


def build_powerbalance(p: Dict[str, Path], start: int, end: int) -> Any:
    al = pb.read_alliances(p["alliances"])
    caps = pb.read_nmc(p["nmc"])
    return pb.metrics.alignment(al, caps, start, end)


def build_pandas(p: Dict[str, Path], start: int, end: int) -> pd.DataFrame:
    nmc = pd.read_csv(p["nmc"], usecols=["ccode", "year", "cinc"])
    nmc = nmc[nmc["year"].between(start, end)]
    lv = levels_long(pd.read_csv(p["alliances"]))
    lv = lv[lv["year"].between(start, end)]
    frames = []
    by_year = dict(tuple(lv.groupby("year")))
    for year, sys_ in nmc.groupby("year"):
        codes = np.sort(sys_["ccode"].to_numpy())
        m = len(codes)
        wt = sys_.set_index("ccode")["cinc"].reindex(codes).fillna(0.0).to_numpy()
        x = np.zeros((m, m), dtype=np.int8)
        np.fill_diagonal(x, 3)
        if year in by_year:
            y = by_year[year]
            i = np.searchsorted(codes, y["ccode1"].to_numpy())
            k = np.searchsorted(codes, y["ccode2"].to_numpy())
            ok = (i < m) & (k < m)
            ok[ok] &= (codes[i[ok]] == y["ccode1"].to_numpy()[ok]) & (codes[k[ok]] == y["ccode2"].to_numpy()[ok])
            np.maximum.at(x, (i[ok], k[ok]), y["level"].to_numpy()[ok].astype(np.int8))
        ind = [(x == a).astype(np.float64) for a in LEVELS]
        iu, ju = np.triu_indices(m, 1)
        n = [[(ind[a] @ ind[b].T)[iu, ju] for b in LEVELS] for a in LEVELS]
        w = [[((ind[a] * wt) @ ind[b].T)[iu, ju] for b in LEVELS] for a in LEVELS]
        cols = measures(n, w, NP_OPS)
        frames.append(pd.DataFrame({"ccode1": codes[iu], "ccode2": codes[ju], "year": year, **cols}))
    return pd.concat(frames, ignore_index=True).sort_values(["year", "ccode1", "ccode2"], ignore_index=True)


def build_polars(p: Dict[str, Path], start: int, end: int) -> pl.DataFrame:
    nmc = (
        pl.scan_csv(p["nmc"])
        .select("ccode", "year", pl.col("cinc").fill_null(0.0))
        .filter(pl.col("year").is_between(start, end))
    )
    sizes = nmc.group_by("year").agg(pl.len().alias("N"), pl.col("cinc").sum().alias("W"))
    al = pl.scan_csv(p["alliances"]).filter(pl.col("year").is_between(start, end))
    lvl = (
        pl.when(pl.col("cow_defense") == 1)
        .then(3)
        .when((pl.col("cow_neutral") == 1) | (pl.col("cow_nonagg") == 1))
        .then(2)
        .when(pl.col("cow_entente") == 1)
        .then(1)
        .otherwise(0)
    )
    one = al.select("year", "ccode1", "ccode2", lvl.alias("level")).filter(pl.col("level") > 0)
    both = pl.concat(
        [one, one.select("year", pl.col("ccode2").alias("ccode1"), pl.col("ccode1").alias("ccode2"), "level")]
    )
    # Partners among the members (both ends in the NMC system), and each member toward itself.
    members = nmc.select("year", pl.col("ccode").alias("ccode1"))
    part = (
        both.join(members, on=["year", "ccode1"])
        .join(members.rename({"ccode1": "ccode2"}), on=["year", "ccode2"])
        .group_by("year", "ccode1", "ccode2")
        .agg(pl.col("level").max())
    )
    part = pl.concat(
        [part, members.with_columns(pl.col("ccode1").alias("ccode2"), pl.lit(3).alias("level"))], how="diagonal"
    )
    part = part.join(nmc.rename({"ccode": "ccode2", "cinc": "w"}), on=["year", "ccode2"]).select(
        "year", pl.col("ccode1").alias("i"), pl.col("ccode2").alias("k"), "level", "w"
    )
    # Each state's count (and weight) of members at each level >= 1.
    marg = part.group_by("year", "i").agg(
        *[(pl.col("level") == a).sum().alias(f"r{a}") for a in (1, 2, 3)],
        *[pl.col("w").filter(pl.col("level") == a).sum().alias(f"rw{a}") for a in (1, 2, 3)],
    )
    # Cells with both levels >= 1: the partner tables joined on the member k.
    both_ge1 = (
        part.join(part, on=["year", "k"], suffix="_j")
        .filter(pl.col("i") < pl.col("i_j"))
        .group_by("year", "i", "i_j")
        .agg(
            *[
                ((pl.col("level") == a) & (pl.col("level_j") == b)).sum().alias(f"n{a}{b}")
                for a in (1, 2, 3)
                for b in (1, 2, 3)
            ],
            *[
                pl.col("w").filter((pl.col("level") == a) & (pl.col("level_j") == b)).sum().alias(f"w{a}{b}")
                for a in (1, 2, 3)
                for b in (1, 2, 3)
            ],
        )
    )
    # Every pair of members, with the cells (0 where the two share no partner).
    pairs = (
        members.join(members.rename({"ccode1": "ccode2"}), on="year")
        .filter(pl.col("ccode1") < pl.col("ccode2"))
        .join(sizes, on="year")
        .join(both_ge1.rename({"i": "ccode1", "i_j": "ccode2"}), on=["year", "ccode1", "ccode2"], how="left")
        .join(marg.rename({"i": "ccode1"}), on=["year", "ccode1"], how="left")
        .join(
            marg.rename(
                {"i": "ccode2", **{f"r{a}": f"c{a}" for a in (1, 2, 3)}, **{f"rw{a}": f"cw{a}" for a in (1, 2, 3)}}
            ),
            on=["year", "ccode2"],
            how="left",
        )
        .fill_null(0)
    )
    c = pl.col
    n = [[c(f"n{a}{b}").cast(pl.Float64) if a and b else None for b in LEVELS] for a in LEVELS]
    w = [[c(f"w{a}{b}") if a and b else None for b in LEVELS] for a in LEVELS]
    for a in (1, 2, 3):
        n[a][0] = c(f"r{a}") - sum(n[a][b] for b in (1, 2, 3))
        n[0][a] = c(f"c{a}") - sum(n[b][a] for b in (1, 2, 3))
        w[a][0] = c(f"rw{a}") - sum(w[a][b] for b in (1, 2, 3))
        w[0][a] = c(f"cw{a}") - sum(w[b][a] for b in (1, 2, 3))
    n[0][0] = c("N") - sum(n[a][b] for a in LEVELS for b in LEVELS if a or b)
    w[0][0] = c("W") - sum(w[a][b] for a in LEVELS for b in LEVELS if a or b)
    cols = measures(n, w, PL_OPS)
    return pairs.select(*KEYS, *[e.alias(k) for k, e in cols.items()]).sort("year", "ccode1", "ccode2").collect()


# ---------------------------------------------------------------------------------------------


def measure_columns(df: pl.DataFrame) -> List[str]:
    """The measures a table has: its columns but the keys (and powerbalance's ``n_states``)."""
    return [c for c in df.columns if c not in KEYS and c != "n_states"]


def agree(a: pl.DataFrame, b: pl.DataFrame) -> Tuple[bool, str]:
    """Whether ``a`` has the dyad-years and the measures of ``b``, each within 1e-9."""
    if sorted(measure_columns(a)) != sorted(measure_columns(b)):
        return False, f"the measures differ: {measure_columns(a)} vs {measure_columns(b)}"
    if a.select(KEYS).to_numpy().tolist() != b.select(KEYS).to_numpy().tolist():
        return False, "the dyad-years differ"
    for col in measure_columns(b):
        x = a[col].cast(pl.Float64).fill_nan(None).to_numpy().astype(float)
        y = b[col].cast(pl.Float64).fill_nan(None).to_numpy().astype(float)
        if not np.array_equal(np.isnan(x), np.isnan(y)):
            return False, f"{col}: nulls differ ({int(np.isnan(x).sum())} vs {int(np.isnan(y).sum())})"
        ok = ~np.isnan(x)
        if ok.any() and np.max(np.abs(x[ok] - y[ok])) > 1e-9:
            return False, f"{col}: max difference {np.max(np.abs(x[ok] - y[ok])):.3g}"
    return True, ""


IMPLS: List[Tuple[str, Callable[..., Any]]] = [
    ("powerbalance", build_powerbalance),
    ("pandas+numpy", build_pandas),
    ("polars", build_polars),
]


def run(start: int, end: int, repeat: int, verbose: bool = True) -> Dict[str, Any]:
    p = paths()
    warm(list(p.values()))
    results: Dict[str, float] = {}
    frames: Dict[str, pl.DataFrame] = {}
    for name, fn in IMPLS:
        t, out = timeit(lambda fn=fn: fn(p, start, end), repeat)
        results[name] = t
        frames[name] = to_polars(out)
    ref = frames["powerbalance"]
    verdicts = {name: agree(df, ref) for name, df in frames.items()}
    if verbose:
        n_measures = len(measure_columns(ref))
        print(f"alignment {start}-{end}: {ref.height:,} dyad-years x {n_measures} measures; median of {repeat} (ms):")
        base = results["powerbalance"]
        for name, t in results.items():
            ok, why = verdicts[name]
            print(
                f"  {name:<13} {t * 1000:10.0f} {t / base:6.1f}x   {'agrees' if ok else 'DIFFERS: ' + why}", flush=True
            )
    if not all(v[0] for v in verdicts.values()):
        sys.exit(1)
    return {
        "workload": "alignment measures",
        "size": f"{ref.height:,} dyad-years",
        **{k: v for k, v in results.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--start", type=int, default=1816)
    ap.add_argument("--end", type=int, default=2012)
    ap.add_argument("--repeat", type=int, default=3, help="runs per implementation (the median is reported)")
    args = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, numpy {np.__version__}, polars {pl.__version__} ({pl.thread_pool_size()} threads), "
        f"powerbalance {pb.__version__}"
    )
    run(args.start, args.end, args.repeat)
    print("ratio: the implementation's time over powerbalance's (higher: powerbalance is faster).")


if __name__ == "__main__":
    main()
