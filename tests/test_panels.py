"""State-year and dyad-year panels from Python, on the real data, checked against independent
pandas computations: row counts (with the false-dyad rule), the CINC join, the arms flows
(against the ledger's state-to-state TIV), the alliance flags, the panels to 2024 with SIPRI
military expenditure, the AFM logs, ideal points and the alignment measures."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import numpy as np
import pandas as pd
import polars as pl
import powerbalance as pb
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from powerbalance.errors import InvalidArgumentError

YEARS = (1816, 1860, 1914, 1946, 1990, 2016)


@pytest.fixture(scope="module")
def paths(data_dir: Path) -> Dict[str, Path]:
    return {
        "states": data_dir / "cow_states" / "states2016.csv",
        "majors": data_dir / "cow_states" / "majors2016.csv",
        "nmc": data_dir / "cow_nmc" / "NMC-60-abridged.csv",
        "sipri": data_dir / "sipri" / "register_newformat_2024",
        "cow_alliances": data_dir / "alliances" / "cow_alliance_v4.1_dyad_year.csv",
        "atop": data_dir / "alliances" / "atop_v5.1_directed_dyad_year.csv",
        "nmc7": data_dir / "cow_nmc" / "NMC-v7.0-abridged.csv",
        "milex": data_dir / "sipri_milex" / "sipri_milex_1949_2024_long.csv",
        "sdp": data_dir / "gdp" / "cow_sdp_gdp_log.csv",
        "ideal_points": data_dir / "un_ideal_points" / "IdealpointsJuly2025.csv",
    }


@pytest.fixture(scope="module")
def state_years_pd(paths: Dict[str, Path]) -> pd.DataFrame:
    """Independent state-years: every year a spell touches, as peacesciencer counts them."""
    raw = pd.read_csv(paths["states"])
    raw["year"] = [list(range(s, e + 1)) for s, e in zip(raw["styear"], raw["endyear"])]
    return raw[["ccode", "year"]].explode("year").astype({"year": "int64"}).drop_duplicates()


@pytest.fixture(scope="module")
def false_pd(paths: Dict[str, Path]) -> pd.DataFrame:
    """Independent false dyads: directed (ccode1, ccode2, year) of two members of a year whose
    spells share no day of it (from the COW dates, day by day)."""
    raw = pd.read_csv(paths["states"])
    start = pd.to_datetime(dict(year=raw["styear"], month=raw["stmonth"], day=raw["stday"]))
    end = pd.to_datetime(dict(year=raw["endyear"], month=raw["endmonth"], day=raw["endday"]))
    rows = []
    for c, s, e in zip(raw["ccode"], start, end):
        for y in range(s.year, e.year + 1):
            lo, hi = max(s, pd.Timestamp(y, 1, 1)), min(e, pd.Timestamp(y, 12, 31))
            rows.append((c, y, lo, hi))
    sp = pd.DataFrame(rows, columns=["ccode", "year", "lo", "hi"])
    x = sp.merge(sp, on="year", suffixes=("1", "2"))
    x = x[x["ccode1"] != x["ccode2"]]
    x["shared"] = x[["lo1", "lo2"]].max(axis=1) <= x[["hi1", "hi2"]].min(axis=1)
    g = x.groupby(["ccode1", "ccode2", "year"], as_index=False)["shared"].any()
    return g.loc[~g["shared"], ["ccode1", "ccode2", "year"]].reset_index(drop=True)


@pytest.fixture(scope="module")
def states(paths: Dict[str, Path]) -> pb.StateList:
    return pb.read_states(paths["states"])


@pytest.fixture(scope="module")
def ledger(paths: Dict[str, Path]) -> pb.Ledger:
    return pb.read_sipri(paths["sipri"])


@pytest.fixture(scope="module")
def panel(paths: Dict[str, Path], ledger: pb.Ledger) -> pa.Table:
    """The acceptance panel: all directed dyad-years 1816-2016 with the CINC ratio, arms flows
    and an alliance flag."""
    t = pb.panels.dyad_years(
        paths["states"],
        capabilities=pb.read_nmc(paths["nmc"]),
        ledger=ledger,
        alliances=paths["cow_alliances"],
        directed=True,
        start=1816,
        end=2016,
    )
    assert isinstance(t, pb.Table)
    return t.to_pyarrow()


def year_slice(t: pa.Table, year: int) -> pd.DataFrame:
    return t.filter(pc.equal(t["year"], year)).to_pandas()


# -- the full panel ----------------------------------------------------------------------------


def test_full_directed_panel_builds(panel: pa.Table, state_years_pd: pd.DataFrame, false_pd: pd.DataFrame) -> None:
    assert panel.column_names == [
        "ccode1",
        "ccode2",
        "year",
        "cinc1",
        "cinc2",
        "cinc_ratio",
        "tiv_1to2",
        "tiv_2to1",
        "alliance",
        "defense",
        "neutrality",
        "nonaggression",
        "entente",
    ]
    n = state_years_pd[state_years_pd["year"].between(1816, 2016)].groupby("year").size()
    # every ordered pair of members, less the false dyads (60 directed, 30 pairs)
    assert len(false_pd) == 60
    assert panel.num_rows == int((n * (n - 1)).sum()) - len(false_pd) == 1_912_290
    # ordered by ccode1, ccode2, year, with no self-dyads
    df = panel.select(["ccode1", "ccode2", "year"]).to_pandas()
    assert df.equals(df.sort_values(["ccode1", "ccode2", "year"], ignore_index=True))
    assert not (df["ccode1"] == df["ccode2"]).any()
    assert not df.duplicated().any()


@pytest.mark.parametrize("year", YEARS)
def test_row_counts_match_pandas(
    panel: pa.Table, state_years_pd: pd.DataFrame, false_pd: pd.DataFrame, year: int
) -> None:
    sy = state_years_pd[state_years_pd["year"] == year]
    pairs = sy.merge(sy, on="year", suffixes=("1", "2"))
    pairs = pairs[pairs["ccode1"] != pairs["ccode2"]]
    pairs = pairs.merge(false_pd.assign(false=True), on=["ccode1", "ccode2", "year"], how="left")
    pairs = pairs[pairs["false"].isna()]
    got = year_slice(panel, year)
    assert len(got) == len(pairs)
    key = ["ccode1", "ccode2"]
    assert got[key].sort_values(key).values.tolist() == pairs[key].sort_values(key).values.tolist()


def test_undirected_and_state_years(
    paths: Dict[str, Path], state_years_pd: pd.DataFrame, false_pd: pd.DataFrame
) -> None:
    for year in YEARS:
        n = int((state_years_pd["year"] == year).sum())
        n_false = int((false_pd["year"] == year).sum()) // 2
        u = pb.panels.dyad_years(paths["states"], directed=False, start=year, end=year)
        assert u.num_rows == n * (n - 1) // 2 - n_false
        kept = pb.panels.dyad_years(paths["states"], directed=False, start=year, end=year, false_dyads=True)
        assert kept.num_rows == n * (n - 1) // 2
        assert all(a < b for a, b in zip(u["ccode1"], u["ccode2"]))
        s = pb.panels.state_years(paths["states"], start=year, end=year)
        assert s.num_rows == n
    all_sy = pb.panels.state_years(paths["states"])
    assert all_sy.num_rows == len(state_years_pd)


def test_cinc_join_matches_nmc(panel: pa.Table, paths: Dict[str, Path]) -> None:
    nmc = pd.read_csv(paths["nmc"], na_values=[-9])[["ccode", "year", "cinc"]]
    got = (
        year_slice(panel, 2016)
        .merge(nmc.rename(columns={"ccode": "ccode1", "cinc": "e1"}), on=["ccode1", "year"], how="left")
        .merge(nmc.rename(columns={"ccode": "ccode2", "cinc": "e2"}), on=["ccode2", "year"], how="left")
    )
    assert (got["cinc1"] - got["e1"]).abs().max() == 0
    assert ((got["cinc_ratio"] - got["e1"] / got["e2"]).abs() < 1e-15).all()
    row = got[(got["ccode1"] == 710) & (got["ccode2"] == 2)].iloc[0]
    assert row["cinc_ratio"] == pytest.approx(0.230618 / 0.133058, rel=1e-4)


# -- arms flows ----------------------------------------------------------------------------------


def _state_to_state(ledger: pb.Ledger, states: pd.DataFrame) -> pd.DataFrame:
    """The ledger's state-to-state TIV by COW dyad-year, computed independently with pandas."""
    e = ledger.entries().to_pandas()[["supplier", "recipient", "year", "tiv"]]
    act = pb.actors().to_pandas()
    code = act[(act["kind"] == "state") & act["cow_code"].notna()].set_index("name")["cow_code"].astype("int64")
    e = e.assign(ccode1=e["supplier"].map(code), ccode2=e["recipient"].map(code)).dropna(subset=["ccode1", "ccode2"])
    e = e.astype({"ccode1": "int64", "ccode2": "int64"})
    for c in ("ccode1", "ccode2"):  # SIPRI's Germany is the FRG (260) through 1990
        e.loc[(e[c] == 255) & (e["year"] <= 1990), c] = 260
    members = states.assign(m=True)
    e = e.merge(members.rename(columns={"ccode": "ccode1"}), on=["ccode1", "year"]).drop(columns="m")
    e = e.merge(members.rename(columns={"ccode": "ccode2"}), on=["ccode2", "year"]).drop(columns="m")
    return e[e["ccode1"] != e["ccode2"]]


