"""Hostile scripts and hostile values against the Rhai engine (issue 11, "crashes and
exhaustion"): every class ends in a typed error within the engine's wall-time limit, with the
process alive.

The memory-hungry classes run in a child process under an address-space limit of the child's
baseline plus 1 GiB (``RLIMIT_AS``) and a timeout, so that a regression kills the child (a
failed test), never the test run. The big hostile inputs are generated here, never committed.
Also ``dataset(name)``: the registered datasets resolved in the data home.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any, Dict, List

import powerbalance as pb
import pytest
from powerbalance import errors
from powerbalance.script import MAX_LIMITS, Engine, script_datasets

# A child: limit its address space to baseline + 1 GiB, run each case (a script with limits,
# or a Python statement), report per case the error type, limit and seconds as JSON lines.
CHILD = textwrap.dedent(
    r'''
    import json, resource, sys, time
    import powerbalance.script as ps
    from powerbalance import errors

    def vm_size():
        for line in open("/proc/self/status"):
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmSize")

    e0 = ps.Engine(echo=False)
    e0.eval("1")  # the script thread and its stack exist once before the baseline
    base = vm_size()
    resource.setrlimit(resource.RLIMIT_AS, (base + (1 << 30), resource.RLIM_INFINITY))
    cases = json.loads(sys.stdin.read())
    for case in cases:
        t = time.monotonic()
        out = {"name": case["name"]}
        try:
            e = ps.Engine(limits=case.get("limits"), echo=False)
            for name, value in case.get("set", {}).items():
                e.set(name, eval(value))
            v = e.eval(case["script"])
            out["value"] = repr(v)[:200]
        except errors.ScriptError as err:
            out["error"] = "ScriptError"
            out["limit"] = err.limit
            out["message"] = err.message[:300]
        except Exception as err:
            out["error"] = type(err).__name__
            out["message"] = str(err)[:300]
        out["seconds"] = time.monotonic() - t
        print(json.dumps(out), flush=True)
    print("alive", flush=True)
    '''
)


# The child imports the powerbalance this process imported (the installed wheel in the test
# command; a source tree with a built extension in development), never the bare source tree.
_PACKAGE_PARENT = str(Path(pb.__file__).resolve().parent.parent)


def run_child(cases: List[Dict[str, Any]], timeout: float = 240) -> Dict[str, Dict[str, Any]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = _PACKAGE_PARENT + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run(
        [sys.executable, "-c", CHILD], input=json.dumps(cases), capture_output=True, text=True, timeout=timeout, env=env
    )
    assert r.returncode == 0, f"child died ({r.returncode}): {r.stdout[-2000:]} {r.stderr[-3000:]}"
    lines = r.stdout.strip().splitlines()
    assert lines and lines[-1] == "alive", r.stdout[-2000:]
    return {d["name"]: d for d in map(json.loads, lines[:-1])}


REGISTER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,"
    "Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,"
    "Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production\n"
    + "".join(
        f"{1000 + i},{s},{r},X-{i},aircraft,Aircraft,2015,No,2,No,{2016 + i % 5},No,New,1.5,1.5,3.0,No\n"
        for i, (s, r) in enumerate(
            [("Russia", "India"), ("France", "India"), ("United States", "Saudi Arabia"), ("China", "Pakistan")] * 5
        )
    )
)


def test_exhaustion_classes_end_in_typed_errors_under_an_address_space_limit() -> None:
    slow = {"max_operations": 0, "max_wall_time": 10}
    cases = [
        # Rhai does not count map keys: 512 KiB keys until the memory limit
        {
            "name": "map_keys",
            "limits": slow,
            "script": 'let k = ""; k.pad(524288, "k"); let m = #{}; let i = 0; loop { m[k + i] = 0; i += 1; }',
        },
        # nor curried function-pointer arguments
        {
            "name": "curry",
            "limits": slow,
            "script": 'fn g(x) { x } let a = []; a.pad(900000, 1); let l = []; loop { l.push(Fn("g").curry(a)); }',
        },
        # the print buffer
        {"name": "print", "limits": slow, "script": 'let s = ""; s.pad(100000, "p"); loop { print(s); }'},
        # a 4 MB script is refused before it is parsed
        {"name": "source", "script": "let x = 1;\n" * 400_000},
        # deep nesting built and returned
        {"name": "deep_result", "script": "let a = []; for i in 0..1000 { a = [a]; } a"},
        # deep nesting passed in
        {
            "name": "deep_in",
            "set": {"x": "__import__('functools').reduce(lambda a, _: [a], range(50000), [])"},
            "script": "x",
        },
        # a huge expression depth is refused at construction; the cap parses deep input safely
        {"name": "depth_limit", "limits": {"max_expr_depth": 2**70}, "script": "1"},
        {
            "name": "deep_parse",
            "limits": {"max_expr_depth": MAX_LIMITS["max_expr_depth"]},
            "script": "(" * 200_000 + "1" + ")" * 200_000,
        },
    ]
    got = run_child(cases)
    for name in ("map_keys", "curry"):
        assert got[name]["limit"] == "max_memory", got[name]
        assert got[name]["seconds"] < 10, got[name]
    assert got["print"]["limit"] == "max_output_size", got["print"]
    assert got["source"]["limit"] == "max_source_size", got["source"]
    assert got["deep_result"]["limit"] == "max_nesting", got["deep_result"]
    assert got["deep_in"]["error"] == "InvalidArgumentError" and "nested deeper" in got["deep_in"]["message"]
    assert got["depth_limit"]["error"] == "InvalidArgumentError" and "max_expr_depth" in got["depth_limit"]["message"]
    assert got["deep_parse"]["limit"] == "max_expr_depth", got["deep_parse"]
    for g in got.values():
        assert g["seconds"] < 12, g


def test_host_calls_with_huge_arguments_return_quickly(tmp_path: Path) -> None:
    reg = tmp_path / "register.csv"
    reg.write_text(REGISTER, encoding="utf-8")
    e = Engine(data=tmp_path, limits={"max_wall_time": 5}, echo=False)
    e.eval('let l = read_sipri("register.csv");')
    t = time.monotonic()
    n = e.eval("l.importers(2016, 2020, #{top: 9223372036854775807, suppliers: 9223372036854775807}).len()")
    assert n == 3
    cols = e.eval("l.exporters(2016, 2020, #{top: 1000000000, clients: 1000000000}).columns.len()")
    # no more client columns than there are actors (a few hundred), not a billion
    assert cols < 1200
    with pytest.raises(errors.ScriptError, match="(?i)unknown"):
        e.eval('let n = ""; n.pad(1000000, "q"); l.suppliers(n, 2016, 2020)')
    assert time.monotonic() - t < 5


def test_a_sweep_of_host_calls_stops_at_the_wall_time(tmp_path: Path) -> None:
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    e = Engine(data=tmp_path, limits={"max_wall_time": 0.5, "max_operations": 0}, echo=False)
    t = time.monotonic()
    with pytest.raises(errors.ScriptError) as info:
        e.eval('let l = read_sipri("register.csv"); loop { l.exporters(2016, 2020); l.by_dyad(2016, 2020); }')
    assert info.value.limit == "max_wall_time"
    assert time.monotonic() - t < 2


@pytest.mark.parametrize(
    "name, value",
    [
        ("max_operations", -1),
        ("max_operations", 2**70),
        ("max_call_levels", 10**9),
        ("max_expr_depth", 0),
        ("max_function_expr_depth", 2**70),
        ("max_string_size", float("nan")),
        ("max_array_size", 1.5),
        ("max_map_size", -(2**70)),
        ("max_wall_time", 1e300),
        ("max_wall_time", 0),
        ("max_memory", float("inf")),
        ("max_source_size", 0),
        ("max_output_size", "big"),
        ("max_call_levels", 10**400),
    ],
)
def test_absurd_limits_are_value_errors_naming_the_limit(name: str, value: Any) -> None:
    with pytest.raises(ValueError, match=name) as info:
        Engine(limits={name: value}, echo=False)
    assert isinstance(info.value, errors.InvalidArgumentError)


def test_limits_at_their_maxima_are_accepted() -> None:
    e = Engine(limits=dict(MAX_LIMITS), echo=False)
    assert e.limits["max_expr_depth"] == MAX_LIMITS["max_expr_depth"]
    src = "let x = " + "(" * 400 + "1" + ")" * 400 + "; x"
    assert e.eval(src) == 1


def test_nesting_in_and_out_has_a_typed_error() -> None:
    e = Engine(echo=False)
    deep: Any = []
    for _ in range(300):
        deep = [deep]
    with pytest.raises(errors.InvalidArgumentError, match="nested deeper than 256"):
        e.set("x", deep)
    ok: Any = {}
    for _ in range(200):
        ok = {"k": ok}
    e.set("y", ok)
    assert e.eval("y.k.k.k.len()") == 1
    with pytest.raises(errors.ScriptError) as info:
        e.eval("let z = []; for i in 0..400 { z = [z]; } 0")
    assert info.value.limit == "max_nesting"
    assert e.get("z") is None  # dropped on the script thread
    assert e.eval("1 + 1") == 2


# The deadlock: a script runs (GIL released, engine locked) while another thread asks the
# engine for a variable. Run in a child with a timeout: a deadlock would hang, not fail.
BUSY = textwrap.dedent(
    r'''
    import sys, threading, time
    from powerbalance.script import Engine
    from powerbalance import errors
    e = Engine(limits={"max_operations": 0, "max_wall_time": 3}, echo=False)
    e.eval("let v = 42;")
    results = []

    def other():
        time.sleep(0.3)
        calls = (lambda: e.get("v"), lambda: e.names, lambda: e.set("w", 1), lambda: e.eval("1"), lambda: e.reset())
        for call in calls:
            t = time.monotonic()
            try:
                call()
                results.append("no error")
            except errors.ScriptError as err:
                results.append(("busy" if "running a script" in str(err) else str(err), time.monotonic() - t))

    th = threading.Thread(target=other)
    th.start()
    try:
        e.eval("let i = 0; loop { i += 1; }")
    except errors.ScriptError as err:
        assert err.limit == "max_wall_time", err
    th.join(10)
    assert not th.is_alive()
    print(results)
    assert [r[0] for r in results] == ["busy"] * 5, results
    assert all(r[1] < 0.5 for r in results), results
    assert e.get("v") == 42
    print("ok")
    '''
)


def test_another_thread_gets_an_error_not_a_deadlock_while_a_script_runs() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = _PACKAGE_PARENT + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-c", BUSY], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stdout + r.stderr


def test_a_script_on_a_second_thread_and_get_from_the_main_thread() -> None:
    e = Engine(limits={"max_operations": 0, "max_wall_time": 1.5}, echo=False)
    e.eval("let v = 7;")
    errs: List[BaseException] = []

    def run() -> None:
        try:
            e.eval("loop { }")
        except BaseException as err:  # noqa: BLE001 - reported below
            errs.append(err)

    th = threading.Thread(target=run)
    th.start()
    time.sleep(0.3)
    t = time.monotonic()
    with pytest.raises(errors.ScriptError, match="running a script"):
        e.get("v")
    assert time.monotonic() - t < 0.5
    th.join(10)
    assert not th.is_alive()
    assert len(errs) == 1 and isinstance(errs[0], errors.ScriptError) and errs[0].limit == "max_wall_time"
    assert e.get("v") == 7


# dataset(name)


def test_dataset_reads_a_registered_dataset_from_the_data_home(data_dir: Path) -> None:
    home = str(data_dir)  # the data home of the test run (a `data` test: needs the real data)
    e = Engine(data_home=home, limits={"max_wall_time": 60}, echo=False)
    assert e.eval('dataset("sipri-register-2024").len()') == 59_157
    assert e.eval('dataset("cow-nmc-v7").cinc(2016).len()') > 150
    assert e.eval('dataset("cow-states").len()') > 200
    assert e.datasets["cow-nmc-v7"] == ("nmc", os.path.abspath(Path(home) / "cow_nmc" / "NMC-v7.0-abridged.csv"))
    assert "country-codes" not in e.datasets


def test_dataset_follows_the_data_home_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERBALANCE_DATA", str(tmp_path / "env"))
    assert script_datasets()["cow-nmc-v7"][1] == str(tmp_path / "env" / "cow_nmc" / "NMC-v7.0-abridged.csv")
    assert script_datasets(tmp_path / "arg")["sipri-milex"] == (
        "milex",
        str(tmp_path / "arg" / "sipri_milex" / "sipri_milex_1949_2024_long.csv"),
    )
    assert script_datasets(tmp_path)["sipri-register-2024"][0] == "sipri"
    assert script_datasets(tmp_path)["un-ideal-points"][0] == "ideal-points"


def dataset_error(home: Path, code: str) -> errors.ScriptError:
    """The error a script reading datasets from an empty data home raises."""
    with pytest.raises(errors.ScriptError) as info:
        Engine(data_home=home, echo=False).eval(code)
    return info.value


def test_dataset_unknown_name_lists_the_known_names_nearest_first(tmp_path: Path) -> None:
    msg = dataset_error(tmp_path, 'dataset("cow-nmc-v8")').message
    assert 'unknown dataset "cow-nmc-v8"' in msg
    listed = msg.split("nearest first): ")[1].split(", ")
    assert listed[0].startswith("cow-nmc-v"), listed
    assert set(listed) == set(script_datasets(tmp_path))


def test_dataset_missing_from_an_empty_data_home_names_the_fetch_command(tmp_path: Path) -> None:
    err = dataset_error(tmp_path, 'let c = dataset("cow-nmc-v7");')
    msg = err.message
    assert "dataset 'cow-nmc-v7' is not in the data home" in msg
    assert str(tmp_path) in msg
    assert "run `powerbalance data fetch cow-nmc-v7`" in msg
    assert err.line == 1
    assert not any(tmp_path.iterdir()), "dataset() writes nothing"


def test_python_door_huge_partners_and_a_megabyte_actor_name(tmp_path: Path) -> None:
    # the same bounds hold outside scripts: the clamp is in the core's fact-sheet table, the
    # name cap in the core's suggestion search
    import powerbalance as pb

    reg = tmp_path / "register.csv"
    reg.write_text(REGISTER, encoding="utf-8")
    led = pb.read_sipri(reg)
    t = time.monotonic()
    assert len(led.importers(2016, 2020, suppliers=10**12, top=10**12)) == 3
    with pytest.raises(errors.UnknownActorError):
        led.suppliers("India" + "q" * 1_000_000, 2016, 2020)
    assert time.monotonic() - t < 5


def test_parse_time_is_bounded() -> None:
    # parsing cannot be interrupted, and Rhai's parse time grows with the square of the number
    # of functions and of declarations: both are counted before or while parsing
    e = Engine(echo=False)
    t = time.monotonic()
    with pytest.raises(errors.ScriptError) as info:
        e.eval("".join(f"let v{i} = {i};\n" for i in range(30_000)))
    assert info.value.limit == "max_declarations"
    with pytest.raises(errors.ScriptError) as info:
        e.eval("".join(f"fn f_{i}(a) {{ a }}\n" for i in range(20_000)))
    assert info.value.limit == "max_functions"
    with pytest.raises(errors.ScriptError) as info:
        e.eval("1;\n" * 600_000)
    assert info.value.limit == "max_source_size"
    assert time.monotonic() - t < 2
