"""pb.script.sweep: many what-ifs, one core metric each, one table; on all cores, on a process
pool and on a Dask cluster (real scheduler and worker processes), always the loop's table."""

from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, List, Tuple

import powerbalance as pb
import pyarrow as pa
import pytest
from powerbalance.errors import CoverageError, InvalidArgumentError, UnknownActorError
from powerbalance.script import Metric, Scenario, sweep

P = (2016, 2020)


def whatifs(led: pb.Ledger, n: int) -> List[Scenario]:
    """``n`` distinct what-ifs: an embargo on each dyad of 2016-20 in turn (largest first), every
    third one with a supplier's exports scaled too."""
    dyads = led.by_dyad(*P)
    pairs = list(zip(dyads["supplier"], dyads["recipient"]))
    out = []
    for i in range(n):
        s, r = pairs[i % len(pairs)]
        w = Scenario(f"w{i}: {s} -/-> {r}").embargo(s, r, *P)
        if i % 3 == 0:
            w = w.scale_exports("France", 1.0 + (i % 7) / 10, *P)
        out.append(w)
    return out


#: (metric, the Ledger method call it stands for)
METRICS: List[Tuple[Metric, Callable[[pb.Ledger], pb.Table]]] = [
    (Metric("importers", 2016, 2020, top=10), lambda w: w.importers(2016, 2020, top=10)),
    (
        Metric("exporters", 2016, 2020, top=5, clients=1, compare=(2011, 2015)),
        lambda w: w.exporters(2016, 2020, top=5, clients=1, compare=(2011, 2015)),
    ),
    (Metric("dyad", "Russia", "India", 2010, 2020), lambda w: w.dyad("Russia", "India", 2010, 2020)),
    (Metric("suppliers", "India", 2016, 2020), lambda w: w.suppliers("India", 2016, 2020)),
    (Metric("clients", "France", 2016, 2020), lambda w: w.clients("France", 2016, 2020)),
    (Metric("by_supplier", 2016, 2020), lambda w: w.by_supplier(2016, 2020)),
    (Metric("by_recipient", 2016, 2020), lambda w: w.by_recipient(2016, 2020)),
    (Metric("by_dyad", 2016, 2020), lambda w: w.by_dyad(2016, 2020)),
    (Metric("series", "China", start=2000), lambda w: w.series("China", 2000)),
    (Metric("world", 2015, 2020), lambda w: w.world(2015, 2020)),
]


def by_loop(led: pb.Ledger, scenarios: List[Scenario], f: Callable[[pb.Ledger], pb.Table]) -> pa.Table:
    """The loop a sweep stands for: apply, the metric, a ``scenario`` column in front."""
    parts = []
    for i, s in enumerate(scenarios):
        t = f(s.apply(led)).to_pyarrow().replace_schema_metadata(None)
        parts.append(
            t.add_column(0, pa.field("scenario", pa.int64(), nullable=False), pa.array([i] * t.num_rows, pa.int64()))
        )
    return pa.concat_tables(parts)


def arrow(t: pb.Table) -> pa.Table:
    return t.to_pyarrow()


@pytest.mark.parametrize("metric,call", METRICS, ids=[m.name for m, _ in METRICS])
def test_sweep_equals_the_loop(ledger_2024: pb.Ledger, metric: Metric, call: Callable[[pb.Ledger], pb.Table]) -> None:
    ws = whatifs(ledger_2024, 60)
    want = by_loop(ledger_2024, ws, call)
    assert want.num_rows >= 60
    for threads in (1, 2, None):
        got = arrow(sweep(ledger_2024, ws, metric, threads=threads))
        assert got.equals(want), (metric, threads)
    # the dict form and the scenarios' JSON give the same
    got = arrow(sweep(ledger_2024, [w.to_json() for w in ws], metric.to_dict(), threads=2))
    assert got.equals(want)


# ---------------------------------------------------------------------------------------------
# a sweep copies only the metric's years of the ledger: the same tables as the full what-if, for
# every operation (periods inside, across and outside the metric's years) and metrics of one
# period, two (a comparison period), a narrow one, an open one and every year

#: one scenario per ledger operation (and a capability one), then all of them in one
OPERATIONS: List[Tuple[str, Callable[[Scenario], Scenario]]] = [
    ("embargo a dyad", lambda s: s.embargo("Russia", "China", 2016, 2020)),
    ("embargo a supplier, every year", lambda s: s.embargo("Russia")),
    ("embargo a recipient", lambda s: s.embargo(None, "India", 2019, 2023)),
    ("embargo a category", lambda s: s.embargo("Russia", None, category="Aircraft")),
    ("embargo a category to one recipient", lambda s: s.embargo(None, "Algeria", 2014, 2017, category="ships")),
    ("redirect to a named supplier", lambda s: s.redirect("India", "Russia", "France")),
    ("redirect pro rata, 2016-20", lambda s: s.redirect("India", "Russia", None, 2016, 2020)),
    ("redirect pro rata, 2012-20", lambda s: s.redirect("India", "Russia", None, 2012, 2020)),
    ("redirect pro rata, every year", lambda s: s.redirect("Algeria", "Russia")),
    ("scale exports", lambda s: s.scale_exports("United States", 1.5, 2015, 2020)),
    ("scale imports, every year", lambda s: s.scale_imports("Algeria", 0.5)),
    ("scale capabilities", lambda s: s.scale_capabilities("China", "milex", 2.0, 2000)),
]