@pytest.mark.parametrize("year", [1960, 1985, 2015])
def test_arms_flows_sum_to_the_ledgers_state_to_state_tiv(
    panel: pa.Table, ledger: pb.Ledger, states: pb.StateList, state_years_pd: pd.DataFrame, year: int
) -> None:
    got = year_slice(panel, year)
    expect = _state_to_state(ledger, state_years_pd)
    expect = expect[expect["year"] == year]
    assert got["tiv_1to2"].sum() == pytest.approx(expect["tiv"].sum(), rel=1e-12)
    assert got["tiv_2to1"].sum() == pytest.approx(expect["tiv"].sum(), rel=1e-12)
    by = expect.groupby(["ccode1", "ccode2"])["tiv"].sum()
    (a, b), v = next(iter(by.sort_values(ascending=False).items()))
    row = got[(got["ccode1"] == a) & (got["ccode2"] == b)].iloc[0]
    assert row["tiv_1to2"] == pytest.approx(v)
    back = got[(got["ccode1"] == b) & (got["ccode2"] == a)].iloc[0]
    assert back["tiv_2to1"] == pytest.approx(v)
    # everything the panel leaves out is accounted for
    acc = pb.panels.arms_flows(ledger, states)
    acc_y = acc.to_pandas().query("year == @year")
    assert acc_y.loc[acc_y["in_panel"], "tiv"].sum() == pytest.approx(got["tiv_1to2"].sum(), rel=1e-12)
    assert acc_y["tiv"].sum() == pytest.approx(ledger.total(year, year), rel=1e-12)


