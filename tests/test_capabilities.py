"""Capabilities (COW NMC v6 and v7), the COW state lists and the metrics, from Python, on the real
data: known values, checks against independent pandas computations, and interop."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import polars as pl
import powerbalance as pb
import pyarrow as pa
import pytest
from powerbalance import metrics
from powerbalance.errors import InvalidArgumentError, UnknownActorError


@pytest.fixture(scope="module")
def v6(data_dir: Path) -> pb.Capabilities:
    return pb.read_nmc(data_dir / "cow_nmc" / "NMC-60-abridged.csv")


@pytest.fixture(scope="module")
def v7(data_dir: Path) -> pb.Capabilities:
    return pb.read_nmc(data_dir / "cow_nmc" / "NMC-v7.0-abridged.csv")


@pytest.fixture(scope="module")
def states(data_dir: Path) -> pb.StateList:
    return pb.read_states(data_dir / "cow_states" / "states2016.csv")


# -- readers -------------------------------------------------------------------------------


def test_reads_both_layouts(v6: pb.Capabilities, v7: pb.Capabilities) -> None:
    assert (v6.release, v6.layout, v6.version_column, v6.coverage, len(v6)) == (
        "6.0",
        "cow-abridged",
        "2021",
        (1816, 2016),
        15951,
    )
    assert (v7.release, v7.layout, v7.version_column, v7.coverage, len(v7)) == (
        "7.0",
        "unversioned",
        None,
        (1816, 2022),
        17121,
    )


def test_table_matches_pandas_read(v6: pb.Capabilities, data_dir: Path) -> None:
    t = v6.table().to_pandas()
    raw = pd.read_csv(data_dir / "cow_nmc" / "NMC-60-abridged.csv", na_values=[-9])
    assert len(t) == len(raw)
    m = t.merge(raw, on=["ccode", "year"], suffixes=("", "_raw"))
    assert len(m) == len(raw)
    for c in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        assert m[c].isna().sum() == m[f"{c}_raw"].isna().sum(), c
        ok = m[c].notna()
        assert (m.loc[ok, c] - m.loc[ok, f"{c}_raw"]).abs().max() < 1e-12, c


# -- known values ----------------------------------------------------------------------------


@pytest.mark.parametrize("abb,published", [("USA", 0.1331), ("CHN", 0.2306), ("RUS", 0.0365)])
def test_cinc_2016_v6_recomputed_within_1e6(v6: pb.Capabilities, abb: str, published: float) -> None:
    t = v6.cinc(2016).filter(stateabb=abb)
    row = t.row(0)
    assert round(row["cinc_published"], 4) == published
    assert abs(row["cinc_recomputed"] - row["cinc_published"]) < 1e-6
    assert row["n_components"] == 6


def test_cinc_recomputed_for_every_state_year_2016(v6: pb.Capabilities) -> None:
    t = v6.cinc(2016).to_pandas()
    d = (t["cinc_recomputed"] - t["cinc_published"]).abs()
    assert d.max() < 1e-6


def test_china_cinc_above_usa_every_year_1995_2016_v6(v6: pb.Capabilities) -> None:
    r = v6.ratio("China", "USA", start=1995, end=2016)
    assert r["year"] == list(range(1995, 2017))
    assert all(x > 1 for x in r["ratio"])
    # ... and not in 1994
    assert v6.ratio("CHN", "USA", start=1994, end=1994)["ratio"][0] < 1


def test_v7_has_usa_ahead_in_2002(v7: pb.Capabilities) -> None:
    r = v7.ratio(710, 2, start=1995, end=2022).to_pandas().set_index("year")["ratio"]
    assert r[2002] < 1 and (r.drop(2002) > 1).all()


@pytest.mark.parametrize("caps,last", [("v6", 2016), ("v7", 2022)])
def test_china_milex_above_russia_from_2002(caps: str, last: int, request: pytest.FixtureRequest) -> None:
    c: pb.Capabilities = request.getfixturevalue(caps)
    r = c.ratio("CHN", "RUS", measure="milex", start=1995, end=last).to_pandas().set_index("year")["ratio"]
    assert (r.loc[2002:] > 1).all()
    assert (r.loc[:2001] < 1).all()


def test_rank_2016(v6: pb.Capabilities) -> None:
    t = v6.rank(2016)
    assert t["stateabb"][:5] == ["CHN", "USA", "IND", "RUS", "JPN"]
    assert t["rank"][:3] == [1, 2, 3]
    assert t["actor"][3] == "Russia"


def test_shares_of_a_subset_sum_to_one(v6: pb.Capabilities) -> None:
    t = v6.shares(2016, ["USA", "CHN", "RUS"])
    assert t["stateabb"] == ["USA", "CHN", "RUS"]
    assert math.isclose(sum(t["share_of_group"]), 1.0)
    assert math.isclose(t["share_of_group"][1], 0.230618 / (0.133058 + 0.230618 + 0.036473), rel_tol=1e-4)
    sub = v6.cinc(2016, ["USA", "CHN", "RUS"])
    assert math.isclose(sum(sub["cinc_recomputed"]), 1.0)


def test_series_and_actor_by_year(v6: pb.Capabilities) -> None:
    s = v6.series("Russia", "tpop", 1990, 1993)
    assert s["year"] == [1990, 1991, 1992, 1993]
    assert all(v is not None for v in s["value"])
    assert v6.cinc(1991, [365])["actor"] == ["Soviet Union"]
    assert v6.cinc(1992, [365])["actor"] == ["Russia"]
    assert v6.resolve("China") == 710 and v6.resolve("chn") == 710 and v6.resolve("710") == 710


def test_no_value_is_invented_outside_coverage(v6: pb.Capabilities) -> None:
    with pytest.raises(InvalidArgumentError):
        v6.ratio("CHN", "USA", start=2010, end=2020)
    with pytest.raises(InvalidArgumentError):
        v6.rank(2017)


def test_errors(v6: pb.Capabilities) -> None:
    with pytest.raises(InvalidArgumentError, match="unknown measure"):
        v6.rank(2016, "gdp")
    with pytest.raises(UnknownActorError):
        v6.cinc(2016, ["Atlantis"])
    with pytest.raises(InvalidArgumentError):
        v6.cinc(2016, rule="mean")
    with pytest.raises(InvalidArgumentError):
        v6.shares(2016, ["USA", "USA"])


# -- state lists -----------------------------------------------------------------------------


def test_state_list_matches_pandas(states: pb.StateList, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / "cow_states" / "states2016.csv")
    assert (len(states), states.n_states, states.kind, states.version) == (
        len(raw),
        raw["ccode"].nunique(),
        "states",
        "2016",
    )
    for year in (1816, 1860, 1946, 1990, 2016):
        expect = sorted(raw.loc[(raw["styear"] <= year) & (raw["endyear"] >= year), "ccode"].unique().tolist())
        assert states.members(year) == expect
    assert states.is_member(710, 1860) and not states.is_member(710, 1859)
    assert states.table().num_rows == len(raw)


def test_majors(data_dir: Path) -> None:
    m = pb.read_majors(data_dir / "cow_states" / "majors2016.csv")
    assert m.kind == "majors"
    assert m.members(2016) == [2, 200, 220, 255, 365, 710, 740]


# -- results as tables ------------------------------------------------------------------------


def test_results_read_by_pandas_polars_pyarrow(v6: pb.Capabilities) -> None:
    t = v6.cinc(2016)
    assert isinstance(t, pb.Table)
    df = pd.DataFrame(t.to_pandas())
    assert len(df) == t.num_rows and "cinc_recomputed" in df.columns
    p = pl.DataFrame(t)
    assert p.height == t.num_rows and p.schema["ccode"] == pl.Int64
    assert pa.table(t).num_rows == t.num_rows
    assert pl.DataFrame(v6.ratio("CHN", "USA")).height == 201


# -- metrics ----------------------------------------------------------------------------------

TRI = {"USA": 50.0, "CHN": 30.0, "RUS": 20.0}


def test_concentration_by_hand() -> None:
    assert metrics.hhi(TRI)["hhi"] == [pytest.approx(0.38)]
    assert metrics.con(TRI)["con"] == [pytest.approx(math.sqrt(0.07))]
    h = -(0.5 * math.log(0.5) + 0.3 * math.log(0.3) + 0.2 * math.log(0.2)) / math.log(3)
    assert metrics.entropy(list(TRI.items()))["entropy"] == [pytest.approx(h)]
    t = metrics.concentration(TRI)
    assert t["n"] == [3] and t["strongest"] == ["USA"] and t["equilibrium_holds"] == [True]
    assert metrics.shares(TRI)["share"] == [0.5, 0.3, 0.2]
    assert metrics.poles(TRI, rule="share", threshold=0.25)["actor"] == ["USA", "CHN"]
    assert metrics.poles(TRI)["actor"] == ["USA", "CHN"]  # Schweller: at least half the largest


def test_coalitions_and_equilibrium() -> None:
    c = metrics.coalitions(TRI)
    assert c.num_rows == 7
    assert c.filter(minimal_balancer=True)["coalition"] == ["CHN + RUS"]
    e = metrics.equilibrium({"USA": 60, "CHN": 25, "RUS": 15})
    assert e.row(0)["holds"] is False and e.row(0)["preponderant"] == "USA"
    assert e.row(0)["n_balancers"] == 0
    assert metrics.equilibrium(TRI).row(0)["balancers"] == "CHN + RUS"


def test_metrics_by_year_from_a_table(v6: pb.Capabilities) -> None:
    t = v6.table().to_pyarrow().select(["year", "stateabb", "cinc"])
    h = metrics.hhi(t, by="year", actor="stateabb", value="cinc")
    assert h.column_names == ["year", "n", "hhi"] and h.num_rows == 201
    # independent: HHI of the CINC shares of 2016 with pandas
    df = v6.table().to_pandas()
    s = df.loc[df["year"] == 2016, "cinc"].dropna()
    expect = ((s / s.sum()) ** 2).sum()
    assert h.to_pandas().set_index("year").loc[2016, "hhi"] == pytest.approx(expect)
    # the same through polars
    hp = metrics.hhi(pl.DataFrame(t), by="year", actor="stateabb", value="cinc")
    assert hp == h


def test_capabilities_concentration_of_the_triangle(v6: pb.Capabilities) -> None:
    t = v6.concentration(2000, 2016, states=["USA", "CHN", "RUS"])
    assert t["year"] == list(range(2000, 2017)) and set(t["n"]) == {3}
    row = t.to_pandas().set_index("year").loc[2016]
    assert row["strongest"] == "China"  # a name, not the COW code 710
    assert all(0 <= x <= 1 for x in t["con"])


def test_transition_on_cinc(v6: pb.Capabilities) -> None:
    chn, usa = v6.series("CHN", start=1980), v6.series("USA", start=1980)
    x = metrics.crossovers(chn, usa, names=("China", "USA"))
    assert x.row(0)["year"] == 1995 and x.row(0)["leader"] == "China"
    w = metrics.parity_windows(chn, usa)
    assert w.num_rows >= 1 and all(0.8 <= r <= 1.25 for r in w["min_ratio"])
    g = metrics.fit_growth(chn, 2000, 2016)
    assert g["n"] == [17]
    p = metrics.project_crossover(usa, chn, 2000, 2016, names=("USA", "China"))
    assert p.column_names[0] == "fit_start" and p["leader_at_end"] == ["China"]


def test_project_crossover_by_hand() -> None:
    a = {y: 1.0 * 1.10 ** (y - 2000) for y in range(2000, 2011)}
    b = {y: 4.0 * 1.02 ** (y - 2000) for y in range(2000, 2011)}
    t = metrics.project_crossover(a, b, 2000, 2010, names=("CHN", "USA"))
    expect = 2000 + math.log(4.0) / math.log(1.10 / 1.02)
    assert t["crossover_year"][0] == pytest.approx(expect)
    assert metrics.fit_growth({2000: 1.0, 2001: 1.1, 2002: 1.21}, 2000, 2002)["growth"] == [pytest.approx(0.1)]


def test_metric_errors() -> None:
    with pytest.raises(InvalidArgumentError):
        metrics.hhi({"a": -1.0, "b": 2.0})
    with pytest.raises(InvalidArgumentError):
        metrics.poles(TRI, threshold=1.5)
    with pytest.raises(InvalidArgumentError):
        metrics.parity_windows({2000: 1.0}, {2000: 1.0}, low=2.0, high=1.0)


# -- the other data sets and metrics, reachable from Python -------------------------------------


def test_sipri_milex_china_above_russia_from_1995(data_dir: Path) -> None:
    mx = pb.read_milex(data_dir / "sipri_milex" / "sipri_milex_1949_2024_long.csv")
    t = mx.table("constant", 1995, 2024).to_pandas()
    t = t[t["country"].isin(["China", "Russia"])]  # the USSR rows (ccode 365 too) are empty after 1991
    w = t.pivot(index="year", columns="country", values="value")
    assert len(w) == 30 and (w["China"] > w["Russia"]).all()
    assert mx.rank(2016).row(0)["ccode"] == 2


def test_gdp_alliances_ideal_points_reachable(data_dir: Path, v6: pb.Capabilities) -> None:
    md = pb.read_maddison(data_dir / "gdp" / "maddison_mpd2023.csv")
    assert md.table(2000, 2000).num_rows > 100 and md.rank(2016, "gdp").num_rows > 100
    sdp = pb.read_sdp_gdp(data_dir / "gdp" / "cow_sdp_gdp_log.csv")
    assert sdp.table(2000, 2000).num_rows > 100
    al = pb.read_alliances(data_dir / "alliances" / "cow_alliance_v4.1_dyad_year.csv")
    assert al.source.startswith("COW") and not al.directed
    assert al.dyad("USA", "United Kingdom", 2000, 2000).num_rows == 1
    s = al.s_scores(v6, 2000, [("USA", "United Kingdom"), ("USA", "China")])
    assert s.num_rows == 2
    assert al.s_score_series(v6, "USA", "Russia", 1990, 2000).num_rows == 11
    ip = pb.read_ideal_points(data_dir / "un_ideal_points" / "IdealpointsJuly2025.csv")
    d = ip.distance("USA", "China", start=2000, end=2010)
    assert d.num_rows == 11
    assert ip.distances(2016, states=["USA", "China", "Russia"]).num_rows == 3
    # the alliance object is a panel input too
    panel = pb.panels.dyad_years(data_dir / "cow_states" / "states2016.csv", alliances=al, start=2000, end=2000)
    assert "alliance" in panel.column_names


def test_dependence_and_triangles(data_dir: Path) -> None:
    led = pb.read_sipri(data_dir / "sipri" / "register_newformat_2024")
    d = metrics.supplier_dependence(led, "India", 2016, 2020, supplier="Russia", block=5)
    assert d.num_rows == 1
    assert metrics.client_dependence(led, "Russia", 2016, 2020, block=5).num_rows == 1
    assert metrics.dependence_asymmetry(led, "Russia", "India", 2010, 2020).num_rows == 11
    assert metrics.net_exporter(led, "China", start=1990, end=2020).num_rows == 31
    # the same metrics as Ledger methods give the same tables
    same = lambda a, b: a.to_pyarrow().equals(b.to_pyarrow())  # noqa: E731
    assert same(led.supplier_dependence("India", 2016, 2020, supplier="Russia", block=5), d)
    assert same(
        led.client_dependence("Russia", 2016, 2020, block=5),
        metrics.client_dependence(led, "Russia", 2016, 2020, block=5),
    )
    assert same(
        led.dependence_asymmetry("Russia", "India", 2010, 2020),
        metrics.dependence_asymmetry(led, "Russia", "India", 2010, 2020),
    )
    assert same(
        led.net_exporter("China", start=1990, end=2020), metrics.net_exporter(led, "China", start=1990, end=2020)
    )
    # Russia's share of India's imports in 2016-20 (the paper's Table 1 prints 49%)
    assert 0.45 < d["share"][0] < 0.55, d
    s = led.series("China", start=1990, end=2020)
    assert metrics.peak(s.to_pyarrow().select(["year", "imports"]).rename_columns(["year", "value"]))["year"][0] < 2010
    assert metrics.change_points({y: (1.0 if y < 2005 else 5.0) for y in range(1995, 2016)}).num_rows >= 2
    t = metrics.triangle(("USA", "CHN", "RUS"), {2016: -1.0}, {2016: 1.0}, {2016: -1.0})
    assert t["type"] == ["stable marriage"] and t["actor"] == ["USA"] and t["balanced"] == ["true"]
