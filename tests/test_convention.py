"""One Python convention, checked mechanically, and Rhai-Python parity of scenario operations.

The convention (issue 12, item 4):

- a period is ``start, end``, after the required arguments, positional or keyword (never
  keyword-only, since Rhai has no keywords), ``None`` when optional;
- a second period is ``compare=(start, end)``, keyword-only;
- no other spelling of a period (``period``, ``from_year``, ``to_year``, ``fit``) and ``measure``
  (not ``series``) for the quantity a method reads;
- a scenario operation takes the same arguments in the same order as in Rhai, so that the same
  call text builds the same scenario in both languages.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, List, Tuple

import powerbalance as pb
import pytest
from powerbalance.script import Engine, Scenario

#: The public modules whose functions and classes follow the convention (the paper subpackage
#: is checked with them: it is public too).
MODULES = [
    "powerbalance",
    "powerbalance.ledger",
    "powerbalance.capabilities",
    "powerbalance.metrics",
    "powerbalance.panels",
    "powerbalance.script",
    "powerbalance.table",
    "powerbalance.datasets",
    "powerbalance.paper",
]

FORBIDDEN = {"period", "from_year", "to_year", "series", "fit", "year_from", "year_to"}

#: Operations whose period is open-ended by nature: a start year, no end ("from this year on").
START_ONLY = {"powerbalance.script.Scenario.scale_growth"}


def public_callables() -> Iterator[Tuple[str, Callable[..., Any]]]:
    seen: set[int] = set()
    for name in MODULES:
        mod = importlib.import_module(name)
        for attr, obj in sorted(vars(mod).items()):
            if attr.startswith("_") or getattr(obj, "__module__", None) is None:
                continue
            if not str(obj.__module__).startswith("powerbalance") or "_native" in str(obj.__module__):
                continue
            if inspect.isclass(obj):
                for m, f in sorted(vars(obj).items()):
                    if (m.startswith("_") and m != "__init__") or not callable(f) or id(f) in seen:
                        continue
                    seen.add(id(f))
                    yield f"{obj.__module__}.{obj.__qualname__}.{m}", f
            elif inspect.isfunction(obj) and id(obj) not in seen:
                seen.add(id(obj))
                yield f"{obj.__module__}.{attr}", obj


CALLABLES = list(public_callables())


def test_the_walk_finds_the_api() -> None:
    names = {n for n, _ in CALLABLES}
    for expected in [
        "powerbalance.ledger.Ledger.importers",
        "powerbalance.ledger.Ledger.supplier_dependence",
        "powerbalance.capabilities.MilitaryExpenditure.rank",
        "powerbalance.metrics.fit_growth",
        "powerbalance.panels.dyad_years",
        "powerbalance.script.Scenario.embargo",
        "powerbalance.script.Scenario.scale_capabilities",
    ]:
        assert expected in names
    assert len(CALLABLES) > 100


@pytest.mark.parametrize("name,fn", CALLABLES, ids=[n for n, _ in CALLABLES])
def test_signature_follows_the_convention(name: str, fn: Callable[..., Any]) -> None:
    sig = inspect.signature(fn)  # every public callable is Python code: it has one
    params = list(sig.parameters.values())
    names = [p.name for p in params]
    bad = FORBIDDEN.intersection(names)
    assert not bad, f"{name}{sig}: {sorted(bad)} (write a period as `start, end`, a measure as `measure`)"
    if "compare" in names:
        kind = sig.parameters["compare"].kind
        assert kind is inspect.Parameter.KEYWORD_ONLY, f"{name}{sig}: `compare` must be keyword-only"
    if "start" in names and name not in START_ONLY:
        i = names.index("start")
        assert names[i + 1 : i + 2] == ["end"], f"{name}{sig}: `start` must be followed by `end`"
    if "end" in names:
        i = names.index("end")
        assert i > 0 and names[i - 1] == "start", f"{name}{sig}: `end` must follow `start`"
    for p in ("start", "end"):
        if p in names:
            assert sig.parameters[p].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, (
                f"{name}{sig}: `{p}` must be positional or keyword (Rhai has no keywords)"
            )
            default = sig.parameters[p].default
            assert default is inspect.Parameter.empty or default is None or isinstance(default, int), f"{name}{sig}"


def test_start_only_operations_exist() -> None:
    """The exemptions name real methods (a renamed method must not leave a stale exemption)."""
    names = {n for n, _ in CALLABLES}
    assert START_ONLY <= names


def test_top_level_names() -> None:
    assert pb.script.Scenario is pb.Scenario is Scenario
    assert pb.Engine is Engine
    assert {"script", "Scenario", "Engine"} <= set(pb.__all__)


def test_import_stays_light() -> None:
    """``import powerbalance`` (with pb.script) pulls in none of pandas, numpy, polars or matplotlib
    beyond what pyarrow itself imports."""
    heavy = ("pandas", "numpy", "matplotlib", "polars")
    code = (
        "import sys; import pyarrow; before = set(sys.modules); "
        "import powerbalance as pb; pb.script.Scenario; pb.Engine; "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules and m not in before))"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(pb.__file__).resolve().parents[1]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"


# -- Rhai-Python parity of scenario operations ---------------------------------------------------

#: Every overload of every Rhai scenario operation (rust/script/src/api.rs and
#: capabilities_api.rs), as the argument list both languages take.
CASES: List[Tuple[str, Tuple[Any, ...]]] = [
    ("embargo", ("Russia", "China")),
    ("embargo", ("Russia", "China", 2016, 2020)),
    ("embargo_supplier", ("Russia",)),
    ("embargo_supplier", ("Russia", 2016, 2020)),
    ("embargo_recipient", ("China", 2016, 2020)),
    ("redirect", ("India", "Russia", 2016, 2020)),
    ("redirect", ("India", "Russia", "France", 2016, 2020)),
    ("scale_exports", ("China", 1.5, 2016, 2020)),
    ("scale_imports", ("India", 0.5, 2016, 2020)),
    ("scale_capabilities", ("China", 2.0, 2010)),
    ("scale_capabilities", ("China", "milex", 2.0, 2010)),
    ("scale_capabilities", ("China", "milex", 2.0, 2010, 2016)),
    ("scale_growth", ("China", 1.5, 2000)),
    ("scale_growth", ("China", "constant", 1.5, 2000)),
    ("form_alliance", ("China", "Russia", "defense")),
    ("form_alliance", ("China", "Russia", "defense", 2005, 2010)),
    ("dissolve_alliance", ("China", "Russia")),
    ("dissolve_alliance", ("China", "Russia", 2005, 2010)),
    ("dissolve_alliance", ("China", "Russia", "defense", 2005, 2010)),
    ("shift_ideal_point", ("Russia", 0.25)),
    ("shift_ideal_point", ("Russia", 0.25, 2010, 2016)),
    ("shift_ideal_point", ("Russia", "China", 0.5)),
    ("shift_ideal_point", ("Russia", "China", 0.5, 2010, 2016)),
]


def rhai_literal(x: Any) -> str:
    if isinstance(x, str):
        return json.dumps(x)
    if isinstance(x, float):
        return repr(x)  # Rhai floats need the decimal point: 2.0, not 2
    if isinstance(x, int):
        return str(x)
    raise TypeError(x)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(echo=False)


@pytest.mark.parametrize("op,args", CASES, ids=[f"{op}/{len(a)}" for op, a in CASES])
def test_same_call_same_scenario_in_rhai_and_python(engine: Engine, op: str, args: Tuple[Any, ...]) -> None:
    call = f"{op}({', '.join(rhai_literal(a) for a in args)})"
    rhai = engine.eval(f'scenario("parity").{call}')
    py = getattr(Scenario("parity"), op)(*args)
    assert isinstance(rhai, Scenario)
    assert json.loads(py.to_json()) == json.loads(rhai.to_json()), call
    assert len(py) == 1


def test_every_scenario_operation_has_a_parity_case() -> None:
    """A new public Scenario method that builds an operation needs its Rhai twin in CASES."""
    not_operations = {"from_json", "to_json", "apply", "effects", "name", "baseline", "operations", "native"}
    methods = {m for m in vars(Scenario) if not m.startswith("_") and m not in not_operations}
    assert methods == {op for op, _ in CASES}


def test_a_chain_reads_the_same_in_both_languages(engine: Engine) -> None:
    chain = (
        '.embargo("Russia", "China", 2016, 2020)'
        '.redirect("India", "Russia", 2016, 2020)'
        '.scale_capabilities("China", "milex", 2.0, 2010, 2016)'
        '.shift_ideal_point("Russia", "China", 0.5, 2014, 2024)'
    )
    rhai = engine.eval(f'scenario("chain"){chain}')
    py = eval(f'Scenario("chain"){chain}', {"Scenario": Scenario})  # noqa: S307 - our own literal
    assert py == rhai and len(py) == 4


def test_misplaced_periods_fail_clearly() -> None:
    with pytest.raises(TypeError, match="recipient must be a name"):
        Scenario().embargo("Russia", 2016, 2020)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="both `start` and `end`"):
        Scenario().scale_exports("China", 1.5, 2016)
    with pytest.raises(TypeError, match="too many"):
        Scenario().redirect("India", "Russia", 2016, 2020, 2021)
    with pytest.raises(TypeError, match="`start`"):
        Scenario().scale_capabilities("China", "milex", 2.0)
    with pytest.raises(TypeError, match="`by` is required"):
        Scenario().shift_ideal_point("Russia", "China")