def test_arms_flows_null_outside_the_ledgers_years(panel: pa.Table) -> None:
    assert year_slice(panel, 1949)["tiv_1to2"].isna().all()
    assert year_slice(panel, 1950)["tiv_1to2"].notna().all()


def test_germany_and_soviet_union_map_by_year(panel: pa.Table) -> None:
    y85 = year_slice(panel, 1985)
    frg_usa = y85[(y85["ccode1"] == 2) & (y85["ccode2"] == 260)]["tiv_1to2"].iloc[0]
    assert frg_usa > 0  # US deliveries to SIPRI's "Germany" (FRG)
    assert not ((y85["ccode1"] == 255) | (y85["ccode2"] == 255)).any()
    y95 = year_slice(panel, 1995)
    assert y95[(y95["ccode1"] == 2) & (y95["ccode2"] == 255)]["tiv_1to2"].iloc[0] > 0
    # Soviet deliveries to India (1985) and Russian ones (2015) both come from 365
    assert y85[(y85["ccode1"] == 365) & (y85["ccode2"] == 750)]["tiv_1to2"].iloc[0] > 100
    y15 = year_slice(panel, 2015)
    assert y15[(y15["ccode1"] == 365) & (y15["ccode2"] == 750)]["tiv_1to2"].iloc[0] > 100