def every_operation() -> List[Scenario]:
    alone = [f(Scenario(name)) for name, f in OPERATIONS]
    together = Scenario("all")
    for _, f in OPERATIONS:
        together = f(together)
    return alone + [together]


WINDOWED: List[Tuple[Metric, Callable[[pb.Ledger], pb.Table]]] = [
    (
        Metric("importers", 2016, 2020, top=10, compare=(2012, 2015)),
        lambda w: w.importers(2016, 2020, top=10, compare=(2012, 2015)),
    ),
    (Metric("exporters", 2016, 2020, clients=2), lambda w: w.exporters(2016, 2020, clients=2)),
    (Metric("by_dyad", 2016, 2020), lambda w: w.by_dyad(2016, 2020)),
    (Metric("suppliers", "India", 2019, 2020), lambda w: w.suppliers("India", 2019, 2020)),
    (Metric("total", 2020, 2020), lambda w: w.total(2020, 2020)),
    (Metric("dyad", "Russia", "India", 2014, 2018), lambda w: w.dyad("Russia", "India", 2014, 2018)),
    (Metric("series", "China", start=2018), lambda w: w.series("China", 2018)),
    (Metric("world"), lambda w: w.world()),
]


def check_every_operation(led: pb.Ledger, metric: Metric, call: Callable[[pb.Ledger], pb.Table]) -> None:
    ws = every_operation()
    if metric.name == "total":  # a float, not a table
        want = [call(w.apply(led)) for w in ws]
        assert arrow(sweep(led, ws, metric, threads=2))["tiv"].to_pylist() == want
        return
    want = by_loop(led, ws, call)
    assert want.num_rows > 0
    for threads in (1, 2):
        assert arrow(sweep(led, ws, metric, threads=threads)).equals(want), (metric, threads)


@pytest.mark.parametrize("metric,call", WINDOWED, ids=[m.name for m, _ in WINDOWED])
def test_every_operation_equals_the_full_apply_2024(
    ledger_2024: pb.Ledger, metric: Metric, call: Callable[[pb.Ledger], pb.Table]
) -> None:
    check_every_operation(ledger_2024, metric, call)


@pytest.mark.parametrize("metric,call", WINDOWED, ids=[m.name for m, _ in WINDOWED])
def test_every_operation_equals_the_full_apply_fixture(
    fixtures_home: Path, metric: Metric, call: Callable[[pb.Ledger], pb.Table]
) -> None:
    check_every_operation(pb.read_sipri(fixtures_home / "sipri" / "register_newformat_2024"), metric, call)


def test_total_and_the_numbers(ledger_2024: pb.Ledger) -> None:
    s = Scenario("China stops buying Russian arms").embargo("Russia", "China", *P)
    t = sweep(ledger_2024, [Scenario("baseline"), s], {"metric": "total", "start": 2016, "end": 2020})
    assert t.column_names == ["scenario", "tiv"]
    base, what_if = t["tiv"]
    assert base == ledger_2024.total(*P)
    assert base - what_if == pytest.approx(sum(ledger_2024.dyad("Russia", "China", *P)["tiv"]))
    assert base - what_if > 1000


def test_no_scenario_gives_the_columns(ledger_2024: pb.Ledger) -> None:
    t = sweep(ledger_2024, [], Metric("importers", 2016, 2020))
    assert len(t) == 0
    assert t.column_names[:3] == ["scenario", "rank", "recipient"]


def test_errors_name_the_scenario(ledger_2024: pb.Ledger) -> None:
    ws = whatifs(ledger_2024, 5)
    with pytest.raises(CoverageError, match=r'scenario 0 \("w0: .*"\): total\(2016-2024\)'):
        sweep(ledger_2024, ws, Metric("total", 2016, 2024))
    bad = ws[:3] + [Scenario("typo").embargo("Rusia", "China")] + ws[3:]
    with pytest.raises(UnknownActorError, match="Rusia"):
        sweep(ledger_2024, bad, Metric("total", 2016, 2020), threads=2)
    with pytest.raises(InvalidArgumentError, match="unknown metric 'importer'; the metrics are importers"):
        Metric("importer", 2016, 2020)
    with pytest.raises(InvalidArgumentError, match="unknown field `tpo`"):
        Metric("importers", 2016, 2020, tpo=3)
    with pytest.raises(InvalidArgumentError, match="missing field `end`"):
        sweep(ledger_2024, ws, {"metric": "total", "start": 2016})
    with pytest.raises(InvalidArgumentError, match="empty"):
        Metric("total", 2020, 2016)
    with pytest.raises(TypeError, match="at most 2 positional"):
        Metric("total", 2016, 2020, 3)
    with pytest.raises(TypeError, match="not a Scenario"):
        sweep(ledger_2024, [42], Metric("total", 2016, 2020))  # type: ignore[list-item]
    with pytest.raises(InvalidArgumentError, match="threads must be 1 or more"):
        sweep(ledger_2024, ws, Metric("total", 2016, 2020), threads=0)


