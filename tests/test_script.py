"""The Rhai engine from Python: scope, values in and out, errors with positions, every sandbox
limit, data access, scenarios (JSON, conservation of world totals), Ctrl-C and the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import powerbalance as pb
import pytest
from powerbalance.errors import ScriptError
from powerbalance.script import Engine, Scenario, compare, compare_tables

TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"
ROOT = Path(__file__).resolve().parents[1]


def test_scope_persists_and_values_pass_both_ways() -> None:
    e = Engine(data=None, echo=False)
    assert e.eval("let x = 40; x + 2") == 42
    assert e.eval("x * 2") == 80
    e.set("v", [1, 2.5, "a", None, True, {"k": [1]}])
    assert e.get("v") == [1, 2.5, "a", None, True, {"k": [1]}]
    assert e.eval("v[5].k[0] + v.len()") == 7
    e["n"] = 3
    assert "n" in e and e["n"] == 3
    t = pb.Table({"name": ["a", "b"], "tiv": [1.0, 2.0]})
    e.set("t", t)
    assert e.eval("t.sum(`tiv`)") == 3.0
    back = e.get("t")
    assert isinstance(back, pb.Table) and back == t
    assert e.eval("t[1].name") == "b"
    with pytest.raises(KeyError):
        e.get("nope")
    e.eval('print("hello"); 1')
    assert e.output == ["hello"]
    e.reset()
    assert e.names == []


def test_errors_carry_line_and_column() -> None:
    e = Engine(echo=False)
    with pytest.raises(ScriptError) as ei:
        e.eval("let a = 1;\nlet b = ;")
    assert (ei.value.line, ei.value.limit) == (2, None) and ei.value.column > 0
    with pytest.raises(ScriptError) as ei:
        e.eval('print("before");\n\nscenario("x").scale_exports("Russia", -1.0, 2016, 2020)')
    assert ei.value.line == 3 and "scale factor" in ei.value.message
    assert ei.value.output == ["before"]
    assert isinstance(ei.value, pb.errors.PowerbalanceError)


@pytest.mark.parametrize(
    "code, limits, limit",
    [
        ("let x = 0;\nloop { x += 1; }", {"max_operations": 100_000}, "max_operations"),
        ("fn f(n) { f(n + 1) }\nf(0)", {}, "max_call_levels"),
        ('let s = "x"; loop { s += s; }', {"max_string_size": 10_000}, "max_string_size"),
        ("let a = []; loop { a.push(1); }", {"max_array_size": 10_000}, "max_array_size"),
        (
            "let m = #{}; let i = 0; loop { let o = #{}; o[`k${i}`] = i; m += o; i += 1; }",
            {"max_map_size": 1000},
            "max_map_size",
        ),
        ("let x = " + "(" * 200 + "1" + ")" * 200 + ";", {}, "max_expr_depth"),
        ("loop { }", {"max_operations": 0, "max_wall_time": 0.3}, "max_wall_time"),
    ],
)
def test_each_limit_stops_a_hostile_script(code: str, limits: dict, limit: str) -> None:
    e = Engine(limits=limits, echo=False)
    t = time.monotonic()
    with pytest.raises(ScriptError) as ei:
        e.eval(code)
    assert ei.value.limit == limit, ei.value
    assert limit in str(ei.value)
    assert time.monotonic() - t < 30


def test_default_limits_stop_a_runaway_script() -> None:
    with pytest.raises(ScriptError) as ei:
        Engine(echo=False).eval("let i = 0; loop { i += 1; }")
    assert ei.value.limit in ("max_operations", "max_wall_time")


def test_unknown_limit_is_refused() -> None:
    with pytest.raises(pb.errors.InvalidArgumentError):
        Engine(limits={"max_fun": 1})


def test_files_outside_the_data_folder_are_refused(data_dir: Path, tmp_path: Path) -> None:
    e = Engine(data=data_dir / "sipri", echo=False)
    assert e.eval('read_sipri("tiv_tables_2022/lajh87_export_tiv_1950-2021.csv").len()') > 0
    for path in ["/etc/passwd", "../cow_nmc/NMC-60-abridged.csv", str(data_dir / "cow_nmc" / "NMC-60-abridged.csv")]:
        with pytest.raises(ScriptError, match="outside the data folders"):
            e.eval(f'read_sipri("{path}")')
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(ScriptError, match="outside the data folders"):
        e.eval(f'read_sipri("{tmp_path / "x.csv"}")')
    with pytest.raises(ScriptError):
        e.eval('import "os" as os;')


def test_ctrl_c_stops_a_script_within_a_fraction_of_a_second(default_sigint: None) -> None:
    e = Engine(limits={"max_operations": 0, "max_wall_time": 60}, echo=False)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    t = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        e.eval("let i = 0; loop { i += 1; }")
    assert time.monotonic() - t < 1.5
    assert e.eval("1 + 1") == 2  # the engine is usable afterwards


def test_scenario_json_round_trip_between_python_and_rhai() -> None:
    s = (
        Scenario("t", baseline=TABLES)
        .embargo("Russia", "China", 2016, 2020)
        .redirect("India", "Russia", 2016, 2020)
        .redirect("India", "Russia", "France")
        .scale_exports("China", 2.0, 2000, 2005)
        .embargo("France")
    )
    assert Scenario.from_json(s.to_json()) == s
    e = Engine(echo=False)
    e.set("s", s)
    assert e.eval("s.len()") == 5
    back = e.eval("scenario_from_json(s.to_json()).embargo_supplier(`Israel`)")
    assert isinstance(back, Scenario) and len(back) == 6 and back.operations[:5] == s.operations
    with pytest.raises(pb.errors.InvalidArgumentError):
        Scenario.from_json('{"operations": [{"op": "invade"}]}')
    with pytest.raises(pb.errors.InvalidArgumentError):
        Scenario().embargo()


def test_world_totals_move_only_by_what_operations_say(data_dir: Path) -> None:
    led = pb.read_sipri(data_dir / TABLES)
    p = (2016, 2020)
    ru_cn = sum(led.dyad("Russia", "China", start=2016, end=2020)["tiv"])
    w = Scenario().embargo("Russia", "China", *p).apply(led)
    assert led.total(*p) - w.total(*p) == pytest.approx(ru_cn, abs=1e-6)
    assert led.total(1950, 2021) - w.total(1950, 2021) == pytest.approx(ru_cn, abs=1e-6)
    ru = led.series("Russia", start=2016, end=2020)
    ru_all = sum(ru["exports"])
    w = Scenario().embargo_supplier("Russia", *p).apply(led)
    assert led.total(*p) - w.total(*p) == pytest.approx(ru_all, abs=1e-6)
    for s in [
        Scenario().redirect("India", "Russia", *p),
        Scenario().redirect("India", "Russia", "France", *p),
        Scenario().redirect("China", "Russia"),
    ]:
        w = s.apply(led)
        for y in range(2010, 2022):
            assert w.total(y, y) == pytest.approx(led.total(y, y), abs=1e-6)
        assert sum(w.series("India")["imports"]) == pytest.approx(sum(led.series("India")["imports"]))
    w = Scenario().scale_exports("China", 1.5, *p).apply(led)
    cn = sum(led.series("China", start=2016, end=2020)["exports"])
    assert w.total(*p) - led.total(*p) == pytest.approx(0.5 * cn)
    eff = Scenario().embargo("Russia", "China", *p).effects(led)
    assert eff["removed"][0] == pytest.approx(ru_cn)


def test_compare_in_python_and_rhai_agree(data_dir: Path) -> None:
    led = pb.read_sipri(data_dir / TABLES)
    s = Scenario("x").embargo("Russia", "China", 2016, 2020)
    c = compare(led, s, lambda x: x.clients("Russia", 2016, 2020))
    row = c.filter(recipient="China").row(0)
    assert row["tiv_scenario"] is None and row["tiv_diff"] == pytest.approx(-row["tiv_baseline"])
    e = Engine(data=data_dir, echo=False)
    e.set("led", led)
    e.set("s", s)
    r = e.eval('compare(led, s, |l| l.clients("Russia", 2016, 2020))')
    assert r == c
    assert compare_tables(led.clients("Russia", 2016, 2020), s.apply(led).clients("Russia", 2016, 2020)) == c


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "powerbalance", "run", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_cli_runs_a_script_and_reports_errors_as_file_line_col(tmp_path: Path, data_dir: Path) -> None:
    good = tmp_path / "good.rhai"
    good.write_text(f'let led = read_sipri("{TABLES}");\nprint(led.total(2016, 2020).round());\n')
    r = _cli(str(good), "--data", str(data_dir))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{round(pb.read_sipri(data_dir / TABLES).total(2016, 2020))}.0"
    bad = tmp_path / "bad.rhai"
    bad.write_text('print("ok");\nlet x = 1;\n  no_such_function(x);\n')
    r = _cli(str(bad), "--data", str(data_dir))
    assert r.returncode == 1
    assert r.stdout.strip() == "ok"
    assert r.stderr.startswith(f"{bad}:3:3: Function not found: no_such_function"), r.stderr
    loop = tmp_path / "loop.rhai"
    loop.write_text("loop {}\n")
    r = _cli(str(loop), "--max-wall-time", "0.2")
    assert r.returncode == 1 and "limit" in r.stderr
    saved = tmp_path / "s.json"
    saved.write_text(Scenario("saved").embargo("Russia", "China", 2016, 2020).to_json())
    use = tmp_path / "use.rhai"
    use.write_text(f'let led = read_sipri("{TABLES}");\nprint(scenario_in.effects(led)[0].removed);\n')
    r = _cli(str(use), "--data", str(data_dir), "--scenario", str(saved))
    assert r.returncode == 0, r.stderr
    ru_cn = pb.read_sipri(data_dir / TABLES).dyad("Russia", "China", start=2016, end=2020)
    assert float(r.stdout) == pytest.approx(sum(ru_cn["tiv"]))


def test_capability_functions_and_scenarios_from_python(data_dir: Path) -> None:
    """The capability package: readers under the data root, metrics over maps, scenarios on NMC."""
    e = Engine(data=data_dir, echo=False)
    e.eval(
        """
        let caps = read_nmc("cow_nmc/NMC-60-abridged.csv");
        let us = caps.cinc(2016).lookup("stateabb", "USA", "cinc_recomputed");
        let three = caps.shares(2016, ["USA", "CHN", "RUS"]).sum("share_of_group");
        let h = hhi(#{a: 1.0, b: 1.0, c: 2.0});
        let s = scenario("double").scale_capabilities("China", "milex", 2.0, 2016);
        let w = s.apply(caps);
        let ratio = w.value("China", 2016, "milex") / caps.value("China", 2016, "milex");
        let json = s.to_json();
        let tri = classify_triangle(["A", "B", "C"], [0.5, 0.5, -0.5]);
        """
    )
    assert e["us"] == pytest.approx(0.1331, abs=5e-5)
    assert e["three"] == pytest.approx(1.0)
    assert e["h"] == pytest.approx(0.375)
    assert e["ratio"] == pytest.approx(2.0)
    assert Scenario.from_json(e["json"]).to_json() == e["json"]
    assert e["tri"]["type"] == "romantic triangle" and e["tri"]["actor"] == "B"
    with pytest.raises(ScriptError, match="outside the data folders"):
        e.eval('read_alliances("/etc/passwd")')


def test_capability_and_alliance_scenarios_built_in_python(data_dir: Path) -> None:
    """The Python builder has every operation Rhai has, and applies to NMC, milex and alliances."""
    s = Scenario("double China's milex").scale_capabilities("China", "milex", 2.0, 2010, 2016)
    e = Engine(data=data_dir, echo=False)
    e.set("s", s)
    # the same operation built in Rhai is the same scenario
    rhai = e.eval('scenario("d").scale_capabilities("China", "milex", 2.0, 2010).to_json()')
    assert Scenario.from_json(rhai) == Scenario("d").scale_capabilities("China", "milex", 2.0, 2010)
    assert s.operations == ["scale China's milex by 2, 2010-2016"]
    caps = pb.read_nmc(data_dir / "cow_nmc" / "NMC-60-abridged.csv")
    w = s.apply(caps)
    assert isinstance(w, type(caps))
    mb, ma = caps.series("CHN", "milex", 2009, 2016), w.series("CHN", "milex", 2009, 2016)
    cb, ca = caps.series("CHN", "cinc", 2009, 2016), w.series("CHN", "cinc", 2009, 2016)
    col = lambda t: t.to_pyarrow().column(t.column_names[-1]).to_pylist()  # noqa: E731
    # 2009 is outside the years given: nothing moves; 2010-2016: milex doubles, CINC grows
    assert col(ma)[0] == col(mb)[0] and col(ca)[0] == col(cb)[0]
    assert col(ma)[1:] == pytest.approx([2 * x for x in col(mb)[1:]])
    assert all(a > b for a, b in zip(col(ca)[1:], col(cb)[1:]))
    # CINC is recomputed for every state: China's gain is the others' loss, so the sum over
    # states stays what it was (1.0068 in 2016, not 1: some states lack components)
    total = lambda c: sum(v for v in c.cinc(2016)["cinc_recomputed"] if v is not None)  # noqa: E731
    assert total(w) == pytest.approx(total(caps), abs=1e-9)
    assert total(caps) == pytest.approx(1.0068, abs=1e-4)

    g = Scenario("faster").scale_growth("China", "constant", 1.5, 2000)
    milex = pb.read_milex(data_dir / "sipri_milex" / "sipri_milex_1949_2024_long.csv")
    assert isinstance(g.apply(milex), type(milex))

    al = pb.read_alliances(data_dir / "alliances" / "cow_alliance_v4.1_dyad_year.csv")
    pact = Scenario("pact").form_alliance("China", "Russia", "defense", 2005, 2010)
    a2 = pact.apply(al)

    def china_russia(x: object) -> list:
        rows = x.table(2005, 2010).to_pyarrow().to_pylist()  # type: ignore[attr-defined]
        return [r for r in rows if {r["ccode1"], r["ccode2"]} == {710, 365}]

    before = china_russia(al)
    assert before and all(str(r["defense"]) in ("no", "False") for r in before)  # COW: no defense pact
    after = china_russia(a2)
    assert len(after) == len(before) == 6 and all(str(r["defense"]) in ("yes", "True") for r in after)
    assert a2.table(2005, 2010).num_rows == al.table(2005, 2010).num_rows
    undone = Scenario("undo").dissolve_alliance("China", "Russia", 2005, 2010).apply(a2)
    # the dyad-years stay, with no obligation left (the source has such rows too)
    gone = china_russia(undone)
    assert len(gone) == 6 and all(r["level"] == 0 for r in gone)
    assert all(not v for r in gone for k, v in r.items() if k not in ("ccode1", "ccode2", "year", "level"))
    assert Scenario.from_json(pact.to_json()) == pact
    with pytest.raises(pb.errors.InvalidArgumentError):
        Scenario().form_alliance("China", "Russia", "friendship")
    with pytest.raises(TypeError, match="applies to a Ledger"):
        s.apply("not data")


def test_ideal_point_scenario_in_python_and_rhai(data_dir: Path) -> None:
    """Moving Russia's UN ideal point halfway to China's halves their distance, in the years
    asked only; Rhai builds the same scenario."""
    ip = pb.read_ideal_points(data_dir / "un_ideal_points" / "IdealpointsJuly2025.csv")
    s = Scenario("closer").shift_ideal_point("Russia", "China", 0.5, 2010, 2016)
    assert s.operations == ["move Russia's UN ideal point 50% of the way to China's, 2010-2016"]
    w = s.apply(ip)
    assert isinstance(w, type(ip))
    dist = lambda x: x.distance("Russia", "China", start=2009, end=2016)["distance"]  # noqa: E731
    before, after = dist(ip), dist(w)
    assert after[0] == pytest.approx(before[0])  # 2009 is outside the period
    assert after[1:] == pytest.approx([d / 2 for d in before[1:]])
    # China does not move; the US-Russia distance changes
    for a, same in (("China", True), ("Russia", False)):
        d = [x.distance(a, "USA", start=2016, end=2016)["distance"] for x in (w, ip)]
        assert (d[0] == d[1]) is same, (a, d)
    e = Engine(echo=False)
    rhai = e.eval('scenario("closer").shift_ideal_point("Russia", "China", 0.5, 2010, 2016).to_json()')
    assert Scenario.from_json(rhai) == s
    with pytest.raises(pb.errors.InvalidArgumentError, match="fraction"):
        Scenario().shift_ideal_point("Russia", "China", 2.0)


def test_scale_imports_moves_the_world_total_by_the_recipients_imports(data_dir: Path) -> None:
    """The operation added through every door (core, glue, Rhai, Python): the same scenario in
    both languages, and the world total falls by half of India's imports."""
    led = pb.read_sipri(data_dir / TABLES)
    s = Scenario("India buys half").scale_imports("India", 0.5, 2016, 2020)
    india = sum(led.suppliers("India", 2016, 2020).column("tiv"))
    assert india > 1000
    w = s.apply(led)
    assert led.total(2016, 2020) - w.total(2016, 2020) == pytest.approx(0.5 * india)
    assert led.total(2011, 2015) == w.total(2011, 2015)
    e = Engine(echo=False)
    assert e.eval('scenario("India buys half").scale_imports("India", 0.5, 2016, 2020)') == s
    with pytest.raises(pb.errors.InvalidArgumentError, match="factor"):
        s.scale_imports("India", -1.0)