# -- alliances -----------------------------------------------------------------------------------


def test_alliance_flag_matches_the_cow_file(
    panel: pa.Table, paths: Dict[str, Path], state_years_pd: pd.DataFrame
) -> None:
    al = pd.read_csv(paths["cow_alliances"])
    types = ["cow_defense", "cow_neutral", "cow_nonagg", "cow_entente"]
    al = al[al[types].any(axis=1)]
    for year in (1900, 1950, 2000):
        a = al[al["year"] == year]
        members = set(state_years_pd.loc[state_years_pd["year"] == year, "ccode"])
        a = a[a["ccode1"].isin(members) & a["ccode2"].isin(members)]
        got = year_slice(panel, year)
        assert int(got["alliance"].sum()) == 2 * len(a)  # non-directed: both directions
        assert int(got["defense"].sum()) == 2 * int((a["cow_defense"] == 1).sum())
    assert year_slice(panel, 2013)["alliance"].isna().all()  # COW v4.1 ends in 2012
    y = year_slice(panel, 2000)
    assert bool(y[(y["ccode1"] == 2) & (y["ccode2"] == 200)]["alliance"].iloc[0])  # USA-UK (NATO)


def test_atop_is_directed_and_any_table_works(paths: Dict[str, Path]) -> None:
    atop = pb.panels.read_alliance_years(paths["atop"])
    assert atop.directed and atop.coverage == (1815, 2018)
    t = pb.panels.dyad_years(paths["states"], alliances=atop, start=2016, end=2016)
    assert t.num_rows > 0 and "defense" in t.column_names
    raw = pd.read_csv(paths["atop"])
    raw = raw[raw[[c for c in raw.columns if c.startswith("atop_")]].any(axis=1)]
    custom = pb.panels.alliance_years(pl.from_pandas(raw[["ccode1", "ccode2", "year"]]), directed=True, source="ATOP")
    t2 = pb.panels.dyad_years(paths["states"], alliances=custom, start=2016, end=2016)
    assert t2["alliance"] == t["alliance"]
    assert "defense" not in t2.column_names


# -- state-years with everything, interop, errors --------------------------------------------------


def test_state_years_with_joins(paths: Dict[str, Path], ledger: pb.Ledger) -> None:
    t = pb.panels.state_years(
        paths["states"],
        capabilities=paths["nmc"],
        ledger=ledger,
        alliances=paths["cow_alliances"],
        majors=paths["majors"],
        start=2000,
        end=2016,
    ).to_pandas()
    usa = t[(t["ccode"] == 2) & (t["year"] == 2010)].iloc[0]
    assert bool(usa["major"]) and usa["stateabb"] == "USA"
    assert usa["tiv_exports"] == pytest.approx(ledger.series("United States", start=2010, end=2010)["exports"][0])
    assert usa["n_allies"] > 40
    assert t.loc[t["year"] == 2013, "n_allies"].isna().all()
    assert t[(t["ccode"] == 710) & (t["year"] == 2016)]["cinc"].iloc[0] == pytest.approx(0.230618, abs=1e-6)


