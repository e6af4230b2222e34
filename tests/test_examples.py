"""Every examples/*.rhai runs from the command line, and its numbers match the Python API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import powerbalance as pb
import pytest
from powerbalance.script import Engine, Scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"


@pytest.fixture(scope="module")
def led(data_dir: Path) -> pb.Ledger:
    return pb.read_sipri(data_dir / TABLES)


def run(name: str, data_dir: Path) -> Engine:
    e = Engine(data=data_dir, echo=False)
    e.run_file(EXAMPLES / name)
    return e


def share(t: pb.Table, col: str, name: str, value: str = "share") -> float:
    rows = t.filter(**{col: name})
    return rows.row(0)[value] if rows.num_rows else 0.0


def test_there_are_at_least_five_examples_and_each_runs_from_the_cli(data_dir: Path) -> None:
    scripts = sorted(EXAMPLES.glob("*.rhai"))
    assert len(scripts) >= 5
    for s in scripts:
        text = s.read_text()
        assert text.startswith("//"), f"{s.name} starts with a comment saying what it asks"
        r = subprocess.run(
            [sys.executable, "-m", "powerbalance", "run", str(s), "--data", str(data_dir)],
            capture_output=True, text=True, timeout=120,
        )
        assert r.returncode == 0, f"{s.name}: {r.stderr}"
        assert r.stdout.strip()


def test_china_stops_buying_russian(data_dir: Path, led: pb.Ledger) -> None:
    e = run("china_stops_buying_russian.rhai", data_dir)
    clients = led.clients("Russia", 2016, 2020)
    assert e["lost"] == pytest.approx(share(clients, "recipient", "China"))
    assert e["removed"] == pytest.approx(sum(led.dyad("Russia", "China", start=2016, end=2020)["tiv"]))
    after = Scenario().embargo("Russia", "China", 2016, 2020).apply(led)
    assert e["share_after"] == pytest.approx(share(after.exporters(2016, 2020), "supplier", "Russia"))
    assert e["hhi_before"] == pytest.approx(sum(s * s for s in clients["share"]))
    assert e["hhi_after"] == pytest.approx(sum(s * s for s in after.clients("Russia", 2016, 2020)["share"]))
    assert e["hhi_after"] > e["hhi_before"]  # the remaining clients are more concentrated
    assert e["lost"] == pytest.approx(0.179, abs=0.001)


def test_russia_india_vs_china(data_dir: Path, led: pb.Ledger) -> None:
    e = run("russia_india_vs_china.rhai", data_dir)
    india = led.dyad("Russia", "India", start=1992, end=2021)["tiv"]
    china = led.dyad("Russia", "China", start=1992, end=2021)["tiv"]
    assert e["india_total"] == pytest.approx(sum(india))
    assert e["china_total"] == pytest.approx(sum(china))
    assert e["china_years"] == sum(c > i for c, i in zip(china, india))


def test_india_redirects(data_dir: Path, led: pb.Ledger) -> None:
    e = run("india_redirects.rhai", data_dir)
    assert abs(e["world_change"]) < 1e-6
    assert e["moved"] == pytest.approx(sum(led.dyad("Russia", "India", start=2016, end=2020)["tiv"]))
    w = Scenario().redirect("India", "Russia", 2016, 2020).apply(led)
    assert e["fr_after"] == pytest.approx(share(w.exporters(2016, 2020), "supplier", "France"))
    # the top-6 comparison takes every row's values from the uncut tables: the UK (which leaves
    # the top 6) and Israel (which enters it) show their true changes, not -4,789 and +6,282
    c = pb.Table(e["c"])
    diff = dict(zip(c["supplier"], c["tiv_diff"]))
    full = dict(zip(w.exporters(2016, 2020)["supplier"], w.exporters(2016, 2020)["tiv"]))
    base = dict(zip(led.exporters(2016, 2020)["supplier"], led.exporters(2016, 2020)["tiv"]))
    for k, v in diff.items():
        assert v == pytest.approx(full.get(k, 0.0) - base.get(k, 0.0)), k
    assert (round(diff["United Kingdom"]), round(diff["Israel"])) == (211, 2093)


def test_us_client_sweep(data_dir: Path, led: pb.Ledger) -> None:
    e = run("us_client_sweep.rhai", data_dir)
    res = e["results"]
    top5 = led.clients("United States", 2016, 2020)["recipient"][:5]
    assert list(res) == sorted(top5) or set(res) == set(top5)
    for r in top5:
        w = Scenario().embargo("United States", r, 2016, 2020).apply(led)
        assert res[r] == pytest.approx(share(w.exporters(2016, 2020), "supplier", "United States"))
    assert min(res, key=res.get) == "Saudi Arabia"


def test_coalition_exports(data_dir: Path, led: pb.Ledger) -> None:
    e = run("coalition_exports.rhai", data_dir)
    rows = e["rows"]
    assert [r["period"] for r in rows] == ["1996-2000", "2001-2005", "2006-2010", "2011-2015", "2016-2020"]
    s = led.follow_succession()
    for r in rows:
        a, b = map(int, r["period"].split("-"))
        t = s.by_supplier(a, b)
        assert r["us"] == pytest.approx(share(t, "supplier", "United States"))
        assert r["china_russia"] == pytest.approx(share(t, "supplier", "Russia") + share(t, "supplier", "China"))


# --- capability and alignment examples, checked against pandas over the raw files -------------

US, CN, RU = 2, 710, 365


def nmc_frame(data_dir: Path, name: str) -> pd.DataFrame:
    t = pd.read_csv(data_dir / "cow_nmc" / name)
    return t.replace(-9, np.nan)


def milex_frame(data_dir: Path) -> pd.DataFrame:
    """SIPRI constant-dollar expenditure by (ccode, year); placeholder zeros are missing."""
    t = pd.read_csv(data_dir / "sipri_milex" / "sipri_milex_1949_2024_long.csv")
    t = t[t["milex_const2023_usd_m"].notna() & (t["milex_const2023_usd_m"] > 0)]
    return t.groupby(["ccode", "year"])["milex_const2023_usd_m"].first().unstack(0)


def test_coalition_cinc_milex(data_dir: Path) -> None:
    e = run("coalition_cinc_milex.rhai", data_dir)
    for name, var, last in [("NMC-60-abridged.csv", "cinc6", 2016), ("NMC-v7.0-abridged.csv", "cinc7", 2022)]:
        t = nmc_frame(data_dir, name)
        p = t[t.ccode.isin([US, CN, RU])].pivot(index="year", columns="ccode", values="cinc").loc[1992:last]
        share = (p[CN] + p[RU]) / (p[US] + p[CN] + p[RU])
        got = e[var]["shares"]
        assert set(got) == {str(y) for y in share.index}
        for y, s in share.items():
            assert got[str(y)] == pytest.approx(s, abs=1e-12)
        assert e[f"{var}_years"] == [y for y, s in share.items() if s >= 0.5]
    assert e["v6_share_2016"] == pytest.approx(0.667, abs=0.001)
    m = milex_frame(data_dir)[[US, CN, RU]].loc[1992:2024].dropna()
    share = (m[CN] + m[RU]) / m.sum(axis=1)
    for y, s in share.items():
        assert e["milex"]["shares"][str(y)] == pytest.approx(s)
    assert e["milex_years"] == [y for y, s in share.items() if s >= 0.5] == []
    assert e["milex_share_2024"] == pytest.approx(share[2024])
    assert e["eq_milex"]["strongest"] == "United States" and e["eq_milex"]["preponderant"] == "United States"
    assert e["eq_cinc"]["strongest"] == "China"


def halve_growth(x: pd.Series, start: int, factor: float = 0.5) -> pd.Series:
    """x'_t = x'_(t-1) (1 + factor (x_t / x_(t-1) - 1)) after ``start``, across gaps."""
    out = x.copy()
    prev = None
    for y in x.index:
        v = x[y]
        if y < start or pd.isna(v):
            continue
        if prev is not None and prev[0] > 0:
            out[y] = max(0.0, prev[1] * (1 + factor * (v / prev[0] - 1)))
        prev = (v, out[y])
    return out


def cinc_of(rows: pd.DataFrame) -> pd.Series:
    """CINC from the six components (COW's rule: the mean of the shares a state has)."""
    comps = ["milex", "milper", "irst", "pec", "tpop", "upop"]
    tot = rows[comps].sum()
    shares = rows[comps] / tot.where(tot > 0)
    return shares.mean(axis=1, skipna=True)


def last_pass(a: pd.Series, b: pd.Series) -> int | None:
    """The last year ``a`` overtook ``b`` (years both have), None if it never did or fell back."""
    d = pd.concat([a, b], axis=1).dropna()
    lead = (d.iloc[:, 0] > d.iloc[:, 1]).tolist()
    years = d.index.tolist()
    out = None
    for i in range(1, len(lead)):
        if lead[i] != lead[i - 1] and d.iloc[i, 0] != d.iloc[i, 1]:
            out = years[i] if lead[i] else None
    return out


def projection(a: pd.Series, b: pd.Series, fit: tuple[int, int]) -> float:
    def ols(s: pd.Series) -> tuple[float, float]:
        s = s.loc[fit[0] : fit[1]].dropna()
        slope, icpt = np.polyfit(s.index.to_numpy(float), np.log(s.to_numpy()), 1)
        return slope, icpt

    (sa, ia), (sb, ib) = ols(a), ols(b)
    t0 = fit[1]
    g0 = (ia + sa * t0) - (ib + sb * t0)
    return t0 - g0 / (sa - sb)


def test_china_growth_halved(data_dir: Path) -> None:
    e = run("china_growth_halved.rhai", data_dir)
    # military expenditure
    m = milex_frame(data_dir)
    cn, us, ru = m[CN], m[US], m[RU]
    cn_half = halve_growth(cn, 2010)
    assert e["milex_2024_base"] == pytest.approx(cn[2024] / us[2024])
    assert e["milex_2024_half"] == pytest.approx(cn_half[2024] / us[2024])
    assert e["milex_ru_base"] == e["milex_ru_half"] == last_pass(cn, ru) == 1995
    assert e["milex_us_base"] is None and e["milex_us_half"] is None
    assert e["proj_year_base"] == pytest.approx(projection(cn, us, (2010, 2024)), abs=1e-6)
    assert e["proj_year_half"] == pytest.approx(projection(cn_half, us, (2010, 2024)), abs=1e-6)
    assert e["proj_year_half"] > e["proj_year_base"] + 20
    # CINC (NMC v7), recomputed after halving China's growth of every component
    t = nmc_frame(data_dir, "NMC-v7.0-abridged.csv")
    comps = ["milex", "milper", "irst", "pec", "tpop", "upop"]
    half = t.copy()
    china = half.ccode == CN
    for c in comps:
        s = half.loc[china].set_index("year")[c]
        half.loc[china, c] = halve_growth(s, 2010).to_numpy()
    y22 = half[half.year == 2022].set_index("ccode")
    cinc22 = cinc_of(y22)
    assert e["cinc_2022_half"] == pytest.approx(cinc22[CN] / cinc22[US], rel=1e-9)
    base22 = t[t.year == 2022].set_index("ccode")["cinc"]
    assert e["cinc_2022_base"] == pytest.approx(base22[CN] / base22[US])
    p = t[t.ccode.isin([US, CN, RU])].pivot(index="year", columns="ccode", values="cinc")
    assert e["cinc_us_base"] == last_pass(p[CN], p[US])
    assert e["cinc_ru_base"] == last_pass(p[CN], p[RU])


def test_triangle_russia_us_positive(data_dir: Path) -> None:
    e = run("triangle_russia_us_positive.rhai", data_dir)
    t = pd.read_csv(data_dir / "un_ideal_points" / "IdealpointsJuly2025.csv")
    p = t[t.ccode.isin([US, CN, RU])].pivot(index="year", columns="ccode", values="idealpointfp").loc[1992:2024]
    cr, ru, uc = (p[CN] - p[RU]).abs(), (p[RU] - p[US]).abs(), (p[US] - p[CN]).abs()

    def kind(ab: float, bc: float, ca: float) -> str:
        signs = [1 if d <= 1.0 else -1 for d in (ab, bc, ca)]  # score -d >= -1
        pos = signs.count(1)
        names = ["China", "Russia", "United States"]
        if pos == 3:
            return "menage a trois"
        if pos == 0:
            return "unit veto"
        if pos == 2:
            return f"romantic triangle ({names[(signs.index(-1) + 2) % 3]})"
        return f"stable marriage ({names[(signs.index(1) + 2) % 3]})"

    def counts(pairs: list[tuple[float, float, float]]) -> dict[str, int]:
        out: dict[str, int] = {}
        for x in pairs:
            k = kind(*x)
            out[k] = out.get(k, 0) + 1
        return out

    years = p.index
    assert e["base_types"] == counts([(cr[y], ru[y], uc[y]) for y in years])
    assert e["what_if_types"] == counts([(cr[y], cr[y], uc[y]) for y in years])
    assert e["base_types"]["stable marriage (United States)"] == 26
    base = e["base_2024"]
    assert (base["type"], base["actor"], base["balanced"]) == ("stable marriage", "United States", True)
    assert (e["what_if_2024"]["type"], e["what_if_2024"]["actor"], e["what_if_2024"]["balanced"]) == (
        "romantic triangle",
        "Russia",
        False,
    )
    # the pact raises the US-Russia S score; the alliance level goes from none to defense
    assert e["s_pact"]["s_unweighted"] > e["s_base"]["s_unweighted"]
    assert e["s_pact"]["s_weighted"] > e["s_base"]["s_weighted"]
    # unweighted S (Signorino & Ritter 1999) over the NMC v6 members of 2012, by hand
    nmc = nmc_frame(data_dir, "NMC-60-abridged.csv")
    members = sorted(nmc[nmc.year == 2012].ccode)
    al = pd.read_csv(data_dir / "alliances" / "cow_alliance_v4.1_dyad_year.csv")
    al = al[al.year == 2012]
    level: dict[tuple[int, int], int] = {}
    for r in al.itertuples():
        lv = 3 if r.cow_defense else 2 if (r.cow_neutral or r.cow_nonagg) else 1 if r.cow_entente else 0
        for k in [(r.ccode1, r.ccode2), (r.ccode2, r.ccode1)]:
            level[k] = max(level.get(k, 0), lv)

    def s_score(i: int, j: int, lv: dict[tuple[int, int], int]) -> float:
        x = lambda a, k: 1.0 if a == k else lv.get((a, k), 0) / 3  # noqa: E731
        return 1 - 2 * sum(abs(x(i, k) - x(j, k)) for k in members) / len(members)

    assert e["s_base"]["s_unweighted"] == pytest.approx(s_score(US, RU, level), abs=1e-12)
    level[(US, RU)] = level[(RU, US)] = 3
    assert e["s_pact"]["s_unweighted"] == pytest.approx(s_score(US, RU, level), abs=1e-12)


def test_run_reads_the_data_home_without_data_option(data_dir: Path, tmp_path: Path) -> None:
    """`powerbalance run` without --data: POWERBALANCE_DATA, else the user data home."""
    import os
    import shutil

    script = EXAMPLES / "china_stops_buying_russian.rhai"
    env = dict(os.environ, POWERBALANCE_DATA=str(data_dir))
    r = subprocess.run(
        [sys.executable, "-m", "powerbalance", "run", str(script)], capture_output=True, text=True, timeout=120, env=env
    )
    assert r.returncode == 0, r.stderr
    expected = r.stdout
    # the same script on the user data home (POWERBALANCE_DATA unset) that holds the same file
    home = tmp_path / "cache" / "powerbalance"
    (home / TABLES).parent.mkdir(parents=True)
    shutil.copytree(data_dir / TABLES, home / TABLES)
    env = {k: v for k, v in os.environ.items() if k != "POWERBALANCE_DATA"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    r = subprocess.run(
        [sys.executable, "-m", "powerbalance", "run", str(script)], capture_output=True, text=True, timeout=120, env=env
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected
