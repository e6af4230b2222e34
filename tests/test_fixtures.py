"""The readers and metrics on the synthetic mini data home of ``tests/fixtures/data``.

These tests need no data of third parties: every file under ``tests/fixtures/data`` was written
for this project (see its README), in the real formats and in the data-home layout, with numbers
chosen so that every figure below can be checked by hand. They are what ``scripts/test.sh`` runs
(with the other tests that need no data) when the data home is not complete.

The new-format register holds 11 delivery rows; in 2016-2020 the world total is 4000 TIV:

=============  ======  =====  ===========  ======
supplier       TIV     share  recipient    TIV
=============  ======  =====  ===========  ======
Russia         1690    .4225  Saudi Arabia 1000
United States  1180    .2950  India         990
France          660    .1650  China         960
Germany         350    .0875  Algeria       750
China           120    .0300  Taiwan        180
=============  ======  =====  Pakistan      120
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Dict, List, Tuple

import powerbalance as pb
import pytest

REGISTER = "sipri/register_newformat_2024/trade-register_1990-2023.csv"
CLASSIC = "sipri/register_oldformat_2026/trade-register.csv"
TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"


def rows(t: pb.Table, *cols: str) -> List[Tuple[object, ...]]:
    d = t.to_pydict()
    return list(zip(*(d[c] for c in cols)))


def test_every_fixture_sits_where_the_registry_puts_it(fixtures_home: Path) -> None:
    """The fixtures are a data home: each file has the relative path of a registered data file."""
    registered = {f.path for n in pb.datasets.names() for f in pb.datasets.info(n).files}
    files = sorted(p.relative_to(fixtures_home).as_posix() for p in fixtures_home.rglob("*") if p.is_file())
    assert files, "no fixtures"
    stray = [f for f in files if f not in registered]
    assert not stray, f"fixtures outside the data-home layout of the registry: {stray}"


def test_register_rows_are_read_as_written(fixtures_home: Path) -> None:
    led = pb.read_sipri(fixtures_home / REGISTER)
    (rep,) = led.report().to_pylist()
    assert rep["format"] == "trade-register"
    assert (rep["preamble_lines"], rep["data_rows"], rep["rows_read"], rep["rows_skipped"]) == (11, 11, 11, 0)
    assert rep["generated"] == "1 Jan 2024 12:00:00 PM"
    assert led.skipped().num_rows == 0
    assert led.total(2016, 2020) == 4000.0
    assert led.total(2012, 2012) == 300.0  # the S-400 row, outside the fact-sheet window
    got = {y: v for y, v in rows(led.dyad("Russia", "China"), "year", "tiv") if v}
    assert got == {2012: 300.0, 2016: 160.0, 2017: 400.0, 2018: 400.0}


def test_exporters_fact_sheet_on_the_register(fixtures_home: Path) -> None:
    t = pb.read_sipri(fixtures_home / REGISTER).exporters(2016, 2020)
    assert rows(t, "rank", "supplier", "tiv", "share") == [
        (1, "Russia", 1690.0, 0.4225),
        (2, "United States", 1180.0, 0.295),
        (3, "France", 660.0, 0.165),
        (4, "Germany", 350.0, 0.0875),
        (5, "China", 120.0, 0.03),
    ]
    # Russia's clients: China 960, Algeria 400, India 330 of 1690.
    first = t.to_pylist()[0]
    assert (first["client_1"], first["client_2"], first["client_3"]) == ("China", "Algeria", "India")
    assert math.isclose(first["client_1_share"], 960 / 1690)
    assert math.isclose(first["client_3_share"], 330 / 1690)


def test_importers_fact_sheet_top_three(fixtures_home: Path) -> None:
    t = pb.read_sipri(fixtures_home / REGISTER).importers(2016, 2020, top=3)
    assert rows(t, "recipient", "tiv", "share") == [
        ("Saudi Arabia", 1000.0, 0.25),
        ("India", 990.0, 0.2475),
        ("China", 960.0, 0.24),
    ]
    india = t.to_pylist()[1]
    assert (india["supplier_1"], india["supplier_2"]) == ("France", "Russia")
    assert math.isclose(india["supplier_1_share"], 660 / 990)


def test_a_bad_cell_names_file_line_and_column(fixtures_home: Path, tmp_path: Path) -> None:
    text = (fixtures_home / REGISTER).read_text(encoding="utf-8")
    bad = tmp_path / "register.csv"
    # Line 14 is the second Su-35 delivery (11 preamble lines, the header, then the rows).
    bad.write_text(text.replace(",40,40,400,No", ",40,40,4x0,No", 1), encoding="utf-8")
    with pytest.raises(pb.errors.DataFormatError) as e:
        pb.read_sipri(bad)
    assert (e.value.line, e.value.column, e.value.column_name) == (14, 16, "TIV delivery values")
    assert str(e.value).startswith(f"{bad}:14:16:")


def test_classic_register_latin1_spread_over_delivery_years(fixtures_home: Path) -> None:
    led = pb.read_sipri(fixtures_home / CLASSIC)
    (rep,) = led.report().to_pylist()
    assert rep["format"] == "classic-register"
    assert (rep["data_rows"], rep["rows_read"], rep["rows_skipped"]) == (4, 4, 0)
    assert "Latin-1" in rep["notes"]
    assert led.annual_estimated
    # 24 Su-35 for 960 TIV delivered over 2016; 2017; 2018: 320 a year, estimated.
    got = {y: v for y, v in rows(led.dyad("Russia", "China"), "year", "tiv") if v}
    assert got == {2016: 320.0, 2017: 320.0, 2018: 320.0}
    # The Soviet Union's Su-27 (1991-92) is not Russia's until succession is followed.
    assert led.dyad("Russia", "China", start=1991, end=1992).to_pydict()["tiv"] == [0.0, 0.0]
    merged = led.follow_succession().dyad("Russia", "China", start=1991, end=1992)
    assert merged.to_pydict()["tiv"] == [240.0, 240.0]
    assert led.total(1991, 2020) == 960 + 480 + 5 + 660


def test_wide_table_agrees_with_the_register(fixtures_home: Path) -> None:
    """Russia's per-supplier TIV table holds the same cells as Russia's rows of the register."""
    table = pb.read_sipri(fixtures_home / TABLES)
    (rep,) = table.report().to_pylist()
    assert rep["format"] == "wide-table"
    assert (rep["rows_read"], rep["rows_skipped"]) == (3, 2)
    assert sorted(r["reason"] for r in table.skipped().to_pylist()) == ["blank line", "totals row"]
    register = pb.read_sipri(fixtures_home / REGISTER)

    def russia(led: pb.Ledger) -> Dict[str, float]:
        out: Dict[str, float] = {}
        for r in led.by_dyad(2016, 2020).to_pylist():
            if r["supplier"] == "Russia":
                out[r["recipient"]] = r["tiv"]
        return out

    assert russia(table) == russia(register) == {"China": 960.0, "Algeria": 400.0, "India": 330.0}


@pytest.mark.parametrize(
    "name, release, years",
    [("NMC-v7.0-abridged.csv", "7.0", (2021, 2022)), ("NMC-60-abridged.csv", "6.0", (2015, 2016))],
)
def test_nmc_release_and_cinc(fixtures_home: Path, name: str, release: str, years: Tuple[int, int]) -> None:
    """The fixture's published CINC is each state's mean share among the three: recomputed equal."""
    nmc = pb.read_nmc(fixtures_home / "cow_nmc" / name)
    assert nmc.release == release
    assert tuple(nmc.coverage) == years
    c = nmc.cinc(years[1], ["United States", "China", "Russia"]).to_pylist()
    assert [r["stateabb"] for r in c] == ["USA", "CHN", "RUS"]  # in the order asked
    for r in c:
        assert math.isclose(r["cinc_recomputed"], r["cinc_published"], abs_tol=1e-9)
    assert math.isclose(sum(r["cinc_recomputed"] for r in c), 1.0)
    assert math.isclose(c[1]["cinc_recomputed"], 0.593901976, abs_tol=1e-9)


def test_states_milex_ideal_points_alliances(fixtures_home: Path) -> None:
    states = pb.read_states(fixtures_home / "cow_states/states2016.csv")
    assert "5 spells, 4 states" in repr(states)
    milex = pb.read_milex(fixtures_home / "sipri_milex/sipri_milex_1949_2024_long.csv")
    assert tuple(milex.coverage) == (1990, 2024)
    assert rows(milex.rank(2024), "rank", "country", "value", "flag") == [
        (1, "United States", 950000.0, "R"),
        (2, "China", 310000.0, "E"),
        (3, "Russia", 150000.0, "U"),
    ]
    # Russia's current-US$ zero of 1990 is one of SIPRI's placeholder zeros: read as missing
    # (and ccode 365 in 1990 is the Soviet Union).
    (r1990,) = [r for r in milex.table("current").to_pylist() if r["year"] == 1990]
    assert r1990["actor"] == "Soviet Union"
    assert r1990["value"] is None or math.isnan(r1990["value"])
    ideal = pb.read_ideal_points(fixtures_home / "un_ideal_points/IdealpointsJuly2025.csv")
    assert "9 rows, 2014-2016" in repr(ideal)
    al = pb.read_alliances(fixtures_home / "alliances/cow_alliance_v4.1_dyad_year.csv")
    assert "4 rows, 2011-2012" in repr(al)