def test_panel_read_by_polars_and_pandas(paths: Dict[str, Path]) -> None:
    t = pb.panels.dyad_years(paths["states"], capabilities=paths["nmc"], start=2016, end=2016)
    p = pl.DataFrame(t)
    assert p.schema["ccode1"] == pl.Int64 and p.schema["cinc_ratio"] == pl.Float64
    assert len(t.to_pandas()) == p.height


def test_panel_errors(paths: Dict[str, Path]) -> None:
    with pytest.raises(InvalidArgumentError, match="coverage"):
        pb.panels.dyad_years(paths["states"], start=2000, end=2020, carry_forward=False)
    with pytest.raises(InvalidArgumentError, match="coverage"):
        pb.panels.state_years(paths["states"], start=1800, end=1820)
    with pytest.raises(InvalidArgumentError, match="distance"):
        pb.panels.dyad_years(paths["states"], 2000, 2000, alignment=paths["cow_alliances"], distance="cosine")
    with pytest.raises(InvalidArgumentError, match="state system"):
        pb.panels.dyad_years(pb.read_majors(paths["majors"]))
    with pytest.raises(TypeError):
        pb.panels.dyad_years(paths["states"], alliances=42)  # type: ignore[arg-type]
    totals = pb.read_sipri(paths["sipri"].parent / "tiv_totals_2020-2021" / "epfl_TIV-Export-All-1950-2019.csv")
    with pytest.raises(InvalidArgumentError, match="supplier-by-recipient"):
        pb.panels.dyad_years(paths["states"], ledger=totals, start=2000, end=2000)


# -- to the present, the new joins ------------------------------------------------------------------


def test_false_dyads_are_the_independent_ones(paths: Dict[str, Path], false_pd: pd.DataFrame) -> None:
    kept = pb.panels.dyad_years(paths["states"], false_dyads=True).to_pandas()[["ccode1", "ccode2", "year"]]
    dropped = pb.panels.dyad_years(paths["states"]).to_pandas()[["ccode1", "ccode2", "year"]]
    gone = kept.merge(dropped.assign(in_panel=True), how="left", on=["ccode1", "ccode2", "year"])
    gone = gone[gone["in_panel"].isna()].drop(columns="in_panel")
    key = ["ccode1", "ccode2", "year"]
    assert gone.sort_values(key).values.tolist() == false_pd.sort_values(key).values.tolist()
    assert [115, 817, 1975] in gone.values.tolist()  # Suriname and South Vietnam


@pytest.fixture(scope="module")
def present(paths: Dict[str, Path]) -> pd.DataFrame:
    """Undirected dyad-years 2010-2024 with military expenditure, the AFM logs and ideal points."""
    t = pb.panels.dyad_years(
        paths["states"],
        2010,
        2024,
        directed=False,
        milex=paths["milex"],
        sdp=paths["sdp"],
        ideal_points=paths["ideal_points"],
    )
    cov = pb.panels.coverage(t).to_pandas().set_index("source")
    assert cov.loc["states", "end"] == 2024 and "carried forward" in cov.loc["states", "dataset"]
    assert cov.loc["ideal_points", "columns"] == "ideal_point1,ideal_point2,ideal_point_distance"
    return t.to_pandas()


def test_panels_reach_2024_with_the_system_carried(present: pd.DataFrame, state_years_pd: pd.DataFrame) -> None:
    n2016 = int((state_years_pd["year"] == 2016).sum())
    for year in (2016, 2017, 2024):
        y = present[present["year"] == year]
        assert len(y) == n2016 * (n2016 - 1) // 2
        assert (y["carried"] == (year > 2016)).all()


