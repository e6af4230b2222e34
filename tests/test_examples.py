"""Every examples/*.rhai runs from the command line, and its numbers match the Python API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import powerbalance as pb
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
    after = Scenario().embargo("Russia", "China", period=(2016, 2020)).apply(led)
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
    w = Scenario().redirect("India", "Russia", period=(2016, 2020)).apply(led)
    assert e["fr_after"] == pytest.approx(share(w.exporters(2016, 2020), "supplier", "France"))


def test_us_client_sweep(data_dir: Path, led: pb.Ledger) -> None:
    e = run("us_client_sweep.rhai", data_dir)
    res = e["results"]
    top5 = led.clients("United States", 2016, 2020)["recipient"][:5]
    assert list(res) == sorted(top5) or set(res) == set(top5)
    for r in top5:
        w = Scenario().embargo("United States", r, period=(2016, 2020)).apply(led)
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