def test_metric_forms() -> None:
    m = Metric("importers", 2016, 2020, top=10)
    assert m.to_dict() == {"metric": "importers", "start": 2016, "end": 2020, "top": 10, "suppliers": 3}
    assert Metric.from_dict(m.to_dict()) == m
    assert Metric.from_json(m.to_json()) == m
    assert Metric("exporters", 2016, 2020, compare=(2011, 2015)).to_dict()["compare"] == (2011, 2015)
    assert m.name == "importers"
    assert repr(m) == "Metric('importers', start=2016, end=2020, top=10, suppliers=3)"


# ---------------------------------------------------------------------------------------------
# across processes: a ProcessPoolExecutor and a Dask LocalCluster


def test_process_pool_gives_the_local_table(ledger_2024: pb.Ledger) -> None:
    ws = whatifs(ledger_2024, 500)
    m = Metric("exporters", 2016, 2020, top=5, clients=1)
    local = arrow(sweep(ledger_2024, ws, m))
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        remote = arrow(sweep(ledger_2024, ws, m, executor=ex, chunk_size=70))
    assert remote.equals(local)
    assert remote.num_rows == 2500
    assert remote["scenario"].to_pylist()[-1] == 499


def test_dask_local_cluster_10000_whatifs(ledger_2024: pb.Ledger) -> None:
    distributed = pytest.importorskip("distributed", reason="dask[distributed] is in requirements-dev.txt")
    ws = whatifs(ledger_2024, 10_000)
    m = Metric("exporters", 2016, 2020, top=5, clients=1)
    local = arrow(sweep(ledger_2024, ws, m))
    with (
        # the dashboard on a free port: 8787, the default, may be another cluster's on this machine
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        remote = arrow(sweep(ledger_2024, ws, m, executor=client.get_executor()))
        # the chunks ran in the worker processes
        ran = client.run(lambda: __import__("powerbalance._sweep", fromlist=["_"])._LEDGER_CACHE.__len__())
    assert remote.equals(local)
    assert remote.num_rows == 50_000
    assert sorted(ran.values()) == [1, 1], ran


# ---------------------------------------------------------------------------------------------
# Rhai: the same sweep with the same arguments

RHAI = """
let d = led.by_dyad(2016, 2020);
let sup = d["supplier"];
let rec = d["recipient"];
let ss = [];
for i in 0..N {
    let k = i % sup.len();
    let w = scenario(`w${i}: ${sup[k]} -/-> ${rec[k]}`).embargo(sup[k], rec[k], 2016, 2020);
    if i % 3 == 0 { w = w.scale_exports("France", 1.0 + (i % 7) / 10.0, 2016, 2020); }
    ss.push(w);
}
sweep(led, ss, #{metric: "exporters", start: 2016, end: 2020, top: 5, clients: 1, compare: [2011, 2015]}, #{threads: 2})
"""


def test_rhai_sweep_equals_python(ledger_2024: pb.Ledger) -> None:
    from powerbalance.script import Engine

    e = Engine(limits={"max_wall_time": 600, "max_operations": 0})
    e.set("led", ledger_2024)
    e.set("N", 1100)  # more than one piece of 512 between the script's stop checks
    got = e.eval(RHAI)
    m = Metric("exporters", 2016, 2020, top=5, clients=1, compare=(2011, 2015))
    want = arrow(sweep(ledger_2024, whatifs(ledger_2024, 1100), m))
    assert arrow(got).equals(want)
    assert arrow(got)["scenario"].to_pylist()[-1] == 1099


def test_rhai_sweep_errors(ledger_2024: pb.Ledger) -> None:
    from powerbalance.errors import ScriptError
    from powerbalance.script import Engine

    e = Engine()
    e.set("led", ledger_2024)
    for code, says in [
        ('sweep(led, [1], #{metric: "total", start: 2016, end: 2020})', "item 0 of the scenarios is i64"),
        ('sweep(led, [], #{metric: "totl", start: 2016, end: 2020})', "the metrics are importers"),
        ('sweep(led, [], #{metric: "total", start: 2016, end: 2020}, #{threads: 0})', "threads must be 1 or more"),
        ('sweep(led, [], #{metric: "total", start: 2016, end: 2020}, #{thread: 2})', "thread"),
        (
            'sweep(led, [scenario("x").embargo("Russia", "China")], #{metric: "total", start: 2016, end: 2024})',
            'scenario 0 ("x"): total(2016-2024)',
        ),
    ]:
        with pytest.raises(ScriptError, match=re.escape(says)):
            e.eval(code)