def test_milex_ideal_points_and_sdp_match_the_files(present: pd.DataFrame, paths: Dict[str, Path]) -> None:
    m = pd.read_csv(paths["milex"])
    ip = pd.read_csv(paths["ideal_points"])
    sdp = pd.read_csv(paths["sdp"])
    row = present[(present["ccode1"] == 2) & (present["ccode2"] == 710) & (present["year"] == 2024)].iloc[0]
    usa = m[(m["ccode"] == 2) & (m["year"] == 2024)].iloc[0]
    assert row["sipri_milex_constant1"] == usa["milex_const2023_usd_m"]
    assert row["sipri_milex_share_gdp1"] == usa["milex_share_gdp"]
    i = ip.set_index(["ccode", "year"])["idealpointfp"]
    assert row["ideal_point1"] == pytest.approx(i[(2, 2024)]) and row["ideal_point2"] == pytest.approx(i[(710, 2024)])
    assert row["ideal_point_distance"] == pytest.approx(abs(i[(2, 2024)] - i[(710, 2024)]))
    # the AFM estimates are logs, as published, and null after their last year with values
    r15 = present[(present["ccode1"] == 2) & (present["ccode2"] == 710) & (present["year"] == 2015)].iloc[0]
    s = sdp.set_index(["ccode", "year"])
    assert r15["ln_gdp1"] == s.loc[(2, 2015), "wbgdp2011est"] and r15["ln_sdp2"] == s.loc[(710, 2015), "sdpest"]
    assert present.loc[present["year"] >= 2016, "ln_gdp1"].isna().all()
    # missing is missing: every null where the file has no value, never 0
    y = present[present["year"] == 2020].merge(
        m[m["year"] == 2020].groupby("ccode")["milex_const2023_usd_m"].first().rename("expect"),
        left_on="ccode1",
        right_index=True,
        how="left",
    )
    assert (y["sipri_milex_constant1"].isna() == y["expect"].isna()).all()
    assert (y["sipri_milex_constant1"].dropna() == y["expect"].dropna()).all()


def test_alliance_types_of_atop(paths: Dict[str, Path]) -> None:
    t = pb.panels.dyad_years(paths["states"], 2016, 2016, alliances=paths["atop"]).to_pandas()
    assert {"defense", "offense", "neutrality", "nonaggression", "consultation"} <= set(t.columns)
    raw = pd.read_csv(paths["atop"]).query("year == 2016")
    key = ["ccode1", "ccode2"]
    j = t.merge(raw, on=key)
    for col, src in [("defense", "atop_defense"), ("offense", "atop_offense"), ("consultation", "atop_consul")]:
        assert (j[col] == (j[src] == 1)).all(), col


def _alignment_numpy(alliances: Path, nmc: Path, year: int) -> pd.DataFrame:
    """S (valued, binary), weighted S and tau-b of one year, straight from the definitions:
    dense portfolios over the NMC members, pairwise sums (an independent computation)."""
    sys_ = pd.read_csv(nmc).query("year == @year")
    codes = np.sort(sys_["ccode"].to_numpy())
    w = sys_.set_index("ccode")["cinc"].reindex(codes).fillna(0).to_numpy()
    a = pd.read_csv(alliances).query("year == @year")
    lv = np.select(
        [a["cow_defense"] == 1, (a["cow_neutral"] == 1) | (a["cow_nonagg"] == 1), a["cow_entente"] == 1], [3, 2, 1], 0
    )
    x = np.zeros((len(codes), len(codes)))
    np.fill_diagonal(x, 3)
    idx = {c: i for i, c in enumerate(codes)}
    for c1, c2, v in zip(a["ccode1"], a["ccode2"], lv):
        if c1 in idx and c2 in idx:
            x[idx[c1], idx[c2]] = x[idx[c2], idx[c1]] = max(v, x[idx[c1], idx[c2]])
    rows = []
    for i in range(len(codes)):
        for j in range(i + 1, len(codes)):
            d = np.abs(x[i] - x[j]) / 3
            b = (x[i] > 0) != (x[j] > 0)
            s = np.sign(np.subtract.outer(x[i], x[i])) * np.sign(np.subtract.outer(x[j], x[j]))
            tx = (np.subtract.outer(x[i], x[i]) != 0).sum() / 2
            ty = (np.subtract.outer(x[j], x[j]) != 0).sum() / 2
            tau = s.sum() / 2 / np.sqrt(tx * ty) if tx * ty > 0 else np.nan
            rows.append((codes[i], codes[j], 1 - 2 * d.mean(), 1 - 2 * b.mean(), 1 - 2 * (w * d).sum() / w.sum(), tau))
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "s_valued", "s_binary", "s_valued_weighted", "tau_b"])


