"""Ledger, Table, Scenario and Metric pickle (Arrow IPC and JSON), exactly: every metric gives the
same table before and after, on every SIPRI layout the project reads."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Callable, List, Tuple

import powerbalance as pb
import pyarrow as pa
import pytest
from powerbalance import _native
from powerbalance.errors import InvalidArgumentError
from powerbalance.script import Metric, Scenario

#: (name, call) for every table a ledger gives.
CALLS: List[Tuple[str, Callable[[pb.Ledger], pb.Table]]] = [
    ("importers", lambda led: led.importers(2016, 2020, top=10, compare=(2011, 2015))),
    ("exporters", lambda led: led.exporters(2016, 2020)),
    ("dyad", lambda led: led.dyad("Russia", "India")),
    ("suppliers", lambda led: led.suppliers("India", 2016, 2020)),
    ("clients", lambda led: led.clients("Russia", 2016, 2020)),
    ("by_supplier", lambda led: led.by_supplier(2016, 2020)),
    ("by_dyad", lambda led: led.by_dyad(2016, 2020)),
    ("series", lambda led: led.series("China")),
    ("world", lambda led: led.world()),
    ("entries", lambda led: led.entries()),
    ("report", lambda led: led.report()),
    ("skipped", lambda led: led.skipped()),
    ("actors", lambda led: led.actors()),
]


def same(a: pb.Table, b: pb.Table) -> bool:
    x, y = a.to_pyarrow(), b.to_pyarrow()
    return x.equals(y) and x.schema.metadata == y.schema.metadata


def check_round_trip(led: pb.Ledger, calls: List[Tuple[str, Callable[[pb.Ledger], pb.Table]]]) -> pb.Ledger:
    back = pickle.loads(pickle.dumps(led))
    assert isinstance(back, pb.Ledger)
    assert (len(back), back.layout, back.years, back.span, back.annual_estimated, repr(back)) == (
        len(led),
        led.layout,
        led.years,
        led.span,
        led.annual_estimated,
        repr(led),
    )
    for name, call in calls:
        assert same(call(led), call(back)), name
    assert back.total(2016, 2020) == led.total(2016, 2020)
    return back


def test_register_folder_round_trip(ledger_2024: pb.Ledger) -> None:
    back = check_round_trip(ledger_2024, CALLS)
    # the deal detail is all there (entries compares it row by row); a second trip is the same
    assert pickle.dumps(back) == pickle.dumps(ledger_2024)


def test_other_layouts_round_trip(ledger_2026: pb.Ledger, ledger_2022: pb.Ledger, path_2024: Path) -> None:
    check_round_trip(ledger_2026, CALLS)
    # the TIV tables: no deal detail, Russia's exports only
    tables = [c for c in CALLS if c[0] in ("exporters", "clients", "world", "entries", "report", "skipped", "actors")]
    check_round_trip(ledger_2022, tables)
    # a what-if (no load report) and a totals-only file
    w = Scenario("x").embargo("Russia", "China", 2016, 2020).apply(ledger_2026)
    check_round_trip(w, CALLS)
    totals = pb.read_sipri(next(path_2024.glob("*export*")))
    back = pickle.loads(pickle.dumps(totals))
    assert back.layout == totals.layout == "export-totals"
    assert same(back.by_supplier(2016, 2020), totals.by_supplier(2016, 2020))


def test_classic_register_open_orders_round_trip(data_dir: Path) -> None:
    """The classic register's open orders (an order with no delivery: no entry, a deal) travel
    with the ledger."""
    classic = pb.read_sipri(data_dir / "sipri" / "register_oldformat_2026" / "trade-register.csv")
    back = pickle.loads(pickle.dumps(classic))
    assert same(back.orders(supplier="Russia"), classic.orders(supplier="Russia"))
    assert sum(back.orders()["open_order"]) == sum(classic.orders()["open_order"]) > 1000


def test_fixture_register_with_new_actors(fixtures_home: Path) -> None:
    """The synthetic register of tests/fixtures: whatever names it interns keep their ids."""
    led = pb.read_sipri(fixtures_home / "sipri" / "register_newformat_2024")
    y = led.years
    assert y is not None
    calls = [
        ("entries", lambda led: led.entries()),
        ("report", lambda led: led.report()),
        ("actors", lambda led: led.actors()),
        ("by_dyad", lambda led: led.by_dyad(*y)),
        ("world", lambda led: led.world()),
    ]
    back = pickle.loads(pickle.dumps(led))
    for name, call in calls:
        assert same(call(led), call(back)), name


def test_table_scenario_metric_pickle(ledger_2024: pb.Ledger) -> None:
    t = ledger_2024.importers(2016, 2020, top=5)
    assert t.to_pyarrow().schema.metadata, "a top cut keeps its hidden rows in the metadata"
    back = pickle.loads(pickle.dumps(t))
    assert same(back, t)
    assert back.to_pyarrow().schema.metadata == t.to_pyarrow().schema.metadata
    s = Scenario("China stops buying Russian arms").embargo("Russia", "China", 2016, 2020).scale_exports("France", 1.5)
    assert pickle.loads(pickle.dumps(s)) == s
    m = Metric("exporters", 2016, 2020, top=5, compare=(2011, 2015))
    assert pickle.loads(pickle.dumps(m)) == m


def test_bad_bytes_are_typed_errors(ledger_2024: pb.Ledger) -> None:
    data = bytes(_native.ledger_to_ipc(ledger_2024.native))
    for bad in (b"", data[:100], data[: len(data) // 2], b"not arrow at all"):
        with pytest.raises(InvalidArgumentError, match="not a powerbalance ledger or table in Arrow IPC form"):
            _native.ledger_from_ipc(bad)
    t = ledger_2024.by_supplier(2016, 2020)
    table_bytes = bytes(_native.table_to_ipc(ledger_2024.native.by_supplier(2016, 2020)))
    with pytest.raises(InvalidArgumentError, match="no powerbalance.ledger.state metadata"):
        _native.ledger_from_ipc(table_bytes)
    # a table's bytes read by pyarrow: it is a plain Arrow IPC stream
    assert pa.ipc.open_stream(table_bytes).read_all().equals(t.to_pyarrow())