def test_alignment_matches_the_definitions_and_the_panel(paths: Dict[str, Path]) -> None:
    nmc = paths["nmc7"]
    al, caps = pb.read_alliances(paths["cow_alliances"]), pb.read_nmc(nmc)
    got = pb.metrics.alignment(al, caps, 1962, 1962).to_pandas()
    expect = _alignment_numpy(paths["cow_alliances"], nmc, 1962)
    j = got.merge(expect, on=["ccode1", "ccode2"], suffixes=("", "_np"))
    assert len(j) == len(got) == len(expect)
    for c in ("s_valued", "s_binary", "s_valued_weighted", "tau_b"):
        assert np.allclose(j[c], j[f"{c}_np"], atol=1e-12, equal_nan=True), c
    # the panel's alignment columns are the metric's, the system being the panel's members
    panel = pb.panels.dyad_years(
        paths["states"], 1962, 1962, directed=False, capabilities=caps, alignment=al
    ).to_pandas()
    k = panel.merge(got, on=["ccode1", "ccode2", "year"], suffixes=("", "_m"))
    assert len(k) == len(panel)
    for c in ("s_binary", "s_valued", "s_valued_weighted", "kappa", "pi", "kappa_weighted", "pi_weighted", "tau_b"):
        assert np.allclose(k[c], k[f"{c}_m"], atol=1e-12, equal_nan=True), c
    one = pb.metrics.alignment_dyad(al, caps, "USA", "Russia", 1962, 1962).to_pandas().iloc[0]
    assert one["s_valued"] == pytest.approx(got.query("ccode1 == 2 and ccode2 == 365")["s_valued"].iloc[0])
    sub = pb.metrics.alignment(al, caps, 1962, 1963, states=["USA", "China", 365]).to_pandas()
    assert sub[["ccode1", "ccode2"]].drop_duplicates().values.tolist() == [[2, 365], [2, 710], [365, 710]]


def test_rhai_has_the_same_panels_and_alignment(data_dir: Path, paths: Dict[str, Path]) -> None:
    """The same calls from Rhai, with Python's keyword arguments as a trailing option map."""
    from powerbalance.script import Engine

    e = Engine(data=data_dir, echo=False)
    e.eval(
        f"""
        let states = read_states("{paths["states"]}");
        let atop = read_alliances("{paths["atop"]}");
        let caps = read_nmc("{paths["nmc7"]}");
        let ip = read_ideal_points("{paths["ideal_points"]}");
        let panel = dyad_years(states, 2016, 2024, #{{directed: false, ideal_points: ip, alignment: atop,
                                                      capabilities: caps, false_dyads: false}});
        let n = panel.num_rows;
        let al = alignment(atop, caps, 2000, 2000, #{{states: ["USA", "China", "Russia"]}});
        let one = alignment_scores([3, 2, 0, 0, 1], [2, 3, 0, 1, 1]);
        """
    )
    py = pb.panels.dyad_years(
        paths["states"],
        2016,
        2024,
        directed=False,
        ideal_points=paths["ideal_points"],
        alignment=paths["atop"],
        capabilities=paths["nmc7"],
    )
    assert e["n"] == py.num_rows
    assert e["panel"].to_pyarrow().equals(py.to_pyarrow())
    caps = pb.read_nmc(paths["nmc7"])
    want = pb.metrics.alignment(pb.read_alliances(paths["atop"]), caps, 2000, 2000, states=["USA", "China", "Russia"])
    assert e["al"].to_pyarrow().equals(want.to_pyarrow())
    assert e["one"]["s_valued"] == pytest.approx([0.6])
